//! Planted defects (`--with-defects`): one or more problems of every kind the
//! validation of docs/data.md must catch, each recorded with the file, the 1-based
//! row as a spreadsheet shows it (the header is row 1), the column and the
//! issue code the validator is expected to report.
//!
//! | code | where | what |
//! |---|---|---|
//! | `bad_value` (error) | observations | a count written `1O5` (letter O) |
//! | `duplicate_key` (error) | observations | a copy of the first data row, appended |
//! | `negative_count` | observations | `computers` below zero |
//! | `fractional_count` | observations | `students_enrolled` with a half |
//! | `part_exceeds_whole` | observations | `graduates_employed > graduates`, `teachers_with_degree > teachers_total`, `exam_passed > exam_takers` |
//! | `share_out_of_range` | observations | `learning_outcome_coefficient` 1.35 |
//! | `suspicious_jump` | observations | `students_enrolled` twenty times the previous year's (samples of two years or more) |
//! | `unknown_header` | observations | a column `graduates_employd` (closest: `graduates_employed`) |
//! | `out_of_range` | students, grades, surveys | GPA 4.70, score 130, Likert answer 7 |
//! | `unknown_organisation` (error) | surveys | an `org_id` absent from organisations |
//! | `year_out_of_range` (error) | surveys | year 2150 |
//! | `missing_column` (error) | grades_extra.csv | no `credits` column |
//! | `empty_table` (error) | surveys_extra.csv | a header and no rows |
//!
//! Errors reject the table they are in (docs/data.md), so the defective sample is
//! for testing validation, not for analysis: its `observations` and `surveys`
//! tables are rejected while `organisations`, `students` and `grades` load.

use kpi_model::validate::{IssueCode, Severity};
use serde::{Deserialize, Serialize};

/// One planted problem, as `defects.json` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defect {
    /// File name.
    pub file: String,
    /// 1-based row as a spreadsheet shows it (header = 1); `None` for the whole file.
    pub row: Option<u64>,
    /// Column header; `None` for a whole row or file.
    pub column: Option<String>,
    /// The issue the validator must report.
    pub code: IssueCode,
    /// Its severity under docs/data.md.
    pub severity: Severity,
    /// The value written (empty when not a single cell).
    pub found: String,
    /// What was planted, in words.
    pub description: String,
}

impl Defect {
    /// A defect record.
    pub(crate) fn new(
        file: &str,
        row: Option<usize>,
        column: Option<&str>,
        code: IssueCode,
        found: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        let severity = match code {
            IssueCode::BadValue
            | IssueCode::DuplicateKey
            | IssueCode::UnknownOrganisation
            | IssueCode::YearOutOfRange
            | IssueCode::MissingColumn
            | IssueCode::UnreadableFile
            // An empty table is an error for a single file (import module docs).
            | IssueCode::EmptyTable => Severity::Error,
            _ => Severity::Warning,
        };
        Defect {
            file: file.to_string(),
            row: row.map(|r| r as u64),
            column: column.map(str::to_string),
            code,
            severity,
            found: found.into(),
            description: description.into(),
        }
    }
}

/// The misspelt observation header planted as `unknown_header`.
pub(crate) const NEAR_MISS_HEADER: &str = "graduates_employd";

/// An `org_id` that no organisation has (a valid-looking БСН with a correct
/// check digit, so only the lookup can catch it).
pub(crate) const UNKNOWN_ORG: &str = "990540000011";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::is_valid_bin;

    #[test]
    fn unknown_org_looks_valid() {
        // 9 9 0 5 4 0 0 0 0 0 1: Σ i·dᵢ = 9 + 18 + 0 + 20 + 20 + 0 + 0 + 0 + 0 + 0 + 11 = 78;
        // 78 mod 11 = 1: the check digit is 1.
        assert!(is_valid_bin(UNKNOWN_ORG));
        assert!(!is_valid_bin("990540000017"));
    }

    #[test]
    fn severities_follow_data_md() {
        let e = Defect::new("a", Some(2), None, IssueCode::DuplicateKey, "", "");
        assert_eq!(e.severity, Severity::Error);
        let w = Defect::new("a", Some(2), None, IssueCode::SuspiciousJump, "", "");
        assert_eq!(w.severity, Severity::Warning);
    }
}
