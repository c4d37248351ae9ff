//! Building the distributable widget folder `dist/kpi-widgets/`:
//! `kpi-widgets.js` (the entry point: the `<kpi-widget>` element and JS API) with the
//! modules it imports, the wasm-bindgen glue and `.wasm` of the core chart module, the full
//! chart module and the engine, TypeScript declarations and `package.json`.

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
    tools::ensure_rust_src()?;
    let root = crate::root();
    // The chart module is built for size (it is on every portal page); the engine for
    // speed (`[profile.wasm-engine]`), since it computes the whole catalogue in the worker.
    // The spreadsheet module the worker loads for a workbook is built like the engine.
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
    // The same crate four times: the dataset engine (import, indicators, risk) and the
    // spreadsheet module (XLSX to cell streams, loaded only for a workbook) for the
    // worker, then the two chart modules for the main thread: the core one (the kinds of
    // `ChartKind::CORE`, which most portal pages show and load first) and the full one
    // (every kind, loaded when a page shows another kind; docs/widgets.md, "Two chart
    // modules"). Each wasm-bindgen run reads the `.wasm` cargo just wrote, before the next
    // build overwrites it.
    for (features, out_name) in [
        (Some("engine"), "kpi_engine"),
        (Some("sheets"), "kpi_sheets"),
        (Some("chart"), "kpi_widgets_core"),
        (None, "kpi_widgets"),
    ] {
        let worker = matches!(features, Some("engine" | "sheets"));
        let (profile_arg, profile_dir) = profile_of(worker);
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
            // The worker never draws: the engine module leaves out `Chart` (layout, canvas,
            // SVG), which the chart modules on the main thread have. The core chart module
            // leaves out the kinds beyond the core (`extra-kinds`).
            build.args(["--no-default-features", "--features", f]);
        }
        run(&mut build)?;
        let wasm = target_dir(&root)
            .join("wasm32-unknown-unknown")
            .join(profile_dir)
            .join("kpi_widgets.wasm");
        bindgen(&wasm, &out, out_name, profile)?;
    }
    build_threaded_engine(&root, &out, profile_of(true), profile)?;
    let js = root.join("wasm-widgets").join("js");
    copy_js(&js, &out)?;
    for glue in [
        "kpi_engine.js",
        "kpi_engine_mt.js",
        "kpi_sheets.js",
        "kpi_widgets_core.js",
        "kpi_widgets.js",
    ] {
        use_shipped_snippets(&out.join(glue), &js)?;
    }
    // The glue of the chart modules is on the chart path of every portal page.
    for glue in ["kpi_widgets_core.js", "kpi_widgets.js"] {
        strip_glue(&out.join(glue))?;
    }
    let snippets = out.join("snippets");
    if snippets.exists() {
        std::fs::remove_dir_all(&snippets)
            .with_context(|| format!("cannot remove {}", snippets.display()))?;
    }
    check_imports(&out)?;
    write_package_json(&root, &out)?;
    let size = |name: &str| {
        std::fs::metadata(out.join(name))
            .map(|m| m.len() / 1024)
            .unwrap_or(0)
    };
    eprintln!(
        "widgets built in {} (kpi_widgets_core_bg.wasm: {} KB, kpi_widgets_bg.wasm: {} KB, kpi_engine_bg.wasm: {} KB, kpi_sheets_bg.wasm: {} KB)",
        out.display(),
        size("kpi_widgets_core_bg.wasm"),
        size("kpi_widgets_bg.wasm"),
        size("kpi_engine_bg.wasm"),
        size("kpi_sheets_bg.wasm"),
    );
    Ok(out)
}

/// The code generation flags of the threaded engine module: WebAssembly atomics and a
/// shared memory the page creates (the glue passes it to every pool worker), its threads'
/// local storage exported for wasm-bindgen's thread start. (Each `\` line end joins the
/// next line without its indentation: one space between flags.)
const THREADED_RUSTFLAGS: &str = "-C target-feature=+atomics,+bulk-memory,+mutable-globals \
    -C link-arg=--shared-memory -C link-arg=--max-memory=4294967296 -C link-arg=--import-memory \
    -C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size \
    -C link-arg=--export=__tls_align -C link-arg=--export=__tls_base";

/// Builds the engine again with WebAssembly atomics into `kpi_engine_mt*`: the dataset
/// worker uses it when the page is cross-origin isolated (shared memory allowed) and the
/// machine has more than one core, and spreads a load over pool workers (kpi-pool).
///
/// The standard library shipped for `wasm32-unknown-unknown` is built without atomics, so
/// it is built again from `rust-src` (`-Z build-std`, which stable Rust allows only with
/// `RUSTC_BOOTSTRAP=1`), in a target folder of its own: its flags differ from every other
/// build's, which would otherwise rebuild each other's dependencies.
fn build_threaded_engine(
    root: &Path,
    out: &Path,
    (profile_arg, profile_dir): (&str, &str),
    profile: Profile,
) -> Result<()> {
    run(threaded_cargo(root, "build").args(["--profile", profile_arg]))?;
    let wasm = threaded_target_dir(root)
        .join("wasm32-unknown-unknown")
        .join(profile_dir)
        .join("kpi_widgets.wasm");
    bindgen(&wasm, out, "kpi_engine_mt", profile)
}

/// The target folder of the threaded engine build.
fn threaded_target_dir(root: &Path) -> PathBuf {
    target_dir(root).join("wasm-threads")
}

/// `cargo <command>` of the threaded engine module (`build`, or `clippy` for its lints):
/// the engine's package and features, WebAssembly atomics, the standard library built again.
pub(crate) fn threaded_cargo(root: &Path, command: &str) -> Command {
    let mut cargo = cargo();
    cargo
        .current_dir(root)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", threaded_target_dir(root))
        .env("RUSTFLAGS", THREADED_RUSTFLAGS)
        .args([
            command,
            "-Z",
            "build-std=panic_abort,std",
            "--package",
            "kpi-widgets",
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "--no-default-features",
            "--features",
            "engine",
        ]);
    cargo
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
    // Not on the engine module: Binaryen 132's -Os and -Oz made it smaller raw but larger
    // gzipped (779,432 -> 815,949 B gzip -9 with -Os at opt-level "s"), and the download is
    // gzipped. Nor on the spreadsheet module, built the same way.
    let engine = matches!(out_name, "kpi_engine" | "kpi_engine_mt" | "kpi_sheets");
    if profile == Profile::Release && !engine && tools::which(&["wasm-opt"]).is_some() {
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

/// Copies the JavaScript modules (comment lines and, where safe, indentation dropped), the
/// `.d.ts` and anything else in `wasm-widgets/js/` into `to`.
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
            std::fs::write(&target, dedent(&strip_comment_lines(&text)))
                .with_context(|| format!("cannot write {}", target.display()))?;
        } else {
            std::fs::copy(&path, &target)
                .with_context(|| format!("cannot copy {}", path.display()))?;
        }
    }
    Ok(())
}

/// Drops the comment lines and indentation of a wasm-bindgen glue module, as for our own
/// modules (`copy_js`): its doc comments repeat the Rust docs, which the `.d.ts` keeps, and
/// were a fifth of the gzipped glue.
/// The first line's `/* @ts-self-types="…" */`, which points TypeScript at the `.d.ts`, stays.
fn strip_glue(glue: &Path) -> Result<()> {
    let text =
        std::fs::read_to_string(glue).with_context(|| format!("cannot read {}", glue.display()))?;
    std::fs::write(glue, stripped_glue(&text))
        .with_context(|| format!("cannot write {}", glue.display()))
}

fn stripped_glue(text: &str) -> String {
    let (head, body) = match text.split_once('\n') {
        Some((first, rest)) if first.contains("@ts-self-types") => (format!("{first}\n"), rest),
        _ => (String::new(), text),
    };
    head + &dedent(&strip_comment_lines(body))
}

/// wasm-bindgen copies a module of `wasm-widgets/js/` that the crate imports from
/// (`#[wasm_bindgen(module = "/js/messages.js")]`) into `snippets/<crate>-<hash>/js/`.
/// The glue is pointed at the shipped module instead (`./messages.js`), so that a page
/// loads it once, the same instance as the element's, and `snippets/` is not shipped.
fn use_shipped_snippets(glue: &Path, js_dir: &Path) -> Result<()> {
    let text =
        std::fs::read_to_string(glue).with_context(|| format!("cannot read {}", glue.display()))?;
    let rewritten = rewrite_snippet_imports(&text, |file| js_dir.join(file).is_file())
        .with_context(|| format!("in {}", glue.display()))?;
    if rewritten != text {
        std::fs::write(glue, rewritten)
            .with_context(|| format!("cannot write {}", glue.display()))?;
    }
    Ok(())
}

/// `js` with every `'./snippets/<crate>-<hash>/js/<file>'` specifier replaced by
/// `'./<file>'`; fails when `<file>` is not a shipped module (`shipped(file)` is false).
fn rewrite_snippet_imports(js: &str, shipped: impl Fn(&str) -> bool) -> Result<String> {
    let mut out = String::with_capacity(js.len());
    let mut rest = js;
    while let Some(i) = rest.find("./snippets/") {
        let (before, after) = rest.split_at(i);
        let quote = before
            .chars()
            .last()
            .filter(|c| matches!(c, '\'' | '"'))
            .with_context(|| {
                format!(
                    "unquoted snippet path near `{}`",
                    &after[..after.len().min(60)]
                )
            })?;
        let end = after.find(quote).context("unterminated snippet path")?;
        let spec = &after[..end];
        let file = spec
            .split_once("/js/")
            .map(|(_, f)| f)
            .filter(|f| shipped(f))
            .with_context(|| {
                format!("the glue imports {spec}, which is not a module of wasm-widgets/js/")
            })?;
        out.push_str(before);
        out.push_str("./");
        out.push_str(file);
        rest = &after[end..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Checks that every module a shipped module imports (or fetches by
/// `new URL('./…', import.meta.url)`) is in `dir`: the entry point `kpi-widgets.js` is one
/// of several modules, and a portal must never get a 404 for one.
fn check_imports(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "js") {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        for spec in relative_imports(&text) {
            let file = spec.split(['?', '#']).next().unwrap_or(spec);
            if !dir.join(file).is_file() {
                anyhow::bail!(
                    "{} imports {spec}, which the build did not produce (a module missing from wasm-widgets/js/?)",
                    path.display()
                );
            }
        }
    }
    Ok(())
}

/// The relative specifiers (`./name.js`) a module names: in `from './…'`, `import './…'`
/// and `new URL('./…', …)` (the files loaded on demand).
fn relative_imports(js: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for prefix in ["from './", "import './", "new URL('./"] {
        let mut rest = js;
        while let Some(i) = rest.find(prefix) {
            rest = &rest[i + prefix.len() - 2..];
            if let Some(end) = rest.find('\'') {
                out.push(&rest[..end]);
            }
        }
    }
    out
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

/// Drops the indentation of every line, unless some line has an odd number of backticks
/// or ends with a backslash: then a template literal (the CSS of shadow.js) or a string may
/// span lines, and its text includes the indentation, so the file is left as it is.
/// Gzipped, indentation is 2–3 % of a module.
fn dedent(js: &str) -> String {
    if js
        .lines()
        .any(|l| l.matches('`').count() % 2 == 1 || l.ends_with('\\'))
    {
        return js.to_string();
    }
    let mut out = String::with_capacity(js.len());
    for line in js.lines() {
        out.push_str(line.trim_start());
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
    use super::{
        dedent, relative_imports, rewrite_snippet_imports, strip_comment_lines, stripped_glue,
    };

    #[test]
    fn glue_loses_doc_comments_keeps_its_types_pointer() {
        let glue = "/* @ts-self-types=\"./k.d.ts\" */\n\nexport class Chart {\n    /**\n     * A chart.\n     * @returns {string}\n     */\n    get kind() {\n        return f('// not a comment');\n    }\n}\n";
        assert_eq!(
            stripped_glue(glue),
            "/* @ts-self-types=\"./k.d.ts\" */\nexport class Chart {\nget kind() {\nreturn f('// not a comment');\n}\n}\n"
        );
    }

    #[test]
    fn indentation_goes_unless_a_template_spans_lines() {
        assert_eq!(
            dedent("if (a) {\n  f(`x${a}`);\n}\n"),
            "if (a) {\nf(`x${a}`);\n}\n"
        );
        let css = "const CSS = `\n  a { b: c; }\n`;\n";
        assert_eq!(dedent(css), css);
    }

    #[test]
    fn glue_imports_the_shipped_module() {
        let glue =
            "import { MESSAGES } from './snippets/kpi-widgets-2b46/js/messages.js';\nlet x;\n";
        assert_eq!(
            rewrite_snippet_imports(glue, |f| f == "messages.js").unwrap(),
            "import { MESSAGES } from './messages.js';\nlet x;\n"
        );
        assert!(rewrite_snippet_imports(glue, |_| false).is_err());
        assert_eq!(
            rewrite_snippet_imports("let y;\n", |_| false).unwrap(),
            "let y;\n"
        );
    }

    #[test]
    fn relative_imports_of_a_module() {
        let js = "import { a } from './a.js';\nimport './b.js';\nexport { c } from './c.js';\n\
                  const D = new URL('./d_bg.wasm', import.meta.url);\nimport x from 'https://x/y.js';\n";
        let mut found = relative_imports(js);
        found.sort();
        assert_eq!(found, ["./a.js", "./b.js", "./c.js", "./d_bg.wasm"]);
    }

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
