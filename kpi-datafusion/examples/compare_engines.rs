//! Loads a dataset with both engines and compares the metric tables and
//! the indicators (to 1e-9), printing the counts, the differences and the
//! time of each; exits 1 on any difference. With `--cluster df://HOST:PORT`
//! (feature `ballista`) it compares the single-process DataFusion engine with
//! the same plans on that Ballista cluster instead (bench/cluster.py).
//!
//! ```sh
//! cargo run --release -p kpi-datafusion --example compare_engines -- /tmp/kz [--memory-limit-mib 2048]
//! cargo run --release -p kpi-datafusion --features ballista --example compare_engines -- /tmp/kz --cluster df://localhost:50050
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
    let cluster = args
        .iter()
        .position(|a| a == "--cluster")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let options = LoadOptions::default();
    let engine = EngineOptions {
        memory_limit: Some(limit_mib << 20),
        ..EngineOptions::default()
    };
    let started = Instant::now();
    let left = match &cluster {
        Some(_) => load(&[dir], &options, &engine).map_err(|e| e.to_string()),
        None => read_paths(&[dir])
            .map(|sources| kpi_import::load(sources, &options))
            .map_err(|e| e.to_string()),
    };
    let memory = match left {
        Ok(ds) => ds,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let memory_s = started.elapsed().as_secs_f64();
    let (left_name, right_name) = match &cluster {
        Some(url) => (
            "single-process DataFusion".to_string(),
            format!("cluster {url}"),
        ),
        None => ("in memory".to_string(), "DataFusion".to_string()),
    };
    let engine = match &cluster {
        Some(url) => EngineOptions {
            scheduler: Some(url.clone()),
            ..EngineOptions::default()
        },
        None => engine,
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
        "{dir}: {left_name} {memory_s:.1} s, {right_name} {datafusion_s:.1} s (memory limit {limit_mib} MiB in this process); \
         {} metric cells and {} indicator cells compared, {} differences (tolerance 1e-9)",
        c.metric_cells,
        c.indicator_cells,
        c.differences.len()
    );
    for d in c.differences.iter().take(20) {
        println!(
            "  {:?}: {left_name} {:?}, {right_name} {:?}",
            d.key, d.left, d.right
        );
    }
    if c.differences.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
