//! The recovery (autosave) file: written to the data folder, found on the
//! next start, removed once the design is saved or discarded.

// Helpers outside `#[test]` functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::time::{Duration, SystemTime};

use archboard::io::recovery::{self, DocKey, RecoveryError, RecoveryStore};
use archboard::model::Diagram;

#[test]
fn nothing_is_offered_from_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let store = RecoveryStore::open(dir.path()).unwrap();
    assert!(store.orphans().unwrap().is_empty());
}

#[test]
fn a_written_design_comes_back_with_its_time_and_source_then_is_removed() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().join("archboard");
    let diagram = common::everything_diagram();
    let source = Path::new("/home/someone/designs/shortener.ron");
    let before = SystemTime::now() - Duration::from_secs(1);
    let store = RecoveryStore::open(&data_dir).unwrap();
    let slot = store.claim(&DocKey::untitled()).unwrap();
    slot.write(&diagram, Some(source)).unwrap();

    let found = slot.read().unwrap().unwrap();
    assert_eq!(found.diagram, diagram);
    assert_eq!(found.source_path.as_deref(), Some(source));
    assert!(found.saved_at >= before && found.saved_at <= SystemTime::now());

    let file = slot.file().to_path_buf();
    slot.remove().unwrap();
    assert!(!file.exists());
    assert!(store.orphans().unwrap().is_empty());
}

#[test]
fn a_new_write_replaces_the_old_one_and_an_unsaved_design_has_no_source() {
    let data = tempfile::tempdir().unwrap();
    let store = RecoveryStore::open(data.path()).unwrap();
    let slot = store.claim(&DocKey::untitled()).unwrap();
    slot.write(&Diagram::new("First"), Some(Path::new("a.ron")))
        .unwrap();
    slot.write(&Diagram::new("Second"), None).unwrap();
    let found = slot.read().unwrap().unwrap();
    assert_eq!(found.diagram.title, "Second");
    assert_eq!(found.source_path, None);
}

// ---- the store: one recovery file per document, locked by its owner ----

/// Titles of the orphans a fresh store (a new process starting) would offer.
fn offered(data_dir: &Path) -> Vec<String> {
    let store = RecoveryStore::open(data_dir).unwrap();
    let mut titles: Vec<String> = store
        .orphans()
        .unwrap()
        .iter()
        .map(|o| o.title().unwrap_or("<unreadable>").to_owned())
        .collect();
    titles.sort();
    titles
}

/// Loss 1 of issue 11: two windows shared one recovery file, and a save in
/// one deleted the other's unsaved work.
#[test]
fn a_save_in_one_window_keeps_the_other_windows_recovery_file() {
    let data = tempfile::tempdir().unwrap();
    let first = RecoveryStore::open(data.path()).unwrap();
    let second = RecoveryStore::open(data.path()).unwrap();
    let a = first.claim(&DocKey::untitled()).unwrap();
    let b = second.claim(&DocKey::untitled()).unwrap();
    a.write(&Diagram::new("First window"), None).unwrap();
    b.write(&Diagram::new("Second window"), None).unwrap();
    assert_ne!(a.file(), b.file());

    // The first window saves: only its own file goes.
    a.remove().unwrap();
    let kept = b.read().unwrap().unwrap();
    assert_eq!(kept.diagram.title, "Second window");
    assert!(b.file().exists());
}

/// A second start offers only what a dead process left, never the work of a
/// window that is still running.
#[test]
fn a_running_windows_work_is_not_offered_and_not_discarded() {
    let data = tempfile::tempdir().unwrap();
    let running = RecoveryStore::open(data.path()).unwrap();
    let slot = running.claim(&DocKey::untitled()).unwrap();
    slot.write(&Diagram::new("Still open"), None).unwrap();
    assert!(offered(data.path()).is_empty());

    // The window crashes: its lock goes with it and the work is offered.
    drop(slot);
    assert_eq!(offered(data.path()), ["Still open"]);
}

/// Loss 6 of issue 11: two windows with unsaved work both crash; only the
/// last one's work came back.
#[test]
fn when_two_windows_crash_both_are_offered_and_each_can_be_restored() {
    let data = tempfile::tempdir().unwrap();
    let source = data.path().join("shortener.ron");
    std::fs::write(&source, "").unwrap();
    {
        let one = RecoveryStore::open(data.path()).unwrap();
        let two = RecoveryStore::open(data.path()).unwrap();
        let a = one.claim(&DocKey::for_file(&source)).unwrap();
        let b = two.claim(&DocKey::untitled()).unwrap();
        a.write(&Diagram::new("Shortener"), Some(&source)).unwrap();
        b.write(&Diagram::new("Untitled sketch"), None).unwrap();
        // Both processes end without saving.
    }
    assert_eq!(offered(data.path()), ["Shortener", "Untitled sketch"]);

    // A new start adopts one; the other stays offered to anyone else.
    let store = RecoveryStore::open(data.path()).unwrap();
    let orphans = store.orphans().unwrap();
    let shortener = orphans
        .iter()
        .find(|o| o.title() == Some("Shortener"))
        .unwrap();
    let recovered = shortener.recovered.as_ref().unwrap();
    assert_eq!(recovered.source_path.as_deref(), Some(source.as_path()));
    let adopted = store.adopt(shortener).unwrap();
    assert_eq!(offered(data.path()), ["Untitled sketch"]);
    // Adopting twice (another process racing) is refused.
    assert!(matches!(
        store.adopt(shortener),
        Err(RecoveryError::InUse { .. })
    ));
    // Discarding the other removes exactly that one.
    let sketch = orphans
        .iter()
        .find(|o| o.title() == Some("Untitled sketch"))
        .unwrap();
    store.discard(sketch).unwrap();
    assert!(!sketch.file.exists());
    assert!(adopted.file().exists());
    assert!(offered(data.path()).is_empty());
}

#[test]
fn one_document_key_has_one_owner_at_a_time() {
    let data = tempfile::tempdir().unwrap();
    let design = data.path().join("design.ron");
    std::fs::write(&design, "").unwrap();
    let store = RecoveryStore::open(data.path()).unwrap();
    let held = store.claim(&DocKey::for_file(&design)).unwrap();
    // The same file by another path is the same key.
    let other_path = data.path().join(".").join("design.ron");
    let err = store.claim(&DocKey::for_file(&other_path)).unwrap_err();
    assert!(matches!(err, RecoveryError::InUse { .. }), "{err}");
    assert!(err.to_string().starts_with("another Archboard window"));
    drop(held);
    let again = store.claim(&DocKey::for_file(&design)).unwrap();
    again.remove().unwrap();
    // Nothing is left behind, lock files included.
    assert_eq!(std::fs::read_dir(store.dir()).unwrap().count(), 0);
}

#[test]
fn a_damaged_orphan_is_listed_with_its_error_not_skipped() {
    let data = tempfile::tempdir().unwrap();
    let file = {
        let store = RecoveryStore::open(data.path()).unwrap();
        let slot = store.claim(&DocKey::untitled()).unwrap();
        slot.write(&Diagram::new("Whole"), None).unwrap();
        slot.file().to_path_buf()
    };
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, &text[..text.len() / 2]).unwrap();
    let store = RecoveryStore::open(data.path()).unwrap();
    let orphans = store.orphans().unwrap();
    assert_eq!(orphans.len(), 1);
    let err = orphans[0].recovered.as_ref().unwrap_err();
    assert!(
        err.to_string().contains(&file.display().to_string()),
        "{err}"
    );
    assert_eq!(orphans[0].title(), None);
    // It can still be discarded.
    store.discard(&orphans[0]).unwrap();
    assert!(!file.exists());
}

#[test]
fn a_recovery_that_cannot_be_written_is_an_error() {
    let data = tempfile::tempdir().unwrap();
    let store = RecoveryStore::open(data.path()).unwrap();
    let slot = store.claim(&DocKey::untitled()).unwrap();
    // A folder where the recovery file should go makes every write fail.
    std::fs::create_dir(slot.file()).unwrap();
    let err = slot.write(&Diagram::new("x"), None).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("could not write the recovery file: "),
        "{err}"
    );
}

#[test]
fn the_recovery_file_of_earlier_builds_is_still_offered() {
    let data = tempfile::tempdir().unwrap();
    // Earlier builds kept one `recovery.ron` in the data folder, in the same
    // format a slot writes.
    let legacy = data.path().join(recovery::FILE_NAME);
    {
        let store = RecoveryStore::open(&data.path().join("scratch")).unwrap();
        let slot = store.claim(&DocKey::untitled()).unwrap();
        slot.write(&Diagram::new("From an older build"), None)
            .unwrap();
        std::fs::copy(slot.file(), &legacy).unwrap();
        slot.remove().unwrap();
    }
    let store = RecoveryStore::open(data.path()).unwrap();
    let orphans = store.orphans().unwrap();
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].title(), Some("From an older build"));
    let slot = store.adopt(&orphans[0]).unwrap();
    assert!(!legacy.exists());
    assert_eq!(
        slot.read().unwrap().unwrap().diagram.title,
        "From an older build"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_broken_lock_in_the_recovery_folder_is_reported_not_waited_on() {
    let data = tempfile::tempdir().unwrap();
    let store = RecoveryStore::open(data.path()).unwrap();
    let fifo = store.dir().join("untitled-1.ron");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    // A lock "file" that is a folder cannot be locked.
    std::fs::write(store.dir().join("untitled-2.ron"), "x").unwrap();
    std::fs::create_dir(store.dir().join("untitled-2.lock")).unwrap();
    let orphans = store.orphans().unwrap();
    assert_eq!(orphans.len(), 2);
    for orphan in &orphans {
        assert!(orphan.recovered.is_err(), "{orphan:?}");
    }
    let message = orphans[0].recovered.as_ref().unwrap_err().to_string();
    assert!(
        message.starts_with("this is not a regular file"),
        "{message}"
    );
}
