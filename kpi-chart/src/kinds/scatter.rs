//! `scatter`: two indicators across a peer group, quadrant lines at the two medians, the
//! quadrant that is better on both labelled, the unit highlighted, n shown.

use super::opt_text;
use crate::geom::{LinearMap, Point, Rect};
use crate::hit::{DataPoint, HitShape, LaneAxis};
use crate::layout::{finite_extent, Ctx, Font, LegendItem, Swatch};
use crate::scene::{Align, Rotation, Stroke};
use crate::spec::{finite, AxisOptions, IndicatorInfo, Text, UnitText};
use crate::strings::Msg;
use crate::text::ellipsize;
use kpi_model::i18n::format_academic_year;
use kpi_model::{Direction, Year};
use kpi_stats::order::{median_sorted, sorted_finite};
use serde::{Deserialize, Serialize};

/// Input of the `scatter` chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScatterData {
    /// The indicator on the horizontal axis.
    pub x: IndicatorInfo,
    /// The indicator on the vertical axis.
    pub y: IndicatorInfo,
    /// Academic year.
    pub year: Option<Year>,
    /// One point per unit of the peer group.
    pub points: Vec<ScatterPoint>,
    /// Horizontal axis scaling.
    pub x_axis: AxisOptions,
    /// Vertical axis scaling.
    pub y_axis: AxisOptions,
    /// What the peer group is.
    pub peer_group: Option<Text>,
    /// Title (default: "y vs x").
    pub title: Option<Text>,
    /// Subtitle (default: peer group and year).
    pub subtitle: Option<Text>,
}

/// One unit of a scatter chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScatterPoint {
    /// Identifier, unique in the chart.
    pub id: String,
    /// Organisation id.
    pub org: Option<String>,
    /// Programme code.
    pub programme: Option<String>,
    /// Name.
    pub name: Text,
    /// Value of the horizontal indicator.
    pub x: Option<f64>,
    /// Value of the vertical indicator.
    pub y: Option<f64>,
    /// Whether this is the unit the chart is about.
    pub highlight: bool,
    /// Data warnings.
    pub warnings: Vec<String>,
}

/// The side of a median that is better: `true` for above (higher is better).
fn better_above(direction: &Direction) -> Option<bool> {
    match direction {
        Direction::Higher => Some(true),
        Direction::Lower => Some(false),
        Direction::Target { .. } => None,
    }
}

pub(crate) fn layout(d: &ScatterData, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let pad = ctx.pad();
    let gap = ctx.gap();
    let full = Rect::new(pad, pad, ctx.w - 2.0 * pad, ctx.h - 2.0 * pad);
    let title = opt_text(d.title.as_ref(), lang)
        .unwrap_or_else(|| format!("{} / {}", d.y.name(lang), d.x.name(lang)));
    let mut sub = Vec::new();
    if let Some(g) = opt_text(d.peer_group.as_ref(), lang) {
        sub.push(g);
    }
    if let Some(y) = d.year {
        sub.push(format_academic_year(y));
    }
    let subtitle = opt_text(d.subtitle.as_ref(), lang).unwrap_or_else(|| sub.join(" · "));
    let top = ctx.header(full, &title, &subtitle);
    let pts: Vec<(&ScatterPoint, f64, f64)> = d
        .points
        .iter()
        .filter_map(|p| Some((p, finite(p.x)?, finite(p.y)?)))
        .collect();
    // Each drawn point's row in the input (what its record is built from).
    let rows: Vec<u32> = d
        .points
        .iter()
        .zip(0u32..)
        .filter(|(p, _)| finite(p.x).is_some() && finite(p.y).is_some())
        .map(|(_, row)| row)
        .collect();
    let n = pts.len();
    let missing = d.points.len() - n;
    let mut foot = vec![ctx.tf(Msg::NEquals, &[("n", &n.to_string())])];
    if missing > 0 {
        foot.push(format!("{}: {missing}", ctx.t(Msg::NotComputable)));
    }
    let mut legend = Vec::new();
    if pts.iter().any(|p| p.0.highlight) {
        let name = pts
            .iter()
            .find(|p| p.0.highlight)
            .map(|p| p.0.name.get(lang).to_string())
            .unwrap_or_default();
        legend.push(LegendItem {
            swatch: Swatch::Dot(ctx.theme.accent),
            label: name,
        });
    }
    legend.push(LegendItem {
        swatch: Swatch::Dot(ctx.theme.peer),
        label: ctx.t(Msg::Organisation).to_string(),
    });
    legend.push(LegendItem {
        swatch: Swatch::Dashed(ctx.theme.median),
        label: ctx.t(Msg::Median).to_string(),
    });
    let top = if n > 0 {
        ctx.legend(Rect::new(full.x, top, full.w, full.bottom() - top), &legend)
    } else {
        top
    };
    let bottom = ctx.footer(full, &foot.join(" · "));
    if n == 0 {
        ctx.message(
            Rect::new(full.x, top, full.w, bottom - top),
            ctx.t(Msg::NoData),
        );
        return;
    }
    let tick_px = ctx.px(Font::Tick);
    let tick_lh = ctx.lh(tick_px);
    // Axis titles: the y title rotated on the left, the x title under the tick labels.
    let x_title_h = tick_lh + gap / 2.0;
    let y_title_w = tick_lh + gap / 2.0;
    let x_axis_h = tick_lh + gap * 1.5 + x_title_h;
    let (xlo, xhi) = finite_extent(pts.iter().map(|p| p.1)).unwrap_or((0.0, 1.0));
    let (ylo, yhi) = finite_extent(pts.iter().map(|p| p.2)).unwrap_or((0.0, 1.0));
    let plot_h = bottom - x_axis_h - top - tick_lh / 2.0;
    if plot_h < tick_lh * 3.0 {
        return;
    }
    let yt = ctx.value_ticks(ylo, yhi, &d.y.unit, &d.y_axis, plot_h, tick_lh * 2.2);
    let ylabel_w = ctx.tick_label_width(&yt, &d.y.unit) + gap;
    let plot_x = full.x + y_title_w + ylabel_w;
    let plot = Rect::new(
        plot_x,
        top + tick_lh / 2.0,
        full.right() - plot_x - gap,
        plot_h,
    );
    if plot.w < 40.0 {
        return;
    }
    let probe = ctx.value_ticks(xlo, xhi, &d.x.unit, &d.x_axis, plot.w, 0.0);
    let spacing = ctx.tick_label_width(&probe, &d.x.unit) + gap * 3.0;
    let xt = ctx.value_ticks(xlo, xhi, &d.x.unit, &d.x_axis, plot.w, spacing);
    let xmap = LinearMap::new(xt.min, xt.max, plot.x, plot.right());
    let ymap = LinearMap::new(yt.min, yt.max, plot.bottom(), plot.y);
    ctx.value_axis_left(plot, &yt, &ymap, &d.y.unit);
    ctx.value_axis_bottom(plot, &xt, &xmap, &d.x.unit);
    let axis_title = |ind: &IndicatorInfo| {
        let u = ind.unit.label(lang, ctx.strings);
        if u.is_empty() {
            ind.name(lang).to_string()
        } else {
            format!("{}, {u}", ind.name(lang))
        }
    };
    let xt_text = ellipsize(ctx.m, &axis_title(&d.x), tick_px, false, plot.w).into_owned();
    ctx.text(
        &xt_text,
        Point::new(plot.x + plot.w / 2.0, bottom - x_title_h / 2.0),
        tick_px,
        false,
        ctx.theme.text_muted,
        Align::Middle,
    );
    let yt_text = ellipsize(ctx.m, &axis_title(&d.y), tick_px, false, plot.h).into_owned();
    ctx.text_rotated(
        &yt_text,
        Point::new(full.x + tick_lh / 2.0, plot.y + plot.h / 2.0),
        tick_px,
        false,
        ctx.theme.text_muted,
        Align::Middle,
        Rotation::Up,
    );

    // Quadrants at the medians; the quadrant better on both gets a faint fill and a label.
    let mx = median_sorted(&sorted_finite(pts.iter().map(|p| p.1)));
    let my = median_sorted(&sorted_finite(pts.iter().map(|p| p.2)));
    if let (Some(mx), Some(my)) = (mx, my) {
        let (px, py) = (xmap.to_px_clamped(mx), ymap.to_px_clamped(my));
        if let (Some(right), Some(up)) =
            (better_above(&d.x.direction), better_above(&d.y.direction))
        {
            let qx = if right { px } else { plot.x };
            let qw = if right {
                plot.right() - px
            } else {
                px - plot.x
            };
            let qy = if up { plot.y } else { py };
            let qh = if up { py - plot.y } else { plot.bottom() - py };
            ctx.rect(Rect::new(qx, qy, qw, qh), ctx.theme.better.with_alpha(0.07));
            let label = format!("{} ↗", ctx.t(Msg::Better));
            let label = if right && up {
                label
            } else {
                ctx.t(Msg::Better).to_string()
            };
            let (ax, align) = if right {
                (plot.right() - gap, Align::End)
            } else {
                (plot.x + gap, Align::Start)
            };
            let ay = if up {
                plot.y + tick_lh / 2.0 + gap / 2.0
            } else {
                plot.bottom() - tick_lh / 2.0 - gap / 2.0
            };
            ctx.text(
                &label,
                Point::new(ax, ay),
                tick_px,
                true,
                ctx.theme.better,
                align,
            );
        }
        let st = Stroke::dashed(ctx.theme.median, ctx.lw(1.2), 5.0 * ctx.ts, 3.0 * ctx.ts);
        ctx.line(Point::new(px, plot.y), Point::new(px, plot.bottom()), st);
        ctx.line(Point::new(plot.x, py), Point::new(plot.right(), py), st);
    }

    // Peers first, the highlighted units on top. Dense groups get smaller dots.
    let r = if n > 300 {
        2.0
    } else if n > 60 {
        3.0
    } else {
        4.0
    } * ctx.ts;
    let order = super::stable_order(n, &|a, b| {
        let ka = pts.get(a).map(|p| p.1).unwrap_or(0.0);
        let kb = pts.get(b).map(|p| p.1).unwrap_or(0.0);
        ka.total_cmp(&kb)
    });
    let mut lane = Vec::new();
    let mut highlighted = Vec::new();
    let mut highlighted_ids = Vec::new();
    let mut dots = Vec::with_capacity(n);
    ctx.hits.reserve(n);
    // The points' records are built when asked for, from the texts they share.
    let records = PointRecords {
        input: ctx.input.clone(),
        strings: ctx.shared_strings.clone(),
        lang,
        rows,
        n: n as u32,
        x_name: d.x.name(lang).to_string(),
        y_name: d.y.name(lang).to_string(),
        y_unit: d.y.unit.label(lang, ctx.strings),
    };
    ctx.hits.points.set_lazy(std::sync::Arc::new(records));
    for &i in &order {
        let Some(&(p, x, y)) = pts.get(i) else {
            continue;
        };
        let c = Point::new(xmap.to_px_clamped(x), ymap.to_px_clamped(y));
        if p.highlight {
            highlighted.push((p, c));
        } else {
            dots.push(c);
        }
        let id = ctx.hits.add_lazy_point(i, c);
        ctx.hits.add_region(
            id,
            HitShape::Circle {
                center: c,
                radius: (r + 3.0).max(5.0),
            },
        );
        if p.highlight {
            highlighted_ids.push((id, c));
        }
        lane.push(id);
    }
    ctx.dots(dots, r, ctx.theme.peer, None);
    let fp = ctx.px(Font::Label);
    // The highlighted units' regions on top, so that a pointer over them picks them.
    for (id, c) in highlighted_ids {
        ctx.hits.add_region(
            id,
            HitShape::Circle {
                center: c,
                radius: 8.0,
            },
        );
    }
    for (p, c) in highlighted {
        ctx.circle(
            c,
            6.0 * ctx.ts,
            Some(ctx.theme.accent),
            Some(Stroke::solid(ctx.theme.background, ctx.lw(2.0))),
        );
        let name = ellipsize(ctx.m, p.name.get(lang), fp, true, plot.w * 0.45).into_owned();
        let w = ctx.width(&name, fp, true);
        let (ax, align) = if c.x + 10.0 + w <= plot.right() {
            (c.x + 10.0 * ctx.ts, Align::Start)
        } else {
            (c.x - 10.0 * ctx.ts, Align::End)
        };
        for dy in [0.0, -ctx.lh(fp), ctx.lh(fp)] {
            let at = Point::new(
                ax,
                (c.y + dy).clamp(plot.y + ctx.lh(fp) / 2.0, plot.bottom() - ctx.lh(fp) / 2.0),
            );
            let b = ctx.text_bounds(&name, at, fp, true, align);
            if ctx.is_free(&b) {
                ctx.rect(b.expand(2.0), ctx.theme.background.with_alpha(0.85));
                ctx.text(&name, at, fp, true, ctx.theme.text, align);
                break;
            }
        }
    }
    ctx.hits.lanes = vec![lane];
    ctx.hits.lane_axis = LaneAxis::Horizontal;
}

/// The records of a scatter's points, built when asked for from the point's position
/// among the drawn points: its unit, both values as displayed, the year and `n`.
struct PointRecords {
    input: std::sync::Arc<super::super::ChartInput>,
    strings: std::sync::Arc<crate::strings::ChartStrings>,
    lang: kpi_model::i18n::Lang,
    /// The input row of each drawn point (both values finite).
    rows: Vec<u32>,
    /// Number of drawn points.
    n: u32,
    x_name: String,
    y_name: String,
    /// The y indicator's unit label.
    y_unit: String,
}

impl PointRecords {
    fn point(&self, i: usize) -> Option<(&ScatterData, &ScatterPoint)> {
        let row = *self.rows.get(i)? as usize;
        match &*self.input {
            super::super::ChartInput::Scatter(d) => Some((d, d.points.get(row)?)),
            _ => None,
        }
    }

    /// The point's id after `point:`: its own, else its position among the drawn points.
    fn id(p: &ScatterPoint, i: usize) -> std::borrow::Cow<'_, str> {
        if p.id.is_empty() {
            i.to_string().into()
        } else {
            p.id.as_str().into()
        }
    }
}

impl crate::records::LazyRecords for PointRecords {
    fn record(&self, i: usize) -> DataPoint {
        let Some((d, p)) = self.point(i) else {
            return DataPoint::default();
        };
        let (lang, strings) = (self.lang, &*self.strings);
        let (x, y) = (p.x.unwrap_or(f64::NAN), p.y.unwrap_or(f64::NAN));
        let y_text = d.y.format(y, lang, strings);
        DataPoint {
            id: format!("point:{}", Self::id(p, i)),
            org: p.org.clone(),
            programme: p.programme.clone(),
            label: p.name.get(lang).to_string(),
            value: Some(y),
            value_text: y_text.clone(),
            unit: self.y_unit.clone(),
            year: d.year,
            n: Some(self.n),
            details: vec![
                (self.x_name.clone(), d.x.format(x, lang, strings)),
                (self.y_name.clone(), y_text),
            ],
            warnings: p.warnings.clone(),
            selectable: p.org.is_some() || p.programme.is_some(),
            ..Default::default()
        }
    }

    fn id_prefix(&self) -> &'static str {
        "point:"
    }

    // Without building the record: the highlighted units are found by id among all.
    fn id_matches(&self, i: usize, want: &str, prefix: bool) -> bool {
        let Some((_, p)) = self.point(i) else {
            return false;
        };
        match want.strip_prefix("point:") {
            Some(id) if prefix => Self::id(p, i).starts_with(id),
            Some(id) => Self::id(p, i) == id,
            None => prefix && "point:".starts_with(want),
        }
    }
}

/// The data table of a `scatter`: one row per organisation (the row header) with its
/// value of the x indicator and of the y indicator; the group size is a note.
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
    // The point's value repeats one of its two indicators (its details).
    if m.headers.len() > 3 {
        if let Some(c) = m.column_of(&t(Msg::Value)) {
            m.remove_column(c);
        }
    }
    m.constant_to_note("n");
    m
}
