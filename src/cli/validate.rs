//! `archboard validate PATH`: loads a design file exactly as the app would
//! and prints `ok` (exit 0) or the problem (exit 3).
//!
//! A problem with a position is printed as `line:column: message (path)`,
//! the rest as the loader's message, path last (see [`super::problem_line`]).
//! Loading stops at the first problem, so at most one is printed.

use std::path::Path;

use super::output::Stdout;
use super::{EXIT_LOAD_FAILED, load_or_report};

/// Validates the file at `path` and returns the process exit code.
pub fn run(path: &Path) -> u8 {
    if load_or_report(path).is_none() {
        return EXIT_LOAD_FAILED;
    }
    let mut out = Stdout::new();
    out.line("ok");
    out.finish(0)
}
