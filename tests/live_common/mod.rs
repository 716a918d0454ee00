//! A Rust viewer of the interviewer link for tests and the bench: a plain
//! WebSocket client (tungstenite) with read timeouts, so every wait is
//! bounded, and a host on 127.0.0.1 that is pumped while waiting.

// Test helpers, so panicking on a broken assumption is the point.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use archboard::app::{Document, Session};
use archboard::live::{Host, HostOptions, Pointer, Role};
use archboard::model::Diagram;
use serde_json::Value;
use tokio_tungstenite::tungstenite::{self, Message, stream::MaybeTlsStream};

/// The longest any test waits for one thing.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A session shared on 127.0.0.1.
pub struct Hosted {
    pub session: Session,
    pub host: Host,
}

impl Hosted {
    pub fn new(diagram: Diagram) -> Self {
        Self::with_options(diagram, &HostOptions::default())
    }

    pub fn with_options(diagram: Diagram, options: &HostOptions) -> Self {
        let mut session = Session::new(Document::new(diagram));
        let host = Host::start(&mut session, options, std::sync::Arc::new(|| {})).unwrap();
        Self { session, host }
    }

    /// The page link for a role (the first one: this computer or relay).
    pub fn link(&self, role: Role) -> String {
        self.host
            .links()
            .iter()
            .find(|l| l.role == role)
            .map(|l| l.url.clone())
            .unwrap()
    }

    pub fn pump(&mut self) -> usize {
        self.host.pump(&mut self.session, Pointer::default())
    }
}

/// The socket URL of a page link.
pub fn socket_url(page: &str) -> String {
    format!("{}ws", page.replacen("http://", "ws://", 1))
}

/// Whether a read failed only because nothing came within the timeout.
pub fn timed_out(err: &tungstenite::Error) -> bool {
    matches!(err, tungstenite::Error::Io(e) if matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    ))
}

/// A connected viewer.
pub struct Viewer {
    pub ws: tungstenite::WebSocket<MaybeTlsStream<TcpStream>>,
    /// Every message received, in order.
    pub seen: Vec<Value>,
}

impl Viewer {
    /// Connects to a page link's socket.
    pub fn join(page: &str) -> Result<Self, tungstenite::Error> {
        let (ws, _) = tungstenite::connect(socket_url(page))?;
        if let MaybeTlsStream::Plain(stream) = ws.get_ref() {
            stream
                .set_read_timeout(Some(Duration::from_millis(5)))
                .unwrap();
        }
        Ok(Self {
            ws,
            seen: Vec::new(),
        })
    }

    pub fn send(&mut self, value: &Value) {
        self.ws
            .send(Message::Text(value.to_string().into()))
            .unwrap();
    }

    pub fn send_raw(&mut self, message: Message) {
        self.ws.send(message).unwrap();
    }

    /// One message if one arrives within the read timeout.
    pub fn poll(&mut self) -> Option<Value> {
        match self.ws.read() {
            Ok(Message::Text(text)) => {
                let value: Value = serde_json::from_str(text.as_str()).unwrap();
                self.seen.push(value.clone());
                Some(value)
            }
            Ok(_) => None,
            Err(err) if timed_out(&err) => None,
            Err(err) => panic!("the socket failed: {err}"),
        }
    }

    /// Whether the socket has been closed by the other side (within the
    /// patience).
    pub fn closes(&mut self) -> bool {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            match self.ws.read() {
                Ok(Message::Text(text)) => {
                    self.seen
                        .push(serde_json::from_str(text.as_str()).unwrap_or(Value::Null));
                }
                Ok(Message::Close(_)) => {}
                Ok(_) => {}
                Err(err) if timed_out(&err) => {}
                Err(_) => return true,
            }
        }
        false
    }
}

/// Waits (pumping the host) for a message that `wanted` accepts.
pub fn wait_for(
    hosted: &mut Hosted,
    viewer: &mut Viewer,
    what: &str,
    wanted: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        hosted.pump();
        if let Some(message) = viewer.poll()
            && wanted(&message)
        {
            return message;
        }
    }
    panic!(
        "no {what} within {PATIENCE:?}; saw {:?}",
        tags(&viewer.seen)
    );
}

/// Waits for a message with tag `t`.
pub fn wait_tag(hosted: &mut Hosted, viewer: &mut Viewer, tag: &str) -> Value {
    wait_for(hosted, viewer, tag, |m| m["t"] == tag)
}

/// Joins and waits for the welcome and the first snapshot.
pub fn join_live(hosted: &mut Hosted, page: &str) -> (Viewer, Value, Value) {
    let mut viewer = Viewer::join(page).unwrap();
    let welcome = wait_tag(hosted, &mut viewer, "welcome");
    let snapshot = wait_tag(hosted, &mut viewer, "snapshot");
    (viewer, welcome, snapshot)
}

pub fn tags(messages: &[Value]) -> Vec<String> {
    messages
        .iter()
        .map(|m| format!("{}:{}", m["t"].as_str().unwrap_or("?"), m["seq"]))
        .collect()
}

/// A plain HTTP GET on 127.0.0.1 (status line and body), for the page.
pub fn http_get(url: &str) -> (u16, String, String) {
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = TcpStream::connect(authority).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    // Read to the end, or to Content-Length (some servers keep the
    // connection open whatever the request says).
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(_) if !bytes.is_empty() => break,
            Err(err) => panic!("GET {url}: {err}"),
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Some((head, body)) = text.split_once("\r\n\r\n")
            && let Some(length) = head.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            })
            && body.len() >= length
        {
            break;
        }
    }
    let response = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

/// Joins with the link of `role`.
pub fn join_as(hosted: &mut Hosted, role: Role) -> (Viewer, Value, Value) {
    let page = hosted.link(role);
    join_live(hosted, &page)
}

/// Applies a `delta` message's `board` to a snapshot's `board` (both as
/// JSON), the way the page does: fields given replace the old ones, keyed
/// lists follow `ListDelta` (src/live/protocol.rs). An error when the
/// delta does not fit the board.
pub fn apply_delta(board: &mut Value, delta: &Value) -> Result<(), String> {
    if let Some(doc) = delta.get("doc") {
        board["doc"] = doc.clone();
    }
    if let Some(drawing) = delta.get("drawing") {
        for field in ["frame", "title", "open", "defs", "background"] {
            if let Some(value) = drawing.get(field) {
                board["drawing"][field] = value.clone();
            }
        }
        if let Some(layers) = drawing.get("layers").and_then(Value::as_object) {
            for (layer, list) in layers {
                let pieces = board["drawing"]["layers"]
                    .get_mut(layer)
                    .ok_or_else(|| format!("no layer {layer}"))?;
                apply_list(pieces, list, "id")?;
            }
        }
    }
    if let Some(cards) = delta.get("cards") {
        apply_list(&mut board["cards"], cards, "id")?;
    }
    if let Some(probes) = delta.get("probes") {
        apply_list(&mut board["probes"], probes, "key")?;
    }
    Ok(())
}

fn apply_list(list: &mut Value, delta: &Value, key: &str) -> Result<(), String> {
    let items = list.as_array_mut().ok_or("not a list")?;
    let empty = Vec::new();
    let field = |name: &str| delta.get(name).and_then(Value::as_array).unwrap_or(&empty);
    for item in field("put") {
        match items.iter_mut().find(|x| x[key] == item[key]) {
            Some(old) => *old = item.clone(),
            None => items.push(item.clone()),
        }
    }
    for gone in field("del") {
        let before = items.len();
        items.retain(|x| &x[key] != gone);
        if items.len() == before {
            return Err(format!("{gone} is not there to remove"));
        }
    }
    if let Some(order) = delta.get("order").and_then(Value::as_array) {
        if order.len() != items.len() {
            return Err("the order does not name every item".to_owned());
        }
        let mut arranged = Vec::with_capacity(order.len());
        for k in order {
            let at = items
                .iter()
                .position(|x| &x[key] == k)
                .ok_or_else(|| format!("{k} is not in the list"))?;
            arranged.push(items.swap_remove(at));
        }
        *items = arranged;
    }
    Ok(())
}

/// The SVG of a board (JSON) as the exporter writes it.
pub fn board_svg(board: &Value) -> String {
    let drawing: archboard::export::Drawing =
        serde_json::from_value(board["drawing"].clone()).unwrap();
    drawing.to_svg()
}
