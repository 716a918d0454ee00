//! Unit tests of the loader's internals; the behaviour tests live in
//! `tests/io_*.rs`.

use super::*;

#[test]
fn line_column_counts_lines_and_characters_from_one() {
    assert_eq!(line_column(b"abc", 0), (1, 1));
    assert_eq!(line_column(b"abc", 2), (1, 3));
    assert_eq!(line_column(b"ab\ncd", 4), (2, 2));
    assert_eq!(line_column("é\nxé".as_bytes(), 6), (2, 3));
}

#[test]
fn a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    std::fs::write(&path, b"old contents").unwrap();
    let err = write::write_atomically_with(&path, b"new contents", |_, _| {
        Err(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "no space left on device",
        ))
    })
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("could not write the file: no space left"),
        "{message}"
    );
    assert!(
        message.ends_with(&format!("({})", path.display())),
        "{message}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"old contents");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "the temporary file is cleaned up");
}

#[test]
fn a_save_keeps_the_permissions_of_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("design.ron");
    std::fs::write(&path, b"old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    save(&path, &Diagram::default()).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o644);
}

#[test]
fn saving_through_a_symbolic_link_replaces_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.ron");
    let link = dir.path().join("link.ron");
    std::fs::write(&real, b"old").unwrap();
    std::os::unix::fs::symlink(&real, &link).unwrap();
    save(&link, &Diagram::new("through a link")).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(load(&real).unwrap().title, "through a link");
}
