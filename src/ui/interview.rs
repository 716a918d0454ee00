//! The Interview side tab: requirements and estimates, the presentation
//! steps, and the probes. Each section reads the session and sends commands.

use egui::{RichText, Ui};

use super::ArchboardApp;
use super::actions::Action;
use crate::app::Command;

impl ArchboardApp {
    /// The Interview side tab: requirements and estimates, steps, probes.
    pub(super) fn interview_tab_ui(&mut self, ui: &mut Ui) {
        egui::ScrollArea::vertical()
            .id_salt("interview-tab")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                // Open from the start only when there is something to list;
                // the title says when a session is being recorded.
                let has_sessions = self.session.recorded_sessions().next().is_some();
                let title = match self.session.recording() {
                    Some(_) => format!("Sessions  {}  recording", egui_phosphor::regular::RECORD),
                    None => "Sessions".to_owned(),
                };
                let header = egui::CollapsingHeader::new(RichText::new(title).strong())
                    .id_salt("sessions-section")
                    .default_open(has_sessions);
                header.show(ui, |ui| self.sessions_section_ui(ui));
                egui::CollapsingHeader::new(RichText::new("Requirements and estimates").strong())
                    .default_open(true)
                    .show(ui, |ui| {
                        if let Some(req) = super::requirements::requirements_ui(
                            ui,
                            &self.session.diagram().requirements,
                        ) {
                            self.session.send(Command::SetRequirements(req));
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

    /// The recorded sessions: the list, the one being recorded.
    fn sessions_section_ui(&mut self, ui: &mut Ui) {
        let out = super::sessions::sessions_ui(ui, &self.session, &mut self.sessions_panel);
        for command in out.commands {
            self.session.send(command);
        }
        if let Some(request) = out.request {
            self.open_sessions_request(request);
        }
    }

    /// Opens what the sessions list or the scorecard asked for.
    pub(super) fn open_sessions_request(&mut self, request: super::sessions::SessionsRequest) {
        use super::sessions::{ScorecardWindow, SessionsRequest};
        match request {
            SessionsRequest::Replay { number, offset_ms } => match self.session.replay(number) {
                Some(Ok(view)) => {
                    let mut state = super::replay::ReplayState::new(view);
                    state.seek(offset_ms, self.session.now());
                    self.replay = Some(state);
                    self.session
                        .send(Command::Select(crate::app::SelectionChange::Clear));
                }
                Some(Err(err)) => {
                    self.replay_error = Some(format!("Session {number} cannot be replayed: {err}"));
                }
                None => {}
            },
            SessionsRequest::Scorecard(number) => match self.session.scorecard(number) {
                Ok(Some(card)) => self.scorecard = Some(ScorecardWindow { number, card }),
                Ok(None) => {}
                Err(err) => {
                    self.replay_error = Some(format!("Session {number} cannot be scored: {err}"));
                }
            },
            SessionsRequest::Progress => self.progress = Some(self.session.progress()),
        }
    }

    /// The scrubber under the canvas while a replay is shown.
    pub(super) fn scrubber_panel_ui(&mut self, ui: &mut Ui) {
        let Some(state) = &mut self.replay else {
            return;
        };
        let now = self.session.now();
        let out = egui::Panel::bottom("replay-scrubber")
            .show(ui, |ui| super::replay::scrubber_ui(ui, state, now))
            .inner;
        if let Some(command) = out.restore {
            if self.session.send(command).is_some() {
                self.replay = None;
            }
        } else if out.close {
            self.replay = None;
        }
    }

    /// The scorecard, progress and replay-error windows.
    pub(super) fn session_windows_ui(&mut self, ctx: &egui::Context) {
        if let Some(request) = super::sessions::scorecard_window_ui(ctx, &mut self.scorecard) {
            self.open_sessions_request(request);
        }
        if let Some(progress) = &self.progress {
            let mut open = true;
            super::sessions::progress_window_ui(ctx, &mut open, progress);
            if !open {
                self.progress = None;
            }
        }
        if let Some(error) = self.replay_error.clone() {
            let mut open = true;
            egui::Window::new("Cannot replay")
                .open(&mut open)
                .collapsible(false)
                .show(ctx, |ui| {
                    ui.label(error);
                });
            if !open {
                self.replay_error = None;
            }
        }
    }

    /// The probes in a scroll area; a clicked subject is selected and shown
    /// (except while presenting, when the canvas stays where it is).
    pub(super) fn probes_list_ui(&mut self, ui: &mut Ui) {
        let out = egui::ScrollArea::vertical()
            .id_salt("probes")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let s = &self.session;
                super::probes::probes_ui(ui, s.probes(), &s.interview().records, s.diagram())
            })
            .inner;
        if let Some((key, record)) = out.rated {
            self.session.send(Command::RateProbe { key, record });
        }
        if let Some(id) = out.clicked.and_then(|s| s.id())
            && !self.session.is_presenting()
        {
            self.reveal(id);
        }
    }

    /// The ordered presentation steps: add from the selection, rename,
    /// reorder, delete. Each change is one undoable command.
    fn steps_ui(&mut self, ui: &mut Ui) {
        let steps = &self.session.diagram().steps;
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
                ui.weak(super::count(step.revealed.len(), "item", "items"));
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
        if new_steps != *steps {
            self.session.send(Command::SetSteps(new_steps));
        }
        let has_selection = !self.session.selection().is_empty();
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
            self.session.send(Command::AddStepFromSelection);
        }
        ui.add_space(4.0);
        if ui
            .button(format!(
                "{}  Present (F5)",
                egui_phosphor::regular::PRESENTATION
            ))
            .clicked()
        {
            self.queue(Action::Present);
        }
    }
}
