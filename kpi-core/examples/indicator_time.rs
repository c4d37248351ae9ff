//! Times the whole indicator catalogue on a dataset folder, for comparing a
//! native build with WebAssembly (WASI) on the same data (issue 3: ≤ 300 ms
//! natively, WebAssembly within 2× of native).
//!
//! Loads every file under `DIR` (e.g. the national sample written by
//! `kpi sample --scale national --out DIR`), then computes the built-in
//! catalogue for every unit and year `REPS` times (default 7; the same
//! [`compute`] call as the criterion bench `benches/indicators.rs`) and prints
//! one line of JSON: dataset size, cells computed, a value checksum (to check
//! that both builds computed the same table), load time and the compute time
//! (min, median, every repetition, in ms). Timing uses only
//! `std::time::Instant`, which WASI provides.
//!
//! ```text
//! cargo run --release -p kpi-core --example indicator_time -- DIR [REPS]
//! cargo build --release -p kpi-core --example indicator_time --target wasm32-wasip1
//! ```
//!
//! `bench/wasm_vs_native.mjs` builds both, runs the WebAssembly one under
//! Node's WASI and prints the ratio.

use kpi_core::import::{load, LoadOptions, Source};
use kpi_core::indicators::{compute, Catalogue, Filter, IndicatorTable, Outcome};
use std::error::Error;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

const DEFAULT_REPS: usize = 7;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: indicator_time DIR [REPS]";
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    let reps = match args.next() {
        Some(r) => r
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("REPS: expected a positive whole number, found {r:?}"))?,
        None => DEFAULT_REPS,
    };

    let started = Instant::now();
    let sources = read_dir_sources(&dir)?;
    let input_bytes: usize = sources.iter().map(|s| s.bytes.len()).sum();
    let dataset = load(sources, &LoadOptions::default());
    let load_ms = ms(started);
    if dataset.report().has_errors() {
        return Err(format!("{}: the dataset has load errors", dir.display()).into());
    }

    let catalogue = Catalogue::builtin();
    // One untimed run: the result for the checksum, and warm caches and allocator.
    let table = compute(&dataset, &catalogue);
    let check = Checksum::of(&table);
    let mut samples = Vec::with_capacity(reps);
    for _ in 0..reps {
        let t = Instant::now();
        black_box(compute(black_box(&dataset), &catalogue));
        samples.push(ms(t));
    }
    let mut sorted = samples.clone();
    sorted.sort_by(f64::total_cmp);

    let line = serde_json::json!({
        "target": target(),
        "dir": dir.display().to_string(),
        "input_mb": input_bytes as f64 / 1e6,
        "organisations": dataset.organisations().len(),
        "units": dataset.units().len(),
        "years": dataset.years().len(),
        "indicators": catalogue.len(),
        "cells_value": check.values,
        "cells_not_computable": check.not_computable,
        "value_sum": check.sum,
        "load_ms": load_ms,
        "reps": reps,
        "compute_min_ms": sorted[0],
        "compute_median_ms": median(&sorted),
        "compute_ms": samples,
    });
    println!("{line}");
    Ok(())
}

/// Counts and sum of every cell, so that two builds can be compared.
struct Checksum {
    values: usize,
    not_computable: usize,
    sum: f64,
}

impl Checksum {
    fn of(table: &IndicatorTable) -> Checksum {
        let mut c = Checksum {
            values: 0,
            not_computable: 0,
            sum: 0.0,
        };
        for e in table.iter(&Filter::new()) {
            match e.outcome {
                Outcome::Value(v) => {
                    c.values += 1;
                    c.sum += v;
                }
                Outcome::NotComputable(_) => c.not_computable += 1,
            }
        }
        c
    }
}

/// Every file under `dir`, in name order (as `kpi` reads a folder).
/// `import::read_paths` is not built for wasm32, so the example walks the
/// folder itself with `std::fs`, which WASI provides.
fn read_dir_sources(dir: &Path) -> Result<Vec<Source>, Box<dyn Error>> {
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    if files.is_empty() {
        return Err(format!("{}: no files (expected a dataset folder)", dir.display()).into());
    }
    files
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?;
            Ok(Source {
                name: f.display().to_string(),
                bytes,
            })
        })
        .collect()
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), Box<dyn Error>> {
    let named = |e: std::io::Error| format!("{}: {e}", dir.display());
    let mut entries = std::fs::read_dir(dir)
        .map_err(named)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(named)?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if e.file_type().map_err(named)?.is_dir() {
            walk(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1e3
}

/// Median of sorted, non-empty samples.
fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

fn target() -> String {
    format!(
        "{}-{}",
        std::env::consts::ARCH,
        if cfg!(target_os = "wasi") {
            "wasip1"
        } else {
            std::env::consts::OS
        }
    )
}
