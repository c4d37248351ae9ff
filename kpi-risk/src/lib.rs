//! Risk assessment (docs/risk.md): criteria as data with documented defaults per
//! level, fixed or peer-percentile thresholds, gross criteria, the 0–100
//! score, three degrees plus `insufficient data`, a per-criterion explanation,
//! the change of degree over years, and student-level academic-risk flags.
//!
//! ```
//! use kpi_risk::{criterion_score, CriteriaSet};
//! use kpi_model::Direction;
//! let defaults = CriteriaSet::builtin();
//! assert!(defaults.rules().min_computable_weight_share == 0.6);
//! assert_eq!(criterion_score(Direction::Lower, 10.0, 5.0, 15.0), 0.5);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod criteria;
mod gap;
mod inputs;
mod score;
mod student;

pub use criteria::{
    CriteriaError, CriteriaSet, Criterion, DegreeRules, MinGap, Thresholds, BUILTIN_CRITERIA_TOML,
};
pub use gap::CriterionGap;
pub use inputs::IndicatorInputs;
pub use score::{
    assess, assess_orgs, assess_summary, criterion_score, degree_of, peer_thresholds,
    peer_thresholds_with_gap, AppliedGap, AppliedThresholds, CriterionOutcome, Degree,
    RiskAssessment, RiskFilter, RiskInputs, RiskScorer, RiskSummary, RiskTable, RiskYear,
};
pub use student::{student_flags, transfer_threshold, StudentFlag, StudentRisk, StudentRules};

#[cfg(test)]
mod inputs_tests;
