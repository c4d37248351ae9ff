//! Indicators: the catalogue, the formula language and the computation.
//!
//! ```
//! use kpi_indicators::{compute, Catalogue, Outcome};
//! use kpi_model::{DatasetBuilder, Level};
//!
//! let dataset = DatasetBuilder::new(2023, 2023)
//!     .org("U1", Level::University, "Astana")
//!     .value("U1", None, 2023, "satisfaction_students", 0.75)
//!     .value("U1", None, 2023, "satisfied_students", 45.0)
//!     .value("U1", None, 2023, "answers_students", 60.0)
//!     .build();
//! let catalogue = Catalogue::builtin();
//! let table = compute(&dataset, &catalogue);
//! let u1 = dataset.org_unit(dataset.org_by_id("U1").unwrap());
//!
//! // 100 * 0.75 = 75 %, from 60 answers.
//! assert_eq!(table.get("student_satisfaction", u1, 2023), Some(Outcome::Value(75.0)));
//! let counts = table.counts(&dataset, "student_satisfaction", u1, 2023).unwrap();
//! assert_eq!(counts.n(), 60.0);
//! assert!(counts.interval.unwrap().contains(75.0));
//! ```
//!
//! | item | role |
//! |---|---|
//! | [`Catalogue`], [`IndicatorDef`] | the indicators as data (`data/indicators.toml`, plus user files) |
//! | [`formula`] | the formula language: parser, printer, limits |
//! | [`compute`] → [`IndicatorTable`] | every applicable unit × year × indicator |
//! | [`Outcome`], [`Reason`] | a value, or why not |
//! | [`IndicatorTable::explain`], [`IndicatorTable::counts`] | inputs, warnings, n and Wilson interval of one cell |
//! | [`Filter`] | selections by level, region, ownership, locality, organisation, year, indicator |
//! | [`export`] | CSV, JSON and text output |
//! | `kpi_risk::IndicatorInputs` (crate `kpi-risk`) | the table as risk-assessment input |
//!
//! ## Choices where the specification is silent
//! - **Which reason when several inputs fail**: the first failing operand in
//!   evaluation order (left to right; `prev` reads count where they appear),
//!   so the reason names one metric and one year a user can go and fix.
//! - **Fallback denominators** (`teachers_fte`, else `teachers_total`) are
//!   written with `coalesce`: only *missing* data falls through; an FTE of 0
//!   is a zero denominator, not a reason to use the head count.
//! - **`accreditation`** (`accredited`, 0/1, higher, colleges and
//!   universities) is in the built-in catalogue beside docs/indicators.md's table,
//!   because the shipped risk criteria (docs/risk.md) read it.
//! - **Counts** behind a rate give `n`; the Wilson interval is left out when
//!   the successes exceed the trials (data flagged by validation), rather than
//!   clamped into a misleading interval.
//! - **Risk** reads organisation-level values only (programmes are not
//!   assessed separately); `kpi_risk::assess_summary`
//!   gives national score tables without explanations, `kpi_risk::assess`
//!   the full explanation.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod export;
pub mod formula;

mod catalogue;
mod catalogue_file;
mod compute;
mod definition;
mod explain;
mod filter;
mod reason;
mod table;
mod units;

pub use catalogue::{Catalogue, BUILTIN_INDICATORS_TOML, MAX_INDICATORS};
pub use catalogue_file::CatalogueError;
pub use compute::compute;
pub use definition::{CountsDef, IndicatorDef, IndicatorId, Per, Tag};
pub use explain::{Counts, Explanation, InputUse, LookupError, Z_95};
pub use filter::{Filter, UnitScope};
pub use reason::{Outcome, Reason};
pub use table::{Coverage, Entry, IndicatorKey, IndicatorTable};

#[cfg(test)]
mod catalogue_tests;
#[cfg(test)]
mod compute_tests;
