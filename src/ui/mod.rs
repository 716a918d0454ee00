//! The egui front end. [`ArchboardApp::ui_root`] draws the whole window and
//! is what both eframe and the UI tests call. The UI reads the [`Editor`]
//! and changes the diagram only through its methods; keyboard shortcuts and
//! menus go through [`actions::Action`].

pub mod actions;
pub mod canvas;
pub mod checklist;
pub mod file_dialog;
mod files;
pub mod icons;
pub mod inspector;
pub mod interview;
pub mod palette;
mod present;
pub mod requirements;
pub mod templates;
pub mod theme;

use std::path::PathBuf;

use egui::{Panel, RichText, Ui};

use crate::app::{Document, Editor, example::example_design};
use actions::Action;
use canvas::{Canvas, CanvasRequest};
use checklist::{ChecklistAction, ChecklistState};
use file_dialog::FileDialogs;
pub use files::{AUTOSAVE_INTERVAL, Files, Pending};
use inspector::InspectorRequest;
use palette::Palette;
pub use present::{Presentation, revealed};

/// Gives a widget an accessible name (for widgets whose visible label is
/// elsewhere, like a checkbox in a property grid).
pub fn label_for(response: &egui::Response, label: &str) {
    response
        .ctx
        .accesskit_node_builder(response.id, |node| node.set_label(label));
}

/// Preferences kept in eframe's storage (never documents).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Preferences {
    pub theme: egui::ThemePreference,
    pub snap_to_grid: bool,
    pub show_palette: bool,
    pub show_inspector: bool,
    /// Whether the interview timer bar is shown under the menu.
    pub show_timer: bool,
    /// Recently opened or saved designs, newest first.
    pub recent: Vec<PathBuf>,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            theme: egui::ThemePreference::System,
            snap_to_grid: true,
            show_palette: true,
            show_inspector: true,
            show_timer: true,
            recent: Vec::new(),
        }
    }
}

const PREFERENCES_KEY: &str = "archboard-preferences";

/// What the right-hand panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SideTab {
    Inspector,
    #[default]
    Checklist,
    Interview,
}

/// The whole application state behind the window.
pub struct ArchboardApp {
    pub editor: Editor,
    pub canvas: Canvas,
    pub palette: Palette,
    pub prefs: Preferences,
    pub files: Files,
    /// The checklist for the current diagram, recomputed when it changes.
    findings: Vec<crate::rules::Finding>,
    findings_revision: u64,
    /// Open findings by severity (error, warning, info), for the status bar and tab.
    open_counts: [usize; 3],
    pub checklist: ChecklistState,
    pub side_tab: SideTab,
    /// The mock interview: timer and the interviewer's probe records.
    pub session: crate::interview::InterviewSession,
    /// Present mode, when on.
    pub presentation: Option<Presentation>,
    probes: Vec<crate::interview::Probe>,
    probes_revision: u64,
    /// A short message in the status bar ("Undid move", errors).
    status: Option<String>,
    show_shortcuts: bool,
    show_about: bool,
    show_templates: bool,
    queued: Vec<Action>,
    quit_requested: bool,
}

impl ArchboardApp {
    /// An app showing `doc`, with default preferences.
    pub fn new(doc: Document) -> Self {
        let prefs = Preferences::default();
        let mut editor = Editor::new(doc);
        editor.snap_to_grid = prefs.snap_to_grid;
        Self {
            editor,
            canvas: Canvas::new(),
            palette: Palette::default(),
            prefs,
            files: Files::new(FileDialogs::new(), None),
            findings: Vec::new(),
            findings_revision: 0,
            open_counts: [0; 3],
            checklist: ChecklistState::default(),
            side_tab: SideTab::default(),
            session: crate::interview::InterviewSession::new(),
            presentation: None,
            probes: Vec::new(),
            probes_revision: 0,
            status: None,
            show_shortcuts: false,
            show_about: false,
            show_templates: false,
            queued: Vec::new(),
            quit_requested: false,
        }
    }

    /// The app on the built-in example design.
    pub fn with_example() -> Self {
        Self::new(Document::new(example_design()))
    }

    /// One-time setup of a context: icon font, theme, no UI zoom on Ctrl+±.
    pub fn setup(&self, ctx: &egui::Context) {
        icons::install(ctx);
        ctx.set_theme(self.prefs.theme);
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
    }

    fn apply_prefs(&mut self, prefs: Preferences) {
        self.editor.snap_to_grid = prefs.snap_to_grid;
        self.prefs = prefs;
    }

    /// Queues an action to run at the start of the next frame.
    pub fn queue(&mut self, action: Action) {
        self.queued.push(action);
    }

    pub fn quit_requested(&self) -> bool {
        self.quit_requested
    }

    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// The checklist findings for the current diagram (open and accepted).
    pub fn findings(&mut self) -> &[crate::rules::Finding] {
        self.refresh_findings();
        &self.findings
    }

    /// Re-runs the checklist when the diagram changed since the last run.
    fn refresh_findings(&mut self) {
        let revision = self.editor.doc.revision();
        if revision == self.findings_revision {
            return;
        }
        let diagram = self.editor.diagram();
        self.findings = crate::rules::check(diagram);
        let review = crate::rules::review(diagram, &self.findings);
        self.canvas.badges = canvas::badges::badges_from(&review.open);
        use crate::rules::Severity;
        self.open_counts = [
            review.open_count(Severity::Error),
            review.open_count(Severity::Warning),
            review.open_count(Severity::Info),
        ];
        self.findings_revision = revision;
    }

    fn checklist_action(&mut self, action: ChecklistAction) {
        use crate::model::edit::Edit;
        let result = match action {
            ChecklistAction::Select(subject) => {
                if let Some(id) = subject.id() {
                    self.reveal(id);
                }
                Ok(())
            }
            ChecklistAction::ApplyFix { label, edit } => {
                let result = self.editor.doc.apply(&label, edit, None);
                if result.is_ok() {
                    self.status = Some(format!("Applied: {}", label.to_lowercase()));
                }
                result
            }
            ChecklistAction::Accept {
                rule_id,
                subject,
                note,
            } => {
                let decision = crate::model::Decision {
                    rule_id: rule_id.clone(),
                    subject,
                    status: crate::model::DecisionStatus::AcceptedTradeOff,
                    note,
                };
                self.editor.doc.apply(
                    "Accept trade-off",
                    Edit::SetDecision {
                        rule_id,
                        subject,
                        decision: Some(decision),
                    },
                    None,
                )
            }
            ChecklistAction::Reopen { rule_id, subject } => self.editor.doc.apply(
                "Reopen finding",
                Edit::SetDecision {
                    rule_id,
                    subject,
                    decision: None,
                },
                None,
            ),
        };
        if let Err(err) = result {
            self.status = Some(format!("Could not change the design: {err}"));
        }
        self.editor.prune_selection();
    }

    /// Whether an action can run now (menus grey out the others).
    fn enabled(&self, action: Action) -> bool {
        let has_selection = !self.editor.selection.is_empty();
        match action {
            Action::Undo => self.editor.doc.history().undo_label().is_some(),
            Action::Redo => self.editor.doc.history().redo_label().is_some(),
            Action::Cut | Action::Copy | Action::Duplicate | Action::Delete => has_selection,
            Action::Paste => self.editor.has_clipboard(),
            Action::Rename => self.editor.selection.len() == 1,
            Action::NewStep => has_selection && !self.is_presenting(),
            _ if self.is_presenting() => matches!(
                action,
                Action::Present
                    | Action::AudienceWindow
                    | Action::Quit
                    | Action::ZoomIn
                    | Action::ZoomOut
                    | Action::ZoomReset
                    | Action::ZoomToFit
                    | Action::ExportReport
                    | Action::ShowShortcuts
            ),
            _ => true,
        }
    }

    fn run(&mut self, action: Action) {
        if !self.enabled(action) {
            return;
        }
        let result = match action {
            Action::Quit => {
                self.request(Pending::Quit);
                Ok(())
            }
            Action::New => {
                self.request(Pending::New);
                Ok(())
            }
            Action::NewFromTemplate => {
                self.show_templates = true;
                Ok(())
            }
            Action::Open => {
                self.request(Pending::OpenDialog);
                Ok(())
            }
            Action::Save => {
                self.save();
                Ok(())
            }
            Action::SaveAs => {
                self.save_as();
                Ok(())
            }
            Action::Undo => {
                self.status = self
                    .editor
                    .undo()
                    .map(|label| format!("Undid: {}", label.to_lowercase()));
                Ok(())
            }
            Action::Redo => {
                self.status = self
                    .editor
                    .redo()
                    .map(|label| format!("Redid: {}", label.to_lowercase()));
                Ok(())
            }
            Action::Cut => {
                self.editor.copy_selection();
                self.editor.delete_selection()
            }
            Action::Copy => {
                let count = self.editor.selection.len();
                if self.editor.copy_selection() {
                    self.status = Some(format!(
                        "Copied {count} item{}",
                        if count == 1 { "" } else { "s" }
                    ));
                }
                Ok(())
            }
            Action::Paste => self.editor.paste(),
            Action::Duplicate => self.editor.duplicate_selection(),
            Action::Delete => self.editor.delete_selection(),
            Action::SelectAll => {
                self.editor.select_all();
                Ok(())
            }
            Action::Rename => {
                if let Some(&id) = self.editor.selection.iter().next() {
                    self.canvas.start_rename(self.editor.diagram(), id);
                }
                Ok(())
            }
            Action::ZoomIn => {
                self.canvas.zoom_in();
                Ok(())
            }
            Action::ZoomOut => {
                self.canvas.zoom_out();
                Ok(())
            }
            Action::ZoomReset => {
                self.canvas.zoom_reset();
                Ok(())
            }
            Action::ZoomToFit => {
                self.canvas.request_fit();
                Ok(())
            }
            Action::ToggleSnap => {
                self.prefs.snap_to_grid = !self.prefs.snap_to_grid;
                self.editor.snap_to_grid = self.prefs.snap_to_grid;
                Ok(())
            }
            Action::TogglePalette => {
                self.prefs.show_palette = !self.prefs.show_palette;
                Ok(())
            }
            Action::ToggleInspector => {
                self.prefs.show_inspector = !self.prefs.show_inspector;
                Ok(())
            }
            Action::ShowShortcuts => {
                self.show_shortcuts = true;
                Ok(())
            }
            Action::Present => {
                if self.is_presenting() {
                    self.leave_present();
                } else {
                    self.enter_present();
                }
                Ok(())
            }
            Action::AudienceWindow => {
                if !self.is_presenting() {
                    self.enter_present();
                }
                if let Some(p) = self.presentation.as_mut() {
                    p.audience = true;
                }
                Ok(())
            }
            Action::ExportReport => {
                self.ask_export_report();
                Ok(())
            }
            Action::NewStep => {
                let step = self.step_from_selection(self.editor.diagram().steps.len());
                let mut steps = self.editor.diagram().steps.clone();
                steps.push(step);
                self.status = Some(format!("Added step {}", steps.len()));
                self.editor
                    .doc
                    .apply("New step", crate::model::edit::Edit::SetSteps(steps), None)
            }
            Action::ToggleTimer => {
                self.prefs.show_timer = !self.prefs.show_timer;
                Ok(())
            }
        };
        if let Err(err) = result {
            self.status = Some(format!(
                "Could not {}: {err}",
                action.label().to_lowercase()
            ));
        }
    }

    /// Draws the whole window for one frame.
    pub fn ui_root(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let mut actions = std::mem::take(&mut self.queued);
        for action in actions::actions_from_input(&ctx) {
            if !(self.canvas.is_renaming() && action.is_canvas_action()) {
                actions.push(action);
            }
        }
        for action in actions {
            self.run(action);
        }
        if self.is_presenting() {
            self.present_keys(&ctx);
        }
        if self.is_presenting() {
            self.present_ui(ui);
            self.windows_ui(&ctx);
            self.files_ui(ui);
            return;
        }

        Panel::top("menu-bar").show(ui, |ui| self.menu_bar_ui(ui));
        Panel::bottom("status-bar").show(ui, |ui| self.status_bar_ui(ui));
        if self.prefs.show_timer {
            Panel::top("timer-bar").show(ui, |ui| {
                ui.add_space(2.0);
                let now = ui.input(|i| i.time);
                interview::timer_bar_ui(ui, &mut self.session.timer, now);
                ui.add_space(2.0);
            });
        }
        if self.prefs.show_palette {
            Panel::left("palette")
                .default_size(220.0)
                .size_range(180.0..=360.0)
                .show(ui, |ui| {
                    ui.add_space(6.0);
                    ui.label(RichText::new("Components").strong());
                    if let Some(item) = self.palette.ui(ui) {
                        let at = self.canvas.center();
                        if let Some(id) = canvas::add_palette_item(&mut self.editor, item, at)
                            && let Some(c) = self.editor.diagram().component(id)
                        {
                            self.canvas.reveal(c.rect());
                        }
                    }
                });
        }
        self.refresh_findings();
        if self.prefs.show_inspector {
            Panel::right("inspector")
                .default_size(320.0)
                .size_range(260.0..=480.0)
                .show(ui, |ui| self.side_panel_ui(ui));
        }
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                let selection_before = self.editor.selection.clone();
                let requests = self.canvas.ui(ui, &mut self.editor);
                // Picking something on the canvas means "show me its fields".
                if self.editor.selection != selection_before && !self.editor.selection.is_empty() {
                    self.side_tab = SideTab::Inspector;
                }
                for request in requests {
                    match request {
                        CanvasRequest::ContextAction(action) => self.queued.push(action),
                    }
                }
            });
        if !self.queued.is_empty() {
            ctx.request_repaint();
        }
        self.windows_ui(&ctx);
        self.files_ui(ui);

        // A gesture ends when nothing is being dragged or typed.
        if !ctx.egui_is_using_pointer() && !ctx.egui_wants_keyboard_input() {
            self.editor.doc.end_gesture();
        }
    }

    /// The right-hand panel: inspector and checklist as tabs.
    fn side_panel_ui(&mut self, ui: &mut Ui) {
        ui.add_space(6.0);
        let open: usize = self.open_counts.iter().sum();
        let worst = crate::rules::Severity::ALL
            .into_iter()
            .zip(self.open_counts)
            .find(|(_, n)| *n > 0)
            .map(|(s, _)| s);
        ui.horizontal(|ui| {
            for (tab, name, label) in [
                (SideTab::Inspector, "Inspector", "Inspector tab"),
                (SideTab::Interview, "Interview", "Interview tab"),
            ] {
                let r = ui.selectable_value(&mut self.side_tab, tab, name);
                label_for(&r, label);
            }
            let mut text = egui::text::LayoutJob::default();
            let font = egui::TextStyle::Button.resolve(ui.style());
            text.append(
                "Checklist",
                0.0,
                egui::TextFormat::simple(font.clone(), ui.visuals().text_color()),
            );
            if let Some(severity) = worst {
                text.append(
                    &format!("{} {open}", checklist::severity_icon(severity)),
                    6.0,
                    egui::TextFormat::simple(font, checklist::severity_color(ui, severity)),
                );
            }
            let tab = ui.selectable_label(self.side_tab == SideTab::Checklist, text);
            label_for(&tab, "Checklist tab");
            if tab.clicked() {
                self.side_tab = SideTab::Checklist;
            }
        });
        ui.separator();
        match self.side_tab {
            SideTab::Inspector => {
                if let Some(InspectorRequest::Reveal(id)) =
                    inspector::inspector_ui(ui, &mut self.editor)
                {
                    self.reveal(id);
                }
            }
            SideTab::Interview => self.interview_tab_ui(ui),
            SideTab::Checklist => {
                if let Some(action) = checklist::checklist_ui(
                    ui,
                    self.editor.diagram(),
                    &self.findings,
                    &mut self.checklist,
                ) {
                    self.checklist_action(action);
                }
            }
        }
    }

    /// Selects an item and pans the canvas to it.
    fn reveal(&mut self, id: crate::model::Id) {
        self.editor.select_only(id);
        if let Some(rect) = self.editor.diagram().item_rect(id) {
            self.canvas.reveal(rect);
        }
    }

    fn action_button(&mut self, ui: &mut Ui, action: Action) {
        let label = match action {
            Action::Undo => self
                .editor
                .doc
                .history()
                .undo_label()
                .map_or("Undo".to_owned(), |l| format!("Undo {}", l.to_lowercase())),
            Action::Redo => self
                .editor
                .doc
                .history()
                .redo_label()
                .map_or("Redo".to_owned(), |l| format!("Redo {}", l.to_lowercase())),
            _ => action.label().to_owned(),
        };
        let mut button = egui::Button::new(label);
        if let Some(shortcut) = action.shortcut() {
            button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
        }
        let response = ui
            .add_enabled(self.enabled(action), button)
            .on_hover_text(action.hint());
        if response.clicked() {
            self.queued.push(action);
            ui.close();
        }
    }

    fn toggle_button(&mut self, ui: &mut Ui, action: Action, on: bool) {
        let mut checked = on;
        let mut text = action.label().to_owned();
        if let Some(shortcut) = action.shortcut() {
            text = format!("{text}  ({})", ui.ctx().format_shortcut(&shortcut));
        }
        if ui
            .checkbox(&mut checked, text)
            .on_hover_text(action.hint())
            .clicked()
        {
            self.queued.push(action);
        }
    }

    fn menu_bar_ui(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                self.action_button(ui, Action::New);
                self.action_button(ui, Action::NewFromTemplate);
                self.action_button(ui, Action::Open);
                ui.menu_button("Open recent", |ui| self.recent_menu_ui(ui));
                ui.separator();
                self.action_button(ui, Action::Save);
                self.action_button(ui, Action::SaveAs);
                ui.separator();
                self.action_button(ui, Action::ExportReport);
                ui.separator();
                self.action_button(ui, Action::Quit);
            });
            ui.menu_button("Edit", |ui| {
                self.action_button(ui, Action::Undo);
                self.action_button(ui, Action::Redo);
                ui.separator();
                for action in [
                    Action::Cut,
                    Action::Copy,
                    Action::Paste,
                    Action::Duplicate,
                    Action::Delete,
                ] {
                    self.action_button(ui, action);
                }
                ui.separator();
                self.action_button(ui, Action::SelectAll);
                self.action_button(ui, Action::Rename);
            });
            ui.menu_button("View", |ui| {
                for action in [
                    Action::ZoomIn,
                    Action::ZoomOut,
                    Action::ZoomReset,
                    Action::ZoomToFit,
                ] {
                    self.action_button(ui, action);
                }
                ui.separator();
                self.toggle_button(ui, Action::ToggleSnap, self.prefs.snap_to_grid);
                self.toggle_button(ui, Action::TogglePalette, self.prefs.show_palette);
                self.toggle_button(ui, Action::ToggleInspector, self.prefs.show_inspector);
                self.toggle_button(ui, Action::ToggleTimer, self.prefs.show_timer);
                ui.separator();
                ui.label("Theme");
                let before = self.prefs.theme;
                ui.radio_value(
                    &mut self.prefs.theme,
                    egui::ThemePreference::System,
                    "Follow the system",
                );
                ui.radio_value(&mut self.prefs.theme, egui::ThemePreference::Light, "Light");
                ui.radio_value(&mut self.prefs.theme, egui::ThemePreference::Dark, "Dark");
                if self.prefs.theme != before {
                    ui.ctx().set_theme(self.prefs.theme);
                }
            });
            ui.menu_button("Interview", |ui| {
                self.action_button(ui, Action::Present);
                self.action_button(ui, Action::AudienceWindow);
                self.action_button(ui, Action::NewStep);
                ui.separator();
                self.action_button(ui, Action::ExportReport);
            });
            ui.menu_button("Help", |ui| {
                self.action_button(ui, Action::ShowShortcuts);
                if ui.button("About Archboard").clicked() {
                    self.show_about = true;
                    ui.close();
                }
            });
        });
    }

    fn status_bar_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let d = self.editor.diagram();
            ui.label(format!("{}%", (self.canvas.view.zoom() * 100.0).round()))
                .on_hover_text("Ctrl+scroll or Ctrl+= / Ctrl+- to zoom; Shift+1 fits the design");
            ui.separator();
            ui.label(format!("{} components · {} connections", d.components.len(), d.connections.len()));
            ui.separator();
            let [errors, warnings, infos] = self.open_counts;
            let summary = crate::rules::summary_text(errors, warnings, infos);
            if ui.link(summary).on_hover_text("Open the checklist").clicked() {
                self.side_tab = SideTab::Checklist;
                self.prefs.show_inspector = true;
            }
            if !self.editor.selection.is_empty() {
                ui.separator();
                ui.label(format!("{} selected", self.editor.selection.len()));
            }
            if self.editor.doc.is_dirty() {
                ui.separator();
                ui.label("Unsaved changes");
            }
            ui.separator();
            if let Some(status) = &self.status {
                ui.label(status);
            } else {
                ui.weak("Drag to pan · Shift+drag to box-select · drag from a port to connect · double-click to rename");
            }
        });
    }

    fn windows_ui(&mut self, ctx: &egui::Context) {
        if let Some(template) = templates::template_picker_ui(ctx, &mut self.show_templates) {
            self.request(Pending::Template(template.name));
        }
        egui::Window::new("Keyboard shortcuts")
            .open(&mut self.show_shortcuts)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts")
                    .num_columns(2)
                    .striped(true)
                    .spacing([24.0, 4.0])
                    .show(ui, |ui| {
                        for action in Action::ALL {
                            let Some(shortcut) = action.shortcut() else {
                                continue;
                            };
                            ui.label(ctx.format_shortcut(&shortcut));
                            ui.label(action.hint());
                            ui.end_row();
                        }
                        for (keys, what) in [
                            ("Arrow keys", "Nudge the selection by one grid step"),
                            ("Shift+click", "Add to or remove from the selection"),
                            ("Shift+drag", "Box-select"),
                            ("Drag, middle drag, scroll", "Pan"),
                            ("Ctrl+scroll, pinch", "Zoom"),
                            ("Double-click", "Rename in place"),
                            ("Escape", "Cancel a drag, then clear the selection"),
                        ] {
                            ui.label(keys);
                            ui.label(what);
                            ui.end_row();
                        }
                    });
            });
        egui::Window::new("About Archboard")
            .open(&mut self.show_about)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                ui.label(format!("Archboard {}", env!("CARGO_PKG_VERSION")));
                ui.label("A whiteboard for practising system-design interviews");
                ui.weak("Icons: Phosphor (MIT)");
            });
    }
}

/// The eframe wrapper: window lifecycle and preference storage.
struct NativeApp {
    app: ArchboardApp,
    /// The window title last sent (sent again only when it changes).
    title: String,
}

impl eframe::App for NativeApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.app.ui_root(ui);
        let title = self.app.window_title();
        if title != self.title {
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if self.app.quit_requested {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFERENCES_KEY, &self.app.prefs);
    }
}

/// Opens the main window on `file`, or on the example design.
pub fn run_native(file: Option<PathBuf>) -> anyhow::Result<()> {
    let doc = match &file {
        Some(path) => match crate::io::load(path) {
            Ok(diagram) => Document::from_file(diagram, path.clone()),
            Err(err) => anyhow::bail!("could not open the design: {err}"),
        },
        None => Document::new(startup_design()),
    };
    explain_missing_display()?;
    let data_dir = eframe::storage_dir("archboard");
    if let Some(dir) = &data_dir {
        files::install_panic_hook(dir.clone());
    }
    let recovery = data_dir.as_deref().and_then(crate::io::recovery::find);
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
                let mut app = ArchboardApp::new(doc);
                app.files.data_dir = data_dir;
                app.files.recovery_offer = recovery;
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
