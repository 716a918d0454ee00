//! The command log: one entry for every command the session applied, in
//! order, with what it changed, how to take it back, who asked and when.
//!
//! Subscribers (the interviewer link, a session recording, tests) get each
//! entry through a channel. The log keeps nothing itself; a subscriber that
//! has gone away is dropped at the next entry. Subscribers must keep
//! draining their channel: it is unbounded so the session never blocks.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use serde::{Deserialize, Serialize};

use super::clock::Timestamp;
use super::command::{Command, Origin};
use crate::model::Diagram;
use crate::model::edit::Edit;

/// What a command did to the document.
// Entries are built once per command and shared through an `Arc`, so the
// size of the largest variant costs nothing per subscriber.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Change {
    /// The diagram is as it was (the timer, a probe, present mode).
    None,
    /// `applied` took the diagram from its previous state to the new one;
    /// `inverse` takes it back. Undo and redo log the edits they applied.
    Diagram {
        label: String,
        applied: Edit,
        inverse: Edit,
    },
    /// The whole document was replaced (new, open, template, restore); this
    /// is the new diagram.
    Replaced { diagram: Box<Diagram> },
}

/// One applied command.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Counts up from 1 in the order commands were applied.
    pub seq: u64,
    pub at: Timestamp,
    pub origin: Origin,
    /// The identity of the document the command applied to (see
    /// [`super::DocumentId`]).
    pub document: u64,
    pub command: Command,
    pub change: Change,
}

/// Hands out entries to subscribers.
#[derive(Debug, Default)]
pub struct CommandLog {
    subscribers: Vec<Sender<Arc<LogEntry>>>,
    next_seq: u64,
}

impl CommandLog {
    /// A channel that receives every entry from now on.
    pub fn subscribe(&mut self) -> Receiver<Arc<LogEntry>> {
        let (sender, receiver) = channel();
        self.subscribers.push(sender);
        receiver
    }

    /// The sequence number the next entry will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq + 1
    }

    pub(super) fn emit(
        &mut self,
        at: Timestamp,
        origin: Origin,
        document: u64,
        command: Command,
        change: Change,
    ) {
        self.next_seq += 1;
        if self.subscribers.is_empty() {
            return;
        }
        let entry = Arc::new(LogEntry {
            seq: self.next_seq,
            at,
            origin,
            document,
            command,
            change,
        });
        self.subscribers
            .retain(|subscriber| subscriber.send(Arc::clone(&entry)).is_ok());
    }
}
