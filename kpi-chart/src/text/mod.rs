//! Measuring text without a browser or a font rasteriser.
//!
//! The layout measures every label itself, through [`TextMeasurer`], and only then draws
//! text with backend primitives (which never measure). Natively, [`EstimatingMeasurer`]
//! adds up per-character advance widths of DejaVu Sans, an upper bound for the fonts in the
//! default font stack, so labels placed with it never overlap when rendered. In the browser
//! the widget crate implements [`TextMeasurer`] with the canvas `measureText`.

mod advance;

use std::borrow::Cow;

/// Measures the width of a single line of text.
pub trait TextMeasurer {
    /// Advance width of `text` in CSS pixels at font size `font_px` (CSS pixels), regular
    /// or bold. Must be finite and non-negative for any input.
    fn width(&self, text: &str, font_px: f64, bold: bool) -> f64;

    /// Height of a line box (ascent plus descent) at `font_px`; labels are stacked at least
    /// this far apart.
    fn line_height(&self, font_px: f64) -> f64 {
        font_px * 1.2
    }
}

impl<T: TextMeasurer + ?Sized> TextMeasurer for &T {
    fn width(&self, text: &str, font_px: f64, bold: bool) -> f64 {
        (**self).width(text, font_px, bold)
    }
    fn line_height(&self, font_px: f64) -> f64 {
        (**self).line_height(font_px)
    }
}

/// A measurer using built-in advance widths of DejaVu Sans (regular and bold) for Latin,
/// Cyrillic (with every Kazakh and Kyrgyz letter), digits, punctuation and common symbols;
/// other characters count as 0.6 em, or 1 em for East Asian wide characters.
///
/// ```
/// use kpi_chart::{EstimatingMeasurer, TextMeasurer};
/// let m = EstimatingMeasurer;
/// // "0" is 1303/2048 em in DejaVu Sans, 637/1000 rounded up: 6.37 px at 10 px.
/// assert!((m.width("0", 10.0, false) - 6.37).abs() < 1e-9);
/// assert!(m.width("Қазақстан", 12.0, true) > m.width("Қазақстан", 12.0, false));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EstimatingMeasurer;

/// Advance width of `c` in thousandths of an em.
fn advance_milli_em(c: char, bold: bool) -> u32 {
    let cp = c as u32;
    let table: &[u16] = if bold {
        &advance::BOLD
    } else {
        &advance::REGULAR
    };
    let mut offset = 0usize;
    for &(first, last) in advance::RANGES.iter() {
        if cp < first {
            break;
        }
        if cp <= last {
            return match table.get(offset + (cp - first) as usize) {
                Some(&w) if w != u16::MAX => u32::from(w),
                _ => fallback_milli_em(cp),
            };
        }
        offset += (last - first + 1) as usize;
    }
    fallback_milli_em(cp)
}

fn fallback_milli_em(cp: u32) -> u32 {
    match cp {
        // Combining marks take no advance of their own.
        0x0300..=0x036F | 0x0483..=0x0489 => 0,
        // Control characters are not drawn.
        0x0000..=0x001F | 0x007F..=0x009F => 0,
        // East Asian wide ranges, Hangul, emoji: a full em.
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD => 1000,
        _ => 600,
    }
}

impl TextMeasurer for EstimatingMeasurer {
    fn width(&self, text: &str, font_px: f64, bold: bool) -> f64 {
        if !font_px.is_finite() || font_px <= 0.0 {
            return 0.0;
        }
        let milli: u64 = text
            .chars()
            .map(|c| u64::from(advance_milli_em(c, bold)))
            .sum();
        milli as f64 / 1000.0 * font_px
    }
}

/// The horizontal ellipsis appended to shortened text.
pub const ELLIPSIS: &str = "…";

/// Shortens `text` with a trailing `…` so that it fits `max_width`; the text itself when it
/// already fits. Returns just `…` (or nothing, if even that does not fit) for tiny widths.
///
/// ```
/// use kpi_chart::{ellipsize, EstimatingMeasurer};
/// let m = EstimatingMeasurer;
/// let name = "Абай атындағы Қазақ ұлттық педагогикалық университеті";
/// let short = ellipsize(&m, name, 12.0, false, 150.0);
/// assert!(short.ends_with('…'));
/// assert!(kpi_chart::TextMeasurer::width(&m, &short, 12.0, false) <= 150.0);
/// assert_eq!(ellipsize(&m, "Абай", 12.0, false, 150.0), "Абай");
/// ```
pub fn ellipsize<'a>(
    m: &dyn TextMeasurer,
    text: &'a str,
    font_px: f64,
    bold: bool,
    max_width: f64,
) -> Cow<'a, str> {
    if m.width(text, font_px, bold) <= max_width {
        return Cow::Borrowed(text);
    }
    let ellipsis_w = m.width(ELLIPSIS, font_px, bold);
    if ellipsis_w > max_width {
        return Cow::Borrowed("");
    }
    // Binary search on the number of characters kept: width is monotone in the prefix.
    let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let (mut lo, mut hi) = (0usize, boundaries.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let prefix = text.get(..boundaries.get(mid).copied().unwrap_or(text.len()));
        let w = prefix.map_or(f64::INFINITY, |p| m.width(p.trim_end(), font_px, bold));
        if w + ellipsis_w <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let end = boundaries.get(lo).copied().unwrap_or(text.len());
    let kept = text.get(..end).unwrap_or("").trim_end();
    // Do not end on a dangling punctuation mark or opening quote.
    let kept = kept.trim_end_matches([',', '«', '(', '"', '-', '–', ':']);
    Cow::Owned(format!("{kept}{ELLIPSIS}"))
}

/// Breaks `text` into at most `max_lines` lines no wider than `max_width`, at spaces (and
/// after hyphens); a word wider than a line is ellipsized, and so is the last line when the
/// text does not fit.
///
/// ```
/// use kpi_chart::{wrap_text, EstimatingMeasurer};
/// let lines = wrap_text(&EstimatingMeasurer, "Түлектерді жұмысқа орналастыру үлесі", 12.0, false, 140.0, 3);
/// assert_eq!(lines, vec!["Түлектерді жұмысқа", "орналастыру үлесі"]);
/// ```
pub fn wrap_text(
    m: &dyn TextMeasurer,
    text: &str,
    font_px: f64,
    bold: bool,
    max_width: f64,
    max_lines: usize,
) -> Vec<String> {
    if max_lines == 0 {
        return Vec::new();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < words.len() {
        let word = words.get(i).copied().unwrap_or("");
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if m.width(&candidate, font_px, bold) <= max_width {
            current = candidate;
            i += 1;
            continue;
        }
        if current.is_empty() {
            // A single word wider than the line.
            current = ellipsize(m, word, font_px, bold, max_width).into_owned();
            i += 1;
        }
        lines.push(std::mem::take(&mut current));
        if lines.len() == max_lines {
            break;
        }
    }
    if !current.is_empty() && lines.len() < max_lines {
        lines.push(current);
    }
    if i < words.len() {
        // Text left over: the last line ends with an ellipsis holding the rest.
        if let Some(last) = lines.last_mut() {
            let rest = words.get(i..).map(|w| w.join(" ")).unwrap_or_default();
            let joined = format!("{last} {rest}");
            *last = ellipsize(m, &joined, font_px, bold, max_width).into_owned();
        }
    }
    lines
}

/// Text escaped for HTML, SVG and XML, in content and in quoted attributes: `&`, `<`,
/// `>`, `"` and `'` become references, and control characters that XML forbids (below
/// U+0020 except tab, line feed and carriage return) are left out. The one escaper of
/// the project (charts, SVG exports, the HTML report).
///
/// ```
/// use kpi_chart::text::escape_markup;
/// assert_eq!(escape_markup("A&B <i>\"x\" 'y'"), "A&amp;B &lt;i&gt;&quot;x&quot; &#39;y&#39;");
/// assert_eq!(escape_markup("a\u{1}b\n"), "ab\n");
/// ```
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_letters_have_their_own_widths() {
        // DejaVu Sans 2.37 advance widths, units per em 2048, ×1000/2048 rounded up:
        // python3 -c "from fontTools.ttLib import TTFont; f=TTFont('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'); print(f['hmtx'][f.getBestCmap()[ord('ә')]])"
        // → ә 1260 → 615.2 → 616; ғ 1209 → 591; қ 1237 → 605; ң 1353 → 661; ө 1253 → 612;
        // ұ, ү 1212 → 592; һ 1298 → 634; і 569 → 278; ₸ 1303 → 637; bold Ә 1739 → 850.
        let expected = [
            ('ә', 616),
            ('ғ', 591),
            ('қ', 605),
            ('ң', 661),
            ('ө', 612),
            ('ұ', 592),
            ('ү', 592),
            ('һ', 634),
            ('і', 278),
        ];
        for (c, w) in expected {
            assert_eq!(advance_milli_em(c, false), w, "{c}");
        }
        assert_eq!(advance_milli_em('Ә', true), 850);
        assert_eq!(advance_milli_em('₸', false), 637);
    }

    #[test]
    fn fallbacks() {
        assert_eq!(advance_milli_em('中', false), 1000);
        assert_eq!(advance_milli_em('\u{0301}', false), 0);
        assert_eq!(advance_milli_em('\u{10FFFF}', false), 600);
        assert_eq!(EstimatingMeasurer.width("abc", f64::NAN, false), 0.0);
    }

    #[test]
    fn ellipsize_fits_and_keeps_prefix() {
        let m = EstimatingMeasurer;
        let text = "Қарағанды техникалық университеті";
        for max in [10.0, 30.0, 60.0, 120.0, 400.0] {
            let s = ellipsize(&m, text, 12.0, false, max);
            assert!(m.width(&s, 12.0, false) <= max, "{s} > {max}");
            let body = s.trim_end_matches('…');
            assert!(text.starts_with(body));
        }
        assert_eq!(ellipsize(&m, text, 12.0, false, 2.0), "");
    }

    #[test]
    fn wrap_respects_width_and_line_count() {
        let m = EstimatingMeasurer;
        let text = "Доля выпускников, трудоустроенных в течение первого года после выпуска";
        let lines = wrap_text(&m, text, 12.0, false, 120.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| m.width(l, 12.0, false) <= 120.0));
        assert!(lines[1].ends_with('…'));
        assert!(wrap_text(&m, "", 12.0, false, 100.0, 2).is_empty());
        assert!(wrap_text(&m, "abc", 12.0, false, 100.0, 0).is_empty());
    }
}
