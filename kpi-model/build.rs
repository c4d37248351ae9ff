//! Compiles the built-in metric dictionary (`data/metrics.toml`) to the JSON document
//! `kpi_model::builtin_doc` reads, so the browser engine links no TOML parser.

#[path = "build_support/spanned_doc.rs"]
mod spanned_doc;

fn main() {
    spanned_doc::compile("data/metrics.toml", "metrics.json", &[]);
}
