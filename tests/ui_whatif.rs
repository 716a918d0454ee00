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

/// Interview → What if…
fn enter_from_the_menu(h: &mut Harness<'_, ArchboardApp>) {
    h.get_by_label("Interview").click();
    h.run();
    h.get_by_label("What if…").click();
    h.run();
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
    enter_from_the_menu(&mut h);
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

/// What-if mode on the chat reference with Message events down and a
/// question about it rated, entered from the card's context menu.
fn failing_the_queue() -> Harness<'static, ArchboardApp> {
    let mut h = harness_on(reference("realtime-chat-reference"));
    h.get_by_label("Message events").click_secondary();
    h.run();
    h.get_by_label("What if it fails?").click();
    h.run();
    let queue = id_of(&h, "Message events");
    h.state_mut()
        .session
        .execute(Command::RateProbe {
            key: format!("whatif:down:{}:impact", queue.0),
            record: archboard::interview::ProbeRecord {
                asked: true,
                rating: Some(archboard::interview::Rating::Strong),
                note: String::new(),
            },
        })
        .unwrap();
    h.run();
    assert!(h.query_by_label("Message events: down").is_some());
    assert!(h.query_by_label("What if tab").is_some());
    h
}

/// Nothing of a scenario shows: no banner, overlay, tab or (with
/// `questions`, after another design replaced it) question.
fn assert_no_scenario_left(h: &Harness<'_, ArchboardApp>, after: &str, questions: bool) {
    let state = h.state();
    assert!(state.session.whatif().is_none(), "{after}: the mode is off");
    assert!(
        state.canvas.whatif_marks().is_empty(),
        "{after}: overlay {:?}",
        state.canvas.whatif_marks()
    );
    assert!(h.query_by_label("Leave").is_none(), "{after}: banner");
    assert!(
        h.query_by_label("Leave what-if mode").is_none(),
        "{after}: tab"
    );
    assert!(h.query_by_label("What if tab").is_none(), "{after}: tab");
    assert!(
        !questions
            || state
                .session
                .probes()
                .iter()
                .all(|p| p.source != archboard::interview::ProbeSource::WhatIf),
        "{after}: probes {:?}",
        state.session.probes()
    );
}

#[test]
fn a_new_design_shows_nothing_of_the_last_scenario() {
    let mut h = failing_the_queue();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("New design").click();
    h.run();
    assert_eq!(h.state().session.diagram().components.len(), 0);
    assert_no_scenario_left(&h, "File → New", true);
    // Entering the mode again starts from nothing failing at ×1.
    enter_from_the_menu(&mut h);
    assert_eq!(
        h.state().session.whatif().map(|w| w.scenario()),
        Some(Scenario::baseline())
    );
}

#[test]
fn opening_another_design_mid_edit_of_the_traffic_keeps_nothing_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("short.ron");
    archboard::io::save(&other, &reference("url-shortener-reference")).unwrap();
    let mut h = failing_the_queue();
    // Half-typed traffic (the field still has the focus) when a file is
    // dropped on the window.
    h.get_by_label("Traffic multiplier").click();
    h.run();
    h.get_by_label("Traffic multiplier").type_text("5");
    h.run();
    h.state_mut()
        .session
        .send(Command::File(archboard::app::FileCommand::OpenPath(other)));
    h.run();
    assert_eq!(
        h.state().session.diagram().title,
        reference("url-shortener-reference").title
    );
    assert_no_scenario_left(&h, "Open", true);
    enter_from_the_menu(&mut h);
    for _ in 0..3 {
        h.run();
    }
    assert_eq!(
        h.state().session.whatif().map(|w| w.scenario()),
        Some(Scenario::baseline()),
        "the old half-typed multiplier does not come back"
    );
}

#[test]
fn presenting_ends_what_if_mode_and_leaving_it_does_not_bring_it_back() {
    let mut h = failing_the_queue();
    h.key_press(egui::Key::F5);
    h.run();
    assert!(h.state().session.is_presenting());
    assert!(h.state().session.whatif().is_none());
    assert!(h.state().canvas.whatif_marks().is_empty());
    assert!(h.query_by_label("Message events: down").is_none());
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().session.is_presenting());
    // The rated question stays, as after leaving the mode: it is part of
    // the session's record.
    assert_no_scenario_left(&h, "present mode", false);
}

#[test]
fn leaving_puts_the_side_panel_back_as_it_was() {
    let mut h = harness_on(reference("realtime-chat-reference"));
    h.state_mut().prefs.show_inspector = false;
    h.run();
    enter_from_the_menu(&mut h);
    assert!(h.query_by_label("What if tab").is_some(), "the tab shows");
    h.get_by_label("Leave what-if mode").click();
    h.run();
    assert!(
        !h.state().prefs.show_inspector,
        "the side panel the user had hidden is hidden again"
    );
}

#[test]
fn a_typed_traffic_multiplier_stays_in_range_whatever_is_typed() {
    for (typed, expected) in [
        ("1e308", 1000.0),
        ("NaN", 1000.0),
        ("0", 0.1),
        ("-5", 0.1),
        ("25", 25.0),
    ] {
        let mut h = harness_on(reference("url-shortener-reference"));
        h.state_mut()
            .session
            .send(Command::WhatIf(WhatIfCommand::Run(Scenario::baseline())));
        h.run();
        h.get_by_label("Traffic multiplier").click();
        h.run();
        h.get_by_label("Traffic multiplier").type_text(typed);
        h.run();
        h.key_press(egui::Key::Enter);
        h.run();
        h.run();
        let whatif = h.state().session.whatif().unwrap();
        let traffic = whatif.scenario().traffic;
        assert_eq!(traffic, expected, "typed {typed}");
        assert!(whatif.outcome().is_some(), "typed {typed}: it runs");
        assert!(h.query_by_label("What if tab").is_some(), "typed {typed}");
    }
}

#[test]
fn a_region_curveball_from_the_interviewer_shows_the_region_lost() {
    let mut h = harness_on(reference("realtime-chat-reference"));
    h.state_mut().session.send(Command::ThrowCurveball {
        kind: archboard::interview::CurveballKind::RegionDown,
        detail: "West Europe is out for an hour".to_owned(),
        author: "Interviewer".to_owned(),
    });
    h.run();
    assert!(h.query_by_label("West Europe: lost").is_some());
    assert!(h.query_by_label("What if tab").is_some());
    assert!(h.query_by_label("Leave").is_some(), "the banner");
    assert!(!h.state().session.is_dirty());
}
