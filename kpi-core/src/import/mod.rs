//! Import: CSV, XLSX and JSON exports into a validated [`Dataset`].
//!
//! A dataset is one or more sources (files, sheets); each table is recognised
//! by its file or sheet name and by its headers. Everything reads from bytes,
//! so the same code runs natively and in WebAssembly.

use crate::metrics::MetricRegistry;
use crate::model::Dataset;

/// One input file, as bytes.
#[derive(Clone, Debug)]
pub struct Source {
    /// File name as the user knows it (used in every message and to recognise the table).
    pub name: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

/// Transfer GPA thresholds (data.md; defaults from seed 002, 5.5.13).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TransferThresholds {
    /// Bachelor's: minimum GPA to move from course `i + 1` to `i + 2` (to year 2, 3, 4).
    pub bachelor: Vec<f64>,
    /// Master's: minimum GPA to move from course `i + 1` to `i + 2` (to year 2).
    pub master: Vec<f64>,
}

impl Default for TransferThresholds {
    fn default() -> Self {
        TransferThresholds {
            bachelor: vec![1.33, 1.67, 2.00],
            master: vec![1.67],
        }
    }
}

/// Options of a load.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The metric dictionary (built-in when `None`).
    pub metrics: Option<MetricRegistry>,
    /// GPA transfer thresholds for `gpa_below_threshold`.
    pub thresholds: TransferThresholds,
}

/// Progress of a load, for progress bars.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// Bytes processed so far over all sources.
    pub bytes_done: u64,
    /// Total bytes of all sources.
    pub bytes_total: u64,
    /// What is being done now (file name and stage).
    pub stage: String,
}

/// Loads a dataset from sources. Never fails as a whole: every problem is an
/// issue in [`Dataset::report`]; tables with errors are rejected and the rest is kept.
pub fn load(sources: Vec<Source>, options: &LoadOptions) -> Dataset {
    load_with_progress(sources, options, &mut |_| {})
}

/// [`load`], reporting progress.
pub fn load_with_progress(
    sources: Vec<Source>,
    options: &LoadOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Dataset {
    let _ = (sources, options, progress);
    unimplemented!("import is being implemented")
}

/// Reads files and folders (recursively, files with a known extension) into
/// sources. An unreadable path becomes an `Err` naming it.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_paths<P: AsRef<std::path::Path>>(paths: &[P]) -> std::io::Result<Vec<Source>> {
    let _ = paths;
    unimplemented!("import is being implemented")
}
