//! Parquet and Arrow IPC input: typed columns read as the CSV path reads
//! text, and hostile files (wrong column types, nulls where a value is
//! required, unknown columns, empty, truncated or damaged files) give clear
//! errors naming the file, the row (counted over the whole file, across row
//! groups) and the column, never a panic; the other tables stay loaded.
#![cfg(feature = "parquet")]

use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, BinaryArray, BooleanArray, Float64Array, Int64Array, RecordBatch};
use arrow_array::{DictionaryArray, StringArray};
use kpi_import::{load, LoadOptions, Source};
use kpi_model::validate::{Issue, IssueCode, Severity};
use kpi_model::Dataset;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use std::sync::Arc;

fn organisations() -> Source {
    Source {
        name: "organisations.csv".into(),
        bytes: b"org_id,name,level,region\nC1,College 1,college,Abai\n".to_vec(),
    }
}

fn text(values: &[Option<&str>]) -> ArrayRef {
    Arc::new(StringArray::from(values.to_vec()))
}

fn ints(values: &[Option<i64>]) -> ArrayRef {
    Arc::new(Int64Array::from(values.to_vec()))
}

fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(columns).expect("columns of one length")
}

/// A Parquet file of `batch`, in row groups of at most `group_rows` rows.
fn parquet(batch: &RecordBatch, group_rows: usize) -> Vec<u8> {
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(group_rows))
        .build();
    let mut out = Vec::new();
    let mut w = ArrowWriter::try_new(&mut out, batch.schema(), Some(props)).expect("writer");
    w.write(batch).expect("written");
    w.close().expect("closed");
    out
}

/// Six students of college C1 in 2023; the first two expelled.
fn students_batch() -> Vec<(&'static str, ArrayRef)> {
    vec![
        (
            "student_id",
            text(&[
                Some("a1"),
                Some("a2"),
                Some("a3"),
                Some("a4"),
                Some("a5"),
                Some("a6"),
            ]),
        ),
        ("org_id", text(&[Some("C1"); 6])),
        ("year", ints(&[Some(2023); 6])),
        (
            "course",
            ints(&[Some(1), Some(2), Some(1), Some(2), Some(3), Some(1)]),
        ),
        (
            "status",
            Arc::new(
                [
                    "expelled",
                    "expelled",
                    "enrolled",
                    "enrolled",
                    "graduated",
                    "enrolled",
                ]
                .into_iter()
                .collect::<DictionaryArray<Int32Type>>(),
            ) as ArrayRef,
        ),
        (
            "gpa",
            Arc::new(Float64Array::from(vec![
                Some(2.5),
                None,
                Some(3.0),
                Some(3.5),
                Some(4.0),
                Some(2.0),
            ])) as ArrayRef,
        ),
    ]
}

fn load_students(name: &str, bytes: Vec<u8>) -> Dataset {
    load(
        vec![
            organisations(),
            Source {
                name: name.into(),
                bytes,
            },
        ],
        &LoadOptions::default(),
    )
}

fn errors(ds: &Dataset) -> Vec<&Issue> {
    ds.report()
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .collect()
}

fn expelled(ds: &Dataset) -> Option<f64> {
    let c1 = ds.org_by_id("C1").expect("organisations loaded");
    ds.value(ds.org_unit(c1), 2023, "expelled")
}

#[test]
fn typed_columns_load_like_text() {
    let ds = load_students("students.parquet", parquet(&batch(students_batch()), 1024));
    assert!(errors(&ds).is_empty(), "{:#?}", ds.report().issues);
    assert_eq!(ds.students().records.len(), 6);
    assert_eq!(expelled(&ds), Some(2.0));
}

#[test]
fn a_bad_value_in_the_second_row_group_names_its_row_over_the_whole_file() {
    let mut cols = students_batch();
    // Record 5 (the second of the second row group of three rows).
    cols[2] = (
        "year",
        text(&[
            Some("2023"),
            Some("2023"),
            Some("2023"),
            Some("2023"),
            Some("year?"),
            Some("2023"),
        ]),
    );
    let bytes = parquet(&batch(cols), 3);
    let meta = parquet::file::serialized_reader::SerializedFileReader::new(bytes::Bytes::from(
        bytes.clone(),
    ))
    .map(|r| parquet::file::reader::FileReader::metadata(&r).num_row_groups())
    .expect("a Parquet file");
    assert_eq!(meta, 2, "two row groups");
    let ds = load_students("students.parquet", bytes);
    let errs = errors(&ds);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let e = errs[0];
    assert_eq!(e.location.file, "students.parquet");
    assert_eq!(e.location.row, Some(5));
    assert_eq!(e.location.column.as_deref(), Some("year"));
    assert_eq!(e.found.as_deref(), Some("year?"));
    assert!(e
        .expected
        .as_deref()
        .is_some_and(|x| x.contains("academic year")));
    // Only that row is rejected: the five others are loaded.
    assert_eq!(ds.students().records.len(), 5);
    assert_eq!(expelled(&ds), Some(2.0));
}

#[test]
fn columns_of_the_wrong_type_are_errors_per_cell_naming_the_type() {
    // `course` (required) as booleans: every row is rejected, each with its error.
    let mut cols = students_batch();
    cols[3] = (
        "course",
        Arc::new(BooleanArray::from(vec![true; 6])) as ArrayRef,
    );
    let ds = load_students("students.parquet", parquet(&batch(cols), 1024));
    let errs = errors(&ds);
    assert_eq!(errs.len(), 6, "{errs:#?}");
    for (e, row) in errs.iter().zip(1..) {
        assert_eq!(e.location.file, "students.parquet");
        assert_eq!(e.location.row, Some(row));
        assert_eq!(e.location.column.as_deref(), Some("course"));
        assert_eq!(e.found.as_deref(), Some("true"));
    }
    assert_eq!(ds.students().records.len(), 0);

    // `gpa` as binary data: an unreadable GPA rejects its row, as in a CSV file.
    let mut cols = students_batch();
    cols[5] = (
        "gpa",
        Arc::new(BinaryArray::from(vec![&b"x"[..]; 6])) as ArrayRef,
    );
    let ds = load_students("students.parquet", parquet(&batch(cols), 1024));
    let gpa: Vec<&Issue> = ds
        .report()
        .issues
        .iter()
        .filter(|e| e.location.column.as_deref() == Some("gpa"))
        .collect();
    assert_eq!(gpa.len(), 6, "{:#?}", ds.report().issues);
    assert_eq!(gpa[5].location.row, Some(6));
    assert!(
        gpa[0]
            .found
            .as_deref()
            .is_some_and(|f| f.contains("binary")),
        "{:#?}",
        gpa[0]
    );
    assert_eq!(ds.students().records.len(), 0);
}

#[test]
fn a_null_in_a_required_column_rejects_that_row_only() {
    let mut cols = students_batch();
    cols[1] = (
        "org_id",
        text(&[
            Some("C1"),
            None,
            Some("C1"),
            Some("C1"),
            Some("C1"),
            Some("C1"),
        ]),
    );
    let ds = load_students("students.parquet", parquet(&batch(cols), 1024));
    let errs = errors(&ds);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].location.row, Some(2));
    assert_eq!(errs[0].location.column.as_deref(), Some("org_id"));
    assert_eq!(errs[0].code, IssueCode::BadValue);
    assert_eq!(ds.students().records.len(), 5);
    // Row 2 (expelled) is gone: one expelled student left.
    assert_eq!(expelled(&ds), Some(1.0));
}

#[test]
fn an_unknown_column_is_a_warning_and_the_table_loads() {
    let mut cols = students_batch();
    cols.push(("favourite_colour", text(&[Some("red"); 6])));
    let ds = load_students("students.parquet", parquet(&batch(cols), 1024));
    assert!(errors(&ds).is_empty(), "{:#?}", ds.report().issues);
    assert!(ds
        .report()
        .issues
        .iter()
        .any(|i| i.severity == Severity::Warning
            && i.code == IssueCode::UnknownHeader
            && i.location.column.as_deref() == Some("favourite_colour")));
    assert_eq!(ds.students().records.len(), 6);
}

/// The only error of a load, which must name the file.
fn file_error<'d>(ds: &'d Dataset, file: &str) -> &'d Issue {
    let errs = errors(ds);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].location.file, file);
    // The organisations are still loaded.
    assert!(ds.org_by_id("C1").is_some());
    errs[0]
}

#[test]
fn an_empty_file_and_a_file_without_rows_are_errors_naming_the_file() {
    let ds = load_students("students.parquet", Vec::new());
    assert!(file_error(&ds, "students.parquet")
        .message
        .contains("empty"));

    let none = batch(vec![("student_id", text(&[])), ("org_id", text(&[]))]);
    let ds = load_students("students.parquet", parquet(&none, 1024));
    let e = file_error(&ds, "students.parquet");
    assert_eq!(e.code, IssueCode::EmptyTable, "{e:#?}");
}

#[test]
fn truncated_and_damaged_files_are_errors_naming_the_file_without_a_panic() {
    let good = parquet(&batch(students_batch()), 3);
    let truncated = good[..good.len() / 2].to_vec();
    let ds = load_students("students.parquet", truncated);
    let e = file_error(&ds, "students.parquet");
    assert_eq!(e.code, IssueCode::UnreadableFile);
    assert!(e.message.contains("Parquet"), "{e:#?}");

    // Every byte of the data pages overwritten in turn, footer intact: an
    // error or (when the damage hits only padding or statistics) a clean
    // load, never a panic.
    let footer =
        u32::from_le_bytes(good[good.len() - 8..good.len() - 4].try_into().unwrap()) as usize;
    let data_end = good.len() - 8 - footer;
    for at in (4..data_end).step_by(7) {
        let mut bad = good.clone();
        bad[at] ^= 0xA5;
        let ds = load_students("students.parquet", bad);
        assert!(ds.org_by_id("C1").is_some());
        for e in errors(&ds) {
            assert_eq!(e.location.file, "students.parquet");
        }
    }

    // Arrow IPC, truncated.
    let b = batch(students_batch());
    let mut ipc = Vec::new();
    let mut w = arrow_ipc::writer::FileWriter::try_new(&mut ipc, &b.schema()).expect("writer");
    w.write(&b).expect("written");
    w.finish().expect("finished");
    drop(w);
    let ds = load_students("students.arrow", ipc.clone());
    assert!(errors(&ds).is_empty(), "{:#?}", ds.report().issues);
    assert_eq!(expelled(&ds), Some(2.0));
    let ds = load_students("students.arrow", ipc[..ipc.len() - 20].to_vec());
    let e = file_error(&ds, "students.arrow");
    assert!(e.message.contains("Arrow"), "{e:#?}");
}

#[test]
fn an_arrow_ipc_stream_loads() {
    let b = batch(students_batch());
    let mut ipc = Vec::new();
    let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut ipc, &b.schema()).expect("writer");
    w.write(&b.slice(0, 4)).expect("written");
    w.write(&b.slice(4, 2)).expect("written");
    w.finish().expect("finished");
    drop(w);
    let ds = load_students("students.arrows", ipc);
    assert!(errors(&ds).is_empty(), "{:#?}", ds.report().issues);
    assert_eq!(ds.students().records.len(), 6);
}

#[test]
fn a_large_parquet_file_is_read_whole_from_a_folder() {
    // Over 1 MiB without a line end: the folder reader must not cap it as a text line.
    let n = 150_000;
    let ids: Vec<String> = (0..n).map(|i| format!("O{i:08}")).collect();
    let ids: Vec<Option<&str>> = ids.iter().map(|s| Some(s.as_str())).collect();
    let b = batch(vec![
        ("org_id", text(&ids)),
        ("name", text(&ids)),
        ("level", text(&vec![Some("school"); n])),
        ("region", text(&vec![Some("Abai"); n])),
    ]);
    let props = WriterProperties::builder()
        .set_dictionary_enabled(false)
        .build();
    let mut bytes = Vec::new();
    let mut w = ArrowWriter::try_new(&mut bytes, b.schema(), Some(props)).expect("writer");
    w.write(&b).expect("written");
    w.close().expect("closed");
    assert!(bytes.len() > 2 << 20, "{} bytes", bytes.len());
    let dir = std::env::temp_dir().join(format!("kpi-parquet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("organisations.parquet"), &bytes).expect("written");
    let sources = kpi_import::read_paths(std::slice::from_ref(&dir)).expect("readable");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0].bytes.len(), bytes.len());
    let ds = load(sources, &LoadOptions::default());
    assert!(errors(&ds).is_empty(), "{:#?}", ds.report().issues);
    assert_eq!(ds.organisations().len(), n);
}
