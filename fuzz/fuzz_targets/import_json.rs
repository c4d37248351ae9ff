//! Any bytes named as a JSON dataset (deep nesting, huge numbers, wrong shapes): never a panic.
#![no_main]
use kpi_core::import::{load, LoadOptions, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = Source { name: "dataset.json".into(), bytes: data.to_vec() };
    let _ = load(vec![source], &LoadOptions::default());
});
