//! The reconstructed cohort against a hand computation and an independent
//! path-by-path implementation in Python.

use super::*;
use crate::test_support::assert_json_finite;
use proptest::prelude::*;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

fn rates(r: &[(f64, f64, f64)]) -> Vec<GradeRates> {
    r.iter()
        .map(|&(promotion, repetition, dropout)| GradeRates {
            promotion,
            repetition,
            dropout,
        })
        .collect()
}

#[test]
fn two_grades_one_repetition_by_hand() {
    // p 0.8, r 0.1, d 0.1 in both grades, 1,000 entrants, at most 1 repetition.
    // Grade 1: 1000 first attempts → 800 promoted, 100 drop out, 100 repeat;
    //   100 repeaters → 80 promoted, 10 drop out, 10 would repeat again → forced dropouts.
    //   pupil-years 1100 (100 repeated), promoted 880, dropouts 120 (10 forced).
    // Grade 2: 880 entrants (survival 0.88) → 704 graduate, 88 drop out, 88 repeat;
    //   88 repeaters → 70.4 graduate, 8.8 drop out, 8.8 forced. Pupil-years 968.
    // Graduates 774.4: in 2 years 640, in 3 years 64 + 64 = 128, in 4 years 6.4.
    // Pupil-years 2068; per graduate 2068 / 774.4; CoE 774.4 × 2 / 2068.
    let opts = CohortOptions {
        cohort_size: 1000.0,
        max_repetitions: 1,
    };
    let f = reconstruct_cohort(&rates(&[(0.8, 0.1, 0.1); 2]), &opts).unwrap();
    let g1 = &f.by_grade[0];
    assert!(close(g1.pupil_years, 1100.0, 1e-9) && close(g1.repeated_years, 100.0, 1e-9));
    assert!(close(g1.promoted, 880.0, 1e-9) && close(g1.dropouts, 120.0, 1e-9));
    assert!(close(g1.forced_dropouts, 10.0, 1e-9));
    assert!(close(f.survival_to_last_grade, 0.88, 1e-12));
    assert!(close(f.by_grade[1].pupil_years, 968.0, 1e-9));
    assert!(close(f.graduates, 774.4, 1e-9));
    let durations: Vec<(usize, f64)> = f
        .graduates_by_duration
        .iter()
        .map(|d| (d.years, d.graduates))
        .collect();
    assert_eq!(durations.len(), 3);
    for ((y, n), (ey, en)) in durations.iter().zip([(2, 640.0), (3, 128.0), (4, 6.4)]) {
        assert!(*y == ey && close(*n, en, 1e-9), "{y} {n}");
    }
    assert!(close(f.pupil_years, 2068.0, 1e-9));
    // 640·2 + 128·3 + 6.4·4 = 1689.6
    assert!(close(f.pupil_years_graduates, 1689.6, 1e-9));
    assert!(close(
        *f.pupil_years_per_graduate.as_ref().unwrap(),
        2068.0 / 774.4,
        1e-12
    ));
    assert!(close(
        *f.coefficient_of_efficiency.as_ref().unwrap(),
        1548.8 / 2068.0,
        1e-12
    ));
    assert!(close(f.dropouts, 1000.0 - 774.4, 1e-9));
}

// python3 /tmp/ref/cohort.py: every pupil path (grade, repetitions in it) enumerated
// recursively with its probability, 1,000 entrants, at most 3 repetitions per grade:
//   rates = [(0.92,0.05,0.03),(0.90,0.06,0.04),(0.88,0.07,0.05),(0.91,0.04,0.05),(0.85,0.08,0.07),(0.93,0.03,0.04)]
// -> graduates 736.6361883606941, pupil_years 5689.663410825828, survival_last 0.7683200876187043,
//    py_per_grad 7.723844552746685, coe 0.7768152192895096, avg_years 6.350930996968922,
//    by_duration [(6, 524.1508272000001), (7, 172.969772976), (8, 33.755313271680016), (9, 5.085311325494402)]
#[test]
fn six_grades_match_path_enumeration() {
    let r = rates(&[
        (0.92, 0.05, 0.03),
        (0.90, 0.06, 0.04),
        (0.88, 0.07, 0.05),
        (0.91, 0.04, 0.05),
        (0.85, 0.08, 0.07),
        (0.93, 0.03, 0.04),
    ]);
    let f = reconstruct_cohort(&r, &CohortOptions::default()).unwrap();
    assert!(close(f.graduates, 736.6361883606941, 1e-9));
    assert!(close(f.pupil_years, 5689.663410825828, 1e-9));
    assert!(close(f.survival_to_last_grade, 0.7683200876187043, 1e-12));
    assert!(close(
        *f.pupil_years_per_graduate.as_ref().unwrap(),
        7.723844552746685,
        1e-12
    ));
    assert!(close(
        *f.coefficient_of_efficiency.as_ref().unwrap(),
        0.7768152192895096,
        1e-12
    ));
    assert!(close(
        *f.average_years_to_graduate.as_ref().unwrap(),
        6.350930996968922,
        1e-12
    ));
    let first: Vec<(usize, f64)> = f
        .graduates_by_duration
        .iter()
        .take(4)
        .map(|d| (d.years, d.graduates))
        .collect();
    let expected = [
        (6, 524.1508272000001),
        (7, 172.969772976),
        (8, 33.755313271680016),
        (9, 5.085311325494402),
    ];
    for ((y, n), (ey, en)) in first.iter().zip(expected) {
        assert!(*y == ey && close(*n, en, 1e-9), "{y}: {n} vs {en}");
    }
    assert_json_finite(&f);
}

#[test]
fn rates_from_counts_then_flow() {
    // Grade 1: E 100, next year grade 2 has 92 of whom 2 repeat → p₁ = 0.90; R₁ = 5 → r₁ = 0.05.
    // Grade 2: 81 graduates of 90 → p₂ = 0.9; r₂ = 2 / 90; d₂ = 1 − 0.9 − 2/90.
    let counts = CohortCounts {
        year: 2022,
        grade_names: vec!["grade_1".into(), "grade_2".into()],
        enrolment: vec![100.0, 90.0],
        enrolment_next: vec![105.0, 92.0],
        repeaters_next: vec![5.0, 2.0],
        graduates: 81.0,
    };
    let r = counts.rates().unwrap();
    assert!(close(r[1].repetition, 2.0 / 90.0, 1e-12));
    assert!(close(r[1].dropout, 1.0 - 0.9 - 2.0 / 90.0, 1e-12));
    let f = reconstruct_cohort(&r, &CohortOptions::default()).unwrap();
    // 900 first-attempt promotions + repeaters' ones: 1000 × 0.9 × Σ_{k=0..3} 0.05^k
    let promoted_1 = 1000.0 * 0.9 * (1.0 + 0.05 + 0.0025 + 0.000125);
    assert!(close(f.by_grade[1].entrants, promoted_1, 1e-9));
}

#[test]
fn inconsistent_counts_and_rates_name_the_grade() {
    let mut counts = CohortCounts {
        year: 2022,
        grade_names: vec!["grade_1".into(), "grade_2".into()],
        enrolment: vec![100.0, 90.0],
        enrolment_next: vec![105.0, 120.0],
        repeaters_next: vec![5.0, 2.0],
        graduates: 81.0,
    };
    // (120 − 2) / 100 + 5 / 100 > 1: pupils came from elsewhere
    match counts.rates() {
        Err(NotComputable::InvalidGrade { grade: 1, detail }) => {
            assert!(detail.contains("exceed 1"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    counts.enrolment_next[1] = 92.0;
    counts.enrolment[1] = 0.0;
    assert!(matches!(
        counts.rates(),
        Err(NotComputable::InvalidGrade { grade: 2, .. })
    ));
    let bad = rates(&[(0.9, 0.05, 0.05), (0.7, 0.1, 0.1)]);
    assert!(matches!(
        reconstruct_cohort(&bad, &CohortOptions::default()),
        Err(NotComputable::InvalidGrade { grade: 2, .. })
    ));
    assert_eq!(
        reconstruct_cohort(&[], &CohortOptions::default()).unwrap_err(),
        NotComputable::too_few(1, 0)
    );
    let none_graduate = rates(&[(0.0, 0.5, 0.5)]);
    let f = reconstruct_cohort(&none_graduate, &CohortOptions::default()).unwrap();
    assert!(f.coefficient_of_efficiency.is_err() && f.pupil_years_per_graduate.is_err());
}

fn arb_rates() -> impl Strategy<Value = Vec<GradeRates>> {
    prop::collection::vec((0.0f64..1.0, 0.0f64..1.0, 0.0f64..1.0), 1..12).prop_map(|v| {
        v.into_iter()
            .map(|(a, b, c)| {
                let s = a + b + c;
                if s == 0.0 {
                    GradeRates {
                        promotion: 1.0,
                        repetition: 0.0,
                        dropout: 0.0,
                    }
                } else {
                    GradeRates {
                        promotion: a / s,
                        repetition: b / s,
                        dropout: c / s,
                    }
                }
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn prop_cohort_conserves_pupils(r in arb_rates(), max_repetitions in 0u32..5) {
        let opts = CohortOptions { cohort_size: 1000.0, max_repetitions };
        let f = reconstruct_cohort(&r, &opts).unwrap();
        assert_json_finite(&f);
        prop_assert!((f.graduates + f.dropouts - 1000.0).abs() < 1e-6);
        prop_assert!((0.0..=1.0).contains(&f.survival_to_last_grade));
        if let Ok(coe) = f.coefficient_of_efficiency {
            prop_assert!(coe > 0.0 && coe <= 1.0);
        }
        // survival never rises from one grade to the next
        for w in f.by_grade.windows(2) {
            prop_assert!(w[1].survival_rate <= w[0].survival_rate + 1e-12);
        }
    }
}

mod from_dataset {
    use super::*;
    use kpi_model::metrics::MetricRegistry;
    use kpi_model::{
        ColumnKey, Dataset, DatasetParts, Level, MetricStore, Organisation, UnitId, YearSpan,
    };

    /// One school, grades 1–3, years 2022 and 2023.
    fn school(with_repeaters_grade_2: bool) -> Dataset {
        let metrics = MetricRegistry::builtin();
        let mut store = MetricStore::new(YearSpan::new(2022, 2023), 1);
        let mut put = |metric: &str, breakdown: Option<&str>, year, v| {
            let key = ColumnKey {
                metric: metrics.id(metric).unwrap(),
                breakdown: breakdown.map(|b| store.intern_breakdown(b)),
            };
            let col = store.add_column(key);
            store.set(col, UnitId(0), year, v);
        };
        for (grade, e22, e23, r23) in [
            ("grade_1", 100.0, 110.0, 4.0),
            ("grade_2", 95.0, 93.0, 3.0),
            ("grade_3", 90.0, 94.0, 5.0),
        ] {
            put("students_enrolled", Some(grade), 2022, e22);
            put("students_enrolled", Some(grade), 2023, e23);
            if grade != "grade_2" || with_repeaters_grade_2 {
                put("repeaters", Some(grade), 2023, r23);
            }
        }
        put("graduates", None, 2022, 80.0);
        Dataset::from_parts(DatasetParts {
            organisations: vec![Organisation {
                id: "S1".into(),
                name: "School 1".into(),
                name_kk: None,
                name_ru: None,
                name_en: None,
                level: Level::School,
                region: "Astana".into(),
                ownership: None,
                locality: None,
            }],
            programmes: vec![],
            metrics,
            store,
            students: Default::default(),
            terms: vec![],
            report: Default::default(),
        })
    }

    #[test]
    fn counts_and_rates_from_grade_metrics() {
        let ds = school(true);
        let counts = CohortCounts::from_dataset(&ds, UnitId(0), 2022).unwrap();
        assert_eq!(counts.grade_names, ["grade_1", "grade_2", "grade_3"]);
        assert_eq!(counts.graduates, 80.0);
        let r = counts.rates().unwrap();
        // p₁ = (93 − 3) / 100, r₁ = 4 / 100; p₂ = (94 − 5) / 95, r₂ = 3 / 95; p₃ = 80 / 90, r₃ = 5 / 90
        let expected = [
            (0.90, 0.04),
            (89.0 / 95.0, 3.0 / 95.0),
            (80.0 / 90.0, 5.0 / 90.0),
        ];
        for (g, (p, rr)) in r.iter().zip(expected) {
            assert!(
                close(g.promotion, p, 1e-12) && close(g.repetition, rr, 1e-12),
                "{g:?}"
            );
            assert!(close(g.promotion + g.repetition + g.dropout, 1.0, 1e-12));
        }
    }

    #[test]
    fn missing_counts_name_metric_and_year() {
        let ds = school(false);
        assert_eq!(
            CohortCounts::from_dataset(&ds, UnitId(0), 2022).unwrap_err(),
            NotComputable::MissingData {
                what: "repeaters.grade_2 in 2023–2024".into()
            }
        );
        // no 2024 data at all
        assert!(matches!(
            CohortCounts::from_dataset(&ds, UnitId(0), 2023),
            Err(NotComputable::MissingData { .. })
        ));
    }
}
