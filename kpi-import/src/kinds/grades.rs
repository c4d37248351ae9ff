//! The `grades` table: one row per student, graded course and term; summed
//! into term results (Σ credits, Σ credits × points).

use super::{header, read_year, row_error, student_of, OrgLookup, RowSink};
use crate::aliases::Field;
use crate::builder::{spanning, Builder, StudentIds, TermAcc};
use crate::log::{Finding, IssueLog};
use crate::schema::Columns;
use crate::table::{format_number, Cell, RawTable, RowAccess};
use crate::values::{letter_points, number_of, score_points};
use kpi_model::validate::{IssueCode, Severity};
use kpi_model::YearSpan;
use rustc_hash::FxHashMap;

pub(crate) struct GradeSink<'b, 'o> {
    b: &'b Builder<'o>,
    /// This table's issues (see [`IssueLog::fragment`]).
    pub log: IssueLog,
    pub(super) table: u32,
    /// Student ids committed when the table was read: its staged ones are numbered from there.
    student_base: usize,
    id: usize,
    org: usize,
    year: usize,
    term: usize,
    credits: usize,
    score: Option<usize>,
    letter: Option<usize>,
    /// Column headers, shared so a row can name them without copying.
    names: std::rc::Rc<[String]>,
    decimal_comma: bool,
    pub(super) orgs: OrgLookup,
    /// "No data" markers met in optional number columns.
    pub(super) markers: super::Markers,
    ids: StudentIds,
    terms: FxHashMap<(u32, u32, i32, u8), TermAcc>,
    buf: String,
}

impl<'b, 'o> GradeSink<'b, 'o> {
    pub(crate) fn new(
        b: &'b Builder<'o>,
        table: u32,
        raw: &RawTable,
        cols: &Columns,
    ) -> Option<Self> {
        let (score, letter) = (cols.get(Field::Score), cols.get(Field::Letter));
        if score.is_none() && letter.is_none() {
            return None;
        }
        Some(GradeSink {
            log: b.log.fragment(table),
            table,
            student_base: b.student_count,
            id: cols.get(Field::StudentId)?,
            org: cols.get(Field::OrgId)?,
            year: cols.get(Field::Year)?,
            term: cols.get(Field::Term)?,
            credits: cols.get(Field::Credits)?,
            score,
            letter,
            names: (0..raw.headers.len()).map(|i| header(raw, i)).collect(),
            decimal_comma: super::decimal_comma(raw),
            orgs: OrgLookup::default(),
            markers: super::Markers::default(),
            ids: StudentIds::new(b.student_count, 0),
            terms: FxHashMap::default(),
            buf: String::new(),
            b,
        })
    }

    fn name(&self, col: usize) -> String {
        self.names.get(col).cloned().unwrap_or_default()
    }

    /// Ends the reading. Nothing is committed yet.
    pub(crate) fn seal(self) -> StagedGrades {
        let years = self
            .terms
            .keys()
            .fold(YearSpan::empty(), |s, k| s.including(k.2));
        StagedGrades {
            years,
            table: self.table,
            log: self.log,
            ids: self.ids,
            student_base: self.student_base,
            terms: self.terms,
        }
    }

    fn points<R: RowAccess>(&mut self, row: u64, r: &R) -> Result<Option<f64>, ()> {
        let table = self.table;
        if let Some(c) = self.letter {
            let cell = r.cell(c);
            if let Cell::Text(t) = cell {
                return match letter_points(t) {
                    Some(p) => Ok(Some(p)),
                    None => {
                        let col = self.name(c);
                        row_error(
                            &mut self.log,
                            table,
                            row,
                            r,
                            IssueCode::BadValue,
                            &col,
                            t.to_string(),
                            "a letter grade: A, A-, B+, B, B-, C+, C, C-, D+, D, FX or F",
                            "unknown letter grade".into(),
                        );
                        Err(())
                    }
                };
            }
        }
        if let Some(c) = self.score {
            let cell = r.cell(c);
            if !cell.is_empty() {
                return match number_of(cell, self.decimal_comma) {
                    Some(v) => match score_points(v) {
                        Some(p) => Ok(Some(p)),
                        None => {
                            let col = self.name(c);
                            self.log.add(
                                Some(table),
                                Severity::Warning,
                                IssueCode::OutOfRange,
                                || {
                                    Finding::new("a score outside 0–100 is not used")
                                        .row(row)
                                        .column(col)
                                        .found(format_number(v))
                                        .expected("a score from 0 to 100")
                                },
                            );
                            Ok(None)
                        }
                    },
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
                            "a score from 0 to 100",
                            "cannot read the score".into(),
                        );
                        Err(())
                    }
                };
            }
        }
        let col = self
            .score
            .or(self.letter)
            .map(|c| self.name(c))
            .unwrap_or_default();
        row_error(
            &mut self.log,
            table,
            row,
            r,
            IssueCode::BadValue,
            &col,
            String::new(),
            "a score (0–100) or a letter grade",
            "the grade is empty".into(),
        );
        Err(())
    }
}

/// A grades table read and waiting for its turn to be committed.
pub(crate) struct StagedGrades {
    /// The years of the terms.
    years: YearSpan,
    pub(super) table: u32,
    pub log: IssueLog,
    ids: StudentIds,
    student_base: usize,
    terms: FxHashMap<(u32, u32, i32, u8), TermAcc>,
}

impl StagedGrades {
    /// Commits the term results when the table has no error, with the
    /// student ids of the tables committed before it. Returns whether it
    /// was accepted.
    pub(crate) fn commit(self, b: &mut Builder<'_>) -> bool {
        let table = self.table;
        b.log.absorb(self.log);
        if b.rejects(table) {
            return false;
        }
        let (students, new_ids) = b.place_students(self.ids, self.student_base);
        b.commit_student_ids(new_ids);
        b.span = spanning(b.span, self.years);
        let terms = self.terms.into_iter();
        b.terms
            .extend(terms.map(|((student, org, year, term), acc)| {
                ((students.get(student), org, year, term), acc)
            }));
        if b.grades_table.is_none() {
            b.grades_table = Some(table);
        }
        true
    }
}

impl RowSink for GradeSink<'_, '_> {
    fn row<R: RowAccess>(&mut self, row: u64, r: &R) {
        let table = self.table;
        let Some(student) = student_of(
            self.b,
            &mut self.log,
            &mut self.ids,
            table,
            row,
            r,
            self.id,
            &self.names,
            &mut self.buf,
        ) else {
            return;
        };
        let names = std::rc::Rc::clone(&self.names);
        let org_col = names.get(self.org).map_or("", String::as_str);
        let Some(org) = self
            .orgs
            .resolve(self.b, &mut self.log, table, row, r, self.org, org_col)
        else {
            return;
        };
        let year_col = names.get(self.year).map_or("", String::as_str);
        let Some(year) = read_year(&mut self.log, table, row, r, self.year, year_col) else {
            return;
        };
        let term_cell = r.cell(self.term);
        let term = match number_of(term_cell, true) {
            Some(v) if crate::values::is_whole(v) && (1.0..=3.0).contains(&v) => v as u8,
            _ => {
                let col = self.name(self.term);
                row_error(
                    &mut self.log,
                    table,
                    row,
                    r,
                    IssueCode::BadValue,
                    &col,
                    term_cell.display(),
                    "a term: 1, 2 or 3 (summer)",
                    "cannot read the term".into(),
                );
                return;
            }
        };
        let credits_cell = r.cell(self.credits);
        let credits = match number_of(credits_cell, self.decimal_comma) {
            Some(v) if v > 0.0 => v,
            _ => {
                let col = self.name(self.credits);
                row_error(
                    &mut self.log,
                    table,
                    row,
                    r,
                    IssueCode::BadValue,
                    &col,
                    credits_cell.display(),
                    "a positive number of credits",
                    "cannot read the credits".into(),
                );
                return;
            }
        };
        let Ok(points) = self.points(row, r) else {
            return;
        };
        let Some(points) = points else { return };
        self.terms
            .entry((student, org, year, term))
            .or_default()
            .add(credits, points);
    }
}
