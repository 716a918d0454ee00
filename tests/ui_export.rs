//! Export, import and copy as image through the real UI: each menu path is
//! clicked by its accessible label, the file dialog is the in-window one
//! (so the whole way to the file on disk runs headless), and what lands on
//! disk or on the clipboard is checked.

// Helpers outside #[test] functions may panic too: this is test code.
#![allow(clippy::unwrap_used)]

mod ui_common;

use std::path::{Path, PathBuf};

use archboard::app::example::example_design;
use archboard::app::{Command, Document, ExportFormat, FileCommand};
use archboard::io;
use archboard::ui::ArchboardApp;
use archboard::ui::clipboard::ImageClipboard;
use archboard::ui::file_dialog::FileDialogs;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ui_common::harness;

/// The app on the example design saved as `chat.ron` in `dir`, with the
/// in-window file dialog and an in-memory clipboard.
fn app_in(dir: &Path) -> (ArchboardApp, PathBuf) {
    let folder = dir.canonicalize().unwrap();
    let path = folder.join("chat.ron");
    io::save(&path, &example_design()).unwrap();
    let doc = Document::from_file(io::load(&path).unwrap(), path.clone());
    let mut app = ArchboardApp::new(doc);
    app.dialogs = FileDialogs::in_window_only();
    app.image_clipboard = ImageClipboard::in_memory();
    (app, path)
}

/// Clicks through a menu: each label in turn.
fn click_menu(h: &mut Harness<'_, ArchboardApp>, labels: &[&str]) {
    for label in labels {
        h.get_by_label(label).click();
        h.run();
    }
}

/// Runs frames until `done` holds (the in-window dialog answers over a
/// couple of frames), at most a few hundred.
fn run_until(h: &mut Harness<'_, ArchboardApp>, done: impl Fn(&ArchboardApp) -> bool) {
    for _ in 0..300 {
        if done(h.state()) {
            return;
        }
        h.step();
    }
    h.run();
}

#[test]
fn file_export_writes_every_format_beside_the_design() {
    let dir = tempfile::tempdir().unwrap();
    let (app, design) = app_in(dir.path());
    let mut h = harness(app);
    let before = h.state().session.diagram().clone();
    for format in ExportFormat::ALL {
        let menu_label = match format {
            ExportFormat::Svg => "SVG…",
            ExportFormat::Png => "PNG…",
            ExportFormat::Pdf => "PDF…",
            ExportFormat::Mermaid => "Mermaid…",
            ExportFormat::MermaidArchitecture => "Mermaid architecture…",
            ExportFormat::D2 => "D2…",
            ExportFormat::Dot => "DOT…",
        };
        click_menu(&mut h, &["File", "Export ⏵", menu_label]);
        assert!(
            h.state().dialogs.is_in_window(),
            "{format:?}: a dialog asks where"
        );
        h.get_by_label(&format!("Export as {}", format.label()));
        h.get_by_label("Save").click();
        let target = design.with_file_name(format.suggested_name("chat"));
        run_until(&mut h, |_| target.exists());
        h.run();
        let bytes = std::fs::read(&target).unwrap_or_else(|_| panic!("{target:?} written"));
        let expected = format
            .render(
                &before,
                &archboard::app::app_export_options(format),
                archboard::app::EXPORT_PNG_SCALE,
            )
            .unwrap();
        if format == ExportFormat::Pdf {
            // PDFs carry a creation id; the start and the size are stable.
            assert!(bytes.starts_with(b"%PDF"), "{format:?}");
        } else {
            assert_eq!(bytes, expected, "{format:?} is the export of the design");
        }
        assert!(
            h.query_by_label_contains(&format!("Exported {}", format.label()))
                .is_some(),
            "the status bar says it for {format:?}: {:?}",
            h.state().session.status()
        );
    }
    assert_eq!(
        h.state().session.diagram(),
        &before,
        "nothing in the design changed"
    );
    assert!(!h.state().session.is_dirty());
    assert_eq!(h.state().session.undo_label(), None);
}

#[test]
fn an_export_never_overwrites_the_design_itself() {
    let dir = tempfile::tempdir().unwrap();
    let (app, design) = app_in(dir.path());
    let mut h = harness(app);
    let original = std::fs::read(&design).unwrap();
    h.state_mut()
        .session
        .send(Command::File(FileCommand::Export {
            format: ExportFormat::Svg,
            path: design.clone(),
        }));
    h.run();
    let message = h.state().session.file_error().unwrap().to_owned();
    assert!(message.contains("the design's own file"), "{message}");
    assert_eq!(std::fs::read(&design).unwrap(), original);
}

#[test]
fn ctrl_shift_c_copies_a_picture_of_the_selection_or_the_design() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app_in(dir.path());
    let mut h = harness(app);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::C);
    h.run();
    let whole = h.state().image_clipboard.last_image().cloned().unwrap();
    assert_eq!(
        whole.rgba.len(),
        whole.width as usize * whole.height as usize * 4
    );
    assert!(
        h.query_by_label_contains("Copied a picture of the design")
            .is_some()
    );
    assert!(!h.state().session.has_clipboard(), "not the item clipboard");

    // One card selected: a picture of just that card, through the Edit menu.
    h.get_by_label("Chat hub").click();
    h.run();
    click_menu(&mut h, &["Edit", "Copy as image Ctrl+Shift+C"]);
    let card = h.state().image_clipboard.last_image().cloned().unwrap();
    assert!(card.width < whole.width && card.height < whole.height);
    assert!(
        h.query_by_label_contains("Copied a picture of the selection")
            .is_some()
    );
}

#[test]
fn without_a_clipboard_copy_as_image_says_so() {
    let mut app = ArchboardApp::with_example();
    app.image_clipboard =
        ImageClipboard::unavailable("there is no clipboard to copy to on this machine");
    let mut h = harness(app);
    click_menu(&mut h, &["Edit", "Copy as image Ctrl+Shift+C"]);
    assert!(
        h.query_by_label_contains("Could not copy the picture: there is no clipboard")
            .is_some()
    );
    assert!(h.state().session.status().unwrap().is_error);
}

/// A Mermaid flowchart as someone else might write it.
const FLOWCHART: &str = "flowchart LR
    web([Web app]) -->|place order| api[Orders API]
    api --> db[(Orders DB)]
    api -.->|OrderPlaced| bus[[Service Bus]]
    bus -.-> mail[Emailer]
";

#[test]
fn file_import_mermaid_replaces_the_design_after_asking_and_is_an_ordinary_design() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app_in(dir.path());
    let mmd = dir.path().canonicalize().unwrap().join("orders.mmd");
    std::fs::write(&mmd, FLOWCHART).unwrap();
    let mut h = harness(app);
    // Unsaved work first, so the import has to ask.
    h.state_mut()
        .session
        .execute(Command::SetTitle("Edited".to_owned()))
        .unwrap();
    h.state_mut().session.execute(Command::EndGesture).unwrap();

    click_menu(&mut h, &["File", "Import Mermaid…"]);
    h.get_by_label("Import Mermaid");
    // Pick the file in the in-window dialog.
    h.get_by_label_contains("orders.mmd").click();
    h.run();
    h.get_by_label("Open").click();
    run_until(&mut h, |app| app.session.prompt().is_some());
    h.run();
    assert!(
        h.query_by_label_contains("before importing a design")
            .is_some()
    );
    h.get_by_label("Discard").click();
    h.run();

    let session = &h.state().session;
    let d = session.diagram();
    let names: Vec<&str> = d.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Web app",
            "Orders API",
            "Orders DB",
            "Service Bus",
            "Emailer"
        ]
    );
    assert_eq!(d.connections.len(), 4);
    assert!(
        session.path().is_none(),
        "a new design, not tied to the .mmd"
    );
    assert!(!session.findings().is_empty(), "the checklist runs on it");
    assert!(h.query_by_label_contains("Imported orders.mmd").is_some());

    // Undo works on it like on any design, and it saves and loads.
    let imported = d.clone();
    let api = d
        .components
        .iter()
        .find(|c| c.name == "Orders API")
        .unwrap()
        .id;
    h.state_mut()
        .session
        .execute(Command::Rename {
            id: api,
            text: "Checkout".to_owned(),
        })
        .unwrap();
    h.state_mut().session.execute(Command::EndGesture).unwrap();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().session.diagram(), &imported);
    let saved = dir.path().join("orders.ron");
    h.state_mut()
        .session
        .execute(Command::File(FileCommand::SaveTo(saved.clone())))
        .unwrap();
    assert_eq!(io::load(&saved).unwrap(), imported);
}

#[test]
fn a_broken_mermaid_file_says_where_and_keeps_the_design_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = app_in(dir.path());
    let mmd = dir.path().join("broken.mmd");
    std::fs::write(&mmd, "flowchart LR\n    a[Unclosed --> b\n").unwrap();
    let mut h = harness(app);
    h.state_mut()
        .session
        .execute(Command::SetTitle("Edited".to_owned()))
        .unwrap();
    let before = h.state().session.diagram().clone();
    h.state_mut()
        .session
        .send(Command::File(FileCommand::ImportMermaidFrom(mmd)));
    h.run();
    assert!(h.state().session.prompt().is_none(), "nothing to decide");
    let message = h.state().session.file_error().unwrap().to_owned();
    assert!(
        message.starts_with("Could not import the Mermaid file: 2:"),
        "{message}"
    );
    assert!(message.contains("broken.mmd"), "{message}");
    assert!(
        h.query_by_label_contains("Could not import the Mermaid file")
            .is_some()
    );
    assert_eq!(h.state().session.diagram(), &before);
}

#[test]
fn the_session_report_embeds_the_design_and_a_picture_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let (app, design) = app_in(dir.path());
    let mut h = harness(app);
    click_menu(&mut h, &["Interview", "Export session report…"]);
    h.get_by_label("Export session report");
    h.get_by_label("Save").click();
    let report = design.with_file_name("Real-time chat (starter) session report.md");
    run_until(&mut h, |_| report.exists());
    let text = std::fs::read_to_string(&report).unwrap();
    let picture = report.with_extension("png");
    assert!(picture.exists(), "a PNG beside the report");
    assert!(std::fs::read(&picture).unwrap().starts_with(b"\x89PNG"));
    assert!(
        text.contains("![The design](Real-time%20chat%20%28starter%29%20session%20report.png)"),
        "{text}"
    );
    let mermaid = archboard::export::mermaid(h.state().session.diagram());
    assert!(text.contains(&format!("```mermaid\n{}\n```", mermaid.trim_end())));
}
