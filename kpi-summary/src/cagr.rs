//! The sentence for a compound annual growth rate.

use super::ky::{with_case, Case};
use super::number::format_number;
use super::reason::reason_phrase;
use super::subject::Subject;
use kpi_model::i18n::Lang;
use kpi_stats::dynamic::Cagr;
use kpi_stats::Computed;

/// One sentence for the compound annual growth rate (CAGR) of a series: the
/// relative change a year on average from the first to the last available
/// year, with both values; or why it is not computable (fewer than two
/// values, a first or last value not positive).
///
/// ```
/// use kpi_stats::dynamic::cagr;
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_summary::{cagr_sentence, Subject};
/// let s = Subject::new(Labels::same("Graduate employment"), "%");
/// // (60.5 / 50)^(1/2) − 1 = 0.1
/// let g = cagr(&[(2020, Some(50.0)), (2021, None), (2022, Some(60.5))]);
/// assert_eq!(cagr_sentence(&s, &g, Lang::En),
///     "Graduate employment: from 2020 to 2022 the value changed by +10.0% a year on average (compound annual growth rate; 50.0% → 60.5%).");
/// let none = cagr(&[(2020, Some(0.0)), (2022, Some(60.5))]);
/// assert_eq!(cagr_sentence(&s, &none, Lang::En),
///     "Graduate employment: the compound annual growth rate is not computable (the value in 2020 is 0.00, not positive).");
/// ```
pub fn cagr_sentence(subject: &Subject, cagr: &Computed<Cagr>, lang: Lang) -> String {
    let name = subject.name(lang);
    let c = match cagr {
        Ok(c) => c,
        Err(reason) => {
            let why = reason_phrase(reason, lang);
            return match lang {
                Lang::En => {
                    format!("{name}: the compound annual growth rate is not computable ({why}).")
                }
                Lang::Ru => {
                    format!("{name}: среднегодовой темп прироста не вычисляется ({why}).")
                }
                Lang::Kk => {
                    format!("{name}: орташа жылдық өсу қарқынын есептеу мүмкін емес ({why}).")
                }
                Lang::Ky => {
                    format!("{name}: орточо жылдык өсүү арымын эсептөө мүмкүн эмес ({why}).")
                }
            };
        }
    };
    let magnitude = format_number((100.0 * c.rate).abs(), 1, lang);
    let zero = magnitude.chars().all(|ch| matches!(ch, '0' | ',' | '.'));
    let rate = if zero {
        magnitude
    } else if c.rate > 0.0 {
        format!("+{magnitude}")
    } else {
        format!("\u{2212}{magnitude}")
    };
    let (a, b) = (c.first_year, c.last_year);
    let (v1, v2) = (
        subject.value(c.first_value, lang),
        subject.value(c.last_value, lang),
    );
    match lang {
        Lang::En => format!(
            "{name}: from {a} to {b} the value changed by {rate}% a year on average (compound annual growth rate; {v1} → {v2})."
        ),
        Lang::Ru => format!(
            "{name}: с {a} по {b} год значение менялось в среднем на {rate}% в год (среднегодовой темп прироста; {v1} → {v2})."
        ),
        Lang::Kk => format!(
            "{name}: {a}–{b} жылдары мән жылына орта есеппен {rate}% өзгерді (орташа жылдық өсу қарқыны; {v1} → {v2})."
        ),
        Lang::Ky => {
            let rate = with_case(&format!("{rate}%"), Case::Dative);
            format!(
                "{name}: {a}–{b}-жылдары маани жылына орто эсеп менен {rate} өзгөрдү (орточо жылдык өсүү арымы; {v1} → {v2})."
            )
        }
    }
}
