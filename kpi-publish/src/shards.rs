//! The files of a bundle, built from an engine's results. Only aggregates
//! are read: indicator values, their counts of persons, risk assessments and
//! organisation attributes; never a record.

use super::suppress::{suppress_group, Counts, Slot, Status};
use super::{sha256_hex, Bundle, BundleFile, PublishError, PublishOptions, SourceDigest};
use kpi_engine::Engine;
use kpi_indicators::{IndicatorDef, IndicatorId, IndicatorTable, Outcome};
use kpi_model::i18n::{Labels, Lang};
use kpi_model::{Dataset, Level, OrgIdx, UnitId, Year};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};

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
}

/// A criterion's numbers for one organisation and year; `None` where a
/// suppressed indicator value would show through.
#[derive(Serialize)]
struct CriterionNumbers<'a> {
    id: &'a str,
    value: Option<f64>,
    thresholds: Option<&'a kpi_risk::AppliedThresholds>,
    score: Option<f64>,
    contribution: Option<f64>,
    share_of_score: Option<f64>,
    not_computable: Option<&'a kpi_risk::CriterionGap>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    suppressed: bool,
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

/// One year of an organisation's explanation.
#[derive(Serialize)]
struct RiskYear<'a> {
    year: Year,
    score: Option<f64>,
    /// The score is withheld because a criterion's value is suppressed
    /// (the total minus the others would give its part away).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    score_withheld: bool,
    degree: &'a str,
    computable_weight_share: f64,
    gross_trigger: Option<&'a str>,
    criteria: Vec<CriterionNumbers<'a>>,
}

#[derive(Serialize)]
struct RiskLevelFile<'a> {
    level: &'a str,
    criteria: BTreeMap<&'a str, CriterionName<'a>>,
    assessments: Vec<RiskRow<'a>>,
}

#[derive(Serialize)]
struct RiskOrgFile<'a> {
    org: &'a str,
    level: &'a str,
    years: Vec<RiskYear<'a>>,
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
struct Cell {
    slot: Slot,
    outcome_reason: Option<IndicatorId>,
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
) -> BTreeMap<UnitId, Vec<Cell>> {
    let Some(def) = table.def(id) else {
        return BTreeMap::new();
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
    let mut out = BTreeMap::new();
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

fn status_code(s: Status) -> &'static str {
    match s {
        Status::Published => "ok",
        Status::NotComputable => "not_computable",
        Status::FewPersons => "suppressed_small",
        Status::UnknownSize => "suppressed_unknown_size",
        Status::Secondary => "suppressed_secondary",
    }
}

fn reason_text(table: &IndicatorTable, cell: &Cell, unit: UnitId, year: Year) -> Option<String> {
    match cell.slot.status {
        Status::Published => None,
        Status::NotComputable => cell
            .outcome_reason
            .and_then(|id| table.get(id, unit, year))
            .and_then(|o| o.reason().map(|r| r.to_string()))
            .or_else(|| Some("the indicator does not apply".into())),
        // The status says why (docs/publishing.md); repeating it on every
        // cell would make up most of a national bundle.
        Status::FewPersons | Status::UnknownSize | Status::Secondary => None,
    }
}

/// Quantiles of the published organisation-level values of a peer group:
/// only groups of at least `k` values, so that no quantile is a lone value.
fn peer_stats(values: &[f64], k: u32) -> Option<Value> {
    if values.len() < k as usize {
        return None;
    }
    let sorted = kpi_stats::order::sorted_finite(values.iter().copied());
    let q = |p: f64| kpi_stats::order::quantile_sorted(&sorted, p);
    Some(json!({
        "count": sorted.len(),
        "p10": q(0.10), "p25": q(0.25), "median": q(0.5), "p75": q(0.75), "p90": q(0.90),
        "mean": sorted.iter().sum::<f64>() / sorted.len() as f64,
    }))
}

fn to_bytes(v: &impl Serialize) -> Result<Vec<u8>, PublishError> {
    let mut bytes = serde_json::to_vec(v)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// A unit's names in the shards: the organisation id and the programme code.
fn unit_names(ds: &Dataset, unit: UnitId) -> (String, Option<String>) {
    let u = ds.unit(unit);
    (
        ds.org(u.org).id.clone(),
        ds.programme_code(unit).map(str::to_string),
    )
}

pub(crate) fn build(
    engine: &Engine,
    sources: &[SourceDigest],
    options: &PublishOptions,
) -> Result<Bundle, PublishError> {
    let ds = engine.dataset();
    let table = engine.indicators();
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
    let wanted = |def: &IndicatorDef| {
        options.indicators.is_empty() || options.indicators.contains(&def.code)
    };
    let mut files: Vec<BundleFile> = Vec::new();
    let mut counts = Counts::default();
    // The organisations: public attributes only.
    let orgs: Vec<Value> = sel
        .orgs
        .iter()
        .map(|&o| {
            let org = ds.org(o);
            let names = Labels {
                kk: org.name_kk.clone().unwrap_or_else(|| org.name.clone()),
                ru: org.name_ru.clone().unwrap_or_else(|| org.name.clone()),
                en: org.name_en.clone().unwrap_or_else(|| org.name.clone()),
                // Kyrgyz exports name organisations in Kyrgyz in `name` («Уюмдун аты»).
                ky: org.display_name(Lang::Ky).to_string(),
            };
            let programmes: Vec<&str> = ds
                .programme_units(o)
                .iter()
                .filter_map(|&u| ds.programme_code(u))
                .collect();
            json!({
                "id": org.id, "names": names, "level": org.level.code(), "region": org.region,
                "ownership": org.ownership.map(|x| x.code()), "locality": org.locality.map(|x| x.code()),
                "programmes": programmes,
            })
        })
        .collect();
    files.push(BundleFile {
        path: "organisations.json".into(),
        bytes: to_bytes(&json!({ "organisations": orgs }))?,
    });
    // Whether each (indicator, unit, year) is suppressed, for the risk
    // criteria: dense, one flag per unit and year of each indicator.
    let n_years = sel.years.len();
    let mut suppressed_at: HashMap<IndicatorId, Vec<bool>> = HashMap::new();
    for &level in &sel.levels {
        let level_orgs: Vec<OrgIdx> = sel
            .orgs
            .iter()
            .copied()
            .filter(|&o| ds.org(o).level == level)
            .collect();
        // Peers are every organisation of the level, selected or not.
        let all_of_level: Vec<OrgIdx> = ds.orgs_of_level(level).collect();
        for (id, def) in catalogue.iter() {
            if !def.applies_to(level) {
                continue;
            }
            // Computed once for the whole level: the peers are every
            // organisation of it; the shard lists the selected ones.
            let peer_cells = cells(ds, table, id, &all_of_level, &sel.years, k);
            let selected: std::collections::HashSet<OrgIdx> = level_orgs.iter().copied().collect();
            let cells_of: BTreeMap<UnitId, &Vec<Cell>> = peer_cells
                .iter()
                .filter(|(&u, _)| selected.contains(&ds.unit(u).org))
                .map(|(&u, c)| (u, c))
                .collect();
            let flags = suppressed_at
                .entry(id)
                .or_insert_with(|| vec![false; ds.units().len() * n_years]);
            for (&unit, cs) in &cells_of {
                for (yi, cell) in cs.iter().enumerate() {
                    if let Some(f) = flags.get_mut(unit.index() * n_years + yi) {
                        *f = cell.slot.status.is_suppressed();
                    }
                }
            }
            if !wanted(def) {
                continue;
            }
            for cs in cells_of.values() {
                counts.add(
                    cs.iter()
                        .filter(|c| c.outcome_reason.is_some())
                        .map(|c| c.slot),
                );
            }
            let mut peers = Map::new();
            for (yi, &year) in sel.years.iter().enumerate() {
                let mut national = Vec::new();
                let mut by_region: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
                for &o in &all_of_level {
                    let Some(cell) = peer_cells.get(&ds.org_unit(o)).and_then(|c| c.get(yi)) else {
                        continue;
                    };
                    if cell.slot.status == Status::Published {
                        if let Some(v) = cell.slot.value {
                            national.push(v);
                            by_region
                                .entry(ds.org(o).region.as_str())
                                .or_default()
                                .push(v);
                        }
                    }
                }
                let regions: Map<String, Value> = by_region
                    .into_iter()
                    .filter_map(|(r, v)| peer_stats(&v, k).map(|s| (r.to_string(), s)))
                    .collect();
                peers.insert(
                    year.to_string(),
                    json!({ "national": peer_stats(&national, k), "regions": regions }),
                );
            }
            let units: Vec<Value> = cells_of
                .iter()
                .map(|(&unit, cs)| {
                    let (org, programme) = unit_names(ds, unit);
                    let published = |c: &Cell| c.slot.status == Status::Published;
                    json!({
                        "org": org,
                        "programme": programme,
                        "value": cs.iter().map(|c| if published(c) { c.slot.value } else { None }).collect::<Vec<_>>(),
                        "n": cs.iter().map(|c| if published(c) { c.slot.n } else { None }).collect::<Vec<_>>(),
                        "status": cs.iter().map(|c| status_code(c.slot.status)).collect::<Vec<_>>(),
                        "reason": cs.iter().zip(&sel.years).map(|(c, &y)| reason_text(table, c, unit, y)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let shard = json!({
                "indicator": def.code, "level": level.code(), "unit": def.unit.code(),
                "direction": def.direction.code(), "labels": def.name, "years": sel.years,
                "units": units, "peers": peers,
            });
            files.push(BundleFile {
                path: format!("indicators/{}/{}.json", level.code(), def.code),
                bytes: to_bytes(&shard)?,
            });
        }
        // Risk: a criterion whose value is suppressed shows neither value nor
        // score, and the total score (from which its score would follow) is
        // withheld; the degree stays. One summary per level (the ranking),
        // one explanation per organisation (what its page shows).
        let mut summary = Vec::new();
        let mut explained: BTreeMap<OrgIdx, Vec<RiskYear<'_>>> = BTreeMap::new();
        let mut criteria_names: BTreeMap<&str, CriterionName<'_>> = BTreeMap::new();
        let in_level: std::collections::HashSet<OrgIdx> = level_orgs.iter().copied().collect();
        for a in &engine.risk().assessments {
            let Some(yi) = sel.years.iter().position(|&y| y == a.year) else {
                continue;
            };
            if !in_level.contains(&a.org) {
                continue;
            }
            let unit = ds.org_unit(a.org);
            let mut criteria = Vec::with_capacity(a.criteria.len());
            let mut any_hidden = false;
            for c in &a.criteria {
                criteria_names
                    .entry(c.id.as_str())
                    .or_insert(CriterionName {
                        labels: &c.labels,
                        indicator: &c.indicator,
                        weight: c.weight,
                        gross: c.gross,
                    });
                let hidden = table
                    .indicator(&c.indicator)
                    .and_then(|id| suppressed_at.get(&id))
                    .and_then(|flags| flags.get(unit.index() * n_years + yi))
                    .copied()
                    .unwrap_or(false);
                any_hidden |= hidden;
                criteria.push(CriterionNumbers {
                    id: &c.id,
                    value: if hidden { None } else { c.value },
                    thresholds: c.thresholds.as_ref(),
                    score: if hidden { None } else { c.score },
                    contribution: if hidden { None } else { Some(c.contribution) },
                    share_of_score: if hidden { None } else { c.share_of_score },
                    not_computable: c.not_computable.as_ref(),
                    suppressed: hidden,
                });
            }
            let score = if any_hidden { None } else { a.score };
            summary.push(RiskRow {
                org: &a.org_id,
                year: a.year,
                score,
                degree: a.degree.code(),
                computable_weight_share: a.computable_weight_share,
                top_criterion: if any_hidden {
                    None
                } else {
                    a.top_criterion().map(|c| c.id.as_str())
                },
            });
            explained.entry(a.org).or_default().push(RiskYear {
                year: a.year,
                score,
                score_withheld: any_hidden,
                degree: a.degree.code(),
                computable_weight_share: a.computable_weight_share,
                gross_trigger: a.gross_trigger.as_deref(),
                criteria,
            });
        }
        // The criteria's names, weights and indicators once per level; each
        // organisation's file carries only its numbers.
        files.push(BundleFile {
            path: format!("risk/{}.json", level.code()),
            bytes: to_bytes(&RiskLevelFile {
                level: level.code(),
                criteria: criteria_names,
                assessments: summary,
            })?,
        });
        for (org, years) in explained {
            let id = &ds.org(org).id;
            files.push(BundleFile {
                path: format!("risk/orgs/{id}.json"),
                bytes: to_bytes(&RiskOrgFile {
                    org: id,
                    level: level.code(),
                    years,
                })?,
            });
        }
    }
    let catalogue_json = serde_json::to_vec(catalogue)?;
    let shards: Vec<Value> = files
        .iter()
        .map(|f| json!({ "path": f.path, "bytes": f.bytes.len(), "sha256": sha256_hex(&f.bytes) }))
        .collect();
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
            "rule": format!("a value computed from fewer than {k} persons, or from an unknown number, is suppressed; programmes of an organisation are suppressed further, smallest first, until the suppressed ones hold at least {k} persons together, else the organisation's own value is suppressed too; peer statistics use published values of groups of at least {k} organisations"),
            "published": counts.published, "primary": counts.primary, "secondary": counts.secondary,
        },
        "languages": Lang::ALL.iter().map(|l| l.code()).collect::<Vec<_>>(),
        "levels": sel.levels.iter().map(|l| l.code()).collect::<Vec<_>>(),
        "years": sel.years,
        "shards": shards,
    });
    files.insert(
        0,
        BundleFile {
            path: "manifest.json".into(),
            bytes: serde_json::to_vec_pretty(&manifest)?,
        },
    );
    Ok(Bundle {
        files,
        suppressed: counts,
    })
}
