//! Typed answers to the questions analysts ask most, for programs that use the
//! engine as a library (the charts' requests are in `views`).

use super::{Engine, EngineError, ViewRequest};
use kpi_indicators::Outcome;
use kpi_model::i18n::{Labels, Lang};
use kpi_model::{academic_year_label, Direction, Level, ValueUnit, Year};
use kpi_stats::comparative::GroupGaps;
use kpi_stats::comparative::{GroupStats, Sex};
use kpi_stats::dynamic::Forecast;
use kpi_stats::{analyse_series, Computed, DynamicAnalysis, SeriesPoint};
use kpi_stats::{group_gaps, sex_gap, NotComputable, Parity};
use kpi_stats::{reconstruct_cohort, CohortCounts, CohortFlow, CohortOptions};

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
use serde::{Deserialize, Serialize};

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

/// How organisations are grouped for [`Engine::gaps`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapBy {
    /// Urban and rural.
    Locality,
    /// State and private.
    Ownership,
    /// One group per region.
    Region,
    /// Women and men: the indicator computed from the `female` and `male`
    /// breakdowns of its metrics, with the adjusted parity index of the means.
    Sex,
}

impl GapBy {
    /// By its code (`locality`, `ownership`, `region`, `sex`).
    ///
    /// ```
    /// use kpi_engine::GapBy;
    /// assert_eq!(GapBy::from_code("region"), Some(GapBy::Region));
    /// assert_eq!(GapBy::from_code("Sex"), Some(GapBy::Sex));
    /// assert_eq!(GapBy::from_code("gender"), None);
    /// ```
    pub fn from_code(code: &str) -> Option<GapBy> {
        match code.trim().to_ascii_lowercase().as_str() {
            "locality" => Some(GapBy::Locality),
            "ownership" => Some(GapBy::Ownership),
            "region" => Some(GapBy::Region),
            "sex" => Some(GapBy::Sex),
            _ => None,
        }
    }
}

/// The name of a group in a language: localities and ownerships are
/// translated, regions are written as in the data.
///
/// ```
/// use kpi_engine::group_name;
/// use kpi_model::i18n::Lang;
/// assert_eq!(group_name("rural", Lang::Ru), "сельские");
/// assert_eq!(group_name("Abai", Lang::Kk), "Abai");
/// ```
pub fn group_name(group: &str, lang: Lang) -> String {
    let (kk, ru, en, ky) = match group {
        "urban" => ("қалалық", "городские", "urban", "шаардык"),
        "rural" => ("ауылдық", "сельские", "rural", "айылдык"),
        "state" => ("мемлекеттік", "государственные", "state", "мамлекеттик"),
        "private" => ("жеке", "частные", "private", "жеке менчик"),
        "female" => ("әйелдер", "женщины", "women", "аялдар"),
        "male" => ("ерлер", "мужчины", "men", "эркектер"),
        other => return other.to_string(),
    };
    match lang {
        Lang::Kk => kk,
        Lang::Ru => ru,
        Lang::En => en,
        Lang::Ky => ky,
    }
    .to_string()
}

/// An indicator compared across groups of the organisations of one level in
/// one year (`kpi gaps`; `docs/methods.md`, "Group gaps").
#[derive(Clone, Debug, Serialize)]
pub struct GapsReport {
    /// The indicator code.
    pub indicator: String,
    /// The unit of the values.
    pub unit: ValueUnit,
    /// Which way is better.
    pub direction: Direction,
    /// The level compared.
    pub level: Level,
    /// The year.
    pub year: Year,
    /// How the organisations are grouped.
    pub by: GapBy,
    /// Organisations of the level with a value.
    pub with_value: usize,
    /// Organisations of the level without a value (not computable that year).
    pub without_value: usize,
    /// Organisations with a value but no group (ownership or locality not given).
    pub without_group: usize,
    /// The group statistics, the best and worst group, and for two groups
    /// the difference with Welch's t-test; or why there are none.
    #[serde(with = "kpi_stats::computed_serde")]
    pub gaps: Computed<GroupGaps<String>>,
    /// By sex only: the parity index of the two means (female / male) and its
    /// adjusted form, or why it is not computable.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_parity"
    )]
    pub parity: Option<Computed<Parity>>,
    /// One or two sentences in kk, ru and en.
    pub summary: Labels,
}

fn serialize_parity<S: serde::Serializer>(
    parity: &Option<Computed<Parity>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match parity {
        Some(p) => kpi_stats::computed_serde::serialize(p, s),
        None => s.serialize_none(),
    }
}

/// The statistics of the sexes keyed by name (`female`, `male`, in that order).
fn keyed_by_name(g: GroupGaps<Sex>) -> GroupGaps<String> {
    keyed(g, |s: Sex| {
        match s {
            Sex::Female => "female",
            Sex::Male => "male",
        }
        .to_string()
    })
}

/// Group gaps with each group's key turned into its name.
fn keyed<G, H>(g: GroupGaps<G>, name: impl Fn(G) -> H) -> GroupGaps<H> {
    GroupGaps {
        n: g.n,
        skipped: g.skipped,
        overall_mean: g.overall_mean,
        overall_median: g.overall_median,
        groups: g
            .groups
            .into_iter()
            .map(|s| GroupStats {
                group: name(s.group),
                n: s.n,
                mean: s.mean,
                median: s.median,
                sd: s.sd,
                mean_ci95: s.mean_ci95,
                mean_minus_overall: s.mean_minus_overall,
                median_minus_overall: s.median_minus_overall,
            })
            .collect(),
        best: name(g.best),
        worst: name(g.worst),
        best_minus_worst: g.best_minus_worst,
        pair: g.pair,
    }
}

impl Engine {
    /// Compares `indicator` across the groups (`by`) of the organisations of
    /// `level` in `year`, with their organisation-level values.
    ///
    /// ```
    /// use kpi_engine::{Engine, GapBy};
    /// use kpi_indicators::Catalogue;
    /// use kpi_model::{DatasetBuilder, Level};
    /// use kpi_risk::CriteriaSet;
    /// let mut b = DatasetBuilder::new(2023, 2023);
    /// for (id, region, employed) in [("C1", "Abai", 60.0), ("C2", "Abai", 70.0), ("C3", "Astana", 90.0)] {
    ///     b = b.org(id, Level::College, region)
    ///          .value(id, None, 2023, "graduates", 100.0)
    ///          .value(id, None, 2023, "graduates_employed", employed);
    /// }
    /// let ds = b.build();
    /// let report = ds.report().clone();
    /// let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
    /// let g = e.gaps("employment_rate", 2023, Level::College, GapBy::Region).unwrap();
    /// let gaps = g.gaps.as_ref().unwrap();
    /// assert_eq!((gaps.best.as_str(), gaps.worst.as_str()), ("Astana", "Abai"));
    /// assert_eq!(gaps.best_minus_worst, 25.0); // 90 − (60 + 70) / 2
    /// ```
    pub fn gaps(
        &self,
        indicator: &str,
        year: Year,
        level: Level,
        by: GapBy,
    ) -> Result<GapsReport, EngineError> {
        let id = self.indicator_def(indicator)?.0;
        self.gaps_with(indicator, year, level, by, &|unit| {
            self.indicators.value(id, unit, year)
        })
    }

    /// [`Engine::gaps`] over the organisation values that `value` gives
    /// (`None`: the organisation has no value), e.g. only the values a
    /// bundle publishes (`kpi publish`), so that a group mean never rests on
    /// a suppressed value. `by` = [`GapBy::Sex`] needs each sex's own value,
    /// which only the dataset has, and is refused.
    ///
    /// ```
    /// use kpi_engine::{Engine, GapBy};
    /// use kpi_indicators::Catalogue;
    /// use kpi_model::{DatasetBuilder, Level};
    /// use kpi_risk::CriteriaSet;
    /// let mut b = DatasetBuilder::new(2023, 2023);
    /// for (id, region, employed) in [("C1", "Abai", 60.0), ("C2", "Abai", 70.0), ("C3", "Astana", 90.0)] {
    ///     b = b.org(id, Level::College, region)
    ///          .value(id, None, 2023, "graduates", 100.0)
    ///          .value(id, None, 2023, "graduates_employed", employed);
    /// }
    /// let ds = b.build();
    /// let report = ds.report().clone();
    /// let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
    /// // As if C2's value were suppressed: Abai's mean is C1's alone.
    /// let c2 = e.dataset().org_unit(e.dataset().org_by_id("C2").unwrap());
    /// let g = e
    ///     .gaps_of_values("employment_rate", 2023, Level::College, GapBy::Region, &|u| {
    ///         (u != c2).then(|| e.indicators().value("employment_rate", u, 2023)).flatten()
    ///     })
    ///     .unwrap();
    /// assert_eq!(g.gaps.as_ref().unwrap().best_minus_worst, 30.0); // 90 − 60
    /// assert!(e.gaps_of_values("employment_rate", 2023, Level::College, GapBy::Sex, &|_| None).is_err());
    /// ```
    pub fn gaps_of_values(
        &self,
        indicator: &str,
        year: Year,
        level: Level,
        by: GapBy,
        value: &dyn Fn(kpi_model::UnitId) -> Option<f64>,
    ) -> Result<GapsReport, EngineError> {
        if by == GapBy::Sex {
            return Err(EngineError::bad(
                "gaps by sex need each sex's value of every organisation, which only the dataset has",
            ));
        }
        self.gaps_with(indicator, year, level, by, value)
    }

    fn gaps_with(
        &self,
        indicator: &str,
        year: Year,
        level: Level,
        by: GapBy,
        value_of: &dyn Fn(kpi_model::UnitId) -> Option<f64>,
    ) -> Result<GapsReport, EngineError> {
        let (id, def) = self.indicator_def(indicator)?;
        if !def.applies_to(level) || !def.per.organisations() {
            return Err(EngineError::NoData {
                what: format!(
                    "`{}` is not computed for {} organisations",
                    def.code,
                    level.code()
                ),
            });
        }
        if !self.dataset.years().contains(year) {
            return Err(EngineError::NoData {
                what: format!(
                    "year {year} is outside the data ({}–{})",
                    self.dataset.years().first,
                    self.dataset.years().last
                ),
            });
        }
        let (mut with_value, mut without_value, mut without_group) = (0, 0, 0);
        // Groups by the organisation's own text (no copy per organisation: a national
        // bundle asks for every indicator, year and grouping of every level).
        let mut values: Vec<(&str, f64)> = Vec::new();
        let (mut female, mut male) = (Vec::new(), Vec::new());
        for o in self.dataset.orgs_of_level(level) {
            let unit = self.dataset.org_unit(o);
            let Some(v) = value_of(unit) else {
                without_value += 1;
                continue;
            };
            with_value += 1;
            let org = self.dataset.org(o);
            if by == GapBy::Sex {
                // Each sex's value from its own counts; an organisation that records
                // neither has no group.
                let of = |sex| {
                    self.indicators
                        .value_of_breakdown(&self.dataset, id, unit, year, sex)
                        .filter(|v| v.is_finite())
                };
                let (f, m) = (of("female"), of("male"));
                female.extend(f);
                male.extend(m);
                if f.is_none() && m.is_none() {
                    without_group += 1;
                }
                continue;
            }
            let group = match by {
                GapBy::Locality => org.locality.map(|l| l.code()),
                GapBy::Ownership => org.ownership.map(|w| w.code()),
                GapBy::Region => Some(org.region.as_str()),
                GapBy::Sex => None,
            };
            match group {
                Some(g) => values.push((g, v)),
                None => without_group += 1,
            }
        }
        let (gaps, parity) = if by == GapBy::Sex {
            if female.is_empty() && male.is_empty() {
                let why = NotComputable::MissingData {
                    // Metric-like names read in every language: "нет данных: x.female / x.male".
                    what: format!("{0}.female / {0}.male", def.code),
                };
                (Err(why), None)
            } else {
                match sex_gap(&female, &male, def.direction) {
                    Ok(g) => (Ok(keyed_by_name(g.gaps)), Some(g.parity_of_means)),
                    Err(e) => (Err(e), None),
                }
            }
        } else {
            (
                group_gaps(&values, def.direction).map(|g| keyed(g, str::to_string)),
                None,
            )
        };
        let subject = crate::views::subject_of(def);
        let when = academic_year_label(year);
        let summary = Labels::from_fn(|lang| {
            let s = kpi_summary::gap_summary(&subject, &gaps, group_name, &when, lang);
            match &parity {
                Some(p) => format!("{s} {}", kpi_summary::parity_sentence(p, lang)),
                None => s,
            }
        });
        Ok(GapsReport {
            indicator: def.code.clone(),
            unit: def.unit.clone(),
            direction: def.direction,
            level,
            year,
            by,
            with_value,
            without_value,
            without_group,
            gaps,
            parity,
            summary,
        })
    }
}

/// The reconstructed cohort of one school or college, or of one programme
/// (`kpi cohort`; `docs/methods.md`, "Cohort analysis"): the counts read
/// from the dataset, the flow of 1,000 entrants with the grade rates of
/// `year`, and a summary in kk, ru and en.
#[derive(Clone, Debug, Serialize)]
pub struct CohortReport {
    /// The organisation (`org_id`).
    pub org_id: String,
    /// The programme code, when the cohort is a programme's.
    pub programme: Option<String>,
    /// The year `t` of the rates (enrolment in `t` against `t + 1`).
    pub year: Year,
    /// The counts by grade, or which one is missing.
    #[serde(with = "kpi_stats::computed_serde")]
    pub counts: Computed<CohortCounts>,
    /// The reconstructed flow (survival, graduates, pupil-years,
    /// coefficient of efficiency), or why there is none.
    #[serde(with = "kpi_stats::computed_serde")]
    pub flow: Computed<CohortFlow>,
    /// Survival to the last grade and the efficiency, in kk, ru and en.
    pub summary: Labels,
}

impl Engine {
    /// The cohort of organisation `org` (or its programme `programme`) with
    /// the grade rates of `year` (default: the last year with a next year in
    /// the data). An unknown organisation or programme, or a year without a
    /// next year in the data, is an error; missing or inconsistent counts
    /// are a report whose flow is not computable, with the reason.
    ///
    /// ```
    /// use kpi_engine::Engine;
    /// use kpi_indicators::Catalogue;
    /// use kpi_model::{DatasetBuilder, Level};
    /// use kpi_risk::CriteriaSet;
    /// let mut b = DatasetBuilder::new(2022, 2023).org("S1", Level::School, "Astana");
    /// for year in [2022, 2023] {
    ///     b = b.value("S1", None, year, "students_enrolled.grade_1", 100.0)
    ///          .value("S1", None, year, "students_enrolled.grade_2", 90.0)
    ///          .value("S1", None, year, "repeaters.grade_1", 0.0)
    ///          .value("S1", None, year, "repeaters.grade_2", 0.0);
    /// }
    /// let ds = b.value("S1", None, 2022, "graduates", 81.0).build();
    /// let report = ds.report().clone();
    /// let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
    /// let c = e.cohort("S1", None, None).unwrap();
    /// assert_eq!(c.year, 2022);
    /// let flow = c.flow.as_ref().unwrap();
    /// // p = 0.9, d = 0.1 in both grades: 1000 → 900 → 810 graduates in 1900 pupil-years
    /// assert!((flow.survival_to_last_grade - 0.9).abs() < 1e-12);
    /// assert!((flow.coefficient_of_efficiency.as_ref().unwrap() - 1620.0 / 1900.0).abs() < 1e-12);
    /// assert!(e.cohort("S1", None, Some(2023)).is_err()); // no 2024 to compare with
    /// ```
    pub fn cohort(
        &self,
        org: &str,
        programme: Option<&str>,
        year: Option<Year>,
    ) -> Result<CohortReport, EngineError> {
        let request = ViewRequest {
            org: Some(org.to_string()),
            programme: programme.map(str::to_string),
            ..ViewRequest::default()
        };
        let target = self.target(&request)?;
        let span = self.dataset.years();
        if span.first >= span.last {
            return Err(EngineError::NoData {
                what: format!(
                    "the cohort needs two consecutive years; the data has only {}",
                    academic_year_label(span.first)
                ),
            });
        }
        let year = year.unwrap_or(span.last - 1);
        if year < span.first || year >= span.last {
            let may = if span.last - 1 == span.first {
                format!("only {}", span.first)
            } else {
                format!("{}–{}", span.first, span.last - 1)
            };
            return Err(EngineError::NoData {
                what: format!(
                    "the rates of {year} need it and the next year in the data ({}–{}); the entry year may be {may}",
                    span.first, span.last
                ),
            });
        }
        let counts = CohortCounts::from_dataset(&self.dataset, target.unit, year);
        let flow = counts
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|c| c.rates())
            .and_then(|r| reconstruct_cohort(&r, &CohortOptions::default()));
        let when = academic_year_label(year);
        let summary = Labels::from_fn(|lang| kpi_summary::cohort_summary(&flow, &when, lang));
        Ok(CohortReport {
            org_id: self.dataset.org(target.org).id.clone(),
            programme: target.programme,
            year,
            counts,
            flow,
            summary,
        })
    }
}
