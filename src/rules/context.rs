//! What every rule needs to know about a diagram, computed once per check:
//! connections resolved to their end components, adjacency lists (compressed,
//! indexed by component position), per-component facts that depend on
//! neighbours (telemetry links, public reachability, rate-limit coverage,
//! money flows), the scale the requirements ask for, and what the
//! requirements, notes and labels say in words (see `text.rs`).
//!
//! A component's text (its name, the labels of its connections and the note
//! sentences that mention it) is built lazily, the first time a rule asks,
//! so a check of a large design without notes or labels pays almost nothing
//! for it.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::ops::Range;

use super::Severity;
use super::text::{self, affirmed, has_any};
use crate::catalog::ComponentKind as K;
use crate::model::{Component, Connection, ConnectionKind, Diagram, GroupKind, Id};

/// A connection with both ends resolved.
#[derive(Clone, Copy, Debug)]
pub(super) struct Link<'a> {
    pub conn: &'a Connection,
    pub from: &'a Component,
    pub to: &'a Component,
    /// Positions of the ends in `Diagram::components`.
    pub from_index: usize,
    pub to_index: usize,
}

impl Link<'_> {
    /// A synchronous call made by code that can carry a resilience policy
    /// (a service, gateway, worker, hub or workflow) to something that is not
    /// a telemetry sink.
    pub fn is_policy_call(&self) -> bool {
        self.conn.kind.is_synchronous() && is_caller(self.from.kind) && !is_telemetry(self.to.kind)
    }

    /// "calls", "reads from" or "writes to", for messages.
    pub fn verb(&self) -> &'static str {
        match self.conn.kind {
            ConnectionKind::Read => "reads from",
            ConnectionKind::Write => "writes to",
            _ => "calls",
        }
    }
}

/// Per-component facts.
#[derive(Clone, Debug, Default)]
pub(super) struct Node {
    out: Range<usize>,
    inc: Range<usize>,
    /// Structured logging, as a property or through a link to a log store.
    pub logs: bool,
    /// Metrics, as a property or through a link to a metrics component.
    pub metrics: bool,
    /// Tracing, as a property or through a link to a tracing backend.
    pub traces: bool,
    /// Reached from a client with only edge components (CDN, traffic
    /// manager, load balancer) in between: a public entry point.
    pub public: bool,
    /// Named like a payment or billing step, or calls one synchronously.
    pub money: bool,
    /// A public entry point that some client reaches without passing an
    /// edge component that limits request rates.
    pub rate_exposed: bool,
    /// A client connects to this component directly (its first hop).
    pub client_hop: bool,
    /// A cache that carries messages between hub instances, not data.
    backplane: bool,
}

/// The load the requirements state, derived once.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Scale {
    pub daily_users: Option<f64>,
    /// Requests per second at peak (average times the peak factor).
    pub peak_rps: Option<f64>,
    /// Writes per day, from the requests and the read:write ratio.
    pub writes_per_day: Option<f64>,
    pub availability: Option<f64>,
    /// Regions the requirements ask for.
    pub regions: u32,
}

impl Scale {
    fn new(diagram: &Diagram) -> Self {
        let req = &diagram.requirements;
        let daily_users = req.daily_active_users.map(|d| d as f64);
        let requests_per_day = daily_users
            .zip(req.requests_per_user_per_day)
            .map(|(d, r)| d * r);
        let peak_rps =
            requests_per_day.map(|r| r / 86_400.0 * req.peak_factor.unwrap_or(1.0).max(1.0));
        let writes_per_day = requests_per_day
            .zip(req.read_write_ratio)
            .map(|(r, ratio)| r / (1.0 + ratio.max(0.0)));
        Self {
            daily_users,
            peak_rps,
            writes_per_day,
            availability: req.availability_percent,
            regions: req.regions.unwrap_or(0),
        }
    }

    /// A small system by what the requirements say: a few thousand users
    /// and a few requests a second at most.
    pub fn is_small(&self) -> bool {
        let few_users = self.daily_users.is_some_and(|d| d <= 10_000.0);
        let low_rate = |limit: f64| self.peak_rps.is_some_and(|r| r <= limit);
        (few_users && self.peak_rps.is_none_or(|r| r <= 20.0)) || low_rate(5.0)
    }

    /// Nothing about users, traffic or availability is stated.
    pub fn is_unstated(&self) -> bool {
        self.daily_users.is_none() && self.peak_rps.is_none() && self.availability.is_none()
    }

    /// The severity of an availability-driven gap: `high` when the target is
    /// unstated or at least 99.9%, one step lower from 99.5%, and info below
    /// that (a few hours of downtime a month are allowed).
    pub fn by_availability(&self, high: Severity) -> Severity {
        match self.availability {
            None => high,
            Some(a) if a >= 99.9 => high,
            Some(a) if a >= 99.5 => lower(high),
            Some(_) => Severity::Info,
        }
    }

    /// The severity of a single instance: an instance restarts in seconds
    /// to minutes, so only targets from 99.95% (a few hours a year) make it
    /// an error; 99.9% makes it a warning, and below that it is a trade-off
    /// to state. An unstated target is judged strictly.
    pub fn single_instance_severity(&self) -> Severity {
        match self.availability {
            None => Severity::Error,
            Some(a) if a >= 99.95 => Severity::Error,
            Some(a) if a >= 99.9 => Severity::Warning,
            Some(_) => Severity::Info,
        }
    }

    /// Readable load for messages: "about 400 users a day (0.2 requests a
    /// second at peak)".
    pub fn describe(&self) -> String {
        let users = self
            .daily_users
            .map(|d| format!("about {} users a day", text::human_count(d)));
        let rate = self
            .peak_rps
            .map(|r| format!("{} requests a second at peak", text::human_count(r)));
        match (users, rate) {
            (Some(u), Some(r)) => format!("{u} ({r})"),
            (Some(u), None) => u,
            (None, Some(r)) => r,
            (None, None) => "an unstated load".to_owned(),
        }
    }
}

/// One severity step down (info stays info).
pub(super) fn lower(severity: Severity) -> Severity {
    match severity {
        Severity::Error => Severity::Warning,
        _ => Severity::Info,
    }
}

/// Phrases that say an endpoint or the whole product works without signing in.
pub(super) const ANONYMOUS: &[&str] = &[
    "anonymous",
    "without an account",
    "without signing in",
    "without sign-in",
    "without a sign-in",
    "without logging in",
    "without a login",
    "without login",
    "without registering",
    "without registration",
    "no sign-in",
    "no login",
    "no account",
    "not signed in",
    "unauthenticated",
    "signs nobody in",
    "guest checkout",
    "as a guest",
    "guest users",
    "guest access",
    "logged-out",
    "no authentication",
    "without authentication",
    "no sign-up",
    "without signing up",
    "public access",
];

/// Phrases that say users sign in (not negated).
const SIGN_IN: &[&str] = &[
    "sign in",
    "sign-in",
    "signed-in",
    "signed in",
    "signs in",
    "log in",
    "logged-in",
    "login",
    "sso",
    "single sign-on",
    "their own",
    "own accounts",
    "account",
    "authenticat",
];

/// Words near which a duration is a freshness bound.
const FRESHNESS_CUES: &[&str] = &[
    "stale",
    "fresh",
    "up to date",
    "up-to-date",
    "out of date",
    "show",
    "shown",
    "appear",
    "visible",
    "reflect",
    "served",
    "see ",
    "seen",
    "propagat",
    "stop being",
    "disappear",
    "take effect",
    "updated",
    " old",
    "current",
    "latest",
    "outdated",
    "out-of-date",
];

/// Words before a duration that make it an upper bound.
const BOUND_CUES: &[&str] = &[
    "within",
    "at most",
    "no more than",
    "no later than",
    "under",
    "less than",
    "up to",
    "after",
];

/// Phrases that say traffic is skewed onto a few keys.
const SKEW: &[&str] = &[
    "celebrit",
    "millions of followers",
    "million followers",
    "of millions of",
    "influencer",
    "viral",
    "hot key",
    "hot partition",
    "heavy hitter",
    "flash sale",
    "everyone at once",
    "at the same moment",
    "all at once",
    "on-sale",
    "goes on sale",
    "most popular",
    "power users",
    "top creators",
    "most of the traffic",
    "most of the load",
    "most of the reads",
    "most of the writes",
    "zipf",
    "power law",
    "power-law",
    "black friday",
    "hot product",
    "hot item",
    "goes viral",
    "a few accounts",
    "heavy users",
];

/// What the requirements, notes and client-facing labels say about the
/// design as a whole.
#[derive(Debug, Default)]
pub(super) struct Statements {
    /// A quote that says some access is anonymous, if any.
    pub anonymous: Option<String>,
    /// Users sign in, by the requirements or notes.
    pub sign_in: bool,
    /// The tightest freshness bound, in seconds, and where it is written.
    pub freshness: Option<(f64, String)>,
    /// Sentences that say traffic is skewed (lower case).
    pub skew: Vec<String>,
    /// Counted nouns ("120 cities") in the requirements and notes.
    pub counts: Vec<(f64, String)>,
    /// What users own by the requirements ("their own orders" → orders).
    pub owned: Vec<String>,
    /// The functional requirements, compliance and notes, lower case.
    pub all_text: String,
    /// The same text as written.
    written: String,
    /// The functional requirements and compliance only, lower case.
    pub requirement_text: String,
}

impl Statements {
    fn new(diagram: &Diagram, client_labels: &str) -> Self {
        let req = &diagram.requirements;
        let mut requirement_text = String::new();
        for f in &req.functional {
            requirement_text.push_str(&f.to_lowercase());
            requirement_text.push_str(" |\n");
        }
        requirement_text.push_str(&req.compliance.to_lowercase());
        let mut all_text = requirement_text.clone();
        for note in &diagram.notes {
            all_text.push_str(" |\n");
            all_text.push_str(&note.text.to_lowercase());
        }
        let mut original = String::new();
        for f in &req.functional {
            original.push_str(f);
            original.push_str(" |\n");
        }
        original.push_str(&req.compliance);
        for note in &diagram.notes {
            original.push_str(" |\n");
            original.push_str(&note.text);
        }
        let anonymous = affirmed(&all_text, ANONYMOUS)
            .map(|range| text::quote_from(&original, &all_text, range))
            .or_else(|| {
                affirmed(client_labels, ANONYMOUS).map(|range| text::quote(client_labels, range))
            });
        let sign_in = affirmed(&all_text, SIGN_IN).is_some()
            || affirmed(client_labels, &["sign in", "sign-in", "log in", "login"]).is_some();
        let mut freshness: Option<(f64, String)> = None;
        let mut skew = Vec::new();
        let same_offsets = original.len() == all_text.len();
        for sentence in text::sentences(&all_text) {
            let sentence = sentence.trim_matches(['|', ' ']);
            // The same sentence as written, for quotes.
            let written = if same_offsets {
                let start = sentence.as_ptr() as usize - all_text.as_ptr() as usize;
                original
                    .get(start..start + sentence.len())
                    .unwrap_or(sentence)
            } else {
                sentence
            };
            if has_any(sentence, SKEW) {
                skew.push(written.to_owned());
            }
            if !has_any(sentence, FRESHNESS_CUES) {
                continue;
            }
            // "as soon as it is confirmed", "immediately": about a second.
            let immediate = has_any(
                sentence,
                &["as soon as", "immediately", "instantly", "in real time"],
            )
            .then_some(1.0);
            let bound = text::duration_after(sentence, BOUND_CUES)
                .or(immediate)
                .or_else(|| {
                    // "2 minutes stale", "10 s old"
                    text::durations(sentence)
                        .first()
                        .map(|&(_, s)| s)
                        .filter(|_| has_any(sentence, &["stale", " old"]))
                });
            if let Some(seconds) = bound
                && freshness.as_ref().is_none_or(|(best, _)| seconds < *best)
            {
                freshness = Some((seconds, text::shorten(written, 90)));
            }
        }
        let counts = text::counts(&all_text);
        let words: Vec<&str> = requirement_text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let owned = words
            .windows(2)
            .filter(|w| matches!(w.first().copied(), Some("own" | "my")))
            .filter_map(|w| w.get(1))
            .filter(|w| w.len() > 2)
            .map(|w| (*w).to_owned())
            .collect();
        Self {
            anonymous,
            sign_in,
            freshness,
            skew,
            counts,
            owned,
            all_text,
            written: original,
            requirement_text,
        }
    }

    /// Where the requirements or notes affirm one of `needles`, quoted as
    /// written.
    pub fn quote(&self, needles: &[&str]) -> Option<String> {
        affirmed(&self.all_text, needles)
            .map(|range| text::quote_from(&self.written, &self.all_text, range))
    }
}

pub(super) struct Context<'a> {
    pub diagram: &'a Diagram,
    pub links: Vec<Link<'a>>,
    pub nodes: Vec<Node>,
    out_links: Vec<usize>,
    in_links: Vec<usize>,
    /// Region groups drawn on the canvas.
    pub region_count: usize,
    pub scale: Scale,
    pub said: Statements,
    /// Some client sends requests (not only receives pushes).
    pub clients_request: bool,
    /// Note sentences (as written) and which component each one mentions,
    /// sorted by component position.
    note_originals: Vec<String>,
    mentions: Vec<(usize, usize)>,
    /// Each component's text as written (when more than its name) and in
    /// lower case, built on first use.
    texts: Vec<OnceCell<(Option<String>, String)>>,
}

/// Kinds that run code and can carry a caller-side policy.
pub(super) fn is_caller(kind: K) -> bool {
    kind.is_compute() || kind == K::Workflow
}

pub(super) fn is_telemetry(kind: K) -> bool {
    matches!(kind, K::LogSink | K::Metrics | K::Tracing)
}

/// Edge components that pass client traffic on to an entry point.
fn is_edge(kind: K) -> bool {
    matches!(kind, K::TrafficManager | K::Cdn | K::LoadBalancer)
}

/// True when a flag property applies and is switched on.
pub(super) fn on(flag: Option<bool>) -> bool {
    flag == Some(true)
}

/// True when a flag property applies and is switched off. `None` means the
/// property does not apply, which is never a gap.
pub(super) fn off(flag: Option<bool>) -> bool {
    flag == Some(false)
}

/// Whether `haystack` contains `needle` (lower-case ASCII), ignoring ASCII
/// case. Allocation-free: rules call it for every component name.
pub(super) fn contains_word(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    needle.is_empty()
        || haystack
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether a name sounds like a step that moves money.
pub(super) fn is_money_name(name: &str) -> bool {
    [
        "payment", "billing", "invoice", "wallet", "ledger", "checkout", "refund",
    ]
    .iter()
    .any(|word| contains_word(name, word))
}

/// Finds a component's position in `Diagram::components` by id. Ids are
/// small counters, so a table from id to position answers in one step; a
/// diagram with sparse ids falls back to a hash map. The checklist and the
/// what-if simulation share it.
pub(crate) struct ComponentIndex {
    /// Position by id, `u32::MAX` for none; empty when the ids are sparse.
    table: Vec<u32>,
    sparse: HashMap<Id, usize>,
}

impl ComponentIndex {
    /// The index of `components`; `items` is how many items the diagram
    /// holds in all, which bounds how sparse the ids may be for the table.
    pub fn new(components: &[Component], items: usize) -> Self {
        let max_id = components.iter().map(|c| c.id.0).max().unwrap_or(0);
        let dense = usize::try_from(max_id)
            .ok()
            .filter(|&m| m <= 8 * (items + 16));
        match dense {
            Some(max) => {
                let mut table = vec![u32::MAX; max + 1];
                for (i, c) in components.iter().enumerate() {
                    if let (Some(slot), Ok(i)) = (table.get_mut(c.id.0 as usize), u32::try_from(i))
                    {
                        *slot = i;
                    }
                }
                Self {
                    table,
                    sparse: HashMap::new(),
                }
            }
            None => Self {
                table: Vec::new(),
                sparse: components
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c.id, i))
                    .collect(),
            },
        }
    }

    pub fn position(&self, id: Id) -> Option<usize> {
        if self.table.is_empty() {
            return self.sparse.get(&id).copied();
        }
        usize::try_from(id.0)
            .ok()
            .and_then(|i| self.table.get(i))
            .filter(|&&p| p != u32::MAX)
            .map(|&p| p as usize)
    }
}

impl<'a> Context<'a> {
    pub fn new(diagram: &'a Diagram) -> Self {
        let components = &diagram.components;
        let index = ComponentIndex::new(components, components.len() + diagram.connections.len());
        let position = |id: Id| index.position(id);
        let links: Vec<Link<'a>> = diagram
            .connections
            .iter()
            .filter_map(|conn| {
                let from_index = position(conn.from)?;
                let to_index = position(conn.to)?;
                Some(Link {
                    conn,
                    from: components.get(from_index)?,
                    to: components.get(to_index)?,
                    from_index,
                    to_index,
                })
            })
            .collect();

        // Compressed adjacency: count degrees, prefix sums, then fill.
        let n = components.len();
        let mut nodes = vec![Node::default(); n];
        let mut out_degree = vec![0usize; n];
        let mut in_degree = vec![0usize; n];
        for link in &links {
            if let Some(d) = out_degree.get_mut(link.from_index) {
                *d += 1;
            }
            if let Some(d) = in_degree.get_mut(link.to_index) {
                *d += 1;
            }
        }
        let mut out_next = Vec::with_capacity(n);
        let mut in_next = Vec::with_capacity(n);
        let (mut out_at, mut in_at) = (0, 0);
        for ((node, od), id) in nodes.iter_mut().zip(&out_degree).zip(&in_degree) {
            node.out = out_at..out_at + od;
            node.inc = in_at..in_at + id;
            out_next.push(out_at);
            in_next.push(in_at);
            out_at += od;
            in_at += id;
        }
        let mut out_links = vec![0; links.len()];
        let mut in_links = vec![0; links.len()];
        for (l, link) in links.iter().enumerate() {
            if let Some(next) = out_next.get_mut(link.from_index) {
                if let Some(slot) = out_links.get_mut(*next) {
                    *slot = l;
                }
                *next += 1;
            }
            if let Some(next) = in_next.get_mut(link.to_index) {
                if let Some(slot) = in_links.get_mut(*next) {
                    *slot = l;
                }
                *next += 1;
            }
        }

        // Facts from properties and from telemetry links in either direction.
        for (node, c) in nodes.iter_mut().zip(components) {
            node.logs = on(c.properties.logging);
            node.metrics = on(c.properties.metrics);
            node.traces = on(c.properties.tracing);
            node.money = matches!(
                c.kind,
                K::Service | K::ExternalService | K::Worker | K::Workflow
            ) && is_money_name(&c.name);
        }
        let mut callers_of_money = Vec::new();
        for link in &links {
            for (this, other) in [(link.from_index, link.to), (link.to_index, link.from)] {
                if let Some(node) = nodes.get_mut(this) {
                    match other.kind {
                        K::LogSink => node.logs = true,
                        K::Metrics => node.metrics = true,
                        K::Tracing => node.traces = true,
                        _ => {}
                    }
                }
            }
            let to_money = nodes.get(link.to_index).is_some_and(|n| n.money);
            if to_money && link.is_policy_call() {
                callers_of_money.push(link.from_index);
            }
        }
        for i in callers_of_money {
            if let Some(node) = nodes.get_mut(i) {
                node.money = true;
            }
        }

        let mut client_labels = String::new();
        let mut clients_request = false;
        for link in &links {
            if link.from.kind == K::Client {
                clients_request |= link.conn.kind != ConnectionKind::Push;
                if !link.conn.label.is_empty() {
                    client_labels.push_str(&link.conn.label.to_lowercase());
                    client_labels.push_str(" |\n");
                }
            }
        }
        let said = Statements::new(diagram, &client_labels);
        let (note_originals, mentions) = note_mentions(diagram);
        let mut ctx = Self {
            diagram,
            links,
            nodes,
            out_links,
            in_links,
            region_count: diagram
                .groups
                .iter()
                .filter(|g| g.kind == GroupKind::Region)
                .count(),
            scale: Scale::new(diagram),
            said,
            clients_request,
            note_originals,
            mentions,
            texts: (0..n).map(|_| OnceCell::new()).collect(),
        };
        ctx.mark_public();
        ctx.mark_backplanes();
        ctx
    }

    /// A component's text, lower case: its name, the labels of its
    /// connections and the note sentences that mention it, separated by
    /// " | " so that a phrase never runs from one into the next.
    pub fn text(&self, index: usize) -> &str {
        self.texts_of(index).1
    }

    /// The component's text as written and in lower case. A component with
    /// no labelled connection and no note is described by its name alone,
    /// so only the lower-case copy is allocated.
    fn texts_of(&self, index: usize) -> (&str, &str) {
        let Some(cell) = self.texts.get(index) else {
            return ("", "");
        };
        let Some(c) = self.diagram.components.get(index) else {
            return ("", "");
        };
        let (original, lower) = cell.get_or_init(|| {
            if !self.has_description(index) {
                return (None, c.name.to_lowercase());
            }
            let t = text::joined(
                std::iter::once(c.name.as_str())
                    .chain(self.touching(index).map(|l| l.conn.label.as_str()))
                    .chain(self.noted(index)),
            );
            let lower = t.to_lowercase();
            (Some(t), lower)
        });
        (original.as_deref().unwrap_or(&c.name), lower)
    }

    /// Whether anything besides the component's name describes it (a
    /// label of one of its connections, or a note that mentions it).
    pub fn has_description(&self, index: usize) -> bool {
        self.touching(index).any(|l| !l.conn.label.is_empty()) || self.noted(index).next().is_some()
    }

    /// Where the component's text affirms one of `phrases`, quoted for a
    /// message (in the case it was written in).
    pub fn says(&self, index: usize, phrases: &[&str]) -> Option<String> {
        // A component described by its name alone needs no text built:
        // phrases match in any case.
        if self.texts.get(index).is_some_and(|t| t.get().is_none()) && !self.has_description(index)
        {
            let name = self
                .diagram
                .components
                .get(index)
                .map_or("", |c| c.name.as_str());
            return affirmed(name, phrases).map(|range| text::quote(name, range));
        }
        let (original, lower) = self.texts_of(index);
        affirmed(lower, phrases).map(|range| text::quote_from(original, lower, range))
    }

    /// Like [`Context::says`], but not counting the component's own name:
    /// what its connections and notes say.
    pub fn says_beyond_name(&self, index: usize, phrases: &[&str]) -> Option<String> {
        let (original, lower) = self.texts_of(index);
        let skip = self
            .diagram
            .components
            .get(index)
            .map_or(0, |c| c.name.len())
            .min(lower.len());
        let rest = lower.get(skip..)?;
        let (a, b) = affirmed(rest, phrases)?;
        Some(text::quote_from(original, lower, (a + skip, b + skip)))
    }

    /// The note sentences, as written, that mention the component at `index`.
    pub fn noted(&self, index: usize) -> impl Iterator<Item = &str> + '_ {
        let first = self.mentions.partition_point(|&(c, _)| c < index);
        self.mentions
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(move |&&(c, _)| c == index)
            .filter_map(|&(_, s)| self.note_originals.get(s).map(String::as_str))
    }

    /// A Redis or other cache that only carries messages between real-time
    /// hub instances: judged as a backplane, not as a cache.
    pub fn is_backplane(&self, index: usize) -> bool {
        self.nodes.get(index).is_some_and(|n| n.backplane)
    }

    /// Marks caches that only connect real-time hubs (or say they are a
    /// backplane) as backplanes.
    fn mark_backplanes(&mut self) {
        let mut marks = Vec::new();
        for (index, c) in self.diagram.components.iter().enumerate() {
            if c.kind != K::Cache {
                continue;
            }
            let named = has_any(&c.name, &["backplane", "pub/sub", "pubsub"]);
            let mut links = self.touching(index).peekable();
            let only_hubs = links.peek().is_some()
                && links.all(|l| {
                    let other = if l.from_index == index { l.to } else { l.from };
                    other.kind == K::RealtimeHub
                        || has_any(&l.conn.label, &["pub/sub", "backplane"])
                });
            if named || only_hubs {
                marks.push(index);
            }
        }
        for index in marks {
            if let Some(node) = self.nodes.get_mut(index) {
                node.backplane = true;
            }
        }
    }

    /// Holds clients' persistent connections: a real-time hub, or any
    /// component that pushes to clients or takes their WebSockets.
    pub fn holds_connections(&self, index: usize) -> bool {
        let Some(c) = self.diagram.components.get(index) else {
            return false;
        };
        if c.kind == K::RealtimeHub {
            return true;
        }
        if c.kind == K::Client || !c.kind.is_compute() {
            return false;
        }
        self.outgoing(index)
            .any(|l| l.conn.kind == ConnectionKind::Push && l.to.kind == K::Client)
    }

    /// Marks entry points: what clients reach directly or through edge
    /// components only, then which of them some client reaches without a
    /// rate-limiting edge on the way, and which components clients connect
    /// to directly.
    fn mark_public(&mut self) {
        for j in self.walk_from_clients(false, true) {
            if let Some(node) = self.nodes.get_mut(j) {
                node.public = true;
            }
        }
        // Rate limits are about requests clients send, not pushes they get.
        for j in self.walk_from_clients(true, false) {
            if let Some(node) = self.nodes.get_mut(j) {
                node.rate_exposed = true;
            }
        }
        let hops: Vec<usize> = self
            .links
            .iter()
            .filter(|l| l.from.kind == K::Client && l.conn.kind != ConnectionKind::Publish)
            .map(|l| l.to_index)
            .chain(
                self.links
                    .iter()
                    .filter(|l| l.to.kind == K::Client && l.conn.kind == ConnectionKind::Push)
                    .map(|l| l.from_index),
            )
            .collect();
        for j in hops {
            if let Some(node) = self.nodes.get_mut(j) {
                node.client_hop = true;
            }
        }
    }

    /// The entry points reached from clients through edge components. With
    /// `skip_limiters`, edges that limit request rates stop the walk; with
    /// `pushes`, a hub that pushes to a client counts as reached.
    fn walk_from_clients(&self, skip_limiters: bool, pushes: bool) -> Vec<usize> {
        let components = &self.diagram.components;
        let mut seen = vec![false; components.len()];
        let mut queue: Vec<usize> = Vec::new();
        for (i, c) in components.iter().enumerate() {
            if c.kind == K::Client {
                queue.push(i);
                if let Some(s) = seen.get_mut(i) {
                    *s = true;
                }
            }
        }
        let mut entries = Vec::new();
        let mut reached = Vec::new();
        while let Some(i) = queue.pop() {
            reached.clear();
            for link in self.outgoing(i) {
                if link.conn.kind != ConnectionKind::Publish {
                    reached.push(link.to_index);
                }
            }
            // A hub that pushes to a client holds the client's connection.
            for link in self.incoming(i) {
                if pushes && link.conn.kind == ConnectionKind::Push {
                    reached.push(link.from_index);
                }
            }
            for &j in &reached {
                let Some(kind) = components.get(j).map(|c| c.kind) else {
                    continue;
                };
                let Some(s) = seen.get_mut(j) else { continue };
                if *s {
                    continue;
                }
                *s = true;
                if is_edge(kind) {
                    let limits = components
                        .get(j)
                        .is_some_and(|c| on(c.properties.rate_limiting));
                    if !(skip_limiters && limits) {
                        queue.push(j);
                    }
                } else if kind != K::Client {
                    entries.push(j);
                }
            }
        }
        entries
    }

    /// Components with their facts, in diagram order.
    pub fn components(&self) -> impl Iterator<Item = (usize, &'a Component, &Node)> + '_ {
        self.diagram
            .components
            .iter()
            .zip(&self.nodes)
            .enumerate()
            .map(|(i, (c, n))| (i, c, n))
    }

    pub fn node(&self, index: usize) -> Option<&Node> {
        self.nodes.get(index)
    }

    /// Connections that start at the component at `index`.
    pub fn outgoing(&self, index: usize) -> impl Iterator<Item = &Link<'a>> + '_ {
        let range = self.nodes.get(index).map_or(0..0, |n| n.out.clone());
        self.out_links
            .get(range)
            .unwrap_or_default()
            .iter()
            .filter_map(|&l| self.links.get(l))
    }

    /// Connections that end at the component at `index`.
    pub fn incoming(&self, index: usize) -> impl Iterator<Item = &Link<'a>> + '_ {
        let range = self.nodes.get(index).map_or(0..0, |n| n.inc.clone());
        self.in_links
            .get(range)
            .unwrap_or_default()
            .iter()
            .filter_map(|&l| self.links.get(l))
    }

    /// Connections at either end of the component at `index`.
    pub fn touching(&self, index: usize) -> impl Iterator<Item = &Link<'a>> + '_ {
        self.outgoing(index).chain(self.incoming(index))
    }

    /// Whether any component of `kind` is on the canvas.
    pub fn has_kind(&self, kind: K) -> bool {
        self.diagram.components.iter().any(|c| c.kind == kind)
    }
}

/// Note sentences (lower case) and the components each mentions, by full
/// or base name ("Runner" for "Runner (WE)") or, for a kind that appears
/// once, by its everyday noun ("the hub", "the gateway"). Linear in the
/// words of the notes: component names are looked up by their first word.
fn note_mentions(diagram: &Diagram) -> (Vec<String>, Vec<(usize, usize)>) {
    if diagram.notes.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let names: Vec<String> = diagram
        .components
        .iter()
        .map(|c| {
            let lower = c.name.to_lowercase();
            lower.split(" (").next().unwrap_or(&lower).trim().to_owned()
        })
        .collect();
    let mut by_first: HashMap<&str, Vec<(usize, &str)>> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if let Some(first) = name
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
        {
            by_first.entry(first).or_default().push((i, name.as_str()));
        }
    }
    let mut kind_count: HashMap<K, (usize, usize)> = HashMap::new();
    for (i, c) in diagram.components.iter().enumerate() {
        let entry = kind_count.entry(c.kind).or_insert((0, i));
        entry.0 += 1;
    }
    const KIND_NOUNS: [(&str, K); 6] = [
        ("hub", K::RealtimeHub),
        ("gateway", K::ApiGateway),
        ("load balancer", K::LoadBalancer),
        ("lb", K::LoadBalancer),
        ("cdn", K::Cdn),
        ("identity provider", K::IdentityProvider),
    ];
    let mut sentences = Vec::new();
    let mut mentions = Vec::new();
    for note in &diagram.notes {
        // A sentence that names nothing continues the one before it in the
        // same note ("… uses the Recreate strategy. Its probe is a ping.").
        let mut previous: Vec<usize> = Vec::new();
        for original in text::sentences(&note.text) {
            let lowered = original.to_lowercase();
            let sentence = lowered.as_str();
            let s = sentences.len();
            let mut found: Vec<usize> = Vec::new();
            let bytes = sentence.as_bytes();
            for (at, c) in sentence.char_indices() {
                let starts_word = c.is_alphanumeric()
                    && (at == 0
                        || bytes
                            .get(at - 1)
                            .is_some_and(|b| !b.is_ascii_alphanumeric()));
                if !starts_word {
                    continue;
                }
                let rest = sentence.get(at..).unwrap_or("");
                let first = rest
                    .split(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("");
                for &(i, name) in by_first.get(first).map(Vec::as_slice).unwrap_or_default() {
                    // A name that starts with punctuation never matches: its
                    // first word is looked up, and it must start the match.
                    let name = name.trim_start_matches(|c: char| !c.is_alphanumeric());
                    if rest.starts_with(name) && !found.contains(&i) {
                        found.push(i);
                    }
                }
            }
            for (noun, kind) in KIND_NOUNS {
                if let Some(&(1, i)) = kind_count.get(&kind)
                    && text::has_word(sentence, noun)
                    && !found.contains(&i)
                {
                    found.push(i);
                }
            }
            if found.is_empty() {
                found.clone_from(&previous);
            } else {
                previous.clone_from(&found);
            }
            if !found.is_empty() {
                sentences.push(original.to_owned());
                mentions.extend(found.into_iter().map(|i| (i, s)));
            }
        }
    }
    mentions.sort_unstable();
    (sentences, mentions)
}

/// Instances a component runs, treating "not applicable" as one.
pub(super) fn instances(c: &Component) -> u32 {
    c.properties.instances.unwrap_or(1)
}

/// Runs more than one copy, now or under autoscaling.
pub(super) fn is_scaled_out(c: &Component) -> bool {
    instances(c) >= 2 || on(c.properties.autoscaling)
}

/// A copy of `c` with its properties changed by `change`, as a component update.
pub(super) fn update_component(
    c: &Component,
    change: impl FnOnce(&mut crate::model::Properties),
) -> crate::model::edit::Edit {
    let mut new = c.clone();
    change(&mut new.properties);
    crate::model::edit::Edit::UpdateComponent(new)
}

/// A copy of `conn` changed by `change`, as a connection update.
pub(super) fn update_connection(
    conn: &Connection,
    change: impl FnOnce(&mut Connection),
) -> crate::model::edit::Edit {
    let mut new = conn.clone();
    change(&mut new);
    crate::model::edit::Edit::UpdateConnection(new)
}
