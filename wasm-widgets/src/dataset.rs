//! Datasets loaded in the browser and the mapping of a widget's attributes to chart input.

use crate::error::{ErrorCode, WidgetError, WidgetResult};
use kpi_core::chart::ChartInput;
use kpi_core::import::{self, LoadOptions, Source};
use kpi_core::model::{Dataset, Year};
use serde::{Deserialize, Serialize};

/// Largest data file read in the browser (bytes).
pub const MAX_FILE_BYTES: usize = 512 * 1024 * 1024;

/// Reads one data file (CSV, XLSX, JSON) into a dataset.
pub fn load(name: &str, bytes: Vec<u8>) -> WidgetResult<Dataset> {
    if bytes.is_empty() {
        return Err(WidgetError::new(
            ErrorCode::Import,
            format!("{name}: the file is empty"),
        ));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(WidgetError::new(
            ErrorCode::TooLarge,
            format!(
                "{name}: {} bytes, at most {MAX_FILE_BYTES} are read",
                bytes.len()
            ),
        ));
    }
    let name = if name.trim().is_empty() { "data" } else { name };
    Ok(import::load(
        vec![Source {
            name: name.to_string(),
            bytes,
        }],
        &LoadOptions::default(),
    ))
}

/// What a dataset holds, for the page (`handle.info()`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DatasetInfo {
    /// Number of organisations.
    pub organisations: usize,
    /// Number of programmes.
    pub programmes: usize,
    /// First academic year.
    pub first_year: Year,
    /// Last academic year.
    pub last_year: Year,
    /// Number of validation issues.
    pub issues: usize,
}

/// The summary of `dataset`.
pub fn info(dataset: &Dataset) -> DatasetInfo {
    let years = dataset.years();
    DatasetInfo {
        organisations: dataset.organisations().len(),
        programmes: dataset.programmes().len(),
        first_year: years.first,
        last_year: years.last,
        issues: dataset.report().issues.len(),
    }
}

/// A widget's attributes, as the view layer needs them (`kind`, `org`, `indicator` …).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ViewAttributes {
    /// Chart kind.
    pub kind: String,
    /// Organisation id.
    pub org: Option<String>,
    /// Programme code.
    pub programme: Option<String>,
    /// Indicator code.
    pub indicator: Option<String>,
    /// Several indicator codes (comma-separated in the attribute).
    pub indicators: Vec<String>,
    /// Academic year.
    pub year: Option<Year>,
    /// Peer-group refinement (`region`, `ownership`, `locality`, comma-separated).
    pub peers: Vec<String>,
}

/// The chart input of `attrs` computed from `dataset`.
///
/// This is the single place that will call `kpi_core::view::build(&Dataset, &ViewRequest,
/// &ViewContext)` once the view layer exists; until then it checks what it can and says
/// clearly that the computation is not available.
pub fn chart_input(dataset: &Dataset, attrs: &ViewAttributes) -> WidgetResult<ChartInput> {
    if attrs.kind.trim().is_empty() {
        return Err(WidgetError::new(ErrorCode::BadSpec, "kind is missing"));
    }
    if let Some(org) = attrs.org.as_deref().filter(|o| !o.trim().is_empty()) {
        if dataset.org_by_id(org.trim()).is_none() {
            return Err(WidgetError::new(
                ErrorCode::NotFound,
                format!("organisation {org:?} is not in the dataset"),
            ));
        }
    }
    Err(WidgetError::new(
        ErrorCode::ViewUnavailable,
        format!(
            "kind {:?}: computing chart input from a dataset needs kpi_core::view (not in this build)",
            attrs.kind
        ),
    ))
}
