//! The interview timer on screen: the bar under the menu (phase, time left,
//! start/pause/reset/next) and the phase plan. Both read the [`Timer`] and
//! return the [`TimerCommand`] the user asked for; the session applies it
//! with its own clock, so tests move time without waiting.

use std::time::Duration;

use egui::{DragValue, RichText, Ui};
use egui_phosphor::regular as icon;

use crate::app::TimerCommand;
use crate::interview::timer::format_clock;
use crate::interview::{Phase, Timer};
use crate::ui::label_for;

/// Room for the longest phase name ("1/5  Clarify requirements").
const PHASE_WIDTH: f32 = 200.0;
/// Room for the longest time ("-59:59 over" in 18-point monospace).
const TIME_WIDTH: f32 = 130.0;

/// One line with the current phase, the time left in it and the clock's
/// buttons, and the phase's reminder below; returns the button pressed. Overrunning turns the time to
/// the theme's warning colour. While the clock runs, a repaint is scheduled
/// for the next whole second only.
pub fn timer_bar_ui(ui: &mut Ui, timer: &Timer, now_s: f64) -> Option<TimerCommand> {
    let mut command = None;
    let phase = timer.current();
    let remaining = timer.remaining_s(now_s);
    let overrun = timer.is_overrun(now_s);
    ui.horizontal(|ui| {
        let position = Phase::ALL.iter().position(|&p| p == phase).unwrap_or(0) + 1;
        // Fixed widths, so the buttons keep their place when the phase name
        // or the time's length changes.
        let height = ui.spacing().interact_size.y;
        ui.allocate_ui(egui::vec2(PHASE_WIDTH, height), |ui| {
            ui.set_min_width(PHASE_WIDTH);
            ui.label(
                RichText::new(format!(
                    "{position}/{}  {}",
                    Phase::ALL.len(),
                    phase.label()
                ))
                .strong(),
            )
            .on_hover_text(phase.reminder());
        });

        let (text, color) = if overrun {
            (
                format!("{} over", format_clock(-remaining)),
                ui.visuals().warn_fg_color,
            )
        } else {
            (
                format!("{} left", format_clock(remaining)),
                ui.visuals().text_color(),
            )
        };
        let time = ui
            .allocate_ui(egui::vec2(TIME_WIDTH, height), |ui| {
                ui.set_min_width(TIME_WIDTH);
                ui.label(RichText::new(text).monospace().size(18.0).color(color))
            })
            .inner
            .on_hover_text(format!(
                "Planned {} · spent {} in this phase · {} in total",
                format_clock(timer.planned_s(phase)),
                format_clock(timer.elapsed_s(phase, now_s)),
                format_clock(timer.total_elapsed_s(now_s))
            ));
        label_for(&time, "Time left in the phase");

        let (glyph, label) = if timer.is_running() {
            (icon::PAUSE, "Pause timer")
        } else {
            (icon::PLAY, "Start timer")
        };
        if icon_button(ui, glyph, label, true).clicked() {
            command = Some(TimerCommand::Toggle);
        }
        if icon_button(
            ui,
            icon::SKIP_BACK,
            "Previous phase",
            phase.previous().is_some(),
        )
        .clicked()
        {
            command = Some(TimerCommand::Previous);
        }
        if icon_button(ui, icon::SKIP_FORWARD, "Next phase", phase.next().is_some()).clicked() {
            command = Some(TimerCommand::Next);
        }
        if icon_button(ui, icon::ARROW_COUNTER_CLOCKWISE, "Reset timer", true).clicked() {
            command = Some(TimerCommand::Reset);
        }
        let plan = ui.menu_button(icon::SLIDERS_HORIZONTAL, |ui| {
            phase_plan_ui(ui, timer, now_s)
        });
        if let Some(Some(planned)) = plan.inner {
            command = Some(planned);
        }
        label_for(&plan.response.on_hover_text("Phase plan"), "Phase plan");
    });
    ui.add(egui::Label::new(RichText::new(timer.current().reminder()).weak()).truncate())
        .on_hover_text(timer.current().reminder());

    if timer.is_running() {
        // Wake up when the shown second changes, not every frame.
        let to_next_second = 1.0 - remaining.rem_euclid(1.0);
        ui.ctx()
            .request_repaint_after(Duration::from_secs_f64(to_next_second.clamp(0.05, 1.0)));
    }
    command
}

/// A button showing only an icon, named for assistive technology.
fn icon_button(ui: &mut Ui, glyph: &str, label: &str, enabled: bool) -> egui::Response {
    let response = ui
        .add_enabled(enabled, egui::Button::new(RichText::new(glyph).size(16.0)))
        .on_hover_text(label)
        .on_disabled_hover_text(label);
    label_for(&response, label);
    response
}

/// Every phase with its planned minutes (editable), the time spent and its
/// reminder; clicking a phase's name makes it the current one.
pub fn phase_plan_ui(ui: &mut Ui, timer: &Timer, now_s: f64) -> Option<TimerCommand> {
    let mut command = None;
    ui.label(RichText::new("Phase plan").strong());
    egui::Grid::new("phase-plan")
        .num_columns(3)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            ui.weak("Phase");
            ui.weak("Planned");
            ui.weak("Spent");
            ui.end_row();
            for phase in Phase::ALL {
                let current = phase == timer.current();
                if ui
                    .selectable_label(current, phase.label())
                    .on_hover_text(phase.reminder())
                    .clicked()
                {
                    command = Some(TimerCommand::GoTo(phase));
                }
                let mut minutes = timer.planned_s(phase) / 60.0;
                let field = ui.add(
                    DragValue::new(&mut minutes)
                        .range(0.0..=180.0)
                        .speed(0.25)
                        .max_decimals(1)
                        .suffix(" min"),
                );
                label_for(&field, &format!("Planned minutes for {}", phase.label()));
                if field.changed() {
                    command = Some(TimerCommand::Plan { phase, minutes });
                }
                let spent = format_clock(timer.elapsed_s(phase, now_s));
                if timer.phase_overrun(phase, now_s) {
                    ui.colored_label(ui.visuals().warn_fg_color, spent);
                } else {
                    ui.label(spent);
                }
                ui.end_row();
            }
        });
    ui.weak(format!(
        "{} planned in total",
        format_clock(timer.total_planned_s())
    ));
    command
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::app::{Command, ManualClock, Session, Timestamp};
    use egui::accesskit::Role;
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};

    /// The timer bar on a session whose clock the test moves.
    struct Clocked {
        session: Session,
        clock: ManualClock,
    }

    impl Clocked {
        fn timer(&self) -> &Timer {
            &self.session.interview().timer
        }

        fn now_s(&self) -> f64 {
            self.session.now().as_secs_f64()
        }
    }

    fn timer_harness() -> Harness<'static, Clocked> {
        let clock = ManualClock::at(Timestamp(1_000_000));
        let session = Session::default().with_clock(Arc::new(clock.clone()));
        Harness::new_ui_state(
            |ui, c: &mut Clocked| {
                let now = c.now_s();
                if let Some(command) = timer_bar_ui(ui, c.timer(), now) {
                    c.session.execute(Command::Timer(command)).unwrap();
                }
            },
            Clocked { session, clock },
        )
    }

    fn advance(h: &mut Harness<'_, Clocked>, seconds: f64) {
        h.state().clock.advance_ms((seconds * 1000.0) as u64);
        h.run();
    }

    #[test]
    fn the_timer_bar_starts_counts_down_and_moves_through_phases() {
        let mut h = timer_harness();
        h.get_by_label("5:00 left");
        h.get_by_label("Start timer").click();
        h.run();
        assert!(h.state().timer().is_running());
        advance(&mut h, 61.0);
        h.get_by_label("3:59 left");

        h.get_by_label("Pause timer").click();
        h.run();
        advance(&mut h, 600.0);
        h.get_by_label("3:59 left");
        assert!(!h.state().timer().is_running());

        h.get_by_label("Start timer").click();
        h.run();
        advance(&mut h, 250.0);
        h.get_by_label("0:11 over");
        assert!(h.state().timer().is_overrun(h.state().now_s()));

        h.get_by_label("Next phase").click();
        h.run();
        assert_eq!(h.state().timer().current(), Phase::Estimate);
        h.get_by_label("2/5  Estimate");
        h.get_by_label("5:00 left");
        assert_eq!(
            h.state()
                .timer()
                .elapsed_s(Phase::Clarify, h.state().now_s()),
            311.0
        );

        h.get_by_label("Reset timer").click();
        h.run();
        assert_eq!(h.state().timer().current(), Phase::Clarify);
        assert_eq!(h.state().timer().total_elapsed_s(h.state().now_s()), 0.0);
        assert!(!h.state().timer().is_running());
    }

    #[test]
    fn the_phase_reminder_is_on_screen() {
        let h = timer_harness();
        h.get_by_label(Phase::Clarify.reminder());
    }

    #[test]
    fn the_phase_plan_edits_durations() {
        let mut h = Harness::new_ui_state(
            |ui, session: &mut Session| {
                if let Some(command) = phase_plan_ui(ui, &session.interview().timer, 0.0) {
                    session.execute(Command::Timer(command)).unwrap();
                }
            },
            Session::default(),
        );
        let field = h.get_by_role_and_label(Role::SpinButton, "Planned minutes for Deep dive");
        let (target_node, target_tree) = field.accesskit_node().locate();
        h.event(egui::Event::AccessKitActionRequest(
            egui::accesskit::ActionRequest {
                action: egui::accesskit::Action::SetValue,
                target_node,
                target_tree,
                data: Some(egui::accesskit::ActionData::NumericValue(20.0)),
            },
        ));
        h.run();
        assert_eq!(
            h.state().interview().timer.planned_s(Phase::DeepDive),
            1_200.0
        );
        h.get_by_label("Wrap-up").click();
        h.run();
        assert_eq!(h.state().interview().timer.current(), Phase::WrapUp);
    }
}
