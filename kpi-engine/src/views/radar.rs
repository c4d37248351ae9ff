//! The `radar` view: family scores of a unit against the peer median.

use super::*;

/// A family's name in every language.
///
/// ```
/// use kpi_model::{i18n::Lang, Family};
/// assert_eq!(kpi_engine::family_label(Family::Outcome).get(Lang::En), "Outcome");
/// ```
pub fn family_label(f: Family) -> Labels {
    let (kk, ru, en, ky) = match f {
        Family::Input => ("Ресурстар", "Ресурсы", "Input", "Ресурстар"),
        Family::Process => ("Процесс", "Процесс", "Process", "Процесс"),
        Family::Outcome => ("Нәтиже", "Результат", "Outcome", "Натыйжа"),
        Family::Efficiency => ("Тиімділік", "Эффективность", "Efficiency", "Натыйжалуулук"),
    };
    Labels {
        kk: kk.into(),
        ru: ru.into(),
        en: en.into(),
        ky: ky.into(),
    }
}

/// A family, each unit's (position, number of computable indicators) and its score.
pub type FamilyColumn = (Family, Vec<(usize, u32)>, Vec<Option<f64>>);

/// Family scores of every unit of a group: for each family, each unit's
/// number of computable indicators and the mean of their percentiles in
/// direction (mid-rank, among the group's values). `value(indicator, k)` is
/// the value of the group's `k`-th unit; the engine passes its computed
/// values, the publishing step only published ones.
///
/// ```
/// use kpi_engine::family_scores_of;
/// use kpi_indicators::Catalogue;
/// use kpi_model::{Family, Level};
/// let c = Catalogue::builtin();
/// let employment = c.id("employment_rate").unwrap();
/// // Two colleges: only the employment rate is known, 80 % and 60 %.
/// let scores = family_scores_of(&c, Level::College, 2, |id, k| {
///     (id == employment).then(|| [80.0, 60.0][k])
/// });
/// let (_, counts, outcome) = scores.iter().find(|f| f.0 == Family::Outcome).unwrap();
/// assert_eq!(outcome, &vec![Some(75.0), Some(25.0)]); // mid-rank percentiles of 2
/// assert_eq!(counts[0].1, 1);
/// ```
pub fn family_scores_of(
    catalogue: &kpi_indicators::Catalogue,
    level: Level,
    units: usize,
    value: impl Fn(IndicatorId, usize) -> Option<f64>,
) -> Vec<FamilyColumn> {
    let mut out = Vec::new();
    for family in Family::ALL {
        let mut sums = vec![(0.0f64, 0u32); units];
        for (i, def) in catalogue
            .iter()
            .filter(|(_, d)| d.family == family && d.applies_to(level) && d.per.organisations())
        {
            let values: Vec<Option<f64>> = (0..units)
                .map(|k| value(i, k).filter(|v| v.is_finite()))
                .collect();
            let g = Goodness::new(values.iter().flatten().copied(), def.direction);
            for (s, v) in sums.iter_mut().zip(&values) {
                if let Some(p) = v.and_then(|v| g.percentile(v)) {
                    s.0 += p;
                    s.1 += 1;
                }
            }
        }
        let counts = sums.iter().enumerate().map(|(k, s)| (k, s.1)).collect();
        let scores = sums
            .iter()
            .map(|&(sum, n)| (n > 0).then(|| sum / f64::from(n)))
            .collect();
        out.push((family, counts, scores));
    }
    out
}

impl Engine {
    /// Family scores of every unit of a group (see [`family_scores_of`]).
    pub(super) fn family_scores(
        &self,
        units: &[(OrgIdx, UnitId)],
        level: Level,
        year: Year,
    ) -> Vec<FamilyColumn> {
        family_scores_of(self.catalogue(), level, units.len(), |i, k| {
            units
                .get(k)
                .and_then(|&(_, u)| self.indicators.value(i, u, year))
        })
    }

    pub(super) fn radar(&self, r: &ViewRequest) -> Result<RadarData, EngineError> {
        let t = self.target(r)?;
        let level = self.dataset.org(t.org).level;
        let year = match r.year {
            Some(y) => y,
            None => {
                let years: Vec<Year> = self.dataset.years().iter().collect();
                years
                    .iter()
                    .rev()
                    .copied()
                    .find(|&y| {
                        self.catalogue().iter().any(|(i, d)| {
                            d.applies_to(level) && self.indicators.value(i, t.unit, y).is_some()
                        })
                    })
                    .ok_or_else(|| EngineError::NoData {
                        what: format!(
                            "no indicator of `{}` is computable in any year",
                            self.dataset.org(t.org).id
                        ),
                    })?
            }
        };
        let group = self.peer_group(Some(t.org), r.peers.as_ref(), Some(year))?;
        let units = self.group_units(&group, t.programme.as_deref());
        let me = units.iter().position(|&(_, u)| u == t.unit);
        let families = self
            .family_scores(&units, group.level, year)
            .into_iter()
            .map(|(family, counts, scores)| {
                let mine = me.and_then(|k| scores.get(k).copied().flatten());
                let n = me.and_then(|k| counts.get(k)).map_or(0, |c| c.1);
                let peer: Vec<f64> = scores.iter().flatten().copied().collect();
                FamilyScore {
                    family,
                    label: Some(Text::Langs(family_label(family))),
                    score: mine,
                    peer_median: median(&peer),
                    reason: mine.is_none().then(|| {
                        format!("no {} indicator computable in {year}", family.code()).into()
                    }),
                    indicators: Some(n),
                }
            })
            .collect();
        Ok(RadarData {
            families,
            unit_name: Text::Langs(t.names),
            org: Some(self.dataset.org(t.org).id.clone()),
            programme: t.programme,
            year: Some(year),
            peer_n: Some(units.len() as u32),
            title: None,
        })
    }
}
