//! Shared helpers of the UI tests: the app in a 1280×800 kittest harness.

use archboard::app::Document;
use archboard::catalog::ComponentKind;
use archboard::model::{Component, Diagram, Id, Point};
use archboard::ui::ArchboardApp;
use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// The real app UI in a headless window, set up and settled.
pub fn harness(app: ArchboardApp) -> Harness<'static, ArchboardApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_step_dt(0.02)
        .build_ui_state(|ui, app: &mut ArchboardApp| app.ui_root(ui), app);
    harness.state().setup(&harness.ctx);
    harness.run();
    harness
}

/// The app on an unsaved `diagram`.
#[allow(dead_code)] // not every test file starts from a bare diagram
pub fn harness_on(diagram: Diagram) -> Harness<'static, ArchboardApp> {
    harness(ArchboardApp::new(Document::new(diagram)))
}

/// The centre of the widget or canvas item with this accessible label.
#[allow(dead_code)]
pub fn center_of(h: &Harness<'_, ArchboardApp>, label: &str) -> Pos2 {
    h.get_by_label(label).rect().center()
}

/// Presses at `from`, moves in steps to `to` and releases, holding `modifiers`.
#[allow(dead_code)]
pub fn drag(h: &mut Harness<'_, ArchboardApp>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    h.event(Event::ModifiersChanged(modifiers));
    h.hover_at(from);
    h.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers,
    });
    for i in 1..=6 {
        h.hover_at(from.lerp(to, i as f32 / 6.0));
    }
    h.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers,
    });
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run();
}

#[allow(dead_code)]
pub fn undo(h: &mut Harness<'_, ArchboardApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
}

#[allow(dead_code)]
pub fn redo(h: &mut Harness<'_, ArchboardApp>) {
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
}

/// A design titled `title` with unconnected cards `(kind, name, x, y)`,
/// numbered from 1 in order.
#[allow(dead_code)]
pub fn cards(title: &str, specs: &[(ComponentKind, &str, f32, f32)]) -> Diagram {
    let mut d = Diagram::new(title);
    for (i, &(kind, name, x, y)) in specs.iter().enumerate() {
        d.components.push(Component {
            id: Id(i as u64 + 1),
            kind,
            name: name.to_owned(),
            position: Point::new(x, y),
            properties: kind.default_properties(),
        });
    }
    d.next_id = specs.len() as u64 + 1;
    d
}

/// "Orders API" (a service, id 1) and "Orders DB" (a relational database,
/// id 2) side by side, unconnected.
#[allow(dead_code)]
pub fn two_cards() -> Diagram {
    cards(
        "Two cards",
        &[
            (ComponentKind::Service, "Orders API", 0.0, 0.0),
            (ComponentKind::RelationalDb, "Orders DB", 400.0, 0.0),
        ],
    )
}

/// Asserts that no two cards of `d` overlap.
#[allow(dead_code)]
pub fn assert_no_overlapping_cards(d: &Diagram) {
    for a in &d.components {
        for b in &d.components {
            assert!(
                a.id == b.id || !a.rect().intersects(b.rect()),
                "{} overlaps {}",
                a.name,
                b.name
            );
        }
    }
}
