//! The checklist loop without a window, through the session's one door:
//! draw a queue, see the DLQ finding, apply its quick fix, undo it, accept
//! the finding as a trade-off, save, reopen, and find the decision again.

// Helpers outside #[test] functions may unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use archboard::app::{Command, Document, FileCommand, Session};
use archboard::catalog::ComponentKind;
use archboard::model::{Diagram, Point, Subject};
use archboard::rules;

fn dlq_finding(session: &Session) -> Option<rules::Finding> {
    session
        .findings()
        .iter()
        .find(|f| f.rule.id == "MSG-001")
        .cloned()
}

#[test]
fn quick_fix_undo_accept_save_and_reopen() {
    let mut session = Session::new(Document::new(Diagram::new("Queue flow")));
    let id = session
        .execute(Command::AddComponent {
            kind: ComponentKind::Queue,
            near: Point::new(0.0, 0.0),
        })
        .unwrap()
        .created
        .unwrap();

    let finding = dlq_finding(&session).expect("a new queue has no DLQ");
    assert_eq!(finding.subject, Subject::Component(id));
    session
        .execute(Command::ApplyFix {
            rule_id: finding.rule.id.into(),
            subject: finding.subject,
        })
        .unwrap();
    assert!(dlq_finding(&session).is_none());

    session.execute(Command::Undo).unwrap();
    let finding = dlq_finding(&session).expect("undo brings the finding back");

    let note = "Orders can be rebuilt from the event store";
    session
        .execute(Command::AcceptFinding {
            rule_id: finding.rule.id.into(),
            subject: finding.subject,
            note: note.into(),
        })
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("queue.ron");
    session
        .execute(Command::File(FileCommand::SaveTo(path.clone())))
        .unwrap();
    let mut reopened = Session::default();
    reopened
        .execute(Command::File(FileCommand::OpenPath(path)))
        .unwrap();
    let review = rules::review(reopened.diagram(), reopened.findings());
    assert!(review.open.iter().all(|f| f.rule.id != "MSG-001"));
    let (accepted, decision) = review.accepted[0];
    assert_eq!(accepted.rule.id, "MSG-001");
    assert_eq!(decision.note, note);
}
