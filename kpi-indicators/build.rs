//! Compiles the built-in indicator catalogue (`data/indicators.toml`) to the JSON document
//! `kpi_model::builtin_doc` reads, so the browser engine links no TOML parser.

#[path = "../kpi-model/build_support/spanned_doc.rs"]
mod spanned_doc;

fn main() {
    spanned_doc::compile("data/indicators.toml", "indicators.json");
}
