//! The invariants every diagram keeps, checked in one place.
//!
//! [`Diagram::check_integrity`] calls [`check`] after every load, and the
//! edit layer ([`super::edit`]) refuses each change that would break one of
//! them, so what loads can be edited and whatever the edits make loads
//! again. The invariants:
//!
//! - every item id is unique across all kinds, and each collection is kept
//!   in id order;
//! - every id is below `next_id`, and `next_id` leaves room for one more
//!   item ([`LAST_NEXT_ID`]);
//! - positions and rectangles are finite numbers;
//! - a connection joins two different, existing components;
//! - at most one decision per rule and subject, and every decision's subject
//!   exists and is of the kind it names;
//! - every id a presentation step reveals exists.
//!
//! The check sorts at most once, so it costs O(n log n) in the items,
//! decisions and step entries; the first problem found is returned as a
//! sentence for the load error.

use super::{Diagram, Id, Point, Rect, Subject};

/// The largest value `next_id` may hold. Inserting an item with id `n`
/// sets `next_id` to `n + 1`, so the last id ever handed out is
/// `LAST_NEXT_ID - 1`; a `next_id` above this (only `u64::MAX`) has no room
/// for the counter to advance and is refused. Edits check their arithmetic
/// against it, so the counter never wraps.
pub const LAST_NEXT_ID: u64 = u64::MAX - 1;

/// Whether `id` can be given to a new item: the counter after it stays at
/// or below [`LAST_NEXT_ID`].
pub fn id_fits(id: u64) -> bool {
    id < LAST_NEXT_ID
}

/// Checks every invariant; returns the first one broken, as a sentence.
pub fn check(diagram: &Diagram) -> Result<(), String> {
    check_order(diagram)?;
    check_ids(diagram)?;
    check_geometry(diagram)?;
    check_connections(diagram)?;
    check_decisions(diagram)?;
    check_steps(diagram)
}

/// A position is usable when both coordinates are finite.
pub fn point_is_finite(p: Point) -> bool {
    p.x.is_finite() && p.y.is_finite()
}

/// A rectangle is usable when its corner and size are finite.
pub fn rect_is_finite(r: Rect) -> bool {
    r.x.is_finite() && r.y.is_finite() && r.w.is_finite() && r.h.is_finite()
}

fn check_order(d: &Diagram) -> Result<(), String> {
    let sorted = d.components.is_sorted_by_key(|c| c.id)
        && d.connections.is_sorted_by_key(|c| c.id)
        && d.groups.is_sorted_by_key(|g| g.id)
        && d.notes.is_sorted_by_key(|n| n.id);
    if sorted {
        Ok(())
    } else {
        Err("the items are not in id order".to_owned())
    }
}

fn check_ids(d: &Diagram) -> Result<(), String> {
    let mut ids: Vec<Id> = all_ids(d).collect();
    ids.sort_unstable();
    if let Some(pair) = ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(format!(
            "the id {} is used by more than one item",
            pair[0].0
        ));
    }
    if d.next_id > LAST_NEXT_ID {
        return Err(format!(
            "next_id is {}, which leaves no room for another item (the largest allowed is {LAST_NEXT_ID})",
            d.next_id
        ));
    }
    if let Some(&max) = ids.last()
        && max.0 >= d.next_id
    {
        return Err(format!(
            "next_id is {} but the id {} is already in use",
            d.next_id, max.0
        ));
    }
    Ok(())
}

fn all_ids(d: &Diagram) -> impl Iterator<Item = Id> + '_ {
    d.components
        .iter()
        .map(|c| c.id)
        .chain(d.connections.iter().map(|c| c.id))
        .chain(d.groups.iter().map(|g| g.id))
        .chain(d.notes.iter().map(|n| n.id))
}

fn check_geometry(d: &Diagram) -> Result<(), String> {
    if let Some(c) = d.components.iter().find(|c| !point_is_finite(c.position)) {
        return Err(format!(
            "component {} has a position that is not a finite number",
            c.id.0
        ));
    }
    if let Some(g) = d.groups.iter().find(|g| !rect_is_finite(g.rect)) {
        return Err(format!(
            "group {} has a position or size that is not a finite number",
            g.id.0
        ));
    }
    if let Some(n) = d.notes.iter().find(|n| !rect_is_finite(n.rect)) {
        return Err(format!(
            "note {} has a position or size that is not a finite number",
            n.id.0
        ));
    }
    Ok(())
}

fn check_connections(d: &Diagram) -> Result<(), String> {
    for c in &d.connections {
        if c.from == c.to {
            return Err(format!(
                "connection {} starts and ends at component {}",
                c.id.0, c.from.0
            ));
        }
        for end in [c.from, c.to] {
            if d.component(end).is_none() {
                return Err(format!(
                    "connection {} refers to component {}, which does not exist",
                    c.id.0, end.0
                ));
            }
        }
    }
    Ok(())
}

/// Whether the item a decision is about exists and is of the kind it names.
pub fn subject_exists(d: &Diagram, subject: Subject) -> bool {
    match subject {
        Subject::Design => true,
        Subject::Component(id) => d.component(id).is_some(),
        Subject::Connection(id) => d.connection(id).is_some(),
        Subject::Group(id) => d.group(id).is_some(),
    }
}

fn subject_text(subject: Subject) -> String {
    match subject {
        Subject::Design => "the design".to_owned(),
        Subject::Component(id) => format!("component {}", id.0),
        Subject::Connection(id) => format!("connection {}", id.0),
        Subject::Group(id) => format!("group {}", id.0),
    }
}

fn check_decisions(d: &Diagram) -> Result<(), String> {
    let mut keys: Vec<(&str, Subject)> = d
        .decisions
        .iter()
        .map(|x| (x.rule_id.as_str(), x.subject))
        .collect();
    keys.sort_unstable();
    if let Some(pair) = keys.windows(2).find(|w| w[0] == w[1]) {
        let (rule, subject) = pair[0];
        return Err(format!(
            "there are two decisions about rule {rule:?} for {}",
            subject_text(subject)
        ));
    }
    if let Some(x) = d.decisions.iter().find(|x| !subject_exists(d, x.subject)) {
        return Err(format!(
            "the decision about rule {:?} refers to {}, which does not exist",
            x.rule_id,
            subject_text(x.subject)
        ));
    }
    Ok(())
}

fn check_steps(d: &Diagram) -> Result<(), String> {
    for (index, step) in d.steps.iter().enumerate() {
        if let Some(id) = step.revealed.iter().find(|&&id| !d.contains(id)) {
            return Err(format!(
                "step {} reveals item {}, which does not exist",
                index + 1,
                id.0
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ComponentKind;
    use crate::model::edit::{Edit, EditError};
    use crate::model::{
        Component, Connection, ConnectionKind, Decision, DecisionStatus, Group, GroupKind, Items,
        Note, Policy, Step,
    };

    fn component(id: u64) -> Component {
        let kind = ComponentKind::Service;
        Component {
            id: Id(id),
            kind,
            name: format!("Service {id}"),
            position: Point::new(id as f32 * 300.0, 0.0),
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

    fn decision(rule: &str, subject: Subject) -> Decision {
        Decision {
            rule_id: rule.to_owned(),
            subject,
            status: DecisionStatus::AcceptedTradeOff,
            note: String::new(),
        }
    }

    /// Two components, a connection, a group, a note, a step, a decision.
    fn sample() -> Diagram {
        let mut d = Diagram::new("Sample");
        d.components = vec![component(1), component(2)];
        d.connections = vec![connection(3, 1, 2)];
        d.groups = vec![Group {
            id: Id(4),
            kind: GroupKind::Region,
            label: "Region".to_owned(),
            rect: Rect::new(0.0, 0.0, 800.0, 200.0),
        }];
        d.notes = vec![Note {
            id: Id(5),
            text: "Note".to_owned(),
            rect: Rect::new(0.0, 300.0, 200.0, 100.0),
        }];
        d.steps = vec![Step {
            title: "First".to_owned(),
            revealed: vec![Id(1), Id(3)],
        }];
        d.decisions = vec![decision("FAIL-001", Subject::Connection(Id(3)))];
        d.next_id = 6;
        d
    }

    fn problem(d: &Diagram) -> String {
        check(d).expect_err("the diagram breaks an invariant")
    }

    #[test]
    fn the_sample_is_valid() {
        assert_eq!(check(&sample()), Ok(()));
    }

    #[test]
    fn a_self_connection_is_refused() {
        let mut d = sample();
        d.connections[0].to = Id(1);
        assert_eq!(problem(&d), "connection 3 starts and ends at component 1");
    }

    #[test]
    fn non_finite_positions_and_sizes_are_refused() {
        let mut d = sample();
        d.components[1].position.y = f32::NAN;
        assert!(problem(&d).starts_with("component 2 has a position"));
        let mut d = sample();
        d.groups[0].rect.w = f32::INFINITY;
        assert!(problem(&d).starts_with("group 4 has a position or size"));
        let mut d = sample();
        d.notes[0].rect.x = f32::NEG_INFINITY;
        assert!(problem(&d).starts_with("note 5 has a position or size"));
    }

    #[test]
    fn ids_must_be_below_next_id_and_next_id_must_leave_room() {
        let mut d = sample();
        d.next_id = 5;
        assert_eq!(problem(&d), "next_id is 5 but the id 5 is already in use");
        let mut d = sample();
        d.next_id = u64::MAX;
        assert!(problem(&d).contains("leaves no room for another item"));
        d.next_id = LAST_NEXT_ID;
        assert_eq!(check(&d), Ok(()));
    }

    #[test]
    fn duplicate_and_dangling_decisions_are_refused() {
        let mut d = sample();
        d.decisions
            .push(decision("FAIL-001", Subject::Connection(Id(3))));
        assert!(problem(&d).starts_with("there are two decisions about rule \"FAIL-001\""));
        let mut d = sample();
        d.decisions = vec![decision("OBS-001", Subject::Component(Id(9)))];
        assert_eq!(
            problem(&d),
            "the decision about rule \"OBS-001\" refers to component 9, which does not exist"
        );
        // The id exists, but as a connection, not a component.
        d.decisions = vec![decision("OBS-001", Subject::Component(Id(3)))];
        assert!(problem(&d).contains("refers to component 3"));
    }

    #[test]
    fn steps_revealing_missing_items_are_refused() {
        let mut d = sample();
        d.steps[0].revealed.push(Id(42));
        assert_eq!(problem(&d), "step 1 reveals item 42, which does not exist");
    }

    #[test]
    fn unsorted_items_are_refused() {
        let mut d = sample();
        d.components.reverse();
        assert_eq!(problem(&d), "the items are not in id order");
    }

    /// Applies `edit` to the sample and checks it fails with `expected`,
    /// leaving the diagram as it was.
    fn refused(edit: Edit, expected: EditError) {
        let original = sample();
        let mut d = original.clone();
        assert_eq!(edit.apply(&mut d), Err(expected));
        assert_eq!(d, original);
    }

    #[test]
    fn edits_refuse_what_load_refuses() {
        let mut moved = component(2);
        moved.position.x = f32::NAN;
        refused(Edit::UpdateComponent(moved), EditError::NotFinite(Id(2)));
        refused(
            Edit::SetPositions(vec![(Id(4), Point::new(0.0, f32::INFINITY))]),
            EditError::NotFinite(Id(4)),
        );
        let mut note = sample().notes[0].clone();
        note.rect.h = f32::NAN;
        refused(Edit::UpdateNote(note), EditError::NotFinite(Id(5)));
        let mut group = sample().groups[0].clone();
        group.rect.w = f32::INFINITY;
        refused(Edit::UpdateGroup(group), EditError::NotFinite(Id(4)));
        let mut bad = component(6);
        bad.position.y = f32::NEG_INFINITY;
        refused(
            Edit::Insert(Items {
                components: vec![bad],
                ..Items::default()
            }),
            EditError::NotFinite(Id(6)),
        );
        refused(
            Edit::Insert(Items {
                connections: vec![connection(6, 2, 2)],
                ..Items::default()
            }),
            EditError::SelfConnection(Id(6)),
        );
        refused(
            Edit::SetSteps(vec![Step {
                title: "x".to_owned(),
                revealed: vec![Id(77)],
            }]),
            EditError::UnknownId(Id(77)),
        );
        refused(
            Edit::SetDecisions(vec![
                decision("A", Subject::Design),
                decision("A", Subject::Design),
            ]),
            EditError::DuplicateDecision {
                rule_id: "A".to_owned(),
            },
        );
        refused(
            Edit::SetDecisions(vec![decision("A", Subject::Group(Id(1)))]),
            EditError::UnknownSubject {
                rule_id: "A".to_owned(),
            },
        );
        refused(
            Edit::SetDecision {
                rule_id: "A".to_owned(),
                subject: Subject::Component(Id(99)),
                decision: Some(decision("A", Subject::Component(Id(99)))),
            },
            EditError::UnknownSubject {
                rule_id: "A".to_owned(),
            },
        );
        refused(
            Edit::SetDecision {
                rule_id: "A".to_owned(),
                subject: Subject::Design,
                decision: Some(decision("B", Subject::Design)),
            },
            EditError::DecisionMismatch {
                rule_id: "A".to_owned(),
            },
        );
        refused(Edit::SetNextId(3), EditError::BadNextId(3));
        refused(Edit::SetNextId(u64::MAX), EditError::BadNextId(u64::MAX));
    }

    /// Loss 3 of issue 11: near the end of the id space an insert used to
    /// wrap `next_id` to 0 (or panic in a debug build) and the saved file
    /// could not be opened again.
    #[test]
    fn the_id_counter_never_wraps() {
        let mut d = sample();
        d.next_id = LAST_NEXT_ID - 1;
        let ids: Vec<Id> = d.peek_ids(3).collect();
        assert_eq!(ids, vec![Id(LAST_NEXT_ID - 1)], "only one id is left");
        let last = d.next_free_id();
        Edit::Insert(Items {
            components: vec![component(last.0)],
            ..Items::default()
        })
        .apply(&mut d)
        .expect("the last id can be used");
        assert_eq!(d.next_id, LAST_NEXT_ID);
        assert_eq!(check(&d), Ok(()), "the diagram still loads");
        assert_eq!(d.peek_ids(1).count(), 0);
        let before = d.clone();
        let next = d.next_free_id();
        let err = Edit::Insert(Items {
            components: vec![component(next.0)],
            ..Items::default()
        })
        .apply(&mut d);
        assert_eq!(err, Err(EditError::IdsExhausted));
        assert_eq!(d, before);
        // An item with the largest id of all is refused too.
        let err = Edit::Insert(Items {
            components: vec![component(u64::MAX)],
            ..Items::default()
        })
        .apply(&mut d);
        assert_eq!(err, Err(EditError::IdsExhausted));
    }
}
