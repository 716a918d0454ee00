//! `archboard validate PATH`.

use std::path::Path;

use super::EXIT_LOAD_FAILED;

pub fn run(path: &Path) -> u8 {
    match crate::io::load(path) {
        Ok(_) => {
            println!("ok");
            0
        }
        Err(err) => {
            eprintln!("{err}: {}", path.display());
            EXIT_LOAD_FAILED
        }
    }
}
