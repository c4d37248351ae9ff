//! Chart inputs of the ten widget kinds, built from real results.

use super::peers::{level_label, Group};
use super::{Engine, EngineError, PeersArg};
use kpi_chart::{
    Assessment, AxisOptions, ChartInput, ChartKind, ChartStrings, CompareBar, CompareData,
    DistributionData, DistributionMode, FamilyScore, ForecastPoint, HeatmapCell, HeatmapColumn,
    HeatmapData, HeatmapRow, IndicatorInfo, KpiCardData, PeerBand, RadarData, RiskBreakdownData,
    RiskCriterion, RiskGaugeData, ScatterData, ScatterPoint, Signal, TableCell, TableColumn,
    TableData, Text, TrendData, TrendPoint, ValueUnit, YearValue,
};
use kpi_indicators::{IndicatorDef, IndicatorId, Outcome, Tag};
use kpi_model::i18n::{Labels, Lang};
use kpi_model::{Direction, Family, Level, OrgIdx, UnitId, Year};
use kpi_risk::Degree;
use kpi_stats::{
    distribution, forecast, linear_trend, peer_positions, signals, PeerComparison, SeriesPoint,
};
use kpi_summary::Subject;
use serde::{Deserialize, Deserializer, Serialize};

/// The pseudo-indicator of `compare` and `table` that ranks risk scores.
pub const RISK_SCORE: &str = "risk_score";

/// Indicators shown by default in a heatmap (the level's KPI-tagged ones, at most this many).
pub const DEFAULT_HEATMAP_INDICATORS: usize = 8;

/// What a widget asks for; the same fields as the widget's attributes.
///
/// ```
/// use kpi_engine::{PeersArg, ViewRequest};
/// use kpi_model::i18n::Lang;
/// let r: ViewRequest = serde_json::from_str(
///     r#"{"kind":"compare","org":"U1","indicator":"employment_rate","year":2023,"peers":"region","top":10,"lang":"ru"}"#,
/// ).unwrap();
/// assert_eq!(r.peers, Some(PeersArg::Word("region".into())));
/// assert_eq!(r.lang, Lang::Ru);
/// let y: ViewRequest = serde_json::from_str(r#"{"kind":"trend","year":"2023-2024"}"#).unwrap();
/// assert_eq!(y.year, Some(2023));
/// let h: ViewRequest = serde_json::from_str(r#"{"kind":"heatmap","indicators":"a, b"}"#).unwrap();
/// assert_eq!(h.indicators, Some(vec!["a".to_string(), "b".to_string()]));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewRequest {
    /// The chart kind (required in JSON).
    pub kind: ChartKind,
    /// The organisation (`org_id`).
    #[serde(default)]
    pub org: Option<String>,
    /// A programme code of the organisation.
    #[serde(default)]
    pub programme: Option<String>,
    /// The indicator code (`risk_score` in `compare` and `table`).
    #[serde(default)]
    pub indicator: Option<String>,
    /// Several indicators (scatter: x and y; heatmap: columns); an array or a
    /// comma-separated string.
    #[serde(default, deserialize_with = "list_or_text")]
    pub indicators: Option<Vec<String>>,
    /// The year (default: the latest year with data): a number, or a text as
    /// in a widget attribute (`"2023"`, `"2023-2024"`, `"2023/2024"`).
    #[serde(default, deserialize_with = "year_or_text")]
    pub year: Option<Year>,
    /// The peer group (default: same level and year).
    #[serde(default)]
    pub peers: Option<PeersArg>,
    /// Show only the best N (compare).
    #[serde(default)]
    pub top: Option<usize>,
    /// Show only the worst N (compare).
    #[serde(default)]
    pub bottom: Option<usize>,
    /// Language of titles, labels and sentences.
    #[serde(default)]
    pub lang: Lang,
}

impl ViewRequest {
    /// Parses a request from JSON. An unknown `kind` is
    /// [`EngineError::UnknownKind`]; an unknown field, a wrong type or a
    /// missing kind is [`EngineError::BadRequest`] naming the problem.
    ///
    /// ```
    /// use kpi_engine::{EngineError, ViewRequest};
    /// let r = ViewRequest::from_json(r#"{"kind":"trend","org":"S1"}"#).unwrap();
    /// assert_eq!(r.org.as_deref(), Some("S1"));
    /// assert!(matches!(ViewRequest::from_json(r#"{"kind":"pie"}"#), Err(EngineError::UnknownKind { .. })));
    /// let typo = ViewRequest::from_json(r#"{"kind":"trend","indicatr":"x"}"#).unwrap_err();
    /// assert!(typo.to_string().contains("indicatr"), "{typo}");
    /// ```
    pub fn from_json(json: &str) -> Result<ViewRequest, EngineError> {
        serde_json::from_str(json).map_err(|e| {
            // Read the kind alone to tell an unknown kind from the other errors.
            let kind = serde_json::from_str::<serde_json::Value>(json)
                .ok()
                .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string));
            match kind {
                Some(kind) if ChartKind::from_code(&kind).is_none() => {
                    EngineError::UnknownKind { kind }
                }
                _ => EngineError::bad(format!("request: {e}")),
            }
        })
    }
}

impl Default for ViewRequest {
    /// A `trend` request with every other field left out (Rust callers set the kind
    /// they need; in JSON the kind is required).
    fn default() -> Self {
        ViewRequest {
            kind: ChartKind::Trend,
            org: None,
            programme: None,
            indicator: None,
            indicators: None,
            year: None,
            peers: None,
            top: None,
            bottom: None,
            lang: Lang::default(),
        }
    }
}

fn list_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        List(Vec<String>),
        Text(String),
    }
    Ok(match Option::<Either>::deserialize(d)? {
        None => None,
        Some(Either::List(v)) => Some(v),
        Some(Either::Text(t)) => Some(
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
        ),
    })
}

fn year_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Year>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(Year),
        Text(String),
    }
    match Option::<Either>::deserialize(d)? {
        None => Ok(None),
        Some(Either::Number(y)) => Ok(Some(y)),
        Some(Either::Text(t)) => {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            // The academic year is named by its first calendar year.
            let first: String = t.chars().take_while(char::is_ascii_digit).collect();
            first
                .parse::<Year>()
                .ok()
                .filter(|_| first.len() == 4)
                .map(Some)
                .ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "year `{t}`: expected a year such as 2023 or 2023-2024"
                    ))
                })
        }
    }
}

/// One member of a peer comparison (the rows of `kpi compare` and the `table` view).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// `org_id`.
    pub org_id: String,
    /// Programme code, for programme comparisons.
    pub programme: Option<String>,
    /// Name in the request's language.
    pub name: String,
    /// The value; `None` when not computable.
    pub value: Option<f64>,
    /// Why the value is not computable.
    pub reason: Option<String>,
    /// Percentile rank `100 × (below + 0.5 × equal) / n` (docs/methods.md).
    pub percentile: Option<f64>,
    /// z-score.
    pub z: Option<f64>,
    /// Robust z `0.6745 × (x − median) / MAD`.
    pub robust_z: Option<f64>,
    /// Rank, 1 = best by direction, ties share the smallest rank.
    pub rank: Option<usize>,
    /// `|robust z| > 3.5`.
    pub outlier: bool,
    /// The organisation the request is about.
    pub highlight: bool,
}

/// A peer comparison of one indicator in one year. See [`Engine::comparison`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The indicator (or `risk_score`).
    pub indicator: IndicatorInfo,
    /// The year.
    pub year: Year,
    /// The level of the peer group.
    pub level: Level,
    /// What the peer group is, in the request's language.
    pub peer_group: String,
    /// Peers with a value.
    pub n: usize,
    /// The peer median.
    pub median: Option<f64>,
    /// Members, best first, not-computable ones last.
    pub rows: Vec<ComparisonRow>,
    /// The sentence about the highlighted organisation (or the distribution).
    pub summary: Option<String>,
}

/// The unit a request is about.
struct Target {
    org: OrgIdx,
    unit: UnitId,
    programme: Option<String>,
    names: Labels,
}

/// Percentiles in an indicator's direction: `100 × (worse + 0.5 × equal) / n`.
pub(crate) struct Goodness {
    sorted: Vec<f64>,
    direction: Direction,
}

impl Goodness {
    pub(crate) fn new(values: impl Iterator<Item = f64>, direction: Direction) -> Goodness {
        let mut sorted: Vec<f64> = values
            .filter(|v| v.is_finite())
            .map(|v| direction.goodness(v) + 0.0)
            .collect();
        sorted.sort_by(f64::total_cmp);
        Goodness { sorted, direction }
    }

    pub(crate) fn n(&self) -> usize {
        self.sorted.len()
    }

    pub(crate) fn percentile(&self, value: f64) -> Option<f64> {
        if !value.is_finite() {
            return None;
        }
        kpi_stats::order::percentile_rank_sorted(&self.sorted, self.direction.goodness(value))
    }
}

fn median(values: &[f64]) -> Option<f64> {
    distribution(values).ok().map(|d| d.median)
}

fn family_label(f: Family) -> Labels {
    let (kk, ru, en) = match f {
        Family::Input => ("Ресурстар", "Ресурсы", "Input"),
        Family::Process => ("Процесс", "Процесс", "Process"),
        Family::Outcome => ("Нәтиже", "Результат", "Outcome"),
        Family::Efficiency => ("Тиімділік", "Эффективность", "Efficiency"),
    };
    Labels {
        kk: kk.into(),
        ru: ru.into(),
        en: en.into(),
    }
}

fn risk_score_info() -> IndicatorInfo {
    IndicatorInfo {
        code: RISK_SCORE.into(),
        label: Text::Langs(Labels {
            kk: "Тәуекел балы".into(),
            ru: "Балл риска".into(),
            en: "Risk score".into(),
        }),
        unit: ValueUnit::Points,
        direction: Direction::Lower,
        decimals: Some(1),
        formula: Some("100 × Σ wᵢ sᵢ / Σ wᵢ over computable criteria".into()),
    }
}

/// What a chart needs to know about a catalogue indicator.
pub fn indicator_info(def: &IndicatorDef) -> IndicatorInfo {
    IndicatorInfo {
        code: def.code.clone(),
        label: Text::Langs(def.name.clone()),
        unit: ValueUnit::from_code(def.unit.symbol()),
        direction: def.direction,
        decimals: Some(usize::from(def.decimals)),
        formula: Some(def.formula.to_string()),
    }
}

/// The subject of a summary sentence about an indicator.
pub fn subject_of(def: &IndicatorDef) -> Subject {
    Subject::new(def.name.clone(), def.unit.symbol()).with_decimals(usize::from(def.decimals))
}

fn reason_text(outcome: &Outcome, lang: Lang) -> Option<String> {
    outcome.reason().map(|r| r.localized(lang))
}

fn signal_text(s: &kpi_stats::dynamic::Signal, info: &IndicatorInfo) -> Labels {
    use kpi_stats::dynamic::SignalRule;
    let strings = ChartStrings::builtin();
    let f = |lang: Lang, v: f64| info.format(v, lang, strings);
    let per_year = |lang: Lang, v: f64| info.unit.format_change(v, info.decimals, lang, strings);
    match s.rule {
        SignalRule::OutsidePredictionInterval => Labels {
            kk: format!(
                "{} мәні трендтің 95% болжам аралығынан тыс (күтілген {})",
                f(Lang::Kk, s.observed),
                f(Lang::Kk, s.expected)
            ),
            ru: format!(
                "Значение {} вне 95% интервала прогноза по тренду (ожидалось {})",
                f(Lang::Ru, s.observed),
                f(Lang::Ru, s.expected)
            ),
            en: format!(
                "{} lies outside the trend's 95% prediction interval (expected {})",
                f(Lang::En, s.observed),
                f(Lang::En, s.expected)
            ),
        },
        SignalRule::UnusualChange => Labels {
            kk: format!(
                "Әдеттен тыс өзгеріс: жылына {} (әдетте {})",
                per_year(Lang::Kk, s.observed),
                per_year(Lang::Kk, s.expected)
            ),
            ru: format!(
                "Необычное изменение: {} в год (обычно {})",
                per_year(Lang::Ru, s.observed),
                per_year(Lang::Ru, s.expected)
            ),
            en: format!(
                "Unusual change: {} a year (typically {})",
                per_year(Lang::En, s.observed),
                per_year(Lang::En, s.expected)
            ),
        },
    }
}

impl Engine {
    /// The chart input of a widget request, built from the engine's results.
    ///
    /// Errors name what was asked: an unknown organisation, programme or
    /// indicator, an indicator that does not apply to the organisation's level,
    /// a missing parameter, or no data at all for the request.
    pub fn chart(&self, request: &ViewRequest) -> Result<ChartInput, EngineError> {
        match request.kind {
            ChartKind::KpiCard => self.kpi_card(request).map(ChartInput::KpiCard),
            ChartKind::Trend => self.trend(request).map(ChartInput::Trend),
            ChartKind::Compare => self.compare(request).map(ChartInput::Compare),
            ChartKind::Distribution => self.distribution(request).map(ChartInput::Distribution),
            ChartKind::Scatter => self.scatter(request).map(ChartInput::Scatter),
            ChartKind::Heatmap => self.heatmap(request).map(ChartInput::Heatmap),
            ChartKind::RiskGauge => self.risk_gauge(request).map(ChartInput::RiskGauge),
            ChartKind::RiskBreakdown => self.risk_breakdown(request).map(ChartInput::RiskBreakdown),
            ChartKind::Radar => self.radar(request).map(ChartInput::Radar),
            ChartKind::Table => self.table(request).map(ChartInput::Table),
        }
    }

    /// An indicator by code.
    pub fn indicator_def(&self, code: &str) -> Result<(IndicatorId, &IndicatorDef), EngineError> {
        let code = code.trim();
        let id = self
            .indicators
            .indicator(code)
            .ok_or_else(|| EngineError::UnknownIndicator {
                indicator: code.to_string(),
            })?;
        let def = self
            .indicators
            .def(id)
            .ok_or_else(|| EngineError::UnknownIndicator {
                indicator: code.to_string(),
            })?;
        Ok((id, def))
    }

    fn required_indicator<'a>(&self, request: &'a ViewRequest) -> Result<&'a str, EngineError> {
        request
            .indicator
            .as_deref()
            .ok_or_else(|| EngineError::bad(format!("`{}` needs an indicator", request.kind)))
    }

    fn target(&self, request: &ViewRequest) -> Result<Target, EngineError> {
        let id = request
            .org
            .as_deref()
            .ok_or_else(|| EngineError::bad(format!("`{}` needs an org", request.kind)))?;
        let org = self.org(id)?;
        let mut names = self.org_names(org);
        let (unit, programme) = match request.programme.as_deref().map(str::trim) {
            None | Some("") => (self.dataset.org_unit(org), None),
            Some(code) => {
                let unit = self.dataset.programme_unit(org, code).ok_or_else(|| {
                    EngineError::UnknownProgramme {
                        org: id.to_string(),
                        programme: code.to_string(),
                    }
                })?;
                for n in [&mut names.kk, &mut names.ru, &mut names.en] {
                    n.push_str(" · ");
                    n.push_str(code);
                }
                (unit, Some(code.to_string()))
            }
        };
        Ok(Target {
            org,
            unit,
            programme,
            names,
        })
    }

    fn check_applies(
        &self,
        id: IndicatorId,
        def: &IndicatorDef,
        t: &Target,
    ) -> Result<(), EngineError> {
        if self.indicators.applies(id, t.unit) {
            return Ok(());
        }
        let org = self.dataset.org(t.org);
        Err(EngineError::NotApplicable {
            indicator: def.code.clone(),
            level: match &t.programme {
                Some(p) => format!("{} programme ({p})", org.level.code()),
                None => org.level.code().to_string(),
            },
            org: org.id.clone(),
        })
    }

    fn unit_name(&self, org: OrgIdx, unit: UnitId) -> Labels {
        let mut names = self.org_names(org);
        if let Some(code) = self.dataset.programme_code(unit) {
            for n in [&mut names.kk, &mut names.ru, &mut names.en] {
                n.push_str(" · ");
                n.push_str(code);
            }
        }
        names
    }

    /// Values of the group's units for an indicator in the group's year.
    fn group_values(&self, id: IndicatorId, units: &[(OrgIdx, UnitId)], year: Year) -> Vec<f64> {
        units
            .iter()
            .filter_map(|&(_, u)| self.indicators.value(id, u, year))
            .filter(|v| v.is_finite())
            .collect()
    }

    /// The latest year (not after `until`) in which any unit of the group
    /// (built per year) has a value.
    fn latest_year_with_data(
        &self,
        id: IndicatorId,
        org: Option<OrgIdx>,
        peers: Option<&PeersArg>,
        programme: Option<&str>,
    ) -> Option<Year> {
        let years: Vec<Year> = self.dataset.years().iter().collect();
        years.into_iter().rev().find(|&y| {
            self.peer_group(org, peers, Some(y)).is_ok_and(|g| {
                let units = self.group_units(&g, programme);
                units
                    .iter()
                    .any(|&(_, u)| self.indicators.value(id, u, y).is_some())
            })
        })
    }

    fn kpi_card(&self, r: &ViewRequest) -> Result<KpiCardData, EngineError> {
        let t = self.target(r)?;
        let (id, def) = self.indicator_def(self.required_indicator(r)?)?;
        self.check_applies(id, def, &t)?;
        let series: Vec<(Year, Outcome)> = self
            .indicators
            .series(id, t.unit)
            .into_iter()
            .filter(|(y, _)| r.year.is_none_or(|until| *y <= until))
            .collect();
        let latest = series
            .iter()
            .rev()
            .find_map(|(y, o)| o.value().map(|v| (*y, v)));
        let (year, value, reason) = match latest {
            Some((y, v)) => (y, Some(v), None),
            None => {
                let (y, o) = series.last().ok_or_else(|| EngineError::NoData {
                    what: format!(
                        "no years of `{}` for `{}`",
                        def.code,
                        self.dataset.org(t.org).id
                    ),
                })?;
                (*y, None, reason_text(o, r.lang))
            }
        };
        let previous = self.indicators.value(id, t.unit, year - 1);
        let history = series
            .iter()
            .filter_map(|(y, o)| o.value().map(|value| YearValue { year: *y, value }))
            .collect();
        let group = self.peer_group(Some(t.org), r.peers.as_ref(), Some(year))?;
        let units = self.group_units(&group, t.programme.as_deref());
        let values = self.group_values(id, &units, year);
        let goodness = Goodness::new(values.iter().copied(), def.direction);
        Ok(KpiCardData {
            indicator: indicator_info(def),
            unit_name: Text::Langs(t.names.clone()),
            org: Some(self.dataset.org(t.org).id.clone()),
            programme: t.programme.clone(),
            year: Some(year),
            value,
            reason,
            previous,
            history,
            peer_percentile: value.and_then(|v| goodness.percentile(v)),
            peer_n: Some(goodness.n() as u32),
            peer_median: median(&values),
            warnings: self.warning_texts(id, t.unit, year),
            title: None,
        })
    }

    fn trend(&self, r: &ViewRequest) -> Result<TrendData, EngineError> {
        let t = self.target(r)?;
        let (id, def) = self.indicator_def(self.required_indicator(r)?)?;
        self.check_applies(id, def, &t)?;
        let info = indicator_info(def);
        let series = self.indicators.series(id, t.unit);
        if series.is_empty() {
            return Err(EngineError::NoData {
                what: format!("no years of `{}`", def.code),
            });
        }
        let sp: Vec<SeriesPoint> = series.iter().map(|(y, o)| (*y, o.value())).collect();
        let mut points: Vec<TrendPoint> = series
            .iter()
            .map(|(year, o)| TrendPoint {
                year: *year,
                value: o.value(),
                reason: reason_text(o, r.lang),
                warnings: self.warning_texts(id, t.unit, *year),
                signal: None,
            })
            .collect();
        let lt = linear_trend(&sp, def.direction);
        let trend = match &lt {
            Ok(l) => l
                .years
                .iter()
                .map(|year| YearValue {
                    year,
                    value: l.value_at(year),
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        // Counts, rates and amounts cannot fall below zero: the band is cut there.
        let floor = if def.unit.symbol() == "points" || def.unit.symbol() == "index" {
            f64::NEG_INFINITY
        } else {
            0.0
        };
        let forecast_points = forecast(&sp, kpi_stats::dynamic::MAX_FORECAST_HORIZON)
            .map(|f| {
                f.points
                    .iter()
                    .map(|p| ForecastPoint {
                        year: p.year,
                        value: p.value.max(floor),
                        lower: p.lower.max(floor),
                        upper: p.upper.max(floor),
                    })
                    .collect()
            })
            .unwrap_or_default();
        if let Ok(s) = signals(&sp, def.direction) {
            for fired in &s.fired {
                if let Some(p) = points.iter_mut().find(|p| p.year == fired.year) {
                    use kpi_stats::dynamic::Assessment as A;
                    p.signal = Some(Signal {
                        assessment: match fired.assessment {
                            A::Better => Assessment::Better,
                            A::Worse => Assessment::Worse,
                            A::Neutral => Assessment::Neutral,
                        },
                        text: Text::Langs(signal_text(fired, &info)),
                    });
                }
            }
        }
        let mut peers = Vec::new();
        for (year, _) in &series {
            let Ok(group) = self.peer_group(Some(t.org), r.peers.as_ref(), Some(*year)) else {
                continue;
            };
            let units = self.group_units(&group, t.programme.as_deref());
            let values = self.group_values(id, &units, *year);
            let d = distribution(&values).ok();
            peers.push(PeerBand {
                year: *year,
                median: d.as_ref().map(|d| d.median),
                q1: d.as_ref().map(|d| d.q1),
                q3: d.as_ref().map(|d| d.q3),
                n: values.len() as u32,
            });
        }
        let subtitle = kpi_summary::trend_summary(&subject_of(def), &lt, r.lang);
        Ok(TrendData {
            indicator: info,
            unit_name: Text::Langs(t.names.clone()),
            org: Some(self.dataset.org(t.org).id.clone()),
            programme: t.programme.clone(),
            points,
            trend,
            forecast: forecast_points,
            peers,
            axis: AxisOptions::default(),
            title: None,
            subtitle: Some(Text::Plain(subtitle)),
        })
    }

    /// The peer comparison behind the `compare` and `table` views and `kpi
    /// compare`: every member of the peer group with value, percentile, z,
    /// robust z, rank and outlier flag. `indicator` may be `risk_score`.
    pub fn comparison(&self, r: &ViewRequest) -> Result<Comparison, EngineError> {
        let code = self.required_indicator(r)?.trim();
        let org = match r.org.as_deref() {
            Some(id) => Some(self.org(id)?),
            None => None,
        };
        let programme = r
            .programme
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        if let (Some(o), Some(p)) = (org, programme) {
            if self.dataset.programme_unit(o, p).is_none() {
                return Err(EngineError::UnknownProgramme {
                    org: self.dataset.org(o).id.clone(),
                    programme: p.to_string(),
                });
            }
        }
        // (info, direction, values per unit in a year)
        let risk = code == RISK_SCORE;
        let (info, direction, subject, id) = if risk {
            let info = risk_score_info();
            let subject = Subject::new(
                match &info.label {
                    Text::Langs(l) => l.clone(),
                    Text::Plain(p) => Labels::same(p),
                },
                "points",
            );
            (info, Direction::Lower, subject, None)
        } else {
            let (id, def) = self.indicator_def(code)?;
            if let Some(o) = org {
                let unit = match programme {
                    Some(p) => self
                        .dataset
                        .programme_unit(o, p)
                        .unwrap_or(self.dataset.org_unit(o)),
                    None => self.dataset.org_unit(o),
                };
                let t = Target {
                    org: o,
                    unit,
                    programme: programme.map(String::from),
                    names: Labels::default(),
                };
                self.check_applies(id, def, &t)?;
            }
            (
                indicator_info(def),
                def.direction,
                subject_of(def),
                Some(id),
            )
        };
        let year = match r.year {
            Some(y) => y,
            None => match id {
                Some(id) => self
                    .latest_year_with_data(id, org, r.peers.as_ref(), programme)
                    .or_else(|| self.latest_year())
                    .ok_or_else(|| EngineError::NoData {
                        what: "the dataset has no years".into(),
                    })?,
                None => self.latest_year().ok_or_else(|| EngineError::NoData {
                    what: "the dataset has no years".into(),
                })?,
            },
        };
        let group: Group = self.peer_group(org, r.peers.as_ref(), Some(year))?;
        if let Some(id) = id {
            if let Some(def) = self.indicators.def(id) {
                if !def.applies_to(group.level) {
                    return Err(EngineError::NotApplicable {
                        indicator: def.code.clone(),
                        level: group.level.code().into(),
                        org: org
                            .map(|o| self.dataset.org(o).id.clone())
                            .unwrap_or_else(|| "-".into()),
                    });
                }
            }
        }
        let units = if risk {
            group
                .orgs
                .iter()
                .map(|&o| (o, self.dataset.org_unit(o)))
                .collect()
        } else {
            self.group_units(&group, programme)
        };
        let lang = r.lang;
        let mut rows: Vec<ComparisonRow> = Vec::with_capacity(units.len());
        for &(o, u) in &units {
            let (value, reason) = match id {
                Some(id) => match self.indicators.get(id, u, year) {
                    Some(out) => (
                        out.value().filter(|v| v.is_finite()),
                        reason_text(&out, lang),
                    ),
                    None => (None, Some("not applicable".into())),
                },
                None => match self.assessment(o, year) {
                    Some(a) => match a.score.filter(|s| s.is_finite()) {
                        Some(s) if a.degree != Degree::InsufficientData => (Some(s), None),
                        _ => (
                            None,
                            Some(format!(
                                "insufficient data: {:.0}% of the criteria weight computable",
                                100.0 * a.computable_weight_share
                            )),
                        ),
                    },
                    None => (None, Some("no risk criteria apply".into())),
                },
            };
            rows.push(ComparisonRow {
                org_id: self.dataset.org(o).id.clone(),
                programme: self.dataset.programme_code(u).map(String::from),
                name: self.unit_name(o, u).get(lang).to_string(),
                value,
                reason,
                percentile: None,
                z: None,
                robust_z: None,
                rank: None,
                outlier: false,
                highlight: Some(o) == org,
            });
        }
        let valued: Vec<(usize, f64)> = rows
            .iter()
            .enumerate()
            .filter_map(|(i, row)| row.value.map(|v| (i, v)))
            .collect();
        let cmp: Option<PeerComparison<usize>> = peer_positions(&valued, direction).ok();
        if let Some(cmp) = &cmp {
            for p in &cmp.positions {
                if let Some(row) = rows.get_mut(p.id) {
                    row.percentile = Some(p.percentile_rank);
                    row.z = p.z.as_ref().ok().copied();
                    row.robust_z = p.robust_z.as_ref().ok().copied();
                    row.rank = Some(p.rank);
                    row.outlier = p.outlier;
                }
            }
        }
        let summary = cmp.as_ref().map(|c| {
            let highlighted = rows.iter().position(|r| r.highlight);
            match highlighted.and_then(|h| c.positions.iter().find(|p| p.id == h)) {
                Some(p) => kpi_summary::position_sentence(
                    &subject,
                    c.direction,
                    c.n,
                    &c.reference,
                    p,
                    lang,
                ),
                None => kpi_summary::distribution_sentence(&subject, &c.distribution, lang),
            }
        });
        rows.sort_by(|a, b| {
            a.rank
                .is_none()
                .cmp(&b.rank.is_none())
                .then(a.rank.cmp(&b.rank))
                .then_with(|| a.org_id.cmp(&b.org_id))
        });
        Ok(Comparison {
            indicator: info,
            year,
            level: group.level,
            peer_group: group.label.get(lang).to_string(),
            n: valued.len(),
            median: cmp.as_ref().map(|c| c.distribution.median),
            rows,
            summary,
        })
    }

    fn compare(&self, r: &ViewRequest) -> Result<CompareData, EngineError> {
        let c = self.comparison(r)?;
        let risk = c.indicator.code == RISK_SCORE;
        Ok(CompareData {
            bars: c
                .rows
                .iter()
                .map(|row| CompareBar {
                    id: match &row.programme {
                        Some(p) => format!("{}/{p}", row.org_id),
                        None => row.org_id.clone(),
                    },
                    org: Some(row.org_id.clone()),
                    programme: row.programme.clone(),
                    name: Text::Plain(row.name.clone()),
                    value: row.value,
                    reason: row.reason.clone(),
                    warnings: Vec::new(),
                    highlight: row.highlight,
                })
                .collect(),
            indicator: c.indicator,
            year: Some(c.year),
            median: c.median,
            top: r.top,
            bottom: r.bottom,
            peer_group: Some(Text::Plain(c.peer_group)),
            axis: if risk {
                AxisOptions {
                    zero_baseline: Some(true),
                    min: Some(0.0),
                    max: Some(100.0),
                }
            } else {
                AxisOptions::default()
            },
            title: None,
            subtitle: c.summary.map(Text::Plain),
        })
    }

    fn table(&self, r: &ViewRequest) -> Result<TableData, EngineError> {
        let c = self.comparison(r)?;
        let lang = r.lang;
        let col = |key: &str,
                   kk: &str,
                   ru: &str,
                   en: &str,
                   unit: Option<ValueUnit>,
                   dec: Option<usize>| TableColumn {
            key: key.into(),
            label: Text::Langs(Labels {
                kk: kk.into(),
                ru: ru.into(),
                en: en.into(),
            }),
            unit,
            decimals: dec,
        };
        let columns = vec![
            col(
                "rank",
                "Орын",
                "Место",
                "Rank",
                Some(ValueUnit::Count),
                Some(0),
            ),
            col("org_id", "ID", "ID", "ID", None, None),
            col("name", "Ұйым", "Организация", "Organisation", None, None),
            TableColumn {
                key: "value".into(),
                label: c.indicator.label.clone(),
                unit: Some(c.indicator.unit.clone()),
                decimals: c.indicator.decimals,
            },
            col(
                "percentile",
                "Процентиль",
                "Процентиль",
                "Percentile",
                Some(ValueUnit::Index),
                Some(0),
            ),
            col("z", "z", "z", "z", Some(ValueUnit::Index), Some(2)),
            col(
                "robust_z",
                "Робаст z",
                "Робастный z",
                "Robust z",
                Some(ValueUnit::Index),
                Some(2),
            ),
            col("outlier", "Шектен тыс", "Выброс", "Outlier", None, None),
        ];
        let yes_no = |b: bool| {
            Text::Langs(if b {
                Labels {
                    kk: "иә".into(),
                    ru: "да".into(),
                    en: "yes".into(),
                }
            } else {
                Labels::same("")
            })
        };
        let num = |v: Option<f64>| TableCell {
            value: v,
            text: None,
            reason: None,
        };
        let rows = c
            .rows
            .iter()
            .map(|row| {
                vec![
                    num(row.rank.map(|x| x as f64)),
                    TableCell::text(row.org_id.clone()),
                    TableCell::text(row.name.clone()),
                    TableCell {
                        value: row.value,
                        text: None,
                        reason: row.reason.clone(),
                    },
                    num(row.percentile),
                    num(row.z),
                    num(row.robust_z),
                    TableCell {
                        value: None,
                        text: Some(yes_no(row.outlier)),
                        reason: None,
                    },
                ]
            })
            .collect();
        let title = format!(
            "{} · {}",
            c.indicator.name(lang),
            kpi_model::academic_year_label(c.year)
        );
        Ok(TableData {
            columns,
            rows,
            sort_by: None,
            descending: false,
            title: Some(Text::Plain(title)),
            caption: Some(Text::Plain(c.summary.unwrap_or(c.peer_group))),
        })
    }

    fn distribution(&self, r: &ViewRequest) -> Result<DistributionData, EngineError> {
        let c = self.comparison(r)?;
        let highlighted = c.rows.iter().find(|row| row.highlight);
        let values: Vec<f64> = c.rows.iter().filter_map(|row| row.value).collect();
        let subject = match self.indicators.def(c.indicator.code.as_str()) {
            Some(def) => subject_of(def),
            None => Subject::new(Labels::same(c.indicator.name(r.lang)), "points"),
        };
        let sentence = distribution(&values)
            .ok()
            .map(|d| kpi_summary::distribution_sentence(&subject, &d, r.lang));
        Ok(DistributionData {
            indicator: c.indicator.clone(),
            year: Some(c.year),
            values,
            unit_value: highlighted.and_then(|h| h.value),
            unit_name: Text::Plain(highlighted.map(|h| h.name.clone()).unwrap_or_default()),
            org: highlighted.map(|h| h.org_id.clone()),
            programme: highlighted.and_then(|h| h.programme.clone()),
            mode: DistributionMode::Auto,
            bins: None,
            peer_group: Some(Text::Plain(c.peer_group)),
            axis: AxisOptions::default(),
            title: None,
            subtitle: sentence.map(Text::Plain),
        })
    }

    fn scatter(&self, r: &ViewRequest) -> Result<ScatterData, EngineError> {
        let mut codes: Vec<&str> = Vec::new();
        if let Some(i) = r.indicator.as_deref() {
            codes.push(i);
        }
        for i in r.indicators.iter().flatten() {
            if !codes.contains(&i.as_str()) {
                codes.push(i);
            }
        }
        let (Some(&xc), Some(&yc)) = (codes.first(), codes.get(1)) else {
            return Err(EngineError::bad(
                "`scatter` needs two indicators (indicators=\"x,y\")",
            ));
        };
        let (xi, xd) = self.indicator_def(xc)?;
        let (yi, yd) = self.indicator_def(yc)?;
        let org = match r.org.as_deref() {
            Some(id) => Some(self.org(id)?),
            None => None,
        };
        if org.is_some() {
            let t = self.target(r)?;
            self.check_applies(xi, xd, &t)?;
            self.check_applies(yi, yd, &t)?;
        }
        let programme = r.programme.as_deref();
        let year = match r.year {
            Some(y) => y,
            None => self
                .latest_year_with_data(xi, org, r.peers.as_ref(), programme)
                .into_iter()
                .chain(self.latest_year_with_data(yi, org, r.peers.as_ref(), programme))
                .min()
                .ok_or_else(|| EngineError::NoData {
                    what: format!("no year with values of `{xc}` and `{yc}`"),
                })?,
        };
        let group = self.peer_group(org, r.peers.as_ref(), Some(year))?;
        let points = self
            .group_units(&group, programme)
            .into_iter()
            .map(|(o, u)| ScatterPoint {
                id: self.dataset.org(o).id.clone(),
                org: Some(self.dataset.org(o).id.clone()),
                programme: self.dataset.programme_code(u).map(String::from),
                name: Text::Langs(self.unit_name(o, u)),
                x: self.indicators.value(xi, u, year),
                y: self.indicators.value(yi, u, year),
                highlight: Some(o) == org,
                warnings: Vec::new(),
            })
            .collect();
        Ok(ScatterData {
            x: indicator_info(xd),
            y: indicator_info(yd),
            year: Some(year),
            points,
            x_axis: AxisOptions::default(),
            y_axis: AxisOptions::default(),
            peer_group: Some(Text::Plain(group.label.get(r.lang).to_string())),
            title: None,
            subtitle: None,
        })
    }

    /// The level's main indicators: KPI-tagged organisation indicators, else the first ones.
    pub fn main_indicators(&self, level: Level) -> Vec<IndicatorId> {
        let applicable: Vec<(IndicatorId, &IndicatorDef)> = self
            .catalogue()
            .iter()
            .filter(|(_, d)| d.applies_to(level) && d.per.organisations())
            .collect();
        let kpi: Vec<IndicatorId> = applicable
            .iter()
            .filter(|(_, d)| d.has_tag(Tag::Kpi))
            .map(|(i, _)| *i)
            .take(DEFAULT_HEATMAP_INDICATORS)
            .collect();
        if kpi.is_empty() {
            applicable
                .iter()
                .map(|(i, _)| *i)
                .take(DEFAULT_HEATMAP_INDICATORS)
                .collect()
        } else {
            kpi
        }
    }

    fn heatmap(&self, r: &ViewRequest) -> Result<HeatmapData, EngineError> {
        let org = match r.org.as_deref() {
            Some(id) => Some(self.org(id)?),
            None => None,
        };
        let year = r.year.or_else(|| self.latest_year());
        let group = self.peer_group(org, r.peers.as_ref(), year)?;
        let ids: Vec<IndicatorId> = match &r.indicators {
            Some(codes) if !codes.is_empty() => codes
                .iter()
                .map(|c| self.indicator_def(c).map(|(i, _)| i))
                .collect::<Result<_, _>>()?,
            _ => self.main_indicators(group.level),
        };
        let ids: Vec<IndicatorId> = ids
            .into_iter()
            .filter(|&i| {
                self.indicators
                    .def(i)
                    .is_some_and(|d| d.applies_to(group.level))
            })
            .collect();
        if ids.is_empty() {
            return Err(EngineError::NoData {
                what: format!(
                    "no indicator of the request applies to {} organisations",
                    group.level.code()
                ),
            });
        }
        let units = self.group_units(&group, r.programme.as_deref());
        let mut columns = Vec::new();
        let mut scales = Vec::new();
        for &i in &ids {
            let Some(def) = self.indicators.def(i) else {
                continue;
            };
            columns.push(HeatmapColumn {
                indicator: indicator_info(def),
                short_label: None,
            });
            let values = self.group_values(i, &units, group.year);
            scales.push(Goodness::new(values.into_iter(), def.direction));
        }
        let rows = units
            .iter()
            .map(|&(o, u)| HeatmapRow {
                id: self.dataset.org(o).id.clone(),
                org: Some(self.dataset.org(o).id.clone()),
                programme: self.dataset.programme_code(u).map(String::from),
                name: Text::Langs(self.unit_name(o, u)),
                highlight: Some(o) == org,
                cells: ids
                    .iter()
                    .zip(&scales)
                    .map(|(&i, g)| {
                        let out = self.indicators.get(i, u, group.year);
                        let value = out.as_ref().and_then(|o| o.value());
                        HeatmapCell {
                            value,
                            percentile: value.and_then(|v| g.percentile(v)),
                            reason: out.as_ref().and_then(|o| reason_text(o, r.lang)),
                            n: Some(g.n() as u32),
                        }
                    })
                    .collect(),
            })
            .collect();
        Ok(HeatmapData {
            columns,
            rows,
            sort_by: None,
            keep_order: false,
            year: Some(group.year),
            title: None,
            subtitle: Some(Text::Plain(group.label.get(r.lang).to_string())),
        })
    }

    /// The assessment year of a risk request: the request's, else the latest
    /// year in which the organisation has a score.
    fn risk_year(&self, org: OrgIdx, year: Option<Year>) -> Result<Year, EngineError> {
        if let Some(y) = year {
            return Ok(y);
        }
        let years: Vec<Year> = self.dataset.years().iter().collect();
        years
            .iter()
            .rev()
            .copied()
            .find(|&y| self.assessment(org, y).is_some_and(|a| a.score.is_some()))
            .or_else(|| years.last().copied())
            .ok_or_else(|| EngineError::NoData {
                what: "the dataset has no years".into(),
            })
    }

    fn assessment_of(
        &self,
        r: &ViewRequest,
    ) -> Result<(Target, &kpi_risk::RiskAssessment), EngineError> {
        let t = self.target(r)?;
        let year = self.risk_year(t.org, r.year)?;
        let a = self
            .assessment(t.org, year)
            .ok_or_else(|| EngineError::NoData {
                what: format!(
                    "no risk assessment of `{}` in {year}: no criteria apply to {} organisations",
                    self.dataset.org(t.org).id,
                    self.dataset.org(t.org).level.code()
                ),
            })?;
        Ok((t, a))
    }

    fn risk_gauge(&self, r: &ViewRequest) -> Result<RiskGaugeData, EngineError> {
        let (t, a) = self.assessment_of(r)?;
        let rules = self.criteria.rules();
        let prev = self.assessment(t.org, a.year - 1);
        let rising = match (prev.and_then(|p| p.degree.rank()), a.degree.rank()) {
            (Some(p), Some(c)) => c > p,
            _ => false,
        };
        let reason = match a.degree {
            Degree::InsufficientData => Some(insufficient_text(a.computable_weight_share, r.lang)),
            _ => None,
        };
        Ok(RiskGaugeData {
            score: a.score.filter(|s| s.is_finite()),
            degree: Some(a.degree),
            low_max: rules.low_max,
            medium_max: rules.medium_max,
            weight_coverage: Some(a.computable_weight_share),
            previous_score: prev.and_then(|p| p.score),
            rising,
            unit_name: Text::Langs(t.names),
            org: Some(a.org_id.clone()),
            year: Some(a.year),
            reason,
            title: None,
        })
    }

    fn risk_breakdown(&self, r: &ViewRequest) -> Result<RiskBreakdownData, EngineError> {
        let (t, a) = self.assessment_of(r)?;
        let strings = ChartStrings::builtin();
        let lang = r.lang;
        let criteria = a
            .criteria
            .iter()
            .map(|c| {
                let info = self
                    .indicators
                    .def(c.indicator.as_str())
                    .map(indicator_info);
                let fmt = |v: f64| match &info {
                    Some(i) => i.format(v, lang, strings),
                    None => kpi_model::i18n::format_number(v, 1, lang),
                };
                let band = matches!(
                    info.as_ref().map(|i| i.direction),
                    Some(Direction::Target { .. })
                );
                RiskCriterion {
                    code: c.id.clone(),
                    label: Text::Langs(c.labels.clone()),
                    contribution: c.score.map(|_| c.contribution),
                    weight: Some(c.weight),
                    criterion_score: c.score,
                    value_text: c.value.map(fmt),
                    thresholds: c.thresholds.map(|th| {
                        if band {
                            // Thresholds of target bands are distances outside the band.
                            (
                                format!("±{}", kpi_model::i18n::format_number(th.warn, 1, lang)),
                                format!(
                                    "±{}",
                                    kpi_model::i18n::format_number(th.critical, 1, lang)
                                ),
                            )
                        } else {
                            (fmt(th.warn), fmt(th.critical))
                        }
                    }),
                    reason: c.not_computable.as_ref().map(|g| g.localized(lang)),
                    gross: c.gross,
                    crossed: c.gross && c.score.is_some_and(|s| s >= 1.0),
                }
            })
            .collect();
        Ok(RiskBreakdownData {
            criteria,
            score: a.score.filter(|s| s.is_finite()),
            degree: Some(a.degree),
            unit_name: Text::Langs(t.names),
            org: Some(a.org_id.clone()),
            year: Some(a.year),
            title: None,
        })
    }

    /// Family scores of every unit of a group: the mean percentile in
    /// direction of the unit's computable indicators of each family.
    fn family_scores(
        &self,
        units: &[(OrgIdx, UnitId)],
        level: Level,
        year: Year,
    ) -> Vec<FamilyColumn> {
        let mut out = Vec::new();
        for family in Family::ALL {
            let ids: Vec<IndicatorId> = self
                .catalogue()
                .iter()
                .filter(|(_, d)| d.family == family && d.applies_to(level) && d.per.organisations())
                .map(|(i, _)| i)
                .collect();
            let mut sums = vec![(0.0f64, 0u32); units.len()];
            for &i in &ids {
                let Some(def) = self.indicators.def(i) else {
                    continue;
                };
                let values: Vec<Option<f64>> = units
                    .iter()
                    .map(|&(_, u)| self.indicators.value(i, u, year).filter(|v| v.is_finite()))
                    .collect();
                let g = Goodness::new(values.iter().flatten().copied(), def.direction);
                for (s, v) in sums.iter_mut().zip(&values) {
                    if let Some(p) = v.and_then(|v| g.percentile(v)) {
                        s.0 += p;
                        s.1 += 1;
                    }
                }
            }
            let counts = sums.iter().enumerate().map(|(k, s)| (k, s.1)).collect();
            let scores = sums
                .iter()
                .map(|&(sum, n)| (n > 0).then(|| sum / f64::from(n)))
                .collect();
            out.push((family, counts, scores));
        }
        out
    }

    fn radar(&self, r: &ViewRequest) -> Result<RadarData, EngineError> {
        let t = self.target(r)?;
        let level = self.dataset.org(t.org).level;
        let year = match r.year {
            Some(y) => y,
            None => {
                let years: Vec<Year> = self.dataset.years().iter().collect();
                years
                    .iter()
                    .rev()
                    .copied()
                    .find(|&y| {
                        self.catalogue().iter().any(|(i, d)| {
                            d.applies_to(level) && self.indicators.value(i, t.unit, y).is_some()
                        })
                    })
                    .ok_or_else(|| EngineError::NoData {
                        what: format!(
                            "no indicator of `{}` is computable in any year",
                            self.dataset.org(t.org).id
                        ),
                    })?
            }
        };
        let group = self.peer_group(Some(t.org), r.peers.as_ref(), Some(year))?;
        let units = self.group_units(&group, t.programme.as_deref());
        let me = units.iter().position(|&(_, u)| u == t.unit);
        let families = self
            .family_scores(&units, group.level, year)
            .into_iter()
            .map(|(family, counts, scores)| {
                let mine = me.and_then(|k| scores.get(k).copied().flatten());
                let n = me.and_then(|k| counts.get(k)).map_or(0, |c| c.1);
                let peer: Vec<f64> = scores.iter().flatten().copied().collect();
                FamilyScore {
                    family,
                    label: Some(Text::Langs(family_label(family))),
                    score: mine,
                    peer_median: median(&peer),
                    reason: mine
                        .is_none()
                        .then(|| format!("no {} indicator computable in {year}", family.code())),
                    indicators: Some(n),
                }
            })
            .collect();
        Ok(RadarData {
            families,
            unit_name: Text::Langs(t.names),
            org: Some(self.dataset.org(t.org).id.clone()),
            programme: t.programme,
            year: Some(year),
            peer_n: Some(units.len() as u32),
            title: None,
        })
    }
}

/// A family's indicator counts and scores per unit of a group.
type FamilyColumn = (Family, Vec<(usize, u32)>, Vec<Option<f64>>);

fn insufficient_text(share: f64, lang: Lang) -> String {
    let pct = kpi_model::i18n::format_number(100.0 * share, 0, lang);
    match lang {
        Lang::En => format!("Insufficient data: {pct}% of the criteria weight is computable"),
        Lang::Ru => format!("Недостаточно данных: рассчитывается {pct}% веса критериев"),
        Lang::Kk => format!("Деректер жеткіліксіз: критерийлер салмағының {pct}% есептеледі"),
    }
}

/// The level's name, for headers.
pub fn level_name(level: Level, lang: Lang) -> String {
    level_label(level, lang)
}
