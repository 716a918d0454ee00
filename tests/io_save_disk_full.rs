//! A save that runs out of space half-way leaves the old file byte for byte.
//!
//! Tests run as root, so permissions cannot make a write fail; a file size
//! limit (`RLIMIT_FSIZE`) applies to root too and makes `write` fail with
//! "file too large" exactly as a full disk would fail it. This is the only
//! test in its binary, so the limit affects nothing else.

// Helpers outside `#[test]` functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use archboard::io::{self, SaveError, SaveStep};
use archboard::model::Diagram;

#[test]
fn running_out_of_space_mid_write_leaves_the_original_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    let original = io::to_ron_string(&Diagram::new("Original")).unwrap();
    std::fs::write(&path, &original).unwrap();

    let mut big = Diagram::new("Big");
    big.requirements.compliance = "x".repeat(256 * 1024);

    let limit_bytes = 64 * 1024;
    // SAFETY: plain libc calls with valid arguments; no other test runs in
    // this binary.
    let old_limit = unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let mut old = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        assert_eq!(libc::getrlimit(libc::RLIMIT_FSIZE, &mut old), 0);
        let new = libc::rlimit {
            rlim_cur: limit_bytes,
            rlim_max: old.rlim_max,
        };
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &new), 0);
        old
    };
    let result = io::save(&path, &big);
    // SAFETY: as above.
    unsafe {
        libc::setrlimit(libc::RLIMIT_FSIZE, &old_limit);
    }

    let err = result.unwrap_err();
    assert!(
        matches!(
            err,
            SaveError::Io {
                step: SaveStep::Write,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().starts_with("could not write the file: "),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 1, "the temporary file is removed");
}
