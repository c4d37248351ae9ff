//! Chart layout and SVG rendering: a trend and a 1,000-unit compare.
//!
//! `cargo bench -p kpi-core --bench chart`

use criterion::{criterion_group, criterion_main, Criterion};
use kpi_core::chart::{examples, layout_chart, render_svg, ChartInput, ChartOptions, Size};
use kpi_core::i18n::Lang;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let options = ChartOptions {
        lang: Lang::Ru,
        ..Default::default()
    };
    let size = Size::new(640.0, 400.0);
    let trend = ChartInput::Trend(examples::trend());
    let compare = ChartInput::Compare(examples::compare(1_000, false));
    let mut group = c.benchmark_group("chart");
    group.bench_function("trend layout", |b| {
        b.iter(|| layout_chart(black_box(&trend), size, &options))
    });
    group.bench_function("trend layout+svg", |b| {
        b.iter(|| render_svg(black_box(&trend), size, &options))
    });
    group.bench_function("compare 1000 layout", |b| {
        b.iter(|| layout_chart(black_box(&compare), size, &options))
    });
    group.bench_function("compare 1000 layout+svg", |b| {
        b.iter(|| render_svg(black_box(&compare), size, &options))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
