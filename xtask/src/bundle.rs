//! The published bundle of the demo sample (`kpi publish demo/data`), served under
//! `/kpi-data/`: what `demo/portal.html` draws from, as a real portal would.

use crate::tools::{cargo, run};
use anyhow::{Context, Result};
use std::path::PathBuf;

/// The bundle folder: `dist/kpi-data/`.
pub fn dir() -> PathBuf {
    crate::root().join("dist").join("kpi-data")
}

/// Builds the `kpi` binary of `profile` (`release` or `debug`) and publishes the
/// demo sample into [`dir`].
pub fn publish_demo(release: bool) -> Result<()> {
    let root = crate::root();
    let mut build = cargo();
    build
        .current_dir(&root)
        .args(["build", "--package", "kpi-cli", "--bin", "kpi"]);
    if release {
        build.arg("--release");
    }
    run(&mut build)?;
    let kpi = root
        .join("target")
        .join(if release { "release" } else { "debug" })
        .join("kpi");
    let out = dir();
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("cannot clear {}", out.display()))?;
    }
    run(std::process::Command::new(kpi)
        .current_dir(&root)
        .args(["publish", "demo/data", "--out"])
        .arg(&out))
}
