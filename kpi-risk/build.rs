//! Compiles the built-in risk criteria (`data/criteria.toml`) to the JSON document
//! `kpi_model::builtin_doc` reads, so the browser engine links no TOML parser.

fn main() {
    // The fields `FileCriterion` declares `Spanned` (src/criteria.rs).
    kpi_builtin_doc::compile("data/criteria.toml", "criteria.json", &["criterion[].id"]);
}
