use super::edit::{Edit, EditError};
use super::*;

fn component(id: u64, kind: ComponentKind, x: f32) -> Component {
    Component {
        id: Id(id),
        kind,
        name: format!("{} {id}", kind.name()),
        position: Point::new(x, 0.0),
        properties: kind.default_properties(),
    }
}

fn connection(id: u64, from: u64, to: u64) -> Connection {
    Connection {
        id: Id(id),
        from: Id(from),
        to: Id(to),
        kind: ConnectionKind::Request,
        label: String::new(),
        policy: Policy::default(),
        idempotent: false,
    }
}

/// A small diagram with one of everything, including a step and a decision
/// that refer to items.
fn sample() -> Diagram {
    let mut d = Diagram::new("Sample");
    d.components = vec![
        component(1, ComponentKind::ApiGateway, 0.0),
        component(2, ComponentKind::Service, 300.0),
        component(3, ComponentKind::Queue, 600.0),
    ];
    d.connections = vec![connection(4, 1, 2), connection(5, 2, 3)];
    d.groups = vec![Group {
        id: Id(6),
        kind: GroupKind::Region,
        label: "West Europe".into(),
        rect: Rect::new(-20.0, -40.0, 900.0, 200.0),
    }];
    d.notes = vec![Note {
        id: Id(7),
        text: "Trade-off".into(),
        rect: Rect::new(0.0, 300.0, 200.0, 100.0),
    }];
    d.steps = vec![Step {
        title: "Entry".into(),
        revealed: vec![Id(1), Id(2), Id(4)],
    }];
    d.decisions = vec![Decision {
        rule_id: "FAIL-001".into(),
        subject: Subject::Connection(Id(5)),
        status: DecisionStatus::AcceptedTradeOff,
        note: "fine for the demo".into(),
    }];
    d.next_id = 8;
    d
}

/// Applies `edit`, then its inverse, and checks the diagram is back to the
/// original exactly; then re-applies the edit and checks the result matches.
fn assert_exact_inverse(edit: Edit) -> Diagram {
    let original = sample();
    let mut d = original.clone();
    let inverse = edit.clone().apply(&mut d).expect("edit applies");
    let after = d.clone();
    assert_ne!(after, original, "the edit changed something: {edit:?}");
    let redo = inverse.apply(&mut d).expect("inverse applies");
    assert_eq!(d, original, "undo restores the exact diagram for {edit:?}");
    redo.apply(&mut d).expect("redo applies");
    assert_eq!(d, after, "redo restores the edited diagram for {edit:?}");
    d.check_integrity().expect("diagram stays consistent");
    after
}

#[test]
fn every_edit_is_undone_exactly() {
    let d = sample();
    let new_component = component(8, ComponentKind::Cache, 900.0);
    let mut renamed = d.components[1].clone();
    renamed.name = "Orders API".into();
    let mut policy = d.connections[0].clone();
    policy.policy.timeout_ms = Some(2000);
    let mut group = d.groups[0].clone();
    group.rect.w = 1200.0;
    let mut note = d.notes[0].clone();
    note.text = "Eventual consistency is fine here".into();
    let edits = vec![
        Edit::Insert(Items {
            components: vec![new_component],
            connections: vec![connection(9, 2, 8)],
            ..Items::default()
        }),
        Edit::Remove(vec![Id(2)]),
        Edit::Remove(vec![Id(6), Id(7)]),
        Edit::SetPositions(vec![
            (Id(1), Point::new(10.5, 20.25)),
            (Id(6), Point::new(-5.0, 3.0)),
        ]),
        Edit::UpdateComponent(renamed),
        Edit::UpdateConnection(policy),
        Edit::UpdateGroup(group),
        Edit::UpdateNote(note),
        Edit::SetTitle("Renamed".into()),
        Edit::SetRequirements(Requirements {
            daily_active_users: Some(1_000_000),
            ..Requirements::default()
        }),
        Edit::SetDecision {
            rule_id: "OBS-001".into(),
            subject: Subject::Component(Id(2)),
            decision: Some(Decision {
                rule_id: "OBS-001".into(),
                subject: Subject::Component(Id(2)),
                status: DecisionStatus::AcceptedTradeOff,
                note: "logs go to stdout".into(),
            }),
        },
        Edit::SetDecision {
            rule_id: "FAIL-001".into(),
            subject: Subject::Connection(Id(5)),
            decision: None,
        },
        Edit::SetSteps(Vec::new()),
        Edit::Batch(vec![Edit::SetTitle("A".into()), Edit::Remove(vec![Id(3)])]),
    ];
    for edit in edits {
        assert_exact_inverse(edit);
    }
}

#[test]
fn removing_a_component_takes_its_connections_and_references_with_it() {
    let after = assert_exact_inverse(Edit::Remove(vec![Id(2)]));
    assert!(
        after.connections.is_empty(),
        "both connections touched component 2"
    );
    assert_eq!(after.steps[0].revealed, vec![Id(1)]);
    assert!(
        after.decisions.is_empty(),
        "the decision was about connection 5"
    );
}

#[test]
fn insert_advances_next_id_and_undo_restores_it() {
    let mut d = sample();
    let ids: Vec<Id> = d.peek_ids(2).collect();
    assert_eq!(ids, vec![Id(8), Id(9)]);
    let inverse = Edit::Insert(Items {
        notes: vec![Note {
            id: Id(9),
            text: String::new(),
            rect: Rect::default(),
        }],
        ..Items::default()
    })
    .apply(&mut d)
    .unwrap();
    assert_eq!(d.next_id, 10);
    inverse.apply(&mut d).unwrap();
    assert_eq!(d.next_id, 8);
}

#[test]
fn failing_edits_change_nothing() {
    let original = sample();
    let cases = vec![
        (Edit::Remove(vec![Id(99)]), EditError::UnknownId(Id(99))),
        (
            Edit::Insert(Items {
                components: vec![component(2, ComponentKind::Cache, 0.0)],
                ..Items::default()
            }),
            EditError::DuplicateId(Id(2)),
        ),
        (
            Edit::Insert(Items {
                connections: vec![connection(8, 1, 42)],
                ..Items::default()
            }),
            EditError::DanglingConnection {
                connection: Id(8),
                component: Id(42),
            },
        ),
        (
            Edit::UpdateConnection(connection(4, 1, 1)),
            EditError::SelfConnection(Id(4)),
        ),
        (
            Edit::SetPositions(vec![
                (Id(1), Point::new(5.0, 5.0)),
                (Id(77), Point::default()),
            ]),
            EditError::UnknownId(Id(77)),
        ),
        // A batch that fails half-way rolls back its first half.
        (
            Edit::Batch(vec![
                Edit::SetTitle("changed".into()),
                Edit::Remove(vec![Id(50)]),
            ]),
            EditError::UnknownId(Id(50)),
        ),
    ];
    for (edit, expected) in cases {
        let mut d = original.clone();
        assert_eq!(edit.apply(&mut d), Err(expected));
        assert_eq!(d, original);
    }
}

#[test]
fn integrity_check_names_the_problem() {
    let mut d = sample();
    assert_eq!(d.check_integrity(), Ok(()));
    d.connections.push(connection(8, 1, 40));
    d.next_id = 9;
    let err = d.check_integrity().unwrap_err();
    assert!(err.contains("component 40"), "{err}");

    let mut d = sample();
    d.notes[0].id = Id(3);
    assert!(d.check_integrity().unwrap_err().contains("id 3"));

    let mut d = sample();
    d.next_id = 5;
    assert!(d.check_integrity().unwrap_err().contains("next_id"));
}

#[test]
fn lookups_and_names() {
    let d = sample();
    assert_eq!(d.item_kind(Id(4)), Some(ItemKind::Connection));
    assert_eq!(d.item_kind(Id(99)), None);
    assert_eq!(
        d.item_name(Id(5)).as_deref(),
        Some("Service 2 → Queue or topic 3")
    );
    assert_eq!(d.connections_of(Id(2)).count(), 2);
    let bounds = d.bounds().unwrap();
    assert!(bounds.contains_rect(d.components[2].rect()));
    assert!(bounds.contains_rect(d.notes[0].rect));
}

#[test]
fn rect_geometry() {
    let a = Rect::new(0.0, 0.0, 10.0, 10.0);
    let b = Rect::new(5.0, 5.0, 10.0, 10.0);
    let c = Rect::new(20.0, 20.0, 1.0, 1.0);
    assert!(a.intersects(b));
    assert!(!a.intersects(c));
    assert_eq!(a.union(c), Rect::new(0.0, 0.0, 21.0, 21.0));
    assert!(a.contains(Point::new(10.0, 0.0)));
    assert!(!a.contains(Point::new(10.1, 0.0)));
}
