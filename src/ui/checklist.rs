//! The checklist panel: findings grouped by category, with filters, details
//! (why it matters, how to fix, the interviewer's question), quick fixes and
//! accepted trade-offs.
//!
//! The panel reads the diagram and the findings and never changes either:
//! what the user asks for comes back as a [`ChecklistAction`], which the app
//! turns into commands (so quick fixes and decisions can be undone).
//! Only what the panel shows (filters, the open finding, the note being
//! written) lives in [`ChecklistState`].
//!
//! Each category lists at most [`MAX_ROWS_PER_CATEGORY`] findings until the
//! user asks for the rest ("Show N more"), so a huge diagram stays
//! responsive; the filters narrow the list too.

use std::collections::BTreeSet;

use egui::{Color32, RichText, Ui};
use egui_phosphor::regular as icon;

use crate::app::Command;
use crate::model::{Diagram, Subject};
use crate::rules::{self, Category, Finding, Severity};
use crate::ui::PanelOutput;

/// Rows shown per category before the panel says how many more there are.
pub const MAX_ROWS_PER_CATEGORY: usize = 12;

/// What the user asked the panel for. The app applies it.
#[derive(Clone, Debug, PartialEq)]
pub enum ChecklistAction {
    /// Select the finding's subject on the canvas (and pan to it).
    Select(Subject),
    /// Apply the finding's quick fix (the session looks it up, so the panel
    /// never builds an edit).
    ApplyFix { rule_id: String, subject: Subject },
    /// Record the finding as an accepted trade-off with a note.
    Accept {
        rule_id: String,
        subject: Subject,
        note: String,
    },
    /// Remove the decision so the finding counts as open again.
    Reopen { rule_id: String, subject: Subject },
    /// Apply every quick fix of a category's open findings at once.
    FixAll(Category),
}

impl From<ChecklistAction> for PanelOutput {
    /// A selection becomes a reveal; everything else a command.
    fn from(action: ChecklistAction) -> Self {
        let mut out = PanelOutput::default();
        match action {
            ChecklistAction::Select(subject) => out.reveal = subject.id(),
            ChecklistAction::ApplyFix { rule_id, subject } => {
                out.send(Command::ApplyFix { rule_id, subject });
            }
            ChecklistAction::Accept {
                rule_id,
                subject,
                note,
            } => out.send(Command::AcceptFinding {
                rule_id,
                subject,
                note,
            }),
            ChecklistAction::Reopen { rule_id, subject } => {
                out.send(Command::ReopenFinding { rule_id, subject });
            }
            ChecklistAction::FixAll(category) => out.send(Command::ApplyAllFixes {
                category: Some(category),
            }),
        }
        out
    }
}

/// Identifies a finding across frames.
type FindingKey = (&'static str, Subject);

/// What the panel remembers between frames.
#[derive(Clone, Debug)]
pub struct ChecklistState {
    /// Severities shown in the list of open findings.
    pub show_errors: bool,
    pub show_warnings: bool,
    pub show_info: bool,
    /// Categories hidden by the filter.
    pub hidden_categories: BTreeSet<Category>,
    /// The finding whose details are shown.
    expanded: Option<FindingKey>,
    /// The finding being accepted, while its note is written.
    accepting: Option<FindingKey>,
    /// The note being written for `accepting`.
    note: String,
    /// Categories listed in full (past [`MAX_ROWS_PER_CATEGORY`]).
    show_all: BTreeSet<Category>,
}

impl Default for ChecklistState {
    fn default() -> Self {
        Self {
            show_errors: true,
            show_warnings: true,
            show_info: true,
            hidden_categories: BTreeSet::new(),
            expanded: None,
            accepting: None,
            note: String::new(),
            show_all: BTreeSet::new(),
        }
    }
}

impl ChecklistState {
    fn shows(&self, finding: &Finding) -> bool {
        let severity = match finding.severity {
            Severity::Error => self.show_errors,
            Severity::Warning => self.show_warnings,
            Severity::Info => self.show_info,
        };
        severity && !self.hidden_categories.contains(&finding.rule.category)
    }
}

/// The icon glyph of a severity.
pub fn severity_icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => icon::X_CIRCLE,
        Severity::Warning => icon::WARNING,
        Severity::Info => icon::INFO,
    }
}

/// The colour of a severity, from the current theme.
pub fn severity_color(ui: &Ui, severity: Severity) -> Color32 {
    let visuals = ui.visuals();
    match severity {
        Severity::Error => visuals.error_fg_color,
        Severity::Warning => visuals.warn_fg_color,
        Severity::Info => visuals.hyperlink_color,
    }
}

/// Shows the checklist panel. `findings` is the output of
/// [`rules::check`] for `diagram`; decisions are read from the diagram.
pub fn checklist_ui(
    ui: &mut Ui,
    diagram: &Diagram,
    findings: &[Finding],
    state: &mut ChecklistState,
) -> Option<ChecklistAction> {
    let review = rules::review(diagram, findings);
    let mut action = None;

    summary_ui(ui, &review);
    filters_ui(ui, state);
    ui.separator();

    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for category in Category::ALL {
                let visible: Vec<&Finding> = review
                    .open
                    .iter()
                    .copied()
                    .filter(|f| f.rule.category == category && state.shows(f))
                    .collect();
                if visible.is_empty() {
                    continue;
                }
                let header = category_header(ui, category, &visible);
                egui::CollapsingHeader::new(header)
                    .id_salt(("checklist-category", category))
                    .default_open(true)
                    .show(ui, |ui| {
                        let fixable = visible.iter().filter(|f| f.fix.is_some()).count();
                        if fixable > 1 {
                            let button = ui
                                .button(format!(
                                    "{}  Apply {fixable} quick fixes",
                                    icon::MAGIC_WAND
                                ))
                                .on_hover_text(
                                    "Apply every quick fix in this category as one undoable step",
                                );
                            crate::ui::label_for(
                                &button,
                                &format!("Apply all {} fixes", category.label().to_lowercase()),
                            );
                            if button.clicked() {
                                action = Some(ChecklistAction::FixAll(category));
                            }
                        }
                        let limit = if state.show_all.contains(&category) {
                            usize::MAX
                        } else {
                            MAX_ROWS_PER_CATEGORY
                        };
                        for finding in visible.iter().take(limit) {
                            if let Some(a) = finding_ui(ui, finding, state) {
                                action = Some(a);
                            }
                        }
                        if let Some(more) = visible.len().checked_sub(limit)
                            && more > 0
                            && ui.button(format!("Show {more} more")).clicked()
                        {
                            state.show_all.insert(category);
                        }
                    });
            }

            if !review.accepted.is_empty() {
                ui.separator();
                egui::CollapsingHeader::new(format!(
                    "{} Accepted trade-offs ({})",
                    icon::CHECK_CIRCLE,
                    review.accepted.len()
                ))
                .id_salt("checklist-accepted")
                .default_open(true)
                .show(ui, |ui| {
                    for (finding, decision) in &review.accepted {
                        if let Some(a) = accepted_ui(ui, finding, &decision.note) {
                            action = Some(a);
                        }
                    }
                });
            }
        });
    action
}

/// "3 errors, 5 warnings" with the icon of the worst open severity.
fn summary_ui(ui: &mut Ui, review: &rules::Review<'_>) {
    let counts = [
        review.open_count(Severity::Error),
        review.open_count(Severity::Warning),
        review.open_count(Severity::Info),
    ];
    let mut text = rules::summary_text(counts[0], counts[1], counts[2]);
    match review.accepted.len() {
        0 => {}
        1 => text.push_str(", 1 accepted"),
        n => text.push_str(&format!(", {n} accepted")),
    }
    ui.horizontal(|ui| {
        let worst = Severity::ALL
            .into_iter()
            .zip(counts)
            .find(|(_, n)| *n > 0)
            .map(|(s, _)| s);
        match worst {
            Some(severity) => {
                ui.label(RichText::new(severity_icon(severity)).color(severity_color(ui, severity)))
            }
            None => ui.label(RichText::new(icon::CHECK_CIRCLE).color(ui.visuals().hyperlink_color)),
        };
        ui.strong(text);
    });
}

/// Severity toggles and a category menu.
fn filters_ui(ui: &mut Ui, state: &mut ChecklistState) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Show:");
        ui.toggle_value(&mut state.show_errors, "Errors")
            .on_hover_text("Show or hide open errors");
        ui.toggle_value(&mut state.show_warnings, "Warnings")
            .on_hover_text("Show or hide open warnings");
        ui.toggle_value(&mut state.show_info, "Info")
            .on_hover_text("Show or hide open info findings");
        ui.menu_button("Categories", |ui| {
            for category in Category::ALL {
                let mut shown = !state.hidden_categories.contains(&category);
                if ui.checkbox(&mut shown, category.label()).changed() {
                    if shown {
                        state.hidden_categories.remove(&category);
                    } else {
                        state.hidden_categories.insert(category);
                    }
                }
            }
        });
    });
}

/// "Failure handling (4)" with a count per severity, as rich text.
fn category_header(ui: &Ui, category: Category, findings: &[&Finding]) -> egui::WidgetText {
    let mut job = egui::text::LayoutJob::default();
    let style = ui.style();
    let font = egui::TextStyle::Body.resolve(style);
    let text_color = ui.visuals().text_color();
    job.append(
        &format!("{} ({})", category.label(), findings.len()),
        0.0,
        egui::TextFormat::simple(font.clone(), text_color),
    );
    for severity in Severity::ALL {
        let n = findings.iter().filter(|f| f.severity == severity).count();
        if n > 0 {
            job.append(
                &format!("{} {n}", severity_icon(severity)),
                8.0,
                egui::TextFormat::simple(font.clone(), severity_color(ui, severity)),
            );
        }
    }
    job.into()
}

/// One open finding: icon, message (click to select and expand), rule id,
/// and when expanded its details, quick fix and accept flow.
fn finding_ui(
    ui: &mut Ui,
    finding: &Finding,
    state: &mut ChecklistState,
) -> Option<ChecklistAction> {
    let key: FindingKey = (finding.rule.id, finding.subject);
    let mut action = None;
    // The message wraps in the space left of the icon; the rule id sits under it.
    ui.horizontal_top(|ui| {
        ui.label(
            RichText::new(severity_icon(finding.severity))
                .color(severity_color(ui, finding.severity)),
        )
        .on_hover_text(finding.severity.label());
        ui.vertical(|ui| {
            let title = ui
                .add(
                    egui::Button::new(finding.message.as_str())
                        .frame(false)
                        .wrap(),
                )
                .on_hover_text("Select on the canvas and show details");
            if title.clicked() {
                state.expanded = if state.expanded == Some(key) {
                    None
                } else {
                    Some(key)
                };
                action = Some(ChecklistAction::Select(finding.subject));
            }
            ui.label(RichText::new(finding.rule.id).weak().small());
        });
    });

    if state.expanded != Some(key) {
        return action;
    }
    ui.indent(("finding-details", key.0, key.1), |ui| {
        ui.label(RichText::new(finding.rule.title).strong());
        detail_ui(ui, "Why it matters", finding.rule.why);
        detail_ui(ui, "How to fix", finding.rule.fix);
        detail_ui(ui, "The interviewer asks", finding.rule.question);

        if state.accepting == Some(key) {
            // The note takes the panel's width under its label, so the
            // row never widens the panel.
            let label = ui.label("Trade-off note");
            ui.add(
                egui::TextEdit::singleline(&mut state.note)
                    .hint_text("Why this gap is acceptable here")
                    .desired_width(ui.available_width()),
            )
            .labelled_by(label.id);
            ui.horizontal_wrapped(|ui| {
                let note = state.note.trim().to_owned();
                if ui
                    .add_enabled(!note.is_empty(), egui::Button::new("Accept"))
                    .on_disabled_hover_text("Write a short note first")
                    .clicked()
                {
                    action = Some(ChecklistAction::Accept {
                        rule_id: finding.rule.id.to_owned(),
                        subject: finding.subject,
                        note,
                    });
                    state.accepting = None;
                    state.expanded = None;
                    state.note.clear();
                }
                if ui.button("Cancel").clicked() {
                    state.accepting = None;
                    state.note.clear();
                }
            });
        } else {
            // A long fix label moves the other button to the next line.
            ui.horizontal_wrapped(|ui| {
                if let Some(fix) = &finding.fix
                    && ui
                        .button(fix.label)
                        .on_hover_text("Quick fix: applies the change as one undoable step")
                        .clicked()
                {
                    action = Some(ChecklistAction::ApplyFix {
                        rule_id: finding.rule.id.to_owned(),
                        subject: finding.subject,
                    });
                }
                if ui
                    .button("Accept as trade-off…")
                    .on_hover_text("Keep the design as it is and note why")
                    .clicked()
                {
                    state.accepting = Some(key);
                    state.note.clear();
                }
            });
        }
    });
    action
}

fn detail_ui(ui: &mut Ui, heading: &str, text: &str) {
    ui.add_space(2.0);
    ui.label(RichText::new(heading).strong());
    ui.label(text);
}

/// One accepted finding with its note and a Reopen button.
fn accepted_ui(ui: &mut Ui, finding: &Finding, note: &str) -> Option<ChecklistAction> {
    let mut action = None;
    ui.horizontal_top(|ui| {
        ui.label(RichText::new(icon::CHECK_CIRCLE).color(ui.visuals().weak_text_color()));
        ui.vertical(|ui| {
            if ui
                .add(
                    egui::Button::new(finding.message.as_str())
                        .frame(false)
                        .wrap(),
                )
                .on_hover_text("Select on the canvas")
                .clicked()
            {
                action = Some(ChecklistAction::Select(finding.subject));
            }
            ui.label(RichText::new(finding.rule.id).weak().small());
        });
    });
    ui.indent(("accepted-note", finding.rule.id, finding.subject), |ui| {
        if !note.is_empty() {
            ui.label(RichText::new(note).italics());
        }
        if ui
            .button("Reopen")
            .on_hover_text("Count this finding as open again")
            .clicked()
        {
            action = Some(ChecklistAction::Reopen {
                rule_id: finding.rule.id.to_owned(),
                subject: finding.subject,
            });
        }
    });
    action
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::{NodeT, Queryable};

    use super::*;
    use crate::app::{Document, Session};
    use crate::catalog::ComponentKind;
    use crate::model::{Component, Decision, DecisionStatus, Id, Point};

    /// A diagram with one queue (errors and warnings about it).
    fn queue_diagram() -> Diagram {
        let mut diagram = Diagram::new("Queue only");
        let kind = ComponentKind::Queue;
        diagram.components.push(Component {
            id: Id(1),
            kind,
            name: "Orders queue".into(),
            position: Point::new(0.0, 0.0),
            properties: kind.default_properties(),
        });
        diagram.next_id = 2;
        diagram
    }

    struct Panel {
        diagram: Diagram,
        state: ChecklistState,
        actions: Vec<ChecklistAction>,
    }

    fn harness(diagram: Diagram) -> Harness<'static, Panel> {
        let panel = Panel {
            diagram,
            state: ChecklistState::default(),
            actions: Vec::new(),
        };
        Harness::new_ui_state(
            |ui, panel: &mut Panel| {
                let findings = rules::check(&panel.diagram);
                if let Some(action) = checklist_ui(ui, &panel.diagram, &findings, &mut panel.state)
                {
                    panel.actions.push(action);
                }
            },
            panel,
        )
    }

    const DLQ_MESSAGE: &str =
        "Orders queue has no dead-letter queue for messages that keep failing";

    #[test]
    fn long_categories_are_cut_until_the_user_asks_for_the_rest() {
        let mut diagram = Diagram::new("Many services");
        let kind = ComponentKind::Service;
        for i in 0..20u64 {
            let mut properties = kind.default_properties();
            // One service logs, so the other 19 are listed one by one
            // rather than as one design-wide gap.
            if i == 0 {
                properties.logging = Some(true);
            }
            diagram.components.push(Component {
                id: Id(i + 1),
                kind,
                name: format!("Service {i:02}"),
                position: Point::new(i as f32 * 300.0, 0.0),
                properties,
            });
        }
        diagram.next_id = 21;
        let mut h = harness(diagram);
        h.run();
        // 19 services without logs: more than one screenful in Observability.
        let shown = |h: &Harness<'_, Panel>| {
            h.query_all_by_label_contains("sends no structured logs")
                .count()
        };
        assert!(shown(&h) < 19, "cut to the first rows");
        let label = h
            .query_all_by_label_contains(" more")
            .find_map(|n| {
                n.accesskit_node()
                    .label()
                    .filter(|l| l.starts_with("Show "))
            })
            .expect("a button offers the rest");
        h.get_by_label(&label).scroll_to_me();
        h.run();
        h.get_by_label(&label).click();
        h.run();
        assert_eq!(h.state().state.show_all.len(), 1);
    }

    #[test]
    fn shows_a_summary_and_the_dlq_finding() {
        let mut h = harness(queue_diagram());
        h.run();
        assert!(h.query_by_label("1 error, 2 warnings").is_some());
        assert!(h.query_by_label(DLQ_MESSAGE).is_some());
    }

    #[test]
    fn clicking_a_finding_selects_its_subject_and_the_quick_fix_closes_it() {
        let mut h = harness(queue_diagram());
        h.run();
        h.get_by_label(DLQ_MESSAGE).click();
        h.run();
        assert_eq!(
            h.state().actions,
            [ChecklistAction::Select(Subject::Component(Id(1)))]
        );
        assert!(h.query_by_label("The interviewer asks").is_some());

        h.get_by_label("Add a dead-letter queue").click();
        h.run();
        let Some(action) = h.state().actions.last().cloned() else {
            panic!("no quick fix action");
        };
        assert_eq!(
            action,
            ChecklistAction::ApplyFix {
                rule_id: "MSG-001".into(),
                subject: Subject::Component(Id(1)),
            }
        );
        // Sent through the session, the fix closes the finding.
        let mut session = Session::new(Document::new(h.state().diagram.clone()));
        for command in PanelOutput::from(action).commands {
            session.execute(command).unwrap();
        }
        assert!(session.findings().iter().all(|f| f.rule.id != "MSG-001"));
    }

    #[test]
    fn accepting_a_finding_asks_for_a_note_and_returns_it() {
        let mut h = harness(queue_diagram());
        h.run();
        h.get_by_label(DLQ_MESSAGE).click();
        h.run();
        h.get_by_label("Accept as trade-off…").click();
        h.run();
        h.get_by_label("Trade-off note").focus();
        h.get_by_label("Trade-off note")
            .type_text("Messages can be replayed from the event store");
        h.run();
        h.get_by_label("Accept").click();
        h.run();
        assert_eq!(
            h.state().actions.last(),
            Some(&ChecklistAction::Accept {
                rule_id: "MSG-001".into(),
                subject: Subject::Component(Id(1)),
                note: "Messages can be replayed from the event store".into(),
            })
        );
    }

    #[test]
    fn accepted_findings_are_listed_apart_and_can_be_reopened() {
        let mut diagram = queue_diagram();
        diagram.decisions.push(Decision {
            rule_id: "MSG-001".into(),
            subject: Subject::Component(Id(1)),
            status: DecisionStatus::AcceptedTradeOff,
            note: "Replayable from the event store".into(),
        });
        let mut h = harness(diagram);
        h.run();
        assert!(h.query_by_label("2 warnings, 1 accepted").is_some());
        assert!(
            h.query_by_label("Replayable from the event store")
                .is_some()
        );
        h.get_by_label("Reopen").click();
        h.run();
        assert_eq!(
            h.state().actions.last(),
            Some(&ChecklistAction::Reopen {
                rule_id: "MSG-001".into(),
                subject: Subject::Component(Id(1)),
            })
        );
    }

    #[test]
    fn severity_filters_hide_findings() {
        let mut h = harness(queue_diagram());
        h.run();
        h.get_by_label("Errors").click();
        h.run();
        assert!(h.query_by_label(DLQ_MESSAGE).is_none());
        assert!(!h.state().state.show_errors);
        assert!(h.state().actions.is_empty());
    }
}
