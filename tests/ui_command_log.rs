//! The command log seen from outside, while a user works through the real
//! UI: add from the palette, connect by a port drag, move by a drag, rename
//! in place, change a property in the inspector, apply a quick fix, undo and
//! redo. Each gesture is exactly one entry, and its inverse takes the
//! diagram back to what it was before.

// Helpers outside #[test] functions may panic too: this is test code.
#![allow(clippy::unwrap_used)]

mod ui_common;

use std::sync::Arc;
use std::sync::mpsc::Receiver;

use archboard::app::{Change, Command, LogEntry, Origin};
use archboard::catalog::ComponentKind;
use archboard::model::{Diagram, Id};
use archboard::ui::ArchboardApp;
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ui_common::{drag, harness_on, redo, undo};

/// The centre of a card on the canvas (inspector links share its name).
fn card(h: &Harness<'_, ArchboardApp>, name: &str) -> Pos2 {
    h.get_by_role_and_label(Role::Button, name).rect().center()
}

fn click_card(h: &mut Harness<'_, ArchboardApp>, name: &str) {
    h.get_by_role_and_label(Role::Button, name).click();
    h.run();
}

fn two_cards() -> Diagram {
    ui_common::cards(
        "Log test",
        &[
            (ComponentKind::Service, "Orders API", 0.0, 0.0),
            (ComponentKind::RelationalDb, "Orders DB", 500.0, 0.0),
        ],
    )
}

/// Runs `gesture`, then checks that the log got exactly one entry, of the
/// expected command, whose inverse restores the diagram from before.
fn one_entry(
    h: &mut Harness<'static, ArchboardApp>,
    log: &Receiver<Arc<LogEntry>>,
    what: &str,
    is_expected: impl Fn(&Command) -> bool,
    gesture: impl FnOnce(&mut Harness<'static, ArchboardApp>),
) {
    let before = h.state().session.diagram().clone();
    gesture(h);
    let entries: Vec<_> = log.try_iter().collect();
    assert_eq!(
        entries.len(),
        1,
        "{what}: one entry, got {:?}",
        entries.iter().map(|e| &e.command).collect::<Vec<_>>()
    );
    let entry = &entries[0];
    assert!(is_expected(&entry.command), "{what}: {:?}", entry.command);
    assert_eq!(entry.origin, Origin::Local);
    let after = h.state().session.diagram().clone();
    assert_ne!(after, before, "{what} changed the design");
    let Change::Diagram { inverse, .. } = &entry.change else {
        panic!("{what}: no diagram change logged");
    };
    let mut restored = after;
    inverse.clone().apply(&mut restored).unwrap();
    assert!(
        restored == before,
        "{what}: the inverse restores the diagram"
    );
}

#[test]
fn every_gesture_is_one_logged_command_whose_inverse_restores_the_diagram() {
    let mut h = harness_on(two_cards());
    let log = h.state_mut().session.subscribe();

    one_entry(
        &mut h,
        &log,
        "add from the palette",
        |c| {
            matches!(
                c,
                Command::AddComponent {
                    kind: ComponentKind::Queue,
                    ..
                }
            )
        },
        |h| {
            h.get_by_label("Add Queue or topic").click();
            h.run();
        },
    );

    one_entry(
        &mut h,
        &log,
        "connect by a port drag",
        |c| {
            matches!(
                c,
                Command::Connect {
                    from: Id(1),
                    to: Id(2)
                }
            )
        },
        |h| {
            let api = h.get_by_role_and_label(Role::Button, "Orders API").rect();
            let port = Pos2::new(api.right(), api.center().y);
            let db = card(h, "Orders DB");
            drag(h, port, db, Modifiers::NONE);
        },
    );

    one_entry(
        &mut h,
        &log,
        "move by a drag",
        |c| matches!(c, Command::MoveBy { .. }),
        |h| {
            let from = card(h, "Orders DB");
            drag(h, from, from + egui::vec2(0.0, 120.0), Modifiers::NONE);
        },
    );

    one_entry(
        &mut h,
        &log,
        "rename in place",
        |c| matches!(c, Command::Rename { text, .. } if text == "Orders SQL"),
        |h| {
            click_card(h, "Orders DB");
            h.key_press(Key::F2);
            h.run();
            h.event(Event::Text("Orders SQL".to_owned()));
            h.key_press(Key::Enter);
            h.run();
        },
    );
    // Selecting cards is this window's own view state: not in the log.
    assert_eq!(log.try_iter().count(), 0);

    one_entry(
        &mut h,
        &log,
        "a property in the inspector",
        |c| matches!(c, Command::SetProperty { id: Id(1), .. }),
        |h| {
            click_card(h, "Orders API");
            h.get_by_role_and_label(Role::CheckBox, "Autoscaling")
                .click();
            h.run();
        },
    );

    one_entry(
        &mut h,
        &log,
        "a quick fix",
        |c| matches!(c, Command::ApplyFix { rule_id, .. } if rule_id == "MSG-001"),
        |h| {
            h.get_by_label("Checklist tab").click();
            h.run();
            let finding = "Queue or topic has no dead-letter queue for messages that keep failing";
            h.get_by_label(finding).scroll_to_me();
            h.run();
            h.get_by_label(finding).click();
            h.run();
            h.get_by_label("Add a dead-letter queue").scroll_to_me();
            h.run();
            h.get_by_label("Add a dead-letter queue").click();
            h.run();
        },
    );

    one_entry(&mut h, &log, "undo", |c| *c == Command::Undo, undo);
    one_entry(&mut h, &log, "redo", |c| *c == Command::Redo, redo);
}

#[test]
fn a_failed_undo_is_shown_and_keeps_the_design_and_its_unsaved_state() {
    // A connection from a card to itself (older files could hold one):
    // deleting the card takes the connection along, and putting it back is
    // refused by the edit layer.
    let mut d = two_cards();
    d.connections.push(archboard::model::Connection {
        id: Id(3),
        from: Id(1),
        to: Id(1),
        kind: Default::default(),
        label: String::new(),
        policy: Default::default(),
        idempotent: false,
    });
    d.next_id = 4;
    let mut h = harness_on(d);
    click_card(&mut h, "Orders API");
    h.key_press(Key::Delete);
    h.run();
    let after_delete = h.state().session.diagram().clone();
    assert!(h.state().session.is_dirty());
    undo(&mut h);
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(
        status.starts_with("Could not change the design") && status.contains("cannot be undone"),
        "the failure is in the status bar: {status:?}"
    );
    assert!(
        h.query_by_label(&status).is_some(),
        "and on screen, not just in the state"
    );
    assert!(h.state().session.diagram() == &after_delete);
    assert!(h.state().session.is_dirty(), "still unsaved");
    assert_eq!(h.state().session.undo_label(), Some("Delete item"));
}
