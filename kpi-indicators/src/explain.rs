//! Looking into one cell: the inputs a value used, the warnings touching
//! them, and the counts behind a rate with their Wilson interval.

use super::compute::{trace, unit_views, UnitCells};
use super::reason::Outcome;
use super::table::{IndicatorKey, IndicatorTable};
use kpi_model::validate::IssueId;
use kpi_model::{Dataset, UnitId, Year};
use kpi_stats::{wilson_interval, Interval};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The normal quantile for a two-sided 95% interval (SciPy:
/// `scipy.stats.norm.ppf(0.975)` = 1.959963984540054).
pub const Z_95: f64 = 1.959963984540054;

/// The counts behind a rate: `successes` of `trials` (= n), and the 95%
/// Wilson interval of `successes / trials`, in the indicator's unit.
///
/// ```
/// use kpi_indicators::Counts;
/// // 45 of 60 satisfied, as %: statsmodels proportion_confint(45, 60, method="wilson")
/// // -> (0.6276792992295218, 0.8422347746994333), times 100.
/// let c = Counts::new(45.0, 60.0, 100.0);
/// assert_eq!(c.n(), 60.0);
/// let ci = c.interval.unwrap();
/// assert!((ci.lower - 62.76792992295218).abs() < 1e-9);
/// assert!((ci.upper - 84.22347746994333).abs() < 1e-9);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Successes (satisfied answers, employed graduates …).
    pub successes: f64,
    /// Trials (answers, graduates …): the `n` reported beside the value.
    pub trials: f64,
    /// The 95% Wilson interval in the indicator's unit; `None` when trials
    /// is not positive or successes lies outside `0..=trials`.
    pub interval: Option<Interval>,
}

impl Counts {
    /// Counts with their interval, scaled from a share to the indicator's unit.
    pub fn new(successes: f64, trials: f64, scale: f64) -> Counts {
        Counts {
            successes,
            trials,
            interval: wilson_interval(successes, trials, Z_95).map(|i| Interval {
                lower: i.lower * scale,
                upper: i.upper * scale,
            }),
        }
    }

    /// The number of observations.
    pub fn n(&self) -> f64 {
        self.trials
    }
}

/// One input cell a value read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputUse {
    /// The metric code.
    pub metric: String,
    /// The breakdown, if the formula names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<String>,
    /// The year read (earlier than the evaluated year under `prev`).
    pub year: Year,
    /// The value, `None` when missing.
    pub value: Option<f64>,
    /// The data-quality warnings on that cell (ids in the dataset's report).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<IssueId>,
}

/// Why a cell could not be looked up.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LookupError {
    /// No indicator of that code or id in the table's catalogue.
    UnknownIndicator(String),
    /// The indicator does not apply to the unit (level or `per`), or the unit does not exist.
    NotApplicable {
        /// The indicator's code.
        indicator: String,
        /// The unit.
        unit: UnitId,
    },
    /// The year lies outside the data.
    YearOutOfRange(Year),
    /// The dataset is not the one the table was computed from.
    DatasetMismatch,
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::UnknownIndicator(code) => write!(f, "unknown indicator `{code}`"),
            LookupError::NotApplicable { indicator, unit } => write!(
                f,
                "indicator `{indicator}` does not apply to unit {}",
                unit.0
            ),
            LookupError::YearOutOfRange(y) => write!(f, "year {y} is outside the data"),
            LookupError::DatasetMismatch => {
                f.write_str("the dataset is not the one the indicator table was computed from")
            }
        }
    }
}

impl std::error::Error for LookupError {}

/// A cell, explained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The indicator's code.
    pub indicator: String,
    /// Its formula as written in the catalogue.
    pub formula: String,
    /// The unit.
    pub unit: UnitId,
    /// The organisation's `org_id`.
    pub org_id: String,
    /// The programme code, for programme units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    /// The year.
    pub year: Year,
    /// The value or the reason.
    pub outcome: Outcome,
    /// The input cells read, in the order read.
    pub inputs: Vec<InputUse>,
    /// All warnings touching the inputs (ids in the dataset's report).
    pub warnings: Vec<IssueId>,
    /// The counts behind a rate, when the indicator defines them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<Counts>,
}

impl IndicatorTable {
    fn check(&self, ds: &Dataset) -> Result<(), LookupError> {
        if ds.units().len() != self.n_units() || ds.years() != self.years() {
            return Err(LookupError::DatasetMismatch);
        }
        Ok(())
    }

    /// The counts behind a rate (the indicator's `counts`), evaluated for a
    /// cell of `ds` (the dataset the table was computed from): `n` and a 95%
    /// Wilson interval beside the value. `None` when the indicator has no
    /// counts, does not apply, or a count is not computable.
    pub fn counts<K: IndicatorKey>(
        &self,
        ds: &Dataset,
        indicator: K,
        unit: UnitId,
        year: Year,
    ) -> Option<Counts> {
        self.check(ds).ok()?;
        let id = indicator.resolve(self.catalogue())?;
        if !self.applies(id, unit) {
            return None;
        }
        let (sp, tp, scale) = self.catalogue().compiled(id)?.counts.as_ref()?;
        let (sb, tb) = self.column(id)?.counts_bound.as_ref()?;
        let offset = self.years().offset(year)?;
        let mut stack = Vec::new();
        let mut views = Vec::new();
        unit_views(ds.store(), sb, unit, &mut views);
        let s = sp
            .run(
                &mut UnitCells {
                    views: &views,
                    year: offset,
                },
                &mut stack,
            )
            .ok()?;
        unit_views(ds.store(), tb, unit, &mut views);
        let t = tp
            .run(
                &mut UnitCells {
                    views: &views,
                    year: offset,
                },
                &mut stack,
            )
            .ok()?;
        Some(Counts::new(s, t, *scale))
    }

    /// Re-evaluates one cell of `ds` (the dataset the table was computed
    /// from) with tracing: the inputs read with their values and warnings,
    /// the outcome, and the counts.
    ///
    /// ```
    /// use kpi_indicators::{compute, Catalogue, Outcome};
    /// use kpi_model::{DatasetBuilder, Level};
    /// let ds = DatasetBuilder::new(2022, 2023)
    ///     .org("S1", Level::School, "Shymkent")
    ///     .value("S1", None, 2022, "students_enrolled", 400.0)
    ///     .value("S1", None, 2022, "graduates", 40.0)
    ///     .value("S1", None, 2023, "students_enrolled", 420.0)
    ///     .value("S1", None, 2023, "students_admitted", 60.0)
    ///     .build();
    /// let table = compute(&ds, &Catalogue::builtin());
    /// let s1 = ds.org_unit(ds.org_by_id("S1").unwrap());
    /// let e = table.explain(&ds, "continuation_rate", s1, 2023).unwrap();
    /// // 100 * (420 - 60) / (400 - 40) = 100
    /// assert_eq!(e.outcome, Outcome::Value(100.0));
    /// let read: Vec<(&str, i32, Option<f64>)> =
    ///     e.inputs.iter().map(|i| (i.metric.as_str(), i.year, i.value)).collect();
    /// assert_eq!(read, [
    ///     ("students_enrolled", 2023, Some(420.0)),
    ///     ("students_admitted", 2023, Some(60.0)),
    ///     ("students_enrolled", 2022, Some(400.0)),
    ///     ("graduates", 2022, Some(40.0)),
    /// ]);
    /// ```
    pub fn explain<K: IndicatorKey>(
        &self,
        ds: &Dataset,
        indicator: K,
        unit: UnitId,
        year: Year,
    ) -> Result<Explanation, LookupError> {
        self.check(ds)?;
        let id = indicator
            .resolve(self.catalogue())
            .ok_or_else(|| LookupError::UnknownIndicator(String::from("(unknown)")))?;
        let def = self
            .catalogue()
            .get(id)
            .ok_or_else(|| LookupError::UnknownIndicator(format!("#{}", id.0)))?;
        if !self.applies(id, unit) {
            return Err(LookupError::NotApplicable {
                indicator: def.code.clone(),
                unit,
            });
        }
        let offset = self
            .years()
            .offset(year)
            .ok_or(LookupError::YearOutOfRange(year))?;
        let column = self.column(id).ok_or(LookupError::DatasetMismatch)?;
        let compiled = self
            .catalogue()
            .compiled(id)
            .ok_or(LookupError::DatasetMismatch)?;
        let bound = &column.bound;
        let store = ds.store();
        let mut views = Vec::new();
        unit_views(store, bound, unit, &mut views);
        let mut stack = Vec::new();
        let (v, reads) = trace(&compiled.value, &views, offset, &mut stack);
        let mut warnings: Vec<IssueId> = Vec::new();
        let inputs = reads
            .iter()
            .filter_map(|r| {
                let m = compiled.value.inputs().get(usize::from(r.input))?;
                let at = year - Year::from(r.lag);
                let w: Vec<IssueId> = bound
                    .get(usize::from(r.input))
                    .copied()
                    .flatten()
                    .map(|c| store.flags(c, unit, at).to_vec())
                    .unwrap_or_default();
                for i in &w {
                    if !warnings.contains(i) {
                        warnings.push(*i);
                    }
                }
                Some(InputUse {
                    metric: m.metric.clone(),
                    breakdown: m.breakdown.clone(),
                    year: at,
                    value: r.value,
                    warnings: w,
                })
            })
            .collect();
        warnings.sort();
        let org = self.org_of(unit).ok_or(LookupError::DatasetMismatch)?;
        Ok(Explanation {
            indicator: def.code.clone(),
            formula: def.formula.source().to_string(),
            unit,
            org_id: ds.org(org).id.clone(),
            programme: ds.programme_code(unit).map(str::to_string),
            year,
            outcome: self.outcome(id, year, v),
            inputs,
            warnings,
            counts: self.counts(ds, id, unit, year),
        })
    }
}
