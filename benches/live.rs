//! Benchmark of the interviewer link on loopback: from a command applied
//! in the host's session to the viewer having received the `delta`
//! message that shows it (shared DESIGN.md §7), for generated designs of
//! 50 and 5,000 components (`benches/common`). Release build.
//!
//! What one sample covers: `Session::execute` (a rename, or a move of one
//! card), `Host::pump` (the log entry to the hub), the hub's copy of the
//! design, redrawing the touched pieces of the SVG (`export::Redrawer`:
//! the layout, the findings for the badges, the changed pieces), the
//! cards and probes and their diff, JSON, the WebSocket frame over
//! 127.0.0.1, and the viewer's read of the whole frame (not its JSON
//! parse).
//!
//! Run with `cargo bench --bench live`; prints median and p99.

mod common;
#[path = "../tests/live_common/mod.rs"]
mod live_common;

use std::net::TcpStream;
use std::time::{Duration, Instant};

use archboard::app::{Command, Document, Session};
use archboard::live::{Host, HostOptions, Pointer, Role};
use archboard::model::Id;
use tokio_tungstenite::tungstenite::{self, Message, stream::MaybeTlsStream};

type Socket = tungstenite::WebSocket<MaybeTlsStream<TcpStream>>;

/// Reads until a text message starting with `prefix` (bounded by a deadline).
fn read_until(ws: &mut Socket, prefix: &str) -> Option<usize> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        match ws.read() {
            Ok(Message::Text(text)) if text.as_str().starts_with(prefix) => {
                return Some(text.len());
            }
            Ok(_) => {}
            Err(e) if live_common::timed_out(&e) => {}
            Err(_) => return None,
        }
    }
    None
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted
        .get(at.min(sorted.len().saturating_sub(1)))
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1_000.0)
}

fn main() {
    for (n, runs) in [(50, 200), (5_000, 30)] {
        let d = common::generate(n);
        let target = d.components.first().map_or(Id(1), |c| c.id);
        let mut session = Session::new(Document::new(d));
        let Ok(mut host) = Host::start(
            &mut session,
            &HostOptions::default(),
            std::sync::Arc::new(|| {}),
        ) else {
            eprintln!("could not start the host");
            return;
        };
        let Some(link) = host.links().iter().find(|l| l.role == Role::Observer) else {
            return;
        };
        let url = format!("{}ws", link.url.replacen("http://", "ws://", 1));
        let Ok((mut ws, _)) = tungstenite::connect(url) else {
            eprintln!("could not join");
            return;
        };
        if let MaybeTlsStream::Plain(s) = ws.get_ref() {
            s.set_read_timeout(Some(Duration::from_millis(200))).ok();
            s.set_nodelay(true).ok();
        }
        host.pump(&mut session, Pointer::default());
        let Some(bytes) = read_until(&mut ws, "{\"t\":\"snapshot\"") else {
            eprintln!("no snapshot");
            return;
        };
        for edit in ["rename", "move"] {
            let mut times = Vec::with_capacity(runs);
            let mut largest = 0;
            for i in 0..=runs {
                let start = Instant::now();
                let command = if edit == "rename" {
                    Command::Rename {
                        id: target,
                        text: format!("Renamed {i}"),
                    }
                } else {
                    Command::MoveBy {
                        ids: vec![target],
                        dx: if i % 2 == 0 { 40.0 } else { -40.0 },
                        dy: 0.0,
                    }
                };
                if session.execute(command).is_err()
                    || session.execute(Command::EndGesture).is_err()
                {
                    eprintln!("the {edit} failed");
                    return;
                }
                host.pump(&mut session, Pointer::default());
                let Some(len) = read_until(&mut ws, "{\"t\":\"delta\"") else {
                    eprintln!("no delta message");
                    return;
                };
                largest = largest.max(len);
                if i > 0 {
                    times.push(start.elapsed());
                }
            }
            times.sort_unstable();
            println!(
                "{n} components (snapshot {} KB), {edit} (delta up to {:.1} KB): command applied → delta received: median {:.2} ms, p99 {:.2} ms, min {:.2} ms, max {:.2} ms over {runs} runs",
                bytes / 1024,
                largest as f64 / 1024.0,
                percentile(&times, 0.5),
                percentile(&times, 0.99),
                percentile(&times, 0.0),
                percentile(&times, 1.0),
            );
        }
        host.stop();
    }
}
