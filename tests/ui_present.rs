//! Interview mode through the real UI: requirements drive the estimates,
//! steps defined from the selection are walked in present mode, the timer
//! follows a mocked clock, and a rated probe reaches the exported report.

// Helpers outside #[test] functions may panic too: this is test code.
#![allow(clippy::unwrap_used)]

mod ui_common;

use std::sync::Arc;

use archboard::app::{Command, Document, FileCommand, ManualClock, Session, Timestamp};
use archboard::interview::Rating;
use archboard::model::Id;
use archboard::ui::{ArchboardApp, SideTab};
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ui_common::{harness, two_cards};

fn card_shown(h: &Harness<'_, ArchboardApp>, name: &str) -> bool {
    h.query_all_by_label(name)
        .any(|n| n.accesskit_node().role() == Role::Button)
}

fn interview_tab(h: &mut Harness<'_, ArchboardApp>) {
    h.get_by_label("Interview tab").click();
    h.run();
    assert_eq!(h.state().side_tab, SideTab::Interview);
}

#[test]
fn two_steps_from_the_selection_are_walked_in_present_mode() {
    let mut h = harness(ArchboardApp::new(Document::new(two_cards())));
    for name in ["Orders API", "Orders DB"] {
        h.get_by_label(name).click();
        h.run();
        interview_tab(&mut h);
        h.get_by_label_contains("New step from selection").click();
        h.run();
    }
    let steps = &h.state().session.diagram().steps;
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].revealed, vec![Id(1)]);
    assert_eq!(steps[1].revealed, vec![Id(2)]);

    h.key_press(Key::F5);
    h.run();
    assert!(h.state().session.is_presenting());
    assert_eq!(h.state().session.present_step(), Some(0));
    assert!(card_shown(&h, "Orders API"));
    assert!(!card_shown(&h, "Orders DB"), "not revealed yet");
    assert!(h.query_by_label_contains("Step 1 of 2").is_some());

    h.key_press(Key::ArrowRight);
    h.run();
    assert_eq!(h.state().session.present_step(), Some(1));
    assert!(card_shown(&h, "Orders API") && card_shown(&h, "Orders DB"));

    h.key_press(Key::ArrowRight);
    h.run();
    assert_eq!(
        h.state().session.present_step(),
        Some(1),
        "the last step stays"
    );

    h.key_press(Key::PageUp);
    h.run();
    assert_eq!(h.state().session.present_step(), Some(0));
    assert!(!card_shown(&h, "Orders DB"));

    // Editing is locked: Delete does nothing while presenting.
    h.key_press(Key::Delete);
    h.run();
    assert_eq!(h.state().session.diagram().components.len(), 2);

    h.key_press(Key::Escape);
    h.run();
    assert!(!h.state().session.is_presenting());
    assert!(
        card_shown(&h, "Orders DB"),
        "everything is back after leaving"
    );
}

#[test]
fn requirements_typed_in_the_interview_tab_update_the_estimates_and_undo() {
    let mut h = harness(ArchboardApp::new(Document::new(two_cards())));
    interview_tab(&mut h);
    let type_into = |h: &mut Harness<'_, ArchboardApp>, label: &str, text: &str| {
        h.get_by_role_and_label(Role::TextInput, label).focus();
        h.run();
        h.get_by_role_and_label(Role::TextInput, label)
            .type_text(text);
        h.run();
    };
    // Numbers the way people say them.
    type_into(&mut h, "Daily active users", "10M");
    assert!(
        h.query_by_label("10 million").is_some(),
        "the field says what it understood"
    );
    type_into(&mut h, "Requests per user per day", "100");
    let req = &h.state().session.diagram().requirements;
    assert_eq!(req.daily_active_users, Some(10_000_000));
    assert_eq!(req.requests_per_user_per_day, Some(100.0));
    assert!(
        h.query_by_label("11.6 k req/s").is_some(),
        "average requests per second"
    );
    // Nonsense is refused with a visible message and changes nothing.
    type_into(&mut h, "Peak factor", "lots");
    assert!(
        h.query_by_label_contains("Type a number").is_some(),
        "the field says why"
    );
    assert_eq!(h.state().session.diagram().requirements.peak_factor, None);
    type_into(&mut h, "Availability target", "120%");
    assert!(h.query_by_label_contains("Must be between").is_some());
    assert_eq!(
        h.state()
            .session
            .diagram()
            .requirements
            .availability_percent,
        None
    );
    // Each field is one undo step.
    h.get_by_role_and_label(Role::TextInput, "Availability target")
        .focus();
    h.key_press(Key::Escape);
    h.run();
    h.event(egui::Event::Key {
        key: Key::Z,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: egui::Modifiers::COMMAND,
    });
    h.run();
    let req = &h.state().session.diagram().requirements;
    assert_eq!(req.requests_per_user_per_day, None, "undone");
    assert_eq!(
        req.daily_active_users,
        Some(10_000_000),
        "a step of its own"
    );
}

#[test]
fn the_timer_follows_the_clock_and_advances_phases() {
    let clock = ManualClock::at(Timestamp(1_000_000));
    let session = Session::new(Document::new(two_cards())).with_clock(Arc::new(clock.clone()));
    let mut h = harness(ArchboardApp::with_session(session));
    h.get_by_label("Start timer").click();
    h.run();
    clock.advance_ms(60_000);
    h.run();
    let timer = |h: &Harness<'_, ArchboardApp>| h.state().session.interview().timer.clone();
    let now = |h: &Harness<'_, ArchboardApp>| h.state().session.now().as_secs_f64();
    assert_eq!(timer(&h).remaining_s(now(&h)), 240.0);
    assert!(h.query_by_label("4:00 left").is_some());
    h.get_by_label("Next phase").click();
    h.run();
    assert_eq!(timer(&h).current().label(), "Estimate");
    assert!(
        h.query_by_label_contains("2/5").is_some(),
        "the bar shows the phase"
    );
}

#[test]
fn a_rated_probe_reaches_the_exported_report() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(ArchboardApp::with_example());
    interview_tab(&mut h);
    h.get_by_label("Probes").click();
    h.run();
    let probe = archboard::interview::probes(h.state().session.diagram())
        .into_iter()
        .find(|p| p.question.to_lowercase().contains("backplane") || p.subject_name == "Chat hub")
        .expect("the hub is probed");
    let asked = archboard::ui::probes::asked_label(&probe);
    h.get_by_label(&asked).scroll_to_me();
    h.run();
    h.get_by_label(&asked).click();
    h.run();
    h.get_by_label(&archboard::ui::probes::rating_label(
        Rating::Partial,
        &probe,
    ))
    .click();
    h.run();
    let record = h
        .state()
        .session
        .interview()
        .record(&probe.key)
        .cloned()
        .unwrap();
    assert!(record.asked);
    assert_eq!(record.rating, Some(Rating::Partial));

    let path = dir.path().join("report.md");
    h.state_mut()
        .session
        .execute(Command::File(FileCommand::ExportReport(path.clone())))
        .unwrap();
    let report = std::fs::read_to_string(&path).unwrap();
    assert!(
        report.contains(&probe.question),
        "the probe is in the report"
    );
    assert!(report.contains("Partial"), "with its rating");
}
