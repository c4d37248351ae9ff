//! `cargo xtask test`: every test of the project, in order of speed.

use crate::tools::{self, cargo, run as sh};
use crate::{serve, widgets};
use anyhow::{Context, Result};
use std::process::Command;
use std::time::Instant;

/// Features of the native lint, doc and test runs beyond the defaults.
const NATIVE_FEATURES: &str = "kpi-cli/datafusion";

/// The targets and features of the native test run (`cargo test`), also built for the
/// end-to-end tests so that they reuse its `kpi` binary.
const NATIVE_TEST_SELECTION: [&str; 7] = [
    "--workspace",
    "--features",
    NATIVE_FEATURES,
    "--lib",
    "--bins",
    "--tests",
    "--examples",
];

/// Test options.
pub struct Options {
    /// Skip everything that needs Chromium (WebAssembly and end-to-end tests).
    pub skip_browser: bool,
    /// Skip formatting, lints and docs (for quick local runs).
    pub fast: bool,
}

/// Runs the whole suite.
pub fn run(opts: Options) -> Result<()> {
    let root = crate::root();
    let start = Instant::now();
    let step = |name: &str| eprintln!("\n==> {name} ({:.0?} elapsed)", start.elapsed());

    if !opts.fast {
        step("formatting");
        sh(cargo()
            .current_dir(&root)
            .args(["fmt", "--all", "--", "--check"]))?;
        step("lints (native)");
        // `kpi-cli/datafusion`: the `--engine datafusion` code of the CLI is linted,
        // documented and tested too (kpi-datafusion itself is a workspace member).
        sh(cargo().current_dir(&root).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--features",
            NATIVE_FEATURES,
            "--",
            "-D",
            "warnings",
        ]))?;
        tools::ensure_wasm_target()?;
        step("lints (WebAssembly)");
        clippy_wasm(&root, &["--all-targets"])?;
        step("lints (WebAssembly, the core chart module as shipped: core kinds only)");
        clippy_wasm(
            &root,
            &["--lib", "--no-default-features", "--features", "chart"],
        )?;
        step("lints (WebAssembly, engine build)");
        clippy_wasm(&root, &["--features", "engine", "--all-targets"])?;
        step("lints (WebAssembly, the engine module as shipped: no chart drawing)");
        clippy_wasm(
            &root,
            &["--lib", "--no-default-features", "--features", "engine"],
        )?;
        step("lints (WebAssembly, the threaded engine module: atomics and the pool)");
        tools::ensure_rust_src()?;
        sh(widgets::threaded_cargo(&root, "clippy").args(["--", "-D", "warnings"]))?;
        step("lints (WebAssembly, the spreadsheet module as shipped)");
        clippy_wasm(
            &root,
            &["--lib", "--no-default-features", "--features", "sheets"],
        )?;
        step("documentation");
        sh(cargo()
            .current_dir(&root)
            .env("RUSTDOCFLAGS", "-D warnings")
            .args([
                "doc",
                "--workspace",
                "--no-deps",
                "--features",
                NATIVE_FEATURES,
            ]))?;
        // Licences, banned and duplicate crates, allowed sources (deny.toml). The advisory
        // check needs the RustSec database from GitHub: run it by hand where the network allows.
        tools::ensure_cargo_deny()?;
        step("supply chain (cargo deny: licenses, bans, sources)");
        sh(cargo().current_dir(&root).args([
            "deny",
            "--log-level",
            "error",
            "check",
            "licenses",
            "bans",
            "sources",
        ]))?;
    }

    step("native tests");
    sh(cargo()
        .current_dir(&root)
        // Benchmarks are compiled by clippy above; running them here (criterion's test mode
        // builds national-size inputs in a debug build) would only slow the suite down.
        .arg("test")
        .args(NATIVE_TEST_SELECTION))?;
    sh(cargo().current_dir(&root).args([
        "test",
        "--workspace",
        "--features",
        NATIVE_FEATURES,
        "--doc",
    ]))?;

    if opts.skip_browser {
        eprintln!("\nbrowser tests skipped (--skip-browser)");
        return Ok(());
    }

    let (chromium, chromedriver) = tools::ensure_chromium()?;
    tools::ensure_wasm_bindgen_cli()?;

    step("WebAssembly tests in headless Chromium (wasm-bindgen-test)");
    // wasm-widgets/webdriver.json carries the headless flags and the binary path.
    sh(cargo()
        .current_dir(root.join("wasm-widgets"))
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", &chromedriver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "180")
        .args(["test", "--target", "wasm32-unknown-unknown"]))?;
    // The engine build (the dataset worker's module) from the same sources.
    sh(cargo()
        .current_dir(root.join("wasm-widgets"))
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", &chromedriver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "180")
        .args([
            "test",
            "--target",
            "wasm32-unknown-unknown",
            "--features",
            "engine",
        ]))?;

    let e2e = root.join("tests").join("e2e");
    if e2e.join("package.json").is_file() {
        step("widgets build for the end-to-end tests");
        widgets::build(widgets::Profile::Release)?;
        // The `kpi` binary the native tests linked: the same package selection and
        // features as the test run, so cargo finds every unit fresh. (`-p kpi-cli` alone
        // resolves other features for the shared dependencies and compiled DataFusion
        // and everything under it a second time: 4 minutes and gigabytes of disk.)
        step("CLI build for the end-to-end tests");
        sh(cargo()
            .current_dir(&root)
            .arg("build")
            .args(NATIVE_TEST_SELECTION))?;
        let kpi = root.join("target").join("debug").join("kpi");
        step("published bundle of the sample (portal page)");
        crate::bundle::publish_with(&kpi)?;
        tools::ensure_npm(&e2e)?;
        let mut ports = Vec::new();
        for strict_csp in [false, true] {
            let listener = std::net::TcpListener::bind("127.0.0.1:0")
                .context("cannot start the test server")?;
            let port = listener.local_addr()?.port();
            std::thread::spawn(move || {
                let _ = serve::serve_on(
                    listener,
                    serve::Options {
                        strict_csp,
                        quiet: true,
                    },
                );
            });
            ports.push(port);
        }
        step("end-to-end tests in headless Chromium");
        sh(Command::new("node")
            .arg("run.mjs")
            .current_dir(&e2e)
            .env("KPI_BASE_URL", format!("http://127.0.0.1:{}", ports[0]))
            .env("KPI_CSP_URL", format!("http://127.0.0.1:{}", ports[1]))
            .env("KPI_CHROMIUM", &chromium)
            .env("KPI_BIN", &kpi)
            .env("KPI_ROOT", &root))?;
    }
    eprintln!("\nall tests passed in {:.0?}", start.elapsed());
    Ok(())
}

/// `cargo clippy -p kpi-widgets <args> --target wasm32-unknown-unknown -- -D warnings`: one
/// lint run of a WebAssembly build, `args` choosing the module's features and targets.
fn clippy_wasm(root: &std::path::Path, args: &[&str]) -> Result<()> {
    sh(cargo()
        .current_dir(root)
        .args(["clippy", "--package", "kpi-widgets"])
        .args(args)
        .args(["--target", "wasm32-unknown-unknown", "--", "-D", "warnings"]))
}
