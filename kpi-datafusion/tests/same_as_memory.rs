//! Both engines give the same metric table and the same indicators (to 1e-9)
//! on the bundled sample (`demo/data`: students, grades, surveys,
//! observations), read as CSV and as Parquet; bad rows are rejected by both
//! with the file, row and column; and the comparison itself catches a
//! deliberate difference.

use kpi_datafusion::compare::compare;
use kpi_datafusion::{load, EngineOptions};
use kpi_import::{read_paths, LoadOptions};
use kpi_model::validate::{IssueCode, Severity};
use kpi_model::Dataset;
use kpi_sample::{record_batch_of_csv, write_columnar, ColumnarFormat};
use std::path::{Path, PathBuf};

mod common;
use common::{assert_same_demo, demo};

/// A fresh folder under the system's temporary folder.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kpi-df-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

fn in_memory(dir: &Path) -> Dataset {
    kpi_import::load(
        read_paths(&[dir]).expect("readable"),
        &LoadOptions::default(),
    )
}

/// The DataFusion engine under a small memory limit (the demo needs far less).
fn on_datafusion(dir: &Path) -> Dataset {
    let engine = EngineOptions {
        memory_limit: Some(256 << 20),
        spill_dir: None,
        partitions: 2,
        scheduler: None,
    };
    load(&[dir], &LoadOptions::default(), &engine).expect("the DataFusion engine runs")
}

#[test]
fn csv_records_give_the_in_memory_metric_table_and_indicators() {
    let memory = in_memory(&demo());
    let datafusion = on_datafusion(&demo());
    // The record tables were aggregated by DataFusion, not read in memory.
    assert!(datafusion.students().records.is_empty());
    assert!(!memory.students().records.is_empty());
    assert_same_demo(&memory, &datafusion);
}

#[test]
fn parquet_records_give_the_in_memory_metric_table_and_indicators() {
    let dir = scratch("parquet");
    for entry in std::fs::read_dir(demo()).expect("demo/data") {
        let path = entry.expect("an entry").path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let batch = record_batch_of_csv(&std::fs::read(&path).expect("read")).expect("CSV");
        let mut bytes = Vec::new();
        write_columnar(&batch, ColumnarFormat::Parquet, &mut bytes).expect("written");
        std::fs::write(dir.join(format!("{stem}.parquet")), bytes).expect("written");
    }
    let memory = in_memory(&demo());
    let datafusion = on_datafusion(&dir);
    assert!(datafusion.students().records.is_empty());
    assert_same_demo(&memory, &datafusion);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn without_observations_every_record_metric_comes_from_the_plans() {
    // Observations give many of the metrics records also give (and win over
    // them): without them, every record metric is the plans' own.
    let dir = scratch("records-alone");
    for f in [
        "organisations.csv",
        "grades.csv",
        "surveys.csv",
        "students.csv",
    ] {
        std::fs::copy(demo().join(f), dir.join(f)).expect("copied");
    }
    let memory = in_memory(&dir);
    let datafusion = on_datafusion(&dir);
    let c = compare(&memory, &datafusion, 1e-9);
    assert!(
        c.differences.is_empty(),
        "{:#?}",
        &c.differences[..c.differences.len().min(10)]
    );
    let table = kpi_datafusion::compare::metric_table(&datafusion);
    let count = |prefix: &str| table.keys().filter(|k| k.0.starts_with(prefix)).count();
    for metric in [
        "students_enrolled",
        "graduates",
        "gpa_mean",
        "gpa_below_threshold",
        "score_parents",
        "satisfaction_students",
    ] {
        assert!(count(metric) > 20, "{metric}: {} values", count(metric));
    }
    assert!(c.metric_cells > 2_000, "{} metric cells", c.metric_cells);
    std::fs::remove_dir_all(&dir).ok();
}

/// The demo with one line of students.csv changed by `edit`.
fn demo_with(name: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    demo_edited(name, |f, lines| {
        if f == "students.csv" {
            let text = edit(&(lines.join("\n") + "\n"));
            *lines = text.lines().map(str::to_string).collect();
        }
    })
}

#[test]
fn the_comparison_catches_a_deliberate_difference() {
    // One enrolled student of the first university made a graduate on the
    // DataFusion side only: its enrolment and graduate counts must differ.
    let dir = demo_with("different", |t| {
        t.replacen(
            "ST00000067,120640797220,2020,0902000,2,enrolled",
            "ST00000067,120640797220,2020,0902000,2,graduated",
            1,
        )
    });
    let memory = in_memory(&demo());
    let datafusion = on_datafusion(&dir);
    let c = compare(&memory, &datafusion, 1e-9);
    let differs = |what: &str, prog: &str| {
        c.differences.iter().find(|d| {
            d.key
                == (
                    what.to_string(),
                    "120640797220".to_string(),
                    prog.to_string(),
                    2020,
                )
        })
    };
    let enrolled = differs("students_enrolled", "").expect("students_enrolled differs");
    assert_eq!(
        enrolled.left.zip(enrolled.right).map(|(l, r)| l - r),
        Some(1.0)
    );
    assert!(differs("graduates", "0902000").is_some());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_rows_are_rejected_with_file_row_and_column_on_both_engines() {
    // Row 3 of students.csv (the second record) gets an unreadable year,
    // row 4 an unknown status.
    let dir = demo_with("bad", |t| {
        let mut lines: Vec<String> = t.lines().map(str::to_string).collect();
        let set = |line: &str, field: usize, value: &str| {
            let mut cells: Vec<&str> = line.split(',').collect();
            cells[field] = value;
            cells.join(",")
        };
        lines[2] = set(&lines[2], 2, "year?");
        lines[3] = set(&lines[3], 5, "on the moon");
        lines.join("\n") + "\n"
    });
    let located = |ds: &Dataset| {
        let mut v: Vec<(u64, String, String)> = ds
            .report()
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error && i.location.file.ends_with("students.csv"))
            .map(|i| {
                (
                    i.location.row.unwrap_or(0),
                    i.location.column.clone().unwrap_or_default(),
                    i.found.clone().unwrap_or_default(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let memory = in_memory(&dir);
    let datafusion = on_datafusion(&dir);
    let expected = vec![
        (3, "year".to_string(), "year?".to_string()),
        (4, "status".to_string(), "on the moon".to_string()),
    ];
    assert_eq!(located(&memory), expected);
    assert_eq!(located(&datafusion), expected);
    assert_eq!(students_rejected(&memory), Some(2));
    assert_eq!(students_rejected(&datafusion), Some(2));
    // Without the two rows, both engines still agree on every value.
    assert!(compare(&memory, &datafusion, 1e-9).differences.is_empty());
    std::fs::remove_dir_all(&dir).ok();
}

/// The demo with its record tables edited: `edit(file, lines)` changes the
/// lines of students.csv, grades.csv and surveys.csv (header first).
fn demo_edited(name: &str, edit: impl Fn(&str, &mut Vec<String>)) -> PathBuf {
    let dir = scratch(name);
    for f in [
        "organisations.csv",
        "observations.csv",
        "grades.csv",
        "surveys.csv",
        "students.csv",
    ] {
        let text = std::fs::read_to_string(demo().join(f)).expect("demo file");
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        edit(f, &mut lines);
        std::fs::write(dir.join(f), lines.join("\n") + "\n").expect("written");
    }
    dir
}

fn set_cell(line: &str, field: usize, value: &str) -> String {
    let mut cells: Vec<&str> = line.split(',').collect();
    cells[field] = value;
    cells.join(",")
}

/// An issue as both engines must report it.
type Located = (String, u64, String, String, Severity, String);

/// The located issues of the record files (file name, row, column, found,
/// severity, message), sorted. The message is compared for duplicates and
/// out-of-range values only: a rejected row's wording differs between the
/// engines (its file, row, column and value do not).
fn record_issues(ds: &Dataset) -> Vec<Located> {
    let mut v: Vec<Located> = ds
        .report()
        .issues
        .iter()
        .filter(|i| i.location.row.is_some())
        .filter_map(|i| {
            let file = Path::new(&i.location.file)
                .file_name()?
                .to_str()?
                .to_string();
            ["students.csv", "grades.csv", "surveys.csv"]
                .contains(&file.as_str())
                .then(|| {
                    (
                        file,
                        i.location.row.unwrap_or(0),
                        i.location.column.clone().unwrap_or_default(),
                        i.found.clone().unwrap_or_default(),
                        i.severity,
                        if matches!(i.code, IssueCode::DuplicateKey | IssueCode::OutOfRange) {
                            i.message.clone()
                        } else {
                            String::new()
                        },
                    )
                })
        })
        .collect();
    v.sort_by(|a, b| (&a.0, a.1, &a.5).cmp(&(&b.0, b.1, &b.5)));
    v
}

#[test]
fn duplicate_keys_and_out_of_range_values_give_the_same_issues_on_both_engines() {
    let dir = demo_edited("dups", |f, lines| match f {
        "students.csv" => {
            // Row 5: a GPA outside 0–4 (a warning, the row stands); row 6: a
            // GPA outside too, but the year cannot be read (rejected, no warning).
            lines[4] = set_cell(&lines[4], 6, "4.7");
            lines[5] = set_cell(&set_cell(&lines[5], 6, "9"), 2, "year?");
            // Row 2 again, as a graduate: the repeat is rejected, so it
            // must not count (the first row, enrolled, is kept).
            let again = set_cell(&lines[1], 5, "graduated");
            lines.push(again);
            // Row 3 twice more: each repeat names the row before it.
            let third = lines[2].clone();
            lines.push(third.clone());
            lines.push(third);
        }
        "grades.csv" => lines[3] = set_cell(&lines[3], 6, "120"),
        "surveys.csv" => {
            lines[4] = set_cell(&lines[4], 5, "7");
            lines[6] = set_cell(&lines[6], 5, "0");
        }
        _ => {}
    });
    let n = std::fs::read_to_string(demo().join("students.csv"))
        .expect("demo")
        .lines()
        .count() as u64;
    // Without observations, every record metric is the plans' own.
    std::fs::remove_file(dir.join("observations.csv")).expect("removed");
    let memory = in_memory(&dir);
    let datafusion = on_datafusion(&dir);
    let s = |row: u64, column: &str, found: &str, severity, message: &str| {
        (
            "students.csv".to_string(),
            row,
            column.to_string(),
            found.to_string(),
            severity,
            message.to_string(),
        )
    };
    let dup = |row: u64, year: i32, sid: &str, first: u64| {
        s(
            row,
            "student_id",
            "",
            Severity::Error,
            &format!(
                "student `{sid}` has two rows for year {year} (first at row {first}): \
                 this row is rejected, the first is kept"
            ),
        )
    };
    let mut expected: Vec<Located> = vec![
        (
            "grades.csv".into(),
            4,
            "score".into(),
            "120".into(),
            Severity::Warning,
            "a score outside 0–100 is not used".into(),
        ),
        s(
            5,
            "gpa",
            "4.7",
            Severity::Warning,
            "GPA outside 0–4 is not used",
        ),
        s(6, "year", "year?", Severity::Error, ""),
        dup(n + 1, 2020, "ST00000066", 2),
        dup(n + 2, 2020, "ST00000067", 3),
        dup(n + 3, 2020, "ST00000067", n + 2),
    ];
    for (row, found) in [(5, "7"), (7, "0")] {
        expected.push((
            "surveys.csv".into(),
            row,
            "score".into(),
            found.into(),
            Severity::Warning,
            "an answer outside the 1–5 scale is not counted".into(),
        ));
    }
    expected.sort_by(|a, b| (&a.0, a.1, &a.5).cmp(&(&b.0, b.1, &b.5)));
    assert_eq!(record_issues(&memory), expected);
    assert_eq!(record_issues(&datafusion), expected);
    assert_eq!(students_rejected(&memory), Some(4));
    assert_eq!(students_rejected(&datafusion), Some(4));
    // The repeats are not counted: both engines agree on every value, and
    // the repeated graduate did not become one.
    let c = compare(&memory, &datafusion, 1e-9);
    assert!(
        c.differences.is_empty(),
        "{:#?}",
        &c.differences[..c.differences.len().min(10)]
    );
    let text = std::fs::read_to_string(demo().join("students.csv")).expect("demo");
    let by_hand = text
        .lines()
        .filter(|l| {
            l.starts_with("ST") && l.contains(",120640797220,2020,") && l.contains(",graduated,")
        })
        .count() as f64;
    let org = datafusion
        .org_by_id("120640797220")
        .expect("the university");
    let graduates = datafusion.value(datafusion.org_unit(org), 2020, "graduates");
    assert_eq!(graduates, Some(by_hand));
    std::fs::remove_dir_all(&dir).ok();
}

/// How many rows of `students.csv` were rejected.
fn students_rejected(ds: &Dataset) -> Option<u64> {
    ds.report()
        .tables
        .iter()
        .find(|t| t.file.ends_with("students.csv"))
        .map(|t| t.rows_rejected)
}
