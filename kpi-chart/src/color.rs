//! Colours: parsing CSS notations, mixing, and WCAG contrast.

use plotters_backend::BackendColor;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An sRGB colour with opacity.
///
/// Serialises as a CSS hex string (`#1f6fb2`, or `#1f6fb280` with opacity) and parses the
/// notations a portal's CSS custom properties use: `#rgb`, `#rrggbb`, `#rrggbbaa`,
/// `rgb(…)`/`rgba(…)` and a few named colours.
///
/// ```
/// use kpi_chart::Color;
/// let c = Color::parse("#1f6fb2").unwrap();
/// assert_eq!((c.r, c.g, c.b), (0x1f, 0x6f, 0xb2));
/// assert_eq!(Color::parse("rgb(255, 0, 0)"), Some(Color::rgb(255, 0, 0)));
/// // Black text on white: the maximum contrast ratio 21:1.
/// assert_eq!(Color::rgb(0, 0, 0).contrast_ratio(Color::rgb(255, 255, 255)), 21.0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Color {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
    /// Opacity, 0 (transparent) to 1 (opaque).
    pub a: f64,
}

impl Color {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Color { r, g, b, a: 1.0 }
    }

    /// An opaque colour from `0xRRGGBB`.
    pub const fn hex(v: u32) -> Self {
        Color::rgb((v >> 16) as u8, (v >> 8) as u8, v as u8)
    }

    /// The same colour with opacity `a` (clamped to 0–1; NaN becomes opaque).
    pub fn with_alpha(self, a: f64) -> Self {
        Color {
            a: if a.is_nan() { 1.0 } else { a.clamp(0.0, 1.0) },
            ..self
        }
    }

    /// Linear interpolation in sRGB between `self` (t = 0) and `other` (t = 1).
    pub fn mix(self, other: Color, t: f64) -> Color {
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        let lerp = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Color {
            r: lerp(self.r, other.r),
            g: lerp(self.g, other.g),
            b: lerp(self.b, other.b),
            a: self.a + (other.a - self.a) * t,
        }
    }

    /// The opaque colour this one shows as when painted over `background`.
    pub fn over(self, background: Color) -> Color {
        background.with_alpha(1.0).mix(self.with_alpha(1.0), self.a)
    }

    /// Relative luminance (WCAG 2.x), 0 for black to 1 for white.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let s = f64::from(c) / 255.0;
            if s <= 0.03928 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// WCAG contrast ratio between two opaque colours, 1 to 21.
    pub fn contrast_ratio(self, other: Color) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
        let ratio = (hi + 0.05) / (lo + 0.05);
        // Round to 2 decimals so that exact cases (21:1) compare equal.
        (ratio * 100.0).round() / 100.0
    }

    /// Whichever of `dark` and `light` contrasts more with this colour: the text colour to
    /// put on a filled area.
    pub fn best_text_on(self, dark: Color, light: Color) -> Color {
        if self.contrast_ratio(dark) >= self.contrast_ratio(light) {
            dark
        } else {
            light
        }
    }

    /// Parses a CSS colour; `None` when the notation is not understood.
    pub fn parse(text: &str) -> Option<Color> {
        let t = text.trim().to_ascii_lowercase();
        if let Some(hex) = t.strip_prefix('#') {
            return parse_hex(hex);
        }
        if let Some(inner) = t
            .strip_prefix("rgba(")
            .or_else(|| t.strip_prefix("rgb("))
            .and_then(|s| s.strip_suffix(')'))
        {
            return parse_rgb_function(inner);
        }
        named(&t)
    }

    pub(crate) fn backend(self) -> BackendColor {
        BackendColor {
            alpha: self.a,
            rgb: (self.r, self.g, self.b),
        }
    }
}

fn parse_hex(hex: &str) -> Option<Color> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let nibble = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    match hex.len() {
        3 | 4 => {
            let r = nibble(0)? * 17;
            let g = nibble(1)? * 17;
            let b = nibble(2)? * 17;
            let a = if hex.len() == 4 { nibble(3)? * 17 } else { 255 };
            Some(Color::rgb(r, g, b).with_alpha(f64::from(a) / 255.0))
        }
        6 | 8 => {
            let a = if hex.len() == 8 { byte(6)? } else { 255 };
            Some(Color::rgb(byte(0)?, byte(2)?, byte(4)?).with_alpha(f64::from(a) / 255.0))
        }
        _ => None,
    }
}

fn parse_rgb_function(inner: &str) -> Option<Color> {
    // Accepts both `r, g, b[, a]` and the modern `r g b [/ a]`.
    let parts: Vec<&str> = inner
        .split([',', ' ', '/'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 && parts.len() != 4 {
        return None;
    }
    let channel = |p: &str| -> Option<u8> {
        let v = if let Some(pct) = p.strip_suffix('%') {
            pct.parse::<f64>().ok()? * 2.55
        } else {
            p.parse::<f64>().ok()?
        };
        v.is_finite().then(|| v.round().clamp(0.0, 255.0) as u8)
    };
    let alpha = match parts.get(3) {
        Some(p) => {
            let v = if let Some(pct) = p.strip_suffix('%') {
                pct.parse::<f64>().ok()? / 100.0
            } else {
                p.parse::<f64>().ok()?
            };
            if !v.is_finite() {
                return None;
            }
            v
        }
        None => 1.0,
    };
    Some(
        Color::rgb(
            channel(parts.first()?)?,
            channel(parts.get(1)?)?,
            channel(parts.get(2)?)?,
        )
        .with_alpha(alpha),
    )
}

fn named(name: &str) -> Option<Color> {
    Some(match name {
        "black" => Color::hex(0x000000),
        "white" => Color::hex(0xffffff),
        "transparent" => Color::hex(0x000000).with_alpha(0.0),
        "red" => Color::hex(0xff0000),
        "green" => Color::hex(0x008000),
        "blue" => Color::hex(0x0000ff),
        "navy" => Color::hex(0x000080),
        "teal" => Color::hex(0x008080),
        "orange" => Color::hex(0xffa500),
        "yellow" => Color::hex(0xffff00),
        "gray" | "grey" => Color::hex(0x808080),
        "silver" => Color::hex(0xc0c0c0),
        "purple" => Color::hex(0x800080),
        "maroon" => Color::hex(0x800000),
        _ => return None,
    })
}

impl fmt::Display for Color {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)?;
        if self.a < 1.0 {
            write!(f, "{:02x}", (self.a * 255.0).round() as u8)?;
        }
        Ok(())
    }
}

impl From<Color> for String {
    fn from(c: Color) -> String {
        c.to_string()
    }
}

impl TryFrom<String> for Color {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Color::parse(&s).ok_or_else(|| format!("not a CSS colour: {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_css_notations() {
        assert_eq!(Color::parse("#fff"), Some(Color::rgb(255, 255, 255)));
        assert_eq!(Color::parse(" #0072B2 "), Some(Color::hex(0x0072b2)));
        let c = Color::parse("#00000080").unwrap();
        // 0x80 = 128; 128 / 255 = 0.50196.
        assert!((c.a - 128.0 / 255.0).abs() < 1e-12);
        assert_eq!(
            Color::parse("rgba(10, 20, 30, 0.5)"),
            Some(Color::rgb(10, 20, 30).with_alpha(0.5))
        );
        assert_eq!(
            Color::parse("rgb(10 20 30 / 50%)"),
            Some(Color::rgb(10, 20, 30).with_alpha(0.5))
        );
        assert_eq!(Color::parse("Navy"), Some(Color::hex(0x000080)));
        for bad in [
            "",
            "#12",
            "#ggg",
            "rgb(1,2)",
            "hsl(1,2%,3%)",
            "rgb(nan,1,1)",
        ] {
            assert_eq!(Color::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_matches_wcag_examples() {
        // WCAG: #777777 on white is 4.48:1 (just below AA); #767676 is 4.54:1.
        let white = Color::hex(0xffffff);
        assert_eq!(Color::hex(0x777777).contrast_ratio(white), 4.48);
        assert_eq!(Color::hex(0x767676).contrast_ratio(white), 4.54);
    }

    #[test]
    fn serde_round_trip_and_display() {
        let c = Color::hex(0x1f6fb2).with_alpha(0.5);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, "\"#1f6fb280\"");
        let back: Color = serde_json::from_str(&json).unwrap();
        assert_eq!((back.r, back.g, back.b), (0x1f, 0x6f, 0xb2));
        assert!(serde_json::from_str::<Color>("\"nope\"").is_err());
    }

    #[test]
    fn over_composites_alpha() {
        // 50% black over white: 255 * 0.5 = 127.5 → 128.
        let c = Color::hex(0x000000)
            .with_alpha(0.5)
            .over(Color::hex(0xffffff));
        assert_eq!(c, Color::rgb(128, 128, 128));
    }
}
