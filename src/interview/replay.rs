//! Rebuilding the design of a recorded session at any moment.
//!
//! A [`Replay`] starts from the session's starting design and applies the
//! recorded edits in order. It keeps a copy of the design every
//! [`CHECKPOINT_EVERY`] changes, so seeking anywhere costs at most that many
//! edits: forward from where it is when the target is close ahead, otherwise
//! forward from the nearest checkpoint before the target. Building a replay
//! applies every edit once, so a session whose edits do not apply (a damaged
//! file) is refused up front, never half-way through a scrub.

use super::recording::SavedSession;
use crate::model::Diagram;
use crate::model::edit::{Edit, EditError};

/// How many changes lie between two stored copies of the design.
pub const CHECKPOINT_EVERY: usize = 32;

/// Why a session cannot be replayed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ReplayError {
    #[error("recorded change {number} does not apply to the design before it: {source}")]
    BadChange {
        /// 1-based, in recording order.
        number: usize,
        source: EditError,
    },
}

/// The design of one recorded session, at a chosen moment.
#[derive(Clone, Debug)]
pub struct Replay {
    /// Offsets (ms from the start) and edits of the recorded changes.
    changes: Vec<(u64, Edit)>,
    /// `checkpoints[k]` is the design after `k * CHECKPOINT_EVERY` changes.
    checkpoints: Vec<Diagram>,
    /// The design after `applied` changes.
    current: Diagram,
    applied: usize,
    final_diagram: Diagram,
}

impl Replay {
    /// Checks that every recorded change applies and stores the checkpoints.
    /// The replay starts at the beginning of the session.
    pub fn new(session: &SavedSession) -> Result<Self, ReplayError> {
        let changes: Vec<(u64, Edit)> = session
            .changes()
            .map(|(at, edit)| (at, edit.clone()))
            .collect();
        let mut diagram = session.start.clone();
        let mut checkpoints = vec![diagram.clone()];
        for (i, (_, edit)) in changes.iter().enumerate() {
            edit.clone()
                .apply(&mut diagram)
                .map_err(|source| ReplayError::BadChange {
                    number: i + 1,
                    source,
                })?;
            if (i + 1) % CHECKPOINT_EVERY == 0 {
                checkpoints.push(diagram.clone());
            }
        }
        Ok(Self {
            changes,
            checkpoints,
            current: session.start.clone(),
            applied: 0,
            final_diagram: diagram,
        })
    }

    /// The design at the current moment.
    pub fn diagram(&self) -> &Diagram {
        &self.current
    }

    /// The design at the end of the session.
    pub fn final_diagram(&self) -> &Diagram {
        &self.final_diagram
    }

    /// How many changes the current design includes.
    pub fn applied(&self) -> usize {
        self.applied
    }

    pub fn change_count(&self) -> usize {
        self.changes.len()
    }

    /// The offsets (ms from the start) of the changes, in order.
    pub fn change_offsets(&self) -> impl Iterator<Item = u64> + '_ {
        self.changes.iter().map(|(at, _)| *at)
    }

    /// How many changes happened at or before `offset_ms`.
    pub fn count_at(&self, offset_ms: u64) -> usize {
        self.changes.partition_point(|(at, _)| *at <= offset_ms)
    }

    /// Shows the design as it was `offset_ms` into the session (every change
    /// at or before that moment included). Returns whether the design shown
    /// changed.
    pub fn seek(&mut self, offset_ms: u64) -> bool {
        self.seek_to_count(self.count_at(offset_ms))
    }

    /// Shows the design after the first `count` changes (clamped). Returns
    /// whether the design shown changed.
    pub fn seek_to_count(&mut self, count: usize) -> bool {
        let count = count.min(self.changes.len());
        if count == self.applied {
            return false;
        }
        let nearest = count / CHECKPOINT_EVERY;
        let from_current = count > self.applied && count - self.applied <= CHECKPOINT_EVERY;
        if !from_current && let Some(checkpoint) = self.checkpoints.get(nearest) {
            self.current.clone_from(checkpoint);
            self.applied = nearest * CHECKPOINT_EVERY;
        }
        while self.applied < count {
            let Some((_, edit)) = self.changes.get(self.applied) else {
                break;
            };
            // Every edit applied when the replay was built, from the same
            // states, so this cannot fail; if it did, stop where we are.
            if edit.clone().apply(&mut self.current).is_err() {
                break;
            }
            self.applied += 1;
        }
        true
    }

    /// The design after the first `count` changes, computed on the side
    /// (the replay's own position does not move).
    pub fn diagram_after(&self, count: usize) -> Diagram {
        let mut other = self.clone();
        other.seek_to_count(count);
        other.current
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::interview::Timer;
    use crate::interview::recording::{Author, EventKind};

    /// A session that renames the design `n` times, one change a second.
    fn renames(n: usize) -> SavedSession {
        let mut s = SavedSession::begin(0, Diagram::new("v0"), Timer::new(), BTreeMap::new());
        for i in 1..=n {
            s.push(
                i as u64 * 1000,
                Author::Local,
                EventKind::Change {
                    label: "Rename design".to_owned(),
                    applied: Edit::SetTitle(format!("v{i}")),
                    inverse: Edit::SetTitle(format!("v{}", i - 1)),
                },
            );
        }
        s
    }

    #[test]
    fn seeking_anywhere_shows_the_design_of_that_moment() {
        let session = renames(100);
        let mut replay = Replay::new(&session).unwrap();
        assert_eq!(replay.final_diagram().title, "v100");
        assert_eq!(replay.diagram().title, "v0");
        for offset in [50_500, 3_000, 99_999, 100_000, 0, 64_000, 65_000, 31_000] {
            replay.seek(offset);
            assert_eq!(replay.diagram().title, format!("v{}", offset / 1000));
        }
        assert!(!replay.seek(31_400), "same change count: nothing to redraw");
        assert_eq!(replay.diagram_after(7).title, "v7");
        assert_eq!(replay.diagram().title, "v31");
    }

    #[test]
    fn a_change_that_does_not_apply_is_refused_up_front() {
        let mut session = renames(3);
        session.push(
            5_000,
            Author::Local,
            EventKind::Change {
                label: "Delete item".to_owned(),
                applied: Edit::Remove(vec![crate::model::Id(42)]),
                inverse: Edit::Batch(Vec::new()),
            },
        );
        let err = Replay::new(&session).unwrap_err();
        assert!(
            matches!(err, ReplayError::BadChange { number: 4, .. }),
            "{err}"
        );
    }
}
