//! `archboard templates` and `archboard new --template NAME -o PATH`.

// Helpers outside `#[test]` functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;

fn archboard() -> Command {
    Command::cargo_bin("archboard").unwrap()
}

#[test]
fn templates_lists_every_name_with_its_question() {
    let output = archboard().arg("templates").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), archboard::templates::all().len());
    for (line, t) in lines.iter().zip(archboard::templates::all()) {
        assert!(
            line.starts_with(t.name) && line.ends_with(t.question),
            "{line}"
        );
    }
}

#[test]
fn new_writes_a_loadable_copy_of_the_template() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chat.ron");
    let output = archboard()
        .args(["new", "--template", "realtime-chat-starter", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let written = archboard::io::load(&path).unwrap();
    let template = archboard::templates::find("realtime-chat-starter").unwrap();
    assert_eq!(written, template.diagram().unwrap());
}

#[test]
fn an_unknown_template_exits_2_and_lists_the_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.ron");
    let output = archboard()
        .args(["new", "--template", "spaceship", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("spaceship"), "{stderr}");
    for name in archboard::templates::names() {
        assert!(stderr.contains(name), "{name} missing from {stderr}");
    }
    assert!(!path.exists());
}

#[test]
fn a_missing_output_argument_is_a_usage_error() {
    let output = archboard()
        .args(["new", "--template", "url-shortener-starter"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn an_existing_file_is_kept_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.ron");
    std::fs::write(&path, "my own design").unwrap();
    let run = |force: bool| {
        let mut cmd = archboard();
        cmd.args(["new", "--template", "url-shortener-reference", "-o"])
            .arg(&path);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    let refused = run(false);
    assert_eq!(refused.status.code(), Some(3));
    assert!(
        String::from_utf8(refused.stderr)
            .unwrap()
            .contains("--force")
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my own design");

    assert_eq!(run(true).status.code(), Some(0));
    assert!(archboard::io::load(&path).is_ok());
}

#[test]
fn an_unwritable_output_exits_3() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no/such/folder/x.ron");
    let output = archboard()
        .args(["new", "--template", "url-shortener-starter", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(!String::from_utf8(output.stderr).unwrap().is_empty());
}
