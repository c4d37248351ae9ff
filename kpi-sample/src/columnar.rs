//! The sample as Parquet or Arrow IPC files (`kpi sample --format parquet`),
//! with typed columns: each CSV table is generated as usual, then written
//! column by column with the type its values have.
//!
//! Types, per column: identifiers (`*_id`, `programme`, `course_code`) and
//! any column with a number written with a leading zero stay text; a column
//! of whole numbers is `Int64`; of numbers, `Float64`; anything else is text,
//! dictionary-encoded when it repeats a few values (`status`, `survey`).
//! Empty cells are nulls. The files load back to the same dataset as the CSV.

use super::out::{FileSummary, Sink};
use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder, StringDictionaryBuilder};
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use std::collections::HashSet;
use std::io::{self, Write};
use std::sync::Arc;

/// The columnar container written.
///
/// ```
/// use kpi_sample::ColumnarFormat;
/// assert_eq!(ColumnarFormat::Parquet.extension(), "parquet");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnarFormat {
    /// Apache Parquet, Snappy-compressed (`.parquet`).
    Parquet,
    /// Arrow IPC file format, uncompressed (`.arrow`).
    Arrow,
}

impl ColumnarFormat {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ColumnarFormat::Parquet => "parquet",
            ColumnarFormat::Arrow => "arrow",
        }
    }
}

/// A column's values seen as text, and the type they fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Int,
    Float,
    Text,
    /// Text of few distinct values.
    Category,
}

/// Distinct values up to which a text column is dictionary-encoded.
const CATEGORY_MAX: usize = 256;

fn is_identifier(header: &str) -> bool {
    header.ends_with("_id") || matches!(header, "programme" | "course_code")
}

/// Whether `t` is a number as a CSV reader of the sample reads it: no
/// leading zero (which an identifier-like code keeps only as text).
fn leading_zero(t: &str) -> bool {
    let digits = t.strip_prefix('-').unwrap_or(t);
    digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.")
}

/// The type of each column of a CSV table.
fn infer(csv_bytes: &[u8]) -> io::Result<(Vec<String>, Vec<Kind>)> {
    let mut rdr = csv::ReaderBuilder::new().from_reader(csv_bytes);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(io::Error::other)?
        .iter()
        .map(str::to_string)
        .collect();
    let n = headers.len();
    let mut int = vec![true; n];
    let mut float = vec![true; n];
    // Distinct values per column, until there are too many to call it a category.
    let mut distinct: Vec<Option<HashSet<String>>> = vec![Some(HashSet::new()); n];
    let mut rows = 0usize;
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).map_err(io::Error::other)? {
        rows += 1;
        for (c, t) in rec.iter().enumerate().take(n) {
            if t.is_empty() {
                continue;
            }
            if int[c] && (leading_zero(t) || t.parse::<i64>().is_err()) {
                int[c] = false;
            }
            if float[c] && (leading_zero(t) || !t.parse::<f64>().is_ok_and(f64::is_finite)) {
                float[c] = false;
            }
            if let Some(set) = &mut distinct[c] {
                if set.len() < CATEGORY_MAX || set.contains(t) {
                    set.insert(t.to_string());
                } else {
                    distinct[c] = None;
                }
            }
        }
    }
    let kinds = (0..n)
        .map(|c| {
            if is_identifier(&headers[c]) {
                Kind::Text
            } else if int[c] {
                Kind::Int
            } else if float[c] {
                Kind::Float
            } else if distinct[c]
                .as_ref()
                .is_some_and(|s| s.len() * 4 <= rows.max(1))
            {
                Kind::Category
            } else {
                Kind::Text
            }
        })
        .collect();
    Ok((headers, kinds))
}

/// One column under construction.
enum Builder {
    Int(Int64Builder),
    Float(Float64Builder),
    Text(StringBuilder),
    Category(StringDictionaryBuilder<Int32Type>),
}

impl Builder {
    fn new(kind: Kind) -> Builder {
        match kind {
            Kind::Int => Builder::Int(Int64Builder::new()),
            Kind::Float => Builder::Float(Float64Builder::new()),
            Kind::Text => Builder::Text(StringBuilder::new()),
            Kind::Category => Builder::Category(StringDictionaryBuilder::new()),
        }
    }

    /// Appends a cell; its text parses, as [`infer`] checked.
    fn push(&mut self, t: &str) {
        match self {
            Builder::Int(b) => b.append_option((!t.is_empty()).then(|| t.parse().ok()).flatten()),
            Builder::Float(b) => b.append_option((!t.is_empty()).then(|| t.parse().ok()).flatten()),
            Builder::Text(b) => b.append_option((!t.is_empty()).then_some(t)),
            Builder::Category(b) => {
                if t.is_empty() {
                    b.append_null();
                } else {
                    b.append_value(t);
                }
            }
        }
    }

    fn finish(self) -> ArrayRef {
        match self {
            Builder::Int(mut b) => Arc::new(b.finish()),
            Builder::Float(mut b) => Arc::new(b.finish()),
            Builder::Text(mut b) => Arc::new(b.finish()),
            Builder::Category(mut b) => Arc::new(b.finish()),
        }
    }
}

fn data_type(kind: Kind) -> DataType {
    match kind {
        Kind::Int => DataType::Int64,
        Kind::Float => DataType::Float64,
        Kind::Text => DataType::Utf8,
        Kind::Category => DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
    }
}

/// A CSV table (with its header row) as one typed record batch.
///
/// ```
/// let batch = kpi_sample::record_batch_of_csv(b"org_id,year,score,status\n01,2023,4.5,ok\n02,2024,,ok\n").unwrap();
/// assert_eq!(batch.num_rows(), 2);
/// let types: Vec<String> = batch.schema().fields().iter().map(|f| f.data_type().to_string()).collect();
/// assert_eq!(types, ["Utf8", "Int64", "Float64", "Utf8"]);
/// ```
pub fn record_batch_of_csv(csv_bytes: &[u8]) -> io::Result<RecordBatch> {
    let (headers, kinds) = infer(csv_bytes)?;
    let mut builders: Vec<Builder> = kinds.iter().map(|&k| Builder::new(k)).collect();
    let mut rdr = csv::ReaderBuilder::new().from_reader(csv_bytes);
    let mut rec = csv::StringRecord::new();
    while rdr.read_record(&mut rec).map_err(io::Error::other)? {
        for (c, b) in builders.iter_mut().enumerate() {
            b.push(rec.get(c).unwrap_or(""));
        }
    }
    let fields: Vec<Field> = headers
        .iter()
        .zip(&kinds)
        .map(|(h, &k)| Field::new(h, data_type(k), true))
        .collect();
    let columns: Vec<ArrayRef> = builders.into_iter().map(Builder::finish).collect();
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).map_err(io::Error::other)
}

/// Writes a batch in a columnar format.
///
/// ```
/// use kpi_sample::{record_batch_of_csv, write_columnar, ColumnarFormat};
/// let batch = record_batch_of_csv(b"org_id,year\nS1,2023\n").unwrap();
/// let mut parquet = Vec::new();
/// write_columnar(&batch, ColumnarFormat::Parquet, &mut parquet).unwrap();
/// assert!(parquet.starts_with(b"PAR1") && parquet.ends_with(b"PAR1"));
/// ```
pub fn write_columnar<W: Write + Send>(
    batch: &RecordBatch,
    format: ColumnarFormat,
    out: W,
) -> io::Result<()> {
    match format {
        ColumnarFormat::Parquet => {
            use parquet::basic::Compression;
            use parquet::file::properties::WriterProperties;
            let props = WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .build();
            let mut w = parquet::arrow::ArrowWriter::try_new(out, batch.schema(), Some(props))
                .map_err(io::Error::other)?;
            w.write(batch).map_err(io::Error::other)?;
            w.close().map_err(io::Error::other)?;
        }
        ColumnarFormat::Arrow => {
            let mut w = arrow_ipc::writer::FileWriter::try_new(out, &batch.schema())
                .map_err(io::Error::other)?;
            w.write(batch).map_err(io::Error::other)?;
            w.finish().map_err(io::Error::other)?;
        }
    }
    Ok(())
}

/// A folder receiving the sample in a columnar format: each CSV table is
/// buffered, then written as `<table>.parquet` (or `.arrow`); other files
/// (`defects.json`) as they are.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct ColumnarDirSink {
    dir: std::path::PathBuf,
    format: ColumnarFormat,
    /// The files written, with their rows and sizes.
    pub files: Vec<FileSummary>,
}

#[cfg(not(target_arch = "wasm32"))]
impl ColumnarDirSink {
    pub(crate) fn new(dir: &std::path::Path, format: ColumnarFormat) -> Self {
        ColumnarDirSink {
            dir: dir.to_path_buf(),
            format,
            files: Vec::new(),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Sink for ColumnarDirSink {
    type Writer = Vec<u8>;

    fn create(&mut self, _name: &str) -> io::Result<Vec<u8>> {
        Ok(Vec::new())
    }

    fn finish(&mut self, name: &str, bytes: Vec<u8>) -> io::Result<()> {
        let with_path = |path: &std::path::Path, e: io::Error| {
            io::Error::new(e.kind(), format!("{}: {e}", path.display()))
        };
        let Some(stem) = name.strip_suffix(".csv") else {
            let path = self.dir.join(name);
            return std::fs::write(&path, &bytes).map_err(|e| with_path(&path, e));
        };
        let batch = record_batch_of_csv(&bytes)?;
        drop(bytes);
        let name = format!("{stem}.{}", self.format.extension());
        let path = self.dir.join(&name);
        let file = std::fs::File::create(&path).map_err(|e| with_path(&path, e))?;
        let mut out = io::BufWriter::with_capacity(1 << 20, file);
        write_columnar(&batch, self.format, &mut out).map_err(|e| with_path(&path, e))?;
        out.flush().map_err(|e| with_path(&path, e))?;
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        self.files.push(FileSummary {
            name,
            rows: batch.num_rows(),
            bytes: size,
        });
        Ok(())
    }
}
