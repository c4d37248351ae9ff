//! Any text as a formula: parsing and, when it parses, evaluation on a small dataset through a
//! user catalogue, never panic and never produce a non-finite value.
//! The body is `kpi_core::fuzzing::formula`, which `tests/tests/fuzz_regressions.rs` also runs on the saved inputs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kpi_core::fuzzing::formula(data));
