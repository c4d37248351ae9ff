//! Publishing for public portals: a static bundle of aggregates computed
//! once, privately, from a national export. A portal serves the bundle as
//! files; no student- or respondent-level row, record id or small count
//! leaves the machine that ran `kpi publish`.
//!
//! The bundle (format `kpi-bundle`, version 1; docs/publishing.md):
//!
//! | file | what it holds |
//! |---|---|
//! | `manifest.json` | format and version, creation date, generator, hashes of the catalogue, criteria and source files, the suppression rule, and every shard with its size and hash |
//! | `organisations.json` | the organisations: id, names in kk/ru/en/ky, level, region, ownership, locality, programme codes |
//! | `indicators/<level>/<indicator>.json` | each unit's value per year with its `n`, status and reason, and the peer distribution per year (nationally and per region) |
//! | `risk/<level>.json` | each organisation's risk score per year with its per-criterion explanation |
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
//! let shard = bundle.file("indicators/college/employment_rate.json").unwrap();
//! let json: serde_json::Value = serde_json::from_slice(&shard.bytes).unwrap();
//! assert_eq!(json["units"][0]["value"][0], 75.0); // 100 · 30 / 40, from 40 graduates
//! assert_eq!(json["units"][0]["n"][0], 40.0);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod shards;
pub mod suppress;

use kpi_engine::Engine;
use kpi_model::{Level, Year};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The bundle format written by this version.
pub const FORMAT: &str = "kpi-bundle";
/// The version of [`FORMAT`].
pub const FORMAT_VERSION: u32 = 1;

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

    /// Writes every file under `dir` (created when missing).
    pub fn write_to(&self, dir: &std::path::Path) -> std::io::Result<()> {
        for f in &self.files {
            let path = dir.join(&f.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, &f.bytes)?;
        }
        Ok(())
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
    /// `min_count` is 0 (no protection at all).
    #[error("--min-count must be at least 1")]
    NoThreshold,
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
    shards::build(engine, sources, options)
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}
