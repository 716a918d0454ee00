//! `archboard check PATH`: filled in by the checklist issue.

use std::path::PathBuf;

use super::EXIT_USAGE;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The design file (.ron).
    pub path: PathBuf,
}

pub fn run(_args: &CheckArgs) -> u8 {
    eprintln!("archboard check is not available yet");
    EXIT_USAGE
}
