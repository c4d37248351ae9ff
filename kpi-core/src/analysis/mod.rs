//! Dynamic (time series), comparative (peer group) and cohort analyses.

mod wilson;

pub use wilson::{wilson_interval, Interval};
