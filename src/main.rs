//! The `archboard` binary: parses the command line, then either runs a
//! headless subcommand or opens the window.

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

use archboard::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(command) = cli.command {
        return ExitCode::from(run(command));
    }
    match archboard::ui::run_native(cli.file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Not `eprintln!`: it panics when standard error is closed.
            let _ = writeln!(std::io::stderr(), "archboard: {err:#}");
            ExitCode::FAILURE
        }
    }
}
