//! The metric dictionary: canonical codes, units, kinds and header aliases,
//! read from `data/metrics.toml` (embedded at compile time, extendable at run time).

use crate::i18n::Labels;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Index of a metric in a [`MetricRegistry`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MetricId(pub u16);

/// What kind of number a metric is; drives validation (negative counts,
/// shares outside 0–1) and how breakdowns combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    /// A whole, non-negative number of persons or things.
    Count,
    /// A share between 0 and 1.
    Share,
    /// A percentage between 0 and 100.
    Percent,
    /// A mean score on some scale (points, GPA).
    Score,
    /// A non-negative amount (KZT, m², FTE).
    Amount,
    /// 0 or 1.
    Flag,
}

/// How the bare metric is obtained from its breakdowns when only breakdowns
/// are given (`students_enrolled.female` + `.male` → `students_enrolled`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakdownTotal {
    /// The sum of the breakdowns (counts, amounts).
    #[default]
    Sum,
    /// The unweighted mean of the breakdowns (scores per literacy area).
    Mean,
}

/// The definition of one metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricDef {
    /// Canonical code, `snake_case`.
    pub code: String,
    /// Unit of measurement (`persons`, `places`, `KZT`, `m²`, `0–1`, `%`, `points` …).
    pub unit: String,
    /// Kind of number.
    pub kind: MetricKind,
    /// How breakdowns combine into the bare metric.
    #[serde(default)]
    pub total: BreakdownTotal,
    /// Metrics this one is a part of and must not exceed (warning otherwise).
    #[serde(default)]
    pub part_of: Vec<String>,
    /// Display names.
    #[serde(default)]
    pub labels: Labels,
    /// Header aliases in Kazakh, Russian and English.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Whether the metric comes from the dictionary (false: first seen in data).
    #[serde(default = "default_true", skip_serializing)]
    pub known: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Deserialize)]
struct MetricFile {
    #[serde(default, rename = "metric")]
    metrics: Vec<MetricDef>,
}

/// Errors reading a metric dictionary file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// The file is not valid TOML of the expected shape.
    #[error("{file}: {message}")]
    Parse {
        /// File name.
        file: String,
        /// What went wrong, with line and column.
        message: String,
    },
    /// The same code is defined twice in one file.
    #[error("{file}: metric `{code}` is defined twice")]
    Duplicate {
        /// File name.
        file: String,
        /// The repeated code.
        code: String,
    },
}

/// The built-in dictionary file.
pub const BUILTIN_METRICS_TOML: &str = include_str!("../../data/metrics.toml");

/// [`BUILTIN_METRICS_TOML`] compiled by build.rs (see [`crate::builtin_doc`]).
const BUILTIN_METRICS_DOC: &str = include_str!(concat!(env!("OUT_DIR"), "/metrics.json"));

/// The metric dictionary.
///
/// ```
/// use kpi_model::metrics::{MetricRegistry, MetricKind};
/// let reg = MetricRegistry::builtin();
/// let id = reg.id("students_enrolled").unwrap();
/// assert_eq!(reg.def(id).kind, MetricKind::Count);
/// assert!(reg.id("no_such_metric").is_none());
/// ```
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MetricRegistry {
    defs: Vec<MetricDef>,
    #[serde(skip)]
    by_code: HashMap<String, MetricId>,
}

impl MetricRegistry {
    /// The dictionary shipped with the crate.
    pub fn builtin() -> Self {
        // data/metrics.toml as build.rs compiled it (no TOML parser at run time); a unit
        // test compares it with the TOML parse. An error here is a build defect.
        let parsed: MetricFile = crate::builtin_doc::read(BUILTIN_METRICS_DOC)
            .map(|(file, _)| file)
            .unwrap_or_else(|e| panic!("built-in metric dictionary is invalid: {e}"));
        Self::from_file("metrics.toml", parsed)
            .unwrap_or_else(|e| panic!("built-in metric dictionary is invalid: {e}"))
    }

    /// Reads a dictionary from TOML text (`[[metric]]` tables).
    pub fn from_toml_str(file: &str, text: &str) -> Result<Self, RegistryError> {
        let parsed: MetricFile = toml::from_str(text).map_err(|e| RegistryError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        Self::from_file(file, parsed)
    }

    fn from_file(file: &str, parsed: MetricFile) -> Result<Self, RegistryError> {
        let mut reg = MetricRegistry {
            defs: Vec::new(),
            by_code: HashMap::new(),
        };
        for mut def in parsed.metrics {
            if reg.by_code.contains_key(&def.code) {
                return Err(RegistryError::Duplicate {
                    file: file.to_string(),
                    code: def.code,
                });
            }
            def.known = true;
            reg.push(def);
        }
        Ok(reg)
    }

    /// Adds or replaces definitions from another dictionary file (a user's
    /// new export form is a new alias list, not a release).
    pub fn extend_from_toml_str(&mut self, file: &str, text: &str) -> Result<(), RegistryError> {
        let other = Self::from_toml_str(file, text)?;
        for def in other.defs {
            match self.by_code.get(&def.code) {
                Some(&id) => self.defs[id.0 as usize] = def,
                None => {
                    self.push(def);
                }
            }
        }
        Ok(())
    }

    fn push(&mut self, def: MetricDef) -> MetricId {
        let id = MetricId(self.defs.len() as u16);
        self.by_code.insert(def.code.clone(), id);
        self.defs.push(def);
        id
    }

    /// The id of a code.
    pub fn id(&self, code: &str) -> Option<MetricId> {
        self.by_code.get(code).copied()
    }

    /// The definition of an id.
    pub fn def(&self, id: MetricId) -> &MetricDef {
        &self.defs[id.0 as usize]
    }

    /// The code of an id.
    pub fn code(&self, id: MetricId) -> &str {
        &self.defs[id.0 as usize].code
    }

    /// All definitions, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (MetricId, &MetricDef)> {
        self.defs
            .iter()
            .enumerate()
            .map(|(i, d)| (MetricId(i as u16), d))
    }

    /// Number of metrics.
    pub fn len(&self) -> usize {
        self.defs.len()
    }

    /// Whether the dictionary is empty.
    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    /// The id of `code`, registering it as an unknown metric (kept, with a
    /// warning raised by the caller) when it is not in the dictionary.
    pub fn intern(&mut self, code: &str) -> MetricId {
        if let Some(id) = self.id(code) {
            return id;
        }
        self.push(MetricDef {
            code: code.to_string(),
            unit: String::new(),
            kind: MetricKind::Amount,
            total: BreakdownTotal::Sum,
            part_of: Vec::new(),
            labels: Labels::same(code),
            aliases: Vec::new(),
            known: false,
        })
    }

    /// Rebuilds the code index after deserialisation.
    pub fn reindex(&mut self) {
        self.by_code = self
            .defs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.code.clone(), MetricId(i as u16)))
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn every_builtin_metric_is_labelled_in_all_four_languages() {
        let registry = MetricRegistry::builtin();
        assert!(registry.len() > 50);
        for (_, def) in registry.iter() {
            for lang in Lang::ALL {
                let own = match lang {
                    Lang::Kk => &def.labels.kk,
                    Lang::Ru => &def.labels.ru,
                    Lang::En => &def.labels.en,
                    Lang::Ky => &def.labels.ky,
                };
                assert!(!own.trim().is_empty(), "{} has no {lang} label", def.code);
            }
            assert_ne!(def.labels.ky, def.labels.kk, "{}: ky copies kk", def.code);
        }
        let id = registry
            .id("graduates_employed")
            .expect("a built-in metric");
        assert_eq!(
            registry.def(id).labels.get(Lang::Ky),
            "Жумушка орношкон бүтүрүүчүлөр"
        );
    }

    #[test]
    fn the_compiled_in_dictionary_is_the_toml_parse_of_metrics_toml() {
        // build.rs compiles data/metrics.toml; the TOML parser reading the same file must
        // give the same definitions in the same order, field by field (`MetricDef: PartialEq`).
        let compiled = MetricRegistry::builtin();
        let parsed = MetricRegistry::from_toml_str("metrics.toml", BUILTIN_METRICS_TOML).unwrap();
        assert!(compiled.len() > 50);
        assert_eq!(compiled.defs, parsed.defs);
        assert_eq!(compiled.by_code, parsed.by_code);
    }
}
