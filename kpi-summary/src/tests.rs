//! Exact sentences in kk, ru and en.

use super::*;
use kpi_model::i18n::{Labels, Lang};
use kpi_model::{Direction, Level, OrgIdx};
use kpi_risk::{CriterionOutcome, Degree, RiskAssessment};
use kpi_stats::{
    distribution, linear_trend, peer_positions, reconstruct_cohort, year_table, CohortOptions,
    GradeRates, NotComputable,
};

const NBSP: &str = "\u{a0}";

pub(crate) fn employment() -> Subject {
    Subject::new(
        Labels {
            kk: "Түлектерді жұмысқа орналастыру".into(),
            ru: "Трудоустройство выпускников".into(),
            en: "Graduate employment".into(),
            ky: "Бүтүрүүчүлөрдүн жумушка орношуусу".into(),
        },
        "%",
    )
}

pub(crate) fn dropout() -> Subject {
    Subject::new(
        Labels {
            kk: "Оқудан шығу".into(),
            ru: "Отсев".into(),
            en: "Dropout rate".into(),
            ky: "Окуудан чыгып кетүү".into(),
        },
        "%",
    )
}

fn all(f: impl Fn(Lang) -> String) -> [String; 3] {
    [f(Lang::Kk), f(Lang::Ru), f(Lang::En)]
}

#[test]
fn worsening_trend_as_in_the_issue() {
    // python3 -c "from scipy import stats; r = stats.linregress([2020,2021,2022,2023,2024],
    //   [78.8,74.5,75.0,70.0,70.5]); print(r.slope, r.pvalue)"
    // -> -2.1099999999999994 0.025320158264689425
    let s = [
        (2020, Some(78.8)),
        (2021, Some(74.5)),
        (2022, Some(75.0)),
        (2023, Some(70.0)),
        (2024, Some(70.5)),
    ];
    let t = linear_trend(&s, Direction::Higher).unwrap();
    assert_eq!(
        all(|l| trend_sentence(&employment(), &t, l)),
        [
            "Түлектерді жұмысқа орналастыру 2020–2024 жылдары жылына орта есеппен 2,1 п.п. төмендеді (p = 0,03), бұл нашарлауды білдіреді.",
            "В 2020–2024 годах показатель «Трудоустройство выпускников» снижался в среднем на 2,1 п.п. в год (p = 0,03), это ухудшение.",
            "Graduate employment fell by an average of 2.1 percentage points a year in 2020–2024 (p = 0.03), a deterioration.",
        ]
    );
}

#[test]
fn falling_dropout_is_an_improvement_and_flat_series_has_no_trend() {
    // python3 -c "from scipy import stats; r = stats.linregress([2019,2020,2021,2022,2023],
    //   [6.2,5.1,4.8,3.9,3.1]); print(r.slope, r.pvalue)" -> -0.74 0.0012116106515318826
    let s = [
        (2019, Some(6.2)),
        (2020, Some(5.1)),
        (2021, Some(4.8)),
        (2022, Some(3.9)),
        (2023, Some(3.1)),
    ];
    let t = linear_trend(&s, Direction::Lower).unwrap();
    assert_eq!(
        all(|l| trend_sentence(&dropout(), &t, l)),
        [
            "Оқудан шығу 2019–2023 жылдары жылына орта есеппен 0,7 п.п. төмендеді (p = 0,001), бұл жақсаруды білдіреді.",
            "В 2019–2023 годах показатель «Отсев» снижался в среднем на 0,7 п.п. в год (p = 0,001), это улучшение.",
            "Dropout rate fell by an average of 0.7 percentage points a year in 2019–2023 (p = 0.001), an improvement.",
        ]
    );
    // python3 -c "from scipy import stats; r = stats.linregress([2019,2020,2021,2022,2023],
    //   [4.1,4.4,3.9,4.6,4.2]); print(r.slope, r.pvalue)" -> 0.04000000000000004 0.7047018396481913
    let s = [
        (2019, Some(4.1)),
        (2020, Some(4.4)),
        (2021, Some(3.9)),
        (2022, Some(4.6)),
        (2023, Some(4.2)),
    ];
    let t = linear_trend(&s, Direction::Lower);
    assert_eq!(
        all(|l| trend_summary(&dropout(), &t, l)),
        [
            "Оқудан шығу: 2019–2023 жылдары айтарлықтай үрдіс жоқ (p = 0,70).",
            "Отсев: в 2019–2023 годах значимой тенденции нет (p = 0,70).",
            "Dropout rate: no significant trend in 2019–2023 (p = 0.70).",
        ]
    );
    let short = linear_trend(&[(2022, Some(3.0)), (2023, Some(2.5))], Direction::Lower);
    assert_eq!(
        all(|l| trend_summary(&dropout(), &short, l)),
        [
            "Оқудан шығу: үрдісті есептеу мүмкін емес (кемінде 3 мән қажет, бар болғаны 2).",
            "Отсев: тенденцию рассчитать нельзя (нужно не менее 3 значений, есть 2).",
            "Dropout rate: no trend can be computed (needs at least 3 values, has 2).",
        ]
    );
}

#[test]
fn kpi_cards_up_down_unchanged_and_money() {
    let rows = year_table(&[
        (2021, Some(70.0)),
        (2022, Some(71.5)),
        (2023, Some(74.0)),
        (2024, Some(73.96)),
    ])
    .unwrap();
    assert_eq!(
        all(|l| card_sentence(&employment(), &rows[2], l)),
        [
            "Түлектерді жұмысқа орналастыру 2023–2024 оқу жылында: 74,0%, бұл 2022–2023 оқу жылындағыдан 2,5 п.п. жоғары.",
            "Трудоустройство выпускников в 2023–2024 учебном году: 74,0%, на 2,5 п.п. больше, чем в 2022–2023 учебном году.",
            "Graduate employment in 2023–2024: 74.0%, up 2.5 percentage points on 2022–2023.",
        ]
    );
    // 73.96 − 74.0 = −0.04 shows as 0.0: unchanged
    assert_eq!(
        all(|l| card_sentence(&employment(), &rows[3], l)),
        [
            "Түлектерді жұмысқа орналастыру 2024–2025 оқу жылында: 74,0%, 2023–2024 оқу жылындағыдай.",
            "Трудоустройство выпускников в 2024–2025 учебном году: 74,0%, без изменений по сравнению с 2023–2024 учебным годом.",
            "Graduate employment in 2024–2025: 74.0%, unchanged from 2023–2024.",
        ]
    );
    assert_eq!(
        all(|l| card_sentence(&employment(), &rows[0], l)),
        [
            "Түлектерді жұмысқа орналастыру 2021–2022 оқу жылында: 70,0%.",
            "Трудоустройство выпускников в 2021–2022 учебном году: 70,0%.",
            "Graduate employment in 2021–2022: 70.0%.",
        ]
    );
    // money: 0 decimals, no-break spaces; a drop after a gap year names that year
    let cost = Subject::new(
        Labels {
            kk: "Бір түлекке шығын".into(),
            ru: "Затраты на выпускника".into(),
            en: "Cost per graduate".into(),
            ky: "Бир бүтүрүүчүгө чыгым".into(),
        },
        "KZT",
    );
    let rows = year_table(&[(2020, Some(1_480_250.0)), (2022, Some(1_395_000.4))]).unwrap();
    // digits grouped with no-break spaces; an ordinary space before the unit
    let kzt = |s: &str| {
        let (n, unit) = s.rsplit_once(' ').unwrap();
        format!("{} {unit}", n.replace(' ', NBSP))
    };
    assert_eq!(
        all(|l| card_sentence(&cost, &rows[1], l)),
        [
            format!("Бір түлекке шығын 2022–2023 оқу жылында: {}, бұл 2020–2021 оқу жылындағыдан {} төмен.", kzt("1 395 000 теңге"), kzt("85 250 теңге")),
            format!("Затраты на выпускника в 2022–2023 учебном году: {}, на {} меньше, чем в 2020–2021 учебном году.", kzt("1 395 000 тенге"), kzt("85 250 тенге")),
            format!("Cost per graduate in 2022–2023: {}, down {} on 2020–2021.", kzt("1 395 000 KZT"), kzt("85 250 KZT")),
        ]
    );
    let why = NotComputable::ZeroDenominator {
        what: "graduates".into(),
    };
    assert_eq!(
        all(|l| card_not_computable(&employment(), 2023, &why, l)),
        [
            "Түлектерді жұмысқа орналастыру 2023–2024 оқу жылында: есептелмейді (бөлгіш нөлге тең).",
            "Трудоустройство выпускников в 2023–2024 учебном году: не рассчитывается (знаменатель равен нулю).",
            "Graduate employment in 2023–2024: not computable (the denominator is zero).",
        ]
    );
}

#[test]
fn peer_positions_median_band_and_outlier() {
    // Ten values of the comparative tests: median 68.5; 90.3 is an outlier (robust z 4.6),
    // percentile 95, rank 1; gap 90.3 − 68.5 = 21.8.
    let x = [61.2, 74.0, 68.5, 70.1, 55.0, 68.5, 90.3, 66.0, 68.5, 72.4];
    let peers: Vec<(usize, f64)> = x.iter().copied().enumerate().collect();
    let cmp = peer_positions(&peers, Direction::Higher).unwrap();
    let say = |i: usize, l| {
        position_sentence(
            &employment(),
            cmp.direction,
            cmp.n,
            &cmp.reference,
            &cmp.positions[i],
            l,
        )
    };
    assert_eq!(
        all(|l| say(6, l)),
        [
            "Түлектерді жұмысқа орналастыру: 90,3%, 10 ұйымның ішінде 1-орын (процентиль 95), топ медианасынан (68,5%) 21,8 п.п. жақсы; ерекше мән.",
            "Трудоустройство выпускников: 90,3%, 1-е место из 10 (процентиль 95), на 21,8 п.п. лучше медианы группы (68,5%); выброс.",
            "Graduate employment: 90.3%, ranked 1st of 10 (percentile 95), 21.8 percentage points better than the peer median (68.5%); an outlier.",
        ]
    );
    // 61.2: rank 9, percentile 15, 7.3 points below the median; 68.5: tied 5th, level with it
    assert_eq!(
        say(0, Lang::Ru),
        "Трудоустройство выпускников: 61,2%, 9-е место из 10 (процентиль 15), на 7,3 п.п. хуже медианы группы (68,5%)."
    );
    assert_eq!(
        say(2, Lang::En),
        "Graduate employment: 68.5%, ranked 5th of 10 (percentile 45), level with the peer median (68.5%)."
    );
    // target band 80–100 % of capacity: 112 is 12 points above
    let cap = Subject::new(
        Labels {
            kk: "Орындардың толымдылығы".into(),
            ru: "Загруженность".into(),
            en: "Capacity utilisation".into(),
            ky: "Орундардын толтурулушу".into(),
        },
        "%",
    );
    let band = Direction::Target {
        min: 80.0,
        max: 100.0,
    };
    let cmp = peer_positions(&[("a", 112.0), ("b", 95.0), ("c", 70.0)], band).unwrap();
    let say =
        |i: usize, l| position_sentence(&cap, band, cmp.n, &cmp.reference, &cmp.positions[i], l);
    assert_eq!(
        all(|l| say(0, l)),
        [
            "Орындардың толымдылығы: 112,0%, 3 ұйымның ішінде 3-орын (процентиль 83), мақсатты аралықтан (80,0–100,0%) 12,0 п.п. жоғары.",
            "Загруженность: 112,0%, 3-е место из 3 (процентиль 83), на 12,0 п.п. выше целевого диапазона (80,0–100,0%).",
            "Capacity utilisation: 112.0%, ranked 3rd of 3 (percentile 83), 12.0 percentage points above the target band (80.0–100.0%).",
        ]
    );
    assert_eq!(
        say(1, Lang::Kk),
        "Орындардың толымдылығы: 95,0%, 3 ұйымның ішінде 1-орын (процентиль 50), мақсатты аралық ішінде (80,0–100,0%)."
    );
}

#[test]
fn distributions_with_units_and_russian_genitive() {
    // np.quantile([420, 515.5, 380.25, 610, 455], [0,.25,.5,.75,1]) -> [380.25 420. 455. 515.5 610.]
    let exam = Subject::new(
        Labels {
            kk: "ҰБТ орташа балы".into(),
            ru: "Средний балл ЕНТ".into(),
            en: "Mean UNT score".into(),
            ky: "ЖРТнын орточо баллы".into(),
        },
        "points",
    );
    let d = distribution(&[420.0, 515.5, 380.25, 610.0, 455.0]).unwrap();
    assert_eq!(
        all(|l| distribution_sentence(&exam, &d, l)),
        [
            "ҰБТ орташа балы 5 ұйым бойынша: медиана 455,0 балл, мәндердің ортаңғы жартысы 420,0–515,5 балл, ауқымы 380,3–610,0 балл.",
            "Средний балл ЕНТ в группе из 5 организаций: медиана 455,0 балла, средняя половина значений 420,0–515,5 балла, размах 380,3–610,0 балла.",
            "Mean UNT score across 5 organisations: median 455.0 points, middle half 420.0–515.5 points, range 380.3–610.0 points.",
        ]
    );
    let one = distribution(&[7.0; 21]).unwrap();
    let ratio = Subject::new(Labels::same("Pupils per teacher"), "ratio");
    assert_eq!(
        distribution_sentence(&ratio, &one, Lang::Ru),
        "Pupils per teacher в группе из 21 организации: медиана 7,0, средняя половина значений 7,0–7,0, размах 7,0–7,0."
    );
}

pub(crate) fn criterion(
    id: &str,
    kk: &str,
    ru: &str,
    en: &str,
    contribution: f64,
) -> CriterionOutcome {
    CriterionOutcome {
        id: id.into(),
        labels: Labels {
            kk: kk.into(),
            ru: ru.into(),
            en: en.into(),
            ky: String::new(),
        },
        indicator: id.into(),
        weight: 1.0,
        gross: false,
        value: Some(1.0),
        thresholds: None,
        score: Some(0.5),
        contribution,
        share_of_score: None,
        not_computable: None,
    }
}

pub(crate) fn assessment(score: Option<f64>, degree: Degree, share: f64) -> RiskAssessment {
    RiskAssessment {
        org: OrgIdx(0),
        org_id: "C-001".into(),
        level: Level::College,
        year: 2023,
        score,
        degree,
        computable_weight_share: share,
        gross_trigger: None,
        criteria: vec![
            criterion("dropout", "Оқудан шығу", "Отсев", "Dropout rate", 22.4),
            criterion(
                "employment",
                "Жұмысқа орналасу",
                "Трудоустройство",
                "Employment",
                21.0,
            ),
        ],
    }
}

#[test]
fn risk_degrees_gross_and_insufficient() {
    let a = assessment(Some(64.2), Degree::Medium, 1.0);
    assert_eq!(
        all(|l| risk_sentence(&a, l)),
        [
            "2023–2024 оқу жылындағы тәуекел: орташа (100 балдық шкала бойынша 64); ең үлкен үлес — «Оқудан шығу» (22 балл).",
            "Риск в 2023–2024 учебном году: средний (64 из 100 баллов); наибольший вклад — «Отсев» (22 балла).",
            "Risk in 2023–2024: medium (64 of 100 points); largest contribution: “Dropout rate” (22 points).",
        ]
    );
    let mut g = assessment(Some(100.0), Degree::High, 1.0);
    g.gross_trigger = Some("employment".into());
    assert_eq!(
        all(|l| risk_sentence(&g, l)),
        [
            "2023–2024 оқу жылындағы тәуекел: жоғары, себебі «Жұмысқа орналасу» критерийі сыни шекке жетті.",
            "Риск в 2023–2024 учебном году: высокий, так как критерий «Трудоустройство» достиг критического порога.",
            "Risk in 2023–2024: high, because “Employment” reached its critical threshold.",
        ]
    );
    let i = assessment(Some(30.0), Degree::InsufficientData, 0.45);
    assert_eq!(
        all(|l| risk_sentence(&i, l)),
        [
            "2023–2024 оқу жылындағы тәуекел бағаланбайды: деректер критерийлер салмағының тек 45%-ын қамтиды.",
            "Риск в 2023–2024 учебном году оценить нельзя: данные есть лишь для 45% веса критериев.",
            "Risk in 2023–2024 cannot be assessed: only 45% of the criteria weight has data.",
        ]
    );
    // 21 points: "балл" in Russian
    let mut one = assessment(Some(21.0), Degree::Low, 1.0);
    one.criteria.remove(0);
    assert_eq!(
        risk_sentence(&one, Lang::Ru),
        "Риск в 2023–2024 учебном году: низкий (21 из 100 баллов); наибольший вклад — «Трудоустройство» (21 балл)."
    );
}

#[test]
fn cohort_with_thousands() {
    // Two grades, p 0.9, d 0.1, no repetition: 1000 → 900 → 810 graduates,
    // 1900 pupil-years, 1900 / 810 = 2.345… per graduate, CoE 1620 / 1900 = 0.8526…
    let rates = [GradeRates {
        promotion: 0.9,
        repetition: 0.0,
        dropout: 0.1,
    }; 2];
    let f = reconstruct_cohort(&rates, &CohortOptions::default()).unwrap();
    assert_eq!(
        all(|l| cohort_sentence(&f, l)),
        [
            format!("1{NBSP}000 оқушыдан 810 түлек шығады; бір түлекке 2,3 оқушы-жыл жұмсалады (тиімділік коэффициенті 0,85)."),
            format!("Из 1{NBSP}000 поступивших окончат обучение 810; на одного выпускника затрачивается 2,3 ученико-года (коэффициент эффективности 0,85)."),
            format!("Of 1{NBSP}000 entrants, 810 graduate; 2.3 pupil-years are spent per graduate (coefficient of efficiency 0.85)."),
        ]
    );
}

#[test]
fn signals_interval_change_and_none() {
    use kpi_stats::signals;
    // Fit on 2018–2022 [80, 81, 80.5, 81.5, 81], predict 2023 (python3, numpy + scipy.stats):
    //   r = stats.linregress(x, y); s = sqrt(SSE/3); h = stats.t.ppf(0.975, 3)*s*sqrt(1 + 1/5 + (2023 − x̄)²/Sxx)
    //   -> ŷ 81.55, interval 79.36242983663574 – 83.73757016336428
    let s = [
        (2018, Some(80.0)),
        (2019, Some(81.0)),
        (2020, Some(80.5)),
        (2021, Some(81.5)),
        (2022, Some(81.0)),
        (2023, Some(70.0)),
    ];
    let sig = signals(&s, Direction::Higher).unwrap();
    assert_eq!(
        all(|l| signals_sentence(&employment(), &sig, l)),
        [
            "Түлектерді жұмысқа орналастыру 2023–2024 оқу жылында: 70,0%, 2018–2022 жылдардағы үрдістің 95% болжам аралығынан (79,4–83,7%) төмен, нашарлау белгісі.",
            "Трудоустройство выпускников в 2023–2024 учебном году: 70,0%, ниже 95%-го интервала прогноза по тренду 2018–2022 годов (79,4–83,7%), сигнал ухудшения.",
            "Graduate employment in 2023–2024: 70.0%, below the 95% prediction interval of the 2018–2022 trend (79.4–83.7%), a signal of deterioration.",
        ]
    );
    // History [70, 70.5, 71, 80, 80.5]: interval for 2023 is 71.15–95.95 (same script), so 89.5
    // stays inside; past changes [0.5, 0.5, 9, 0.5]: median 0.5, MAD 0, mean absolute deviation
    // 2.125 → robust SD 1.253314 × 2.125 = 2.663; |9 − 0.5| = 8.5 > 3 × 2.663: unusual change.
    let s = [
        (2018, Some(70.0)),
        (2019, Some(70.5)),
        (2020, Some(71.0)),
        (2021, Some(80.0)),
        (2022, Some(80.5)),
        (2023, Some(89.5)),
    ];
    let sig = signals(&s, Direction::Higher).unwrap();
    assert_eq!(sig.fired.len(), 1);
    assert_eq!(
        all(|l| signals_sentence(&employment(), &sig, l)),
        [
            "Түлектерді жұмысқа орналастыру 2023–2024 оқу жылында: 89,5%, жылына 9,0 п.п. әдеттен тыс өсу (әдеттегі өзгеріс: +0,5 п.п.), жақсару белгісі.",
            "Трудоустройство выпускников в 2023–2024 учебном году: 89,5%, необычный рост на 9,0 п.п. в год (обычное изменение: +0,5 п.п.), сигнал улучшения.",
            "Graduate employment in 2023–2024: 89.5%, an unusual rise of 9.0 percentage points a year (typical change: +0.5 percentage points), a signal of improvement.",
        ]
    );
    let s = [
        (2018, Some(80.0)),
        (2019, Some(81.0)),
        (2020, Some(80.5)),
        (2021, Some(81.5)),
        (2022, Some(81.0)),
        (2023, Some(81.2)),
    ];
    let sig = signals(&s, Direction::Higher).unwrap();
    assert_eq!(
        signals_sentence(&employment(), &sig, Lang::Ru),
        "Трудоустройство выпускников в 2023–2024 учебном году: 81,2%, в пределах обычного (сигналов нет)."
    );
}

mod properties {
    use super::*;
    use kpi_stats::analyse_series;
    use proptest::prelude::*;

    fn arb_value() -> impl Strategy<Value = Option<f64>> {
        prop_oneof![
            6 => (-1e9f64..1e9).prop_map(Some),
            3 => (0i32..100).prop_map(|v| Some(f64::from(v))),
            1 => Just(None),
            1 => prop_oneof![Just(Some(f64::NAN)), Just(Some(f64::INFINITY)), Just(Some(-1e300))],
        ]
    }

    proptest! {
        /// Whatever the series, every sentence is produced without a panic and
        /// shows no NaN, infinity or placeholder.
        #[test]
        fn prop_sentences_are_always_clean(
            values in prop::collection::vec(arb_value(), 0..12),
            first in 1990i32..2030,
            unit in prop_oneof![Just("%"), Just("KZT"), Just("points"), Just("ratio")],
        ) {
            let series: Vec<_> = values.iter().enumerate().map(|(i, v)| (first + i as i32, *v)).collect();
            let subject = Subject::new(Labels::same("X"), unit);
            let Ok(a) = analyse_series(&series, Direction::Higher) else { return Ok(()); };
            for lang in Lang::ALL {
                let mut texts = vec![trend_summary(&subject, &a.trend, lang)];
                texts.extend(a.years.iter().map(|r| card_sentence(&subject, r, lang)));
                if let Ok(s) = &a.signals {
                    texts.push(signals_sentence(&subject, s, lang));
                }
                let finite: Vec<f64> = series.iter().filter_map(|p| p.1).filter(|v| v.is_finite()).collect();
                if let Ok(d) = distribution(&finite) {
                    texts.push(distribution_sentence(&subject, &d, lang));
                }
                for t in texts {
                    prop_assert!(!t.contains("NaN") && !t.contains("inf") && !t.contains('—'), "{t}");
                    prop_assert!(t.ends_with('.'), "{t}");
                }
            }
        }
    }
}

#[test]
fn rate_significance_and_composite_ranks() {
    use kpi_model::Family;
    use kpi_stats::{
        composite_index, rate_significance, CompositeIndicator, CompositeOptions, RateScale,
    };
    // statsmodels proportion_confint(12, 80, method='wilson') -> (0.08794040506163546, 0.24413228561323347)
    let r = rate_significance(12.0, 80.0, RateScale::Percent, 20.0, Direction::Lower).unwrap();
    assert_eq!(
        all(|l| rate_sentence(&dropout(), &r, l)),
        [
            "Оқудан шығу: 15,0% (80 ішінен 12; 95% аралық 8,8–24,4%), топ медианасынан (20,0%) айтарлықтай айырмашылығы жоқ.",
            "Отсев: 15,0% (12 из 80; 95%-й интервал 8,8–24,4%), значимо не отличается от медианы группы (20,0%).",
            "Dropout rate: 15.0% (12 of 80; 95% interval 8.8–24.4%), not significantly different from the peer median (20.0%).",
        ]
    );
    // The composite of the comparative tests (numpy): default weights rank u2 (66.67) first;
    // u4 has 50 % of the weight → unranked with its partial index 50.
    let e = [("u1", 80.0), ("u2", 60.0), ("u3", 70.0), ("u4", 90.0)];
    let s = [
        ("u1", 3.5),
        ("u2", 4.0),
        ("u3", 3.0),
        ("u4", 3.0),
        ("u5", 4.5),
    ];
    let d = [("u1", 5.0), ("u2", 2.0), ("u3", 8.0)];
    let inds = [
        CompositeIndicator {
            code: "e",
            family: Family::Outcome,
            direction: Direction::Higher,
            values: &e,
        },
        CompositeIndicator {
            code: "s",
            family: Family::Outcome,
            direction: Direction::Higher,
            values: &s,
        },
        CompositeIndicator {
            code: "d",
            family: Family::Process,
            direction: Direction::Lower,
            values: &d,
        },
    ];
    let idx = composite_index(&inds, None, &CompositeOptions::default()).unwrap();
    let n = idx.ranked.len();
    assert_eq!(
        all(|l| composite_sentence(&idx.ranked[0], n, idx.min_coverage, l)),
        [
            "Жиынтық индекс: 100-ден 66,7, 3 ұйымның ішінде 1-орын (деректер салмақтың 100%-ын қамтиды).",
            "Сводный индекс: 66,7 из 100, 1-е место из 3 (данные по 100% веса).",
            "Composite index: 66.7 of 100, ranked 1st of 3 (data for 100% of the weight).",
        ]
    );
    assert_eq!(
        all(|l| composite_sentence(&idx.unranked[0], n, idx.min_coverage, l)),
        [
            "Жиынтық индекс: салмақтың 50%-ы бойынша 100-ден 50,0; рейтингке енбеді (кемінде 60% қажет).",
            "Сводный индекс: 50,0 из 100 по 50% веса; без места в рейтинге (нужно не менее 60%).",
            "Composite index: 50.0 of 100 from 50% of the weight; not ranked (60% needed).",
        ]
    );
}

#[test]
fn trend_sentence_says_when_mann_kendall_disagrees() {
    use kpi_stats::dynamic::mann_kendall;
    // The issue's series: OLS p = 0.0253 (scipy.stats.linregress, see above), while
    // Mann–Kendall by hand: S = −4 − 1 − 2 + 1 = −6, Var(S) = 5·4·15/18 = 16.667,
    // z = (S + 1)/√Var = −1.2247, p = erfc(1.2247/√2) = 0.2207.
    let s = [
        (2020, Some(78.8)),
        (2021, Some(74.5)),
        (2022, Some(75.0)),
        (2023, Some(70.0)),
        (2024, Some(70.5)),
    ];
    let (t, m) = (
        linear_trend(&s, Direction::Higher),
        mann_kendall(&s, Direction::Higher),
    );
    let mk = m.as_ref().unwrap();
    assert_eq!(mk.s, -6);
    assert!((mk.p_value - 0.2207).abs() < 1e-4, "{}", mk.p_value);
    assert_eq!(
        all(|l| trend_summary_checked(&employment(), &t, &m, l)),
        [
            "Түлектерді жұмысқа орналастыру 2020–2024 жылдары жылына орта есеппен 2,1 п.п. төмендеді (p = 0,03), бұл нашарлауды білдіреді. Сызықтықты болжамайтын Манн — Кендалл тесті айтарлықтай үрдіс таппады (p = 0,22): төмендеу сенімді емес.",
            "В 2020–2024 годах показатель «Трудоустройство выпускников» снижался в среднем на 2,1 п.п. в год (p = 0,03), это ухудшение. Тест Манна — Кендалла, не предполагающий линейности, значимой тенденции не находит (p = 0,22): снижение не бесспорно.",
            "Graduate employment fell by an average of 2.1 percentage points a year in 2020–2024 (p = 0.03), a deterioration. The Mann–Kendall test, which does not assume a straight line, finds no significant trend (p = 0.22): the decline is not certain.",
        ]
    );

    // The other way round: nine years rising by 0.1, then a fall to 0. OLS (by hand):
    // slope −0.4945, t = −1.441 with 8 degrees of freedom, |t| < t(0.975, 8) = 2.306: not
    // significant. Mann–Kendall: S = 36 − 9 = 27, Var(S) = 10·9·25/18 = 125,
    // z = 26/√125 = 2.3255, p = 0.0200; Sen's slope: the median of 36 slopes of 0.1 and
    // 9 negative ones, 0.1.
    let s: Vec<(i32, Option<f64>)> = (2015..=2024)
        .zip([10.0, 10.1, 10.2, 10.3, 10.4, 10.5, 10.6, 10.7, 10.8, 0.0])
        .map(|(y, v)| (y, Some(v)))
        .collect();
    let (t, m) = (
        linear_trend(&s, Direction::Higher),
        mann_kendall(&s, Direction::Higher),
    );
    let lt = t.as_ref().unwrap();
    assert!((lt.slope + 0.494545).abs() < 1e-6 && lt.p_value > 0.05);
    let mk = m.as_ref().unwrap();
    assert!((mk.p_value - 0.020045).abs() < 1e-5 && (mk.sen_slope - 0.1).abs() < 1e-12);
    let text = all(|l| trend_summary_checked(&employment(), &t, &m, l));
    assert!(text[2].ends_with(" The Mann–Kendall test, which does not assume a straight line, does find a significant rising trend (p = 0.02; Sen's slope 0.1 percentage points a year)."), "{}", text[2]);
    assert!(text[1].ends_with(" Тест Манна — Кендалла, не предполагающий линейности, находит значимую тенденцию к росту (p = 0,02; наклон Сена 0,1 п.п. в год)."), "{}", text[1]);
    assert!(text[0].ends_with(" Сызықтықты болжамайтын Манн — Кендалл тесті айтарлықтай өсу үрдісін тапты (p = 0,02; Сен көлбеуі жылына 0,1 п.п.)."), "{}", text[0]);

    // Agreement: one sentence only (the falling-dropout series above).
    let s = [
        (2019, Some(6.2)),
        (2020, Some(5.1)),
        (2021, Some(4.8)),
        (2022, Some(3.9)),
        (2023, Some(3.1)),
    ];
    let one = trend_summary_checked(
        &dropout(),
        &linear_trend(&s, Direction::Lower),
        &mann_kendall(&s, Direction::Lower),
        Lang::En,
    );
    assert_eq!(
        one,
        "Dropout rate fell by an average of 0.7 percentage points a year in 2019–2023 (p = 0.001), an improvement."
    );
}

#[test]
fn forecast_sentence_in_three_languages() {
    use kpi_stats::dynamic::forecast;
    // 10, 12, 13, 15 % in 2020–2023: ŷ(2024) = 12.5 + 1.6·2.5 = 16.5; residuals −0.1, 0.3,
    // −0.3, 0.1 → SSE 0.2, s = √0.1; half-width t(0.975, 2)·s·√(1 + 1/4 + 6.25/5)
    // = 4.302653 · 0.316228 · 1.581139 = 2.151 → 14.3 to 18.7.
    let f = forecast(
        &[
            (2020, Some(10.0)),
            (2021, Some(12.0)),
            (2022, Some(13.0)),
            (2023, Some(15.0)),
        ],
        1,
    )
    .unwrap();
    let p = &f.points[0];
    assert!(
        (p.upper - p.value - 2.151_33).abs() < 1e-4,
        "{}",
        p.upper - p.value
    );
    assert_eq!(
        all(|l| forecast_sentence(&employment(), &f, l).unwrap_or_default()),
        [
            "Түлектерді жұмысқа орналастыру: 2020–2023 жылдардағы үрдіс сақталса, 2024 жылға болжам — 16,5% (95% болжам аралығы 14,3%–18,7%).",
            "Трудоустройство выпускников: прогноз на 2024 год — 16,5% (95% интервал прогноза от 14,3% до 18,7%), если сохранится тенденция 2020–2023 годов.",
            "Graduate employment: forecast for 2024 is 16.5% (95% prediction interval 14.3% to 18.7%) if the 2020–2023 trend continues.",
        ]
    );
}
