//! The `distribution` view: a peer group's values with the unit's position.

use super::*;

impl Engine {
    pub(super) fn distribution(&self, r: &ViewRequest) -> Result<DistributionData, EngineError> {
        let c = self.comparison(r)?;
        let highlighted = c.rows.iter().find(|row| row.highlight);
        let values: Vec<f64> = c.rows.iter().filter_map(|row| row.value).collect();
        let subject = match self.indicators.def(c.indicator.code.as_str()) {
            Some(def) => subject_of(def),
            None => Subject::new(
                Labels::from_fn(|l| c.indicator.name(l).to_string()),
                "points",
            ),
        };
        let sentence = distribution(&values).ok().map(|d| {
            Labels::from_fn(|lang| kpi_summary::distribution_sentence(&subject, &d, lang))
        });
        Ok(DistributionData {
            indicator: c.indicator.clone(),
            year: Some(c.year),
            values,
            unit_value: highlighted.and_then(|h| h.value),
            unit_name: Text::Langs(highlighted.map(|h| h.name.clone()).unwrap_or_default()),
            org: highlighted.map(|h| h.org_id.clone()),
            programme: highlighted.and_then(|h| h.programme.clone()),
            mode: DistributionMode::Auto,
            bins: None,
            peer_group: Some(Text::Langs(c.peer_group)),
            axis: AxisOptions::default(),
            title: None,
            subtitle: sentence.map(Text::Langs),
        })
    }
}
