//! Languages, localised labels and number formatting (kk, ru, en, ky).

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
    /// Kyrgyz (кыргыз тили).
    Ky,
}

impl Lang {
    /// All languages.
    pub const ALL: [Lang; 4] = [Lang::Kk, Lang::Ru, Lang::En, Lang::Ky];
    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
            Lang::Ky => "ky",
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

/// A text in the four languages.
///
/// The Kyrgyz text is optional in user-supplied data (catalogues, criteria, chart strings
/// written before Kyrgyz was added have none): a missing `ky` text falls back to Russian,
/// the other language every Kyrgyz reader reads, then to English and Kazakh (see
/// [`Labels::get`]).
///
/// ```
/// use kpi_model::i18n::{Labels, Lang};
/// let l = Labels {
///     kk: "Жұмысқа орналасу".into(),
///     ru: "Трудоустройство".into(),
///     en: "Employment".into(),
///     ky: "Жумушка орношуу".into(),
/// };
/// assert_eq!(l.get(Lang::Ru), "Трудоустройство");
/// assert_eq!(l.get(Lang::Ky), "Жумушка орношуу");
/// let old = Labels { ky: String::new(), ..l };
/// assert_eq!(old.get(Lang::Ky), "Трудоустройство");
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
    /// Kyrgyz; when empty, [`Labels::get`] gives the Russian text (and JSON leaves it out,
    /// so files written before Kyrgyz was added read and write as before).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub ky: String,
}

impl Labels {
    /// The texts `text` gives in each language.
    ///
    /// ```
    /// use kpi_model::i18n::{Labels, Lang};
    /// let l = Labels::from_fn(|lang| lang.code().to_uppercase());
    /// assert_eq!((l.kk.as_str(), l.ru.as_str(), l.en.as_str()), ("KK", "RU", "EN"));
    /// assert_eq!(l.ky, "KY");
    /// ```
    pub fn from_fn(text: impl Fn(Lang) -> String) -> Labels {
        Labels {
            kk: text(Lang::Kk),
            ru: text(Lang::Ru),
            en: text(Lang::En),
            ky: text(Lang::Ky),
        }
    }

    /// The text in `lang` when it is not empty. Otherwise a Kazakh, Russian or English
    /// text falls back to English, then Russian, then Kazakh, then Kyrgyz; a Kyrgyz text
    /// falls back to Russian (the second official language of Kyrgyzstan), then English,
    /// then Kazakh.
    ///
    /// ```
    /// use kpi_model::i18n::{Labels, Lang};
    /// let l = Labels { ru: "Год".into(), en: "Year".into(), ..Labels::default() };
    /// assert_eq!(l.get(Lang::Kk), "Year");
    /// assert_eq!(l.get(Lang::Ky), "Год");
    /// ```
    pub fn get(&self, lang: Lang) -> &str {
        let order = match lang {
            Lang::Kk => [&self.kk, &self.en, &self.ru, &self.ky],
            Lang::Ru => [&self.ru, &self.en, &self.kk, &self.ky],
            Lang::En => [&self.en, &self.ru, &self.kk, &self.ky],
            Lang::Ky => [&self.ky, &self.ru, &self.en, &self.kk],
        };
        order
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
            ky: text.into(),
        }
    }
}
