//! Present mode on screen (F5): the session decides the step; this module
//! shows it on a locked canvas with a laser pointer, with the step keys, and
//! in the optional audience window with the presenter's view beside it.

use egui::{Key, RichText, Ui};

use super::ArchboardApp;
use super::canvas::Canvas;
use crate::app::{Command, DocKey, PresentCommand};

/// What present mode needs on screen besides the session's step.
#[derive(Debug, Default)]
pub struct PresentView {
    /// Whether the audience window is open.
    audience: bool,
    /// The canvas shown in the audience window (its own view).
    audience_canvas: Canvas,
    /// Whether the last frame was presenting.
    was_presenting: bool,
    /// The step and document state the canvases were last set up for.
    shown_for: Option<(Option<usize>, DocKey)>,
}

impl PresentView {
    /// Opens the audience window (present mode starts if it is off).
    pub fn open_audience(&mut self) {
        self.audience = true;
    }
}

impl ArchboardApp {
    /// Sets the canvases up when present mode starts, ends or changes step.
    pub(super) fn follow_present_mode(&mut self) {
        let presenting = self.session.is_presenting();
        let view = &mut self.present;
        if presenting != view.was_presenting {
            view.was_presenting = presenting;
            view.shown_for = None;
            if presenting {
                self.canvas.read_only = true;
                self.canvas.fit_max_zoom = 2.0;
                view.audience_canvas = Canvas::presenting();
            } else {
                self.canvas.read_only = false;
                self.canvas.shown = None;
                self.canvas.fit_max_zoom = 1.0;
                view.audience = false;
            }
            self.canvas.request_fit();
        }
        if !presenting {
            return;
        }
        let marker = (self.session.present_step(), self.session.key());
        if view.shown_for != Some(marker) {
            view.shown_for = Some(marker);
            let shown = self.session.revealed();
            view.audience_canvas.shown.clone_from(&shown);
            view.audience_canvas.request_fit();
            self.canvas.shown = shown;
            self.canvas.request_fit();
        }
    }

    /// Keys of present mode: steps, and Escape to leave.
    pub(super) fn present_keys(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let command = ctx.input_mut(|i| {
            let mut pressed = |keys: &[Key]| {
                keys.iter()
                    .any(|&k| i.consume_key(egui::Modifiers::NONE, k))
            };
            if pressed(&[Key::Escape]) {
                Some(PresentCommand::Leave)
            } else if pressed(&[Key::ArrowRight, Key::ArrowDown, Key::PageDown, Key::Space]) {
                Some(PresentCommand::Next)
            } else if pressed(&[Key::ArrowLeft, Key::ArrowUp, Key::PageUp]) {
                Some(PresentCommand::Previous)
            } else {
                None
            }
        });
        if let Some(command) = command {
            self.session.send(Command::Present(command));
            self.follow_present_mode();
        }
    }

    fn step_caption(&self) -> String {
        let d = self.session.diagram();
        match (self.session.present_step(), d.steps.len()) {
            (Some(i), n) if n > 0 => {
                let title = d.steps.get(i).map_or("", |s| s.title.as_str());
                format!("Step {} of {n} · {title}", i + 1)
            }
            _ => d.title.clone(),
        }
    }

    /// The window while presenting: the canvas and a caption, or with the
    /// audience window open, the presenter's view beside the canvas.
    pub(super) fn present_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let audience = self.present.audience;
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
            let now = self.session.now().as_secs_f64();
            if let Some(command) =
                super::timer::timer_bar_ui(ui, &self.session.interview().timer, now)
            {
                self.session.send(Command::Timer(command));
            }
            ui.add_space(2.0);
        });
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                self.canvas.ui(ui, &mut self.session);
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
        let d = self.session.diagram();
        let step = self.session.present_step().unwrap_or(0);
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
        if ui.button("Close the audience window").clicked() {
            self.present.audience = false;
        }
        ui.separator();
        ui.label(RichText::new("Probes").strong());
        self.probes_list_ui(ui);
    }

    /// A second native window with only the presented canvas, for sharing.
    fn audience_window(&mut self, ctx: &egui::Context) {
        let title = format!("{} — Archboard (audience)", self.session.diagram().title);
        let session = &mut self.session;
        let canvas = &mut self.present.audience_canvas;
        let mut closed = false;
        let mut builder = egui::ViewportBuilder::default()
            .with_title(title)
            .with_inner_size([1280.0, 800.0]);
        // Beside the main window when a second screen to its right has room
        // for it; on the same screen, offset a little, when there is one.
        let (main, monitor) = ctx.input(|i| (i.viewport().outer_rect, i.viewport().monitor_size));
        if let Some(main) = main {
            let fits_beside = monitor.is_none_or(|m| main.right() + 640.0 <= m.x);
            let at = if fits_beside {
                main.right_top()
            } else {
                main.left_top() + egui::vec2(48.0, 48.0)
            };
            builder = builder.with_position(at);
        }
        ctx.show_viewport_immediate(
            egui::ViewportId::from_hash_of("archboard-audience"),
            builder,
            |ui, _class| {
                egui::CentralPanel::default()
                    .frame(egui::Frame::NONE)
                    .show(ui, |ui| {
                        canvas.ui(ui, session);
                    });
                if ui.input(|i| i.viewport().close_requested()) {
                    closed = true;
                }
            },
        );
        if closed {
            self.present.audience = false;
        }
    }
}
