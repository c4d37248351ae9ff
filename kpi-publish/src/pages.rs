//! The page shards: what one organisation's public page draws, in one file
//! per organisation (`orgs/<org_id>.json`), built only from published values.
//!
//! For each of its units (the organisation, then each programme) and each
//! indicator, by column over the bundle's years: the published value, its
//! `n`, status, the reason where there is none and any signal, and the
//! organisation's percentile among its level's published values, nationally
//! and in its region; then the trend chart's own part (the OLS line's two
//! ends, the forecast clamped to the unit's bounds, the tests and the summary
//! sentence). Then the risk gauge and breakdown of each year, by column
//! (criteria hidden where their value is suppressed, the total withheld
//! then), and the radar's family scores of each year.
//!
//! Everything a chart needs that is the same for every organisation (the
//! indicator's names and unit, the criteria's names, units and weights, the
//! reason texts of the statuses, the peer bands) is in the shared shards, so
//! the file holds only what is this organisation's.

use super::shards::{Cell, RegionSlugs};
use super::suppress::Status;
use super::PublishError;
use kpi_chart::{
    ForecastPoint, RiskBreakdownData, RiskGaugeData, Signal, Text, TrendTests, YearValue,
};
use kpi_engine::{family_scores_of, trend_of_series_bare, Engine};
use kpi_indicators::IndicatorId;
use kpi_model::i18n::Labels;
use kpi_model::{Dataset, Level, OrgIdx, UnitId, Year};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::collections::BTreeMap;

/// Published cells of one indicator of a level: unit → one cell per year,
/// with the organisations' standings among their peers.
pub(crate) struct IndicatorCells {
    pub(crate) id: IndicatorId,
    pub(crate) cells: HashMap<UnitId, Vec<Cell>>,
    pub(crate) standings: Standings,
}

/// Each organisation's standing among the level's published organisation
/// values, one per year.
pub(crate) type Standings = HashMap<UnitId, Vec<Standing>>;

/// An organisation's standing in one year among the level's published
/// organisation values and among its region's: the percentile in the
/// indicator's direction, and its place (what the compare chart's position
/// sentence says: rank, percentile of the value, outlier flag).
#[derive(Clone, Copy, Default)]
pub(crate) struct Standing {
    pub(crate) percentile: Option<f64>,
    pub(crate) percentile_region: Option<f64>,
    pub(crate) place: Option<Place>,
    pub(crate) place_region: Option<Place>,
}

/// A unit's place in a peer group ([`kpi_stats::peer_positions`]).
#[derive(Clone, Copy)]
pub(crate) struct Place {
    /// 1 = best in the indicator's direction; ties share the better rank.
    pub(crate) rank: u32,
    /// The percentile of the value itself (mid-rank, ascending), for a
    /// target band (where higher is better it is `percentile`, where lower
    /// is, 100 minus it).
    pub(crate) value_percentile: Option<f64>,
    /// |robust z| > 3.5.
    pub(crate) outlier: bool,
}

/// One column of an organisation's standings, one item per year, written
/// straight from the standings (no list is built for it).
struct ByYear<'a, T: Serialize>(&'a [Standing], fn(&Standing) -> T);

impl<T: Serialize> Serialize for ByYear<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(self.1))
    }
}

impl<T: Serialize> ByYear<'_, T> {
    /// Whether no year has a value (the column is then left out).
    fn empty(&self) -> bool
    where
        T: Absent,
    {
        self.0.iter().all(|x| (self.1)(x).absent())
    }
}

/// What a left-out column holds in every year.
trait Absent {
    fn absent(&self) -> bool;
}

impl<T> Absent for Option<T> {
    fn absent(&self) -> bool {
        self.is_none()
    }
}

impl Absent for bool {
    fn absent(&self) -> bool {
        !*self
    }
}

fn column<T: Serialize>(st: Option<&[Standing]>, f: fn(&Standing) -> T) -> Option<ByYear<'_, T>> {
    st.map(|st| ByYear(st, f))
}

fn no_column<T: Serialize + Absent>(c: &Option<ByYear<'_, T>>) -> bool {
    c.as_ref().is_none_or(ByYear::empty)
}

/// Why a value or score is not shown: the text itself in every language, or
/// the code of a reason that `catalogue.json` writes once (`reasons`).
#[derive(Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum Why {
    /// A reason of its own (an indicator's not-computable reason).
    Text(Text),
    /// A reason shared by the whole bundle, by its code.
    Code(&'static str),
}

/// The code of the reason a risk score is withheld (`catalogue.json` `reasons`).
pub(crate) const SCORE_WITHHELD: &str = "score_withheld";

fn all_none<T>(v: &[Option<T>]) -> bool {
    v.iter().all(Option::is_none)
}

fn all_false(v: &[bool]) -> bool {
    v.iter().all(|b| !b)
}

/// One unit's indicator on the page, by column over the page's years.
#[derive(Serialize)]
struct UnitIndicator<'a> {
    /// The published value of each year.
    value: Vec<Option<f64>>,
    /// Persons behind each year's value (published years only).
    n: Vec<Option<f64>>,
    /// Each year's status code.
    status: Vec<&'static str>,
    /// Why a not computable year has no value (a suppressed one: its status).
    #[serde(skip_serializing_if = "all_none")]
    reason: Vec<Option<Text>>,
    /// A signal raised in the year.
    #[serde(skip_serializing_if = "all_none")]
    signal: Vec<Option<Signal>>,
    /// Percentile in direction among the level's published values, per
    /// year (organisations only); nationally and in the region.
    #[serde(skip_serializing_if = "Option::is_none")]
    percentile: Option<ByYear<'a, Option<f64>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    percentile_region: Option<ByYear<'a, Option<f64>>>,
    /// Rank among the level's and the region's published values, the
    /// percentile of the value for a target band, and the outlier flags: the
    /// compare chart's position sentence (organisations only).
    #[serde(skip_serializing_if = "no_column")]
    rank: Option<ByYear<'a, Option<u32>>>,
    #[serde(skip_serializing_if = "no_column")]
    rank_region: Option<ByYear<'a, Option<u32>>>,
    #[serde(skip_serializing_if = "no_column")]
    value_percentile: Option<ByYear<'a, Option<f64>>>,
    #[serde(skip_serializing_if = "no_column")]
    value_percentile_region: Option<ByYear<'a, Option<f64>>>,
    #[serde(skip_serializing_if = "no_column")]
    outlier: Option<ByYear<'a, bool>>,
    #[serde(skip_serializing_if = "no_column")]
    outlier_region: Option<ByYear<'a, bool>>,
    /// The OLS line's two ends.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    line: Vec<YearValue>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    forecast: Vec<ForecastPoint>,
    #[serde(skip_serializing_if = "Option::is_none")]
    subtitle: Option<Text>,
    tests: TrendTests,
}

#[derive(Serialize)]
struct PageUnit<'a> {
    programme: Option<&'a str>,
    indicators: BTreeMap<&'a str, UnitIndicator<'a>>,
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
    units: Vec<PageUnit<'a>>,
    /// Its programmes with published values: `orgs/<org>/<programme>.json`.
    programmes: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    risk: Option<RiskColumns>,
    radar: Vec<RadarYear>,
}

/// One programme's page: `orgs/<org_id>/<programme>.json`.
#[derive(Serialize)]
struct ProgrammePage<'a> {
    format: &'static str,
    version: u32,
    org: &'a str,
    years: &'a [Year],
    units: Vec<PageUnit<'a>>,
}

/// Which criteria of an organisation's assessments are hidden: per year,
/// the criteria ids whose indicator value is suppressed.
pub(crate) type Hidden = HashMap<(OrgIdx, Year), Vec<String>>;

/// An organisation's risk over the years, by column: what its gauge and
/// breakdown show each year, as [`Engine::risk_inputs`] builds them, with
/// every hidden criterion's numbers removed and the total withheld when any
/// is hidden (the total minus the others would give the hidden one away).
/// The criteria's names, weights, units and decimals are in the catalogue.
#[derive(Serialize, Default)]
struct RiskColumns {
    year: Vec<Year>,
    score: Vec<Option<f64>>,
    degree: Vec<Option<kpi_model::Degree>>,
    weight_coverage: Vec<Option<f64>>,
    previous_score: Vec<Option<f64>>,
    #[serde(skip_serializing_if = "all_false")]
    rising: Vec<bool>,
    #[serde(skip_serializing_if = "all_none")]
    reason: Vec<Option<Why>>,
    criteria: Vec<CriterionColumns>,
    /// Each year's criteria in the breakdown's order (most points first), as
    /// indices into `criteria`.
    order: Vec<Vec<usize>>,
}

/// One criterion of [`RiskColumns`], a value per year.
#[derive(Serialize, Default)]
struct CriterionColumns {
    code: String,
    contribution: Vec<Option<f64>>,
    criterion_score: Vec<Option<f64>>,
    value: Vec<Option<f64>>,
    warn: Vec<Option<f64>>,
    critical: Vec<Option<f64>>,
    #[serde(skip_serializing_if = "all_none")]
    gap_median: Vec<Option<f64>>,
    #[serde(skip_serializing_if = "all_false")]
    warn_from_gap: Vec<bool>,
    #[serde(skip_serializing_if = "all_false")]
    critical_from_gap: Vec<bool>,
    #[serde(skip_serializing_if = "all_false")]
    crossed: Vec<bool>,
    #[serde(skip_serializing_if = "all_none")]
    reason: Vec<Option<Why>>,
}

/// The risk of one organisation over the years, or `None` without any
/// assessment.
fn risk_columns(
    engine: &Engine,
    org: OrgIdx,
    years: &[Year],
    hidden: &Hidden,
) -> Option<RiskColumns> {
    let mut out = RiskColumns::default();
    let none = Vec::new();
    for &year in years {
        let Some((gauge, breakdown)) = engine.risk_inputs(org, year) else {
            continue;
        };
        let RiskGaugeData {
            score,
            degree,
            weight_coverage,
            mut previous_score,
            rising,
            reason,
            ..
        } = gauge;
        let RiskBreakdownData { criteria, .. } = breakdown;
        let hidden_now = hidden.get(&(org, year)).unwrap_or(&none);
        let withheld = !hidden_now.is_empty();
        if hidden.get(&(org, year - 1)).is_some_and(|h| !h.is_empty()) {
            previous_score = None;
        }
        let i = out.year.len();
        out.year.push(year);
        out.score.push(score.filter(|_| !withheld));
        out.degree.push(degree);
        out.weight_coverage.push(weight_coverage);
        out.previous_score.push(previous_score);
        out.rising.push(rising);
        out.reason.push(if withheld {
            Some(Why::Code(SCORE_WITHHELD))
        } else {
            reason.map(Why::Text)
        });
        let mut order = Vec::with_capacity(criteria.len());
        for c in criteria {
            let at = match out.criteria.iter().position(|x| x.code == c.code) {
                Some(at) => at,
                None => {
                    out.criteria.push(CriterionColumns {
                        code: c.code.clone(),
                        ..Default::default()
                    });
                    out.criteria.len() - 1
                }
            };
            order.push(at);
            let col = &mut out.criteria[at];
            // A criterion absent in earlier years: nulls there.
            col.fill_to(i);
            let hide = hidden_now.contains(&c.code);
            let m = c.measure.unwrap_or_default();
            col.contribution.push(c.contribution.filter(|_| !hide));
            col.criterion_score
                .push(c.criterion_score.filter(|_| !hide));
            col.value.push(m.value.filter(|_| !hide));
            col.warn.push(m.warn);
            col.critical.push(m.critical);
            col.gap_median.push(m.gap_median);
            col.warn_from_gap.push(m.warn_from_gap);
            col.critical_from_gap.push(m.critical_from_gap);
            col.crossed.push(c.crossed && !hide);
            col.reason.push(if hide {
                Some(Why::Code(Status::FewPersons.code()))
            } else {
                c.reason.map(Why::Text)
            });
        }
        for col in &mut out.criteria {
            col.fill_to(i + 1);
        }
        out.order.push(order);
    }
    (!out.year.is_empty()).then_some(out)
}

impl CriterionColumns {
    /// Nulls up to `len` years (a criterion not assessed in a year).
    fn fill_to(&mut self, len: usize) {
        while self.contribution.len() < len {
            self.contribution.push(None);
            self.criterion_score.push(None);
            self.value.push(None);
            self.warn.push(None);
            self.critical.push(None);
            self.gap_median.push(None);
            self.warn_from_gap.push(false);
            self.critical_from_gap.push(false);
            self.crossed.push(false);
            self.reason.push(None);
        }
    }
}

/// Why a total risk score is not shown.
pub(crate) fn withheld_reason(k: u32) -> Labels {
    use kpi_model::i18n::Lang;
    Labels::from_fn(|lang| match lang {
        Lang::En => format!("score withheld: a criterion's value rests on fewer than {k} persons"),
        Lang::Ru => format!(
            "балл не показан: значение одного из критериев рассчитано менее чем по {k} лицам"
        ),
        Lang::Ky => {
            format!("балл көрсөтүлбөйт: критерийдин мааниси {k} адамдан аз боюнча эсептелген")
        }
        Lang::Kk => {
            format!("балл көрсетілмейді: критерийдің мәні {k} адамнан аз бойынша есептелген")
        }
    })
}

/// One family of a radar year.
#[derive(Serialize, Clone)]
struct RadarFamily {
    family: &'static str,
    score: Option<f64>,
    peer_median: Option<f64>,
    indicators: u32,
}

/// One year of an organisation's radar.
#[derive(Serialize, Clone)]
struct RadarYear {
    year: Year,
    families: Vec<RadarFamily>,
    peer_n: usize,
}

/// The radar of every organisation of a level, per year, from published
/// values only: (org, year) → the radar input without shared parts.
fn radars(
    ds: &Dataset,
    catalogue: &kpi_indicators::Catalogue,
    level: Level,
    all_of_level: &[OrgIdx],
    cells: &[IndicatorCells],
    years: &[Year],
) -> HashMap<(OrgIdx, Year), RadarYear> {
    let by_id: HashMap<IndicatorId, &HashMap<UnitId, Vec<Cell>>> =
        cells.iter().map(|c| (c.id, &c.cells)).collect();
    let units: Vec<UnitId> = all_of_level.iter().map(|&o| ds.org_unit(o)).collect();
    // Each year on its own thread: the family scores of every organisation.
    years
        .par_iter()
        .enumerate()
        .flat_map_iter(|(yi, &year)| {
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
            let peer_n = units.len();
            all_of_level
                .iter()
                .enumerate()
                .filter_map(|(k, &org)| {
                    let families: Vec<RadarFamily> = scores
                        .iter()
                        .zip(&medians)
                        .map(|((family, counts, s), median)| RadarFamily {
                            family: family.code(),
                            score: s.get(k).copied().flatten(),
                            peer_median: *median,
                            indicators: counts.get(k).map_or(0, |c| c.1),
                        })
                        .collect();
                    (!families.iter().all(|f| f.score.is_none())).then_some((
                        (org, year),
                        RadarYear {
                            year,
                            families,
                            peer_n,
                        },
                    ))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Everything the page files of a level need.
pub(crate) struct LevelPages<'a> {
    pub engine: &'a Engine,
    pub level: Level,
    pub selected: &'a [OrgIdx],
    pub all_of_level: &'a [OrgIdx],
    pub cells: &'a [IndicatorCells],
    pub years: &'a [Year],
    pub regions: &'a RegionSlugs,
    pub hidden: &'a Hidden,
}

impl LevelPages<'_> {
    /// The indicators of one unit, by code.
    fn unit_indicators(&self, unit: UnitId, is_org: bool) -> BTreeMap<&str, UnitIndicator<'_>> {
        let table = self.engine.indicators();
        let catalogue = self.engine.catalogue();
        let mut indicators = BTreeMap::new();
        for ic in self.cells {
            let (Some(def), Some(cs)) = (catalogue.get(ic.id), ic.cells.get(&unit)) else {
                continue;
            };
            let series: Vec<(Year, Option<f64>, Option<Text>)> = cs
                .iter()
                .zip(self.years)
                .map(|(c, &y)| {
                    let shown = c.slot.status == Status::Published;
                    let why = c.not_computable_reason(table, unit, y).map(Text::Langs);
                    (y, c.slot.value.filter(|_| shown), why)
                })
                .collect();
            if series.iter().all(|(_, v, _)| v.is_none())
                && cs.iter().all(|c| c.outcome_reason.is_none())
            {
                continue;
            }
            let data = trend_of_series_bare(def, &series);
            let mut line = data.trend;
            // A straight line: its two ends draw it.
            if line.len() > 2 {
                let last = line.len() - 1;
                line.drain(1..last);
            }
            let mut value = Vec::with_capacity(cs.len());
            let mut reason = Vec::with_capacity(cs.len());
            let mut signal = Vec::with_capacity(cs.len());
            for p in data.points {
                value.push(p.value);
                reason.push(p.reason.map(|r| *r));
                signal.push(p.signal.map(|s| *s));
            }
            let st = ic
                .standings
                .get(&unit)
                .filter(|_| is_org)
                .map(Vec::as_slice);
            indicators.insert(
                def.code.as_str(),
                UnitIndicator {
                    value,
                    n: cs
                        .iter()
                        .map(|c| {
                            (c.slot.status == Status::Published)
                                .then_some(c.slot.n)
                                .flatten()
                        })
                        .collect(),
                    status: cs.iter().map(|c| c.slot.status.code()).collect(),
                    reason,
                    signal,
                    percentile: column(st, |s| s.percentile),
                    percentile_region: column(st, |s| s.percentile_region),
                    rank: column(st, |s| s.place.map(|p| p.rank)),
                    rank_region: column(st, |s| s.place_region.map(|p| p.rank)),
                    value_percentile: column(st, |s| s.place.and_then(|p| p.value_percentile)),
                    value_percentile_region: column(st, |s| {
                        s.place_region.and_then(|p| p.value_percentile)
                    }),
                    outlier: column(st, |s| s.place.is_some_and(|p| p.outlier)),
                    outlier_region: column(st, |s| s.place_region.is_some_and(|p| p.outlier)),
                    line,
                    forecast: data.forecast,
                    subtitle: data.subtitle,
                    tests: data.tests,
                },
            );
        }
        indicators
    }

    /// One file per selected organisation, `orgs/<org_id>.json`, and one per
    /// programme of it, `orgs/<org_id>/<programme>.json`.
    pub(crate) fn files(&self, sink: &super::Sink) -> Result<(), PublishError> {
        let ds = self.engine.dataset();
        let catalogue = self.engine.catalogue();
        let radar = radars(
            ds,
            catalogue,
            self.level,
            self.all_of_level,
            self.cells,
            self.years,
        );
        self.selected.par_iter().try_for_each(|&org| {
            let o = ds.org(org);
            let key = super::path_key(&o.id);
            // Each programme gets a file, read only by a widget that names it.
            let mut programmes = Vec::new();
            for &unit in ds.programme_units(org) {
                let indicators = self.unit_indicators(unit, false);
                let Some(code) = ds.programme_code(unit) else {
                    continue;
                };
                if indicators.is_empty() {
                    continue;
                }
                sink.put_json(
                    format!("orgs/{key}/{}.json", super::path_key(code)),
                    &ProgrammePage {
                        format: super::FORMAT,
                        version: super::FORMAT_VERSION,
                        org: &o.id,
                        years: self.years,
                        units: vec![PageUnit {
                            programme: Some(code),
                            indicators,
                        }],
                    },
                )?;
                programmes.push(code);
            }
            let own = self.unit_indicators(ds.org_unit(org), true);
            let page = Page {
                format: super::FORMAT,
                version: super::FORMAT_VERSION,
                org: PageOrg {
                    id: &o.id,
                    names: super::shards::org_names(o),
                    level: o.level.code(),
                    region: &o.region,
                    region_slug: self.regions.slug_of(org),
                    ownership: o.ownership.map(|x| x.code()),
                    locality: o.locality.map(|x| x.code()),
                },
                years: self.years,
                units: if own.is_empty() {
                    Vec::new()
                } else {
                    vec![PageUnit {
                        programme: None,
                        indicators: own,
                    }]
                },
                programmes,
                risk: risk_columns(self.engine, org, self.years, self.hidden),
                radar: self
                    .years
                    .iter()
                    .filter_map(|&y| radar.get(&(org, y)).cloned())
                    .collect(),
            };
            sink.put_json(format!("orgs/{key}.json"), &page)
        })
    }
}
