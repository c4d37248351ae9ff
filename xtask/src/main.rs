//! Project tasks, run as `cargo xtask <task>` (alias in `.cargo/config.toml`).
//!
//! * `demo`    build the widgets, publish the demo sample's bundle and serve `demo/`
//!   on http://127.0.0.1:8080
//! * `widgets` build the distributable widget folder `dist/kpi-widgets/`
//! * `serve`   serve `demo/` (and the widgets under `/kpi/`) without building
//! * `test`    run every test: formatting, lints, docs, native, WebAssembly in
//!   headless Chromium, and the browser end-to-end suite
//!
//! Each task installs what a fresh machine lacks (the wasm32 target,
//! wasm-bindgen-cli at the exact version of Cargo.lock, Chromium, npm packages).

mod bundle;
mod serve;
mod test;
mod tools;
mod widgets;

use anyhow::{bail, Result};
use std::path::PathBuf;

fn main() {
    if let Err(e) = run() {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        print_help();
        return Ok(());
    }
    let task = args.remove(0);
    match task.as_str() {
        "demo" => {
            let port = flag_value(&mut args, "--port")?.unwrap_or_else(|| "8080".into());
            let dev = take_flag(&mut args, "--dev");
            no_more(&args)?;
            widgets::build(if dev {
                widgets::Profile::Dev
            } else {
                widgets::Profile::Release
            })?;
            bundle::publish_demo(!dev)?;
            serve::serve(&port.parse()?, serve::Options::default())
        }
        "widgets" => {
            let dev = take_flag(&mut args, "--dev");
            no_more(&args)?;
            widgets::build(if dev {
                widgets::Profile::Dev
            } else {
                widgets::Profile::Release
            })?;
            Ok(())
        }
        "serve" => {
            let port = flag_value(&mut args, "--port")?.unwrap_or_else(|| "8080".into());
            let csp = take_flag(&mut args, "--strict-csp");
            no_more(&args)?;
            serve::serve(
                &port.parse()?,
                serve::Options {
                    strict_csp: csp,
                    ..Default::default()
                },
            )
        }
        "test" => {
            let opts = test::Options {
                skip_browser: take_flag(&mut args, "--skip-browser"),
                fast: take_flag(&mut args, "--fast"),
            };
            no_more(&args)?;
            test::run(opts)
        }
        "help" | "--help" | "-h" => {
            print_help();
            Ok(())
        }
        other => bail!("unknown task `{other}`; run `cargo xtask help`"),
    }
}

fn print_help() {
    println!(
        "cargo xtask <task>\n\n  demo [--port 8080] [--dev]   build the widgets, publish the sample's bundle, serve the demo\n  widgets [--dev]              build dist/kpi-widgets/ (JS, .wasm, TypeScript declarations, package.json)\n  serve [--port 8080] [--strict-csp]  serve demo/ and the built widgets\n  test [--skip-browser] [--fast]      run every test (fmt, clippy, docs, native, wasm in Chromium, end-to-end)"
    );
}

fn take_flag(args: &mut Vec<String>, name: &str) -> bool {
    let before = args.len();
    args.retain(|a| a != name);
    args.len() != before
}

fn flag_value(args: &mut Vec<String>, name: &str) -> Result<Option<String>> {
    if let Some(pos) = args.iter().position(|a| a == name) {
        if pos + 1 >= args.len() {
            bail!("{name} needs a value");
        }
        let v = args.remove(pos + 1);
        args.remove(pos);
        return Ok(Some(v));
    }
    Ok(None)
}

fn no_more(args: &[String]) -> Result<()> {
    if let Some(a) = args.first() {
        bail!("unexpected argument `{a}`");
    }
    Ok(())
}

/// The workspace root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}
