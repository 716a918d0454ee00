//! `archboard import FILE.mmd -o OUT.ron [--force]`: reads a Mermaid
//! flowchart or architecture-beta diagram, lays it out and writes it as a
//! design file.
//!
//! Exit codes: 0 written, 2 usage, 3 the Mermaid file cannot be read or
//! parsed (printed as `line:column: message (path)`), 4 the design cannot
//! be written, including when it exists and `--force` is not given.

use std::path::PathBuf;

use super::output::{Stdout, eprint_line, terminal_safe};
use super::{EXIT_LOAD_FAILED, EXIT_USAGE, EXIT_WRITE_FAILED};

/// Arguments of `archboard import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The Mermaid file (.mmd).
    pub path: PathBuf,
    /// Where to write the design (.ron).
    #[arg(short = 'o', long, value_name = "OUT")]
    pub output: PathBuf,
    /// Replace the output file if it already exists.
    #[arg(long)]
    pub force: bool,
}

/// Runs the command and returns the exit code.
pub fn run(args: &ImportArgs) -> u8 {
    let path = &args.path;
    let limit = crate::export::MERMAID_MAX_BYTES;
    if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > limit as u64) {
        eprint_line(&format!(
            "the file is larger than {} MB: {}",
            limit / (1024 * 1024),
            terminal_safe(&path.display().to_string())
        ));
        return EXIT_LOAD_FAILED;
    }
    // The design loader's reader: a FIFO or device is refused at once
    // instead of waiting for a writer, and text that is not UTF-8 gets its
    // position.
    let text = match crate::io::read_text(path) {
        Ok((text, _)) => text,
        Err(err) => {
            eprint_line(&super::problem_line(&err.with_path(path), path));
            return EXIT_LOAD_FAILED;
        }
    };
    let diagram = match crate::export::import_mermaid(&text) {
        Ok(d) => d,
        Err(err) => {
            eprint_line(&terminal_safe(&format!("{err} ({})", path.display())));
            return EXIT_LOAD_FAILED;
        }
    };
    let output = terminal_safe(&args.output.display().to_string()).into_owned();
    if super::is_same_file(path, &args.output) {
        eprint_line(&format!(
            "the design would overwrite the Mermaid file itself; choose another output file: {output}"
        ));
        return EXIT_USAGE;
    }
    if !args.force && std::fs::symlink_metadata(&args.output).is_ok() {
        eprint_line(&format!(
            "the file already exists; pass --force to replace it: {output}"
        ));
        return EXIT_WRITE_FAILED;
    }
    match crate::io::save(&args.output, &diagram) {
        Ok(()) => {
            let mut out = Stdout::new();
            out.line(&format!(
                "wrote {output} ({} components, {} connections, {} groups)",
                diagram.components.len(),
                diagram.connections.len(),
                diagram.groups.len()
            ));
            out.finish(0)
        }
        Err(err) => {
            eprint_line(&terminal_safe(&format!(
                "could not write the design: {err}"
            )));
            EXIT_WRITE_FAILED
        }
    }
}
