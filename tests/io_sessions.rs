//! Sessions files: every released version of the format keeps a fixture
//! under `tests/session_fixtures/vN/` that must load forever (the design
//! fixtures under `tests/fixtures/` are designs only), and damaged files are
//! refused with a clear message, never a panic.

#![allow(clippy::unwrap_used)]

use std::path::Path;

use archboard::interview::recording::{SESSIONS_FORMAT_VERSION, load_sessions, parse_sessions};
use archboard::interview::{Replay, score_session};

#[test]
fn every_sessions_fixture_loads_replays_and_scores() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/session_fixtures");
    for version in 1..=SESSIONS_FORMAT_VERSION {
        let folder = root.join(format!("v{version}"));
        let files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|f| f.unwrap().path())
            .collect();
        assert!(!files.is_empty(), "no fixture in {}", folder.display());
        for file in files {
            let loaded = load_sessions(&file).unwrap().unwrap();
            assert!(!loaded.sessions.is_empty(), "{}", file.display());
            for session in &loaded.sessions {
                let replay = Replay::new(session).unwrap();
                assert!(replay.change_count() <= session.events.len());
                let card = score_session(session).unwrap();
                assert_eq!(card.dimensions.len(), 6);
            }
        }
    }
}

#[test]
fn damaged_sessions_files_are_refused_with_a_reason() {
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/session_fixtures/v1/url-shortener-interview.sessions.ron"),
    )
    .unwrap();
    // A recorded change that no longer applies: an update of an id the
    // design does not have.
    let at = good.find("label: \"Set a 2 s timeout\"").unwrap();
    let (head, tail) = good.split_at(at);
    let broken = format!("{head}{}", tail.replacen("id: 7,", "id: 7777,", 1));
    assert_ne!(broken, good);
    let Err(err) = parse_sessions(&broken) else {
        panic!("a change that does not apply was accepted");
    };
    let err = err.to_string();
    assert!(err.contains("session 3") && err.contains("7777"), "{err}");
    for (text, expected) in [
        ("", "empty"),
        ("(format_version: 99, sessions: [])", "format version 99"),
        ("(sessions: [])", "no format_version"),
        (
            "(format_version: 1, sessions: [(started_at_ms: \"x\")])",
            "line 1",
        ),
        (
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
            "line",
        ),
    ] {
        let Err(err) = parse_sessions(text) else {
            panic!("{text:?} was accepted");
        };
        let err = err.to_string();
        assert!(err.contains(expected), "{text:?}: {err}");
    }
    // Cutting the file anywhere never panics.
    for cut in (0..good.len()).step_by(good.len() / 97 + 1) {
        if good.is_char_boundary(cut) {
            assert!(parse_sessions(&good[..cut]).is_err(), "cut at {cut}");
        }
    }
}
