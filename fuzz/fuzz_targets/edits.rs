//! Load → a random edit sequence → save → load. The input is a design's
//! text (its length in the first two bytes) followed by an edit script
//! (`tests/common/edit_script.rs`); when the text does not load, the
//! script runs on a built-in design instead, so every input exercises the
//! edit layer. Nothing may panic, every edit that applies must leave a
//! diagram that passes the integrity check, and the final diagram must save
//! and load back the same (and undo back to the start).

#![no_main]

use archboard_fuzz as ab;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/edit_script.rs"]
mod edit_script;

use std::sync::OnceLock;

const SEED: &str = include_str!("../seeds/url-shortener.ron");

/// The built-in design, parsed once rather than on every run.
fn seed() -> &'static ab::model::Diagram {
    static SEED_DIAGRAM: OnceLock<ab::model::Diagram> = OnceLock::new();
    SEED_DIAGRAM.get_or_init(|| match ab::io::from_ron_str(SEED) {
        Ok(diagram) => diagram,
        Err(err) => panic!("the built-in seed design does not load: {err}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let (len, rest) = match data {
        [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), rest),
        _ => (0, data),
    };
    let (text, script) = rest.split_at(len.min(rest.len()));
    let loaded = std::str::from_utf8(text)
        .ok()
        .and_then(|t| ab::io::from_ron_str(t).ok());
    let start = loaded.as_ref().unwrap_or_else(|| seed());
    if let Err(problem) = edit_script::check_sequence(start, script) {
        panic!("{problem}");
    }
});
