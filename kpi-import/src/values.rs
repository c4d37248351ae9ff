//! Reading typed values from cells: numbers (decimal comma, thousands
//! separators), academic years in every spelling the exports use, yes/no,
//! letter grades and scores on the national scale.

use super::normalize::trim_cell;
use super::table::Cell;
use kpi_model::Year;

/// Reads a number written as text. `decimal_comma` allows `12,5` (only where
/// the field separator is not a comma). Spaces, no-break spaces and
/// apostrophes are accepted as thousands separators between groups of three
/// digits (`1 234 567,5`). Infinite and NaN spellings are refused.
///
/// ```
/// use kpi_import::parse_number;
/// assert_eq!(parse_number("12.5", false), Some(12.5));
/// assert_eq!(parse_number("12,5", true), Some(12.5));
/// assert_eq!(parse_number("12,5", false), None);
/// assert_eq!(parse_number("1 234 567,5", true), Some(1234567.5));
/// assert_eq!(parse_number("1.234,5", true), Some(1234.5));
/// assert_eq!(parse_number("12 5", true), None);
/// assert_eq!(parse_number("NaN", false), None);
/// ```
#[inline]
pub fn parse_number(text: &str, decimal_comma: bool) -> Option<f64> {
    let s = trim_cell(text);
    if let Some(v) = short_decimal(s.as_bytes()) {
        return Some(v);
    }
    general_number(s, decimal_comma)
}

/// [`parse_number`] of trimmed text that is not a [`short_decimal`].
#[cold]
#[inline(never)]
fn general_number(s: &str, decimal_comma: bool) -> Option<f64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    // Fast path: plain ASCII numbers, the overwhelming majority.
    if b.iter()
        .all(|&c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return s.parse::<f64>().ok().filter(|v| v.is_finite());
    }
    let mut digits = String::with_capacity(s.len());
    let mut groups: Vec<usize> = vec![0];
    let mut seen_sep = false;
    let (mut commas, mut dots) = (0usize, 0usize);
    for c in s.chars() {
        match c {
            '0'..='9' => {
                digits.push(c);
                if let Some(g) = groups.last_mut() {
                    *g += 1;
                }
            }
            ' ' | '\u{a0}' | '\u{202f}' | '\'' => {
                seen_sep = true;
                groups.push(0);
            }
            ',' => {
                commas += 1;
                digits.push(',');
                groups.push(0);
            }
            '.' => {
                dots += 1;
                digits.push('.');
                groups.push(0);
            }
            '-' | '+' | 'e' | 'E' | '−' => digits.push(if c == '−' { '-' } else { c }),
            _ => return None,
        }
    }
    let text = match (commas, dots) {
        (0, _) => digits,
        (1, 0) if decimal_comma => digits.replace(',', "."),
        // `1.234,5`: dots group thousands, the comma is the decimal mark.
        (1, _) if decimal_comma && digits.rfind(',') > digits.rfind('.') => {
            digits.replace('.', "").replace(',', ".")
        }
        _ => return None,
    };
    if seen_sep {
        // Every group after the first, up to the decimal mark, has three digits.
        let int_part = s
            .split([',', '.'])
            .next()
            .unwrap_or("")
            .split([' ', '\u{a0}', '\u{202f}', '\''])
            .collect::<Vec<_>>();
        let ok = int_part.len() > 1
            && int_part
                .iter()
                .skip(1)
                .all(|g| g.len() == 3 && g.bytes().all(|c| c.is_ascii_digit()))
            && !int_part[0].is_empty()
            && int_part[0].trim_start_matches(['-', '+', '−']).len() <= 3;
        if !ok {
            return None;
        }
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// `[-]digits[.digits]` with at most 15 digits, the shape of nearly every
/// value in an export, read without the general float parser. Exact: the
/// digits form an integer below 2^53 and 10^k (k ≤ 15) is exact in f64, so
/// one division rounds once, as the general parser does (its own fast path).
/// `None` for any other shape.
#[inline]
fn short_decimal(b: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut n_digits = 0usize;
    let mut point: Option<usize> = None;
    for (i, &c) in digits.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                n_digits += 1;
            }
            b'.' if point.is_none() && i > 0 && i + 1 < digits.len() => point = Some(i),
            _ => return None,
        }
    }
    if n_digits > 15 {
        return None;
    }
    let magnitude = mantissa as f64;
    // A whole number needs no division (its conversion is exact).
    let v = match point {
        None => magnitude,
        Some(p) => magnitude / POW10.get(digits.len() - p - 1).copied()?,
    };
    Some(if negative { -v } else { v })
}

/// Reads an academic year: `2023`, `2023.0` (Excel), `2023-2024`,
/// `2023/2024`, `2023–2024`, `2023–24`, with the words exports add around
/// it (`2022-2023 уч. год`, `2022–2023 оқу жылы`, `Учебный год 2022/2023`,
/// `2023 г.`). The second year, when written, must follow the first. A date
/// (`01.10.2023`, `2023-10-01`) gives the academic year it falls in: an
/// academic year runs from 1 September to 31 August, so a date from
/// September on belongs to the year that starts then, and an earlier one to
/// the year before. The result is the first calendar year. Range checks are
/// the caller's.
///
/// ```
/// use kpi_import::parse_year;
/// assert_eq!(parse_year("2023"), Some(2023));
/// assert_eq!(parse_year("2023-2024"), Some(2023));
/// assert_eq!(parse_year("2023/2024"), Some(2023));
/// assert_eq!(parse_year("2023–24"), Some(2023));
/// assert_eq!(parse_year("2023.0"), Some(2023));
/// assert_eq!(parse_year("2022-2023 уч. год"), Some(2022));
/// assert_eq!(parse_year("2022–2023 оқу жылы"), Some(2022));
/// assert_eq!(parse_year("01.10.2023"), Some(2023));
/// assert_eq!(parse_year("15.05.2024"), Some(2023));
/// assert_eq!(parse_year("2023-2025"), None);
/// assert_eq!(parse_year("2023 apples"), None);
/// assert_eq!(parse_year("23"), None);
/// ```
pub fn parse_year(text: &str) -> Option<Year> {
    let s = trim_cell(text);
    if let Some(y) = year_span(s) {
        return Some(y);
    }
    if let Some(y) = date_year(s) {
        return Some(y);
    }
    // Words around the year: only the ones that say "academic year".
    let starts = s.find(|c: char| c.is_ascii_digit())?;
    let ends = s.rfind(|c: char| c.is_ascii_digit())? + 1;
    let (before, core, after) = (&s[..starts], &s[starts..ends], &s[ends..]);
    let words = format!("{before} {after}");
    let key = super::normalize::match_key(&words);
    if !YEAR_WORDS.contains(&key.as_str()) {
        return None;
    }
    year_span(core).or_else(|| date_year(core))
}

/// The words written around an academic year in exports, as matching keys
/// (kk, ru, en, ky).
const YEAR_WORDS: &[&str] = &[
    "",
    "уч год",
    "уч г",
    "учебный год",
    "уч гг",
    "учебные годы",
    "г",
    "гг",
    "год",
    "оқу жылы",
    "оқу жыл",
    "о ж",
    "ж",
    "жыл",
    "жылы",
    "окуу жылы",
    "academic year",
    "school year",
    "ay",
];

/// The year spellings without words: `2023`, `2023.0`, `2023-2024`, `2023–24`.
fn year_span(s: &str) -> Option<Year> {
    let b = s.as_bytes();
    let four = |b: &[u8]| -> Option<Year> {
        (b.len() == 4 && b.iter().all(u8::is_ascii_digit)).then(|| {
            b.iter()
                .fold(0i32, |acc, &c| acc * 10 + i32::from(c - b'0'))
        })
    };
    if let Some(y) = four(b) {
        return Some(y);
    }
    // Excel's numeric year written back as text: `2023.0`, `2023,00`.
    if b.len() > 5 && (b[4] == b'.' || b[4] == b',') && b[5..].iter().all(|&c| c == b'0') {
        return four(&b[..4]);
    }
    let first = four(b.get(..4)?)?;
    let rest = s.get(4..)?.trim();
    let mut chars = rest.chars();
    let sep = chars.next()?;
    if !matches!(sep, '-' | '/' | '–' | '—' | '‑' | '−' | '\\') {
        return None;
    }
    let second = chars.as_str().trim();
    let ok = match second.len() {
        4 => four(second.as_bytes()) == Some(first + 1),
        2 => {
            second.bytes().all(|c| c.is_ascii_digit())
                && second.parse::<i32>().ok() == Some((first + 1) % 100)
        }
        _ => false,
    };
    ok.then_some(first)
}

/// The academic year of a date written `DD.MM.YYYY` (also with `/`) or
/// `YYYY-MM-DD`: September on starts a year.
fn date_year(s: &str) -> Option<Year> {
    let parts: Vec<&str> = s.split(['.', '/', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |t: &str| -> Option<u32> {
        (!t.is_empty() && t.len() <= 4 && t.bytes().all(|c| c.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let (year, month, day) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else if c.len() == 4 && a.len() <= 2 && b.len() <= 2 {
        (num(c)?, num(b)?, num(a)?)
    } else {
        return None;
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    academic_year_of(i32::try_from(year).ok()?, month)
}

/// The academic year a calendar month falls in (September on starts one).
fn academic_year_of(year: i32, month: u32) -> Option<Year> {
    Some(if month >= 9 { year } else { year - 1 })
}

/// The academic year of a spreadsheet date (days since 1899-12-30).
pub(crate) fn academic_year_of_serial(serial: f64) -> Option<Year> {
    if !serial.is_finite() || !(1.0..3_000_000.0).contains(&serial) {
        return None;
    }
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    academic_year_of(i32::try_from(year).ok()?, month)
}

/// Whether a cell's text is a marker for "no data" in exports: `н/д`,
/// `нет данных`, `-`, `—`, `x`/`х`, `n/a`, `…`. Such a value is missing,
/// not an error.
///
/// ```
/// use kpi_import::is_missing_marker;
/// assert!(is_missing_marker("н/д"));
/// assert!(is_missing_marker("—"));
/// assert!(is_missing_marker("х")); // Cyrillic
/// assert!(!is_missing_marker("0"));
/// ```
pub fn is_missing_marker(text: &str) -> bool {
    let t = trim_cell(text);
    // Numbers are never markers: most cells stop here, without the key below.
    if t.len() > 24 || t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return false;
    }
    matches!(
        t,
        "-" | "–" | "—" | "--" | "x" | "X" | "х" | "Х" | "…" | "..." | "?" | "*"
    ) || matches!(
        super::normalize::match_key(t).as_str(),
        "н д"
            | "нд"
            | "нет данных"
            | "мәлімет жоқ"
            | "дерек жоқ"
            | "n a"
            | "na"
            | "маалымат жок"
    )
}

/// Whether a number is whole (`v.fract() == 0.0`), without the call to
/// `trunc` that `fract` is on a baseline x86-64 target: a national load
/// asks this of millions of counts.
#[inline]
pub(crate) fn is_whole(v: f64) -> bool {
    // Below 2^52 the conversion to an integer is exact; every float
    // from 2^52 on is whole (and NaN and infinities are not).
    if v.abs() < 4_503_599_627_370_496.0 {
        v == (v as i64) as f64
    } else {
        v.fract() == 0.0
    }
}

/// Reads a year from a cell (a whole number in a numeric cell, or text).
pub(crate) fn year_of(cell: Cell<'_>) -> Option<Year> {
    match cell {
        Cell::Number(v) if is_whole(v) && v.abs() < 1e6 => Some(v as Year),
        Cell::Text(t) => parse_year(t),
        Cell::Date(serial) => academic_year_of_serial(serial),
        _ => None,
    }
}

/// Reads a number from a cell.
#[inline]
pub(crate) fn number_of(cell: Cell<'_>, decimal_comma: bool) -> Option<f64> {
    match cell {
        Cell::Number(v) => Some(v),
        Cell::Text(t) => parse_number(t, decimal_comma),
        _ => None,
    }
}

/// Grade points of a letter on the national credit scale (docs/data.md), with the
/// Cyrillic look-alikes (`А`, `В`, `С`, `Д`) accepted.
///
/// ```
/// use kpi_import::letter_points;
/// assert_eq!(letter_points("A-"), Some(3.67));
/// assert_eq!(letter_points("fx"), Some(0.5));
/// assert_eq!(letter_points("В+"), Some(3.33)); // Cyrillic В
/// assert_eq!(letter_points("E"), None);
/// ```
pub fn letter_points(letter: &str) -> Option<f64> {
    let norm: String = trim_cell(letter)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            'А' | 'а' => 'A',
            'В' | 'в' => 'B',
            'С' | 'с' => 'C',
            'Д' | 'д' => 'D',
            '−' | '–' => '-',
            other => other.to_ascii_uppercase(),
        })
        .collect();
    Some(match norm.as_str() {
        "A" => 4.00,
        "A-" => 3.67,
        "B+" => 3.33,
        "B" => 3.00,
        "B-" => 2.67,
        "C+" => 2.33,
        "C" => 2.00,
        "C-" => 1.67,
        "D+" => 1.33,
        "D" => 1.00,
        "FX" => 0.50,
        "F" => 0.00,
        _ => return None,
    })
}

/// Grade points of a 0–100 score on the national scale (docs/data.md): 95–100 A
/// (4.00), 90–94 A- (3.67), … 50–54 D (1.00), 25–49 FX (0.50), 0–24 F (0).
/// A fractional score belongs to the band of its whole part (94.5 → A-).
/// `None` outside 0–100.
///
/// ```
/// use kpi_import::score_points;
/// assert_eq!(score_points(95.0), Some(4.0));
/// assert_eq!(score_points(94.9), Some(3.67));
/// assert_eq!(score_points(49.0), Some(0.5));
/// assert_eq!(score_points(24.0), Some(0.0));
/// assert_eq!(score_points(101.0), None);
/// ```
pub fn score_points(score: f64) -> Option<f64> {
    if !(0.0..=100.0).contains(&score) {
        return None;
    }
    const BANDS: [(f64, f64); 11] = [
        (95.0, 4.00),
        (90.0, 3.67),
        (85.0, 3.33),
        (80.0, 3.00),
        (75.0, 2.67),
        (70.0, 2.33),
        (65.0, 2.00),
        (60.0, 1.67),
        (55.0, 1.33),
        (50.0, 1.00),
        (25.0, 0.50),
    ];
    let whole = score.floor();
    Some(
        BANDS
            .iter()
            .find(|(min, _)| whole >= *min)
            .map_or(0.0, |(_, p)| *p),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_decimals_read_like_the_float_parser() {
        // The reference is Rust's correctly rounded `str::parse::<f64>`.
        for s in [
            "0",
            "-0",
            "7",
            "12.7",
            "0.1",
            "0.30",
            "766.7",
            "75702000",
            "-3.25",
            "999999999999999",
            "99999999999999.9",
            "0.00000000000001",
            "3.28",
        ] {
            let want: f64 = s.parse().unwrap();
            assert_eq!(
                short_decimal(s.as_bytes()).map(f64::to_bits),
                Some(want.to_bits()),
                "{s}"
            );
        }
        // Other shapes go to the general parser.
        for s in [
            "",
            "-",
            ".5",
            "5.",
            "1.2.3",
            "1e5",
            "+4",
            "1,5",
            "1234567890123456",
            "--1",
        ] {
            assert_eq!(short_decimal(s.as_bytes()), None, "{s}");
        }
    }

    proptest! {
        #[test]
        fn short_decimals_match_the_float_parser_everywhere(
            neg in any::<bool>(), int in "[0-9]{1,8}", frac in proptest::option::of("[0-9]{1,7}")
        ) {
            let s = format!("{}{int}{}", if neg { "-" } else { "" }, frac.map(|f| format!(".{f}")).unwrap_or_default());
            let want: f64 = s.parse().unwrap();
            prop_assert_eq!(short_decimal(s.as_bytes()).map(f64::to_bits), Some(want.to_bits()));
            prop_assert_eq!(parse_number(&s, false).map(f64::to_bits), Some(want.to_bits()));
        }

        /// Any text of digits, points, signs and exponents (long digit
        /// runs, stray points and signs, leading zeros) reads as Rust's
        /// float parser reads it, finite values only, whichever path it takes.
        #[test]
        fn plain_ascii_numbers_read_as_the_float_parser_reads_them(
            s in "[0-9.+eE-]{0,24}|-?[0-9]{0,20}(\\.[0-9]{0,20})?",
            decimal_comma in any::<bool>(),
        ) {
            let want = s.parse::<f64>().ok().filter(|v| v.is_finite()).map(f64::to_bits);
            prop_assert_eq!(parse_number(&s, decimal_comma).map(f64::to_bits), want, "{}", s);
        }
    }

    proptest! {
        /// Whole as `fract` says, near zero, around 2^52 and 2^53, for
        /// negative zero, huge values, infinities and NaN.
        #[test]
        fn whole_numbers_are_those_without_a_fraction(
            v in proptest::prop_oneof![
                any::<f64>(),
                -1e6f64..1e6,
                (-100i64..100).prop_map(|k| k as f64 / 4.0),
                (-8i64..8).prop_map(|k| 4_503_599_627_370_496.0 + k as f64 / 2.0),
                proptest::sample::select(vec![0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, f64::MAX, f64::MIN_POSITIVE, 9_007_199_254_740_992.0]),
            ],
        ) {
            prop_assert_eq!(is_whole(v), v.fract() == 0.0, "{}", v);
        }
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number(" 42 ", false), Some(42.0));
        assert_eq!(parse_number("-3.5e2", false), Some(-350.0));
        assert_eq!(parse_number("−7", false), Some(-7.0));
        assert_eq!(parse_number("0,75", true), Some(0.75));
        assert_eq!(parse_number("1'234", false), Some(1234.0));
        assert_eq!(parse_number("1\u{a0}234,5", true), Some(1234.5));
        assert_eq!(parse_number("12,5,3", true), None);
        assert_eq!(parse_number("abc", true), None);
        assert_eq!(parse_number("inf", false), None);
        assert_eq!(parse_number("1,234.5", true), None);
        assert_eq!(parse_number("", true), None);
    }

    #[test]
    fn years() {
        assert_eq!(parse_year("2023 - 2024"), Some(2023));
        assert_eq!(parse_year("2023—2024"), Some(2023));
        assert_eq!(parse_year("2099–00"), Some(2099));
        assert_eq!(parse_year("2023-25"), None);
        assert_eq!(parse_year("2023,00"), Some(2023));
        assert_eq!(parse_year("2023.5"), None);
        assert_eq!(parse_year("abcd"), None);
        assert_eq!(year_of(Cell::Number(2021.0)), Some(2021));
        assert_eq!(year_of(Cell::Number(2021.5)), None);
    }

    #[test]
    fn score_bands_match_the_national_scale() {
        // Every band edge of docs/data.md's table.
        let edges = [
            (100.0, 4.0),
            (90.0, 3.67),
            (89.0, 3.33),
            (85.0, 3.33),
            (84.0, 3.0),
            (75.0, 2.67),
            (70.0, 2.33),
            (65.0, 2.0),
            (60.0, 1.67),
            (55.0, 1.33),
            (54.0, 1.0),
            (50.0, 1.0),
            (25.0, 0.5),
            (0.0, 0.0),
        ];
        for (s, p) in edges {
            assert_eq!(score_points(s), Some(p), "score {s}");
        }
        assert_eq!(score_points(-1.0), None);
    }
}
