//! `kpi trend`, `kpi compare`, `kpi rank`, `kpi report`.

use anyhow::{bail, Result};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kpi trend`.
#[derive(Args)]
pub struct TrendArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// The organisation.
    #[arg(long)]
    pub org: String,
    /// The indicator code.
    #[arg(long)]
    pub indicator: String,
    /// Output format: table or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

/// Arguments of `kpi compare`.
#[derive(Args)]
pub struct CompareArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// The indicator code.
    #[arg(long)]
    pub indicator: String,
    /// The year.
    #[arg(long)]
    pub year: i32,
    /// Peer grouping beyond level and year: level, region, ownership or locality.
    #[arg(long, default_value = "level")]
    pub peers: String,
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

/// Arguments of `kpi rank`.
#[derive(Args)]
pub struct RankArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// The year.
    #[arg(long)]
    pub year: i32,
    /// A weights file (indicator code → weight).
    #[arg(long)]
    pub weights: Option<PathBuf>,
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

/// Arguments of `kpi report`.
#[derive(Args)]
pub struct ReportArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// The organisation.
    #[arg(long)]
    pub org: String,
    /// Language: kk, ru or en.
    #[arg(long, default_value = "kk")]
    pub lang: String,
    /// Output HTML file.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn trend(args: TrendArgs) -> Result<ExitCode> {
    let _ = args;
    bail!("not implemented yet")
}

pub fn compare(args: CompareArgs) -> Result<ExitCode> {
    let _ = args;
    bail!("not implemented yet")
}

pub fn rank(args: RankArgs) -> Result<ExitCode> {
    let _ = args;
    bail!("not implemented yet")
}

pub fn report(args: ReportArgs) -> Result<ExitCode> {
    let _ = args;
    bail!("not implemented yet")
}
