//! The unit of a value: one type for the catalogue, the analyses, the
//! sentences and the charts (`docs/indicators.md`, "Units").

use serde::{Deserialize, Serialize};
use std::fmt;

/// The unit of an indicator's values, which decides how values are rounded
/// for display, written and drawn.
///
/// Written by its [`code`](Self::code) (`%`, `ratio`, `persons`, `count`,
/// `KZT`, `points`, `index`, `m²`, `0–1`, `FTE`, `years`, `0/1`). Reading is
/// lenient in the spellings people use ([`from_code`](Self::from_code));
/// anything else is kept as [`ValueUnit::Other`] and shown as written, which a
/// chart accepts and the indicator catalogue refuses.
///
/// ```
/// use kpi_model::ValueUnit;
/// assert_eq!(ValueUnit::from_code("m2"), Some(ValueUnit::SquareMetres));
/// assert_eq!(ValueUnit::SquareMetres.code(), "m²");
/// assert_eq!(ValueUnit::parse("students"), ValueUnit::Other("students".into()));
/// assert!(ValueUnit::Percent.starts_at_zero() && !ValueUnit::Points.starts_at_zero());
/// let u: ValueUnit = serde_json::from_str("\"tenge\"").unwrap();
/// assert_eq!(serde_json::to_string(&u).unwrap(), "\"KZT\"");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum ValueUnit {
    /// Percent, 0–100 (`%`: a share × 100).
    #[default]
    Percent,
    /// A ratio of two quantities (`ratio`: students per teacher).
    Ratio,
    /// A number of people (`persons`).
    Persons,
    /// A count of things (`count`).
    Count,
    /// Kazakhstani tenge (`KZT`).
    Kzt,
    /// Points of a score (`points`: exam points, GPA).
    Points,
    /// A dimensionless index (`index`: parity index, composite index).
    Index,
    /// Square metres (`m²`).
    SquareMetres,
    /// A share between 0 and 1 (`0–1`: learning-outcome coefficient).
    Share,
    /// Full-time equivalents (`FTE`).
    Fte,
    /// Years (`years`).
    Years,
    /// A yes/no flag stored as 0 or 1 (`0/1`), e.g. holding a valid accreditation.
    Flag,
    /// Any other unit, displayed as written.
    Other(String),
}

impl ValueUnit {
    /// Every known unit (all but [`ValueUnit::Other`]).
    pub const KNOWN: [ValueUnit; 12] = [
        ValueUnit::Percent,
        ValueUnit::Ratio,
        ValueUnit::Persons,
        ValueUnit::Count,
        ValueUnit::Kzt,
        ValueUnit::Points,
        ValueUnit::Index,
        ValueUnit::SquareMetres,
        ValueUnit::Share,
        ValueUnit::Fte,
        ValueUnit::Years,
        ValueUnit::Flag,
    ];

    /// The code written in outputs and catalogue files.
    pub fn code(&self) -> &str {
        match self {
            ValueUnit::Percent => "%",
            ValueUnit::Ratio => "ratio",
            ValueUnit::Persons => "persons",
            ValueUnit::Count => "count",
            ValueUnit::Kzt => "KZT",
            ValueUnit::Points => "points",
            ValueUnit::Index => "index",
            ValueUnit::SquareMetres => "m²",
            ValueUnit::Share => "0–1",
            ValueUnit::Fte => "FTE",
            ValueUnit::Years => "years",
            ValueUnit::Flag => "0/1",
            ValueUnit::Other(s) => s,
        }
    }

    /// A known unit by its code or a common spelling (`percent`, `m2`, `0-1`,
    /// `share`, `tenge`, `people`, `score` …), ignoring case; `None` otherwise.
    pub fn from_code(code: &str) -> Option<ValueUnit> {
        let c = code.trim();
        if let Some(u) = Self::KNOWN
            .into_iter()
            .find(|u| u.code().eq_ignore_ascii_case(c))
        {
            return Some(u);
        }
        // ASCII case folding: the names below are ASCII (and `₸` has no case), and it keeps
        // the Unicode case tables out of the widgets' chart module.
        match c.to_ascii_lowercase().as_str() {
            "percent" | "pct" => Some(ValueUnit::Percent),
            "people" => Some(ValueUnit::Persons),
            "score" => Some(ValueUnit::Points),
            "m2" | "sq_m" | "square_metres" | "square_meters" => Some(ValueUnit::SquareMetres),
            "0-1" | "share" => Some(ValueUnit::Share),
            "kzt" | "tenge" | "₸" => Some(ValueUnit::Kzt),
            "flag" | "yes/no" | "bool" => Some(ValueUnit::Flag),
            _ => None,
        }
    }

    /// A known unit as [`from_code`](Self::from_code) reads it, anything else
    /// as [`ValueUnit::Other`] (trimmed).
    pub fn parse(code: &str) -> ValueUnit {
        Self::from_code(code).unwrap_or_else(|| ValueUnit::Other(code.trim().to_string()))
    }

    /// The codes of the known units, comma-separated, for messages.
    pub fn known_codes() -> String {
        Self::KNOWN
            .iter()
            .map(|u| u.code())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Decimals shown by default in tables and command-line output (values
    /// are kept at full precision; only display rounds).
    pub fn decimals(&self) -> u8 {
        match self {
            ValueUnit::Percent
            | ValueUnit::Ratio
            | ValueUnit::Points
            | ValueUnit::SquareMetres
            | ValueUnit::Fte
            | ValueUnit::Years
            | ValueUnit::Other(_) => 1,
            ValueUnit::Persons | ValueUnit::Count | ValueUnit::Kzt | ValueUnit::Flag => 0,
            ValueUnit::Index | ValueUnit::Share => 3,
        }
    }

    /// Decimals of a single value on a chart (a chart label has less room than
    /// a table column: indices and shares show 2).
    pub fn chart_decimals(&self) -> usize {
        match self {
            ValueUnit::Persons | ValueUnit::Count | ValueUnit::Kzt => 0,
            ValueUnit::Index | ValueUnit::Share => 2,
            _ => 1,
        }
    }

    /// Whether a value axis in this unit starts at zero by default: rates,
    /// shares, counts and amounts do; scores, indices and units the project
    /// does not know (GPA 2.0–4.0, parity 0.97–1.03) do not.
    pub fn starts_at_zero(&self) -> bool {
        matches!(
            self,
            ValueUnit::Percent
                | ValueUnit::Ratio
                | ValueUnit::Persons
                | ValueUnit::Count
                | ValueUnit::Kzt
                | ValueUnit::SquareMetres
                | ValueUnit::Share
        )
    }

    /// The range a value in this unit can take, `(lowest, highest)`: 0–100
    /// for percentages, 0–1 for shares and flags, at least 0 for ratios,
    /// counts, amounts, points and years; unbounded for indices and units the
    /// project does not know. Forecasts and their bands are clamped to it.
    ///
    /// ```
    /// use kpi_model::ValueUnit;
    /// assert_eq!(ValueUnit::Percent.natural_bounds(), (0.0, 100.0));
    /// assert_eq!(ValueUnit::Ratio.natural_bounds(), (0.0, f64::INFINITY));
    /// assert_eq!(ValueUnit::Index.natural_bounds(), (f64::NEG_INFINITY, f64::INFINITY));
    /// ```
    pub fn natural_bounds(&self) -> (f64, f64) {
        match self {
            ValueUnit::Percent => (0.0, 100.0),
            ValueUnit::Share | ValueUnit::Flag => (0.0, 1.0),
            ValueUnit::Ratio
            | ValueUnit::Persons
            | ValueUnit::Count
            | ValueUnit::Kzt
            | ValueUnit::Points
            | ValueUnit::SquareMetres
            | ValueUnit::Fte
            | ValueUnit::Years => (0.0, f64::INFINITY),
            ValueUnit::Index | ValueUnit::Other(_) => (f64::NEG_INFINITY, f64::INFINITY),
        }
    }

    /// The smallest tick step that makes sense: 1 percentage point for %, 1
    /// for whole counts.
    pub fn min_tick_step(&self) -> Option<f64> {
        match self {
            ValueUnit::Percent | ValueUnit::Persons | ValueUnit::Count => Some(1.0),
            _ => None,
        }
    }

    /// Whether the unit is a percentage (an axis is not extended past 100 %
    /// unless the data go there).
    pub fn is_percent(&self) -> bool {
        matches!(self, ValueUnit::Percent)
    }
}

impl fmt::Display for ValueUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl From<String> for ValueUnit {
    fn from(s: String) -> Self {
        ValueUnit::parse(&s)
    }
}

impl From<ValueUnit> for String {
    fn from(u: ValueUnit) -> Self {
        u.code().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_others_are_kept() {
        for u in ValueUnit::KNOWN {
            assert_eq!(ValueUnit::from_code(u.code()), Some(u.clone()));
            assert_eq!(ValueUnit::parse(&u.code().to_lowercase()), u);
        }
        assert_eq!(
            ValueUnit::from_code(" Square_Metres "),
            Some(ValueUnit::SquareMetres)
        );
        assert_eq!(ValueUnit::from_code("furlongs"), None);
        assert_eq!(
            ValueUnit::parse(" furlongs "),
            ValueUnit::Other("furlongs".into())
        );
    }

    #[test]
    fn display_rules_differ_where_tables_and_charts_do() {
        assert_eq!(ValueUnit::Index.decimals(), 3);
        assert_eq!(ValueUnit::Index.chart_decimals(), 2);
        assert_eq!(ValueUnit::Kzt.chart_decimals(), 0);
        assert!(!ValueUnit::Fte.starts_at_zero() && !ValueUnit::Other("x".into()).starts_at_zero());
    }
}
