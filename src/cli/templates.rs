//! `archboard templates` lists the built-in designs; `archboard new
//! --template NAME -o PATH [--force]` writes one to disk.
//!
//! Exit codes for `new`: 0 when the file is written, 2 for an unknown
//! template name (the message lists the names) or a usage error from clap,
//! 3 when the output cannot be written, including when it already exists
//! and `--force` is not given.

use std::path::PathBuf;

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
    for t in templates::all() {
        println!("{:width$}  {}", t.name, t.question);
    }
    0
}

/// Writes the chosen template and returns the process exit code.
pub fn new(args: &NewArgs) -> u8 {
    let Some(template) = templates::find(&args.template) else {
        let names: Vec<&str> = templates::names().collect();
        eprintln!(
            "there is no template called `{}`; the templates are:\n  {}",
            args.template,
            names.join("\n  ")
        );
        return EXIT_USAGE;
    };
    let path = &args.output;
    // `symlink_metadata` also sees a dangling link, which a save would follow.
    if !args.force && std::fs::symlink_metadata(path).is_ok() {
        eprintln!(
            "the file already exists; pass --force to replace it ({})",
            path.display()
        );
        return EXIT_LOAD_FAILED;
    }
    let diagram = match template.diagram() {
        Ok(diagram) => diagram,
        Err(err) => {
            // Only a broken build gets here: the tests load every template.
            eprintln!("the template `{}` is damaged: {err}", template.name);
            return EXIT_LOAD_FAILED;
        }
    };
    match crate::io::save(path, &diagram) {
        Ok(()) => {
            println!("wrote {} to {}", template.name, path.display());
            0
        }
        Err(err) => {
            eprintln!("{err}");
            EXIT_LOAD_FAILED
        }
    }
}
