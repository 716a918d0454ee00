//! [`Host`]: what the app (or `archboard serve`) holds while a session is
//! shared. It starts the server, the hub and the relay link, and once per
//! frame [`Host::pump`] moves changes out and requests in.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::watch;

use super::hub::{Hub, HubEvent, RemoteRequest};
use super::protocol::{InterviewState, Pointer, Role, ScorecardInfo};
use super::{DEFAULT_MAX_VIEWERS, Shared, Tokens, ViewerInfo, Waker, relay, server, token};
use crate::app::{LatestScorecard, LogEntry, Origin, Session};
use crate::interview::SavedSession;

/// The most viewer requests one pump runs (the rest wait for the next
/// frame, so a flood cannot stall the window).
const REQUESTS_PER_PUMP: usize = 64;

/// How to share a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostOptions {
    /// Where the host's own server listens (`None`: no server of its own,
    /// only the relay). `127.0.0.1` accepts this computer only; `0.0.0.0`
    /// accepts other machines too.
    pub listen: Option<SocketAddr>,
    /// A relay to connect out to: `http://host:port`.
    pub relay: Option<String>,
    pub max_viewers: usize,
}

impl Default for HostOptions {
    fn default() -> Self {
        Self {
            listen: Some(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0)),
            relay: None,
            max_viewers: DEFAULT_MAX_VIEWERS,
        }
    }
}

impl HostOptions {
    /// Whether the server accepts other machines.
    pub fn accepts_others(&self) -> bool {
        self.listen.is_some_and(|a| !a.ip().is_loopback())
    }
}

/// Why sharing could not start.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("could not listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("could not start the server: {0}")]
    Runtime(std::io::Error),
    #[error("the system gave no random numbers for the link's secret: {0}")]
    Random(String),
    #[error("{0}")]
    Relay(#[from] relay::RelayUrlError),
}

/// A link to give someone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub role: Role,
    /// Where it works: "this computer", an interface and address, "relay".
    pub place: String,
    pub url: String,
}

/// A shared session. Dropping it stops sharing and disconnects everyone.
pub struct Host {
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    hub: Option<JoinHandle<()>>,
    shutdown: watch::Sender<bool>,
    requests: Receiver<RemoteRequest>,
    waiting: VecDeque<RemoteRequest>,
    log: Receiver<Arc<LogEntry>>,
    last_interview: Option<InterviewState>,
    last_pointer: Pointer,
    links: Vec<Link>,
    local_addr: Option<SocketAddr>,
    relay_status: Arc<Mutex<relay::LinkStatus>>,
    scorer: Scorer,
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host")
            .field("links", &self.links)
            .field("local_addr", &self.local_addr)
            .finish_non_exhaustive()
    }
}

impl Host {
    /// Starts sharing `session`. `waker` is called (from other threads)
    /// when requests wait for [`Host::pump`].
    pub fn start(
        session: &mut Session,
        options: &HostOptions,
        waker: Waker,
    ) -> Result<Self, LiveError> {
        let random = || token::new_token().map_err(|e| LiveError::Random(e.to_string()));
        let tokens = Tokens {
            interviewer: random()?,
            observer: random()?,
        };
        let relay_target = options
            .relay
            .as_deref()
            .map(relay::RelayTarget::parse)
            .transpose()?;
        let (hub_tx, hub_rx) = std::sync::mpsc::channel();
        let (requests_tx, requests) = std::sync::mpsc::channel();
        let shared = Arc::new(Shared::new(
            hub_tx,
            waker,
            tokens.clone(),
            options.max_viewers.max(1),
        ));
        // The design and the interview state reach the hub before any
        // viewer can join, so the first snapshot is whole.
        shared.tell(HubEvent::Diagram {
            doc: session.key().document.get(),
            diagram: Box::new(session.diagram().clone()),
        });
        let first_state = InterviewState::of(session);
        shared.tell(HubEvent::Interview(Box::new(first_state.clone())));
        let scorer = Scorer::start(Arc::clone(&shared))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("archboard-live")
            .enable_all()
            .build()
            .map_err(LiveError::Runtime)?;
        let (shutdown, shutdown_rx) = watch::channel(false);

        let mut local_addr = None;
        if let Some(addr) = options.listen {
            let listener = std::net::TcpListener::bind(addr)
                .and_then(|l| l.set_nonblocking(true).map(|()| l))
                .map_err(|source| LiveError::Listen { addr, source })?;
            local_addr = listener.local_addr().ok();
            let _guard = runtime.enter();
            let listener = tokio::net::TcpListener::from_std(listener)
                .map_err(|source| LiveError::Listen { addr, source })?;
            let app = server::router(Arc::clone(&shared), shutdown_rx.clone());
            let mut stop = shutdown_rx.clone();
            runtime.spawn(async move {
                use axum::serve::ListenerExt;
                let listener = listener.tap_io(|tcp| tcp.set_nodelay(true).unwrap_or(()));
                let serving = axum::serve(listener, app).with_graceful_shutdown(async move {
                    // Either a stop or the host gone: both end the server.
                    stop.changed().await.unwrap_or(());
                });
                if serving.await.is_err() {
                    // The listener failed; the links stop working and the
                    // host's Stop still cleans up.
                }
            });
        }
        let relay_status = Arc::new(Mutex::new(relay::LinkStatus::Connecting));
        let mut links = Vec::new();
        if let Some(addr) = local_addr {
            links.extend(direct_links(addr, &tokens));
        }
        if let Some(target) = relay_target {
            let room = random()?;
            let secret = random()?;
            for (role, token) in [
                (Role::Interviewer, &tokens.interviewer),
                (Role::Observer, &tokens.observer),
            ] {
                links.push(Link {
                    role,
                    place: "relay".to_owned(),
                    url: target.viewer_url(&room, token),
                });
            }
            runtime.spawn(relay::host_link(
                target,
                room,
                secret,
                Arc::clone(&shared),
                shutdown_rx,
                Arc::clone(&relay_status),
            ));
        }

        let hub = Hub::new(hub_rx, requests_tx, Arc::clone(&shared));
        let hub = std::thread::Builder::new()
            .name("archboard-live-hub".to_owned())
            .spawn(move || hub.run())
            .map_err(LiveError::Runtime)?;

        let log = session.subscribe();
        let host = Self {
            shared,
            runtime: Some(runtime),
            hub: Some(hub),
            shutdown,
            requests,
            waiting: VecDeque::new(),
            log,
            last_interview: Some(first_state),
            last_pointer: Pointer::default(),
            links,
            local_addr,
            relay_status,
            scorer,
        };
        Ok(host)
    }

    /// The links to hand out: interviewer links first.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// Where the host's own server listens.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.local_addr
    }

    /// Who is connected, by connection number.
    pub fn viewers(&self) -> Vec<ViewerInfo> {
        self.shared
            .viewers
            .lock()
            .map(|v| v.clone())
            .unwrap_or_default()
    }

    /// Lets a viewer do more (an observer may rate and comment) or less.
    /// The viewer's page is told and its console follows.
    pub fn grant(&self, viewer: u64, role: Role) {
        self.shared.tell(HubEvent::Grant { viewer, role });
    }

    /// How the link to the relay is doing (when there is one).
    pub fn relay_status(&self) -> relay::LinkStatus {
        self.relay_status
            .lock()
            .map(|s| s.clone())
            .unwrap_or(relay::LinkStatus::Connecting)
    }

    fn send_diagram(&self, session: &Session) {
        self.shared.tell(HubEvent::Diagram {
            doc: session.key().document.get(),
            diagram: Box::new(session.diagram().clone()),
        });
    }

    /// Waits up to `timeout` for a viewer's request (for a host without a
    /// window, between pumps).
    pub fn wait(&mut self, timeout: Duration) {
        match self.requests.recv_timeout(timeout) {
            Ok(request) => self.waiting.push_back(request),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
        }
    }

    /// Once per frame, after the frame's own commands: runs the viewers'
    /// requests through the session's door (each with its viewer's
    /// origin), then hands the hub what changed. Returns how many requests
    /// ran.
    pub fn pump(&mut self, session: &mut Session, pointer: Pointer) -> usize {
        let mut ran = 0;
        while ran < REQUESTS_PER_PUMP {
            let Some(request) = self
                .waiting
                .pop_front()
                .or_else(|| self.requests.try_recv().ok())
            else {
                break;
            };
            let result = session
                .execute_from(Origin::Remote(request.viewer), request.command)
                .map(|_| ())
                .map_err(|err| err.to_string());
            self.shared.tell(HubEvent::Reply {
                viewer: request.viewer,
                req: request.req,
                result,
            });
            ran += 1;
        }
        if ran == REQUESTS_PER_PUMP {
            (self.shared.waker)();
        }
        let mut logged = false;
        for entry in self.log.try_iter() {
            logged = true;
            self.shared.tell(HubEvent::Log(entry));
        }
        if self.shared.need_diagram.swap(false, Ordering::AcqRel) {
            self.send_diagram(session);
        }
        if logged || self.last_interview.is_none() {
            let state = InterviewState::of(session);
            if self
                .last_interview
                .as_ref()
                .is_none_or(|last| state.differs_from(last))
            {
                self.shared
                    .tell(HubEvent::Interview(Box::new(state.clone())));
                self.last_interview = Some(state);
            }
        }
        if pointer != self.last_pointer {
            self.last_pointer = pointer;
            self.shared.tell(HubEvent::Pointer(pointer));
        }
        self.scorer.follow(session, &self.shared);
        ran
    }

    /// Ends sharing: every viewer is told and disconnected, the server and
    /// the relay link close.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.scorer.jobs = None;
        self.shutdown.send_replace(true);
        self.shared.tell(HubEvent::Stop);
        if let Some(hub) = self.hub.take()
            && hub.join().is_err()
        {
            // The hub panicked; there is nothing left to stop in it.
        }
        if let Some(runtime) = self.runtime.take() {
            // Let the viewer tasks say goodbye, then stop whatever is left.
            std::thread::sleep(Duration::from_millis(50));
            runtime.shutdown_timeout(Duration::from_millis(500));
        }
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Keeps the interviewers' scorecard up to date without slowing the UI
/// thread: scoring replays the session (tens of milliseconds for a long
/// one), so a thread of its own does it. The UI thread only notices that
/// the sessions changed (a counter) and, when the scorer is idle, hands it
/// a copy of the session to score; changes made meanwhile are picked up
/// once it is done (it wakes the UI), so a drag costs one scoring at a
/// time, not one per frame.
struct Scorer {
    jobs: Option<std::sync::mpsc::Sender<ScoreJob>>,
    busy: Arc<AtomicBool>,
    /// What was last handed over: (document, sessions generation, count).
    scored: Option<(u64, u64, usize)>,
}

struct ScoreJob {
    number: usize,
    recording: bool,
    session: Box<SavedSession>,
}

impl Scorer {
    fn start(shared: Arc<Shared>) -> Result<Self, LiveError> {
        let (jobs, rx) = std::sync::mpsc::channel::<ScoreJob>();
        let busy = Arc::new(AtomicBool::new(false));
        let done = Arc::clone(&busy);
        std::thread::Builder::new()
            .name("archboard-live-score".to_owned())
            .spawn(move || {
                // Ends when the host drops its end.
                while let Ok(job) = rx.recv() {
                    let card = LatestScorecard::of(job.number, job.recording, &job.session);
                    let info = card.as_ref().map(ScorecardInfo::of);
                    shared.tell(HubEvent::Scorecard(Box::new(info)));
                    done.store(false, Ordering::Release);
                    (shared.waker)();
                }
            })
            .map_err(LiveError::Runtime)?;
        Ok(Self {
            jobs: Some(jobs),
            busy,
            scored: None,
        })
    }

    /// Hands the scorer the latest session when it changed and the scorer
    /// is free.
    fn follow(&mut self, session: &Session, shared: &Shared) {
        let key = (
            session.key().document.get(),
            session.sessions_generation(),
            session.recorded_sessions().count(),
        );
        if self.scored == Some(key) || self.busy.load(Ordering::Acquire) {
            return;
        }
        self.scored = Some(key);
        let Some((number, recording, recorded)) = session.latest_session() else {
            shared.tell(HubEvent::Scorecard(Box::new(None)));
            return;
        };
        let job = ScoreJob {
            number,
            recording,
            session: Box::new(recorded.clone()),
        };
        self.busy.store(true, Ordering::Release);
        let sent = self
            .jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(job).is_ok());
        if !sent {
            // The scorer is gone; the console keeps its last scorecard.
            self.busy.store(false, Ordering::Release);
        }
    }
}

/// Links for a server listening on `addr`: the address itself, or for
/// an unspecified address, this computer and each network address.
fn direct_links(addr: SocketAddr, tokens: &Tokens) -> Vec<Link> {
    let port = addr.port();
    let mut places: Vec<(String, IpAddr)> = Vec::new();
    if addr.ip().is_unspecified() {
        places.push(("this computer".to_owned(), IpAddr::V4(Ipv4Addr::LOCALHOST)));
        places.extend(
            lan_addresses()
                .into_iter()
                .map(|(name, ip)| (format!("{name} {ip}"), ip)),
        );
    } else if addr.ip().is_loopback() {
        places.push(("this computer".to_owned(), addr.ip()));
    } else {
        places.push((addr.ip().to_string(), addr.ip()));
    }
    let mut links = Vec::new();
    for (role, token) in [
        (Role::Interviewer, &tokens.interviewer),
        (Role::Observer, &tokens.observer),
    ] {
        for (place, ip) in &places {
            let host = match ip {
                IpAddr::V4(v4) => v4.to_string(),
                IpAddr::V6(v6) => format!("[{v6}]"),
            };
            links.push(Link {
                role,
                place: place.clone(),
                url: format!("http://{host}:{port}/s/{token}/"),
            });
        }
    }
    links
}

/// This machine's IPv4 network addresses (not loopback, not link-local),
/// by interface name, sorted.
pub fn lan_addresses() -> Vec<(String, IpAddr)> {
    let mut out: Vec<(String, IpAddr)> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| i.ip().is_ipv4() && !i.is_loopback() && !i.is_link_local())
        .map(|i| (i.name.clone(), i.ip()))
        .collect();
    out.sort();
    out.dedup();
    out
}
