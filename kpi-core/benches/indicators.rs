//! Indicator and risk benchmarks on a synthetic national-size dataset.
//!
//! 18,000 organisations (9,500 preschools, 7,600 schools, 780 colleges,
//! 120 universities, roughly Kazakhstan's network) plus 3,000 programme units
//! (20 per university, 1 for each of 600 colleges), ten years, every metric
//! the built-in catalogue reads for each level, about 3% of cells missing.
//!
//! Targets (issues 3 and 4): the whole catalogue for every unit and year in
//! ≤ 300 ms; risk for every organisation and year in ≤ 1 s.
//!
//! `cargo bench -p kpi-core --bench indicators`

use criterion::{criterion_group, criterion_main, Criterion};
use kpi_core::indicators::{compute, Catalogue};
use kpi_core::model::{Dataset, DatasetBuilder, Level, Year};
use kpi_core::risk::{assess, assess_summary, CriteriaSet, IndicatorInputs, RiskFilter};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::time::Duration;

const FIRST: Year = 2014;
const YEARS: usize = 10;

/// One metric series: `base` × a yearly drift, with ~3% of years missing.
struct Gen {
    rng: ChaCha8Rng,
}

impl Gen {
    fn series(&mut self, base: f64, whole: bool) -> Vec<f64> {
        let mut v = base;
        (0..YEARS)
            .map(|_| {
                v *= self.rng.random_range(0.95..1.06);
                if self.rng.random_range(0.0..1.0) < 0.03 {
                    f64::NAN
                } else if whole {
                    v.round()
                } else {
                    v
                }
            })
            .collect()
    }

    fn share(&mut self, lo: f64, hi: f64) -> f64 {
        self.rng.random_range(lo..hi)
    }
}

/// Adds one unit's metrics for its level. `n` is the unit's enrolment.
fn unit_metrics(
    mut b: DatasetBuilder,
    g: &mut Gen,
    org: &str,
    programme: Option<&str>,
    level: Level,
    n: f64,
) -> DatasetBuilder {
    let mut put = |b: DatasetBuilder, metric: &str, base: f64, whole: bool| {
        let s = g.series(base, whole);
        b.series(org, programme, metric, FIRST, &s)
    };
    let female = 0.49 * n;
    b = put(b, "students_enrolled.female", female, true);
    b = put(b, "students_enrolled.male", n - female, true);
    let graduates = n / 5.0;
    b = put(b, "graduates", graduates, true);
    b = put(b, "students_admitted", n / 4.5, true);
    if level != Level::Preschool {
        b = put(b, "expelled", 0.03 * n, true);
    }
    if matches!(level, Level::College | Level::University) {
        b = put(b, "graduates_employed", 0.7 * graduates, true);
        b = put(b, "graduates_further_study", 0.1 * graduates, true);
        b = put(b, "graduates_on_time", 0.85 * graduates, true);
        b = put(b, "final_attestation_pass", 0.95 * graduates, true);
        b = put(b, "applicants", 2.5 * n / 4.5, true);
        b = put(b, "promoted", 0.9 * n, true);
        b = put(b, "enrolled_prev_grade", 0.95 * n, true);
        let answers = (0.3 * n).max(5.0);
        b = put(b, "answers_students", answers, true);
        b = put(b, "satisfied_students", 0.8 * answers, true);
        b = put(b, "satisfaction_students", 0.8, false);
        b = put(b, "satisfaction_employers", 0.75, false);
        b = put(b, "accredited", 1.0, true);
    }
    if level == Level::University {
        b = put(b, "gpa_below_threshold", 0.05 * n, true);
        b = put(b, "gpa_mean", 2.9, false);
        b = put(b, "learning_outcome_coefficient", 0.8, false);
        b = put(b, "mobility_out", 0.01 * n, true);
        b = put(b, "mobility_in", 0.005 * n, true);
    }
    b
}

/// Adds an organisation's own (whole-organisation) metrics.
fn org_metrics(
    mut b: DatasetBuilder,
    g: &mut Gen,
    org: &str,
    level: Level,
    n: f64,
) -> DatasetBuilder {
    b = unit_metrics(b, g, org, None, level, n);
    let ratio = match level {
        Level::Preschool => 9.0,
        Level::School => 12.0,
        Level::College => 14.0,
        Level::University => 16.0,
    };
    let teachers = (n / ratio).max(2.0);
    let shares = [g.share(0.2, 0.5), g.share(0.7, 1.0), g.share(0.02, 0.12)];
    let mut put = |b: DatasetBuilder, metric: &str, base: f64, whole: bool| {
        let s = g.series(base, whole);
        b.series(org, None, metric, FIRST, &s)
    };
    b = put(b, "teachers_total", teachers, true);
    b = put(b, "teachers_fte", 0.9 * teachers, false);
    b = put(b, "teachers_trained_5y", shares[1] * teachers, true);
    b = put(b, "staff_left", shares[2] * teachers, true);
    b = put(b, "area_m2", 6.0 * n, false);
    b = put(b, "budget_kzt", 600_000.0 * n, false);
    if level != Level::University {
        b = put(b, "teachers_top_category", shares[0] * teachers, true);
    }
    if matches!(level, Level::Preschool | Level::School) {
        b = put(b, "capacity", 1.05 * n, true);
        let answers = (0.2 * n).max(5.0);
        b = put(b, "answers_parents", answers, true);
        b = put(b, "satisfied_parents", 0.85 * answers, true);
        b = put(b, "satisfaction_parents", 0.85, false);
    }
    if level != Level::Preschool {
        b = put(b, "computers", n / 10.0, true);
        b = put(b, "library_items", 15.0 * n, true);
    }
    if matches!(level, Level::School | Level::College) {
        b = put(b, "repeaters", 0.01 * n, true);
    }
    if level == Level::School {
        b = put(b, "promoted", 0.97 * n / 11.0, true);
        b = put(b, "enrolled_prev_grade", n / 11.0, true);
        b = put(b, "shifts", 2.0, true);
        let takers = graduates_of_school(n);
        b = put(b, "exam_takers", takers, true);
        b = put(b, "exam_passed", 0.9 * takers, true);
        b = put(b, "exam_score_mean", 75.0, false);
        b = put(b, "achievement_score_mean.reading", 60.0, false);
        b = put(b, "achievement_score_mean.math", 55.0, false);
        b = put(b, "final_attestation_pass", 0.97 * takers, true);
    }
    if level == Level::University {
        b = put(b, "teachers_with_degree", 0.45 * teachers, true);
        b = put(b, "publications_indexed", 0.3 * teachers, true);
        b = put(b, "research_kzt", 2_000_000.0 * teachers, false);
    }
    b
}

fn graduates_of_school(n: f64) -> f64 {
    (n / 11.0).max(3.0)
}

/// The synthetic national dataset.
fn national() -> Dataset {
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(20_231_101),
    };
    let mut b = DatasetBuilder::new(FIRST, FIRST + YEARS as Year - 1);
    let plan: [(Level, &str, usize, std::ops::Range<f64>); 4] = [
        (Level::Preschool, "P", 9_500, 40.0..300.0),
        (Level::School, "S", 7_600, 50.0..2_500.0),
        (Level::College, "C", 780, 300.0..3_000.0),
        (Level::University, "U", 120, 1_500.0..25_000.0),
    ];
    let regions = [
        "Astana",
        "Almaty",
        "Shymkent",
        "Abai",
        "Akmola",
        "Aktobe",
        "Almaty region",
        "Atyrau",
        "East Kazakhstan",
        "Zhambyl",
        "Zhetysu",
        "West Kazakhstan",
        "Karaganda",
        "Kostanay",
        "Kyzylorda",
        "Mangystau",
        "Pavlodar",
        "North Kazakhstan",
        "Turkistan",
        "Ulytau",
    ];
    let mut orgs = Vec::new();
    for (level, prefix, count, size) in plan {
        for i in 0..count {
            let id = format!("{prefix}{i:05}");
            let region = regions[i % regions.len()];
            b = b.org(&id, level, region);
            orgs.push((id, level, g.rng.random_range(size.clone())));
        }
    }
    let mut programmes = 0;
    for (id, level, n) in &orgs {
        b = org_metrics(b, &mut g, id, *level, n.round());
        let per_org = match level {
            Level::University => 20,
            // Colleges come before universities: the first 600 get one programme.
            Level::College if programmes < 600 => 1,
            _ => 0,
        };
        for p in 0..per_org {
            let code = format!("6B{p:05}");
            b = b.programme(id, &code);
            b = unit_metrics(b, &mut g, id, Some(&code), *level, (n / 20.0).round());
            programmes += 1;
        }
    }
    assert_eq!(programmes, 3_000);
    b.build()
}

fn benches(c: &mut Criterion) {
    let ds = national();
    let catalogue = Catalogue::builtin();
    let criteria = CriteriaSet::builtin();
    let table = compute(&ds, &catalogue);
    eprintln!(
        "dataset: {} organisations, {} units, {} years; {} indicators; employment_rate coverage {:?}",
        ds.organisations().len(),
        ds.units().len(),
        ds.years().len(),
        catalogue.len(),
        table.coverage("employment_rate")
    );

    let mut g = c.benchmark_group("national");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8));
    g.bench_function("indicators: whole catalogue, all units, 10 years", |b| {
        b.iter(|| black_box(compute(black_box(&ds), &catalogue)))
    });
    g.bench_function(
        "risk: scores and degrees, every organisation and year",
        |b| {
            b.iter(|| {
                black_box(assess_summary(
                    &ds,
                    &IndicatorInputs::new(&table),
                    &criteria,
                    &RiskFilter::default(),
                ))
            })
        },
    );
    g.bench_function(
        "risk: scores and degrees, with computing the indicators",
        |b| {
            b.iter(|| {
                let t = compute(&ds, &catalogue);
                black_box(assess_summary(
                    &ds,
                    &IndicatorInputs::new(&t),
                    &criteria,
                    &RiskFilter::default(),
                ))
            })
        },
    );
    g.bench_function(
        "risk: full explanations, every organisation and year",
        |b| {
            b.iter(|| {
                black_box(assess(
                    &ds,
                    &IndicatorInputs::new(&table),
                    &criteria,
                    &RiskFilter::default(),
                ))
            })
        },
    );
    g.finish();
}

criterion_group!(indicators, benches);
criterion_main!(indicators);
