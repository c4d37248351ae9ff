//! The degree of risk, shared by the risk assessment that grades it and the
//! charts that draw it (docs/risk.md, "Degrees of risk").

use serde::{Deserialize, Serialize};
use std::fmt;

/// The degree of risk (тәуекел дәрежесі / степень риска).
///
/// ```
/// use kpi_model::Degree;
/// assert_eq!(Degree::Medium.code(), "medium");
/// assert!(Degree::High.rank() > Degree::Low.rank());
/// assert_eq!(Degree::InsufficientData.rank(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Degree {
    /// `0 ≤ R ≤ 30` by default.
    Low,
    /// `30 < R ≤ 70` by default.
    Medium,
    /// `R > 70` by default, or a gross criterion at or beyond `critical`.
    High,
    /// Less than 60% of the applicable weight computable: missing data must
    /// never make an organisation look safe.
    InsufficientData,
}

impl Degree {
    /// The canonical code.
    pub fn code(self) -> &'static str {
        match self {
            Degree::Low => "low",
            Degree::Medium => "medium",
            Degree::High => "high",
            Degree::InsufficientData => "insufficient_data",
        }
    }

    /// The rank of a real degree (low 0, medium 1, high 2); `None` for insufficient data.
    pub fn rank(self) -> Option<u8> {
        match self {
            Degree::Low => Some(0),
            Degree::Medium => Some(1),
            Degree::High => Some(2),
            Degree::InsufficientData => None,
        }
    }
}

impl fmt::Display for Degree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
