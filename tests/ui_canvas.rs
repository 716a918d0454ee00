//! Drives the real UI through egui_kittest: clicks and drags by accessible
//! label and screen position, then checks the diagram and history.

mod ui_common;

use archboard::app::{Command, SelectionChange};
use archboard::catalog::ComponentKind;
use archboard::model::{Component, ConnectionKind, Diagram, Id};
use archboard::ui::ArchboardApp;
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ui_common::harness_on as harness;
use ui_common::{center_of, drag, redo, undo};

/// Three unconnected components: an API, a cache and a database.
fn small_design() -> Diagram {
    ui_common::cards(
        "Test design",
        &[
            (ComponentKind::Service, "Orders API", 0.0, 0.0),
            (ComponentKind::Cache, "Orders cache", 400.0, 0.0),
            (ComponentKind::RelationalDb, "Orders DB", 0.0, 300.0),
        ],
    )
}

fn component_named<'a>(h: &'a Harness<'_, ArchboardApp>, name: &str) -> &'a Component {
    h.state()
        .session
        .diagram()
        .components
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no component named {name}"))
}

#[test]
fn palette_click_adds_a_component_and_undo_redo_take_it_back() {
    let mut h = harness(small_design());
    let before = h.state().session.diagram().clone();
    h.get_by_label("Add Queue or topic").click();
    h.run();
    let d = h.state().session.diagram();
    assert_eq!(d.components.len(), 4);
    let queue = d
        .components
        .iter()
        .find(|c| c.kind == ComponentKind::Queue)
        .unwrap();
    assert!(
        h.state().session.is_selected(queue.id),
        "the new component is selected"
    );
    assert!(
        h.query_all_by_label("Queue or topic")
            .any(|n| n.accesskit_node().role() == Role::Button),
        "its card is on the canvas"
    );

    undo(&mut h);
    assert_eq!(h.state().session.diagram(), &before);
    redo(&mut h);
    assert_eq!(h.state().session.diagram().components.len(), 4);
    undo(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(
        h.state().session.diagram().components.len(),
        4,
        "Ctrl+Y redoes too"
    );
}

#[test]
fn dragging_from_a_port_onto_another_card_connects_them() {
    let mut h = harness(small_design());
    let api = h.get_by_label("Orders API").rect();
    let right_port = Pos2::new(api.right(), api.center().y);
    let cache = center_of(&h, "Orders cache");
    drag(&mut h, right_port, cache, Modifiers::NONE);

    let d = h.state().session.diagram();
    assert_eq!(d.connections.len(), 1, "one connection was drawn");
    let c = &d.connections[0];
    assert_eq!((c.from, c.to), (Id(1), Id(2)));
    assert_eq!(
        c.kind,
        ConnectionKind::Read,
        "service to cache defaults to a read"
    );
    assert!(
        h.query_by_label("Connection from Orders API to Orders cache")
            .is_some()
    );

    undo(&mut h);
    assert!(h.state().session.diagram().connections.is_empty());
    redo(&mut h);
    assert_eq!(h.state().session.diagram().connections.len(), 1);
}

#[test]
fn selecting_a_card_and_changing_a_property_in_the_inspector_is_undoable() {
    let mut h = harness(small_design());
    h.get_by_label("Orders API").click();
    h.run();
    assert_eq!(
        h.state()
            .session
            .selection()
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        vec![Id(1)]
    );

    h.get_by_role_and_label(Role::CheckBox, "Autoscaling")
        .click();
    h.run();
    assert_eq!(
        component_named(&h, "Orders API").properties.autoscaling,
        Some(true)
    );
    undo(&mut h);
    assert_eq!(
        component_named(&h, "Orders API").properties.autoscaling,
        Some(false)
    );
    redo(&mut h);
    assert_eq!(
        component_named(&h, "Orders API").properties.autoscaling,
        Some(true)
    );
}

#[test]
fn f2_renames_in_place_as_one_undo_step() {
    let mut h = harness(small_design());
    h.get_by_label("Orders cache").click();
    h.run();
    h.key_press(Key::F2);
    h.run();
    // The field opens with the old name selected, so typing replaces it.
    h.event(Event::Text("Product cache".to_owned()));
    h.key_press(Key::Enter);
    h.run();
    assert!(
        h.state()
            .session
            .diagram()
            .components
            .iter()
            .any(|c| c.name == "Product cache")
    );
    undo(&mut h);
    assert_eq!(component_named(&h, "Orders cache").id, Id(2));
    redo(&mut h);
    assert_eq!(component_named(&h, "Product cache").id, Id(2));
}

#[test]
fn double_click_opens_the_rename_field() {
    let mut h = harness(small_design());
    let node = center_of(&h, "Orders DB");
    h.hover_at(node);
    for _ in 0..2 {
        for pressed in [true, false] {
            h.event(Event::PointerButton {
                pos: node,
                button: PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
        }
    }
    h.run();
    assert!(h.state().canvas.is_renaming());
    h.event(Event::Text("Orders SQL".to_owned()));
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(component_named(&h, "Orders SQL").id, Id(3));
}

#[test]
fn delete_removes_the_card_and_its_connections_and_undo_restores_them() {
    let mut h = harness(small_design());
    h.state_mut()
        .session
        .execute(Command::Connect {
            from: Id(1),
            to: Id(2),
        })
        .unwrap();
    h.state_mut()
        .session
        .execute(Command::Select(SelectionChange::Clear))
        .unwrap();
    h.run();
    let before = h.state().session.diagram().clone();

    h.get_by_label("Orders API").click();
    h.run();
    h.key_press(Key::Delete);
    h.run();
    let d = h.state().session.diagram();
    assert!(d.components.iter().all(|c| c.name != "Orders API"));
    assert!(d.connections.is_empty(), "its connection went with it");
    assert!(h.query_by_label("Orders API").is_none());

    undo(&mut h);
    assert_eq!(h.state().session.diagram(), &before);
    redo(&mut h);
    assert_eq!(h.state().session.diagram().components.len(), 2);
}

#[test]
fn shift_drag_box_selects_and_dragging_moves_them_all_as_one_step() {
    let mut h = harness(small_design());
    let api = h.get_by_label("Orders API").rect();
    let cache = h.get_by_label("Orders cache").rect();
    let from = api.left_top() - egui::vec2(20.0, 20.0);
    let to = cache.right_bottom() + egui::vec2(20.0, 20.0);
    drag(&mut h, from, to, Modifiers::SHIFT);
    let selected: Vec<Id> = h.state().session.selection().iter().copied().collect();
    assert_eq!(
        selected,
        vec![Id(1), Id(2)],
        "the box holds the API and the cache, not the DB"
    );

    let before = h.state().session.diagram().clone();
    let zoom = h.state().canvas.view.zoom();
    drag(
        &mut h,
        api.center(),
        api.center() + egui::vec2(200.0, 100.0) * zoom,
        Modifiers::NONE,
    );
    let after = h.state().session.diagram();
    let moved = |id: u64| {
        let a = before.component(Id(id)).unwrap().position;
        let b = after.component(Id(id)).unwrap().position;
        (b.x - a.x, b.y - a.y)
    };
    let (dx, dy) = moved(1);
    assert!(
        dx > 150.0 && dy > 60.0,
        "the API moved by about the drag: {dx}, {dy}"
    );
    assert_eq!(moved(2), (dx, dy), "the cache moved with it");
    assert_eq!(moved(3), (0.0, 0.0), "the unselected DB stayed");

    undo(&mut h);
    assert_eq!(
        h.state().session.diagram(),
        &before,
        "one undo takes the whole drag back"
    );
}

#[test]
fn copy_paste_and_duplicate_through_the_keyboard() {
    let mut h = harness(small_design());
    h.get_by_label("Orders API").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::C);
    h.key_press_modifiers(Modifiers::COMMAND, Key::V);
    h.run();
    assert_eq!(h.state().session.diagram().components.len(), 4);
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run();
    assert_eq!(h.state().session.diagram().components.len(), 5);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    assert_eq!(h.state().session.selection().len(), 5);
}

#[test]
fn the_app_starts_on_the_example_design() {
    let app = ArchboardApp::with_example();
    let d = app.session.diagram();
    assert!(d.components.len() >= 6);
    assert!(
        !app.session.is_dirty(),
        "an untouched example has nothing to save"
    );
}

#[test]
fn dragging_from_the_palette_drops_a_component_where_released() {
    let mut h = harness(small_design());
    let from = center_of(&h, "Add Load balancer");
    let db = h.get_by_label("Orders DB").rect();
    let target = db.center() + egui::vec2(300.0 * h.state().canvas.view.zoom(), 0.0);
    drag(&mut h, from, target, Modifiers::NONE);
    let d = h.state().session.diagram();
    let lb = d
        .components
        .iter()
        .find(|c| c.kind == ComponentKind::LoadBalancer)
        .expect("the load balancer was added");
    let dropped_at = h.state().canvas.view.to_screen(lb.rect().center());
    assert!(
        dropped_at.distance(target) < 20.0,
        "centred near the drop point: {dropped_at:?} vs {target:?}"
    );
}
