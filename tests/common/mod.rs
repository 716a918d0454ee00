//! Builders shared by the io tests.

// Test helpers, so panicking on a broken assumption is the point.
#![allow(dead_code, clippy::unwrap_used)]

use archboard::catalog::ComponentKind;
use archboard::model::{
    Backplane, CachePattern, Choice, Component, Connection, ConnectionKind, Consistency,
    ConsistencyNeed, Decision, DecisionStatus, Diagram, Eviction, Group, GroupKind, Id,
    Invalidation, Note, Point, Policy, PropValue, Rect, Redundancy, Requirements, Retry, Step,
    Subject,
};

/// The next option of a closed set, wrapping around: a value that differs
/// from `value` whenever the set has two or more options.
fn next<T: Choice>(value: T) -> T {
    let all = T::ALL;
    let index = all.iter().position(|&v| v == value).unwrap();
    all[(index + 1) % all.len()]
}

/// A value of the same type as `value` that differs from it.
pub fn different(value: PropValue) -> PropValue {
    match value {
        PropValue::Bool(b) => PropValue::Bool(!b),
        PropValue::Count(n) => PropValue::Count(n + 3),
        PropValue::Text(t) => PropValue::Text(format!("{t}changed \"quoted\" ünïcode")),
        PropValue::Backplane(v) => PropValue::Backplane(next::<Backplane>(v)),
        PropValue::CachePattern(v) => PropValue::CachePattern(next::<CachePattern>(v)),
        PropValue::Invalidation(v) => PropValue::Invalidation(next::<Invalidation>(v)),
        PropValue::Eviction(v) => PropValue::Eviction(next::<Eviction>(v)),
        PropValue::Consistency(v) => PropValue::Consistency(next::<Consistency>(v)),
        PropValue::Redundancy(v) => PropValue::Redundancy(next::<Redundancy>(v)),
    }
}

/// A design that uses every component kind with every applicable property
/// set to a value other than its default, every connection kind with a full
/// policy, every group kind, notes, steps, decisions and full requirements.
pub fn everything_diagram() -> Diagram {
    let mut diagram = Diagram::new("Everything: ünïcode, \"quotes\" and a\nnew line");
    let mut next_id = 1;
    let mut take_id = || {
        let id = Id(next_id);
        next_id += 1;
        id
    };
    for (index, kind) in ComponentKind::all().enumerate() {
        let defaults = kind.default_properties();
        let mut properties = defaults.clone();
        for key in kind.property_keys() {
            let value = defaults.value(key).unwrap();
            let changed = different(value.clone());
            assert_ne!(changed, value, "{key:?} of {kind:?}");
            assert!(properties.set(key, changed));
        }
        diagram.components.push(Component {
            id: take_id(),
            kind,
            name: format!("{} {index}", kind.name()),
            position: Point::new(index as f32 * 240.5, -(index as f32) * 0.125),
            properties,
        });
    }
    let component_ids: Vec<Id> = diagram.components.iter().map(|c| c.id).collect();
    for (index, kind) in ConnectionKind::ALL.into_iter().enumerate() {
        let retry = Retry::ALL[index % Retry::ALL.len()];
        diagram.connections.push(Connection {
            id: take_id(),
            from: component_ids[index],
            to: component_ids[index + 1],
            kind,
            label: format!("{} call", kind.label()),
            policy: Policy {
                timeout_ms: Some(250 + index as u32),
                retry,
                max_retries: 3,
                circuit_breaker: true,
                fallback: index % 2 == 0,
                bulkhead: true,
            },
            idempotent: true,
        });
    }
    for (index, kind) in GroupKind::ALL.into_iter().enumerate() {
        diagram.groups.push(Group {
            id: take_id(),
            kind,
            label: kind.label().to_owned(),
            rect: Rect::new(index as f32 * 10.0, 0.0, 800.0, 600.25),
        });
    }
    let note_id = take_id();
    diagram.notes.push(Note {
        id: note_id,
        text: "Reads dominate 100:1.\nCache the redirect path.".to_owned(),
        rect: Rect::new(-300.0, -200.0, 220.0, 120.0),
    });
    diagram.steps = vec![
        Step {
            title: "The edge".to_owned(),
            revealed: component_ids[..3].to_vec(),
        },
        Step {
            title: "Notes".to_owned(),
            revealed: vec![note_id],
        },
    ];
    diagram.decisions = vec![
        Decision {
            rule_id: "FAIL-001".to_owned(),
            subject: Subject::Component(component_ids[5]),
            status: DecisionStatus::AcceptedTradeOff,
            note: "One instance is fine for the demo".to_owned(),
        },
        Decision {
            rule_id: "SCALE-002".to_owned(),
            subject: Subject::Design,
            status: DecisionStatus::AcceptedTradeOff,
            note: String::new(),
        },
    ];
    diagram.requirements = Requirements {
        functional: vec!["Shorten a URL".to_owned(), "Redirect quickly".to_owned()],
        daily_active_users: Some(10_000_000),
        requests_per_user_per_day: Some(12.5),
        peak_factor: Some(3.0),
        read_write_ratio: Some(100.0),
        payload_bytes: Some(512),
        retention_days: Some(365),
        latency_target_ms: Some(50),
        availability_percent: Some(99.95),
        consistency: ConsistencyNeed::Mixed,
        regions: Some(2),
        compliance: "GDPR".to_owned(),
    };
    diagram.next_id = next_id;
    diagram.sort_items();
    diagram.check_integrity().unwrap();
    diagram
}
