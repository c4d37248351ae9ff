//! The alias book: table names, column headers, enumerated values and
//! breakdown names in Kazakh, Russian and English, read from
//! `data/aliases.toml` (embedded at compile time, extendable at run time).

use super::normalize::{code_of, match_key, same_text};
use kpi_model::metrics::{MetricId, MetricRegistry};
use kpi_model::validate::TableKind;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// The built-in alias file.
pub const BUILTIN_ALIASES_TOML: &str = include_str!("../data/aliases.toml");

/// [`BUILTIN_ALIASES_TOML`] compiled by build.rs (see [`kpi_model::builtin_doc`]).
const BUILTIN_ALIASES_DOC: &str = include_str!(concat!(env!("OUT_DIR"), "/aliases.json"));

/// A column of an input table, by its canonical name (docs/data.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// `org_id`.
    OrgId,
    /// `name`.
    Name,
    /// `name_kk`.
    NameKk,
    /// `name_ru`.
    NameRu,
    /// `name_en`.
    NameEn,
    /// `level`.
    Level,
    /// `region`.
    Region,
    /// `ownership`.
    Ownership,
    /// `locality`.
    Locality,
    /// `year`.
    Year,
    /// `programme`.
    Programme,
    /// `metric` (long observations).
    Metric,
    /// `value` (long observations).
    Value,
    /// `student_id`.
    StudentId,
    /// `course` (year of study).
    Course,
    /// `status`.
    Status,
    /// `gpa`.
    Gpa,
    /// `credits_earned`.
    CreditsEarned,
    /// `funding`.
    Funding,
    /// `employed`.
    Employed,
    /// `further_study`.
    FurtherStudy,
    /// `term`.
    Term,
    /// `course_code` (a graded course).
    CourseCode,
    /// `credits`.
    Credits,
    /// `score` (0–100 in grades, 1–5 in surveys).
    Score,
    /// `letter`.
    Letter,
    /// `survey`.
    Survey,
    /// `respondent_id`.
    RespondentId,
    /// `question`.
    Question,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 29] = [
        Field::OrgId,
        Field::Name,
        Field::NameKk,
        Field::NameRu,
        Field::NameEn,
        Field::Level,
        Field::Region,
        Field::Ownership,
        Field::Locality,
        Field::Year,
        Field::Programme,
        Field::Metric,
        Field::Value,
        Field::StudentId,
        Field::Course,
        Field::Status,
        Field::Gpa,
        Field::CreditsEarned,
        Field::Funding,
        Field::Employed,
        Field::FurtherStudy,
        Field::Term,
        Field::CourseCode,
        Field::Credits,
        Field::Score,
        Field::Letter,
        Field::Survey,
        Field::RespondentId,
        Field::Question,
    ];

    /// The canonical name, as in docs/data.md.
    pub fn code(self) -> &'static str {
        match self {
            Field::OrgId => "org_id",
            Field::Name => "name",
            Field::NameKk => "name_kk",
            Field::NameRu => "name_ru",
            Field::NameEn => "name_en",
            Field::Level => "level",
            Field::Region => "region",
            Field::Ownership => "ownership",
            Field::Locality => "locality",
            Field::Year => "year",
            Field::Programme => "programme",
            Field::Metric => "metric",
            Field::Value => "value",
            Field::StudentId => "student_id",
            Field::Course => "course",
            Field::Status => "status",
            Field::Gpa => "gpa",
            Field::CreditsEarned => "credits_earned",
            Field::Funding => "funding",
            Field::Employed => "employed",
            Field::FurtherStudy => "further_study",
            Field::Term => "term",
            Field::CourseCode => "course_code",
            Field::Credits => "credits",
            Field::Score => "score",
            Field::Letter => "letter",
            Field::Survey => "survey",
            Field::RespondentId => "respondent_id",
            Field::Question => "question",
        }
    }

    /// Parses a canonical name.
    pub fn from_code(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == code.trim())
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A set of enumerated values with aliases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ValueSet {
    /// `level`: preschool, school, college, university.
    Level,
    /// `ownership`: state, private.
    Ownership,
    /// `locality`: urban, rural.
    Locality,
    /// Student `status`.
    Status,
    /// `funding`: state_grant, paid.
    Funding,
    /// yes / no.
    Bool,
    /// `survey` kind: students, parents, employers, staff, graduates.
    Survey,
}

impl ValueSet {
    /// Every value set.
    pub const ALL: [ValueSet; 7] = [
        ValueSet::Level,
        ValueSet::Ownership,
        ValueSet::Locality,
        ValueSet::Status,
        ValueSet::Funding,
        ValueSet::Bool,
        ValueSet::Survey,
    ];

    /// The section name in the alias file (`[values.<name>]`).
    pub fn code(self) -> &'static str {
        match self {
            ValueSet::Level => "level",
            ValueSet::Ownership => "ownership",
            ValueSet::Locality => "locality",
            ValueSet::Status => "status",
            ValueSet::Funding => "funding",
            ValueSet::Bool => "bool",
            ValueSet::Survey => "survey",
        }
    }

    /// The canonical values.
    pub fn canonical(self) -> &'static [&'static str] {
        match self {
            ValueSet::Level => &["preschool", "school", "college", "university"],
            ValueSet::Ownership => &["state", "private"],
            ValueSet::Locality => &["urban", "rural"],
            ValueSet::Status => &[
                "enrolled",
                "graduated",
                "expelled",
                "transferred_out",
                "academic_leave",
                "repeating",
            ],
            ValueSet::Funding => &["state_grant", "paid"],
            ValueSet::Bool => &["yes", "no"],
            ValueSet::Survey => &["students", "parents", "employers", "staff", "graduates"],
        }
    }
}

/// Errors reading an alias file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AliasError {
    /// Not valid TOML of the expected shape.
    #[error("{file}: {message}")]
    Parse {
        /// File name.
        file: String,
        /// What went wrong, with line and column.
        message: String,
    },
    /// A section or key names something that does not exist.
    #[error("{file}: unknown {what} `{name}` (expected one of: {expected})")]
    Unknown {
        /// File name.
        file: String,
        /// What kind of name (table, field, value set, value).
        what: &'static str,
        /// The name found.
        name: String,
        /// The accepted names.
        expected: String,
    },
    /// One alias means two different things in the same section.
    #[error("{file}: alias `{alias}` is given for both `{first}` and `{second}`")]
    Ambiguous {
        /// File name.
        file: String,
        /// The alias.
        alias: String,
        /// Its first meaning.
        first: String,
        /// Its second meaning.
        second: String,
    },
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct AliasFile {
    #[serde(default)]
    tables: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    fields: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    values: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    breakdowns: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    regions: BTreeMap<String, Vec<String>>,
}

/// Aliases of table names, fields, values and breakdowns, by matching key
/// ([`match_key`]).
///
/// ```
/// use kpi_import::{AliasBook, Field, ValueSet};
/// use kpi_model::validate::TableKind;
/// let book = AliasBook::builtin();
/// assert_eq!(book.field("Оқу жылы"), Some(Field::Year));
/// assert_eq!(book.field("БИН"), Some(Field::OrgId));
/// assert_eq!(book.table("ұйымдар"), Some(TableKind::Organisations));
/// assert_eq!(book.value(ValueSet::Level, "ЖОО"), Some("university"));
/// assert_eq!(book.value(ValueSet::Bool, "жоқ"), Some("no"));
/// assert_eq!(book.breakdown("қыздар"), "female");
/// assert_eq!(book.breakdown("5 сынып"), "grade_5");
/// ```
#[derive(Clone, Debug, Default)]
pub struct AliasBook {
    tables: HashMap<String, TableKind>,
    fields: HashMap<String, Field>,
    values: HashMap<ValueSet, HashMap<String, &'static str>>,
    breakdowns: HashMap<String, String>,
    /// (alias as written, field) for suggestions.
    field_spellings: Vec<(String, Field)>,
    /// Region spellings (matching keys) → the region's name in the alias file.
    regions: HashMap<String, String>,
}

impl AliasBook {
    /// The aliases shipped with the crate.
    pub fn builtin() -> AliasBook {
        let mut book = AliasBook::canonical_only();
        // data/aliases.toml as build.rs compiled it (no TOML parser at run time); a unit
        // test compares it with the TOML parse. Failing here is a build defect.
        let parsed = kpi_model::builtin_doc::read::<AliasFile>(BUILTIN_ALIASES_DOC)
            .map_err(|e| e.to_string())
            .and_then(|(file, _)| {
                book.extend_from_file("aliases.toml", file)
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = parsed {
            panic!("built-in alias file is invalid: {e}");
        }
        book
    }

    /// A book that knows only the canonical names.
    pub fn canonical_only() -> AliasBook {
        let mut book = AliasBook::default();
        for kind in TableKind::ALL {
            book.tables.insert(match_key(kind.code()), kind);
        }
        for f in Field::ALL {
            book.fields.insert(match_key(f.code()), f);
            book.field_spellings.push((f.code().to_string(), f));
        }
        for set in ValueSet::ALL {
            let map = book.values.entry(set).or_default();
            for &c in set.canonical() {
                map.insert(match_key(c), c);
            }
        }
        book
    }

    /// Reads a book from TOML text on top of the canonical names.
    pub fn from_toml_str(file: &str, text: &str) -> Result<AliasBook, AliasError> {
        let mut book = AliasBook::canonical_only();
        book.extend_from_toml_str(file, text)?;
        Ok(book)
    }

    /// Adds the aliases of another file; an alias already present takes its new meaning.
    pub fn extend_from_toml_str(&mut self, file: &str, text: &str) -> Result<(), AliasError> {
        let parsed: AliasFile = toml::from_str(text).map_err(|e| AliasError::Parse {
            file: file.to_string(),
            message: e.to_string(),
        })?;
        self.extend_from_file(file, parsed)
    }

    fn extend_from_file(&mut self, file: &str, parsed: AliasFile) -> Result<(), AliasError> {
        let unknown = |what: &'static str, name: &str, expected: Vec<&str>| AliasError::Unknown {
            file: file.to_string(),
            what,
            name: name.to_string(),
            expected: expected.join(", "),
        };
        // Within one file an alias must mean one thing; across files the later wins.
        let mut seen: HashMap<(&'static str, String), String> = HashMap::new();
        let mut check = |section: &'static str, key: &str, meaning: &str| match seen
            .insert((section, key.to_string()), meaning.to_string())
        {
            Some(prev) if prev != meaning => Err(AliasError::Ambiguous {
                file: file.to_string(),
                alias: key.to_string(),
                first: prev,
                second: meaning.to_string(),
            }),
            _ => Ok(()),
        };
        for (name, aliases) in &parsed.tables {
            let kind = TableKind::ALL
                .into_iter()
                .find(|k| k.code() == name)
                .ok_or_else(|| unknown("table", name, TableKind::ALL.map(|k| k.code()).to_vec()))?;
            for a in aliases {
                let key = match_key(a);
                check("tables", &key, kind.code())?;
                self.tables.insert(key, kind);
            }
        }
        for (name, aliases) in &parsed.fields {
            let field = Field::from_code(name)
                .ok_or_else(|| unknown("field", name, Field::ALL.map(|f| f.code()).to_vec()))?;
            for a in aliases {
                let key = match_key(a);
                check("fields", &key, field.code())?;
                self.fields.insert(key, field);
                self.field_spellings.push((a.clone(), field));
            }
        }
        for (set_name, values) in &parsed.values {
            let set = ValueSet::ALL
                .into_iter()
                .find(|s| s.code() == set_name)
                .ok_or_else(|| {
                    unknown(
                        "value set",
                        set_name,
                        ValueSet::ALL.map(|s| s.code()).to_vec(),
                    )
                })?;
            for (value, aliases) in values {
                let canonical = set
                    .canonical()
                    .iter()
                    .copied()
                    .find(|c| c == value)
                    .ok_or_else(|| unknown("value", value, set.canonical().to_vec()))?;
                let map = self.values.entry(set).or_default();
                for a in aliases {
                    let key = match_key(a);
                    check(set.code(), &key, canonical)?;
                    map.insert(key, canonical);
                }
            }
        }
        for (name, aliases) in &parsed.regions {
            for a in aliases.iter().chain(std::iter::once(name)) {
                let key = match_key(a);
                check("regions", &key, name)?;
                self.regions.insert(key, name.clone());
            }
        }
        for (name, aliases) in &parsed.breakdowns {
            let canonical = code_of(name);
            for a in aliases {
                let key = match_key(a);
                check("breakdowns", &key, &canonical)?;
                self.breakdowns.insert(key, canonical.clone());
            }
            self.breakdowns.insert(match_key(name), canonical);
        }
        Ok(())
    }

    /// The table kind a file or sheet name stands for: the whole name, or one
    /// of its words or word sequences (`2023_ұйымдар_Алматы` → organisations).
    /// `None` when nothing or more than one kind matches.
    pub fn table(&self, name: &str) -> Option<TableKind> {
        let key = match_key(name);
        if let Some(&k) = self.tables.get(&key) {
            return Some(k);
        }
        let words: Vec<&str> = key.split(' ').collect();
        let mut found: Option<TableKind> = None;
        for start in 0..words.len() {
            for end in (start + 1)..=words.len().min(start + 5) {
                let phrase = words[start..end].join(" ");
                if let Some(&k) = self.tables.get(&phrase) {
                    match found {
                        Some(f) if f != k => return None,
                        _ => found = Some(k),
                    }
                }
            }
        }
        found
    }

    /// The region a spelling stands for (`г. Астана`, `Astana`, `Нур-Султан`
    /// → `Астана қаласы`), as named in the alias file's `[regions]`; `None`
    /// for a region the book does not know.
    ///
    /// ```
    /// use kpi_import::AliasBook;
    /// let book = AliasBook::builtin();
    /// assert_eq!(book.region("г. Астана"), Some("Астана қаласы"));
    /// assert_eq!(book.region("Astana"), book.region("Астана қаласы"));
    /// assert_eq!(book.region("Южно-Казахстанская область"), Some("Түркістан облысы"));
    /// assert_eq!(book.region("Atlantis"), None);
    /// ```
    pub fn region(&self, name: &str) -> Option<&str> {
        self.regions.get(&match_key(name)).map(String::as_str)
    }

    /// The field a header stands for.
    pub fn field(&self, header: &str) -> Option<Field> {
        self.fields.get(&match_key(header)).copied()
    }

    /// The canonical code of a value in a value set.
    pub fn value(&self, set: ValueSet, text: &str) -> Option<&'static str> {
        self.values.get(&set)?.get(&match_key(text)).copied()
    }

    /// The canonical name of a breakdown: an alias (`қыздар` → `female`), a
    /// grade or course (`5 сынып`, `класс 5`, `grade_5` → `grade_5`;
    /// `курс 2` → `course_2`), or else the name as a code.
    pub fn breakdown(&self, name: &str) -> String {
        let key = match_key(name);
        if let Some(c) = self.breakdowns.get(&key) {
            return c.clone();
        }
        let words: Vec<&str> = key.split(' ').collect();
        if let [a, b] = words.as_slice() {
            let (word, number) = if a.bytes().all(|c| c.is_ascii_digit()) {
                (*b, *a)
            } else {
                (*a, *b)
            };
            if number.bytes().all(|c| c.is_ascii_digit()) && !number.is_empty() {
                let n = number.trim_start_matches('0');
                match word {
                    "grade" | "сынып" | "класс" | "кл" => return format!("grade_{n}"),
                    "course" | "курс" => return format!("course_{n}"),
                    _ => {}
                }
            }
        }
        code_of(name)
    }

    /// How close a header is to the spellings of one field (normalised
    /// Levenshtein similarity of the closest, at least 0.5), for "rename this
    /// column" hints when a required column is missing.
    pub fn closest_spelling_of(&self, field: Field, header: &str) -> Option<f64> {
        let key = match_key(header);
        self.field_spellings
            .iter()
            .filter(|(_, f)| *f == field)
            .map(|(spelling, _)| strsim::normalized_levenshtein(&key, &match_key(spelling)))
            .filter(|s| *s >= 0.5)
            .max_by(f64::total_cmp)
    }

    /// The closest known field spelling to a header, by normalised
    /// Levenshtein similarity (at least 0.5), for "did you mean" hints.
    pub fn closest_field(&self, header: &str) -> Option<(f64, String)> {
        let key = match_key(header);
        self.field_spellings
            .iter()
            .map(|(spelling, f)| {
                (
                    strsim::normalized_levenshtein(&key, &match_key(spelling)),
                    format!("{spelling} ({})", f.code()),
                )
            })
            .filter(|(s, _)| *s >= 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0))
    }
}

/// Metric codes, labels and aliases by matching key, built from a
/// [`MetricRegistry`].
///
/// ```
/// use kpi_import::MetricIndex;
/// use kpi_model::metrics::MetricRegistry;
/// let reg = MetricRegistry::builtin();
/// let index = MetricIndex::new(&reg);
/// assert_eq!(index.get("Контингент").map(|m| reg.code(m)), Some("students_enrolled"));
/// assert_eq!(index.get("трудоустроенные").map(|m| reg.code(m)), Some("graduates_employed"));
/// assert_eq!(index.get("ПОҚ").map(|m| reg.code(m)), Some("teachers_total"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct MetricIndex {
    by_key: HashMap<String, MetricId>,
    spellings: Vec<(String, String, MetricId)>,
}

impl MetricIndex {
    /// Indexes every code, label and alias of a registry. When two metrics
    /// share an alias, the one defined first keeps it.
    pub fn new(registry: &MetricRegistry) -> MetricIndex {
        let mut index = MetricIndex::default();
        for (id, def) in registry.iter() {
            index.add(id, &def.code);
            for a in &def.aliases {
                index.add(id, a);
            }
            for l in [
                &def.labels.kk,
                &def.labels.ru,
                &def.labels.en,
                &def.labels.ky,
            ] {
                if !l.is_empty() {
                    index.add(id, l);
                }
            }
        }
        index
    }

    /// Adds one spelling of a metric (keeps an existing meaning).
    pub fn add(&mut self, id: MetricId, spelling: &str) {
        let key = match_key(spelling);
        if key.is_empty() {
            return;
        }
        self.by_key.entry(key.clone()).or_insert(id);
        self.spellings.push((key, spelling.to_string(), id));
    }

    /// The metric a header or code stands for.
    pub fn get(&self, text: &str) -> Option<MetricId> {
        self.by_key.get(&match_key(text)).copied()
    }

    /// The closest known spelling (similarity ≥ 0.5), as `spelling (code)`.
    pub fn closest(&self, text: &str, registry: &MetricRegistry) -> Option<(f64, String)> {
        let key = match_key(text);
        self.spellings
            .iter()
            .map(|(k, spelling, id)| {
                (
                    strsim::normalized_levenshtein(&key, k),
                    if spelling == registry.code(*id) {
                        spelling.clone()
                    } else {
                        format!("{spelling} ({})", registry.code(*id))
                    },
                )
            })
            .filter(|(s, _)| *s >= 0.5)
            .max_by(|a, b| a.0.total_cmp(&b.0))
    }
}

/// A cache of [`AliasBook::value`] lookups, so that a million-row table does
/// not normalise the same few spellings a million times: the last spelling
/// of each value set is compared first (a column often repeats a value on
/// consecutive rows), then a map of the spellings seen (up to 4,096 per
/// set). Kept per value set: one spelling may mean different things in two
/// sets. One memo per reader (it is not shared between threads).
///
/// ```
/// use kpi_import::{AliasBook, ValueMemo, ValueSet};
/// let book = AliasBook::builtin();
/// let mut memo = ValueMemo::default();
/// for _ in 0..3 {
///     assert_eq!(memo.get(&book, ValueSet::Bool, "Иә"), Some("yes"));
/// }
/// assert_eq!(memo.get(&book, ValueSet::Bool, "perhaps"), None);
/// ```
#[derive(Default)]
pub struct ValueMemo {
    sets: Vec<SetMemo>,
}

struct SetMemo {
    set: ValueSet,
    last: Option<(String, Option<&'static str>)>,
    map: rustc_hash::FxHashMap<Box<str>, Option<&'static str>>,
}

impl ValueMemo {
    /// What `text` reads as in `set`: [`AliasBook::value`], remembered.
    pub fn get(&mut self, book: &AliasBook, set: ValueSet, text: &str) -> Option<&'static str> {
        let i = match self.sets.iter().position(|m| m.set == set) {
            Some(i) => i,
            None => {
                self.sets.push(SetMemo {
                    set,
                    last: None,
                    map: rustc_hash::FxHashMap::default(),
                });
                self.sets.len() - 1
            }
        };
        let Some(m) = self.sets.get_mut(i) else {
            return book.value(set, text);
        };
        if let Some((t, v)) = &m.last {
            if same_text(t, text) {
                return *v;
            }
        }
        let v = match m.map.get(text) {
            Some(v) => *v,
            None => {
                let v = book.value(set, text);
                if m.map.len() < 4096 {
                    m.map.insert(text.into(), v);
                }
                v
            }
        };
        match &mut m.last {
            Some((t, old)) => {
                t.clear();
                t.push_str(text);
                *old = v;
            }
            None => m.last = Some((text.to_string(), v)),
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_file_is_valid() {
        AliasBook::from_toml_str("aliases.toml", BUILTIN_ALIASES_TOML).unwrap();
    }

    #[test]
    fn the_compiled_in_aliases_are_the_toml_parse_of_aliases_toml() {
        // build.rs compiles data/aliases.toml; the TOML parser reading the same file must
        // give the same book, table by table (spellings in the same order).
        let compiled = AliasBook::builtin();
        let parsed = AliasBook::from_toml_str("aliases.toml", BUILTIN_ALIASES_TOML).unwrap();
        assert!(compiled.fields.len() > Field::ALL.len());
        assert_eq!(compiled.tables, parsed.tables);
        assert_eq!(compiled.fields, parsed.fields);
        assert_eq!(compiled.values, parsed.values);
        assert_eq!(compiled.breakdowns, parsed.breakdowns);
        assert_eq!(compiled.field_spellings, parsed.field_spellings);
        assert_eq!(compiled.regions, parsed.regions);
    }

    #[test]
    fn builtin_metric_aliases_are_unambiguous() {
        let reg = MetricRegistry::builtin();
        let mut owner: HashMap<String, &str> = HashMap::new();
        for (_, def) in reg.iter() {
            let mut spellings = vec![def.code.clone()];
            spellings.extend(def.aliases.iter().cloned());
            for s in spellings {
                let key = match_key(&s);
                if let Some(prev) = owner.insert(key.clone(), &def.code) {
                    assert_eq!(
                        prev, def.code,
                        "alias {key:?} of both {prev} and {}",
                        def.code
                    );
                }
            }
        }
    }

    #[test]
    fn every_metric_has_labels_and_aliases() {
        let reg = MetricRegistry::builtin();
        for (_, def) in reg.iter() {
            assert!(
                !def.labels.kk.is_empty() && !def.labels.ru.is_empty() && !def.labels.en.is_empty(),
                "{}",
                def.code
            );
            assert!(!def.aliases.is_empty(), "{}", def.code);
        }
    }

    #[test]
    fn table_names_inside_file_names() {
        let book = AliasBook::builtin();
        assert_eq!(
            book.table("2023_ұйымдар_Алматы"),
            Some(TableKind::Organisations)
        );
        assert_eq!(book.table("Показатели 2024"), Some(TableKind::Observations));
        assert_eq!(book.table("students-2023"), Some(TableKind::Students));
        assert_eq!(book.table("Лист1"), None);
        // Two kinds named: ambiguous, left to the headers.
        assert_eq!(book.table("students grades"), None);
    }

    #[test]
    fn ambiguous_alias_in_one_file_is_an_error() {
        let text = "[fields]\nyear = [\"жыл\"]\nterm = [\"жыл\"]\n";
        let err = AliasBook::from_toml_str("mine.toml", text).unwrap_err();
        assert!(err.to_string().contains("`жыл`"), "{err}");
    }

    #[test]
    fn unknown_names_are_errors() {
        let err = AliasBook::from_toml_str("mine.toml", "[fields]\nfoo = [\"x\"]\n").unwrap_err();
        assert!(err.to_string().contains("unknown field `foo`"), "{err}");
        let err = AliasBook::from_toml_str("mine.toml", "[values.level]\nnursery = [\"x\"]\n")
            .unwrap_err();
        assert!(err.to_string().contains("unknown value `nursery`"), "{err}");
    }

    #[test]
    fn run_time_extension_adds_aliases() {
        let mut book = AliasBook::builtin();
        assert_eq!(book.field("шифр школы"), None);
        book.extend_from_toml_str("mine.toml", "[fields]\norg_id = [\"Шифр школы\"]\n")
            .unwrap();
        assert_eq!(book.field("шифр  школы"), Some(Field::OrgId));
    }

    #[test]
    fn closest_field_suggests_a_spelling() {
        let book = AliasBook::builtin();
        let (_, s) = book.closest_field("org_idd").unwrap();
        assert_eq!(s, "org_id (org_id)");
        assert!(book.closest_field("zzzzzzzzzz").is_none());
    }

    #[test]
    fn the_memo_reads_every_spelling_as_the_book_does_in_each_set() {
        // Spellings in turn and repeated, across sets: "1" is yes/no's yes but
        // no status, so a memo that mixed up its sets or kept a stale last
        // spelling would answer differently from the book.
        let book = AliasBook::builtin();
        let mut memo = ValueMemo::default();
        let spellings = [
            "1",
            "1",
            "Иә",
            "graduated",
            "выпускник",
            "1",
            "?",
            "",
            "жоқ",
            "Иә",
        ];
        let sets = [
            ValueSet::Bool,
            ValueSet::Status,
            ValueSet::Survey,
            ValueSet::Funding,
        ];
        let mut read = 0;
        for _ in 0..2 {
            for text in spellings {
                for set in sets {
                    let expected = book.value(set, text);
                    read += usize::from(expected.is_some());
                    assert_eq!(memo.get(&book, set, text), expected, "{text:?} in {set:?}");
                }
            }
        }
        // Each of "1" (×3), "Иә" (×2), "graduated", "выпускник" and "жоқ" reads in one set.
        assert_eq!(read, 2 * 8, "the spellings read as expected in the book");
        assert_eq!(memo.get(&book, ValueSet::Bool, "1"), Some("yes"));
        assert_eq!(memo.get(&book, ValueSet::Status, "1"), None);
    }
}
