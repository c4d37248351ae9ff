//! `distribution`: the peer group's values as a box plot (small groups) or a histogram
//! (large groups), with the unit's position marked and n shown.

use super::opt_text;
use crate::geom::{LinearMap, Point, Rect};
use crate::hit::{DataPoint, HitShape, LaneAxis};
use crate::layout::{Ctx, Font, LegendItem, Swatch};
use crate::scene::{Align, Stroke};
use crate::spec::{finite, AxisOptions, IndicatorInfo, Text, UnitText, ValueUnit};
use crate::strings::Msg;
use crate::ticks::{nice_ticks, TickRequest};
use kpi_model::i18n::{format_academic_year, format_number};
use kpi_model::{Direction, Year};
use kpi_stats::order::{percentile_rank_sorted, quantile_sorted, sorted_finite};
use serde::{Deserialize, Serialize};

/// Box plot, histogram, or the one that suits the group size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DistributionMode {
    /// A histogram from [`DistributionData::HISTOGRAM_FROM`] values on, else a box plot.
    #[default]
    Auto,
    /// Box plot (Tukey whiskers at 1.5 IQR, outliers as dots).
    BoxPlot,
    /// Histogram with round bin edges.
    Histogram,
}

/// Input of the `distribution` chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DistributionData {
    /// The indicator.
    pub indicator: IndicatorInfo,
    /// Academic year.
    pub year: Option<Year>,
    /// The peer group's values (non-finite values are ignored and counted as not computable).
    pub values: Vec<f64>,
    /// The unit's value.
    pub unit_value: Option<f64>,
    /// Name of the unit.
    pub unit_name: Text,
    /// Organisation id of the unit.
    pub org: Option<String>,
    /// Programme code of the unit.
    pub programme: Option<String>,
    /// Box plot or histogram.
    pub mode: DistributionMode,
    /// Number of histogram bins wanted (default by n; edges are rounded).
    pub bins: Option<usize>,
    /// What the peer group is.
    pub peer_group: Option<Text>,
    /// Axis scaling (zero baseline by default for rates and counts).
    pub axis: AxisOptions,
    /// Title (default: the indicator's name).
    pub title: Option<Text>,
    /// Subtitle (default: peer group and year).
    pub subtitle: Option<Text>,
}

impl DistributionData {
    /// Group size from which [`DistributionMode::Auto`] draws a histogram.
    pub const HISTOGRAM_FROM: usize = 40;
}

/// Five-number summary with Tukey whiskers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct BoxStats {
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    pub whisker_lo: f64,
    pub whisker_hi: f64,
    pub min: f64,
    pub max: f64,
}

pub(crate) fn box_stats(sorted: &[f64]) -> Option<BoxStats> {
    let q1 = quantile_sorted(sorted, 0.25)?;
    let median = quantile_sorted(sorted, 0.5)?;
    let q3 = quantile_sorted(sorted, 0.75)?;
    let iqr = q3 - q1;
    let (lo_fence, hi_fence) = (q1 - 1.5 * iqr, q3 + 1.5 * iqr);
    let whisker_lo = sorted
        .iter()
        .copied()
        .find(|v| *v >= lo_fence)
        .unwrap_or(q1);
    let whisker_hi = sorted
        .iter()
        .rev()
        .copied()
        .find(|v| *v <= hi_fence)
        .unwrap_or(q3);
    Some(BoxStats {
        q1,
        median,
        q3,
        whisker_lo,
        whisker_hi,
        min: *sorted.first()?,
        max: *sorted.last()?,
    })
}

/// Counts per bin `[edges[i], edges[i+1])`, the last bin closed.
pub(crate) fn histogram(sorted: &[f64], edges: &[f64]) -> Vec<usize> {
    let bins = edges.len().saturating_sub(1);
    let mut counts = vec![0usize; bins];
    for &v in sorted {
        let i = edges
            .partition_point(|e| *e <= v)
            .saturating_sub(1)
            .min(bins.saturating_sub(1));
        if let Some(c) = counts.get_mut(i) {
            *c += 1;
        }
    }
    counts
}

pub(crate) fn layout(d: &DistributionData, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let pad = ctx.pad();
    let gap = ctx.gap();
    let full = Rect::new(pad, pad, ctx.w - 2.0 * pad, ctx.h - 2.0 * pad);
    let title =
        opt_text(d.title.as_ref(), lang).unwrap_or_else(|| d.indicator.name(lang).to_string());
    let mut sub = Vec::new();
    if let Some(g) = opt_text(d.peer_group.as_ref(), lang) {
        sub.push(g);
    }
    if let Some(y) = d.year {
        sub.push(format_academic_year(y));
    }
    let subtitle = opt_text(d.subtitle.as_ref(), lang).unwrap_or_else(|| sub.join(" · "));
    let top = ctx.header(full, &title, &subtitle);
    let sorted = sorted_finite(d.values.iter().copied());
    let n = sorted.len();
    let missing = d.values.len() - n;
    let unit_value = finite(d.unit_value);
    let unit_name = d.unit_name.get(lang).to_string();
    let mut foot = vec![ctx.tf(Msg::NEquals, &[("n", &n.to_string())])];
    if missing > 0 {
        foot.push(format!("{}: {missing}", ctx.t(Msg::NotComputable)));
    }
    if let (Some(v), false) = (unit_value, sorted.is_empty()) {
        if let Some(p) = percentile_rank_sorted(&sorted, v) {
            let p = in_direction(p, v, &sorted, &d.indicator.direction);
            foot.push(ctx.tf(
                Msg::PercentileOf,
                &[("p", &format_number(p, 0, lang)), ("n", &n.to_string())],
            ));
        }
    }
    let Some(stats) = box_stats(&sorted) else {
        let bottom = ctx.footer(full, &foot.join(" · "));
        ctx.message(
            Rect::new(full.x, top, full.w, bottom - top),
            ctx.t(Msg::NoData),
        );
        return;
    };
    let histogram_mode = match d.mode {
        DistributionMode::Histogram => true,
        DistributionMode::BoxPlot => false,
        DistributionMode::Auto => n >= DistributionData::HISTOGRAM_FROM,
    };
    let mut legend = Vec::new();
    if unit_value.is_some() {
        let label = if unit_name.is_empty() {
            ctx.t(Msg::Value).to_string()
        } else {
            unit_name.clone()
        };
        legend.push(LegendItem {
            swatch: Swatch::Line(ctx.theme.accent),
            label,
        });
    }
    legend.push(LegendItem {
        swatch: Swatch::Dashed(ctx.theme.median),
        label: ctx.t(Msg::PeerMedian).to_string(),
    });
    let top = ctx.legend(Rect::new(full.x, top, full.w, full.bottom() - top), &legend);
    let bottom = ctx.footer(full, &foot.join(" · "));

    let unit = &d.indicator.unit;
    let tick_px = ctx.px(Font::Tick);
    let tick_lh = ctx.lh(tick_px);
    let axis_h = tick_lh + gap * 1.5;
    let lo = stats.min.min(unit_value.unwrap_or(stats.min));
    let hi = stats.max.max(unit_value.unwrap_or(stats.max));
    let probe = ctx.value_ticks(lo, hi, unit, &d.axis, full.w, 0.0);
    let spacing = ctx.tick_label_width(&probe, unit) + gap * 3.0;

    let mut lane = Vec::new();
    let unit_str = unit.label(lang, ctx.strings);
    if histogram_mode {
        // Count axis on the left; its labels are whole numbers.
        let count_probe = nice_ticks(&TickRequest {
            zero_baseline: true,
            min_step: Some(1.0),
            ..TickRequest::new(0.0, n as f64, 6)
        });
        let count_w = ctx.tick_label_width(&count_probe, &ValueUnit::Count) + gap;
        let unit_row = tick_lh * 1.5 + gap;
        let plot = Rect::new(
            full.x + count_w,
            top + unit_row,
            full.w - count_w - gap,
            bottom - axis_h - top - unit_row,
        );
        if plot.h < tick_lh * 3.0 || plot.w < 40.0 {
            return;
        }
        let wanted = d
            .bins
            .unwrap_or_else(|| ((n as f64).sqrt().ceil() as usize).clamp(5, 30))
            .clamp(1, 200);
        let max_bins = (plot.w / 4.0).floor().max(1.0) as usize;
        let edges_ticks = nice_ticks(&TickRequest {
            zero_baseline: d
                .axis
                .zero_baseline
                .unwrap_or_else(|| unit.starts_at_zero()),
            min_step: None,
            soft_max: unit.is_percent().then_some(100.0),
            fixed_min: d.axis.min,
            fixed_max: d.axis.max,
            ..TickRequest::new(lo, hi, wanted.min(max_bins) + 1)
        });
        let edges = edges_ticks.values.clone();
        let counts = histogram(&sorted, &edges);
        let max_count = counts.iter().copied().max().unwrap_or(0);
        let yt = nice_ticks(&TickRequest {
            zero_baseline: true,
            min_step: Some(1.0),
            ..TickRequest::new(
                0.0,
                max_count.max(1) as f64,
                ((plot.h / (tick_lh * 2.0)).floor() as usize + 1).clamp(2, 8),
            )
        });
        let ymap = LinearMap::new(yt.min, yt.max, plot.bottom(), plot.y);
        let xmap = LinearMap::new(edges_ticks.min, edges_ticks.max, plot.x, plot.right());
        // The value axis first: its zero must not give way to the count axis's zero.
        let xt = ctx.value_ticks(
            edges_ticks.min,
            edges_ticks.max,
            unit,
            &AxisOptions {
                min: Some(edges_ticks.min),
                max: Some(edges_ticks.max),
                ..d.axis
            },
            plot.w,
            spacing,
        );
        let xt_map = LinearMap::new(xt.min, xt.max, plot.x, plot.right());
        axis_labels_bottom(ctx, plot, &xt, &xt_map, unit);
        ctx.value_axis_left(plot, &yt, &ymap, &ValueUnit::Count);
        ctx.fit_text(
            ctx.t(Msg::OrganisationsCount),
            Point::new(full.x, top + tick_lh / 2.0),
            tick_px,
            false,
            ctx.theme.text_muted,
            Align::Start,
            full.w,
        );
        for (i, &count) in counts.iter().enumerate() {
            let (Some(&a), Some(&b)) = (edges.get(i), edges.get(i + 1)) else {
                continue;
            };
            let (xa, xb) = (xmap.to_px(a), xmap.to_px(b));
            let y = ymap.to_px(count as f64);
            let contains_unit =
                unit_value.is_some_and(|v| v >= a && (v < b || (i + 1 == counts.len() && v <= b)));
            if count > 0 {
                let color = if contains_unit {
                    ctx.theme.accent
                } else {
                    ctx.theme.peer
                };
                ctx.rect(
                    Rect::new(xa + 0.5, y, (xb - xa - 1.0).max(0.5), plot.bottom() - y),
                    color,
                );
            }
            let range = format!(
                "{} – {}",
                unit.format(a, None, lang, ctx.strings),
                unit.format(b, None, lang, ctx.strings)
            );
            let id = ctx.hits.add_point(
                DataPoint {
                    id: format!("bin:{i}"),
                    label: range,
                    series: Some(ctx.t(Msg::OrganisationsCount).to_string()),
                    value: Some(count as f64),
                    value_text: format_number(count as f64, 0, lang),
                    year: d.year,
                    n: Some(n as u32),
                    ..Default::default()
                },
                Point::new((xa + xb) / 2.0, y),
            );
            ctx.hits
                .add_region(id, HitShape::Rect(Rect::new(xa, plot.y, xb - xa, plot.h)));
            lane.push(id);
        }
        let med_x = xmap.to_px_clamped(stats.median);
        ctx.line(
            Point::new(med_x, plot.y),
            Point::new(med_x, plot.bottom()),
            Stroke::dashed(ctx.theme.median, ctx.lw(1.5), 5.0 * ctx.ts, 3.0 * ctx.ts),
        );
        if let Some(v) = unit_value {
            let x = xmap.to_px_clamped(v);
            ctx.line(
                Point::new(x, plot.y),
                Point::new(x, plot.bottom()),
                Stroke::solid(ctx.theme.accent, ctx.lw(2.5)),
            );
            let id = unit_point(ctx, d, v, n, &unit_str, Point::new(x, plot.y));
            ctx.hits.add_region(
                id,
                HitShape::Segment {
                    a: Point::new(x, plot.y),
                    b: Point::new(x, plot.bottom()),
                    tolerance: 4.0,
                },
            );
            lane.push(id);
            value_callout(ctx, d, v, Point::new(x, plot.y + tick_lh), plot);
        }
    } else {
        let plot = Rect::new(full.x + gap, top, full.w - 2.0 * gap, bottom - axis_h - top);
        if plot.h < tick_lh * 3.0 || plot.w < 40.0 {
            return;
        }
        let ticks = ctx.value_ticks(lo, hi, unit, &d.axis, plot.w, spacing);
        let xmap = LinearMap::new(ticks.min, ticks.max, plot.x, plot.right());
        ctx.value_axis_bottom(plot, &ticks, &xmap, unit);
        let cy = plot.y + plot.h * 0.55;
        let bh = (plot.h * 0.4).min(56.0 * ctx.ts);
        let px = |v: f64| xmap.to_px_clamped(v);
        let stroke = Stroke::solid(ctx.theme.median, ctx.lw(1.5));
        ctx.line(
            Point::new(px(stats.whisker_lo), cy),
            Point::new(px(stats.q1), cy),
            stroke,
        );
        ctx.line(
            Point::new(px(stats.q3), cy),
            Point::new(px(stats.whisker_hi), cy),
            stroke,
        );
        for w in [stats.whisker_lo, stats.whisker_hi] {
            ctx.line(
                Point::new(px(w), cy - bh / 4.0),
                Point::new(px(w), cy + bh / 4.0),
                stroke,
            );
        }
        let boxr = Rect::new(
            px(stats.q1),
            cy - bh / 2.0,
            (px(stats.q3) - px(stats.q1)).max(1.0),
            bh,
        );
        ctx.rect(boxr, ctx.theme.band);
        ctx.rect_outline(boxr, stroke);
        ctx.line(
            Point::new(px(stats.median), cy - bh / 2.0),
            Point::new(px(stats.median), cy + bh / 2.0),
            Stroke::solid(ctx.theme.median, ctx.lw(2.5)),
        );
        let fmt = |v: f64| d.indicator.format(v, lang, ctx.strings);
        let details = vec![
            (ctx.t(Msg::Minimum).to_string(), fmt(stats.min)),
            (ctx.t(Msg::Quartile1).to_string(), fmt(stats.q1)),
            (ctx.t(Msg::Quartile3).to_string(), fmt(stats.q3)),
            (ctx.t(Msg::Maximum).to_string(), fmt(stats.max)),
        ];
        let id = ctx.hits.add_point(
            DataPoint {
                id: "box".into(),
                series: Some(ctx.t(Msg::PeerMedian).to_string()),
                value: Some(stats.median),
                value_text: fmt(stats.median),
                unit: unit_str.clone(),
                year: d.year,
                n: Some(n as u32),
                details,
                ..Default::default()
            },
            Point::new(px(stats.median), cy - bh / 2.0),
        );
        ctx.hits.add_region(
            id,
            HitShape::Rect(Rect::new(
                px(stats.whisker_lo),
                cy - bh / 2.0,
                px(stats.whisker_hi) - px(stats.whisker_lo),
                bh,
            )),
        );
        lane.push(id);
        for (i, &v) in sorted
            .iter()
            .enumerate()
            .filter(|(_, v)| **v < stats.whisker_lo || **v > stats.whisker_hi)
        {
            let c = Point::new(px(v), cy);
            ctx.circle(
                c,
                3.0 * ctx.ts,
                None,
                Some(Stroke::solid(ctx.theme.text_muted, ctx.lw(1.2))),
            );
            let oid = ctx.hits.add_point(
                DataPoint {
                    id: format!("outlier:{i}"),
                    series: Some(ctx.t(Msg::Outlier).to_string()),
                    value: Some(v),
                    value_text: fmt(v),
                    unit: unit_str.clone(),
                    year: d.year,
                    ..Default::default()
                },
                c,
            );
            ctx.hits.add_region(
                oid,
                HitShape::Circle {
                    center: c,
                    radius: 5.0,
                },
            );
            lane.push(oid);
        }
        if let Some(v) = unit_value {
            let x = px(v);
            ctx.line(
                Point::new(x, cy - bh / 2.0 - 6.0 * ctx.ts),
                Point::new(x, cy + bh / 2.0 + 6.0 * ctx.ts),
                Stroke::solid(ctx.theme.background, ctx.lw(5.0)),
            );
            ctx.line(
                Point::new(x, cy - bh / 2.0 - 6.0 * ctx.ts),
                Point::new(x, cy + bh / 2.0 + 6.0 * ctx.ts),
                Stroke::solid(ctx.theme.accent, ctx.lw(2.5)),
            );
            let c = Point::new(x, cy);
            ctx.circle(
                c,
                5.0 * ctx.ts,
                Some(ctx.theme.accent),
                Some(Stroke::solid(ctx.theme.background, ctx.lw(1.5))),
            );
            let id = unit_point(ctx, d, v, n, &unit_str, c);
            ctx.hits.add_region(
                id,
                HitShape::Circle {
                    center: c,
                    radius: 8.0,
                },
            );
            lane.push(id);
            value_callout(
                ctx,
                d,
                v,
                Point::new(x, cy - bh / 2.0 - 6.0 * ctx.ts - tick_lh),
                plot,
            );
        }
    }
    ctx.hits.lanes = vec![lane];
    ctx.hits.lane_axis = LaneAxis::Horizontal;
}

/// Percentile rank turned so that 100 is best by the direction.
fn in_direction(p: f64, v: f64, sorted: &[f64], direction: &Direction) -> f64 {
    match direction {
        Direction::Higher => p,
        Direction::Lower => 100.0 - p,
        Direction::Target { .. } => {
            let goodness = sorted_finite(sorted.iter().map(|x| direction.goodness(*x)));
            percentile_rank_sorted(&goodness, direction.goodness(v)).unwrap_or(p)
        }
    }
}

fn unit_point(
    ctx: &mut Ctx,
    d: &DistributionData,
    v: f64,
    n: usize,
    unit_str: &str,
    anchor: Point,
) -> usize {
    let lang = ctx.lang;
    // The unit's percentile in the group, in the indicator's direction (100 best).
    let sorted = sorted_finite(d.values.iter().copied());
    let details = percentile_rank_sorted(&sorted, v)
        .map(|p| in_direction(p, v, &sorted, &d.indicator.direction))
        .map(|p| {
            vec![(
                ctx.t(Msg::PeerPercentile).to_string(),
                format_number(p, 0, lang),
            )]
        })
        .unwrap_or_default();
    ctx.hits.add_point(
        DataPoint {
            id: "unit".into(),
            org: d.org.clone(),
            programme: d.programme.clone(),
            label: d.unit_name.get(lang).to_string(),
            value: Some(v),
            value_text: d.indicator.format(v, lang, ctx.strings),
            unit: unit_str.to_string(),
            year: d.year,
            n: Some(n as u32),
            details,
            selectable: d.org.is_some() || d.programme.is_some(),
            ..Default::default()
        },
        anchor,
    )
}

/// The unit's value next to its marker, on whichever side has room.
fn value_callout(ctx: &mut Ctx, d: &DistributionData, v: f64, at: Point, plot: Rect) {
    let fp = ctx.px(Font::Label);
    let text = d.indicator.format(v, ctx.lang, ctx.strings);
    let gap = ctx.gap();
    let w = ctx.width(&text, fp, true);
    let (x, align) = if at.x + gap + w <= plot.right() {
        (at.x + gap, Align::Start)
    } else {
        (at.x - gap, Align::End)
    };
    let y = at.y.max(plot.y + ctx.lh(fp) / 2.0);
    let b = ctx.text_bounds(&text, Point::new(x, y), fp, true, align);
    if ctx.is_free(&b) {
        ctx.rect(b.expand(2.0), ctx.theme.background.with_alpha(0.85));
        ctx.text(&text, Point::new(x, y), fp, true, ctx.theme.text, align);
    }
}

/// Tick labels under a plot without grid lines (the histogram draws its own bars).
fn axis_labels_bottom(
    ctx: &mut Ctx,
    plot: Rect,
    ticks: &crate::ticks::Ticks,
    map: &LinearMap,
    unit: &ValueUnit,
) {
    let fp = ctx.px(Font::Tick);
    let lh = ctx.lh(fp);
    ctx.line(
        Point::new(plot.x, plot.bottom()),
        Point::new(plot.right(), plot.bottom()),
        Stroke::solid(ctx.theme.axis, ctx.lw(1.0)),
    );
    for &v in &ticks.values {
        let x = map.to_px(v);
        if !x.is_finite() || x < plot.x - 0.5 || x > plot.right() + 0.5 {
            continue;
        }
        ctx.line(
            Point::new(x, plot.bottom()),
            Point::new(x, plot.bottom() + ctx.gap() * 0.6),
            Stroke::solid(ctx.theme.axis, ctx.lw(1.0)),
        );
        let label = unit.format_tick(v, ticks.step, ctx.lang);
        ctx.text(
            &label,
            Point::new(x, plot.bottom() + ctx.gap() + lh / 2.0),
            fp,
            false,
            ctx.theme.text_muted,
            Align::Middle,
        );
    }
}

/// The data table of a `distribution`: as a box plot, one row per summary statistic
/// (minimum, Q1, median, Q3, maximum, outliers) then the unit's value and its percentile
/// in the group; as a histogram, one row per value range with its count of
/// organisations, then the unit's value and percentile. The group size is a note.
pub(crate) fn table(
    hits: &crate::hit::HitMap,
    lang: kpi_model::i18n::Lang,
    strings: &crate::strings::ChartStrings,
) -> super::table::TableModel {
    use super::table::{pivot_where, Pivot, RowBy, TableModel};
    let t = |m: Msg| strings.get(m, lang).to_string();
    let histogram = hits.points.iter().any(|p| p.id.starts_with("bin:"));
    if histogram {
        let spec = Pivot {
            rows: RowBy::Label,
            row_header: Msg::ValueRange,
            value_header: t(Msg::OrganisationsCount),
            series_columns: false,
        };
        let unit = hits.points.iter().find(|p| p.id == "unit");
        let mut m = pivot_where(hits, &|p| p.id != "unit", &spec, lang, strings);
        m.constant_to_note("n");
        // The unit's value and percentile, under the bins.
        if let Some(u) = unit {
            let mut note = format!("{}: {}", u.label, u.value_text);
            for (k, v) in &u.details {
                note.push_str(&format!("; {k}: {v}"));
            }
            m.notes.insert(0, note);
        }
        return m;
    }
    let mut m = TableModel {
        keys: vec!["statistic".into(), "value".into()],
        headers: vec![t(Msg::Statistic), t(Msg::Value)],
        numeric: vec![false, true],
        row_header: Some(0),
        ..Default::default()
    };
    let push = |m: &mut TableModel, name: String, text: String, exact: Option<f64>| {
        if !text.is_empty() {
            m.rows.push(vec![name, text]);
            m.values.push(vec![None, exact]);
        }
    };
    let mut n = None;
    if let Some(b) = hits.points.iter().find(|p| p.id == "box") {
        n = b.n;
        let detail = |k: Msg| {
            b.details
                .iter()
                .find(|(h, _)| *h == t(k))
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        push(&mut m, t(Msg::Minimum), detail(Msg::Minimum), None);
        push(&mut m, t(Msg::Quartile1), detail(Msg::Quartile1), None);
        push(&mut m, t(Msg::PeerMedian), b.value_text.clone(), b.value);
        push(&mut m, t(Msg::Quartile3), detail(Msg::Quartile3), None);
        push(&mut m, t(Msg::Maximum), detail(Msg::Maximum), None);
    }
    let outliers: Vec<String> = hits
        .points
        .iter()
        .filter(|p| p.id.starts_with("outlier:"))
        .map(|p| p.into_owned().value_text)
        .collect();
    push(&mut m, t(Msg::Outlier), outliers.join("; "), None);
    if let Some(u) = hits.points.iter().find(|p| p.id == "unit") {
        n = n.or(u.n);
        push(&mut m, u.label.clone(), u.value_text.clone(), u.value);
        for (k, v) in &u.details {
            push(&mut m, k.clone(), v.clone(), None);
        }
    }
    if let Some(n) = n {
        m.notes.push(format!("n = {n}"));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_stats_match_numpy_and_tukey() {
        // numpy.quantile([1,2,3,4,5,6,7,8,9,40], [.25,.5,.75]) → [3.25, 5.5, 7.75];
        // IQR 4.5, upper fence 7.75 + 6.75 = 14.5 → whisker at 9, 40 is an outlier.
        let v = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 40.0];
        let s = box_stats(&v).unwrap();
        assert_eq!((s.q1, s.median, s.q3), (3.25, 5.5, 7.75));
        assert_eq!((s.whisker_lo, s.whisker_hi), (1.0, 9.0));
        assert_eq!(s.max, 40.0);
        assert!(box_stats(&[]).is_none());
    }

    #[test]
    fn histogram_bins_are_half_open_and_last_closed() {
        // Edges 0,10,20: 0,5 → bin 0; 10,15 → bin 1; 20 (the top edge) → bin 1.
        let counts = histogram(&[0.0, 5.0, 10.0, 15.0, 20.0], &[0.0, 10.0, 20.0]);
        assert_eq!(counts, vec![2, 3]);
        assert!(histogram(&[1.0], &[0.0]).is_empty());
    }

    #[test]
    fn percentile_in_direction() {
        let v = [10.0, 20.0, 30.0, 40.0];
        // 30: below 2, equal 1 → 100 × 2.5 / 4 = 62.5; lower is better → 37.5.
        assert_eq!(in_direction(62.5, 30.0, &v, &Direction::Higher), 62.5);
        assert_eq!(in_direction(62.5, 30.0, &v, &Direction::Lower), 37.5);
    }
}
