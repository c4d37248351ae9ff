//! Validation: the issue model and the report that travels with a dataset.

mod issue;

pub use issue::{Issue, IssueCode, IssueId, Location, Severity};

use serde::{Deserialize, Serialize};

/// The kind of a table in a dataset (docs/data.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// `organisations` (required).
    Organisations,
    /// `observations` in long or wide form (required).
    Observations,
    /// `students` records.
    Students,
    /// `grades` records.
    Grades,
    /// `surveys` answers.
    Surveys,
}

impl TableKind {
    /// All kinds, in the order they are processed.
    pub const ALL: [TableKind; 5] = [
        TableKind::Organisations,
        TableKind::Observations,
        TableKind::Students,
        TableKind::Grades,
        TableKind::Surveys,
    ];
    /// The canonical name.
    pub fn code(self) -> &'static str {
        match self {
            TableKind::Organisations => "organisations",
            TableKind::Observations => "observations",
            TableKind::Students => "students",
            TableKind::Grades => "grades",
            TableKind::Surveys => "surveys",
        }
    }
}

/// What happened to one table of the input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableReport {
    /// Index of the table in the load (referenced by [`SourceRow`](crate::SourceRow)).
    pub index: u32,
    /// File name.
    pub file: String,
    /// Sheet name, for workbooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Recognised kind, `None` when not recognised.
    pub kind: Option<TableKind>,
    /// Data rows read (header excluded).
    pub rows: u64,
    /// Whether the table was accepted (false: rejected because of errors).
    pub accepted: bool,
    /// The header row as written.
    pub headers: Vec<String>,
}

/// A row the user must fix, with the reason, so it can be corrected and re-loaded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RejectedRow {
    /// Index of the table in the load.
    pub table: u32,
    /// 1-based row.
    pub row: u64,
    /// The row's fields as written.
    pub fields: Vec<String>,
    /// Why it was rejected.
    pub reason: String,
}

/// Everything validation found while loading a dataset.
///
/// ```
/// use kpi_model::validate::{ValidationReport, Severity};
/// let report = ValidationReport::default();
/// assert_eq!(report.count(Severity::Error), 0);
/// assert!(!report.has_errors());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ValidationReport {
    /// All issues, in the order found.
    pub issues: Vec<Issue>,
    /// One entry per table read.
    pub tables: Vec<TableReport>,
    /// Rows with errors, with their reasons.
    pub rejected_rows: Vec<RejectedRow>,
    /// Issues not listed one by one because a table had too many of one kind:
    /// `(table index, code, severity, number not listed)`.
    pub suppressed: Vec<(u32, IssueCode, Severity, u64)>,
}

impl ValidationReport {
    /// Adds an issue and returns its id.
    pub fn push(&mut self, issue: Issue) -> IssueId {
        let id = IssueId(self.issues.len() as u32);
        self.issues.push(issue);
        id
    }

    /// An issue by id.
    pub fn get(&self, id: IssueId) -> Option<&Issue> {
        self.issues.get(id.0 as usize)
    }

    /// Number of issues of a severity, including suppressed ones.
    pub fn count(&self, severity: Severity) -> u64 {
        self.issues
            .iter()
            .filter(|i| i.severity == severity)
            .count() as u64
            + self
                .suppressed
                .iter()
                .filter(|s| s.2 == severity)
                .map(|s| s.3)
                .sum::<u64>()
    }

    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}
