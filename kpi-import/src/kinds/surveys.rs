//! The `surveys` table: one row per answer on a 1–5 scale; tallied per unit,
//! year and survey kind.

use super::{
    blank, expected_values, header, read_year, row_error, OrgLookup, ProgrammeLookup, RowSink,
    ValueMemo,
};
use crate::aliases::{Field, ValueSet};
use crate::builder::{spanning, Builder};
use crate::log::{Finding, IssueLog};
use crate::schema::Columns;
use crate::table::{format_number, Cell, RawTable, RowAccess};
use crate::values::number_of;
use kpi_model::metrics::SurveyTally;
use kpi_model::validate::{IssueCode, Severity};
use kpi_model::YearSpan;
use rustc_hash::FxHashMap;

pub(crate) struct SurveySink<'b, 'o> {
    b: &'b Builder<'o>,
    /// This table's issues (see [`IssueLog::fragment`]).
    pub log: IssueLog,
    pub(super) table: u32,
    /// Programmes committed when the table was read: its staged ones are numbered from there.
    prog_base: usize,
    org: usize,
    year: usize,
    survey: usize,
    score: usize,
    programme: Option<usize>,
    /// Column headers, shared so a row can name them without copying.
    names: std::rc::Rc<[String]>,
    decimal_comma: bool,
    pub(super) orgs: OrgLookup,
    /// "No data" markers met in optional number columns.
    pub(super) markers: super::Markers,
    progs: ProgrammeLookup,
    memo: ValueMemo,
    tallies: FxHashMap<(u32, i32, u8), SurveyTally>,
}

impl<'b, 'o> SurveySink<'b, 'o> {
    pub(crate) fn new(
        b: &'b Builder<'o>,
        table: u32,
        raw: &RawTable,
        cols: &Columns,
    ) -> Option<Self> {
        Some(SurveySink {
            log: b.log.fragment(table),
            table,
            prog_base: b.programmes.len(),
            org: cols.get(Field::OrgId)?,
            year: cols.get(Field::Year)?,
            survey: cols.get(Field::Survey)?,
            score: cols.get(Field::Score)?,
            programme: cols.get(Field::Programme),
            names: (0..raw.headers.len()).map(|i| header(raw, i)).collect(),
            decimal_comma: super::decimal_comma(raw),
            orgs: OrgLookup::default(),
            markers: super::Markers::default(),
            progs: ProgrammeLookup::default(),
            memo: ValueMemo::default(),
            tallies: FxHashMap::default(),
            b,
        })
    }

    fn name(&self, col: usize) -> String {
        self.names.get(col).cloned().unwrap_or_default()
    }

    /// Ends the reading. Nothing is committed yet.
    pub(crate) fn seal(self) -> StagedSurveys {
        let years = self
            .tallies
            .keys()
            .fold(YearSpan::empty(), |s, k| s.including(k.1));
        StagedSurveys {
            years,
            table: self.table,
            log: self.log,
            programmes: self.progs.staged,
            prog_base: self.prog_base,
            tallies: self.tallies,
        }
    }
}

/// A surveys table read and waiting for its turn to be committed.
pub(crate) struct StagedSurveys {
    /// The years of the tallies.
    years: YearSpan,
    pub(super) table: u32,
    pub log: IssueLog,
    programmes: Vec<(u32, String)>,
    prog_base: usize,
    tallies: FxHashMap<(u32, i32, u8), SurveyTally>,
}

impl StagedSurveys {
    /// Commits the tallies when the table has no error, with the
    /// programmes of the tables committed before it. Returns whether it was
    /// accepted.
    pub(crate) fn commit(self, b: &mut Builder<'_>) -> bool {
        let table = self.table;
        b.log.absorb(self.log);
        if b.rejects(table) {
            return false;
        }
        let (units, new_programmes) = b.place_programmes(self.programmes, self.prog_base);
        b.commit_programmes(new_programmes);
        b.span = spanning(b.span, self.years);
        for ((unit, year, kind), t) in self.tallies {
            b.surveys
                .entry((units.get(unit), year, kind))
                .or_default()
                .merge(&t);
        }
        if b.surveys_table.is_none() {
            b.surveys_table = Some(table);
        }
        true
    }
}

/// The index of a survey kind among [`ValueSet::Survey`]'s canonical values.
pub(crate) fn survey_index(kind: &str) -> Option<u8> {
    ValueSet::Survey
        .canonical()
        .iter()
        .position(|k| *k == kind)
        .map(|i| i as u8)
}

impl RowSink for SurveySink<'_, '_> {
    fn row<R: RowAccess>(&mut self, row: u64, r: &R) {
        let table = self.table;
        if r.cell(self.org).is_empty() && blank(r) {
            return;
        }
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
        let kind_cell = r.cell(self.survey);
        let kind = match kind_cell {
            Cell::Text(t) => self
                .memo
                .get(self.b.book, ValueSet::Survey, t)
                .and_then(survey_index),
            _ => None,
        };
        let Some(kind) = kind else {
            let col = self.name(self.survey);
            row_error(
                &mut self.log,
                table,
                row,
                r,
                IssueCode::BadValue,
                &col,
                kind_cell.display(),
                &expected_values(ValueSet::Survey),
                "unknown survey kind".into(),
            );
            return;
        };
        let unit = match self.programme {
            Some(c) => self.progs.unit(self.b, org, r.cell(c)),
            None => org,
        };
        let score_cell = r.cell(self.score);
        if score_cell.is_empty() {
            return; // no answer
        }
        let score = match number_of(score_cell, self.decimal_comma) {
            Some(v) if (1.0..=5.0).contains(&v) => v,
            Some(v) => {
                let col = self.name(self.score);
                self.log.add(
                    Some(table),
                    Severity::Warning,
                    IssueCode::OutOfRange,
                    || {
                        Finding::new("an answer outside the 1–5 scale is not counted")
                            .row(row)
                            .column(col)
                            .found(format_number(v))
                            .expected("a score from 1 to 5")
                    },
                );
                return;
            }
            None => {
                let col = self.name(self.score);
                row_error(
                    &mut self.log,
                    table,
                    row,
                    r,
                    IssueCode::BadValue,
                    &col,
                    score_cell.display(),
                    "a score from 1 to 5, or empty for no answer",
                    "cannot read the score".into(),
                );
                return;
            }
        };
        self.tallies
            .entry((unit, year, kind))
            .or_default()
            .add(score);
        if unit != org {
            self.tallies
                .entry((org, year, kind))
                .or_default()
                .add(score);
        }
    }
}

/// The survey kind of an index given by [`survey_index`].
pub(crate) fn survey_kind_name(index: u8) -> Option<&'static str> {
    ValueSet::Survey
        .canonical()
        .get(usize::from(index))
        .copied()
}
