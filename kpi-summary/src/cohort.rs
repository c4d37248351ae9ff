//! The sentence for a reconstructed cohort.

use super::number::{format_number, ru_plural};
use kpi_model::i18n::Lang;
use kpi_stats::CohortFlow;

/// One sentence for a reconstructed cohort: graduates of the entrants,
/// pupil-years per graduate and the coefficient of efficiency.
///
/// ```
/// use kpi_stats::{reconstruct_cohort, CohortOptions, GradeRates};
/// use kpi_model::i18n::Lang;
/// use kpi_summary::cohort_sentence;
/// let rates = [GradeRates { promotion: 0.9, repetition: 0.0, dropout: 0.1 }; 2];
/// let flow = reconstruct_cohort(&rates, &CohortOptions::default()).unwrap();
/// assert_eq!(cohort_sentence(&flow, Lang::En),
///     "Of 1\u{a0}000 entrants, 810 graduate; 2.3 pupil-years are spent per graduate (coefficient of efficiency 0.85).");
/// ```
pub fn cohort_sentence(flow: &CohortFlow, lang: Lang) -> String {
    let entrants = format_number(flow.cohort_size, 0, lang);
    let graduates = format_number(flow.graduates, 0, lang);
    let tail = match (
        &flow.pupil_years_per_graduate,
        &flow.coefficient_of_efficiency,
    ) {
        (Ok(years), Ok(coe)) => {
            let y = format_number(*years, 1, lang);
            let c = format_number(*coe, 2, lang);
            match lang {
                Lang::En => format!(
                    "; {y} pupil-years are spent per graduate (coefficient of efficiency {c})"
                ),
                Lang::Ru => {
                    let w = ru_plural(
                        years_shown(*years),
                        "ученико-год",
                        "ученико-года",
                        "ученико-лет",
                    );
                    format!("; на одного выпускника затрачивается {y} {w} (коэффициент эффективности {c})")
                }
                Lang::Kk => {
                    format!("; бір түлекке {y} оқушы-жыл жұмсалады (тиімділік коэффициенті {c})")
                }
                Lang::Ky => format!(
                    "; бир бүтүрүүчүгө {y} окуучу-жыл жумшалат (натыйжалуулук коэффициенти {c})"
                ),
            }
        }
        _ => String::new(),
    };
    match lang {
        Lang::En => format!("Of {entrants} entrants, {graduates} graduate{tail}."),
        Lang::Ru => format!("Из {entrants} поступивших окончат обучение {graduates}{tail}."),
        Lang::Kk => format!("{entrants} оқушыдан {graduates} түлек шығады{tail}."),
        Lang::Ky => format!("{entrants} окуучудан {graduates} бүтүрүүчү чыгат{tail}."),
    }
}

fn years_shown(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The summary of a reconstructed cohort for `kpi cohort`: the survival rate
/// to the last grade (or course), then [`cohort_sentence`]; or, when the
/// cohort cannot be reconstructed, why. `when` names the year of the rates
/// (`2022–2023`).
///
/// ```
/// use kpi_stats::{reconstruct_cohort, CohortOptions, GradeRates};
/// use kpi_model::i18n::Lang;
/// use kpi_summary::cohort_summary;
/// let rates = [GradeRates { promotion: 0.9, repetition: 0.0, dropout: 0.1 }; 2];
/// let flow = reconstruct_cohort(&rates, &CohortOptions::default());
/// assert!(cohort_summary(&flow, "2022–2023", Lang::En).starts_with(
///     "With the rates of 2022–2023, 90.0% of entrants reach the last year of study (2 years)."));
/// let none = reconstruct_cohort(&[], &CohortOptions::default());
/// assert_eq!(cohort_summary(&none, "2022–2023", Lang::En),
///     "The cohort cannot be reconstructed with the rates of 2022–2023: needs at least 1 value, has 0.");
/// ```
pub fn cohort_summary(flow: &kpi_stats::Computed<CohortFlow>, when: &str, lang: Lang) -> String {
    let flow = match flow {
        Ok(f) => f,
        Err(reason) => {
            let why = super::reason_phrase(reason, lang);
            return match lang {
                Lang::En => {
                    format!("The cohort cannot be reconstructed with the rates of {when}: {why}.")
                }
                Lang::Ru => format!("Когорту по показателям {when} восстановить нельзя: {why}."),
                Lang::Kk => {
                    format!("{when} көрсеткіштері бойынша когортаны қалпына келтіру мүмкін емес: {why}.")
                }
                Lang::Ky => format!(
                    "{when} көрсөткүчтөрү боюнча когортаны калыбына келтирүү мүмкүн эмес: {why}."
                ),
            };
        }
    };
    let s = format_number(flow.survival_to_last_grade * 100.0, 1, lang);
    let g = flow.grades;
    let first = match lang {
        Lang::En => {
            let years = if g == 1 { "year" } else { "years" };
            format!("With the rates of {when}, {s}% of entrants reach the last year of study ({g} {years}).")
        }
        Lang::Ru => {
            let w = ru_plural(g as f64, "год", "года", "лет");
            format!("При показателях {when} до последнего года обучения ({g} {w}) доходят {s}% поступивших.")
        }
        Lang::Kk => format!(
            "{when} көрсеткіштерімен түсушілердің {s}%-ы соңғы оқу жылына ({g} жыл) жетеді."
        ),
        Lang::Ky => format!(
            "{when} көрсөткүчтөрү менен кабыл алынгандардын {s}%-ы акыркы окуу жылына ({g} жыл) жетет."
        ),
    };
    format!("{first} {}", cohort_sentence(flow, lang))
}
