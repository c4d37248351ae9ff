//! Text measurement with the browser's own fonts (canvas `measureText`), so labels placed
//! by the layout fit what the canvas draws.
//!
//! Each character's advance is measured once at a reference size and a text's width is the
//! sum of its characters' advances, scaled to the font size. Layout asks for the widths of
//! many prefixes while shortening long names (a 1,000-bar chart asks thousands of times);
//! this keeps it to one `measureText` per distinct character. Summing advances ignores
//! kerning, which only ever narrows text, so a label never comes out wider than measured.

use kpi_chart::{EstimatingMeasurer, TextMeasurer};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

/// Font size at which characters are measured.
const REFERENCE_PX: f64 = 100.0;

/// Measures with a 2D context of a detached canvas; falls back to the built-in estimate
/// where there is no document (a worker) or no 2D context.
pub struct BrowserMeasurer {
    ctx: Option<CanvasRenderingContext2d>,
    family: String,
    advances: RefCell<HashMap<(char, bool), f64>>,
    current_bold: RefCell<Option<bool>>,
}

impl BrowserMeasurer {
    /// A measurer for the CSS font `family`.
    pub fn new(family: &str) -> Self {
        BrowserMeasurer {
            ctx: context(),
            family: family.to_string(),
            advances: RefCell::new(HashMap::new()),
            current_bold: RefCell::new(None),
        }
    }

    /// The family this measurer measures.
    pub fn family(&self) -> &str {
        &self.family
    }

    /// Advance of `c` at [`REFERENCE_PX`].
    fn advance(&self, ctx: &CanvasRenderingContext2d, c: char, bold: bool) -> f64 {
        if let Some(w) = self.advances.borrow().get(&(c, bold)) {
            return *w;
        }
        if *self.current_bold.borrow() != Some(bold) {
            let weight = if bold { "bold " } else { "" };
            ctx.set_font(&format!("{weight}{REFERENCE_PX}px {}", self.family));
            *self.current_bold.borrow_mut() = Some(bold);
        }
        let mut buf = [0u8; 4];
        let w = ctx
            .measure_text(c.encode_utf8(&mut buf))
            .ok()
            .map(|m| m.width())
            .filter(|w| w.is_finite() && *w >= 0.0)
            .unwrap_or_else(|| {
                EstimatingMeasurer.width(c.encode_utf8(&mut buf), REFERENCE_PX, bold)
            });
        self.advances.borrow_mut().insert((c, bold), w);
        w
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
        let sum: f64 = text.chars().map(|c| self.advance(ctx, c, bold)).sum();
        sum * font_px / REFERENCE_PX
    }
}
