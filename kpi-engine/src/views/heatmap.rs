//! The `heatmap` view: units × indicators, coloured by percentile in direction.

use super::*;

impl Engine {
    /// The level's main indicators: KPI-tagged organisation indicators, else the first ones.
    pub fn main_indicators(&self, level: Level) -> Vec<IndicatorId> {
        let applicable: Vec<(IndicatorId, &IndicatorDef)> = self
            .catalogue()
            .iter()
            .filter(|(_, d)| d.applies_to(level) && d.per.organisations())
            .collect();
        let kpi: Vec<IndicatorId> = applicable
            .iter()
            .filter(|(_, d)| d.has_tag(Tag::Kpi))
            .map(|(i, _)| *i)
            .take(DEFAULT_HEATMAP_INDICATORS)
            .collect();
        if kpi.is_empty() {
            applicable
                .iter()
                .map(|(i, _)| *i)
                .take(DEFAULT_HEATMAP_INDICATORS)
                .collect()
        } else {
            kpi
        }
    }

    pub(super) fn heatmap(&self, r: &ViewRequest) -> Result<HeatmapData, EngineError> {
        let org = match r.org.as_deref() {
            Some(id) => Some(self.org(id)?),
            None => None,
        };
        let year = r.year.or_else(|| self.latest_year());
        let group = self.peer_group(org, r.peers.as_ref(), year)?;
        let ids: Vec<IndicatorId> = match &r.indicators {
            Some(codes) if !codes.is_empty() => codes
                .iter()
                .map(|c| self.indicator_def(c).map(|(i, _)| i))
                .collect::<Result<_, _>>()?,
            _ => self.main_indicators(group.level),
        };
        let ids: Vec<IndicatorId> = ids
            .into_iter()
            .filter(|&i| {
                self.indicators
                    .def(i)
                    .is_some_and(|d| d.applies_to(group.level))
            })
            .collect();
        if ids.is_empty() {
            return Err(EngineError::NoData {
                what: format!(
                    "no indicator of the request applies to {} organisations",
                    group.level.code()
                ),
            });
        }
        let units = self.group_units(&group, r.programme.as_deref());
        let mut columns = Vec::new();
        let mut scales = Vec::new();
        for &i in &ids {
            let Some(def) = self.indicators.def(i) else {
                continue;
            };
            columns.push(HeatmapColumn {
                indicator: indicator_info(def),
                short_label: None,
            });
            let values = self.group_values(i, &units, group.year);
            scales.push(Goodness::new(values.into_iter(), def.direction));
        }
        let rows = units
            .iter()
            .map(|&(o, u)| HeatmapRow {
                id: self.dataset.org(o).id.clone(),
                org: Some(self.dataset.org(o).id.clone()),
                programme: self.dataset.programme_code(u).map(String::from),
                name: Text::Langs(self.unit_name(o, u)),
                highlight: Some(o) == org,
                cells: ids
                    .iter()
                    .zip(&scales)
                    .map(|(&i, g)| {
                        let out = self.indicators.get(i, u, group.year);
                        let value = out.as_ref().and_then(|o| o.value());
                        HeatmapCell {
                            value,
                            percentile: value.and_then(|v| g.percentile(v)),
                            reason: out.as_ref().and_then(reason_text),
                            n: Some(g.n() as u32),
                        }
                    })
                    .collect(),
            })
            .collect();
        Ok(HeatmapData {
            columns,
            rows,
            sort_by: None,
            keep_order: false,
            year: Some(group.year),
            title: None,
            subtitle: Some(Text::Langs(group.label.clone())),
        })
    }
}
