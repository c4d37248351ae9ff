//! A laid-out chart: drawing primitives in CSS pixels plus the hit map.
//!
//! Every text carries the width the layout measured for it, so the bounding boxes of all
//! labels are known without a font, and tests can check that none overlap or leave the
//! canvas.

use super::color::Color;
use super::geom::{Point, Rect};
use super::hit::HitMap;
use serde::Serialize;

/// A line style.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Stroke {
    /// Colour.
    pub color: Color,
    /// Width in CSS pixels.
    pub width: f64,
    /// Dash pattern `[on, off]` in CSS pixels; `None` for a solid line.
    pub dash: Option<[f64; 2]>,
}

impl Stroke {
    /// A solid line.
    pub fn solid(color: Color, width: f64) -> Self {
        Stroke {
            color,
            width,
            dash: None,
        }
    }

    /// A dashed line.
    pub fn dashed(color: Color, width: f64, on: f64, off: f64) -> Self {
        Stroke {
            color,
            width,
            dash: Some([on, off]),
        }
    }
}

/// Horizontal alignment of a text relative to its anchor point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Align {
    /// The anchor is at the start (left) of the text.
    Start,
    /// The anchor is at the middle.
    Middle,
    /// The anchor is at the end (right).
    End,
}

/// Rotation of a text around its anchor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Rotation {
    /// Horizontal.
    None,
    /// Rotated 90° counter-clockwise: reads bottom to top.
    Up,
}

/// A single line of text. The anchor is at the vertical middle of the line box.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TextShape {
    /// The text.
    pub text: String,
    /// Anchor point.
    pub pos: Point,
    /// Font size in CSS pixels.
    pub font_px: f64,
    /// Bold weight.
    pub bold: bool,
    /// Colour.
    pub color: Color,
    /// Horizontal alignment.
    pub align: Align,
    /// Rotation.
    pub rotation: Rotation,
    /// Width measured by the layout, in CSS pixels.
    pub width: f64,
    /// Height of the line box, in CSS pixels.
    pub height: f64,
}

impl TextShape {
    /// The box the text occupies on the canvas.
    pub fn bounds(&self) -> Rect {
        let (along_start, along_end) = match self.align {
            Align::Start => (0.0, self.width),
            Align::Middle => (-self.width / 2.0, self.width / 2.0),
            Align::End => (-self.width, 0.0),
        };
        match self.rotation {
            Rotation::None => Rect::new(
                self.pos.x + along_start,
                self.pos.y - self.height / 2.0,
                self.width,
                self.height,
            ),
            // Reading upwards: the text runs from the anchor towards smaller y.
            Rotation::Up => Rect::new(
                self.pos.x - self.height / 2.0,
                self.pos.y - along_end,
                self.height,
                self.width,
            ),
        }
    }
}

/// A drawing primitive.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Shape {
    /// A rectangle, filled and/or outlined.
    Rect {
        /// Position and size.
        rect: Rect,
        /// Fill colour.
        fill: Option<Color>,
        /// Outline.
        stroke: Option<Stroke>,
    },
    /// A straight line.
    Line {
        /// Start.
        from: Point,
        /// End.
        to: Point,
        /// Style.
        stroke: Stroke,
    },
    /// A connected line through points (one path per series).
    Polyline {
        /// Vertices.
        points: Vec<Point>,
        /// Style.
        stroke: Stroke,
    },
    /// A filled polygon.
    Polygon {
        /// Vertices.
        points: Vec<Point>,
        /// Fill colour.
        fill: Color,
    },
    /// A circle, filled and/or outlined.
    Circle {
        /// Centre.
        center: Point,
        /// Radius in CSS pixels.
        radius: f64,
        /// Fill colour.
        fill: Option<Color>,
        /// Outline.
        stroke: Option<Stroke>,
    },
    /// Many markers of one look (a scatter's dots, a long series' markers): drawn once
    /// per device pixel they fall on, so that dense data costs what its pixels cost.
    Dots {
        /// Centres, in painting order.
        centers: Vec<Point>,
        /// Radius in CSS pixels.
        radius: f64,
        /// Fill colour.
        fill: Color,
        /// Outline.
        stroke: Option<Stroke>,
    },
    /// A line of text.
    Text(TextShape),
}

/// A laid-out chart, ready to draw on any backend and to answer pointer and keyboard
/// questions through its [`HitMap`].
#[derive(Clone, Debug, Serialize)]
pub struct Scene {
    /// Width in CSS pixels.
    pub width: f64,
    /// Height in CSS pixels.
    pub height: f64,
    /// Background colour, painted first.
    pub background: Color,
    /// CSS font family of every text.
    pub font_family: String,
    /// Colour of the keyboard-focus outline.
    pub focus_color: Color,
    /// The chart's title in plain text (for `aria-label`, SVG `<title>`, file names).
    pub title: String,
    /// Primitives in painting order.
    pub shapes: Vec<Shape>,
    /// Data points, their regions, and keyboard order.
    pub hits: HitMap,
}

impl Scene {
    /// All texts of the scene.
    pub fn texts(&self) -> impl Iterator<Item = &TextShape> {
        self.shapes.iter().filter_map(|s| match s {
            Shape::Text(t) => Some(t),
            _ => None,
        })
    }

    /// Pairs of texts whose boxes overlap (by more than `tolerance` pixels on each axis).
    /// A correct layout has none.
    pub fn overlapping_texts(&self, tolerance: f64) -> Vec<(&TextShape, &TextShape)> {
        let texts: Vec<(&TextShape, Rect)> = self
            .texts()
            .filter(|t| !t.text.trim().is_empty())
            .map(|t| {
                (
                    t,
                    t.bounds().inset(tolerance, tolerance, tolerance, tolerance),
                )
            })
            .collect();
        let mut out = Vec::new();
        for (i, (a, ra)) in texts.iter().enumerate() {
            for (b, rb) in texts.iter().skip(i + 1) {
                if ra.overlaps(rb) {
                    out.push((*a, *b));
                }
            }
        }
        out
    }

    /// Texts that do not fit inside the canvas.
    pub fn texts_outside(&self, tolerance: f64) -> Vec<&TextShape> {
        let canvas = Rect::new(0.0, 0.0, self.width, self.height);
        self.texts()
            .filter(|t| !t.text.trim().is_empty() && !canvas.contains_rect(&t.bounds(), tolerance))
            .collect()
    }

    /// Every coordinate of every primitive, for checks that none is NaN or infinite.
    pub fn all_points(&self) -> Vec<Point> {
        let mut out = Vec::new();
        for s in &self.shapes {
            match s {
                Shape::Rect { rect, .. } => {
                    out.push(Point::new(rect.x, rect.y));
                    out.push(Point::new(rect.right(), rect.bottom()));
                }
                Shape::Line { from, to, .. } => {
                    out.push(*from);
                    out.push(*to);
                }
                Shape::Polyline { points, .. } | Shape::Polygon { points, .. } => {
                    out.extend(points.iter().copied())
                }
                Shape::Circle { center, radius, .. } => {
                    out.push(*center);
                    out.push(Point::new(*radius, *radius));
                }
                Shape::Dots {
                    centers, radius, ..
                } => {
                    out.extend(centers.iter().copied());
                    out.push(Point::new(*radius, *radius));
                }
                Shape::Text(t) => out.push(t.pos),
            }
        }
        out
    }
}
