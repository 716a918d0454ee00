//! The hub: one thread that keeps the viewers' picture of the session and
//! hands every viewer its messages, in order, without ever waiting for one.
//!
//! It keeps its own copy of the diagram, brought up to date from the
//! command log (each entry's applied edit, or the replacing diagram), so the
//! UI thread only moves `Arc`s; it keeps the board (the SVG drawing in
//! pieces, `export::Redrawer`, the cards and the probes) from that copy and
//! after each change sends a `delta` of only what changed; a snapshot
//! carries the whole board. Each viewer has a bounded queue (messages and bytes): a
//! viewer whose queue is full is marked lagging, gets nothing more, and is
//! sent one fresh snapshot once its queue has drained. Requests from
//! viewers are parsed, checked (role, rate, size) and passed to the UI
//! thread, which runs them through `Session::execute_from`.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, atomic::AtomicUsize};
use std::time::{Duration, Instant};

use crate::app::{Change, Command, LogEntry};
use crate::export::{self, Drawing, Redrawer, Scope, SvgOptions};
use crate::interview::{ProbeSource, probes_from};
use crate::model::Diagram;
use crate::rules;

use super::protocol::{
    BoardDelta, CardInfo, DrawingDelta, InterviewState, ListDelta, Pointer, ProbeInfo,
    ProtocolError, Role, ViewerMsg, clean_name, parse_viewer_msg, rect4,
};
use super::{Shared, ViewerInfo};

/// How many messages a viewer's queue holds.
pub(crate) const QUEUE_MESSAGES: usize = 32;
/// How many bytes may wait in a viewer's queue; at least one snapshot
/// always fits, however large.
const QUEUE_BYTES: usize = 16 * 1024 * 1024;
/// Requests per second a viewer may send, and the burst allowed.
const RATE_PER_S: f64 = 20.0;
const RATE_BURST: f64 = 60.0;
/// How many request ids are remembered per page for applying a resent
/// request once, and how many pages.
const REMEMBERED_REQS: usize = 512;
const REMEMBERED_CLIENTS: usize = 64;
/// How often the hub looks at lagging viewers when nothing else happens.
const TICK: Duration = Duration::from_millis(40);

/// A command from a viewer for the UI thread to run.
#[derive(Clone, Debug, PartialEq)]
pub struct RemoteRequest {
    pub viewer: u64,
    pub req: String,
    pub command: Command,
}

/// The sending end of a viewer's queue.
#[derive(Clone, Debug)]
pub(crate) struct Outbox {
    tx: tokio::sync::mpsc::Sender<Arc<str>>,
    bytes: Arc<AtomicUsize>,
}

/// The receiving end: queued messages, and the latest pointer.
pub(crate) struct Inbox {
    rx: tokio::sync::mpsc::Receiver<Arc<str>>,
    bytes: Arc<AtomicUsize>,
    pointer: Option<tokio::sync::watch::Receiver<Arc<str>>>,
}

/// A new viewer's queue, with the pointer to watch (the relay has none).
pub(crate) fn queue(pointer: Option<tokio::sync::watch::Receiver<Arc<str>>>) -> (Outbox, Inbox) {
    let (tx, rx) = tokio::sync::mpsc::channel(QUEUE_MESSAGES);
    let bytes = Arc::new(AtomicUsize::new(0));
    (
        Outbox {
            tx,
            bytes: Arc::clone(&bytes),
        },
        Inbox { rx, bytes, pointer },
    )
}

impl Outbox {
    /// Queues a message unless the queue is full (by count or bytes).
    pub fn offer(&self, text: &Arc<str>) -> bool {
        let queued = self.bytes.load(Ordering::Acquire);
        let empty = queued == 0 && self.tx.capacity() == self.tx.max_capacity();
        if !empty && queued + text.len() > QUEUE_BYTES {
            return false;
        }
        if self.tx.try_send(Arc::clone(text)).is_err() {
            return false;
        }
        self.bytes.fetch_add(text.len(), Ordering::AcqRel);
        true
    }

    fn is_drained(&self) -> bool {
        self.bytes.load(Ordering::Acquire) == 0 && self.tx.capacity() == self.tx.max_capacity()
    }
}

impl Inbox {
    /// Nothing waits in the queue.
    pub fn is_drained(&self) -> bool {
        self.bytes.load(Ordering::Acquire) == 0 && self.rx.is_empty()
    }

    /// The next message to send: a queued one first, else a new pointer.
    /// `None` when the hub let go of the viewer.
    pub async fn next(&mut self) -> Option<Arc<str>> {
        tokio::select! {
            biased;
            message = self.rx.recv() => {
                let message = message?;
                self.bytes.fetch_sub(message.len(), Ordering::AcqRel);
                Some(message)
            }
            changed = async {
                match &mut self.pointer {
                    Some(pointer) => pointer.changed().await.map(|()| Arc::clone(&pointer.borrow_and_update())),
                    None => std::future::pending().await,
                }
            } => changed.ok(),
        }
    }
}

/// Something for the hub to do.
pub(crate) enum HubEvent {
    Log(Arc<LogEntry>),
    /// A full copy of the design (at the start, or after the copy was lost).
    Diagram {
        doc: u64,
        diagram: Box<Diagram>,
    },
    Interview(Box<InterviewState>),
    Pointer(Pointer),
    Join {
        viewer: u64,
        role: Role,
        via_relay: bool,
        out: Outbox,
    },
    Leave {
        viewer: u64,
    },
    /// A text message from a viewer, not read yet.
    Text {
        viewer: u64,
        text: String,
    },
    /// A viewer lost messages on the way (at the relay) and has caught up
    /// with what it did get: it needs a snapshot.
    Lagged {
        viewer: u64,
    },
    /// A message that was refused before it reached the hub.
    Refused {
        viewer: u64,
        error: ProtocolError,
    },
    /// The host changes what a viewer may do.
    Grant {
        viewer: u64,
        role: Role,
    },
    /// The scorecard changed (from the host's scorer).
    Scorecard(Box<Option<super::protocol::ScorecardInfo>>),
    /// The UI thread ran a viewer's request.
    Reply {
        viewer: u64,
        req: String,
        result: Result<(), String>,
    },
    Stop,
}

struct Viewer {
    role: Role,
    name: String,
    client: String,
    via_relay: bool,
    out: Outbox,
    /// Nothing more is queued until a fresh snapshot fits.
    needs_snapshot: bool,
    tokens: f64,
    refilled: Instant,
}

impl Viewer {
    fn allow(&mut self, now: Instant) -> bool {
        let dt = now.duration_since(self.refilled).as_secs_f64();
        self.refilled = now;
        self.tokens = (self.tokens + dt * RATE_PER_S).min(RATE_BURST);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

pub(crate) struct Hub {
    events: Receiver<HubEvent>,
    requests: std::sync::mpsc::Sender<RemoteRequest>,
    shared: Arc<Shared>,
    /// The hub's copy of the design: (document identity, diagram).
    mirror: Option<(u64, Diagram)>,
    /// The board the viewers have (once there is a design).
    board: Option<LiveBoard>,
    /// The board as a snapshot sends it, made when a snapshot is wanted.
    board_json: Option<String>,
    interview: InterviewState,
    interview_json: String,
    pointer_json: Arc<str>,
    seq: u64,
    viewers: BTreeMap<u64, Viewer>,
    /// Request ids already passed on, by page (client id), oldest first.
    seen: VecDeque<(String, VecDeque<String>)>,
    /// The latest `scorecard` message, for viewers who may rate.
    scorecard: Scorecard,
}

impl Hub {
    pub fn new(
        events: Receiver<HubEvent>,
        requests: std::sync::mpsc::Sender<RemoteRequest>,
        shared: Arc<Shared>,
    ) -> Self {
        Self {
            events,
            requests,
            shared,
            mirror: None,
            board: None,
            board_json: None,
            interview: InterviewState::default(),
            interview_json: String::from("null"),
            pointer_json: Arc::from(json_or_null(&Pointer::default())),
            seq: 0,
            viewers: BTreeMap::new(),
            seen: VecDeque::new(),
            scorecard: Scorecard::new(),
        }
    }

    /// Runs until [`HubEvent::Stop`] or until every sender is gone.
    pub fn run(mut self) {
        loop {
            let first = match self.events.recv_timeout(TICK) {
                Ok(event) => Some(event),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            };
            let mut dirty = Dirty::default();
            let mut stop = false;
            // Everything that is waiting, so a burst of changes costs one render.
            let mut next = first;
            while let Some(event) = next.take() {
                if matches!(event, HubEvent::Stop) {
                    stop = true;
                    break;
                }
                self.handle(event, &mut dirty);
                next = self.events.try_recv().ok();
            }
            if stop {
                break;
            }
            self.publish(dirty);
            self.catch_up_laggers();
        }
        self.viewers.clear();
        self.publish_viewers();
    }

    fn handle(&mut self, event: HubEvent, dirty: &mut Dirty) {
        match event {
            HubEvent::Log(entry) => self.follow_log(&entry, dirty),
            HubEvent::Diagram { doc, diagram } => {
                self.mirror = Some((doc, *diagram));
                dirty.board = true;
            }
            HubEvent::Interview(state) => {
                if state.step != self.interview.step {
                    dirty.board = true;
                }
                self.interview = *state;
                dirty.interview = true;
            }
            HubEvent::Pointer(pointer) => {
                self.pointer_json = Arc::from(json_or_null(&pointer));
                let message: Arc<str> = Arc::from(tagged("pointer", &self.pointer_json));
                self.shared.pointer.send_replace(message);
            }
            HubEvent::Join {
                viewer,
                role,
                via_relay,
                out,
            } => {
                let name = format!("{} {viewer}", capitalised(role.label()));
                let welcome = welcome_json(viewer, role, &name);
                out.offer(&welcome);
                self.viewers.insert(
                    viewer,
                    Viewer {
                        role,
                        name,
                        client: format!("viewer-{viewer}"),
                        via_relay,
                        out,
                        needs_snapshot: true,
                        tokens: RATE_BURST,
                        refilled: Instant::now(),
                    },
                );
                dirty.viewers = true;
            }
            HubEvent::Leave { viewer } => {
                self.viewers.remove(&viewer);
                dirty.viewers = true;
            }
            HubEvent::Text { viewer, text } => self.on_text(viewer, &text, dirty),
            HubEvent::Grant { viewer, role } => {
                if let Some(v) = self.viewers.get_mut(&viewer) {
                    v.role = role;
                    let welcome = welcome_json(viewer, role, &v.name);
                    v.out.offer(&welcome);
                    self.scorecard.after_grant(v);
                    dirty.viewers = true;
                }
            }
            HubEvent::Lagged { viewer } => {
                if let Some(v) = self.viewers.get_mut(&viewer) {
                    v.needs_snapshot = true;
                }
            }
            HubEvent::Refused { viewer, error } => self.send_error(viewer, &error.to_string()),
            HubEvent::Reply {
                viewer,
                req,
                result,
            } => {
                let reply = match result {
                    Ok(()) => serde_json::json!({"t": "reply", "req": req, "ok": true}),
                    Err(error) => {
                        serde_json::json!({"t": "reply", "req": req, "ok": false, "error": error})
                    }
                };
                self.send_direct(viewer, &reply.to_string());
            }
            HubEvent::Scorecard(card) => {
                self.scorecard.set(card.as_ref().as_ref());
                self.scorecard.send_to_raters(&mut self.viewers);
            }
            HubEvent::Stop => {}
        }
    }

    /// Brings the copy of the design up to date with one log entry.
    fn follow_log(&mut self, entry: &LogEntry, dirty: &mut Dirty) {
        match &entry.change {
            Change::None => {}
            Change::Replaced { diagram } => {
                self.mirror = Some((entry.document, (**diagram).clone()));
                dirty.board = true;
            }
            Change::Diagram { applied, .. } => {
                let applied_ok = match &mut self.mirror {
                    Some((doc, diagram)) if *doc == entry.document => {
                        applied.clone().apply(diagram).is_ok()
                    }
                    _ => false,
                };
                if applied_ok {
                    dirty.board = true;
                } else if self.mirror.is_some() {
                    // The copy no longer matches: ask the UI for the design.
                    self.mirror = None;
                    self.shared.need_diagram.store(true, Ordering::Release);
                    (self.shared.waker)();
                }
            }
        }
    }

    fn on_text(&mut self, id: u64, text: &str, dirty: &mut Dirty) {
        let now = Instant::now();
        let Some(viewer) = self.viewers.get_mut(&id) else {
            return;
        };
        if !viewer.allow(now) {
            self.send_error(id, &ProtocolError::RateLimited.to_string());
            return;
        }
        let msg = match parse_viewer_msg(text) {
            Ok(msg) => msg,
            Err(error) => {
                self.send_error(id, &error.to_string());
                return;
            }
        };
        match &msg {
            ViewerMsg::Hello { name, client } => {
                let fallback = format!("{} {id}", capitalised(viewer.role.label()));
                viewer.name = clean_name(name, &fallback);
                if super::token::is_well_formed(client) {
                    viewer.client.clone_from(client);
                }
                let welcome = welcome_json(id, viewer.role, &viewer.name);
                viewer.out.offer(&welcome);
                dirty.viewers = true;
                return;
            }
            ViewerMsg::Resync => {
                viewer.needs_snapshot = true;
                return;
            }
            _ => {}
        }
        let req = msg.req().unwrap_or_default().to_owned();
        if viewer.role != Role::Interviewer {
            let reply = serde_json::json!({"t": "reply", "req": req, "ok": false, "error": ProtocolError::ReadOnly.to_string()});
            self.send_direct(id, &reply.to_string());
            return;
        }
        let Some(command) = msg.command(&viewer.name) else {
            return;
        };
        let client = viewer.client.clone();
        if self.already_seen(&client, &req) {
            let reply = serde_json::json!({"t": "reply", "req": req, "ok": true});
            self.send_direct(id, &reply.to_string());
            return;
        }
        let request = RemoteRequest {
            viewer: id,
            req,
            command,
        };
        if self.requests.send(request).is_ok() {
            (self.shared.waker)();
        }
    }

    /// Remembers `(client, req)`; true when it was there already.
    fn already_seen(&mut self, client: &str, req: &str) -> bool {
        let at = self.seen.iter().position(|(c, _)| c == client);
        let mut entry = match at.and_then(|i| self.seen.remove(i)) {
            Some(entry) => entry,
            None => (client.to_owned(), VecDeque::new()),
        };
        let seen = entry.1.iter().any(|r| r == req);
        if !seen {
            entry.1.push_back(req.to_owned());
            if entry.1.len() > REMEMBERED_REQS {
                entry.1.pop_front();
            }
        }
        self.seen.push_back(entry);
        if self.seen.len() > REMEMBERED_CLIENTS {
            self.seen.pop_front();
        }
        seen
    }

    fn send_error(&mut self, viewer: u64, error: &str) {
        let message = serde_json::json!({"t": "error", "error": error});
        self.send_direct(viewer, &message.to_string());
    }

    /// A message for one viewer (dropped if its queue is full: a lagging
    /// viewer gets a snapshot, and the page sends unanswered requests again).
    fn send_direct(&mut self, viewer: u64, text: &str) {
        if let Some(v) = self.viewers.get(&viewer) {
            v.out.offer(&Arc::from(text));
        }
    }

    /// Sends what changed to every viewer that keeps up.
    fn publish(&mut self, dirty: Dirty) {
        if dirty.board
            && let Some((doc, diagram)) = &self.mirror
        {
            let step = self.interview.step;
            let delta = match &mut self.board {
                Some(board) => Some(board.update(*doc, diagram, step)),
                None => {
                    self.board = Some(LiveBoard::new(*doc, diagram, step));
                    None
                }
            };
            self.board_json = None;
            if let Some(delta) = delta.filter(|d| !d.is_empty()) {
                self.seq += 1;
                let message = format!(
                    "{{\"t\":\"delta\",\"seq\":{},\"board\":{}}}",
                    self.seq,
                    json_or_null(&delta)
                );
                self.broadcast(&Arc::from(message));
            }
        }
        if dirty.interview {
            self.interview_json = json_or_null(&self.interview);
            self.seq += 1;
            let message = format!(
                "{{\"t\":\"interview\",\"seq\":{},\"interview\":{}}}",
                self.seq, self.interview_json
            );
            self.broadcast(&Arc::from(message));
        }
        if dirty.viewers {
            self.publish_viewers();
        }
    }

    fn broadcast(&mut self, message: &Arc<str>) {
        for viewer in self.viewers.values_mut() {
            if viewer.needs_snapshot {
                continue;
            }
            if !viewer.out.offer(message) {
                viewer.needs_snapshot = true;
            }
        }
    }

    /// Sends a snapshot to each viewer that needs one and whose queue has
    /// room for it.
    fn catch_up_laggers(&mut self) {
        if self.mirror.is_none() {
            return;
        }
        let Some(board) = &self.board else {
            return;
        };
        if !self
            .viewers
            .values()
            .any(|v| v.needs_snapshot && v.out.is_drained())
        {
            return;
        }
        let board_json = self
            .board_json
            .get_or_insert_with(|| json_or_null(&board.snapshot()));
        if self.interview_json == "null" {
            self.interview_json = json_or_null(&self.interview);
        }
        let mut snapshot: Option<Arc<str>> = None;
        for viewer in self.viewers.values_mut() {
            if !viewer.needs_snapshot || !viewer.out.is_drained() {
                continue;
            }
            let message = snapshot.get_or_insert_with(|| {
                Arc::from(format!(
                    "{{\"t\":\"snapshot\",\"seq\":{},\"board\":{},\"interview\":{},\"pointer\":{}}}",
                    self.seq, board_json, self.interview_json, self.pointer_json
                ))
            });
            if viewer.out.offer(message) {
                viewer.needs_snapshot = false;
                self.scorecard.after_snapshot(viewer);
            }
        }
    }

    fn publish_viewers(&self) {
        let list: Vec<ViewerInfo> = self
            .viewers
            .iter()
            .map(|(&id, v)| ViewerInfo {
                id,
                name: v.name.clone(),
                role: v.role,
                via_relay: v.via_relay,
            })
            .collect();
        if let Ok(mut viewers) = self.shared.viewers.lock() {
            *viewers = list;
        }
        (self.shared.waker)();
    }
}

/// The scorecard part of the hub: who gets it, and when.
struct Scorecard {
    /// `{"t":"scorecard","scorecard":…}`.
    message: Arc<str>,
}

impl Scorecard {
    fn new() -> Self {
        Self {
            message: scorecard_json(None),
        }
    }

    fn set(&mut self, card: Option<&super::protocol::ScorecardInfo>) {
        self.message = scorecard_json(card);
    }

    /// Only viewers who may rate see the scorecard.
    fn is_for(viewer: &Viewer) -> bool {
        viewer.role == Role::Interviewer
    }

    /// A new score for every rater that keeps up (a lagging one gets it
    /// after its snapshot).
    fn send_to_raters(&self, viewers: &mut BTreeMap<u64, Viewer>) {
        for viewer in viewers.values_mut() {
            if Self::is_for(viewer) && !viewer.needs_snapshot && !viewer.out.offer(&self.message) {
                viewer.needs_snapshot = true;
            }
        }
    }

    /// A rater's fresh snapshot is followed by the scorecard.
    fn after_snapshot(&self, viewer: &mut Viewer) {
        if Self::is_for(viewer) && !viewer.out.offer(&self.message) {
            viewer.needs_snapshot = true;
        }
    }

    /// A viewer allowed to rate gets the scorecard; one no longer allowed
    /// has it taken away.
    fn after_grant(&self, viewer: &mut Viewer) {
        let message = if Self::is_for(viewer) {
            Arc::clone(&self.message)
        } else {
            scorecard_json(None)
        };
        if !viewer.needs_snapshot && !viewer.out.offer(&message) {
            viewer.needs_snapshot = true;
        }
    }
}

fn scorecard_json(card: Option<&super::protocol::ScorecardInfo>) -> Arc<str> {
    let message = super::protocol::HostMsg::Scorecard {
        scorecard: card.cloned(),
    };
    Arc::from(json_or_null(&message))
}

#[derive(Default)]
struct Dirty {
    board: bool,
    interview: bool,
    viewers: bool,
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn welcome_json(viewer: u64, role: Role, name: &str) -> Arc<str> {
    let message = serde_json::json!({"t": "welcome", "viewer": viewer, "role": role, "name": name});
    Arc::from(message.to_string())
}

fn tagged(tag: &str, body_json: &str) -> String {
    // `{"t":"pointer","laser":…}`: the body's fields after the tag.
    let fields = body_json
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .unwrap_or("");
    if fields.is_empty() {
        format!("{{\"t\":\"{tag}\"}}")
    } else {
        format!("{{\"t\":\"{tag}\",{fields}}}")
    }
}

fn json_or_null<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| String::from("null"))
}

/// The board as the viewers have it, kept up to date piece by piece.
struct LiveBoard {
    doc: u64,
    drawer: Redrawer,
    cards: Vec<CardInfo>,
    probes: Vec<ProbeInfo>,
}

/// A snapshot's board (the owned form is `protocol::Board`).
#[derive(serde::Serialize)]
struct BoardRef<'a> {
    doc: u64,
    drawing: &'a Drawing,
    cards: &'a [CardInfo],
    probes: &'a [ProbeInfo],
}

impl LiveBoard {
    fn new(doc: u64, diagram: &Diagram, step: Option<usize>) -> Self {
        let findings = rules::check(diagram);
        let mut drawer = Redrawer::new();
        drawer.update_with_findings(diagram, &live_options(diagram, step), &findings);
        Self {
            doc,
            drawer,
            cards: cards(diagram, step),
            probes: probe_infos(diagram, &findings),
        }
    }

    /// Brings the board up to date and says what changed.
    fn update(&mut self, doc: u64, diagram: &Diagram, step: Option<usize>) -> BoardDelta {
        // The findings once, for the badges and the probes; the drawing on
        // this thread while the probes and cards are made on another.
        let findings = rules::check(diagram);
        let options = live_options(diagram, step);
        let Self {
            drawer,
            cards: old_cards,
            probes: old_probes,
            ..
        } = self;
        let (changes, (cards, probes, cards_delta, probes_delta)) = std::thread::scope(|scope| {
            let lists = scope.spawn(|| {
                let cards = cards(diagram, step);
                let probes = probe_infos(diagram, &findings);
                let cards_delta = ListDelta::between(old_cards, &cards, |c| c.id);
                let probes_delta = ListDelta::between(old_probes, &probes, |p| p.key.clone());
                (cards, probes, cards_delta, probes_delta)
            });
            let changes = drawer.update_with_findings(diagram, &options, &findings);
            let lists = match lists.join() {
                Ok(lists) => lists,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            (changes, lists)
        });
        let delta = BoardDelta {
            doc: (doc != self.doc).then_some(doc),
            drawing: DrawingDelta::of(changes, self.drawer.drawing()),
            cards: cards_delta,
            probes: probes_delta,
        };
        self.doc = doc;
        self.cards = cards;
        self.probes = probes;
        delta
    }

    fn snapshot(&self) -> BoardRef<'_> {
        BoardRef {
            doc: self.doc,
            drawing: self.drawer.drawing(),
            cards: &self.cards,
            probes: &self.probes,
        }
    }
}

/// How the board draws `diagram`: as present mode shows it at `step`,
/// with finding badges.
fn live_options(diagram: &Diagram, step: Option<usize>) -> SvgOptions {
    let scope = match step {
        Some(step) if !diagram.steps.is_empty() => Scope::Step(step),
        _ => Scope::All,
    };
    SvgOptions {
        scope,
        findings: true,
        ..SvgOptions::default()
    }
}

/// The cards shown at `step`.
fn cards(diagram: &Diagram, step: Option<usize>) -> Vec<CardInfo> {
    let shown = match step {
        Some(step) => export::revealed(diagram, step),
        None => None,
    };
    diagram
        .components
        .iter()
        .filter(|c| shown.as_ref().is_none_or(|s| s.contains(&c.id)))
        .map(|c| CardInfo {
            id: c.id.0,
            name: c.name.clone(),
            kind: c.kind.name().to_owned(),
            rect: rect4(c.rect()),
        })
        .collect()
}

fn probe_infos(diagram: &Diagram, findings: &[rules::Finding]) -> Vec<ProbeInfo> {
    probes_from(diagram, findings)
        .into_iter()
        .map(|p| ProbeInfo {
            rule: match p.source {
                ProbeSource::Finding { rule_id, .. } => rule_id.to_owned(),
                _ => String::new(),
            },
            key: p.key,
            subject: p.subject_name,
            question: p.question,
            hint: p.hint,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::protocol::Board;

    #[test]
    fn a_snapshot_board_reads_back_as_the_protocol_board() {
        let d = crate::templates::example::example_design();
        let board = LiveBoard::new(7, &d, None);
        let json = json_or_null(&board.snapshot());
        let back: Board = serde_json::from_str(&json).unwrap();
        assert_eq!(back.doc, 7);
        assert_eq!(
            back.drawing.to_svg(),
            export::svg(&d, &live_options(&d, None))
        );
        assert_eq!(back.cards.len(), d.components.len());
        assert_eq!(back.probes, probe_infos(&d, &rules::check(&d)));
    }

    #[test]
    fn an_unchanged_design_gives_an_empty_delta_and_a_rename_a_small_one() {
        let mut d = crate::templates::example::example_design();
        let mut board = LiveBoard::new(1, &d, None);
        assert!(board.update(1, &d, None).is_empty());
        let id = d.components[0].id;
        d.components[0].name = "Renamed".to_owned();
        let delta = board.update(1, &d, None);
        let cards = delta.drawing.layers.get(&export::Layer::Cards).unwrap();
        assert_eq!(cards.put.len(), 1);
        assert_eq!(cards.put[0].id, id.0);
        assert_eq!(delta.cards.unwrap().put[0].name, "Renamed");
        assert!(delta.doc.is_none() && delta.drawing.frame.is_none());
    }
}
