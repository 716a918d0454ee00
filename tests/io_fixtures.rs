//! Every released format version keeps fixtures under `tests/fixtures/vN/`
//! that must load forever.

// Helpers outside `#[test]` functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use archboard::io;
use archboard::model::FORMAT_VERSION;

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut found = Vec::new();
    for version in std::fs::read_dir(&root).unwrap() {
        let version = version.unwrap().path();
        if !version.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&version).unwrap() {
            let file = file.unwrap().path();
            if file.extension().is_some_and(|ext| ext == "ron") {
                found.push(file);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn there_is_a_fixture_for_every_format_version() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for version in 1..=FORMAT_VERSION {
        let folder = root.join(format!("v{version}"));
        let count = fixtures().iter().filter(|f| f.starts_with(&folder)).count();
        assert!(count > 0, "no fixture in {}", folder.display());
    }
}

#[test]
fn every_fixture_loads_and_saves_in_the_current_version() {
    for path in fixtures() {
        let diagram = io::load(&path).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(diagram.format_version, FORMAT_VERSION);
        let text = io::to_ron_string(&diagram).unwrap();
        assert_eq!(
            io::from_ron_str(&text).unwrap(),
            diagram,
            "{}",
            path.display()
        );
    }
}

#[test]
fn the_url_shortener_fixture_has_what_it_should() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1/url-shortener.ron");
    let diagram = io::load(&path).unwrap();
    assert_eq!(diagram.title, "URL shortener");
    assert_eq!(diagram.components.len(), 9);
    assert_eq!(diagram.connections.len(), 8);
    assert!(diagram.connections.iter().any(|c| !c.policy.is_empty()));
    assert_eq!(diagram.groups.len(), 2);
    assert_eq!(diagram.notes.len(), 1);
    assert_eq!(diagram.steps.len(), 2);
    assert_eq!(diagram.decisions.len(), 1);
    // Saving it again keeps every line of the file in order; the only new
    // lines are the defaults of properties added since it was written, and
    // the saved text loads back to the same design.
    let saved = io::to_ron_string(&diagram).unwrap();
    let original = std::fs::read_to_string(&path).unwrap();
    let mut saved_lines = saved.lines();
    for line in original.lines() {
        assert!(
            saved_lines.any(|l| l == line),
            "saving lost or reordered the line {line:?}"
        );
    }
    for added in saved.lines().filter(|l| !original.lines().any(|o| o == *l)) {
        let key = added.trim().split(':').next().unwrap_or("");
        assert!(
            archboard::model::PropKey::ALL
                .iter()
                .any(|k| format!("{k:?}").to_lowercase() == key.replace('_', "")),
            "saving added {added:?}, which is not a property default"
        );
    }
    assert_eq!(io::from_ron_str(&saved).unwrap(), diagram);
}
