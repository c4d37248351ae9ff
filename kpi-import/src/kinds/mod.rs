//! One loader per table kind. Each reads rows into its own staging area and
//! commits to the [`Builder`](super::builder::Builder) only when the table
//! has no error, so a rejected table leaves nothing behind.

pub(crate) mod grades;
pub(crate) mod observations;
pub(crate) mod organisations;
pub(crate) mod students;
pub(crate) mod surveys;

use super::builder::{Builder, StudentIds};
use super::limits::Limits;
use super::log::{Finding, IssueLog};
use super::normalize::same_text;
use super::table::{format_number, Body, Cell, CsvRow, PlainRow, RawTable, RecordRow, RowAccess};
use super::values::year_of;
pub(crate) use crate::aliases::ValueMemo;
use kpi_model::validate::{IssueCode, Severity};
use kpi_model::{Year, MAX_YEAR, MIN_YEAR};

/// Receives the rows of a table.
pub(crate) trait RowSink {
    /// One data row; `row` is 1-based as the user sees it.
    fn row<R: RowAccess>(&mut self, row: u64, r: &R);
}

/// A loader of one table kind, reading against the dataset as committed
/// before it (read-only, so that tables can be read side by side) into its
/// own issue log and staging.
pub(crate) trait TableSink: RowSink + Sized {
    /// The table's issues so far.
    fn log(&mut self) -> &mut IssueLog;
    /// The issues alone, when the table is rejected before its rows are read.
    fn into_log(self) -> IssueLog;
    /// Ends the reading; what is staged waits for [`Staged::commit`].
    fn seal(self) -> Staged;
}

macro_rules! table_sink {
    ($sink:ty, $variant:ident) => {
        impl TableSink for $sink {
            fn log(&mut self) -> &mut IssueLog {
                &mut self.log
            }
            fn into_log(self) -> IssueLog {
                self.log
            }
            fn seal(mut self) -> Staged {
                self.orgs.note_totals(&mut self.log, self.table);
                self.markers.note(&mut self.log, self.table);
                Staged::$variant(<$sink>::seal(self))
            }
        }
    };
}
table_sink!(observations::ObsSink<'_, '_>, Observations);
table_sink!(students::StudentSink<'_, '_>, Students);
table_sink!(grades::GradeSink<'_, '_>, Grades);
table_sink!(surveys::SurveySink<'_, '_>, Surveys);

/// A table read and waiting for its turn: tables are committed one after
/// the other in a fixed order, whatever order they were read in, so the
/// dataset and its issues do not depend on how many threads read them.
pub(crate) enum Staged {
    Observations(observations::StagedObs),
    Students(students::StagedStudents),
    Grades(grades::StagedGrades),
    Surveys(surveys::StagedSurveys),
    /// Nothing to commit (the table was rejected before its rows were
    /// read, or cannot be read): only its issues.
    Rejected(IssueLog),
}

impl Staged {
    /// Commits the table when it has no error (its issues join the
    /// dataset's either way). Returns whether it was accepted.
    pub(crate) fn commit(self, b: &mut Builder<'_>) -> bool {
        match self {
            Staged::Observations(s) => s.commit(b),
            Staged::Students(s) => s.commit(b),
            Staged::Grades(s) => s.commit(b),
            Staged::Surveys(s) => s.commit(b),
            Staged::Rejected(log) => {
                b.log.absorb(log);
                false
            }
        }
    }
}

/// Feeds every data row of a table to a sink. A problem that makes the rest
/// of the table unreadable (broken quoting, a limit) is returned as an error
/// finding; the rows before it have been fed.
#[allow(clippy::result_large_err)] // built once per table, at most
pub(crate) fn drive<S: RowSink>(
    raw: &RawTable,
    limits: &Limits,
    sink: &mut S,
    progress: &mut dyn FnMut(u64),
) -> Result<u64, Finding> {
    let mut n: u64 = 0;
    match &raw.body {
        Body::Csv {
            text,
            start,
            delimiter,
            first_row,
            ..
        } => {
            let data = text.get(*start..).unwrap_or(&[]);
            let base = first_row.saturating_sub(1);
            if super::csv_text::is_plain(data) {
                let mut lines = super::csv_text::PlainLines::new(data, *delimiter);
                let mut ends = Vec::new();
                while let Some((line, text, valid)) = lines.next_record(&mut ends) {
                    n += 1;
                    let row = base + line;
                    let mut from = 0;
                    let mut cells = ends.iter().map(|&e| {
                        let len = e - from;
                        from = e + 1;
                        len
                    });
                    check_record(raw, limits, n, row, text.len(), &mut cells)?;
                    if n % 65_536 == 0 {
                        progress(lines.bytes_read());
                    }
                    sink.row(row, &PlainRow::new(text, valid, &ends));
                }
            } else {
                let mut rdr = super::csv_text::reader(data, *delimiter);
                let mut rec = csv::ByteRecord::new();
                loop {
                    match super::csv_text::read_record(&mut rdr, data, &mut rec) {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(e) => {
                            let line = e.position().map_or(n + 1, |p| p.line());
                            return Err(Finding::new(format!(
                                "the rest of the file cannot be read: {e}"
                            ))
                            .row(base + line));
                        }
                    }
                    n += 1;
                    let row = base + rec.position().map_or(n, |p| p.line());
                    check_record(
                        raw,
                        limits,
                        n,
                        row,
                        rec.as_slice().len(),
                        rec.iter().map(<[u8]>::len),
                    )?;
                    if n % 65_536 == 0 {
                        progress(rdr.position().byte());
                    }
                    sink.row(row, &CsvRow::new(&rec));
                }
            }
            progress(data.len() as u64);
        }
        Body::Sheet {
            range,
            skip,
            first_row,
        } => {
            for (i, r) in range.rows().enumerate().skip(*skip) {
                n += 1;
                let row = first_row + i as u64;
                if n > limits.max_rows {
                    return Err(Finding::new(format!(
                        "more than {} data rows (the limit)",
                        limits.max_rows
                    ))
                    .row(row));
                }
                sink.row(row, &RecordRow(r));
            }
            progress(raw.bytes);
        }
        Body::Records { rows } => {
            for (i, r) in rows.iter().enumerate() {
                n += 1;
                sink.row(i as u64 + 1, &RecordRow(r));
            }
            progress(raw.bytes);
        }
        #[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
        Body::Columnar(body) => {
            n = super::columnar::drive(body, limits, &mut |row, r| sink.row(row, r), progress)?;
        }
        Body::None => {}
    }
    Ok(n)
}

/// The checks of every CSV record: the row limit, and the cell limit
/// (`len`: the record's length; `cells`: the length of each cell).
#[allow(clippy::result_large_err)] // built once per table, at most
fn check_record(
    raw: &RawTable,
    limits: &Limits,
    n: u64,
    row: u64,
    len: usize,
    mut cells: impl Iterator<Item = usize>,
) -> Result<(), Finding> {
    if n > limits.max_rows {
        return Err(Finding::new(format!(
            "more than {} data rows (the limit)",
            limits.max_rows
        ))
        .row(row));
    }
    if len > limits.max_cell_bytes {
        if let Some(i) = cells.position(|l| l > limits.max_cell_bytes) {
            return Err(Finding::new(format!(
                "a cell is longer than the limit of {} bytes",
                limits.max_cell_bytes
            ))
            .row(row)
            .column(
                raw.headers
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("column {}", i + 1)),
            ));
        }
    }
    Ok(())
}

/// Moves a table's staged items into the dataset's list: no copy for the
/// first table (the common case of one file per table).
pub(crate) fn append<T>(into: &mut Vec<T>, items: Vec<T>) {
    if into.is_empty() {
        *into = items;
    } else {
        into.extend(items);
    }
}

/// Whether the body reads decimal commas (every format but comma-separated text).
pub(crate) fn decimal_comma(raw: &RawTable) -> bool {
    match &raw.body {
        Body::Csv { decimal_comma, .. } => *decimal_comma,
        _ => true,
    }
}

/// Whether every cell of a row is empty (such rows are skipped silently).
pub(crate) fn blank<R: RowAccess>(r: &R) -> bool {
    (0..r.width()).all(|i| r.cell(i).is_empty())
}

/// The text of an identifier cell (`org_id`, `student_id`, programme): numbers
/// written without a decimal part.
pub(crate) fn id_text<'c>(cell: &Cell<'c>, buf: &'c mut String) -> Option<&'c str> {
    match cell {
        Cell::Text(t) => Some(t),
        Cell::Number(v) => {
            *buf = format_number(*v);
            Some(buf.as_str())
        }
        _ => None,
    }
}

/// The student of a row of `students` or `grades`: its `student_id` cell
/// (column `col`) interned in `ids`. An empty id in a row that is not wholly
/// blank is a row error; either way there is no student (`None`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn student_of<R: RowAccess>(
    b: &Builder<'_>,
    log: &mut IssueLog,
    ids: &mut StudentIds,
    table: u32,
    row: u64,
    r: &R,
    col: usize,
    names: &[String],
    buf: &mut String,
) -> Option<u32> {
    let id_cell = r.cell(col);
    let Some(sid) = id_text(&id_cell, buf) else {
        if !blank(r) {
            let column = names.get(col).map_or("", String::as_str);
            row_error(
                log,
                table,
                row,
                r,
                IssueCode::BadValue,
                column,
                id_cell.display(),
                "a student identifier",
                "student_id is empty".into(),
            );
        }
        return None;
    };
    Some(ids.get_or_add(b, sid))
}

/// The header of a column, for messages.
pub(crate) fn header(raw: &RawTable, col: usize) -> String {
    raw.headers
        .get(col)
        .cloned()
        .unwrap_or_else(|| format!("column {}", col + 1))
}

/// Records an error in a row and keeps the row for the rejected-rows file.
#[allow(clippy::too_many_arguments)]
pub(crate) fn row_error<R: RowAccess>(
    log: &mut IssueLog,
    table: u32,
    row: u64,
    r: &R,
    code: IssueCode,
    column: &str,
    found: String,
    expected: &str,
    message: String,
) {
    let reason = format!("{column}: {message}");
    log.add(Some(table), Severity::Error, code, || {
        Finding::new(message)
            .row(row)
            .column(column)
            .found(found)
            .expected(expected)
    });
    log.reject_row(table, row, || r.fields(), reason);
}

/// Reads the year of a row: a readable academic year within 1990–2100.
pub(crate) fn read_year<R: RowAccess>(
    log: &mut IssueLog,
    table: u32,
    row: u64,
    r: &R,
    col: usize,
    column: &str,
) -> Option<Year> {
    let cell = r.cell(col);
    match year_of(cell) {
        Some(y) if (MIN_YEAR..=MAX_YEAR).contains(&y) => Some(y),
        Some(y) => {
            row_error(
                log,
                table,
                row,
                r,
                IssueCode::YearOutOfRange,
                column,
                cell.display(),
                "a year between 1990 and 2100",
                format!("year {y} is outside 1990–2100"),
            );
            None
        }
        None => {
            let message = if cell.is_empty() {
                "the year is empty".to_string()
            } else {
                "cannot read the year".to_string()
            };
            row_error(
                log,
                table,
                row,
                r,
                IssueCode::BadValue,
                column,
                cell.display(),
                "an academic year such as 2023, 2023-2024, 2023/2024 or 2023–24",
                message,
            );
            None
        }
    }
}

/// Cells holding a "no data" marker (`н/д`, `-`, `х`) in a table: read as
/// missing values, with one warning per table.
#[derive(Default)]
pub(crate) struct Markers {
    count: u64,
    first: Option<(u64, String, String)>,
}

impl Markers {
    /// Whether a number cell holds a marker; counts it when it does.
    pub(crate) fn seen(
        &mut self,
        row: u64,
        column: impl FnOnce() -> String,
        cell: Cell<'_>,
    ) -> bool {
        let Cell::Text(t) = cell else {
            return false;
        };
        if !super::values::is_missing_marker(t) {
            return false;
        }
        self.count += 1;
        if self.first.is_none() {
            self.first = Some((row, column(), t.to_string()));
        }
        true
    }

    /// The warning of the markers met, once per table.
    pub(crate) fn note(&mut self, log: &mut IssueLog, table: u32) {
        let Some((row, column, text)) = self.first.take() else {
            return;
        };
        let n = self.count;
        log.add(Some(table), Severity::Warning, IssueCode::Other, || {
            Finding::new(format!(
                "{n} {} a \"no data\" marker such as `{text}`: read as missing values, not as errors (listed once per table)",
                if n == 1 { "cell holds" } else { "cells hold" }
            ))
            .row(row)
            .column(column)
            .found(text.clone())
        });
    }
}

/// Totals rows (`Итого`, `Барлығы`) met in a table: skipped, with one note.
#[derive(Default)]
pub(crate) struct TotalsRows {
    count: u64,
    first: Option<(u64, String)>,
}

impl TotalsRows {
    /// Whether a row is a totals row (its label in one of its first
    /// columns); counts it when it is.
    pub(crate) fn skip<R: RowAccess>(&mut self, row: u64, r: &R) -> bool {
        let label = (0..r.width().min(5)).find_map(|i| match r.cell(i) {
            Cell::Text(t) if super::layout::is_totals_label(t) => Some(t.to_string()),
            _ => None,
        });
        let Some(label) = label else {
            return false;
        };
        self.count += 1;
        if self.first.is_none() {
            self.first = Some((row, label));
        }
        true
    }

    /// The note of the totals rows skipped, once per table.
    pub(crate) fn note(&mut self, log: &mut IssueLog, table: u32) {
        let Some((row, label)) = self.first.take() else {
            return;
        };
        let n = self.count;
        log.add(Some(table), Severity::Note, IssueCode::Layout, || {
            let rows = if n == 1 {
                format!("row {row} labelled «{label}» holds")
            } else {
                format!("{n} rows (the first at row {row}, labelled «{label}») hold")
            };
            Finding::new(format!(
                "{rows} totals, not an organisation: skipped (indicators are computed from the organisations' own rows)"
            ))
            .row(row)
            .found(label.clone())
        });
    }
}

/// Resolves `org_id` cells to organisation indices, remembering the last one
/// (rows of one organisation usually come together).
#[derive(Default)]
pub(crate) struct OrgLookup {
    last: String,
    last_idx: u32,
    buf: String,
    /// Totals rows met where an organisation was expected.
    totals: TotalsRows,
}

impl OrgLookup {
    /// Notes the totals rows skipped in the table.
    pub(crate) fn note_totals(&mut self, log: &mut IssueLog, table: u32) {
        self.totals.note(log, table);
    }

    /// The organisation of a row; an error (and `None`) for an empty or unknown id.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn resolve<R: RowAccess>(
        &mut self,
        b: &Builder<'_>,
        log: &mut IssueLog,
        table: u32,
        row: u64,
        r: &R,
        col: usize,
        column: &str,
    ) -> Option<u32> {
        let cell = r.cell(col);
        let Some(id) = id_text(&cell, &mut self.buf) else {
            if self.totals.skip(row, r) {
                return None;
            }
            let message = if cell.is_empty() {
                "org_id is empty"
            } else {
                "cannot read org_id"
            };
            row_error(
                log,
                table,
                row,
                r,
                IssueCode::BadValue,
                column,
                cell.display(),
                "an organisation identifier",
                message.into(),
            );
            return None;
        };
        if !self.last.is_empty() && same_text(&self.last, id) {
            return Some(self.last_idx);
        }
        let found = b.org_index.get(id).copied().or_else(|| {
            // Excel drops the leading zeros of a 12-digit BIN stored as a number.
            (id.len() < 12 && id.bytes().all(|c| c.is_ascii_digit()))
                .then(|| format!("{id:0>12}"))
                .and_then(|padded| b.org_index.get(padded.as_str()).copied())
        });
        match found {
            Some(idx) => {
                self.last.clear();
                self.last.push_str(id);
                self.last_idx = idx;
                Some(idx)
            }
            None => {
                let id = id.to_string();
                if self.totals.skip(row, r) {
                    return None;
                }
                let message = match b.rejected_orgs.get(id.as_str()) {
                    Some(&(t, at)) => {
                        let place = b
                            .log
                            .table_name(t)
                            .map(|n| match &n.sheet {
                                Some(s) => format!("{} [{s}]", n.file),
                                None => n.file.clone(),
                            })
                            .unwrap_or_default();
                        format!("organisation `{id}` was rejected ({place}, row {at}): its rows are rejected with it")
                    }
                    None => format!("organisation `{id}` is not in the organisations table"),
                };
                row_error(
                    log,
                    table,
                    row,
                    r,
                    IssueCode::UnknownOrganisation,
                    column,
                    id.clone(),
                    "an org_id listed in the organisations table",
                    message,
                );
                None
            }
        }
    }
}

/// Resolves programme codes of an organisation to units, adding programmes
/// seen for the first time to the table's staging (committed with the table).
#[derive(Default)]
pub(crate) struct ProgrammeLookup {
    /// New programmes of this table: (organisation, code).
    pub staged: Vec<(u32, String)>,
    staged_index: rustc_hash::FxHashMap<u32, rustc_hash::FxHashMap<Box<str>, u32>>,
    /// The last (organisation, code, unit): rows of one programme usually come together.
    last: Option<(u32, String, u32)>,
    buf: String,
}

impl ProgrammeLookup {
    /// The unit of an organisation's programme, or of the organisation when
    /// the cell is empty.
    pub(crate) fn unit(&mut self, b: &Builder<'_>, org: u32, cell: Cell<'_>) -> u32 {
        let Some(code) = id_text(&cell, &mut self.buf) else {
            return org;
        };
        if let Some((o, c, u)) = &self.last {
            if *o == org && same_text(c, code) {
                return *u;
            }
        }
        let n_orgs = b.orgs.len() as u32;
        let staged = self
            .staged_index
            .get(&org)
            .and_then(|m| m.get(code))
            .copied();
        let unit = if let Some(p) = b.programme(org, code) {
            n_orgs + p
        } else if let Some(p) = staged {
            n_orgs + p
        } else {
            let p = (b.programmes.len() + self.staged.len()) as u32;
            self.staged.push((org, code.to_string()));
            self.staged_index
                .entry(org)
                .or_default()
                .insert(code.into(), p);
            n_orgs + p
        };
        match &mut self.last {
            Some((o, c, u)) => {
                *o = org;
                c.clear();
                c.push_str(code);
                *u = unit;
            }
            None => self.last = Some((org, code.to_string(), unit)),
        }
        unit
    }
}

/// The accepted spellings of a value set, for messages.
pub(crate) fn expected_values(set: super::aliases::ValueSet) -> String {
    format!("one of {}", set.canonical().join(", "))
}
