//! A canvas backend that fills runs of equal dots as one path: a scatter of 166,650 units
//! draws tens of thousands of dots, and plotters' canvas backend would set the fill
//! colour (a formatted string), begin a path and fill it once per dot.

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use web_sys::CanvasRenderingContext2d;

/// The canvas backend's error (its type is not exported).
type CanvasError = <CanvasBackend as DrawingBackend>::ErrorType;
type Drawn = Result<(), DrawingErrorKind<CanvasError>>;

/// [`CanvasBackend`], except that consecutive filled circles of one colour and radius are
/// gathered into one path, filled when anything else is drawn (the same pixels: each
/// circle is its own closed sub-path under the nonzero rule, as one fill per circle).
pub struct DotBatching {
    inner: CanvasBackend,
    context: CanvasRenderingContext2d,
    /// The colour (red, green, blue, alpha) and radius of the circles in the open path.
    open: Option<((u8, u8, u8), f64, u32)>,
}

impl DotBatching {
    /// Wraps `inner`, which draws on `context`.
    pub fn new(inner: CanvasBackend, context: CanvasRenderingContext2d) -> Self {
        DotBatching {
            inner,
            context,
            open: None,
        }
    }

    /// Fills the open path, if any.
    fn flush(&mut self) {
        if self.open.take().is_some() {
            self.context.fill();
        }
    }
}

impl DrawingBackend for DotBatching {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Drawn {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Drawn {
        self.flush();
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        self.flush();
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        self.flush();
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        self.flush();
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        self.flush();
        self.inner.draw_path(path, style)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn {
        self.flush();
        self.inner.fill_polygon(vert, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        let color = style.color();
        if !fill || color.alpha == 0.0 {
            self.flush();
            return self.inner.draw_circle(center, radius, style, fill);
        }
        let key = (color.rgb, color.alpha, radius);
        if self.open != Some(key) {
            self.flush();
            let ((r, g, b), a) = (color.rgb, color.alpha);
            // The colour text plotters' canvas backend writes.
            self.context
                .set_fill_style_str(&format!("rgba({r},{g},{b},{a})"));
            self.context.begin_path();
            self.open = Some(key);
        }
        let (x, y, r) = (f64::from(center.0), f64::from(center.1), f64::from(radius));
        self.context.move_to(x + r, y);
        // A non-negative radius: `arc` cannot fail.
        let _ = self.context.arc(x, y, r, 0.0, std::f64::consts::TAU);
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn {
        self.flush();
        self.inner.draw_text(text, style, pos)
    }
}
