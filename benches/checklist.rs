//! Benchmark of the design checklist (filled in by the checklist issue).
fn main() {}
