//! Any bytes named as a CSV table: the import must return (with issues), never panic.
#![no_main]
use kpi_core::import::{load, LoadOptions, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks which table the bytes pretend to be, so every reader is reached.
    let names = ["organisations.csv", "observations.csv", "students.csv", "grades.csv", "surveys.csv", "data.csv"];
    let (pick, body) = data.split_first().map_or((0, data), |(p, b)| (*p as usize, b));
    let organisations = Source { name: "organisations.csv".into(), bytes: b"org_id,name,level,region\nA1,A,school,Astana\n".to_vec() };
    let source = Source { name: names[pick % names.len()].into(), bytes: body.to_vec() };
    let _ = load(vec![organisations, source], &LoadOptions::default());
});
