//! An interview session through the real UI with a mocked clock: the timer
//! through its phases, a few edits, rated probes; quit (saving); reopen.
//! The session is listed, its report is the same after reopening, and the
//! replay at three moments shows exactly the diagram rebuilt from the
//! command log of the first run.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use archboard::app::{Change, Document, LogEntry, ManualClock, Session, Timestamp};
use archboard::interview::Rating;
use archboard::interview::report::recorded_session_report;
use archboard::model::Diagram;
use archboard::ui::ArchboardApp;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

const T0: u64 = 1_773_478_800_000;

/// The app on the design at `path` with a mocked clock, in a window tall
/// enough for the whole Interview tab.
fn open(path: &Path, clock: &ManualClock) -> Harness<'static, ArchboardApp> {
    let diagram = archboard::io::load(path).unwrap();
    let session = Session::new(Document::from_file(diagram, path.to_path_buf()))
        .with_clock(Arc::new(clock.clone()));
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 1400.0))
        .with_step_dt(0.02)
        .build_ui_state(
            |ui, app: &mut ArchboardApp| app.ui_root(ui),
            ArchboardApp::with_session(session),
        );
    h.state().setup(&h.ctx);
    h.run();
    h.get_by_label("Interview tab").click();
    h.run();
    h
}

fn click(h: &mut Harness<'static, ArchboardApp>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

fn advance(h: &mut Harness<'static, ArchboardApp>, clock: &ManualClock, seconds: u64) {
    clock.advance_ms(seconds * 1000);
    h.run();
}

/// Rates probe `n` of the list (the first ones are on screen).
fn rate(h: &mut Harness<'static, ArchboardApp>, n: usize, rating: Rating) {
    let probe = h.state().session.probes()[n].clone();
    click(h, &archboard::ui::probes::rating_label(rating, &probe));
    assert_eq!(
        h.state()
            .session
            .interview()
            .record(&probe.key)
            .and_then(|r| r.rating),
        Some(rating)
    );
}

/// The diagram at `offset_ms` into a session that began at `start_ms` on
/// `start`, rebuilt from the command log alone.
fn rebuilt(start: &Diagram, start_ms: u64, log: &[Arc<LogEntry>], offset_ms: u64) -> Diagram {
    let mut d = start.clone();
    for entry in log.iter().filter(|e| e.at.0 <= start_ms + offset_ms) {
        if let Change::Diagram { applied, .. } = &entry.change {
            applied.clone().apply(&mut d).unwrap();
        }
    }
    d
}

#[test]
fn a_session_is_recorded_saved_listed_reported_and_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chat.ron");
    let starter = archboard::templates::find("realtime-chat-starter")
        .unwrap()
        .diagram()
        .unwrap();
    archboard::io::save(&path, &starter).unwrap();
    let clock = ManualClock::at(Timestamp(T0));
    let mut h = open(&path, &clock);
    let log: Receiver<Arc<LogEntry>> = h.state_mut().session.subscribe();
    click(&mut h, "Sessions");
    h.get_by_label_contains("Start the timer or rate a probe");

    // Clarify, then estimate, then the high-level design with two edits.
    click(&mut h, "Start timer");
    let start_design = h.state().session.diagram().clone();
    advance(&mut h, &clock, 200);
    click(&mut h, "Next phase");
    advance(&mut h, &clock, 240);
    click(&mut h, "Next phase");
    advance(&mut h, &clock, 30);
    click(&mut h, "Add Cache");
    advance(&mut h, &clock, 90);
    click(&mut h, "Add Queue or topic");
    advance(&mut h, &clock, 60);
    click(&mut h, "Next phase");
    // Deep dive: two probes rated.
    click(&mut h, "Probes");
    rate(&mut h, 0, Rating::Strong);
    advance(&mut h, &clock, 120);
    rate(&mut h, 1, Rating::Partial);
    advance(&mut h, &clock, 100);
    h.get_by_label_contains("Recording · 14:00");

    // Quit: the design has unsaved edits, so save them.
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Q);
    h.run();
    click(&mut h, "Save");
    assert!(h.state().session.quit_requested());
    let first = h.state().session.recorded_session(1).cloned().unwrap();
    assert!(first.finished);
    assert_eq!(first.duration_ms(), 840_000);
    let report_before = recorded_session_report(&first, 1).unwrap();
    let log: Vec<Arc<LogEntry>> = log.try_iter().collect();
    drop(h);

    // Reopen: the session is listed with its score, and reports the same.
    let mut h = open(&path, &clock);
    let score = first.scorecard.as_ref().unwrap().total_text();
    h.get_by_label(&format!("14:00 · {score}/100"));
    h.get_by_label("2026-03-14 09:00");
    let reopened = h.state().session.recorded_session(1).cloned().unwrap();
    assert_eq!(reopened, first);
    assert_eq!(
        recorded_session_report(&reopened, 1).unwrap(),
        report_before
    );
    click(&mut h, "Scorecard of session 1");
    h.get_by_label("At least two deep dives rated");
    assert!(
        first
            .scorecard
            .as_ref()
            .unwrap()
            .criterion("two-deep-dives")
            .unwrap()
            .met
    );

    // Replay at three moments picked on the timeline.
    h.state_mut().scorecard = None;
    h.run();
    click(&mut h, "Replay session 1");
    let open_design = h.state().session.diagram().clone();
    // Playing at 16×: ten seconds of the clock are 160 s of the session.
    click(&mut h, "Replay speed 16×");
    // A playing replay repaints every frame: step by hand.
    h.get_by_label("Play replay").click();
    h.run_steps(2);
    clock.advance_ms(10_000);
    h.run_steps(2);
    assert_eq!(h.state().replay.as_ref().unwrap().view.offset_ms(), 160_000);
    h.get_by_label("Pause replay").click();
    h.run_steps(2);
    advance(&mut h, &clock, 10);
    assert_eq!(h.state().replay.as_ref().unwrap().view.offset_ms(), 160_000);
    let mut shown = Vec::new();
    for fraction in [0.4, 0.6, 1.0] {
        // Far enough apart in time not to count as a double click.
        h.run_steps(30);
        let timeline = h.get_by_label("Replay position").rect();
        let x = timeline.left() + (timeline.width() - 1.0) * fraction;
        h.hover_at(egui::pos2(x, timeline.center().y));
        h.event(egui::Event::PointerButton {
            pos: egui::pos2(x, timeline.center().y),
            button: egui::PointerButton::Primary,
            pressed: true,
            modifiers: egui::Modifiers::NONE,
        });
        h.event(egui::Event::PointerButton {
            pos: egui::pos2(x, timeline.center().y),
            button: egui::PointerButton::Primary,
            pressed: false,
            modifiers: egui::Modifiers::NONE,
        });
        h.run();
        let replay = h.state().replay.as_ref().unwrap();
        let offset = replay.view.offset_ms();
        let expected = rebuilt(&start_design, T0, &log, offset);
        assert_eq!(replay.view.diagram(), &expected, "at {offset} ms");
        shown.push((offset / 1000, replay.view.changes_shown().0));
        h.get_by_label("Replay canvas");
    }
    // The cache came at 7:50 and the queue at 9:20 of a 14:00 session.
    assert_eq!(
        shown.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        [0, 1, 2],
        "{shown:?}"
    );
    assert!(
        shown[0].0 >= 330 && shown[1].0 >= 500 && shown[2].0 >= 835,
        "{shown:?}"
    );
    assert_eq!(
        h.state().session.diagram(),
        &open_design,
        "replaying never changes the open design"
    );
    // Back with the step buttons to the moment the cache came (the queue
    // came at the last change), then restore that version.
    click(&mut h, "Previous change");
    click(&mut h, "Previous change");
    assert_eq!(h.state().replay.as_ref().unwrap().view.changes_shown().0, 1);
    let offset = h.state().replay.as_ref().unwrap().view.offset_ms();
    let expected = rebuilt(&start_design, T0, &log, offset);
    click(&mut h, "Restore this version");
    assert!(h.state().replay.is_none());
    let mut restored = h.state().session.diagram().clone();
    restored.next_id = expected.next_id;
    assert_eq!(restored, expected);
    assert!(
        h.state()
            .session
            .undo_label()
            .unwrap()
            .starts_with("Restore the version of session 1")
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().session.diagram(), &open_design, "one undo step");
}
