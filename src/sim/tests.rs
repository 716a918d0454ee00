//! The simulation's mechanisms, one small design each.

// Test helpers unwrap: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::catalog::ComponentKind as K;
use crate::model::{
    Component, Connection, ConnectionKind as C, Diagram, Group, GroupKind, Id, Point, Policy,
    Properties, Rect, Retry,
};

/// Builds small designs: components on a grid, connections with empty
/// policies, groups by rectangle.
struct Design {
    d: Diagram,
}

impl Design {
    fn new() -> Self {
        Self {
            d: Diagram::new("Test design"),
        }
    }

    fn next(&mut self) -> Id {
        let id = Id(self.d.next_id);
        self.d.next_id += 1;
        id
    }

    fn add(&mut self, kind: K, name: &str) -> Id {
        let n = self.d.components.len() as f32;
        self.add_at(kind, name, 300.0 * n, 0.0)
    }

    fn add_at(&mut self, kind: K, name: &str, x: f32, y: f32) -> Id {
        let id = self.next();
        self.d.components.push(Component {
            id,
            kind,
            name: name.to_owned(),
            position: Point::new(x, y),
            properties: kind.default_properties(),
        });
        id
    }

    fn props(&mut self, id: Id, change: impl FnOnce(&mut Properties)) {
        let c = self.d.components.iter_mut().find(|c| c.id == id).unwrap();
        change(&mut c.properties);
    }

    fn link(&mut self, from: Id, to: Id, kind: C) -> Id {
        let id = self.next();
        self.d.connections.push(Connection {
            id,
            from,
            to,
            kind,
            label: String::new(),
            policy: Policy::default(),
            idempotent: true,
        });
        id
    }

    fn policy(&mut self, conn: Id, change: impl FnOnce(&mut Policy)) {
        let c = self
            .d
            .connections
            .iter_mut()
            .find(|c| c.id == conn)
            .unwrap();
        change(&mut c.policy);
    }

    fn group(&mut self, kind: GroupKind, label: &str, rect: Rect) -> Id {
        let id = self.next();
        self.d.groups.push(Group {
            id,
            kind,
            label: label.to_owned(),
            rect,
        });
        id
    }

    /// 1,000 requests/s at peak with `reads_per_write` reads per write.
    fn traffic(&mut self, reads_per_write: f64) {
        let r = &mut self.d.requirements;
        r.daily_active_users = Some(8_640_000);
        r.requests_per_user_per_day = Some(10.0);
        r.peak_factor = Some(1.0);
        r.read_write_ratio = Some(reads_per_write);
    }

    fn build(&self) -> Diagram {
        let mut d = self.d.clone();
        d.sort_items();
        d
    }
}

fn run(d: &Diagram, scenario: Scenario) -> Outcome {
    simulate(d, scenario).unwrap()
}

fn request_path(o: &Outcome) -> &PathOutcome {
    o.paths
        .iter()
        .find(|p| p.kind == PathKind::Request)
        .expect("a request path")
}

fn background_path(o: &Outcome) -> &PathOutcome {
    o.paths
        .iter()
        .find(|p| p.kind == PathKind::Background)
        .expect("a background path")
}

fn effects(o: &Outcome, path: &PathOutcome) -> Vec<Effect> {
    o.reasons_of(&path.reasons).map(|r| r.effect).collect()
}

fn load(o: &Outcome, id: Id) -> ComponentLoad {
    o.component(id).unwrap().load.expect("load is simulated")
}

fn has(effects: &[Effect], wanted: impl Fn(&Effect) -> bool) -> bool {
    effects.iter().any(wanted)
}

/// Client → Service A → Service B, both with one instance.
fn chain() -> (Design, Id, Id, Id) {
    let mut t = Design::new();
    let client = t.add(K::Client, "Web");
    let a = t.add(K::Service, "Orders");
    let b = t.add(K::Service, "Payments");
    t.link(client, a, C::Request);
    let ab = t.link(a, b, C::Request);
    (t, a, b, ab)
}

#[test]
fn everything_works_when_nothing_fails() {
    let (t, ..) = chain();
    let o = run(&t.build(), Scenario::baseline());
    assert_eq!(o.worst(), Verdict::Works);
    assert_eq!(o.paths.len(), 1);
    assert!(o.blast_radius().components.is_empty());
    assert!(o.reasons.is_empty(), "{:#?}", o.reasons);
}

#[test]
fn a_timeout_bounds_the_wait() {
    let (mut t, a, b, ab) = chain();
    let o = run(&t.build(), Scenario::down(b));
    let call = o.call(ab).unwrap();
    assert_eq!(call.wait_ms, None, "no timeout: the caller waits forever");
    let path = request_path(&o);
    assert_eq!(path.verdict, Verdict::Fails);
    let found = effects(&o, path);
    assert!(has(&found, |e| *e == Effect::Hangs), "{found:?}");
    assert!(
        has(
            &found,
            |e| matches!(e, Effect::PoolExhausted { connection } if *connection == ab)
        ),
        "{found:?}"
    );
    // The hang is linked to the checklist finding that asks for a timeout.
    let hang = o
        .reasons
        .iter()
        .find(|r| r.effect == Effect::Hangs)
        .unwrap();
    assert!(hang.decided_by.contains(&Cause::Rule {
        rule_id: "FAIL-001",
        subject: Subject::Connection(ab),
    }));

    t.policy(ab, |p| p.timeout_ms = Some(1_000));
    let o = run(&t.build(), Scenario::down(b));
    let call = o.call(ab).unwrap();
    assert_eq!(call.wait_ms, Some(1_000.0), "the timeout ends the wait");
    let found = effects(&o, request_path(&o));
    assert!(
        has(&found, |e| *e == Effect::TimesOut { timeout_ms: 1_000 }),
        "{found:?}"
    );
    assert!(
        !has(&found, |e| matches!(e, Effect::PoolExhausted { .. })),
        "{found:?}"
    );
    assert!(
        !o.component(a)
            .unwrap()
            .reasons
            .iter()
            .any(|&r| matches!(o.reasons[r].effect, Effect::PoolExhausted { .. }))
    );
}

#[test]
fn a_fallback_gives_degraded_only_when_the_call_can_end() {
    let (mut t, _, b, ab) = chain();
    t.policy(ab, |p| p.fallback = true);
    let o = run(&t.build(), Scenario::down(b));
    let path = request_path(&o);
    assert_eq!(
        path.verdict,
        Verdict::Fails,
        "without a timeout the fallback never runs"
    );
    assert!(has(&effects(&o, path), |e| *e == Effect::FallbackNeverRuns));

    t.policy(ab, |p| p.timeout_ms = Some(300));
    let o = run(&t.build(), Scenario::down(b));
    let path = request_path(&o);
    assert_eq!(path.verdict, Verdict::Degraded);
    let found = effects(&o, path);
    assert!(has(&found, |e| *e == Effect::FallbackAnswers), "{found:?}");
    assert!(
        has(&found, |e| *e == Effect::Down),
        "the root cause is listed last: {found:?}"
    );
    assert_eq!(found.last(), Some(&Effect::Down));

    t.policy(ab, |p| p.fallback = false);
    let o = run(&t.build(), Scenario::down(b));
    let path = request_path(&o);
    assert_eq!(path.verdict, Verdict::Fails);
    assert!(has(&effects(&o, path), |e| *e == Effect::CallFails));
}

#[test]
fn retries_multiply_the_load_on_a_failing_dependency() {
    // Orders → Payments → Provider; the provider is down and Payments fails
    // fast (it has a timeout), so Orders' retries all reach Payments.
    let (mut t, _, b, ab) = chain();
    let provider = t.add(K::ExternalService, "Provider");
    let bp = t.link(b, provider, C::Request);
    t.policy(bp, |p| p.timeout_ms = Some(500));
    t.traffic(1.0);
    let before = run(&t.build(), Scenario::baseline());
    assert!((load(&before, b).total_per_s() - 1_000.0).abs() < 1e-6);

    t.policy(ab, |p| {
        p.timeout_ms = Some(2_000);
        p.retry = Retry::ExponentialJitter;
        p.max_retries = 3;
    });
    let o = run(&t.build(), Scenario::down(provider));
    let call = o.call(ab).unwrap();
    assert_eq!(call.load_factor, 4.0);
    assert!(
        (load(&o, b).total_per_s() - 4_000.0).abs() < 1e-6,
        "{:?}",
        load(&o, b)
    );
    assert!(has(&effects(&o, request_path(&o)), |e| {
        *e == Effect::Retries {
            attempts: 4,
            jitter: true,
        }
    }));

    // A breaker on the same call stops the calls instead.
    t.policy(ab, |p| p.circuit_breaker = true);
    let o = run(&t.build(), Scenario::down(provider));
    assert_eq!(o.call(ab).unwrap().load_factor, 0.0);
    assert_eq!(load(&o, b).total_per_s(), 0.0);
}

#[test]
fn a_circuit_breaker_stops_the_cascade() {
    // Web → Orders → Payments → Provider (down). Payments waits 3 × 2 s on
    // the provider before its fallback answers: at 1,000 requests/s its
    // threads fill up, and Orders (no timeout) hangs on it in turn.
    let (mut t, a, b, _) = chain();
    let provider = t.add(K::ExternalService, "Provider");
    let bp = t.link(b, provider, C::Request);
    t.policy(bp, |p| {
        p.timeout_ms = Some(2_000);
        p.retry = Retry::ExponentialJitter;
        p.max_retries = 2;
        p.fallback = true;
    });
    t.traffic(1.0);
    let o = run(&t.build(), Scenario::down(provider));
    assert_eq!(request_path(&o).verdict, Verdict::Fails);
    assert_eq!(o.component(b).unwrap().verdict, Verdict::Fails);
    assert_eq!(
        o.component(a).unwrap().verdict,
        Verdict::Fails,
        "the failure spreads up"
    );
    let found = effects(&o, request_path(&o));
    assert!(
        has(&found, |e| matches!(e, Effect::Overloaded { .. })),
        "{found:?}"
    );

    t.policy(bp, |p| p.circuit_breaker = true);
    let o = run(&t.build(), Scenario::down(provider));
    assert_eq!(request_path(&o).verdict, Verdict::Degraded);
    assert_eq!(o.component(a).unwrap().verdict, Verdict::Degraded);
    let found = effects(&o, request_path(&o));
    assert!(has(&found, |e| *e == Effect::BreakerOpens), "{found:?}");
    assert!(has(&found, |e| *e == Effect::FallbackAnswers), "{found:?}");
    assert!(
        !has(&found, |e| matches!(e, Effect::Overloaded { .. })),
        "{found:?}"
    );
}

#[test]
fn a_breaker_cannot_open_on_calls_that_never_end() {
    let (mut t, _, b, ab) = chain();
    t.policy(ab, |p| p.circuit_breaker = true);
    let o = run(&t.build(), Scenario::down(b));
    let path = request_path(&o);
    assert_eq!(path.verdict, Verdict::Fails);
    assert!(has(&effects(&o, path), |e| *e == Effect::BreakerCannotOpen));
}

#[test]
fn a_bulkhead_turns_a_hang_into_a_quick_rejection() {
    let (mut t, a, b, ab) = chain();
    t.policy(ab, |p| {
        p.bulkhead = true;
        p.fallback = true;
    });
    let o = run(&t.build(), Scenario::down(b));
    assert_eq!(o.call(ab).unwrap().wait_ms, Some(0.0));
    assert_eq!(o.component(a).unwrap().verdict, Verdict::Degraded);
    let found = effects(&o, request_path(&o));
    assert!(has(&found, |e| *e == Effect::BulkheadRejects), "{found:?}");
    assert!(
        !has(&found, |e| matches!(e, Effect::PoolExhausted { .. })),
        "{found:?}"
    );
}

#[test]
fn a_replica_takes_over_when_failover_is_automatic() {
    let mut t = Design::new();
    let client = t.add(K::Client, "Web");
    let api = t.add(K::Service, "Orders");
    let db = t.add(K::RelationalDb, "Orders DB");
    t.link(client, api, C::Request);
    let write = t.link(api, db, C::Write);
    t.policy(write, |p| p.timeout_ms = Some(1_000));

    let o = run(&t.build(), Scenario::down(db));
    assert_eq!(request_path(&o).verdict, Verdict::Fails);
    assert!(has(&effects(&o, request_path(&o)), |e| *e == Effect::Down));

    t.props(db, |p| {
        p.replicas = Some(1);
        p.failover = Some(true);
    });
    let o = run(&t.build(), Scenario::down(db));
    assert_eq!(request_path(&o).verdict, Verdict::Degraded);
    let found = effects(&o, request_path(&o));
    assert!(has(&found, |e| *e == Effect::ReplicaTakesOver), "{found:?}");
    let reason = o
        .reasons
        .iter()
        .find(|r| r.effect == Effect::ReplicaTakesOver)
        .unwrap();
    assert!(reason.decided_by.contains(&Cause::Property {
        component: db,
        key: crate::model::PropKey::Failover
    }));

    // A replica without failover still serves reads, but not writes.
    t.props(db, |p| p.failover = Some(false));
    let o = run(&t.build(), Scenario::down(db));
    assert_eq!(request_path(&o).verdict, Verdict::Fails);
    let found = effects(&o, request_path(&o));
    assert!(has(&found, |e| *e == Effect::WritesRejected), "{found:?}");
    assert!(has(&found, |e| *e == Effect::ReadsFromReplica), "{found:?}");
    t.d.connections
        .iter_mut()
        .find(|c| c.id == write)
        .unwrap()
        .kind = C::Read;
    let o = run(&t.build(), Scenario::down(db));
    assert_eq!(request_path(&o).verdict, Verdict::Degraded);
}

/// Web → Orders, which publishes to a queue that a worker consumes.
fn queued() -> (Design, Id, Id, Id) {
    let mut t = Design::new();
    let client = t.add(K::Client, "Web");
    let api = t.add(K::Service, "Orders");
    let queue = t.add(K::Queue, "Order events");
    let worker = t.add(K::Worker, "Shipping");
    t.link(client, api, C::Request);
    let publish = t.link(api, queue, C::Publish);
    t.link(queue, worker, C::Consume);
    (t, queue, worker, publish)
}

#[test]
fn a_queue_buffers_a_consumer_outage() {
    let (t, queue, worker, _) = queued();
    let o = run(&t.build(), Scenario::down(worker));
    assert_eq!(
        request_path(&o).verdict,
        Verdict::Works,
        "the request does not wait for the worker"
    );
    let background = background_path(&o);
    assert_eq!(background.verdict, Verdict::Degraded);
    let found = effects(&o, background);
    assert!(
        has(&found, |e| *e == Effect::Buffered { retention_days: 7 }),
        "{found:?}"
    );

    let o = run(&t.build(), Scenario::consumers_stopped(queue));
    assert_eq!(request_path(&o).verdict, Verdict::Works);
    assert_eq!(background_path(&o).verdict, Verdict::Degraded);
    assert_eq!(o.component(queue).unwrap().verdict, Verdict::Degraded);
}

#[test]
fn a_lost_broker_loses_messages_unless_the_producer_keeps_them() {
    let (mut t, queue, _, publish) = queued();
    let o = run(&t.build(), Scenario::down(queue));
    assert_eq!(
        request_path(&o).verdict,
        Verdict::Degraded,
        "the order is taken, its event is lost"
    );
    assert!(has(&effects(&o, request_path(&o)), |e| *e
        == Effect::PublishLost));
    assert_eq!(background_path(&o).verdict, Verdict::Fails);
    assert!(has(&effects(&o, background_path(&o)), |e| *e
        == Effect::MessagesLost));

    // An outbox (a fallback on the publish) keeps them.
    t.policy(publish, |p| p.fallback = true);
    let o = run(&t.build(), Scenario::down(queue));
    assert_eq!(request_path(&o).verdict, Verdict::Degraded);
    assert!(has(&effects(&o, request_path(&o)), |e| *e
        == Effect::PublishKept));
    assert_eq!(background_path(&o).verdict, Verdict::Degraded);
    assert!(has(&effects(&o, background_path(&o)), |e| *e
        == Effect::MessagesWait));
}

#[test]
fn failing_consumers_dead_letter_retry_or_drop_by_queue_settings() {
    let (mut t, queue, worker, _) = queued();
    let provider = t.add(K::ExternalService, "Carrier");
    let call = t.link(worker, provider, C::Request);
    t.policy(call, |p| p.timeout_ms = Some(1_000));
    let verdict = |t: &Design| {
        let o = run(&t.build(), Scenario::down(provider));
        (
            background_path(&o).verdict,
            effects(&o, background_path(&o)),
        )
    };
    let (v, found) = verdict(&t);
    assert_eq!(v, Verdict::Degraded);
    assert!(has(&found, |e| *e == Effect::RetriedForever), "{found:?}");
    t.props(queue, |p| p.max_delivery_count = Some(5));
    let (v, found) = verdict(&t);
    assert_eq!(v, Verdict::Fails);
    assert!(
        has(&found, |e| *e == Effect::Dropped { attempts: 5 }),
        "{found:?}"
    );
    t.props(queue, |p| p.dead_letter_queue = Some(true));
    let (v, found) = verdict(&t);
    assert_eq!(v, Verdict::Degraded);
    assert!(
        has(&found, |e| *e == Effect::DeadLettered { attempts: 5 }),
        "{found:?}"
    );
}

#[test]
fn a_saga_with_compensation_degrades_and_one_without_fails() {
    let mut t = Design::new();
    let queue = t.add(K::Queue, "Orders");
    let saga = t.add(K::Workflow, "Order saga");
    let payment = t.add(K::ExternalService, "Payment provider");
    t.link(queue, saga, C::Consume);
    let charge = t.link(saga, payment, C::Request);
    t.policy(charge, |p| p.timeout_ms = Some(5_000));
    let o = run(&t.build(), Scenario::down(payment));
    assert_eq!(background_path(&o).verdict, Verdict::Fails);
    assert!(has(&effects(&o, background_path(&o)), |e| *e
        == Effect::LeftHalfDone));
    t.props(saga, |p| p.compensation = Some(true));
    let o = run(&t.build(), Scenario::down(payment));
    assert_eq!(background_path(&o).verdict, Verdict::Degraded);
    assert!(has(&effects(&o, background_path(&o)), |e| *e
        == Effect::Compensated));
}

/// Web → Orders (3 instances, health checks) drawn in zone 1 of 2.
fn zoned() -> (Design, Id, Id, Id) {
    let mut t = Design::new();
    let client = t.add_at(K::Client, "Web", -400.0, 0.0);
    let api = t.add_at(K::Service, "Orders", 50.0, 50.0);
    let db = t.add_at(K::DocumentDb, "Orders store", 650.0, 50.0);
    t.props(api, |p| {
        p.instances = Some(3);
        p.health_checks = Some(true);
    });
    t.link(client, api, C::Request);
    let write = t.link(api, db, C::Write);
    t.policy(write, |p| p.timeout_ms = Some(1_000));
    let zone1 = t.group(GroupKind::Zone, "Zone 1", Rect::new(0.0, 0.0, 400.0, 200.0));
    t.group(
        GroupKind::Zone,
        "Zone 2",
        Rect::new(600.0, 0.0, 400.0, 200.0),
    );
    (t, zone1, api, db)
}

#[test]
fn losing_a_zone_takes_down_what_is_not_spread_over_zones() {
    let (mut t, zone1, api, db) = zoned();
    let o = run(&t.build(), Scenario::zone(zone1));
    assert_eq!(request_path(&o).verdict, Verdict::Fails);
    assert!(has(&effects(&o, request_path(&o)), |e| *e
        == Effect::InGroup { group: zone1 }));
    assert_eq!(
        o.component(db).unwrap().verdict,
        Verdict::Works,
        "zone 2 is untouched"
    );

    t.props(api, |p| p.zones = Some(3));
    let o = run(&t.build(), Scenario::zone(zone1));
    assert_eq!(request_path(&o).verdict, Verdict::Degraded);
    assert!(has(&effects(&o, request_path(&o)), |e| {
        *e == Effect::InstancesLeft {
            group: zone1,
            left: 2,
            of: 3,
        }
    }));

    // Without health checks the balancer keeps sending traffic to the lost ones.
    t.props(api, |p| p.health_checks = Some(false));
    let o = run(&t.build(), Scenario::zone(zone1));
    assert_eq!(request_path(&o).verdict, Verdict::Fails);
    assert!(has(&effects(&o, request_path(&o)), |e| *e == Effect::Misrouted));

    // One instance cannot be spread, whatever the zones property says.
    t.props(api, |p| {
        p.instances = Some(1);
        p.health_checks = Some(true);
    });
    let o = run(&t.build(), Scenario::zone(zone1));
    assert_eq!(request_path(&o).verdict, Verdict::Fails);
}

#[test]
fn a_zone_loss_shrinks_capacity_with_the_instances() {
    let (mut t, zone1, api, _) = zoned();
    t.props(api, |p| p.zones = Some(3));
    t.traffic(1.0);
    let before = run(&t.build(), Scenario::baseline());
    let after = run(&t.build(), Scenario::zone(zone1));
    let (cb, ca) = (
        load(&before, api).capacity_per_s.unwrap(),
        load(&after, api).capacity_per_s.unwrap(),
    );
    assert!((ca - cb * 2.0 / 3.0).abs() < 1e-6, "{cb} → {ca}");
}

#[test]
fn losing_a_region_fails_over_where_something_runs_elsewhere() {
    let mut t = Design::new();
    let client = t.add_at(K::Client, "Web", -400.0, 0.0);
    let tm = t.add_at(K::TrafficManager, "Front Door", -400.0, 300.0);
    let east = t.add_at(K::Service, "API east", 50.0, 50.0);
    let west = t.add_at(K::Service, "API west", 650.0, 50.0);
    t.link(client, tm, C::Request);
    t.link(tm, east, C::Request);
    t.link(tm, west, C::Request);
    let region = t.group(GroupKind::Region, "East", Rect::new(0.0, 0.0, 400.0, 200.0));
    t.group(
        GroupKind::Region,
        "West",
        Rect::new(600.0, 0.0, 400.0, 200.0),
    );
    let o = run(&t.build(), Scenario::region(region));
    assert_eq!(
        request_path(&o).verdict,
        Verdict::Fails,
        "nothing probes the regions"
    );
    assert!(has(&effects(&o, request_path(&o)), |e| *e == Effect::Misrouted));
    t.props(tm, |p| p.multi_region_routing = Some(true));
    let o = run(&t.build(), Scenario::region(region));
    assert_eq!(request_path(&o).verdict, Verdict::Degraded);
    assert!(has(&effects(&o, request_path(&o)), |e| *e
        == Effect::RoutedAround));
}

/// Web → Catalogue, which reads a cache in front of a database.
fn cached() -> (Design, Id, Id, Id, Id) {
    let mut t = Design::new();
    let client = t.add(K::Client, "Shopper");
    let api = t.add(K::Service, "Catalogue");
    let cache = t.add(K::Cache, "Redis");
    let db = t.add(K::RelationalDb, "Catalogue DB");
    t.link(client, api, C::Request);
    let read_cache = t.link(api, cache, C::Read);
    let read_db = t.link(api, db, C::Read);
    t.policy(read_cache, |p| p.timeout_ms = Some(50));
    t.policy(read_db, |p| p.timeout_ms = Some(500));
    t.traffic(9.0);
    (t, api, cache, db, read_cache)
}

#[test]
fn a_cache_absorbs_reads() {
    let (t, api, cache, db, _) = cached();
    let o = run(&t.build(), Scenario::baseline());
    assert!((load(&o, api).reads_per_s - 900.0).abs() < 1e-6);
    assert!((load(&o, cache).reads_per_s - 900.0).abs() < 1e-6);
    // 80% hits by default: a fifth of the reads reach the database.
    assert!(
        (load(&o, db).reads_per_s - 180.0).abs() < 1e-6,
        "{:?}",
        load(&o, db)
    );

    let cold = run(&t.build(), Scenario::cache_cold(cache));
    assert!((load(&cold, db).reads_per_s - 900.0).abs() < 1e-6);
    assert_eq!(request_path(&cold).verdict, Verdict::Degraded);

    let down = run(&t.build(), Scenario::down(cache));
    assert!((load(&down, db).reads_per_s - 900.0).abs() < 1e-6);
    assert_eq!(request_path(&down).verdict, Verdict::Degraded);
    assert!(has(&effects(&down, request_path(&down)), |e| *e
        == Effect::CacheBypassed { cache }));
}

#[test]
fn a_cache_keeps_serving_hits_when_the_store_is_down() {
    let (mut t, _, _, db, _) = cached();
    let o = run(&t.build(), Scenario::down(db));
    assert_eq!(request_path(&o).verdict, Verdict::Degraded);
    assert!(has(&effects(&o, request_path(&o)), |e| *e
        == Effect::ServedFromCache { store: db }));
    // Without a timeout the misses hang and take the service down with them.
    let read_db = t.d.connections.iter().find(|c| c.to == db).unwrap().id;
    t.policy(read_db, |p| p.timeout_ms = None);
    let o = run(&t.build(), Scenario::down(db));
    assert_eq!(request_path(&o).verdict, Verdict::Fails);
}

#[test]
fn the_first_bottleneck_under_ten_times_the_traffic() {
    let mut t = Design::new();
    let client = t.add(K::Client, "Web");
    let gateway = t.add(K::ApiGateway, "Gateway");
    let api = t.add(K::Service, "API");
    let db = t.add(K::RelationalDb, "DB");
    t.props(gateway, |p| p.instances = Some(3));
    t.props(api, |p| p.instances = Some(6));
    t.props(db, |p| p.capacity_rps = Some(4_000));
    t.link(client, gateway, C::Request);
    let route = t.link(gateway, api, C::Request);
    let write = t.link(api, db, C::Write);
    t.policy(route, |p| p.timeout_ms = Some(2_000));
    t.policy(write, |p| p.timeout_ms = Some(1_000));
    t.traffic(1.0);
    let d = t.build();

    let o = run(&d, Scenario::baseline());
    let summary = o.load.as_ref().unwrap();
    assert!((summary.entry_rps - 1_000.0).abs() < 1e-6);
    // The database takes every write on its one node: 500 of 4,000, while
    // gateway and service use 1,000 of 12,000.
    assert_eq!(summary.bottleneck, Some(db));
    assert!((load(&o, db).headroom().unwrap() - 8.0).abs() < 1e-6);
    assert_eq!(o.worst(), Verdict::Works);

    let o = run(&d, Scenario::traffic(10.0));
    let summary = o.load.as_ref().unwrap();
    assert!((summary.entry_rps - 10_000.0).abs() < 1e-6);
    assert_eq!(summary.bottleneck, Some(db));
    let util = load(&o, db).utilisation.unwrap();
    assert!((util - 1.25).abs() < 1e-6, "{util}");
    assert!(load(&o, api).utilisation.unwrap() < 1.0);
    assert_eq!(request_path(&o).verdict, Verdict::Fails);
    assert!(has(&effects(&o, request_path(&o)), |e| matches!(
        e,
        Effect::Overloaded { .. }
    )));
}

#[test]
fn autoscaling_degrades_instead_of_failing_under_load() {
    let (mut t, a, _, _) = chain();
    t.traffic(1.0);
    let o = run(&t.build(), Scenario::traffic(5.0));
    assert_eq!(o.worst(), Verdict::Fails);
    t.props(a, |p| p.autoscaling = Some(true));
    let b = t.d.components[2].id;
    t.props(b, |p| p.autoscaling = Some(true));
    let o = run(&t.build(), Scenario::traffic(5.0));
    assert_eq!(o.worst(), Verdict::Degraded);
    assert!(has(&effects(&o, request_path(&o)), |e| *e
        == Effect::ScalesOut { instances: 3 }));
}

#[test]
fn a_slow_dependency_degrades_within_the_timeout_and_fails_beyond_it() {
    let (mut t, _, b, ab) = chain();
    let db = t.add(K::RelationalDb, "Payments DB");
    let write = t.link(b, db, C::Write);
    t.policy(write, |p| p.timeout_ms = Some(200));
    t.policy(ab, |p| p.timeout_ms = Some(2_000));
    let o = run(&t.build(), Scenario::slow(db, 10.0));
    assert_eq!(request_path(&o).verdict, Verdict::Degraded);
    assert!(has(&effects(&o, request_path(&o)), |e| *e
        == Effect::Slowed { factor_x100: 1_000 }));
    let o = run(&t.build(), Scenario::slow(db, 100.0));
    assert_eq!(request_path(&o).verdict, Verdict::Fails);
    assert!(has(&effects(&o, request_path(&o)), |e| {
        *e == Effect::TooSlow {
            latency_ms: 500,
            timeout_ms: 200,
        }
    }));
}

#[test]
fn tenants_on_their_own_store_are_isolated() {
    let mut t = Design::new();
    let client = t.add_at(K::Client, "Tenants", -400.0, 0.0);
    let api = t.add_at(K::Service, "App API", 0.0, 300.0);
    let shared = t.add_at(K::RelationalDb, "Shared", 50.0, 50.0);
    let own = t.add_at(K::RelationalDb, "Contoso", 650.0, 50.0);
    t.link(client, api, C::Request);
    for db in [shared, own] {
        let w = t.link(api, db, C::Write);
        t.policy(w, |p| p.timeout_ms = Some(1_000));
    }
    let pooled = t.group(
        GroupKind::Tenant,
        "Pooled",
        Rect::new(0.0, 0.0, 400.0, 200.0),
    );
    t.group(
        GroupKind::Tenant,
        "Silo",
        Rect::new(600.0, 0.0, 400.0, 200.0),
    );
    let o = run(&t.build(), Scenario::down(shared));
    assert_eq!(request_path(&o).verdict, Verdict::Degraded);
    assert!(has(&effects(&o, request_path(&o)), |e| *e
        == Effect::TenantIsolated { group: pooled }));
}

#[test]
fn a_broken_client_fails_its_own_paths_only() {
    let (mut t, a, ..) = chain();
    let mobile = t.add(K::Client, "Mobile");
    t.link(mobile, a, C::Request);
    let web = t.d.components[0].id;
    let o = run(&t.build(), Scenario::down(web));
    let verdicts: Vec<(Id, Verdict)> = o.paths.iter().map(|p| (p.entry, p.verdict)).collect();
    assert_eq!(
        verdicts,
        vec![(web, Verdict::Fails), (mobile, Verdict::Works)]
    );
}

#[test]
fn an_explanation_that_fans_out_is_cut_after_its_first_steps() {
    let mut t = Design::new();
    let client = t.add_at(K::Client, "Web", -400.0, 0.0);
    let api = t.add_at(K::Service, "API", -400.0, 300.0);
    t.link(client, api, C::Request);
    for i in 0..150 {
        let dep = t.add_at(
            K::ExternalService,
            &format!("Dep {i}"),
            300.0 * i as f32,
            0.0,
        );
        let call = t.link(api, dep, C::Request);
        t.policy(call, |p| p.timeout_ms = Some(100));
    }
    let zone = t.group(
        GroupKind::Zone,
        "Zone",
        Rect::new(-10.0, -10.0, 50_000.0, 100.0),
    );
    let o = run(&t.build(), Scenario::zone(zone));
    let path = request_path(&o);
    assert_eq!(path.verdict, Verdict::Fails);
    assert!(path.reasons_truncated);
    assert_eq!(path.reasons.len(), 100);
    // Depth first: the first dependency's chain is complete.
    let found = effects(&o, path);
    assert!(
        has(&found, |e| matches!(e, Effect::InGroup { .. })),
        "{found:?}"
    );
    let o = run(&t.build(), Scenario::down(api));
    assert!(!request_path(&o).reasons_truncated);
}

#[test]
fn telemetry_never_breaks_a_path() {
    let (mut t, a, _, _) = chain();
    let logs = t.add(K::LogSink, "Logs");
    t.link(a, logs, C::Publish);
    let o = run(&t.build(), Scenario::down(logs));
    assert_eq!(o.worst(), Verdict::Works);
    assert_eq!(o.component(logs).unwrap().verdict, Verdict::Fails);
}

#[test]
fn a_cycle_is_cut_and_the_result_is_deterministic() {
    let (mut t, a, b, _) = chain();
    t.link(b, a, C::Request);
    let d = t.build();
    let one = run(&d, Scenario::down(b));
    let two = run(&d, Scenario::down(b));
    assert_eq!(one, two);
    assert_eq!(one.worst(), Verdict::Fails);
    for path in &one.paths {
        assert!(path.reasons.iter().all(|&r| r < one.reasons.len()));
    }
    for reason in &one.reasons {
        assert!(
            !reason.text.is_empty() && !reason.text.ends_with('.'),
            "{}",
            reason.text
        );
    }
}

#[test]
fn no_traffic_estimate_means_no_load() {
    let (t, ..) = chain();
    let o = run(&t.build(), Scenario::traffic(10.0));
    assert!(o.load.is_none());
    assert!(o.components.iter().all(|c| c.load.is_none()));
    assert_eq!(o.worst(), Verdict::Works);
}

#[test]
fn scenarios_that_do_not_fit_the_design_are_refused() {
    let (t, a, _, _) = chain();
    let d = t.build();
    assert_eq!(
        simulate(&d, Scenario::down(Id(999))).unwrap_err(),
        ScenarioError::UnknownComponent(Id(999))
    );
    assert_eq!(
        simulate(&d, Scenario::zone(a)).unwrap_err(),
        ScenarioError::NotAZone(a)
    );
    assert!(matches!(
        simulate(&d, Scenario::cache_cold(a)),
        Err(ScenarioError::NotACache(_))
    ));
    assert!(matches!(
        simulate(&d, Scenario::consumers_stopped(a)),
        Err(ScenarioError::NotAQueue(_))
    ));
    assert_eq!(
        simulate(&d, Scenario::slow(a, 0.5)).unwrap_err(),
        ScenarioError::BadFactor(0.5)
    );
    assert!(matches!(
        simulate(&d, Scenario::traffic(f64::NAN)),
        Err(ScenarioError::BadTraffic(_))
    ));
    assert!(simulate(&d, Scenario::traffic(0.0)).is_err());
}

#[test]
fn multipliers_past_a_million_are_refused_rather_than_shown_as_309_digits() {
    let (t, a, _, _) = chain();
    let d = t.build();
    for traffic in [1e308, f64::MAX, 1e7, -1.0, 1e-300, f64::INFINITY] {
        assert!(
            matches!(
                simulate(&d, Scenario::traffic(traffic)),
                Err(ScenarioError::BadTraffic(_))
            ),
            "traffic × {traffic:e}"
        );
    }
    assert!(matches!(
        simulate(&d, Scenario::slow(a, 1e308)),
        Err(ScenarioError::BadFactor(_))
    ));
    // The ends of the range run, and read as written.
    for traffic in [MAX_TRAFFIC, MIN_TRAFFIC] {
        let scenario = Scenario::traffic(traffic);
        assert!(simulate(&d, scenario).is_ok(), "traffic × {traffic}");
        assert!(scenario.title(&d).len() < 40, "{}", scenario.title(&d));
    }
    assert!(simulate(&d, Scenario::slow(a, MAX_SLOW_FACTOR)).is_ok());
    // The message says what is allowed, in a readable number.
    let message = Scenario::traffic(1e308)
        .validate(&d)
        .unwrap_err()
        .to_string();
    assert!(message.len() < 120, "{message}");
    assert!(message.contains("1,000,000"), "{message}");
}

#[test]
fn scenario_keys_and_titles_are_stable() {
    let (t, a, ..) = chain();
    let d = t.build();
    assert_eq!(Scenario::down(a).key(), format!("down:{}", a.0));
    assert_eq!(Scenario::traffic(10.0).key(), "traffic:10");
    assert_eq!(
        Scenario::slow(a, 2.5).with_traffic(2.0).key(),
        format!("slow:{}x2.5+traffic:2", a.0)
    );
    assert_eq!(Scenario::baseline().key(), "baseline");
    assert_eq!(Scenario::down(a).title(&d), "Orders is down");
    assert_eq!(Scenario::traffic(10.0).title(&d), "Traffic × 10");
}

#[test]
fn probes_ask_about_what_the_scenario_shows() {
    let (mut t, _, b, ab) = chain();
    t.policy(ab, |p| {
        p.timeout_ms = Some(1_000);
        p.retry = Retry::ExponentialJitter;
        p.max_retries = 2;
    });
    let d = t.build();
    let o = run(&d, Scenario::down(b));
    let probes = probes(&d, &o);
    let keys: Vec<&str> = probes.iter().map(|p| p.key.as_str()).collect();
    let prefix = format!("whatif:down:{}:", b.0);
    assert!(keys.iter().all(|k| k.starts_with(&prefix)), "{keys:?}");
    assert!(
        keys.contains(&format!("{prefix}impact").as_str()),
        "{keys:?}"
    );
    assert!(
        keys.contains(&format!("{prefix}retries").as_str()),
        "{keys:?}"
    );
    assert!(
        keys.iter()
            .any(|k| k.starts_with(&format!("{prefix}fails:path:"))),
        "{keys:?}"
    );
    assert_eq!(
        probes,
        super::probes(&d, &run(&d, Scenario::down(b))),
        "stable"
    );
    for p in &probes {
        assert!(p.question.ends_with('?'), "{}", p.question);
        assert!(!p.hint.is_empty());
    }
}

#[test]
fn the_blast_radius_lists_what_is_affected() {
    let (t, a, b, ab) = chain();
    let o = run(&t.build(), Scenario::down(b));
    let radius = o.blast_radius();
    assert!(radius.components.contains(&a) && radius.components.contains(&b));
    assert!(radius.connections.contains(&ab));
    assert_eq!(radius.paths, vec![0]);
    assert!(o.spread().contains(&Subject::Connection(ab)));
}
