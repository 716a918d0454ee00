//! `archboard check`: output formats, thresholds and exit codes.

// Helpers outside #[test] functions may unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use archboard::catalog::ComponentKind;
use archboard::model::{Component, Diagram, Id, Point};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/designs")
        .join(name)
}

fn archboard() -> Command {
    Command::cargo_bin("archboard").unwrap()
}

fn check(args: &[&str]) -> (i32, String, String) {
    let output = archboard().arg("check").args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// A design whose only findings are warnings (a cache that never expires).
fn warnings_only(dir: &Path) -> PathBuf {
    let mut diagram = Diagram::new("Cache only");
    let kind = ComponentKind::Cache;
    diagram.components.push(Component {
        id: Id(1),
        kind,
        name: "Catalog cache".into(),
        position: Point::new(0.0, 0.0),
        properties: kind.default_properties(),
    });
    diagram.next_id = 2;
    let path = dir.join("cache.ron");
    archboard::io::save(&path, &diagram).unwrap();
    path
}

#[test]
fn the_naive_design_fails_with_linter_style_lines() {
    let naive = fixture("order-processing-naive.ron");
    let (code, stdout, _) = check(&[naive.to_str().unwrap()]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = stdout.lines().collect();
    let first = lines[0];
    assert!(
        first.contains("error") && first.contains("FAIL-001"),
        "{first}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Orders API → Payment provider")
                && l.contains("FAIL-003")
                && l.contains("Orders API calls Payment provider without a circuit breaker")),
        "{stdout}"
    );
    // Columns line up: the rule id starts at the same character on every line.
    let findings: Vec<&str> = lines
        .iter()
        .copied()
        .take_while(|l| !l.is_empty())
        .collect();
    let rule_column = |l: &str| {
        let byte = ["FAIL-", "OBS-", "SCALE-", "DATA-", "SEC-", "RT-", "MSG-"]
            .iter()
            .filter_map(|p| l.find(&format!("  {p}")))
            .min()
            .unwrap();
        l[..byte].chars().count()
    };
    let expected = rule_column(findings[0]);
    assert!(
        findings.iter().all(|l| rule_column(l) == expected),
        "{stdout}"
    );
    let summary = lines.last().unwrap();
    assert!(
        summary.contains("errors") && summary.contains("warnings"),
        "{summary}"
    );
}

#[test]
fn the_strong_design_passes_even_on_info() {
    let strong = fixture("order-processing-strong.ron");
    let (code, stdout, _) = check(&[strong.to_str().unwrap(), "--fail-on", "info"]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout.trim(), "No open findings, 1 accepted trade-off");
}

#[test]
fn the_threshold_decides_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let path = warnings_only(dir.path());
    let path = path.to_str().unwrap();
    assert_eq!(check(&[path]).0, 0);
    assert_eq!(check(&[path, "--fail-on", "error"]).0, 0);
    assert_eq!(check(&[path, "--fail-on", "warning"]).0, 1);
    assert_eq!(check(&[path, "--fail-on", "info"]).0, 1);
    let naive = fixture("order-processing-naive.ron");
    assert_eq!(check(&[naive.to_str().unwrap(), "--fail-on", "never"]).0, 0);
}

#[test]
fn usage_errors_exit_with_2_and_unloadable_files_with_3() {
    let naive = fixture("order-processing-naive.ron");
    assert_eq!(
        check(&[naive.to_str().unwrap(), "--fail-on", "sometimes"]).0,
        2
    );
    assert_eq!(check(&[naive.to_str().unwrap(), "--format", "xml"]).0, 2);
    assert_eq!(check(&[]).0, 2);

    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.ron");
    let (code, _, stderr) = check(&[missing.to_str().unwrap()]);
    assert_eq!(code, 3);
    assert!(stderr.contains("missing.ron"), "{stderr}");

    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(format_version: 1, title: ").unwrap();
    let (code, _, stderr) = check(&[broken.to_str().unwrap()]);
    assert_eq!(code, 3);
    // validate's format, the path once.
    let path = broken.display().to_string();
    assert!(stderr.starts_with("1:27: "), "{stderr}");
    assert!(stderr.ends_with(&format!(" ({path})\n")), "{stderr}");
    assert_eq!(stderr.matches(&path).count(), 1, "{stderr}");
}

#[test]
fn json_output_has_the_documented_shape() {
    let strong = fixture("order-processing-strong.ron");
    let (code, stdout, _) = check(&[strong.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        json["file"]
            .as_str()
            .unwrap()
            .ends_with("order-processing-strong.ron")
    );
    let findings = json["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    let f = &findings[0];
    let mut keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "category", "fix", "message", "note", "question", "rule", "severity", "status",
            "subject", "title"
        ]
    );
    assert_eq!(f["rule"], "FAIL-007");
    assert_eq!(f["category"], "failure-handling");
    assert_eq!(f["severity"], "info");
    assert_eq!(f["status"], "accepted");
    assert_eq!(f["subject"]["kind"], "connection");
    assert!(f["subject"]["id"].is_u64());
    assert_eq!(f["subject"]["name"], "Orders API → Inventory API");
    assert!(f["note"].as_str().unwrap().contains("stock"));
    assert_eq!(
        json["summary"],
        serde_json::json!({"error": 0, "warning": 0, "info": 0, "accepted": 1})
    );
}

#[test]
fn json_findings_are_sorted_and_counted() {
    let naive = fixture("order-processing-naive.ron");
    let (code, stdout, _) = check(&[naive.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let rank = |s: &str| {
        ["error", "warning", "info"]
            .iter()
            .position(|x| *x == s)
            .unwrap()
    };
    let severities: Vec<usize> = findings
        .iter()
        .map(|f| rank(f["severity"].as_str().unwrap()))
        .collect();
    assert!(severities.windows(2).all(|w| w[0] <= w[1]));
    let count = |s: &str| findings.iter().filter(|f| f["severity"] == s).count() as u64;
    assert_eq!(json["summary"]["error"], count("error"));
    assert_eq!(json["summary"]["warning"], count("warning"));
    assert_eq!(json["summary"]["info"], count("info"));
    assert!(
        findings
            .iter()
            .all(|f| f["status"] == "open" && f["note"].is_null())
    );
    let design = findings
        .iter()
        .find(|f| f["subject"]["kind"] == "design")
        .unwrap();
    assert!(design["subject"]["id"].is_null());
    // Same file, same bytes.
    assert_eq!(
        check(&[naive.to_str().unwrap(), "--format", "json"]).1,
        stdout
    );
}
