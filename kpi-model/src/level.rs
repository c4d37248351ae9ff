//! Organisation levels and the two optional classifications (ownership, locality).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The level of an education organisation.
///
/// ```
/// use kpi_model::Level;
/// assert_eq!(Level::from_code("university"), Some(Level::University));
/// assert_eq!(Level::University.code(), "university");
/// assert_eq!(Level::ALL.len(), 4);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Preschool organisation (балабақша / детский сад).
    Preschool,
    /// General secondary school (мектеп / школа).
    School,
    /// Technical and vocational college (колледж, TVET).
    College,
    /// Higher education institution (ЖОО / вуз).
    University,
}

impl Level {
    /// All levels, from preschool upward.
    pub const ALL: [Level; 4] = [
        Level::Preschool,
        Level::School,
        Level::College,
        Level::University,
    ];

    /// The canonical code used in files and APIs.
    pub fn code(self) -> &'static str {
        match self {
            Level::Preschool => "preschool",
            Level::School => "school",
            Level::College => "college",
            Level::University => "university",
        }
    }

    /// Parses the canonical code (case-insensitive). Localised spellings are
    /// recognised by the import layer through the alias data file.
    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The one-letter code used in the specification's tables (P, S, C, U).
    pub fn letter(self) -> char {
        match self {
            Level::Preschool => 'P',
            Level::School => 'S',
            Level::College => 'C',
            Level::University => 'U',
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Ownership of an organisation.
///
/// ```
/// use kpi_model::Ownership;
/// assert_eq!(Ownership::from_code("PRIVATE"), Some(Ownership::Private));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    /// State-owned (мемлекеттік / государственная).
    State,
    /// Private (жеке / частная).
    Private,
}

impl Ownership {
    /// Both values.
    pub const ALL: [Ownership; 2] = [Ownership::State, Ownership::Private];
    /// The canonical code.
    pub fn code(self) -> &'static str {
        match self {
            Ownership::State => "state",
            Ownership::Private => "private",
        }
    }
    /// Parses the canonical code (case-insensitive).
    pub fn from_code(code: &str) -> Option<Ownership> {
        Ownership::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }
}

impl fmt::Display for Ownership {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Urban or rural location of an organisation.
///
/// ```
/// use kpi_model::Locality;
/// assert_eq!(Locality::from_code("rural"), Some(Locality::Rural));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Locality {
    /// Urban (қала / город).
    Urban,
    /// Rural (ауыл / село).
    Rural,
}

impl Locality {
    /// Both values.
    pub const ALL: [Locality; 2] = [Locality::Urban, Locality::Rural];
    /// The canonical code.
    pub fn code(self) -> &'static str {
        match self {
            Locality::Urban => "urban",
            Locality::Rural => "rural",
        }
    }
    /// Parses the canonical code (case-insensitive).
    pub fn from_code(code: &str) -> Option<Locality> {
        Locality::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }
}

impl fmt::Display for Locality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
