//! The sample as one XLSX workbook, a sheet per table (as institutions often
//! send their exports), for demos and for testing the XLSX import path.

use super::Sample;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

/// Columns written as text even when they look like numbers: identifiers and
/// codes keep their leading zeros (`000640955283`, programme `0902000`).
const TEXT_COLUMNS: &[&str] = &[
    "org_id",
    "student_id",
    "respondent_id",
    "programme",
    "course_code",
];

/// The largest number of data rows a sheet holds (1,048,576 rows minus the header).
pub const MAX_SHEET_ROWS: usize = 1_048_575;

/// Errors of [`workbook`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkbookError {
    /// A table has more rows than a sheet can hold.
    #[error(
        "{file}: {rows} rows do not fit in one sheet (at most {MAX_SHEET_ROWS}); use the CSV files"
    )]
    TooManyRows {
        /// File name.
        file: String,
        /// Its data rows.
        rows: usize,
    },
    /// A CSV file of the sample could not be re-read (never happens for generated files).
    #[error("{file}: {message}")]
    Csv {
        /// File name.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// The XLSX writer failed.
    #[error("XLSX: {0}")]
    Xlsx(#[from] XlsxError),
}

/// Builds an XLSX workbook with one sheet per CSV table of `sample`, named
/// after the table (`organisations`, `observations`, …). Numbers are numeric
/// cells; identifiers and codes stay text; the header row is bold and frozen.
///
/// ```
/// use kpi_model::YearSpan;
/// use kpi_sample::{generate, workbook, SampleOptions, Scale};
/// let sample = generate(&SampleOptions {
///     years: YearSpan::new(2023, 2023),
///     student_rows: Some(500),
///     grade_rows: Some(500),
///     ..SampleOptions::new(3, Scale::Small)
/// })
/// .unwrap();
/// let bytes = workbook(&sample).unwrap();
/// assert_eq!(&bytes[..2], b"PK"); // a zip container
/// ```
pub fn workbook(sample: &Sample) -> Result<Vec<u8>, WorkbookError> {
    let mut book = Workbook::new();
    // A fixed creation time, so the same sample gives the same workbook.
    let created = ExcelDateTime::from_ymd(2025, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let bold = Format::new().set_bold();
    for file in sample.files.iter().filter(|f| f.name.ends_with(".csv")) {
        if file.rows > MAX_SHEET_ROWS {
            return Err(WorkbookError::TooManyRows {
                file: file.name.clone(),
                rows: file.rows,
            });
        }
        let sheet = book.add_worksheet();
        sheet.set_name(file.name.trim_end_matches(".csv"))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(file.bytes.as_slice());
        let mut text_cols: Vec<bool> = Vec::new();
        for (r, record) in reader.records().enumerate() {
            let record = record.map_err(|e| WorkbookError::Csv {
                file: file.name.clone(),
                message: e.to_string(),
            })?;
            let row = r as u32;
            for (c, value) in record.iter().enumerate() {
                let col = c as u16;
                if r == 0 {
                    sheet.write_string_with_format(row, col, value, &bold)?;
                    text_cols.push(TEXT_COLUMNS.contains(&value));
                    continue;
                }
                if value.is_empty() {
                    continue;
                }
                let as_text = text_cols.get(c).copied().unwrap_or(true);
                match value.parse::<f64>() {
                    Ok(x) if !as_text && x.is_finite() => sheet.write_number(row, col, x)?,
                    _ => sheet.write_string(row, col, value)?,
                };
            }
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{generate, SampleOptions, Scale};
    use calamine::{Data, Reader, Xlsx};
    use kpi_model::YearSpan;

    #[test]
    fn sheets_hold_the_tables_with_ids_as_text() {
        let sample = generate(&SampleOptions {
            years: YearSpan::new(2023, 2024),
            student_rows: Some(1_000),
            grade_rows: Some(1_000),
            ..SampleOptions::new(2, Scale::Small)
        })
        .expect("generation");
        let bytes = workbook(&sample).expect("workbook");
        assert_eq!(workbook(&sample).expect("workbook"), bytes, "deterministic");
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("readable XLSX");
        assert_eq!(
            book.sheet_names(),
            [
                "organisations",
                "observations",
                "students",
                "grades",
                "surveys"
            ]
        );
        let orgs = book.worksheet_range("organisations").expect("sheet");
        let csv_orgs = sample.file("organisations.csv").expect("file");
        // Header + one row per organisation.
        assert_eq!(orgs.height(), csv_orgs.rows + 1);
        let first_id = csv_orgs
            .text()
            .lines()
            .nth(1)
            .and_then(|l| l.split(',').next())
            .map(str::to_string);
        assert_eq!(
            orgs.get((1, 0)),
            first_id.map(Data::String).as_ref(),
            "org_id stays text with its leading zeros"
        );
        let obs = book.worksheet_range("observations").expect("sheet");
        assert_eq!(
            obs.get((0, 3)),
            Some(&Data::String("students_enrolled".into()))
        );
        assert!(matches!(obs.get((1, 1)), Some(Data::Float(y)) if *y == 2023.0));
    }
}
