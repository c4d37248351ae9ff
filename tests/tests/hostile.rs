//! Hostile-input corpus (issue 7, items 2 and 3): every case has an expected
//! outcome (the exact parts of the error or warning text), never a panic, a
//! hang or unbounded memory, and whatever else was loaded stays loaded.
//!
//! Small fixtures are in `tests/hostile/`; big or binary cases (zip bombs,
//! entity expansion, 100,000-level JSON, 10,000 nested parentheses) are built
//! here. The heavy cases run in a child process (this test binary, re-run
//! with `HOSTILE_CHILD` set) under `prlimit --as` so that a load which
//! tried to materialise a bomb would be killed instead of passing.

use kpi_core::import::{load, read_paths_with_limits, Limits, LoadOptions, Source};
use kpi_core::model::Dataset;
use kpi_core::validate::{Issue, IssueCode, Severity};
use std::path::PathBuf;

#[path = "hostile/xlsx.rs"]
mod xlsx;

fn fixture(name: &str) -> Source {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("hostile")
        .join(name);
    Source {
        name: name.to_string(),
        bytes: std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    }
}

fn source(name: &str, text: &str) -> Source {
    Source {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

fn organisations() -> Source {
    source(
        "organisations.csv",
        "org_id,name,level,region\nS1,School 1,school,Abai\n",
    )
}

/// A good students table next to the hostile file: it must survive.
fn students() -> Source {
    source(
        "students.csv",
        "student_id,org_id,year,course,status\nx1,S1,2023,1,enrolled\nx2,S1,2023,2,expelled\n",
    )
}

/// Loads organisations, the good students table and `extra`.
fn load_next_to_good(extra: Vec<Source>) -> Dataset {
    let mut sources = vec![organisations(), students()];
    sources.extend(extra);
    load(sources, &LoadOptions::default())
}

/// The good tables are still there: S1, both students, and the metric derived
/// from them (one of the two was expelled).
fn rest_is_kept(ds: &Dataset) {
    let s1 = ds.org_by_id("S1").expect("organisations kept");
    assert_eq!(ds.students().records.len(), 2);
    assert_eq!(ds.value(ds.org_unit(s1), 2023, "expelled"), Some(1.0));
}

fn issues_of<'a>(ds: &'a Dataset, file: &str) -> Vec<&'a Issue> {
    ds.report()
        .issues
        .iter()
        .filter(|i| i.location.file == file)
        .collect()
}

// ---------------------------------------------------------------- child runs

/// Address-space cap of the child process. A debug test binary maps about
/// 100 MB; a decompressed bomb would need gigabytes.
const CHILD_AS_BYTES: u64 = 768 << 20;

/// Runs `case` in this process when it is the child, else re-runs this test
/// binary on `test_name` under `prlimit --as` and checks that the child
/// passed (was not killed and did not abort on allocation failure).
fn capped(test_name: &str, case: fn()) {
    if std::env::var_os("HOSTILE_CHILD").is_some() {
        case();
        return;
    }
    let exe = std::env::current_exe().expect("test binary path");
    let out = std::process::Command::new("/usr/bin/prlimit")
        .arg(format!("--as={CHILD_AS_BYTES}"))
        .arg("--")
        .arg(exe)
        .args([test_name, "--exact", "--test-threads=1", "--nocapture"])
        .env("HOSTILE_CHILD", "1")
        .output()
        .expect("run prlimit");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "child {test_name} under a {CHILD_AS_BYTES}-byte cap: {:?}\n{stdout}\n{stderr}",
        out.status
    );
}

fn with_limits(limits: Limits) -> LoadOptions {
    LoadOptions {
        limits,
        ..LoadOptions::default()
    }
}

/// Like [`load_next_to_good`], with options.
fn load_next_to_good_with(extra: Vec<Source>, options: &LoadOptions) -> Dataset {
    let mut sources = vec![organisations(), students()];
    sources.extend(extra);
    load(sources, options)
}

/// The one error of the dataset (there must be exactly one), which must be
/// about `file` and carry `code`.
fn the_error<'a>(ds: &'a Dataset, file: &str, code: IssueCode) -> &'a Issue {
    let errors: Vec<&Issue> = ds
        .report()
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = errors[0];
    assert_eq!((e.location.file.as_str(), e.code), (file, code), "{e}");
    e
}

fn no_errors(ds: &Dataset) {
    let errors: Vec<String> = ds
        .report()
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| i.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn org_name(ds: &Dataset, id: &str) -> String {
    let i = ds.org_by_id(id).unwrap_or_else(|| panic!("{id} loaded"));
    ds.organisations()[i.0 as usize].name.clone()
}

// ------------------------------------------------------------ small fixtures

#[test]
fn negative_and_fractional_counts_are_kept_with_warnings() {
    let ds = load_next_to_good(vec![fixture("counts.csv")]);
    no_errors(&ds);
    let issues = issues_of(&ds, "counts.csv");
    type Seen<'a> = (IssueCode, Option<u64>, Option<&'a str>, Option<&'a str>);
    let found: Vec<Seen> = issues
        .iter()
        .map(|i| {
            (
                i.code,
                i.location.row,
                i.location.column.as_deref(),
                i.found.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                IssueCode::NegativeCount,
                Some(2),
                Some("computers"),
                Some("-5")
            ),
            (
                IssueCode::FractionalCount,
                Some(3),
                Some("students_enrolled"),
                Some("410.5")
            ),
        ]
    );
    assert!(issues.iter().all(|i| i.severity == Severity::Warning));
    assert_eq!(issues[0].expected.as_deref(), Some("a count of 0 or more"));
    assert_eq!(issues[1].expected.as_deref(), Some("a whole number"));
    // Warnings keep the values as written (docs/data.md): the analyst decides.
    let s1 = ds.org_unit(ds.org_by_id("S1").unwrap());
    assert_eq!(ds.value(s1, 2021, "computers"), Some(-5.0));
    assert_eq!(ds.value(s1, 2022, "students_enrolled"), Some(410.5));
    rest_is_kept(&ds);
}

#[test]
fn duplicated_organisations_with_different_names_lose_both_rows() {
    let ds = load_next_to_good(vec![fixture("duplicate_orgs.csv")]);
    let e = the_error(&ds, "duplicate_orgs.csv", IssueCode::DuplicateKey);
    assert_eq!(
        (
            e.location.row,
            e.location.column.as_deref(),
            e.found.as_deref()
        ),
        (Some(4), Some("org_id"), Some("S7"))
    );
    assert_eq!(
        e.message,
        "org_id `S7` appears again (first at row 2) with a different name: `School 7` there, `Another school` here; neither row is loaded (row 2 is rejected too)"
    );
    assert_eq!(e.expected.as_deref(), Some("a unique org_id"));
    // Which school S7 is cannot be told: neither row loads; S8 does.
    assert!(ds.org_by_id("S7").is_none());
    assert!(ds.org_by_id("S8").is_some());
    let rows: Vec<u64> = ds.report().rejected_rows.iter().map(|r| r.row).collect();
    assert_eq!(rows, vec![2, 4]);
    rest_is_kept(&ds);
}

#[test]
fn organisation_repeated_from_another_table_names_both_names() {
    let again = source(
        "organisations_more.csv",
        "org_id,name,level,region\nS9,School 9,school,Abai\nS1,Школа №1,school,Abai\n",
    );
    let ds = load_next_to_good(vec![again]);
    let e = the_error(&ds, "organisations_more.csv", IssueCode::DuplicateKey);
    assert_eq!(e.location.row, Some(3));
    assert_eq!(
        e.message,
        "org_id `S1` is already listed in another organisations table with a different name: `School 1` there, `Школа №1` here"
    );
    // The rest of the table loads; S1 stays as first listed.
    assert!(ds.org_by_id("S9").is_some());
    assert_eq!(ds.org(ds.org_by_id("S1").unwrap()).name, "School 1");
    rest_is_kept(&ds);
}

#[test]
fn kazakh_text_in_utf16_le_and_be_is_read_exactly() {
    for file in ["kazakh_utf16le.csv", "kazakh_utf16be.csv"] {
        let ds = load_next_to_good(vec![fixture(file)]);
        no_errors(&ds);
        // Nothing doubtful; the only note says that region `Абай` here is
        // the `Abai` of the good tables.
        let issues = issues_of(&ds, file);
        assert!(
            issues.iter().all(|i| i.severity == Severity::Note),
            "{file}: {issues:#?}"
        );
        assert_eq!(org_name(&ds, "K1"), "Қарағанды мектебі", "{file}");
        assert_eq!(org_name(&ds, "K2"), "Өскемен колледжі", "{file}");
        // Every Kazakh-specific letter survives.
        assert_eq!(org_name(&ds, "K3"), "ұ ү і ң ғ қ ө һ", "{file}");
        rest_is_kept(&ds);
    }
}

#[test]
fn kazakh_text_in_windows_1251_warns_about_lost_letters() {
    // Windows-1251 has і but not ә ғ қ ң ө ұ ү һ: the exporter wrote `?`.
    let ds = load_next_to_good(vec![fixture("kazakh_cp1251.csv")]);
    no_errors(&ds);
    assert_eq!(org_name(&ds, "K1"), "?ара?анды мектебі");
    assert_eq!(org_name(&ds, "K2"), "?скемен колледжі");
    let region = |id: &str| {
        let i = ds.org_by_id(id).unwrap();
        ds.organisations()[i.0 as usize].region.clone()
    };
    // `Абай` is the region the good tables wrote `Abai`: one region, kept
    // under its first spelling.
    assert_eq!(region("K3"), "Abai");
    let issues: Vec<_> = issues_of(&ds, "kazakh_cp1251.csv")
        .into_iter()
        .filter(|i| i.severity != Severity::Note)
        .collect();
    assert_eq!(issues.len(), 1, "{issues:#?}");
    let w = issues[0];
    assert_eq!((w.severity, w.code), (Severity::Warning, IssueCode::Other));
    assert_eq!(w.location.row, Some(2));
    assert!(
        w.message.starts_with(
            "the file is in Windows-1251, which has no Kazakh letters ә ғ қ ң ө ұ ү һ"
        ),
        "{w}"
    );
    assert!(w.suggestion.as_deref().unwrap().contains("UTF-8"));
    rest_is_kept(&ds);
}

#[test]
fn nan_infinity_and_1e309_are_bad_values() {
    let ds = load_next_to_good(vec![fixture("non_finite.csv")]);
    let errors: Vec<(Option<u64>, Option<&str>, Option<&str>)> = issues_of(&ds, "non_finite.csv")
        .into_iter()
        .map(|e| {
            assert_eq!(
                (e.severity, e.code),
                (Severity::Error, IssueCode::BadValue),
                "{e}"
            );
            (
                e.location.row,
                e.location.column.as_deref(),
                e.found.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (Some(2), Some("students_enrolled"), Some("NaN")),
            (Some(3), Some("teachers_total"), Some("Infinity")),
            (Some(4), Some("computers"), Some("-inf")),
            (Some(5), Some("budget_kzt"), Some("1e309")),
        ]
    );
    // Only the unreadable cells are lost: the good cells of their rows load.
    let s1 = ds.org_unit(ds.org_by_id("S1").unwrap());
    assert_eq!(ds.value(s1, 2021, "teachers_total"), Some(30.0));
    rest_is_kept(&ds);
}

#[test]
fn json_number_beyond_f64_is_refused_with_its_line() {
    let json = "[\n{\"org_id\": \"S1\", \"year\": 2021, \"students_enrolled\": 400},\n{\"org_id\": \"S1\", \"year\": 2022, \"students_enrolled\": 1e309}\n]\n";
    let ds = load_next_to_good(vec![source("observations.json", json)]);
    let e = the_error(&ds, "observations.json", IssueCode::UnreadableFile);
    assert_eq!(e.location.row, Some(3));
    assert!(
        e.message.starts_with("not valid JSON: number out of range"),
        "{e}"
    );
    rest_is_kept(&ds);
}

#[test]
fn mixed_encodings_name_the_first_foreign_row() {
    let mut bytes = "org_id,name,level,region\nK1,Мектеп,school,Абай\n"
        .as_bytes()
        .to_vec();
    // Row 3 in Windows-1251: "Школа" = DD F8 EA EE EB E0 (Ш=0xD8).
    bytes.extend_from_slice(b"K2,\xD8\xEA\xEE\xEB\xE0,school,Abai\n");
    let ds = load_next_to_good(vec![Source {
        name: "organisations_mixed.csv".into(),
        bytes,
    }]);
    let e = the_error(&ds, "organisations_mixed.csv", IssueCode::UnreadableFile);
    assert_eq!(e.location.row, Some(3));
    assert_eq!(
        e.message,
        "row 3 is not valid UTF-8 although the rows before it are UTF-8: the file mixes encodings; save it again in one encoding (UTF-8)"
    );
    assert!(ds.org_by_id("K1").is_none());
    rest_is_kept(&ds);
}

#[test]
fn binary_garbage_is_refused() {
    // An ELF header and a few bytes of machine code under a CSV name.
    let mut bytes = b"\x7fELF\x02\x01\x01\x00".to_vec();
    bytes.extend((0u32..4096).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    let ds = load_next_to_good(vec![Source {
        name: "observations.csv".into(),
        bytes,
    }]);
    let e = the_error(&ds, "observations.csv", IssueCode::UnreadableFile);
    assert_eq!(e.message, "the file is binary, not CSV, XLSX or JSON text");
    rest_is_kept(&ds);
}

#[test]
fn header_of_200_columns() {
    let header: Vec<String> = (1..=200).map(|i| format!("field_{i}")).collect();
    let text = format!("{}\n{}\n", header.join(","), vec!["1"; 200].join(","));
    let ds = load_next_to_good(vec![source("export.csv", &text)]);
    let e = the_error(&ds, "export.csv", IssueCode::UnknownTable);
    assert_eq!(e.location.row, Some(1));
    assert!(
        e.found.as_deref().unwrap().ends_with("… (200 columns)"),
        "{e}"
    );
    rest_is_kept(&ds);
    // Under a column limit of 100 the header itself is refused.
    let ds = load_next_to_good_with(
        vec![source("export.csv", &text)],
        &with_limits(Limits {
            max_columns: 100,
            ..Limits::default()
        }),
    );
    let e = the_error(&ds, "export.csv", IssueCode::UnreadableFile);
    assert_eq!(e.location.row, Some(1));
    assert_eq!(
        e.message,
        "the header has 200 columns, more than the limit of 100"
    );
    rest_is_kept(&ds);
}

// ------------------------------------------------------------------- limits

/// A good observations table of `rows` rows for S1 (years 2001...).
fn observations(rows: usize) -> String {
    let mut t = String::from("org_id,year,teachers_total\n");
    for i in 0..rows {
        t.push_str(&format!("S1,{},{}\n", 2001 + i, 10 + i));
    }
    t
}

#[test]
fn limit_on_file_size() {
    // 27 + 10 × 11 = 137 bytes ("S1,2001,10\n"); the good tables are under 100.
    let text = observations(10);
    assert_eq!(text.len(), 137);
    let limits = Limits {
        max_file_bytes: 100,
        ..Limits::default()
    };
    let ds = load_next_to_good_with(
        vec![source("observations.csv", &text)],
        &with_limits(limits),
    );
    let e = the_error(&ds, "observations.csv", IssueCode::UnreadableFile);
    assert_eq!(
        e.message,
        "the file is larger than the limit of 100 bytes (Limits::max_file_bytes)"
    );
    rest_is_kept(&ds);
}

#[test]
fn limit_on_rows() {
    let limits = Limits {
        max_rows: 2,
        ..Limits::default()
    };
    let ds = load_next_to_good_with(
        vec![source("observations.csv", &observations(3))],
        &with_limits(limits.clone()),
    );
    let e = the_error(&ds, "observations.csv", IssueCode::UnreadableFile);
    // The third data row is row 4 of the file.
    assert_eq!(e.location.row, Some(4));
    assert_eq!(e.message, "more than 2 data rows (the limit)");
    rest_is_kept(&ds);
    // The same limit on a sheet and on JSON records.
    let rows: Vec<Vec<String>> = std::iter::once(vec![
        "org_id".into(),
        "year".into(),
        "teachers_total".into(),
    ])
    .chain((0..3).map(|i| vec!["S1".into(), (2001 + i).to_string(), "10".into()]))
    .collect();
    let refs: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let refs: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    let book = xlsx::workbook(&[("observations", &refs)]);
    let ds = load_next_to_good_with(
        vec![Source {
            name: "obs.xlsx".into(),
            bytes: book,
        }],
        &with_limits(limits.clone()),
    );
    let e = the_error(&ds, "obs.xlsx", IssueCode::UnreadableFile);
    assert_eq!(
        (e.location.sheet.as_deref(), e.location.row),
        (Some("observations"), Some(4))
    );
    assert_eq!(e.message, "more than 2 data rows (the limit)");
    let json = r#"[{"org_id":"S1","year":2001,"teachers_total":1},{"org_id":"S1","year":2002,"teachers_total":1},{"org_id":"S1","year":2003,"teachers_total":1}]"#;
    let ds = load_next_to_good_with(
        vec![source("observations.json", json)],
        &with_limits(limits),
    );
    let e = the_error(&ds, "observations.json", IssueCode::UnreadableFile);
    assert_eq!(e.message, "3 records, more than the limit of 2");
    rest_is_kept(&ds);
}

#[test]
fn limit_on_cell_and_line_length() {
    let text = format!("org_id,year,teachers_total\nS1,2021,{}\n", "9".repeat(100));
    let limits = Limits {
        max_cell_bytes: 64,
        ..Limits::default()
    };
    let ds = load_next_to_good_with(
        vec![source("observations.csv", &text)],
        &with_limits(limits.clone()),
    );
    let e = the_error(&ds, "observations.csv", IssueCode::UnreadableFile);
    assert_eq!(
        (e.location.row, e.location.column.as_deref()),
        (Some(2), Some("teachers_total"))
    );
    assert_eq!(e.message, "a cell is longer than the limit of 64 bytes");
    rest_is_kept(&ds);
    // The same with a quote somewhere (read by the CSV parser, not split on
    // delimiters), after an empty line: the row is still the record's own.
    let quoted = format!(
        "org_id,year,teachers_total\n\n\"S1\",2021,{}\n",
        "9".repeat(100)
    );
    let ds = load_next_to_good_with(
        vec![source("observations.csv", &quoted)],
        &with_limits(limits),
    );
    let e = the_error(&ds, "observations.csv", IssueCode::UnreadableFile);
    assert_eq!(
        (e.location.row, e.location.column.as_deref()),
        (Some(3), Some("teachers_total"))
    );
    let limits = Limits {
        max_line_bytes: 64,
        ..Limits::default()
    };
    let ds = load_next_to_good_with(
        vec![source("observations.csv", &text)],
        &with_limits(limits),
    );
    let e = the_error(&ds, "observations.csv", IssueCode::UnreadableFile);
    assert_eq!(e.location.row, Some(2));
    assert_eq!(
        e.message,
        "row 2 is longer than the limit of 64 bytes (is this a CSV file?)"
    );
    rest_is_kept(&ds);
}

#[test]
fn limit_on_json_depth() {
    let json = r#"[{"org_id":"S1","year":2021,"teachers_total":[[[1]]]}]"#;
    let limits = Limits {
        max_json_depth: 4,
        ..Limits::default()
    };
    let ds = load_next_to_good_with(
        vec![source("observations.json", json)],
        &with_limits(limits),
    );
    let e = the_error(&ds, "observations.json", IssueCode::UnreadableFile);
    assert_eq!(e.location.row, Some(1));
    assert_eq!(e.message, "JSON nested deeper than 4 levels");
    rest_is_kept(&ds);
}

#[test]
fn limit_on_workbook_expansion() {
    let book = xlsx::workbook(&[(
        "observations",
        &[&["org_id", "year", "teachers_total"], &["S1", "2021", "30"]],
    )]);
    let ds = load_next_to_good_with(
        vec![Source {
            name: "obs.xlsx".into(),
            bytes: book,
        }],
        &with_limits(Limits {
            max_xlsx_uncompressed_bytes: 1000,
            ..Limits::default()
        }),
    );
    let e = the_error(&ds, "obs.xlsx", IssueCode::UnreadableFile);
    assert!(e.message.starts_with("the workbook expands to "), "{e}");
    assert!(
        e.message
            .ends_with(" bytes, more than the limit of 1000 bytes"),
        "{e}"
    );
    rest_is_kept(&ds);
}

#[test]
fn limit_on_formula_length_and_depth() {
    use kpi_core::indicators::formula::FormulaLimits;
    use kpi_core::indicators::Catalogue;
    let catalogue = |formula: &str| {
        format!(
            "[[indicator]]\ncode = \"mine\"\nfamily = \"input\"\nlevels = [\"school\"]\nformula = \"{formula}\"\nunit = \"ratio\"\ndirection = \"higher\"\nname = {{ en = \"Mine\" }}\n"
        )
    };
    let small = FormulaLimits {
        max_length: 20,
        max_depth: 3,
    };
    let long = catalogue("teachers_total + teachers_total");
    let e = Catalogue::empty()
        .with_limits(small)
        .with_user_file("mine.toml", &long)
        .unwrap_err();
    assert_eq!(
        (e.file.as_str(), e.line, e.indicator.as_deref()),
        ("mine.toml", Some(5), Some("mine"))
    );
    assert!(
        e.message
            .contains("the formula has 31 characters, more than the limit of 20"),
        "{e}"
    );
    let deep = catalogue("((((1))))");
    let e = Catalogue::empty()
        .with_limits(small)
        .with_user_file("mine.toml", &deep)
        .unwrap_err();
    assert_eq!((e.line, e.indicator.as_deref()), (Some(5), Some("mine")));
    assert!(
        e.message
            .contains("the formula nests more than 3 levels deep"),
        "{e}"
    );
}

// ------------------------------------------------- workbooks built in memory

#[test]
fn truncated_xlsx() {
    let book = xlsx::workbook(&[(
        "observations",
        &[&["org_id", "year", "teachers_total"], &["S1", "2021", "30"]],
    )]);
    for cut in [book.len() / 2, book.len() - 30, 10] {
        let ds = load_next_to_good(vec![Source {
            name: "nobd.xlsx".into(),
            bytes: book[..cut].to_vec(),
        }]);
        let e = the_error(&ds, "nobd.xlsx", IssueCode::UnreadableFile);
        assert!(
            e.message.contains("truncated or damaged"),
            "cut at {cut}: {e}"
        );
        rest_is_kept(&ds);
    }
}

#[test]
fn formula_cells_give_their_cached_value_with_a_warning() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = xlsx::sheet_with_header(
        &mut book,
        "observations",
        &["org_id", "year", "students_enrolled", "teachers_total"],
    );
    ws.write_string(1, 0, "S1").unwrap();
    ws.write_number(1, 1, 2021.0).unwrap();
    ws.write_number(1, 2, 420.0).unwrap();
    ws.write_formula(
        1,
        3,
        rust_xlsxwriter::Formula::new("=C2/14").set_result("30"),
    )
    .unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let ds = load_next_to_good(vec![Source {
        name: "formulas.xlsx".into(),
        bytes,
    }]);
    no_errors(&ds);
    let w = issues_of(&ds, "formulas.xlsx")
        .into_iter()
        .find(|i| i.code == IssueCode::FormulaCell)
        .expect("a formula warning");
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(
        (
            w.location.sheet.as_deref(),
            w.location.row,
            w.location.column.as_deref()
        ),
        (Some("observations"), Some(2), Some("teachers_total"))
    );
    assert_eq!(w.found.as_deref(), Some("=C2/14"));
    assert_eq!(
        w.message,
        "cell D2 holds a formula; its value as last calculated by the spreadsheet (30) is used"
    );
    let s1 = ds.org_unit(ds.org_by_id("S1").unwrap());
    assert_eq!(ds.value(s1, 2021, "teachers_total"), Some(30.0));
    rest_is_kept(&ds);
}

#[test]
fn merged_header_rows_are_combined() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("observations").unwrap();
    let fmt = rust_xlsxwriter::Format::new();
    ws.write_string(0, 0, "org_id").unwrap();
    ws.write_string(0, 1, "year").unwrap();
    ws.merge_range(0, 2, 0, 3, "students_enrolled", &fmt)
        .unwrap();
    ws.write_string(1, 2, "female").unwrap();
    ws.write_string(1, 3, "male").unwrap();
    ws.write_string(2, 0, "S1").unwrap();
    ws.write_number(2, 1, 2021.0).unwrap();
    ws.write_number(2, 2, 210.0).unwrap();
    ws.write_number(2, 3, 190.0).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let csv = "org_id,year,students_enrolled,\n,,female,male\nS1,2021,210,190\n";
    for src in [
        Source {
            name: "merged.xlsx".into(),
            bytes,
        },
        source("merged.csv", csv),
    ] {
        let name = src.name.clone();
        let ds = load_next_to_good(vec![src]);
        no_errors(&ds);
        let note = issues_of(&ds, &name)
            .into_iter()
            .find(|i| i.message.starts_with("rows 1 and 2 form one header"))
            .unwrap_or_else(|| panic!("{name}: a note on the combined header"));
        assert_eq!(note.location.row, Some(1), "{name}");
        assert!(
            note.message
                .ends_with("students_enrolled.female, students_enrolled.male"),
            "{name}: {note}"
        );
        // female 210 + male 190 = 400, the total from the breakdowns.
        let s1 = ds.org_unit(ds.org_by_id("S1").unwrap());
        assert_eq!(
            ds.value(s1, 2021, "students_enrolled"),
            Some(400.0),
            "{name}"
        );
        rest_is_kept(&ds);
    }
}

#[test]
fn empty_sheets() {
    // An empty sheet next to a good one: a warning, the good sheet loads.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = xlsx::sheet_with_header(
        &mut book,
        "observations",
        &["org_id", "year", "teachers_total"],
    );
    ws.write_string(1, 0, "S1").unwrap();
    ws.write_number(1, 1, 2021.0).unwrap();
    ws.write_number(1, 2, 30.0).unwrap();
    book.add_worksheet().set_name("notes").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let ds = load_next_to_good(vec![Source {
        name: "two.xlsx".into(),
        bytes,
    }]);
    no_errors(&ds);
    let w = issues_of(&ds, "two.xlsx")
        .into_iter()
        .find(|i| i.code == IssueCode::EmptyTable)
        .expect("a warning for the empty sheet");
    assert_eq!(
        (w.severity, w.location.sheet.as_deref()),
        (Severity::Warning, Some("notes"))
    );
    assert_eq!(w.message, "the sheet is empty: nothing is loaded from it");
    let s1 = ds.org_unit(ds.org_by_id("S1").unwrap());
    assert_eq!(ds.value(s1, 2021, "teachers_total"), Some(30.0));
    // A workbook whose only sheet is empty: an error.
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("observations").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let ds = load_next_to_good(vec![Source {
        name: "empty.xlsx".into(),
        bytes,
    }]);
    let e = the_error(&ds, "empty.xlsx", IssueCode::EmptyTable);
    assert_eq!(e.location.sheet.as_deref(), Some("observations"));
    assert_eq!(e.message, "the sheet is empty: nothing is loaded from it");
    rest_is_kept(&ds);
}

// --------------------------------------------- heavy cases, under a memory cap

const SHEET: &str = "xl/worksheets/sheet1.xml";
const SHEET_HEAD: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>org_id</t></is></c></row>"#;
const SHEET_TAIL: &[u8] = b"</sheetData></worksheet>";

fn small_book() -> Vec<u8> {
    xlsx::workbook(&[(
        "observations",
        &[&["org_id", "year", "teachers_total"], &["S1", "2021", "30"]],
    )])
}

/// A sheet of ~3 GB of cells (2,860 × 1 MiB) deflated to ~3 MB.
fn bomb_stream() -> (Vec<u8>, u32) {
    let body = b"<row><c><v>1</v></c></row>".repeat(40_330); // 1,048,580 bytes
    let times = 2_860;
    let size = SHEET_HEAD.len() + body.len() * times + SHEET_TAIL.len();
    let stream = xlsx::deflate_repeated(SHEET_HEAD, &body, times, SHEET_TAIL);
    assert!(stream.len() < 8 << 20, "{}", stream.len());
    (stream, u32::try_from(size).expect("under 4 GiB"))
}

#[test]
fn zip_bomb_declared_honestly_is_refused_from_the_directory() {
    capped(
        "zip_bomb_declared_honestly_is_refused_from_the_directory",
        || {
            let (stream, size) = bomb_stream();
            let ratio = size as usize / stream.len();
            let bytes = xlsx::with_part(&small_book(), xlsx::deflated(SHEET, stream, size));
            let ds = load_next_to_good(vec![Source {
                name: "bomb.xlsx".into(),
                bytes,
            }]);
            let e = the_error(&ds, "bomb.xlsx", IssueCode::UnreadableFile);
            assert_eq!(
            e.message,
            format!("part `{SHEET}` of the workbook expands {ratio}× (limit 200×): refused as a possible zip bomb")
        );
            rest_is_kept(&ds);
        },
    );
}

#[test]
fn zip_bomb_with_a_lying_directory_stops_at_the_declared_size() {
    capped(
        "zip_bomb_with_a_lying_directory_stops_at_the_declared_size",
        || {
            // The directory claims 100 kB; the stream inflates to ~3 GB.
            let (stream, _) = bomb_stream();
            let bytes = xlsx::with_part(&small_book(), xlsx::deflated(SHEET, stream, 100_000));
            let ds = load_next_to_good(vec![Source {
                name: "bomb.xlsx".into(),
                bytes,
            }]);
            let e = the_error(&ds, "bomb.xlsx", IssueCode::UnreadableFile);
            assert_eq!(e.location.sheet.as_deref(), Some("observations"));
            assert!(e.message.starts_with("cannot read the sheet: "), "{e}");
            assert!(
                e.message
                    .ends_with("File is larger than its declared uncompressed size"),
                "{e}"
            );
            rest_is_kept(&ds);
        },
    );
}

/// `<!DOCTYPE>` with entities nested 9 levels, 10 each: `&lol9;` would be 10⁹ × "lol".
fn laughs_doctype() -> String {
    let mut d = String::from("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    let mut prev = "lol".to_string();
    for i in 1..10 {
        d += &format!("<!ENTITY lol{i} \"{}\">", format!("&{prev};").repeat(10));
        prev = format!("lol{i}");
    }
    d + "]>"
}

#[test]
fn billion_laughs_in_sheet_and_shared_strings_is_not_expanded() {
    capped(
        "billion_laughs_in_sheet_and_shared_strings_is_not_expanded",
        || {
            let xml = format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>org_id</t></is></c><c r="B1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"#,
                laughs_doctype()
            );
            let bytes = xlsx::with_part(&small_book(), xlsx::Part::plain(SHEET, xml.as_bytes()));
            let ds = load_next_to_good(vec![Source {
                name: "laughs.xlsx".into(),
                bytes,
            }]);
            let e = the_error(&ds, "laughs.xlsx", IssueCode::UnreadableFile);
            assert_eq!(e.location.sheet.as_deref(), Some("observations"));
            assert!(e.message.starts_with("cannot read the sheet: "), "{e}");
            assert!(e.message.contains("unrecognized entity `&lol9;`"), "{e}");
            rest_is_kept(&ds);

            let sst = format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>"#,
                laughs_doctype()
            );
            let bytes = xlsx::with_part(
                &small_book(),
                xlsx::Part::plain("xl/sharedStrings.xml", sst.as_bytes()),
            );
            let ds = load_next_to_good(vec![Source {
                name: "laughs.xlsx".into(),
                bytes,
            }]);
            let e = the_error(&ds, "laughs.xlsx", IssueCode::UnreadableFile);
            assert!(e.message.contains("unrecognized entity `&lol9;`"), "{e}");
            rest_is_kept(&ds);
        },
    );
}

#[test]
fn json_nested_100000_deep_is_refused_before_parsing() {
    capped("json_nested_100000_deep_is_refused_before_parsing", || {
        let json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let ds = load_next_to_good(vec![source("observations.json", &json)]);
        let e = the_error(&ds, "observations.json", IssueCode::UnreadableFile);
        assert_eq!(e.location.row, Some(1));
        assert_eq!(e.message, "JSON nested deeper than 16 levels");
        rest_is_kept(&ds);
    });
}

#[test]
fn formula_with_10000_nested_parentheses() {
    capped("formula_with_10000_nested_parentheses", || {
        use kpi_core::indicators::Catalogue;
        let formula = format!("{}teachers_total{}", "(".repeat(10_000), ")".repeat(10_000));
        // In a user catalogue: refused by length (20,014 characters > 1,024)...
        let toml = format!(
            "[[indicator]]\ncode = \"deep\"\nfamily = \"input\"\nlevels = [\"school\"]\nformula = \"{formula}\"\nunit = \"ratio\"\ndirection = \"higher\"\nname = {{ en = \"Deep\" }}\n"
        );
        let e = Catalogue::builtin()
            .with_user_file("mine.toml", &toml)
            .unwrap_err();
        assert_eq!(
            (e.file.as_str(), e.line, e.indicator.as_deref()),
            ("mine.toml", Some(5), Some("deep"))
        );
        assert!(
            e.message
                .contains("the formula has 20014 characters, more than the limit of 1024"),
            "{e}"
        );
        // ...and, with the length allowed, by depth at the 65th parenthesis.
        let wide = kpi_core::indicators::formula::FormulaLimits {
            max_length: 65_536,
            max_depth: 64,
        };
        let e = Catalogue::builtin()
            .with_limits(wide)
            .with_user_file("mine.toml", &toml)
            .unwrap_err();
        assert!(
            e.message
                .contains("at character 64: the formula nests more than 64 levels deep"),
            "{e}"
        );
        // In a spreadsheet cell: never evaluated, its cached value is used.
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = xlsx::sheet_with_header(
            &mut book,
            "observations",
            &["org_id", "year", "teachers_total"],
        );
        ws.write_string(1, 0, "S1").unwrap();
        ws.write_number(1, 1, 2021.0).unwrap();
        let cell = format!("={}1{}", "(".repeat(10_000), ")".repeat(10_000));
        ws.write_formula(1, 2, rust_xlsxwriter::Formula::new(&cell).set_result("1"))
            .unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let ds = load_next_to_good(vec![Source {
            name: "deep.xlsx".into(),
            bytes,
        }]);
        no_errors(&ds);
        let w = issues_of(&ds, "deep.xlsx")
            .into_iter()
            .find(|i| i.code == IssueCode::FormulaCell)
            .expect("a formula warning");
        assert_eq!(
            (w.location.row, w.location.column.as_deref()),
            (Some(2), Some("teachers_total"))
        );
        let s1 = ds.org_unit(ds.org_by_id("S1").unwrap());
        assert_eq!(ds.value(s1, 2021, "teachers_total"), Some(1.0));
        rest_is_kept(&ds);
    });
}

#[test]
fn one_line_of_64_mib_in_memory_is_refused_at_its_row() {
    capped("one_line_of_64_mib_in_memory_is_refused_at_its_row", || {
        let mut bytes = b"org_id,year,teachers_total\nS1,2021,".to_vec();
        bytes.resize(bytes.len() + (64 << 20), b'9');
        bytes.extend_from_slice(b"\nS1,2022,12\n");
        let ds = load_next_to_good(vec![Source {
            name: "observations.csv".into(),
            bytes,
        }]);
        let e = the_error(&ds, "observations.csv", IssueCode::UnreadableFile);
        assert_eq!(e.location.row, Some(2));
        assert_eq!(
            e.message,
            "row 2 is longer than the limit of 1048576 bytes (is this a CSV file?)"
        );
        rest_is_kept(&ds);
    });
}

#[test]
fn one_gigabyte_line_on_disk_is_read_only_to_the_limit() {
    capped(
        "one_gigabyte_line_on_disk_is_read_only_to_the_limit",
        || {
            // 1 GiB with no line break: 2 MiB of text and a sparse hole (no disk used).
            let dir = std::env::temp_dir().join(format!("kpi-hostile-line-{}", std::process::id()));
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
            let read = read_paths_with_limits(&[&path], &limits);
            std::fs::remove_dir_all(&dir).ok();
            let mut sources = read.unwrap();
            assert!(sources[0].bytes.len() <= limits.max_line_bytes + (1 << 20) + 1);
            sources[0].name = "observations.csv".into();
            let ds = load_next_to_good(sources);
            let e = the_error(&ds, "observations.csv", IssueCode::UnreadableFile);
            assert_eq!(e.location.row, Some(1));
            assert_eq!(
                e.message,
                "row 1 is longer than the limit of 1048576 bytes (is this a CSV file?)"
            );
            rest_is_kept(&ds);
        },
    );
}

// ------------------------------------------- defects planted by `kpi sample`

#[test]
fn every_planted_sample_defect_is_reported_where_defects_json_says() {
    use kpi_core::model::YearSpan;
    use kpi_core::sample::{write_dir, Defect, SampleOptions, Scale};
    let dir = std::env::temp_dir().join(format!("kpi-hostile-defects-{}", std::process::id()));
    let options = SampleOptions {
        years: YearSpan::new(2022, 2024),
        with_defects: true,
        ..SampleOptions::new(7, Scale::Small)
    };
    write_dir(&options, &dir, &mut |_, _| {}).expect("sample written");
    let manifest = std::fs::read(dir.join("defects.json")).expect("defects.json written");
    let defects: Vec<Defect> = serde_json::from_slice(&manifest).expect("defects.json parses");
    let sources = kpi_core::import::read_paths(&[&dir]).expect("sample readable");
    std::fs::remove_dir_all(&dir).ok();
    // read_paths names each source by its path; compare by file name.
    let sources: Vec<Source> = sources
        .into_iter()
        .filter(|s| !s.name.ends_with("defects.json"))
        .map(|mut s| {
            s.name = s.name.rsplit('/').next().unwrap_or_default().to_string();
            s
        })
        .collect();
    let ds = load(sources.clone(), &LoadOptions::default());
    assert!(defects.len() >= 13, "{defects:#?}");
    // The cross-row checks (part ≤ whole, 10× jumps) run on tables that are
    // accepted; the planted errors reject observations.csv. Mend its two
    // error rows (the `1O5` cell, the appended duplicate last row: no row
    // moves) and load again to see those warnings where defects.json says.
    let mended: Vec<Source> = sources
        .into_iter()
        .map(|mut s| {
            if s.name == "observations.csv" {
                let text = String::from_utf8(s.bytes).expect("UTF-8");
                let mut lines: Vec<&str> = text.lines().collect();
                lines.pop();
                let mut out = lines.join("\n").replacen(",1O5,", ",105,", 1);
                out.push('\n');
                s.bytes = out.into_bytes();
            }
            s
        })
        .collect();
    let mended = load(mended, &LoadOptions::default());
    let cross_row = [IssueCode::PartExceedsWhole, IssueCode::SuspiciousJump];
    let mut missed = Vec::new();
    for d in &defects {
        let ds = if cross_row.contains(&d.code) {
            &mended
        } else {
            &ds
        };
        let hit = ds.report().issues.iter().any(|i| {
            i.location.file == d.file
                && i.code == d.code
                && i.severity == d.severity
                && (d.row.is_none() || i.location.row == d.row)
                && (d.column.is_none() || i.location.column == d.column)
        });
        if !hit {
            missed.push(d);
        }
    }
    let reported: Vec<String> = ds
        .report()
        .issues
        .iter()
        .map(|i| format!("{i} [{:?}]", i.code))
        .collect();
    assert!(
        missed.is_empty(),
        "not reported: {missed:?}\nreported: {reported:#?}"
    );
    // Errors reject their rows or cells; only the two extra tables, whose
    // faults are structural, are rejected as a whole.
    let accepted: Vec<&str> = ds
        .report()
        .tables
        .iter()
        .filter(|t| t.accepted)
        .map(|t| t.file.as_str())
        .collect();
    assert_eq!(
        accepted,
        vec![
            "grades.csv",
            "observations.csv",
            "organisations.csv",
            "students.csv",
            "surveys.csv"
        ]
    );
}
