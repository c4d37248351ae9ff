//! The spreadsheet build (`--features sheets`): XLSX workbooks read with calamine into the
//! cell stream the engine module reads (`kpi_import::workbook_stream`). The dataset worker
//! loads this module only when it is given a workbook, so that calamine, zip, inflate and
//! quick-xml are not in the engine module every dashboard downloads.

use wasm_bindgen::prelude::*;

/// The cell stream of the XLSX workbook `bytes`: its sheets' cells and formulas, or why it
/// cannot be read. The engine module reads it as that workbook (`Engine.load` with the
/// stream as the file's bytes, under the workbook's file name), with the same tables,
/// issues and messages as a native load of the workbook.
#[wasm_bindgen(js_name = workbookCells)]
pub fn workbook_cells(bytes: &[u8]) -> Vec<u8> {
    kpi_import::workbook_stream(bytes)
}
