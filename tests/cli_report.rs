//! `archboard report PATH -o OUT.md`: exit codes, messages and atomic
//! writes, through the real binary.

// The whole file is test code: a panic in a helper is a test failure.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Output;

use archboard::app::example::example_design;
use assert_cmd::cargo::cargo_bin_cmd;

fn run(args: &[&str]) -> Output {
    cargo_bin_cmd!("archboard").args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A temporary folder holding the example design as `design.ron`.
fn folder_with_design() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("design.ron");
    archboard::io::save(&design, &example_design()).unwrap();
    (dir, design)
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn leftover_temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect()
}

#[test]
fn writes_the_report_and_exits_zero() {
    let (dir, design) = folder_with_design();
    let out_path = dir.path().join("report.md");
    let out = run(&["report", s(&design), "-o", s(&out_path)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = std::fs::read_to_string(&out_path).unwrap();
    assert!(report.starts_with("# Interview session: Real-time chat (starter)\n"));
    for heading in [
        "## Requirements",
        "## Estimates",
        "## Design",
        "## Open findings",
        "## Accepted trade-offs",
        "## Interviewer probes",
        "## Time per phase",
    ] {
        assert!(report.contains(heading), "{heading}");
    }
    assert!(report.contains("| Chat hub | Real-time hub |"));
    assert!(report.contains("The timer was not used in this session."));
    assert!(leftover_temp_files(dir.path()).is_empty());
}

#[test]
fn the_long_option_and_an_existing_report_are_fine() {
    let (dir, design) = folder_with_design();
    let out_path = dir.path().join("report.md");
    std::fs::write(&out_path, "old report").unwrap();
    let out = run(&["report", s(&design), "--output", s(&out_path)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = std::fs::read_to_string(&out_path).unwrap();
    assert!(report.starts_with("# Interview session"));
    assert!(leftover_temp_files(dir.path()).is_empty());
}

#[test]
fn a_dash_prints_the_report() {
    let (_dir, design) = folder_with_design();
    let out = run(&["report", s(&design), "-o", "-"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("# Interview session"));
}

#[test]
fn a_missing_design_exits_three_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.ron");
    let out_path = dir.path().join("report.md");
    let out = run(&["report", s(&missing), "-o", s(&out_path)]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains(s(&missing)), "{}", stderr(&out));
    assert!(!out_path.exists(), "no report is written");
}

#[test]
fn a_broken_design_leaves_an_older_report_alone() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(format_version: 1, title: ").unwrap();
    let out_path = dir.path().join("report.md");
    std::fs::write(&out_path, "old report").unwrap();
    let out = run(&["report", s(&broken), "-o", s(&out_path)]);
    assert_eq!(out.status.code(), Some(3));
    // validate's position format, the path once.
    let message = stderr(&out);
    assert!(message.starts_with("1:27: "), "{message}");
    assert_eq!(message.matches(s(&broken)).count(), 1, "{message}");
    assert_eq!(std::fs::read_to_string(&out_path).unwrap(), "old report");
}

#[test]
fn a_missing_output_folder_is_explained() {
    let (dir, design) = folder_with_design();
    let missing_folder = dir.path().join("no-such-folder");
    let out_path = missing_folder.join("report.md");
    let out = run(&["report", s(&design), "-o", s(&out_path)]);
    assert_eq!(out.status.code(), Some(4));
    let message = stderr(&out);
    assert!(message.contains("does not exist"), "{message}");
    assert!(message.contains(s(&missing_folder)), "{message}");
    assert!(
        message.trim_end().ends_with(&format!("({})", s(&out_path))),
        "path last: {message}"
    );
    assert!(!missing_folder.exists());
}

#[test]
fn the_report_never_overwrites_the_design() {
    let (_dir, design) = folder_with_design();
    let before = std::fs::read_to_string(&design).unwrap();
    let out = run(&["report", s(&design), "-o", s(&design)]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&design).unwrap(), before);
}

#[test]
fn usage_errors_exit_two() {
    let (_dir, design) = folder_with_design();
    let out = run(&["report", s(&design), "--session", "0"]);
    assert_eq!(out.status.code(), Some(2), "sessions count from 1");
    let out = run(&["report", s(&design), "--session", "1"]);
    assert_eq!(out.status.code(), Some(2), "there is no session 1");
    assert!(
        stderr(&out).contains("no recorded sessions"),
        "{}",
        stderr(&out)
    );
    let out = run(&["report"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_recorded_session_prints_its_scorecard() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let design = root.join("examples/sessions/url-shortener-interview.ron");
    let out = run(&["report", s(&design), "--session", "latest"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("## Scorecard"), "{text}");
    let docs = std::fs::read_to_string(root.join("docs/example-session-report.md")).unwrap();
    assert_eq!(text, docs, "the CLI prints what docs/ shows");
    let third = run(&["report", s(&design), "-s", "3"]);
    assert_eq!(third.stdout, text.as_bytes());
    let first = run(&["report", s(&design), "-s", "1"]);
    assert_ne!(first.stdout, text.as_bytes());
    let out = run(&["report", s(&design), "--session", "4"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("3 recorded sessions"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_scorecard_is_data_for_other_tools() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let design = root.join("examples/sessions/url-shortener-interview.ron");
    let out = run(&["report", s(&design), "-s", "2", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["session"], 2);
    assert_eq!(
        value["scorecard"]["dimensions"].as_array().unwrap().len(),
        6
    );
    let first = &value["scorecard"]["dimensions"][0];
    assert_eq!(first["dimension"], "RequirementsAndScope");
    assert_eq!(first["weight"], 15);
    assert!(first["criteria"][0]["met"].is_boolean());
    let out = run(&["report", s(&design), "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "json needs a session");
}
