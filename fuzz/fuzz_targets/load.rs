//! Feeds arbitrary bytes to the design loader. It must return a diagram or
//! an error, never panic; a diagram it returns must save and load again
//! unchanged.

#![no_main]

use archboard_fuzz::io;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(diagram) = io::from_ron_str(text) {
        let saved = io::to_ron_string(&diagram).expect("a loaded design encodes");
        let again = io::from_ron_str(&saved).expect("a saved design loads");
        // NaN positions are the one value that is not equal to itself.
        if format!("{diagram:?}") != format!("{again:?}") {
            panic!("round trip changed the design:\n{saved}");
        }
    }
});
