//! The position of units in their peer group.

use super::distribution::{Distribution, SortedValues};
use crate::computed::{computed_serde, finite, Computed, NotComputable};
use crate::numeric::RobustScale;
use crate::order::percentile_from_counts;
use crate::order::quantile_sorted;
use kpi_model::Direction;
use serde::{Deserialize, Serialize};

/// The factor of the robust z-score `0.6745 × (x − median) / MAD`.
pub const ROBUST_Z_FACTOR: f64 = 0.6745;
/// A unit is an outlier when `|robust z|` exceeds this.
pub const OUTLIER_ROBUST_Z: f64 = 3.5;

/// What the gaps of a [`PeerPosition`] are measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapScale {
    /// The indicator's value (`higher` and `lower` indicators).
    Value,
    /// The distance outside the target band (`target` indicators).
    DistanceOutsideBand,
}

/// The references the gaps are measured against.
///
/// | direction | median | better quartile | gap to median |
/// |---|---|---|---|
/// | `higher` | median value | Q3 of values | `x − median` |
/// | `lower` | median value | Q1 of values | `median − x` |
/// | `target` | median distance outside the band | Q1 of the distances | `median distance − distance(x)` |
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GapReference {
    /// Value or distance.
    pub scale: GapScale,
    /// The peer median of that measure.
    pub median: f64,
    /// The peer quartile on the better side of that measure.
    pub better_quartile: f64,
}

/// One unit's position in its peer group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerPosition<Id> {
    /// The unit.
    pub id: Id,
    /// Its value.
    pub value: f64,
    /// `100 × (below + 0.5 × equal) / n` in the raw value, 0–100.
    pub percentile_rank: f64,
    /// `(x − mean) / SD`; not computable with 1 value or when all values are equal.
    #[serde(with = "computed_serde")]
    pub z: Computed<f64>,
    /// `0.6745 × (x − median) / MAD` (or the mean-absolute-deviation form
    /// when the MAD is 0, see [`PeerComparison::distribution`]); not
    /// computable when all values are equal.
    #[serde(with = "computed_serde")]
    pub robust_z: Computed<f64>,
    /// 1 = best by direction; ties share the smallest rank.
    pub rank: usize,
    /// Gap to the peer median, positive = better (see [`GapReference`]).
    pub gap_to_median: f64,
    /// Gap to the better quartile, positive = better (see [`GapReference`]).
    pub gap_to_better_quartile: f64,
    /// `|robust z| > 3.5`.
    pub outlier: bool,
}

/// Every member's position in a peer group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerComparison<Id> {
    /// Members with a finite value.
    pub n: usize,
    /// The indicator's direction.
    pub direction: Direction,
    /// The group's distribution.
    pub distribution: Distribution,
    /// What the gaps are measured against.
    pub reference: GapReference,
    /// One position per member with a finite value, in input order.
    pub positions: Vec<PeerPosition<Id>>,
    /// Members left out because their value is not finite.
    pub skipped: Vec<Id>,
}

/// One unit's position with its group's summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitPosition<Id> {
    /// Members with a finite value (the unit included).
    pub n: usize,
    /// The group's distribution.
    pub distribution: Distribution,
    /// What the gaps are measured against.
    pub reference: GapReference,
    /// The unit's position.
    pub position: PeerPosition<Id>,
}

/// A peer group prepared by one sort; positions are then a few binary searches each.
struct Group {
    values: SortedValues,
    /// Distances outside the band, ascending (target bands only).
    distances: Vec<f64>,
    direction: Direction,
    distribution: Distribution,
    reference: GapReference,
}

impl Group {
    fn new(values: impl Iterator<Item = f64>, direction: Direction) -> Computed<Group> {
        Group::of_sorted(SortedValues::new(values), direction)
    }

    /// From finite values already sorted ascending (with `−0` turned into `+0`).
    fn of_sorted(values: SortedValues, direction: Direction) -> Computed<Group> {
        let distribution = values.distribution(&mut Vec::new())?;
        let s = &values.sorted;
        let (distances, reference) = match direction {
            Direction::Higher => (
                Vec::new(),
                GapReference {
                    scale: GapScale::Value,
                    median: distribution.median,
                    better_quartile: distribution.q3,
                },
            ),
            Direction::Lower => (
                Vec::new(),
                GapReference {
                    scale: GapScale::Value,
                    median: distribution.median,
                    better_quartile: distribution.q1,
                },
            ),
            Direction::Target { .. } => {
                let mut d: Vec<f64> = s.iter().map(|&v| direction.distance_outside(v)).collect();
                if d.iter().any(|x| !x.is_finite()) {
                    return Err(NotComputable::Overflow);
                }
                d.sort_unstable_by(f64::total_cmp);
                let reference = GapReference {
                    scale: GapScale::DistanceOutsideBand,
                    median: quantile_sorted(&d, 0.5).unwrap_or(f64::NAN),
                    better_quartile: quantile_sorted(&d, 0.25).unwrap_or(f64::NAN),
                };
                (d, reference)
            }
        };
        Ok(Group {
            values,
            distances,
            direction,
            distribution,
            reference,
        })
    }

    fn n(&self) -> usize {
        self.values.sorted.len()
    }

    /// The position of a member with finite value `x`.
    fn position<Id>(&self, id: Id, x: f64) -> PeerPosition<Id> {
        let x = x + 0.0;
        let (below, equal) = self.values.below_equal(x);
        self.position_counted(id, x, below, equal)
    }

    /// The position of a member with finite value `x` (`−0` made `+0`),
    /// `below` values strictly below it and `equal` equal to it (itself included).
    fn position_counted<Id>(&self, id: Id, x: f64, below: usize, equal: usize) -> PeerPosition<Id> {
        let n = self.n();
        let d = &self.distribution;
        let all_equal = d.min == d.max;
        let z = match d.sd {
            Err(ref e) => Err(e.clone()),
            Ok(_) if all_equal => Err(NotComputable::AllValuesEqual),
            Ok(sd) => finite((x - d.mean) / sd),
        };
        let robust_z = match d.robust_scale {
            RobustScale::Mad => finite(ROBUST_Z_FACTOR * (x - d.median) / d.mad),
            RobustScale::MeanAbsoluteDeviation => finite((x - d.median) / d.robust_sd),
            RobustScale::None => Err(NotComputable::AllValuesEqual),
        };
        let (rank, gap_to_median, gap_to_better_quartile) = match self.direction {
            Direction::Higher => (
                1 + n - (below + equal),
                x - self.reference.median,
                x - self.reference.better_quartile,
            ),
            Direction::Lower => (
                1 + below,
                self.reference.median - x,
                self.reference.better_quartile - x,
            ),
            Direction::Target { .. } => {
                let dx = self.direction.distance_outside(x);
                (
                    1 + self.distances.partition_point(|&v| v < dx),
                    self.reference.median - dx,
                    self.reference.better_quartile - dx,
                )
            }
        };
        let outlier = matches!(robust_z, Ok(r) if r.abs() > OUTLIER_ROBUST_Z);
        PeerPosition {
            id,
            value: x,
            percentile_rank: percentile_from_counts(below, equal, n),
            z,
            robust_z,
            rank,
            // Differences of finite values overflow only near f64::MAX; clamp
            // rather than fail the whole group.
            gap_to_median: clamp_finite(gap_to_median),
            gap_to_better_quartile: clamp_finite(gap_to_better_quartile),
            outlier,
        }
    }
}

fn clamp_finite(x: f64) -> f64 {
    x.clamp(f64::MIN, f64::MAX)
}

/// The position of every member of a peer group (the whole group, each
/// member included): percentile rank, z-score, robust z, rank by direction,
/// gaps to the median and the better quartile, outlier flag. Needs 1 finite
/// value; members with a non-finite value are listed in `skipped`.
///
/// One sort of the values serves all members (plus one of the distances for
/// target bands), so the cost is O(n log n) for the whole group.
///
/// ```
/// use kpi_stats::peer_positions;
/// use kpi_model::Direction;
/// // dropout rate (%), lower is better
/// let peers = [("a", 2.0), ("b", 5.0), ("c", 3.0), ("d", 5.0), ("e", 9.0)];
/// let cmp = peer_positions(&peers, Direction::Lower).unwrap();
/// assert_eq!(cmp.n, 5);
/// let ranks: Vec<usize> = cmp.positions.iter().map(|p| p.rank).collect();
/// assert_eq!(ranks, [1, 3, 2, 3, 5]);
/// assert_eq!(cmp.positions[1].percentile_rank, 60.0); // 100 × (2 + 0.5 × 2) / 5
/// assert_eq!(cmp.positions[0].gap_to_median, 3.0);   // median 5 − 2: better by 3 points
/// ```
pub fn peer_positions<Id: Clone>(
    values: &[(Id, f64)],
    direction: Direction,
) -> Computed<PeerComparison<Id>> {
    // One sort of (value, input position) gives both the sorted values and,
    // in one sweep over runs of equal values, every member's counts below and
    // equal: no search per member.
    let mut order: Vec<(f64, u32)> = Vec::with_capacity(values.len());
    let mut skipped = Vec::new();
    for (i, (id, x)) in values.iter().enumerate() {
        if x.is_finite() {
            order.push((x + 0.0, i as u32));
        } else {
            skipped.push(id.clone());
        }
    }
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut counts = vec![(0usize, 0usize); values.len()];
    let mut start = 0;
    for run in order.chunk_by(|a, b| a.0 == b.0) {
        for &(_, i) in run {
            if let Some(c) = counts.get_mut(i as usize) {
                *c = (start, run.len());
            }
        }
        start += run.len();
    }
    let sorted = SortedValues {
        sorted: order.iter().map(|p| p.0).collect(),
        skipped: skipped.len(),
    };
    let group = Group::of_sorted(sorted, direction)?;
    let mut positions = Vec::with_capacity(group.n());
    for ((id, x), &(below, equal)) in values.iter().zip(&counts) {
        if x.is_finite() {
            positions.push(group.position_counted(id.clone(), *x + 0.0, below, equal));
        }
    }
    Ok(PeerComparison {
        n: group.n(),
        direction,
        distribution: group.distribution,
        reference: group.reference,
        positions,
        skipped,
    })
}

/// The position of one unit in its peer group (`values` includes the unit).
/// Not computable when the unit is absent from `values` or its value is not
/// finite.
///
/// ```
/// use kpi_stats::unit_position;
/// use kpi_model::Direction;
/// let peers = [(1u32, 61.0), (2, 74.0), (3, 68.0), (4, 70.0)];
/// let p = unit_position(&peers, &2, Direction::Higher).unwrap();
/// assert_eq!((p.n, p.position.rank), (4, 1));
/// assert_eq!(p.position.percentile_rank, 87.5);
/// ```
pub fn unit_position<Id: Clone + PartialEq>(
    values: &[(Id, f64)],
    unit: &Id,
    direction: Direction,
) -> Computed<UnitPosition<Id>> {
    let Some((id, x)) = values.iter().find(|p| &p.0 == unit) else {
        return Err(NotComputable::MissingData {
            what: "the unit's value in its peer group".into(),
        });
    };
    if !x.is_finite() {
        return Err(NotComputable::invalid("unit value", *x, "a finite number"));
    }
    let group = Group::new(values.iter().map(|p| p.1), direction)?;
    let position = group.position(id.clone(), *x);
    Ok(UnitPosition {
        n: group.n(),
        distribution: group.distribution,
        reference: group.reference,
        position,
    })
}
