//! The `scatter` view: two indicators across a peer group.

use super::*;

impl Engine {
    pub(super) fn scatter(&self, r: &ViewRequest) -> Result<ScatterData, EngineError> {
        let mut codes: Vec<&str> = Vec::new();
        if let Some(i) = r.indicator.as_deref() {
            codes.push(i);
        }
        for i in r.indicators.iter().flatten() {
            if !codes.contains(&i.as_str()) {
                codes.push(i);
            }
        }
        let (Some(&xc), Some(&yc)) = (codes.first(), codes.get(1)) else {
            return Err(EngineError::bad(
                "`scatter` needs two indicators (indicators=\"x,y\")",
            ));
        };
        let (xi, xd) = self.indicator_def(xc)?;
        let (yi, yd) = self.indicator_def(yc)?;
        let org = match r.org.as_deref() {
            Some(id) => Some(self.org(id)?),
            None => None,
        };
        if org.is_some() {
            let t = self.target(r)?;
            self.check_applies(xi, xd, &t)?;
            self.check_applies(yi, yd, &t)?;
        }
        let programme = r.programme.as_deref();
        let year = match r.year {
            Some(y) => y,
            None => self
                .latest_year_with_data(xi, org, r.peers.as_ref(), programme)
                .into_iter()
                .chain(self.latest_year_with_data(yi, org, r.peers.as_ref(), programme))
                .min()
                .ok_or_else(|| EngineError::NoData {
                    what: format!("no year with values of `{xc}` and `{yc}`"),
                })?,
        };
        let group = self.peer_group(org, r.peers.as_ref(), Some(year))?;
        let points = self
            .group_units(&group, programme)
            .into_iter()
            .map(|(o, u)| ScatterPoint {
                id: self.dataset.org(o).id.clone(),
                org: Some(self.dataset.org(o).id.clone()),
                programme: self.dataset.programme_code(u).map(String::from),
                name: Text::Langs(self.unit_name(o, u)),
                x: self.indicators.value(xi, u, year),
                y: self.indicators.value(yi, u, year),
                highlight: Some(o) == org,
                warnings: Vec::new(),
            })
            .collect();
        Ok(ScatterData {
            x: indicator_info(xd),
            y: indicator_info(yd),
            year: Some(year),
            points,
            x_axis: AxisOptions::default(),
            y_axis: AxisOptions::default(),
            peer_group: Some(Text::Langs(group.label.clone())),
            title: None,
            subtitle: None,
        })
    }
}
