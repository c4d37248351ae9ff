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
use kpi_model::i18n::Lang;

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

/// The summary sentence of a chart (for `aria-label`): its title, then the key numbers,
/// taken from the tooltips of the marks that matter (already in the display language).
pub(crate) fn summary(input: &super::ChartInput, ctx: &Ctx) -> String {
    use super::ChartInput as I;
    let mut parts: Vec<String> = Vec::new();
    if !ctx.title.trim().is_empty() {
        parts.push(ctx.title.clone());
    }
    let points = &ctx.hits.points;
    let by_id = |id: &str| points.iter().find(|p| p.id == id);
    let key: Vec<&crate::hit::DataPoint> = match input {
        I::KpiCard(_) | I::RiskGauge(_) => points.iter().take(1).collect(),
        // The latest value, then the latest peer median.
        I::Trend(_) => {
            let last = points
                .iter()
                .filter(|p| p.id.starts_with("value:"))
                .max_by_key(|p| p.year);
            let median = points
                .iter()
                .filter(|p| p.id.starts_with("median:"))
                .max_by_key(|p| p.year);
            last.into_iter().chain(median).collect()
        }
        I::Compare(d) => d
            .bars
            .iter()
            .filter(|b| b.highlight)
            .filter_map(|b| by_id(&format!("bar:{}", b.id)))
            .chain(by_id("median"))
            .collect(),
        I::Distribution(_) => by_id("unit").into_iter().chain(by_id("box")).collect(),
        I::Scatter(d) => d
            .points
            .iter()
            .filter(|p| p.highlight)
            .filter_map(|p| by_id(&format!("point:{}", p.id)))
            .collect(),
        I::RiskBreakdown(_) => points.iter().take(3).collect(),
        I::Radar(_) => points.iter().collect(),
        I::Heatmap(_) | I::Table(_) => Vec::new(),
    };
    for p in key {
        parts.push(
            p.tooltip_lines()
                .into_iter()
                .take(3)
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if points.is_empty() {
        parts.push(ctx.t(super::strings::Msg::NoData).to_string());
    } else if parts.len() <= 1 {
        parts.push(ctx.tf(
            super::strings::Msg::DataPoints,
            &[("n", &points.len().to_string())],
        ));
    }
    parts.join(". ")
}
