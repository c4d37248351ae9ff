//! The indicator catalogue: the built-in definitions (`data/indicators.toml`,
//! embedded) plus any the user adds or overrides from their own file.

use super::catalogue_file::{self, CatalogueError};
use super::definition::{IndicatorDef, IndicatorId};
use super::formula::program::Program;
use super::formula::FormulaLimits;
use kpi_model::Level;
use serde::{Serialize, Serializer};
use std::collections::HashMap;

/// The built-in catalogue file.
pub const BUILTIN_INDICATORS_TOML: &str = include_str!("../data/indicators.toml");

/// [`BUILTIN_INDICATORS_TOML`] compiled by build.rs (see [`kpi_model::builtin_doc`]).
pub(crate) const BUILTIN_INDICATORS_DOC: &str =
    include_str!(concat!(env!("OUT_DIR"), "/indicators.json"));

/// Most indicators one catalogue may hold (ids are 16-bit).
pub const MAX_INDICATORS: usize = 4096;

/// An indicator's formulas, compiled once.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Compiled {
    pub value: Program,
    /// `(successes, trials, scale)`.
    pub counts: Option<(Program, Program, f64)>,
}

impl Compiled {
    fn of(def: &IndicatorDef) -> Compiled {
        Compiled {
            value: Program::compile(def.formula.expr()),
            counts: def.counts.as_ref().map(|c| {
                (
                    Program::compile(c.successes.expr()),
                    Program::compile(c.trials.expr()),
                    c.scale,
                )
            }),
        }
    }
}

/// The indicator catalogue.
///
/// ```
/// use kpi_indicators::Catalogue;
/// let builtin = Catalogue::builtin();
/// assert!(builtin.len() >= 34);
///
/// // A user file adds an indicator and overrides a built-in one.
/// let user = r#"
/// [[indicator]]
/// code = "practice_rate"
/// family = "outcome"
/// levels = ["college"]
/// per = "both"
/// formula = "100 * practice_completed / graduates"
/// unit = "%"
/// direction = "higher"
/// counts = { successes = "practice_completed", trials = "graduates" }
/// name = { kk = "Кәсіптік практиканы сәтті аяқтағандар", ru = "Успешно завершившие практику", en = "Practice completion" }
///
/// [[indicator]]
/// code = "student_teacher_ratio"
/// family = "input"
/// levels = ["school"]
/// per = "organisation"
/// formula = "students_enrolled / teachers_total"
/// unit = "ratio"
/// direction = "lower"
/// name = { en = "Pupils per teacher (head count)" }
/// "#;
/// let cat = builtin.with_user_file("my.toml", user).unwrap();
/// assert_eq!(cat.len(), Catalogue::builtin().len() + 1);
/// assert_eq!(
///     cat.by_code("student_teacher_ratio").unwrap().formula.to_string(),
///     "students_enrolled / teachers_total"
/// );
///
/// // A bad file is rejected with its line and the reason.
/// let bad = user.replace("family = \"outcome\"", "family = \"outcomes\"");
/// let err = Catalogue::builtin().with_user_file("bad.toml", &bad).unwrap_err();
/// assert_eq!(err.line, Some(4));
/// assert!(err.to_string().starts_with("bad.toml:4:10: indicator `practice_rate`: unknown family `outcomes`"));
/// // A missing field is named too.
/// let err = Catalogue::builtin().with_user_file("bad.toml", "[[indicator]]\ncode = \"x\"\n").unwrap_err();
/// assert!(err.to_string().contains("missing field `family`"), "{err}");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Catalogue {
    defs: Vec<IndicatorDef>,
    compiled: Vec<Compiled>,
    by_code: HashMap<String, IndicatorId>,
    limits: FormulaLimits,
}

impl Default for Catalogue {
    fn default() -> Self {
        Catalogue::empty()
    }
}

impl Catalogue {
    /// A catalogue with no indicator.
    pub fn empty() -> Catalogue {
        Catalogue {
            defs: Vec::new(),
            compiled: Vec::new(),
            by_code: HashMap::new(),
            limits: FormulaLimits::default(),
        }
    }

    /// The catalogue shipped with the crate (docs/indicators.md's table).
    pub fn builtin() -> Catalogue {
        // data/indicators.toml as build.rs compiled it (no TOML parser at run time); unit
        // tests check it and compare it with the TOML parse. An error is a build defect.
        let mut cat = Self::empty();
        catalogue_file::read_compiled("indicators.toml", BUILTIN_INDICATORS_DOC, &cat.limits)
            .and_then(|defs| cat.add_all("indicators.toml", defs))
            .unwrap_or_else(|e| panic!("built-in indicator catalogue is invalid: {e}"));
        cat
    }

    /// Reads a catalogue from TOML text (`[[indicator]]` tables).
    pub fn from_toml_str(file: &str, text: &str) -> Result<Catalogue, CatalogueError> {
        Self::empty().with_toml_str(file, text)
    }

    /// Reads a catalogue from JSON text: `{"indicator": [ … ]}` or a bare array.
    pub fn from_json_str(file: &str, text: &str) -> Result<Catalogue, CatalogueError> {
        Self::empty().with_json_str(file, text)
    }

    /// Sets the formula limits used for files read from now on.
    pub fn with_limits(mut self, limits: FormulaLimits) -> Catalogue {
        self.limits = limits;
        self
    }

    /// The formula limits for files read into this catalogue.
    pub fn limits(&self) -> FormulaLimits {
        self.limits
    }

    /// Adds the indicators of a user file, replacing built-in ones with the
    /// same code. JSON when `file` ends in `.json` or the text starts with
    /// `{` or `[` followed by `"`/`{`; TOML otherwise. On error nothing changes
    /// (the catalogue is consumed and returned only on success; clone it
    /// first to keep it).
    pub fn with_user_file(self, file: &str, text: &str) -> Result<Catalogue, CatalogueError> {
        if catalogue_file::looks_like_json(file, text) {
            self.with_json_str(file, text)
        } else {
            self.with_toml_str(file, text)
        }
    }

    fn with_toml_str(mut self, file: &str, text: &str) -> Result<Catalogue, CatalogueError> {
        let defs = catalogue_file::read_toml(file, text, &self.limits)?;
        self.add_all(file, defs)?;
        Ok(self)
    }

    fn with_json_str(mut self, file: &str, text: &str) -> Result<Catalogue, CatalogueError> {
        let defs = catalogue_file::read_json(file, text, &self.limits)?;
        self.add_all(file, defs)?;
        Ok(self)
    }

    fn add_all(&mut self, file: &str, defs: Vec<IndicatorDef>) -> Result<(), CatalogueError> {
        let new = defs
            .iter()
            .filter(|d| !self.by_code.contains_key(&d.code))
            .count();
        if self.defs.len() + new > MAX_INDICATORS {
            return Err(CatalogueError::plain(
                file,
                format!("more than {MAX_INDICATORS} indicators"),
            ));
        }
        for def in defs {
            self.put(def);
        }
        Ok(())
    }

    /// Adds an indicator, or replaces the one with the same code (keeping its
    /// id). Returns its id, or an error when the catalogue is full.
    pub fn insert(&mut self, def: IndicatorDef) -> Result<IndicatorId, CatalogueError> {
        if !self.by_code.contains_key(&def.code) && self.defs.len() >= MAX_INDICATORS {
            return Err(CatalogueError::plain(
                &def.code,
                format!("more than {MAX_INDICATORS} indicators"),
            ));
        }
        Ok(self.put(def))
    }

    fn put(&mut self, def: IndicatorDef) -> IndicatorId {
        let compiled = Compiled::of(&def);
        match self.by_code.get(&def.code) {
            Some(&id) => {
                self.defs[id.index()] = def;
                self.compiled[id.index()] = compiled;
                id
            }
            None => {
                // `add_all`/`insert` keep the count within MAX_INDICATORS < u16::MAX.
                let id = IndicatorId(self.defs.len() as u16);
                self.by_code.insert(def.code.clone(), id);
                self.defs.push(def);
                self.compiled.push(compiled);
                id
            }
        }
    }

    /// Checks that every metric a formula reads is known: `known` says
    /// whether a metric code is (the metric dictionary, and the new metrics
    /// a dataset brought). The first formula naming an unknown metric is an
    /// error naming `file`, the indicator and the metric, with the closest
    /// of `candidates`. Without it, a misspelt metric would load silently and
    /// make its indicator not computable everywhere.
    ///
    /// ```
    /// use kpi_indicators::Catalogue;
    /// let text = r#"
    /// [[indicator]]
    /// code = "x"
    /// family = "input"
    /// levels = ["school"]
    /// formula = "students_enroled / teachers_total"
    /// unit = "%"
    /// direction = "higher"
    /// name = { en = "X" }
    /// "#;
    /// let cat = Catalogue::from_toml_str("mine.toml", text).unwrap();
    /// let known = ["students_enrolled", "teachers_total"];
    /// let err = cat
    ///     .check_metrics("mine.toml", |m| known.contains(&m), &known)
    ///     .unwrap_err();
    /// assert_eq!(err.indicator.as_deref(), Some("x"));
    /// assert!(err.message.contains("`students_enroled`"), "{}", err.message);
    /// assert!(err.message.contains("did you mean `students_enrolled`?"), "{}", err.message);
    /// ```
    pub fn check_metrics(
        &self,
        file: &str,
        known: impl Fn(&str) -> bool,
        candidates: &[&str],
    ) -> Result<(), CatalogueError> {
        for (_, def) in self.iter() {
            if let Some(m) = def
                .formula
                .metrics()
                .into_iter()
                .find(|m| !known(&m.metric))
            {
                return Err(CatalogueError {
                    file: file.to_string(),
                    line: None,
                    column: None,
                    indicator: Some(def.code.clone()),
                    message: format!(
                        "formula `{}` reads metric `{}`, which is neither in the metric dictionary nor in the data{}",
                        def.formula,
                        m.metric,
                        catalogue_file::did_you_mean(&m.metric, candidates.iter().copied())
                    ),
                });
            }
        }
        Ok(())
    }

    /// A catalogue of only the given codes, in the order given. Unknown
    /// codes are an error naming them.
    ///
    /// ```
    /// use kpi_indicators::Catalogue;
    /// let sub = Catalogue::builtin().select(&["gpa_mean", "employment_rate"]).unwrap();
    /// assert_eq!(sub.len(), 2);
    /// let err = Catalogue::builtin().select(&["gpa"]).unwrap_err();
    /// assert!(err.to_string().contains("unknown indicator `gpa`"));
    /// ```
    pub fn select<S: AsRef<str>>(&self, codes: &[S]) -> Result<Catalogue, CatalogueError> {
        let mut out = Catalogue::empty().with_limits(self.limits);
        for code in codes {
            let code = code.as_ref().trim();
            let def = self.by_code(code).ok_or_else(|| {
                CatalogueError::plain(
                    "--indicator",
                    format!(
                        "unknown indicator `{code}`{}",
                        catalogue_file::did_you_mean(
                            code,
                            self.defs.iter().map(|d| d.code.as_str())
                        )
                    ),
                )
            })?;
            out.put(def.clone());
        }
        Ok(out)
    }

    /// Number of indicators.
    pub fn len(&self) -> usize {
        self.defs.len()
    }

    /// Whether the catalogue is empty.
    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    /// The id of a code.
    pub fn id(&self, code: &str) -> Option<IndicatorId> {
        self.by_code.get(code.trim()).copied()
    }

    /// The definition of an id.
    pub fn get(&self, id: IndicatorId) -> Option<&IndicatorDef> {
        self.defs.get(id.index())
    }

    /// The definition of a code.
    pub fn by_code(&self, code: &str) -> Option<&IndicatorDef> {
        self.id(code).and_then(|id| self.get(id))
    }

    /// All definitions with their ids, in catalogue order.
    pub fn iter(&self) -> impl Iterator<Item = (IndicatorId, &IndicatorDef)> + '_ {
        self.defs
            .iter()
            .enumerate()
            .map(|(i, d)| (IndicatorId(i as u16), d))
    }

    /// The indicators applying to a level.
    pub fn for_level(
        &self,
        level: Level,
    ) -> impl Iterator<Item = (IndicatorId, &IndicatorDef)> + '_ {
        self.iter().filter(move |(_, d)| d.applies_to(level))
    }

    pub(crate) fn compiled(&self, id: IndicatorId) -> Option<&Compiled> {
        self.compiled.get(id.index())
    }
}

/// Serialises as `{"indicator": [ … ]}`, the shape of the catalogue files.
impl Serialize for Catalogue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct File<'a> {
            indicator: &'a [IndicatorDef],
        }
        File {
            indicator: &self.defs,
        }
        .serialize(s)
    }
}
