//! Command-line interface: `archboard [FILE]` opens the app; subcommands run
//! headless and exit with a documented code.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Exit code for a file that cannot be loaded (missing, unreadable, invalid).
pub const EXIT_LOAD_FAILED: u8 = 3;

#[derive(Debug, Parser)]
#[command(name = "archboard", version, about = "A whiteboard for system-design interview practice")]
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
}

/// Runs a headless subcommand and returns the process exit code.
pub fn run(command: Command) -> u8 {
    match command {
        Command::Validate { path } => match crate::io::load(&path) {
            Ok(_) => {
                println!("ok");
                0
            }
            Err(err) => {
                eprintln!("{err}: {}", path.display());
                EXIT_LOAD_FAILED
            }
        },
    }
}
