//! `table`: the numbers as a data structure for an accessible, sortable HTML table and a CSV
//! export, also drawn on the canvas (the rows that fit, then how many are not shown).
//!
//! Every other kind also yields a [`TableModel`] of exactly the data it shows (built from its
//! hit map), which the widgets offer to screen readers and as CSV.

use super::opt_text;
use crate::geom::{Point, Rect};
use crate::hit::{DataPoint, HitMap, HitShape, LaneAxis};
use crate::layout::{Ctx, Font};
use crate::scene::{Align, Stroke};
use crate::spec::{finite, Text, UnitText, ValueUnit};
use crate::strings::{ChartStrings, Msg};
use crate::text::escape_markup;
use kpi_model::i18n::{format_academic_year, Lang};
use kpi_model::Year;
use serde::{Deserialize, Serialize};

/// Input of the `table` chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TableData {
    /// The columns.
    pub columns: Vec<TableColumn>,
    /// The rows, one cell per column (missing cells are empty).
    pub rows: Vec<Vec<TableCell>>,
    /// Sort by this column …
    pub sort_by: Option<usize>,
    /// … descending.
    pub descending: bool,
    /// Title.
    pub title: Option<Text>,
    /// A note under the table (source, definition).
    pub caption: Option<Text>,
}

/// A column of a table.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TableColumn {
    /// Machine key (CSV header).
    pub key: String,
    /// Header shown.
    pub label: Text,
    /// Unit of numeric cells (formats them; `None` for text columns).
    pub unit: Option<ValueUnit>,
    /// Decimals of numeric cells (default by unit).
    pub decimals: Option<usize>,
}

/// A cell: a number, a text, or a number that is not computable with its reason.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TableCell {
    /// The number.
    pub value: Option<f64>,
    /// A text (used when there is no number).
    pub text: Option<Text>,
    /// Why a number is not computable.
    pub reason: Option<Text>,
}

impl TableCell {
    /// A numeric cell.
    pub fn number(value: f64) -> Self {
        TableCell {
            value: Some(value),
            ..Default::default()
        }
    }
    /// A text cell.
    pub fn text(text: impl Into<Text>) -> Self {
        TableCell {
            text: Some(text.into()),
            ..Default::default()
        }
    }
}

/// A table ready for HTML and CSV: headers, displayed cells, exact values and notes.
///
/// ```
/// use kpi_chart::{layout_chart, ChartInput, ChartOptions, Size, TableCell, TableColumn, TableData, ValueUnit};
/// use kpi_model::i18n::Lang;
/// let data = TableData {
///     columns: vec![
///         TableColumn { key: "org".into(), label: "Организация".into(), ..Default::default() },
///         TableColumn { key: "rate".into(), label: "Трудоустройство".into(), unit: Some(ValueUnit::Percent), ..Default::default() },
///     ],
///     rows: vec![vec![TableCell::text("Колледж №1"), TableCell::number(1234.5)]],
///     ..Default::default()
/// };
/// let opts = ChartOptions { lang: Lang::Ru, ..Default::default() };
/// let chart = layout_chart(&ChartInput::Table(data), Size::new(400.0, 200.0), &opts).unwrap();
/// assert_eq!(chart.table().rows[0][1], "1\u{a0}234,5\u{a0}%");
/// assert_eq!(chart.table().to_csv(), "org,rate\nКолледж №1,1234.5\n");
/// assert!(chart.table().to_html().contains("<th scope=\"col\">Трудоустройство</th>"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TableModel {
    /// Title (the HTML caption).
    pub title: String,
    /// Machine keys of the columns (CSV header).
    pub keys: Vec<String>,
    /// Headers in the display language.
    pub headers: Vec<String>,
    /// Whether each column is numeric (right-aligned, sortable by value).
    pub numeric: Vec<bool>,
    /// Cells as displayed.
    pub rows: Vec<Vec<String>>,
    /// Exact values for the CSV (full precision, `.` decimal), `None` for texts.
    pub values: Vec<Vec<Option<f64>>>,
    /// Notes under the table.
    pub notes: Vec<String>,
    /// The column the rows are sorted by (a `table` chart's `sort_by`; its note comes first).
    pub sorted_by: Option<usize>,
    /// Whether that sort is descending.
    pub descending: bool,
    /// The column whose cells head their rows (`<th scope=row>`), when the table says.
    pub row_header: Option<usize>,
}

impl TableModel {
    /// CSV of the data (RFC 4180 quoting, machine-readable numbers: full precision, `.`
    /// decimal, no grouping; a not-computable number is an empty field).
    pub fn to_csv(&self) -> String {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        // Writing to memory cannot fail; a record that could not be written is left out.
        let _ = w.write_record(&self.keys);
        for (r, row) in self.rows.iter().enumerate() {
            let cells = row.iter().enumerate().map(|(c, shown)| {
                match self.values.get(r).and_then(|v| v.get(c)).copied().flatten() {
                    Some(v) => format!("{v}"),
                    None if self.numeric.get(c).copied().unwrap_or(false) => String::new(),
                    None => shown.clone(),
                }
            });
            let _ = w.write_record(cells);
        }
        w.into_inner()
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default()
    }

    /// An accessible HTML table (caption, `th scope`, numeric cells marked), text escaped.
    pub fn to_html(&self) -> String {
        let mut out = String::from("<table>");
        if !self.title.is_empty() {
            out.push_str(&format!(
                "<caption>{}</caption>",
                escape_markup(&self.title)
            ));
        }
        out.push_str("<thead><tr>");
        for h in &self.headers {
            out.push_str(&format!("<th scope=\"col\">{}</th>", escape_markup(h)));
        }
        out.push_str("</tr></thead><tbody>");
        for row in &self.rows {
            out.push_str("<tr>");
            for (c, cell) in row.iter().enumerate() {
                if self.numeric.get(c).copied().unwrap_or(false) {
                    out.push_str(&format!(
                        "<td data-numeric=\"true\">{}</td>",
                        escape_markup(cell)
                    ));
                } else {
                    out.push_str(&format!("<td>{}</td>", escape_markup(cell)));
                }
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table>");
        out
    }

    /// Row order sorted by column `col` (numbers by value, missing last; texts by text).
    pub fn sorted_order(&self, col: usize, descending: bool) -> Vec<usize> {
        let numeric = self.numeric.get(col).copied().unwrap_or(false);
        super::stable_order(self.rows.len(), &|a, b| {
            if numeric {
                let va = self
                    .values
                    .get(a)
                    .and_then(|r| r.get(col))
                    .copied()
                    .flatten();
                let vb = self
                    .values
                    .get(b)
                    .and_then(|r| r.get(col))
                    .copied()
                    .flatten();
                match (va, vb) {
                    (Some(x), Some(y)) => {
                        if descending {
                            y.total_cmp(&x)
                        } else {
                            x.total_cmp(&y)
                        }
                    }
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                }
            } else {
                let ta = self
                    .rows
                    .get(a)
                    .and_then(|r| r.get(col))
                    .map(String::as_str)
                    .unwrap_or("");
                let tb = self
                    .rows
                    .get(b)
                    .and_then(|r| r.get(col))
                    .map(String::as_str)
                    .unwrap_or("");
                if descending {
                    tb.cmp(ta)
                } else {
                    ta.cmp(tb)
                }
            }
        })
    }
}

/// The table of a `table` input: cells formatted in `lang`, rows in the requested order.
pub(crate) fn model(d: &TableData, lang: Lang, strings: &ChartStrings) -> TableModel {
    let mut m = TableModel {
        title: opt_text(d.title.as_ref(), lang).unwrap_or_default(),
        keys: d
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if c.key.is_empty() {
                    format!("col{}", i + 1)
                } else {
                    c.key.clone()
                }
            })
            .collect(),
        headers: d
            .columns
            .iter()
            .map(|c| c.label.get(lang).to_string())
            .collect(),
        numeric: d.columns.iter().map(|c| c.unit.is_some()).collect(),
        ..Default::default()
    };
    for row in &d.rows {
        let mut shown = Vec::with_capacity(d.columns.len());
        let mut values = Vec::with_capacity(d.columns.len());
        for (i, col) in d.columns.iter().enumerate() {
            let cell = row.get(i);
            let v = cell.and_then(|c| finite(c.value));
            let text = match (v, &col.unit) {
                (Some(v), Some(u)) => u.format(v, col.decimals, lang, strings),
                (Some(v), None) => {
                    kpi_model::i18n::format_number(v, col.decimals.unwrap_or(1), lang)
                }
                (None, _) => match cell.and_then(|c| c.text.as_ref()) {
                    Some(t) => t.get(lang).to_string(),
                    // Not computable, with the reason when there is one.
                    None if col.unit.is_some() && cell.is_some() => {
                        let nc = strings.get(Msg::NotComputable, lang);
                        match cell.and_then(|c| opt_text(c.reason.as_ref(), lang)) {
                            Some(reason) => format!("{nc}: {reason}"),
                            None => nc.to_string(),
                        }
                    }
                    None => String::new(),
                },
            };
            shown.push(text);
            values.push(v);
        }
        m.rows.push(shown);
        m.values.push(values);
    }
    if let Some(col) = d.sort_by.filter(|c| *c < d.columns.len()) {
        let order = m.sorted_order(col, d.descending);
        m.rows = order
            .iter()
            .filter_map(|&i| m.rows.get(i).cloned())
            .collect();
        m.values = order
            .iter()
            .filter_map(|&i| m.values.get(i).cloned())
            .collect();
        if let Some(h) = m.headers.get(col) {
            m.notes
                .push(strings.fill(Msg::SortedBy, lang, &[("column", h)]));
        }
        m.sorted_by = Some(col);
        m.descending = d.descending;
    }
    if let Some(c) = opt_text(d.caption.as_ref(), lang) {
        m.notes.push(c);
    }
    m
}

/// The data a chart shows, from its hit map: one row per data point.
pub(crate) fn from_hits(hits: &HitMap, lang: Lang, strings: &ChartStrings) -> TableModel {
    let t = |m: Msg| strings.get(m, lang).to_string();
    let mut m = TableModel {
        keys: [
            "label",
            "series",
            "year",
            "value",
            "value_text",
            "unit",
            "n",
            "details",
            "note",
        ]
        .map(String::from)
        .to_vec(),
        headers: vec![
            t(Msg::Organisation),
            t(Msg::Indicator),
            t(Msg::AcademicYear),
            t(Msg::Value),
            t(Msg::Value),
            t(Msg::Unit),
            "n".into(),
            String::new(),
            t(Msg::Reason),
        ],
        numeric: vec![false, false, false, true, false, false, true, false, false],
        ..Default::default()
    };
    if let Some(h) = m.headers.get_mut(7) {
        *h = "…".into();
    }
    for p in &hits.points {
        m.rows.push(point_row(&p));
        m.values.push(vec![
            None,
            None,
            None,
            p.value.filter(|v| v.is_finite()),
            None,
            None,
            p.n.map(f64::from),
            None,
            None,
        ]);
    }
    m
}

/// What makes the rows of a kind's data table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RowBy {
    /// One row per academic year (trend, kpi-card, risk-gauge).
    Year,
    /// One row per point label (an organisation, a criterion).
    Label,
    /// One row per series (the families of a radar).
    Series,
}

/// How a kind's hit map becomes its data table ([`pivot`]).
pub(crate) struct Pivot {
    /// What the rows are.
    pub rows: RowBy,
    /// Header of the row-header column.
    pub row_header: Msg,
    /// Header of the value column.
    pub value_header: String,
    /// Whether series other than the first get their own value column (trend: peer
    /// median, forecast); otherwise every point's value goes to the value column.
    pub series_columns: bool,
}

/// The data table of a kind from its hit map: the row header first; then the value of
/// each series drawn, each detail given in a tooltip, `n` and a note with the reasons.
/// Cells are the displayed texts (the widget's language, units); numbers keep their exact
/// value to sort by; a header appears once; columns empty in every row are left out. The
/// kinds then reshape it (`kinds::*::table`).
pub(crate) fn pivot(hits: &HitMap, spec: &Pivot, lang: Lang, strings: &ChartStrings) -> TableModel {
    pivot_where(hits, &|_| true, spec, lang, strings)
}

/// [`pivot`] of the points `keep` keeps.
pub(crate) fn pivot_where(
    hits: &HitMap,
    keep: &dyn Fn(&crate::hit::DataPoint) -> bool,
    spec: &Pivot,
    lang: Lang,
    strings: &ChartStrings,
) -> TableModel {
    let t = |m: Msg| strings.get(m, lang).to_string();
    let mut m = TableModel {
        keys: vec!["row".into()],
        headers: vec![t(spec.row_header)],
        numeric: vec![false],
        row_header: Some(0),
        ..Default::default()
    };
    let note_header = t(Msg::Note);
    let rank_header = t(Msg::Rank);
    let mut first_series: Option<String> = None;
    // Row of each row header, and each row's year (rows by year are sorted by it at the
    // end): one lookup per point, so 166,650 points make their table in linear time.
    // Sized for a row per point (a long trend's rows are its years): no rehashing.
    let mut row_of: std::collections::HashMap<String, usize> =
        std::collections::HashMap::with_capacity(hits.points.len());
    let mut row_years: Vec<Option<Year>> = Vec::new();
    for p in hits.points.iter().filter(|p| keep(p)) {
        let series: &str = p.series.as_deref().unwrap_or_default();
        let row_key = match (spec.rows, p.year) {
            (RowBy::Year, Some(y)) => format_academic_year(y),
            (RowBy::Series, _) if !series.is_empty() => series.to_string(),
            _ if p.label.is_empty() => series.to_string(),
            _ => p.label.clone(),
        };
        let r = match row_of.get(&row_key) {
            Some(&r) => r,
            None => {
                let at = m.rows.len();
                row_of.insert(row_key.clone(), at);
                row_years.push(if spec.rows == RowBy::Year {
                    p.year
                } else {
                    None
                });
                m.rows.push(vec![row_key]);
                m.values.push(vec![None]);
                at
            }
        };
        let primary = match &first_series {
            None => {
                first_series = Some(series.to_string());
                true
            }
            Some(f) => f == series,
        };
        // Borrowed, and a column's key written only when the column is new: no text is
        // made per point for the column a value goes in.
        let value_column =
            primary || series.is_empty() || !spec.series_columns || spec.rows == RowBy::Series;
        let header: &str = if value_column {
            &spec.value_header
        } else {
            series
        };
        let mut text = p.value_text.clone();
        if p.value.is_some() && !p.unit.is_empty() && !text.contains(p.unit.as_str()) {
            text = format!("{text}\u{a0}{}", p.unit);
        }
        let c = match m.column_of(header) {
            Some(c) => c,
            None if value_column => m.column(header, "value".into(), true),
            None => m.column(header, format!("series_{}", m.keys.len()), true),
        };
        m.put(r, c, text, p.value.filter(|v| v.is_finite()));
        // A rank is its number (the detail says "3 of 14" in the reader's language).
        if let Some(rank) = p.rank {
            let c = m.column(&rank_header, "rank".into(), true);
            m.put(r, c, rank.to_string(), Some(f64::from(rank)));
        }
        for (k, v) in &p.details {
            if p.rank.is_some() && *k == rank_header {
                continue;
            }
            let c = match m.column_of(k) {
                Some(c) => c,
                None => m.column(k, format!("detail_{}", m.keys.len()), false),
            };
            m.put(r, c, v.clone(), None);
        }
        if let Some(n) = p.n {
            let c = m.column("n", "n".into(), true);
            m.put(r, c, n.to_string(), Some(f64::from(n)));
        }
        let mut note = p.note.clone().unwrap_or_default();
        for w in &p.warnings {
            if !note.is_empty() {
                note.push_str("; ");
            }
            note.push_str(w);
        }
        if !note.is_empty() {
            let c = m.column(&note_header, "note".into(), false);
            m.put(r, c, note, None);
        }
    }
    if spec.rows == RowBy::Year {
        // Years in ascending order, whatever the order of the points (a card's own year
        // comes first); rows without a year after them, as met.
        let mut order: Vec<usize> = (0..m.rows.len()).collect();
        order.sort_by_key(|&r| {
            let year = row_years.get(r).copied().flatten();
            (year.is_none(), year)
        });
        let mut rows = std::mem::take(&mut m.rows);
        let mut values = std::mem::take(&mut m.values);
        m.rows = order
            .iter()
            .map(|&r| rows.get_mut(r).map(std::mem::take).unwrap_or_default())
            .collect();
        m.values = order
            .iter()
            .map(|&r| values.get_mut(r).map(std::mem::take).unwrap_or_default())
            .collect();
    }
    let ncol = m.headers.len();
    for (row, vals) in m.rows.iter_mut().zip(m.values.iter_mut()) {
        row.resize(ncol, String::new());
        vals.resize(ncol, None);
    }
    for c in (1..ncol).rev() {
        if m.rows.iter().all(|r| r[c].is_empty()) {
            m.remove_column(c);
        }
    }
    // A detail column of numbers only (a peer median, a count) is aligned as numbers.
    for c in 1..m.headers.len() {
        let number = |s: &str| {
            s.trim_start_matches(['+', '-', '−'])
                .starts_with(|ch: char| ch.is_ascii_digit())
        };
        if m.rows.iter().all(|r| r[c].is_empty() || number(&r[c])) {
            m.numeric[c] = true;
        }
    }
    m
}

impl TableModel {
    /// The column headed `header`.
    pub(crate) fn column_of(&self, header: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == header)
    }

    /// The column headed `header`, added (empty) on first use.
    fn column(&mut self, header: &str, key: String, numeric: bool) -> usize {
        if let Some(c) = self.column_of(header) {
            return c;
        }
        self.headers.push(header.to_string());
        self.keys.push(key);
        self.numeric.push(numeric);
        self.headers.len() - 1
    }

    /// Fills an empty cell.
    fn put(&mut self, r: usize, c: usize, text: String, exact: Option<f64>) {
        let (Some(row), Some(vals)) = (self.rows.get_mut(r), self.values.get_mut(r)) else {
            return;
        };
        if row.len() <= c {
            row.resize(c + 1, String::new());
            vals.resize(c + 1, None);
        }
        if row[c].is_empty() {
            row[c] = text;
            vals[c] = exact;
        }
    }

    /// Removes column `c` (and keeps `row_header` on its column).
    pub(crate) fn remove_column(&mut self, c: usize) {
        if c >= self.headers.len() {
            return;
        }
        self.headers.remove(c);
        self.keys.remove(c);
        self.numeric.remove(c);
        for (row, vals) in self.rows.iter_mut().zip(self.values.iter_mut()) {
            if c < row.len() {
                row.remove(c);
            }
            if c < vals.len() {
                vals.remove(c);
            }
        }
        self.row_header = match self.row_header {
            Some(h) if h > c => Some(h - 1),
            Some(h) if h == c => None,
            h => h,
        };
    }

    /// Moves column `from` to position `to`.
    pub(crate) fn move_column(&mut self, from: usize, to: usize) {
        let n = self.headers.len();
        if from >= n || to >= n || from == to {
            return;
        }
        fn mv<T>(v: &mut Vec<T>, from: usize, to: usize) {
            if from < v.len() && to < v.len() {
                let x = v.remove(from);
                v.insert(to, x);
            }
        }
        mv(&mut self.headers, from, to);
        mv(&mut self.keys, from, to);
        mv(&mut self.numeric, from, to);
        for (row, vals) in self.rows.iter_mut().zip(self.values.iter_mut()) {
            mv(row, from, to);
            mv(vals, from, to);
        }
        let pos = |h: usize| {
            if h == from {
                to
            } else if from < h && h <= to {
                h - 1
            } else if to <= h && h < from {
                h + 1
            } else {
                h
            }
        };
        self.row_header = self.row_header.map(pos);
    }

    /// Renames the column headed `from` (machine key too).
    pub(crate) fn rename(&mut self, from: &str, header: &str, key: &str) {
        if let Some(c) = self.column_of(from) {
            self.headers[c] = header.to_string();
            self.keys[c] = key.to_string();
        }
    }

    /// Merges the column headed `b` into the one headed `a` as `a{between}b{after}` under
    /// the new header (rows where both are empty stay empty; one alone stays as it is).
    pub(crate) fn merge(&mut self, a: &str, b: &str, header: &str, between: &str, after: &str) {
        let (Some(ca), Some(cb)) = (self.column_of(a), self.column_of(b)) else {
            return;
        };
        for row in &mut self.rows {
            let y = std::mem::take(&mut row[cb]);
            if row[ca].is_empty() {
                row[ca] = y;
            } else if !y.is_empty() {
                row[ca] = format!("{}{between}{y}{after}", row[ca]);
            }
        }
        self.headers[ca] = header.to_string();
        self.remove_column(cb);
    }

    /// A column with one value in every row that has one says it once, in a note
    /// ("n = 14"), not in every row.
    pub(crate) fn constant_to_note(&mut self, header: &str) {
        let Some(c) = self.column_of(header) else {
            return;
        };
        let mut seen = self
            .rows
            .iter()
            .map(|r| r[c].as_str())
            .filter(|s| !s.is_empty());
        let Some(first) = seen.next().map(str::to_string) else {
            return;
        };
        if seen.all(|s| s == first) {
            self.notes.push(format!("{header} = {first}"));
            self.remove_column(c);
        }
    }

    /// Moves the cells of column `from` that start with `prefix` to a new column (added
    /// before `from`), without the prefix; `from` goes when nothing else is left in it.
    pub(crate) fn split_prefix(&mut self, from: &str, prefix: &str, header: &str, key: &str) {
        let Some(c) = self.column_of(from) else {
            return;
        };
        if !self.rows.iter().any(|r| r[c].starts_with(prefix)) {
            return;
        }
        let n = self.column(header, key.to_string(), false);
        for (row, vals) in self.rows.iter_mut().zip(self.values.iter_mut()) {
            row.resize(n + 1, String::new());
            vals.resize(n + 1, None);
            if let Some(rest) = row[c].strip_prefix(prefix) {
                row[n] = rest.trim_start_matches([':', ' ']).to_string();
                row[c] = String::new();
            }
        }
        self.move_column(n, c);
        if let Some(c) = self.column_of(from) {
            if self.rows.iter().all(|r| r[c].is_empty()) {
                self.remove_column(c);
            }
        }
    }
}

fn point_row(p: &DataPoint) -> Vec<String> {
    let mut note = p.note.clone().unwrap_or_default();
    for w in &p.warnings {
        if !note.is_empty() {
            note.push_str("; ");
        }
        note.push_str(w);
    }
    vec![
        p.label.clone(),
        p.series.clone().unwrap_or_default(),
        p.year.map(format_academic_year).unwrap_or_default(),
        p.value
            .filter(|v| v.is_finite())
            .map(|v| format!("{v}"))
            .unwrap_or_default(),
        p.value_text.clone(),
        p.unit.clone(),
        p.n.map(|n| n.to_string()).unwrap_or_default(),
        p.details
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("; "),
        note,
    ]
}

pub(crate) fn layout(d: &TableData, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let pad = ctx.pad();
    let gap = ctx.gap();
    let full = Rect::new(pad, pad, ctx.w - 2.0 * pad, ctx.h - 2.0 * pad);
    let model = model(d, lang, ctx.strings);
    let top = ctx.header(full, &model.title, "");
    let ncol = model.headers.len();
    if ncol == 0 || model.rows.is_empty() {
        ctx.message(
            Rect::new(full.x, top, full.w, full.bottom() - top),
            ctx.t(Msg::NoData),
        );
        return;
    }
    let fp = ctx.px(Font::Label);
    let lh = ctx.lh(fp);
    let row_h = lh + gap;
    let notes = model.notes.join(" · ");
    // Columns get their natural width, shrunk proportionally when the table is too wide.
    let natural: Vec<f64> = (0..ncol)
        .map(|c| {
            let head = model
                .headers
                .get(c)
                .map(|h| ctx.width(h, fp, true))
                .unwrap_or(0.0);
            model
                .rows
                .iter()
                .take(200)
                .filter_map(|r| r.get(c))
                .map(|s| ctx.width(s, fp, false))
                .fold(head, f64::max)
                + 2.0 * gap
        })
        .collect();
    let total: f64 = natural.iter().sum();
    let k = if total > full.w { full.w / total } else { 1.0 };
    let widths: Vec<f64> = natural.iter().map(|w| w * k).collect();
    let footer_rows = usize::from(!notes.is_empty());
    let avail = full.bottom() - top - row_h * (1 + footer_rows) as f64;
    let fit = (avail / row_h).floor().max(0.0) as usize;
    let hidden = model.rows.len().saturating_sub(fit);
    let shown = if hidden > 0 {
        fit.saturating_sub(1)
    } else {
        model.rows.len()
    };
    // Header row on the surface colour.
    ctx.rect(Rect::new(full.x, top, full.w, row_h), ctx.theme.surface);
    let mut x = full.x;
    let mut lane = Vec::new();
    for (c, w) in widths.iter().enumerate() {
        let numeric = model.numeric.get(c).copied().unwrap_or(false);
        let (ax, align) = if numeric {
            (x + w - gap, Align::End)
        } else {
            (x + gap, Align::Start)
        };
        if let Some(h) = model.headers.get(c) {
            ctx.fit_text(
                h,
                Point::new(ax, top + row_h / 2.0),
                fp,
                true,
                ctx.theme.text,
                align,
                w - 2.0 * gap,
            );
        }
        x += w;
    }
    for (r, row) in model.rows.iter().enumerate().take(shown) {
        let y = top + row_h * (r + 1) as f64;
        ctx.line(
            Point::new(full.x, y),
            Point::new(full.right(), y),
            Stroke::solid(ctx.theme.grid, ctx.lw(1.0)),
        );
        let mut x = full.x;
        for (c, w) in widths.iter().enumerate() {
            let numeric = model.numeric.get(c).copied().unwrap_or(false);
            let (ax, align) = if numeric {
                (x + w - gap, Align::End)
            } else {
                (x + gap, Align::Start)
            };
            let cell = row.get(c).map(String::as_str).unwrap_or("");
            ctx.fit_text(
                cell,
                Point::new(ax, y + row_h / 2.0),
                fp,
                false,
                ctx.theme.text,
                align,
                w - 2.0 * gap,
            );
            x += w;
        }
        let label = row.first().cloned().unwrap_or_default();
        let details: Vec<(String, String)> = model
            .headers
            .iter()
            .zip(row.iter())
            .skip(1)
            .map(|(h, v)| (h.clone(), v.clone()))
            .collect();
        let id = ctx.hits.add_point(
            DataPoint {
                id: format!("row:{r}"),
                label,
                details,
                ..Default::default()
            },
            Point::new(full.x + full.w / 2.0, y + row_h / 2.0),
        );
        ctx.hits
            .add_region(id, HitShape::Rect(Rect::new(full.x, y, full.w, row_h)));
        lane.push(id);
    }
    let mut y = top + row_h * (shown + 1) as f64;
    if hidden > 0 {
        ctx.text(
            &ctx.tf(Msg::RowsNotShown, &[("n", &hidden.to_string())]),
            Point::new(full.x + gap, y + row_h / 2.0),
            ctx.px(Font::Note),
            false,
            ctx.theme.text_muted,
            Align::Start,
        );
        y += row_h;
    }
    if !notes.is_empty() {
        ctx.fit_text(
            &notes,
            Point::new(full.x, y + row_h / 2.0),
            ctx.px(Font::Note),
            false,
            ctx.theme.text_muted,
            Align::Start,
            full.w,
        );
    }
    ctx.hits.lanes = vec![lane];
    ctx.hits.lane_axis = LaneAxis::Vertical;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_keeps_full_precision() {
        let m = TableModel {
            keys: vec!["name".into(), "v".into()],
            headers: vec!["Name".into(), "V".into()],
            numeric: vec![false, true],
            rows: vec![
                vec!["A, \"B\"".into(), "74,3 %".into()],
                vec!["C".into(), "—".into()],
            ],
            values: vec![vec![None, Some(74.25)], vec![None, None]],
            ..Default::default()
        };
        assert_eq!(m.to_csv(), "name,v\n\"A, \"\"B\"\"\",74.25\nC,\n");
        assert_eq!(m.sorted_order(1, true), vec![0, 1]);
        assert!(m.to_html().contains("A, &quot;B&quot;"));
    }

    #[test]
    fn sorting_puts_missing_last_and_notes_the_column() {
        let d = TableData {
            columns: vec![
                TableColumn {
                    key: "n".into(),
                    label: "Name".into(),
                    ..Default::default()
                },
                TableColumn {
                    key: "v".into(),
                    label: "Value".into(),
                    unit: Some(ValueUnit::Count),
                    ..Default::default()
                },
            ],
            rows: vec![
                vec![TableCell::text("a"), TableCell::number(5.0)],
                vec![
                    TableCell::text("b"),
                    TableCell {
                        reason: Some("no data".into()),
                        ..Default::default()
                    },
                ],
                vec![TableCell::text("c"), TableCell::number(9.0)],
            ],
            sort_by: Some(1),
            descending: true,
            ..Default::default()
        };
        let m = model(&d, Lang::En, ChartStrings::builtin());
        let names: Vec<&str> = m.rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(names, vec!["c", "a", "b"]);
        // A not-computable cell says why.
        assert_eq!(m.rows[2][1], "Not computable: no data");
        assert_eq!(m.notes, vec!["Sorted by: Value".to_string()]);
        assert_eq!((m.sorted_by, m.descending), (Some(1), true));
    }
}
