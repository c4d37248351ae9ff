//! Why a value is not computable: the public, self-describing form.

use kpi_model::i18n::Lang;
use kpi_model::Year;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why an indicator value could not be computed. Never a silent 0 or NaN:
/// every not-computable cell carries one of these.
///
/// `Display` gives an English sentence; [`code`](Reason::code) and the fields
/// give everything a translation needs.
///
/// ```
/// use kpi_indicators::Reason;
/// let r = Reason::MissingMetric { metric: "students_enrolled".into(), breakdown: Some("female".into()), year: 2022 };
/// assert_eq!(r.to_string(), "missing students_enrolled.female in 2022");
/// assert_eq!(r.code(), "missing_metric");
/// let z = Reason::ZeroDenominator { denominator: "prev(students_enrolled) - prev(graduates)".into(), year: 2023 };
/// assert_eq!(z.to_string(), "the denominator prev(students_enrolled) - prev(graduates) is zero in 2023");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// A metric the formula needs has no value for the unit in `year`
    /// (the evaluated year, or an earlier one reached through `prev`).
    MissingMetric {
        /// The metric code.
        metric: String,
        /// The breakdown, when the formula names one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        breakdown: Option<String>,
        /// The year whose value is missing.
        year: Year,
    },
    /// A denominator is zero.
    ZeroDenominator {
        /// The denominator's expression, as printed from the formula.
        denominator: String,
        /// The year it was evaluated for.
        year: Year,
    },
    /// `prev` reaches `year`, before the first year of the dataset.
    BeforeFirstYear {
        /// The year needed.
        year: Year,
        /// The first year of the dataset.
        first_year: Year,
    },
    /// The arithmetic overflowed the finite numbers (absurdly large inputs).
    NotFinite {
        /// The evaluated year.
        year: Year,
    },
}

impl Reason {
    /// A stable machine-readable code: `missing_metric`, `zero_denominator`,
    /// `before_first_year`, `not_finite`.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::MissingMetric { .. } => "missing_metric",
            Reason::ZeroDenominator { .. } => "zero_denominator",
            Reason::BeforeFirstYear { .. } => "before_first_year",
            Reason::NotFinite { .. } => "not_finite",
        }
    }

    /// The year the reason is about.
    pub fn year(&self) -> Year {
        match self {
            Reason::MissingMetric { year, .. }
            | Reason::ZeroDenominator { year, .. }
            | Reason::BeforeFirstYear { year, .. }
            | Reason::NotFinite { year } => *year,
        }
    }

    /// Whether the reason is missing data (rather than a property of data present).
    pub fn is_missing_data(&self) -> bool {
        matches!(
            self,
            Reason::MissingMetric { .. } | Reason::BeforeFirstYear { .. }
        )
    }
}

impl Reason {
    /// The reason as a short phrase in `lang`, for tooltips and reports (the `Display` form is
    /// the English one). Metric codes stay as codes: they are what the data file calls them.
    ///
    /// ```
    /// use kpi_model::i18n::Lang;
    /// use kpi_indicators::Reason;
    /// let r = Reason::MissingMetric { metric: "graduates".into(), breakdown: None, year: 2024 };
    /// assert_eq!(r.localized(Lang::Kk), "2024 жылы graduates деректері жоқ");
    /// assert_eq!(r.localized(Lang::Ru), "нет данных graduates за 2024 год");
    /// assert_eq!(r.localized(Lang::En), "missing graduates in 2024");
    /// assert_eq!(r.localized(Lang::Ky), "2024-жылы graduates боюнча маалымат жок");
    /// ```
    pub fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (
                Reason::MissingMetric {
                    metric,
                    breakdown,
                    year,
                },
                lang,
            ) => {
                let m = match breakdown {
                    Some(b) => format!("{metric}.{b}"),
                    None => metric.clone(),
                };
                match lang {
                    Lang::Kk => format!("{year} жылы {m} деректері жоқ"),
                    Lang::Ky => format!("{year}-жылы {m} боюнча маалымат жок"),
                    _ => format!("нет данных {m} за {year} год"),
                }
            }
            (Reason::ZeroDenominator { denominator, year }, Lang::Kk) => {
                format!("{year} жылы бөлгіш {denominator} нөлге тең")
            }
            (Reason::ZeroDenominator { denominator, year }, Lang::Ky) => {
                format!("{year}-жылы бөлүүчү {denominator} нөлгө барабар")
            }
            (Reason::ZeroDenominator { denominator, year }, _) => {
                format!("знаменатель {denominator} равен нулю в {year} году")
            }
            (Reason::BeforeFirstYear { year, first_year }, Lang::Kk) => {
                format!("{year} жылғы деректер керек, ал деректер {first_year} жылдан басталады")
            }
            (Reason::BeforeFirstYear { year, first_year }, Lang::Ky) => {
                format!(
                    "{year}-жылдын маалыматы керек, бирок маалыматтар {first_year}-жылдан башталат"
                )
            }
            (Reason::BeforeFirstYear { year, first_year }, _) => {
                format!("нужны данные за {year} год, а данные начинаются с {first_year} года")
            }
            (Reason::NotFinite { year }, Lang::Kk) => {
                format!("{year} жылы нәтиже шекті сан емес (асып кету)")
            }
            (Reason::NotFinite { year }, Lang::Ky) => {
                format!("{year}-жылы натыйжа чектүү сан эмес (ашып кетүү)")
            }
            (Reason::NotFinite { year }, _) => {
                format!("в {year} году результат не является конечным числом (переполнение)")
            }
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::MissingMetric {
                metric,
                breakdown: Some(b),
                year,
            } => write!(f, "missing {metric}.{b} in {year}"),
            Reason::MissingMetric { metric, year, .. } => write!(f, "missing {metric} in {year}"),
            Reason::ZeroDenominator { denominator, year } => {
                write!(f, "the denominator {denominator} is zero in {year}")
            }
            Reason::BeforeFirstYear { year, first_year } => write!(
                f,
                "needs {year}, before the first year of the data ({first_year})"
            ),
            Reason::NotFinite { year } => {
                write!(f, "the result is not a finite number in {year} (overflow)")
            }
        }
    }
}

/// The value of one cell, or why there is none.
///
/// ```
/// use kpi_indicators::{Outcome, Reason};
/// let ok = Outcome::Value(75.0);
/// assert_eq!(ok.value(), Some(75.0));
/// let no = Outcome::NotComputable(Reason::NotFinite { year: 2020 });
/// assert_eq!(no.value(), None);
/// assert_eq!(no.reason().map(Reason::code), Some("not_finite"));
/// ```
/// Serialised as `{"status": "ok", "value": 75.0}` or
/// `{"status": "not_computable", "reason": {"kind": "missing_metric", …}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(into = "OutcomeRepr", try_from = "OutcomeRepr")]
pub enum Outcome {
    /// A finite value, at full precision (round only for display).
    Value(
        /// The value, in the indicator's unit.
        f64,
    ),
    /// No value, and why.
    NotComputable(
        /// Why.
        Reason,
    ),
}

impl Outcome {
    /// The value, if computable.
    pub fn value(&self) -> Option<f64> {
        match self {
            Outcome::Value(v) => Some(*v),
            Outcome::NotComputable(_) => None,
        }
    }

    /// The reason, if not computable.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Outcome::Value(_) => None,
            Outcome::NotComputable(r) => Some(r),
        }
    }

    /// Whether there is a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Outcome::Value(_))
    }

    /// `ok` or `not_computable`, as in the CSV `status` column.
    pub fn status(&self) -> &'static str {
        match self {
            Outcome::Value(_) => "ok",
            Outcome::NotComputable(_) => "not_computable",
        }
    }
}

#[derive(Serialize, Deserialize)]
struct OutcomeRepr {
    status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<Reason>,
}

impl From<Outcome> for OutcomeRepr {
    fn from(o: Outcome) -> Self {
        let status = o.status().to_string();
        match o {
            Outcome::Value(v) => OutcomeRepr {
                status,
                value: Some(v),
                reason: None,
            },
            Outcome::NotComputable(r) => OutcomeRepr {
                status,
                value: None,
                reason: Some(r),
            },
        }
    }
}

impl TryFrom<OutcomeRepr> for Outcome {
    type Error = String;
    fn try_from(r: OutcomeRepr) -> Result<Self, String> {
        match (r.status.as_str(), r.value, r.reason) {
            ("ok", Some(v), None) if v.is_finite() => Ok(Outcome::Value(v)),
            ("not_computable", None, Some(reason)) => Ok(Outcome::NotComputable(reason)),
            (s, ..) => Err(format!(
                "expected status \"ok\" with a finite value or \"not_computable\" with a reason, found status {s:?}"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_serialises_with_status() {
        let ok = Outcome::Value(75.0);
        let json = serde_json::to_string(&ok).unwrap();
        assert_eq!(json, r#"{"status":"ok","value":75.0}"#);
        assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), ok);
        let no = Outcome::NotComputable(Reason::BeforeFirstYear {
            year: 2018,
            first_year: 2019,
        });
        let json = serde_json::to_string(&no).unwrap();
        assert_eq!(
            json,
            r#"{"status":"not_computable","reason":{"kind":"before_first_year","year":2018,"first_year":2019}}"#
        );
        assert_eq!(serde_json::from_str::<Outcome>(&json).unwrap(), no);
        assert!(serde_json::from_str::<Outcome>(r#"{"status":"ok"}"#).is_err());
    }

    #[test]
    fn reason_sentences() {
        let r = Reason::MissingMetric {
            metric: "teachers_total".into(),
            breakdown: None,
            year: 2021,
        };
        assert_eq!(r.to_string(), "missing teachers_total in 2021");
        assert!(r.is_missing_data());
        let r = Reason::BeforeFirstYear {
            year: 2018,
            first_year: 2019,
        };
        assert_eq!(
            r.to_string(),
            "needs 2018, before the first year of the data (2019)"
        );
        assert_eq!(r.year(), 2018);
    }
}
