//! Charts: layout of every widget kind and drawing on any plotters backend.
//!
//! LOCAL WIRING ONLY (branch `widgets`): the minimal declarations the widget crate needs to
//! compile against the chart engine's work in progress. The `charts` branch owns this
//! file; its version replaces this one at merge.

// The engine's work in progress is still being lint-cleaned on its own branch.
#![allow(clippy::all, unused_variables)]

mod color;
mod draw;
// Parts used only by the kinds not yet wired here.
#[allow(dead_code)]
mod geom;
mod hit;
pub mod kinds;
// Parts used only by the kinds not yet wired here.
#[allow(dead_code)]
mod layout;
mod reduce;
mod scene;
mod spec;
// Parts used only by the kinds not yet wired here.
#[allow(dead_code)]
mod stats;
mod strings;
mod text;
mod theme;
mod ticks;

pub use color::Color;
pub use draw::{draw, DrawOptions};
pub use geom::{Point, Rect};
pub use hit::{DataPoint, HitMap, HitRegion, HitShape, LaneAxis, NavKey};
pub use kinds::compare::{CompareBar, CompareData};
pub use kinds::trend::{ForecastPoint, PeerBand, Signal, TrendData, TrendPoint};
pub use layout::Size;
pub use reduce::{lttb, min_max_per_column};
pub use scene::{Align, Rotation, Scene, Shape, Stroke, TextShape};
pub use spec::{Assessment, AxisOptions, IndicatorInfo, Text, ValueUnit, YearValue};
pub use strings::{ChartStrings, Msg};
pub use text::{ellipsize, wrap_text, EstimatingMeasurer, TextMeasurer};
pub use theme::{Theme, ThemeError, ThemeName};
pub use ticks::{nice_step, nice_ticks, year_ticks, TickRequest, Ticks};

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// The input of one chart: its kind and the kind's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "kebab-case")]
pub enum ChartSpec {
    /// `trend`.
    Trend(TrendData),
    /// `compare`.
    Compare(CompareData),
}

/// Lays out `spec` at `size` (CSS pixels) with `theme` in `lang`, measuring text with `m`.
pub fn layout(
    spec: &ChartSpec,
    size: Size,
    theme: &Theme,
    lang: Lang,
    m: &dyn TextMeasurer,
) -> Scene {
    let strings = ChartStrings::builtin();
    let mut ctx = layout::Ctx::new(size, theme, lang, m, strings);
    match spec {
        ChartSpec::Trend(d) => kinds::trend::layout(d, &mut ctx),
        ChartSpec::Compare(d) => kinds::compare::layout(d, &mut ctx),
    }
    ctx.finish()
}
