//! `archboard whatif`: scenarios by name, output formats and exit codes.

// Helpers outside #[test] functions may unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use archboard::catalog::ComponentKind;
use archboard::model::{Component, Connection, ConnectionKind, Diagram, Id, Point, Policy};

fn archboard() -> Command {
    Command::cargo_bin("archboard").unwrap()
}

fn whatif(args: &[&str]) -> (i32, String, String) {
    let output = archboard().arg("whatif").args(args).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Writes a built-in template into `dir` and returns its path.
fn template(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}.ron"));
    let source = archboard::templates::find(name).unwrap().source();
    std::fs::write(&path, source).unwrap();
    path
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn a_single_point_of_failure_makes_a_path_fail_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = template(dir.path(), "order-processing-starter");
    let (code, stdout, stderr) = whatif(&[s(&file), "--fail", "Payment provider"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("What if: Payment provider is down\n"),
        "{stdout}"
    );
    let line = stdout.lines().find(|l| l.contains("place order")).unwrap();
    assert!(line.trim_start().starts_with("fails"), "{line}");
    // The chain ends at the root cause and names the missing timeout.
    assert!(
        stdout.contains("Payment provider: is down and does not answer"),
        "{stdout}"
    );
    assert!(stdout.contains("no timeout"), "{stdout}");
    assert!(stdout.contains("Blast radius:"), "{stdout}");
}

#[test]
fn a_breaker_and_a_saga_keep_every_path_up_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let file = template(dir.path(), "order-processing-reference");
    let (code, stdout, _) = whatif(&[s(&file), "--fail", "payment provider"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("circuit breaker opens"), "{stdout}");
    assert!(stdout.contains("compensation steps"), "{stdout}");
    assert!(
        !stdout.lines().any(|l| l.trim_start().starts_with("fails")),
        "{stdout}"
    );
}

#[test]
fn traffic_times_ten_names_the_first_bottleneck() {
    let dir = tempfile::tempdir().unwrap();
    let file = template(dir.path(), "url-shortener-reference");
    let (code, stdout, _) = whatif(&[s(&file), "--traffic", "10"]);
    assert!(code == 0 || code == 1, "{code}");
    assert!(stdout.starts_with("What if: Traffic × 10\n"), "{stdout}");
    assert!(stdout.contains("at peak × 10"), "{stdout}");
    let bottleneck = stdout
        .lines()
        .find(|l| l.contains("first bottleneck"))
        .unwrap();
    assert!(bottleneck.contains("Click events"), "{bottleneck}");
}

#[test]
fn json_output_carries_verdicts_reasons_and_load() {
    let dir = tempfile::tempdir().unwrap();
    let file = template(dir.path(), "catalogue-caching-reference");
    let args = [
        s(&file),
        "--fail",
        "Pricing service",
        "--traffic",
        "2",
        "--format",
        "json",
    ];
    let (code, stdout, _) = whatif(&args);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let fails = v["summary"]["fails"].as_u64().unwrap();
    assert_eq!(code, if fails > 0 { 1 } else { 0 });
    assert_eq!(v["scenario"]["traffic"], 2.0);
    assert!(v["scenario"]["key"].as_str().unwrap().starts_with("down:"));
    let paths = v["paths"].as_array().unwrap();
    assert!(!paths.is_empty());
    let edit = paths
        .iter()
        .find(|p| p["name"] == "edit product: Catalogue API")
        .unwrap();
    assert_eq!(edit["verdict"], "fails");
    let reasons = edit["reasons"].as_array().unwrap();
    assert!(reasons.iter().any(|r| r["effect"] == "down"));
    // Every reason says what decided it.
    assert!(reasons.iter().all(|r| r["decided_by"].is_array()));
    assert!(reasons.iter().any(|r| {
        r["decided_by"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["type"] == "rule" && c["rule"] == "FAIL-007")
    }));
    assert!(v["load"]["entry_rps"].as_f64().unwrap() > 0.0);
    assert!(
        v["probes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| { p["key"].as_str().unwrap().starts_with("whatif:") })
    );
    // The same input gives the same document.
    let (_, again, _) = whatif(&args);
    assert_eq!(stdout, again);
}

#[test]
fn an_unknown_name_is_a_usage_error_that_lists_the_names() {
    let dir = tempfile::tempdir().unwrap();
    let file = template(dir.path(), "url-shortener-starter");
    let (code, stdout, stderr) = whatif(&[s(&file), "--fail", "Billing"]);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("no component is named `Billing`"),
        "{stderr}"
    );
    assert!(stderr.contains("Shortener API (#3)"), "{stderr}");

    let (code, _, stderr) = whatif(&[s(&file), "--zone", "Zone 1"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("the design has no availability zone"),
        "{stderr}"
    );

    let (code, _, stderr) = whatif(&[s(&file), "--cold", "Links DB"]);
    assert_eq!(code, 2, "a database is not a cache");
    assert!(stderr.contains("no cache or CDN is named"), "{stderr}");
}

#[test]
fn ids_pick_a_component_too() {
    let dir = tempfile::tempdir().unwrap();
    let file = template(dir.path(), "url-shortener-starter");
    let (code, stdout, _) = whatif(&[s(&file), "--fail", "#4"]);
    assert_eq!(code, 1);
    assert!(stdout.starts_with("What if: Links DB is down"), "{stdout}");
}

#[test]
fn bad_flags_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = template(dir.path(), "url-shortener-reference");
    for args in [
        vec![s(&file)],
        vec![s(&file), "--fail", "Redirect API", "--zone", "x"],
        vec![s(&file), "--traffic", "0"],
        vec![s(&file), "--traffic", "lots"],
        vec![s(&file), "--traffic", "1e308"],
        vec![s(&file), "--traffic", "NaN"],
        vec![s(&file), "--traffic", "1e-300"],
        vec![s(&file), "--slow", "Links store=1e308"],
        vec![s(&file), "--slow", "Links store"],
        vec![s(&file), "--slow", "Links store=0.5"],
        vec![s(&file), "--slow", "Links store=fast"],
        vec![s(&file), "--fail", "Redirect API", "--format", "yaml"],
    ] {
        let (code, stdout, stderr) = whatif(&args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert!(!stderr.is_empty(), "{args:?}");
    }
    let (code, stdout, _) = whatif(&[s(&file), "--slow", "Links store=50"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.starts_with("What if: Links store is 50× slower"),
        "{stdout}"
    );
}

#[test]
fn a_file_that_cannot_be_loaded_exits_with_3() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.ron");
    let (code, _, stderr) = whatif(&[s(&missing), "--traffic", "2"]);
    assert_eq!(code, 3);
    assert!(stderr.contains("missing.ron"), "{stderr}");
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(format_version: 1, title: ").unwrap();
    let (code, _, _) = whatif(&[s(&broken), "--traffic", "2"]);
    assert_eq!(code, 3);
}

#[test]
fn control_characters_in_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = Diagram::new("Evil \u{1b}]0;title\u{7}");
    let names = ["Client", "API \u{1b}[31mred\u{1b}[0m"];
    for (i, (kind, name)) in [ComponentKind::Client, ComponentKind::Service]
        .into_iter()
        .zip(names)
        .enumerate()
    {
        d.components.push(Component {
            id: Id(i as u64 + 1),
            kind,
            name: name.to_owned(),
            position: Point::new(i as f32 * 300.0, 0.0),
            properties: kind.default_properties(),
        });
    }
    d.connections.push(Connection {
        id: Id(3),
        from: Id(1),
        to: Id(2),
        kind: ConnectionKind::Request,
        label: "call\u{1b}[2J".to_owned(),
        policy: Policy::default(),
        idempotent: false,
    });
    d.next_id = 4;
    let file = dir.path().join("evil.ron");
    archboard::io::save(&file, &d).unwrap();
    let (code, stdout, stderr) = whatif(&[s(&file), "--fail", "#2"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
        "{stdout:?}"
    );
    assert!(stdout.contains("API \\u{1b}[31mred"), "{stdout}");
    let (code, _, stderr) = whatif(&[s(&file), "--fail", "nobody"]);
    assert_eq!(code, 2);
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}
