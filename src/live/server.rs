//! The host's own HTTP and WebSocket server (axum): the page under
//! `/s/<token>/`, its socket at `/s/<token>/ws`. Every other path, and every
//! path with a wrong token, is "not found".

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::watch;

use super::assets;
use super::hub::{HubEvent, Inbox};
use super::protocol::{MAX_VIEWER_MESSAGE_BYTES, ProtocolError};
use super::{Shared, Slot};

/// How often an idle socket is pinged, and how long a silent one lives.
pub(crate) const PING_EVERY: Duration = Duration::from_secs(15);
pub(crate) const SILENT_FOR: Duration = Duration::from_secs(45);

#[derive(Clone)]
struct AppState {
    shared: Arc<Shared>,
    shutdown: watch::Receiver<bool>,
}

/// The routes of the host's server.
pub(crate) fn router(shared: Arc<Shared>, shutdown: watch::Receiver<bool>) -> Router {
    Router::new()
        .route("/s/{token}", get(folder))
        .route("/s/{token}/", get(page))
        .route("/s/{token}/ws", get(socket))
        .route("/s/{token}/{file}", get(file))
        .fallback(|| async { assets::not_found() })
        .with_state(AppState { shared, shutdown })
}

async fn folder(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match state.shared.tokens.role_of(&token) {
        Some(_) => assets::to_folder(&format!("/s/{token}")),
        None => assets::not_found(),
    }
}

async fn page(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match state.shared.tokens.role_of(&token) {
        Some(_) => assets::serve("index.html"),
        None => assets::not_found(),
    }
}

async fn file(
    State(state): State<AppState>,
    Path((token, file)): Path<(String, String)>,
) -> Response {
    match state.shared.tokens.role_of(&token) {
        Some(_) => assets::serve(&file),
        None => assets::not_found(),
    }
}

async fn socket(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let Some(role) = state.shared.tokens.role_of(&token) else {
        return assets::not_found();
    };
    if !assets::same_origin(&headers) {
        return assets::plain(StatusCode::FORBIDDEN, "the page's origin is not this host");
    }
    let Some(slot) = state.shared.claim_slot() else {
        return assets::plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "this session has as many viewers as it accepts",
        );
    };
    let shared = Arc::clone(&state.shared);
    let shutdown = state.shutdown.clone();
    ws.max_message_size(MAX_VIEWER_MESSAGE_BYTES)
        .max_frame_size(MAX_VIEWER_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            let inbox = shared.join(&slot, role, false);
            serve_viewer(socket, inbox, &shared, &slot, shutdown).await;
        })
}

/// The sending half of a socket.
pub(crate) type Sink = futures_util::stream::SplitSink<WebSocket, Message>;

/// Pings a socket heard from lately. False when it has been silent too
/// long or the ping could not be sent: the caller closes it.
pub(crate) async fn keep_alive(sink: &mut Sink, heard: tokio::time::Instant) -> bool {
    heard.elapsed() <= SILENT_FOR && sink.send(Message::Ping(Vec::new().into())).await.is_ok()
}

/// Sends one JSON message; false when the socket is gone.
pub(crate) async fn send_json(sink: &mut Sink, value: &serde_json::Value) -> bool {
    sink.send(Message::Text(value.to_string().into()))
        .await
        .is_ok()
}

/// Tells a viewer the session ended and closes its socket (courtesies:
/// the socket is dropped right after either way).
async fn say_goodbye(sink: &mut Sink) {
    let bye = serde_json::json!({"t": "bye", "reason": "The candidate ended the session"});
    if send_json(sink, &bye).await && sink.send(Message::Close(None)).await.is_err() {
        // Gone already.
    }
}

/// Runs one viewer's socket until it closes, the hub lets go or the host
/// stops: queued messages out, requests in.
async fn serve_viewer(
    socket: WebSocket,
    mut inbox: Inbox,
    shared: &Shared,
    slot: &Slot,
    mut shutdown: watch::Receiver<bool>,
) {
    let viewer = slot.viewer;
    let (mut sink, mut stream) = socket.split();
    let mut ping = tokio::time::interval(PING_EVERY);
    let mut heard = tokio::time::Instant::now();
    loop {
        tokio::select! {
            out = inbox.next() => {
                let Some(text) = out else {
                    // The hub let go: the session is ending.
                    say_goodbye(&mut sink).await;
                    break;
                };
                if sink.send(Message::Text(text.as_ref().into())).await.is_err() {
                    break;
                }
            }
            incoming = stream.next() => {
                heard = tokio::time::Instant::now();
                match incoming {
                    Some(Ok(Message::Text(text))) => shared.tell(HubEvent::Text {
                        viewer,
                        text: text.as_str().to_owned(),
                    }),
                    Some(Ok(Message::Binary(_))) => shared.tell(HubEvent::Refused {
                        viewer,
                        error: ProtocolError::NotText,
                    }),
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                }
            }
            _ = ping.tick() => {
                if !keep_alive(&mut sink, heard).await {
                    break;
                }
            }
            _ = shutdown.changed() => {
                say_goodbye(&mut sink).await;
                break;
            }
        }
    }
}
