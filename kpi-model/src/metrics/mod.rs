//! Metrics: the dictionary of canonical metric codes, and (in `records`) the
//! aggregation of student, grade and survey records into per-unit, per-year metrics.

mod records;
mod registry;

pub use records::{
    org_unit, student_metrics, student_metrics_each, survey_metrics, yearly_gpa, DerivedValue,
    SurveyTally, TransferThresholds,
};
pub use registry::{
    BreakdownTotal, MetricDef, MetricId, MetricKind, MetricRegistry, RegistryError,
    BUILTIN_METRICS_TOML,
};
