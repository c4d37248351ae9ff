//! Gaps between groups (urban/rural, state/private, regions, female/male) and
//! the adjusted gender parity index.

use super::distribution::SortedValues;
use crate::computed::{computed_serde, finite, Computed, NotComputable};
use crate::numeric::{mean, sample_sd, t_975, t_two_sided_p};
use crate::order::quantile_sorted;
use kpi_model::Direction;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One group's summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupStats<G> {
    /// The group.
    pub group: G,
    /// Values (finite).
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// Median.
    pub median: f64,
    /// Sample standard deviation (n − 1); needs 2 values.
    #[serde(with = "computed_serde")]
    pub sd: Computed<f64>,
    /// The 95% confidence interval of the mean, `mean ± t₀.₉₇₅(n − 1) · sd / √n`
    /// (lower, upper); needs 2 values.
    #[serde(with = "computed_serde")]
    pub mean_ci95: Computed<(f64, f64)>,
    /// `mean − overall mean`.
    pub mean_minus_overall: f64,
    /// `median − overall median`.
    pub median_minus_overall: f64,
}

/// Welch's two-sample t-test (unequal variances).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct WelchTest {
    /// `(mean₁ − mean₂) / √(s₁²/n₁ + s₂²/n₂)`.
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// The difference between exactly two groups (first minus second, in key order).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairDifference {
    /// `mean(first) − mean(second)`, in the indicator's units.
    pub mean_difference: f64,
    /// `median(first) − median(second)`.
    pub median_difference: f64,
    /// Welch's t-test of the means; needs 2 values in each group and some spread.
    #[serde(with = "computed_serde")]
    pub welch: Computed<WelchTest>,
}

/// An indicator compared across groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupGaps<G> {
    /// Values used, all groups together.
    pub n: usize,
    /// Non-finite values left out.
    pub skipped: usize,
    /// Mean of all values.
    pub overall_mean: f64,
    /// Median of all values.
    pub overall_median: f64,
    /// The groups, in key order.
    pub groups: Vec<GroupStats<G>>,
    /// The group whose mean is best by direction (the first of equals).
    pub best: G,
    /// The group whose mean is worst by direction (the first of equals).
    pub worst: G,
    /// How much better the best group's mean is than the worst's: in the
    /// indicator's units, or for a target band in distance outside the band.
    pub best_minus_worst: f64,
    /// For exactly two groups: their difference, first minus second.
    pub pair: Option<PairDifference>,
}

struct Summary {
    sorted: Vec<f64>,
    mean: f64,
    median: f64,
    sd: Computed<f64>,
}

fn summarise(sorted: Vec<f64>) -> Computed<Summary> {
    let n = sorted.len();
    if n == 0 {
        return Err(NotComputable::too_few(1, 0));
    }
    let mean = finite(mean(&sorted))?;
    let median = quantile_sorted(&sorted, 0.5).unwrap_or(f64::NAN);
    let sd = if n < 2 {
        Err(NotComputable::too_few(2, n))
    } else if sorted.first() == sorted.last() {
        Ok(0.0)
    } else {
        finite(sample_sd(&sorted, mean))
    };
    Ok(Summary {
        sorted,
        mean,
        median,
        sd,
    })
}

/// `mean ± t₀.₉₇₅(n − 1) · sd / √n`.
fn mean_ci95(s: &Summary) -> Computed<(f64, f64)> {
    let n = s.sorted.len() as f64;
    let half = finite(t_975(n - 1.0) * s.sd.clone()? / n.sqrt())?;
    Ok((s.mean - half, s.mean + half))
}

fn welch(a: &Summary, b: &Summary) -> Computed<WelchTest> {
    let (na, nb) = (a.sorted.len() as f64, b.sorted.len() as f64);
    let (sa, sb) = (a.sd.clone()?, b.sd.clone()?);
    let (va, vb) = (sa * sa / na, sb * sb / nb);
    let se2 = va + vb;
    if se2 == 0.0 {
        return Err(NotComputable::AllValuesEqual);
    }
    let t = finite((a.mean - b.mean) / se2.sqrt())?;
    let df = finite(se2 * se2 / (va * va / (na - 1.0) + vb * vb / (nb - 1.0)))?;
    Ok(WelchTest {
        t,
        df,
        p_value: t_two_sided_p(t, df),
    })
}

/// Compares an indicator across groups (needs 2 groups with values): each
/// group's n, mean, median and SD, their differences from the overall mean
/// and median, the best and worst group by direction, and for exactly two
/// groups the difference with Welch's t-test.
///
/// ```
/// use kpi_stats::group_gaps;
/// use kpi_model::{Direction, Locality};
/// let v = [(Locality::Urban, 80.0), (Locality::Rural, 70.0), (Locality::Urban, 84.0),
///          (Locality::Rural, 66.0), (Locality::Urban, 82.0)];
/// let g = group_gaps(&v, Direction::Higher).unwrap();
/// assert_eq!(g.best, Locality::Urban);
/// assert_eq!(g.best_minus_worst, 14.0); // 82 − 68
/// assert_eq!(g.pair.unwrap().mean_difference, 14.0); // urban − rural
/// ```
pub fn group_gaps<G: Clone + Ord>(
    values: &[(G, f64)],
    direction: Direction,
) -> Computed<GroupGaps<G>> {
    let mut by_group: BTreeMap<&G, Vec<f64>> = BTreeMap::new();
    for (g, v) in values {
        by_group.entry(g).or_default().push(*v);
    }
    let mut skipped = 0;
    let mut summaries = Vec::with_capacity(by_group.len());
    for (g, vs) in by_group {
        let s = SortedValues::new(vs.into_iter());
        skipped += s.skipped;
        if !s.sorted.is_empty() {
            summaries.push((g.clone(), summarise(s.sorted)?));
        }
    }
    if summaries.len() < 2 {
        return Err(NotComputable::TooFewGroups {
            needed: 2,
            got: summaries.len(),
        });
    }
    let all = SortedValues::new(summaries.iter().flat_map(|(_, s)| s.sorted.iter().copied()));
    let overall = summarise(all.sorted)?;
    let goodness = |s: &Summary| direction.goodness(s.mean);
    let mut best = 0;
    let mut worst = 0;
    for (i, (_, s)) in summaries.iter().enumerate() {
        if goodness(s) > goodness(&summaries[best].1) {
            best = i;
        }
        if goodness(s) < goodness(&summaries[worst].1) {
            worst = i;
        }
    }
    let best_minus_worst = finite(goodness(&summaries[best].1) - goodness(&summaries[worst].1))?;
    let pair = match summaries.as_slice() {
        [(_, a), (_, b)] => Some(PairDifference {
            mean_difference: finite(a.mean - b.mean)?,
            median_difference: finite(a.median - b.median)?,
            welch: welch(a, b),
        }),
        _ => None,
    };
    let groups = summaries
        .iter()
        .map(|(g, s)| {
            Ok(GroupStats {
                group: g.clone(),
                n: s.sorted.len(),
                mean: s.mean,
                median: s.median,
                sd: s.sd.clone(),
                mean_ci95: mean_ci95(s),
                mean_minus_overall: finite(s.mean - overall.mean)?,
                median_minus_overall: finite(s.median - overall.median)?,
            })
        })
        .collect::<Computed<Vec<_>>>()?;
    Ok(GroupGaps {
        n: overall.sorted.len(),
        skipped,
        overall_mean: overall.mean,
        overall_median: overall.median,
        best: summaries[best].0.clone(),
        worst: summaries[worst].0.clone(),
        best_minus_worst,
        groups,
        pair,
    })
}

/// Sex, for indicators computed per sex (`metric.female`, `metric.male`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Female (әйел / женский).
    Female,
    /// Male (ер / мужской).
    Male,
}

/// The gender parity index and its adjusted form.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Parity {
    /// `female / male`.
    pub gpi: f64,
    /// `gpi` if `gpi ≤ 1`, else `2 − 1/gpi`: 0–2, symmetric around 1.
    pub adjusted: f64,
}

/// The gender parity index `female / male` and the adjusted form of UNESCO
/// UIS (`gpi` if `gpi ≤ 1`, else `2 − 1/gpi`). Needs `male > 0` and
/// `female ≥ 0`, both finite.
///
/// ```
/// use kpi_stats::parity_index;
/// let p = parity_index(60.0, 40.0).unwrap();
/// assert_eq!(p.gpi, 1.5);
/// assert!((p.adjusted - (2.0 - 1.0 / 1.5)).abs() < 1e-12);
/// ```
pub fn parity_index(female: f64, male: f64) -> Computed<Parity> {
    if !female.is_finite() || female < 0.0 {
        return Err(NotComputable::invalid(
            "female value",
            female,
            "a finite value ≥ 0",
        ));
    }
    if !male.is_finite() || male < 0.0 {
        return Err(NotComputable::invalid(
            "male value",
            male,
            "a finite value ≥ 0",
        ));
    }
    if male == 0.0 {
        return Err(NotComputable::ZeroDenominator {
            what: "the male value is 0".into(),
        });
    }
    let gpi = finite(female / male)?;
    let adjusted = if gpi <= 1.0 { gpi } else { 2.0 - 1.0 / gpi };
    Ok(Parity { gpi, adjusted })
}

/// The adjusted gender parity index (UNESCO UIS): `GPI = female / male`;
/// adjusted = `GPI` if `GPI ≤ 1`, else `2 − 1/GPI`. Lies in 0–2, and
/// `adjusted_parity(f, m) + adjusted_parity(m, f) = 2` for positive values.
/// Used for `gender_parity_enrolment` and any indicator computed per sex.
///
/// ```
/// use kpi_stats::adjusted_parity;
/// assert_eq!(adjusted_parity(45.0, 50.0), Ok(0.9));
/// assert!((adjusted_parity(50.0, 45.0).unwrap() - 1.1).abs() < 1e-12);
/// assert!(adjusted_parity(3.0, 0.0).is_err());
/// ```
pub fn adjusted_parity(female: f64, male: f64) -> Computed<f64> {
    parity_index(female, male).map(|p| p.adjusted)
}

/// An indicator compared between women and men.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SexGap {
    /// Group statistics; `pair` is female minus male.
    pub gaps: GroupGaps<Sex>,
    /// The parity index of the two means (female mean / male mean).
    #[serde(with = "computed_serde")]
    pub parity_of_means: Computed<Parity>,
}

/// Compares the female and male values of an indicator computed per sex
/// (each slice: one value per unit): group statistics, the difference
/// female − male with Welch's t-test, and the adjusted parity index of the
/// means. Needs a value on each side.
///
/// ```
/// use kpi_stats::sex_gap;
/// use kpi_model::Direction;
/// let g = sex_gap(&[72.0, 80.0, 76.0], &[64.0, 70.0, 67.0], Direction::Higher).unwrap();
/// assert_eq!(g.gaps.pair.as_ref().unwrap().mean_difference, 9.0); // 76 − 67
/// assert!((g.parity_of_means.unwrap().adjusted - (2.0 - 67.0 / 76.0)).abs() < 1e-12);
/// ```
pub fn sex_gap(female: &[f64], male: &[f64], direction: Direction) -> Computed<SexGap> {
    let values: Vec<(Sex, f64)> = female
        .iter()
        .map(|&v| (Sex::Female, v))
        .chain(male.iter().map(|&v| (Sex::Male, v)))
        .collect();
    let gaps = group_gaps(&values, direction)?;
    let mean_of = |sex| {
        gaps.groups
            .iter()
            .find(|g| g.group == sex)
            .map(|g| g.mean)
            .unwrap_or(f64::NAN)
    };
    let parity_of_means = parity_index(mean_of(Sex::Female), mean_of(Sex::Male));
    Ok(SexGap {
        gaps,
        parity_of_means,
    })
}
