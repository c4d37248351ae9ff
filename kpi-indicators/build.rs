//! Compiles the built-in indicator catalogue (`data/indicators.toml`) to the JSON document
//! `kpi_model::builtin_doc` reads, so the browser engine links no TOML parser.

fn main() {
    // The fields `RawIndicator` and `RawCounts` declare `Spanned` (src/catalogue_file.rs).
    let spanned: Vec<String> = [
        "code",
        "family",
        "tags[]",
        "levels",
        "levels[]",
        "per",
        "formula",
        "unit",
        "direction",
        "target",
        "counts",
        "counts.successes",
        "counts.trials",
        "decimals",
        "name",
    ]
    .iter()
    .map(|field| format!("indicator[].{field}"))
    .collect();
    let spanned: Vec<&str> = spanned.iter().map(String::as_str).collect();
    kpi_builtin_doc::compile("data/indicators.toml", "indicators.json", &spanned);
}
