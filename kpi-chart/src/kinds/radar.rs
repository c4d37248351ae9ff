//! `radar`: the unit's family scores (input, process, outcome, efficiency; 0–100) against
//! the peer median, on a zero-based radial scale. A family that is not computable leaves a
//! gap in the outline (never a point at zero) and says why in its tooltip.

use super::opt_text;
use crate::geom::{Point, Rect};
use crate::hit::{DataPoint, HitShape, LaneAxis};
use crate::layout::{Ctx, Font, LegendItem, Swatch};
use crate::scene::{Align, Stroke};
use crate::spec::{finite, Text};
use crate::strings::Msg;
use crate::text::ellipsize;
use kpi_model::i18n::{format_academic_year, format_number};
use kpi_model::{Family, Year};
use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// Input of the `radar` chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RadarData {
    /// One score per family, in the order drawn clockwise from the top.
    pub families: Vec<FamilyScore>,
    /// Name of the unit.
    pub unit_name: Text,
    /// Organisation id.
    pub org: Option<String>,
    /// Programme code.
    pub programme: Option<String>,
    /// Academic year.
    pub year: Option<Year>,
    /// Number of organisations behind the peer medians.
    pub peer_n: Option<u32>,
    /// Title (default: "Family score (0–100)").
    pub title: Option<Text>,
}

/// One family's score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FamilyScore {
    /// The family.
    pub family: Family,
    /// A label replacing the family's name.
    pub label: Option<Text>,
    /// The unit's score 0–100; `None` when not computable.
    pub score: Option<f64>,
    /// The peer median score 0–100.
    pub peer_median: Option<f64>,
    /// Why the score is not computable.
    pub reason: Option<Text>,
    /// Number of indicators the score is made of.
    pub indicators: Option<u32>,
}

impl Default for FamilyScore {
    fn default() -> Self {
        FamilyScore {
            family: Family::Input,
            label: None,
            score: None,
            peer_median: None,
            reason: None,
            indicators: None,
        }
    }
}

fn family_label(ctx: &Ctx, f: &FamilyScore) -> String {
    if let Some(l) = opt_text(f.label.as_ref(), ctx.lang) {
        return l;
    }
    ctx.t(match f.family {
        Family::Input => Msg::FamilyInput,
        Family::Process => Msg::FamilyProcess,
        Family::Outcome => Msg::FamilyOutcome,
        Family::Efficiency => Msg::FamilyEfficiency,
    })
    .to_string()
}

/// Draws the closed outline through `points` (one per axis), leaving out the sides that
/// touch a missing point; fills the polygon only when every point is present.
fn outline(ctx: &mut Ctx, points: &[Option<Point>], fill: Option<crate::Color>, stroke: Stroke) {
    let k = points.len();
    if k == 0 {
        return;
    }
    if points.iter().all(Option::is_some) {
        let pts: Vec<Point> = points.iter().flatten().copied().collect();
        if let Some(f) = fill {
            ctx.polygon(pts.clone(), f);
        }
        let mut closed = pts;
        if let Some(first) = closed.first().copied() {
            closed.push(first);
        }
        ctx.polyline(closed, stroke);
        return;
    }
    // Runs of present points, wrapping around from the last axis to the first.
    let start = points.iter().position(Option::is_none).unwrap_or(0);
    let mut run: Vec<Point> = Vec::new();
    for i in 1..=k {
        match points.get((start + i) % k).copied().flatten() {
            Some(p) => run.push(p),
            None => {
                ctx.polyline(std::mem::take(&mut run), stroke);
            }
        }
    }
    ctx.polyline(run, stroke);
}

pub(crate) fn layout(d: &RadarData, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let pad = ctx.pad();
    let gap = ctx.gap();
    let full = Rect::new(pad, pad, ctx.w - 2.0 * pad, ctx.h - 2.0 * pad);
    let title =
        opt_text(d.title.as_ref(), lang).unwrap_or_else(|| ctx.t(Msg::FamilyScore).to_string());
    let mut sub = Vec::new();
    if let Some(n) = opt_text(Some(&d.unit_name), lang) {
        sub.push(n);
    }
    if let Some(y) = d.year {
        sub.push(format_academic_year(y));
    }
    let top = ctx.header(full, &title, &sub.join(" · "));
    let k = d.families.len();
    if k < 3 {
        let text = if k == 0 {
            ctx.t(Msg::NoData).to_string()
        } else {
            ctx.t(Msg::InsufficientData).to_string()
        };
        ctx.message(Rect::new(full.x, top, full.w, full.bottom() - top), &text);
        return;
    }
    let has_median = d.families.iter().any(|f| finite(f.peer_median).is_some());
    let unit_label = d.unit_name.get(lang).to_string();
    let mut legend = vec![LegendItem {
        swatch: Swatch::Line(ctx.theme.accent),
        label: if unit_label.is_empty() {
            ctx.t(Msg::FamilyScore).to_string()
        } else {
            unit_label.clone()
        },
    }];
    if has_median {
        let label = match d.peer_n {
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
    let top = ctx.legend(Rect::new(full.x, top, full.w, full.bottom() - top), &legend);

    let fp = ctx.px(Font::Label);
    let lh = ctx.lh(fp);
    let tick_px = ctx.px(Font::Tick);
    let tick_lh = ctx.lh(tick_px);
    // Axis labels take two lines (name, value) around the circle.
    let label_h = lh + tick_lh;
    let widest = d
        .families
        .iter()
        .map(|f| ctx.width(&family_label(ctx, f), fp, true))
        .fold(0.0, f64::max)
        .min(full.w * 0.3);
    let r = ((full.w - 2.0 * widest - 4.0 * gap) / 2.0)
        .min((full.bottom() - top - 2.0 * label_h - 2.0 * gap) / 2.0);
    if r < 20.0 {
        return;
    }
    let c = Point::new(full.x + full.w / 2.0, top + label_h + gap + r);
    let angle = |i: usize| -PI / 2.0 + 2.0 * PI * i as f64 / k as f64;
    let at = |i: usize, v: f64| {
        let rr = r * v.clamp(0.0, 100.0) / 100.0;
        Point::new(c.x + rr * angle(i).cos(), c.y + rr * angle(i).sin())
    };
    // Rings at 25, 50, 75, 100 and the spokes.
    for ring in [25.0, 50.0, 75.0, 100.0] {
        let mut pts: Vec<Point> = (0..k).map(|i| at(i, ring)).collect();
        if let Some(first) = pts.first().copied() {
            pts.push(first);
        }
        let color = if ring == 100.0 {
            ctx.theme.axis
        } else {
            ctx.theme.grid
        };
        ctx.polyline(pts, Stroke::solid(color, ctx.lw(1.0)));
    }
    for i in 0..k {
        ctx.line(c, at(i, 100.0), Stroke::solid(ctx.theme.grid, ctx.lw(1.0)));
    }
    let medians: Vec<Option<Point>> = d
        .families
        .iter()
        .enumerate()
        .map(|(i, f)| finite(f.peer_median).map(|v| at(i, v)))
        .collect();
    let scores: Vec<Option<Point>> = d
        .families
        .iter()
        .enumerate()
        .map(|(i, f)| finite(f.score).map(|v| at(i, v)))
        .collect();
    if has_median {
        outline(
            ctx,
            &medians,
            None,
            Stroke::dashed(ctx.theme.median, ctx.lw(1.5), 5.0 * ctx.ts, 3.0 * ctx.ts),
        );
    }
    outline(
        ctx,
        &scores,
        Some(ctx.theme.accent.with_alpha(0.18)),
        Stroke::solid(ctx.theme.accent, ctx.lw(2.5)),
    );

    // Ring values beside the first spoke, on a backing box above the outlines.
    for ring in [50.0, 100.0] {
        let p = at(0, ring);
        let text = format_number(ring, 0, lang);
        let at_text = Point::new(p.x - gap / 2.0, p.y + tick_lh / 2.0);
        let b = ctx.text_bounds(&text, at_text, tick_px, false, Align::End);
        if ctx.is_free(&b) {
            ctx.rect(b.expand(1.0), ctx.theme.background.with_alpha(0.85));
            ctx.text(
                &text,
                at_text,
                tick_px,
                false,
                ctx.theme.text_muted,
                Align::End,
            );
        }
    }
    let mut lane = Vec::new();
    for (i, f) in d.families.iter().enumerate() {
        let name = family_label(ctx, f);
        let score = finite(f.score).map(|v| v.clamp(0.0, 100.0));
        if let Some(p) = scores.get(i).copied().flatten() {
            ctx.circle(
                p,
                4.0 * ctx.ts,
                Some(ctx.theme.accent),
                Some(Stroke::solid(ctx.theme.background, ctx.lw(1.0))),
            );
        } else {
            let p = at(i, 0.0);
            ctx.circle(
                Point::new(p.x, p.y),
                4.0 * ctx.ts,
                Some(ctx.theme.background),
                Some(Stroke::solid(ctx.theme.missing, ctx.lw(1.5))),
            );
        }
        // Label outside the ring, aligned away from the centre.
        let a = angle(i);
        let (cos, sin) = (a.cos(), a.sin());
        let edge = Point::new(c.x + (r + gap) * cos, c.y + (r + gap) * sin);
        let align = if cos > 0.3 {
            Align::Start
        } else if cos < -0.3 {
            Align::End
        } else {
            Align::Middle
        };
        let y0 = if sin < -0.3 {
            edge.y - label_h + lh / 2.0
        } else if sin > 0.3 {
            edge.y + lh / 2.0
        } else {
            edge.y - label_h / 2.0 + lh / 2.0
        };
        let max_w = match align {
            Align::Start => full.right() - edge.x,
            Align::End => edge.x - full.x,
            Align::Middle => 2.0 * (edge.x - full.x).min(full.right() - edge.x),
        };
        let short = ellipsize(ctx.m, &name, fp, true, max_w.max(0.0)).into_owned();
        ctx.text(
            &short,
            Point::new(edge.x, y0),
            fp,
            true,
            ctx.theme.text,
            align,
        );
        let value_text = match score {
            Some(v) => format_number(v, 0, lang),
            None => ctx.t(Msg::NotComputable).to_string(),
        };
        let vt = ellipsize(ctx.m, &value_text, tick_px, false, max_w.max(0.0)).into_owned();
        ctx.text(
            &vt,
            Point::new(edge.x, y0 + lh / 2.0 + tick_lh / 2.0),
            tick_px,
            false,
            ctx.theme.text_muted,
            align,
        );
        let mut details = Vec::new();
        if let Some(m) = finite(f.peer_median) {
            details.push((
                ctx.t(Msg::PeerMedian).to_string(),
                format_number(m, 0, lang),
            ));
        }
        if let Some(n) = f.indicators {
            details.push((ctx.t(Msg::Indicator).to_string(), n.to_string()));
        }
        let anchor = scores
            .get(i)
            .copied()
            .flatten()
            .unwrap_or_else(|| at(i, 0.0));
        let id = ctx.hits.add_point(
            DataPoint {
                id: format!("family:{i}"),
                org: d.org.clone(),
                programme: d.programme.clone(),
                label: unit_label.clone(),
                series: Some(name),
                value: score,
                value_text: value_text.clone(),
                year: d.year,
                n: d.peer_n,
                details,
                note: if score.is_none() {
                    Some(
                        opt_text(f.reason.as_ref(), ctx.lang)
                            .unwrap_or_else(|| ctx.t(Msg::NotComputable).to_string()),
                    )
                } else {
                    None
                },
                ..Default::default()
            },
            anchor,
        );
        ctx.hits.add_region(
            id,
            HitShape::Circle {
                center: anchor,
                radius: 8.0,
            },
        );
        ctx.hits.add_region(
            id,
            HitShape::Segment {
                a: c,
                b: at(i, 100.0),
                tolerance: 4.0,
            },
        );
        lane.push(id);
    }
    ctx.hits.lanes = vec![lane];
    ctx.hits.lane_axis = LaneAxis::Horizontal;
}

/// The data table of a `radar`: one row per family of indicators (the row header) with
/// the unit's score (0–100), the peer median, how many indicators it rests on, and why a
/// score is not computable; the unit and the group size are notes.
pub(crate) fn table(
    hits: &crate::hit::HitMap,
    lang: kpi_model::i18n::Lang,
    strings: &crate::strings::ChartStrings,
) -> super::table::TableModel {
    use super::table::{pivot, Pivot, RowBy};
    let t = |m: Msg| strings.get(m, lang).to_string();
    let spec = Pivot {
        rows: RowBy::Series,
        row_header: Msg::Family,
        value_header: t(Msg::FamilyScore),
        series_columns: false,
    };
    let mut m = pivot(hits, &spec, lang, strings);
    m.rename(&t(Msg::Indicator), &t(Msg::IndicatorsCount), "indicators");
    if let Some(c) = m.column_of(&t(Msg::IndicatorsCount)) {
        m.numeric[c] = true;
    }
    m.constant_to_note("n");
    if let Some(unit) = hits
        .points
        .first()
        .map(|p| p.label.clone())
        .filter(|l| !l.is_empty())
    {
        m.notes.insert(0, unit);
    }
    m
}
