//! Loads a dataset with both engines and compares the metric tables and
//! the indicators (to 1e-9), printing the counts, the differences and the
//! time and peak memory of each; exits 1 on any difference.
//!
//! ```sh
//! cargo run --release -p kpi-datafusion --example compare_engines -- /tmp/kz [--memory-limit-mib 2048]
//! ```

use kpi_datafusion::compare::compare;
use kpi_datafusion::{load, EngineOptions};
use kpi_import::{read_paths, LoadOptions};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: compare_engines DATA_DIR [--memory-limit-mib N]");
        return ExitCode::from(2);
    };
    let limit_mib: usize = args
        .iter()
        .position(|a| a == "--memory-limit-mib")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(2048);
    let options = LoadOptions::default();
    let started = Instant::now();
    let memory = match read_paths(&[dir]) {
        Ok(sources) => kpi_import::load(sources, &options),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let memory_s = started.elapsed().as_secs_f64();
    let engine = EngineOptions {
        memory_limit: Some(limit_mib << 20),
        ..EngineOptions::default()
    };
    let started = Instant::now();
    let datafusion = match load(&[dir], &options, &engine) {
        Ok(ds) => ds,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let datafusion_s = started.elapsed().as_secs_f64();
    let c = compare(&memory, &datafusion, 1e-9);
    println!(
        "{dir}: in memory {memory_s:.1} s, DataFusion {datafusion_s:.1} s (memory limit {limit_mib} MiB); \
         {} metric cells and {} indicator cells compared, {} differences (tolerance 1e-9)",
        c.metric_cells,
        c.indicator_cells,
        c.differences.len()
    );
    for d in c.differences.iter().take(20) {
        println!(
            "  {:?}: in memory {:?}, DataFusion {:?}",
            d.key, d.left, d.right
        );
    }
    if c.differences.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
