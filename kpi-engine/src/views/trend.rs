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

/// The parts of a `trend` chart that come from one unit's series alone: the
/// points with their signals, the OLS line, the forecast clamped to the
/// unit's bounds and the summary sentence (which says when Mann–Kendall
/// disagrees with OLS). `peers` is left empty; the caller adds the bands of
/// the peer group it compares with. Used by [`Engine::chart`] and by the
/// publishing step, which passes published values only.
///
/// ```
/// use kpi_engine::trend_of_series;
/// use kpi_indicators::Catalogue;
/// let catalogue = Catalogue::builtin();
/// let def = catalogue.by_code("employment_rate").unwrap();
/// let series = [(2021, Some(60.0), None), (2022, Some(64.0), None), (2023, Some(68.0), None)];
/// let t = trend_of_series(def, &series);
/// assert_eq!(t.points.len(), 3);
/// assert!((t.trend[0].value - 60.0).abs() < 1e-9);
/// assert!(t.peers.is_empty());
/// ```
pub fn trend_of_series(
    def: &IndicatorDef,
    series: &[(Year, Option<f64>, Option<Text>)],
) -> TrendData {
    trend_with_info(def, indicator_info(def), series)
}

/// [`trend_of_series`] whose `indicator` holds only the unit, direction and
/// decimals (what the signals are written with), not the names and formula:
/// for a caller that describes the indicator once elsewhere, as `kpi publish`
/// does in a bundle's catalogue, instead of once per series.
///
/// ```
/// use kpi_engine::{trend_of_series, trend_of_series_bare};
/// use kpi_indicators::Catalogue;
/// let catalogue = Catalogue::builtin();
/// let def = catalogue.by_code("employment_rate").unwrap();
/// let series = [(2021, Some(60.0), None), (2022, Some(64.0), None), (2023, Some(68.0), None)];
/// let (full, bare) = (trend_of_series(def, &series), trend_of_series_bare(def, &series));
/// assert_eq!((bare.trend, bare.subtitle), (full.trend, full.subtitle));
/// assert!(bare.indicator.formula.is_none() && bare.indicator.code.is_empty());
/// ```
pub fn trend_of_series_bare(
    def: &IndicatorDef,
    series: &[(Year, Option<f64>, Option<Text>)],
) -> TrendData {
    let info = IndicatorInfo {
        unit: def.unit.clone(),
        direction: def.direction,
        decimals: Some(usize::from(def.decimals)),
        ..IndicatorInfo::default()
    };
    trend_with_info(def, info, series)
}

fn trend_with_info(
    def: &IndicatorDef,
    info: IndicatorInfo,
    series: &[(Year, Option<f64>, Option<Text>)],
) -> TrendData {
    let sp: Vec<SeriesPoint> = series.iter().map(|(y, v, _)| (*y, *v)).collect();
    let mut points: Vec<TrendPoint> = series
        .iter()
        .map(|(year, value, reason)| TrendPoint {
            year: *year,
            value: *value,
            reason: reason.clone().map(Box::new),
            warnings: Vec::new(),
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
                p.signal = Some(Box::new(Signal {
                    assessment: match fired.assessment {
                        A::Better => Assessment::Better,
                        A::Worse => Assessment::Worse,
                        A::Neutral => Assessment::Neutral,
                    },
                    text: Text::Langs(signal_text(fired, &info)),
                }));
            }
        }
    }
    let subject = subject_of(def);
    // The sentence says when Mann–Kendall disagrees with the OLS line.
    let mk = kpi_stats::mann_kendall(&sp, def.direction);
    let subtitle =
        Labels::from_fn(|lang| kpi_summary::trend_summary_checked(&subject, &lt, &mk, lang));
    TrendData {
        indicator: info,
        unit_name: Text::default(),
        org: None,
        programme: None,
        points,
        trend,
        forecast: forecast_points,
        peers: Vec::new(),
        axis: AxisOptions::default(),
        title: None,
        subtitle: Some(Text::Langs(subtitle)),
        // The same two results the subtitle was written from, not computed again.
        tests: TrendTests {
            ols: lt.as_ref().ok().map(|l| TrendTest {
                slope: l.slope,
                p_value: l.p_value,
            }),
            mann_kendall: mk.as_ref().ok().map(|m| TrendTest {
                slope: m.sen_slope,
                p_value: m.p_value,
            }),
            alpha: Some(kpi_stats::dynamic::SIGNIFICANCE_LEVEL),
        },
    }
}

impl Engine {
    pub(super) fn trend_view(&self, r: &ViewRequest) -> Result<TrendData, EngineError> {
        let t = self.target(r)?;
        let (id, def) = self.indicator_def(self.required_indicator(r)?)?;
        self.check_applies(id, def, &t)?;
        let series = self.indicators.series(id, t.unit);
        if series.is_empty() {
            return Err(EngineError::NoData {
                what: format!("no years of `{}`", def.code),
            });
        }
        let plain: Vec<(Year, Option<f64>, Option<Text>)> = series
            .iter()
            .map(|(y, o)| (*y, o.value(), reason_text(o)))
            .collect();
        let mut data = trend_of_series(def, &plain);
        for p in &mut data.points {
            p.warnings = self.warning_texts(id, t.unit, p.year);
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
        data.unit_name = Text::Langs(t.names.clone());
        data.org = Some(self.dataset.org(t.org).id.clone());
        data.programme = t.programme.clone();
        data.peers = peers;
        Ok(data)
    }
}
