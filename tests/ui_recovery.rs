//! Never losing work, end to end through the real UI: two windows sharing
//! one data folder keep their own recovery files, both are offered when both
//! crash, a change made to the open file by another program is noticed
//! before a save overwrites it (and offered as a reload while the design is
//! clean), and files the model forbids are refused with a message.
//!
//! "A window crashes" is a harness dropped without Save or Discard: its
//! recovery file stays and its lock goes, as when the process ends.

// Helpers outside #[test] functions may panic too: this is test code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_common;

use std::path::{Path, PathBuf};

use archboard::app::{Command, DiskNotice, Document, FileCommand, Session};
use archboard::catalog::ComponentKind;
use archboard::io;
use archboard::model::{Diagram, Point};
use archboard::ui::ArchboardApp;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ui_common::harness;

fn template(name: &str) -> Diagram {
    archboard::templates::find(name).unwrap().diagram().unwrap()
}

/// A window on `diagram` (unsaved) that autosaves into `data`.
fn window(data: &Path, diagram: Diagram) -> Harness<'static, ArchboardApp> {
    let session = Session::new(Document::new(diagram)).with_data_dir(Some(data.to_path_buf()));
    harness(ArchboardApp::with_session(session))
}

/// A window that opens `path` and autosaves into `data`.
fn window_on_file(data: &Path, path: &Path) -> Harness<'static, ArchboardApp> {
    let mut session = Session::new(Document::default()).with_data_dir(Some(data.to_path_buf()));
    session
        .execute(Command::File(FileCommand::OpenPath(path.to_path_buf())))
        .unwrap();
    harness(ArchboardApp::with_session(session))
}

fn add_card(h: &mut Harness<'_, ArchboardApp>, kind: ComponentKind) {
    h.state_mut()
        .session
        .execute(Command::AddComponent {
            kind,
            near: Point::new(3000.0, 3000.0),
        })
        .unwrap();
    h.run();
}

fn recovery_file(h: &Harness<'_, ArchboardApp>) -> PathBuf {
    h.state()
        .session
        .recovery_file()
        .filter(|f| f.exists())
        .map(Path::to_path_buf)
        .expect("an unsaved change is autosaved")
}

fn offered_titles(h: &Harness<'_, ArchboardApp>) -> Vec<String> {
    let mut titles: Vec<String> = h
        .state()
        .session
        .recovery_offers()
        .iter()
        .map(|o| o.title().unwrap_or("?").to_owned())
        .collect();
    titles.sort();
    titles
}

#[test]
fn two_windows_keep_their_own_unsaved_work() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let path_a = files.path().join("a.ron");
    io::save(&path_a, &template("url-shortener-starter")).unwrap();

    let mut a = window_on_file(data.path(), &path_a);
    let mut b = window(data.path(), template("realtime-chat-starter"));
    add_card(&mut a, ComponentKind::Cache);
    add_card(&mut b, ComponentKind::Queue);
    let file_a = recovery_file(&a);
    let file_b = recovery_file(&b);
    assert_ne!(file_a, file_b, "one recovery file per document");

    // A third window, started while both run, offers neither.
    let c = window(data.path(), Diagram::default());
    assert!(
        c.state().session.recovery_offers().is_empty(),
        "running windows' work is not offered as if they had crashed"
    );
    drop(c);

    // Saving in A removes A's recovery file only.
    a.key_press_modifiers(Modifiers::COMMAND, Key::S);
    a.run();
    assert!(!a.state().session.is_dirty());
    assert!(!file_a.exists(), "saved work needs no recovery");
    assert!(file_b.exists(), "the other window's work is untouched");

    // B crashes: the next start offers B's work and only that.
    let b_design = b.state().session.diagram().clone();
    drop(b);
    let mut next = window(data.path(), Diagram::default());
    assert_eq!(offered_titles(&next), vec![b_design.title.clone()]);
    next.get_by_label(&format!("Restore {}", b_design.title))
        .click();
    next.run();
    assert_eq!(next.state().session.diagram(), &b_design);
}

#[test]
fn when_two_windows_crash_both_are_offered() {
    let data = tempfile::tempdir().unwrap();
    let mut a = window(data.path(), template("order-processing-starter"));
    let mut b = window(data.path(), template("catalogue-caching-starter"));
    add_card(&mut a, ComponentKind::Service);
    add_card(&mut b, ComponentKind::Cache);
    let (design_a, design_b) = (
        a.state().session.diagram().clone(),
        b.state().session.diagram().clone(),
    );
    drop(a);
    drop(b);

    let mut next = window(data.path(), Diagram::default());
    let mut expected = vec![design_a.title.clone(), design_b.title.clone()];
    expected.sort();
    assert_eq!(offered_titles(&next), expected, "both crashes are offered");

    // Restore one, discard the other: nothing is left over.
    next.get_by_label(&format!("Restore {}", design_a.title))
        .click();
    next.run();
    assert_eq!(next.state().session.diagram(), &design_a);
    next.get_by_label(&format!("Discard {}", design_b.title))
        .click();
    next.run();
    assert!(next.state().session.recovery_offers().is_empty());
    drop(next);
    // The restored one is still this (crashed) window's unsaved work.
    let after = window(data.path(), Diagram::default());
    assert_eq!(offered_titles(&after), vec![design_a.title]);
}

#[test]
fn a_change_on_disk_is_not_overwritten_by_save_without_asking() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("design.ron");
    io::save(&path, &template("url-shortener-starter")).unwrap();
    let mut h = window_on_file(data.path(), &path);
    add_card(&mut h, ComponentKind::Cache);

    // Another program (a git pull, another editor) rewrites the file.
    let theirs = template("url-shortener-reference");
    io::save(&path, &theirs).unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert_eq!(
        h.state().session.disk_notice(),
        Some(DiskNotice::SaveConflict { deleted: false })
    );
    assert!(h.query_by_label("The file changed on disk").is_some());
    assert_eq!(io::load(&path).unwrap(), theirs, "their change is intact");
    assert!(h.state().session.is_dirty(), "ours is not saved either");

    // Overwrite writes ours.
    h.get_by_label("Overwrite").click();
    h.run();
    assert_eq!(&io::load(&path).unwrap(), h.state().session.diagram());
    assert!(!h.state().session.is_dirty());

    // Reload theirs drops ours instead.
    add_card(&mut h, ComponentKind::Queue);
    io::save(&path, &theirs).unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    h.get_by_label("Reload theirs").click();
    h.run();
    assert_eq!(h.state().session.diagram(), &theirs);
    assert!(!h.state().session.is_dirty());
}

#[test]
fn a_clean_design_is_offered_a_reload_and_a_deleted_file_is_noticed() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("design.ron");
    io::save(&path, &template("multi-tenant-saas-starter")).unwrap();
    let mut h = window_on_file(data.path(), &path);
    let theirs = template("multi-tenant-saas-reference");
    io::save(&path, &theirs).unwrap();

    // The window regains the focus.
    h.state_mut()
        .session
        .execute(Command::File(FileCommand::CheckDisk))
        .unwrap();
    h.run();
    assert_eq!(h.state().session.disk_notice(), Some(DiskNotice::Changed));
    h.get_by_label("Reload").click();
    h.run();
    assert_eq!(h.state().session.diagram(), &theirs);

    std::fs::remove_file(&path).unwrap();
    h.state_mut()
        .session
        .execute(Command::File(FileCommand::CheckDisk))
        .unwrap();
    h.run();
    assert_eq!(h.state().session.disk_notice(), Some(DiskNotice::Deleted));
    assert!(h.query_by_label_contains("was deleted from disk").is_some());
    h.get_by_label("OK").click();
    h.run();
    assert_eq!(h.state().session.diagram(), &theirs, "still open here");
}

#[test]
fn a_file_with_a_self_connection_is_refused_and_the_open_design_kept() {
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("loop.ron");
    let mut design = template("url-shortener-starter");
    let id = design.components[0].id;
    design.connections[0].from = id;
    design.connections[0].to = id;
    std::fs::write(&path, io::to_ron_string(&design).unwrap()).unwrap();

    let mut session = Session::new(Document::new(template("realtime-chat-starter")));
    let before = session.diagram().clone();
    let err = session
        .execute(Command::File(FileCommand::OpenPath(path)))
        .unwrap_err();
    assert!(
        err.to_string().contains("starts and ends at component"),
        "{err}"
    );
    assert_eq!(session.diagram(), &before);
    assert!(!session.is_dirty());
}

#[test]
fn a_design_with_no_ids_left_says_so_and_still_saves_and_reopens() {
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("full.ron");
    let mut design = template("url-shortener-starter");
    design.next_id = u64::MAX - 1;
    io::save(&path, &design).unwrap();
    let data = tempfile::tempdir().unwrap();
    let mut h = window_on_file(data.path(), &path);
    h.get_by_label("Add Queue or topic").click();
    h.run();
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(
        status.starts_with("Could not change the design"),
        "{status}"
    );
    assert_eq!(h.state().session.diagram(), &design, "nothing was added");
    h.state_mut()
        .session
        .execute(Command::File(FileCommand::SaveTo(path.clone())))
        .unwrap();
    assert_eq!(io::load(&path).unwrap(), design, "it opens again");
}
