//! The sentence for a risk assessment.

use super::number::{format_number, ru_plural};
use kpi_model::academic_year_label;
use kpi_model::i18n::Lang;
use kpi_risk::{Degree, RiskAssessment};

/// One sentence for an organisation's risk in one year: the degree and score,
/// and the criterion contributing most; a gross criterion that set the risk
/// high; or that data are insufficient (with the share of the criteria
/// weight that has data).
///
/// ```
/// # use kpi_risk::{Degree, RiskAssessment};
/// # use kpi_model::{Level, OrgIdx};
/// use kpi_model::i18n::Lang;
/// use kpi_summary::risk_sentence;
/// # let a = RiskAssessment { org: OrgIdx(0), org_id: "x".into(), level: Level::College, year: 2023,
/// #     score: Some(12.0), degree: Degree::Low, computable_weight_share: 1.0, gross_trigger: None,
/// #     criteria: vec![] };
/// // `a`: a college's assessment for 2023 with score 12 and no contributing criterion
/// assert_eq!(risk_sentence(&a, Lang::En), "Risk in 2023–2024: low (12 of 100 points).");
/// ```
pub fn risk_sentence(a: &RiskAssessment, lang: Lang) -> String {
    let year = academic_year_label(a.year);
    let head = match lang {
        Lang::En => format!("Risk in {year}"),
        Lang::Ru => format!("Риск в {year} учебном году"),
        Lang::Kk => format!("{year} оқу жылындағы тәуекел"),
        Lang::Ky => format!("{year} окуу жылындагы тобокелдик"),
    };
    let score = match a.score {
        Some(s) if a.degree != Degree::InsufficientData => s,
        _ => {
            let share = format_number(100.0 * a.computable_weight_share, 0, lang);
            return match lang {
                Lang::En => format!(
                    "{head} cannot be assessed: only {share}% of the criteria weight has data."
                ),
                Lang::Ru => {
                    format!("{head} оценить нельзя: данные есть лишь для {share}% веса критериев.")
                }
                Lang::Kk => format!(
                    "{head} бағаланбайды: деректер критерийлер салмағының тек {share}%-ын қамтиды."
                ),
                Lang::Ky => format!(
                    "{head} бааланбайт: маалыматтар критерийлердин салмагынын {share}%-ын гана камтыйт."
                ),
            };
        }
    };
    let degree = degree_word(a.degree, lang);
    if let Some(c) = a
        .gross_trigger
        .as_ref()
        .and_then(|g| a.criteria.iter().find(|c| &c.id == g))
    {
        let label = c.labels.get(lang);
        return match lang {
            Lang::En => {
                format!("{head}: {degree}, because “{label}” reached its critical threshold.")
            }
            Lang::Ru => {
                format!("{head}: {degree}, так как критерий «{label}» достиг критического порога.")
            }
            Lang::Kk => format!("{head}: {degree}, себебі «{label}» критерийі сыни шекке жетті."),
            Lang::Ky => {
                format!("{head}: {degree}, анткени «{label}» критерийи критикалык чекке жетти.")
            }
        };
    }
    let points = format_number(score, 0, lang);
    let scored = match lang {
        Lang::En => format!("{head}: {degree} ({points} of 100 points)"),
        Lang::Ru => format!("{head}: {degree} ({points} из 100 баллов)"),
        Lang::Kk => format!("{head}: {degree} (100 балдық шкала бойынша {points})"),
        Lang::Ky => format!("{head}: {degree} (100 баллдык шкала боюнча {points})"),
    };
    let top = a
        .top_criterion()
        .filter(|c| format_number(c.contribution, 0, lang) != "0");
    match top {
        None => format!("{scored}."),
        Some(c) => {
            let label = c.labels.get(lang);
            let pts = format_number(c.contribution, 0, lang);
            match lang {
                Lang::En => {
                    let w = if pts == "1" { "point" } else { "points" };
                    format!("{scored}; largest contribution: “{label}” ({pts} {w}).")
                }
                Lang::Ru => {
                    let rounded = c.contribution.round();
                    let w = ru_plural(rounded, "балл", "балла", "баллов");
                    format!("{scored}; наибольший вклад — «{label}» ({pts} {w}).")
                }
                Lang::Kk => format!("{scored}; ең үлкен үлес — «{label}» ({pts} балл)."),
                Lang::Ky => format!("{scored}; эң чоң салым — «{label}» ({pts} балл)."),
            }
        }
    }
}

fn degree_word(d: Degree, lang: Lang) -> &'static str {
    match (d, lang) {
        (Degree::Low, Lang::En) => "low",
        (Degree::Medium, Lang::En) => "medium",
        (Degree::High, Lang::En) => "high",
        (Degree::Low, Lang::Ru) => "низкий",
        (Degree::Medium, Lang::Ru) => "средний",
        (Degree::High, Lang::Ru) => "высокий",
        (Degree::Low, Lang::Kk) => "төмен",
        (Degree::Medium, Lang::Kk) => "орташа",
        (Degree::High, Lang::Kk) => "жоғары",
        (Degree::InsufficientData, Lang::En) => "insufficient data",
        (Degree::InsufficientData, Lang::Ru) => "недостаточно данных",
        (Degree::InsufficientData, Lang::Kk) => "деректер жеткіліксіз",
        (Degree::Low, Lang::Ky) => "төмөн",
        (Degree::Medium, Lang::Ky) => "орточо",
        (Degree::High, Lang::Ky) => "жогору",
        (Degree::InsufficientData, Lang::Ky) => "маалымат жетишсиз",
    }
}
