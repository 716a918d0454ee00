//! The recovery (autosave) file: written to the data folder, found on the
//! next start, removed once the design is saved or discarded.

// Helpers outside `#[test]` functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::time::{Duration, SystemTime};

use archboard::io::recovery;
use archboard::model::Diagram;

#[test]
fn nothing_is_found_in_an_empty_or_missing_folder() {
    let dir = tempfile::tempdir().unwrap();
    assert!(recovery::find(dir.path()).is_none());
    assert!(recovery::find(&dir.path().join("missing")).is_none());
    recovery::remove(dir.path()).unwrap();
}

#[test]
fn a_written_design_is_found_with_its_time_and_source_then_removed() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().join("archboard");
    let diagram = common::everything_diagram();
    let source = Path::new("/home/someone/designs/shortener.ron");
    let before = SystemTime::now() - Duration::from_secs(1);
    recovery::write(&data_dir, &diagram, Some(source)).unwrap();

    let found = recovery::find(&data_dir).unwrap();
    assert_eq!(found.diagram, diagram);
    assert_eq!(found.source_path.as_deref(), Some(source));
    assert!(found.saved_at >= before && found.saved_at <= SystemTime::now());
    // Only the recovery file is in the data folder.
    let names: Vec<_> = std::fs::read_dir(&data_dir).unwrap().collect();
    assert_eq!(names.len(), 1);

    recovery::remove(&data_dir).unwrap();
    assert!(recovery::find(&data_dir).is_none());
}

#[test]
fn a_new_write_replaces_the_old_one_and_an_unsaved_design_has_no_source() {
    let data = tempfile::tempdir().unwrap();
    recovery::write(
        data.path(),
        &Diagram::new("First"),
        Some(Path::new("a.ron")),
    )
    .unwrap();
    recovery::write(data.path(), &Diagram::new("Second"), None).unwrap();
    let found = recovery::find(data.path()).unwrap();
    assert_eq!(found.diagram.title, "Second");
    assert_eq!(found.source_path, None);
}

#[test]
fn a_damaged_recovery_file_is_ignored() {
    let data = tempfile::tempdir().unwrap();
    recovery::write(data.path(), &Diagram::new("Whole"), None).unwrap();
    let path = recovery::path_in(data.path());
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    assert!(recovery::find(data.path()).is_none());
    assert!(path.exists(), "left in place");
}
