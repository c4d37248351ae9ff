//! XLSX workbooks, read from memory with calamine (so the same code runs in
//! WebAssembly). The zip directory is checked against the size limits before
//! anything is decompressed. Formula cells give their cached value, with a warning.

use super::aliases::AliasBook;
use super::layout::{self, SEARCH_ROWS};
use super::limits::Limits;
use super::table::{data_cell, Body, Cell, RawTable};
use calamine::{Data, Reader, Xlsx};
use kpi_model::validate::{Issue, IssueCode, Location, Severity};
use std::io::Cursor;

fn error(
    file: &str,
    sheet: Option<String>,
    row: Option<u64>,
    message: String,
    bytes: u64,
) -> RawTable {
    RawTable::failed(
        file,
        sheet.clone(),
        Issue {
            severity: Severity::Error,
            code: IssueCode::UnreadableFile,
            location: Location {
                file: file.to_string(),
                sheet,
                row,
                column: None,
            },
            found: None,
            expected: None,
            suggestion: None,
            message,
        },
        bytes,
    )
}

/// Checks the declared sizes in the zip directory: the total uncompressed
/// size and each part's compression ratio.
fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
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

/// Opens every sheet of a workbook as a table.
pub(crate) fn open(
    file: &str,
    bytes: &[u8],
    limits: &Limits,
    aliases: &AliasBook,
) -> Vec<RawTable> {
    let size = bytes.len() as u64;
    if let Err(message) = check_zip(bytes, limits) {
        return vec![error(file, None, None, message, size)];
    }
    let mut book: Xlsx<Cursor<&[u8]>> = match Xlsx::new(Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => {
            return vec![error(
                file,
                None,
                None,
                format!("not a readable XLSX workbook: {e}"),
                size,
            )]
        }
    };
    let names = book.sheet_names();
    let n_sheets = names.len().max(1) as u64;
    let mut tables = Vec::new();
    for name in names {
        let sheet = Some(name.clone());
        let share = size / n_sheets;
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                tables.push(error(
                    file,
                    sheet,
                    None,
                    format!("cannot read the sheet: {e}"),
                    share,
                ));
                continue;
            }
        };
        let formulas = book.worksheet_formula(&name).ok();
        tables.push(sheet_table(
            file, name, range, formulas, limits, share, aliases,
        ));
    }
    if tables.is_empty() {
        return vec![error(
            file,
            None,
            None,
            "the workbook has no sheets".into(),
            size,
        )];
    }
    let several = tables.len() > 1;
    for t in &mut tables {
        t.in_workbook = several;
    }
    tables
}

fn sheet_table(
    file: &str,
    name: String,
    range: calamine::Range<Data>,
    formulas: Option<calamine::Range<String>>,
    limits: &Limits,
    bytes: u64,
    book: &AliasBook,
) -> RawTable {
    let sheet = Some(name.clone());
    let Some((row0, col0)) = range.start() else {
        return RawTable {
            file: file.to_string(),
            sheet,
            headers: Vec::new(),
            body: Body::None,
            notes: Vec::new(),
            failed: false,
            empty: true,
            bytes,
            in_workbook: true,
            header_row: 1,
            units: Vec::new(),
        };
    };
    if range.width() > limits.max_columns {
        return error(
            file,
            sheet,
            Some(u64::from(row0) + 1),
            format!(
                "the sheet has {} columns, more than the limit of {}",
                range.width(),
                limits.max_columns
            ),
            bytes,
        );
    }
    if range.height() as u64 > limits.max_rows.saturating_add(2) {
        return error(
            file,
            sheet,
            None,
            format!(
                "the sheet has {} rows, more than the limit of {}",
                range.height(),
                limits.max_rows
            ),
            bytes,
        );
    }
    // The header: under title rows, over a second header row under merged cells.
    let top: Vec<Vec<Cell<'_>>> = range
        .rows()
        .take(SEARCH_ROWS)
        .map(|r| r.iter().map(data_cell).collect())
        .collect();
    let first_row = u64::from(row0) + 1;
    let layout = layout::detect(&top, book, &layout::known_header(book), &|i| {
        first_row + i as u64
    });
    drop(top);
    let header_row = first_row + layout.header_at as u64;
    let mut notes: Vec<_> = layout
        .notes
        .into_iter()
        .map(|m| layout::note(file, sheet.clone(), header_row, m))
        .collect();
    let headers = layout.headers;
    let skip = layout.header_at + layout.header_rows;
    let empty = range.height() <= skip;
    if let Some(f) = formulas {
        formula_notes(
            file,
            &name,
            &range,
            &f,
            &headers,
            (row0, col0),
            limits,
            &mut notes,
        );
    }
    RawTable {
        file: file.to_string(),
        sheet,
        headers,
        body: Body::Sheet {
            range,
            skip,
            first_row,
        },
        notes,
        failed: false,
        empty,
        bytes,
        in_workbook: true,
        header_row,
        units: layout.units,
    }
}

fn column_letter(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Warns about formula cells: their cached value is used (or, without one,
/// the cell is read as empty). Listed up to the per-kind limit, then counted.
#[allow(clippy::too_many_arguments)]
fn formula_notes(
    file: &str,
    sheet: &str,
    values: &calamine::Range<Data>,
    formulas: &calamine::Range<String>,
    headers: &[String],
    origin: (u32, u32),
    limits: &Limits,
    notes: &mut Vec<Issue>,
) {
    let mut listed = 0usize;
    let mut more = 0u64;
    for (r, c, f) in formulas.used_cells() {
        if f.is_empty() {
            continue;
        }
        let Some((fr, fc)) = formulas.start() else {
            break;
        };
        let (abs_r, abs_c) = (fr + r as u32, fc + c as u32);
        if listed >= limits.max_issues_per_kind {
            more += 1;
            continue;
        }
        listed += 1;
        let cached = values
            .get_value((abs_r, abs_c))
            .cloned()
            .unwrap_or(Data::Empty);
        let has_value = !matches!(cached, Data::Empty);
        notes.push(Issue {
            severity: Severity::Warning,
            code: IssueCode::FormulaCell,
            location: Location {
                file: file.to_string(),
                sheet: Some(sheet.to_string()),
                row: Some(u64::from(abs_r) + 1),
                column: Some(
                    headers
                        .get(abs_c.saturating_sub(origin.1) as usize)
                        .filter(|h| !h.is_empty())
                        .cloned()
                        .unwrap_or_else(|| column_letter(abs_c)),
                ),
            },
            found: Some(format!("={f}")),
            expected: Some("a plain value".into()),
            suggestion: None,
            message: if has_value {
                format!(
                    "cell {}{} holds a formula; its value as last calculated by the spreadsheet ({}) is used",
                    column_letter(abs_c),
                    abs_r + 1,
                    data_cell(&cached).display()
                )
            } else {
                format!(
                    "cell {}{} holds a formula with no calculated value saved; it is read as empty (open and save the file in Excel)",
                    column_letter(abs_c),
                    abs_r + 1
                )
            },
        });
    }
    if more > 0 {
        if let Some(last) = notes
            .iter_mut()
            .rev()
            .find(|n| n.code == IssueCode::FormulaCell)
        {
            last.message.push_str(&format!(
                " (and {more} more formula cells in this sheet, not listed)"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
