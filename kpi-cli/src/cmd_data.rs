//! `kpi validate`, `kpi inspect`, `kpi quality`.

use crate::common::load_dataset;
use anyhow::{Context, Result};
use clap::Args;
use kpi_model::validate::{Severity, ValidationReport};
use kpi_model::{Dataset, Level, OrgIdx};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kpi validate`.
#[derive(Args)]
pub struct ValidateArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
}

/// Arguments of `kpi inspect`.
#[derive(Args)]
pub struct InspectArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
}

/// Arguments of `kpi quality`.
#[derive(Args)]
pub struct QualityArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// Output folder for the report files.
    #[arg(long)]
    pub out: PathBuf,
}

/// The table's name for messages: `file` or `file[sheet]`.
fn table_label(file: &str, sheet: Option<&str>) -> String {
    match sheet {
        Some(s) => format!("{file}[{s}]"),
        None => file.to_string(),
    }
}

/// The one-line summary of a report.
fn summary(report: &ValidationReport) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let accepted = report.tables.iter().filter(|t| t.accepted).count();
    let rejected = report.tables.len() - accepted;
    let plural = |n: u64, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let lost = report.rejected();
    let within = match (lost.rows, lost.cells) {
        (0, 0) => String::new(),
        (r, 0) => format!(" ({} rejected in them)", plural(r, "row", "rows")),
        (0, c) => format!(" ({} rejected in them)", plural(c, "cell", "cells")),
        (r, c) => format!(
            " ({} and {} rejected in them)",
            plural(r, "row", "rows"),
            plural(c, "cell", "cells")
        ),
    };
    format!(
        "{}, {} in {}: {accepted} accepted{within}, {rejected} rejected",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        plural(report.tables.len() as u64, "table", "tables"),
    )
}

/// `kpi validate`: one `file:row:col: error|warning: message` line per issue,
/// then a summary; exit status 1 when there is any error.
pub fn validate(args: ValidateArgs) -> Result<ExitCode> {
    // Everything is listed here: no one-line summary on stderr.
    let ds = crate::common::load_dataset_with(&args.data, &crate::common::load_options())?;
    let report = ds.report();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Errors first (tables in the order they are read, organisations
    // first: a root cause comes before what it causes), then warnings, then notes.
    let mut issues: Vec<_> = report.issues.iter().collect();
    issues.sort_by_key(|i| i.severity);
    for issue in issues {
        writeln!(out, "{issue}")?;
    }
    for t in report.tables.iter().filter(|t| !t.accepted) {
        writeln!(
            out,
            "{}: rejected: nothing from this table is loaded",
            table_label(&t.file, t.sheet.as_deref())
        )?;
    }
    writeln!(out, "{}", summary(report))?;
    out.flush()?;
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `kpi inspect`: what was loaded.
pub fn inspect(args: InspectArgs) -> Result<ExitCode> {
    let ds = load_dataset(&args.data)?;
    let text = inspect_text(&ds);
    std::io::stdout().write_all(text.as_bytes())?;
    // The process ends here: freeing a national dataset (a million
    // allocations) one by one would only delay the exit by tens of ms.
    std::mem::forget(ds);
    Ok(ExitCode::SUCCESS)
}

fn inspect_text(ds: &Dataset) -> String {
    let mut s = String::new();
    let report = ds.report();
    let _ = writeln!(s, "Tables");
    for t in &report.tables {
        let kind = t.kind.map_or("unrecognised", |k| k.code());
        let state = if t.accepted { "accepted" } else { "REJECTED" };
        let _ = writeln!(
            s,
            "  {:<14} {:>10} rows  {:<8}  {}",
            kind,
            t.rows,
            state,
            table_label(&t.file, t.sheet.as_deref())
        );
    }

    let _ = writeln!(s, "\nOrganisations: {}", ds.organisations().len());
    let mut by_region: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    let mut by_level = [0usize; 4];
    for (i, org) in ds.organisations().iter().enumerate() {
        let region = &ds.regions()[ds.region_of(OrgIdx(i as u32)).0 as usize];
        let li = Level::ALL.iter().position(|l| *l == org.level).unwrap_or(0);
        by_region.entry(region.clone()).or_default()[li] += 1;
        by_level[li] += 1;
    }
    let _ = writeln!(
        s,
        "  {:<32} {:>9} {:>9} {:>9} {:>10}",
        "region", "preschool", "school", "college", "university"
    );
    for (region, n) in &by_region {
        let _ = writeln!(
            s,
            "  {:<32} {:>9} {:>9} {:>9} {:>10}",
            region, n[0], n[1], n[2], n[3]
        );
    }
    let _ = writeln!(
        s,
        "  {:<32} {:>9} {:>9} {:>9} {:>10}",
        "total", by_level[0], by_level[1], by_level[2], by_level[3]
    );
    let _ = writeln!(s, "Programmes: {}", ds.programmes().len());
    let _ = writeln!(
        s,
        "Student records: {} ({} students); term results from grades: {}",
        ds.students().records.len(),
        ds.students().ids.len(),
        ds.terms().len()
    );

    let span = ds.years();
    if span.is_empty() {
        let _ = writeln!(s, "\nYears: none");
    } else {
        let _ = writeln!(
            s,
            "\nYears: {}–{} ({} years)",
            span.first,
            span.last,
            span.len()
        );
    }

    // Metrics found: bare columns (totals), with their number of values.
    let store = ds.store();
    let mut found: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (col, key) in store.columns() {
        let code = ds.metrics().code(key.metric).to_string();
        let e = found.entry(code).or_default();
        if key.breakdown.is_none() {
            e.0 += store.present(col);
        } else {
            e.1 += 1;
        }
    }
    found.retain(|_, v| v.0 > 0 || v.1 > 0);
    let _ = writeln!(s, "\nMetrics found: {}", found.len());
    for (code, (values, breakdowns)) in &found {
        let known = ds
            .metrics()
            .id(code)
            .is_some_and(|id| ds.metrics().def(id).known);
        let note = if known {
            ""
        } else {
            "  (not in the dictionary)"
        };
        if *breakdowns > 0 {
            let _ = writeln!(
                s,
                "  {code:<32} {values:>10} values, {breakdowns} breakdowns{note}"
            );
        } else {
            let _ = writeln!(s, "  {code:<32} {values:>10} values{note}");
        }
    }
    let missing: Vec<&str> = ds
        .metrics()
        .iter()
        .filter(|(_, d)| d.known && !found.contains_key(&d.code))
        .map(|(_, d)| d.code.as_str())
        .collect();
    let _ = writeln!(s, "\nMetrics missing: {}", missing.len());
    for chunk in missing.chunks(4) {
        let _ = writeln!(s, "  {}", chunk.join(", "));
    }
    let _ = writeln!(s, "\n{}", summary(report));
    s
}

/// `kpi quality`: the data-quality report as files in `--out`:
/// `completeness.csv`, `outliers.csv`, and the rejected rows of each table
/// with the reason in an extra column, ready to be fixed and re-loaded.
pub fn quality(args: QualityArgs) -> Result<ExitCode> {
    let ds = load_dataset(&args.data)?;
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    let q = kpi_import::quality::QualityReport::of(&ds);
    let write = |name: &str, text: String| -> Result<PathBuf> {
        let path = args.out.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    };
    let mut written = vec![
        write("completeness.csv", q.completeness_csv())?,
        write("outliers.csv", q.outliers_csv())?,
    ];
    for (name, text) in kpi_import::quality::rejected_rows_csv(ds.report()) {
        written.push(write(&name, text)?);
    }
    let mut out = std::io::stdout().lock();
    for p in &written {
        writeln!(out, "{}", p.display())?;
    }
    let basis = |b| q.outliers.iter().filter(|o| o.against == b).count();
    // The share of the values checked that were flagged, rounded for reading.
    let share = q
        .flagged_share()
        .map(|s| {
            format!(
                " ({:.2} % of {} values checked)",
                100.0 * s,
                q.values_checked
            )
        })
        .unwrap_or_default();
    writeln!(
        out,
        "{} metric-years, {} outliers{share}: {} across peers, {} against own history; {} rejected rows",
        q.completeness.len(),
        q.outliers.len(),
        basis(kpi_import::quality::OutlierBasis::Peers),
        basis(kpi_import::quality::OutlierBasis::History),
        ds.report().rejected_rows.len()
    )?;
    writeln!(out, "{}", summary(ds.report()))?;
    Ok(ExitCode::SUCCESS)
}
