//! What a sentence is about: an indicator's name and unit.

use super::number::{format_number, ru_plural};
use kpi_model::i18n::{Labels, Lang};
use kpi_model::ValueUnit;
use serde::{Deserialize, Serialize};

/// The indicator a sentence talks about: its names and its unit as written in
/// the catalogue (`%`, `ratio`, `persons`, `KZT`, `points`, `index`, `count`,
/// `m²`, `0–1`; anything else is printed as given).
///
/// ```
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_summary::Subject;
/// let s = Subject::new(Labels { kk: "Жұмысқа орналасу".into(), ru: "Трудоустройство".into(),
///                               en: "Employment rate".into(), ky: "Жумушка орношуу".into() }, "%");
/// assert_eq!(s.value(74.04, Lang::Ru), "74,0%");
/// assert_eq!(s.difference(2.06, Lang::Kk), "2,1 п.п.");
/// assert_eq!(s.difference(2.06, Lang::En), "2.1 percentage points");
/// assert_eq!(s.difference(2.06, Lang::Ky), "2,1 пайыздык пункт");
/// let k = Subject::new(Labels::same("Cost per graduate"), "KZT");
/// assert_eq!(k.value(1234567.0, Lang::Ru), "1\u{a0}234\u{a0}567 тенге");
/// assert_eq!(k.value(1234567.0, Lang::Ky), "1\u{a0}234\u{a0}567 теңге");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    /// The indicator's name in kk, ru, en, ky.
    pub name: Labels,
    /// The unit of the values.
    pub unit: ValueUnit,
    /// Decimals shown (by default from the unit: 1 for `%`, 0 for money and
    /// counts, 2 for indices and shares 0–1, 1 otherwise).
    pub decimals: usize,
}

impl Subject {
    /// A subject with the default decimals of its unit (`unit` as in the
    /// catalogue: any spelling [`ValueUnit::parse`] reads).
    pub fn new(name: Labels, unit: &str) -> Subject {
        Subject::of(name, ValueUnit::parse(unit))
    }

    /// A subject in a unit, with the unit's default decimals
    /// ([`ValueUnit::chart_decimals`]).
    pub fn of(name: Labels, unit: ValueUnit) -> Subject {
        let decimals = unit.chart_decimals();
        Subject {
            name,
            unit,
            decimals,
        }
    }

    /// The same subject showing `decimals` places.
    pub fn with_decimals(mut self, decimals: usize) -> Subject {
        self.decimals = decimals;
        self
    }

    /// The name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        self.name.get(lang)
    }

    /// A value with its unit: `74,0%`, `16,2`, `1 234 567 тенге`, `3,4 балла`.
    pub fn value(&self, x: f64, lang: Lang) -> String {
        let n = format_number(x, self.decimals, lang);
        if self.unit.is_percent() {
            return format!("{n}%");
        }
        match self.unit_word(rounded(x, self.decimals), self.decimals > 0, lang) {
            Some(word) => format!("{n} {word}"),
            None => n,
        }
    }

    /// A difference of two values (always given as a magnitude; the sentence
    /// says up or down): percentage points for `%`, otherwise the unit.
    pub fn difference(&self, x: f64, lang: Lang) -> String {
        let x = x.abs();
        if self.unit.is_percent() {
            let n = format_number(x, self.decimals, lang);
            return match lang {
                Lang::Kk | Lang::Ru => format!("{n} п.п."),
                Lang::Ky => format!("{n} пайыздык пункт"),
                Lang::En if n == "1" => format!("{n} percentage point"),
                Lang::En => format!("{n} percentage points"),
            };
        }
        self.value(x, lang)
    }

    /// A change with its sign: `+0,5 п.п.`, `−2,0 percentage points`,
    /// `0,0 п.п.` when it rounds to zero.
    pub fn signed_difference(&self, x: f64, lang: Lang) -> String {
        let magnitude = self.difference(x, lang);
        let zero = format_number(x.abs(), self.decimals, lang)
            .chars()
            .all(|c| matches!(c, '0' | ',' | '.'));
        if zero {
            magnitude
        } else if x > 0.0 {
            format!("+{magnitude}")
        } else {
            format!("−{magnitude}")
        }
    }

    /// The unit's word after a number as displayed (agreeing with it in
    /// Russian and English; a number shown with decimals, even `455,0`, takes
    /// the Russian form of fractions, «балла»); `None` for unitless ratios
    /// and indices.
    fn unit_word(&self, x: f64, shows_decimals: bool, lang: Lang) -> Option<String> {
        let one = !shows_decimals && x.abs() == 1.0;
        // ru_plural treats any fraction as "few"
        let x = if shows_decimals { x.trunc() + 0.5 } else { x };
        let word = match (self.unit.code(), lang) {
            ("ratio" | "index" | "count" | "0–1" | "0-1" | "", _) => return None,
            ("KZT", Lang::Kk) => "теңге",
            ("KZT", Lang::Ru) => "тенге",
            ("KZT", Lang::En) => "KZT",
            ("KZT", Lang::Ky) => "теңге",
            ("persons", Lang::Kk | Lang::Ky) => "адам",
            ("persons", Lang::Ru) => ru_plural(x, "человек", "человека", "человек"),
            ("persons", Lang::En) => {
                if one {
                    "person"
                } else {
                    "people"
                }
            }
            ("points", Lang::Kk | Lang::Ky) => "балл",
            ("points", Lang::Ru) => ru_plural(x, "балл", "балла", "баллов"),
            ("points", Lang::En) => {
                if one {
                    "point"
                } else {
                    "points"
                }
            }
            ("m²", Lang::Kk | Lang::Ru | Lang::Ky) => "м²",
            (other, _) => other,
        };
        Some(word.to_string())
    }
}

/// `x` rounded as it is displayed, so that the word agrees with the digits shown.
fn rounded(x: f64, decimals: usize) -> f64 {
    let text = format!("{:.*}", decimals.min(12), x);
    text.parse().unwrap_or(x)
}
