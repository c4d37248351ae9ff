//! Building the distributable widget folder `dist/kpi-widgets/`:
//! `kpi-widgets.js` (the `<kpi-widget>` element and JS API), the wasm-bindgen
//! glue, the `.wasm`, TypeScript declarations and `package.json`.

use crate::tools::{self, cargo, run};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Build profile of the WebAssembly module.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Fast to build, large and slow.
    Dev,
    /// Release: the chart module size-minded (`[profile.wasm-release]`), the engine
    /// speed-minded (`[profile.wasm-engine]`).
    Release,
}

/// The output folder.
pub fn dist_dir() -> PathBuf {
    crate::root().join("dist").join("kpi-widgets")
}

/// Builds the widgets into [`dist_dir`].
pub fn build(profile: Profile) -> Result<PathBuf> {
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen_cli()?;
    let root = crate::root();
    // The chart module is built for size (it is on every portal page); the engine for
    // speed (`[profile.wasm-engine]`), since it computes the whole catalogue in the worker.
    let profile_of = |engine: bool| match (profile, engine) {
        (Profile::Dev, _) => ("dev", "debug"),
        (Profile::Release, false) => ("wasm-release", "wasm-release"),
        (Profile::Release, true) => ("wasm-engine", "wasm-engine"),
    };
    let out = dist_dir();
    if out.exists() {
        std::fs::remove_dir_all(&out).with_context(|| format!("cannot clear {}", out.display()))?;
    }
    std::fs::create_dir_all(&out)?;
    // The same crate twice: the dataset engine (import, indicators, risk) for the worker,
    // then the chart module for the main thread. Each wasm-bindgen run reads the
    // `.wasm` cargo just wrote, before the next build overwrites it.
    for (features, out_name) in [(Some("engine"), "kpi_engine"), (None, "kpi_widgets")] {
        let (profile_arg, profile_dir) = profile_of(features.is_some());
        let mut build = cargo();
        build.current_dir(&root).args([
            "build",
            "--package",
            "kpi-widgets",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            profile_arg,
        ]);
        if let Some(f) = features {
            build.args(["--features", f]);
        }
        run(&mut build)?;
        let wasm = target_dir(&root)
            .join("wasm32-unknown-unknown")
            .join(profile_dir)
            .join("kpi_widgets.wasm");
        bindgen(&wasm, &out, out_name, profile)?;
    }
    copy_js(&root.join("wasm-widgets").join("js"), &out)?;
    write_package_json(&root, &out)?;
    let size = |name: &str| {
        std::fs::metadata(out.join(name))
            .map(|m| m.len() / 1024)
            .unwrap_or(0)
    };
    eprintln!(
        "widgets built in {} (kpi_widgets_bg.wasm: {} KB, kpi_engine_bg.wasm: {} KB)",
        out.display(),
        size("kpi_widgets_bg.wasm"),
        size("kpi_engine_bg.wasm"),
    );
    Ok(out)
}

/// Runs wasm-bindgen (and wasm-opt when installed) on `wasm`, writing `out_name.js` and
/// `out_name_bg.wasm` into `out`.
fn bindgen(wasm: &Path, out: &Path, out_name: &str, profile: Profile) -> Result<()> {
    run(Command::new("wasm-bindgen")
        // The name section (function names for stack traces) is a fifth of the gzipped
        // module; panics still log their message and location.
        .args([
            "--target",
            "web",
            "--remove-name-section",
            "--out-name",
            out_name,
            "--out-dir",
        ])
        .arg(out)
        .arg(wasm))?;
    let bg = out.join(format!("{out_name}_bg.wasm"));
    if profile == Profile::Release && tools::which(&["wasm-opt"]).is_some() {
        // Optional: smaller and faster when Binaryen is installed; never required.
        let _ = run(Command::new("wasm-opt")
            .args([
                "-Os",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "-o",
            ])
            .arg(&bg)
            .arg(&bg));
    }
    Ok(())
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

fn copy_js(from: &Path, to: &Path) -> Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let target = to.join(entry.file_name());
        if path.extension().is_some_and(|e| e == "js") {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            std::fs::write(&target, strip_comment_lines(&text))
                .with_context(|| format!("cannot write {}", target.display()))?;
        } else {
            std::fs::copy(&path, &target)
                .with_context(|| format!("cannot copy {}", path.display()))?;
        }
    }
    Ok(())
}

/// Drops whole-line comments (`// …`, and `/* … */` blocks that start a line) and blank
/// lines from a shipped JavaScript file: the gzipped size counts, and the documentation
/// lives in the source and the `.d.ts`. Code lines are kept exactly as written.
fn strip_comment_lines(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    let mut in_block = false;
    for line in js.lines() {
        let t = line.trim_start();
        if in_block {
            in_block = !t.contains("*/");
            continue;
        }
        if t.starts_with("/*") {
            in_block = !t.contains("*/");
            continue;
        }
        if t.is_empty() || t.starts_with("//") {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn write_package_json(root: &Path, out: &Path) -> Result<()> {
    let manifest = std::fs::read_to_string(root.join("wasm-widgets").join("Cargo.toml"))?;
    let version = manifest
        .lines()
        .find_map(|l| l.trim().strip_prefix("version = "))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| "0.0.0".into());
    let mut files: Vec<String> = std::fs::read_dir(out)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "package.json")
        .collect();
    files.sort();
    let files_json = files
        .iter()
        .map(|f| format!("    \"{f}\""))
        .collect::<Vec<_>>()
        .join(",\n");
    let json = format!(
        r#"{{
  "name": "kpi-widgets",
  "version": "{version}",
  "description": "Embeddable education-quality chart widgets (<kpi-widget>), computed in WebAssembly; data never leaves the browser.",
  "type": "module",
  "main": "kpi-widgets.js",
  "module": "kpi-widgets.js",
  "types": "kpi-widgets.d.ts",
  "sideEffects": ["kpi-widgets.js"],
  "license": "MIT OR Apache-2.0",
  "files": [
{files_json}
  ]
}}
"#
    );
    std::fs::write(out.join("package.json"), json)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::strip_comment_lines;

    #[test]
    fn comment_lines_go_code_stays() {
        let js =
            "// head\n/**\n * doc\n */\nconst a = 'x // y';\n\n  /* one */\nlet b = 1; // tail\n";
        assert_eq!(
            strip_comment_lines(js),
            "const a = 'x // y';\nlet b = 1; // tail\n"
        );
    }
}
