//! Chart inputs of the twelve widget kinds, built from real results.

mod cohort_flow;
mod compare;
mod distribution;
mod gaps;
mod heatmap;
mod kpi_card;
mod radar;
mod risk;
mod scatter;
mod table;
mod trend;

pub use cohort_flow::cohort_flow_data;
pub use compare::{Comparison, ComparisonRow};
pub use gaps::gaps_data;
pub use radar::{family_label, family_scores_of};
pub use table::{outlier_text, peer_table_columns};
pub use trend::{trend_of_series, trend_of_series_bare};

use super::peers::{level_label, Group};
use super::{Engine, EngineError, PeersArg};
use kpi_chart::{
    Assessment, AxisOptions, ChartInput, ChartKind, ChartStrings, CompareBar, CompareData,
    DistributionData, DistributionMode, FamilyScore, ForecastPoint, HeatmapCell, HeatmapColumn,
    HeatmapData, HeatmapRow, IndicatorInfo, KpiCardData, PeerBand, RadarData, RiskBreakdownData,
    RiskCriterion, RiskGaugeData, ScatterData, ScatterPoint, Signal, TableCell, TableColumn,
    TableData, Text, TrendData, TrendPoint, TrendTest, TrendTests, UnavailableYear, UnitText,
    ValueUnit, YearValue,
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

/// What a widget asks for; the same fields as the widget's attributes but `lang` and
/// `theme`: a chart input carries its texts in kk, ru and en, and the language is chosen
/// once, when the chart is laid out ([`kpi_chart::ChartOptions::lang`]), so a widget
/// that changes its language draws again without asking the engine.
///
/// ```
/// use kpi_engine::{PeersArg, ViewRequest};
/// let r: ViewRequest = serde_json::from_str(
///     r#"{"kind":"compare","org":"U1","indicator":"employment_rate","year":2023,"peers":"region","top":10}"#,
/// ).unwrap();
/// assert_eq!(r.peers, Some(PeersArg::Word("region".into())));
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
    /// How organisations are grouped (gaps): `locality` (default), `ownership`,
    /// `region` or `sex` (the indicator of women and men, with the parity index).
    #[serde(default)]
    pub by: Option<crate::GapBy>,
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
            by: None,
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

/// The unit a request is about.
pub(crate) struct Target {
    pub(crate) org: OrgIdx,
    pub(crate) unit: UnitId,
    pub(crate) programme: Option<String>,
    pub(crate) names: Labels,
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

fn risk_score_info() -> IndicatorInfo {
    IndicatorInfo {
        code: RISK_SCORE.into(),
        label: Text::Langs(Labels {
            kk: "Тәуекел балы".into(),
            ru: "Балл риска".into(),
            en: "Risk score".into(),
            ky: "Тобокелдик баллы".into(),
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
        unit: def.unit.clone(),
        direction: def.direction,
        decimals: Some(usize::from(def.decimals)),
        formula: Some(def.formula.to_string()),
    }
}

/// The subject of a summary sentence about an indicator.
pub fn subject_of(def: &IndicatorDef) -> Subject {
    Subject::of(def.name.clone(), def.unit.clone()).with_decimals(usize::from(def.decimals))
}

/// Why a value is not computable, in every language.
fn reason_text(outcome: &Outcome) -> Option<Text> {
    outcome
        .reason()
        .map(|r| Text::Langs(Labels::from_fn(|lang| r.localized(lang))))
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
            ChartKind::Trend => self.trend_view(request).map(ChartInput::Trend),
            ChartKind::Compare => self.compare(request).map(ChartInput::Compare),
            ChartKind::Distribution => self.distribution(request).map(ChartInput::Distribution),
            ChartKind::Scatter => self.scatter(request).map(ChartInput::Scatter),
            ChartKind::Heatmap => self.heatmap(request).map(ChartInput::Heatmap),
            ChartKind::RiskGauge => self.risk_gauge(request).map(ChartInput::RiskGauge),
            ChartKind::RiskBreakdown => self.risk_breakdown(request).map(ChartInput::RiskBreakdown),
            ChartKind::Radar => self.radar(request).map(ChartInput::Radar),
            ChartKind::Gaps => self.gaps_view(request).map(ChartInput::Gaps),
            ChartKind::CohortFlow => self.cohort_flow_view(request).map(ChartInput::CohortFlow),
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

    pub(crate) fn target(&self, request: &ViewRequest) -> Result<Target, EngineError> {
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
                for n in [&mut names.kk, &mut names.ru, &mut names.en, &mut names.ky] {
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

    pub(crate) fn check_applies(
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
            for n in [&mut names.kk, &mut names.ru, &mut names.en, &mut names.ky] {
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
}

/// The level's name, for headers.
pub fn level_name(level: Level, lang: Lang) -> String {
    level_label(level, lang)
}
