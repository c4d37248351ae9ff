//! Weights files for the composite index: indicator code → weight, in TOML or JSON.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Indicator weights for [`composite_index`](super::composite_index).
///
/// A weight is a finite number ≥ 0; only ratios matter (weights are divided
/// by their sum over the indicators used). An indicator without a weight, or
/// with weight 0, is left out of the index.
///
/// ```
/// use kpi_stats::Weights;
/// let w = Weights::from_pairs([("employment_rate", 2.0), ("student_satisfaction", 1.0)]).unwrap();
/// assert_eq!(w.get("employment_rate"), Some(2.0));
/// assert_eq!(w.get("gpa_mean"), None);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    source: String,
    weights: BTreeMap<String, f64>,
}

impl Weights {
    /// Weights given in code; fails on an invalid weight or a repeated code.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, f64)>,
    ) -> Result<Weights, WeightsError> {
        let mut weights = BTreeMap::new();
        for (code, w) in pairs {
            let code = code.trim();
            let fail = |message: String| WeightsError {
                file: "(weights given in code)".into(),
                line: None,
                column: None,
                message,
            };
            check_code(code).map_err(fail)?;
            check_weight(code, w).map_err(fail)?;
            if weights.insert(code.to_string(), w).is_some() {
                return Err(fail(format!("indicator `{code}` is given more than once")));
            }
        }
        Ok(Weights {
            source: "(weights given in code)".into(),
            weights,
        })
    }

    /// The weight of an indicator, if given.
    pub fn get(&self, code: &str) -> Option<f64> {
        self.weights.get(code).copied()
    }

    /// All weights, by code.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.weights.iter().map(|(k, &v)| (k.as_str(), v))
    }

    /// Number of indicators with a weight.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether no weight is given.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// The file (or other source) the weights came from.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// A weights file that cannot be used, with the place of the problem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{file}{}: {message}", place(*.line, *.column))]
pub struct WeightsError {
    /// The file name (or other source) as given.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong and what was expected.
    pub message: String,
}

fn place(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

fn check_code(code: &str) -> Result<(), String> {
    if code.is_empty() {
        Err("an indicator code is empty".into())
    } else {
        Ok(())
    }
}

fn check_weight(code: &str, w: f64) -> Result<(), String> {
    if w.is_finite() && w >= 0.0 {
        Ok(())
    } else {
        Err(format!(
            "the weight of `{code}` is {w}; expected a finite number ≥ 0"
        ))
    }
}

/// The map of a weights file, rejecting repeated codes and invalid weights
/// while parsing, so that the parser reports where they are.
struct WeightMap(BTreeMap<String, f64>);

impl<'de> Deserialize<'de> for WeightMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = WeightMap;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of indicator codes and weights, e.g. employment_rate = 2")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WeightMap, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(code) = map.next_key_seed(NewCode(&out))? {
                    let Weight(w) = map.next_value_seed(WeightOf(&code))?;
                    out.insert(code, w);
                }
                Ok(WeightMap(out))
            }
        }
        deserializer.deserialize_map(MapVisitor)
    }
}

struct Weight(f64);

/// Reads one indicator code, rejecting an empty or repeated one while the
/// parser still knows where it is.
struct NewCode<'a>(&'a BTreeMap<String, f64>);

impl<'de> de::DeserializeSeed<'de> for NewCode<'_> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        struct CodeVisitor<'a>(&'a BTreeMap<String, f64>);
        impl<'de> Visitor<'de> for CodeVisitor<'_> {
            type Value = String;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an indicator code")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
                let code = v.trim();
                check_code(code).map_err(E::custom)?;
                if self.0.contains_key(code) {
                    return Err(E::custom(format!(
                        "indicator `{code}` is given more than once"
                    )));
                }
                Ok(code.to_string())
            }
        }
        deserializer.deserialize_str(CodeVisitor(self.0))
    }
}

/// Reads one weight, naming its indicator in errors.
struct WeightOf<'a>(&'a str);

impl<'de> de::DeserializeSeed<'de> for WeightOf<'_> {
    type Value = Weight;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Weight, D::Error> {
        struct NumberVisitor<'a>(&'a str);
        impl<'de> Visitor<'de> for NumberVisitor<'_> {
            type Value = Weight;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a number ≥ 0 as the weight of `{}`", self.0)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Weight, E> {
                check_weight(self.0, v).map_err(E::custom)?;
                Ok(Weight(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Weight, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Weight, E> {
                self.visit_f64(v as f64)
            }
        }
        deserializer.deserialize_any(NumberVisitor(self.0))
    }
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Parses a weights file: a flat TOML table or JSON object mapping indicator
/// codes to weights. `source` is the file name, used in errors and to pick
/// the format (`.json` is JSON, `.toml` TOML; otherwise a text starting with
/// `{` is JSON). Errors name the file, line and column.
///
/// ```
/// use kpi_stats::parse_weights;
/// let w = parse_weights("# programme rating\nemployment_rate = 2\nstudent_satisfaction = 1.5\n", "rating.toml").unwrap();
/// assert_eq!(w.get("student_satisfaction"), Some(1.5));
/// let w = parse_weights(r#"{"employment_rate": 2}"#, "rating.json").unwrap();
/// assert_eq!(w.len(), 1);
/// let e = parse_weights("employment_rate = 2\ngpa_mean = -1\n", "rating.toml").unwrap_err();
/// assert_eq!(e.line, Some(2));
/// assert!(e.to_string().starts_with("rating.toml:2:"));
/// ```
pub fn parse_weights(text: &str, source: &str) -> Result<Weights, WeightsError> {
    let lower = source.to_ascii_lowercase();
    let json = if lower.ends_with(".json") {
        true
    } else if lower.ends_with(".toml") {
        false
    } else {
        text.trim_start().starts_with('{')
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parsed = if json {
        serde_json::from_str::<WeightMap>(text).map_err(|e| WeightsError {
            file: source.to_string(),
            line: Some(e.line()).filter(|&l| l > 0),
            column: Some(e.column()).filter(|&c| c > 0),
            message: strip_position(&e.to_string()),
        })
    } else {
        toml::from_str::<WeightMap>(text).map_err(|e| {
            let (line, column) = match e.span() {
                Some(span) => {
                    let (l, c) = line_column(text, span.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            WeightsError {
                file: source.to_string(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })
    }?;
    Ok(Weights {
        source: source.to_string(),
        weights: parsed.0,
    })
}

/// serde_json appends " at line L column C"; the error carries them in fields.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_json_weights() {
        let w = parse_weights(
            "employment_rate = 2\nstudent_satisfaction = 0.5\nzero = 0\n",
            "w.toml",
        )
        .unwrap();
        assert_eq!(w.get("employment_rate"), Some(2.0));
        assert_eq!(w.get("student_satisfaction"), Some(0.5));
        assert_eq!(w.get("zero"), Some(0.0));
        assert_eq!(w.source(), "w.toml");
        let j = parse_weights(
            "{\n  \"employment_rate\": 2,\n  \"gpa_mean\": 1.25\n}",
            "w.json",
        )
        .unwrap();
        assert_eq!(j.get("gpa_mean"), Some(1.25));
        // Format from content when the name says nothing.
        assert_eq!(
            parse_weights("{\"a\": 1}", "stdin").unwrap().get("a"),
            Some(1.0)
        );
        assert_eq!(parse_weights("a = 1", "stdin").unwrap().get("a"), Some(1.0));
    }

    #[test]
    fn toml_errors_name_file_line_and_column() {
        let e = parse_weights("a = 1\nb = -2\n", "weights.toml").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(5)), "{e}");
        assert!(
            e.message.contains("`b`") && e.message.contains("≥ 0"),
            "{e}"
        );
        assert!(e.to_string().starts_with("weights.toml:2:5: "), "{e}");

        let e = parse_weights("a = 1\nb = \"high\"\n", "weights.toml").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        assert!(e.message.contains("weight of `b`"), "{e}");

        let e = parse_weights("a = 1\n\nc = = 3\n", "weights.toml").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");

        let e = parse_weights("a = 1\na = 2\n", "weights.toml").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }

    #[test]
    fn json_errors_name_file_line_and_column() {
        let e = parse_weights("{\n  \"a\": 1,\n  \"b\": -3\n}", "w.json").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("`b`"), "{e}");
        assert!(e.to_string().starts_with("w.json:3:"), "{e}");
        let e = parse_weights("{\n  \"a\": 1,\n  \"a\": 2\n}", "w.json").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        assert!(e.message.contains("more than once"), "{e}");
        let e = parse_weights("{\n  \"a\": 1,,\n}", "w.json").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
        let e = parse_weights("[1, 2]", "w.json").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
    }

    #[test]
    fn weights_in_code_are_checked() {
        assert!(Weights::from_pairs([("a", f64::NAN)]).is_err());
        assert!(Weights::from_pairs([("a", 1.0), ("a", 2.0)]).is_err());
        assert!(Weights::from_pairs([(" ", 1.0)]).is_err());
        assert_eq!(Weights::from_pairs([("a", 1.0)]).unwrap().len(), 1);
    }

    #[test]
    fn line_column_of_offsets() {
        assert_eq!(line_column("ab\ncd", 0), (1, 1));
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab\ncd", 99), (2, 3));
    }
}
