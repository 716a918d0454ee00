//! The interviewer link: a mock interviewer watches the board in a browser,
//! rates probes, pins comments and throws curveballs, from the same machine,
//! the local network, or through a relay.
//!
//! ```text
//!  UI thread                     hub thread                 tokio runtime
//!  Session ── log entries ──►  Hub: copy of the design,  ◄── viewer sockets
//!    ▲        interview state   board SVG in pieces, seq   (axum), relay link
//!    │        pointer           numbers, per-viewer         │
//!    └── Host::pump ◄── requests ── bounded queues ─────────┘
//!        execute_from(Origin::Remote(viewer), command)
//! ```
//!
//! The session stays on the UI thread: [`Host::pump`] (once per frame)
//! hands the hub what changed and runs the viewers' requests through the
//! one door. The hub never waits for a viewer (see `hub`). The page is
//! ours, embedded in the binary (`assets/live/`); `protocol` describes the
//! messages; `relay` is the self-hosted relay for viewers outside the
//! host's network.
//!
//! Security: every URL carries an unguessable token (page, assets and
//! socket alike), one for interviewers and one for read-only observers;
//! nothing is served from the file system; every response carries a strict
//! Content-Security-Policy; message size, message rate and viewer count are
//! limited; a malformed message gets an error and changes nothing.

mod assets;
mod host;
mod hub;
pub mod protocol;
pub mod relay;
mod server;
pub mod token;

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub use host::{Host, HostOptions, Link, LiveError, lan_addresses};
pub use hub::RemoteRequest;
pub use protocol::{Pointer, Role};

/// Called from any thread when the UI should run a frame (egui's
/// `request_repaint`).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// The most viewers one session accepts unless told otherwise.
pub const DEFAULT_MAX_VIEWERS: usize = 8;

/// Someone watching.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewerInfo {
    /// The connection number, also the viewer's `Origin::Remote` number.
    pub id: u64,
    /// The name the viewer gave (control characters removed).
    pub name: String,
    pub role: Role,
    /// Joined through a relay rather than directly.
    pub via_relay: bool,
}

/// The two secrets of a session: one per role.
#[derive(Clone, Debug)]
pub(crate) struct Tokens {
    pub interviewer: String,
    pub observer: String,
}

impl Tokens {
    /// The role a token grants, if any.
    pub fn role_of(&self, token: &str) -> Option<Role> {
        if token::same(token, &self.interviewer) {
            Some(Role::Interviewer)
        } else if token::same(token, &self.observer) {
            Some(Role::Observer)
        } else {
            None
        }
    }
}

/// What the UI thread, the hub and the server tasks share.
pub(crate) struct Shared {
    pub hub: std::sync::mpsc::Sender<hub::HubEvent>,
    /// The latest pointer message; every viewer task watches it.
    pub pointer: tokio::sync::watch::Sender<Arc<str>>,
    pub viewers: Mutex<Vec<ViewerInfo>>,
    /// The hub lost its copy of the design and wants a fresh one.
    pub need_diagram: AtomicBool,
    pub waker: Waker,
    pub tokens: Tokens,
    pub max_viewers: usize,
    next_viewer: AtomicU64,
    connected: AtomicUsize,
}

impl Shared {
    fn new(
        hub: std::sync::mpsc::Sender<hub::HubEvent>,
        waker: Waker,
        tokens: Tokens,
        max_viewers: usize,
    ) -> Self {
        let (pointer, _) = tokio::sync::watch::channel(Arc::from("{\"t\":\"pointer\"}"));
        Self {
            hub,
            pointer,
            viewers: Mutex::new(Vec::new()),
            need_diagram: AtomicBool::new(false),
            waker,
            tokens,
            max_viewers,
            next_viewer: AtomicU64::new(1),
            connected: AtomicUsize::new(0),
        }
    }

    /// A place for one more viewer, if the limit allows.
    pub fn claim_slot(self: &Arc<Self>) -> Option<Slot> {
        let claimed = self
            .connected
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.max_viewers).then_some(n + 1)
            })
            .is_ok();
        claimed.then(|| Slot {
            shared: Arc::clone(self),
            viewer: self.next_viewer.fetch_add(1, Ordering::AcqRel),
        })
    }

    /// Tells the hub; a hub that has stopped needs no telling.
    pub fn tell(&self, event: hub::HubEvent) {
        if self.hub.send(event).is_err() {
            // The session is ending; the viewer's task ends with it.
        }
    }

    /// Joins a viewer to the hub and returns its queue's receiving end.
    pub fn join(&self, slot: &Slot, role: Role, via_relay: bool) -> hub::Inbox {
        let (out, inbox) = hub::queue(Some(self.pointer.subscribe()));
        self.tell(hub::HubEvent::Join {
            viewer: slot.viewer,
            role,
            via_relay,
            out,
        });
        inbox
    }
}

/// One viewer's place, given back (and the hub told) when dropped.
pub(crate) struct Slot {
    shared: Arc<Shared>,
    pub viewer: u64,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.shared.connected.fetch_sub(1, Ordering::AcqRel);
        self.shared.tell(hub::HubEvent::Leave {
            viewer: self.viewer,
        });
    }
}
