//! Formula errors: where (0-based character position) and what was expected.

use std::fmt;

/// What went wrong while reading a formula.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormulaErrorKind {
    /// The formula is empty or only whitespace.
    Empty,
    /// The formula is longer than [`FormulaLimits::max_length`](super::FormulaLimits::max_length) characters.
    TooLong {
        /// Its length in characters.
        length: usize,
        /// The limit.
        max: usize,
    },
    /// Parentheses, function calls, unary minus or operator chains nest deeper
    /// than [`FormulaLimits::max_depth`](super::FormulaLimits::max_depth).
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A character that is not part of the language.
    UnexpectedChar(char),
    /// A number that cannot be read or is out of range.
    BadNumber {
        /// The text as written.
        text: String,
    },
    /// A metric name followed by a dot but no breakdown name.
    MissingBreakdown {
        /// The metric.
        metric: String,
    },
    /// A token where something else was expected.
    Unexpected {
        /// What the parser expected.
        expected: String,
        /// What it found (`end of formula` at the end).
        found: String,
    },
    /// A name followed by `(` that is not a known function.
    UnknownFunction {
        /// The name.
        name: String,
    },
    /// A function called with the wrong number of arguments.
    WrongArity {
        /// The function's name.
        function: String,
        /// What it accepts, e.g. `1` or `2 or more`.
        expected: String,
        /// Arguments given.
        found: usize,
    },
    /// A function name used without `(…)`.
    FunctionWithoutCall {
        /// The name.
        name: String,
    },
}

/// A formula error at a 0-based character position.
///
/// ```
/// use kpi_indicators::formula::Formula;
/// let err = Formula::parse("100 * (a + b").unwrap_err();
/// assert_eq!(err.position, 12);
/// assert_eq!(err.to_string(), "at character 12: expected ')' or an operator, found end of formula");
/// assert_eq!(err.caret("100 * (a + b"), "100 * (a + b\n            ^");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormulaError {
    /// 0-based position of the offending character (the formula's length for
    /// "unexpected end").
    pub position: usize,
    /// What went wrong.
    pub kind: FormulaErrorKind,
}

impl FormulaError {
    pub(crate) fn new(position: usize, kind: FormulaErrorKind) -> Self {
        FormulaError { position, kind }
    }

    /// The formula on one line and a caret under the offending character on the next.
    /// Tabs and line breaks in the formula are shown as spaces so the caret lines up.
    pub fn caret(&self, source: &str) -> String {
        let line: String = source
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        format!("{}\n{}^", line, " ".repeat(self.position))
    }
}

impl fmt::Display for FormulaErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormulaErrorKind::Empty => f.write_str("the formula is empty"),
            FormulaErrorKind::TooLong { length, max } => write!(
                f,
                "the formula has {length} characters, more than the limit of {max}"
            ),
            FormulaErrorKind::TooDeep { max } => {
                write!(f, "the formula nests more than {max} levels deep")
            }
            FormulaErrorKind::UnexpectedChar(c) => write!(
                f,
                "unexpected character {c:?}; expected a number, a metric code, an operator (+ - * /), a parenthesis or a comma"
            ),
            FormulaErrorKind::BadNumber { text } => {
                write!(f, "cannot read {text:?} as a finite number")
            }
            FormulaErrorKind::MissingBreakdown { metric } => write!(
                f,
                "expected a breakdown name after `{metric}.` (e.g. `{metric}.female`)"
            ),
            FormulaErrorKind::Unexpected { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            FormulaErrorKind::UnknownFunction { name } => {
                let known: Vec<&str> = super::Function::ALL.iter().map(|f| f.name()).collect();
                write!(
                    f,
                    "unknown function `{name}`; the functions are {}",
                    known.join(", ")
                )
            }
            FormulaErrorKind::WrongArity {
                function,
                expected,
                found,
            } => write!(
                f,
                "`{function}` takes {expected} argument(s), {found} given"
            ),
            FormulaErrorKind::FunctionWithoutCall { name } => write!(
                f,
                "`{name}` is a function; expected `{name}(…)` (it cannot be used as a metric code)"
            ),
        }
    }
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position, self.kind)
    }
}

impl std::error::Error for FormulaError {}
