//! What the canvas shows of every built-in design at the window size people
//! use (1280×800, default panels), fitted and at 100%: no wire caption
//! covers a card or another caption, and no two checklist badges overlap.

// Helpers outside #[test] functions may panic too: this is test code.
#![allow(clippy::unwrap_used)]

mod ui_common;

use archboard::app::Document;
use archboard::ui::ArchboardApp;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use ui_common::harness;

fn overlap(a: archboard::model::Rect, b: archboard::model::Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

fn check(h: &Harness<'_, ArchboardApp>, name: &str, zoom: &str) {
    let app = h.state();
    let d = app.session.diagram();
    let captions = app.canvas.placed_captions(d);
    for (id, caption) in &captions {
        for card in &d.components {
            assert!(
                !overlap(caption.rect(), card.rect()),
                "{name} {zoom}: the caption {:?} of wire {id} covers {}",
                caption.text,
                card.name
            );
        }
    }
    for (i, (a, ca)) in captions.iter().enumerate() {
        for (b, cb) in &captions[i + 1..] {
            assert!(
                !overlap(ca.rect(), cb.rect()),
                "{name} {zoom}: captions of wires {a} and {b} overlap"
            );
        }
    }
    let spots = app.canvas.badge_spots(d);
    for (i, a) in spots.iter().enumerate() {
        for b in &spots[i + 1..] {
            assert!(
                !a.rect().intersects(b.rect()),
                "{name} {zoom}: badges of {:?} and {:?} overlap",
                a.ids,
                b.ids
            );
        }
    }
}

#[test]
fn captions_cover_no_card_and_badges_never_overlap_on_every_template() {
    for template in archboard::templates::all() {
        let diagram = template.diagram().unwrap();
        let mut h = harness(ArchboardApp::new(Document::new(diagram)));
        check(&h, template.name, "fitted");
        assert!(
            template.variant != archboard::templates::Variant::Starter
                || !h
                    .state()
                    .canvas
                    .badge_spots(h.state().session.diagram())
                    .is_empty()
                || h.state().canvas.view.zoom() < 0.4,
            "{}: a starter shows badges",
            template.name
        );
        // 100%, on the design's top-left corner.
        h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
        h.run();
        check(&h, template.name, "at 100%");
    }
}
