//! Criterion scores, the 0–100 risk score, degrees and explanations.

use super::criteria::{CriteriaSet, Criterion, MinGap, Thresholds};
use super::gap::CriterionGap;
use kpi_model::i18n::Labels;
pub use kpi_model::Degree;
use kpi_model::{Dataset, Direction, Level, OrgIdx, Year};
use kpi_stats::order::quantile_sorted;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::OnceLock;

/// The score `s ∈ [0, 1]` of one criterion: 0 on the good side of `warn`
/// (inclusive), 1 at or beyond `critical`, linear in between. For a
/// `target` indicator, `value` is compared by its distance outside the band
/// and the thresholds are distances.
///
/// ```
/// use kpi_risk::criterion_score;
/// use kpi_model::Direction;
/// // higher is better, warn 60, critical 40: 50 is half way → 0.5
/// assert_eq!(criterion_score(Direction::Higher, 50.0, 60.0, 40.0), 0.5);
/// // lower is better, warn 2, critical 6: 3 → (3 − 2) / (6 − 2) = 0.25
/// assert_eq!(criterion_score(Direction::Lower, 3.0, 2.0, 6.0), 0.25);
/// // band 80–100, distance thresholds 10 and 40: 125 is 25 outside → 0.5
/// assert_eq!(criterion_score(Direction::Target { min: 80.0, max: 100.0 }, 125.0, 10.0, 40.0), 0.5);
/// ```
pub fn criterion_score(direction: Direction, value: f64, warn: f64, critical: f64) -> f64 {
    let (x, warn, critical, higher_is_better) = match direction {
        Direction::Higher => (value, warn, critical, true),
        Direction::Lower => (value, warn, critical, false),
        Direction::Target { .. } => (direction.distance_outside(value), warn, critical, false),
    };
    let s = if higher_is_better {
        if x >= warn {
            0.0
        } else if x <= critical {
            1.0
        } else {
            (warn - x) / (warn - critical)
        }
    } else if x <= warn {
        0.0
    } else if x >= critical {
        1.0
    } else {
        (x - warn) / (critical - warn)
    };
    s.clamp(0.0, 1.0)
}

/// The degree of a score under the default or configured cut-offs.
///
/// ```
/// use kpi_risk::{degree_of, Degree, DegreeRules};
/// let r = DegreeRules::default();
/// assert_eq!(degree_of(30.0, &r), Degree::Low);
/// assert_eq!(degree_of(30.5, &r), Degree::Medium);
/// assert_eq!(degree_of(70.0, &r), Degree::Medium);
/// assert_eq!(degree_of(70.1, &r), Degree::High);
/// ```
pub fn degree_of(score: f64, rules: &super::DegreeRules) -> Degree {
    if score <= rules.low_max {
        Degree::Low
    } else if score <= rules.medium_max {
        Degree::Medium
    } else {
        Degree::High
    }
}

/// The value of an indicator for an organisation, or why there is none.
pub trait RiskInputs {
    /// The direction of an indicator, `None` when unknown.
    fn direction(&self, indicator: &str) -> Option<Direction>;
    /// The organisation-level value, or the not-computable reason.
    fn value(&self, indicator: &str, org: OrgIdx, year: Year) -> Result<f64, CriterionGap>;

    /// A handle for an indicator, resolved once per assessment run so that
    /// [`value_at`](Self::value_at) need not look the code up for every
    /// organisation and year. The default has none.
    fn handle(&self, indicator: &str) -> Option<u32> {
        let _ = indicator;
        None
    }

    /// The value through a handle from [`handle`](Self::handle) (`None`: no
    /// handle). The default reads by code with [`value`](Self::value).
    fn value_at(
        &self,
        handle: Option<u32>,
        indicator: &str,
        org: OrgIdx,
        year: Year,
    ) -> Result<f64, CriterionGap> {
        let _ = handle;
        self.value(indicator, org, year)
    }

    /// The value through a handle, `None` when there is none: [`value_at`](Self::value_at)
    /// without the reason, which the peer thresholds do not need (building it allocates,
    /// for every peer without a value). The default is `value_at(..).ok()`.
    fn value_if_any(
        &self,
        handle: Option<u32>,
        indicator: &str,
        org: OrgIdx,
        year: Year,
    ) -> Option<f64> {
        self.value_at(handle, indicator, org, year).ok()
    }
}

/// Thresholds as applied, in the indicator's unit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppliedThresholds {
    /// Value (or band distance) where the score starts to rise.
    pub warn: f64,
    /// Value (or band distance) where the score reaches 1.
    pub critical: f64,
    /// For peer-percentile thresholds: the goodness percentiles and the
    /// number of peers they were computed from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer_percentiles: Option<(f64, f64, usize)>,
    /// For peer-percentile thresholds with a minimum gap: the peer median and
    /// which threshold the gap (rather than the percentile) set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_gap: Option<AppliedGap>,
}

/// How a minimum meaningful gap acted on peer-percentile thresholds.
///
/// ```
/// use kpi_risk::peer_thresholds_with_gap;
/// use kpi_risk::MinGap;
/// use kpi_model::Direction;
/// // Close peers: 98.0, 98.2, 98.4, 98.6, 98.8; median 98.4, P25 = 98.2, P10 = 98.08.
/// let peers = [98.0, 98.2, 98.4, 98.6, 98.8];
/// let gap = MinGap { warn: 2.0, critical: 5.0 };
/// let t = peer_thresholds_with_gap(Direction::Higher, &peers, 25.0, 10.0, Some(gap)).unwrap();
/// assert!((t.warn - 96.4).abs() < 1e-9 && (t.critical - 93.4).abs() < 1e-9);
/// let g = t.min_gap.unwrap();
/// assert!(g.warn_from_gap && g.critical_from_gap);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppliedGap {
    /// The configured gap (distances from the peer median).
    pub gap: MinGap,
    /// The peer median (of band distances for `target` indicators).
    pub peer_median: f64,
    /// The `warn` threshold is the gap's (the percentile lay closer to the median).
    pub warn_from_gap: bool,
    /// The `critical` threshold is the gap's.
    pub critical_from_gap: bool,
    /// The percentile thresholds before the floor `(warn, critical)`.
    pub percentile_thresholds: (f64, f64),
}

/// One criterion in an explanation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionOutcome {
    /// Criterion id.
    pub id: String,
    /// Criterion names.
    pub labels: Labels,
    /// Indicator code.
    pub indicator: String,
    /// Weight.
    pub weight: f64,
    /// Whether the criterion is gross.
    pub gross: bool,
    /// The indicator value (absent when not computable).
    pub value: Option<f64>,
    /// Thresholds as applied.
    pub thresholds: Option<AppliedThresholds>,
    /// Criterion score `s ∈ [0, 1]`.
    pub score: Option<f64>,
    /// Points of the risk score due to this criterion: `100 · wᵢ sᵢ / Σ w`
    /// over computable criteria (these add up to the score unless a gross
    /// criterion set it to 100).
    pub contribution: f64,
    /// Share of the risk score due to this criterion (`contribution / R`), `None` when R = 0.
    pub share_of_score: Option<f64>,
    /// Why the criterion could not be computed.
    pub not_computable: Option<CriterionGap>,
}

/// The risk assessment of one organisation in one year, with its explanation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskAssessment {
    /// Organisation index.
    pub org: OrgIdx,
    /// Organisation id.
    pub org_id: String,
    /// Level.
    pub level: Level,
    /// Year.
    pub year: Year,
    /// Risk score 0–100 (partial when data are insufficient); `None` when no
    /// criterion was computable.
    pub score: Option<f64>,
    /// Degree of risk.
    pub degree: Degree,
    /// Share of the applicable weight that was computable (0–1).
    pub computable_weight_share: f64,
    /// The gross criterion that set the score to 100, if any.
    pub gross_trigger: Option<String>,
    /// Computable criteria sorted by contribution (largest first), then the
    /// not-computable ones.
    pub criteria: Vec<CriterionOutcome>,
}

impl RiskAssessment {
    /// The criterion contributing most to the score, if any contributes.
    pub fn top_criterion(&self) -> Option<&CriterionOutcome> {
        if let Some(g) = &self.gross_trigger {
            return self.criteria.iter().find(|c| &c.id == g);
        }
        self.criteria
            .first()
            .filter(|c| c.score.is_some() && c.contribution > 0.0)
    }
}

/// Resolves peer-percentile thresholds from the peers' values (the unit
/// included). Percentiles count goodness: `higher` reads the lower tail of
/// the values, `lower` the upper tail, `target` the upper tail of distances
/// outside the band (thresholds are then distances).
///
/// ```
/// use kpi_risk::peer_thresholds;
/// use kpi_model::Direction;
/// // numpy.quantile([1..10], [0.25, 0.10]) = [3.25, 1.9]
/// let v: Vec<f64> = (1..=10).map(f64::from).collect();
/// assert_eq!(peer_thresholds(Direction::Higher, &v, 25.0, 10.0), Some((3.25, 1.9)));
/// ```
pub fn peer_thresholds(
    direction: Direction,
    peer_values: &[f64],
    warn_pct: f64,
    critical_pct: f64,
) -> Option<(f64, f64)> {
    peer_thresholds_with_gap(direction, peer_values, warn_pct, critical_pct, None)
        .map(|t| (t.warn, t.critical))
}

/// [`peer_thresholds`] with a minimum meaningful gap: each threshold lies at
/// least `gap` from the peer median on the bad side (`higher`:
/// `min(Q, median − gap)`; `lower` and `target` distances:
/// `max(Q, median + gap)`). The result records the median and which
/// threshold the gap set. `None` when no peer value is finite.
pub fn peer_thresholds_with_gap(
    direction: Direction,
    peer_values: &[f64],
    warn_pct: f64,
    critical_pct: f64,
    gap: Option<MinGap>,
) -> Option<AppliedThresholds> {
    let mut xs: Vec<f64> = match direction {
        Direction::Target { .. } => peer_values
            .iter()
            .map(|&v| direction.distance_outside(v))
            .collect(),
        _ => peer_values.to_vec(),
    };
    xs.retain(|v| v.is_finite());
    xs.sort_by(f64::total_cmp);
    let higher = direction == Direction::Higher;
    let (pw, pc) = if higher {
        (warn_pct / 100.0, critical_pct / 100.0)
    } else {
        (1.0 - warn_pct / 100.0, 1.0 - critical_pct / 100.0)
    };
    let (qw, qc) = (quantile_sorted(&xs, pw)?, quantile_sorted(&xs, pc)?);
    let mut t = AppliedThresholds {
        warn: qw,
        critical: qc,
        peer_percentiles: Some((warn_pct, critical_pct, xs.len())),
        min_gap: None,
    };
    if let Some(g) = gap {
        let median = quantile_sorted(&xs, 0.5)?;
        // The floor on the bad side of the median; "worse" is lower for
        // `higher`, larger otherwise.
        let (fw, fc) = if higher {
            (median - g.warn, median - g.critical)
        } else {
            (median + g.warn, median + g.critical)
        };
        let worse = |floor: f64, q: f64| if higher { floor < q } else { floor > q };
        let (warn_from_gap, critical_from_gap) = (worse(fw, qw), worse(fc, qc));
        if warn_from_gap {
            t.warn = fw;
        }
        if critical_from_gap {
            t.critical = fc;
        }
        t.min_gap = Some(AppliedGap {
            gap: g,
            peer_median: median,
            warn_from_gap,
            critical_from_gap,
            percentile_thresholds: (qw, qc),
        });
    }
    Some(t)
}

/// Resolved peer thresholds, or why there are none.
type PeerThresholds = Result<AppliedThresholds, CriterionGap>;

/// All risk assessments of a dataset.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RiskTable {
    /// One assessment per organisation and year, ordered by organisation then year.
    pub assessments: Vec<RiskAssessment>,
}

/// Which organisations and years to assess.
#[derive(Clone, Debug, Default)]
pub struct RiskFilter {
    /// Only these years (all years of the dataset when empty).
    pub years: Vec<Year>,
    /// Only these levels (all when empty).
    pub levels: Vec<Level>,
}

/// One criterion's result before it is dressed with names (index into the set).
struct Scored {
    criterion: usize,
    value: Option<f64>,
    thresholds: Option<AppliedThresholds>,
    score: Option<f64>,
    not_computable: Option<CriterionGap>,
}

/// Scores every criterion of every selected organisation and year, and hands
/// each `(organisation, year, scored criteria)` to `emit`. The one place
/// where values are read and thresholds applied; [`assess`] and
/// [`assess_summary`] only differ in what they keep.
fn score_each(
    dataset: &Dataset,
    inputs: &impl RiskInputs,
    criteria: &CriteriaSet,
    filter: &RiskFilter,
    only: Option<&[OrgIdx]>,
    emit: impl FnMut(OrgIdx, &kpi_model::Organisation, Year, &[Scored]),
) {
    let all = 0..dataset.organisations().len();
    RiskScorer::new(dataset, inputs, criteria, filter)
        .each(dataset, inputs, criteria, all, only, emit);
}

/// What scoring a run needs besides the data, prepared once: its years and levels, each
/// criterion's direction and input handle, and the peer thresholds of each (criterion,
/// level, year), computed the first time an organisation needs them and kept. [`assess`]
/// scores every organisation and year with one; [`RiskScorer::assessment`] scores one
/// organisation and year, the same way, when it is asked for.
///
/// ```
/// use kpi_indicators::{compute, Catalogue};
/// use kpi_model::{DatasetBuilder, Level};
/// use kpi_risk::{assess, CriteriaSet, IndicatorInputs, RiskFilter, RiskScorer};
/// let ds = DatasetBuilder::new(2023, 2023)
///     .org("C1", Level::College, "Almaty")
///     .value("C1", None, 2023, "graduates", 80.0)
///     .value("C1", None, 2023, "graduates_employed", 60.0)
///     .build();
/// let table = compute(&ds, &Catalogue::builtin());
/// let inputs = IndicatorInputs::new(&table);
/// let criteria = CriteriaSet::builtin();
/// let scorer = RiskScorer::new(&ds, &inputs, &criteria, &RiskFilter::default());
/// let c1 = ds.org_by_id("C1").unwrap();
/// let one = scorer.assessment(&ds, &inputs, &criteria, c1, 2023).unwrap();
/// let all = assess(&ds, &inputs, &criteria, &RiskFilter::default());
/// assert_eq!(one, all.assessments[0]);
/// assert!(scorer.assessment(&ds, &inputs, &criteria, c1, 2020).is_none());
/// ```
#[derive(Debug)]
pub struct RiskScorer {
    years: Vec<Year>,
    levels: Vec<Level>,
    /// Peer thresholds per (criterion, level, year) in a dense table, looked up for every
    /// organisation and year.
    peer_cache: Vec<OnceLock<PeerThresholds>>,
    directions: Vec<Option<Direction>>,
    handles: Vec<Option<u32>>,
}

impl RiskScorer {
    /// Prepares the scoring of `filter`'s organisations and years with `criteria`.
    pub fn new(
        dataset: &Dataset,
        inputs: &impl RiskInputs,
        criteria: &CriteriaSet,
        filter: &RiskFilter,
    ) -> RiskScorer {
        let years: Vec<Year> = if filter.years.is_empty() {
            dataset.years().iter().collect()
        } else {
            filter.years.clone()
        };
        let n = criteria.criteria().len() * Level::ALL.len() * years.len();
        RiskScorer {
            peer_cache: (0..n).map(|_| OnceLock::new()).collect(),
            // Directions and input handles per criterion, looked up once.
            directions: criteria
                .criteria()
                .iter()
                .map(|c| inputs.direction(&c.indicator))
                .collect(),
            handles: criteria
                .criteria()
                .iter()
                .map(|c| inputs.handle(&c.indicator))
                .collect(),
            levels: filter.levels.clone(),
            years,
        }
    }

    /// The assessment of organisation `org` in `year`, as [`assess`] with the same data,
    /// criteria and filter has it; `None` where [`assess`] has none (a year or level
    /// outside the filter, an organisation no criterion applies to). `dataset`, `inputs`
    /// and `criteria` must be those the scorer was made with.
    pub fn assessment(
        &self,
        dataset: &Dataset,
        inputs: &impl RiskInputs,
        criteria: &CriteriaSet,
        org: OrgIdx,
        year: Year,
    ) -> Option<RiskAssessment> {
        let o = dataset.organisations().get(org.0 as usize)?;
        if !self.levels.is_empty() && !self.levels.contains(&o.level) {
            return None;
        }
        let yi = self.years.iter().position(|&y| y == year)?;
        let applicable = applicable(criteria, o.level);
        if applicable.is_empty() {
            return None;
        }
        let mut scored = Vec::with_capacity(applicable.len());
        self.score(
            dataset,
            inputs,
            criteria,
            (org, o),
            &applicable,
            (yi, year),
            &mut scored,
        );
        Some(explained(criteria, org, o, year, &scored))
    }

    /// Every assessment of the run, as [`assess`] has them.
    pub fn table(
        &self,
        dataset: &Dataset,
        inputs: &impl RiskInputs,
        criteria: &CriteriaSet,
    ) -> RiskTable {
        let mut out = Vec::new();
        let all = 0..dataset.organisations().len();
        self.each(
            dataset,
            inputs,
            criteria,
            all,
            None,
            |org, o, year, scored| out.push(explained(criteria, org, o, year, scored)),
        );
        RiskTable { assessments: out }
    }

    /// Every score and degree of the run, as [`assess_summary`] has them.
    pub fn summaries(
        &self,
        dataset: &Dataset,
        inputs: &(impl RiskInputs + Sync),
        criteria: &CriteriaSet,
    ) -> Vec<RiskSummary> {
        // Blocks of organisations spread over the threads (kpi-pool), four a thread so
        // that threads finish together, summarised in order: the same summaries whatever
        // the number of threads. The peer thresholds are shared, each computed once by the
        // first thread that needs it.
        let n = dataset.organisations().len();
        let per_block = n.div_ceil(4 * kpi_pool::threads()).max(1);
        let blocks: Vec<Range<usize>> = (0..n)
            .step_by(per_block)
            .map(|start| start..n.min(start + per_block))
            .collect();
        let parts = kpi_pool::map(blocks, |orgs| {
            let mut out = Vec::new();
            self.each(
                dataset,
                inputs,
                criteria,
                orgs,
                None,
                |org, _, year, scored| out.push(summarised(criteria, org, year, scored)),
            );
            out
        });
        parts.into_iter().flatten().collect()
    }

    /// The years of the run, in order.
    pub fn years(&self) -> &[Year] {
        &self.years
    }

    /// Scores the selected organisations (those of `orgs`, by index, and of `only` when
    /// given) in every year of the run.
    fn each(
        &self,
        dataset: &Dataset,
        inputs: &impl RiskInputs,
        criteria: &CriteriaSet,
        orgs: Range<usize>,
        only: Option<&[OrgIdx]>,
        mut emit: impl FnMut(OrgIdx, &kpi_model::Organisation, Year, &[Scored]),
    ) {
        let mut scored: Vec<Scored> = Vec::new();
        let first = orgs.start;
        let selected = dataset.organisations().get(orgs).unwrap_or_default();
        for (o, org) in (first..).zip(selected) {
            if !self.levels.is_empty() && !self.levels.contains(&org.level) {
                continue;
            }
            let org_idx = OrgIdx(o as u32);
            if only.is_some_and(|list| !list.contains(&org_idx)) {
                continue;
            }
            let applicable = applicable(criteria, org.level);
            if applicable.is_empty() {
                continue;
            }
            for (yi, &year) in self.years.iter().enumerate() {
                self.score(
                    dataset,
                    inputs,
                    criteria,
                    (org_idx, org),
                    &applicable,
                    (yi, year),
                    &mut scored,
                );
                emit(org_idx, org, year, &scored);
            }
        }
    }

    /// Scores the `applicable` criteria of one organisation in one year into `scored`.
    #[allow(clippy::too_many_arguments)]
    fn score(
        &self,
        dataset: &Dataset,
        inputs: &impl RiskInputs,
        criteria: &CriteriaSet,
        (org_idx, org): (OrgIdx, &kpi_model::Organisation),
        applicable: &[(usize, &Criterion)],
        (yi, year): (usize, Year),
        scored: &mut Vec<Scored>,
    ) {
        let rules = criteria.rules();
        let n_levels = Level::ALL.len();
        let level_pos = Level::ALL.iter().position(|l| *l == org.level).unwrap_or(0);
        scored.clear();
        for &(ci, c) in applicable {
            let mut outcome = Scored {
                criterion: ci,
                value: None,
                thresholds: None,
                score: None,
                not_computable: None,
            };
            let Some(direction) = self.directions.get(ci).copied().flatten() else {
                outcome.not_computable = Some(CriterionGap::UnknownIndicator {
                    indicator: c.indicator.clone(),
                });
                scored.push(outcome);
                continue;
            };
            let handle = self.handles.get(ci).copied().flatten();
            match inputs.value_at(handle, &c.indicator, org_idx, year) {
                Err(reason) => outcome.not_computable = Some(reason),
                Ok(value) => {
                    outcome.value = Some(value);
                    let applied = match c.thresholds {
                        Thresholds::Fixed { warn, critical } => Ok(AppliedThresholds {
                            warn,
                            critical,
                            peer_percentiles: None,
                            min_gap: None,
                        }),
                        Thresholds::PeerPercentile {
                            warn,
                            critical,
                            min_gap,
                        } => self.peer_cache[(ci * n_levels + level_pos) * self.years.len() + yi]
                            .get_or_init(|| {
                                let values: Vec<f64> = dataset
                                    .orgs_of_level(org.level)
                                    .filter_map(|p| {
                                        inputs.value_if_any(handle, &c.indicator, p, year)
                                    })
                                    .collect();
                                if values.len() < rules.min_peers {
                                    return Err(CriterionGap::PeerGroupTooSmall {
                                        found: values.len(),
                                        level: org.level,
                                        year,
                                        needed: rules.min_peers,
                                    });
                                }
                                peer_thresholds_with_gap(
                                    direction, &values, warn, critical, min_gap,
                                )
                                .ok_or(CriterionGap::NoFinitePeers)
                            })
                            .clone(),
                    };
                    match applied {
                        Ok(t) => {
                            outcome.score =
                                Some(criterion_score(direction, value, t.warn, t.critical));
                            outcome.thresholds = Some(t);
                        }
                        Err(reason) => outcome.not_computable = Some(reason),
                    }
                }
            }
            scored.push(outcome);
        }
    }
}

/// The criteria of `criteria` that apply to `level`, with their indices.
fn applicable(criteria: &CriteriaSet, level: Level) -> Vec<(usize, &Criterion)> {
    criteria
        .criteria()
        .iter()
        .enumerate()
        .filter(|(_, c)| c.levels.contains(&level))
        .collect()
}

/// The assessment of one organisation and year from its scored criteria, each dressed
/// with its names.
fn explained(
    criteria: &CriteriaSet,
    org: OrgIdx,
    o: &kpi_model::Organisation,
    year: Year,
    scored: &[Scored],
) -> RiskAssessment {
    let set = criteria.criteria();
    let outcomes = scored
        .iter()
        .filter_map(|s| {
            let c = set.get(s.criterion)?;
            Some(CriterionOutcome {
                id: c.id.clone(),
                labels: c.labels.clone(),
                indicator: c.indicator.clone(),
                weight: c.weight,
                gross: c.gross,
                value: s.value,
                thresholds: s.thresholds,
                score: s.score,
                contribution: 0.0,
                share_of_score: None,
                not_computable: s.not_computable.clone(),
            })
        })
        .collect();
    combine(org, &o.id, o.level, year, outcomes, criteria.rules())
}

/// Assesses every organisation (of the filter's levels) in every year (of the filter).
///
/// Peer-percentile thresholds use the organisations of the same level in the
/// same year with a computable value (the unit included); fewer than
/// `min_peers` makes the criterion not computable.
///
/// Each assessment carries its full explanation; for scores and degrees of a
/// whole country without explanations, [`assess_summary`] is several times
/// faster and lighter.
pub fn assess(
    dataset: &Dataset,
    inputs: &impl RiskInputs,
    criteria: &CriteriaSet,
    filter: &RiskFilter,
) -> RiskTable {
    assess_orgs(dataset, inputs, criteria, filter, None)
}

/// [`assess`] for some organisations only (`None`: all). Peer thresholds
/// still come from every organisation of the level.
pub fn assess_orgs(
    dataset: &Dataset,
    inputs: &impl RiskInputs,
    criteria: &CriteriaSet,
    filter: &RiskFilter,
    orgs: Option<&[OrgIdx]>,
) -> RiskTable {
    let mut out = Vec::new();
    score_each(
        dataset,
        inputs,
        criteria,
        filter,
        orgs,
        |org, o, year, scored| out.push(explained(criteria, org, o, year, scored)),
    );
    RiskTable { assessments: out }
}

/// The score and degree of one organisation in one year, without the
/// explanation: what a national table or map needs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskSummary {
    /// Organisation index.
    pub org: OrgIdx,
    /// Year.
    pub year: Year,
    /// Risk score 0–100, as in [`RiskAssessment::score`].
    pub score: Option<f64>,
    /// Degree of risk.
    pub degree: Degree,
    /// Share of the applicable weight that was computable (0–1).
    pub computable_weight_share: f64,
    /// The criterion contributing most (index into [`CriteriaSet::criteria`]),
    /// as [`RiskAssessment::top_criterion`].
    pub top_criterion: Option<usize>,
    /// The gross criterion that set the score to 100 (index), if any.
    pub gross_trigger: Option<usize>,
}

/// Scores and degrees of every organisation (of the filter's levels) and
/// year (of the filter), computed exactly as [`assess`] but without building
/// explanations.
///
/// ```
/// use kpi_indicators::{compute, Catalogue};
/// use kpi_model::{DatasetBuilder, Level};
/// use kpi_risk::{assess, assess_summary, CriteriaSet, Degree, IndicatorInputs, RiskFilter};
/// let ds = DatasetBuilder::new(2023, 2023)
///     .org("U1", Level::University, "Astana")
///     .value("U1", None, 2023, "accredited", 0.0)
///     .build();
/// let table = compute(&ds, &Catalogue::builtin());
/// let criteria = CriteriaSet::builtin();
/// let inputs = IndicatorInputs::new(&table);
/// let s = assess_summary(&ds, &inputs, &criteria, &RiskFilter::default());
/// // Not accredited: the gross criterion sets R = 100.
/// assert_eq!((s[0].score, s[0].degree), (Some(100.0), Degree::High));
/// let gross = &criteria.criteria()[s[0].gross_trigger.unwrap()];
/// assert_eq!(gross.id, "university.accreditation");
/// let full = assess(&ds, &inputs, &criteria, &RiskFilter::default());
/// assert_eq!(full.assessments[0].score, s[0].score);
/// ```
pub fn assess_summary(
    dataset: &Dataset,
    inputs: &impl RiskInputs,
    criteria: &CriteriaSet,
    filter: &RiskFilter,
) -> Vec<RiskSummary> {
    let mut out = Vec::new();
    score_each(
        dataset,
        inputs,
        criteria,
        filter,
        None,
        |org, _, year, scored| out.push(summarised(criteria, org, year, scored)),
    );
    out
}

/// The score and degree of one organisation and year from its scored criteria.
fn summarised(criteria: &CriteriaSet, org: OrgIdx, year: Year, scored: &[Scored]) -> RiskSummary {
    let set = criteria.criteria();
    let rules = criteria.rules();
    let parts = scored.iter().filter_map(|s| {
        let c = set.get(s.criterion)?;
        Some((c.weight, s.score, c.gross))
    });
    let t = totals(parts, rules);
    let gross_trigger = t
        .gross_trigger
        .and_then(|i| scored.get(i))
        .map(|s| s.criterion);
    // Largest contribution wᵢ·sᵢ > 0; ties: larger weight, then smaller id
    // (the order `combine` sorts the explanation in).
    let top = gross_trigger.or_else(|| {
        scored
            .iter()
            .filter_map(|s| {
                let c = set.get(s.criterion)?;
                let w = c.weight * s.score?;
                (w > 0.0).then_some((s.criterion, w, c))
            })
            .min_by(|a, b| {
                b.1.total_cmp(&a.1)
                    .then(b.2.weight.total_cmp(&a.2.weight))
                    .then(a.2.id.cmp(&b.2.id))
            })
            .map(|(i, _, _)| i)
    });
    RiskSummary {
        org,
        year,
        score: t.score,
        degree: t.degree,
        computable_weight_share: t.share,
        top_criterion: top,
        gross_trigger,
    }
}

/// The numbers of one assessment.
struct Totals {
    computable_weight: f64,
    partial: Option<f64>,
    /// Position (in the input order) of the first gross criterion at `s = 1`.
    gross_trigger: Option<usize>,
    share: f64,
    score: Option<f64>,
    degree: Degree,
}

/// Score, degree and data sufficiency from `(weight, score, gross)` per
/// applicable criterion (docs/risk.md, "Risk score").
fn totals(
    parts: impl Iterator<Item = (f64, Option<f64>, bool)> + Clone,
    rules: &super::DegreeRules,
) -> Totals {
    let total_weight: f64 = parts.clone().map(|(w, _, _)| w).sum();
    let computable_weight: f64 = parts
        .clone()
        .filter(|(_, s, _)| s.is_some())
        .map(|(w, _, _)| w)
        .sum();
    let weighted: f64 = parts.clone().filter_map(|(w, s, _)| s.map(|s| s * w)).sum();
    let partial = (computable_weight > 0.0).then(|| 100.0 * weighted / computable_weight);
    let gross_trigger = parts.clone().position(|(_, s, g)| g && s == Some(1.0));
    let share = if total_weight > 0.0 {
        computable_weight / total_weight
    } else {
        0.0
    };
    let (score, degree) = if gross_trigger.is_some() {
        (Some(100.0), Degree::High)
    } else if share < rules.min_computable_weight_share || partial.is_none() {
        (partial, Degree::InsufficientData)
    } else {
        let r = partial.unwrap_or(0.0);
        (Some(r), degree_of(r, rules))
    };
    Totals {
        computable_weight,
        partial,
        gross_trigger,
        share,
        score,
        degree,
    }
}

/// Combines criterion outcomes into the score, degree and explanation.
fn combine(
    org: OrgIdx,
    org_id: &str,
    level: Level,
    year: Year,
    mut outcomes: Vec<CriterionOutcome>,
    rules: &super::DegreeRules,
) -> RiskAssessment {
    let t = totals(outcomes.iter().map(|c| (c.weight, c.score, c.gross)), rules);
    for c in &mut outcomes {
        if let (Some(s), true) = (c.score, t.computable_weight > 0.0) {
            c.contribution = 100.0 * c.weight * s / t.computable_weight;
            c.share_of_score = t.partial.filter(|&r| r > 0.0).map(|r| c.contribution / r);
        }
    }
    let gross_trigger = t
        .gross_trigger
        .and_then(|i| outcomes.get(i))
        .map(|c| c.id.clone());
    outcomes.sort_by(|a, b| {
        b.score
            .is_some()
            .cmp(&a.score.is_some())
            .then(b.contribution.total_cmp(&a.contribution))
            .then(b.weight.total_cmp(&a.weight))
            .then(a.id.cmp(&b.id))
    });
    RiskAssessment {
        org,
        org_id: org_id.to_string(),
        level,
        year,
        score: t.score,
        degree: t.degree,
        computable_weight_share: t.share,
        gross_trigger,
        criteria: outcomes,
    }
}

/// One year in an organisation's risk history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskYear {
    /// Year.
    pub year: Year,
    /// Score (see [`RiskAssessment::score`]).
    pub score: Option<f64>,
    /// Degree.
    pub degree: Degree,
    /// The degree rose compared with the previous assessed year (both real degrees).
    pub degree_rose: bool,
    /// Score change from the previous assessed year, when both exist.
    pub score_change: Option<f64>,
}

impl RiskTable {
    /// The assessment of an organisation in a year.
    pub fn get(&self, org: OrgIdx, year: Year) -> Option<&RiskAssessment> {
        self.assessments
            .iter()
            .find(|a| a.org == org && a.year == year)
    }

    /// The degree and score of an organisation for each assessed year, with a
    /// flag where the degree rose compared with the previous year.
    pub fn history(&self, org: OrgIdx) -> Vec<RiskYear> {
        let mut years: Vec<&RiskAssessment> =
            self.assessments.iter().filter(|a| a.org == org).collect();
        years.sort_by_key(|a| a.year);
        let mut out: Vec<RiskYear> = Vec::with_capacity(years.len());
        for a in years {
            let prev = out.last();
            let degree_rose = match (prev.and_then(|p| p.degree.rank()), a.degree.rank()) {
                (Some(p), Some(c)) => c > p,
                _ => false,
            };
            let score_change = match (prev.and_then(|p| p.score), a.score) {
                (Some(p), Some(c)) => Some(c - p),
                _ => None,
            };
            out.push(RiskYear {
                year: a.year,
                score: a.score,
                degree: a.degree,
                degree_rose,
                score_change,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DegreeRules;
    use kpi_model::metrics::MetricRegistry;
    use kpi_model::{DatasetParts, MetricStore, Organisation, StudentTable, YearSpan};
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn outcome(id: &str, weight: f64, score: Option<f64>, gross: bool) -> CriterionOutcome {
        CriterionOutcome {
            id: id.into(),
            labels: Labels::same(id),
            indicator: id.into(),
            weight,
            gross,
            value: score.map(|_| 0.0),
            thresholds: None,
            score,
            contribution: 0.0,
            share_of_score: None,
            not_computable: score.is_none().then(|| "missing".to_string().into()),
        }
    }

    fn combine_default(outcomes: Vec<CriterionOutcome>) -> RiskAssessment {
        combine(
            OrgIdx(0),
            "x",
            Level::School,
            2023,
            outcomes,
            &DegreeRules::default(),
        )
    }

    #[test]
    fn weighted_score_and_contributions() {
        // R = 100 · (2·0.5 + 1·1 + 1·0) / (2 + 1 + 1) = 100 · 2 / 4 = 50 → medium.
        let a = combine_default(vec![
            outcome("a", 2.0, Some(0.5), false),
            outcome("b", 1.0, Some(1.0), false),
            outcome("c", 1.0, Some(0.0), false),
        ]);
        assert_eq!(a.score, Some(50.0));
        assert_eq!(a.degree, Degree::Medium);
        assert_eq!(a.computable_weight_share, 1.0);
        // contributions: a = 100·1/4 = 25, b = 25, c = 0; ties broken by weight, then id.
        let ids: Vec<&str> = a.criteria.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(a.criteria[0].contribution, 25.0);
        assert_eq!(a.criteria[1].share_of_score, Some(0.5));
        assert_eq!(a.top_criterion().map(|c| c.id.as_str()), Some("a"));
    }

    #[test]
    fn gross_criterion_sets_high_even_with_gaps() {
        // gross at s = 1 → R = 100, high, although most weight is missing.
        let a = combine_default(vec![
            outcome("accr", 1.0, Some(1.0), true),
            outcome("b", 5.0, None, false),
        ]);
        assert_eq!(a.score, Some(100.0));
        assert_eq!(a.degree, Degree::High);
        assert_eq!(a.gross_trigger.as_deref(), Some("accr"));
        assert_eq!(a.top_criterion().map(|c| c.id.as_str()), Some("accr"));
    }

    #[test]
    fn missing_data_never_looks_safe() {
        // computable weight 1 of 4 = 25% < 60% → insufficient data, partial score 0 shown.
        let a = combine_default(vec![
            outcome("a", 3.0, None, false),
            outcome("b", 1.0, Some(0.0), false),
        ]);
        assert_eq!(a.degree, Degree::InsufficientData);
        assert_eq!(a.score, Some(0.0));
        assert_eq!(a.computable_weight_share, 0.25);
        // not-computable criteria come last, with their reason
        assert_eq!(
            a.criteria[1]
                .not_computable
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("missing")
        );
        // exactly 60% is sufficient: 3 of 5
        let b = combine_default(vec![
            outcome("a", 3.0, Some(0.2), false),
            outcome("b", 2.0, None, false),
        ]);
        assert_eq!(b.degree, Degree::Low);
        assert!((b.score.unwrap() - 20.0).abs() < 1e-12);
    }

    #[test]
    fn peer_thresholds_follow_direction() {
        // numpy.quantile(range(1, 11), [0.25, 0.10]) -> [3.25, 1.9]
        // numpy.quantile(range(1, 11), [0.75, 0.90]) -> [7.75, 9.1]
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        let (w, c) = peer_thresholds(Direction::Higher, &v, 25.0, 10.0).unwrap();
        assert!((w - 3.25).abs() < 1e-12 && (c - 1.9).abs() < 1e-12);
        let (w, c) = peer_thresholds(Direction::Lower, &v, 25.0, 10.0).unwrap();
        assert!((w - 7.75).abs() < 1e-12 && (c - 9.1).abs() < 1e-12);
        // band 3–8: distances of 1..=10 are [2,1,0,0,0,0,0,0,1,2], sorted [0,0,0,0,0,0,1,1,2,2];
        // numpy.quantile([0,0,0,0,0,0,1,1,2,2], [0.75, 0.90]) -> [1.0, 2.0]
        let (w, c) =
            peer_thresholds(Direction::Target { min: 3.0, max: 8.0 }, &v, 25.0, 10.0).unwrap();
        assert!((w - 1.0).abs() < 1e-12 && (c - 2.0).abs() < 1e-12);
    }

    #[test]
    fn min_gap_moves_close_percentiles_and_says_so() {
        // The issue's case: pass rates close together. Peers 98.10, 98.16, 98.23, 98.42,
        // 98.47, 98.60, 98.80 (n = 7). Type-7: P25 at h = 1.5 → 98.16 + 0.5·0.07 = 98.195;
        // P10 at h = 0.6 → 98.10 + 0.6·0.06 = 98.136; median (h = 3) 98.42.
        let v = [98.10, 98.16, 98.23, 98.42, 98.47, 98.60, 98.80];
        let gap = MinGap {
            warn: 2.0,
            critical: 5.0,
        };
        let t = peer_thresholds_with_gap(Direction::Higher, &v, 25.0, 10.0, Some(gap)).unwrap();
        assert!((t.warn - 96.42).abs() < 1e-9 && (t.critical - 93.42).abs() < 1e-9);
        let g = t.min_gap.unwrap();
        assert_eq!((g.warn_from_gap, g.critical_from_gap), (true, true));
        assert!((g.peer_median - 98.42).abs() < 1e-12);
        assert!((g.percentile_thresholds.0 - 98.195).abs() < 1e-9);
        assert!((g.percentile_thresholds.1 - 98.136).abs() < 1e-9);
        // 98.10 was "critical" (s = 1) on percentiles alone; with the gap it scores 0.
        assert_eq!(
            criterion_score(Direction::Higher, 98.10, 98.195, 98.136),
            1.0
        );
        assert_eq!(
            criterion_score(Direction::Higher, 98.10, t.warn, t.critical),
            0.0
        );

        // Spread peers: 1..=10, median 5.5; P25 = 3.25 lies beyond 5.5 − 2 = 3.5, so the
        // percentile stays; P10 = 1.9 is not beyond 5.5 − 5 = 0.5, so the gap sets critical.
        let w: Vec<f64> = (1..=10).map(f64::from).collect();
        let t = peer_thresholds_with_gap(Direction::Higher, &w, 25.0, 10.0, Some(gap)).unwrap();
        assert!((t.warn - 3.25).abs() < 1e-12 && (t.critical - 0.5).abs() < 1e-12);
        let g = t.min_gap.unwrap();
        assert_eq!((g.warn_from_gap, g.critical_from_gap), (false, true));
        // lower is better: P75 = 7.75 vs 5.5 + 2 = 7.5 → percentile; P90 = 9.1 vs 10.5 → gap.
        let t = peer_thresholds_with_gap(Direction::Lower, &w, 25.0, 10.0, Some(gap)).unwrap();
        assert!((t.warn - 7.75).abs() < 1e-12 && (t.critical - 10.5).abs() < 1e-12);
        // band 3–8: distances sorted [0,0,0,0,0,0,1,1,2,2], median 0, P75 = 1, P90 = 2;
        // gap 0.5/3 → warn max(1, 0.5) = 1 (percentile), critical max(2, 3) = 3 (gap).
        let band = Direction::Target { min: 3.0, max: 8.0 };
        let small = MinGap {
            warn: 0.5,
            critical: 3.0,
        };
        let t = peer_thresholds_with_gap(band, &w, 25.0, 10.0, Some(small)).unwrap();
        assert_eq!((t.warn, t.critical), (1.0, 3.0));
        assert_eq!(t.min_gap.map(|g| g.peer_median), Some(0.0));
        // Without a gap nothing changes and nothing is recorded.
        let t = peer_thresholds_with_gap(Direction::Higher, &v, 25.0, 10.0, None).unwrap();
        assert!(t.min_gap.is_none() && (t.warn - 98.195).abs() < 1e-9);
        assert_eq!(t.peer_percentiles, Some((25.0, 10.0, 7)));
    }

    #[test]
    fn assess_applies_the_min_gap_from_the_criteria_file() {
        let ds = schools(6);
        let set = CriteriaSet::from_toml_str(
            "t.toml",
            r#"
[[criterion]]
id = "pass"
indicator = "pass"
levels = ["school"]
weight = 1
peer_percentile = { warn = 25, critical = 10 }
min_gap = { warn = 2, critical = 5, reason = "a graduate of a hundred is no risk" }
"#,
        )
        .unwrap();
        // Six schools 97.0, 98.1, 98.2, 98.3, 98.4, 98.5: median (h = 2.5) 98.25;
        // P25 (h = 1.25) 98.125; P10 (h = 0.5) 97.55. Gap: warn 96.25, critical 93.25.
        // School 0 at 97.0 lies above warn 96.25 → s = 0 (below P10, so s = 1 on percentiles alone).
        let mut m = HashMap::new();
        for (i, v) in [97.0, 98.1, 98.2, 98.3, 98.4, 98.5].into_iter().enumerate() {
            m.insert(("pass".to_string(), i as u32, 2023), v);
        }
        let table = assess(
            &ds,
            &FakeInputs(m),
            &set,
            &RiskFilter {
                years: vec![2023],
                levels: vec![],
            },
        );
        let a = table.get(OrgIdx(0), 2023).unwrap();
        let c = &a.criteria[0];
        let t = c.thresholds.unwrap();
        assert!((t.warn - 96.25).abs() < 1e-9 && (t.critical - 93.25).abs() < 1e-9);
        assert_eq!(c.score, Some(0.0));
        assert_eq!(a.score, Some(0.0));
        let g = t.min_gap.unwrap();
        assert!(g.warn_from_gap && g.critical_from_gap);
        assert!((g.percentile_thresholds.1 - 97.55).abs() < 1e-9);
    }

    struct FakeInputs(HashMap<(String, u32, Year), f64>);
    impl RiskInputs for FakeInputs {
        fn direction(&self, indicator: &str) -> Option<Direction> {
            match indicator {
                "pass" => Some(Direction::Higher),
                "dropout" => Some(Direction::Lower),
                _ => None,
            }
        }
        fn value(&self, indicator: &str, org: OrgIdx, year: Year) -> Result<f64, CriterionGap> {
            self.0
                .get(&(indicator.to_string(), org.0, year))
                .copied()
                .ok_or_else(|| format!("{indicator} missing in {year}").into())
        }
    }

    fn schools(n: usize) -> Dataset {
        let organisations = (0..n)
            .map(|i| Organisation {
                id: format!("S{i}"),
                name: format!("School {i}"),
                name_kk: None,
                name_ru: None,
                name_en: None,
                level: Level::School,
                region: "Astana".into(),
                ownership: None,
                locality: None,
            })
            .collect();
        Dataset::from_parts(DatasetParts {
            organisations,
            programmes: vec![],
            metrics: MetricRegistry::builtin(),
            store: MetricStore::new(YearSpan::new(2022, 2023), n),
            students: StudentTable::default(),
            terms: vec![],
            report: Default::default(),
        })
    }

    #[test]
    fn assess_with_fixed_and_peer_thresholds_and_history() {
        let ds = schools(6);
        let set = CriteriaSet::from_toml_str(
            "t.toml",
            r#"
[[criterion]]
id = "pass"
indicator = "pass"
levels = ["school"]
weight = 2
peer_percentile = { warn = 25, critical = 10 }

[[criterion]]
id = "dropout"
indicator = "dropout"
levels = ["school"]
weight = 1
warn = 1
critical = 3
"#,
        )
        .unwrap();
        let mut m = HashMap::new();
        // pass rates 2023 of six schools: 50, 60, 70, 80, 90, 100.
        // type-7 quantiles: Q(0.25) = 50 + 1.25·10 = 62.5 (warn), Q(0.10) = 50 + 0.5·10 = 55 (critical)
        for (i, v) in [50.0, 60.0, 70.0, 80.0, 90.0, 100.0]
            .into_iter()
            .enumerate()
        {
            m.insert(("pass".to_string(), i as u32, 2023), v);
        }
        m.insert(("dropout".to_string(), 0, 2023), 2.0); // (2 − 1) / (3 − 1) = 0.5
        m.insert(("dropout".to_string(), 1, 2023), 0.5); // 0
                                                         // 2022: school 0 alone has values (pass 70, dropout 0): one peer is too few for percentiles.
        m.insert(("pass".to_string(), 0, 2022), 70.0);
        m.insert(("dropout".to_string(), 0, 2022), 0.0);
        let inputs = FakeInputs(m);
        let table = assess(&ds, &inputs, &set, &RiskFilter::default());
        let a = table.get(OrgIdx(0), 2023).unwrap();
        // school 0: pass 50 ≤ 55 → s = 1; dropout s = 0.5; R = 100 · (2·1 + 1·0.5) / 3 = 83.33…
        assert!((a.score.unwrap() - 250.0 / 3.0).abs() < 1e-9);
        assert_eq!(a.degree, Degree::High);
        let t = a.criteria[0].thresholds.unwrap();
        assert_eq!(
            (t.warn, t.critical, t.peer_percentiles),
            (62.5, 55.0, Some((25.0, 10.0, 6)))
        );
        // school 1: pass 60 → (62.5 − 60) / (62.5 − 55) = 1/3; dropout 0 → R = 100 · (2/3) / 3 = 22.2…
        let b = table.get(OrgIdx(1), 2023).unwrap();
        assert!((b.score.unwrap() - 200.0 / 9.0).abs() < 1e-9);
        assert_eq!(b.degree, Degree::Low);
        // school 2: dropout missing → 2 of 3 weight computable (66.7% ≥ 60%): pass 70 → 0 → low
        let c = table.get(OrgIdx(2), 2023).unwrap();
        assert_eq!((c.score, c.degree), (Some(0.0), Degree::Low));
        assert_eq!(
            c.criteria[1]
                .not_computable
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("dropout missing in 2023")
        );
        // 2022: pass has no peers → not computable (peer group too small); school 0 dropout 0 → share 1/3
        let d = table.get(OrgIdx(0), 2022).unwrap();
        assert_eq!(d.degree, Degree::InsufficientData);
        assert!(d.criteria[1]
            .not_computable
            .as_ref()
            .map(ToString::to_string)
            .as_deref()
            .unwrap()
            .contains("peer group too small"));
        // history of school 0: 2022 insufficient, 2023 high: not a rise between real degrees
        let h = table.history(OrgIdx(0));
        assert_eq!(h.len(), 2);
        assert!(!h[1].degree_rose);
    }

    #[test]
    fn degree_rise_is_flagged() {
        let mk = |year, score: f64, degree| RiskAssessment {
            org: OrgIdx(0),
            org_id: "x".into(),
            level: Level::School,
            year,
            score: Some(score),
            degree,
            computable_weight_share: 1.0,
            gross_trigger: None,
            criteria: vec![],
        };
        let table = RiskTable {
            assessments: vec![
                mk(2021, 20.0, Degree::Low),
                mk(2023, 50.0, Degree::Medium),
                mk(2022, 25.0, Degree::Low),
            ],
        };
        let h = table.history(OrgIdx(0));
        assert_eq!(
            h.iter().map(|y| y.year).collect::<Vec<_>>(),
            [2021, 2022, 2023]
        );
        assert_eq!(
            h.iter().map(|y| y.degree_rose).collect::<Vec<_>>(),
            [false, false, true]
        );
        assert_eq!(h[2].score_change, Some(25.0));
    }

    proptest! {
        #[test]
        fn criterion_score_is_bounded_and_monotone(
            a in -1e6f64..1e6, b in -1e6f64..1e6, warn in -100.0f64..100.0, gap in 0.0f64..100.0
        ) {
            // higher is better: warn above critical; a worse (lower) value never scores less
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            let s_lo = criterion_score(Direction::Higher, lo, warn, warn - gap);
            let s_hi = criterion_score(Direction::Higher, hi, warn, warn - gap);
            prop_assert!((0.0..=1.0).contains(&s_lo) && (0.0..=1.0).contains(&s_hi));
            prop_assert!(s_lo >= s_hi);
            // lower is better: a higher value never scores less
            let t_lo = criterion_score(Direction::Lower, lo, warn, warn + gap);
            let t_hi = criterion_score(Direction::Lower, hi, warn, warn + gap);
            prop_assert!(t_hi >= t_lo);
        }

        #[test]
        fn risk_score_is_within_0_100_and_monotone_in_badness(
            parts in proptest::collection::vec((0.1f64..10.0, proptest::option::of(0.0f64..=1.0)), 1..8),
            which in 0usize..8,
            bump in 0.0f64..1.0,
        ) {
            let outcomes: Vec<CriterionOutcome> = parts
                .iter()
                .enumerate()
                .map(|(i, (w, s))| outcome(&format!("c{i}"), *w, *s, false))
                .collect();
            let base = combine_default(outcomes.clone());
            if let Some(r) = base.score {
                prop_assert!((0.0..=100.0).contains(&r));
            }
            // making one computable criterion worse never lowers the score
            let i = which % outcomes.len();
            if let Some(s) = outcomes[i].score {
                let mut worse = outcomes.clone();
                worse[i].score = Some((s + bump).min(1.0));
                let w = combine_default(worse);
                prop_assert!(w.score.unwrap() + 1e-9 >= base.score.unwrap());
            }
        }
    }
}
