//! The ten chart kinds: input types and layout.

pub mod compare;
pub mod distribution;
pub mod heatmap;
pub mod kpi_card;
pub mod radar;
pub mod risk;
pub mod scatter;
pub mod table;
pub mod trend;

use super::geom::Rect;
use super::layout::Ctx;
use super::spec::Text;
use crate::i18n::Lang;

/// A text from an optional input field, `None` when absent or blank.
pub(crate) fn opt_text(t: &Option<Text>, lang: Lang) -> Option<String> {
    t.as_ref()
        .map(|t| t.get(lang).trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The header of a chart; returns the y below it.
pub(crate) fn heading(ctx: &mut Ctx, area: Rect, title: &str, subtitle: &str) -> f64 {
    ctx.header(area, title, subtitle)
}

/// The summary sentence of a chart (for `aria-label`): its title, then what it shows.
pub(crate) fn summary(input: &super::ChartInput, ctx: &Ctx) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !ctx.title.trim().is_empty() {
        parts.push(ctx.title.clone());
    }
    // The first data points' tooltips carry the key numbers, already in the language.
    let take = match input {
        super::ChartInput::KpiCard(_) | super::ChartInput::RiskGauge(_) => 1,
        _ => 0,
    };
    for p in ctx.hits.points.iter().take(take) {
        parts.push(p.tooltip_lines().join(", "));
    }
    let n = ctx.hits.points.len();
    if n == 0 {
        parts.push(ctx.t(super::strings::Msg::NoData).to_string());
    } else if take == 0 {
        parts.push(ctx.tf(super::strings::Msg::DataPoints, &[("n", &n.to_string())]));
    }
    parts.join(". ")
}
