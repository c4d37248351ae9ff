//! Loading datasets for the CLI, and output helpers.

use anyhow::{bail, Context, Result};
use kpi_import::{load_with_progress, read_paths_with_limits, Limits, LoadOptions};
use kpi_indicators::formula::FormulaLimits;
use kpi_model::Dataset;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The import limits of this run (`--limits FILE`, else the defaults).
static LIMITS: OnceLock<Limits> = OnceLock::new();
/// The formula limits for user catalogue files (`[formula]` of `--limits FILE`).
static FORMULA_LIMITS: OnceLock<FormulaLimits> = OnceLock::new();

/// The text of a user's `what` file (catalogue, criteria, weights), with an
/// error naming it when it cannot be read.
pub fn read_user_file(path: &Path, what: &str) -> Result<String> {
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the {what} file {}", path.display()))
}

/// Reads `--limits FILE`: a TOML file of [`Limits`] fields, e.g.
/// `max_file_bytes = 8589934592`, and optionally a `[formula]` table of
/// [`FormulaLimits`] fields for user catalogue files (`max_length`,
/// `max_depth`). Fields left out keep their defaults and an unknown field is
/// an error (a misspelt limit must not be ignored).
pub fn set_limits_file(path: &Path) -> Result<()> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("--limits {}: cannot read the file", path.display()))?;
    let (limits, formula) =
        parse_limits(&text).with_context(|| format!("--limits {}", path.display()))?;
    // Set once, before any load.
    let _ = LIMITS.set(limits);
    let _ = FORMULA_LIMITS.set(formula);
    Ok(())
}

fn parse_limits(text: &str) -> Result<(Limits, FormulaLimits)> {
    let mut table: toml::Table = toml::from_str(text).context("not valid TOML")?;
    let formula = match table.remove("formula") {
        None => FormulaLimits::default(),
        Some(toml::Value::Table(f)) => {
            let mut known = toml::Table::try_from(FormulaLimits::default()).context("limits")?;
            check_keys(&f, &known, "formula.")?;
            known.extend(f);
            known
                .try_into::<FormulaLimits>()
                .context("a formula limit is not a whole number")?
        }
        Some(_) => bail!("`formula` must be a table: [formula] with max_length, max_depth"),
    };
    let known = toml::Table::try_from(Limits::default()).context("limits")?;
    check_keys(&table, &known, "")?;
    let limits: Limits = table.try_into().context("a limit is not a whole number")?;
    Ok((limits, formula))
}

/// Every key of `table` is a key of `known` (`prefix` names the table in the message).
fn check_keys(table: &toml::Table, known: &toml::Table, prefix: &str) -> Result<()> {
    if let Some(key) = table.keys().find(|k| !known.contains_key(*k)) {
        bail!(
            "unknown limit `{prefix}{key}`; the limits are {}",
            known
                .keys()
                .map(|k| format!("{prefix}{k}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}

/// The formula limits for user catalogue files of this run.
pub fn formula_limits() -> FormulaLimits {
    FORMULA_LIMITS.get().copied().unwrap_or_default()
}

/// Load options with this run's limits.
pub fn load_options() -> LoadOptions {
    LoadOptions {
        limits: LIMITS.get().cloned().unwrap_or_default(),
        ..LoadOptions::default()
    }
}

/// Loads the dataset at `paths` (files or folders), with a progress bar when
/// stderr is a terminal (nothing when piped or redirected).
pub fn load_dataset(paths: &[PathBuf]) -> Result<Dataset> {
    load_dataset_with(paths, &load_options())
}

/// [`load_dataset`] with explicit options.
pub fn load_dataset_with(paths: &[PathBuf], options: &LoadOptions) -> Result<Dataset> {
    let sources = read_paths_with_limits(paths, &options.limits).context("reading the dataset")?;
    if sources.is_empty() {
        bail!(
            "no CSV, TSV, TXT, XLSX or JSON files found in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let total: u64 = sources.iter().map(|s| s.bytes.len() as u64).sum();
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:30} {bytes}/{total_bytes} ({bytes_per_sec}) {msg}",
        ) {
            bar.set_style(style);
        }
        bar
    });
    let ds = load_with_progress(sources, options, &mut |p| {
        if let Some(bar) = &bar {
            bar.set_length(p.bytes_total);
            bar.set_position(p.bytes_done);
            bar.set_message(p.stage.clone());
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(ds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_file_sets_named_limits_and_keeps_the_rest() {
        let (l, f) = parse_limits("max_file_bytes = 8589934592\nmax_json_depth = 8\n").unwrap();
        assert_eq!(l.max_file_bytes, 8 << 30);
        assert_eq!(l.max_json_depth, 8);
        assert_eq!(l.max_rows, Limits::default().max_rows);
        assert_eq!(f, FormulaLimits::default());
        let (l, f) = parse_limits("max_rows = 10\n[formula]\nmax_depth = 8\n").unwrap();
        assert_eq!((l.max_rows, f.max_depth), (10, 8));
        assert_eq!(f.max_length, FormulaLimits::default().max_length);
    }

    #[test]
    fn misspelt_or_bad_limits_are_errors() {
        let e = parse_limits("max_file_byte = 1\n").unwrap_err().to_string();
        assert!(e.contains("unknown limit `max_file_byte`"), "{e}");
        let e = format!("{:#}", parse_limits("max_rows = \"many\"\n").unwrap_err());
        assert!(e.contains("not a whole number"), "{e}");
        assert!(parse_limits("max_rows = ").is_err());
        let e = parse_limits("[formula]\nmax_dept = 8\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown limit `formula.max_dept`"), "{e}");
        let e = parse_limits("formula = 3\n").unwrap_err().to_string();
        assert!(e.contains("must be a table"), "{e}");
    }
}
