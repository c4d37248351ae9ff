//! The `risk-gauge` and `risk-breakdown` views of a risk assessment.

use super::*;

fn insufficient_text(share: f64, lang: Lang) -> String {
    let pct = kpi_model::i18n::format_number(100.0 * share, 0, lang);
    match lang {
        Lang::En => format!("Insufficient data: {pct}% of the criteria weight is computable"),
        Lang::Ru => format!("Недостаточно данных: рассчитывается {pct}% веса критериев"),
        Lang::Kk => format!("Деректер жеткіліксіз: критерийлер салмағының {pct}% есептеледі"),
        Lang::Ky => format!("Маалымат жетишсиз: критерийлердин салмагынын {pct}%-ы эсептелет"),
    }
}

impl Engine {
    /// The assessment year of a risk request: the request's, else the latest
    /// year in which the organisation has a score.
    pub(super) fn risk_year(&self, org: OrgIdx, year: Option<Year>) -> Result<Year, EngineError> {
        if let Some(y) = year {
            return Ok(y);
        }
        let years: Vec<Year> = self.dataset.years().iter().collect();
        years
            .iter()
            .rev()
            .copied()
            .find(|&y| self.assessment(org, y).is_some_and(|a| a.score.is_some()))
            .or_else(|| years.last().copied())
            .ok_or_else(|| EngineError::NoData {
                what: "the dataset has no years".into(),
            })
    }

    pub(super) fn assessment_of(
        &self,
        r: &ViewRequest,
    ) -> Result<(Target, &kpi_risk::RiskAssessment), EngineError> {
        let t = self.target(r)?;
        let year = self.risk_year(t.org, r.year)?;
        let a = self
            .assessment(t.org, year)
            .ok_or_else(|| EngineError::NoData {
                what: format!(
                    "no risk assessment of `{}` in {year}: no criteria apply to {} organisations",
                    self.dataset.org(t.org).id,
                    self.dataset.org(t.org).level.code()
                ),
            })?;
        Ok((t, a))
    }

    pub(super) fn risk_gauge(&self, r: &ViewRequest) -> Result<RiskGaugeData, EngineError> {
        let (t, a) = self.assessment_of(r)?;
        Ok(self.gauge_of(t.org, a, Text::Langs(t.names)))
    }

    pub(super) fn risk_breakdown(&self, r: &ViewRequest) -> Result<RiskBreakdownData, EngineError> {
        let (t, a) = self.assessment_of(r)?;
        Ok(self.breakdown_of(a, Text::Langs(t.names), true))
    }

    /// The `risk-gauge` and `risk-breakdown` inputs of an organisation's
    /// assessment in a year, as [`Engine::chart`] builds them but without the
    /// organisation's and the criteria's names (`unit_name` and each `label`
    /// empty): for a caller that writes the names once elsewhere, such as a
    /// published bundle's catalogue. `None` when no criteria apply.
    ///
    /// ```
    /// use kpi_engine::{Engine, EngineOptions};
    /// let sources = kpi_import::read_paths(&["../demo/data"]).unwrap();
    /// let e = Engine::from_sources(&sources, &EngineOptions::default()).unwrap();
    /// let a = &e.risk().assessments[0];
    /// let (gauge, breakdown) = e.risk_inputs(a.org, a.year).unwrap();
    /// assert_eq!(gauge.score, a.score);
    /// assert_eq!(breakdown.criteria.len(), a.criteria.len());
    /// assert!(breakdown.criteria[0].label.is_empty());
    /// ```
    pub fn risk_inputs(
        &self,
        org: OrgIdx,
        year: Year,
    ) -> Option<(RiskGaugeData, RiskBreakdownData)> {
        let a = self.assessment(org, year)?;
        Some((
            self.gauge_of(org, a, Text::default()),
            self.breakdown_of(a, Text::default(), false),
        ))
    }

    fn gauge_of(
        &self,
        org: OrgIdx,
        a: &kpi_risk::RiskAssessment,
        unit_name: Text,
    ) -> RiskGaugeData {
        let rules = self.criteria.rules();
        let prev = self.assessment(org, a.year - 1);
        let rising = match (prev.and_then(|p| p.degree.rank()), a.degree.rank()) {
            (Some(p), Some(c)) => c > p,
            _ => false,
        };
        let reason = match a.degree {
            Degree::InsufficientData => Some(Text::Langs(Labels::from_fn(|lang| {
                insufficient_text(a.computable_weight_share, lang)
            }))),
            _ => None,
        };
        RiskGaugeData {
            score: a.score.filter(|s| s.is_finite()),
            degree: Some(a.degree),
            low_max: rules.low_max,
            medium_max: rules.medium_max,
            weight_coverage: Some(a.computable_weight_share),
            previous_score: prev.and_then(|p| p.score),
            rising,
            unit_name,
            org: Some(a.org_id.clone()),
            year: Some(a.year),
            reason,
            title: None,
        }
    }

    fn breakdown_of(
        &self,
        a: &kpi_risk::RiskAssessment,
        unit_name: Text,
        labels: bool,
    ) -> RiskBreakdownData {
        let criteria = a
            .criteria
            .iter()
            .map(|c| {
                let def = self.indicators.def(c.indicator.as_str());
                let band = matches!(def.map(|d| d.direction), Some(Direction::Target { .. }));
                let th = c.thresholds;
                let gap = th.and_then(|t| t.min_gap);
                RiskCriterion {
                    code: c.id.clone(),
                    label: if labels {
                        Text::Langs(c.labels.clone())
                    } else {
                        Text::default()
                    },
                    contribution: c.score.map(|_| c.contribution),
                    weight: Some(c.weight),
                    criterion_score: c.score,
                    // Numbers: the chart writes them in the language it draws.
                    measure: Some(kpi_chart::CriterionMeasure {
                        value: c.value,
                        unit: def.map_or(ValueUnit::Ratio, |d| d.unit.clone()),
                        decimals: Some(def.map_or(1, |d| usize::from(d.decimals))),
                        band,
                        warn: th.map(|t| t.warn),
                        critical: th.map(|t| t.critical),
                        gap_median: gap.map(|g| g.peer_median),
                        warn_from_gap: gap.is_some_and(|g| g.warn_from_gap),
                        critical_from_gap: gap.is_some_and(|g| g.critical_from_gap),
                    }),
                    value_text: None,
                    thresholds: None,
                    reason: c
                        .not_computable
                        .as_ref()
                        .map(|g| Text::Langs(Labels::from_fn(|lang| g.localized(lang)))),
                    gross: c.gross,
                    crossed: c.gross && c.score.is_some_and(|s| s >= 1.0),
                }
            })
            .collect();
        RiskBreakdownData {
            criteria,
            score: a.score.filter(|s| s.is_finite()),
            degree: Some(a.degree),
            unit_name,
            org: Some(a.org_id.clone()),
            year: Some(a.year),
            title: None,
        }
    }
}
