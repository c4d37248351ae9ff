//! Any bytes named as a workbook (truncated zips, zip bombs, hostile XML): never a panic.
//! The body is `kpi_core::fuzzing::import_xlsx`, which `tests/tests/fuzz_regressions.rs` also runs on the saved inputs.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kpi_core::fuzzing::import_xlsx(data));
