//! What-if mode through the real UI: fail a card from its context menu,
//! read the overlay and the explanation, follow a step to what decided it,
//! leave, and find the design and its undo history as they were; pick a
//! region; multiply the traffic and find the bottleneck marked.

// Helpers outside #[test] functions may panic too: this is test code.
#![allow(clippy::unwrap_used)]

mod ui_common;

use archboard::app::{Command, WhatIfCommand};
use archboard::model::{Diagram, Id};
use archboard::sim::{Cause, Failure, Scenario, Verdict};
use archboard::ui::ArchboardApp;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ui_common::{harness_on, undo};

fn reference(name: &str) -> Diagram {
    archboard::templates::find(name).unwrap().diagram().unwrap()
}

fn id_of(h: &Harness<'_, ArchboardApp>, name: &str) -> Id {
    h.state()
        .session
        .diagram()
        .components
        .iter()
        .find(|c| c.name == name)
        .unwrap()
        .id
}

#[test]
fn failing_a_card_shows_the_overlay_and_leaving_changes_nothing() {
    let mut h = harness_on(reference("realtime-chat-reference"));
    // One edit, so there is an undo history to keep.
    h.state_mut()
        .session
        .execute(Command::SetTitle("Chat practice".to_owned()))
        .unwrap();
    h.state_mut().session.execute(Command::EndGesture).unwrap();
    h.run();
    let design = h.state().session.diagram().clone();
    let undo_label = h.state().session.undo_label().map(str::to_owned);
    let dirty = h.state().session.is_dirty();
    let queue = id_of(&h, "Message events");

    h.get_by_label("Message events").click_secondary();
    h.run();
    h.get_by_label("What if it fails?").click();
    h.run();

    let whatif = h.state().session.whatif().unwrap();
    assert_eq!(whatif.scenario(), Scenario::down(queue));
    let outcome = whatif.outcome().unwrap().clone();
    assert!(outcome.paths.iter().any(|p| p.verdict == Verdict::Fails));
    // The overlay: the card that is down, and every card that fails or
    // degrades, labelled on the canvas.
    assert!(h.query_by_label("Message events: down").is_some());
    for c in &outcome.components {
        let name = &design.component(c.id).unwrap().name;
        let label = match c.verdict {
            Verdict::Works => continue,
            _ if c.id == queue => continue,
            Verdict::Fails => format!("{name}: fails"),
            Verdict::Degraded => format!("{name}: degraded"),
        };
        assert!(
            h.state()
                .canvas
                .whatif_marks()
                .iter()
                .any(|m| m.accessible == label),
            "{label} is marked"
        );
    }
    // The explanation, beside it: a step decided by a policy or a finding
    // links to it.
    assert!(h.query_by_label("What if tab").is_some());
    let (reason, target) = outcome
        .paths
        .iter()
        .filter(|p| p.verdict != Verdict::Works)
        .flat_map(|p| outcome.reasons_of(&p.reasons))
        .find_map(|r| {
            r.decided_by.iter().find_map(|c| match *c {
                Cause::Policy { connection, .. } => Some((r.text.clone(), connection)),
                Cause::Rule { subject, .. } => subject.id().map(|id| (r.text.clone(), id)),
                _ => None,
            })
        })
        .expect("a step decided by a policy or a finding");
    h.get_by_label(&reason).click();
    h.run();
    assert_eq!(
        h.state()
            .session
            .selection()
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        [target],
        "clicking the step selects what decided it"
    );
    // The scenario's questions join the probes.
    assert!(
        h.state()
            .session
            .probes()
            .iter()
            .any(|p| p.key == format!("whatif:down:{}:impact", queue.0))
    );

    h.get_by_label("Leave what-if mode").click();
    h.run();
    assert!(h.state().session.whatif().is_none());
    assert!(h.state().canvas.whatif_marks().is_empty());
    assert!(h.query_by_label("Message events: down").is_none());
    assert!(h.query_by_label("What if tab").is_none());
    assert_eq!(
        h.state().session.diagram(),
        &design,
        "the design is as it was"
    );
    assert_eq!(
        h.state().session.undo_label().map(str::to_owned),
        undo_label
    );
    assert_eq!(h.state().session.redo_label(), None);
    assert_eq!(h.state().session.is_dirty(), dirty);
    // The one edit is still the one undo step.
    undo(&mut h);
    assert_eq!(
        h.state().session.diagram(),
        &reference("realtime-chat-reference")
    );
}

#[test]
fn a_region_picked_from_the_failure_list_is_lost() {
    let mut h = harness_on(reference("realtime-chat-reference"));
    h.get_by_label("Interview").click();
    h.run();
    h.get_by_label("What if…").click();
    h.run();
    assert_eq!(
        h.state().session.whatif().map(|w| w.scenario()),
        Some(Scenario::baseline())
    );
    h.get_by_label("What fails").click();
    h.run();
    h.get_by_label("Region West Europe is lost").click();
    h.run();
    let region = h.state().session.diagram().groups[0].id;
    let scenario = h.state().session.whatif().unwrap().scenario();
    assert_eq!(scenario.failure, Some(Failure::Region(region)));
    assert!(h.query_by_label("West Europe: lost").is_some());
    assert!(
        h.state()
            .session
            .whatif()
            .unwrap()
            .outcome()
            .unwrap()
            .worst()
            == Verdict::Fails,
        "a single-region design fails with its region"
    );
}

#[test]
fn ten_times_the_traffic_marks_the_bottleneck() {
    let mut h = harness_on(reference("url-shortener-reference"));
    h.state_mut()
        .session
        .send(Command::WhatIf(WhatIfCommand::Run(Scenario::baseline())));
    h.run();
    h.get_by_label("Traffic ×10").click();
    h.run();
    let whatif = h.state().session.whatif().unwrap();
    assert_eq!(whatif.scenario(), Scenario::traffic(10.0));
    let load = whatif.outcome().unwrap().load.clone().unwrap();
    let bottleneck = load.bottleneck.unwrap();
    let name = h
        .state()
        .session
        .diagram()
        .component(bottleneck)
        .unwrap()
        .name
        .clone();
    assert!(
        h.query_by_label(&format!("{name}: first bottleneck"))
            .is_some()
    );
    // Utilisation on each card with a capacity.
    let with_capacity = whatif
        .outcome()
        .unwrap()
        .components
        .iter()
        .filter(|c| c.load.and_then(|l| l.utilisation).is_some())
        .count();
    let marked = h
        .state()
        .canvas
        .whatif_marks()
        .iter()
        .filter(|m| m.accessible.ends_with("of capacity"))
        .count();
    assert!(with_capacity > 0);
    assert_eq!(marked, with_capacity, "every card with a capacity shows it");
    assert!(h.query_by_label_contains("First bottleneck").is_some());
    assert!(!h.state().session.is_dirty(), "a scenario is not an edit");
}
