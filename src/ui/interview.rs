//! The presenter's interview tools: the timer bar (phase, time left,
//! start/pause/reset/next, the phase plan) and the mock interviewer's probe
//! list (asked, rating, note per probe).
//!
//! Both are self-contained: they draw state the app owns
//! ([`Timer`], the probe records of an `InterviewSession`) and return what the
//! app must act on. The clock is passed in as `now_s` (the app uses egui's
//! input time), so tests drive it without waiting.

use std::collections::BTreeMap;
use std::time::Duration;

use egui::{DragValue, RichText, TextEdit, Ui};
use egui_phosphor::regular as icon;

use crate::interview::timer::format_clock;
use crate::interview::{Phase, Probe, ProbeRecord, ProbeSource, Rating, Timer};
use crate::model::{Diagram, Subject};
use crate::ui::label_for;

/// One line with the current phase, the time left in it and the clock's
/// buttons, and the phase's reminder below. Overrunning turns the time to
/// the theme's warning colour. While the clock runs, a repaint is scheduled
/// for the next whole second only.
pub fn timer_bar_ui(ui: &mut Ui, timer: &mut Timer, now_s: f64) {
    let phase = timer.current();
    let remaining = timer.remaining_s(now_s);
    let overrun = timer.is_overrun(now_s);
    ui.horizontal(|ui| {
        let position = Phase::ALL.iter().position(|&p| p == phase).unwrap_or(0) + 1;
        ui.label(
            RichText::new(format!(
                "{position}/{}  {}",
                Phase::ALL.len(),
                phase.label()
            ))
            .strong(),
        )
        .on_hover_text(phase.reminder());

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
            .label(RichText::new(text).monospace().size(18.0).color(color))
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
            timer.toggle(now_s);
        }
        if icon_button(
            ui,
            icon::SKIP_BACK,
            "Previous phase",
            phase.previous().is_some(),
        )
        .clicked()
        {
            timer.previous(now_s);
        }
        if icon_button(ui, icon::SKIP_FORWARD, "Next phase", phase.next().is_some()).clicked() {
            timer.next(now_s);
        }
        if icon_button(ui, icon::ARROW_COUNTER_CLOCKWISE, "Reset timer", true).clicked() {
            timer.reset();
        }
        let plan = ui.menu_button(icon::SLIDERS_HORIZONTAL, |ui| {
            phase_plan_ui(ui, timer, now_s)
        });
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
pub fn phase_plan_ui(ui: &mut Ui, timer: &mut Timer, now_s: f64) {
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
                    timer.set_current(phase, now_s);
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
                    timer.set_planned_s(phase, minutes * 60.0);
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
}

/// The accessible names of a probe's controls, so tests and screen readers
/// can tell the probes apart.
pub fn asked_label(probe: &Probe) -> String {
    format!("Asked: {}", probe_name(probe))
}

/// See [`asked_label`].
pub fn rating_label(rating: Rating, probe: &Probe) -> String {
    format!("{}: {}", rating.label(), probe_name(probe))
}

/// See [`asked_label`].
pub fn note_label(probe: &Probe) -> String {
    format!("Note: {}", probe_name(probe))
}

/// The question with its subject, so two probes that ask the same thing
/// about different components have different accessible names.
fn probe_name(probe: &Probe) -> String {
    if probe.subject_name.is_empty() {
        probe.question.clone()
    } else {
        format!("{} ({})", probe.question, probe.subject_name)
    }
}

/// The probes as a list the interviewer works through: for each, its
/// subject (a link), the question (on hover: what the checklist found, or
/// what a good answer covers), an
/// "Asked" checkbox, a strong/partial/missed rating (click again to clear)
/// and a note. Edits go straight into `records`; a record that becomes
/// empty is removed. Returns the subject whose link was clicked, for the
/// app to select; the design as a whole is not a link.
///
/// The list is long for a big design: put it in a scroll area.
pub fn probes_ui(
    ui: &mut Ui,
    probes: &[Probe],
    records: &mut BTreeMap<String, ProbeRecord>,
    diagram: &Diagram,
) -> Option<Subject> {
    if probes.is_empty() {
        ui.weak("Add components to the design to get questions to ask");
        return None;
    }
    let asked = probes
        .iter()
        .filter(|p| {
            records
                .get(&p.key)
                .is_some_and(|r| r.asked || r.rating.is_some())
        })
        .count();
    ui.label(format!("{asked} of {} asked", probes.len()));

    let mut clicked = None;
    let mut last_group = None;
    for probe in probes {
        let group = match probe.source {
            ProbeSource::Finding { .. } => "Gaps the checklist found",
            ProbeSource::Kind(_) => "What the components invite",
            ProbeSource::Design => "About the whole design",
        };
        if last_group != Some(group) {
            ui.add_space(8.0);
            ui.label(RichText::new(group).strong());
            ui.separator();
            last_group = Some(group);
        }
        ui.push_id(&probe.key, |ui| {
            if let Some(subject) = probe_ui(ui, probe, records, diagram) {
                clicked = Some(subject);
            }
        });
    }
    clicked
}

fn probe_ui(
    ui: &mut Ui,
    probe: &Probe,
    records: &mut BTreeMap<String, ProbeRecord>,
    diagram: &Diagram,
) -> Option<Subject> {
    let before = records.get(&probe.key).cloned().unwrap_or_default();
    let mut record = before.clone();
    let mut clicked = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            // The default font has no arrow glyph; the icon font does.
            let name = probe
                .subject
                .id()
                .and_then(|id| diagram.item_name(id))
                .unwrap_or_else(|| probe.subject_name.clone())
                .replace('→', icon::ARROW_RIGHT);
            if probe.subject == Subject::Design {
                ui.label(RichText::new(name).strong());
            } else if ui
                .link(RichText::new(name).strong())
                .on_hover_text("Select it on the canvas")
                .clicked()
            {
                clicked = Some(probe.subject);
            }
            if let ProbeSource::Finding { rule_id, .. } = probe.source {
                ui.weak(rule_id);
            }
        });
        let hint = match probe.source {
            ProbeSource::Finding { .. } => format!("The checklist found: {}", probe.hint),
            ProbeSource::Kind(_) | ProbeSource::Design => {
                format!("A good answer covers: {}", probe.hint)
            }
        };
        ui.label(&probe.question).on_hover_text(hint);
        ui.horizontal_wrapped(|ui| {
            let asked = ui.checkbox(&mut record.asked, "Asked");
            label_for(&asked, &asked_label(probe));
            ui.separator();
            for rating in Rating::ALL {
                let selected = record.rating == Some(rating);
                let button = ui.selectable_label(selected, rating.label());
                label_for(&button, &rating_label(rating, probe));
                if button.clicked() {
                    record.rating = if selected { None } else { Some(rating) };
                    if record.rating.is_some() {
                        record.asked = true;
                    }
                }
            }
        });
        let note = ui.add(
            TextEdit::singleline(&mut record.note)
                .hint_text("Note on the answer")
                .desired_width(f32::INFINITY),
        );
        label_for(&note, &note_label(probe));
    });
    if record != before {
        if record.is_empty() {
            records.remove(&probe.key);
        } else {
            records.insert(probe.key.clone(), record);
        }
    }
    clicked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ComponentKind;
    use crate::interview::{InterviewSession, probes, session_report};
    use crate::model::{Component, Id, Point};
    use egui::accesskit::Role;
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};

    struct Clock {
        timer: Timer,
        now_s: f64,
    }

    fn timer_harness() -> Harness<'static, Clock> {
        Harness::new_ui_state(
            |ui, clock: &mut Clock| timer_bar_ui(ui, &mut clock.timer, clock.now_s),
            Clock {
                timer: Timer::new(),
                now_s: 1_000.0,
            },
        )
    }

    fn advance(h: &mut Harness<'_, Clock>, seconds: f64) {
        h.state_mut().now_s += seconds;
        h.run();
    }

    #[test]
    fn the_timer_bar_starts_counts_down_and_moves_through_phases() {
        let mut h = timer_harness();
        h.get_by_label("5:00 left");
        h.get_by_label("Start timer").click();
        h.run();
        assert!(h.state().timer.is_running());
        advance(&mut h, 61.0);
        h.get_by_label("3:59 left");

        h.get_by_label("Pause timer").click();
        h.run();
        advance(&mut h, 600.0);
        h.get_by_label("3:59 left");
        assert!(!h.state().timer.is_running());

        h.get_by_label("Start timer").click();
        h.run();
        advance(&mut h, 250.0);
        h.get_by_label("0:11 over");
        assert!(h.state().timer.is_overrun(h.state().now_s));

        h.get_by_label("Next phase").click();
        h.run();
        assert_eq!(h.state().timer.current(), Phase::Estimate);
        h.get_by_label("2/5  Estimate");
        h.get_by_label("5:00 left");
        assert_eq!(
            h.state().timer.elapsed_s(Phase::Clarify, h.state().now_s),
            311.0
        );

        h.get_by_label("Reset timer").click();
        h.run();
        assert_eq!(h.state().timer.current(), Phase::Clarify);
        assert_eq!(h.state().timer.total_elapsed_s(h.state().now_s), 0.0);
        assert!(!h.state().timer.is_running());
    }

    #[test]
    fn the_phase_reminder_is_on_screen() {
        let h = timer_harness();
        h.get_by_label(Phase::Clarify.reminder());
    }

    #[test]
    fn the_phase_plan_edits_durations() {
        let mut h = Harness::new_ui_state(
            |ui, timer: &mut Timer| phase_plan_ui(ui, timer, 0.0),
            Timer::new(),
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
        assert_eq!(h.state().planned_s(Phase::DeepDive), 1_200.0);
        h.get_by_label("Wrap-up").click();
        h.run();
        assert_eq!(h.state().current(), Phase::WrapUp);
    }

    struct Board {
        diagram: Diagram,
        probes: Vec<Probe>,
        session: InterviewSession,
        clicked: Option<Subject>,
    }

    fn board() -> Board {
        let mut diagram = Diagram::new("Orders");
        for (id, kind, name) in [
            (1, ComponentKind::Service, "Orders API"),
            (2, ComponentKind::Queue, "Order events"),
        ] {
            diagram.components.push(Component {
                id: Id(id),
                kind,
                name: name.to_owned(),
                position: Point::new(0.0, id as f32 * 200.0),
                properties: kind.default_properties(),
            });
        }
        diagram.next_id = 3;
        let probes = probes(&diagram);
        Board {
            diagram,
            probes,
            session: InterviewSession::new(),
            clicked: None,
        }
    }

    fn probes_harness() -> Harness<'static, Board> {
        Harness::builder()
            .with_size(egui::vec2(600.0, 2000.0))
            .build_ui_state(
                |ui, b: &mut Board| {
                    if let Some(subject) =
                        probes_ui(ui, &b.probes, &mut b.session.records, &b.diagram)
                    {
                        b.clicked = Some(subject);
                    }
                },
                board(),
            )
    }

    #[test]
    fn marking_a_probe_asked_and_rated_records_it_and_the_report_shows_it() {
        let mut h = probes_harness();
        let probe = h
            .state()
            .probes
            .iter()
            .find(|p| p.key == "MSG-001:component:2")
            .cloned()
            .unwrap();

        h.get_by_label(&asked_label(&probe)).click();
        h.run();
        assert_eq!(
            h.state().session.records.get(&probe.key),
            Some(&ProbeRecord {
                asked: true,
                rating: None,
                note: String::new()
            })
        );

        h.get_by_label(&rating_label(Rating::Partial, &probe))
            .click();
        h.run();
        h.get_by_label(&note_label(&probe)).focus();
        h.run();
        h.get_by_label(&note_label(&probe))
            .type_text("DLQ yes, no alert on it");
        h.run();
        let expected = ProbeRecord {
            asked: true,
            rating: Some(Rating::Partial),
            note: "DLQ yes, no alert on it".to_owned(),
        };
        assert_eq!(h.state().session.records.get(&probe.key), Some(&expected));
        assert_eq!(h.state().session.records.len(), 1, "other probes untouched");

        let b = h.state();
        let report = session_report(&b.diagram, &b.session, 0.0);
        assert!(
            report.contains("— **Partial**\n  > DLQ yes, no alert on it"),
            "{report}"
        );

        // Clicking the selected rating again clears it.
        h.get_by_label(&rating_label(Rating::Partial, &probe))
            .click();
        h.run();
        assert_eq!(
            h.state().session.records.get(&probe.key).map(|r| r.rating),
            Some(None)
        );
    }

    #[test]
    fn clicking_a_subject_returns_it() {
        let mut h = probes_harness();
        // Each probe about the queue links to it; any of them will do.
        h.query_all_by_label("Order events").next().unwrap().click();
        h.run();
        assert_eq!(h.state().clicked, Some(Subject::Component(Id(2))));
    }

    #[test]
    fn unticking_an_untouched_probe_leaves_no_record() {
        let mut h = probes_harness();
        let probe = h.state().probes[0].clone();
        h.get_by_label(&asked_label(&probe)).click();
        h.run();
        h.get_by_label(&asked_label(&probe)).click();
        h.run();
        assert!(h.state().session.records.is_empty());
    }
}
