//! The Wilson score interval for a proportion.

use serde::{Deserialize, Serialize};

/// A closed interval `[lower, upper]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
}

impl Interval {
    /// Whether `x` lies inside (bounds included).
    pub fn contains(&self, x: f64) -> bool {
        x >= self.lower && x <= self.upper
    }
}

/// The Wilson score interval of a proportion `successes / trials` at normal
/// quantile `z` (1.959964 for 95%), as shares in 0–1. `None` when `trials` is
/// not positive or `successes` is outside `0..=trials`.
///
/// Used beside every rate computed from counts (satisfaction from 5 answers
/// and from 500 answers are not the same fact).
///
/// ```
/// use kpi_stats::wilson_interval;
/// // 8 of 10: centre (8 + z²/2)/(10 + z²), half-width z·√(pq/n + z²/4n²)/(1 + z²/n)
/// let ci = wilson_interval(8.0, 10.0, 1.959963984540054).unwrap();
/// assert!((ci.lower - 0.4901624).abs() < 1e-6);
/// assert!((ci.upper - 0.9433178).abs() < 1e-6);
/// assert!(wilson_interval(1.0, 0.0, 1.96).is_none());
/// ```
pub fn wilson_interval(successes: f64, trials: f64, z: f64) -> Option<Interval> {
    if trials.is_nan() || trials <= 0.0 || !(0.0..=trials).contains(&successes) || !z.is_finite() {
        return None;
    }
    let p = successes / trials;
    let z2 = z * z;
    let denom = 1.0 + z2 / trials;
    let centre = (p + z2 / (2.0 * trials)) / denom;
    let half = z * (p * (1.0 - p) / trials + z2 / (4.0 * trials * trials)).sqrt() / denom;
    Some(Interval {
        lower: (centre - half).max(0.0),
        upper: (centre + half).min(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_statsmodels() {
        // statsmodels.stats.proportion.proportion_confint(45, 60, alpha=0.05, method="wilson")
        // -> (0.6276792992295218, 0.8422347746994333)
        let ci = wilson_interval(45.0, 60.0, 1.959963984540054).unwrap();
        assert!((ci.lower - 0.6276792992295218).abs() < 1e-9);
        assert!((ci.upper - 0.8422347746994333).abs() < 1e-9);
    }

    #[test]
    fn edges_stay_inside_unit_interval() {
        let all = wilson_interval(5.0, 5.0, 1.96).unwrap();
        assert!(all.upper <= 1.0 && all.lower > 0.5);
        let none = wilson_interval(0.0, 5.0, 1.96).unwrap();
        assert_eq!(none.lower, 0.0);
        assert!(wilson_interval(6.0, 5.0, 1.96).is_none());
    }
}
