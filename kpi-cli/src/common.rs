//! Loading datasets for the CLI, and output helpers.

use anyhow::{bail, Context, Result};
use kpi_import::{load_with_progress, read_paths_with_limits, AliasBook, Limits, LoadOptions};
use kpi_indicators::formula::FormulaLimits;
use kpi_model::Dataset;
use std::io::IsTerminal;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// The import limits of this run (`--limits FILE`, else the defaults).
static LIMITS: OnceLock<Limits> = OnceLock::new();
/// The formula limits for user catalogue files (`[formula]` of `--limits FILE`).
static FORMULA_LIMITS: OnceLock<FormulaLimits> = OnceLock::new();
/// The alias book of this run: the built-in one extended by `--aliases FILE`.
static ALIASES: OnceLock<AliasBook> = OnceLock::new();
/// Whether any error rejects its whole table (`--strict`).
static STRICT: OnceLock<bool> = OnceLock::new();
/// Which engine aggregates the record tables (`--engine`, `--memory-limit`).
static ENGINE: OnceLock<DataEngine> = OnceLock::new();
/// Set when a table was rejected as a whole: the command's answers lack
/// it, so the process ends with [`TABLE_REJECTED_EXIT`].
static TABLE_REJECTED: AtomicBool = AtomicBool::new(false);

/// The exit code of a command whose input lost a whole table.
pub const TABLE_REJECTED_EXIT: u8 = 3;

/// Parses `--year`: a calendar year or an academic year in any spelling
/// the exports use (`2023`, `2023-2024`, `2023–2024`, `2023/24`).
pub fn academic_year(text: &str) -> std::result::Result<i32, String> {
    kpi_import::parse_year(text).ok_or_else(|| {
        format!("`{text}` is not a year: write 2023 or an academic year such as 2023-2024")
    })
}

/// Reads `--aliases FILE` (TOML of the same shape as the built-in
/// `aliases.toml`), extending the built-in aliases for every load of this run.
pub fn set_aliases_file(path: &Path) -> Result<()> {
    let text = read_user_file(path, "aliases")?;
    let mut book = AliasBook::builtin();
    book.extend_from_toml_str(&path.display().to_string(), &text)
        .map_err(|e| anyhow::anyhow!("--aliases {}: {e}", path.display()))?;
    let _ = ALIASES.set(book);
    Ok(())
}

/// `--strict`: any error rejects its whole table.
pub fn set_strict(strict: bool) {
    let _ = STRICT.set(strict);
}

/// The engine that turns record tables into metrics.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum DataEngine {
    /// Everything in memory (kpi-import), the default.
    #[default]
    Memory,
    /// The record tables on Apache DataFusion (kpi-datafusion), streaming
    /// within `memory_limit` bytes and spilling into `spill_dir`.
    DataFusion {
        /// The memory limit in bytes, `None` for none.
        memory_limit: Option<u64>,
        /// The spill folder, `None` for the system's temporary folder.
        spill_dir: Option<PathBuf>,
        /// A Ballista scheduler (`df://host:port`) that runs the plans instead
        /// of this process (feature `ballista`).
        cluster: Option<String>,
    },
}

/// `--engine`, `--memory-limit`, `--spill-dir`, `--cluster`.
pub fn set_engine(
    name: &str,
    memory_limit: Option<&str>,
    spill_dir: Option<&Path>,
    cluster: Option<&str>,
) -> Result<()> {
    let engine = match name {
        "memory" => {
            if memory_limit.is_some() || spill_dir.is_some() || cluster.is_some() {
                bail!(
                    "--memory-limit, --spill-dir and --cluster apply to --engine datafusion only"
                );
            }
            DataEngine::Memory
        }
        "datafusion" => {
            if cfg!(not(feature = "datafusion")) {
                bail!("this kpi was built without the DataFusion engine: build it with `cargo build --release --features datafusion` (docs/scale.md)");
            }
            if cluster.is_some() && cfg!(not(feature = "ballista")) {
                bail!("this kpi was built without the Ballista client: build it with `cargo build --release -p kpi-cli --features ballista` (docs/scale.md)");
            }
            if cluster.is_some() && (memory_limit.is_some() || spill_dir.is_some()) {
                bail!("--memory-limit and --spill-dir apply to this process's engine, not to a cluster: give them to the executors (`kpi-cluster executor --memory-limit`)");
            }
            DataEngine::DataFusion {
                memory_limit: memory_limit.map(parse_size).transpose()?,
                spill_dir: spill_dir.map(Path::to_path_buf),
                cluster: cluster.map(str::to_string),
            }
        }
        other => bail!("unknown engine `{other}`: memory (the default) or datafusion"),
    };
    let _ = ENGINE.set(engine);
    Ok(())
}

/// The engine of this run.
pub fn data_engine() -> DataEngine {
    ENGINE.get().cloned().unwrap_or_default()
}

/// Parses a size: bytes, or a number with KiB/MiB/GiB/TiB (powers of 1024)
/// or KB/MB/GB/TB (powers of 1000).
pub fn parse_size(text: &str) -> Result<u64> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: f64 = number.parse().with_context(|| {
        format!("`{text}` is not a size: write e.g. 2GiB, 512MiB or 2000000000")
    })?;
    let scale: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kib" | "k" => 1024.0,
        "mib" | "m" => 1024.0 * 1024.0,
        "gib" | "g" => 1024.0 * 1024.0 * 1024.0,
        "tib" | "t" => 1024.0f64.powi(4),
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        other => bail!(
            "unknown size unit `{other}` in `{text}`: B, KiB, MiB, GiB, TiB, KB, MB, GB or TB"
        ),
    };
    let bytes = number * scale;
    if !(1.0..1.8e19).contains(&bytes) {
        bail!("`{text}` is not a usable size");
    }
    Ok(bytes as u64)
}

/// Whether a table was rejected as a whole in this run's loads.
pub fn table_rejected() -> bool {
    TABLE_REJECTED.load(Ordering::Relaxed)
}

/// Says on stderr, in one line, what a load rejected (nothing when
/// nothing was), and remembers a table rejected as a whole so that the
/// command exits non-zero.
pub fn report_rejections(report: &kpi_model::validate::ValidationReport) {
    let Some(summary) = report.rejected_summary() else {
        return;
    };
    if report.rejected().tables > 0 {
        TABLE_REJECTED.store(true, Ordering::Relaxed);
    }
    let _ = writeln!(
        std::io::stderr(),
        "kpi: {summary}: run `kpi validate` for where and why"
    );
}

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
        aliases: ALIASES.get().cloned(),
        strict: STRICT.get().copied().unwrap_or(false),
        ..LoadOptions::default()
    }
}

/// Loads the dataset at `paths` (files or folders), with a progress bar when
/// stderr is a terminal (nothing when piped or redirected).
pub fn load_dataset(paths: &[PathBuf]) -> Result<Dataset> {
    let ds = load_dataset_with(paths, &load_options())?;
    report_rejections(ds.report());
    Ok(ds)
}

/// [`load_dataset`] with explicit options, without the line on stderr.
pub fn load_dataset_with(paths: &[PathBuf], options: &LoadOptions) -> Result<Dataset> {
    if let DataEngine::DataFusion {
        memory_limit,
        spill_dir,
        cluster,
    } = data_engine()
    {
        return load_with_datafusion(paths, options, memory_limit, spill_dir, cluster);
    }
    let sources = read_paths_with_limits(paths, &options.limits).context("reading the dataset")?;
    if sources.is_empty() {
        return Err(no_data_files(paths));
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

/// The closest of `candidates` to `word` (Jaro–Winkler above 0.8), as
/// ` (did you mean `x`?)`, or nothing.
pub fn did_you_mean<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let w = word.to_lowercase();
    candidates
        .map(|c| (strsim::jaro_winkler(&w, &c.to_lowercase()), c))
        .filter(|(s, _)| *s > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

/// The organisation `id` given to `flag`, or an error with the closest
/// org_id, or the org_id of an organisation whose name was given instead.
pub fn org_of(dataset: &Dataset, flag: &str, id: &str) -> Result<kpi_model::OrgIdx> {
    if let Some(org) = dataset.org_by_id(id) {
        return Ok(org);
    }
    let key = kpi_import::match_key(id);
    let by_name = dataset.organisations().iter().find(|o| {
        [
            Some(&o.name),
            o.name_kk.as_ref(),
            o.name_ru.as_ref(),
            o.name_en.as_ref(),
        ]
        .into_iter()
        .flatten()
        .any(|n| kpi_import::match_key(n) == key)
    });
    let hint = match by_name {
        Some(o) => format!(" (that is the name of `{}`: give its org_id)", o.id),
        None => did_you_mean(id, dataset.organisations().iter().map(|o| o.id.as_str())),
    };
    bail!("{flag} {id:?}: no organisation with this org_id{hint}")
}

/// Checks an indicator code given to `flag` against the catalogue, with a
/// did-you-mean over the codes.
pub fn check_indicator(
    catalogue: &kpi_indicators::Catalogue,
    flag: &str,
    code: &str,
) -> Result<()> {
    if catalogue.by_code(code).is_some() {
        return Ok(());
    }
    bail!(
        "{flag} {code:?}: unknown indicator{}; `kpi catalogue` lists them",
        did_you_mean(code, catalogue.iter().map(|(_, d)| d.code.as_str()))
    )
}

#[cfg(feature = "datafusion")]
fn load_with_datafusion(
    paths: &[PathBuf],
    options: &LoadOptions,
    memory_limit: Option<u64>,
    spill_dir: Option<PathBuf>,
    cluster: Option<String>,
) -> Result<Dataset> {
    let engine = kpi_datafusion::EngineOptions {
        memory_limit: memory_limit.map(|m| usize::try_from(m).unwrap_or(usize::MAX)),
        spill_dir,
        partitions: 0,
        scheduler: cluster,
    };
    let ds = kpi_datafusion::load(paths, options, &engine).context("the DataFusion engine")?;
    if ds.organisations().is_empty() && ds.report().tables.is_empty() {
        return Err(no_data_files(paths));
    }
    Ok(ds)
}

#[cfg(not(feature = "datafusion"))]
fn load_with_datafusion(
    _paths: &[PathBuf],
    _options: &LoadOptions,
    _memory_limit: Option<u64>,
    _spill_dir: Option<PathBuf>,
    _cluster: Option<String>,
) -> Result<Dataset> {
    bail!("this kpi was built without the DataFusion engine")
}

/// The error of a load that found no file it reads under `paths`.
fn no_data_files(paths: &[PathBuf]) -> anyhow::Error {
    let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    anyhow::anyhow!(
        "no CSV, TSV, TXT, XLSX, JSON, Parquet or Arrow files found in {}",
        paths.join(", ")
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes() {
        assert_eq!(parse_size("2GiB").unwrap(), 2 * 1024 * 1024 * 1024);
        assert_eq!(parse_size("512 MiB").unwrap(), 512 * 1024 * 1024);
        assert_eq!(parse_size("1.5GB").unwrap(), 1_500_000_000);
        assert_eq!(parse_size("4096").unwrap(), 4096);
        assert!(parse_size("2 parsecs").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("GiB").is_err());
    }

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
