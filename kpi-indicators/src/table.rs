//! The computed indicator table and its queries.

use super::catalogue::Catalogue;
use super::compute::{bind, decode, unit_views, UnitCells};
use super::definition::{IndicatorDef, IndicatorId};
use super::filter::Filter;
use super::formula::program::{Fault, Program, Val};
use super::formula::MetricRef;
use super::reason::{Outcome, Reason};
use super::units::{UnitIndex, N_CLASSES};
use kpi_model::validate::IssueId;
use kpi_model::{BreakdownDimension, ColumnId, Dataset, Level, OrgIdx, UnitId, Year, YearSpan};
use std::collections::HashMap;

/// The dataset column of each input of a program (`None`: absent from the dataset).
pub(crate) type Binding = Vec<Option<ColumnId>>;

/// A cell of the table: indicator id, unit id, year.
pub(crate) type CellKey = (u16, u32, Year);

/// One indicator's cells: a dense block per unit class it applies to.
#[derive(Clone, Debug)]
pub(crate) struct Column {
    /// `blocks[class][rank * n_years + year_offset]`.
    pub blocks: [Option<Box<[u64]>>; N_CLASSES],
    /// Dataset columns of the formula's inputs.
    pub bound: Binding,
    /// Dataset columns of the counts' inputs (successes, trials).
    pub counts_bound: Option<(Binding, Binding)>,
}

/// Something that names an indicator: its [`IndicatorId`] or its code.
pub trait IndicatorKey {
    /// The id in `catalogue`, if any.
    fn resolve(&self, catalogue: &Catalogue) -> Option<IndicatorId>;
}

impl IndicatorKey for IndicatorId {
    fn resolve(&self, catalogue: &Catalogue) -> Option<IndicatorId> {
        catalogue.get(*self).map(|_| *self)
    }
}

impl IndicatorKey for &str {
    fn resolve(&self, catalogue: &Catalogue) -> Option<IndicatorId> {
        catalogue.id(self)
    }
}

impl IndicatorKey for String {
    fn resolve(&self, catalogue: &Catalogue) -> Option<IndicatorId> {
        catalogue.id(self)
    }
}

impl IndicatorKey for &String {
    fn resolve(&self, catalogue: &Catalogue) -> Option<IndicatorId> {
        catalogue.id(self)
    }
}

/// One cell of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The indicator.
    pub indicator: IndicatorId,
    /// The unit (organisation or programme).
    pub unit: UnitId,
    /// The year.
    pub year: Year,
    /// Its value or why there is none.
    pub outcome: Outcome,
}

/// How many cells of an indicator have a value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Coverage {
    /// Cells with a value.
    pub computable: usize,
    /// Cells without.
    pub not_computable: usize,
}

/// Every indicator for every applicable unit and year of a dataset: the
/// result of [`compute`](super::compute).
///
/// Cells are 8 bytes each (a finite value, or a packed reason), stored only
/// for the units each indicator applies to. Queries take the indicator as an
/// [`IndicatorId`] or its code.
///
/// ```
/// use kpi_indicators::{compute, Catalogue, Filter, Outcome};
/// use kpi_model::{DatasetBuilder, Level};
/// let ds = DatasetBuilder::new(2021, 2023)
///     .org("C1", Level::College, "Almaty")
///     .org("C2", Level::College, "Almaty")
///     .value("C1", None, 2021, "graduates", 50.0)
///     .value("C1", None, 2021, "graduates_employed", 40.0)
///     .value("C1", None, 2022, "graduates", 40.0)
///     .value("C1", None, 2022, "graduates_employed", 30.0)
///     .value("C2", None, 2022, "graduates", 80.0)
///     .value("C2", None, 2022, "graduates_employed", 72.0)
///     .build();
/// let table = compute(&ds, &Catalogue::builtin());
/// let c1 = ds.org_unit(ds.org_by_id("C1").unwrap());
/// let c2 = ds.org_unit(ds.org_by_id("C2").unwrap());
///
/// // A series for dynamic analysis: 100·40/50 = 80, 100·30/40 = 75, then missing.
/// let s = table.series("employment_rate", c1);
/// assert_eq!(s[0], (2021, Outcome::Value(80.0)));
/// assert_eq!(s[1], (2022, Outcome::Value(75.0)));
/// assert!(!s[2].1.is_value());
///
/// // Peers for comparative analysis: colleges in 2022 with a value.
/// let peers = table.peers("employment_rate", 2022, &Filter::new().level(Level::College));
/// assert_eq!(peers, vec![(c1, 75.0), (c2, 90.0)]); // 100·72/80 = 90
/// ```
#[derive(Clone, Debug)]
pub struct IndicatorTable {
    catalogue: Catalogue,
    span: YearSpan,
    units: UnitIndex,
    columns: Vec<Column>,
    warnings: HashMap<CellKey, Box<[IssueId]>>,
}

impl IndicatorTable {
    pub(crate) fn new(
        catalogue: Catalogue,
        span: YearSpan,
        units: UnitIndex,
        columns: Vec<Column>,
        warnings: HashMap<CellKey, Box<[IssueId]>>,
    ) -> IndicatorTable {
        IndicatorTable {
            catalogue,
            span,
            units,
            columns,
            warnings,
        }
    }

    /// The catalogue the table was computed with.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The years covered.
    pub fn years(&self) -> YearSpan {
        self.span
    }

    /// Number of units of the dataset it was computed from.
    pub fn n_units(&self) -> usize {
        self.units.n_units()
    }

    /// The id of an indicator code.
    pub fn indicator(&self, code: &str) -> Option<IndicatorId> {
        self.catalogue.id(code)
    }

    /// The definition of an indicator.
    pub fn def<K: IndicatorKey>(&self, indicator: K) -> Option<&IndicatorDef> {
        indicator
            .resolve(&self.catalogue)
            .and_then(|id| self.catalogue.get(id))
    }

    /// The organisation of a unit.
    pub fn org_of(&self, unit: UnitId) -> Option<OrgIdx> {
        self.units.org_of(unit)
    }

    /// The level of a unit's organisation.
    pub fn level_of(&self, unit: UnitId) -> Option<Level> {
        self.units.level_of(unit)
    }

    /// Whether a unit is a programme.
    pub fn is_programme(&self, unit: UnitId) -> bool {
        self.units.is_programme(unit)
    }

    /// Whether an indicator applies to a unit (it has cells for it).
    pub fn applies<K: IndicatorKey>(&self, indicator: K, unit: UnitId) -> bool {
        self.locate(indicator, unit).is_some()
    }

    /// The block and row of a unit's cells for an indicator.
    fn locate<K: IndicatorKey>(&self, indicator: K, unit: UnitId) -> Option<(IndicatorId, &[u64])> {
        let id = indicator.resolve(&self.catalogue)?;
        let class = usize::from(*self.units.class.get(unit.index())?);
        let rank = *self.units.rank.get(unit.index())? as usize;
        let block = self.columns.get(id.index())?.blocks.get(class)?.as_ref()?;
        let n = self.span.len();
        Some((id, block.get(rank * n..(rank + 1) * n)?))
    }

    pub(crate) fn column(&self, id: IndicatorId) -> Option<&Column> {
        self.columns.get(id.index())
    }

    /// The raw result of a cell: value or compact fault.
    pub(crate) fn raw<K: IndicatorKey>(
        &self,
        indicator: K,
        unit: UnitId,
        year: Year,
    ) -> Option<(IndicatorId, Val)> {
        let (id, row) = self.locate(indicator, unit)?;
        let bits = *row.get(self.span.offset(year)?)?;
        Some((id, decode(bits)))
    }

    /// The value of a cell, or why there is none; `None` when the indicator
    /// does not apply to the unit, or the year is outside the data.
    pub fn get<K: IndicatorKey>(&self, indicator: K, unit: UnitId, year: Year) -> Option<Outcome> {
        let (id, v) = self.raw(indicator, unit, year)?;
        Some(self.outcome(id, year, v))
    }

    /// The value of a cell, `None` when not computable or not applicable.
    #[inline]
    pub fn value<K: IndicatorKey>(&self, indicator: K, unit: UnitId, year: Year) -> Option<f64> {
        self.raw(indicator, unit, year)?.1.ok()
    }

    /// The value of an indicator for one part of a unit (`female`, `male`):
    /// its formula evaluated with every metric it reads as a bare total
    /// (`graduates_employed`) replaced by that breakdown
    /// (`graduates_employed.female`); metrics the formula names with a
    /// breakdown keep theirs. `None` when the indicator does not apply to the
    /// unit, the year is outside the data, the value is not computable (a
    /// breakdown not recorded is missing data, never a total), or the formula
    /// already names a breakdown of the same dimension (the gender parity
    /// index reads `.female` and `.male` itself: it has no value per sex).
    ///
    /// ```
    /// use kpi_indicators::{compute, Catalogue};
    /// use kpi_model::{DatasetBuilder, Level};
    /// let ds = DatasetBuilder::new(2023, 2023)
    ///     .org("C1", Level::College, "Astana")
    ///     .value("C1", None, 2023, "graduates", 100.0)
    ///     .value("C1", None, 2023, "graduates_employed", 70.0)
    ///     .value("C1", None, 2023, "graduates.female", 60.0)
    ///     .value("C1", None, 2023, "graduates_employed.female", 45.0)
    ///     .build();
    /// let table = compute(&ds, &Catalogue::builtin());
    /// let c1 = ds.org_unit(ds.org_by_id("C1").unwrap());
    /// // 100 · 45 / 60
    /// assert_eq!(table.value_of_breakdown(&ds, "employment_rate", c1, 2023, "female"), Some(75.0));
    /// // No male counts: not computable, not the total.
    /// assert_eq!(table.value_of_breakdown(&ds, "employment_rate", c1, 2023, "male"), None);
    /// // Already by sex: no value per sex.
    /// assert_eq!(table.value_of_breakdown(&ds, "gender_parity_enrolment", c1, 2023, "female"), None);
    /// ```
    pub fn value_of_breakdown<K: IndicatorKey>(
        &self,
        dataset: &Dataset,
        indicator: K,
        unit: UnitId,
        year: Year,
        breakdown: &str,
    ) -> Option<f64> {
        let (id, _) = self.locate(indicator, unit)?;
        let offset = self.span.offset(year)?;
        let program = &self.catalogue.compiled(id)?.value;
        let dimension = BreakdownDimension::of(breakdown);
        let split_already = program
            .inputs()
            .iter()
            .filter_map(|m| m.breakdown.as_deref())
            .any(|b| BreakdownDimension::of(b) == dimension);
        if split_already {
            return None;
        }
        let inputs: Vec<MetricRef> = program
            .inputs()
            .iter()
            .map(|m| MetricRef {
                metric: m.metric.clone(),
                breakdown: Some(m.breakdown.clone().unwrap_or_else(|| breakdown.to_string())),
            })
            .collect();
        let bound = bind(&inputs, dataset);
        let mut views = Vec::with_capacity(bound.len());
        unit_views(dataset.store(), &bound, unit, &mut views);
        let mut stack = Vec::with_capacity(program.stack_size());
        let mut cells = UnitCells {
            views: &views,
            year: offset,
        };
        program.run(&mut cells, &mut stack).ok()
    }

    /// An indicator's outcomes for a unit, every year of the data in order
    /// (empty when the indicator does not apply to the unit).
    pub fn series<K: IndicatorKey>(&self, indicator: K, unit: UnitId) -> Vec<(Year, Outcome)> {
        match self.locate(indicator, unit) {
            Some((id, row)) => self
                .span
                .iter()
                .zip(row)
                .map(|(year, &bits)| (year, self.outcome(id, year, decode(bits))))
                .collect(),
            None => Vec::new(),
        }
    }

    /// An indicator's values for a unit, aligned with [`years`](Self::years)
    /// (`None` where not computable; empty when not applicable).
    pub fn series_values<K: IndicatorKey>(&self, indicator: K, unit: UnitId) -> Vec<Option<f64>> {
        match self.locate(indicator, unit) {
            Some((_, row)) => row.iter().map(|&b| decode(b).ok()).collect(),
            None => Vec::new(),
        }
    }

    /// The computable values of an indicator in a year for the units the
    /// filter selects (its year and indicator lists are ignored), in unit order.
    pub fn peers<K: IndicatorKey>(
        &self,
        indicator: K,
        year: Year,
        filter: &Filter,
    ) -> Vec<(UnitId, f64)> {
        let Some(id) = indicator.resolve(&self.catalogue) else {
            return Vec::new();
        };
        let (Some(column), Some(offset)) = (self.columns.get(id.index()), self.span.offset(year))
        else {
            return Vec::new();
        };
        let n = self.span.len();
        let mut out = Vec::new();
        for (class, block) in column.blocks.iter().enumerate() {
            let Some(block) = block else { continue };
            for (rank, &unit) in self.units.class_units[class].iter().enumerate() {
                if !filter.includes_unit(&self.units, unit) {
                    continue;
                }
                if let Some(Ok(v)) = block.get(rank * n + offset).map(|&b| decode(b)) {
                    out.push((unit, v));
                }
            }
        }
        out.sort_by_key(|(u, _)| *u);
        out
    }

    /// How many cells of an indicator have a value.
    pub fn coverage<K: IndicatorKey>(&self, indicator: K) -> Coverage {
        let mut c = Coverage::default();
        if let Some(col) = indicator
            .resolve(&self.catalogue)
            .and_then(|id| self.columns.get(id.index()))
        {
            for block in col.blocks.iter().flatten() {
                let ok = block.iter().filter(|&&b| decode(b).is_ok()).count();
                c.computable += ok;
                c.not_computable += block.len() - ok;
            }
        }
        c
    }

    /// The data-quality warnings (issue ids in the dataset's report) of the
    /// input cells a value used.
    pub fn warnings<K: IndicatorKey>(&self, indicator: K, unit: UnitId, year: Year) -> &[IssueId] {
        indicator
            .resolve(&self.catalogue)
            .and_then(|id| self.warnings.get(&(id.0, unit.0, year)))
            .map(|w| &w[..])
            .unwrap_or(&[])
    }

    /// Units in output order: each organisation, then its programmes.
    pub fn units_in_order(&self) -> impl Iterator<Item = UnitId> + '_ {
        (0..self.units.n_orgs).flat_map(move |o| {
            std::iter::once(UnitId(o as u32))
                .chain(self.units.programmes_of(OrgIdx(o as u32)).iter().copied())
        })
    }

    /// Every cell the filter selects: organisation by organisation (the
    /// organisation, then its programmes), year by year, indicators in
    /// catalogue order. Lazy: a national table is not copied.
    pub fn iter<'a>(&'a self, filter: &'a Filter) -> impl Iterator<Item = Entry> + 'a {
        let indicators: Vec<IndicatorId> = self
            .catalogue
            .iter()
            .map(|(id, _)| id)
            .filter(|id| filter.includes_indicator(*id))
            .collect();
        self.units_in_order()
            .filter(move |u| filter.includes_unit(&self.units, *u))
            .flat_map(move |unit| {
                let indicators = indicators.clone();
                self.span
                    .iter()
                    .filter(move |y| filter.includes_year(*y))
                    .flat_map(move |year| {
                        indicators.clone().into_iter().filter_map(move |id| {
                            self.get(id, unit, year).map(|outcome| Entry {
                                indicator: id,
                                unit,
                                year,
                                outcome,
                            })
                        })
                    })
            })
    }

    /// The public outcome of a raw cell.
    pub(crate) fn outcome(&self, id: IndicatorId, year: Year, v: Val) -> Outcome {
        match v {
            Ok(x) => Outcome::Value(x),
            Err(f) => Outcome::NotComputable(self.reason(id, year, f)),
        }
    }

    /// The public reason of a fault of indicator `id`'s formula at `year`.
    pub(crate) fn reason(&self, id: IndicatorId, year: Year, fault: Fault) -> Reason {
        match self.catalogue.compiled(id) {
            Some(c) => reason_of(&c.value, year, self.span.first, fault),
            None => Reason::NotFinite { year },
        }
    }
}

/// The public reason of a program's fault when evaluated at `year`.
pub(crate) fn reason_of(program: &Program, year: Year, first_year: Year, fault: Fault) -> Reason {
    let at = |lag: u16| year - Year::from(lag);
    match fault {
        Fault::Missing { input, lag } => {
            let m = program.inputs().get(usize::from(input));
            Reason::MissingMetric {
                metric: m.map(|m| m.metric.clone()).unwrap_or_default(),
                breakdown: m.and_then(|m| m.breakdown.clone()),
                year: at(lag),
            }
        }
        Fault::BeforeFirstYear { lag } => Reason::BeforeFirstYear {
            year: at(lag),
            first_year,
        },
        Fault::ZeroDenominator { denominator, lag } => Reason::ZeroDenominator {
            denominator: program
                .denominators()
                .get(usize::from(denominator))
                .cloned()
                .unwrap_or_default(),
            year: at(lag),
        },
        Fault::NotFinite { lag } => Reason::NotFinite { year: at(lag) },
    }
}
