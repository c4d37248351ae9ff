//! The few statistics a chart derives itself when its input leaves them out (a median line,
//! quartiles of a box plot, a heat-map percentile). Definitions follow analysis.md.

/// Finite values, sorted ascending.
pub(crate) fn sorted_finite(values: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Quantile `p` (0–1) of sorted values by linear interpolation between order statistics,
/// `h = (n − 1) p` (R type 7, NumPy's default), as analysis.md prescribes.
pub(crate) fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 || !p.is_finite() {
        return None;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    let a = *sorted.get(lo)?;
    let b = *sorted.get(hi)?;
    Some(a + (h - lo as f64) * (b - a))
}

/// Median of sorted values.
pub(crate) fn median_sorted(sorted: &[f64]) -> Option<f64> {
    quantile_sorted(sorted, 0.5)
}

/// Percentile rank of `x` among sorted values: `100 × (below + 0.5 × equal) / n`.
pub(crate) fn percentile_rank_sorted(sorted: &[f64], x: f64) -> Option<f64> {
    if sorted.is_empty() || !x.is_finite() {
        return None;
    }
    let below = sorted.partition_point(|v| *v < x);
    let not_above = sorted.partition_point(|v| *v <= x);
    let equal = not_above - below;
    Some(100.0 * (below as f64 + 0.5 * equal as f64) / sorted.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_numpy() {
        // numpy.quantile([1, 2, 4, 7, 11], [0.25, 0.5, 0.75]) → [2.0, 4.0, 7.0]
        // numpy.quantile([1, 2, 4, 7], [0.25, 0.5, 0.75]) → [1.75, 3.0, 4.75]
        let a = [1.0, 2.0, 4.0, 7.0, 11.0];
        assert_eq!(quantile_sorted(&a, 0.25), Some(2.0));
        assert_eq!(median_sorted(&a), Some(4.0));
        let b = [1.0, 2.0, 4.0, 7.0];
        assert_eq!(quantile_sorted(&b, 0.25), Some(1.75));
        assert_eq!(median_sorted(&b), Some(3.0));
        assert_eq!(quantile_sorted(&b, 0.75), Some(4.75));
        assert_eq!(quantile_sorted(&[], 0.5), None);
        assert_eq!(quantile_sorted(&[5.0], 0.9), Some(5.0));
    }

    #[test]
    fn percentile_rank_counts_ties_half() {
        // 10, 20, 20, 30: for 20, below = 1, equal = 2 → 100 × (1 + 1) / 4 = 50.
        let v = [10.0, 20.0, 20.0, 30.0];
        assert_eq!(percentile_rank_sorted(&v, 20.0), Some(50.0));
        assert_eq!(percentile_rank_sorted(&v, 30.0), Some(87.5));
        assert_eq!(percentile_rank_sorted(&v, 5.0), Some(0.0));
        assert_eq!(percentile_rank_sorted(&v, f64::NAN), None);
    }

    #[test]
    fn sorting_drops_non_finite() {
        assert_eq!(
            sorted_finite([3.0, f64::NAN, 1.0, f64::INFINITY]),
            vec![1.0, 3.0]
        );
    }
}
