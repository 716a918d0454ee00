//! File commands through the real UI: save, open (by dropping a file on the
//! window), errors that keep the open diagram, the unsaved-changes prompt,
//! autosave and the offer to restore.

// Helpers outside #[test] functions may panic too: this is test code.
#![allow(clippy::unwrap_used)]

mod ui_common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use archboard::app::example::example_design;
use archboard::app::{Command, Document, FileCommand, Session};
use archboard::catalog::ComponentKind;
use archboard::io;
use archboard::model::{Diagram, Point};
use archboard::ui::ArchboardApp;
use egui::{Key, Modifiers};
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

fn drop_file(h: &mut Harness<'_, ArchboardApp>, path: &Path) {
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path.to_path_buf())));
    h.run();
}

fn add_cache(h: &mut Harness<'_, ArchboardApp>) {
    h.state_mut()
        .session
        .execute(Command::AddComponent {
            kind: ComponentKind::Cache,
            near: Point::new(0.0, 400.0),
        })
        .unwrap();
    h.run();
}

/// The app on the example design, autosaving into `data`.
fn app_with_data(data: &Path) -> ArchboardApp {
    let session =
        Session::new(Document::new(example_design())).with_data_dir(Some(data.to_path_buf()));
    ArchboardApp::with_session(session)
}

fn saved_example(dir: &Path) -> PathBuf {
    let path = dir.join("chat.ron");
    io::save(&path, &archboard::app::example::example_design()).unwrap();
    path
}

#[test]
fn ctrl_s_saves_and_dropping_the_file_opens_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_example(dir.path());
    let doc = Document::from_file(io::load(&path).unwrap(), path.clone());
    let mut h = harness(ArchboardApp::new(doc));
    assert_eq!(h.state().session.window_title(), "chat.ron — Archboard");

    add_cache(&mut h);
    assert!(h.state().session.is_dirty());
    assert!(
        h.state().session.window_title().starts_with('●'),
        "dirty marker"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(!h.state().session.is_dirty());
    let saved = h.state().session.diagram().clone();
    assert_eq!(io::load(&path).unwrap(), saved, "the file holds the edit");

    // Change the open design, then open the saved file again.
    let session = &mut h.state_mut().session;
    session
        .execute(Command::SetTitle("Something else".into()))
        .unwrap();
    session.execute(Command::EndGesture).unwrap();
    // Discard the change when asked.
    drop_file(&mut h, &path);
    h.get_by_label("Discard").click();
    h.run();
    assert_eq!(h.state().session.diagram(), &saved);
    assert_eq!(h.state().session.path(), Some(path.as_path()));
    assert!(!h.state().session.is_dirty());
    assert_eq!(
        h.state().prefs.recent.first().map(|p| p.file_name()),
        Some(path.file_name())
    );
}

#[test]
fn opening_a_broken_file_shows_the_error_and_keeps_the_diagram() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.ron");
    std::fs::write(
        &broken,
        "(format_version: 1, title: \"x\", components: [oops",
    )
    .unwrap();
    let mut h = harness(ArchboardApp::with_example());
    let before = h.state().session.diagram().clone();

    drop_file(&mut h, &broken);
    let message = h.state().session.file_error().unwrap().to_owned();
    assert!(message.contains("line 1"), "{message}");
    assert!(message.contains("broken.ron"), "{message}");
    assert!(
        h.query_by_label_contains("Could not open the design")
            .is_some()
    );
    assert_eq!(h.state().session.diagram(), &before);

    h.get_by_label("OK").click();
    h.run();
    assert!(h.state().session.file_error().is_none());
    assert_eq!(h.state().session.diagram(), &before);
}

#[test]
fn a_failed_save_keeps_the_design_dirty_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_example(dir.path());
    let original = std::fs::read(&path).unwrap();
    let doc = Document::from_file(
        io::load(&path).unwrap(),
        dir.path().join("missing/folder/chat.ron"),
    );
    let mut h = harness(ArchboardApp::new(doc));
    add_cache(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(h.state().session.is_dirty());
    let message = h.state().session.file_error().unwrap();
    assert!(
        message.starts_with("Could not save the design"),
        "{message}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        original,
        "other files untouched"
    );
}

#[test]
fn new_with_unsaved_changes_asks_first() {
    let mut h = harness(ArchboardApp::with_example());
    add_cache(&mut h);
    let edited = h.state().session.diagram().clone();

    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    assert!(h.query_by_label_contains("Save the changes to").is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(
        h.state().session.diagram(),
        &edited,
        "cancel keeps everything"
    );

    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    h.get_by_label("Discard").click();
    h.run();
    assert!(h.state().session.diagram().components.is_empty());
    assert!(!h.state().session.is_dirty());
}

#[test]
fn quitting_with_unsaved_changes_asks_and_discard_quits() {
    let mut h = harness(ArchboardApp::with_example());
    add_cache(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    h.run();
    assert!(!h.state().session.quit_requested());
    h.get_by_label("Discard").click();
    h.run();
    assert!(h.state().session.quit_requested());
}

/// The recovery file this window writes to, if it has one on disk.
fn recovery_on_disk(h: &Harness<'_, ArchboardApp>) -> Option<PathBuf> {
    h.state()
        .session
        .recovery_file()
        .filter(|f| f.exists())
        .map(Path::to_path_buf)
}

#[test]
fn autosave_writes_a_recovery_file_that_is_offered_and_restored() {
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(app_with_data(data.path()));
    assert!(recovery_on_disk(&h).is_none(), "nothing to recover yet");
    add_cache(&mut h);
    let edited: Diagram = h.state().session.diagram().clone();
    assert!(
        recovery_on_disk(&h).is_some(),
        "the first change is autosaved"
    );
    // The window goes away without saving (as in a crash).
    drop(h);

    // A new session finds it and offers it.
    let mut h = harness(app_with_data(data.path()));
    assert!(h.query_by_label("Restore unsaved work?").is_some());
    h.get_by_label(&format!("Restore {}", edited.title)).click();
    h.run();
    assert_eq!(h.state().session.diagram(), &edited);
    assert!(
        h.state().session.is_dirty(),
        "restored work still needs saving"
    );

    // Saving it removes the recovery file.
    let file = recovery_on_disk(&h).expect("the restored work keeps its recovery file");
    let target = data.path().join("restored.ron");
    h.state_mut()
        .session
        .execute(Command::File(FileCommand::SaveTo(target)))
        .unwrap();
    assert!(!file.exists());
    drop(h);
    let h = harness(app_with_data(data.path()));
    assert!(h.state().session.recovery_offers().is_empty());
}

#[test]
fn undoing_back_to_the_saved_state_removes_the_recovery_file() {
    let data = tempfile::tempdir().unwrap();
    let mut h = harness(app_with_data(data.path()));
    add_cache(&mut h);
    let file = recovery_on_disk(&h).unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(!h.state().session.is_dirty());
    assert!(!file.exists(), "nothing left to recover");
}

#[test]
fn file_new_from_template_opens_the_chosen_design_unsaved() {
    let mut h = harness(ArchboardApp::with_example());
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("New from template…").click();
    h.run();
    let template = archboard::templates::find("url-shortener-reference").unwrap();
    h.get_by_label(&format!("Open {} reference", template.title))
        .click();
    h.run();
    assert_eq!(h.state().session.diagram(), &template.diagram().unwrap());
    assert!(
        h.state().session.path().is_none(),
        "not tied to any file yet"
    );
}

#[test]
fn the_app_starts_on_the_chat_starter_template() {
    let starter = archboard::templates::find(archboard::ui::STARTUP_TEMPLATE).unwrap();
    assert_eq!(archboard::ui::startup_design(), starter.diagram().unwrap());
    assert_eq!(starter.variant, archboard::templates::Variant::Starter);
}
