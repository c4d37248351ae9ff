//! Exact Kyrgyz sentences, written by hand from the same results as `tests.rs`.
//!
//! What they check beyond the words: the case ending after a number follows the number as
//! read aloud and vowel harmony (`пунктка`, `3,15-тен`, `2,40-ка`, `2,00-дөн`), numbers use
//! a no-break space between thousands and a decimal comma, and a Kyrgyz label missing from
//! the data falls back to the Russian one.

use super::tests::{assessment, dropout, employment};
use super::*;
use kpi_model::i18n::{Labels, Lang};
use kpi_model::Direction;
use kpi_risk::{Degree, StudentFlag};
use kpi_stats::{
    distribution, linear_trend, peer_positions, reconstruct_cohort, year_table, CohortOptions,
    GradeRates,
};

const NBSP: &str = "\u{a0}";

#[test]
fn trends_take_the_change_in_the_dative() {
    // Slope −2.11, p 0.0253 (scipy, tests.rs): «2,1 пайыздык пунктка төмөндөдү».
    let s = [
        (2020, Some(78.8)),
        (2021, Some(74.5)),
        (2022, Some(75.0)),
        (2023, Some(70.0)),
        (2024, Some(70.5)),
    ];
    let t = linear_trend(&s, Direction::Higher).unwrap();
    assert_eq!(
        trend_sentence(&employment(), &t, Lang::Ky),
        "Бүтүрүүчүлөрдүн жумушка орношуусу 2020–2024-жылдары жылына орто эсеп менен 2,1 пайыздык пунктка төмөндөдү (p = 0,03), бул начарлоону билдирет."
    );
    let s = [
        (2019, Some(6.2)),
        (2020, Some(5.1)),
        (2021, Some(4.8)),
        (2022, Some(3.9)),
        (2023, Some(3.1)),
    ];
    let t = linear_trend(&s, Direction::Lower).unwrap();
    assert_eq!(
        trend_sentence(&dropout(), &t, Lang::Ky),
        "Окуудан чыгып кетүү 2019–2023-жылдары жылына орто эсеп менен 0,7 пайыздык пунктка төмөндөдү (p = 0,001), бул жакшырууну билдирет."
    );
    let flat = linear_trend(
        &[
            (2019, Some(4.1)),
            (2020, Some(4.4)),
            (2021, Some(3.9)),
            (2022, Some(4.6)),
            (2023, Some(4.2)),
        ],
        Direction::Lower,
    );
    assert_eq!(
        trend_summary(&dropout(), &flat, Lang::Ky),
        "Окуудан чыгып кетүү: 2019–2023-жылдары маанилүү тенденция жок (p = 0,70)."
    );
    let short = linear_trend(&[(2022, Some(3.0)), (2023, Some(2.5))], Direction::Lower);
    assert_eq!(
        trend_summary(&dropout(), &short, Lang::Ky),
        "Окуудан чыгып кетүү: тенденцияны эсептөө мүмкүн эмес (кеминде 3 маани керек, болгону 2)."
    );
}

#[test]
fn kpi_cards_in_kyrgyz() {
    let rows = year_table(&[
        (2021, Some(70.0)),
        (2022, Some(71.5)),
        (2023, Some(74.0)),
        (2024, Some(73.96)),
    ])
    .unwrap();
    assert_eq!(
        card_sentence(&employment(), &rows[2], Lang::Ky),
        "Бүтүрүүчүлөрдүн жумушка орношуусу 2023–2024 окуу жылында: 74,0%, бул 2022–2023 окуу жылындагыдан 2,5 пайыздык пунктка жогору."
    );
    assert_eq!(
        card_sentence(&employment(), &rows[3], Lang::Ky),
        "Бүтүрүүчүлөрдүн жумушка орношуусу 2024–2025 окуу жылында: 74,0%, 2023–2024 окуу жылындагыдай эле."
    );
    // Money stays tenge (no conversion); the dative follows the unit word: «теңгеге».
    let cost = Subject::new(
        Labels {
            ky: "Бир бүтүрүүчүгө чыгым".into(),
            ..Labels::same("Cost per graduate")
        },
        "KZT",
    );
    let rows = year_table(&[(2020, Some(1_480_250.0)), (2022, Some(1_395_000.4))]).unwrap();
    assert_eq!(
        card_sentence(&cost, &rows[1], Lang::Ky),
        format!("Бир бүтүрүүчүгө чыгым 2022–2023 окуу жылында: 1{NBSP}395{NBSP}000 теңге, бул 2020–2021 окуу жылындагыдан 85{NBSP}250 теңгеге төмөн.")
    );
}

#[test]
fn peer_positions_and_distributions_in_kyrgyz() {
    let x = [61.2, 74.0, 68.5, 70.1, 55.0, 68.5, 90.3, 66.0, 68.5, 72.4];
    let peers: Vec<(usize, f64)> = x.iter().copied().enumerate().collect();
    let cmp = peer_positions(&peers, Direction::Higher).unwrap();
    let say = |i: usize| {
        position_sentence(
            &employment(),
            cmp.direction,
            cmp.n,
            &cmp.reference,
            &cmp.positions[i],
            Lang::Ky,
        )
    };
    assert_eq!(
        say(6),
        "Бүтүрүүчүлөрдүн жумушка орношуусу: 90,3%, 10 уюмдун ичинен 1-орун (процентиль 95), топтун медианасынан (68,5%) 21,8 пайыздык пунктка жакшы; өзгөчө маани."
    );
    assert_eq!(
        say(2),
        "Бүтүрүүчүлөрдүн жумушка орношуусу: 68,5%, 10 уюмдун ичинен 5-орун (процентиль 45), топтун медианасынын деңгээлинде (68,5%)."
    );
    let exam = Subject::new(
        Labels {
            ky: "ЖРТнын орточо баллы".into(),
            ..Labels::same("Mean score")
        },
        "points",
    );
    let d = distribution(&[420.0, 515.5, 380.25, 610.0, 455.0]).unwrap();
    assert_eq!(
        distribution_sentence(&exam, &d, Lang::Ky),
        "ЖРТнын орточо баллы 5 уюм боюнча: медиана 455,0 балл, маанилердин ортоңку жарымы 420,0–515,5 балл, диапазону 380,3–610,0 балл."
    );
}

#[test]
fn risk_in_kyrgyz_with_the_russian_fallback_for_a_label_without_ky() {
    let mut a = assessment(Some(64.2), Degree::Medium, 1.0);
    assert_eq!(
        risk_sentence(&a, Lang::Ky),
        "2023–2024 окуу жылындагы тобокелдик: орточо (100 баллдык шкала боюнча 64); эң чоң салым — «Отсев» (22 балл)."
    );
    a.criteria[0].labels.ky = "Окуудан чыгып кетүү".into();
    assert_eq!(
        risk_sentence(&a, Lang::Ky),
        "2023–2024 окуу жылындагы тобокелдик: орточо (100 баллдык шкала боюнча 64); эң чоң салым — «Окуудан чыгып кетүү» (22 балл)."
    );
    let mut g = assessment(Some(100.0), Degree::High, 1.0);
    g.gross_trigger = Some("employment".into());
    g.criteria[1].labels.ky = "Жумушка орношуу".into();
    assert_eq!(
        risk_sentence(&g, Lang::Ky),
        "2023–2024 окуу жылындагы тобокелдик: жогору, анткени «Жумушка орношуу» критерийи критикалык чекке жетти."
    );
    let i = assessment(Some(30.0), Degree::InsufficientData, 0.45);
    assert_eq!(
        risk_sentence(&i, Lang::Ky),
        "2023–2024 окуу жылындагы тобокелдик бааланбайт: маалыматтар критерийлердин салмагынын 45%-ын гана камтыйт."
    );
}

#[test]
fn cohort_signals_and_forecast_in_kyrgyz() {
    let rates = [GradeRates {
        promotion: 0.9,
        repetition: 0.0,
        dropout: 0.1,
    }; 2];
    let f = reconstruct_cohort(&rates, &CohortOptions::default()).unwrap();
    assert_eq!(
        cohort_sentence(&f, Lang::Ky),
        format!("1{NBSP}000 окуучудан 810 бүтүрүүчү чыгат; бир бүтүрүүчүгө 2,3 окуучу-жыл жумшалат (натыйжалуулук коэффициенти 0,85).")
    );
    let s = [
        (2018, Some(80.0)),
        (2019, Some(81.0)),
        (2020, Some(80.5)),
        (2021, Some(81.5)),
        (2022, Some(81.0)),
        (2023, Some(70.0)),
    ];
    let sig = kpi_stats::signals(&s, Direction::Higher).unwrap();
    assert_eq!(
        signals_sentence(&employment(), &sig, Lang::Ky),
        "Бүтүрүүчүлөрдүн жумушка орношуусу 2023–2024 окуу жылында: 70,0%, 2018–2022-жылдардагы тенденциянын 95% болжол аралыгынан (79,4–83,7%) төмөн, начарлоонун белгиси."
    );
    let f = kpi_stats::dynamic::forecast(
        &[
            (2020, Some(10.0)),
            (2021, Some(12.0)),
            (2022, Some(13.0)),
            (2023, Some(15.0)),
        ],
        1,
    )
    .unwrap();
    assert_eq!(
        forecast_sentence(&employment(), &f, Lang::Ky).as_deref(),
        Some("Бүтүрүүчүлөрдүн жумушка орношуусу: 2020–2023-жылдардагы тенденция сакталса, 2024-жылга болжол — 16,5% (95% болжол аралыгы 14,3%–18,7%).")
    );
}

#[test]
fn student_flags_put_case_endings_on_numbers_by_how_they_are_read() {
    // 3,15 «үч бүтүн жүздөн он беш» → -тен; 2,40 «…кырк» → -ка.
    let drop = StudentFlag::GpaDrop {
        from: 3.15,
        to: 2.4,
    };
    assert_eq!(
        student_flag_phrase(&drop, Lang::Ky),
        "семестрдик GPA 3,15-тен 2,40-ка төмөндөдү"
    );
    // 2,00 is read «эки» → -ден; 1,50 «…элүү» → -гө.
    let drop = StudentFlag::GpaDrop { from: 2.0, to: 1.5 };
    assert_eq!(
        student_flag_phrase(&drop, Lang::Ky),
        "семестрдик GPA 2,00-ден 1,50-гө төмөндөдү"
    );
    let failed = StudentFlag::FailedCourses { count: 3 };
    assert_eq!(
        student_flag_phrase(&failed, Lang::Ky),
        "FX же F алган сабактар: 3"
    );
}

#[test]
fn reasons_in_kyrgyz() {
    use kpi_stats::NotComputable;
    assert_eq!(
        reason_phrase(&NotComputable::AllValuesEqual, Lang::Ky),
        "бардык маанилер бирдей"
    );
    assert_eq!(
        reason_phrase(
            &NotComputable::NotPositive {
                year: 2022,
                value: -1.5
            },
            Lang::Ky
        ),
        "2022-жылдагы маани (−1,50) оң эмес"
    );
}
