//! Breakdown dimensions. A metric may be broken down along several
//! dimensions at once (`students_enrolled.female` and `students_enrolled.grade_1`);
//! a total is the sum over ONE dimension, never over all breakdowns together.

use serde::{Deserialize, Serialize};

/// The dimension a breakdown name belongs to.
///
/// ```
/// use kpi_model::BreakdownDimension;
/// assert_eq!(BreakdownDimension::of("female"), BreakdownDimension::Sex);
/// assert_eq!(BreakdownDimension::of("grade_10"), BreakdownDimension::Grade);
/// assert_eq!(BreakdownDimension::of("course_2"), BreakdownDimension::Grade);
/// assert_eq!(BreakdownDimension::of("reading"), BreakdownDimension::Other);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakdownDimension {
    /// `female`, `male`.
    Sex,
    /// `grade_1` … `grade_12` (schools), `course_1` … `course_7` (colleges, universities).
    Grade,
    /// Anything else (literacy areas, funding, language of instruction …): one dimension.
    Other,
}

impl BreakdownDimension {
    /// Classifies a breakdown name.
    pub fn of(name: &str) -> BreakdownDimension {
        let n = name.trim().to_ascii_lowercase();
        if n == "female" || n == "male" {
            return BreakdownDimension::Sex;
        }
        for prefix in ["grade_", "course_"] {
            if let Some(rest) = n.strip_prefix(prefix) {
                if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) {
                    return BreakdownDimension::Grade;
                }
            }
        }
        BreakdownDimension::Other
    }

    /// The grade or course number of a `Grade` breakdown.
    ///
    /// ```
    /// use kpi_model::BreakdownDimension;
    /// assert_eq!(BreakdownDimension::grade_number("grade_11"), Some(11));
    /// assert_eq!(BreakdownDimension::grade_number("female"), None);
    /// ```
    pub fn grade_number(name: &str) -> Option<u8> {
        let n = name.trim().to_ascii_lowercase();
        ["grade_", "course_"]
            .iter()
            .find_map(|p| n.strip_prefix(p).and_then(|r| r.parse().ok()))
    }
}
