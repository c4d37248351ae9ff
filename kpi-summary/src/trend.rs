//! The sentence for a linear trend.

use super::number::format_p_value;
use super::reason::reason_phrase;
use super::subject::Subject;
use kpi_model::i18n::Lang;
use kpi_stats::dynamic::{LinearTrend, TrendVerdict};
use kpi_stats::Computed;

/// One sentence for an OLS trend: the average change a year over the years
/// fitted with its p-value, and what it means for the indicator; or that
/// there is no significant trend.
///
/// ```
/// use kpi_stats::linear_trend;
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_model::Direction;
/// use kpi_summary::{trend_sentence, Subject};
/// let s = Subject::new(Labels { kk: "Түлектерді жұмысқа орналастыру".into(),
///     ru: "Трудоустройство выпускников".into(), en: "Graduate employment".into() }, "%");
/// let t = linear_trend(&[(2020, Some(80.0)), (2021, Some(77.5)), (2022, Some(76.2)),
///                        (2023, Some(73.1)), (2024, Some(72.0))], Direction::Higher).unwrap();
/// // scipy.stats.linregress: slope −2.04, p 0.0010974595306362893
/// assert_eq!(trend_sentence(&s, &t, Lang::En),
///     "Graduate employment fell by an average of 2.0 percentage points a year in 2020–2024 (p = 0.001), a deterioration.");
/// ```
pub fn trend_sentence(subject: &Subject, trend: &LinearTrend, lang: Lang) -> String {
    let name = subject.name(lang);
    let (a, b) = (trend.years.first, trend.years.last);
    let p = format_p_value(trend.p_value, lang);
    let rising = trend.slope > 0.0;
    let step = subject.difference(trend.slope, lang);
    match trend.verdict {
        TrendVerdict::NoSignificantTrend => match lang {
            Lang::En => format!("{name}: no significant trend in {a}–{b} ({p})."),
            Lang::Ru => format!("{name}: в {a}–{b} годах значимой тенденции нет ({p})."),
            Lang::Kk => format!("{name}: {a}–{b} жылдары айтарлықтай үрдіс жоқ ({p})."),
        },
        verdict => {
            let meaning = meaning(verdict, lang);
            match lang {
                Lang::En => {
                    let verb = if rising { "rose" } else { "fell" };
                    format!(
                        "{name} {verb} by an average of {step} a year in {a}–{b} ({p}), {meaning}."
                    )
                }
                Lang::Ru => {
                    let verb = if rising { "рос" } else { "снижался" };
                    format!("В {a}–{b} годах показатель «{name}» {verb} в среднем на {step} в год ({p}), {meaning}.")
                }
                Lang::Kk => {
                    let verb = if rising {
                        "өсті"
                    } else {
                        "төмендеді"
                    };
                    format!("{name} {a}–{b} жылдары жылына орта есеппен {step} {verb} ({p}), {meaning}.")
                }
            }
        }
    }
}

fn meaning(verdict: TrendVerdict, lang: Lang) -> &'static str {
    match (verdict, lang) {
        (TrendVerdict::Improving, Lang::En) => "an improvement",
        (TrendVerdict::Improving, Lang::Ru) => "это улучшение",
        (TrendVerdict::Improving, Lang::Kk) => "бұл жақсаруды білдіреді",
        (TrendVerdict::Worsening, Lang::En) => "a deterioration",
        (TrendVerdict::Worsening, Lang::Ru) => "это ухудшение",
        (TrendVerdict::Worsening, Lang::Kk) => "бұл нашарлауды білдіреді",
        (_, Lang::En) => "still within the target band",
        (_, Lang::Ru) => "пока в пределах целевого диапазона",
        (_, Lang::Kk) => "әзірге мақсатты аралық ішінде",
    }
}

/// [`trend_sentence`], or why there is no trend.
///
/// ```
/// use kpi_stats::linear_trend;
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_model::Direction;
/// use kpi_summary::{trend_summary, Subject};
/// let s = Subject::new(Labels::same("Dropout rate"), "%");
/// let t = linear_trend(&[(2022, Some(3.0)), (2023, Some(2.5))], Direction::Lower);
/// assert_eq!(trend_summary(&s, &t, Lang::En),
///     "Dropout rate: no trend can be computed (needs at least 3 values, has 2).");
/// ```
pub fn trend_summary(subject: &Subject, trend: &Computed<LinearTrend>, lang: Lang) -> String {
    match trend {
        Ok(t) => trend_sentence(subject, t, lang),
        Err(reason) => {
            let name = subject.name(lang);
            let why = reason_phrase(reason, lang);
            match lang {
                Lang::En => format!("{name}: no trend can be computed ({why})."),
                Lang::Ru => format!("{name}: тенденцию рассчитать нельзя ({why})."),
                Lang::Kk => format!("{name}: үрдісті есептеу мүмкін емес ({why})."),
            }
        }
    }
}
