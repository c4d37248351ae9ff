//! `risk-gauge` (the 0–100 risk score on a half dial with the three degree bands and the
//! degree label) and `risk-breakdown` (each criterion's contribution to the score, largest
//! first, with the criteria that could not be computed listed and explained).

use super::opt_text;
use crate::geom::{LinearMap, Point, Rect};
use crate::hit::{DataPoint, HitShape, LaneAxis};
use crate::layout::{Ctx, Font};
use crate::scene::{Align, Stroke};
use crate::spec::{finite, Text, UnitText};
use crate::strings::{ChartStrings, Msg};
use crate::ticks::{nice_ticks, TickRequest};
use crate::ValueUnit;
use kpi_model::i18n::{format_academic_year, format_number, format_percent, Lang};
use kpi_model::Degree;
use kpi_model::Year;
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// Input of the `risk-gauge` chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskGaugeData {
    /// The risk score 0–100; `None` when it could not be computed.
    pub score: Option<f64>,
    /// The degree as assessed (a gross criterion can make it high whatever the score);
    /// derived from the score and the band limits when absent.
    pub degree: Option<Degree>,
    /// Highest score that is still low (default 30, the band of the built-in criteria;
    /// the engine gives the band of the criteria in use).
    pub low_max: f64,
    /// Highest score that is still medium (default 70, as `low_max`).
    pub medium_max: f64,
    /// Share (0–1) of the applicable criteria weight that could be computed.
    pub weight_coverage: Option<f64>,
    /// Last year's score, for the change.
    pub previous_score: Option<f64>,
    /// Whether the degree rose since last year.
    pub rising: bool,
    /// Name of the organisation.
    pub unit_name: Text,
    /// Organisation id.
    pub org: Option<String>,
    /// Academic year.
    pub year: Option<Year>,
    /// Why the score is missing or the degree is insufficient.
    pub reason: Option<Text>,
    /// Title (default: "Degree of risk").
    pub title: Option<Text>,
}

impl Default for RiskGaugeData {
    fn default() -> Self {
        RiskGaugeData {
            score: None,
            degree: None,
            low_max: 30.0,
            medium_max: 70.0,
            weight_coverage: None,
            previous_score: None,
            rising: false,
            unit_name: Text::default(),
            org: None,
            year: None,
            reason: None,
            title: None,
        }
    }
}

impl RiskGaugeData {
    /// The band limits, sanitised: `0 ≤ low_max ≤ medium_max ≤ 100`.
    fn limits(&self) -> (f64, f64) {
        let low = if self.low_max.is_finite() {
            self.low_max.clamp(0.0, 100.0)
        } else {
            30.0
        };
        let med = if self.medium_max.is_finite() {
            self.medium_max.clamp(low, 100.0)
        } else {
            70.0_f64.max(low)
        };
        (low, med)
    }

    /// The degree shown: the given one, else by the score (`≤ low_max` low, `≤ medium_max`
    /// medium, above high), else insufficient data.
    pub fn shown_degree(&self) -> Degree {
        if let Some(d) = self.degree {
            return d;
        }
        let (low, med) = self.limits();
        match finite(self.score) {
            Some(s) if s <= low => Degree::Low,
            Some(s) if s <= med => Degree::Medium,
            Some(_) => Degree::High,
            None => Degree::InsufficientData,
        }
    }
}

/// The label of a degree in `lang`.
pub(crate) fn degree_label(ctx: &Ctx, degree: Degree) -> String {
    ctx.t(match degree {
        Degree::Low => Msg::RiskLow,
        Degree::Medium => Msg::RiskMedium,
        Degree::High => Msg::RiskHigh,
        Degree::InsufficientData => Msg::InsufficientData,
    })
    .to_string()
}

/// Points of an annular sector between angles `a0` and `a1` (radians, counter-clockwise
/// from the positive x axis, y pointing down on screen).
fn sector(c: Point, r_in: f64, r_out: f64, a0: f64, a1: f64) -> Vec<Point> {
    let steps = (((a1 - a0).abs() / PI) * 48.0).ceil().max(2.0) as usize;
    let at = |r: f64, a: f64| Point::new(c.x + r * a.cos(), c.y - r * a.sin());
    let mut pts: Vec<Point> = (0..=steps)
        .map(|i| at(r_out, a0 + (a1 - a0) * i as f64 / steps as f64))
        .collect();
    pts.extend(
        (0..=steps)
            .rev()
            .map(|i| at(r_in, a0 + (a1 - a0) * i as f64 / steps as f64)),
    );
    pts
}

pub(crate) fn layout_gauge(d: &RiskGaugeData, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let pad = ctx.pad();
    let gap = ctx.gap();
    let full = Rect::new(pad, pad, ctx.w - 2.0 * pad, ctx.h - 2.0 * pad);
    let title =
        opt_text(d.title.as_ref(), lang).unwrap_or_else(|| ctx.t(Msg::RiskDegree).to_string());
    let mut sub = Vec::new();
    if let Some(n) = opt_text(Some(&d.unit_name), lang) {
        sub.push(n);
    }
    if let Some(y) = d.year {
        sub.push(format_academic_year(y));
    }
    let top = ctx.header(full, &title, &sub.join(" · "));
    let score = finite(d.score).map(|s| s.clamp(0.0, 100.0));
    let degree = d.shown_degree();
    let (low, med) = d.limits();

    // Footer: coverage of the criteria weight and the change since last year.
    // One footer line each, so that neither is cut.
    let mut bottom = full.bottom();
    let coverage = finite(d.weight_coverage).map(|c| {
        let p = format_percent(c.clamp(0.0, 1.0) * 100.0, 0, lang);
        ctx.tf(Msg::WeightCoverage, &[("p", &p)])
    });
    for line in [
        d.rising.then(|| ctx.t(Msg::RiskRising).to_string()),
        coverage.clone(),
    ]
    .into_iter()
    .flatten()
    {
        bottom = ctx.footer(Rect::new(full.x, full.y, full.w, bottom - full.y), &line);
    }

    let tick_px = ctx.px(Font::Tick);
    let tick_lh = ctx.lh(tick_px);
    let big_px = ctx.px(Font::Scaled(2.4));
    let big_lh = ctx.lh(big_px);
    let label_px = ctx.px(Font::Scaled(1.15));
    let label_lh = ctx.lh(label_px);
    let below = big_lh * 0.55 + label_lh + gap;
    let avail_h = bottom - top - below - tick_lh;
    let tick_w = ctx.width("100", tick_px, false) + gap;
    let r = (full.w / 2.0 - tick_w).min(avail_h).min(260.0 * ctx.ts);
    let c = Point::new(full.x + full.w / 2.0, top + tick_lh + r);
    let angle = |s: f64| PI * (1.0 - s / 100.0);

    let score_text = match score {
        Some(s) => format_number(s, 0, lang),
        None => "—".to_string(),
    };
    let label = degree_label(ctx, degree);
    if r >= 24.0 {
        let thick = (r * 0.26).max(8.0);
        let r_in = r - thick;
        let bands = [
            (0.0, low, ctx.theme.risk_low, Degree::Low),
            (low, med, ctx.theme.risk_medium, Degree::Medium),
            (med, 100.0, ctx.theme.risk_high, Degree::High),
        ];
        for (a, b, color, _) in bands {
            if b > a {
                let faded = if score.is_none() {
                    color.with_alpha(0.35)
                } else {
                    color
                };
                ctx.polygon(sector(c, r_in, r, angle(a), angle(b)), faded);
            }
        }
        // Band limits outside the dial.
        for v in [0.0, low, med, 100.0] {
            let a = angle(v);
            let p = Point::new(c.x + (r + gap) * a.cos(), c.y - (r + gap) * a.sin());
            let align = if v < 40.0 {
                Align::End
            } else if v > 60.0 {
                Align::Start
            } else {
                Align::Middle
            };
            let y = if (40.0..=60.0).contains(&v) {
                p.y - tick_lh / 2.0
            } else {
                p.y.min(c.y - tick_lh / 2.0)
            };
            ctx.text(
                &format_number(v, 0, lang),
                Point::new(p.x, y),
                tick_px,
                false,
                ctx.theme.text_muted,
                align,
            );
        }
        if let Some(s) = score {
            // The needle: a line from the hub to the outer edge, with a ring at the tip.
            let a = angle(s);
            let tip = Point::new(c.x + (r + 2.0) * a.cos(), c.y - (r + 2.0) * a.sin());
            let base = Point::new(c.x + r_in * 0.35 * a.cos(), c.y - r_in * 0.35 * a.sin());
            ctx.line(base, tip, Stroke::solid(ctx.theme.background, ctx.lw(6.0)));
            ctx.line(base, tip, Stroke::solid(ctx.theme.text, ctx.lw(3.0)));
            ctx.circle(base, ctx.lw(4.0), Some(ctx.theme.text), None);
        }
        ctx.text(
            &score_text,
            Point::new(c.x, c.y - big_lh * 0.45),
            big_px,
            true,
            ctx.theme.text,
            Align::Middle,
        );
        ctx.fit_text(
            &label,
            Point::new(c.x, c.y + big_lh * 0.1 + label_lh / 2.0 + gap / 2.0),
            label_px,
            true,
            ctx.theme.text,
            Align::Middle,
            full.w,
        );
    } else {
        // Too small for a dial: the number and the degree.
        ctx.text(
            &format!("{score_text} · {label}"),
            Point::new(c.x, (top + bottom) / 2.0),
            ctx.px(Font::Label),
            true,
            ctx.theme.text,
            Align::Middle,
        );
    }

    let mut details = vec![(ctx.t(Msg::RiskDegree).to_string(), label.clone())];
    for (msg, a, b) in [
        (Msg::RiskLow, 0.0, low),
        (Msg::RiskMedium, low, med),
        (Msg::RiskHigh, med, 100.0),
    ] {
        details.push((
            ctx.t(msg).to_string(),
            format!(
                "{}–{}",
                format_number(a, 0, lang),
                format_number(b, 0, lang)
            ),
        ));
    }
    if let Some(c) = coverage {
        details.push((ctx.t(Msg::Weight).to_string(), c));
    }
    if d.rising {
        details.push((
            ctx.t(Msg::Change).to_string(),
            ctx.t(Msg::RiskRising).to_string(),
        ));
    }
    if let (Some(s), Some(p)) = (score, finite(d.previous_score)) {
        details.push((
            ctx.t(Msg::Change).to_string(),
            ValueUnit::Points.format_change(s - p, Some(1), lang, ctx.strings),
        ));
    }
    let note = match (score, opt_text(d.reason.as_ref(), lang)) {
        (_, Some(r)) => Some(r),
        (None, _) => Some(ctx.t(Msg::InsufficientData).to_string()),
        _ => None,
    };
    let anchor = Point::new(c.x, c.y - big_lh * 0.45);
    let id = ctx.hits.add_point(
        DataPoint {
            id: "risk-score".into(),
            org: d.org.clone(),
            label: d.unit_name.get(lang).to_string(),
            series: Some(ctx.t(Msg::RiskScore).to_string()),
            value: score,
            value_text: match score {
                Some(s) => format!("{} / 100", format_number(s, 1, lang)),
                None => ctx.t(Msg::NotComputable).to_string(),
            },
            year: d.year,
            details,
            note,
            ..Default::default()
        },
        anchor,
    );
    let region = Rect::new(
        c.x - r.max(30.0),
        c.y - r.max(30.0),
        2.0 * r.max(30.0),
        r.max(30.0) + below,
    );
    ctx.hits.add_region(id, HitShape::Rect(region));
    ctx.hits.lanes = vec![vec![id]];
}

/// Input of the `risk-breakdown` chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskBreakdownData {
    /// The criteria, in any order (the chart puts the largest contribution first).
    pub criteria: Vec<RiskCriterion>,
    /// The total risk score 0–100, shown in the subtitle.
    pub score: Option<f64>,
    /// The degree, shown in the subtitle.
    pub degree: Option<Degree>,
    /// Name of the organisation.
    pub unit_name: Text,
    /// Organisation id.
    pub org: Option<String>,
    /// Academic year.
    pub year: Option<Year>,
    /// Title (default: "Contribution to risk score").
    pub title: Option<Text>,
}

/// One criterion of a risk assessment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskCriterion {
    /// Code (the indicator it checks).
    pub code: String,
    /// Name.
    #[serde(skip_serializing_if = "Text::is_empty")]
    pub label: Text,
    /// Points this criterion adds to the 0–100 score; `None` when not computable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contribution: Option<f64>,
    /// Its weight (share of the applicable weight, 0–1, or points).
    pub weight: Option<f64>,
    /// Its own score 0–1 (0 fine, 1 at or beyond the critical threshold).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criterion_score: Option<f64>,
    /// The indicator's value and thresholds as numbers, written by the chart
    /// in the language it draws (the usual way to give them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measure: Option<CriterionMeasure>,
    /// The indicator's value as displayed (`54,0 %`), when given as text
    /// rather than through [`RiskCriterion::measure`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_text: Option<Text>,
    /// The thresholds as displayed (`warn`, `critical`), when given as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<(Text, Text)>,
    /// Why it is not computable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
    /// A gross criterion (crossing it makes the risk high).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub gross: bool,
    /// Whether a gross criterion is crossed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub crossed: bool,
}

/// A criterion's indicator value and thresholds as numbers, in the
/// indicator's unit.
///
/// ```
/// use kpi_chart::{ChartStrings, CriterionMeasure, RiskCriterion, ValueUnit};
/// use kpi_model::i18n::Lang;
/// let c = RiskCriterion {
///     measure: Some(CriterionMeasure {
///         value: Some(4.0),
///         unit: ValueUnit::Percent,
///         decimals: Some(1),
///         warn: Some(5.5),
///         critical: Some(6.5),
///         gap_median: Some(3.5),
///         warn_from_gap: true,
///         ..Default::default()
///     }),
///     ..Default::default()
/// };
/// let s = ChartStrings::builtin();
/// assert_eq!(c.shown_value(Lang::En, s).as_deref(), Some("4.0%"));
/// let (warn, critical) = c.shown_thresholds(Lang::En, s).unwrap();
/// assert_eq!(warn, "5.5% (minimum gap from the peer median 3.5%)");
/// assert_eq!(critical, "6.5%");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CriterionMeasure {
    /// The indicator's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Its unit.
    pub unit: ValueUnit,
    /// Decimals shown (default: the unit's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decimals: Option<usize>,
    /// The thresholds are distances outside a target band (`±1,5`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub band: bool,
    /// The warning threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warn: Option<f64>,
    /// The critical threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub critical: Option<f64>,
    /// The peer median, when the minimum meaningful gap set a threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap_median: Option<f64>,
    /// The minimum gap, not the peer percentile, set the warning threshold.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub warn_from_gap: bool,
    /// The minimum gap set the critical threshold.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub critical_from_gap: bool,
}

impl CriterionMeasure {
    fn show(&self, v: f64, lang: Lang, strings: &ChartStrings) -> String {
        if self.band {
            format!("±{}", format_number(v, 1, lang))
        } else {
            self.unit.format(v, self.decimals, lang, strings)
        }
    }

    fn threshold(&self, v: f64, from_gap: bool, lang: Lang, strings: &ChartStrings) -> String {
        let shown = self.show(v, lang, strings);
        match self.gap_median.filter(|m| m.is_finite() && from_gap) {
            Some(m) => {
                let median = self.show(m, lang, strings);
                format!(
                    "{shown} ({})",
                    strings.fill(Msg::MinGapNote, lang, &[("median", median.as_str())])
                )
            }
            None => shown,
        }
    }
}

impl RiskCriterion {
    /// The indicator's value as shown in `lang`.
    pub fn shown_value(&self, lang: Lang, strings: &ChartStrings) -> Option<String> {
        if let Some(v) = self
            .measure
            .as_ref()
            .and_then(|m| Some((m, finite(m.value)?)))
        {
            return Some(v.0.unit.format(v.1, v.0.decimals, lang, strings));
        }
        opt_text(self.value_text.as_ref(), lang)
    }

    /// The (warning, critical) thresholds as shown in `lang`, each with the
    /// note when the minimum gap set it.
    pub fn shown_thresholds(&self, lang: Lang, strings: &ChartStrings) -> Option<(String, String)> {
        if let Some(m) = &self.measure {
            if let (Some(w), Some(c)) = (finite(m.warn), finite(m.critical)) {
                return Some((
                    m.threshold(w, m.warn_from_gap, lang, strings),
                    m.threshold(c, m.critical_from_gap, lang, strings),
                ));
            }
        }
        self.thresholds
            .as_ref()
            .map(|(w, c)| (w.get(lang).to_string(), c.get(lang).to_string()))
    }
}

enum BreakdownRow<'a> {
    Bar(&'a RiskCriterion, f64),
    Heading,
    Missing(&'a RiskCriterion),
}

pub(crate) fn layout_breakdown(d: &RiskBreakdownData, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let pad = ctx.pad();
    let gap = ctx.gap();
    let full = Rect::new(pad, pad, ctx.w - 2.0 * pad, ctx.h - 2.0 * pad);
    let title =
        opt_text(d.title.as_ref(), lang).unwrap_or_else(|| ctx.t(Msg::Contribution).to_string());
    let mut sub = Vec::new();
    if let Some(n) = opt_text(Some(&d.unit_name), lang) {
        sub.push(n);
    }
    if let Some(y) = d.year {
        sub.push(format_academic_year(y));
    }
    if let Some(s) = finite(d.score) {
        let mut t = format!("{}: {}", ctx.t(Msg::RiskScore), format_number(s, 1, lang));
        if let Some(deg) = d.degree {
            // Lowercased a character at a time: `str::to_lowercase` (final-sigma rules the
            // four languages never need) is 4 KB of the chart modules.
            let label: String = degree_label(ctx, deg)
                .chars()
                .flat_map(char::to_lowercase)
                .collect();
            t = format!("{t} ({label})");
        }
        sub.push(t);
    }
    let top = ctx.header(full, &title, &sub.join(" · "));

    let mut bars: Vec<(&RiskCriterion, f64)> = d
        .criteria
        .iter()
        .filter_map(|c| Some((c, finite(c.contribution)?.max(0.0))))
        .collect();
    super::sort_by(&mut bars, |a, b| b.1.total_cmp(&a.1));
    let missing: Vec<&RiskCriterion> = d
        .criteria
        .iter()
        .filter(|c| finite(c.contribution).is_none())
        .collect();
    let mut rows: Vec<BreakdownRow> = bars.iter().map(|&(c, v)| BreakdownRow::Bar(c, v)).collect();
    if !missing.is_empty() {
        rows.push(BreakdownRow::Heading);
        rows.extend(missing.iter().map(|c| BreakdownRow::Missing(c)));
    }
    if rows.is_empty() {
        ctx.message(
            Rect::new(full.x, top, full.w, full.bottom() - top),
            ctx.t(Msg::NoData),
        );
        return;
    }
    let fp = ctx.px(Font::Label);
    let lh = ctx.lh(fp);
    let tick_px = ctx.px(Font::Tick);
    let tick_lh = ctx.lh(tick_px);
    let axis_h = tick_lh + gap * 1.5;
    let area_h = full.bottom() - top - axis_h;
    // Rows never shrink below one line: the ones that do not fit are summarised.
    let max_rows = ((area_h / (lh * 1.25)).floor().max(0.0)) as usize;
    let hidden = rows.len().saturating_sub(max_rows);
    let shown = if hidden > 0 {
        max_rows.saturating_sub(1)
    } else {
        rows.len()
    };
    if shown == 0 {
        return;
    }
    let row_h = (area_h / (shown + usize::from(hidden > 0)) as f64).min(lh * 2.2);
    let label_w = rows
        .iter()
        .take(shown)
        .map(|r| match r {
            BreakdownRow::Bar(c, _) | BreakdownRow::Missing(c) => {
                ctx.width(crit_name(c, lang), fp, false)
            }
            BreakdownRow::Heading => 0.0,
        })
        .fold(0.0, f64::max)
        .min(full.w * 0.45)
        + gap;
    let value_w = ctx.width("100,0 балл.", tick_px, false) + gap;
    let hi = bars.first().map(|b| b.1).unwrap_or(0.0);
    let plot = Rect::new(
        full.x + label_w,
        top,
        (full.w - label_w - value_w).max(10.0),
        row_h * shown as f64,
    );
    let ticks = nice_ticks(&TickRequest {
        zero_baseline: true,
        max_ticks: ((plot.w / (ctx.width("100", tick_px, false) + 3.0 * gap)).floor() as usize + 1)
            .clamp(2, 8),
        ..TickRequest::new(0.0, hi.max(1.0), 6)
    });
    let xmap = LinearMap::new(ticks.min, ticks.max, plot.x, plot.right());
    let bars_bottom = plot.y + row_h * bars.len().min(shown) as f64;
    let axis_plot = Rect::new(plot.x, plot.y, plot.w, bars_bottom - plot.y);
    if !bars.is_empty() {
        ctx.value_axis_bottom(axis_plot, &ticks, &xmap, &ValueUnit::Points);
    }
    let pts_unit = ctx.t(Msg::Points).to_string();
    let mut lane = Vec::new();
    let mut y = plot.y;
    for (i, row) in rows.iter().enumerate().take(shown) {
        // The axis labels sit below the bars: leave a row for them before the list of
        // criteria not computable.
        if matches!(row, BreakdownRow::Heading) {
            y += axis_h;
        }
        let cy = y + row_h / 2.0;
        match row {
            BreakdownRow::Bar(c, v) => {
                let xe = xmap.to_px_clamped(*v);
                let color = if c.gross && c.crossed {
                    ctx.theme.risk_high
                } else {
                    ctx.theme.worse
                };
                let t = (row_h * 0.62).min(24.0 * ctx.ts);
                ctx.rect(
                    Rect::new(plot.x, cy - t / 2.0, (xe - plot.x).max(1.0), t),
                    color,
                );
                ctx.fit_text(
                    crit_name(c, lang),
                    Point::new(full.x, cy),
                    fp,
                    false,
                    ctx.theme.text,
                    Align::Start,
                    label_w - gap,
                );
                let text = format!("{}\u{a0}{pts_unit}", format_number(*v, 1, lang));
                ctx.text(
                    &text,
                    Point::new(xe + gap / 2.0, cy),
                    tick_px,
                    false,
                    ctx.theme.text_muted,
                    Align::Start,
                );
                let id = add_criterion_point(ctx, d, c, Some(*v), Point::new(xe, cy), i);
                ctx.hits
                    .add_region(id, HitShape::Rect(Rect::new(full.x, y, full.w, row_h)));
                lane.push(id);
            }
            BreakdownRow::Heading => {
                ctx.fit_text(
                    ctx.t(Msg::CriteriaNotComputable),
                    Point::new(full.x, cy),
                    fp,
                    true,
                    ctx.theme.text,
                    Align::Start,
                    full.w,
                );
            }
            BreakdownRow::Missing(c) => {
                ctx.circle(
                    Point::new(full.x + 5.0 * ctx.ts, cy),
                    4.0 * ctx.ts,
                    None,
                    Some(Stroke::solid(ctx.theme.missing, ctx.lw(1.5))),
                );
                let x = full.x + 14.0 * ctx.ts;
                let name_w = (full.w * 0.5).min(ctx.width(crit_name(c, lang), fp, false));
                let placed = ctx.fit_text(
                    crit_name(c, lang),
                    Point::new(x, cy),
                    fp,
                    false,
                    ctx.theme.text,
                    Align::Start,
                    name_w,
                );
                let after = placed.map(|b| b.right()).unwrap_or(x) + gap * 2.0;
                let why = opt_text(c.reason.as_ref(), ctx.lang)
                    .unwrap_or_else(|| ctx.t(Msg::NotComputable).to_string());
                ctx.fit_text(
                    &why,
                    Point::new(after, cy),
                    tick_px,
                    false,
                    ctx.theme.text_muted,
                    Align::Start,
                    full.right() - after,
                );
                let id = add_criterion_point(ctx, d, c, None, Point::new(x, cy), i);
                ctx.hits
                    .add_region(id, HitShape::Rect(Rect::new(full.x, y, full.w, row_h)));
                lane.push(id);
            }
        }
        y += row_h;
    }
    if hidden > 0 {
        let cy = y.max(bars_bottom + axis_h) + row_h / 2.0;
        ctx.text(
            &ctx.tf(Msg::RowsHidden, &[("n", &hidden.to_string())]),
            Point::new(full.x, cy),
            tick_px,
            false,
            ctx.theme.text_muted,
            Align::Start,
        );
    }
    ctx.hits.lanes = vec![lane];
    ctx.hits.lane_axis = LaneAxis::Vertical;
}

fn crit_name(c: &RiskCriterion, lang: Lang) -> &str {
    let l = c.label.get(lang);
    if l.trim().is_empty() {
        &c.code
    } else {
        l
    }
}

fn add_criterion_point(
    ctx: &mut Ctx,
    d: &RiskBreakdownData,
    c: &RiskCriterion,
    v: Option<f64>,
    anchor: Point,
    i: usize,
) -> usize {
    let lang = ctx.lang;
    let mut details = Vec::new();
    if let Some(val) = c.shown_value(lang, ctx.strings) {
        details.push((ctx.t(Msg::Value).to_string(), val));
    }
    if let Some(w) = finite(c.weight) {
        details.push((ctx.t(Msg::Weight).to_string(), format_number(w, 2, lang)));
    }
    if let Some(s) = finite(c.criterion_score) {
        details.push((
            ctx.t(Msg::CriterionScore).to_string(),
            format_number(s, 2, lang),
        ));
    }
    if let Some((warn, critical)) = c.shown_thresholds(lang, ctx.strings) {
        details.push((
            ctx.t(Msg::Criterion).to_string(),
            ctx.tf(
                Msg::Thresholds,
                &[("warn", warn.as_str()), ("critical", critical.as_str())],
            ),
        ));
    }
    let note = if v.is_none() {
        Some(
            opt_text(c.reason.as_ref(), lang)
                .unwrap_or_else(|| ctx.t(Msg::NotComputable).to_string()),
        )
    } else if c.gross {
        Some(ctx.t(Msg::GrossCriterion).to_string())
    } else {
        None
    };
    ctx.hits.add_point(
        DataPoint {
            id: format!("criterion:{}:{i}", c.code),
            org: d.org.clone(),
            label: crit_name(c, lang).to_string(),
            series: Some(ctx.t(Msg::Contribution).to_string()),
            value: v,
            value_text: match v {
                Some(v) => format!("{}\u{a0}{}", format_number(v, 1, lang), ctx.t(Msg::Points)),
                None => ctx.t(Msg::NotComputable).to_string(),
            },
            unit: ctx.t(Msg::Points).to_string(),
            year: d.year,
            details,
            note,
            ..Default::default()
        },
        anchor,
    )
}

/// The data table of a `risk-gauge`: the year (row header), the score, the degree, the
/// degree bands, the weight of computable criteria and the change since the year before.
pub(crate) fn gauge_table(
    hits: &crate::hit::HitMap,
    lang: kpi_model::i18n::Lang,
    strings: &ChartStrings,
) -> super::table::TableModel {
    use super::table::{pivot, Pivot, RowBy};
    let spec = Pivot {
        rows: RowBy::Year,
        row_header: Msg::AcademicYear,
        value_header: strings.get(Msg::RiskScore, lang).to_string(),
        series_columns: false,
    };
    pivot(hits, &spec, lang, strings)
}

/// The data table of a `risk-breakdown`: one row per criterion (the row header), largest
/// contribution first: the indicator value, the warning and critical thresholds, the
/// criterion score, the weight and the contribution to the risk score; a note for gross
/// criteria and the reason of a not-computable one.
pub(crate) fn breakdown_table(
    hits: &crate::hit::HitMap,
    lang: kpi_model::i18n::Lang,
    strings: &ChartStrings,
) -> super::table::TableModel {
    use super::table::{pivot, Pivot, RowBy};
    let t = |m: Msg| strings.get(m, lang).to_string();
    let contribution = t(Msg::Contribution);
    let spec = Pivot {
        rows: RowBy::Label,
        row_header: Msg::Criterion,
        value_header: contribution.clone(),
        series_columns: false,
    };
    let mut m = pivot(hits, &spec, lang, strings);
    // The thresholds detail is headed "Criterion" in the tooltip; here it has its own
    // column header (the row headers are the criteria).
    let criterion = t(Msg::Criterion);
    if let Some(c) = m.headers.iter().skip(1).position(|h| *h == criterion) {
        m.headers[c + 1] = t(Msg::ThresholdsColumn);
        m.keys[c + 1] = "thresholds".into();
    }
    let order = [
        t(Msg::Value),
        t(Msg::ThresholdsColumn),
        t(Msg::CriterionScore),
        t(Msg::Weight),
        contribution,
    ];
    let mut at = 1;
    for h in &order {
        if let Some(c) = m.column_of(h) {
            m.move_column(c, at);
            at += 1;
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degree_follows_the_band_limits() {
        let g = |s: f64| {
            RiskGaugeData {
                score: Some(s),
                ..Default::default()
            }
            .shown_degree()
        };
        // Spec defaults: ≤ 30 low, ≤ 70 medium, above high.
        assert_eq!(g(30.0), Degree::Low);
        assert_eq!(g(30.5), Degree::Medium);
        assert_eq!(g(70.0), Degree::Medium);
        assert_eq!(g(70.1), Degree::High);
        assert_eq!(
            RiskGaugeData::default().shown_degree(),
            Degree::InsufficientData
        );
        let forced = RiskGaugeData {
            score: Some(10.0),
            degree: Some(Degree::High),
            ..Default::default()
        };
        assert_eq!(forced.shown_degree(), Degree::High);
    }
}
