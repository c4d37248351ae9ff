//! # kpi-core
//!
//! The education-quality monitoring engine behind the `kpi` command-line tool
//! and the `<kpi-widget>` WebAssembly widgets, as one dependency.
//!
//! The work is done by one crate per stage of the data flow; this crate
//! re-exports them under the module names earlier versions had, so existing
//! code keeps compiling. New code may depend on the stage it needs only.
//!
//! | stage | module here | crate |
//! |---|---|---|
//! | organisations, units, years, metric store, records | [`model`] | `kpi-model` |
//! | languages, labels, number formats (kk, ru, en) | [`i18n`] | `kpi-model` |
//! | metric dictionary; records → metrics | [`metrics`] | `kpi-model` |
//! | issues with file, row and column; data-quality report | [`validate`] | `kpi-model`, `kpi-import` |
//! | bytes → tables (CSV, XLSX, JSON; encodings; header aliases) | [`import`] | `kpi-import` |
//! | dynamic, comparative and cohort statistics | [`analysis`] | `kpi-stats` |
//! | indicator catalogue, formula language, computation | [`indicators`] | `kpi-indicators` |
//! | risk assessment with explanations | [`risk`] | `kpi-risk` |
//! | plain-language summaries | [`summary`] | `kpi-summary` |
//! | chart layout and drawing on any plotters backend | [`chart`] | `kpi-chart` |
//! | loaded dataset → answers and chart inputs | [`engine`] | `kpi-engine` |
//! | answers → aggregate-only bundles for public portals | [`publish`] | `kpi-publish` |
//! | deterministic sample data | [`sample`] | `kpi-sample` |
//!
//! ```
//! use kpi_core::i18n::Lang;
//! use kpi_core::model::Level;
//! assert_eq!(Lang::from_code("ru"), Some(Lang::Ru));
//! assert_eq!(Level::from_code("college"), Some(Level::College));
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use kpi_chart as chart;
pub use kpi_engine as engine;
pub use kpi_import as import;
pub use kpi_indicators as indicators;
pub use kpi_model as model;
pub use kpi_model::{i18n, metrics};
pub use kpi_publish as publish;
pub use kpi_risk as risk;
pub use kpi_sample as sample;
pub use kpi_stats as analysis;
pub use kpi_summary as summary;

/// Issues with file, row and column ([`kpi_model::validate`]) and the
/// data-quality report ([`kpi_import::quality`]).
pub mod validate {
    pub use kpi_import::quality::*;
    pub use kpi_model::validate::*;
}

#[doc(hidden)]
pub mod fuzzing;

/// The README's code examples, compiled as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
