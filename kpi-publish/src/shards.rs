//! The files of a bundle, built from an engine's results. Only aggregates
//! are read: indicator values, their counts of persons, risk assessments and
//! organisation attributes; never a record.

use super::pages;
use super::suppress::{suppress_group, Counts, Slot, Status};
use super::{sha256_hex, BundleFile, PublishError, PublishOptions, Sink, SourceDigest};
use kpi_engine::Engine;
use kpi_indicators::{IndicatorDef, IndicatorId, IndicatorTable, Outcome};
use kpi_model::i18n::{Labels, Lang};
use kpi_model::{Dataset, Level, OrgIdx, UnitId, Year};
use kpi_risk::RiskAssessment;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Record-derived means about persons that have no counts in the
/// catalogue: the metric that counts those persons.
const POPULATION_OF: [(&str, &str); 4] = [
    ("gpa_mean", "students_enrolled"),
    ("exam_score_mean", "exam_takers"),
    ("achievement_score_mean", "students_enrolled"),
    ("learning_outcome_coefficient", "students_enrolled"),
];

/// A risk criterion's name, weight and indicator, once per level.
#[derive(Serialize)]
struct CriterionName<'a> {
    labels: &'a Labels,
    indicator: &'a str,
    weight: f64,
    gross: bool,
    unit: kpi_chart::ValueUnit,
    decimals: usize,
    band: bool,
}

/// One organisation-year of the ranking.
#[derive(Serialize)]
struct RiskRow<'a> {
    org: &'a str,
    year: Year,
    score: Option<f64>,
    degree: &'a str,
    computable_weight_share: f64,
    top_criterion: Option<&'a str>,
}

/// `risk/<level>/<year>.json`: the ranking of one level and year.
#[derive(Serialize)]
struct RiskLevelFile<'a> {
    level: &'a str,
    year: Year,
    assessments: Vec<RiskRow<'a>>,
}

/// How the number of persons behind an indicator's values is found.
enum Population {
    /// The indicator's counts: `n` is its trials.
    Counts,
    /// The fewest of these person counts read by the formula.
    Metrics(Vec<String>),
    /// Not about persons (a flag, an amount): never suppressed.
    None,
}

fn population(ds: &Dataset, def: &IndicatorDef) -> Population {
    if def.counts.is_some() {
        return Population::Counts;
    }
    let registry = ds.metrics();
    let persons = |code: &str| {
        registry
            .id(code)
            .is_some_and(|id| registry.def(id).unit == "persons")
    };
    let mut metrics: Vec<String> = def
        .formula
        .metrics()
        .into_iter()
        .map(|m| m.metric)
        .filter(|m| persons(m))
        .collect();
    for m in def.formula.metrics() {
        if let Some((_, p)) = POPULATION_OF.iter().find(|(of, _)| *of == m.metric) {
            metrics.push((*p).to_string());
        }
    }
    metrics.sort();
    metrics.dedup();
    if metrics.is_empty() {
        Population::None
    } else {
        Population::Metrics(metrics)
    }
}

/// One cell as published.
#[derive(Clone, Copy)]
pub(crate) struct Cell {
    pub(crate) slot: Slot,
    pub(crate) outcome_reason: Option<IndicatorId>,
}

struct Selection {
    orgs: Vec<OrgIdx>,
    years: Vec<Year>,
    levels: Vec<Level>,
}

fn select(ds: &Dataset, options: &PublishOptions) -> Result<Selection, PublishError> {
    let years: Vec<Year> = ds
        .years()
        .iter()
        .filter(|y| options.years.is_empty() || options.years.contains(y))
        .collect();
    if years.is_empty() {
        return Err(PublishError::Nothing(format!(
            "no year of the data is selected (the data hold {}–{})",
            ds.years().first,
            ds.years().last
        )));
    }
    for id in &options.orgs {
        if ds.org_by_id(id).is_none() {
            return Err(PublishError::Nothing(format!(
                "--org {id:?}: no organisation with this org_id"
            )));
        }
    }
    let orgs: Vec<OrgIdx> = (0..ds.organisations().len() as u32)
        .map(OrgIdx)
        .filter(|&o| {
            let org = ds.org(o);
            (options.levels.is_empty() || options.levels.contains(&org.level))
                && (options.orgs.is_empty() || options.orgs.contains(&org.id))
                && (options.regions.is_empty()
                    || options
                        .regions
                        .iter()
                        .any(|r| kpi_model::region_key(r) == kpi_model::region_key(&org.region)))
        })
        .collect();
    if orgs.is_empty() {
        return Err(PublishError::Nothing(
            "no organisation matches the --level, --region and --org given".into(),
        ));
    }
    let mut levels: Vec<Level> = orgs.iter().map(|&o| ds.org(o).level).collect();
    levels.sort();
    levels.dedup();
    Ok(Selection {
        orgs,
        years,
        levels,
    })
}

/// Every cell of one indicator for the organisations of one level (and
/// their programmes), after suppression: unit → one cell per year.
fn cells(
    ds: &Dataset,
    table: &IndicatorTable,
    id: IndicatorId,
    orgs: &[OrgIdx],
    years: &[Year],
    k: u32,
) -> HashMap<UnitId, Vec<Cell>> {
    let Some(def) = table.def(id) else {
        return HashMap::default();
    };
    let pop = population(ds, def);
    let slot = |unit: UnitId, year: Year| -> Cell {
        let outcome = table.get(id, unit, year);
        let value = outcome.as_ref().and_then(Outcome::value);
        let slot = match &pop {
            Population::None => Slot::unmeasured(value),
            Population::Counts => {
                Slot::measured(value, table.counts(ds, id, unit, year).map(|c| c.trials))
            }
            Population::Metrics(ms) => Slot::measured(
                value,
                ms.iter()
                    .map(|m| ds.value(unit, year, m))
                    .collect::<Option<Vec<f64>>>()
                    .and_then(|v| v.into_iter().reduce(f64::min)),
            ),
        };
        Cell {
            slot,
            outcome_reason: Some(id),
        }
    };
    let mut out = HashMap::default();
    for &org in orgs {
        let org_unit = ds.org_unit(org);
        let programmes: Vec<UnitId> = ds
            .programme_units(org)
            .iter()
            .copied()
            .filter(|&u| table.applies(id, u))
            .collect();
        let own = table.applies(id, org_unit);
        if !own && programmes.is_empty() {
            continue;
        }
        let mut own_cells = Vec::with_capacity(years.len());
        let mut prog_cells: Vec<Vec<Cell>> =
            vec![Vec::with_capacity(years.len()); programmes.len()];
        for &year in years {
            let mut o = if own {
                slot(org_unit, year)
            } else {
                Cell {
                    slot: Slot::unmeasured(None),
                    outcome_reason: None,
                }
            };
            let mut ps: Vec<Cell> = programmes.iter().map(|&u| slot(u, year)).collect();
            let mut slots: Vec<Slot> = ps.iter().map(|c| c.slot).collect();
            suppress_group(&mut o.slot, &mut slots, k);
            for (c, s) in ps.iter_mut().zip(&slots) {
                c.slot = *s;
            }
            own_cells.push(o);
            for (i, c) in ps.into_iter().enumerate() {
                prog_cells[i].push(c);
            }
        }
        if own {
            out.insert(org_unit, own_cells);
        }
        for (u, cs) in programmes.into_iter().zip(prog_cells) {
            out.insert(u, cs);
        }
    }
    out
}

impl Cell {
    /// Why the cell has no value when it is not computable: the indicator's
    /// own reason, in every language. `None` for a published value, and for a
    /// suppressed one: its status says why, and `catalogue.json` writes the
    /// text of each status once (`reasons`, from [`Status::reason`]). The one
    /// source of the reasons of region tables and pages.
    pub(crate) fn not_computable_reason(
        &self,
        table: &IndicatorTable,
        unit: UnitId,
        year: Year,
    ) -> Option<Labels> {
        if self.slot.status != Status::NotComputable {
            return None;
        }
        let outcome = self
            .outcome_reason
            .and_then(|id| table.get(id, unit, year))?;
        let reason = outcome.reason()?;
        // The same few reasons recur across units and indicators: each is written
        // out in the four languages once per thread, then copied.
        thread_local! {
            static TEXTS: std::cell::RefCell<HashMap<kpi_indicators::Reason, Labels>> =
                std::cell::RefCell::new(HashMap::default());
        }
        let localized = || Labels::from_fn(|l| reason.localized(l));
        Some(TEXTS.with(|texts| match texts.try_borrow_mut() {
            Ok(mut texts) => match texts.get(reason) {
                Some(labels) => labels.clone(),
                None => {
                    let labels = localized();
                    texts.insert(reason.clone(), labels.clone());
                    labels
                }
            },
            Err(_) => localized(),
        }))
    }
}

/// The texts of the reasons a bundle names by code (`catalogue.json`
/// `reasons`): each suppression status with `k`, a not computable value
/// without a reason of its own, and a withheld risk score.
fn reason_texts(k: u32) -> BTreeMap<&'static str, Labels> {
    let mut out = BTreeMap::new();
    for status in [Status::FewPersons, Status::UnknownSize, Status::Secondary] {
        if let Some(why) = status.reason(k) {
            out.insert(status.code(), why);
        }
    }
    out.insert(
        Status::NotComputable.code(),
        Labels {
            kk: "есептелмейді".into(),
            ru: "не рассчитывается".into(),
            en: "not computable".into(),
            ky: "эсептелбейт".into(),
        },
    );
    out.insert(pages::SCORE_WITHHELD, pages::withheld_reason(k));
    out
}

/// Quantiles of the published organisation-level values of a peer group:
/// only groups of at least `k` values, so that no quantile is a lone value.
fn peer_stats(values: &[f64], k: u32) -> Option<PeerStats> {
    if values.len() < k as usize {
        return None;
    }
    let sorted = kpi_stats::order::sorted_finite(values.iter().copied());
    let q = |p: f64| kpi_stats::order::quantile_sorted(&sorted, p);
    Some(PeerStats {
        count: sorted.len(),
        p10: q(0.10),
        p25: q(0.25),
        median: q(0.5),
        p75: q(0.75),
        p90: q(0.90),
        mean: sorted.iter().sum::<f64>() / sorted.len() as f64,
    })
}

/// The quantiles of a peer group in one year.
#[derive(Serialize, Clone, Copy)]
struct PeerStats {
    count: usize,
    p10: Option<f64>,
    p25: Option<f64>,
    median: Option<f64>,
    p75: Option<f64>,
    p90: Option<f64>,
    mean: f64,
}

/// A unit's names in the shards: the organisation id and the programme code.
fn unit_names(ds: &Dataset, unit: UnitId) -> (&str, Option<&str>) {
    let u = ds.unit(unit);
    (ds.org(u.org).id.as_str(), ds.programme_code(unit))
}

/// A region's table in one year, by column (one item per unit): the keys
/// once per file rather than once per unit.
#[derive(Serialize, Default)]
struct TableColumns<'a> {
    org: Vec<&'a str>,
    programme: Vec<Option<&'a str>>,
    value: Vec<Option<f64>>,
    n: Vec<Option<f64>>,
    status: Vec<&'static str>,
    /// Why a not computable value is missing: an index into the table's
    /// `reasons` (the same few texts recur across a region's units).
    reason: Vec<Option<usize>>,
    percentile: Vec<Option<f64>>,
    percentile_region: Vec<Option<f64>>,
    /// A rate's 95% Wilson interval (organisations with a published value).
    #[serde(skip_serializing_if = "all_none")]
    wilson_lower: Vec<Option<f64>>,
    #[serde(skip_serializing_if = "all_none")]
    wilson_upper: Vec<Option<f64>>,
    /// Where the interval lies against the level's and the region's peer median.
    #[serde(skip_serializing_if = "all_none")]
    significance: Vec<Option<kpi_chart::Significance>>,
    #[serde(skip_serializing_if = "all_none")]
    significance_region: Vec<Option<kpi_chart::Significance>>,
    /// The texts `reason` points to.
    #[serde(skip)]
    reasons: Vec<Labels>,
}

fn all_none<T>(v: &[Option<T>]) -> bool {
    v.iter().all(Option::is_none)
}

fn none_true(v: &[bool]) -> bool {
    !v.contains(&true)
}

/// A unit's place in a peer group of published values
/// ([`kpi_stats::peer_positions`]).
#[derive(Clone, Copy)]
struct Position {
    value_percentile: Option<f64>,
    rank: usize,
    z: Option<f64>,
    robust_z: Option<f64>,
    outlier: bool,
}

/// The `table` kind's peer statistics of a region's organisations with a
/// published value in one year, by column. Apart from the region tables, which every
/// compare chart reads, so that only a table pays for them.
#[derive(Serialize, Default)]
struct PositionColumns<'a> {
    org: Vec<&'a str>,
    /// Rank in the indicator's direction (1 = best; ties share the better
    /// rank), z-score, robust z and the outlier flag (|robust z| > 3.5) among
    /// the level's published organisation values, then among the region's;
    /// and where the indicator's direction is not "higher is better", the
    /// percentile of the value itself (mid-rank, ascending), as the `table`
    /// kind shows it (for "higher" it is `percentile`).
    #[serde(skip_serializing_if = "all_none")]
    value_percentile: Vec<Option<f64>>,
    rank: Vec<Option<usize>>,
    z: Vec<Option<f64>>,
    robust_z: Vec<Option<f64>>,
    #[serde(skip_serializing_if = "none_true")]
    outlier: Vec<bool>,
    #[serde(skip_serializing_if = "all_none")]
    value_percentile_region: Vec<Option<f64>>,
    rank_region: Vec<Option<usize>>,
    z_region: Vec<Option<f64>>,
    robust_z_region: Vec<Option<f64>>,
    #[serde(skip_serializing_if = "none_true")]
    outlier_region: Vec<bool>,
}

/// `positions/<level>/<region>/<year>/<indicator>.json`.
#[derive(Serialize)]
struct PositionsFile<'a> {
    indicator: &'a str,
    level: &'a str,
    region_slug: &'a str,
    year: Year,
    units: PositionColumns<'a>,
}

impl PositionColumns<'_> {
    /// Appends a unit's place among the level's (`regional` false) or the
    /// region's published values.
    fn place(&mut self, p: Option<Position>, regional: bool) {
        let (pct, rank, z, robust_z, outlier) = if regional {
            (
                &mut self.value_percentile_region,
                &mut self.rank_region,
                &mut self.z_region,
                &mut self.robust_z_region,
                &mut self.outlier_region,
            )
        } else {
            (
                &mut self.value_percentile,
                &mut self.rank,
                &mut self.z,
                &mut self.robust_z,
                &mut self.outlier,
            )
        };
        pct.push(p.and_then(|p| p.value_percentile));
        rank.push(p.map(|p| p.rank));
        z.push(p.and_then(|p| p.z));
        robust_z.push(p.and_then(|p| p.robust_z));
        outlier.push(p.is_some_and(|p| p.outlier));
    }
}

/// `indicators/<level>/<region>/<year>/<indicator>.json`.
#[derive(Serialize)]
struct RegionTable<'a> {
    indicator: &'a str,
    level: &'a str,
    region_slug: &'a str,
    year: Year,
    /// The sentence of the distribution of the region's published
    /// organisation values (at least `k` of them).
    sentence: Option<&'a Labels>,
    reasons: Vec<Labels>,
    units: TableColumns<'a>,
}

/// A rate's Wilson interval and its verdict against a peer median, as the
/// engine's compare chart marks it (`kpi_stats::rate_significance`).
fn significance(
    counts: Option<(f64, f64)>,
    scale: Option<kpi_stats::RateScale>,
    median: Option<f64>,
    direction: kpi_model::Direction,
) -> Option<kpi_stats::comparative::RateSignificance> {
    let ((successes, trials), scale, median) = (counts?, scale?, median?);
    kpi_stats::rate_significance(successes, trials, scale, median, direction).ok()
}

fn verdict(s: &kpi_stats::comparative::RateSignificance) -> kpi_chart::Significance {
    use kpi_stats::comparative::RateVerdict;
    match s.verdict {
        RateVerdict::SignificantlyBetter => kpi_chart::Significance::Better,
        RateVerdict::SignificantlyWorse => kpi_chart::Significance::Worse,
        RateVerdict::NotSignificant => kpi_chart::Significance::NotSignificant,
    }
}

/// An organisation's names in every language.
pub(crate) fn org_names(org: &kpi_model::Organisation) -> Labels {
    Labels::from_fn(|lang| org.display_name(lang).to_string())
}

/// A name as one safe path segment: ASCII letters, digits, `-` and `_`
/// stay; every other byte of its UTF-8 is written `~xx` (lowercase hex).
/// The widgets' reader (`kpi-bundle.js`) writes the same.
///
/// ```
/// assert_eq!(kpi_publish::path_key("070740828820"), "070740828820");
/// assert_eq!(kpi_publish::path_key("../a b"), "~2e~2e~2fa~20b");
/// ```
pub fn path_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("~{b:02x}"));
        }
    }
    if out.is_empty() {
        out.push('~');
    }
    out
}

/// The regions of the data, each with a short path segment: `r` and the
/// first 8 hex digits of the SHA-256 of its key ([`kpi_model::region_key`]),
/// so that spellings that differ only in case or spaces share one.
pub(crate) struct RegionSlugs {
    slugs: Vec<String>,
    names: Vec<String>,
    /// Each organisation's region, by [`OrgIdx`] (its key is computed once).
    of_org: Vec<usize>,
}

impl RegionSlugs {
    pub(crate) fn of(ds: &Dataset) -> RegionSlugs {
        let mut index: HashMap<String, usize> = HashMap::default();
        let mut r = RegionSlugs {
            slugs: Vec::new(),
            names: Vec::new(),
            of_org: Vec::with_capacity(ds.organisations().len()),
        };
        for org in ds.organisations() {
            let key = kpi_model::region_key(&org.region);
            let i = match index.get(&key) {
                Some(&i) => i,
                None => {
                    let i = r.slugs.len();
                    r.slugs
                        .push(format!("r{}", &sha256_hex(key.as_bytes())[..8]));
                    r.names.push(org.region.clone());
                    index.insert(key, i);
                    i
                }
            };
            r.of_org.push(i);
        }
        r
    }

    /// The region of an organisation, as an index of the regions.
    pub(crate) fn index_of(&self, org: OrgIdx) -> usize {
        self.of_org.get(org.0 as usize).copied().unwrap_or(0)
    }

    /// The slug of an organisation's region.
    pub(crate) fn slug_of(&self, org: OrgIdx) -> &str {
        self.slugs
            .get(self.index_of(org))
            .map_or("r", String::as_str)
    }

    fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.slugs
            .iter()
            .zip(&self.names)
            .map(|(s, n)| (s.as_str(), n.as_str()))
    }
}

/// What one indicator of a level gives the rest of the bundle.
struct IndicatorShards {
    cells: pages::IndicatorCells,
    /// Whether each unit-year's value is suppressed (unit index × years + year).
    suppressed: Vec<bool>,
    counts: Counts,
    code: Option<String>,
}

/// `indicators/<level>/<indicator>.json`: peer quantiles per year.
#[derive(Serialize)]
struct QuantilesFile<'a> {
    indicator: &'a str,
    level: &'a str,
    years: &'a [Year],
    national: Vec<Option<PeerStats>>,
    regions: BTreeMap<&'a str, Vec<Option<PeerStats>>>,
}

/// `distributions/<level>/<indicator>.json`: the published values per year and their sentence.
#[derive(Serialize)]
struct DistributionsFile<'a> {
    indicator: &'a str,
    level: &'a str,
    years: &'a [Year],
    values: Vec<Vec<f64>>,
    sentence: Vec<Option<Labels>>,
}

/// `gaps/<level>/<indicator>.json`: the indicator across the groups of the
/// level's organisations, per year, from the published values only (the
/// `gaps` chart's input as the engine makes it).
#[derive(Serialize)]
struct GapsFile<'a> {
    indicator: &'a str,
    level: &'a str,
    years: &'a [Year],
    /// Organisations with a published value, per year (a reader's default
    /// year is the latest with any).
    with_value: Vec<usize>,
    locality: Vec<kpi_chart::GapsData>,
    ownership: Vec<kpi_chart::GapsData>,
    region: Vec<kpi_chart::GapsData>,
}

/// What every indicator of a level reads.
struct LevelContext<'a> {
    engine: &'a Engine,
    ds: &'a Dataset,
    table: &'a IndicatorTable,
    regions: &'a RegionSlugs,
    level: Level,
    years: &'a [Year],
    k: u32,
    /// Every organisation of the level: the peers.
    all_of_level: &'a [OrgIdx],
    /// The selected organisations of the level (the files list them).
    selected: &'a [OrgIdx],
}

impl LevelContext<'_> {
    /// The cells, peer statistics and region tables of one indicator: its
    /// files go to the sink, the rest back to the level.
    fn indicator(
        &self,
        id: IndicatorId,
        def: &IndicatorDef,
        wanted: bool,
        sink: &Sink,
    ) -> Result<IndicatorShards, PublishError> {
        let (ds, years, k) = (self.ds, self.years, self.k);
        let n_years = years.len();
        // Computed once for the whole level: the peers are every
        // organisation of it; the files list the selected ones.
        let peer_cells = cells(ds, self.table, id, self.all_of_level, years, k);
        let mut suppressed = vec![false; ds.units().len() * n_years];
        for (&unit, cs) in &peer_cells {
            for (yi, cell) in cs.iter().enumerate() {
                if let Some(f) = suppressed.get_mut(unit.index() * n_years + yi) {
                    *f = cell.slot.status.is_suppressed();
                }
            }
        }
        let mut counts = Counts::default();
        if !wanted {
            return Ok(IndicatorShards {
                cells: pages::IndicatorCells {
                    id,
                    cells: peer_cells,
                    standings: HashMap::default(),
                },
                suppressed,
                counts,
                code: None,
            });
        }
        // The selected units in order: each organisation, then its programmes.
        let peer_ref = &peer_cells;
        let selected_units: Vec<(OrgIdx, UnitId, &Vec<Cell>)> = self
            .selected
            .iter()
            .flat_map(|&o| {
                std::iter::once(ds.org_unit(o))
                    .chain(ds.programme_units(o).iter().copied())
                    .filter_map(move |u| peer_ref.get(&u).map(|cs| (o, u, cs)))
            })
            .collect();
        for (_, _, cs) in &selected_units {
            counts.add(
                cs.iter()
                    .filter(|c| c.outcome_reason.is_some())
                    .map(|c| c.slot),
            );
        }
        // Peer statistics from published organisation-level values.
        let subject = kpi_engine::subject_of(def);
        let n_regions = self.regions.slugs.len();
        let mut national_stats = Vec::with_capacity(n_years);
        let mut region_stats: BTreeMap<&str, Vec<Option<PeerStats>>> = BTreeMap::new();
        let mut national_values = Vec::with_capacity(n_years);
        let mut national_medians = Vec::with_capacity(n_years);
        let mut sentences = Vec::with_capacity(n_years);
        let mut standings: pages::Standings = HashMap::default();
        // Per unit and year: its position among the level's and among its
        // region's published organisation values.
        #[allow(clippy::type_complexity)]
        let mut positions: HashMap<UnitId, (Vec<Option<Position>>, Vec<Option<Position>>)> =
            HashMap::default();
        // Per region and year: the peer median and the distribution's sentence.
        let mut region_medians: HashMap<(usize, usize), f64> = HashMap::default();
        let mut region_sentences: HashMap<(usize, usize), Labels> = HashMap::default();
        for yi in 0..n_years {
            let mut national = Vec::new();
            let mut per_region: Vec<Vec<f64>> = vec![Vec::new(); n_regions];
            let mut valued: Vec<(UnitId, usize, f64)> = Vec::new();
            for &o in self.all_of_level {
                let unit = ds.org_unit(o);
                let Some(cell) = peer_cells.get(&unit).and_then(|c| c.get(yi)) else {
                    continue;
                };
                if let (Status::Published, Some(v)) = (cell.slot.status, cell.slot.value) {
                    let r = self.regions.index_of(o);
                    national.push(v);
                    if let Some(pr) = per_region.get_mut(r) {
                        pr.push(v);
                    }
                    valued.push((unit, r, v));
                }
            }
            // Percentiles in direction: mid-rank among the published values.
            let goodness = |v: &[f64]| {
                kpi_stats::order::sorted_finite(v.iter().map(|&x| def.direction.goodness(x) + 0.0))
            };
            let national_g = goodness(&national);
            let region_g: Vec<Vec<f64>> = per_region.iter().map(|v| goodness(v)).collect();
            for &(unit, r, v) in &valued {
                let g = def.direction.goodness(v) + 0.0;
                let entry = &mut standings
                    .entry(unit)
                    .or_insert_with(|| vec![pages::Standing::default(); n_years])[yi];
                entry.percentile = kpi_stats::order::percentile_rank_sorted(&national_g, g);
                entry.percentile_region = region_g
                    .get(r)
                    .and_then(|s| kpi_stats::order::percentile_rank_sorted(s, g));
            }
            // Rank, z-score, robust z and outlier flag (the `table` kind's
            // columns): the engine's peer statistics over the published values.
            let national_pairs: Vec<(UnitId, f64)> =
                valued.iter().map(|&(u, _, v)| (u, v)).collect();
            let mut regional_pairs: Vec<Vec<(UnitId, f64)>> = vec![Vec::new(); n_regions];
            for &(u, r, v) in &valued {
                if let Some(p) = regional_pairs.get_mut(r) {
                    p.push((u, v));
                }
            }
            let mut place = |pairs: &[(UnitId, f64)], regional: bool| {
                let Ok(cmp) = kpi_stats::peer_positions(pairs, def.direction) else {
                    return;
                };
                for p in cmp.positions {
                    let entry = positions
                        .entry(p.id)
                        .or_insert_with(|| (vec![None; n_years], vec![None; n_years]));
                    let slot = if regional { &mut entry.1 } else { &mut entry.0 };
                    slot[yi] = Some(Position {
                        // Where the direction is not "higher is better" the
                        // percentile of the value differs from `percentile`.
                        value_percentile: (!matches!(def.direction, kpi_model::Direction::Higher))
                            .then_some(p.percentile_rank),
                        rank: p.rank,
                        z: p.z.ok(),
                        robust_z: p.robust_z.ok(),
                        outlier: p.outlier,
                    });
                }
            };
            place(&national_pairs, false);
            for pairs in &regional_pairs {
                place(pairs, true);
            }
            for (r, v) in per_region.iter().enumerate() {
                if v.is_empty() {
                    continue;
                }
                let stats = peer_stats(v, k);
                if let Some(m) = stats.and_then(|s| s.median) {
                    region_medians.insert((r, yi), m);
                }
                region_stats
                    .entry(self.regions.slugs[r].as_str())
                    .or_insert_with(|| vec![None; n_years])[yi] = stats;
                if stats.is_some() {
                    if let Ok(d) = kpi_stats::distribution(v) {
                        region_sentences.insert(
                            (r, yi),
                            Labels::from_fn(|lang| {
                                kpi_summary::distribution_sentence(&subject, &d, lang)
                            }),
                        );
                    }
                }
            }
            national_medians.push(peer_stats(&national, k).and_then(|s| s.median));
            national_stats.push(peer_stats(&national, k));
            let enough = national.len() >= k as usize;
            let sorted = kpi_stats::order::sorted_finite(national);
            sentences.push(
                kpi_stats::distribution(&sorted)
                    .ok()
                    .filter(|_| enough)
                    .map(|d| {
                        Labels::from_fn(|lang| {
                            kpi_summary::distribution_sentence(&subject, &d, lang)
                        })
                    }),
            );
            national_values.push(if enough { sorted } else { Vec::new() });
        }
        let level = self.level.code();
        sink.put_json(
            format!("indicators/{level}/{}.json", def.code),
            &QuantilesFile {
                indicator: &def.code,
                level,
                years,
                national: national_stats,
                regions: region_stats,
            },
        )?;
        sink.put_json(
            format!("distributions/{level}/{}.json", def.code),
            &DistributionsFile {
                indicator: &def.code,
                level,
                years,
                values: national_values,
                sentence: sentences,
            },
        )?;
        if def.per.organisations() {
            // Group means over published values only: a mean over a
            // suppressed value would give it away.
            let published = |unit: UnitId, yi: usize| {
                peer_cells
                    .get(&unit)
                    .and_then(|c| c.get(yi))
                    .filter(|c| c.slot.status == Status::Published)
                    .and_then(|c| c.slot.value)
            };
            let gaps_of =
                |by: kpi_engine::GapBy| -> Result<Vec<kpi_chart::GapsData>, PublishError> {
                    years
                        .iter()
                        .enumerate()
                        .map(|(yi, &year)| {
                            let report = self.engine.gaps_of_values(
                                &def.code,
                                year,
                                self.level,
                                by,
                                &|u| published(u, yi),
                            )?;
                            Ok(kpi_engine::gaps_data(self.engine, &report))
                        })
                        .collect()
                };
            let with_value = (0..n_years)
                .map(|yi| {
                    self.all_of_level
                        .iter()
                        .filter(|&&o| published(ds.org_unit(o), yi).is_some())
                        .count()
                })
                .collect();
            sink.put_json(
                format!("gaps/{level}/{}.json", def.code),
                &GapsFile {
                    indicator: &def.code,
                    level,
                    years,
                    with_value,
                    locality: gaps_of(kpi_engine::GapBy::Locality)?,
                    ownership: gaps_of(kpi_engine::GapBy::Ownership)?,
                    region: gaps_of(kpi_engine::GapBy::Region)?,
                },
            )?;
        }
        // Each region's table per year: the selected units' values.
        let rate = def.counts.as_ref().and_then(|c| {
            [kpi_stats::RateScale::Percent, kpi_stats::RateScale::Share]
                .into_iter()
                .find(|s| s.factor() == c.scale)
        });
        let mut tables: BTreeMap<(usize, usize), TableColumns> = BTreeMap::new();
        for &(o, unit, cs) in &selected_units {
            let (org, programme) = unit_names(ds, unit);
            let r = self.regions.index_of(o);
            let pct = standings.get(&unit);
            let is_org = programme.is_none();
            for (yi, (c, &year)) in cs.iter().zip(years).enumerate() {
                let shown = c.slot.status == Status::Published;
                let t = tables.entry((r, yi)).or_default();
                t.org.push(org);
                t.programme.push(programme);
                t.value.push(c.slot.value.filter(|_| shown));
                t.n.push(c.slot.n.filter(|_| shown));
                t.status.push(c.slot.status.code());
                let why = c.not_computable_reason(self.table, unit, year);
                t.reason
                    .push(why.map(|w| match t.reasons.iter().position(|x| *x == w) {
                        Some(i) => i,
                        None => {
                            t.reasons.push(w);
                            t.reasons.len() - 1
                        }
                    }));
                t.percentile.push(pct.and_then(|p| p[yi].percentile));
                t.percentile_region
                    .push(pct.and_then(|p| p[yi].percentile_region));
                // The marks against the peer median of organisations.
                let counts = (shown && is_org && rate.is_some())
                    .then(|| self.table.counts(ds, id, unit, year))
                    .flatten()
                    .map(|c| (c.successes, c.trials));
                let national = significance(counts, rate, national_medians[yi], def.direction);
                let regional = significance(
                    counts,
                    rate,
                    region_medians.get(&(r, yi)).copied(),
                    def.direction,
                );
                let interval = national.as_ref().or(regional.as_ref()).map(|s| s.interval);
                t.wilson_lower.push(interval.map(|i| i.lower));
                t.wilson_upper.push(interval.map(|i| i.upper));
                t.significance.push(national.as_ref().map(verdict));
                t.significance_region.push(regional.as_ref().map(verdict));
            }
        }
        for ((r, yi), mut units) in tables {
            let reasons = std::mem::take(&mut units.reasons);
            sink.put_json(
                format!(
                    "indicators/{level}/{}/{}/{}.json",
                    self.regions.slugs[r], years[yi], def.code
                ),
                &RegionTable {
                    indicator: &def.code,
                    level,
                    region_slug: &self.regions.slugs[r],
                    year: years[yi],
                    sentence: region_sentences.get(&(r, yi)),
                    reasons,
                    units,
                },
            )?;
        }
        // Each region's positions in each year: its selected organisations
        // with a published value.
        let mut placed: BTreeMap<(usize, usize), PositionColumns> = BTreeMap::new();
        for &(o, unit, _) in &selected_units {
            let (org, programme) = unit_names(ds, unit);
            let Some(pos) = positions.get(&unit).filter(|_| programme.is_none()) else {
                continue;
            };
            let r = self.regions.index_of(o);
            for yi in 0..n_years {
                if pos.0[yi].is_some() || pos.1[yi].is_some() {
                    let p = placed.entry((r, yi)).or_default();
                    p.org.push(org);
                    p.place(pos.0[yi], false);
                    p.place(pos.1[yi], true);
                }
            }
        }
        for ((r, yi), units) in placed {
            let slug = self.regions.slugs[r].as_str();
            sink.put_json(
                format!("positions/{level}/{slug}/{}/{}.json", years[yi], def.code),
                &PositionsFile {
                    indicator: &def.code,
                    level,
                    region_slug: slug,
                    year: years[yi],
                    units,
                },
            )?;
        }
        // The organisations' places, for the position sentence of their pages.
        for (unit, (national, regional)) in positions {
            let Some(st) = standings.get_mut(&unit) else {
                continue;
            };
            // The percentile of the value is the page's `percentile` where higher is
            // better, and 100 minus it where lower is: written for target bands only.
            let band = matches!(def.direction, kpi_model::Direction::Target { .. });
            let place = |p: Option<Position>| {
                p.map(|p| pages::Place {
                    rank: u32::try_from(p.rank).unwrap_or(u32::MAX),
                    value_percentile: p.value_percentile.filter(|_| band),
                    outlier: p.outlier,
                })
            };
            for (s, (n, r)) in st.iter_mut().zip(national.into_iter().zip(regional)) {
                s.place = place(n);
                s.place_region = place(r);
            }
        }
        Ok(IndicatorShards {
            cells: pages::IndicatorCells {
                id,
                cells: peer_cells,
                standings,
            },
            suppressed,
            counts,
            code: Some(def.code.clone()),
        })
    }
}

/// `organisations/<level>/<region>.json`: one organisation of the list.
#[derive(Serialize)]
struct OrgEntry<'a> {
    id: &'a str,
    names: Labels,
    ownership: Option<&'static str>,
    locality: Option<&'static str>,
    programmes: Vec<&'a str>,
}

#[derive(Serialize)]
struct OrgList<'a> {
    level: &'a str,
    region: &'a str,
    region_slug: &'a str,
    organisations: Vec<OrgEntry<'a>>,
}

pub(crate) fn build(
    engine: &Engine,
    sources: &[SourceDigest],
    options: &PublishOptions,
    sink: &Sink,
) -> Result<Counts, PublishError> {
    let ds = engine.dataset();
    let catalogue = engine.catalogue();
    let k = options.min_count;
    let sel = select(ds, options)?;
    for code in &options.indicators {
        if catalogue.by_code(code).is_none() {
            return Err(PublishError::Nothing(format!(
                "--indicators: unknown indicator `{code}`"
            )));
        }
    }
    let regions = RegionSlugs::of(ds);
    // The whole risk table once, before any page asks for an organisation's assessment:
    // the engine then answers those from the table instead of building a second copy.
    // It is built on one core (on a national export seconds, most of them the kernel's
    // zeroing of the pages it fills), so it is built beside the levels' first steps
    // (organisation lists, indicators), which do not read it; a level that needs it
    // before it is done (its risk files) waits for it.
    let (_, per_level) = rayon::join(
        || {
            engine.risk();
        },
        || levels(engine, options, &sel, &regions, sink),
    );
    let per_level = per_level?;
    let mut counts = Counts::default();
    let mut level_index = Vec::with_capacity(per_level.len());
    for (c, index) in per_level {
        counts.published += c.published;
        counts.primary += c.primary;
        counts.secondary += c.secondary;
        level_index.push(index);
    }
    sink.put_json(
        "catalogue.json".into(),
        &catalogue_file(engine, &sel.levels, &regions, k)?,
    )?;
    let catalogue_json = serde_json::to_vec(catalogue)?;
    // Every file's hash, one line each as `sha256sum -c` reads them; the
    // manifest stays small because every page reads it.
    let index = sink.index();
    let total: usize = index.iter().map(|(_, n, _)| n).sum();
    let mut sums = String::new();
    for (path, _, hash) in &index {
        sums.push_str(&format!("{hash}  {path}\n"));
    }
    let manifest = json!({
        "format": super::FORMAT,
        "version": super::FORMAT_VERSION,
        "created": options.created,
        "generator": format!("kpi-publish {}", env!("CARGO_PKG_VERSION")),
        "catalogue": { "indicators": catalogue.len(), "sha256": sha256_hex(&catalogue_json) },
        "criteria": { "count": engine.criteria().criteria().len(), "sha256": sha256_hex(&serde_json::to_vec(engine.criteria().criteria())?) },
        "sources": sources,
        "suppression": {
            "min_count": k,
            "rule": format!("a value computed from fewer than {k} persons, or from an unknown number, is suppressed; programmes of an organisation are suppressed further, smallest first, until the suppressed ones hold at least {k} persons together, else the organisation's own value is suppressed too; peer statistics use published values of groups of at least {k} organisations; a risk score is withheld when one of its criteria's values is suppressed"),
            "published": counts.published, "primary": counts.primary, "secondary": counts.secondary,
        },
        "languages": Lang::ALL.iter().map(|l| l.code()).collect::<Vec<_>>(),
        "years": sel.years,
        "levels": level_index,
        "regions": regions.entries().map(|(slug, name)| json!({ "slug": slug, "name": name })).collect::<Vec<_>>(),
        "files": { "count": index.len() + 2, "bytes": total, "sha256sums": "SHA256SUMS" },
    });
    sink.put(BundleFile {
        path: "SHA256SUMS".into(),
        bytes: sums.into_bytes(),
    })?;
    sink.put(BundleFile {
        path: "manifest.json".into(),
        bytes: serde_json::to_vec_pretty(&manifest)?,
    })?;
    Ok(counts)
}

/// Every level's files, the levels in parallel: their counts of published and
/// suppressed values and their entries of the manifest.
fn levels(
    engine: &Engine,
    options: &PublishOptions,
    sel: &Selection,
    regions: &RegionSlugs,
    sink: &Sink,
) -> Result<Vec<(Counts, Value)>, PublishError> {
    use rayon::prelude::*;
    let ds = engine.dataset();
    let table = engine.indicators();
    let catalogue = engine.catalogue();
    let k = options.min_count;
    let wanted = |def: &IndicatorDef| {
        options.indicators.is_empty() || options.indicators.contains(&def.code)
    };
    let n_years = sel.years.len();
    // The levels share nothing but the sink: each on its own thread, so that
    // the steps of one level that run on one core (its risk files, its
    // radars) overlap the parallel steps of another.
    sel.levels
        .par_iter()
        .map(|&level| -> Result<(Counts, Value), PublishError> {
            let mut counts = Counts::default();
            let level_orgs: Vec<OrgIdx> = sel
                .orgs
                .iter()
                .copied()
                .filter(|&o| ds.org(o).level == level)
                .collect();
            let mut is_selected = vec![false; ds.organisations().len()];
            for &o in &level_orgs {
                is_selected[o.0 as usize] = true;
            }
            // Peers are every organisation of the level, selected or not.
            let all_of_level: Vec<OrgIdx> = ds.orgs_of_level(level).collect();
            // The organisations of each region: public attributes only.
            let mut by_region: BTreeMap<usize, Vec<OrgIdx>> = BTreeMap::new();
            for &o in &level_orgs {
                by_region.entry(regions.index_of(o)).or_default().push(o);
            }
            let level_regions: Vec<String> = by_region
                .keys()
                .map(|&r| regions.slugs[r].clone())
                .collect();
            by_region.par_iter().try_for_each(|(&r, orgs)| {
                let organisations = orgs
                    .iter()
                    .map(|&o| {
                        let org = ds.org(o);
                        OrgEntry {
                            id: &org.id,
                            names: org_names(org),
                            ownership: org.ownership.map(|x| x.code()),
                            locality: org.locality.map(|x| x.code()),
                            programmes: ds
                                .programme_units(o)
                                .iter()
                                .filter_map(|&u| ds.programme_code(u))
                                .collect(),
                        }
                    })
                    .collect();
                let slug = &regions.slugs[r];
                sink.put_json(
                    format!("organisations/{}/{slug}.json", level.code()),
                    &OrgList {
                        level: level.code(),
                        region: &regions.names[r],
                        region_slug: slug,
                        organisations,
                    },
                )
            })?;
            // Every indicator of the level on its own thread: cells, peer
            // statistics and region tables.
            let context = LevelContext {
                engine,
                ds,
                table,
                regions,
                level,
                years: &sel.years,
                k,
                all_of_level: &all_of_level,
                selected: &level_orgs,
            };
            let applicable: Vec<(IndicatorId, &IndicatorDef)> = catalogue
                .iter()
                .filter(|(_, def)| def.applies_to(level))
                .collect();
            let shards: Vec<IndicatorShards> = applicable
                .par_iter()
                .map(|&(id, def)| context.indicator(id, def, wanted(def), sink))
                .collect::<Result<_, _>>()?;
            // Whether each criterion's indicator value is suppressed, per
            // organisation and year, for the risk files.
            let mut suppressed_at: HashMap<IndicatorId, Vec<bool>> = HashMap::default();
            let mut level_cells = Vec::new();
            let mut level_indicators = Vec::new();
            for shard in shards {
                suppressed_at.insert(shard.cells.id, shard.suppressed);
                if let Some(code) = shard.code {
                    counts.published += shard.counts.published;
                    counts.primary += shard.counts.primary;
                    counts.secondary += shard.counts.secondary;
                    level_indicators.push(code);
                    level_cells.push(shard.cells);
                }
            }
            // Risk: which criteria are hidden for each organisation and year.
            let mut hidden: pages::Hidden = HashMap::default();
            let mut by_year: BTreeMap<Year, Vec<RiskRow<'_>>> = BTreeMap::new();
            // Every assessment of the country is looked at for each level: on all cores.
            let assessed: Vec<(&RiskAssessment, Vec<String>)> = engine
                .risk()
                .assessments
                .par_iter()
                .filter_map(|a| {
                    let yi = sel.years.iter().position(|&y| y == a.year)?;
                    if !is_selected.get(a.org.0 as usize).copied().unwrap_or(false) {
                        return None;
                    }
                    let at = ds.org_unit(a.org).index() * n_years + yi;
                    let hid: Vec<String> = a
                        .criteria
                        .iter()
                        .filter(|c| {
                            table
                                .indicator(&c.indicator)
                                .and_then(|id| suppressed_at.get(&id))
                                .and_then(|flags| flags.get(at))
                                .copied()
                                .unwrap_or(false)
                        })
                        .map(|c| c.id.clone())
                        .collect();
                    Some((a, hid))
                })
                .collect();
            for (a, hid) in assessed {
                let any_hidden = !hid.is_empty();
                if any_hidden {
                    hidden.insert((a.org, a.year), hid);
                }
                by_year.entry(a.year).or_default().push(RiskRow {
                    org: &a.org_id,
                    year: a.year,
                    score: if any_hidden { None } else { a.score },
                    degree: a.degree.code(),
                    computable_weight_share: a.computable_weight_share,
                    top_criterion: if any_hidden {
                        None
                    } else {
                        a.top_criterion().map(|c| c.id.as_str())
                    },
                });
            }
            by_year
                .into_par_iter()
                .try_for_each(|(year, assessments)| {
                    sink.put_json(
                        format!("risk/{}/{year}.json", level.code()),
                        &RiskLevelFile {
                            level: level.code(),
                            year,
                            assessments,
                        },
                    )
                })?;
            pages::LevelPages {
                engine,
                level,
                selected: &level_orgs,
                all_of_level: &all_of_level,
                cells: &level_cells,
                years: &sel.years,
                regions,
                hidden: &hidden,
            }
            .files(sink)?;
            // The heat map's default columns: the level's main indicators.
            let heatmap: Vec<&str> = engine
                .main_indicators(level)
                .into_iter()
                .filter_map(|i| catalogue.get(i))
                .map(|d| d.code.as_str())
                .filter(|c| level_indicators.iter().any(|w| w == c))
                .collect();
            Ok((
                counts,
                json!({
                    "level": level.code(), "organisations": level_orgs.len(),
                    "regions": level_regions, "indicators": level_indicators, "heatmap": heatmap,
                }),
            ))
        })
        .collect()
}

/// `catalogue.json`: what every chart of every organisation shares: the
/// indicators as charts describe them, the risk criteria's names per level,
/// family and level names, and the risk bands.
fn catalogue_file(
    engine: &Engine,
    levels: &[Level],
    regions: &RegionSlugs,
    k: u32,
) -> Result<Value, PublishError> {
    let mut indicators = Map::new();
    for (_, def) in engine.catalogue().iter() {
        let mut info = serde_json::to_value(kpi_engine::indicator_info(def))?;
        if let Value::Object(m) = &mut info {
            m.insert("family".into(), def.family.code().into());
        }
        indicators.insert(def.code.clone(), info);
    }
    let mut criteria = Map::new();
    for &level in levels {
        let mut of_level = Map::new();
        for a in engine
            .risk()
            .assessments
            .iter()
            .filter(|a| a.level == level)
            .take(1)
        {
            for c in &a.criteria {
                let def = engine.indicators().def(c.indicator.as_str());
                of_level.insert(
                    c.id.clone(),
                    serde_json::to_value(CriterionName {
                        labels: &c.labels,
                        indicator: &c.indicator,
                        weight: c.weight,
                        gross: c.gross,
                        // As the engine's breakdown gives them (`CriterionMeasure`).
                        unit: def.map_or(kpi_chart::ValueUnit::Ratio, |d| d.unit.clone()),
                        decimals: def.map_or(1, |d| usize::from(d.decimals)),
                        band: matches!(
                            def.map(|d| d.direction),
                            Some(kpi_model::Direction::Target { .. })
                        ),
                    })?,
                );
            }
        }
        criteria.insert(level.code().into(), Value::Object(of_level));
    }
    let families: Map<String, Value> = kpi_model::Family::ALL
        .iter()
        .map(|&f| (f.code().to_string(), json!(kpi_engine::family_label(f))))
        .collect();
    let level_names: Map<String, Value> = levels
        .iter()
        .map(|&l| {
            (
                l.code().to_string(),
                json!(Labels::from_fn(|lang| kpi_engine::level_name(l, lang))),
            )
        })
        .collect();
    let rules = engine.criteria().rules();
    Ok(json!({
        "indicators": indicators,
        "criteria": criteria,
        "families": families,
        "levels": level_names,
        "regions": regions.entries().map(|(slug, name)| json!({ "slug": slug, "name": name })).collect::<Vec<_>>(),
        "risk": { "low_max": rules.low_max, "medium_max": rules.medium_max },
        "reasons": reason_texts(k),
        // The `table` kind's columns (`value` takes the indicator's label,
        // unit and decimals) and the outlier column's text.
        "table": {
            "columns": kpi_engine::peer_table_columns(&Default::default()),
            "outlier": kpi_engine::outlier_text(true),
        },
    }))
}
