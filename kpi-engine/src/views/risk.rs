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

/// The note beside a threshold that the minimum meaningful gap set instead
/// of the peer percentile, with the peer median as displayed.
fn gap_note(median: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("minimum gap from the peer median {median}"),
        Lang::Ru => format!("минимальный разрыв от медианы группы {median}"),
        Lang::Kk => format!("топ медианасынан ең аз алшақтық, медиана {median}"),
        Lang::Ky => format!("топтун медианасынан эң аз айырма, медиана {median}"),
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
        let rules = self.criteria.rules();
        let prev = self.assessment(t.org, a.year - 1);
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
        Ok(RiskGaugeData {
            score: a.score.filter(|s| s.is_finite()),
            degree: Some(a.degree),
            low_max: rules.low_max,
            medium_max: rules.medium_max,
            weight_coverage: Some(a.computable_weight_share),
            previous_score: prev.and_then(|p| p.score),
            rising,
            unit_name: Text::Langs(t.names),
            org: Some(a.org_id.clone()),
            year: Some(a.year),
            reason,
            title: None,
        })
    }

    pub(super) fn risk_breakdown(&self, r: &ViewRequest) -> Result<RiskBreakdownData, EngineError> {
        let (t, a) = self.assessment_of(r)?;
        let strings = ChartStrings::builtin();
        let criteria = a
            .criteria
            .iter()
            .map(|c| {
                let info = self
                    .indicators
                    .def(c.indicator.as_str())
                    .map(indicator_info);
                // Numbers written in every language: the chart picks one when it is laid out.
                let fmt = |v: f64| {
                    Text::Langs(Labels::from_fn(|lang| match &info {
                        Some(i) => i.format(v, lang, strings),
                        None => kpi_model::i18n::format_number(v, 1, lang),
                    }))
                };
                let distance = |v: f64| {
                    Text::Langs(Labels::from_fn(|lang| {
                        format!("±{}", kpi_model::i18n::format_number(v, 1, lang))
                    }))
                };
                let band = matches!(
                    info.as_ref().map(|i| i.direction),
                    Some(Direction::Target { .. })
                );
                RiskCriterion {
                    code: c.id.clone(),
                    label: Text::Langs(c.labels.clone()),
                    contribution: c.score.map(|_| c.contribution),
                    weight: Some(c.weight),
                    criterion_score: c.score,
                    value_text: c.value.map(fmt),
                    thresholds: c.thresholds.map(|th| {
                        // Thresholds of target bands are distances outside the band.
                        let show = |v: f64| if band { distance(v) } else { fmt(v) };
                        // A threshold the minimum gap set says so, with the peer median.
                        let noted = |v: f64, from_gap: bool| match th.min_gap {
                            Some(g) if from_gap => {
                                let (value, median) = (show(v), show(g.peer_median));
                                Text::Langs(Labels::from_fn(|lang| {
                                    format!(
                                        "{} ({})",
                                        value.get(lang),
                                        gap_note(median.get(lang), lang)
                                    )
                                }))
                            }
                            _ => show(v),
                        };
                        (
                            noted(th.warn, th.min_gap.is_some_and(|g| g.warn_from_gap)),
                            noted(th.critical, th.min_gap.is_some_and(|g| g.critical_from_gap)),
                        )
                    }),
                    reason: c
                        .not_computable
                        .as_ref()
                        .map(|g| Text::Langs(Labels::from_fn(|lang| g.localized(lang)))),
                    gross: c.gross,
                    crossed: c.gross && c.score.is_some_and(|s| s >= 1.0),
                }
            })
            .collect();
        Ok(RiskBreakdownData {
            criteria,
            score: a.score.filter(|s| s.is_finite()),
            degree: Some(a.degree),
            unit_name: Text::Langs(t.names),
            org: Some(a.org_id.clone()),
            year: Some(a.year),
            title: None,
        })
    }
}
