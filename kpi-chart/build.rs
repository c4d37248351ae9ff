//! Turns the built-in interface strings (`data/i18n/chart.toml`) into a Rust table at
//! build time, so that the chart module the widgets ship carries no TOML parser.

use std::collections::BTreeMap;
use std::path::Path;

fn main() {
    let source = Path::new("data/i18n/chart.toml");
    println!("cargo::rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(source).unwrap_or_else(|e| {
        panic!("cannot read {}: {e}", source.display());
    });
    let table: BTreeMap<String, BTreeMap<String, String>> = toml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", source.display()));
    let mut out = String::from(
        "/// The built-in strings of `data/i18n/chart.toml` as (key, kk, ru, en), generated\n\
         /// by build.rs.\n\
         pub(crate) static BUILTIN_ENTRIES: &[(&str, &str, &str, &str)] = &[\n",
    );
    for (key, langs) in &table {
        let get = |lang: &str| langs.get(lang).map(String::as_str).unwrap_or_default();
        out.push_str(&format!(
            "    ({key:?}, {:?}, {:?}, {:?}),\n",
            get("kk"),
            get("ru"),
            get("en")
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"))
        .join("chart_strings.rs");
    std::fs::write(&dest, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", dest.display()));
}
