//! Saving is atomic: a failed save leaves the old file byte for byte and
//! says why.

// Helpers outside `#[test]` functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use archboard::io::{self, SaveError, SaveStep};
use archboard::model::Diagram;

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_save_replaces_the_file_and_leaves_nothing_else_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    io::save(&path, &Diagram::new("First")).unwrap();
    io::save(&path, &Diagram::new("Second")).unwrap();
    assert_eq!(io::load(&path).unwrap().title, "Second");
    assert_eq!(files_in(dir.path()), ["design.ron"]);
}

#[test]
fn a_save_into_a_folder_that_does_not_exist_fails_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gone").join("design.ron");
    let err = io::save(&path, &Diagram::default()).unwrap_err();
    assert!(matches!(
        err,
        SaveError::Io {
            step: SaveStep::CreateTemp,
            ..
        }
    ));
    let message = err.to_string();
    assert!(
        message.starts_with("could not create a temporary file in the folder: "),
        "{message}"
    );
    assert!(
        message.ends_with(&format!("({})", path.display())),
        "{message}"
    );
}

#[test]
fn a_save_whose_folder_is_a_file_fails() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_folder = dir.path().join("plain.txt");
    std::fs::write(&not_a_folder, b"plain").unwrap();
    let err = io::save(&not_a_folder.join("design.ron"), &Diagram::default()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("could not write to this path: "),
        "{err}"
    );
    assert_eq!(std::fs::read(&not_a_folder).unwrap(), b"plain");
}

#[test]
fn a_folder_is_not_replaced_and_no_temporary_file_is_left() {
    // Renaming a file over a folder would fail at the last step; the save
    // refuses the folder before it writes anything.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("design.ron");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep.txt"), b"original bytes").unwrap();
    let err = io::save(&target, &Diagram::default()).unwrap_err();
    assert!(
        matches!(
            err,
            SaveError::Io {
                step: SaveStep::Target,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("could not write to this path: this is not a regular file"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(target.join("keep.txt")).unwrap(),
        b"original bytes"
    );
    assert_eq!(files_in(dir.path()), ["design.ron"]);
}

#[test]
fn a_design_over_the_size_limit_is_not_saved_and_the_old_file_stays() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    let original = io::to_ron_string(&Diagram::new("Original")).unwrap();
    std::fs::write(&path, &original).unwrap();
    let mut huge = Diagram::new("Huge");
    huge.requirements.compliance = "x".repeat(io::MAX_FILE_BYTES as usize);
    let err = io::save(&path, &huge).unwrap_err();
    assert!(matches!(err, SaveError::TooLarge { .. }));
    assert!(
        err.to_string()
            .starts_with("the design is too large to save (16.0 MiB; the limit is 15.9 MiB)"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    assert_eq!(files_in(dir.path()), ["design.ron"]);
}

#[cfg(unix)]
#[test]
fn a_new_design_file_gets_the_same_permissions_as_any_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.txt");
    std::fs::write(&plain, "x").unwrap();
    let design = dir.path().join("design.ron");
    archboard::io::save(&design, &archboard::app::example::example_design()).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&design), mode(&plain), "umask applies, not owner-only");
}
