//! The sentence for a linear trend.

use super::ky::{with_case, Case};
use super::number::format_p_value;
use super::reason::reason_phrase;
use super::subject::Subject;
use kpi_model::i18n::Lang;
use kpi_stats::dynamic::{LinearTrend, MannKendall, TrendVerdict};
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
///     ru: "Трудоустройство выпускников".into(), en: "Graduate employment".into(),
///     ky: "Бүтүрүүчүлөрдүн жумушка орношуусу".into() }, "%");
/// let t = linear_trend(&[(2020, Some(80.0)), (2021, Some(77.5)), (2022, Some(76.2)),
///                        (2023, Some(73.1)), (2024, Some(72.0))], Direction::Higher).unwrap();
/// // scipy.stats.linregress: slope −2.04, p 0.0010974595306362893
/// assert_eq!(trend_sentence(&s, &t, Lang::En),
///     "Graduate employment fell by an average of 2.0 percentage points a year in 2020–2024 (p = 0.001), a deterioration.");
/// // Kyrgyz: the change takes the dative, «2,0 пайыздык пунктка».
/// assert_eq!(trend_sentence(&s, &t, Lang::Ky),
///     "Бүтүрүүчүлөрдүн жумушка орношуусу 2020–2024-жылдары жылына орто эсеп менен 2,0 пайыздык пунктка төмөндөдү (p = 0,001), бул начарлоону билдирет.");
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
            Lang::Ky => format!("{name}: {a}–{b}-жылдары маанилүү тенденция жок ({p})."),
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
                Lang::Ky => {
                    // «өстү / төмөндөдү» take the size of the change in the dative.
                    let verb = if rising {
                        "өстү"
                    } else {
                        "төмөндөдү"
                    };
                    let step = with_case(&step, Case::Dative);
                    format!("{name} {a}–{b}-жылдары жылына орто эсеп менен {step} {verb} ({p}), {meaning}.")
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
        (TrendVerdict::Improving, Lang::Ky) => "бул жакшырууну билдирет",
        (TrendVerdict::Worsening, Lang::Ky) => "бул начарлоону билдирет",
        (_, Lang::Ky) => "азырынча максаттуу аралыктын ичинде",
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
                Lang::Ky => format!("{name}: тенденцияны эсептөө мүмкүн эмес ({why})."),
            }
        }
    }
}

/// Whether a verdict is a significant trend (p < 0.05 with a non-zero slope).
fn significant(v: TrendVerdict) -> bool {
    v != TrendVerdict::NoSignificantTrend
}

/// The sentence that says the Mann–Kendall test disagrees with the OLS
/// trend, or `None` when they agree. They disagree when one finds a
/// significant trend and the other does not, or when both do but in opposite
/// directions (the sign of the OLS slope against the sign of `S`).
///
/// ```
/// use kpi_stats::dynamic::{linear_trend, mann_kendall};
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_model::Direction;
/// use kpi_summary::{trend_disagreement_sentence, Subject};
/// let s = Subject::new(Labels::same("Graduate employment"), "%");
/// let series = [(2020, Some(78.8)), (2021, Some(74.5)), (2022, Some(75.0)),
///               (2023, Some(70.0)), (2024, Some(70.5))];
/// let ols = linear_trend(&series, Direction::Higher).unwrap();   // p = 0.025
/// let mk = mann_kendall(&series, Direction::Higher).unwrap();    // S = −6, p = 0.22
/// assert_eq!(trend_disagreement_sentence(&s, &ols, &mk, Lang::En).as_deref(),
///     Some("The Mann–Kendall test, which does not assume a straight line, finds no significant trend (p = 0.22): the decline is not certain."));
/// ```
pub fn trend_disagreement_sentence(
    subject: &Subject,
    ols: &LinearTrend,
    mk: &MannKendall,
    lang: Lang,
) -> Option<String> {
    let (so, sm) = (significant(ols.verdict), significant(mk.verdict));
    let p = format_p_value(mk.p_value, lang);
    let mk_rising = mk.s > 0;
    let sen = subject.difference(mk.sen_slope, lang);
    match (so, sm) {
        (true, false) => {
            let rising = ols.slope > 0.0;
            Some(match lang {
                Lang::En => format!(
                    "The Mann–Kendall test, which does not assume a straight line, finds no significant trend ({p}): the {} is not certain.",
                    if rising { "rise" } else { "decline" }
                ),
                Lang::Ru => format!(
                    "Тест Манна — Кендалла, не предполагающий линейности, значимой тенденции не находит ({p}): {} не бесспорно.",
                    if rising { "рост" } else { "снижение" }
                ),
                Lang::Kk => format!(
                    "Сызықтықты болжамайтын Манн — Кендалл тесті айтарлықтай үрдіс таппады ({p}): {} сенімді емес.",
                    if rising { "өсу" } else { "төмендеу" }
                ),
                Lang::Ky => format!(
                    "Сызыктуулукту болжобогон Манн — Кендалл тести маанилүү тенденция тапкан жок ({p}): {} ишенимдүү эмес.",
                    if rising { "өсүү" } else { "төмөндөө" }
                ),
            })
        }
        (false, true) => Some(match lang {
            Lang::En => format!(
                "The Mann–Kendall test, which does not assume a straight line, does find a significant {} trend ({p}; Sen's slope {sen} a year).",
                if mk_rising { "rising" } else { "falling" }
            ),
            Lang::Ru => format!(
                "Тест Манна — Кендалла, не предполагающий линейности, находит значимую тенденцию к {} ({p}; наклон Сена {sen} в год).",
                if mk_rising { "росту" } else { "снижению" }
            ),
            Lang::Kk => format!(
                "Сызықтықты болжамайтын Манн — Кендалл тесті айтарлықтай {} үрдісін тапты ({p}; Сен көлбеуі жылына {sen}).",
                if mk_rising { "өсу" } else { "төмендеу" }
            ),
            Lang::Ky => format!(
                "Сызыктуулукту болжобогон Манн — Кендалл тести маанилүү {} тенденциясын тапты ({p}; Сен жантаюусу жылына {sen}).",
                if mk_rising { "өсүү" } else { "төмөндөө" }
            ),
        }),
        (true, true) if (ols.slope > 0.0) != mk_rising => Some(match lang {
            Lang::En => format!(
                "The Mann–Kendall test points the other way: a significant {} trend ({p}; Sen's slope {sen} a year), so the direction is not certain.",
                if mk_rising { "rising" } else { "falling" }
            ),
            Lang::Ru => format!(
                "Тест Манна — Кендалла указывает в другую сторону: значимая тенденция к {} ({p}; наклон Сена {sen} в год), так что направление не бесспорно.",
                if mk_rising { "росту" } else { "снижению" }
            ),
            Lang::Kk => format!(
                "Манн — Кендалл тесті керісінше көрсетеді: айтарлықтай {} үрдісі ({p}; Сен көлбеуі жылына {sen}), сондықтан бағыт сенімді емес.",
                if mk_rising { "өсу" } else { "төмендеу" }
            ),
            Lang::Ky => format!(
                "Манн — Кендалл тести тескерисин көрсөтөт: маанилүү {} тенденциясы ({p}; Сен жантаюусу жылына {sen}), ошондуктан багыт ишенимдүү эмес.",
                if mk_rising { "өсүү" } else { "төмөндөө" }
            ),
        }),
        _ => None,
    }
}

/// [`trend_summary`], followed by [`trend_disagreement_sentence`] when the
/// Mann–Kendall test disagrees with the OLS trend.
///
/// ```
/// use kpi_stats::dynamic::{linear_trend, mann_kendall};
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_model::Direction;
/// use kpi_summary::{trend_summary_checked, Subject};
/// let s = Subject::new(Labels::same("Dropout rate"), "%");
/// // Steady fall: both tests agree, one sentence.
/// let series = [(2019, Some(6.2)), (2020, Some(5.1)), (2021, Some(4.8)),
///               (2022, Some(3.9)), (2023, Some(3.1))];
/// let text = trend_summary_checked(&s, &linear_trend(&series, Direction::Lower),
///     &mann_kendall(&series, Direction::Lower), Lang::En);
/// assert!(text.ends_with("an improvement.") && !text.contains("Mann"));
/// ```
pub fn trend_summary_checked(
    subject: &Subject,
    trend: &Computed<LinearTrend>,
    mk: &Computed<MannKendall>,
    lang: Lang,
) -> String {
    let first = trend_summary(subject, trend, lang);
    match (trend, mk) {
        (Ok(t), Ok(m)) => match trend_disagreement_sentence(subject, t, m, lang) {
            Some(more) => format!("{first} {more}"),
            None => first,
        },
        _ => first,
    }
}

/// One sentence for the first year of a forecast: the trend line's value with
/// its 95% prediction interval, as long as the fitted line continues. Give
/// the forecast already clamped to the unit's bounds
/// (`kpi_engine::forecast_within_unit`); `None` without forecast points.
///
/// ```
/// use kpi_stats::dynamic::forecast;
/// use kpi_model::i18n::{Labels, Lang};
/// use kpi_summary::{forecast_sentence, Subject};
/// let s = Subject::new(Labels::same("Graduate employment"), "%");
/// // 10, 12, 13, 15: ŷ(2024) = 16.5; s = √(0.2 / 2), half-width
/// // t(0.975, 2)·s·√(1 + 1/4 + 2.5²/5) = 4.302653 · 0.316228 · 1.581139 = 2.1513.
/// let f = forecast(&[(2020, Some(10.0)), (2021, Some(12.0)), (2022, Some(13.0)),
///                    (2023, Some(15.0))], 1).unwrap();
/// assert_eq!(forecast_sentence(&s, &f, Lang::En).as_deref(),
///     Some("Graduate employment: forecast for 2024 is 16.5% (95% prediction interval 14.3% to 18.7%) if the 2020–2023 trend continues."));
/// ```
pub fn forecast_sentence(
    subject: &Subject,
    forecast: &kpi_stats::dynamic::Forecast,
    lang: Lang,
) -> Option<String> {
    let p = forecast.points.first()?;
    let name = subject.name(lang);
    let (v, lo, hi) = (
        subject.value(p.value, lang),
        subject.value(p.lower, lang),
        subject.value(p.upper, lang),
    );
    let (year, a, b) = (p.year, forecast.fitted.first, forecast.fitted.last);
    Some(match lang {
        Lang::En => format!(
            "{name}: forecast for {year} is {v} (95% prediction interval {lo} to {hi}) if the {a}–{b} trend continues."
        ),
        Lang::Ru => format!(
            "{name}: прогноз на {year} год — {v} (95% интервал прогноза от {lo} до {hi}), если сохранится тенденция {a}–{b} годов."
        ),
        Lang::Kk => format!(
            "{name}: {a}–{b} жылдардағы үрдіс сақталса, {year} жылға болжам — {v} (95% болжам аралығы {lo}–{hi})."
        ),
        Lang::Ky => format!(
            "{name}: {a}–{b}-жылдардагы тенденция сакталса, {year}-жылга болжол — {v} (95% болжол аралыгы {lo}–{hi})."
        ),
    })
}
