//! Real-time: persistent connections held by hub instances, and how a
//! message reaches a user connected to another instance.
//!
//! Components are judged by role: a plain service that pushes to clients
//! over WebSockets holds connections just like a real-time hub, so it is
//! asked the same questions (a backplane, affinity at the balancer).

use super::context::{Context, instances, is_scaled_out, off, on, update_component};
use super::text::verb;
use super::{Category, QuickFix, Rule, Severity, Sink};
use crate::catalog::ComponentKind as K;
use crate::model::{Backplane, ConnectionKind};

const CAT: Category = Category::RealTime;

/// Several hub instances that cannot reach each other's connections.
pub static RT_001: Rule = Rule {
    id: "RT-001",
    category: CAT,
    severity: Severity::Error,
    title: "Scaled-out real-time hub without a backplane",
    why: "Each hub instance only knows the connections it holds. Without a backplane, a message sent on one instance never reaches users connected to the others.",
    fix: "Connect the instances through a backplane (Redis) or move the connections to a managed service (Azure SignalR Service).",
    question: "User A is connected to instance one and user B to instance two: how does A's message reach B?",
};

/// Scaled-out hub connections without affinity.
pub static RT_002: Rule = Rule {
    id: "RT-002",
    category: CAT,
    severity: Severity::Warning,
    title: "Scaled-out hub without sticky sessions",
    why: "Connection set-up and fallback transports make several requests that must reach the same instance. Without affinity they land on different instances and the connection fails.",
    fix: "Turn on sticky sessions at the hub or its load balancer, or let a managed service hold the connections.",
    question: "The negotiate request and the WebSocket upgrade land on different instances: what happens?",
};

/// Pushed messages lost while a user is away.
pub static RT_003: Rule = Rule {
    id: "RT-003",
    category: CAT,
    severity: Severity::Info,
    title: "Pushed messages are lost for users who are offline",
    why: "A push only reaches users connected at that moment. Mobile clients drop off all the time, so messages need a store to be fetched from when the user comes back.",
    fix: "Persist messages and let clients catch up on reconnect (or send a push notification), unless live-only delivery is acceptable.",
    question: "A user's phone loses signal for a minute: which messages do they miss?",
};

pub(super) static RULES: &[&Rule] = &[&RT_001, &RT_002, &RT_003];

/// Words that say instances exchange messages with each other.
const BACKPLANE_WORDS: &[&str] = &[
    "backplane",
    "pub/sub",
    "pubsub",
    "every instance subscribes",
    "all instances subscribe",
    "each instance subscribes",
    "broadcast to every instance",
    "azure signalr",
    "redis pub",
    "fans out to every instance",
    "fan out to all instances",
];

/// Words that say a balancer keeps a client on one instance.
const STICKY_WORDS: &[&str] = &["sticky", "affinity", "session affinity", "arr affinity"];

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for (i, c, _) in ctx.components() {
        if !ctx.holds_connections(i) {
            continue;
        }
        let hub = c.kind == K::RealtimeHub;
        let props = &c.properties;
        let name = &c.name;
        let backplane = props.backplane.unwrap_or_default();
        let scaled_out = is_scaled_out(c);
        let how = if instances(c) >= 2 {
            format!("{} instances", instances(c))
        } else {
            "autoscaled instances".to_owned()
        };
        let runs = verb(name, "runs", "run");

        if scaled_out && backplane == Backplane::None {
            // A link to a cache that serves as a backplane says it as well
            // as any label.
            let stated = ctx.says(i, BACKPLANE_WORDS).or_else(|| {
                ctx.touching(i)
                    .map(|l| {
                        if l.from_index == i {
                            (l.to, l.to_index)
                        } else {
                            (l.from, l.from_index)
                        }
                    })
                    .find(|&(_, j)| ctx.is_backplane(j))
                    .map(|(other, _)| format!("linked to {}", other.name))
            });
            match (hub, stated) {
                (true, Some(quote)) => {
                    sink.written_but_unset(
                        &RT_001,
                        c,
                        ("has a backplane", "have a backplane"),
                        &quote,
                        "Backplane is None",
                        Some(QuickFix {
                            label: "Add a Redis backplane",
                            edit: update_component(c, |p| p.backplane = Some(Backplane::Redis)),
                        }),
                    );
                }
                (true, None) => {
                    sink.component(
                        &RT_001,
                        c,
                        format!(
                            "{name} {runs} {how} but {} no backplane",
                            verb(name, "has", "have")
                        ),
                        Some(QuickFix {
                            label: "Add a Redis backplane",
                            edit: update_component(c, |p| p.backplane = Some(Backplane::Redis)),
                        }),
                    );
                }
                (false, Some(_)) => {}
                (false, None) => {
                    sink.component(
                        &RT_001,
                        c,
                        format!(
                            "{name} {} clients' WebSockets on {how}, but nothing carries a message to the clients connected to the other instances: each update reaches only the watchers of the instance that got it. Add a backplane (Redis pub/sub, every instance subscribed to a topic) or move the connections to a managed real-time service",
                            verb(name, "holds", "hold")
                        ),
                        None,
                    );
                }
            }
        }

        let balancers: Vec<_> = ctx
            .incoming(i)
            .filter(|l| l.from.kind == K::LoadBalancer)
            .map(|l| l.from)
            .collect();
        let balancer_sticks = balancers.iter().any(|b| on(b.properties.sticky_sessions));
        let own_sticky_off = if hub {
            off(props.sticky_sessions)
        } else {
            props.sticky_sessions.is_none()
        };
        if scaled_out
            && backplane != Backplane::ManagedService
            && own_sticky_off
            && !balancer_sticks
            && ctx.says(i, STICKY_WORDS).is_none()
        {
            let fix = if hub {
                Some(QuickFix {
                    label: "Turn on sticky sessions",
                    edit: update_component(c, |p| p.sticky_sessions = Some(true)),
                })
            } else {
                balancers.first().map(|b| QuickFix {
                    label: "Turn on sticky sessions at the balancer",
                    edit: update_component(b, |p| p.sticky_sessions = Some(true)),
                })
            };
            if hub || fix.is_some() {
                sink.component(
                    &RT_002,
                    c,
                    format!("{name} {runs} {how} without sticky sessions"),
                    fix,
                );
            }
        }

        let pushes_to_clients = ctx.touching(i).any(|l| l.conn.kind == ConnectionKind::Push);
        if pushes_to_clients && off(props.offline_delivery) {
            sink.component(
                &RT_003,
                c,
                format!(
                    "{name} {} messages for users who are not connected",
                    verb(name, "drops", "drop")
                ),
                Some(QuickFix {
                    label: "Turn on offline delivery",
                    edit: update_component(c, |p| p.offline_delivery = Some(true)),
                }),
            );
        }
    }
}
