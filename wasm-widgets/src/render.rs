//! The one module that talks to the chart engine (`kpi_chart`): which kinds exist,
//! how a kind's JSON data becomes chart input, layout, drawing on a canvas and as SVG, and
//! which indicators a chart shows. When the engine's public API changes, only this file
//! changes.

use crate::error::{ErrorCode, WidgetError, WidgetResult};
use kpi_chart::{
    ChartError, ChartInput, ChartKind, ChartLayout, ChartOptions, ChartStrings, DrawOptions,
    IndicatorInfo, Scene, Size, TextMeasurer,
};
use web_sys::HtmlCanvasElement;

/// Largest number of elements in any one list of a chart's data (bars, years, cells):
/// above uPlot's benchmark size of 166,650 points, which a trend or scatter draws in tens
/// of milliseconds (every point keeps its tooltip and table row, about 0.5 KB each).
pub const MAX_ITEMS: usize = 250_000;
/// Largest number of JSON values in a chart's data altogether.
pub const MAX_VALUES: usize = 4_000_000;

/// The chart input of `kind` from its JSON `data` (the kind's fields, without `kind`).
pub fn parse_input(kind: &str, data: serde_json::Value) -> WidgetResult<ChartInput> {
    // The attribute names a kind exactly by its code (the engine's requests are more lenient).
    let Some(kind) = ChartKind::ALL.into_iter().find(|k| k.code() == kind) else {
        return Err(WidgetError::new(
            ErrorCode::UnknownKind,
            format!(
                "unknown kind {kind:?} (expected one of: {})",
                ChartKind::expected()
            ),
        ));
    };
    let serde_json::Value::Object(fields) = data else {
        return Err(WidgetError::new(
            ErrorCode::BadSpec,
            format!("{kind}: data must be an object"),
        ));
    };
    check_limits(kind.code(), &fields)?;
    ChartInput::of_kind(kind, serde_json::Value::Object(fields)).map_err(|e| match e {
        ChartError::Input(e) => WidgetError::new(ErrorCode::BadSpec, format!("{kind}: data: {e}")),
        e => chart_error(e),
    })
}

/// Refuses lists longer than [`MAX_ITEMS`] and data of more than [`MAX_VALUES`] values,
/// before the engine sees them (kind-independent, so new fields are covered too).
fn check_limits(
    kind: &str,
    fields: &serde_json::Map<String, serde_json::Value>,
) -> WidgetResult<()> {
    let mut stack: Vec<(&str, &serde_json::Value)> =
        fields.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let mut seen = 0usize;
    while let Some((name, value)) = stack.pop() {
        seen += 1;
        if seen > MAX_VALUES {
            return Err(WidgetError::new(
                ErrorCode::TooLarge,
                format!("{kind}: more than {MAX_VALUES} values"),
            ));
        }
        match value {
            serde_json::Value::Array(items) => {
                if items.len() > MAX_ITEMS {
                    return Err(WidgetError::new(
                        ErrorCode::TooLarge,
                        format!(
                            "{kind}: {name} has {} items, at most {MAX_ITEMS} are drawn",
                            items.len()
                        ),
                    ));
                }
                stack.extend(items.iter().map(|v| (name, v)));
            }
            serde_json::Value::Object(map) => {
                stack.extend(map.iter().map(|(k, v)| (k.as_str(), v)))
            }
            _ => {}
        }
    }
    Ok(())
}

/// The indicators a chart's data describes, for the definitions in exports: every object
/// under a key `indicator` (heat-map columns too) or `x`/`y` (scatter), once per code, in
/// input order. Read from the JSON, so no second (serialising) copy of the chart types is
/// linked into the module.
pub fn indicators(data: &serde_json::Value) -> Vec<IndicatorInfo> {
    let mut out: Vec<IndicatorInfo> = Vec::new();
    let mut stack: Vec<(&str, &serde_json::Value)> = vec![("", data)];
    while let Some((key, v)) = stack.pop() {
        match v {
            serde_json::Value::Object(map) => {
                if matches!(key, "indicator" | "x" | "y") {
                    if let Ok(info) = serde_json::from_value::<IndicatorInfo>(v.clone()) {
                        if !info.code.trim().is_empty() && !out.iter().any(|o| o.code == info.code)
                        {
                            out.push(info);
                        }
                    }
                    continue;
                }
                // Reversed so that indicators come out in input order.
                stack.extend(map.iter().rev().map(|(k, v)| (k.as_str(), v)));
            }
            serde_json::Value::Array(items) => stack.extend(items.iter().rev().map(|v| (key, v))),
            _ => {}
        }
    }
    out
}

fn chart_error(e: ChartError) -> WidgetError {
    match e {
        ChartError::TooSmall { .. } => WidgetError::new(ErrorCode::BadArgument, e.to_string()),
        ChartError::Input(_) => WidgetError::new(ErrorCode::BadSpec, e.to_string()),
        ChartError::Draw(_) => WidgetError::new(ErrorCode::Draw, e.to_string()),
        // The core module asked for a kind of the full one (the loader picks by kind, so
        // only a direct caller of `Chart` gets here): the kind is unknown to this module.
        ChartError::NotBuilt(_) => WidgetError::new(ErrorCode::UnknownKind, e.to_string()),
        // A kind of error added later: a drawing failure until it gets its own code.
        _ => WidgetError::new(ErrorCode::Draw, e.to_string()),
    }
}

/// Lays out `input` at `size` CSS pixels, measuring text with `m`.
pub fn layout(
    input: &std::sync::Arc<ChartInput>,
    size: Size,
    options: &ChartOptions,
    m: &dyn TextMeasurer,
) -> WidgetResult<ChartLayout> {
    kpi_chart::layout_chart_shared(input, size, options, m, ChartStrings::builtin_shared())
        .map_err(chart_error)
}

/// Draws `scene` on `canvas`, whose backing store must already be the scene's size ×
/// `scale` device pixels.
pub fn draw_canvas(scene: &Scene, canvas: HtmlCanvasElement, scale: f64) -> WidgetResult<()> {
    let no_context = || WidgetError::new(ErrorCode::Canvas, "the canvas has no 2d context");
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| wasm_bindgen::JsCast::dyn_into(c).ok())
        .ok_or_else(no_context)?;
    let inner =
        plotters_canvas::CanvasBackend::with_canvas_object(canvas).ok_or_else(no_context)?;
    let mut backend = crate::dots::DotBatching::new(inner, context);
    kpi_chart::draw(scene, &mut backend, &DrawOptions::canvas(scale))
        .map_err(|e| WidgetError::new(ErrorCode::Draw, format!("canvas: {e:?}")))
}

/// The scene as an SVG document with a `<title>` and `<desc>` for screen readers.
pub fn render_svg(scene: &Scene, title: &str, desc: &str) -> WidgetResult<String> {
    let mut svg = kpi_chart::scene_to_svg(scene, 1.0).map_err(chart_error)?;
    let meta = format!(
        "<title>{}</title><desc>{}</desc>",
        kpi_chart::text::escape_markup(title),
        kpi_chart::text::escape_markup(desc)
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

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_chart::EstimatingMeasurer;
    use kpi_model::i18n::Lang;
    use serde_json::json;

    #[test]
    fn typescript_declarations_list_every_kind() {
        // `KpiKind` in kpi-widgets.d.ts is written by hand; it must name exactly the kinds
        // of `ChartKind`, in the same order.
        let dts = include_str!("../js/kpi-widgets.d.ts");
        let start = dts
            .find("export type KpiKind =")
            .expect("KpiKind in the declarations");
        let decl = &dts[start..];
        let decl = &decl[..decl.find(';').expect("end of KpiKind")];
        let listed: Vec<&str> = decl.split('\'').skip(1).step_by(2).collect();
        let kinds: Vec<&str> = ChartKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(listed, kinds);
    }

    #[test]
    fn loader_lists_the_core_kinds() {
        // loader.js picks the chart module by these lists, before any module is loaded.
        let js = include_str!("../js/loader.js");
        let listed = |name: &str| -> Vec<&str> {
            let start = js
                .find(&format!("export const {name} = new Set(["))
                .expect("the list in loader.js");
            let decl = &js[start..];
            let decl = &decl[..decl.find(']').expect("end of the list")];
            decl.split('\'').skip(1).step_by(2).collect()
        };
        let (core, full_only): (Vec<ChartKind>, Vec<ChartKind>) =
            ChartKind::ALL.into_iter().partition(|k| k.is_core());
        assert_eq!(
            listed("CORE_KINDS"),
            core.iter().map(|k| k.code()).collect::<Vec<_>>()
        );
        assert_eq!(
            listed("FULL_ONLY_KINDS"),
            full_only.iter().map(|k| k.code()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn every_kind_parses_and_unknown_kinds_are_errors() {
        for kind in ChartKind::ALL {
            match parse_input(kind.code(), json!({})) {
                Ok(input) => assert_eq!(input.kind(), kind),
                // The core module (without `extra-kinds`) draws the core kinds only.
                Err(e) => {
                    assert!(!kind.is_built(), "{kind}: {e:?}");
                    assert_eq!(e.code, ErrorCode::UnknownKind);
                    assert!(e.detail.contains("not in this build"), "{}", e.detail);
                }
            }
        }
        assert!(ChartKind::CORE
            .iter()
            .all(|k| parse_input(k.code(), json!({})).is_ok()));
        let e = parse_input("pie", json!({})).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownKind);
        let e = parse_input("trend", json!({"points": "x"})).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadSpec);
        let e = parse_input("trend", json!([1, 2])).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadSpec);
    }

    #[test]
    fn too_many_items_anywhere_is_refused() {
        let bars: Vec<_> = (0..=MAX_ITEMS)
            .map(|i| json!({"id": i.to_string()}))
            .collect();
        let e = parse_input("compare", json!({ "bars": bars })).unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLarge);
        assert!(e.detail.contains("bars has 250001 items"), "{}", e.detail);
        // Nested lists count too (heat-map cells inside rows).
        let cells: Vec<_> = (0..=MAX_ITEMS).map(|_| json!(null)).collect();
        let e = parse_input("heatmap", json!({"rows": [{"cells": cells}]})).unwrap_err();
        assert_eq!(e.code, ErrorCode::TooLarge);
    }

    #[test]
    fn indicators_are_found_once_each_in_input_order() {
        let scatter = serde_json::to_value(kpi_chart::examples::scatter(5)).unwrap();
        let codes: Vec<String> = indicators(&scatter).into_iter().map(|i| i.code).collect();
        assert_eq!(codes.len(), 2, "{codes:?}");
        assert_ne!(codes[0], codes[1]);
        let heatmap = json!({"columns": [
            {"indicator": {"code": "b", "unit": "%"}},
            {"indicator": {"code": "a", "unit": "ratio"}},
            {"indicator": {"code": "b", "unit": "%"}}]});
        let codes: Vec<String> = indicators(&heatmap).into_iter().map(|i| i.code).collect();
        assert_eq!(codes, ["b", "a"]);
        // Numbers named x and y (scatter points) are not indicators.
        assert!(indicators(&json!({"points": [{"x": 1, "y": 2}]})).is_empty());
    }

    #[test]
    fn svg_has_title_and_escaped_desc() {
        let input =
            parse_input("trend", json!({"points": [{"year": 2022, "value": 50.0}]})).unwrap();
        let input = std::sync::Arc::new(input);
        let chart = layout(
            &input,
            Size::new(400.0, 300.0),
            &ChartOptions {
                lang: Lang::En,
                ..Default::default()
            },
            &EstimatingMeasurer,
        )
        .unwrap();
        let svg = render_svg(&chart.scene, "A <b>", "x & y").unwrap();
        assert!(svg.contains("<title>A &lt;b&gt;</title><desc>x &amp; y</desc>"));
    }

    #[test]
    fn too_small_is_a_bad_argument() {
        let input = std::sync::Arc::new(parse_input("trend", json!({})).unwrap());
        let e = layout(
            &input,
            Size::new(20.0, 300.0),
            &ChartOptions::default(),
            &EstimatingMeasurer,
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::BadArgument);
    }
}
