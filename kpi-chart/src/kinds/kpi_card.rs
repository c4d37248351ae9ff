//! `kpi-card`: one indicator's latest value with its unit, the change from last year with an
//! arrow coloured by the indicator's direction, a sparkline (gaps for missing years), and
//! the unit's percentile in its peer group with n.

use super::opt_text;
use crate::geom::{LinearMap, Point, Rect};
use crate::hit::{DataPoint, HitShape, LaneAxis};
use crate::layout::{finite_extent, Ctx, Font};
use crate::scene::{Align, Stroke};
use crate::spec::{finite, Assessment, IndicatorInfo, Text, UnitText, YearValue};
use crate::strings::Msg;
use kpi_model::i18n::{format_academic_year, format_number};
use kpi_model::Year;
use serde::{Deserialize, Serialize};

/// Input of the `kpi-card` chart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KpiCardData {
    /// The indicator.
    pub indicator: IndicatorInfo,
    /// Name of the unit.
    pub unit_name: Text,
    /// Organisation id.
    pub org: Option<String>,
    /// Programme code.
    pub programme: Option<String>,
    /// The year of the value.
    pub year: Option<Year>,
    /// The latest value; `None` when not computable.
    pub value: Option<f64>,
    /// Why the value is not computable.
    pub reason: Option<Text>,
    /// The value of the previous year, for the change.
    pub previous: Option<f64>,
    /// The unit's values over the years, for the sparkline; missing years are gaps.
    pub history: Vec<YearValue>,
    /// Percentile of the unit in its peer group, in the indicator's direction (100 best).
    pub peer_percentile: Option<f64>,
    /// Number of organisations in the peer group.
    pub peer_n: Option<u32>,
    /// Peer median.
    pub peer_median: Option<f64>,
    /// Data warnings that touched the value.
    pub warnings: Vec<String>,
    /// Title (default: the indicator's name).
    pub title: Option<Text>,
    /// The later year asked for (or the latest of the data) that has no value, when the
    /// card falls back to the older `year`; the card says so in its text.
    pub unavailable: Option<UnavailableYear>,
}

/// A year a `kpi-card` could not show, and why: the card then shows the latest earlier
/// year with a value and says "2023–2024 data; 2024–2025 not available: {reason}".
///
/// ```
/// use kpi_chart::{render_svg, ChartInput, ChartOptions, KpiCardData, Size, Text, ThemeName};
/// use kpi_chart::UnavailableYear;
/// use kpi_model::i18n::Lang;
/// let card = KpiCardData {
///     year: Some(2023),
///     value: Some(71.4),
///     unavailable: Some(UnavailableYear {
///         year: 2024,
///         reason: Some(Text::Plain("missing graduates_employed in 2024".into())),
///     }),
///     ..Default::default()
/// };
/// let opts = ChartOptions::new(Lang::En, ThemeName::Light);
/// let svg = render_svg(&ChartInput::KpiCard(card), Size::new(480.0, 200.0), &opts).unwrap();
/// assert!(svg.contains("2023–2024 data; 2024–2025 not available:"), "{svg}");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnavailableYear {
    /// The year without a value.
    pub year: Year,
    /// Why it has none.
    pub reason: Option<Text>,
}

impl KpiCardData {
    /// "2023–2024 data; 2024–2025 not available: {reason}" when the card shows an older
    /// year than the one asked for, in the display language.
    pub(crate) fn fallback_note(&self, ctx: &Ctx) -> Option<String> {
        let u = self.unavailable.as_ref()?;
        let shown = self
            .year
            .filter(|y| *y < u.year && finite(self.value).is_some())?;
        let reason = opt_text(u.reason.as_ref(), ctx.lang)
            .unwrap_or_else(|| ctx.t(Msg::NotComputable).to_string());
        Some(ctx.tf(
            Msg::CardFallback,
            &[
                ("year", &format_academic_year(shown)),
                ("missing", &format_academic_year(u.year)),
                ("reason", &reason),
            ],
        ))
    }
}

impl KpiCardData {
    /// Whether the change from the previous year is for the better, by the direction.
    pub fn change_assessment(&self) -> Option<Assessment> {
        let (v, p) = (finite(self.value)?, finite(self.previous)?);
        let (gv, gp) = (
            self.indicator.direction.goodness(v),
            self.indicator.direction.goodness(p),
        );
        Some(if gv > gp {
            Assessment::Better
        } else if gv < gp {
            Assessment::Worse
        } else {
            Assessment::Neutral
        })
    }
}

pub(crate) fn layout(d: &KpiCardData, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let pad = ctx.pad();
    let gap = ctx.gap();
    let full = Rect::new(pad, pad, ctx.w - 2.0 * pad, ctx.h - 2.0 * pad);
    let title =
        opt_text(d.title.as_ref(), lang).unwrap_or_else(|| d.indicator.name(lang).to_string());
    let mut sub = Vec::new();
    if let Some(n) = opt_text(Some(&d.unit_name), lang) {
        sub.push(n);
    }
    if let Some(y) = d.year {
        sub.push(format_academic_year(y));
    }
    let mut y = ctx.header(full, &title, &sub.join(" · "));
    let value = finite(d.value);
    let big_px = ctx
        .px(Font::Scaled(2.6))
        .min((full.bottom() - y) * 0.5)
        .max(ctx.px(Font::Label));
    let big_lh = ctx.lh(big_px);
    let fp = ctx.px(Font::Label);
    let lh = ctx.lh(fp);
    let note_px = ctx.px(Font::Note);
    let note_lh = ctx.lh(note_px);

    // The value (or why there is none).
    let value_text = match value {
        Some(v) => d.indicator.format(v, lang, ctx.strings),
        None => ctx.t(Msg::NotComputable).to_string(),
    };
    let value_box = if value.is_some() {
        ctx.fit_text(
            &value_text,
            Point::new(full.x, y + big_lh / 2.0),
            big_px,
            true,
            ctx.theme.text,
            Align::Start,
            full.w,
        )
    } else {
        ctx.fit_text(
            &value_text,
            Point::new(full.x, y + lh / 2.0),
            fp,
            true,
            ctx.theme.text_muted,
            Align::Start,
            full.w,
        )
    };
    let value_anchor = Point::new(
        full.x + value_box.map(|b| b.w / 2.0).unwrap_or(0.0),
        y + big_lh / 2.0,
    );
    y += if value.is_some() { big_lh } else { lh };
    // An older year than asked for: say so under the value (at most three lines; the whole
    // sentence is also in the tooltip, the summary and the data table).
    let fallback = d.fallback_note(ctx);
    if let Some(note) = &fallback {
        for line in crate::text::wrap_text(ctx.m, note, note_px, false, full.w, 3) {
            if y + note_lh > full.bottom() {
                break;
            }
            ctx.fit_text(
                &line,
                Point::new(full.x, y + note_lh / 2.0),
                note_px,
                false,
                ctx.theme.text_muted,
                Align::Start,
                full.w,
            );
            y += note_lh;
        }
    }
    if value.is_none() {
        if let Some(reason) = opt_text(d.reason.as_ref(), ctx.lang) {
            if ctx
                .fit_text(
                    &reason,
                    Point::new(full.x, y + note_lh / 2.0),
                    note_px,
                    false,
                    ctx.theme.text_muted,
                    Align::Start,
                    full.w,
                )
                .is_some()
            {
                y += note_lh;
            }
        }
    }

    // Change from last year: arrow and amount in the colour of better/worse.
    let mut details = Vec::new();
    let change = match (value, finite(d.previous)) {
        (Some(v), Some(p)) => Some(v - p),
        _ => None,
    };
    if y + lh <= full.bottom() {
        let (text, color) = match (change, d.change_assessment()) {
            (Some(delta), Some(a)) => {
                let arrow = if delta > 0.0 {
                    "▲"
                } else if delta < 0.0 {
                    "▼"
                } else {
                    "●"
                };
                let amount =
                    d.indicator
                        .unit
                        .format_change(delta, d.indicator.decimals, lang, ctx.strings);
                let judgement = match a {
                    Assessment::Better => format!(" ({})", ctx.t(Msg::Better)),
                    Assessment::Worse => format!(" ({})", ctx.t(Msg::Worse)),
                    Assessment::Neutral => String::new(),
                };
                details.push((
                    ctx.t(Msg::Change).to_string(),
                    format!("{amount}{judgement}"),
                ));
                let color = match a {
                    Assessment::Better => ctx.theme.better,
                    Assessment::Worse => ctx.theme.worse,
                    Assessment::Neutral => ctx.theme.neutral,
                };
                // "vs previous year" only when the line has room for it.
                let long = format!("{arrow} {amount} {}{judgement}", ctx.t(Msg::VsPreviousYear));
                let text = if ctx.width(&long, fp, false) <= full.w {
                    long
                } else {
                    format!("{arrow} {amount}{judgement}")
                };
                (text, color)
            }
            _ => (ctx.t(Msg::NoPreviousYear).to_string(), ctx.theme.text_muted),
        };
        if ctx
            .fit_text(
                &text,
                Point::new(full.x, y + lh / 2.0),
                fp,
                false,
                color,
                Align::Start,
                full.w,
            )
            .is_some()
        {
            y += lh;
        }
    }

    // Peer position with n.
    let percentile = finite(d.peer_percentile).map(|p| p.clamp(0.0, 100.0));
    let mut foot: Vec<String> = Vec::new();
    if let Some(p) = percentile {
        let n = d
            .peer_n
            .map(|n| n.to_string())
            .unwrap_or_else(|| "?".into());
        let t = ctx.tf(
            Msg::PercentileOf,
            &[("p", &format_number(p, 0, lang)), ("n", &n)],
        );
        details.push((ctx.t(Msg::PeerPercentile).to_string(), t.clone()));
        foot.push(t);
    } else if let Some(n) = d.peer_n {
        foot.push(ctx.tf(Msg::NEquals, &[("n", &n.to_string())]));
    }
    if let Some(m) = finite(d.peer_median) {
        let t = format!(
            "{}: {}",
            ctx.t(Msg::PeerMedian),
            d.indicator.format(m, lang, ctx.strings)
        );
        details.push((
            ctx.t(Msg::PeerMedian).to_string(),
            d.indicator.format(m, lang, ctx.strings),
        ));
        foot.push(t);
    }
    // Each footer note on its own line when one line cannot hold both.
    let joined = foot.join(" · ");
    let bottom = if ctx.width(&joined, note_px, false) <= full.w {
        ctx.footer(full, &joined)
    } else {
        foot.iter().rev().fold(full.bottom(), |bottom, line| {
            ctx.footer(Rect::new(full.x, full.y, full.w, bottom - full.y), line)
        })
    };

    // Percentile bar: where the unit stands among its peers (0 worst, 100 best).
    let mut spark_bottom = bottom;
    if let Some(p) = percentile {
        let bar_h = 6.0 * ctx.ts;
        if bottom - y > bar_h + gap * 2.0 {
            let by = bottom - bar_h - gap;
            ctx.rect(Rect::new(full.x, by, full.w, bar_h), ctx.theme.grid);
            ctx.rect(
                Rect::new(full.x, by, full.w * p / 100.0, bar_h),
                ctx.theme.accent,
            );
            ctx.line(
                Point::new(full.x + full.w / 2.0, by - 2.0),
                Point::new(full.x + full.w / 2.0, by + bar_h + 2.0),
                Stroke::solid(ctx.theme.median, ctx.lw(1.0)),
            );
            spark_bottom = by - gap;
        }
    }

    let id = ctx.hits.add_point(
        DataPoint {
            id: "value".into(),
            org: d.org.clone(),
            programme: d.programme.clone(),
            label: d.unit_name.get(lang).to_string(),
            series: Some(d.indicator.name(lang).to_string()),
            value,
            value_text: value_text.clone(),
            unit: d.indicator.unit.label(lang, ctx.strings),
            year: d.year,
            n: d.peer_n,
            details,
            warnings: d.warnings.clone(),
            note: if value.is_none() {
                opt_text(d.reason.as_ref(), ctx.lang)
            } else {
                fallback
            },
            ..Default::default()
        },
        value_anchor,
    );
    ctx.hits.add_region(
        id,
        HitShape::Rect(Rect::new(full.x, full.y, full.w, y - full.y)),
    );
    let mut lane = vec![id];

    // Sparkline in the remaining space: one path per run of consecutive years.
    let mut hist: Vec<YearValue> = d
        .history
        .iter()
        .copied()
        .filter(|h| h.value.is_finite())
        .collect();
    super::sort_by_key(&mut hist, |h| h.year);
    hist.dedup_by_key(|h| h.year);
    let spark = Rect::new(full.x, y + gap, full.w, spark_bottom - y - gap);
    if hist.len() >= 2 && spark.h >= 16.0 {
        let (first, last) = (
            hist.first().map(|h| h.year).unwrap_or(0),
            hist.last().map(|h| h.year).unwrap_or(0),
        );
        let (lo, hi) = finite_extent(hist.iter().map(|h| h.value)).unwrap_or((0.0, 1.0));
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, hi + 1.0)
        };
        let xmap = LinearMap::new(
            f64::from(first),
            f64::from(last.max(first + 1)),
            spark.x + 4.0,
            spark.right() - 4.0,
        );
        let ymap = LinearMap::new(lo, hi, spark.bottom() - 4.0, spark.y + 4.0);
        let mut run: Vec<Point> = Vec::new();
        let mut prev: Option<Year> = None;
        let stroke = Stroke::solid(ctx.theme.accent, ctx.lw(2.0));
        for h in &hist {
            if prev.is_some_and(|p| p + 1 != h.year) {
                let done = std::mem::take(&mut run);
                if done.len() == 1 {
                    if let Some(p) = done.first() {
                        ctx.circle(*p, 2.0 * ctx.ts, Some(ctx.theme.accent), None);
                    }
                }
                ctx.polyline(done, stroke);
            }
            run.push(Point::new(
                xmap.to_px(f64::from(h.year)),
                ymap.to_px(h.value),
            ));
            prev = Some(h.year);
        }
        if run.len() == 1 {
            if let Some(p) = run.first() {
                ctx.circle(*p, 2.0 * ctx.ts, Some(ctx.theme.accent), None);
            }
        }
        ctx.polyline(run, stroke);
        for (k, h) in hist.iter().enumerate() {
            let c = Point::new(xmap.to_px(f64::from(h.year)), ymap.to_px(h.value));
            // The change from the year before, when that year has a value.
            let details = k
                .checked_sub(1)
                .and_then(|j| hist.get(j))
                .filter(|prev| prev.year + 1 == h.year)
                .map(|prev| {
                    let amount = d.indicator.unit.format_change(
                        h.value - prev.value,
                        d.indicator.decimals,
                        lang,
                        ctx.strings,
                    );
                    vec![(ctx.t(Msg::Change).to_string(), amount)]
                })
                .unwrap_or_default();
            let pid = ctx.hits.add_point(
                DataPoint {
                    id: format!("history:{}", h.year),
                    org: d.org.clone(),
                    programme: d.programme.clone(),
                    label: d.unit_name.get(lang).to_string(),
                    value: Some(h.value),
                    value_text: d.indicator.format(h.value, lang, ctx.strings),
                    unit: d.indicator.unit.label(lang, ctx.strings),
                    year: Some(h.year),
                    details,
                    ..Default::default()
                },
                c,
            );
            ctx.hits.add_region(
                pid,
                HitShape::Circle {
                    center: c,
                    radius: 6.0,
                },
            );
            lane.push(pid);
        }
        if let Some(last) = hist.last() {
            ctx.circle(
                Point::new(xmap.to_px(f64::from(last.year)), ymap.to_px(last.value)),
                3.0 * ctx.ts,
                Some(ctx.theme.accent),
                None,
            );
        }
    }
    ctx.hits.lanes = vec![lane];
    ctx.hits.lane_axis = LaneAxis::Horizontal;
}

/// The data table of a `kpi-card`: one row per year of the sparkline and the card's year
/// (ascending), its value and the change from the year before; the card's year adds the
/// peer percentile, the peer median, `n` and a note (a fallback year, a reason).
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
        series_columns: false,
    };
    let mut m = pivot(hits, &spec, lang, strings);
    if let Some(c) = m.column_of(&t(Msg::Change)) {
        m.move_column(c, 2);
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_model::Direction;

    #[test]
    fn change_is_judged_by_direction() {
        let mut d = KpiCardData {
            value: Some(12.0),
            previous: Some(15.0),
            ..Default::default()
        };
        assert_eq!(d.change_assessment(), Some(Assessment::Worse));
        d.indicator.direction = Direction::Lower;
        assert_eq!(d.change_assessment(), Some(Assessment::Better));
        // Target 13–20: 15 was inside, 12 is 1 below → worse.
        d.indicator.direction = Direction::Target {
            min: 13.0,
            max: 20.0,
        };
        assert_eq!(d.change_assessment(), Some(Assessment::Worse));
        d.previous = None;
        assert_eq!(d.change_assessment(), None);
    }
}
