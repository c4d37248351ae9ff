//! Finding and installing the tools a task needs, so that a fresh machine
//! works with one command.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs a command, echoing it, and fails when it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .with_context(|| format!("cannot start `{}`", describe(cmd)))?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(cmd));
    }
    Ok(())
}

/// Runs a command and returns its standard output, `None` when it cannot start or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn describe(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// The `cargo` that runs this task.
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// The exact `wasm-bindgen` version locked in Cargo.lock.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(crate::root().join("Cargo.lock"))
        .context("cannot read Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(v.trim_matches('"').to_string());
            }
        }
    }
    bail!("wasm-bindgen is not in Cargo.lock")
}

/// Adds the `wasm32-unknown-unknown` target when missing.
pub fn ensure_wasm_target() -> Result<()> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// Adds the `rust-src` component when missing: the threaded engine module builds the
/// standard library again with WebAssembly atomics (docs/widgets.md, "Two cores").
pub fn ensure_rust_src() -> Result<()> {
    let installed = output(Command::new("rustup").args(["component", "list", "--installed"]))
        .unwrap_or_default();
    if !installed.lines().any(|l| l.trim().starts_with("rust-src")) {
        run(Command::new("rustup").args(["component", "add", "rust-src"]))?;
    }
    Ok(())
}

/// Installs `wasm-bindgen-cli` at the locked version when missing or different.
pub fn ensure_wasm_bindgen_cli() -> Result<()> {
    let want = locked_wasm_bindgen_version()?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(want.as_str()) {
        // Not --locked: the registry mirror lags some of its locked dependencies.
        run(cargo().args(["install", "wasm-bindgen-cli", "--version", &want]))?;
    }
    Ok(())
}

/// The cargo-deny release the supply-chain check is written for (`deny.toml`).
pub const CARGO_DENY_VERSION: &str = "0.20.2";

/// Installs `cargo-deny` at [`CARGO_DENY_VERSION`] when missing or different.
pub fn ensure_cargo_deny() -> Result<()> {
    let have = output(cargo().args(["deny", "--version"])).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(CARGO_DENY_VERSION) {
        // Not --locked, as for wasm-bindgen-cli: the registry mirror lags some locked dependencies.
        run(cargo().args(["install", "cargo-deny", "--version", CARGO_DENY_VERSION]))?;
    }
    Ok(())
}

/// The Chromium binary and ChromeDriver, installing Debian's packages when
/// missing and allowed (running as root with apt-get).
pub fn ensure_chromium() -> Result<(PathBuf, PathBuf)> {
    let find = || {
        let browser = which(&["chromium", "chromium-browser", "google-chrome"]);
        let driver = which(&["chromedriver"]);
        browser.zip(driver)
    };
    if let Some(found) = find() {
        return Ok(found);
    }
    let is_root = output(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0");
    if is_root && which(&["apt-get"]).is_some() {
        run(Command::new("apt-get").args(["update", "-qq"]))?;
        run(Command::new("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y", "-qq", "chromium", "chromium-driver"]))?;
    }
    find().context(
        "Chromium and ChromeDriver are needed for the browser tests: install them with \
         `sudo apt-get install chromium chromium-driver`, or run `cargo xtask test --skip-browser`",
    )
}

/// Installs the npm packages of a folder (`npm ci`) when `node_modules` is
/// missing or older than `package-lock.json` (a pull that added a package).
pub fn ensure_npm(dir: &Path) -> Result<()> {
    let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let installed = modified(dir.join("node_modules").join(".package-lock.json"));
    let locked = modified(dir.join("package-lock.json"));
    if dir.join("node_modules").is_dir() && installed.is_some() && installed >= locked {
        return Ok(());
    }
    which(&["npm"]).context("Node.js and npm are needed for the browser tests")?;
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir))
}

/// The first of `names` found on PATH.
pub fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in names {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}
