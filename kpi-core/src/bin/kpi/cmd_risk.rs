//! `kpi risk`.

use anyhow::{bail, Result};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kpi risk`.
#[derive(Args)]
pub struct RiskArgs {
    /// Files or folders of the dataset.
    #[arg(required = true)]
    pub data: Vec<PathBuf>,
    /// Only this year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Only this level.
    #[arg(long)]
    pub level: Option<String>,
    /// A criteria file replacing or extending the defaults.
    #[arg(long)]
    pub criteria: Option<PathBuf>,
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

pub fn risk(args: RiskArgs) -> Result<ExitCode> {
    let _ = args;
    bail!("not implemented yet")
}
