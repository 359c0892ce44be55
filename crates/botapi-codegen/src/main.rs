//! Generates the Bot API types and methods (work in progress).
fn main() {}
