//! Resource limits of a load: bad or hostile input must neither hang nor
//! exhaust memory, and every limit hit is a clear error naming the file.

use serde::{Deserialize, Serialize};

/// Limits applied while reading sources. Each limit hit rejects the table
/// (or file) concerned with an [`IssueCode::UnreadableFile`](kpi_model::validate::IssueCode)
/// error naming it; everything else stays loaded.
///
/// ```
/// use kpi_import::Limits;
/// let small = Limits { max_line_bytes: 4096, ..Limits::default() };
/// assert_eq!(small.max_columns, Limits::default().max_columns);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Largest accepted file, in bytes (default 4 GiB).
    pub max_file_bytes: u64,
    /// Most data rows in one table (default 100 million).
    pub max_rows: u64,
    /// Most columns in one table (default 2,000).
    pub max_columns: usize,
    /// Longest cell, in bytes (default 64 KiB).
    pub max_cell_bytes: usize,
    /// Longest line of a text file, in bytes (default 1 MiB).
    pub max_line_bytes: usize,
    /// Largest total uncompressed size of an XLSX workbook, checked from the
    /// zip directory before anything is decompressed (default 1 GiB).
    pub max_xlsx_uncompressed_bytes: u64,
    /// Largest compression ratio of one XLSX part (default 200: XML compresses
    /// about 10×; zip bombs compress thousands of times).
    pub max_xlsx_ratio: u64,
    /// Deepest nesting of JSON arrays and objects (default 16; a table needs 3).
    pub max_json_depth: usize,
    /// Issues of one kind listed one by one per table; the rest are counted in
    /// [`ValidationReport::suppressed`](kpi_model::validate::ValidationReport) (default 50).
    pub max_issues_per_kind: usize,
    /// Rejected rows kept per table for the rejected-rows file (default 10,000).
    pub max_rejected_rows: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 4 << 30,
            max_rows: 100_000_000,
            max_columns: 2_000,
            max_cell_bytes: 64 << 10,
            max_line_bytes: 1 << 20,
            max_xlsx_uncompressed_bytes: 1 << 30,
            max_xlsx_ratio: 200,
            max_json_depth: 16,
            max_issues_per_kind: 50,
            max_rejected_rows: 10_000,
        }
    }
}
