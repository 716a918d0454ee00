//! `archboard export` and `archboard import` through the real binary:
//! outputs, `-o -`, and the exit codes (0 ok, 2 usage, 3 input, 4 output).

// The whole file is test code: a panic in a helper is a test failure.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::cargo::cargo_bin_cmd;

fn run(args: &[&str]) -> Output {
    cargo_bin_cmd!("archboard").args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A temporary folder holding a template (with two steps added) as `design.ron`.
fn folder_with_design() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("design.ron");
    let mut d = archboard::templates::find("realtime-chat-reference")
        .unwrap()
        .diagram()
        .unwrap();
    let ids: Vec<_> = d.components.iter().map(|c| c.id).collect();
    d.steps = vec![
        archboard::model::Step {
            title: "Clients".to_owned(),
            revealed: ids[..2].to_vec(),
        },
        archboard::model::Step {
            title: "Everything else".to_owned(),
            revealed: ids[2..].to_vec(),
        },
    ];
    archboard::io::save(&design, &d).unwrap();
    (dir, design)
}

#[test]
fn every_format_is_written_beside_the_design_or_to_a_named_file() {
    let (dir, design) = folder_with_design();
    let formats = [
        ("svg", "design.svg", &b"<svg "[..]),
        ("png", "design.png", &b"\x89PNG"[..]),
        ("pdf", "design.pdf", &b"%PDF-"[..]),
        ("mermaid", "design.mmd", &b"---\ntitle:"[..]),
        // Its own name, as the app suggests: it never replaces the flowchart.
        (
            "mermaid-architecture",
            "design architecture.mmd",
            &b"architecture-beta"[..],
        ),
        ("d2", "design.d2", &b"# "[..]),
        ("dot", "design.dot", &b"digraph "[..]),
    ];
    for (format, _, _) in formats {
        let out = run(&["export", s(&design), "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
    }
    for (format, name, magic) in formats {
        let written = std::fs::read(dir.path().join(name)).unwrap();
        assert!(written.starts_with(magic), "{format}: {name}");
    }
    let named = dir.path().join("step.png");
    let out = run(&[
        "export",
        s(&design),
        "--format",
        "png",
        "--step",
        "2",
        "--scale",
        "2",
        "--theme",
        "dark",
        "--findings",
        "-o",
        s(&named),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read(&named).unwrap().starts_with(b"\x89PNG"));
}

#[test]
fn a_dash_prints_the_export() {
    let (_dir, design) = folder_with_design();
    let out = run(&["export", s(&design), "--format", "dot", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("digraph ")
    );
    let out = run(&["export", s(&design), "--format", "png", "-o", "-"]);
    assert!(out.stdout.starts_with(b"\x89PNG"));
}

#[test]
fn usage_errors_exit_2() {
    let (_dir, design) = folder_with_design();
    for args in [
        vec!["--step", "3"],
        vec!["--step", "0"],
        vec!["--scale", "9"],
        vec!["--format", "gif"],
        vec!["-o", s(&design)],
    ] {
        let mut all = vec!["export", s(&design)];
        if !args.contains(&"--format") {
            all.extend(["--format", "svg"]);
        }
        all.extend(args.iter().copied());
        let out = run(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn a_design_that_cannot_be_loaded_exits_3_and_an_unwritable_output_4() {
    let (dir, design) = folder_with_design();
    let out = run(&[
        "export",
        s(&dir.path().join("missing.ron")),
        "--format",
        "svg",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let nowhere = dir.path().join("no-such-folder").join("out.svg");
    let out = run(&["export", s(&design), "--format", "svg", "-o", s(&nowhere)]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("out.svg"));
    let out = run(&["export", s(&design), "--format", "svg", "-o", s(dir.path())]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
}

#[test]
fn import_writes_a_design_that_loads_and_checks() {
    let dir = tempfile::tempdir().unwrap();
    let mmd = dir.path().join("chat.mmd");
    std::fs::write(
        &mmd,
        "flowchart LR\n  web[Browser] -->|send| hub[SignalR hub]\n  hub -.-> bus[Service Bus]\n  bus -.-> worker[Push worker]\n",
    )
    .unwrap();
    let ron = dir.path().join("chat.ron");
    let out = run(&["import", s(&mmd), "-o", s(&ron)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let d = archboard::io::load(&ron).unwrap();
    assert_eq!(d.components.len(), 4);
    let out = run(&["check", s(&ron)]);
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        stderr(&out)
    );

    // It exists now: refused without --force, replaced with it.
    let out = run(&["import", s(&mmd), "-o", s(&ron)]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"));
    let out = run(&["import", s(&mmd), "-o", s(&ron), "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn malformed_mermaid_exits_3_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mmd = dir.path().join("bad.mmd");
    std::fs::write(&mmd, "flowchart LR\n  a --> b\n  b --> \n").unwrap();
    let ron = dir.path().join("bad.ron");
    let out = run(&["import", s(&mmd), "-o", s(&ron)]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).starts_with("3:8: "), "{}", stderr(&out));
    assert!(!ron.exists(), "nothing is written");
    let out = run(&["import", s(&dir.path().join("missing.mmd")), "-o", s(&ron)]);
    assert_eq!(out.status.code(), Some(3));
}
