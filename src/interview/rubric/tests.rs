//! Every criterion of the rubric, met and missed, on scripted sessions.

use std::collections::BTreeMap;

use super::*;
use crate::interview::Timer;
use crate::interview::recording::Author;
use crate::model::edit::Edit;
use crate::model::{
    Component, Connection, ConnectionKind, ConsistencyNeed, Decision, DecisionStatus, Items, Note,
    Point, Policy, Rect, Requirements, Subject,
};

const START_MS: u64 = 1_700_000_000_000;

/// A session written step by step: each step happens at a time in seconds
/// from the start and is recorded as the app would record it.
struct Script {
    session: SavedSession,
    diagram: Diagram,
    now_ms: u64,
}

impl Script {
    fn new(start: Diagram) -> Self {
        Self {
            session: SavedSession::begin(START_MS, start.clone(), Timer::new(), BTreeMap::new()),
            diagram: start,
            now_ms: START_MS,
        }
    }

    fn blank() -> Self {
        Self::new(Diagram::new("Scripted"))
    }

    fn at(&mut self, seconds: u64) -> &mut Self {
        self.now_ms = START_MS + seconds * 1000;
        self
    }

    fn edit(&mut self, edit: Edit) -> &mut Self {
        let inverse = edit.clone().apply(&mut self.diagram).unwrap();
        self.session.push(
            self.now_ms,
            Author::Local,
            EventKind::Change {
                label: "Scripted".to_owned(),
                applied: edit,
                inverse,
            },
        );
        self
    }

    fn requirements(&mut self, change: impl FnOnce(&mut Requirements)) -> &mut Self {
        let mut req = self.diagram.requirements.clone();
        change(&mut req);
        self.edit(Edit::SetRequirements(req))
    }

    fn component(&mut self, kind: ComponentKind, name: &str) -> Id {
        let id = self.diagram.next_free_id();
        let mut items = Items::default();
        items.components.push(Component {
            id,
            kind,
            name: name.to_owned(),
            position: Point::new(id.0 as f32 * 200.0, 0.0),
            properties: kind.default_properties(),
        });
        self.edit(Edit::Insert(items));
        id
    }

    fn connect(&mut self, from: Id, to: Id, label: &str) -> Id {
        let id = self.diagram.next_free_id();
        let mut items = Items::default();
        items.connections.push(Connection {
            id,
            from,
            to,
            kind: ConnectionKind::Request,
            label: label.to_owned(),
            policy: Policy::default(),
            idempotent: false,
        });
        self.edit(Edit::Insert(items));
        id
    }

    fn note(&mut self, text: &str) -> &mut Self {
        let id = self.diagram.next_free_id();
        let mut items = Items::default();
        items.notes.push(Note {
            id,
            text: text.to_owned(),
            rect: Rect::new(0.0, 400.0, 200.0, 100.0),
        });
        self.edit(Edit::Insert(items))
    }

    fn accept(&mut self, rule_id: &str, subject: Subject, note: &str) -> &mut Self {
        self.edit(Edit::SetDecision {
            rule_id: rule_id.to_owned(),
            subject,
            decision: Some(Decision {
                rule_id: rule_id.to_owned(),
                subject,
                status: DecisionStatus::AcceptedTradeOff,
                note: note.to_owned(),
            }),
        })
    }

    fn timer(&mut self, event: TimerEvent) -> &mut Self {
        self.session
            .push(self.now_ms, Author::Local, EventKind::Timer(event));
        self
    }

    fn phase(&mut self, phase: Phase) -> &mut Self {
        self.timer(TimerEvent::Phase(phase))
    }

    fn rate(&mut self, key: &str, rating: Rating) -> &mut Self {
        let record = ProbeRecord {
            asked: true,
            rating: Some(rating),
            note: String::new(),
        };
        self.session.push(
            self.now_ms,
            Author::Local,
            EventKind::Rating {
                key: key.to_owned(),
                record,
            },
        );
        self
    }

    fn end(&mut self, seconds: u64) -> Scorecard {
        self.session.ended_at_ms = START_MS + seconds * 1000;
        self.session.finished = true;
        score_session(&self.session).unwrap()
    }
}

fn met(card: &Scorecard, id: &str) -> bool {
    card.criterion(id)
        .unwrap_or_else(|| panic!("no criterion {id}"))
        .met
}

fn moment_s(card: &Scorecard, id: &str) -> u64 {
    card.criterion(id).map_or(u64::MAX, |c| c.offset_ms / 1000)
}

/// Enough figures for every estimate the rubric asks for.
fn figures(req: &mut Requirements) {
    req.daily_active_users = Some(1_000_000);
    req.requests_per_user_per_day = Some(10.0);
    req.peak_factor = Some(3.0);
    req.read_write_ratio = Some(10.0);
    req.payload_bytes = Some(500);
}

/// A client → service → database path, the service named `service`.
fn path(s: &mut Script, service: &str, label: &str) -> (Id, Id, Id) {
    let client = s.component(ComponentKind::Client, "Web app");
    let api = s.component(ComponentKind::Service, service);
    let db = s.component(ComponentKind::RelationalDb, "Store");
    s.connect(client, api, label);
    s.connect(api, db, "");
    (client, api, db)
}

#[test]
fn weights_add_up_to_one_hundred() {
    let total: u32 = Dimension::ALL.iter().map(|d| d.weight()).sum();
    assert_eq!(total, 100);
    let card = Script::blank().end(60);
    assert_eq!(card.dimensions.len(), 6);
    assert!(
        card.dimensions
            .iter()
            .all(|d| d.criteria.len() == 3 || d.criteria.len() == 2)
    );
    let sum: f64 = card.dimensions.iter().map(|d| d.points).sum();
    assert!((card.total - sum).abs() < 1e-9);
}

#[test]
fn functional_requirements_met_when_two_are_written() {
    let mut s = Script::blank();
    s.at(30)
        .requirements(|r| r.functional = vec!["Shorten a URL".to_owned()]);
    s.at(70)
        .requirements(|r| r.functional.push("Redirect to the long URL".to_owned()));
    let card = s.end(100);
    assert!(met(&card, "functional-stated"));
    assert_eq!(moment_s(&card, "functional-stated"), 70);
}

#[test]
fn functional_requirements_missed_with_one() {
    let mut s = Script::blank();
    s.at(30)
        .requirements(|r| r.functional = vec!["Shorten a URL".to_owned(), "  ".to_owned()]);
    let card = s.end(100);
    assert!(!met(&card, "functional-stated"));
    assert_eq!(moment_s(&card, "functional-stated"), 100);
}

#[test]
fn numbers_before_drawing_met_when_stated_first() {
    let mut s = Script::blank();
    s.at(10).requirements(figures);
    s.at(200).component(ComponentKind::Service, "API");
    let card = s.end(300);
    assert!(met(&card, "numbers-before-drawing"));
    assert_eq!(moment_s(&card, "numbers-before-drawing"), 200);
}

#[test]
fn numbers_before_drawing_missed_when_drawn_first() {
    let mut s = Script::blank();
    s.at(10).component(ComponentKind::Service, "API");
    s.at(200).requirements(figures);
    let card = s.end(300);
    assert!(!met(&card, "numbers-before-drawing"));
    assert_eq!(moment_s(&card, "numbers-before-drawing"), 10);
    let nothing = Script::blank().end(10);
    assert!(!met(&nothing, "numbers-before-drawing"));
}

#[test]
fn guarantees_met_with_all_three_targets() {
    let mut s = Script::blank();
    s.at(40).requirements(|r| {
        r.availability_percent = Some(99.9);
        r.latency_target_ms = Some(200);
        r.consistency = ConsistencyNeed::Eventual;
    });
    assert!(met(&s.end(50), "guarantees-stated"));
}

#[test]
fn guarantees_missed_without_consistency() {
    let mut s = Script::blank();
    s.at(40).requirements(|r| {
        r.availability_percent = Some(99.9);
        r.latency_target_ms = Some(200);
    });
    assert!(!met(&s.end(50), "guarantees-stated"));
}

#[test]
fn estimates_met_when_requests_and_storage_follow() {
    let mut s = Script::blank();
    s.at(100).requirements(figures);
    let card = s.end(200);
    assert!(met(&card, "estimates-worked-out"));
    assert_eq!(moment_s(&card, "estimates-worked-out"), 100);
}

#[test]
fn estimates_missed_without_a_payload() {
    let mut s = Script::blank();
    s.at(100).requirements(|r| {
        figures(r);
        r.payload_bytes = None;
    });
    assert!(!met(&s.end(200), "estimates-worked-out"));
}

#[test]
fn estimated_first_met_before_the_design_phase() {
    let mut s = Script::blank();
    s.at(0).timer(TimerEvent::Start);
    s.at(100).requirements(figures);
    s.at(300).phase(Phase::HighLevelDesign);
    s.at(400).component(ComponentKind::Service, "API");
    let card = s.end(500);
    assert!(met(&card, "estimated-first"));
    assert_eq!(moment_s(&card, "estimated-first"), 300);
}

#[test]
fn estimated_first_missed_when_estimates_came_later() {
    let mut s = Script::blank();
    s.at(0).timer(TimerEvent::Start);
    s.at(300).phase(Phase::HighLevelDesign);
    s.at(400).requirements(figures);
    assert!(!met(&s.end(500), "estimated-first"));
    // Without the timer, the first component decides.
    let mut s = Script::blank();
    s.at(10).component(ComponentKind::Service, "API");
    s.at(20).requirements(figures);
    let card = s.end(30);
    assert!(!met(&card, "estimated-first"));
    assert_eq!(moment_s(&card, "estimated-first"), 10);
}

#[test]
fn client_to_store_met_along_a_path() {
    let mut s = Script::blank();
    s.at(50);
    path(&mut s, "API", "");
    assert!(met(&s.end(60), "client-to-store"));
}

#[test]
fn client_to_store_missed_when_the_store_is_cut_off() {
    let mut s = Script::blank();
    let client = s.component(ComponentKind::Client, "Web");
    let api = s.component(ComponentKind::Service, "API");
    s.component(ComponentKind::RelationalDb, "DB");
    s.connect(client, api, "");
    let cache = s.component(ComponentKind::Cache, "Cache");
    s.connect(api, cache, "");
    assert!(
        !met(&s.end(60), "client-to-store"),
        "a cache is not a store"
    );
}

#[test]
fn requirements_traced_met_by_names_and_labels() {
    let mut s = Script::blank();
    s.requirements(|r| {
        r.functional = vec![
            "Customers place orders".to_owned(),
            "Shoppers follow their shipments".to_owned(),
        ];
    });
    path(&mut s, "Orders API", "track shipment");
    let card = s.end(60);
    assert!(
        met(&card, "requirements-traced"),
        "{:?}",
        card.criterion("requirements-traced")
    );
}

#[test]
fn requirements_traced_missed_for_a_requirement_off_the_path() {
    let mut s = Script::blank();
    s.requirements(|r| {
        r.functional = vec![
            "Customers place orders".to_owned(),
            "Merchants print invoices".to_owned(),
        ];
    });
    path(&mut s, "Orders API", "");
    // On the canvas, but not between a client and a store.
    s.component(ComponentKind::Service, "Invoice printer");
    let card = s.end(60);
    assert!(!met(&card, "requirements-traced"));
    let evidence = &card.criterion("requirements-traced").unwrap().evidence;
    assert!(evidence.contains("Merchants print invoices"), "{evidence}");
    assert!(!evidence.contains("place orders"), "{evidence}");
}

#[test]
fn open_errors_count_against_their_own_dimension() {
    // A queue with no dead-letter queue is a messaging error; nothing in
    // scalability, security, failure handling or observability is an error.
    let mut s = Script::blank();
    s.component(ComponentKind::Queue, "Orders");
    let card = s.end(60);
    assert!(
        !met(&card, "data-no-errors"),
        "{:?}",
        card.criterion("data-no-errors")
    );
    assert!(met(&card, "design-no-errors"));
    let deep = card.dimension(Dimension::DeepDives).unwrap();
    assert!(
        deep.open_rules.iter().any(|r| r.starts_with("MSG-")),
        "{:?}",
        deep.open_rules
    );
}

#[test]
fn open_errors_met_on_an_empty_board_and_missed_on_failure_gaps() {
    let card = Script::blank().end(60);
    for id in ["design-no-errors", "data-no-errors", "failure-no-errors"] {
        assert!(met(&card, id), "{id}");
    }
    // A client calling a service without a timeout is a failure-handling error.
    let starter = crate::templates::find("url-shortener-starter")
        .and_then(|t| t.diagram().ok())
        .unwrap();
    let mut s = Script::new(starter);
    let card = s.at(1).end(10);
    let failure = card.criterion("failure-no-errors").unwrap();
    assert!(
        !failure.met,
        "the starter has failure-handling errors: {failure:?}"
    );
    assert!(failure.evidence.contains("FAIL-"), "{}", failure.evidence);
}

#[test]
fn two_deep_dives_met_at_the_second_rating() {
    let mut s = Script::blank();
    s.at(100).rate("FAIL-001:connection:3", Rating::Missed);
    s.at(150).rate("design:scale", Rating::Strong);
    s.at(200).rate("kind:Cache:2", Rating::Partial);
    let card = s.end(300);
    assert!(met(&card, "two-deep-dives"));
    assert_eq!(moment_s(&card, "two-deep-dives"), 200);
}

#[test]
fn two_deep_dives_missed_with_one_and_a_design_question() {
    let mut s = Script::blank();
    s.at(100).rate("FAIL-001:connection:3", Rating::Strong);
    s.at(100).rate("FAIL-001:connection:3", Rating::Partial);
    s.at(150).rate("design:scale", Rating::Strong);
    assert!(!met(&s.end(300), "two-deep-dives"));
}

#[test]
fn deep_dives_strong_met_at_half_the_marks() {
    let mut s = Script::blank();
    s.at(100).rate("a:1", Rating::Strong);
    s.at(110).rate("b:2", Rating::Missed);
    s.at(120).rate("c:3", Rating::Partial);
    s.at(130).rate("d:4", Rating::Partial);
    let card = s.end(300);
    assert!(met(&card, "deep-dives-strong"));
    assert_eq!(moment_s(&card, "deep-dives-strong"), 130);
}

#[test]
fn deep_dives_strong_missed_below_half() {
    let mut s = Script::blank();
    s.at(100).rate("a:1", Rating::Partial);
    s.at(110).rate("b:2", Rating::Missed);
    assert!(!met(&s.end(300), "deep-dives-strong"));
    assert!(!met(&Script::blank().end(10), "deep-dives-strong"));
}

#[test]
fn trade_offs_named_met_by_a_note_or_a_reasoned_decision() {
    let mut s = Script::blank();
    s.at(20)
        .note("Trade-off: eventual consistency for the feed");
    assert!(met(&s.end(30), "trade-offs-named"));
    let mut s = Script::blank();
    let queue = s.component(ComponentKind::Queue, "Jobs");
    s.at(40).accept(
        "MSG-001",
        Subject::Component(queue),
        "Jobs are idempotent and cheap to lose",
    );
    let card = s.end(50);
    assert!(met(&card, "trade-offs-named"));
    assert_eq!(moment_s(&card, "trade-offs-named"), 40);
}

#[test]
fn trade_offs_named_missed_with_only_an_empty_note() {
    let mut s = Script::blank();
    s.at(20).note("Trade-off: ");
    assert!(!met(&s.end(30), "trade-offs-named"));
}

#[test]
fn trade_offs_explained_met_when_every_decision_has_a_reason() {
    let mut s = Script::blank();
    let queue = s.component(ComponentKind::Queue, "Jobs");
    s.accept("MSG-001", Subject::Component(queue), "Cheap to lose");
    assert!(met(&s.end(30), "trade-offs-explained"));
}

#[test]
fn trade_offs_explained_missed_for_a_bare_acceptance() {
    let mut s = Script::blank();
    let queue = s.component(ComponentKind::Queue, "Jobs");
    s.accept("MSG-001", Subject::Component(queue), "  ");
    let card = s.end(30);
    assert!(!met(&card, "trade-offs-explained"));
    assert_eq!(moment_s(&card, "trade-offs-explained"), 30);
}

#[test]
fn phases_in_budget_met_within_the_grace() {
    let mut s = Script::blank();
    s.at(0).timer(TimerEvent::Start);
    s.at(5 * 60 + 50).phase(Phase::Estimate);
    s.at(10 * 60).timer(TimerEvent::Pause);
    assert!(met(&s.end(10 * 60), "phases-in-budget"));
}

#[test]
fn phases_in_budget_missed_at_the_moment_a_phase_overran() {
    let mut s = Script::blank();
    s.at(0).timer(TimerEvent::Start);
    s.at(8 * 60).phase(Phase::Estimate);
    let card = s.end(9 * 60);
    assert!(!met(&card, "phases-in-budget"));
    // Five minutes planned plus one of grace.
    assert_eq!(moment_s(&card, "phases-in-budget"), 6 * 60);
    assert!(
        !met(&Script::blank().end(100), "phases-in-budget"),
        "no timer"
    );
}

#[test]
fn reached_wrap_up_met_when_the_last_phase_began() {
    let mut s = Script::blank();
    s.at(0).timer(TimerEvent::Start);
    s.at(2000).phase(Phase::WrapUp);
    let card = s.end(2100);
    assert!(met(&card, "reached-wrap-up"));
    assert_eq!(moment_s(&card, "reached-wrap-up"), 2000);
}

#[test]
fn reached_wrap_up_missed_in_the_deep_dive() {
    let mut s = Script::blank();
    s.at(0).timer(TimerEvent::Start);
    s.at(2000).phase(Phase::DeepDive);
    assert!(!met(&s.end(2100), "reached-wrap-up"));
}

#[test]
fn big_picture_met_when_design_questions_are_answered() {
    let mut s = Script::blank();
    s.at(100).rate("design:trade-offs", Rating::Partial);
    s.at(120).rate("design:scale", Rating::Strong);
    let card = s.end(200);
    assert!(met(&card, "big-picture-answered"));
    assert_eq!(moment_s(&card, "big-picture-answered"), 120);
}

#[test]
fn big_picture_missed_when_one_is_missed_or_none_is_asked() {
    let mut s = Script::blank();
    s.at(100).rate("design:trade-offs", Rating::Missed);
    assert!(!met(&s.end(200), "big-picture-answered"));
    let mut s = Script::blank();
    s.at(100).rate("kind:Cache:4", Rating::Strong);
    assert!(!met(&s.end(200), "big-picture-answered"));
}

#[test]
fn a_criterion_earned_then_lost_then_regained_counts_from_the_last_time() {
    let mut s = Script::blank();
    s.at(10)
        .requirements(|r| r.functional = vec!["a b c".to_owned(), "d e f".to_owned()]);
    s.at(20).requirements(|r| r.functional.truncate(1));
    s.at(30)
        .requirements(|r| r.functional.push("g h i".to_owned()));
    let card = s.end(40);
    assert_eq!(moment_s(&card, "functional-stated"), 30);
}

#[test]
fn the_scorecard_is_deterministic_and_reads_as_markdown() {
    let mut s = Script::blank();
    s.at(0).timer(TimerEvent::Start);
    s.at(60).requirements(figures);
    path(&mut s, "API", "");
    let a = s.end(120);
    let b = score_session(&s.session).unwrap();
    assert_eq!(a, b);
    let text = scorecard_markdown(&a);
    assert!(text.starts_with("## Scorecard\n\n**"));
    for d in Dimension::ALL {
        assert!(text.contains(&format!("### {} (", d.label())), "{text}");
    }
    assert!(text.contains("- **Met** Requests per second and storage estimated (at 1:00)"));
}
