//! CSV (and TSV) sources: encoding, separator, header row(s), limits.

use super::aliases::AliasBook;
use super::layout::{self, SEARCH_ROWS};
use super::limits::Limits;
use super::sniff::{decode, Unreadable};
use super::table::{text_cell, Body, Cell, RawTable};
use kpi_model::validate::{Issue, IssueCode, Location, Severity};

/// The separators a CSV export uses, in order of preference on a tie.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// How often each of [`DELIMITERS`] occurs outside quotes in a line.
fn delimiter_counts(line: &[u8]) -> [usize; 3] {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    counts
}

/// The most frequent separator of `counts` (comma when none occurs).
fn most_frequent(counts: [usize; 3]) -> u8 {
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        DELIMITERS[best]
    }
}

/// The first line longer than `max` bytes (its newline not counted), as a
/// 1-based line number.
///
/// Looked for a window of `max + 1` bytes at a time, not line by line (a
/// national file has millions of lines): every line that ends in the window
/// is at most `max` bytes, so the search goes on from the last newline in
/// the window; a window without a newline is the start of a longer line.
pub(crate) fn overlong_line(text: &[u8], max: usize) -> Option<u64> {
    let mut start = 0usize;
    loop {
        let end = start.saturating_add(max).saturating_add(1).min(text.len());
        let window = text.get(start..end).unwrap_or(&[]);
        match memchr::memrchr(b'\n', window) {
            Some(i) => start += i + 1,
            None if text.len() - start > max => {
                let before = text.get(..start).unwrap_or(&[]);
                return Some(memchr::memchr_iter(b'\n', before).count() as u64 + 1);
            }
            None => return None,
        }
    }
}

pub(crate) fn reader(text: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(1 << 16)
        .from_reader(text)
}

/// Whether a body can be split without a CSV parser: no quotes, and no
/// `\r` but before `\n`. Most exports quote nothing; their records are
/// lines and their cells are separated by the delimiter, which `memchr`
/// finds many times faster than a general CSV state machine walks the
/// text. [`PlainLines`] and the csv crate then give the same records with
/// the same line numbers (a property test compares them).
///
/// Both checks in one pass of eight bytes at a time (two `memchr` passes
/// were a fortieth of the WebAssembly engine's load: it has no vector
/// `memchr`), over chunks of [`PLAIN_CHUNK`] bytes, each one call.
pub(crate) fn is_plain(data: &[u8]) -> bool {
    is_plain_by(data, PLAIN_CHUNK)
}

/// Bytes [`is_plain`] checks per call of its loop. A WebAssembly engine (V8)
/// optimises a function only after it has run a while, and a running call
/// keeps its baseline code: one call over a whole file of hundreds of
/// megabytes ran in baseline code from start to end on a first load.
const PLAIN_CHUNK: usize = 1 << 16;

/// [`is_plain`] over chunks of `chunk` bytes (a parameter for the tests of
/// chunk edges).
fn is_plain_by(data: &[u8], chunk: usize) -> bool {
    let chunk = chunk.max(1);
    let mut start = 0;
    while start < data.len() {
        let end = data.len().min(start + chunk);
        if !plain_chunk(&data[start..end], data.get(end).copied()) {
            return false;
        }
        start = end;
    }
    true
}

/// Whether `chunk` has no quote and no `\r` but before `\n`; `after` is the
/// byte after the chunk (`None` at the end of the body).
#[inline(never)]
fn plain_chunk(chunk: &[u8], after: Option<u8>) -> bool {
    let quotes = ONES * u64::from(b'"');
    let returns = ONES * u64::from(b'\r');
    // A `\r` at `i` is followed by `\n` (the one after the chunk at its end).
    let returns_end_lines = |from: usize, to: usize| {
        (from..to).all(|i| {
            chunk.get(i) != Some(&b'\r') || chunk.get(i + 1).copied().or(after) == Some(b'\n')
        })
    };
    let mut rest = chunk;
    let mut base = 0usize;
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        if matching_bytes(*word, quotes) != 0 {
            return false;
        }
        if matching_bytes(*word, returns) != 0 && !returns_end_lines(base, base + 8) {
            return false;
        }
        rest = tail;
        base += 8;
    }
    !rest.contains(&b'"') && returns_end_lines(base, chunk.len())
}

/// The records of a body that [`is_plain`]: one per non-empty line.
pub(crate) struct PlainLines<'a> {
    data: &'a [u8],
    /// The whole body as text, checked once: a line of valid text needs
    /// no check of its own (`None`: some line is not valid text).
    text: Option<&'a str>,
    /// Where the next line starts.
    start: usize,
    /// The 1-based line at `start`.
    line: u64,
    delimiter: u8,
}

/// A record of [`PlainLines`]: its line number, its bytes, and the same as
/// text when the body is valid text.
pub(crate) type PlainRecord<'a> = (u64, &'a [u8], Option<&'a str>);

impl<'a> PlainLines<'a> {
    pub(crate) fn new(data: &'a [u8], delimiter: u8) -> PlainLines<'a> {
        PlainLines {
            data,
            text: std::str::from_utf8(data).ok(),
            start: 0,
            line: 1,
            delimiter,
        }
    }

    /// The next record; `ends` gets the end of each cell, relative to the
    /// record's bytes. `None` at the end.
    pub(crate) fn next_record(&mut self, ends: &mut Vec<usize>) -> Option<PlainRecord<'a>> {
        loop {
            let start = self.start;
            let rest = self.data.get(start..).filter(|r| !r.is_empty())?;
            let line = self.line;
            ends.clear();
            let end = match scan_line(rest, self.delimiter, ends) {
                Some(i) => {
                    self.line += 1;
                    start + i
                }
                None => self.data.len(),
            };
            self.start = end + 1;
            let mut bytes = self.data.get(start..end).unwrap_or(&[]);
            // A `\r` is not a delimiter: stripping it moves no cell's end
            // but the last.
            if let Some(stripped) = bytes.strip_suffix(b"\r") {
                bytes = stripped;
            }
            // Empty lines are skipped, as the csv crate does.
            if bytes.is_empty() {
                continue;
            }
            ends.push(bytes.len());
            let text = self.text.and_then(|t| t.get(start..start + bytes.len()));
            return Some((line, bytes, text));
        }
    }

    /// Bytes read so far.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.start.min(self.data.len()) as u64
    }
}

/// Appends the position of every `delimiter` in `rest` before its first
/// newline to `out`, in order, and returns where that newline is (`None`:
/// the line runs to the end).
///
/// Eight bytes at a time (SWAR, portable to WebAssembly), the newline and
/// the delimiters in one pass: a record of a dozen short cells has a
/// delimiter every few bytes, where a `memchr` call per delimiter spent more
/// on starting each search than on searching, and a `memchr` call for the
/// newline first read each line twice.
#[inline]
pub(crate) fn scan_line(rest: &[u8], delimiter: u8, out: &mut Vec<usize>) -> Option<usize> {
    let delimiters = ONES * u64::from(delimiter);
    let newlines = ONES * u64::from(b'\n');
    let mut tail = rest;
    let mut base = 0usize;
    // Words read as fixed-size arrays: a `copy_from_slice` per word is a
    // call in the WebAssembly engine, which is optimised for size.
    while let Some((word, next)) = tail.split_first_chunk::<8>() {
        let found = matching_bytes(*word, delimiters);
        let newline = matching_bytes(*word, newlines);
        if newline != 0 {
            let at = (newline.trailing_zeros() / 8) as usize;
            // Only the delimiters before the newline: the bytes below its byte.
            push_matches(found & ((1u64 << (at * 8)) - 1), base, out);
            return Some(base + at);
        }
        push_matches(found, base, out);
        tail = next;
        base += 8;
    }
    for (i, &b) in tail.iter().enumerate() {
        if b == b'\n' {
            return Some(base + i);
        }
        if b == delimiter {
            out.push(base + i);
        }
    }
    None
}

/// Appends the position of each byte marked in `matches` (its high bit set,
/// as [`matching_bytes`] marks) of the word at `base`.
#[inline]
fn push_matches(mut matches: u64, base: usize, out: &mut Vec<usize>) {
    while matches != 0 {
        out.push(base + (matches.trailing_zeros() / 8) as usize);
        matches &= matches - 1;
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;

/// The high bit of each byte of `word` equal to the byte repeated in
/// `pattern`, and of no other (exact: the sum cannot carry from one byte
/// into the next).
#[inline]
fn matching_bytes(word: [u8; 8], pattern: u64) -> u64 {
    let x = u64::from_le_bytes(word) ^ pattern;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// How many times `byte` occurs in `hay`, eight bytes at a time: counting
/// the lines of a national file match by match (`memchr_iter`) took the
/// WebAssembly engine, which has no vector `memchr`, a twentieth of its load.
pub(crate) fn count_byte(hay: &[u8], byte: u8) -> usize {
    let pattern = ONES * u64::from(byte);
    let mut rest = hay;
    let mut count = 0usize;
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        rest = tail;
        count += matching_bytes(*word, pattern).count_ones() as usize;
    }
    count + rest.iter().filter(|&&b| b == byte).count()
}

/// Reads the next record with the csv crate. The crate gives a record the
/// position where it started looking for it, before the empty lines it
/// skips: moved to where the record starts, so that messages name the
/// record's own line.
pub(crate) fn read_record(
    reader: &mut csv::Reader<&[u8]>,
    data: &[u8],
    rec: &mut csv::ByteRecord,
) -> csv::Result<bool> {
    let more = reader.read_byte_record(rec)?;
    if let (true, Some(mut position)) = (more, rec.position().cloned()) {
        let from = usize::try_from(position.byte()).unwrap_or(usize::MAX);
        let rest = data.get(from..).unwrap_or(&[]);
        let skipped = rest
            .iter()
            .take_while(|&&c| c == b'\n' || c == b'\r')
            .count();
        if skipped > 0 {
            let lines = rest[..skipped].iter().filter(|&&c| c == b'\n').count() as u64;
            let (byte, line) = (position.byte() + skipped as u64, position.line() + lines);
            position.set_byte(byte).set_line(line);
            rec.set_position(Some(position));
        }
    }
    Ok(more)
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
pub(crate) fn open(file: &str, bytes: Vec<u8>, limits: &Limits, book: &AliasBook) -> RawTable {
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
    let delimiter = detect_delimiter_in(body);
    // The first rows, with where each ends: the header may sit under title rows.
    let mut rdr = reader(body, delimiter);
    let mut top: Vec<(csv::ByteRecord, u64, usize)> = Vec::new();
    while top.len() < SEARCH_ROWS + 1 {
        let mut rec = csv::ByteRecord::new();
        match read_record(&mut rdr, body, &mut rec) {
            Ok(true) => {
                let line = rec.position().map_or(top.len() as u64 + 1, |p| p.line());
                let end = after_terminator(body, rdr.position().byte() as usize);
                top.push((rec, line, end));
            }
            Ok(false) => break,
            Err(e) => {
                if top.is_empty() {
                    return unreadable(
                        file,
                        Unreadable::at(1, format!("cannot read the header row: {e}")),
                        size,
                    );
                }
                break;
            }
        }
    }
    if top.is_empty() {
        return unreadable(file, Unreadable::new("the file holds no header row"), size);
    }
    let cells: Vec<Vec<Cell<'_>>> = top
        .iter()
        .take(SEARCH_ROWS)
        .map(|(rec, _, _)| {
            rec.iter()
                .map(|f| {
                    std::str::from_utf8(f).map_or(
                        Cell::Invalid("text that is not valid in the file's encoding"),
                        |t| text_cell(t.trim_start_matches('\u{feff}')),
                    )
                })
                .collect()
        })
        .collect();
    let line_of = |i: usize| top.get(i).map_or(i as u64 + 1, |r| r.1);
    let layout = layout::detect(&cells, book, &layout::known_header(book), &line_of);
    drop(cells);
    let (header, header_line, _) = &top[layout.header_at.min(top.len() - 1)];
    let header_line = *header_line;
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
    if header.iter().any(|f| std::str::from_utf8(f).is_err()) {
        return unreadable(
            file,
            Unreadable::at(header_line, "the header row is not valid text"),
            size,
        );
    }
    let last_header = (layout.header_at + layout.header_rows - 1).min(top.len() - 1);
    let data_start = top[last_header].2;
    let empty = top.len() <= last_header + 1;
    let mut notes: Vec<Issue> = layout
        .notes
        .into_iter()
        .map(|m| layout::note(file, None, header_line, m))
        .collect();
    if let Some(row) = lost {
        notes.push(lost_letters_note(file, row));
    }
    let first_row =
        memchr::memchr_iter(b'\n', &body[..data_start.min(body.len())]).count() as u64 + 1;
    let decimal_comma = delimiter != b',';
    let start = decoded.start + data_start;
    drop(top);
    RawTable {
        file: file.to_string(),
        sheet: None,
        headers: layout.headers,
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
        header_row: header_line,
        units: layout.units,
    }
}

/// Detects the separator over the first lines: a title row above the
/// header may have none, or a comma in its text. Each line votes with the
/// count of its own most frequent separator.
fn detect_delimiter_in(body: &[u8]) -> u8 {
    let mut votes = [0usize; 3];
    let lines = body
        .split(|&c| c == b'\n')
        .filter(|l| !l.is_empty())
        .take(SEARCH_ROWS);
    for line in lines {
        let counts = delimiter_counts(line);
        let d = most_frequent(counts);
        if let Some(i) = DELIMITERS.iter().position(|&x| x == d) {
            votes[i] += counts[i];
        }
    }
    most_frequent(votes)
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
        assert_eq!(detect_delimiter_in(b"org_id;year;value"), b';');
        assert_eq!(detect_delimiter_in(b"org_id\tyear"), b'\t');
        assert_eq!(detect_delimiter_in(b"\"a;b\",c"), b',');
        assert_eq!(detect_delimiter_in(b"org_id"), b',');
        // A title with a comma above a `;` table: the rows below outvote it.
        let titled = "Сведения о контингенте, 2023\n\norg_id;year;x\nA;2023;1\nB;2023;2\n";
        assert_eq!(detect_delimiter_in(titled.as_bytes()), b';');
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
            &AliasBook::builtin(),
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
        let t = open(
            "o.csv",
            b"org_id;year\n".to_vec(),
            &Limits::default(),
            &AliasBook::builtin(),
        );
        assert!(t.empty);
    }

    /// Every record of a body, with its starting line, read one way or the other.
    fn records(data: &[u8], delimiter: u8, plain: bool) -> Vec<(Vec<Vec<u8>>, u64)> {
        let mut out = Vec::new();
        if plain {
            let mut lines = PlainLines::new(data, delimiter);
            let mut ends = Vec::new();
            while let Some((line, text, valid)) = lines.next_record(&mut ends) {
                // The text of a record is its bytes, whenever the body is valid text.
                assert_eq!(
                    valid.map(str::as_bytes),
                    std::str::from_utf8(data).ok().map(|_| text)
                );
                let mut from = 0;
                let mut cells = Vec::new();
                for &e in &ends {
                    cells.push(text[from..e].to_vec());
                    from = e + 1;
                }
                out.push((cells, line));
            }
            assert_eq!(lines.bytes_read(), data.len() as u64);
        } else {
            let mut r = reader(data, delimiter);
            let mut rec = csv::ByteRecord::new();
            while read_record(&mut r, data, &mut rec).unwrap_or(false) {
                let line = rec.position().map_or(0, |p| p.line());
                out.push((rec.iter().map(<[u8]>::to_vec).collect(), line));
            }
        }
        out
    }

    #[test]
    fn a_record_after_empty_lines_is_on_its_own_line() {
        // `b` is on line 4 and `c` on line 6, read either way.
        let body = b"a\n\n\nb\r\n\r\nc";
        for plain in [true, false] {
            let lines: Vec<u64> = records(body, b',', plain).iter().map(|r| r.1).collect();
            assert_eq!(lines, [1, 4, 6], "plain: {plain}");
        }
        let quoted = b"\"a\"\n\n\nb\r\n\r\nc";
        let lines: Vec<u64> = records(quoted, b',', false).iter().map(|r| r.1).collect();
        assert_eq!(lines, [1, 4, 6]);
    }

    #[test]
    fn bodies_with_quotes_or_lone_returns_need_the_csv_crate() {
        assert!(is_plain(b"a,b\r\nc,d\r\n"));
        assert!(!is_plain(b"a,\"b,c\"\n"));
        assert!(!is_plain(b"a,b\rc,d\n"));
        assert!(!is_plain(b"a,b\r"));
        // A `\r\n` split by the edge of a chunk, and a lone `\r` at one.
        assert!(is_plain_by(b"abcdefg\r\nhij", 8));
        assert!(!is_plain_by(b"abcdefg\rxhij", 8));
        assert!(!is_plain_by(b"abcdefgh\"", 8));
    }

    /// [`is_plain`]'s definition, by `memchr`.
    fn plain_by_definition(data: &[u8]) -> bool {
        memchr::memchr(b'"', data).is_none()
            && memchr::memchr_iter(b'\r', data).all(|i| data.get(i + 1) == Some(&b'\n'))
    }

    /// The first line over `max` bytes, line by line (the definition).
    fn overlong_by_lines(text: &[u8], max: usize) -> Option<u64> {
        text.split(|&c| c == b'\n')
            .position(|line| line.len() > max)
            .map(|i| i as u64 + 1)
    }

    #[test]
    fn overlong_lines_are_found_window_by_window() {
        assert_eq!(overlong_line(b"", 0), None);
        assert_eq!(overlong_line(b"\n\n", 0), None);
        assert_eq!(overlong_line(b"ab\ncd", 2), None);
        assert_eq!(overlong_line(b"ab\ncde", 2), Some(2));
        assert_eq!(overlong_line(b"ab\ncde\n", 2), Some(2));
        assert_eq!(overlong_line(b"abc\n", 2), Some(1));
        assert_eq!(overlong_line(b"a\nb\nc\n\nlong one\nx", 7), Some(5));
        assert_eq!(overlong_line(b"a\nb\nc\n\nlong one\nx", 8), None);
        assert_eq!(overlong_line(b"abc", usize::MAX), None);
    }

    proptest::proptest! {
        /// Window by window, the first overlong line is the one a line-by-line search finds.
        #[test]
        fn overlong_line_matches_a_line_by_line_search(
            text in proptest::collection::vec(proptest::sample::select(vec![b'a', b'\n', b'\r']), 0..300),
            max in 0usize..40,
        ) {
            proptest::prop_assert_eq!(overlong_line(&text, max), overlong_by_lines(&text, max));
        }
    }

    proptest::proptest! {
        /// Split directly, a body without quotes gives the records (cells
        /// and starting lines) the csv crate gives: line ends \n or \r\n,
        /// empty lines, empty cells, rows of any width, no final line end.
        #[test]
        fn plain_bodies_read_as_the_csv_crate_reads_them(
            lines in proptest::collection::vec(
                (proptest::collection::vec("[a-zұ0-9 .;\t]{0,4}", 0..5), proptest::bool::ANY),
                0..30,
            ),
            delimiter in proptest::sample::select(vec![b',', b';', b'\t']),
            final_end in proptest::bool::ANY,
        ) {
            let mut body = String::new();
            for (i, (cells, crlf)) in lines.iter().enumerate() {
                body.push_str(&cells.join(&(delimiter as char).to_string()));
                if i + 1 < lines.len() || final_end {
                    body.push_str(if *crlf { "\r\n" } else { "\n" });
                }
            }
            let data = body.as_bytes();
            proptest::prop_assert!(is_plain(data));
            proptest::prop_assert_eq!(records(data, delimiter, true), records(data, delimiter, false));
        }

        /// The delimiters and the newline found eight at a time are those a
        /// plain scan finds, for any bytes (high bytes, the byte next to its
        /// neighbours in value, runs of it, newlines anywhere or none) and
        /// any length; and so is the count of a byte.
        #[test]
        fn positions_and_counts_are_those_a_plain_scan_finds(
            line in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![b',', b';', b'\t', b'\n', b'\r', b'+', b'-', 0u8, 0x7F, 0x80, 0xAC, 0xFF]),
                    proptest::num::u8::ANY,
                ],
                0..80,
            ),
            byte in proptest::sample::select(vec![b',', b';', b'\t', 0u8, 0x7F, 0x80, 0xFF]),
        ) {
            let mut got = vec![7usize];
            let newline = scan_line(&line, byte, &mut got);
            let first_newline = line.iter().position(|&b| b == b'\n');
            let before = &line[..first_newline.unwrap_or(line.len())];
            let want: Vec<usize> = std::iter::once(7)
                .chain(before.iter().enumerate().filter(|(_, &b)| b == byte).map(|(i, _)| i))
                .collect();
            proptest::prop_assert_eq!(got, want);
            proptest::prop_assert_eq!(newline, first_newline);
            proptest::prop_assert_eq!(
                count_byte(&line, byte),
                line.iter().filter(|&&b| b == byte).count()
            );
        }

        /// A body is plain by the one pass, in chunks of any size, exactly
        /// when it is by its definition: quotes and returns anywhere,
        /// returns before newlines or not, at the edges of chunks or not.
        #[test]
        fn plain_in_one_pass_as_by_definition(
            body in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::sample::select(vec![b'a', b',', b'\n', 0x80, 0xFF]),
                    1 => proptest::sample::select(vec![b'\r', b'"', b'!', b'#']),
                ],
                0..120,
            ),
            chunk in 1usize..40,
        ) {
            let want = plain_by_definition(&body);
            proptest::prop_assert_eq!(is_plain_by(&body, chunk), want);
            proptest::prop_assert_eq!(is_plain(&body), want);
        }
    }
}
