use std::sync::Arc;

use super::*;
use crate::app::{ManualClock, Timestamp};
use crate::interview::{ProbeRecord, Rating};
use crate::model::{ComponentKind, Point};

const T0: u64 = 1_770_000_000_000;

fn clocked(doc: Document) -> (Session, ManualClock) {
    let clock = ManualClock::at(Timestamp(T0));
    let session = Session::new(doc).with_clock(Arc::new(clock.clone()));
    (session, clock)
}

fn add(s: &mut Session, kind: ComponentKind, x: f32) -> Id {
    s.execute(Command::AddComponent {
        kind,
        near: Point::new(x, 0.0),
    })
    .unwrap()
    .created
    .unwrap()
}

fn rate(s: &mut Session, key: &str, rating: Rating) {
    s.execute(Command::RateProbe {
        key: key.to_owned(),
        record: ProbeRecord {
            asked: true,
            rating: Some(rating),
            note: "noted".to_owned(),
        },
    })
    .unwrap();
}

/// A short interview: the clock started, two components, a rating, a phase.
fn short_interview(s: &mut Session, clock: &ManualClock) -> (Id, Id) {
    s.execute(Command::Timer(TimerCommand::Start)).unwrap();
    clock.advance_ms(60_000);
    let api = add(s, ComponentKind::Service, 0.0);
    clock.advance_ms(30_000);
    let db = add(s, ComponentKind::RelationalDb, 400.0);
    s.execute(Command::Connect { from: api, to: db }).unwrap();
    clock.advance_ms(30_000);
    s.execute(Command::Timer(TimerCommand::Next)).unwrap();
    rate(s, "design:scale", Rating::Strong);
    clock.advance_ms(10_000);
    (api, db)
}

#[test]
fn a_session_records_from_the_door_and_ends_scored() {
    let (mut s, clock) = clocked(Document::new(Diagram::new("Rec")));
    add(&mut s, ComponentKind::Client, -400.0);
    assert!(s.recording().is_none(), "edits alone start no session");
    short_interview(&mut s, &clock);
    let recording = s.recording().unwrap();
    assert_eq!(recording.started_at_ms, T0);
    assert_eq!(recording.start.components.len(), 1, "the design as it was");
    assert_eq!(recording.change_count(), 3);
    s.execute(Command::Session(SessionCommand::End)).unwrap();
    assert!(s.recording().is_none());
    let saved = s.recorded_session(1).unwrap();
    assert!(saved.finished);
    assert_eq!(saved.duration_ms(), 130_000);
    let replay = Replay::new(saved).unwrap();
    assert_eq!(replay.final_diagram(), s.diagram());
    let card = saved.scorecard.clone().unwrap();
    assert!(card.criterion("big-picture-answered").unwrap().met);
    // The next session starts clean, with the plan kept.
    assert_eq!(s.interview().timer.total_elapsed_s(0.0), 0.0);
    assert!(s.interview().records.is_empty());
    assert_eq!(
        s.execute(Command::Session(SessionCommand::End)),
        Err(CommandError::NoSession)
    );
    let list = s.session_summaries();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].score, Some(card.total));
}

#[test]
fn resetting_the_clock_ends_the_session() {
    let (mut s, clock) = clocked(Document::new(Diagram::new("Rec")));
    short_interview(&mut s, &clock);
    s.execute(Command::Timer(TimerCommand::Reset)).unwrap();
    assert!(s.recording().is_none());
    assert_eq!(s.session_summaries().len(), 1);
    // Planning alone does not begin a new one; starting does.
    s.execute(Command::Timer(TimerCommand::Plan {
        phase: Phase::DeepDive,
        minutes: 20.0,
    }))
    .unwrap();
    assert!(s.recording().is_none());
    s.execute(Command::Timer(TimerCommand::Start)).unwrap();
    assert_eq!(
        s.recording()
            .unwrap()
            .timer_at_start
            .planned_s(Phase::DeepDive),
        1200.0
    );
}

#[test]
fn restoring_a_version_is_one_undoable_step() {
    let (mut s, clock) = clocked(Document::new(Diagram::new("Rec")));
    short_interview(&mut s, &clock);
    let final_design = s.diagram().clone();
    // 70 s in: only the service was drawn.
    s.execute(Command::Session(SessionCommand::RestoreVersion {
        session: 1,
        offset_ms: 70_000,
    }))
    .unwrap();
    assert_eq!(s.diagram().components.len(), 1);
    assert!(s.diagram().connections.is_empty());
    let replay = Replay::new(s.recorded_session(1).unwrap()).unwrap();
    let mut expected = replay.diagram_after(replay.count_at(70_000));
    expected.next_id = s.diagram().next_id;
    assert_eq!(s.diagram(), &expected);
    assert!(
        s.undo_label()
            .unwrap()
            .starts_with("Restore the version of session 1 at 1:10")
    );
    s.execute(Command::Undo).unwrap();
    assert_eq!(s.diagram(), &final_design);
    assert!(matches!(
        s.execute(Command::Session(SessionCommand::RestoreVersion {
            session: 9,
            offset_ms: 0
        })),
        Err(CommandError::NoSuchSession(9))
    ));
}

#[test]
fn edit_towards_reaches_any_other_design() {
    let a = crate::templates::example::example_design();
    let mut b = crate::templates::find("url-shortener-reference")
        .and_then(|t| t.diagram().ok())
        .unwrap();
    b.next_id = b.next_id.max(a.next_id);
    for (from, to) in [(&a, &b), (&b, &a), (&a, &a)] {
        let mut d = from.clone();
        edit_towards(&d, to).apply(&mut d).unwrap();
        let mut expected = to.clone();
        expected.next_id = d.next_id;
        assert_eq!(&d, &expected);
        assert!(d.next_id >= from.next_id, "ids never go back");
    }
}

#[test]
fn sessions_are_saved_beside_the_design_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chat.ron");
    let (mut s, clock) = clocked(Document::new(Diagram::new("Chat")));
    s.execute(Command::File(crate::app::FileCommand::SaveTo(path.clone())))
        .unwrap();
    short_interview(&mut s, &clock);
    // Saving the design writes the session in progress too.
    s.execute(Command::File(crate::app::FileCommand::Save))
        .unwrap();
    let sidecar = crate::io::sessions::sidecar_path(&path);
    let file = load_sessions(&sidecar).unwrap().unwrap();
    assert_eq!(file.sessions.len(), 1);
    assert!(!file.sessions[0].finished);
    // Quitting ends it and writes it.
    s.execute(Command::File(crate::app::FileCommand::Quit))
        .unwrap();
    let file = load_sessions(&sidecar).unwrap().unwrap();
    assert!(file.sessions[0].finished);
    assert!(file.sessions[0].scorecard.is_some());

    let reopened = Session::new(Document::from_file(crate::io::load(&path).unwrap(), path));
    assert_eq!(reopened.session_summaries().len(), 1);
    assert_eq!(reopened.recorded_session(1), file.sessions.first());
}

#[test]
fn a_damaged_sessions_file_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.ron");
    crate::io::save(&path, &Diagram::new("X")).unwrap();
    let sidecar = crate::io::sessions::sidecar_path(&path);
    std::fs::write(&sidecar, "(format_version: 1, sessions: [oops])").unwrap();
    let clock = ManualClock::at(Timestamp(T0));
    let mut s = Session::new(Document::from_file(Diagram::new("X"), path))
        .with_clock(Arc::new(clock.clone()));
    assert!(s.sessions_error().unwrap().contains("could not be read"));
    short_interview(&mut s, &clock);
    s.execute(Command::Session(SessionCommand::End)).unwrap();
    assert_eq!(
        std::fs::read_to_string(&sidecar).unwrap(),
        "(format_version: 1, sessions: [oops])"
    );
}

#[test]
fn the_sessions_of_an_unsaved_design_come_back_with_its_recovery() {
    let data = tempfile::tempdir().unwrap();
    let (s, clock) = clocked(Document::new(Diagram::new("Unsaved")));
    let mut s = s.with_data_dir(Some(data.path().to_path_buf()));
    short_interview(&mut s, &clock);
    s.tick();
    let recovery_file = crate::io::sessions::recovery_path(data.path());
    assert!(recovery_file.exists(), "autosaved at the first tick");
    assert!(s.is_dirty(), "the interview edited the design");
    // The app stops without ending the session; the next run offers both.
    drop(s);
    let next = Session::new(Document::new(Diagram::new("Startup")))
        .with_data_dir(Some(data.path().to_path_buf()));
    let mut next = next.with_clock(Arc::new(clock.clone()));
    assert!(next.session_summaries().is_empty());
    let offer = next.recovery_offers()[0].file.clone();
    next.execute(Command::File(crate::app::FileCommand::Restore(offer)))
        .unwrap();
    let list = next.session_summaries();
    assert_eq!(list.len(), 1);
    assert!(!list[0].finished);
    assert_eq!(next.diagram().title, "Rec".replace("Rec", "Unsaved"));
}

#[test]
fn viewers_may_comment_but_not_run_the_clock() {
    let (mut s, _clock) = clocked(Document::new(Diagram::new("Rec")));
    s.execute_from(
        Origin::Remote(3),
        Command::Session(SessionCommand::Comment {
            text: "Curveball: traffic doubles".to_owned(),
            curveball: true,
        }),
    )
    .unwrap();
    let comments: Vec<_> = s.recording().unwrap().comments().collect();
    assert_eq!(comments, [(0, "Curveball: traffic doubles", true)]);
    assert_eq!(s.recording().unwrap().events[0].author, Author::Remote(3));
    assert_eq!(
        s.execute_from(Origin::Remote(3), Command::Timer(TimerCommand::Start)),
        Err(CommandError::NotAllowed)
    );
}

#[test]
fn a_replay_view_shows_each_moment_without_touching_the_design() {
    let (mut s, clock) = clocked(Document::new(Diagram::new("Rec")));
    short_interview(&mut s, &clock);
    s.execute(Command::Session(SessionCommand::End)).unwrap();
    let live = s.diagram().clone();
    let live_key = s.key();
    let mut view = s.replay(1).unwrap().unwrap();
    assert!(view.diagram().components.is_empty());
    let identity = view.session().key().document;
    view.seek(65_000);
    assert_eq!(view.diagram().components.len(), 1);
    assert_eq!(
        view.session().key().document,
        identity,
        "one identity per replay"
    );
    assert_eq!(view.phase(), Some(Phase::Clarify));
    view.seek(u64::MAX);
    assert_eq!(view.offset_ms(), view.duration_ms());
    assert_eq!(view.diagram(), &live);
    assert_eq!(view.phase(), Some(Phase::Estimate));
    assert_eq!(s.key(), live_key, "the open design is untouched");
}

#[test]
fn the_latest_scorecard_is_the_recording_so_far_then_the_kept_one() {
    let (mut s, clock) = clocked(Document::new(Diagram::new("Latest")));
    assert_eq!(s.latest_scorecard(), None, "no session yet");
    let before = s.sessions_generation();
    add(&mut s, ComponentKind::Client, -400.0);
    assert_eq!(s.sessions_generation(), before, "an edit outside a session");
    short_interview(&mut s, &clock);
    assert!(s.sessions_generation() > before);
    let so_far = s.latest_scorecard().unwrap();
    assert_eq!((so_far.number, so_far.recording), (1, true));
    assert_eq!(
        so_far.card.criterion("big-picture-answered").map(|c| c.met),
        Some(true)
    );
    rate(&mut s, "design:scale", Rating::Missed);
    let changed = s.latest_scorecard().unwrap();
    assert_eq!(
        changed
            .card
            .criterion("big-picture-answered")
            .map(|c| c.met),
        Some(false),
        "scored again as it stands"
    );
    s.execute(Command::Session(SessionCommand::End)).unwrap();
    let kept = s.latest_scorecard().unwrap();
    assert_eq!((kept.number, kept.recording), (1, false));
    assert_eq!(
        Some(&kept.card),
        s.recorded_session(1).unwrap().scorecard.as_ref()
    );
}
