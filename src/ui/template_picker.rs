//! The "New from template" dialog: every interview question with a short
//! summary and a button for each of its two drawings. The caller opens the
//! chosen template; this widget only picks it.

use egui::{RichText, Window};

use crate::templates::{self, Template, Variant};

/// Shows the dialog while `open` is true. Returns the template the user
/// chose (and closes the dialog), or `None`.
pub fn template_picker_ui(ctx: &egui::Context, open: &mut bool) -> Option<&'static Template> {
    let mut chosen = None;
    Window::new("New from template")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .default_width(640.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.label("Start from a classic interview question: a hurried starter for the checklist to critique, or a reference answer to study. Hover a button for what the drawing shows.");
            ui.add_space(6.0);
            // Templates come in starter/reference pairs of one question: one
            // row each, so all of them fit without scrolling.
            egui::Grid::new("templates")
                .num_columns(2)
                .striped(true)
                .spacing([16.0, 10.0])
                .show(ui, |ui| {
                    for pair in templates::all().chunks(2) {
                        let Some(first) = pair.first() else { continue };
                        ui.vertical(|ui| {
                            ui.set_max_width(440.0);
                            ui.label(RichText::new(first.title).strong());
                            ui.add(egui::Label::new(first.question).wrap());
                        });
                        ui.horizontal(|ui| {
                            for template in pair {
                                let text = match template.variant {
                                    Variant::Starter => "Starter",
                                    Variant::Reference => "Reference",
                                };
                                let response = ui.button(text).on_hover_text(template.summary);
                                super::label_for(
                                    &response,
                                    &format!(
                                        "Open {} {}",
                                        template.title,
                                        template.variant.as_str()
                                    ),
                                );
                                if response.clicked() {
                                    chosen = Some(template);
                                }
                            }
                        });
                        ui.end_row();
                    }
                });
        });
    if chosen.is_some() {
        *open = false;
    }
    chosen
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;

    struct State {
        open: bool,
        chosen: Option<&'static str>,
    }

    fn harness() -> Harness<'static, State> {
        Harness::new_ui_state(
            |ui, state: &mut State| {
                if let Some(template) = template_picker_ui(ui.ctx(), &mut state.open) {
                    state.chosen = Some(template.name);
                }
            },
            State {
                open: true,
                chosen: None,
            },
        )
    }

    #[test]
    fn lists_every_question_and_opens_the_chosen_drawing() {
        let mut h = harness();
        h.run();
        for template in templates::all().iter().step_by(2) {
            assert!(
                h.query_by_label(template.question).is_some(),
                "{} is missing",
                template.question
            );
        }
        h.get_by_label("Open Real-time chat starter").click();
        h.run();
        assert_eq!(h.state().chosen, Some("realtime-chat-starter"));
        assert!(!h.state().open, "choosing closes the dialog");
    }

    #[test]
    fn the_reference_button_opens_the_reference() {
        let mut h = harness();
        h.run();
        h.get_by_label("Open URL shortener reference").click();
        h.run();
        assert_eq!(h.state().chosen, Some("url-shortener-reference"));
    }
}
