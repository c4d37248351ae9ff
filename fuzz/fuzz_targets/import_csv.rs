//! Any bytes named as a CSV table: the import must return (with issues), never panic.
//! The body is `kpi_core::fuzzing::import_csv`, which `tests/tests/fuzz_regressions.rs` also runs on the saved inputs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kpi_core::fuzzing::import_csv(data));
