//! The checklist through the real UI: a new queue is flagged, the quick fix
//! clears the finding and undo brings it back; an accepted trade-off moves
//! to the accepted list and survives save and reopen.

mod ui_common;

use archboard::app::{Command, Document, FileCommand};
use archboard::io;
use archboard::model::{Diagram, Subject};
use archboard::ui::{ArchboardApp, SideTab};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ui_common::harness;

fn open_checklist(h: &mut Harness<'_, ArchboardApp>) {
    h.get_by_label("Checklist tab").click();
    h.run();
    assert_eq!(h.state().side_tab, SideTab::Checklist);
}

fn open_rule_ids(app: &mut ArchboardApp) -> Vec<&'static str> {
    let diagram = app.session.diagram().clone();
    let findings = app.session.findings().to_vec();
    archboard::rules::review(&diagram, &findings)
        .open
        .iter()
        .map(|f| f.rule.id)
        .collect()
}

const DLQ_MESSAGE: &str = "Queue or topic has no dead-letter queue for messages that keep failing";

#[test]
fn a_new_queue_is_flagged_the_quick_fix_clears_it_and_undo_brings_it_back() {
    let mut h = harness(ArchboardApp::new(Document::new(Diagram::new("Empty"))));
    h.get_by_label("Add Queue or topic").click();
    h.run();
    assert!(open_rule_ids(h.state_mut()).contains(&"MSG-001"));

    open_checklist(&mut h);
    h.get_by_label(DLQ_MESSAGE).click();
    h.run();
    h.get_by_label("Add a dead-letter queue").click();
    h.run();
    assert!(
        !open_rule_ids(h.state_mut()).contains(&"MSG-001"),
        "the fix cleared it"
    );
    let queue = &h.state().session.diagram().components[0];
    assert_eq!(queue.properties.dead_letter_queue, Some(true));
    assert!(h.query_by_label(DLQ_MESSAGE).is_none());

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        open_rule_ids(h.state_mut()).contains(&"MSG-001"),
        "undo brings it back"
    );
    assert!(h.query_by_label(DLQ_MESSAGE).is_some());
}

#[test]
fn an_accepted_trade_off_moves_to_the_accepted_list_and_survives_save_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.ron");
    let mut h = harness(ArchboardApp::new(Document::new(Diagram::new("Queue"))));
    h.get_by_label("Add Queue or topic").click();
    h.run();
    open_checklist(&mut h);

    h.get_by_label(DLQ_MESSAGE).click();
    h.run();
    h.get_by_label("Accept as trade-off…").click();
    h.run();
    h.get_by_label("Trade-off note").focus();
    h.run();
    h.event(egui::Event::Text(
        "Messages are replayed from the event store".to_owned(),
    ));
    h.run();
    h.get_by_label("Accept").click();
    h.run();

    assert!(!open_rule_ids(h.state_mut()).contains(&"MSG-001"));
    let decision = h
        .state()
        .session
        .diagram()
        .decisions
        .first()
        .cloned()
        .expect("stored");
    assert_eq!(decision.rule_id, "MSG-001");
    assert!(matches!(decision.subject, Subject::Component(_)));
    assert_eq!(decision.note, "Messages are replayed from the event store");
    assert!(
        h.query_by_label_contains("Accepted trade-offs (1)")
            .is_some()
    );

    h.state_mut()
        .session
        .execute(Command::File(FileCommand::SaveTo(path.clone())))
        .unwrap();
    let mut reopened = harness(ArchboardApp::new(Document::from_file(
        io::load(&path).unwrap(),
        path.clone(),
    )));
    assert!(!open_rule_ids(reopened.state_mut()).contains(&"MSG-001"));
    open_checklist(&mut reopened);
    assert!(
        reopened
            .query_by_label_contains("Accepted trade-offs (1)")
            .is_some()
    );
    assert!(
        reopened
            .query_by_label("Messages are replayed from the event store")
            .is_some()
    );
}

#[test]
fn clicking_a_finding_selects_its_subject() {
    let mut h = harness(ArchboardApp::with_example());
    open_checklist(&mut h);
    let finding = "Chat hub runs 3 instances but has no backplane";
    h.get_by_label(finding).scroll_to_me();
    h.run();
    h.get_by_label(finding).click();
    h.run();
    let hub = h
        .state()
        .session
        .diagram()
        .components
        .iter()
        .find(|c| c.name == "Chat hub")
        .unwrap()
        .id;
    assert_eq!(
        h.state()
            .session
            .selection()
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        vec![hub]
    );
    assert_eq!(
        h.state().side_tab,
        SideTab::Checklist,
        "stays on the checklist"
    );
}
