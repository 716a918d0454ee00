//! Messaging: what happens to a message that keeps failing, to a message
//! delivered twice, to a queue nobody reads, and to an event that a crash
//! can lose between a write and a publish.
//!
//! A queue is judged by what it is: an event log (Kafka, Event Hubs, a
//! stream) has no dead-letter queue of its own, so it is asked for a
//! poison-event strategy instead.

use super::context::{Context, off, on, update_component, update_connection};
use super::failure::IDEMPOTENT_WORDS;
use super::text::{self, has_any, has_whole_word, verb};
use super::{Category, QuickFix, Rule, Severity, Sink};
use crate::catalog::ComponentKind as K;
use crate::model::{Component, ConnectionKind};

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

/// An event log with nowhere to put an event that always fails.
pub static MSG_006: Rule = Rule {
    id: "MSG-006",
    category: CAT,
    severity: Severity::Error,
    title: "Event stream without a poison-event strategy",
    why: "A log such as Kafka or Event Hubs has no dead-letter queue: a consumer that cannot process one event either stops its whole partition behind it or skips it silently. Either way somebody has to decide, before it happens, what a poison event does.",
    fix: "Park events that keep failing on a retry or parking topic with the error and the offset, alert on it, and let the consumer move on; or stop the partition and page someone where order matters more than progress.",
    question: "One malformed event makes the consumer throw: what happens to the events behind it in the same partition?",
};

/// A write and a publish that a crash can split.
pub static MSG_007: Rule = Rule {
    id: "MSG-007",
    category: CAT,
    severity: Severity::Info,
    title: "Write and publish without an outbox",
    why: "A service that writes to its database and then publishes an event can crash in between: the data changed but no event went out, or the event went out for a write that rolled back. Consumers then disagree with the source for good.",
    fix: "Record the event in the same transaction as the data (a transactional outbox) and publish from there, or publish from the database's change feed.",
    question: "Your service commits the order and crashes before publishing OrderPlaced: who ever hears about that order?",
};

pub(super) static RULES: &[&Rule] = &[
    &MSG_001, &MSG_002, &MSG_003, &MSG_004, &MSG_005, &MSG_006, &MSG_007,
];

fn is_broker(kind: K) -> bool {
    matches!(kind, K::Queue | K::EventStore)
}

/// Products and words that make a queue an append-only event log.
const EVENT_LOG_WORDS: &[&str] = &[
    "kafka",
    "event hub",
    "eventhub",
    "kinesis",
    "pulsar",
    "redpanda",
    "stream",
];

/// A queue that is really an event log: judged for a poison-event
/// strategy, not a dead-letter queue.
fn is_event_log(ctx: &Context<'_>, index: usize, c: &Component) -> bool {
    c.kind == K::Queue
        && (has_any(&c.name, EVENT_LOG_WORDS)
            || has_whole_word(&c.name, "log")
            || ctx
                .says(index, &["kafka", "event hubs", "kinesis"])
                .is_some())
}

/// Words that say a queue moves failing messages aside.
const DEAD_LETTER_WORDS: &[&str] = &[
    "dead-letter",
    "dead letter",
    "dlq",
    "parking topic",
    "parking lot",
    "poison",
    "retry topic",
    "error topic",
    "logged and skipped",
    "skip and log",
    "skipped and logged",
    "quarantine",
];

/// Words that say events are recorded with the data.
const OUTBOX_WORDS: &[&str] = &[
    "outbox",
    "same transaction",
    "change feed",
    "cdc",
    "change data capture",
    "transactional",
    "debezium",
];

pub(super) fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) {
    for (i, c, _) in ctx.components() {
        let props = &c.properties;
        let name = &c.name;

        if c.kind == K::Queue {
            let max_deliveries = props.max_delivery_count.unwrap_or(0);
            let log = is_event_log(ctx, i, c);
            let has = verb(name, "has", "have");
            if off(props.dead_letter_queue) {
                let fix = |label| {
                    Some(QuickFix {
                        label,
                        edit: update_component(c, |p| {
                            p.dead_letter_queue = Some(true);
                            if p.max_delivery_count.unwrap_or(0) == 0 {
                                p.max_delivery_count = Some(MAX_DELIVERY_COUNT);
                            }
                        }),
                    })
                };
                if let Some(quote) = ctx.says(i, DEAD_LETTER_WORDS) {
                    sink.component(
                        if log { &MSG_006 } else { &MSG_001 },
                        c,
                        text::written_but_unset(
                            name,
                            (
                                "moves failing messages aside",
                                "move failing messages aside",
                            ),
                            Some(&quote),
                            "Dead-letter queue switch is off",
                        ),
                        fix("Record the dead-letter queue"),
                    )
                    .at(Severity::Info);
                } else if log {
                    sink.component(
                        &MSG_006,
                        c,
                        format!(
                            "{name} {} an event log with no plan for an event that always fails: park it on a retry or parking topic and alert, or stop the partition deliberately",
                            verb(name, "is", "are")
                        ),
                        fix("Park poison events on a retry topic"),
                    );
                } else {
                    sink.component(
                        &MSG_001,
                        c,
                        format!("{name} {has} no dead-letter queue for messages that keep failing"),
                        fix("Add a dead-letter queue"),
                    );
                }
            }
            if max_deliveries == 0 && props.max_delivery_count.is_some() {
                let stated = text::count_near(
                    ctx.text(i),
                    &["deliver", "attempt"],
                    &["delivery count", "count"],
                )
                .filter(|&n| n > 0);
                let (message, count, severity) = match stated {
                    Some(n) => (
                        text::written_but_unset(
                            name,
                            (
                                "delivers a message up to a set count",
                                "deliver a message up to a set count",
                            ),
                            Some(&format!("up to {n} deliveries")),
                            "Max delivery count is 0",
                        ),
                        n,
                        Severity::Info,
                    ),
                    None if on(props.dead_letter_queue) => (
                        format!(
                            "{name} {} failing messages forever, so none reach {} dead-letter queue",
                            verb(name, "retries", "retry"),
                            if text::is_plural(name) {
                                "their"
                            } else {
                                "its"
                            }
                        ),
                        MAX_DELIVERY_COUNT,
                        MSG_002.severity,
                    ),
                    None => (
                        format!(
                            "{name} {} a failing message forever: cap the deliveries so a poison message stops blocking the rest",
                            verb(name, "retries", "retry")
                        ),
                        MAX_DELIVERY_COUNT,
                        MSG_002.severity,
                    ),
                };
                sink.component(
                    &MSG_002,
                    c,
                    message,
                    Some(QuickFix {
                        label: if stated.is_some() {
                            "Set the delivery count the design states"
                        } else {
                            "Dead-letter after ten attempts"
                        },
                        edit: update_component(c, |p| p.max_delivery_count = Some(count)),
                    }),
                )
                .at(severity);
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
                    format!("Messages are published to {name} but nothing consumes them: draw the consumer, or remove the queue"),
                    None,
                );
            }
        }

        if c.kind == K::EventStore && off(props.replay) {
            sink.component(
                &MSG_005,
                c,
                format!(
                    "{name} {} not let consumers replay past events",
                    verb(name, "does", "do")
                ),
                Some(QuickFix {
                    label: "Allow replay",
                    edit: update_component(c, |p| p.replay = Some(true)),
                }),
            );
        }

        consumer(ctx, i, c, sink);
        dual_write(ctx, i, c, sink);
    }
}

/// MSG-003 for the component at `index`: one finding per consumer, on the
/// component when it has an idempotency switch, otherwise on the first
/// consume connection.
fn consumer(ctx: &Context<'_>, index: usize, c: &Component, sink: &mut Sink<'_>) {
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
    let not = verb(&c.name, "is", "are");
    match c.properties.idempotent {
        Some(true) => {}
        Some(false) => {
            if !first.conn.idempotent {
                let fix = Some(QuickFix {
                    label: "Make processing idempotent",
                    edit: update_component(c, |p| p.idempotent = Some(true)),
                });
                match ctx.says(index, IDEMPOTENT_WORDS) {
                    Some(quote) => {
                        sink.written_but_unset(
                            &MSG_003,
                            c,
                            ("handles duplicates", "handle duplicates"),
                            &quote,
                            "Idempotent processing switch is off",
                            fix,
                        );
                    }
                    None => {
                        sink.component(
                            &MSG_003,
                            c,
                            format!(
                                "{} {} messages from {} but {not} not idempotent",
                                c.name,
                                verb(&c.name, "processes", "process"),
                                source.name
                            ),
                            fix,
                        );
                    }
                }
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
                        "{} {} messages from {} but {not} not idempotent",
                        c.name,
                        verb(&c.name, "processes", "process"),
                        source.name
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

/// MSG-007 for the component at `index`: it writes to a database and
/// publishes to a broker, with no outbox.
fn dual_write(ctx: &Context<'_>, index: usize, c: &Component, sink: &mut Sink<'_>) {
    if !off(c.properties.outbox) {
        return;
    }
    let store = ctx.outgoing(index).find(|l| {
        l.conn.kind == ConnectionKind::Write && matches!(l.to.kind, K::RelationalDb | K::DocumentDb)
    });
    let broker = ctx
        .outgoing(index)
        .find(|l| l.conn.kind == ConnectionKind::Publish && is_broker(l.to.kind));
    let (Some(store), Some(broker)) = (store, broker) else {
        return;
    };
    let fix = Some(QuickFix {
        label: "Publish through an outbox",
        edit: update_component(c, |p| p.outbox = Some(true)),
    });
    let name = &c.name;
    match ctx.says(index, OUTBOX_WORDS) {
        Some(quote) => {
            sink.component(
                &MSG_007,
                c,
                text::written_but_unset(
                    name,
                    ("publishes through an outbox", "publish through an outbox"),
                    Some(&quote),
                    "Transactional outbox switch is off",
                ),
                fix,
            );
        }
        None => {
            sink.component(
                &MSG_007,
                c,
                format!(
                    "{name} {} to {} and {} to {} as two separate steps: a crash in between loses the event or sends one for a write that never happened. Record the event with the data (outbox) or publish from the change feed",
                    verb(name, "writes", "write"),
                    store.to.name,
                    verb(name, "publishes", "publish"),
                    broker.to.name
                ),
                fix,
            );
        }
    }
}
