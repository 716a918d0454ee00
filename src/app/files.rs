//! The file workflow of a session, without the UI: new, open, templates,
//! save, save as, the unsaved-changes question, the error shown after a
//! failed file operation, autosave to a recovery file and the offer to
//! restore it.
//!
//! The disk work is in [`crate::io`]. The dialogs that pick a path are the
//! UI's: the session asks for one ([`DialogRequest`]) and the UI answers with
//! a command ([`FileCommand::OpenPath`], [`FileCommand::SaveTo`] …).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use super::command::{FileCommand, PromptAnswer};
use super::derived::DocKey;
use super::document::Document;
use super::log::Change;
use super::session::{CommandError, Outcome, Session};
use crate::io::recovery::{self, Recovery};
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
    /// Unsaved work found at start, offered for restore.
    recovery_offer: Option<Recovery>,
    /// Where the recovery file lives (`None`: no autosave).
    data_dir: Option<PathBuf>,
    last_autosave: Option<super::clock::Timestamp>,
    /// The document state last written to the recovery file.
    autosaved: Option<DocKey>,
    /// Whether this session wrote the recovery file (so it is ours to remove
    /// when the design is back to its saved state).
    recovery_written: bool,
    /// The user agreed to quit.
    quit: bool,
}

/// The last dirty diagram, for the panic hook to write to the recovery file.
static CRASH_SNAPSHOT: Mutex<Option<(Diagram, Option<PathBuf>)>> = Mutex::new(None);

/// Writes the last dirty snapshot to the recovery file when the process
/// panics (after the previous hook has printed the message).
pub fn install_panic_hook(data_dir: PathBuf) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        previous(info);
        super::sessions::write_crash_snapshot();
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

/// The last component of a path, for messages and titles.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

impl Session {
    /// Autosaves into `data_dir` (and offers `recovery` found there at start).
    pub fn with_recovery(mut self, data_dir: Option<PathBuf>, offer: Option<Recovery>) -> Self {
        let pathless = offer.as_ref().is_some_and(|o| o.source_path.is_none());
        self.offer_recovered_sessions(data_dir.as_deref(), pathless);
        self.files.data_dir = data_dir;
        self.files.recovery_offer = offer;
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

    /// Unsaved work from an earlier run, offered for restore.
    pub fn recovery_offer(&self) -> Option<&Recovery> {
        self.files.recovery_offer.as_ref()
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
                self.save_to(path)?;
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
            FileCommand::Answer(answer) => self.answer(*answer)?,
            FileCommand::DialogCancelled => {
                self.files.after_save_as = None;
                Change::None
            }
            FileCommand::Restore => self.restore()?,
            FileCommand::DiscardRecovery => {
                self.files.recovery_offer = None;
                self.forget_recovery();
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
                    self.save()?;
                    self.proceed(prompt.pending)
                } else {
                    self.ask_save_as();
                    self.files.after_save_as = Some(prompt.pending);
                    Ok(Change::None)
                }
            }
            PromptAnswer::Discard => {
                self.forget_recovery();
                self.proceed(prompt.pending)
            }
            PromptAnswer::Cancel => Ok(Change::None),
        }
    }

    fn proceed(&mut self, pending: Pending) -> Result<Change, CommandError> {
        match pending {
            Pending::New => {
                let change = self.replace(Document::new(Diagram::new("Untitled design")));
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
                let change = self.replace(Document::new(diagram));
                self.set_status(format!("New design from the {name} template"));
                Ok(change)
            }
            Pending::OpenDialog => {
                self.files.dialog = Some(DialogRequest::Open);
                Ok(Change::None)
            }
            Pending::OpenPath(path) => self.open_path(&path),
            Pending::Quit => {
                self.keep_sessions();
                self.files.quit = true;
                Ok(Change::None)
            }
        }
    }

    /// Shows `doc` instead of the current document; the old one is gone
    /// (callers have asked about unsaved changes already).
    fn replace(&mut self, doc: Document) -> Change {
        self.keep_sessions();
        let change = self.replace_document(doc);
        self.forget_recovery();
        self.load_sessions();
        change
    }

    /// Opens a design file. On failure the current design stays as it was.
    fn open_path(&mut self, path: &Path) -> Result<Change, CommandError> {
        let diagram = crate::io::load(path)
            .map_err(|err| CommandError::File(format!("Could not open the design: {err}")))?;
        let change = self.replace(Document::from_file(diagram, path.to_path_buf()));
        self.set_status(format!("Opened {}", file_name(path)));
        Ok(change)
    }

    /// Save: to the current file, or through Save as… when there is none.
    fn save(&mut self) -> Result<(), CommandError> {
        match self.path().map(Path::to_path_buf) {
            Some(path) => self.save_to(&path),
            None => {
                self.ask_save_as();
                Ok(())
            }
        }
    }

    /// Saves atomically. On failure the old file is untouched and the
    /// design stays dirty.
    fn save_to(&mut self, path: &Path) -> Result<(), CommandError> {
        crate::io::save(path, self.diagram())
            .map_err(|err| CommandError::File(format!("Could not save the design: {err}")))?;
        self.mark_saved(path.to_path_buf());
        self.forget_recovery();
        self.sessions_saved();
        self.set_status(format!("Saved {}", file_name(path)));
        Ok(())
    }

    fn ask_save_as(&mut self) {
        let stem = suggested_stem(&self.diagram().title);
        self.files.dialog = Some(DialogRequest::SaveAs {
            suggested_name: format!("{stem}.ron"),
            start_dir: self.path().and_then(Path::parent).map(Path::to_path_buf),
        });
    }

    fn ask_export_report(&mut self) {
        let stem = suggested_stem(&self.diagram().title);
        self.files.dialog = Some(DialogRequest::ExportReport {
            suggested_name: format!("{stem} session report.md"),
            start_dir: self.path().and_then(Path::parent).map(Path::to_path_buf),
        });
    }

    fn export_report(&mut self, path: &Path) -> Result<(), CommandError> {
        let now = self.now().as_secs_f64();
        let text = crate::interview::session_report(self.diagram(), self.interview(), now);
        crate::io::write_text_atomically(path, &text)
            .map_err(|err| CommandError::File(format!("Could not export the report: {err}")))?;
        self.set_status(format!("Exported the session report to {}", path.display()));
        Ok(())
    }

    fn restore(&mut self) -> Result<Change, CommandError> {
        let Some(offer) = self.files.recovery_offer.take() else {
            return Ok(Change::None);
        };
        self.keep_sessions();
        let change = self.replace_document(Document::restored(offer.diagram, offer.source_path));
        self.load_sessions();
        self.adopt_recovered_sessions();
        self.set_status("Restored unsaved work; save it to keep it");
        Ok(change)
    }

    fn forget_recovery(&mut self) {
        if let Some(dir) = &self.files.data_dir
            && self.files.recovery_written
            && let Err(err) = recovery::remove(dir)
        {
            self.set_error(format!("Could not remove the recovery file: {err}"));
        }
        self.files.recovery_written = false;
        self.forget_session_recovery();
        if let Ok(mut snapshot) = CRASH_SNAPSHOT.lock() {
            *snapshot = None;
        }
        self.files.autosaved = Some(self.key());
    }

    /// Periodic file work: keeps the crash snapshot current and copies a
    /// dirty design to the recovery file at its first change and then every
    /// [`AUTOSAVE_INTERVAL`]. Returns how long until it wants to run again
    /// when it has work pending (the UI schedules a repaint for then).
    /// [`Session::tick`] runs it with the sessions' own autosave.
    pub(super) fn tick_design(&mut self) -> Option<Duration> {
        if !self.is_dirty() {
            // Undone back to the saved state: nothing is left to recover.
            if self.files.recovery_written {
                self.forget_recovery();
            }
            return None;
        }
        let key = self.key();
        if self.files.autosaved == Some(key) {
            return None;
        }
        if let Ok(mut snapshot) = CRASH_SNAPSHOT.lock() {
            *snapshot = Some((self.diagram().clone(), self.path().map(Path::to_path_buf)));
        }
        let now = self.now();
        let interval_ms = u64::try_from(AUTOSAVE_INTERVAL.as_millis()).unwrap_or(u64::MAX);
        if let Some(last) = self.files.last_autosave
            && now.0.saturating_sub(last.0) < interval_ms
        {
            return Some(AUTOSAVE_INTERVAL);
        }
        self.files.last_autosave = Some(now);
        self.files.autosaved = Some(key);
        if let Some(dir) = self.files.data_dir.clone() {
            match recovery::write(&dir, self.diagram(), self.path()) {
                Ok(()) => self.files.recovery_written = true,
                Err(err) => self.set_error(format!("Autosave failed: {err}")),
            }
        }
        None
    }
}

/// A file name stem from a design title, without characters that file
/// systems refuse.
fn suggested_stem(title: &str) -> String {
    let stem: String = title
        .trim()
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .collect();
    if stem.is_empty() {
        "design".to_owned()
    } else {
        stem
    }
}
