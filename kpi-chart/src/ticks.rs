//! Axis ticks at round numbers.
//!
//! Steps are 1, 2 or 5 × 10ᵏ in the indicator's unit, never finer than the unit allows
//! (1 percentage point, 1 person); rates and counts include zero; the axis ends on ticks.

use kpi_model::Year;

/// What an axis must show.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TickRequest {
    /// Smallest data value (non-finite values are ignored by the caller; NaN here means no data).
    pub data_min: f64,
    /// Largest data value.
    pub data_max: f64,
    /// Include zero in the range.
    pub zero_baseline: bool,
    /// Smallest allowed step (1 for percentages and counts).
    pub min_step: Option<f64>,
    /// Most ticks that fit, including both ends (at least 2).
    pub max_ticks: usize,
    /// Fixed lower end (overrides the data and the zero baseline).
    pub fixed_min: Option<f64>,
    /// Fixed upper end.
    pub fixed_max: Option<f64>,
    /// Do not extend the axis past this value when the data do not (100 for percentages).
    pub soft_max: Option<f64>,
}

impl TickRequest {
    /// A request for data in `min..=max` with at most `max_ticks` ticks.
    pub fn new(min: f64, max: f64, max_ticks: usize) -> Self {
        TickRequest {
            data_min: min,
            data_max: max,
            zero_baseline: false,
            min_step: None,
            max_ticks,
            fixed_min: None,
            fixed_max: None,
            soft_max: None,
        }
    }
}

/// Round ticks of an axis: the axis runs from `min` to `max`, both ticks.
#[derive(Clone, Debug, PartialEq)]
pub struct Ticks {
    /// Lower end of the axis.
    pub min: f64,
    /// Upper end of the axis.
    pub max: f64,
    /// Distance between ticks.
    pub step: f64,
    /// Tick values, ascending.
    pub values: Vec<f64>,
}

/// A step `mantissa × 10^exponent` with mantissa 1, 2 or 5, exact in decimal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct NiceStep {
    mantissa: i64,
    exponent: i32,
}

impl NiceStep {
    fn value(self) -> f64 {
        scaled(self.mantissa as f64, self.exponent)
    }

    /// The smallest nice step ≥ `raw`.
    fn at_least(raw: f64) -> NiceStep {
        let exponent = raw.log10().floor() as i32;
        for mantissa in [1, 2, 5] {
            let s = NiceStep { mantissa, exponent };
            if s.value() >= raw * (1.0 - 1e-12) {
                return s;
            }
        }
        NiceStep {
            mantissa: 1,
            exponent: exponent + 1,
        }
    }

    fn next(self) -> NiceStep {
        match self.mantissa {
            1 => NiceStep {
                mantissa: 2,
                ..self
            },
            2 => NiceStep {
                mantissa: 5,
                ..self
            },
            _ => NiceStep {
                mantissa: 1,
                exponent: self.exponent + 1,
            },
        }
    }

    /// `k` steps, computed so that decimal steps give exact decimal values (0.1 × 3 = 0.3).
    fn times(self, k: i64) -> f64 {
        scaled((k * self.mantissa) as f64, self.exponent)
    }
}

/// `m × 10^e`, dividing for negative exponents so that results are correctly rounded.
fn scaled(m: f64, e: i32) -> f64 {
    if e >= 0 {
        m * 10f64.powi(e)
    } else {
        m / 10f64.powi(-e)
    }
}

/// The smallest step of the form 1, 2 or 5 × 10ᵏ that is at least `raw`.
///
/// ```
/// use kpi_chart::nice_step;
/// assert_eq!(nice_step(3.0), 5.0);
/// assert_eq!(nice_step(0.013), 0.02);
/// assert_eq!(nice_step(100.0), 100.0);
/// ```
pub fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    NiceStep::at_least(raw).value()
}

/// Round ticks covering the request.
///
/// ```
/// use kpi_chart::{nice_ticks, TickRequest};
/// // Employment rates 61–74 % on a percentage axis: zero baseline, steps of 20 pp, not
/// // beyond 100 %.
/// let req = TickRequest { zero_baseline: true, min_step: Some(1.0), soft_max: Some(100.0),
///                         ..TickRequest::new(61.0, 74.0, 6) };
/// let t = nice_ticks(&req);
/// assert_eq!(t.values, vec![0.0, 20.0, 40.0, 60.0, 80.0]);
/// ```
pub fn nice_ticks(req: &TickRequest) -> Ticks {
    let (mut lo, mut hi) = (req.data_min, req.data_max);
    if !lo.is_finite() || !hi.is_finite() {
        // No data: an honest empty axis from 0 to 1 (or the fixed ends).
        let fixed =
            req.fixed_min.is_some_and(f64::is_finite) || req.fixed_max.is_some_and(f64::is_finite);
        if !fixed {
            return fallback_ticks();
        }
        lo = 0.0;
        hi = 1.0;
    }
    if lo > hi {
        std::mem::swap(&mut lo, &mut hi);
    }
    if req.zero_baseline {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if let Some(m) = req.fixed_min.filter(|v| v.is_finite()) {
        lo = m;
    }
    if let Some(m) = req.fixed_max.filter(|v| v.is_finite()) {
        hi = m;
    }
    if lo > hi {
        std::mem::swap(&mut lo, &mut hi);
    }
    let min_step = req
        .min_step
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(0.0);
    if hi - lo <= f64::EPSILON * hi.abs().max(lo.abs()).max(1e-300) {
        // A single value: open a window around it that shows it on a round step.
        if lo == 0.0 {
            hi = min_step.max(1.0);
        } else {
            let pad = (lo.abs() * 0.1).max(min_step);
            if req.zero_baseline {
                if lo > 0.0 {
                    lo = 0.0;
                } else {
                    hi = 0.0;
                }
            } else {
                lo -= pad;
                hi += pad;
            }
        }
    }
    let span = hi - lo;
    if !span.is_finite() || span <= 0.0 {
        return fallback_ticks();
    }
    // An axis across zero needs a tick below, at and above zero.
    let max_ticks = if lo < 0.0 && hi > 0.0 {
        req.max_ticks.max(3)
    } else {
        req.max_ticks.max(2)
    };
    let mut step = NiceStep::at_least((span / (max_ticks - 1) as f64).max(min_step));
    for _ in 0..64 {
        let s = step.value();
        if !s.is_finite() || s <= 0.0 {
            return fallback_ticks();
        }
        // Tolerances absorb floating-point noise (0.3 / 0.1 = 2.9999999999999996).
        let mut k_lo = (lo / s + 1e-9).floor() as i64;
        let mut k_hi = (hi / s - 1e-9).ceil() as i64;
        if req.fixed_min.is_some_and(f64::is_finite) {
            k_lo = (lo / s - 1e-9).ceil() as i64;
        }
        if req.fixed_max.is_some_and(f64::is_finite) {
            k_hi = (hi / s + 1e-9).floor() as i64;
        }
        if let Some(soft) = req.soft_max.filter(|m| m.is_finite() && hi <= *m) {
            k_hi = k_hi.min((soft / s + 1e-9).floor() as i64).max(k_lo + 1);
        }
        let count = (k_hi - k_lo + 1).max(0) as usize;
        if count <= max_ticks {
            let values: Vec<f64> = (k_lo..=k_hi).map(|k| step.times(k)).collect();
            if values.iter().any(|v| !v.is_finite()) {
                return fallback_ticks();
            }
            let axis_min = req
                .fixed_min
                .filter(|v| v.is_finite())
                .unwrap_or_else(|| values.first().copied().unwrap_or(lo))
                .min(values.first().copied().unwrap_or(lo));
            let axis_max = req
                .fixed_max
                .filter(|v| v.is_finite())
                .unwrap_or_else(|| values.last().copied().unwrap_or(hi))
                .max(values.last().copied().unwrap_or(hi));
            // A soft maximum may cut the last tick below the data when rounding; never
            // let the axis end below the data.
            let axis_max = axis_max.max(hi.min(req.soft_max.unwrap_or(f64::INFINITY)));
            return Ticks {
                min: axis_min,
                max: axis_max,
                step: s,
                values,
            };
        }
        step = step.next();
    }
    fallback_ticks()
}

fn fallback_ticks() -> Ticks {
    Ticks {
        min: 0.0,
        max: 1.0,
        step: 1.0,
        values: vec![0.0, 1.0],
    }
}

/// Years to label on a time axis from `first` to `last`: every year when `max_labels`
/// allows, otherwise every 2nd, 5th, 10th … year, on multiples of the step.
///
/// ```
/// use kpi_chart::year_ticks;
/// assert_eq!(year_ticks(2019, 2023, 10), vec![2019, 2020, 2021, 2022, 2023]);
/// assert_eq!(year_ticks(2011, 2024, 6), vec![2012, 2016, 2020, 2024]);
/// ```
pub fn year_ticks(first: Year, last: Year, max_labels: usize) -> Vec<Year> {
    if last < first {
        return Vec::new();
    }
    let max_labels = max_labels.max(1) as i64;
    let span = i64::from(last) - i64::from(first) + 1;
    for step in [
        1i64, 2, 4, 5, 10, 20, 25, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000,
        100_000, 200_000, 500_000, 1_000_000,
    ] {
        let start = (i64::from(first) + step - 1).div_euclid(step) * step;
        let count = if start > i64::from(last) {
            0
        } else {
            (i64::from(last) - start) / step + 1
        };
        if count <= max_labels || step >= span {
            let ticks: Vec<Year> = (0..count)
                .filter_map(|i| Year::try_from(start + i * step).ok())
                .collect();
            if ticks.is_empty() {
                return vec![first];
            }
            return ticks;
        }
    }
    vec![first]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pct(min: f64, max: f64, n: usize) -> TickRequest {
        TickRequest {
            zero_baseline: true,
            min_step: Some(1.0),
            soft_max: Some(100.0),
            ..TickRequest::new(min, max, n)
        }
    }

    fn is_round(step: f64) -> bool {
        let e = step.log10().floor();
        let m = step / 10f64.powf(e);
        [1.0, 2.0, 5.0, 10.0].iter().any(|r| (m - r).abs() < 1e-9)
    }

    #[test]
    fn percent_axis_full_range_uses_20_or_10_points() {
        let t = nice_ticks(&pct(3.0, 97.0, 6));
        assert_eq!(t.values, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let t = nice_ticks(&pct(3.0, 97.0, 11));
        assert_eq!(t.step, 10.0);
        assert_eq!(t.max, 100.0);
    }

    #[test]
    fn percent_axis_never_steps_below_one_point() {
        // Dropout rates 0.2–1.4 %: a plain 1-2-5 rule would pick 0.2 or 0.5 %, the unit's
        // minimum makes it 1 pp: ticks 0, 1, 2.
        let t = nice_ticks(&pct(0.2, 1.4, 8));
        assert_eq!(t.step, 1.0);
        assert_eq!(t.values, vec![0.0, 1.0, 2.0]);
    }

    #[test]
    fn zero_baseline_and_negative_ranges() {
        // Values −37 … −12 on a zero-based axis: range −37 … 0, step 10 → −40 … 0.
        let mut r = TickRequest::new(-37.0, -12.0, 6);
        r.zero_baseline = true;
        let t = nice_ticks(&r);
        assert_eq!(t.values, vec![-40.0, -30.0, -20.0, -10.0, 0.0]);
        // Mixed signs without a zero baseline: −3.2 … 4.1, 6 ticks → span 7.3/5 = 1.46 → 2.
        let t = nice_ticks(&TickRequest::new(-3.2, 4.1, 6));
        assert_eq!(t.values, vec![-4.0, -2.0, 0.0, 2.0, 4.0, 6.0]);
    }

    #[test]
    fn tiny_ranges_get_decimal_steps() {
        // GPA-like 0.97–1.03 parity index, no zero baseline: span 0.06 / 4 = 0.015 → 0.02.
        let t = nice_ticks(&TickRequest::new(0.97, 1.03, 5));
        assert_eq!(t.step, 0.02);
        assert_eq!(t.values, vec![0.96, 0.98, 1.0, 1.02, 1.04]);
    }

    #[test]
    fn huge_kzt_values() {
        // Budgets up to 4.3 billion tenge: 0 … 5e9 in steps of 1e9.
        let mut r = TickRequest::new(2.1e8, 4.3e9, 6);
        r.zero_baseline = true;
        let t = nice_ticks(&r);
        assert_eq!(t.step, 1e9);
        assert_eq!(t.values, vec![0.0, 1e9, 2e9, 3e9, 4e9, 5e9]);
        let t = nice_ticks(&TickRequest::new(1e300, 1.7e308, 5));
        assert!(t.values.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn single_values_and_no_data() {
        // All values 0 with zero baseline on a percentage axis: 0 … 1.
        assert_eq!(nice_ticks(&pct(0.0, 0.0, 5)).values, vec![0.0, 1.0]);
        // All values 50 %: 0 … 50.
        let t = nice_ticks(&pct(50.0, 50.0, 6));
        assert_eq!(t.values.first(), Some(&0.0));
        assert!(t.max >= 50.0);
        // A single GPA of 3.0 without zero baseline: 2.7 … 3.3 window → 2.6 … 3.4 at 0.2.
        let t = nice_ticks(&TickRequest::new(3.0, 3.0, 5));
        assert!(t.min < 3.0 && t.max > 3.0);
        let t = nice_ticks(&TickRequest::new(f64::NAN, f64::NAN, 5));
        assert_eq!(t.values, vec![0.0, 1.0]);
    }

    #[test]
    fn fixed_ends_are_respected() {
        let mut r = TickRequest::new(40.0, 90.0, 6);
        r.fixed_min = Some(40.0);
        r.fixed_max = Some(90.0);
        let t = nice_ticks(&r);
        assert_eq!((t.min, t.max), (40.0, 90.0));
        assert!(t.values.iter().all(|v| (40.0..=90.0).contains(v)));
    }

    #[test]
    fn steps_are_round_and_cover_the_data() {
        let cases = [
            (0.0, 1.0),
            (0.013, 0.018),
            (12.0, 13.5),
            (-5.5, 1e6),
            (3.3e-7, 9.1e-7),
            (71.2, 71.2),
            (1.0, 99.9),
        ];
        for (lo, hi) in cases {
            for n in 2..12 {
                let t = nice_ticks(&TickRequest::new(lo, hi, n));
                assert!(is_round(t.step), "{lo}..{hi} n={n}: {}", t.step);
                assert!(t.min <= lo && t.max >= hi, "{lo}..{hi}: {t:?}");
                // Across zero, three ticks (−s, 0, s) is the least that covers the data.
                let least = if lo < 0.0 && hi > 0.0 { 3 } else { 2 };
                assert!(t.values.len() <= n.max(least), "{lo}..{hi} n={n}: {t:?}");
            }
        }
    }

    #[test]
    fn year_labels_thin_out() {
        assert_eq!(year_ticks(2020, 2020, 5), vec![2020]);
        assert_eq!(
            year_ticks(2015, 2024, 5),
            vec![2016, 2018, 2020, 2022, 2024]
        );
        assert_eq!(year_ticks(2015, 2024, 1), vec![2020]);
        assert!(year_ticks(2024, 2015, 5).is_empty());
    }
}
