//! Never lose work, at the file layer (issue 11): changes made by other
//! programs are noticed, whatever loads can be saved and recovered, files
//! that would hang or that the model forbids are refused with a message.

// The whole file is test code: a panic in a helper is a test failure.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use archboard::io::recovery::{DocKey, RecoveryStore};
use archboard::io::{
    self, FileChange, LoadErrorKind, MAX_DESIGN_BYTES, MAX_FILE_BYTES, MAX_NESTING, SaveError,
};
use archboard::model::{Diagram, Id, Step};

const TWO_SERVICES: &str = "(format_version: 1, title: \"x\", components: [\
    (id: 1, kind: Service, name: \"a\", position: (x: 0.0, y: 0.0)), \
    (id: 2, kind: Service, name: \"b\", position: (x: 300.0, y: 0.0))], \
    connections: [(id: 3, from: 1, to: 2, kind: Request)], next_id: 4)";

fn invalid(text: &str) -> String {
    match io::from_ron_str(text).unwrap_err().kind() {
        LoadErrorKind::Invalid(message) => message.clone(),
        other => panic!("expected an integrity error, got {other}"),
    }
}

/// Loss 2 of issue 11: a change made by another program between load and
/// save was silently overwritten.
#[test]
fn a_file_changed_on_disk_is_not_overwritten_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    io::save(&path, &Diagram::new("Mine")).unwrap();
    let (mut diagram, stamp) = io::load_stamped(&path).unwrap();
    assert_eq!(io::check_unchanged(&path, &stamp), FileChange::Unchanged);

    // Another program (a git pull) rewrites the file.
    io::save(&path, &Diagram::new("Theirs")).unwrap();
    assert_eq!(io::check_unchanged(&path, &stamp), FileChange::Changed);
    diagram.title = "Mine, edited".to_owned();
    let err = io::save_stamped(&path, &diagram, Some(&stamp)).unwrap_err();
    assert!(
        matches!(err, SaveError::ChangedOnDisk { deleted: false, .. }),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("the file was changed by another program since it was opened")
    );
    assert_eq!(
        io::load(&path).unwrap().title,
        "Theirs",
        "their work is kept"
    );

    // Told to overwrite, it does, and the new stamp matches the file.
    let new_stamp = io::save_stamped(&path, &diagram, None).unwrap();
    assert_eq!(
        io::check_unchanged(&path, &new_stamp),
        FileChange::Unchanged
    );
    assert_eq!(io::load(&path).unwrap().title, "Mine, edited");
    // A later save with the fresh stamp goes through.
    io::save_stamped(&path, &diagram, Some(&new_stamp)).unwrap();
}

#[test]
fn a_deleted_file_and_a_rewrite_with_the_same_bytes_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    let stamp = io::save_stamped(&path, &Diagram::new("Same"), None).unwrap();
    // Same bytes written again (a checkout that changed nothing).
    std::thread::sleep(Duration::from_millis(10));
    io::save(&path, &Diagram::new("Same")).unwrap();
    assert_eq!(io::check_unchanged(&path, &stamp), FileChange::Unchanged);
    // Same size, different bytes.
    io::save(&path, &Diagram::new("Sane")).unwrap();
    assert_eq!(io::check_unchanged(&path, &stamp), FileChange::Changed);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(io::check_unchanged(&path, &stamp), FileChange::Deleted);
    let err = io::save_stamped(&path, &Diagram::new("Same"), Some(&stamp)).unwrap_err();
    assert!(matches!(
        err,
        SaveError::ChangedOnDisk { deleted: true, .. }
    ));
    assert!(!path.exists());
}

/// A design whose pretty text is far over the limit while its compact text
/// is small: one step revealing the same component a million times (each
/// id takes a whole indented line when pretty-printed).
fn pretty_too_large() -> Diagram {
    let mut d = io::from_ron_str(TWO_SERVICES).unwrap();
    d.steps.push(Step {
        title: "All".to_owned(),
        revealed: vec![Id(1); 1_000_000],
    });
    d
}

/// Loss 5 of issue 11: a compact design loaded but could never be saved
/// (its pretty form was over the limit), and its recovery file was written
/// and then ignored.
#[test]
fn whatever_loads_can_be_saved_and_recovered() {
    let diagram = pretty_too_large();
    let pretty = io::to_ron_string(&diagram).unwrap();
    assert!(pretty.len() as u64 > MAX_FILE_BYTES, "{}", pretty.len());
    let compact = io::to_ron_compact(&diagram).unwrap();
    assert!((compact.len() as u64) < MAX_DESIGN_BYTES);
    drop(pretty);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("compact.ron");
    std::fs::write(&path, &compact).unwrap();
    let loaded = io::load(&path).unwrap();
    assert_eq!(loaded, diagram);
    // Saved compact, and it opens again.
    io::save(&path, &loaded).unwrap();
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(!saved.contains("\n    "), "compact, not pretty");
    assert_eq!(io::load(&path).unwrap(), diagram);

    // The recovery file follows the same rule and is read back.
    let store = RecoveryStore::open(dir.path()).unwrap();
    let slot = store.claim(&DocKey::for_file(&path)).unwrap();
    slot.write(&loaded, Some(&path)).unwrap();
    assert!(std::fs::metadata(slot.file()).unwrap().len() <= MAX_FILE_BYTES);
    drop(slot);
    let orphans = store.orphans().unwrap();
    assert_eq!(orphans[0].recovered.as_ref().unwrap().diagram, diagram);
}

#[test]
fn a_design_that_could_not_be_saved_again_is_refused_at_load() {
    // Written by hand, the title is 4 MiB of a control character, one byte
    // each; Archboard writes each as a five-byte escape, so the design would
    // not fit when saved.
    let title = "\u{1}".repeat(4 * 1024 * 1024);
    let text = format!("(format_version: 1, title: \"{title}\", next_id: 1)");
    assert!((text.len() as u64) < MAX_FILE_BYTES);
    let Err(err) = io::from_ron_str(&text) else {
        panic!("a design too large to save loaded");
    };
    assert!(
        matches!(err.kind(), LoadErrorKind::TooLargeToSave { .. }),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("the design is too large for Archboard to save again"),
        "{err}"
    );
}

/// Loss 4 of issue 11: a file with a self-connection loaded, and the edits
/// that followed failed in silence.
#[test]
fn a_self_connection_file_is_refused() {
    let text = TWO_SERVICES.replace("from: 1, to: 2", "from: 1, to: 1");
    assert_eq!(
        invalid(&text),
        "connection 3 starts and ends at component 1"
    );
}

#[test]
fn what_the_model_forbids_is_refused_at_load() {
    let text = TWO_SERVICES.replace("x: 300.0", "x: inf");
    assert!(invalid(&text).starts_with("component 2 has a position"));
    let text = TWO_SERVICES.replace("next_id: 4", "next_id: 18446744073709551615");
    assert!(invalid(&text).contains("leaves no room for another item"));
    let text = TWO_SERVICES.replace(
        "next_id: 4",
        "decisions: [(rule_id: \"FAIL-001\", subject: Connection(3)), \
         (rule_id: \"FAIL-001\", subject: Connection(3))], next_id: 4",
    );
    assert!(invalid(&text).starts_with("there are two decisions"));
    let text = TWO_SERVICES.replace(
        "next_id: 4",
        "decisions: [(rule_id: \"FAIL-001\", subject: Connection(9))], next_id: 4",
    );
    assert!(invalid(&text).contains("refers to connection 9, which does not exist"));
    let text = TWO_SERVICES.replace(
        "next_id: 4",
        "steps: [(title: \"s\", revealed: [1, 7])], next_id: 4",
    );
    assert_eq!(
        invalid(&text),
        "step 1 reveals item 7, which does not exist"
    );
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.ron");
    std::fs::write(&path, format!("\u{feff}{TWO_SERVICES}")).unwrap();
    assert_eq!(io::load(&path).unwrap().components.len(), 2);
    assert!(io::from_ron_str(&format!("\u{feff}{TWO_SERVICES}")).is_ok());
}

#[test]
fn the_nesting_message_states_the_limit_that_applies() {
    // In a field Archboard ignores, the parser used to give up at about
    // half the depth its message named.
    let nested = |depth: usize| {
        format!(
            "(format_version: 1, title: \"x\", extra: {}{}, next_id: 1)",
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    // The outer `(` is one level.
    assert!(io::from_ron_str(&nested(MAX_NESTING - 1)).is_ok());
    let err = io::from_ron_str(&nested(MAX_NESTING)).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "line 1, column {}: the file is nested more than 64 levels deep",
            40 + MAX_NESTING - 1
        )
    );
}

#[test]
fn a_file_one_byte_over_the_limit_says_so_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("over.ron");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(MAX_FILE_BYTES + 1).unwrap();
    drop(file);
    let message = io::load(&path).unwrap_err().to_string();
    assert!(
        message.starts_with(
            "the file is too large to be a design (16,777,217 bytes; the limit is 16,777,216 bytes)"
        ),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("f.ron");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo has no other preconditions.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    let start = Instant::now();
    let err = io::load(&fifo).unwrap_err();
    assert!(matches!(err.kind(), LoadErrorKind::NotAFile), "{err}");
    assert!(start.elapsed() < Duration::from_secs(5));
    // Saving over it is refused too, and it stays a FIFO.
    assert!(io::save(&fifo, &Diagram::default()).is_err());
    use std::os::unix::fs::FileTypeExt as _;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[cfg(unix)]
#[test]
fn saving_through_a_dangling_link_creates_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("link.ron");
    std::os::unix::fs::symlink("real.ron", &link).unwrap();
    io::save(&link, &Diagram::new("Through a dangling link")).unwrap();
    let real = dir.path().join("real.ron");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(io::load(&real).unwrap().title, "Through a dangling link");
    // A link into a folder that does not exist fails and leaves the link.
    let broken = dir.path().join("broken.ron");
    std::os::unix::fs::symlink(Path::new("missing/dir/x.ron"), &broken).unwrap();
    assert!(io::save(&broken, &Diagram::default()).is_err());
    assert!(
        std::fs::symlink_metadata(&broken)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[path = "common/mod.rs"]
mod common;

#[test]
fn compact_text_loads_to_the_same_design_and_is_never_longer() {
    let diagram = common::everything_diagram();
    let compact = io::to_ron_compact(&diagram).unwrap();
    let pretty = io::to_ron_string(&diagram).unwrap();
    assert!(compact.len() < pretty.len());
    assert_eq!(io::from_ron_str(&compact).unwrap(), diagram);
}
