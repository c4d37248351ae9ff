//! Any bytes named as a workbook (truncated zips, zip bombs, hostile XML): never a panic.
#![no_main]
use kpi_core::import::{load, LoadOptions, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = Source { name: "nobd.xlsx".into(), bytes: data.to_vec() };
    let _ = load(vec![source], &LoadOptions::default());
});
