//! `archboard serve FILE`: hosts a design for a remote interviewer without
//! a window and prints the links; `archboard relay`: runs the relay that
//! hosts behind NAT connect out to.
//!
//! Both run until interrupted (Ctrl+C), or for `--stop-after SECONDS`
//! (demos and tests). Exit codes: 0 after a stop, 2 for an address that
//! cannot be used, 3 when the design cannot be loaded.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;

use super::output::{Stdout, eprint_line, terminal_safe};
use super::{EXIT_LOAD_FAILED, EXIT_USAGE, load_or_report};
use crate::app::{Document, Session};
use crate::live::relay::{LinkStatus, Relay, RelayLimits};
use crate::live::{DEFAULT_MAX_VIEWERS, Host, HostOptions, Pointer, Role};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The design file (.ron).
    pub path: PathBuf,
    /// Where to listen. The default accepts this computer only; use
    /// 0.0.0.0:PORT to accept other machines on the network.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Also connect out to a relay (http://HOST:PORT) and print its links.
    #[arg(long)]
    pub relay: Option<String>,
    /// Only through the relay: no server of its own.
    #[arg(long, requires = "relay")]
    pub relay_only: bool,
    /// The most viewers at once.
    #[arg(long, default_value_t = DEFAULT_MAX_VIEWERS)]
    pub max_viewers: usize,
    /// Stop by itself after this many seconds.
    #[arg(long)]
    pub stop_after: Option<u64>,
}

#[derive(Debug, Args)]
pub struct RelayArgs {
    /// Where to listen, e.g. 0.0.0.0:9000.
    #[arg(long)]
    pub listen: SocketAddr,
    /// Stop by itself after this many seconds.
    #[arg(long)]
    pub stop_after: Option<u64>,
}

/// Runs `archboard serve`.
pub fn serve(args: &ServeArgs) -> u8 {
    let Some(diagram) = load_or_report(&args.path) else {
        return EXIT_LOAD_FAILED;
    };
    let mut session = Session::new(Document::new(diagram));
    let options = HostOptions {
        listen: (!args.relay_only).then_some(args.listen),
        relay: args.relay.clone(),
        max_viewers: args.max_viewers,
    };
    let mut host = match Host::start(&mut session, &options, std::sync::Arc::new(|| {})) {
        Ok(host) => host,
        Err(err) => {
            eprint_line(&terminal_safe(&format!(
                "could not share the design: {err}"
            )));
            return EXIT_USAGE;
        }
    };
    if args.relay.is_some() {
        // The relay's links work once the room is open.
        let deadline = Instant::now() + Duration::from_secs(5);
        while host.relay_status() != LinkStatus::Connected && Instant::now() < deadline {
            host.wait(Duration::from_millis(50));
        }
        if host.relay_status() != LinkStatus::Connected {
            eprint_line(&terminal_safe(&format!(
                "the relay is not reachable yet ({:?}); still trying",
                host.relay_status()
            )));
        }
    }
    let mut out = Stdout::new();
    out.line(&format!(
        "Sharing {}",
        terminal_safe(&session.diagram().title)
    ));
    for link in host.links() {
        let who = match link.role {
            Role::Interviewer => "Interviewer",
            Role::Observer => "Observer (read-only)",
        };
        out.line(&format!(
            "{who}, {}: {}",
            terminal_safe(&link.place),
            terminal_safe(&link.url)
        ));
    }
    out.line("Press Ctrl+C to stop.");
    let deadline = args
        .stop_after
        .map(|s| Instant::now() + Duration::from_secs(s));
    let mut known = Vec::new();
    while deadline.is_none_or(|d| Instant::now() < d) {
        host.wait(Duration::from_millis(100));
        host.pump(&mut session, Pointer::default());
        let viewers = host.viewers();
        if viewers != known {
            let names: Vec<String> = viewers
                .iter()
                .map(|v| format!("{} ({})", terminal_safe(&v.name), v.role.label()))
                .collect();
            if names.is_empty() {
                out.line("Nobody is watching");
            } else {
                out.line(&format!("Watching: {}", names.join(", ")));
            }
            known = viewers;
        }
    }
    host.stop();
    out.finish(0)
}

/// Runs `archboard relay`.
pub fn relay(args: &RelayArgs) -> u8 {
    let relay = match Relay::start(args.listen, RelayLimits::default()) {
        Ok(relay) => relay,
        Err(err) => {
            eprint_line(&terminal_safe(&format!("could not start the relay: {err}")));
            return EXIT_USAGE;
        }
    };
    let mut out = Stdout::new();
    out.line(&format!(
        "Relay listening on {}; hosts connect with --relay http://{}",
        relay.addr(),
        relay.addr()
    ));
    out.line("Press Ctrl+C to stop.");
    let deadline = args
        .stop_after
        .map(|s| Instant::now() + Duration::from_secs(s));
    while deadline.is_none_or(|d| Instant::now() < d) {
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(relay);
    out.finish(0)
}
