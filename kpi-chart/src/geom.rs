//! Points and rectangles in CSS pixels (y grows downwards, as on a screen).

use serde::{Deserialize, Serialize};

/// A point in CSS pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Horizontal position, from the left edge.
    pub x: f64,
    /// Vertical position, from the top edge.
    pub y: f64,
}

impl Point {
    /// A point.
    pub const fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }

    /// Euclidean distance to `other`.
    pub fn distance(self, other: Point) -> f64 {
        (self.x - other.x).hypot(self.y - other.y)
    }

    /// Whether both coordinates are finite numbers.
    pub fn is_finite(self) -> bool {
        self.x.is_finite() && self.y.is_finite()
    }
}

/// An axis-aligned rectangle in CSS pixels.
///
/// ```
/// use kpi_chart::{Point, Rect};
/// let a = Rect::new(0.0, 0.0, 10.0, 10.0);
/// assert!(a.contains(Point::new(5.0, 5.0)));
/// assert!(a.overlaps(&Rect::new(9.0, 9.0, 5.0, 5.0)));
/// assert!(!a.overlaps(&Rect::new(10.0, 0.0, 5.0, 5.0)));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width (never negative for rectangles built with [`Rect::new`]).
    pub w: f64,
    /// Height (never negative for rectangles built with [`Rect::new`]).
    pub h: f64,
}

impl Rect {
    /// A rectangle; negative or non-finite sizes become zero.
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Self {
        Rect {
            x: finite_or_zero(x),
            y: finite_or_zero(y),
            w: finite_or_zero(w).max(0.0),
            h: finite_or_zero(h).max(0.0),
        }
    }

    /// The rectangle spanned by two corners in any order.
    pub fn from_corners(a: Point, b: Point) -> Self {
        Rect::new(
            a.x.min(b.x),
            a.y.min(b.y),
            (a.x - b.x).abs(),
            (a.y - b.y).abs(),
        )
    }

    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Centre.
    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// Whether `p` lies inside or on the edge.
    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.right() && p.y >= self.y && p.y <= self.bottom()
    }

    /// Whether the interiors of the two rectangles intersect (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// Whether `other` lies entirely inside this rectangle (with `tolerance` pixels of slack).
    pub fn contains_rect(&self, other: &Rect, tolerance: f64) -> bool {
        other.x >= self.x - tolerance
            && other.y >= self.y - tolerance
            && other.right() <= self.right() + tolerance
            && other.bottom() <= self.bottom() + tolerance
    }

    /// The rectangle shrunk by `left`, `top`, `right`, `bottom`; never smaller than empty.
    pub fn inset(&self, left: f64, top: f64, right: f64, bottom: f64) -> Rect {
        Rect::new(
            self.x + left,
            self.y + top,
            self.w - left - right,
            self.h - top - bottom,
        )
    }

    /// The rectangle grown by `d` on every side.
    pub fn expand(&self, d: f64) -> Rect {
        Rect::new(self.x - d, self.y - d, self.w + 2.0 * d, self.h + 2.0 * d)
    }

    /// Squared distance from `p` to the nearest point of the rectangle (0 inside).
    pub fn distance_sq(&self, p: Point) -> f64 {
        let dx = (self.x - p.x).max(0.0).max(p.x - self.right());
        let dy = (self.y - p.y).max(0.0).max(p.y - self.bottom());
        dx * dx + dy * dy
    }
}

/// Squared distance from `p` to the segment `a`–`b`.
pub(crate) fn segment_distance_sq(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len_sq = dx * dx + dy * dy;
    let t = if len_sq > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len_sq).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (cx, cy) = (a.x + t * dx, a.y + t * dy);
    (p.x - cx).powi(2) + (p.y - cy).powi(2)
}

pub(crate) fn finite_or_zero(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

/// A linear map from a data interval to a pixel interval (either may be reversed).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinearMap {
    /// Data value mapped to `p0`.
    pub d0: f64,
    /// Data value mapped to `p1`.
    pub d1: f64,
    /// Pixel position of `d0`.
    pub p0: f64,
    /// Pixel position of `d1`.
    pub p1: f64,
}

impl LinearMap {
    /// A map sending `d0 → p0` and `d1 → p1`; a zero-width data interval maps everything to
    /// the middle of the pixel interval.
    pub fn new(d0: f64, d1: f64, p0: f64, p1: f64) -> Self {
        LinearMap { d0, d1, p0, p1 }
    }

    /// Pixel position of data value `d` (not clamped).
    pub fn to_px(&self, d: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 || !span.is_finite() {
            return (self.p0 + self.p1) / 2.0;
        }
        self.p0 + (d - self.d0) / span * (self.p1 - self.p0)
    }

    /// Data value at pixel position `p`.
    pub fn to_data(&self, p: f64) -> f64 {
        let span = self.p1 - self.p0;
        if span == 0.0 {
            return self.d0;
        }
        self.d0 + (p - self.p0) / span * (self.d1 - self.d0)
    }

    /// Pixel position of `d`, clamped to the pixel interval.
    pub fn to_px_clamped(&self, d: f64) -> f64 {
        let (lo, hi) = if self.p0 <= self.p1 {
            (self.p0, self.p1)
        } else {
            (self.p1, self.p0)
        };
        // (Compared rather than `f64::clamp`: no call per value in the size-minded build.)
        match self.to_px(d) {
            p if p >= lo && p <= hi => p,
            p if p > hi => hi,
            _ => lo,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_distance() {
        let a = Point::new(0.0, 0.0);
        let b = Point::new(10.0, 0.0);
        // Perpendicular foot inside the segment: distance 3, squared 9.
        assert_eq!(segment_distance_sq(Point::new(5.0, 3.0), a, b), 9.0);
        // Beyond the end: distance to b = hypot(2, 0) = 2, squared 4.
        assert_eq!(segment_distance_sq(Point::new(12.0, 0.0), a, b), 4.0);
    }

    #[test]
    fn linear_map_round_trip_and_reversal() {
        // y axis: 0 at the bottom (300 px), 100 at the top (100 px); 25 → 300 - 0.25*200 = 250.
        let m = LinearMap::new(0.0, 100.0, 300.0, 100.0);
        assert_eq!(m.to_px(25.0), 250.0);
        assert_eq!(m.to_data(250.0), 25.0);
        assert_eq!(m.to_px_clamped(200.0), 100.0);
        assert_eq!(LinearMap::new(5.0, 5.0, 0.0, 10.0).to_px(5.0), 5.0);
    }

    #[test]
    fn rect_distance_and_new_sanitises() {
        let r = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert_eq!(r.distance_sq(Point::new(13.0, 14.0)), 9.0 + 16.0);
        assert_eq!(
            Rect::new(f64::NAN, 1.0, -5.0, f64::INFINITY),
            Rect::new(0.0, 1.0, 0.0, 0.0)
        );
    }
}
