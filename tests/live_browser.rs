//! The interviewer's page in a real browser: headless Chromium (Debian's
//! `chromium`) loads the page that `archboard serve` prints, connects its
//! socket and builds the board and the console; markup in a component's
//! name stays text. A second test renders the page with a rated probe, a
//! pinned comment, a curveball and the laser, and saves the screenshot
//! (`ARCHBOARD_BLESS=1` writes `docs/interviewer-page.png`). A third opens
//! the Score tab, sees it follow a rating, and finds no such tab on the
//! observer's page.
//!
//! Both are skipped, saying so, on a machine without Chromium.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod live_common;

use std::io::{BufRead, BufReader};

use base64::Engine as _;
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::{self, Message, stream::MaybeTlsStream};

use archboard::app::{Command as AppCommand, Origin};
use archboard::interview::{CurveballKind, ProbeRecord, Rating};
use archboard::live::{Pointer, Role};
use live_common::{Hosted, PATIENCE, http_get};

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

/// Headless Chromium on `url`, driven through its DevTools protocol on
/// 127.0.0.1: the test waits, in real time, until the page says it is live,
/// then reads the DOM and takes the screenshot. (Chromium's own
/// `--dump-dom` and `--screenshot` run on virtual time, which does not wait
/// for sockets.)
struct Browser {
    _child: Killed,
    cdp: tungstenite::WebSocket<MaybeTlsStream<std::net::TcpStream>>,
    next_id: u64,
}

impl Browser {
    fn open(name: &str, profile: &std::path::Path, url: &str, pump: &mut impl FnMut()) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(name)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
            ])
            .args(["--hide-scrollbars", "--window-size=1440,860"])
            .arg(format!("--remote-debugging-port={port}"))
            .arg("--remote-debugging-address=127.0.0.1")
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(url)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let child = Killed(child);
        let deadline = Instant::now() + PATIENCE;
        let socket = loop {
            assert!(
                Instant::now() < deadline,
                "the DevTools endpoint did not come up"
            );
            pump();
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                let (_, _, body) = http_get(&format!("http://127.0.0.1:{port}/json/list"));
                let targets: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                let page = targets.as_array().and_then(|list| {
                    list.iter().find(|t| {
                        t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.contains("/s/"))
                    })
                });
                if let Some(ws) = page.and_then(|p| p["webSocketDebuggerUrl"].as_str()) {
                    break ws.to_owned();
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let (cdp, _) = tungstenite::connect(socket.as_str()).unwrap();
        if let MaybeTlsStream::Plain(stream) = cdp.get_ref() {
            stream
                .set_read_timeout(Some(Duration::from_millis(10)))
                .unwrap();
        }
        Self {
            _child: child,
            cdp,
            next_id: 0,
        }
    }

    /// One DevTools call, pumping the host while it waits.
    fn call(
        &mut self,
        method: &str,
        params: serde_json::Value,
        pump: &mut impl FnMut(),
    ) -> serde_json::Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({"id": id, "method": method, "params": params});
        self.cdp
            .send(Message::Text(message.to_string().into()))
            .unwrap();
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            pump();
            match self.cdp.read() {
                Ok(Message::Text(text)) => {
                    let value: serde_json::Value = serde_json::from_str(text.as_str()).unwrap();
                    if value["id"] == id {
                        return value["result"].clone();
                    }
                }
                Ok(_) => {}
                Err(e) if live_common::timed_out(&e) => {}
                Err(e) => panic!("DevTools: {e}"),
            }
        }
        panic!("DevTools did not answer {method}");
    }

    fn eval(&mut self, expression: &str, pump: &mut impl FnMut()) -> serde_json::Value {
        let params = json!({"expression": expression, "returnByValue": true});
        self.call("Runtime.evaluate", params, pump)["result"]["value"].clone()
    }

    /// Waits until `condition` (JavaScript) holds on the page.
    fn wait_until(&mut self, condition: &str, pump: &mut impl FnMut()) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if self.eval(condition, pump) == json!(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the page never got to: {condition}");
    }
}

/// The page is connected and has drawn the board.
const LIVE: &str = "document.getElementById('conn').textContent === 'Live' && document.querySelectorAll('#content .card').length > 0";

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

    let mut nothing = || {};
    let mut browser = Browser::open(chromium, &dir.path().join("profile"), &link, &mut nothing);
    browser.wait_until(LIVE, &mut nothing);
    let dom = browser.eval("document.documentElement.outerHTML", &mut nothing);
    let dom = dom.as_str().unwrap_or_default().to_owned();
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

/// An edit in the host's session reaches the open page as a delta: the
/// page patches the board in place (no reload: a value the test left on
/// the page is still there) and shows the new name, as text.
#[test]
fn after_an_edit_the_page_shows_the_new_name_without_reloading() {
    let Some(chromium) = chromium() else {
        eprintln!("SKIPPED: no chromium on this machine");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut hosted = Hosted::new(archboard::templates::example::example_design());
    let target = hosted.session.diagram().components[0].id;
    let other = hosted.session.diagram().components[1].id;
    let link = hosted.link(Role::Interviewer);
    let (session, host) = (&mut hosted.session, &mut hosted.host);
    let mut pump = || {
        host.pump(session, Pointer::default());
    };
    let mut browser = Browser::open(chromium, &dir.path().join("profile"), &link, &mut pump);
    browser.wait_until(LIVE, &mut pump);
    browser.eval("window.archboardTestMark = 'still here'; true", &mut pump);
    let card = format!(
        "document.querySelector('#content .cards [data-id=\"{}\"]')",
        target.0
    );
    let before = browser.eval(&format!("{card}.outerHTML"), &mut pump);
    // Another card's element is marked: a fresh snapshot (a resync) would
    // build the board anew and lose the mark, a delta leaves it alone.
    let other = format!(
        "document.querySelector('#content .cards [data-id=\"{}\"]')",
        other.0
    );
    browser.eval(
        &format!("{other}.archboardTestMark = 'kept'; true"),
        &mut pump,
    );

    let name = "Ledger <b>v2</b>";
    for command in [
        AppCommand::Rename {
            id: target,
            text: name.to_owned(),
        },
        AppCommand::EndGesture,
    ] {
        hosted.session.execute(command).unwrap();
    }
    let (session, host) = (&mut hosted.session, &mut hosted.host);
    let mut pump = || {
        host.pump(session, Pointer::default());
    };
    browser.wait_until(
        &format!("{card}.textContent.includes('Ledger <b>v2</b>')"),
        &mut pump,
    );
    assert_eq!(
        browser.eval("window.archboardTestMark", &mut pump),
        json!("still here"),
        "the page was patched, not reloaded"
    );
    assert_ne!(
        browser.eval(&format!("{card}.outerHTML"), &mut pump),
        before
    );
    assert_eq!(
        browser.eval("document.querySelectorAll('#content b').length", &mut pump),
        json!(0),
        "markup in the name stayed text"
    );
    browser.wait_until(
        "Array.from(document.querySelectorAll('#cm-target option')).some(o => o.textContent.startsWith('Ledger <b>v2</b>'))",
        &mut pump,
    );
    assert_eq!(
        browser.eval("document.getElementById('conn').textContent", &mut pump),
        json!("Live")
    );

    // Moving the card moves its piece on the page too.
    let x_of = format!("{card}.querySelector('rect').getAttribute('x')");
    let x_before = browser.eval(&x_of, &mut pump);
    for command in [
        AppCommand::MoveBy {
            ids: vec![target],
            dx: 200.0,
            dy: 0.0,
        },
        AppCommand::EndGesture,
    ] {
        hosted.session.execute(command).unwrap();
    }
    let (session, host) = (&mut hosted.session, &mut hosted.host);
    let mut pump = || {
        host.pump(session, Pointer::default());
    };
    browser.wait_until(&format!("{x_of} !== {x_before}"), &mut pump);
    assert_eq!(
        browser.eval("window.archboardTestMark", &mut pump),
        json!("still here")
    );
    assert_eq!(
        browser.eval(&format!("{other}.archboardTestMark"), &mut pump),
        json!("kept"),
        "the board was patched in place, not rebuilt from a snapshot"
    );
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
    let (session, host) = (&mut hosted.session, &mut hosted.host);
    let mut pump = || {
        host.pump(session, pointer);
    };
    let mut browser = Browser::open(chromium, &dir.path().join("profile"), &link, &mut pump);
    browser.wait_until(LIVE, &mut pump);
    browser.wait_until(
        "document.getElementById('laser').getAttribute('display') !== 'none'",
        &mut pump,
    );
    let shot = browser.call(
        "Page.captureScreenshot",
        json!({"format": "png"}),
        &mut pump,
    );
    let png = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().unwrap_or_default())
        .unwrap();
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

/// The scorecard panel of the page: what it shows, in a browser.
const SCORE_ROWS: &str = "document.querySelectorAll('#score .dimension').length";

#[test]
fn the_interviewers_page_shows_the_scorecard_and_an_observers_does_not() {
    let Some(chromium) = chromium() else {
        eprintln!("SKIPPED: no chromium on this machine");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut design = archboard::templates::find("url-shortener-reference")
        .and_then(|t| t.diagram().ok())
        .unwrap();
    // A requirement nothing traces: its text comes back in a criterion's
    // reason, and must stay text.
    design
        .requirements
        .functional
        .push("<img src=x onerror=alert(1)> zzqx".to_owned());
    let mut hosted = Hosted::new(design);
    let deep: Vec<String> = hosted
        .session
        .probes()
        .iter()
        .map(|p| p.key.clone())
        .filter(|k| !k.starts_with("design:"))
        .take(2)
        .collect();
    assert_eq!(deep.len(), 2);
    let rate = |session: &mut archboard::app::Session, key: &str| {
        session
            .execute_from(
                Origin::Remote(1),
                AppCommand::RateProbe {
                    key: key.to_owned(),
                    record: ProbeRecord {
                        asked: true,
                        rating: Some(Rating::Strong),
                        note: String::new(),
                    },
                },
            )
            .unwrap();
    };
    rate(&mut hosted.session, &deep[0]);
    hosted.pump();
    let link = hosted.link(Role::Interviewer);
    let observer_link = hosted.link(Role::Observer);
    // Set to rate the second deep dive from inside the pump, while the page
    // is open.
    let second = std::cell::Cell::new(false);
    let (session, host) = (&mut hosted.session, &mut hosted.host);
    let mut pump = || {
        if second.take() {
            rate(session, &deep[1]);
        }
        host.pump(session, Pointer::default());
    };
    let mut browser = Browser::open(chromium, &dir.path().join("profile"), &link, &mut pump);
    browser.wait_until(LIVE, &mut pump);
    browser.wait_until(&format!("{SCORE_ROWS} === 6"), &mut pump);
    let tab = "document.querySelector('.tab[data-tab=\"score\"]')";
    assert_eq!(
        browser.eval(&format!("{tab}.hidden"), &mut pump),
        json!(false)
    );
    browser.eval(&format!("{tab}.click()"), &mut pump);
    assert_eq!(
        browser.eval("document.getElementById('tab-score').hidden", &mut pump),
        json!(false),
        "the Score tab opens its pane"
    );
    let dimensions = browser.eval(
        "Array.from(document.querySelectorAll('#score .dimension-head .label')).map(e => e.textContent)",
        &mut pump,
    );
    assert_eq!(dimensions[0], "Requirements and scope");
    assert_eq!(dimensions[3], "Deep dives");
    let head = browser.eval(
        "document.getElementById('score-head').textContent",
        &mut pump,
    );
    assert!(
        head.as_str()
            .is_some_and(|h| h.contains("of 100") && h.contains("so far")),
        "{head}"
    );
    let two = "document.querySelector('[data-criterion=\"two-deep-dives\"]')";
    assert_eq!(
        browser.eval(&format!("{two}.className"), &mut pump),
        json!("missed")
    );
    let traced = browser.eval(
        "document.querySelector('[data-criterion=\"requirements-traced\"] .why').textContent",
        &mut pump,
    );
    assert!(
        traced.as_str().is_some_and(|t| t.contains("<img src=x")),
        "the reason names the requirement: {traced}"
    );
    let dom = browser.eval("document.getElementById('score').outerHTML", &mut pump);
    let dom = dom.as_str().unwrap_or_default().to_owned();
    assert!(dom.contains("&lt;img src=x"), "as text: {dom}");
    assert!(!dom.contains("<img"), "never as an element");

    // A second deep dive rated in the app: the open page follows.
    second.set(true);
    browser.wait_until(&format!("{two}.className === 'met'"), &mut pump);
    drop(browser);

    // The observer's page has no Score tab and nothing in the panel.
    let mut browser = Browser::open(
        chromium,
        &dir.path().join("profile3"),
        &observer_link,
        &mut pump,
    );
    browser.wait_until(LIVE, &mut pump);
    browser.wait_until("document.body.classList.contains('readonly')", &mut pump);
    assert_eq!(
        browser.eval(&format!("{tab}.hidden"), &mut pump),
        json!(true)
    );
    assert_eq!(browser.eval(SCORE_ROWS, &mut pump), json!(0));
}
