//! Drawing a [`Scene`] on any plotters `DrawingBackend`, using only primitives that never
//! measure text (lines, rectangles, paths, polygons, circles, anchored text).

use super::color::Color;
use super::geom::{Point, Rect};
use super::reduce::{m4, PixelCells};
use super::scene::{Align, Rotation, Scene, Shape, Stroke, TextShape};
use super::text::{EstimatingMeasurer, TextMeasurer};
use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontFamily, FontStyle, FontTransform,
};

/// How a scene in CSS pixels is mapped onto a backend's pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DrawOptions {
    /// Device pixels per CSS pixel: `devicePixelRatio` on a canvas, 2 for PNG export.
    /// Applied to coordinates, font sizes and line widths.
    pub scale: f64,
    /// The backend's font size for one CSS pixel of text. `plotters-canvas` sets
    /// `font: {size}px`, so 1; `plotters-svg` writes `font-size = size / 1.24`, so 1.24.
    pub text_size_factor: f64,
    /// The data point with keyboard focus, outlined on top of the chart.
    pub focus: Option<usize>,
}

impl DrawOptions {
    /// For `plotters-canvas`'s `CanvasBackend` at `scale` = `devicePixelRatio`.
    pub fn canvas(scale: f64) -> Self {
        DrawOptions {
            scale: sane_scale(scale),
            text_size_factor: 1.0,
            focus: None,
        }
    }

    /// For `plotters-svg`'s `SVGBackend`.
    pub fn svg(scale: f64) -> Self {
        DrawOptions {
            scale: sane_scale(scale),
            text_size_factor: 1.24,
            focus: None,
        }
    }

    /// The same options with keyboard focus on `point`.
    pub fn with_focus(mut self, point: Option<usize>) -> Self {
        self.focus = point;
        self
    }
}

fn sane_scale(scale: f64) -> f64 {
    if scale.is_finite() && scale > 0.0 {
        scale.clamp(0.1, 16.0)
    } else {
        1.0
    }
}

/// A stroke or fill for the backend.
struct Style {
    color: BackendColor,
    width: u32,
}

impl BackendStyle for Style {
    fn color(&self) -> BackendColor {
        self.color
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

/// A text style that never measures with a font: backends that draw text natively (SVG,
/// canvas) only read the family, size, weight, colour, anchor and rotation. Backends that
/// rasterise text themselves get the estimated box and draw nothing.
struct KpiTextStyle<'a> {
    family: &'a str,
    size: f64,
    css_px: f64,
    bold: bool,
    color: BackendColor,
    anchor: Pos,
    transform: FontTransform,
}

impl BackendTextStyle for KpiTextStyle<'_> {
    type FontError = std::fmt::Error;

    fn color(&self) -> BackendColor {
        self.color
    }
    fn size(&self) -> f64 {
        self.size
    }
    fn transform(&self) -> FontTransform {
        self.transform.clone()
    }
    fn style(&self) -> FontStyle {
        if self.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        }
    }
    fn anchor(&self) -> Pos {
        self.anchor
    }
    fn family(&self) -> FontFamily<'_> {
        FontFamily::Name(self.family)
    }
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        let w = EstimatingMeasurer.width(text, self.css_px, self.bold);
        let h = EstimatingMeasurer.line_height(self.css_px);
        Ok(((0, 0), (to_i32(w), to_i32(h))))
    }
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        _text: &str,
        _pos: BackendCoord,
        _draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        Ok(Ok(()))
    }
}

fn to_i32(v: f64) -> i32 {
    if v.is_finite() {
        v.round().clamp(-1_000_000.0, 1_000_000.0) as i32
    } else {
        0
    }
}

/// Draws `scene` on `backend`: background, every primitive in order, the focus outline,
/// then `present()`.
///
/// ```
/// use kpi_chart::{draw, layout_chart, ChartInput, ChartOptions, DrawOptions, RiskGaugeData, Size};
/// let input = ChartInput::RiskGauge(RiskGaugeData { score: Some(42.0), ..Default::default() });
/// let chart = layout_chart(&input, Size::new(320.0, 220.0), &ChartOptions::default()).unwrap();
/// let mut svg = String::new();
/// {
///     let mut backend = plotters_svg::SVGBackend::with_string(&mut svg, (320, 220));
///     draw(&chart.scene, &mut backend, &DrawOptions::svg(1.0)).unwrap();
/// }
/// assert!(svg.contains("Орташа"));
/// ```
pub fn draw<DB: DrawingBackend>(
    scene: &Scene,
    backend: &mut DB,
    options: &DrawOptions,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let s = sane_scale(options.scale);
    let text_factor = if options.text_size_factor.is_finite() && options.text_size_factor > 0.0 {
        options.text_size_factor
    } else {
        1.0
    };
    backend.ensure_prepared()?;
    let (w, h) = backend.get_size();
    backend.draw_rect(
        (0, 0),
        (w as i32, h as i32),
        &fill_style(scene.background),
        true,
    )?;
    let pt = |p: Point| -> BackendCoord { (to_i32(p.x * s), to_i32(p.y * s)) };
    for shape in &scene.shapes {
        match shape {
            Shape::Rect { rect, fill, stroke } => draw_rect(backend, *rect, *fill, *stroke, s)?,
            Shape::Line { from, to, stroke } => {
                draw_polyline(backend, &[*from, *to], stroke, s)?;
            }
            Shape::Polyline { points, stroke } => draw_polyline(backend, points, stroke, s)?,
            Shape::Polygon { points, fill } => {
                if points.len() >= 3 && fill.a > 0.0 {
                    backend.fill_polygon(points.iter().map(|p| pt(*p)), &fill_style(*fill))?;
                }
            }
            Shape::Circle {
                center,
                radius,
                fill,
                stroke,
            } => {
                let r = (radius * s).round().clamp(1.0, 100_000.0) as u32;
                if let Some(f) = fill {
                    backend.draw_circle(pt(*center), r, &fill_style(*f), true)?;
                }
                if let Some(st) = stroke {
                    backend.draw_circle(pt(*center), r, &stroke_style(st, s), false)?;
                }
            }
            Shape::Dots {
                centers,
                radius,
                fill,
                stroke,
            } => {
                let r = (radius * s).round().clamp(1.0, 100_000.0) as u32;
                let fill = fill_style(*fill);
                let stroke = stroke.map(|st| stroke_style(&st, s));
                // Backends draw at whole device pixels: a second dot on the same pixel
                // would repaint exactly the first one.
                let device = Rect::new(0.0, 0.0, f64::from(w), f64::from(h));
                let mut cells = PixelCells::new(device, 1.0);
                for c in centers {
                    let d = pt(*c);
                    if !cells.claim(Point::new(f64::from(d.0), f64::from(d.1))) {
                        continue;
                    }
                    backend.draw_circle(d, r, &fill, true)?;
                    if let Some(st) = &stroke {
                        backend.draw_circle(d, r, st, false)?;
                    }
                }
            }
            Shape::Text(t) => draw_text(backend, t, &scene.font_family, s, text_factor)?,
        }
    }
    if let Some(bounds) = options.focus.and_then(|i| scene.hits.bounds(i)) {
        let ring = bounds.expand(3.0);
        let outer = Stroke::solid(scene.background, 4.0);
        let inner = Stroke::solid(scene.focus_color, 2.0);
        draw_rect(backend, ring, None, Some(outer), s)?;
        draw_rect(backend, ring, None, Some(inner), s)?;
    }
    backend.present()
}

fn fill_style(c: Color) -> Style {
    Style {
        color: c.backend(),
        width: 1,
    }
}

fn stroke_style(st: &Stroke, s: f64) -> Style {
    let w = st.width * s;
    Style {
        color: st.color.backend(),
        width: if w.is_finite() {
            w.round().clamp(1.0, 1000.0) as u32
        } else {
            1
        },
    }
}

fn draw_rect<DB: DrawingBackend>(
    backend: &mut DB,
    rect: Rect,
    fill: Option<Color>,
    stroke: Option<Stroke>,
    s: f64,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let tl = (to_i32(rect.x * s), to_i32(rect.y * s));
    let br = (to_i32(rect.right() * s), to_i32(rect.bottom() * s));
    if let Some(f) = fill {
        if f.a > 0.0 && br.0 > tl.0 && br.1 > tl.1 {
            backend.draw_rect(tl, br, &fill_style(f), true)?;
        }
    }
    if let Some(st) = stroke {
        if st.color.a > 0.0 {
            // Outlines as a closed path, so that the stroke width applies on every backend.
            let pts = [
                Point::new(rect.x, rect.y),
                Point::new(rect.right(), rect.y),
                Point::new(rect.right(), rect.bottom()),
                Point::new(rect.x, rect.bottom()),
                Point::new(rect.x, rect.y),
            ];
            draw_polyline(backend, &pts, &st, s)?;
        }
    }
    Ok(())
}

/// Solid polylines of more vertices than this are reduced per device-pixel column (below,
/// a reduction would save nothing worth its pass).
const M4_FROM: usize = 512;

fn draw_polyline<DB: DrawingBackend>(
    backend: &mut DB,
    points: &[Point],
    stroke: &Stroke,
    s: f64,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    if points.len() < 2 || stroke.color.a <= 0.0 {
        return Ok(());
    }
    let style = stroke_style(stroke, s);
    let to_dev = |p: &Point| (to_i32(p.x * s), to_i32(p.y * s));
    match stroke.dash {
        Some([on, off]) if on > 0.0 && off > 0.0 && on.is_finite() && off.is_finite() => {
            // Backends have no dash support: one short line per dash.
            for dash in dashes(points, on, off) {
                backend.draw_line(to_dev(&dash.0), to_dev(&dash.1), &style)?;
            }
            Ok(())
        }
        _ if points.len() > M4_FROM => {
            // More vertices than pixels: the line through each device-pixel column's
            // first, lowest, highest and last vertex covers the same pixels (M4). The
            // columns are those of the rounded x (`floor(x + 0.5)`); only the kept
            // vertices are rounded.
            let dev: Vec<(f64, f64)> = points.iter().map(|p| (p.x * s + 0.5, p.y)).collect();
            let kept = m4(&dev, 1.0);
            backend.draw_path(
                kept.iter().filter_map(|&i| points.get(i)).map(to_dev),
                &style,
            )
        }
        _ => backend.draw_path(points.iter().map(to_dev), &style),
    }
}

/// Splits a polyline into dashes of length `on` separated by gaps of `off` (CSS pixels).
pub(crate) fn dashes(points: &[Point], on: f64, off: f64) -> Vec<(Point, Point)> {
    let mut out = Vec::new();
    let period = on + off;
    let mut phase = 0.0f64; // distance travelled within the current period
    for pair in points.windows(2) {
        let (a, b) = match pair {
            [a, b] => (*a, *b),
            _ => continue,
        };
        let len = a.distance(b);
        if !len.is_finite() || len <= 0.0 {
            continue;
        }
        let mut t = 0.0;
        // Guard against pathological tiny periods on huge lines.
        let mut guard = 0;
        while t < len && guard < 100_000 {
            guard += 1;
            let in_dash = phase < on;
            let remaining_in_state = if in_dash { on - phase } else { period - phase };
            let step = remaining_in_state.min(len - t);
            if in_dash {
                let p0 = lerp(a, b, t / len);
                let p1 = lerp(a, b, (t + step) / len);
                out.push((p0, p1));
            }
            t += step;
            phase = (phase + step) % period;
        }
    }
    out
}

fn lerp(a: Point, b: Point, t: f64) -> Point {
    Point::new(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
}

fn draw_text<DB: DrawingBackend>(
    backend: &mut DB,
    t: &TextShape,
    family: &str,
    s: f64,
    text_factor: f64,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    if t.text.is_empty() || t.color.a <= 0.0 || t.font_px.is_nan() || t.font_px <= 0.0 {
        return Ok(());
    }
    let h_pos = match t.align {
        Align::Start => HPos::Left,
        Align::Middle => HPos::Center,
        Align::End => HPos::Right,
    };
    let style = KpiTextStyle {
        family,
        size: t.font_px * s * text_factor,
        css_px: t.font_px * s,
        bold: t.bold,
        color: t.color.backend(),
        anchor: Pos::new(h_pos, VPos::Center),
        transform: match t.rotation {
            Rotation::None => FontTransform::None,
            Rotation::Up => FontTransform::Rotate270,
        },
    };
    backend.draw_text(&t.text, &style, (to_i32(t.pos.x * s), to_i32(t.pos.y * s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_follow_the_pattern_across_vertices() {
        // A 10 px line then a 10 px line at a right angle, dashes 4 on / 2 off.
        let pts = [
            Point::new(0.0, 0.0),
            Point::new(10.0, 0.0),
            Point::new(10.0, 10.0),
        ];
        let d = dashes(&pts, 4.0, 2.0);
        // Along the path: dashes at 0–4, 6–10 (ends at the corner), 12–16, 18–20.
        assert_eq!(d.len(), 4);
        assert_eq!(d[0], (Point::new(0.0, 0.0), Point::new(4.0, 0.0)));
        assert_eq!(d[1], (Point::new(6.0, 0.0), Point::new(10.0, 0.0)));
        assert_eq!(d[2], (Point::new(10.0, 2.0), Point::new(10.0, 6.0)));
        assert_eq!(d[3], (Point::new(10.0, 8.0), Point::new(10.0, 10.0)));
    }

    #[test]
    fn coordinates_never_overflow() {
        assert_eq!(to_i32(f64::NAN), 0);
        assert_eq!(to_i32(1e300), 1_000_000);
        assert_eq!(to_i32(-2.6), -3);
    }
}
