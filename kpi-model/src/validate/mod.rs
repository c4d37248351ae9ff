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
    /// Whether the table was accepted (false: rejected as a whole, for a
    /// structural fault, or for any error in a strict load).
    pub accepted: bool,
    /// Rows of an accepted table rejected on their own (the rest loaded).
    #[serde(default)]
    pub rows_rejected: u64,
    /// Cells of an accepted table rejected on their own (the rest of their row loaded).
    #[serde(default)]
    pub cells_rejected: u64,
    /// The header row as written.
    pub headers: Vec<String>,
}

/// What a load rejected, for a one-line summary (`kpi` on stderr, the
/// dashboard and the widgets in the page language).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedCounts {
    /// Tables rejected as a whole.
    pub tables: u64,
    /// Rows rejected inside tables that loaded.
    pub rows: u64,
    /// Cells rejected inside rows that loaded.
    pub cells: u64,
}

impl RejectedCounts {
    /// Tables, rows and cells together: 0 when nothing was lost.
    pub fn total(&self) -> u64 {
        self.tables + self.rows + self.cells
    }
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

    /// What the load rejected: whole tables, and rows and cells inside the
    /// tables that loaded.
    ///
    /// ```
    /// use kpi_model::validate::ValidationReport;
    /// assert_eq!(ValidationReport::default().rejected().total(), 0);
    /// ```
    pub fn rejected(&self) -> RejectedCounts {
        RejectedCounts {
            tables: self.tables.iter().filter(|t| !t.accepted).count() as u64,
            rows: self.tables.iter().map(|t| t.rows_rejected).sum(),
            cells: self.tables.iter().map(|t| t.cells_rejected).sum(),
        }
    }

    /// What was lost, in one line: the tables rejected as a whole, and
    /// the rows and cells rejected in the tables that loaded. `None` when
    /// nothing was rejected.
    ///
    /// ```
    /// use kpi_model::validate::{TableReport, ValidationReport};
    /// let mut report = ValidationReport::default();
    /// assert_eq!(report.rejected_summary(), None);
    /// report.tables.push(TableReport {
    ///     index: 0, file: "o.csv".into(), sheet: None, kind: None, rows: 10,
    ///     accepted: true, rows_rejected: 2, cells_rejected: 1, headers: vec![],
    /// });
    /// assert_eq!(report.rejected_summary().as_deref(), Some("2 rows rejected, 1 cell rejected"));
    /// ```
    pub fn rejected_summary(&self) -> Option<String> {
        let RejectedCounts {
            tables,
            rows,
            cells,
        } = self.rejected();
        let parts: Vec<String> = [(tables, "table"), (rows, "row"), (cells, "cell")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, what)| format!("{n} {what}{} rejected", if n == 1 { "" } else { "s" }))
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}
