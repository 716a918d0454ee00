//! One test per rule that makes it fire (and checks the message names the
//! subject and the quick fix closes the finding, with an exact undo), one
//! per rule that makes it stay quiet, and tests of the engine as a whole.

use super::*;
use crate::catalog::ComponentKind as K;
use crate::model::{
    Backplane, Component, Connection, ConnectionKind as C, Consistency, ConsistencyNeed, Group,
    GroupKind, Id, Invalidation, Note, Point, Properties, Rect, Redundancy, Retry,
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

    fn note(&mut self, text: &str) -> Id {
        let id = Id(self.d.next_id);
        self.d.next_id += 1;
        let n = self.d.notes.len() as f32;
        self.d.notes.push(Note {
            id,
            text: text.to_owned(),
            rect: Rect::new(n * 320.0, 400.0, 300.0, 80.0),
        });
        id
    }

    /// A connection with a label.
    fn labelled(&mut self, from: Id, to: Id, kind: C, label: &str) -> Id {
        let id = self.link(from, to, kind);
        conn(&mut self.d, id).label = label.to_owned();
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
                let mut b = B::new();
                let api = b.add(K::Service, "Orders API");
                let mail = b.add(K::ExternalService, "Email provider");
                let call = b.link(api, mail, C::Request);
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
        Case {
            rule: "FAIL-013",
            fires: || {
                let mut b = B::new();
                let q = b.add(K::Queue, "Invoice jobs");
                let w = b.add(K::Worker, "Invoice sender");
                let mail = b.add(K::ExternalService, "Mail relay");
                b.link(q, w, C::Consume);
                props(&mut b.d, q).max_delivery_count = Some(8);
                let call = b.link(w, mail, C::Request);
                let c = conn(&mut b.d, call);
                c.policy.retry = Retry::ExponentialJitter;
                c.policy.max_retries = 5;
                c.policy.timeout_ms = Some(3_000);
                (b.d, Subject::Connection(call))
            },
            quiet: |d| props(d, Id(1)).max_delivery_count = Some(3),
        },
        Case {
            rule: "FAIL-014",
            fires: || {
                let mut b = B::new();
                let front = b.add(K::Service, "Quote API");
                let rater = b.add(K::Service, "Rating engine");
                let bureau = b.add(K::ExternalService, "Credit bureau");
                let outer = b.link(front, rater, C::Request);
                conn(&mut b.d, outer).policy.timeout_ms = Some(1_500);
                let inner = b.link(rater, bureau, C::Request);
                let c = conn(&mut b.d, inner);
                c.policy.timeout_ms = Some(2_000);
                c.policy.retry = Retry::ExponentialJitter;
                c.policy.max_retries = 2;
                (b.d, Subject::Connection(outer))
            },
            quiet: |d| conn(d, Id(4)).policy.timeout_ms = Some(8_000),
        },
        Case {
            rule: "FAIL-015",
            fires: || {
                let mut b = B::new();
                b.add(K::Service, "Claims API");
                b.add(K::RelationalDb, "Claims DB");
                let zone = b.group(GroupKind::Zone, "Zone 2");
                b.d.groups.iter_mut().find(|g| g.id == zone).unwrap().rect =
                    Rect::new(-20.0, -20.0, 600.0, 200.0);
                b.d.requirements.availability_percent = Some(99.95);
                (b.d, Subject::Design)
            },
            quiet: |d| {
                let mut b = B { d: d.clone() };
                b.group(GroupKind::Zone, "Zone 3");
                *d = b.d;
            },
        },
        Case {
            rule: "FAIL-016",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Claims API");
                b.note("Claims API deploys with the recreate strategy to keep it simple.");
                (b.d, Subject::Component(api))
            },
            quiet: |d| props(d, Id(1)).zero_downtime_deploys = Some(true),
        },
        Case {
            rule: "SCALE-008",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Basket API");
                let store = b.add(K::DocumentDb, "Basket store");
                props(&mut b.d, store).partition_key = Some("basketId".into());
                let read = b.labelled(api, store, C::Read, "open baskets by shopper");
                (b.d, Subject::Connection(read))
            },
            quiet: |d| props(d, Id(2)).partition_key = Some("/shopperId".into()),
        },
        Case {
            rule: "SCALE-009",
            fires: || {
                let mut b = B::new();
                let store = b.add(K::DocumentDb, "Drops store");
                props(&mut b.d, store).partition_key = Some("sellerId".into());
                b.d.requirements.functional =
                    vec!["A few sellers run flash sales that draw most of the traffic".into()];
                (b.d, Subject::Component(store))
            },
            quiet: |d| props(d, Id(1)).hot_key_handling = Some(true),
        },
        Case {
            rule: "SCALE-010",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Dashboard API");
                let cache = b.add(K::Cache, "Tile cache");
                let db = b.add(K::RelationalDb, "Sales DB");
                props(&mut b.d, cache).ttl_s = Some(300);
                b.link(api, cache, C::Read);
                b.labelled(
                    api,
                    db,
                    C::Read,
                    "on a miss: aggregate the tile over all sales",
                );
                (b.d, Subject::Component(cache))
            },
            quiet: |d| props(d, Id(2)).stampede_protection = Some(true),
        },
        Case {
            rule: "SCALE-011",
            fires: || {
                let mut b = B::new();
                let web = b.add(K::Client, "Shop app");
                let api = b.add(K::Service, "Search API");
                b.link(web, api, C::Request);
                props(&mut b.d, api).instances = Some(4);
                let req = &mut b.d.requirements;
                req.daily_active_users = Some(2_000_000);
                req.requests_per_user_per_day = Some(20.0);
                req.peak_factor = Some(5.0);
                (b.d, Subject::Component(api))
            },
            quiet: |d| props(d, Id(2)).autoscaling = Some(true),
        },
        Case {
            rule: "SCALE-012",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Claims API");
                let bi = b.add(K::Worker, "Finance export");
                let db = b.add(K::RelationalDb, "Claims DB");
                b.link(api, db, C::Write);
                let read = b.labelled(bi, db, C::Read, "monthly report: totals per region");
                (b.d, Subject::Connection(read))
            },
            quiet: |d| props(d, Id(3)).replicas = Some(1),
        },
        Case {
            rule: "SCALE-013",
            fires: || {
                let mut b = B::new();
                let scanners = b.add(K::Worker, "Scanner pool");
                let ocr = b.add(K::Service, "OCR service");
                props(&mut b.d, scanners).instances = Some(40);
                props(&mut b.d, ocr).instances = Some(3);
                let call = b.link(scanners, ocr, C::Request);
                (b.d, Subject::Connection(call))
            },
            quiet: |d| props(d, Id(2)).instances = Some(12),
        },
        Case {
            rule: "SCALE-014",
            fires: || {
                let mut b = B::new();
                for name in [
                    "Intake API",
                    "Rules API",
                    "Notify worker",
                    "Audit worker",
                    "Export worker",
                    "Sync worker",
                ] {
                    b.add(
                        if name.ends_with("API") {
                            K::Service
                        } else {
                            K::Worker
                        },
                        name,
                    );
                }
                b.add(K::EventStore, "Form events");
                b.add(K::Queue, "Form queue");
                b.add(K::Queue, "Notify queue");
                let req = &mut b.d.requirements;
                req.daily_active_users = Some(120);
                req.requests_per_user_per_day = Some(10.0);
                (b.d, Subject::Design)
            },
            quiet: |d| {
                let req = &mut d.requirements;
                req.daily_active_users = Some(8_000_000);
                req.requests_per_user_per_day = Some(40.0);
            },
        },
        Case {
            rule: "DATA-005",
            fires: || {
                let mut b = B::new();
                let cache = b.add(K::Cache, "Stock cache");
                let p = props(&mut b.d, cache);
                p.ttl_s = Some(600);
                p.invalidation = Some(Invalidation::Ttl);
                b.d.requirements.functional =
                    vec!["Stock levels must be visible to shoppers within 5 seconds".into()];
                (b.d, Subject::Component(cache))
            },
            quiet: |d| props(d, Id(1)).invalidation = Some(Invalidation::EventDriven),
        },
        Case {
            rule: "DATA-006",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Invite API");
                let db = b.add(K::DocumentDb, "Invites");
                b.labelled(
                    api,
                    db,
                    C::Write,
                    "code = 5 random base62 characters, upsert",
                );
                let req = &mut b.d.requirements;
                req.daily_active_users = Some(1_000_000);
                req.requests_per_user_per_day = Some(10.0);
                req.read_write_ratio = Some(9.0);
                req.retention_days = Some(365);
                (b.d, Subject::Component(api))
            },
            quiet: |d| props(d, Id(1)).collision_handling = Some(true),
        },
        Case {
            rule: "SEC-006",
            fires: || {
                let mut b = B::new();
                let web = b.add(K::Client, "Kiosk");
                let lb = b.add(K::LoadBalancer, "Kiosk balancer");
                b.link(web, lb, C::Request);
                props(&mut b.d, lb).tls = Some(false);
                (b.d, Subject::Component(lb))
            },
            quiet: |d| props(d, Id(2)).tls = Some(true),
        },
        Case {
            rule: "SEC-007",
            fires: || {
                let mut b = B::new();
                b.add(K::IdentityProvider, "Okta");
                let assistant = b.add(K::Service, "Assistant");
                let accounts = b.add(K::Service, "Account service");
                let call = b.labelled(
                    assistant,
                    accounts,
                    C::Request,
                    "GET /statements?userId=…, with the assistant's own identity only",
                );
                (b.d, Subject::Connection(call))
            },
            quiet: |d| props(d, Id(2)).identity_propagation = Some(true),
        },
        Case {
            rule: "MSG-006",
            fires: || {
                let mut b = B::new();
                let q = b.add(K::Queue, "Telemetry stream (Kafka)");
                (b.d, Subject::Component(q))
            },
            quiet: |d| props(d, Id(1)).dead_letter_queue = Some(true),
        },
        Case {
            rule: "MSG-007",
            fires: || {
                let mut b = B::new();
                let api = b.add(K::Service, "Booking API");
                let db = b.add(K::RelationalDb, "Bookings DB");
                let q = b.add(K::Queue, "Booking events");
                b.link(api, db, C::Write);
                b.link(api, q, C::Publish);
                (b.d, Subject::Component(api))
            },
            quiet: |d| props(d, Id(1)).outbox = Some(true),
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
    fail_013 => "FAIL-013", fail_014 => "FAIL-014", fail_015 => "FAIL-015",
    fail_016 => "FAIL-016",
    obs_001 => "OBS-001", obs_002 => "OBS-002", obs_003 => "OBS-003",
    obs_004 => "OBS-004", obs_005 => "OBS-005",
    scale_001 => "SCALE-001", scale_002 => "SCALE-002", scale_003 => "SCALE-003",
    scale_004 => "SCALE-004", scale_005 => "SCALE-005", scale_006 => "SCALE-006",
    scale_007 => "SCALE-007", scale_008 => "SCALE-008", scale_009 => "SCALE-009",
    scale_010 => "SCALE-010", scale_011 => "SCALE-011", scale_012 => "SCALE-012",
    scale_013 => "SCALE-013", scale_014 => "SCALE-014",
    data_001 => "DATA-001", data_002 => "DATA-002", data_003 => "DATA-003",
    data_004 => "DATA-004", data_005 => "DATA-005", data_006 => "DATA-006",
    sec_001 => "SEC-001", sec_002 => "SEC-002", sec_003 => "SEC-003",
    sec_004 => "SEC-004", sec_005 => "SEC-005", sec_006 => "SEC-006", sec_007 => "SEC-007",
    rt_001 => "RT-001", rt_002 => "RT-002", rt_003 => "RT-003",
    msg_001 => "MSG-001", msg_002 => "MSG-002", msg_003 => "MSG-003",
    msg_004 => "MSG-004", msg_005 => "MSG-005", msg_006 => "MSG-006", msg_007 => "MSG-007",
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
    super::docs::assert_doc_up_to_date("docs/rules.md", &render_markdown());
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
    const NAMES: &[&str] = &["Orders", "Payment", "Feed", "Stock", "Users", "Shipping"];

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

        /// The same with labels, notes and requirements written the way
        /// candidates write them: what the text says never stops a quick
        /// fix from closing its finding, and nothing panics on it.
        #[test]
        fn quick_fixes_close_their_finding_whatever_the_text_says(
            parts in prop::collection::vec((0usize..22, 0usize..6, any::<bool>()), 1..10),
            links in prop::collection::vec((0usize..10, 0usize..10, 0usize..7, any::<u8>()), 0..16),
            labels in prop::collection::vec(0usize..PHRASES.len(), 0..16),
            notes in prop::collection::vec((0usize..PHRASES.len(), 0usize..6), 0..4),
            requirement in 0usize..PHRASES.len(),
        ) {
            let mut d = diagram(parts, links);
            for (conn, phrase) in d.connections.iter_mut().zip(&labels) {
                conn.label = PHRASES[*phrase].to_owned();
            }
            for (i, (phrase, name)) in notes.iter().enumerate() {
                let id = Id(d.next_id);
                d.next_id += 1;
                d.notes.push(Note {
                    id,
                    text: format!("{} {}", NAMES[*name], PHRASES[*phrase]),
                    rect: Rect::new(i as f32 * 400.0, 600.0, 300.0, 80.0),
                });
            }
            d.requirements.functional = vec![PHRASES[requirement].to_owned()];
            d.requirements.daily_active_users = Some(500);
            let findings = check(&d);
            for finding in &findings {
                prop_assert!(!finding.message.is_empty());
                let Some(fix) = finding.fix.clone() else { continue };
                let mut fixed = d.clone();
                fix.edit.apply(&mut fixed).unwrap();
                let again = check(&fixed);
                prop_assert!(
                    !again.iter().any(|f| f.rule.id == finding.rule.id && f.subject == finding.subject),
                    "{} survived '{}': {}", finding.rule.id, fix.label, finding.message
                );
            }
        }
    }

    /// Phrases candidates write, for the text-aware property test.
    const PHRASES: &[&str] = &[
        "timeout 2 s, retried 3 times",
        "a 500 ms timeout",
        "idempotency key = order id",
        "up to 7 deliveries, then the dead-letter queue",
        "TTL 10 min for every key",
        "rate-limits per IP",
        "anonymous, without an account",
        "users sign in with SSO",
        "must show within one second",
        "may be at most 2 minutes stale",
        "code = 6 random base62 characters, no existence check",
        "key = CRC32(url), skipped if the key exists",
        "query by host",
        "orders per customer",
        "monthly report on the primary",
        "with the service's own identity only, ?email=…",
        "plain HTTP on port 80",
        "deployed with the recreate strategy; liveness ping only",
        "everything runs in one availability zone",
        "celebrities with millions of followers",
        "on a miss: rebuild from all posts",
        "outbox row in the same transaction",
        "every instance subscribes via Redis pub/sub",
        "sticky sessions at the balancer",
        "automatic failover",
        "health probe on /ready",
        "validates the token",
        "managed identity",
        "single-flight on misses",
        "hot keys are split",
        "Kafka stream, events go to a retry topic",
        "",
    ];
}

/// The findings of one rule on a diagram.
fn fired(d: &Diagram, rule: &str) -> Vec<Finding> {
    check(d).into_iter().filter(|f| f.rule.id == rule).collect()
}

mod calibration {
    use super::*;

    #[test]
    fn a_push_only_client_or_an_anonymous_product_needs_no_identity_provider() {
        let mut b = B::new();
        let hub = b.add(K::RealtimeHub, "Alerts hub");
        let phone = b.add(K::Client, "Phone");
        b.link(hub, phone, C::Push);
        assert!(fired(&b.d, "SEC-002").is_empty(), "push-only client");

        let mut b = B::new();
        let web = b.add(K::Client, "Browser");
        let api = b.add(K::Service, "Poll API");
        b.link(web, api, C::Request);
        assert_eq!(fired(&b.d, "SEC-002").len(), 1, "nothing says anonymous");
        b.d.requirements.functional = vec!["Anyone can vote without an account".into()];
        assert!(
            fired(&b.d, "SEC-002").is_empty(),
            "anonymous by requirement"
        );
        b.d.requirements
            .functional
            .push("Poll owners sign in to see the results".into());
        assert_eq!(fired(&b.d, "SEC-002").len(), 1, "some users sign in");
    }

    #[test]
    fn an_anonymous_entry_point_is_judged_for_abuse_not_sign_in() {
        let mut b = B::new();
        let web = b.add(K::Client, "Browser");
        let lb = b.add(K::LoadBalancer, "Edge balancer");
        let api = b.add(K::Service, "Poll API");
        b.link(web, lb, C::Request);
        b.link(lb, api, C::Request);
        assert_eq!(fired(&b.d, "SEC-001").len(), 1);
        b.d.requirements.functional = vec!["Visitors vote without signing in".into()];
        assert!(fired(&b.d, "SEC-001").is_empty());
        let abuse = fired(&b.d, "SCALE-007");
        assert_eq!(abuse.len(), 1);
        assert_eq!(abuse[0].subject, Subject::Component(api));
        assert!(abuse[0].message.contains("anonymous") && abuse[0].message.contains("abuse"));
        // A balancer that limits rates covers what stands behind it.
        props(&mut b.d, lb).rate_limiting = Some(true);
        assert!(fired(&b.d, "SCALE-007").is_empty());
    }

    #[test]
    fn services_behind_an_anonymous_gateway_validate_tokens_only_for_user_data() {
        let mut b = B::new();
        let web = b.add(K::Client, "Reader");
        let gw = b.add(K::ApiGateway, "Gateway");
        let news = b.add(K::Service, "Headlines API");
        let mine = b.add(K::Service, "Saved items API");
        b.link(web, gw, C::Request);
        b.link(gw, news, C::Request);
        b.labelled(gw, mine, C::Request, "/me/saved (token required)");
        props(&mut b.d, gw).rate_limiting = Some(true);
        b.d.requirements.functional = vec!["Anyone reads headlines anonymously".into()];
        let trusting: Vec<Subject> = fired(&b.d, "SEC-003").iter().map(|f| f.subject).collect();
        assert_eq!(trusting, vec![Subject::Component(mine)]);
        // The gateway routes user data to a service that does not check
        // tokens, so it must authenticate.
        assert_eq!(fired(&b.d, "SEC-001").len(), 1);
        props(&mut b.d, mine).validates_tokens = Some(true);
        assert!(fired(&b.d, "SEC-001").is_empty());
    }

    #[test]
    fn availability_rules_scale_with_the_target() {
        let mut b = B::new();
        let web = b.add(K::Client, "Browser");
        let app = b.add(K::Service, "Rota app");
        let db = b.add(K::RelationalDb, "Rota DB");
        b.link(web, app, C::Request);
        b.link(app, db, C::Write);
        let severity = |d: &Diagram, rule| fired(d, rule)[0].severity;
        assert_eq!(severity(&b.d, "FAIL-009"), Severity::Error);
        b.d.requirements.availability_percent = Some(99.95);
        assert_eq!(severity(&b.d, "FAIL-009"), Severity::Error);
        b.d.requirements.availability_percent = Some(99.9);
        assert_eq!(severity(&b.d, "FAIL-009"), Severity::Warning);
        assert_eq!(severity(&b.d, "FAIL-010"), Severity::Error);
        b.d.requirements.availability_percent = Some(99.5);
        assert_eq!(severity(&b.d, "FAIL-009"), Severity::Info);
        assert_eq!(severity(&b.d, "FAIL-010"), Severity::Warning);
        b.d.requirements.availability_percent = Some(99.0);
        assert_eq!(severity(&b.d, "FAIL-009"), Severity::Info);
        assert!(fired(&b.d, "FAIL-009")[0].message.contains("trade-off"));
        // A managed database with a built-in standby, said in a note, only
        // asks for the switch to be set.
        b.d.requirements.availability_percent = Some(99.9);
        b.note("Rota DB is Azure SQL with built-in high availability.");
        let f = &fired(&b.d, "FAIL-010")[0];
        assert_eq!(f.severity, Severity::Info);
        assert!(f.fix.is_some());
    }

    #[test]
    fn few_reads_a_second_need_no_cache() {
        let mut b = B::new();
        let api = b.add(K::Service, "Rota app");
        let db = b.add(K::RelationalDb, "Rota DB");
        b.link(api, db, C::Read);
        b.d.requirements.read_write_ratio = Some(20.0);
        assert_eq!(fired(&b.d, "SCALE-001").len(), 1, "unknown traffic");
        b.d.requirements.daily_active_users = Some(300);
        b.d.requirements.requests_per_user_per_day = Some(8.0);
        assert!(fired(&b.d, "SCALE-001").is_empty(), "a few hundred users");
    }

    #[test]
    fn a_cache_used_as_a_backplane_is_not_judged_as_a_cache() {
        let mut b = B::new();
        let hub = b.add(K::RealtimeHub, "Scores hub");
        let redis = b.add(K::Cache, "Redis");
        b.labelled(hub, redis, C::Read, "pub/sub between hub instances");
        assert!(fired(&b.d, "SCALE-002").is_empty());
        let api = b.add(K::Service, "Scores API");
        b.link(api, redis, C::Read);
        assert_eq!(
            fired(&b.d, "SCALE-002").len(),
            1,
            "a service reads it as a cache too"
        );
    }

    #[test]
    fn a_service_that_pushes_over_websockets_needs_a_backplane_like_a_hub() {
        let mut b = B::new();
        let web = b.add(K::Client, "Watcher");
        let lb = b.add(K::LoadBalancer, "Socket balancer");
        let svc = b.add(K::Service, "Odds service");
        b.link(web, lb, C::Request);
        b.link(lb, svc, C::Request);
        b.link(svc, web, C::Push);
        props(&mut b.d, svc).instances = Some(3);
        let f = fired(&b.d, "RT-001");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("backplane"));
        let sticky = fired(&b.d, "RT-002");
        assert_eq!(sticky.len(), 1);
        let mut fixed = b.d.clone();
        sticky[0]
            .fix
            .clone()
            .unwrap()
            .edit
            .apply(&mut fixed)
            .unwrap();
        assert!(fixed.component(lb).unwrap().properties.sticky_sessions == Some(true));
        b.note("Every instance subscribes to the odds topic, so each one pushes every change.");
        // A note that does not name the service leaves it judged.
        assert_eq!(fired(&b.d, "RT-001").len(), 1);
        b.d.notes[0].text = "Odds service: every instance subscribes to the odds topic.".into();
        assert!(fired(&b.d, "RT-001").is_empty());
    }

    #[test]
    fn severity_follows_consequence() {
        let mut b = B::new();
        let api = b.add(K::Service, "Checkout API");
        let psp = b.add(K::ExternalService, "Card processor");
        let call = b.labelled(api, psp, C::Request, "charge the card");
        conn(&mut b.d, call).policy.retry = Retry::ExponentialJitter;
        assert_eq!(fired(&b.d, "FAIL-004")[0].severity, Severity::Error);
        conn(&mut b.d, call).label = "idempotency key = cart id".into();
        let f = &fired(&b.d, "FAIL-004")[0];
        assert_eq!(
            f.severity,
            Severity::Info,
            "written, not yet set: {}",
            f.message
        );

        let mut b = B::new();
        let worker = b.add(K::Worker, "Seat allocator");
        let db = b.add(K::DocumentDb, "Seat map");
        b.labelled(
            worker,
            db,
            C::Write,
            "reserve the seat with a conditional update",
        );
        props(&mut b.d, db).multi_region_writes = Some(true);
        let f = &fired(&b.d, "DATA-002")[0];
        assert_eq!(f.severity, Severity::Error, "{}", f.message);
    }

    #[test]
    fn max_delivery_count_is_judged_without_a_dead_letter_queue() {
        let mut b = B::new();
        b.add(K::Queue, "Order events");
        assert_eq!(fired(&b.d, "MSG-001").len(), 1);
        let f = fired(&b.d, "MSG-002");
        assert_eq!(f.len(), 1);
        // Plural names take plural verbs.
        assert!(
            fired(&b.d, "MSG-001")[0]
                .message
                .contains("Order events have no")
        );
        assert!(f[0].message.contains("Order events retry"));
    }

    #[test]
    fn an_event_log_gets_a_poison_event_strategy_not_a_dead_letter_queue() {
        let mut b = B::new();
        b.add(K::Queue, "Clickstream on Event Hubs");
        assert!(fired(&b.d, "MSG-001").is_empty());
        let f = fired(&b.d, "MSG-006");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("parking"));
    }

    #[test]
    fn hot_partition_keys_are_judged_on_whole_tokens_and_stated_counts() {
        use super::super::scalability::is_hot_key;
        assert!(!is_hot_key("estateId"));
        assert!(is_hot_key("updatedAt"));
        assert!(is_hot_key("is_active"));
        assert!(is_hot_key("created_at"));
        let mut b = B::new();
        let db = b.add(K::DocumentDb, "Trips");
        props(&mut b.d, db).partition_key = Some("cityId".into());
        assert!(fired(&b.d, "SCALE-004").is_empty());
        b.d.requirements.functional = vec!["Runs in 85 cities".into()];
        let f = fired(&b.d, "SCALE-004");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("85 cities"), "{}", f[0].message);
    }

    #[test]
    fn a_design_wide_gap_is_reported_once_with_its_subjects_and_one_fix() {
        let mut b = B::new();
        let names = ["Orders API", "Stock API", "Billing API"];
        for name in names {
            b.add(K::Service, name);
        }
        let f = fired(&b.d, "OBS-001");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].subject, Subject::Design);
        assert!(
            f[0].message
                .contains("Orders API, Stock API and Billing API"),
            "{}",
            f[0].message
        );
        let mut fixed = b.d.clone();
        f[0].fix.clone().unwrap().edit.apply(&mut fixed).unwrap();
        assert!(fired(&fixed, "OBS-001").is_empty());
        // With one of them logging, the others are named one by one.
        props(&mut b.d, Id(1)).logging = Some(true);
        let f = fired(&b.d, "OBS-001");
        assert_eq!(f.len(), 2);
        assert!(f.iter().all(|f| matches!(f.subject, Subject::Component(_))));
    }

    #[test]
    fn what_is_written_counts_and_one_click_sets_it() {
        let mut b = B::new();
        let api = b.add(K::Service, "Quote API");
        let bureau = b.add(K::ExternalService, "Credit bureau");
        let call = b.labelled(api, bureau, C::Request, "score lookup, timeout 800 ms");
        let f = &fired(&b.d, "FAIL-001")[0];
        assert_eq!(f.severity, Severity::Info);
        let mut fixed = b.d.clone();
        f.fix.clone().unwrap().edit.apply(&mut fixed).unwrap();
        assert_eq!(fixed.connection(call).unwrap().policy.timeout_ms, Some(800));

        let mut b = B::new();
        let q = b.add(K::Queue, "Invoice jobs");
        b.note("Invoice jobs go to a dead-letter queue after up to 6 deliveries.");
        let f = &fired(&b.d, "MSG-001")[0];
        assert_eq!(f.severity, Severity::Info);
        let f = &fired(&b.d, "MSG-002")[0];
        assert_eq!(f.severity, Severity::Info);
        let mut fixed = b.d.clone();
        f.fix.clone().unwrap().edit.apply(&mut fixed).unwrap();
        assert_eq!(
            fixed.component(q).unwrap().properties.max_delivery_count,
            Some(6)
        );

        let mut b = B::new();
        let cache = b.add(K::Cache, "Quote cache");
        b.note("Quote cache: TTL 10 min for every quote.");
        let f = &fired(&b.d, "SCALE-002")[0];
        assert_eq!(f.severity, Severity::Info);
        let mut fixed = b.d.clone();
        f.fix.clone().unwrap().edit.apply(&mut fixed).unwrap();
        assert_eq!(fixed.component(cache).unwrap().properties.ttl_s, Some(600));
    }

    #[test]
    fn a_single_zone_is_read_from_notes_and_storage_too() {
        let mut b = B::new();
        b.add(K::Service, "Claims API");
        let blobs = b.add(K::ObjectStorage, "Scans");
        props(&mut b.d, blobs).redundancy = Some(Redundancy::Local);
        b.d.requirements.availability_percent = Some(99.9);
        assert!(fired(&b.d, "FAIL-015").is_empty(), "nothing says one zone");
        b.note("All of it runs in a single availability zone to save cost.");
        let f = fired(&b.d, "FAIL-015");
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(
            f[0].message.contains("Scans is only locally redundant"),
            "{}",
            f[0].message
        );
        b.d.notes[0].text.push_str(" Storage is zone-redundant.");
        assert!(fired(&b.d, "FAIL-015").is_empty());
        b.d.notes.clear();
        b.d.requirements.availability_percent = Some(99.0);
        b.note("All of it runs in a single availability zone to save cost.");
        assert!(fired(&b.d, "FAIL-015").is_empty(), "99% allows it");
    }

    #[test]
    fn simplicity_asks_for_requirements_when_none_are_stated() {
        let mut b = B::new();
        b.add(K::EventStore, "Ledger events");
        b.add(K::Queue, "Commands");
        b.add(K::Queue, "Replies");
        let f = fired(&b.d, "SCALE-014");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Info);
        assert!(f[0].message.contains("state no users"), "{}", f[0].message);
        // An audit requirement justifies the event log.
        b.d.requirements.functional = vec!["Every change is kept for audit".into()];
        b.d.requirements.daily_active_users = Some(200);
        assert!(
            fired(&b.d, "SCALE-014").is_empty(),
            "one unjustified part is not enough"
        );
    }

    #[test]
    fn the_partition_rule_ignores_sorting_and_accepts_the_key() {
        let mut b = B::new();
        let api = b.add(K::Service, "Feed API");
        let db = b.add(K::DocumentDb, "Posts");
        props(&mut b.d, db).partition_key = Some("authorId".into());
        let read = b.labelled(api, db, C::Read, "posts by author, ORDER BY created_at");
        assert!(fired(&b.d, "SCALE-008").is_empty());
        conn(&mut b.d, read).label = "point read by id".into();
        assert!(fired(&b.d, "SCALE-008").is_empty());
        conn(&mut b.d, read).label = "latest posts where topic = t, sorted by score".into();
        assert_eq!(fired(&b.d, "SCALE-008").len(), 1);
    }

    #[test]
    fn identity_propagation_is_quiet_when_the_user_travels_with_the_call() {
        let mut b = B::new();
        b.add(K::IdentityProvider, "Okta");
        let assistant = b.add(K::Service, "Assistant");
        let accounts = b.add(K::Service, "Account service");
        b.labelled(
            assistant,
            accounts,
            C::Request,
            "GET /statements on behalf of the user (token exchange)",
        );
        assert!(fired(&b.d, "SEC-007").is_empty());
    }
}

/// The same concepts written in other words and other places than the
/// tests above: notes instead of requirements, numbers before their cue,
/// other products and phrasings.
mod other_phrasings {
    use super::*;

    #[test]
    fn a_freshness_bound_in_a_note_and_a_ttl_written_before_its_cue() {
        let mut b = B::new();
        let cache = b.add(K::Cache, "Price cache");
        props(&mut b.d, cache).ttl_s = Some(0);
        b.note("Price cache: prices may be at most 10 seconds old. Entries get a 2-minute TTL.");
        let stated = fired(&b.d, "SCALE-002");
        assert_eq!(stated[0].severity, Severity::Info, "{}", stated[0].message);
        let mut fixed = b.d.clone();
        stated[0]
            .fix
            .clone()
            .unwrap()
            .edit
            .apply(&mut fixed)
            .unwrap();
        assert_eq!(fixed.component(cache).unwrap().properties.ttl_s, Some(120));
        // Now the TTL is set, the freshness bound in the note applies.
        let stale = fired(&fixed, "DATA-005");
        assert_eq!(stale.len(), 1);
        assert!(
            stale[0].message.contains("10 seconds old"),
            "{}",
            stale[0].message
        );
    }

    #[test]
    fn a_guest_checkout_is_anonymous_and_a_shared_key_carries_no_user() {
        let mut b = B::new();
        let web = b.add(K::Client, "Storefront");
        let api = b.add(K::Service, "Checkout API");
        b.link(web, api, C::Request);
        b.d.requirements.functional = vec!["Shoppers can pay with guest checkout".into()];
        assert!(fired(&b.d, "SEC-001").is_empty());
        assert!(fired(&b.d, "SCALE-007")[0].message.contains("anonymous"));

        let mut b = B::new();
        b.add(K::IdentityProvider, "Keycloak");
        let portal = b.add(K::Service, "Partner portal");
        let claims = b.add(K::Service, "Claims history service");
        b.labelled(
            portal,
            claims,
            C::Request,
            "GET /claims?policyHolder=… with a shared API key",
        );
        b.d.requirements.functional = vec!["Policy holders see their own claims".into()];
        assert_eq!(fired(&b.d, "SEC-007").len(), 1);
    }

    #[test]
    fn a_lookup_for_a_given_key_and_a_timeout_before_its_cue() {
        let mut b = B::new();
        let api = b.add(K::Service, "Rota API");
        let db = b.add(K::DocumentDb, "Shifts");
        props(&mut b.d, db).partition_key = Some("shift_id".into());
        b.labelled(api, db, C::Read, "all shifts for a given nurse this week");
        assert_eq!(fired(&b.d, "SCALE-008").len(), 1);

        let ext = b.add(K::ExternalService, "Payroll bureau");
        let call = b.labelled(api, ext, C::Request, "export hours (a 4 s timeout)");
        let f = fired(&b.d, "FAIL-001");
        let f = f
            .iter()
            .find(|f| f.subject == Subject::Connection(call))
            .unwrap();
        assert_eq!(f.severity, Severity::Info);
    }

    #[test]
    fn a_peak_written_in_words_and_a_hash_prefix_as_ids() {
        let mut b = B::new();
        let web = b.add(K::Client, "Shop app");
        let api = b.add(K::Service, "Deals API");
        b.link(web, api, C::Request);
        let req = &mut b.d.requirements;
        req.daily_active_users = Some(1_000_000);
        req.requests_per_user_per_day = Some(30.0);
        req.functional = vec!["Traffic spikes 8x during the Friday sale".into()];
        assert_eq!(fired(&b.d, "SCALE-011").len(), 1);

        let mut b = B::new();
        let api = b.add(K::Service, "Short link API");
        let db = b.add(K::RelationalDb, "Links");
        b.labelled(
            api,
            db,
            C::Write,
            "key = first 6 characters of the MD5 of the URL, overwrite",
        );
        b.d.requirements.functional = vec!["Keeps about 500 million links".into()];
        let f = fired(&b.d, "DATA-006");
        assert_eq!(f.len(), 1, "{:?}", check(&b.d));
        assert!(f[0].message.contains("hash"), "{}", f[0].message);
    }

    #[test]
    fn one_zone_and_a_downtime_deploy_in_other_words() {
        let mut b = B::new();
        let api = b.add(K::Service, "Tax API");
        b.d.requirements.availability_percent = Some(99.95);
        b.note("The cluster is single-AZ for now.");
        assert_eq!(fired(&b.d, "FAIL-015").len(), 1);
        b.note("Tax API deploys cause a brief outage of a minute.");
        assert_eq!(fired(&b.d, "FAIL-016")[0].subject, Subject::Component(api));
    }

    #[test]
    fn a_small_app_with_a_cluster_a_cache_and_three_stores_is_too_much() {
        let mut b = B::new();
        b.add(K::Service, "Rota API");
        b.add(K::Cache, "Rota cache");
        for name in ["Rota DB", "Audit DB", "Search"] {
            b.add(
                if name == "Search" {
                    K::SearchIndex
                } else {
                    K::RelationalDb
                },
                name,
            );
        }
        b.group(GroupKind::Cluster, "AKS");
        let req = &mut b.d.requirements;
        req.daily_active_users = Some(80);
        req.requests_per_user_per_day = Some(10.0);
        let f = fired(&b.d, "SCALE-014");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("Kubernetes"), "{}", f[0].message);
    }

    #[test]
    fn skew_in_other_words_and_a_poison_strategy_in_a_note() {
        let mut b = B::new();
        let db = b.add(K::DocumentDb, "Cart store");
        props(&mut b.d, db).partition_key = Some("productId".into());
        b.d.requirements.functional = vec!["A few hot products get most of the traffic".into()];
        assert_eq!(fired(&b.d, "SCALE-009").len(), 1);

        let mut b = B::new();
        b.add(K::Queue, "Audit stream (Kafka)");
        b.note("Audit stream: events that fail three times go to a retry topic.");
        assert_eq!(fired(&b.d, "MSG-006")[0].severity, Severity::Info);
    }
}

mod more_calibration {
    use super::*;

    #[test]
    fn event_sourcing_alone_is_too_much_for_a_small_tool_and_services_alone_add_up() {
        let mut b = B::new();
        b.add(K::Service, "Rota API");
        b.add(K::EventStore, "Rota events");
        b.d.requirements.daily_active_users = Some(60);
        b.d.requirements.requests_per_user_per_day = Some(4.0);
        assert_eq!(fired(&b.d, "SCALE-014").len(), 1);

        let mut b = B::new();
        for i in 0..10 {
            b.add(K::Service, &format!("Rota service {i}"));
        }
        b.d.requirements.daily_active_users = Some(60);
        assert_eq!(
            fired(&b.d, "SCALE-014").len(),
            1,
            "ten services for sixty users"
        );
        b.d.requirements.daily_active_users = Some(2_000_000);
        assert!(fired(&b.d, "SCALE-014").is_empty());
    }

    #[test]
    fn immediate_freshness_and_lookups_per_key() {
        let mut b = B::new();
        let cache = b.add(K::Cache, "Balance cache");
        props(&mut b.d, cache).ttl_s = Some(30);
        props(&mut b.d, cache).invalidation = Some(Invalidation::Ttl);
        b.d.requirements.functional =
            vec!["Balances reflect a payment as soon as it is confirmed".into()];
        assert_eq!(fired(&b.d, "DATA-005").len(), 1);

        let mut b = B::new();
        let api = b.add(K::Service, "Feed API");
        let db = b.add(K::DocumentDb, "Posts");
        props(&mut b.d, db).partition_key = Some("postId".into());
        b.labelled(api, db, C::Read, "latest posts per topic");
        assert_eq!(fired(&b.d, "SCALE-008").len(), 1);
        props(&mut b.d, db).partition_key = Some("topicId".into());
        assert!(fired(&b.d, "SCALE-008").is_empty());
    }

    #[test]
    fn a_service_fleet_into_a_fixed_small_service_and_hot_cached_profiles() {
        let mut b = B::new();
        let api = b.add(K::Service, "Ingest API");
        let ml = b.add(K::Service, "Scoring model");
        props(&mut b.d, api).instances = Some(16);
        props(&mut b.d, ml).instances = Some(2);
        b.link(api, ml, C::Request);
        assert_eq!(fired(&b.d, "SCALE-013").len(), 1);
        props(&mut b.d, ml).autoscaling = Some(true);
        assert!(
            fired(&b.d, "SCALE-013").is_empty(),
            "a service fleet against one that grows"
        );

        let mut b = B::new();
        let cache = b.add(K::Cache, "Profile cache");
        b.d.requirements.functional = vec!["A few celebrity profiles get most of the reads".into()];
        assert_eq!(fired(&b.d, "SCALE-009").len(), 1);
        b.note("Profile cache replicates hot keys to every node.");
        let f = fired(&b.d, "SCALE-009");
        assert_eq!(f[0].severity, Severity::Info);
        let _ = cache;
    }

    #[test]
    fn seats_on_an_eventually_consistent_store_are_an_error() {
        let mut b = B::new();
        let api = b.add(K::Service, "Booking API");
        let db = b.add(K::DocumentDb, "Seat map");
        props(&mut b.d, db).consistency = Some(Consistency::Eventual);
        b.labelled(api, db, C::Write, "reserve the seat");
        let f = fired(&b.d, "DATA-001");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::Error);
        props(&mut b.d, db).consistency = Some(Consistency::Strong);
        assert!(fired(&b.d, "DATA-001").is_empty());
    }
}
