//! The interviewer link through the real window: Interview → Invite
//! interviewer… starts sharing on 127.0.0.1, a Rust viewer joins, pins a
//! comment and throws a curveball; the candidate sees a marker and a
//! banner, Ctrl+Z does not take them away, Resolve and Dismiss work, the
//! status bar names the viewer, and Stop disconnects it.

#![allow(clippy::unwrap_used)]

mod live_common;
mod ui_common;

use std::time::{Duration, Instant};

use archboard::live::Role;
use archboard::model::Id;
use archboard::ui::ArchboardApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use live_common::{PATIENCE, Viewer};
use serde_json::json;
use ui_common::{harness_on, two_cards, undo};

/// Runs frames (the app pumps the host in each) until `done`, reading the
/// viewer's socket in between so it never backs up.
fn run_until(
    h: &mut Harness<'static, ArchboardApp>,
    viewer: &mut Viewer,
    what: &str,
    done: impl Fn(&Harness<'static, ArchboardApp>) -> bool,
) {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        h.step();
        while viewer.poll().is_some() {}
        if done(h) {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("{what} did not happen within {PATIENCE:?}");
}

#[test]
fn an_interviewer_joins_comments_and_throws_a_curveball_that_undo_cannot_take_back() {
    let mut h = harness_on(two_cards());
    h.get_by_label("Interview").click();
    h.run();
    h.get_by_label("Invite interviewer…").click();
    h.run();
    h.get_by_label("Start sharing").click();
    h.run();
    let link = {
        let host = h.state().live.host.as_ref().expect("sharing started");
        let link = host
            .links()
            .iter()
            .find(|l| l.role == Role::Interviewer)
            .unwrap();
        assert!(
            link.url.starts_with("http://127.0.0.1:"),
            "localhost only by default: {}",
            link.url
        );
        link.url.clone()
    };
    h.get_by_label("Copy the interviewer link (this computer)")
        .click();
    h.run();
    assert!(
        h.query_by_label("Copy the observer link (this computer)")
            .is_some()
    );
    assert!(h.query_by_label("QR code of the link").is_some());

    let mut viewer = Viewer::join(&link).unwrap();
    viewer.send(&json!({"t": "hello", "name": "Ada", "client": "ui-test-client-0001"}));
    run_until(&mut h, &mut viewer, "the viewer in the status bar", |h| {
        h.query_by_label_contains("Live · Ada (interviewer)")
            .is_some()
    });

    // The candidate makes a change, the interviewer pins a comment.
    h.state_mut()
        .session
        .execute(archboard::app::Command::Rename {
            id: Id(2),
            text: "Orders store".to_owned(),
        })
        .unwrap();
    h.state_mut()
        .session
        .execute(archboard::app::Command::EndGesture)
        .unwrap();
    viewer.send(&json!({"t": "pin", "req": "p1", "component": 1, "text": "What if this is slow?"}));
    viewer.send(
        &json!({"t": "curveball", "req": "c1", "kind": "TrafficSurge", "detail": "Black Friday"}),
    );
    run_until(&mut h, &mut viewer, "the marker and the banner", |h| {
        h.query_by_label("Comments on Orders API").is_some()
            && h.query_by_label_contains("Dismiss curveball").is_some()
    });
    assert!(
        h.query_by_label_contains("Curveball: Traffic ×10")
            .is_some()
    );

    // Ctrl+Z undoes the candidate's rename, not the interviewer's pin.
    undo(&mut h);
    assert_eq!(h.state().session.diagram().components[1].name, "Orders DB");
    undo(&mut h);
    assert_eq!(h.state().session.interview().comments.len(), 1);
    assert!(h.query_by_label("Comments on Orders API").is_some());

    // The candidate reads the comment and resolves it; dismisses the banner.
    h.get_by_label("Comments on Orders API").click();
    h.run();
    assert!(h.query_by_label("What if this is slow?").is_some());
    h.get_by_label_contains("Resolve comment").click();
    h.run();
    assert_eq!(h.state().session.interview().open_comments().count(), 0);
    assert!(h.query_by_label("Comments on Orders API").is_none());
    h.get_by_label_contains("Dismiss curveball").click();
    h.run();
    assert_eq!(h.state().session.interview().open_curveballs().count(), 0);

    // Stop ends the session for everyone.
    h.get_by_label_contains("Live ·").click();
    h.run();
    h.get_by_label("Stop sharing").click();
    h.run();
    assert!(!h.state().live.is_sharing());
    assert!(viewer.closes());
    assert!(viewer.seen.iter().any(|m| m["t"] == "bye"));
}
