//! Computing every applicable indicator for every unit and year of a dataset.
//!
//! Each indicator's formula is compiled once and bound to the dataset's
//! columns once; then, per unit, one view per input column gives all the
//! unit's years, and the program runs once per year. Results go to dense
//! blocks of 8-byte cells (a finite `f64`, or a packed not-computable fault).

use super::catalogue::Catalogue;
use super::definition::{IndicatorDef, IndicatorId};
use super::formula::program::{Cells, Fault, Program, Val};
use super::formula::MetricRef;
use super::table::{CellKey, Column, IndicatorTable};
use super::units::{class_parts, UnitIndex, N_CLASSES};
use kpi_model::validate::IssueId;
use kpi_model::{ColumnId, ColumnKey, Dataset, MetricStore, UnitId, UnitValues, Year};
use std::collections::{HashMap, HashSet};

// ---------- cell encoding ----------

/// Cells are stored in the encoding the formula programs compute in.
pub(crate) use super::formula::program::{decode, encode};

// ---------- binding and reading ----------

/// The dataset column of each program input (`None`: the dataset has no
/// such metric or breakdown, so every read is "missing").
pub(crate) fn bind(inputs: &[MetricRef], ds: &Dataset) -> Vec<Option<ColumnId>> {
    let store = ds.store();
    inputs
        .iter()
        .map(|m| {
            let metric = ds.metrics().id(&m.metric)?;
            let breakdown = match &m.breakdown {
                Some(b) => Some(store.breakdown(b)?),
                None => None,
            };
            store.column(ColumnKey { metric, breakdown })
        })
        .collect()
}

/// Reads a unit's inputs from per-column views, at one year offset.
pub(crate) struct UnitCells<'v, 's> {
    pub views: &'v [UnitValues<'s>],
    pub year: usize,
}

impl Cells for UnitCells<'_, '_> {
    #[inline]
    fn load(&mut self, input: u16, lag: u16) -> Val {
        let Some(at) = self.year.checked_sub(usize::from(lag)) else {
            return Err(Fault::BeforeFirstYear { lag });
        };
        match self.views.get(usize::from(input)).and_then(|v| v.get(at)) {
            Some(v) if v.is_finite() => Ok(v),
            Some(_) => Err(Fault::NotFinite { lag }),
            None => Err(Fault::Missing { input, lag }),
        }
    }
}

/// One read made while evaluating a cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Read {
    pub input: u16,
    pub lag: u16,
    pub value: Option<f64>,
}

/// [`UnitCells`] that also records what it read (for `explain` and warnings).
pub(crate) struct TracingCells<'v, 's> {
    pub inner: UnitCells<'v, 's>,
    pub reads: Vec<Read>,
}

impl Cells for TracingCells<'_, '_> {
    fn load(&mut self, input: u16, lag: u16) -> Val {
        let v = self.inner.load(input, lag);
        if !matches!(v, Err(Fault::BeforeFirstYear { .. })) {
            let read = Read {
                input,
                lag,
                value: v.ok(),
            };
            if !self.reads.contains(&read) {
                self.reads.push(read);
            }
        }
        v
    }
}

/// Fills `views` with the unit's view of each bound column.
pub(crate) fn unit_views<'s>(
    store: &'s MetricStore,
    bound: &[Option<ColumnId>],
    unit: UnitId,
    views: &mut Vec<UnitValues<'s>>,
) {
    views.clear();
    views.extend(
        bound
            .iter()
            .map(|c| c.map_or_else(UnitValues::default, |c| store.unit_values(c, unit))),
    );
}

/// Evaluates a program for one unit and year offset, with a trace.
pub(crate) fn trace(
    program: &Program,
    views: &[UnitValues<'_>],
    year: usize,
    stack: &mut Vec<u64>,
) -> (Val, Vec<Read>) {
    let mut cells = TracingCells {
        inner: UnitCells { views, year },
        reads: Vec::new(),
    };
    let v = program.run(&mut cells, stack);
    (v, cells.reads)
}

/// The warnings of the cells a traced evaluation read.
pub(crate) fn read_warnings(
    store: &MetricStore,
    bound: &[Option<ColumnId>],
    unit: UnitId,
    year: Year,
    reads: &[Read],
) -> Vec<IssueId> {
    let mut out: Vec<IssueId> = Vec::new();
    for r in reads {
        if let Some(Some(col)) = bound.get(usize::from(r.input)) {
            for &issue in store.flags(*col, unit, year - Year::from(r.lag)) {
                if !out.contains(&issue) {
                    out.push(issue);
                }
            }
        }
    }
    out.sort();
    out
}

/// Which (unit, column) pairs carry any warning, to trace only those units.
struct FlagIndex {
    units: Vec<bool>,
    cells: HashSet<(u32, ColumnId)>,
}

impl FlagIndex {
    fn build(store: &MetricStore) -> FlagIndex {
        let mut idx = FlagIndex {
            units: vec![false; store.n_units()],
            cells: HashSet::new(),
        };
        for (col, unit, _, issues) in store.flagged_cells() {
            if issues.is_empty() {
                continue;
            }
            if let Some(u) = idx.units.get_mut(unit.index()) {
                *u = true;
                idx.cells.insert((unit.0, col));
            }
        }
        idx
    }

    #[inline]
    fn touches(&self, unit: UnitId, bound: &[Option<ColumnId>]) -> bool {
        self.units.get(unit.index()).copied().unwrap_or(false)
            && bound
                .iter()
                .flatten()
                .any(|c| self.cells.contains(&(unit.0, *c)))
    }
}

/// Computes every indicator of `catalogue` for every applicable unit and
/// every year of `dataset`.
///
/// An indicator applies to a unit when the unit's organisation has one of the
/// indicator's levels and the unit's kind (organisation or programme) is in
/// its `per`. Every applicable cell gets a value or a not-computable reason.
///
/// ```
/// use kpi_indicators::{compute, Catalogue, Outcome, Reason};
/// use kpi_model::{DatasetBuilder, Level};
/// let dataset = DatasetBuilder::new(2022, 2023)
///     .org("U1", Level::University, "Astana")
///     .value("U1", None, 2022, "graduates", 60.0)
///     .value("U1", None, 2022, "graduates_employed", 45.0)
///     .value("U1", None, 2023, "graduates", 50.0)
///     .build();
/// let table = compute(&dataset, &Catalogue::builtin());
/// let u1 = dataset.org_unit(dataset.org_by_id("U1").unwrap());
/// assert_eq!(table.get("employment_rate", u1, 2022), Some(Outcome::Value(75.0))); // 100 * 45 / 60
/// assert_eq!(
///     table.get("employment_rate", u1, 2023),
///     Some(Outcome::NotComputable(Reason::MissingMetric {
///         metric: "graduates_employed".into(), breakdown: None, year: 2023,
///     }))
/// );
/// // Schools only: not applicable to a university.
/// assert_eq!(table.get("exam_pass_rate", u1, 2022), None);
/// ```
pub fn compute(dataset: &Dataset, catalogue: &Catalogue) -> IndicatorTable {
    let span = dataset.years();
    let units = UnitIndex::build(dataset);
    let flags = FlagIndex::build(dataset.store());
    // One indicator a task, spread over the threads (kpi-pool); the columns and their
    // warnings come back in catalogue order whatever the number of threads.
    let indicators: Vec<_> = catalogue.iter().collect();
    let computed = kpi_pool::map(indicators, |(id, def)| {
        compute_indicator(dataset, catalogue, &units, &flags, id, def)
    });
    let mut columns = Vec::with_capacity(computed.len());
    let mut warnings: HashMap<CellKey, Box<[IssueId]>> = HashMap::new();
    for c in computed.into_iter().flatten() {
        columns.push(c.column);
        warnings.extend(c.warnings);
    }
    IndicatorTable::new(catalogue.clone(), span, units, columns, warnings)
}

/// One indicator's cells and the data-quality warnings of those that read flagged inputs.
struct ComputedColumn {
    column: Column,
    warnings: Vec<(CellKey, Box<[IssueId]>)>,
}

/// One indicator's column (every applicable unit and year) and the warnings of its cells;
/// `None` when the catalogue has no compiled formula for it.
fn compute_indicator(
    dataset: &Dataset,
    catalogue: &Catalogue,
    units: &UnitIndex,
    flags: &FlagIndex,
    id: IndicatorId,
    def: &IndicatorDef,
) -> Option<ComputedColumn> {
    let compiled = catalogue.compiled(id)?;
    let span = dataset.years();
    let n_years = span.len();
    let store = dataset.store();
    let program = &compiled.value;
    let mut stack: Vec<u64> = Vec::with_capacity(program.stack_size().max(16));
    let mut views: Vec<UnitValues<'_>> = Vec::with_capacity(8);
    let mut warnings = Vec::new();
    let bound = bind(program.inputs(), dataset);
    let counts_bound = compiled
        .counts
        .as_ref()
        .map(|(s, t, _)| (bind(s.inputs(), dataset), bind(t.inputs(), dataset)));
    let mut blocks: [Option<Box<[u64]>>; N_CLASSES] = Default::default();
    for (class, block) in blocks.iter_mut().enumerate() {
        let (level, programme) = class_parts(class);
        let applies = def.applies_to(level)
            && if programme {
                def.per.programmes()
            } else {
                def.per.organisations()
            };
        let class_units = &units.class_units[class];
        if !applies || class_units.is_empty() || n_years == 0 {
            continue;
        }
        let mut cells = vec![0u64; class_units.len() * n_years].into_boxed_slice();
        for (row, &unit) in cells.chunks_exact_mut(n_years).zip(class_units) {
            unit_views(store, &bound, unit, &mut views);
            for (year, cell) in row.iter_mut().enumerate() {
                let mut reader = UnitCells {
                    views: &views,
                    year,
                };
                *cell = encode(program.run(&mut reader, &mut stack));
            }
            if flags.touches(unit, &bound) {
                for (offset, year) in span.iter().enumerate() {
                    let (_, reads) = trace(program, &views, offset, &mut stack);
                    let w = read_warnings(store, &bound, unit, year, &reads);
                    if !w.is_empty() {
                        warnings.push(((id.0, unit.0, year), w.into_boxed_slice()));
                    }
                }
            }
        }
        *block = Some(cells);
    }
    Some(ComputedColumn {
        column: Column {
            blocks,
            bound,
            counts_bound,
        },
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips_values_and_faults() {
        for v in [0.0, -0.0, 1.5, -1e308, f64::MIN_POSITIVE, 5e-324, f64::MAX] {
            assert_eq!(decode(encode(Ok(v))).map(f64::to_bits), Ok(v.to_bits()));
        }
        for f in [
            Fault::Missing { input: 7, lag: 0 },
            Fault::Missing {
                input: u16::MAX,
                lag: u16::MAX,
            },
            Fault::BeforeFirstYear { lag: 3 },
            Fault::ZeroDenominator {
                denominator: 2,
                lag: 1,
            },
            Fault::NotFinite { lag: 0 },
        ] {
            assert_eq!(decode(encode(Err(f))), Err(f));
        }
    }
}
