//! Compiles the built-in aliases (`data/aliases.toml`) to the JSON document
//! `kpi_model::builtin_doc` reads, so the browser engine links no TOML parser.

#[path = "../kpi-model/build_support/spanned_doc.rs"]
mod spanned_doc;

fn main() {
    spanned_doc::compile("data/aliases.toml", "aliases.json", &[]);
}
