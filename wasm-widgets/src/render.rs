//! The one module that talks to the chart engine (`kpi_core::chart`): which kinds exist,
//! how a kind's JSON data becomes chart input, layout, drawing on a canvas and as SVG, and
//! what a chart says about its indicators. When the engine's public API changes, only this
//! file changes.

use crate::error::{ErrorCode, WidgetError, WidgetResult};
use kpi_core::chart::{
    self, ChartSpec, DrawOptions, IndicatorInfo, Scene, Size, TextMeasurer, Theme,
};
use kpi_core::i18n::Lang;
use web_sys::HtmlCanvasElement;

/// The chart kinds this build draws, in the order of widgets.md.
pub const KINDS: &[&str] = &["trend", "compare"];

/// Every kind of widgets.md, drawn or not yet, for telling "unknown" from "not available".
const ALL_KINDS: &[&str] = &[
    "kpi-card",
    "trend",
    "compare",
    "distribution",
    "scatter",
    "heatmap",
    "risk-gauge",
    "risk-breakdown",
    "radar",
    "table",
];

/// Largest number of elements in any one list of a chart's data (bars, years, points).
pub const MAX_ITEMS: usize = 100_000;

/// The chart input of `kind` from its JSON `data`.
pub fn parse_input(kind: &str, data: serde_json::Value) -> WidgetResult<ChartSpec> {
    let bad =
        |e: serde_json::Error| WidgetError::new(ErrorCode::BadSpec, format!("{kind}: data: {e}"));
    let input = match kind {
        "trend" => ChartSpec::Trend(serde_json::from_value(data).map_err(bad)?),
        "compare" => ChartSpec::Compare(serde_json::from_value(data).map_err(bad)?),
        other if ALL_KINDS.contains(&other) => {
            return Err(WidgetError::new(
                ErrorCode::UnknownKind,
                format!(
                    "kind {other:?} is not drawn by this build (available: {})",
                    KINDS.join(", ")
                ),
            ))
        }
        other => {
            return Err(WidgetError::new(
                ErrorCode::UnknownKind,
                format!(
                    "unknown kind {other:?} (expected one of: {})",
                    KINDS.join(", ")
                ),
            ))
        }
    };
    check_limits(&input)?;
    Ok(input)
}

/// The widget kind of an input (`trend`).
pub fn kind_of(input: &ChartSpec) -> &'static str {
    match input {
        ChartSpec::Trend(_) => "trend",
        ChartSpec::Compare(_) => "compare",
    }
}

fn check_limits(input: &ChartSpec) -> WidgetResult<()> {
    let lists: Vec<(&str, usize)> = match input {
        ChartSpec::Trend(d) => vec![
            ("points", d.points.len()),
            ("trend", d.trend.len()),
            ("forecast", d.forecast.len()),
            ("peers", d.peers.len()),
        ],
        ChartSpec::Compare(d) => vec![("bars", d.bars.len())],
    };
    for (name, len) in lists {
        if len > MAX_ITEMS {
            return Err(WidgetError::new(
                ErrorCode::TooLarge,
                format!(
                    "{}: {name} has {len} items, at most {MAX_ITEMS} are drawn",
                    kind_of(input)
                ),
            ));
        }
    }
    Ok(())
}

/// The indicators a chart shows (for export definitions).
pub fn indicators(input: &ChartSpec) -> Vec<&IndicatorInfo> {
    match input {
        ChartSpec::Trend(d) => vec![&d.indicator],
        ChartSpec::Compare(d) => vec![&d.indicator],
    }
}

/// Lays out `input` at `size` CSS pixels.
pub fn layout(
    input: &ChartSpec,
    size: Size,
    theme: &Theme,
    lang: Lang,
    m: &dyn TextMeasurer,
) -> Scene {
    chart::layout(input, size, theme, lang, m)
}

/// Draws `scene` on `canvas`, whose backing store must already be the scene's size ×
/// `scale` device pixels.
pub fn draw_canvas(scene: &Scene, canvas: HtmlCanvasElement, scale: f64) -> WidgetResult<()> {
    let mut backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| WidgetError::new(ErrorCode::Canvas, "the canvas has no 2d context"))?;
    chart::draw(scene, &mut backend, &DrawOptions::canvas(scale))
        .map_err(|e| WidgetError::new(ErrorCode::Draw, format!("canvas: {e:?}")))
}

/// The scene as an SVG document with a `<title>` and `<desc>` for screen readers.
pub fn render_svg(scene: &Scene, title: &str, desc: &str) -> WidgetResult<String> {
    let w = px_u32(scene.width);
    let h = px_u32(scene.height);
    let mut svg = String::new();
    {
        let mut backend = plotters_svg::SVGBackend::with_string(&mut svg, (w, h));
        chart::draw(scene, &mut backend, &DrawOptions::svg(1.0))
            .map_err(|e| WidgetError::new(ErrorCode::Draw, format!("svg: {e:?}")))?;
    }
    let meta = format!(
        "<title>{}</title><desc>{}</desc>",
        xml_escape(title),
        xml_escape(desc)
    );
    if let Some(open) = svg.find("<svg") {
        if let Some(end) = svg[open..].find('>') {
            svg.insert_str(open + end + 1, &meta);
        }
    }
    Ok(svg)
}

/// A pixel count for a backend: finite, at least 1, at most 20 000.
pub fn px_u32(v: f64) -> u32 {
    if v.is_finite() {
        v.round().clamp(1.0, 20_000.0) as u32
    } else {
        1
    }
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// The sentence for `aria-label` and the SVG `<desc>`: the text the caller provides
/// (`summary`, from the summary module) or the chart's title with the unit's value.
pub fn summary(input: &ChartSpec, scene: &Scene, lang: Lang, given: Option<&str>) -> String {
    if let Some(s) = given.map(str::trim).filter(|s| !s.is_empty()) {
        return s.to_string();
    }
    let title = scene.title.trim();
    let focus = match input {
        ChartSpec::Trend(d) => {
            let name = d.unit_name.get(lang).trim().to_string();
            let last = d
                .points
                .iter()
                .filter(|p| p.value.is_some_and(f64::is_finite))
                .max_by_key(|p| p.year);
            match last {
                Some(p) => {
                    let value = d.indicator.format(
                        p.value.unwrap_or(f64::NAN),
                        lang,
                        chart::ChartStrings::builtin(),
                    );
                    let year = kpi_core::i18n::format_academic_year(p.year);
                    join(&[&name, &format!("{value} ({year})")], ": ")
                }
                None => name,
            }
        }
        ChartSpec::Compare(d) => {
            let n = d
                .bars
                .iter()
                .filter(|b| b.value.is_some_and(f64::is_finite))
                .count();
            let unit = d
                .bars
                .iter()
                .find(|b| b.highlight)
                .map(|b| {
                    let v = b
                        .value
                        .filter(|v| v.is_finite())
                        .map(|v| d.indicator.format(v, lang, chart::ChartStrings::builtin()))
                        .unwrap_or_else(|| "—".into());
                    format!("{}: {v}", b.name.get(lang).trim())
                })
                .unwrap_or_default();
            join(&[&unit, &format!("n = {n}")], ", ")
        }
    };
    join(&[title, &focus], ". ")
}

fn join(parts: &[&str], sep: &str) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_core::chart::EstimatingMeasurer;
    use serde_json::json;

    #[test]
    fn kinds_parse_and_unknown_kinds_are_told_apart() {
        assert!(parse_input("trend", json!({})).is_ok());
        assert!(parse_input("compare", json!({"bars": []})).is_ok());
        let e = parse_input("radar", json!({})).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownKind);
        assert!(e.detail.contains("not drawn"));
        let e = parse_input("pie", json!({})).unwrap_err();
        assert!(e.detail.contains("unknown kind"));
        let e = parse_input("trend", json!({"points": "x"})).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadSpec);
    }

    #[test]
    fn too_many_bars_is_refused() {
        let bars: Vec<_> = (0..=MAX_ITEMS)
            .map(|i| json!({"id": i.to_string()}))
            .collect();
        let e = parse_input("compare", json!({ "bars": bars })).unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLarge);
    }

    #[test]
    fn svg_has_title_and_escaped_desc() {
        let input =
            parse_input("trend", json!({"points": [{"year": 2022, "value": 50.0}]})).unwrap();
        let scene = layout(
            &input,
            Size::new(400.0, 300.0),
            &Theme::light(),
            Lang::En,
            &EstimatingMeasurer,
        );
        let svg = render_svg(&scene, "A <b>", "x & y").unwrap();
        assert!(svg.contains("<title>A &lt;b&gt;</title><desc>x &amp; y</desc>"));
    }

    #[test]
    fn summary_prefers_the_given_sentence_then_the_latest_value() {
        let input = parse_input(
            "trend",
            json!({"unit_name": "College 1", "title": "Employment",
                   "points": [{"year": 2021, "value": 50.0}, {"year": 2022, "value": 61.27}, {"year": 2023}]}),
        )
        .unwrap();
        let scene = layout(
            &input,
            Size::new(400.0, 300.0),
            &Theme::light(),
            Lang::En,
            &EstimatingMeasurer,
        );
        assert_eq!(
            summary(&input, &scene, Lang::En, Some(" Given. ")),
            "Given."
        );
        // The latest finite value is 2022 (2023 is not computable); percent with 1 decimal.
        assert_eq!(
            summary(&input, &scene, Lang::En, None),
            "Employment. College 1: 61.3% (2022–2023)"
        );
    }
}
