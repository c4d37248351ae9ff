//! *Not computable* with a reason: the one failure type of every statistic.
//!
//! A statistic either has a finite value or says why it has none. No
//! statistic in [`crate`] returns NaN or infinity as a value, and
//! none panics, whatever the input.

use kpi_model::Year;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A statistic's value, or the reason it cannot be computed.
///
/// In JSON a `Computed` field is written `{"value": …}` or
/// `{"not_computable": {"reason": "too_few_values", "needed": 3, "got": 2}}`.
pub type Computed<T> = Result<T, NotComputable>;

/// Why a statistic cannot be computed.
///
/// The `Display` text is a plain English sentence fragment for logs and the
/// command-line tool; the localised summaries read the fields.
///
/// ```
/// use kpi_stats::NotComputable;
/// let r = NotComputable::TooFewValues { needed: 3, got: 2 };
/// assert_eq!(r.to_string(), "needs at least 3 values, got 2");
/// let json = serde_json::to_string(&r).unwrap();
/// assert_eq!(json, r#"{"reason":"too_few_values","needed":3,"got":2}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotComputable {
    /// Fewer usable values than the statistic needs.
    #[error("needs at least {needed} values, got {got}")]
    TooFewValues {
        /// The minimum.
        needed: usize,
        /// Usable values given (after missing and non-finite ones are left out).
        got: usize,
    },
    /// Fewer groups than a comparison between groups needs.
    #[error("needs at least {needed} groups with values, got {got}")]
    TooFewGroups {
        /// The minimum.
        needed: usize,
        /// Groups with at least one usable value.
        got: usize,
    },
    /// More values than a pairwise statistic handles (its cost grows with n²).
    #[error("handles at most {max} values, got {got}")]
    TooManyValues {
        /// The maximum.
        max: usize,
        /// Values given.
        got: usize,
    },
    /// The same year appears twice in a series.
    #[error("year {year} appears more than once in the series")]
    DuplicateYear {
        /// The repeated year.
        year: Year,
    },
    /// The first available value has no earlier value to change from.
    #[error("no earlier available value before {year}")]
    NoEarlierValue {
        /// The year without a predecessor.
        year: Year,
    },
    /// A relative change, index or growth rate needs positive values.
    #[error("the value {value} in {year} is not positive")]
    NotPositive {
        /// Year of the value.
        year: Year,
        /// The value.
        value: f64,
    },
    /// A window statistic (moving average) lacks values for some years of its window.
    #[error("no value for {missing:?} in the window {first}–{last}")]
    IncompleteWindow {
        /// First year of the window.
        first: Year,
        /// Last year of the window.
        last: Year,
        /// Years of the window without a value.
        missing: Vec<Year>,
    },
    /// All values are equal, so a spread-based statistic (z-score, R², min–max
    /// normalisation) is undefined.
    #[error("all values are equal (no spread)")]
    AllValuesEqual,
    /// The trend line passes exactly through every point: the residual
    /// variance is 0 and the t statistic is undefined.
    #[error("the values lie exactly on a line (residual variance 0)")]
    ExactFit,
    /// A denominator is zero.
    #[error("zero denominator: {what}")]
    ZeroDenominator {
        /// What is zero.
        what: Cow<'static, str>,
    },
    /// An argument or input value is outside its domain.
    #[error("invalid {what}: {value} ({expected})")]
    InvalidInput {
        /// The argument or value.
        what: Cow<'static, str>,
        /// The value given.
        value: f64,
        /// What was expected.
        expected: Cow<'static, str>,
    },
    /// The same unit appears twice in one peer list.
    #[error("a unit appears more than once in the values of {indicator}")]
    DuplicateUnit {
        /// The indicator whose list holds the duplicate.
        indicator: String,
    },
    /// The same indicator is given twice.
    #[error("indicator {code} is given more than once")]
    DuplicateIndicator {
        /// The indicator code.
        code: String,
    },
    /// Grade rates (or the counts they come from) are inconsistent.
    #[error("grade {grade}: {detail}")]
    InvalidGrade {
        /// The grade (or course), 1-based.
        grade: usize,
        /// What is wrong.
        detail: String,
    },
    /// A value the statistic needs is missing from the data.
    #[error("missing {what}")]
    MissingData {
        /// The metric (with breakdown) and year.
        what: String,
    },
    /// The result is not a finite number (the inputs are too large).
    #[error("the result overflows (inputs too large)")]
    Overflow,
}

impl NotComputable {
    /// Shorthand for [`NotComputable::TooFewValues`].
    pub(crate) fn too_few(needed: usize, got: usize) -> Self {
        NotComputable::TooFewValues { needed, got }
    }

    /// Shorthand for [`NotComputable::InvalidInput`].
    pub(crate) fn invalid(
        what: impl Into<Cow<'static, str>>,
        value: f64,
        expected: impl Into<Cow<'static, str>>,
    ) -> Self {
        NotComputable::InvalidInput {
            what: what.into(),
            value,
            expected: expected.into(),
        }
    }
}

/// `Ok(x)` when `x` is finite, otherwise [`NotComputable::Overflow`].
pub(crate) fn finite(x: f64) -> Computed<f64> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(NotComputable::Overflow)
    }
}

/// Serde adapter for [`Computed`] fields: `{"value": …}` or `{"not_computable": {…}}`.
///
/// Use as `#[serde(with = "kpi_stats::computed_serde")]`.
pub mod computed_serde {
    use super::{Computed, NotComputable};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize)]
    #[serde(rename_all = "snake_case")]
    enum Out<'a, T> {
        Value(&'a T),
        NotComputable(&'a NotComputable),
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum In<T> {
        Value(T),
        NotComputable(NotComputable),
    }

    /// Writes `{"value": …}` or `{"not_computable": {…}}`.
    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Computed<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Ok(v) => Out::Value(v),
            Err(e) => Out::NotComputable(e),
        }
        .serialize(serializer)
    }

    /// Reads what [`serialize`] writes.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Computed<T>, D::Error> {
        Ok(match In::deserialize(deserializer)? {
            In::Value(v) => Ok(v),
            In::NotComputable(e) => Err(e),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Holder {
        #[serde(with = "computed_serde")]
        a: Computed<f64>,
        #[serde(with = "computed_serde")]
        b: Computed<f64>,
    }

    #[test]
    fn computed_fields_round_trip_through_json() {
        let h = Holder {
            a: Ok(1.5),
            b: Err(NotComputable::NotPositive {
                year: 2020,
                value: 0.0,
            }),
        };
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(
            json,
            r#"{"a":{"value":1.5},"b":{"not_computable":{"reason":"not_positive","year":2020,"value":0.0}}}"#
        );
        let back: Holder = serde_json::from_str(&json).unwrap();
        assert_eq!(back, h);
    }

    #[test]
    fn finite_rejects_nan_and_infinity() {
        assert_eq!(finite(2.0), Ok(2.0));
        assert_eq!(finite(f64::NAN), Err(NotComputable::Overflow));
        assert_eq!(finite(f64::INFINITY), Err(NotComputable::Overflow));
    }

    #[test]
    fn messages_name_the_problem() {
        let r = NotComputable::IncompleteWindow {
            first: 2019,
            last: 2021,
            missing: vec![2020],
        };
        assert_eq!(r.to_string(), "no value for [2020] in the window 2019–2021");
        let r = NotComputable::InvalidGrade {
            grade: 3,
            detail: "rates sum to 1.05".into(),
        };
        assert_eq!(r.to_string(), "grade 3: rates sum to 1.05");
    }
}
