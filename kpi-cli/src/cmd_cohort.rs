//! `kpi cohort`: the reconstructed cohort of a school, college or programme
//! (UNESCO method; `docs/methods.md`, "Cohort analysis").

use super::cmd_analysis::{full, num};
use anyhow::Result;
use clap::Args;
use kpi_engine::{CohortReport, Engine};
use kpi_model::academic_year_label;
use kpi_model::i18n::Lang;
use kpi_stats::Computed;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kpi cohort`.
#[derive(Args)]
pub struct CohortArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// The organisation (its org_id).
    #[arg(long)]
    pub org: String,
    /// A programme of the organisation (its code).
    #[arg(long)]
    pub programme: Option<String>,
    /// The year of the grade rates (enrolment that year against the next); default: the last year with a next year in the data.
    #[arg(long, value_parser = super::common::academic_year)]
    pub entry_year: Option<i32>,
    /// Language of the summary sentence: kk, ru, en or ky.
    #[arg(long, default_value = "kk")]
    pub lang: String,
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

/// The CSV columns of `kpi cohort`: one row per measure (and grade), full precision.
pub const COHORT_CSV_COLUMNS: [&str; 4] = ["measure", "grade", "value", "not_computable"];

pub fn cohort(args: CohortArgs) -> Result<ExitCode> {
    super::cmd_analysis::with_engine(
        &args.data,
        &args.format,
        &["table", "csv", "json"],
        &args.lang,
        |engine, format, lang, out| run_cohort(engine, &args, format, lang, out),
    )
}

/// The rows of the CSV: `(measure, grade, value or why not)`.
fn csv_rows(report: &CohortReport) -> Vec<(&'static str, String, Computed<f64>)> {
    let mut rows = Vec::new();
    let flow = match &report.flow {
        Ok(f) => f,
        Err(e) => {
            rows.push(("flow", String::new(), Err(e.clone())));
            return rows;
        }
    };
    if let Ok(c) = &report.counts {
        for i in 0..c.enrolment.len() {
            let g = (i + 1).to_string();
            for (m, v) in [
                ("enrolment", c.enrolment.get(i)),
                ("enrolment_next_year", c.enrolment_next.get(i)),
                ("repeaters_next_year", c.repeaters_next.get(i)),
            ] {
                if let Some(v) = v {
                    rows.push((m, g.clone(), Ok(*v)));
                }
            }
        }
        rows.push(("graduates_in_year", String::new(), Ok(c.graduates)));
    }
    for f in &flow.by_grade {
        let g = f.grade.to_string();
        for (m, v) in [
            ("promotion_rate", f.rates.promotion),
            ("repetition_rate", f.rates.repetition),
            ("dropout_rate", f.rates.dropout),
            ("entrants", f.entrants),
            ("survival_rate", f.survival_rate),
            ("pupil_years", f.pupil_years),
            ("repeated_years", f.repeated_years),
            ("promoted", f.promoted),
            ("dropouts", f.dropouts),
            ("forced_dropouts", f.forced_dropouts),
        ] {
            rows.push((m, g.clone(), Ok(v)));
        }
    }
    for (m, v) in [
        ("cohort_size", Ok(flow.cohort_size)),
        ("survival_to_last_grade", Ok(flow.survival_to_last_grade)),
        ("graduates", Ok(flow.graduates)),
        ("completion_rate", Ok(flow.completion_rate)),
        ("dropouts", Ok(flow.dropouts)),
        ("pupil_years", Ok(flow.pupil_years)),
        ("pupil_years_graduates", Ok(flow.pupil_years_graduates)),
        ("pupil_years_dropouts", Ok(flow.pupil_years_dropouts)),
        ("pupil_years_repeated", Ok(flow.pupil_years_repeated)),
        (
            "pupil_years_per_graduate",
            flow.pupil_years_per_graduate.clone(),
        ),
        (
            "average_years_to_graduate",
            flow.average_years_to_graduate.clone(),
        ),
        (
            "coefficient_of_efficiency",
            flow.coefficient_of_efficiency.clone(),
        ),
        ("input_output_ratio", flow.input_output_ratio.clone()),
    ] {
        rows.push((m, String::new(), v));
    }
    rows
}

/// Writes the reconstructed cohort of one organisation or programme.
pub fn run_cohort(
    engine: &Engine,
    args: &CohortArgs,
    format: &str,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<()> {
    super::common::org_of(engine.dataset(), "--org", &args.org)?;
    let report = engine.cohort(&args.org, args.programme.as_deref(), args.entry_year)?;
    if format == "json" {
        serde_json::to_writer_pretty(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    if format == "csv" {
        let mut w = csv::Writer::from_writer(&mut *out);
        w.write_record(COHORT_CSV_COLUMNS)?;
        for (measure, grade, value) in csv_rows(&report) {
            let (v, why) = match value {
                Ok(v) => (full(Some(v)), String::new()),
                Err(e) => (String::new(), e.to_string()),
            };
            w.write_record([measure.to_string(), grade, v, why])?;
        }
        w.flush()?;
        return Ok(());
    }
    let org = engine.org(&args.org)?;
    let name = engine.dataset().org(org).display_name(lang);
    let programme = report
        .programme
        .as_deref()
        .map(|p| format!(" · {p}"))
        .unwrap_or_default();
    writeln!(
        out,
        "{} ({}){programme} · rates of {}",
        name,
        report.org_id,
        academic_year_label(report.year)
    )?;
    if let Ok(flow) = &report.flow {
        let names = report
            .counts
            .as_ref()
            .map(|c| c.grade_names.clone())
            .unwrap_or_default();
        writeln!(
            out,
            "{:<12} {:>9} {:>9} {:>9} {:>10} {:>9} {:>11} {:>10}",
            "grade",
            "promotion",
            "repeat",
            "dropout",
            "entrants",
            "survival",
            "pupil-years",
            "dropouts"
        )?;
        for f in &flow.by_grade {
            let label = names
                .get(f.grade - 1)
                .cloned()
                .unwrap_or_else(|| f.grade.to_string());
            writeln!(
                out,
                "{:<12} {:>9.4} {:>9.4} {:>9.4} {:>10.1} {:>9.4} {:>11.1} {:>10.1}",
                label,
                f.rates.promotion,
                f.rates.repetition,
                f.rates.dropout,
                f.entrants,
                f.survival_rate,
                f.pupil_years,
                f.dropouts
            )?;
        }
        let shown = |c: &Computed<f64>| match c {
            Ok(v) => num(Some((v * 10_000.0).round() / 10_000.0)),
            Err(e) => format!("not computable ({e})"),
        };
        writeln!(
            out,
            "graduates {:.1} of {}; survival to the last grade {:.4}; pupil-years {:.1}; per graduate {}; coefficient of efficiency {}",
            flow.graduates,
            flow.cohort_size,
            flow.survival_to_last_grade,
            flow.pupil_years,
            shown(&flow.pupil_years_per_graduate),
            shown(&flow.coefficient_of_efficiency)
        )?;
    }
    writeln!(out, "{}", report.summary.get(lang))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_indicators::Catalogue;
    use kpi_model::{DatasetBuilder, Level};
    use kpi_risk::CriteriaSet;

    /// The school of `tests/golden/cohort_reference.py`: grades 1–3 in 2022
    /// and 2023, repeaters in 2023, 80 graduates in 2022; without the
    /// repeaters of grade 2 when `gap`.
    fn engine(gap: bool) -> Engine {
        let mut b = DatasetBuilder::new(2022, 2023).org("S1", Level::School, "Astana");
        for (g, e22, e23, r23) in [
            ("grade_1", 100.0, 110.0, 4.0),
            ("grade_2", 95.0, 93.0, 3.0),
            ("grade_3", 90.0, 94.0, 5.0),
        ] {
            b = b
                .value("S1", None, 2022, &format!("students_enrolled.{g}"), e22)
                .value("S1", None, 2023, &format!("students_enrolled.{g}"), e23);
            if !(gap && g == "grade_2") {
                b = b.value("S1", None, 2023, &format!("repeaters.{g}"), r23);
            }
        }
        let ds = b.value("S1", None, 2022, "graduates", 80.0).build();
        let report = ds.report().clone();
        Engine::new(ds, report, Catalogue::builtin(), CriteriaSet::builtin())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn args(format: &str) -> CohortArgs {
        CohortArgs {
            data: vec![],
            org: "S1".into(),
            programme: None,
            entry_year: None,
            lang: "kk".into(),
            format: format.into(),
        }
    }

    fn run(engine: &Engine, args: &CohortArgs, lang: Lang) -> Result<String> {
        let mut out = Vec::new();
        run_cohort(engine, args, &args.format, lang, &mut out)?;
        Ok(String::from_utf8(out).unwrap_or_default())
    }

    /// Values from `python3 tests/golden/cohort_reference.py` (every path
    /// enumerated with exact fractions).
    #[test]
    fn cohort_csv_matches_the_independent_reference() {
        let text = run(&engine(false), &args("csv"), Lang::Kk).unwrap_or_else(|e| panic!("{e}"));
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("measure,grade,value,not_computable"));
        let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
        let get = |m: &str, g: &str| -> f64 {
            rows.iter()
                .find(|r| r[0] == m && r[1] == g)
                .and_then(|r| r[2].parse().ok())
                .unwrap_or_else(|| panic!("no {m} {g} in\n{text}"))
        };
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
        for (m, g, want) in [
            ("promotion_rate", "1", 0.9),
            ("promotion_rate", "2", 0.9368421052631579),
            ("promotion_rate", "3", 0.8888888888888888),
            ("repetition_rate", "1", 0.04),
            ("dropout_rate", "1", 0.06),
            ("dropout_rate", "2", 0.031578947368421054),
            ("survival_rate", "2", 0.9374976),
            ("survival_rate", "3", 0.9069261241774977),
            ("survival_to_last_grade", "", 0.9069261241774977),
            ("graduates", "", 853.5693974692956),
            ("pupil_years", "", 2969.9967833536575),
            ("pupil_years_per_graduate", "", 3.479502419087715),
            ("average_years_to_graduate", "", 3.1330465695198564),
            ("coefficient_of_efficiency", "", 0.862192244368827),
            ("enrolment_next_year", "3", 94.0),
            ("graduates_in_year", "", 80.0),
        ] {
            assert!(close(get(m, g), want), "{m} {g}: {} vs {want}", get(m, g));
        }
        // Full precision: the shortest round-trip, not 4–6 decimals.
        let coe = rows
            .iter()
            .find(|r| r[0] == "coefficient_of_efficiency")
            .map(|r| r[2])
            .unwrap_or_default();
        assert!(coe.len() > 12, "{coe}");
    }

    #[test]
    fn cohort_table_ends_with_the_sentence_in_the_language() {
        let e = engine(false);
        let kk = run(&e, &args("table"), Lang::Kk).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            kk.trim_end().ends_with(
                "2022–2023 көрсеткіштерімен түсушілердің 90,7%-ы соңғы оқу жылына (3 жыл) жетеді. 1\u{a0}000 оқушыдан 854 түлек шығады; бір түлекке 3,5 оқушы-жыл жұмсалады (тиімділік коэффициенті 0,86)."
            ),
            "{kk}"
        );
        assert!(kk.contains("coefficient of efficiency 0.8622"), "{kk}");
        let en = run(&e, &args("table"), Lang::En).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            en.contains("With the rates of 2022–2023, 90.7% of entrants reach the last year of study (3 years)."),
            "{en}"
        );
        let ru = run(&e, &args("table"), Lang::Ru).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            ru.contains("При показателях 2022–2023 до последнего года обучения (3 года) доходят 90,7% поступивших."),
            "{ru}"
        );
    }

    #[test]
    fn missing_counts_are_not_computable_with_the_reason() {
        let e = engine(true);
        let csv = run(&e, &args("csv"), Lang::En).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(csv.lines().count(), 2, "{csv}");
        assert!(
            csv.contains("flow,,,") && csv.contains("repeaters.grade_2 in 2023–2024"),
            "{csv}"
        );
        let json = run(&e, &args("json"), Lang::En).unwrap_or_else(|e| panic!("{e}"));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert!(v["flow"]["not_computable"].is_object(), "{json}");
        assert_eq!(v["org_id"], "S1");
        let en = run(&e, &args("table"), Lang::En).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            en.contains("The cohort cannot be reconstructed with the rates of 2022–2023:"),
            "{en}"
        );
    }

    #[test]
    fn unknown_org_and_year_without_a_next_year_are_errors() {
        let e = engine(false);
        let bad_org = CohortArgs {
            org: "S2".into(),
            ..args("csv")
        };
        assert!(run(&e, &bad_org, Lang::En).is_err());
        let last_year = CohortArgs {
            entry_year: Some(2023),
            ..args("csv")
        };
        let err = run(&e, &last_year, Lang::En)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("the entry year may be only 2022"), "{err}");
    }
}
