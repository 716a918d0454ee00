//! `archboard serve` and `archboard relay` as a user runs them: the links
//! printed, a bad design or address refused with its exit code, and both
//! stopping by themselves with `--stop-after`.

#![allow(clippy::unwrap_used)]

use assert_cmd::Command;

#[test]
fn serve_prints_both_links_and_stops_by_itself() {
    let out = Command::cargo_bin("archboard")
        .unwrap()
        .args([
            "serve",
            "examples/designs/url-shortener-starter.ron",
            "--stop-after",
            "1",
        ])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let links: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("http://127.0.0.1:"))
        .collect();
    assert_eq!(links.len(), 2, "{text}");
    assert!(links[0].starts_with("Interviewer, this computer: http://127.0.0.1:"));
    assert!(links[1].starts_with("Observer (read-only), this computer: http://127.0.0.1:"));
    assert_ne!(
        links[0].rsplit('/').nth(1),
        links[1].rsplit('/').nth(1),
        "two different secrets"
    );
}

#[test]
fn serve_refuses_a_missing_design_and_a_bad_relay() {
    Command::cargo_bin("archboard")
        .unwrap()
        .args(["serve", "no-such-design.ron"])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(3);
    let out = Command::cargo_bin("archboard")
        .unwrap()
        .args([
            "serve",
            "examples/designs/url-shortener-starter.ron",
            "--relay",
            "https://relay.example:443",
        ])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("http://host:port"));
    Command::cargo_bin("archboard")
        .unwrap()
        .args([
            "serve",
            "examples/designs/url-shortener-starter.ron",
            "--listen",
            "nowhere",
        ])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(2);
}

#[test]
fn the_relay_starts_and_stops_by_itself() {
    let out = Command::cargo_bin("archboard")
        .unwrap()
        .args(["relay", "--listen", "127.0.0.1:0", "--stop-after", "1"])
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Relay listening on 127.0.0.1:"));
}
