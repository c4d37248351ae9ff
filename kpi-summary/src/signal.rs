//! The sentence for the signals of a series' latest value.

use super::ky::{with_case, Case};
use super::number::format_number;
use super::subject::Subject;
use kpi_model::academic_year_label;
use kpi_model::i18n::Lang;
use kpi_stats::dynamic::{Assessment, SignalRule, Signals};

/// One sentence for the signals of the latest value: outside the 95%
/// prediction interval of the earlier years' trend (said first when both
/// rules fire), an unusual change a year, or nothing unusual.
///
/// ```
/// use kpi_stats::signals;
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_model::Direction;
/// use kpi_summary::{signals_sentence, Subject};
/// let s = Subject::new(Labels::same("Employment rate"), "%");
/// let series = [(2018, Some(80.0)), (2019, Some(81.0)), (2020, Some(80.5)),
///               (2021, Some(81.5)), (2022, Some(81.0)), (2023, Some(81.2))];
/// let sig = signals(&series, Direction::Higher).unwrap();
/// assert_eq!(signals_sentence(&s, &sig, Lang::En),
///     "Employment rate in 2023–2024: 81.2%, in line with earlier years (no signal).");
/// ```
pub fn signals_sentence(subject: &Subject, signals: &Signals, lang: Lang) -> String {
    let name = subject.name(lang);
    let year = academic_year_label(signals.year);
    let value = subject.value(signals.value, lang);
    let head = match lang {
        Lang::En => format!("{name} in {year}: {value}"),
        Lang::Ru => format!("{name} в {year} учебном году: {value}"),
        Lang::Kk => format!("{name} {year} оқу жылында: {value}"),
        Lang::Ky => format!("{name} {year} окуу жылында: {value}"),
    };
    let fired = signals
        .fired
        .iter()
        .find(|s| s.rule == SignalRule::OutsidePredictionInterval)
        .or_else(|| signals.fired.first());
    let Some(signal) = fired else {
        return match lang {
            Lang::En => format!("{head}, in line with earlier years (no signal)."),
            Lang::Ru => format!("{head}, в пределах обычного (сигналов нет)."),
            Lang::Kk => format!("{head}, әдеттегі шекте (белгі жоқ)."),
            Lang::Ky => format!("{head}, кадимки чектерде (белги жок)."),
        };
    };
    let meaning = match (signal.assessment, lang) {
        (Assessment::Better, Lang::En) => ", a signal of improvement",
        (Assessment::Worse, Lang::En) => ", a signal of deterioration",
        (Assessment::Better, Lang::Ru) => ", сигнал улучшения",
        (Assessment::Worse, Lang::Ru) => ", сигнал ухудшения",
        (Assessment::Better, Lang::Kk) => ", жақсару белгісі",
        (Assessment::Worse, Lang::Kk) => ", нашарлау белгісі",
        (Assessment::Better, Lang::Ky) => ", жакшыруунун белгиси",
        (Assessment::Worse, Lang::Ky) => ", начарлоонун белгиси",
        (Assessment::Neutral, _) => "",
    };
    let above = signal.observed > signal.expected;
    match signal.rule {
        SignalRule::OutsidePredictionInterval => {
            let interval = signals.prediction_interval.as_ref().ok().map(|c| {
                let (lo, hi) = (c.prediction.lower, c.prediction.upper);
                let range = format!(
                    "{}–{}",
                    format_number(lo, subject.decimals, lang),
                    subject.value(hi, lang)
                );
                (c.fitted.first, c.fitted.last, range)
            });
            let Some((a, b, range)) = interval else {
                return format!("{head}{meaning}.");
            };
            match lang {
                Lang::En => {
                    let w = if above { "above" } else { "below" };
                    format!("{head}, {w} the 95% prediction interval of the {a}–{b} trend ({range}){meaning}.")
                }
                Lang::Ru => {
                    let w = if above { "выше" } else { "ниже" };
                    format!("{head}, {w} 95%-го интервала прогноза по тренду {a}–{b} годов ({range}){meaning}.")
                }
                Lang::Kk => {
                    let w = if above { "жоғары" } else { "төмен" };
                    format!("{head}, {a}–{b} жылдардағы үрдістің 95% болжам аралығынан ({range}) {w}{meaning}.")
                }
                Lang::Ky => {
                    let w = if above { "жогору" } else { "төмөн" };
                    format!("{head}, {a}–{b}-жылдардагы тенденциянын 95% болжол аралыгынан ({range}) {w}{meaning}.")
                }
            }
        }
        SignalRule::UnusualChange => {
            let change = subject.difference(signal.observed, lang);
            let typical = subject.signed_difference(signal.expected, lang);
            let rise = signal.observed > 0.0;
            match lang {
                Lang::En => {
                    let w = if rise { "rise" } else { "fall" };
                    format!("{head}, an unusual {w} of {change} a year (typical change: {typical}){meaning}.")
                }
                Lang::Ru => {
                    // the adjective agrees with the noun's gender
                    let w = if rise {
                        "необычный рост"
                    } else {
                        "необычное снижение"
                    };
                    format!(
                        "{head}, {w} на {change} в год (обычное изменение: {typical}){meaning}."
                    )
                }
                Lang::Kk => {
                    let w = if rise { "өсу" } else { "төмендеу" };
                    format!("{head}, жылына {change} әдеттен тыс {w} (әдеттегі өзгеріс: {typical}){meaning}.")
                }
                Lang::Ky => {
                    // «2,1 пайыздык пунктка адаттан тыш өсүү»: the size in the dative.
                    let w = if rise { "өсүү" } else { "төмөндөө" };
                    let change = with_case(&change, Case::Dative);
                    format!("{head}, жылына {change} адаттан тыш {w} (кадимки өзгөрүү: {typical}){meaning}.")
                }
            }
        }
    }
}
