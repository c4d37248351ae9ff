//! `kpi`: the command-line tool over the kpi library crates.
//!
//! Each subcommand lives in its own module; `common` holds dataset loading
//! (with a progress bar on a terminal) and output helpers.

mod alloc;
mod cmd_analysis;
mod cmd_cohort;
mod cmd_data;
mod cmd_indicators;
mod cmd_publish;
mod cmd_risk;
mod cmd_sample;
mod cmd_students;
mod common;
mod report_html;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Large tables in huge pages (fewer page faults); see `alloc`.
#[global_allocator]
static GLOBAL: alloc::HugePages = alloc::HugePages;

#[derive(Parser)]
#[command(
    name = "kpi",
    version,
    about = "Education-quality monitoring: import national education database exports (CSV, XLSX, JSON, Parquet, Arrow IPC), compute indicators, assess risk, analyse dynamics and peers."
)]
struct Cli {
    /// Import limits: a TOML file of `kpi_import::Limits` fields (e.g. `max_file_bytes = 8589934592`); others keep their defaults.
    #[arg(long, global = true, value_name = "FILE")]
    limits: Option<std::path::PathBuf>,
    /// Header, table-name and value aliases added to the built-in ones: a TOML file of the same shape as `kpi-import/data/aliases.toml`.
    #[arg(long, global = true, value_name = "FILE")]
    aliases: Option<std::path::PathBuf>,
    /// Any error rejects its whole table (by default an unreadable cell loses only that cell, and a row that cannot stand only that row).
    #[arg(long, global = true)]
    strict: bool,
    /// What turns record tables (students, grades, surveys) into metrics: `memory` (the default) or `datafusion` (Apache DataFusion, streaming within --memory-limit; builds with the `datafusion` feature; docs/scale.md).
    #[arg(long, global = true, value_name = "ENGINE", default_value = "memory")]
    engine: String,
    /// The DataFusion engine's memory limit (e.g. 2GiB, 512MiB); past it, sorts and aggregations spill to disk.
    #[arg(long, global = true, value_name = "SIZE")]
    memory_limit: Option<String>,
    /// Where the DataFusion engine spills (default: the system's temporary folder).
    #[arg(long, global = true, value_name = "DIR")]
    spill_dir: Option<std::path::PathBuf>,
    /// Run the DataFusion engine's plans on an Apache Ballista cluster: the scheduler's URL, df://HOST:PORT (its executors run `kpi-cluster executor` and read the data at the same paths; builds with the `ballista` feature; docs/scale.md).
    #[arg(long, global = true, value_name = "URL")]
    cluster: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a dataset: print `file:row:col: error|warning: message` lines and a summary; exit 1 on errors.
    Validate(cmd_data::ValidateArgs),
    /// Show what was loaded: tables, rows, organisations per level and region, years, metrics.
    Inspect(cmd_data::InspectArgs),
    /// Write the data-quality report: completeness, outliers, rejected rows.
    Quality(cmd_data::QualityArgs),
    /// Write a deterministic, realistic sample dataset.
    Sample(cmd_sample::SampleArgs),
    /// Compute indicators for every unit and year.
    Indicators(cmd_indicators::IndicatorsArgs),
    /// List the indicator catalogue.
    Catalogue(cmd_indicators::CatalogueArgs),
    /// Assess the risk of every organisation.
    Risk(cmd_risk::RiskArgs),
    /// Dynamic analysis of one indicator of one organisation.
    Trend(cmd_analysis::TrendArgs),
    /// Compare organisations with their peers on one indicator.
    Compare(cmd_analysis::CompareArgs),
    /// Composite index and ranking.
    Rank(cmd_analysis::RankArgs),
    /// Compare groups of organisations (urban/rural, state/private, regions) on one indicator.
    Gaps(cmd_analysis::GapsArgs),
    /// Reconstructed cohort of a school, college or programme: survival by grade, graduates, coefficient of efficiency.
    Cohort(cmd_cohort::CohortArgs),
    /// PRIVATE, record-level: students flagged at academic risk (`--at-risk`), one row per flag with its reason. For advisers inside the organisation; never publish it (`kpi publish` never includes it).
    Students(cmd_students::StudentsArgs),
    /// A self-contained HTML report for one organisation.
    Report(cmd_analysis::ReportArgs),
    /// Write an aggregate-only bundle for public portals (no record-level data; small counts suppressed).
    Publish(cmd_publish::PublishArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(path) = &cli.limits {
        if let Err(e) = common::set_limits_file(path) {
            return fail(&e);
        }
    }
    if let Some(path) = &cli.aliases {
        if let Err(e) = common::set_aliases_file(path) {
            return fail(&e);
        }
    }
    common::set_strict(cli.strict);
    if let Err(e) = common::set_engine(
        &cli.engine,
        cli.memory_limit.as_deref(),
        cli.spill_dir.as_deref(),
        cli.cluster.as_deref(),
    ) {
        return fail(&e);
    }
    let result = match cli.command {
        Command::Validate(a) => cmd_data::validate(a),
        Command::Inspect(a) => cmd_data::inspect(a),
        Command::Quality(a) => cmd_data::quality(a),
        Command::Sample(a) => cmd_sample::sample(a),
        Command::Indicators(a) => cmd_indicators::indicators(a),
        Command::Catalogue(a) => cmd_indicators::catalogue(a),
        Command::Risk(a) => cmd_risk::risk(a),
        Command::Trend(a) => cmd_analysis::trend(a),
        Command::Compare(a) => cmd_analysis::compare(a),
        Command::Rank(a) => cmd_analysis::rank(a),
        Command::Gaps(a) => cmd_analysis::gaps(a),
        Command::Cohort(a) => cmd_cohort::cohort(a),
        Command::Students(a) => cmd_students::students(a),
        Command::Report(a) => cmd_analysis::report(a),
        Command::Publish(a) => cmd_publish::publish_cmd(a),
    };
    match result {
        // The answers lack a table the input gave: say so by the exit code
        // (the line on stderr said which; `kpi validate` says why).
        Ok(code) if code == ExitCode::SUCCESS && common::table_rejected() => {
            ExitCode::from(common::TABLE_REJECTED_EXIT)
        }
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

/// Reports an error on stderr and gives exit code 2. A reader that went
/// away (`kpi … | head`) is not an error: the output ends quietly.
fn fail(e: &anyhow::Error) -> ExitCode {
    use std::io::ErrorKind::BrokenPipe;
    let broken_pipe = e.chain().any(|c| {
        let io = c.downcast_ref::<std::io::Error>().map(std::io::Error::kind);
        let csv = c.downcast_ref::<csv::Error>().and_then(|e| match e.kind() {
            csv::ErrorKind::Io(io) => Some(io.kind()),
            _ => None,
        });
        let json = c
            .downcast_ref::<serde_json::Error>()
            .and_then(serde_json::Error::io_error_kind);
        [io, csv, json].contains(&Some(BrokenPipe))
    });
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "kpi: error: {e:#}");
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Kazakh is the default language of every command that takes `--lang`
    /// (`kpi gaps` defaulted to English before).
    #[test]
    fn every_lang_defaults_to_kazakh() {
        let cli = Cli::command();
        let mut seen = Vec::new();
        for sub in cli.get_subcommands() {
            if let Some(arg) = sub.get_arguments().find(|a| a.get_id() == "lang") {
                let defaults: Vec<_> = arg.get_default_values().iter().collect();
                assert_eq!(defaults, ["kk"], "kpi {}", sub.get_name());
                seen.push(sub.get_name().to_string());
            }
        }
        for name in ["gaps", "cohort", "students", "trend", "compare"] {
            assert!(
                seen.iter().any(|s| s == name),
                "{name} has no --lang: {seen:?}"
            );
        }
    }
}
