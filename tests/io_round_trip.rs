//! Saving then loading gives back the same design, byte-stable output, and
//! `format_version` first.

// Helpers outside `#[test]` functions unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used)]

mod common;

use archboard::catalog::ComponentKind;
use archboard::io;
use archboard::model::{
    Backplane, CachePattern, Choice, Component, Connection, ConnectionKind, Consistency,
    ConsistencyNeed, Decision, Diagram, Eviction, Group, GroupKind, Id, Invalidation, Note, Point,
    Policy, PropKey, PropValue, Rect, Redundancy, Requirements, Retry, Step, Subject,
};
use proptest::prelude::*;

#[test]
fn a_design_with_every_kind_and_property_survives_a_file_round_trip() {
    let diagram = common::everything_diagram();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("everything.ron");
    io::save(&path, &diagram).unwrap();
    let loaded = io::load(&path).unwrap();
    assert_eq!(loaded, diagram);

    // Every kind is there, with every applicable property away from its default.
    for kind in ComponentKind::all() {
        let component = loaded.components.iter().find(|c| c.kind == kind).unwrap();
        let defaults = kind.default_properties();
        for key in kind.property_keys() {
            assert_ne!(
                component.properties.value(key),
                defaults.value(key),
                "{kind:?} {key:?}"
            );
        }
    }
}

#[test]
fn saving_twice_writes_the_same_bytes_with_the_version_first() {
    let diagram = common::everything_diagram();
    let first = io::to_ron_string(&diagram).unwrap();
    let again = io::to_ron_string(&io::from_ron_str(&first).unwrap()).unwrap();
    assert_eq!(first, again);
    assert!(
        first.starts_with("(\n    format_version: 1,\n    title: "),
        "{first}"
    );
    assert!(first.ends_with(")\n"));
}

#[test]
fn items_are_written_in_id_order_whatever_order_they_are_in() {
    let diagram = common::everything_diagram();
    let mut shuffled = diagram.clone();
    shuffled.components.reverse();
    shuffled.connections.swap(0, 1);
    shuffled.decisions.reverse();
    assert_eq!(
        io::to_ron_string(&shuffled).unwrap(),
        io::to_ron_string(&diagram).unwrap()
    );
}

#[test]
fn a_small_edit_is_a_small_diff() {
    let diagram = common::everything_diagram();
    let before = io::to_ron_string(&diagram).unwrap();
    let mut edited = diagram.clone();
    edited.components[3].name = "Renamed".to_owned();
    let after = io::to_ron_string(&edited).unwrap();
    let changed = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(before.lines().count(), after.lines().count());
    assert_eq!(changed, 1);
}

#[test]
fn a_file_missing_properties_gains_the_kinds_defaults_and_keeps_its_values() {
    let text = r#"(
        format_version: 1,
        title: "Old",
        components: [
            (id: 1, kind: Queue, name: "Orders", position: (x: 0.0, y: 0.0),
             properties: (dead_letter_queue: Some(true))),
            (id: 2, kind: Client, name: "App", position: (x: 0.0, y: 0.0)),
        ],
        next_id: 3,
    )"#;
    let diagram = io::from_ron_str(text).unwrap();
    let queue = &diagram.components[0];
    let mut expected = ComponentKind::Queue.default_properties();
    expected.dead_letter_queue = Some(true);
    assert_eq!(queue.properties, expected);
    assert_eq!(
        diagram.components[1].properties,
        ComponentKind::Client.default_properties()
    );
}

// ---- proptest: generated designs survive save then load -----------------

fn finite_f32() -> impl Strategy<Value = f32> {
    prop::num::f32::NORMAL | prop::num::f32::SUBNORMAL | prop::num::f32::ZERO
}

fn finite_f64() -> impl Strategy<Value = f64> {
    prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO
}

fn choice<T: Choice>(index: usize) -> T {
    T::ALL[index % T::ALL.len()]
}

/// Raw material for one property value; the kind's default decides its type.
type PropSeed = (bool, u32, String, usize);

fn value_like(default: &PropValue, (flag, count, text, index): &PropSeed) -> PropValue {
    match default {
        PropValue::Bool(_) => PropValue::Bool(*flag),
        PropValue::Count(_) => PropValue::Count(*count),
        PropValue::Text(_) => PropValue::Text(text.clone()),
        PropValue::Backplane(_) => PropValue::Backplane(choice::<Backplane>(*index)),
        PropValue::CachePattern(_) => PropValue::CachePattern(choice::<CachePattern>(*index)),
        PropValue::Invalidation(_) => PropValue::Invalidation(choice::<Invalidation>(*index)),
        PropValue::Eviction(_) => PropValue::Eviction(choice::<Eviction>(*index)),
        PropValue::Consistency(_) => PropValue::Consistency(choice::<Consistency>(*index)),
        PropValue::Redundancy(_) => PropValue::Redundancy(choice::<Redundancy>(*index)),
    }
}

fn component_seed() -> impl Strategy<Value = (usize, String, f32, f32, Vec<PropSeed>)> {
    (
        0usize..64,
        any::<String>(),
        finite_f32(),
        finite_f32(),
        prop::collection::vec(
            (any::<bool>(), any::<u32>(), any::<String>(), 0usize..8),
            PropKey::ALL.len(),
        ),
    )
}

type ConnectionSeed = (
    usize,
    usize,
    usize,
    String,
    Option<u32>,
    usize,
    u32,
    [bool; 4],
);

fn connection_seed() -> impl Strategy<Value = ConnectionSeed> {
    (
        any::<usize>(),
        any::<usize>(),
        0usize..7,
        any::<String>(),
        any::<Option<u32>>(),
        0usize..4,
        any::<u32>(),
        any::<[bool; 4]>(),
    )
}

fn requirements() -> impl Strategy<Value = Requirements> {
    (
        prop::collection::vec(any::<String>(), 0..3),
        (
            any::<Option<u64>>(),
            prop::option::of(finite_f64()),
            prop::option::of(finite_f64()),
        ),
        (
            prop::option::of(finite_f64()),
            any::<Option<u64>>(),
            any::<Option<u32>>(),
        ),
        (
            any::<Option<u32>>(),
            prop::option::of(finite_f64()),
            0usize..4,
        ),
        (any::<Option<u32>>(), any::<String>()),
    )
        .prop_map(|(functional, a, b, c, d)| Requirements {
            functional,
            daily_active_users: a.0,
            requests_per_user_per_day: a.1,
            peak_factor: a.2,
            read_write_ratio: b.0,
            payload_bytes: b.1,
            retention_days: b.2,
            latency_target_ms: c.0,
            availability_percent: c.1,
            consistency: choice::<ConsistencyNeed>(c.2),
            regions: d.0,
            compliance: d.1,
        })
}

prop_compose! {
    fn diagram()(
        title in any::<String>(),
        components in prop::collection::vec(component_seed(), 0..10),
        connections in prop::collection::vec(connection_seed(), 0..12),
        groups in prop::collection::vec((0usize..5, any::<String>(), finite_f32(), finite_f32()), 0..4),
        notes in prop::collection::vec((any::<String>(), finite_f32()), 0..4),
        steps in prop::collection::vec((any::<String>(), prop::collection::vec(any::<prop::sample::Index>(), 0..4)), 0..3),
        decisions in prop::collection::vec(("[A-Z]{3,5}-[0-9]{3}", any::<prop::sample::Index>(), 0usize..4, any::<String>()), 0..3),
        requirements in requirements(),
        id_gap in 0u64..1000,
    ) -> Diagram {
        let mut diagram = Diagram::new(title);
        let mut next = 1 + id_gap;
        let mut take = || { let id = Id(next); next += 1 + id_gap % 3; id };
        let kinds: Vec<ComponentKind> = ComponentKind::all().collect();
        for (kind_index, name, x, y, seeds) in components {
            let kind = kinds[kind_index % kinds.len()];
            let defaults = kind.default_properties();
            let mut properties = defaults.clone();
            for (key, seed) in PropKey::ALL.iter().zip(&seeds) {
                if let Some(default) = defaults.value(*key) {
                    properties.set(*key, value_like(&default, seed));
                }
            }
            diagram.components.push(Component { id: take(), kind, name, position: Point::new(x, y), properties });
        }
        let component_ids: Vec<Id> = diagram.components.iter().map(|c| c.id).collect();
        if !component_ids.is_empty() {
            for (from, to, kind, label, timeout_ms, retry, max_retries, flags) in connections {
                // A connection joins two different components.
                if from % component_ids.len() == to % component_ids.len() {
                    continue;
                }
                diagram.connections.push(Connection {
                    id: take(),
                    from: component_ids[from % component_ids.len()],
                    to: component_ids[to % component_ids.len()],
                    kind: ConnectionKind::ALL[kind],
                    label,
                    policy: Policy {
                        timeout_ms,
                        retry: Retry::ALL[retry],
                        max_retries,
                        circuit_breaker: flags[0],
                        fallback: flags[1],
                        bulkhead: flags[2],
                    },
                    idempotent: flags[3],
                });
            }
        }
        for (kind, label, x, w) in groups {
            diagram.groups.push(Group { id: take(), kind: GroupKind::ALL[kind], label, rect: Rect::new(x, x, w, w) });
        }
        for (text, x) in notes {
            diagram.notes.push(Note { id: take(), text, rect: Rect::new(x, -x, 100.0, 50.5) });
        }
        let all_ids: Vec<Id> = (1..next).map(Id).filter(|&id| diagram.contains(id)).collect();
        for (title, picks) in steps {
            let revealed = if all_ids.is_empty() { Vec::new() } else { picks.iter().map(|p| *p.get(&all_ids)).collect() };
            diagram.steps.push(Step { title, revealed });
        }
        for (rule_id, pick, subject_kind, note) in decisions {
            // A decision is about the design or an existing item of its kind.
            let ids: Vec<Id> = match subject_kind {
                1 => diagram.components.iter().map(|c| c.id).collect(),
                2 => diagram.connections.iter().map(|c| c.id).collect(),
                3 => diagram.groups.iter().map(|g| g.id).collect(),
                _ => Vec::new(),
            };
            let subject = match (subject_kind, ids.is_empty()) {
                (1, false) => Subject::Component(*pick.get(&ids)),
                (2, false) => Subject::Connection(*pick.get(&ids)),
                (3, false) => Subject::Group(*pick.get(&ids)),
                _ => Subject::Design,
            };
            if diagram.decision(&rule_id, subject).is_none() {
                diagram.decisions.push(Decision { rule_id, subject, status: Default::default(), note });
            }
        }
        diagram.requirements = requirements;
        diagram.next_id = next + id_gap;
        diagram.sort_items();
        diagram
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_generated_design_survives_save_then_load(diagram in diagram()) {
        prop_assert_eq!(diagram.check_integrity(), Ok(()));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("generated.ron");
        io::save(&path, &diagram).unwrap();
        let loaded = io::load(&path).unwrap();
        prop_assert_eq!(&loaded, &diagram);
        // And the text is stable.
        prop_assert_eq!(io::to_ron_string(&loaded).unwrap(), std::fs::read_to_string(&path).unwrap());
    }
}
