//! The egui front end. [`ArchboardApp::ui_root`] draws the whole window and
//! is what both eframe and the UI tests call.
//!
//! The UI holds only view state (the camera, panels, dialogs, what a panel
//! has expanded); the design and everything derived from it live in the
//! [`Session`]. Every panel follows one protocol: read the session, return
//! or send commands. Menus and shortcuts go through [`actions::Action`].

pub mod actions;
pub mod canvas;
pub mod checklist;
pub mod clipboard;
pub mod command_palette;
pub mod file_dialog;
mod files;
pub mod icons;
pub mod inspector;
pub mod interview;
pub mod live;
mod native;
pub mod palette;
mod present;
pub mod probes;
pub mod quantity;
pub mod replay;
pub mod requirements;
pub mod sessions;
pub mod template_picker;
pub mod theme;
pub mod timer;
pub mod whatif;

use std::path::PathBuf;
use std::time::Duration;

use egui::{Panel, RichText, Ui};

use crate::app::{
    Command, Document, FileCommand, PresentCommand, SelectionChange, Session, WhatIfCommand,
};
use actions::Action;
use canvas::{Canvas, CanvasRequest};
use checklist::ChecklistState;
use clipboard::ImageClipboard;
use file_dialog::FileDialogs;
pub use native::{STARTUP_TEMPLATE, run_native, startup_design};
use palette::Palette;
use present::PresentView;

/// How long a status message stays in the status bar.
pub const STATUS_SHOWN_FOR: Duration = Duration::from_secs(6);

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
    /// Side panel widths the user set by dragging their edge (`None`: the
    /// default). Content never widens a panel.
    pub palette_width: Option<f32>,
    pub side_panel_width: Option<f32>,
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
            palette_width: None,
            side_panel_width: None,
            recent: Vec::new(),
        }
    }
}

const PREFERENCES_KEY: &str = "archboard-preferences";

/// Default and limits of the side panels' widths, in points.
pub const PALETTE_WIDTH: f32 = 220.0;
pub const PALETTE_WIDTHS: std::ops::RangeInclusive<f32> = 160.0..=360.0;
pub const SIDE_PANEL_WIDTH: f32 = 320.0;
pub const SIDE_PANEL_WIDTHS: std::ops::RangeInclusive<f32> = 260.0..=560.0;

/// A resizable side panel held at exactly `width` unless the user is
/// dragging its edge (then anywhere in `widths`), so wide content (a long
/// finding, a table) can never widen it or push the canvas aside. Returns
/// the panel and whether its edge is being dragged this frame.
fn pinned_panel(
    ctx: &egui::Context,
    panel: Panel,
    id: egui::Id,
    width: f32,
    widths: std::ops::RangeInclusive<f32>,
) -> (Panel, bool) {
    let width = width.clamp(*widths.start(), *widths.end());
    let dragging = ctx
        .read_response(id.with("__resize"))
        .is_some_and(|r| r.dragged() || r.drag_stopped());
    let range = if dragging { widths } else { width..=width };
    let panel = panel.resizable(true).default_size(width).size_range(range);
    (panel, dragging)
}

/// Draws a side panel's contents in exactly the space the panel has: a
/// widget that does not wrap is cut off at the panel's edge instead of
/// widening the panel over the canvas.
fn within_panel<R>(ui: &mut Ui, add_contents: impl FnOnce(&mut Ui) -> R) -> R {
    let rect = ui.available_rect_before_wrap();
    let mut inner = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(egui::Layout::top_down(egui::Align::Min)),
    );
    inner.set_clip_rect(rect.intersect(ui.clip_rect()));
    let out = add_contents(&mut inner);
    ui.allocate_rect(rect, egui::Sense::hover());
    out
}

/// The width the user dragged a side panel to, from what the panel showed
/// this frame.
fn dragged_width(shown: &egui::Response, widths: std::ops::RangeInclusive<f32>) -> f32 {
    shown.rect.width().clamp(*widths.start(), *widths.end())
}

/// What the right-hand panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SideTab {
    Inspector,
    #[default]
    Checklist,
    Interview,
    /// Shown while what-if mode is on.
    WhatIf,
}

/// The window: the session it shows, and the view state around it.
pub struct ArchboardApp {
    pub session: Session,
    pub canvas: Canvas,
    pub palette: Palette,
    pub prefs: Preferences,
    pub dialogs: FileDialogs,
    pub checklist: ChecklistState,
    pub side_tab: SideTab,
    /// Where "Copy as image" puts its picture (tests swap in their own).
    pub image_clipboard: ImageClipboard,
    whatif_panel: whatif::WhatIfPanel,
    /// While what-if mode is on: the side tab and whether the side panel
    /// showed before it (entering shows its tab, leaving puts both back).
    whatif_was_on: Option<(SideTab, bool)>,
    /// The audience window and its canvas, while presenting.
    present: PresentView,
    show_shortcuts: bool,
    show_about: bool,
    show_templates: bool,
    queued: Vec<Action>,
    /// The command palette and the pickers that share it.
    pub command_palette: command_palette::CommandPalette,
    /// Whether the window had the focus last frame (regaining it checks the
    /// design's file for changes made elsewhere).
    was_focused: bool,
    /// The interviewer link: the host while sharing, the invite window.
    pub live: live::LiveUi,
    /// A recorded session being replayed under the canvas.
    pub replay: Option<replay::ReplayState>,
    /// Why the last replay could not open.
    replay_error: Option<String>,
    sessions_panel: sessions::SessionsPanel,
    pub scorecard: Option<sessions::ScorecardWindow>,
    /// The progress window, while open.
    pub progress: Option<crate::interview::progress::Progress>,
}

impl ArchboardApp {
    /// An app showing `doc`, with default preferences.
    pub fn new(doc: Document) -> Self {
        Self::with_session(Session::new(doc))
    }

    /// The app on the built-in example design (tests and benchmarks).
    pub fn with_example() -> Self {
        Self::new(Document::new(crate::app::example::example_design()))
    }

    /// An app on an existing session (tests give it a mocked clock or a data
    /// folder for autosave).
    pub fn with_session(session: Session) -> Self {
        let mut app = Self {
            session,
            canvas: Canvas::new(),
            palette: Palette::default(),
            prefs: Preferences::default(),
            dialogs: FileDialogs::new(),
            checklist: ChecklistState::default(),
            side_tab: SideTab::default(),
            image_clipboard: ImageClipboard::system(),
            whatif_panel: whatif::WhatIfPanel::default(),
            whatif_was_on: None,
            present: PresentView::default(),
            show_shortcuts: false,
            show_about: false,
            show_templates: false,
            queued: Vec::new(),
            was_focused: true,
            live: live::LiveUi::default(),
            command_palette: command_palette::CommandPalette::default(),
            replay: None,
            replay_error: None,
            sessions_panel: sessions::SessionsPanel::default(),
            scorecard: None,
            progress: None,
        };
        app.apply_prefs(Preferences::default());
        app
    }

    /// One-time setup of a context: icon font, theme, no UI zoom on Ctrl+±.
    pub fn setup(&self, ctx: &egui::Context) {
        icons::install(ctx);
        ctx.set_theme(self.prefs.theme);
        ctx.options_mut(|o| o.zoom_with_keyboard = false);
    }

    fn apply_prefs(&mut self, prefs: Preferences) {
        self.session
            .send(Command::SetSnapToGrid(prefs.snap_to_grid));
        self.prefs = prefs;
    }

    /// Queues an action to run at the start of the next frame.
    pub fn queue(&mut self, action: Action) {
        self.queued.push(action);
    }

    /// The status bar's message, while it is shown.
    pub fn status(&self) -> Option<&str> {
        let status = self.session.status()?;
        let age_ms = self.session.now().0.saturating_sub(status.at.0);
        (u128::from(age_ms) < STATUS_SHOWN_FOR.as_millis()).then_some(status.text.as_str())
    }

    /// Whether an action can run now (menus grey out the others).
    fn enabled(&self, action: Action) -> bool {
        let session = &self.session;
        let has_selection = !session.selection().is_empty();
        match action {
            // While a replay is shown, the open design is hidden: nothing
            // may change it unseen.
            Action::Undo
            | Action::Redo
            | Action::Cut
            | Action::Paste
            | Action::Duplicate
            | Action::Delete
            | Action::SelectAll
            | Action::Rename
            | Action::NewStep
            | Action::Present
            | Action::AudienceWindow
                if self.replay.is_some() =>
            {
                false
            }
            Action::Undo => session.undo_label().is_some(),
            Action::Redo => session.redo_label().is_some(),
            Action::Cut | Action::Copy | Action::Duplicate | Action::Delete => has_selection,
            Action::Paste => session.has_clipboard(),
            Action::Rename => session.selection().len() == 1,
            Action::NewStep => has_selection && !session.is_presenting(),
            Action::AddConnected => self.single_card().is_some() && !session.is_presenting(),
            Action::GroupSelection | Action::ZoomToSelection => has_selection,
            Action::AlignLeft
            | Action::AlignCenter
            | Action::AlignRight
            | Action::AlignTop
            | Action::AlignMiddle
            | Action::AlignBottom => session.selection().len() >= 2,
            Action::DistributeHorizontally | Action::DistributeVertically => {
                session.selection().len() >= 3
            }
            Action::FailSelection => {
                !session.is_presenting() && whatif::scenario_for_selection(session).is_some()
            }
            _ if session.is_presenting() => matches!(
                action,
                Action::Present
                    | Action::AudienceWindow
                    | Action::Quit
                    | Action::ZoomIn
                    | Action::ZoomOut
                    | Action::ZoomReset
                    | Action::ZoomToFit
                    | Action::ExportReport
                    | Action::Export(_)
                    | Action::CopyAsImage
                    | Action::ShowShortcuts
                    | Action::InviteInterviewer
            ),
            _ => true,
        }
    }

    /// Runs an action: the design's commands go to the session, the view's
    /// own (zoom, panels, windows) are handled here.
    fn run(&mut self, action: Action) {
        if self.enabled(action)
            && let Some(command) = self.command_for(action)
        {
            self.session.send(command);
        }
    }

    /// Does the view's part of an action and returns the command it sends
    /// to the session, if any.
    fn command_for(&mut self, action: Action) -> Option<Command> {
        let command = match action {
            Action::New => Command::File(FileCommand::New),
            Action::Open => Command::File(FileCommand::Open),
            Action::Save => Command::File(FileCommand::Save),
            Action::SaveAs => Command::File(FileCommand::SaveAs),
            Action::Quit => Command::File(FileCommand::Quit),
            Action::ExportReport => Command::File(FileCommand::ExportReportAs),
            Action::Export(format) => Command::File(FileCommand::ExportAs(format)),
            Action::ImportMermaid => Command::File(FileCommand::ImportMermaid),
            Action::CopyAsImage => {
                self.copy_as_image();
                return None;
            }
            Action::WhatIf => Command::WhatIf(if self.session.whatif().is_some() {
                WhatIfCommand::Leave
            } else {
                WhatIfCommand::Run(crate::sim::Scenario::baseline())
            }),
            Action::FailSelection => Command::WhatIf(WhatIfCommand::Run(
                whatif::scenario_for_selection(&self.session)?,
            )),
            Action::Undo => Command::Undo,
            Action::Redo => Command::Redo,
            Action::Cut => Command::Cut,
            Action::Copy => Command::Copy,
            Action::Paste => Command::Paste,
            Action::Duplicate => Command::Duplicate,
            Action::Delete => Command::DeleteSelection,
            Action::SelectAll => Command::Select(SelectionChange::All),
            Action::NewStep => Command::AddStepFromSelection,
            Action::ToggleSnap => {
                self.prefs.snap_to_grid = !self.prefs.snap_to_grid;
                Command::SetSnapToGrid(self.prefs.snap_to_grid)
            }
            Action::Present => Command::Present(if self.session.is_presenting() {
                PresentCommand::Leave
            } else {
                PresentCommand::Enter
            }),
            Action::AudienceWindow => {
                self.present.open_audience();
                if self.session.is_presenting() {
                    return None;
                }
                Command::Present(PresentCommand::Enter)
            }
            Action::NewFromTemplate => {
                self.show_templates = true;
                return None;
            }
            Action::Rename => {
                if let Some(&id) = self.session.selection().iter().next() {
                    self.canvas.start_rename(self.session.diagram(), id);
                }
                return None;
            }
            Action::ZoomIn | Action::ZoomOut | Action::ZoomReset | Action::ZoomToFit => {
                match action {
                    Action::ZoomIn => self.canvas.zoom_in(),
                    Action::ZoomOut => self.canvas.zoom_out(),
                    Action::ZoomReset => self.canvas.zoom_reset(),
                    _ => self.canvas.request_fit(),
                }
                return None;
            }
            Action::TogglePalette | Action::ToggleInspector | Action::ToggleTimer => {
                let prefs = &mut self.prefs;
                let flag = match action {
                    Action::TogglePalette => &mut prefs.show_palette,
                    Action::ToggleInspector => &mut prefs.show_inspector,
                    _ => &mut prefs.show_timer,
                };
                *flag = !*flag;
                return None;
            }
            Action::ShowShortcuts => {
                self.show_shortcuts = !self.show_shortcuts;
                return None;
            }
            Action::InviteInterviewer => {
                self.live.window_open = true;
                return None;
            }
            Action::CommandPalette | Action::Find | Action::GroupSelection => {
                self.command_palette.open(match action {
                    Action::Find => command_palette::Mode::Find,
                    Action::GroupSelection => command_palette::Mode::GroupKind,
                    _ => command_palette::Mode::Everything,
                });
                return None;
            }
            Action::AddConnected => {
                if let Some(from) = self.single_card() {
                    self.command_palette
                        .open(command_palette::Mode::AddConnected { from });
                }
                return None;
            }
            Action::ZoomToSelection => {
                let d = self.session.diagram();
                let bounds = self
                    .session
                    .selection()
                    .iter()
                    .filter_map(|&id| d.item_rect(id))
                    .reduce(crate::model::Rect::union);
                if let Some(bounds) = bounds {
                    self.canvas.fit_to(bounds);
                }
                return None;
            }
            Action::TidyUp => {
                let selection: Vec<_> = self.session.selection().iter().copied().collect();
                Command::Tidy {
                    ids: (selection.len() >= 2).then_some(selection),
                }
            }
            Action::ApplyAllFixes => Command::ApplyAllFixes { category: None },
            Action::AlignLeft => Command::Align(crate::app::Alignment::Left),
            Action::AlignCenter => Command::Align(crate::app::Alignment::CenterX),
            Action::AlignRight => Command::Align(crate::app::Alignment::Right),
            Action::AlignTop => Command::Align(crate::app::Alignment::Top),
            Action::AlignMiddle => Command::Align(crate::app::Alignment::CenterY),
            Action::AlignBottom => Command::Align(crate::app::Alignment::Bottom),
            Action::DistributeHorizontally => Command::Distribute(crate::app::Axis::Horizontal),
            Action::DistributeVertically => Command::Distribute(crate::app::Axis::Vertical),
        };
        Some(command)
    }

    /// Copies a picture of the selection (or of the whole design) to the
    /// system clipboard, and says in the status bar how that went.
    fn copy_as_image(&mut self) {
        let selection: Vec<_> = self.session.selection().iter().copied().collect();
        let options = crate::export::SvgOptions {
            scope: crate::app::copy_scope(&selection),
            ..crate::app::app_export_options(crate::app::ExportFormat::Png)
        };
        let picture = match crate::export::pixels(
            self.session.diagram(),
            &options,
            crate::app::EXPORT_PNG_SCALE,
        ) {
            Ok(picture) => picture,
            Err(err) => {
                self.session
                    .set_error(format!("Could not copy the picture: {err}"));
                return;
            }
        };
        let (width, height) = (picture.width, picture.height);
        match self.image_clipboard.set_image(picture) {
            Ok(()) => {
                let what = if selection.is_empty() {
                    "the design"
                } else {
                    "the selection"
                };
                self.session.set_status(format!(
                    "Copied a picture of {what} ({width} × {height} pixels)"
                ));
            }
            Err(why) => self
                .session
                .set_error(format!("Could not copy the picture: {why}")),
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
        self.follow_present_mode();
        self.follow_whatif_mode();
        if self.session.is_presenting() {
            self.present_keys(&ctx);
            self.curveball_banner_ui(ui);
            self.present_ui(ui);
            self.comment_markers_ui(&ctx);
            self.windows_ui(&ctx);
            self.files_ui(ui);
            self.live_frame();
            return;
        }

        Panel::top("menu-bar").show(ui, |ui| self.menu_bar_ui(ui));
        Panel::bottom("status-bar").show(ui, |ui| self.status_bar_ui(ui));
        if self.prefs.show_timer {
            Panel::top("timer-bar").show(ui, |ui| {
                ui.add_space(2.0);
                let now = self.session.now().as_secs_f64();
                if let Some(command) = timer::timer_bar_ui(ui, &self.session.interview().timer, now)
                {
                    self.session.send(Command::Timer(command));
                }
                ui.add_space(2.0);
            });
        }
        self.curveball_banner_ui(ui);
        if self.prefs.show_palette {
            let width = self.prefs.palette_width.unwrap_or(PALETTE_WIDTH);
            let id = egui::Id::new("palette");
            let (panel, dragging) = pinned_panel(&ctx, Panel::left(id), id, width, PALETTE_WIDTHS);
            let shown = panel.show(ui, |ui| {
                within_panel(ui, |ui| {
                    ui.add_space(6.0);
                    ui.label(RichText::new("Components").strong());
                    if let Some(item) = self.palette.ui(ui) {
                        let at = self.add_point();
                        if let Some(id) = canvas::add_palette_item(&mut self.session, item, at)
                            && let Some(rect) = self.session.diagram().item_rect(id)
                        {
                            self.canvas.reveal(rect);
                        }
                    }
                })
            });
            if dragging {
                self.prefs.palette_width = Some(dragged_width(&shown.response, PALETTE_WIDTHS));
            }
        }
        if self.prefs.show_inspector {
            let width = self.prefs.side_panel_width.unwrap_or(SIDE_PANEL_WIDTH);
            let id = egui::Id::new("inspector");
            let (panel, dragging) =
                pinned_panel(&ctx, Panel::right(id), id, width, SIDE_PANEL_WIDTHS);
            let shown = panel.show(ui, |ui| within_panel(ui, |ui| self.side_panel_ui(ui)));
            if dragging {
                self.prefs.side_panel_width =
                    Some(dragged_width(&shown.response, SIDE_PANEL_WIDTHS));
            }
        }
        self.scrubber_panel_ui(ui);
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                if let Some(state) = &mut self.replay {
                    let caption = format!(
                        "Replay: session {} at {}, not the open design",
                        state.view.number(),
                        crate::interview::timer::format_clock(
                            state.view.offset_ms() as f64 / 1000.0
                        )
                    );
                    let view = state.view.session();
                    state.canvas.view_ui(ui, view, "Replay canvas", &caption);
                    return;
                }
                let selection_before = self.session.selection().clone();
                let requests = self.canvas.ui(ui, &mut self.session);
                // Picking something on the canvas means "show me its fields"
                // (in what-if mode, the what-if tab shows it).
                let selection = self.session.selection();
                if *selection != selection_before
                    && !selection.is_empty()
                    && self.side_tab != SideTab::WhatIf
                {
                    self.side_tab = SideTab::Inspector;
                }
                self.whatif_banner_ui(ui);
                for request in requests {
                    match request {
                        CanvasRequest::ContextAction(action) => self.queued.push(action),
                        CanvasRequest::AddConnected(from) => self
                            .command_palette
                            .open(command_palette::Mode::AddConnected { from }),
                        CanvasRequest::AddAt(at) => {
                            self.command_palette
                                .open(command_palette::Mode::AddAt { at });
                        }
                    }
                }
            });
        self.comment_markers_ui(&ctx);
        if !self.queued.is_empty() {
            ctx.request_repaint();
        }
        self.windows_ui(&ctx);
        self.session_windows_ui(&ctx);
        self.files_ui(ui);

        // A gesture ends when nothing is being dragged or typed.
        if !ctx.egui_is_using_pointer() && !ctx.egui_wants_keyboard_input() {
            self.session.send(Command::EndGesture);
        }
        if let Some(status) = self.session.status() {
            let age_ms = self.session.now().0.saturating_sub(status.at.0);
            let shown_ms = u64::try_from(STATUS_SHOWN_FOR.as_millis()).unwrap_or(u64::MAX);
            if age_ms < shown_ms {
                ctx.request_repaint_after(Duration::from_millis(shown_ms - age_ms));
            }
        }
        // After every command of the frame, so the viewers see them now.
        self.live_frame();
    }

    /// Entering what-if mode shows its tab (and the side panel); leaving
    /// it goes back to the tab shown before.
    fn follow_whatif_mode(&mut self) {
        let on = self.session.whatif().is_some();
        match (on, self.whatif_was_on) {
            (true, None) => {
                self.whatif_was_on = Some((self.side_tab, self.prefs.show_inspector));
                self.side_tab = SideTab::WhatIf;
                self.prefs.show_inspector = true;
            }
            (false, Some((tab, panel_shown))) => {
                self.whatif_was_on = None;
                // A half-typed multiplier belongs to the scenario that ended.
                self.whatif_panel = whatif::WhatIfPanel::default();
                if self.side_tab == SideTab::WhatIf {
                    self.side_tab = tab;
                    self.prefs.show_inspector = panel_shown;
                }
            }
            _ => {}
        }
    }

    /// The what-if banner over the canvas's top right corner.
    fn whatif_banner_ui(&mut self, ui: &mut Ui) {
        if self.session.whatif().is_none() {
            return;
        }
        // Top right: designs tend to start at the top left.
        let corner = ui.max_rect().right_top() + egui::vec2(-12.0, 10.0);
        let leave = egui::Area::new(egui::Id::new("whatif-banner"))
            .fixed_pos(corner)
            .pivot(egui::Align2::RIGHT_TOP)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style())
                    .show(ui, |ui| whatif::banner_ui(ui, &self.session))
                    .inner
            })
            .inner;
        if leave {
            self.session.send(Command::WhatIf(WhatIfCommand::Leave));
        }
    }

    /// The right-hand panel: inspector, interview and checklist as tabs
    /// (and what if, in that mode).
    fn side_panel_ui(&mut self, ui: &mut Ui) {
        ui.add_space(6.0);
        let [errors, warnings, infos] = self.session.checked().open_counts;
        ui.horizontal(|ui| {
            if self.session.whatif().is_some() {
                let r = ui.selectable_value(&mut self.side_tab, SideTab::WhatIf, "What if");
                label_for(&r, "What if tab");
            }
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
            let worst = [
                (crate::rules::Severity::Error, errors),
                (crate::rules::Severity::Warning, warnings),
                (crate::rules::Severity::Info, infos),
            ]
            .into_iter()
            .find(|(_, n)| *n > 0);
            if let Some((severity, count)) = worst {
                // A pill in the severity's colour, readable on the selected tab.
                text.append(
                    &format!(" {} {count} ", checklist::severity_icon(severity)),
                    6.0,
                    egui::TextFormat {
                        font_id: font,
                        color: egui::Color32::WHITE,
                        background: checklist::severity_color(ui, severity),
                        ..Default::default()
                    },
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
                let out = inspector::inspector_ui(ui, &self.session);
                self.handle_panel(out);
            }
            SideTab::Interview => self.interview_tab_ui(ui),
            SideTab::WhatIf => {
                let out = egui::ScrollArea::vertical()
                    .id_salt("whatif-tab")
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        whatif::whatif_panel_ui(ui, &self.session, &mut self.whatif_panel)
                    })
                    .inner;
                self.handle_panel(out);
            }
            SideTab::Checklist => {
                let s = &self.session;
                if let Some(action) =
                    checklist::checklist_ui(ui, s.diagram(), s.findings(), &mut self.checklist)
                {
                    self.handle_panel(action.into());
                }
            }
        }
    }

    /// Sends what a panel asked for; a reveal also pans the canvas.
    fn handle_panel(&mut self, out: PanelOutput) {
        for command in out.commands {
            self.session.send(command);
        }
        if let Some(id) = out.reveal {
            self.reveal(id);
        }
    }

    /// The one selected card, if exactly one component is selected.
    fn single_card(&self) -> Option<crate::model::Id> {
        match self
            .session
            .selection()
            .iter()
            .collect::<Vec<_>>()
            .as_slice()
        {
            [id] if self.session.diagram().component(**id).is_some() => Some(**id),
            _ => None,
        }
    }

    /// Runs what the command palette chose.
    fn palette_choice(&mut self, choice: command_palette::Choice) {
        use command_palette::Choice;
        match choice {
            Choice::Action(action) => self.queued.push(action),
            Choice::Reveal(id) => self.reveal(id),
            Choice::Template(name) => {
                self.session
                    .send(Command::File(FileCommand::NewFromTemplate(name)));
            }
            Choice::AddAndContinue { command, next } => {
                let Some(id) = self.session.send(*command).and_then(|o| o.created) else {
                    return;
                };
                if let Some(rect) = self.session.diagram().item_rect(id) {
                    self.canvas.reveal(rect);
                }
                let from = match next {
                    command_palette::Next::Child => id,
                    command_palette::Next::Sibling(from) => {
                        self.session
                            .send(Command::Select(SelectionChange::Set(vec![from])));
                        from
                    }
                };
                self.command_palette
                    .open(command_palette::Mode::AddConnected { from });
            }
            Choice::Command(command) => {
                let command = *command;
                let unnamed = matches!(
                    command,
                    Command::AddConnected { name: None, .. } | Command::AddComponent { .. }
                );
                if let Some(id) = self.session.send(command).and_then(|o| o.created) {
                    if let Some(rect) = self.session.diagram().item_rect(id) {
                        self.canvas.reveal(rect);
                    }
                    // A card added without a name is ready to be named.
                    if unnamed {
                        self.canvas.start_rename(self.session.diagram(), id);
                    }
                }
            }
        }
    }

    /// Where a click in the palette adds: beside the selected card, or in
    /// the middle of the view (the session moves it to the nearest free spot).
    fn add_point(&self) -> crate::model::Point {
        let d = self.session.diagram();
        let selected = self
            .session
            .selection()
            .iter()
            .rev()
            .find_map(|&id| d.component(id));
        match selected {
            Some(c) => {
                let r = c.rect();
                crate::model::Point::new(r.x + r.w * 1.5 + 80.0, r.y + r.h / 2.0)
            }
            None => self.canvas.center(),
        }
    }

    /// Selects an item and pans the canvas to it.
    fn reveal(&mut self, id: crate::model::Id) {
        self.session
            .send(Command::Select(SelectionChange::Set(vec![id])));
        if let Some(rect) = self.session.diagram().item_rect(id) {
            self.canvas.reveal(rect);
        }
    }

    fn action_button(&mut self, ui: &mut Ui, action: Action) {
        let label = match action {
            Action::Undo => self
                .session
                .undo_label()
                .map_or("Undo".to_owned(), |l| format!("Undo {}", l.to_lowercase())),
            Action::Redo => self
                .session
                .redo_label()
                .map_or("Redo".to_owned(), |l| format!("Redo {}", l.to_lowercase())),
            Action::WhatIf if self.session.whatif().is_some() => "Leave what-if mode".to_owned(),
            _ => action.label().to_owned(),
        };
        let mut button = egui::Button::new(label);
        if let Some(shortcut) = action.shortcut() {
            button = button.shortcut_text(actions::shortcut_text(&shortcut));
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
            text = format!("{text}  ({})", actions::shortcut_text(&shortcut));
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
                self.action_button(ui, Action::ImportMermaid);
                ui.separator();
                self.action_button(ui, Action::Save);
                self.action_button(ui, Action::SaveAs);
                ui.separator();
                ui.menu_button("Export", |ui| {
                    for format in crate::app::ExportFormat::ALL {
                        self.action_button(ui, Action::Export(format));
                    }
                });
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
                    Action::CopyAsImage,
                    Action::Paste,
                    Action::Duplicate,
                    Action::Delete,
                ] {
                    self.action_button(ui, action);
                }
                ui.separator();
                self.action_button(ui, Action::SelectAll);
                self.action_button(ui, Action::Rename);
                self.action_button(ui, Action::AddConnected);
                ui.separator();
                self.action_button(ui, Action::CommandPalette);
                self.action_button(ui, Action::Find);
            });
            ui.menu_button("Arrange", |ui| {
                self.action_button(ui, Action::TidyUp);
                self.action_button(ui, Action::GroupSelection);
                ui.separator();
                for action in [
                    Action::AlignLeft,
                    Action::AlignCenter,
                    Action::AlignRight,
                    Action::AlignTop,
                    Action::AlignMiddle,
                    Action::AlignBottom,
                ] {
                    self.action_button(ui, action);
                }
                ui.separator();
                self.action_button(ui, Action::DistributeHorizontally);
                self.action_button(ui, Action::DistributeVertically);
                ui.separator();
                self.action_button(ui, Action::ApplyAllFixes);
            });
            ui.menu_button("View", |ui| {
                for action in [
                    Action::ZoomIn,
                    Action::ZoomOut,
                    Action::ZoomReset,
                    Action::ZoomToFit,
                    Action::ZoomToSelection,
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
                self.action_button(ui, Action::InviteInterviewer);
                ui.separator();
                self.action_button(ui, Action::WhatIf);
                self.action_button(ui, Action::FailSelection);
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
            let d = self.session.diagram();
            ui.label(format!("{}%", (self.canvas.view.zoom() * 100.0).round()))
                .on_hover_text("Ctrl+scroll or Ctrl+= / Ctrl+- to zoom; Shift+1 fits the design");
            ui.separator();
            ui.label(format!(
                "{} · {}",
                count(d.components.len(), "component", "components"),
                count(d.connections.len(), "connection", "connections")
            ));
            ui.separator();
            let [errors, warnings, infos] = self.session.checked().open_counts;
            let summary = crate::rules::summary_text(errors, warnings, infos);
            if ui.link(summary).on_hover_text("Open the checklist").clicked() {
                self.side_tab = SideTab::Checklist;
                self.prefs.show_inspector = true;
            }
            if !self.session.selection().is_empty() {
                ui.separator();
                ui.label(format!("{} selected", self.session.selection().len()));
            }
            if self.session.is_dirty() {
                ui.separator();
                ui.label("Unsaved changes");
            }
            self.live_status_ui(ui);
            ui.separator();
            let is_error = self.session.status().is_some_and(|s| s.is_error);
            match self.status() {
                Some(text) if is_error => {
                    ui.colored_label(ui.visuals().error_fg_color, text);
                }
                Some(text) => {
                    ui.label(text);
                }
                None => {
                    ui.weak("Drag to pan · Shift+drag to box-select · drag from a port to connect · double-click to rename");
                }
            }
        });
    }

    fn windows_ui(&mut self, ctx: &egui::Context) {
        self.invite_window_ui(ctx);
        let add_at = self.add_point();
        if let Some(choice) = self.command_palette.ui(ctx, &self.session, add_at) {
            self.palette_choice(choice);
        }
        if let Some(template) = template_picker::template_picker_ui(ctx, &mut self.show_templates) {
            self.session
                .send(Command::File(FileCommand::NewFromTemplate(
                    template.name.to_owned(),
                )));
        }
        if self.show_shortcuts
            && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.show_shortcuts = false;
        }
        // Below the menu bar, never over it; a long list scrolls.
        let screen = ctx.content_rect();
        let below_menu = screen.with_min_y(screen.min.y + 28.0);
        egui::Window::new("Keyboard shortcuts")
            .open(&mut self.show_shortcuts)
            .collapsible(false)
            .resizable(false)
            .constrain_to(below_menu)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(egui::pos2(below_menu.center().x, below_menu.min.y + 12.0))
            .show(ctx, |ui| {
                ui.weak("F1 or Esc closes this list");
                egui::ScrollArea::vertical()
                    .max_height((below_menu.height() - 90.0).max(120.0))
                    .show(ui, shortcuts_grid_ui);
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

/// What a side panel asks for this frame: commands for the session, and an
/// item to select and show on the canvas.
#[derive(Debug, Default)]
pub struct PanelOutput {
    pub commands: Vec<Command>,
    pub reveal: Option<crate::model::Id>,
}

impl PanelOutput {
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }
}

/// "1 component", "3 components".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Every shortcut: the actions' own, then what the canvas does with the
/// mouse and keys.
fn shortcuts_grid_ui(ui: &mut Ui) {
    egui::Grid::new("shortcuts")
        .num_columns(2)
        .striped(true)
        .spacing([24.0, 4.0])
        .show(ui, |ui| {
            for action in Action::ALL {
                let Some(shortcut) = action.shortcut() else {
                    continue;
                };
                ui.label(actions::shortcut_text(&shortcut));
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
                ("Double-click empty canvas", "Add a card there"),
                ("+ on a selected card", "Add a card connected from it"),
                (
                    "Tab, in the card picker",
                    "Add the card and go on adding from it",
                ),
                (
                    "Shift+Enter, in the card picker",
                    "Add the card and go on from the same card",
                ),
                (
                    "Alt+arrow keys",
                    "Select the connected card in that direction",
                ),
                ("Alt+drag", "Move without snapping to other cards"),
                ("/", "Command palette (when not typing)"),
                ("Escape", "Cancel a drag, then clear the selection"),
            ] {
                ui.label(keys);
                ui.label(what);
                ui.end_row();
            }
        });
}
