//! Order statistics: the one copy of the quantile, the median, the percentile
//! rank and the median absolute deviation that every other crate uses (the
//! analyses, the risk thresholds, the data-quality report and the charts).
//! Definitions and formulas: `docs/methods.md`, "Order statistics".

/// Finite values of `values`, sorted ascending (NaN and ±∞ left out).
///
/// ```
/// use kpi_stats::order::sorted_finite;
/// assert_eq!(sorted_finite([3.0, f64::NAN, 1.0, f64::INFINITY]), vec![1.0, 3.0]);
/// ```
pub fn sorted_finite(values: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Quantile `p` (clamped to 0–1) of ascending `sorted` values, type 7 (the R
/// and NumPy default): `h = (n − 1)·p`, linear interpolation between the
/// order statistics around `h`, computed the way NumPy does so that results
/// agree to the last bit. `None` for no values or a non-finite `p`.
///
/// ```
/// use kpi_stats::order::quantile_sorted;
/// // numpy.quantile([1, 2, 4, 7], [0.25, 0.5, 0.75]) → [1.75, 3.0, 4.75]
/// let v = [1.0, 2.0, 4.0, 7.0];
/// assert_eq!(quantile_sorted(&v, 0.25), Some(1.75));
/// assert_eq!(quantile_sorted(&v, 0.75), Some(4.75));
/// assert_eq!(quantile_sorted(&[], 0.5), None);
/// ```
pub fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 || !p.is_finite() {
        return None;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = (h.floor() as usize).min(n - 1);
    let hi = (lo + 1).min(n - 1);
    Some(lerp(sorted[lo], sorted[hi], h - lo as f64))
}

/// Median of ascending `sorted` values (the type-7 quantile at ½: the mean of
/// the two middle values when `n` is even). `None` for no values.
///
/// ```
/// use kpi_stats::order::median_sorted;
/// assert_eq!(median_sorted(&[1.0, 2.0, 4.0, 7.0]), Some(3.0));
/// assert_eq!(median_sorted(&[1.0, 2.0, 4.0]), Some(2.0));
/// ```
pub fn median_sorted(sorted: &[f64]) -> Option<f64> {
    quantile_sorted(sorted, 0.5)
}

/// Median of a slice in any order, reordering it (O(n) selection). NaN for
/// an empty slice; callers that can meet one check first.
///
/// ```
/// use kpi_stats::order::median_in_place;
/// assert_eq!(median_in_place(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
/// assert!(median_in_place(&mut []).is_nan());
/// ```
pub fn median_in_place(xs: &mut [f64]) -> f64 {
    let n = xs.len();
    if n == 0 {
        return f64::NAN;
    }
    let mid = n / 2;
    let (left, m, _) = xs.select_nth_unstable_by(mid, f64::total_cmp);
    let upper = *m;
    if n % 2 == 1 {
        upper
    } else {
        let lower = left.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        lerp(lower, upper, 0.5)
    }
}

/// `(below, equal)`: how many of ascending `sorted` values are strictly below `x`
/// and how many equal it (−0 and +0 are equal).
///
/// ```
/// use kpi_stats::order::below_equal;
/// assert_eq!(below_equal(&[10.0, 20.0, 20.0, 30.0], 20.0), (1, 2));
/// ```
pub fn below_equal(sorted: &[f64], x: f64) -> (usize, usize) {
    let below = sorted.partition_point(|v| *v < x);
    let not_above = sorted.partition_point(|v| *v <= x);
    (below, not_above - below)
}

/// Mid-rank percentile from counts: `100 × (below + ½·equal) / n` (SciPy's
/// `percentileofscore(kind='mean')`). `n` must be positive.
///
/// ```
/// use kpi_stats::order::percentile_from_counts;
/// assert_eq!(percentile_from_counts(1, 2, 4), 50.0);
/// ```
pub fn percentile_from_counts(below: usize, equal: usize, n: usize) -> f64 {
    100.0 * (below as f64 + 0.5 * equal as f64) / n as f64
}

/// Mid-rank percentile of `x` among ascending `sorted` values (see
/// [`percentile_from_counts`]). `None` for no values or a non-finite `x`.
/// To rank by goodness, pass values and `x` turned by
/// `Direction::goodness`.
///
/// ```
/// use kpi_stats::order::percentile_rank_sorted;
/// // 10, 20, 20, 30: for 20, below 1 and equal 2 → 100 × (1 + 1) / 4 = 50.
/// let v = [10.0, 20.0, 20.0, 30.0];
/// assert_eq!(percentile_rank_sorted(&v, 20.0), Some(50.0));
/// assert_eq!(percentile_rank_sorted(&v, 30.0), Some(87.5));
/// assert_eq!(percentile_rank_sorted(&v, f64::NAN), None);
/// ```
pub fn percentile_rank_sorted(sorted: &[f64], x: f64) -> Option<f64> {
    if sorted.is_empty() || !x.is_finite() {
        return None;
    }
    let (below, equal) = below_equal(sorted, x);
    Some(percentile_from_counts(below, equal, sorted.len()))
}

/// Median and unscaled median absolute deviation (MAD) of `values` in any
/// order. `None` with fewer than `min_n` values (at least 1).
///
/// ```
/// use kpi_stats::order::median_mad;
/// // median 4; deviations 3, 1, 0, 0, 6 → MAD 1
/// assert_eq!(median_mad(&[1.0, 3.0, 4.0, 4.0, 10.0], 3), Some((4.0, 1.0)));
/// assert_eq!(median_mad(&[1.0, 2.0], 3), None);
/// ```
pub fn median_mad(values: &[f64], min_n: usize) -> Option<(f64, f64)> {
    if values.is_empty() || values.len() < min_n {
        return None;
    }
    let mut v = values.to_vec();
    let median = median_in_place(&mut v);
    for x in v.iter_mut() {
        *x = (*x - median).abs();
    }
    let mad = median_in_place(&mut v);
    (median.is_finite() && mad.is_finite()).then_some((median, mad))
}

/// Linear interpolation between `a` and `b` exactly as NumPy's quantile does
/// it (`a + (b − a)·t`, or `b − (b − a)·(1 − t)` for `t ≥ 0.5`, and `a` when
/// `a == b`), so results agree to the last bit.
fn lerp(a: f64, b: f64, t: f64) -> f64 {
    if a == b {
        return a;
    }
    let diff = b - a;
    if !diff.is_finite() {
        // Opposite signs near f64::MAX: the difference overflows, the weighted sum does not.
        return a * (1.0 - t) + b * t;
    }
    if t >= 0.5 {
        b - diff * (1.0 - t)
    } else {
        a + diff * t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_numpy_linear() {
        // python3 -c "import numpy as np; print(np.quantile([7,1,3,10,4,4], [0,0.25,0.5,0.75,0.9,1], method='linear'))"
        // -> [ 1.    3.25  4.    6.25  8.5  10.  ]
        let v = sorted_finite([7.0, 1.0, 3.0, 10.0, 4.0, 4.0]);
        let expected = [
            (0.0, 1.0),
            (0.25, 3.25),
            (0.5, 4.0),
            (0.75, 6.25),
            (0.9, 8.5),
            (1.0, 10.0),
        ];
        for (p, q) in expected {
            let got = quantile_sorted(&v, p).unwrap();
            assert!((got - q).abs() < 1e-12, "p = {p}: {got}");
        }
        assert_eq!(quantile_sorted(&[5.0], 0.3), Some(5.0));
        // numpy.quantile([1, 2, 4, 7, 11], [0.25, 0.5, 0.75]) → [2.0, 4.0, 7.0]
        let a = [1.0, 2.0, 4.0, 7.0, 11.0];
        assert_eq!(quantile_sorted(&a, 0.25), Some(2.0));
        assert_eq!(median_sorted(&a), Some(4.0));
        assert_eq!(quantile_sorted(&a, 0.75), Some(7.0));
        assert_eq!(quantile_sorted(&a, f64::NAN), None);
    }

    #[test]
    fn medians_odd_and_even() {
        assert_eq!(median_in_place(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median_in_place(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median_in_place(&mut []).is_nan());
        // Sorting and selecting agree.
        let mut v = [9.0, 2.0, 7.0, 7.0, 1.0, 4.0];
        let sorted = sorted_finite(v);
        assert_eq!(Some(median_in_place(&mut v)), median_sorted(&sorted));
    }

    #[test]
    fn percentile_rank_counts_ties_half() {
        let v = [10.0, 20.0, 20.0, 30.0];
        assert_eq!(percentile_rank_sorted(&v, 5.0), Some(0.0));
        assert_eq!(percentile_rank_sorted(&v, 35.0), Some(100.0));
        assert_eq!(percentile_rank_sorted(&[0.0, 1.0], -0.0), Some(25.0));
        assert_eq!(percentile_rank_sorted(&[], 1.0), None);
    }

    #[test]
    fn mad_of_a_worked_example() {
        // values 2, 4, 4, 4, 5, 5, 7, 9: median 4.5; |x − 4.5| = 2.5, 0.5, 0.5, 0.5, 0.5,
        // 0.5, 2.5, 4.5 → sorted 0.5 ×5, 2.5, 2.5, 4.5 → MAD 0.5.
        let v = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(median_mad(&v, 3), Some((4.5, 0.5)));
        assert_eq!(median_mad(&[], 0), None);
    }
}
