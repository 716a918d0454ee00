//! Replacing the open design through the real UI, with no edit in between:
//! File → New design, New from template for every template in turn, Open of
//! a saved file (dropped on the window) and Restore after a crash. After
//! each, the checklist counts, the status bar, and the cards and wires that
//! can be found by accessible label are the new design's, and nothing of the
//! old one remains. (The last release showed the previous design's findings
//! after File → New while every test passed.)

// Helpers outside #[test] functions may panic too: this is test code.
#![allow(clippy::unwrap_used)]

mod ui_common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use archboard::app::{Document, Session};
use archboard::model::Diagram;
use archboard::rules;
use archboard::ui::ArchboardApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ui_common::harness;

/// A file dropped on the window, as the platform layer would hand it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn start() -> Harness<'static, ArchboardApp> {
    harness(ArchboardApp::new(Document::new(
        archboard::ui::startup_design(),
    )))
}

/// The accessible labels the canvas gives a design's cards and wires.
fn labels(d: &Diagram) -> Vec<String> {
    let name = |id| d.component(id).map_or("?", |c| c.name.as_str());
    d.components
        .iter()
        .map(|c| c.name.clone())
        .chain(
            d.connections
                .iter()
                .map(|c| format!("Connection from {} to {}", name(c.from), name(c.to))),
        )
        .collect()
}

fn found(h: &Harness<'_, ArchboardApp>, label: &str) -> bool {
    h.query_all_by_label(label).next().is_some()
}

/// Asserts that the window shows `now` and nothing of `before`.
fn assert_shows(h: &mut Harness<'_, ArchboardApp>, now: &Diagram, before: &Diagram, step: &str) {
    // Settle: the canvas fits the new design on the next frame.
    h.run();
    assert!(
        h.state().session.diagram() == now,
        "{step}: the session holds {:?}, not {:?}",
        h.state().session.diagram().title,
        now.title
    );

    let findings = rules::check(now);
    let review = rules::review(now, &findings);
    let summary = rules::summary_text(
        review.open_count(rules::Severity::Error),
        review.open_count(rules::Severity::Warning),
        review.open_count(rules::Severity::Info),
    );
    assert!(
        found(h, &summary),
        "{step}: the status bar and checklist say {summary:?}"
    );
    assert_eq!(
        h.state().session.findings(),
        findings.as_slice(),
        "{step}: the checklist is this design's"
    );
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let counts = format!(
        "{} · {}",
        plural(now.components.len(), "component"),
        plural(now.connections.len(), "connection")
    );
    assert!(found(h, &counts), "{step}: the status bar says {counts:?}");
    assert_eq!(
        h.state().canvas.badges().len(),
        rules::review(now, &findings)
            .open
            .iter()
            .filter_map(|f| match f.subject {
                archboard::model::Subject::Component(id)
                | archboard::model::Subject::Connection(id) => Some(id),
                _ => None,
            })
            .collect::<std::collections::HashSet<_>>()
            .len(),
        "{step}: one badge per item with open findings"
    );

    let expected = labels(now);
    for label in &expected {
        assert!(found(h, label), "{step}: {label:?} is on the canvas");
    }
    for label in labels(before) {
        if !expected.contains(&label) {
            assert!(!found(h, &label), "{step}: {label:?} is gone");
        }
    }
}

/// Opens a menu and clicks an item (whose label may end in its shortcut).
fn click_menu(h: &mut Harness<'_, ArchboardApp>, menu: &str, item: &str) {
    h.get_by_label(menu).click();
    h.run();
    h.get_by_label_contains(item).click();
    h.run();
}

#[test]
fn new_templates_open_and_restore_each_show_only_the_new_design() {
    let mut h = start();
    let mut before = h.state().session.diagram().clone();
    assert_shows(&mut h, &before.clone(), &Diagram::new("nothing"), "start");

    click_menu(&mut h, "File", "New design");
    let empty = Diagram::new("Untitled design");
    assert_shows(&mut h, &empty, &before, "File → New design");
    before = empty;

    for template in archboard::templates::all() {
        click_menu(&mut h, "File", "New from template…");
        let label = format!("Open {} {}", template.title, template.variant.as_str());
        h.get_by_label(&label).click();
        let now = template.diagram().unwrap();
        assert_shows(&mut h, &now, &before, &label);
        assert!(!h.state().session.is_dirty(), "{label}: nothing to save");
        before = now;
    }

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("saved.ron");
    let saved = archboard::templates::find("order-processing-reference")
        .unwrap()
        .diagram()
        .unwrap();
    archboard::io::save(&path, &saved).unwrap();
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path.clone())));
    h.run();
    assert_shows(&mut h, &saved, &before, "Open a saved file");
    assert_eq!(h.state().session.path(), Some(path.as_path()));
}

#[test]
fn restore_after_a_crash_shows_only_the_restored_design() {
    let data = tempfile::tempdir().unwrap();
    let crashed = archboard::templates::find("catalogue-caching-starter")
        .unwrap()
        .diagram()
        .unwrap();
    // A run that crashed: its recovery file stays, its lock is gone.
    let store = archboard::io::recovery::RecoveryStore::open(data.path()).unwrap();
    let slot = store
        .claim(&archboard::io::recovery::DocKey::untitled())
        .unwrap();
    slot.write(&crashed, None).unwrap();
    drop(slot);
    let session = Session::new(Document::new(archboard::ui::startup_design()))
        .with_data_dir(Some(data.path().to_path_buf()));
    let mut h = harness(ArchboardApp::with_session(session));
    let before = h.state().session.diagram().clone();
    h.get_by_label(&format!("Restore {}", crashed.title))
        .click();
    h.run();
    assert_shows(&mut h, &crashed, &before, "Restore");
    assert!(
        h.state().session.is_dirty(),
        "restored work still needs saving"
    );
}

#[test]
fn undo_after_opening_a_template_does_not_reach_into_the_previous_design() {
    let mut h = start();
    click_menu(&mut h, "File", "New from template…");
    let template = archboard::templates::find("url-shortener-reference").unwrap();
    h.get_by_label(&format!("Open {} reference", template.title))
        .click();
    h.run();
    assert!(h.state().session.undo_label().is_none(), "a fresh history");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().session.diagram(), &template.diagram().unwrap());
}
