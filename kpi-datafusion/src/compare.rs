//! Two datasets compared value by value, by names (organisation id,
//! programme code, metric, breakdown, year; indicator code), not by internal
//! numbers: how the tests and `examples/compare_engines.rs` check that both
//! engines give the same metric table and the same indicators.

use kpi_indicators::{compute, Catalogue, Filter, Outcome};
use kpi_model::{Dataset, UnitId};
use std::collections::BTreeMap;

/// A cell named as the user names it: what (metric and breakdown, or
/// indicator), organisation id, programme code (empty for the whole
/// organisation) and year.
pub type Key = (String, String, String, i32);

/// Where two datasets differ.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// The cell.
    pub key: Key,
    /// Its value in the first dataset (`None`: absent or not computable).
    pub left: Option<f64>,
    /// Its value in the second.
    pub right: Option<f64>,
}

/// How many cells were compared, and the differences.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    /// Metric values compared (present in either dataset).
    pub metric_cells: usize,
    /// Indicator cells compared (values and not-computable cells).
    pub indicator_cells: usize,
    /// Differences beyond the tolerance, metric cells first.
    pub differences: Vec<Difference>,
}

/// The organisation id and programme code of a unit.
fn unit_key(ds: &Dataset, unit: UnitId) -> (String, String) {
    let u = ds.unit(unit);
    let org = ds.org(u.org).id.clone();
    (org, ds.programme_code(unit).unwrap_or("").to_string())
}

/// Every value of the metric store, keyed by names.
pub fn metric_table(ds: &Dataset) -> BTreeMap<Key, f64> {
    let store = ds.store();
    let mut out = BTreeMap::new();
    for (col, key) in store.columns() {
        let mut what = ds.metrics().code(key.metric).to_string();
        if let Some(b) = key.breakdown {
            what = format!("{what}.{}", store.breakdown_name(b));
        }
        for u in 0..ds.units().len() {
            let unit = UnitId(u as u32);
            for year in ds.years().iter() {
                if let Some(v) = store.get(col, unit, year) {
                    let (org, prog) = unit_key(ds, unit);
                    out.insert((what.clone(), org, prog, year), v);
                }
            }
        }
    }
    out
}

/// Every cell of the built-in indicator catalogue, keyed by names (`None`:
/// not computable).
pub fn indicator_table(ds: &Dataset) -> BTreeMap<Key, Option<f64>> {
    let table = compute(ds, &Catalogue::builtin());
    table
        .iter(&Filter::default())
        .filter_map(|e| {
            let code = table.def(e.indicator)?.code.clone();
            let (org, prog) = unit_key(ds, e.unit);
            let value = match e.outcome {
                Outcome::Value(v) => Some(v),
                _ => None,
            };
            Some(((code, org, prog, e.year), value))
        })
        .collect()
}

/// Compares the metric tables and the indicators of two datasets; values
/// agree when `|a − b| ≤ tolerance × max(|b|, 1)`.
///
/// ```
/// use kpi_datafusion::compare::compare;
/// use kpi_import::{load, LoadOptions, Source};
/// let orgs = "org_id,name,level,region\nS1,School 1,school,Abai\n";
/// let obs = |n: u32| format!("org_id,year,students_enrolled\nS1,2023,{n}\n");
/// let ds = |n| load(vec![
///     Source { name: "organisations.csv".into(), bytes: orgs.into() },
///     Source { name: "observations.csv".into(), bytes: obs(n).into_bytes() },
/// ], &LoadOptions::default());
/// assert!(compare(&ds(420), &ds(420), 1e-9).differences.is_empty());
/// let d = compare(&ds(420), &ds(421), 1e-9);
/// assert_eq!(d.differences[0].key.0, "students_enrolled");
/// ```
pub fn compare(a: &Dataset, b: &Dataset, tolerance: f64) -> Comparison {
    let as_cells = |t: BTreeMap<Key, f64>| t.into_iter().map(|(k, v)| (k, Some(v))).collect();
    let mut out = Comparison::default();
    out.metric_cells = diff_into(
        &as_cells(metric_table(a)),
        &as_cells(metric_table(b)),
        tolerance,
        &mut out.differences,
    );
    out.indicator_cells = diff_into(
        &indicator_table(a),
        &indicator_table(b),
        tolerance,
        &mut out.differences,
    );
    out
}

/// Appends the cells where two tables differ to `differences` and returns
/// how many cells were compared (present in either). A cell absent on one
/// side differs; not computable on both sides agrees.
fn diff_into(
    a: &BTreeMap<Key, Option<f64>>,
    b: &BTreeMap<Key, Option<f64>>,
    tolerance: f64,
    differences: &mut Vec<Difference>,
) -> usize {
    let close = |x: f64, y: f64| (x - y).abs() <= tolerance * y.abs().max(1.0);
    let keys: std::collections::BTreeSet<&Key> = a.keys().chain(b.keys()).collect();
    for &k in &keys {
        let same = match (a.get(k), b.get(k)) {
            (Some(Some(x)), Some(Some(y))) => close(*x, *y),
            (Some(None), Some(None)) => true,
            _ => false,
        };
        if !same {
            differences.push(Difference {
                key: k.clone(),
                left: a.get(k).copied().flatten(),
                right: b.get(k).copied().flatten(),
            });
        }
    }
    keys.len()
}
