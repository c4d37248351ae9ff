//! Dynamic (time series), comparative (peer group) and cohort analyses
//! (docs/methods.md).
//!
//! All functions here are pure statistics on plain inputs, so the indicator
//! engine, the risk assessment, the command-line tool and the widgets call
//! them the same way:
//!
//! | module | input | main entry points |
//! |---|---|---|
//! | [`dynamic`] | one unit's series `&[(Year, Option<f64>)]` | [`analyse_series`], [`linear_trend`], [`mann_kendall`], [`forecast`], [`signals`], [`year_table`], [`cagr`] |
//! | [`comparative`] | one indicator's peer values `&[(Id, f64)]` in one year | [`PeerGroup`], [`PeerIndex`], [`compare_in_peer_groups`], [`peer_positions`], [`distribution`], [`rate_significance`], [`composite_index`], [`group_gaps`], [`sex_gap`], [`adjusted_parity`] |
//! | [`cohort`] | grade rates or enrolment counts by grade | [`reconstruct_cohort`], [`CohortCounts::rates`] |
//!
//! Every statistic states the minimum data it needs and returns
//! [`NotComputable`] with the reason below it ([`Computed<T>`] is
//! `Result<T, NotComputable>`). No statistic returns NaN or an infinity as a
//! value, and none panics, whatever the input: non-finite input values are
//! left out (and listed) or rejected with a reason. Results are
//! serde-serialisable; `Computed` fields are written `{"value": …}` or
//! `{"not_computable": {"reason": …}}`. Each result has a one-sentence
//! summary in kk, ru and en in the crate `kpi-summary`.
//!
//! The indicator's [`Direction`](kpi_model::Direction) says what "better"
//! means: trend verdicts, ranks, gaps and composite scores all follow it, and
//! for a `target` band they use the distance outside the band.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cohort;
pub mod comparative;
mod computed;
pub mod dynamic;
mod numeric;
pub mod order;
mod wilson;

pub use cohort::{reconstruct_cohort, CohortCounts, CohortFlow, CohortOptions, GradeRates};
pub use comparative::{
    adjusted_parity, compare_in_peer_groups, composite_index, distribution, group_gaps,
    parity_index, parse_weights, peer_positions, percentile_rank, quantile, rate_significance,
    sex_gap, unit_position, CompositeIndex, CompositeIndicator, CompositeOptions, Distribution,
    GroupGaps, Parity, PeerComparison, PeerGroup, PeerIndex, PeerPosition, RateScale,
    RateSignificance, SexGap, Weights, WeightsError,
};
pub use computed::{computed_serde, Computed, NotComputable};
pub use dynamic::{
    analyse_series, cagr, forecast, linear_trend, mann_kendall, signals, year_table,
    DynamicAnalysis, LinearTrend, MannKendall, SeriesPoint, Signals, TrendVerdict,
};
pub use numeric::{robust_median_sd, RobustScale, MAD_TO_SD, MEAN_AD_TO_SD};
pub use wilson::{wilson_interval, Interval};

/// The normal quantile of a two-sided 95% interval, `Φ⁻¹(0.975)`.
pub const Z_95: f64 = 1.959_963_984_540_054;

#[cfg(test)]
pub(crate) mod test_support {
    use serde::Serialize;

    /// Fails when any number in the JSON form of `value` is not finite.
    /// (serde_json writes NaN and ±∞ as `null`; the analysis results have
    /// no optional field that may be `null` except those allowed here.)
    pub(crate) fn assert_json_finite<T: Serialize>(value: &T) {
        fn walk(v: &serde_json::Value, path: &str) {
            match v {
                serde_json::Value::Null => {
                    assert!(
                        [".span", ".rank", ".best", ".worst", ".excluded"]
                            .iter()
                            .any(|end| path.ends_with(end))
                            || path.contains(".components["),
                        "null (NaN or infinity) at {path}"
                    )
                }
                serde_json::Value::Number(n) => {
                    assert!(n.as_f64().is_some_and(f64::is_finite), "{n} at {path}")
                }
                serde_json::Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        walk(x, &format!("{path}[{i}]"));
                    }
                }
                serde_json::Value::Object(o) => {
                    for (k, x) in o {
                        walk(x, &format!("{path}.{k}"));
                    }
                }
                _ => {}
            }
        }
        let json = serde_json::to_value(value).expect("serialisable");
        walk(&json, "$");
    }
}
