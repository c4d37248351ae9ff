//! `kpi students --at-risk`: students flagged at academic risk, with the
//! reason of each flag. Private, record-level output: never published.

use super::cmd_analysis::{check_format, full, load_engine, parse_lang};
use super::cmd_indicators::open_output;
use anyhow::{bail, Result};
use clap::Args;
use kpi_engine::Engine;
use kpi_model::academic_year_label;
use kpi_model::i18n::Lang;
use kpi_risk::StudentFlag;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kpi students`.
#[derive(Args)]
pub struct StudentsArgs {
    /// Files or folders of the dataset (with the grades and students tables).
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// List the students flagged at academic risk (GPA below the transfer threshold, FX/F grades, credits below plan, a GPA drop), one row per flag with its reason. Required: it is the only listing.
    #[arg(long)]
    pub at_risk: bool,
    /// Only this organisation (its org_id).
    #[arg(long)]
    pub org: Option<String>,
    /// Only this year (first calendar year of the academic year, e.g. 2023).
    #[arg(long, value_parser = super::common::academic_year)]
    pub year: Option<i32>,
    /// Language of the reasons and the notice: kk, ru, en or ky.
    #[arg(long, default_value = "kk")]
    pub lang: String,
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

/// The CSV columns of `kpi students --at-risk`: one row per flag, full precision.
/// `value` and `reference` are: GPA and threshold (`gpa_below_transfer`),
/// courses failed and nothing (`failed_courses`), credits earned and
/// planned (`credits_below_plan`), this and the previous term's GPA (`gpa_drop`).
pub const STUDENTS_CSV_COLUMNS: [&str; 10] = [
    "student_id",
    "org_id",
    "programme",
    "year",
    "term",
    "gpa",
    "flag",
    "value",
    "reference",
    "reason",
];

pub fn students(args: StudentsArgs) -> Result<ExitCode> {
    let format = check_format(&args.format, &["table", "csv", "json"])?;
    let lang = parse_lang(&args.lang)?;
    if !args.at_risk {
        bail!("kpi students lists only the students at academic risk: add --at-risk");
    }
    if crate::common::data_engine() != crate::common::DataEngine::Memory {
        bail!("kpi students reads the student records themselves, which the DataFusion engine aggregates without keeping: run it with --engine memory");
    }
    let engine = load_engine(&args.data)?;
    if format != "table" {
        eprintln!("{}", kpi_engine::private_notice().get(lang));
    }
    let mut out = open_output(None)?;
    run_students(&engine, &args, &format, lang, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The code, value and reference of a flag.
fn flag_fields(flag: &StudentFlag) -> (&'static str, Option<f64>, Option<f64>) {
    match flag {
        StudentFlag::GpaBelowTransfer { gpa, threshold } => {
            ("gpa_below_transfer", Some(*gpa), Some(*threshold))
        }
        StudentFlag::FailedCourses { count } => ("failed_courses", Some(f64::from(*count)), None),
        StudentFlag::CreditsBelowPlan { earned, planned } => {
            ("credits_below_plan", Some(*earned), Some(*planned))
        }
        StudentFlag::GpaDrop { from, to } => ("gpa_drop", Some(*to), Some(*from)),
    }
}

/// Writes the students flagged at academic risk.
pub fn run_students(
    engine: &Engine,
    args: &StudentsArgs,
    format: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(org) = &args.org {
        super::common::org_of(engine.dataset(), "--org", org)?;
    }
    let report = engine.students_at_risk(args.org.as_deref(), args.year)?;
    if format == "json" {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    if format == "csv" {
        let mut w = csv::Writer::from_writer(&mut *out);
        w.write_record(STUDENTS_CSV_COLUMNS)?;
        for s in &report.students {
            for (flag, reason) in s.flags.iter().zip(&s.reasons) {
                let (code, value, reference) = flag_fields(flag);
                w.write_record([
                    s.student_id.clone(),
                    s.org_id.clone(),
                    s.programme.clone().unwrap_or_default(),
                    s.year.to_string(),
                    s.term.to_string(),
                    full(s.gpa),
                    code.to_string(),
                    full(value),
                    full(reference),
                    reason.get(lang).to_string(),
                ])?;
            }
        }
        w.flush()?;
        return Ok(());
    }
    writeln!(out, "{}", report.notice.get(lang))?;
    writeln!(
        out,
        "{} of {} student terms flagged",
        report.students.len(),
        report.terms_checked
    )?;
    for s in &report.students {
        let gpa = s
            .gpa
            .map(|g| format!("{g:.2}"))
            .unwrap_or_else(|| "—".into());
        writeln!(
            out,
            "{} · {}{} · {} term {} · GPA {gpa}",
            s.student_id,
            s.org_id,
            s.programme
                .as_deref()
                .map(|p| format!(" · {p}"))
                .unwrap_or_default(),
            academic_year_label(s.year),
            s.term
        )?;
        for reason in &s.reasons {
            writeln!(out, "    - {}", reason.get(lang))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_indicators::Catalogue;
    use kpi_model::metrics::MetricRegistry;
    use kpi_model::{
        Dataset, DatasetParts, Level, MetricStore, OrgIdx, Organisation, Programme, StudentRecord,
        StudentStatus, StudentTable, TermResult, UnitId, YearSpan,
    };
    use kpi_risk::CriteriaSet;

    fn org(id: &str) -> Organisation {
        Organisation {
            id: id.into(),
            name: id.into(),
            name_kk: None,
            name_ru: None,
            name_en: None,
            level: Level::University,
            region: "Astana".into(),
            ownership: None,
            locality: None,
        }
    }

    fn term(
        student: u32,
        org: u32,
        year: i32,
        term: u8,
        gpa: f64,
        failed: u32,
        passed: f64,
    ) -> TermResult {
        TermResult {
            student,
            org: OrgIdx(org),
            year,
            term,
            credits: 30.0,
            weighted_points: 30.0 * gpa,
            failed_courses: failed,
            courses: 5,
            credits_passed: passed,
        }
    }

    fn record(student: u32, course: u8) -> StudentRecord {
        StudentRecord {
            student,
            org: OrgIdx(0),
            unit: UnitId(2),
            year: 2023,
            course,
            status: StudentStatus::Enrolled,
            gpa: None,
            credits_earned: None,
            funding: None,
            employed: None,
            further_study: None,
        }
    }

    /// U1 with bachelor programme 6B01101 (unit 2) and U2. Default rules:
    /// bachelor transfer thresholds 1.33, 1.67, 2.00 by course, 30 credits a
    /// term, a GPA drop of more than 0.5.
    /// - ST1, course 2 of 6B01101, 2023: term 1 GPA 1.5, 1 FX/F, 24 credits
    ///   passed → below 1.67, 1 failed, 24 of 30; term 2 GPA 0.9, 2 failed, 18
    ///   credits → below 1.67, 2 failed, 18 of 30, and 1.5 − 0.9 = 0.6 > 0.5.
    /// - ST2, course 1, 2023 term 1: GPA 3.0, none failed, 30 credits → no flag.
    /// - ST3 of U2, 2022 term 1 (no record, so no course): GPA 2.0, 27 credits → 27 of 30.
    fn engine() -> Engine {
        let ds = Dataset::from_parts(DatasetParts {
            organisations: vec![org("U1"), org("U2")],
            programmes: vec![Programme {
                org: OrgIdx(0),
                code: "6B01101".into(),
            }],
            metrics: MetricRegistry::builtin(),
            store: MetricStore::new(YearSpan::new(2022, 2023), 3),
            students: StudentTable {
                ids: vec!["ST1".into(), "ST2".into(), "ST3".into()],
                records: vec![record(0, 2), record(1, 1)],
            },
            terms: vec![
                term(2, 1, 2022, 1, 2.0, 0, 27.0),
                term(0, 0, 2023, 2, 0.9, 2, 18.0),
                term(1, 0, 2023, 1, 3.0, 0, 30.0),
                term(0, 0, 2023, 1, 1.5, 1, 24.0),
            ],
            report: Default::default(),
        });
        let report = ds.report().clone();
        Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn args(format: &str) -> StudentsArgs {
        StudentsArgs {
            data: vec![],
            at_risk: true,
            org: None,
            year: None,
            lang: "kk".into(),
            format: format.into(),
        }
    }

    fn run(engine: &Engine, args: &StudentsArgs, lang: Lang) -> Result<String> {
        let mut out = Vec::new();
        run_students(engine, args, &args.format, lang, &mut out)?;
        Ok(String::from_utf8(out).unwrap_or_default())
    }

    #[test]
    fn every_flag_with_its_values_and_reason() {
        let e = engine();
        let csv = run(&e, &args("csv"), Lang::En).unwrap_or_else(|e| panic!("{e}"));
        let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
        assert_eq!(rows[0], STUDENTS_CSV_COLUMNS);
        let got: Vec<[&str; 9]> = rows[1..]
            .iter()
            .map(|r| [r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]])
            .collect();
        assert_eq!(
            got,
            [
                [
                    "ST1",
                    "U1",
                    "6B01101",
                    "2023",
                    "1",
                    "1.5",
                    "gpa_below_transfer",
                    "1.5",
                    "1.67"
                ],
                [
                    "ST1",
                    "U1",
                    "6B01101",
                    "2023",
                    "1",
                    "1.5",
                    "failed_courses",
                    "1",
                    ""
                ],
                [
                    "ST1",
                    "U1",
                    "6B01101",
                    "2023",
                    "1",
                    "1.5",
                    "credits_below_plan",
                    "24",
                    "30"
                ],
                [
                    "ST1",
                    "U1",
                    "6B01101",
                    "2023",
                    "2",
                    "0.9",
                    "gpa_below_transfer",
                    "0.9",
                    "1.67"
                ],
                [
                    "ST1",
                    "U1",
                    "6B01101",
                    "2023",
                    "2",
                    "0.9",
                    "failed_courses",
                    "2",
                    ""
                ],
                [
                    "ST1",
                    "U1",
                    "6B01101",
                    "2023",
                    "2",
                    "0.9",
                    "credits_below_plan",
                    "18",
                    "30"
                ],
                ["ST1", "U1", "6B01101", "2023", "2", "0.9", "gpa_drop", "0.9", "1.5"],
                [
                    "ST3",
                    "U2",
                    "",
                    "2022",
                    "1",
                    "2",
                    "credits_below_plan",
                    "27",
                    "30"
                ],
            ]
        );
        assert!(
            csv.contains(",GPA 1.50 is below the transfer threshold of 1.67\n"),
            "{csv}"
        );
        assert!(csv.contains(",term GPA fell from 1.50 to 0.90\n"), "{csv}");
        let json = run(&e, &args("json"), Lang::En).unwrap_or_else(|e| panic!("{e}"));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(v["terms_checked"], 4);
        assert_eq!(v["students"][1]["flags"][3]["flag"], "gpa_drop");
        assert_eq!(
            v["students"][1]["reasons"][1]["ru"],
            "2 дисциплины с оценкой FX или F"
        );
        assert!(v["notice"]["kk"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Құпия"));
    }

    #[test]
    fn filters_and_the_private_notice() {
        let e = engine();
        let u1 = StudentsArgs {
            org: Some("U1".into()),
            ..args("table")
        };
        let table = run(&e, &u1, Lang::Kk).unwrap_or_else(|e| panic!("{e}"));
        assert!(table.starts_with("Құпия:"), "{table}");
        assert!(table.contains("2 of 3 student terms flagged"), "{table}");
        assert!(
            table.contains("    - семестрлік GPA төмендеді: 1,50 → 0,90"),
            "{table}"
        );
        assert!(!table.contains("ST3"), "{table}");
        let y2022 = StudentsArgs {
            year: Some(2022),
            ..args("csv")
        };
        let csv = run(&e, &y2022, Lang::Ru).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(csv.lines().count(), 2, "{csv}");
        assert!(
            csv.contains(
                "ST3,U2,,2022,1,2,credits_below_plan,27,30,освоено кредитов: 27 из 30 по плану\n"
            ),
            "{csv}"
        );
        let bad = StudentsArgs {
            org: Some("U9".into()),
            ..args("csv")
        };
        assert!(run(&e, &bad, Lang::En).is_err());
    }
}
