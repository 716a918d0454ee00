//! The scorecard in the interviewer's console, end to end on 127.0.0.1
//! with a Rust viewer: an interviewer sees the score of the session being
//! recorded change as probes are rated and the phase moves, and the last
//! ended session's once none is recorded; an edit that reaches a store
//! flips its criterion; a read-only observer never gets
//! it, unless the host lets it rate (and it is taken away with that right).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod live_common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use archboard::app::{
    Command, Document, ManualClock, Session, SessionCommand, TimerCommand, Timestamp,
};
use archboard::catalog::ComponentKind;
use archboard::interview::Phase;
use archboard::live::{Host, HostOptions, Role};
use archboard::model::{Id, Point};
use live_common::{Hosted, Viewer, join_as, wait_for};
use serde_json::{Value, json};

const START_MS: u64 = 1_773_478_800_000;

/// The URL shortener reference design, shared, on a clock the test moves.
fn hosted() -> (Hosted, ManualClock) {
    let clock = ManualClock::at(Timestamp(START_MS));
    let design = archboard::templates::find("url-shortener-reference")
        .and_then(|t| t.diagram().ok())
        .unwrap();
    let mut session = Session::new(Document::new(design)).with_clock(Arc::new(clock.clone()));
    let host = Host::start(&mut session, &HostOptions::default(), Arc::new(|| {})).unwrap();
    (Hosted { session, host }, clock)
}

/// A criterion of a `scorecard` message, by id.
fn criterion<'a>(message: &'a Value, id: &str) -> &'a Value {
    message["scorecard"]["dimensions"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["criteria"].as_array().into_iter().flatten())
        .find(|c| c["id"] == id)
        .unwrap_or(&Value::Null)
}

fn met(message: &Value, id: &str) -> Option<bool> {
    criterion(message, id)["met"].as_bool()
}

/// Waits for a scorecard message that `wanted` accepts.
fn wait_scorecard(
    hosted: &mut Hosted,
    viewer: &mut Viewer,
    what: &str,
    wanted: impl Fn(&Value) -> bool,
) -> Value {
    wait_for(hosted, viewer, what, |m| m["t"] == "scorecard" && wanted(m))
}

/// Rates a probe through the viewer's socket and waits for the reply.
fn rate(hosted: &mut Hosted, viewer: &mut Viewer, req: &str, key: &str, rating: &str) {
    viewer.send(&json!({"t": "rate", "req": req, "key": key, "asked": true, "rating": rating}));
    let reply = wait_for(hosted, viewer, req, |m| m["req"] == req);
    assert_eq!(reply["ok"], true, "{reply}");
}

/// Pumps for a while and gives back the tags the viewer got meanwhile.
fn tags_over(hosted: &mut Hosted, viewer: &mut Viewer, time: Duration) -> Vec<String> {
    let start = viewer.seen.len();
    let until = Instant::now() + time;
    while Instant::now() < until {
        hosted.pump();
        viewer.poll();
    }
    viewer.seen[start..]
        .iter()
        .map(|m| m["t"].as_str().unwrap_or("?").to_owned())
        .collect()
}

#[test]
fn the_interviewer_sees_the_score_change_and_an_observer_never_gets_it() {
    let (mut hosted, clock) = hosted();
    let (mut interviewer, _, _) = join_as(&mut hosted, Role::Interviewer);
    let (mut observer, observer_welcome, _) = join_as(&mut hosted, Role::Observer);

    // No session yet: the interviewer is told there is nothing to score.
    wait_scorecard(&mut hosted, &mut interviewer, "an empty scorecard", |m| {
        m["scorecard"].is_null()
    });

    // A question on the design as a whole, rated strong through the
    // console, begins the session: the score so far says so.
    let keys: Vec<String> = hosted
        .session
        .probes()
        .iter()
        .map(|p| p.key.clone())
        .collect();
    let big_picture = keys.iter().find(|k| k.starts_with("design:")).unwrap();
    let deep: Vec<&String> = keys
        .iter()
        .filter(|k| !k.starts_with("design:"))
        .take(2)
        .collect();
    assert_eq!(
        deep.len(),
        2,
        "the design has two deep-dive probes: {keys:?}"
    );
    clock.set(Timestamp(START_MS + 60_000));
    rate(&mut hosted, &mut interviewer, "r1", big_picture, "Strong");
    let first = wait_scorecard(&mut hosted, &mut interviewer, "the first score", |m| {
        met(m, "big-picture-answered") == Some(true)
    });
    assert_eq!(first["scorecard"]["session"], 1);
    assert_eq!(first["scorecard"]["recording"], true);
    let dimensions = first["scorecard"]["dimensions"].as_array().unwrap();
    let labels: Vec<&str> = dimensions
        .iter()
        .map(|d| d["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "Requirements and scope",
            "Estimation",
            "High-level design",
            "Deep dives",
            "Trade-offs and failure handling",
            "Communication and time",
        ]
    );
    let weights: u64 = dimensions
        .iter()
        .map(|d| d["weight"].as_u64().unwrap())
        .sum();
    assert_eq!(weights, 100);
    let total: f64 = dimensions
        .iter()
        .map(|d| d["points"].as_f64().unwrap())
        .sum();
    assert!((first["scorecard"]["total"].as_f64().unwrap() - total).abs() < 1e-9);
    // Each criterion carries its reason and its moment, as text.
    let answered = criterion(&first, "big-picture-answered");
    assert_eq!(answered["evidence"], "1 rated, none missed");
    assert_eq!(answered["at"], "0:00", "{answered}");
    assert_eq!(answered["offset_ms"], 0, "the rating began the session");
    assert_eq!(met(&first, "two-deep-dives"), Some(false));
    assert_eq!(met(&first, "reached-wrap-up"), Some(false));

    // Two deep dives rated: that criterion flips to met.
    clock.set(Timestamp(START_MS + 120_000));
    rate(&mut hosted, &mut interviewer, "r2", deep[0], "Strong");
    rate(&mut hosted, &mut interviewer, "r3", deep[1], "Partial");
    let rated = wait_scorecard(&mut hosted, &mut interviewer, "two deep dives", |m| {
        met(m, "two-deep-dives") == Some(true)
    });
    assert_eq!(criterion(&rated, "two-deep-dives")["evidence"], "2 rated");
    assert_eq!(criterion(&rated, "two-deep-dives")["at"], "1:00");
    assert!(
        rated["scorecard"]["total"].as_f64() > first["scorecard"]["total"].as_f64(),
        "{} then {}",
        first["scorecard"]["total"],
        rated["scorecard"]["total"]
    );

    // The host moves the clock to the wrap-up: that one flips too.
    clock.set(Timestamp(START_MS + 180_000));
    hosted
        .session
        .execute(Command::Timer(TimerCommand::GoTo(Phase::WrapUp)))
        .unwrap();
    let wrapped = wait_scorecard(&mut hosted, &mut interviewer, "the wrap-up", |m| {
        met(m, "reached-wrap-up") == Some(true)
    });
    assert_eq!(criterion(&wrapped, "reached-wrap-up")["at"], "2:00");

    // A big-picture question rated missed flips one back to missed.
    rate(&mut hosted, &mut interviewer, "r4", big_picture, "Missed");
    let missed = wait_scorecard(&mut hosted, &mut interviewer, "a miss", |m| {
        met(m, "big-picture-answered") == Some(false)
    });
    assert_eq!(
        criterion(&missed, "big-picture-answered")["evidence"],
        "1 of 1 rated missed"
    );

    // The observer saw the board and the interview, never the score.
    let seen = tags_over(&mut hosted, &mut observer, Duration::from_millis(300));
    assert!(seen.iter().any(|t| t == "interview"), "{seen:?}");
    assert!(
        observer.seen.iter().all(|m| m["t"] != "scorecard"),
        "{:?}",
        live_common::tags(&observer.seen)
    );

    // Granted rating, it gets the score; taken back, the score goes.
    let id = observer_welcome["viewer"].as_u64().unwrap();
    hosted.host.grant(id, Role::Interviewer);
    let granted = wait_scorecard(&mut hosted, &mut observer, "the granted score", |m| {
        !m["scorecard"].is_null()
    });
    assert_eq!(met(&granted, "big-picture-answered"), Some(false));
    hosted.host.grant(id, Role::Observer);
    wait_scorecard(&mut hosted, &mut observer, "the score taken away", |m| {
        m["scorecard"].is_null()
    });

    // Ended, the session is kept with its scorecard: the console shows it
    // as ended, scored the same.
    clock.set(Timestamp(START_MS + 240_000));
    hosted
        .session
        .execute(Command::Session(SessionCommand::End))
        .unwrap();
    let ended = wait_scorecard(&mut hosted, &mut interviewer, "the ended session", |m| {
        m["scorecard"]["recording"] == false
    });
    assert_eq!(ended["scorecard"]["session"], 1);
    let kept = hosted.session.scorecard(1).unwrap().unwrap();
    assert!((ended["scorecard"]["total"].as_f64().unwrap() - kept.total).abs() < 1e-9);
    assert_eq!(met(&ended, "reached-wrap-up"), Some(true));
}

#[test]
fn a_viewer_joining_later_gets_the_score_after_its_snapshot() {
    let (mut hosted, clock) = hosted();
    clock.set(Timestamp(START_MS + 5_000));
    hosted
        .session
        .execute(Command::Timer(TimerCommand::Start))
        .unwrap();
    clock.set(Timestamp(START_MS + 65_000));
    hosted
        .session
        .execute(Command::Timer(TimerCommand::GoTo(Phase::WrapUp)))
        .unwrap();
    hosted.pump();
    let (mut interviewer, _, _) = join_as(&mut hosted, Role::Interviewer);
    let card = wait_scorecard(&mut hosted, &mut interviewer, "the score", |m| {
        !m["scorecard"].is_null()
    });
    let at = interviewer
        .seen
        .iter()
        .position(|m| m["t"] == "scorecard")
        .unwrap();
    let snapshot = interviewer
        .seen
        .iter()
        .position(|m| m["t"] == "snapshot")
        .unwrap();
    assert!(snapshot < at, "{:?}", live_common::tags(&interviewer.seen));
    assert_eq!(card["scorecard"]["recording"], true);
    assert_eq!(met(&card, "reached-wrap-up"), Some(true));
    assert_eq!(criterion(&card, "reached-wrap-up")["at"], "1:00");
}

#[test]
fn an_edit_during_the_session_changes_the_score() {
    let clock = ManualClock::at(Timestamp(START_MS));
    let mut session = Session::new(Document::new(archboard::model::Diagram::new("Edits")))
        .with_clock(Arc::new(clock.clone()));
    let host = Host::start(&mut session, &HostOptions::default(), Arc::new(|| {})).unwrap();
    let mut hosted = Hosted { session, host };
    let id_of = |hosted: &Hosted, kind: ComponentKind| {
        hosted
            .session
            .diagram()
            .components
            .iter()
            .find(|c| c.kind == kind)
            .map(|c| c.id)
            .unwrap()
    };
    let add = |hosted: &mut Hosted, kind: ComponentKind, x: f32| {
        hosted
            .session
            .execute(Command::AddComponent {
                kind,
                near: Point::new(x, 0.0),
            })
            .unwrap();
        hosted.session.execute(Command::EndGesture).unwrap();
    };
    let connect = |hosted: &mut Hosted, from: Id, to: Id| {
        hosted
            .session
            .execute(Command::Connect { from, to })
            .unwrap();
        hosted.session.execute(Command::EndGesture).unwrap();
    };
    add(&mut hosted, ComponentKind::Client, 0.0);
    add(&mut hosted, ComponentKind::Service, 300.0);
    let (client, service) = (
        id_of(&hosted, ComponentKind::Client),
        id_of(&hosted, ComponentKind::Service),
    );
    connect(&mut hosted, client, service);
    hosted
        .session
        .execute(Command::Timer(TimerCommand::Start))
        .unwrap();
    let (mut interviewer, _, _) = join_as(&mut hosted, Role::Interviewer);
    wait_scorecard(&mut hosted, &mut interviewer, "no store yet", |m| {
        met(m, "client-to-store") == Some(false)
    });

    clock.set(Timestamp(START_MS + 95_000));
    add(&mut hosted, ComponentKind::RelationalDb, 600.0);
    let store = id_of(&hosted, ComponentKind::RelationalDb);
    connect(&mut hosted, service, store);
    let card = wait_scorecard(&mut hosted, &mut interviewer, "the store reached", |m| {
        met(m, "client-to-store") == Some(true)
    });
    let reached = criterion(&card, "client-to-store");
    assert_eq!(reached["at"], "1:35", "{reached}");
    assert_eq!(
        reached["evidence"],
        "A client reaches a database, storage, event store or index"
    );
}
