//! What "better" means for an indicator, and the four monitoring families.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The direction of an indicator: which values are better.
///
/// ```
/// use kpi_model::Direction;
/// let band = Direction::Target { min: 80.0, max: 100.0 };
/// assert_eq!(band.distance_outside(90.0), 0.0);
/// assert_eq!(band.distance_outside(70.0), 10.0);
/// assert!(Direction::Higher.is_better(5.0, 4.0));
/// assert!(Direction::Lower.is_better(4.0, 5.0));
/// assert!(band.is_better(95.0, 105.0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Direction {
    /// Higher is better.
    Higher,
    /// Lower is better.
    Lower,
    /// Inside the band `min..=max` is best; the further outside, the worse.
    Target {
        /// Lower edge of the band.
        min: f64,
        /// Upper edge of the band.
        max: f64,
    },
}

impl Direction {
    /// For a `Target` band, how far `value` lies outside it (0 inside); for
    /// `Higher`/`Lower`, always 0.
    pub fn distance_outside(&self, value: f64) -> f64 {
        match *self {
            Direction::Target { min, max } => {
                if value < min {
                    min - value
                } else if value > max {
                    value - max
                } else {
                    0.0
                }
            }
            _ => 0.0,
        }
    }

    /// A number that grows as the value gets better: `value` for `Higher`,
    /// `-value` for `Lower`, minus the distance outside the band for `Target`.
    pub fn goodness(&self, value: f64) -> f64 {
        match self {
            Direction::Higher => value,
            Direction::Lower => -value,
            Direction::Target { .. } => -self.distance_outside(value),
        }
    }

    /// Whether `a` is strictly better than `b`.
    pub fn is_better(&self, a: f64, b: f64) -> bool {
        self.goodness(a) > self.goodness(b)
    }

    /// The short code (`higher`, `lower`, `target`).
    pub fn code(&self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
            Direction::Target { .. } => "target",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Direction::Target { min, max } => write!(f, "target {min}–{max}"),
            other => f.write_str(other.code()),
        }
    }
}

/// The four monitoring families of indicators (seed 003).
///
/// ```
/// use kpi_model::Family;
/// assert_eq!(Family::from_code("outcome"), Some(Family::Outcome));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Input (кіріс / входные): resources, staff, conditions.
    Input,
    /// Process (процесс): how education is delivered.
    Process,
    /// Outcome (нәтиже / результат): what learners achieve.
    Outcome,
    /// Efficiency (тиімділік / эффективность): outcomes per resource.
    Efficiency,
}

impl Family {
    /// All families, in the spec's order.
    pub const ALL: [Family; 4] = [
        Family::Input,
        Family::Process,
        Family::Outcome,
        Family::Efficiency,
    ];
    /// The canonical code.
    pub fn code(self) -> &'static str {
        match self {
            Family::Input => "input",
            Family::Process => "process",
            Family::Outcome => "outcome",
            Family::Efficiency => "efficiency",
        }
    }
    /// Parses the canonical code.
    pub fn from_code(code: &str) -> Option<Family> {
        Family::ALL
            .into_iter()
            .find(|f| f.code().eq_ignore_ascii_case(code.trim()))
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
