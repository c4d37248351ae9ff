//! Metrics: the dictionary of canonical metric codes, and (in `records`) the
//! aggregation of student, grade and survey records into per-unit, per-year metrics.

mod registry;

pub use registry::{
    BreakdownTotal, MetricDef, MetricId, MetricKind, MetricRegistry, RegistryError,
    BUILTIN_METRICS_TOML,
};
