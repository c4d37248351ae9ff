//! The issue log of a load: every issue with its exact location, listed up
//! to a limit per table and kind, the rest counted (so one systematic problem
//! in a million-row file is a handful of messages, not a million).

use kpi_model::validate::{
    Issue, IssueCode, IssueId, Location, RejectedRow, Severity, ValidationReport,
};
use std::collections::HashMap;

/// What to say about one finding; built only when it will be listed.
pub(crate) struct Finding {
    pub row: Option<u64>,
    pub column: Option<String>,
    pub found: Option<String>,
    pub expected: Option<String>,
    pub suggestion: Option<String>,
    pub message: String,
}

impl Finding {
    pub(crate) fn new(message: impl Into<String>) -> Finding {
        Finding {
            row: None,
            column: None,
            found: None,
            expected: None,
            suggestion: None,
            message: message.into(),
        }
    }
    pub(crate) fn row(mut self, row: u64) -> Self {
        self.row = Some(row);
        self
    }
    pub(crate) fn column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }
    pub(crate) fn found(mut self, found: impl Into<String>) -> Self {
        self.found = Some(found.into());
        self
    }
    pub(crate) fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }
    pub(crate) fn suggestion(mut self, suggestion: Option<String>) -> Self {
        self.suggestion = suggestion;
        self
    }
}

#[derive(Default)]
struct KindCount {
    listed: usize,
    /// The last listed issue, which also stands for the ones not listed.
    summary: Option<IssueId>,
    more: u64,
}

/// Per-table information the log needs to name locations.
#[derive(Clone)]
pub(crate) struct TableName {
    pub file: String,
    pub sheet: Option<String>,
}

/// The issue log; owns the report while the load runs.
pub(crate) struct IssueLog {
    pub report: ValidationReport,
    names: Vec<TableName>,
    counts: HashMap<(u32, IssueCode, Severity), KindCount>,
    errors: HashMap<u32, u64>,
    /// Errors whose damage is contained: they reject a row or a cell, not
    /// the table (see [`IssueLog::reject_row`], [`IssueLog::reject_cell`]).
    contained: HashMap<u32, u64>,
    /// Cells rejected on their own (the rest of their row loads).
    cells_rejected: HashMap<u32, u64>,
    rejected_per_table: HashMap<u32, (usize, u64)>,
    /// Position of each kept rejected row, so a second error on it adds its reason.
    rejected_index: HashMap<(u32, u64), usize>,
    cap: usize,
    rejected_cap: usize,
}

impl IssueLog {
    pub(crate) fn new(cap: usize, rejected_cap: usize) -> IssueLog {
        IssueLog {
            report: ValidationReport::default(),
            names: Vec::new(),
            counts: HashMap::new(),
            errors: HashMap::new(),
            contained: HashMap::new(),
            cells_rejected: HashMap::new(),
            rejected_per_table: HashMap::new(),
            rejected_index: HashMap::new(),
            cap: cap.max(1),
            rejected_cap,
        }
    }

    /// Registers a table and returns its index.
    pub(crate) fn add_table(&mut self, name: TableName) -> u32 {
        self.names.push(name);
        self.names.len() as u32 - 1
    }

    pub(crate) fn table_name(&self, table: u32) -> Option<&TableName> {
        self.names.get(table as usize)
    }

    /// Number of errors recorded for a table (listed or not).
    pub(crate) fn errors(&self, table: u32) -> u64 {
        self.errors.get(&table).copied().unwrap_or(0)
    }

    /// Records a finding in a table. Returns the id of the issue that stands
    /// for it: its own when listed, else the last listed one of its kind,
    /// whose message says how many more there are.
    pub(crate) fn add(
        &mut self,
        table: Option<u32>,
        severity: Severity,
        code: IssueCode,
        finding: impl FnOnce() -> Finding,
    ) -> IssueId {
        let key = (table.unwrap_or(u32::MAX), code, severity);
        if severity == Severity::Error {
            *self.errors.entry(key.0).or_default() += 1;
        }
        let count = self.counts.entry(key).or_default();
        if count.listed >= self.cap {
            if let Some(id) = count.summary {
                count.more += 1;
                return id;
            }
        }
        let f = finding();
        let (file, sheet) = match table.and_then(|t| self.names.get(t as usize)) {
            Some(n) => (n.file.clone(), n.sheet.clone()),
            None => ("(dataset)".to_string(), None),
        };
        let id = self.report.push(Issue {
            severity,
            code,
            location: Location {
                file,
                sheet,
                row: f.row,
                column: f.column,
            },
            found: f.found,
            expected: f.expected,
            suggestion: f.suggestion,
            message: f.message,
        });
        count.listed += 1;
        if count.listed >= self.cap {
            count.summary = Some(id);
        }
        id
    }

    /// Records an issue found while opening a source (already located).
    pub(crate) fn add_note(&mut self, table: u32, issue: Issue) -> IssueId {
        if issue.severity == Severity::Error {
            *self.errors.entry(table).or_default() += 1;
        }
        self.report.push(issue)
    }

    /// Errors of a table that reject the table itself: the errors not
    /// contained to a row or a cell (a missing column, an unreadable file).
    pub(crate) fn table_errors(&self, table: u32) -> u64 {
        self.errors(table)
            .saturating_sub(self.contained.get(&table).copied().unwrap_or(0))
    }

    /// Rows of a table rejected on their own (listed or not).
    pub(crate) fn rows_rejected(&self, table: u32) -> u64 {
        self.rejected_per_table
            .get(&table)
            .map_or(0, |&(kept, more)| kept as u64 + more)
    }

    /// Cells of a table rejected on their own.
    pub(crate) fn cells_rejected(&self, table: u32) -> u64 {
        self.cells_rejected.get(&table).copied().unwrap_or(0)
    }

    /// Records that the error just added rejects one cell, not its row or
    /// table: the rest of the row is loaded.
    pub(crate) fn reject_cell(&mut self, table: u32) {
        *self.contained.entry(table).or_default() += 1;
        *self.cells_rejected.entry(table).or_default() += 1;
    }

    /// Records that the error just added rejects its row, not the table,
    /// and keeps the row (up to the per-table limit) for the
    /// rejected-rows file; a second error on the same row adds its reason
    /// to the first.
    pub(crate) fn reject_row(
        &mut self,
        table: u32,
        row: u64,
        fields: impl FnOnce() -> Vec<String>,
        reason: String,
    ) {
        *self.contained.entry(table).or_default() += 1;
        self.keep_rejected_row(table, row, fields, reason);
    }

    /// Keeps a row for the rejected-rows file, for an error already
    /// counted (a row rejected because of another row's error).
    pub(crate) fn keep_rejected_row(
        &mut self,
        table: u32,
        row: u64,
        fields: impl FnOnce() -> Vec<String>,
        reason: String,
    ) {
        if let Some(&i) = self.rejected_index.get(&(table, row)) {
            if let Some(kept) = self.report.rejected_rows.get_mut(i) {
                if !kept.reason.contains(&reason) {
                    kept.reason.push_str("; ");
                    kept.reason.push_str(&reason);
                }
            }
            return;
        }
        let entry = self.rejected_per_table.entry(table).or_default();
        if entry.0 >= self.rejected_cap {
            entry.1 += 1;
            return;
        }
        entry.0 += 1;
        self.rejected_index
            .insert((table, row), self.report.rejected_rows.len());
        self.report.rejected_rows.push(RejectedRow {
            table,
            row,
            fields: fields(),
            reason,
        });
    }

    /// An empty log for reading table `table` apart from this one (on
    /// another thread): same limits and table names, and the table's error
    /// count so far. Its issues are numbered from 0; [`IssueLog::absorb`]
    /// gives them their place.
    pub(crate) fn fragment(&self, table: u32) -> IssueLog {
        let mut log = IssueLog::new(self.cap, self.rejected_cap);
        log.names = self.names.clone();
        if let Some(&n) = self.errors.get(&table) {
            log.errors.insert(table, n);
        }
        if let Some(&n) = self.contained.get(&table) {
            log.contained.insert(table, n);
        }
        log
    }

    /// Appends a fragment made by [`IssueLog::fragment`] for a table with
    /// no other issues here since: its issues follow the ones already
    /// listed. Returns the offset to add to the fragment's issue ids.
    pub(crate) fn absorb(&mut self, fragment: IssueLog) -> u32 {
        let offset = self.report.issues.len() as u32;
        let rejected_offset = self.report.rejected_rows.len();
        let IssueLog {
            report,
            counts,
            errors,
            contained,
            cells_rejected,
            rejected_per_table,
            rejected_index,
            ..
        } = fragment;
        self.contained.extend(contained);
        self.cells_rejected.extend(cells_rejected);
        self.report.issues.extend(report.issues);
        self.report.rejected_rows.extend(report.rejected_rows);
        for (key, mut count) in counts {
            count.summary = count.summary.map(|id| IssueId(id.0 + offset));
            self.counts.insert(key, count);
        }
        // The fragment started from this log's count for its table.
        self.errors.extend(errors);
        self.rejected_per_table.extend(rejected_per_table);
        self.rejected_index.extend(
            rejected_index
                .into_iter()
                .map(|(k, i)| (k, i + rejected_offset)),
        );
        offset
    }

    /// Finishes the log: the last listed issue of each capped kind says how
    /// many were not listed, and the counts go to `suppressed`.
    pub(crate) fn finish(mut self) -> ValidationReport {
        let mut keys: Vec<_> = self.counts.keys().copied().collect();
        keys.sort();
        for key in keys {
            let c = &self.counts[&key];
            if c.more == 0 {
                continue;
            }
            if let Some(id) = c.summary {
                if let Some(issue) = self.report.issues.get_mut(id.0 as usize) {
                    issue.message.push_str(&format!(
                        " (and {} more like this in this table, not listed one by one)",
                        c.more
                    ));
                }
            }
            self.report.suppressed.push((key.0, key.1, key.2, c.more));
        }
        let mut extra: Vec<_> = self
            .rejected_per_table
            .iter()
            .filter(|(_, v)| v.1 > 0)
            .collect();
        extra.sort();
        for (&table, &(_, more)) in extra {
            let name = self.names.get(table as usize).cloned();
            self.report.issues.push(Issue {
                severity: Severity::Warning,
                code: IssueCode::Other,
                location: Location {
                    file: name.as_ref().map_or_else(String::new, |n| n.file.clone()),
                    sheet: name.and_then(|n| n.sheet),
                    row: None,
                    column: None,
                },
                found: None,
                expected: None,
                suggestion: None,
                message: format!(
                    "{more} further rows with errors are not kept in the rejected-rows file"
                ),
            });
        }
        self.report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_issues_are_capped_and_counted() {
        let mut log = IssueLog::new(3, 10);
        let t = log.add_table(TableName {
            file: "o.csv".into(),
            sheet: None,
        });
        let mut ids = Vec::new();
        for row in 2..12 {
            ids.push(
                log.add(Some(t), Severity::Warning, IssueCode::NegativeCount, || {
                    Finding::new("negative").row(row)
                }),
            );
        }
        let report = log.finish();
        // Rows 2, 3, 4 listed; rows 5..=11 (7) counted and pointing at the third.
        assert_eq!(report.issues.len(), 3);
        assert_eq!(ids[9], ids[2]);
        assert_eq!(
            report.suppressed,
            vec![(0, IssueCode::NegativeCount, Severity::Warning, 7)]
        );
        assert_eq!(report.count(Severity::Warning), 10);
        assert!(report.issues[2].message.contains("7 more"));
    }

    #[test]
    fn a_fragment_absorbed_reads_as_if_logged_here() {
        // The same findings, logged straight into one log and through a fragment.
        let findings = |log: &mut IssueLog, t: u32| -> Vec<IssueId> {
            let mut ids = Vec::new();
            for row in 2..8 {
                ids.push(
                    log.add(Some(t), Severity::Warning, IssueCode::NegativeCount, || {
                        Finding::new("negative").row(row)
                    }),
                );
                log.add(Some(t), Severity::Error, IssueCode::BadValue, || {
                    Finding::new("bad").row(row)
                });
                log.reject_row(t, row, || vec![row.to_string()], format!("bad {row}"));
                log.reject_row(t, row, Vec::new, "also".into());
            }
            ids
        };
        let setup = || {
            let mut log = IssueLog::new(3, 4);
            let a = log.add_table(TableName {
                file: "a.csv".into(),
                sheet: None,
            });
            let b = log.add_table(TableName {
                file: "b.csv".into(),
                sheet: None,
            });
            // Table a has issues of its own; table b an error noted at opening.
            log.add(Some(a), Severity::Warning, IssueCode::Other, || {
                Finding::new("first")
            });
            log.reject_row(a, 2, Vec::new, "a row".into());
            log.add_note(
                b,
                Issue {
                    severity: Severity::Error,
                    code: IssueCode::UnreadableFile,
                    location: Location::file("b.csv".to_string()),
                    found: None,
                    expected: None,
                    suggestion: None,
                    message: "noted".into(),
                },
            );
            (log, b)
        };
        let (mut direct, b) = setup();
        let direct_ids = findings(&mut direct, b);
        let (mut via, b) = setup();
        let mut fragment = via.fragment(b);
        // The fragment knows the error noted before it.
        assert_eq!(fragment.errors(b), 1);
        let local_ids = findings(&mut fragment, b);
        let offset = via.absorb(fragment);
        assert_eq!(offset, 2);
        let shifted: Vec<IssueId> = local_ids.iter().map(|i| IssueId(i.0 + offset)).collect();
        assert_eq!(shifted, direct_ids);
        // 1 noted + 6 bad values.
        assert_eq!(via.errors(b), 7);
        let (direct, via) = (direct.finish(), via.finish());
        assert_eq!(format!("{direct:?}"), format!("{via:?}"));
        // Capped at 3 per kind: the third of each stands for the other 3.
        assert_eq!(via.suppressed.len(), 2);
        assert!(via.issues[6].message.contains("3 more"));
        // Rows kept up to 4 per table, a second reason joined to its row.
        assert_eq!(via.rejected_rows.len(), 5);
        assert_eq!(via.rejected_rows[1].reason, "bad 2; also");
    }
}
