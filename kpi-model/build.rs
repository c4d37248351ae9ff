//! Compiles the built-in metric dictionary (`data/metrics.toml`) to the JSON document
//! `kpi_model::builtin_doc` reads, so the browser engine links no TOML parser.

fn main() {
    kpi_builtin_doc::compile("data/metrics.toml", "metrics.json", &[]);
}
