//! The relay (`archboard relay --listen ADDR:PORT`) and the host's link to
//! it, for a candidate behind NAT: the host connects out to the relay,
//! viewers open the relay's link, and the relay passes text between them.
//!
//! A room exists while its host is connected; it is known by an
//! unguessable id and claimed with a secret, so nobody else can take it
//! over. The host tells the relay the room's two viewer tokens, and the
//! relay checks them on every request (page, assets, socket) as the host's
//! own server does. Nothing is stored: rooms live in memory and end with
//! their host's connection. Limits: rooms, viewers per room, message size
//! and rate per viewer; a viewer that does not keep up (its queue is
//! bounded like the host's, by messages and bytes) loses messages,
//! sees a gap in the sequence numbers and asks the host for a snapshot.
//!
//! Relay protocol, host side (JSON text):
//! - host → relay: `open {room, secret, tokens: {interviewer, observer}}`
//!   once, then `send {viewer, text}` and `close {viewer}`;
//! - relay → host: `opened`, or `error {error}` and the socket closes;
//!   then `join {viewer, role}`, `msg {viewer, text}`, `leave {viewer}`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use futures_util::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite;

use super::assets;
use super::hub::{HubEvent, Inbox, Outbox};
use super::protocol::{MAX_VIEWER_MESSAGE_BYTES, Role};
use super::server::{PING_EVERY, keep_alive, send_json};
use super::{Shared, Slot, Tokens, token};

/// What one relay allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelayLimits {
    pub max_rooms: usize,
    pub max_viewers_per_room: usize,
    /// The largest message from a host (a board of thousands of cards is
    /// several megabytes).
    pub max_host_message_bytes: usize,
    /// Messages per second a viewer may send, and the burst allowed.
    pub viewer_rate_per_s: u32,
    pub viewer_burst: u32,
}

impl Default for RelayLimits {
    fn default() -> Self {
        Self {
            max_rooms: 64,
            max_viewers_per_room: 16,
            max_host_message_bytes: 64 * 1024 * 1024,
            viewer_rate_per_s: 20,
            viewer_burst: 60,
        }
    }
}

/// Messages waiting for a host at the relay.
const HOST_QUEUE: usize = 1024;
/// How long a new host connection has to open its room.
const OPEN_WITHIN: Duration = Duration::from_secs(10);

/// Relay to host.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ToHost {
    Opened,
    Error {
        error: String,
    },
    Join {
        viewer: u64,
        role: Role,
    },
    Msg {
        viewer: u64,
        text: String,
    },
    Leave {
        viewer: u64,
    },
    /// The relay dropped messages for the viewer (it did not keep up) and
    /// has now sent it everything it kept: it needs a snapshot.
    Lagged {
        viewer: u64,
    },
}

/// Host to relay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum FromHost {
    Open {
        room: String,
        secret: String,
        tokens: RoomTokens,
    },
    Send {
        viewer: u64,
        text: String,
    },
    Close {
        viewer: u64,
    },
}

/// A room's viewer tokens, as the host hands them to the relay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomTokens {
    pub interviewer: String,
    pub observer: String,
}

// ---------------------------------------------------------------- the relay

struct Room {
    secret: String,
    tokens: Tokens,
    /// Which host connection owns the room (a reconnect replaces it).
    generation: u64,
    to_host: mpsc::Sender<ToHost>,
    /// Each viewer's queue, and whether something was dropped from it.
    viewers: HashMap<u64, (Outbox, Arc<AtomicBool>)>,
}

#[derive(Default)]
struct Rooms {
    rooms: HashMap<String, Room>,
    next_viewer: u64,
    next_generation: u64,
}

#[derive(Clone)]
struct RelayState {
    rooms: Arc<Mutex<Rooms>>,
    limits: RelayLimits,
    shutdown: watch::Receiver<bool>,
}

/// The relay's routes.
fn relay_router(limits: RelayLimits, shutdown: watch::Receiver<bool>) -> Router {
    let state = RelayState {
        rooms: Arc::new(Mutex::new(Rooms::default())),
        limits,
        shutdown,
    };
    Router::new()
        .route("/host", get(host_socket))
        .route("/r/{room}/{token}", get(relay_folder))
        .route("/r/{room}/{token}/", get(relay_page))
        .route("/r/{room}/{token}/ws", get(viewer_socket))
        .route("/r/{room}/{token}/{file}", get(relay_file))
        .fallback(|| async { assets::not_found() })
        .with_state(state)
}

impl RelayState {
    fn role_of(&self, room: &str, token: &str) -> Option<Role> {
        let rooms = self.rooms.lock().ok()?;
        rooms.rooms.get(room)?.tokens.role_of(token)
    }
}

async fn relay_folder(
    State(state): State<RelayState>,
    Path((room, token)): Path<(String, String)>,
) -> Response {
    match state.role_of(&room, &token) {
        Some(_) => assets::to_folder(&format!("/r/{room}/{token}")),
        None => assets::not_found(),
    }
}

async fn relay_page(
    State(state): State<RelayState>,
    Path((room, token)): Path<(String, String)>,
) -> Response {
    match state.role_of(&room, &token) {
        Some(_) => assets::serve("index.html"),
        None => assets::not_found(),
    }
}

async fn relay_file(
    State(state): State<RelayState>,
    Path((room, token, file)): Path<(String, String, String)>,
) -> Response {
    match state.role_of(&room, &token) {
        Some(_) => assets::serve(&file),
        None => assets::not_found(),
    }
}

async fn host_socket(State(state): State<RelayState>, ws: WebSocketUpgrade) -> Response {
    let max = state.limits.max_host_message_bytes;
    ws.max_message_size(max)
        .max_frame_size(max)
        .on_upgrade(move |socket| serve_host(socket, state))
}

/// Reads the host's `open`, checks it, and makes or takes over the room.
fn open_room(
    state: &RelayState,
    text: &str,
    to_host: mpsc::Sender<ToHost>,
) -> Result<(String, u64), String> {
    let Ok(FromHost::Open {
        room,
        secret,
        tokens,
    }) = serde_json::from_str::<FromHost>(text)
    else {
        return Err("the first message must open a room".to_owned());
    };
    let well_formed = [&room, &secret, &tokens.interviewer, &tokens.observer]
        .iter()
        .all(|t| token::is_well_formed(t));
    if !well_formed || tokens.interviewer == tokens.observer {
        return Err("the room id, secret and tokens must be 16 to 64 letters, digits, - or _, and the tokens different".to_owned());
    }
    let mut rooms = state
        .rooms
        .lock()
        .map_err(|_| "the relay is shutting down".to_owned())?;
    let rooms = &mut *rooms;
    match rooms.rooms.get(&room) {
        Some(existing) if !token::same(&existing.secret, &secret) => {
            return Err("that room belongs to another host".to_owned());
        }
        None if rooms.rooms.len() >= state.limits.max_rooms => {
            return Err("the relay holds as many rooms as it accepts".to_owned());
        }
        _ => {}
    }
    rooms.next_generation += 1;
    let generation = rooms.next_generation;
    // A reconnecting host takes the room over; its old viewers are dropped
    // (their pages reconnect).
    rooms.rooms.insert(
        room.clone(),
        Room {
            secret,
            tokens: Tokens {
                interviewer: tokens.interviewer,
                observer: tokens.observer,
            },
            generation,
            to_host,
            viewers: HashMap::new(),
        },
    );
    Ok((room, generation))
}

async fn serve_host(socket: WebSocket, state: RelayState) {
    let (mut sink, mut stream) = socket.split();
    let (to_host, mut from_room) = mpsc::channel::<ToHost>(HOST_QUEUE);
    let first = tokio::time::timeout(OPEN_WITHIN, stream.next()).await;
    let opened = match first {
        Ok(Some(Ok(Message::Text(text)))) => open_room(&state, text.as_str(), to_host),
        _ => Err("the first message must open a room".to_owned()),
    };
    let (room, generation) = match opened {
        Ok(opened) => opened,
        Err(error) => {
            let reply = serde_json::to_string(&ToHost::Error { error }).unwrap_or_default();
            if sink.send(Message::Text(reply.into())).await.is_ok()
                && sink.send(Message::Close(None)).await.is_err()
            {
                // Gone already.
            }
            return;
        }
    };
    let mut shutdown = state.shutdown.clone();
    let opened = serde_json::to_string(&ToHost::Opened).unwrap_or_default();
    let mut alive = sink.send(Message::Text(opened.into())).await.is_ok();
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut heard = tokio::time::Instant::now();
    while alive {
        tokio::select! {
            event = from_room.recv() => {
                let Some(event) = event else { break };
                let text = serde_json::to_string(&event).unwrap_or_default();
                alive = sink.send(Message::Text(text.into())).await.is_ok();
            }
            incoming = stream.next() => {
                heard = tokio::time::Instant::now();
                match incoming {
                    Some(Ok(Message::Text(text))) => host_said(&state, &room, generation, text.as_str()),
                    Some(Ok(Message::Binary(_) | Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                }
            }
            _ = ping.tick() => alive = keep_alive(&mut sink, heard).await,
            _ = shutdown.changed() => break,
        }
    }
    if let Ok(mut rooms) = state.rooms.lock()
        && rooms
            .rooms
            .get(&room)
            .is_some_and(|r| r.generation == generation)
    {
        // Dropping the room drops its viewers' queues: their sockets close.
        rooms.rooms.remove(&room);
    }
}

/// One message from a room's host.
fn host_said(state: &RelayState, room: &str, generation: u64, text: &str) {
    let Ok(message) = serde_json::from_str::<FromHost>(text) else {
        return;
    };
    let Ok(mut rooms) = state.rooms.lock() else {
        return;
    };
    let Some(room) = rooms
        .rooms
        .get_mut(room)
        .filter(|r| r.generation == generation)
    else {
        return;
    };
    match message {
        FromHost::Send { viewer, text } => {
            if let Some((queue, dropped)) = room.viewers.get(&viewer)
                && !queue.offer(&Arc::from(text))
            {
                // Full: once the viewer has read what is queued, the host
                // is told to send it a snapshot.
                dropped.store(true, Ordering::Release);
            }
        }
        FromHost::Close { viewer } => {
            room.viewers.remove(&viewer);
        }
        FromHost::Open { .. } => {}
    }
}

async fn viewer_socket(
    State(state): State<RelayState>,
    Path((room, token)): Path<(String, String)>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let Some(role) = state.role_of(&room, &token) else {
        return assets::not_found();
    };
    if !assets::same_origin(&headers) {
        return assets::plain(StatusCode::FORBIDDEN, "the page's origin is not this host");
    }
    let (queue, inbox) = super::hub::queue(None);
    let dropped = Arc::new(AtomicBool::new(false));
    let joined = {
        let Ok(mut rooms) = state.rooms.lock() else {
            return assets::not_found();
        };
        let rooms = &mut *rooms;
        let Some(entry) = rooms.rooms.get_mut(&room) else {
            return assets::not_found();
        };
        if entry.viewers.len() >= state.limits.max_viewers_per_room {
            return assets::plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "this session has as many viewers as it accepts",
            );
        }
        rooms.next_viewer += 1;
        let viewer = rooms.next_viewer;
        entry.viewers.insert(viewer, (queue, Arc::clone(&dropped)));
        if entry
            .to_host
            .try_send(ToHost::Join { viewer, role })
            .is_err()
        {
            entry.viewers.remove(&viewer);
            return assets::plain(StatusCode::SERVICE_UNAVAILABLE, "the host is busy");
        }
        (viewer, entry.to_host.clone(), dropped)
    };
    let limits = state.limits;
    let shutdown = state.shutdown.clone();
    ws.max_message_size(MAX_VIEWER_MESSAGE_BYTES)
        .max_frame_size(MAX_VIEWER_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            let (viewer, to_host, dropped) = joined;
            let link = ViewerLink {
                to_host: &to_host,
                viewer,
                dropped: &dropped,
            };
            relay_viewer(socket, inbox, &link, limits, shutdown).await;
            if to_host.try_send(ToHost::Leave { viewer }).is_err() {
                // The host is gone or stuck; its room ends with it.
            }
            if let Ok(mut rooms) = state.rooms.lock()
                && let Some(room) = rooms.rooms.get_mut(&room)
            {
                room.viewers.remove(&viewer);
            }
        })
}

/// One relay viewer's way to its host.
struct ViewerLink<'a> {
    to_host: &'a mpsc::Sender<ToHost>,
    viewer: u64,
    dropped: &'a AtomicBool,
}

/// Passes one viewer's messages to and from its host.
async fn relay_viewer(
    socket: WebSocket,
    mut inbox: Inbox,
    link: &ViewerLink<'_>,
    limits: RelayLimits,
    mut shutdown: watch::Receiver<bool>,
) {
    let (to_host, viewer) = (link.to_host, link.viewer);
    let (mut sink, mut stream) = socket.split();
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut heard = tokio::time::Instant::now();
    let rate = f64::from(limits.viewer_rate_per_s);
    let burst = f64::from(limits.viewer_burst);
    let mut tokens = burst;
    let mut refilled = tokio::time::Instant::now();
    loop {
        tokio::select! {
            out = inbox.next() => {
                let Some(text) = out else { break };
                if sink.send(Message::Text(text.as_ref().into())).await.is_err() {
                    break;
                }
                if inbox.is_drained()
                    && link.dropped.swap(false, Ordering::AcqRel)
                    && to_host.try_send(ToHost::Lagged { viewer }).is_err()
                {
                    // The host is stuck; the viewer's own gap check asks later.
                    link.dropped.store(true, Ordering::Release);
                }
            }
            incoming = stream.next() => {
                heard = tokio::time::Instant::now();
                match incoming {
                    Some(Ok(Message::Text(text))) => {
                        let now = tokio::time::Instant::now();
                        tokens = (tokens + now.duration_since(refilled).as_secs_f64() * rate).min(burst);
                        refilled = now;
                        if tokens < 1.0 {
                            let error = serde_json::json!({"t": "error", "error": "too many messages: slow down"});
                            if !send_json(&mut sink, &error).await {
                                break;
                            }
                            continue;
                        }
                        tokens -= 1.0;
                        let message = ToHost::Msg { viewer, text: text.as_str().to_owned() };
                        if to_host.try_send(message).is_err() {
                            let error = serde_json::json!({"t": "error", "error": "the host is busy; try again"});
                            if !send_json(&mut sink, &error).await {
                                break;
                            }
                        }
                    }
                    Some(Ok(Message::Binary(_))) => {
                        let error = serde_json::json!({"t": "error", "error": "messages must be text"});
                        if !send_json(&mut sink, &error).await {
                            break;
                        }
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                }
            }
            _ = ping.tick() => {
                if !keep_alive(&mut sink, heard).await {
                    break;
                }
            }
            _ = shutdown.changed() => break,
        }
    }
}

/// A running relay (tests and `archboard relay`). Dropping it stops it.
pub struct Relay {
    runtime: Option<tokio::runtime::Runtime>,
    shutdown: watch::Sender<bool>,
    addr: SocketAddr,
}

impl Relay {
    /// Starts a relay listening on `addr`.
    pub fn start(addr: SocketAddr, limits: RelayLimits) -> Result<Self, super::LiveError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("archboard-relay")
            .enable_all()
            .build()
            .map_err(super::LiveError::Runtime)?;
        let listener = std::net::TcpListener::bind(addr)
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|source| super::LiveError::Listen { addr, source })?;
        let bound = listener
            .local_addr()
            .map_err(|source| super::LiveError::Listen { addr, source })?;
        let (shutdown, shutdown_rx) = watch::channel(false);
        let _guard = runtime.enter();
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|source| super::LiveError::Listen { addr, source })?;
        let app = relay_router(limits, shutdown_rx.clone());
        let mut stop = shutdown_rx;
        runtime.spawn(async move {
            use axum::serve::ListenerExt;
            let listener = listener.tap_io(|tcp| tcp.set_nodelay(true).unwrap_or(()));
            let serving = axum::serve(listener, app).with_graceful_shutdown(async move {
                stop.changed().await.unwrap_or(());
            });
            if serving.await.is_err() {
                // The listener failed; `archboard relay` notices nothing
                // more to do and the process ends with its runtime.
            }
        });
        Ok(Self {
            runtime: Some(runtime),
            shutdown,
            addr: bound,
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
        if let Some(runtime) = self.runtime.take() {
            std::thread::sleep(Duration::from_millis(20));
            runtime.shutdown_timeout(Duration::from_millis(500));
        }
    }
}

// ------------------------------------------------------------- the host side

/// A relay address that does not work.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RelayUrlError {
    #[error(
        "the relay address must look like http://host:port (got {0:?}); https relays are not supported by this build, use an SSH tunnel"
    )]
    Malformed(String),
}

/// Where a relay is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelayTarget {
    /// `host:port`.
    authority: String,
}

impl RelayTarget {
    /// Reads `http://host:port` (or plain `host:port`).
    pub fn parse(url: &str) -> Result<Self, RelayUrlError> {
        let bad = || RelayUrlError::Malformed(url.chars().take(80).collect());
        let rest = url.strip_prefix("http://").unwrap_or(url);
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        let fine = !authority.is_empty()
            && !authority.contains("://")
            && authority.bytes().all(|b| {
                b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']')
            })
            && authority
                .rsplit_once(':')
                .is_some_and(|(_, port)| port.parse::<u16>().is_ok());
        if !fine {
            return Err(bad());
        }
        Ok(Self {
            authority: authority.to_owned(),
        })
    }

    fn host_socket_url(&self) -> String {
        format!("ws://{}/host", self.authority)
    }

    /// The link a viewer opens.
    pub fn viewer_url(&self, room: &str, token: &str) -> String {
        format!("http://{}/r/{room}/{token}/", self.authority)
    }
}

/// How the host's link to the relay is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkStatus {
    Connecting,
    Connected,
    /// The relay said no (another host has the room, too many rooms).
    Refused(String),
    /// The connection dropped or could not be made; it is retried.
    Lost(String),
}

/// The host's side: connects out to the relay, opens the room, and treats
/// each relay viewer as a viewer of its own. Reconnects (with a growing
/// pause) until the host stops.
pub(crate) async fn host_link(
    target: RelayTarget,
    room: String,
    secret: String,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
    status: Arc<Mutex<LinkStatus>>,
) {
    let set = |s: LinkStatus| {
        if let Ok(mut status) = status.lock() {
            *status = s;
        }
        (shared.waker)();
    };
    let mut pause = Duration::from_millis(250);
    while !*shutdown.borrow() {
        set(LinkStatus::Connecting);
        let ended = tokio::select! {
            ended = one_link(&target, &room, &secret, &shared, &set) => ended,
            _ = shutdown.changed() => break,
        };
        match ended {
            LinkEnd::Refused(reason) => {
                set(LinkStatus::Refused(reason));
                break;
            }
            LinkEnd::Lost(reason) => set(LinkStatus::Lost(reason)),
            LinkEnd::WasUp(reason) => {
                set(LinkStatus::Lost(reason));
                pause = Duration::from_millis(250);
            }
        }
        tokio::select! {
            () = tokio::time::sleep(pause) => {}
            _ = shutdown.changed() => break,
        }
        pause = (pause * 2).min(Duration::from_secs(10));
    }
}

enum LinkEnd {
    Refused(String),
    Lost(String),
    /// The link worked for a while and then dropped.
    WasUp(String),
}

async fn one_link(
    target: &RelayTarget,
    room: &str,
    secret: &str,
    shared: &Arc<Shared>,
    set: &impl Fn(LinkStatus),
) -> LinkEnd {
    let connected = tokio_tungstenite::connect_async_with_config(
        target.host_socket_url(),
        Some(tungstenite::protocol::WebSocketConfig::default().max_message_size(Some(1 << 20))),
        true,
    )
    .await;
    let (socket, _) = match connected {
        Ok(connected) => connected,
        Err(err) => return LinkEnd::Lost(err.to_string()),
    };
    let (mut sink, mut stream) = socket.split();
    let open = FromHost::Open {
        room: room.to_owned(),
        secret: secret.to_owned(),
        tokens: RoomTokens {
            interviewer: shared.tokens.interviewer.clone(),
            observer: shared.tokens.observer.clone(),
        },
    };
    let open = serde_json::to_string(&open).unwrap_or_default();
    if let Err(err) = sink.send(tungstenite::Message::Text(open.into())).await {
        return LinkEnd::Lost(err.to_string());
    }
    match stream.next().await {
        Some(Ok(tungstenite::Message::Text(text))) => {
            match serde_json::from_str::<ToHost>(text.as_str()) {
                Ok(ToHost::Opened) => {}
                Ok(ToHost::Error { error }) => return LinkEnd::Refused(error),
                _ => return LinkEnd::Refused("the relay answered something else".to_owned()),
            }
        }
        _ => return LinkEnd::Lost("the relay closed the connection".to_owned()),
    }
    set(LinkStatus::Connected);

    // Everything for the relay goes through one bounded queue.
    let (out_tx, mut out_rx) = mpsc::channel::<FromHost>(256);
    let writer = async {
        while let Some(message) = out_rx.recv().await {
            let text = serde_json::to_string(&message).unwrap_or_default();
            if sink
                .send(tungstenite::Message::Text(text.into()))
                .await
                .is_err()
            {
                break;
            }
        }
    };
    let reader = async {
        let mut viewers: HashMap<u64, (Slot, tokio::task::JoinHandle<()>)> = HashMap::new();
        let mut reason = "the relay closed the connection".to_owned();
        while let Some(incoming) = stream.next().await {
            let text = match incoming {
                Ok(tungstenite::Message::Text(text)) => text,
                Ok(tungstenite::Message::Close(_)) => break,
                Ok(_) => continue,
                Err(err) => {
                    reason = err.to_string();
                    break;
                }
            };
            match serde_json::from_str::<ToHost>(text.as_str()) {
                Ok(ToHost::Join { viewer, role }) => {
                    let Some(slot) = shared.claim_slot() else {
                        if out_tx.try_send(FromHost::Close { viewer }).is_err() {
                            // The relay link is stuck; it will drop.
                        }
                        continue;
                    };
                    let inbox = shared.join(&slot, role, true);
                    let forward = tokio::spawn(forward_to_relay(inbox, viewer, out_tx.clone()));
                    viewers.insert(viewer, (slot, forward));
                }
                Ok(ToHost::Msg { viewer, text }) => {
                    if let Some((slot, _)) = viewers.get(&viewer) {
                        shared.tell(HubEvent::Text {
                            viewer: slot.viewer,
                            text,
                        });
                    }
                }
                Ok(ToHost::Lagged { viewer }) => {
                    if let Some((slot, _)) = viewers.get(&viewer) {
                        shared.tell(HubEvent::Lagged {
                            viewer: slot.viewer,
                        });
                    }
                }
                Ok(ToHost::Leave { viewer }) => {
                    if let Some((_slot, forward)) = viewers.remove(&viewer) {
                        forward.abort();
                    }
                }
                Ok(ToHost::Opened | ToHost::Error { .. }) | Err(_) => {}
            }
        }
        for (_, (_slot, forward)) in viewers.drain() {
            forward.abort();
        }
        reason
    };
    tokio::select! {
        reason = reader => LinkEnd::WasUp(reason),
        () = writer => LinkEnd::WasUp("the relay stopped reading".to_owned()),
    }
}

/// Moves one relay viewer's queue into the link's queue.
async fn forward_to_relay(mut inbox: Inbox, viewer: u64, out: mpsc::Sender<FromHost>) {
    while let Some(text) = inbox.next().await {
        let message = FromHost::Send {
            viewer,
            text: text.as_ref().to_owned(),
        };
        if out.send(message).await.is_err() {
            break;
        }
    }
    if out.try_send(FromHost::Close { viewer }).is_err() {
        // The link is gone; the relay drops the viewer with it.
    }
}
