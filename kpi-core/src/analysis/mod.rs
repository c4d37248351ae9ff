//! Dynamic (time series), comparative (peer group) and cohort analyses.
