//! The metric store: one number per unit, year and column (metric plus optional
//! breakdown), held densely per block of units so lookups in the indicator
//! engine are a few array reads.

use super::{BreakdownDimension, UnitId, Year, YearSpan};
use crate::metrics::{BreakdownTotal, MetricId};
use crate::validate::IssueId;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Index of a breakdown name (`female`, `reading` …) in a [`MetricStore`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BreakdownId(pub u16);

/// A metric, optionally restricted to one breakdown (`students_enrolled.female`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ColumnKey {
    /// The metric.
    pub metric: MetricId,
    /// The breakdown; `None` is the bare metric (the total).
    pub breakdown: Option<BreakdownId>,
}

/// Index of a column in a [`MetricStore`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ColumnId(pub u32);

/// Units per storage block. Units are ordered by level, so a block of
/// preschools holds no university metric and is never allocated for it.
const BLOCK_UNITS: usize = 256;

#[derive(Clone, Debug, Default)]
struct Column {
    key: Option<ColumnKey>,
    /// `blocks[u / BLOCK_UNITS]`: values of `BLOCK_UNITS × n_years` cells,
    /// unit-major; NaN marks a missing value and never leaves this module.
    blocks: Vec<Option<Box<[f64]>>>,
    present: usize,
}

/// Where a value came from, for messages (file index in the load, 1-based row).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SourceRow {
    /// The table (file or sheet) index in the load, as assigned by the importer.
    pub table: u32,
    /// 1-based row in that table.
    pub row: u32,
}

/// One unit's values in one column over the years of the store's span
/// (see [`MetricStore::unit_values`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct UnitValues<'a> {
    /// `span.len()` cells, or none when the unit has no value in the column.
    cells: &'a [f64],
}

impl UnitValues<'_> {
    /// The value at year offset `offset` (0 = the span's first year), `None`
    /// when missing or outside the span.
    #[inline]
    pub fn get(&self, offset: usize) -> Option<f64> {
        self.cells.get(offset).copied().filter(|v| !v.is_nan())
    }
}

/// One number per unit, year and column.
///
/// ```
/// use kpi_model::{MetricStore, ColumnKey, UnitId, YearSpan};
/// use kpi_model::metrics::MetricId;
/// let mut store = MetricStore::new(YearSpan::new(2020, 2022), 3);
/// let col = store.add_column(ColumnKey { metric: MetricId(0), breakdown: None });
/// store.set(col, UnitId(1), 2021, 42.0);
/// assert_eq!(store.get(col, UnitId(1), 2021), Some(42.0));
/// assert_eq!(store.get(col, UnitId(1), 2020), None);
/// assert_eq!(store.get(col, UnitId(1), 2030), None);
/// ```
#[derive(Clone, Debug)]
pub struct MetricStore {
    span: YearSpan,
    n_units: usize,
    columns: Vec<Column>,
    index: HashMap<ColumnKey, ColumnId>,
    breakdowns: Vec<String>,
    breakdown_index: HashMap<String, BreakdownId>,
    by_metric: HashMap<MetricId, Vec<ColumnId>>,
    flags: HashMap<(ColumnId, u32, Year), Vec<IssueId>>,
}

impl MetricStore {
    /// An empty store for `n_units` units over `span`.
    pub fn new(span: YearSpan, n_units: usize) -> Self {
        MetricStore {
            span,
            n_units,
            columns: Vec::new(),
            index: HashMap::new(),
            breakdowns: Vec::new(),
            breakdown_index: HashMap::new(),
            by_metric: HashMap::new(),
            flags: HashMap::new(),
        }
    }

    /// The years covered.
    pub fn span(&self) -> YearSpan {
        self.span
    }

    /// Number of units.
    pub fn n_units(&self) -> usize {
        self.n_units
    }

    /// The id of a breakdown name, adding it when new.
    pub fn intern_breakdown(&mut self, name: &str) -> BreakdownId {
        if let Some(&id) = self.breakdown_index.get(name) {
            return id;
        }
        let id = BreakdownId(self.breakdowns.len() as u16);
        self.breakdowns.push(name.to_string());
        self.breakdown_index.insert(name.to_string(), id);
        id
    }

    /// The id of a breakdown name, if any value uses it.
    pub fn breakdown(&self, name: &str) -> Option<BreakdownId> {
        self.breakdown_index.get(name).copied()
    }

    /// The name of a breakdown.
    pub fn breakdown_name(&self, id: BreakdownId) -> &str {
        &self.breakdowns[id.0 as usize]
    }

    /// The column of a key, adding an empty one when new.
    pub fn add_column(&mut self, key: ColumnKey) -> ColumnId {
        if let Some(&id) = self.index.get(&key) {
            return id;
        }
        let id = ColumnId(self.columns.len() as u32);
        let n_blocks = self.n_units.div_ceil(BLOCK_UNITS);
        self.columns.push(Column {
            key: Some(key),
            blocks: vec![None; n_blocks],
            present: 0,
        });
        self.index.insert(key, id);
        if key.breakdown.is_some() {
            self.by_metric.entry(key.metric).or_default().push(id);
        }
        id
    }

    /// The column of a key, if present.
    pub fn column(&self, key: ColumnKey) -> Option<ColumnId> {
        self.index.get(&key).copied()
    }

    /// The key of a column.
    pub fn key(&self, col: ColumnId) -> ColumnKey {
        self.columns[col.0 as usize]
            .key
            .expect("every column is created with a key")
    }

    /// All columns with their keys.
    pub fn columns(&self) -> impl Iterator<Item = (ColumnId, ColumnKey)> + '_ {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.key.map(|k| (ColumnId(i as u32), k)))
    }

    /// The breakdown columns of a metric (empty when it has none).
    pub fn breakdown_columns(&self, metric: MetricId) -> &[ColumnId] {
        self.by_metric
            .get(&metric)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Number of values present in a column.
    pub fn present(&self, col: ColumnId) -> usize {
        self.columns[col.0 as usize].present
    }

    #[inline]
    fn locate(&self, unit: UnitId, year: Year) -> Option<(usize, usize)> {
        let u = unit.index();
        if u >= self.n_units {
            return None;
        }
        let off = self.span.offset(year)?;
        Some((u / BLOCK_UNITS, (u % BLOCK_UNITS) * self.span.len() + off))
    }

    /// The value of a cell, `None` when missing.
    #[inline]
    pub fn get(&self, col: ColumnId, unit: UnitId, year: Year) -> Option<f64> {
        let (block, cell) = self.locate(unit, year)?;
        let v = self.columns.get(col.0 as usize)?.blocks[block].as_ref()?[cell];
        (!v.is_nan()).then_some(v)
    }

    /// Sets a cell. A NaN value is ignored (a missing value stays missing).
    /// Cells outside the store's span or units are ignored too.
    pub fn set(&mut self, col: ColumnId, unit: UnitId, year: Year, value: f64) {
        if value.is_nan() {
            return;
        }
        let Some((block, cell)) = self.locate(unit, year) else {
            return;
        };
        let block_len = BLOCK_UNITS * self.span.len();
        let column = &mut self.columns[col.0 as usize];
        let data = column.blocks[block]
            .get_or_insert_with(|| vec![f64::NAN; block_len].into_boxed_slice());
        if data[cell].is_nan() {
            column.present += 1;
        }
        data[cell] = value;
    }

    /// A view of one unit's values in one column over the span: one lookup
    /// per unit and column instead of one per cell (the indicator engine
    /// evaluates every year of a unit from the same views).
    ///
    /// ```
    /// use kpi_model::{MetricStore, ColumnKey, UnitId, YearSpan};
    /// use kpi_model::metrics::MetricId;
    /// let mut store = MetricStore::new(YearSpan::new(2020, 2022), 2);
    /// let col = store.add_column(ColumnKey { metric: MetricId(0), breakdown: None });
    /// store.set(col, UnitId(1), 2021, 42.0);
    /// let v = store.unit_values(col, UnitId(1));
    /// assert_eq!((v.get(0), v.get(1), v.get(9)), (None, Some(42.0), None));
    /// assert_eq!(store.unit_values(col, UnitId(0)).get(1), None);
    /// ```
    #[inline]
    pub fn unit_values(&self, col: ColumnId, unit: UnitId) -> UnitValues<'_> {
        let u = unit.index();
        let n_years = self.span.len();
        let cells = self
            .columns
            .get(col.0 as usize)
            .filter(|_| u < self.n_units)
            .and_then(|c| c.blocks.get(u / BLOCK_UNITS))
            .and_then(Option::as_ref)
            .and_then(|b| b.get((u % BLOCK_UNITS) * n_years..(u % BLOCK_UNITS + 1) * n_years))
            .unwrap_or(&[]);
        UnitValues { cells }
    }

    /// Every cell that carries issues: `(column, unit, year, issues)`, in no
    /// particular order.
    pub fn flagged_cells(&self) -> impl Iterator<Item = (ColumnId, UnitId, Year, &[IssueId])> + '_ {
        self.flags
            .iter()
            .map(|(&(col, unit, year), issues)| (col, UnitId(unit), year, issues.as_slice()))
    }

    /// The values of one unit in one column for every year of the span,
    /// `None` where missing.
    pub fn series(&self, col: ColumnId, unit: UnitId) -> Vec<Option<f64>> {
        self.span.iter().map(|y| self.get(col, unit, y)).collect()
    }

    /// Attaches an issue (usually a warning) to a cell.
    pub fn flag(&mut self, col: ColumnId, unit: UnitId, year: Year, issue: IssueId) {
        let list = self.flags.entry((col, unit.0, year)).or_default();
        if !list.contains(&issue) {
            list.push(issue);
        }
    }

    /// The issues attached to a cell.
    #[inline]
    pub fn flags(&self, col: ColumnId, unit: UnitId, year: Year) -> &[IssueId] {
        if self.flags.is_empty() {
            return &[];
        }
        self.flags
            .get(&(col, unit.0, year))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Whether any cell carries an issue.
    pub fn has_flags(&self) -> bool {
        !self.flags.is_empty()
    }

    /// Fills each bare metric from its breakdowns where the bare value is
    /// missing, using the metric's rule (sum or mean of the breakdowns present;
    /// a sum by sex only when both sexes are given).
    /// Breakdowns are grouped by [`BreakdownDimension`]; the total comes from
    /// the first dimension (sex, then grade, then other) that has a value in
    /// the cell, so a metric broken down by sex and by grade is not counted twice.
    /// Flags of the breakdown cells are carried to the filled cell.
    pub fn fill_totals_from_breakdowns(&mut self, rule: impl Fn(MetricId) -> BreakdownTotal) {
        let mut metrics: Vec<MetricId> = self.by_metric.keys().copied().collect();
        metrics.sort();
        for metric in metrics {
            let mut groups: Vec<(BreakdownDimension, Vec<ColumnId>)> = Vec::new();
            for &col in &self.by_metric[&metric] {
                let Some(b) = self.key(col).breakdown else {
                    continue;
                };
                let dim = BreakdownDimension::of(self.breakdown_name(b));
                match groups.iter_mut().find(|(d, _)| *d == dim) {
                    Some((_, cols)) => cols.push(col),
                    None => groups.push((dim, vec![col])),
                }
            }
            groups.sort_by_key(|(d, _)| *d);
            let total = self.add_column(ColumnKey {
                metric,
                breakdown: None,
            });
            let how = rule(metric);
            for u in 0..self.n_units {
                let unit = UnitId(u as u32);
                for year in self.span.iter() {
                    if self.get(total, unit, year).is_some() {
                        continue;
                    }
                    for (dim, parts) in &groups {
                        // A sum by sex needs both sexes: one alone would undercount.
                        if *dim == BreakdownDimension::Sex
                            && how == BreakdownTotal::Sum
                            && parts
                                .iter()
                                .filter(|&&p| self.get(p, unit, year).is_some())
                                .count()
                                < 2
                        {
                            continue;
                        }
                        let (mut sum, mut n) = (0.0, 0usize);
                        let mut carried = Vec::new();
                        for &p in parts {
                            if let Some(v) = self.get(p, unit, year) {
                                sum += v;
                                n += 1;
                                carried.extend_from_slice(self.flags(p, unit, year));
                            }
                        }
                        if n == 0 {
                            continue;
                        }
                        let value = match how {
                            BreakdownTotal::Sum => sum,
                            BreakdownTotal::Mean => sum / n as f64,
                        };
                        self.set(total, unit, year, value);
                        for issue in carried {
                            self.flag(total, unit, year, issue);
                        }
                        break;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_use_one_dimension_and_keep_given_values() {
        let mut store = MetricStore::new(YearSpan::new(2020, 2021), 2);
        let m = MetricId(3);
        let col = |store: &mut MetricStore, name: &str| {
            let b = store.intern_breakdown(name);
            store.add_column(ColumnKey {
                metric: m,
                breakdown: Some(b),
            })
        };
        let female = col(&mut store, "female");
        let male = col(&mut store, "male");
        let g1 = col(&mut store, "grade_1");
        let g2 = col(&mut store, "grade_2");
        // Unit 0, 2020: by sex 60 + 40 and by grade 55 + 45; total = 100, not 200.
        store.set(female, UnitId(0), 2020, 60.0);
        store.set(male, UnitId(0), 2020, 40.0);
        store.set(g1, UnitId(0), 2020, 55.0);
        store.set(g2, UnitId(0), 2020, 45.0);
        // Unit 1, 2020: only grades 30 + 20 = 50.
        store.set(g1, UnitId(1), 2020, 30.0);
        store.set(g2, UnitId(1), 2020, 20.0);
        // Unit 1, 2021: a given total 70 stays even though a breakdown says 10.
        let total = store.add_column(ColumnKey {
            metric: m,
            breakdown: None,
        });
        store.set(total, UnitId(1), 2021, 70.0);
        store.set(female, UnitId(1), 2021, 10.0);
        store.fill_totals_from_breakdowns(|_| BreakdownTotal::Sum);
        assert_eq!(store.get(total, UnitId(0), 2020), Some(100.0));
        assert_eq!(store.get(total, UnitId(1), 2020), Some(50.0));
        assert_eq!(store.get(total, UnitId(1), 2021), Some(70.0));
        assert_eq!(store.get(total, UnitId(0), 2021), None);
    }

    #[test]
    fn mean_rule_averages_present_breakdowns() {
        let mut store = MetricStore::new(YearSpan::new(2022, 2022), 1);
        let m = MetricId(0);
        let r = store.intern_breakdown("reading");
        let s = store.intern_breakdown("science");
        let cr = store.add_column(ColumnKey {
            metric: m,
            breakdown: Some(r),
        });
        let cs = store.add_column(ColumnKey {
            metric: m,
            breakdown: Some(s),
        });
        store.set(cr, UnitId(0), 2022, 61.0);
        store.set(cs, UnitId(0), 2022, 48.0);
        store.fill_totals_from_breakdowns(|_| BreakdownTotal::Mean);
        let total = store
            .column(ColumnKey {
                metric: m,
                breakdown: None,
            })
            .unwrap();
        // (61 + 48) / 2 = 54.5
        assert_eq!(store.get(total, UnitId(0), 2022), Some(54.5));
    }
}
