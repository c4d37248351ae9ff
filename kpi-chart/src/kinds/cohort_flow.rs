//! `cohort-flow`: a reconstructed cohort (UNESCO method, `docs/methods.md`, "Cohort
//! analysis") followed through the grades or courses of one school, college or programme.
//! One bar per grade for the share of the entrants who reach it, and a last bar for those
//! who graduate; under each grade the shares of its pupils who repeat (↻) and drop out (↓);
//! the survival to the last grade and the coefficient of efficiency in a takeaway line.
//! When the cohort cannot be reconstructed, the reason is the chart's message.

use super::opt_text;
use crate::geom::{LinearMap, Point, Rect};
use crate::hit::{DataPoint, HitShape, LaneAxis};
use crate::layout::{Ctx, Font};
use crate::scene::{Align, Stroke};
use crate::spec::{finite, AxisOptions, Text, UnitText, ValueUnit};
use crate::strings::Msg;
use kpi_model::i18n::{format_academic_year, format_number};
use kpi_model::Year;
use serde::{Deserialize, Serialize};

/// Input of the `cohort-flow` chart.
///
/// ```
/// use kpi_chart::{ChartInput, CohortFlowData};
/// let d: CohortFlowData = serde_json::from_value(serde_json::json!({
///     "unit": "School No. 5", "year": 2022,
///     "grades": [
///         {"grade": 1, "entrants": 1000.0, "promotion": 0.9, "repetition": 0.0, "dropout": 0.1},
///         {"grade": 2, "entrants": 900.0, "promotion": 0.9, "repetition": 0.0, "dropout": 0.1}
///     ],
///     "graduates": 810.0, "coefficient_of_efficiency": 0.8526
/// })).unwrap();
/// assert_eq!(d.cohort_size, 1000.0);
/// let layout = kpi_chart::layout_chart(&ChartInput::CohortFlow(d), kpi_chart::Size::new(640.0, 320.0),
///     &kpi_chart::ChartOptions::new(kpi_model::i18n::Lang::En, Default::default())).unwrap();
/// assert_eq!(layout.hits().points.len(), 3); // two grades and the graduates
/// assert!(layout.summary.contains("Survival to the last year of study: 90.0%"), "{}", layout.summary);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CohortFlowData {
    /// Whose cohort: the organisation (and programme).
    pub unit: Option<Text>,
    /// The year `t` of the rates (enrolment in `t` against `t + 1`).
    pub year: Option<Year>,
    /// Whether the steps are school grades or courses.
    pub stage: CohortStage,
    /// Entrants followed (1,000 by default).
    pub cohort_size: f64,
    /// The grades, grade 1 first.
    pub grades: Vec<CohortGrade>,
    /// Entrants who graduate.
    pub graduates: Option<f64>,
    /// `graduates × grades / pupil-years`, 0–1.
    pub coefficient_of_efficiency: Option<f64>,
    /// Pupil-years spent per graduate.
    pub pupil_years_per_graduate: Option<f64>,
    /// Why the cohort cannot be reconstructed (then the chart shows this message).
    pub reason: Option<Text>,
    /// Title (default: "Flow of a cohort of 1,000 entrants").
    pub title: Option<Text>,
    /// Subtitle (default: the unit and the year of the rates).
    pub subtitle: Option<Text>,
}

impl Default for CohortFlowData {
    fn default() -> Self {
        CohortFlowData {
            unit: None,
            year: None,
            stage: CohortStage::default(),
            cohort_size: 1000.0,
            grades: Vec::new(),
            graduates: None,
            coefficient_of_efficiency: None,
            pupil_years_per_graduate: None,
            reason: None,
            title: None,
            subtitle: None,
        }
    }
}

/// What one step of a cohort is called.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CohortStage {
    /// School grades (сынып / класс).
    #[default]
    Grade,
    /// Courses of a college or university (курс).
    Course,
}

/// The flow of the cohort through one grade.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CohortGrade {
    /// The grade, 1-based.
    pub grade: u32,
    /// Entrants of the cohort who reach the grade.
    pub entrants: Option<f64>,
    /// Share of the grade's pupils promoted (graduating, in the last grade), 0–1.
    pub promotion: Option<f64>,
    /// Share repeating the grade, 0–1.
    pub repetition: Option<f64>,
    /// Share dropping out, 0–1.
    pub dropout: Option<f64>,
}

impl CohortFlowData {
    /// Fills the grades, graduates and efficiency figures from a reconstructed cohort, each
    /// figure passed through `round` (the identity for full precision; the examples round as
    /// published figures are).
    ///
    /// ```
    /// use kpi_chart::CohortFlowData;
    /// use kpi_stats::{reconstruct_cohort, CohortOptions, GradeRates};
    /// let rates = [GradeRates { promotion: 0.9, repetition: 0.0, dropout: 0.1 }; 2];
    /// let flow = reconstruct_cohort(&rates, &CohortOptions::default()).unwrap();
    /// let mut data = CohortFlowData::default();
    /// data.set_flow(&flow, |x| x);
    /// assert_eq!(data.grades.len(), 2);
    /// assert_eq!(data.grades[1].entrants, Some(900.0));
    /// assert_eq!(data.graduates, Some(810.0));
    /// ```
    pub fn set_flow(&mut self, flow: &kpi_stats::CohortFlow, round: impl Fn(f64) -> f64) {
        self.cohort_size = flow.cohort_size;
        self.grades = flow
            .by_grade
            .iter()
            .map(|g| CohortGrade {
                grade: u32::try_from(g.grade).unwrap_or(u32::MAX),
                entrants: Some(round(g.entrants)),
                promotion: Some(round(g.rates.promotion)),
                repetition: Some(round(g.rates.repetition)),
                dropout: Some(round(g.rates.dropout)),
            })
            .collect();
        self.graduates = Some(round(flow.graduates));
        self.coefficient_of_efficiency = flow
            .coefficient_of_efficiency
            .as_ref()
            .ok()
            .map(|&x| round(x));
        self.pupil_years_per_graduate = flow
            .pupil_years_per_graduate
            .as_ref()
            .ok()
            .map(|&x| round(x));
    }

    fn size(&self) -> Option<f64> {
        finite(Some(self.cohort_size)).filter(|s| *s > 0.0)
    }

    /// The share of the cohort as a percentage, full precision.
    fn percent(&self, of_cohort: Option<f64>) -> Option<f64> {
        Some(finite(of_cohort)? / self.size()? * 100.0)
    }

    fn survival_to_last(&self) -> Option<f64> {
        self.percent(self.grades.last().and_then(|g| g.entrants))
    }

    fn step_name(&self, ctx: &Ctx, grade: u32) -> String {
        let msg = match self.stage {
            CohortStage::Grade => Msg::CohortGrade,
            CohortStage::Course => Msg::CohortCourse,
        };
        ctx.tf(msg, &[("n", &grade.to_string())])
    }

    /// The takeaway: survival to the last grade, graduates of the entrants and the
    /// coefficient of efficiency; or why the cohort cannot be reconstructed.
    pub(crate) fn takeaway(&self, ctx: &Ctx) -> Option<String> {
        if let Some(reason) = opt_text(self.reason.as_ref(), ctx.lang) {
            return Some(ctx.tf(Msg::CohortNotComputable, &[("reason", &reason)]));
        }
        let pct = |v: f64| ValueUnit::Percent.format(v, Some(1), ctx.lang, ctx.strings);
        let mut parts = vec![ctx.tf(
            Msg::CohortSurvival,
            &[("survival", &pct(self.survival_to_last()?))],
        )];
        let size = format_number(self.size()?, 0, ctx.lang);
        if let Some(g) = finite(self.graduates) {
            parts.push(ctx.tf(
                Msg::CohortGraduatesOf,
                &[
                    ("graduates", &format_number(g, 0, ctx.lang)),
                    ("size", &size),
                ],
            ));
        }
        if let Some(c) = finite(self.coefficient_of_efficiency) {
            parts.push(ctx.tf(
                Msg::CohortEfficiency,
                &[("coe", &format_number(c, 2, ctx.lang))],
            ));
        }
        Some(parts.join("; "))
    }
}

pub(crate) fn layout(d: &CohortFlowData, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let pad = ctx.pad();
    let gap = ctx.gap();
    let full = Rect::new(pad, pad, ctx.w - 2.0 * pad, ctx.h - 2.0 * pad);
    let size_text = format_number(d.size().unwrap_or(1000.0), 0, lang);
    let title = opt_text(d.title.as_ref(), lang)
        .unwrap_or_else(|| ctx.tf(Msg::CohortTitle, &[("size", &size_text)]));
    let mut sub = Vec::new();
    if let Some(u) = opt_text(d.unit.as_ref(), lang) {
        sub.push(u);
    }
    if let Some(y) = d.year {
        sub.push(ctx.tf(Msg::CohortRatesOf, &[("year", &format_academic_year(y))]));
    }
    let subtitle = opt_text(d.subtitle.as_ref(), lang).unwrap_or_else(|| sub.join(" · "));
    let mut top = ctx.header(full, &title, &subtitle);
    let rows: Vec<(&CohortGrade, f64)> = d
        .grades
        .iter()
        .filter_map(|g| d.percent(g.entrants).map(|p| (g, p)))
        .collect();
    let body = Rect::new(full.x, top, full.w, (full.bottom() - top).max(0.0));
    if let Some(reason) = opt_text(d.reason.as_ref(), lang) {
        let text = ctx.tf(Msg::CohortNotComputable, &[("reason", &reason)]);
        ctx.message(body, &text);
        return;
    }
    if rows.is_empty() || d.size().is_none() {
        ctx.message(body, ctx.t(Msg::NoData));
        return;
    }
    if let Some(t) = d.takeaway(ctx) {
        top = ctx.sentence_lines(full, top, &t, 3) + gap;
    }
    let unit = ValueUnit::Percent;
    let strings = ctx.strings;
    let pct = |v: f64, decimals: usize| unit.format(v, Some(decimals), lang, strings);
    let tick_px = ctx.px(Font::Tick);
    let tick_lh = ctx.lh(tick_px);
    let label_px = ctx.px(Font::Label);
    let label_lh = ctx.lh(label_px);
    // The columns: one per grade, then the graduates (wide enough for its name).
    let grad_name = ctx.t(Msg::CohortGraduatesShort).to_string();
    let graduates = d.percent(d.graduates);
    let n_cols = rows.len() + usize::from(graduates.is_some());
    let axis_opts = AxisOptions {
        zero_baseline: Some(true),
        ..AxisOptions::default()
    };
    let ticks = ctx.value_ticks(0.0, 100.0, &unit, &axis_opts, 100.0, 0.0);
    let axis_w = ctx.tick_label_width(&ticks, &unit) + gap;
    let plot_w = full.w - axis_w;
    let even = plot_w / n_cols as f64;
    let grad_w = if graduates.is_some() {
        even.max(ctx.width(&grad_name, tick_px, false) + gap)
    } else {
        0.0
    };
    let col_w = (plot_w - grad_w) / rows.len() as f64;
    // Below the axis: the grade numbers, then (when they fit) ↻ repetition and ↓ dropout.
    let rate = |v: Option<f64>, decimals| finite(v).map(|s| pct(s * 100.0, decimals));
    let rate_lines = |decimals| -> Vec<[String; 2]> {
        rows.iter()
            .map(|(g, _)| {
                [
                    format!("↻{}", rate(g.repetition, decimals).unwrap_or("—".into())),
                    format!("↓{}", rate(g.dropout, decimals).unwrap_or("—".into())),
                ]
            })
            .collect()
    };
    let fits = |lines: &[[String; 2]]| {
        lines
            .iter()
            .flatten()
            .all(|s| ctx.width(s, tick_px, false) + gap <= col_w)
    };
    let rates = [1, 0].into_iter().map(rate_lines).find(|l| fits(l));
    let below = tick_lh * if rates.is_some() { 3.0 } else { 1.0 } + gap;
    // The legend explains the rate marks only when they are drawn.
    let mut legend = ctx.t(Msg::CohortLegend).to_string();
    if rates.is_some() {
        legend = format!("{legend} · {}", ctx.t(Msg::CohortLegendRates));
    }
    let bottom_y = ctx.footer(full, &legend);
    // Values above the bars, with one decimal when every one fits, else none.
    let values: Vec<f64> = rows.iter().map(|r| r.1).chain(graduates).collect();
    let value_decimals = [1, 0].into_iter().find(|&dec| {
        values
            .iter()
            .all(|&v| ctx.width(&pct(v, dec), tick_px, false) + 2.0 <= col_w)
    });
    // Room above the plot for the values (or for half the top tick label).
    let above = if value_decimals.is_some() {
        tick_lh
    } else {
        tick_lh / 2.0
    };
    let plot = Rect::new(
        full.x + axis_w,
        top + above,
        plot_w,
        (bottom_y - below - top - above).max(0.0),
    );
    if plot.h < label_lh * 2.0 || plot_w < 40.0 {
        return;
    }
    let ymap = LinearMap::new(ticks.min, ticks.max, plot.bottom(), plot.y);
    ctx.value_axis_left(plot, &ticks, &ymap, &unit);
    let size = d.size().unwrap_or(1000.0);
    let unit_str = unit.label(lang, ctx.strings);
    let of_entrants = ctx.tf(Msg::CohortOfEntrants, &[("size", &size_text)]);
    let mut lane = Vec::new();
    let mut bar = |ctx: &mut Ctx,
                   x: f64,
                   w: f64,
                   value: f64,
                   label: String,
                   axis_label: &str,
                   point: DataPoint| {
        let inner = (w * 0.7).min(48.0 * ctx.ts).max(2.0);
        let bx = x + (w - inner) / 2.0;
        let y = ymap.to_px_clamped(value);
        let r = Rect::new(bx, y, inner, (plot.bottom() - y).max(0.0));
        ctx.rect(r, ctx.theme.accent);
        if let Some(dec) = value_decimals {
            ctx.text(
                &pct(value, dec),
                Point::new(x + w / 2.0, y - tick_lh / 2.0),
                tick_px,
                false,
                ctx.theme.text,
                Align::Middle,
            );
        }
        ctx.fit_text(
            axis_label,
            Point::new(x + w / 2.0, plot.bottom() + gap / 2.0 + tick_lh / 2.0),
            tick_px,
            false,
            ctx.theme.text,
            Align::Middle,
            w,
        );
        let id = ctx.hits.add_point(
            DataPoint {
                label,
                value: Some(value),
                value_text: pct(value, 1),
                unit: unit_str.clone(),
                year: d.year,
                ..point
            },
            Point::new(x + w / 2.0, y),
        );
        ctx.hits
            .add_region(id, HitShape::Rect(Rect::new(x, plot.y, w, plot.h)));
        lane.push(id);
    };
    let n_grades = rows.len();
    for (i, (g, v)) in rows.iter().enumerate() {
        let x = plot.x + col_w * i as f64;
        let last = i + 1 == n_grades;
        let share = |m: Msg, s: Option<f64>| rate(s, 1).map(|t| (ctx.t(m).to_string(), t));
        let details: Vec<(String, String)> = [
            finite(g.entrants).map(|e| (of_entrants.clone(), format_number(e, 0, lang))),
            share(
                if last {
                    Msg::CohortGraduated
                } else {
                    Msg::CohortPromoted
                },
                g.promotion,
            ),
            share(Msg::CohortRepeated, g.repetition),
            share(Msg::CohortDropped, g.dropout),
        ]
        .into_iter()
        .flatten()
        .collect();
        if let Some(lines) = &rates {
            for (k, line) in lines[i].iter().enumerate() {
                ctx.text(
                    line,
                    Point::new(
                        x + col_w / 2.0,
                        plot.bottom() + gap / 2.0 + tick_lh * (k as f64 + 1.5),
                    ),
                    tick_px,
                    false,
                    ctx.theme.text_muted,
                    Align::Middle,
                );
            }
        }
        let point = DataPoint {
            id: format!("grade:{}", g.grade),
            series: Some(ctx.t(Msg::CohortSurvivalRate).to_string()),
            details,
            ..Default::default()
        };
        bar(
            ctx,
            x,
            col_w,
            *v,
            d.step_name(ctx, g.grade),
            &g.grade.to_string(),
            point,
        );
    }
    if let Some(v) = graduates {
        let mut details = vec![(
            of_entrants.clone(),
            format_number(v / 100.0 * size, 0, lang),
        )];
        for (m, x) in [
            (
                Msg::CohortPupilYears,
                d.pupil_years_per_graduate.map(|y| (y, 1)),
            ),
            (
                Msg::CohortEfficiencyName,
                d.coefficient_of_efficiency.map(|c| (c, 2)),
            ),
        ] {
            if let Some((x, dec)) = x.filter(|x| x.0.is_finite()) {
                details.push((ctx.t(m).to_string(), format_number(x, dec, lang)));
            }
        }
        let point = DataPoint {
            id: "graduates".into(),
            series: Some(ctx.t(Msg::CohortCompletionRate).to_string()),
            details,
            ..Default::default()
        };
        let name = ctx.t(Msg::CohortGraduates).to_string();
        bar(
            ctx,
            plot.x + col_w * n_grades as f64,
            grad_w,
            v,
            name,
            &grad_name,
            point,
        );
    }
    // The baseline over the bars' feet.
    ctx.line(
        Point::new(plot.x, plot.bottom()),
        Point::new(plot.right(), plot.bottom()),
        Stroke::solid(ctx.theme.axis, ctx.lw(1.0)),
    );
    ctx.hits.lanes = vec![lane];
    ctx.hits.lane_axis = LaneAxis::Horizontal;
}

/// The data table: one row per grade (or year of study) and one for the graduates, with
/// the share of entrants reaching it and each flow (promoted, repeated, dropped out) as
/// its own column; survival and efficiency are the graduates' row.
pub(crate) fn table(
    hits: &crate::hit::HitMap,
    lang: kpi_model::i18n::Lang,
    strings: &crate::strings::ChartStrings,
) -> super::table::TableModel {
    use super::table::{pivot, Pivot, RowBy};
    let spec = Pivot {
        rows: RowBy::Label,
        row_header: Msg::CohortStep,
        value_header: strings.get(Msg::CohortShare, lang).to_string(),
        series_columns: false,
    };
    pivot(hits, &spec, lang, strings)
}
