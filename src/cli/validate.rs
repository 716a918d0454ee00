//! `archboard validate PATH`: loads a design file exactly as the app would
//! and prints `ok` (exit 0) or the problem (exit 3).
//!
//! A problem with a position is printed as `line:column: message (path)`,
//! the rest as the loader's message, path last. Loading stops at the first
//! problem, so at most one is printed.

use std::path::Path;

use super::EXIT_LOAD_FAILED;
use crate::io::{LoadError, LoadErrorKind};

/// Validates the file at `path` and returns the process exit code.
pub fn run(path: &Path) -> u8 {
    match crate::io::load(path) {
        Ok(_) => {
            println!("ok");
            0
        }
        Err(err) => {
            eprintln!("{}", problem_line(&err, path));
            EXIT_LOAD_FAILED
        }
    }
}

/// One line describing the problem, `line:column: ` first where known.
fn problem_line(err: &LoadError, path: &Path) -> String {
    match err.kind() {
        LoadErrorKind::Syntax {
            line,
            column,
            message,
        } => format!("{line}:{column}: {message} ({})", path.display()),
        LoadErrorKind::NotText { line, column } => format!(
            "{line}:{column}: the file is not UTF-8 text ({})",
            path.display()
        ),
        _ => err.to_string(),
    }
}
