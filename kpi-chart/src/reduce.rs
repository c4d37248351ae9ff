//! Reducing many points before drawing (never after): largest-triangle-three-buckets (LTTB)
//! for lines, min–max per pixel column (M4), and one mark per pixel cell ([`PixelCells`]).
//! The data behind a chart (tooltips, keyboard, summary, table) always keeps every point.

use crate::geom::{Point, Rect};

/// Indices of at most `threshold` points (plus the global minimum and maximum, when LTTB
/// did not keep them) that preserve the visual shape of a line through `points` (sorted
/// by x). The first and the last point are always kept. With `threshold < 3` or fewer
/// points than the threshold, every index is returned.
///
/// Sveinn Steinarsson, *Downsampling Time Series for Visual Representation* (2013).
///
/// ```
/// use kpi_chart::lttb;
/// let pts: Vec<(f64, f64)> = (0..1000).map(|i| (i as f64, (i as f64 / 50.0).sin())).collect();
/// let kept = lttb(&pts, 100);
/// assert!(kept.len() <= 102);
/// assert_eq!(kept.first(), Some(&0));
/// assert_eq!(kept.last(), Some(&999));
/// ```
pub fn lttb(points: &[(f64, f64)], threshold: usize) -> Vec<usize> {
    let n = points.len();
    if threshold < 3 || n <= threshold {
        return (0..n).collect();
    }
    let mut kept = Vec::with_capacity(threshold + 2);
    kept.push(0);
    let bucket_size = (n - 2) as f64 / (threshold - 2) as f64;
    let mut a = 0usize;
    for bucket in 0..threshold - 2 {
        // The current bucket, and the next one whose average is the third vertex.
        let start = (bucket as f64 * bucket_size).floor() as usize + 1;
        let end = (((bucket + 1) as f64 * bucket_size).floor() as usize + 1).min(n - 1);
        let next_start = end;
        let next_end = (((bucket + 2) as f64 * bucket_size).floor() as usize + 1).min(n);
        let next = points.get(next_start..next_end.max(next_start + 1).min(n));
        let (avg_x, avg_y) = match next {
            Some(slice) if !slice.is_empty() => {
                let len = slice.len() as f64;
                let (sx, sy) = slice
                    .iter()
                    .fold((0.0, 0.0), |(sx, sy), &(x, y)| (sx + x, sy + y));
                (sx / len, sy / len)
            }
            _ => points.get(n - 1).copied().unwrap_or((0.0, 0.0)),
        };
        let (ax, ay) = points.get(a).copied().unwrap_or((0.0, 0.0));
        let mut best = start.min(n - 1);
        let mut best_area = -1.0;
        for i in start..end.max(start + 1).min(n - 1) {
            let (bx, by) = points.get(i).copied().unwrap_or((0.0, 0.0));
            let area = ((ax - avg_x) * (by - ay) - (ax - bx) * (avg_y - ay)).abs();
            if area > best_area {
                best_area = area;
                best = i;
            }
        }
        kept.push(best);
        a = best;
    }
    kept.push(n - 1);
    keep_extremes(points, &mut kept);
    kept
}

/// Adds the indices of the global minimum and maximum of y when missing, keeping order.
fn keep_extremes(points: &[(f64, f64)], kept: &mut Vec<usize>) {
    let mut min_i = None;
    let mut max_i = None;
    for (i, &(_, y)) in points.iter().enumerate() {
        if !y.is_finite() {
            continue;
        }
        if min_i.is_none_or(|j: usize| points.get(j).is_some_and(|p| y < p.1)) {
            min_i = Some(i);
        }
        if max_i.is_none_or(|j: usize| points.get(j).is_some_and(|p| y > p.1)) {
            max_i = Some(i);
        }
    }
    for extreme in [min_i, max_i].into_iter().flatten() {
        if let Err(pos) = kept.binary_search(&extreme) {
            kept.insert(pos, extreme);
        }
    }
}

/// Indices of the points to draw when `points` (sorted by x, in pixels) are denser than
/// the pixel grid: for each pixel column the first, the last, the lowest and the highest
/// point, in their original order. A line through them looks exactly like the full line
/// at that resolution.
///
/// ```
/// use kpi_chart::min_max_per_column;
/// // 10 points in one pixel column: first, min, max and last survive.
/// let pts = [(0.1, 5.0), (0.2, 9.0), (0.3, 1.0), (0.4, 4.0), (0.5, 6.0),
///            (0.6, 5.0), (0.7, 5.0), (0.8, 5.0), (0.9, 5.0), (0.95, 3.0)];
/// assert_eq!(min_max_per_column(&pts), vec![0, 1, 2, 9]);
/// ```
pub fn min_max_per_column(points: &[(f64, f64)]) -> Vec<usize> {
    m4(points, 1.0)
}

/// Indices of the points of a line (x ascending, in pixels) to draw so that it rasterises
/// like the full line ("M4", Jugel et al., *M4: A Visualization-Oriented Time Series Data
/// Aggregation*, VLDB 2014): in every column of `column` pixels, the first, the lowest, the
/// highest and the last point, in their original order. The segments between columns are
/// those of the full line (each column keeps its first and last point), and within a column
/// the line spans the same lowest and highest value.
///
/// ```
/// use kpi_chart::m4;
/// // 1,000 points over 10 pixel columns: at most 4 per column are drawn.
/// let pts: Vec<(f64, f64)> = (0..1000).map(|i| (i as f64 / 100.0, ((i * 37) % 101) as f64)).collect();
/// let kept = m4(&pts, 1.0);
/// assert!(kept.len() <= 40);
/// assert_eq!((kept[0], kept[kept.len() - 1]), (0, 999));
/// ```
pub fn m4(points: &[(f64, f64)], column: f64) -> Vec<usize> {
    let column = if column.is_finite() && column > 0.0 {
        column
    } else {
        1.0
    };
    let col = |x: f64| (x / column).floor();
    let mut kept: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < points.len() {
        let current = points.get(i).map_or(0.0, |p| col(p.0));
        let mut j = i;
        let (mut lo, mut hi) = (i, i);
        while let Some(&(x, y)) = points.get(j) {
            if col(x) != current {
                break;
            }
            if points.get(lo).is_some_and(|p| y < p.1) {
                lo = j;
            }
            if points.get(hi).is_some_and(|p| y > p.1) {
                hi = j;
            }
            j += 1;
        }
        let last = j.saturating_sub(1).max(i);
        let mut group = [i, lo, hi, last];
        group.sort_unstable();
        for idx in group {
            if kept.last() != Some(&idx) {
                kept.push(idx);
            }
        }
        i = j.max(i + 1);
    }
    kept
}

/// The cells of a pixel grid that already hold a mark: a scatter or a dense line's markers
/// draw a mark only where none of the same look was drawn (a second dot in the same cell
/// changes no pixel the first did not), so 166,650 points cost no more than the pixels
/// they cover.
///
/// ```
/// use kpi_chart::{PixelCells, Point, Rect};
/// let mut cells = PixelCells::new(Rect::new(0.0, 0.0, 100.0, 50.0), 1.0);
/// assert!(cells.claim(Point::new(10.2, 10.7)));
/// assert!(!cells.claim(Point::new(10.9, 10.1)), "same 1 px cell");
/// assert!(cells.claim(Point::new(11.0, 10.1)));
/// assert!(cells.claim(Point::new(-5.0, 10.0)), "outside the grid: always drawn");
/// ```
#[derive(Clone, Debug)]
pub struct PixelCells {
    area: Rect,
    cell: f64,
    cols: usize,
    rows: usize,
    taken: Vec<u64>,
}

impl PixelCells {
    /// An empty grid over `area` with square cells of `cell` pixels (at most 2²⁴ cells; a
    /// coarser cell is used beyond).
    pub fn new(area: Rect, cell: f64) -> Self {
        let mut cell = if cell.is_finite() && cell > 0.0 {
            cell
        } else {
            1.0
        };
        let dims = |cell: f64| {
            let c = (area.w / cell).ceil();
            let r = (area.h / cell).ceil();
            if c.is_finite() && r.is_finite() && c > 0.0 && r > 0.0 {
                (c as usize, r as usize)
            } else {
                (0, 0)
            }
        };
        let (mut cols, mut rows) = dims(cell);
        while cols.saturating_mul(rows) > 1 << 24 {
            cell *= 2.0;
            (cols, rows) = dims(cell);
        }
        PixelCells {
            area,
            cell,
            cols,
            rows,
            taken: vec![0; (cols * rows).div_ceil(64)],
        }
    }

    /// Marks the cell of `p` taken; `true` when it was free (draw the mark). A point outside
    /// the grid is always `true`.
    pub fn claim(&mut self, p: Point) -> bool {
        let cx = ((p.x - self.area.x) / self.cell).floor();
        let cy = ((p.y - self.area.y) / self.cell).floor();
        if !(cx >= 0.0 && cy >= 0.0 && cx < self.cols as f64 && cy < self.rows as f64) {
            return true;
        }
        let k = cy as usize * self.cols + cx as usize;
        let (word, bit) = (k / 64, 1u64 << (k % 64));
        match self.taken.get_mut(word) {
            Some(w) if *w & bit == 0 => {
                *w |= bit;
                true
            }
            Some(_) => false,
            None => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lttb_keeps_ends_spike_and_dip() {
        // 500 points of a flat line with one spike at 137 and one dip at 401.
        let mut pts: Vec<(f64, f64)> = (0..500).map(|i| (i as f64, 10.0)).collect();
        pts[137].1 = 95.0;
        pts[401].1 = -40.0;
        let kept = lttb(&pts, 20);
        assert_eq!(kept.first(), Some(&0));
        assert_eq!(kept.last(), Some(&499));
        assert!(kept.contains(&137));
        assert!(kept.contains(&401));
        assert!(
            kept.windows(2).all(|w| w[0] < w[1]),
            "sorted, no duplicates"
        );
        assert!(kept.len() <= 22);
    }

    #[test]
    fn lttb_keeps_extremes_of_noisy_series() {
        // A deterministic noisy series (linear congruential generator): the global max and
        // min must be among the kept points even when LTTB alone might drop them.
        let mut state: u64 = 42;
        let pts: Vec<(f64, f64)> = (0..5000)
            .map(|i| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (i as f64, (state >> 33) as f64 / (1u64 << 31) as f64)
            })
            .collect();
        let kept = lttb(&pts, 50);
        let argmax = (0..pts.len())
            .max_by(|&a, &b| pts[a].1.total_cmp(&pts[b].1))
            .unwrap();
        let argmin = (0..pts.len())
            .min_by(|&a, &b| pts[a].1.total_cmp(&pts[b].1))
            .unwrap();
        assert!(kept.contains(&argmax) && kept.contains(&argmin));
    }

    #[test]
    fn lttb_small_inputs_unchanged() {
        assert_eq!(lttb(&[], 10), Vec::<usize>::new());
        assert_eq!(lttb(&[(0.0, 1.0), (1.0, 2.0)], 10), vec![0, 1]);
        assert_eq!(
            lttb(&[(0.0, 1.0), (1.0, 2.0), (2.0, 0.0)], 2),
            vec![0, 1, 2]
        );
    }

    #[test]
    fn min_max_keeps_column_extremes() {
        // Two columns: [0,1) holds y = 3, 7, 1; [1,2) holds y = 2, 2.
        let pts = [(0.0, 3.0), (0.5, 7.0), (0.9, 1.0), (1.2, 2.0), (1.8, 2.0)];
        assert_eq!(min_max_per_column(&pts), vec![0, 1, 2, 3, 4]);
        let dense: Vec<(f64, f64)> = (0..10_000)
            .map(|i| (i as f64 / 100.0, (i % 7) as f64))
            .collect();
        let kept = min_max_per_column(&dense);
        // 100 columns × at most 4 points.
        assert!(kept.len() <= 400);
        assert_eq!(kept.first(), Some(&0));
        assert_eq!(kept.last(), Some(&9999));
    }
}
