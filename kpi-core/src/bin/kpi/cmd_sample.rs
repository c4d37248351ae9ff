//! `kpi sample`.

use anyhow::{bail, Result};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kpi sample`.
#[derive(Args)]
pub struct SampleArgs {
    /// Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Random seed (the same seed gives the same files).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// `small` (a few hundred organisations) or `national` (every organisation of the country).
    #[arg(long, default_value = "small")]
    pub scale: String,
    /// Years, as `FIRST..LAST` (inclusive).
    #[arg(long, default_value = "2015..2024")]
    pub years: String,
    /// Plant a documented list of defects of every kind validation must catch.
    #[arg(long)]
    pub with_defects: bool,
}

pub fn sample(args: SampleArgs) -> Result<ExitCode> {
    let _ = args;
    bail!("not implemented yet")
}
