//! Any bytes named as a JSON dataset (deep nesting, huge numbers, wrong shapes): never a panic.
//! The body is `kpi_core::fuzzing::import_json`, which `tests/tests/fuzz_regressions.rs` also runs on the saved inputs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kpi_core::fuzzing::import_json(data));
