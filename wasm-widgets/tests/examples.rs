//! The chart inputs of the end-to-end page (`demo/e2e/examples.json`) are the chart
//! engine's own examples of every kind. This test fails when the file is out of date;
//! `KPI_UPDATE_EXAMPLES=1 cargo test -p kpi-widgets --test examples` rewrites it.
#![cfg(not(target_arch = "wasm32"))]

use kpi_chart::examples::gallery;
use std::path::PathBuf;

/// Examples left out of the page: the 1,000-bar compare is the benchmark's job.
const SKIP: &[&str] = &["compare-1000"];

fn examples_json() -> String {
    let entries: Vec<serde_json::Value> = gallery()
        .into_iter()
        .filter(|(name, _)| !SKIP.contains(name))
        .map(|(name, input)| serde_json::json!({ "name": name, "input": input }))
        .collect();
    let mut text = serde_json::to_string(&entries).expect("chart inputs serialise");
    text.push('\n');
    text
}

#[test]
fn e2e_examples_are_the_engine_gallery() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../demo/e2e/examples.json");
    let want = examples_json();
    if std::env::var_os("KPI_UPDATE_EXAMPLES").is_some() {
        std::fs::write(&path, &want).expect("write examples.json");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is out of date: run KPI_UPDATE_EXAMPLES=1 cargo test -p kpi-widgets --test examples",
        path.display()
    );
    // Every kind is on the page.
    let kinds: std::collections::BTreeSet<String> =
        serde_json::from_str::<Vec<serde_json::Value>>(&have)
            .expect("valid JSON")
            .iter()
            .filter_map(|e| e["input"]["kind"].as_str().map(str::to_string))
            .collect();
    assert_eq!(kinds.len(), 12, "{kinds:?}");
}
