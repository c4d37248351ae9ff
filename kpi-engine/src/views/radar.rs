//! The `radar` view: family scores of a unit against the peer median.

use super::*;

fn family_label(f: Family) -> Labels {
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

/// A family's indicator counts and scores per unit of a group.
type FamilyColumn = (Family, Vec<(usize, u32)>, Vec<Option<f64>>);

impl Engine {
    /// Family scores of every unit of a group: the mean percentile in
    /// direction of the unit's computable indicators of each family.
    pub(super) fn family_scores(
        &self,
        units: &[(OrgIdx, UnitId)],
        level: Level,
        year: Year,
    ) -> Vec<FamilyColumn> {
        let mut out = Vec::new();
        for family in Family::ALL {
            let ids: Vec<IndicatorId> = self
                .catalogue()
                .iter()
                .filter(|(_, d)| d.family == family && d.applies_to(level) && d.per.organisations())
                .map(|(i, _)| i)
                .collect();
            let mut sums = vec![(0.0f64, 0u32); units.len()];
            for &i in &ids {
                let Some(def) = self.indicators.def(i) else {
                    continue;
                };
                let values: Vec<Option<f64>> = units
                    .iter()
                    .map(|&(_, u)| self.indicators.value(i, u, year).filter(|v| v.is_finite()))
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
