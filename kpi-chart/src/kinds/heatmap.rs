//! `heatmap`: units × indicators, each cell coloured by the unit's percentile in its peer
//! group *in the indicator's direction* (so dark blue is always good, dark orange always
//! bad), sortable by a column or by the row's mean percentile.

use super::opt_text;
use crate::geom::{Point, Rect};
use crate::hit::{DataPoint, HitShape, LaneAxis};
use crate::layout::{Ctx, Font};
use crate::scene::{Align, Stroke};
use crate::spec::{finite, IndicatorInfo, Text, UnitText};
use crate::strings::Msg;
use crate::text::wrap_text;
use kpi_model::i18n::{format_academic_year, format_compact, format_number};
use kpi_model::Year;
use kpi_stats::order::{percentile_rank_sorted, sorted_finite};
use serde::{Deserialize, Serialize};

/// Input of the `heatmap` chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HeatmapData {
    /// The indicators (columns).
    pub columns: Vec<HeatmapColumn>,
    /// The units (rows).
    pub rows: Vec<HeatmapRow>,
    /// Sort rows by this column's percentile (best first); `None` sorts by the row's mean
    /// percentile; rows keep the input order when `keep_order` is set.
    pub sort_by: Option<usize>,
    /// Keep the rows in input order.
    pub keep_order: bool,
    /// Academic year.
    pub year: Option<Year>,
    /// Title.
    pub title: Option<Text>,
    /// Subtitle (default: year and what the colour means).
    pub subtitle: Option<Text>,
}

/// A column: one indicator.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HeatmapColumn {
    /// The indicator.
    pub indicator: IndicatorInfo,
    /// A short header (default: the indicator's name).
    pub short_label: Option<Text>,
}

/// A row: one unit.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HeatmapRow {
    /// Identifier, unique in the chart.
    pub id: String,
    /// Organisation id.
    pub org: Option<String>,
    /// Programme code.
    pub programme: Option<String>,
    /// Name.
    pub name: Text,
    /// Whether this is the unit the chart is about.
    pub highlight: bool,
    /// One cell per column.
    pub cells: Vec<HeatmapCell>,
}

/// A cell: the value and its percentile in direction.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HeatmapCell {
    /// The value; `None` when not computable.
    pub value: Option<f64>,
    /// Percentile 0–100 in the indicator's direction (100 best); computed from the
    /// column's values when absent.
    pub percentile: Option<f64>,
    /// Why the value is not computable.
    pub reason: Option<Text>,
    /// Number of peers behind the percentile.
    pub n: Option<u32>,
}

/// Percentiles in direction of every cell, `[row][column]`, with n per column: the given
/// ones, else the percentile rank of the value's goodness among the column's values.
pub(crate) fn percentiles(d: &HeatmapData) -> (Vec<Vec<Option<f64>>>, Vec<usize>) {
    let mut out = vec![vec![None; d.columns.len()]; d.rows.len()];
    let mut ns = Vec::with_capacity(d.columns.len());
    for (c, col) in d.columns.iter().enumerate() {
        let dir = &col.indicator.direction;
        let goodness = sorted_finite(
            d.rows
                .iter()
                .filter_map(|r| finite(r.cells.get(c)?.value))
                .map(|v| dir.goodness(v)),
        );
        ns.push(goodness.len());
        for (r, row) in d.rows.iter().enumerate() {
            let Some(cell) = row.cells.get(c) else {
                continue;
            };
            let p = match (finite(cell.percentile), finite(cell.value)) {
                (Some(p), _) => Some(p.clamp(0.0, 100.0)),
                (None, Some(v)) => percentile_rank_sorted(&goodness, dir.goodness(v)),
                _ => None,
            };
            if let Some(slot) = out.get_mut(r).and_then(|row| row.get_mut(c)) {
                *slot = p;
            }
        }
    }
    (out, ns)
}

/// Row order: by one column's percentile or by the mean percentile, best first, rows
/// without a percentile last.
pub(crate) fn row_order(d: &HeatmapData, pct: &[Vec<Option<f64>>]) -> Vec<usize> {
    if d.keep_order {
        return (0..d.rows.len()).collect();
    }
    let key = |r: usize| -> Option<f64> {
        let row = pct.get(r)?;
        match d.sort_by {
            Some(c) => row.get(c).copied().flatten(),
            None => {
                let vals: Vec<f64> = row.iter().flatten().copied().collect();
                (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
            }
        }
    };
    super::stable_order(d.rows.len(), &|a, b| match (key(a), key(b)) {
        (Some(x), Some(y)) => y.total_cmp(&x).then(a.cmp(&b)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(&b),
    })
}

pub(crate) fn layout(d: &HeatmapData, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let pad = ctx.pad();
    let gap = ctx.gap();
    let full = Rect::new(pad, pad, ctx.w - 2.0 * pad, ctx.h - 2.0 * pad);
    let title = opt_text(d.title.as_ref(), lang).unwrap_or_default();
    let mut sub = Vec::new();
    if let Some(y) = d.year {
        sub.push(format_academic_year(y));
    }
    if !d.rows.is_empty() {
        sub.push(ctx.tf(Msg::NEquals, &[("n", &d.rows.len().to_string())]));
    }
    if let Some(c) = d.sort_by.and_then(|c| d.columns.get(c)) {
        sub.push(ctx.tf(Msg::SortedBy, &[("column", c.indicator.name(lang))]));
    }
    let subtitle = opt_text(d.subtitle.as_ref(), lang).unwrap_or_else(|| sub.join(" · "));
    let top = ctx.header(full, &title, &subtitle);
    if d.columns.is_empty() || d.rows.is_empty() {
        ctx.message(
            Rect::new(full.x, top, full.w, full.bottom() - top),
            ctx.t(Msg::NoData),
        );
        return;
    }
    let (pct, ns) = percentiles(d);
    let order = row_order(d, &pct);
    let fp = ctx.px(Font::Label);
    let tick_px = ctx.px(Font::Tick);
    let tick_lh = ctx.lh(tick_px);
    let note_px = ctx.px(Font::Note);

    // Legend at the bottom: a gradient from worse to better.
    let legend_h = ctx.lh(note_px) * 2.0 + gap;
    let legend_top = full.bottom() - legend_h;
    let legend_w = (full.w * 0.5).clamp(80.0, 260.0);
    let steps = 20;
    let worse_label = format!("{}{}", quarter_glyph(0.0), ctx.t(Msg::LegendWorse));
    let better_label = format!(
        "{} {}",
        ctx.t(Msg::LegendBetter),
        quarter_glyph(100.0).trim()
    );
    let lw = ctx.width(&worse_label, note_px, false);
    let bar_x = full.x + lw + gap;
    for i in 0..steps {
        let p = 100.0 * (i as f64 + 0.5) / steps as f64;
        let seg = legend_w / steps as f64;
        ctx.rect(
            Rect::new(
                bar_x + i as f64 * seg,
                legend_top + gap / 2.0,
                seg + 0.5,
                ctx.lh(note_px) - gap / 2.0,
            ),
            ctx.theme.heat_color(p),
        );
    }
    let ly = legend_top + ctx.lh(note_px) / 2.0 + gap / 4.0;
    // The gradient is outlined (its middle is close to the background) and its ends carry
    // the same glyphs as the cells.
    ctx.rect_outline(
        Rect::new(
            bar_x,
            legend_top + gap / 2.0,
            legend_w,
            ctx.lh(note_px) - gap / 2.0,
        ),
        Stroke::solid(ctx.theme.peer, ctx.lw(1.0)),
    );
    ctx.text(
        &worse_label,
        Point::new(full.x, ly),
        note_px,
        false,
        ctx.theme.text_muted,
        Align::Start,
    );
    ctx.text(
        &better_label,
        Point::new(bar_x + legend_w + gap, ly),
        note_px,
        false,
        ctx.theme.text_muted,
        Align::Start,
    );
    ctx.fit_text(
        ctx.t(Msg::HeatLegend),
        Point::new(full.x, legend_top + ctx.lh(note_px) * 1.5 + gap),
        note_px,
        false,
        ctx.theme.text_muted,
        Align::Start,
        full.w,
    );

    // Row labels on the left, at most 40% of the width (25–30% on narrow widgets).
    let name_w = d
        .rows
        .iter()
        .map(|r| ctx.width(r.name.get(lang), fp, r.highlight))
        .fold(0.0, f64::max)
        // Narrow widgets give the cells more room, so that they keep their numbers.
        .min(
            full.w
                * if full.w < 400.0 {
                    0.25
                } else if full.w < 480.0 {
                    0.3
                } else {
                    0.4
                },
        )
        + gap;
    let grid_x = full.x + name_w;
    let ncol = d.columns.len();
    let col_w = (full.right() - grid_x) / ncol as f64;
    if col_w < 4.0 {
        return;
    }
    // Column headers wrap to up to three lines.
    let header_lines: Vec<Vec<String>> = d
        .columns
        .iter()
        .map(|c| {
            let label = opt_text(c.short_label.as_ref(), lang)
                .unwrap_or_else(|| c.indicator.name(lang).to_string());
            wrap_text(ctx.m, &label, tick_px, false, (col_w - gap).max(0.0), 3)
        })
        .collect();
    let max_lines = header_lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let header_h = tick_lh * max_lines as f64 + gap;
    let grid_top = top + header_h;
    let avail = legend_top - gap - grid_top;
    let min_row_h = (ctx.lh(tick_px) + 2.0).max(12.0);
    let fit = (avail / min_row_h).floor().max(0.0) as usize;
    let hidden = order.len().saturating_sub(fit);
    let shown = if hidden > 0 {
        fit.saturating_sub(1)
    } else {
        order.len()
    };
    let row_h = if shown > 0 {
        (avail / (shown + usize::from(hidden > 0)) as f64).min(ctx.lh(fp) * 2.0)
    } else {
        0.0
    };
    for (c, lines) in header_lines.iter().enumerate() {
        let cx = grid_x + (c as f64 + 0.5) * col_w;
        let first_y = grid_top - gap / 2.0 - tick_lh * (lines.len() as f64 - 0.5);
        for (k, line) in lines.iter().enumerate() {
            ctx.text(
                line,
                Point::new(cx, first_y + k as f64 * tick_lh),
                tick_px,
                false,
                ctx.theme.text_muted,
                Align::Middle,
            );
        }
    }
    let mut lanes = Vec::new();
    for (pos, &r) in order.iter().enumerate().take(shown) {
        let Some(row) = d.rows.get(r) else { continue };
        let y = grid_top + pos as f64 * row_h;
        let cy = y + row_h / 2.0;
        let color = if row.highlight {
            ctx.theme.text
        } else {
            ctx.theme.text_muted
        };
        if row_h >= ctx.lh(tick_px) {
            let rfp = if row_h >= ctx.lh(fp) { fp } else { tick_px };
            ctx.fit_text(
                row.name.get(lang),
                Point::new(full.x, cy),
                rfp,
                row.highlight,
                color,
                Align::Start,
                name_w - gap,
            );
        }
        let mut lane = Vec::new();
        for (c, col) in d.columns.iter().enumerate() {
            let cell = row.cells.get(c);
            let value = cell.and_then(|x| finite(x.value));
            let p = pct.get(r).and_then(|row| row.get(c)).copied().flatten();
            let rect = Rect::new(
                grid_x + c as f64 * col_w + 1.0,
                y + 1.0,
                col_w - 2.0,
                row_h - 2.0,
            );
            let fill = match p {
                Some(p) => ctx.theme.heat_color(p),
                None => ctx.theme.surface,
            };
            ctx.rect(rect, fill);
            // Cells near the median are close to the background: the outline keeps 3:1.
            ctx.rect_outline(rect, Stroke::solid(ctx.theme.peer, ctx.lw(1.0)));
            if p.is_none() {
                // Not computable: a hatch line, so it never reads as a colour of the scale.
                ctx.line(
                    Point::new(rect.x + 2.0, rect.bottom() - 2.0),
                    Point::new(rect.right() - 2.0, rect.y + 2.0),
                    Stroke::solid(ctx.theme.missing, ctx.lw(1.0)),
                );
            }
            let text = value.map(|v| col.indicator.format(v, lang, ctx.strings));
            if let (Some(t), Some(v)) = (&text, value) {
                // The colour is never the only cue: a glyph marks the best and worst quarter,
                // and the number stays (rounded, without its unit) when the cell is narrow.
                let glyph = p.map(quarter_glyph).unwrap_or("");
                let compact = format_compact(v, lang);
                let candidates = [
                    format!("{glyph}{t}"),
                    format!("{glyph}{compact}"),
                    compact,
                    // Last resort on narrow cells: a glyph in every cell, a dot in the middle
                    // half, so that the colour is never alone.
                    if glyph.is_empty() {
                        "•"
                    } else {
                        glyph.trim()
                    }
                    .to_string(),
                ];
                if ctx.lh(tick_px) <= rect.h {
                    if let Some(c) = candidates
                        .iter()
                        .find(|c| !c.is_empty() && ctx.width(c, tick_px, false) + 4.0 <= rect.w)
                    {
                        let tc = fill
                            .over(ctx.theme.background)
                            .best_text_on(crate::Color::hex(0x000000), crate::Color::hex(0xffffff));
                        ctx.text(c, rect.center(), tick_px, false, tc, Align::Middle);
                    }
                }
            }
            let n = cell
                .and_then(|x| x.n)
                .or_else(|| ns.get(c).map(|n| *n as u32));
            let mut details = Vec::new();
            if let Some(p) = p {
                details.push((
                    ctx.t(Msg::PeerPercentile).to_string(),
                    format_number(p, 0, lang),
                ));
            }
            details.push((
                ctx.t(Msg::Direction).to_string(),
                col.indicator.direction_text(lang, ctx.strings),
            ));
            let id = ctx.hits.add_point(
                DataPoint {
                    id: format!(
                        "cell:{}:{c}",
                        if row.id.is_empty() {
                            r.to_string()
                        } else {
                            row.id.clone()
                        }
                    ),
                    org: row.org.clone(),
                    programme: row.programme.clone(),
                    label: row.name.get(lang).to_string(),
                    series: Some(col.indicator.name(lang).to_string()),
                    value,
                    value_text: text.unwrap_or_else(|| ctx.t(Msg::NotComputable).to_string()),
                    unit: col.indicator.unit.label(lang, ctx.strings),
                    year: d.year,
                    n,
                    details,
                    note: if value.is_none() {
                        cell.and_then(|x| opt_text(x.reason.as_ref(), ctx.lang))
                    } else {
                        None
                    },
                    selectable: row.org.is_some() || row.programme.is_some(),
                    ..Default::default()
                },
                rect.center(),
            );
            ctx.hits.add_region(id, HitShape::Rect(rect.expand(1.0)));
            lane.push(id);
        }
        if row.highlight {
            ctx.rect_outline(
                Rect::new(grid_x, y, col_w * ncol as f64, row_h),
                Stroke::solid(ctx.theme.accent, ctx.lw(2.0)),
            );
        }
        lanes.push(lane);
    }
    if hidden > 0 {
        let y = grid_top + shown as f64 * row_h + row_h / 2.0;
        let text = ctx.tf(Msg::RowsHidden, &[("n", &hidden.to_string())]);
        ctx.fit_text(
            &text,
            Point::new(full.x, y),
            tick_px,
            false,
            ctx.theme.text_muted,
            Align::Start,
            full.w,
        );
    }
    ctx.hits.lanes = lanes;
    ctx.hits.lane_axis = LaneAxis::Horizontal;
}

/// The non-colour cue of a heat-map cell: `▲ ` in the best quarter of its column (percentile
/// in direction at least 75), `▼ ` in the worst (at most 25), nothing in between.
pub(crate) fn quarter_glyph(percentile: f64) -> &'static str {
    if percentile >= 75.0 {
        "▲ "
    } else if percentile <= 25.0 {
        "▼ "
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_model::Direction;

    fn data() -> HeatmapData {
        let row = |name: &str, a: Option<f64>, b: Option<f64>| HeatmapRow {
            id: name.into(),
            name: name.into(),
            cells: vec![
                HeatmapCell {
                    value: a,
                    ..Default::default()
                },
                HeatmapCell {
                    value: b,
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        HeatmapData {
            columns: vec![
                HeatmapColumn::default(),
                HeatmapColumn {
                    indicator: IndicatorInfo {
                        direction: Direction::Lower,
                        ..Default::default()
                    },
                    ..Default::default()
                },
            ],
            rows: vec![
                row("a", Some(10.0), Some(5.0)),
                row("b", Some(20.0), Some(1.0)),
                row("c", None, Some(3.0)),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn percentiles_follow_direction() {
        let (p, ns) = percentiles(&data());
        // Column 0 (higher better) over {10, 20}: 10 → 100 × 0.5 / 2 = 25; 20 → 75.
        assert_eq!(p[0][0], Some(25.0));
        assert_eq!(p[1][0], Some(75.0));
        assert_eq!(p[2][0], None);
        // Column 1 (lower better) over {5, 1, 3}: goodness −5, −1, −3; −1 is best →
        // 100 × (2 + 0.5) / 3 = 83.3…; −5 worst → 16.6….
        assert!((p[1][1].unwrap() - 250.0 / 3.0).abs() < 1e-9);
        assert!((p[0][1].unwrap() - 50.0 / 3.0).abs() < 1e-9);
        assert_eq!(ns, vec![2, 3]);
    }

    #[test]
    fn rows_sort_by_mean_or_column() {
        let mut d = data();
        let (p, _) = percentiles(&d);
        // Means: a (25 + 16.7) / 2 = 20.8; b (75 + 83.3) / 2 = 79.2; c 50 → b, c, a.
        assert_eq!(row_order(&d, &p), vec![1, 2, 0]);
        d.sort_by = Some(0);
        // Column 0: b 75, a 25, c none → last.
        assert_eq!(row_order(&d, &p), vec![1, 0, 2]);
    }
}
