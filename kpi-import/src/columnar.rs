//! Parquet and Arrow IPC sources (native builds with the `parquet` feature).
//!
//! A columnar file has typed columns instead of text: its column names are
//! the headers, and its batches are read column-wise (only the columns the
//! table uses, batch by batch) into the same [`Cell`]s the CSV path sees,
//! borrowing text from the decoded arrays instead of allocating it. Rows are
//! numbered 1, 2, … over the whole file, across row groups and batches (the
//! record's position, as for JSON); a column whose type can hold no value the
//! table expects gives an error per cell naming its type.

use super::limits::Limits;
use super::log::Finding;
use super::sniff::Container;
use super::table::{text_cell, Body, Cell, RawTable, RowAccess};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type,
    Int64Type, Int8Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, BooleanArray, Float64Array, Int32Array, Int64Array, LargeStringArray, RecordBatch,
    StringArray, StringViewArray,
};
use arrow_schema::{ArrowError, DataType, SchemaRef, TimeUnit};
use bytes::Bytes;
use kpi_model::validate::{Issue, IssueCode, Location, Severity};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;

/// Rows decoded at once: large enough that per-batch costs vanish, small
/// enough that a batch of a wide table stays within a few megabytes.
const BATCH_ROWS: usize = 16 * 1024;

/// Days from the spreadsheet epoch (1899-12-30) to the Unix epoch: dates
/// become the spreadsheet serials [`Cell::Date`] carries.
const SERIAL_OF_UNIX_EPOCH: f64 = 25_569.0;

/// The body of a columnar table: the file's bytes, decoded batch by batch
/// when the table is read.
pub(crate) struct ColumnarBody {
    bytes: Bytes,
    container: Container,
    /// Columns to decode (positions in the file's schema, ascending); all when `None`.
    projection: Option<Vec<usize>>,
    /// Columns of the file.
    width: usize,
    /// Rows in the file, when its metadata says (Parquet, Arrow IPC file).
    rows: Option<u64>,
}

impl ColumnarBody {
    /// Rows of the table, at most (for reserving memory).
    pub(crate) fn estimated_rows(&self) -> usize {
        self.rows
            .map_or(0, |r| usize::try_from(r).unwrap_or(usize::MAX))
    }

    /// Decodes only these columns (positions in the headers); the others read as empty.
    pub(crate) fn project(&mut self, columns: impl IntoIterator<Item = usize>) {
        let mut cols: Vec<usize> = columns.into_iter().filter(|&c| c < self.width).collect();
        cols.sort_unstable();
        cols.dedup();
        self.projection = Some(cols);
    }
}

fn unreadable(file: &str, container: Container, message: String, size: u64) -> RawTable {
    RawTable::failed(
        file,
        None,
        Issue {
            severity: Severity::Error,
            code: IssueCode::UnreadableFile,
            location: Location::file(file.to_string()),
            found: None,
            expected: Some(format!("a complete {} file", container.name())),
            suggestion: None,
            message,
        },
        size,
    )
}

/// Opens a Parquet or Arrow IPC source: reads its schema (the headers) and
/// row count; the rows are decoded when the table is read.
pub(crate) fn open(file: &str, bytes: Vec<u8>, container: Container, limits: &Limits) -> RawTable {
    let size = bytes.len() as u64;
    let bytes = Bytes::from(bytes);
    let opened = guarded(|| match container {
        Container::Parquet => ParquetRecordBatchReaderBuilder::try_new(bytes.clone())
            .map(|b| {
                let rows = u64::try_from(b.metadata().file_metadata().num_rows()).ok();
                (b.schema().clone(), rows)
            })
            .map_err(|e| e.to_string()),
        Container::ArrowFile => {
            arrow_ipc::reader::FileReader::try_new(std::io::Cursor::new(bytes.clone()), None)
                // The footer lists batches, not rows: none means no rows.
                .map(|r| (r.schema(), (r.num_batches() == 0).then_some(0)))
                .map_err(|e| e.to_string())
        }
        Container::ArrowStream => {
            arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes.clone()), None)
                .map(|r| (r.schema(), None))
                .map_err(|e| e.to_string())
        }
    })
    .and_then(|o| o);
    let (schema, rows): (SchemaRef, Option<u64>) = match opened {
        Ok(o) => o,
        Err(e) => {
            return unreadable(
                file,
                container,
                format!(
                    "cannot read the file as {}: {e} (is it truncated or damaged?)",
                    container.name()
                ),
                size,
            )
        }
    };
    let headers: Vec<String> = schema
        .fields()
        .iter()
        .map(|f| f.name().trim().to_string())
        .collect();
    if headers.len() > limits.max_columns {
        return unreadable(
            file,
            container,
            format!(
                "the file has {} columns, more than the limit of {}",
                headers.len(),
                limits.max_columns
            ),
            size,
        );
    }
    let width = headers.len();
    RawTable {
        file: file.to_string(),
        sheet: None,
        units: vec![None; width],
        headers,
        // A stream's row count is known only once read: an empty stream
        // reads as a table without rows.
        empty: rows == Some(0) || width == 0,
        body: Body::Columnar(ColumnarBody {
            bytes,
            container,
            projection: None,
            width,
            rows,
        }),
        notes: Vec::new(),
        failed: false,
        bytes: size,
        in_workbook: false,
        header_row: 1,
    }
}

/// Runs a decoding step, turning a panic into an error: the decoders of the
/// `parquet` crate assert on some damaged pages instead of returning an
/// error, and a damaged file must reject its table, not end the program.
fn guarded<T>(step: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("the data is damaged ({what})")
    })
}

/// The batches of a body, in order.
fn batches(
    body: &ColumnarBody,
) -> Result<Box<dyn Iterator<Item = Result<RecordBatch, ArrowError>>>, String> {
    let projection = body.projection.clone();
    match body.container {
        Container::Parquet => {
            let builder = ParquetRecordBatchReaderBuilder::try_new(body.bytes.clone())
                .map_err(|e| e.to_string())?;
            let mask = match projection {
                Some(cols) => ProjectionMask::roots(builder.parquet_schema(), cols),
                None => ProjectionMask::all(),
            };
            let reader = builder
                .with_projection(mask)
                .with_batch_size(BATCH_ROWS)
                .build()
                .map_err(|e| e.to_string())?;
            Ok(Box::new(reader))
        }
        Container::ArrowFile => {
            let reader = arrow_ipc::reader::FileReader::try_new(
                std::io::Cursor::new(body.bytes.clone()),
                projection,
            )
            .map_err(|e| e.to_string())?;
            Ok(Box::new(reader))
        }
        Container::ArrowStream => {
            let reader = arrow_ipc::reader::StreamReader::try_new(
                std::io::Cursor::new(body.bytes.clone()),
                projection,
            )
            .map_err(|e| e.to_string())?;
            Ok(Box::new(reader))
        }
    }
}

/// Feeds every row of a columnar body to `row`, numbering rows 1, 2, …
/// across row groups and batches. Returns the rows read; a batch that cannot
/// be decoded stops the reading with an error naming the first row it held.
#[allow(clippy::result_large_err)] // built once per table, at most
pub(crate) fn drive(
    body: &ColumnarBody,
    limits: &Limits,
    row: &mut dyn FnMut(u64, &ArrowRow<'_>),
    progress: &mut dyn FnMut(u64),
) -> Result<u64, Finding> {
    let unreadable = |n: u64, e: String| {
        Finding::new(format!("the rest of the file cannot be read: {e}"))
            .row(n + 1)
            .expected(format!("a complete {} file", body.container.name()))
    };
    let mut batches = guarded(|| batches(body))
        .and_then(|b| b)
        .map_err(|e| unreadable(0, e))?;
    // Where each header's column is in a batch (projected columns only).
    let positions: Vec<Option<usize>> = match &body.projection {
        Some(cols) => (0..body.width)
            .map(|c| cols.binary_search(&c).ok())
            .collect(),
        None => (0..body.width).map(Some).collect(),
    };
    let total = body.rows.unwrap_or(0).max(1);
    let mut n: u64 = 0;
    loop {
        let batch = match guarded(|| batches.next()) {
            Ok(None) => break,
            Ok(Some(Ok(batch))) => batch,
            Ok(Some(Err(e))) => return Err(unreadable(n, e.to_string())),
            Err(e) => return Err(unreadable(n, e)),
        };
        let columns: Vec<Column<'_>> = positions
            .iter()
            .map(|p| {
                p.and_then(|p| batch.columns().get(p))
                    .map_or(Column::Absent, |a| Column::of(a.as_ref()))
            })
            .collect();
        for i in 0..batch.num_rows() {
            n += 1;
            if n > limits.max_rows {
                return Err(Finding::new(format!(
                    "more than {} data rows (the limit)",
                    limits.max_rows
                ))
                .row(n));
            }
            row(
                n,
                &ArrowRow {
                    columns: &columns,
                    i,
                },
            );
        }
        progress(body.bytes.len() as u64 * n.min(total) / total);
    }
    progress(body.bytes.len() as u64);
    Ok(n)
}

/// One row of a decoded batch.
pub(crate) struct ArrowRow<'r> {
    columns: &'r [Column<'r>],
    i: usize,
}

impl RowAccess for ArrowRow<'_> {
    #[inline]
    fn cell(&self, col: usize) -> Cell<'_> {
        self.columns
            .get(col)
            .map_or(Cell::Empty, |c| c.cell(self.i))
    }
    fn width(&self) -> usize {
        self.columns.len()
    }
}

/// A column of a batch, typed once per batch so that a cell is one match
/// and one array access.
enum Column<'a> {
    /// Not decoded (a column the table does not use) or of the null type.
    Absent,
    Text(&'a StringArray),
    LargeText(&'a LargeStringArray),
    TextView(&'a StringViewArray),
    /// Each row's cell, made once per distinct value of a dictionary-encoded
    /// column with fewer values than rows.
    Cells(Vec<Cell<'a>>),
    /// Dictionary-encoded values: each row's key into `values` (`None`: null).
    Dictionary {
        keys: Vec<Option<usize>>,
        values: Box<Column<'a>>,
    },
    Int64(&'a Int64Array),
    Int32(&'a Int32Array),
    Float64(&'a Float64Array),
    Bool(&'a BooleanArray),
    /// Other numbers, widened to `f64` once per batch (`None`: null).
    Numbers(Vec<Option<f64>>),
    /// Dates and timestamps as spreadsheet serials (`None`: null).
    Dates(Vec<Option<f64>>),
    /// A type that holds no value a table expects (lists, structs, binary…).
    Unsupported {
        array: &'a dyn Array,
        what: &'static str,
    },
}

/// Widens a primitive array to `f64`s.
fn widen<T: arrow_array::ArrowPrimitiveType>(
    array: &dyn Array,
    f: impl Fn(T::Native) -> f64,
) -> Vec<Option<f64>> {
    array
        .as_primitive::<T>()
        .iter()
        .map(|v| v.map(&f))
        .collect()
}

impl<'a> Column<'a> {
    fn of(array: &'a dyn Array) -> Column<'a> {
        let day =
            |units_per_day: f64| move |v: i64| v as f64 / units_per_day + SERIAL_OF_UNIX_EPOCH;
        match array.data_type() {
            DataType::Null => Column::Absent,
            DataType::Utf8 => Column::Text(array.as_string::<i32>()),
            DataType::LargeUtf8 => Column::LargeText(array.as_string::<i64>()),
            DataType::Utf8View => Column::TextView(array.as_string_view()),
            DataType::Dictionary(_, _) => {
                let dict = array.as_any_dictionary();
                let values = Column::of(dict.values().as_ref());
                let keys = dict.normalized_keys();
                if dict.values().len() <= keys.len() {
                    // A category column: each distinct value's cell is made
                    // (trimmed, typed) once, and each row's is a copy of it.
                    let distinct: Vec<Cell<'a>> =
                        (0..dict.values().len()).map(|k| values.cell(k)).collect();
                    let cells = keys
                        .into_iter()
                        .enumerate()
                        .map(|(i, k)| match distinct.get(k) {
                            Some(c) if array.is_valid(i) => *c,
                            _ => Cell::Empty,
                        })
                        .collect();
                    return Column::Cells(cells);
                }
                let keys = keys
                    .into_iter()
                    .enumerate()
                    .map(|(i, k)| array.is_valid(i).then_some(k))
                    .collect();
                Column::Dictionary {
                    keys,
                    values: Box::new(values),
                }
            }
            DataType::Int64 => Column::Int64(array.as_primitive::<Int64Type>()),
            DataType::Int32 => Column::Int32(array.as_primitive::<Int32Type>()),
            DataType::Float64 => Column::Float64(array.as_primitive::<Float64Type>()),
            DataType::Boolean => Column::Bool(array.as_boolean()),
            DataType::Int8 => Column::Numbers(widen::<Int8Type>(array, f64::from)),
            DataType::Int16 => Column::Numbers(widen::<Int16Type>(array, f64::from)),
            DataType::UInt8 => Column::Numbers(widen::<UInt8Type>(array, f64::from)),
            DataType::UInt16 => Column::Numbers(widen::<UInt16Type>(array, f64::from)),
            DataType::UInt32 => Column::Numbers(widen::<UInt32Type>(array, f64::from)),
            DataType::UInt64 => Column::Numbers(widen::<UInt64Type>(array, |v| v as f64)),
            DataType::Float32 => Column::Numbers(widen::<Float32Type>(array, f64::from)),
            DataType::Decimal128(_, scale) => {
                let div = 10f64.powi(i32::from(*scale));
                Column::Numbers(widen::<Decimal128Type>(array, |v| v as f64 / div))
            }
            DataType::Date32 => Column::Dates(widen::<Date32Type>(array, |d| {
                f64::from(d) + SERIAL_OF_UNIX_EPOCH
            })),
            DataType::Date64 => Column::Dates(widen::<Date64Type>(array, day(86_400_000.0))),
            DataType::Timestamp(unit, _) => Column::Dates(match unit {
                TimeUnit::Second => widen::<TimestampSecondType>(array, day(86_400.0)),
                TimeUnit::Millisecond => {
                    widen::<TimestampMillisecondType>(array, day(86_400_000.0))
                }
                TimeUnit::Microsecond => {
                    widen::<TimestampMicrosecondType>(array, day(86_400_000_000.0))
                }
                TimeUnit::Nanosecond => {
                    widen::<TimestampNanosecondType>(array, day(86_400_000_000_000.0))
                }
            }),
            other => Column::Unsupported {
                array,
                what: unsupported(other),
            },
        }
    }

    #[inline]
    fn cell(&self, i: usize) -> Cell<'a> {
        match self {
            Column::Absent => Cell::Empty,
            Column::Text(a) => text_of(a.is_valid(i).then(|| a.value(i))),
            Column::LargeText(a) => text_of(a.is_valid(i).then(|| a.value(i))),
            Column::TextView(a) => text_of(a.is_valid(i).then(|| a.value(i))),
            Column::Cells(cells) => cells.get(i).copied().unwrap_or(Cell::Empty),
            Column::Dictionary { keys, values } => match keys.get(i) {
                Some(Some(k)) => values.cell(*k),
                _ => Cell::Empty,
            },
            Column::Int64(a) => number(a.is_valid(i).then(|| a.value(i) as f64)),
            Column::Int32(a) => number(a.is_valid(i).then(|| f64::from(a.value(i)))),
            Column::Float64(a) => number(a.is_valid(i).then(|| a.value(i))),
            Column::Bool(a) => {
                if a.is_valid(i) {
                    Cell::Bool(a.value(i))
                } else {
                    Cell::Empty
                }
            }
            Column::Numbers(v) => number(v.get(i).copied().flatten()),
            Column::Dates(v) => match v.get(i).copied().flatten() {
                Some(serial) if serial.is_finite() => Cell::Date(serial),
                _ => Cell::Empty,
            },
            Column::Unsupported { array, what } => {
                if array.is_valid(i) {
                    Cell::Invalid(what)
                } else {
                    Cell::Empty
                }
            }
        }
    }
}

#[inline]
fn text_of(t: Option<&str>) -> Cell<'_> {
    t.map_or(Cell::Empty, text_cell)
}

#[inline]
fn number(v: Option<f64>) -> Cell<'static> {
    match v {
        None => Cell::Empty,
        Some(v) if v.is_finite() => Cell::Number(v),
        Some(_) => Cell::Invalid("a number that is not finite (NaN or infinity)"),
    }
}

/// What a cell of a type no table expects is called in messages.
fn unsupported(t: &DataType) -> &'static str {
    match t {
        DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::FixedSizeBinary(_) => "binary data (a Parquet/Arrow binary column)",
        DataType::List(_)
        | DataType::LargeList(_)
        | DataType::ListView(_)
        | DataType::LargeListView(_)
        | DataType::FixedSizeList(_, _) => "a list (a Parquet/Arrow list column)",
        DataType::Struct(_) | DataType::Map(_, _) => {
            "a nested record (a Parquet/Arrow struct or map column)"
        }
        DataType::Time32(_) | DataType::Time64(_) => "a time of day (a Parquet/Arrow time column)",
        DataType::Duration(_) | DataType::Interval(_) => {
            "a duration (a Parquet/Arrow duration column)"
        }
        _ => "a value of a Parquet/Arrow type that holds no table value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::types::Int32Type;
    use arrow_array::DictionaryArray;
    use std::sync::Arc;

    /// The cells of every row of `array`, as the readers see them.
    fn cells(array: &dyn Array) -> Vec<Cell<'_>> {
        let column = Column::of(array);
        (0..array.len()).map(|i| column.cell(i)).collect()
    }

    #[test]
    fn dictionary_columns_read_as_their_values_would() {
        let rows = [
            Some(" enrolled "),
            None,
            Some("expelled"),
            Some("enrolled"),
            Some("   "),
            Some(" enrolled "),
            Some("expelled"),
        ];
        let plain = StringArray::from(rows.to_vec());
        let expected = cells(&plain);
        assert_eq!(
            expected,
            [
                Cell::Text("enrolled"),
                Cell::Empty,
                Cell::Text("expelled"),
                Cell::Text("enrolled"),
                Cell::Empty,
                Cell::Text("enrolled"),
                Cell::Text("expelled"),
            ]
        );
        // Fewer distinct values than rows: each value's cell is made once.
        let few: DictionaryArray<Int32Type> = rows.iter().copied().collect();
        assert!(few.values().len() < few.len());
        assert!(matches!(Column::of(&few), Column::Cells(_)));
        assert_eq!(cells(&few), expected);
        // More values than rows (a slice of a large dictionary): read by key.
        let keys = arrow_array::Int32Array::from(vec![Some(4), None, Some(0), Some(1)]);
        let values = StringArray::from(vec!["x", " y", "z", "w", "v ", "u"]);
        let many = DictionaryArray::<Int32Type>::try_new(keys, Arc::new(values)).unwrap();
        assert!(matches!(Column::of(&many), Column::Dictionary { .. }));
        assert_eq!(
            cells(&many),
            [
                Cell::Text("v"),
                Cell::Empty,
                Cell::Text("x"),
                Cell::Text("y")
            ]
        );
    }
}
