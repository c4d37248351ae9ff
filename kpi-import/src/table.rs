//! A table as read from a file or sheet, before it is understood: its name,
//! header row and a body of rows, with one row abstraction over CSV records,
//! spreadsheet rows and JSON objects.

use super::normalize::trim_cell;
use calamine::Data;
use kpi_model::validate::Issue;

/// One cell as the parsers see it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Cell<'a> {
    /// Nothing written (or only spaces).
    Empty,
    /// Text, trimmed.
    Text(&'a str),
    /// A numeric spreadsheet or JSON cell.
    Number(f64),
    /// A boolean spreadsheet or JSON cell.
    Bool(bool),
    /// A cell that cannot hold a value (spreadsheet error, date, nested JSON, bad encoding).
    Invalid(&'static str),
}

impl Cell<'_> {
    /// The cell as written, for messages.
    pub(crate) fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => (*t).to_string(),
            Cell::Number(v) => format_number(*v),
            Cell::Bool(b) => b.to_string(),
            Cell::Invalid(what) => format!("<{what}>"),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }
}

/// Formats a number without a spurious `.0` for whole values.
pub(crate) fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// An owned cell (JSON values).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum OwnedCell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Invalid(&'static str),
}

impl OwnedCell {
    fn as_cell(&self) -> Cell<'_> {
        match self {
            OwnedCell::Empty => Cell::Empty,
            OwnedCell::Text(t) => text_cell(t),
            OwnedCell::Number(v) => Cell::Number(*v),
            OwnedCell::Bool(b) => Cell::Bool(*b),
            OwnedCell::Invalid(w) => Cell::Invalid(w),
        }
    }
}

#[inline]
pub(crate) fn text_cell(t: &str) -> Cell<'_> {
    let t = trim_cell(t);
    if t.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(t)
    }
}

/// Read access to one row.
pub(crate) trait RowAccess {
    /// The cell in column `col` (`Empty` past the end of a short row).
    fn cell(&self, col: usize) -> Cell<'_>;
    /// Number of cells in the row.
    fn width(&self) -> usize;
    /// The row's cells as written, for the rejected-rows file.
    fn fields(&self) -> Vec<String> {
        (0..self.width()).map(|i| self.cell(i).display()).collect()
    }
}

/// A CSV record whose bytes are valid UTF-8 in the common case.
pub(crate) struct CsvRow<'r> {
    rec: &'r csv::ByteRecord,
    /// The whole record's text, checked once: a row of a dozen cells costs
    /// one UTF-8 check instead of one per cell. `None` when some cell is not
    /// valid text; cells are then checked one by one, so only the bad ones
    /// are reported.
    text: Option<&'r str>,
}

impl<'r> CsvRow<'r> {
    /// A row over a record read from the file.
    #[inline]
    pub(crate) fn new(rec: &'r csv::ByteRecord) -> CsvRow<'r> {
        CsvRow {
            rec,
            text: std::str::from_utf8(rec.as_slice()).ok(),
        }
    }
}

impl RowAccess for CsvRow<'_> {
    #[inline]
    fn cell(&self, col: usize) -> Cell<'_> {
        // Cells of valid text end at delimiters (ASCII), so every cell
        // boundary of a valid record is a character boundary.
        if let Some(t) = self.text.and_then(|t| t.get(self.rec.range(col)?)) {
            return text_cell(t);
        }
        match self.rec.get(col) {
            None => Cell::Empty,
            Some(bytes) => match std::str::from_utf8(bytes) {
                Ok(t) => text_cell(t),
                Err(_) => Cell::Invalid("text that is not valid in the file's encoding"),
            },
        }
    }
    fn width(&self) -> usize {
        self.rec.len()
    }
}

/// A record of a body without quotes (see `csv_text::PlainLines`): its
/// line's text and the end of each cell, read in place.
pub(crate) struct PlainRow<'r> {
    line: &'r [u8],
    /// The line as text, checked once; `None` when some cell is not valid
    /// text (cells are then checked one by one, so only the bad ones are reported).
    text: Option<&'r str>,
    ends: &'r [usize],
}

impl<'r> PlainRow<'r> {
    #[inline]
    pub(crate) fn new(line: &'r [u8], ends: &'r [usize]) -> PlainRow<'r> {
        PlainRow {
            line,
            text: std::str::from_utf8(line).ok(),
            ends,
        }
    }

    #[inline]
    fn range(&self, col: usize) -> Option<std::ops::Range<usize>> {
        let end = *self.ends.get(col)?;
        let start = match col.checked_sub(1) {
            Some(prev) => self.ends.get(prev)? + 1,
            None => 0,
        };
        Some(start..end)
    }
}

impl RowAccess for PlainRow<'_> {
    #[inline]
    fn cell(&self, col: usize) -> Cell<'_> {
        let Some(range) = self.range(col) else {
            return Cell::Empty;
        };
        // Cells end at delimiters (ASCII): character boundaries of valid text.
        if let Some(t) = self.text.and_then(|t| t.get(range.clone())) {
            return text_cell(t);
        }
        match self.line.get(range).map(std::str::from_utf8) {
            Some(Ok(t)) => text_cell(t),
            Some(Err(_)) => Cell::Invalid("text that is not valid in the file's encoding"),
            None => Cell::Empty,
        }
    }
    fn width(&self) -> usize {
        self.ends.len()
    }
}

/// A spreadsheet row.
pub(crate) struct SheetRow<'r>(pub(crate) &'r [Data]);

pub(crate) fn data_cell(d: &Data) -> Cell<'_> {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => text_cell(s),
        Data::Float(v) => Cell::Number(*v),
        Data::Int(v) => Cell::Number(*v as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(_) => Cell::Invalid("a date"),
        Data::Error(_) => Cell::Invalid("a spreadsheet error value"),
    }
}

impl RowAccess for SheetRow<'_> {
    #[inline]
    fn cell(&self, col: usize) -> Cell<'_> {
        self.0.get(col).map_or(Cell::Empty, data_cell)
    }
    fn width(&self) -> usize {
        self.0.len()
    }
}

/// A JSON object as a row.
pub(crate) struct RecordRow<'r>(pub(crate) &'r [OwnedCell]);

impl RowAccess for RecordRow<'_> {
    fn cell(&self, col: usize) -> Cell<'_> {
        self.0.get(col).map_or(Cell::Empty, OwnedCell::as_cell)
    }
    fn width(&self) -> usize {
        self.0.len()
    }
}

/// The body of a table.
pub(crate) enum Body {
    /// CSV text (UTF-8 after decoding), data starting at byte `start`.
    Csv {
        text: Vec<u8>,
        start: usize,
        delimiter: u8,
        decimal_comma: bool,
        /// 1-based row number of the first data record.
        first_row: u64,
    },
    /// Spreadsheet rows; `first_row` is the 1-based sheet row of `rows[0]`.
    Sheet {
        range: calamine::Range<Data>,
        skip: usize,
        first_row: u64,
    },
    /// JSON objects as rows; row numbers are 1-based object positions.
    Records { rows: Vec<Vec<OwnedCell>> },
    /// Nothing readable: the table exists only to be reported.
    None,
}

/// A table read from a source, before its kind is known.
pub(crate) struct RawTable {
    /// File name as given.
    pub file: String,
    /// Sheet name, for workbooks; the table key for JSON objects.
    pub sheet: Option<String>,
    /// Headers as written (combined for two-row headers).
    pub headers: Vec<String>,
    pub body: Body,
    /// Issues found while opening (formula cells, combined headers, unreadable file).
    pub notes: Vec<Issue>,
    /// Whether a note is an error that rejects the table.
    pub failed: bool,
    /// Whether the table holds no data rows.
    pub empty: bool,
    /// Source bytes, for progress.
    pub bytes: u64,
    /// Whether this is one of several sheets of a workbook (empty extra sheets are only warned about).
    pub in_workbook: bool,
}

impl RawTable {
    pub(crate) fn failed(file: &str, sheet: Option<String>, issue: Issue, bytes: u64) -> RawTable {
        RawTable {
            file: file.to_string(),
            sheet,
            headers: Vec::new(),
            body: Body::None,
            notes: vec![issue],
            failed: true,
            empty: false,
            bytes,
            in_workbook: false,
        }
    }

    /// The number of data rows, at most (for reserving memory): lines of a
    /// text body, rows of a sheet, records of JSON.
    pub(crate) fn estimated_rows(&self) -> usize {
        match &self.body {
            Body::Csv { text, start, .. } => {
                let body = text.get(*start..).unwrap_or(&[]);
                memchr::memchr_iter(b'\n', body).count() + 1
            }
            Body::Sheet { range, skip, .. } => range.height().saturating_sub(*skip),
            Body::Records { rows } => rows.len(),
            Body::None => 0,
        }
    }

    /// The name the table kind is recognised by: the sheet, or the file stem.
    pub(crate) fn name_hint(&self) -> String {
        match &self.sheet {
            Some(s) => s.clone(),
            None => file_stem(&self.file).to_string(),
        }
    }
}

/// The file name without folders and extension.
pub(crate) fn file_stem(file: &str) -> &str {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    match base.rfind('.') {
        Some(i) if i > 0 => &base[..i],
        _ => base,
    }
}

/// Detects a two-row header: the first row leaves cells empty (merged cells
/// spanning the columns below) and the second row names them, with no number
/// in it (data rows carry years and values). Returns the combined headers
/// (`students_enrolled` over `female`/`male` → `students_enrolled.female`,
/// `students_enrolled.male`) when detected.
pub(crate) fn combine_two_row_header(first: &[String], second: &[Cell<'_>]) -> Option<Vec<String>> {
    let width = first.len().max(second.len());
    let top = |i: usize| first.get(i).map(|s| s.trim()).unwrap_or("");
    let below = |i: usize| match second.get(i) {
        Some(Cell::Text(t)) => Some(*t),
        Some(Cell::Empty) | None => None,
        // A number, date or error below the header: a data row.
        Some(_) => Some(""),
    };
    let looks_like_data = |t: &str| {
        t.is_empty()
            || super::values::parse_number(t, true).is_some()
            || super::values::parse_year(t).is_some()
    };
    let mut out = Vec::with_capacity(width);
    let mut carried: Option<&str> = None;
    let mut spans = 0;
    for i in 0..width {
        let (t, b) = (top(i), below(i));
        if b.is_some_and(looks_like_data) {
            return None;
        }
        // A merged cell spans this column and the next ones: the top is written
        // once, the columns to its right are empty on top and named below.
        let starts_span =
            !t.is_empty() && i + 1 < width && top(i + 1).is_empty() && below(i + 1).is_some();
        match (t.is_empty(), b) {
            (false, None) => {
                carried = None;
                out.push(t.to_string());
            }
            (false, Some(b)) if starts_span => {
                spans += 1;
                carried = Some(t);
                out.push(format!("{t}.{b}"));
            }
            (false, Some(_)) => return None,
            (true, Some(b)) => match carried {
                Some(c) => out.push(format!("{c}.{b}")),
                None => return None,
            },
            (true, None) => {
                carried = None;
                out.push(String::new());
            }
        }
    }
    (spans > 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_row_header_is_combined() {
        let first: Vec<String> = ["org_id", "year", "students_enrolled", "", "graduates"]
            .map(String::from)
            .to_vec();
        let second = [
            Cell::Empty,
            Cell::Empty,
            Cell::Text("female"),
            Cell::Text("male"),
            Cell::Empty,
        ];
        assert_eq!(
            combine_two_row_header(&first, &second).unwrap(),
            vec![
                "org_id",
                "year",
                "students_enrolled.female",
                "students_enrolled.male",
                "graduates"
            ]
        );
    }

    #[test]
    fn a_text_row_under_an_unnamed_column_is_not_a_header() {
        let first: Vec<String> = ["org_id", "name", "level", ""].map(String::from).to_vec();
        let second = [
            Cell::Text("X1"),
            Cell::Text("School 5"),
            Cell::Text("school"),
            Cell::Text("note"),
        ];
        assert!(combine_two_row_header(&first, &second).is_none());
    }

    #[test]
    fn a_data_row_is_not_a_header() {
        let first: Vec<String> = ["org_id", "year", "x", ""].map(String::from).to_vec();
        let second = [
            Cell::Text("A1"),
            Cell::Text("2023"),
            Cell::Text("5"),
            Cell::Text("6"),
        ];
        assert!(combine_two_row_header(&first, &second).is_none());
    }

    #[test]
    fn stems() {
        assert_eq!(file_stem("data/2023/orgs.csv"), "orgs");
        assert_eq!(file_stem("C:\\x\\Ұйымдар.xlsx"), "Ұйымдар");
        assert_eq!(file_stem(".hidden"), ".hidden");
    }
}
