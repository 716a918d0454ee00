//! `archboard report PATH -o OUT.md`: writes the Markdown session report of
//! a design file. A headless run has no interview session, so the probes are
//! listed unasked and no time is recorded; the app's export includes both.
//!
//! The report is written to a temporary file in the output folder and
//! renamed over `OUT.md` only when complete, so a failure never leaves a
//! half-written report (or destroys an older one). `-o -` prints it instead.

use std::io::Write as _;
use std::path::Path;

use super::{EXIT_LOAD_FAILED, EXIT_USAGE, EXIT_WRITE_FAILED};
use crate::interview::{InterviewSession, session_report};

/// Runs the command and returns the exit code.
pub fn run(path: &Path, output: &Path) -> u8 {
    let diagram = match crate::io::load(path) {
        Ok(diagram) => diagram,
        Err(err) => {
            eprintln!("could not load the design: {err}: {}", path.display());
            return EXIT_LOAD_FAILED;
        }
    };
    let report = session_report(&diagram, &InterviewSession::new(), 0.0);
    if output == Path::new("-") {
        print!("{report}");
        return 0;
    }
    if super::is_same_file(path, output) {
        eprintln!(
            "the report would overwrite the design itself; choose another output file: {}",
            output.display()
        );
        return EXIT_USAGE;
    }
    match write_atomically(output, &report) {
        Ok(()) => {
            println!("wrote {}", output.display());
            0
        }
        Err(message) => {
            eprintln!(
                "could not write the report: {message}: {}",
                output.display()
            );
            EXIT_WRITE_FAILED
        }
    }
}

/// Writes `text` to a temporary file next to `output`, flushes it to disk
/// and renames it over `output`. Returns a reason (without the path) on
/// failure; the temporary file is removed then.
fn write_atomically(output: &Path, text: &str) -> Result<(), String> {
    let folder = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(format!("the folder {} does not exist", folder.display()));
    }
    if output.is_dir() {
        return Err("that is a folder, not a file".to_owned());
    }
    let mut file = tempfile::Builder::new()
        .prefix(".archboard-report-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|err| err.to_string())?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .map_err(|err| err.to_string())?;
    file.persist(output).map_err(|err| err.error.to_string())?;
    Ok(())
}
