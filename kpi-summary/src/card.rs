//! The sentence for a KPI card: one year's value and its change.

use super::ky::{with_case, Case};
use super::number::format_number;
use super::reason::reason_phrase;
use super::subject::Subject;
use kpi_model::i18n::Lang;
use kpi_model::{academic_year_label, Year};
use kpi_stats::dynamic::YearRow;
use kpi_stats::NotComputable;

/// One sentence for a KPI card: the value in an academic year and the change
/// from the previous available year (named, since it may be further back).
///
/// ```
/// use kpi_stats::year_table;
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_summary::{card_sentence, Subject};
/// let s = Subject::new(Labels::same("Employment rate"), "%");
/// let rows = year_table(&[(2022, Some(71.5)), (2023, Some(74.0))]).unwrap();
/// assert_eq!(card_sentence(&s, &rows[1], Lang::En),
///     "Employment rate in 2023–2024: 74.0%, up 2.5 percentage points on 2022–2023.");
/// ```
pub fn card_sentence(subject: &Subject, row: &YearRow, lang: Lang) -> String {
    let name = subject.name(lang);
    let year = academic_year_label(row.year);
    let value = subject.value(row.value, lang);
    let Ok(change) = &row.change else {
        return match lang {
            Lang::En => format!("{name} in {year}: {value}."),
            Lang::Ru => format!("{name} в {year} учебном году: {value}."),
            Lang::Kk => format!("{name} {year} оқу жылында: {value}."),
            Lang::Ky => format!("{name} {year} окуу жылында: {value}."),
        };
    };
    let before = academic_year_label(change.from_year);
    let shown = format_number(change.absolute.abs(), subject.decimals, lang);
    let unchanged = shown.chars().all(|c| matches!(c, '0' | ',' | '.'));
    let diff = subject.difference(change.absolute, lang);
    let up = change.absolute > 0.0;
    match lang {
        Lang::En if unchanged => format!("{name} in {year}: {value}, unchanged from {before}."),
        Lang::En => {
            let dir = if up { "up" } else { "down" };
            format!("{name} in {year}: {value}, {dir} {diff} on {before}.")
        }
        Lang::Ru if unchanged => format!(
            "{name} в {year} учебном году: {value}, без изменений по сравнению с {before} учебным годом."
        ),
        Lang::Ru => {
            let dir = if up { "больше" } else { "меньше" };
            format!("{name} в {year} учебном году: {value}, на {diff} {dir}, чем в {before} учебном году.")
        }
        Lang::Kk if unchanged => {
            format!("{name} {year} оқу жылында: {value}, {before} оқу жылындағыдай.")
        }
        Lang::Kk => {
            let dir = if up { "жоғары" } else { "төмен" };
            format!("{name} {year} оқу жылында: {value}, бұл {before} оқу жылындағыдан {diff} {dir}.")
        }
        Lang::Ky if unchanged => {
            format!("{name} {year} окуу жылында: {value}, {before} окуу жылындагыдай эле.")
        }
        Lang::Ky => {
            // «…дан 2,1 пайыздык пунктка жогору»: the difference in the dative.
            let dir = if up { "жогору" } else { "төмөн" };
            let diff = with_case(&diff, Case::Dative);
            format!("{name} {year} окуу жылында: {value}, бул {before} окуу жылындагыдан {diff} {dir}.")
        }
    }
}

/// The card sentence when the value is not computable.
///
/// ```
/// use kpi_stats::NotComputable;
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_summary::{card_not_computable, Subject};
/// let s = Subject::new(Labels::same("Employment rate"), "%");
/// let why = NotComputable::ZeroDenominator { what: "graduates = 0".into() };
/// assert_eq!(card_not_computable(&s, 2023, &why, Lang::En),
///     "Employment rate in 2023–2024: not computable (the denominator is zero).");
/// ```
pub fn card_not_computable(
    subject: &Subject,
    year: Year,
    reason: &NotComputable,
    lang: Lang,
) -> String {
    let name = subject.name(lang);
    let year = academic_year_label(year);
    let why = reason_phrase(reason, lang);
    match lang {
        Lang::En => format!("{name} in {year}: not computable ({why})."),
        Lang::Ru => format!("{name} в {year} учебном году: не рассчитывается ({why})."),
        Lang::Kk => format!("{name} {year} оқу жылында: есептелмейді ({why})."),
        Lang::Ky => format!("{name} {year} окуу жылында: эсептелбейт ({why})."),
    }
}
