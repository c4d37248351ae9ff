//! Risk assessment: criteria, scores, degrees and explanations.
