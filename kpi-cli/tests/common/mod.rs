//! What every `kpi` command-line test needs: running the built binary as a user runs it, and
//! the folders of the bundled data. (A `mod.rs` in a folder, so cargo builds it as no test of
//! its own; each test file uses part of it.)
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// `kpi ARGS…` run to the end: its exit status, stdout and stderr.
pub fn kpi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kpi"))
        .args(args)
        .output()
        .expect("kpi runs")
}

/// `kpi ARGS…` that must succeed: its stdout (the test fails with kpi's stderr otherwise).
pub fn kpi_ok(args: &[&str]) -> String {
    let out = kpi(args);
    assert!(
        out.status.success(),
        "kpi {args:?} failed: {}",
        text(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Output bytes as text, for messages and substring checks.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The demo's bundled sample dataset (`demo/data`).
pub fn demo() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../demo/data")
        .display()
        .to_string()
}

/// kpi-import's test fixtures (good and bad exports).
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../kpi-import/tests/fixtures")
}
