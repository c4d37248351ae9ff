//! The `organisations` table: one row per organisation, unique `org_id`.

use super::{blank, expected_values, header, id_text, row_error, RowSink, ValueMemo};
use crate::aliases::{Field, ValueSet};
use crate::builder::Builder;
use crate::log::Finding;
use crate::schema::Columns;
use crate::table::{Cell, RawTable, RowAccess};
use kpi_model::validate::{IssueCode, Severity};
use kpi_model::{Level, Locality, Organisation, Ownership};
use rustc_hash::FxHashMap;

pub(crate) struct OrgSink<'b, 'o> {
    pub b: &'b mut Builder<'o>,
    table: u32,
    c: Cols,
    names: Names,
    staged: Vec<Organisation>,
    /// Row and name of each org_id read so far in this table.
    seen: FxHashMap<String, (u64, String)>,
    memo: ValueMemo,
    buf: String,
    /// Totals rows met (skipped, with one note).
    pub totals: super::TotalsRows,
    /// Organisations of a flat export: one row per organisation and year,
    /// so a repeated org_id is expected (its first row's attributes are used).
    pub flat: bool,
    /// Region spellings read as another spelling of a region seen before,
    /// and the row of the first such reading.
    unified: Vec<(String, String)>,
    unified_at: u64,
    /// The name kept for each region spelling read so far: a national table
    /// spells a score of regions on tens of thousands of rows, and matching a
    /// spelling lowercases it.
    region_of: FxHashMap<String, String>,
}

struct Cols {
    id: usize,
    name: usize,
    level: usize,
    region: usize,
    kk: Option<usize>,
    ru: Option<usize>,
    en: Option<usize>,
    ownership: Option<usize>,
    locality: Option<usize>,
}

struct Names {
    id: String,
    level: String,
    region: String,
    ownership: String,
    locality: String,
}

fn text(cell: Cell<'_>) -> Option<String> {
    match cell {
        Cell::Text(t) => Some(t.to_string()),
        Cell::Number(_) | Cell::Bool(_) => Some(cell.display()),
        _ => None,
    }
}

impl<'b, 'o> OrgSink<'b, 'o> {
    /// `None` when a required column is missing (already reported).
    pub(crate) fn new(
        b: &'b mut Builder<'o>,
        table: u32,
        raw: &RawTable,
        cols: &Columns,
    ) -> Option<Self> {
        let c = Cols {
            id: cols.get(Field::OrgId)?,
            name: cols.get(Field::Name)?,
            level: cols.get(Field::Level)?,
            region: cols.get(Field::Region)?,
            kk: cols.get(Field::NameKk),
            ru: cols.get(Field::NameRu),
            en: cols.get(Field::NameEn),
            ownership: cols.get(Field::Ownership),
            locality: cols.get(Field::Locality),
        };
        let names = Names {
            id: header(raw, c.id),
            level: header(raw, c.level),
            region: header(raw, c.region),
            ownership: c.ownership.map(|i| header(raw, i)).unwrap_or_default(),
            locality: c.locality.map(|i| header(raw, i)).unwrap_or_default(),
        };
        Some(OrgSink {
            b,
            table,
            c,
            names,
            staged: Vec::new(),
            seen: FxHashMap::default(),
            memo: ValueMemo::default(),
            buf: String::new(),
            totals: super::TotalsRows::default(),
            flat: false,
            unified: Vec::new(),
            region_of: FxHashMap::default(),
            unified_at: 0,
        })
    }

    /// The name a region is kept under: the first spelling the dataset used
    /// for it, so that `г. Астана` and `Астана қаласы` are one region.
    fn region_name(&mut self, written: String, row: u64) -> String {
        // The first spelling of a region is kept for good, so a spelling's
        // name never changes once known.
        if let Some(kept) = self.region_of.get(&written) {
            return kept.clone();
        }
        let kept = self.region_name_new(&written, row);
        self.region_of.insert(written, kept.clone());
        kept
    }

    /// [`Self::region_name`] of a spelling met for the first time in this
    /// table (so noted at most once).
    fn region_name_new(&mut self, written: &str, row: u64) -> String {
        let Some(region) = self.b.book.region(written) else {
            return written.to_string();
        };
        let kept = self
            .b
            .region_names
            .entry(region.to_string())
            .or_insert_with(|| written.to_string())
            .clone();
        if kept != written {
            if self.unified.is_empty() {
                self.unified_at = row;
            }
            self.unified.push((written.to_string(), kept.clone()));
        }
        kept
    }

    /// The note of the region spellings read as one region, once per table.
    pub(crate) fn note_regions(&mut self) {
        if self.unified.is_empty() {
            return;
        }
        let pairs: Vec<String> = self
            .unified
            .iter()
            .take(8)
            .map(|(w, k)| format!("«{w}» as «{k}»"))
            .collect();
        let more = self.unified.len().saturating_sub(8);
        let message = format!(
            "region names written differently are read as one region: {}{}",
            pairs.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
        let column = self.names.region.clone();
        let row = self.unified_at;
        self.b
            .log
            .add(Some(self.table), Severity::Note, IssueCode::Layout, || {
                Finding::new(message).row(row).column(column)
            });
    }

    /// Adds the organisations to the dataset (the table had no error).
    pub(crate) fn commit(self) {
        self.b.org_index.reserve(self.staged.len());
        self.b.orgs.reserve(self.staged.len());
        for org in self.staged {
            let idx = self.b.orgs.len() as u32;
            self.b.org_index.insert(org.id.as_str().into(), idx);
            self.b.orgs.push(org);
        }
    }

    fn optional_enum<R: RowAccess, T>(
        &mut self,
        row: u64,
        r: &R,
        col: Option<usize>,
        set: ValueSet,
        parse: fn(&str) -> Option<T>,
        column: &str,
    ) -> Result<Option<T>, ()> {
        let Some(col) = col else { return Ok(None) };
        let cell = r.cell(col);
        let t = match cell {
            Cell::Empty => return Ok(None),
            Cell::Text(t) => t,
            other => {
                row_error(
                    &mut self.b.log,
                    self.table,
                    row,
                    r,
                    IssueCode::BadValue,
                    column,
                    other.display(),
                    &expected_values(set),
                    format!("cannot read the {}", set.code()),
                );
                return Err(());
            }
        };
        match self.memo.get(self.b.book, set, t).and_then(parse) {
            Some(v) => Ok(Some(v)),
            None => {
                row_error(
                    &mut self.b.log,
                    self.table,
                    row,
                    r,
                    IssueCode::BadValue,
                    column,
                    t.to_string(),
                    &expected_values(set),
                    format!("unknown {} `{t}`", set.code()),
                );
                Err(())
            }
        }
    }
}

impl RowSink for OrgSink<'_, '_> {
    fn row<R: RowAccess>(&mut self, row: u64, r: &R) {
        let before = self.b.log.rows_rejected(self.table);
        self.read_row(row, r);
        if self.b.log.rows_rejected(self.table) > before {
            // Remembered so that rows of other tables naming it say why it is unknown.
            if let Some(id) = id_text(&r.cell(self.c.id), &mut self.buf) {
                if !self.seen.contains_key(id) && !self.b.org_index.contains_key(id) {
                    let id: Box<str> = id.into();
                    self.b.rejected_orgs.entry(id).or_insert((self.table, row));
                }
            }
        }
    }
}

impl OrgSink<'_, '_> {
    fn read_row<R: RowAccess>(&mut self, row: u64, r: &R) {
        let id_cell = r.cell(self.c.id);
        let totals_label = match id_cell {
            Cell::Text(t) => super::super::layout::is_totals_label(t),
            _ => false,
        };
        if (totals_label || id_cell.is_empty()) && self.totals.skip(row, r) {
            return;
        }
        let Some(id) = id_text(&id_cell, &mut self.buf).map(str::to_string) else {
            if !blank(r) {
                row_error(
                    &mut self.b.log,
                    self.table,
                    row,
                    r,
                    IssueCode::BadValue,
                    &self.names.id.clone(),
                    id_cell.display(),
                    "an organisation identifier",
                    "org_id is empty".into(),
                );
            }
            return;
        };
        let table = self.table;
        let name_here = text(r.cell(self.c.name)).unwrap_or_default();
        let earlier = match self.seen.get(&id) {
            Some((first, name)) => Some((*first, name.clone())),
            None => self.b.org_index.get(id.as_str()).map(|&i| {
                let name = self
                    .b
                    .orgs
                    .get(i as usize)
                    .map(|o| o.name.clone())
                    .unwrap_or_default();
                (0, name)
            }),
        };
        if let Some((first, first_name)) = earlier {
            if self.flat && first > 0 {
                if first_name != name_here {
                    let shown = name_here.clone();
                    self.b.log.add(Some(table), Severity::Warning, IssueCode::Other, || {
                        Finding::new(format!(
                            "org_id `{id}` is named `{first_name}` at row {first} and `{shown}` here: the first name is used"
                        ))
                        .row(row)
                        .found(shown.clone())
                    });
                }
                return;
            }
            let mut message = if first > 0 {
                format!("org_id `{id}` appears again (first at row {first})")
            } else {
                format!("org_id `{id}` is already listed in another organisations table")
            };
            // Two organisations under one code is worse than a repeated row:
            // say which names collide so the user can tell which one is wrong.
            let clash = first_name != name_here;
            if clash {
                message.push_str(&format!(
                    " with a different name: `{first_name}` there, `{name_here}` here"
                ));
                if first > 0 {
                    // Which of the two the code means cannot be told: neither is
                    // loaded (rows of other tables naming it say so).
                    message.push_str(&format!(
                        "; neither row is loaded (row {first} is rejected too)"
                    ));
                    self.staged.retain(|o| o.id != id);
                    let first_row = first;
                    self.b.log.keep_rejected_row(
                        table,
                        first_row,
                        Vec::new,
                        format!("org_id `{id}` is given again at row {row} with a different name"),
                    );
                    self.b
                        .rejected_orgs
                        .insert(id.as_str().into(), (table, first_row));
                }
            } else {
                message.push_str(": this row is rejected, the first is kept");
            }
            row_error(
                &mut self.b.log,
                table,
                row,
                r,
                IssueCode::DuplicateKey,
                &self.names.id.clone(),
                id,
                "a unique org_id",
                message,
            );
            return;
        }
        self.seen.insert(id.clone(), (row, name_here));
        let level_cell = r.cell(self.c.level);
        let level = match level_cell {
            Cell::Text(t) => self
                .memo
                .get(self.b.book, ValueSet::Level, t)
                .and_then(Level::from_code),
            _ => None,
        };
        let Some(level) = level else {
            let message = if level_cell.is_empty() {
                "the level is empty".to_string()
            } else {
                format!("unknown level `{}`", level_cell.display())
            };
            row_error(&mut self.b.log, table, row, r, IssueCode::BadValue, &self.names.level.clone(), level_cell.display(), "one of preschool, school, college, university (or балабақша, мектеп, колледж, ЖОО / детский сад, школа, колледж, вуз)", message);
            return;
        };
        let Some(region) = text(r.cell(self.c.region)) else {
            row_error(
                &mut self.b.log,
                table,
                row,
                r,
                IssueCode::BadValue,
                &self.names.region.clone(),
                String::new(),
                "the region's name",
                "the region is empty".into(),
            );
            return;
        };
        let region = self.region_name(region, row);
        let own_col = self.names.ownership.clone();
        let Ok(ownership) = self.optional_enum(
            row,
            r,
            self.c.ownership,
            ValueSet::Ownership,
            Ownership::from_code,
            &own_col,
        ) else {
            return;
        };
        let loc_col = self.names.locality.clone();
        let Ok(locality) = self.optional_enum(
            row,
            r,
            self.c.locality,
            ValueSet::Locality,
            Locality::from_code,
            &loc_col,
        ) else {
            return;
        };
        let name = text(r.cell(self.c.name)).unwrap_or_else(|| id.clone());
        let opt = |c: Option<usize>| c.and_then(|c| text(r.cell(c)));
        self.staged.push(Organisation {
            id,
            name,
            name_kk: opt(self.c.kk),
            name_ru: opt(self.c.ru),
            name_en: opt(self.c.en),
            level,
            region,
            ownership,
            locality,
        });
    }
}
