//! The `students` table: one row per student and year.

use super::{
    expected_values, header, read_year, row_error, student_of, OrgLookup, ProgrammeLookup, RowSink,
    ValueMemo,
};
use crate::aliases::{Field, ValueSet};
use crate::builder::{spanning, Builder, StudentIds};
use crate::log::{Finding, IssueLog};
use crate::schema::Columns;
use crate::table::{Cell, RawTable, RowAccess};
use crate::values::number_of;
use kpi_model::validate::{IssueCode, Severity};
use kpi_model::{Funding, OrgIdx, StudentRecord, StudentStatus, UnitId, YearSpan};

struct Cols {
    id: usize,
    org: usize,
    year: usize,
    course: usize,
    status: usize,
    programme: Option<usize>,
    gpa: Option<usize>,
    credits: Option<usize>,
    funding: Option<usize>,
    employed: Option<usize>,
    further: Option<usize>,
}

pub(crate) struct StudentSink<'b, 'o> {
    b: &'b Builder<'o>,
    /// This table's issues (see [`IssueLog::fragment`]).
    pub log: IssueLog,
    pub(super) table: u32,
    /// Programmes and student ids committed when the table was read: its
    /// staged ones are numbered from there.
    prog_base: usize,
    student_base: usize,
    c: Cols,
    /// Column headers, shared so a row can name them without copying.
    names: std::rc::Rc<[String]>,
    decimal_comma: bool,
    pub(super) orgs: OrgLookup,
    /// "No data" markers met in optional number columns.
    pub(super) markers: super::Markers,
    progs: ProgrammeLookup,
    ids: StudentIds,
    memo: ValueMemo,
    records: Vec<StudentRecord>,
    rows: Vec<u32>,
    buf: String,
}

/// Reads yes/no: a boolean cell, 1/0, or a spelling of yes/no.
pub(crate) fn yes_no(
    b: &Builder<'_>,
    memo: &mut ValueMemo,
    cell: Cell<'_>,
) -> Result<Option<bool>, ()> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Bool(v) => Ok(Some(v)),
        Cell::Number(1.0) => Ok(Some(true)),
        Cell::Number(0.0) => Ok(Some(false)),
        Cell::Text(t) => match memo.get(b.book, ValueSet::Bool, t) {
            Some("yes") => Ok(Some(true)),
            Some("no") => Ok(Some(false)),
            _ => Err(()),
        },
        _ => Err(()),
    }
}

impl<'b, 'o> StudentSink<'b, 'o> {
    pub(crate) fn new(
        b: &'b Builder<'o>,
        table: u32,
        raw: &RawTable,
        cols: &Columns,
    ) -> Option<Self> {
        let c = Cols {
            id: cols.get(Field::StudentId)?,
            org: cols.get(Field::OrgId)?,
            year: cols.get(Field::Year)?,
            course: cols.get(Field::Course)?,
            status: cols.get(Field::Status)?,
            programme: cols.get(Field::Programme),
            gpa: cols.get(Field::Gpa),
            credits: cols.get(Field::CreditsEarned),
            funding: cols.get(Field::Funding),
            employed: cols.get(Field::Employed),
            further: cols.get(Field::FurtherStudy),
        };
        let names = (0..raw.headers.len()).map(|i| header(raw, i)).collect();
        let rows = raw.estimated_rows();
        Some(StudentSink {
            log: b.log.fragment(table),
            table,
            prog_base: b.programmes.len(),
            student_base: b.student_count,
            c,
            names,
            decimal_comma: super::decimal_comma(raw),
            orgs: OrgLookup::default(),
            markers: super::Markers::default(),
            progs: ProgrammeLookup::default(),
            // Students usually have rows for several years: half the rows
            // is a fair first guess of the number of ids, and saves rehashing.
            ids: StudentIds::new(b.student_count, rows / 2),
            memo: ValueMemo::default(),
            // One record per data row: reserved once, not grown by doubling.
            records: Vec::with_capacity(rows),
            rows: Vec::with_capacity(rows),
            buf: String::new(),
            b,
        })
    }

    fn name(&self, col: usize) -> String {
        self.names.get(col).cloned().unwrap_or_default()
    }

    /// Ends the reading: the (student, year) keys, sorted for the
    /// duplicate check. Nothing is committed yet.
    pub(crate) fn seal(self) -> StagedStudents {
        let mut keys: Vec<(u64, u32)> = self
            .records
            .iter()
            .zip(&self.rows)
            .map(|(r, &row)| (student_year_key(r.student, r.year), row))
            .collect();
        keys.sort_unstable();
        let years = self
            .records
            .iter()
            .fold(YearSpan::empty(), |s, r| s.including(r.year));
        StagedStudents {
            years,
            table: self.table,
            log: self.log,
            id_col: self.names.get(self.c.id).cloned().unwrap_or_default(),
            programmes: self.progs.staged,
            prog_base: self.prog_base,
            ids: self.ids,
            student_base: self.student_base,
            records: self.records,
            rows: self.rows,
            keys,
        }
    }
}

/// A students table read and waiting for its turn to be committed.
pub(crate) struct StagedStudents {
    /// The years of the records.
    years: YearSpan,
    pub(super) table: u32,
    pub log: IssueLog,
    id_col: String,
    programmes: Vec<(u32, String)>,
    prog_base: usize,
    ids: StudentIds,
    student_base: usize,
    records: Vec<StudentRecord>,
    /// The row of each record.
    rows: Vec<u32>,
    /// (student, year) key and row of each record, sorted.
    keys: Vec<(u64, u32)>,
}

impl StagedStudents {
    /// Checks duplicate (student, year) pairs, in this table and against
    /// the tables committed before it, and commits when the table has no
    /// error. Returns whether it was accepted.
    pub(crate) fn commit(mut self, b: &mut Builder<'_>) -> bool {
        let table = self.table;
        let (units, new_programmes) =
            b.place_programmes(std::mem::take(&mut self.programmes), self.prog_base);
        let (students, new_ids) =
            b.place_students(std::mem::take(&mut self.ids), self.student_base);
        if !units.is_identity() || !students.is_identity() {
            for r in &mut self.records {
                r.unit = UnitId(units.get(r.unit.0));
                r.student = students.get(r.student);
            }
            if !students.is_identity() {
                for k in &mut self.keys {
                    let (student, year) = ((k.0 >> 8) as u32, k.0 & 0xFF);
                    k.0 = (u64::from(students.get(student)) << 8) | year;
                }
                self.keys.sort_unstable();
            }
        }
        let keys = self.keys;
        // Duplicates: (student, year, first row within this table, row).
        let mut dups: Vec<(u32, i32, Option<u32>, u32)> = Vec::new();
        for w in keys.windows(2) {
            if w[0].0 == w[1].0 {
                let (student, year) = ((w[1].0 >> 8) as u32, (w[1].0 & 0xFF) as i32 + 1990);
                dups.push((student, year, Some(w[0].1.min(w[1].1)), w[0].1.max(w[1].1)));
            }
        }
        if !b.student_years.is_empty() {
            for &(k, row) in &keys {
                if b.student_years.binary_search(&k).is_ok() {
                    dups.push(((k >> 8) as u32, (k & 0xFF) as i32 + 1990, None, row));
                }
            }
        }
        // Names only for the duplicates that can be listed or kept as rejected rows.
        let wanted: rustc_hash::FxHashSet<u32> = dups.iter().take(20_000).map(|d| d.0).collect();
        let names = if wanted.is_empty() {
            Default::default()
        } else {
            b.student_names(&wanted, &new_ids)
        };
        // Repeats are dropped: the first row of a (student, year) is kept.
        let repeats: rustc_hash::FxHashSet<u32> = dups.iter().map(|d| d.3).collect();
        let log = &mut self.log;
        for (student, year, first, row) in dups {
            let sid = names.get(&student).map_or("?", String::as_str);
            let message = match first {
                Some(first) => {
                    format!("student `{sid}` has two rows for year {year} (first at row {first})")
                }
                None => format!(
                    "student `{sid}`, year {year} is already given by another students table"
                ),
            };
            let message = format!("{message}: this row is rejected, the first is kept");
            let reason = message.clone();
            let col = self.id_col.clone();
            log.add(
                Some(table),
                Severity::Error,
                IssueCode::DuplicateKey,
                || {
                    Finding::new(message)
                        .row(u64::from(row))
                        .column(col)
                        .expected("one row per student and year")
                },
            );
            log.reject_row(table, u64::from(row), Vec::new, reason);
        }
        b.log.absorb(self.log);
        if b.rejects(table) {
            return false;
        }
        let mut records = self.records;
        let mut keys = keys;
        if !repeats.is_empty() {
            let mut rows = self.rows.iter();
            records.retain(|_| rows.next().is_none_or(|r| !repeats.contains(r)));
            keys.retain(|k| !repeats.contains(&k.1));
        }
        b.commit_programmes(new_programmes);
        b.span = spanning(b.span, self.years);
        b.commit_student_ids(new_ids);
        b.commit_student_years(keys.iter().map(|k| k.0));
        super::append(&mut b.students, records);
        if b.students_table.is_none() {
            b.students_table = Some(table);
        }
        true
    }
}

/// A (student, year) key: year offset from 1990 in the low byte.
pub(crate) fn student_year_key(student: u32, year: i32) -> u64 {
    (u64::from(student) << 8) | ((year - 1990).clamp(0, 255) as u64)
}

impl RowSink for StudentSink<'_, '_> {
    fn row<R: RowAccess>(&mut self, row: u64, r: &R) {
        let table = self.table;
        let Some(student) = student_of(
            self.b,
            &mut self.log,
            &mut self.ids,
            table,
            row,
            r,
            self.c.id,
            &self.names,
            &mut self.buf,
        ) else {
            return;
        };
        let names = std::rc::Rc::clone(&self.names);
        let org_col = names.get(self.c.org).map_or("", String::as_str);
        let Some(org) =
            self.orgs
                .resolve(self.b, &mut self.log, table, row, r, self.c.org, org_col)
        else {
            return;
        };
        let year_col = names.get(self.c.year).map_or("", String::as_str);
        let Some(year) = read_year(&mut self.log, table, row, r, self.c.year, year_col) else {
            return;
        };
        let course_cell = r.cell(self.c.course);
        let course = match number_of(course_cell, true) {
            Some(v) if crate::values::is_whole(v) && (1.0..=7.0).contains(&v) => v as u8,
            _ => {
                let col = self.name(self.c.course);
                row_error(
                    &mut self.log,
                    table,
                    row,
                    r,
                    IssueCode::BadValue,
                    &col,
                    course_cell.display(),
                    "a course (year of study) from 1 to 7",
                    "cannot read the course".into(),
                );
                return;
            }
        };
        let status_cell = r.cell(self.c.status);
        let status = match status_cell {
            Cell::Text(t) => self
                .memo
                .get(self.b.book, ValueSet::Status, t)
                .and_then(StudentStatus::from_code),
            _ => None,
        };
        let Some(status) = status else {
            let col = self.name(self.c.status);
            row_error(
                &mut self.log,
                table,
                row,
                r,
                IssueCode::BadValue,
                &col,
                status_cell.display(),
                &expected_values(ValueSet::Status),
                "unknown student status".into(),
            );
            return;
        };
        let unit = match self.c.programme {
            Some(c) => self.progs.unit(self.b, org, r.cell(c)),
            None => org,
        };
        let mut gpa = None;
        if let Some(c) = self.c.gpa {
            let cell = r.cell(c);
            if !cell.is_empty() {
                let names = &self.names;
                let column = || names.get(c).cloned().unwrap_or_default();
                match number_of(cell, self.decimal_comma) {
                    // A marker is checked only where a number cannot be read.
                    None if self.markers.seen(row, column, cell) => {}
                    Some(v) if (0.0..=4.0).contains(&v) => gpa = Some(v),
                    Some(v) => {
                        let col = self.name(c);
                        self.log.add(
                            Some(table),
                            Severity::Warning,
                            IssueCode::OutOfRange,
                            || {
                                Finding::new("GPA outside 0–4 is not used")
                                    .row(row)
                                    .column(col)
                                    .found(crate::table::format_number(v))
                                    .expected("a GPA from 0.00 to 4.00")
                            },
                        );
                    }
                    None => {
                        let col = self.name(c);
                        row_error(
                            &mut self.log,
                            table,
                            row,
                            r,
                            IssueCode::BadValue,
                            &col,
                            cell.display(),
                            "a GPA from 0.00 to 4.00",
                            "cannot read the GPA".into(),
                        );
                        return;
                    }
                }
            }
        }
        let mut credits_earned = None;
        if let Some(c) = self.c.credits {
            let cell = r.cell(c);
            if !cell.is_empty() {
                let names = &self.names;
                let column = || names.get(c).cloned().unwrap_or_default();
                match number_of(cell, self.decimal_comma) {
                    // A marker is checked only where a number cannot be read.
                    None if self.markers.seen(row, column, cell) => {}
                    Some(v) if v >= 0.0 => credits_earned = Some(v),
                    _ => {
                        let col = self.name(c);
                        row_error(
                            &mut self.log,
                            table,
                            row,
                            r,
                            IssueCode::BadValue,
                            &col,
                            cell.display(),
                            "a number of credits, 0 or more",
                            "cannot read the credits earned".into(),
                        );
                        return;
                    }
                }
            }
        }
        let mut funding = None;
        if let Some(c) = self.c.funding {
            let cell = r.cell(c);
            if !cell.is_empty() {
                let f = match cell {
                    Cell::Text(t) => self.memo.get(self.b.book, ValueSet::Funding, t),
                    _ => None,
                };
                funding = match f {
                    Some("state_grant") => Some(Funding::StateGrant),
                    Some("paid") => Some(Funding::Paid),
                    _ => {
                        let col = self.name(c);
                        row_error(
                            &mut self.log,
                            table,
                            row,
                            r,
                            IssueCode::BadValue,
                            &col,
                            cell.display(),
                            &expected_values(ValueSet::Funding),
                            "unknown funding".into(),
                        );
                        return;
                    }
                };
            }
        }
        let mut flags = [None, None];
        for (slot, col) in flags.iter_mut().zip([self.c.employed, self.c.further]) {
            let Some(c) = col else { continue };
            let cell = r.cell(c);
            match yes_no(self.b, &mut self.memo, cell) {
                Ok(v) => *slot = v,
                Err(()) => {
                    let name = self.name(c);
                    row_error(
                        &mut self.log,
                        table,
                        row,
                        r,
                        IssueCode::BadValue,
                        &name,
                        cell.display(),
                        "yes, no or empty (иә/жоқ, да/нет, 1/0)",
                        "cannot read yes/no".into(),
                    );
                    return;
                }
            }
        }
        self.records.push(StudentRecord {
            student,
            org: OrgIdx(org),
            unit: UnitId(unit),
            year,
            course,
            status,
            gpa,
            credits_earned,
            funding,
            employed: flags[0],
            further_study: flags[1],
        });
        self.rows.push(row.min(u64::from(u32::MAX)) as u32);
    }
}
