//! The bodies of the cargo-fuzz targets (`fuzz/fuzz_targets/`), shared with
//! the replay of saved crash inputs (`tests/fuzz-regressions/`) so that the
//! two cannot drift. Not part of the public API.

use crate::import::{load, LoadOptions, Source};
use crate::indicators::{compute, Catalogue, Outcome};
use crate::model::Dataset;
use crate::risk::CriteriaSet;
use std::sync::OnceLock;

/// A fuzz target's body: any bytes in, never a panic.
pub type Target = fn(&[u8]);

/// The fuzz targets by name, as `fuzz/Cargo.toml` lists them.
pub const TARGETS: [(&str, Target); 5] = [
    ("import_csv", import_csv),
    ("import_xlsx", import_xlsx),
    ("import_json", import_json),
    ("formula", formula),
    ("catalogue_criteria", catalogue_criteria),
];

/// Any bytes named as a CSV table; the first byte picks which table, so
/// every reader is reached. The import must return (with issues).
pub fn import_csv(data: &[u8]) {
    let names = [
        "organisations.csv",
        "observations.csv",
        "students.csv",
        "grades.csv",
        "surveys.csv",
        "data.csv",
    ];
    let (pick, body) = data
        .split_first()
        .map_or((0, data), |(p, b)| (*p as usize, b));
    let organisations = Source {
        name: "organisations.csv".into(),
        bytes: b"org_id,name,level,region\nA1,A,school,Astana\n".to_vec(),
    };
    let source = Source {
        name: names[pick % names.len()].into(),
        bytes: body.to_vec(),
    };
    let _ = load(vec![organisations, source], &LoadOptions::default());
}

/// Any bytes named as a workbook (truncated zips, zip bombs, hostile XML).
pub fn import_xlsx(data: &[u8]) {
    let source = Source {
        name: "nobd.xlsx".into(),
        bytes: data.to_vec(),
    };
    let _ = load(vec![source], &LoadOptions::default());
}

/// Any bytes named as a JSON dataset (deep nesting, huge numbers, wrong shapes).
pub fn import_json(data: &[u8]) {
    let source = Source {
        name: "dataset.json".into(),
        bytes: data.to_vec(),
    };
    let _ = load(vec![source], &LoadOptions::default());
}

fn formula_dataset() -> &'static Dataset {
    static DATASET: OnceLock<Dataset> = OnceLock::new();
    DATASET.get_or_init(|| {
        let orgs = Source {
            name: "organisations.csv".into(),
            bytes: b"org_id,name,level,region\nA1,A,school,Astana\nB2,B,school,Almaty\n".to_vec(),
        };
        let obs = Source {
            name: "observations.csv".into(),
            bytes: b"org_id,year,students_enrolled,students_enrolled.female,teachers_total,capacity,graduates\nA1,2022,100,55,10,120,0\nA1,2023,110,50,11,120,20\nB2,2023,0,0,0,0,5\n".to_vec(),
        };
        load(vec![orgs, obs], &LoadOptions::default())
    })
}

/// Any text as a formula: parsed and, when it parses, evaluated on a small
/// dataset through a user catalogue; a value must be finite.
///
/// # Panics
/// When a computed value is not finite (the property the fuzzer checks).
pub fn formula(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = crate::indicators::formula::Formula::parse(text);
    let json = serde_json::json!({"indicator": [{
        "code": "fuzzed", "family": "input", "levels": ["school"], "formula": text,
        "unit": "ratio", "direction": "higher", "name": {"en": "Fuzzed"}
    }]});
    if let Ok(catalogue) = Catalogue::from_json_str("fuzz.json", &json.to_string()) {
        let table = compute(formula_dataset(), &catalogue);
        for unit in table.units_in_order() {
            for (_, outcome) in table.series("fuzzed", unit) {
                if let Outcome::Value(v) = outcome {
                    assert!(v.is_finite(), "formula {text:?} gave {v}");
                }
            }
        }
    }
}

/// Any text as a user indicator catalogue (TOML and JSON) and as a user
/// criteria file: an error with a location or a usable set.
pub fn catalogue_criteria(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Catalogue::from_toml_str("user.toml", text);
    let _ = Catalogue::from_json_str("user.json", text);
    let _ = Catalogue::builtin().with_user_file("user.toml", text);
    let _ = CriteriaSet::from_toml_str("criteria.toml", text);
    let _ = CriteriaSet::builtin().with_user_file("criteria.toml", text);
}
