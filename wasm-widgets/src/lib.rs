//! kpi-widgets: the WebAssembly bindings of kpi-chart (and, in the engine build, kpi-engine) behind the `<kpi-widget>` element.
//!
//! Every exported function returns `Result<_, JsValue>`; an error is a JavaScript `Error`
//! named `KpiError` with `code`, `detail` and `messages` (`kk`, `ru`, `en`). A panic is a
//! bug: the panic hook logs it, the instance traps, and `kpi-widgets.js` shows a message
//! and starts a fresh instance for the other widgets.
//!
//! The default build draws charts from chart input; the `engine` feature adds
//! `engine::Engine` (import, indicators, risk) for the dataset worker, and the `sheets`
//! feature `sheets::workbook_cells` (XLSX workbooks as cell streams), the spreadsheet module
//! the worker loads only for a workbook.
//!
//! ```text
//! const chart = new Chart({kind: "trend", lang: "kk", data: {...}});
//! chart.draw(canvas, 640, 360, devicePixelRatio);
//! const i = chart.hitTest(x, y);           // index or undefined
//! const p = chart.point(i);                // {label, valueText, year, n, tooltip: [...], anchor, bounds, ...}
//! chart.svg(); chart.csv(); chart.table(); chart.summary();
//! ```

#[cfg(feature = "chart")]
pub mod chart;
// Points as typed arrays (large trends and scatters): in the full chart module, which
// `ready()` without a kind gives, so that the core module stays small.
#[cfg(all(feature = "chart", feature = "extra-kinds"))]
pub mod columns;
#[cfg(feature = "chart")]
mod dots;
#[cfg(feature = "engine")]
pub mod engine;
pub mod error;
#[cfg(feature = "chart")]
pub mod export;
pub mod lang;
#[cfg(feature = "chart")]
mod measure;
#[cfg(feature = "chart")]
pub mod render;
#[cfg(feature = "sheets")]
pub mod sheets;

#[cfg(feature = "chart")]
use chart::ChartState;
#[cfg(any(feature = "chart", feature = "engine"))]
use error::{ErrorCode, WidgetError};
#[cfg(any(feature = "chart", feature = "engine"))]
use serde::Serialize;
use wasm_bindgen::prelude::*;
#[cfg(feature = "chart")]
use wasm_bindgen::JsCast;

#[cfg(feature = "engine")]
pub use engine::Engine;

/// Installs the panic hook (a panic is logged with its message and location).
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The version of the widgets.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The chart kinds this build draws: every kind in the full chart module, the core kinds
/// (`ChartKind::CORE`) in the core one.
#[wasm_bindgen]
pub fn kinds() -> js_sys::Array {
    kpi_chart::ChartKind::ALL
        .iter()
        .filter(|k| k.is_built())
        .map(|k| JsValue::from_str(k.code()))
        .collect()
}

#[cfg(any(feature = "chart", feature = "engine"))]
/// A result as a plain JavaScript object (through JSON: serde_json is linked anyway, and
/// `JSON.parse` is fast; absent values become `null`).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| WidgetError::new(ErrorCode::Draw, format!("result: {e}")))?;
    js_sys::JSON::parse(&text)
        .map_err(|_| WidgetError::new(ErrorCode::Draw, "result: not JSON").into())
}

#[cfg(any(feature = "chart", feature = "engine"))]
/// A specification as JSON text: a string as is, an object through `JSON.stringify`
/// (which refuses cycles and too deep nesting with an error, not a crash).
fn spec_text(spec: &JsValue) -> Result<String, WidgetError> {
    if let Some(s) = spec.as_string() {
        return Ok(s);
    }
    if !spec.is_object() {
        return Err(WidgetError::new(
            ErrorCode::BadSpec,
            "specification: expected an object or a JSON string",
        ));
    }
    js_sys::JSON::stringify(spec)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| {
            WidgetError::new(
                ErrorCode::BadSpec,
                "specification: cannot be written as JSON",
            )
        })
}

/// `spec` without its `data.points` when those are columns (an object of typed arrays and
/// string arrays rather than an array), and the columns; else `spec` as it is.
#[cfg(all(feature = "chart", feature = "extra-kinds"))]
fn split_columns(spec: &JsValue) -> Result<(JsValue, Option<columns::PointColumns>), WidgetError> {
    use js_sys::{Array, Object, Reflect};
    let get = |o: &JsValue, k: &str| Reflect::get(o, &JsValue::from_str(k)).ok();
    if spec.as_string().is_some() || !spec.is_object() {
        return Ok((spec.clone(), None));
    }
    let Some(data) = get(spec, "data").filter(|d| d.is_object()) else {
        return Ok((spec.clone(), None));
    };
    let Some(points) = get(&data, "points").filter(|p| p.is_object() && !Array::is_array(p)) else {
        return Ok((spec.clone(), None));
    };
    let bad = |name: &str, what: &str| {
        WidgetError::new(ErrorCode::BadSpec, format!("data.points.{name}: {what}"))
    };
    let mut cols = columns::PointColumns::default();
    for key in Object::keys(points.unchecked_ref::<Object>()).iter() {
        let name = key.as_string().unwrap_or_default();
        let v = get(&points, &name).unwrap_or(JsValue::UNDEFINED);
        if js_sys::ArrayBuffer::is_view(&v) {
            let len = Reflect::get(&v, &JsValue::from_str("length"))
                .ok()
                .and_then(|l| l.as_f64())
                .unwrap_or(0.0);
            if len > render::MAX_ITEMS as f64 {
                return Err(WidgetError::new(
                    ErrorCode::TooLarge,
                    format!(
                        "data.points.{name} has {len} items, at most {} are drawn",
                        render::MAX_ITEMS
                    ),
                ));
            }
            // Any typed array of numbers, converted as `new Float64Array(view)` does, but
            // straight into the module: `to_vec` copies with `Float64Array.prototype.set`,
            // which converts each element of any numeric typed array, and reads `length`,
            // which every typed array has. No second array of doubles is made in JavaScript
            // (half the handover of a 166,650-point trend). One import serves every element
            // type, which keeps the chart module small. (BigInt arrays would make `set`
            // throw.)
            if v.is_instance_of::<js_sys::BigInt64Array>()
                || v.is_instance_of::<js_sys::BigUint64Array>()
            {
                return Err(bad(
                    &name,
                    "expected a typed array of numbers (Float64Array, Float32Array, Int32Array …)",
                ));
            }
            let numbers = v.unchecked_ref::<js_sys::Float64Array>().to_vec();
            cols.numbers.push((name, numbers));
        } else if let Some(a) = v.dyn_ref::<Array>() {
            if a.length() as usize > render::MAX_ITEMS {
                return Err(WidgetError::new(
                    ErrorCode::TooLarge,
                    format!(
                        "data.points.{name} has {} items, at most {} are drawn",
                        a.length(),
                        render::MAX_ITEMS
                    ),
                ));
            }
            let texts = a
                .iter()
                .map(|t| t.as_string().or_else(|| t.as_f64().map(|f| f.to_string())))
                .collect();
            cols.texts.push((name, texts));
        } else {
            return Err(bad(
                &name,
                "expected a typed array of numbers or an array of texts",
            ));
        }
    }
    let data = Object::assign(&Object::new(), data.unchecked_ref());
    let spec = Object::assign(&Object::new(), spec.unchecked_ref());
    let set = |o: &Object, k: &str, v: &JsValue| Reflect::set(o, &JsValue::from_str(k), v);
    if set(&data, "points", &Array::new().into()).is_err()
        || set(&spec, "data", &data.into()).is_err()
    {
        return Err(WidgetError::new(
            ErrorCode::BadSpec,
            "specification: cannot be copied",
        ));
    }
    Ok((spec.into(), Some(cols)))
}

#[cfg(feature = "chart")]
fn index(i: f64) -> Option<usize> {
    (i.is_finite() && i >= 0.0 && i.fract() == 0.0 && i <= u32::MAX as f64).then_some(i as usize)
}

/// A chart: build it from a specification, draw it on a canvas, ask it what is where.
#[cfg(feature = "chart")]
#[wasm_bindgen]
pub struct Chart {
    state: ChartState,
}

#[cfg(feature = "chart")]
#[wasm_bindgen]
impl Chart {
    /// A chart from `{kind, data, lang, theme, vars, summary}` (an object or JSON text).
    ///
    /// A trend's or a scatter's `data.points` may be columns of typed arrays instead of
    /// objects (`{year: Int32Array, value: Float64Array}`, `{x, y: Float64Array, id?, name?:
    /// string[]}`; NaN is no value): copied as they are, without JSON.
    #[wasm_bindgen(constructor)]
    pub fn new(spec: JsValue) -> Result<Chart, JsValue> {
        #[cfg(feature = "extra-kinds")]
        {
            let (spec, columns) = split_columns(&spec)?;
            let spec = chart::parse_spec(&spec_text(&spec)?)?;
            Ok(Chart {
                state: ChartState::from_spec_with_columns(spec, columns)?,
            })
        }
        #[cfg(not(feature = "extra-kinds"))]
        Ok(Chart {
            state: ChartState::from_spec(chart::parse_spec(&spec_text(&spec)?)?)?,
        })
    }

    /// The kind (`trend`).
    #[wasm_bindgen(getter)]
    pub fn kind(&self) -> String {
        self.state.kind().to_string()
    }

    /// Lays out at `width` × `height` CSS pixels and draws on `canvas` with a backing
    /// store of that size × `dpr` device pixels (fonts and lines scaled alike).
    pub fn draw(
        &mut self,
        canvas: JsValue,
        width: f64,
        height: f64,
        dpr: f64,
    ) -> Result<(), JsValue> {
        let canvas: web_sys::HtmlCanvasElement = canvas.dyn_into().map_err(|_| {
            WidgetError::new(
                ErrorCode::BadArgument,
                "draw: expected an HTMLCanvasElement",
            )
        })?;
        if !dpr.is_finite() || !(0.25..=8.0).contains(&dpr) {
            return Err(WidgetError::new(
                ErrorCode::BadArgument,
                format!("dpr {dpr}: expected 0.25 to 8"),
            )
            .into());
        }
        let layout = self.state.layout(width, height, true)?;
        let (w, h) = (render::px_u32(width * dpr), render::px_u32(height * dpr));
        if canvas.width() != w {
            canvas.set_width(w);
        }
        if canvas.height() != h {
            canvas.set_height(h);
        }
        render::draw_canvas(&layout.scene, canvas, dpr)?;
        Ok(())
    }

    /// The index of the data point at `(x, y)` CSS pixels, or `undefined`.
    #[wasm_bindgen(js_name = hitTest)]
    pub fn hit_test(&self, x: f64, y: f64) -> Result<Option<u32>, JsValue> {
        Ok(self.state.hit_test(x, y)?.map(|i| i as u32))
    }

    /// Where keyboard focus goes from point `current` (or from none) on DOM key `key`.
    pub fn navigate(&self, current: JsValue, key: JsValue) -> Result<Option<u32>, JsValue> {
        let current = match current.as_f64() {
            Some(v) => Some(index(v).ok_or_else(|| {
                WidgetError::new(
                    ErrorCode::BadArgument,
                    format!("navigate: point {v} is not an index"),
                )
            })?),
            None if current.is_undefined() || current.is_null() => None,
            None => {
                return Err(WidgetError::new(
                    ErrorCode::BadArgument,
                    "navigate: point must be a number",
                )
                .into())
            }
        };
        let key = key.as_string().ok_or_else(|| {
            WidgetError::new(ErrorCode::BadArgument, "navigate: key must be a string")
        })?;
        Ok(self.state.navigate(current, &key)?.map(|i| i as u32))
    }

    /// Point `i`: `{index, id, org, programme, series, label, value, valueText, unit, year,
    /// n, rank, details, warnings, note, selectable, tooltip, anchor, bounds}`.
    pub fn point(&self, i: f64) -> Result<JsValue, JsValue> {
        let i = index(i).ok_or_else(|| {
            WidgetError::new(ErrorCode::BadArgument, format!("point {i}: not an index"))
        })?;
        to_js(&self.state.point(i)?)
    }

    /// The points in keyboard order (lane by lane, as the arrow keys visit them): the
    /// order of the point buttons.
    #[wasm_bindgen(js_name = pointOrder)]
    pub fn point_order(&self) -> Result<Vec<u32>, JsValue> {
        Ok(self
            .state
            .point_order()?
            .into_iter()
            .map(|i| i as u32)
            .collect())
    }

    /// The texts of the points at positions `from..to` of the keyboard order (each its
    /// tooltip lines joined by ". "): the point buttons' texts in one call instead of one
    /// `point(i)` each.
    #[wasm_bindgen(js_name = pointTexts)]
    pub fn point_texts(&self, from: u32, to: u32) -> Result<Vec<String>, JsValue> {
        Ok(self.state.point_texts(from as usize, to as usize)?)
    }

    /// Number of data points.
    #[wasm_bindgen(js_name = pointCount)]
    pub fn point_count(&self) -> u32 {
        self.state.point_count() as u32
    }

    /// The summary sentence for `aria-label`.
    pub fn summary(&self) -> Result<String, JsValue> {
        Ok(self.state.summary()?)
    }

    /// The chart's title in plain text (file names of exports).
    pub fn title(&self) -> Result<String, JsValue> {
        Ok(self.state.last()?.scene.title.clone())
    }

    /// The chart as an SVG document, at the last drawn size.
    pub fn svg(&self) -> Result<String, JsValue> {
        Ok(self.state.svg()?)
    }

    /// CSV of the data shown, with the indicator definitions.
    pub fn csv(&self) -> Result<String, JsValue> {
        Ok(self.state.csv()?)
    }

    /// The accessible table of the kind `{caption, keys, columns, numeric, rows, values,
    /// notes, sorted_by, descending, row_header}`: its own columns and row headers.
    pub fn table(&self) -> Result<JsValue, JsValue> {
        to_js(&export::table_view(&self.state.data_table()?))
    }
}
