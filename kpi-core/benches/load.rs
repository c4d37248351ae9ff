//! Load benchmarks (filled in by the import work).
fn main() {}
