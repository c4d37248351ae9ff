//! One chart on a page: its input, language and theme, the last laid-out scene (kept for
//! hit testing, keyboard navigation and tooltips without redrawing), and its exports.

use crate::error::{ErrorCode, WidgetError, WidgetResult};
use crate::export;
pub use crate::lang::lang_of;
use crate::measure::BrowserMeasurer;
use crate::render;
use kpi_chart::{
    ChartInput, ChartLayout, ChartOptions, DataPoint, EstimatingMeasurer, HitIndex, IndicatorInfo,
    NavKey, Point, Rect, Size, TableModel, Theme, ThemeName,
};
use kpi_model::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Largest specification accepted, in bytes of JSON.
pub const MAX_SPEC_BYTES: usize = 64 * 1024 * 1024;

/// Pointer tolerance around marks, in CSS pixels (fingers are not precise).
const PICK_TOLERANCE: f64 = 8.0;

/// The specification of a chart as the page gives it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct WidgetSpec {
    /// Chart kind (`trend`, `compare` …).
    pub kind: String,
    /// The kind's chart input.
    pub data: Option<serde_json::Value>,
    /// `kk`, `ru` or `en`.
    pub lang: Option<String>,
    /// `light`, `dark` or `high-contrast`.
    pub theme: Option<String>,
    /// CSS custom properties (`--kpi-accent` → `#0057b8`).
    pub vars: HashMap<String, String>,
    /// The summary sentence, when the page has one.
    pub summary: Option<String>,
}

/// Theme from a name and CSS custom properties; an unusable property is reported.
pub fn theme_of(name: Option<&str>, vars: &HashMap<String, String>) -> WidgetResult<Theme> {
    let base = match name.map(str::trim).filter(|c| !c.is_empty()) {
        None => ThemeName::Light,
        Some(n) => ThemeName::from_code(n).ok_or_else(|| {
            WidgetError::new(
                ErrorCode::BadArgument,
                format!("theme {n:?}: expected light, dark or high-contrast"),
            )
        })?,
    };
    let (theme, errors) =
        Theme::named(base).with_css_vars(vars.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    match errors.first() {
        Some(e) => Err(WidgetError::new(ErrorCode::BadArgument, e.to_string())),
        None => Ok(theme),
    }
}

/// Parses the specification text.
pub fn parse_spec(text: &str) -> WidgetResult<WidgetSpec> {
    if text.len() > MAX_SPEC_BYTES {
        return Err(WidgetError::new(
            ErrorCode::TooLarge,
            format!(
                "specification of {} bytes, at most {MAX_SPEC_BYTES}",
                text.len()
            ),
        ));
    }
    serde_json::from_str(text)
        .map_err(|e| WidgetError::new(ErrorCode::BadSpec, format!("specification: {e}")))
}

/// A data point as JavaScript sees it: the tooltip and where to put it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PointView<'a> {
    /// Index of the point.
    pub index: usize,
    /// The point itself (id, org, programme, label, value, valueText …).
    #[serde(flatten)]
    pub point: std::borrow::Cow<'a, DataPoint>,
    /// Tooltip lines.
    pub tooltip: Vec<String>,
    /// Tooltip anchor in CSS pixels.
    pub anchor: Point,
    /// Bounding box of the mark, for the focus ring.
    pub bounds: Option<Rect>,
}

/// A chart: input, settings and the last layout.
pub struct ChartState {
    /// Shared with the records of a long series' points, built when asked for.
    input: std::sync::Arc<ChartInput>,
    options: ChartOptions,
    indicators: Vec<IndicatorInfo>,
    summary: Option<String>,
    measurer: Option<BrowserMeasurer>,
    layout: Option<ChartLayout>,
    /// The grid over the last layout's regions, built on the first pointer move after it
    /// (only for charts with many regions).
    hit_index: std::cell::OnceCell<HitIndex>,
}

/// From this many regions on, pointer picks go through a [`HitIndex`].
const INDEX_FROM: usize = 2048;

impl ChartState {
    /// A chart from its specification.
    pub fn from_spec(spec: WidgetSpec) -> WidgetResult<Self> {
        Self::from_spec_with(spec, |_| Ok(()))
    }

    /// A chart from its specification whose points (of a trend or scatter) were handed
    /// over as columns ([`crate::columns`]; the full chart module only).
    #[cfg(feature = "extra-kinds")]
    pub fn from_spec_with_columns(
        spec: WidgetSpec,
        columns: Option<crate::columns::PointColumns>,
    ) -> WidgetResult<Self> {
        Self::from_spec_with(spec, |input| match columns {
            Some(c) => c.apply(input),
            None => Ok(()),
        })
    }

    fn from_spec_with(
        spec: WidgetSpec,
        complete: impl FnOnce(&mut ChartInput) -> WidgetResult<()>,
    ) -> WidgetResult<Self> {
        let lang = lang_of(spec.lang.as_deref())?;
        let theme = theme_of(spec.theme.as_deref(), &spec.vars)?;
        let data = spec
            .data
            .unwrap_or(serde_json::Value::Object(Default::default()));
        let kind = spec.kind.trim();
        if kind.is_empty() {
            return Err(WidgetError::new(
                ErrorCode::BadSpec,
                "specification: kind is missing",
            ));
        }
        let indicators = render::indicators(&data);
        let mut input = render::parse_input(kind, data)?;
        complete(&mut input)?;
        let mut state = Self::from_input(input, lang, theme, spec.summary);
        state.indicators = indicators;
        Ok(state)
    }

    /// A chart from ready chart input.
    pub fn from_input(
        input: ChartInput,
        lang: Lang,
        theme: Theme,
        summary: Option<String>,
    ) -> Self {
        ChartState {
            indicators: Vec::new(),
            input: std::sync::Arc::new(input),
            options: ChartOptions { lang, theme },
            summary: summary.filter(|s| !s.trim().is_empty()),
            measurer: None,
            layout: None,
            hit_index: std::cell::OnceCell::new(),
        }
    }

    /// The kind.
    pub fn kind(&self) -> &'static str {
        self.input.kind().code()
    }

    /// Lays out at `width` × `height` CSS pixels, measuring with the browser's fonts when
    /// `browser_fonts` (the canvas) or the built-in estimate (exports that must not
    /// depend on the page, native tests).
    pub fn layout(
        &mut self,
        width: f64,
        height: f64,
        browser_fonts: bool,
    ) -> WidgetResult<&ChartLayout> {
        for (name, v) in [("width", width), ("height", height)] {
            if !v.is_finite() || !(1.0..=20_000.0).contains(&v) {
                return Err(WidgetError::new(
                    ErrorCode::BadArgument,
                    format!("{name} {v}: expected 1 to 20000 CSS pixels"),
                ));
            }
        }
        let size = Size::new(width, height);
        let layout = if browser_fonts {
            let family = self.options.theme.font_family.clone();
            if self.measurer.as_ref().is_none_or(|m| m.family() != family) {
                self.measurer = Some(BrowserMeasurer::new(&family));
            }
            match &self.measurer {
                Some(m) => render::layout(&self.input, size, &self.options, m)?,
                None => render::layout(&self.input, size, &self.options, &EstimatingMeasurer)?,
            }
        } else {
            render::layout(&self.input, size, &self.options, &EstimatingMeasurer)?
        };
        self.hit_index = std::cell::OnceCell::new();
        Ok(self.layout.insert(layout))
    }

    /// The last layout, or an error when the chart was never laid out.
    pub fn last(&self) -> WidgetResult<&ChartLayout> {
        self.layout.as_ref().ok_or_else(|| {
            WidgetError::new(ErrorCode::BadArgument, "the chart has not been drawn yet")
        })
    }

    /// The point under `(x, y)` CSS pixels, or the nearest within a finger's tolerance.
    pub fn hit_test(&self, x: f64, y: f64) -> WidgetResult<Option<usize>> {
        let hits = &self.last()?.scene.hits;
        let p = Point::new(x, y);
        // The grid is for the full module's scatter and heat map, a region per unit or cell:
        // the core module leaves it out (its long series, a trend's values, are runs of
        // points, picked by a binary search on x).
        if hits.regions.len() < INDEX_FROM || cfg!(not(feature = "extra-kinds")) {
            return Ok(hits.pick(p, PICK_TOLERANCE));
        }
        let index = self
            .hit_index
            .get_or_init(|| HitIndex::new(hits, PICK_TOLERANCE));
        Ok(index.pick(hits, p))
    }

    /// Where keyboard focus goes from `current` on a DOM key; `Ok(None)` when the key does
    /// not move focus or the chart has no points.
    pub fn navigate(&self, current: Option<usize>, key: &str) -> WidgetResult<Option<usize>> {
        let Some(key) = NavKey::from_dom_key(key) else {
            return Ok(None);
        };
        let hits = &self.last()?.scene.hits;
        let current = current.filter(|&i| i < hits.points.len());
        Ok(hits.navigate(current, key))
    }

    /// Point `i` with its tooltip.
    pub fn point(&self, i: usize) -> WidgetResult<PointView<'_>> {
        let hits = &self.last()?.scene.hits;
        let point = hits.points.get(i).ok_or_else(|| {
            WidgetError::new(
                ErrorCode::BadArgument,
                format!("point {i}: the chart has {} points", hits.points.len()),
            )
        })?;
        Ok(PointView {
            index: i,
            tooltip: point.tooltip_lines(),
            point,
            anchor: hits.anchor(i).unwrap_or_default(),
            bounds: hits.bounds(i),
        })
    }

    /// The points of the last layout in keyboard order ([`kpi_chart::HitMap::keyboard_order`]):
    /// the order of the widget's point buttons.
    pub fn point_order(&self) -> WidgetResult<Vec<usize>> {
        Ok(self.last()?.scene.hits.keyboard_order())
    }

    /// The texts of the points at positions `from..to` of the keyboard order (clamped):
    /// each point's tooltip lines joined by ". " (what the widget's point buttons say).
    pub fn point_texts(&self, from: usize, to: usize) -> WidgetResult<Vec<String>> {
        let hits = &self.last()?.scene.hits;
        let order = hits.keyboard_order();
        let to = to.min(order.len());
        Ok(order
            .get(from.min(to)..to)
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| hits.points.get(i))
            .map(|p| p.tooltip_lines().join(". "))
            .collect())
    }

    /// Number of data points of the last layout.
    pub fn point_count(&self) -> usize {
        self.layout
            .as_ref()
            .map_or(0, |l| l.scene.hits.points.len())
    }

    /// The summary sentence: the page's own, else the chart's.
    pub fn summary(&self) -> WidgetResult<String> {
        let layout = self.last()?;
        Ok(self
            .summary
            .clone()
            .unwrap_or_else(|| layout.summary.clone()))
    }

    /// The chart as SVG at the last drawn size.
    pub fn svg(&self) -> WidgetResult<String> {
        let last = self.last()?;
        let size = Size::new(last.scene.width, last.scene.height);
        // Laid out again with the built-in measurer: the SVG is read on other machines,
        // whose fonts are unknown, and the estimate is an upper bound of the widths.
        let layout = render::layout(&self.input, size, &self.options, &EstimatingMeasurer)?;
        let summary = self
            .summary
            .clone()
            .unwrap_or_else(|| layout.summary.clone());
        render::render_svg(&layout.scene, &layout.scene.title, &summary)
    }

    /// CSV of exactly the data shown, with the indicator definitions.
    pub fn csv(&self) -> WidgetResult<String> {
        let last = self.last()?;
        Ok(export::csv(
            &last.table(),
            &last.scene.title,
            &self.indicators,
            self.options.lang,
        ))
    }

    /// The table of the data shown, one row per data point (what the CSV export writes).
    pub fn table(&self) -> WidgetResult<TableModel> {
        Ok(self.last()?.table())
    }

    /// The accessible table: the kind's own layout (`ChartLayout::data_table`).
    pub fn data_table(&self) -> WidgetResult<TableModel> {
        Ok(self.last()?.data_table())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trend() -> ChartState {
        let spec = parse_spec(
            r#"{"kind":"trend","lang":"ru","data":{"unit_name":"Колледж","indicator":{"code":"employment_rate","label":"Трудоустройство"},
                "points":[{"year":2020,"value":60},{"year":2021,"value":62.5},{"year":2022,"value":65}]}}"#,
        )
        .unwrap();
        ChartState::from_spec(spec).unwrap()
    }

    #[test]
    fn nothing_works_before_layout_and_everything_after() {
        let mut c = trend();
        assert_eq!(
            c.hit_test(1.0, 1.0).unwrap_err().code,
            ErrorCode::BadArgument
        );
        c.layout(640.0, 360.0, false).unwrap();
        assert!(c.point_count() >= 3);
        let first = c.navigate(None, "ArrowRight").unwrap().unwrap();
        let p = c.point(first).unwrap();
        // The anchor of a point hits that point.
        assert_eq!(c.hit_test(p.anchor.x, p.anchor.y).unwrap(), Some(first));
        assert!(c.point(10_000).is_err());
        // The proxies' texts are the tooltips, one per point, in keyboard order: the
        // first is where Home goes, the last where End goes.
        let texts = c.point_texts(0, usize::MAX).unwrap();
        assert_eq!(texts.len(), c.point_count());
        assert_eq!(texts[0], p.tooltip.join(". "));
        let order = c.point_order().unwrap();
        let end = c.navigate(None, "End").unwrap().unwrap();
        assert_eq!(order.last(), Some(&end));
        assert_eq!(
            texts.last(),
            Some(&c.point(end).unwrap().tooltip.join(". "))
        );
        assert_eq!(c.point_texts(1, 2).unwrap(), texts[1..2]);
        assert!(c.point_texts(5, 2).unwrap().is_empty());
        assert_eq!(c.navigate(None, "a").unwrap(), None);
        assert!(c
            .csv()
            .unwrap()
            .contains("# indicator,employment_rate,Трудоустройство"));
        assert!(c.svg().unwrap().starts_with("<svg"));
        assert!(c
            .summary()
            .unwrap()
            .starts_with("Линейный график по годам: Трудоустройство"));
    }

    #[test]
    fn the_javascript_default_language_is_the_rust_one() {
        let js = include_str!("../js/messages.js");
        let line = js
            .lines()
            .find(|l| l.starts_with("export const DEFAULT_LANG"))
            .expect("DEFAULT_LANG in messages.js");
        assert!(
            line.contains(&format!("'{}'", Lang::default().code())),
            "{line}"
        );
    }

    #[test]
    fn bad_settings_are_errors() {
        assert_eq!(parse_spec("[1]").unwrap_err().code, ErrorCode::BadSpec);
        assert_eq!(
            parse_spec("{\"kind\": 3}").unwrap_err().code,
            ErrorCode::BadSpec
        );
        assert!(lang_of(Some("de")).is_err());
        assert_eq!(lang_of(None).unwrap(), Lang::default());
        assert_eq!(lang_of(Some("kk-KZ")).unwrap(), Lang::Kk);
        assert!(theme_of(Some("pink"), &HashMap::new()).is_err());
        let vars = HashMap::from([("--kpi-accent".to_string(), "nope".to_string())]);
        assert!(theme_of(None, &vars).is_err());
        let mut c = trend();
        assert!(c.layout(f64::NAN, 10.0, false).is_err());
        assert!(c.layout(0.0, 10.0, false).is_err());
        assert!(c.layout(1e9, 10.0, false).is_err());
    }

    #[test]
    #[cfg(feature = "extra-kinds")]
    fn many_points_are_picked_through_the_index_as_by_the_full_scan() {
        let points = (0..6000)
            .map(|i| kpi_chart::ScatterPoint {
                id: i.to_string(),
                x: Some(f64::from(i % 97)),
                y: Some(50.0 + 40.0 * (f64::from(i) * 0.01).sin()),
                ..Default::default()
            })
            .collect();
        let input = ChartInput::Scatter(kpi_chart::ScatterData {
            points,
            ..Default::default()
        });
        let mut c = ChartState::from_input(input, Lang::En, Theme::light(), None);
        c.layout(640.0, 360.0, false).unwrap();
        let hits = c.last().unwrap().scene.hits.clone();
        assert!(hits.regions.len() >= INDEX_FROM);
        for i in (0..hits.points.len()).step_by(37) {
            let a = hits.anchor(i).unwrap();
            for (dx, dy) in [(0.0, 0.0), (3.5, -2.0), (0.0, 9.0), (-15.0, 30.0)] {
                let (x, y) = (a.x + dx, a.y + dy);
                assert_eq!(
                    c.hit_test(x, y).unwrap(),
                    hits.pick(Point::new(x, y), PICK_TOLERANCE),
                    "({x}, {y})"
                );
            }
        }
    }
}
