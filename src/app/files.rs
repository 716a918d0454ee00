//! The file workflow of a session, without the UI: new, open, templates,
//! save, save as, the unsaved-changes question, the error shown after a
//! failed file operation, changes made to the file by other programs, and
//! crash recovery.
//!
//! The disk work is in [`crate::io`]. The dialogs that pick a path are the
//! UI's: the session asks for one ([`DialogRequest`]) and the UI answers with
//! a command ([`FileCommand::OpenPath`], [`FileCommand::SaveTo`] …).
//!
//! Recovery: each open document has its own recovery file in the data
//! folder's store ([`crate::io::recovery::RecoveryStore`]), claimed (and
//! locked) by this process at the document's first unsaved change, written
//! at that change and then every [`AUTOSAVE_INTERVAL`], and from the panic
//! hook. Saving clears it; discarding or replacing the design removes it.
//! At start the session offers the recovery files whose owner is no longer
//! running, so two windows never take each other's work, and when both
//! crash both are offered.
//!
//! Other programs: the session remembers what it loaded or saved (an
//! [`io::FileStamp`]); a save over a file that changed since asks first
//! ([`DiskNotice::SaveConflict`]), and [`FileCommand::CheckDisk`] (sent when
//! the window regains focus) offers a reload when the design is unchanged
//! here but its file changed, and says so when it was deleted.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::io::recovery::{
    DocKey as RecoveryKey, RecoveryError, RecoveryInfo, RecoverySlot, RecoveryStore,
};
use crate::io::{self, FileChange, FileStamp, SaveError};

use super::command::{FileCommand, PromptAnswer};
use super::derived::DocKey;
use super::document::Document;
use super::formats::{EXPORT_PNG_SCALE, ExportFormat, app_export_options};
use super::log::Change;
use super::session::{CommandError, Outcome, Session};
use crate::model::Diagram;

/// How often a dirty design is copied to the recovery file.
pub const AUTOSAVE_INTERVAL: Duration = Duration::from_secs(30);

/// What to do once the unsaved-changes question is answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    New,
    /// A built-in template (by name) as a new, unsaved design.
    Template(String),
    OpenDialog,
    OpenPath(PathBuf),
    /// The Mermaid file read from this path (the design is kept in the
    /// file flow until the question is answered).
    Import(PathBuf),
    Quit,
}

/// The unsaved-changes question, while it is being asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// What is waiting for the answer.
    pub pending: Pending,
    /// The design's display name.
    pub name: String,
}

impl Prompt {
    /// "before quitting", "before opening another design", …
    pub fn reason(&self) -> &'static str {
        match self.pending {
            Pending::Quit => "before quitting",
            Pending::New | Pending::Template(_) => "before starting a new design",
            Pending::OpenDialog | Pending::OpenPath(_) => "before opening another design",
            Pending::Import(_) => "before importing a design",
        }
    }
}

/// A dialog the session needs the UI to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogRequest {
    Open,
    SaveAs {
        suggested_name: String,
        start_dir: Option<PathBuf>,
    },
    ExportReport {
        suggested_name: String,
        start_dir: Option<PathBuf>,
    },
    /// Where to export the design in `format`.
    Export {
        format: ExportFormat,
        suggested_name: String,
        start_dir: Option<PathBuf>,
    },
    /// A Mermaid file to import.
    ImportMermaid {
        start_dir: Option<PathBuf>,
    },
}

/// What the design's file on disk has done behind the session's back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskNotice {
    /// A save found that another program changed (or deleted) the file since
    /// it was opened or last saved; nothing was written.
    SaveConflict { deleted: bool },
    /// The design has no unsaved changes here, but its file changed on disk.
    Changed,
    /// The design's file was deleted; the design is still open here.
    Deleted,
}

/// File-related state of a session.
#[derive(Debug, Default)]
pub struct FileFlow {
    prompt: Option<Prompt>,
    /// Continue with this once a Save as… dialog has saved.
    after_save_as: Option<Pending>,
    /// The error of the last file operation, shown until dismissed.
    pub(super) error: Option<String>,
    dialog: Option<DialogRequest>,
    /// A design imported from Mermaid, waiting for the unsaved-changes
    /// question ([`Pending::Import`]).
    imported: Option<(PathBuf, Diagram)>,
    /// Where recovery files live (`None`: no autosave).
    store: Option<RecoveryStore>,
    data_dir: Option<PathBuf>,
    /// Unsaved work of earlier runs whose owner is no longer running.
    offers: Vec<RecoveryInfo>,
    /// This document's recovery file, once it has had an unsaved change.
    slot: Option<Arc<RecoverySlot>>,
    /// The key of an untitled document's recovery file, kept for the
    /// document's lifetime.
    untitled_key: Option<RecoveryKey>,
    /// Claiming failed for this document; said once, not every frame.
    slot_failed: bool,
    /// What the file looked like when it was loaded or last saved.
    stamp: Option<FileStamp>,
    disk: Option<DiskNotice>,
    last_autosave: Option<super::clock::Timestamp>,
    /// The document state last written to the recovery file.
    autosaved: Option<DocKey>,
    /// The user agreed to quit.
    quit: bool,
    /// The key of this session's entry in the panic hook's snapshots.
    snapshot: Option<u64>,
}

impl Drop for FileFlow {
    /// A session that goes away leaves its recovery file (nothing saved or
    /// discarded it) but no longer needs the panic hook to write it.
    fn drop(&mut self) {
        if let Some(id) = self.snapshot.take() {
            with_snapshots(|map| {
                map.remove(&id);
            });
        }
    }
}

/// The last dirty state of every open document with its recovery file, for
/// the panic hook (keyed by document identity).
type Snapshots = HashMap<u64, (Arc<RecoverySlot>, Diagram, Option<PathBuf>)>;

static CRASH_SNAPSHOTS: Mutex<Option<Snapshots>> = Mutex::new(None);

fn with_snapshots(f: impl FnOnce(&mut Snapshots)) {
    if let Ok(mut guard) = CRASH_SNAPSHOTS.lock() {
        f(guard.get_or_insert_with(HashMap::new));
    }
}

/// Writes the last dirty snapshot of every open document to its recovery
/// file when the process panics (after the previous hook has printed the
/// message).
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        previous(info);
        super::sessions::write_crash_snapshot();
        // try_lock: the panic may have happened while the lock was held.
        let Ok(guard) = CRASH_SNAPSHOTS.try_lock() else {
            return;
        };
        for (slot, diagram, path) in guard.iter().flat_map(|map| map.values()) {
            match slot.write(diagram, path.as_deref()) {
                Ok(()) => eprintln!(
                    "archboard: your unsaved design “{}” was kept; it will be offered when you start Archboard again",
                    diagram.title
                ),
                Err(err) => eprintln!("archboard: could not keep the unsaved design: {err}"),
            }
        }
    }));
}

/// Whether two paths name the same file (both must exist to be the same).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// "1 component", "3 components".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The last component of a path, for messages and titles.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

impl Session {
    /// Autosaves into the recovery store of `data_dir` and offers the
    /// unsaved work of earlier runs found there. A store that cannot be
    /// opened or listed is said in the status bar; the session works
    /// without autosave then.
    pub fn with_data_dir(mut self, data_dir: Option<PathBuf>) -> Self {
        self.files.data_dir.clone_from(&data_dir);
        let Some(dir) = data_dir else {
            return self;
        };
        match RecoveryStore::open(&dir).and_then(|store| Ok((store.orphans()?, store))) {
            Ok((offers, store)) => {
                self.files.offers = offers;
                self.files.store = Some(store);
            }
            Err(err) => self.set_error(format!("Autosave is off: {err}")),
        }
        // Interview sessions of a design that had no file are kept beside
        // the recovery files; they come back with a restored design.
        let pathless = self
            .files
            .offers
            .iter()
            .any(|o| o.recovered.as_ref().is_ok_and(|r| r.source_path.is_none()));
        self.offer_recovered_sessions(Some(&dir), pathless);
        self
    }

    /// The data folder autosave writes to, if any.
    pub fn data_dir(&self) -> Option<&Path> {
        self.files.data_dir.as_deref()
    }

    /// The file the design was opened from or saved to.
    pub fn path(&self) -> Option<&Path> {
        self.document().path()
    }

    /// The design's display name: its file name, or its title.
    pub fn display_name(&self) -> String {
        self.path()
            .map_or_else(|| self.diagram().title.clone(), file_name)
    }

    /// "name — Archboard", with a dot when there are unsaved changes.
    pub fn window_title(&self) -> String {
        let marker = if self.is_dirty() { "● " } else { "" };
        format!("{marker}{} — Archboard", self.display_name())
    }

    /// The unsaved-changes question being asked, if any.
    pub fn prompt(&self) -> Option<&Prompt> {
        self.files.prompt.as_ref()
    }

    /// The error of the last file operation, until dismissed.
    pub fn file_error(&self) -> Option<&str> {
        self.files.error.as_deref()
    }

    /// Unsaved work from earlier runs whose owner is gone, offered for restore.
    pub fn recovery_offers(&self) -> &[RecoveryInfo] {
        &self.files.offers
    }

    /// What the design's file did behind the session's back, while it asks.
    pub fn disk_notice(&self) -> Option<DiskNotice> {
        self.files.disk
    }

    /// The recovery file this document writes to, once it has one.
    pub fn recovery_file(&self) -> Option<&Path> {
        self.files.slot.as_deref().map(RecoverySlot::file)
    }

    /// The dialog the UI should open now (taken once).
    pub fn take_dialog_request(&mut self) -> Option<DialogRequest> {
        self.files.dialog.take()
    }

    /// Whether the user has agreed to quit.
    pub fn quit_requested(&self) -> bool {
        self.files.quit
    }

    pub(super) fn file(
        &mut self,
        command: &FileCommand,
    ) -> Result<(Outcome, Change), CommandError> {
        let change = match command {
            FileCommand::New => self.request(Pending::New)?,
            FileCommand::NewFromTemplate(name) => self.request(Pending::Template(name.clone()))?,
            FileCommand::Open => self.request(Pending::OpenDialog)?,
            FileCommand::OpenPath(path) => self.request(Pending::OpenPath(path.clone()))?,
            FileCommand::Quit => self.request(Pending::Quit)?,
            FileCommand::Save => {
                self.save()?;
                Change::None
            }
            FileCommand::SaveAs => {
                self.ask_save_as();
                Change::None
            }
            FileCommand::SaveTo(path) => {
                self.save_to(path, false)?;
                match self.files.after_save_as.take() {
                    Some(next) => self.proceed(next)?,
                    None => Change::None,
                }
            }
            FileCommand::ExportReportAs => {
                self.ask_export_report();
                Change::None
            }
            FileCommand::ExportReport(path) => {
                self.export_report(path)?;
                Change::None
            }
            FileCommand::ExportAs(format) => {
                self.ask_export(*format);
                Change::None
            }
            FileCommand::Export { format, path } => {
                self.export(*format, path)?;
                Change::None
            }
            FileCommand::ImportMermaid => {
                self.files.dialog = Some(DialogRequest::ImportMermaid {
                    start_dir: self.path().and_then(Path::parent).map(Path::to_path_buf),
                });
                Change::None
            }
            FileCommand::ImportMermaidFrom(path) => self.import_mermaid(path)?,
            FileCommand::Answer(answer) => self.answer(*answer)?,
            FileCommand::DialogCancelled => {
                self.files.after_save_as = None;
                Change::None
            }
            FileCommand::Restore(file) => self.restore(file)?,
            FileCommand::DiscardRecovery(file) => {
                self.discard_offer(file)?;
                Change::None
            }
            FileCommand::LaterRecovery => {
                self.files.offers.clear();
                Change::None
            }
            FileCommand::CheckDisk => {
                self.check_disk();
                Change::None
            }
            FileCommand::Overwrite => {
                self.files.disk = None;
                if let Some(path) = self.path().map(Path::to_path_buf) {
                    self.save_to(&path, true)?;
                }
                match self.files.after_save_as.take() {
                    Some(next) => self.proceed(next)?,
                    None => Change::None,
                }
            }
            FileCommand::Reload => {
                self.files.disk = None;
                match self.path().map(Path::to_path_buf) {
                    Some(path) => self.open_path(&path)?,
                    None => Change::None,
                }
            }
            FileCommand::KeepMine => {
                self.files.disk = None;
                self.files.after_save_as = None;
                Change::None
            }
            FileCommand::DismissError => {
                self.files.error = None;
                Change::None
            }
        };
        Ok((Outcome::default(), change))
    }

    /// Asks about unsaved changes first when there are any.
    fn request(&mut self, pending: Pending) -> Result<Change, CommandError> {
        if self.is_dirty() {
            self.files.prompt = Some(Prompt {
                pending,
                name: self.display_name(),
            });
            Ok(Change::None)
        } else {
            self.proceed(pending)
        }
    }

    fn answer(&mut self, answer: PromptAnswer) -> Result<Change, CommandError> {
        let Some(prompt) = self.files.prompt.take() else {
            return Ok(Change::None);
        };
        match answer {
            PromptAnswer::Save => {
                if self.path().is_some() {
                    // A save conflict asks first; the pending action waits.
                    self.files.after_save_as = Some(prompt.pending.clone());
                    self.save()?;
                    if self.files.disk.is_some() {
                        return Ok(Change::None);
                    }
                    self.files.after_save_as = None;
                    self.proceed(prompt.pending)
                } else {
                    self.ask_save_as();
                    self.files.after_save_as = Some(prompt.pending);
                    Ok(Change::None)
                }
            }
            PromptAnswer::Discard => self.proceed(prompt.pending),
            PromptAnswer::Cancel => {
                if matches!(prompt.pending, Pending::Import(_)) {
                    self.files.imported = None;
                }
                Ok(Change::None)
            }
        }
    }

    fn proceed(&mut self, pending: Pending) -> Result<Change, CommandError> {
        match pending {
            Pending::New => {
                let change = self.replace(Document::new(Diagram::new("Untitled design")), None);
                self.set_status("New design");
                Ok(change)
            }
            Pending::Template(name) => {
                let diagram = match crate::templates::find(&name) {
                    Some(template) => template.diagram().map_err(|err| {
                        CommandError::File(format!("Could not open the template: {err}"))
                    })?,
                    None => {
                        return Err(CommandError::File(format!(
                            "There is no template named {name}"
                        )));
                    }
                };
                let change = self.replace(Document::new(diagram), None);
                self.set_status(format!("New design from the {name} template"));
                Ok(change)
            }
            Pending::OpenDialog => {
                self.files.dialog = Some(DialogRequest::Open);
                Ok(Change::None)
            }
            Pending::OpenPath(path) => self.open_path(&path),
            Pending::Import(path) => {
                let Some((from, diagram)) = self.files.imported.take().filter(|(p, _)| *p == path)
                else {
                    return Ok(Change::None);
                };
                let summary = format!(
                    "Imported {} ({}, {})",
                    file_name(&from),
                    count(diagram.components.len(), "component", "components"),
                    count(diagram.connections.len(), "connection", "connections")
                );
                let change = self.replace(Document::new(diagram), None);
                self.set_status(summary);
                Ok(change)
            }
            Pending::Quit => {
                // The work is saved or discarded: nothing left to recover.
                self.keep_sessions();
                self.release_slot();
                self.files.quit = true;
                Ok(Change::None)
            }
        }
    }

    /// Shows `doc` instead of the current document, whose work has been
    /// saved or discarded (callers asked first), so its recovery file goes.
    fn replace(&mut self, doc: Document, stamp: Option<FileStamp>) -> Change {
        self.keep_sessions();
        self.release_slot();
        self.files.untitled_key = None;
        self.files.slot_failed = false;
        self.files.stamp = stamp;
        self.files.disk = None;
        let change = self.replace_document(doc);
        self.files.autosaved = Some(self.key());
        self.forget_session_recovery();
        self.load_sessions();
        change
    }

    /// Opens a design file. On failure the current design stays as it was.
    fn open_path(&mut self, path: &Path) -> Result<Change, CommandError> {
        let (diagram, stamp) = io::load_stamped(path)
            .map_err(|err| CommandError::File(format!("Could not open the design: {err}")))?;
        let change = self.replace(
            Document::from_file(diagram, path.to_path_buf()),
            Some(stamp),
        );
        self.set_status(format!("Opened {}", file_name(path)));
        Ok(change)
    }

    /// Save: to the current file, or through Save as… when there is none.
    fn save(&mut self) -> Result<(), CommandError> {
        match self.path().map(Path::to_path_buf) {
            Some(path) => self.save_to(&path, false),
            None => {
                self.ask_save_as();
                Ok(())
            }
        }
    }

    /// Saves atomically. Over the design's own file, a file that another
    /// program changed since it was loaded or saved is left alone and the
    /// user asked ([`DiskNotice::SaveConflict`]) unless `overwrite`. On
    /// failure the old file is untouched and the design stays dirty.
    fn save_to(&mut self, path: &Path, overwrite: bool) -> Result<(), CommandError> {
        let same_file = self.path() == Some(path);
        let expected = if same_file && !overwrite {
            self.files.stamp.as_ref()
        } else {
            None
        };
        let stamp = match io::save_stamped(path, self.diagram(), expected) {
            Ok(stamp) => stamp,
            Err(SaveError::ChangedOnDisk { deleted, .. }) => {
                self.files.disk = Some(DiskNotice::SaveConflict { deleted });
                return Ok(());
            }
            Err(err) => {
                return Err(CommandError::File(format!(
                    "Could not save the design: {err}"
                )));
            }
        };
        if !same_file {
            // Saved somewhere else: the recovery file is keyed by the old file.
            self.release_slot();
            self.files.untitled_key = None;
            self.files.slot_failed = false;
        }
        self.mark_saved(path.to_path_buf());
        self.files.stamp = Some(stamp);
        self.files.disk = None;
        self.clear_recovery();
        self.sessions_saved();
        self.set_status(format!("Saved {}", file_name(path)));
        Ok(())
    }

    /// Compares the design's file with what was loaded or saved: a clean
    /// design whose file changed is offered a reload; a deleted file is said.
    fn check_disk(&mut self) {
        let (Some(path), Some(stamp)) = (self.path(), self.files.stamp.as_ref()) else {
            return;
        };
        let notice = match io::check_unchanged(path, stamp) {
            FileChange::Unchanged => None,
            FileChange::Deleted => Some(DiskNotice::Deleted),
            // Unsaved work here: the save will ask, with the choices.
            FileChange::Changed if self.is_dirty() => None,
            FileChange::Changed => Some(DiskNotice::Changed),
        };
        if notice.is_some() && !matches!(self.files.disk, Some(DiskNotice::SaveConflict { .. })) {
            self.files.disk = notice;
        }
    }

    fn ask_save_as(&mut self) {
        let stem = io::safe_file_stem(&self.diagram().title);
        self.files.dialog = Some(DialogRequest::SaveAs {
            suggested_name: format!("{stem}.ron"),
            start_dir: self.path().and_then(Path::parent).map(Path::to_path_buf),
        });
    }

    fn ask_export_report(&mut self) {
        let stem = io::safe_file_stem(&self.diagram().title);
        self.files.dialog = Some(DialogRequest::ExportReport {
            suggested_name: format!("{stem} session report.md"),
            start_dir: self.path().and_then(Path::parent).map(Path::to_path_buf),
        });
    }

    /// Writes the session report and, beside it, a PNG of the design that
    /// the report shows. A picture that cannot be made or written leaves
    /// it out of the report and says so; the report is still written.
    fn export_report(&mut self, path: &Path) -> Result<(), CommandError> {
        self.refuse_own_file(path, "Could not export the report")?;
        let picture_path = path.with_extension("png");
        let picture = if picture_path == path {
            Err("the report itself has the picture's name".to_owned())
        } else if self.path().is_some_and(|own| same_file(own, &picture_path)) {
            Err("the picture would have the design's own file name".to_owned())
        } else {
            ExportFormat::Png
                .render(
                    self.diagram(),
                    &app_export_options(ExportFormat::Png),
                    super::report::REPORT_PNG_SCALE,
                )
                .map_err(|err| err.to_string())
                .and_then(|bytes| {
                    io::write_atomically(&picture_path, &bytes).map_err(|err| err.to_string())
                })
        };
        let picture_name = picture.is_ok().then(|| file_name(&picture_path));
        let now = self.now().as_secs_f64();
        let text = super::report::session_report(
            self.diagram(),
            self.interview(),
            now,
            self.scenario_probes(),
            picture_name.as_deref(),
        );
        io::write_text_atomically(path, &text)
            .map_err(|err| CommandError::File(format!("Could not export the report: {err}")))?;
        match picture {
            Ok(()) => self.set_status(format!(
                "Exported the session report to {} with {}",
                path.display(),
                file_name(&picture_path)
            )),
            Err(err) => self.set_error(format!(
                "Exported the session report to {} without its picture: {err}",
                path.display()
            )),
        }
        Ok(())
    }

    fn ask_export(&mut self, format: ExportFormat) {
        let stem = match self.path().and_then(Path::file_stem) {
            Some(stem) => stem.to_string_lossy().into_owned(),
            None => io::safe_file_stem(&self.diagram().title),
        };
        self.files.dialog = Some(DialogRequest::Export {
            format,
            suggested_name: format.suggested_name(&stem),
            start_dir: self.path().and_then(Path::parent).map(Path::to_path_buf),
        });
    }

    /// Writes the design in `format`, atomically. The design's own file is
    /// refused, so an export can never replace the design.
    fn export(&mut self, format: ExportFormat, path: &Path) -> Result<(), CommandError> {
        let fail = |err: String| CommandError::File(format!("Could not export the design: {err}"));
        self.refuse_own_file(path, "Could not export the design")?;
        let bytes = format
            .render(
                self.diagram(),
                &app_export_options(format),
                EXPORT_PNG_SCALE,
            )
            .map_err(|err| fail(err.to_string()))?;
        io::write_atomically(path, &bytes).map_err(|err| fail(err.to_string()))?;
        self.set_status(format!(
            "Exported {} to {}",
            format.label(),
            file_name(path)
        ));
        Ok(())
    }

    /// Refuses to write anything over the design's own file.
    fn refuse_own_file(&self, path: &Path, what: &str) -> Result<(), CommandError> {
        match self.path() {
            Some(own) if same_file(own, path) => Err(CommandError::File(format!(
                "{what}: that is the design's own file; choose another name: {}",
                path.display()
            ))),
            _ => Ok(()),
        }
    }

    /// Reads and parses a Mermaid file; the design it gives replaces the
    /// open one once the unsaved-changes question is answered. Nothing is
    /// asked or changed when the file cannot be read or parsed.
    fn import_mermaid(&mut self, path: &Path) -> Result<Change, CommandError> {
        let fail =
            |err: String| CommandError::File(format!("Could not import the Mermaid file: {err}"));
        let limit = crate::export::MERMAID_MAX_BYTES;
        if std::fs::metadata(path).is_ok_and(|m| m.len() > limit as u64) {
            return Err(fail(format!(
                "the file is larger than {} MB ({})",
                limit / (1024 * 1024),
                path.display()
            )));
        }
        let (text, _) = io::read_text(path).map_err(|err| fail(err.with_path(path).to_string()))?;
        let diagram = crate::export::import_mermaid(&text)
            .map_err(|err| fail(format!("{err} ({})", path.display())))?;
        self.files.imported = Some((path.to_path_buf(), diagram));
        self.request(Pending::Import(path.to_path_buf()))
    }

    /// Restores one offered recovery file: its design replaces the open one
    /// (which has no unsaved work at start), and keeps writing to that file.
    fn restore(&mut self, file: &Path) -> Result<Change, CommandError> {
        let Some(index) = self.files.offers.iter().position(|o| o.file == file) else {
            return Ok(Change::None);
        };
        let offer = self.files.offers.remove(index);
        let recovered = match &offer.recovered {
            Ok(recovery) => recovery.clone(),
            Err(err) => {
                return Err(CommandError::File(format!(
                    "Could not restore the unsaved work: {err}"
                )));
            }
        };
        let slot = match &self.files.store {
            Some(store) => Some(store.adopt(&offer).map_err(|err| {
                CommandError::File(format!("Could not restore the unsaved work: {err}"))
            })?),
            None => None,
        };
        let stamp = recovered
            .source_path
            .as_deref()
            .and_then(|p| io::load_stamped(p).ok().map(|(_, stamp)| stamp));
        let change = self.replace(
            Document::restored(recovered.diagram, recovered.source_path),
            stamp,
        );
        self.files.slot = slot.map(Arc::new);
        self.files.autosaved = None;
        self.adopt_recovered_sessions();
        self.set_status("Restored unsaved work; save it to keep it");
        Ok(change)
    }

    fn discard_offer(&mut self, file: &Path) -> Result<(), CommandError> {
        let Some(index) = self.files.offers.iter().position(|o| o.file == file) else {
            return Ok(());
        };
        let offer = self.files.offers.remove(index);
        if let Some(store) = &self.files.store {
            store.discard(&offer).map_err(|err| {
                CommandError::File(format!("Could not discard the unsaved work: {err}"))
            })?;
        }
        Ok(())
    }

    /// The document's recovery file, claimed at its first unsaved change:
    /// keyed by its file, or by an untitled id (also when another window
    /// has the same file open).
    fn claim_slot(&mut self) -> Option<Arc<RecoverySlot>> {
        if let Some(slot) = &self.files.slot {
            return Some(Arc::clone(slot));
        }
        if self.files.slot_failed {
            return None;
        }
        let store = self.files.store.as_ref()?;
        let untitled = || RecoveryKey::untitled();
        let claimed = match self.path() {
            Some(path) => match store.claim(&RecoveryKey::for_file(path)) {
                Err(RecoveryError::InUse { .. }) => {
                    let key = self.files.untitled_key.get_or_insert_with(untitled).clone();
                    store.claim(&key)
                }
                other => other,
            },
            None => {
                let key = self.files.untitled_key.get_or_insert_with(untitled).clone();
                store.claim(&key)
            }
        };
        match claimed {
            Ok(slot) => {
                let slot = Arc::new(slot);
                self.files.slot = Some(Arc::clone(&slot));
                Some(slot)
            }
            Err(err) => {
                self.files.slot_failed = true;
                self.set_error(format!("Autosave is off for this design: {err}"));
                None
            }
        }
    }

    /// The work is saved: the recovery file goes, the claim stays.
    fn clear_recovery(&mut self) {
        let id = self.document().id().get();
        with_snapshots(|map| {
            map.remove(&id);
        });
        if let Some(slot) = &self.files.slot
            && let Err(err) = slot.clear()
        {
            self.set_error(format!("Could not remove the recovery file: {err}"));
        }
        self.forget_session_recovery();
        self.files.autosaved = Some(self.key());
    }

    /// The work is saved or discarded and the document goes: its recovery
    /// file and claim go too.
    fn release_slot(&mut self) {
        let id = self.document().id().get();
        with_snapshots(|map| {
            map.remove(&id);
        });
        let Some(slot) = self.files.slot.take() else {
            return;
        };
        let result = match Arc::try_unwrap(slot) {
            Ok(slot) => slot.remove(),
            Err(shared) => shared.clear(),
        };
        if let Err(err) = result {
            self.set_error(format!("Could not remove the recovery file: {err}"));
        }
    }

    /// Periodic file work: keeps the crash snapshot current and copies a
    /// dirty design to its recovery file at its first change and then every
    /// [`AUTOSAVE_INTERVAL`]. Returns how long until it wants to run again
    /// when it has work pending (the UI schedules a repaint for then).
    /// [`Session::tick`] runs it with the sessions' own autosave.
    pub(super) fn tick_design(&mut self) -> Option<Duration> {
        if !self.is_dirty() {
            // Undone back to the saved state: nothing is left to recover.
            if self.files.autosaved != Some(self.key()) {
                self.clear_recovery();
            }
            return None;
        }
        let key = self.key();
        if self.files.autosaved == Some(key) {
            return None;
        }
        let slot = self.claim_slot()?;
        let id = self.document().id().get();
        let snapshot = (
            Arc::clone(&slot),
            self.diagram().clone(),
            self.path().map(Path::to_path_buf),
        );
        with_snapshots(|map| {
            map.insert(id, snapshot);
        });
        self.files.snapshot = Some(id);
        let now = self.now();
        let interval_ms = u64::try_from(AUTOSAVE_INTERVAL.as_millis()).unwrap_or(u64::MAX);
        if let Some(last) = self.files.last_autosave
            && now.0.saturating_sub(last.0) < interval_ms
        {
            return Some(AUTOSAVE_INTERVAL);
        }
        self.files.last_autosave = Some(now);
        self.files.autosaved = Some(key);
        if let Err(err) = slot.write(self.diagram(), self.path()) {
            self.set_error(format!("Autosave failed: {err}"));
        }
        None
    }
}
