//! Loading datasets for the CLI, and output helpers.

use anyhow::{bail, Context, Result};
use kpi_core::import::{load_with_progress, read_paths_with_limits, LoadOptions};
use kpi_core::model::Dataset;
use std::io::IsTerminal;
use std::path::PathBuf;

/// Loads the dataset at `paths` (files or folders), with a progress bar when
/// stderr is a terminal (nothing when piped or redirected).
#[allow(dead_code)] // used by the subcommands as they land
pub fn load_dataset(paths: &[PathBuf]) -> Result<Dataset> {
    load_dataset_with(paths, &LoadOptions::default())
}

/// [`load_dataset`] with explicit options.
pub fn load_dataset_with(paths: &[PathBuf], options: &LoadOptions) -> Result<Dataset> {
    let sources = read_paths_with_limits(paths, &options.limits).context("reading the dataset")?;
    if sources.is_empty() {
        bail!(
            "no CSV, TSV, TXT, XLSX or JSON files found in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let total: u64 = sources.iter().map(|s| s.bytes.len() as u64).sum();
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} ({bytes_per_sec}) {msg}",
        ) {
            bar.set_style(style);
        }
        bar
    });
    let ds = load_with_progress(sources, options, &mut |p| {
        if let Some(bar) = &bar {
            bar.set_length(p.bytes_total);
            bar.set_position(p.bytes_done);
            bar.set_message(p.stage.clone());
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(ds)
}
