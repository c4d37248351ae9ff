//! Deterministic, realistic sample datasets in the input formats.
