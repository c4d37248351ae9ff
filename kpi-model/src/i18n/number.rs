//! Number formatting for display in kk, ru, en and ky.
//!
//! The conventions follow CLDR: Kazakh, Russian and Kyrgyz group thousands with a no-break
//! space and use a decimal comma (`1 234,5`, as written in both Kazakhstan and Kyrgyzstan); English groups with a comma and uses a decimal
//! point (`1,234.5`). Negative numbers use the typographic minus sign `−` (U+2212), which
//! has the width of a digit and the plus sign, so signed columns line up. Values that are
//! not finite format as an em dash `—`: a display never shows `NaN` or `inf`.
//!
//! These functions round for display only; callers keep full precision everywhere else.
//! Machine-readable exports (CSV, JSON) must not use them.

use super::Lang;
use crate::Year;

/// No-break space (U+00A0): the thousands separator for kk and ru, and the space between
/// a number and its unit, so that a line never breaks inside a number.
pub const NO_BREAK_SPACE: char = '\u{00A0}';
/// Typographic minus sign (U+2212).
pub const MINUS_SIGN: char = '\u{2212}';
/// What a value that cannot be shown (not finite) is displayed as.
pub const NOT_A_NUMBER: &str = "—";
/// The most decimals any function here will print; more is noise in a display.
pub const MAX_DECIMALS: usize = 12;

/// Separators of one language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NumberSymbols {
    /// Between groups of three integer digits.
    pub group: char,
    /// Between the integer and the fraction.
    pub decimal: char,
}

impl NumberSymbols {
    /// The separators of `lang`.
    ///
    /// ```
    /// use kpi_model::i18n::{Lang, NumberSymbols};
    /// assert_eq!(NumberSymbols::of(Lang::Ru).decimal, ',');
    /// assert_eq!(NumberSymbols::of(Lang::En).group, ',');
    /// ```
    pub fn of(lang: Lang) -> Self {
        match lang {
            Lang::Kk | Lang::Ru | Lang::Ky => NumberSymbols {
                group: NO_BREAK_SPACE,
                decimal: ',',
            },
            Lang::En => NumberSymbols {
                group: ',',
                decimal: '.',
            },
        }
    }
}

/// Formats `value` with exactly `decimals` digits after the separator and grouped thousands.
///
/// A value that rounds to zero has no sign (`-0.01` with one decimal is `0.0`).
///
/// ```
/// use kpi_model::i18n::{format_number, Lang};
/// assert_eq!(format_number(1234567.891, 2, Lang::En), "1,234,567.89");
/// assert_eq!(format_number(1234567.891, 1, Lang::Ru), "1\u{a0}234\u{a0}567,9");
/// assert_eq!(format_number(-0.5, 1, Lang::Kk), "\u{2212}0,5");
/// assert_eq!(format_number(f64::NAN, 1, Lang::En), "—");
/// ```
pub fn format_number(value: f64, decimals: usize, lang: Lang) -> String {
    if !value.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    let decimals = decimals.min(MAX_DECIMALS);
    let symbols = NumberSymbols::of(lang);
    let digits = round_half_away(value.abs(), decimals);
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits.as_str(), None),
    };
    let rounds_to_zero = digits.bytes().all(|b| b == b'0' || b == b'.');
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 4);
    if value < 0.0 && !rounds_to_zero {
        out.push(MINUS_SIGN);
    }
    push_grouped(&mut out, int_part, symbols.group);
    if let Some(frac) = frac_part {
        out.push(symbols.decimal);
        out.push_str(frac);
    }
    out
}

/// `value` (≥ 0, finite) with exactly `decimals` decimals, rounded half away from zero *as
/// written* (the shortest decimal that reads back as `value`): 45.25 → `45.3`, as people and
/// spreadsheets round, where `format!("{:.1}", 45.25)` would give `45.2`.
fn round_half_away(value: f64, decimals: usize) -> String {
    let shortest = format!("{value}");
    let (int_part, frac_part) = shortest.split_once('.').unwrap_or((shortest.as_str(), ""));
    if frac_part.len() <= decimals {
        let mut out = int_part.to_string();
        if decimals > 0 {
            out.push('.');
            out.push_str(frac_part);
            out.extend(std::iter::repeat_n('0', decimals - frac_part.len()));
        }
        return out;
    }
    // Digits kept (integer and fraction), and whether the first dropped digit rounds up.
    let mut kept: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes().take(decimals))
        .collect();
    let round_up = frac_part
        .as_bytes()
        .get(decimals)
        .is_some_and(|d| *d >= b'5');
    if round_up {
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, b'1');
                break;
            }
            i -= 1;
            match kept.get_mut(i) {
                Some(d) if *d == b'9' => *d = b'0',
                Some(d) => {
                    *d += 1;
                    break;
                }
                None => break,
            }
        }
    }
    let int_len = kept.len() - decimals;
    let mut out = String::from_utf8_lossy(kept.get(..int_len).unwrap_or(&[])).into_owned();
    if decimals > 0 {
        out.push('.');
        out.push_str(&String::from_utf8_lossy(kept.get(int_len..).unwrap_or(&[])));
    }
    out
}

/// Appends ASCII digits with `group` between groups of three, counted from the right.
fn push_grouped(out: &mut String, digits: &str, group: char) {
    let len = digits.len();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push(group);
        }
        out.push(ch);
    }
}

/// Formats `value` with a leading `+` when positive and `−` when negative; zero (after
/// rounding) has no sign.
///
/// ```
/// use kpi_model::i18n::{format_signed, Lang};
/// assert_eq!(format_signed(3.14, 1, Lang::En), "+3.1");
/// assert_eq!(format_signed(-1234.0, 0, Lang::Ru), "\u{2212}1\u{a0}234");
/// assert_eq!(format_signed(0.04, 1, Lang::Kk), "0,0");
/// ```
pub fn format_signed(value: f64, decimals: usize, lang: Lang) -> String {
    let body = format_number(value, decimals, lang);
    if body == NOT_A_NUMBER {
        return body;
    }
    let is_zero = body
        .chars()
        .all(|c| c == '0' || c == NumberSymbols::of(lang).decimal);
    if value > 0.0 && !is_zero {
        format!("+{body}")
    } else {
        body
    }
}

/// Formats a percentage (a value already multiplied by 100): `45,3 %` in Russian (CLDR puts
/// a no-break space before the sign), `45,3%` in Kazakh and Kyrgyz, `45.3%` in English.
///
/// ```
/// use kpi_model::i18n::{format_percent, Lang};
/// assert_eq!(format_percent(45.25, 1, Lang::Ru), "45,3\u{a0}%");
/// assert_eq!(format_percent(45.25, 1, Lang::Kk), "45,3%");
/// assert_eq!(format_percent(100.0, 0, Lang::En), "100%");
/// assert_eq!(format_percent(1234.5, 1, Lang::Ky), "1\u{a0}234,5%");
/// ```
pub fn format_percent(value: f64, decimals: usize, lang: Lang) -> String {
    let body = format_number(value, decimals, lang);
    if body == NOT_A_NUMBER {
        return body;
    }
    match lang {
        Lang::Ru => format!("{body}{NO_BREAK_SPACE}%"),
        Lang::Kk | Lang::En | Lang::Ky => format!("{body}%"),
    }
}

/// The abbreviation of "percentage points": `п.т.` (пайыздық тармақ), `п.п.`
/// (процентных пунктов), `pp`, and in Kyrgyz `п.п.` (пайыздык пункт).
pub fn percentage_points_abbr(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk => "п.т.",
        Lang::Ru => "п.п.",
        Lang::En => "pp",
        Lang::Ky => "п.п.",
    }
}

/// Formats a signed change of a percentage in percentage points: `+3,1 п.п.`, `+3.1 pp`.
///
/// ```
/// use kpi_model::i18n::{format_change_pp, Lang};
/// assert_eq!(format_change_pp(3.14, 1, Lang::Ru), "+3,1\u{a0}п.п.");
/// assert_eq!(format_change_pp(-0.26, 1, Lang::Kk), "\u{2212}0,3\u{a0}п.т.");
/// assert_eq!(format_change_pp(3.14, 1, Lang::En), "+3.1\u{a0}pp");
/// ```
pub fn format_change_pp(delta: f64, decimals: usize, lang: Lang) -> String {
    let body = format_signed(delta, decimals, lang);
    if body == NOT_A_NUMBER {
        return body;
    }
    format!("{body}{NO_BREAK_SPACE}{}", percentage_points_abbr(lang))
}

/// Orders of magnitude used by the compact forms, largest first: the power of ten and the
/// abbreviation in kk, ru, en and ky.
const MAGNITUDES: [(i32, [&str; 4]); 4] = [
    (12, ["трлн", "трлн", "tn", "трлн"]),
    (9, ["млрд", "млрд", "bn", "млрд"]),
    (6, ["млн", "млн", "m", "млн"]),
    (3, ["мың", "тыс.", "k", "миң"]),
];

fn lang_index(lang: Lang) -> usize {
    match lang {
        Lang::Kk => 0,
        Lang::Ru => 1,
        Lang::En => 2,
        Lang::Ky => 3,
    }
}

/// Formats a number compactly with a magnitude word: `1,2 млрд`, `350 млн`, `12,5 тыс.`,
/// `1.2 bn`. Three significant digits at most (one decimal below 100 of the unit), trailing
/// `,0` dropped; numbers below 1 000 are printed with up to one decimal.
///
/// ```
/// use kpi_model::i18n::{format_compact, Lang};
/// assert_eq!(format_compact(1_234_000_000.0, Lang::Ru), "1,2\u{a0}млрд");
/// assert_eq!(format_compact(350_400_000.0, Lang::En), "350\u{a0}m");
/// assert_eq!(format_compact(12_500.0, Lang::Kk), "12,5\u{a0}мың");
/// assert_eq!(format_compact(999.0, Lang::En), "999");
/// assert_eq!(format_compact(12_500.0, Lang::Ky), "12,5\u{a0}миң");
/// ```
pub fn format_compact(value: f64, lang: Lang) -> String {
    if !value.is_finite() {
        return NOT_A_NUMBER.to_string();
    }
    let abs = value.abs();
    for (i, &(power, words)) in MAGNITUDES.iter().enumerate() {
        let scale = 10f64.powi(power);
        if abs < scale {
            continue;
        }
        let scaled = abs / scale;
        let decimals = if scaled < 99.95 { 1 } else { 0 };
        // Rounding may carry into the next magnitude: 999.96 million is 1 billion.
        let rounded = round_to(scaled, decimals);
        if rounded >= 1000.0 && i > 0 {
            let (bigger_power, bigger_words) = MAGNITUDES[i - 1];
            let bigger = abs / 10f64.powi(bigger_power);
            return compose_compact(value, bigger, 1, bigger_words[lang_index(lang)], lang);
        }
        return compose_compact(value, scaled, decimals, words[lang_index(lang)], lang);
    }
    let decimals = if abs.fract() == 0.0 || abs >= 100.0 {
        0
    } else {
        1
    };
    trim_zero_fraction(format_number(value, decimals, lang), lang)
}

fn compose_compact(sign_of: f64, scaled: f64, decimals: usize, word: &str, lang: Lang) -> String {
    let signed = if sign_of < 0.0 { -scaled } else { scaled };
    let body = trim_zero_fraction(format_number(signed, decimals, lang), lang);
    format!("{body}{NO_BREAK_SPACE}{word}")
}

fn round_to(value: f64, decimals: usize) -> f64 {
    let factor = 10f64.powi(decimals as i32);
    (value * factor).round() / factor
}

/// Drops a fraction made only of zeros: `1,0` → `1`.
fn trim_zero_fraction(text: String, lang: Lang) -> String {
    let decimal = NumberSymbols::of(lang).decimal;
    match text.rsplit_once(decimal) {
        Some((int_part, frac)) if frac.chars().all(|c| c == '0') => int_part.to_string(),
        _ => text,
    }
}

/// The currency sign of the tenge as written in `lang`: `₸` in kk, ru and ky, `KZT` in
/// English (the ISO code reads better beside English magnitude words). Amounts in tenge
/// stay tenge in a Kyrgyz text: nothing here converts a currency (a Kyrgyz export's som
/// belong under a metric of their own, docs/data.md).
pub fn kzt_symbol(lang: Lang) -> &'static str {
    match lang {
        Lang::Kk | Lang::Ru | Lang::Ky => "₸",
        Lang::En => "KZT",
    }
}

/// Formats an amount of tenge compactly: `1,2 млрд ₸`, `1.2 bn KZT`.
///
/// ```
/// use kpi_model::i18n::{format_kzt_compact, Lang};
/// assert_eq!(format_kzt_compact(1_234_567_890.0, Lang::Ru), "1,2\u{a0}млрд\u{a0}₸");
/// assert_eq!(format_kzt_compact(1_234_567_890.0, Lang::En), "1.2\u{a0}bn\u{a0}KZT");
/// assert_eq!(format_kzt_compact(845_000.0, Lang::Kk), "845\u{a0}мың\u{a0}₸");
/// ```
pub fn format_kzt_compact(value: f64, lang: Lang) -> String {
    let body = format_compact(value, lang);
    if body == NOT_A_NUMBER {
        return body;
    }
    format!("{body}{NO_BREAK_SPACE}{}", kzt_symbol(lang))
}

/// Formats an amount of tenge in full, without decimals: `1 234 568 ₸`, `1,234,568 KZT`.
///
/// ```
/// use kpi_model::i18n::{format_kzt, Lang};
/// assert_eq!(format_kzt(1_234_567.6, Lang::Kk), "1\u{a0}234\u{a0}568\u{a0}₸");
/// assert_eq!(format_kzt(1_234_567.6, Lang::En), "1,234,568\u{a0}KZT");
/// ```
pub fn format_kzt(value: f64, lang: Lang) -> String {
    let body = format_number(value, 0, lang);
    if body == NOT_A_NUMBER {
        return body;
    }
    format!("{body}{NO_BREAK_SPACE}{}", kzt_symbol(lang))
}

/// The academic year in full, `2023–2024` (an en dash; the same in every language).
///
/// ```
/// assert_eq!(kpi_model::i18n::format_academic_year(2023), "2023–2024");
/// ```
pub fn format_academic_year(year: Year) -> String {
    crate::academic_year_label(year)
}

/// The academic year in the short form used on axes, `2023–24`.
///
/// ```
/// assert_eq!(kpi_model::i18n::format_academic_year_short(2023), "2023–24");
/// assert_eq!(kpi_model::i18n::format_academic_year_short(1999), "1999–00");
/// ```
pub fn format_academic_year_short(year: Year) -> String {
    format!("{}–{:02}", year, (year + 1).rem_euclid(100))
}

/// Formats an ordinal rank: `3-орын`, `3-е место`, `3rd`, and in Kyrgyz `3-орун` (the
/// hyphen after the digits marks the ordinal, as `үчүнчү орун` is written with digits).
///
/// ```
/// use kpi_model::i18n::{format_rank, Lang};
/// assert_eq!(format_rank(3, Lang::Kk), "3-орын");
/// assert_eq!(format_rank(3, Lang::Ru), "3-е место");
/// assert_eq!(format_rank(22, Lang::En), "22nd");
/// assert_eq!(format_rank(13, Lang::En), "13th");
/// assert_eq!(format_rank(3, Lang::Ky), "3-орун");
/// ```
pub fn format_rank(rank: usize, lang: Lang) -> String {
    match lang {
        Lang::Kk => format!("{rank}-орын"),
        Lang::Ky => format!("{rank}-орун"),
        Lang::Ru => format!("{rank}-е место"),
        Lang::En => {
            let suffix = match (rank % 10, rank % 100) {
                (_, 11..=13) => "th",
                (1, _) => "st",
                (2, _) => "nd",
                (3, _) => "rd",
                _ => "th",
            };
            format!("{rank}{suffix}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero_as_written() {
        assert_eq!(round_half_away(45.25, 1), "45.3");
        assert_eq!(round_half_away(74.25, 1), "74.3");
        assert_eq!(round_half_away(0.125, 2), "0.13");
        assert_eq!(round_half_away(9.96, 1), "10.0");
        assert_eq!(round_half_away(999.5, 0), "1000");
        assert_eq!(round_half_away(2.0, 2), "2.00");
        assert_eq!(round_half_away(0.04, 1), "0.0");
        assert_eq!(round_half_away(1.0e21, 0), "1000000000000000000000");
        assert_eq!(format_number(-45.25, 1, Lang::Ru), "\u{2212}45,3");
    }

    const NB: char = NO_BREAK_SPACE;

    #[test]
    fn grouping_and_decimal_separator_per_language() {
        // Hand-written expectations: 1234567.891 rounded to 2 decimals is 1234567.89.
        assert_eq!(
            format_number(1234567.891, 2, Lang::Kk),
            format!("1{NB}234{NB}567,89")
        );
        assert_eq!(
            format_number(1234567.891, 2, Lang::Ru),
            format!("1{NB}234{NB}567,89")
        );
        assert_eq!(format_number(1234567.891, 2, Lang::En), "1,234,567.89");
        assert_eq!(format_number(999.0, 0, Lang::Ru), "999");
        assert_eq!(format_number(1000.0, 0, Lang::Ru), format!("1{NB}000"));
        assert_eq!(format_number(100000.0, 0, Lang::En), "100,000");
        assert_eq!(format_number(0.0, 2, Lang::En), "0.00");
    }

    #[test]
    fn negatives_use_minus_sign_and_negative_zero_has_none() {
        assert_eq!(format_number(-1234.5, 1, Lang::En), "\u{2212}1,234.5");
        assert_eq!(format_number(-0.04, 1, Lang::Ru), "0,0");
        assert_eq!(format_number(-0.0, 0, Lang::Ru), "0");
    }

    #[test]
    fn non_finite_values_show_a_dash() {
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(format_number(v, 1, Lang::Kk), "—");
            assert_eq!(format_percent(v, 1, Lang::Ru), "—");
            assert_eq!(format_change_pp(v, 1, Lang::En), "—");
            assert_eq!(format_kzt_compact(v, Lang::En), "—");
            assert_eq!(format_kzt(v, Lang::En), "—");
        }
    }

    #[test]
    fn decimals_are_capped() {
        assert_eq!(format_number(1.0, 40, Lang::En), "1.000000000000");
    }

    #[test]
    fn signed_changes() {
        assert_eq!(format_signed(12.345, 2, Lang::Ru), "+12,35");
        assert_eq!(format_signed(-12.345, 1, Lang::En), "\u{2212}12.3");
        assert_eq!(format_signed(0.0, 1, Lang::En), "0.0");
        assert_eq!(format_change_pp(3.1, 1, Lang::Ru), format!("+3,1{NB}п.п."));
        assert_eq!(format_change_pp(3.1, 1, Lang::En), format!("+3.1{NB}pp"));
        assert_eq!(
            format_change_pp(-12.0, 0, Lang::Kk),
            format!("\u{2212}12{NB}п.т.")
        );
    }

    #[test]
    fn percentages() {
        assert_eq!(format_percent(74.04, 1, Lang::Ru), format!("74,0{NB}%"));
        assert_eq!(format_percent(74.04, 1, Lang::Kk), "74,0%");
        assert_eq!(format_percent(74.04, 1, Lang::En), "74.0%");
        assert_eq!(format_percent(-5.0, 0, Lang::En), "\u{2212}5%");
    }

    #[test]
    fn compact_kzt_amounts() {
        // 1 234 567 890 / 1e9 = 1.23 → "1,2 млрд".
        assert_eq!(
            format_kzt_compact(1_234_567_890.0, Lang::Ru),
            format!("1,2{NB}млрд{NB}₸")
        );
        assert_eq!(
            format_kzt_compact(1_234_567_890.0, Lang::Kk),
            format!("1,2{NB}млрд{NB}₸")
        );
        assert_eq!(
            format_kzt_compact(1_234_567_890.0, Lang::En),
            format!("1.2{NB}bn{NB}KZT")
        );
        // 2e9 shows no trailing ",0".
        assert_eq!(
            format_kzt_compact(2_000_000_000.0, Lang::Ru),
            format!("2{NB}млрд{NB}₸")
        );
        // 999 960 000 rounds to 1000.0 million, so it is written as 1 billion.
        assert_eq!(
            format_kzt_compact(999_960_000.0, Lang::En),
            format!("1{NB}bn{NB}KZT")
        );
        // 150 300 000 000 000 / 1e12 = 150.3 → above 99.95, no decimal.
        assert_eq!(
            format_kzt_compact(150.3e12, Lang::Ru),
            format!("150{NB}трлн{NB}₸")
        );
        assert_eq!(
            format_kzt_compact(-45_600.0, Lang::Ru),
            format!("\u{2212}45,6{NB}тыс.{NB}₸")
        );
        assert_eq!(format_kzt_compact(950.0, Lang::En), format!("950{NB}KZT"));
        assert_eq!(format_kzt_compact(0.0, Lang::Kk), format!("0{NB}₸"));
        assert_eq!(format_compact(12.34, Lang::Ru), "12,3");
        // Beyond trillions there is no bigger word: 1e15 is a grouped 1 000 trillion.
        assert_eq!(format_compact(1e15, Lang::En), format!("1,000{NB}tn"));
    }

    #[test]
    fn academic_years() {
        assert_eq!(format_academic_year(2019), "2019–2020");
        assert_eq!(format_academic_year_short(2023), "2023–24");
        assert_eq!(format_academic_year_short(2009), "2009–10");
    }

    #[test]
    fn ranks() {
        assert_eq!(format_rank(1, Lang::En), "1st");
        assert_eq!(format_rank(2, Lang::En), "2nd");
        assert_eq!(format_rank(11, Lang::En), "11th");
        assert_eq!(format_rank(101, Lang::En), "101st");
        assert_eq!(format_rank(1, Lang::Ru), "1-е место");
        assert_eq!(format_rank(21, Lang::Ky), "21-орун");
    }

    #[test]
    fn kyrgyz_numbers_use_space_groups_and_a_decimal_comma() {
        assert_eq!(
            format_number(1234567.891, 2, Lang::Ky),
            format!("1{NB}234{NB}567,89")
        );
        assert_eq!(format_percent(74.04, 1, Lang::Ky), "74,0%");
        assert_eq!(
            format_change_pp(-3.12, 1, Lang::Ky),
            format!("\u{2212}3,1{NB}п.п.")
        );
        assert_eq!(format_compact(45_600.0, Lang::Ky), format!("45,6{NB}миң"));
        assert_eq!(
            format_kzt_compact(1_234_567_890.0, Lang::Ky),
            format!("1,2{NB}млрд{NB}₸")
        );
    }
}
