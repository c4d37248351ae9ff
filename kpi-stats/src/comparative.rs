//! Comparative analysis: one indicator, one year, a peer group
//! (docs/methods.md, "Comparative analysis").
//!
//! A unit is compared with its peers *including itself*; every result says
//! `n`. Values are plain `f64` in the indicator's units; non-finite values
//! are left out and counted (or listed by unit).
//!
//! | statistic | minimum | definition |
//! |---|---|---|
//! | peer group | — | [`PeerGroup`]: same level (default), also region, ownership, locality; or an explicit list ([`compare_in_peer_groups`] compares every organisation in its group) |
//! | distribution | 1 value | n, mean, SD (n − 1; needs 2 values), min, Q1, median, Q3, max; quantiles of type 7 (`h = (n − 1)p`, linear interpolation: the R and NumPy default) |
//! | percentile rank | 1 value | `100 × (below + 0.5 × equal) / n` in the raw value (not by direction) |
//! | z-score | 2 values, not all equal | `(x − mean) / SD` |
//! | robust z | 2 values, not all equal | `0.6745 × (x − median) / MAD`; when the MAD is 0 (more than half the peers share one value) `(x − median) / (1.253314 × MeanAD)`, MeanAD the mean absolute deviation from the median |
//! | rank | 1 value | 1 = best by direction, ties share the smallest rank (1, 2, 2, 4); target bands rank by distance outside the band |
//! | gaps | 1 value | to the peer median and to the better quartile, positive = better (see [`GapReference`]) |
//! | outlier | robust z | `|robust z| > 3.5` |
//! | rate significance | counts | 95% Wilson interval of the unit's rate against the peer median ([`rate_significance`]) |
//! | composite index | see [`composite_index`] | min–max normalised, weighted, 0–100 |
//! | group gaps | 2 groups | means, medians, differences, Welch's t-test for two groups; adjusted gender parity ([`sex_gap`], [`adjusted_parity`]) |
//!
//! All positions of a group come from one sort ([`peer_positions`]), so a
//! whole country's organisations are compared in milliseconds.

mod composite;
mod distribution;
mod gaps;
mod peers;
mod position;
mod significance;
mod weights;

pub use composite::{
    composite_index, CompositeComponent, CompositeEntry, CompositeIndex, CompositeIndicator,
    CompositeOptions, Exclusion, DEFAULT_MIN_COVERAGE,
};
pub use distribution::{distribution, percentile_rank, quantile, Distribution};
pub use gaps::{
    adjusted_parity, group_gaps, parity_index, sex_gap, GroupGaps, GroupStats, PairDifference,
    Parity, Sex, SexGap, WelchTest,
};
pub use peers::{
    compare_in_peer_groups, PeerAttribute, PeerGroup, PeerGroupError, PeerIndex, PeerKey,
    PeerPartition, PeerSet, PeerSetComparison,
};
pub use position::{
    peer_positions, unit_position, GapReference, GapScale, PeerComparison, PeerPosition,
    UnitPosition, OUTLIER_ROBUST_Z, ROBUST_Z_FACTOR,
};
pub use significance::{rate_significance, RateScale, RateSignificance, RateVerdict};
pub use weights::{parse_weights, Weights, WeightsError};

#[cfg(test)]
mod tests;
