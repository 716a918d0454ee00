//! `archboard validate`: exit 0 and `ok` for a good file, 3 with the problem
//! for a bad one, 2 for a usage error.

// Helpers outside `#[test]` functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use assert_cmd::Command;

fn archboard() -> Command {
    Command::cargo_bin("archboard").unwrap()
}

#[test]
fn a_valid_file_prints_ok_and_exits_0() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1/url-shortener.ron");
    let output = archboard().arg("validate").arg(&fixture).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8(output.stdout).unwrap(), "ok\n");
    assert!(output.stderr.is_empty());
}

#[test]
fn a_syntax_error_prints_line_and_column_and_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    std::fs::write(
        &path,
        "(\n    format_version: 1,\n    title: 42,\n    next_id: 1,\n)\n",
    )
    .unwrap();
    let output = archboard().arg("validate").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        format!("3:11: expected string ({})\n", path.display())
    );
}

#[test]
fn an_inconsistent_file_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dangling.ron");
    std::fs::write(
        &path,
        "(format_version: 1, title: \"x\", connections: [(id: 1, from: 5, to: 6, kind: Request)], next_id: 2)",
    )
    .unwrap();
    let output = archboard().arg("validate").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("refers to component 5, which does not exist"),
        "{stderr}"
    );
}

#[test]
fn a_missing_file_exits_3() {
    let output = archboard()
        .args(["validate", "/nonexistent/design.ron"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("could not read the file: "), "{stderr}");
    assert!(stderr.ends_with("(/nonexistent/design.ron)\n"), "{stderr}");
}

#[test]
fn a_usage_error_exits_2() {
    let output = archboard().arg("validate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = archboard()
        .args(["validate", "a.ron", "b.ron"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
