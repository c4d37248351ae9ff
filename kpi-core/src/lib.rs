//! # kpi-core
//!
//! The education-quality monitoring engine behind the `kpi` command-line tool
//! and the `<kpi-widget>` WebAssembly widgets.
//!
//! Data flows one way through modules with one job each:
//!
//! | stage | module |
//! |---|---|
//! | bytes → tables (CSV, XLSX, JSON; encodings; header aliases) | [`import`] |
//! | organisations, units, years, metric store, records | [`model`] |
//! | metric dictionary; records → metrics | [`metrics`] |
//! | errors and warnings with file, row and column | [`validate`] |
//! | indicator catalogue, formula language, computation | [`indicators`] |
//! | dynamic, comparative and cohort analysis | [`analysis`] |
//! | risk assessment with explanations | [`risk`] |
//! | plain-language summaries in kk, ru, en | [`summary`], [`i18n`] |
//! | chart layout and drawing on any plotters backend | [`chart`] |
//! | deterministic sample data | [`sample`] |
//!
//! The crate has no browser dependency: the same code runs natively and in
//! WebAssembly, reading from bytes rather than paths.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod analysis;
pub mod chart;
pub mod engine;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod import;
pub mod indicators;
pub mod metrics;
pub mod model;
pub mod risk;
pub mod sample;
pub mod summary;
pub mod validate;
