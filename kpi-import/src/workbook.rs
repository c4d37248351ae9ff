//! A spreadsheet workbook as the importer reads it: its sheets' cells, formulas and reading
//! errors, independent of the XLSX parser. With the `xlsx` feature, [`read`] fills it with
//! calamine; the browser's engine module is built without that feature and gets the
//! workbook as a cell stream ([`workbook_stream`]) from the separate spreadsheet module, so
//! that calamine, zip, inflate and quick-xml are downloaded only when a workbook is opened.
//!
//! The stream (little-endian): the magic [`STREAM_MAGIC`], the workbook file's size (u64),
//! then either `0` and an error message, or `1`, the number of sheets (u32) and per sheet its
//! name, then `0` and an error message, or `1`, `0` (no cells) or `1` with the first row and
//! column (u32 each), width and height (u32 each) and `width × height` cells row by row,
//! then the number of formulas (u32) and each formula's absolute row and column (u32 each)
//! and text. A text is its length in bytes (u32) and UTF-8. A cell is a tag: `0` empty,
//! `1` text, `2` number (f64), `3` false, `4` true, `5` date (f64, days since 1899-12-30),
//! `6` a spreadsheet error value.

use super::table::OwnedCell;

/// The first bytes of a workbook cell stream (no XLSX, CSV or JSON file starts with them).
pub const STREAM_MAGIC: &[u8; 8] = b"\0KPIWB1\n";

/// A workbook: its sheets in order, or why it cannot be read at all.
#[derive(Debug, PartialEq)]
pub(crate) struct Workbook {
    /// Size of the workbook file in bytes (for the file-size limit and progress).
    pub file_bytes: u64,
    pub sheets: Result<Vec<Sheet>, String>,
}

/// One sheet: its cells, or why it cannot be read.
#[derive(Debug, PartialEq)]
pub(crate) struct Sheet {
    pub name: String,
    pub cells: Result<Grid, String>,
    /// The sheet's non-empty formulas, in the order the reader lists them.
    pub formulas: Vec<Formula>,
}

/// The used rectangle of a sheet, row by row (`cells.len() == width × height`).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Grid {
    /// 0-based row and column of the first cell; `None` for a sheet with no cells.
    pub start: Option<(u32, u32)>,
    pub width: usize,
    pub height: usize,
    pub cells: Vec<OwnedCell>,
}

impl Grid {
    /// The rows, `width` cells each.
    pub(crate) fn rows(&self) -> impl Iterator<Item = &[OwnedCell]> {
        self.cells.chunks(self.width.max(1))
    }

    /// The cell at the 0-based sheet position (`row`, `col`), if inside the grid.
    pub(crate) fn get(&self, row: u32, col: u32) -> Option<&OwnedCell> {
        let (r0, c0) = self.start?;
        let r = row.checked_sub(r0)? as usize;
        let c = col.checked_sub(c0)? as usize;
        if r >= self.height || c >= self.width {
            return None;
        }
        self.cells.get(r * self.width + c)
    }
}

/// A formula cell: its 0-based sheet position and text (without `=`).
#[derive(Debug, PartialEq)]
pub(crate) struct Formula {
    pub row: u32,
    pub col: u32,
    pub text: String,
}

/// Whether `bytes` are a workbook cell stream.
pub(crate) fn is_stream(bytes: &[u8]) -> bool {
    bytes.starts_with(STREAM_MAGIC)
}

/// Reads an XLSX workbook with the default [`Limits`](crate::Limits) and writes it as a cell
/// stream, which the importer of a build without the `xlsx` feature (the browser's engine
/// module) reads as that workbook, with the same tables, issues and messages.
///
/// ```
/// // Not a workbook: the stream carries the reading error, reported when it is loaded.
/// let stream = kpi_import::workbook_stream(b"PK\x03\x04 truncated");
/// assert!(stream.starts_with(kpi_import::WORKBOOK_STREAM_MAGIC));
/// ```
#[cfg(feature = "xlsx")]
pub fn workbook_stream(bytes: &[u8]) -> Vec<u8> {
    read(bytes, &crate::Limits::default()).to_stream()
}

impl Workbook {
    /// The workbook as a cell stream (see the module documentation).
    #[cfg(any(feature = "xlsx", test))]
    pub(crate) fn to_stream(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(64));
        w.0.extend_from_slice(STREAM_MAGIC);
        w.u64(self.file_bytes);
        match &self.sheets {
            Err(message) => {
                w.0.push(0);
                w.text(message);
            }
            Ok(sheets) => {
                w.0.push(1);
                w.len(sheets.len());
                for sheet in sheets {
                    w.sheet(sheet);
                }
            }
        }
        w.0
    }

    /// Reads a cell stream; an error says where it is damaged.
    pub(crate) fn from_stream(bytes: &[u8]) -> Result<Workbook, String> {
        let mut r = Reader {
            bytes,
            at: STREAM_MAGIC.len(),
        };
        if !is_stream(bytes) {
            return Err("not a workbook cell stream".into());
        }
        let file_bytes = r.u64()?;
        let sheets = if r.byte()? == 0 {
            Err(r.text()?)
        } else {
            let n = r.u32()? as usize;
            // Each sheet takes at least 9 bytes: no count can ask for more than the stream holds.
            let mut sheets = Vec::with_capacity(n.min(r.left() / 9));
            for _ in 0..n {
                sheets.push(r.sheet()?);
            }
            Ok(sheets)
        };
        if r.left() > 0 {
            return Err(r.damaged("bytes after the last sheet"));
        }
        Ok(Workbook { file_bytes, sheets })
    }
}

#[cfg(any(feature = "xlsx", test))]
struct Writer(Vec<u8>);

#[cfg(any(feature = "xlsx", test))]
impl Writer {
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        // Sheets, cells and texts of a workbook within the size limits fit in u32.
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }
    fn text(&mut self, t: &str) {
        self.len(t.len());
        self.0.extend_from_slice(t.as_bytes());
    }
    fn sheet(&mut self, sheet: &Sheet) {
        self.text(&sheet.name);
        match &sheet.cells {
            Err(message) => {
                self.0.push(0);
                self.text(message);
            }
            Ok(grid) => {
                self.0.push(1);
                match grid.start {
                    None => self.0.push(0),
                    Some((row, col)) => {
                        self.0.push(1);
                        self.u32(row);
                        self.u32(col);
                        self.len(grid.width);
                        self.len(grid.height);
                        for cell in &grid.cells {
                            self.cell(cell);
                        }
                    }
                }
            }
        }
        self.len(sheet.formulas.len());
        for f in &sheet.formulas {
            self.u32(f.row);
            self.u32(f.col);
            self.text(&f.text);
        }
    }
    fn cell(&mut self, cell: &OwnedCell) {
        match cell {
            OwnedCell::Empty => self.0.push(0),
            OwnedCell::Text(t) => {
                self.0.push(1);
                self.text(t);
            }
            OwnedCell::Number(v) => {
                self.0.push(2);
                self.0.extend_from_slice(&v.to_le_bytes());
            }
            OwnedCell::Bool(b) => self.0.push(if *b { 4 } else { 3 }),
            OwnedCell::Date(v) => {
                self.0.push(5);
                self.0.extend_from_slice(&v.to_le_bytes());
            }
            OwnedCell::Invalid(_) => self.0.push(6),
        }
    }
}

/// What a spreadsheet error value cell reads as.
pub(crate) const ERROR_VALUE: &str = "a spreadsheet error value";

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn left(&self) -> usize {
        self.bytes.len().saturating_sub(self.at)
    }
    fn damaged(&self, what: &str) -> String {
        format!(
            "the workbook cell stream is damaged at byte {}: {what}",
            self.at
        )
    }
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        if n > self.left() {
            return Err(self.damaged("it ends early"));
        }
        let out = &self.bytes[self.at..self.at + n];
        self.at += n;
        Ok(out)
    }
    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, String> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from(self.u32()?) | (u64::from(self.u32()?) << 32))
    }
    fn f64(&mut self) -> Result<f64, String> {
        Ok(f64::from_bits(self.u64()?))
    }
    fn text(&mut self) -> Result<String, String> {
        let n = self.u32()? as usize;
        let at = self.at;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| {
            format!("the workbook cell stream is damaged at byte {at}: text that is not UTF-8")
        })
    }
    fn sheet(&mut self) -> Result<Sheet, String> {
        let name = self.text()?;
        let cells = if self.byte()? == 0 {
            Err(self.text()?)
        } else if self.byte()? == 0 {
            Ok(Grid::default())
        } else {
            let start = (self.u32()?, self.u32()?);
            let width = self.u32()? as usize;
            let height = self.u32()? as usize;
            let n = width
                .checked_mul(height)
                .filter(|&n| n <= self.left())
                .ok_or_else(|| self.damaged("more cells than bytes"))?;
            let mut cells = Vec::with_capacity(n);
            for _ in 0..n {
                cells.push(self.cell()?);
            }
            Ok(Grid {
                start: Some(start),
                width,
                height,
                cells,
            })
        };
        let n = self.u32()? as usize;
        let mut formulas = Vec::with_capacity(n.min(self.left() / 12));
        for _ in 0..n {
            formulas.push(Formula {
                row: self.u32()?,
                col: self.u32()?,
                text: self.text()?,
            });
        }
        Ok(Sheet {
            name,
            cells,
            formulas,
        })
    }
    fn cell(&mut self) -> Result<OwnedCell, String> {
        Ok(match self.byte()? {
            0 => OwnedCell::Empty,
            1 => OwnedCell::Text(self.text()?),
            2 => OwnedCell::Number(self.f64()?),
            3 => OwnedCell::Bool(false),
            4 => OwnedCell::Bool(true),
            5 => OwnedCell::Date(self.f64()?),
            6 => OwnedCell::Invalid(ERROR_VALUE),
            tag => return Err(self.damaged(&format!("unknown cell tag {tag}"))),
        })
    }
}

/// Reads an XLSX workbook from memory with calamine. The zip directory is checked against
/// the size limits before anything is decompressed.
#[cfg(feature = "xlsx")]
pub(crate) fn read(bytes: &[u8], limits: &crate::Limits) -> Workbook {
    use calamine::{Data, Reader as _, Xlsx};
    use std::io::Cursor;
    let file_bytes = bytes.len() as u64;
    let failed = |message: String| Workbook {
        file_bytes,
        sheets: Err(message),
    };
    if let Err(message) = check_zip(bytes, limits) {
        return failed(message);
    }
    let mut book: Xlsx<Cursor<&[u8]>> = match Xlsx::new(Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => return failed(format!("not a readable XLSX workbook: {e}")),
    };
    let cell = |d: &mut Data| match std::mem::take(d) {
        Data::Empty => OwnedCell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => OwnedCell::Text(s),
        Data::Float(v) => OwnedCell::Number(v),
        Data::Int(v) => OwnedCell::Number(v as f64),
        Data::Bool(b) => OwnedCell::Bool(b),
        Data::DateTime(d) => OwnedCell::Date(d.as_f64()),
        Data::Error(_) => OwnedCell::Invalid(ERROR_VALUE),
    };
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let cells = match book.worksheet_range(&name) {
            Err(e) => Err(format!("cannot read the sheet: {e}")),
            Ok(mut range) => {
                let (height, width) = range.get_size();
                let start = range.start();
                let mut cells =
                    Vec::with_capacity(if start.is_some() { width * height } else { 0 });
                if start.is_some() {
                    for r in 0..height {
                        cells.extend(range[r].iter_mut().map(cell));
                    }
                }
                Ok(Grid {
                    start,
                    width,
                    height,
                    cells,
                })
            }
        };
        // Formulas are read only for a sheet whose values were (as before the split).
        let formulas = match (&cells, book.worksheet_formula(&name)) {
            (Ok(_), Ok(f)) => match f.start() {
                Some((r0, c0)) => f
                    .used_cells()
                    .filter(|(_, _, text)| !text.is_empty())
                    .map(|(r, c, text)| Formula {
                        row: r0 + r as u32,
                        col: c0 + c as u32,
                        text: text.clone(),
                    })
                    .collect(),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        sheets.push(Sheet {
            name,
            cells,
            formulas,
        });
    }
    Workbook {
        file_bytes,
        sheets: Ok(sheets),
    }
}

/// Checks the declared sizes in the zip directory: the total uncompressed
/// size and each part's compression ratio.
#[cfg(feature = "xlsx")]
fn check_zip(bytes: &[u8], limits: &crate::Limits) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        format!("not a readable XLSX workbook (the zip container is truncated or damaged: {e})")
    })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| format!("not a readable XLSX workbook (damaged zip entry {i}: {e})"))?;
        let size = entry.size();
        total = total.saturating_add(size);
        let compressed = entry.compressed_size().max(1);
        if size > (1 << 20) && size / compressed > limits.max_xlsx_ratio {
            return Err(format!(
                "part `{}` of the workbook expands {}× (limit {}×): refused as a possible zip bomb",
                entry.name().unwrap_or_default(),
                size / compressed,
                limits.max_xlsx_ratio
            ));
        }
    }
    if total > limits.max_xlsx_uncompressed_bytes {
        return Err(format!(
            "the workbook expands to {total} bytes, more than the limit of {} bytes",
            limits.max_xlsx_uncompressed_bytes
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Workbook {
        Workbook {
            file_bytes: 123_456_789_012,
            sheets: Ok(vec![
                Sheet {
                    name: "Ұйымдар".into(),
                    cells: Ok(Grid {
                        start: Some((2, 1)),
                        width: 3,
                        height: 2,
                        cells: vec![
                            OwnedCell::Text("org_id".into()),
                            OwnedCell::Number(-0.5),
                            OwnedCell::Empty,
                            OwnedCell::Bool(true),
                            OwnedCell::Date(45_000.25),
                            OwnedCell::Invalid(ERROR_VALUE),
                        ],
                    }),
                    formulas: vec![Formula {
                        row: 3,
                        col: 2,
                        text: "SUM(B3:B4)".into(),
                    }],
                },
                Sheet {
                    name: "empty".into(),
                    cells: Ok(Grid::default()),
                    formulas: Vec::new(),
                },
                Sheet {
                    name: "broken".into(),
                    cells: Err("cannot read the sheet: bad XML".into()),
                    formulas: Vec::new(),
                },
            ]),
        }
    }

    #[test]
    fn a_workbook_survives_the_stream() {
        let book = sample();
        assert_eq!(Workbook::from_stream(&book.to_stream()), Ok(sample()));
        let failed = Workbook {
            file_bytes: 7,
            sheets: Err("not a readable XLSX workbook: x".into()),
        };
        let back = Workbook::from_stream(&failed.to_stream()).unwrap();
        assert_eq!(back, failed);
    }

    #[test]
    fn the_stream_layout_is_the_documented_one() {
        let book = Workbook {
            file_bytes: 5,
            sheets: Ok(vec![Sheet {
                name: "S".into(),
                cells: Ok(Grid {
                    start: Some((0, 1)),
                    width: 1,
                    height: 1,
                    cells: vec![OwnedCell::Bool(false)],
                }),
                formulas: Vec::new(),
            }]),
        };
        let mut expected = b"\0KPIWB1\n".to_vec();
        expected.extend([5, 0, 0, 0, 0, 0, 0, 0]); // file size
        expected.extend([1, 1, 0, 0, 0]); // sheets, one
        expected.extend([1, 0, 0, 0, b'S', 1, 1]); // name, cells, a grid
        expected.extend([0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]); // start, size
        expected.extend([3, 0, 0, 0, 0]); // false, no formulas
        assert_eq!(book.to_stream(), expected);
    }

    #[test]
    fn a_damaged_stream_is_an_error_not_a_panic() {
        let stream = sample().to_stream();
        for cut in 0..stream.len() {
            assert!(
                Workbook::from_stream(&stream[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut extra = stream.clone();
        extra.push(0);
        assert!(Workbook::from_stream(&extra)
            .unwrap_err()
            .contains("after the last sheet"));
        // A grid that claims more cells than the stream holds.
        let mut huge = b"\0KPIWB1\n".to_vec();
        huge.extend([0; 8]);
        huge.extend([1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
        huge.extend([0; 8]);
        huge.extend([0xFF; 8]);
        assert!(Workbook::from_stream(&huge)
            .unwrap_err()
            .contains("more cells than bytes"));
    }

    #[test]
    fn grid_positions_are_absolute() {
        let Ok(sheets) = sample().sheets else {
            unreachable!()
        };
        let grid = sheets[0].cells.as_ref().unwrap();
        assert_eq!(grid.get(2, 1), Some(&OwnedCell::Text("org_id".into())));
        assert_eq!(grid.get(3, 3), Some(&OwnedCell::Invalid(ERROR_VALUE)));
        assert_eq!(grid.get(1, 1), None);
        assert_eq!(grid.get(4, 1), None);
        assert_eq!(grid.get(2, 4), None);
        assert_eq!(grid.rows().count(), 2);
    }
}
