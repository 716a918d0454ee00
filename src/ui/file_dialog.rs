//! Open and "Save as…" dialogs that never freeze the window.
//!
//! [`FileDialogs`] first asks the desktop for its native dialog through
//! rfd's async API (xdg-desktop-portal, then zenity), on a background thread;
//! the UI keeps painting while the user picks. When the desktop cannot show a
//! dialog at all (a bare window manager: no portal and no zenity), the
//! in-window `egui_file_dialog` takes over, so the user can still open and
//! save.
//!
//! rfd reports "no dialog could be shown" the same way as "the user
//! cancelled": both come back as `None` (the reason only goes to the log).
//! The two are told apart by time: a `None` that arrives within
//! [`QUICK_FAILURE`] of asking cannot have been a person pressing Cancel, so
//! the in-window dialog is shown instead. Known limits: a user who cancels
//! the native dialog faster than that also gets the in-window one; a portal
//! that accepts the request but never answers keeps us waiting (the window
//! stays responsive, and a later `open` starts a new request); the native
//! dialog is not attached to our window as a parent.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::{Duration, Instant};

use crate::app::ExportFormat;

/// What a dialog is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogPurpose {
    /// Pick an existing design to open.
    Open,
    /// Pick where to save the design, starting from `suggested_name`
    /// (e.g. `"URL shortener.ron"`).
    SaveAs { suggested_name: String },
    /// Pick where to write the Markdown session report.
    ExportReport { suggested_name: String },
    /// Pick where to export the design in `format`.
    Export {
        format: ExportFormat,
        suggested_name: String,
    },
    /// Pick a Mermaid file to import.
    ImportMermaid,
}

impl DialogPurpose {
    /// The dialog title.
    fn title(&self) -> String {
        match self {
            Self::Open => "Open design".to_owned(),
            Self::SaveAs { .. } => "Save design as".to_owned(),
            Self::ExportReport { .. } => "Export session report".to_owned(),
            Self::Export { format, .. } => format!("Export as {}", format.label()),
            Self::ImportMermaid => "Import Mermaid".to_owned(),
        }
    }

    /// The file filter: its name and extensions; a saved file gets the
    /// first one.
    fn filter(&self) -> (&'static str, &'static [&'static str]) {
        match self {
            Self::Open | Self::SaveAs { .. } => (FILTER_NAME, &[EXTENSION]),
            Self::ExportReport { .. } => ("Markdown", &["md"]),
            Self::Export { format, .. } => (format.file_kind(), export_extensions(*format)),
            Self::ImportMermaid => ("Mermaid diagrams", &["mmd", "mermaid"]),
        }
    }

    /// The name a save dialog starts with, for the dialogs that save.
    fn suggested_name(&self) -> Option<&str> {
        match self {
            Self::SaveAs { suggested_name }
            | Self::ExportReport { suggested_name }
            | Self::Export { suggested_name, .. } => Some(suggested_name),
            Self::Open | Self::ImportMermaid => None,
        }
    }
}

/// The extension of an export, as a `'static` list for the filter.
fn export_extensions(format: ExportFormat) -> &'static [&'static str] {
    match format {
        ExportFormat::Svg => &["svg"],
        ExportFormat::Png => &["png"],
        ExportFormat::Pdf => &["pdf"],
        ExportFormat::Mermaid | ExportFormat::MermaidArchitecture => &["mmd"],
        ExportFormat::D2 => &["d2"],
        ExportFormat::Dot => &["dot"],
    }
}

/// How a dialog ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogOutcome {
    /// The user picked a path. For [`DialogPurpose::SaveAs`] the path ends in
    /// `.ron` (added when the user typed a name without an extension).
    Picked {
        purpose: DialogPurpose,
        path: PathBuf,
    },
    /// The user closed the dialog without picking.
    Cancelled,
}

/// A `None` from the native dialog faster than this means it could not be
/// shown, not that the user cancelled.
pub const QUICK_FAILURE: Duration = Duration::from_millis(500);

/// How often to look at a pending native dialog even if nothing woke us (the
/// background thread also asks for a repaint when it finishes).
const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// The file filter's display name.
const FILTER_NAME: &str = "Archboard designs";
/// The extension of design files.
const EXTENSION: &str = "ron";

/// Everything a native dialog needs to know, passed to its thread.
#[derive(Clone, Debug)]
struct NativeRequest {
    purpose: DialogPurpose,
    start_dir: Option<PathBuf>,
}

/// Shows a native dialog and blocks until it closes; runs on a background
/// thread. Replaceable so tests can stand in for the desktop.
type NativeShow = Arc<dyn Fn(&NativeRequest) -> Option<PathBuf> + Send + Sync>;

/// The dialog that is open right now.
enum Active {
    None,
    /// A native dialog is open on a background thread.
    Native {
        purpose: DialogPurpose,
        started: Instant,
        answer: Receiver<Option<PathBuf>>,
    },
    /// The in-window dialog is showing.
    InWindow {
        purpose: DialogPurpose,
        dialog: Box<egui_file_dialog::FileDialog>,
    },
}

/// The app's Open and Save as… dialogs. Call [`FileDialogs::open`] from a
/// command and [`FileDialogs::update`] every frame.
pub struct FileDialogs {
    /// `None` forces the in-window dialog.
    native: Option<NativeShow>,
    start_dir: Option<PathBuf>,
    quick_failure: Duration,
    active: Active,
    /// The context seen by the last `update`, so a native dialog's thread
    /// can ask for a repaint the moment it has an answer.
    ctx: Option<egui::Context>,
}

impl Default for FileDialogs {
    fn default() -> Self {
        Self::new()
    }
}

impl FileDialogs {
    /// Native dialogs first, the in-window dialog when they cannot be shown.
    pub fn new() -> Self {
        Self {
            native: Some(Arc::new(show_native)),
            start_dir: None,
            quick_failure: QUICK_FAILURE,
            active: Active::None,
            ctx: None,
        }
    }

    /// Always the in-window dialog (for tests, or a user setting).
    pub fn in_window_only() -> Self {
        Self {
            native: None,
            ..Self::new()
        }
    }

    /// Whether native dialogs are tried first.
    pub fn uses_native(&self) -> bool {
        self.native.is_some()
    }

    /// The folder dialogs start in (e.g. the open file's folder); `None`
    /// lets the dialog choose.
    pub fn set_start_dir(&mut self, dir: Option<PathBuf>) {
        self.start_dir = dir;
    }

    /// Opens a dialog for `purpose`. A dialog that is already open is
    /// forgotten (a native one still on screen then has no effect).
    pub fn open(&mut self, purpose: DialogPurpose) {
        self.active = match &self.native {
            Some(show) => start_native(
                show.clone(),
                NativeRequest {
                    purpose,
                    start_dir: self.start_dir.clone(),
                },
                self.ctx.clone(),
            ),
            None => open_in_window(purpose, self.start_dir.as_deref()),
        };
    }

    /// Whether a dialog is open (native or in-window).
    pub fn is_open(&self) -> bool {
        !matches!(self.active, Active::None)
    }

    /// Whether the in-window dialog is the one showing.
    pub fn is_in_window(&self) -> bool {
        matches!(self.active, Active::InWindow { .. })
    }

    /// Call every frame: draws the in-window dialog when it is showing,
    /// checks on a native one, and returns how the dialog ended once it has.
    pub fn update(&mut self, ctx: &egui::Context) -> Option<DialogOutcome> {
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
        match std::mem::replace(&mut self.active, Active::None) {
            Active::None => None,
            Active::Native {
                purpose,
                started,
                answer,
            } => match answer.try_recv() {
                Err(TryRecvError::Empty) => {
                    ctx.request_repaint_after(POLL_INTERVAL);
                    self.active = Active::Native {
                        purpose,
                        started,
                        answer,
                    };
                    None
                }
                Ok(Some(path)) => Some(picked(purpose, path)),
                Ok(None) if started.elapsed() >= self.quick_failure => {
                    Some(DialogOutcome::Cancelled)
                }
                // Too quick to be a person, or the thread died: the desktop
                // could not show a dialog.
                Ok(None) | Err(TryRecvError::Disconnected) => {
                    self.active = open_in_window(purpose, self.start_dir.as_deref());
                    ctx.request_repaint();
                    None
                }
            },
            Active::InWindow {
                purpose,
                mut dialog,
            } => {
                dialog.update(ctx);
                match dialog.state() {
                    egui_file_dialog::DialogState::Open => {
                        self.active = Active::InWindow { purpose, dialog };
                        None
                    }
                    egui_file_dialog::DialogState::Picked(path) => {
                        Some(picked(purpose, path.clone()))
                    }
                    egui_file_dialog::DialogState::PickedMultiple(paths) => match paths.first() {
                        Some(path) => Some(picked(purpose, path.clone())),
                        None => Some(DialogOutcome::Cancelled),
                    },
                    egui_file_dialog::DialogState::Cancelled
                    | egui_file_dialog::DialogState::Closed => Some(DialogOutcome::Cancelled),
                }
            }
        }
    }
}

/// Starts the native dialog on a background thread, which asks `wake` for a
/// repaint when the answer is in (`update` also polls, in case `open` came
/// before the first `update`).
fn start_native(show: NativeShow, request: NativeRequest, wake: Option<egui::Context>) -> Active {
    let (sender, answer) = mpsc::channel();
    let purpose = request.purpose.clone();
    let spawned = std::thread::Builder::new()
        .name("file dialog".to_owned())
        .spawn(move || {
            let path = show(&request);
            // The receiver is gone when the dialog was forgotten; nothing to do.
            sender.send(path).ok();
            if let Some(ctx) = wake {
                ctx.request_repaint();
            }
        });
    match spawned {
        Ok(_) => Active::Native {
            purpose,
            started: Instant::now(),
            answer,
        },
        // No thread, no native dialog: fall back right away.
        Err(_) => open_in_window(purpose, None),
    }
}

/// The real native dialog: rfd's async dialog, driven to completion on the
/// calling (background) thread.
fn show_native(request: &NativeRequest) -> Option<PathBuf> {
    let (filter, extensions) = request.purpose.filter();
    let mut dialog = rfd::AsyncFileDialog::new()
        .add_filter(filter, extensions)
        .set_title(request.purpose.title());
    if let Some(dir) = &request.start_dir {
        dialog = dialog.set_directory(dir);
    }
    let handle = match request.purpose.suggested_name() {
        None => block_on(dialog.pick_file()),
        Some(suggested_name) => block_on(dialog.set_file_name(suggested_name).save_file()),
    };
    handle.map(|handle| handle.path().to_path_buf())
}

/// Runs a future to completion on the current thread, parking between polls.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl std::task::Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = std::task::Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = std::task::Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        match future.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(output) => return output,
            std::task::Poll::Pending => std::thread::park(),
        }
    }
}

/// Opens the in-window dialog for `purpose`.
fn open_in_window(purpose: DialogPurpose, start_dir: Option<&Path>) -> Active {
    let (filter, extensions) = purpose.filter();
    let save_extension = extensions.first().copied().unwrap_or(EXTENSION);
    let mut dialog = egui_file_dialog::FileDialog::new()
        .id("archboard file dialog")
        .add_file_filter_extensions(filter, extensions.to_vec())
        .default_file_filter(filter)
        .add_save_extension(filter, save_extension)
        .default_save_extension(filter)
        .allow_file_overwrite(true)
        .title(&purpose.title());
    if let Some(dir) = start_dir {
        dialog = dialog.initial_directory(dir.to_path_buf());
    }
    {
        let labels = dialog.labels_mut();
        labels.open_button = "Open".to_owned();
        labels.save_button = "Save".to_owned();
        labels.cancel_button = "Cancel".to_owned();
    }
    match purpose.suggested_name() {
        None => dialog.pick_file(),
        Some(suggested_name) => {
            dialog = dialog.default_file_name(suggested_name);
            dialog.save_file();
        }
    }
    Active::InWindow {
        purpose,
        dialog: Box::new(dialog),
    }
}

/// The outcome for a picked path; a save target gets its format's
/// extension (`.ron` for designs) when the user typed none.
fn picked(purpose: DialogPurpose, path: PathBuf) -> DialogOutcome {
    let extension = purpose.filter().1.first().copied();
    let path = match extension {
        Some(extension) if purpose.suggested_name().is_some() && path.extension().is_none() => {
            path.with_extension(extension)
        }
        _ => path,
    };
    DialogOutcome::Picked { purpose, path }
}

#[cfg(test)]
mod tests {
    use super::*;

    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;

    /// Test state: the dialogs and the last outcome.
    struct State {
        dialogs: FileDialogs,
        outcome: Option<DialogOutcome>,
    }

    fn harness(dialogs: FileDialogs) -> Harness<'static, State> {
        let state = State {
            dialogs,
            outcome: None,
        };
        Harness::builder()
            .with_size(egui::vec2(1000.0, 700.0))
            .build_ui_state(
                |ui, state: &mut State| {
                    if let Some(outcome) = state.dialogs.update(ui.ctx()) {
                        state.outcome = Some(outcome);
                    }
                },
                state,
            )
    }

    /// Dialogs whose "native" side is `show`, with the app's repaint wiring
    /// replaced by polling in the test.
    fn with_native(
        show: impl Fn(&NativeRequest) -> Option<PathBuf> + Send + Sync + 'static,
    ) -> FileDialogs {
        FileDialogs {
            native: Some(Arc::new(show)),
            ..FileDialogs::new()
        }
    }

    /// Steps the harness until `done` or a few seconds have passed.
    fn step_until(harness: &mut Harness<'static, State>, done: impl Fn(&State) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !done(harness.state()) && Instant::now() < deadline {
            harness.step();
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn a_save_target_without_an_extension_gets_ron() {
        let save = DialogPurpose::SaveAs {
            suggested_name: "x.ron".to_owned(),
        };
        assert_eq!(
            picked(save.clone(), PathBuf::from("/tmp/plan")),
            DialogOutcome::Picked {
                purpose: save.clone(),
                path: PathBuf::from("/tmp/plan.ron")
            }
        );
        assert_eq!(
            picked(save.clone(), PathBuf::from("/tmp/plan.txt")),
            DialogOutcome::Picked {
                purpose: save,
                path: PathBuf::from("/tmp/plan.txt")
            }
        );
        assert_eq!(
            picked(DialogPurpose::Open, PathBuf::from("/tmp/plan")),
            DialogOutcome::Picked {
                purpose: DialogPurpose::Open,
                path: PathBuf::from("/tmp/plan")
            }
        );
    }

    #[test]
    fn block_on_waits_for_a_future_woken_from_another_thread() {
        /// Pending until a helper thread has set the flag and woken us.
        struct Flagged(Arc<std::sync::atomic::AtomicBool>);
        impl std::future::Future for Flagged {
            type Output = u32;
            fn poll(
                self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<u32> {
                if self.0.load(std::sync::atomic::Ordering::SeqCst) {
                    return std::task::Poll::Ready(7);
                }
                let flag = self.0.clone();
                let waker = cx.waker().clone();
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(10));
                    flag.store(true, std::sync::atomic::Ordering::SeqCst);
                    waker.wake();
                });
                std::task::Poll::Pending
            }
        }
        let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
        assert_eq!(block_on(Flagged(flag)), 7);
    }

    #[test]
    fn a_native_pick_is_reported_with_its_purpose() {
        let dialogs = with_native(|request| {
            assert_eq!(
                request.start_dir.as_deref(),
                Some(Path::new("/srv/designs"))
            );
            std::thread::sleep(Duration::from_millis(20));
            Some(PathBuf::from("/srv/designs/chat"))
        });
        let mut harness = harness(dialogs);
        let save = DialogPurpose::SaveAs {
            suggested_name: "Chat.ron".to_owned(),
        };
        {
            let dialogs = &mut harness.state_mut().dialogs;
            dialogs.set_start_dir(Some(PathBuf::from("/srv/designs")));
            dialogs.open(save.clone());
            assert!(dialogs.is_open());
        }
        step_until(&mut harness, |s| s.outcome.is_some());
        assert_eq!(
            harness.state().outcome,
            Some(DialogOutcome::Picked {
                purpose: save,
                path: PathBuf::from("/srv/designs/chat.ron")
            })
        );
        assert!(!harness.state().dialogs.is_open());
    }

    #[test]
    fn a_slow_native_none_is_a_cancel() {
        let mut dialogs = with_native(|_| {
            std::thread::sleep(Duration::from_millis(60));
            None
        });
        dialogs.quick_failure = Duration::from_millis(30);
        let mut harness = harness(dialogs);
        harness.state_mut().dialogs.open(DialogPurpose::Open);
        step_until(&mut harness, |s| s.outcome.is_some());
        assert_eq!(harness.state().outcome, Some(DialogOutcome::Cancelled));
        assert!(!harness.state().dialogs.is_in_window());
    }

    #[test]
    fn when_no_native_dialog_can_be_shown_the_in_window_one_takes_over() {
        let mut harness = harness(with_native(|_| None));
        harness.state_mut().dialogs.open(DialogPurpose::Open);
        step_until(&mut harness, |s| s.dialogs.is_in_window());
        assert!(harness.state().dialogs.is_in_window());
        harness.run_ok();
        harness.get_by_label("Open design");
        assert_eq!(harness.state().outcome, None);

        harness.get_by_label("Cancel").click();
        step_until(&mut harness, |s| s.outcome.is_some());
        assert_eq!(harness.state().outcome, Some(DialogOutcome::Cancelled));
        assert!(!harness.state().dialogs.is_open());
    }

    #[test]
    fn a_native_thread_that_dies_falls_back_too() {
        let mut harness = harness(with_native(|_| panic!("the desktop went away")));
        harness.state_mut().dialogs.open(DialogPurpose::Open);
        step_until(&mut harness, |s| s.dialogs.is_in_window());
        assert!(harness.state().dialogs.is_in_window());
    }

    #[test]
    fn the_in_window_save_dialog_picks_the_suggested_name_in_the_start_folder() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().canonicalize().unwrap();
        let mut dialogs = FileDialogs::in_window_only();
        assert!(!dialogs.uses_native());
        dialogs.set_start_dir(Some(folder.clone()));
        let save = DialogPurpose::SaveAs {
            suggested_name: "URL shortener.ron".to_owned(),
        };
        dialogs.open(save.clone());
        assert!(dialogs.is_in_window(), "no native attempt when forced");
        let mut harness = harness(dialogs);
        harness.run_ok();
        harness.get_by_label("Save design as");
        harness.get_by_label("Save").click();
        step_until(&mut harness, |s| s.outcome.is_some());
        assert_eq!(
            harness.state().outcome,
            Some(DialogOutcome::Picked {
                purpose: save,
                path: folder.join("URL shortener.ron")
            })
        );
        assert!(!harness.state().dialogs.is_open());
    }
}
