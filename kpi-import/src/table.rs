//! A table as read from a file or sheet, before it is understood: its name,
//! header row and a body of rows, with one row abstraction over CSV records,
//! spreadsheet rows and JSON objects.

use super::normalize::trim_cell;
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
    /// A spreadsheet date (days since 1899-12-30): an academic year where a
    /// year is expected, invalid anywhere else.
    Date(f64),
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
            Cell::Date(serial) => format!("<a date, serial {}>", format_number(*serial)),
            Cell::Invalid(what) => format!("<{what}>"),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }
}

/// Formats a number as an issue's `found` value: without a spurious `.0` for whole values
/// (the DataFusion engine writes its messages with it too, so both engines say the same).
///
/// ```
/// assert_eq!(kpi_import::format_number(4.0), "4");
/// assert_eq!(kpi_import::format_number(4.5), "4.5");
/// assert_eq!(kpi_import::format_number(-120.0), "-120");
/// ```
pub fn format_number(v: f64) -> String {
    if super::values::is_whole(v) && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// An owned cell (JSON values, spreadsheet cells).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum OwnedCell {
    Empty,
    /// As written (trimmed when read as a [`Cell`]).
    Text(String),
    Number(f64),
    Bool(bool),
    /// A spreadsheet date (days since 1899-12-30).
    Date(f64),
    Invalid(&'static str),
}

impl OwnedCell {
    pub(crate) fn as_cell(&self) -> Cell<'_> {
        match self {
            OwnedCell::Empty => Cell::Empty,
            OwnedCell::Text(t) => text_cell(t),
            OwnedCell::Number(v) => Cell::Number(*v),
            OwnedCell::Bool(b) => Cell::Bool(*b),
            OwnedCell::Date(v) => Cell::Date(*v),
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
    /// A row over a line; `text`: the line as text when already checked
    /// (a body of valid text is checked once, not line by line).
    #[inline]
    pub(crate) fn new(line: &'r [u8], text: Option<&'r str>, ends: &'r [usize]) -> PlainRow<'r> {
        PlainRow {
            line,
            text: text.or_else(|| std::str::from_utf8(line).ok()),
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

/// A JSON object or a spreadsheet row as a row.
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
    /// Spreadsheet rows; `first_row` is the 1-based sheet row of the grid's first row.
    Sheet {
        range: super::workbook::Grid,
        skip: usize,
        first_row: u64,
    },
    /// JSON objects as rows; row numbers are 1-based object positions.
    Records { rows: Vec<Vec<OwnedCell>> },
    /// Parquet or Arrow IPC, decoded batch by batch; rows are 1-based record positions.
    #[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
    Columnar(super::columnar::ColumnarBody),
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
    /// The (first) header row, 1-based as the user sees it.
    pub header_row: u64,
    /// The unit written in each column's header (`, тыс. тенге`), if any.
    pub units: Vec<Option<super::layout::HeaderUnit>>,
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
            header_row: 1,
            units: Vec::new(),
        }
    }

    /// The number of data rows, at most (for reserving memory): lines of a
    /// text body, rows of a sheet, records of JSON.
    pub(crate) fn estimated_rows(&self) -> usize {
        match &self.body {
            Body::Csv { text, start, .. } => {
                let body = text.get(*start..).unwrap_or(&[]);
                super::csv_text::count_byte(body, b'\n') + 1
            }
            Body::Sheet { range, skip, .. } => range.height.saturating_sub(*skip),
            Body::Records { rows } => rows.len(),
            #[cfg(all(feature = "parquet", not(target_arch = "wasm32")))]
            Body::Columnar(c) => c.estimated_rows(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(file_stem("data/2023/orgs.csv"), "orgs");
        assert_eq!(file_stem("C:\\x\\Ұйымдар.xlsx"), "Ұйымдар");
        assert_eq!(file_stem(".hidden"), ".hidden");
    }
}
