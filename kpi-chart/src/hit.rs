//! Interactivity that plotters lacks: which data point is under the pointer, which is
//! nearest, and where the arrow keys go next.
//!
//! The layout records, for each data mark, a region on the canvas and a [`DataPoint`]
//! holding everything a tooltip shows (a long series' values: a [`PointRun`], their anchors
//! and one disc radius, without a region each). The widget asks [`HitMap::pick`] on pointer moves
//! and [`HitMap::navigate`] on arrow keys, then shows the tooltip of the returned point at
//! [`HitMap::anchor`].

use super::geom::{segment_distance_sq, Point, Rect};
use crate::records::PointRecords;
use kpi_model::Year;
use serde::Serialize;

/// Everything a tooltip shows about one data mark.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DataPoint {
    /// Identifier of the mark, unique in the chart (`trend:2023`, `bar:091140000123`).
    pub id: String,
    /// Organisation id, when the mark stands for an organisation (for `kpi-select`).
    pub org: Option<String>,
    /// Programme code, when the mark stands for a programme.
    pub programme: Option<String>,
    /// The series or role of the mark (`Peer median`), if any.
    pub series: Option<String>,
    /// The full name of what the mark shows (never ellipsized).
    pub label: String,
    /// The exact value (full precision), `None` when not computable or a summary.
    pub value: Option<f64>,
    /// The value as displayed, with its unit (`74,2 %`), or why there is none.
    pub value_text: String,
    /// The unit label (`%`, `₸`).
    pub unit: String,
    /// The academic year.
    pub year: Option<Year>,
    /// Number of organisations behind a peer statistic.
    pub n: Option<u32>,
    /// Rank in a ranked chart (1 = best; ties share the smallest), whatever the language
    /// of the texts: the data table's rank column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<u32>,
    /// Extra lines `(name, value)`: quartiles, weight, thresholds, rank.
    pub details: Vec<(String, String)>,
    /// Data warnings that touched the value.
    pub warnings: Vec<String>,
    /// Explanation: why a value is not computable, what a signal means.
    pub note: Option<String>,
    /// Whether clicking the mark selects a unit (emits `kpi-select`).
    pub selectable: bool,
}

impl DataPoint {
    /// The tooltip as plain lines: name, value and year, n, details, note, warnings.
    pub fn tooltip_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let mut head = self.label.clone();
        if let Some(series) = &self.series {
            if !series.is_empty() && *series != self.label {
                head = if head.is_empty() {
                    series.clone()
                } else {
                    format!("{head} — {series}")
                };
            }
        }
        if !head.is_empty() {
            lines.push(head);
        }
        let mut value_line = self.value_text.clone();
        if let Some(year) = self.year {
            let y = kpi_model::i18n::format_academic_year(year);
            value_line = if value_line.is_empty() {
                y
            } else {
                format!("{value_line} · {y}")
            };
        }
        if let Some(n) = self.n {
            value_line = if value_line.is_empty() {
                format!("n = {n}")
            } else {
                format!("{value_line} · n = {n}")
            };
        }
        if !value_line.is_empty() {
            lines.push(value_line);
        }
        lines.extend(self.details.iter().map(|(k, v)| format!("{k}: {v}")));
        if let Some(note) = &self.note {
            lines.push(note.clone());
        }
        lines.extend(self.warnings.iter().map(|w| format!("⚠ {w}")));
        lines
    }
}

/// The area of a mark on the canvas.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum HitShape {
    /// A rectangle (bar, cell, label row).
    Rect(Rect),
    /// A disc (point marker).
    Circle {
        /// Centre.
        center: Point,
        /// Radius in CSS pixels.
        radius: f64,
    },
    /// A segment with a tolerance (a line between two points).
    Segment {
        /// One end.
        a: Point,
        /// Other end.
        b: Point,
        /// Half-width of the sensitive strip.
        tolerance: f64,
    },
}

impl HitShape {
    /// Whether `p` lies on the shape.
    pub fn contains(&self, p: Point) -> bool {
        match *self {
            HitShape::Rect(r) => r.contains(p),
            HitShape::Circle { center, radius } => center.distance(p) <= radius,
            HitShape::Segment { a, b, tolerance } => {
                segment_distance_sq(p, a, b) <= tolerance * tolerance
            }
        }
    }

    /// Distance from `p` to the shape (0 inside).
    pub fn distance(&self, p: Point) -> f64 {
        match *self {
            HitShape::Rect(r) => r.distance_sq(p).sqrt(),
            HitShape::Circle { center, radius } => (center.distance(p) - radius).max(0.0),
            HitShape::Segment { a, b, tolerance } => {
                (segment_distance_sq(p, a, b).sqrt() - tolerance).max(0.0)
            }
        }
    }

    /// The bounding box.
    pub fn bounds(&self) -> Rect {
        match *self {
            HitShape::Rect(r) => r,
            HitShape::Circle { center, radius } => Rect::new(
                center.x - radius,
                center.y - radius,
                2.0 * radius,
                2.0 * radius,
            ),
            HitShape::Segment { a, b, tolerance } => Rect::from_corners(a, b).expand(tolerance),
        }
    }
}

/// A region of the canvas belonging to a data point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct HitRegion {
    /// The area.
    pub shape: HitShape,
    /// Index into [`HitMap::points`].
    pub point: usize,
}

/// A key that moves the keyboard focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum NavKey {
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// First point.
    Home,
    /// Last point.
    End,
    /// Ten points back along the lane (PageUp).
    PageBack,
    /// Ten points forward along the lane (PageDown).
    PageForward,
    /// The unit the chart is about (the `O` key); from there, its next point.
    Own,
}

impl NavKey {
    /// Parses a DOM `KeyboardEvent.key` (`ArrowLeft`, `Home` …).
    pub fn from_dom_key(key: &str) -> Option<NavKey> {
        Some(match key {
            "ArrowLeft" | "Left" => NavKey::Left,
            "ArrowRight" | "Right" => NavKey::Right,
            "ArrowUp" | "Up" => NavKey::Up,
            "ArrowDown" | "Down" => NavKey::Down,
            "Home" => NavKey::Home,
            "End" => NavKey::End,
            "PageUp" => NavKey::PageBack,
            "PageDown" => NavKey::PageForward,
            "o" | "O" => NavKey::Own,
            _ => return None,
        })
    }
}

/// Which arrow keys move along a lane.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum LaneAxis {
    /// Left/right move along a lane (a series over years, a heat-map row); up/down change lane.
    #[default]
    Horizontal,
    /// Up/down move along a lane (a ranked list of bars); left/right change lane.
    Vertical,
}

/// Points placed left to right, each hit as a disc of one radius around its anchor (a long
/// series' values): a range of points whose anchors ascend in x, so that a chart of 166,650
/// points keeps no region per point and a pick looks only at the anchors near the pointer
/// (a binary search on x, then the neighbours by distance). Its discs lie under every
/// region: where a region overlaps one, the region's point is picked.
///
/// ```
/// use kpi_chart::{layout_chart, ChartInput, ChartOptions, Size, TrendData, TrendPoint};
/// let points = (1..=5000)
///     .map(|year| TrendPoint { year, value: Some(f64::from(year % 97)), ..Default::default() })
///     .collect();
/// let input = ChartInput::Trend(TrendData { points, ..Default::default() });
/// let chart = layout_chart(&input, Size::new(640.0, 360.0), &ChartOptions::default()).unwrap();
/// let hits = chart.hits();
/// let run = hits.runs[0];
/// assert_eq!(run.len, 5000);
/// let i = run.first + 1234;
/// assert_eq!(hits.points.get(i).unwrap().year, Some(1235));
/// assert_eq!(hits.pick(hits.anchor(i).unwrap(), 8.0), Some(i));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PointRun {
    /// The first point: the run is points `first..first + len`, their disc centres
    /// `HitMap::anchors[first..first + len]`, in ascending x.
    pub first: usize,
    /// Number of points.
    pub len: usize,
    /// Radius of each point's disc, in CSS pixels.
    pub radius: f64,
}

impl PointRun {
    /// The point of the run whose centre is nearest to `p`, if within `reach`, with that
    /// distance; the later point on a tie (it is painted over the earlier).
    fn nearest(&self, anchors: &[Point], p: Point, reach: f64) -> Option<(f64, usize)> {
        let centers = anchors.get(self.first..self.first.checked_add(self.len)?)?;
        if reach.is_nan() || reach < 0.0 {
            return None;
        }
        // Only the centres within `reach` in x, from the first at or right of `p.x - reach`.
        let lo = centers.partition_point(|c| c.x < p.x - reach);
        let mut best: Option<(f64, usize)> = None;
        for (j, c) in centers.iter().enumerate().skip(lo) {
            if c.x > p.x + reach {
                break;
            }
            let d = c.distance(p);
            if d <= best.map_or(reach, |b| b.0) {
                best = Some((d, self.first + j));
            }
        }
        best
    }
}

/// Data points, their regions and the keyboard order of a chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HitMap {
    /// The data points (a long series' records are built when asked for).
    pub points: PointRecords,
    /// Regions in painting order (later ones are on top).
    pub regions: Vec<HitRegion>,
    /// Where the tooltip and the focus ring go, per point.
    pub anchors: Vec<Point>,
    /// Keyboard order: lanes of point indices (series, rows), each in reading order.
    pub lanes: Vec<Vec<usize>>,
    /// Which keys move along a lane.
    pub lane_axis: LaneAxis,
    /// The points of the unit the chart is about (its bar, dot, row or line), in
    /// keyboard order: where [`NavKey::Own`] goes.
    pub own: Vec<usize>,
    /// Runs of points hit as discs around their anchors, without a region each (a long
    /// series' values), under every region.
    pub runs: Vec<PointRun>,
}

impl HitMap {
    /// Adds a point with its tooltip anchor, returning its index.
    pub fn add_point(&mut self, point: DataPoint, anchor: Point) -> usize {
        self.anchors.push(anchor);
        self.points.push(point)
    }

    /// Adds a point whose record the chart's [`LazyRecords`](crate::records::LazyRecords) builds from `row` when asked
    /// for, returning its index.
    pub(crate) fn add_lazy_point(&mut self, row: usize, anchor: Point) -> usize {
        self.anchors.push(anchor);
        self.points.push_lazy(row, 1)
    }

    /// Adds a [`PointRun`]: one point per centre (ascending in x), each a disc of
    /// `radius`, whose records the chart's [`LazyRecords`](crate::records::LazyRecords)
    /// build from rows `row..` when asked for: a copy of the centres and one extend of
    /// record slots, not a region and calls per point.
    pub(crate) fn add_run(&mut self, row: usize, centers: &[Point], radius: f64) {
        let first = self.points.push_lazy(row, centers.len());
        self.anchors.extend_from_slice(centers);
        if !centers.is_empty() {
            self.runs.push(PointRun {
                first,
                len: centers.len(),
                radius,
            });
        }
    }

    /// Makes room for `points` more points with one region each (a chart of 166,650
    /// points would otherwise copy its points at every doubling).
    pub fn reserve(&mut self, points: usize) {
        self.points.reserve(points);
        self.anchors.reserve(points);
        self.regions.reserve(points);
    }

    /// Adds a region of point `point`.
    pub fn add_region(&mut self, point: usize, shape: HitShape) {
        self.regions.push(HitRegion { shape, point });
    }

    /// The point whose region contains `p` (the topmost one).
    pub fn hit_test(&self, p: Point) -> Option<usize> {
        self.find(p, 0.0, None)
    }

    /// The point whose region is nearest to `p`, if within `max_distance` pixels (the
    /// topmost one on a tie).
    pub fn nearest(&self, p: Point, max_distance: f64) -> Option<usize> {
        self.find(p, max_distance, None)
    }

    /// The point whose region is nearest to `p` within `max_distance` pixels, the topmost
    /// on a tie (so the topmost region that contains `p`, at distance 0, when there is
    /// one): among the regions numbered `candidates` (every region when `None`) and the
    /// runs' discs (under every region), of which only those near `p` are looked at.
    fn find(&self, p: Point, max_distance: f64, candidates: Option<&[u32]>) -> Option<usize> {
        if !p.is_finite() {
            return None;
        }
        // (distance, point), the later one winning a tie.
        let mut best: Option<(f64, usize)> = None;
        for run in &self.runs {
            if let Some((d, i)) = run.nearest(&self.anchors, p, run.radius + max_distance) {
                let d = (d - run.radius).max(0.0);
                if best.is_none_or(|b| d <= b.0) {
                    best = Some((d, i));
                }
            }
        }
        let n = candidates.map_or(self.regions.len(), <[u32]>::len);
        for m in 0..n {
            let k = candidates.map_or(Some(m), |c| c.get(m).map(|&k| k as usize));
            if let Some(r) = k.and_then(|k| self.regions.get(k)) {
                let d = r.shape.distance(p);
                if d <= max_distance && best.is_none_or(|b| d <= b.0) {
                    best = Some((d, r.point));
                }
            }
        }
        best.map(|(_, i)| i)
    }

    /// What a pointer at `p` points at: the region under it, else the nearest within
    /// `tolerance` pixels (fingers are not precise).
    ///
    /// ```
    /// use kpi_chart::{DataPoint, HitMap, HitShape, Point};
    /// let mut map = HitMap::default();
    /// let i = map.add_point(DataPoint { id: "a".into(), ..Default::default() }, Point::new(10.0, 10.0));
    /// map.add_region(i, HitShape::Circle { center: Point::new(10.0, 10.0), radius: 4.0 });
    /// assert_eq!(map.pick(Point::new(11.0, 11.0), 8.0), Some(i));
    /// assert_eq!(map.pick(Point::new(20.0, 10.0), 8.0), Some(i));
    /// assert_eq!(map.pick(Point::new(40.0, 10.0), 8.0), None);
    /// ```
    pub fn pick(&self, p: Point, tolerance: f64) -> Option<usize> {
        self.find(p, tolerance, None)
    }

    /// The tooltip anchor of point `i`.
    pub fn anchor(&self, i: usize) -> Option<Point> {
        self.anchors.get(i).copied()
    }

    /// The bounding box of all regions of point `i` (for a focus ring).
    pub fn bounds(&self, i: usize) -> Option<Rect> {
        // A run's point has its disc and no region.
        if let Some(r) = self
            .runs
            .iter()
            .find(|r| i >= r.first && i - r.first < r.len)
        {
            let center = self.anchor(i)?;
            return Some(
                HitShape::Circle {
                    center,
                    radius: r.radius,
                }
                .bounds(),
            );
        }
        let mut out: Option<Rect> = None;
        for r in self.regions.iter().filter(|r| r.point == i) {
            let b = r.shape.bounds();
            out = Some(match out {
                None => b,
                Some(o) => {
                    let x = o.x.min(b.x);
                    let y = o.y.min(b.y);
                    Rect::new(
                        x,
                        y,
                        o.right().max(b.right()) - x,
                        o.bottom().max(b.bottom()) - y,
                    )
                }
            });
        }
        out
    }

    /// Every point once, in the order the keyboard visits them: each lane from its first
    /// point on (what the forward arrow key walks), the lanes in order (the next-lane
    /// key, then Home), then any point in no lane. The widget lists its point buttons in
    /// this order, so that browse mode and the arrow keys agree.
    ///
    /// ```
    /// use kpi_chart::{DataPoint, HitMap, Point};
    /// let mut map = HitMap::default();
    /// for i in 0..5 {
    ///     map.add_point(DataPoint::default(), Point::new(i as f64, 0.0));
    /// }
    /// map.lanes = vec![vec![3, 1], vec![0, 3]];
    /// assert_eq!(map.keyboard_order(), [3, 1, 0, 2, 4]);
    /// ```
    pub fn keyboard_order(&self) -> Vec<usize> {
        let n = self.points.len();
        let mut seen = vec![false; n];
        let mut order = Vec::with_capacity(n);
        let lanes = self.lanes.iter().flatten().copied();
        for i in lanes.chain(0..n) {
            if i < n && !std::mem::replace(&mut seen[i], true) {
                order.push(i);
            }
        }
        order
    }

    /// Where the keyboard focus goes from `current` (or from nowhere) on `key`.
    ///
    /// With one lane every arrow key moves along it (right/down forward, left/up back).
    /// With several lanes the keys along the [`LaneAxis`] move within the lane and the
    /// others move to the neighbouring lane, to the point nearest along the lane axis.
    /// Home/End go to the first/last point of the current lane. The ends do not wrap.
    ///
    /// PageUp/PageDown move ten points along the lane (stopping at its ends); `O` goes to
    /// the unit's first point, and from one of its points to the next (wrapping).
    ///
    /// ```
    /// use kpi_chart::{DataPoint, HitMap, NavKey, Point};
    /// let mut map = HitMap::default();
    /// for i in 0..25 {
    ///     map.add_point(DataPoint::default(), Point::new(i as f64, 0.0));
    /// }
    /// map.lanes = vec![(0..25).collect()];
    /// map.own = vec![17];
    /// assert_eq!(map.navigate(Some(3), NavKey::PageForward), Some(13));
    /// assert_eq!(map.navigate(Some(20), NavKey::PageForward), Some(24));
    /// assert_eq!(map.navigate(Some(5), NavKey::PageBack), Some(0));
    /// assert_eq!(map.navigate(None, NavKey::Own), Some(17));
    /// ```
    pub fn navigate(&self, current: Option<usize>, key: NavKey) -> Option<usize> {
        let lanes: Vec<&Vec<usize>> = self.lanes.iter().filter(|l| !l.is_empty()).collect();
        let first = lanes.first().and_then(|l| l.first()).copied();
        if key == NavKey::Own {
            let own: Vec<usize> = self
                .own
                .iter()
                .copied()
                .filter(|&i| i < self.points.len())
                .collect();
            let next = match current.and_then(|c| own.iter().position(|&i| i == c)) {
                Some(k) => own.get((k + 1) % own.len()),
                None => own.first(),
            };
            return next.copied().or(current);
        }
        let Some(cur) = current else {
            return match key {
                NavKey::End => lanes.last().and_then(|l| l.last()).copied(),
                _ => first,
            };
        };
        let Some((lane_i, pos)) = lanes
            .iter()
            .enumerate()
            .find_map(|(li, l)| l.iter().position(|&p| p == cur).map(|pos| (li, pos)))
        else {
            return first;
        };
        let lane = lanes.get(lane_i)?;
        let (forward, back, next_lane, prev_lane) = match self.lane_axis {
            LaneAxis::Horizontal => (NavKey::Right, NavKey::Left, NavKey::Down, NavKey::Up),
            LaneAxis::Vertical => (NavKey::Down, NavKey::Up, NavKey::Right, NavKey::Left),
        };
        let single = lanes.len() == 1;
        let step_along = |delta: isize| -> Option<usize> {
            let target = pos as isize + delta;
            if target < 0 {
                return Some(cur);
            }
            Some(lane.get(target as usize).copied().unwrap_or(cur))
        };
        let page = |delta: isize| -> Option<usize> {
            let last = lane.len().saturating_sub(1) as isize;
            let target = (pos as isize + delta).clamp(0, last);
            lane.get(target as usize).copied().or(Some(cur))
        };
        match key {
            NavKey::Home => lane.first().copied(),
            NavKey::End => lane.last().copied(),
            NavKey::PageForward => page(10),
            NavKey::PageBack => page(-10),
            NavKey::Own => Some(cur),
            k if k == forward || (single && k == next_lane) => step_along(1),
            k if k == back || (single && k == prev_lane) => step_along(-1),
            k => {
                let target_lane = if k == next_lane {
                    lane_i + 1
                } else if lane_i == 0 {
                    return Some(cur);
                } else {
                    lane_i - 1
                };
                let Some(other) = lanes.get(target_lane) else {
                    return Some(cur);
                };
                let here = self.anchor(cur).unwrap_or_default();
                let along = |p: Point| match self.lane_axis {
                    LaneAxis::Horizontal => p.x,
                    LaneAxis::Vertical => p.y,
                };
                other
                    .iter()
                    .copied()
                    .min_by(|&a, &b| {
                        let da = (along(self.anchor(a).unwrap_or_default()) - along(here)).abs();
                        let db = (along(self.anchor(b).unwrap_or_default()) - along(here)).abs();
                        da.total_cmp(&db)
                    })
                    .or(Some(cur))
            }
        }
    }
}

/// A grid over a [`HitMap`]'s regions, so that [`HitMap::pick`] on a chart of 166,650
/// points looks at the few regions near the pointer instead of all of them. Built once per
/// layout (on the first pointer move) for one tolerance; answers exactly as
/// [`HitMap::pick`] does.
///
/// ```
/// use kpi_chart::{DataPoint, HitIndex, HitMap, HitShape, Point};
/// let mut map = HitMap::default();
/// for k in 0..5000 {
///     let c = Point::new((k % 100) as f64 * 6.0, (k / 100) as f64 * 6.0);
///     let i = map.add_point(DataPoint::default(), c);
///     map.add_region(i, HitShape::Circle { center: c, radius: 2.0 });
/// }
/// let index = HitIndex::new(&map, 8.0);
/// for p in [Point::new(61.0, 30.5), Point::new(-7.0, 3.0), Point::new(900.0, 900.0)] {
///     assert_eq!(index.pick(&map, p), map.pick(p, 8.0));
/// }
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HitIndex {
    tolerance: f64,
    origin: Point,
    cell: f64,
    cols: usize,
    rows: usize,
    /// Region indices per cell, ascending (painting order).
    cells: Vec<Vec<u32>>,
}

impl HitIndex {
    /// Cell size in CSS pixels: a few marks across.
    const CELL_PX: f64 = 16.0;

    /// The index of `map`'s regions for picks within `tolerance` pixels.
    pub fn new(map: &HitMap, tolerance: f64) -> Self {
        let tolerance = if tolerance.is_finite() {
            tolerance.max(0.0)
        } else {
            0.0
        };
        let boxes: Vec<Rect> = map
            .regions
            .iter()
            .map(|r| r.shape.bounds().expand(tolerance))
            .collect();
        let finite = boxes
            .iter()
            .filter(|b| b.x.is_finite() && b.y.is_finite() && b.w.is_finite() && b.h.is_finite());
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for b in finite {
            x0 = x0.min(b.x);
            y0 = y0.min(b.y);
            x1 = x1.max(b.right());
            y1 = y1.max(b.bottom());
        }
        if x0 > x1 || y0 > y1 {
            return HitIndex {
                tolerance,
                ..Default::default()
            };
        }
        let mut cell = Self::CELL_PX;
        let dims = |cell: f64| {
            (
                ((x1 - x0) / cell).floor() as usize + 1,
                ((y1 - y0) / cell).floor() as usize + 1,
            )
        };
        let (mut cols, mut rows) = dims(cell);
        while cols.saturating_mul(rows) > 1 << 20 {
            cell *= 2.0;
            (cols, rows) = dims(cell);
        }
        let mut cells: Vec<Vec<u32>> = vec![Vec::new(); cols * rows];
        let span = |lo: f64, hi: f64, origin: f64, n: usize| {
            let a = ((lo - origin) / cell).floor().max(0.0) as usize;
            let b = ((hi - origin) / cell).floor().max(0.0) as usize;
            a.min(n - 1)..=b.min(n - 1)
        };
        for (k, b) in boxes.iter().enumerate() {
            if !(b.x.is_finite() && b.y.is_finite() && b.w.is_finite() && b.h.is_finite()) {
                continue;
            }
            for row in span(b.y, b.bottom(), y0, rows) {
                for col in span(b.x, b.right(), x0, cols) {
                    if let Some(c) = cells.get_mut(row * cols + col) {
                        c.push(k as u32);
                    }
                }
            }
        }
        HitIndex {
            tolerance,
            origin: Point::new(x0, y0),
            cell,
            cols,
            rows,
            cells,
        }
    }

    /// [`HitMap::pick`] of `map` (the map this index was built from) at `p` within the
    /// index's tolerance.
    pub fn pick(&self, map: &HitMap, p: Point) -> Option<usize> {
        let cx = ((p.x - self.origin.x) / self.cell).floor();
        let cy = ((p.y - self.origin.y) / self.cell).floor();
        let inside = cx >= 0.0 && cy >= 0.0 && cx < self.cols as f64 && cy < self.rows as f64;
        // Outside the grid no region is near (a run's point may be).
        let near = match inside {
            true => self.cells.get(cy as usize * self.cols + cx as usize),
            false => None,
        };
        map.find(p, self.tolerance, Some(near.map_or(&[], |c| c.as_slice())))
    }

    /// The tolerance the index was built for.
    pub fn tolerance(&self) -> f64 {
        self.tolerance
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid_map() -> HitMap {
        // Two lanes (series) over three years at x = 0, 50, 100; lane 0 at y = 10, lane 1 at y = 60.
        let mut map = HitMap::default();
        for lane in 0..2 {
            let mut ids = Vec::new();
            for k in 0..3 {
                let c = Point::new(50.0 * k as f64, 10.0 + 50.0 * lane as f64);
                let i = map.add_point(
                    DataPoint {
                        id: format!("{lane}:{k}"),
                        ..Default::default()
                    },
                    c,
                );
                map.add_region(
                    i,
                    HitShape::Circle {
                        center: c,
                        radius: 5.0,
                    },
                );
                ids.push(i);
            }
            map.lanes.push(ids);
        }
        map
    }

    #[test]
    fn hit_test_and_nearest() {
        let map = grid_map();
        assert_eq!(map.hit_test(Point::new(52.0, 12.0)), Some(1));
        assert_eq!(map.hit_test(Point::new(25.0, 35.0)), None);
        // (95, 50): distance to (100, 60) is hypot(5, 10) − 5 = 6.18; to (100, 10) 40.3 − 5.
        assert_eq!(map.nearest(Point::new(95.0, 50.0), 10.0), Some(5));
        assert_eq!(map.nearest(Point::new(95.0, 50.0), 5.0), None);
        assert_eq!(map.hit_test(Point::new(f64::NAN, 1.0)), None);
    }

    #[test]
    fn topmost_region_wins() {
        let mut map = HitMap::default();
        let a = map.add_point(DataPoint::default(), Point::default());
        let b = map.add_point(DataPoint::default(), Point::default());
        map.add_region(a, HitShape::Rect(Rect::new(0.0, 0.0, 100.0, 100.0)));
        map.add_region(b, HitShape::Rect(Rect::new(40.0, 40.0, 10.0, 10.0)));
        assert_eq!(map.hit_test(Point::new(45.0, 45.0)), Some(b));
        assert_eq!(map.hit_test(Point::new(5.0, 5.0)), Some(a));
    }

    #[test]
    fn keyboard_moves_along_and_across_lanes() {
        let map = grid_map();
        assert_eq!(map.navigate(None, NavKey::Right), Some(0));
        assert_eq!(map.navigate(None, NavKey::End), Some(5));
        assert_eq!(map.navigate(Some(0), NavKey::Right), Some(1));
        assert_eq!(map.navigate(Some(2), NavKey::Right), Some(2), "no wrap");
        assert_eq!(map.navigate(Some(0), NavKey::Left), Some(0));
        // Down from the middle of lane 0 goes to the middle of lane 1.
        assert_eq!(map.navigate(Some(1), NavKey::Down), Some(4));
        assert_eq!(map.navigate(Some(4), NavKey::Up), Some(1));
        assert_eq!(map.navigate(Some(4), NavKey::Down), Some(4));
        assert_eq!(map.navigate(Some(4), NavKey::Home), Some(3));
        assert_eq!(map.navigate(Some(99), NavKey::Left), Some(0));
    }

    #[test]
    fn single_vertical_lane_accepts_all_arrows() {
        let mut map = grid_map();
        map.lanes = vec![vec![0, 1, 2]];
        map.lane_axis = LaneAxis::Vertical;
        assert_eq!(map.navigate(Some(0), NavKey::Down), Some(1));
        assert_eq!(map.navigate(Some(1), NavKey::Right), Some(2));
        assert_eq!(map.navigate(Some(1), NavKey::Up), Some(0));
        assert_eq!(map.navigate(Some(1), NavKey::Left), Some(0));
    }

    #[test]
    fn tooltip_lines() {
        let p = DataPoint {
            label: "Колледж №1".into(),
            series: Some("Медиана".into()),
            value_text: "74,2 %".into(),
            year: Some(2023),
            n: Some(134),
            warnings: vec!["выпускники: значение исправлено".into()],
            note: Some("сигнал".into()),
            ..Default::default()
        };
        assert_eq!(
            p.tooltip_lines(),
            vec![
                "Колледж №1 — Медиана".to_string(),
                "74,2 % · 2023–2024 · n = 134".to_string(),
                "сигнал".to_string(),
                "⚠ выпускники: значение исправлено".to_string(),
            ]
        );
    }

    #[test]
    fn the_index_picks_what_the_full_scan_picks() {
        // Overlapping circles, rectangles and segments in painting order, probed on a grid
        // finer than the cells, with and without a tolerance.
        let mut map = HitMap::default();
        let mut state: u64 = 5;
        let mut next = |m: f64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64 * m
        };
        for k in 0..3000 {
            let c = Point::new(next(400.0), next(300.0));
            let i = map.add_point(DataPoint::default(), c);
            let shape = match k % 3 {
                0 => HitShape::Circle {
                    center: c,
                    radius: 1.0 + next(6.0),
                },
                1 => HitShape::Rect(Rect::new(c.x, c.y, next(30.0), next(10.0))),
                _ => HitShape::Segment {
                    a: c,
                    b: Point::new(c.x + next(40.0), c.y + next(20.0)),
                    tolerance: 2.0,
                },
            };
            map.add_region(i, shape);
        }
        for tol in [0.0, 8.0] {
            let index = HitIndex::new(&map, tol);
            for y in (-20..330).step_by(3) {
                for x in (-20..440).step_by(3) {
                    let p = Point::new(x as f64 + 0.25, y as f64 + 0.5);
                    assert_eq!(
                        index.pick(&map, p),
                        map.pick(p, tol),
                        "{p:?} tolerance {tol}"
                    );
                }
            }
        }
        assert_eq!(
            HitIndex::new(&HitMap::default(), 8.0).pick(&map, Point::new(1.0, 1.0)),
            None
        );
    }
}
