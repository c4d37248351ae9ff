//! Dynamic analysis: one unit, one indicator, over years (docs/methods.md, "Dynamic analysis").
//!
//! The input is a series of `(year, value)` pairs in any order, where a value
//! of `None` is a year for which the indicator is not computable. Years are
//! sorted; a year given twice is an error. Missing years are simply absent
//! from the computations, and every statistic uses the real distances between
//! years (a series 2018, 2019, 2021 has a two-year step at the end).
//! Non-finite values (NaN, ±∞) are left out like missing ones and listed in
//! [`DynamicAnalysis::skipped`].
//!
//! | statistic | minimum | definition |
//! |---|---|---|
//! | change | 2 values | from the previous *available* year: absolute `v − v_prev`, relative `(v − v_prev) / v_prev` (needs `v_prev > 0`) |
//! | index | 1 value | `100 × v / v_first` (needs `v_first > 0`) |
//! | moving average | 3 consecutive years | centred `(v_{t−1} + v_t + v_{t+1}) / 3`; for the last available year trailing `(v_{t−2} + v_{t−1} + v_t) / 3`; not computable when a year of the window has no value (no interpolation across gaps, no mixing of centred and trailing windows inside the series) |
//! | CAGR | 2 values | `(v_last / v_first)^(1 / (year_last − year_first)) − 1`, both positive |
//! | linear trend | 3 values | OLS of value on year: slope, intercept, R², SE of the slope, `t`, two-sided p (Student's t, n − 2 df), 95% CI of the slope |
//! | Mann–Kendall | 4 values (at most [`MAX_PAIRWISE_VALUES`]) | S, variance with tie correction, Z with continuity correction, two-sided normal p, Sen's slope |
//! | forecast | 3 values | the trend line 1–3 years after the last year with the 95% prediction interval `ŷ ± t(0.975, n−2)·s·√(1 + 1/n + (x₀ − x̄)²/Sxx)` |
//! | signals | 5 values | the latest value against the years before it (see [`signals`]) |
//!
//! A trend is *significant* when `p < 0.05`. Its verdict follows the
//! indicator's [`Direction`]: a rising `higher` indicator improves, a rising
//! `lower` one worsens, and a `target` band improves when the trend moves
//! toward the band from the side where the latest value lies.

use super::computed::{computed_serde, finite, Computed, NotComputable};
use super::numeric::{
    noise_tolerance, normal_two_sided_p, t_975, t_two_sided_p, RobustScale, RobustSpread,
};
use super::order::median_in_place;
use super::Interval;
use kpi_model::{Direction, Year, YearSpan};
use serde::{Deserialize, Serialize};

/// The significance level of trend tests and the complement of interval coverage.
pub const SIGNIFICANCE_LEVEL: f64 = 0.05;
/// Values needed for a linear trend (and a forecast).
pub const MIN_TREND_VALUES: usize = 3;
/// Values needed for the Mann–Kendall test and Sen's slope.
pub const MIN_MANN_KENDALL_VALUES: usize = 4;
/// The largest series the pairwise statistics (Mann–Kendall, Sen's slope)
/// accept: their cost grows with n², and no yearly series is this long.
pub const MAX_PAIRWISE_VALUES: usize = 2000;
/// The furthest forecast, in years after the last available year.
pub const MAX_FORECAST_HORIZON: u32 = 3;
/// Available years needed before the latest one for the signal rules.
pub const MIN_SIGNAL_HISTORY: usize = 4;
/// How many robust standard deviations a change must exceed to signal.
pub const SIGNAL_ROBUST_SDS: f64 = 3.0;

/// One year of a series: `None` when the indicator is not computable that year.
pub type SeriesPoint = (Year, Option<f64>);

/// Why a given value was left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The value is NaN.
    NotANumber,
    /// The value is +∞ or −∞.
    Infinite,
}

/// A value left out of the analysis, with the reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedValue {
    /// The year of the value.
    pub year: Year,
    /// Why it was left out.
    pub reason: SkipReason,
}

/// The cleaned series: finite values sorted by year.
struct Clean {
    points: Vec<(Year, f64)>,
    skipped: Vec<SkippedValue>,
}

fn clean(series: &[SeriesPoint]) -> Computed<Clean> {
    let mut sorted;
    let series = if series.is_sorted_by_key(|p| p.0) {
        series
    } else {
        sorted = series.to_vec();
        sorted.sort_by_key(|p| p.0);
        &sorted[..]
    };
    if let Some(w) = series.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(NotComputable::DuplicateYear { year: w[0].0 });
    }
    let mut points = Vec::with_capacity(series.len());
    let mut skipped = Vec::new();
    for &(year, value) in series {
        match value {
            // `+ 0.0` turns −0 into +0 so that equal values compare equal in every way.
            Some(v) if v.is_finite() => points.push((year, v + 0.0)),
            Some(v) => skipped.push(SkippedValue {
                year,
                reason: if v.is_nan() {
                    SkipReason::NotANumber
                } else {
                    SkipReason::Infinite
                },
            }),
            None => {}
        }
    }
    Ok(Clean { points, skipped })
}

fn value_in(points: &[(Year, f64)], year: Year) -> Option<f64> {
    points
        .binary_search_by_key(&year, |p| p.0)
        .ok()
        .and_then(|i| points.get(i))
        .map(|p| p.1)
}

fn years_between(from: Year, to: Year) -> i64 {
    to as i64 - from as i64
}

// ---------------------------------------------------------------------------
// Year table: change, index, moving average
// ---------------------------------------------------------------------------

/// The change of a value from the previous available year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The previous available year (not necessarily `year − 1`).
    pub from_year: Year,
    /// The value in `from_year`.
    pub from_value: f64,
    /// Years between `from_year` and this year (≥ 1).
    pub years_apart: i64,
    /// `value − from_value`, in the indicator's units.
    pub absolute: f64,
    /// `(value − from_value) / from_value` as a ratio (0.1 = +10 %); needs
    /// `from_value > 0`.
    #[serde(with = "computed_serde")]
    pub relative: Computed<f64>,
}

/// How a moving-average window sits around its year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Window {
    /// `t − 1, t, t + 1`.
    Centred,
    /// `t − 2, t − 1, t` (the last available year only).
    Trailing,
}

/// A 3-year moving average.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MovingAverage {
    /// The mean of the three values.
    pub value: f64,
    /// The years averaged (three consecutive years).
    pub window: YearSpan,
    /// Centred or trailing.
    pub kind: Window,
}

/// One available year of a series with its change, index and moving average.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearRow {
    /// The year.
    pub year: Year,
    /// The value.
    pub value: f64,
    /// Change from the previous available year.
    #[serde(with = "computed_serde")]
    pub change: Computed<Change>,
    /// `100 × value / first value` (first available year = 100).
    #[serde(with = "computed_serde")]
    pub index: Computed<f64>,
    /// 3-year moving average.
    #[serde(with = "computed_serde")]
    pub moving_average: Computed<MovingAverage>,
}

/// The year-by-year table: for every available year its change from the
/// previous available year, its index (first year = 100) and its 3-year
/// moving average. See the [module documentation](self) for the definitions.
///
/// ```
/// use kpi_stats::dynamic::year_table;
/// let rows = year_table(&[(2019, Some(50.0)), (2020, Some(60.0)), (2022, Some(66.0))]).unwrap();
/// let last = &rows[2];
/// let change = last.change.as_ref().unwrap();
/// assert_eq!((change.from_year, change.years_apart, change.absolute), (2020, 2, 6.0));
/// assert!((change.relative.as_ref().unwrap() - 0.1).abs() < 1e-12);
/// assert!((last.index.as_ref().unwrap() - 132.0).abs() < 1e-12);
/// assert!(last.moving_average.is_err()); // 2021 has no value
/// ```
pub fn year_table(series: &[SeriesPoint]) -> Computed<Vec<YearRow>> {
    Ok(rows(&clean(series)?.points))
}

fn rows(points: &[(Year, f64)]) -> Vec<YearRow> {
    let base = points.first().copied();
    points
        .iter()
        .enumerate()
        .map(|(i, &(year, value))| YearRow {
            year,
            value,
            change: change_at(points, i),
            index: match base {
                Some((_, base_value)) if base_value > 0.0 => finite(100.0 * (value / base_value)),
                Some((base_year, base_value)) => Err(NotComputable::NotPositive {
                    year: base_year,
                    value: base_value,
                }),
                None => Err(NotComputable::too_few(1, 0)),
            },
            moving_average: moving_average_at(points, i),
        })
        .collect()
}

fn change_at(points: &[(Year, f64)], i: usize) -> Computed<Change> {
    let (year, value) = points.get(i).copied().ok_or(NotComputable::too_few(1, 0))?;
    let (from_year, from_value) = match i.checked_sub(1).and_then(|j| points.get(j)) {
        Some(&p) => p,
        None => return Err(NotComputable::NoEarlierValue { year }),
    };
    let absolute = finite(value - from_value)?;
    let relative = if from_value > 0.0 {
        finite(absolute / from_value)
    } else {
        Err(NotComputable::NotPositive {
            year: from_year,
            value: from_value,
        })
    };
    Ok(Change {
        from_year,
        from_value,
        years_apart: years_between(from_year, year),
        absolute,
        relative,
    })
}

fn moving_average_at(points: &[(Year, f64)], i: usize) -> Computed<MovingAverage> {
    let (year, _) = points.get(i).copied().ok_or(NotComputable::too_few(1, 0))?;
    let is_last = i + 1 == points.len();
    let (kind, first, last) = if is_last {
        (Window::Trailing, year.checked_sub(2), Some(year))
    } else {
        (Window::Centred, year.checked_sub(1), year.checked_add(1))
    };
    let (Some(first), Some(last)) = (first, last) else {
        return Err(NotComputable::Overflow);
    };
    let mut sum = 0.0;
    let mut missing = Vec::new();
    for y in first..=last {
        match value_in(points, y) {
            Some(v) => sum += v,
            None => missing.push(y),
        }
    }
    if !missing.is_empty() {
        return Err(NotComputable::IncompleteWindow {
            first,
            last,
            missing,
        });
    }
    Ok(MovingAverage {
        value: finite(sum / 3.0)?,
        window: YearSpan::new(first, last),
        kind,
    })
}

// ---------------------------------------------------------------------------
// CAGR
// ---------------------------------------------------------------------------

/// The compound annual growth rate over the series.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cagr {
    /// `(last / first)^(1 / years) − 1`, a ratio per year (0.05 = +5 % a year).
    pub rate: f64,
    /// First available year.
    pub first_year: Year,
    /// Its value.
    pub first_value: f64,
    /// Last available year.
    pub last_year: Year,
    /// Its value.
    pub last_value: f64,
    /// `last_year − first_year`.
    pub years: i64,
}

/// The compound annual growth rate from the first to the last available
/// year; needs 2 values, both positive.
///
/// ```
/// use kpi_stats::dynamic::cagr;
/// // (121 / 100)^(1/2) − 1 = 0.1
/// let g = cagr(&[(2020, Some(100.0)), (2021, None), (2022, Some(121.0))]).unwrap();
/// assert!((g.rate - 0.1).abs() < 1e-12);
/// ```
pub fn cagr(series: &[SeriesPoint]) -> Computed<Cagr> {
    cagr_of(&clean(series)?.points)
}

fn cagr_of(points: &[(Year, f64)]) -> Computed<Cagr> {
    let (Some(&(first_year, first_value)), Some(&(last_year, last_value))) =
        (points.first(), points.last())
    else {
        return Err(NotComputable::too_few(2, 0));
    };
    if points.len() < 2 {
        return Err(NotComputable::too_few(2, points.len()));
    }
    for (year, value) in [(first_year, first_value), (last_year, last_value)] {
        if value <= 0.0 {
            return Err(NotComputable::NotPositive { year, value });
        }
    }
    let years = years_between(first_year, last_year);
    // exp((ln last − ln first) / years) − 1, without overflow of last / first.
    let rate = ((last_value.ln() - first_value.ln()) / years as f64).exp_m1();
    Ok(Cagr {
        rate: finite(rate)?,
        first_year,
        first_value,
        last_year,
        last_value,
        years,
    })
}

// ---------------------------------------------------------------------------
// Linear trend
// ---------------------------------------------------------------------------

/// What a trend means for the indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendVerdict {
    /// Significant, in the better direction.
    Improving,
    /// Significant, in the worse direction.
    Worsening,
    /// `p ≥ 0.05` (or a slope of exactly 0).
    NoSignificantTrend,
    /// Significant, but the latest value lies inside the indicator's target
    /// band, so the trend neither improves nor worsens it yet.
    WithinTargetBand,
}

/// Turns a slope and its p-value into a verdict for an indicator of
/// `direction` whose latest value is `latest`.
fn verdict(slope: f64, p_value: f64, direction: Direction, latest: f64) -> TrendVerdict {
    // A NaN p-value is not significant either.
    if p_value.is_nan() || p_value >= SIGNIFICANCE_LEVEL || slope == 0.0 {
        return TrendVerdict::NoSignificantTrend;
    }
    let better_if_rising = match direction {
        Direction::Higher => true,
        Direction::Lower => false,
        Direction::Target { min, max } => {
            if latest < min.min(max) {
                true
            } else if latest > max.max(min) {
                false
            } else {
                return TrendVerdict::WithinTargetBand;
            }
        }
    };
    if (slope > 0.0) == better_if_rising {
        TrendVerdict::Improving
    } else {
        TrendVerdict::Worsening
    }
}

/// An ordinary-least-squares fit of value on year, in centred form.
#[derive(Clone, Copy, Debug)]
struct Fit {
    n: usize,
    first_year: Year,
    last_year: Year,
    x_mean: f64,
    y_mean: f64,
    sxx: f64,
    syy: f64,
    slope: f64,
    sse: f64,
}

impl Fit {
    /// Fits `points` (distinct years, at least 3 of them).
    fn of(points: &[(Year, f64)]) -> Computed<Fit> {
        let n = points.len();
        let (Some(&(first_year, _)), Some(&(last_year, _))) = (points.first(), points.last())
        else {
            return Err(NotComputable::too_few(MIN_TREND_VALUES, n));
        };
        if n < MIN_TREND_VALUES {
            return Err(NotComputable::too_few(MIN_TREND_VALUES, n));
        }
        let nf = n as f64;
        let x_mean = points.iter().map(|p| p.0 as f64).sum::<f64>() / nf;
        let y_mean = finite(points.iter().map(|p| p.1).sum::<f64>() / nf)?;
        let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
        for &(x, y) in points {
            let dx = x as f64 - x_mean;
            let dy = y - y_mean;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        let slope = finite(sxy / sxx)?;
        let sse: f64 = points
            .iter()
            .map(|&(x, y)| {
                let r = y - y_mean - slope * (x as f64 - x_mean);
                r * r
            })
            .sum();
        finite(syy)?;
        finite(sse)?;
        Ok(Fit {
            n,
            first_year,
            last_year,
            x_mean,
            y_mean,
            sxx,
            syy,
            slope,
            sse,
        })
    }

    fn df(&self) -> usize {
        self.n - 2
    }

    /// `s = √(SSE / (n − 2))`.
    fn residual_sd(&self) -> f64 {
        (self.sse / self.df() as f64).sqrt()
    }

    fn value_at(&self, year: f64) -> f64 {
        self.y_mean + self.slope * (year - self.x_mean)
    }

    /// Standard error of a new observation at `year`:
    /// `s·√(1 + 1/n + (x₀ − x̄)²/Sxx)`.
    fn prediction_se(&self, year: f64) -> f64 {
        let dx = year - self.x_mean;
        self.residual_sd() * (1.0 + 1.0 / self.n as f64 + dx * dx / self.sxx).sqrt()
    }

    fn prediction(&self, year: Year) -> Computed<ForecastPoint> {
        let x = year as f64;
        let value = finite(self.value_at(x))?;
        let half = finite(t_975(self.df() as f64) * self.prediction_se(x))?;
        Ok(ForecastPoint {
            year,
            value,
            lower: finite(value - half)?,
            upper: finite(value + half)?,
        })
    }
}

/// An ordinary-least-squares linear trend of value on year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinearTrend {
    /// Values fitted.
    pub n: usize,
    /// First and last year fitted.
    pub years: YearSpan,
    /// Change per year, in the indicator's units.
    pub slope: f64,
    /// The line's value at year 0 (as `scipy.stats.linregress` reports it);
    /// use [`LinearTrend::value_at`] for values in the data's range.
    pub intercept: f64,
    /// Coefficient of determination; not computable when all values are equal.
    #[serde(with = "computed_serde")]
    pub r_squared: Computed<f64>,
    /// Standard error of the slope (0 for an exact fit).
    pub slope_se: f64,
    /// Residual standard deviation `s = √(SSE / (n − 2))`.
    pub residual_sd: f64,
    /// `slope / slope_se`; not computable for an exact fit (the line passes
    /// through every point) or when all values are equal.
    #[serde(with = "computed_serde")]
    pub t: Computed<f64>,
    /// Degrees of freedom, `n − 2`.
    pub df: usize,
    /// Two-sided p-value of the slope. By continuity, 0 for an exact fit with
    /// a non-zero slope and 1 when all values are equal.
    pub p_value: f64,
    /// 95% confidence interval of the slope, `slope ± t(0.975, n−2)·slope_se`.
    pub slope_ci: Interval,
    /// What the trend means for the indicator.
    pub verdict: TrendVerdict,
    /// Mean of the fitted years (x̄).
    pub mean_year: f64,
    /// Mean of the fitted values (ȳ).
    pub mean_value: f64,
    /// `Sxx = Σ (year − x̄)²`.
    pub sxx: f64,
}

impl LinearTrend {
    fn from_fit(fit: &Fit, direction: Direction, latest: f64) -> Computed<LinearTrend> {
        let se = fit.residual_sd() / fit.sxx.sqrt();
        let (t, p_value) = if fit.syy == 0.0 {
            (Err(NotComputable::AllValuesEqual), 1.0)
        } else if fit.sse == 0.0 || se == 0.0 {
            (Err(NotComputable::ExactFit), 0.0)
        } else {
            match finite(fit.slope / se) {
                Ok(t) => (Ok(t), t_two_sided_p(t, fit.df() as f64)),
                Err(_) => (Err(NotComputable::ExactFit), 0.0),
            }
        };
        let r_squared = if fit.syy == 0.0 {
            Err(NotComputable::AllValuesEqual)
        } else {
            // 1 − SSE/Syy equals Sxy²/(Sxx·Syy) and stays accurate near 1.
            Ok((1.0 - fit.sse / fit.syy).clamp(0.0, 1.0))
        };
        let half = finite(t_975(fit.df() as f64) * se)?;
        Ok(LinearTrend {
            n: fit.n,
            years: YearSpan::new(fit.first_year, fit.last_year),
            slope: fit.slope,
            intercept: finite(fit.y_mean - fit.slope * fit.x_mean)?,
            r_squared,
            slope_se: finite(se)?,
            residual_sd: finite(fit.residual_sd())?,
            t,
            df: fit.df(),
            p_value,
            slope_ci: Interval {
                lower: finite(fit.slope - half)?,
                upper: finite(fit.slope + half)?,
            },
            verdict: verdict(fit.slope, p_value, direction, latest),
            mean_year: fit.x_mean,
            mean_value: fit.y_mean,
            sxx: fit.sxx,
        })
    }

    fn fit(&self) -> Fit {
        Fit {
            n: self.n,
            first_year: self.years.first,
            last_year: self.years.last,
            x_mean: self.mean_year,
            y_mean: self.mean_value,
            sxx: self.sxx,
            syy: f64::NAN, // not needed for predictions
            slope: self.slope,
            sse: self.residual_sd * self.residual_sd * self.df as f64,
        }
    }

    /// The trend line's value at `year`.
    pub fn value_at(&self, year: Year) -> f64 {
        self.mean_value + self.slope * (year as f64 - self.mean_year)
    }

    /// The line's value at `year` with the 95% prediction interval of a new
    /// observation there.
    pub fn prediction(&self, year: Year) -> Computed<ForecastPoint> {
        self.fit().prediction(year)
    }
}

/// The OLS linear trend of value on year (needs 3 values). The verdict
/// follows `direction`; for a target band, the latest value decides on which
/// side of the band the unit is.
///
/// ```
/// use kpi_stats::dynamic::{linear_trend, TrendVerdict};
/// use kpi_model::Direction;
/// let series = [(2019, Some(61.0)), (2020, Some(64.5)), (2021, Some(67.0)),
///               (2022, Some(71.0)), (2023, Some(74.0))];
/// let trend = linear_trend(&series, Direction::Higher).unwrap();
/// // scipy.stats.linregress: slope 3.25, p 8.94e-05
/// assert!((trend.slope - 3.25).abs() < 1e-9); // points a year
/// assert!(trend.p_value < 0.001);
/// assert_eq!(trend.verdict, TrendVerdict::Improving);
/// assert_eq!(linear_trend(&series, Direction::Lower).unwrap().verdict, TrendVerdict::Worsening);
/// ```
pub fn linear_trend(series: &[SeriesPoint], direction: Direction) -> Computed<LinearTrend> {
    trend_of(&clean(series)?.points, direction)
}

fn trend_of(points: &[(Year, f64)], direction: Direction) -> Computed<LinearTrend> {
    let fit = Fit::of(points)?;
    let latest = points.last().map_or(f64::NAN, |p| p.1);
    LinearTrend::from_fit(&fit, direction, latest)
}

// ---------------------------------------------------------------------------
// Mann–Kendall and Sen's slope
// ---------------------------------------------------------------------------

/// The Mann–Kendall trend test with Sen's slope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MannKendall {
    /// Values tested.
    pub n: usize,
    /// `S = Σ_{i<j} sign(v_j − v_i)` over pairs ordered by year.
    pub s: i64,
    /// `Var(S) = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18`, `t` the sizes of groups of equal values.
    pub var_s: f64,
    /// `(S − 1)/√Var(S)` for `S > 0`, `(S + 1)/√Var(S)` for `S < 0`, 0 for `S = 0`.
    pub z: f64,
    /// Two-sided p-value from the standard normal distribution.
    pub p_value: f64,
    /// Kendall's tau, `S / (n(n−1)/2)`.
    pub tau: f64,
    /// Sen's slope: the median of `(v_j − v_i) / (year_j − year_i)` over all pairs, units per year.
    pub sen_slope: f64,
    /// `median(values) − sen_slope × median(years)`: the Sen line's value at year 0.
    pub sen_intercept: f64,
    /// What the trend means for the indicator (Sen's slope, p < 0.05).
    pub verdict: TrendVerdict,
}

/// The Mann–Kendall test with tie correction and Sen's slope (needs 4 values,
/// at most [`MAX_PAIRWISE_VALUES`]).
///
/// ```
/// use kpi_stats::dynamic::mann_kendall;
/// use kpi_model::Direction;
/// let s = [(2019, Some(3.0)), (2020, Some(1.0)), (2021, Some(4.0)), (2022, Some(6.0))];
/// let mk = mann_kendall(&s, Direction::Higher).unwrap();
/// // pairs: (3,1)−, (3,4)+, (3,6)+, (1,4)+, (1,6)+, (4,6)+ → S = 4; Var = 4·3·13/18
/// assert_eq!(mk.s, 4);
/// assert!((mk.var_s - 156.0 / 18.0).abs() < 1e-12);
/// ```
pub fn mann_kendall(series: &[SeriesPoint], direction: Direction) -> Computed<MannKendall> {
    mann_kendall_of(&clean(series)?.points, direction)
}

fn mann_kendall_of(points: &[(Year, f64)], direction: Direction) -> Computed<MannKendall> {
    let n = points.len();
    if n < MIN_MANN_KENDALL_VALUES {
        return Err(NotComputable::too_few(MIN_MANN_KENDALL_VALUES, n));
    }
    if n > MAX_PAIRWISE_VALUES {
        return Err(NotComputable::TooManyValues {
            max: MAX_PAIRWISE_VALUES,
            got: n,
        });
    }
    let mut s: i64 = 0;
    let mut slopes = Vec::with_capacity(n * (n - 1) / 2);
    for (i, &(xi, yi)) in points.iter().enumerate() {
        for &(xj, yj) in &points[i + 1..] {
            s += match yj.partial_cmp(&yi) {
                Some(std::cmp::Ordering::Greater) => 1,
                Some(std::cmp::Ordering::Less) => -1,
                _ => 0,
            };
            slopes.push((yj - yi) / years_between(xi, xj) as f64);
        }
    }
    let mut values: Vec<f64> = points.iter().map(|p| p.1).collect();
    values.sort_by(f64::total_cmp);
    let tie_term: f64 = values
        .chunk_by(|a, b| a == b)
        .map(|group| {
            let t = group.len() as f64;
            t * (t - 1.0) * (2.0 * t + 5.0)
        })
        .sum();
    let nf = n as f64;
    let var_s = (nf * (nf - 1.0) * (2.0 * nf + 5.0) - tie_term) / 18.0;
    let z = match s.signum() {
        1 => (s - 1) as f64 / var_s.sqrt(),
        -1 => (s + 1) as f64 / var_s.sqrt(),
        _ => 0.0,
    };
    let p_value = normal_two_sided_p(z);
    let sen_slope = finite(median_in_place(&mut slopes))?;
    let median_value = median_in_place(&mut values);
    let mut years: Vec<f64> = points.iter().map(|p| p.0 as f64).collect();
    let median_year = median_in_place(&mut years);
    let latest = points.last().map_or(f64::NAN, |p| p.1);
    Ok(MannKendall {
        n,
        s,
        var_s,
        z: finite(z)?,
        p_value,
        tau: s as f64 / (nf * (nf - 1.0) / 2.0),
        sen_slope,
        sen_intercept: finite(median_value - sen_slope * median_year)?,
        verdict: verdict(sen_slope, p_value, direction, latest),
    })
}

// ---------------------------------------------------------------------------
// Forecast
// ---------------------------------------------------------------------------

/// A value of the trend line with its 95% prediction interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForecastPoint {
    /// The year.
    pub year: Year,
    /// The trend line's value `ŷ`.
    pub value: f64,
    /// `ŷ − t(0.975, n−2)·s·√(1 + 1/n + (x₀ − x̄)²/Sxx)`.
    pub lower: f64,
    /// `ŷ + t(0.975, n−2)·s·√(1 + 1/n + (x₀ − x̄)²/Sxx)`.
    pub upper: f64,
}

/// The trend line continued after the last available year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// The years the line was fitted on.
    pub fitted: YearSpan,
    /// Values fitted.
    pub n: usize,
    /// One point per year after the last available year.
    pub points: Vec<ForecastPoint>,
}

impl Forecast {
    /// The forecast with every point and band clamped to `[lowest, highest]`
    /// (a unit's natural bounds: a percentage never leaves 0–100, a ratio
    /// never falls below 0). The prediction interval is computed unclamped;
    /// only its ends are cut.
    ///
    /// ```
    /// use kpi_stats::dynamic::forecast;
    /// // 96, 97, 98, 99 % rising by 1 a year: 100 next year, band beyond 100 cut.
    /// let s = [(2020, Some(96.0)), (2021, Some(97.0)), (2022, Some(98.5)), (2023, Some(99.0))];
    /// let f = forecast(&s, 3).unwrap().clamped(0.0, 100.0);
    /// assert!(f.points.iter().all(|p| p.upper <= 100.0 && p.value <= 100.0));
    /// assert_eq!(f.points[2].upper, 100.0);
    /// ```
    pub fn clamped(mut self, lowest: f64, highest: f64) -> Forecast {
        if lowest <= highest {
            for p in &mut self.points {
                p.value = p.value.clamp(lowest, highest);
                p.lower = p.lower.clamp(lowest, highest);
                p.upper = p.upper.clamp(lowest, highest);
            }
        }
        self
    }
}

/// The trend line for the next `horizon` years (1 to [`MAX_FORECAST_HORIZON`])
/// after the last available year, with 95% prediction intervals (needs 3 values).
///
/// ```
/// use kpi_stats::dynamic::forecast;
/// let s = [(2020, Some(10.0)), (2021, Some(12.0)), (2022, Some(13.0)), (2023, Some(15.0))];
/// let f = forecast(&s, 2).unwrap();
/// assert_eq!(f.points.len(), 2);
/// assert_eq!(f.points[0].year, 2024);
/// assert!((f.points[0].value - 16.5).abs() < 1e-9); // 12.5 + 1.6 × 2.5
/// assert!(f.points[0].lower < 16.5 && f.points[0].upper > 16.5);
/// ```
pub fn forecast(series: &[SeriesPoint], horizon: u32) -> Computed<Forecast> {
    forecast_of(&clean(series)?.points, horizon)
}

fn forecast_of(points: &[(Year, f64)], horizon: u32) -> Computed<Forecast> {
    if !(1..=MAX_FORECAST_HORIZON).contains(&horizon) {
        return Err(NotComputable::invalid(
            "forecast horizon",
            horizon as f64,
            "1 to 3 years",
        ));
    }
    let fit = Fit::of(points)?;
    let points = (1..=horizon)
        .map(|h| {
            let year = fit
                .last_year
                .checked_add(h as i32)
                .ok_or(NotComputable::Overflow)?;
            fit.prediction(year)
        })
        .collect::<Computed<Vec<_>>>()?;
    Ok(Forecast {
        fitted: YearSpan::new(fit.first_year, fit.last_year),
        n: fit.n,
        points,
    })
}

// ---------------------------------------------------------------------------
// Signals
// ---------------------------------------------------------------------------

/// The rule that fired a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalRule {
    /// The latest value lies outside the 95% prediction interval of the
    /// trend fitted on the years before it.
    OutsidePredictionInterval,
    /// The latest change (per year) lies more than 3 robust standard
    /// deviations from the median of the past changes.
    UnusualChange,
}

/// Whether a deviation is good or bad news for the indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// The latest value is better than the rule expected.
    Better,
    /// The latest value is worse than the rule expected.
    Worse,
    /// Neither (e.g. both inside a target band).
    Neutral,
}

fn assess(direction: Direction, actual: f64, expected: f64) -> Assessment {
    let (a, e) = (direction.goodness(actual), direction.goodness(expected));
    if a > e {
        Assessment::Better
    } else if a < e {
        Assessment::Worse
    } else {
        Assessment::Neutral
    }
}

/// A fired signal: which rule, and by how much.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    /// The rule.
    pub rule: SignalRule,
    /// The latest year.
    pub year: Year,
    /// What was observed: the latest value (prediction-interval rule) or the
    /// latest change per year (change rule).
    pub observed: f64,
    /// What the rule expected: the trend's prediction, or the median past change per year.
    pub expected: f64,
    /// The bound that was crossed (interval bound, or median ± 3 robust SDs).
    pub bound: f64,
    /// `observed − bound`: how far beyond the bound, in the units of `observed`.
    pub excess: f64,
    /// The deviation in standard units: `(value − ŷ) / SE of prediction`, or
    /// the robust z of the change. Not computable when the history has no
    /// spread at all.
    #[serde(with = "computed_serde")]
    pub magnitude: Computed<f64>,
    /// Good or bad news by the indicator's direction.
    pub assessment: Assessment,
}

/// The prediction-interval rule, evaluated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IntervalCheck {
    /// The years the trend was fitted on (all before the latest).
    pub fitted: YearSpan,
    /// Values fitted.
    pub n: usize,
    /// The trend's prediction for the latest year, with its 95% interval.
    pub prediction: ForecastPoint,
    /// The latest value.
    pub value: f64,
    /// Whether the value lies outside the interval.
    pub fired: bool,
}

/// The change rule, evaluated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeCheck {
    /// The year before the latest (the latest change starts there).
    pub from_year: Year,
    /// The latest change per year, `(v_latest − v_from) / years`.
    pub change_per_year: f64,
    /// Past changes per year (between consecutive available years before the latest).
    pub past_changes: usize,
    /// Their median.
    pub median_past_change: f64,
    /// Their robust standard deviation (see `scale`).
    pub robust_sd: f64,
    /// Which spread measure `robust_sd` comes from.
    pub scale: RobustScale,
    /// `(change_per_year − median) / robust_sd`; not computable when all past changes are equal.
    #[serde(with = "computed_serde")]
    pub robust_z: Computed<f64>,
    /// Whether `|change_per_year − median| > 3 × robust_sd`.
    pub fired: bool,
}

/// Both signal rules for the latest value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Signals {
    /// The latest year.
    pub year: Year,
    /// The latest value.
    pub value: f64,
    /// The prediction-interval rule.
    #[serde(with = "computed_serde")]
    pub prediction_interval: Computed<IntervalCheck>,
    /// The change rule.
    #[serde(with = "computed_serde")]
    pub unusual_change: Computed<ChangeCheck>,
    /// The signals that fired (empty when the latest value is unremarkable).
    pub fired: Vec<Signal>,
}

/// Checks the latest value of a series against its history (needs
/// [`MIN_SIGNAL_HISTORY`] available years before the latest):
///
/// 1. **Prediction interval**: the OLS trend fitted on the earlier years
///    predicts the latest year; the rule fires when the latest value lies
///    outside the 95% prediction interval.
/// 2. **Unusual change**: the changes per year between consecutive available
///    earlier years give a median and a robust standard deviation
///    (`1.4826 × MAD`, or `1.253314 × mean absolute deviation` when the MAD
///    is 0); the rule fires when the latest change per year lies more than 3
///    robust standard deviations from that median. When all past changes are
///    equal, any other latest change fires.
///
/// Differences below `10⁻⁹ × max(1, max |value|)` are treated as
/// floating-point noise, so that an exactly linear history does not fire on
/// rounding.
///
/// ```
/// use kpi_stats::dynamic::{signals, SignalRule, Assessment};
/// use kpi_model::Direction;
/// let s = [(2018, Some(80.0)), (2019, Some(81.0)), (2020, Some(80.5)),
///          (2021, Some(81.5)), (2022, Some(81.0)), (2023, Some(70.0))];
/// let sig = signals(&s, Direction::Higher).unwrap();
/// assert_eq!(sig.fired.len(), 2);
/// assert!(sig.fired.iter().all(|f| f.assessment == Assessment::Worse));
/// assert_eq!(sig.fired[0].rule, SignalRule::OutsidePredictionInterval);
/// ```
pub fn signals(series: &[SeriesPoint], direction: Direction) -> Computed<Signals> {
    signals_of(&clean(series)?.points, direction)
}

fn signals_of(points: &[(Year, f64)], direction: Direction) -> Computed<Signals> {
    let needed = MIN_SIGNAL_HISTORY + 1;
    let Some((&(year, value), history)) = points.split_last() else {
        return Err(NotComputable::too_few(needed, 0));
    };
    if points.len() < needed {
        return Err(NotComputable::too_few(needed, points.len()));
    }
    let tolerance = noise_tolerance(points.iter().map(|p| p.1));
    let mut fired = Vec::new();

    let prediction_interval = Fit::of(history).and_then(|fit| {
        let prediction = fit.prediction(year)?;
        let outside = if value > prediction.upper + tolerance {
            Some(prediction.upper)
        } else if value < prediction.lower - tolerance {
            Some(prediction.lower)
        } else {
            None
        };
        if let Some(bound) = outside {
            let se = fit.prediction_se(year as f64);
            fired.push(Signal {
                rule: SignalRule::OutsidePredictionInterval,
                year,
                observed: value,
                expected: prediction.value,
                bound,
                excess: finite(value - bound)?,
                magnitude: if se > 0.0 {
                    finite((value - prediction.value) / se)
                } else {
                    Err(NotComputable::ExactFit)
                },
                assessment: assess(direction, value, prediction.value),
            });
        }
        Ok(IntervalCheck {
            fitted: YearSpan::new(fit.first_year, fit.last_year),
            n: fit.n,
            prediction,
            value,
            fired: outside.is_some(),
        })
    });

    let unusual_change = change_check(history, year, value, tolerance).inspect(|check| {
        if check.fired {
            let sign = if check.change_per_year > check.median_past_change {
                1.0
            } else {
                -1.0
            };
            let bound = check.median_past_change + sign * SIGNAL_ROBUST_SDS * check.robust_sd;
            let (from_year, from_value) = history.last().copied().unwrap_or((year, value));
            let expected_value =
                from_value + check.median_past_change * years_between(from_year, year) as f64;
            fired.push(Signal {
                rule: SignalRule::UnusualChange,
                year,
                observed: check.change_per_year,
                expected: check.median_past_change,
                bound,
                excess: check.change_per_year - bound,
                magnitude: check.robust_z.clone(),
                assessment: assess(direction, value, expected_value),
            });
        }
    });

    Ok(Signals {
        year,
        value,
        prediction_interval,
        unusual_change,
        fired,
    })
}

fn change_check(
    history: &[(Year, f64)],
    year: Year,
    value: f64,
    tolerance: f64,
) -> Computed<ChangeCheck> {
    let per_year = |a: (Year, f64), b: (Year, f64)| (b.1 - a.1) / years_between(a.0, b.0) as f64;
    let Some(&from) = history.last() else {
        return Err(NotComputable::too_few(MIN_SIGNAL_HISTORY + 1, 1));
    };
    let past: Vec<f64> = history.windows(2).map(|w| per_year(w[0], w[1])).collect();
    if past.len() < MIN_SIGNAL_HISTORY - 1 {
        return Err(NotComputable::too_few(
            MIN_SIGNAL_HISTORY + 1,
            history.len() + 1,
        ));
    }
    if past.iter().any(|c| !c.is_finite()) {
        return Err(NotComputable::Overflow);
    }
    let change_per_year = finite(per_year(from, (year, value)))?;
    let mut scratch = past.clone();
    let median = median_in_place(&mut scratch);
    let spread = RobustSpread::of(&past, median, &mut scratch);
    let deviation = finite(change_per_year - median)?;
    let robust_sd = finite(spread.sd)?;
    let robust_z = if robust_sd > 0.0 {
        finite(deviation / robust_sd)
    } else {
        Err(NotComputable::AllValuesEqual)
    };
    Ok(ChangeCheck {
        from_year: from.0,
        change_per_year,
        past_changes: past.len(),
        median_past_change: median,
        robust_sd,
        scale: spread.scale,
        robust_z,
        fired: deviation.abs() > SIGNAL_ROBUST_SDS * robust_sd + tolerance,
    })
}

// ---------------------------------------------------------------------------
// Everything at once
// ---------------------------------------------------------------------------

/// The complete dynamic analysis of one unit's indicator over years.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DynamicAnalysis {
    /// Available (finite) values.
    pub n: usize,
    /// First to last available year (`None` without values).
    pub span: Option<YearSpan>,
    /// Runs of years inside `span` without a value.
    pub gaps: Vec<YearSpan>,
    /// Non-finite values that were left out.
    pub skipped: Vec<SkippedValue>,
    /// One row per available year: change, index, moving average.
    pub years: Vec<YearRow>,
    /// Compound annual growth rate.
    #[serde(with = "computed_serde")]
    pub cagr: Computed<Cagr>,
    /// OLS linear trend.
    #[serde(with = "computed_serde")]
    pub trend: Computed<LinearTrend>,
    /// Mann–Kendall test with Sen's slope.
    #[serde(with = "computed_serde")]
    pub mann_kendall: Computed<MannKendall>,
    /// The trend line for the next [`MAX_FORECAST_HORIZON`] years.
    #[serde(with = "computed_serde")]
    pub forecast: Computed<Forecast>,
    /// Signals for the latest value.
    #[serde(with = "computed_serde")]
    pub signals: Computed<Signals>,
}

/// Runs every dynamic statistic on one series. Fails only when a year is
/// given twice; each statistic that lacks data says why in its own field.
///
/// ```
/// use kpi_stats::dynamic::{analyse_series, TrendVerdict};
/// use kpi_model::Direction;
/// let series = [(2019, Some(12.0)), (2020, Some(11.0)), (2021, None),
///               (2022, Some(9.5)), (2023, Some(8.0))];
/// let a = analyse_series(&series, Direction::Lower).unwrap(); // e.g. dropout rate, %
/// assert_eq!(a.n, 4);
/// assert_eq!(a.gaps.len(), 1);
/// assert_eq!(a.trend.as_ref().unwrap().verdict, TrendVerdict::Improving);
/// assert!(a.signals.is_err()); // needs 5 values
/// ```
pub fn analyse_series(series: &[SeriesPoint], direction: Direction) -> Computed<DynamicAnalysis> {
    let Clean { points, skipped } = clean(series)?;
    let span = match (points.first(), points.last()) {
        (Some(a), Some(b)) => Some(YearSpan::new(a.0, b.0)),
        _ => None,
    };
    let gaps = points
        .windows(2)
        .filter(|w| years_between(w[0].0, w[1].0) > 1)
        .map(|w| YearSpan::new(w[0].0 + 1, w[1].0 - 1))
        .collect();
    let fit = Fit::of(&points);
    let latest = points.last().map_or(f64::NAN, |p| p.1);
    Ok(DynamicAnalysis {
        n: points.len(),
        span,
        gaps,
        skipped,
        years: rows(&points),
        cagr: cagr_of(&points),
        trend: fit
            .clone()
            .and_then(|f| LinearTrend::from_fit(&f, direction, latest)),
        mann_kendall: mann_kendall_of(&points, direction),
        forecast: forecast_of(&points, MAX_FORECAST_HORIZON),
        signals: signals_of(&points, direction),
    })
}

#[cfg(test)]
mod tests;
