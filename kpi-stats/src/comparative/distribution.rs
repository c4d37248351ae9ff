//! The distribution of one indicator in a peer group.

use crate::computed::{computed_serde, finite, Computed, NotComputable};
use crate::numeric::{mean, sample_sd, RobustScale, RobustSpread};
use crate::order::{percentile_from_counts, quantile_sorted};
use serde::{Deserialize, Serialize};

/// Summary of a peer group's values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Values used (finite ones).
    pub n: usize,
    /// Non-finite values left out.
    pub skipped: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1); needs 2 values.
    #[serde(with = "computed_serde")]
    pub sd: Computed<f64>,
    /// Smallest value.
    pub min: f64,
    /// First quartile (type 7).
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile (type 7).
    pub q3: f64,
    /// Largest value.
    pub max: f64,
    /// Median absolute deviation from the median (unscaled).
    pub mad: f64,
    /// Robust standard deviation: `1.4826 × MAD`, or `1.253314 × MeanAD`
    /// when the MAD is 0, or 0 when all values are equal (see `robust_scale`).
    pub robust_sd: f64,
    /// Which spread `robust_sd` comes from.
    pub robust_scale: RobustScale,
}

/// Finite values sorted ascending, with the count of those left out.
pub(crate) struct SortedValues {
    pub sorted: Vec<f64>,
    pub skipped: usize,
}

impl SortedValues {
    pub(crate) fn new(values: impl Iterator<Item = f64>) -> SortedValues {
        let mut skipped = 0;
        let mut sorted: Vec<f64> = values
            .filter(|v| {
                let ok = v.is_finite();
                skipped += usize::from(!ok);
                ok
            })
            .map(|v| v + 0.0) // −0 → +0
            .collect();
        sorted.sort_unstable_by(f64::total_cmp);
        SortedValues { sorted, skipped }
    }

    /// `(below, equal)`: values strictly below `x` and equal to it.
    pub(crate) fn below_equal(&self, x: f64) -> (usize, usize) {
        crate::order::below_equal(&self.sorted, x)
    }

    pub(crate) fn distribution(&self, scratch: &mut Vec<f64>) -> Computed<Distribution> {
        let s = &self.sorted;
        let n = s.len();
        let (Some(&min), Some(&max)) = (s.first(), s.last()) else {
            return Err(NotComputable::too_few(1, 0));
        };
        let mean = finite(mean(s))?;
        let sd = if n < 2 {
            Err(NotComputable::too_few(2, n))
        } else if min == max {
            Ok(0.0)
        } else {
            finite(sample_sd(s, mean))
        };
        let median = quantile_sorted(s, 0.5).unwrap_or(f64::NAN);
        let spread = RobustSpread::of(s, median, scratch);
        Ok(Distribution {
            n,
            skipped: self.skipped,
            mean,
            sd,
            min,
            q1: quantile_sorted(s, 0.25).unwrap_or(f64::NAN),
            median,
            q3: quantile_sorted(s, 0.75).unwrap_or(f64::NAN),
            max,
            mad: finite(spread.mad)?,
            robust_sd: finite(spread.sd)?,
            robust_scale: spread.scale,
        })
    }
}

/// The distribution of a peer group's values (needs 1 finite value; the SD
/// needs 2). Non-finite values are left out and counted in `skipped`.
///
/// ```
/// use kpi_stats::distribution;
/// let d = distribution(&[7.0, 1.0, 3.0, 10.0, 4.0, 4.0]).unwrap();
/// assert_eq!((d.n, d.min, d.q1, d.median, d.q3, d.max), (6, 1.0, 3.25, 4.0, 6.25, 10.0));
/// assert!((d.mean - 29.0 / 6.0).abs() < 1e-12);
/// ```
pub fn distribution(values: &[f64]) -> Computed<Distribution> {
    SortedValues::new(values.iter().copied()).distribution(&mut Vec::new())
}

/// The quantile of type 7 (`h = (n − 1)p`, linear interpolation; the R and
/// NumPy default) of the finite `values`, `p` in 0–1.
///
/// ```
/// use kpi_stats::quantile;
/// assert_eq!(quantile(&[10.0, 20.0, 30.0, 40.0], 0.25), Ok(17.5));
/// ```
pub fn quantile(values: &[f64], p: f64) -> Computed<f64> {
    if !(0.0..=1.0).contains(&p) {
        return Err(NotComputable::invalid(
            "quantile",
            p,
            "a probability from 0 to 1",
        ));
    }
    let s = SortedValues::new(values.iter().copied());
    if s.sorted.is_empty() {
        return Err(NotComputable::too_few(1, 0));
    }
    finite(quantile_sorted(&s.sorted, p).unwrap_or(f64::NAN))
}

/// The percentile rank of `x` among `values`: `100 × (below + 0.5 × equal) / n`
/// (SciPy's `percentileofscore(kind='mean')`). Include the unit's own value in
/// `values`. Ranks the raw value, whatever the indicator's direction.
///
/// ```
/// use kpi_stats::percentile_rank;
/// // below 2, equal 2 of 5: 100 × (2 + 1) / 5
/// assert_eq!(percentile_rank(&[1.0, 2.0, 3.0, 3.0, 9.0], 3.0), Ok(60.0));
/// ```
pub fn percentile_rank(values: &[f64], x: f64) -> Computed<f64> {
    if !x.is_finite() {
        return Err(NotComputable::invalid("value", x, "a finite number"));
    }
    let s = SortedValues::new(values.iter().copied());
    if s.sorted.is_empty() {
        return Err(NotComputable::too_few(1, 0));
    }
    let (below, equal) = s.below_equal(x + 0.0);
    Ok(percentile_from_counts(below, equal, s.sorted.len()))
}
