//! Messaging: what happens to a message that keeps failing, to a message
//! delivered twice, and to a queue nobody reads.

use super::context::{Context, off, on, update_component, update_connection};
use super::{Category, QuickFix, Rule, Severity, Sink};
use crate::catalog::ComponentKind as K;
use crate::model::ConnectionKind;

const CAT: Category = Category::Messaging;

/// Delivery attempts offered by the quick fixes.
const MAX_DELIVERY_COUNT: u32 = 10;

/// A queue with nowhere to put failing messages.
pub static MSG_001: Rule = Rule {
    id: "MSG-001",
    category: CAT,
    severity: Severity::Error,
    title: "Queue without a dead-letter queue",
    why: "A message that always fails (a poison message) is either retried forever, blocking the messages behind it, or dropped without a trace. A dead-letter queue keeps it aside for inspection and replay.",
    fix: "Turn on dead-lettering with a maximum delivery count, and monitor and alert on the dead-letter queue.",
    question: "A message makes the consumer throw every time: where does it end up?",
};

/// Dead-lettering that never happens.
pub static MSG_002: Rule = Rule {
    id: "MSG-002",
    category: CAT,
    severity: Severity::Warning,
    title: "Queue without a maximum delivery count",
    why: "With no limit on attempts, a poison message is retried forever and never reaches the dead-letter queue.",
    fix: "Set a maximum delivery count (five to ten is common) after which a message is dead-lettered.",
    question: "How many times do you retry a message before giving up on it?",
};

/// A consumer that is not safe against duplicates.
pub static MSG_003: Rule = Rule {
    id: "MSG-003",
    category: CAT,
    severity: Severity::Warning,
    title: "Consumer that is not idempotent",
    why: "Brokers deliver at least once: after a timeout, a crash or a rebalance the same message arrives again. A consumer that is not idempotent then ships twice or charges twice.",
    fix: "Make processing idempotent: record processed message ids, or make the effect naturally repeatable (upserts, conditional updates).",
    question: "This message is delivered twice: what happens the second time?",
};

/// Published messages that nothing reads.
pub static MSG_004: Rule = Rule {
    id: "MSG-004",
    category: CAT,
    severity: Severity::Warning,
    title: "Queue without a consumer",
    why: "Messages published to a queue that nobody consumes pile up until they expire, and the work they stand for never happens.",
    fix: "Draw the worker or service that consumes the queue, or remove the queue.",
    question: "Who reads the messages published here?",
};

/// An event log that cannot be replayed.
pub static MSG_005: Rule = Rule {
    id: "MSG-005",
    category: CAT,
    severity: Severity::Warning,
    title: "Event log without replay",
    why: "Replaying past events is how you rebuild a read model, recover from a consumer bug or add a new consumer later. Without it the log is only an audit trail.",
    fix: "Keep events long enough and let consumers read from an earlier position.",
    question: "A bug corrupted a read model last week: how do you rebuild it?",
};

pub(super) static RULES: &[&Rule] = &[&MSG_001, &MSG_002, &MSG_003, &MSG_004, &MSG_005];

fn is_broker(kind: K) -> bool {
    matches!(kind, K::Queue | K::EventStore)
}

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for (i, c, _) in ctx.components() {
        let props = &c.properties;
        let name = &c.name;

        if c.kind == K::Queue {
            let max_deliveries = props.max_delivery_count.unwrap_or(0);
            if off(props.dead_letter_queue) {
                sink.component(
                    &MSG_001,
                    c,
                    format!("{name} has no dead-letter queue for messages that keep failing"),
                    Some(QuickFix {
                        label: "Add a dead-letter queue",
                        edit: update_component(c, |p| {
                            p.dead_letter_queue = Some(true);
                            if p.max_delivery_count.unwrap_or(0) == 0 {
                                p.max_delivery_count = Some(MAX_DELIVERY_COUNT);
                            }
                        }),
                    }),
                );
            } else if on(props.dead_letter_queue) && max_deliveries == 0 {
                sink.component(
                    &MSG_002,
                    c,
                    format!("{name} retries failing messages forever, so none reach its dead-letter queue"),
                    Some(QuickFix {
                        label: "Dead-letter after ten attempts",
                        edit: update_component(c, |p| {
                            p.max_delivery_count = Some(MAX_DELIVERY_COUNT);
                        }),
                    }),
                );
            }

            let consumed = ctx.touching(i).any(|l| {
                l.conn.kind == ConnectionKind::Consume
                    || (l.from_index == i && l.conn.kind != ConnectionKind::Publish)
            });
            let published = ctx
                .incoming(i)
                .any(|l| l.conn.kind == ConnectionKind::Publish);
            if published && !consumed {
                sink.component(
                    &MSG_004,
                    c,
                    format!("Messages are published to {name} but nothing consumes them"),
                    None,
                );
            }
        }

        if c.kind == K::EventStore && off(props.replay) {
            sink.component(
                &MSG_005,
                c,
                format!("{name} does not let consumers replay past events"),
                Some(QuickFix {
                    label: "Allow replay",
                    edit: update_component(c, |p| p.replay = Some(true)),
                }),
            );
        }

        consumer(ctx, i, c, sink);
    }
}

/// MSG-003 for the component at `index`: one finding per consumer, on the
/// component when it has an idempotency switch, otherwise on the first
/// consume connection.
fn consumer(ctx: &Context<'_>, index: usize, c: &crate::model::Component, sink: &mut Sink<'_>) {
    if is_broker(c.kind) || c.kind == K::Client {
        return;
    }
    let mut consumes = ctx.touching(index).filter(|l| {
        l.conn.kind == ConnectionKind::Consume && {
            let other = if l.from_index == index { l.to } else { l.from };
            is_broker(other.kind)
        }
    });
    let Some(first) = consumes.next() else {
        return;
    };
    let source = if first.from_index == index {
        first.to
    } else {
        first.from
    };
    match c.properties.idempotent {
        Some(true) => {}
        Some(false) => {
            if !first.conn.idempotent {
                sink.component(
                    &MSG_003,
                    c,
                    format!(
                        "{} processes messages from {} but is not idempotent",
                        c.name, source.name
                    ),
                    Some(QuickFix {
                        label: "Make processing idempotent",
                        edit: update_component(c, |p| p.idempotent = Some(true)),
                    }),
                );
            }
        }
        None => {
            let unsafe_link = std::iter::once(first)
                .chain(consumes)
                .find(|l| !l.conn.idempotent);
            if let Some(link) = unsafe_link {
                let source = if link.from_index == index {
                    link.to
                } else {
                    link.from
                };
                sink.connection(
                    &MSG_003,
                    link,
                    format!(
                        "{} processes messages from {} but is not idempotent",
                        c.name, source.name
                    ),
                    Some(QuickFix {
                        label: "Make processing idempotent",
                        edit: update_connection(link.conn, |conn| conn.idempotent = true),
                    }),
                );
            }
        }
    }
}
