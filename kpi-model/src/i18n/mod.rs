//! Languages, localised labels and number formatting (kk, ru, en).

mod number;

pub use number::{
    format_academic_year, format_academic_year_short, format_change_pp, format_compact, format_kzt,
    format_kzt_compact, format_number, format_percent, format_rank, format_signed, kzt_symbol,
    percentage_points_abbr, NumberSymbols, MAX_DECIMALS, MINUS_SIGN, NOT_A_NUMBER, NO_BREAK_SPACE,
};

use serde::{Deserialize, Serialize};
use std::fmt;

/// A display language.
///
/// ```
/// use kpi_model::i18n::Lang;
/// assert_eq!(Lang::from_code("KK"), Some(Lang::Kk));
/// assert_eq!(Lang::Ru.code(), "ru");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Kazakh (қазақ тілі).
    #[default]
    Kk,
    /// Russian (русский).
    Ru,
    /// English.
    En,
}

impl Lang {
    /// All languages.
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];
    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }
    /// Parses an ISO 639-1 code, ignoring case and a region suffix (`ru-RU`).
    pub fn from_code(code: &str) -> Option<Lang> {
        let base = code.trim().split(['-', '_']).next().unwrap_or("");
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(base))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text in the three languages.
///
/// ```
/// use kpi_model::i18n::{Labels, Lang};
/// let l = Labels { kk: "Жұмысқа орналасу".into(), ru: "Трудоустройство".into(), en: "Employment".into() };
/// assert_eq!(l.get(Lang::Ru), "Трудоустройство");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labels {
    /// Kazakh.
    #[serde(default)]
    pub kk: String,
    /// Russian.
    #[serde(default)]
    pub ru: String,
    /// English.
    #[serde(default)]
    pub en: String,
}

impl Labels {
    /// The texts `text` gives in each language.
    ///
    /// ```
    /// use kpi_model::i18n::{Labels, Lang};
    /// let l = Labels::from_fn(|lang| lang.code().to_uppercase());
    /// assert_eq!((l.kk.as_str(), l.ru.as_str(), l.en.as_str()), ("KK", "RU", "EN"));
    /// ```
    pub fn from_fn(text: impl Fn(Lang) -> String) -> Labels {
        Labels {
            kk: text(Lang::Kk),
            ru: text(Lang::Ru),
            en: text(Lang::En),
        }
    }

    /// The text in `lang`, falling back to English, then Russian, then Kazakh when empty.
    pub fn get(&self, lang: Lang) -> &str {
        let pick = match lang {
            Lang::Kk => &self.kk,
            Lang::Ru => &self.ru,
            Lang::En => &self.en,
        };
        [pick, &self.en, &self.ru, &self.kk]
            .into_iter()
            .find(|s| !s.is_empty())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The same text in every language.
    pub fn same(text: &str) -> Self {
        Labels {
            kk: text.into(),
            ru: text.into(),
            en: text.into(),
        }
    }
}
