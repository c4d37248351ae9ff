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
//! ```
//! use kpi_core::chart::{layout_chart, render_svg, ChartInput, ChartOptions, Size, TrendData, TrendPoint};
//! use kpi_core::i18n::Lang;
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

pub mod color;
mod draw;
pub mod examples;
pub mod geom;
pub mod hit;
pub mod kinds;
mod layout;
pub mod reduce;
pub mod scene;
pub mod spec;
mod stats;
mod strings;
pub mod text;
pub mod theme;
pub mod ticks;

pub use color::Color;
pub use draw::{draw, DrawOptions};
pub use geom::{LinearMap, Point, Rect};
pub use hit::{DataPoint, HitMap, HitRegion, HitShape, LaneAxis, NavKey};
pub use kinds::compare::{CompareBar, CompareData};
pub use kinds::distribution::{DistributionData, DistributionMode};
pub use kinds::heatmap::{HeatmapCell, HeatmapColumn, HeatmapData, HeatmapRow};
pub use kinds::kpi_card::KpiCardData;
pub use kinds::radar::{FamilyScore, RadarData};
pub use kinds::risk::{RiskBreakdownData, RiskCriterion, RiskGaugeData};
pub use kinds::scatter::{ScatterData, ScatterPoint};
pub use kinds::table::{TableCell, TableColumn, TableData, TableModel};
pub use kinds::trend::{ForecastPoint, PeerBand, Signal, TrendData, TrendPoint};
pub use layout::Size;
pub use reduce::{lttb, min_max_per_column};
pub use scene::{Align, Rotation, Scene, Shape, Stroke, TextShape};
pub use spec::{Assessment, AxisOptions, IndicatorInfo, Text, ValueUnit, YearValue};
pub use strings::{ChartStrings, ChartStringsError, Msg, BUILTIN_CHART_STRINGS};
pub use text::{ellipsize, wrap_text, EstimatingMeasurer, TextMeasurer};
pub use theme::{Theme, ThemeError, ThemeName};
pub use ticks::{nice_step, nice_ticks, year_ticks, TickRequest, Ticks};

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// The input of one chart: its kind and the data it shows.
///
/// In JSON the kind is the `kind` field, named as in the widget's `kind` attribute:
/// `{"kind": "risk-gauge", "score": 42}`.
///
/// ```
/// use kpi_core::chart::ChartInput;
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
    /// The numbers as a table.
    Table(TableData),
}

impl ChartInput {
    /// The kind's name as used in the widget's `kind` attribute.
    pub fn kind(&self) -> &'static str {
        match self {
            ChartInput::KpiCard(_) => "kpi-card",
            ChartInput::Trend(_) => "trend",
            ChartInput::Compare(_) => "compare",
            ChartInput::Distribution(_) => "distribution",
            ChartInput::Scatter(_) => "scatter",
            ChartInput::Heatmap(_) => "heatmap",
            ChartInput::RiskGauge(_) => "risk-gauge",
            ChartInput::RiskBreakdown(_) => "risk-breakdown",
            ChartInput::Radar(_) => "radar",
            ChartInput::Table(_) => "table",
        }
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
}

/// A laid-out chart.
#[derive(Clone, Debug, Serialize)]
pub struct ChartLayout {
    /// The kind (`trend`).
    pub kind: &'static str,
    /// Shapes and texts in CSS pixels, with the hit map in `scene.hits`.
    pub scene: Scene,
    /// One sentence describing the chart, for `aria-label` and the SVG `<title>`.
    pub summary: String,
    /// The numbers the chart shows, for the screen-reader table and the CSV export.
    pub table: TableModel,
}

impl ChartLayout {
    /// The hit map: data points, their regions and keyboard order.
    pub fn hits(&self) -> &HitMap {
        &self.scene.hits
    }
}

/// The smallest chart drawn, in CSS pixels.
pub const MIN_SIZE: f64 = 40.0;

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
    let size = Size::new(size.width, size.height);
    if size.width < MIN_SIZE || size.height < MIN_SIZE {
        return Err(ChartError::TooSmall {
            width: size.width,
            height: size.height,
        });
    }
    let mut ctx = layout::Ctx::new(size, &options.theme, options.lang, measurer, strings);
    match input {
        ChartInput::KpiCard(d) => kinds::kpi_card::layout(d, &mut ctx),
        ChartInput::Trend(d) => kinds::trend::layout(d, &mut ctx),
        ChartInput::Compare(d) => kinds::compare::layout(d, &mut ctx),
        ChartInput::Distribution(d) => kinds::distribution::layout(d, &mut ctx),
        ChartInput::Scatter(d) => kinds::scatter::layout(d, &mut ctx),
        ChartInput::Heatmap(d) => kinds::heatmap::layout(d, &mut ctx),
        ChartInput::RiskGauge(d) => kinds::risk::layout_gauge(d, &mut ctx),
        ChartInput::RiskBreakdown(d) => kinds::risk::layout_breakdown(d, &mut ctx),
        ChartInput::Radar(d) => kinds::radar::layout(d, &mut ctx),
        ChartInput::Table(d) => kinds::table::layout(d, &mut ctx),
    }
    let table = match input {
        ChartInput::Table(d) => kinds::table::model(d, options.lang, strings),
        _ => kinds::table::from_hits(&ctx.hits, options.lang, strings),
    };
    let summary = kinds::summary(input, &ctx);
    let scene = ctx.finish();
    Ok(ChartLayout {
        kind: input.kind(),
        scene,
        summary,
        table,
    })
}

/// Renders a chart as an SVG document (plotters' SVG backend) at 1 SVG unit per CSS pixel.
///
/// ```
/// use kpi_core::chart::{render_svg, ChartInput, ChartOptions, RiskGaugeData, Size};
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
