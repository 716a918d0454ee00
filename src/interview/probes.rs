//! Mock-interviewer probes: the questions worth asking about the design on
//! the board right now, and what the interviewer noted about each answer.
//!
//! Probes come from two places: every open checklist finding (its rule's
//! question, about the finding's subject), and the questions that each kind
//! of component invites whether or not anything is missing (a cache invites
//! "how is it kept fresh?"). A few questions about the design as a whole
//! close the list.
//!
//! Probes are recomputed from the diagram whenever it changes; each has a
//! stable [`Probe::key`] so the interviewer's [`ProbeRecord`] (asked, rating,
//! note), kept in a map by key, survives the recomputation. Known limit: a
//! record whose probe disappears (the gap was fixed) stays in the map; the
//! report lists it under its key.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::catalog::ComponentKind as K;
use crate::model::{Component, Diagram, Subject};
use crate::rules::{self, Finding, Severity};

/// Where a probe comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeSource {
    /// An open checklist finding of this rule.
    Finding {
        rule_id: &'static str,
        severity: Severity,
    },
    /// A question this kind of component invites.
    Kind(K),
    /// A question about the design as a whole.
    Design,
    /// A question a what-if scenario raised (merged in by the app, which
    /// runs the simulation).
    WhatIf,
}

/// One question for the interviewer to ask.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    /// Stable across recomputation: `"<rule id>:<subject>"` for findings
    /// (e.g. `"MSG-001:component:6"`), `"kind:<Kind>:<component id>"` for
    /// kind questions, `"design:<topic>"` for design-wide ones.
    pub key: String,
    pub source: ProbeSource,
    /// What the question is about; the UI selects it on click.
    pub subject: Subject,
    /// The subject's display name (the design's title for the whole design).
    pub subject_name: String,
    /// The question, in the interviewer's words.
    pub question: String,
    /// What a good answer covers, or what the checklist found, for the
    /// interviewer's eyes.
    pub hint: String,
}

/// How well the candidate answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rating {
    Strong,
    Partial,
    Missed,
}

impl Rating {
    pub const ALL: [Self; 3] = [Self::Strong, Self::Partial, Self::Missed];

    /// Sentence-case name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Strong => "Strong",
            Self::Partial => "Partial",
            Self::Missed => "Missed",
        }
    }
}

/// What the interviewer noted about one probe.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProbeRecord {
    pub asked: bool,
    pub rating: Option<Rating>,
    pub note: String,
}

impl ProbeRecord {
    /// True when nothing has been recorded (so the entry can be dropped).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The stable text of a subject inside a probe key.
pub fn subject_key(subject: Subject) -> String {
    match subject {
        Subject::Design => "design".to_owned(),
        Subject::Component(id) => format!("component:{}", id.0),
        Subject::Connection(id) => format!("connection:{}", id.0),
        Subject::Group(id) => format!("group:{}", id.0),
    }
}

/// The probes for a design: runs the checklist, then [`probes_from`].
pub fn probes(diagram: &Diagram) -> Vec<Probe> {
    let findings = rules::check(diagram);
    probes_from(diagram, &findings)
}

/// The probes for a design whose findings are already known (the app keeps
/// them per document revision). Order: open findings in checklist order,
/// then kind questions by component id, then design-wide questions. No two
/// probes share a key, and a kind question is left out when an open finding
/// on the same component already asks it.
pub fn probes_from(diagram: &Diagram, findings: &[Finding]) -> Vec<Probe> {
    let review = rules::review(diagram, findings);
    let mut keys = BTreeSet::new();
    let mut out = Vec::new();
    let mut covered: BTreeSet<(&str, Subject)> = BTreeSet::new();

    for finding in &review.open {
        let key = format!("{}:{}", finding.rule.id, subject_key(finding.subject));
        covered.insert((finding.rule.id, finding.subject));
        if keys.insert(key.clone()) {
            out.push(Probe {
                key,
                source: ProbeSource::Finding {
                    rule_id: finding.rule.id,
                    severity: finding.severity,
                },
                subject: finding.subject,
                subject_name: finding.subject_name.clone(),
                question: finding.rule.question.to_owned(),
                hint: finding.message.clone(),
            });
        }
    }

    for component in &diagram.components {
        let Some(question) = kind_question(component) else {
            continue;
        };
        let subject = Subject::Component(component.id);
        let already_asked = question
            .covered_by
            .iter()
            .any(|rule_id| covered.contains(&(*rule_id, subject)));
        let key = format!("kind:{:?}:{}", component.kind, component.id.0);
        if already_asked || !keys.insert(key.clone()) {
            continue;
        }
        out.push(Probe {
            key,
            source: ProbeSource::Kind(component.kind),
            subject,
            subject_name: component.name.clone(),
            question: question.question,
            hint: question.hint.to_owned(),
        });
    }

    for (topic, question, hint) in design_questions(diagram) {
        let key = format!("design:{topic}");
        if keys.insert(key.clone()) {
            out.push(Probe {
                key,
                source: ProbeSource::Design,
                subject: Subject::Design,
                subject_name: diagram.title.clone(),
                question,
                hint: hint.to_owned(),
            });
        }
    }
    out
}

/// A question a component kind invites.
struct KindQuestion {
    question: String,
    hint: &'static str,
    /// Rules whose open finding on the same component asks the same thing.
    covered_by: &'static [&'static str],
}

fn kind_question(c: &Component) -> Option<KindQuestion> {
    let name = c.name.as_str();
    let q = |question: String, hint: &'static str, covered_by: &'static [&'static str]| {
        Some(KindQuestion {
            question,
            hint,
            covered_by,
        })
    };
    match c.kind {
        K::Client => q(
            format!(
                "The network drops while {name} is sending a request: what does the user see, and can the retry create a duplicate?"
            ),
            "Offline state, idempotency keys on writes, retries with backoff",
            &[],
        ),
        K::TrafficManager => q(
            format!(
                "A whole region goes dark: how fast does {name} move users elsewhere, and what do they lose on the way?"
            ),
            "Health probes per region, DNS TTLs, data replicated ahead of time",
            &["FAIL-011"],
        ),
        K::Cdn => q(
            format!(
                "What does {name} cache and for how long, and how do you pull content that must change right now?"
            ),
            "Cache keys, TTL per path, purge or versioned URLs",
            &[],
        ),
        K::LoadBalancer => q(
            format!(
                "How does {name} learn that an instance is sick, and what happens to the requests that instance is holding?"
            ),
            "Readiness probes, connection draining, retries only for safe requests",
            &["FAIL-012"],
        ),
        K::ApiGateway => q(
            format!(
                "What does {name} do to every request before a service sees it, and what keeps it from being the single point of failure?"
            ),
            "Authentication, rate limits, routing and TLS; several instances across zones",
            &[],
        ),
        K::Service => q(
            format!(
                "Traffic to {name} grows tenfold overnight: what breaks first, and how do you scale past it?"
            ),
            "Stateless instances behind a balancer, autoscaling, the store behind it as the real limit",
            &[],
        ),
        K::Worker => q(
            format!(
                "{name} crashes halfway through a job, or gets the same message twice: what happens?"
            ),
            "Acknowledge after the work is done, idempotent handling, safe restarts",
            &["MSG-003"],
        ),
        K::RealtimeHub => q(
            format!(
                "A message arrives at one instance of {name} but its recipient is connected to another: how does it get there?"
            ),
            "A backplane (Redis or a managed service) or routing by connection, sticky sessions",
            &["RT-001"],
        ),
        K::Cache => q(
            format!(
                "How does {name} stay in step with the data behind it, and what shields the store when many popular entries expire at once?"
            ),
            "TTL or event-driven invalidation, jittered expiry, request coalescing, hot keys",
            &["SCALE-002", "SCALE-010"],
        ),
        K::RelationalDb => q(
            format!(
                "The primary of {name} fails at peak: what takes over, how long does that take and which writes can be lost?"
            ),
            "Replicas and automatic failover, RPO and RTO, connection retry in the callers",
            &["FAIL-010"],
        ),
        K::DocumentDb => {
            let key = c.properties.partition_key.as_deref().unwrap_or("").trim();
            let question = if key.is_empty() {
                format!(
                    "What should {name} be partitioned by, and would any single key value attract most of the traffic?"
                )
            } else {
                format!(
                    "{name} is partitioned by {key}: could one value of it attract most of the reads or writes, and which queries have to fan out to every partition?"
                )
            };
            q(
                question,
                "High-cardinality keys, hot partitions, cross-partition queries, consistency level",
                &["SCALE-003", "SCALE-004", "SCALE-009"],
            )
        }
        K::ObjectStorage => q(
            format!(
                "How are the files in {name} protected against losing a zone, or someone deleting them by mistake?"
            ),
            "Zone or geo redundancy, soft delete and versioning, access through short-lived links",
            &[],
        ),
        K::SearchIndex => q(
            format!("How do new writes reach {name}, and how stale may search results be?"),
            "Indexing through a queue or change feed, rebuilding the index from the source",
            &[],
        ),
        K::Queue => q(
            format!(
                "Why does the design need {name}, and what happens to a message that fails every time it is processed?"
            ),
            "Decoupling and buffering peaks; dead-letter queue, max delivery count, alerting on it",
            &["MSG-001", "MSG-002", "MSG-006"],
        ),
        K::EventStore => q(
            format!(
                "How long would a full replay of {name} take, and how do you change the shape of an event that is already stored?"
            ),
            "Snapshots, versioned events and upcasting, replay to rebuild read models",
            &["MSG-005"],
        ),
        K::IdentityProvider => q(
            format!(
                "How do services check the tokens that {name} issues, and how does the caller's identity travel from one service to the next?"
            ),
            "Signature, audience and expiry checks; token exchange or on-behalf-of; service identities",
            &[],
        ),
        K::ExternalService => q(
            format!(
                "{name} is slow or down for an hour: what do users see, and what happens to the work that needed it?"
            ),
            "Timeouts, circuit breaker, queue the work and retry later, a degraded answer",
            &[],
        ),
        K::LogSink => q(
            format!("Latency spikes at 3 a.m.: how would you use {name} to find the cause?"),
            "Structured fields, correlation ids, linking logs to traces and metrics",
            &[],
        ),
        K::Metrics => q(
            format!(
                "Which signals in {name} wake someone up at night, and which tell you users are hurting?"
            ),
            "Latency, errors, throughput and saturation; alerts on symptoms rather than causes",
            &["OBS-003"],
        ),
        K::Tracing => q(
            format!("How does trace context reach {name} across queues as well as HTTP calls?"),
            "Propagating trace headers in message metadata, sampling",
            &[],
        ),
        K::Analytics => q(
            format!(
                "How is {name} kept off the user's request path, and what happens when it falls behind?"
            ),
            "Publish events asynchronously, back-pressure, replay from the log",
            &["SCALE-006"],
        ),
        K::Workflow => q(
            format!(
                "A late step of {name} fails after earlier ones succeeded: how is the business transaction finished or undone?"
            ),
            "Compensating actions, idempotent steps, timeouts and a visible state per instance",
            &["FAIL-008"],
        ),
    }
}

/// Questions about the design as a whole: (topic, question, hint).
fn design_questions(diagram: &Diagram) -> Vec<(&'static str, String, &'static str)> {
    let mut out = Vec::new();
    if diagram.components.is_empty() {
        return out;
    }
    let services = diagram
        .components
        .iter()
        .filter(|c| c.kind == K::Service)
        .count();
    if services >= 3 {
        out.push((
            "monolith",
            format!("Why split this into {services} services rather than one modular monolith?"),
            "Team boundaries, independent scaling and deployment, against the cost of distributed calls",
        ));
    }
    out.push((
        "scale",
        "Where is the hot spot at ten times today's traffic?".to_owned(),
        "The busiest store or partition, fan-out, connection limits",
    ));
    out.push((
        "trade-offs",
        "What did you give up with this design, and what would make you change it?".to_owned(),
        "Consistency against availability, cost against performance, complexity against flexibility",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Component, Connection, ConnectionKind, Decision, DecisionStatus, Id, Point, Policy,
    };

    fn component(id: u64, kind: K, name: &str) -> Component {
        Component {
            id: Id(id),
            kind,
            name: name.to_owned(),
            position: Point::new(id as f32 * 300.0, 0.0),
            properties: kind.default_properties(),
        }
    }

    /// An API that publishes to a queue read by a worker, with a cache.
    fn design() -> Diagram {
        let mut d = Diagram::new("Orders");
        d.components = vec![
            component(1, K::Service, "Orders API"),
            component(2, K::Queue, "Order events"),
            component(3, K::Worker, "Shipper"),
            component(4, K::Cache, "Orders cache"),
        ];
        for (id, from, to, kind) in [
            (5, 1, 2, ConnectionKind::Publish),
            (6, 2, 3, ConnectionKind::Consume),
            (7, 1, 4, ConnectionKind::Read),
        ] {
            d.connections.push(Connection {
                id: Id(id),
                from: Id(from),
                to: Id(to),
                kind,
                label: String::new(),
                policy: Policy::default(),
                idempotent: false,
            });
        }
        d.next_id = 8;
        d
    }

    #[test]
    fn open_findings_become_probes_about_their_subject() {
        let d = design();
        let probes = probes(&d);
        let dlq = probes
            .iter()
            .find(|p| p.key == "MSG-001:component:2")
            .expect("the queue without a dead-letter queue is probed");
        assert_eq!(dlq.subject, Subject::Component(Id(2)));
        assert_eq!(dlq.subject_name, "Order events");
        assert_eq!(dlq.question, rules::rule("MSG-001").unwrap().question);
        assert!(matches!(
            dlq.source,
            ProbeSource::Finding {
                rule_id: "MSG-001",
                ..
            }
        ));
        // Every open finding has a probe.
        let findings = rules::check(&d);
        for f in &findings {
            let key = format!("{}:{}", f.rule.id, subject_key(f.subject));
            assert!(probes.iter().any(|p| p.key == key), "{key}");
        }
    }

    #[test]
    fn component_kinds_invite_their_own_questions() {
        let probes = probes(&design());
        let cache = probes
            .iter()
            .find(|p| p.key == "kind:Cache:4")
            .map(|p| p.question.as_str());
        // The cache's default has no invalidation, so SCALE-002 fires and
        // asks about freshness already: the kind question is left out.
        assert!(cache.is_none(), "{cache:?}");
        assert!(probes.iter().any(|p| p.key == "SCALE-002:component:4"));

        let worker = probes.iter().find(|p| p.key == "kind:Worker:3");
        // MSG-003 (consumer not idempotent) covers the worker's question.
        assert!(worker.is_none());
        let service = probes.iter().find(|p| p.key == "kind:Service:1").unwrap();
        assert!(service.question.contains("Orders API"));
        assert_eq!(service.source, ProbeSource::Kind(K::Service));
    }

    #[test]
    fn fixing_a_gap_brings_back_the_kind_question() {
        let mut d = design();
        d.components[3].properties.invalidation = Some(crate::model::Invalidation::Ttl);
        d.components[3].properties.ttl_s = Some(300);
        let probes = probes(&d);
        assert!(!probes.iter().any(|p| p.key.starts_with("SCALE-002:")));
        let cache = probes.iter().find(|p| p.key == "kind:Cache:4").unwrap();
        assert!(cache.question.contains("Orders cache"));
        assert!(cache.question.contains("expire at once"));
    }

    #[test]
    fn accepted_trade_offs_are_not_probed_again() {
        let mut d = design();
        d.decisions.push(Decision {
            rule_id: "MSG-001".to_owned(),
            subject: Subject::Component(Id(2)),
            status: DecisionStatus::AcceptedTradeOff,
            note: "Failed messages are logged and replayed by hand".to_owned(),
        });
        let probes = probes(&d);
        assert!(!probes.iter().any(|p| p.key == "MSG-001:component:2"));
    }

    #[test]
    fn keys_are_unique_and_the_order_is_stable() {
        let d = design();
        let first = probes(&d);
        let again = probes(&d);
        assert_eq!(first, again);
        let mut keys: Vec<&str> = first.iter().map(|p| p.key.as_str()).collect();
        let count = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), count, "no duplicate keys");
        // Findings first, then kind questions, then design-wide ones.
        let rank = |p: &Probe| match p.source {
            ProbeSource::Finding { .. } => 0,
            ProbeSource::Kind(_) => 1,
            ProbeSource::Design => 2,
            ProbeSource::WhatIf => 3,
        };
        assert!(first.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])));
        assert_eq!(first.last().unwrap().key, "design:trade-offs");
    }

    #[test]
    fn keys_survive_unrelated_edits() {
        let mut d = design();
        let before: Vec<String> = probes(&d).into_iter().map(|p| p.key).collect();
        d.components.push(component(8, K::RelationalDb, "Ledger"));
        d.next_id = 9;
        let after: Vec<String> = probes(&d).into_iter().map(|p| p.key).collect();
        for key in &before {
            assert!(after.contains(key), "{key} is still there");
        }
        assert!(after.iter().any(|k| k == "FAIL-010:component:8"));
    }

    #[test]
    fn a_document_store_question_names_its_partition_key() {
        let mut d = Diagram::new("Feed");
        let mut store = component(1, K::DocumentDb, "Posts");
        store.properties.partition_key = Some("userId".to_owned());
        d.components.push(store);
        d.next_id = 2;
        let probes = probes(&d);
        let question = &probes
            .iter()
            .find(|p| p.key == "kind:DocumentDb:1")
            .unwrap()
            .question;
        assert!(question.contains("partitioned by userId"), "{question}");
    }

    #[test]
    fn an_empty_design_has_no_probes_and_many_services_ask_why() {
        assert!(probes(&Diagram::new("Empty")).is_empty());
        let mut d = Diagram::new("Shop");
        d.components = (1..=3)
            .map(|i| component(i, K::Service, &format!("Service {i}")))
            .collect();
        d.next_id = 4;
        assert!(probes(&d).iter().any(|p| p.key == "design:monolith"));
    }

    #[test]
    fn an_empty_record_is_recognised() {
        let mut record = ProbeRecord::default();
        assert!(record.is_empty());
        record.asked = true;
        assert!(!record.is_empty());
    }
}
