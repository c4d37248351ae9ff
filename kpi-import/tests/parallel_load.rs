//! Tables are read side by side (one thread each) and committed one after
//! the other in a fixed order. These tests pin the two promises of that
//! design:
//!
//! * the dataset and its issues do not depend on the number of threads
//!   (compared in full, value by value and issue by issue);
//! * what a table introduces while it is read apart (programmes, student
//!   ids, columns, issue numbers) gets the number a one-table-at-a-time
//!   load would give it: programmes and ids in the order first given by the
//!   tables in commit order (organisations, observations, students, grades,
//!   surveys; files in the order given), and a rejected table introduces
//!   nothing. The expected numbers below are worked out by hand from that rule.

use kpi_import::{load, LoadOptions, Source};
use kpi_model::validate::{IssueCode, Severity};
use kpi_model::{ColumnKey, Dataset, UnitId};
use kpi_sample::{generate, SampleOptions, Scale};

fn src(name: &str, text: &str) -> Source {
    Source {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

fn load_with(sources: &[Source], threads: usize) -> Dataset {
    load(
        sources.to_vec(),
        &LoadOptions {
            threads,
            ..LoadOptions::default()
        },
    )
}

/// Everything a load produces, written out in a fixed order: organisations,
/// programmes, metrics, every stored value (bit for bit) with its flags,
/// student ids and records, terms, and the whole validation report.
fn fingerprint(ds: &Dataset) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "{:?}", ds.organisations());
    let _ = writeln!(s, "{:?}", ds.programmes());
    let store = ds.store();
    for (col, key) in store.columns() {
        let name = ds.metrics().code(key.metric);
        let breakdown = key.breakdown.map(|b| store.breakdown_name(b).to_string());
        let _ = writeln!(s, "column {col:?} {name} {breakdown:?}");
        for u in 0..store.n_units() {
            let unit = UnitId(u as u32);
            for year in store.span().iter() {
                let value = store.get(col, unit, year).map(f64::to_bits);
                let flags = store.flags(col, unit, year);
                if value.is_some() || !flags.is_empty() {
                    let _ = writeln!(s, "  {u} {year} {value:?} {flags:?}");
                }
            }
        }
    }
    let _ = writeln!(s, "{:?}", ds.students().ids);
    let _ = writeln!(s, "{:?}", ds.students().records);
    let _ = writeln!(s, "{:?}", ds.terms());
    let _ = writeln!(s, "{:?}", ds.report());
    s
}

fn sample_sources(with_defects: bool) -> Vec<Source> {
    let options = SampleOptions {
        with_defects,
        ..SampleOptions::new(11, Scale::Small)
    };
    let sample = generate(&options).expect("the generator writes the small sample");
    sample
        .files
        .into_iter()
        .filter(|f| f.name != "defects.json")
        .map(|f| Source {
            name: f.name,
            bytes: f.bytes,
        })
        .collect()
}

#[test]
fn the_sample_loads_the_same_on_any_number_of_threads() {
    for with_defects in [false, true] {
        let sources = sample_sources(with_defects);
        let one = load_with(&sources, 1);
        // The defects sample must exercise rejection and issue caps.
        if with_defects {
            assert!(one.report().has_errors());
            assert!(one.report().tables.iter().any(|t| !t.accepted));
        } else {
            assert!(!one.report().has_errors());
        }
        assert!(one.students().records.len() > 1000);
        let expected = fingerprint(&one);
        for threads in [2, 3, 8] {
            let other = load_with(&sources, threads);
            assert!(
                fingerprint(&other) == expected,
                "{threads} threads (defects: {with_defects}) differ from one thread"
            );
        }
        // The files in another order: the same tables are committed in the
        // same order (by kind, then by file), so the same dataset.
        let mut reversed = sources.clone();
        reversed.reverse();
        let r = load_with(&reversed, 2);
        assert_eq!(r.programmes(), one.programmes());
        assert_eq!(r.students().ids, one.students().ids);
    }
}

const ORGS: &str = "org_id,name,level,region\nU1,University One,university,Almaty\n";

#[test]
fn programmes_introduced_by_several_tables_are_numbered_in_commit_order() {
    // P1, P2 from observations; students add P3; surveys add P4 (and use P3).
    let obs = "org_id,year,programme,students_enrolled\nU1,2023,P1,10\nU1,2023,P2,20\n";
    let students = "student_id,org_id,year,programme,course,status\n\
        a,U1,2023,P3,1,enrolled\nb,U1,2023,P2,1,enrolled\nc,U1,2023,P3,2,enrolled\n";
    let surveys = "org_id,year,programme,survey,score\n\
        U1,2023,P4,students,5\nU1,2023,P3,students,2\nU1,2023,P4,students,4\n";
    // The surveys file first: the order of the files does not matter.
    let sources = vec![
        src("surveys.csv", surveys),
        src("students.csv", students),
        src("observations.csv", obs),
        src("organisations.csv", ORGS),
    ];
    for threads in [1, 2, 4] {
        let ds = load_with(&sources, threads);
        assert!(!ds.report().has_errors(), "{:?}", ds.report().issues);
        let codes: Vec<&str> = ds.programmes().iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["P1", "P2", "P3", "P4"]);
        let u1 = ds.org_by_id("U1").unwrap();
        let unit = |code: &str| ds.programme_unit(u1, code).unwrap();
        // Given: P1 10, P2 20. From records: P2 has b (1); P3 has a and c (2).
        assert_eq!(ds.value(unit("P1"), 2023, "students_enrolled"), Some(10.0));
        assert_eq!(ds.value(unit("P2"), 2023, "students_enrolled"), Some(20.0));
        assert_eq!(ds.value(unit("P3"), 2023, "students_enrolled"), Some(2.0));
        // Surveys: P4 (5 + 4) / 2 = 4.5 over 2 answers; P3 one answer of 2.
        assert_eq!(ds.value(unit("P4"), 2023, "score_students"), Some(4.5));
        assert_eq!(ds.value(unit("P4"), 2023, "answers_students"), Some(2.0));
        assert_eq!(ds.value(unit("P3"), 2023, "score_students"), Some(2.0));
        // The organisation gets every answer: (5 + 2 + 4) / 3.
        let org = ds.org_unit(u1);
        assert_eq!(ds.value(org, 2023, "answers_students"), Some(3.0));
        assert_eq!(ds.value(org, 2023, "score_students"), Some(11.0 / 3.0));
        // Record-level units follow the programmes.
        let ids = &ds.students().ids;
        for r in &ds.students().records {
            let id = ids[r.student as usize].as_str();
            let expected = if id == "b" { unit("P2") } else { unit("P3") };
            assert_eq!(r.unit, expected, "student {id}");
        }
    }
}

#[test]
fn student_ids_of_several_tables_are_shared_and_rejected_tables_add_none() {
    let s2023 = "student_id,org_id,year,course,status,gpa\n\
        s1,U1,2023,1,enrolled,3.0\ns2,U1,2023,1,enrolled,2.0\n";
    let s2024 = "student_id,org_id,year,course,status,gpa\n\
        s3,U1,2024,1,enrolled,\ns2,U1,2024,2,enrolled,2.5\n";
    // s1 in 2023 is already given by students_2023: that row is
    // rejected; the rest of the table (s7) loads.
    let again = "student_id,org_id,year,course,status\n\
        s7,U1,2023,1,enrolled\ns1,U1,2023,1,enrolled\n";
    // Grades of s3 (from students_2024) and s9 (in no students table).
    // s3 2024: A (4.0) x 5 + C (2.0) x 5 = 30 / 10 = 3.0.
    let grades = "student_id,org_id,year,term,course_code,credits,letter\n\
        s9,U1,2024,1,X1,4,B\ns3,U1,2024,1,M1,5,A\ns3,U1,2024,2,M2,5,C\n";
    let sources = vec![
        src("organisations.csv", ORGS),
        src("students_2023.csv", s2023),
        src("students_2024.csv", s2024),
        src("students_again.csv", again),
        src("grades.csv", grades),
    ];
    let expected = fingerprint(&load_with(&sources, 1));
    for threads in [1, 3] {
        let ds = load_with(&sources, threads);
        assert_eq!(fingerprint(&ds), expected);
        let accepted: Vec<(String, bool)> = ds
            .report()
            .tables
            .iter()
            .map(|t| (t.file.clone(), t.accepted))
            .collect();
        assert_eq!(
            accepted,
            [
                ("organisations.csv".to_string(), true),
                ("students_2023.csv".to_string(), true),
                ("students_2024.csv".to_string(), true),
                ("students_again.csv".to_string(), true),
                ("grades.csv".to_string(), true),
            ]
        );
        let dup: Vec<_> = ds
            .report()
            .issues
            .iter()
            .filter(|i| i.code == IssueCode::DuplicateKey)
            .collect();
        assert_eq!(dup.len(), 1);
        assert_eq!(dup[0].location.file, "students_again.csv");
        assert_eq!(dup[0].location.row, Some(3));
        assert!(
            dup[0]
                .message
                .contains("student `s1`, year 2023 is already given by another students table"),
            "{}",
            dup[0].message
        );
        // Ids in commit order: s1, s2 (2023), s3 (2024), s7, then s9 from grades.
        assert_eq!(ds.students().ids, ["s1", "s2", "s3", "s7", "s9"]);
        let records: Vec<(&str, i32, Option<f64>)> = ds
            .students()
            .records
            .iter()
            .map(|r| {
                (
                    ds.students().ids[r.student as usize].as_str(),
                    r.year,
                    r.gpa,
                )
            })
            .collect();
        assert_eq!(
            records,
            [
                ("s1", 2023, Some(3.0)),
                ("s2", 2023, Some(2.0)),
                ("s3", 2024, Some(3.0)), // from its grades
                ("s2", 2024, Some(2.5)),
                ("s7", 2023, None),
            ]
        );
        let u1 = ds.org_unit(ds.org_by_id("U1").unwrap());
        // 2024: s3 3.0 and s2 2.5 -> 2.75.
        assert_eq!(ds.value(u1, 2024, "gpa_mean"), Some(2.75));
        let s9 = ds.terms().iter().find(|t| t.student == 4).unwrap();
        assert_eq!((s9.credits, s9.weighted_points), (4.0, 12.0));
    }
}

#[test]
fn columns_and_issue_numbers_of_observation_tables_read_apart() {
    // Wide: a known metric with a breakdown and an unknown numeric column.
    let wide = "org_id,year,students_enrolled,students_enrolled.female,foo_index\n\
        U1,2022,100,60,1.5\nU1,2023,110,70,2.5\n";
    // Long: an unknown metric of its own, the wide table's unknown one for
    // another year, and a negative count (a warning carried by its value).
    let long = "org_id,year,metric,value\n\
        U1,2021,bar_index,7\nU1,2021,foo_index,0.5\nU1,2021,teachers_total,-3\n";
    // Gives U1 2023 students_enrolled again with another value: that row
    // is rejected (the first value is kept), the rest loads.
    let clash =
        "org_id,year,metric,value\nU1,2020,teachers_total,9\nU1,2023,students_enrolled,111\n";
    let sources = vec![
        src("organisations.csv", ORGS),
        src("observations_wide.csv", wide),
        src("observations_long.csv", long),
        src("observations_clash.csv", clash),
    ];
    let expected = fingerprint(&load_with(&sources, 1));
    for threads in [1, 2, 3] {
        let ds = load_with(&sources, threads);
        assert_eq!(fingerprint(&ds), expected);
        let u1 = ds.org_unit(ds.org_by_id("U1").unwrap());
        assert_eq!(ds.value(u1, 2023, "students_enrolled"), Some(110.0));
        assert_eq!(ds.value(u1, 2022, "foo_index"), Some(1.5));
        assert_eq!(ds.value(u1, 2021, "foo_index"), Some(0.5));
        assert_eq!(ds.value(u1, 2021, "bar_index"), Some(7.0));
        assert_eq!(ds.value(u1, 2021, "teachers_total"), Some(-3.0));
        // The rest of the clashing table loads.
        assert_eq!(ds.value(u1, 2020, "teachers_total"), Some(9.0));
        let store = ds.store();
        let female = store.breakdown("female").unwrap();
        let m = ds.metrics().id("students_enrolled").unwrap();
        let col = store
            .column(ColumnKey {
                metric: m,
                breakdown: Some(female),
            })
            .unwrap();
        assert_eq!(store.get(col, u1, 2023), Some(70.0));
        // Each value's flags point at the issue that concerns it, in its own file.
        let flag_of = |metric: &str, year: i32| {
            let id = ds.metrics().id(metric).unwrap();
            let col = store
                .column(ColumnKey {
                    metric: id,
                    breakdown: None,
                })
                .unwrap();
            let flags = store.flags(col, u1, year);
            assert_eq!(flags.len(), 1, "{metric} {year}: {flags:?}");
            ds.report().get(flags[0]).unwrap().clone()
        };
        let foo = flag_of("foo_index", 2022);
        assert_eq!(
            (foo.code, foo.location.file.as_str()),
            (IssueCode::UnknownHeader, "observations_wide.csv")
        );
        let bar = flag_of("bar_index", 2021);
        assert_eq!(
            (bar.code, bar.location.file.as_str()),
            (IssueCode::UnknownMetric, "observations_long.csv")
        );
        assert!(bar.message.contains("unknown metric `bar_index`"));
        let foo_long = flag_of("foo_index", 2021);
        assert_eq!(foo_long.code, IssueCode::UnknownMetric);
        assert_eq!(foo_long.location.file, "observations_long.csv");
        let negative = flag_of("teachers_total", 2021);
        assert_eq!(negative.code, IssueCode::NegativeCount);
        assert_eq!(negative.location.row, Some(4));
        // The clash: named with its metric, in the file that gives it again.
        let clash: Vec<_> = ds
            .report()
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .collect();
        assert_eq!(clash.len(), 1);
        assert_eq!(clash[0].location.file, "observations_clash.csv");
        assert_eq!(clash[0].location.row, Some(3));
        assert!(clash[0].message.contains(
            "org `U1`, year 2023, metric `students_enrolled` is already given by another observations table"
        ));
        // Issues are listed table after table, in commit order.
        let files: Vec<&str> = ds
            .report()
            .issues
            .iter()
            .map(|i| i.location.file.as_str())
            .collect();
        let mut sorted = files.clone();
        sorted.sort_by_key(|f| match *f {
            "observations_wide.csv" => 0,
            "observations_long.csv" => 1,
            _ => 2,
        });
        assert_eq!(files, sorted);
    }
}
