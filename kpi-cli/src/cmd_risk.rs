//! `kpi risk`.
//!
//! The logic takes a loaded [`Dataset`] and a writer ([`run_risk`]), so it is
//! tested without files; `risk` only loads and opens.

use super::cmd_indicators::{check_year, load_catalogue, open_output, parse_level};
use anyhow::{bail, Result};
use clap::Args;
use kpi_indicators::{compute, Catalogue};
use kpi_model::{academic_year_label, Dataset, Year};
use kpi_risk::{
    assess_orgs, assess_summary, AppliedThresholds, CriteriaSet, CriterionOutcome, IndicatorInputs,
    RiskAssessment, RiskFilter, RiskSummary,
};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `kpi risk`.
#[derive(Args)]
pub struct RiskArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// Only this year.
    #[arg(long, value_parser = crate::common::academic_year)]
    pub year: Option<i32>,
    /// Only this level.
    #[arg(long)]
    pub level: Option<String>,
    /// A criteria file replacing or extending the defaults.
    #[arg(long)]
    pub criteria: Option<PathBuf>,
    /// A user indicator catalogue file adding or overriding indicators.
    #[arg(long)]
    pub catalogue: Option<PathBuf>,
    /// Print the per-criterion breakdown of this organisation (by org_id).
    #[arg(long)]
    pub explain: Option<String>,
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table")]
    pub format: String,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// The CSV columns of `kpi risk`.
pub const RISK_CSV_COLUMNS: [&str; 6] = [
    "org_id",
    "year",
    "score",
    "degree",
    "computable_weight_share",
    "top_criterion",
];

/// The CSV columns of `kpi risk --explain ORG --format csv`.
pub const EXPLAIN_CSV_COLUMNS: [&str; 15] = [
    "org_id",
    "year",
    "criterion",
    "indicator",
    "value",
    "warn",
    "critical",
    "criterion_score",
    "weight",
    "contribution",
    "share_of_score",
    "gross",
    "not_computable",
    "warn_source",
    "critical_source",
];

/// The shipped criteria, changed by the user's file when given.
pub fn load_criteria(file: Option<&Path>) -> Result<CriteriaSet> {
    let builtin = CriteriaSet::builtin();
    let Some(path) = file else {
        return Ok(builtin);
    };
    let text = super::common::read_user_file(path, "criteria")?;
    Ok(builtin.with_user_file(&path.display().to_string(), &text)?)
}

/// The options of `kpi risk` once the dataset is loaded.
pub struct RiskQuery<'a> {
    pub year: Option<Year>,
    pub level: Option<&'a str>,
    pub explain: Option<&'a str>,
    pub format: &'a str,
    /// Where the criteria came from, for messages.
    pub criteria_file: &'a str,
}

/// Computes the indicators the criteria use, assesses every organisation
/// and year the query selects, and writes the result. Returns the number of
/// assessments written.
pub fn run_risk(
    dataset: &Dataset,
    catalogue: &Catalogue,
    criteria: &CriteriaSet,
    query: &RiskQuery<'_>,
    out: &mut dyn Write,
) -> Result<usize> {
    let format = query.format.trim().to_ascii_lowercase();
    if !matches!(format.as_str(), "table" | "csv" | "json") {
        bail!(
            "--format {:?}: expected one of table, csv, json",
            query.format
        );
    }
    criteria.check(query.criteria_file, |code| {
        catalogue.by_code(code).map(|d| d.direction)
    })?;
    let mut filter = RiskFilter::default();
    if let Some(year) = query.year {
        check_year(dataset, year)?;
        filter.years.push(year);
    }
    if let Some(level) = query.level {
        filter.levels.push(parse_level(level)?);
    }
    let explain = match query.explain {
        Some(id) => Some(super::common::org_of(dataset, "--explain", id)?),
        None => None,
    };
    // Only the indicators the criteria read are computed.
    let mut codes: Vec<&str> = criteria
        .criteria()
        .iter()
        .map(|c| c.indicator.as_str())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let used = catalogue.select(&codes)?;
    let table = compute(dataset, &used);
    let inputs = IndicatorInputs::new(&table);
    // Tables and CSV of many organisations need no explanation: the summary
    // is several times faster; one organisation or JSON get the full one.
    if explain.is_none() && format != "json" {
        let summary = assess_summary(dataset, &inputs, criteria, &filter);
        if format == "csv" {
            write_csv(dataset, criteria, &summary, out)?;
        } else {
            write_table(dataset, criteria, &summary, out)?;
        }
        out.flush()?;
        return Ok(summary.len());
    }
    let only = explain.map(|o| vec![o]);
    let risk = assess_orgs(dataset, &inputs, criteria, &filter, only.as_deref());
    let selected: Vec<&RiskAssessment> = risk.assessments.iter().collect();
    match (format.as_str(), explain.is_some()) {
        ("json", _) => {
            serde_json::to_writer_pretty(&mut *out, &selected)?;
            writeln!(out)?;
        }
        ("csv", _) => write_explain_csv(&selected, out)?,
        _ => write_explain_text(&selected, out)?,
    }
    out.flush()?;
    Ok(selected.len())
}

fn num(v: Option<f64>) -> String {
    // `+ 0.0` turns a negative zero into zero: "-0" is never printed.
    v.map(|x| (x + 0.0).to_string()).unwrap_or_default()
}

fn criterion_id(criteria: &CriteriaSet, i: Option<usize>) -> &str {
    i.and_then(|i| criteria.criteria().get(i))
        .map_or("", |c| c.id.as_str())
}

fn write_csv(
    dataset: &Dataset,
    criteria: &CriteriaSet,
    summary: &[RiskSummary],
    out: &mut dyn Write,
) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(RISK_CSV_COLUMNS)?;
    for a in summary {
        w.write_record([
            dataset.org(a.org).id.as_str(),
            &a.year.to_string(),
            &num(a.score),
            a.degree.code(),
            &num(Some(a.computable_weight_share)),
            criterion_id(criteria, a.top_criterion),
        ])?;
    }
    w.flush()?;
    Ok(())
}

fn write_table(
    dataset: &Dataset,
    criteria: &CriteriaSet,
    summary: &[RiskSummary],
    out: &mut dyn Write,
) -> Result<()> {
    writeln!(
        out,
        "{:<16} {:<40} {:<11} {:<9} {:>6}  {:<18} {:>9}  top criterion",
        "org_id", "name", "level", "year", "score", "degree", "data"
    )?;
    // Latest year first, then the highest risk first; not computable last.
    let mut rows: Vec<&RiskSummary> = summary.iter().collect();
    rows.sort_by(|a, b| {
        b.year.cmp(&a.year).then_with(|| match (a.score, b.score) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
    });
    for a in rows {
        let org = dataset.org(a.org);
        let name: String = org.name.chars().take(40).collect();
        writeln!(
            out,
            "{:<16} {:<40} {:<11} {:<9} {:>6}  {:<18} {:>8.0}%  {}",
            org.id,
            name,
            org.level.code(),
            academic_year_label(a.year),
            a.score
                .map(|s| format!("{s:.1}"))
                .unwrap_or_else(|| "—".into()),
            a.degree.code(),
            100.0 * a.computable_weight_share + 0.0,
            criterion_id(criteria, a.top_criterion)
        )?;
    }
    Ok(())
}

fn write_explain_csv(assessments: &[&RiskAssessment], out: &mut dyn Write) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(EXPLAIN_CSV_COLUMNS)?;
    for a in assessments {
        for c in &a.criteria {
            w.write_record([
                a.org_id.clone(),
                a.year.to_string(),
                c.id.clone(),
                c.indicator.clone(),
                num(c.value),
                num(c.thresholds.map(|t| t.warn)),
                num(c.thresholds.map(|t| t.critical)),
                num(c.score),
                c.weight.to_string(),
                num(c.score.map(|_| c.contribution)),
                num(c.share_of_score),
                c.gross.to_string(),
                c.not_computable
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                c.thresholds
                    .map(|t| threshold_source(&t, true))
                    .unwrap_or_default()
                    .to_string(),
                c.thresholds
                    .map(|t| threshold_source(&t, false))
                    .unwrap_or_default()
                    .to_string(),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Which thresholds the minimum gap set instead of the percentile, e.g.
/// "; warn and critical set by the minimum gap 2/5 from the peer median 98.4".
fn gap_note(t: &AppliedThresholds) -> String {
    let Some(g) = t.min_gap else {
        return String::new();
    };
    let which = match (g.warn_from_gap, g.critical_from_gap) {
        (true, true) => "warn and critical",
        (true, false) => "warn",
        (false, true) => "critical",
        (false, false) => return String::new(),
    };
    format!(
        "; {which} set by the minimum gap {}/{} from the peer median {:.4}",
        g.gap.warn, g.gap.critical, g.peer_median
    )
}

/// `percentile`, `min_gap` or `fixed`: what set a threshold.
fn threshold_source(t: &AppliedThresholds, warn: bool) -> &'static str {
    match (t.peer_percentiles, t.min_gap) {
        (None, _) => "fixed",
        (Some(_), Some(g)) if (warn && g.warn_from_gap) || (!warn && g.critical_from_gap) => {
            "min_gap"
        }
        (Some(_), _) => "percentile",
    }
}

fn criterion_line(c: &CriterionOutcome) -> String {
    let t = c
        .thresholds
        .map(|t| {
            let peers = t
                .peer_percentiles
                .map(|(w, k, n)| format!(" (peer P{w}/P{k} of {n}{})", gap_note(&t)))
                .unwrap_or_default();
            format!("warn {:.4} critical {:.4}{peers}", t.warn, t.critical)
        })
        .unwrap_or_default();
    format!(
        "  {:<36} {:<28} value {:>12}  s {:>5}  weight {:>4}  contribution {:>5.1}{}  {}",
        c.id,
        c.indicator,
        c.value.map(|v| format!("{v:.4}")).unwrap_or_default(),
        c.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
        c.weight,
        c.contribution,
        c.share_of_score
            .map(|s| format!(" ({:.0}% of R)", 100.0 * s))
            .unwrap_or_default(),
        t
    )
}

fn write_explain_text(assessments: &[&RiskAssessment], out: &mut dyn Write) -> Result<()> {
    for a in assessments {
        writeln!(
            out,
            "{} {} ({}): score {}, degree {}, {:.0}% of the weight computable{}",
            a.org_id,
            academic_year_label(a.year),
            a.level.code(),
            a.score
                .map(|s| format!("{s:.1}"))
                .unwrap_or_else(|| "—".into()),
            a.degree.code(),
            100.0 * a.computable_weight_share,
            a.gross_trigger
                .as_ref()
                .map(|g| format!("; gross criterion {g} reached critical"))
                .unwrap_or_default()
        )?;
        for c in a.criteria.iter().filter(|c| c.score.is_some()) {
            writeln!(out, "{}", criterion_line(c))?;
        }
        let missing: Vec<&CriterionOutcome> =
            a.criteria.iter().filter(|c| c.score.is_none()).collect();
        if !missing.is_empty() {
            writeln!(out, "  not computable:")?;
            for c in missing {
                writeln!(
                    out,
                    "  {:<36} {:<28} weight {:>4}  {}",
                    c.id,
                    c.indicator,
                    c.weight,
                    c.not_computable
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                )?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

pub fn risk(args: RiskArgs) -> Result<ExitCode> {
    let catalogue = load_catalogue(args.catalogue.as_deref())?;
    let criteria = load_criteria(args.criteria.as_deref())?;
    let dataset = super::common::load_dataset(&args.data)?;
    let mut out = open_output(args.out.as_deref())?;
    let file = args
        .criteria
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "criteria.toml".into());
    let query = RiskQuery {
        year: args.year,
        level: args.level.as_deref(),
        explain: args.explain.as_deref(),
        format: &args.format,
        criteria_file: &file,
    };
    run_risk(&dataset, &catalogue, &criteria, &query, &mut out)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kpi_model::{DatasetBuilder, Level};

    /// Two universities in 2023 under a two-criterion set.
    /// U1: employment 100·60/100 = 60 → (70 − 60)/(70 − 50) = 0.5; accredited → 0.
    ///     R = 100 · (2·0.5 + 1·0) / 3 = 33.33… → medium.
    /// U2: not accredited (gross) → R = 100, high.
    fn setup() -> (Dataset, CriteriaSet) {
        let ds = DatasetBuilder::new(2023, 2023)
            .org("U1", Level::University, "Astana")
            .org("U2", Level::University, "Astana")
            .value("U1", None, 2023, "graduates", 100.0)
            .value("U1", None, 2023, "graduates_employed", 60.0)
            .value("U1", None, 2023, "accredited", 1.0)
            .value("U2", None, 2023, "graduates", 100.0)
            .value("U2", None, 2023, "graduates_employed", 90.0)
            .value("U2", None, 2023, "accredited", 0.0)
            .build();
        let criteria = CriteriaSet::from_toml_str(
            "t.toml",
            r#"
[[criterion]]
id = "u.employment"
indicator = "employment_rate"
levels = ["university"]
weight = 2
warn = 70
critical = 50

[[criterion]]
id = "u.accreditation"
indicator = "accreditation"
levels = ["university"]
weight = 1
warn = 1
critical = 0
gross = true
"#,
        )
        .unwrap();
        (ds, criteria)
    }

    fn run(query: RiskQuery<'_>) -> Result<String> {
        let (ds, criteria) = setup();
        let mut out = Vec::new();
        run_risk(&ds, &Catalogue::builtin(), &criteria, &query, &mut out)?;
        Ok(String::from_utf8(out)?)
    }

    fn query(format: &str) -> RiskQuery<'_> {
        RiskQuery {
            year: None,
            level: None,
            explain: None,
            format,
            criteria_file: "t.toml",
        }
    }

    #[test]
    fn csv_has_the_fixed_columns_and_hand_scores() {
        let text = run(query("csv")).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "org_id,year,score,degree,computable_weight_share,top_criterion"
        );
        assert_eq!(
            lines[1],
            format!("U1,2023,{},medium,1,u.employment", 100.0 / 3.0)
        );
        // U2: employment 90 → 0; accreditation s = 1 → contribution 100·1·1/3, the top one.
        assert_eq!(lines[2], "U2,2023,100,high,1,u.accreditation");
        assert_eq!(lines.len(), 3);
        let text = run(query("table")).unwrap();
        // Highest risk first: U2 (100) before U1 (33.3).
        assert!(text.lines().nth(1).unwrap().starts_with("U2 "), "{text}");
        let u1 = text.lines().nth(2).unwrap();
        assert!(
            u1.starts_with("U1 ") && u1.contains(" 33.3  medium"),
            "{u1}"
        );
        assert!(u1.ends_with("u.employment"), "{u1}");
    }

    #[test]
    fn explain_lists_each_criterion() {
        let mut q = query("csv");
        q.explain = Some("U1");
        let text = run(q).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], EXPLAIN_CSV_COLUMNS.join(","));
        // employment: value 60, s 0.5, contribution 100·2·0.5/3 = 33.33…, all of R.
        assert_eq!(
            lines[1],
            format!(
                "U1,2023,u.employment,employment_rate,60,70,50,0.5,2,{},1,false,,fixed,fixed",
                100.0 / 3.0
            )
        );
        assert_eq!(
            lines[2],
            "U1,2023,u.accreditation,accreditation,1,1,0,0,1,0,0,true,,fixed,fixed"
        );
        let mut q = query("table");
        q.explain = Some("U2");
        let text = run(q).unwrap();
        assert!(text.starts_with("U2 2023–2024 (university): score 100.0, degree high"));
        assert!(text.contains("gross criterion u.accreditation reached critical"));
        let mut q = query("json");
        q.explain = Some("U1");
        let v: serde_json::Value = serde_json::from_str(&run(q).unwrap()).unwrap();
        assert_eq!(v[0]["degree"], "medium");
        assert_eq!(v[0]["criteria"][0]["id"], "u.employment");
    }

    #[test]
    fn explanation_says_when_the_min_gap_set_a_threshold() {
        // Five universities, employment 100·employed/100: 50, 58, 59, 60, 61.
        // Type-7: median 59; P25 (h = 1) 58 is closer to the median than 59 − 5 = 54, so the
        // gap sets warn to 54; P10 (h = 0.4) 50 + 0.4·8 = 53.2 lies beyond 54, so it stays.
        let mut b = DatasetBuilder::new(2023, 2023);
        let ids = ["A", "B", "C", "D", "E"];
        for (id, e) in ids.iter().zip([50.0, 58.0, 59.0, 60.0, 61.0]) {
            b = b
                .org(id, Level::University, "Astana")
                .value(id, None, 2023, "graduates", 100.0)
                .value(id, None, 2023, "graduates_employed", e);
        }
        let ds = b.build();
        let set = CriteriaSet::from_toml_str(
            "g.toml",
            r#"
[[criterion]]
id = "u.employment"
indicator = "employment_rate"
levels = ["university"]
weight = 1
peer_percentile = { warn = 25, critical = 10 }
min_gap = { warn = 5, critical = 5, reason = "a few graduates" }
"#,
        )
        .unwrap();
        let mut q = query("table");
        q.explain = Some("A");
        let mut out = Vec::new();
        run_risk(&ds, &Catalogue::builtin(), &set, &q, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        // A at 50: s = (54 − 50) / (54 − 53.2) > 1 → 1.
        assert!(
            text.contains("warn 54.0000 critical 53.2000 (peer P25/P10 of 5; warn set by the minimum gap 5/5 from the peer median 59.0000)"),
            "{text}"
        );
        let mut q = query("csv");
        q.explain = Some("A");
        let mut out = Vec::new();
        run_risk(&ds, &Catalogue::builtin(), &set, &q, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let row = text.lines().nth(1).unwrap_or_default();
        assert!(row.ends_with(",false,,min_gap,percentile"), "{row}");
    }

    #[test]
    fn options_are_checked() {
        let mut q = query("csv");
        q.level = Some("school");
        // No school: only the header.
        assert_eq!(run(q).unwrap().lines().count(), 1);
        let mut q = query("csv");
        q.year = Some(2019);
        assert!(run(q).unwrap_err().to_string().contains("outside the data"));
        let mut q = query("csv");
        q.explain = Some("U9");
        assert!(run(q).unwrap_err().to_string().contains("--explain \"U9\""));
        assert!(run(query("xml")).is_err());
        // A criterion naming an unknown indicator is rejected with file and line.
        let (ds, _) = setup();
        let bad = CriteriaSet::from_toml_str(
            "bad.toml",
            "[[criterion]]\nid = \"x\"\nindicator = \"employment\"\nlevels = [\"university\"]\nweight = 1\nwarn = 1\ncritical = 0\n",
        )
        .unwrap();
        let mut q = query("csv");
        q.criteria_file = "bad.toml";
        let err = run_risk(&ds, &Catalogue::builtin(), &bad, &q, &mut Vec::new())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("bad.toml:2:"), "{err}");
        assert!(err.contains("unknown indicator `employment`"), "{err}");
    }

    #[test]
    fn shipped_criteria_run_end_to_end() {
        let (ds, _) = setup();
        let mut out = Vec::new();
        run_risk(
            &ds,
            &Catalogue::builtin(),
            &load_criteria(None).unwrap(),
            &query("csv"),
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        // U2 is not accredited: the shipped gross criterion makes it high.
        assert!(
            text.lines()
                .any(|l| l.starts_with("U2,2023,100,high,")
                    && l.ends_with(",university.accreditation")),
            "{text}"
        );
    }
}
