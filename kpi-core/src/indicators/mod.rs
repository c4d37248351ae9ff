//! Indicators: the catalogue, the formula language and the computation.
