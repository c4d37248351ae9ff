//! The formula language of indicators (docs/indicators.md, "Formula language").
//!
//! Numbers, metric codes (with an optional breakdown after a dot:
//! `students_enrolled.female`), `+ - * /`, unary minus, parentheses and the
//! functions:
//!
//! | function | meaning |
//! |---|---|
//! | `prev(x)` | `x` one year earlier for the same unit |
//! | `min(a, b, …)`, `max(a, b, …)` | smallest / largest argument |
//! | `abs(x)` | absolute value |
//! | `coalesce(a, b, …)` | the first argument whose data are present (only *missing* data falls through; a zero denominator is reported) |
//! | `adjusted_parity(x)` | UNESCO UIS adjusted parity index of a ratio: `x` if `x ≤ 1`, else `2 − 1/x` |
//!
//! A formula is parsed once ([`Formula::parse`]) and compiled once per dataset
//! into a small postfix program; evaluating a cell never re-reads text.
//!
//! Input is bounded: a formula longer than [`FormulaLimits::max_length`]
//! characters, or nesting deeper than [`FormulaLimits::max_depth`] levels
//! (parentheses, calls, unary minus, and operator chains, which make trees
//! as tall as they are long), is an error, never a stack overflow.
//!
//! ```
//! use kpi_indicators::formula::{Formula, FormulaLimits, FormulaErrorKind};
//! let f = Formula::parse("100 * graduates_employed / graduates").unwrap();
//! assert_eq!(f.metrics().len(), 2);
//!
//! let hostile = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
//! let limits = FormulaLimits { max_length: 100_000, ..FormulaLimits::default() };
//! let err = Formula::parse_with(&hostile, &limits).unwrap_err();
//! assert_eq!(err.kind, FormulaErrorKind::TooDeep { max: 64 });
//! assert_eq!(err.position, 64); // the 65th parenthesis
//! ```

mod ast;
mod error;
mod lexer;
mod parser;
pub(crate) mod program;

pub use ast::{BinaryOp, Expr, Function, MetricRef};
pub use error::{FormulaError, FormulaErrorKind};

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Bounds on formula input, protecting the parser (and every later pass,
/// which walk the tree recursively) from hostile or accidental giant input.
///
/// ```
/// use kpi_indicators::formula::FormulaLimits;
/// let l = FormulaLimits::default();
/// assert_eq!((l.max_length, l.max_depth), (1024, 64));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormulaLimits {
    /// Most characters in one formula (default 1,024; at most 65,536).
    pub max_length: usize,
    /// Deepest nesting (default 64; at most [`FormulaLimits::HARD_MAX_DEPTH`]).
    /// Each parenthesis, function call, unary minus and each further operator
    /// of a chain such as `a + b + c` counts one level.
    pub max_depth: usize,
}

impl FormulaLimits {
    /// The highest depth accepted whatever the configuration, so that the
    /// recursive passes stay well inside a WebAssembly stack (1 MiB).
    pub const HARD_MAX_DEPTH: usize = 256;
    /// The longest formula accepted whatever the configuration.
    pub const HARD_MAX_LENGTH: usize = 65_536;

    /// The limits with both values brought within the hard ceilings.
    pub fn clamped(&self) -> FormulaLimits {
        FormulaLimits {
            max_length: self.max_length.min(Self::HARD_MAX_LENGTH),
            max_depth: self.max_depth.min(Self::HARD_MAX_DEPTH),
        }
    }
}

impl Default for FormulaLimits {
    fn default() -> Self {
        FormulaLimits {
            max_length: 1024,
            max_depth: 64,
        }
    }
}

/// A parsed formula: its text as written and its tree.
///
/// `Display` prints the canonical form (single spaces, parentheses only
/// where needed), which parses back to the same tree.
///
/// ```
/// use kpi_indicators::formula::Formula;
/// let f: Formula = "100*(students_enrolled-students_admitted)/(prev(students_enrolled)-prev(graduates))".parse().unwrap();
/// assert_eq!(
///     f.to_string(),
///     "100 * (students_enrolled - students_admitted) / (prev(students_enrolled) - prev(graduates))"
/// );
/// let again: Formula = f.to_string().parse().unwrap();
/// assert_eq!(again.expr(), f.expr());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    source: String,
    expr: Expr,
}

impl Formula {
    /// Parses `text` with the default [`FormulaLimits`].
    pub fn parse(text: &str) -> Result<Formula, FormulaError> {
        Self::parse_with(text, &FormulaLimits::default())
    }

    /// Parses `text` within `limits`.
    pub fn parse_with(text: &str, limits: &FormulaLimits) -> Result<Formula, FormulaError> {
        let expr = parser::parse(text, limits)?;
        Ok(Formula {
            source: text.to_string(),
            expr,
        })
    }

    /// The text as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The tree.
    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// The metrics read, each once, in order of first appearance.
    pub fn metrics(&self) -> Vec<MetricRef> {
        self.expr.metrics()
    }
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expr)
    }
}

impl FromStr for Formula {
    type Err = FormulaError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Formula::parse(s)
    }
}

impl Serialize for Formula {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl<'de> Deserialize<'de> for Formula {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Formula::parse(&text)
            .map_err(|e| serde::de::Error::custom(format!("formula {text:?}: {e}")))
    }
}

#[cfg(test)]
mod tests;
