//! Parquet and Arrow IPC input: the bundled sample (`demo/data`, CSV) converted
//! to each columnar format loads to the same metric table and the same
//! indicator values as the CSV, cell by cell.

use kpi_core::import::{load, read_paths, LoadOptions, Source};
use kpi_core::indicators::{compute, Catalogue, Filter, Outcome};
use kpi_core::model::Dataset;
use kpi_core::sample::{record_batch_of_csv, write_columnar, ColumnarFormat};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn csv_sources() -> Vec<Source> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    read_paths(&[root.join("demo/data")]).expect("demo/data is readable")
}

/// The CSV tables of the sample, each converted to `format`.
fn columnar_sources(format: ColumnarFormat) -> Vec<Source> {
    csv_sources()
        .into_iter()
        .filter_map(|s| {
            let stem = s.name.strip_suffix(".csv")?;
            let batch = record_batch_of_csv(&s.bytes).expect("the sample's CSV");
            let mut bytes = Vec::new();
            write_columnar(&batch, format, &mut bytes).expect("written");
            Some(Source {
                name: format!("{stem}.{}", format.extension()),
                bytes,
            })
        })
        .collect()
}

/// A unit as the user names it: organisation id and programme code.
fn unit_key(ds: &Dataset, unit: kpi_core::model::UnitId) -> (String, String) {
    let u = ds.unit(unit);
    let org = ds.org(u.org).id.clone();
    (org, ds.programme_code(unit).unwrap_or("").to_string())
}

/// Every value of the metric table, keyed by names (not by internal numbers).
type MetricTable = BTreeMap<(String, String, String, String, i32), f64>;

fn metric_table(ds: &Dataset) -> MetricTable {
    let store = ds.store();
    let mut out = BTreeMap::new();
    for (col, key) in store.columns() {
        let metric = ds.metrics().code(key.metric).to_string();
        let breakdown = key
            .breakdown
            .map(|b| store.breakdown_name(b).to_string())
            .unwrap_or_default();
        for u in 0..ds.units().len() {
            let unit = kpi_core::model::UnitId(u as u32);
            for year in ds.years().iter() {
                if let Some(v) = store.get(col, unit, year) {
                    let (org, prog) = unit_key(ds, unit);
                    out.insert((metric.clone(), breakdown.clone(), org, prog, year), v);
                }
            }
        }
    }
    out
}

fn indicator_values(ds: &Dataset) -> BTreeMap<(String, String, String, i32), Option<f64>> {
    let table = compute(ds, &Catalogue::builtin());
    table
        .iter(&Filter::default())
        .map(|e| {
            let code = table.def(e.indicator).expect("indicator").code.clone();
            let (org, prog) = unit_key(ds, e.unit);
            let value = match e.outcome {
                Outcome::Value(v) => Some(v),
                _ => None,
            };
            ((code, org, prog, e.year), value)
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

fn assert_same_as_csv(format: ColumnarFormat) {
    let csv = load(csv_sources(), &LoadOptions::default());
    let columnar = load(columnar_sources(format), &LoadOptions::default());
    assert!(
        !columnar.report().has_errors(),
        "{:#?}",
        columnar.report().issues
    );
    assert_eq!(csv.organisations().len(), columnar.organisations().len());
    assert_eq!(csv.students().ids.len(), columnar.students().ids.len());
    assert_eq!(csv.terms().len(), columnar.terms().len());

    let (a, b) = (metric_table(&csv), metric_table(&columnar));
    assert!(
        a.len() > 10_000,
        "the sample's metric table has {} values",
        a.len()
    );
    assert_eq!(a.len(), b.len(), "{format:?}: number of metric values");
    for (k, v) in &a {
        let w = b
            .get(k)
            .unwrap_or_else(|| panic!("{format:?}: {k:?} missing"));
        assert!(close(*w, *v), "{format:?}: {k:?}: {w} != CSV {v}");
    }

    let (a, b) = (indicator_values(&csv), indicator_values(&columnar));
    assert!(a.values().filter(|v| v.is_some()).count() > 1_000);
    assert_eq!(a.len(), b.len(), "{format:?}: number of indicator cells");
    for (k, v) in &a {
        let w = b
            .get(k)
            .unwrap_or_else(|| panic!("{format:?}: {k:?} missing"));
        match (v, w) {
            (Some(v), Some(w)) => assert!(close(*w, *v), "{format:?}: {k:?}: {w} != CSV {v}"),
            (None, None) => {}
            _ => panic!("{format:?}: {k:?}: {w:?} against CSV {v:?}"),
        }
    }
    // The same issues (warnings and notes of the sample), apart from where they are.
    let kinds = |ds: &Dataset| {
        let mut k: Vec<String> = ds
            .report()
            .issues
            .iter()
            .map(|i| format!("{:?} {:?}", i.severity, i.code))
            .collect();
        k.sort();
        k
    };
    assert_eq!(kinds(&csv), kinds(&columnar), "{format:?}: issues");
}

#[test]
fn the_sample_as_parquet_gives_the_csv_metric_table_and_indicators() {
    assert_same_as_csv(ColumnarFormat::Parquet);
}

#[test]
fn the_sample_as_arrow_ipc_gives_the_csv_metric_table_and_indicators() {
    assert_same_as_csv(ColumnarFormat::Arrow);
}
