//! Charts: layout of every widget kind and drawing on any plotters backend.
//!
//! Data flows one way:
//!
//! 1. a [`ChartInput`] (plain data: values, years, peer statistics, labels; produced by the
//!    engine natively or parsed from JSON sent by JavaScript),
//! 2. [`layout_chart`] measures every label itself (no browser, no font rasteriser) and
//!    returns a [`ChartLayout`]: a backend-independent [`Scene`] of shapes and texts in CSS
//!    pixels, the [`HitMap`] for tooltips, keyboard navigation and clicks, the summary
//!    sentence for `aria-label`, and the data behind the chart as a [`TableModel`],
//! 3. [`draw`] paints the scene on any plotters `DrawingBackend` (the widgets use
//!    `plotters-canvas`; [`render_svg`] uses `plotters-svg`).
//!
//! ## Choices (honest charts)
//!
//! - Value axes of rates, shares, counts and amounts include zero ([`ValueUnit::starts_at_zero`]);
//!   scores and indices (GPA, parity index) do not. Ticks are 1, 2 or 5 × 10ᵏ in the unit,
//!   never finer than 1 percentage point or 1 person, and a percentage axis does not run
//!   past 100 % unless the data do.
//! - Numbers are rounded for display only, half away from zero as written (45.25 → 45,3);
//!   kk and ru group thousands with a no-break space and use a decimal comma; Russian puts a
//!   no-break space before `%`, Kazakh and English do not (CLDR). Exports keep full precision.
//! - A year absent from a series is a gap (a shaded column, a break in the line); a year with
//!   a value that is not computable is a hollow marker whose tooltip gives the reason.
//! - Peer percentiles are `100 × (below + ½ equal) / n`, turned so that 100 is best by the
//!   indicator's direction; heat-map colours use them, so blue is always better and orange
//!   always worse (colour-blind safe, unlike red/green).
//! - Box plots use type-7 quartiles and Tukey whiskers (1.5 IQR); `Auto` draws a histogram
//!   from 40 peers on, with round bin edges.
//! - The kpi-card sparkline is scaled to its own range: it shows shape, carries no numbers,
//!   and every point's exact value is in its tooltip.
//! - Every label is measured before it is placed: a label that would overlap another or
//!   leave the canvas is shortened with `…` (the full text is in the tooltip) or left out.
//!
//! ```
//! use kpi_chart::{layout_chart, render_svg, ChartInput, ChartOptions, Size, TrendData, TrendPoint};
//! use kpi_model::i18n::Lang;
//! let input = ChartInput::Trend(TrendData {
//!     points: vec![
//!         TrendPoint { year: 2021, value: Some(61.5), ..Default::default() },
//!         TrendPoint { year: 2022, value: Some(64.0), ..Default::default() },
//!     ],
//!     ..Default::default()
//! });
//! let options = ChartOptions { lang: Lang::Ru, ..Default::default() };
//! let chart = layout_chart(&input, Size::new(480.0, 300.0), &options).unwrap();
//! assert_eq!(chart.scene.hits.points.len(), 2);
//! assert!(chart.scene.overlapping_texts(0.5).is_empty());
//! let svg = render_svg(&input, Size::new(480.0, 300.0), &options).unwrap();
//! assert!(svg.contains("64,0"));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod color;
mod draw;
pub mod examples;
pub mod geom;
pub mod hit;
mod kind;
pub mod kinds;
mod layout;
pub mod records;
pub mod reduce;
pub mod scene;
pub mod spec;
mod strings;
pub mod text;
pub mod theme;
pub mod ticks;

pub use color::Color;
pub use draw::{draw, DrawOptions};
pub use geom::{LinearMap, Point, Rect};
pub use hit::{DataPoint, HitIndex, HitMap, HitRegion, HitShape, LaneAxis, NavKey, PointRun};
pub use kind::{ChartKind, UnknownChartKind};
pub use kinds::cohort_flow::{CohortFlowData, CohortGrade, CohortStage};
pub use kinds::compare::{BarSignificance, CompareBar, CompareData, Significance};
pub use kinds::distribution::{DistributionData, DistributionMode};
pub use kinds::gaps::{GapGroup, GapParity, GapStatistic, GapTest, GapsData};
pub use kinds::heatmap::{HeatmapCell, HeatmapColumn, HeatmapData, HeatmapRow};
pub use kinds::kpi_card::{KpiCardData, UnavailableYear};
pub use kinds::radar::{FamilyScore, RadarData};
pub use kinds::risk::{CriterionMeasure, RiskBreakdownData, RiskCriterion, RiskGaugeData};
pub use kinds::scatter::{ScatterData, ScatterPoint};
pub use kinds::table::{TableCell, TableColumn, TableData, TableModel};
pub use kinds::trend::{
    ForecastPoint, PeerBand, Signal, TrendData, TrendPoint, TrendTest, TrendTests,
};
pub use layout::Size;
pub use records::{LazyRecords, PointRecords};
pub use reduce::{lttb, m4, min_max_per_column, PixelCells};
pub use scene::{Align, Rotation, Scene, Shape, Stroke, TextShape};
pub use spec::{Assessment, AxisOptions, IndicatorInfo, Text, UnitText, ValueUnit, YearValue};
pub use strings::{ChartStrings, ChartStringsError, Msg, BUILTIN_CHART_STRINGS};
pub use text::{ellipsize, wrap_text, EstimatingMeasurer, TextMeasurer};
pub use theme::{Theme, ThemeError, ThemeName};
pub use ticks::{nice_step, nice_ticks, year_ticks, TickRequest, Ticks};

use kpi_model::i18n::Lang;
use serde::{Deserialize, Serialize};

/// The input of one chart: its kind and the data it shows.
///
/// In JSON the kind is the `kind` field, named as in the widget's `kind` attribute:
/// `{"kind": "risk-gauge", "score": 42}`.
///
/// ```
/// use kpi_chart::ChartInput;
/// let input: ChartInput = serde_json::from_str(r#"{"kind":"risk-gauge","score":42}"#).unwrap();
/// assert_eq!(input.kind(), "risk-gauge");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ChartInput {
    /// One indicator's latest value, change, sparkline and peer percentile.
    KpiCard(KpiCardData),
    /// One unit's indicator over years with peers, trend, forecast and signals.
    Trend(TrendData),
    /// Ranked bars of a peer group.
    Compare(CompareData),
    /// Box plot or histogram of a peer group with the unit's position.
    Distribution(DistributionData),
    /// Two indicators across peers with median quadrants.
    Scatter(ScatterData),
    /// Units × indicators coloured by percentile in direction.
    Heatmap(HeatmapData),
    /// Risk score 0–100 with the degree bands.
    RiskGauge(RiskGaugeData),
    /// Criteria contributions to a risk score.
    RiskBreakdown(RiskBreakdownData),
    /// Family scores of a unit against the peer median.
    Radar(RadarData),
    /// Group means with 95% confidence intervals and Welch's test.
    Gaps(GapsData),
    /// A reconstructed cohort through the grades: survival, repetition, dropout.
    CohortFlow(CohortFlowData),
    /// The numbers as a table.
    Table(TableData),
}

impl ChartInput {
    /// The kind of this input.
    pub fn kind(&self) -> ChartKind {
        match self {
            ChartInput::KpiCard(_) => ChartKind::KpiCard,
            ChartInput::Trend(_) => ChartKind::Trend,
            ChartInput::Compare(_) => ChartKind::Compare,
            ChartInput::Distribution(_) => ChartKind::Distribution,
            ChartInput::Scatter(_) => ChartKind::Scatter,
            ChartInput::Heatmap(_) => ChartKind::Heatmap,
            ChartInput::RiskGauge(_) => ChartKind::RiskGauge,
            ChartInput::RiskBreakdown(_) => ChartKind::RiskBreakdown,
            ChartInput::Radar(_) => ChartKind::Radar,
            ChartInput::Gaps(_) => ChartKind::Gaps,
            ChartInput::CohortFlow(_) => ChartKind::CohortFlow,
            ChartInput::Table(_) => ChartKind::Table,
        }
    }

    /// The input of `kind` from its fields (a JSON object without `kind`), read straight
    /// into the kind's type.
    ///
    /// ```
    /// use kpi_chart::{ChartInput, ChartKind};
    /// let input = ChartInput::of_kind(ChartKind::RiskGauge, serde_json::json!({"score": 42})).unwrap();
    /// assert_eq!(input.kind(), ChartKind::RiskGauge);
    /// assert!(ChartInput::of_kind(ChartKind::Trend, serde_json::json!({"points": 3})).is_err());
    /// ```
    pub fn of_kind(kind: ChartKind, fields: serde_json::Value) -> Result<ChartInput, ChartError> {
        // Not through the tagged enum: that buffers the input in serde's generic `Content`
        // first, which the widgets' chart module would carry for every kind.
        fn read<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, ChartError> {
            serde_json::from_value(v).map_err(|e| ChartError::Input(e.to_string()))
        }
        // Without `extra-kinds` only the core kinds are read, so that their input types'
        // deserializers are left out of the build with their layouts.
        Ok(match kind {
            ChartKind::KpiCard => ChartInput::KpiCard(read(fields)?),
            ChartKind::Trend => ChartInput::Trend(read(fields)?),
            ChartKind::Compare => ChartInput::Compare(read(fields)?),
            ChartKind::Distribution => ChartInput::Distribution(read(fields)?),
            ChartKind::RiskGauge => ChartInput::RiskGauge(read(fields)?),
            #[cfg(feature = "extra-kinds")]
            ChartKind::Scatter => ChartInput::Scatter(read(fields)?),
            #[cfg(feature = "extra-kinds")]
            ChartKind::Heatmap => ChartInput::Heatmap(read(fields)?),
            #[cfg(feature = "extra-kinds")]
            ChartKind::RiskBreakdown => ChartInput::RiskBreakdown(read(fields)?),
            #[cfg(feature = "extra-kinds")]
            ChartKind::Radar => ChartInput::Radar(read(fields)?),
            #[cfg(feature = "extra-kinds")]
            ChartKind::Gaps => ChartInput::Gaps(read(fields)?),
            #[cfg(feature = "extra-kinds")]
            ChartKind::CohortFlow => ChartInput::CohortFlow(read(fields)?),
            #[cfg(feature = "extra-kinds")]
            ChartKind::Table => ChartInput::Table(read(fields)?),
            #[cfg(not(feature = "extra-kinds"))]
            kind => return Err(ChartError::NotBuilt(kind)),
        })
    }

    /// Parses a chart input from JSON, with an error that says what was expected.
    pub fn from_json(json: &str) -> Result<ChartInput, ChartError> {
        serde_json::from_str(json).map_err(|e| ChartError::Input(e.to_string()))
    }
}

/// How a chart is presented: language, theme and (optionally) replacement strings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChartOptions {
    /// Display language of every label and number.
    pub lang: Lang,
    /// Colours, font and sizes.
    pub theme: Theme,
}

impl ChartOptions {
    /// Options with a language and a built-in theme.
    pub fn new(lang: Lang, theme: ThemeName) -> Self {
        ChartOptions {
            lang,
            theme: Theme::named(theme),
        }
    }
}

/// A chart that could not be laid out or drawn. Bad data never is an error (it is drawn as
/// *no data* or *not computable*); only unusable requests are.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ChartError {
    /// The size is too small to draw anything (or not finite).
    #[error("chart size {width}×{height} px is too small: at least 40×40 CSS pixels expected")]
    TooSmall {
        /// Width asked for.
        width: f64,
        /// Height asked for.
        height: f64,
    },
    /// The input JSON does not describe a chart.
    #[error("chart input: {0}")]
    Input(String),
    /// The backend failed while drawing.
    #[error("drawing the chart: {0}")]
    Draw(String),
    /// The kind is not in this build: kpi-chart without the `extra-kinds` feature (the
    /// widgets' core chart module) lays out [`ChartKind::CORE`] only.
    #[error("chart kind {0} is not in this build (it has {core}; the full build has every kind)", core = core_codes())]
    NotBuilt(ChartKind),
}

fn core_codes() -> String {
    ChartKind::CORE.map(ChartKind::code).join(", ")
}

/// A laid-out chart.
#[derive(Clone, Debug, Serialize)]
pub struct ChartLayout {
    /// The kind (`trend`).
    pub kind: ChartKind,
    /// Shapes and texts in CSS pixels, with the hit map in `scene.hits`.
    pub scene: Scene,
    /// One sentence describing the chart, for `aria-label` and the SVG `<title>`.
    pub summary: String,
    /// The display language.
    pub lang: Lang,
    /// The table of a `table` chart (other kinds build theirs on demand from the hit map).
    #[serde(skip)]
    table_model: Option<TableModel>,
    /// Notes under the data table of other kinds (the trend's tests).
    #[serde(skip)]
    table_notes: Vec<String>,
}

impl ChartLayout {
    /// The hit map: data points, their regions and keyboard order.
    pub fn hits(&self) -> &HitMap {
        &self.scene.hits
    }

    /// The numbers the chart shows, for the screen-reader table and the CSV export: the
    /// table itself for `table`, otherwise one row per data point (label, series, year,
    /// exact value, displayed value, unit, n, details, note and warnings). Built on demand,
    /// so that laying out a chart of thousands of units does not pay for it.
    pub fn table(&self) -> TableModel {
        match &self.table_model {
            Some(t) => t.clone(),
            None => {
                let mut t =
                    kinds::table::from_hits(&self.scene.hits, self.lang, ChartStrings::builtin());
                t.notes.extend(self.table_notes.iter().cloned());
                t
            }
        }
    }
}

impl ChartLayout {
    /// The data table a reader of this chart needs, for the widget's "Table" toggle: the
    /// `table` kind's own table; the heat map's one row per cell (the widget pivots it to
    /// its matrix); for every other kind its own layout, one row per year (trend,
    /// kpi-card, risk-gauge) or per organisation, criterion or family, headed by that
    /// column (`row_header`), then the value, each other series drawn (peer median,
    /// forecast …), each detail of the tooltips (quartiles, interval, significance,
    /// thresholds, weight …), `n` and a note with the reasons a value is missing. The CSV
    /// export keeps [`ChartLayout::table`], one row per data point.
    ///
    /// ```
    /// use kpi_chart::{layout_chart, ChartInput, ChartOptions, Size, TrendData, TrendPoint};
    /// let input = ChartInput::Trend(TrendData {
    ///     points: vec![
    ///         TrendPoint { year: 2022, value: Some(71.0), ..Default::default() },
    ///         TrendPoint { year: 2023, value: Some(74.0), ..Default::default() },
    ///     ],
    ///     ..Default::default()
    /// });
    /// let chart = layout_chart(&input, Size::new(480.0, 300.0), &ChartOptions::default()).unwrap();
    /// let t = chart.data_table();
    /// assert_eq!(t.headers[0], "Оқу жылы");
    /// assert_eq!(t.row_header, Some(0));
    /// assert!(t.rows.iter().any(|r| r[0] == "2022–2023"));
    /// ```
    pub fn data_table(&self) -> TableModel {
        let (hits, lang, strings) = (&self.scene.hits, self.lang, ChartStrings::builtin());
        let mut t = match (&self.table_model, self.kind) {
            (Some(_), _) => return self.table(),
            (None, ChartKind::KpiCard) => kinds::kpi_card::table(hits, lang, strings),
            (None, ChartKind::Trend) => kinds::trend::table(hits, lang, strings),
            (None, ChartKind::Compare) => kinds::compare::table(hits, lang, strings),
            (None, ChartKind::Distribution) => kinds::distribution::table(hits, lang, strings),
            (None, ChartKind::RiskGauge) => kinds::risk::gauge_table(hits, lang, strings),
            #[cfg(feature = "extra-kinds")]
            (None, ChartKind::Scatter) => kinds::scatter::table(hits, lang, strings),
            #[cfg(feature = "extra-kinds")]
            (None, ChartKind::RiskBreakdown) => kinds::risk::breakdown_table(hits, lang, strings),
            #[cfg(feature = "extra-kinds")]
            (None, ChartKind::Radar) => kinds::radar::table(hits, lang, strings),
            #[cfg(feature = "extra-kinds")]
            (None, ChartKind::Gaps) => kinds::gaps::table(hits, lang, strings),
            #[cfg(feature = "extra-kinds")]
            (None, ChartKind::CohortFlow) => kinds::cohort_flow::table(hits, lang, strings),
            // The heat map's one row per cell, which the widget pivots to its matrix.
            (None, _) => kinds::table::from_hits(hits, lang, strings),
        };
        if t.title.trim().is_empty() {
            t.title = self.scene.title.clone();
        }
        t.notes.extend(self.table_notes.iter().cloned());
        t
    }
}

/// The smallest chart drawn, in CSS pixels.
pub const MIN_SIZE: f64 = 40.0;

/// The smallest font size of any text on a chart, in CSS pixels: legends, notes and tick
/// labels included, at every widget size and in every theme.
///
/// ```
/// use kpi_chart::{layout_chart, ChartInput, ChartOptions, RiskGaugeData, Shape, Size, MIN_TEXT_PX};
/// let input = ChartInput::RiskGauge(RiskGaugeData { score: Some(42.0), ..Default::default() });
/// // A small card: sizes scale down with the widget, but not below the floor.
/// let chart = layout_chart(&input, Size::new(240.0, 160.0), &ChartOptions::default()).unwrap();
/// assert!(chart.scene.texts().all(|t| t.font_px >= MIN_TEXT_PX));
/// ```
pub const MIN_TEXT_PX: f64 = 12.0;

/// Lays out a chart with the built-in strings and the native text measurer.
///
/// This is the entry the widgets call; see the module example.
pub fn layout_chart(
    input: &ChartInput,
    size: Size,
    options: &ChartOptions,
) -> Result<ChartLayout, ChartError> {
    layout_chart_with(
        input,
        size,
        options,
        &EstimatingMeasurer,
        ChartStrings::builtin(),
    )
}

/// Lays out a chart with a given text measurer (the browser's canvas `measureText`) and
/// strings (an application's replacement of `chart.toml`).
pub fn layout_chart_with(
    input: &ChartInput,
    size: Size,
    options: &ChartOptions,
    measurer: &dyn TextMeasurer,
    strings: &ChartStrings,
) -> Result<ChartLayout, ChartError> {
    // The records built on demand keep the input and strings: a copy of each here, shared
    // by a caller that keeps them ([`layout_chart_shared`]).
    let strings = if std::ptr::eq(strings, ChartStrings::builtin()) {
        ChartStrings::builtin_shared().clone()
    } else {
        std::sync::Arc::new(strings.clone())
    };
    layout_chart_shared(
        &std::sync::Arc::new(input.clone()),
        size,
        options,
        measurer,
        &strings,
    )
}

/// [`layout_chart_with`] for an input the caller keeps: the records of a long series'
/// points, built when asked for, share it instead of a copy (the widgets lay out the same
/// input again at each resize).
///
/// ```
/// use kpi_chart::{layout_chart_shared, ChartInput, ChartOptions, ChartStrings, EstimatingMeasurer, Size, TrendData, TrendPoint};
/// use std::sync::Arc;
/// let points = (2000..2100).map(|year| TrendPoint { year, value: Some(50.0), ..Default::default() }).collect();
/// let input = Arc::new(ChartInput::Trend(TrendData { points, ..Default::default() }));
/// let strings = ChartStrings::builtin_shared();
/// let chart = layout_chart_shared(&input, Size::new(480.0, 300.0), &ChartOptions::default(), &EstimatingMeasurer, strings).unwrap();
/// assert_eq!(chart.hits().points.get(99).unwrap().id, "value:2099");
/// ```
pub fn layout_chart_shared(
    shared: &std::sync::Arc<ChartInput>,
    size: Size,
    options: &ChartOptions,
    measurer: &dyn TextMeasurer,
    strings: &std::sync::Arc<ChartStrings>,
) -> Result<ChartLayout, ChartError> {
    let input: &ChartInput = shared;
    let size = Size::new(size.width, size.height);
    if size.width < MIN_SIZE || size.height < MIN_SIZE {
        return Err(ChartError::TooSmall {
            width: size.width,
            height: size.height,
        });
    }
    if !input.kind().is_built() {
        return Err(ChartError::NotBuilt(input.kind()));
    }
    let mut ctx = layout::Ctx::new(
        size,
        &options.theme,
        options.lang,
        measurer,
        strings,
        shared.clone(),
    );
    // The arms of the kinds beyond the core are compiled with `extra-kinds` only (the
    // check above turns them away otherwise), so that the core build leaves their code out.
    match input {
        ChartInput::KpiCard(d) => kinds::kpi_card::layout(d, &mut ctx),
        ChartInput::Trend(d) => kinds::trend::layout(d, &mut ctx),
        ChartInput::Compare(d) => kinds::compare::layout(d, &mut ctx),
        ChartInput::Distribution(d) => kinds::distribution::layout(d, &mut ctx),
        ChartInput::RiskGauge(d) => kinds::risk::layout_gauge(d, &mut ctx),
        #[cfg(feature = "extra-kinds")]
        ChartInput::Scatter(d) => kinds::scatter::layout(d, &mut ctx),
        #[cfg(feature = "extra-kinds")]
        ChartInput::Heatmap(d) => kinds::heatmap::layout(d, &mut ctx),
        #[cfg(feature = "extra-kinds")]
        ChartInput::RiskBreakdown(d) => kinds::risk::layout_breakdown(d, &mut ctx),
        #[cfg(feature = "extra-kinds")]
        ChartInput::Radar(d) => kinds::radar::layout(d, &mut ctx),
        #[cfg(feature = "extra-kinds")]
        ChartInput::Gaps(d) => kinds::gaps::layout(d, &mut ctx),
        #[cfg(feature = "extra-kinds")]
        ChartInput::CohortFlow(d) => kinds::cohort_flow::layout(d, &mut ctx),
        #[cfg(feature = "extra-kinds")]
        ChartInput::Table(d) => kinds::table::layout(d, &mut ctx),
        #[cfg(not(feature = "extra-kinds"))]
        _ => return Err(ChartError::NotBuilt(input.kind())),
    }
    let table_model = match input {
        #[cfg(feature = "extra-kinds")]
        ChartInput::Table(d) => Some(kinds::table::model(d, options.lang, strings)),
        _ => None,
    };
    let table_notes = match input {
        ChartInput::Trend(d) => kinds::trend::test_notes(d, &ctx),
        #[cfg(feature = "extra-kinds")]
        ChartInput::Gaps(d) => kinds::gaps::table_notes(d, &ctx),
        _ => Vec::new(),
    };
    // A trend lists its own points as it places them (a pass over 166,650 ids saved).
    if !matches!(input, ChartInput::Trend(_)) {
        ctx.hits.own = kinds::own_points(input, &ctx.hits);
    }
    let summary = kinds::summary(input, &ctx);
    let scene = ctx.finish();
    Ok(ChartLayout {
        kind: input.kind(),
        scene,
        summary,
        lang: options.lang,
        table_model,
        table_notes,
    })
}

/// Renders a chart as an SVG document (plotters' SVG backend) at 1 SVG unit per CSS pixel.
///
/// ```
/// use kpi_chart::{render_svg, ChartInput, ChartOptions, RiskGaugeData, Size};
/// let input = ChartInput::RiskGauge(RiskGaugeData { score: Some(42.0), ..Default::default() });
/// let svg = render_svg(&input, Size::new(320.0, 220.0), &ChartOptions::default()).unwrap();
/// assert!(svg.starts_with("<svg"));
/// assert!(svg.contains("Орташа")); // "Medium" in Kazakh, the default language
/// ```
pub fn render_svg(
    input: &ChartInput,
    size: Size,
    options: &ChartOptions,
) -> Result<String, ChartError> {
    let chart = layout_chart(input, size, options)?;
    scene_to_svg(&chart.scene, 1.0)
}

/// Draws a laid-out scene as an SVG document, `scale` device units per CSS pixel.
pub fn scene_to_svg(scene: &Scene, scale: f64) -> Result<String, ChartError> {
    let scale = if scale.is_finite() && scale > 0.0 {
        scale.clamp(0.1, 16.0)
    } else {
        1.0
    };
    let w = (scene.width * scale).ceil().max(1.0) as u32;
    let h = (scene.height * scale).ceil().max(1.0) as u32;
    let mut svg = String::new();
    {
        let mut backend = plotters_svg::SVGBackend::with_string(&mut svg, (w, h));
        draw(scene, &mut backend, &DrawOptions::svg(scale))
            .map_err(|e| ChartError::Draw(e.to_string()))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_large;
#[cfg(test)]
mod tests_records;
