//! `kpi validate`, `kpi inspect` and `kpi quality` run as the user runs them.

mod common;

use common::{demo, fixtures, kpi, text};

#[test]
fn validate_clean_dataset_exits_0() {
    let good = fixtures().join("good");
    let out = kpi(&["validate", good.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(
        stdout,
        "0 errors, 0 warnings in 5 tables: 5 accepted, 0 rejected\n"
    );
    // Piped: no progress bar on stderr.
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn validate_reports_file_row_column_and_exits_1() {
    let good = fixtures().join("good");
    let bad = fixtures().join("bad/bad_values.csv");
    let out = kpi(&["validate", good.to_str().unwrap(), bad.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    let bad = bad.display().to_string();
    assert_eq!(
        lines[0],
        format!("{bad}:3:teachers_total: error: cannot read the value as a number: this value is not loaded (the rest of the row is) (found \"thirty\", expected a number (decimal point: the separator is a comma))")
    );
    assert_eq!(
        lines[1],
        format!("{bad}:4:year: error: year 1890 is outside 1990–2100 (found \"1890\", expected a year between 1990 and 2100)")
    );
    // S1's 2023 enrolment is also in the good observations table.
    assert_eq!(
        lines[2],
        format!("{bad}:3:org_id: error: org `S1`, year 2023, metric `students_enrolled` is already given by another observations table: this value (420) is not loaded (expected one value per org_id, year, metric and programme)")
    );
    // Row 2 of the bad table loads: only row 4 and two cells of row 3 are lost.
    assert_eq!(
        lines[3],
        "3 errors, 0 warnings in 6 tables: 6 accepted (1 row and 2 cells rejected in them), 0 rejected"
    );
    assert_eq!(lines.len(), 4);
    // Everything is on stdout: no summary line on stderr.
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn strict_validate_rejects_the_table() {
    let good = fixtures().join("good");
    let bad = fixtures().join("bad/bad_values.csv");
    let out = kpi(&[
        "validate",
        "--strict",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let bad = bad.display().to_string();
    assert!(
        stdout.contains(&format!(
            "{bad}: rejected: nothing from this table is loaded"
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("3 errors, 0 warnings in 6 tables: 5 accepted, 1 rejected\n"),
        "{stdout}"
    );
}

#[test]
fn analysis_commands_say_what_was_rejected_and_exit_3_when_a_table_was() {
    let good = fixtures().join("good");
    let bad = fixtures().join("bad/bad_values.csv");
    let (g, b) = (good.to_str().unwrap(), bad.to_str().unwrap());
    // Rows and cells rejected: answers from the rest, one line on stderr, exit 0.
    let out = kpi(&["indicators", g, b, "--year", "2023-2024", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "kpi: 1 row rejected, 2 cells rejected: run `kpi validate` for where and why\n"
    );
    assert!(text(&out.stdout).starts_with("org_id,"));
    // A whole table rejected (strict): the same line, and exit 3.
    let out = kpi(&["indicators", "--strict", g, b, "--year", "2023"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "kpi: 1 table rejected: run `kpi validate` for where and why\n"
    );
    // A year written as an academic year with an en dash is accepted too.
    let out = kpi(&["indicators", g, "--year", "2023–2024", "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = kpi(&["indicators", g, "--year", "next year"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is not a year"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn inspect_lists_tables_levels_regions_years_and_metrics() {
    let good = fixtures().join("good");
    let out = kpi(&["inspect", good.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Organisations: 2"), "{stdout}");
    // Abai region: one school; Almaty: one university.
    let row = |region: &str| {
        stdout
            .lines()
            .find(|l| l.trim_start().starts_with(region))
            .map(|l| l.split_whitespace().rev().take(4).collect::<Vec<_>>())
    };
    assert_eq!(row("Abai region"), Some(vec!["0", "0", "1", "0"]));
    assert_eq!(row("Almaty"), Some(vec!["1", "0", "0", "0"]));
    assert!(stdout.contains("Years: 2022–2023 (2 years)"), "{stdout}");
    assert!(stdout.contains("Student records: 8 (8 students); term results from grades: 2"));
    // students_enrolled: U1 2022, S1 2023 given; U1 2023 and its programme derived = 4 values.
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("students_enrolled "))
        .unwrap();
    assert_eq!(line.split_whitespace().nth(1), Some("4"), "{line}");
    assert!(stdout.contains("Metrics missing:"), "{stdout}");
    assert!(stdout.contains("capacity"), "capacity is missing: {stdout}");
}

#[test]
fn quality_writes_the_report_files() {
    let good = fixtures().join("good");
    let bad = fixtures().join("bad/bad_values.csv");
    let out_dir = std::env::temp_dir().join(format!("kpi-quality-{}", std::process::id()));
    let out = kpi(&[
        "quality",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let rejected = std::fs::read_to_string(out_dir.join("rejected_bad_values.csv")).unwrap();
    assert_eq!(
        rejected,
        "org_id,year,students_enrolled,teachers_total,reason\n\
         S1,1890,10,1,year: year 1890 is outside 1990–2100\n"
    );
    let completeness = std::fs::read_to_string(out_dir.join("completeness.csv")).unwrap();
    // teachers_fte for schools: S1 has it in 2023, not in 2022 (1 school).
    assert!(
        completeness.contains("teachers_fte,school,2022,0,1,0.0000\n"),
        "{completeness}"
    );
    assert!(
        completeness.contains("teachers_fte,school,2023,1,1,1.0000\n"),
        "{completeness}"
    );
    std::fs::remove_dir_all(&out_dir).ok();
}

#[test]
fn limits_file_applies_to_every_load() {
    let dir = std::env::temp_dir().join(format!("kpi-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let limits = dir.join("limits.toml");
    // The good fixture's observations table is wider than 3 columns.
    std::fs::write(&limits, "max_columns = 3\n").unwrap();
    let good = fixtures().join("good");
    let out = kpi(&[
        "--limits",
        limits.to_str().unwrap(),
        "validate",
        good.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("more than the limit of 3"), "{stdout}");
    // The global option also works after the subcommand.
    let out = kpi(&[
        "validate",
        good.to_str().unwrap(),
        "--limits",
        limits.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    // A misspelt limit stops the run with the file named.
    std::fs::write(&limits, "max_colums = 3\n").unwrap();
    let out = kpi(&[
        "--limits",
        limits.to_str().unwrap(),
        "inspect",
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("limits.toml") && stderr.contains("unknown limit `max_colums`"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn formula_limits_of_the_limits_file_apply_to_user_catalogues() {
    let dir = std::env::temp_dir().join(format!("kpi-flimits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let catalogue = dir.join("mine.toml");
    // (a + b) nests two levels: fine by default, refused with max_depth = 1.
    std::fs::write(
        &catalogue,
        "[[indicator]]\ncode = \"mine\"\nfamily = \"input\"\nlevels = [\"school\"]\n\
         formula = \"(teachers_total + students_enrolled) / 2\"\nunit = \"count\"\n\
         direction = \"higher\"\nname = { en = \"Mine\" }\n",
    )
    .unwrap();
    let limits = dir.join("limits.toml");
    std::fs::write(&limits, "[formula]\nmax_depth = 1\n").unwrap();
    let good = fixtures().join("good");
    let run = |with_limits: bool| {
        let mut args = Vec::new();
        if with_limits {
            args.extend(["--limits", limits.to_str().unwrap()]);
        }
        args.extend([
            "indicators",
            good.to_str().unwrap(),
            "--catalogue",
            catalogue.to_str().unwrap(),
            "--indicator",
            "mine",
            "--format",
            "csv",
        ]);
        kpi(&args)
    };
    let out = run(false);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let out = run(true);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("mine.toml") && stderr.contains("nests more than 1 level"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_user_formula_naming_an_unknown_metric_is_an_error_with_a_suggestion() {
    let good = fixtures().join("good");
    let file = std::env::temp_dir().join(format!("kpi-cat-{}.toml", std::process::id()));
    std::fs::write(
        &file,
        "[[indicator]]\ncode = \"pupils_per_pc\"\nfamily = \"input\"\nlevels = [\"school\"]\nformula = \"students_enroled / computers\"\nunit = \"ratio\"\ndirection = \"lower\"\nname = { en = \"Pupils per PC\" }\n",
    )
    .unwrap();
    let out = kpi(&[
        "indicators",
        good.to_str().unwrap(),
        "--catalogue",
        file.to_str().unwrap(),
    ]);
    std::fs::remove_file(&file).ok();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("pupils_per_pc") && stderr.contains("reads metric `students_enroled`, which is neither in the metric dictionary nor in the data (did you mean `students_enrolled`?)"),
        "{stderr}"
    );
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    let demo = demo();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(["indicators", demo.as_str(), "--format", "csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line's worth, then go away, as `| head -1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn publish_writes_an_aggregate_bundle_without_record_ids() {
    let demo = demo();
    let out_dir = std::env::temp_dir().join(format!("kpi-bundle-{}", std::process::id()));
    let out = kpi(&[
        "publish",
        demo.as_str(),
        "--out",
        out_dir.to_str().unwrap(),
        "--level",
        "колледж",
        "--indicators",
        "employment_rate,dropout_rate",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("wrote "),
        "{}",
        text(&out.stdout)
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("manifest.json")).unwrap())
            .unwrap();
    let levels = manifest["levels"].as_array().unwrap();
    assert_eq!(levels.len(), 1);
    assert_eq!(levels[0]["level"], "college");
    assert_eq!(
        levels[0]["indicators"],
        serde_json::json!(["dropout_rate", "employment_rate"]) // catalogue order
    );
    assert!(out_dir
        .join("indicators/college/employment_rate.json")
        .exists());
    assert!(out_dir
        .join("indicators/college/dropout_rate.json")
        .exists());
    assert!(!out_dir.join("indicators/school").exists());
    assert!(!out_dir.join("indicators/college/gpa_mean.json").exists());
    // SHA256SUMS holds the hash of each file written, as `sha256sum -c` reads it.
    let sums = std::fs::read_to_string(out_dir.join("SHA256SUMS")).unwrap();
    assert_eq!(
        sums.lines().count() + 2,
        manifest["files"]["count"].as_u64().unwrap() as usize
    );
    let check = std::process::Command::new("sha256sum")
        .args(["-c", "--quiet", "SHA256SUMS"])
        .current_dir(&out_dir)
        .output();
    if let Ok(check) = check {
        assert!(check.status.success(), "{}", text(&check.stdout));
    }
    std::fs::remove_dir_all(&out_dir).ok();
}
