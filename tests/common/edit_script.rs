//! Random edit sequences from bytes, shared by the property test
//! (`tests/edit_sequences.rs`) and the fuzz target (`fuzz/fuzz_targets/edits.rs`).
//!
//! [`check_sequence`] reads edits from the bytes one after another, each
//! aimed at the diagram as it is by then (existing ids picked by index, so
//! most edits apply; some are wrong on purpose: a connection to itself, a
//! position that is not a number, an id past the end, a duplicate decision),
//! and checks the promise of the edit layer: an edit that applies leaves a
//! diagram that passes `check_integrity`, one that fails changes nothing; at
//! the end the diagram saves and loads back the same, and undoing every
//! edit gives back the start exactly.
//!
//! The including crate names the Archboard library `ab` at its root
//! (`use archboard as ab;`), so this file compiles in both.

#![allow(dead_code)]

use crate::ab::catalog::ComponentKind;
use crate::ab::io;
use crate::ab::model::edit::Edit;
use crate::ab::model::{
    Component, Connection, ConnectionKind, Decision, DecisionStatus, Diagram, Group, GroupKind, Id,
    Items, Note, Point, Policy, Rect, Requirements, Retry, Step, Subject,
};

/// A cursor over the input bytes; reads past the end give zeros.
pub struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn u8(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    fn u64(&mut self) -> u64 {
        (u64::from(self.u32()) << 32) | u64::from(self.u32())
    }

    /// Mostly ordinary canvas numbers, sometimes any bit pattern (NaN and
    /// infinities included).
    fn f32(&mut self) -> f32 {
        match self.u8() {
            0..=239 => (f32::from(self.u8()) - 128.0) * 25.5,
            240..=247 => f32::from_bits(self.u32()),
            248 => f32::NAN,
            249 => f32::INFINITY,
            250 => -0.0,
            _ => 3.0e38,
        }
    }

    fn f64(&mut self) -> f64 {
        match self.u8() {
            0..=239 => f64::from(self.u32()) / 100.0,
            240..=249 => f64::from_bits(self.u64()),
            _ => -1.5,
        }
    }

    fn index(&mut self, len: usize) -> usize {
        if len == 0 {
            0
        } else {
            usize::from(self.u8()) % len
        }
    }

    fn text(&mut self) -> String {
        const PIECES: [&str; 10] = [
            "API", "ünï", "\"q\"", "\n", "|", "<img>", "\\", "r#", " ", "\u{202e}",
        ];
        let n = usize::from(self.u8() % 4);
        (0..n).map(|_| PIECES[self.index(PIECES.len())]).collect()
    }
}

fn item_ids(d: &Diagram) -> Vec<Id> {
    let mut ids: Vec<Id> = d
        .components
        .iter()
        .map(|c| c.id)
        .chain(d.connections.iter().map(|c| c.id))
        .chain(d.groups.iter().map(|g| g.id))
        .chain(d.notes.iter().map(|n| n.id))
        .collect();
    ids.sort_unstable();
    ids
}

/// An id of an existing item, or now and then one that does not exist.
fn pick(d: &Diagram, b: &mut Bytes<'_>) -> Id {
    let ids = item_ids(d);
    let i = b.index(ids.len() + 1);
    ids.get(i)
        .copied()
        .unwrap_or(Id(d.next_id.saturating_add(u64::from(b.u8()))))
}

fn pick_component(d: &Diagram, b: &mut Bytes<'_>) -> Id {
    let i = b.index(d.components.len() + 1);
    d.components.get(i).map_or(Id(d.next_id), |c| c.id)
}

fn subject(d: &Diagram, b: &mut Bytes<'_>) -> Subject {
    match b.u8() % 4 {
        0 => Subject::Design,
        1 => Subject::Component(pick(d, b)),
        2 => Subject::Connection(pick(d, b)),
        _ => Subject::Group(pick(d, b)),
    }
}

fn decision(d: &Diagram, b: &mut Bytes<'_>) -> Decision {
    const RULES: [&str; 3] = ["FAIL-001", "OBS-001", "SEC-002"];
    Decision {
        rule_id: RULES[b.index(RULES.len())].to_owned(),
        subject: subject(d, b),
        status: DecisionStatus::AcceptedTradeOff,
        note: b.text(),
    }
}

/// The next edit for `d`, read from `b`.
pub fn next_edit(d: &Diagram, b: &mut Bytes<'_>) -> Edit {
    let fresh = d.peek_ids(3).collect::<Vec<_>>();
    let fresh_id = |i: usize| fresh.get(i).copied().unwrap_or(Id(d.next_id));
    match b.u8() % 17 {
        0 | 1 => {
            let kinds: Vec<ComponentKind> = ComponentKind::all().collect();
            let kind = kinds[b.index(kinds.len())];
            Edit::Insert(Items {
                components: vec![Component {
                    id: fresh_id(0),
                    kind,
                    name: b.text(),
                    position: Point::new(b.f32(), b.f32()),
                    properties: kind.default_properties(),
                }],
                ..Items::default()
            })
        }
        2 | 3 => Edit::Insert(Items {
            connections: vec![Connection {
                id: fresh_id(0),
                from: pick_component(d, b),
                to: pick_component(d, b),
                kind: ConnectionKind::ALL[b.index(ConnectionKind::ALL.len())],
                label: b.text(),
                policy: Policy {
                    timeout_ms: Some(b.u32()),
                    retry: Retry::ALL[b.index(Retry::ALL.len())],
                    max_retries: u32::from(b.u8()),
                    ..Policy::default()
                },
                idempotent: b.u8().is_multiple_of(2),
            }],
            ..Items::default()
        }),
        4 => Edit::Insert(Items {
            groups: vec![Group {
                id: fresh_id(0),
                kind: GroupKind::ALL[b.index(GroupKind::ALL.len())],
                label: b.text(),
                rect: Rect::new(b.f32(), b.f32(), b.f32(), b.f32()),
            }],
            notes: vec![Note {
                id: fresh_id(1),
                text: b.text(),
                rect: Rect::new(b.f32(), b.f32(), 200.0, 100.0),
            }],
            ..Items::default()
        }),
        5 | 6 => Edit::Remove(vec![pick(d, b)]),
        7 => Edit::SetPositions(vec![(pick(d, b), Point::new(b.f32(), b.f32()))]),
        8 => {
            let id = pick_component(d, b);
            match d.component(id) {
                Some(c) => Edit::UpdateComponent(Component {
                    name: b.text(),
                    position: Point::new(b.f32(), c.position.y),
                    ..c.clone()
                }),
                None => Edit::SetTitle(b.text()),
            }
        }
        9 => match d.connections.get(b.index(d.connections.len())) {
            Some(c) => Edit::UpdateConnection(Connection {
                from: pick_component(d, b),
                to: pick_component(d, b),
                label: b.text(),
                ..c.clone()
            }),
            None => Edit::SetTitle(b.text()),
        },
        10 => match d.groups.get(b.index(d.groups.len())) {
            Some(g) => Edit::UpdateGroup(Group {
                rect: Rect::new(g.rect.x, g.rect.y, b.f32(), b.f32()),
                ..g.clone()
            }),
            None => Edit::SetTitle(b.text()),
        },
        11 => {
            let new = decision(d, b);
            let keep = !b.u8().is_multiple_of(3);
            Edit::SetDecision {
                rule_id: new.rule_id.clone(),
                subject: new.subject,
                decision: keep.then_some(new),
            }
        }
        12 => Edit::SetDecisions((0..b.u8() % 3).map(|_| decision(d, b)).collect()),
        13 => Edit::SetSteps(
            (0..b.u8() % 3)
                .map(|_| Step {
                    title: b.text(),
                    revealed: (0..b.u8() % 3).map(|_| pick(d, b)).collect(),
                })
                .collect(),
        ),
        14 => Edit::SetNextId(match b.u8() % 3 {
            0 => d.next_id.saturating_add(u64::from(b.u8())),
            1 => u64::MAX - u64::from(b.u8() % 4),
            _ => b.u64(),
        }),
        15 => Edit::SetRequirements(Requirements {
            functional: vec![b.text()],
            daily_active_users: Some(b.u64()),
            requests_per_user_per_day: Some(b.f64()),
            peak_factor: Some(b.f64()),
            availability_percent: Some(b.f64()),
            compliance: b.text(),
            ..Requirements::default()
        }),
        _ => Edit::Batch(vec![next_edit(d, b), Edit::SetTitle(b.text())]),
    }
}

/// `Debug` text, so a NaN in the requirements compares equal to itself.
fn same(a: &Diagram, b: &Diagram) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

/// Applies the edits read from `data` to `start` and checks every promise
/// listed in the module comment; the error says which one broke.
pub fn check_sequence(start: &Diagram, data: &[u8]) -> Result<Diagram, String> {
    let mut d = start.clone();
    let mut b = Bytes::new(data);
    let mut inverses = Vec::new();
    let mut steps = 0;
    while !b.is_empty() && steps < 64 {
        steps += 1;
        let edit = next_edit(&d, &mut b);
        let before = d.clone();
        match edit.clone().apply(&mut d) {
            Ok(inverse) => {
                d.check_integrity()
                    .map_err(|e| format!("{edit:?} left a broken diagram: {e}"))?;
                inverses.push(inverse);
            }
            Err(_) => {
                if !same(&d, &before) {
                    return Err(format!("the failed edit {edit:?} changed the diagram"));
                }
            }
        }
    }
    let text = io::encode_for_file(&d).map_err(|e| format!("does not save: {e}"))?;
    let again = io::from_ron_str(&text).map_err(|e| format!("does not load again: {e}\n{text}"))?;
    if !same(&again, &d) {
        return Err(format!("save and load changed the diagram:\n{text}"));
    }
    let end = d.clone();
    for inverse in inverses.into_iter().rev() {
        inverse
            .apply(&mut d)
            .map_err(|e| format!("an undo failed: {e}"))?;
    }
    if !same(&d, start) {
        return Err("undoing every edit did not give back the start".to_owned());
    }
    Ok(end)
}
