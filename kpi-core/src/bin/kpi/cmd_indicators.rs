//! `kpi indicators`, `kpi catalogue`.

use anyhow::{bail, Result};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kpi indicators`.
#[derive(Args)]
pub struct IndicatorsArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// Only organisations of this level.
    #[arg(long)]
    pub level: Option<String>,
    /// Only this year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Only this organisation (and its programmes).
    #[arg(long)]
    pub org: Option<String>,
    /// Only these indicators (repeatable).
    #[arg(long = "indicator")]
    pub indicators: Vec<String>,
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table")]
    pub format: String,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// A user catalogue file adding or overriding indicators.
    #[arg(long)]
    pub catalogue: Option<PathBuf>,
}

/// Arguments of `kpi catalogue`.
#[derive(Args)]
pub struct CatalogueArgs {
    /// Language of labels: kk, ru or en.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// A user catalogue file adding or overriding indicators.
    #[arg(long)]
    pub catalogue: Option<PathBuf>,
}

pub fn indicators(args: IndicatorsArgs) -> Result<ExitCode> {
    let _ = args;
    bail!("not implemented yet")
}

pub fn catalogue(args: CatalogueArgs) -> Result<ExitCode> {
    let _ = args;
    bail!("not implemented yet")
}
