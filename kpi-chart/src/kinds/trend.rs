//! `trend`: one unit's indicator over years, with its trend line, 95% forecast band, the
//! peer median and inter-quartile band behind it, and signal markers.

use super::{heading, opt_text};
use crate::geom::LinearMap;
use crate::geom::{Point, Rect};
use crate::hit::{DataPoint, HitShape, LaneAxis};
use crate::layout::{finite_extent, Ctx, Font, LegendItem, Swatch};
use crate::scene::{Align, Stroke};
use crate::spec::{finite, Assessment, AxisOptions, IndicatorInfo, Text, UnitText, YearValue};
use crate::strings::Msg;
use kpi_model::i18n::format_academic_year;
use kpi_model::Year;
use serde::{Deserialize, Serialize};

/// Input of the `trend` chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrendData {
    /// The indicator.
    pub indicator: IndicatorInfo,
    /// Name of the unit (organisation or programme).
    pub unit_name: Text,
    /// Organisation id of the unit.
    pub org: Option<String>,
    /// Programme code, when the unit is a programme.
    pub programme: Option<String>,
    /// The unit's values by year. A year absent here is a gap; a year present with no
    /// value is *not computable* and shows a marker with its reason.
    pub points: Vec<TrendPoint>,
    /// The fitted trend line, as values at two or more years (e.g. the OLS line at the
    /// first and last year).
    pub trend: Vec<YearValue>,
    /// Forecast years with their 95% prediction interval.
    pub forecast: Vec<ForecastPoint>,
    /// Peer median and quartiles by year.
    pub peers: Vec<PeerBand>,
    /// Axis scaling (zero baseline by default for rates and counts).
    pub axis: AxisOptions,
    /// Title (default: the indicator's name).
    pub title: Option<Text>,
    /// Subtitle (default: the unit's name).
    pub subtitle: Option<Text>,
    /// The trend tests behind the line (OLS and Mann–Kendall) with their p-values, for the
    /// summary and the data table; absent in older inputs, which then say nothing of
    /// significance.
    pub tests: TrendTests,
}

/// The trend tests of a series as the analysis computed them: the slope of each and its
/// two-sided p-value. The chart only reports them (it computes no statistic).
///
/// ```
/// use kpi_chart::{TrendTest, TrendTests};
/// let tests = TrendTests {
///     ols: Some(TrendTest { slope: 1.02, p_value: 0.206 }),
///     mann_kendall: Some(TrendTest { slope: 1.37, p_value: 0.031 }),
///     alpha: None,
/// };
/// assert_eq!(tests.level(), 0.05);
/// assert!(!tests.ols.unwrap().significant(tests.level()));
/// assert!(tests.mann_kendall.unwrap().significant(tests.level()));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrendTests {
    /// Ordinary least squares: the slope per year and the p-value of the slope's t-test.
    pub ols: Option<TrendTest>,
    /// Mann–Kendall: Sen's slope per year and the p-value of the test.
    pub mann_kendall: Option<TrendTest>,
    /// The significance level (`None`: 0.05).
    pub alpha: Option<f64>,
}

impl TrendTests {
    /// The significance level: `alpha` when it lies in (0, 1), else 0.05.
    pub fn level(&self) -> f64 {
        self.alpha
            .filter(|a| a.is_finite() && *a > 0.0 && *a < 1.0)
            .unwrap_or(0.05)
    }
}

/// One trend test: its slope (units per year) and two-sided p-value.
///
/// ```
/// use kpi_chart::TrendTest;
/// assert!(TrendTest { slope: -0.8, p_value: 0.004 }.significant(0.05));
/// assert!(!TrendTest { slope: -0.8, p_value: f64::NAN }.significant(0.05));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrendTest {
    /// Slope, in the indicator's units per year.
    pub slope: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

impl TrendTest {
    /// Whether the p-value is below `alpha` (a p-value that is not a number is not).
    pub fn significant(&self, alpha: f64) -> bool {
        self.p_value.is_finite() && self.p_value < alpha
    }
}

/// The unit's value in one year.
///
/// The reason and the signal, which few points have, are boxed: a point is 40 bytes in
/// the wasm module rather than 136, so a long series (166,650 points) is 6.7 MB to write,
/// read at every layout and free, not 22.7 MB. The JSON is the same.
///
/// ```
/// use kpi_chart::{Signal, Text, TrendPoint};
/// let p: TrendPoint =
///     serde_json::from_str(r#"{"year":2023,"value":null,"reason":"graduates = 0"}"#).unwrap();
/// assert_eq!(p.reason.as_deref(), Some(&Text::Plain("graduates = 0".into())));
/// let q = TrendPoint { year: 2024, value: Some(61.5), signal: Some(Box::new(Signal::default())), ..Default::default() };
/// assert!(serde_json::to_string(&q).unwrap().contains(r#""signal":"#));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrendPoint {
    /// Academic year.
    pub year: Year,
    /// The value; `None` when not computable.
    pub value: Option<f64>,
    /// Why the value is not computable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Box<Text>>,
    /// Data warnings that touched the value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// A signal raised in this year (the analysis says which rule fired).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal: Option<Box<Signal>>,
}

/// A signal: the value left its expected range.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Signal {
    /// Whether the move is for the better or the worse.
    pub assessment: Assessment,
    /// What fired, in words.
    pub text: Text,
}

/// A forecast year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ForecastPoint {
    /// Academic year.
    pub year: Year,
    /// Forecast value.
    pub value: f64,
    /// Lower end of the 95% prediction interval.
    pub lower: f64,
    /// Upper end of the 95% prediction interval.
    pub upper: f64,
}

/// Peer-group statistics in one year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PeerBand {
    /// Academic year.
    pub year: Year,
    /// Peer median.
    pub median: Option<f64>,
    /// First quartile.
    pub q1: Option<f64>,
    /// Third quartile.
    pub q3: Option<f64>,
    /// Number of organisations in the peer group.
    pub n: u32,
}

/// A p-value as sentences give it: `= 0.03` (2 decimals), `= 0.004` (3 below 0.01),
/// `< 0.001`, with the language's decimal sign (the rule of `kpi_summary::format_p_value`).
pub(crate) fn p_text(p: f64, lang: kpi_model::i18n::Lang) -> String {
    use kpi_model::i18n::format_number;
    if !p.is_finite() {
        "—".into()
    } else if p < 0.001 {
        format!("< {}", format_number(0.001, 3, lang))
    } else if p < 0.01 {
        format!("= {}", format_number(p, 3, lang))
    } else {
        format!("= {}", format_number(p, 2, lang))
    }
}

/// The tests that were computed, with their names.
fn named_tests(d: &TrendData) -> Vec<(Msg, TrendTest)> {
    [
        (Msg::TestOls, d.tests.ols),
        (Msg::TestMannKendall, d.tests.mann_kendall),
    ]
    .into_iter()
    .filter_map(|(m, t)| Some((m, t.filter(|t| t.p_value.is_finite())?)))
    .collect()
}

/// What the trend tests say, for the accessible summary: "statistically significant (OLS
/// p = 0.003; Mann–Kendall p = 0.01)", "not statistically significant (…)", or, when one
/// test finds a significant trend and the other does not, "the tests disagree: OLS p =
/// 0.03, significant; Mann–Kendall p = 0.12, not significant". `None` without tests.
pub(crate) fn significance_text(d: &TrendData, ctx: &Ctx) -> Option<String> {
    significance(d, ctx).map(|(text, _)| text)
}

/// [`significance_text`] and whether the tests disagree.
fn significance(d: &TrendData, ctx: &Ctx) -> Option<(String, bool)> {
    let tests = named_tests(d);
    let alpha = d.tests.level();
    let first = tests.first()?;
    let agree = tests
        .iter()
        .all(|(_, t)| t.significant(alpha) == first.1.significant(alpha));
    let list = |with_verdict: bool| -> String {
        tests
            .iter()
            .map(|(m, t)| {
                let mut s = format!("{} p {}", ctx.t(*m), p_text(t.p_value, ctx.lang));
                if with_verdict {
                    s.push_str(", ");
                    s.push_str(ctx.t(if t.significant(alpha) {
                        Msg::Significant
                    } else {
                        Msg::NotSignificant
                    }));
                }
                s
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    Some(if !agree {
        (
            ctx.tf(Msg::TrendTestsDisagree, &[("tests", &list(true))]),
            true,
        )
    } else if first.1.significant(alpha) {
        (
            ctx.tf(Msg::TrendSignificant, &[("tests", &list(false))]),
            false,
        )
    } else {
        (
            ctx.tf(Msg::TrendNotSignificant, &[("tests", &list(false))]),
            false,
        )
    })
}

/// Notes under the trend's data table: each test's slope a year, p-value and verdict
/// ("OLS: +1.0 pp a year, p = 0.21, not significant"), then, when the tests disagree,
/// that they do.
pub(crate) fn test_notes(d: &TrendData, ctx: &Ctx) -> Vec<String> {
    let alpha = d.tests.level();
    let mut out: Vec<String> = named_tests(d)
        .into_iter()
        .map(|(m, t)| {
            let slope = d.indicator.unit.format_change(
                t.slope,
                d.indicator.decimals,
                ctx.lang,
                ctx.strings,
            );
            ctx.tf(
                Msg::TestSlope,
                &[
                    ("test", ctx.t(m)),
                    ("slope", &slope),
                    ("p", &p_text(t.p_value, ctx.lang)),
                    (
                        "verdict",
                        ctx.t(if t.significant(alpha) {
                            Msg::Significant
                        } else {
                            Msg::NotSignificant
                        }),
                    ),
                ],
            )
        })
        .collect();
    if let Some((text, true)) = significance(d, ctx) {
        out.push(text);
    }
    out
}

/// Consecutive-year runs of `(year, value)` pairs; a missing year breaks a run.
fn runs<T: Copy>(items: &[(Year, T)]) -> Vec<Vec<(Year, T)>> {
    let mut out: Vec<Vec<(Year, T)>> = Vec::new();
    for &(year, v) in items {
        match out.last_mut() {
            Some(run) if run.last().is_some_and(|&(y, _)| y + 1 == year) => run.push((year, v)),
            _ => out.push(vec![(year, v)]),
        }
    }
    out
}

pub(crate) fn layout(d: &TrendData, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let pad = ctx.pad();
    let gap = ctx.gap();
    let full = Rect::new(pad, pad, ctx.w - 2.0 * pad, ctx.h - 2.0 * pad);
    let unit_name = d.unit_name.get(lang).to_string();
    let title =
        opt_text(d.title.as_ref(), lang).unwrap_or_else(|| d.indicator.name(lang).to_string());
    let subtitle = opt_text(d.subtitle.as_ref(), lang).unwrap_or_else(|| unit_name.clone());
    let mut top = heading(ctx, full, &title, &subtitle);

    // Clean inputs: finite values only, one entry per year, sorted.
    // Each point with its row in the input (what its record is built from).
    let mut rows: Vec<(usize, &TrendPoint)> = d.points.iter().enumerate().collect();
    // Long series arrive in year order, one point a year: then there is nothing to sort
    // or merge (two passes over 166,650 points saved at every layout).
    let in_order = d.points.windows(2).all(|w| w[0].year < w[1].year);
    if !in_order {
        super::sort_by_key(&mut rows, |p| p.1.year);
        rows.dedup_by_key(|p| p.1.year);
    }
    // One pass over the values: their extent and what the legend needs to know.
    let mut extent: Option<(f64, f64)> = None;
    let (mut any_signal, mut any_not_computable) = (false, false);
    for (_, p) in &rows {
        match finite(p.value) {
            Some(v) => {
                // (Compared rather than `f64::min`/`max`, a call per value in the size-minded
                // build; `v` is finite.)
                let (lo, hi) = extent.unwrap_or((v, v));
                extent = Some((if v < lo { v } else { lo }, if v > hi { v } else { hi }));
                any_signal |= p.signal.is_some();
            }
            None => any_not_computable = true,
        }
    }
    let mut peers: Vec<PeerBand> = d.peers.clone();
    super::sort_by_key(&mut peers, |p| p.year);
    peers.dedup_by_key(|p| p.year);
    let mut forecast: Vec<ForecastPoint> = d
        .forecast
        .iter()
        .copied()
        .filter(|f| f.value.is_finite() && f.lower.is_finite() && f.upper.is_finite())
        .collect();
    super::sort_by_key(&mut forecast, |f| f.year);
    forecast.dedup_by_key(|f| f.year);
    let mut trend: Vec<YearValue> = d
        .trend
        .iter()
        .copied()
        .filter(|t| t.value.is_finite())
        .collect();
    super::sort_by_key(&mut trend, |t| t.year);

    // `rows` is sorted: its ends are its first and last year.
    let years = rows
        .first()
        .into_iter()
        .chain(rows.last())
        .map(|p| p.1.year)
        .chain(peers.iter().map(|p| p.year))
        .chain(forecast.iter().map(|f| f.year))
        .chain(trend.iter().map(|t| t.year));
    let (first, last) = match (years.clone().min(), years.max()) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            ctx.message(
                Rect::new(full.x, top, full.w, full.bottom() - top),
                ctx.t(Msg::NoData),
            );
            return;
        }
    };

    let values = extent
        .into_iter()
        .flat_map(|(lo, hi)| [lo, hi])
        .chain(peers.iter().flat_map(|p| [p.median, p.q1, p.q3]).flatten())
        .chain(forecast.iter().flat_map(|f| [f.value, f.lower, f.upper]))
        .chain(trend.iter().map(|t| t.value));
    let (lo, hi) = finite_extent(values).unwrap_or((f64::NAN, f64::NAN));

    // Legend.
    let accent = ctx.theme.accent;
    let mut legend = vec![LegendItem {
        swatch: Swatch::Line(accent),
        label: if unit_name.is_empty() {
            d.indicator.name(lang).to_string()
        } else {
            unit_name.clone()
        },
    }];
    let peer_n = peers.iter().rev().find(|p| p.n > 0).map(|p| p.n);
    if peers.iter().any(|p| finite(p.median).is_some()) {
        let label = match peer_n {
            Some(n) => format!(
                "{} ({})",
                ctx.t(Msg::PeerMedian),
                ctx.tf(Msg::NEquals, &[("n", &n.to_string())])
            ),
            None => ctx.t(Msg::PeerMedian).to_string(),
        };
        legend.push(LegendItem {
            swatch: Swatch::Dashed(ctx.theme.median),
            label,
        });
    }
    if peers
        .iter()
        .any(|p| finite(p.q1).is_some() && finite(p.q3).is_some())
    {
        legend.push(LegendItem {
            swatch: Swatch::Band(ctx.theme.band),
            label: ctx.t(Msg::PeerIqr).into(),
        });
    }
    if trend.len() >= 2 {
        legend.push(LegendItem {
            swatch: Swatch::Dashed(accent),
            label: ctx.t(Msg::Trend).into(),
        });
    }
    if !forecast.is_empty() {
        legend.push(LegendItem {
            swatch: Swatch::Band(ctx.theme.forecast),
            label: ctx.t(Msg::ForecastInterval).into(),
        });
    }
    if any_signal {
        legend.push(LegendItem {
            swatch: Swatch::Ring(ctx.theme.worse),
            label: ctx.t(Msg::Signal).into(),
        });
    }
    if any_not_computable {
        legend.push(LegendItem {
            swatch: Swatch::Ring(ctx.theme.missing),
            label: ctx.t(Msg::NotComputable).into(),
        });
    }
    top = ctx.legend(Rect::new(full.x, top, full.w, full.bottom() - top), &legend);

    // Vertical budget: unit label row above the plot, year labels below it.
    let tick_px = ctx.px(Font::Tick);
    let tick_lh = ctx.lh(tick_px);
    let unit_label = d.indicator.unit.label(lang, ctx.strings);
    let show_unit_label = !unit_label.is_empty() && !d.indicator.unit.is_percent();
    let unit_row = if show_unit_label {
        tick_lh + gap / 2.0
    } else {
        tick_lh / 2.0
    };
    let x_axis_h = tick_lh + gap * 1.5;
    let plot_top = top + unit_row;
    let plot_h = full.bottom() - x_axis_h - plot_top;
    if plot_h < tick_lh * 2.0 || full.w < 40.0 {
        return;
    }
    let ticks = ctx.value_ticks(lo, hi, &d.indicator.unit, &d.axis, plot_h, tick_lh * 2.2);
    let label_w = ctx.tick_label_width(&ticks, &d.indicator.unit);
    let plot = Rect::new(
        full.x + label_w + gap,
        plot_top,
        full.w - label_w - gap,
        plot_h,
    );
    let ymap = LinearMap::new(ticks.min, ticks.max, plot.bottom(), plot.y);
    ctx.value_axis_left(plot, &ticks, &ymap, &d.indicator.unit);
    if show_unit_label {
        ctx.text(
            &unit_label,
            Point::new(plot.x - gap, plot.y - tick_lh / 2.0 - gap / 2.0),
            tick_px,
            false,
            ctx.theme.text_muted,
            Align::End,
        );
    }
    let xpad = (plot.w * 0.04).clamp(4.0, 24.0 * ctx.ts);
    let span = f64::from(last - first);
    let x_of = |y: Year| -> f64 {
        if span <= 0.0 {
            plot.x + plot.w / 2.0
        } else {
            plot.x + xpad + f64::from(y - first) / span * (plot.w - 2.0 * xpad)
        }
    };
    ctx.year_axis(plot, first, last, &x_of);
    let y_of = |v: f64| ymap.to_px_clamped(v);
    let year_w = if span > 0.0 {
        (plot.w - 2.0 * xpad) / span
    } else {
        plot.w / 3.0
    };

    // Missing years inside the range: a faint column, so the gap reads as "no data".
    // `rows` is sorted and has one entry per year; `years` (below) walks every year from
    // the first point to the last with its point, if any. Without gaps there is nothing
    // to draw here.
    let year_count = rows.last().zip(rows.first()).map_or(0, |(l, f)| {
        usize::try_from(i64::from(l.1.year) - i64::from(f.1.year) + 1).unwrap_or(0)
    });
    let mut previous: Option<Year> = None;
    for &(_, p) in rows.iter().filter(|_| year_count != rows.len()) {
        for year in previous.map_or(p.year, |y| y + 1)..p.year {
            let x = x_of(year);
            let w = (year_w * 0.6).max(2.0);
            ctx.rect(
                Rect::new(x - w / 2.0, plot.y, w, plot.h),
                ctx.theme.grid.with_alpha(0.45),
            );
        }
        previous = Some(p.year);
    }

    // Peer band and median, behind everything.
    let band: Vec<(Year, (f64, f64))> = peers
        .iter()
        .filter_map(|p| Some((p.year, (finite(p.q1)?, finite(p.q3)?))))
        .collect();
    for run in runs(&band) {
        if run.len() == 1 {
            if let Some(&(year, (q1, q3))) = run.first() {
                let w = (year_w * 0.3).clamp(4.0, 16.0);
                let (ya, yb) = (y_of(q3), y_of(q1));
                let r = Rect::new(x_of(year) - w / 2.0, ya.min(yb), w, (yb - ya).abs());
                ctx.rect(r, ctx.theme.band);
                // The translucent fill is below 3:1: the outline carries the band.
                ctx.rect_outline(r, Stroke::solid(ctx.theme.peer, ctx.lw(1.0)));
            }
            continue;
        }
        let edge = Stroke::solid(ctx.theme.peer, ctx.lw(1.0));
        for upper in [false, true] {
            let pts: Vec<Point> = run
                .iter()
                .map(|&(y, (q1, q3))| Point::new(x_of(y), y_of(if upper { q3 } else { q1 })))
                .collect();
            ctx.polyline(pts, edge);
        }
        let mut poly: Vec<Point> = run
            .iter()
            .map(|&(y, (_, q3))| Point::new(x_of(y), y_of(q3)))
            .collect();
        poly.extend(
            run.iter()
                .rev()
                .map(|&(y, (q1, _))| Point::new(x_of(y), y_of(q1))),
        );
        ctx.polygon(poly, ctx.theme.band);
    }
    let medians: Vec<(Year, f64)> = peers
        .iter()
        .filter_map(|p| Some((p.year, finite(p.median)?)))
        .collect();
    let median_stroke = Stroke::dashed(ctx.theme.median, ctx.lw(1.5), 5.0 * ctx.ts, 3.0 * ctx.ts);
    for run in runs(&medians) {
        let pts: Vec<Point> = run
            .iter()
            .map(|&(y, v)| Point::new(x_of(y), y_of(v)))
            .collect();
        if pts.len() == 1 {
            if let Some(p) = pts.first() {
                ctx.line(
                    Point::new(p.x - 8.0, p.y),
                    Point::new(p.x + 8.0, p.y),
                    median_stroke,
                );
            }
        } else {
            ctx.polyline(pts, median_stroke);
        }
    }

    // Forecast band and line, starting from the last actual value.
    let last_actual = rows
        .iter()
        .rev()
        .find_map(|(_, p)| finite(p.value).map(|v| (p.year, v)));
    if !forecast.is_empty() {
        let mut upper: Vec<Point> = Vec::new();
        let mut lower: Vec<Point> = Vec::new();
        let mut center: Vec<Point> = Vec::new();
        if let Some((y, v)) =
            last_actual.filter(|(y, _)| forecast.first().is_some_and(|f| f.year > *y))
        {
            let p = Point::new(x_of(y), y_of(v));
            upper.push(p);
            lower.push(p);
            center.push(p);
        }
        for f in &forecast {
            upper.push(Point::new(x_of(f.year), y_of(f.upper.max(f.lower))));
            lower.push(Point::new(x_of(f.year), y_of(f.lower.min(f.upper))));
            center.push(Point::new(x_of(f.year), y_of(f.value)));
        }
        // The translucent fill is below 3:1: dotted edges in the accent carry the band.
        let edge = Stroke::dashed(accent, ctx.lw(1.0), 2.0 * ctx.ts, 2.0 * ctx.ts);
        ctx.polyline(upper.clone(), edge);
        ctx.polyline(lower.clone(), edge);
        let mut poly = upper;
        poly.extend(lower.into_iter().rev());
        ctx.polygon(poly, ctx.theme.forecast);
        ctx.polyline(
            center,
            Stroke::dashed(accent, ctx.lw(1.5), 5.0 * ctx.ts, 4.0 * ctx.ts),
        );
    }
    if trend.len() >= 2 {
        let pts: Vec<Point> = trend
            .iter()
            .map(|t| Point::new(x_of(t.year), y_of(t.value)))
            .collect();
        ctx.polyline(
            pts,
            Stroke::dashed(
                accent.with_alpha(0.75),
                ctx.lw(1.5),
                5.0 * ctx.ts,
                4.0 * ctx.ts,
            ),
        );
    }

    // The unit's line: one path per run of consecutive years, every point (drawing keeps
    // each device-pixel column's first, lowest, highest and last: the same pixels). Its
    // runs are gathered in the loop below, which places each point once, and painted here,
    // under the markers and rings that loop adds. Each run's vertices are also its values'
    // tooltip anchors and discs: a `PointRun` of the hit map, whose records are those of
    // places `run_from..` of `rows`.
    let line_stroke = Stroke::solid(accent, ctx.lw(2.5));
    let line_at = ctx.shapes.len();
    let mut line_runs: Vec<Vec<Point>> = Vec::new();
    let mut run: Vec<Point> = Vec::with_capacity(rows.len());
    let mut run_from = 0;

    // Markers, labels and the hit map.
    let unit_str = d.indicator.unit.label(lang, ctx.strings);
    let dense = year_w < 10.0;
    let marker_r = if dense { 2.0 } else { 3.5 * ctx.ts };
    // Markers closer than their diameter would only hatch the line with their outlines:
    // then the line alone shows the values (each point still has its region, tooltip and
    // focus ring).
    let show_markers = year_w >= 2.0 * marker_r;
    let value_r = (marker_r + 4.0).max(6.0);
    let mut markers = Vec::with_capacity(if show_markers { rows.len() } else { 0 });
    // The values' records are built when asked for (a chart of 166,650 years formats
    // none of them while laying out).
    let records = ValueRecords {
        input: ctx.input.clone(),
        strings: ctx.shared_strings.clone(),
        lang,
        label: unit_name.clone(),
        unit: unit_str.clone(),
        signal: ctx.t(Msg::Signal).to_string(),
        order: (!in_order).then(|| rows.iter().map(|r| r.0).collect()),
    };
    ctx.hits.points.set_lazy(std::sync::Arc::new(records));
    // The unit's points are numbered in year order from here on: its keyboard lane.
    let unit_from = ctx.hits.points.len();
    // Every year from the first point to the last: the missing ones, then the point's.
    let mut previous: Option<Year> = None;
    let mut place = 0;
    for &(_, p) in &rows {
        // (Counted rather than enumerated: no call per value in the size-minded build.)
        place += 1;
        for year in previous.map_or(p.year, |y| y + 1)..p.year {
            let x = x_of(year);
            // A missing year ends the line's run.
            if !run.is_empty() {
                ctx.hits.add_run(run_from, &run, value_r);
                line_runs.push(std::mem::take(&mut run));
            }
            let id = ctx.hits.add_point(
                DataPoint {
                    id: format!("gap:{year}"),
                    org: d.org.clone(),
                    programme: d.programme.clone(),
                    label: unit_name.clone(),
                    value_text: ctx.t(Msg::NoData).into(),
                    unit: unit_str.clone(),
                    year: Some(year),
                    note: Some(ctx.tf(Msg::MissingYear, &[("year", &format_academic_year(year))])),
                    ..Default::default()
                },
                Point::new(x, plot.y + plot.h / 2.0),
            );
            ctx.hits.add_region(
                id,
                HitShape::Rect(Rect::new(x - year_w * 0.3, plot.y, year_w * 0.6, plot.h)),
            );
        }
        previous = Some(p.year);
        let year = p.year;
        let x = x_of(year);
        match finite(p.value) {
            Some(v) => {
                let c = Point::new(x, y_of(v));
                if run.is_empty() {
                    run_from = place - 1;
                }
                run.push(c);
                if let Some(signal) = &p.signal {
                    let color = match signal.assessment {
                        Assessment::Better => ctx.theme.better,
                        Assessment::Worse => ctx.theme.worse,
                        Assessment::Neutral => ctx.theme.neutral,
                    };
                    ctx.circle(
                        c,
                        marker_r + 5.0 * ctx.ts,
                        None,
                        Some(Stroke::solid(color, ctx.lw(2.0))),
                    );
                }
                if show_markers {
                    markers.push(c);
                }
            }
            None => {
                // A not computable year ends the line's run.
                if !run.is_empty() {
                    ctx.hits.add_run(run_from, &run, value_r);
                    line_runs.push(std::mem::take(&mut run));
                }
                let c = Point::new(x, plot.bottom() - 6.0 * ctx.ts);
                ctx.circle(
                    c,
                    4.0 * ctx.ts,
                    Some(ctx.theme.background),
                    Some(Stroke::solid(ctx.theme.missing, ctx.lw(1.5))),
                );
                let reason = opt_text(p.reason.as_deref(), ctx.lang);
                let id = ctx.hits.add_point(
                    DataPoint {
                        id: format!("not-computable:{year}"),
                        org: d.org.clone(),
                        programme: d.programme.clone(),
                        label: unit_name.clone(),
                        value_text: ctx.t(Msg::NotComputable).into(),
                        unit: unit_str.clone(),
                        year: Some(year),
                        warnings: p.warnings.clone(),
                        note: reason,
                        ..Default::default()
                    },
                    c,
                );
                ctx.hits.add_region(
                    id,
                    HitShape::Circle {
                        center: c,
                        radius: 8.0,
                    },
                );
            }
        }
    }
    if !run.is_empty() {
        ctx.hits.add_run(run_from, &run, value_r);
        line_runs.push(run);
    }
    let mut unit_lane = Vec::with_capacity(rows.len() + forecast.len());
    unit_lane.extend(unit_from..ctx.hits.points.len());
    // The unit's own points (where the `O` key goes): its values, in year order.
    let mut own = Vec::with_capacity(rows.len());
    for r in &ctx.hits.runs {
        own.extend(r.first..r.first + r.len);
    }
    ctx.insert_polylines(line_at, line_runs, line_stroke);
    if show_markers {
        ctx.dots(
            markers,
            marker_r,
            accent,
            Some(Stroke::solid(ctx.theme.background, ctx.lw(1.0))),
        );
    }
    // Label the latest value (above the marker, else below); never over another label.
    if let Some((year, v)) = last_actual {
        let fp = ctx.px(Font::Label);
        let c = Point::new(x_of(year), y_of(v));
        let text = d.indicator.format(v, lang, ctx.strings);
        let lh = ctx.lh(fp);
        let off = marker_r + gap + lh / 2.0;
        let align = if c.x + ctx.width(&text, fp, true) / 2.0 > ctx.w - pad {
            Align::End
        } else {
            Align::Middle
        };
        let ax = if matches!(align, Align::End) {
            c.x + marker_r
        } else {
            c.x
        };
        if ctx
            .text(
                &text,
                Point::new(ax, c.y - off),
                fp,
                true,
                ctx.theme.text,
                align,
            )
            .is_none()
        {
            ctx.text(
                &text,
                Point::new(ax, c.y + off),
                fp,
                true,
                ctx.theme.text,
                align,
            );
        }
    }

    let mut median_lane = Vec::new();
    for p in &peers {
        let Some(m) = finite(p.median) else { continue };
        let c = Point::new(x_of(p.year), y_of(m));
        let mut details = Vec::new();
        if let (Some(q1), Some(q3)) = (finite(p.q1), finite(p.q3)) {
            details.push((
                ctx.t(Msg::Quartile1).to_string(),
                d.indicator.format(q1, lang, ctx.strings),
            ));
            details.push((
                ctx.t(Msg::Quartile3).to_string(),
                d.indicator.format(q3, lang, ctx.strings),
            ));
        }
        let id = ctx.hits.add_point(
            DataPoint {
                id: format!("median:{}", p.year),
                series: Some(ctx.t(Msg::PeerMedian).into()),
                label: String::new(),
                value: Some(m),
                value_text: d.indicator.format(m, lang, ctx.strings),
                unit: unit_str.clone(),
                year: Some(p.year),
                n: (p.n > 0).then_some(p.n),
                details,
                ..Default::default()
            },
            c,
        );
        ctx.hits.add_region(
            id,
            HitShape::Circle {
                center: c,
                radius: 5.0,
            },
        );
        median_lane.push(id);
    }
    let mut forecast_lane = Vec::new();
    for f in &forecast {
        let c = Point::new(x_of(f.year), y_of(f.value));
        let id = ctx.hits.add_point(
            DataPoint {
                id: format!("forecast:{}", f.year),
                series: Some(ctx.t(Msg::Forecast).into()),
                label: unit_name.clone(),
                value: Some(f.value),
                value_text: d.indicator.format(f.value, lang, ctx.strings),
                unit: unit_str.clone(),
                year: Some(f.year),
                details: vec![(
                    ctx.t(Msg::ForecastInterval).into(),
                    format!(
                        "{} – {}",
                        d.indicator.format(f.lower.min(f.upper), lang, ctx.strings),
                        d.indicator.format(f.upper.max(f.lower), lang, ctx.strings)
                    ),
                )],
                ..Default::default()
            },
            c,
        );
        ctx.hits.add_region(
            id,
            HitShape::Circle {
                center: c,
                radius: 6.0,
            },
        );
        forecast_lane.push(id);
    }
    // Keyboard: the unit's years continue into the forecast; the median is the lane below.
    unit_lane.extend(forecast_lane);
    ctx.hits.lanes = vec![unit_lane, median_lane];
    ctx.hits.own = own;
    ctx.hits.lane_axis = LaneAxis::Horizontal;
}

/// The records of a trend's values, built when asked for from the point's place in year
/// order (its row in the input, unless the input is out of order): the unit, its value as
/// displayed, year, warnings and signal.
struct ValueRecords {
    input: std::sync::Arc<super::super::ChartInput>,
    strings: std::sync::Arc<crate::strings::ChartStrings>,
    lang: kpi_model::i18n::Lang,
    /// The unit's name.
    label: String,
    /// The unit label (`%`).
    unit: String,
    /// "Signal", the head of a signal's note.
    signal: String,
    /// The row in the input of each place in year order, when the input is not in year
    /// order (the layout numbers the records by place).
    order: Option<Vec<usize>>,
}

impl ValueRecords {
    fn point(&self, place: usize) -> Option<(&TrendData, &TrendPoint)> {
        let row = match &self.order {
            Some(order) => *order.get(place)?,
            None => place,
        };
        match &*self.input {
            super::super::ChartInput::Trend(d) => Some((d, d.points.get(row)?)),
            _ => None,
        }
    }
}

impl crate::records::LazyRecords for ValueRecords {
    fn record(&self, row: usize) -> DataPoint {
        let Some((d, p)) = self.point(row) else {
            return DataPoint::default();
        };
        let value = finite(p.value);
        DataPoint {
            id: format!("value:{}", p.year),
            org: d.org.clone(),
            programme: d.programme.clone(),
            label: self.label.clone(),
            value,
            value_text: value
                .map(|v| d.indicator.format(v, self.lang, &self.strings))
                .unwrap_or_default(),
            unit: self.unit.clone(),
            year: Some(p.year),
            warnings: p.warnings.clone(),
            note: p
                .signal
                .as_ref()
                .map(|s| format!("{}: {}", self.signal, s.text.get(self.lang))),
            ..Default::default()
        }
    }

    fn id_prefix(&self) -> &'static str {
        "value:"
    }
}

/// The data table of a `trend`: one row per year: the value (or why it is not
/// computable), the peer median, the peer quartiles Q1–Q3 and `n`, the forecast with its
/// 95% interval, and the signal raised that year; the OLS and Mann–Kendall tests are its
/// notes.
pub(crate) fn table(
    hits: &crate::hit::HitMap,
    lang: kpi_model::i18n::Lang,
    strings: &crate::strings::ChartStrings,
) -> super::table::TableModel {
    use super::table::{pivot, Pivot, RowBy};
    let t = |m: Msg| strings.get(m, lang).to_string();
    let spec = Pivot {
        rows: RowBy::Year,
        row_header: Msg::AcademicYear,
        value_header: t(Msg::Value),
        series_columns: true,
    };
    let mut m = pivot(hits, &spec, lang, strings);
    m.merge(&t(Msg::Quartile1), &t(Msg::Quartile3), "Q1–Q3", " – ", "");
    let forecast = t(Msg::Forecast);
    let interval = t(Msg::ForecastInterval);
    m.merge(
        &forecast,
        &interval,
        &format!("{forecast} ({interval})"),
        " (",
        ")",
    );
    let signal = t(Msg::Signal);
    m.split_prefix(&t(Msg::Note), &signal, &signal, "signal");
    if let Some(c) = m.column_of(&signal) {
        // The signal goes last, after the forecast.
        m.move_column(c, m.headers.len() - 1);
    }
    if let Some(c) = m.column_of(&t(Msg::Note)) {
        // Reasons and warnings last.
        m.move_column(c, m.headers.len() - 1);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_break_at_missing_years() {
        let items = [
            (2018, 1.0),
            (2019, 2.0),
            (2021, 3.0),
            (2022, 4.0),
            (2024, 5.0),
        ];
        let r = runs(&items);
        assert_eq!(r.len(), 3);
        assert_eq!(r[0], vec![(2018, 1.0), (2019, 2.0)]);
        assert_eq!(r[2], vec![(2024, 5.0)]);
    }

    /// The unit's line breaks at a missing and at a not computable year, its runs are
    /// placed in the same pass as the marks and still painted under the signal's ring,
    /// and shuffled input with a repeated year gives the same scene as sorted input.
    #[test]
    fn the_line_breaks_at_gaps_and_lies_under_the_marks() {
        use crate::scene::Shape;
        use crate::{layout_chart, ChartInput, ChartOptions, Size};
        let point = |year: Year, value: Option<f64>| TrendPoint {
            year,
            value,
            ..Default::default()
        };
        // 2010–2013, no 2014, 2015–2016, 2017 not computable, 2018–2020 (a signal in 2019).
        let mut sorted: Vec<TrendPoint> = (2010..=2013)
            .chain(2015..=2016)
            .map(|y| point(y, Some(f64::from(y - 2000))))
            .collect();
        sorted.push(point(2017, None));
        sorted.extend((2018..=2020).map(|y| point(y, Some(f64::from(y - 2000)))));
        sorted[7].signal = Some(Box::new(Signal {
            assessment: Assessment::Worse,
            ..Default::default()
        }));
        let scene = |points: Vec<TrendPoint>| {
            let input = ChartInput::Trend(TrendData {
                points,
                ..Default::default()
            });
            let size = Size::new(640.0, 360.0);
            layout_chart(&input, size, &ChartOptions::default())
                .unwrap()
                .scene
        };
        let want = scene(sorted.clone());
        let accent = crate::Theme::light().accent;
        let line_width = |s: &Shape| match s {
            Shape::Polyline { points, stroke }
                if stroke.color == accent && stroke.dash.is_none() =>
            {
                Some(points.len())
            }
            _ => None,
        };
        let runs: Vec<usize> = want.shapes.iter().filter_map(line_width).collect();
        assert_eq!(runs, [4, 2, 3], "runs of 2010–2013, 2015–2016, 2018–2020");
        let last_run = want
            .shapes
            .iter()
            .rposition(|s| line_width(s).is_some())
            .unwrap();
        // (The last such circle: the legend's swatch is one too.)
        let ring = want
            .shapes
            .iter()
            .rposition(|s| matches!(s, Shape::Circle { stroke: Some(st), .. } if st.color == crate::Theme::light().worse))
            .expect("the signal's ring");
        assert!(last_run < ring, "the line is painted before the ring");
        // The `O` key's points: the values (not the gap, nor the not computable year), in
        // year order, as their ids say.
        let values: Vec<usize> = want.hits.lanes[0]
            .iter()
            .copied()
            .filter(|&i| want.hits.points.get(i).unwrap().id.starts_with("value:"))
            .collect();
        assert_eq!(values.len(), 9);
        assert_eq!(want.hits.own, values);
        // Reversed, with 2012 given twice (the first one given is kept): the same scene.
        let mut shuffled = sorted.clone();
        shuffled.reverse();
        shuffled.push(point(2012, Some(99.0)));
        let got = scene(shuffled);
        assert_eq!(format!("{:?}", got.shapes), format!("{:?}", want.shapes));
        assert_eq!(got.hits, want.hits);
    }

    /// The data table of the gallery's trend, by hand from its input: a row per year, the
    /// unit's value, the peer series as their own columns (median; quartiles and count as
    /// details), the forecast with its interval, the signal and the notes, and the CSV keys
    /// (the headers of every kind's table are checked by `every_kind_has_its_own_data_table`).
    #[test]
    fn the_data_table_has_a_row_per_year_and_a_column_per_series() {
        use crate::{layout_chart, ChartOptions, Size};
        let (_, input) = crate::examples::gallery()
            .into_iter()
            .find(|(name, _)| *name == "trend")
            .expect("the gallery has a trend");
        let options = ChartOptions {
            lang: kpi_model::i18n::Lang::En,
            ..Default::default()
        };
        let table = layout_chart(&input, Size::new(640.0, 360.0), &options)
            .expect("laid out")
            .data_table();
        assert_eq!(
            table.keys,
            ["row", "value", "series_3", "detail_4", "n", "series_7", "signal", "note"]
        );
        let row = |r: usize| table.rows[r].join(" | ");
        assert_eq!(table.rows.len(), 10, "2016–2023 and two forecast years");
        assert_eq!(
            row(0),
            "2016–2017 | 61.0% | 60.0% | 52.5% – 66.0% | 130 |  |  | "
        );
        assert_eq!(
            row(3),
            "2019–2020 | Not computable | 62.4% | 54.9% – 68.4% | 133 |  |  | graduates = 0: деление на ноль / нөлге бөлу"
        );
        assert_eq!(
            row(5),
            "2021–2022 | 58.1% | 64.0% | 56.5% – 70.0% | 135 |  | Sharp fall | "
        );
        assert_eq!(
            row(9),
            "2025–2026 |  |  |  |  | 73.5% (62.9% – 84.1%) |  | "
        );
        assert_eq!(table.values[0][1], Some(61.0));
    }
}
