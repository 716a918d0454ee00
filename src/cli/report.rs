//! `archboard report PATH -o OUT.md`: writes the Markdown session report of
//! a design file. A headless run has no interview session, so the probes are
//! listed unasked and no time is recorded; the app's export includes both,
//! and a PNG of the design beside the report. Both embed the design as a
//! Mermaid block.
//!
//! Where the report goes:
//!
//! - `-o -` or `-o /dev/stdout` prints it (a closed pipe ends it quietly);
//! - a regular file, new or old, is written by [`crate::io::write_atomically`],
//!   the routine design saves use: a temporary file beside it, synced, then
//!   renamed over it, so a failure never leaves a half-written report or
//!   destroys an older one. An existing file keeps its permissions, a new
//!   one gets the usual `0666` less the umask, and a symbolic link is
//!   followed (its target is replaced, the link stays);
//! - another existing non-regular file (a FIFO, `/dev/null`, a terminal) is
//!   opened and written directly, as a shell redirection would;
//! - the design file itself is refused.
//!
//! Exit codes: 0 written, 2 when the output is the design itself, 3 when the
//! design cannot be loaded, 4 when the report cannot be written.

use std::io::Write as _;
use std::path::Path;

use super::output::{Stdout, eprint_line, terminal_safe};
use super::{EXIT_LOAD_FAILED, EXIT_USAGE, EXIT_WRITE_FAILED, load_or_report};
use crate::interview::InterviewSession;

/// Paths that mean "standard output".
const STDOUT_PATHS: [&str; 4] = ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"];

/// Runs the command and returns the exit code.
pub fn run(path: &Path, output: &Path) -> u8 {
    let Some(diagram) = load_or_report(path) else {
        return EXIT_LOAD_FAILED;
    };
    // The app's report without its session, picture or what-if questions:
    // the design as a Mermaid block comes along.
    let report = crate::app::session_report(&diagram, &InterviewSession::new(), 0.0, &[], None);
    let mut out = Stdout::new();
    if STDOUT_PATHS.iter().any(|p| output == Path::new(p)) {
        out.print(&report);
        return out.finish(0);
    }
    let shown = terminal_safe(&output.display().to_string()).into_owned();
    if super::is_same_file(path, output) {
        eprint_line(&format!(
            "the report would overwrite the design itself; choose another output file ({shown})"
        ));
        return EXIT_USAGE;
    }
    let written = match std::fs::metadata(output) {
        Ok(metadata) if !metadata.is_file() && !metadata.is_dir() => {
            write_directly(output, &report)
                .map_err(|err| format!("could not write the report: {err} ({shown})"))
        }
        _ => crate::io::write_text_atomically(output, &report).map_err(|err| {
            terminal_safe(&format!("could not write the report: {err}")).into_owned()
        }),
    };
    match written {
        Ok(()) => {
            out.line(&format!("wrote {shown}"));
            out.finish(0)
        }
        Err(message) => {
            eprint_line(&message);
            EXIT_WRITE_FAILED
        }
    }
}

/// Writes to an existing device or pipe without creating or replacing it.
fn write_directly(output: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new().write(true).open(output)?;
    file.write_all(text.as_bytes())?;
    file.flush()
}
