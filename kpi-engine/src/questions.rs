//! Typed answers to the questions analysts ask most, for programs that use the
//! engine as a library (the charts' requests are in `views`).

use super::{Engine, EngineError, ViewRequest};
use kpi_indicators::Outcome;
use kpi_model::{Direction, ValueUnit, Year};
use kpi_stats::dynamic::Forecast;
use kpi_stats::{analyse_series, Computed, DynamicAnalysis, SeriesPoint};

/// A forecast clamped to the natural bounds of the indicator's unit (a
/// percentage within 0–100, a ratio or count at least 0). The one place the
/// engine bounds forecasts: the trend report (CLI `kpi trend`) and the
/// `trend` chart input both take their forecast from here.
///
/// ```
/// use kpi_engine::forecast_within_unit;
/// use kpi_model::ValueUnit;
/// use kpi_stats::dynamic::forecast;
/// // A ratio falling by 2 a year from 5: the line and band would go below 0.
/// let s = [(2020, Some(5.0)), (2021, Some(3.0)), (2022, Some(1.2)), (2023, Some(0.5))];
/// let f = forecast_within_unit(&ValueUnit::Ratio, forecast(&s, 3)).unwrap();
/// assert!(f.points.iter().all(|p| p.lower >= 0.0 && p.value >= 0.0));
/// ```
pub fn forecast_within_unit(unit: &ValueUnit, f: Computed<Forecast>) -> Computed<Forecast> {
    let (lowest, highest) = unit.natural_bounds();
    f.map(|f| f.clamped(lowest, highest))
}
use serde::Serialize;

/// The dynamic analysis of one indicator of one organisation or programme:
/// its yearly values with the reason of each one not computable, and the
/// analysis of the series (changes, OLS trend, Mann–Kendall, Sen's slope,
/// forecast, signals; `docs/methods.md`, "Dynamic analysis").
#[derive(Clone, Debug, Serialize)]
pub struct TrendReport {
    /// The organisation (`org_id`).
    pub org_id: String,
    /// The programme code, when the report is about a programme.
    pub programme: Option<String>,
    /// The indicator code.
    pub indicator: String,
    /// The unit of the values.
    pub unit: ValueUnit,
    /// Which way is better.
    pub direction: Direction,
    /// Every year of the dataset with the indicator's outcome.
    pub series: Vec<(Year, Outcome)>,
    /// The analysis of the computable values, or why there is none (too few).
    pub analysis: Computed<DynamicAnalysis>,
}

impl Engine {
    /// The dynamic analysis of `indicator` for the organisation `org`.
    ///
    /// ```
    /// use kpi_engine::Engine;
    /// use kpi_indicators::Catalogue;
    /// use kpi_model::{DatasetBuilder, Level};
    /// use kpi_risk::CriteriaSet;
    /// let mut b = DatasetBuilder::new(2019, 2023).org("S1", Level::School, "Astana");
    /// for (year, dropped) in [(2019, 10.0), (2020, 9.0), (2021, 7.0), (2022, 6.0), (2023, 4.0)] {
    ///     b = b.value("S1", None, year, "students_enrolled", 1000.0)
    ///          .value("S1", None, year, "expelled", dropped);
    /// }
    /// let ds = b.build();
    /// let report = ds.report().clone();
    /// let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
    /// let t = e.trend("S1", "dropout_rate").unwrap();
    /// assert_eq!(t.series.len(), 5);
    /// let ols = t.analysis.as_ref().unwrap().trend.as_ref().unwrap();
    /// // Dropout 1.0, 0.9, 0.7, 0.6, 0.4 %: Σ(x − x̄)(y − ȳ) / Σ(x − x̄)² = −1.5 / 10 per year.
    /// assert!((ols.slope + 0.15).abs() < 1e-12, "{}", ols.slope);
    /// assert!(e.trend("S9", "dropout_rate").is_err());
    /// ```
    pub fn trend(&self, org: &str, indicator: &str) -> Result<TrendReport, EngineError> {
        self.trend_report(org, None, indicator)
    }

    /// [`Engine::trend`] of a programme (`programme` is its code) of `org`.
    pub fn programme_trend(
        &self,
        org: &str,
        programme: &str,
        indicator: &str,
    ) -> Result<TrendReport, EngineError> {
        self.trend_report(org, Some(programme), indicator)
    }

    fn trend_report(
        &self,
        org: &str,
        programme: Option<&str>,
        indicator: &str,
    ) -> Result<TrendReport, EngineError> {
        let request = ViewRequest {
            org: Some(org.to_string()),
            programme: programme.map(str::to_string),
            indicator: Some(indicator.to_string()),
            ..ViewRequest::default()
        };
        let target = self.target(&request)?;
        let (id, def) = self.indicator_def(indicator)?;
        self.check_applies(id, def, &target)?;
        let series = self.indicators.series(id, target.unit);
        let points: Vec<SeriesPoint> = series.iter().map(|(y, o)| (*y, o.value())).collect();
        Ok(TrendReport {
            org_id: self.dataset.org(target.org).id.clone(),
            programme: target.programme,
            indicator: def.code.clone(),
            unit: def.unit.clone(),
            direction: def.direction,
            analysis: analyse_series(&points, def.direction).map(|mut a| {
                a.forecast = forecast_within_unit(&def.unit, a.forecast);
                a
            }),
            series,
        })
    }
}
