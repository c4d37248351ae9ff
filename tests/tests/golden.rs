//! Golden test: the engine's indicators on the bundled sample equal an independent
//! computation (`tests/golden/reference.py`, Python standard library only, written from
//! the formulas of the spec and sharing no code with kpi-core).

use kpi_core::import::{load, read_paths, LoadOptions};
use kpi_core::indicators::{compute, Catalogue, Outcome};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

#[test]
fn indicators_on_the_sample_equal_the_independent_reference() {
    let root = root();
    let sources = read_paths(&[root.join("demo/data")]).expect("demo/data is readable");
    let dataset = load(sources, &LoadOptions::default());
    let table = compute(&dataset, &Catalogue::builtin());
    let expected = std::fs::read_to_string(root.join("tests/golden/expected_indicators.csv"))
        .expect("expected_indicators.csv exists");

    let mut checked = 0;
    let mut failures = Vec::new();
    for line in expected.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [org_id, year, indicator, value] = fields[..] else {
            panic!("malformed golden line {line:?}");
        };
        let year: i32 = year.parse().expect("year");
        let want: f64 = value.parse().expect("value");
        let org = dataset
            .org_by_id(org_id)
            .unwrap_or_else(|| panic!("organisation {org_id} of the golden file is loaded"));
        let unit = dataset.org_unit(org);
        match table.get(indicator, unit, year) {
            Some(Outcome::Value(got)) if (got - want).abs() <= 1e-9 * want.abs().max(1.0) => {}
            other => failures.push(format!(
                "{org_id} {year} {indicator}: expected {want}, got {other:?}"
            )),
        }
        checked += 1;
    }
    assert!(checked > 1000, "the golden file holds {checked} values");
    assert!(
        failures.is_empty(),
        "{} of {checked} values differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
