//! Tests of the generator on its output: determinism, counts, regions,
//! internal consistency (checked against the metric dictionary, not against
//! the generator's own column list), records against grades, planted patterns
//! and the defect manifest.

use super::geo::REGIONS;
use super::plan::{self, Detail};
use super::*;
use kpi_model::metrics::{MetricKind, MetricRegistry};
use kpi_model::validate::IssueCode;
use kpi_model::{Level, Locality};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// The committed demo's options (demo/data): small, seed 1, 2020..2024.
fn demo_options() -> SampleOptions {
    SampleOptions {
        years: YearSpan::new(2020, 2024),
        ..SampleOptions::new(1, Scale::Small)
    }
}

fn demo() -> &'static Sample {
    static S: OnceLock<Sample> = OnceLock::new();
    S.get_or_init(|| generate(&demo_options()).expect("in-memory generation"))
}

fn defective() -> &'static Sample {
    static S: OnceLock<Sample> = OnceLock::new();
    S.get_or_init(|| {
        generate(&SampleOptions {
            with_defects: true,
            ..demo_options()
        })
        .expect("in-memory generation")
    })
}

/// A parsed CSV file: header and rows.
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }
}

fn parse(sample: &Sample, name: &str) -> Csv {
    let file = sample.file(name).unwrap_or_else(|| panic!("no {name}"));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(file.bytes.as_slice());
    let mut records = reader.records().map(|r| {
        r.expect("valid CSV")
            .iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    });
    let header = records.next().expect("a header");
    let rows: Vec<Vec<String>> = records.collect();
    assert_eq!(rows.len(), file.rows, "{name}: row count in the summary");
    Csv { header, rows }
}

#[test]
fn same_options_same_bytes_other_seed_other_bytes() {
    let short = SampleOptions {
        years: YearSpan::new(2022, 2023),
        student_rows: Some(3_000),
        grade_rows: Some(2_000),
        ..SampleOptions::new(5, Scale::Small)
    };
    let a = generate(&short).expect("generation");
    let b = generate(&short).expect("generation");
    assert_eq!(a, b);
    let c = generate(&SampleOptions { seed: 6, ..short }).expect("generation");
    assert_ne!(
        a.file("observations.csv").map(|f| &f.bytes),
        c.file("observations.csv").map(|f| &f.bytes)
    );
}

#[test]
fn files_and_headers_follow_data_md() {
    let s = demo();
    let names: Vec<&str> = s.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "organisations.csv",
            "observations.csv",
            "students.csv",
            "grades.csv",
            "surveys.csv"
        ]
    );
    let first_line = |n: &str| {
        s.file(n)
            .map(|f| f.text().lines().next().unwrap_or_default().to_string())
    };
    assert_eq!(
        first_line("organisations.csv").as_deref(),
        Some("org_id,name,name_kk,name_ru,name_en,level,region,ownership,locality")
    );
    assert_eq!(
        first_line("students.csv").as_deref(),
        Some("student_id,org_id,year,programme,course,status,gpa,credits_earned,funding,employed,further_study")
    );
    assert_eq!(
        first_line("grades.csv").as_deref(),
        Some("student_id,org_id,year,term,course_code,credits,score,letter")
    );
    assert_eq!(
        first_line("surveys.csv").as_deref(),
        Some("org_id,year,survey,respondent_id,question,score")
    );
    let obs = parse(s, "observations.csv");
    assert_eq!(&obs.header[..3], ["org_id", "year", "programme"]);
    // Every metric column is a code of metrics.toml, with an optional breakdown.
    let reg = MetricRegistry::builtin();
    for h in &obs.header[3..] {
        let bare = h.split('.').next().unwrap_or(h);
        assert!(reg.id(bare).is_some(), "{h}");
    }
    assert!(s.defects.is_empty());
}

#[test]
fn counts_per_level_and_every_region() {
    let s = demo();
    let orgs = parse(s, "organisations.csv");
    let (level, region) = (orgs.col("level"), orgs.col("region"));
    let mut per_level: BTreeMap<&str, usize> = BTreeMap::new();
    let mut regions = BTreeSet::new();
    for r in &orgs.rows {
        *per_level.entry(r[level].as_str()).or_default() += 1;
        // docs/data.md: regions compare case- and space-insensitively.
        regions.insert(kpi_model::region_key(&r[region]));
    }
    assert_eq!(per_level.get("preschool"), Some(&120));
    assert_eq!(per_level.get("school"), Some(&150));
    assert_eq!(per_level.get("college"), Some(&40));
    assert_eq!(per_level.get("university"), Some(&12));
    assert_eq!(regions.len(), 20, "{regions:?}");
    for r in &REGIONS {
        assert!(regions.contains(&kpi_model::region_key(r.kk)), "{}", r.kk);
    }
    // Unique ids.
    let ids: BTreeSet<&str> = orgs.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids.len(), orgs.rows.len());
}

#[test]
fn national_plan_has_realistic_numbers_in_every_region() {
    let plan = plan::build(&SampleOptions::new(1, Scale::National));
    let mut per_level = [0usize; 4];
    let mut cells = BTreeSet::new();
    let mut programmes = [0usize; 3];
    for o in &plan.orgs {
        let li = Level::ALL.iter().position(|l| *l == o.level).unwrap_or(0);
        per_level[li] += 1;
        cells.insert((o.region, li));
        for p in o.programmes() {
            match p.code.get(..2) {
                Some("6B") => programmes[0] += 1,
                Some("7M") => programmes[1] += 1,
                Some("8D") => programmes[2] += 1,
                _ => {}
            }
        }
    }
    assert_eq!(per_level, [10_000, 7_500, 800, 120]);
    // Every region has every level, universities included.
    assert_eq!(cells.len(), 20 * 4);
    // Universities offer bachelor's, master's and doctoral programmes, most of them bachelor's.
    assert!(programmes[0] > programmes[1] && programmes[1] > programmes[2] && programmes[2] > 0);
    // Most schools of Turkistan region are rural; every school of Almaty city is urban.
    let rural = |key: &str| {
        let of: Vec<_> = plan
            .orgs
            .iter()
            .filter(|o| o.level == Level::School && o.region().key == key)
            .collect();
        of.iter().filter(|o| o.locality == Locality::Rural).count() as f64 / of.len() as f64
    };
    assert!(rural("turkistan") > 0.7);
    assert_eq!(rural("almaty_city"), 0.0);
}

/// Values of a row by column name, for the non-empty cells.
fn values<'a>(header: &'a [String], row: &'a [String]) -> BTreeMap<&'a str, &'a str> {
    header
        .iter()
        .zip(row)
        .filter(|(_, v)| !v.is_empty())
        .map(|(h, v)| (h.as_str(), v.as_str()))
        .collect()
}

#[test]
fn observations_are_internally_consistent() {
    let s = demo();
    let obs = parse(s, "observations.csv");
    let reg = MetricRegistry::builtin();
    let mut keys = BTreeSet::new();
    let mut checked_parts = 0;
    for (i, row) in obs.rows.iter().enumerate() {
        let line = i + 2;
        let v = values(&obs.header, row);
        assert!(
            keys.insert((row[0].clone(), row[1].clone(), row[2].clone())),
            "row {line}: duplicate key"
        );
        let num = |name: &str| -> Option<f64> {
            v.get(name).map(|x| {
                x.parse::<f64>()
                    .unwrap_or_else(|_| panic!("row {line} {name}: {x}"))
            })
        };
        for (&h, _) in v
            .iter()
            .filter(|(h, _)| !["org_id", "year", "programme"].contains(h))
        {
            let bare = h.split('.').next().unwrap_or(h);
            let id = reg.id(bare).unwrap_or_else(|| panic!("unknown {bare}"));
            let def = reg.def(id);
            let x = num(h).unwrap_or(f64::NAN);
            assert!(x.is_finite(), "row {line} {h}");
            match def.kind {
                MetricKind::Count => {
                    assert!(x >= 0.0 && x.fract() == 0.0, "row {line} {h}: {x}")
                }
                MetricKind::Share => assert!((0.0..=1.0).contains(&x), "row {line} {h}: {x}"),
                MetricKind::Flag => assert!(x == 0.0 || x == 1.0, "row {line} {h}: {x}"),
                MetricKind::Percent => assert!((0.0..=100.0).contains(&x), "row {line} {h}: {x}"),
                MetricKind::Score | MetricKind::Amount => assert!(x >= 0.0, "row {line} {h}: {x}"),
            }
            // Parts never exceed their wholes (the dictionary's `part_of`).
            if !h.contains('.') {
                for whole in &def.part_of {
                    if let Some(w) = num(whole) {
                        assert!(x <= w, "row {line}: {h} {x} > {whole} {w}");
                        checked_parts += 1;
                    }
                }
            }
        }
        if let Some(g) = num("gpa_mean") {
            assert!((0.0..=4.0).contains(&g));
        }
        if let (Some(p), Some(q)) = (num("promoted"), num("enrolled_prev_grade")) {
            assert!(p <= q, "row {line}: promoted {p} > enrolled_prev_grade {q}");
        }
        for (part, whole) in [
            ("graduates_on_time", "graduates"),
            ("graduates_further_study", "graduates"),
        ] {
            if let (Some(p), Some(w)) = (num(part), num(whole)) {
                assert!(p <= w, "row {line}: {part} {p} > {whole} {w}");
            }
        }
        // Breakdowns add up to the total, one dimension at a time.
        if let Some(total) = num("students_enrolled") {
            if let (Some(f), Some(m)) = (
                num("students_enrolled.female"),
                num("students_enrolled.male"),
            ) {
                assert_eq!(f + m, total, "row {line}: sexes");
            }
            let grades: Vec<f64> = v
                .iter()
                .filter(|(h, _)| {
                    h.starts_with("students_enrolled.grade_")
                        || h.starts_with("students_enrolled.course_")
                })
                .map(|(h, _)| num(h).unwrap_or(0.0))
                .collect();
            if !grades.is_empty() {
                assert_eq!(grades.iter().sum::<f64>(), total, "row {line}: grades");
            }
        }
        if let (Some(a), Some(parts)) = (
            num("achievement_score_mean"),
            ["reading", "mathematics", "science"]
                .iter()
                .map(|k| num(&format!("achievement_score_mean.{k}")))
                .collect::<Option<Vec<f64>>>(),
        ) {
            // Written with one decimal: the mean of the three areas within rounding.
            assert!(
                (a - parts.iter().sum::<f64>() / 3.0).abs() <= 0.051,
                "row {line}"
            );
        }
    }
    assert!(checked_parts > 1000, "{checked_parts}");
}

#[test]
fn cohorts_can_be_reconstructed_from_grades() {
    // A school's grade g in year t comes mostly from grade g − 1 in year t − 1:
    // over all schools, enrolment in grade 5 of year t is within 15% of grade 4
    // of year t − 1 (repeaters, leavers and newcomers are a few per cent).
    let s = demo();
    let obs = parse(s, "observations.csv");
    let (g4, g5, id, year) = (
        obs.col("students_enrolled.grade_4"),
        obs.col("students_enrolled.grade_5"),
        obs.col("org_id"),
        obs.col("year"),
    );
    let mut by_key: BTreeMap<(String, i32), (f64, f64)> = BTreeMap::new();
    for r in &obs.rows {
        if let (Ok(a), Ok(b), Ok(y)) = (
            r[g4].parse::<f64>(),
            r[g5].parse::<f64>(),
            r[year].parse::<i32>(),
        ) {
            by_key.insert((r[id].clone(), y), (a, b));
        }
    }
    let (mut prev4, mut now5) = (0.0, 0.0);
    for ((org, y), (_, b)) in &by_key {
        if let Some((a, _)) = by_key.get(&(org.clone(), y - 1)) {
            prev4 += a;
            now5 += b;
        }
    }
    assert!(prev4 > 1000.0);
    let ratio = now5 / prev4;
    assert!((0.85..1.15).contains(&ratio), "{ratio}");
}

#[test]
fn records_are_valid_and_gpa_agrees_with_grades() {
    let s = demo();
    let st = parse(s, "students.csv");
    assert!(st.rows.len() > 1000);
    let statuses = [
        "enrolled",
        "graduated",
        "expelled",
        "transferred_out",
        "academic_leave",
        "repeating",
    ];
    let (status, gpa, course, funding, employed) = (
        st.col("status"),
        st.col("gpa"),
        st.col("course"),
        st.col("funding"),
        st.col("employed"),
    );
    let mut gpa_of = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for r in &st.rows {
        assert!(statuses.contains(&r[status].as_str()), "{}", r[status]);
        assert!(["state_grant", "paid"].contains(&r[funding].as_str()));
        let c: u8 = r[course].parse().expect("course");
        assert!((1..=7).contains(&c));
        if !r[gpa].is_empty() {
            let g: f64 = r[gpa].parse().expect("gpa");
            assert!((0.0..=4.0).contains(&g));
            gpa_of.insert((r[0].clone(), r[2].clone()), g);
        }
        if r[status] != "graduated" {
            assert!(r[employed].is_empty());
        }
        // One row per student and year.
        assert!(seen.insert((r[0].clone(), r[2].clone())));
    }
    // GPA = Σ credits × points / Σ credits (docs/data.md letter scale), per student and year.
    let points = |score: u8| -> f64 {
        match score {
            95..=100 => 4.0,
            90..=94 => 3.67,
            85..=89 => 3.33,
            80..=84 => 3.0,
            75..=79 => 2.67,
            70..=74 => 2.33,
            65..=69 => 2.0,
            60..=64 => 1.67,
            55..=59 => 1.33,
            50..=54 => 1.0,
            25..=49 => 0.5,
            _ => 0.0,
        }
    };
    let letter_points = |l: &str| -> f64 {
        match l {
            "A" => 4.0,
            "A-" => 3.67,
            "B+" => 3.33,
            "B" => 3.0,
            "B-" => 2.67,
            "C+" => 2.33,
            "C" => 2.0,
            "C-" => 1.67,
            "D+" => 1.33,
            "D" => 1.0,
            "FX" => 0.5,
            "F" => 0.0,
            other => panic!("letter {other}"),
        }
    };
    let gr = parse(s, "grades.csv");
    assert!(gr.rows.len() > 1000);
    let (credits, score, letter) = (gr.col("credits"), gr.col("score"), gr.col("letter"));
    let mut sums: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for r in &gr.rows {
        let cr: f64 = r[credits].parse().expect("credits");
        let p = if r[score].is_empty() {
            letter_points(&r[letter])
        } else {
            points(r[score].parse().expect("score"))
        };
        let e = sums.entry((r[0].clone(), r[2].clone())).or_default();
        e.0 += cr * p;
        e.1 += cr;
    }
    // Both export styles are present: scores (most) and letters (one university).
    assert!(gr
        .rows
        .iter()
        .any(|r| r[score].is_empty() && !r[letter].is_empty()));
    assert!(gr
        .rows
        .iter()
        .any(|r| !r[score].is_empty() && r[letter].is_empty()));
    for (key, (cp, cr)) in &sums {
        let expected = (cp / cr * 100.0).round() / 100.0;
        assert_eq!(gpa_of.get(key), Some(&expected), "{key:?}");
    }
}

#[test]
fn surveys_are_likert_answers() {
    let s = demo();
    let sv = parse(s, "surveys.csv");
    let kinds = ["students", "parents", "employers", "staff", "graduates"];
    let mut empty = 0;
    let mut keys = BTreeSet::new();
    for r in &sv.rows {
        assert!(kinds.contains(&r[2].as_str()));
        if r[5].is_empty() {
            empty += 1;
        } else {
            let x: u8 = r[5].parse().expect("score");
            assert!((1..=5).contains(&x));
        }
        assert!(keys.insert((
            r[0].clone(),
            r[1].clone(),
            r[2].clone(),
            r[3].clone(),
            r[4].clone()
        )));
    }
    assert!(empty > 0 && empty < sv.rows.len() / 10);
}

/// Per year, `100 × a / b` summed over the organisation rows of `orgs`.
fn rate_by_year(s: &Sample, orgs: &BTreeSet<String>, a: &str, b: &str) -> BTreeMap<i32, f64> {
    let obs = parse(s, "observations.csv");
    let (ia, ib) = (obs.col(a), obs.col(b));
    let mut sums: BTreeMap<i32, (f64, f64)> = BTreeMap::new();
    for r in obs
        .rows
        .iter()
        .filter(|r| r[2].is_empty() && orgs.contains(&r[0]))
    {
        if let (Ok(x), Ok(y), Ok(year)) = (r[ia].parse::<f64>(), r[ib].parse::<f64>(), r[1].parse())
        {
            let e = sums.entry(year).or_default();
            e.0 += x;
            e.1 += y;
        }
    }
    sums.into_iter()
        .filter(|(_, (_, y))| *y > 0.0)
        .map(|(k, (x, y))| (k, 100.0 * x / y))
        .collect()
}

#[test]
fn planted_patterns_show_in_the_numbers() {
    let s = demo();
    let plan = plan::build(&demo_options());
    let ids = |pred: &dyn Fn(&plan::OrgPlan) -> bool| -> BTreeSet<String> {
        plan.orgs
            .iter()
            .filter(|o| pred(o))
            .map(|o| o.id.clone())
            .collect()
    };
    // Universities with falling employment: the last year is well below the first.
    let falling = ids(&|o| {
        !o.records
            && matches!(
                o.detail,
                Detail::University {
                    falling_employment: true,
                    ..
                }
            )
    });
    let others = ids(&|o| {
        !o.records
            && matches!(
                o.detail,
                Detail::University {
                    falling_employment: false,
                    ..
                }
            )
    });
    assert!(!falling.is_empty());
    let fe = rate_by_year(s, &falling, "graduates_employed", "graduates");
    let oe = rate_by_year(s, &others, "graduates_employed", "graduates");
    let (first, last) = (fe.values().next().copied(), fe.values().last().copied());
    assert!(first.zip(last).is_some_and(|(f, l)| f - l > 15.0), "{fe:?}");
    assert!(
        oe.values()
            .last()
            .zip(last)
            .is_some_and(|(o, l)| o - l > 10.0),
        "{oe:?} {fe:?}"
    );
    // Colleges with high dropout: twice the others' rate.
    let high = ids(&|o| {
        !o.records
            && matches!(
                o.detail,
                Detail::College {
                    high_dropout: true,
                    ..
                }
            )
    });
    let normal = ids(&|o| {
        !o.records
            && matches!(
                o.detail,
                Detail::College {
                    high_dropout: false,
                    ..
                }
            )
    });
    let hd = rate_by_year(s, &high, "expelled", "students_enrolled");
    let nd = rate_by_year(s, &normal, "expelled", "students_enrolled");
    assert!(!high.is_empty());
    for (y, h) in &hd {
        assert!(
            nd.get(y).is_some_and(|n| *h > 1.8 * n),
            "{y}: {h} vs {nd:?}"
        );
    }
    // The same pattern in the student records of a planted college with records:
    // expelled rows against rows on the roll (docs/data.md: not graduated, expelled or
    // transferred out), per year.
    let recorded = ids(&|o| {
        o.records
            && matches!(
                o.detail,
                Detail::College {
                    high_dropout: true,
                    ..
                }
            )
    });
    assert!(!recorded.is_empty());
    let st = parse(s, "students.csv");
    let (org_col, year_col, status_col) = (st.col("org_id"), st.col("year"), st.col("status"));
    let mut by_year: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for r in st.rows.iter().filter(|r| recorded.contains(&r[org_col])) {
        let e = by_year.entry(r[year_col].as_str()).or_default();
        match r[status_col].as_str() {
            "expelled" => e.0 += 1.0,
            "graduated" | "transferred_out" => {}
            _ => e.1 += 1.0,
        }
    }
    assert!(!by_year.is_empty());
    for (y, (expelled, on_roll)) in &by_year {
        let rate = 100.0 * expelled / on_roll;
        assert!(rate > 12.0, "{y}: {rate}");
    }
    // Overcrowded schools of growing regions: enrolment above capacity; small
    // rural schools of shrinking regions: few pupils per teacher.
    let crowded = ids(&|o| o.level == Level::School && o.region().crowding > 1.1);
    let util = rate_by_year(s, &crowded, "students_enrolled", "capacity");
    assert!(util.values().all(|u| *u > 105.0), "{util:?}");
    let small_rural = ids(&|o| {
        o.level == Level::School
            && o.locality == Locality::Rural
            && o.region().growth < 0.0
            && o.size < 150.0
    });
    let str_small = rate_by_year(s, &small_rural, "students_enrolled", "teachers_total");
    assert!(
        !str_small.is_empty() && str_small.values().all(|r| *r < 600.0),
        "{str_small:?}"
    );
}

#[test]
fn genuine_gaps_exist() {
    let plan = plan::build(&demo_options());
    assert!(plan.orgs.iter().any(|o| o.missing_year.is_some()));
    let obs = parse(demo(), "observations.csv");
    let loc = obs.col("learning_outcome_coefficient");
    // Not collected before 2019 (the programme register): the demo starts in 2020, so it is
    // there; but scattered cells of soft metrics are missing.
    assert!(obs.rows.iter().any(|r| !r[loc].is_empty()));
    let pcs = obs.col("computers");
    let schools: Vec<_> = obs
        .rows
        .iter()
        .filter(|r| r[obs.col("shifts")].len() == 1)
        .collect();
    let missing = schools.iter().filter(|r| r[pcs].is_empty()).count();
    assert!(missing > 0 && missing < schools.len() / 10, "{missing}");
}

#[test]
fn defect_manifest_matches_the_files() {
    let s = defective();
    assert_eq!(
        s.defects.len(),
        parse_manifest(s).len(),
        "defects.json lists what the summary lists"
    );
    assert_eq!(parse_manifest(s), s.defects);
    let codes: BTreeSet<IssueCode> = s.defects.iter().map(|d| d.code).collect();
    for code in [
        IssueCode::BadValue,
        IssueCode::NegativeCount,
        IssueCode::FractionalCount,
        IssueCode::PartExceedsWhole,
        IssueCode::ShareOutOfRange,
        IssueCode::DuplicateKey,
        IssueCode::UnknownOrganisation,
        IssueCode::YearOutOfRange,
        IssueCode::UnknownHeader,
        IssueCode::SuspiciousJump,
        IssueCode::EmptyTable,
        IssueCode::MissingColumn,
        IssueCode::OutOfRange,
    ] {
        assert!(codes.contains(&code), "{code:?} not planted");
    }
    assert_eq!(
        s.defects
            .iter()
            .filter(|d| d.code == IssueCode::PartExceedsWhole)
            .count(),
        3
    );
    // Each defect's cell holds the value the manifest names.
    for d in &s.defects {
        let Some(row) = d.row else {
            assert_eq!(d.code, IssueCode::EmptyTable);
            assert_eq!(parse(s, &d.file).rows.len(), 0);
            continue;
        };
        let csv = parse(s, &d.file);
        let Some(column) = &d.column else { continue };
        if d.code == IssueCode::MissingColumn {
            assert!(!csv.header.contains(column));
            continue;
        }
        if row == 1 {
            assert!(csv.header.contains(column));
            continue;
        }
        let cells = &csv.rows[(row - 2) as usize];
        assert_eq!(cells[csv.col(column)], d.found, "{d:?}");
    }
    // The duplicate row repeats the first data row exactly.
    let obs = parse(s, "observations.csv");
    assert_eq!(obs.rows.first(), obs.rows.last());
    // Apart from the planted cells and rows, the defective sample is the clean one.
    let clean = parse(demo(), "observations.csv");
    assert_eq!(clean.rows.len() + 1, obs.rows.len());
    let planted: BTreeSet<u64> = s
        .defects
        .iter()
        .filter(|d| d.file == "observations.csv")
        .filter_map(|d| d.row)
        .collect();
    for (i, (a, b)) in clean.rows.iter().zip(&obs.rows).enumerate() {
        if !planted.contains(&(i as u64 + 2)) {
            assert_eq!(a[..], b[..a.len()], "row {}", i + 2);
        }
    }
}

fn parse_manifest(s: &Sample) -> Vec<Defect> {
    let f = s.file("defects.json").expect("defects.json");
    serde_json::from_slice(&f.bytes).expect("valid JSON")
}

#[test]
fn record_metrics_are_not_given_twice() {
    // docs/data.md: a metric derived from records and given in observations must
    // agree; the sample avoids the question by giving each in one place only.
    let s = demo();
    let st = parse(s, "students.csv");
    let with_records: BTreeSet<&str> = st.rows.iter().map(|r| r[1].as_str()).collect();
    assert!(!with_records.is_empty());
    let obs = parse(s, "observations.csv");
    let derived = [
        "students_enrolled",
        "graduates",
        "graduates_employed",
        "graduates_further_study",
        "expelled",
        "repeaters",
        "gpa_mean",
        "gpa_below_threshold",
    ];
    let cols: Vec<usize> = derived.iter().map(|c| obs.col(c)).collect();
    let mut rows_of_recorded = 0;
    for r in obs
        .rows
        .iter()
        .filter(|r| with_records.contains(r[0].as_str()))
    {
        rows_of_recorded += 1;
        for (&c, name) in cols.iter().zip(derived) {
            assert!(r[c].is_empty(), "{} {}: {name} given", r[0], r[1]);
        }
        // Metrics records do not give are still there.
        assert!(!r[obs.col("students_admitted")].is_empty());
    }
    assert!(rows_of_recorded > 0);
}
