//! The published bundles of the demo samples, as a real portal would serve them:
//! `kpi publish demo/data` under `/kpi-data/` (what `demo/portal.html` draws from) and
//! `kpi publish demo/data-kg` under `/kpi-data-kg/` (`demo/portal-ky.html`).

use crate::tools::{cargo, run};
use anyhow::{Context, Result};
use std::path::PathBuf;

/// The demo samples and the folder of each one's bundle under `dist/` (also its URL
/// path: `/kpi-data/`, `/kpi-data-kg/`).
pub const DEMOS: [(&str, &str); 2] = [("demo/data", "kpi-data"), ("demo/data-kg", "kpi-data-kg")];

/// The bundle folder of a demo sample: `dist/<name>/`.
pub fn dir(name: &str) -> PathBuf {
    crate::root().join("dist").join(name)
}

/// Builds the `kpi` binary of `profile` (`release` or `debug`) and publishes each
/// demo sample of [`DEMOS`] into its [`dir`].
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
    publish_with(&kpi)
}

/// Publishes each demo sample of [`DEMOS`] into its [`dir`] with the `kpi` binary at `kpi`
/// (already built: the test run reuses the one its native tests linked).
pub fn publish_with(kpi: &std::path::Path) -> Result<()> {
    let root = crate::root();
    for (data, name) in DEMOS {
        let out = dir(name);
        if out.exists() {
            std::fs::remove_dir_all(&out)
                .with_context(|| format!("cannot clear {}", out.display()))?;
        }
        run(std::process::Command::new(kpi)
            .current_dir(&root)
            .args(["publish", data, "--out"])
            .arg(&out))?;
    }
    Ok(())
}
