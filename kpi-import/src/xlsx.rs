//! The sheets of a workbook ([`Workbook`], read by calamine or received as a cell stream)
//! as tables: header detection under title rows, size limits, and a warning for each
//! formula cell, whose cached value is used.

use super::aliases::AliasBook;
use super::layout::{self, SEARCH_ROWS};
use super::limits::Limits;
use super::table::{Body, Cell, OwnedCell, RawTable};
use super::workbook::{Formula, Grid, Sheet, Workbook};
use kpi_model::validate::{Issue, IssueCode, Location, Severity};

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

/// Opens every sheet of a workbook as a table.
pub(crate) fn open(
    file: &str,
    workbook: Workbook,
    limits: &Limits,
    aliases: &AliasBook,
) -> Vec<RawTable> {
    let size = workbook.file_bytes;
    let sheets = match workbook.sheets {
        Ok(sheets) => sheets,
        Err(message) => return vec![error(file, None, None, message, size)],
    };
    let n_sheets = sheets.len().max(1) as u64;
    let mut tables = Vec::new();
    for Sheet {
        name,
        cells,
        formulas,
    } in sheets
    {
        let share = size / n_sheets;
        match cells {
            Ok(grid) => tables.push(sheet_table(
                file, name, grid, &formulas, limits, share, aliases,
            )),
            Err(message) => tables.push(error(file, Some(name), None, message, share)),
        }
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
    range: Grid,
    formulas: &[Formula],
    limits: &Limits,
    bytes: u64,
    book: &AliasBook,
) -> RawTable {
    let sheet = Some(name.clone());
    let Some((row0, col0)) = range.start else {
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
    if range.width > limits.max_columns {
        return error(
            file,
            sheet,
            Some(u64::from(row0) + 1),
            format!(
                "the sheet has {} columns, more than the limit of {}",
                range.width, limits.max_columns
            ),
            bytes,
        );
    }
    if range.height as u64 > limits.max_rows.saturating_add(2) {
        return error(
            file,
            sheet,
            None,
            format!(
                "the sheet has {} rows, more than the limit of {}",
                range.height, limits.max_rows
            ),
            bytes,
        );
    }
    // The header: under title rows, over a second header row under merged cells.
    let top: Vec<Vec<Cell<'_>>> = range
        .rows()
        .take(SEARCH_ROWS)
        .map(|r| r.iter().map(OwnedCell::as_cell).collect())
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
    let empty = range.height <= skip;
    formula_notes(
        file, &name, &range, formulas, &headers, col0, limits, &mut notes,
    );
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
    values: &Grid,
    formulas: &[Formula],
    headers: &[String],
    first_col: u32,
    limits: &Limits,
    notes: &mut Vec<Issue>,
) {
    let mut listed = 0usize;
    let mut more = 0u64;
    for Formula {
        row: abs_r,
        col: abs_c,
        text: f,
    } in formulas
    {
        let (abs_r, abs_c) = (*abs_r, *abs_c);
        if listed >= limits.max_issues_per_kind {
            more += 1;
            continue;
        }
        listed += 1;
        let cached = values.get(abs_r, abs_c).unwrap_or(&OwnedCell::Empty);
        // An empty text cell holds a value (an empty string), as calamine reads it.
        let has_value = !matches!(cached, OwnedCell::Empty);
        notes.push(Issue {
            severity: Severity::Warning,
            code: IssueCode::FormulaCell,
            location: Location {
                file: file.to_string(),
                sheet: Some(sheet.to_string()),
                row: Some(u64::from(abs_r) + 1),
                column: Some(
                    headers
                        .get(abs_c.saturating_sub(first_col) as usize)
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
                    cached.as_cell().display()
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
