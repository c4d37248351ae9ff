//! The page shards: what one organisation's public page draws, in one file
//! per organisation (`orgs/<org_id>.json`), built only from published values.
//!
//! For each of its units (the organisation, then each programme) and each
//! indicator: the `trend` chart's own part (points with the published value
//! or the reason there is none, the OLS line, the forecast clamped to the
//! unit's bounds, signals and the summary sentence), the `n` and status of
//! each year, and the organisation's percentile among its level's published
//! values, nationally and in its region. Then the risk gauge and breakdown of
//! each year (criteria hidden where their value is suppressed, the total
//! withheld then), and the radar's family scores of each year.
//!
//! Everything a chart needs that is the same for every organisation (the
//! indicator's names and unit, criteria names, the peer bands) is in the
//! shared shards, so the file holds only what is this organisation's.

use super::shards::{Cell, RegionSlugs};
use super::suppress::Status;
use super::PublishError;
use kpi_chart::{ChartInput, ChartKind, Text, TrendData};
use kpi_engine::{family_scores_of, trend_of_series, Engine, ViewRequest};
use kpi_indicators::{IndicatorId, IndicatorTable};
use kpi_model::i18n::Labels;
use kpi_model::{Dataset, Level, OrgIdx, UnitId, Year};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Published cells of one level: indicator → unit → one cell per year, with
/// the organisations' percentiles.
pub(crate) type LevelCells = Vec<(IndicatorId, BTreeMap<UnitId, Vec<Cell>>, Percentiles)>;

/// An organisation's percentile in direction among the level's published
/// organisation values, per year: nationally and in its region.
pub(crate) type Percentiles = HashMap<UnitId, (Vec<Option<f64>>, Vec<Option<f64>>)>;

/// The published value of a cell, or why there is none, in every language.
pub(crate) fn published(
    table: &IndicatorTable,
    cell: &Cell,
    unit: UnitId,
    year: Year,
    k: u32,
) -> (Option<f64>, Option<Labels>) {
    match cell.slot.status {
        Status::Published => (cell.slot.value, None),
        Status::NotComputable => (
            None,
            cell.outcome_reason
                .and_then(|id| table.get(id, unit, year))
                .and_then(|o| o.reason().map(|r| Labels::from_fn(|l| r.localized(l)))),
        ),
        other => (None, other.reason(k)),
    }
}

/// One unit's indicator on the page.
#[derive(Serialize)]
struct UnitIndicator {
    /// Persons behind each year's value (published years only).
    n: Vec<Option<f64>>,
    /// Each year's status code.
    status: Vec<&'static str>,
    /// Percentile in direction among the level's published values, per
    /// year (organisations only); nationally and in the region.
    #[serde(skip_serializing_if = "Option::is_none")]
    percentile: Option<Vec<Option<f64>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    percentile_region: Option<Vec<Option<f64>>>,
    /// The `trend` chart input without what the shared shards hold.
    #[serde(serialize_with = "own_trend")]
    trend: TrendData,
}

/// The parts of a trend chart input that are the unit's own.
fn own_trend<S: serde::Serializer>(t: &TrendData, s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Own<'a> {
        points: &'a [kpi_chart::TrendPoint],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        trend: &'a [kpi_chart::YearValue],
        #[serde(skip_serializing_if = "<[_]>::is_empty")]
        forecast: &'a [kpi_chart::ForecastPoint],
        #[serde(skip_serializing_if = "Option::is_none")]
        subtitle: Option<&'a Text>,
        tests: &'a kpi_chart::TrendTests,
    }
    Own {
        points: &t.points,
        trend: &t.trend,
        forecast: &t.forecast,
        subtitle: t.subtitle.as_ref(),
        tests: &t.tests,
    }
    .serialize(s)
}

#[derive(Serialize)]
struct PageUnit {
    programme: Option<String>,
    indicators: BTreeMap<String, UnitIndicator>,
}

#[derive(Serialize)]
struct PageOrg<'a> {
    id: &'a str,
    names: Labels,
    level: &'static str,
    region: &'a str,
    region_slug: &'a str,
    ownership: Option<&'static str>,
    locality: Option<&'static str>,
}

#[derive(Serialize)]
struct Page<'a> {
    format: &'static str,
    version: u32,
    org: PageOrg<'a>,
    years: &'a [Year],
    /// The organisation's own unit (a programme's is in a file of its own).
    units: Vec<PageUnit>,
    /// Its programmes with published values: `orgs/<org>/<programme>.json`.
    programmes: Vec<String>,
    risk: Vec<RiskYear>,
    radar: Vec<Value>,
}

/// One programme's page: `orgs/<org_id>/<programme>.json`.
#[derive(Serialize)]
struct ProgrammePage<'a> {
    format: &'static str,
    version: u32,
    org: &'a str,
    years: &'a [Year],
    units: Vec<PageUnit>,
}

/// Which criteria of an organisation's assessments are hidden: per year,
/// the criteria ids whose indicator value is suppressed.
pub(crate) type Hidden = HashMap<(OrgIdx, Year), Vec<String>>;

/// Risk of one organisation and year as its page shows it: the gauge and
/// the breakdown as [`Engine::chart`] builds them, with every hidden
/// criterion's numbers removed and the total withheld when any is hidden
/// (the total minus the others would give the hidden one away).
fn risk_year(
    engine: &Engine,
    org: OrgIdx,
    year: Year,
    hidden: &Hidden,
    k: u32,
) -> Option<RiskYear> {
    let id = engine.dataset().org(org).id.clone();
    let request = |kind| ViewRequest {
        kind,
        org: Some(id.clone()),
        year: Some(year),
        ..Default::default()
    };
    let Ok(ChartInput::RiskGauge(mut gauge)) = engine.chart(&request(ChartKind::RiskGauge)) else {
        return None;
    };
    let Ok(ChartInput::RiskBreakdown(mut breakdown)) =
        engine.chart(&request(ChartKind::RiskBreakdown))
    else {
        return None;
    };
    let none = Vec::new();
    let hidden_now = hidden.get(&(org, year)).unwrap_or(&none);
    let withheld = !hidden_now.is_empty();
    let why = Status::FewPersons.reason(k).map(Text::Langs);
    for c in &mut breakdown.criteria {
        if hidden_now.contains(&c.code) {
            c.contribution = None;
            c.criterion_score = None;
            if let Some(m) = &mut c.measure {
                m.value = None;
            }
            c.crossed = false;
            c.reason = why.clone();
        }
        // The criterion's names are in the catalogue shard.
        c.label = Text::default();
    }
    if withheld {
        breakdown.score = None;
        gauge.score = None;
        gauge.reason = Some(Text::Langs(withheld_reason(k)));
    }
    if hidden.get(&(org, year - 1)).is_some_and(|h| !h.is_empty()) {
        gauge.previous_score = None;
    }
    Some(RiskYear {
        year,
        score: gauge.score,
        degree: gauge.degree,
        weight_coverage: gauge.weight_coverage,
        previous_score: gauge.previous_score,
        rising: gauge.rising,
        reason: gauge.reason,
        criteria: breakdown.criteria,
    })
}

/// One year of an organisation's risk: what its gauge and breakdown show.
#[derive(Serialize)]
struct RiskYear {
    year: Year,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    degree: Option<kpi_model::Degree>,
    weight_coverage: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_score: Option<f64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    rising: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<Text>,
    criteria: Vec<kpi_chart::RiskCriterion>,
}

/// Why a total risk score is not shown.
pub(crate) fn withheld_reason(k: u32) -> Labels {
    use kpi_model::i18n::Lang;
    Labels::from_fn(|lang| match lang {
        Lang::En => format!("score withheld: a criterion's value rests on fewer than {k} persons"),
        Lang::Ru => format!(
            "балл не показан: значение одного из критериев рассчитано менее чем по {k} лицам"
        ),
        _ => format!("балл көрсетілмейді: критерийдің мәні {k} адамнан аз бойынша есептелген"),
    })
}

/// The radar of every organisation of a level, per year, from published
/// values only: (org, year) → the radar input without shared parts.
fn radars(
    ds: &Dataset,
    catalogue: &kpi_indicators::Catalogue,
    level: Level,
    all_of_level: &[OrgIdx],
    cells: &LevelCells,
    years: &[Year],
) -> HashMap<(OrgIdx, Year), Value> {
    let by_id: HashMap<IndicatorId, &BTreeMap<UnitId, Vec<Cell>>> =
        cells.iter().map(|(i, c, _)| (*i, c)).collect();
    let units: Vec<UnitId> = all_of_level.iter().map(|&o| ds.org_unit(o)).collect();
    let mut out = HashMap::new();
    for (yi, &year) in years.iter().enumerate() {
        let scores = family_scores_of(catalogue, level, units.len(), |i, k| {
            let cell = by_id.get(&i)?.get(units.get(k)?)?.get(yi)?;
            (cell.slot.status == Status::Published)
                .then_some(cell.slot.value)
                .flatten()
        });
        let medians: Vec<Option<f64>> = scores
            .iter()
            .map(|(_, _, s)| {
                let v: Vec<f64> = s.iter().flatten().copied().collect();
                kpi_stats::distribution(&v).ok().map(|d| d.median)
            })
            .collect();
        for (k, &org) in all_of_level.iter().enumerate() {
            let families: Vec<Value> = scores
                .iter()
                .zip(&medians)
                .map(|((family, counts, s), median)| {
                    let score = s.get(k).copied().flatten();
                    serde_json::json!({
                        "family": family.code(),
                        "score": score,
                        "peer_median": median,
                        "indicators": counts.get(k).map_or(0, |c| c.1),
                    })
                })
                .collect();
            if families.iter().all(|f| f["score"].is_null()) {
                continue;
            }
            out.insert(
                (org, year),
                serde_json::json!({ "year": year, "families": families, "peer_n": units.len() }),
            );
        }
    }
    out
}

/// Everything the page files of a level need.
pub(crate) struct LevelPages<'a> {
    pub engine: &'a Engine,
    pub level: Level,
    pub selected: &'a [OrgIdx],
    pub all_of_level: &'a [OrgIdx],
    pub cells: &'a LevelCells,
    pub years: &'a [Year],
    pub k: u32,
    pub regions: &'a RegionSlugs,
    pub hidden: &'a Hidden,
}

impl LevelPages<'_> {
    /// One file per selected organisation, `orgs/<org_id>.json`, and one per
    /// programme of it, `orgs/<org_id>/<programme>.json`.
    pub(crate) fn files(&self, sink: &super::Sink) -> Result<(), PublishError> {
        use rayon::prelude::*;
        let ds = self.engine.dataset();
        let table = self.engine.indicators();
        let catalogue = self.engine.catalogue();
        let radar = radars(
            ds,
            catalogue,
            self.level,
            self.all_of_level,
            self.cells,
            self.years,
        );
        self.selected
            .par_iter()
            .map(|&org| {
                let o = ds.org(org);
                let mut units = Vec::new();
                let org_unit = ds.org_unit(org);
                let mut all_units = vec![org_unit];
                all_units.extend(ds.programme_units(org).iter().copied());
                for unit in all_units {
                    let mut indicators = BTreeMap::new();
                    for (id, cells, percentiles) in self.cells {
                        let (Some(def), Some(cs)) = (catalogue.get(*id), cells.get(&unit)) else {
                            continue;
                        };
                        let series: Vec<(Year, Option<f64>, Option<Text>)> = cs
                            .iter()
                            .zip(self.years)
                            .map(|(c, &y)| {
                                let (v, why) = published(table, c, unit, y, self.k);
                                (y, v, why.map(Text::Langs))
                            })
                            .collect();
                        if series.iter().all(|(_, v, _)| v.is_none())
                            && cs.iter().all(|c| c.outcome_reason.is_none())
                        {
                            continue;
                        }
                        let mut data = trend_of_series(def, &series);
                        // A straight line: its two ends draw it.
                        if data.trend.len() > 2 {
                            let last = data.trend.len() - 1;
                            data.trend.drain(1..last);
                        }
                        let trend = data;
                        let is_org = unit == org_unit;
                        indicators.insert(
                            def.code.clone(),
                            UnitIndicator {
                                n: cs
                                    .iter()
                                    .map(|c| {
                                        (c.slot.status == Status::Published)
                                            .then_some(c.slot.n)
                                            .flatten()
                                    })
                                    .collect(),
                                status: cs.iter().map(|c| c.slot.status.code()).collect(),
                                percentile: percentiles
                                    .get(&unit)
                                    .filter(|_| is_org)
                                    .map(|p| p.0.clone()),
                                percentile_region: percentiles
                                    .get(&unit)
                                    .filter(|_| is_org)
                                    .map(|p| p.1.clone()),
                                trend,
                            },
                        );
                    }
                    if !indicators.is_empty() {
                        units.push(PageUnit {
                            programme: ds.programme_code(unit).map(str::to_string),
                            indicators,
                        });
                    }
                }
                let risk = self
                    .years
                    .iter()
                    .filter_map(|&y| risk_year(self.engine, org, y, self.hidden, self.k))
                    .collect();
                let radar = self
                    .years
                    .iter()
                    .filter_map(|&y| radar.get(&(org, y)).cloned())
                    .collect();
                // The organisation's page holds its own unit; each programme
                // gets a file, read only by a widget that names it.
                let key = super::path_key(&o.id);
                let mut programmes = Vec::new();
                let mut own = Vec::new();
                for unit in units {
                    match unit.programme.clone() {
                        None => own.push(unit),
                        Some(code) => {
                            sink.put(super::BundleFile {
                                path: format!("orgs/{key}/{}.json", super::path_key(&code)),
                                bytes: super::shards::to_bytes(&ProgrammePage {
                                    format: super::FORMAT,
                                    version: super::FORMAT_VERSION,
                                    org: &o.id,
                                    years: self.years,
                                    units: vec![unit],
                                })?,
                            })?;
                            programmes.push(code);
                        }
                    }
                }
                let page = Page {
                    format: super::FORMAT,
                    version: super::FORMAT_VERSION,
                    org: PageOrg {
                        id: &o.id,
                        names: super::shards::org_names(o),
                        level: o.level.code(),
                        region: &o.region,
                        region_slug: self.regions.slug(&o.region),
                        ownership: o.ownership.map(|x| x.code()),
                        locality: o.locality.map(|x| x.code()),
                    },
                    years: self.years,
                    units: own,
                    programmes,
                    risk,
                    radar,
                };
                sink.put(super::BundleFile {
                    path: format!("orgs/{key}.json"),
                    bytes: super::shards::to_bytes(&page)?,
                })
            })
            .collect::<Result<(), PublishError>>()
    }
}
