//! A workbook read as the cell stream of the spreadsheet module (`workbook_stream`, what the
//! browser's engine module gets) loads exactly as the workbook itself: the same dataset, the
//! same tables and the same issues, with the same file, sheet, row, column and message.

use kpi_import::{load, workbook_stream, LoadOptions, Source, WORKBOOK_STREAM_MAGIC};
use kpi_model::validate::IssueCode;
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn organisations() -> Source {
    Source {
        name: "organisations.csv".into(),
        bytes: "org_id,name,level,region\nS1,School 1,school,Abai\nS2,Мектеп 2,school,Абай\n"
            .as_bytes()
            .to_vec(),
    }
}

/// The organisations and `bytes` as `students.xlsx`, loaded.
fn load_students_xlsx(bytes: Vec<u8>) -> kpi_model::Dataset {
    load(
        vec![
            organisations(),
            Source {
                name: "students.xlsx".into(),
                bytes,
            },
        ],
        &LoadOptions::default(),
    )
}

/// A workbook of two sheets with title rows, numbers, a boolean, a date where a year is
/// expected, a formula with its cached value, an empty text cell and a bad value.
fn generated() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("students").unwrap();
    ws.write_string(0, 0, "Студенты 2023").unwrap();
    for (c, h) in ["student_id", "org_id", "year", "course", "status", "gpa"]
        .iter()
        .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let rows: [(&str, &str, f64, f64, &str, f64); 4] = [
        ("x1", "S1", 2023.0, 1.0, "enrolled", 3.5),
        ("x2", "S1", 2023.0, 2.0, "expelled", 2.0),
        ("x3", "S2", 2023.0, 9.0, "enrolled", 4.0),
        ("x4", "S9", 2023.0, 1.0, "enrolled", 3.0),
    ];
    for (i, (id, org, year, course, status, gpa)) in rows.iter().enumerate() {
        let r = i as u32 + 3;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_string(r, 1, *org).unwrap();
        ws.write_number(r, 2, *year).unwrap();
        ws.write_number(r, 3, *course).unwrap();
        ws.write_string(r, 4, *status).unwrap();
        ws.write_number(r, 5, *gpa).unwrap();
    }
    ws.write_formula(7, 0, "=\"x\"&\"5\"").unwrap();
    ws.set_formula_result(7, 0, "x5");
    ws.write_string(7, 1, "S2").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 9, 1).unwrap();
    ws.write_datetime(7, 2, &date).unwrap();
    ws.write_boolean(7, 3, true).unwrap();
    ws.write_string(7, 4, "").unwrap();
    ws.write_string(7, 5, "four").unwrap();
    let notes = wb.add_worksheet();
    notes.set_name("notes").unwrap();
    notes.write_string(1, 1, "nothing here").unwrap();
    wb.save_to_buffer().unwrap()
}

/// The load of `workbook` next to the organisations, as given and as a cell stream.
fn both_ways(name: &str, workbook: Vec<u8>) -> (String, String) {
    let stream = workbook_stream(&workbook);
    assert!(stream.starts_with(WORKBOOK_STREAM_MAGIC));
    let direct = load(
        vec![
            organisations(),
            Source {
                name: name.into(),
                bytes: workbook,
            },
        ],
        &LoadOptions::default(),
    );
    let streamed = load(
        vec![
            organisations(),
            Source {
                name: name.into(),
                bytes: stream,
            },
        ],
        &LoadOptions::default(),
    );
    // The report (issues and tables) and the students; the rest of `Debug` prints hash maps,
    // whose order differs from one map to the next.
    let shown = |ds: &kpi_model::Dataset| format!("{:#?}\n{:#?}", ds.report(), ds.students());
    (shown(&direct), shown(&streamed))
}

#[test]
fn fixtures_load_the_same_from_the_stream() {
    same_ways_checked();
}

fn first_difference(a: &str, b: &str) -> Option<String> {
    a.lines()
        .zip(b.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {i}: {x} | {y}"))
}

fn same_ways_checked() {
    for name in [
        "formulas.xlsx",
        "merged_header.xlsx",
        "empty_sheet.xlsx",
        "truncated.xlsx",
    ] {
        let (direct, streamed) = both_ways(name, fixture(name));
        assert_eq!(first_difference(&direct, &streamed), None, "{name}");
        assert_eq!(direct, streamed, "{name}");
    }
}

#[test]
fn a_generated_workbook_loads_the_same_and_names_sheet_row_and_column() {
    let (direct, streamed) = both_ways("students.xlsx", generated());
    assert_eq!(first_difference(&direct, &streamed), None);
    assert_eq!(direct, streamed);
    // The issues the comparison covers are the ones expected of this workbook, each naming
    // the file and the sheet: the formula in A8, the course 9 on row 6, the unknown
    // organisation S9 on row 7 and the date in the year column of row 8.
    let ds = load_students_xlsx(workbook_stream(&generated()));
    let issues = &ds.report().issues;
    let at = |code: IssueCode, row: u64| {
        issues
            .iter()
            .find(|i| i.code == code && i.location.row == Some(row))
            .unwrap_or_else(|| panic!("no {code:?} on row {row}: {issues:#?}"))
    };
    let formula = at(IssueCode::FormulaCell, 8);
    assert_eq!(formula.location.file, "students.xlsx");
    assert_eq!(formula.location.sheet.as_deref(), Some("students"));
    assert_eq!(formula.location.column.as_deref(), Some("student_id"));
    assert!(formula.message.contains("cell A8"), "{formula}");
    assert!(formula.message.contains("(x5)"), "{formula}");
    let cell = |row: u64, column: &str| {
        issues
            .iter()
            .find(|i| i.location.row == Some(row) && i.location.column.as_deref() == Some(column))
            .unwrap_or_else(|| panic!("no issue on the {column} of row {row}: {issues:#?}"))
    };
    // 2023-09-01 is day 45,170 of Excel's calendar: a date is not a year.
    let year = cell(8, "year");
    assert_eq!(year.location.sheet.as_deref(), Some("students"));
    assert_eq!(year.found.as_deref(), Some("45170"));
    assert_eq!(cell(6, "course").found.as_deref(), Some("9"));
    assert_eq!(cell(7, "org_id").found.as_deref(), Some("S9"));
}

#[test]
fn a_damaged_stream_is_reported_against_the_file() {
    let mut stream = workbook_stream(&generated());
    stream.truncate(stream.len() / 2);
    let ds = load_students_xlsx(stream);
    let e = ds
        .report()
        .issues
        .iter()
        .find(|i| i.code == IssueCode::UnreadableFile)
        .expect("an unreadable-file error");
    assert_eq!(e.location.file, "students.xlsx");
    assert!(e.message.contains("cell stream is damaged"), "{e}");
    assert!(
        ds.org_by_id("S1").is_some(),
        "the organisations stay loaded"
    );
}
