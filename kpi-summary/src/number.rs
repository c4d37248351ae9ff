//! Localised number formatting and the few grammar helpers the sentences need.
//!
//! kk, ru and ky: a no-break space (U+00A0) between thousands and a decimal
//! comma (`12 345,6`); en: the same space between thousands and a decimal
//! point (`12 345.6`), as docs/widgets.md asks. Negative numbers take the minus
//! sign `−` (U+2212), which screen readers read as "minus".

use kpi_model::i18n::Lang;

/// The thousands separator: a no-break space, so that a number never wraps.
pub const THOUSANDS_SEPARATOR: char = '\u{a0}';

/// `x` rounded to `decimals` places with localised separators. Rounding
/// happens here only, for display; `−0` prints as `0`. Non-finite input
/// prints as `—` (the analyses never produce it).
///
/// ```
/// use kpi_model::i18n::Lang;
/// use kpi_summary::format_number;
/// assert_eq!(format_number(1234567.891, 2, Lang::Ru), "1\u{a0}234\u{a0}567,89");
/// assert_eq!(format_number(1234567.891, 1, Lang::En), "1\u{a0}234\u{a0}567.9");
/// assert_eq!(format_number(-2.06, 1, Lang::Kk), "−2,1");
/// assert_eq!(format_number(-0.04, 1, Lang::En), "0.0");
/// assert_eq!(format_number(999.96, 1, Lang::Ru), "1\u{a0}000,0");
/// assert_eq!(format_number(69.25, 1, Lang::En), "69.3"); // halves away from zero
/// ```
pub fn format_number(x: f64, decimals: usize, lang: Lang) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let decimals = decimals.min(12);
    let text = format!("{:.*}", decimals, round_half_away(x.abs(), decimals));
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let is_zero = text.bytes().all(|b| b == b'0' || b == b'.');
    let mut out = String::with_capacity(text.len() + 8);
    if x < 0.0 && !is_zero {
        out.push('−');
    }
    // Group digits in threes from the right (integers of 4 digits too: 1 234).
    let digits = int_part.len();
    for (i, c) in int_part.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(THOUSANDS_SEPARATOR);
        }
        out.push(c);
    }
    if let Some(f) = frac_part {
        out.push(decimal_mark(lang));
        out.push_str(f);
    }
    out
}

/// Rounds halves away from zero (69,25 → 69,3), as readers round by hand;
/// `format!` alone rounds exact binary halves to even (69,2).
fn round_half_away(x: f64, decimals: usize) -> f64 {
    let scale = 10f64.powi(decimals as i32);
    let scaled = x * scale;
    if !scaled.is_finite() || scaled.abs() >= 4_503_599_627_370_496.0 {
        return x; // beyond 2^52 every f64 is already whole at this scale
    }
    scaled.round() / scale
}

/// `,` for kk, ru and ky, `.` for en.
pub fn decimal_mark(lang: Lang) -> char {
    match lang {
        Lang::Kk | Lang::Ru | Lang::Ky => ',',
        Lang::En => '.',
    }
}

/// A p-value for a sentence: `p = 0,03` (2 decimals), `p = 0,004` (3
/// decimals below 0.01), `p < 0,001`.
///
/// ```
/// use kpi_model::i18n::Lang;
/// use kpi_summary::format_p_value;
/// assert_eq!(format_p_value(0.0312, Lang::Kk), "p = 0,03");
/// assert_eq!(format_p_value(0.0044, Lang::En), "p = 0.004");
/// assert_eq!(format_p_value(0.00001, Lang::Ru), "p < 0,001");
/// ```
pub fn format_p_value(p: f64, lang: Lang) -> String {
    if p < 0.001 {
        format!("p < {}", format_number(0.001, 3, lang))
    } else if p < 0.01 {
        format!("p = {}", format_number(p, 3, lang))
    } else {
        format!("p = {}", format_number(p, 2, lang))
    }
}

/// The Russian noun form after a whole number in the nominative: `one` for
/// 1, 21, 31 … (балл), `few` for 2–4, 22–24 … (балла), `many` otherwise
/// (баллов); a fraction takes `few` (2,5 балла).
pub(crate) fn ru_plural<'a>(x: f64, one: &'a str, few: &'a str, many: &'a str) -> &'a str {
    if x.fract() != 0.0 {
        return few;
    }
    let n = (x.abs() % 100.0) as u64;
    match (n % 10, n) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    }
}

/// The Russian genitive after a whole number (из 21 организации, из 5
/// организаций): singular for numbers ending in 1 (but not 11), plural
/// otherwise.
pub(crate) fn ru_genitive<'a>(n: usize, singular: &'a str, plural: &'a str) -> &'a str {
    if n % 10 == 1 && n % 100 != 11 {
        singular
    } else {
        plural
    }
}

/// The English ordinal suffix: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st.
pub(crate) fn en_ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_rounding() {
        assert_eq!(format_number(0.0, 0, Lang::Ru), "0");
        assert_eq!(format_number(999.0, 0, Lang::Ru), "999");
        assert_eq!(format_number(1000.0, 0, Lang::Kk), "1\u{a0}000");
        assert_eq!(format_number(123456.0, 0, Lang::En), "123\u{a0}456");
        assert_eq!(format_number(-1234.5, 1, Lang::Ru), "−1\u{a0}234,5");
        // halves away from zero: 0.125 and 69.25 are exact in binary
        assert_eq!(format_number(0.125, 2, Lang::En), "0.13");
        assert_eq!(format_number(69.25, 1, Lang::Ru), "69,3");
        assert_eq!(format_number(-2.5, 0, Lang::En), "−3");
        assert_eq!(format_number(f64::MAX, 0, Lang::En).len(), 309 + 102 * 2);
        assert_eq!(format_number(f64::NAN, 1, Lang::En), "—");
    }

    #[test]
    fn russian_plurals_and_english_ordinals() {
        let forms = |x| ru_plural(x, "балл", "балла", "баллов");
        assert_eq!(
            [1.0, 2.0, 5.0, 11.0, 12.0, 21.0, 22.0, 25.0, 111.0, 2.5].map(forms),
            [
                "балл",
                "балла",
                "баллов",
                "баллов",
                "баллов",
                "балл",
                "балла",
                "баллов",
                "баллов",
                "балла"
            ]
        );
        assert_eq!(ru_genitive(21, "организации", "организаций"), "организации");
        assert_eq!(ru_genitive(11, "организации", "организаций"), "организаций");
        assert_eq!(
            [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(en_ordinal),
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
                "111th"
            ]
        );
    }
}
