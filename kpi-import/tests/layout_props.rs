//! Title rows, a totals row or one unreadable cell added to a valid export
//! change no value but the bad cell's.

use kpi_import::{load, LoadOptions, Source};
use kpi_model::Dataset;
use proptest::prelude::*;

const METRICS: [&str; 3] = ["students_enrolled", "teachers_total", "budget_kzt"];

fn orgs(n: usize) -> String {
    let mut s = String::from("org_id;name;level;region\n");
    for i in 0..n {
        s.push_str(&format!("K{i};College {i};college;Abai\n"));
    }
    s
}

/// The observation rows: (org, year, three values).
type Rows = Vec<(usize, i32, [u32; 3])>;

fn observations(
    rows: &Rows,
    titles: &[String],
    totals_at: Option<usize>,
    bad: Option<(usize, usize)>,
) -> String {
    let mut s = String::new();
    for t in titles {
        s.push_str(t);
        s.push('\n');
    }
    s.push_str("org_id;year;students_enrolled;teachers_total;budget_kzt\n");
    for (i, (org, year, values)) in rows.iter().enumerate() {
        if totals_at == Some(i) {
            s.push_str("Итого;;1;2;3\n");
        }
        let cells: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(j, v)| {
                if bad == Some((i, j)) {
                    "1O5".to_string()
                } else {
                    v.to_string()
                }
            })
            .collect();
        s.push_str(&format!("K{org};{year};{}\n", cells.join(";")));
    }
    if totals_at == Some(rows.len()) {
        s.push_str("Всего;;1;2;3\n");
    }
    s
}

fn loaded(n_orgs: usize, obs: String) -> Dataset {
    load(
        vec![
            Source {
                name: "organisations.csv".into(),
                bytes: orgs(n_orgs).into_bytes(),
            },
            Source {
                name: "observations.csv".into(),
                bytes: obs.into_bytes(),
            },
        ],
        &LoadOptions::default(),
    )
}

fn value(ds: &Dataset, org: usize, year: i32, metric: &str) -> Option<f64> {
    let o = ds.org_by_id(&format!("K{org}"))?;
    ds.value(ds.org_unit(o), year, metric)
}

fn dataset() -> impl Strategy<Value = (usize, Rows)> {
    (1usize..5).prop_flat_map(|n| {
        let keys: Vec<(usize, i32)> = (0..n)
            .flat_map(|o| (2020..2023).map(move |y| (o, y)))
            .collect();
        (
            Just(n),
            proptest::sample::subsequence(keys.clone(), 1..=keys.len()),
            proptest::collection::vec(proptest::array::uniform3(1u32..5000), keys.len()),
        )
            .prop_map(|(n, keys, values)| {
                let rows: Rows = keys
                    .into_iter()
                    .zip(values)
                    .map(|((o, y), v)| (o, y, v))
                    .collect();
                (n, rows)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn title_rows_totals_rows_and_a_bad_cell_change_only_that_cell(
        (n, rows) in dataset(),
        titles in proptest::collection::vec("(Сведения|Отчёт|Показатели) [а-я ]{0,20}(;;;)?", 0..4),
        totals in any::<bool>(),
        totals_pos in any::<proptest::sample::Index>(),
        bad in any::<bool>(),
        bad_row in any::<proptest::sample::Index>(),
        bad_col in 0usize..3,
    ) {
        let clean = loaded(n, observations(&rows, &[], None, None));
        prop_assert!(!clean.report().has_errors());
        let totals_at = totals.then(|| totals_pos.index(rows.len() + 1));
        let bad_at = bad.then(|| (bad_row.index(rows.len()), bad_col));
        let messy = loaded(n, observations(&rows, &titles, totals_at, bad_at));
        for (i, (org, year, _)) in rows.iter().enumerate() {
            for (j, m) in METRICS.iter().enumerate() {
                let want = if bad_at == Some((i, j)) { None } else { value(&clean, *org, *year, m) };
                prop_assert_eq!(value(&messy, *org, *year, m), want, "{} {} {}", org, year, m);
            }
        }
        let errors = messy.report().count(kpi_model::validate::Severity::Error);
        prop_assert_eq!(errors, u64::from(bad));
        prop_assert!(messy.report().tables.iter().all(|t| t.accepted));
    }
}

#[test]
fn one_sex_alone_makes_no_total_and_says_so() {
    let obs = "org_id;year;students_enrolled.female;teachers_total.female;teachers_total.male\n\
               K0;2023;210;20;10\n";
    let ds = loaded(1, obs.to_string());
    // female alone: no total (it would undercount) …
    assert_eq!(value(&ds, 0, 2023, "students_enrolled"), None);
    // … both sexes: their sum.
    assert_eq!(value(&ds, 0, 2023, "teachers_total"), Some(30.0));
    let w: Vec<_> = ds
        .report()
        .issues
        .iter()
        .filter(|i| i.code == kpi_model::validate::IssueCode::BreakdownMismatch)
        .collect();
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].location.row, Some(2));
    assert!(
        w[0].message.contains("only the female part of `students_enrolled` is given (210), with no male part and no total"),
        "{}",
        w[0].message
    );
}

#[test]
fn no_data_markers_in_student_records_are_missing_values() {
    let students = "student_id;org_id;year;course;status;gpa;credits_earned\n\
                    s1;K0;2023;1;enrolled;н/д;-\n\
                    s2;K0;2023;1;enrolled;3,5;60\n";
    let ds = load(
        vec![
            Source {
                name: "organisations.csv".into(),
                bytes: orgs(1).into_bytes(),
            },
            Source {
                name: "students.csv".into(),
                bytes: students.as_bytes().to_vec(),
            },
        ],
        &LoadOptions::default(),
    );
    assert!(!ds.report().has_errors(), "{:#?}", ds.report().issues);
    let r = &ds.students().records;
    assert_eq!(r.len(), 2);
    assert_eq!((r[0].gpa, r[0].credits_earned), (None, None));
    assert_eq!((r[1].gpa, r[1].credits_earned), (Some(3.5), Some(60.0)));
    let w: Vec<_> = ds
        .report()
        .issues
        .iter()
        .filter(|i| i.message.contains("\"no data\" marker"))
        .collect();
    assert_eq!(w.len(), 1);
    assert!(w[0].message.starts_with("2 cells hold"), "{}", w[0].message);
    assert_eq!(
        (w[0].location.row, w[0].location.column.as_deref()),
        (Some(2), Some("gpa"))
    );
}
