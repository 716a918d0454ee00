//! The interviewer's page in a real browser: headless Chromium (Debian's
//! `chromium`) loads the page that `archboard serve` prints, connects its
//! socket and builds the board and the console; markup in a component's
//! name stays text. A second test renders the page with a rated probe, a
//! pinned comment, a curveball and the laser, and saves the screenshot
//! (`ARCHBOARD_BLESS=1` writes `docs/interviewer-page.png`).
//!
//! Both are skipped, saying so, on a machine without Chromium.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod live_common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use archboard::app::{Command as AppCommand, Origin};
use archboard::interview::{CurveballKind, ProbeRecord, Rating};
use archboard::live::{Pointer, Role};
use live_common::Hosted;

/// Ends a child process when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|name| {
        Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

fn browser(name: &str, profile: &std::path::Path) -> Command {
    let mut command = Command::new(name);
    command
        .arg("--headless")
        .arg("--no-sandbox")
        .arg("--disable-gpu")
        .arg("--no-first-run")
        .arg("--hide-scrollbars")
        .arg(format!("--user-data-dir={}", profile.display()))
        .stderr(Stdio::null());
    command
}

#[test]
fn chromium_loads_the_page_that_archboard_serve_prints() {
    let Some(chromium) = chromium() else {
        eprintln!("SKIPPED: no chromium on this machine");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut design = archboard::templates::example::example_design();
    design.components[0].name = "<img src=x onerror=alert(1)>".to_owned();
    let path = dir.path().join("shared.ron");
    archboard::io::save(&path, &design).unwrap();

    let serve = Command::new(env!("CARGO_BIN_EXE_archboard"))
        .args(["serve", path.to_str().unwrap(), "--stop-after", "120"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut serve = Killed(serve);
    let stdout = serve.0.stdout.take().unwrap();
    let mut link = None;
    for line in BufReader::new(stdout).lines().take(10) {
        let line = line.unwrap();
        if let Some(at) = line.find("http://127.0.0.1:")
            && line.starts_with("Interviewer")
        {
            link = Some(line[at..].trim().to_owned());
            break;
        }
    }
    let link = link.expect("serve printed an interviewer link");

    // Headless Chromium's virtual time can run out before the socket has
    // connected (it does not wait for sockets): try a few times.
    let mut dom = String::new();
    for attempt in 0..8 {
        let out = browser(chromium, &dir.path().join(format!("profile{attempt}")))
            .arg("--virtual-time-budget=4000")
            .arg("--dump-dom")
            .arg(&link)
            .output()
            .unwrap();
        dom = String::from_utf8_lossy(&out.stdout).into_owned();
        if dom.contains("conn-ok") {
            break;
        }
    }
    assert!(
        dom.contains("class=\"card\""),
        "the board was drawn: {}",
        &dom[..dom.len().min(2000)]
    );
    assert!(dom.contains("class=\"probe"), "the console lists probes");
    assert!(dom.contains("Live"), "the socket is connected");
    // The hostile name is on the board and in the console, as text only.
    assert!(dom.contains("&lt;img src=x"), "the name is shown");
    assert!(!dom.contains("<img"), "and never became an element");
    drop(serve);
}

/// Pumps the host (with `pointer`) while a browser process runs, bounded.
fn pump_while(hosted: &mut Hosted, pointer: Pointer, child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        hosted.host.pump(&mut hosted.session, pointer);
        if let Ok(Some(status)) = child.try_wait() {
            return status.success();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn a_screenshot_of_the_interviewers_page() {
    let Some(chromium) = chromium() else {
        eprintln!("SKIPPED: no chromium on this machine");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let design = archboard::templates::find("url-shortener-reference")
        .and_then(|t| t.diagram().ok())
        .unwrap_or_else(archboard::templates::example::example_design);
    let mut hosted = Hosted::new(design);
    let viewer = Origin::Remote(1);
    let probes: Vec<String> = hosted
        .session
        .probes()
        .iter()
        .map(|p| p.key.clone())
        .collect();
    for (key, rating, note) in [
        (
            0,
            Some(Rating::Strong),
            "Clear answer: idempotency keys on writes",
        ),
        (
            1,
            Some(Rating::Partial),
            "Named a retry, no backoff or jitter",
        ),
        (2, None, ""),
    ] {
        if let Some(key) = probes.get(key) {
            hosted
                .session
                .execute_from(
                    viewer,
                    AppCommand::RateProbe {
                        key: key.clone(),
                        record: ProbeRecord {
                            asked: true,
                            rating,
                            note: note.to_owned(),
                        },
                    },
                )
                .unwrap();
        }
    }
    let target = hosted.session.diagram().components[2].id;
    for command in [
        AppCommand::PinComment {
            component: target,
            text: "What happens to this when the cache is cold?".to_owned(),
            author: "Ada".to_owned(),
        },
        AppCommand::ThrowCurveball {
            kind: CurveballKind::TrafficSurge,
            detail: "A celebrity shares a link: reads jump tenfold".to_owned(),
            author: "Ada".to_owned(),
        },
    ] {
        hosted.session.execute_from(viewer, command).unwrap();
    }
    hosted
        .session
        .execute(AppCommand::Timer(archboard::app::TimerCommand::Start))
        .unwrap();
    let laser = hosted.session.diagram().component(target).map(|c| {
        let r = c.rect();
        [r.x + r.w * 0.8, r.y + r.h + 14.0]
    });
    let cursor = hosted.session.diagram().components.get(5).map(|c| {
        let r = c.rect();
        [r.x + r.w * 0.6, r.y + r.h * 0.7]
    });
    let pointer = Pointer {
        laser,
        cursor,
        view: None,
    };
    hosted.host.pump(&mut hosted.session, pointer);
    let link = hosted.link(Role::Interviewer);
    let shot = dir.path().join("page.png");
    // As above, a screenshot taken before the socket connected shows an
    // empty page (a small PNG): try again.
    let mut png = Vec::new();
    for attempt in 0..8 {
        let mut child = browser(chromium, &dir.path().join(format!("profile{attempt}")))
            .arg("--window-size=1440,860")
            .arg("--virtual-time-budget=4000")
            .arg(format!("--screenshot={}", shot.display()))
            .arg(&link)
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        assert!(
            pump_while(&mut hosted, pointer, &mut child),
            "chromium took the screenshot"
        );
        png = std::fs::read(&shot).unwrap();
        if png.len() > 100_000 {
            break;
        }
    }
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    assert!(
        png.len() > 100_000,
        "with the board and the console on it: {} bytes",
        png.len()
    );
    if std::env::var_os("ARCHBOARD_BLESS").is_some() {
        let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/interviewer-page.png");
        std::fs::write(out, png).unwrap();
    }
}
