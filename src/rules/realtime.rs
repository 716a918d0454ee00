//! Real-time: persistent connections held by hub instances, and how a
//! message reaches a user connected to another instance.

use super::context::{Context, instances, is_scaled_out, off, on, update_component};
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

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for (i, c, _) in ctx.components() {
        if c.kind != K::RealtimeHub {
            continue;
        }
        let props = &c.properties;
        let name = &c.name;
        let backplane = props.backplane.unwrap_or_default();
        let scaled_out = is_scaled_out(c);
        let how = if instances(c) >= 2 {
            format!("{} instances", instances(c))
        } else {
            "autoscaled instances".to_owned()
        };

        if scaled_out && backplane == Backplane::None {
            sink.component(
                &RT_001,
                c,
                format!("{name} runs {how} but has no backplane"),
                Some(QuickFix {
                    label: "Add a Redis backplane",
                    edit: update_component(c, |p| p.backplane = Some(Backplane::Redis)),
                }),
            );
        }

        let balancer_sticks = ctx
            .incoming(i)
            .any(|l| l.from.kind == K::LoadBalancer && on(l.from.properties.sticky_sessions));
        if scaled_out
            && backplane != Backplane::ManagedService
            && off(props.sticky_sessions)
            && !balancer_sticks
        {
            sink.component(
                &RT_002,
                c,
                format!("{name} runs {how} without sticky sessions"),
                Some(QuickFix {
                    label: "Turn on sticky sessions",
                    edit: update_component(c, |p| p.sticky_sessions = Some(true)),
                }),
            );
        }

        let pushes_to_clients = ctx.touching(i).any(|l| l.conn.kind == ConnectionKind::Push);
        if pushes_to_clients && off(props.offline_delivery) {
            sink.component(
                &RT_003,
                c,
                format!("{name} drops messages for users who are not connected"),
                Some(QuickFix {
                    label: "Turn on offline delivery",
                    edit: update_component(c, |p| p.offline_delivery = Some(true)),
                }),
            );
        }
    }
}
