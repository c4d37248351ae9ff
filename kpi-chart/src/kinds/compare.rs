//! `compare`: ranked horizontal bars of a peer group for one indicator and year, the unit
//! highlighted, the median line, optionally only the top and bottom N (the unit always
//! stays visible), and n.

use super::opt_text;
use crate::geom::{LinearMap, Point, Rect};
use crate::hit::{DataPoint, HitShape, LaneAxis};
use crate::layout::{finite_extent, Ctx, Font};
use crate::scene::{Align, Stroke};
use crate::spec::{finite, AxisOptions, IndicatorInfo, Text, UnitText};
use crate::strings::Msg;
use kpi_model::i18n::{format_academic_year, format_number};
use kpi_model::{Direction, Year};
use kpi_stats::order::{median_sorted, sorted_finite};
use serde::{Deserialize, Serialize};

/// Input of the `compare` chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompareData {
    /// The indicator.
    pub indicator: IndicatorInfo,
    /// The academic year compared.
    pub year: Option<Year>,
    /// One bar per unit of the peer group, in any order (the chart ranks them).
    pub bars: Vec<CompareBar>,
    /// The peer median; computed from the bars when absent.
    pub median: Option<f64>,
    /// Show only the best `top` …
    pub top: Option<usize>,
    /// … and the worst `bottom` units (plus every highlighted unit).
    pub bottom: Option<usize>,
    /// What the peer group is (`Colleges of Almaty region`), shown in the subtitle.
    pub peer_group: Option<Text>,
    /// Axis scaling; bars always start at zero.
    pub axis: AxisOptions,
    /// Title (default: the indicator's name).
    pub title: Option<Text>,
    /// Subtitle (default: peer group and year).
    pub subtitle: Option<Text>,
}

/// One unit of the peer group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompareBar {
    /// Identifier, unique in the chart (usually the organisation id).
    pub id: String,
    /// Organisation id (for `kpi-select`).
    pub org: Option<String>,
    /// Programme code, when the unit is a programme.
    pub programme: Option<String>,
    /// Full name.
    pub name: Text,
    /// The value; `None` when not computable.
    pub value: Option<f64>,
    /// Why the value is not computable.
    pub reason: Option<Text>,
    /// Data warnings.
    pub warnings: Vec<String>,
    /// Whether this is the unit the chart is about.
    pub highlight: bool,
    /// For a rate: its 95% Wilson interval and whether it lies wholly better or worse
    /// than the peer median (drawn as a whisker and a `+`/`−` mark, said in words).
    pub significance: Option<BarSignificance>,
}

/// A rate's 95% Wilson interval, in the indicator's unit, and its verdict against the
/// peer median (docs/methods.md, Rate significance).
///
/// ```
/// use kpi_chart::{BarSignificance, Significance};
/// let s: BarSignificance =
///     serde_json::from_str(r#"{"lower":73.9,"upper":85.0,"verdict":"better"}"#).unwrap();
/// assert_eq!(s.verdict, Significance::Better);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BarSignificance {
    /// Lower end of the 95% Wilson interval.
    pub lower: f64,
    /// Upper end.
    pub upper: f64,
    /// Better, worse or not significantly different from the peer median, by direction.
    pub verdict: Significance,
}

/// Where a rate's interval lies against the peer median, by the indicator's direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Significance {
    /// The whole interval is better than the peer median.
    Better,
    /// The whole interval is worse.
    Worse,
    /// The interval reaches the peer median.
    #[default]
    NotSignificant,
}

impl Significance {
    /// The mark after the value label (never colour alone) and its sentence.
    fn mark(self) -> (&'static str, Msg) {
        match self {
            Significance::Better => ("+", Msg::SigBetter),
            Significance::Worse => ("−", Msg::SigWorse),
            Significance::NotSignificant => ("", Msg::SigNot),
        }
    }
}

/// A ranked bar: index into the input, value, rank (1 = best, ties share the smallest).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Ranked {
    pub index: usize,
    pub value: f64,
    pub rank: usize,
}

/// Ranks finite values best first by `direction`; ties share the smallest rank and keep
/// input order.
pub(crate) fn rank(values: &[Option<f64>], direction: &Direction) -> Vec<Ranked> {
    let mut ranked: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| Some((i, finite(*v)?)))
        .collect();
    super::sort_by(&mut ranked, |a, b| {
        direction
            .goodness(b.1)
            .total_cmp(&direction.goodness(a.1))
            .then(a.0.cmp(&b.0))
    });
    let mut out = Vec::with_capacity(ranked.len());
    let mut rank = 0;
    let mut prev: Option<f64> = None;
    for (pos, (index, value)) in ranked.into_iter().enumerate() {
        let g = direction.goodness(value);
        if prev != Some(g) {
            rank = pos + 1;
            prev = Some(g);
        }
        out.push(Ranked { index, value, rank });
    }
    out
}

/// A row of the chart: a ranked bar or a "… k more" separator.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Row {
    Bar(Ranked),
    Gap(usize),
}

fn rows_to_show(
    ranked: &[Ranked],
    bars: &[CompareBar],
    top: Option<usize>,
    bottom: Option<usize>,
) -> Vec<Row> {
    let n = ranked.len();
    let (top, bottom) = match (top, bottom) {
        (None, None) => return ranked.iter().copied().map(Row::Bar).collect(),
        (t, b) => (t.unwrap_or(0), b.unwrap_or(0)),
    };
    if top + bottom >= n {
        return ranked.iter().copied().map(Row::Bar).collect();
    }
    let keep = |pos: usize, r: &Ranked| {
        pos < top || pos >= n - bottom || bars.get(r.index).is_some_and(|b| b.highlight)
    };
    let mut rows = Vec::new();
    let mut hidden = 0;
    for (pos, r) in ranked.iter().enumerate() {
        if keep(pos, r) {
            if hidden > 0 {
                rows.push(Row::Gap(hidden));
                hidden = 0;
            }
            rows.push(Row::Bar(*r));
        } else {
            hidden += 1;
        }
    }
    if hidden > 0 {
        rows.push(Row::Gap(hidden));
    }
    rows
}

pub(crate) fn layout(d: &CompareData, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let pad = ctx.pad();
    let gap = ctx.gap();
    let full = Rect::new(pad, pad, ctx.w - 2.0 * pad, ctx.h - 2.0 * pad);
    let title =
        opt_text(d.title.as_ref(), lang).unwrap_or_else(|| d.indicator.name(lang).to_string());
    let mut sub_parts = Vec::new();
    if let Some(g) = opt_text(d.peer_group.as_ref(), lang) {
        sub_parts.push(g);
    }
    if let Some(y) = d.year {
        // A peer group named by the engine or a bundle already ends on its year.
        let year = format_academic_year(y);
        if !sub_parts.iter().any(|p| p.ends_with(&year)) {
            sub_parts.push(year);
        }
    }
    let subtitle = opt_text(d.subtitle.as_ref(), lang).unwrap_or_else(|| sub_parts.join(" · "));
    let top = ctx.header(full, &title, &subtitle);

    let values: Vec<Option<f64>> = d.bars.iter().map(|b| finite(b.value)).collect();
    let ranked = rank(&values, &d.indicator.direction);
    let n = ranked.len();
    let not_computable = d.bars.len() - n;
    let sorted = sorted_finite(ranked.iter().map(|r| r.value));
    let median = finite(d.median).or_else(|| median_sorted(&sorted));
    let rows = rows_to_show(&ranked, &d.bars, d.top, d.bottom);
    let truncated = rows.iter().any(|r| matches!(r, Row::Gap(_)));

    // Footer: n, what is shown, what is missing.
    let mut foot = vec![ctx.tf(Msg::NEquals, &[("n", &n.to_string())])];
    if truncated {
        foot.push(ctx.tf(
            Msg::ShowingTopBottom,
            &[
                ("top", &d.top.unwrap_or(0).to_string()),
                ("bottom", &d.bottom.unwrap_or(0).to_string()),
                ("n", &n.to_string()),
            ],
        ));
    }
    if not_computable > 0 {
        foot.push(format!("{}: {}", ctx.t(Msg::NotComputable), not_computable));
    }
    if d.bars.iter().any(|b| b.significance.is_some()) {
        foot.push(ctx.t(Msg::SigLegend).to_string());
    }
    let fp = ctx.px(Font::Label);
    let lh = ctx.lh(fp);
    let tick_px = ctx.px(Font::Tick);
    let tick_lh = ctx.lh(tick_px);
    let median_row = tick_lh + gap / 2.0;
    let axis_h = tick_lh + gap * 1.5;
    // Decide dense vs labelled before writing the footer (dense adds a note).
    let approx_rows_h =
        full.bottom() - top - median_row - axis_h - ctx.lh(ctx.px(Font::Note)) - gap;
    let dense = rows.is_empty() || approx_rows_h / (rows.len().max(1) as f64) < lh * 1.1;
    if dense && n > 0 {
        foot.push(ctx.t(Msg::EachBarOneOrg).to_string());
    }
    let bottom_y = ctx.footer(full, &foot.join(" · "));

    if n == 0 {
        ctx.message(
            Rect::new(full.x, top, full.w, bottom_y - top),
            ctx.t(Msg::NoData),
        );
        return;
    }

    let unit = &d.indicator.unit;
    let interval = |i: usize| {
        d.bars
            .get(i)
            .and_then(|b| b.significance)
            .filter(|s| s.lower.is_finite() && s.upper.is_finite() && s.lower <= s.upper)
    };
    let (lo, hi) = finite_extent(ranked.iter().flat_map(|r| {
        let s = interval(r.index);
        [Some(r.value), s.map(|s| s.lower), s.map(|s| s.upper)]
            .into_iter()
            .flatten()
    }))
    .unwrap_or((0.0, 1.0));
    let any_significance = ranked.iter().any(|r| interval(r.index).is_some());
    let axis_opts = AxisOptions {
        zero_baseline: Some(true),
        ..d.axis
    };
    let rows_top = top + median_row;
    let rows_h = bottom_y - axis_h - rows_top;
    if rows_h < lh || full.w < 60.0 {
        return;
    }
    let row_h = rows_h / rows.len().max(1) as f64;

    // Left column: rank and name (labelled mode only).
    let rank_w = ctx.width(&format!("{}.", n), tick_px, false);
    let label_col = if dense {
        0.0
    } else {
        let widest = rows
            .iter()
            .filter_map(|r| match r {
                Row::Bar(rk) => d
                    .bars
                    .get(rk.index)
                    .map(|b| ctx.width(b.name.get(lang), fp, b.highlight)),
                Row::Gap(_) => None,
            })
            .fold(0.0, f64::max);
        (rank_w + gap + widest + gap).min(full.w * 0.42)
    };
    // Space for value labels beside the bars.
    let value_w = if dense {
        0.0
    } else {
        ranked
            .iter()
            .map(|r| {
                ctx.width(
                    &format!("{} −", d.indicator.format(r.value, lang, ctx.strings)),
                    tick_px,
                    false,
                )
            })
            .fold(0.0, f64::max)
            + gap
    };
    let bars_x0 = full.x + label_col;
    let bars_w = full.w - label_col;
    let left_room = if lo < 0.0 { value_w } else { 0.0 };
    let right_room = if hi > 0.0 || lo >= 0.0 { value_w } else { 0.0 };
    let plot = Rect::new(
        bars_x0 + left_room,
        rows_top,
        (bars_w - left_room - right_room).max(10.0),
        rows_h,
    );
    let tick_spacing = ctx.tick_label_width(
        &ctx.value_ticks(lo, hi, unit, &axis_opts, plot.w, 0.0),
        unit,
    ) + gap * 3.0;
    let ticks = ctx.value_ticks(lo, hi, unit, &axis_opts, plot.w, tick_spacing);
    let xmap = LinearMap::new(ticks.min, ticks.max, plot.x, plot.right());
    if let Direction::Target { min, max } = d.indicator.direction {
        let (a, b) = (xmap.to_px_clamped(min), xmap.to_px_clamped(max));
        let band = Rect::new(a.min(b), plot.y, (b - a).abs(), plot.h);
        ctx.rect(band, ctx.theme.band);
        ctx.rect_outline(band, Stroke::solid(ctx.theme.peer, ctx.lw(1.0)));
    }
    ctx.value_axis_bottom(plot, &ticks, &xmap, unit);
    let x0 = xmap.to_px_clamped(0.0);

    let unit_str = unit.label(lang, ctx.strings);
    let make_point = |ctx: &Ctx, r: &Ranked, bar: &CompareBar| DataPoint {
        id: format!("bar:{}", bar.id),
        org: bar.org.clone(),
        programme: bar.programme.clone(),
        label: bar.name.get(lang).to_string(),
        value: Some(r.value),
        value_text: d.indicator.format(r.value, lang, ctx.strings),
        unit: unit_str.clone(),
        year: d.year,
        n: Some(n as u32),
        rank: Some(r.rank as u32),
        details: vec![(
            ctx.t(Msg::Rank).to_string(),
            ctx.tf(
                Msg::RankOf,
                &[("rank", &r.rank.to_string()), ("n", &n.to_string())],
            ),
        )],
        warnings: bar.warnings.clone(),
        selectable: bar.org.is_some() || bar.programme.is_some(),
        note: bar.significance.map(|s| {
            let range = format!(
                "{}–{}",
                d.indicator.format(s.lower, lang, ctx.strings),
                d.indicator.format(s.upper, lang, ctx.strings)
            );
            ctx.tf(s.verdict.mark().1, &[("interval", &range)])
        }),
        ..Default::default()
    };

    let mut lane = Vec::new();
    // Value labels go on top of the median line, each on a backing box.
    let mut value_labels = Vec::new();
    if dense {
        // Reduce before drawing: one polygon per sign, the bar ends per pixel row.
        let pixel_rows = plot.h.ceil().max(1.0) as usize;
        let mut pos_end: Vec<Option<f64>> = vec![None; pixel_rows];
        let mut neg_end: Vec<Option<f64>> = vec![None; pixel_rows];
        for (i, row) in rows.iter().enumerate() {
            let Row::Bar(r) = row else { continue };
            let first_px = ((i as f64 * row_h).floor() as usize).min(pixel_rows - 1);
            let last_px =
                ((((i + 1) as f64 * row_h).ceil() as usize).max(first_px + 1)).min(pixel_rows);
            let x = xmap.to_px_clamped(r.value);
            for px in first_px..last_px {
                if let Some(slot) = if r.value >= 0.0 {
                    pos_end.get_mut(px)
                } else {
                    neg_end.get_mut(px)
                } {
                    *slot = Some(match *slot {
                        None => x,
                        Some(e) if r.value >= 0.0 => e.max(x),
                        Some(e) => e.min(x),
                    });
                }
            }
        }
        for ends in [&pos_end, &neg_end] {
            let mut poly = Vec::new();
            for (px, e) in ends.iter().enumerate() {
                let y0 = plot.y + px as f64;
                let x = e.unwrap_or(x0);
                poly.push(Point::new(x, y0));
                poly.push(Point::new(x, (y0 + 1.0).min(plot.bottom())));
            }
            if ends.iter().any(|e| e.is_some()) {
                poly.push(Point::new(x0, plot.bottom()));
                poly.insert(0, Point::new(x0, plot.y));
                ctx.polygon(poly, ctx.theme.peer);
            }
        }
        for (i, row) in rows.iter().enumerate() {
            let Row::Bar(r) = row else { continue };
            let Some(bar) = d.bars.get(r.index) else {
                continue;
            };
            let y = plot.y + i as f64 * row_h;
            let point = make_point(ctx, r, bar);
            let id = ctx.hits.add_point(
                point,
                Point::new(xmap.to_px_clamped(r.value), y + row_h / 2.0),
            );
            ctx.hits.add_region(
                id,
                HitShape::Rect(Rect::new(full.x, y, full.w, row_h.max(0.5))),
            );
            lane.push(id);
        }
    } else {
        let thickness = (row_h * 0.72).min(28.0 * ctx.ts);
        for (i, row) in rows.iter().enumerate() {
            let cy = plot.y + (i as f64 + 0.5) * row_h;
            match row {
                Row::Gap(hidden) => {
                    ctx.text(
                        &ctx.tf(
                            Msg::RowsHidden,
                            &[("n", &format_number(*hidden as f64, 0, lang))],
                        ),
                        Point::new(full.x + rank_w + gap, cy),
                        tick_px,
                        false,
                        ctx.theme.text_muted,
                        Align::Start,
                    );
                }
                Row::Bar(r) => {
                    let Some(bar) = d.bars.get(r.index) else {
                        continue;
                    };
                    let xe = xmap.to_px_clamped(r.value);
                    let color = if bar.highlight {
                        ctx.theme.accent
                    } else {
                        ctx.theme.peer
                    };
                    let (a, b) = (x0.min(xe), x0.max(xe));
                    ctx.rect(
                        Rect::new(a, cy - thickness / 2.0, (b - a).max(1.0), thickness),
                        color,
                    );
                    let text_color = if bar.highlight {
                        ctx.theme.text
                    } else {
                        ctx.theme.text_muted
                    };
                    ctx.text(
                        &format!("{}.", r.rank),
                        Point::new(full.x + rank_w, cy),
                        tick_px,
                        false,
                        ctx.theme.text_muted,
                        Align::End,
                    );
                    ctx.fit_text(
                        bar.name.get(lang),
                        Point::new(full.x + rank_w + gap, cy),
                        fp,
                        bar.highlight,
                        text_color,
                        Align::Start,
                        label_col - rank_w - 2.0 * gap,
                    );
                    let mut label = d.indicator.format(r.value, lang, ctx.strings);
                    let (mut a, mut b) = (a, b);
                    if let (true, Some(s)) = (any_significance, interval(r.index)) {
                        // The 95% interval as a whisker with end caps, in the text colour.
                        let (il, iu) = (xmap.to_px_clamped(s.lower), xmap.to_px_clamped(s.upper));
                        // A halo in the background colour keeps it visible over any bar.
                        let cap = thickness * 0.35;
                        for stroke in [
                            Stroke::solid(ctx.theme.background, ctx.lw(3.5)),
                            Stroke::solid(ctx.theme.text, ctx.lw(1.5)),
                        ] {
                            ctx.line(Point::new(il, cy), Point::new(iu, cy), stroke);
                            for x in [il, iu] {
                                ctx.line(Point::new(x, cy - cap), Point::new(x, cy + cap), stroke);
                            }
                        }
                        let mark = s.verdict.mark().0;
                        if !mark.is_empty() {
                            label = format!("{label} {mark}");
                        }
                        (a, b) = (a.min(il), b.max(iu));
                    }
                    let (lx, align) = if r.value >= 0.0 {
                        (b + gap / 2.0, Align::Start)
                    } else {
                        (a - gap / 2.0, Align::End)
                    };
                    value_labels.push((
                        label,
                        Point::new(lx, cy),
                        bar.highlight,
                        text_color,
                        align,
                    ));
                    let point = make_point(ctx, r, bar);
                    let id = ctx.hits.add_point(point, Point::new(xe, cy));
                    ctx.hits.add_region(
                        id,
                        HitShape::Rect(Rect::new(full.x, cy - row_h / 2.0, full.w, row_h)),
                    );
                    lane.push(id);
                }
            }
        }
    }

    // Median line with its label above the bars.
    if let Some(m) = median {
        let x = xmap.to_px_clamped(m);
        ctx.line(
            Point::new(x, plot.y - gap / 2.0),
            Point::new(x, plot.bottom()),
            Stroke::dashed(ctx.theme.median, ctx.lw(1.5), 5.0 * ctx.ts, 3.0 * ctx.ts),
        );
        let text = format!(
            "{}: {}",
            ctx.t(Msg::PeerMedian),
            d.indicator.format(m, lang, ctx.strings)
        );
        let w = ctx.width(&text, tick_px, false);
        let y = rows_top - median_row / 2.0 - gap / 4.0;
        let (ax, align) = if x + w / 2.0 > full.right() {
            (x, Align::End)
        } else if x - w / 2.0 < full.x {
            (x, Align::Start)
        } else {
            (x, Align::Middle)
        };
        ctx.text(
            &text,
            Point::new(ax, y),
            tick_px,
            false,
            ctx.theme.text,
            align,
        );
        let id = ctx.hits.add_point(
            DataPoint {
                id: "median".into(),
                series: Some(ctx.t(Msg::PeerMedian).into()),
                value: Some(m),
                value_text: d.indicator.format(m, lang, ctx.strings),
                unit: unit_str.clone(),
                year: d.year,
                n: Some(n as u32),
                ..Default::default()
            },
            Point::new(x, plot.y),
        );
        ctx.hits.add_region(
            id,
            HitShape::Segment {
                a: Point::new(x, plot.y),
                b: Point::new(x, plot.bottom()),
                tolerance: 3.0,
            },
        );
    }

    for (label, at, bold, color, align) in value_labels {
        let b = ctx.text_bounds(&label, at, tick_px, bold, align);
        if ctx.is_free(&b) {
            ctx.rect(b.expand(1.0), ctx.theme.background);
            ctx.text(&label, at, tick_px, bold, color, align);
        }
    }

    // Highlighted units on top, with a callout in dense mode.
    if dense {
        for (i, row) in rows.iter().enumerate() {
            let Row::Bar(r) = row else { continue };
            let Some(bar) = d.bars.get(r.index).filter(|b| b.highlight) else {
                continue;
            };
            let y = plot.y + (i as f64 + 0.5) * row_h;
            let xe = xmap.to_px_clamped(r.value);
            let t = row_h.max(2.0 * ctx.ts);
            ctx.rect(
                Rect::new(x0.min(xe), y - t / 2.0, (xe - x0).abs().max(1.0), t),
                ctx.theme.accent,
            );
            ctx.circle(
                Point::new(xe, y),
                3.5 * ctx.ts,
                Some(ctx.theme.accent),
                Some(Stroke::solid(ctx.theme.background, ctx.lw(1.0))),
            );
            let value = d.indicator.format(r.value, lang, ctx.strings);
            let name_max = (full.w * 0.45).max(40.0);
            let name = crate::text::ellipsize(ctx.m, bar.name.get(lang), fp, true, name_max);
            let text = format!("{}. {} — {}", r.rank, name, value);
            let w = ctx.width(&text, fp, true);
            let right_ok = xe + gap + w <= full.right();
            let (ax, align) = if right_ok {
                (xe + gap * 1.5, Align::Start)
            } else {
                (xe - gap * 1.5, Align::End)
            };
            let lhh = ctx.lh(fp);
            for dy in [0.0, -lhh, lhh, -2.0 * lhh, 2.0 * lhh] {
                let cy = (y + dy).clamp(plot.y + lhh / 2.0, plot.bottom() - lhh / 2.0);
                let b = ctx.text_bounds(&text, Point::new(ax, cy), fp, true, align);
                // A backing box keeps the callout readable over the bars.
                if ctx.is_free(&b) {
                    ctx.rect(b.expand(2.0), ctx.theme.background.with_alpha(0.88));
                    ctx.text(&text, Point::new(ax, cy), fp, true, ctx.theme.text, align);
                    break;
                }
            }
        }
    }
    ctx.hits.lanes = vec![lane];
    ctx.hits.lane_axis = LaneAxis::Vertical;
}

/// The data table of a `compare`: rank, organisation (the row header), value and, for
/// rates, the significance against the peer median with the 95% Wilson interval; the peer
/// median is a row of its own and the group size a note.
pub(crate) fn table(
    hits: &crate::hit::HitMap,
    lang: kpi_model::i18n::Lang,
    strings: &crate::strings::ChartStrings,
) -> super::table::TableModel {
    use super::table::{pivot, Pivot, RowBy};
    let t = |m: Msg| strings.get(m, lang).to_string();
    let spec = Pivot {
        rows: RowBy::Label,
        row_header: Msg::Organisation,
        value_header: t(Msg::Value),
        series_columns: false,
    };
    let mut m = pivot(hits, &spec, lang, strings);
    if let Some(c) = m.column_of(&t(Msg::Rank)) {
        m.move_column(c, 0);
    }
    m.constant_to_note("n");
    let marks = [Msg::SigBetter, Msg::SigWorse, Msg::SigNot].map(|k| {
        let s = strings.get(k, lang);
        s.split('{').next().unwrap_or(s).trim().to_string()
    });
    let note = t(Msg::Note);
    if let Some(c) = m.column_of(&note) {
        let significance = m.rows.iter().any(|r| {
            marks
                .iter()
                .any(|p| !p.is_empty() && r[c].starts_with(p.as_str()))
        });
        if significance {
            m.rename(&note, &t(Msg::Significance), "significance");
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_by_direction_with_shared_ties() {
        let v = [
            Some(70.0),
            Some(90.0),
            None,
            Some(70.0),
            Some(50.0),
            Some(f64::NAN),
        ];
        let r = rank(&v, &Direction::Higher);
        let got: Vec<(usize, usize)> = r.iter().map(|r| (r.index, r.rank)).collect();
        // 90 first; the two 70s share rank 2; 50 is 4th (competition ranking).
        assert_eq!(got, vec![(1, 1), (0, 2), (3, 2), (4, 4)]);
        let r = rank(&v, &Direction::Lower);
        assert_eq!(r.first().map(|r| r.index), Some(4));
        // Target 60–80: 70s are inside the band (best), 50 and 90 are 10 outside (tie).
        let r = rank(
            &v,
            &Direction::Target {
                min: 60.0,
                max: 80.0,
            },
        );
        let got: Vec<(usize, usize)> = r.iter().map(|r| (r.index, r.rank)).collect();
        assert_eq!(got, vec![(0, 1), (3, 1), (1, 3), (4, 3)]);
    }

    #[test]
    fn top_bottom_keeps_the_highlighted_unit() {
        let bars: Vec<CompareBar> = (0..20)
            .map(|i| CompareBar {
                id: i.to_string(),
                value: Some(i as f64),
                highlight: i == 10,
                ..Default::default()
            })
            .collect();
        let values: Vec<Option<f64>> = bars.iter().map(|b| b.value).collect();
        let ranked = rank(&values, &Direction::Higher);
        let rows = rows_to_show(&ranked, &bars, Some(3), Some(2));
        // Ranked 19..0: top 3 = 19, 18, 17; then 16..11 hidden (6); 10 highlighted; 9..2
        // hidden (8); bottom 2 = 1, 0.
        let shape: Vec<String> = rows
            .iter()
            .map(|r| match r {
                Row::Bar(r) => format!("{}", r.index),
                Row::Gap(k) => format!("…{k}"),
            })
            .collect();
        assert_eq!(shape, vec!["19", "18", "17", "…6", "10", "…8", "1", "0"]);
    }
}
