//! The composite index and ranking of a peer group over several indicators.

use super::weights::Weights;
use crate::computed::{computed_serde, Computed, NotComputable};
use kpi_model::{Direction, Family};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;

/// Units with less than this share of the index weight computable are unranked.
pub const DEFAULT_MIN_COVERAGE: f64 = 0.6;

/// One indicator's values in the peer group, as input to [`composite_index`].
#[derive(Clone, Copy, Debug)]
pub struct CompositeIndicator<'a, Id> {
    /// The indicator code (matched against the weights file).
    pub code: &'a str,
    /// Its family (for the default weights).
    pub family: Family,
    /// What "better" means.
    pub direction: Direction,
    /// One value per unit that has one; a unit absent here has no value.
    pub values: &'a [(Id, f64)],
}

/// Options of [`composite_index`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompositeOptions {
    /// The share of the total weight (0–1) a unit needs computable to be
    /// ranked; default 0.6.
    pub min_coverage: f64,
}

impl Default for CompositeOptions {
    fn default() -> Self {
        CompositeOptions {
            min_coverage: DEFAULT_MIN_COVERAGE,
        }
    }
}

/// Why an indicator takes no part in the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// The weights file gives it no weight, or weight 0.
    NoWeight,
    /// No unit has a finite value.
    NoValues,
    /// Every unit with a value has the same value (or the same distance from
    /// the band): it does not tell units apart, and min–max normalisation is
    /// undefined.
    AllValuesEqual,
}

/// One indicator's part in the index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompositeComponent {
    /// The indicator code.
    pub code: String,
    /// Its family.
    pub family: Family,
    /// Its direction.
    pub direction: Direction,
    /// Its share of the index, 0–1 (the shares of the included indicators sum to 1).
    pub weight: f64,
    /// Units with a finite value.
    pub n: usize,
    /// Non-finite values left out.
    pub skipped: usize,
    /// The best value in the group (normalised to 100), when any.
    pub best: Option<f64>,
    /// The worst value in the group (normalised to 0), when any.
    pub worst: Option<f64>,
    /// Why it is left out, if it is.
    pub excluded: Option<Exclusion>,
}

/// One unit's composite index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompositeEntry<Id> {
    /// The unit.
    pub id: Id,
    /// `100 × Σ wᵢ sᵢ / Σ wᵢ` over the unit's computable indicators, 0–100;
    /// for an unranked unit the partial index. Not computable when no
    /// included indicator has a value for the unit.
    #[serde(with = "computed_serde")]
    pub index: Computed<f64>,
    /// 1 = best; ties share the smallest rank; `None` when unranked.
    pub rank: Option<usize>,
    /// Share of the index weight computable for the unit, 0–1.
    pub coverage: f64,
    /// Normalised scores 0–100, one per component in the order of
    /// [`CompositeIndex::components`]; `None` where the unit has no value
    /// or the component is excluded.
    pub components: Vec<Option<f64>>,
}

/// The composite index and ranking of a peer group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompositeIndex<Id> {
    /// Units appearing in any indicator's values.
    pub n_units: usize,
    /// The coverage needed to be ranked.
    pub min_coverage: f64,
    /// The indicators, in input order, with their weights.
    pub components: Vec<CompositeComponent>,
    /// Ranked units, best first (ties in input order).
    pub ranked: Vec<CompositeEntry<Id>>,
    /// Units below `min_coverage`, in input order, with their partial index.
    pub unranked: Vec<CompositeEntry<Id>>,
    /// Codes in the weights file that are not among the indicators (a typo is
    /// the usual cause).
    pub unused_weights: Vec<String>,
}

/// The composite index of a peer group (docs/methods.md, "Composite index and
/// ranking"):
///
/// 1. each indicator is min–max normalised within the group in its direction:
///    `sᵢ = (g − g_worst) / (g_best − g_worst)` with `g` the
///    [goodness](Direction::goodness) (the value; minus the value for `lower`;
///    minus the distance outside the band for `target`);
/// 2. weights: from `weights` (indicator → weight; indicators without one are
///    left out), or by default equal per family and equal within a family,
///    over the indicators that take part; shares are weights divided by their
///    sum;
/// 3. a unit's index is `100 × Σ wᵢ sᵢ / Σ wᵢ` over its computable indicators,
///    and its coverage is that `Σ wᵢ` as a share of the total;
/// 4. units with coverage below `options.min_coverage` (default 60%) are
///    unranked (with their partial index); the others are ranked by index,
///    ties sharing the smallest rank.
///
/// Indicators with no values or no spread in the group are left out, with
/// the reason in [`CompositeComponent::excluded`]. Fails when an indicator
/// code or a unit within one indicator's values repeats.
///
/// ```
/// use kpi_stats::{composite_index, CompositeIndicator, CompositeOptions};
/// use kpi_model::{Direction, Family};
/// let employment = [("a", 80.0), ("b", 60.0), ("c", 70.0)];
/// let dropout = [("a", 4.0), ("b", 2.0), ("c", 6.0)];
/// let indicators = [
///     CompositeIndicator { code: "employment_rate", family: Family::Outcome, direction: Direction::Higher, values: &employment },
///     CompositeIndicator { code: "dropout_rate", family: Family::Process, direction: Direction::Lower, values: &dropout },
/// ];
/// let idx = composite_index(&indicators, None, &CompositeOptions::default()).unwrap();
/// // a: (100 + 50) / 2 = 75; b: (0 + 100) / 2 = 50; c: (50 + 0) / 2 = 25
/// let order: Vec<(&str, f64)> = idx.ranked.iter().map(|e| (e.id, *e.index.as_ref().unwrap())).collect();
/// assert_eq!(order, [("a", 75.0), ("b", 50.0), ("c", 25.0)]);
/// ```
pub fn composite_index<Id: Clone + Eq + Hash>(
    indicators: &[CompositeIndicator<'_, Id>],
    weights: Option<&Weights>,
    options: &CompositeOptions,
) -> Computed<CompositeIndex<Id>> {
    let min_coverage = options.min_coverage;
    if !(0.0..=1.0).contains(&min_coverage) {
        return Err(NotComputable::invalid(
            "minimum coverage",
            min_coverage,
            "a share from 0 to 1",
        ));
    }
    if indicators.is_empty() {
        return Err(NotComputable::too_few(1, 0));
    }
    let mut seen_codes = BTreeSet::new();
    for ind in indicators {
        if !seen_codes.insert(ind.code) {
            return Err(NotComputable::DuplicateIndicator {
                code: ind.code.to_string(),
            });
        }
    }

    // Units in order of first appearance.
    let mut unit_index: HashMap<&Id, usize> = HashMap::new();
    let mut units: Vec<&Id> = Vec::new();
    for ind in indicators {
        for (id, _) in ind.values {
            unit_index.entry(id).or_insert_with(|| {
                units.push(id);
                units.len() - 1
            });
        }
    }

    // Per indicator: goodness range, exclusion, raw weight.
    let mut components = Vec::with_capacity(indicators.len());
    let mut ranges = Vec::with_capacity(indicators.len());
    for ind in indicators {
        let mut seen = vec![false; units.len()];
        let (mut n, mut skipped) = (0, 0);
        let mut best: Option<(f64, f64)> = None; // (goodness, value)
        let mut worst: Option<(f64, f64)> = None;
        for (id, v) in ind.values {
            let u = unit_index.get(id).copied().unwrap_or(0);
            if let Some(flag) = seen.get_mut(u) {
                if *flag {
                    return Err(NotComputable::DuplicateUnit {
                        indicator: ind.code.to_string(),
                    });
                }
                *flag = true;
            }
            let g = ind.direction.goodness(*v);
            if !v.is_finite() || !g.is_finite() {
                skipped += 1;
                continue;
            }
            n += 1;
            if best.is_none_or(|(b, _)| g > b) {
                best = Some((g, *v));
            }
            if worst.is_none_or(|(w, _)| g < w) {
                worst = Some((g, *v));
            }
        }
        let raw_weight = match weights {
            Some(w) => w.get(ind.code).unwrap_or(0.0),
            None => 1.0,
        };
        let excluded = match (best, worst) {
            _ if raw_weight <= 0.0 => Some(Exclusion::NoWeight),
            (Some((b, _)), Some((w, _))) if b > w => None,
            (Some(_), Some(_)) => Some(Exclusion::AllValuesEqual),
            _ => Some(Exclusion::NoValues),
        };
        ranges.push((worst.map_or(0.0, |w| w.0), best.map_or(0.0, |b| b.0)));
        components.push(CompositeComponent {
            code: ind.code.to_string(),
            family: ind.family,
            direction: ind.direction,
            weight: if excluded.is_none() { raw_weight } else { 0.0 },
            n,
            skipped,
            best: best.map(|b| b.1),
            worst: worst.map(|w| w.1),
            excluded,
        });
    }

    // Default weights: equal per family, equal within a family, over the
    // indicators that take part.
    if weights.is_none() {
        let mut per_family: HashMap<Family, usize> = HashMap::new();
        for c in components.iter().filter(|c| c.excluded.is_none()) {
            *per_family.entry(c.family).or_default() += 1;
        }
        let families = per_family.len() as f64;
        for c in components.iter_mut().filter(|c| c.excluded.is_none()) {
            let k = per_family.get(&c.family).copied().unwrap_or(1) as f64;
            c.weight = 1.0 / (families * k);
        }
    }
    let total: f64 = components.iter().map(|c| c.weight).sum();
    if total > 0.0 && total.is_finite() {
        for c in &mut components {
            c.weight /= total;
        }
    } else {
        for c in &mut components {
            c.weight = 0.0;
        }
    }

    // Scores per unit.
    let mut scores: Vec<Vec<Option<f64>>> = vec![vec![None; indicators.len()]; units.len()];
    for (i, ind) in indicators.iter().enumerate() {
        if components[i].excluded.is_some() {
            continue;
        }
        let (worst, best) = ranges[i];
        for (id, v) in ind.values {
            let g = ind.direction.goodness(*v);
            if !v.is_finite() || !g.is_finite() {
                continue;
            }
            if let Some(row) = unit_index.get(id).and_then(|&u| scores.get_mut(u)) {
                let s = ((g - worst) / (best - worst)).clamp(0.0, 1.0);
                row[i] = Some(if s.is_finite() { s } else { 0.0 });
            }
        }
    }

    let mut ranked = Vec::new();
    let mut unranked = Vec::new();
    for (u, row) in scores.into_iter().enumerate() {
        let (mut covered, mut weighted) = (0.0, 0.0);
        for (c, s) in components.iter().zip(&row) {
            if let Some(s) = s {
                covered += c.weight;
                weighted += c.weight * s;
            }
        }
        let index = if covered > 0.0 {
            Ok((100.0 * weighted / covered).clamp(0.0, 100.0))
        } else {
            Err(NotComputable::ZeroDenominator {
                what: "no indicator of the index has a value for the unit".into(),
            })
        };
        let coverage = covered.clamp(0.0, 1.0);
        let entry = CompositeEntry {
            id: units
                .get(u)
                .map(|&id| id.clone())
                .ok_or(NotComputable::Overflow)?,
            index,
            rank: None,
            coverage,
            components: row.iter().map(|s| s.map(|s| 100.0 * s)).collect(),
        };
        // Shares like 3 × 0.2 may round to 0.59999…; that is still 60 %.
        if entry.index.is_ok() && coverage + 1e-9 >= min_coverage {
            ranked.push(entry);
        } else {
            unranked.push(entry);
        }
    }
    let key = |e: &CompositeEntry<Id>| e.index.as_ref().copied().unwrap_or(0.0);
    ranked.sort_by(|a, b| key(b).total_cmp(&key(a)));
    let mut previous: Option<(f64, usize)> = None;
    for (i, e) in ranked.iter_mut().enumerate() {
        let value = key(e);
        let rank = match previous {
            Some((v, r)) if v == value => r,
            _ => i + 1,
        };
        e.rank = Some(rank);
        previous = Some((value, rank));
    }

    let unused_weights = weights
        .map(|w| {
            w.iter()
                .filter(|(code, _)| !seen_codes.contains(code))
                .map(|(code, _)| code.to_string())
                .collect()
        })
        .unwrap_or_default();

    Ok(CompositeIndex {
        n_units: units.len(),
        min_coverage,
        components,
        ranked,
        unranked,
        unused_weights,
    })
}
