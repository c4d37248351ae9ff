//! The `kpi-card` view: one indicator's latest value, change, sparkline and peer percentile.

use super::*;

impl Engine {
    pub(super) fn kpi_card(&self, r: &ViewRequest) -> Result<KpiCardData, EngineError> {
        let t = self.target(r)?;
        let (id, def) = self.indicator_def(self.required_indicator(r)?)?;
        self.check_applies(id, def, &t)?;
        let series: Vec<(Year, Outcome)> = self
            .indicators
            .series(id, t.unit)
            .into_iter()
            .filter(|(y, _)| r.year.is_none_or(|until| *y <= until))
            .collect();
        let latest = series
            .iter()
            .rev()
            .find_map(|(y, o)| o.value().map(|v| (*y, v)));
        // A later year (asked for, or the latest of the data) without a value: the card
        // shows the older year and says why the later one is missing.
        let unavailable = match (latest, series.last()) {
            (Some((y, _)), Some((last, o))) if *last > y => Some(UnavailableYear {
                year: *last,
                reason: reason_text(o),
            }),
            _ => None,
        };
        let (year, value, reason) = match latest {
            Some((y, v)) => (y, Some(v), None),
            None => {
                let (y, o) = series.last().ok_or_else(|| EngineError::NoData {
                    what: format!(
                        "no years of `{}` for `{}`",
                        def.code,
                        self.dataset.org(t.org).id
                    ),
                })?;
                (*y, None, reason_text(o))
            }
        };
        let previous = self.indicators.value(id, t.unit, year - 1);
        let history = series
            .iter()
            .filter_map(|(y, o)| o.value().map(|value| YearValue { year: *y, value }))
            .collect();
        let group = self.peer_group(Some(t.org), r.peers.as_ref(), Some(year))?;
        let units = self.group_units(&group, t.programme.as_deref());
        let values = self.group_values(id, &units, year);
        let goodness = Goodness::new(values.iter().copied(), def.direction);
        Ok(KpiCardData {
            indicator: indicator_info(def),
            unit_name: Text::Langs(t.names.clone()),
            org: Some(self.dataset.org(t.org).id.clone()),
            programme: t.programme.clone(),
            year: Some(year),
            value,
            reason,
            previous,
            history,
            peer_percentile: value.and_then(|v| goodness.percentile(v)),
            peer_n: Some(goodness.n() as u32),
            peer_median: median(&values),
            warnings: self.warning_texts(id, t.unit, year),
            title: None,
            unavailable,
        })
    }
}
