//! The data model: organisations, programmes, units, years, the metric store
//! and individual records. Everything downstream reads these plain types.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod builtin_doc;
pub mod i18n;
pub mod metrics;
pub mod validate;

mod breakdown;
mod builder;
mod dataset;
mod direction;
mod level;
mod organisation;
mod records;
mod risk_degree;
mod store;
mod value_unit;
mod year;

pub use breakdown::BreakdownDimension;
pub use builder::DatasetBuilder;
pub use dataset::{Dataset, DatasetParts};
pub use direction::{Direction, Family};
pub use level::{Level, Locality, Ownership};
pub use organisation::{
    region_key, DegreeCycle, OrgIdx, Organisation, Programme, RegionIdx, Unit, UnitId,
};
pub use records::{Funding, StudentRecord, StudentStatus, StudentTable, TermResult};
pub use risk_degree::Degree;
pub use store::{BreakdownId, ColumnId, ColumnKey, MetricStore, SourceRow, UnitValues};
pub use value_unit::ValueUnit;
pub use year::{academic_year_label, Year, YearSpan, MAX_YEAR, MIN_YEAR};
