//! Load benchmark: a synthetic national-style dataset in CSV (organisations,
//! wide observations, 300,000 student rows, grades, survey answers), loaded
//! and aggregated to metrics end to end. Throughput is reported in bytes of
//! CSV per second (target: ≥ 150 MB/s on the 2-core reference machine).
//!
//! Run: `cargo bench -p kpi-core --bench load`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kpi_core::import::{load, LoadOptions, Source};
use std::fmt::Write;
use std::hint::black_box;

/// A small deterministic generator (64-bit LCG), so every run loads the same bytes.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const REGIONS: [&str; 6] = [
    "Abai",
    "Akmola",
    "Almaty",
    "Astana",
    "Karaganda",
    "Turkistan",
];
const METRICS: [&str; 16] = [
    "students_enrolled",
    "students_admitted",
    "applicants",
    "capacity",
    "teachers_total",
    "teachers_fte",
    "teachers_with_degree",
    "teachers_top_category",
    "graduates",
    "graduates_employed",
    "expelled",
    "computers",
    "library_items",
    "area_m2",
    "budget_kzt",
    "publications_indexed",
];

/// The dataset: (sources, total bytes).
fn dataset(n_orgs: usize, n_students: usize) -> Vec<Source> {
    let mut rng = Lcg(20240901);
    let years = 2015..2025;
    let mut orgs = String::from("org_id,name,level,region,ownership,locality\n");
    for i in 0..n_orgs {
        let level = ["school", "college", "university"][i % 3];
        let _ = writeln!(
            orgs,
            "{:012},Organisation {i},{level},{},{},{}",
            100_000 + i,
            REGIONS[i % REGIONS.len()],
            if i % 5 == 0 { "private" } else { "state" },
            if i % 4 == 0 { "rural" } else { "urban" },
        );
    }
    let mut obs = String::from("org_id,year");
    for m in METRICS {
        obs.push(',');
        obs.push_str(m);
    }
    obs.push('\n');
    for i in 0..n_orgs {
        let base = 200 + rng.below(2000);
        for y in years.clone() {
            let _ = write!(obs, "{:012},{y}", 100_000 + i);
            for (k, _) in METRICS.iter().enumerate() {
                // Counts around the base, with gaps (about 1 in 20 empty).
                if rng.below(20) == 0 {
                    obs.push(',');
                } else {
                    let v = base / (k as u64 + 1) + rng.below(50);
                    let _ = write!(obs, ",{v}");
                }
            }
            obs.push('\n');
        }
    }
    let mut students = String::from(
        "student_id,org_id,year,programme,course,status,gpa,credits_earned,funding,employed,further_study\n",
    );
    let statuses = [
        "enrolled",
        "enrolled",
        "enrolled",
        "enrolled",
        "enrolled",
        "graduated",
        "expelled",
        "academic_leave",
        "repeating",
    ];
    let uni: Vec<usize> = (0..n_orgs).filter(|i| i % 3 == 2).collect();
    for s in 0..n_students {
        let org = uni[s % uni.len()];
        let year = 2015 + (s / uni.len() % 10) as i32;
        let status = statuses[rng.below(statuses.len() as u64) as usize];
        let course = 1 + rng.below(4);
        let gpa = 1.0 + rng.below(300) as f64 / 100.0;
        let (employed, further) = if status == "graduated" {
            (
                if rng.below(3) > 0 { "yes" } else { "no" },
                if rng.below(5) == 0 { "yes" } else { "no" },
            )
        } else {
            ("", "")
        };
        let _ =
            writeln!(
            students,
            "ST{s:08},{:012},{year},6B0{}101,{course},{status},{gpa:.2},{},{},{employed},{further}",
            100_000 + org,
            1 + rng.below(9),
            30 + rng.below(31),
            if rng.below(2) == 0 { "state_grant" } else { "paid" },
        );
    }
    let mut grades = String::from("student_id,org_id,year,term,course_code,credits,score\n");
    for s in 0..n_students / 10 {
        let org = uni[s % uni.len()];
        let year = 2015 + (s / uni.len() % 10) as i32;
        for term in 1..=2 {
            for c in 0..3 {
                let _ = writeln!(
                    grades,
                    "ST{s:08},{:012},{year},{term},C{c}{term},5,{}",
                    100_000 + org,
                    40 + rng.below(61)
                );
            }
        }
    }
    let mut surveys = String::from("org_id,year,survey,respondent_id,question,score\n");
    for a in 0..n_students / 5 {
        let org = a % n_orgs;
        let _ = writeln!(
            surveys,
            "{:012},{},{},R{a},Q{},{}",
            100_000 + org,
            2015 + (a % 10),
            ["students", "parents", "staff"][a % 3],
            a % 7,
            1 + rng.below(5)
        );
    }
    [
        ("organisations.csv", orgs),
        ("observations.csv", obs),
        ("students.csv", students),
        ("grades.csv", grades),
        ("surveys.csv", surveys),
    ]
    .into_iter()
    .map(|(name, text)| Source {
        name: name.into(),
        bytes: text.into_bytes(),
    })
    .collect()
}

fn bench_load(c: &mut Criterion) {
    let sources = dataset(3_000, 300_000);
    let bytes: u64 = sources.iter().map(|s| s.bytes.len() as u64).sum();
    // A sanity check that the benchmark measures a clean load.
    let ds = load(sources.clone(), &LoadOptions::default());
    assert!(
        !ds.report().has_errors(),
        "{:?}",
        ds.report().issues.first()
    );
    assert_eq!(ds.students().records.len(), 300_000);

    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_with_input(
        BenchmarkId::new("csv_end_to_end", format!("{} MB", bytes / 1_000_000)),
        &sources,
        |b, sources| {
            b.iter_batched(
                || sources.clone(),
                |s| black_box(load(s, &LoadOptions::default())),
                criterion::BatchSize::LargeInput,
            )
        },
    );
    group.finish();
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
