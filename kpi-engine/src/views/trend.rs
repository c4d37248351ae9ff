//! The `trend` view: one unit's indicator over the years with its peers, the trend tests, the forecast and signals.

use super::*;

fn signal_text(s: &kpi_stats::dynamic::Signal, info: &IndicatorInfo) -> Labels {
    use kpi_stats::dynamic::SignalRule;
    let strings = ChartStrings::builtin();
    let f = |lang: Lang, v: f64| info.format(v, lang, strings);
    let per_year = |lang: Lang, v: f64| info.unit.format_change(v, info.decimals, lang, strings);
    match s.rule {
        SignalRule::OutsidePredictionInterval => Labels {
            kk: format!(
                "{} мәні трендтің 95% болжам аралығынан тыс (күтілген {})",
                f(Lang::Kk, s.observed),
                f(Lang::Kk, s.expected)
            ),
            ru: format!(
                "Значение {} вне 95% интервала прогноза по тренду (ожидалось {})",
                f(Lang::Ru, s.observed),
                f(Lang::Ru, s.expected)
            ),
            en: format!(
                "{} lies outside the trend's 95% prediction interval (expected {})",
                f(Lang::En, s.observed),
                f(Lang::En, s.expected)
            ),
            ky: format!(
                "{} мааниси тенденциянын 95% болжол аралыгынан тышкары (күтүлгөнү {})",
                f(Lang::Ky, s.observed),
                f(Lang::Ky, s.expected)
            ),
        },
        SignalRule::UnusualChange => Labels {
            kk: format!(
                "Әдеттен тыс өзгеріс: жылына {} (әдетте {})",
                per_year(Lang::Kk, s.observed),
                per_year(Lang::Kk, s.expected)
            ),
            ru: format!(
                "Необычное изменение: {} в год (обычно {})",
                per_year(Lang::Ru, s.observed),
                per_year(Lang::Ru, s.expected)
            ),
            en: format!(
                "Unusual change: {} a year (typically {})",
                per_year(Lang::En, s.observed),
                per_year(Lang::En, s.expected)
            ),
            ky: format!(
                "Адаттан тыш өзгөрүү: жылына {} (адатта {})",
                per_year(Lang::Ky, s.observed),
                per_year(Lang::Ky, s.expected)
            ),
        },
    }
}

impl Engine {
    pub(super) fn trend_view(&self, r: &ViewRequest) -> Result<TrendData, EngineError> {
        let t = self.target(r)?;
        let (id, def) = self.indicator_def(self.required_indicator(r)?)?;
        self.check_applies(id, def, &t)?;
        let info = indicator_info(def);
        let series = self.indicators.series(id, t.unit);
        if series.is_empty() {
            return Err(EngineError::NoData {
                what: format!("no years of `{}`", def.code),
            });
        }
        let sp: Vec<SeriesPoint> = series.iter().map(|(y, o)| (*y, o.value())).collect();
        let mut points: Vec<TrendPoint> = series
            .iter()
            .map(|(year, o)| TrendPoint {
                year: *year,
                value: o.value(),
                reason: reason_text(o),
                warnings: self.warning_texts(id, t.unit, *year),
                signal: None,
            })
            .collect();
        let lt = linear_trend(&sp, def.direction);
        let trend = match &lt {
            Ok(l) => l
                .years
                .iter()
                .map(|year| YearValue {
                    year,
                    value: l.value_at(year),
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        // Within the unit's natural bounds (0–100 %, ratios ≥ 0): the same
        // clamping as the trend report's.
        let forecast_points = crate::questions::forecast_within_unit(
            &def.unit,
            forecast(&sp, kpi_stats::dynamic::MAX_FORECAST_HORIZON),
        )
        .map(|f| {
            f.points
                .iter()
                .map(|p| ForecastPoint {
                    year: p.year,
                    value: p.value,
                    lower: p.lower,
                    upper: p.upper,
                })
                .collect()
        })
        .unwrap_or_default();
        if let Ok(s) = signals(&sp, def.direction) {
            for fired in &s.fired {
                if let Some(p) = points.iter_mut().find(|p| p.year == fired.year) {
                    use kpi_stats::dynamic::Assessment as A;
                    p.signal = Some(Signal {
                        assessment: match fired.assessment {
                            A::Better => Assessment::Better,
                            A::Worse => Assessment::Worse,
                            A::Neutral => Assessment::Neutral,
                        },
                        text: Text::Langs(signal_text(fired, &info)),
                    });
                }
            }
        }
        let mut peers = Vec::new();
        for (year, _) in &series {
            let Ok(group) = self.peer_group(Some(t.org), r.peers.as_ref(), Some(*year)) else {
                continue;
            };
            let units = self.group_units(&group, t.programme.as_deref());
            let values = self.group_values(id, &units, *year);
            let d = distribution(&values).ok();
            peers.push(PeerBand {
                year: *year,
                median: d.as_ref().map(|d| d.median),
                q1: d.as_ref().map(|d| d.q1),
                q3: d.as_ref().map(|d| d.q3),
                n: values.len() as u32,
            });
        }
        let subject = subject_of(def);
        // The sentence says when Mann–Kendall disagrees with the OLS line.
        let mk = kpi_stats::mann_kendall(&sp, def.direction);
        let subtitle =
            Labels::from_fn(|lang| kpi_summary::trend_summary_checked(&subject, &lt, &mk, lang));
        Ok(TrendData {
            indicator: info,
            unit_name: Text::Langs(t.names.clone()),
            org: Some(self.dataset.org(t.org).id.clone()),
            programme: t.programme.clone(),
            points,
            trend,
            forecast: forecast_points,
            peers,
            axis: AxisOptions::default(),
            title: None,
            subtitle: Some(Text::Langs(subtitle)),
        })
    }
}
