//! Organisations, their programmes, and the *units* (organisation or programme)
//! that metrics and indicators are attached to.

use super::{Level, Locality, Ownership};
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// Index of an organisation inside a [`Dataset`](crate::Dataset).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OrgIdx(pub u32);

/// Index of a region inside a [`Dataset`](crate::Dataset).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RegionIdx(pub u32);

/// Index of a unit (an organisation or one of its programmes).
///
/// Units `0..n_orgs` are the organisations themselves, in the same order as
/// [`Dataset::organisations`](crate::Dataset::organisations); programme
/// units follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UnitId(pub u32);

impl UnitId {
    /// The position of the unit in dense per-unit arrays.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// An education organisation (row of the `organisations` table).
///
/// ```
/// use kpi_model::{Organisation, Level};
/// use kpi_model::i18n::Lang;
/// let org = Organisation {
///     id: "091140000123".into(),
///     name: "Taraz Innovative Institute".into(),
///     name_kk: Some("Тараз инновациялық институты".into()),
///     name_ru: None,
///     name_en: None,
///     level: Level::University,
///     region: "Jambyl region".into(),
///     ownership: None,
///     locality: None,
/// };
/// assert_eq!(org.display_name(Lang::Kk), "Тараз инновациялық институты");
/// assert_eq!(org.display_name(Lang::Ru), "Taraz Innovative Institute");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    /// Unique identifier: the 12-digit BIN or the database code.
    pub id: String,
    /// Display name as given.
    pub name: String,
    /// Kazakh name, if given.
    pub name_kk: Option<String>,
    /// Russian name, if given.
    pub name_ru: Option<String>,
    /// English name, if given.
    pub name_en: Option<String>,
    /// Level of education.
    pub level: Level,
    /// Region as first written in the data (compare with [`region_key`]).
    pub region: String,
    /// Ownership, when known.
    pub ownership: Option<Ownership>,
    /// Urban or rural, when known.
    pub locality: Option<Locality>,
}

impl Organisation {
    /// The name in the requested language, falling back to `name`. Kyrgyz has no name
    /// column of its own: a Kyrgyz export's name column («Уюмдун аты») is `name`, which
    /// is what a Kyrgyz reader sees.
    pub fn display_name(&self, lang: Lang) -> &str {
        let localised = match lang {
            Lang::Kk => self.name_kk.as_deref(),
            Lang::Ru => self.name_ru.as_deref(),
            Lang::En => self.name_en.as_deref(),
            Lang::Ky => None,
        };
        localised
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(&self.name)
    }
}

/// The comparison key of a region name: case-insensitive, whitespace-insensitive
/// (docs/data.md: "compare case- and space-insensitively").
///
/// ```
/// use kpi_model::region_key;
/// assert_eq!(region_key("Алматы  облысы"), region_key("алматы облысы"));
/// assert_eq!(region_key(" North Kazakhstan "), "northkazakhstan");
/// ```
pub fn region_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// An educational programme of an organisation (e.g. `6B01101`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    /// The organisation offering it.
    pub org: OrgIdx,
    /// The programme code as given.
    pub code: String,
}

impl Programme {
    /// The degree cycle implied by a Kazakh programme code (`6B…` bachelor,
    /// `7M…` master, `8D…` doctorate), used for GPA transfer thresholds.
    ///
    /// ```
    /// use kpi_model::{Programme, OrgIdx, DegreeCycle};
    /// let p = Programme { org: OrgIdx(0), code: "7M01101".into() };
    /// assert_eq!(p.degree_cycle(), Some(DegreeCycle::Master));
    /// ```
    pub fn degree_cycle(&self) -> Option<DegreeCycle> {
        DegreeCycle::from_programme_code(&self.code)
    }
}

/// Degree cycle of a higher-education programme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DegreeCycle {
    /// Bachelor's (`6B…`).
    Bachelor,
    /// Master's (`7M…`).
    Master,
    /// Doctorate (`8D…`).
    Doctorate,
}

impl DegreeCycle {
    /// Reads the cycle from the first two characters of a programme code.
    ///
    /// ```
    /// use kpi_model::DegreeCycle;
    /// assert_eq!(DegreeCycle::from_programme_code("6B01101"), Some(DegreeCycle::Bachelor));
    /// assert_eq!(DegreeCycle::from_programme_code("0101000"), None);
    /// ```
    pub fn from_programme_code(code: &str) -> Option<DegreeCycle> {
        let mut chars = code.trim().chars();
        let digit = chars.next()?;
        let letter = chars.next()?.to_ascii_uppercase();
        match (digit, letter) {
            ('6', 'B' | 'В') => Some(DegreeCycle::Bachelor),
            ('7', 'M' | 'М') => Some(DegreeCycle::Master),
            ('8', 'D' | 'Д') => Some(DegreeCycle::Doctorate),
            _ => None,
        }
    }
}

/// A unit: an organisation as a whole, or one of its programmes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Unit {
    /// The organisation.
    pub org: OrgIdx,
    /// The programme, for programme units (index into
    /// [`Dataset::programmes`](crate::Dataset::programmes)).
    pub programme: Option<u32>,
}
