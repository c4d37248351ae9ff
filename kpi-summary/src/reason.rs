//! Short localised wording of *not computable* reasons, for sentences.

use super::number::{format_number, ru_genitive};
use kpi_model::i18n::Lang;
use kpi_stats::NotComputable;

/// Why a statistic has no value, as a short phrase in `lang` (no final full stop).
///
/// ```
/// use kpi_stats::NotComputable;
/// use kpi_model::i18n::Lang;
/// use kpi_summary::reason_phrase;
/// let r = NotComputable::TooFewValues { needed: 3, got: 2 };
/// assert_eq!(reason_phrase(&r, Lang::En), "needs at least 3 values, has 2");
/// assert_eq!(reason_phrase(&r, Lang::Ru), "нужно не менее 3 значений, есть 2");
/// assert_eq!(reason_phrase(&r, Lang::Kk), "кемінде 3 мән қажет, бар болғаны 2");
/// ```
pub fn reason_phrase(reason: &NotComputable, lang: Lang) -> String {
    use NotComputable as N;
    match (reason, lang) {
        (N::TooFewValues { needed, got }, Lang::En) => {
            let s = if *needed == 1 { "value" } else { "values" };
            format!("needs at least {needed} {s}, has {got}")
        }
        (N::TooFewValues { needed, got }, Lang::Ru) => format!(
            "нужно не менее {needed} {}, есть {got}",
            ru_genitive(*needed, "значения", "значений")
        ),
        (N::TooFewValues { needed, got }, Lang::Kk) => {
            format!("кемінде {needed} мән қажет, бар болғаны {got}")
        }
        (N::TooFewValues { needed, got }, Lang::Ky) => {
            format!("кеминде {needed} маани керек, болгону {got}")
        }
        (N::AllValuesEqual, Lang::Ky) => "бардык маанилер бирдей".into(),
        (N::ExactFit, Lang::Ky) => "маанилер так бир түз сызыкта жатат".into(),
        (N::ZeroDenominator { .. }, Lang::Ky) => "бөлүүчү нөлгө барабар".into(),
        (N::NotPositive { year, value }, Lang::Ky) => format!(
            "{year}-жылдагы маани ({}) оң эмес",
            format_number(*value, 2, lang)
        ),
        (N::MissingData { what }, Lang::Ky) => format!("маалымат жок: {what}"),
        (_, Lang::Ky) => "маалыматтар эсептөөгө жараксыз".into(),
        (N::AllValuesEqual, Lang::En) => "all values are equal".into(),
        (N::AllValuesEqual, Lang::Ru) => "все значения одинаковы".into(),
        (N::AllValuesEqual, Lang::Kk) => "барлық мәндер бірдей".into(),
        (N::ExactFit, Lang::En) => "the values lie exactly on a line".into(),
        (N::ExactFit, Lang::Ru) => "значения лежат точно на прямой".into(),
        (N::ExactFit, Lang::Kk) => "мәндер дәл бір түзудің бойында".into(),
        (N::ZeroDenominator { .. }, Lang::En) => "the denominator is zero".into(),
        (N::ZeroDenominator { .. }, Lang::Ru) => "знаменатель равен нулю".into(),
        (N::ZeroDenominator { .. }, Lang::Kk) => "бөлгіш нөлге тең".into(),
        (N::NotPositive { year, value }, Lang::En) => format!(
            "the value in {year} is {}, not positive",
            format_number(*value, 2, lang)
        ),
        (N::NotPositive { year, value }, Lang::Ru) => format!(
            "значение за {year} год ({}) не положительно",
            format_number(*value, 2, lang)
        ),
        (N::NotPositive { year, value }, Lang::Kk) => format!(
            "{year} жылғы мән ({}) оң емес",
            format_number(*value, 2, lang)
        ),
        (N::MissingData { what }, Lang::En) => format!("missing data: {what}"),
        (N::MissingData { what }, Lang::Ru) => format!("нет данных: {what}"),
        (N::MissingData { what }, Lang::Kk) => format!("деректер жоқ: {what}"),
        (other, Lang::En) => other.to_string(),
        (_, Lang::Ru) => "данные непригодны для расчёта".into(),
        (_, Lang::Kk) => "деректер есептеуге жарамсыз".into(),
    }
}
