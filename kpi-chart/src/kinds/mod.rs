//! The twelve chart kinds: input types and layout.
//!
//! Every kind's input type is always compiled (the engine and the JSON format name them);
//! the layout of the kinds beyond `ChartKind::CORE` is reached only with the `extra-kinds`
//! feature, and is unused (left out of the build) without it.

#[cfg_attr(not(feature = "extra-kinds"), allow(dead_code))]
pub mod cohort_flow;
pub mod compare;
pub mod distribution;
#[cfg_attr(not(feature = "extra-kinds"), allow(dead_code))]
pub mod gaps;
#[cfg_attr(not(feature = "extra-kinds"), allow(dead_code))]
pub mod heatmap;
pub mod kpi_card;
#[cfg_attr(not(feature = "extra-kinds"), allow(dead_code))]
pub mod radar;
#[cfg_attr(not(feature = "extra-kinds"), allow(dead_code))]
pub mod risk;
#[cfg_attr(not(feature = "extra-kinds"), allow(dead_code))]
pub mod scatter;
#[cfg_attr(not(feature = "extra-kinds"), allow(dead_code))]
pub mod table;
pub mod trend;

use super::geom::Rect;
use super::layout::Ctx;
use super::spec::Text;
use kpi_model::i18n::Lang;
use std::cmp::Ordering;

/// Row order `0..n` stably sorted by `cmp` of two indices.
///
/// Every `sort_by` on another element type or closure is another copy of the standard
/// library's sort in the widgets' chart module (about 4 KB each); the chart kinds sort
/// through this one copy instead, with the same (stable) result.
#[inline(never)]
pub(crate) fn stable_order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// `v.sort_by(cmp)` (stable) through [`stable_order`].
pub(crate) fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    // Long series usually arrive sorted: then the stable sort would change nothing.
    if v.windows(2).all(|w| cmp(&w[0], &w[1]) != Ordering::Greater) {
        return;
    }
    let order = stable_order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// `v.sort_by_key(key)` (stable) through [`stable_order`].
pub(crate) fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// A text from an optional input field, `None` when absent or blank.
pub(crate) fn opt_text(t: Option<&Text>, lang: Lang) -> Option<String> {
    t.map(|t| t.get(lang).trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The header of a chart; returns the y below it.
pub(crate) fn heading(ctx: &mut Ctx, area: Rect, title: &str, subtitle: &str) -> f64 {
    ctx.header(area, title, subtitle)
}

/// The summary sentence of a chart (for `aria-label`): its title, then the key numbers,
/// taken from the tooltips of the marks that matter (already in the display language).
// Not inlined into `layout_chart_shared`, which reads every point of a long series through
// it: V8 optimises a WebAssembly function whole, and that function would be tens of KB, long
// to optimise while the first draws of a long trend run unoptimised (docs/widgets.md).
#[inline(never)]
pub(crate) fn summary(input: &super::ChartInput, ctx: &Ctx) -> String {
    use super::strings::Msg;
    use super::ChartInput as I;
    use crate::spec::UnitText;
    let mut parts: Vec<String> = Vec::new();
    // The chart type first, then the title: "Line chart over years: Graduate employment".
    let kind_name = ctx.t(match input {
        I::KpiCard(_) => Msg::KindKpiCard,
        I::Trend(_) => Msg::KindTrend,
        I::Compare(_) => Msg::KindCompare,
        I::Distribution(_) => Msg::KindDistribution,
        I::Scatter(_) => Msg::KindScatter,
        I::Heatmap(_) => Msg::KindHeatmap,
        I::RiskGauge(_) => Msg::KindRiskGauge,
        I::RiskBreakdown(_) => Msg::KindRiskBreakdown,
        I::Radar(_) => Msg::KindRadar,
        I::Gaps(_) => Msg::KindGaps,
        I::CohortFlow(_) => Msg::KindCohortFlow,
        I::Table(_) => Msg::KindTable,
    });
    if ctx.title.trim().is_empty() {
        parts.push(kind_name.to_string());
    } else {
        parts.push(format!("{kind_name}: {}", ctx.title));
    }
    // The one-line takeaway of the kind, before the key numbers.
    match input {
        I::KpiCard(d) => {
            if let Some(note) = d.fallback_note(ctx) {
                parts.push(note);
            }
        }
        I::Trend(d) => {
            let line: Vec<&crate::spec::YearValue> =
                d.trend.iter().filter(|p| p.value.is_finite()).collect();
            if let (Some(a), Some(b)) = (line.first(), line.last()) {
                let years = f64::from(b.year - a.year);
                if years > 0.0 {
                    let slope = (b.value - a.value) / years;
                    let change = d.indicator.unit.format_change(
                        slope,
                        d.indicator.decimals,
                        ctx.lang,
                        ctx.strings,
                    );
                    // "Stable" when the yearly change rounds to zero at the displayed precision.
                    let shown_zero = !change.chars().any(|c| c.is_ascii_digit() && c != '0');
                    let direction = if shown_zero {
                        ctx.t(Msg::TrendFlat).to_string()
                    } else {
                        let msg = if slope > 0.0 {
                            Msg::TrendRising
                        } else {
                            Msg::TrendFalling
                        };
                        let unsigned = change.trim_start_matches(['+', '−', '-']);
                        ctx.tf(msg, &[("change", unsigned)])
                    };
                    // Then whether the tests find it significant (or disagree).
                    parts.push(match trend::significance_text(d, ctx) {
                        Some(sig) => format!("{direction}, {sig}"),
                        None => direction,
                    });
                }
            }
            if line.len() < 2 {
                if let Some(sig) = trend::significance_text(d, ctx) {
                    parts.push(sig);
                }
            }
            // Signals, latest first: "Signal 2022–2023: fell below the peer quartile".
            for p in d.points.iter().rev().filter(|p| p.signal.is_some()).take(2) {
                if let Some(sig) = &p.signal {
                    let text = sig.text.get(ctx.lang).trim();
                    parts.push(format!(
                        "{} {}{}{text}",
                        ctx.t(Msg::Signal),
                        kpi_model::i18n::format_academic_year(p.year),
                        if text.is_empty() { "" } else { ": " }
                    ));
                }
            }
        }
        #[cfg(feature = "extra-kinds")]
        I::Table(d) => {
            // The first and the last row as shown (after sorting), "header: cell" pairs.
            let model = table::model(d, ctx.lang, ctx.strings);
            let row_text = |row: &Vec<String>| -> String {
                model
                    .headers
                    .iter()
                    .zip(row)
                    .filter(|(_, c)| !c.trim().is_empty())
                    .take(4)
                    .map(|(h, c)| format!("{h}: {c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if let (Some(first), Some(last)) = (model.rows.first(), model.rows.last()) {
                parts.push(ctx.tf(Msg::FirstRow, &[("row", &row_text(first))]));
                if model.rows.len() > 1 {
                    parts.push(ctx.tf(Msg::LastRow, &[("row", &row_text(last))]));
                }
            }
        }
        #[cfg(feature = "extra-kinds")]
        I::CohortFlow(d) => parts.extend(d.takeaway(ctx)),
        #[cfg(feature = "extra-kinds")]
        I::Gaps(d) => {
            parts.extend(d.test_text(ctx));
            parts.extend(d.best_worst_text(ctx));
        }
        I::Distribution(d) => {
            let values: Vec<f64> = d.values.iter().copied().filter(|v| v.is_finite()).collect();
            if let (Some(u), false) = (d.unit_value.filter(|v| v.is_finite()), values.is_empty()) {
                let below = values.iter().filter(|&&v| v < u).count();
                let share = kpi_model::i18n::format_percent(
                    100.0 * below as f64 / values.len() as f64,
                    0,
                    ctx.lang,
                );
                parts.push(ctx.tf(Msg::ShareBelow, &[("share", &share)]));
            }
        }
        #[cfg(feature = "extra-kinds")]
        I::Heatmap(d) => {
            // Best and worst cells of the highlighted unit, by percentile in direction.
            let (pct, _) = heatmap::percentiles(d);
            if let Some(r) = d.rows.iter().position(|r| r.highlight) {
                let cells: Vec<(usize, f64)> = pct
                    .get(r)
                    .map(|row| {
                        row.iter()
                            .enumerate()
                            .filter_map(|(c, p)| p.map(|p| (c, p)))
                            .collect()
                    })
                    .unwrap_or_default();
                let best = cells.iter().max_by(|a, b| a.1.total_cmp(&b.1));
                let worst = cells.iter().min_by(|a, b| a.1.total_cmp(&b.1));
                let describe = |c: usize| -> Option<String> {
                    let col = d.columns.get(c)?;
                    let v = d.rows.get(r)?.cells.get(c)?.value?;
                    Some(format!(
                        "{} {}",
                        col.indicator.name(ctx.lang),
                        col.indicator.format(v, ctx.lang, ctx.strings)
                    ))
                };
                if let (Some(b), Some(w)) = (best, worst) {
                    if b.0 != w.0 {
                        if let (Some(bt), Some(wt)) = (describe(b.0), describe(w.0)) {
                            parts.push(ctx.tf(Msg::BestCell, &[("cell", &bt)]));
                            parts.push(ctx.tf(Msg::WorstCell, &[("cell", &wt)]));
                        }
                    }
                }
            }
        }
        _ => {}
    }
    let points = &ctx.hits.points;
    let by_id = |id: &str| {
        (0..points.len())
            .find(|&i| points.id_matches(i, id, false))
            .and_then(|i| points.get(i))
    };
    let key: Vec<std::borrow::Cow<'_, crate::hit::DataPoint>> = match input {
        I::KpiCard(_) | I::RiskGauge(_) => points.iter().take(1).collect(),
        // The latest value, then the latest peer median, then the latest forecast. The
        // trend's first lane has its years in order, then the forecast years; the second
        // has the medians by year: each is the last of its kind in its lane.
        I::Trend(_) => {
            let lane = |k: usize| ctx.hits.lanes.get(k).map_or(&[][..], Vec::as_slice);
            let is = |i: usize, prefix: &str| points.id_matches(i, prefix, true);
            let forecast = lane(0).last().filter(|&&i| is(i, "forecast:"));
            let last = lane(0).iter().rev().find(|&&i| is(i, "value:"));
            let median = lane(1).last().filter(|&&i| is(i, "median:"));
            [last, median, forecast]
                .into_iter()
                .flatten()
                .filter_map(|&i| points.get(i))
                .collect()
        }
        I::Compare(d) => d
            .bars
            .iter()
            .filter(|b| b.highlight)
            .filter_map(|b| by_id(&format!("bar:{}", b.id)))
            .chain(by_id("median"))
            .collect(),
        I::Distribution(_) => by_id("unit").into_iter().chain(by_id("box")).collect(),
        #[cfg(feature = "extra-kinds")]
        I::Scatter(d) => d
            .points
            .iter()
            .filter(|p| p.highlight)
            .filter_map(|p| by_id(&format!("point:{}", p.id)))
            .collect(),
        #[cfg(feature = "extra-kinds")]
        I::RiskBreakdown(_) => points.iter().take(3).collect(),
        #[cfg(feature = "extra-kinds")]
        I::Radar(_) | I::Gaps(_) => points.iter().collect(),
        // The first grade, the last grade and the graduates.
        #[cfg(feature = "extra-kinds")]
        I::CohortFlow(_) => {
            let n = points.len();
            let mut key: Vec<_> = points.iter().take(1).collect();
            key.extend(points.iter().skip(1).skip(n.saturating_sub(3)));
            key
        }
        // The heat map's and the table's (and, without `extra-kinds`, kinds not built).
        _ => Vec::new(),
    };
    for p in key {
        parts.push(
            p.tooltip_lines()
                .into_iter()
                .take(3)
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    // A cohort that cannot be reconstructed has said why in its takeaway.
    let explained = matches!(input, I::CohortFlow(d) if d.reason.is_some());
    if points.is_empty() && !explained {
        parts.push(ctx.t(Msg::NoData).to_string());
    } else if parts.len() <= 1 {
        parts.push(ctx.tf(Msg::DataPoints, &[("n", &points.len().to_string())]));
    }
    parts.join(". ")
}

/// The points of the unit the chart is about, in keyboard order (lanes first, then the
/// remaining points): its bar, dot, heat-map row, marker or yearly values.
pub(crate) fn own_points(input: &super::ChartInput, hits: &crate::hit::HitMap) -> Vec<usize> {
    use super::ChartInput as I;
    // (id, whether it is a prefix)
    let ids: Vec<(String, bool)> = match input {
        I::Compare(d) => d
            .bars
            .iter()
            .filter(|b| b.highlight)
            .map(|b| (format!("bar:{}", b.id), false))
            .collect(),
        #[cfg(feature = "extra-kinds")]
        I::Scatter(d) => d
            .points
            .iter()
            .enumerate()
            .filter(|(_, p)| p.highlight)
            .map(|(i, p)| {
                let id = if p.id.is_empty() {
                    i.to_string()
                } else {
                    p.id.clone()
                };
                (format!("point:{id}"), false)
            })
            .collect(),
        #[cfg(feature = "extra-kinds")]
        I::Heatmap(d) => d
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.highlight)
            .map(|(i, r)| {
                let id = if r.id.is_empty() {
                    i.to_string()
                } else {
                    r.id.clone()
                };
                (format!("cell:{id}:"), true)
            })
            .collect(),
        I::Distribution(_) => vec![("unit".to_string(), false)],
        _ => Vec::new(),
    };
    let matches = |i: usize| {
        ids.iter()
            .any(|(want, prefix)| hits.points.id_matches(i, want, *prefix))
    };
    if ids.is_empty() {
        return Vec::new();
    }
    let mut seen = vec![false; hits.points.len()];
    let mut out = Vec::new();
    let lanes_then_rest = hits
        .lanes
        .iter()
        .flatten()
        .copied()
        .chain(0..hits.points.len());
    for i in lanes_then_rest {
        let Some(seen) = seen.get_mut(i) else {
            continue;
        };
        if !*seen {
            *seen = true;
            if matches(i) {
                out.push(i);
            }
        }
    }
    out
}
