//! `archboard templates` lists the built-in designs; `archboard new
//! --template NAME -o PATH [--force]` writes one to disk.
//!
//! Exit codes for `new`: 0 when the file is written, 2 for an unknown
//! template name (the message lists the names) or a usage error from clap,
//! 3 when the output cannot be written, including when it already exists
//! and `--force` is not given.

use std::path::PathBuf;

use super::output::{Stdout, eprint_line, terminal_safe};
use super::{EXIT_LOAD_FAILED, EXIT_USAGE};
use crate::templates;

/// Arguments of `archboard new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The template to start from (see `archboard templates`).
    #[arg(long, value_name = "NAME")]
    pub template: String,

    /// Where to write the design (.ron).
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,

    /// Replace the output file if it already exists.
    #[arg(long)]
    pub force: bool,
}

/// Prints one template per line: its name, then its question.
pub fn list() -> u8 {
    let width = templates::names().map(str::len).max().unwrap_or(0);
    let mut out = Stdout::new();
    for t in templates::all() {
        out.line(&format!("{:width$}  {}", t.name, t.question));
    }
    out.finish(0)
}

/// Writes the chosen template and returns the process exit code.
pub fn new(args: &NewArgs) -> u8 {
    let Some(template) = templates::find(&args.template) else {
        let names: Vec<&str> = templates::names().collect();
        eprint_line(&format!(
            "there is no template called `{}`; the templates are:\n  {}",
            terminal_safe(&args.template),
            names.join("\n  ")
        ));
        return EXIT_USAGE;
    };
    let path = &args.output;
    // `symlink_metadata` also sees a dangling link, which a save would follow.
    if !args.force && std::fs::symlink_metadata(path).is_ok() {
        eprint_line(&format!(
            "the file already exists; pass --force to replace it ({})",
            terminal_safe(&path.display().to_string())
        ));
        return EXIT_LOAD_FAILED;
    }
    let diagram = match template.diagram() {
        Ok(diagram) => diagram,
        Err(err) => {
            // Only a broken build gets here: the tests load every template.
            eprint_line(&format!(
                "the template `{}` is damaged: {err}",
                template.name
            ));
            return EXIT_LOAD_FAILED;
        }
    };
    match crate::io::save(path, &diagram) {
        Ok(()) => {
            let mut out = Stdout::new();
            out.line(&format!(
                "wrote {} to {}",
                template.name,
                terminal_safe(&path.display().to_string())
            ));
            out.finish(0)
        }
        Err(err) => {
            eprint_line(&terminal_safe(&err.to_string()));
            EXIT_LOAD_FAILED
        }
    }
}
