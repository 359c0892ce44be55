//! The `botapi` command (work in progress).
fn main() {}
