//! The example recorded sessions under `examples/sessions/`: three mock
//! interviews on the URL shortener starter over five days, the last one 46
//! minutes long, played through the app's one door with a mocked clock. The test fails when the committed files
//! differ from what the script records now; `ARCHBOARD_BLESS=1 cargo test
//! --test example_session` rewrites them (and then `ARCHBOARD_BLESS=1 cargo
//! test example_report` the report in docs/ generated from them).

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use archboard::app::{
    Command, Document, FileCommand, ManualClock, Session, SessionCommand, TimerCommand, Timestamp,
};
use archboard::catalog::ComponentKind;
use archboard::interview::{ProbeRecord, Rating};
use archboard::model::{ConsistencyNeed, Id, Point, Rect, Subject};

/// 2026-03-14 09:00 UTC.
const START_MS: u64 = 1_773_478_800_000;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sessions")
}

const DAY_MS: u64 = 86_400_000;

fn at(clock: &ManualClock, minutes: u64, seconds: u64) {
    at_on(clock, START_MS, minutes, seconds);
}

fn at_on(clock: &ManualClock, start_ms: u64, minutes: u64, seconds: u64) {
    clock.set(Timestamp(start_ms + (minutes * 60 + seconds) * 1000));
}

/// The first try, four days earlier: no figures, the estimate skipped, the
/// design phase overrun, the probes missed.
fn first_try(s: &mut Session, clock: &ManualClock) {
    let day = START_MS - 4 * DAY_MS;
    at_on(clock, day, 0, 0);
    run(s, Command::Timer(TimerCommand::Start));
    at_on(clock, day, 2, 0);
    run(s, Command::Timer(TimerCommand::Next));
    at_on(clock, day, 3, 0);
    run(s, Command::Timer(TimerCommand::Next));
    at_on(clock, day, 26, 0);
    run(s, Command::Timer(TimerCommand::Next));
    at_on(clock, day, 30, 0);
    rate(
        s,
        "FAIL-001:connection:7",
        Some(Rating::Missed),
        "Had not thought about timeouts",
    );
    at_on(clock, day, 34, 0);
    rate(s, "FAIL-010:component:4", Some(Rating::Missed), "");
    at_on(clock, day, 41, 0);
    run(s, Command::Timer(TimerCommand::Next));
    rate(
        s,
        "design:trade-offs",
        Some(Rating::Missed),
        "Could not name one",
    );
    at_on(clock, day, 43, 0);
    run(s, Command::Session(SessionCommand::End));
}

/// The second try, two days earlier: two figures up front, better answers.
fn second_try(s: &mut Session, clock: &ManualClock) {
    let day = START_MS - 2 * DAY_MS;
    at_on(clock, day, 0, 0);
    run(s, Command::Timer(TimerCommand::Start));
    at_on(clock, day, 2, 30);
    let mut req = s.diagram().requirements.clone();
    req.daily_active_users = Some(20_000_000);
    req.requests_per_user_per_day = Some(5.0);
    run(s, Command::SetRequirements(req));
    run(s, Command::EndGesture);
    at_on(clock, day, 5, 10);
    run(s, Command::Timer(TimerCommand::Next));
    at_on(clock, day, 10, 0);
    run(s, Command::Timer(TimerCommand::Next));
    at_on(clock, day, 27, 0);
    run(s, Command::Timer(TimerCommand::Next));
    at_on(clock, day, 31, 0);
    rate(
        s,
        "FAIL-001:connection:7",
        Some(Rating::Partial),
        "Timeouts yes, no word on retries",
    );
    at_on(clock, day, 36, 0);
    rate(
        s,
        "FAIL-010:component:4",
        Some(Rating::Strong),
        "A replica in another zone",
    );
    at_on(clock, day, 42, 0);
    run(s, Command::Timer(TimerCommand::Next));
    rate(
        s,
        "design:trade-offs",
        Some(Rating::Partial),
        "Named the cost, not the risk",
    );
    at_on(clock, day, 45, 30);
    run(s, Command::Session(SessionCommand::End));
}

fn run(s: &mut Session, command: Command) {
    let what = format!("{command:?}");
    s.execute(command)
        .unwrap_or_else(|err| panic!("{what}: {err}"));
}

fn rate(s: &mut Session, key: &str, rating: Option<Rating>, note: &str) {
    assert!(
        s.probes().iter().any(|p| p.key == key),
        "the design does not raise {key}"
    );
    run(
        s,
        Command::RateProbe {
            key: key.to_owned(),
            record: ProbeRecord {
                asked: true,
                rating,
                note: note.to_owned(),
            },
        },
    );
}

/// Plays the interview and saves the design into `folder`; returns the
/// design's path.
fn play(folder: &Path) -> PathBuf {
    let clock = ManualClock::at(Timestamp(START_MS));
    let design = archboard::templates::find("url-shortener-starter")
        .unwrap()
        .diagram()
        .unwrap();
    let mut s = Session::new(Document::new(design)).with_clock(Arc::new(clock.clone()));
    let path = folder.join("url-shortener-interview.ron");
    first_try(&mut s, &clock);
    second_try(&mut s, &clock);

    // The third try. Clarify: the figures go in first.
    at(&clock, 0, 0);
    run(&mut s, Command::Timer(TimerCommand::Start));
    at(&clock, 1, 10);
    let mut req = s.diagram().requirements.clone();
    req.daily_active_users = Some(20_000_000);
    req.requests_per_user_per_day = Some(5.0);
    req.peak_factor = Some(4.0);
    req.read_write_ratio = Some(100.0);
    run(&mut s, Command::SetRequirements(req.clone()));
    at(&clock, 3, 0);
    req.latency_target_ms = Some(50);
    req.availability_percent = Some(99.95);
    req.consistency = ConsistencyNeed::Eventual;
    run(&mut s, Command::SetRequirements(req.clone()));
    run(&mut s, Command::EndGesture);
    at(&clock, 5, 40);
    run(&mut s, Command::Timer(TimerCommand::Next));

    // Estimate.
    at(&clock, 8, 15);
    req.payload_bytes = Some(500);
    req.retention_days = Some(1825);
    run(&mut s, Command::SetRequirements(req));
    run(&mut s, Command::EndGesture);
    at(&clock, 10, 30);
    run(&mut s, Command::Timer(TimerCommand::Next));

    // High-level design: a cache on the read path, replicas, timeouts.
    at(&clock, 13, 0);
    let cache = s
        .execute(Command::AddComponent {
            kind: ComponentKind::Cache,
            near: Point::new(760.0, 40.0),
        })
        .unwrap()
        .created
        .unwrap();
    run(&mut s, Command::EndGesture);
    at(&clock, 14, 20);
    run(
        &mut s,
        Command::Rename {
            id: cache,
            text: "Redirect cache".to_owned(),
        },
    );
    run(&mut s, Command::EndGesture);
    at(&clock, 15, 5);
    run(
        &mut s,
        Command::Connect {
            from: Id(3),
            to: cache,
        },
    );
    let mut fixes = 0;
    for (minute, rule, subject) in [
        (17, "FAIL-001", Subject::Connection(Id(7))),
        (18, "FAIL-001", Subject::Connection(Id(8))),
        (20, "FAIL-010", Subject::Component(Id(4))),
        (22, "FAIL-009", Subject::Component(Id(3))),
    ] {
        at(&clock, minute, 30);
        run(
            &mut s,
            Command::ApplyFix {
                rule_id: rule.to_owned(),
                subject,
            },
        );
        fixes += 1;
    }
    assert_eq!(fixes, 4);
    at(&clock, 24, 0);
    run(
        &mut s,
        Command::AddNote {
            rect: Rect::new(40.0, 420.0, 300.0, 110.0),
        },
    );
    let note = s.diagram().notes.last().unwrap().id;
    at(&clock, 25, 10);
    run(
        &mut s,
        Command::Rename {
            id: note,
            text: "Trade-off: redirects read the cache first, so a changed link can take up to \
                   the TTL to show; links rarely change"
                .to_owned(),
        },
    );
    run(&mut s, Command::EndGesture);
    at(&clock, 27, 0);
    run(&mut s, Command::Timer(TimerCommand::Next));

    // Deep dive: the interviewer probes.
    at(&clock, 29, 30);
    let cache_probe = s
        .probes()
        .iter()
        .find(|p| p.subject == Subject::Component(cache))
        .map(|p| p.key.clone())
        .unwrap_or_else(|| {
            panic!(
                "{:?}",
                s.probes().iter().map(|p| &p.key).collect::<Vec<_>>()
            )
        });
    rate(
        &mut s,
        &cache_probe,
        Some(Rating::Strong),
        "Cache-aside with a TTL; hot links stay warm; a miss storm is capped by request coalescing",
    );
    at(&clock, 33, 0);
    rate(
        &mut s,
        "FAIL-001:connection:9",
        Some(Rating::Missed),
        "Did not see that a slow analytics call holds up every redirect",
    );
    at(&clock, 36, 45);
    rate(
        &mut s,
        "kind:RelationalDb:4",
        Some(Rating::Partial),
        "Base62 codes from a sequence; no answer yet for a second region",
    );
    at(&clock, 38, 0);
    run(
        &mut s,
        Command::Session(SessionCommand::Comment {
            text: "Marketing wants custom aliases for campaign links".to_owned(),
            curveball: true,
        }),
    );
    at(&clock, 40, 20);
    run(
        &mut s,
        Command::AcceptFinding {
            rule_id: "FAIL-009".to_owned(),
            subject: Subject::Component(Id(2)),
            note: "The managed gateway is zone-redundant on its own".to_owned(),
        },
    );
    at(&clock, 43, 10);
    run(&mut s, Command::Timer(TimerCommand::Next));

    // Wrap-up.
    at(&clock, 44, 0);
    rate(
        &mut s,
        "design:trade-offs",
        Some(Rating::Strong),
        "Named the cache staleness, the single region and what to measure first",
    );
    at(&clock, 46, 30);
    run(&mut s, Command::Timer(TimerCommand::Pause));
    run(&mut s, Command::Session(SessionCommand::End));
    run(&mut s, Command::File(FileCommand::SaveTo(path.clone())));
    path
}

#[test]
fn example_session_is_up_to_date() {
    let bless = std::env::var_os("ARCHBOARD_BLESS").is_some();
    let scratch = tempfile::tempdir().unwrap();
    let folder = if bless {
        std::fs::create_dir_all(examples()).unwrap();
        examples()
    } else {
        scratch.path().to_path_buf()
    };
    let design = play(&folder);
    let sidecar = archboard::io::sessions::sidecar_path(&design);
    for (made, name) in [
        (&design, "url-shortener-interview.ron"),
        (&sidecar, "url-shortener-interview.sessions.ron"),
    ] {
        let committed = std::fs::read_to_string(examples().join(name)).unwrap_or_default();
        let now = std::fs::read_to_string(made).unwrap();
        assert!(
            committed == now,
            "examples/sessions/{name} is out of date; rerun with ARCHBOARD_BLESS=1"
        );
    }
    // The example loads the way the app and the CLI load it.
    let file = archboard::interview::recording::load_sessions(&sidecar)
        .unwrap()
        .unwrap();
    assert_eq!(file.sessions.len(), 3);
    let totals: Vec<f64> = file
        .sessions
        .iter()
        .map(|s| s.scorecard.as_ref().unwrap().total)
        .collect();
    assert!(totals[0] < totals[1] && totals[1] < totals[2], "{totals:?}");
    let session = &file.sessions[2];
    assert!(session.finished);
    assert_eq!(session.duration_ms(), (46 * 60 + 30) * 1000);
    let card = session.scorecard.as_ref().unwrap();
    assert!(card.total > 40.0 && card.total < 95.0, "{}", card.total);
    assert!(!card.criterion("failure-no-errors").unwrap().met);
    // The starter was drawn before the sessions; the figures of the second
    // try were there when the third began.
    let numbers = card.criterion("numbers-before-drawing").unwrap();
    assert!(numbers.met && numbers.offset_ms == 0, "{numbers:?}");
    assert!(card.criterion("estimated-first").unwrap().met);
    assert!(card.criterion("requirements-traced").unwrap().met);
}
