//! The layout context shared by every chart kind: measured text placement that refuses
//! overlaps and cut-offs, headers, legends, value and year axes.

use super::color::Color;
use super::geom::{LinearMap, Point, Rect};
use super::hit::HitMap;
use super::scene::{Align, Rotation, Scene, Shape, Stroke, TextShape};
use super::spec::{AxisOptions, ValueUnit};
use super::strings::{ChartStrings, Msg};
use super::text::{ellipsize, wrap_text, TextMeasurer};
use super::theme::Theme;
use super::ticks::{nice_ticks, year_ticks, TickRequest, Ticks};
use crate::spec::UnitText;
use kpi_model::i18n::{format_academic_year_short, Lang};
use kpi_model::Year;
use serde::{Deserialize, Serialize};

/// The size of a chart in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Size {
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Size {
    /// A size; non-finite or negative values become 0, huge ones are capped at 20 000 px.
    pub fn new(width: f64, height: f64) -> Self {
        let clean = |v: f64| {
            if v.is_finite() {
                v.clamp(0.0, 20_000.0)
            } else {
                0.0
            }
        };
        Size {
            width: clean(width),
            height: clean(height),
        }
    }
}

/// Text roles, each a multiple of the theme's base font size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Font {
    Title,
    Subtitle,
    Label,
    Tick,
    Note,
    /// A multiple of the base size (big numbers).
    Scaled(f64),
}

/// The swatch in front of a legend entry.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Swatch {
    Line(Color),
    Dashed(Color),
    Band(Color),
    Dot(Color),
    Ring(Color),
}

pub(crate) struct LegendItem {
    pub swatch: Swatch,
    pub label: String,
}

/// Everything a chart kind needs while laying out, and what it has produced so far.
pub(crate) struct Ctx<'a> {
    pub theme: &'a Theme,
    pub lang: Lang,
    pub m: &'a dyn TextMeasurer,
    pub strings: &'a ChartStrings,
    pub w: f64,
    pub h: f64,
    /// Type scale: fonts and paddings grow on big (wall) screens and shrink a little on
    /// small cards.
    pub ts: f64,
    pub shapes: Vec<Shape>,
    pub hits: HitMap,
    pub title: String,
    /// The chart's input and strings, shared with the records built on demand.
    pub input: std::sync::Arc<crate::ChartInput>,
    pub shared_strings: std::sync::Arc<ChartStrings>,
    placed: Vec<Rect>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        size: Size,
        theme: &'a Theme,
        lang: Lang,
        m: &'a dyn TextMeasurer,
        strings: &'a std::sync::Arc<ChartStrings>,
        input: std::sync::Arc<crate::ChartInput>,
    ) -> Self {
        let ts = (size.width / 640.0)
            .min(size.height / 400.0)
            .clamp(0.85, 1.6);
        Ctx {
            theme,
            lang,
            m,
            strings,
            w: size.width,
            h: size.height,
            ts: if ts.is_finite() { ts } else { 1.0 },
            shapes: Vec::new(),
            hits: HitMap::default(),
            title: String::new(),
            input,
            shared_strings: strings.clone(),
            placed: Vec::new(),
        }
    }

    // Not inlined into `layout_chart_shared`, for the same reason as `kinds::summary`.
    #[inline(never)]
    pub fn finish(mut self) -> Scene {
        // Every point is reachable by keyboard: reference points that no lane lists (the
        // peer median of `compare`, drawn above the bars) go at the start of the first lane.
        // (Plain loops: the iterator adapters are calls per point in the size-minded build.)
        let mut in_lane = vec![false; self.hits.points.len()];
        for lane in &self.hits.lanes {
            for &i in lane {
                if let Some(f) = in_lane.get_mut(i) {
                    *f = true;
                }
            }
        }
        let mut orphans: Vec<usize> = Vec::new();
        for (i, &listed) in in_lane.iter().enumerate() {
            if !listed {
                orphans.push(i);
            }
        }
        if !orphans.is_empty() {
            match self.hits.lanes.iter_mut().find(|l| !l.is_empty()) {
                Some(lane) => {
                    lane.splice(0..0, orphans);
                }
                None => self.hits.lanes.push(orphans),
            }
        }
        Scene {
            width: self.w,
            height: self.h,
            background: self.theme.background,
            font_family: self.theme.font_family.clone(),
            focus_color: self.theme.focus,
            title: self.title,
            shapes: self.shapes,
            hits: self.hits,
        }
    }

    // ---- strings and sizes ------------------------------------------------------------

    pub fn t(&self, msg: Msg) -> &'a str {
        self.strings.get(msg, self.lang)
    }

    pub fn tf(&self, msg: Msg, values: &[(&str, &str)]) -> String {
        self.strings.fill(msg, self.lang, values)
    }

    /// The size of a text role in CSS pixels: a multiple of the theme's base size scaled
    /// with the widget ([`Ctx::ts`]), never below [`crate::MIN_TEXT_PX`] (WCAG-minded
    /// legibility: no text on the canvas is smaller than 12 CSS px).
    pub fn px(&self, font: Font) -> f64 {
        let base = self.theme.font_size.clamp(6.0, 48.0) * self.ts;
        let px = match font {
            Font::Title => base * 1.25,
            Font::Subtitle | Font::Label => base,
            Font::Tick => base * 0.92,
            Font::Note => base * 0.88,
            Font::Scaled(k) => base * k,
        };
        px.max(crate::MIN_TEXT_PX)
    }

    pub fn lh(&self, font_px: f64) -> f64 {
        let h = self.m.line_height(font_px);
        if h.is_finite() && h > 0.0 {
            h
        } else {
            font_px * 1.2
        }
    }

    pub fn width(&self, text: &str, font_px: f64, bold: bool) -> f64 {
        let w = self.m.width(text, font_px, bold);
        if w.is_finite() && w >= 0.0 {
            w
        } else {
            0.0
        }
    }

    /// Outer padding and the usual gap between elements.
    pub fn pad(&self) -> f64 {
        12.0 * self.ts
    }

    pub fn gap(&self) -> f64 {
        6.0 * self.ts
    }

    /// A line width scaled with the theme (high contrast is thicker).
    pub fn lw(&self, base: f64) -> f64 {
        base * self.theme.line_scale.clamp(0.5, 4.0) * self.ts.max(1.0)
    }

    // ---- text ----------------------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn text_shape(
        &self,
        text: &str,
        pos: Point,
        font_px: f64,
        bold: bool,
        color: Color,
        align: Align,
        rotation: Rotation,
    ) -> TextShape {
        TextShape {
            text: text.to_string(),
            pos,
            font_px,
            bold,
            color,
            align,
            rotation,
            width: self.width(text, font_px, bold),
            height: self.lh(font_px),
        }
    }

    /// Whether a text box may go at `r`: inside the canvas and clear of every placed text.
    pub fn is_free(&self, r: &Rect) -> bool {
        let canvas = Rect::new(0.0, 0.0, self.w, self.h);
        // Boxes that only touch (stacked lines) must not count as overlapping through
        // floating-point noise.
        let probe = r.inset(0.01, 0.01, 0.01, 0.01);
        r.w.is_finite()
            && r.h.is_finite()
            && canvas.contains_rect(r, 0.01)
            && !self.placed.iter().any(|p| p.overlaps(&probe))
    }

    /// Places a text if it fits the canvas and overlaps no other text; returns its box.
    pub fn text(
        &mut self,
        text: &str,
        pos: Point,
        font_px: f64,
        bold: bool,
        color: Color,
        align: Align,
    ) -> Option<Rect> {
        self.text_rotated(text, pos, font_px, bold, color, align, Rotation::None)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn text_rotated(
        &mut self,
        text: &str,
        pos: Point,
        font_px: f64,
        bold: bool,
        color: Color,
        align: Align,
        rotation: Rotation,
    ) -> Option<Rect> {
        if text.trim().is_empty() || !pos.is_finite() || font_px.is_nan() || font_px <= 0.0 {
            return None;
        }
        let shape = self.text_shape(text, pos, font_px, bold, color, align, rotation);
        let bounds = shape.bounds();
        if !self.is_free(&bounds) {
            return None;
        }
        self.placed.push(bounds);
        self.shapes.push(Shape::Text(shape));
        Some(bounds)
    }

    /// Places a text shortened with `…` to `max_width`.
    #[allow(clippy::too_many_arguments)]
    pub fn fit_text(
        &mut self,
        text: &str,
        pos: Point,
        font_px: f64,
        bold: bool,
        color: Color,
        align: Align,
        max_width: f64,
    ) -> Option<Rect> {
        let short = ellipsize(self.m, text, font_px, bold, max_width.max(0.0));
        self.text(&short, pos, font_px, bold, color, align)
    }

    /// The bounds a text would take, without placing it.
    pub fn text_bounds(
        &self,
        text: &str,
        pos: Point,
        font_px: f64,
        bold: bool,
        align: Align,
    ) -> Rect {
        self.text_shape(
            text,
            pos,
            font_px,
            bold,
            Color::rgb(0, 0, 0),
            align,
            Rotation::None,
        )
        .bounds()
    }

    // ---- shapes --------------------------------------------------------------------------

    pub fn rect(&mut self, rect: Rect, fill: Color) {
        self.shapes.push(Shape::Rect {
            rect,
            fill: Some(fill),
            stroke: None,
        });
    }

    pub fn rect_outline(&mut self, rect: Rect, stroke: Stroke) {
        self.shapes.push(Shape::Rect {
            rect,
            fill: None,
            stroke: Some(stroke),
        });
    }

    pub fn line(&mut self, from: Point, to: Point, stroke: Stroke) {
        if from.is_finite() && to.is_finite() {
            self.shapes.push(Shape::Line { from, to, stroke });
        }
    }

    pub fn polyline(&mut self, points: Vec<Point>, stroke: Stroke) {
        if let Some(shape) = Self::polyline_shape(points, stroke) {
            self.shapes.push(shape);
        }
    }

    /// Polylines painted where the shapes numbered from `at` on are now (under them),
    /// each as [`Ctx::polyline`] adds it: for a line whose vertices are placed in the same
    /// pass as the marks drawn over it.
    pub fn insert_polylines(&mut self, at: usize, lines: Vec<Vec<Point>>, stroke: Stroke) {
        let above = self.shapes.split_off(at.min(self.shapes.len()));
        for points in lines {
            self.polyline(points, stroke);
        }
        self.shapes.extend(above);
    }

    fn polyline_shape(points: Vec<Point>, stroke: Stroke) -> Option<Shape> {
        // The vertices are copied only when some are not finite (a long series' are not).
        let points: Vec<Point> = if points.iter().all(|p| p.is_finite()) {
            points
        } else {
            points.into_iter().filter(|p| p.is_finite()).collect()
        };
        (points.len() >= 2).then_some(Shape::Polyline { points, stroke })
    }

    pub fn polygon(&mut self, points: Vec<Point>, fill: Color) {
        let points: Vec<Point> = points.into_iter().filter(|p| p.is_finite()).collect();
        if points.len() >= 3 {
            self.shapes.push(Shape::Polygon { points, fill });
        }
    }

    pub fn circle(
        &mut self,
        center: Point,
        radius: f64,
        fill: Option<Color>,
        stroke: Option<Stroke>,
    ) {
        if center.is_finite() && radius.is_finite() && radius > 0.0 {
            self.shapes.push(Shape::Circle {
                center,
                radius,
                fill,
                stroke,
            });
        }
    }

    /// Markers of one look at `centers` (non-finite ones are left out): one shape, drawn
    /// once per device pixel (see [`Shape::Dots`]).
    pub fn dots(
        &mut self,
        mut centers: Vec<Point>,
        radius: f64,
        fill: Color,
        stroke: Option<Stroke>,
    ) {
        centers.retain(|c| c.is_finite());
        if !centers.is_empty() && radius.is_finite() && radius > 0.0 {
            self.shapes.push(Shape::Dots {
                centers,
                radius,
                fill,
                stroke,
            });
        }
    }

    // ---- common blocks -------------------------------------------------------------------

    /// Title (bold, up to two lines) and subtitle (muted, one line) at the top of `area`;
    /// returns the y below them.
    pub fn header(&mut self, area: Rect, title: &str, subtitle: &str) -> f64 {
        self.title = title.to_string();
        let mut y = area.y;
        let fp = self.px(Font::Title);
        let lh = self.lh(fp);
        let max_lines = if area.h > 160.0 { 2 } else { 1 };
        if !title.trim().is_empty() && area.h >= lh {
            for line in wrap_text(self.m, title, fp, true, area.w, max_lines) {
                if self
                    .text(
                        &line,
                        Point::new(area.x, y + lh / 2.0),
                        fp,
                        true,
                        self.theme.text,
                        Align::Start,
                    )
                    .is_some()
                {
                    y += lh;
                }
            }
        }
        let sp = self.px(Font::Subtitle);
        let slh = self.lh(sp);
        if !subtitle.trim().is_empty()
            && y + slh <= area.bottom()
            && self
                .fit_text(
                    subtitle,
                    Point::new(area.x, y + slh / 2.0),
                    sp,
                    false,
                    self.theme.text_muted,
                    Align::Start,
                    area.w,
                )
                .is_some()
        {
            y += slh;
        }
        if y > area.y {
            y += self.gap();
        }
        y
    }

    /// A sentence under the header in subtitle text, wrapped to at most `max_lines` lines
    /// of `area`'s width from `y` (so a test result or a takeaway is not cut off with `…`
    /// at the subtitle's end); returns the y below it.
    pub fn sentence_lines(&mut self, area: Rect, y: f64, text: &str, max_lines: usize) -> f64 {
        let sp = self.px(Font::Subtitle);
        let slh = self.lh(sp);
        let mut y = y;
        for line in wrap_text(self.m, text, sp, false, area.w, max_lines) {
            if y + slh > area.bottom() {
                break;
            }
            let placed = self.text(
                &line,
                Point::new(area.x, y + slh / 2.0),
                sp,
                false,
                self.theme.text_muted,
                Align::Start,
            );
            if placed.is_some() {
                y += slh;
            }
        }
        y
    }

    /// A legend flowing left to right in `area` (wrapping to new rows); returns the y below it.
    pub fn legend(&mut self, area: Rect, items: &[LegendItem]) -> f64 {
        if items.is_empty() {
            return area.y;
        }
        let fp = self.px(Font::Note);
        let lh = self.lh(fp);
        let sw = 18.0 * self.ts;
        let gap = self.gap();
        let item_gap = 16.0 * self.ts;
        let mut x = area.x;
        let mut y = area.y;
        let mut used_rows = 0;
        for item in items {
            let full_w = sw + gap + self.width(&item.label, fp, false);
            if x > area.x && x + full_w > area.right() {
                x = area.x;
                y += lh + gap / 2.0;
            }
            if y + lh > area.bottom() {
                break;
            }
            let label_w = (area.right() - x - sw - gap).max(0.0);
            let cy = y + lh / 2.0;
            let placed = self.fit_text(
                &item.label,
                Point::new(x + sw + gap, cy),
                fp,
                false,
                self.theme.text_muted,
                Align::Start,
                label_w,
            );
            let Some(label_box) = placed else {
                continue;
            };
            used_rows = used_rows.max(((y - area.y) / (lh + gap / 2.0)).round() as usize + 1);
            self.swatch(item.swatch, Rect::new(x, cy - lh / 2.0, sw, lh));
            x = label_box.right() + item_gap;
        }
        if used_rows == 0 {
            return area.y;
        }
        area.y + used_rows as f64 * (lh + gap / 2.0) + gap / 2.0
    }

    fn swatch(&mut self, swatch: Swatch, r: Rect) {
        let cy = r.y + r.h / 2.0;
        match swatch {
            Swatch::Line(c) => self.line(
                Point::new(r.x, cy),
                Point::new(r.right(), cy),
                Stroke::solid(c, self.lw(2.0)),
            ),
            Swatch::Dashed(c) => self.line(
                Point::new(r.x, cy),
                Point::new(r.right(), cy),
                Stroke::dashed(c, self.lw(2.0), 4.0 * self.ts, 3.0 * self.ts),
            ),
            Swatch::Band(c) => self.rect(Rect::new(r.x, cy - r.h * 0.3, r.w, r.h * 0.6), c),
            Swatch::Dot(c) => self.circle(
                Point::new(r.x + r.w / 2.0, cy),
                4.0 * self.ts,
                Some(c),
                None,
            ),
            Swatch::Ring(c) => self.circle(
                Point::new(r.x + r.w / 2.0, cy),
                5.0 * self.ts,
                None,
                Some(Stroke::solid(c, self.lw(2.0))),
            ),
        }
    }

    /// One muted line at the bottom of `area` (n, notes); returns the y above it.
    pub fn footer(&mut self, area: Rect, text: &str) -> f64 {
        let fp = self.px(Font::Note);
        let lh = self.lh(fp);
        if text.trim().is_empty() || area.h < lh * 3.0 {
            return area.bottom();
        }
        let y = area.bottom() - lh / 2.0;
        match self.fit_text(
            text,
            Point::new(area.x, y),
            fp,
            false,
            self.theme.text_muted,
            Align::Start,
            area.w,
        ) {
            Some(_) => area.bottom() - lh - self.gap() / 2.0,
            None => area.bottom(),
        }
    }

    /// A centred message (no data, insufficient data) in `area`.
    pub fn message(&mut self, area: Rect, text: &str) {
        let fp = self.px(Font::Label);
        let lines = wrap_text(
            self.m,
            text,
            fp,
            false,
            (area.w - 2.0 * self.pad()).max(0.0),
            3,
        );
        let lh = self.lh(fp);
        let total = lh * lines.len() as f64;
        let mut y = area.y + (area.h - total) / 2.0 + lh / 2.0;
        for line in lines {
            self.text(
                &line,
                Point::new(area.x + area.w / 2.0, y),
                fp,
                false,
                self.theme.text_muted,
                Align::Middle,
            );
            y += lh;
        }
    }

    // ---- axes ----------------------------------------------------------------------------

    /// Round ticks for a value axis `length_px` long, honouring the unit's rules (zero
    /// baseline for rates and counts, no step below 1 pp) and the input's options.
    pub fn value_ticks(
        &self,
        lo: f64,
        hi: f64,
        unit: &ValueUnit,
        options: &AxisOptions,
        length_px: f64,
        min_label_spacing_px: f64,
    ) -> Ticks {
        let max_ticks = if min_label_spacing_px > 0.0 {
            ((length_px / min_label_spacing_px).floor() as usize + 1).clamp(2, 11)
        } else {
            6
        };
        let req = TickRequest {
            data_min: lo,
            data_max: hi,
            zero_baseline: options
                .zero_baseline
                .unwrap_or_else(|| unit.starts_at_zero()),
            min_step: unit.min_tick_step(),
            max_ticks,
            fixed_min: options.min,
            fixed_max: options.max,
            soft_max: unit.is_percent().then_some(100.0),
        };
        nice_ticks(&req)
    }

    /// Width the tick labels of `ticks` need.
    pub fn tick_label_width(&self, ticks: &Ticks, unit: &ValueUnit) -> f64 {
        let fp = self.px(Font::Tick);
        ticks
            .values
            .iter()
            .map(|v| self.width(&unit.format_tick(*v, ticks.step, self.lang), fp, false))
            .fold(0.0, f64::max)
    }

    /// Horizontal grid lines and tick labels of a vertical value axis on the left of `plot`.
    pub fn value_axis_left(
        &mut self,
        plot: Rect,
        ticks: &Ticks,
        map: &LinearMap,
        unit: &ValueUnit,
    ) {
        let fp = self.px(Font::Tick);
        for &v in &ticks.values {
            let y = map.to_px(v);
            if !y.is_finite() || y < plot.y - 0.5 || y > plot.bottom() + 0.5 {
                continue;
            }
            let is_zero = v == 0.0 && ticks.min <= 0.0;
            let stroke = if is_zero {
                Stroke::solid(self.theme.axis, self.lw(1.0))
            } else {
                Stroke::solid(self.theme.grid, self.lw(1.0))
            };
            self.line(Point::new(plot.x, y), Point::new(plot.right(), y), stroke);
            let label = unit.format_tick(v, ticks.step, self.lang);
            self.text(
                &label,
                Point::new(plot.x - self.gap(), y),
                fp,
                false,
                self.theme.text_muted,
                Align::End,
            );
        }
    }

    /// Vertical grid lines and tick labels of a horizontal value axis below `plot`.
    pub fn value_axis_bottom(
        &mut self,
        plot: Rect,
        ticks: &Ticks,
        map: &LinearMap,
        unit: &ValueUnit,
    ) {
        let fp = self.px(Font::Tick);
        let lh = self.lh(fp);
        // Thin out labels that would collide: keep every k-th tick.
        let widest = self.tick_label_width(ticks, unit);
        let spacing = if ticks.values.len() > 1 {
            (map.to_px(ticks.step) - map.to_px(0.0)).abs()
        } else {
            f64::INFINITY
        };
        let every = if spacing.is_finite() && spacing > 0.0 {
            ((widest + self.gap() * 2.0) / spacing).ceil().max(1.0) as usize
        } else {
            1
        };
        for (i, &v) in ticks.values.iter().enumerate() {
            let x = map.to_px(v);
            if !x.is_finite() || x < plot.x - 0.5 || x > plot.right() + 0.5 {
                continue;
            }
            let stroke = if v == 0.0 {
                Stroke::solid(self.theme.axis, self.lw(1.0))
            } else {
                Stroke::solid(self.theme.grid, self.lw(1.0))
            };
            self.line(Point::new(x, plot.y), Point::new(x, plot.bottom()), stroke);
            if i % every == 0 {
                let label = unit.format_tick(v, ticks.step, self.lang);
                // A label at either end of the axis stays on the canvas, flush with the end.
                let half = self.width(&label, fp, false) / 2.0;
                let align = if x + half > self.w - 1.0 {
                    Align::End
                } else if x - half < 1.0 {
                    Align::Start
                } else {
                    Align::Middle
                };
                let ax = match align {
                    Align::End => x.min(self.w - 1.0),
                    Align::Start => x.max(1.0),
                    Align::Middle => x,
                };
                self.text(
                    &label,
                    Point::new(ax, plot.bottom() + self.gap() + lh / 2.0),
                    fp,
                    false,
                    self.theme.text_muted,
                    align,
                );
            }
        }
    }

    /// Year labels (short academic years, thinned out when crowded) below `plot`.
    pub fn year_axis(&mut self, plot: Rect, first: Year, last: Year, x_of: &dyn Fn(Year) -> f64) {
        let fp = self.px(Font::Tick);
        let lh = self.lh(fp);
        let sample = format_academic_year_short(last.max(first));
        let label_w = self.width(&sample, fp, false) + self.gap() * 2.0;
        let max_labels = ((plot.w + self.gap() * 2.0) / label_w).floor().max(1.0) as usize;
        let y = plot.bottom() + self.gap() + lh / 2.0;
        for year in year_ticks(first, last, max_labels) {
            let x = x_of(year);
            self.line(
                Point::new(x, plot.bottom()),
                Point::new(x, plot.bottom() + self.gap() * 0.6),
                Stroke::solid(self.theme.axis, self.lw(1.0)),
            );
            self.text(
                &format_academic_year_short(year),
                Point::new(x, y),
                fp,
                false,
                self.theme.text_muted,
                Align::Middle,
            );
        }
    }
}

/// The smallest and largest finite value, `None` when there is none.
pub(crate) fn finite_extent(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    let mut out: Option<(f64, f64)> = None;
    for v in values.into_iter().filter(|v| v.is_finite()) {
        out = Some(match out {
            None => (v, v),
            Some((lo, hi)) => (lo.min(v), hi.max(v)),
        });
    }
    out
}
