//! The plans on a local Ballista cluster (a scheduler and two executors of
//! [`kpi_datafusion::cluster`], in this process but talking over gRPC, so
//! every plan and UDF goes through the codecs) give the same metric table
//! and indicators as the single-process DataFusion engine, to 1e-9.
//!
//! Needs the `ballista` feature; not in `cargo xtask test` (docs/scale.md):
//! `cargo test -p kpi-datafusion --features ballista --test cluster`.

#![cfg(feature = "ballista")]

use kpi_datafusion::cluster::{executor, scheduler, ExecutorOptions};
use kpi_datafusion::{load, EngineError, EngineOptions};
use kpi_import::LoadOptions;
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

mod common;
use common::{assert_same_demo, demo};

/// A port nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_for(port: u16) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "port {port} never opened"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Starts a scheduler and two executors on a runtime of their own; gives the
/// scheduler's URL.
fn start_cluster() -> String {
    let port = free_port();
    let executors: Vec<ExecutorOptions> = (0..2)
        .map(|_| ExecutorOptions {
            scheduler: format!("localhost:{port}"),
            host: "localhost".into(),
            port: free_port(),
            grpc_port: free_port(),
            concurrent_tasks: 1,
            work_dir: None,
            memory_limit: None,
        })
        .collect();
    let grpc: Vec<u16> = executors.iter().map(|e| e.grpc_port).collect();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_stack_size(32 << 20)
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let mut tasks = vec![tokio::spawn(async move {
                scheduler(&format!("127.0.0.1:{port}"))
                    .await
                    .map_err(|e| e.to_string())
            })];
            for e in executors {
                tasks.push(tokio::spawn(async move {
                    executor(e).await.map_err(|e| e.to_string())
                }));
            }
            for t in tasks {
                if let Ok(Err(e)) = t.await {
                    eprintln!("cluster process stopped: {e}");
                }
            }
        });
    });
    wait_for(port);
    for p in grpc {
        wait_for(p);
    }
    // The executors register with the scheduler right after they listen.
    std::thread::sleep(Duration::from_secs(2));
    format!("df://localhost:{port}")
}

#[test]
fn a_two_executor_cluster_gives_the_single_process_metric_table_and_indicators() {
    let url = start_cluster();
    let options = LoadOptions::default();
    let single = load(
        &[demo()],
        &options,
        &EngineOptions {
            partitions: 2,
            ..EngineOptions::default()
        },
    )
    .expect("the single-process engine runs");
    let cluster = load(
        &[demo()],
        &options,
        &EngineOptions {
            partitions: 2,
            scheduler: Some(url),
            ..EngineOptions::default()
        },
    )
    .expect("the cluster runs the plans");
    assert_same_demo(&single, &cluster);
    // The record tables' reports (rows read, rows rejected) are the same.
    let rows = |ds: &kpi_model::Dataset| -> Vec<(String, u64, u64)> {
        let mut v: Vec<_> = ds
            .report()
            .tables
            .iter()
            .map(|t| (t.file.clone(), t.rows, t.rows_rejected))
            .collect();
        v.sort();
        v
    };
    assert_eq!(rows(&single), rows(&cluster));
    assert!(rows(&cluster)
        .iter()
        .any(|(f, n, _)| f.ends_with("students.csv") && *n > 1000));
}

#[test]
fn no_scheduler_at_the_url_is_an_error_not_a_local_run() {
    let url = format!("df://localhost:{}", free_port());
    let result = load(
        &[demo()],
        &LoadOptions::default(),
        &EngineOptions {
            scheduler: Some(url),
            ..EngineOptions::default()
        },
    );
    assert!(
        matches!(result, Err(EngineError::DataFusion { .. })),
        "expected a DataFusion error, got {:?}",
        result.map(|_| ())
    );
}
