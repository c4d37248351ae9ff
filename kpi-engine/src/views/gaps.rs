//! The `gaps` view: one indicator across groups of the organisations of a level
//! (`by` locality, ownership or region), from [`Engine::gaps`] (the one copy of
//! the group statistics and Welch's test).

use super::*;
use crate::questions::{group_name, GapBy, GapsReport};
use kpi_chart::{GapGroup, GapParity, GapStatistic, GapTest, GapsData};

/// What the groups are, in every language.
fn by_label(by: GapBy) -> Labels {
    let (kk, ru, en, ky) = match by {
        GapBy::Locality => (
            "елді мекен түрі бойынша",
            "по типу местности",
            "by locality",
            "жашаган жердин түрү боюнча",
        ),
        GapBy::Ownership => (
            "меншік нысаны бойынша",
            "по форме собственности",
            "by ownership",
            "менчик түрү боюнча",
        ),
        GapBy::Region => ("өңір бойынша", "по регионам", "by region", "аймак боюнча"),
        GapBy::Sex => ("жынысы бойынша", "по полу", "by sex", "жынысы боюнча"),
    };
    Labels::from_fn(|lang| {
        match lang {
            Lang::Kk => kk,
            Lang::Ru => ru,
            Lang::En => en,
            Lang::Ky => ky,
        }
        .to_string()
    })
}

/// The chart input of a gaps report.
///
/// ```
/// use kpi_engine::{gaps_data, Engine, GapBy};
/// use kpi_indicators::Catalogue;
/// use kpi_model::{DatasetBuilder, Level};
/// use kpi_risk::CriteriaSet;
/// let mut b = DatasetBuilder::new(2023, 2023);
/// for (id, region, employed) in [("C1", "Abai", 60.0), ("C2", "Abai", 70.0), ("C3", "Astana", 90.0)] {
///     b = b.org(id, Level::College, region)
///          .value(id, None, 2023, "graduates", 100.0)
///          .value(id, None, 2023, "graduates_employed", employed);
/// }
/// let ds = b.build();
/// let report = ds.report().clone();
/// let e = Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin()).unwrap();
/// let g = e.gaps("employment_rate", 2023, Level::College, GapBy::Region).unwrap();
/// let d = gaps_data(&e, &g);
/// assert_eq!(d.groups.len(), 2);
/// assert_eq!(d.groups[0].mean, Some(65.0));
/// assert_eq!(d.best.as_deref(), Some("Astana"));
/// ```
pub fn gaps_data(engine: &Engine, report: &GapsReport) -> GapsData {
    let def = engine.indicator_def(&report.indicator).map(|(_, d)| d).ok();
    let indicator = def.map(indicator_info).unwrap_or_default();
    let level = report.level;
    let by = by_label(report.by);
    let population =
        Labels::from_fn(|lang| format!("{} · {}", level_label(level, lang), by.get(lang)));
    let mut data = GapsData {
        indicator,
        year: Some(report.year),
        population: Some(Text::Langs(population)),
        ..Default::default()
    };
    let Ok(g) = &report.gaps else {
        return data;
    };
    // `female` before `male`: the difference is female − male.
    data.groups = g
        .groups
        .iter()
        .map(|s| GapGroup {
            id: s.group.clone(),
            name: Text::Langs(Labels::from_fn(|lang| group_name(&s.group, lang))),
            n: u32::try_from(s.n).unwrap_or(u32::MAX),
            mean: Some(s.mean),
            median: Some(s.median),
            sd: s.sd.as_ref().ok().copied(),
            ci_low: s.mean_ci95.as_ref().ok().map(|c| c.0),
            ci_high: s.mean_ci95.as_ref().ok().map(|c| c.1),
        })
        .collect();
    data.statistic = GapStatistic::Mean;
    data.parity = match &report.parity {
        Some(Ok(p)) => Some(GapParity {
            index: p.gpi,
            adjusted: p.adjusted,
        }),
        _ => None,
    };
    data.overall = Some(g.overall_mean);
    data.best = Some(g.best.clone());
    data.worst = Some(g.worst.clone());
    data.best_minus_worst = Some(g.best_minus_worst);
    data.test =
        g.pair.as_ref().map(|p| {
            let w = p.welch.as_ref().ok();
            GapTest {
                difference: p.mean_difference,
                t: w.map(|w| w.t),
                df: w.map(|w| w.df),
                p_value: w.map(|w| w.p_value),
                reason: p.welch.as_ref().err().map(|r| {
                    Text::Langs(Labels::from_fn(|lang| kpi_summary::reason_phrase(r, lang)))
                }),
            }
        });
    data
}

impl Engine {
    pub(super) fn gaps_view(&self, r: &ViewRequest) -> Result<GapsData, EngineError> {
        let code = r
            .indicator
            .as_deref()
            .ok_or_else(|| EngineError::bad("`gaps` needs an indicator"))?;
        let by = r.by.unwrap_or(GapBy::Locality);
        let org = match r.org.as_deref() {
            Some(id) => Some(self.org(id)?),
            None => None,
        };
        let level = match (org, r.peers.as_ref()) {
            (Some(o), _) => Some(self.dataset.org(o).level),
            (None, Some(PeersArg::Spec(s))) => s.level,
            (None, Some(PeersArg::Word(w))) => Level::from_code(w.trim()),
            (None, None) => None,
        }
        .ok_or_else(|| EngineError::bad("`gaps` needs an org or a level (peers=\"college\")"))?;
        let (id, _) = self.indicator_def(code)?;
        let year = match r.year {
            Some(y) => y,
            None => self
                .dataset
                .years()
                .iter()
                .collect::<Vec<Year>>()
                .into_iter()
                .rev()
                .find(|&y| {
                    self.dataset.orgs_of_level(level).any(|o| {
                        let u = self.dataset.org_unit(o);
                        self.indicators.value(id, u, y).is_some()
                    })
                })
                .ok_or_else(|| EngineError::NoData {
                    what: format!("no year with values of `{code}`"),
                })?,
        };
        let report = self.gaps(code, year, level, by)?;
        Ok(gaps_data(self, &report))
    }
}
