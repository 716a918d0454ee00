//! `archboard import FILE.mmd -o OUT.ron [--force]`: reads a Mermaid
//! flowchart or architecture-beta diagram, lays it out and writes it as a
//! design file.
//!
//! Exit codes: 0 written, 2 usage, 3 the Mermaid file cannot be read or
//! parsed (printed as `line:column: message (path)`), 4 the design cannot
//! be written, including when it exists and `--force` is not given.

use std::path::PathBuf;

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
    let text = match read_limited(&args.path) {
        Ok(text) => text,
        Err(message) => {
            eprintln!(
                "could not read the Mermaid file: {message}: {}",
                args.path.display()
            );
            return EXIT_LOAD_FAILED;
        }
    };
    let diagram = match crate::export::import_mermaid(&text) {
        Ok(d) => d,
        Err(err) => {
            eprintln!("{err} ({})", args.path.display());
            return EXIT_LOAD_FAILED;
        }
    };
    if super::is_same_file(&args.path, &args.output) {
        eprintln!(
            "the design would overwrite the Mermaid file itself; choose another output file: {}",
            args.output.display()
        );
        return EXIT_USAGE;
    }
    if !args.force && std::fs::symlink_metadata(&args.output).is_ok() {
        eprintln!(
            "the file already exists; pass --force to replace it: {}",
            args.output.display()
        );
        return EXIT_WRITE_FAILED;
    }
    match crate::io::save(&args.output, &diagram) {
        Ok(()) => {
            println!(
                "wrote {} ({} components, {} connections, {} groups)",
                args.output.display(),
                diagram.components.len(),
                diagram.connections.len(),
                diagram.groups.len()
            );
            0
        }
        Err(err) => {
            eprintln!("could not write the design: {err}");
            EXIT_WRITE_FAILED
        }
    }
}

/// The file as text, refusing files larger than the importer accepts.
fn read_limited(path: &std::path::Path) -> Result<String, String> {
    let metadata = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if metadata.len() > crate::export::MERMAID_MAX_BYTES as u64 {
        return Err(format!(
            "the file is larger than {} MB",
            crate::export::MERMAID_MAX_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_owned())
}
