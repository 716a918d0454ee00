//! The command line never hangs, never panics on its output, and keeps text
//! from a design harmless on the terminal (issue 11).

// The whole file is test code: a panic in a helper is a test failure.
#![allow(clippy::unwrap_used)]

use std::os::fd::{FromRawFd as _, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use archboard::catalog::ComponentKind;
use archboard::model::{Component, Diagram, Id, Point};

fn archboard() -> Command {
    Command::new(env!("CARGO_BIN_EXE_archboard"))
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A design with `n` unconfigured services: several findings each.
fn many_findings(dir: &Path, n: u64) -> PathBuf {
    let mut d = Diagram::new("Big");
    for id in 1..=n {
        let kind = ComponentKind::Service;
        d.components.push(Component {
            id: Id(id),
            kind,
            name: format!("Service number {id}"),
            position: Point::new(id as f32 * 300.0, 0.0),
            properties: kind.default_properties(),
        });
    }
    d.next_id = n + 1;
    let path = dir.join("big.ron");
    archboard::io::save(&path, &d).unwrap();
    path
}

/// A pipe whose reading end is already closed: every write to the other end
/// fails with EPIPE, as `| head -1` does once head has exited.
fn closed_pipe() -> Stdio {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe() writes.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    // SAFETY: both descriptors were just created and are owned here only.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    drop(read);
    Stdio::from(write)
}

fn run_with_stdout(args: &[&str], stdout: Stdio) -> Output {
    archboard()
        .args(args)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_fifo_is_refused_at_once_by_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("f.ron");
    let name = std::ffi::CString::new(s(&fifo)).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o644) }, 0);
    let out_md = dir.path().join("out.md");
    let out_ron = dir.path().join("out.ron");
    for args in [
        vec!["validate", s(&fifo)],
        vec!["check", s(&fifo)],
        vec!["check", s(&fifo), "--format", "json"],
        vec!["report", s(&fifo), "-o", s(&out_md)],
        vec!["export", s(&fifo), "--format", "svg", "-o", "-"],
        vec!["whatif", s(&fifo), "--traffic", "2"],
        vec!["import", s(&fifo), "-o", s(&out_ron)],
    ] {
        let start = Instant::now();
        let mut child = archboard()
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Bounded wait: kill the child rather than hang the test run.
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > Duration::from_secs(5) {
                child.kill().unwrap();
                panic!("{args:?} hung on a FIFO");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(3), "{args:?}");
        let out = child.wait_with_output().unwrap();
        assert!(
            stderr(&out).starts_with("this is not a regular file"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_closed_pipe_ends_the_output_quietly_for_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let big = many_findings(dir.path(), 500);
    for (args, code) in [
        (vec!["check", s(&big)], 1),
        (vec!["check", s(&big), "--format", "json"], 1),
        (vec!["validate", s(&big)], 0),
        (vec!["report", s(&big), "-o", "-"], 0),
        (vec!["templates"], 0),
        (vec!["whatif", s(&big), "--traffic", "2"], 0),
        (
            vec!["whatif", s(&big), "--traffic", "2", "--format", "json"],
            0,
        ),
        (vec!["export", s(&big), "--format", "svg", "-o", "-"], 0),
        (vec!["export", s(&big), "--format", "mermaid"], 0),
    ] {
        let out = run_with_stdout(&args, closed_pipe());
        let message = stderr(&out);
        assert!(!message.contains("panicked"), "{args:?}: {message}");
        assert!(message.is_empty(), "{args:?}: {message}");
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }
    // `new` prints one line after writing the file.
    let target = dir.path().join("new.ron");
    let out = run_with_stdout(
        &[
            "new",
            "--template",
            "url-shortener-starter",
            "-o",
            s(&target),
        ],
        closed_pipe(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(target.exists());
}

#[test]
fn a_full_disk_on_standard_output_exits_with_4() {
    let dir = tempfile::tempdir().unwrap();
    let big = many_findings(dir.path(), 50);
    for args in [
        vec!["check", s(&big)],
        vec!["validate", s(&big)],
        vec!["report", s(&big), "-o", "-"],
        vec!["templates"],
        vec!["whatif", s(&big), "--traffic", "2"],
        vec!["export", s(&big), "--format", "dot", "-o", "-"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = run_with_stdout(&args, Stdio::from(full));
        assert_eq!(out.status.code(), Some(4), "{args:?}");
        assert!(
            stderr(&out).starts_with("could not write the output: "),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn report_to_dash_or_dev_stdout_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    let design = many_findings(dir.path(), 2);
    for target in ["-", "/dev/stdout"] {
        let out = archboard()
            .args(["report", s(&design), "-o", target])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with("# Interview session: Big\n"), "{target}");
    }
    // Nothing was created in the folder.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn report_keeps_modes_and_writes_through_links() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let design = many_findings(dir.path(), 2);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;

    let private = dir.path().join("private.md");
    std::fs::write(&private, "old").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = archboard()
        .args(["report", s(&design), "-o", s(&private)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(mode(&private), 0o600, "an existing file keeps its mode");

    let plain = dir.path().join("plain.txt");
    std::fs::write(&plain, "x").unwrap();
    let fresh = dir.path().join("fresh.md");
    archboard()
        .args(["report", s(&design), "-o", s(&fresh)])
        .output()
        .unwrap();
    assert_eq!(mode(&fresh), mode(&plain), "a new file gets the umask");

    let real = dir.path().join("real.md");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.md");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    archboard()
        .args(["report", s(&design), "-o", s(&link)])
        .output()
        .unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .starts_with("# Interview session")
    );
}

/// A design whose names try to act on the terminal.
fn hostile(dir: &Path) -> PathBuf {
    let mut d = Diagram::new("Title\u{1b}]0;pwned\u{7}");
    for (id, name) in [
        (1, "Red\u{1b}[31m service"),
        (2, "Two\nlines"),
        (3, "abc\u{202e}fed"),
    ] {
        let kind = ComponentKind::Service;
        d.components.push(Component {
            id: Id(id),
            kind,
            name: name.to_owned(),
            position: Point::new(id as f32 * 300.0, 0.0),
            properties: kind.default_properties(),
        });
    }
    d.next_id = 4;
    let path = dir.join("hostile.ron");
    archboard::io::save(&path, &d).unwrap();
    path
}

fn has_raw_controls(text: &str) -> bool {
    text.chars().any(|c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

#[test]
fn check_output_shows_escapes_and_keeps_one_finding_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let design = hostile(dir.path());
    let out = archboard().args(["check", s(&design)]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!has_raw_controls(&text), "{text:?}");
    assert!(text.contains("Red\\u{1b}[31m service"), "{text}");
    assert!(text.contains("abc\\u{202e}fed"), "{text}");
    // Every line but the blank one and the summary is a finding.
    let findings: Vec<&str> = text.lines().take_while(|l| !l.is_empty()).collect();
    assert!(findings.len() >= 3);
    for line in &findings {
        assert!(
            line.contains("  error  ") || line.contains("  warning  ") || line.contains("  info  "),
            "{line:?}"
        );
    }

    let out = archboard()
        .args(["check", s(&design), "--format", "json"])
        .output()
        .unwrap();
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(!has_raw_controls(&json), "{json}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    // A finding names the component in its subject or, for a gap shared
    // by several, in its message.
    let exact = value["findings"].as_array().unwrap().iter().any(|f| {
        f["subject"]["name"].as_str() == Some("abc\u{202e}fed")
            || f["message"]
                .as_str()
                .is_some_and(|m| m.contains("abc\u{202e}fed"))
    });
    assert!(exact, "the JSON value is exact");
}

#[test]
fn load_errors_are_made_safe_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.ron");
    std::fs::write(
        &path,
        "(format_version: 1, title: \"x\", components: [(id: 1, kind: Evil\u{1b}[2J, name: \"\", position: (x: 0.0, y: 0.0))], next_id: 2)",
    )
    .unwrap();
    for sub in ["validate", "check"] {
        let out = archboard().args([sub, s(&path)]).output().unwrap();
        assert_eq!(out.status.code(), Some(3));
        let message = stderr(&out);
        assert!(!has_raw_controls(&message), "{sub}: {message:?}");
    }
}
