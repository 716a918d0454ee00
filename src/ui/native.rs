//! The native window: eframe start-up, the check for a display, the panic
//! hook that keeps unsaved work, and preference storage. Everything inside
//! the window is [`ArchboardApp`].

use std::path::PathBuf;

use egui::Ui;

use super::{ArchboardApp, PREFERENCES_KEY, Preferences};
use crate::app::example::example_design;
use crate::app::{Command, Document, FileCommand, Session};

/// The eframe wrapper: window lifecycle and preference storage.
struct NativeApp {
    app: ArchboardApp,
    /// The window title last sent (sent again only when it changes).
    title: String,
}

impl eframe::App for NativeApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.app.ui_root(ui);
        let title = self.app.session.window_title();
        if title != self.title {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if self.app.session.quit_requested() {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// The window starts as designed each time (palette scrolled to the top,
    /// panels at their default or user-set width): what should outlast a
    /// restart is in [`Preferences`].
    fn persist_egui_memory(&self) -> bool {
        false
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFERENCES_KEY, &self.app.prefs);
    }
}

/// Opens the main window on `file`, or on the example design.
pub fn run_native(file: Option<PathBuf>) -> anyhow::Result<()> {
    // A file that does not open is said here, before any window appears.
    let mut session = Session::new(Document::new(startup_design()));
    if let Some(path) = file {
        session
            .execute(Command::File(FileCommand::OpenPath(path)))
            .map_err(|err| anyhow::anyhow!("{err}"))?;
    }
    explain_missing_display()?;
    crate::app::install_panic_hook();
    let session = session.with_data_dir(eframe::storage_dir("archboard"));
    let started = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let started_in_app = started.clone();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Archboard")
            .with_app_id("archboard")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    // Some platform layers panic instead of returning an error when a system
    // library is missing; turn that into the same explanation.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        eframe::run_native(
            "archboard",
            options,
            Box::new(move |cc| {
                started_in_app.store(true, std::sync::atomic::Ordering::SeqCst);
                let mut app = ArchboardApp::with_session(session);
                if let Some(prefs) = cc
                    .storage
                    .and_then(|s| eframe::get_value::<Preferences>(s, PREFERENCES_KEY))
                {
                    app.apply_prefs(prefs);
                }
                app.setup(&cc.egui_ctx);
                Ok(Box::new(NativeApp {
                    app,
                    title: String::new(),
                }))
            }),
        )
    }));
    match outcome {
        Ok(result) => result.map_err(|err| {
            anyhow::anyhow!("could not open the window: {err}\n\n{SYSTEM_PACKAGES_HINT}")
        }),
        Err(_) if started.load(std::sync::atomic::Ordering::SeqCst) => anyhow::bail!(
            "Archboard stopped because of an internal error (see the message above). \
             Unsaved work was kept and will be offered when you start it again."
        ),
        Err(_) => anyhow::bail!(
            "the window system failed while opening the window (see the message above).\n\n{SYSTEM_PACKAGES_HINT}"
        ),
    }
}

/// The template the app opens when no file is given: a starter, so the
/// checklist has something to say at once.
pub const STARTUP_TEMPLATE: &str = "realtime-chat-starter";

/// The design the app starts with when no file is given.
pub fn startup_design() -> crate::model::Diagram {
    crate::templates::find(STARTUP_TEMPLATE)
        .and_then(|t| t.diagram().ok())
        .unwrap_or_else(example_design)
}

/// What to install when the window cannot open (kept in step with README.md).
const SYSTEM_PACKAGES_HINT: &str = "Archboard needs a graphical session with OpenGL. On Debian or Ubuntu, install:\n    sudo apt install libx11-6 libx11-xcb1 libxcursor1 libxi6 libxrender1 libxkbcommon-x11-0 \\\n        libegl1 libgl1 libgl1-mesa-dri libwayland-client0 libwayland-egl1\nThe headless commands work without a window: archboard --help lists them.";

#[cfg(target_os = "linux")]
fn explain_missing_display() -> anyhow::Result<()> {
    let has = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    if has("DISPLAY") || has("WAYLAND_DISPLAY") {
        Ok(())
    } else {
        anyhow::bail!(
            "there is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set).\n\n{SYSTEM_PACKAGES_HINT}"
        )
    }
}

#[cfg(not(target_os = "linux"))]
fn explain_missing_display() -> anyhow::Result<()> {
    Ok(())
}
