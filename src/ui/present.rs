//! Interview mode in the app: the Interview side tab (requirements and
//! estimates, steps, probes), present mode (F5) that walks the steps on a
//! locked canvas with a laser pointer, the optional audience window, and the
//! session report export.

use std::collections::HashSet;
use std::path::Path;

use egui::{Key, RichText, Ui};

use super::ArchboardApp;
use super::canvas::Canvas;
use super::file_dialog::DialogPurpose;
use crate::interview::{self, Probe};
use crate::model::edit::Edit;
use crate::model::{Diagram, Id, Step};

/// Present mode state.
pub struct Presentation {
    /// Index of the current step (0 when the design has no steps).
    pub step: usize,
    /// Whether the audience window is open.
    pub audience: bool,
    /// The canvas shown in the audience window (its own view).
    audience_canvas: Canvas,
}

impl Presentation {
    fn new() -> Self {
        let mut audience_canvas = Canvas::new();
        audience_canvas.read_only = true;
        audience_canvas.fit_max_zoom = 2.0;
        Self {
            step: 0,
            audience: false,
            audience_canvas,
        }
    }
}

/// The items visible at `step`: everything revealed by steps 0..=step.
/// `None` (show everything) when the design has no steps.
pub fn revealed(diagram: &Diagram, step: usize) -> Option<HashSet<Id>> {
    if diagram.steps.is_empty() {
        return None;
    }
    Some(
        diagram
            .steps
            .iter()
            .take(step + 1)
            .flat_map(|s| s.revealed.iter().copied())
            .collect(),
    )
}

impl ArchboardApp {
    pub fn is_presenting(&self) -> bool {
        self.presentation.is_some()
    }

    /// The current step index while presenting.
    pub fn present_step(&self) -> Option<usize> {
        self.presentation.as_ref().map(|p| p.step)
    }

    pub(super) fn enter_present(&mut self) {
        self.presentation = Some(Presentation::new());
        self.editor.selection.clear();
        self.canvas.read_only = true;
        self.canvas.fit_max_zoom = 2.0;
        self.canvas.request_fit();
        self.apply_step();
    }

    pub(super) fn leave_present(&mut self) {
        self.presentation = None;
        self.canvas.read_only = false;
        self.canvas.shown = None;
        self.canvas.fit_max_zoom = 1.0;
        self.canvas.request_fit();
    }

    fn apply_step(&mut self) {
        let Some(p) = self.presentation.as_mut() else {
            return;
        };
        let shown = revealed(self.editor.diagram(), p.step);
        p.audience_canvas.shown.clone_from(&shown);
        p.audience_canvas.request_fit();
        self.canvas.shown = shown;
        self.canvas.request_fit();
    }

    /// Moves to the next (`forward`) or previous step.
    pub(super) fn change_step(&mut self, forward: bool) {
        let count = self.editor.diagram().steps.len();
        let Some(p) = self.presentation.as_mut() else {
            return;
        };
        if forward && p.step + 1 < count {
            p.step += 1;
        } else if !forward && p.step > 0 {
            p.step -= 1;
        }
        self.apply_step();
    }

    /// Keys of present mode: steps, and Escape to leave.
    pub(super) fn present_keys(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let (next, previous, leave) = ctx.input_mut(|i| {
            let next = [Key::ArrowRight, Key::ArrowDown, Key::PageDown, Key::Space]
                .into_iter()
                .any(|k| i.consume_key(egui::Modifiers::NONE, k));
            let previous = [Key::ArrowLeft, Key::ArrowUp, Key::PageUp]
                .into_iter()
                .any(|k| i.consume_key(egui::Modifiers::NONE, k));
            (
                next,
                previous,
                i.consume_key(egui::Modifiers::NONE, Key::Escape),
            )
        });
        if leave {
            self.leave_present();
        } else if next {
            self.change_step(true);
        } else if previous {
            self.change_step(false);
        }
    }

    fn step_caption(&self) -> String {
        let d = self.editor.diagram();
        match (self.present_step(), d.steps.len()) {
            (_, 0) => d.title.clone(),
            (Some(i), n) => {
                let title = d.steps.get(i).map_or("", |s| s.title.as_str());
                format!("Step {} of {n} · {title}", i + 1)
            }
            (None, _) => d.title.clone(),
        }
    }

    /// The window while presenting: the canvas and a caption, or with the
    /// audience window open, the presenter's view beside the canvas.
    pub(super) fn present_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let now = ctx.input(|i| i.time);
        let audience = self.presentation.as_ref().is_some_and(|p| p.audience);
        if audience {
            egui::Panel::right("presenter")
                .default_size(380.0)
                .size_range(300.0..=520.0)
                .show(ui, |ui| self.presenter_ui(ui));
        }
        egui::Panel::bottom("present-caption").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.label(RichText::new(self.step_caption()).size(20.0).strong());
                ui.separator();
                ui.weak(format!(
                    "{} next · {} previous · hold L or the right button for the laser · Esc leaves",
                    egui_phosphor::regular::ARROW_RIGHT,
                    egui_phosphor::regular::ARROW_LEFT
                ));
            });
            super::interview::timer_bar_ui(ui, &mut self.session.timer, now);
            ui.add_space(2.0);
        });
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                self.canvas.ui(ui, &mut self.editor);
            });
        if audience {
            self.audience_window(&ctx);
        }
    }

    /// Current and next step, notes and probes for the presenter (the timer
    /// bar sits under the canvas in present mode).
    fn presenter_ui(&mut self, ui: &mut Ui) {
        ui.add_space(6.0);
        ui.heading("Presenter");
        let d = self.editor.diagram();
        let step = self.present_step().unwrap_or(0);
        let title = |i: usize| d.steps.get(i).map(|s| s.title.clone());
        egui::Grid::new("presenter-steps")
            .num_columns(2)
            .show(ui, |ui| {
                ui.weak("Now");
                ui.label(title(step).unwrap_or_else(|| "Whole design".to_owned()));
                ui.end_row();
                ui.weak("Next");
                ui.label(title(step + 1).unwrap_or_else(|| "—".to_owned()));
                ui.end_row();
            });
        if !d.notes.is_empty() {
            ui.add_space(6.0);
            ui.label(RichText::new("Notes").strong());
            for note in &d.notes {
                ui.label(format!("• {}", note.text));
            }
        }
        ui.separator();
        if ui.button("Close the audience window").clicked()
            && let Some(p) = self.presentation.as_mut()
        {
            p.audience = false;
        }
        ui.separator();
        ui.label(RichText::new("Probes").strong());
        self.probes_list_ui(ui);
    }

    /// A second native window with only the presented canvas, for sharing.
    fn audience_window(&mut self, ctx: &egui::Context) {
        let Some(mut p) = self.presentation.take() else {
            return;
        };
        let editor = &mut self.editor;
        let title = format!("{} — Archboard (audience)", editor.diagram().title);
        let mut closed = false;
        let mut builder = egui::ViewportBuilder::default()
            .with_title(title)
            .with_inner_size([1280.0, 800.0]);
        // Open beside the main window: on a second screen to its right, if any.
        if let Some(main) = ctx.input(|i| i.viewport().outer_rect) {
            builder = builder.with_position(main.right_top());
        }
        ctx.show_viewport_immediate(
            egui::ViewportId::from_hash_of("archboard-audience"),
            builder,
            |ui, _class| {
                egui::CentralPanel::default()
                    .frame(egui::Frame::NONE)
                    .show(ui, |ui| {
                        p.audience_canvas.ui(ui, editor);
                    });
                if ui.input(|i| i.viewport().close_requested()) {
                    closed = true;
                }
            },
        );
        if closed {
            p.audience = false;
        }
        self.presentation = Some(p);
    }

    /// The probes for the current design, cached per revision.
    fn probes(&mut self) -> &[Probe] {
        let revision = self.editor.doc.revision();
        if self.probes_revision != revision {
            self.refresh_findings();
            self.probes = interview::probes_from(self.editor.diagram(), &self.findings);
            self.probes_revision = revision;
        }
        &self.probes
    }

    fn probes_list_ui(&mut self, ui: &mut Ui) {
        self.probes();
        let subject = egui::ScrollArea::vertical()
            .id_salt("probes")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                super::interview::probes_ui(
                    ui,
                    &self.probes,
                    &mut self.session.records,
                    self.editor.diagram(),
                )
            })
            .inner;
        if let Some(id) = subject.and_then(|s| s.id())
            && !self.is_presenting()
        {
            self.reveal(id);
        }
    }

    /// The Interview side tab: requirements and estimates, steps, probes.
    pub(super) fn interview_tab_ui(&mut self, ui: &mut Ui) {
        egui::ScrollArea::vertical()
            .id_salt("interview-tab")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::CollapsingHeader::new(RichText::new("Requirements and estimates").strong())
                    .default_open(true)
                    .show(ui, |ui| {
                        if let Some(req) = super::requirements::requirements_ui(
                            ui,
                            &self.editor.diagram().requirements,
                        ) {
                            let merge = Some(crate::app::MergeKey {
                                item: None,
                                field: "requirements",
                            });
                            let _ = self.editor.doc.apply(
                                "Change requirements",
                                Edit::SetRequirements(req),
                                merge,
                            );
                        }
                    });
                egui::CollapsingHeader::new(RichText::new("Steps").strong())
                    .default_open(true)
                    .show(ui, |ui| self.steps_ui(ui));
                egui::CollapsingHeader::new(RichText::new("Probes").strong())
                    .default_open(false)
                    .show(ui, |ui| {
                        ui.set_min_height(240.0);
                        self.probes_list_ui(ui);
                    });
            });
    }

    /// The ordered presentation steps: add from the selection, rename,
    /// reorder, delete. Each change is one undoable edit.
    fn steps_ui(&mut self, ui: &mut Ui) {
        let steps = self.editor.diagram().steps.clone();
        let mut new_steps = steps.clone();
        if steps.is_empty() {
            ui.weak("Select what the first step shows, then add it. Present mode (F5) reveals one step at a time");
        }
        let mut remove = None;
        let mut swap = None;
        for (i, step) in new_steps.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                ui.label(format!("{}.", i + 1));
                let r = ui.add(egui::TextEdit::singleline(&mut step.title).desired_width(140.0));
                super::label_for(&r, &format!("Step {} title", i + 1));
                ui.weak(format!("{} items", step.revealed.len()));
                if ui
                    .small_button(egui_phosphor::regular::ARROW_UP)
                    .on_hover_text("Move up")
                    .clicked()
                    && i > 0
                {
                    swap = Some((i - 1, i));
                }
                let delete = ui
                    .small_button(egui_phosphor::regular::TRASH)
                    .on_hover_text("Delete step");
                super::label_for(&delete, &format!("Delete step {}", i + 1));
                if delete.clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some((a, b)) = swap {
            new_steps.swap(a, b);
        }
        if let Some(i) = remove {
            new_steps.remove(i);
        }
        let has_selection = !self.editor.selection.is_empty();
        let add = ui
            .add_enabled(
                has_selection,
                egui::Button::new(format!(
                    "{}  New step from selection",
                    egui_phosphor::regular::PLUS
                )),
            )
            .on_disabled_hover_text(
                "Select the components, connections and groups this step reveals",
            );
        if add.clicked() {
            new_steps.push(self.step_from_selection(new_steps.len()));
        }
        if new_steps != steps {
            let merge = Some(crate::app::MergeKey {
                item: None,
                field: "steps",
            });
            let _ = self
                .editor
                .doc
                .apply("Change steps", Edit::SetSteps(new_steps), merge);
        }
        ui.add_space(4.0);
        if ui
            .button(format!(
                "{}  Present (F5)",
                egui_phosphor::regular::PRESENTATION
            ))
            .clicked()
        {
            self.queue(super::actions::Action::Present);
        }
    }

    /// A new step revealing the selection (plus the wires between revealed
    /// cards, so a step never shows a card without its arrows).
    pub fn step_from_selection(&self, index: usize) -> Step {
        let d = self.editor.diagram();
        let mut revealed: Vec<Id> = self.editor.selection.iter().copied().collect();
        let before: HashSet<Id> = d
            .steps
            .iter()
            .flat_map(|s| s.revealed.iter().copied())
            .collect();
        let visible = |id: &Id| revealed.contains(id) || before.contains(id);
        let wires: Vec<Id> = d
            .connections
            .iter()
            .filter(|c| !revealed.contains(&c.id) && visible(&c.from) && visible(&c.to))
            .filter(|c| revealed.contains(&c.from) || revealed.contains(&c.to))
            .map(|c| c.id)
            .collect();
        revealed.extend(wires);
        revealed.sort_unstable();
        Step {
            title: format!("Step {}", index + 1),
            revealed,
        }
    }

    /// Writes the Markdown session report to `path`. Returns whether it did.
    pub fn export_report(&mut self, path: &Path, now_s: f64) -> bool {
        let text = interview::session_report(self.editor.diagram(), &self.session, now_s);
        match crate::io::write_text_atomically(path, &text) {
            Ok(()) => {
                self.status = Some(format!("Exported the session report to {}", path.display()));
                true
            }
            Err(err) => {
                self.files.error = Some(format!("Could not export the report: {err}"));
                false
            }
        }
    }

    pub(super) fn ask_export_report(&mut self) {
        let name = format!("{} session report.md", self.editor.diagram().title.trim());
        self.files.dialogs.open(DialogPurpose::ExportReport {
            suggested_name: name,
        });
    }
}
