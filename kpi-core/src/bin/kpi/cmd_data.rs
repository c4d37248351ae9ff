//! `kpi validate`, `kpi inspect`, `kpi quality`.

use anyhow::{bail, Result};
use clap::Args;
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

pub fn validate(args: ValidateArgs) -> Result<ExitCode> {
    let _ = args;
    bail!("not implemented yet")
}

pub fn inspect(args: InspectArgs) -> Result<ExitCode> {
    let _ = args;
    bail!("not implemented yet")
}

pub fn quality(args: QualityArgs) -> Result<ExitCode> {
    let _ = args;
    bail!("not implemented yet")
}
