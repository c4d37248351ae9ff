//! Loading datasets for the CLI, and output helpers.

use anyhow::Result;
use kpi_core::model::Dataset;
use std::path::PathBuf;

/// Loads the dataset at `paths` (files or folders), with a progress bar when
/// stderr is a terminal.
#[allow(dead_code)] // used by the subcommands as they land
pub fn load_dataset(paths: &[PathBuf]) -> Result<Dataset> {
    let sources = kpi_core::import::read_paths(paths)?;
    Ok(kpi_core::import::load(sources, &Default::default()))
}
