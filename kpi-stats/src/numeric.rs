//! Small numeric building blocks shared by the analyses: means,
//! spreads (order statistics are in [`crate::order`]) and the t and normal distributions (from `statrs`).
//!
//! Every function here expects finite inputs; the public functions of the
//! analysis modules filter or reject non-finite values before calling them.

use crate::order::median_in_place;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};
use statrs::function::erf::erfc;
use std::sync::OnceLock;

/// Robust standard deviation from the MAD: `1.4826 × MAD` (`1 / Φ⁻¹(0.75)`,
/// as written in the specification).
pub const MAD_TO_SD: f64 = 1.4826;

/// Robust standard deviation from the mean absolute deviation around the
/// median, used when the MAD is 0: `1.253314 × MeanAD` (`√(π/2)`; the
/// convention of Iglewicz and Hoaglin, also used by IBM SPSS).
pub const MEAN_AD_TO_SD: f64 = 1.253314;

/// Which spread measure a robust standard deviation was taken from.
///
/// The MAD is 0 whenever more than half of the values are equal (common for
/// small peer groups and rounded rates). Then the mean absolute deviation
/// around the median stands in for it; when that is 0 too, every value
/// equals the median and there is no spread at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RobustScale {
    /// `1.4826 × MAD` (the MAD is positive).
    Mad,
    /// `1.253314 × mean absolute deviation from the median` (the MAD is 0).
    MeanAbsoluteDeviation,
    /// All values are equal: no spread.
    None,
}

/// The median and robust standard deviation of a non-empty slice.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct RobustSpread {
    pub median: f64,
    /// Unscaled median absolute deviation from the median.
    pub mad: f64,
    /// Unscaled mean absolute deviation from the median.
    pub mean_ad: f64,
    /// The robust standard deviation (0 when `scale` is `None`).
    pub sd: f64,
    pub scale: RobustScale,
}

impl RobustSpread {
    /// Of `xs` with median `median`, using `scratch` as working memory.
    pub(crate) fn of(xs: &[f64], median: f64, scratch: &mut Vec<f64>) -> RobustSpread {
        let (mad, mean_ad) = mad_and_mean_ad(xs, median, scratch);
        let (sd, scale) = if mad > 0.0 {
            (MAD_TO_SD * mad, RobustScale::Mad)
        } else if mean_ad > 0.0 {
            (MEAN_AD_TO_SD * mean_ad, RobustScale::MeanAbsoluteDeviation)
        } else {
            (0.0, RobustScale::None)
        };
        RobustSpread {
            median,
            mad,
            mean_ad,
            sd,
            scale,
        }
    }
}

/// The median and robust standard deviation of `xs` (any order): `1.4826 ×
/// MAD`, or `1.253314 × MeanAD` when the MAD is 0 (more than half the values
/// equal). `None` with fewer than `min_n` values, a non-finite value, or no
/// spread at all.
///
/// ```
/// use kpi_stats::robust_median_sd;
/// // median 4; absolute deviations 3, 1, 0, 0, 6 → MAD 1 → sd 1.4826
/// assert_eq!(robust_median_sd(&[1.0, 3.0, 4.0, 4.0, 10.0], 3), Some((4.0, 1.4826)));
/// // 0, 0, 0, 0, 5: MAD 0; MeanAD (0 + 0 + 0 + 0 + 5) / 5 = 1 → sd 1.253314
/// assert_eq!(robust_median_sd(&[0.0, 0.0, 0.0, 0.0, 5.0], 3), Some((0.0, 1.253314)));
/// assert_eq!(robust_median_sd(&[2.0, 2.0, 2.0], 3), None);
/// ```
pub fn robust_median_sd(xs: &[f64], min_n: usize) -> Option<(f64, f64)> {
    if xs.is_empty() || xs.len() < min_n || xs.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let mut v = xs.to_vec();
    let median = median_in_place(&mut v);
    let spread = RobustSpread::of(xs, median, &mut v);
    (spread.scale != RobustScale::None).then_some((median, spread.sd))
}

/// Arithmetic mean (NaN for an empty slice, infinite on overflow).
pub(crate) fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Sample standard deviation with n − 1 in the denominator, around `mean`.
pub(crate) fn sample_sd(xs: &[f64], mean: f64) -> f64 {
    let ss: f64 = xs.iter().map(|x| (x - mean) * (x - mean)).sum();
    (ss / (xs.len() as f64 - 1.0)).sqrt()
}

/// Median absolute deviation from `median` (unscaled) and mean absolute
/// deviation from `median`, using `scratch` as working memory.
pub(crate) fn mad_and_mean_ad(xs: &[f64], median: f64, scratch: &mut Vec<f64>) -> (f64, f64) {
    scratch.clear();
    scratch.extend(xs.iter().map(|x| (x - median).abs()));
    let mean_ad = mean(scratch);
    (median_in_place(scratch), mean_ad)
}

/// Degrees of freedom up to which the 97.5% t quantiles are tabulated.
const T_TABLE_MAX_DF: usize = 512;

/// The 0.975 quantile of Student's t with `df` degrees of freedom (the
/// multiplier of a two-sided 95% interval). Tabulated once for small `df`.
pub(crate) fn t_975(df: f64) -> f64 {
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    let whole = df.round();
    if (whole - df).abs() < 1e-12 && whole >= 1.0 && whole <= T_TABLE_MAX_DF as f64 {
        let table = TABLE.get_or_init(|| {
            (1..=T_TABLE_MAX_DF)
                .map(|d| t_quantile(0.975, d as f64))
                .collect()
        });
        if let Some(&q) = table.get(whole as usize - 1) {
            return q;
        }
    }
    t_quantile(0.975, df)
}

/// Quantile `p` of Student's t with `df > 0` degrees of freedom.
fn t_quantile(p: f64, df: f64) -> f64 {
    if df.is_nan() || df <= 0.0 || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if df > 1e7 {
        // The t distribution is the normal one to ~1e-8 here, and the beta
        // inversion becomes slow for such shapes.
        return normal_quantile(p);
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(t) => t.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// Standard normal quantile (for the very large degrees of freedom only).
fn normal_quantile(p: f64) -> f64 {
    match statrs::distribution::Normal::new(0.0, 1.0) {
        Ok(n) => n.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// Two-sided p-value of a t statistic with `df` degrees of freedom:
/// `2·P(T > |t|)`.
pub(crate) fn t_two_sided_p(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return 0.0;
    }
    if df > 1e7 {
        return normal_two_sided_p(t);
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(dist) => (2.0 * dist.sf(t.abs())).min(1.0),
        Err(_) => f64::NAN,
    }
}

/// Two-sided p-value of a standard normal statistic: `2·(1 − Φ(|z|))`.
pub(crate) fn normal_two_sided_p(z: f64) -> f64 {
    if z.is_nan() {
        return f64::NAN;
    }
    // 2·(1 − Φ(|z|)) = erfc(|z| / √2), without the cancellation of 1 − Φ.
    erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0)
}

/// A tolerance for "equal" comparisons of values of the magnitude of `xs`:
/// differences below it are floating-point noise, not data.
pub(crate) fn noise_tolerance(xs: impl IntoIterator<Item = f64>) -> f64 {
    let scale = xs.into_iter().fold(1.0_f64, |m, x| m.max(x.abs()));
    1e-9 * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_and_p_values_match_scipy() {
        // python3 -c "from scipy import stats; print([stats.t.ppf(0.975, d) for d in (1,2,3,8,30,1000)])"
        // -> [12.706204736174694, 4.302652729749462, 3.1824463052837078, 2.306004135204166,
        //     2.0422724563012378, 1.9623390808264083]
        let expected = [
            (1.0, 12.706204736174694),
            (2.0, 4.302652729749462),
            (3.0, 3.1824463052837078),
            (8.0, 2.306004135204166),
            (30.0, 2.0422724563012378),
            (1000.0, 1.9623390808264083),
        ];
        for (df, q) in expected {
            assert!((t_975(df) - q).abs() < 1e-9, "df = {df}: {}", t_975(df));
        }
        // python3 -c "from scipy import stats; print(2*stats.t.sf(2.5, 7), 2*stats.norm.sf(1.7))"
        // -> 0.04099221858575289 0.08913092551708608
        assert!((t_two_sided_p(-2.5, 7.0) - 0.04099221858575289).abs() < 1e-10);
        // statrs' erfc is accurate to ~1e-10 relative, far below any reported digit.
        let p = normal_two_sided_p(1.7);
        assert!((p / 0.08913092551708608 - 1.0).abs() < 1e-9, "{p:e}");
        // python3 -c "from scipy import stats; print(2*stats.norm.sf(5.0))" -> 5.733031437583866e-07
        assert!((normal_two_sided_p(-5.0) / 5.733031437583866e-07 - 1.0).abs() < 1e-9);
        assert_eq!(t_two_sided_p(f64::INFINITY, 3.0), 0.0);
        assert_eq!(t_two_sided_p(0.0, 3.0), 1.0);
    }

    #[test]
    fn huge_degrees_of_freedom_use_the_normal_limit() {
        // python3 -c "from scipy import stats; print(stats.t.ppf(0.975, 1e8))" -> 1.9599640082627663
        assert!((t_975(1e8) - 1.9599640082627663).abs() < 1e-7);
        assert!(t_two_sided_p(1.96, 1e9) > 0.049 && t_two_sided_p(1.96, 1e9) < 0.051);
    }

    #[test]
    fn mad_and_mean_absolute_deviation() {
        // deviations from the median 3 of [1,2,3,4,100]: [2,1,0,1,97] -> MAD 1, mean 20.2
        let mut scratch = Vec::new();
        let (mad, mean_ad) = mad_and_mean_ad(&[1.0, 2.0, 3.0, 4.0, 100.0], 3.0, &mut scratch);
        assert_eq!(mad, 1.0);
        assert!((mean_ad - 20.2).abs() < 1e-12);
    }
}
