//! Any text as a user indicator catalogue (TOML and JSON) and as a user criteria file: an error
//! with a location or a usable set, never a panic.
//! The body is `kpi_core::fuzzing::catalogue_criteria`, which `tests/tests/fuzz_regressions.rs` also runs on the saved inputs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kpi_core::fuzzing::catalogue_criteria(data));
