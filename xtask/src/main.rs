//! Project tasks (to be implemented).
fn main() {}
