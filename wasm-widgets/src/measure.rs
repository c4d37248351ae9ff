//! Text measurement with the browser's own fonts (canvas `measureText`), so labels placed
//! by the layout fit exactly what the canvas draws. Widths are measured once per text at a
//! reference size and scaled (advance widths are linear in the font size), which keeps a
//! 1,000-bar chart to one `measureText` per distinct label.

use kpi_core::chart::{EstimatingMeasurer, TextMeasurer};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

/// Font size at which texts are measured.
const REFERENCE_PX: f64 = 100.0;
/// Cached widths kept before the cache is cleared (bounded memory on long sessions).
const CACHE_LIMIT: usize = 20_000;

/// Measures with a 2D context of a detached canvas; falls back to the built-in estimate
/// where there is no document (a worker) or no 2D context.
pub struct BrowserMeasurer {
    ctx: Option<CanvasRenderingContext2d>,
    family: String,
    cache: RefCell<HashMap<(String, bool), f64>>,
    current_bold: RefCell<Option<bool>>,
}

impl BrowserMeasurer {
    /// A measurer for the CSS font `family`.
    pub fn new(family: &str) -> Self {
        BrowserMeasurer {
            ctx: context(),
            family: family.to_string(),
            cache: RefCell::new(HashMap::new()),
            current_bold: RefCell::new(None),
        }
    }

    /// The family this measurer measures.
    pub fn family(&self) -> &str {
        &self.family
    }

    fn measure_reference(
        &self,
        ctx: &CanvasRenderingContext2d,
        text: &str,
        bold: bool,
    ) -> Option<f64> {
        if *self.current_bold.borrow() != Some(bold) {
            let weight = if bold { "bold " } else { "" };
            ctx.set_font(&format!("{weight}{REFERENCE_PX}px {}", self.family));
            *self.current_bold.borrow_mut() = Some(bold);
        }
        let w = ctx.measure_text(text).ok()?.width();
        w.is_finite().then_some(w.max(0.0))
    }
}

fn context() -> Option<CanvasRenderingContext2d> {
    let document = web_sys::window()?.document()?;
    let canvas = document.create_element("canvas").ok()?;
    let canvas: web_sys::HtmlCanvasElement = canvas.dyn_into().ok()?;
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

impl TextMeasurer for BrowserMeasurer {
    fn width(&self, text: &str, font_px: f64, bold: bool) -> f64 {
        if !font_px.is_finite() || font_px <= 0.0 || text.is_empty() {
            return 0.0;
        }
        let Some(ctx) = &self.ctx else {
            return EstimatingMeasurer.width(text, font_px, bold);
        };
        let key = (text.to_string(), bold);
        if let Some(w) = self.cache.borrow().get(&key) {
            return w * font_px / REFERENCE_PX;
        }
        let Some(w) = self.measure_reference(ctx, text, bold) else {
            return EstimatingMeasurer.width(text, font_px, bold);
        };
        let mut cache = self.cache.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(key, w);
        w * font_px / REFERENCE_PX
    }
}
