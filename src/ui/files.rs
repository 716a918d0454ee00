//! File commands of the app: new, open, save, save as, recent files, drop to
//! open, the unsaved-changes prompt, autosave to a recovery file and the
//! offer to restore it. The disk work is in [`crate::io`]; this module is the
//! conversation with the user around it.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use egui::{Modal, RichText, Ui};

use super::ArchboardApp;
use super::file_dialog::{DialogOutcome, DialogPurpose, FileDialogs};
use crate::app::Document;
use crate::io::recovery::{self, Recovery};
use crate::model::Diagram;

/// How often a dirty design is copied to the recovery file.
pub const AUTOSAVE_INTERVAL: Duration = Duration::from_secs(30);
/// How many recent files the File menu keeps.
const RECENT_LIMIT: usize = 8;

/// What to do once the unsaved-changes question is answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    New,
    /// Open a built-in template (by name) as a new, unsaved design.
    Template(&'static str),
    OpenDialog,
    OpenPath(PathBuf),
    Quit,
}

/// File-related state of the app.
pub struct Files {
    pub dialogs: FileDialogs,
    /// Waiting for Save / Discard / Cancel before doing this.
    prompt: Option<Pending>,
    /// Continue with this once a Save as… dialog has saved.
    after_save_as: Option<Pending>,
    /// An error to show in a dialog until dismissed.
    pub(super) error: Option<String>,
    /// Unsaved work found at start, offered for restore.
    pub recovery_offer: Option<Recovery>,
    /// Where the recovery file lives (`None`: no autosave).
    pub data_dir: Option<PathBuf>,
    last_autosave: Option<f64>,
    autosaved_revision: u64,
    /// Whether this session has written the recovery file (so it is ours to
    /// remove when the design is back to its saved state).
    recovery_written: bool,
    /// The user agreed to quit (the next close request is let through).
    quit_confirmed: bool,
}

impl Files {
    pub fn new(dialogs: FileDialogs, data_dir: Option<PathBuf>) -> Self {
        Self {
            dialogs,
            prompt: None,
            after_save_as: None,
            error: None,
            recovery_offer: None,
            data_dir,
            last_autosave: None,
            autosaved_revision: 0,
            recovery_written: false,
            quit_confirmed: false,
        }
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn is_prompting(&self) -> bool {
        self.prompt.is_some()
    }
}

/// The last dirty diagram, for the panic hook to write to the recovery file.
static CRASH_SNAPSHOT: Mutex<Option<(Diagram, Option<PathBuf>)>> = Mutex::new(None);

/// Writes the last snapshot to the recovery file when the app panics (after
/// the default hook has printed the message).
pub fn install_panic_hook(data_dir: PathBuf) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        previous(info);
        // try_lock: the panic may have happened while the lock was held.
        if let Ok(guard) = CRASH_SNAPSHOT.try_lock()
            && let Some((diagram, path)) = guard.as_ref()
        {
            match recovery::write(&data_dir, diagram, path.as_deref()) {
                Ok(()) => eprintln!(
                    "archboard: your unsaved design was kept; it will be offered when you start Archboard again"
                ),
                Err(err) => eprintln!("archboard: could not keep the unsaved design: {err}"),
            }
        }
    }));
}

fn ago(saved_at: SystemTime) -> String {
    let secs = SystemTime::now()
        .duration_since(saved_at)
        .map_or(0, |d| d.as_secs());
    match secs {
        0..=59 => "less than a minute ago".to_owned(),
        60..=119 => "a minute ago".to_owned(),
        120..=3599 => format!("{} minutes ago", secs / 60),
        3600..=7199 => "an hour ago".to_owned(),
        7200..=86_399 => format!("{} hours ago", secs / 3600),
        _ => format!("{} days ago", secs / 86_400),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

impl ArchboardApp {
    /// "name — Archboard", with a dot when there are unsaved changes.
    pub fn window_title(&self) -> String {
        let doc = &self.editor.doc;
        let name = doc
            .path
            .as_deref()
            .map_or_else(|| self.editor.diagram().title.clone(), file_name);
        let marker = if doc.is_dirty() { "● " } else { "" };
        format!("{marker}{name} — Archboard")
    }

    /// Asks about unsaved changes first when there are any.
    pub(super) fn request(&mut self, pending: Pending) {
        if self.editor.doc.is_dirty() {
            self.files.prompt = Some(pending);
        } else {
            self.proceed(pending);
        }
    }

    fn proceed(&mut self, pending: Pending) {
        match pending {
            Pending::New => {
                self.replace_document(Document::new(Diagram::new("Untitled design")));
                self.status = Some("New design".to_owned());
            }
            Pending::Template(name) => {
                match crate::templates::find(name).map(crate::templates::Template::diagram) {
                    Some(Ok(diagram)) => {
                        self.replace_document(Document::new(diagram));
                        self.status = Some(format!("New design from the {name} template"));
                    }
                    Some(Err(err)) => {
                        self.files.error = Some(format!("Could not open the template: {err}"));
                    }
                    None => self.files.error = Some(format!("There is no template named {name}")),
                }
            }
            Pending::OpenDialog => self.files.dialogs.open(DialogPurpose::Open),
            Pending::OpenPath(path) => {
                self.open_path(&path);
            }
            Pending::Quit => {
                self.files.quit_confirmed = true;
                self.quit_requested = true;
            }
        }
    }

    /// Shows `doc` instead of the current document; the old one is gone
    /// (callers have asked about unsaved changes already).
    fn replace_document(&mut self, doc: Document) {
        self.editor.doc = doc;
        self.editor.selection.clear();
        self.canvas.request_fit();
        self.forget_recovery();
    }

    /// Opens a design file. On failure the current diagram stays as it was
    /// and the error is shown. Returns whether it opened.
    pub fn open_path(&mut self, path: &Path) -> bool {
        match crate::io::load(path) {
            Ok(diagram) => {
                self.replace_document(Document::from_file(diagram, path.to_path_buf()));
                self.remember_recent(path);
                self.status = Some(format!("Opened {}", file_name(path)));
                true
            }
            Err(err) => {
                self.files.error = Some(format!("Could not open the design: {err}"));
                false
            }
        }
    }

    /// Saves to `path` atomically. On failure the old file is untouched, the
    /// design stays dirty and the error is shown. Returns whether it saved.
    pub fn save_to(&mut self, path: &Path) -> bool {
        match crate::io::save(path, self.editor.diagram()) {
            Ok(()) => {
                self.editor.doc.mark_saved(path.to_path_buf());
                self.remember_recent(path);
                self.forget_recovery();
                self.status = Some(format!("Saved {}", file_name(path)));
                true
            }
            Err(err) => {
                self.files.error = Some(format!("Could not save the design: {err}"));
                false
            }
        }
    }

    /// Save: to the current file, or through Save as… when there is none.
    /// Returns true when the design is saved now.
    pub(super) fn save(&mut self) -> bool {
        match self.editor.doc.path.clone() {
            Some(path) => self.save_to(&path),
            None => {
                self.save_as();
                false
            }
        }
    }

    pub(super) fn save_as(&mut self) {
        let title = self.editor.diagram().title.trim().to_owned();
        let stem: String = title
            .chars()
            .filter(|c| !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
            .collect();
        let stem = if stem.is_empty() {
            "design".to_owned()
        } else {
            stem
        };
        if let Some(dir) = self.editor.doc.path.as_deref().and_then(Path::parent) {
            self.files.dialogs.set_start_dir(Some(dir.to_path_buf()));
        }
        self.files.dialogs.open(DialogPurpose::SaveAs {
            suggested_name: format!("{stem}.ron"),
        });
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.prefs.recent.retain(|p| p != &path);
        self.prefs.recent.insert(0, path);
        self.prefs.recent.truncate(RECENT_LIMIT);
    }

    fn forget_recovery(&mut self) {
        if let Some(dir) = &self.files.data_dir {
            let _ = recovery::remove(dir);
        }
        self.files.recovery_written = false;
        if let Ok(mut snapshot) = CRASH_SNAPSHOT.lock() {
            *snapshot = None;
        }
        self.files.autosaved_revision = self.editor.doc.revision();
    }

    /// Per-frame file work: dialogs, dropped files, the close button,
    /// autosave, and the modal dialogs.
    pub(super) fn files_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if let Some(outcome) = self.files.dialogs.update(&ctx) {
            match outcome {
                DialogOutcome::Picked {
                    purpose: DialogPurpose::Open,
                    path,
                } => {
                    self.open_path(&path);
                }
                DialogOutcome::Picked {
                    purpose: DialogPurpose::SaveAs { .. },
                    path,
                } => {
                    if self.save_to(&path)
                        && let Some(next) = self.files.after_save_as.take()
                    {
                        self.proceed(next);
                    }
                }
                DialogOutcome::Picked {
                    purpose: DialogPurpose::ExportReport { .. },
                    path,
                } => {
                    let now = ctx.input(|i| i.time);
                    self.export_report(&path, now);
                }
                DialogOutcome::Cancelled => self.files.after_save_as = None,
            }
        }

        let dropped = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
        if let Some(path) = dropped {
            self.request(Pending::OpenPath(path));
        }

        if ctx.input(|i| i.viewport().close_requested())
            && !self.files.quit_confirmed
            && self.editor.doc.is_dirty()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.files.prompt = Some(Pending::Quit);
        }

        self.autosave(&ctx);
        self.prompt_ui(&ctx);
        self.recovery_ui(&ctx);
        self.error_ui(&ctx);
    }

    fn autosave(&mut self, ctx: &egui::Context) {
        let doc = &self.editor.doc;
        if !doc.is_dirty() {
            // Undone back to the saved state: nothing is left to recover.
            if self.files.recovery_written {
                self.forget_recovery();
            }
            return;
        }
        if doc.revision() == self.files.autosaved_revision {
            return;
        }
        // Keep the crash snapshot current (a clone per change, not per frame).
        if let Ok(mut snapshot) = CRASH_SNAPSHOT.lock() {
            *snapshot = Some((doc.diagram().clone(), doc.path.clone()));
        }
        let now = ctx.input(|i| i.time);
        let due = self
            .files
            .last_autosave
            .is_none_or(|last| now - last >= AUTOSAVE_INTERVAL.as_secs_f64());
        if !due {
            // Come back when it is due, even if nothing else happens.
            ctx.request_repaint_after(AUTOSAVE_INTERVAL);
            return;
        }
        self.files.last_autosave = Some(now);
        self.files.autosaved_revision = doc.revision();
        if let Some(dir) = &self.files.data_dir {
            match recovery::write(dir, doc.diagram(), doc.path.as_deref()) {
                Ok(()) => self.files.recovery_written = true,
                Err(err) => self.status = Some(format!("Autosave failed: {err}")),
            }
        }
    }

    fn prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(pending) = self.files.prompt.clone() else {
            return;
        };
        let name = self
            .editor
            .doc
            .path
            .as_deref()
            .map_or_else(|| self.editor.diagram().title.clone(), file_name);
        let question = match pending {
            Pending::Quit => "before quitting",
            Pending::New | Pending::Template(_) => "before starting a new design",
            Pending::OpenDialog | Pending::OpenPath(_) => "before opening another design",
        };
        let mut answer = None;
        Modal::new(egui::Id::new("unsaved-changes")).show(ctx, |ui| {
            ui.set_max_width(380.0);
            ui.heading("Unsaved changes");
            ui.add_space(6.0);
            ui.label(format!("Save the changes to “{name}” {question}?"));
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if ui.button(RichText::new("Save").strong()).clicked() {
                    answer = Some("save");
                }
                if ui.button("Discard").clicked() {
                    answer = Some("discard");
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    answer = Some("cancel");
                }
            });
        });
        match answer {
            Some("save") => {
                self.files.prompt = None;
                if self.save() {
                    self.proceed(pending);
                } else if self.files.dialogs.is_open() {
                    self.files.after_save_as = Some(pending);
                }
            }
            Some("discard") => {
                self.files.prompt = None;
                self.forget_recovery();
                self.proceed(pending);
            }
            Some(_) => self.files.prompt = None,
            None => {}
        }
    }

    fn recovery_ui(&mut self, ctx: &egui::Context) {
        let Some(offer) = &self.files.recovery_offer else {
            return;
        };
        let what = offer.source_path.as_deref().map_or_else(
            || format!("“{}”", offer.diagram.title),
            |p| format!("“{}”", file_name(p)),
        );
        let when = ago(offer.saved_at);
        let mut restore = None;
        Modal::new(egui::Id::new("recovery")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.heading("Restore unsaved work?");
            ui.add_space(6.0);
            ui.label(format!(
                "Archboard closed before {what} was saved. A copy from {when} was kept."
            ));
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                if ui.button(RichText::new("Restore").strong()).clicked() {
                    restore = Some(true);
                }
                if ui.button("Discard").clicked() {
                    restore = Some(false);
                }
            });
        });
        match restore {
            Some(true) => {
                if let Some(offer) = self.files.recovery_offer.take() {
                    self.editor.doc = Document::restored(offer.diagram, offer.source_path);
                    self.editor.selection.clear();
                    self.canvas.request_fit();
                    self.status = Some("Restored unsaved work; save it to keep it".to_owned());
                }
            }
            Some(false) => {
                self.files.recovery_offer = None;
                self.forget_recovery();
            }
            None => {}
        }
    }

    fn error_ui(&mut self, ctx: &egui::Context) {
        let Some(message) = self.files.error.clone() else {
            return;
        };
        let mut close = false;
        Modal::new(egui::Id::new("file-error")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading("Something went wrong");
            ui.add_space(6.0);
            ui.label(&message);
            ui.add_space(4.0);
            ui.weak("Your open design is unchanged.");
            ui.add_space(10.0);
            if ui.button("OK").clicked()
                || ui.input(|i| i.key_pressed(egui::Key::Enter) || i.key_pressed(egui::Key::Escape))
            {
                close = true;
            }
        });
        if close {
            self.files.error = None;
        }
    }

    /// The File menu's recent-files list.
    pub(super) fn recent_menu_ui(&mut self, ui: &mut Ui) {
        if self.prefs.recent.is_empty() {
            ui.weak("No recent designs");
            return;
        }
        let mut picked = None;
        for path in &self.prefs.recent {
            if ui
                .button(file_name(path))
                .on_hover_text(path.display().to_string())
                .clicked()
            {
                picked = Some(path.clone());
                ui.close();
            }
        }
        ui.separator();
        if ui.button("Clear recent designs").clicked() {
            self.prefs.recent.clear();
            ui.close();
        }
        if let Some(path) = picked {
            self.request(Pending::OpenPath(path));
        }
    }
}
