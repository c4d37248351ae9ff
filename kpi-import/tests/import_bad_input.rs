//! Hostile or broken input: every case gives a clear error naming the file
//! (and the row and column where there is one), never a panic, a hang or
//! unbounded memory; and whatever else was loaded stays loaded.
//!
//! Fixtures are in `tests/fixtures/bad/`; the big cases (a gigabyte of one
//! line) are generated here rather than committed.

use kpi_import::{load, read_paths, read_paths_with_limits, Limits, LoadOptions, Source};
use kpi_model::validate::{Issue, IssueCode, Severity};
use kpi_model::Dataset;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(name)
}

fn organisations() -> Source {
    Source {
        name: "organisations.csv".into(),
        bytes: b"org_id,name,level,region\nS1,School 1,school,Abai\n".to_vec(),
    }
}

/// A good students table, to check that it survives the bad file next to it.
fn students() -> Source {
    Source {
        name: "students.csv".into(),
        bytes:
            b"student_id,org_id,year,course,status\nx1,S1,2023,1,enrolled\nx2,S1,2023,2,expelled\n"
                .to_vec(),
    }
}

/// Loads the organisations, the good students table and a fixture.
fn load_with(name: &str, options: &LoadOptions) -> Dataset {
    let mut sources = vec![organisations(), students()];
    sources.extend(read_paths(&[fixture(name)]).expect("fixture readable"));
    load(sources, options)
}

fn errors(ds: &Dataset) -> Vec<&Issue> {
    ds.report()
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .collect()
}

/// The good tables are still there: S1, both student records, and the
/// metric derived from them (one of the two students was expelled).
fn rest_is_kept(ds: &Dataset) {
    let s1 = ds.org_by_id("S1").expect("organisations kept");
    assert_eq!(ds.students().records.len(), 2);
    assert_eq!(ds.value(ds.org_unit(s1), 2023, "expelled"), Some(1.0));
}

fn only_error(ds: &Dataset) -> &Issue {
    let errs = errors(ds);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    errs[0]
}

#[test]
fn truncated_xlsx() {
    let ds = load_with("truncated.xlsx", &LoadOptions::default());
    let e = only_error(&ds);
    assert_eq!(e.code, IssueCode::UnreadableFile);
    assert!(e.location.file.ends_with("truncated.xlsx"), "{e}");
    assert!(e.message.contains("truncated or damaged"), "{e}");
    rest_is_kept(&ds);
}

#[test]
fn binary_garbage() {
    let ds = load_with("garbage.csv", &LoadOptions::default());
    let e = only_error(&ds);
    assert!(e.location.file.ends_with("garbage.csv"));
    assert_eq!(e.message, "the file is binary, not CSV, XLSX or JSON text");
    rest_is_kept(&ds);
}

#[test]
fn header_of_200_unknown_columns() {
    let ds = load_with("header_200_columns.csv", &LoadOptions::default());
    let e = only_error(&ds);
    assert_eq!(e.code, IssueCode::UnknownTable);
    assert_eq!(e.location.row, Some(1));
    assert!(
        e.found.as_deref().unwrap().ends_with("… (200 columns)"),
        "{e}"
    );
    rest_is_kept(&ds);
    // With a column limit below 200 the header itself is refused, on row 1.
    let limits = Limits {
        max_columns: 100,
        ..Limits::default()
    };
    let ds = load_with(
        "header_200_columns.csv",
        &LoadOptions {
            limits,
            ..LoadOptions::default()
        },
    );
    let e = only_error(&ds);
    assert_eq!(e.location.row, Some(1));
    assert_eq!(
        e.message,
        "the header has 200 columns, more than the limit of 100"
    );
    rest_is_kept(&ds);
}

#[test]
fn gigabyte_single_line_is_never_read_whole() {
    // A 1 GiB file with no line break: 2 MiB of text, then a sparse hole
    // (the file system stores nothing for it). Reading stops one byte past
    // the line limit, so memory stays at about the limit.
    let dir = std::env::temp_dir().join(format!("kpi-one-line-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("observations.csv");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(b"org_id,year,").unwrap();
        f.write_all(&vec![b'x'; 2 << 20]).unwrap();
        f.set_len(1 << 30).unwrap();
    }
    let limits = Limits::default();
    let sources = read_paths_with_limits(&[&path], &limits).unwrap();
    assert_eq!(sources.len(), 1);
    assert!(
        sources[0].bytes.len() <= limits.max_line_bytes + (1 << 20) + 1,
        "read {} bytes of a 1 GiB line",
        sources[0].bytes.len()
    );
    let mut all = vec![organisations(), students()];
    all.extend(sources);
    let ds = load(all, &LoadOptions::default());
    std::fs::remove_dir_all(&dir).ok();
    let e = only_error(&ds);
    assert!(e.location.file.ends_with("observations.csv"));
    assert_eq!(e.location.row, Some(1));
    assert_eq!(
        e.message,
        "row 1 is longer than the limit of 1048576 bytes (is this a CSV file?)"
    );
    rest_is_kept(&ds);
}

#[test]
fn long_line_given_as_bytes_is_refused_at_its_row() {
    // The same through `load` directly (as in WebAssembly, bytes in memory):
    // a 16 MiB third line under a 1 MiB limit.
    let mut bytes = b"org_id,year,students_enrolled\nS1,2022,10\nS1,2023,".to_vec();
    bytes.extend(std::iter::repeat_n(b'9', 16 << 20));
    bytes.extend_from_slice(b"\nS1,2024,12\n");
    let ds = load(
        vec![
            organisations(),
            students(),
            Source {
                name: "observations.csv".into(),
                bytes,
            },
        ],
        &LoadOptions::default(),
    );
    let e = only_error(&ds);
    assert_eq!(e.location.row, Some(3));
    rest_is_kept(&ds);
}

#[test]
fn mixed_encodings_name_the_first_foreign_row() {
    let ds = load(
        read_paths(&[fixture("mixed_encodings.csv")]).unwrap(),
        &LoadOptions::default(),
    );
    let e = errors(&ds)
        .into_iter()
        .find(|e| e.location.file.ends_with("mixed_encodings.csv"))
        .expect("an error for the file");
    // Rows 1–3 are UTF-8; row 4 is Windows-1251.
    assert_eq!(e.location.row, Some(4));
    assert!(e.message.contains("mixes encodings"), "{e}");
}

#[test]
fn formula_cells_use_the_cached_value_with_a_warning() {
    let ds = load_with("formulas.xlsx", &LoadOptions::default());
    assert!(errors(&ds).is_empty(), "{:#?}", errors(&ds));
    let w = ds
        .report()
        .issues
        .iter()
        .find(|i| i.code == IssueCode::FormulaCell)
        .expect("a formula warning");
    assert_eq!(w.location.sheet.as_deref(), Some("observations"));
    assert_eq!(w.location.row, Some(2));
    assert_eq!(w.location.column.as_deref(), Some("teachers_total"));
    assert_eq!(w.found.as_deref(), Some("=C2/14"));
    let s1 = ds.org_by_id("S1").unwrap();
    // The value Excel saved for =C2/14 is 30.
    assert_eq!(
        ds.value(ds.org_unit(s1), 2023, "teachers_total"),
        Some(30.0)
    );
    // The sheet gives 420 enrolled; the two student records give 1 on roll:
    // the observation wins and the conflict is reported (docs/data.md).
    assert_eq!(
        ds.value(ds.org_unit(s1), 2023, "students_enrolled"),
        Some(420.0)
    );
    let c = ds
        .report()
        .issues
        .iter()
        .find(|i| i.code == IssueCode::DerivedConflict)
        .expect("a conflict warning");
    assert_eq!(c.severity, Severity::Warning);
    assert_eq!(
        (c.location.row, c.location.column.as_deref()),
        (Some(2), Some("students_enrolled"))
    );
    assert_eq!(c.found.as_deref(), Some("420"));
    rest_is_kept(&ds);
}

#[test]
fn merged_header_rows_are_combined() {
    for name in ["merged_header.xlsx", "merged_header.csv"] {
        let ds = load(
            vec![
                organisations(),
                read_paths(&[fixture(name)]).unwrap().remove(0),
            ],
            &LoadOptions::default(),
        );
        assert!(errors(&ds).is_empty(), "{name}: {:#?}", errors(&ds));
        let note = ds
            .report()
            .issues
            .iter()
            .find(|i| i.message.starts_with("rows 1 and 2 form one header"))
            .expect("a note on the combined header");
        assert_eq!(note.location.row, Some(1), "{name}");
        let s1 = ds.org_by_id("S1").unwrap();
        let unit = ds.org_unit(s1);
        // female 210 + male 190 = 400 (the total from the breakdowns).
        assert_eq!(
            ds.value(unit, 2023, "students_enrolled"),
            Some(400.0),
            "{name}"
        );
        assert_eq!(ds.value(unit, 2023, "teachers_total"), Some(30.0), "{name}");
        // The data row is row 3 of the file: a data problem there names row 3.
        let t = ds
            .report()
            .tables
            .iter()
            .find(|t| t.file.ends_with(name))
            .unwrap();
        assert_eq!(t.rows, 1, "{name}");
    }
}

#[test]
fn empty_sheet_and_empty_file() {
    for name in ["empty_sheet.xlsx", "empty.csv"] {
        let ds = load_with(name, &LoadOptions::default());
        let e = only_error(&ds);
        assert!(e.location.file.ends_with(name));
        assert!(
            e.message == "the file is empty"
                || e.message == "the sheet is empty: nothing is loaded from it",
            "{name}: {e}"
        );
        rest_is_kept(&ds);
    }
}

#[test]
fn bad_values_reject_their_cell_or_row_and_name_row_and_column() {
    let ds = load_with("bad_values.csv", &LoadOptions::default());
    let errs = errors(&ds);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    let e = errs[0];
    assert_eq!(e.location.row, Some(3));
    assert_eq!(e.location.column.as_deref(), Some("teachers_total"));
    assert_eq!(e.found.as_deref(), Some("thirty"));
    assert_eq!(
        e.to_string()
            .split(": error")
            .next()
            .unwrap()
            .rsplit('/')
            .next(),
        Some("bad_values.csv:3:teachers_total")
    );
    let e = errs[1];
    assert_eq!(e.code, IssueCode::YearOutOfRange);
    assert_eq!(
        (e.location.row, e.location.column.as_deref()),
        (Some(4), Some("year"))
    );
    // Only the unreadable cell is lost: row 2 and the rest of row 3 load.
    let s1 = ds.org_by_id("S1").unwrap();
    let u = ds.org_unit(s1);
    assert_eq!(ds.value(u, 2022, "students_enrolled"), Some(400.0));
    assert_eq!(ds.value(u, 2023, "students_enrolled"), Some(420.0));
    assert_eq!(ds.value(u, 2023, "teachers_total"), None);
    let table = ds
        .report()
        .tables
        .iter()
        .find(|t| t.file.ends_with("bad_values.csv"))
        .unwrap();
    assert!(table.accepted);
    assert_eq!((table.rows_rejected, table.cells_rejected), (1, 1));
    assert_eq!(
        ds.report().rejected_summary().as_deref(),
        Some("1 row rejected, 1 cell rejected")
    );
    // The row that cannot stand (its year is out of range) is kept with
    // its reason for the rejected-rows file.
    let rows: Vec<u64> = ds.report().rejected_rows.iter().map(|r| r.row).collect();
    assert_eq!(rows, vec![4]);
    rest_is_kept(&ds);
}

#[test]
fn a_strict_load_rejects_a_table_for_any_error() {
    let strict = LoadOptions {
        strict: true,
        ..LoadOptions::default()
    };
    let ds = load_with("bad_values.csv", &strict);
    assert_eq!(errors(&ds).len(), 2);
    // The table is rejected as a whole: not even row 2 is loaded.
    let s1 = ds.org_by_id("S1").unwrap();
    assert_eq!(ds.value(ds.org_unit(s1), 2022, "students_enrolled"), None);
    assert_eq!(
        ds.report().rejected_summary().as_deref(),
        Some("1 table rejected")
    );
    rest_is_kept(&ds);
}

#[test]
fn zip_bomb_limits_are_checked_before_decompressing() {
    // A limit smaller than the (tiny) workbook's expanded size stands in for a bomb.
    let limits = Limits {
        max_xlsx_uncompressed_bytes: 1000,
        ..Limits::default()
    };
    let ds = load_with(
        "formulas.xlsx",
        &LoadOptions {
            limits,
            ..LoadOptions::default()
        },
    );
    let e = only_error(&ds);
    assert!(
        e.message.contains("more than the limit of 1000 bytes"),
        "{e}"
    );
    rest_is_kept(&ds);
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn workbook() -> Vec<u8> {
        std::fs::read(fixture("formulas.xlsx")).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Arbitrary bytes under every file name the importer recognises.
        #[test]
        fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048), ext in 0usize..4) {
            let name = ["x.csv", "x.xlsx", "x.json", "observations.txt"][ext];
            let ds = load(vec![organisations(), Source { name: name.into(), bytes }], &LoadOptions::default());
            prop_assert!(ds.org_by_id("S1").is_some());
        }

        /// A real workbook with bytes flipped or cut anywhere.
        #[test]
        fn damaged_workbook(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8), cut in any::<prop::sample::Index>()) {
            let mut bytes = workbook();
            for (i, b) in flips {
                let at = i.index(bytes.len());
                bytes[at] = b;
            }
            let keep = cut.index(bytes.len()) + 1;
            bytes.truncate(keep.max(bytes.len() / 2));
            let ds = load(vec![organisations(), Source { name: "d.xlsx".into(), bytes }], &LoadOptions::default());
            prop_assert!(ds.org_by_id("S1").is_some());
        }

        /// CSV-like text with random separators, quotes and numbers.
        #[test]
        fn messy_text(text in "[a-z0-9,;\t\"\\.\\- \n]{0,400}") {
            let bytes = format!("org_id,year,students_enrolled\n{text}").into_bytes();
            let ds = load(vec![organisations(), Source { name: "observations.csv".into(), bytes }], &LoadOptions::default());
            prop_assert!(ds.org_by_id("S1").is_some());
        }
    }
}

#[test]
fn duplicate_students_are_named() {
    let dup = Source {
        name: "students_more.csv".into(),
        bytes:
            b"student_id,org_id,year,course,status\ny1,S1,2023,1,enrolled\ny1,S1,2023,2,enrolled\n"
                .to_vec(),
    };
    let again = Source {
        name: "students_again.csv".into(),
        bytes: b"student_id,org_id,year,course,status\nx2,S1,2023,2,expelled\n".to_vec(),
    };
    let ds = load(
        vec![organisations(), students(), dup, again],
        &LoadOptions::default(),
    );
    let messages: Vec<String> = errors(&ds).iter().map(|e| e.to_string()).collect();
    // Tables are read in file order within a kind: students.csv, students_more.csv, students_again.csv.
    assert_eq!(
        messages,
        vec![
            "students_more.csv:3:student_id: error: student `y1` has two rows for year 2023 (first at row 2): this row is rejected, the first is kept (expected one row per student and year)",
            "students_again.csv:2:student_id: error: student `x2`, year 2023 is already given by another students table: this row is rejected, the first is kept (expected one row per student and year)",
        ]
    );
    // The first row of each (student, year) is kept; the repeats are not.
    let students = ds.students();
    let y1: Vec<u8> = students
        .records
        .iter()
        .filter(|r| students.ids[r.student as usize] == "y1")
        .map(|r| r.course)
        .collect();
    assert_eq!(y1, vec![1]);
    let x2: Vec<_> = students
        .records
        .iter()
        .filter(|r| students.ids[r.student as usize] == "x2" && r.year == 2023)
        .map(|r| r.status)
        .collect();
    assert_eq!(x2.len(), 1);
    assert_eq!(students.records.len(), 3);
    let s1 = ds.org_by_id("S1").unwrap();
    assert_eq!(ds.value(ds.org_unit(s1), 2023, "expelled"), Some(1.0));
}

#[test]
fn unknown_metric_values_are_kept_with_their_warning() {
    use kpi_model::ColumnKey;
    let wide = Source {
        name: "observations.csv".into(),
        bytes: b"org_id,year,students_enrolled,robots_built\nS1,2023,400,7\n".to_vec(),
    };
    let long = Source {
        name: "observations_long.csv".into(),
        bytes: b"org_id,year,metric,value\nS1,2023,drones_flown,3\n".to_vec(),
    };
    let ds = load(vec![organisations(), wide, long], &LoadOptions::default());
    assert!(errors(&ds).is_empty(), "{:#?}", errors(&ds));
    let unit = ds.org_unit(ds.org_by_id("S1").unwrap());
    for (metric, code) in [
        ("robots_built", IssueCode::UnknownHeader),
        ("drones_flown", IssueCode::UnknownMetric),
    ] {
        let id = ds.metrics().id(metric).expect("kept under its own code");
        let col = ds
            .store()
            .column(ColumnKey {
                metric: id,
                breakdown: None,
            })
            .unwrap();
        let flags = ds.store().flags(col, unit, 2023);
        assert_eq!(flags.len(), 1, "{metric}");
        assert_eq!(ds.report().get(flags[0]).unwrap().code, code, "{metric}");
    }
    assert_eq!(ds.value(unit, 2023, "robots_built"), Some(7.0));
    assert_eq!(ds.value(unit, 2023, "drones_flown"), Some(3.0));
    // A known metric's value carries no flag.
    let enrolled = ds
        .store()
        .column(ColumnKey {
            metric: ds.metrics().id("students_enrolled").unwrap(),
            breakdown: None,
        })
        .unwrap();
    assert!(ds.store().flags(enrolled, unit, 2023).is_empty());
}

#[test]
fn empty_student_id_is_a_row_error_in_students_and_grades() {
    let text = |name: &str, body: &str| Source {
        name: name.into(),
        bytes: body.as_bytes().to_vec(),
    };
    let ds = load(
        vec![
            organisations(),
            // Row 3: no id; row 4: wholly blank, skipped without a message.
            text(
                "students.csv",
                "student_id,org_id,year,course,status\nx1,S1,2023,1,enrolled\n,S1,2023,2,enrolled\n,,,,\n",
            ),
            text(
                "grades.csv",
                "student_id,org_id,year,term,course_code,credits,letter\nx1,S1,2023,1,MATH1,5,A\n,S1,2023,1,PHYS1,5,B\n",
            ),
        ],
        &LoadOptions::default(),
    );
    let errors = errors(&ds);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    for (e, file, row) in [(errors[0], "students.csv", 3), (errors[1], "grades.csv", 3)] {
        assert_eq!(e.code, IssueCode::BadValue);
        assert_eq!(e.location.file, file);
        assert_eq!(e.location.row, Some(row));
        assert_eq!(e.location.column.as_deref(), Some("student_id"));
        assert_eq!(e.expected.as_deref(), Some("a student identifier"));
        assert!(e.message.contains("student_id is empty"), "{e}");
    }
}
