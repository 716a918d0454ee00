//! The mock interviewer's probe list: for each question, its subject, an
//! "asked" box, a rating and a note. The list reads the session's records
//! and returns the change the interviewer made; the app sends it as a
//! `Command::RateProbe`, so a remote interviewer's rating takes the same door.

use std::collections::BTreeMap;

use egui::{RichText, TextEdit, Ui};
use egui_phosphor::regular as icon;

use crate::interview::{Probe, ProbeRecord, ProbeSource, Rating};
use crate::model::{Diagram, Subject};
use crate::ui::label_for;

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

/// What the interviewer did in the probe list this frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProbesOutput {
    /// A probe's new record (by key), for `Command::RateProbe`.
    pub rated: Option<(String, ProbeRecord)>,
    /// The subject whose link was clicked, for the app to select.
    pub clicked: Option<Subject>,
}

/// The probes as a list the interviewer works through: for each, its
/// subject (a link), the question (on hover: what the checklist found, or
/// what a good answer covers), an "Asked" checkbox, a strong/partial/missed
/// rating (click again to clear) and a note. Returns the changed record and
/// the clicked subject; the design as a whole is not a link.
///
/// The list is long for a big design: put it in a scroll area.
pub fn probes_ui(
    ui: &mut Ui,
    probes: &[Probe],
    records: &BTreeMap<String, ProbeRecord>,
    diagram: &Diagram,
) -> ProbesOutput {
    let mut out = ProbesOutput::default();
    if probes.is_empty() {
        ui.weak("Add components to the design to get questions to ask");
        return out;
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

    let mut last_group = None;
    for probe in probes {
        let group = match probe.source {
            ProbeSource::Finding { .. } => "Gaps the checklist found",
            ProbeSource::Kind(_) => "What the components invite",
            ProbeSource::Design => "About the whole design",
            ProbeSource::WhatIf => "What the what-if scenarios raise",
        };
        if last_group != Some(group) {
            ui.add_space(8.0);
            ui.label(RichText::new(group).strong());
            ui.separator();
            last_group = Some(group);
        }
        ui.push_id(&probe.key, |ui| {
            probe_ui(ui, probe, records, diagram, &mut out)
        });
    }
    out
}

fn probe_ui(
    ui: &mut Ui,
    probe: &Probe,
    records: &BTreeMap<String, ProbeRecord>,
    diagram: &Diagram,
    out: &mut ProbesOutput,
) {
    let before = records.get(&probe.key).cloned().unwrap_or_default();
    let mut record = before.clone();
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
                out.clicked = Some(probe.subject);
            }
            if let ProbeSource::Finding { rule_id, .. } = probe.source {
                ui.weak(rule_id);
            }
        });
        let hint = match probe.source {
            ProbeSource::Finding { .. } => format!("The checklist found: {}", probe.hint),
            ProbeSource::WhatIf => format!("The simulation found: {}", probe.hint),
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
        out.rated = Some((probe.key.clone(), record));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{Command, Document, Session};
    use crate::catalog::ComponentKind;
    use crate::interview::session_report;
    use crate::model::{Component, Id, Point};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    /// The probe list on a session, with what the interviewer clicked.
    struct Board {
        session: Session,
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
        Board {
            session: Session::new(Document::new(diagram)),
            clicked: None,
        }
    }

    impl Board {
        fn records(&self) -> &BTreeMap<String, ProbeRecord> {
            &self.session.interview().records
        }
    }

    fn probes_harness() -> Harness<'static, Board> {
        Harness::builder()
            .with_size(egui::vec2(600.0, 2000.0))
            .build_ui_state(
                |ui, b: &mut Board| {
                    let s = &b.session;
                    let out = probes_ui(ui, s.probes(), &s.interview().records, s.diagram());
                    if let Some((key, record)) = out.rated {
                        b.session
                            .execute(Command::RateProbe { key, record })
                            .unwrap();
                    }
                    if let Some(subject) = out.clicked {
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
            .session
            .probes()
            .iter()
            .find(|p| p.key == "MSG-001:component:2")
            .cloned()
            .unwrap();

        h.get_by_label(&asked_label(&probe)).click();
        h.run();
        assert_eq!(
            h.state().records().get(&probe.key),
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
        assert_eq!(h.state().records().get(&probe.key), Some(&expected));
        assert_eq!(h.state().records().len(), 1, "other probes untouched");

        let s = &h.state().session;
        let report = session_report(s.diagram(), s.interview(), 0.0);
        assert!(
            report.contains("— **Partial**\n  > DLQ yes, no alert on it"),
            "{report}"
        );

        // Clicking the selected rating again clears it.
        h.get_by_label(&rating_label(Rating::Partial, &probe))
            .click();
        h.run();
        assert_eq!(
            h.state().records().get(&probe.key).map(|r| r.rating),
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
        let probe = h.state().session.probes()[0].clone();
        h.get_by_label(&asked_label(&probe)).click();
        h.run();
        h.get_by_label(&asked_label(&probe)).click();
        h.run();
        assert!(h.state().records().is_empty());
    }
}
