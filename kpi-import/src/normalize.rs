//! Matching keys for headers, table names and enumerated values: case,
//! punctuation and repeated spaces are ignored, and `ё` is read as `е`
//! (docs/data.md: "matching ignores case, punctuation and repeated spaces").

/// The matching key of a header, name or value.
///
/// ```
/// use kpi_import::match_key;
/// assert_eq!(match_key("  Оқу   жылы. "), "оқу жылы");
/// assert_eq!(match_key("org_id"), "org id");
/// assert_eq!(match_key("БСН/БИН"), "бсн бин");
/// assert_eq!(match_key("Приём"), "прием");
/// ```
pub fn match_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            for l in c.to_lowercase() {
                out.push(if l == 'ё' { 'е' } else { l });
            }
        } else {
            pending_space = true;
        }
    }
    out
}

/// A code-like identifier for a header that matches nothing known, used to
/// store an unknown metric under a stable code: the matching key with spaces
/// as underscores (`"New Indicator"` → `new_indicator`).
pub(crate) fn code_of(text: &str) -> String {
    match_key(text).replace(' ', "_")
}

/// Trims ASCII and Unicode whitespace, including the no-break spaces that
/// spreadsheet exports put around numbers, and a byte-order mark: the
/// padding every reader of a cell removes (both engines).
///
/// ```
/// assert_eq!(kpi_import::trim_cell("\u{a0}12,5 "), "12,5");
/// assert_eq!(kpi_import::trim_cell("\u{feff}ST01\t"), "ST01");
/// assert_eq!(kpi_import::trim_cell("ST01"), "ST01");
/// ```
#[inline]
pub fn trim_cell(text: &str) -> &str {
    let bytes = text.as_bytes();
    // Fast path: most cells have no padding, which their end bytes tell
    // (ASCII, and neither a space nor a control from tab to carriage return).
    let plain = |b: u8| b.is_ascii() && b != b' ' && !(b'\t'..=b'\r').contains(&b);
    match (bytes.first(), bytes.last()) {
        (Some(&a), Some(&b)) if plain(a) && plain(b) => text,
        // An empty cell (most cells of a wide table): nothing to trim either.
        (None, _) => text,
        _ => text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'),
    }
}

/// Whether two texts are equal. The loaders compare each row's identifier
/// with the previous row's (rows of one organisation or student come
/// together): ids are short, and comparing them in words here is quicker
/// than a call to the C library's `memcmp`, which `==` makes.
///
/// ```ignore
/// assert!(same_text("ST00000052", "ST00000052"));
/// assert!(!same_text("ST00000052", "ST00000053"));
/// ```
#[inline]
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    // A fixed-size read, never `copy_from_slice`: the WebAssembly engine,
    // optimised for size, calls a generic copy for that (a tenth of its load).
    let word = |s: &[u8], at: usize| {
        s.get(at..)
            .and_then(<[u8]>::first_chunk::<8>)
            .map(|w| u64::from_le_bytes(*w))
    };
    match n {
        // Two words that overlap cover 8 to 16 bytes.
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        0..=7 => a.iter().zip(b).all(|(x, y)| x == y),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_is_equality() {
        let texts = [
            "",
            "a",
            "ab",
            "abcdefg",
            "abcdefgh",
            "abcdefgi",
            "ST00000052",
            "ST00000053",
            "TT00000052",
            "010340731756",
            "0123456789abcdef",
            "0123456789abcdeg",
            "1123456789abcdef",
            "0123456789abcdefg",
            "0123456789abcdefh",
            "ұйым",
            "ұйым-1",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_text(a, b), a == b, "{a} {b}");
            }
        }
    }

    #[test]
    fn keys_ignore_case_punctuation_and_spaces() {
        assert_eq!(match_key("Код  организации:"), "код организации");
        assert_eq!(match_key("ҰЙЫМ-КОДЫ"), "ұйым коды");
        assert_eq!(match_key(""), "");
        assert_eq!(match_key("  --  "), "");
        assert_eq!(code_of("New Indicator (2024)"), "new_indicator_2024");
    }

    #[test]
    fn trim_handles_no_break_spaces() {
        assert_eq!(trim_cell("\u{a0}12\u{a0}"), "12");
        assert_eq!(trim_cell(" x "), "x");
        assert_eq!(trim_cell("x"), "x");
        assert_eq!(trim_cell(""), "");
    }
}
