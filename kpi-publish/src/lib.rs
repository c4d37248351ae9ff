//! Publishing for public portals: a static bundle of aggregates computed
//! once, privately, from a national export. A portal serves the bundle as
//! files; no student- or respondent-level row, record id or small count
//! leaves the machine that ran `kpi publish`.
//!
//! The bundle (format `kpi-bundle`, version 4; docs/publishing.md) is
//! sharded so that a page loads only what it draws:
//!
//! | file | what it holds |
//! |---|---|
//! | `manifest.json` | format and version, date, generator, hashes of the catalogue, criteria and sources, the suppression rule and counts, levels with their regions and indicators, years |
//! | `catalogue.json` | what every chart shares: indicators as charts describe them, risk criteria (names, weights, units) per level, family and level names, risk bands, the texts of the reasons named by code |
//! | `orgs/<org_id>.json` | one organisation's page: per unit and indicator, by column over the years, the published values, `n`, status, reasons, signals and percentiles, and the trend's line, forecast, tests and sentence; risk by column over the years; radar per year |
//! | `indicators/<level>/<indicator>.json` | peer quantiles per year, nationally and per region |
//! | `indicators/<level>/<region>/<year>/<indicator>.json` | the region's units in one year: value, `n`, status, reason and percentiles (compare, scatter, heat map) |
//! | `distributions/<level>/<indicator>.json` | the published values of the level per year, sorted, and the sentence about them |
//! | `organisations/<level>/<region>.json` | the region's organisations: names in kk/ru/en/ky, ownership, locality, programmes |
//! | `risk/<level>/<year>.json` | the ranking: each organisation's score, degree and top criterion |
//! | `SHA256SUMS` | the SHA-256 of every other file |
//!
//! Statistical disclosure control (module [`suppress`]): a value computed
//! from fewer than `k` persons is published as suppressed with its reason,
//! and secondary suppression keeps it from being recovered from the
//! organisation's total and its other programmes.
//!
//! ```
//! use kpi_engine::{Engine, EngineOptions};
//! use kpi_import::Source;
//! use kpi_publish::{publish, PublishOptions};
//! let orgs = "org_id,name,level,region\nC1,College 1,college,Abai\n";
//! let obs = "org_id,year,graduates,graduates_employed\nC1,2023,40,30\n";
//! let sources = vec![
//!     Source { name: "organisations.csv".into(), bytes: orgs.into() },
//!     Source { name: "observations.csv".into(), bytes: obs.into() },
//! ];
//! let engine = Engine::from_sources(&sources, &EngineOptions::default()).unwrap();
//! let bundle = publish(&engine, &[], &PublishOptions::default()).unwrap();
//! let page = bundle.file("orgs/C1.json").unwrap();
//! let json: serde_json::Value = serde_json::from_slice(&page.bytes).unwrap();
//! let employment = &json["units"][0]["indicators"]["employment_rate"];
//! assert_eq!(employment["value"][0], 75.0); // 100 · 30 / 40
//! assert_eq!(employment["n"][0], 40.0); // from 40 graduates
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod pages;
mod shards;
pub mod suppress;

pub use shards::path_key;

use kpi_engine::Engine;
use kpi_model::{Level, Year};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The bundle format written by this version.
pub const FORMAT: &str = "kpi-bundle";
/// The version of [`FORMAT`].
pub const FORMAT_VERSION: u32 = 4;

/// What to publish.
#[derive(Clone, Debug)]
pub struct PublishOptions {
    /// `k`: a value computed from fewer persons is suppressed (default 5).
    pub min_count: u32,
    /// Only these levels (all when empty).
    pub levels: Vec<Level>,
    /// Only these years (all when empty).
    pub years: Vec<Year>,
    /// Only these indicators (all when empty).
    pub indicators: Vec<String>,
    /// Only these organisations, by org_id (all when empty).
    pub orgs: Vec<String>,
    /// Only organisations of these regions, as written in the data (all when empty).
    pub regions: Vec<String>,
    /// The creation date written in the manifest (`YYYY-MM-DD`); the caller
    /// gives it so that a bundle is a function of its inputs.
    pub created: String,
}

impl Default for PublishOptions {
    fn default() -> Self {
        PublishOptions {
            min_count: 5,
            levels: Vec::new(),
            years: Vec::new(),
            indicators: Vec::new(),
            orgs: Vec::new(),
            regions: Vec::new(),
            created: String::new(),
        }
    }
}

/// A source file named in the manifest: its name (no folders), size and hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceDigest {
    /// The file name, without its folders.
    pub name: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
}

impl SourceDigest {
    /// The digest of a source file's content.
    ///
    /// ```
    /// let d = kpi_publish::SourceDigest::of("data/2024/orgs.csv", b"abc");
    /// assert_eq!(d.name, "orgs.csv");
    /// assert_eq!(d.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /// ```
    pub fn of(path: &str, bytes: &[u8]) -> SourceDigest {
        SourceDigest {
            name: path.rsplit(['/', '\\']).next().unwrap_or(path).to_string(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        }
    }
}

/// One file of a bundle.
#[derive(Clone, Debug, PartialEq)]
pub struct BundleFile {
    /// Path inside the bundle, `/`-separated.
    pub path: String,
    /// Content (UTF-8 JSON).
    pub bytes: Vec<u8>,
}

/// A published bundle: its files, the manifest first.
#[derive(Clone, Debug, Default)]
pub struct Bundle {
    /// Every file, `manifest.json` first.
    pub files: Vec<BundleFile>,
    /// Values suppressed: primary (fewer than k persons) and secondary.
    pub suppressed: suppress::Counts,
}

impl Bundle {
    /// A file by its path in the bundle.
    pub fn file(&self, path: &str) -> Option<&BundleFile> {
        self.files.iter().find(|f| f.path == path)
    }

    /// Writes every file under `dir` (created when missing), on all cores:
    /// a national bundle is tens of thousands of files.
    pub fn write_to(&self, dir: &std::path::Path) -> std::io::Result<()> {
        use rayon::prelude::*;
        let mut folders: Vec<std::path::PathBuf> = self
            .files
            .iter()
            .filter_map(|f| dir.join(&f.path).parent().map(std::path::Path::to_path_buf))
            .collect();
        folders.sort();
        folders.dedup();
        for folder in folders {
            std::fs::create_dir_all(folder)?;
        }
        self.files
            .par_iter()
            .try_for_each(|f| std::fs::write(dir.join(&f.path), &f.bytes))
    }
}

/// What [`publish_to`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Number of files.
    pub files: usize,
    /// Their bytes.
    pub bytes: u64,
    /// Values suppressed: primary (fewer than k persons) and secondary.
    pub suppressed: suppress::Counts,
}

/// Where the files of a bundle go as they are made: kept in memory, or
/// written at once into a folder (a national bundle is gigabytes: writing
/// each file as it is made keeps memory flat and overlaps disk and CPU).
/// Either way the path, size and SHA-256 of every file are noted for the
/// manifest and `SHA256SUMS`.
pub(crate) struct Sink {
    dir: Option<std::path::PathBuf>,
    kept: std::sync::Mutex<Vec<BundleFile>>,
    index: std::sync::Mutex<Vec<(String, usize, String)>>,
    folders: std::sync::Mutex<std::collections::HashSet<std::path::PathBuf>>,
}

impl Sink {
    fn new(dir: Option<&std::path::Path>) -> Sink {
        Sink {
            dir: dir.map(std::path::Path::to_path_buf),
            kept: std::sync::Mutex::new(Vec::new()),
            index: std::sync::Mutex::new(Vec::new()),
            folders: std::sync::Mutex::new(std::collections::HashSet::new()),
        }
    }

    /// Takes one file of the bundle.
    pub(crate) fn put(&self, file: BundleFile) -> Result<(), PublishError> {
        self.put_bytes(file.path, &file.bytes)
    }

    /// Takes one JSON file of the bundle, `value` and a newline. It is written
    /// into a buffer kept by the thread and reused for the next file: a
    /// national bundle is 1.5 GB in 41,000 files, and a fresh buffer for each,
    /// grown by doubling, cost a copy and the kernel's zeroing of new pages.
    pub(crate) fn put_json(
        &self,
        path: String,
        value: &impl Serialize,
    ) -> Result<(), PublishError> {
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUFFER.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut bytes) => {
                bytes.clear();
                serde_json::to_writer(&mut *bytes, value)?;
                bytes.push(b'\n');
                self.put_bytes(path, &bytes)
            }
            // Not reached (a file is not written while another is made on the
            // same thread), but a fresh buffer is as correct.
            Err(_) => {
                let mut bytes = serde_json::to_vec(value)?;
                bytes.push(b'\n');
                self.put_bytes(path, &bytes)
            }
        })
    }

    fn put_bytes(&self, path: String, bytes: &[u8]) -> Result<(), PublishError> {
        let hash = sha256_hex(bytes);
        match &self.dir {
            Some(dir) => {
                let full = dir.join(&path);
                if let Some(parent) = full.parent() {
                    // Created under the lock: another thread writing into the same
                    // folder must not find it noted but not yet made.
                    let mut folders = self
                        .folders
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    if !folders.contains(parent) {
                        std::fs::create_dir_all(parent).map_err(|e| PublishError::io(parent, e))?;
                        folders.insert(parent.to_path_buf());
                    }
                }
                std::fs::write(&full, bytes).map_err(|e| PublishError::io(&full, e))?;
                if let Ok(mut index) = self.index.lock() {
                    index.push((path, bytes.len(), hash));
                }
            }
            None => {
                if let Ok(mut index) = self.index.lock() {
                    index.push((path.clone(), bytes.len(), hash));
                }
                if let Ok(mut kept) = self.kept.lock() {
                    kept.push(BundleFile {
                        path,
                        bytes: bytes.to_vec(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Every file taken so far (path, bytes, SHA-256), by path.
    pub(crate) fn index(&self) -> Vec<(String, usize, String)> {
        let mut v = self.index.lock().map(|i| i.clone()).unwrap_or_default();
        v.sort();
        v
    }

    fn into_files(self) -> Vec<BundleFile> {
        let mut files = self.kept.into_inner().unwrap_or_default();
        // The manifest first, then by path: the same bundle for the same input.
        files.sort_by(|a, b| {
            (a.path != "manifest.json", &a.path).cmp(&(b.path != "manifest.json", &b.path))
        });
        files
    }
}

/// Why a bundle cannot be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PublishError {
    /// A restriction names something the data do not hold.
    #[error("{0}")]
    Nothing(String),
    /// JSON writing failed.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The engine could not answer a question the bundle needs.
    #[error("{0}")]
    Engine(#[from] kpi_engine::EngineError),
    /// `min_count` is 0 (no protection at all).
    #[error("--min-count must be at least 1")]
    NoThreshold,
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

impl PublishError {
    fn io(path: &std::path::Path, source: std::io::Error) -> PublishError {
        PublishError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Publishes the aggregates of an engine's dataset as a bundle.
pub fn publish(
    engine: &Engine,
    sources: &[SourceDigest],
    options: &PublishOptions,
) -> Result<Bundle, PublishError> {
    if options.min_count == 0 {
        return Err(PublishError::NoThreshold);
    }
    let sink = Sink::new(None);
    let suppressed = shards::build(engine, sources, options, &sink)?;
    Ok(Bundle {
        files: sink.into_files(),
        suppressed,
    })
}

/// Publishes like [`publish`], writing each file into `dir` (created when
/// missing) as soon as it is made, so that memory stays flat however large
/// the bundle; the way to publish a national export.
///
/// ```
/// use kpi_engine::{Engine, EngineOptions};
/// use kpi_import::Source;
/// use kpi_publish::{publish_to, PublishOptions};
/// let orgs = "org_id,name,level,region\nC1,College 1,college,Abai\n";
/// let obs = "org_id,year,graduates,graduates_employed\nC1,2023,40,30\n";
/// let sources = vec![
///     Source { name: "organisations.csv".into(), bytes: orgs.into() },
///     Source { name: "observations.csv".into(), bytes: obs.into() },
/// ];
/// let engine = Engine::from_sources(&sources, &EngineOptions::default()).unwrap();
/// let dir = std::env::temp_dir().join(format!("kpi-doc-bundle-{}", std::process::id()));
/// let written = publish_to(&engine, &[], &PublishOptions::default(), &dir).unwrap();
/// assert!(dir.join("manifest.json").is_file() && dir.join("orgs/C1.json").is_file());
/// assert_eq!(written.suppressed.published, 1);
/// # std::fs::remove_dir_all(&dir).ok();
/// ```
pub fn publish_to(
    engine: &Engine,
    sources: &[SourceDigest],
    options: &PublishOptions,
    dir: &std::path::Path,
) -> Result<Written, PublishError> {
    if options.min_count == 0 {
        return Err(PublishError::NoThreshold);
    }
    std::fs::create_dir_all(dir).map_err(|e| PublishError::io(dir, e))?;
    let sink = Sink::new(Some(dir));
    let suppressed = shards::build(engine, sources, options, &sink)?;
    let index = sink.index();
    Ok(Written {
        files: index.len(),
        bytes: index.iter().map(|(_, n, _)| *n as u64).sum(),
        suppressed,
    })
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push(char::from(HEX[usize::from(b >> 4)]));
        s.push(char::from(HEX[usize::from(b & 15)]));
    }
    s
}
