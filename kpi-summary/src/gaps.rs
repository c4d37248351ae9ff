//! The sentence for a gap between groups of organisations.

use super::number::format_p_value;
use super::reason::reason_phrase;
use super::subject::Subject;
use kpi_model::i18n::Lang;
use kpi_stats::comparative::GroupGaps;
use kpi_stats::Computed;

/// One or two sentences for an indicator compared across groups: the best
/// and worst group by direction with their means and sizes, the gap between
/// them, and for exactly two groups whether the difference is significant
/// by Welch's t-test. `group_name` gives a group's name in a language;
/// `when` is the period as written (`2023–2024`).
///
/// ```
/// use kpi_stats::group_gaps;
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_model::Direction;
/// use kpi_summary::{gap_sentence, Subject};
/// let s = Subject::new(Labels::same("Graduate employment"), "%");
/// let v = [("urban".to_string(), 80.0), ("rural".to_string(), 70.0), ("urban".to_string(), 84.0),
///          ("rural".to_string(), 66.0), ("urban".to_string(), 82.0), ("rural".to_string(), 71.0),
///          ("urban".to_string(), 79.5)];
/// let g = group_gaps(&v, Direction::Higher).unwrap();
/// // scipy.stats.ttest_ind(urban, rural, equal_var=False): p = 0.0033
/// assert_eq!(gap_sentence(&s, &g, |g, _| g.to_string(), "2023–2024", Lang::En),
///     "Graduate employment, 2023–2024: the best group is urban (81.4%, n = 4), the worst rural (69.0%, n = 3), a gap of 12.4 percentage points. The difference is significant (Welch's t-test, p = 0.003).");
/// ```
pub fn gap_sentence(
    subject: &Subject,
    gaps: &GroupGaps<String>,
    group_name: impl Fn(&str, Lang) -> String,
    when: &str,
    lang: Lang,
) -> String {
    let name = subject.name(lang);
    let stats = |g: &str| gaps.groups.iter().find(|s| s.group == g);
    let (Some(best), Some(worst)) = (stats(&gaps.best), stats(&gaps.worst)) else {
        return String::new();
    };
    let (b, w) = (
        group_name(&best.group, lang),
        group_name(&worst.group, lang),
    );
    let (bv, wv) = (
        subject.value(best.mean, lang),
        subject.value(worst.mean, lang),
    );
    let (bn, wn) = (best.n, worst.n);
    let gap = subject.difference(gaps.best_minus_worst, lang);
    // "п.п." already ends the sentence.
    let stop = if gap.ends_with('.') { "" } else { "." };
    let first = match lang {
        Lang::En => format!(
            "{name}, {when}: the best group is {b} ({bv}, n = {bn}), the worst {w} ({wv}, n = {wn}), a gap of {gap}{stop}"
        ),
        Lang::Ru => format!(
            "{name}, {when}: лучшая группа — {b} ({bv}, n = {bn}), худшая — {w} ({wv}, n = {wn}), разрыв {gap}{stop}"
        ),
        Lang::Kk => format!(
            "{name}, {when}: ең жақсы топ — {b} ({bv}, n = {bn}), ең нашар топ — {w} ({wv}, n = {wn}), алшақтық {gap}{stop}"
        ),
        Lang::Ky => format!(
            "{name}, {when}: эң жакшы топ — {b} ({bv}, n = {bn}), эң начар топ — {w} ({wv}, n = {wn}), айырма {gap}{stop}"
        ),
    };
    let Some(pair) = &gaps.pair else {
        return first;
    };
    let second = match &pair.welch {
        Ok(t) => {
            let p = format_p_value(t.p_value, lang);
            let significant = t.p_value < 0.05;
            match (lang, significant) {
                (Lang::En, true) => format!("The difference is significant (Welch's t-test, {p})."),
                (Lang::En, false) => {
                    format!("The difference is not significant (Welch's t-test, {p}).")
                }
                (Lang::Ru, true) => format!("Различие значимо (t-критерий Уэлча, {p})."),
                (Lang::Ru, false) => format!("Различие незначимо (t-критерий Уэлча, {p})."),
                (Lang::Kk, true) => format!("Айырмашылық маңызды (Уэлчтің t-критерийі, {p})."),
                (Lang::Kk, false) => {
                    format!("Айырмашылық маңызды емес (Уэлчтің t-критерийі, {p}).")
                }
                (Lang::Ky, true) => format!("Айырма маанилүү (Уэлчтин t-критерийи, {p})."),
                (Lang::Ky, false) => {
                    format!("Айырма маанилүү эмес (Уэлчтин t-критерийи, {p}).")
                }
            }
        }
        Err(reason) => {
            let why = reason_phrase(reason, lang);
            match lang {
                Lang::En => {
                    format!("Whether the difference is significant cannot be tested ({why}).")
                }
                Lang::Ru => format!("Значимость различия проверить нельзя ({why})."),
                Lang::Kk => format!("Айырмашылықтың маңыздылығын тексеру мүмкін емес ({why})."),
                Lang::Ky => format!("Айырманын маанилүүлүгүн текшерүү мүмкүн эмес ({why})."),
            }
        }
    };
    format!("{first} {second}")
}

/// [`gap_sentence`], or why the gaps cannot be computed.
///
/// ```
/// use kpi_stats::group_gaps;
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_model::Direction;
/// use kpi_summary::{gap_summary, Subject};
/// let s = Subject::new(Labels::same("Dropout rate"), "%");
/// let g = group_gaps(&[("urban".to_string(), 2.0)], Direction::Lower);
/// assert_eq!(gap_summary(&s, &g, |g, _| g.to_string(), "2023–2024", Lang::En),
///     "Dropout rate, 2023–2024: the gap between groups cannot be computed (needs at least 2 groups with values, got 1).");
/// ```
pub fn gap_summary(
    subject: &Subject,
    gaps: &Computed<GroupGaps<String>>,
    group_name: impl Fn(&str, Lang) -> String,
    when: &str,
    lang: Lang,
) -> String {
    match gaps {
        Ok(g) => gap_sentence(subject, g, group_name, when, lang),
        Err(reason) => {
            let name = subject.name(lang);
            let why = reason_phrase(reason, lang);
            match lang {
                Lang::En => {
                    format!("{name}, {when}: the gap between groups cannot be computed ({why}).")
                }
                Lang::Ru => {
                    format!("{name}, {when}: разрыв между группами рассчитать нельзя ({why}).")
                }
                Lang::Kk => format!(
                    "{name}, {when}: топтар арасындағы алшақтықты есептеу мүмкін емес ({why})."
                ),
                Lang::Ky => format!(
                    "{name}, {when}: топтордун ортосундагы айырманы эсептөө мүмкүн эмес ({why})."
                ),
            }
        }
    }
}

/// The sentence for the gender parity index of two means (female / male), with its
/// adjusted form (UNESCO UIS, 0–2, 1 = parity), or why it cannot be computed.
///
/// ```
/// use kpi_model::i18n::Lang;
/// use kpi_stats::parity_index;
/// use kpi_summary::parity_sentence;
/// let p = parity_index(76.0, 67.0);
/// assert_eq!(parity_sentence(&p, Lang::En),
///     "Gender parity index (women / men) 1.13, adjusted 1.12 (1 = parity).");
/// assert_eq!(parity_sentence(&parity_index(5.0, 0.0), Lang::En),
///     "The gender parity index cannot be computed (the denominator is zero).");
/// ```
pub fn parity_sentence(parity: &Computed<kpi_stats::Parity>, lang: Lang) -> String {
    use super::number::format_number;
    match parity {
        Ok(p) => {
            let gpi = format_number(p.gpi, 2, lang);
            let adj = format_number(p.adjusted, 2, lang);
            match lang {
                Lang::En => format!(
                    "Gender parity index (women / men) {gpi}, adjusted {adj} (1 = parity)."
                ),
                Lang::Ru => format!(
                    "Индекс гендерного паритета (женщины / мужчины) {gpi}, скорректированный {adj} (1 — паритет)."
                ),
                Lang::Kk => format!(
                    "Гендерлік теңдік индексі (әйелдер / ерлер) {gpi}, түзетілгені {adj} (1 — теңдік)."
                ),
                Lang::Ky => format!(
                    "Гендердик теңдик индекси (аялдар / эркектер) {gpi}, тууралангыны {adj} (1 — теңдик)."
                ),
            }
        }
        Err(reason) => {
            let why = reason_phrase(reason, lang);
            match lang {
                Lang::En => format!("The gender parity index cannot be computed ({why})."),
                Lang::Ru => format!("Индекс гендерного паритета рассчитать нельзя ({why})."),
                Lang::Kk => format!("Гендерлік теңдік индексін есептеу мүмкін емес ({why})."),
                Lang::Ky => format!("Гендердик теңдик индексин эсептөө мүмкүн эмес ({why})."),
            }
        }
    }
}
