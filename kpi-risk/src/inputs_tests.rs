//! Risk assessed on indicators really computed from a small dataset, with
//! scores and degrees worked out by hand.

use super::*;
use kpi_indicators::{compute, Catalogue};
use kpi_model::{Dataset, DatasetBuilder, Level};

/// Five colleges, 2022–2023. In 2022 each has 100 graduates and 1000 learners.
fn colleges() -> Dataset {
    // (id, employed of 100, expelled of 1000, satisfaction share, accredited)
    let rows = [
        ("C1", 60.0, 50.0, 0.6, 1.0),
        ("C2", 80.0, 20.0, 0.7, 1.0),
        ("C3", 75.0, 30.0, 0.8, 1.0),
        ("C4", 55.0, 60.0, 0.9, 1.0),
        ("C5", 40.0, 100.0, 0.5, 0.0),
    ];
    let mut b = DatasetBuilder::new(2022, 2023);
    for (id, ..) in rows {
        b = b.org(id, Level::College, "Almaty");
    }
    for (id, employed, expelled, sat, acc) in rows {
        b = b
            .value(id, None, 2022, "graduates", 100.0)
            .value(id, None, 2022, "graduates_employed", employed)
            .value(id, None, 2022, "students_enrolled", 1000.0)
            .value(id, None, 2022, "expelled", expelled)
            .value(id, None, 2022, "satisfaction_students", sat)
            .value(id, None, 2022, "accredited", acc);
    }
    // 2023: C1 only the accreditation flag; C2 employment and the flag.
    b.value("C1", None, 2023, "accredited", 1.0)
        .value("C2", None, 2023, "accredited", 1.0)
        .value("C2", None, 2023, "graduates", 100.0)
        .value("C2", None, 2023, "graduates_employed", 80.0)
        .build()
}

const CRITERIA: &str = r#"
[degrees]
low_max = 30
medium_max = 70
min_computable_weight_share = 0.6
min_peers = 5

[[criterion]]
id = "c.employment"
indicator = "employment_rate"
levels = ["college"]
weight = 2
warn = 70
critical = 50

[[criterion]]
id = "c.dropout"
indicator = "dropout_rate"
levels = ["college"]
weight = 1
warn = 3
critical = 8

[[criterion]]
id = "c.satisfaction"
indicator = "student_satisfaction"
levels = ["college"]
weight = 1
peer_percentile = { warn = 25, critical = 10 }

[[criterion]]
id = "c.accreditation"
indicator = "accreditation"
levels = ["college"]
weight = 1
warn = 1
critical = 0
gross = true
"#;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn risk_on_computed_indicators_matches_hand_scores() {
    let ds = colleges();
    let cat = Catalogue::builtin();
    let table = compute(&ds, &cat);
    let criteria = CriteriaSet::from_toml_str("t.toml", CRITERIA).unwrap();
    criteria
        .check("t.toml", |c| cat.by_code(c).map(|d| d.direction))
        .unwrap();
    let risk = assess(
        &ds,
        &IndicatorInputs::new(&table),
        &criteria,
        &RiskFilter::default(),
    );
    let get = |id: &str, year| risk.get(ds.org_by_id(id).unwrap(), year).unwrap();
    // Satisfaction 2022 of the five (×100): 60, 70, 80, 90, 50 → sorted 50 60 70 80 90.
    // Type-7: warn = Q(0.25), h = 4·0.25 = 1 → 60; critical = Q(0.10), h = 0.4 → 50 + 0.4·10 = 54.

    // C1: employment 60 → (70 − 60)/(70 − 50) = 0.5; dropout 5% → (5 − 3)/(8 − 3) = 0.4;
    // satisfaction 60 ≥ 60 → 0; accredited → 0.
    // R = 100 · (2·0.5 + 1·0.4) / 5 = 28 → low.
    let c1 = get("C1", 2022);
    assert!(close(c1.score.unwrap(), 28.0), "{:?}", c1.score);
    assert_eq!(c1.degree, Degree::Low);
    assert!(close(c1.computable_weight_share, 1.0));
    let top = c1.top_criterion().unwrap();
    assert_eq!(top.id, "c.employment");
    assert!(close(top.contribution, 20.0)); // 100 · 2 · 0.5 / 5
    let sat = c1
        .criteria
        .iter()
        .find(|c| c.id == "c.satisfaction")
        .unwrap();
    let t = sat.thresholds.unwrap();
    assert!(close(t.warn, 60.0) && close(t.critical, 54.0), "{t:?}");

    // C4: employment 55 → 15/20 = 0.75; dropout 6% → 3/5 = 0.6; satisfaction 90 → 0.
    // R = 100 · (1.5 + 0.6) / 5 = 42 → medium.
    let c4 = get("C4", 2022);
    assert!(close(c4.score.unwrap(), 42.0), "{:?}", c4.score);
    assert_eq!(c4.degree, Degree::Medium);

    // C2: employment 80, dropout 2%, satisfaction 70, accredited: all 0 → R = 0, low.
    let c2 = get("C2", 2022);
    assert_eq!((c2.score, c2.degree), (Some(0.0), Degree::Low));

    // C5: not accredited (gross, 0 ≤ critical 0 → s = 1) → R = 100, high.
    let c5 = get("C5", 2022);
    assert_eq!((c5.score, c5.degree), (Some(100.0), Degree::High));
    assert_eq!(c5.gross_trigger.as_deref(), Some("c.accreditation"));

    // 2023, C1: only accreditation computable: 1 of 5 weight = 20% < 60% →
    // insufficient data; the partial score 0 is still shown.
    let c1 = get("C1", 2023);
    assert_eq!(c1.degree, Degree::InsufficientData);
    assert_eq!(c1.score, Some(0.0));
    assert!(close(c1.computable_weight_share, 0.2));
    let dropout = c1.criteria.iter().find(|c| c.id == "c.dropout").unwrap();
    assert_eq!(
        dropout
            .not_computable
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("missing expelled in 2023")
    );
    // 2023, C2: employment (2) + accreditation (1) = 3 of 5 = 60% → enough; R = 0 → low.
    let c2 = get("C2", 2023);
    assert!(close(c2.computable_weight_share, 0.6));
    assert_eq!((c2.score, c2.degree), (Some(0.0), Degree::Low));
    let sat = c2
        .criteria
        .iter()
        .find(|c| c.id == "c.satisfaction")
        .unwrap();
    assert!(sat
        .not_computable
        .as_ref()
        .map(ToString::to_string)
        .as_deref()
        .unwrap()
        .contains("missing satisfaction_students in 2023"));
    // History: C1 low in 2022, insufficient in 2023: no rise flagged.
    let h = risk.history(ds.org_by_id("C1").unwrap());
    assert_eq!(h.len(), 2);
    assert!(!h[1].degree_rose);
}

#[test]
fn shipped_criteria_run_on_computed_indicators() {
    // An unaccredited university: the shipped gross criterion makes it high
    // whatever else is known.
    let ds = DatasetBuilder::new(2023, 2023)
        .org("U1", Level::University, "Astana")
        .org("U2", Level::University, "Astana")
        .value("U1", None, 2023, "accredited", 0.0)
        .value("U2", None, 2023, "accredited", 1.0)
        .build();
    let table = compute(&ds, &Catalogue::builtin());
    let risk = assess(
        &ds,
        &IndicatorInputs::new(&table),
        &CriteriaSet::builtin(),
        &RiskFilter::default(),
    );
    let u1 = risk.get(ds.org_by_id("U1").unwrap(), 2023).unwrap();
    assert_eq!((u1.score, u1.degree), (Some(100.0), Degree::High));
    assert_eq!(
        u1.gross_trigger.as_deref(),
        Some("university.accreditation")
    );
    // U2: only accreditation known: far below 60% of the weight → insufficient
    // data, never "low".
    let u2 = risk.get(ds.org_by_id("U2").unwrap(), 2023).unwrap();
    assert_eq!(u2.degree, Degree::InsufficientData);
    // No criterion names an unknown indicator.
    for a in &risk.assessments {
        for c in &a.criteria {
            assert!(
                !c.not_computable
                    .as_ref()
                    .map(ToString::to_string)
                    .as_deref()
                    .unwrap_or("")
                    .contains("unknown indicator"),
                "{}: {:?}",
                c.id,
                c.not_computable
            );
        }
    }
}

#[test]
fn summary_agrees_with_the_full_assessment() {
    let ds = colleges();
    let cat = Catalogue::builtin();
    let table = compute(&ds, &cat);
    let inputs = IndicatorInputs::new(&table);
    for criteria in [
        CriteriaSet::from_toml_str("t.toml", CRITERIA).unwrap(),
        CriteriaSet::builtin(),
    ] {
        let full = assess(&ds, &inputs, &criteria, &RiskFilter::default());
        let summary = assess_summary(&ds, &inputs, &criteria, &RiskFilter::default());
        assert_eq!(full.assessments.len(), summary.len());
        for (a, s) in full.assessments.iter().zip(&summary) {
            assert_eq!((a.org, a.year), (s.org, s.year));
            assert_eq!(a.score, s.score);
            assert_eq!(a.degree, s.degree);
            assert_eq!(a.computable_weight_share, s.computable_weight_share);
            let id = |i: Option<usize>| i.map(|i| criteria.criteria()[i].id.clone());
            assert_eq!(a.top_criterion().map(|c| c.id.clone()), id(s.top_criterion));
            assert_eq!(a.gross_trigger, id(s.gross_trigger));
        }
    }
    // The hand-computed case: C4 2022 → 42, medium, top c.employment.
    let criteria = CriteriaSet::from_toml_str("t.toml", CRITERIA).unwrap();
    let c4 = ds.org_by_id("C4").unwrap();
    let s = assess_summary(&ds, &inputs, &criteria, &RiskFilter::default())
        .into_iter()
        .find(|s| s.org == c4 && s.year == 2022)
        .unwrap();
    assert!(close(s.score.unwrap(), 42.0));
    assert_eq!(
        criteria.criteria()[s.top_criterion.unwrap()].id,
        "c.employment"
    );
    // assess_orgs: one organisation, same numbers as in the full table.
    let one = assess_orgs(&ds, &inputs, &criteria, &RiskFilter::default(), Some(&[c4]));
    assert_eq!(one.assessments.len(), 2);
    assert!(close(one.get(c4, 2022).unwrap().score.unwrap(), 42.0));
}

#[test]
fn every_indicator_of_the_shipped_criteria_exists_with_a_direction() {
    let cat = Catalogue::builtin();
    let criteria = CriteriaSet::builtin();
    // `check` fails on the first criterion whose indicator is unknown, or whose
    // fixed thresholds lie on the wrong side for the indicator's direction.
    criteria
        .check("criteria.toml", |code| {
            cat.by_code(code).map(|d| d.direction)
        })
        .unwrap_or_else(|e| panic!("{e}"));
    // And the check can fail: without `accreditation` it names the criterion.
    let without = cat
        .select(
            &cat.iter()
                .map(|(_, d)| d.code.as_str())
                .filter(|c| *c != "accreditation")
                .collect::<Vec<_>>(),
        )
        .unwrap();
    let err = criteria
        .check("criteria.toml", |code| {
            without.by_code(code).map(|d| d.direction)
        })
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown indicator `accreditation`"),
        "{err}"
    );
}
