//! Command-line interface: `archboard [FILE]` opens the app; subcommands run
//! headless and exit with a documented code.
//!
//! Every subcommand prints through `output::Stdout` (a closed pipe ends
//! the output quietly, a full disk gives [`EXIT_WRITE_FAILED`]) and passes
//! text from the design through `output::terminal_safe`.

mod check;
mod export;
mod import;
mod output;
mod report;
mod serve;
mod templates;
mod validate;
mod whatif;

use std::path::{Path, PathBuf};

use crate::io::{LoadError, LoadErrorKind};

use clap::{Parser, Subcommand};

pub use check::{CheckArgs, Format, render as render_check};
pub use export::ExportArgs;
pub use import::ImportArgs;
pub use serve::{RelayArgs, ServeArgs};
pub use templates::NewArgs;
pub use whatif::WhatifArgs;

/// Exit code for a usage error (clap uses the same).
pub const EXIT_USAGE: u8 = 2;
/// Exit code for a file that cannot be loaded (missing, unreadable, invalid),
/// or, for `new`, written.
pub const EXIT_LOAD_FAILED: u8 = 3;
/// Exit code for output that cannot be written: `report`'s output file, or
/// standard output of any subcommand (a full disk; a closed pipe is not an
/// error).
pub const EXIT_WRITE_FAILED: u8 = 4;

#[derive(Debug, Parser)]
#[command(
    name = "archboard",
    version,
    about = "A whiteboard for system-design interview practice"
)]
pub struct Cli {
    /// A design file to open in the app.
    pub file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check that a design file loads; prints `ok` or the problems.
    Validate {
        /// The design file (.ron).
        path: PathBuf,
    },
    /// Run the design checklist on a file.
    Check(CheckArgs),
    /// Write the Markdown session report of a design: requirements,
    /// estimates, components, open findings, trade-offs and probes; with
    /// --session, the report and scorecard of a recorded interview.
    Report {
        /// The design file (.ron); its sessions are read from beside it.
        path: PathBuf,
        /// Where to write the report (.md); `-` (the default) or /dev/stdout
        /// prints it.
        #[arg(short = 'o', long, default_value = "-")]
        output: PathBuf,
        /// A recorded session: its number (1 is the oldest) or `latest`.
        #[arg(short = 's', long)]
        session: Option<report::SessionChoice>,
        /// `markdown` (the report), or `json`: the session's scorecard as
        /// data (with --session).
        #[arg(long, value_enum, default_value_t = report::ReportFormat::Markdown)]
        format: report::ReportFormat,
    },
    /// List the built-in templates: name and interview question.
    Templates,
    /// Write a built-in template to a design file.
    New(NewArgs),
    /// Export a design as SVG, PNG, PDF (a page per step), Mermaid, D2 or DOT.
    Export(ExportArgs),
    /// Import a Mermaid flowchart or architecture-beta diagram as a design.
    Import(ImportArgs),
    /// Play a failure or more traffic through a design: which paths work,
    /// degrade or fail, and why.
    Whatif(WhatifArgs),
    /// Share a design with a remote interviewer without a window: prints
    /// the links (interviewer and read-only observer) and serves them.
    Serve(ServeArgs),
    /// Run a relay that hosts connect out to and viewers join through
    /// (for a host behind NAT). Nothing is stored.
    Relay(RelayArgs),
}

/// Runs a headless subcommand and returns the process exit code.
pub fn run(command: Command) -> u8 {
    match command {
        Command::Validate { path } => validate::run(&path),
        Command::Check(args) => check::run(&args),
        Command::Report {
            path,
            output,
            session,
            format,
        } => report::run(&path, &output, session, format),
        Command::Templates => templates::list(),
        Command::New(args) => templates::new(&args),
        Command::Export(args) => export::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Whatif(args) => whatif::run(&args),
        Command::Serve(args) => serve::serve(&args),
        Command::Relay(args) => serve::relay(&args),
    }
}

/// The one-line description of a load problem, shared by every subcommand:
/// `line:column: message (path)` where the parser gave a position,
/// otherwise the loader's message with the path last; made safe for the
/// terminal.
pub(crate) fn problem_line(err: &LoadError, path: &Path) -> String {
    let line = match err.kind() {
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
    };
    output::terminal_safe(&line).into_owned()
}

/// Loads the design at `path` for a subcommand, printing the problem line
/// on failure.
pub(crate) fn load_or_report(path: &Path) -> Option<crate::model::Diagram> {
    match crate::io::load(path) {
        Ok(diagram) => Some(diagram),
        Err(err) => {
            output::eprint_line(&problem_line(&err, path));
            None
        }
    }
}

/// Whether two paths name the same existing file.
pub(crate) fn is_same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Writes `bytes` atomically (temporary file, sync, rename), as designs
/// are saved; the error is a sentence that ends with the path.
fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    if path.is_dir() {
        return Err(format!("that is a folder, not a file: {}", path.display()));
    }
    crate::io::write_atomically(path, bytes).map_err(|err| err.to_string())
}
