//! Command-line interface: `archboard [FILE]` opens the app; subcommands run
//! headless and exit with a documented code.

mod check;
mod report;
mod templates;
mod validate;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use check::CheckArgs;
pub use templates::NewArgs;

/// Exit code for a usage error (clap uses the same).
pub const EXIT_USAGE: u8 = 2;
/// Exit code for a file that cannot be loaded (missing, unreadable, invalid),
/// or, for `new`, written.
pub const EXIT_LOAD_FAILED: u8 = 3;
/// Exit code for an output file that cannot be written.
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
        /// Where to write the report (.md); `-` (the default) prints it.
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
    }
}
