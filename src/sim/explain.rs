//! Why a verdict came out the way it did: each step of a failure's spread is
//! a [`Reason`]: where it happens, what happens ([`Effect`]), what decided it
//! ([`Cause`]: a connection's policy, a component's property, a checklist
//! finding, the scenario itself) and one sentence for people.
//!
//! The sentence is built here, from the effect and the names in the diagram,
//! so the CLI and the app say the same thing. The UI can also build its own
//! from the structured fields.

use std::collections::{HashMap, HashSet};

use crate::model::{Diagram, Id, PropKey, Subject};
use crate::rules::Finding;

/// Which part of a connection's caller-side policy decided something.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PolicyPart {
    Timeout,
    Retry,
    CircuitBreaker,
    Fallback,
    Bulkhead,
}

impl PolicyPart {
    /// Lower-case name, as in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::Retry => "retry",
            Self::CircuitBreaker => "circuit-breaker",
            Self::Fallback => "fallback",
            Self::Bulkhead => "bulkhead",
        }
    }
}

/// What decided a step: the thing the UI links the explanation to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cause {
    /// The failure the scenario injects.
    Scenario,
    /// The zone, region or tenant group involved.
    Group(Id),
    /// A part of a connection's policy, present or missing.
    Policy { connection: Id, part: PolicyPart },
    /// A component property (instances, replicas, failover, capacity…).
    Property { component: Id, key: PropKey },
    /// A checklist finding that `rules::check` reports for this subject.
    Rule {
        rule_id: &'static str,
        subject: Subject,
    },
    /// The kind of a connection (an asynchronous boundary, a replication link).
    Connection(Id),
    /// The traffic estimate worked out from the requirements.
    Estimate,
}

/// What happens at one step. Numbers are rounded to whole units so that
/// effects compare and hash exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    // The scenario and what it does to a component.
    /// The component stops answering.
    Down,
    /// The component sits in the zone or region that is lost.
    InGroup { group: Id },
    /// Instances spread over zones: some survive the zone.
    InstancesLeft { group: Id, left: u32, of: u32 },
    /// Copies in other zones keep a zone-redundant store or broker running.
    OtherZonesTakeOver { group: Id },
    /// Copies in another region keep the data available.
    OtherRegionTakesOver { group: Id },
    /// Traffic still goes to lost instances or targets: nothing probes health.
    Misrouted,
    /// A replica is promoted by automatic failover.
    ReplicaTakesOver,
    /// A replica still answers reads; nothing promotes it, so writes fail.
    ReadsFromReplica,
    /// The component answers this many hundredths slower (250 = 2.5×).
    Slowed { factor_x100: u32 },
    /// The cache starts empty.
    Cold,
    /// The queue's consumers are stopped.
    ConsumersStopped,

    // Calls (at a connection).
    /// No timeout: the caller waits as long as the callee does not answer.
    Hangs,
    /// The timeout ends the wait.
    TimesOut { timeout_ms: u32 },
    /// The callee answers, but later than the caller's timeout.
    TooSlow { latency_ms: u32, timeout_ms: u32 },
    /// Retries repeat the failing call.
    Retries { attempts: u32, jitter: bool },
    /// The circuit breaker opens: calls fail at once.
    BreakerOpens,
    /// The breaker never opens because no call ever ends in a failure.
    BreakerCannotOpen,
    /// The bulkhead fills and rejects calls, keeping the wait in its pool.
    BulkheadRejects,
    /// The fallback answers instead.
    FallbackAnswers,
    /// The fallback never runs because the call never ends.
    FallbackNeverRuns,
    /// The call fails and nothing answers instead.
    CallFails,
    /// A write reaches a store that only serves reads.
    WritesRejected,
    /// Messages cannot be handed to the broker and are lost.
    PublishLost,
    /// Messages wait in the producer's outbox until the broker is back.
    PublishKept,

    // What a component does about its dependencies.
    /// Waiting on this connection uses up the component's threads.
    PoolExhausted { connection: Id },
    /// The cache is out of the way: every read goes to the store.
    CacheBypassed { cache: Id },
    /// The store is out: cached reads are served, misses fail.
    ServedFromCache { store: Id },
    /// The CDN serves cached copies while its origin is out.
    CdnServesCached,
    /// Only the tenants placed on this store lose it.
    TenantIsolated { group: Id },
    /// The balancer sends traffic to the targets that still answer.
    RoutedAround,
    /// More traffic than capacity.
    Overloaded { percent: u32 },
    /// Autoscaling has to add instances to keep up.
    ScalesOut { instances: u32 },
    /// Messages arrive faster than they are processed; the backlog grows.
    Backlog { percent: u32 },
    /// The answer arrives after the latency target.
    OverLatencyTarget { latency_ms: u32, target_ms: u32 },

    // Background work behind a queue.
    /// The queue keeps the messages until the consumer is back.
    Buffered { retention_days: u32 },
    /// Failing messages go to the dead-letter queue after some attempts.
    DeadLettered { attempts: u32 },
    /// Failing messages are delivered again without end.
    RetriedForever,
    /// Failing messages are thrown away after some attempts.
    Dropped { attempts: u32 },
    /// The saga undoes the steps already done.
    Compensated,
    /// Nothing undoes the steps already done.
    LeftHalfDone,
    /// The log keeps the events, so the consumer can replay them.
    Replayable,
    /// Nothing reaches the consumer and nobody keeps the messages.
    MessagesLost,
    /// The producers keep the messages until the broker is back.
    MessagesWait,
}

impl Effect {
    /// Kebab-case name, as in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Down => "down",
            Self::InGroup { .. } => "in-lost-group",
            Self::InstancesLeft { .. } => "instances-left",
            Self::OtherZonesTakeOver { .. } => "other-zones-take-over",
            Self::OtherRegionTakesOver { .. } => "other-region-takes-over",
            Self::Misrouted => "misrouted",
            Self::ReplicaTakesOver => "replica-takes-over",
            Self::ReadsFromReplica => "reads-from-replica",
            Self::Slowed { .. } => "slowed",
            Self::Cold => "cold",
            Self::ConsumersStopped => "consumers-stopped",
            Self::Hangs => "hangs",
            Self::TimesOut { .. } => "times-out",
            Self::TooSlow { .. } => "too-slow",
            Self::Retries { .. } => "retries",
            Self::BreakerOpens => "breaker-opens",
            Self::BreakerCannotOpen => "breaker-cannot-open",
            Self::BulkheadRejects => "bulkhead-rejects",
            Self::FallbackAnswers => "fallback-answers",
            Self::FallbackNeverRuns => "fallback-never-runs",
            Self::CallFails => "call-fails",
            Self::WritesRejected => "writes-rejected",
            Self::PublishLost => "publish-lost",
            Self::PublishKept => "publish-kept",
            Self::PoolExhausted { .. } => "pool-exhausted",
            Self::CacheBypassed { .. } => "cache-bypassed",
            Self::ServedFromCache { .. } => "served-from-cache",
            Self::CdnServesCached => "cdn-serves-cached",
            Self::TenantIsolated { .. } => "tenant-isolated",
            Self::RoutedAround => "routed-around",
            Self::Overloaded { .. } => "overloaded",
            Self::ScalesOut { .. } => "scales-out",
            Self::Backlog { .. } => "backlog",
            Self::OverLatencyTarget { .. } => "over-latency-target",
            Self::Buffered { .. } => "buffered",
            Self::DeadLettered { .. } => "dead-lettered",
            Self::RetriedForever => "retried-forever",
            Self::Dropped { .. } => "dropped",
            Self::Compensated => "compensated",
            Self::LeftHalfDone => "left-half-done",
            Self::Replayable => "replayable",
            Self::MessagesLost => "messages-lost",
            Self::MessagesWait => "messages-wait",
        }
    }
}

/// One step of an explanation.
#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    /// The component or connection where it happens.
    pub at: Subject,
    pub effect: Effect,
    /// What decided it, most specific first.
    pub decided_by: Vec<Cause>,
    /// One sentence for people, with the names from the diagram.
    pub text: String,
}

/// Collects reasons while the simulation runs, each (place, effect) once.
pub(super) struct Recorder {
    enabled: bool,
    pub reasons: Vec<Reason>,
    seen: HashMap<(Subject, Effect), usize>,
    findings: HashSet<(&'static str, Subject)>,
}

impl Recorder {
    pub fn new(findings: &[Finding]) -> Self {
        Self {
            enabled: true,
            reasons: Vec::new(),
            seen: HashMap::new(),
            findings: findings.iter().map(|f| (f.rule.id, f.subject)).collect(),
        }
    }

    /// A recorder that keeps nothing, for the first (load-finding) pass.
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            reasons: Vec::new(),
            seen: HashMap::new(),
            findings: HashSet::new(),
        }
    }

    /// Records a reason (once per place and effect) and returns its index.
    /// `rules` are rule ids linked only when `rules::check` reports them
    /// for `rule_subject`.
    pub fn add(
        &mut self,
        at: Subject,
        effect: Effect,
        mut decided_by: Vec<Cause>,
        rules: &[(&'static str, Subject)],
    ) -> usize {
        if !self.enabled {
            return usize::MAX;
        }
        if let Some(&index) = self.seen.get(&(at, effect)) {
            return index;
        }
        for &(rule_id, subject) in rules {
            if self.findings.contains(&(rule_id, subject)) {
                decided_by.push(Cause::Rule { rule_id, subject });
            }
        }
        let index = self.reasons.len();
        self.reasons.push(Reason {
            at,
            effect,
            decided_by,
            text: String::new(),
        });
        self.seen.insert((at, effect), index);
        index
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Writes every reason's sentence.
    pub fn finish(mut self, diagram: &Diagram) -> Vec<Reason> {
        for reason in &mut self.reasons {
            reason.text = sentence(diagram, reason.at, reason.effect);
        }
        self.reasons
    }
}

fn component_name(diagram: &Diagram, id: Id) -> &str {
    diagram.component(id).map_or("?", |c| c.name.as_str())
}

fn group_name(diagram: &Diagram, id: Id) -> &str {
    diagram.group(id).map_or("?", |g| g.label.as_str())
}

/// "x2.5" style factor from hundredths.
fn factor_text(factor_x100: u32) -> String {
    if factor_x100.is_multiple_of(100) {
        format!("{}", factor_x100 / 100)
    } else {
        format!("{:.2}", f64::from(factor_x100) / 100.0)
            .trim_end_matches('0')
            .to_owned()
    }
}

/// The sentence for one reason, in our words.
pub(super) fn sentence(diagram: &Diagram, at: Subject, effect: Effect) -> String {
    let (here, from, to) = match at {
        Subject::Connection(id) => match diagram.connection(id) {
            Some(c) => (
                format!(
                    "{} → {}",
                    component_name(diagram, c.from),
                    component_name(diagram, c.to)
                ),
                component_name(diagram, c.from).to_owned(),
                component_name(diagram, c.to).to_owned(),
            ),
            None => ("?".to_owned(), "?".to_owned(), "?".to_owned()),
        },
        Subject::Component(id) => {
            let name = component_name(diagram, id).to_owned();
            (name.clone(), name.clone(), name)
        }
        Subject::Group(id) => {
            let name = group_name(diagram, id).to_owned();
            (name.clone(), name.clone(), name)
        }
        Subject::Design => {
            let name = diagram.title.clone();
            (name.clone(), name.clone(), name)
        }
    };
    let name = |id: Id| component_name(diagram, id).to_owned();
    let group = |id: Id| group_name(diagram, id).to_owned();
    let what = match effect {
        Effect::Down => "is down and does not answer".to_owned(),
        Effect::InGroup { group: g } => format!(
            "sits in {} and nothing of it runs elsewhere, so it goes down with it",
            group(g)
        ),
        Effect::InstancesLeft { group: g, left, of } => format!(
            "loses its instances in {}; {left} of {of} keep serving at reduced capacity",
            group(g)
        ),
        Effect::OtherZonesTakeOver { group: g } => format!(
            "is spread over zones, so its copies outside {} carry on",
            group(g)
        ),
        Effect::OtherRegionTakesOver { group: g } => format!(
            "keeps a copy outside {}, so the data stays available from another region",
            group(g)
        ),
        Effect::Misrouted => {
            "has no health checks, so part of the traffic still goes to what is lost and those requests fail"
                .to_owned()
        }
        Effect::ReplicaTakesOver => {
            "fails over to a replica; writes pause for a few seconds while it is promoted".to_owned()
        }
        Effect::ReadsFromReplica => {
            "has a replica but no automatic failover: reads still work, writes fail until someone promotes it"
                .to_owned()
        }
        Effect::Slowed { factor_x100 } => {
            format!("answers {}× slower than usual", factor_text(factor_x100))
        }
        Effect::Cold => "starts empty, so every read misses at first".to_owned(),
        Effect::ConsumersStopped => "has its consumers stopped".to_owned(),
        Effect::Hangs => format!(
            "the call has no timeout, so {from} waits for as long as {to} does not answer"
        ),
        Effect::TimesOut { timeout_ms } => {
            format!("the {} timeout ends each wait", duration_text(timeout_ms))
        }
        Effect::TooSlow {
            latency_ms,
            timeout_ms,
        } => format!(
            "{to} takes about {} but the timeout is {}, so the calls time out",
            duration_text(latency_ms),
            duration_text(timeout_ms)
        ),
        Effect::Retries { attempts, jitter } => {
            let waves = if jitter {
                ""
            } else {
                ", and without jitter the retries arrive in waves"
            };
            format!("{attempts} attempts per request, so {to} gets {attempts}× the calls while it fails{waves}")
        }
        Effect::BreakerOpens => {
            format!("the circuit breaker opens, so calls fail at once instead of piling up on {to}")
        }
        Effect::BreakerCannotOpen => {
            "the circuit breaker never opens: without a timeout no call ever ends, so none counts as failed"
                .to_owned()
        }
        Effect::BulkheadRejects => format!(
            "the bulkhead fills up and rejects further calls, so waiting on {to} stays in its own pool"
        ),
        Effect::FallbackAnswers => format!("the fallback answers instead, so {from} degrades"),
        Effect::FallbackNeverRuns => {
            "the fallback never runs, because the call never fails: it only waits".to_owned()
        }
        Effect::CallFails => format!("the call fails and {from} has no fallback answer"),
        Effect::WritesRejected => format!("{to} only serves reads right now, so the writes fail"),
        Effect::PublishLost => format!(
            "{to} does not accept messages, so they are lost (there is no outbox to keep them)"
        ),
        Effect::PublishKept => {
            format!("messages wait in {from}'s outbox (the fallback) until {to} is back")
        }
        Effect::PoolExhausted { connection } => {
            let target = diagram
                .connection(connection)
                .map_or("?".to_owned(), |c| name(c.to));
            format!("every request waits on {target}, so its threads run out and it stops answering")
        }
        Effect::CacheBypassed { cache } => format!(
            "works without {}: every read goes to the store behind it, slower",
            name(cache)
        ),
        Effect::ServedFromCache { store } => format!(
            "serves the reads it finds in the cache; reads that miss need {} and fail",
            name(store)
        ),
        Effect::CdnServesCached => {
            "serves its cached copies while the origin is out; requests it has no copy of fail"
                .to_owned()
        }
        Effect::TenantIsolated { group: g } => format!(
            "keeps serving the other tenants: only those in {} lose their data store",
            group(g)
        ),
        Effect::RoutedAround => {
            "probes its targets' health and sends the traffic to those still answering".to_owned()
        }
        Effect::Overloaded { percent } => {
            let refuses = match at {
                Subject::Component(id) => diagram.component(id).is_some_and(|c| {
                    matches!(
                        c.kind,
                        crate::catalog::ComponentKind::Queue
                            | crate::catalog::ComponentKind::EventStore
                            | crate::catalog::ComponentKind::ExternalService
                    )
                }),
                _ => false,
            };
            if refuses {
                format!("needs {percent}% of its capacity, so it turns the excess away (throttling)")
            } else {
                format!("needs {percent}% of its capacity, so requests queue up and time out")
            }
        }
        Effect::ScalesOut { instances } => format!(
            "needs about {instances} instances to keep up; autoscaling adds them, slowly at first"
        ),
        Effect::Backlog { percent } => format!(
            "gets {percent}% of what it can process, so a backlog grows in front of it"
        ),
        Effect::OverLatencyTarget {
            latency_ms,
            target_ms,
        } => format!(
            "answers in about {}, over the {} latency target",
            duration_text(latency_ms),
            duration_text(target_ms)
        ),
        Effect::Buffered { retention_days } => format!(
            "the queue keeps the messages until {to} takes them again (for up to {retention_days} days)"
        ),
        Effect::DeadLettered { attempts } => format!(
            "the consumer keeps failing on the messages; after {attempts} attempts they go to the dead-letter queue, to be replayed later"
        ),
        Effect::RetriedForever => {
            "redelivers failing messages without a limit: they wait until the consumer recovers, but a message that can never succeed comes back forever"
                .to_owned()
        }
        Effect::Dropped { attempts } => format!(
            "drops the failing messages after {attempts} attempts: there is no dead-letter queue to keep them"
        ),
        Effect::Compensated => {
            "runs its compensation steps, so a half-finished transaction is undone cleanly".to_owned()
        }
        Effect::LeftHalfDone => {
            "has no compensation steps, so a half-finished transaction stays behind".to_owned()
        }
        Effect::Replayable => {
            "keeps the events, so the consumer can replay them once it works again".to_owned()
        }
        Effect::MessagesLost => {
            "takes no messages and no producer keeps them, so they are lost".to_owned()
        }
        Effect::MessagesWait => {
            "takes no messages, but the producers keep them until it is back".to_owned()
        }
    };
    format!("{here}: {what}")
}

/// "300 ms", "2 s", "1.5 s".
fn duration_text(ms: u32) -> String {
    if ms < 1_000 {
        format!("{ms} ms")
    } else if ms.is_multiple_of(1_000) {
        format!("{} s", ms / 1_000)
    } else {
        format!("{:.1} s", f64::from(ms) / 1_000.0)
    }
}
