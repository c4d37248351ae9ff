//! Compiles the built-in risk criteria (`data/criteria.toml`) to the JSON document
//! `kpi_model::builtin_doc` reads, so the browser engine links no TOML parser.

#[path = "../kpi-model/build_support/spanned_doc.rs"]
mod spanned_doc;

fn main() {
    // The fields `FileCriterion` declares `Spanned` (src/criteria.rs).
    spanned_doc::compile("data/criteria.toml", "criteria.json", &["criterion[].id"]);
}
