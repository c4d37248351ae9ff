//! CSV (and TSV) sources: encoding, separator, header row(s), limits.

use super::limits::Limits;
use super::sniff::{decode, Unreadable};
use super::table::{combine_two_row_header, text_cell, Body, Cell, RawTable};
use crate::validate::{Issue, IssueCode, Location, Severity};

/// Detects the separator from the header line: the most frequent of `,`,
/// `;` and tab outside quotes (comma when none occurs).
pub(crate) fn detect_delimiter(header_line: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in header_line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// The first line longer than `max` bytes, as a 1-based line number.
fn overlong_line(text: &[u8], max: usize) -> Option<u64> {
    let mut start = 0usize;
    let mut line = 1u64;
    for nl in memchr::memchr_iter(b'\n', text) {
        if nl - start > max {
            return Some(line);
        }
        start = nl + 1;
        line += 1;
    }
    (text.len() - start > max).then_some(line)
}

pub(crate) fn reader(text: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(1 << 16)
        .from_reader(text)
}

fn unreadable(file: &str, e: Unreadable, bytes: u64) -> RawTable {
    RawTable::failed(
        file,
        None,
        Issue {
            severity: Severity::Error,
            code: IssueCode::UnreadableFile,
            location: Location {
                file: file.to_string(),
                sheet: None,
                row: e.row,
                column: None,
            },
            found: None,
            expected: None,
            suggestion: None,
            message: e.message,
        },
        bytes,
    )
}

/// The reader stops after the `\r` of a `\r\n` line end; the body starts
/// after the `\n`, so that its line numbers are the file's.
fn after_terminator(body: &[u8], pos: usize) -> usize {
    if body.get(pos) == Some(&b'\n') && pos > 0 && body.get(pos - 1) == Some(&b'\r') {
        pos + 1
    } else {
        pos
    }
}

/// Opens a CSV source: decodes it, checks line lengths, reads the header
/// (one row, or two when the first has merged cells) and positions the body.
pub(crate) fn open(file: &str, bytes: Vec<u8>, limits: &Limits) -> RawTable {
    let size = bytes.len() as u64;
    let decoded = match decode(bytes) {
        Ok(d) => d,
        Err(e) => return unreadable(file, e, size),
    };
    let lost = (decoded.encoding == super::sniff::Encoding::Windows1251)
        .then(|| lost_letters_row(&decoded.text))
        .flatten();
    let text = decoded.text;
    let body = &text[decoded.start..];
    if let Some(line) = overlong_line(body, limits.max_line_bytes) {
        return unreadable(
            file,
            Unreadable::at(
                line,
                format!(
                    "row {line} is longer than the limit of {} bytes (is this a CSV file?)",
                    limits.max_line_bytes
                ),
            ),
            size,
        );
    }
    let first_line_end = memchr::memchr(b'\n', body).unwrap_or(body.len());
    let delimiter = detect_delimiter(&body[..first_line_end]);
    let mut rdr = reader(body, delimiter);
    let mut header = csv::ByteRecord::new();
    let header_line = match rdr.read_byte_record(&mut header) {
        Ok(true) => header.position().map_or(1, |p| p.line()),
        Ok(false) => {
            return unreadable(file, Unreadable::new("the file holds no header row"), size)
        }
        Err(e) => {
            return unreadable(
                file,
                Unreadable::at(1, format!("cannot read the header row: {e}")),
                size,
            )
        }
    };
    if header.len() > limits.max_columns {
        return unreadable(
            file,
            Unreadable::at(
                header_line,
                format!(
                    "the header has {} columns, more than the limit of {}",
                    header.len(),
                    limits.max_columns
                ),
            ),
            size,
        );
    }
    let mut headers = Vec::with_capacity(header.len());
    for field in header.iter() {
        match std::str::from_utf8(field) {
            Ok(t) => headers.push(t.trim().trim_start_matches('\u{feff}').to_string()),
            Err(_) => {
                return unreadable(
                    file,
                    Unreadable::at(header_line, "the header row is not valid text"),
                    size,
                )
            }
        }
    }
    let mut data_start = after_terminator(body, rdr.position().byte() as usize);
    let mut notes = Vec::new();
    if let Some(row) = lost {
        notes.push(lost_letters_note(file, row));
    }
    // A second header row under merged cells?
    let mut second = csv::ByteRecord::new();
    let mut empty = true;
    if let Ok(true) = rdr.read_byte_record(&mut second) {
        empty = false;
        let cells: Vec<Cell<'_>> = second
            .iter()
            .map(|f| std::str::from_utf8(f).map_or(Cell::Invalid("bad text"), text_cell))
            .collect();
        if let Some(combined) = combine_two_row_header(&headers, &cells) {
            notes.push(combined_note(file, None, &combined));
            headers = combined;
            data_start = after_terminator(body, rdr.position().byte() as usize);
            let mut third = csv::ByteRecord::new();
            empty = !matches!(rdr.read_byte_record(&mut third), Ok(true));
        }
    }
    let first_row =
        memchr::memchr_iter(b'\n', &body[..data_start.min(body.len())]).count() as u64 + 1;
    let decimal_comma = delimiter != b',';
    let start = decoded.start + data_start;
    RawTable {
        file: file.to_string(),
        sheet: None,
        headers,
        body: Body::Csv {
            text,
            start,
            delimiter,
            decimal_comma,
            first_row,
        },
        notes,
        failed: false,
        empty,
        bytes: size,
        in_workbook: false,
    }
}

/// The first row (1-based) with a `?` inside or at the edge of a Cyrillic
/// word: Windows-1251 has no ә ғ қ ң ө ұ ү һ, and saving Kazakh text in it
/// replaces them with `?` (so "Қарағанды" arrives as "?ара?анды").
fn lost_letters_row(text: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(text).ok()?;
    let cyrillic = |c: Option<char>| c.is_some_and(|c| ('\u{400}'..='\u{4ff}').contains(&c));
    let mut prev = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '?' && (cyrillic(prev) || cyrillic(chars.peek().map(|&(_, n)| n))) {
            return Some(memchr::memchr_iter(b'\n', &text.as_bytes()[..i]).count() as u64 + 1);
        }
        prev = Some(c);
    }
    None
}

fn lost_letters_note(file: &str, row: u64) -> Issue {
    Issue {
        severity: Severity::Warning,
        code: IssueCode::Other,
        location: Location {
            file: file.to_string(),
            sheet: None,
            row: Some(row),
            column: None,
        },
        found: Some("?".into()),
        expected: Some("a Kazakh letter".into()),
        suggestion: Some("save the file as UTF-8 (CSV UTF-8 in Excel) from the original".into()),
        message: format!(
            "the file is in Windows-1251, which has no Kazakh letters ә ғ қ ң ө ұ ү һ: from row {row} on, `?` stands inside words where such a letter was lost when the file was saved; the text is loaded as it is"
        ),
    }
}

/// The note left when a two-row header was combined.
pub(crate) fn combined_note(file: &str, sheet: Option<String>, combined: &[String]) -> Issue {
    Issue {
        severity: Severity::Warning,
        code: IssueCode::Other,
        location: Location {
            file: file.to_string(),
            sheet,
            row: Some(2),
            column: None,
        },
        found: None,
        expected: None,
        suggestion: None,
        message: format!(
            "rows 1 and 2 form one header (merged cells): read as {}",
            combined
                .iter()
                .filter(|h| !h.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_marks_in_cyrillic_words_are_lost_kazakh_letters() {
        assert_eq!(lost_letters_row("a,b\nK1,?ара?анды\n".as_bytes()), Some(2));
        assert_eq!(lost_letters_row("a,b\nK1,Абай?\n".as_bytes()), Some(2));
        // A question mark away from Cyrillic letters is punctuation.
        assert_eq!(lost_letters_row("a,b\nK1,Why? Абай\n".as_bytes()), None);
        assert_eq!(lost_letters_row("a,b\nK1,?\n".as_bytes()), None);
    }

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter(b"org_id;year;value"), b';');
        assert_eq!(detect_delimiter(b"org_id\tyear"), b'\t');
        assert_eq!(detect_delimiter(b"\"a;b\",c"), b',');
        assert_eq!(detect_delimiter(b"org_id"), b',');
    }

    #[test]
    fn overlong_lines_are_found() {
        assert_eq!(overlong_line(b"ab\nabcdef\nx", 4), Some(2));
        assert_eq!(overlong_line(b"ab\nabc", 4), None);
        assert_eq!(overlong_line(b"abcdefgh", 4), Some(1));
    }

    #[test]
    fn header_and_body_positions() {
        let t = open(
            "o.csv",
            b"org_id;year\r\nA;2023\n".to_vec(),
            &Limits::default(),
        );
        assert_eq!(t.headers, vec!["org_id", "year"]);
        match t.body {
            Body::Csv {
                start,
                first_row,
                delimiter,
                decimal_comma,
                ref text,
            } => {
                assert_eq!(&text[start..], b"A;2023\n");
                assert_eq!((first_row, delimiter, decimal_comma), (2, b';', true));
            }
            _ => panic!("csv body expected"),
        }
        assert!(!t.empty);
        let t = open("o.csv", b"org_id;year\n".to_vec(), &Limits::default());
        assert!(t.empty);
    }
}
