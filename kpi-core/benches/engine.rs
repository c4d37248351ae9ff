//! The engine on the small sample: building it (indicators and risk for every
//! unit and year) and answering `trend` and `compare` chart requests.
//!
//! `cargo bench -p kpi-core --bench engine`

use criterion::{criterion_group, criterion_main, Criterion};
use kpi_core::chart::ChartKind;
use kpi_core::engine::{Engine, ViewRequest};
use kpi_core::import::{load, LoadOptions, Source};
use kpi_core::indicators::Catalogue;
use kpi_core::model::{Level, YearSpan};
use kpi_core::risk::CriteriaSet;
use kpi_core::sample::{generate, SampleOptions, Scale};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut options = SampleOptions::new(1, Scale::Small);
    options.years = YearSpan::new(2020, 2024);
    let sources: Vec<Source> = generate(&options)
        .expect("sample")
        .files
        .into_iter()
        .filter(|f| f.name.ends_with(".csv"))
        .map(|f| Source {
            name: f.name,
            bytes: f.bytes,
        })
        .collect();
    let dataset = load(sources, &LoadOptions::default());
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    group.bench_function("new (small sample, 2020–2024)", |b| {
        b.iter(|| {
            let report = dataset.report().clone();
            Engine::new(
                black_box(dataset.clone()),
                report,
                Catalogue::builtin(),
                CriteriaSet::builtin(),
            )
        })
    });
    let engine = Engine::new(
        dataset.clone(),
        dataset.report().clone(),
        Catalogue::builtin(),
        CriteriaSet::builtin(),
    )
    .expect("engine");
    let school = engine
        .dataset()
        .orgs_of_level(Level::School)
        .next()
        .map(|o| engine.dataset().org(o).id.clone())
        .expect("a school");
    let request = |kind: ChartKind| ViewRequest {
        kind,
        org: Some(school.clone()),
        indicator: Some("student_teacher_ratio".into()),
        ..Default::default()
    };
    let trend = request(ChartKind::Trend);
    let compare = request(ChartKind::Compare);
    group.sample_size(50);
    group.bench_function("chart trend (school)", |b| {
        b.iter(|| engine.chart(black_box(&trend)))
    });
    group.bench_function("chart compare (150 schools)", |b| {
        b.iter(|| engine.chart(black_box(&compare)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
