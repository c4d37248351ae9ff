//! The reason of each student academic-risk flag, for `kpi students --at-risk`.

use super::ky::{with_case, Case};
use super::number::{format_number, ru_plural};
use kpi_model::i18n::Lang;
use kpi_risk::StudentFlag;

/// Why a student was flagged, as a short phrase in `lang` (no final full stop).
///
/// ```
/// use kpi_model::i18n::Lang;
/// use kpi_risk::StudentFlag;
/// use kpi_summary::student_flag_phrase;
/// let f = StudentFlag::GpaBelowTransfer { gpa: 1.5, threshold: 1.67 };
/// assert_eq!(student_flag_phrase(&f, Lang::En), "GPA 1.50 is below the transfer threshold of 1.67");
/// assert_eq!(student_flag_phrase(&f, Lang::Ru), "GPA 1,50 ниже переводного балла 1,67");
/// let f = StudentFlag::FailedCourses { count: 2 };
/// assert_eq!(student_flag_phrase(&f, Lang::Kk), "FX немесе F алған пәндер: 2");
/// ```
pub fn student_flag_phrase(flag: &StudentFlag, lang: Lang) -> String {
    let n = |x: f64, d: usize| format_number(x, d, lang);
    match flag {
        StudentFlag::GpaBelowTransfer { gpa, threshold } => {
            let (g, t) = (n(*gpa, 2), n(*threshold, 2));
            match lang {
                Lang::En => format!("GPA {g} is below the transfer threshold of {t}"),
                Lang::Ru => format!("GPA {g} ниже переводного балла {t}"),
                Lang::Kk => format!("GPA {g} келесі курсқа көшу шегінен ({t}) төмен"),
                Lang::Ky => format!("GPA {g} кийинки курска которуу чегинен ({t}) төмөн"),
            }
        }
        StudentFlag::FailedCourses { count } => match lang {
            Lang::En => {
                let s = if *count == 1 { "course" } else { "courses" };
                format!("{count} {s} graded FX or F")
            }
            Lang::Ru => {
                let w = ru_plural(f64::from(*count), "дисциплина", "дисциплины", "дисциплин");
                format!("{count} {w} с оценкой FX или F")
            }
            Lang::Kk => format!("FX немесе F алған пәндер: {count}"),
            Lang::Ky => format!("FX же F алган сабактар: {count}"),
        },
        StudentFlag::CreditsBelowPlan { earned, planned } => {
            let whole = |x: f64| n(x, if x.fract() == 0.0 { 0 } else { 1 });
            let (e, p) = (whole(*earned), whole(*planned));
            match lang {
                Lang::En => format!("{e} credits earned of {p} planned"),
                Lang::Ru => format!("освоено кредитов: {e} из {p} по плану"),
                Lang::Kk => format!("игерілген кредиттер: {e}, жоспар бойынша {p}"),
                Lang::Ky => format!("өздөштүрүлгөн кредиттер: {e}, план боюнча {p}"),
            }
        }
        StudentFlag::GpaDrop { from, to } => {
            let (f, t) = (n(*from, 2), n(*to, 2));
            match lang {
                Lang::En => format!("term GPA fell from {f} to {t}"),
                Lang::Ru => format!("GPA за семестр снизился с {f} до {t}"),
                Lang::Kk => format!("семестрлік GPA төмендеді: {f} → {t}"),
                Lang::Ky => format!(
                    "семестрдик GPA {} {} төмөндөдү",
                    with_case(&f, Case::Ablative),
                    with_case(&t, Case::Dative)
                ),
            }
        }
    }
}
