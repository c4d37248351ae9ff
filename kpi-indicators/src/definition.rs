//! One indicator's definition: family, tags, levels, formula, unit, direction, labels.

use super::formula::Formula;
use kpi_model::i18n::{Labels, Lang};
use kpi_model::{Direction, Family, Level, ValueUnit};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Index of an indicator in a [`Catalogue`](super::Catalogue) (and in the
/// [`IndicatorTable`](super::IndicatorTable) computed from it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IndicatorId(pub u16);

impl IndicatorId {
    /// The position in dense per-indicator arrays.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Cross-cutting tags beside the [`Family`] (docs/indicators.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tag {
    /// Financial indicator (қаржылық индикаторлар).
    Financial,
    /// Equity between groups of learners (parity indices).
    Equity,
    /// Stakeholder satisfaction from surveys.
    Satisfaction,
    /// Key performance indicator (KPI индикаторлары).
    Kpi,
}

impl Tag {
    /// Every tag.
    pub const ALL: [Tag; 4] = [Tag::Financial, Tag::Equity, Tag::Satisfaction, Tag::Kpi];

    /// The canonical code.
    pub fn code(self) -> &'static str {
        match self {
            Tag::Financial => "financial",
            Tag::Equity => "equity",
            Tag::Satisfaction => "satisfaction",
            Tag::Kpi => "kpi",
        }
    }

    /// Parses the canonical code (case-insensitive).
    pub fn from_code(code: &str) -> Option<Tag> {
        Tag::ALL
            .into_iter()
            .find(|t| t.code().eq_ignore_ascii_case(code.trim()))
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Which units an indicator is computed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    /// Organisations as a whole.
    Organisation,
    /// Programmes only.
    Programme,
    /// Both organisations and their programmes.
    Both,
}

impl Per {
    /// Every value.
    pub const ALL: [Per; 3] = [Per::Organisation, Per::Programme, Per::Both];

    /// The canonical code.
    pub fn code(self) -> &'static str {
        match self {
            Per::Organisation => "organisation",
            Per::Programme => "programme",
            Per::Both => "both",
        }
    }

    /// Parses the canonical code (case-insensitive; `organization`,
    /// `program` accepted).
    pub fn from_code(code: &str) -> Option<Per> {
        match code.trim().to_ascii_lowercase().as_str() {
            "organisation" | "organization" => Some(Per::Organisation),
            "programme" | "program" => Some(Per::Programme),
            "both" => Some(Per::Both),
            _ => None,
        }
    }

    /// Whether organisation units get a value.
    pub fn organisations(self) -> bool {
        matches!(self, Per::Organisation | Per::Both)
    }

    /// Whether programme units get a value.
    pub fn programmes(self) -> bool {
        matches!(self, Per::Programme | Per::Both)
    }
}

pub(crate) fn unknown_unit_message(text: &str) -> String {
    format!(
        "unknown unit `{text}`; expected one of {}",
        ValueUnit::known_codes()
    )
}

/// Counts behind a rate, so a value can carry its number of observations
/// and a 95% Wilson interval (a satisfaction of 80% from 5 answers and from
/// 500 are not the same fact). Comparative analysis uses them for significance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountsDef {
    /// The formula of the successes (e.g. `satisfied_students`, `graduates_employed`).
    pub successes: Formula,
    /// The formula of the trials, `n` (e.g. `answers_students`, `graduates`).
    pub trials: Formula,
    /// Factor from a share (0–1) to the indicator's unit: 100 for `%`.
    pub scale: f64,
}

/// One indicator of the catalogue.
///
/// ```
/// use kpi_indicators::{Catalogue, Per};
/// use kpi_model::{Direction, Family, Level, ValueUnit};
/// let cat = Catalogue::builtin();
/// let def = cat.by_code("employment_rate").unwrap();
/// assert_eq!(def.family, Family::Outcome);
/// assert_eq!(def.unit, ValueUnit::Percent);
/// assert_eq!(def.direction, Direction::Higher);
/// assert_eq!(def.per, Per::Both);
/// assert!(def.applies_to(Level::University) && !def.applies_to(Level::School));
/// assert_eq!(def.formula.to_string(), "100 * graduates_employed / graduates");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorDef {
    /// Identifier, `snake_case`.
    pub code: String,
    /// Monitoring family.
    pub family: Family,
    /// Extra tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// Organisation levels it applies to.
    pub levels: Vec<Level>,
    /// Organisations, programmes or both.
    pub per: Per,
    /// The formula.
    pub formula: Formula,
    /// Unit of the values.
    pub unit: ValueUnit,
    /// What "better" means.
    pub direction: Direction,
    /// Counts behind a rate, for `n` and a Wilson interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<CountsDef>,
    /// Decimals for display.
    pub decimals: u8,
    /// Name in kk, ru, en, ky.
    pub name: Labels,
    /// One-line description in kk, ru, en, ky.
    pub description: Labels,
}

impl IndicatorDef {
    /// Whether it applies to organisations of `level`.
    pub fn applies_to(&self, level: Level) -> bool {
        self.levels.contains(&level)
    }

    /// Whether it carries a tag.
    pub fn has_tag(&self, tag: Tag) -> bool {
        self.tags.contains(&tag)
    }

    /// The levels as the specification's letters (`PSCU`).
    pub fn level_letters(&self) -> String {
        kpi_model::Level::ALL
            .into_iter()
            .filter(|l| self.applies_to(*l))
            .map(Level::letter)
            .collect()
    }

    /// The name in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        self.name.get(lang)
    }

    /// Formats a value for display: rounded to the indicator's decimals, with
    /// the unit (`75.0 %`, `12.3 ratio` is shown as `12.3`).
    pub fn display_value(&self, value: f64) -> String {
        let digits = usize::from(self.decimals);
        match self.unit {
            ValueUnit::Percent => format!("{value:.digits$}%"),
            ValueUnit::Kzt => format!("{value:.digits$} KZT"),
            ValueUnit::SquareMetres => format!("{value:.digits$} m²"),
            _ => format!("{value:.digits$}"),
        }
    }
}
