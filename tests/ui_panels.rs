//! The side panels through the real UI at 1280×800: dragging the right
//! panel's edge sets its width (within limits) and that is the only way
//! its width is stored; wide content wraps instead of widening it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_common;

use archboard::ui::{ArchboardApp, SIDE_PANEL_WIDTH, SIDE_PANEL_WIDTHS};
use egui::containers::panel::PanelState;
use egui::{Modifiers, Pos2, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ui_common::{drag, harness};

/// A side panel's outer rectangle as egui last laid it out.
fn panel_rect(h: &Harness<'_, ArchboardApp>, id: &'static str) -> egui::Rect {
    PanelState::load(&h.ctx, egui::Id::new(id))
        .expect("the panel has been shown")
        .outer_rect
}

fn inspector_width(h: &Harness<'_, ArchboardApp>) -> f32 {
    panel_rect(h, "inspector").width()
}

/// The right panel's fixed edge: the right of the window's content.
fn right_end(h: &Harness<'_, ArchboardApp>) -> f32 {
    panel_rect(h, "inspector").right()
}

/// Where the canvas ends on the right: the right panel's left edge.
fn canvas_right(h: &Harness<'_, ArchboardApp>) -> f32 {
    h.get_by_label("Canvas").rect().right()
}

/// A point on the right panel's draggable edge, halfway down, just inside
/// the panel (the canvas takes drags that start on its side).
fn inspector_edge(h: &Harness<'_, ArchboardApp>) -> Pos2 {
    pos2(panel_rect(h, "inspector").left() + 2.0, 400.0)
}

/// Drags the right panel's edge to `x` and lets a few frames pass.
fn drag_edge_to(h: &mut Harness<'_, ArchboardApp>, x: f32) {
    let from = inspector_edge(h);
    drag(h, from, pos2(x, from.y), Modifiers::NONE);
    h.run();
}

/// Every widget in the right panel ends inside it: nothing is cut off at
/// its edge (the panel clips what does not wrap).
fn assert_nothing_sticks_out(h: &Harness<'_, ArchboardApp>, what: &str) {
    let panel = panel_rect(h, "inspector");
    let on_canvas: std::collections::HashSet<_> = h
        .get_by_label("Canvas")
        .children_recursive()
        .map(|n| n.accesskit_node().id())
        .collect();
    let mut past = Vec::new();
    for node in h.root().children_recursive() {
        // Pixels per point is 1 in the harness.
        let Some(b) = node.accesskit_node().bounding_box() else {
            continue;
        };
        let rect = egui::Rect::from_min_max(
            pos2(b.x0 as f32, b.y0 as f32),
            pos2(b.x1 as f32, b.y1 as f32),
        );
        // A one-line field scrolls its text inside itself.
        let in_field = node
            .parent()
            .is_some_and(|p| p.accesskit_node().role() == egui::accesskit::Role::TextInput);
        if in_field
            || on_canvas.contains(&node.accesskit_node().id())
            || rect.left() < panel.left()
            || rect.bottom() < panel.top()
            || rect.top() > panel.bottom()
        {
            continue;
        }
        if rect.right() > panel.right() + 0.5 {
            past.push(format!(
                "{:?} {:?} {:?} ends at {}",
                node.accesskit_node().role(),
                node.accesskit_node().label(),
                node.accesskit_node().value(),
                rect.right()
            ));
        }
    }
    assert!(
        past.is_empty(),
        "{what}: past the panel's edge at {}: {past:#?}",
        panel.right()
    );
}

fn assert_close(got: f32, want: f32, what: &str) {
    assert!((got - want).abs() <= 1.0, "{what}: {got}, expected {want}");
}

#[test]
fn dragging_the_right_panel_edge_sets_its_width_within_limits() {
    let mut h = harness(ArchboardApp::with_example());
    assert_eq!(h.state().prefs.side_panel_width, None);
    assert_close(inspector_width(&h), SIDE_PANEL_WIDTH, "default width");

    // 100 points to the left: a width inside the limits is kept as dragged.
    let want = SIDE_PANEL_WIDTH + 100.0;
    let end = right_end(&h);
    drag_edge_to(&mut h, end - want);
    let stored = h
        .state()
        .prefs
        .side_panel_width
        .expect("a dragged width is stored");
    assert_close(stored, want, "stored width");
    assert_close(inspector_width(&h), want, "shown width");
    assert!(
        canvas_right(&h) <= end - want + 1.0,
        "the canvas gives way to the wider panel"
    );
    // It stays put while nothing drags it.
    for _ in 0..5 {
        h.step();
    }
    assert_close(inspector_width(&h), want, "width a few frames later");

    // Far to the left: clamped to the widest allowed.
    drag_edge_to(&mut h, 40.0);
    let widest = *SIDE_PANEL_WIDTHS.end();
    assert_close(h.state().prefs.side_panel_width.unwrap(), widest, "widest");
    assert_close(inspector_width(&h), widest, "shown widest");

    // Into the window's right edge: clamped to the narrowest allowed.
    drag_edge_to(&mut h, end - 2.0);
    let narrowest = *SIDE_PANEL_WIDTHS.start();
    assert_close(
        h.state().prefs.side_panel_width.unwrap(),
        narrowest,
        "narrowest",
    );
    assert_close(inspector_width(&h), narrowest, "shown narrowest");
}

#[test]
fn a_width_the_user_never_set_is_not_stored() {
    let mut h = harness(ArchboardApp::with_example());
    // Every tab, including the one with the widest content.
    for tab in [
        "Inspector tab",
        "Interview tab",
        "Checklist tab",
        "Inspector tab",
    ] {
        h.get_by_label(tab).click();
        h.run();
        assert_close(inspector_width(&h), SIDE_PANEL_WIDTH, tab);
        assert_nothing_sticks_out(&h, tab);
    }
    // Dragging the other panel stores that one only.
    let palette_edge = pos2(panel_rect(&h, "palette").right() - 2.0, 400.0);
    drag(
        &mut h,
        palette_edge,
        palette_edge + egui::vec2(60.0, 0.0),
        Modifiers::NONE,
    );
    h.run();
    assert!(h.state().prefs.palette_width.is_some(), "the palette's is");
    assert_eq!(h.state().prefs.side_panel_width, None);
}

#[test]
fn an_expanded_long_finding_wraps_instead_of_widening_the_panel() {
    let mut h = harness(ArchboardApp::with_example());
    h.get_by_label("Checklist tab").click();
    h.run();
    let canvas_before = canvas_right(&h);
    // The longest finding message on the example design, expanded.
    let longest = {
        let app = h.state();
        let diagram = app.session.diagram().clone();
        let findings = app.session.findings().to_vec();
        archboard::rules::review(&diagram, &findings)
            .open
            .iter()
            .map(|f| f.message.clone())
            .max_by_key(|m| m.len())
            .expect("the example has findings")
    };
    assert!(longest.len() > 40, "a long one: {longest}");
    h.get_by_label(&longest).scroll_to_me();
    h.run();
    h.get_by_label(&longest).click();
    h.run();
    for _ in 0..5 {
        h.step();
    }
    assert_close(inspector_width(&h), SIDE_PANEL_WIDTH, "width when expanded");
    assert_close(canvas_right(&h), canvas_before, "the canvas's right edge");
    assert_nothing_sticks_out(&h, "the expanded finding");
    // Its accept flow (a note field and two buttons) fits too.
    h.get_by_label("Accept as trade-off…").scroll_to_me();
    h.run();
    h.get_by_label("Accept as trade-off…").click();
    h.run();
    h.get_by_label("Trade-off note");
    assert_close(
        inspector_width(&h),
        SIDE_PANEL_WIDTH,
        "width when accepting",
    );
    assert_nothing_sticks_out(&h, "the trade-off note");
    assert_eq!(h.state().prefs.side_panel_width, None);
}
