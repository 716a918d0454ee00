//! The "New from template" dialog: every interview question with a short
//! summary and a button for each of its two drawings. The caller opens the
//! chosen template; this widget only picks it.

use egui::{RichText, ScrollArea, Window};

use crate::templates::{self, Template, Variant};

/// Shows the dialog while `open` is true. Returns the template the user
/// chose (and closes the dialog), or `None`.
pub fn template_picker_ui(ctx: &egui::Context, open: &mut bool) -> Option<&'static Template> {
    let mut chosen = None;
    Window::new("New from template")
        .open(open)
        .collapsible(false)
        .resizable(false)
        .default_width(460.0)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.label("Start from a classic interview question: a hurried starter for the checklist to critique, or a reference answer to study.");
            ui.add_space(6.0);
            ScrollArea::vertical().max_height(480.0).show(ui, |ui| {
                // Templates come in starter/reference pairs of one question.
                for pair in templates::all().chunks(2) {
                    let Some(first) = pair.first() else { continue };
                    ui.separator();
                    ui.label(RichText::new(first.title).strong());
                    ui.label(first.question);
                    for template in pair {
                        ui.label(RichText::new(template.summary).weak().small());
                    }
                    ui.horizontal(|ui| {
                        for template in pair {
                            let text = match template.variant {
                                Variant::Starter => "Open starter",
                                Variant::Reference => "Open reference",
                            };
                            let response = ui.button(text);
                            super::label_for(
                                &response,
                                &format!("Open {} {}", template.title, template.variant.as_str()),
                            );
                            if response.clicked() {
                                chosen = Some(template);
                            }
                        }
                    });
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
