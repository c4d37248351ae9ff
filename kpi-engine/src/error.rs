//! Errors of the engine: what was asked that cannot be answered.

use kpi_indicators::CatalogueError;
use kpi_risk::CriteriaError;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// A request the engine cannot answer. Serialises as
/// `{"code": "unknown_org", "message": "…", …}` so that a widget can show the
/// message and a program can branch on the code.
///
/// ```
/// use kpi_engine::EngineError;
/// let e = EngineError::UnknownIndicator { indicator: "foo".into() };
/// let json = serde_json::to_value(&e).unwrap();
/// assert_eq!(json["code"], "unknown_indicator");
/// assert!(json["message"].as_str().unwrap().contains("`foo`"));
/// ```
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// No organisation has this `org_id`.
    #[error("unknown organisation `{org}`: no organisation with this org_id in the dataset")]
    UnknownOrg {
        /// The id asked for.
        org: String,
    },
    /// The organisation has no programme with this code.
    #[error("organisation `{org}` has no programme `{programme}`")]
    UnknownProgramme {
        /// The organisation.
        org: String,
        /// The programme code asked for.
        programme: String,
    },
    /// No indicator has this code.
    #[error("unknown indicator `{indicator}`: not in the indicator catalogue")]
    UnknownIndicator {
        /// The code asked for.
        indicator: String,
    },
    /// The indicator is not defined for the organisation's level.
    #[error("indicator `{indicator}` does not apply to {level} organisations (`{org}`)")]
    NotApplicable {
        /// The indicator.
        indicator: String,
        /// The level of the organisation.
        level: String,
        /// The organisation.
        org: String,
    },
    /// Nothing to show.
    #[error("no data: {what}")]
    NoData {
        /// What is missing.
        what: String,
    },
    /// The chart kind is not one of the twelve kinds.
    #[error("unknown chart kind `{kind}`: expected one of kpi-card, trend, compare, distribution, scatter, heatmap, risk-gauge, risk-breakdown, radar, gaps, cohort-flow, table")]
    UnknownKind {
        /// The kind asked for.
        kind: String,
    },
    /// The request misses something or contradicts itself.
    #[error("{message}")]
    BadRequest {
        /// What is wrong.
        message: String,
    },
    /// The user catalogue cannot be used.
    #[error("indicator catalogue: {error}")]
    Catalogue {
        /// What is wrong, with file and line. (Not the error's `source()`: its
        /// text is already part of this one's, and error reports would say it twice.)
        error: CatalogueError,
    },
    /// The criteria cannot be used.
    #[error("risk criteria: {error}")]
    Criteria {
        /// What is wrong, with file and line.
        error: CriteriaError,
    },
}

impl EngineError {
    /// A stable machine code (`unknown_org`, `unknown_indicator`, …).
    pub fn code(&self) -> &'static str {
        match self {
            EngineError::UnknownOrg { .. } => "unknown_org",
            EngineError::UnknownProgramme { .. } => "unknown_programme",
            EngineError::UnknownIndicator { .. } => "unknown_indicator",
            EngineError::NotApplicable { .. } => "not_applicable",
            EngineError::NoData { .. } => "no_data",
            EngineError::UnknownKind { .. } => "unknown_kind",
            EngineError::BadRequest { .. } => "bad_request",
            EngineError::Catalogue { .. } => "catalogue",
            EngineError::Criteria { .. } => "criteria",
        }
    }

    pub(crate) fn bad(message: impl Into<String>) -> EngineError {
        EngineError::BadRequest {
            message: message.into(),
        }
    }
}

impl Serialize for EngineError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("EngineError", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}
