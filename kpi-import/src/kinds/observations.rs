//! The `observations` table, long (`org_id, year, metric, value[, programme]`)
//! or wide (`org_id, year[, programme], <one column per metric>`); wide is
//! melted into long. This is the hot path of a national load.

use super::{blank, header, id_text, read_year, row_error, OrgLookup, ProgrammeLookup, RowSink};
use crate::aliases::Field;
use crate::builder::{sort_cells, spanning, Builder, IndexMap, StagedCell};
use crate::log::{Finding, IssueLog};
use crate::normalize::code_of;
use crate::schema::{metric_of, Columns};
use crate::table::{format_number, RawTable, RowAccess};
use crate::values::number_of;
use kpi_model::metrics::{MetricId, MetricKind};
use kpi_model::validate::{IssueCode, IssueId, Severity};
use kpi_model::YearSpan;
use rustc_hash::FxHashMap;

/// What a metric column or metric name resolves to.
#[derive(Clone, Copy)]
struct Target {
    /// The column, numbered in this table ([`LocalColumns`]).
    col: u32,
    /// The metric, when it is in the dictionary.
    metric: Option<MetricId>,
    /// Kind, when the metric is in the dictionary (unknown metrics are not range-checked).
    kind: Option<MetricKind>,
    /// For an unknown metric: its warning, carried by every value of it.
    issue: Option<IssueId>,
}

struct WideCol {
    col: usize,
    header: String,
    target: Target,
    /// Unknown header: stored as a new metric if it holds numbers.
    unknown: bool,
    numbers: u64,
    text: Option<(u64, String)>,
    /// What its values are multiplied by: the scale written in its header
    /// (`тыс. тенге`), or 1/100 for a percentage given for a 0–1 share.
    scale: f64,
}

#[derive(Default)]
struct Names {
    org: String,
    year: String,
    /// Long form: the metric and value headers.
    long: (String, String),
}

/// The metric of a column of this table: a dictionary metric, or the code
/// an unknown one is kept under (added to the dictionary at commit).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum ColMetric {
    Known(MetricId),
    Unknown(String),
}

/// The columns of this table, numbered in the order first seen. The
/// dataset's column set cannot change while tables are read side by side:
/// these become dataset columns when the table is committed.
#[derive(Default)]
struct LocalColumns {
    keys: Vec<(ColMetric, Option<String>)>,
    index: FxHashMap<(ColMetric, Option<String>), u32>,
}

impl LocalColumns {
    fn get(&mut self, metric: ColMetric, breakdown: Option<&str>) -> u32 {
        let key = (metric, breakdown.map(str::to_string));
        if let Some(&c) = self.index.get(&key) {
            return c;
        }
        let c = self.keys.len() as u32;
        self.keys.push(key.clone());
        self.index.insert(key, c);
        c
    }

    /// The code of a column's metric.
    fn code<'a>(&'a self, b: &'a Builder<'_>, col: u32) -> &'a str {
        match self.keys.get(col as usize) {
            Some((ColMetric::Known(id), _)) => b.registry.code(*id),
            Some((ColMetric::Unknown(code), _)) => code,
            None => "",
        }
    }
}

enum Mode {
    Long {
        metric_col: usize,
        value_col: usize,
        cache: FxHashMap<Box<str>, Target>,
        last: Option<(String, Target)>,
    },
    Wide(Vec<WideCol>),
}

pub(crate) struct ObsSink<'b, 'o> {
    b: &'b Builder<'o>,
    /// This table's issues (see [`IssueLog::fragment`]).
    pub log: IssueLog,
    pub(super) table: u32,
    /// Programmes committed when the table was read: its staged ones are numbered from there.
    prog_base: usize,
    columns: LocalColumns,
    decimal_comma: bool,
    org_col: usize,
    year_col: usize,
    prog_col: Option<usize>,
    names: Names,
    mode: Mode,
    scratch: Vec<(Target, f64, usize)>,
    pub(super) orgs: OrgLookup,
    progs: ProgrammeLookup,
    cells: Vec<StagedCell>,
    flags: Vec<(u32, u32, i32, IssueId)>,
    /// Cells holding a "no data" marker (`н/д`, `-`): how many, and the first (row, column, text).
    pub(super) markers: super::Markers,
}

/// A value times the scale of its column, without the binary noise of the
/// product (`46.1 × 1000` is 46100, not 46100.00000000001): the value read
/// had at most 15 significant digits, so the product is rounded to 15.
fn scaled(v: f64, scale: f64) -> f64 {
    if scale == 1.0 {
        return v;
    }
    let p = v * scale;
    format!("{p:.14e}").parse().unwrap_or(p)
}

/// The warning a value deserves for its metric's kind, if any.
fn range_issue(kind: MetricKind, v: f64) -> Option<(IssueCode, &'static str, &'static str)> {
    match kind {
        MetricKind::Count if v < 0.0 => Some((
            IssueCode::NegativeCount,
            "a negative count",
            "a count of 0 or more",
        )),
        MetricKind::Count if !crate::values::is_whole(v) => Some((
            IssueCode::FractionalCount,
            "a count that is not a whole number",
            "a whole number",
        )),
        MetricKind::Amount if v < 0.0 => Some((
            IssueCode::NegativeCount,
            "a negative amount",
            "an amount of 0 or more",
        )),
        MetricKind::Share if !(0.0..=1.0).contains(&v) => Some((
            IssueCode::ShareOutOfRange,
            "a share outside 0–1 (a percentage written where a share is expected?)",
            "a share between 0 and 1",
        )),
        MetricKind::Percent if !(0.0..=100.0).contains(&v) => Some((
            IssueCode::OutOfRange,
            "a percentage outside 0–100",
            "a percentage between 0 and 100",
        )),
        MetricKind::Flag if v != 0.0 && v != 1.0 => Some((
            IssueCode::OutOfRange,
            "a flag that is neither 0 nor 1",
            "0 or 1",
        )),
        MetricKind::Score if v < 0.0 => Some((
            IssueCode::OutOfRange,
            "a negative score",
            "a score of 0 or more",
        )),
        _ => None,
    }
}

/// Room for every cell `raw` can stage, reserved once: growing the vector
/// by doubling copied it ten times over for a national observations table
/// (a fifth of a second of the WebAssembly load). A row stages at most one
/// cell per value column (one in a long table), and a cell of a text file
/// takes at least two bytes (a character and a delimiter). Memory reserved
/// and never written is not resident, natively or in WebAssembly, and
/// [`ObsSink::seal`] gives back what is left; when a sheet holds more cells
/// or the reservation fails, the vector grows as it fills.
fn staged_cells_capacity(raw: &RawTable, mode: &Mode) -> Vec<StagedCell> {
    let per_row = match mode {
        Mode::Long { .. } => 1,
        Mode::Wide(cols) => cols.len(),
    };
    let mut cells = Vec::new();
    let _ = cells.try_reserve_exact(cells_at_most(raw, per_row));
    cells
}

/// The bound of [`staged_cells_capacity`] for `per_row` value columns.
fn cells_at_most(raw: &RawTable, per_row: usize) -> usize {
    let by_rows = raw.estimated_rows().saturating_mul(per_row);
    let by_bytes = usize::try_from(raw.bytes / 2).unwrap_or(usize::MAX);
    by_rows.min(by_bytes)
}

impl<'b, 'o> ObsSink<'b, 'o> {
    pub(crate) fn new(
        b: &'b Builder<'o>,
        table: u32,
        raw: &RawTable,
        cols: &Columns,
    ) -> Option<Self> {
        let mut columns = LocalColumns::default();
        // Headers of percentages given for 0–1 shares (divided by 100).
        let mut percent_shares: Vec<String> = Vec::new();
        let org_col = cols.get(Field::OrgId)?;
        let year_col = cols.get(Field::Year)?;
        let mode = if cols.is_long() {
            let metric_col = cols.get(Field::Metric)?;
            let value_col = cols.get(Field::Value)?;
            Mode::Long {
                metric_col,
                value_col,
                cache: FxHashMap::default(),
                last: None,
            }
        } else {
            let mut wide = Vec::with_capacity(cols.metrics.len());
            percent_shares.clear();
            for m in &cols.metrics {
                let (metric, known) = match &m.metric {
                    Ok(id) => (ColMetric::Known(*id), Some(*id)),
                    Err(code) => (ColMetric::Unknown(code.clone()), None),
                };
                let unknown = known.is_none();
                let kind = known.map(|id| b.registry.def(id).kind);
                let scale = match raw.units.get(m.col).and_then(Option::as_ref) {
                    Some(u) if u.percent && kind == Some(MetricKind::Share) => {
                        percent_shares.push(m.header.clone());
                        0.01
                    }
                    Some(u) => u.scale,
                    None => 1.0,
                };
                let col = columns.get(metric, m.breakdown.as_deref());
                wide.push(WideCol {
                    col: m.col,
                    header: m.header.clone(),
                    target: Target {
                        col,
                        metric: known,
                        kind: known.map(|id| b.registry.def(id).kind),
                        issue: None,
                    },
                    unknown,
                    numbers: 0,
                    text: None,
                    scale,
                });
            }
            if wide.is_empty() {
                return None;
            }
            Mode::Wide(wide)
        };
        let cells = staged_cells_capacity(raw, &mode);
        let mut sink = ObsSink {
            log: b.log.fragment(table),
            table,
            prog_base: b.programmes.len(),
            columns,
            decimal_comma: super::decimal_comma(raw),
            org_col,
            year_col,
            prog_col: cols.get(Field::Programme),
            names: Names {
                org: header(raw, org_col),
                year: header(raw, year_col),
                long: match &mode {
                    Mode::Long {
                        metric_col,
                        value_col,
                        ..
                    } => (header(raw, *metric_col), header(raw, *value_col)),
                    Mode::Wide(_) => Default::default(),
                },
            },
            mode,
            scratch: Vec::new(),
            orgs: OrgLookup::default(),
            progs: ProgrammeLookup::default(),
            cells,
            flags: Vec::new(),
            markers: super::Markers::default(),
            b,
        };
        if !percent_shares.is_empty() {
            let shown = percent_shares.join("», «");
            sink.log
                .add(Some(table), Severity::Note, IssueCode::Layout, || {
                    Finding::new(format!(
                        "«{shown}»: percentages given for metrics kept as shares from 0 to 1, so the values are divided by 100"
                    ))
                    .row(raw.header_row)
                });
        }
        Some(sink)
    }

    fn target_of_name(&mut self, name: &str, column: &str) -> Target {
        let b = self.b;
        if let Some((m, breakdown)) = metric_of(name, b.book, &b.index) {
            let col = self.columns.get(ColMetric::Known(m), breakdown.as_deref());
            return Target {
                col,
                metric: Some(m),
                kind: Some(b.registry.def(m).kind),
                issue: None,
            };
        }
        // Unknown: kept under its own code so a user catalogue can use it.
        let (base, breakdown) = match name.split_once('.') {
            Some((base, rest)) if !rest.trim().is_empty() => (base, Some(b.book.breakdown(rest))),
            _ => (name, None),
        };
        let code = code_of(base);
        let suggestion = b.index.closest(base, &b.registry).map(|(_, s)| s);
        let col = self
            .columns
            .get(ColMetric::Unknown(code.clone()), breakdown.as_deref());
        let table = self.table;
        let column = column.to_string();
        let shown = name.to_string();
        let issue = self.log.add(
            Some(table),
            Severity::Warning,
            IssueCode::UnknownMetric,
            || {
                Finding::new(format!(
                    "unknown metric `{shown}`: kept as `{code}` (listed once per table)"
                ))
                .column(column)
                .found(shown.clone())
                .expected("a metric code or alias of the dictionary")
                .suggestion(suggestion)
            },
        );
        Target {
            col,
            metric: None,
            kind: None,
            issue: Some(issue),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn stage<R: RowAccess>(
        &mut self,
        row: u64,
        r: &R,
        unit: u32,
        year: i32,
        target: Target,
        value: f64,
        column: &str,
    ) {
        if let (Some(kind), Some(metric)) = (target.kind, target.metric) {
            if let Some((code, what, expected)) = range_issue(kind, value) {
                let metric = self.b.registry.code(metric).to_string();
                let id = self.log.add(Some(self.table), Severity::Warning, code, || {
                    Finding::new(format!("{what} for `{metric}`"))
                        .row(row)
                        .column(column)
                        .found(format_number(value))
                        .expected(expected)
                });
                self.flags.push((unit, target.col, year, id));
            }
        }
        let _ = r;
        if let Some(id) = target.issue {
            self.flags.push((unit, target.col, year, id));
        }
        self.cells.push(StagedCell::new(
            unit,
            target.col,
            year,
            self.table,
            row.min(u64::from(u32::MAX)) as u32,
            value,
        ));
    }

    /// Ends the reading: reports text-only unknown columns and sorts the
    /// cells for the duplicate check. Nothing is committed yet.
    pub(crate) fn seal(mut self) -> StagedObs {
        let table = self.table;
        if let Mode::Wide(cols) = &self.mode {
            let mut dropped: Vec<u32> = Vec::new();
            let mut kept_unknown: Vec<(u32, IssueId)> = Vec::new();
            for c in cols.iter().filter(|c| c.unknown) {
                let b = self.b;
                let suggestion = {
                    let base = c.header.split('.').next().unwrap_or(&c.header);
                    b.index
                        .closest(base, &b.registry)
                        .map(|(_, s)| s)
                        .or_else(|| b.book.closest_field(base).map(|(_, s)| s))
                };
                let header = c.header.clone();
                let code = self.columns.code(b, c.target.col).to_string();
                let message = match (&c.text, c.numbers) {
                    (Some((row, t)), _) => {
                        dropped.push(c.target.col);
                        format!("unknown column `{header}` is ignored: it holds text (`{t}` at row {row}), not numbers")
                    }
                    (None, 0) => {
                        format!("unknown column `{header}` is ignored: it holds no values")
                    }
                    (None, _) => format!(
                        "unknown column `{header}`: its numbers are kept as metric `{code}`"
                    ),
                };
                let kept = c.text.is_none() && c.numbers > 0;
                let id = self.log.add(
                    Some(table),
                    Severity::Warning,
                    IssueCode::UnknownHeader,
                    || {
                        Finding::new(message)
                            .row(1)
                            .column(header.clone())
                            .found(header.clone())
                            .expected("a field or metric code, or one of their aliases")
                            .suggestion(suggestion)
                    },
                );
                if kept {
                    kept_unknown.push((c.target.col, id));
                }
            }
            // Values of a kept unknown column carry its warning.
            if !kept_unknown.is_empty() {
                for cell in &self.cells {
                    if let Some(&(_, id)) = kept_unknown.iter().find(|k| k.0 == cell.col()) {
                        self.flags.push((cell.unit, cell.col(), cell.year(), id));
                    }
                }
            }
            if !dropped.is_empty() {
                self.cells.retain(|c| !dropped.contains(&c.col()));
                self.flags.retain(|f| !dropped.contains(&f.1));
            }
        }
        // The room reserved for cells that were not there (empty cells).
        self.cells.shrink_to_fit();
        // One sort serves the duplicate check and the builder, which keeps
        // committed cells sorted. Rows break ties: cells of one key stay in
        // file order (two cells of one key in one row say the same).
        sort_cells(&mut self.cells);
        let years = self
            .cells
            .iter()
            .fold(YearSpan::empty(), |s, c| s.including(c.year()));
        StagedObs {
            wide: matches!(self.mode, Mode::Wide(_)),
            years,
            table,
            log: self.log,
            org_column: self.names.org,
            programmes: self.progs.staged,
            prog_base: self.prog_base,
            columns: self.columns.keys,
            cells: self.cells,
            flags: self.flags,
        }
    }
}

/// An observations table read and waiting for its turn to be committed.
pub(crate) struct StagedObs {
    /// Whether the table is wide (one column per metric): a repeated key is then one cell of its row.
    wide: bool,
    /// The years of the cells.
    years: YearSpan,
    pub(super) table: u32,
    pub log: IssueLog,
    org_column: String,
    programmes: Vec<(u32, String)>,
    prog_base: usize,
    /// Metric and breakdown of each column of the table, by local number.
    columns: Vec<(ColMetric, Option<String>)>,
    /// Sorted by [`cell_key`] (local units and columns), then row.
    cells: Vec<StagedCell>,
    flags: Vec<(u32, u32, i32, IssueId)>,
}

impl StagedObs {
    /// Gives the table's columns and programmes their dataset numbers,
    /// reports keys given twice (in this table, or by a table committed
    /// before), and commits when the table has no error. Returns whether it
    /// was accepted.
    pub(crate) fn commit(mut self, b: &mut Builder<'_>) -> bool {
        let table = self.table;
        // Columns join the dataset even when the table is rejected (its
        // unknown metrics are named in its messages).
        let cols = std::mem::take(&mut self.columns)
            .into_iter()
            .map(|(metric, breakdown)| {
                let metric = match metric {
                    ColMetric::Known(id) => id,
                    ColMetric::Unknown(code) => b.registry.intern(&code),
                };
                b.column(metric, breakdown.as_deref())
            })
            .collect();
        let cols = IndexMap::new(0, cols);
        let (units, new_programmes) =
            b.place_programmes(std::mem::take(&mut self.programmes), self.prog_base);
        if !cols.is_identity() || !units.is_identity() {
            for c in &mut self.cells {
                c.unit = units.get(c.unit);
                c.set_col(cols.get(c.col()));
            }
            for f in &mut self.flags {
                f.0 = units.get(f.0);
                f.1 = cols.get(f.1);
            }
            sort_cells(&mut self.cells);
        }
        self.check_duplicates(b, &new_programmes);
        let offset = b.log.absorb(self.log);
        if b.rejects(table) {
            return false;
        }
        for f in &mut self.flags {
            f.3 = IssueId(f.3 .0 + offset);
        }
        b.commit_programmes(new_programmes);
        b.span = spanning(b.span, self.years);
        b.commit_cells(self.cells);
        super::append(&mut b.flags, self.flags);
        true
    }

    /// Reports keys given twice, in this table or by a table committed
    /// before (cells are sorted by key, cells of one key in file order),
    /// and drops every repeat: the first value given is the one kept. A
    /// repeat with the same value is a warning, one with another value an
    /// error (its row is rejected).
    fn check_duplicates(&mut self, b: &Builder<'_>, new_programmes: &[(u32, String)]) {
        let key = |c: &StagedCell| c.key();
        // (repeat, the first cell of its key in this table, if there).
        let mut dups: Vec<(usize, Option<usize>)> = Vec::new();
        let mut first = 0usize;
        for i in 1..self.cells.len() {
            if key(&self.cells[i]) == key(&self.cells[first]) {
                dups.push((i, Some(first)));
            } else {
                first = i;
            }
        }
        if !b.cells.is_empty() {
            let repeats: rustc_hash::FxHashSet<usize> = dups.iter().map(|d| d.0).collect();
            for (i, c) in self.cells.iter().enumerate() {
                if !repeats.contains(&i) && b.has_cell(key(c)) {
                    dups.push((i, None));
                }
            }
        }
        if dups.is_empty() {
            return;
        }
        dups.sort_by_key(|d| self.cells[d.0].row);
        let mut drop = vec![false; self.cells.len()];
        for &(i, first) in &dups {
            drop[i] = true;
            let c = self.cells[i];
            let (org, prog) = b.describe_unit(c.unit, new_programmes);
            let col_key = b.columns[c.col() as usize];
            let metric = b.column_name(col_key);
            let programme = prog.map(|p| format!(", programme {p}")).unwrap_or_default();
            let here = format_number(c.value);
            let (message, same) = match first {
                Some(f) => {
                    let kept = self.cells[f];
                    let same = kept.value == c.value;
                    let message = if same {
                        format!("org `{org}`, year {}, metric `{metric}`{programme} is given twice with the same value {here} (first at row {}): counted once", c.year(), kept.row)
                    } else {
                        format!("org `{org}`, year {}, metric `{metric}`{programme} is given twice: {} at row {} and {here} here; the first is kept", c.year(), format_number(kept.value), kept.row)
                    };
                    (message, same)
                }
                None => (
                    format!("org `{org}`, year {}, metric `{metric}`{programme} is already given by another observations table: this value ({here}) is not loaded", c.year()),
                    false,
                ),
            };
            let column = self.org_column.clone();
            let table = self.table;
            let row = u64::from(c.row);
            let severity = if same {
                Severity::Warning
            } else {
                Severity::Error
            };
            let reason = message.clone();
            self.log
                .add(Some(table), severity, IssueCode::DuplicateKey, || {
                    Finding::new(message)
                        .row(row)
                        .column(column)
                        .expected("one value per org_id, year, metric and programme")
                });
            if !same {
                if self.wide {
                    // One value of a wide row: the rest of the row loads.
                    self.log.reject_cell(table);
                } else {
                    self.log.reject_row(table, row, Vec::new, reason);
                }
            }
        }
        let mut i = 0;
        self.cells.retain(|_| {
            i += 1;
            !drop[i - 1]
        });
    }
}

impl ObsSink<'_, '_> {
    fn long_target(&mut self, name: &str, column: &str) -> Target {
        if let Mode::Long { cache, last, .. } = &self.mode {
            if let Some((n, t)) = last {
                if crate::normalize::same_text(n, name) {
                    return *t;
                }
            }
            if let Some(t) = cache.get(name) {
                let t = *t;
                self.remember(name, t);
                return t;
            }
        }
        let t = self.target_of_name(name, column);
        if let Mode::Long { cache, .. } = &mut self.mode {
            cache.insert(name.into(), t);
        }
        self.remember(name, t);
        t
    }

    fn remember(&mut self, name: &str, t: Target) {
        if let Mode::Long { last, .. } = &mut self.mode {
            match last {
                Some((n, old)) => {
                    n.clear();
                    n.push_str(name);
                    *old = t;
                }
                None => *last = Some((name.to_string(), t)),
            }
        }
    }

    fn expected_number(&self) -> &'static str {
        if self.decimal_comma {
            "a number (decimal comma or point)"
        } else {
            "a number (decimal point: the separator is a comma)"
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn long_row<R: RowAccess>(
        &mut self,
        row: u64,
        r: &R,
        unit: u32,
        year: i32,
        metric_col: usize,
        value_col: usize,
        names: &(String, String),
    ) {
        let value_cell = r.cell(value_col);
        if value_cell.is_empty() {
            return;
        }
        let mut buf = String::new();
        let metric_cell = r.cell(metric_col);
        let Some(name) = id_text(&metric_cell, &mut buf) else {
            row_error(
                &mut self.log,
                self.table,
                row,
                r,
                IssueCode::BadValue,
                &names.0,
                metric_cell.display(),
                "a metric code",
                "the metric is empty".into(),
            );
            return;
        };
        let target = self.long_target(name, &names.0);
        match number_of(value_cell, self.decimal_comma) {
            Some(v) => self.stage(row, r, unit, year, target, v, &names.1),
            None if self.markers.seen(row, || names.1.clone(), value_cell) => {}
            None => {
                let expected = self.expected_number();
                row_error(
                    &mut self.log,
                    self.table,
                    row,
                    r,
                    IssueCode::BadValue,
                    &names.1,
                    value_cell.display(),
                    expected,
                    "cannot read the value as a number".into(),
                )
            }
        }
    }

    fn wide_row<R: RowAccess>(&mut self, row: u64, r: &R, unit: u32, year: i32) {
        let Mode::Wide(cols) = &mut self.mode else {
            return;
        };
        let mut pending = std::mem::take(&mut self.scratch);
        pending.clear();
        let mut errors: Vec<(usize, String)> = Vec::new();
        for (i, c) in cols.iter_mut().enumerate() {
            let cell = r.cell(c.col);
            if cell.is_empty() {
                continue;
            }
            match number_of(cell, self.decimal_comma) {
                Some(v) => {
                    c.numbers += 1;
                    pending.push((c.target, scaled(v, c.scale), i));
                }
                None if self.markers.seen(row, || c.header.clone(), cell) => {}
                None if c.unknown => {
                    if c.text.is_none() {
                        c.text = Some((row, cell.display()));
                    }
                }
                None => errors.push((i, cell.display())),
            }
        }
        let expected = self.expected_number();
        for (i, found) in errors {
            // One unreadable cell loses that value only: the rest of the row loads.
            let header = self.wide_header(i);
            let table = self.table;
            self.log
                .add(Some(table), Severity::Error, IssueCode::BadValue, || {
                    Finding::new("cannot read the value as a number: this value is not loaded (the rest of the row is)")
                        .row(row)
                        .column(header)
                        .found(found)
                        .expected(expected)
                });
            self.log.reject_cell(table);
        }
        for &(target, v, i) in &pending {
            if target.kind.is_some()
                && range_issue(target.kind.unwrap_or(MetricKind::Amount), v).is_some()
            {
                let header = self.wide_header(i);
                self.stage(row, r, unit, year, target, v, &header);
            } else {
                self.stage(row, r, unit, year, target, v, "");
            }
        }
        self.scratch = pending;
    }

    fn wide_header(&self, i: usize) -> String {
        match &self.mode {
            Mode::Wide(cols) => cols.get(i).map(|c| c.header.clone()).unwrap_or_default(),
            Mode::Long { .. } => String::new(),
        }
    }
}

impl RowSink for ObsSink<'_, '_> {
    fn row<R: RowAccess>(&mut self, row: u64, r: &R) {
        let table = self.table;
        if r.cell(self.org_col).is_empty() && blank(r) {
            return;
        }
        let names = std::mem::take(&mut self.names);
        self.row_inner(row, r, table, &names);
        self.names = names;
    }
}

impl ObsSink<'_, '_> {
    fn row_inner<R: RowAccess>(&mut self, row: u64, r: &R, table: u32, names: &Names) {
        let Some(org) = self.orgs.resolve(
            self.b,
            &mut self.log,
            table,
            row,
            r,
            self.org_col,
            &names.org,
        ) else {
            return;
        };
        let Some(year) = read_year(&mut self.log, table, row, r, self.year_col, &names.year) else {
            return;
        };
        let unit = match self.prog_col {
            Some(c) => self.progs.unit(self.b, org, r.cell(c)),
            None => org,
        };
        match self.mode {
            Mode::Long {
                metric_col,
                value_col,
                ..
            } => self.long_row(row, r, unit, year, metric_col, value_col, &names.long),
            Mode::Wide(_) => self.wide_row(row, r, unit, year),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cells_at_most;
    use crate::aliases::AliasBook;
    use crate::limits::Limits;

    fn raw(text: &str) -> crate::table::RawTable {
        let book = AliasBook::builtin();
        crate::csv_text::open("observations.csv", text.into(), &Limits::default(), &book)
    }

    #[test]
    fn room_for_cells_is_rows_times_value_columns_within_half_the_bytes() {
        // Three data lines and the end after the last newline: at most 4 rows.
        let narrow =
            "org_id,year,students_enrolled,teachers_total\nA,2023,10,2\nB,2023,,3\nC,2023,5,\n";
        assert_eq!(cells_at_most(&raw(narrow), 2), 4 * 2);
        assert_eq!(cells_at_most(&raw(narrow), 1), 4);
        // A thousand value columns a row would not fit in the file's bytes,
        // which bound it instead.
        assert!(narrow.len() / 2 < 4 * 1000, "a case the bytes bound");
        assert_eq!(cells_at_most(&raw(narrow), 1000), narrow.len() / 2);
    }
}
