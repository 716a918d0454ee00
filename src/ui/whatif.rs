//! What-if mode's side tab and banner: pick a failure and a traffic
//! multiplier, read the verdict of every path with the steps that decided
//! it, and jump to the policy, property or finding behind each step.
//!
//! Like every panel, it reads the session and returns commands: the
//! scenario goes to the session as `Command::WhatIf`, which never touches
//! the design or its undo history. Capacity properties of the selected
//! card are ordinary property edits (`Command::SetProperty`).

use egui::{ComboBox, DragValue, RichText, Ui};

use super::PanelOutput;
use super::theme::{CanvasColors, WhatIfColors};
use crate::app::{Command, Session, WhatIfCommand};
use crate::catalog::ComponentKind as K;
use crate::model::{Diagram, GroupKind, Id, PropKey, PropValue, Subject};
use crate::sim::{Cause, Failure, Outcome, PathOutcome, PolicyPart, Reason, Scenario, Verdict};

/// Traffic multipliers offered as buttons.
const TRAFFIC_PRESETS: [f64; 4] = [1.0, 2.0, 10.0, 100.0];
/// The range of the traffic field.
const TRAFFIC_RANGE: std::ops::RangeInclusive<f64> = 0.1..=1000.0;

/// The panel's own state between frames.
#[derive(Debug, Default)]
pub struct WhatIfPanel {
    /// The traffic multiplier while its field is being dragged or typed;
    /// sent when the edit ends, so a drag from 1 to 10 is one scenario.
    traffic_edit: Option<f64>,
}

/// The scenario "what if the selection fails?" asks: the selected
/// component goes down, or the selected zone or region is lost, at the
/// traffic already shown. `None` when the selection is not one of those.
pub fn scenario_for_selection(session: &Session) -> Option<Scenario> {
    let selection = session.selection();
    let &id = selection.iter().next().filter(|_| selection.len() == 1)?;
    let diagram = session.diagram();
    let failure = if diagram.component(id).is_some() {
        Failure::Down(id)
    } else {
        match diagram.group(id)?.kind {
            GroupKind::Zone => Failure::Zone(id),
            GroupKind::Region => Failure::Region(id),
            _ => return None,
        }
    };
    let traffic = session.whatif().map_or(1.0, |w| w.scenario().traffic);
    Some(Scenario::failing(failure).with_traffic(traffic))
}

/// Every failure the picker offers, in diagram order: nothing; each
/// component down; caches cold; queues' consumers stopped; zones and
/// regions lost.
fn failure_choices(diagram: &Diagram) -> Vec<(Option<Failure>, String)> {
    let mut out = vec![(None, "Nothing fails".to_owned())];
    for g in &diagram.groups {
        match g.kind {
            GroupKind::Zone => out.push((
                Some(Failure::Zone(g.id)),
                format!("Zone {} is lost", g.label),
            )),
            GroupKind::Region => out.push((
                Some(Failure::Region(g.id)),
                format!("Region {} is lost", g.label),
            )),
            _ => {}
        }
    }
    for c in &diagram.components {
        out.push((Some(Failure::Down(c.id)), format!("{} is down", c.name)));
        match c.kind {
            K::Cache | K::Cdn => out.push((
                Some(Failure::CacheCold(c.id)),
                format!("{} starts cold", c.name),
            )),
            K::Queue | K::EventStore => out.push((
                Some(Failure::ConsumersStopped(c.id)),
                format!("The consumers of {} stop", c.name),
            )),
            _ => {}
        }
    }
    out
}

/// The what-if tab. Returns the commands it asks for and the item to show.
pub fn whatif_panel_ui(ui: &mut Ui, session: &Session, panel: &mut WhatIfPanel) -> PanelOutput {
    let mut out = PanelOutput::default();
    let Some(whatif) = session.whatif() else {
        return out;
    };
    let diagram = session.diagram();
    let scenario = whatif.scenario();
    let colors = CanvasColors::from_visuals(ui.visuals()).whatif();
    let run = |out: &mut PanelOutput, s: Scenario| {
        if s != scenario {
            out.send(Command::WhatIf(WhatIfCommand::Run(s)));
        }
    };

    ui.horizontal(|ui| {
        ui.heading("What if");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("Leave what-if mode")
                .on_hover_text("Back to the design as it is; nothing in it has changed")
                .clicked()
            {
                out.send(Command::WhatIf(WhatIfCommand::Leave));
            }
        });
    });
    ui.label(RichText::new(scenario.title(diagram)).strong());
    ui.add_space(4.0);

    egui::Grid::new("whatif-scenario")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label("Failure");
            let choices = failure_choices(diagram);
            let current = choices
                .iter()
                .find(|(f, _)| *f == scenario.failure)
                .map_or_else(|| scenario.title(diagram), |(_, text)| text.clone());
            let combo = ComboBox::from_id_salt("whatif-failure")
                .selected_text(current)
                .width(200.0)
                .height(400.0)
                .show_ui(ui, |ui| {
                    for (failure, text) in &choices {
                        if ui
                            .selectable_label(*failure == scenario.failure, text)
                            .clicked()
                        {
                            run(
                                &mut out,
                                Scenario {
                                    failure: *failure,
                                    traffic: scenario.traffic,
                                },
                            );
                        }
                    }
                });
            super::label_for(&combo.response, "What fails");
            ui.end_row();

            ui.label("Traffic ×");
            ui.horizontal(|ui| {
                let mut traffic = panel.traffic_edit.unwrap_or(scenario.traffic);
                let field = ui.add(
                    DragValue::new(&mut traffic)
                        .range(TRAFFIC_RANGE)
                        .speed(0.1)
                        .max_decimals(1),
                );
                super::label_for(&field, "Traffic multiplier");
                if field.changed() {
                    panel.traffic_edit = Some(traffic);
                }
                let editing = field.dragged() || field.has_focus();
                if !editing && let Some(traffic) = panel.traffic_edit.take() {
                    run(&mut out, scenario.with_traffic(traffic));
                }
                for preset in TRAFFIC_PRESETS {
                    let label = format!("×{preset}");
                    let button = ui.selectable_label(scenario.traffic == preset, &label);
                    super::label_for(&button, &format!("Traffic {label}"));
                    if button.clicked() {
                        panel.traffic_edit = None;
                        run(&mut out, scenario.with_traffic(preset));
                    }
                }
            });
            ui.end_row();
        });

    let Some(outcome) = whatif.outcome() else {
        ui.colored_label(
            ui.visuals().error_fg_color,
            "This scenario cannot be played on the design",
        );
        return out;
    };
    ui.separator();
    summary_ui(ui, diagram, outcome, &colors, &mut out);
    selected_ui(ui, session, outcome, &colors, &mut out);
    paths_ui(ui, diagram, outcome, &colors, &mut out);
    out
}

/// Path counts, the traffic, and the first bottleneck.
fn summary_ui(
    ui: &mut Ui,
    diagram: &Diagram,
    outcome: &Outcome,
    colors: &WhatIfColors,
    out: &mut PanelOutput,
) {
    let (works, degraded, fails) = outcome.counts();
    ui.horizontal_wrapped(|ui| {
        for (verdict, n) in [
            (Verdict::Fails, fails),
            (Verdict::Degraded, degraded),
            (Verdict::Works, works),
        ] {
            verdict_chip(ui, colors, verdict);
            ui.label(super::count(n, "path", "paths"));
            ui.add_space(6.0);
        }
    });
    let Some(load) = &outcome.load else {
        ui.weak("No traffic estimate: give daily users and requests per user in the requirements to see load and the bottleneck");
        return;
    };
    ui.label(format!(
        "{} requests/s enter (peak {} × {})",
        whole(load.entry_rps),
        whole(load.baseline_rps),
        number(load.traffic)
    ));
    match load
        .bottleneck
        .and_then(|id| Some((id, diagram.component(id)?)))
    {
        Some((id, c)) => {
            ui.horizontal_wrapped(|ui| {
                ui.label("First bottleneck:");
                if ui
                    .link(RichText::new(&c.name).strong())
                    .on_hover_text("Select it on the canvas")
                    .clicked()
                {
                    out.reveal = Some(id);
                }
                if let Some(u) = outcome
                    .component(id)
                    .and_then(|r| r.load)
                    .and_then(|l| l.utilisation)
                {
                    let (color, _) = colors.utilisation(u);
                    ui.colored_label(color, format!("{:.0}% of capacity", u * 100.0));
                }
            });
        }
        None => {
            ui.weak("No component has a capacity to run out of");
        }
    }
    for note in &load.notes {
        ui.weak(note);
    }
}

/// The selected card or wire in this scenario: its verdict, its load, its
/// capacity (editable), and the steps recorded at it.
fn selected_ui(
    ui: &mut Ui,
    session: &Session,
    outcome: &Outcome,
    colors: &WhatIfColors,
    out: &mut PanelOutput,
) {
    let selection = session.selection();
    let Some(&id) = selection.iter().next().filter(|_| selection.len() == 1) else {
        return;
    };
    let diagram = session.diagram();
    let (verdict, reasons, name) = if let Some(r) = outcome.component(id) {
        (r.verdict, &r.reasons, diagram.item_name(id))
    } else if let Some(r) = outcome.call(id) {
        (r.verdict, &r.reasons, diagram.item_name(id))
    } else {
        return;
    };
    ui.add_space(8.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(name.unwrap_or_default()).strong());
        verdict_chip(ui, colors, verdict);
    });
    if let Some(load) = outcome.component(id).and_then(|r| r.load) {
        let mut text = format!(
            "{} reads/s and {} writes/s",
            whole(load.reads_per_s),
            whole(load.writes_per_s)
        );
        if let Some(capacity) = load.capacity_per_s {
            text.push_str(&format!(" of {} it can take", whole(capacity)));
        }
        ui.label(text);
        if let Some(headroom) = load.headroom() {
            ui.weak(format!(
                "Headroom: {}× this traffic{}",
                number((headroom * 10.0).floor() / 10.0),
                if load.autoscaling {
                    "; it scales out on its own"
                } else {
                    ""
                }
            ));
        }
    }
    if let Some(c) = diagram.component(id) {
        capacity_ui(ui, c, out);
    }
    for reason in outcome.reasons_of(reasons) {
        reason_ui(ui, diagram, reason, out);
    }
    ui.separator();
}

/// The simulation's capacity properties of a card: the kind's default
/// until set, with ranges that fit each (requests per second reach the
/// millions, a hit ratio stops at 100%).
fn capacity_ui(ui: &mut Ui, c: &crate::model::Component, out: &mut PanelOutput) {
    let defaults = c.kind.simulation_defaults();
    let keys: Vec<PropKey> = SIMULATION_KEYS
        .iter()
        .copied()
        .filter(|&key| defaults.value(key).is_some())
        .collect();
    if keys.is_empty() {
        return;
    }
    egui::CollapsingHeader::new("Capacity")
        .id_salt(("whatif-capacity", c.id.0))
        .default_open(false)
        .show(ui, |ui| {
            egui::Grid::new(("whatif-capacity-grid", c.id.0))
                .num_columns(2)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    for key in keys {
                        let value = c.properties.value(key).or_else(|| defaults.value(key));
                        let Some(PropValue::Count(mut v)) = value else {
                            continue;
                        };
                        ui.label(key.label()).on_hover_text(key.help());
                        let range = capacity_range(key);
                        let speed = (f64::from(v) / 100.0).max(0.2);
                        let field = ui.add(DragValue::new(&mut v).range(range).speed(speed));
                        super::label_for(&field, key.label());
                        if field.changed() {
                            out.send(Command::SetProperty {
                                id: c.id,
                                key,
                                value: PropValue::Count(v),
                            });
                        }
                        ui.end_row();
                    }
                });
            ui.weak("Unset values are the kind's defaults (docs/whatif.md)");
        });
}

/// The simulation's own properties, in the order the panel lists them.
const SIMULATION_KEYS: [PropKey; 7] = [
    PropKey::CapacityRps,
    PropKey::ConsumerRate,
    PropKey::CacheHitPercent,
    PropKey::Partitions,
    PropKey::PartitionOps,
    PropKey::TrafficShare,
    PropKey::Zones,
];

/// The range a capacity property is edited in.
fn capacity_range(key: PropKey) -> std::ops::RangeInclusive<u32> {
    match key {
        PropKey::CacheHitPercent => 0..=100,
        PropKey::Zones => 1..=6,
        PropKey::Partitions => 1..=10_000,
        PropKey::TrafficShare => 0..=1_000_000,
        _ => 1..=10_000_000,
    }
}

/// Every path that does not simply work, with its explanation; the ones
/// that work, folded away.
fn paths_ui(
    ui: &mut Ui,
    diagram: &Diagram,
    outcome: &Outcome,
    colors: &WhatIfColors,
    out: &mut PanelOutput,
) {
    ui.add_space(6.0);
    ui.label(RichText::new("Paths").strong());
    let (affected, working): (Vec<&PathOutcome>, Vec<&PathOutcome>) = outcome
        .paths
        .iter()
        .partition(|p| p.verdict != Verdict::Works);
    if outcome.paths.is_empty() {
        ui.weak("No paths: connect a client to the components that serve it");
    }
    let mut affected = affected;
    // Worst first; the simulation's order within a verdict.
    affected.sort_by_key(|p| std::cmp::Reverse(p.verdict));
    for path in affected {
        ui.push_id(&path.key, |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal_wrapped(|ui| {
                    verdict_chip(ui, colors, path.verdict);
                    ui.label(RichText::new(&path.name).strong());
                });
                for reason in outcome.reasons_of(&path.reasons) {
                    reason_ui(ui, diagram, reason, out);
                }
                if path.reasons_truncated {
                    ui.weak("… and more steps");
                }
            });
        });
    }
    if !working.is_empty() {
        let n = working.len();
        egui::CollapsingHeader::new(if n == 1 {
            "1 path keeps working".to_owned()
        } else {
            format!("{n} paths keep working")
        })
        .id_salt("whatif-working")
        .show(ui, |ui| {
            for path in working {
                ui.label(&path.name);
            }
        });
    }
    if outcome.paths_truncated {
        ui.weak("The design has more paths than are listed");
    }
}

/// One step of an explanation: a link that selects what decided it, with
/// a tag naming that (a policy part, a property, a rule).
fn reason_ui(ui: &mut Ui, diagram: &Diagram, reason: &Reason, out: &mut PanelOutput) {
    let (target, tag) = decided_by(diagram, reason);
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        let text = reason
            .text
            .replace('→', egui_phosphor::regular::ARROW_RIGHT);
        let link = ui.link(text);
        // Screen readers (and tests) read the sentence with its arrow, not
        // the icon font's glyph drawn in its place.
        link.ctx.accesskit_node_builder(link.id, |node| {
            node.set_label(reason.text.clone());
            node.set_value(reason.text.clone());
        });
        let hover = match (&tag, target) {
            (Some(tag), Some(_)) => format!("Decided by {tag}: click to select it"),
            (None, Some(_)) => "Click to select it".to_owned(),
            _ => String::new(),
        };
        let link = if hover.is_empty() {
            link
        } else {
            link.on_hover_text(hover)
        };
        if link.clicked()
            && let Some(id) = target
        {
            out.reveal = Some(id);
        }
        if let Some(tag) = tag {
            ui.weak(RichText::new(tag).small());
        }
    });
}

/// What a step links to: the item behind its most specific cause (the
/// connection whose policy decided it, the card whose property did, the
/// subject of the finding), else where it happens; and a short name for
/// the cause.
fn decided_by(diagram: &Diagram, reason: &Reason) -> (Option<Id>, Option<String>) {
    for cause in &reason.decided_by {
        let found = match *cause {
            Cause::Policy { connection, part } => Some((connection, policy_name(part).to_owned())),
            Cause::Property { component, key } => Some((component, key.label().to_lowercase())),
            Cause::Rule { rule_id, subject } => subject.id().map(|id| (id, rule_id.to_owned())),
            Cause::Group(id) => diagram
                .group(id)
                .map(|g| (id, g.kind.label().to_lowercase())),
            Cause::Connection(id) => Some((id, "connection kind".to_owned())),
            Cause::Scenario | Cause::Estimate => None,
        };
        if let Some((id, tag)) = found
            && diagram.contains(id)
        {
            return (Some(id), Some(tag));
        }
    }
    let tag = reason.decided_by.iter().find_map(|c| match c {
        Cause::Scenario => Some("the scenario".to_owned()),
        Cause::Estimate => Some("traffic estimate".to_owned()),
        _ => None,
    });
    let at = match reason.at {
        Subject::Design => None,
        s => s.id().filter(|&id| diagram.contains(id)),
    };
    (at, tag)
}

fn policy_name(part: PolicyPart) -> &'static str {
    match part {
        PolicyPart::Timeout => "timeout",
        PolicyPart::Retry => "retries",
        PolicyPart::CircuitBreaker => "circuit breaker",
        PolicyPart::Fallback => "fallback",
        PolicyPart::Bulkhead => "bulkhead",
    }
}

/// A small filled label with a verdict's name.
fn verdict_chip(ui: &mut Ui, colors: &WhatIfColors, verdict: Verdict) {
    let (fill, text) = colors.verdict(verdict);
    egui::Frame::new()
        .fill(fill)
        .corner_radius(8.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(RichText::new(verdict.label()).color(text).small().strong());
        });
}

/// The banner over the canvas while the mode is on: the scenario, the
/// verdicts and a way out. Returns whether "Leave" was pressed.
pub fn banner_ui(ui: &mut Ui, session: &Session) -> bool {
    let Some(whatif) = session.whatif() else {
        return false;
    };
    let colors = CanvasColors::from_visuals(ui.visuals()).whatif();
    let mut leave = false;
    ui.horizontal(|ui| {
        ui.label(RichText::new("What if").strong().color(colors.degraded));
        ui.label(RichText::new(whatif.scenario().title(session.diagram())).strong());
        if let Some(outcome) = whatif.outcome() {
            let (works, degraded, fails) = outcome.counts();
            ui.separator();
            for (n, word, verdict) in [
                (fails, "failing", Verdict::Fails),
                (degraded, "degraded", Verdict::Degraded),
                (works, "working", Verdict::Works),
            ] {
                let (color, _) = colors.verdict(verdict);
                ui.label(RichText::new(format!("{n} {word}")).color(color));
            }
            ui.weak(if works + degraded + fails == 1 {
                "path"
            } else {
                "paths"
            });
        }
        ui.separator();
        leave = ui
            .button("Leave")
            .on_hover_text("Back to the design as it is")
            .clicked();
    });
    leave
}

/// A rate as a whole number with thousands separators.
fn whole(value: f64) -> String {
    if !value.is_finite() {
        return "∞".to_owned();
    }
    crate::io::thousands(value.round().max(0.0) as u64)
}

/// A multiplier without trailing zeros.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e9 {
        format!("{}", value as i64)
    } else {
        format!("{value:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_with_thousands_separators() {
        assert_eq!(whole(0.4), "0");
        assert_eq!(whole(1234.5), "1,235");
        assert_eq!(whole(12_000_000.0), "12,000,000");
        assert_eq!(number(10.0), "10");
        assert_eq!(number(2.5), "2.5");
    }

    #[test]
    fn capacity_ranges_reach_past_the_inspector_limit() {
        assert!(capacity_range(PropKey::CapacityRps).contains(&50_000));
        assert_eq!(capacity_range(PropKey::CacheHitPercent), 0..=100);
        for kind in K::all() {
            let defaults = kind.simulation_defaults();
            for key in SIMULATION_KEYS {
                if let Some(PropValue::Count(v)) = defaults.value(key) {
                    assert!(
                        capacity_range(key).contains(&v),
                        "{kind:?} {key:?} default {v}"
                    );
                }
            }
            for &key in PropKey::ALL {
                if defaults.value(key).is_some() {
                    assert!(SIMULATION_KEYS.contains(&key), "{key:?} is not listed");
                }
            }
        }
    }

    #[test]
    fn the_picker_offers_every_component_and_zone() {
        let d = crate::templates::example::example_design();
        let choices = failure_choices(&d);
        assert_eq!(choices.first().map(|(f, _)| *f), Some(None));
        for c in &d.components {
            assert!(choices.iter().any(|(f, _)| *f == Some(Failure::Down(c.id))));
        }
    }
}
