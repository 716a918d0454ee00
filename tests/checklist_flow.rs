//! The checklist loop without a window: draw a queue, see the DLQ finding,
//! apply its quick fix through the document history, undo it, accept the
//! finding as a trade-off, and find the decision again after save and reopen.

// Helpers outside #[test] functions may unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use archboard::app::Document;
use archboard::catalog::ComponentKind;
use archboard::model::edit::Edit;
use archboard::model::{Component, Decision, DecisionStatus, Diagram, Items, Point, Subject};
use archboard::rules;

fn dlq_finding(diagram: &Diagram) -> Option<rules::Finding> {
    rules::check(diagram)
        .into_iter()
        .find(|f| f.rule.id == "MSG-001")
}

#[test]
fn quick_fix_undo_accept_save_and_reopen() {
    let mut doc = Document::new(Diagram::new("Queue flow"));
    let id = doc.diagram().peek_ids(1).next().unwrap();
    let kind = ComponentKind::Queue;
    let queue = Component {
        id,
        kind,
        name: "Orders queue".into(),
        position: Point::new(0.0, 0.0),
        properties: kind.default_properties(),
    };
    doc.apply(
        "Add queue",
        Edit::Insert(Items {
            components: vec![queue],
            ..Items::default()
        }),
        None,
    )
    .unwrap();

    let finding = dlq_finding(doc.diagram()).expect("a new queue has no DLQ");
    assert_eq!(finding.subject, Subject::Component(id));
    let fix = finding.fix.clone().unwrap();
    doc.apply(fix.label, fix.edit, None).unwrap();
    assert!(dlq_finding(doc.diagram()).is_none());

    doc.undo().unwrap();
    let finding = dlq_finding(doc.diagram()).expect("undo brings the finding back");

    let note = "Orders can be rebuilt from the event store";
    doc.apply(
        "Accept trade-off",
        Edit::SetDecision {
            rule_id: finding.rule.id.into(),
            subject: finding.subject,
            decision: Some(Decision {
                rule_id: finding.rule.id.into(),
                subject: finding.subject,
                status: DecisionStatus::AcceptedTradeOff,
                note: note.into(),
            }),
        },
        None,
    )
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.ron");
    archboard::io::save(&path, doc.diagram()).unwrap();
    let reopened = archboard::io::load(&path).unwrap();
    let findings = rules::check(&reopened);
    let review = rules::review(&reopened, &findings);
    assert!(review.open.iter().all(|f| f.rule.id != "MSG-001"));
    let (accepted, decision) = review.accepted[0];
    assert_eq!(accepted.rule.id, "MSG-001");
    assert_eq!(decision.note, note);
}
