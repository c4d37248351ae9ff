//! Any text as a user indicator catalogue (TOML and JSON) and as a user criteria file: an error
//! with a location or a usable set, never a panic.
#![no_main]
use kpi_core::indicators::Catalogue;
use kpi_core::risk::CriteriaSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Catalogue::from_toml_str("user.toml", text);
    let _ = Catalogue::from_json_str("user.json", text);
    let _ = Catalogue::builtin().with_user_file("user.toml", text);
    let _ = CriteriaSet::from_toml_str("criteria.toml", text);
    let _ = CriteriaSet::builtin().with_user_file("criteria.toml", text);
});
