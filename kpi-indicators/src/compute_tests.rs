//! Every built-in indicator computed on a hand-made dataset, against values
//! worked out by hand (the arithmetic is beside each expectation), plus each
//! not-computable case, `prev` across a gap year, breakdown sums, the
//! adjusted GPI above and below 1, warnings, counts and `explain`.

use super::*;
use kpi_model::validate::{Issue, IssueCode, Location, Severity};
use kpi_model::{Dataset, DatasetBuilder, Level, UnitId};

/// 2021–2023; values mostly in 2022 (2021 feeds `prev`).
fn dataset() -> Dataset {
    let b = DatasetBuilder::new(2021, 2023)
        .org("P1", Level::Preschool, "Astana")
        .org("S1", Level::School, "Almaty")
        .org("S2", Level::School, "Almaty")
        .org("C1", Level::College, "Almaty")
        .org("U1", Level::University, "Astana")
        .programme("C1", "0101000")
        .programme("U1", "6B01101");
    // P1: preschool, 2022.
    let b = b
        .value("P1", None, 2022, "students_enrolled.female", 54.0)
        .value("P1", None, 2022, "students_enrolled.male", 66.0)
        .value("P1", None, 2022, "teachers_total", 12.0)
        .value("P1", None, 2022, "capacity", 150.0)
        .value("P1", None, 2022, "area_m2", 600.0)
        .value("P1", None, 2022, "budget_kzt", 96_000_000.0)
        .value("P1", None, 2022, "teachers_top_category", 3.0)
        .value("P1", None, 2022, "teachers_trained_5y", 6.0)
        .value("P1", None, 2022, "staff_left", 0.0)
        .value("P1", None, 2022, "satisfaction_parents", 0.9)
        .value("P1", None, 2022, "satisfied_parents", 27.0)
        .value("P1", None, 2022, "answers_parents", 30.0);
    // S1: school, 2021 and 2022; nothing in 2023.
    let b = b
        .value("S1", None, 2021, "students_enrolled", 580.0)
        .value("S1", None, 2021, "graduates", 50.0)
        .value("S1", None, 2022, "students_enrolled.female", 310.0)
        .value("S1", None, 2022, "students_enrolled.male", 290.0)
        .value("S1", None, 2022, "students_admitted", 70.0)
        .value("S1", None, 2022, "teachers_fte", 40.0)
        .value("S1", None, 2022, "teachers_total", 50.0)
        .value("S1", None, 2022, "teachers_top_category", 15.0)
        .value("S1", None, 2022, "capacity", 500.0)
        .value("S1", None, 2022, "computers", 60.0)
        .value("S1", None, 2022, "library_items", 9000.0)
        .value("S1", None, 2022, "area_m2", 3000.0)
        .value("S1", None, 2022, "budget_kzt", 480_000_000.0)
        .value("S1", None, 2022, "teachers_trained_5y", 45.0)
        .value("S1", None, 2022, "staff_left", 5.0)
        .value("S1", None, 2022, "repeaters", 6.0)
        .value("S1", None, 2022, "promoted", 540.0)
        .value("S1", None, 2022, "enrolled_prev_grade", 560.0)
        .value("S1", None, 2022, "expelled", 12.0)
        .value("S1", None, 2022, "shifts", 2.0)
        .value("S1", None, 2022, "exam_takers", 80.0)
        .value("S1", None, 2022, "exam_passed", 72.0)
        .value("S1", None, 2022, "exam_score_mean", 85.5)
        .value("S1", None, 2022, "achievement_score_mean.reading", 61.0)
        .value("S1", None, 2022, "achievement_score_mean.science", 48.0)
        .value("S1", None, 2022, "final_attestation_pass", 58.0)
        .value("S1", None, 2022, "graduates", 60.0)
        .value("S1", None, 2022, "satisfaction_parents", 0.8);
    // S2: a gap year. 2021 and 2023 present, 2022 absent.
    let b = b
        .value("S2", None, 2021, "students_enrolled", 300.0)
        .value("S2", None, 2021, "graduates", 30.0)
        .value("S2", None, 2023, "students_enrolled", 320.0)
        .value("S2", None, 2023, "students_admitted", 40.0);
    // C1: college, 2021–2023; no teachers_fte (falls back to the head count).
    let b = b
        .value("C1", None, 2021, "students_enrolled", 750.0)
        .value("C1", None, 2021, "graduates", 180.0)
        .value("C1", None, 2022, "students_enrolled", 800.0)
        .value("C1", None, 2022, "teachers_total", 64.0)
        .value("C1", None, 2022, "teachers_top_category", 16.0)
        .value("C1", None, 2022, "computers", 100.0)
        .value("C1", None, 2022, "library_items", 12_000.0)
        .value("C1", None, 2022, "area_m2", 4000.0)
        .value("C1", None, 2022, "budget_kzt", 640_000_000.0)
        .value("C1", None, 2022, "applicants", 900.0)
        .value("C1", None, 2022, "students_admitted", 300.0)
        .value("C1", None, 2022, "teachers_trained_5y", 32.0)
        .value("C1", None, 2022, "staff_left", 8.0)
        .value("C1", None, 2022, "repeaters", 8.0)
        .value("C1", None, 2022, "promoted", 450.0)
        .value("C1", None, 2022, "enrolled_prev_grade", 500.0)
        .value("C1", None, 2022, "expelled", 40.0)
        .value("C1", None, 2022, "graduates", 200.0)
        .value("C1", None, 2022, "graduates_employed", 150.0)
        .value("C1", None, 2022, "graduates_further_study", 20.0)
        .value("C1", None, 2022, "final_attestation_pass", 190.0)
        .value("C1", None, 2022, "satisfaction_students", 0.75)
        .value("C1", None, 2022, "satisfied_students", 45.0)
        .value("C1", None, 2022, "answers_students", 60.0)
        .value("C1", None, 2022, "satisfaction_employers", 0.6)
        .value("C1", None, 2022, "graduates_on_time", 180.0)
        .value("C1", None, 2022, "accredited", 1.0)
        .value("C1", None, 2023, "graduates", 0.0)
        .value("C1", None, 2023, "graduates_employed", 0.0)
        .value("C1", Some("0101000"), 2022, "graduates", 50.0)
        .value("C1", Some("0101000"), 2022, "graduates_employed", 40.0);
    // U1: university, 2021–2022; one flagged cell.
    let warning = Issue {
        severity: Severity::Warning,
        code: IssueCode::SuspiciousJump,
        location: Location::file("obs.csv"),
        found: Some("820".into()),
        expected: None,
        suggestion: None,
        message: "more than 10 times the previous year".into(),
    };
    let b = b
        .value("U1", None, 2021, "students_enrolled", 4800.0)
        .value("U1", None, 2021, "graduates", 900.0)
        .value("U1", None, 2021, "students_admitted", 1200.0)
        .value("U1", None, 2022, "students_enrolled", 5000.0)
        .value("U1", None, 2022, "students_enrolled.female", 2600.0)
        .value("U1", None, 2022, "students_enrolled.male", 2400.0)
        .value("U1", None, 2022, "teachers_fte", 250.0)
        .value("U1", None, 2022, "teachers_total", 300.0)
        .value("U1", None, 2022, "teachers_with_degree", 150.0)
        .value("U1", None, 2022, "computers", 1000.0)
        .value("U1", None, 2022, "library_items", 250_000.0)
        .value("U1", None, 2022, "area_m2", 40_000.0)
        .value("U1", None, 2022, "budget_kzt", 10_000_000_000.0)
        .value("U1", None, 2022, "applicants", 4000.0)
        .value("U1", None, 2022, "students_admitted", 1250.0)
        .value("U1", None, 2022, "teachers_trained_5y", 240.0)
        .value("U1", None, 2022, "staff_left", 15.0)
        .value("U1", None, 2022, "promoted", 1140.0)
        .value("U1", None, 2022, "enrolled_prev_grade", 1200.0)
        .value("U1", None, 2022, "expelled", 150.0)
        .value("U1", None, 2022, "gpa_below_threshold", 250.0)
        .value("U1", None, 2022, "mobility_out", 60.0)
        .value("U1", None, 2022, "mobility_in", 40.0)
        .value("U1", None, 2022, "graduates", 1000.0)
        .flagged_value("U1", None, 2022, "graduates_employed", 820.0, warning)
        .value("U1", None, 2022, "graduates_further_study", 80.0)
        .value("U1", None, 2022, "final_attestation_pass", 980.0)
        .value("U1", None, 2022, "learning_outcome_coefficient", 0.85)
        .value("U1", None, 2022, "gpa_mean", 2.95)
        .value("U1", None, 2022, "satisfaction_students", 0.7)
        .value("U1", None, 2022, "satisfaction_employers", 0.8)
        .value("U1", None, 2022, "publications_indexed", 90.0)
        .value("U1", None, 2022, "graduates_on_time", 900.0)
        .value("U1", None, 2022, "research_kzt", 600_000_000.0)
        .value("U1", None, 2022, "accredited", 0.0)
        .value("U1", Some("6B01101"), 2022, "students_enrolled", 400.0)
        .value("U1", Some("6B01101"), 2022, "gpa_below_threshold", 30.0);
    b.build()
}

fn unit(ds: &Dataset, org: &str) -> UnitId {
    ds.org_unit(ds.org_by_id(org).expect("org in the test dataset"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// `(org, indicator, expected 2022 value, arithmetic)`: every built-in
/// indicator at least once, each at every level it applies to where the
/// dataset has the inputs.
const EXPECTED_2022: &[(&str, &str, f64)] = &[
    // ---- P1 (preschool)
    ("P1", "student_teacher_ratio", 10.0), // 120 / 12 (no FTE: head count); 120 = 54 + 66
    ("P1", "teachers_top_category_share", 25.0), // 100 * 3 / 12
    ("P1", "capacity_utilisation", 80.0),  // 100 * 120 / 150
    ("P1", "area_per_student", 5.0),       // 600 / 120
    ("P1", "spending_per_student", 800_000.0), // 96e6 / 120
    ("P1", "teachers_trained_share", 50.0), // 100 * 6 / 12
    ("P1", "staff_turnover", 0.0),         // 100 * 0 / 12: a real zero, not missing
    ("P1", "parent_satisfaction", 90.0),   // 100 * 0.9
    ("P1", "gender_parity_enrolment", 54.0 / 66.0), // GPI 0.8181… ≤ 1: unchanged
    // ---- S1 (school)
    ("S1", "student_teacher_ratio", 15.0), // 600 / 40 FTE; 600 = 310 + 290
    ("S1", "teachers_top_category_share", 30.0), // 100 * 15 / 50
    ("S1", "capacity_utilisation", 120.0), // 100 * 600 / 500
    ("S1", "students_per_computer", 10.0), // 600 / 60
    ("S1", "library_items_per_student", 15.0), // 9000 / 600
    ("S1", "area_per_student", 5.0),       // 3000 / 600
    ("S1", "spending_per_student", 800_000.0), // 480e6 / 600
    ("S1", "teachers_trained_share", 90.0), // 100 * 45 / 50
    ("S1", "staff_turnover", 10.0),        // 100 * 5 / 50
    ("S1", "repetition_rate", 1.0),        // 100 * 6 / 600
    ("S1", "promotion_rate", 96.428_571_428_571_43), // 100 * 540 / 560
    ("S1", "dropout_rate", 2.0),           // 100 * 12 / 600
    ("S1", "school_shifts", 2.0),          // shifts
    ("S1", "exam_pass_rate", 90.0),        // 100 * 72 / 80
    ("S1", "exam_score", 85.5),            // exam_score_mean
    ("S1", "achievement_score", 54.5),     // mean of breakdowns (61 + 48) / 2
    ("S1", "final_attestation_pass_rate", 96.666_666_666_666_67), // 100 * 58 / 60
    ("S1", "parent_satisfaction", 80.0),   // 100 * 0.8
    ("S1", "continuation_rate", 100.0),    // 100 * (600 − 70) / (580 − 50) = 100 * 530 / 530
    ("S1", "gender_parity_enrolment", 2.0 - 290.0 / 310.0), // GPI 310/290 = 1.0690 > 1: 2 − 1/GPI = 1.064516…
    // ---- C1 (college)
    ("C1", "student_teacher_ratio", 12.5), // 800 / 64 (no FTE)
    ("C1", "teachers_top_category_share", 25.0), // 100 * 16 / 64
    ("C1", "students_per_computer", 8.0),  // 800 / 100
    ("C1", "library_items_per_student", 15.0), // 12000 / 800
    ("C1", "area_per_student", 5.0),       // 4000 / 800
    ("C1", "spending_per_student", 800_000.0), // 640e6 / 800
    ("C1", "admission_competition", 3.0),  // 900 / 300
    ("C1", "teachers_trained_share", 50.0), // 100 * 32 / 64
    ("C1", "staff_turnover", 12.5),        // 100 * 8 / 64
    ("C1", "repetition_rate", 1.0),        // 100 * 8 / 800
    ("C1", "promotion_rate", 90.0),        // 100 * 450 / 500
    ("C1", "dropout_rate", 5.0),           // 100 * 40 / 800
    ("C1", "employment_rate", 75.0),       // 100 * 150 / 200
    ("C1", "positive_destination_rate", 85.0), // 100 * (150 + 20) / 200
    ("C1", "final_attestation_pass_rate", 95.0), // 100 * 190 / 200
    ("C1", "student_satisfaction", 75.0),  // 100 * 0.75
    ("C1", "employer_satisfaction", 60.0), // 100 * 0.6
    ("C1", "graduation_on_time_rate", 90.0), // 100 * 180 / 200
    ("C1", "continuation_rate", 87.719_298_245_614_04), // 100 * (800 − 300) / (750 − 180) = 50000 / 570
    ("C1", "cost_per_graduate", 3_200_000.0),           // 640e6 / 200
    ("C1", "accreditation", 1.0),                       // accredited
    // ---- U1 (university)
    ("U1", "student_teacher_ratio", 20.0),     // 5000 / 250 FTE
    ("U1", "teachers_degree_share", 50.0),     // 100 * 150 / 300
    ("U1", "students_per_computer", 5.0),      // 5000 / 1000
    ("U1", "library_items_per_student", 50.0), // 250000 / 5000
    ("U1", "area_per_student", 8.0),           // 40000 / 5000
    ("U1", "spending_per_student", 2_000_000.0), // 1e10 / 5000
    ("U1", "admission_competition", 3.2),      // 4000 / 1250
    ("U1", "teachers_trained_share", 80.0),    // 100 * 240 / 300
    ("U1", "staff_turnover", 5.0),             // 100 * 15 / 300
    ("U1", "promotion_rate", 95.0),            // 100 * 1140 / 1200
    ("U1", "dropout_rate", 3.0),               // 100 * 150 / 5000
    ("U1", "academic_risk_share", 5.0),        // 100 * 250 / 5000
    ("U1", "mobility_share", 2.0),             // 100 * (60 + 40) / 5000
    ("U1", "employment_rate", 82.0),           // 100 * 820 / 1000
    ("U1", "positive_destination_rate", 90.0), // 100 * (820 + 80) / 1000
    ("U1", "final_attestation_pass_rate", 98.0), // 100 * 980 / 1000
    ("U1", "learning_outcome_coefficient", 0.85),
    ("U1", "gpa_mean", 2.95),
    ("U1", "student_satisfaction", 70.0),    // 100 * 0.7
    ("U1", "employer_satisfaction", 80.0),   // 100 * 0.8
    ("U1", "publications_per_teacher", 0.3), // 90 / 300
    ("U1", "graduation_on_time_rate", 90.0), // 100 * 900 / 1000
    ("U1", "continuation_rate", 96.153_846_153_846_15), // 100 * (5000 − 1250) / (4800 − 900) = 375000 / 3900
    ("U1", "cost_per_graduate", 10_000_000.0),          // 1e10 / 1000
    ("U1", "research_per_teacher", 2_000_000.0),        // 6e8 / 300
    ("U1", "accreditation", 0.0),                       // accredited = 0: a value, not missing
    ("U1", "gender_parity_enrolment", 2.0 - 2400.0 / 2600.0), // GPI 2600/2400 > 1: 2 − 2400/2600 = 1.076923…
];

#[test]
fn every_builtin_indicator_matches_its_hand_computed_value() {
    let ds = dataset();
    let cat = Catalogue::builtin();
    let table = compute(&ds, &cat);
    for &(org, code, expected) in EXPECTED_2022 {
        let got = table.get(code, unit(&ds, org), 2022);
        match got {
            Some(Outcome::Value(v)) => {
                assert!(close(v, expected), "{org} {code}: {v} != {expected}")
            }
            other => panic!("{org} {code}: expected {expected}, got {other:?}"),
        }
    }
    // Every catalogue indicator is covered by at least one expectation.
    for (_, def) in cat.iter() {
        assert!(
            EXPECTED_2022.iter().any(|(_, c, _)| *c == def.code),
            "{} has no hand-computed test value",
            def.code
        );
    }
}

#[test]
fn gender_parity_is_the_adjusted_index() {
    let ds = dataset();
    let table = compute(&ds, &Catalogue::builtin());
    // Below 1: 54 / 66 = 0.818181… unchanged.
    let p = table
        .value("gender_parity_enrolment", unit(&ds, "P1"), 2022)
        .unwrap();
    assert!(close(p, 0.818_181_818_181_818_2));
    // Above 1: 310 / 290 = 1.068966; adjusted 2 − 290/310 = 1.064516129…
    let s = table
        .value("gender_parity_enrolment", unit(&ds, "S1"), 2022)
        .unwrap();
    assert!(close(s, 1.064_516_129_032_258));
    assert!(s < 310.0 / 290.0);
}

#[test]
fn programmes_get_per_programme_indicators_only() {
    let ds = dataset();
    let table = compute(&ds, &Catalogue::builtin());
    let c1 = ds.org_by_id("C1").unwrap();
    let prog = ds.programme_unit(c1, "0101000").unwrap();
    // 100 * 40 / 50 = 80
    assert_eq!(
        table.get("employment_rate", prog, 2022),
        Some(Outcome::Value(80.0))
    );
    // student_teacher_ratio is per organisation: no cell for a programme.
    assert_eq!(table.get("student_teacher_ratio", prog, 2022), None);
    assert!(!table.applies("student_teacher_ratio", prog));
    let u1 = ds.org_by_id("U1").unwrap();
    let up = ds.programme_unit(u1, "6B01101").unwrap();
    // 100 * 30 / 400 = 7.5
    assert_eq!(
        table.get("academic_risk_share", up, 2022),
        Some(Outcome::Value(7.5))
    );
    // Level applicability: exam_pass_rate is for schools only.
    assert_eq!(table.get("exam_pass_rate", unit(&ds, "U1"), 2022), None);
    assert_eq!(
        table.get("capacity_utilisation", unit(&ds, "C1"), 2022),
        None
    );
}

#[test]
fn not_computable_cells_carry_their_reason() {
    let ds = dataset();
    let table = compute(&ds, &Catalogue::builtin());
    let nc = |code: &str, org: &str, year| match table.get(code, unit(&ds, org), year) {
        Some(Outcome::NotComputable(r)) => r,
        other => panic!("{org} {code} {year}: expected not computable, got {other:?}"),
    };
    // Missing metric: S1 has no data in 2023.
    assert_eq!(
        nc("exam_pass_rate", "S1", 2023),
        Reason::MissingMetric {
            metric: "exam_passed".into(),
            breakdown: None,
            year: 2023
        }
    );
    // Zero denominator: C1 has 0 graduates in 2023.
    assert_eq!(
        nc("employment_rate", "C1", 2023),
        Reason::ZeroDenominator {
            denominator: "graduates".into(),
            year: 2023
        }
    );
    // prev before the first year of the data (the 2021 inputs are present;
    // faults are reported for the first failing operand, left to right).
    assert_eq!(
        nc("continuation_rate", "U1", 2021),
        Reason::BeforeFirstYear {
            year: 2020,
            first_year: 2021
        }
    );
    // prev across a gap year: S2 has 2021 and 2023 but not 2022.
    assert_eq!(
        nc("continuation_rate", "S2", 2023),
        Reason::MissingMetric {
            metric: "students_enrolled".into(),
            breakdown: None,
            year: 2022
        }
    );
    // A breakdown named in the formula and absent: C1 has no sex breakdown.
    assert_eq!(
        nc("gender_parity_enrolment", "C1", 2022),
        Reason::MissingMetric {
            metric: "students_enrolled".into(),
            breakdown: Some("female".into()),
            year: 2022
        }
    );
    // A metric the dataset never mentions at all (no column to bind).
    let bare = DatasetBuilder::new(2022, 2022)
        .org("S9", Level::School, "Aktobe")
        .value("S9", None, 2022, "students_enrolled", 100.0)
        .build();
    let t = compute(&bare, &Catalogue::builtin());
    assert_eq!(
        t.get("students_per_computer", unit(&bare, "S9"), 2022),
        Some(Outcome::NotComputable(Reason::MissingMetric {
            metric: "computers".into(),
            breakdown: None,
            year: 2022
        }))
    );
    // Nothing is ever stored as NaN or infinity.
    for entry in table.iter(&Filter::new()) {
        if let Outcome::Value(v) = entry.outcome {
            assert!(v.is_finite());
        }
    }
}

#[test]
fn warnings_of_input_cells_are_carried_and_explained() {
    let ds = dataset();
    let table = compute(&ds, &Catalogue::builtin());
    let u1 = unit(&ds, "U1");
    let w = table.warnings("employment_rate", u1, 2022);
    assert_eq!(w.len(), 1);
    let issue = ds.report().get(w[0]).unwrap();
    assert_eq!(issue.code, IssueCode::SuspiciousJump);
    // Indicators not reading graduates_employed carry nothing.
    assert!(table.warnings("dropout_rate", u1, 2022).is_empty());
    assert!(table.warnings("employment_rate", u1, 2021).is_empty());

    let e = table
        .explain(&ds, "positive_destination_rate", u1, 2022)
        .unwrap();
    assert_eq!(
        e.formula,
        "100 * (graduates_employed + graduates_further_study) / graduates"
    );
    assert_eq!(e.outcome, Outcome::Value(90.0));
    let inputs: Vec<(&str, Option<f64>, usize)> = e
        .inputs
        .iter()
        .map(|i| (i.metric.as_str(), i.value, i.warnings.len()))
        .collect();
    assert_eq!(
        inputs,
        [
            ("graduates_employed", Some(820.0), 1),
            ("graduates_further_study", Some(80.0), 0),
            ("graduates", Some(1000.0), 0),
        ]
    );
    assert_eq!(e.warnings, w.to_vec());
    // (820 + 80) of 1000 → n = 1000.
    assert_eq!(e.counts.unwrap().n(), 1000.0);
}

#[test]
fn counts_give_n_and_a_wilson_interval() {
    let ds = dataset();
    let table = compute(&ds, &Catalogue::builtin());
    let c1 = unit(&ds, "C1");
    let c = table.counts(&ds, "student_satisfaction", c1, 2022).unwrap();
    assert_eq!((c.successes, c.trials), (45.0, 60.0));
    // statsmodels: proportion_confint(45, 60, method="wilson")
    // -> (0.6276792992295218, 0.8422347746994333), times 100.
    let ci = c.interval.unwrap();
    assert!(close(ci.lower, 62.767_929_922_952_18));
    assert!(close(ci.upper, 84.223_477_469_943_33));
    // employment 150 of 200: statsmodels proportion_confint(150, 200, method="wilson")
    // -> (0.6856590168795417, 0.8049183199318249).
    let e = table.counts(&ds, "employment_rate", c1, 2022).unwrap();
    assert_eq!(e.n(), 200.0);
    let ci = e.interval.unwrap();
    assert!(close(ci.lower, 68.565_901_687_954_17), "{}", ci.lower);
    assert!(close(ci.upper, 80.491_831_993_182_49), "{}", ci.upper);
    // No counts defined for a ratio indicator; no counts where inputs are missing.
    assert!(table
        .counts(&ds, "student_teacher_ratio", c1, 2022)
        .is_none());
    assert!(table
        .counts(&ds, "student_satisfaction", unit(&ds, "U1"), 2022)
        .is_none());
}

#[test]
fn user_catalogue_overrides_and_adds() {
    let ds = dataset();
    let user = r#"
[[indicator]]
code = "student_teacher_ratio"
family = "input"
levels = ["school"]
formula = "students_enrolled / teachers_total"
unit = "ratio"
direction = "lower"
name = { en = "Pupils per teacher (head count)" }

[[indicator]]
code = "enrolment_growth"
family = "process"
levels = ["school", "college", "university"]
formula = "100 * (students_enrolled - prev(students_enrolled)) / prev(students_enrolled)"
unit = "%"
direction = "higher"
name = { en = "Enrolment growth" }
"#;
    let cat = Catalogue::builtin()
        .with_user_file("mine.toml", user)
        .unwrap();
    let table = compute(&ds, &cat);
    // 600 / 50 head count (not 600 / 40 FTE).
    assert_eq!(
        table.value("student_teacher_ratio", unit(&ds, "S1"), 2022),
        Some(12.0)
    );
    // Now only schools.
    assert_eq!(
        table.get("student_teacher_ratio", unit(&ds, "C1"), 2022),
        None
    );
    // 100 * (5000 − 4800) / 4800 = 4.1666…
    let g = table
        .value("enrolment_growth", unit(&ds, "U1"), 2022)
        .unwrap();
    assert!(close(g, 100.0 * 200.0 / 4800.0));
}

#[test]
fn filtered_iteration_and_coverage() {
    let ds = dataset();
    let table = compute(&ds, &Catalogue::builtin());
    let sat = table.indicator("student_satisfaction").unwrap();
    let f = Filter::new()
        .level(Level::College)
        .level(Level::University)
        .year(2022)
        .indicator(sat)
        .organisations_only();
    let got: Vec<(UnitId, Option<f64>)> = table
        .iter(&f)
        .map(|e| (e.unit, e.outcome.value()))
        .collect();
    assert_eq!(
        got,
        [(unit(&ds, "C1"), Some(75.0)), (unit(&ds, "U1"), Some(70.0))]
    );
    // student_satisfaction: C and U, organisations and programmes (4 units) × 3 years
    // = 12 cells, 2 with a value.
    let c = table.coverage("student_satisfaction");
    assert_eq!((c.computable, c.not_computable), (2, 10));
}
