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
