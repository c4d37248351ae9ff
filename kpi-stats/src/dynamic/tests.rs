use super::*;
use crate::test_support::assert_json_finite;
use proptest::prelude::*;

fn series(years: &[Year], values: &[f64]) -> Vec<SeriesPoint> {
    years
        .iter()
        .zip(values)
        .map(|(&y, &v)| (y, Some(v)))
        .collect()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + b.abs())
}

macro_rules! assert_close {
    ($a:expr, $b:expr) => {
        assert_close!($a, $b, 1e-9)
    };
    ($a:expr, $b:expr, $tol:expr) => {{
        let (a, b) = ($a, $b);
        assert!(close(a, b, $tol), "{} = {a}, expected {b}", stringify!($a));
    }};
}

/// Series A: eight years with gaps in 2017 and 2022.
const YEARS_A: [Year; 8] = [2014, 2015, 2016, 2018, 2019, 2020, 2021, 2023];
const VALUES_A: [f64; 8] = [61.2, 63.0, 62.5, 66.1, 65.8, 68.4, 69.9, 72.3];

// The SciPy figures below come from /tmp/ref/dyn.py:
//   import numpy as np; from scipy import stats; import pymannkendall as mk
//   x = np.array([2014,2015,2016,2018,2019,2020,2021,2023.])
//   y = np.array([61.2,63.0,62.5,66.1,65.8,68.4,69.9,72.3])
//   r = stats.linregress(x, y); tq = stats.t.ppf(0.975, 6)
//   print(r.slope, r.intercept, r.rvalue**2, r.stderr, r.pvalue, r.slope/r.stderr)
//   -> 1.2251851851851852 -2406.58 0.9666362794773405 0.09292483601602612
//      1.175393627282847e-05 13.184690312220575
//   print(r.slope - tq*r.stderr, r.slope + tq*r.stderr)
//   -> 0.9978063026718671 1.4525640676985032
#[test]
fn linear_trend_matches_scipy_linregress() {
    let t = linear_trend(&series(&YEARS_A, &VALUES_A), Direction::Higher).unwrap();
    assert_eq!(t.n, 8);
    assert_eq!(t.df, 6);
    assert_close!(t.slope, 1.2251851851851852);
    assert_close!(t.intercept, -2406.58);
    assert_close!(*t.r_squared.as_ref().unwrap(), 0.9666362794773405);
    assert_close!(t.slope_se, 0.09292483601602612);
    assert_close!(*t.t.as_ref().unwrap(), 13.184690312220575);
    assert_close!(t.p_value, 1.175393627282847e-05, 1e-6);
    assert_close!(t.slope_ci.lower, 0.9978063026718671);
    assert_close!(t.slope_ci.upper, 1.4525640676985032);
    assert_eq!(t.verdict, TrendVerdict::Improving);
    assert_eq!(t.years, YearSpan::new(2014, 2023));
}

// Same script:
//   s = np.sqrt(np.sum((y-(r.intercept+r.slope*x))**2)/6); sxx = np.sum((x-x.mean())**2)
//   for x0 in (2024,2025,2026): yh = r.intercept+r.slope*x0
//       h = tq*s*np.sqrt(1+1/8+(x0-x.mean())**2/sxx); print(x0, yh, yh-h, yh+h)
//   -> 2024 73.19481481481489 70.82090958772228 75.5687200419075
//      2025 74.42000000000007 71.91366991801164 76.92633008198851
//      2026 75.64518518518526 72.99351453350756 78.29685583686295
#[test]
fn forecast_prediction_intervals_match_scipy() {
    let f = forecast(&series(&YEARS_A, &VALUES_A), 3).unwrap();
    assert_eq!(f.fitted, YearSpan::new(2014, 2023));
    let expected = [
        (2024, 73.19481481481489, 70.82090958772228, 75.5687200419075),
        (
            2025,
            74.42000000000007,
            71.91366991801164,
            76.92633008198851,
        ),
        (
            2026,
            75.64518518518526,
            72.99351453350756,
            78.29685583686295,
        ),
    ];
    assert_eq!(f.points.len(), 3);
    for (p, (year, value, lower, upper)) in f.points.iter().zip(expected) {
        assert_eq!(p.year, year);
        assert_close!(p.value, value);
        assert_close!(p.lower, lower);
        assert_close!(p.upper, upper);
    }
    // The trend's own prediction method gives the same interval.
    let t = linear_trend(&series(&YEARS_A, &VALUES_A), Direction::Higher).unwrap();
    let p = t.prediction(2025).unwrap();
    assert_close!(p.lower, 71.91366991801164);
    assert_close!(t.value_at(2025), 74.42000000000007);
    assert!(forecast(&series(&YEARS_A, &VALUES_A), 0).is_err());
    assert!(matches!(
        forecast(&series(&YEARS_A, &VALUES_A), 4),
        Err(NotComputable::InvalidInput { .. })
    ));
}

// Same script:
//   res = mk.original_test(y); print(res.s, res.var_s, res.z, res.p, res.Tau)
//   -> 24.0 65.33333333333333 2.8455120410060126 0.0044340083031007005 0.8571428571428571
//   ts = stats.theilslopes(y, x); print(ts.slope, ts.intercept)
//   -> 1.2291666666666652 -2415.122916666664
// (pymannkendall's own Sen slope assumes equal spacing; theilslopes uses the real years.)
#[test]
fn mann_kendall_and_sen_slope_match_pymannkendall_and_scipy() {
    let m = mann_kendall(&series(&YEARS_A, &VALUES_A), Direction::Higher).unwrap();
    assert_eq!(m.n, 8);
    assert_eq!(m.s, 24);
    assert_close!(m.var_s, 65.33333333333333);
    assert_close!(m.z, 2.8455120410060126);
    assert_close!(m.p_value, 0.0044340083031007005, 1e-9);
    assert_close!(m.tau, 0.8571428571428571);
    assert_close!(m.sen_slope, 1.2291666666666652);
    assert_close!(m.sen_intercept, -2415.122916666664);
    assert_eq!(m.verdict, TrendVerdict::Improving);
}

// Ties: 7 twice, 9 three times.
//   yb = np.array([5,7,7,6,9,9,9,8,11,10.]); xb = np.arange(2015,2025.)
//   res = mk.original_test(yb); print(res.s, res.var_s, res.z, res.p, res.Tau)
//   -> 29.0 120.33333333333333 2.552495926943609 0.010695416006747838 0.6444444444444445
//   ts = stats.theilslopes(yb, xb); print(ts.slope, ts.intercept) -> 0.5 -1001.25
// By hand: Var(S) = [10·9·25 − (2·1·9 + 3·2·11)] / 18 = (2250 − 84) / 18 = 120.333…
#[test]
fn mann_kendall_tie_correction_matches_pymannkendall() {
    let years: Vec<Year> = (2015..2025).collect();
    let values = [5.0, 7.0, 7.0, 6.0, 9.0, 9.0, 9.0, 8.0, 11.0, 10.0];
    let m = mann_kendall(&series(&years, &values), Direction::Lower).unwrap();
    assert_eq!(m.s, 29);
    assert_close!(m.var_s, 120.33333333333333);
    assert_close!(m.z, 2.552495926943609);
    assert_close!(m.p_value, 0.010695416006747838, 1e-9);
    assert_close!(m.tau, 0.6444444444444445);
    assert_close!(m.sen_slope, 0.5);
    assert_close!(m.sen_intercept, -1001.25);
    // Rising, significant, for a `lower` indicator.
    assert_eq!(m.verdict, TrendVerdict::Worsening);
}

#[test]
fn minimum_data_is_stated() {
    let two = series(&[2020, 2021], &[1.0, 2.0]);
    assert_eq!(
        linear_trend(&two, Direction::Higher),
        Err(NotComputable::TooFewValues { needed: 3, got: 2 })
    );
    assert_eq!(
        forecast(&two, 1),
        Err(NotComputable::TooFewValues { needed: 3, got: 2 })
    );
    let three = series(&[2020, 2021, 2022], &[1.0, 2.0, 4.0]);
    assert_eq!(
        mann_kendall(&three, Direction::Higher),
        Err(NotComputable::TooFewValues { needed: 4, got: 3 })
    );
    let four = series(&[2020, 2021, 2022, 2023], &[1.0, 2.0, 4.0, 3.0]);
    assert_eq!(
        signals(&four, Direction::Higher),
        Err(NotComputable::TooFewValues { needed: 5, got: 4 })
    );
    assert_eq!(
        cagr(&[(2020, Some(5.0)), (2021, None)]),
        Err(NotComputable::TooFewValues { needed: 2, got: 1 })
    );
    assert_eq!(
        cagr(&[]),
        Err(NotComputable::TooFewValues { needed: 2, got: 0 })
    );
    // Missing values do not count.
    let with_missing = [
        (2019, Some(1.0)),
        (2020, None),
        (2021, Some(2.0)),
        (2022, None),
    ];
    assert_eq!(
        linear_trend(&with_missing, Direction::Higher),
        Err(NotComputable::TooFewValues { needed: 3, got: 2 })
    );
}

#[test]
fn duplicate_years_are_rejected() {
    let s = [(2020, Some(1.0)), (2021, Some(2.0)), (2020, None)];
    assert_eq!(
        analyse_series(&s, Direction::Higher),
        Err(NotComputable::DuplicateYear { year: 2020 })
    );
}

#[test]
fn year_table_changes_index_and_moving_averages_by_hand() {
    // 2016 50, 2017 55, 2018 60, 2020 66, 2021 0 (a value, not missing), 2022 10
    let s = [
        (2020, Some(66.0)),
        (2016, Some(50.0)),
        (2017, Some(55.0)),
        (2018, Some(60.0)),
        (2021, Some(0.0)),
        (2022, Some(10.0)),
    ];
    let rows = year_table(&s).unwrap();
    let years: Vec<Year> = rows.iter().map(|r| r.year).collect();
    assert_eq!(years, [2016, 2017, 2018, 2020, 2021, 2022]);

    // First year: no change; index 100; centred window needs 2015.
    assert_eq!(
        rows[0].change,
        Err(NotComputable::NoEarlierValue { year: 2016 })
    );
    assert_eq!(rows[0].index, Ok(100.0));
    assert_eq!(
        rows[0].moving_average,
        Err(NotComputable::IncompleteWindow {
            first: 2015,
            last: 2017,
            missing: vec![2015]
        })
    );
    // 2017: +5 from 50 = +10 %; index 110; centred (50 + 55 + 60) / 3 = 55.
    let c = rows[1].change.as_ref().unwrap();
    assert_eq!((c.from_year, c.years_apart, c.absolute), (2016, 1, 5.0));
    assert_close!(*c.relative.as_ref().unwrap(), 0.1);
    assert_close!(*rows[1].index.as_ref().unwrap(), 110.0);
    let ma = rows[1].moving_average.as_ref().unwrap();
    assert_eq!(ma.kind, Window::Centred);
    assert_eq!(ma.window, YearSpan::new(2016, 2018));
    assert_close!(ma.value, 55.0);
    // 2018: the centred window needs 2019, which is missing.
    assert!(matches!(
        &rows[2].moving_average,
        Err(NotComputable::IncompleteWindow { missing, .. }) if missing == &vec![2019]
    ));
    // 2020: change from 2018 (two years): +6 = +10 %; index 132.
    let c = rows[3].change.as_ref().unwrap();
    assert_eq!((c.from_year, c.years_apart), (2018, 2));
    assert_close!(c.absolute, 6.0);
    assert_close!(*c.relative.as_ref().unwrap(), 0.1);
    assert_close!(*rows[3].index.as_ref().unwrap(), 132.0);
    // 2021: centred (66 + 0 + 10) / 3.
    assert_close!(rows[4].moving_average.as_ref().unwrap().value, 76.0 / 3.0);
    // 2022: the relative change from 0 is not computable; the absolute one is.
    let c = rows[5].change.as_ref().unwrap();
    assert_eq!(c.absolute, 10.0);
    assert_eq!(
        c.relative,
        Err(NotComputable::NotPositive {
            year: 2021,
            value: 0.0
        })
    );
    // Last year: trailing window 2020–2022 = (66 + 0 + 10) / 3.
    let ma = rows[5].moving_average.as_ref().unwrap();
    assert_eq!(ma.kind, Window::Trailing);
    assert_eq!(ma.window, YearSpan::new(2020, 2022));
    assert_close!(ma.value, 76.0 / 3.0);
}

#[test]
fn index_needs_a_positive_first_value() {
    let rows = year_table(&[(2020, Some(0.0)), (2021, Some(3.0))]).unwrap();
    assert_eq!(
        rows[1].index,
        Err(NotComputable::NotPositive {
            year: 2020,
            value: 0.0
        })
    );
}

#[test]
fn cagr_by_hand() {
    // (72.3 / 61.2)^(1/9) − 1: python3 -c "print((72.3/61.2)**(1/9)-1)" -> 0.018692212421584253
    let g = cagr(&series(&YEARS_A, &VALUES_A)).unwrap();
    assert_close!(g.rate, 0.018692212421584253);
    assert_eq!((g.first_year, g.last_year, g.years), (2014, 2023, 9));
    // Decline: 100 → 81 over 2 years: 0.9² = 0.81 → −10 % a year.
    let g = cagr(&[(2020, Some(100.0)), (2022, Some(81.0))]).unwrap();
    assert_close!(g.rate, -0.1);
    assert_eq!(
        cagr(&[(2020, Some(-1.0)), (2022, Some(81.0))]),
        Err(NotComputable::NotPositive {
            year: 2020,
            value: -1.0
        })
    );
    assert_eq!(
        cagr(&[(2020, Some(1.0)), (2022, Some(0.0))]),
        Err(NotComputable::NotPositive {
            year: 2022,
            value: 0.0
        })
    );
}

#[test]
fn constant_series_has_no_trend_and_no_nan() {
    let s = series(&[2019, 2020, 2021, 2022, 2023], &[7.0; 5]);
    let t = linear_trend(&s, Direction::Higher).unwrap();
    assert_eq!(t.slope, 0.0);
    assert_eq!(t.r_squared, Err(NotComputable::AllValuesEqual));
    assert_eq!(t.t, Err(NotComputable::AllValuesEqual));
    assert_eq!(t.p_value, 1.0);
    assert_eq!(t.verdict, TrendVerdict::NoSignificantTrend);
    let m = mann_kendall(&s, Direction::Higher).unwrap();
    assert_eq!(
        (m.s, m.var_s, m.z, m.p_value, m.sen_slope),
        (0, 0.0, 0.0, 1.0, 0.0)
    );
    let sig = signals(&s, Direction::Higher).unwrap();
    assert!(sig.fired.is_empty());
    let change = sig.unusual_change.unwrap();
    assert_eq!(change.scale, RobustScale::None);
    assert_eq!(change.robust_z, Err(NotComputable::AllValuesEqual));
    assert_json_finite(&analyse_series(&s, Direction::Higher).unwrap());
}

#[test]
fn exact_linear_fit_is_significant_by_continuity() {
    // 10, 20, 30: residuals are exactly 0.
    let s = series(&[2020, 2021, 2022], &[10.0, 20.0, 30.0]);
    let t = linear_trend(&s, Direction::Lower).unwrap();
    assert_eq!(t.slope, 10.0);
    assert_eq!(t.slope_se, 0.0);
    assert_eq!(t.t, Err(NotComputable::ExactFit));
    assert_eq!(t.p_value, 0.0);
    assert_eq!(t.r_squared, Ok(1.0));
    assert_eq!(
        t.slope_ci,
        Interval {
            lower: 10.0,
            upper: 10.0
        }
    );
    assert_eq!(t.verdict, TrendVerdict::Worsening);
}

#[test]
fn target_band_verdict_follows_the_side_of_the_band() {
    let band = Direction::Target {
        min: 80.0,
        max: 100.0,
    };
    let rising_below = series(&[2019, 2020, 2021, 2022], &[60.0, 65.0, 69.0, 75.0]);
    let rising_above = series(&[2019, 2020, 2021, 2022], &[110.0, 115.0, 119.0, 125.0]);
    let rising_inside = series(&[2019, 2020, 2021, 2022], &[82.0, 87.0, 91.0, 97.0]);
    let falling_above = series(&[2019, 2020, 2021, 2022], &[125.0, 119.0, 115.0, 110.0]);
    let verdict_of = |s: &[SeriesPoint]| linear_trend(s, band).unwrap().verdict;
    assert_eq!(verdict_of(&rising_below), TrendVerdict::Improving);
    assert_eq!(verdict_of(&rising_above), TrendVerdict::Worsening);
    assert_eq!(verdict_of(&rising_inside), TrendVerdict::WithinTargetBand);
    assert_eq!(verdict_of(&falling_above), TrendVerdict::Improving);
}

#[test]
fn insignificant_slope_is_no_trend() {
    // python3 -c "from scipy import stats; r = stats.linregress([2019,2020,2021,2022],[5,7,4,7]); print(r.slope, r.pvalue)"
    // -> 0.3 0.7418011102528389
    let s = series(&[2019, 2020, 2021, 2022], &[5.0, 7.0, 4.0, 7.0]);
    let t = linear_trend(&s, Direction::Higher).unwrap();
    assert_close!(t.slope, 0.3);
    assert_close!(t.p_value, 0.7418011102528389, 1e-9);
    assert_eq!(t.verdict, TrendVerdict::NoSignificantTrend);
}

// python3 /tmp/ref/sig.py:
//   x = np.arange(2015,2021.); y = np.array([50.0,51.2,52.1,53.5,54.2,55.0]); x0 = 2021; v = 49.0
//   r = stats.linregress(x,y); tq = stats.t.ppf(0.975, 4)
//   s = np.sqrt(np.sum((y-(r.intercept+r.slope*x))**2)/4); sxx = np.sum((x-x.mean())**2)
//   yh = r.intercept+r.slope*x0; se = s*np.sqrt(1+1/6+(x0-x.mean())**2/sxx)
//   print(yh, yh-tq*se, yh+tq*se, (v-yh)/se, v-(yh-tq*se))
//   -> 56.206666666666706 55.422242439882545 56.99109089345087 -25.507772080788097 -6.422242439882545
//   d = np.diff(y); med = np.median(d); mad = np.median(np.abs(d-med)); sd = 1.4826*mad
//   print(med, mad, sd, (v-y[-1]-med)/sd)
//   -> 0.8999999999999986 0.19999999999999574 0.2965199999999937 -23.269931201943024
#[test]
fn signals_match_scipy_and_say_by_how_much() {
    let years: Vec<Year> = (2015..=2021).collect();
    let s = series(&years, &[50.0, 51.2, 52.1, 53.5, 54.2, 55.0, 49.0]);
    let sig = signals(&s, Direction::Higher).unwrap();
    assert_eq!((sig.year, sig.value), (2021, 49.0));

    let pi = sig.prediction_interval.as_ref().unwrap();
    assert_eq!(
        (pi.fitted, pi.n, pi.fired),
        (YearSpan::new(2015, 2020), 6, true)
    );
    assert_close!(pi.prediction.value, 56.206666666666706);
    assert_close!(pi.prediction.lower, 55.422242439882545);
    assert_close!(pi.prediction.upper, 56.99109089345087);

    let ch = sig.unusual_change.as_ref().unwrap();
    assert_eq!(
        (ch.from_year, ch.past_changes, ch.scale),
        (2020, 5, RobustScale::Mad)
    );
    assert_close!(ch.median_past_change, 0.8999999999999986);
    assert_close!(ch.robust_sd, 0.2965199999999937, 1e-9);
    assert_close!(*ch.robust_z.as_ref().unwrap(), -23.269931201943024, 1e-9);
    assert!(ch.fired);

    assert_eq!(sig.fired.len(), 2);
    let first = &sig.fired[0];
    assert_eq!(first.rule, SignalRule::OutsidePredictionInterval);
    assert_close!(first.bound, 55.422242439882545);
    assert_close!(first.excess, -6.422242439882545);
    assert_close!(*first.magnitude.as_ref().unwrap(), -25.507772080788097);
    assert_eq!(first.assessment, Assessment::Worse);
    let second = &sig.fired[1];
    assert_eq!(second.rule, SignalRule::UnusualChange);
    assert_close!(second.observed, -6.0);
    // bound = median − 3 × robust SD = 0.9 − 0.88956; excess = −6 − bound
    assert_close!(
        second.bound,
        0.8999999999999986 - 3.0 * 0.2965199999999937,
        1e-9
    );
    assert_close!(second.excess, -6.0 - second.bound);
    // For a `lower` indicator the same drop is good news.
    let lower = signals(&s, Direction::Lower).unwrap();
    assert!(lower
        .fired
        .iter()
        .all(|f| f.assessment == Assessment::Better));
}

#[test]
fn exactly_linear_history_with_a_gap_does_not_signal_on_rounding() {
    // 10, 11, 12, 13, (2019 missing), 15: the line predicts 15 exactly; the
    // two-year change of 2 is 1 a year, like every earlier change.
    let s = [
        (2015, Some(10.0)),
        (2016, Some(11.0)),
        (2017, Some(12.0)),
        (2018, Some(13.0)),
        (2019, None),
        (2020, Some(15.0)),
    ];
    let sig = signals(&s, Direction::Higher).unwrap();
    assert!(sig.fired.is_empty(), "{:?}", sig.fired);
    let ch = sig.unusual_change.unwrap();
    assert_eq!(ch.change_per_year, 1.0);
    assert_eq!(ch.scale, RobustScale::None);

    // Same history, latest 16: both rules fire; the interval has width 0.
    let mut s2 = s;
    s2[5] = (2020, Some(16.0));
    let sig = signals(&s2, Direction::Higher).unwrap();
    let rules: Vec<SignalRule> = sig.fired.iter().map(|f| f.rule).collect();
    assert_eq!(
        rules,
        [
            SignalRule::OutsidePredictionInterval,
            SignalRule::UnusualChange
        ]
    );
    assert_eq!(sig.fired[0].magnitude, Err(NotComputable::ExactFit));
    assert_close!(sig.fired[0].excess, 1.0);
    assert_eq!(sig.fired[1].magnitude, Err(NotComputable::AllValuesEqual));
    assert_close!(sig.fired[1].observed, 1.5);
    assert!(sig.fired.iter().all(|f| f.assessment == Assessment::Better));
}

#[test]
fn robust_scale_falls_back_to_mean_absolute_deviation() {
    // Past changes 1, 1, 1, 3: median 1, MAD 0, mean |dev| = 0.5 → SD 1.253314 × 0.5.
    let s = series(
        &[2015, 2016, 2017, 2018, 2019, 2020],
        &[0.0, 1.0, 2.0, 3.0, 6.0, 7.0],
    );
    let ch = signals(&s, Direction::Higher)
        .unwrap()
        .unusual_change
        .unwrap();
    assert_eq!(ch.scale, RobustScale::MeanAbsoluteDeviation);
    assert_close!(ch.robust_sd, 0.626657);
    assert_close!(*ch.robust_z.as_ref().unwrap(), 0.0);
    assert!(!ch.fired);
}

#[test]
fn non_finite_values_are_skipped_with_a_reason() {
    let s = [
        (2019, Some(1.0)),
        (2020, Some(f64::NAN)),
        (2021, Some(2.0)),
        (2022, Some(f64::INFINITY)),
        (2023, Some(3.5)),
    ];
    let a = analyse_series(&s, Direction::Higher).unwrap();
    assert_eq!(a.n, 3);
    assert_eq!(
        a.skipped,
        vec![
            SkippedValue {
                year: 2020,
                reason: SkipReason::NotANumber
            },
            SkippedValue {
                year: 2022,
                reason: SkipReason::Infinite
            },
        ]
    );
    assert_eq!(
        a.gaps,
        vec![YearSpan::new(2020, 2020), YearSpan::new(2022, 2022)]
    );
    assert!(a.trend.is_ok());
    assert_json_finite(&a);
}

#[test]
fn empty_series_is_not_computable_everywhere() {
    let a = analyse_series(&[], Direction::Higher).unwrap();
    assert_eq!(a.n, 0);
    assert_eq!(a.span, None);
    assert!(a.years.is_empty());
    assert!(a.cagr.is_err() && a.trend.is_err() && a.mann_kendall.is_err());
    assert!(a.forecast.is_err() && a.signals.is_err());
}

#[test]
fn huge_values_overflow_is_reported_not_nan() {
    let s = series(
        &[2019, 2020, 2021, 2022, 2023],
        &[f64::MAX, -f64::MAX, f64::MAX, 1.0, -f64::MAX],
    );
    let a = analyse_series(&s, Direction::Higher).unwrap();
    assert_eq!(a.trend, Err(NotComputable::Overflow));
    assert_json_finite(&a);
}

#[test]
fn extreme_years_do_not_panic() {
    let s = series(
        &[Year::MIN, Year::MIN + 1, 0, Year::MAX - 1, Year::MAX],
        &[1.0, 2.0, 3.0, 4.0, 5.0],
    );
    let a = analyse_series(&s, Direction::Higher).unwrap();
    assert_json_finite(&a);
}

#[test]
fn long_series_are_bounded() {
    let years: Vec<Year> = (0..(MAX_PAIRWISE_VALUES as i32 + 1)).collect();
    let values: Vec<f64> = years.iter().map(|&y| (y % 7) as f64).collect();
    let a = analyse_series(&series(&years, &values), Direction::Higher).unwrap();
    assert_eq!(
        a.mann_kendall,
        Err(NotComputable::TooManyValues {
            max: MAX_PAIRWISE_VALUES,
            got: MAX_PAIRWISE_VALUES + 1
        })
    );
    assert!(a.trend.is_ok());
}

#[test]
fn analysis_serialises_with_computed_fields() {
    let a = analyse_series(&series(&YEARS_A, &VALUES_A), Direction::Higher).unwrap();
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["trend"]["value"]["verdict"], "improving");
    assert_eq!(
        json["years"][0]["change"]["not_computable"]["reason"],
        "no_earlier_value"
    );
    let back: DynamicAnalysis = serde_json::from_value(json).unwrap();
    assert_eq!(back, a);
}

fn arb_series() -> impl Strategy<Value = Vec<SeriesPoint>> {
    let value = prop_oneof![
        8 => (-1e6..1e6f64).prop_map(Some),
        1 => Just(None),
        1 => any::<f64>().prop_map(Some),
        1 => Just(Some(f64::NAN)),
    ];
    proptest::collection::btree_map(1990..2040i32, value, 0..25)
        .prop_map(|m| m.into_iter().collect())
}

proptest! {
    #[test]
    fn prop_no_panic_no_nan(s in arb_series(), dir in 0..3u8) {
        let direction = match dir {
            0 => Direction::Higher,
            1 => Direction::Lower,
            _ => Direction::Target { min: -10.0, max: 10.0 },
        };
        let a = analyse_series(&s, direction).unwrap();
        assert_json_finite(&a);
        if let Ok(t) = &a.trend {
            prop_assert!((0.0..=1.0).contains(&t.p_value));
            prop_assert!(t.slope_ci.lower <= t.slope && t.slope <= t.slope_ci.upper);
        }
        if let Ok(m) = &a.mann_kendall {
            prop_assert!((0.0..=1.0).contains(&m.p_value));
            prop_assert!((-1.0..=1.0).contains(&m.tau));
        }
        if let Ok(f) = &a.forecast {
            for p in &f.points {
                prop_assert!(p.lower <= p.value && p.value <= p.upper);
            }
        }
    }

    #[test]
    fn prop_raising_the_last_value_never_lowers_slopes(
        values in proptest::collection::vec(-1e3..1e3f64, 4..12),
        bump in 0.0..100.0f64,
    ) {
        let years: Vec<Year> = (2000..2000 + values.len() as i32).collect();
        let s = series(&years, &values);
        let mut raised = values.clone();
        if let Some(last) = raised.last_mut() { *last += bump; }
        let r = series(&years, &raised);
        let (t0, t1) = (linear_trend(&s, Direction::Higher).unwrap(), linear_trend(&r, Direction::Higher).unwrap());
        prop_assert!(t1.slope >= t0.slope - 1e-9);
        let (m0, m1) = (mann_kendall(&s, Direction::Higher).unwrap(), mann_kendall(&r, Direction::Higher).unwrap());
        prop_assert!(m1.s >= m0.s);
        prop_assert!(m1.sen_slope >= m0.sen_slope - 1e-9);
    }

    #[test]
    fn prop_shifting_values_keeps_slope_and_p(
        values in proptest::collection::vec(-1e3..1e3f64, 3..12),
        shift in -1e3..1e3f64,
    ) {
        let years: Vec<Year> = (2000..2000 + values.len() as i32).collect();
        let shifted: Vec<f64> = values.iter().map(|v| v + shift).collect();
        let a = linear_trend(&series(&years, &values), Direction::Higher).unwrap();
        let b = linear_trend(&series(&years, &shifted), Direction::Higher).unwrap();
        prop_assert!((a.slope - b.slope).abs() <= 1e-6 * (1.0 + a.slope.abs()));
        if a.slope_se > 1e-6 {
            prop_assert!((a.p_value - b.p_value).abs() <= 1e-6);
        }
    }
}
