//! Why a risk criterion could not be scored, in a form that can be told in
//! every page language (the explanation of a score is read by people).

use kpi_indicators::Reason;
use kpi_model::i18n::Lang;
use kpi_model::{Level, Year};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Why a criterion has no score. `Display` gives the English sentence (the
/// form written to CSV and JSON); [`localized`](CriterionGap::localized)
/// gives it in Kazakh, Russian or English.
///
/// ```
/// use kpi_model::i18n::Lang;
/// use kpi_model::Level;
/// use kpi_risk::CriterionGap;
/// let g = CriterionGap::PeerGroupTooSmall { found: 3, level: Level::College, year: 2023, needed: 5 };
/// assert_eq!(
///     g.to_string(),
///     "peer group too small for percentile thresholds (3 college organisations with a value in 2023, at least 5 needed)"
/// );
/// assert_eq!(
///     g.localized(Lang::Ru),
///     "слишком мало сопоставимых организаций для процентильных порогов: 3 со значением в 2023 году, нужно не менее 5"
/// );
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum CriterionGap {
    /// The indicator is not computable for the organisation and year.
    Indicator(Reason),
    /// The criterion names an indicator the catalogue does not have.
    UnknownIndicator {
        /// The indicator code.
        indicator: String,
    },
    /// The indicator is not defined for this kind of organisation.
    NotApplicable {
        /// The indicator code.
        indicator: String,
        /// The level letters the indicator applies to (`P S C U`).
        levels: String,
        /// Its unit of computation (`org`, `programme`).
        per: String,
    },
    /// The year is not in the data.
    YearOutsideData {
        /// The year asked for.
        year: Year,
    },
    /// Too few organisations of the level have a value for percentile thresholds.
    PeerGroupTooSmall {
        /// Organisations with a value.
        found: usize,
        /// Their level.
        level: Level,
        /// The year.
        year: Year,
        /// The minimum number of peers (criteria rules).
        needed: usize,
    },
    /// No peer value is a finite number.
    NoFinitePeers,
    /// Any other reason, as given by a custom [`RiskInputs`](super::RiskInputs)
    /// (or read back from JSON).
    Other(String),
}

impl fmt::Display for CriterionGap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CriterionGap::Indicator(r) => write!(f, "{r}"),
            CriterionGap::UnknownIndicator { indicator } => {
                write!(f, "unknown indicator `{indicator}`")
            }
            CriterionGap::NotApplicable {
                indicator,
                levels,
                per,
            } => write!(
                f,
                "indicator `{indicator}` does not apply to this organisation (levels {levels}, per {per})"
            ),
            CriterionGap::YearOutsideData { year } => write!(f, "year {year} is outside the data"),
            CriterionGap::PeerGroupTooSmall {
                found,
                level,
                year,
                needed,
            } => write!(
                f,
                "peer group too small for percentile thresholds ({found} {level} organisations with a value in {year}, at least {needed} needed)"
            ),
            CriterionGap::NoFinitePeers => write!(f, "no finite peer values"),
            CriterionGap::Other(s) => write!(f, "{s}"),
        }
    }
}

impl CriterionGap {
    /// The reason as a phrase in `lang` (indicator and metric codes stay codes).
    ///
    /// ```
    /// use kpi_model::i18n::Lang;
    /// use kpi_indicators::Reason;
    /// use kpi_risk::CriterionGap;
    /// let g = CriterionGap::Indicator(Reason::MissingMetric { metric: "expelled".into(), breakdown: None, year: 2023 });
    /// assert_eq!(g.localized(Lang::Kk), "2023 жылы expelled деректері жоқ");
    /// assert_eq!(g.localized(Lang::En), "missing expelled in 2023");
    /// assert_eq!(g.localized(Lang::Ky), "2023-жылы expelled боюнча маалымат жок");
    /// ```
    pub fn localized(&self, lang: Lang) -> String {
        use CriterionGap as G;
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (G::Indicator(r), lang) => r.localized(lang),
            (G::UnknownIndicator { indicator }, Lang::Kk) => {
                format!("`{indicator}` көрсеткіші каталогта жоқ")
            }
            (G::UnknownIndicator { indicator }, Lang::Ky) => {
                format!("`{indicator}` көрсөткүчү каталогдо жок")
            }
            (G::UnknownIndicator { indicator }, _) => {
                format!("показателя `{indicator}` нет в каталоге")
            }
            (G::NotApplicable { indicator, .. }, Lang::Kk) => {
                format!("`{indicator}` көрсеткіші бұл ұйым түріне қолданылмайды")
            }
            (G::NotApplicable { indicator, .. }, Lang::Ky) => {
                format!("`{indicator}` көрсөткүчү уюмдун бул түрүнө колдонулбайт")
            }
            (G::NotApplicable { indicator, .. }, _) => {
                format!("показатель `{indicator}` не применяется к организациям этого типа")
            }
            (G::YearOutsideData { year }, Lang::Kk) => format!("{year} жылғы деректер жоқ"),
            (G::YearOutsideData { year }, Lang::Ky) => format!("{year}-жылдын маалыматы жок"),
            (G::YearOutsideData { year }, _) => format!("{year} год вне периода данных"),
            (
                G::PeerGroupTooSmall {
                    found,
                    year,
                    needed,
                    ..
                },
                Lang::Ky,
            ) => format!(
                "процентилдик чектер үчүн салыштырылуучу уюмдар өтө аз: {year}-жылы мааниси бар {found} уюм, кеминде {needed} керек"
            ),
            (
                G::PeerGroupTooSmall {
                    found,
                    year,
                    needed,
                    ..
                },
                Lang::Kk,
            ) => format!(
                "процентильдік шектер үшін салыстырмалы ұйымдар тым аз: {year} жылы мәні бар {found} ұйым, кемінде {needed} керек"
            ),
            (
                G::PeerGroupTooSmall {
                    found,
                    year,
                    needed,
                    ..
                },
                _,
            ) => format!(
                "слишком мало сопоставимых организаций для процентильных порогов: {found} со значением в {year} году, нужно не менее {needed}"
            ),
            (G::NoFinitePeers, Lang::Kk) => "салыстырмалы ұйымдардың мәндері жоқ".to_string(),
            (G::NoFinitePeers, Lang::Ky) => {
                "салыштырылуучу уюмдардын маанилери жок".to_string()
            }
            (G::NoFinitePeers, _) => "у сопоставимых организаций нет значений".to_string(),
            (G::Other(s), _) => s.clone(),
        }
    }
}

impl From<Reason> for CriterionGap {
    fn from(r: Reason) -> Self {
        CriterionGap::Indicator(r)
    }
}

impl From<String> for CriterionGap {
    fn from(s: String) -> Self {
        CriterionGap::Other(s)
    }
}

/// Written as its English sentence, so CSV and JSON outputs read as before.
impl Serialize for CriterionGap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Read back as [`CriterionGap::Other`] with the sentence.
impl<'de> Deserialize<'de> for CriterionGap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(CriterionGap::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<CriterionGap> {
        vec![
            CriterionGap::Indicator(Reason::ZeroDenominator {
                denominator: "graduates".into(),
                year: 2022,
            }),
            CriterionGap::UnknownIndicator {
                indicator: "x".into(),
            },
            CriterionGap::NotApplicable {
                indicator: "exam_pass_rate".into(),
                levels: "S".into(),
                per: "org".into(),
            },
            CriterionGap::YearOutsideData { year: 2030 },
            CriterionGap::PeerGroupTooSmall {
                found: 2,
                level: Level::University,
                year: 2024,
                needed: 5,
            },
            CriterionGap::NoFinitePeers,
        ]
    }

    #[test]
    fn every_gap_reads_differently_in_each_language() {
        for g in all() {
            let (kk, ru, en) = (
                g.localized(Lang::Kk),
                g.localized(Lang::Ru),
                g.localized(Lang::En),
            );
            assert_eq!(en, g.to_string());
            let ky = g.localized(Lang::Ky);
            assert!(
                kk != ru && ru != en && kk != en && ky != kk && ky != ru,
                "{g:?}: {kk} / {ru} / {en} / {ky}"
            );
            // Kazakh, Russian and Kyrgyz sentences are Cyrillic, not English left over.
            for t in [&kk, &ru, &ky] {
                assert!(t.chars().any(|c| ('а'..='я').contains(&c)), "{g:?}: {t}");
            }
        }
    }

    #[test]
    fn numbers_of_the_reason_survive_translation() {
        let g = &all()[4];
        for lang in Lang::ALL {
            let t = g.localized(lang);
            assert!(
                t.contains('2') && t.contains("2024") && t.contains('5'),
                "{t}"
            );
        }
    }

    #[test]
    fn json_is_the_english_sentence() {
        let g = CriterionGap::YearOutsideData { year: 2030 };
        let json = serde_json::to_string(&g).unwrap();
        assert_eq!(json, "\"year 2030 is outside the data\"");
        let back: CriterionGap = serde_json::from_str(&json).unwrap();
        assert_eq!(back.to_string(), g.to_string());
    }
}
