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
/// spreadsheet exports put around numbers.
#[inline]
pub(crate) fn trim_cell(text: &str) -> &str {
    let bytes = text.as_bytes();
    // Fast path: nothing to trim.
    match (bytes.first(), bytes.last()) {
        (Some(a), Some(b))
            if !a.is_ascii_whitespace() && *a < 0x80 && !b.is_ascii_whitespace() && *b < 0x80 =>
        {
            text
        }
        _ => text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
