//! `gaps`: one indicator compared across groups of organisations (urban and rural, state
//! and private, regions): one row per group with its mean (or median) as a dot, the 95%
//! confidence interval of the mean as a whisker, its n, the overall value as a dashed
//! reference line, and for two groups the difference with Welch's test in the subtitle.
//! Best and worst groups are named in text (row labels and tooltips), never by colour alone.

use super::opt_text;
use super::trend::p_text;
use crate::geom::{LinearMap, Point, Rect};
use crate::hit::{DataPoint, HitShape, LaneAxis};
use crate::layout::{finite_extent, Ctx, Font};
use crate::scene::{Align, Stroke};
use crate::spec::{finite, AxisOptions, IndicatorInfo, Text, UnitText};
use crate::strings::Msg;
use crate::text::ellipsize;
use kpi_model::i18n::format_academic_year;
use kpi_model::Year;
use serde::{Deserialize, Serialize};

/// Input of the `gaps` chart.
///
/// ```
/// use kpi_chart::{ChartInput, GapsData};
/// let d: GapsData = serde_json::from_value(serde_json::json!({
///     "indicator": {"code": "employment_rate", "label": "Employment", "unit": "percent"},
///     "groups": [
///         {"id": "rural", "name": "Rural", "n": 4, "mean": 68.0, "ci_low": 61.0, "ci_high": 75.0},
///         {"id": "urban", "name": "Urban", "n": 6, "mean": 80.0, "ci_low": 76.0, "ci_high": 84.0}
///     ],
///     "overall": 75.2,
///     "test": {"difference": -12.0, "p_value": 0.004}
/// })).unwrap();
/// assert_eq!(d.groups[1].ci_high, Some(84.0));
/// let layout = kpi_chart::layout_chart(&ChartInput::Gaps(d), kpi_chart::Size::new(640.0, 320.0),
///     &Default::default()).unwrap();
/// assert_eq!(layout.hits().points.len(), 2);
/// assert!(layout.summary.contains("p = 0,004"), "{}", layout.summary); // Kazakh by default
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GapsData {
    /// The indicator compared.
    pub indicator: IndicatorInfo,
    /// Academic year.
    pub year: Option<Year>,
    /// What was compared: `Colleges · by locality`.
    pub population: Option<Text>,
    /// The groups, in the order drawn from the top.
    pub groups: Vec<GapGroup>,
    /// Which statistic the dots show (the whiskers are always the mean's interval).
    pub statistic: GapStatistic,
    /// The overall value of every organisation together (of the same statistic).
    pub overall: Option<f64>,
    /// The best group by direction (its `id`).
    pub best: Option<String>,
    /// The worst group by direction (its `id`).
    pub worst: Option<String>,
    /// How much better the best group is than the worst, in the indicator's units.
    pub best_minus_worst: Option<f64>,
    /// For two groups: the difference (first minus second) and Welch's test.
    pub test: Option<GapTest>,
    /// Women and men: the gender parity index of the two means.
    pub parity: Option<GapParity>,
    /// Title (default: the indicator's name "by group").
    pub title: Option<Text>,
    /// Subtitle (default: population, year and the test).
    pub subtitle: Option<Text>,
}

/// One group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GapGroup {
    /// Its key (`urban`, a region).
    pub id: String,
    /// Its name.
    pub name: Text,
    /// Organisations with a value.
    pub n: u32,
    /// Mean.
    pub mean: Option<f64>,
    /// Median.
    pub median: Option<f64>,
    /// Sample standard deviation.
    pub sd: Option<f64>,
    /// Lower end of the 95% confidence interval of the mean.
    pub ci_low: Option<f64>,
    /// Upper end of the 95% confidence interval of the mean.
    pub ci_high: Option<f64>,
}

/// The gender parity index of two means, female / male, and its adjusted form (UNESCO
/// UIS: the index when at most 1, else `2 − 1 / index`; 1 is parity).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GapParity {
    /// `female / male`.
    pub index: f64,
    /// The adjusted index, 0–2.
    pub adjusted: f64,
}

/// The statistic a `gaps` chart shows per group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GapStatistic {
    /// The mean (with its confidence interval).
    #[default]
    Mean,
    /// The median.
    Median,
}

/// The difference of two groups and Welch's t-test of their means.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GapTest {
    /// Mean of the first group minus mean of the second.
    pub difference: f64,
    /// Welch's t statistic.
    pub t: Option<f64>,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: Option<f64>,
    /// Two-sided p-value; `None` when the test is not computable.
    pub p_value: Option<f64>,
    /// Why the test is not computable.
    pub reason: Option<Text>,
}

impl GapsData {
    fn value(&self, g: &GapGroup) -> Option<f64> {
        finite(match self.statistic {
            GapStatistic::Mean => g.mean,
            GapStatistic::Median => g.median,
        })
    }

    fn stat_name<'a>(&self, ctx: &Ctx<'a>) -> &'a str {
        ctx.t(match self.statistic {
            GapStatistic::Mean => Msg::Mean,
            GapStatistic::Median => Msg::Median,
        })
    }

    /// The overall reference's label, in lower case inside a sentence: "Overall mean".
    fn overall_label<'a>(&self, ctx: &Ctx<'a>) -> &'a str {
        ctx.t(match self.statistic {
            GapStatistic::Mean => Msg::GapsOverallMean,
            GapStatistic::Median => Msg::GapsOverallMedian,
        })
    }

    /// The test as a sentence: `Difference Rural − Urban: −12 pp, Welch p = 0.004,
    /// significant`, or the reason it is not computable.
    pub(crate) fn test_text(&self, ctx: &Ctx) -> Option<String> {
        let t = self.test.as_ref().filter(|t| t.difference.is_finite())?;
        let (a, b) = match self.groups.as_slice() {
            [a, b] => (a, b),
            _ => return None,
        };
        let i = &self.indicator;
        let verdict = match finite(t.p_value) {
            Some(p) if p < 0.05 => ctx.t(Msg::Significant).to_string(),
            Some(_) => ctx.t(Msg::NotSignificant).to_string(),
            None => opt_text(t.reason.as_ref(), ctx.lang)
                .unwrap_or_else(|| ctx.t(Msg::NotComputable).to_string()),
        };
        // Women and men: the parity index of the means after the test.
        let parity = self
            .parity
            .filter(|p| p.index.is_finite() && p.adjusted.is_finite())
            .map(|p| {
                let n = |v| kpi_model::i18n::format_number(v, 2, ctx.lang);
                let values = [("index", n(p.index)), ("adjusted", n(p.adjusted))];
                let values: Vec<(&str, &str)> =
                    values.iter().map(|(k, v)| (*k, v.as_str())).collect();
                format!("; {}", ctx.tf(Msg::GapsParity, &values))
            })
            .unwrap_or_default();
        Some(
            ctx.tf(
                Msg::GapsDifference,
                &[
                    ("first", a.name.get(ctx.lang)),
                    ("second", b.name.get(ctx.lang)),
                    (
                        "difference",
                        &i.unit
                            .format_change(t.difference, i.decimals, ctx.lang, ctx.strings),
                    ),
                    ("p", &p_text(t.p_value.unwrap_or(f64::NAN), ctx.lang)),
                    ("verdict", &verdict),
                ],
            ) + &parity,
        )
    }

    /// Best and worst group with the gap between them, as a sentence.
    pub(crate) fn best_worst_text(&self, ctx: &Ctx) -> Option<String> {
        let name = |id: &Option<String>| {
            let id = id.as_deref()?;
            self.groups
                .iter()
                .find(|g| g.id == id)
                .map(|g| g.name.get(ctx.lang).to_string())
        };
        let gap = finite(self.best_minus_worst)?;
        let i = &self.indicator;
        let gap = i.unit.format_change(gap, i.decimals, ctx.lang, ctx.strings);
        Some(ctx.tf(
            Msg::GapsBestWorst,
            &[
                ("best", &name(&self.best)?),
                ("worst", &name(&self.worst)?),
                ("gap", gap.trim_start_matches('+')),
            ],
        ))
    }
}

/// Notes under the data table: the overall value, the test of two groups, the gap
/// between the best and the worst group.
pub(crate) fn table_notes(d: &GapsData, ctx: &Ctx) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(o) = finite(d.overall) {
        notes.push(format!(
            "{}: {}",
            d.overall_label(ctx),
            d.indicator.format(o, ctx.lang, ctx.strings)
        ));
    }
    notes.extend(d.test_text(ctx));
    notes.extend(d.best_worst_text(ctx));
    notes
}

pub(crate) fn layout(d: &GapsData, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let pad = ctx.pad();
    let gap = ctx.gap();
    let full = Rect::new(pad, pad, ctx.w - 2.0 * pad, ctx.h - 2.0 * pad);
    let title = opt_text(d.title.as_ref(), lang)
        .unwrap_or_else(|| ctx.tf(Msg::GapsTitle, &[("indicator", d.indicator.name(lang))]));
    let mut sub = Vec::new();
    if let Some(p) = opt_text(d.population.as_ref(), lang) {
        sub.push(p);
    }
    if let Some(y) = d.year {
        sub.push(format_academic_year(y));
    }
    let subtitle = opt_text(d.subtitle.as_ref(), lang).unwrap_or_else(|| sub.join(" · "));
    let mut top = ctx.header(full, &title, &subtitle);
    // The test on a line of its own (wrapped, not cut off at the subtitle's end).
    if let Some(t) = d.test_text(ctx) {
        top = ctx.sentence_lines(full, top, &t, 3) + gap / 2.0;
    }
    let rows: Vec<(usize, f64)> = d
        .groups
        .iter()
        .enumerate()
        .filter_map(|(i, g)| d.value(g).map(|v| (i, v)))
        .collect();
    let stat = d.stat_name(ctx).to_string();
    // Best and worst are named on their rows in words, after the value.
    let role = |g: &GapGroup| {
        if d.best.as_deref() == Some(g.id.as_str()) {
            Some((Msg::GapsBest, Msg::GapsBestShort))
        } else if d.worst.as_deref() == Some(g.id.as_str()) {
            Some((Msg::GapsWorst, Msg::GapsWorstShort))
        } else {
            None
        }
    };
    let role_text = |ctx: &Ctx, g: &GapGroup| role(g).map(|(_, short)| ctx.t(short).to_string());
    let mut foot = vec![ctx.t(Msg::GapsLegend).to_string()];
    let n: u32 = d.groups.iter().map(|g| g.n).sum();
    foot.push(ctx.tf(Msg::NEquals, &[("n", &n.to_string())]));
    let bottom_y = ctx.footer(full, &foot.join(" · "));
    if rows.is_empty() {
        ctx.message(
            Rect::new(full.x, top, full.w, bottom_y - top),
            ctx.t(Msg::NoData),
        );
        return;
    }
    let fp = ctx.px(Font::Label);
    let lh = ctx.lh(fp);
    let tick_px = ctx.px(Font::Tick);
    let tick_lh = ctx.lh(tick_px);
    let axis_h = tick_lh + gap * 1.5;
    let ref_h = tick_lh + gap / 2.0;
    let rows_top = top + ref_h;
    let rows_h = bottom_y - axis_h - rows_top;
    if rows_h < lh || full.w < 60.0 {
        return;
    }
    let row_h = rows_h / rows.len() as f64;
    let unit = &d.indicator.unit;
    let ci = |g: &GapGroup| match (finite(g.ci_low), finite(g.ci_high)) {
        (Some(a), Some(b)) if a <= b && d.statistic == GapStatistic::Mean => Some((a, b)),
        _ => None,
    };
    let (lo, hi) = finite_extent(rows.iter().flat_map(|&(i, v)| {
        let c = d.groups.get(i).and_then(ci);
        [Some(v), c.map(|c| c.0), c.map(|c| c.1), finite(d.overall)]
            .into_iter()
            .flatten()
    }))
    .unwrap_or((0.0, 1.0));
    // Labels: the group's name over its n.
    let n_text = |ctx: &Ctx, g: &GapGroup| ctx.tf(Msg::NEquals, &[("n", &g.n.to_string())]);
    let label_w = rows
        .iter()
        .filter_map(|&(i, _)| d.groups.get(i))
        .map(|g| {
            ctx.width(g.name.get(lang), fp, true)
                .max(ctx.width(&n_text(ctx, g), tick_px, false))
        })
        .fold(0.0, f64::max)
        .min(full.w * 0.35)
        + gap;
    let value_w = rows
        .iter()
        .filter_map(|&(i, v)| d.groups.get(i).map(|g| (g, v)))
        .map(|(g, v)| {
            let value = ctx.width(&d.indicator.format(v, lang, ctx.strings), fp, true);
            let role = role_text(ctx, g).map_or(0.0, |r| ctx.width(&r, tick_px, false));
            value.max(role)
        })
        .fold(0.0, f64::max)
        .min(full.w * 0.35)
        + gap;
    let plot = Rect::new(
        full.x + label_w,
        rows_top,
        (full.w - label_w - value_w).max(10.0),
        rows_h,
    );
    let axis_opts = AxisOptions {
        zero_baseline: Some(false),
        ..AxisOptions::default()
    };
    let spacing = ctx.tick_label_width(
        &ctx.value_ticks(lo, hi, unit, &axis_opts, plot.w, 0.0),
        unit,
    ) + gap * 3.0;
    let ticks = ctx.value_ticks(lo, hi, unit, &axis_opts, plot.w, spacing);
    let xmap = LinearMap::new(ticks.min, ticks.max, plot.x, plot.right());
    ctx.value_axis_bottom(plot, &ticks, &xmap, unit);
    // The overall reference: a dashed line over every row, labelled above.
    let overall_label = d.overall_label(ctx).to_string();
    if let Some(o) = finite(d.overall) {
        let x = xmap.to_px_clamped(o);
        ctx.line(
            Point::new(x, plot.y),
            Point::new(x, plot.bottom()),
            Stroke::dashed(ctx.theme.median, ctx.lw(1.5), 5.0 * ctx.ts, 3.0 * ctx.ts),
        );
        let text = format!(
            "{overall_label}: {}",
            d.indicator.format(o, lang, ctx.strings)
        );
        let text = ellipsize(ctx.m, &text, tick_px, false, full.w).into_owned();
        let half = ctx.width(&text, tick_px, false) / 2.0;
        let tx = x.clamp(full.x + half, full.right() - half);
        ctx.text(
            &text,
            Point::new(tx, top + tick_lh / 2.0),
            tick_px,
            false,
            ctx.theme.text_muted,
            Align::Middle,
        );
    }
    let unit_str = unit.label(lang, ctx.strings);
    let mut lane = Vec::new();
    for (row, &(i, v)) in rows.iter().enumerate() {
        let Some(g) = d.groups.get(i) else { continue };
        let cy = plot.y + row_h * (row as f64 + 0.5);
        let name = g.name.get(lang).to_string();
        let short = ellipsize(ctx.m, &name, fp, true, label_w - gap).into_owned();
        let two_lines = row_h >= lh + tick_lh;
        let name_y = if two_lines { cy - tick_lh / 2.0 } else { cy };
        ctx.text(
            &short,
            Point::new(full.x, name_y),
            fp,
            true,
            ctx.theme.text,
            Align::Start,
        );
        if two_lines {
            let nt = n_text(ctx, g);
            ctx.text(
                &nt,
                Point::new(full.x, cy + lh / 2.0),
                tick_px,
                false,
                ctx.theme.text_muted,
                Align::Start,
            );
        }
        let stroke = Stroke::solid(ctx.theme.accent, ctx.lw(2.0));
        let cap = (row_h * 0.2).clamp(3.0, 8.0 * ctx.ts);
        let interval = ci(g);
        if let Some((a, b)) = interval {
            let (xa, xb) = (xmap.to_px_clamped(a), xmap.to_px_clamped(b));
            ctx.line(Point::new(xa, cy), Point::new(xb, cy), stroke);
            for x in [xa, xb] {
                ctx.line(Point::new(x, cy - cap), Point::new(x, cy + cap), stroke);
            }
        }
        let x = xmap.to_px_clamped(v);
        let centre = Point::new(x, cy);
        ctx.circle(
            centre,
            5.0 * ctx.ts,
            Some(ctx.theme.accent),
            Some(Stroke::solid(ctx.theme.background, ctx.lw(1.0))),
        );
        let value_text = d.indicator.format(v, lang, ctx.strings);
        // The value, and under it (or after it, in a low row) "best" or "worst".
        let role_mark = role_text(ctx, g);
        let inline = match (&role_mark, two_lines) {
            (Some(r), false) => format!("{value_text} · {r}"),
            _ => value_text.clone(),
        };
        let value_room = full.right() - plot.right() - gap + 0.5;
        ctx.fit_text(
            &inline,
            Point::new(plot.right() + gap, name_y),
            fp,
            true,
            ctx.theme.text,
            Align::Start,
            value_room,
        );
        if let (Some(r), true) = (&role_mark, two_lines) {
            ctx.fit_text(
                r,
                Point::new(plot.right() + gap, cy + lh / 2.0),
                tick_px,
                false,
                ctx.theme.text_muted,
                Align::Start,
                value_room,
            );
        }
        let mut details = Vec::new();
        if let Some((a, b)) = interval {
            details.push((
                ctx.t(Msg::GapsCi).to_string(),
                format!(
                    "{}–{}",
                    d.indicator.format(a, lang, ctx.strings),
                    d.indicator.format(b, lang, ctx.strings)
                ),
            ));
        }
        if let (Some(o), true) = (finite(d.overall), d.groups.len() > 1) {
            details.push((
                ctx.tf(Msg::GapsVsOverall, &[("statistic", &stat)]),
                unit.format_change(v - o, d.indicator.decimals, lang, ctx.strings),
            ));
        }
        let role = role(g).map(|r| r.0);
        let id = ctx.hits.add_point(
            DataPoint {
                id: format!("group:{}", g.id),
                label: name,
                series: Some(stat.clone()),
                value: Some(v),
                value_text,
                unit: unit_str.clone(),
                year: d.year,
                n: Some(g.n),
                details,
                note: role.map(|m| ctx.t(m).to_string()),
                ..Default::default()
            },
            centre,
        );
        ctx.hits.add_region(
            id,
            HitShape::Rect(Rect::new(full.x, cy - row_h / 2.0, full.w, row_h)),
        );
        lane.push(id);
    }
    ctx.hits.lanes = vec![lane];
    ctx.hits.lane_axis = LaneAxis::Vertical;
}

/// The data table of a `gaps` chart: one row per group (the row header) with its mean or
/// median, the 95% confidence interval of the mean, the difference from the overall value,
/// its n and whether it is the best or worst group.
pub(crate) fn table(
    hits: &crate::hit::HitMap,
    lang: kpi_model::i18n::Lang,
    strings: &crate::strings::ChartStrings,
) -> super::table::TableModel {
    use super::table::{pivot, Pivot, RowBy};
    let value_header = hits
        .points
        .first()
        .and_then(|p| p.series.clone())
        .unwrap_or_else(|| strings.get(Msg::Value, lang).to_string());
    let spec = Pivot {
        rows: RowBy::Label,
        row_header: Msg::Group,
        value_header,
        series_columns: false,
    };
    pivot(hits, &spec, lang, strings)
}
