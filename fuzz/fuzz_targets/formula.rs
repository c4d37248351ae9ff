//! Any text as a formula: parsing and, when it parses, evaluation on a small dataset through a
//! user catalogue, never panic and never produce a non-finite value.
#![no_main]
use kpi_core::import::{load, LoadOptions, Source};
use kpi_core::indicators::{compute, Catalogue, Outcome};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn dataset() -> &'static kpi_core::model::Dataset {
    static DATASET: OnceLock<kpi_core::model::Dataset> = OnceLock::new();
    DATASET.get_or_init(|| {
        let orgs = Source { name: "organisations.csv".into(), bytes: b"org_id,name,level,region\nA1,A,school,Astana\nB2,B,school,Almaty\n".to_vec() };
        let obs = Source {
            name: "observations.csv".into(),
            bytes: b"org_id,year,students_enrolled,students_enrolled.female,teachers_total,capacity,graduates\nA1,2022,100,55,10,120,0\nA1,2023,110,50,11,120,20\nB2,2023,0,0,0,0,5\n".to_vec(),
        };
        load(vec![orgs, obs], &LoadOptions::default())
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = kpi_core::indicators::formula::Formula::parse(text);
    let json = serde_json::json!({"indicator": [{
        "code": "fuzzed", "family": "input", "levels": ["school"], "formula": text,
        "unit": "ratio", "direction": "higher", "name": {"en": "Fuzzed"}
    }]});
    if let Ok(catalogue) = Catalogue::from_json_str("fuzz.json", &json.to_string()) {
        let dataset = dataset();
        let table = compute(dataset, &catalogue);
        for unit in table.units_in_order() {
            for (_, outcome) in table.series("fuzzed", unit) {
                if let Outcome::Value(v) = outcome {
                    assert!(v.is_finite(), "formula {text:?} gave {v}");
                }
            }
        }
    }
});
