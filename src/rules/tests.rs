//! One test per rule that makes it fire (and checks the message names the
//! subject and the quick fix closes the finding, with an exact undo), one
//! per rule that makes it stay quiet, and tests of the engine as a whole.

use super::*;
use crate::catalog::ComponentKind as K;
use crate::model::{
    Backplane, Component, Connection, ConnectionKind as C, Consistency, ConsistencyNeed, Group,
    GroupKind, Id, Invalidation, Point, Properties, Rect, Retry,
};

/// Builds small diagrams with catalog defaults.
struct B {
    d: Diagram,
}

impl B {
    fn new() -> Self {
        Self {
            d: Diagram::new("Test design"),
        }
    }

    fn add(&mut self, kind: K, name: &str) -> Id {
        let id = Id(self.d.next_id);
        self.d.next_id += 1;
        let n = self.d.components.len() as f32;
        self.d.components.push(Component {
            id,
            kind,
            name: name.to_owned(),
            position: Point::new(n * 240.0, 0.0),
            properties: kind.default_properties(),
        });
        id
    }

    fn link(&mut self, from: Id, to: Id, kind: C) -> Id {
        let id = Id(self.d.next_id);
        self.d.next_id += 1;
        self.d.connections.push(Connection {
            id,
            from,
            to,
            kind,
            label: String::new(),
            policy: Default::default(),
            idempotent: false,
        });
        id
    }

    fn group(&mut self, kind: GroupKind, label: &str) -> Id {
        let id = Id(self.d.next_id);
        self.d.next_id += 1;
        self.d.groups.push(Group {
            id,
            kind,
            label: label.to_owned(),
            rect: Rect::new(0.0, 0.0, 100.0, 100.0),
        });
        id
    }
}

fn props(d: &mut Diagram, id: Id) -> &mut Properties {
    &mut d
        .components
        .iter_mut()
        .find(|c| c.id == id)
        .unwrap()
        .properties
}

fn conn(d: &mut Diagram, id: Id) -> &mut Connection {
    d.connections.iter_mut().find(|c| c.id == id).unwrap()
}

/// A fire case: a diagram on which the rule fires for `subject`, and a
/// change that closes the gap.
struct Case {
    rule: &'static str,
    fires: fn() -> (Diagram, Subject),
    quiet: fn(&mut Diagram),
}

fn service_calls_payment() -> (B, Id, Id, Id) {
    let mut b = B::new();
    let api = b.add(K::Service, "Orders API");
    let pay = b.add(K::ExternalService, "Payment");
    let call = b.link(api, pay, C::Request);
    (b, api, pay, call)
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            rule: "FAIL-001",
            fires: || {
                let (b, _, _, call) = service_calls_payment();
                (b.d, Subject::Connection(call))
            },
            quiet: |d| conn(d, Id(3)).policy.timeout_ms = Some(2000),
        },
        Case {
            rule: "FAIL-002",
            fires: || {
                let (mut b, _, _, call) = service_calls_payment();
                let c = conn(&mut b.d, call);
                c.policy.retry = Retry::Fixed;
                c.policy.max_retries = 3;
                (b.d, Subject::Connection(call))
            },
            quiet: |d| conn(d, Id(3)).policy.retry = Retry::ExponentialJitter,
        },
        Case {
            rule: "FAIL-003",
            fires: || {
                let (b, _, _, call) = service_calls_payment();
                (b.d, Subject::Connection(call))
            },
            quiet: |d| conn(d, Id(3)).policy.circuit_breaker = true,
        },
        Case {
            rule: "FAIL-004",
            fires: || {
                let (mut b, _, _, call) = service_calls_payment();
                conn(&mut b.d, call).policy.retry = Retry::ExponentialJitter;
                (b.d, Subject::Connection(call))
            },
            quiet: |d| conn(d, Id(3)).idempotent = true,
        },
        Case {
            rule: "FAIL-005",
            fires: || {
                let (mut b, api, _, call) = service_calls_payment();
                conn(&mut b.d, call).policy.retry = Retry::ExponentialJitter;
                let gw = b.add(K::ApiGateway, "Gateway");
                let outer = b.link(gw, api, C::Request);
                conn(&mut b.d, outer).policy.retry = Retry::ExponentialJitter;
                (b.d, Subject::Connection(outer))
            },
            quiet: |d| conn(d, Id(5)).policy.retry = Retry::None,
        },
        Case {
            rule: "FAIL-006",
            fires: || {
                let (mut b, api, _, call) = service_calls_payment();
                let db = b.add(K::RelationalDb, "Orders DB");
                b.link(api, db, C::Write);
                (b.d, Subject::Connection(call))
            },
            quiet: |d| conn(d, Id(3)).policy.bulkhead = true,
        },
        Case {
            rule: "FAIL-007",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Catalog API");
                let pricing = b.add(K::Service, "Pricing");
                let cache = b.add(K::Cache, "Catalog cache");
                let call = b.link(api, pricing, C::Request);
                b.link(api, cache, C::Read);
                (b.d, Subject::Connection(call))
            },
            quiet: |d| conn(d, Id(4)).policy.fallback = true,
        },
        Case {
            rule: "FAIL-008",
            fires: || {
                let mut b = B::new();
                b.add(K::Service, "Orders API");
                b.add(K::Service, "Payment service");
                b.add(K::Worker, "Inventory worker");
                (b.d, Subject::Design)
            },
            quiet: |d| {
                let mut b = B { d: d.clone() };
                let saga = b.add(K::Workflow, "Order saga");
                props(&mut b.d, saga).compensation = Some(true);
                *d = b.d;
            },
        },
        Case {
            rule: "FAIL-009",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Orders API");
                (b.d, Subject::Component(api))
            },
            quiet: |d| props(d, Id(1)).instances = Some(2),
        },
        Case {
            rule: "FAIL-010",
            fires: || {
                let mut b = B::new();
                let db = b.add(K::RelationalDb, "Orders DB");
                (b.d, Subject::Component(db))
            },
            quiet: |d| props(d, Id(1)).failover = Some(true),
        },
        Case {
            rule: "FAIL-011",
            fires: || {
                let mut b = B::new();
                b.add(K::Service, "Orders API");
                b.group(GroupKind::Region, "West Europe");
                b.d.requirements.availability_percent = Some(99.99);
                (b.d, Subject::Design)
            },
            quiet: |d| {
                let mut b = B { d: d.clone() };
                b.group(GroupKind::Region, "North Europe");
                *d = b.d;
            },
        },
        Case {
            rule: "FAIL-012",
            fires: || {
                let mut b = B::new();
                let lb = b.add(K::LoadBalancer, "Balancer");
                let api = b.add(K::Service, "Orders API");
                b.link(lb, api, C::Request);
                props(&mut b.d, lb).health_checks = Some(true);
                (b.d, Subject::Component(api))
            },
            quiet: |d| props(d, Id(2)).health_checks = Some(true),
        },
        Case {
            rule: "OBS-001",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Orders API");
                (b.d, Subject::Component(api))
            },
            quiet: |d| {
                // A link to a log store counts as much as the property.
                let mut b = B { d: d.clone() };
                let logs = b.add(K::LogSink, "Logs");
                b.link(Id(1), logs, C::Publish);
                *d = b.d;
            },
        },
        Case {
            rule: "OBS-002",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Worker, "Email worker");
                (b.d, Subject::Component(api))
            },
            quiet: |d| props(d, Id(1)).metrics = Some(true),
        },
        Case {
            rule: "OBS-003",
            fires: || {
                let mut b = B::new();
                let m = b.add(K::Metrics, "Azure Monitor");
                (b.d, Subject::Component(m))
            },
            quiet: |d| props(d, Id(1)).alerts = Some(true),
        },
        Case {
            rule: "OBS-004",
            fires: || {
                let mut b = B::new();
                let gw = b.add(K::ApiGateway, "Gateway");
                let api = b.add(K::Service, "Orders API");
                b.link(gw, api, C::Request);
                (b.d, Subject::Component(api))
            },
            quiet: |d| {
                let mut b = B { d: d.clone() };
                let tracing = b.add(K::Tracing, "Jaeger");
                b.link(Id(1), tracing, C::Publish);
                b.link(Id(2), tracing, C::Publish);
                *d = b.d;
            },
        },
        Case {
            rule: "OBS-005",
            fires: || {
                let mut b = B::new();
                let q = b.add(K::Queue, "Orders queue");
                (b.d, Subject::Component(q))
            },
            quiet: |d| {
                let mut b = B { d: d.clone() };
                let m = b.add(K::Metrics, "Azure Monitor");
                b.link(Id(1), m, C::Publish);
                *d = b.d;
            },
        },
        Case {
            rule: "SCALE-001",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Redirect API");
                let db = b.add(K::RelationalDb, "Links DB");
                b.link(api, db, C::Read);
                b.d.requirements.read_write_ratio = Some(100.0);
                (b.d, Subject::Design)
            },
            quiet: |d| {
                let mut b = B { d: d.clone() };
                let cache = b.add(K::Cache, "Links cache");
                b.link(Id(1), cache, C::Read);
                *d = b.d;
            },
        },
        Case {
            rule: "SCALE-002",
            fires: || {
                let mut b = B::new();
                let cache = b.add(K::Cache, "Catalog cache");
                (b.d, Subject::Component(cache))
            },
            quiet: |d| props(d, Id(1)).invalidation = Some(Invalidation::EventDriven),
        },
        Case {
            rule: "SCALE-003",
            fires: || {
                let mut b = B::new();
                let db = b.add(K::DocumentDb, "Orders store");
                (b.d, Subject::Component(db))
            },
            quiet: |d| props(d, Id(1)).partition_key = Some("customerId".into()),
        },
        Case {
            rule: "SCALE-004",
            fires: || {
                let mut b = B::new();
                let db = b.add(K::DocumentDb, "Orders store");
                props(&mut b.d, db).partition_key = Some("createdDate".into());
                (b.d, Subject::Component(db))
            },
            quiet: |d| props(d, Id(1)).partition_key = Some("/customerId".into()),
        },
        Case {
            rule: "SCALE-005",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Cart API");
                let p = props(&mut b.d, api);
                p.stateless = Some(false);
                p.instances = Some(3);
                (b.d, Subject::Component(api))
            },
            quiet: |d| props(d, Id(1)).stateless = Some(true),
        },
        Case {
            rule: "SCALE-006",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Redirect API");
                let analytics = b.add(K::Analytics, "Clickstream");
                let call = b.link(api, analytics, C::Request);
                (b.d, Subject::Connection(call))
            },
            quiet: |d| conn(d, Id(3)).kind = C::Publish,
        },
        Case {
            rule: "SCALE-007",
            fires: || {
                let mut b = B::new();
                let web = b.add(K::Client, "Web app");
                let lb = b.add(K::LoadBalancer, "Front door");
                let gw = b.add(K::ApiGateway, "Gateway");
                b.link(web, lb, C::Request);
                b.link(lb, gw, C::Request);
                (b.d, Subject::Component(gw))
            },
            quiet: |d| props(d, Id(3)).rate_limiting = Some(true),
        },
        Case {
            rule: "DATA-001",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Checkout API");
                let db = b.add(K::DocumentDb, "Orders store");
                b.link(api, db, C::Write);
                props(&mut b.d, db).consistency = Some(Consistency::Eventual);
                (b.d, Subject::Component(db))
            },
            quiet: |d| props(d, Id(2)).consistency = Some(Consistency::Strong),
        },
        Case {
            rule: "DATA-002",
            fires: || {
                let mut b = B::new();
                let db = b.add(K::DocumentDb, "Accounts store");
                props(&mut b.d, db).multi_region_writes = Some(true);
                b.d.requirements.consistency = ConsistencyNeed::Strong;
                (b.d, Subject::Component(db))
            },
            quiet: |d| props(d, Id(1)).multi_region_writes = Some(false),
        },
        Case {
            rule: "DATA-003",
            fires: || {
                let mut b = B::new();
                let db = b.add(K::DocumentDb, "Feed store");
                props(&mut b.d, db).consistency = Some(Consistency::Strong);
                (b.d, Subject::Component(db))
            },
            quiet: |d| props(d, Id(1)).consistency = Some(Consistency::Session),
        },
        Case {
            rule: "DATA-004",
            fires: || {
                let mut b = B::new();
                let db = b.add(K::RelationalDb, "Orders DB");
                props(&mut b.d, db).backups = Some(false);
                (b.d, Subject::Component(db))
            },
            quiet: |d| props(d, Id(1)).backups = Some(true),
        },
        Case {
            rule: "SEC-001",
            fires: || {
                let mut b = B::new();
                let web = b.add(K::Client, "Web app");
                let api = b.add(K::Service, "Orders API");
                b.link(web, api, C::Request);
                (b.d, Subject::Component(api))
            },
            quiet: |d| props(d, Id(2)).validates_tokens = Some(true),
        },
        Case {
            rule: "SEC-002",
            fires: || {
                let mut b = B::new();
                let web = b.add(K::Client, "Web app");
                let gw = b.add(K::ApiGateway, "Gateway");
                b.link(web, gw, C::Request);
                (b.d, Subject::Design)
            },
            quiet: |d| {
                let mut b = B { d: d.clone() };
                b.add(K::IdentityProvider, "Entra ID");
                *d = b.d;
            },
        },
        Case {
            rule: "SEC-003",
            fires: || {
                let mut b = B::new();
                let web = b.add(K::Client, "Web app");
                let gw = b.add(K::ApiGateway, "Gateway");
                let api = b.add(K::Service, "Orders API");
                b.link(web, gw, C::Request);
                b.link(gw, api, C::Request);
                props(&mut b.d, gw).authentication = Some(true);
                (b.d, Subject::Component(api))
            },
            quiet: |d| props(d, Id(3)).validates_tokens = Some(true),
        },
        Case {
            rule: "SEC-004",
            fires: || {
                let mut b = B::new();
                let orders = b.add(K::Service, "Orders API");
                let stock = b.add(K::Service, "Stock API");
                b.link(orders, stock, C::Request);
                (b.d, Subject::Component(orders))
            },
            quiet: |d| props(d, Id(1)).service_identity = Some(true),
        },
        Case {
            rule: "SEC-005",
            fires: || {
                let mut b = B::new();
                b.add(K::Service, "Contacts API");
                b.d.title = "Multi-tenant CRM".into();
                (b.d, Subject::Design)
            },
            quiet: |d| {
                let mut b = B { d: d.clone() };
                b.group(GroupKind::Tenant, "Tenant A");
                *d = b.d;
            },
        },
        Case {
            rule: "RT-001",
            fires: || {
                let mut b = B::new();
                let hub = b.add(K::RealtimeHub, "Chat hub");
                props(&mut b.d, hub).instances = Some(2);
                (b.d, Subject::Component(hub))
            },
            quiet: |d| props(d, Id(1)).backplane = Some(Backplane::Redis),
        },
        Case {
            rule: "RT-002",
            fires: || {
                let mut b = B::new();
                let hub = b.add(K::RealtimeHub, "Chat hub");
                let p = props(&mut b.d, hub);
                p.autoscaling = Some(true);
                p.backplane = Some(Backplane::Redis);
                (b.d, Subject::Component(hub))
            },
            quiet: |d| props(d, Id(1)).backplane = Some(Backplane::ManagedService),
        },
        Case {
            rule: "RT-003",
            fires: || {
                let mut b = B::new();
                let hub = b.add(K::RealtimeHub, "Notification hub");
                let app = b.add(K::Client, "Mobile app");
                b.link(hub, app, C::Push);
                (b.d, Subject::Component(hub))
            },
            quiet: |d| props(d, Id(1)).offline_delivery = Some(true),
        },
        Case {
            rule: "MSG-001",
            fires: || {
                let mut b = B::new();
                let q = b.add(K::Queue, "Orders queue");
                (b.d, Subject::Component(q))
            },
            quiet: |d| {
                let p = props(d, Id(1));
                p.dead_letter_queue = Some(true);
                p.max_delivery_count = Some(5);
            },
        },
        Case {
            rule: "MSG-002",
            fires: || {
                let mut b = B::new();
                let q = b.add(K::Queue, "Orders queue");
                props(&mut b.d, q).dead_letter_queue = Some(true);
                (b.d, Subject::Component(q))
            },
            quiet: |d| props(d, Id(1)).max_delivery_count = Some(5),
        },
        Case {
            rule: "MSG-003",
            fires: || {
                let mut b = B::new();
                let q = b.add(K::Queue, "Orders queue");
                let w = b.add(K::Worker, "Shipping worker");
                b.link(q, w, C::Consume);
                (b.d, Subject::Component(w))
            },
            quiet: |d| props(d, Id(2)).idempotent = Some(true),
        },
        Case {
            rule: "MSG-004",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Orders API");
                let q = b.add(K::Queue, "Orders queue");
                b.link(api, q, C::Publish);
                (b.d, Subject::Component(q))
            },
            quiet: |d| {
                let mut b = B { d: d.clone() };
                let w = b.add(K::Worker, "Shipping worker");
                b.link(Id(2), w, C::Consume);
                *d = b.d;
            },
        },
        Case {
            rule: "MSG-005",
            fires: || {
                let mut b = B::new();
                let log = b.add(K::EventStore, "Order events");
                props(&mut b.d, log).replay = Some(false);
                (b.d, Subject::Component(log))
            },
            quiet: |d| props(d, Id(1)).replay = Some(true),
        },
    ]
}

fn case(rule: &str) -> Case {
    cases().into_iter().find(|c| c.rule == rule).unwrap()
}

fn findings_of<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule.id == rule).collect()
}

/// The rule fires for the expected subject, its message names the subject,
/// and its quick fix (if any) closes it with an exact undo.
fn assert_fires(rule: &str) {
    let case = case(rule);
    let (mut d, subject) = (case.fires)();
    let findings = check(&d);
    let finding = findings
        .iter()
        .find(|f| f.rule.id == rule && f.subject == subject)
        .unwrap_or_else(|| panic!("{rule} did not fire for {subject:?}: {findings:#?}"));
    assert_eq!(finding.severity, finding.rule.severity);
    assert!(!finding.message.ends_with('.'), "{}", finding.message);
    match subject {
        Subject::Component(id) => {
            let name = &d.component(id).unwrap().name;
            assert_eq!(&finding.subject_name, name);
            assert!(
                finding.message.contains(name.as_str()),
                "{}",
                finding.message
            );
        }
        Subject::Connection(id) => {
            let c = d.connection(id).unwrap();
            for end in [c.from, c.to] {
                let name = &d.component(end).unwrap().name;
                assert!(
                    finding.message.contains(name.as_str()),
                    "{}",
                    finding.message
                );
            }
        }
        _ => assert_eq!(finding.subject_name, d.title),
    }
    if let Some(fix) = finding.fix.clone() {
        let before = d.clone();
        let inverse = fix.edit.apply(&mut d).unwrap();
        let after = check(&d);
        assert!(
            !after
                .iter()
                .any(|f| f.rule.id == rule && f.subject == subject),
            "{rule}: quick fix '{}' did not close the finding",
            fix.label
        );
        inverse.apply(&mut d).unwrap();
        assert_eq!(d, before);
        assert!(
            check(&d)
                .iter()
                .any(|f| f.rule.id == rule && f.subject == subject)
        );
    }
}

fn assert_quiet(rule: &str) {
    let case = case(rule);
    let (mut d, _) = (case.fires)();
    (case.quiet)(&mut d);
    let findings = check(&d);
    let left = findings_of(&findings, rule);
    assert!(left.is_empty(), "{rule} still fires: {left:#?}");
}

macro_rules! rule_tests {
    ($($name:ident => $id:literal),+ $(,)?) => {
        $(
            mod $name {
                #[test]
                fn fires_and_names_its_subject() {
                    super::assert_fires($id);
                }

                #[test]
                fn stays_quiet_once_fixed() {
                    super::assert_quiet($id);
                }
            }
        )+

        #[test]
        fn every_rule_has_fire_and_quiet_tests() {
            let tested = [$($id),+];
            for rule in rules() {
                assert!(tested.contains(&rule.id), "{} has no tests", rule.id);
            }
            assert_eq!(tested.len(), rules().count());
            assert_eq!(cases().len(), rules().count());
        }
    };
}

rule_tests! {
    fail_001 => "FAIL-001", fail_002 => "FAIL-002", fail_003 => "FAIL-003",
    fail_004 => "FAIL-004", fail_005 => "FAIL-005", fail_006 => "FAIL-006",
    fail_007 => "FAIL-007", fail_008 => "FAIL-008", fail_009 => "FAIL-009",
    fail_010 => "FAIL-010", fail_011 => "FAIL-011", fail_012 => "FAIL-012",
    obs_001 => "OBS-001", obs_002 => "OBS-002", obs_003 => "OBS-003",
    obs_004 => "OBS-004", obs_005 => "OBS-005",
    scale_001 => "SCALE-001", scale_002 => "SCALE-002", scale_003 => "SCALE-003",
    scale_004 => "SCALE-004", scale_005 => "SCALE-005", scale_006 => "SCALE-006",
    scale_007 => "SCALE-007",
    data_001 => "DATA-001", data_002 => "DATA-002", data_003 => "DATA-003",
    data_004 => "DATA-004",
    sec_001 => "SEC-001", sec_002 => "SEC-002", sec_003 => "SEC-003",
    sec_004 => "SEC-004", sec_005 => "SEC-005",
    rt_001 => "RT-001", rt_002 => "RT-002", rt_003 => "RT-003",
    msg_001 => "MSG-001", msg_002 => "MSG-002", msg_003 => "MSG-003",
    msg_004 => "MSG-004", msg_005 => "MSG-005",
}

#[test]
fn rule_ids_are_unique_well_formed_and_texts_follow_the_style() {
    let mut ids: Vec<_> = rules().map(|r| r.id).collect();
    let prefixes = [
        (Category::FailureHandling, "FAIL-"),
        (Category::Observability, "OBS-"),
        (Category::Scalability, "SCALE-"),
        (Category::DataAndConsistency, "DATA-"),
        (Category::Security, "SEC-"),
        (Category::RealTime, "RT-"),
        (Category::Messaging, "MSG-"),
    ];
    for rule in rules() {
        let prefix = prefixes
            .iter()
            .find(|(c, _)| *c == rule.category)
            .unwrap()
            .1;
        assert!(rule.id.starts_with(prefix), "{}", rule.id);
        assert_eq!(rule.id.len(), prefix.len() + 3, "{}", rule.id);
        assert!(!rule.title.ends_with('.'), "{}", rule.id);
        assert!(rule.title.chars().next().unwrap().is_uppercase());
        assert!(rule.question.ends_with('?'), "{}", rule.id);
        assert!(
            rule.why.ends_with('.') && rule.fix.ends_with('.'),
            "{}",
            rule.id
        );
        assert_eq!(super::rule(rule.id), Some(rule));
    }
    ids.sort_unstable();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "duplicate rule id");
    assert!(count >= 30);
    for category in Category::ALL {
        assert!(
            rules().any(|r| r.category == category),
            "{category:?} has no rule"
        );
    }
}

#[test]
fn findings_are_sorted_by_severity_category_rule_and_subject() {
    let (mut b, _, _, _) = service_calls_payment();
    b.add(K::Queue, "Orders queue");
    b.add(K::Cache, "Cache");
    b.add(K::Service, "Another API");
    let findings = check(&b.d);
    assert!(findings.len() > 5);
    let keys: Vec<_> = findings.iter().map(Finding::sort_key).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(findings.first().unwrap().severity, Severity::Error);
    // Same input, same output.
    assert_eq!(check(&b.d), findings);
}

#[test]
fn accepted_findings_are_split_off_with_their_note() {
    let mut b = B::new();
    let q = b.add(K::Queue, "Orders queue");
    b.d.decisions.push(Decision {
        rule_id: "MSG-001".into(),
        subject: Subject::Component(q),
        status: Default::default(),
        note: "Events are replayable from the event store".into(),
    });
    let findings = check(&b.d);
    let review = review(&b.d, &findings);
    assert_eq!(review.accepted.len(), 1);
    let (finding, decision) = review.accepted[0];
    assert_eq!(finding.rule.id, "MSG-001");
    assert!(decision.note.contains("replayable"));
    assert!(review.open.iter().all(|f| f.rule.id != "MSG-001"));
    assert_eq!(review.open.len() + 1, findings.len());
    assert_eq!(review.open_count(Severity::Error), 0);
    assert!(review.open_at_least(Severity::Warning) > 0);
}

#[test]
fn calls_from_clients_and_to_telemetry_carry_no_policy_findings() {
    let mut b = B::new();
    let web = b.add(K::Client, "Web app");
    let gw = b.add(K::ApiGateway, "Gateway");
    let logs = b.add(K::LogSink, "Logs");
    b.link(web, gw, C::Request);
    b.link(gw, logs, C::Request);
    let findings = check(&b.d);
    assert!(
        !findings
            .iter()
            .any(|f| matches!(f.subject, Subject::Connection(_))),
        "{findings:#?}"
    );
}

#[test]
fn a_consumer_without_an_idempotency_switch_gets_the_finding_on_its_connection() {
    let mut b = B::new();
    let q = b.add(K::Queue, "Orders queue");
    let api = b.add(K::Service, "Orders API");
    let consume = b.link(q, api, C::Consume);
    let findings = check(&b.d);
    let f = findings.iter().find(|f| f.rule.id == "MSG-003").unwrap();
    assert_eq!(f.subject, Subject::Connection(consume));
    let mut d = b.d.clone();
    f.fix.clone().unwrap().edit.apply(&mut d).unwrap();
    assert!(check(&d).iter().all(|f| f.rule.id != "MSG-003"));
}

#[test]
fn a_saga_without_compensation_gets_the_finding_and_the_fix() {
    let mut b = B::new();
    b.add(K::Service, "Orders API");
    b.add(K::ExternalService, "Payment provider");
    let saga = b.add(K::Workflow, "Order saga");
    let findings = check(&b.d);
    let f = findings.iter().find(|f| f.rule.id == "FAIL-008").unwrap();
    assert_eq!(f.subject, Subject::Component(saga));
    assert!(f.fix.is_some());
}

#[test]
fn hot_partition_keys_are_recognised() {
    use super::scalability::is_hot_key;
    for key in [
        "createdAt",
        "/orderDate",
        "status",
        "countryCode",
        "eventTimestamp",
    ] {
        assert!(is_hot_key(key), "{key}");
    }
    for key in ["customerId", "/tenantId", "orderId", "userId"] {
        assert!(!is_hot_key(key), "{key}");
    }
}

#[test]
fn a_single_worker_behind_a_queue_is_not_a_single_point_of_failure_finding() {
    let mut b = B::new();
    let q = b.add(K::Queue, "Jobs");
    let w = b.add(K::Worker, "Worker");
    b.link(q, w, C::Consume);
    assert!(check(&b.d).iter().all(|f| f.rule.id != "FAIL-009"));
}

#[test]
fn the_rule_catalogue_in_docs_is_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let rendered = render_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &rendered).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/rules.md is out of date: run `UPDATE_DOCS=1 cargo test --lib rules` and commit the result"
    );
}

#[test]
fn summary_text_counts_what_is_there() {
    assert_eq!(summary_text(3, 5, 0), "3 errors, 5 warnings");
    assert_eq!(summary_text(1, 0, 1), "1 error, 1 info");
    assert_eq!(summary_text(0, 0, 0), "No open findings");
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    const KINDS: [K; 22] = [
        K::Client,
        K::TrafficManager,
        K::Cdn,
        K::LoadBalancer,
        K::ApiGateway,
        K::Service,
        K::Worker,
        K::RealtimeHub,
        K::Cache,
        K::RelationalDb,
        K::DocumentDb,
        K::ObjectStorage,
        K::Queue,
        K::EventStore,
        K::IdentityProvider,
        K::ExternalService,
        K::LogSink,
        K::Metrics,
        K::Tracing,
        K::Analytics,
        K::SearchIndex,
        K::Workflow,
    ];
    const NAMES: [&str; 6] = ["Orders", "Payment", "Feed", "Stock", "Users", "Shipping"];

    fn diagram(parts: Vec<(usize, usize, bool)>, links: Vec<(usize, usize, usize, u8)>) -> Diagram {
        let mut b = B::new();
        let ids: Vec<Id> = parts
            .iter()
            .map(|&(kind, name, careful)| {
                let kind = KINDS[kind % KINDS.len()];
                let id = b.add(kind, NAMES[name % NAMES.len()]);
                if careful {
                    let p = props(&mut b.d, id);
                    p.instances = p.instances.map(|_| 2);
                    p.logging = p.logging.map(|_| true);
                    p.dead_letter_queue = p.dead_letter_queue.map(|_| true);
                }
                id
            })
            .collect();
        for (from, to, kind, policy) in links {
            let (from, to) = (ids[from % ids.len()], ids[to % ids.len()]);
            if from == to {
                continue;
            }
            let link = b.link(from, to, C::ALL[kind % C::ALL.len()]);
            let c = conn(&mut b.d, link);
            c.policy.retry = Retry::ALL[(policy % 4) as usize];
            c.policy.circuit_breaker = policy & 4 != 0;
            c.policy.timeout_ms = (policy & 8 != 0).then_some(500);
            c.idempotent = policy & 16 != 0;
        }
        b.d.requirements.availability_percent = Some(99.99);
        b.d.requirements.read_write_ratio = Some(20.0);
        b.d
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// On any diagram: findings come out sorted, and every quick fix
        /// applies, closes its own finding, and undoes exactly.
        #[test]
        fn quick_fixes_always_close_their_finding(
            parts in prop::collection::vec((0usize..22, 0usize..6, any::<bool>()), 1..12),
            links in prop::collection::vec((0usize..12, 0usize..12, 0usize..7, any::<u8>()), 0..20),
        ) {
            let d = diagram(parts, links);
            let findings = check(&d);
            let keys: Vec<_> = findings.iter().map(Finding::sort_key).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            prop_assert_eq!(&keys, &sorted);
            for finding in &findings {
                let Some(fix) = finding.fix.clone() else { continue };
                let mut fixed = d.clone();
                let inverse = fix.edit.apply(&mut fixed).unwrap();
                let again = check(&fixed);
                prop_assert!(
                    !again.iter().any(|f| f.rule.id == finding.rule.id && f.subject == finding.subject),
                    "{} survived '{}'", finding.rule.id, fix.label
                );
                inverse.apply(&mut fixed).unwrap();
                prop_assert_eq!(&fixed, &d);
            }
        }
    }
}
