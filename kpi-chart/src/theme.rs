//! Themes: colours, font and sizes of every chart.
//!
//! Three built-in themes (light, dark, high contrast); all text colours meet WCAG AA (4.5:1)
//! against the background, and "better"/"worse" are blue/orange, which stay distinct for
//! the common forms of colour blindness (unlike red/green). A portal overrides any colour or
//! the font with CSS custom properties, mapped here by [`Theme::apply_css_var`].

use super::color::Color;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The font stack used unless overridden: system UI fonts that cover Kazakh letters, with
/// DejaVu Sans (whose widths the native text measurer uses) before the generic fallback.
pub const DEFAULT_FONT_FAMILY: &str =
    "'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif";

/// Colours, font and sizes of a chart.
///
/// ```
/// use kpi_chart::{Color, Theme};
/// let mut theme = Theme::dark();
/// theme.apply_css_var("--kpi-accent", "#ff8800").unwrap();
/// assert_eq!(theme.accent, Color::hex(0xff8800));
/// assert!(theme.apply_css_var("--kpi-accent", "not a colour").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Theme {
    /// Name of the theme (`light`, `dark`, `high-contrast`, or a portal's own).
    pub name: String,
    /// Chart background.
    pub background: Color,
    /// Background of panels inside a chart (card body, table header, tooltips).
    pub surface: Color,
    /// Main text.
    pub text: Color,
    /// Secondary text: axis labels, notes, n.
    pub text_muted: Color,
    /// Grid lines.
    pub grid: Color,
    /// Axis lines and ticks.
    pub axis: Color,
    /// The unit the chart is about (highlighted bar, the trend line, the marker).
    pub accent: Color,
    /// The other units of the peer group (bars, points); also the outline of translucent
    /// bands and of heat-map cells, so it keeps 3:1 against the background.
    pub peer: Color,
    /// The peer median line.
    pub median: Color,
    /// The peer inter-quartile band (usually translucent).
    pub band: Color,
    /// The forecast interval band (usually translucent).
    pub forecast: Color,
    /// A change or position that is better by the indicator's direction (also text).
    pub better: Color,
    /// A change or position that is worse by the indicator's direction (also text).
    pub worse: Color,
    /// Neither better nor worse.
    pub neutral: Color,
    /// Low degree of risk (score ≤ 30).
    pub risk_low: Color,
    /// Medium degree of risk (30 < score ≤ 70).
    pub risk_medium: Color,
    /// High degree of risk (score > 70).
    pub risk_high: Color,
    /// Not computable or insufficient data.
    pub missing: Color,
    /// Heat map colour of the worst percentile (0).
    pub heat_worse: Color,
    /// Heat map colour of the median percentile (50).
    pub heat_mid: Color,
    /// Heat map colour of the best percentile (100).
    pub heat_better: Color,
    /// Outline of the data point that has keyboard focus.
    pub focus: Color,
    /// CSS font family (a stack) of all text.
    pub font_family: String,
    /// Base font size in CSS pixels; other sizes are multiples of it.
    pub font_size: f64,
    /// Multiplier of all line widths (high contrast uses thicker lines).
    pub line_scale: f64,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::light()
    }
}

/// The built-in theme names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThemeName {
    /// Dark text on white.
    #[default]
    Light,
    /// Light text on a dark background.
    Dark,
    /// White and saturated colours on black, thicker lines, larger text.
    HighContrast,
}

impl ThemeName {
    /// Parses `light`, `dark`, `high-contrast` (also `hc`, `contrast`).
    pub fn from_code(code: &str) -> Option<ThemeName> {
        match code.trim().to_ascii_lowercase().as_str() {
            "light" => Some(ThemeName::Light),
            "dark" => Some(ThemeName::Dark),
            "high-contrast" | "high_contrast" | "contrast" | "hc" => Some(ThemeName::HighContrast),
            _ => None,
        }
    }
}

/// A CSS custom property that could not be applied to a theme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThemeError {
    /// The property name as given.
    pub property: String,
    /// The value as given.
    pub value: String,
    /// What was expected.
    pub expected: &'static str,
}

impl fmt::Display for ThemeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CSS property {}: {:?} is not {}",
            self.property, self.value, self.expected
        )
    }
}

impl std::error::Error for ThemeError {}

impl Theme {
    /// The built-in theme `name`.
    pub fn named(name: ThemeName) -> Theme {
        match name {
            ThemeName::Light => Theme::light(),
            ThemeName::Dark => Theme::dark(),
            ThemeName::HighContrast => Theme::high_contrast(),
        }
    }

    /// Dark text on white.
    pub fn light() -> Theme {
        Theme {
            name: "light".into(),
            background: Color::hex(0xffffff),
            surface: Color::hex(0xf4f6f8),
            text: Color::hex(0x1b1f24),
            text_muted: Color::hex(0x566170),
            grid: Color::hex(0xe3e7ec),
            axis: Color::hex(0x9aa4b1),
            accent: Color::hex(0x1565c0),
            peer: Color::hex(0x808a99),
            median: Color::hex(0x3b4450),
            band: Color::hex(0x8795a8).with_alpha(0.22),
            forecast: Color::hex(0x1565c0).with_alpha(0.14),
            better: Color::hex(0x0b62a8),
            worse: Color::hex(0xb8480c),
            neutral: Color::hex(0x566170),
            risk_low: Color::hex(0x1b6ab3),
            risk_medium: Color::hex(0xb07d00),
            risk_high: Color::hex(0xc0470f),
            missing: Color::hex(0x7d8796),
            heat_worse: Color::hex(0xb8460b),
            heat_mid: Color::hex(0xf3f4f6),
            heat_better: Color::hex(0x1b5fa8),
            focus: Color::hex(0x1b1f24),
            font_family: DEFAULT_FONT_FAMILY.into(),
            font_size: 12.0,
            line_scale: 1.0,
        }
    }

    /// Light text on a dark background.
    pub fn dark() -> Theme {
        Theme {
            name: "dark".into(),
            background: Color::hex(0x15191e),
            surface: Color::hex(0x1e242b),
            text: Color::hex(0xe8ecf1),
            text_muted: Color::hex(0xa3aebb),
            grid: Color::hex(0x2a3139),
            axis: Color::hex(0x5b6673),
            accent: Color::hex(0x5aa9f0),
            peer: Color::hex(0x7a8797),
            median: Color::hex(0xd0d7de),
            band: Color::hex(0x8896a6).with_alpha(0.24),
            forecast: Color::hex(0x5aa9f0).with_alpha(0.18),
            better: Color::hex(0x5ab0f0),
            worse: Color::hex(0xf29b50),
            neutral: Color::hex(0xa3aebb),
            risk_low: Color::hex(0x4ea3e6),
            risk_medium: Color::hex(0xe5b53a),
            risk_high: Color::hex(0xf07a3a),
            missing: Color::hex(0x6f7a88),
            heat_worse: Color::hex(0xe0742a),
            heat_mid: Color::hex(0x2b3139),
            heat_better: Color::hex(0x4f9fe8),
            focus: Color::hex(0xffffff),
            font_family: DEFAULT_FONT_FAMILY.into(),
            font_size: 12.0,
            line_scale: 1.0,
        }
    }

    /// White and saturated colours on black, thicker lines, larger text.
    pub fn high_contrast() -> Theme {
        Theme {
            name: "high-contrast".into(),
            background: Color::hex(0x000000),
            surface: Color::hex(0x101010),
            text: Color::hex(0xffffff),
            text_muted: Color::hex(0xe0e0e0),
            grid: Color::hex(0x4a4a4a),
            axis: Color::hex(0xffffff),
            accent: Color::hex(0xffd60a),
            peer: Color::hex(0x9e9e9e),
            median: Color::hex(0xffffff),
            band: Color::hex(0xffffff).with_alpha(0.22),
            forecast: Color::hex(0xffd60a).with_alpha(0.25),
            better: Color::hex(0x4fc3ff),
            worse: Color::hex(0xff9933),
            neutral: Color::hex(0xe0e0e0),
            risk_low: Color::hex(0x4fc3ff),
            risk_medium: Color::hex(0xffd60a),
            risk_high: Color::hex(0xff7a33),
            missing: Color::hex(0xb0b0b0),
            heat_worse: Color::hex(0xff8a3d),
            heat_mid: Color::hex(0x3a3a3a),
            heat_better: Color::hex(0x4fc3ff),
            focus: Color::hex(0xffffff),
            font_family: DEFAULT_FONT_FAMILY.into(),
            font_size: 13.0,
            line_scale: 1.5,
        }
    }

    /// Applies one CSS custom property. Recognised names (with or without the leading
    /// `--kpi-`): `accent`, `font` (font family), `font-size` (px), `bg`/`background`,
    /// `surface`, `text`, `muted`, `grid`, `axis`, `peer`, `median`, `band`, `forecast`,
    /// `better`, `worse`, `neutral`, `risk-low`, `risk-medium`, `risk-high`, `missing`,
    /// `heat-worse`, `heat-mid`, `heat-better`, `focus`. Unknown names are ignored (`Ok`),
    /// so a portal may set properties meant for other tools.
    pub fn apply_css_var(&mut self, property: &str, value: &str) -> Result<(), ThemeError> {
        let key = property.trim();
        let key = key.strip_prefix("--kpi-").unwrap_or(key);
        let value = value.trim();
        let err = |expected| ThemeError {
            property: property.to_string(),
            value: value.to_string(),
            expected,
        };
        match key {
            "font" | "font-family" => {
                // A font family must not be able to break out of an SVG attribute or a
                // canvas font string.
                if value.is_empty() || value.contains(['<', '>', ';', '{', '}']) {
                    return Err(err("a CSS font family"));
                }
                self.font_family = value.to_string();
                return Ok(());
            }
            "font-size" => {
                let px = value.strip_suffix("px").unwrap_or(value).trim();
                return match px.parse::<f64>() {
                    Ok(v) if v.is_finite() && (6.0..=48.0).contains(&v) => {
                        self.font_size = v;
                        Ok(())
                    }
                    _ => Err(err("a font size between 6px and 48px")),
                };
            }
            _ => {}
        }
        let slot = match key {
            "bg" | "background" => &mut self.background,
            "surface" => &mut self.surface,
            "text" | "color" => &mut self.text,
            "muted" | "text-muted" => &mut self.text_muted,
            "grid" => &mut self.grid,
            "axis" => &mut self.axis,
            "accent" => &mut self.accent,
            "peer" => &mut self.peer,
            "median" => &mut self.median,
            "band" => &mut self.band,
            "forecast" => &mut self.forecast,
            "better" => &mut self.better,
            "worse" => &mut self.worse,
            "neutral" => &mut self.neutral,
            "risk-low" => &mut self.risk_low,
            "risk-medium" => &mut self.risk_medium,
            "risk-high" => &mut self.risk_high,
            "missing" => &mut self.missing,
            "heat-worse" => &mut self.heat_worse,
            "heat-mid" => &mut self.heat_mid,
            "heat-better" => &mut self.heat_better,
            "focus" => &mut self.focus,
            _ => return Ok(()),
        };
        *slot = Color::parse(value).ok_or_else(|| err("a CSS colour"))?;
        Ok(())
    }

    /// Applies several CSS custom properties, returning the ones that could not be applied
    /// (the others take effect).
    pub fn with_css_vars<'a>(
        mut self,
        vars: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (Theme, Vec<ThemeError>) {
        let mut errors = Vec::new();
        for (k, v) in vars {
            if let Err(e) = self.apply_css_var(k, v) {
                errors.push(e);
            }
        }
        (self, errors)
    }

    /// The heat-map colour of a percentile in the indicator's direction (0 worst, 100 best).
    pub fn heat_color(&self, percentile: f64) -> Color {
        let p = if percentile.is_finite() {
            percentile.clamp(0.0, 100.0)
        } else {
            return self.missing;
        };
        if p <= 50.0 {
            self.heat_worse.mix(self.heat_mid, p / 50.0)
        } else {
            self.heat_mid.mix(self.heat_better, (p - 50.0) / 50.0)
        }
    }

    /// Colours that carry text, each with the background it is drawn on: all must meet
    /// WCAG AA (4.5:1).
    pub fn text_pairs(&self) -> Vec<(&'static str, Color, Color)> {
        vec![
            ("text", self.text, self.background),
            ("text_muted", self.text_muted, self.background),
            ("better", self.better, self.background),
            ("worse", self.worse, self.background),
            ("neutral", self.neutral, self.background),
            ("accent", self.accent, self.background),
            ("text on surface", self.text, self.surface),
            ("muted on surface", self.text_muted, self.surface),
            ("better on surface", self.better, self.surface),
            ("worse on surface", self.worse, self.surface),
        ]
    }

    /// Colours of marks (bars, points, lines, band and cell outlines, gauge bands), each
    /// with the background it is drawn on: all must meet WCAG 2.1 non-text contrast (3:1).
    /// Translucent fills (the quartile and forecast bands, heat-map cells near the median)
    /// are not listed: they are always outlined with one of these colours.
    ///
    /// ```
    /// use kpi_chart::Theme;
    /// let t = Theme::light();
    /// assert!(t.mark_pairs().iter().all(|(_, fg, bg)| fg.over(*bg).contrast_ratio(*bg) >= 3.0));
    /// ```
    pub fn mark_pairs(&self) -> Vec<(&'static str, Color, Color)> {
        let bg = self.background;
        vec![
            ("accent", self.accent, bg),
            ("peer (bars, dots, band and cell outlines)", self.peer, bg),
            ("median", self.median, bg),
            ("better", self.better, bg),
            ("worse", self.worse, bg),
            ("neutral", self.neutral, bg),
            ("risk_low", self.risk_low, bg),
            ("risk_medium", self.risk_medium, bg),
            ("risk_high", self.risk_high, bg),
            ("missing", self.missing, bg),
            ("heat_worse", self.heat_worse, bg),
            ("heat_better", self.heat_better, bg),
            ("focus", self.focus, bg),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_themes_meet_wcag_aa_for_text() {
        for theme in [Theme::light(), Theme::dark(), Theme::high_contrast()] {
            for (what, fg, bg) in theme.text_pairs() {
                let ratio = fg.contrast_ratio(bg);
                assert!(ratio >= 4.5, "{} {what}: {ratio}", theme.name);
            }
        }
    }

    #[test]
    fn better_and_worse_differ_in_lightness_and_hue() {
        // Colour-blind safety check: the two must differ in hue family (blue vs orange:
        // blue channel dominant vs red channel dominant), not only red vs green.
        for theme in [Theme::light(), Theme::dark(), Theme::high_contrast()] {
            assert!(theme.better.b > theme.better.r, "{}", theme.name);
            assert!(theme.worse.r > theme.worse.b, "{}", theme.name);
        }
    }

    #[test]
    fn css_vars_override_and_report_errors() {
        let (theme, errors) = Theme::light().with_css_vars([
            ("--kpi-accent", "#123456"),
            ("--kpi-font", "Inter, sans-serif"),
            ("--kpi-font-size", "14px"),
            ("--kpi-better", "blue-ish"),
            ("--other-tool", "whatever"),
            ("--kpi-font", "x\"><script>"),
        ]);
        assert_eq!(theme.accent, Color::hex(0x123456));
        assert_eq!(theme.font_family, "Inter, sans-serif");
        assert_eq!(theme.font_size, 14.0);
        assert_eq!(theme.better, Theme::light().better);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].property, "--kpi-better");
    }

    #[test]
    fn heat_colour_endpoints() {
        let t = Theme::light();
        assert_eq!(t.heat_color(0.0), t.heat_worse);
        assert_eq!(t.heat_color(50.0), t.heat_mid);
        assert_eq!(t.heat_color(100.0), t.heat_better);
        assert_eq!(t.heat_color(f64::NAN), t.missing);
    }
}
