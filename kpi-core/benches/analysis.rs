//! Analysis benchmarks on a national-scale synthetic population (18,000
//! organisations):
//!
//! - `peer_comparison/one_indicator`: positions + distribution of one
//!   indicator for every organisation in its peer group (level; level+region);
//! - `dynamic/analyse_series_18000x10y`: the full dynamic analysis of 18,000
//!   ten-year series;
//! - `national/compare_60_indicators_plus_risk`: the target, peer
//!   comparison of 60 indicators for every organisation in one year together
//!   with the risk assessment of every organisation in every year (≤ 1 s).
//!
//! Run: `cargo bench -p kpi-core --bench analysis`.

use criterion::{criterion_group, criterion_main, Criterion};
use kpi_core::analysis::comparative::{
    compare_in_peer_groups, PeerAttribute, PeerGroup, PeerIndex,
};
use kpi_core::analysis::{analyse_series, SeriesPoint};
use kpi_core::metrics::MetricRegistry;
use kpi_core::model::{
    Dataset, DatasetParts, Direction, Level, Locality, MetricStore, OrgIdx, Organisation,
    Ownership, Year, YearSpan,
};
use kpi_core::risk::{assess, CriteriaSet, CriterionGap, RiskFilter, RiskInputs};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;
use std::time::Duration;

const N_ORGS: usize = 18_000;
const N_INDICATORS: usize = 60;
const YEARS: YearSpan = YearSpan {
    first: 2019,
    last: 2023,
};

fn dataset() -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let organisations = (0..N_ORGS)
        .map(|i| {
            // about the national mix: many preschools and schools, fewer colleges and universities
            let level = match rng.random_range(0..100) {
                0..=39 => Level::Preschool,
                40..=89 => Level::School,
                90..=98 => Level::College,
                _ => Level::University,
            };
            Organisation {
                id: format!("ORG{i:06}"),
                name: format!("Organisation {i}"),
                name_kk: None,
                name_ru: None,
                name_en: None,
                level,
                region: format!("Region {}", rng.random_range(0..20)),
                ownership: Some(if rng.random_bool(0.85) {
                    Ownership::State
                } else {
                    Ownership::Private
                }),
                locality: Some(if rng.random_bool(0.5) {
                    Locality::Urban
                } else {
                    Locality::Rural
                }),
            }
        })
        .collect();
    Dataset::from_parts(DatasetParts {
        organisations,
        programmes: vec![],
        metrics: MetricRegistry::builtin(),
        store: MetricStore::new(YEARS, N_ORGS),
        students: Default::default(),
        terms: vec![],
        report: Default::default(),
    })
}

/// A deterministic value in 0–100 for (indicator, org, year); about 5% missing.
fn synthetic(indicator: &str, org: OrgIdx, year: Year) -> Option<f64> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in indicator
        .bytes()
        .chain(org.0.to_le_bytes())
        .chain(year.to_le_bytes())
    {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    (h % 20 != 0).then(|| (h >> 11) as f64 / (1u64 << 53) as f64 * 100.0)
}

struct Synthetic;

impl RiskInputs for Synthetic {
    fn direction(&self, indicator: &str) -> Option<Direction> {
        Some(direction_of(indicator))
    }
    fn value(&self, indicator: &str, org: OrgIdx, year: Year) -> Result<f64, CriterionGap> {
        synthetic(indicator, org, year)
            .ok_or_else(|| CriterionGap::Other(format!("{indicator} missing in {year}")))
    }
}

fn direction_of(code: &str) -> Direction {
    if code == "capacity_utilisation" {
        Direction::Target {
            min: 80.0,
            max: 100.0,
        }
    } else if [
        "dropout",
        "turnover",
        "repetition",
        "ratio",
        "per_computer",
        "risk",
        "shifts",
    ]
    .iter()
    .any(|w| code.contains(w))
    {
        Direction::Lower
    } else {
        Direction::Higher
    }
}

/// One year's values of `n` indicators, for every organisation.
fn indicator_values(n: usize, year: Year) -> Vec<Vec<(OrgIdx, f64)>> {
    (0..n)
        .map(|k| {
            let code = format!("indicator_{k}");
            (0..N_ORGS as u32)
                .filter_map(|o| synthetic(&code, OrgIdx(o), year).map(|v| (OrgIdx(o), v)))
                .collect()
        })
        .collect()
}

fn series() -> Vec<Vec<SeriesPoint>> {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    (0..N_ORGS)
        .map(|_| {
            let base: f64 = rng.random_range(40.0..90.0);
            let slope: f64 = rng.random_range(-2.0..2.0);
            (2014..2024)
                .map(|y| {
                    let v = base + slope * f64::from(y - 2014) + rng.random_range(-3.0..3.0);
                    (y, (!rng.random_bool(0.03)).then_some(v))
                })
                .collect()
        })
        .collect()
}

/// Every indicator's peer comparison, the peer groups resolved once.
fn compare_all(ds: &Dataset, group: &PeerGroup, values: &[Vec<(OrgIdx, f64)>]) -> usize {
    let Ok(index) = PeerIndex::new(ds, group) else {
        return 0;
    };
    values
        .iter()
        .map(|v| index.compare(black_box(v), Direction::Higher).0.len())
        .sum()
}

fn benches(c: &mut Criterion) {
    let ds = dataset();
    let one = indicator_values(1, 2023).remove(0);
    let by_level = PeerGroup::default();
    let by_region = PeerGroup::same_level_and(&[PeerAttribute::Region]);

    let mut g = c.benchmark_group("peer_comparison");
    g.sample_size(20).measurement_time(Duration::from_secs(4));
    g.bench_function("one_indicator_18000_orgs_level", |b| {
        b.iter(|| compare_in_peer_groups(&ds, &by_level, black_box(&one), Direction::Higher))
    });
    g.bench_function("one_indicator_18000_orgs_level_region", |b| {
        b.iter(|| compare_in_peer_groups(&ds, &by_region, black_box(&one), Direction::Higher))
    });
    g.finish();

    let all_series = series();
    let mut g = c.benchmark_group("dynamic");
    g.sample_size(10).measurement_time(Duration::from_secs(6));
    g.bench_function("analyse_series_18000x10y", |b| {
        b.iter(|| {
            all_series
                .iter()
                .map(|s| analyse_series(black_box(s), Direction::Higher))
                .filter(Result::is_ok)
                .count()
        })
    });
    g.finish();

    let values = indicator_values(N_INDICATORS, 2023);
    let criteria = CriteriaSet::builtin();
    // Peer groups are resolved once per dataset and definition (part of the timing below).
    let mut g = c.benchmark_group("national");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("compare_60_indicators", |b| {
        b.iter(|| compare_all(&ds, &by_level, &values))
    });
    g.bench_function("risk_all_orgs_5_years", |b| {
        b.iter(|| {
            assess(&ds, &Synthetic, &criteria, &RiskFilter::default())
                .assessments
                .len()
        })
    });
    g.bench_function("compare_60_indicators_plus_risk", |b| {
        b.iter(|| {
            let compared = compare_all(&ds, &by_level, &values);
            let risk = assess(&ds, &Synthetic, &criteria, &RiskFilter::default());
            (compared, risk.assessments.len())
        })
    });
    g.finish();
}

criterion_group!(analysis, benches);
criterion_main!(analysis);
