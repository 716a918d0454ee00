//! The interviewer link end to end on 127.0.0.1, with a Rust viewer:
//! tokens, the snapshot, live edits, requests landing in the session with
//! their origin, read-only observers, hostile input, a viewer that stops
//! reading, reconnects, limits, and the same through the relay.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod live_common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use archboard::app::{Command, LogEntry, Origin, PresentCommand};
use archboard::catalog::ComponentKind;
use archboard::export::{self, SvgOptions};
use archboard::live::relay::{Relay, RelayLimits};
use archboard::live::{HostOptions, Pointer, Role};
use archboard::model::{Component, Diagram, Id, Point, Step};
use live_common::{
    Hosted, PATIENCE, Viewer, apply_delta, board_svg, http_get, join_as, join_live, wait_for,
    wait_tag,
};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

const HOSTILE: &str = "<img src=x onerror=alert(1)>";

fn design(n: usize) -> Diagram {
    let mut d = Diagram::new("Live test");
    for i in 0..n {
        let kind = if i % 3 == 0 {
            ComponentKind::RelationalDb
        } else {
            ComponentKind::Service
        };
        d.components.push(Component {
            id: Id(i as u64 + 1),
            kind,
            name: format!("Service {}", i + 1),
            position: Point::new((i % 10) as f32 * 240.0, (i / 10) as f32 * 140.0),
            properties: kind.default_properties(),
        });
    }
    d.next_id = n as u64 + 1;
    d
}

fn rename(hosted: &mut Hosted, id: u64, text: &str) {
    hosted
        .session
        .execute(Command::Rename {
            id: Id(id),
            text: text.to_owned(),
        })
        .unwrap();
    hosted.session.execute(Command::EndGesture).unwrap();
}

fn relay_options(relay: &Relay) -> HostOptions {
    HostOptions {
        listen: None,
        relay: Some(format!("http://{}", relay.addr())),
        ..HostOptions::default()
    }
}

fn local_relay() -> Relay {
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    Relay::start(addr, RelayLimits::default()).unwrap()
}

/// A relay on 127.0.0.1 and a session shared only through it, its link up.
fn relayed(diagram: Diagram) -> (Relay, Hosted) {
    let relay = local_relay();
    let mut hosted = Hosted::with_options(diagram, &relay_options(&relay));
    wait_relay_up(&mut hosted);
    (relay, hosted)
}

/// Waits (pumping) until the relay link is up, so links work.
fn wait_relay_up(hosted: &mut Hosted) {
    let deadline = std::time::Instant::now() + PATIENCE;
    while std::time::Instant::now() < deadline {
        hosted.pump();
        if hosted.host.relay_status() == archboard::live::relay::LinkStatus::Connected {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!(
        "the relay link did not come up: {:?}",
        hosted.host.relay_status()
    );
}

// ------------------------------------------------------------------ tokens

fn joining_needs_the_token(hosted: &mut Hosted) {
    let page = hosted.link(Role::Interviewer);
    let (status, head, body) = http_get(&page);
    assert_eq!(status, 200, "{head}");
    assert!(body.contains("<script src=\"app.js\""));
    let head = head.to_ascii_lowercase();
    assert!(head.contains("content-security-policy: default-src 'none'; script-src 'self'"));
    assert!(head.contains("x-content-type-options: nosniff"));
    for asset in ["app.js", "style.css", "font.ttf"] {
        assert_eq!(http_get(&format!("{page}{asset}")).0, 200, "{asset}");
    }
    // The page without its folder slash is sent to the folder.
    assert_eq!(http_get(page.trim_end_matches('/')).0, 308);

    // A wrong token, a missing one, a path outside: "not found", alike.
    let token_at = page.trim_end_matches('/').rfind('/').unwrap() + 1;
    let wrong = format!("{}{}/", &page[..token_at], "0".repeat(32));
    for url in [
        wrong.clone(),
        format!("{wrong}app.js"),
        page[..token_at].to_owned(),
        format!("{}../../etc/passwd", &page[..token_at]),
        format!("{page}../../Cargo.toml"),
        format!("{page}secret.ron"),
    ] {
        let (status, _, body) = http_get(&url);
        assert_eq!(status, 404, "{url}");
        assert!(!body.contains("<html"), "{url}");
    }
    assert!(
        Viewer::join(&wrong).is_err(),
        "the socket needs the token too"
    );
    let (_viewer, welcome, snapshot) = join_live(hosted, &page);
    assert_eq!(welcome["role"], "interviewer");
    assert_eq!(snapshot["t"], "snapshot");
}

#[test]
fn joining_with_and_without_the_token() {
    let mut hosted = Hosted::new(design(3));
    joining_needs_the_token(&mut hosted);
}

#[test]
fn joining_through_the_relay_with_and_without_the_token() {
    let (relay, mut hosted) = relayed(design(3));
    assert!(
        hosted.host.local_addr().is_none(),
        "relay only: no own server"
    );
    joining_needs_the_token(&mut hosted);
    // Another room id, or the host's own socket path, reveals nothing.
    let (status, _, _) = http_get(&format!("http://{}/r/{}/x/", relay.addr(), "a".repeat(32)));
    assert_eq!(status, 404);
}

// ---------------------------------------------------------------- snapshot

fn the_snapshot_equals_the_design(hosted: &mut Hosted) {
    let (_viewer, _, snapshot) = join_as(hosted, Role::Observer);
    let board = &snapshot["board"];
    let expected = export::svg(
        hosted.session.diagram(),
        &SvgOptions {
            findings: true,
            ..SvgOptions::default()
        },
    );
    assert_eq!(board_svg(board), expected);
    let cards: Vec<(u64, String)> = board["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_u64().unwrap(),
                c["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let components: Vec<(u64, String)> = hosted
        .session
        .diagram()
        .components
        .iter()
        .map(|c| (c.id.0, c.name.clone()))
        .collect();
    assert_eq!(cards, components);
    let probes: Vec<&str> = board["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = hosted
        .session
        .probes()
        .iter()
        .map(|p| p.key.as_str())
        .collect();
    assert_eq!(probes, expected);
    assert_eq!(board["drawing"]["title"], "Live test");
    assert_eq!(snapshot["interview"]["phase"], "Clarify requirements");
}

#[test]
fn the_snapshot_equals_the_design_direct_and_through_the_relay() {
    let mut hosted = Hosted::new(design(12));
    the_snapshot_equals_the_design(&mut hosted);
    let (_relay, mut through) = relayed(design(12));
    the_snapshot_equals_the_design(&mut through);
}

// ------------------------------------------------------------- live edits

fn an_edit_reaches_the_viewer(hosted: &mut Hosted) {
    let (mut viewer, _, snapshot) = join_as(hosted, Role::Observer);
    let seq = snapshot["seq"].as_u64().unwrap();
    let mut board = snapshot["board"].clone();
    rename(hosted, 2, "Checkout API");
    let delta = wait_tag(hosted, &mut viewer, "delta");
    assert_eq!(delta["seq"].as_u64().unwrap(), seq + 1, "the next number");
    apply_delta(&mut board, &delta["board"]).unwrap();
    assert!(board_svg(&board).contains("Checkout API"));

    // Present mode: the step and the revealed part follow the presenter.
    hosted
        .session
        .execute(Command::SetSteps(vec![Step {
            title: "Entry".to_owned(),
            revealed: vec![Id(1)],
        }]))
        .unwrap();
    hosted
        .session
        .execute(Command::Present(PresentCommand::Enter))
        .unwrap();
    let interview = wait_for(hosted, &mut viewer, "the step", |m| {
        m["t"] == "interview" && m["interview"]["step"] == 0
    });
    assert_eq!(interview["interview"]["step_title"], "Entry");
    for delta in viewer.seen.iter().filter(|m| m["t"] == "delta").skip(1) {
        apply_delta(&mut board, &delta["board"]).unwrap();
    }
    assert_eq!(board["cards"].as_array().map(Vec::len), Some(1));
    assert!(!board_svg(&board).contains("Checkout API"));

    // The pointer, cursor and view go out as they change.
    let pointer = Pointer {
        laser: Some([10.0, 20.0]),
        cursor: Some([30.0, 40.0]),
        view: Some([0.0, 0.0, 800.0, 600.0]),
    };
    // (Pumped with the pointer each time: a pump without it would take
    // the laser away again, and pointers are latest-wins.)
    let deadline = std::time::Instant::now() + PATIENCE;
    let mut got = json!(null);
    while std::time::Instant::now() < deadline {
        hosted.host.pump(&mut hosted.session, pointer);
        if let Some(m) = viewer.poll()
            && m["t"] == "pointer"
            && m["laser"] == json!([10.0, 20.0])
        {
            got = m;
            break;
        }
    }
    assert_eq!(got["cursor"], json!([30.0, 40.0]));
    assert_eq!(got["view"], json!([0.0, 0.0, 800.0, 600.0]));
    // Numbers stayed in order: every update is one more than the last.
    let seqs: Vec<u64> = viewer
        .seen
        .iter()
        .filter_map(|m| m["seq"].as_u64())
        .collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
}

#[test]
fn an_edit_made_in_the_app_reaches_the_viewer() {
    let mut hosted = Hosted::new(design(4));
    an_edit_reaches_the_viewer(&mut hosted);
}

#[test]
fn an_edit_made_in_the_app_reaches_the_viewer_through_the_relay() {
    let (_relay, mut hosted) = relayed(design(4));
    an_edit_reaches_the_viewer(&mut hosted);
}

// ------------------------------------------------------------------ deltas

/// Edits of every sort each reach the viewer as one `delta` (never a
/// snapshot) holding only what changed; applied to the snapshot in turn,
/// they give exactly the board a viewer joining now gets, and the SVG the
/// exporter writes.
fn deltas_bring_the_snapshot_up_to_date(hosted: &mut Hosted) {
    let (mut viewer, _, snapshot) = join_as(hosted, Role::Observer);
    let mut board = snapshot["board"].clone();
    let pieces_in = |delta: &serde_json::Value| -> usize {
        delta["board"]["drawing"]["layers"]
            .as_object()
            .map_or(0, |layers| {
                layers
                    .values()
                    .map(|l| l["put"].as_array().map_or(0, Vec::len))
                    .sum()
            })
    };
    let total = |board: &serde_json::Value| -> usize {
        board["drawing"]["layers"]
            .as_object()
            .unwrap()
            .values()
            .map(|l| l.as_array().unwrap().len())
            .sum()
    };
    let edits: Vec<Vec<Command>> = vec![
        vec![Command::Rename {
            id: Id(3),
            text: "Payments".to_owned(),
        }],
        vec![Command::MoveBy {
            ids: vec![Id(4)],
            dx: 480.0,
            dy: 280.0,
        }],
        vec![Command::AddComponent {
            kind: ComponentKind::Cache,
            near: Point::new(100.0, 100.0),
        }],
        vec![Command::Connect {
            from: Id(1),
            to: Id(2),
        }],
        vec![Command::Delete(vec![Id(5)])],
        vec![Command::SetTitle("Live test, second take".to_owned())],
    ];
    for (i, commands) in edits.into_iter().enumerate() {
        for command in commands {
            hosted.session.execute(command).unwrap();
        }
        hosted.session.execute(Command::EndGesture).unwrap();
        let message = wait_for(hosted, &mut viewer, "a board update", |m| {
            m["t"] == "delta" || m["t"] == "snapshot"
        });
        assert_eq!(message["t"], "delta", "edit {i}: a delta, not a snapshot");
        assert!(
            pieces_in(&message) * 4 < total(&board),
            "edit {i} sent only what it touched: {} of {} pieces",
            pieces_in(&message),
            total(&board)
        );
        apply_delta(&mut board, &message["board"]).unwrap_or_else(|e| panic!("edit {i}: {e}"));
    }
    // Every update was numbered one more than the one before.
    let seqs: Vec<u64> = viewer
        .seen
        .iter()
        .filter_map(|m| m["seq"].as_u64())
        .collect();
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
    let (_fresh, _, fresh) = join_as(hosted, Role::Observer);
    assert_eq!(board, fresh["board"], "applied deltas = a fresh snapshot");
    let expected = export::svg(
        hosted.session.diagram(),
        &SvgOptions {
            findings: true,
            ..SvgOptions::default()
        },
    );
    assert_eq!(board_svg(&board), expected);
    assert!(board_svg(&board).contains("Payments"));
}

#[test]
fn an_edit_sends_a_delta_that_brings_the_snapshot_up_to_date() {
    let mut hosted = Hosted::new(design(12));
    deltas_bring_the_snapshot_up_to_date(&mut hosted);
}

#[test]
fn an_edit_sends_a_delta_through_the_relay_too() {
    let (_relay, mut hosted) = relayed(design(12));
    deltas_bring_the_snapshot_up_to_date(&mut hosted);
}

/// A viewer that misses a delta (here: drops it on purpose) sees the gap
/// in the numbers, asks for a resync and gets a snapshot of the board as
/// it is now.
#[test]
fn a_gap_in_the_numbers_brings_a_fresh_snapshot() {
    let mut hosted = Hosted::new(design(6));
    let (mut viewer, _, snapshot) = join_as(&mut hosted, Role::Observer);
    let seq = snapshot["seq"].as_u64().unwrap();
    rename(&mut hosted, 1, "Missed");
    let missed = wait_tag(&mut hosted, &mut viewer, "delta");
    assert_eq!(missed["seq"].as_u64(), Some(seq + 1));
    rename(&mut hosted, 2, "Seen after the gap");
    let next = wait_for(&mut hosted, &mut viewer, "the next update", |m| {
        m["seq"].as_u64().is_some_and(|s| s > seq + 1)
    });
    assert!(next["seq"].as_u64().unwrap() > seq + 1, "a gap");
    viewer.send(&json!({"t": "resync"}));
    let fresh = wait_tag(&mut hosted, &mut viewer, "snapshot");
    assert!(fresh["seq"].as_u64().unwrap() >= next["seq"].as_u64().unwrap());
    assert_eq!(fresh["board"]["cards"][0]["name"], "Missed");
    assert_eq!(fresh["board"]["cards"][1]["name"], "Seen after the gap");
    assert!(board_svg(&fresh["board"]).contains("Seen after the gap"));
    // After the snapshot, deltas follow it again.
    rename(&mut hosted, 3, "After the snapshot");
    let delta = wait_tag(&mut hosted, &mut viewer, "delta");
    assert_eq!(
        delta["seq"].as_u64(),
        Some(fresh["seq"].as_u64().unwrap() + 1)
    );
}

// ---------------------------------------------------------------- requests

fn requests_land_with_their_origin(hosted: &mut Hosted) {
    let log: Receiver<Arc<LogEntry>> = hosted.session.subscribe();
    let (mut viewer, welcome, _) = join_as(hosted, Role::Interviewer);
    let me = welcome["viewer"].as_u64().unwrap();
    viewer
        .send(&json!({"t": "hello", "name": "Ada\u{1b}[2J", "client": "c0ffee00c0ffee00c0ffee00"}));
    let welcome = wait_for(hosted, &mut viewer, "the named welcome", |m| {
        m["t"] == "welcome" && m["name"] == "Ada[2J"
    });
    assert_eq!(welcome["viewer"].as_u64(), Some(me));
    let key = hosted.session.probes()[0].key.clone();
    viewer.send(&json!({"t": "rate", "req": "r1", "key": key, "rating": "Partial", "asked": true, "note": "Missed the retry storm"}));
    let reply = wait_tag(hosted, &mut viewer, "reply");
    assert_eq!(reply, json!({"t": "reply", "req": "r1", "ok": true}));
    let record = hosted.session.interview().record(&key).unwrap();
    assert_eq!(record.note, "Missed the retry storm");
    assert_eq!(record.rating, Some(archboard::interview::Rating::Partial));

    viewer.send(
        &json!({"t": "pin", "req": "p1", "component": 2, "text": "Why is this synchronous?"}),
    );
    let reply = wait_tag(hosted, &mut viewer, "reply");
    assert_eq!(reply["ok"], true, "{reply}");
    let comments = &hosted.session.interview().comments;
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].component, Id(2));
    assert_eq!(comments[0].author, "Ada[2J");
    assert_eq!(comments[0].text, "Why is this synchronous?");

    viewer.send(
        &json!({"t": "curveball", "req": "c1", "kind": "RegionDown", "detail": "West Europe"}),
    );
    assert_eq!(wait_tag(hosted, &mut viewer, "reply")["ok"], true);
    assert_eq!(hosted.session.interview().open_curveballs().count(), 1);

    let origins: Vec<(Origin, String)> = log
        .try_iter()
        .map(|e| {
            (
                e.origin,
                format!("{:?}", e.command).chars().take(12).collect(),
            )
        })
        .collect();
    assert_eq!(origins.len(), 3, "{origins:?}");
    assert!(
        origins.iter().all(|(o, _)| *o == Origin::Remote(me)),
        "{origins:?}"
    );

    // The viewer sees its comment come back in the interview state.
    let state = wait_for(hosted, &mut viewer, "the comment", |m| {
        m["t"] == "interview"
            && m["interview"]["comments"]
                .as_array()
                .is_some_and(|c| !c.is_empty())
    });
    assert_eq!(state["interview"]["curveballs"][0]["detail"], "West Europe");
}

#[test]
fn a_probe_rating_and_a_pinned_comment_land_in_the_session_with_their_origin() {
    let mut hosted = Hosted::new(design(4));
    requests_land_with_their_origin(&mut hosted);
}

#[test]
fn a_probe_rating_and_a_pinned_comment_land_through_the_relay() {
    let (_relay, mut hosted) = relayed(design(4));
    requests_land_with_their_origin(&mut hosted);
}

#[test]
fn observers_are_read_only_and_hostile_messages_change_nothing() {
    let mut hosted = Hosted::new(design(4));
    let before = (
        hosted.session.diagram().clone(),
        hosted.session.interview().clone(),
    );
    let (mut observer, welcome, _) = join_as(&mut hosted, Role::Observer);
    assert_eq!(welcome["role"], "observer");
    observer.send(&json!({"t": "pin", "req": "p", "component": 1, "text": "hi"}));
    let reply = wait_tag(&mut hosted, &mut observer, "reply");
    assert_eq!(reply["ok"], false);
    assert_eq!(reply["error"], "this link is read-only");

    let (mut viewer, _, _) = join_as(&mut hosted, Role::Interviewer);
    for bad in [
        "not json".to_owned(),
        "{\"t\":\"delete\",\"ids\":[1]}".to_owned(),
        "{\"t\":\"rate\"}".to_owned(),
        json!({"t": "pin", "req": "", "component": 1, "text": "x"}).to_string(),
        json!({"t": "rate", "req": "k", "key": "k".repeat(5000)}).to_string(),
        "[]".to_owned(),
    ] {
        viewer.send_raw(Message::Text(bad.clone().into()));
        let error = wait_tag(&mut hosted, &mut viewer, "error");
        assert!(
            error["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{bad}"
        );
    }
    viewer.send_raw(Message::Binary(vec![0, 1, 2].into()));
    assert_eq!(
        wait_tag(&mut hosted, &mut viewer, "error")["error"],
        "messages must be text"
    );
    // Requests that are well formed but wrong are refused by the session.
    for (req, bad) in [
        (
            "a",
            json!({"t": "pin", "req": "a", "component": 999, "text": "x"}),
        ),
        (
            "b",
            json!({"t": "pin", "req": "b", "component": 1, "text": "   "}),
        ),
        (
            "c",
            json!({"t": "resolve", "req": "c", "id": 42, "resolved": true}),
        ),
        ("d", json!({"t": "dismiss", "req": "d", "id": 7})),
        (
            "e",
            json!({"t": "curveball", "req": "e", "kind": "TrafficSurge", "detail": "x".repeat(600)}),
        ),
    ] {
        viewer.send(&bad);
        let reply = wait_for(&mut hosted, &mut viewer, req, |m| {
            m["t"] == "reply" && m["req"] == req
        });
        assert_eq!(reply["ok"], false, "{bad}");
    }
    // A message over the size limit closes the socket, and changes nothing.
    viewer.send_raw(Message::Text("x".repeat(64 * 1024).into()));
    assert!(viewer.closes());
    hosted.pump();
    assert_eq!(hosted.session.diagram(), &before.0);
    assert_eq!(hosted.session.interview(), &before.1);
}

#[test]
fn a_flood_of_requests_is_rate_limited() {
    let mut hosted = Hosted::new(design(2));
    let (mut viewer, _, _) = join_as(&mut hosted, Role::Interviewer);
    for i in 0..150 {
        viewer.send(&json!({"t": "curveball", "req": format!("f{i}"), "kind": "ColdCache"}));
    }
    wait_for(&mut hosted, &mut viewer, "a rate-limit error", |m| {
        m["t"] == "error" && m["error"] == "too many messages: slow down"
    });
    for _ in 0..50 {
        hosted.pump();
        viewer.poll();
    }
    let thrown = hosted.session.interview().curveballs.len();
    assert!((50..150).contains(&thrown), "{thrown} of 150 got through");
}

// ------------------------------------------------------ names stay as text

fn a_hostile_name_arrives_as_text(hosted: &mut Hosted) {
    let (mut viewer, _, snapshot) = join_as(hosted, Role::Interviewer);
    let svg = board_svg(&snapshot["board"]);
    assert!(!svg.contains("<img"), "the SVG holds no markup from names");
    assert!(svg.contains("&lt;img src=x"), "the name is there, escaped");
    assert_eq!(
        snapshot["board"]["cards"][0]["name"], HOSTILE,
        "JSON text, shown with textContent"
    );
    viewer.send(&json!({"t": "pin", "req": "x", "component": 1, "text": HOSTILE}));
    wait_tag(hosted, &mut viewer, "reply");
    let state = wait_for(hosted, &mut viewer, "the comment", |m| {
        m["t"] == "interview" && !m["interview"]["comments"][0].is_null()
    });
    assert_eq!(state["interview"]["comments"][0]["text"], HOSTILE);

    // A rename to markup reaches the viewer in a delta, as text too.
    let hostile = "<script>alert(3)</script><img src=y onerror=alert(4)>";
    rename(hosted, 2, hostile);
    let delta = wait_tag(hosted, &mut viewer, "delta");
    let pieces = delta["board"]["drawing"]["layers"]["cards"]["put"]
        .as_array()
        .unwrap();
    assert_eq!(pieces.len(), 1, "only the renamed card: {delta}");
    let piece = pieces[0]["svg"].as_str().unwrap();
    assert!(piece.contains("&lt;script&gt;alert(3)"), "{piece}");
    assert!(
        !piece.contains("<script") && !piece.contains("<img"),
        "{piece}"
    );
    assert_eq!(delta["board"]["cards"]["put"][0]["name"], hostile);
}

fn hostile_design() -> Diagram {
    let mut d = design(2);
    d.components[0].name = HOSTILE.to_owned();
    d.title = "<script>alert(2)</script>".to_owned();
    d
}

#[test]
fn a_component_named_like_markup_arrives_as_text() {
    let mut hosted = Hosted::new(hostile_design());
    a_hostile_name_arrives_as_text(&mut hosted);
}

#[test]
fn a_component_named_like_markup_arrives_as_text_through_the_relay() {
    let (_relay, mut hosted) = relayed(hostile_design());
    a_hostile_name_arrives_as_text(&mut hosted);
}

// ------------------------------------------------------------ slow viewers

/// A viewer that stops reading: the host keeps working, a reading viewer
/// keeps getting every change, and once the slow one reads again it is
/// brought up to date by a fresh snapshot (or asks for one after a gap).
fn a_slow_viewer_does_not_block_the_host(hosted: &mut Hosted) {
    let (mut slow, _, first) = join_as(hosted, Role::Observer);
    let (mut fast, _, _) = join_as(hosted, Role::Observer);
    // From here on the slow viewer reads nothing.
    // Each round renames a card and moves every card (so every delta is
    // the size of the whole drawing, and the slow viewer's queue fills).
    let all: Vec<Id> = hosted
        .session
        .diagram()
        .components
        .iter()
        .map(|c| c.id)
        .collect();
    for round in 0..60 {
        let name = format!("Renamed {round}");
        rename(hosted, 1, &name);
        let dx = if round % 2 == 0 { 40.0 } else { -40.0 };
        hosted
            .session
            .execute(Command::MoveBy {
                ids: all.clone(),
                dx,
                dy: 0.0,
            })
            .unwrap();
        hosted.session.execute(Command::EndGesture).unwrap();
        wait_for(hosted, &mut fast, &name, |m| {
            m["t"] == "delta"
                && m["board"]["cards"]["put"]
                    .as_array()
                    .is_some_and(|put| put.iter().any(|c| c["name"] == name.as_str()))
        });
    }
    assert_eq!(hosted.session.diagram().components[0].name, "Renamed 59");
    // The slow viewer reads again; when it notices a gap it asks to catch up.
    let deadline = std::time::Instant::now() + PATIENCE;
    let mut caught_up = false;
    let mut expected: Option<u64> = first["seq"].as_u64();
    let mut board = first["board"].clone();
    while std::time::Instant::now() < deadline && !caught_up {
        hosted.pump();
        let Some(m) = slow.poll() else { continue };
        match m["t"].as_str() {
            Some("snapshot") => {
                expected = m["seq"].as_u64();
                board = m["board"].clone();
                caught_up = board["cards"][0]["name"] == "Renamed 59";
            }
            Some("delta" | "interview") => {
                let seq = m["seq"].as_u64().unwrap();
                if expected.is_some_and(|e| seq != e + 1) {
                    slow.send(&json!({"t": "resync"}));
                    expected = None;
                } else if expected.is_some() {
                    expected = Some(seq);
                    if m["t"] == "delta" {
                        apply_delta(&mut board, &m["board"]).unwrap();
                    }
                    caught_up = board["cards"][0]["name"] == "Renamed 59";
                }
            }
            _ => {}
        }
    }
    assert!(
        caught_up,
        "the slow viewer caught up; saw {:?}",
        live_common::tags(&slow.seen)
    );
    let snapshots = slow.seen.iter().filter(|m| m["t"] == "snapshot").count();
    assert!(
        snapshots >= 2,
        "it fell back to a fresh snapshot: {:?}",
        live_common::tags(&slow.seen)
    );
}

fn big_design() -> Diagram {
    // Big enough that 60 deltas of the whole drawing (about 0.7 MB each)
    // overflow the queues and socket buffers on the way, also through the
    // relay.
    design(600)
}

#[test]
fn a_viewer_that_stops_reading_does_not_block_the_host() {
    let mut hosted = Hosted::new(big_design());
    a_slow_viewer_does_not_block_the_host(&mut hosted);
}

#[test]
fn a_viewer_that_stops_reading_does_not_block_the_host_through_the_relay() {
    let (_relay, mut hosted) = relayed(big_design());
    a_slow_viewer_does_not_block_the_host(&mut hosted);
}

// ------------------------------------------------- reconnects and limits

#[test]
fn reconnecting_keeps_the_notes_and_a_resent_request_applies_once() {
    let mut hosted = Hosted::new(design(3));
    let page = hosted.link(Role::Interviewer);
    let key = hosted.session.probes()[0].key.clone();
    let hello = json!({"t": "hello", "name": "Ada", "client": "0123456789abcdef0123"});
    let pin = json!({"t": "pin", "req": "same-req", "component": 1, "text": "Where is the cache?"});
    {
        let (mut viewer, _, _) = join_live(&mut hosted, &page);
        viewer.send(&hello);
        viewer.send(
            &json!({"t": "rate", "req": "n1", "key": key, "asked": true, "note": "Good estimate"}),
        );
        viewer.send(&pin);
        wait_for(&mut hosted, &mut viewer, "the pin's reply", |m| {
            m["req"] == "same-req"
        });
        // The network drops.
    }
    let (mut viewer, _, snapshot) = join_live(&mut hosted, &page);
    assert_eq!(
        snapshot["interview"]["records"][&key]["note"],
        "Good estimate"
    );
    // The page sends what it had not seen answered again, with the same id.
    viewer.send(&hello);
    viewer.send(&pin);
    let reply = wait_for(&mut hosted, &mut viewer, "the resent pin's reply", |m| {
        m["req"] == "same-req"
    });
    assert_eq!(reply["ok"], true);
    assert_eq!(hosted.session.interview().comments.len(), 1, "applied once");
}

#[test]
fn the_viewer_limit_holds_and_stop_disconnects_everyone() {
    let mut hosted = Hosted::with_options(
        design(2),
        &HostOptions {
            max_viewers: 2,
            ..HostOptions::default()
        },
    );
    let page = hosted.link(Role::Observer);
    let (mut a, _, _) = join_live(&mut hosted, &page);
    let (mut b, _, _) = join_as(&mut hosted, Role::Interviewer);
    assert!(Viewer::join(&page).is_err(), "a third viewer is refused");
    let deadline = std::time::Instant::now() + PATIENCE;
    while hosted.host.viewers().len() < 2 && std::time::Instant::now() < deadline {
        hosted.pump();
    }
    let viewers = hosted.host.viewers();
    assert_eq!(viewers.len(), 2);
    assert_eq!(
        viewers.iter().map(|v| v.role).collect::<Vec<_>>(),
        [Role::Observer, Role::Interviewer]
    );
    let Hosted { session, host } = hosted;
    host.stop();
    assert!(a.closes());
    assert!(b.closes());
    assert!(
        a.seen.iter().any(|m| m["t"] == "bye"),
        "{:?}",
        live_common::tags(&a.seen)
    );
    drop(session);
}

#[test]
fn a_room_cannot_be_taken_over_without_its_secret() {
    use archboard::live::relay::{FromHost, RoomTokens, ToHost};
    let relay = local_relay();
    let url = format!("ws://{}/host", relay.addr());
    let open = |secret: &str| {
        let (mut ws, _) = tokio_tungstenite::tungstenite::connect(url.as_str()).unwrap();
        let message = FromHost::Open {
            room: "room-0123456789abcdef".to_owned(),
            secret: secret.to_owned(),
            tokens: RoomTokens {
                interviewer: "i".repeat(32),
                observer: "o".repeat(32),
            },
        };
        ws.send(Message::Text(
            serde_json::to_string(&message).unwrap().into(),
        ))
        .unwrap();
        let answer = ws.read().unwrap();
        let answer: ToHost = serde_json::from_str(answer.to_text().unwrap()).unwrap();
        (ws, answer)
    };
    let (_first, answer) = open("secret-aaaaaaaaaaaaaaaa");
    assert_eq!(answer, ToHost::Opened);
    let (_second, answer) = open("secret-bbbbbbbbbbbbbbbb");
    assert!(matches!(answer, ToHost::Error { .. }), "{answer:?}");
    let (status, _, _) = http_get(&format!(
        "http://{}/r/room-0123456789abcdef/{}/",
        relay.addr(),
        "i".repeat(32)
    ));
    assert_eq!(status, 200, "the first host's room still works");
}

#[test]
fn a_relay_address_that_cannot_work_is_refused() {
    for bad in [
        "https://relay.example:443",
        "ftp://x:1",
        "relay.example",
        "http://a b:1",
    ] {
        let mut session = archboard::app::Session::default();
        let options = HostOptions {
            relay: Some(bad.to_owned()),
            ..HostOptions::default()
        };
        assert!(
            archboard::live::Host::start(&mut session, &options, Arc::new(|| {})).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn the_host_can_let_an_observer_rate_and_take_it_back() {
    let mut hosted = Hosted::new(design(2));
    let (mut viewer, welcome, _) = join_as(&mut hosted, Role::Observer);
    let id = welcome["viewer"].as_u64().unwrap();
    hosted.host.grant(id, Role::Interviewer);
    let welcome = wait_for(&mut hosted, &mut viewer, "the new role", |m| {
        m["t"] == "welcome" && m["role"] == "interviewer"
    });
    assert_eq!(welcome["viewer"].as_u64(), Some(id));
    viewer.send(&json!({"t": "pin", "req": "g1", "component": 1, "text": "Allowed now"}));
    let reply = wait_for(&mut hosted, &mut viewer, "g1", |m| m["req"] == "g1");
    assert_eq!(reply["ok"], true);
    hosted.host.grant(id, Role::Observer);
    wait_for(&mut hosted, &mut viewer, "the role taken back", |m| {
        m["t"] == "welcome" && m["role"] == "observer"
    });
    viewer.send(&json!({"t": "pin", "req": "g2", "component": 1, "text": "Not any more"}));
    let reply = wait_for(&mut hosted, &mut viewer, "g2", |m| m["req"] == "g2");
    assert_eq!(reply["ok"], false);
    assert_eq!(hosted.session.interview().comments.len(), 1);
}
