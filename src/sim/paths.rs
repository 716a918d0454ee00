//! Paths and the finished [`Outcome`].
//!
//! A request path starts at a client and follows one route through the
//! edge and the gateways: a CDN or API gateway with several targets routes
//! each request to one of them, so each target is its own path; a load
//! balancer or traffic manager with one target is passed through, and with
//! several it is where the path ends (its targets are alternatives, and its
//! answer says whether one that works is found). The component at the end
//! handles the request and needs its dependencies (see engine.rs).
//!
//! A background path is a queue or log with one of its consumers.

use std::collections::HashMap;

use super::engine::{Answer, Call, Sim, own_latency_ms};
use super::explain::{Cause, Effect};
use super::graph::{EdgeRole, is_edge};
use super::{
    CallOutcome, ComponentLoad, ComponentOutcome, EntryOutcome, LoadSummary, Outcome, PathKind,
    PathOutcome, Verdict,
};
use crate::catalog::ComponentKind as K;
use crate::model::{PropKey, Subject};

/// At most this many request paths are listed (a guard against designs
/// with long chains of gateways; `Outcome::paths_truncated` says so).
const MAX_PATHS: usize = 20_000;
/// Routes longer than this many hops stop where they are.
const MAX_ROUTE: usize = 32;
/// An explanation lists at most this many steps (depth first, so the first
/// chain down to a root cause is complete); `PathOutcome::reasons_truncated`
/// says when more were left out.
const MAX_REASONS: usize = 100;

/// Kinds that route a request on to one of their targets.
fn routes(kind: K) -> bool {
    matches!(kind, K::ApiGateway | K::Cdn)
}

fn is_router(kind: K) -> bool {
    routes(kind) || is_edge(kind)
}

/// A path before its reasons are collected.
struct Draft {
    kind: PathKind,
    /// Edge indices in order.
    route: Vec<usize>,
    verdict: Verdict,
    /// Reasons of the route hops, top-down.
    hop_reasons: Vec<usize>,
    /// Component whose dependency chain explains the rest.
    handler: usize,
}

/// The calls a component makes that a route can follow.
fn route_edges<'s>(sim: &'s Sim<'_>, i: usize) -> impl Iterator<Item = usize> + 's {
    sim.g.out(i).iter().copied().filter(move |&e| {
        !sim.g.answer_back.get(e).copied().unwrap_or(true)
            && sim
                .g
                .edge(e)
                .is_some_and(|edge| edge.role == EdgeRole::Call && sim.g.kind(edge.to) != K::Client)
    })
}

fn enumerate_routes(sim: &Sim<'_>) -> (Vec<Vec<usize>>, bool) {
    let mut out = Vec::new();
    let mut truncated = false;
    for c in (0..sim.g.len()).filter(|&i| sim.g.kind(i) == K::Client) {
        for e in route_edges(sim, c) {
            let mut stack = vec![vec![e]];
            while let Some(route) = stack.pop() {
                if out.len() >= MAX_PATHS {
                    truncated = true;
                    break;
                }
                let Some(&last) = route.last() else { continue };
                let Some(t) = sim.g.edge(last).map(|edge| edge.to) else {
                    continue;
                };
                let kind = sim.g.kind(t);
                let on_route = |j: usize| {
                    j == c
                        || route
                            .iter()
                            .any(|&r| sim.g.edge(r).is_some_and(|edge| edge.to == j))
                };
                let next: Vec<usize> = if route.len() >= MAX_ROUTE {
                    Vec::new()
                } else if routes(kind) {
                    route_edges(sim, t).collect()
                } else if matches!(kind, K::LoadBalancer | K::TrafficManager) {
                    let targets: Vec<usize> = route_edges(sim, t).collect();
                    if targets.len() == 1 {
                        targets
                    } else {
                        Vec::new()
                    }
                } else {
                    Vec::new()
                };
                let next: Vec<usize> = next
                    .into_iter()
                    .filter(|&n| sim.g.edge(n).is_some_and(|edge| !on_route(edge.to)))
                    .collect();
                if next.is_empty() {
                    out.push(route);
                } else {
                    // Reverse so the first target is explored first.
                    for n in next.into_iter().rev() {
                        let mut longer = route.clone();
                        longer.push(n);
                        stack.push(longer);
                    }
                }
            }
        }
    }
    (out, truncated)
}

/// Evaluates a route from its handler back to the client.
fn evaluate_route(
    sim: &mut Sim<'_>,
    route: &[usize],
    worst_calls: &mut HashMap<usize, Call>,
) -> Draft {
    let last = route.last().copied().unwrap_or(0);
    let handler = sim.g.edge(last).map_or(0, |edge| edge.to);
    let read_only_route = sim
        .edge_roles
        .get(last)
        .is_some_and(|&r| r == super::engine::READS);
    let mut result = sim.target_answer(last);
    let mut nominal = sim.nominal_ms.get(handler).copied().unwrap_or(0.0);
    let mut segments: Vec<Vec<usize>> = Vec::new();
    for (k, &e) in route.iter().enumerate().rev() {
        let target = if k + 1 == route.len() {
            sim.target_answer(e)
        } else {
            result
        };
        let call = sim.call(e, target);
        let mut segment = call.reasons.clone();
        result = Answer {
            verdict: call.verdict,
            hang: call.hang,
            latency_ms: call.wait_ms,
        };
        worst_calls
            .entry(e)
            .and_modify(|w| {
                if call.verdict > w.verdict {
                    *w = call.clone();
                }
            })
            .or_insert(call);
        let Some(caller) = sim.g.edge(e).map(|edge| edge.from) else {
            break;
        };
        let kind = sim.g.kind(caller);
        if kind == K::Client {
            if sim.states.get(caller).is_some_and(|s| s.down) {
                // The users' own app is broken: nothing they do gets through.
                let mut own: Vec<usize> = sim.comp_reasons.get(caller).cloned().unwrap_or_default();
                own.append(&mut segment);
                segment = own;
                result.verdict = Verdict::Fails;
            }
            segments.push(segment);
            break;
        }
        nominal += own_latency_ms(kind);
        let own = sim.own.get(caller).copied().unwrap_or(result);
        let mut own_reasons = Vec::new();
        if own.verdict != Verdict::Works {
            own_reasons.extend(sim.comp_reasons.get(caller).into_iter().flatten().copied());
        }
        if own.verdict == Verdict::Fails {
            result = own;
        } else {
            result.verdict = result.verdict.max(own.verdict);
            if kind == K::Cdn && read_only_route {
                // Only the misses reach the origin.
                result.latency_ms *= 1.0 - sim.hit_ratio(caller);
            }
            result.latency_ms += own.latency_ms;
        }
        if kind == K::Cdn
            && result.verdict == Verdict::Fails
            && read_only_route
            && own.verdict != Verdict::Fails
        {
            let r = sim.rec.add(
                Subject::Component(sim.g.id(caller)),
                Effect::CdnServesCached,
                vec![Cause::Property {
                    component: sim.g.id(caller),
                    key: PropKey::CacheHitPercent,
                }],
                &[],
            );
            own_reasons.push(r);
            result = Answer {
                verdict: Verdict::Degraded,
                hang: false,
                latency_ms: own.latency_ms,
            };
        }
        own_reasons.append(&mut segment);
        segments.push(own_reasons);
    }
    segments.reverse();
    let mut hop_reasons: Vec<usize> = segments.into_iter().flatten().collect();
    let target_ms = sim.g.diagram.requirements.latency_target_ms;
    if let (Some(target_ms), Some(&first)) = (target_ms, route.first())
        && result.verdict != Verdict::Fails
        && result.latency_ms.is_finite()
        && result.latency_ms > f64::from(target_ms)
        && result.latency_ms > nominal + 1.0
    {
        let conn = sim.g.edge(first).map_or(crate::model::Id(0), |e| e.conn.id);
        let r = sim.rec.add(
            Subject::Connection(conn),
            Effect::OverLatencyTarget {
                latency_ms: result.latency_ms.min(1e9) as u32,
                target_ms,
            },
            vec![Cause::Estimate],
            &[],
        );
        hop_reasons.insert(0, r);
        result.verdict = result.verdict.max(Verdict::Degraded);
    }
    Draft {
        kind: PathKind::Request,
        route: route.to_vec(),
        verdict: result.verdict,
        hop_reasons,
        handler,
    }
}

/// A queue (or log) and one consumer.
fn evaluate_background(sim: &mut Sim<'_>, e: usize) -> Option<Draft> {
    let edge = *sim.g.edge(e)?;
    let (q, w) = (edge.from, edge.to);
    let queue = sim.g.component(q)?;
    let q_subject = Subject::Component(queue.id);
    let w_subject = Subject::Component(sim.g.id(w));
    let state_q = sim.states.get(q).cloned().unwrap_or_default();
    let state_w = sim.states.get(w).cloned().unwrap_or_default();
    let answer_q = sim.answers.get(q).copied()?;
    let answer_w = sim.answers.get(w).copied()?;
    let props = &queue.properties;
    let retention_days = props.retention_days.unwrap_or(0);
    let mut reasons = Vec::new();
    let verdict;
    if state_q.down || answer_q.verdict == Verdict::Fails {
        reasons.extend(sim.comp_reasons.get(q).into_iter().flatten().copied());
        let producers: Vec<usize> = sim
            .g
            .inc(q)
            .iter()
            .copied()
            .filter(|&p| {
                sim.g.edge(p).is_some_and(|pe| {
                    pe.role == EdgeRole::Publish && !sim.states.get(pe.from).is_some_and(|s| s.down)
                })
            })
            .collect();
        let kept = !producers.is_empty()
            && producers
                .iter()
                .all(|&p| sim.g.edge(p).is_some_and(|pe| pe.conn.policy.fallback));
        let causes = producers
            .iter()
            .filter_map(|&p| sim.g.edge(p))
            .map(|pe| Cause::Policy {
                connection: pe.conn.id,
                part: super::PolicyPart::Fallback,
            })
            .collect();
        let (effect, v) = if kept {
            (Effect::MessagesWait, Verdict::Degraded)
        } else {
            (Effect::MessagesLost, Verdict::Fails)
        };
        reasons.push(sim.rec.add(q_subject, effect, causes, &[]));
        verdict = v;
    } else if state_q.consumers_stopped || state_w.down {
        reasons.extend(sim.comp_reasons.get(q).into_iter().flatten().copied());
        if state_w.down {
            reasons.extend(sim.comp_reasons.get(w).into_iter().flatten().copied());
        }
        reasons.push(sim.rec.add(
            Subject::Connection(edge.conn.id),
            Effect::Buffered { retention_days },
            vec![
                Cause::Connection(edge.conn.id),
                Cause::Property {
                    component: queue.id,
                    key: PropKey::RetentionDays,
                },
            ],
            &[],
        ));
        verdict = Verdict::Degraded;
    } else if answer_w.verdict == Verdict::Fails {
        let worker = sim.g.component(w)?;
        let compensation = worker.properties.compensation;
        let property = |component, key| Cause::Property { component, key };
        let (effect, v, causes, rules): (
            Effect,
            Verdict,
            Vec<Cause>,
            Vec<(&'static str, Subject)>,
        ) = if worker.kind == K::Workflow && compensation == Some(true) {
            (
                Effect::Compensated,
                Verdict::Degraded,
                vec![property(worker.id, PropKey::Compensation)],
                vec![],
            )
        } else if worker.kind == K::Workflow {
            (
                Effect::LeftHalfDone,
                Verdict::Fails,
                vec![property(worker.id, PropKey::Compensation)],
                vec![("FAIL-008", w_subject), ("FAIL-008", Subject::Design)],
            )
        } else if queue.kind == K::EventStore {
            if props.replay == Some(true) {
                (
                    Effect::Replayable,
                    Verdict::Degraded,
                    vec![property(queue.id, PropKey::Replay)],
                    vec![],
                )
            } else {
                (
                    Effect::MessagesLost,
                    Verdict::Fails,
                    vec![property(queue.id, PropKey::Replay)],
                    vec![("MSG-005", q_subject)],
                )
            }
        } else {
            let attempts = props.max_delivery_count.unwrap_or(0);
            let dlq = props.dead_letter_queue == Some(true);
            let causes = vec![
                property(queue.id, PropKey::MaxDeliveryCount),
                property(queue.id, PropKey::DeadLetterQueue),
            ];
            if attempts == 0 {
                (
                    Effect::RetriedForever,
                    Verdict::Degraded,
                    causes,
                    vec![("MSG-002", q_subject)],
                )
            } else if dlq {
                (
                    Effect::DeadLettered { attempts },
                    Verdict::Degraded,
                    causes,
                    vec![],
                )
            } else {
                (
                    Effect::Dropped { attempts },
                    Verdict::Fails,
                    causes,
                    vec![("MSG-001", q_subject)],
                )
            }
        };
        let at = if matches!(effect, Effect::Compensated | Effect::LeftHalfDone) {
            w_subject
        } else {
            q_subject
        };
        reasons.push(sim.rec.add(at, effect, causes, &rules));
        verdict = v;
    } else {
        verdict = answer_w.verdict;
    }
    Some(Draft {
        kind: PathKind::Background,
        route: vec![e],
        verdict,
        hop_reasons: reasons,
        handler: w,
    })
}

/// Per component, the dependency edges whose call does not simply work:
/// what an explanation follows below it.
fn troubled_calls(sim: &Sim<'_>) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); sim.g.len()];
    for (e, edge) in sim.g.edges.iter().enumerate() {
        if sim.g.answer_back.get(e).copied().unwrap_or(true)
            || !matches!(edge.role, EdgeRole::Call | EdgeRole::Publish)
            || sim.calls.get(e).is_none_or(|c| c.verdict == Verdict::Works)
        {
            continue;
        }
        if let Some(list) = out.get_mut(edge.from) {
            list.push(e);
        }
    }
    out
}

/// Collects the explanation below component `start`, depth first: its own
/// reasons, then for each call that does not simply work (in connection
/// order) the call's reasons and everything behind it, before the next
/// call. Each component and reason once per `stamp`. Returns whether the
/// list was cut at [`MAX_REASONS`].
fn chain(
    sim: &Sim<'_>,
    troubled: &[Vec<usize>],
    start: usize,
    out: &mut Vec<usize>,
    seen_component: &mut [u32],
    seen_reason: &mut [u32],
    stamp: u32,
) -> bool {
    let mut push = |r: usize, out: &mut Vec<usize>| {
        if let Some(s) = seen_reason.get_mut(r)
            && *s != stamp
        {
            *s = stamp;
            out.push(r);
        }
    };
    let mut enter =
        |i: usize, out: &mut Vec<usize>, push: &mut dyn FnMut(usize, &mut Vec<usize>)| {
            match seen_component.get_mut(i) {
                Some(mark) if *mark != stamp => *mark = stamp,
                _ => return false,
            }
            for &r in sim.comp_reasons.get(i).into_iter().flatten() {
                push(r, out);
            }
            true
        };
    // Frames: a component and the next of its troubled calls to follow.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    if enter(start, out, &mut push) {
        stack.push((start, 0));
    }
    let mut cut = false;
    while let Some(top) = stack.last_mut() {
        let (i, k) = *top;
        let Some(&e) = troubled.get(i).and_then(|calls| calls.get(k)) else {
            stack.pop();
            continue;
        };
        if out.len() >= MAX_REASONS {
            cut = true;
            break;
        }
        top.1 += 1;
        for &r in sim.calls.get(e).map_or(&[][..], |c| c.reasons.as_slice()) {
            push(r, out);
        }
        if let Some(t) = sim.g.edge(e).map(|edge| edge.to)
            && enter(t, out, &mut push)
        {
            stack.push((t, 0));
        }
    }
    if out.len() > MAX_REASONS {
        out.truncate(MAX_REASONS);
        cut = true;
    }
    cut
}

/// The label of the hop into the handler; else the client's first label,
/// with the handler's name when the route was split on the way; else the
/// handler's name.
fn path_name(sim: &Sim<'_>, route: &[usize], handler: usize) -> String {
    let label = |e: usize| {
        sim.g
            .edge(e)
            .map(|edge| edge.conn.label.trim())
            .filter(|l| !l.is_empty())
    };
    if let Some(last) = route.last().and_then(|&e| label(e)) {
        return last.to_owned();
    }
    let handler_name = sim.g.name(handler);
    let split = route.iter().skip(1).any(|&e| {
        sim.g
            .edge(e)
            .is_some_and(|edge| route_edges(sim, edge.from).nth(1).is_some())
    });
    match route.first().and_then(|&e| label(e)) {
        Some(first) if split => format!("{first}: {handler_name}"),
        Some(first) => first.to_owned(),
        None => handler_name.to_owned(),
    }
}

/// Turns a finished simulation into the outcome.
pub(super) fn finish(mut sim: Sim<'_>) -> Outcome {
    let (routes, truncated) = enumerate_routes(&sim);
    let mut worst_calls: HashMap<usize, Call> = HashMap::new();
    let mut drafts: Vec<Draft> = routes
        .iter()
        .map(|route| evaluate_route(&mut sim, route, &mut worst_calls))
        .collect();
    let consumes: Vec<usize> = (0..sim.g.edges.len())
        .filter(|&e| {
            sim.g
                .edge(e)
                .is_some_and(|edge| edge.role == EdgeRole::Consume)
        })
        .collect();
    for e in consumes {
        if let Some(draft) = evaluate_background(&mut sim, e) {
            let call = Call {
                verdict: draft.verdict,
                reasons: draft.hop_reasons.clone(),
                ..Call::default()
            };
            worst_calls.insert(e, call);
            drafts.push(draft);
        }
    }

    // Explanations: each path's hops, then what is behind its handler.
    let reason_count = sim.rec.reasons.len();
    let mut seen_component = vec![0u32; sim.g.len()];
    let mut seen_reason = vec![0u32; reason_count];
    let troubled = troubled_calls(&sim);
    let mut paths = Vec::with_capacity(drafts.len());
    for (k, draft) in drafts.iter().enumerate() {
        let stamp = k as u32 + 1;
        let mut reasons = Vec::new();
        for &r in &draft.hop_reasons {
            if let Some(s) = seen_reason.get_mut(r)
                && *s != stamp
            {
                *s = stamp;
                reasons.push(r);
            }
        }
        let mut reasons_truncated = false;
        if draft.verdict != Verdict::Works {
            reasons_truncated = chain(
                &sim,
                &troubled,
                draft.handler,
                &mut reasons,
                &mut seen_component,
                &mut seen_reason,
                stamp,
            );
        }
        let connections: Vec<_> = draft
            .route
            .iter()
            .filter_map(|&e| sim.g.edge(e).map(|edge| edge.conn.id))
            .collect();
        let mut components = Vec::new();
        if let Some(first) = draft.route.first().and_then(|&e| sim.g.edge(e)) {
            components.push(sim.g.id(first.from));
        }
        components.extend(
            draft
                .route
                .iter()
                .filter_map(|&e| sim.g.edge(e).map(|edge| sim.g.id(edge.to))),
        );
        let key = match draft.kind {
            PathKind::Request => format!(
                "path:{}",
                connections
                    .iter()
                    .map(|id| id.0.to_string())
                    .collect::<Vec<_>>()
                    .join("-")
            ),
            PathKind::Background => {
                format!("background:{}", connections.first().map_or(0, |id| id.0))
            }
        };
        paths.push(PathOutcome {
            key,
            kind: draft.kind,
            name: path_name(&sim, &draft.route, draft.handler),
            entry: components.first().copied().unwrap_or_default(),
            components,
            connections,
            verdict: draft.verdict,
            reasons,
            reasons_truncated,
        });
    }

    let entries = entries(&sim, &paths);
    let components = component_outcomes(&sim, &entries);
    let calls = sim
        .g
        .edges
        .iter()
        .enumerate()
        .map(|(e, edge)| {
            let call = worst_calls
                .get(&e)
                .or_else(|| sim.calls.get(e))
                .cloned()
                .unwrap_or_default();
            let evaluated = matches!(
                edge.role,
                EdgeRole::Call | EdgeRole::Publish | EdgeRole::Consume
            ) && !sim.g.answer_back.get(e).copied().unwrap_or(true)
                || worst_calls.contains_key(&e);
            CallOutcome {
                id: edge.conn.id,
                verdict: if evaluated {
                    call.verdict
                } else {
                    Verdict::Works
                },
                wait_ms: call.wait_ms.is_finite().then_some(call.wait_ms),
                load_factor: call.load_factor,
                reasons: if evaluated { call.reasons } else { Vec::new() },
            }
        })
        .collect();
    let load = sim.load.as_ref().map(|load| LoadSummary {
        entry_rps: load.entry_rps,
        baseline_rps: load.baseline_rps,
        traffic: sim.scenario.traffic,
        reads_per_write: load.reads_per_write,
        bottleneck: bottleneck(&components),
        notes: load.notes.clone(),
    });
    let scenario = sim.scenario;
    let diagram = sim.g.diagram;
    Outcome {
        scenario,
        paths,
        entries,
        components,
        calls,
        load,
        reasons: sim.rec.finish(diagram),
        paths_truncated: truncated,
    }
}

/// Clients, then public components (the first non-edge component of a
/// request path), each with the paths through it.
fn entries(sim: &Sim<'_>, paths: &[PathOutcome]) -> Vec<EntryOutcome> {
    let mut by_component: std::collections::BTreeMap<(bool, usize), Vec<usize>> =
        std::collections::BTreeMap::new();
    for (k, path) in paths.iter().enumerate() {
        if path.kind != PathKind::Request {
            continue;
        }
        if let Some(i) = sim.g.index_of(path.entry) {
            by_component.entry((false, i)).or_default().push(k);
        }
        let public = path
            .components
            .iter()
            .skip(1)
            .filter_map(|&id| sim.g.index_of(id))
            .find(|&i| !is_edge(sim.g.kind(i)));
        if let Some(i) = public {
            by_component.entry((true, i)).or_default().push(k);
        }
    }
    by_component
        .into_iter()
        .map(|((_, i), list)| EntryOutcome {
            id: sim.g.id(i),
            verdict: list
                .iter()
                .filter_map(|&k| paths.get(k))
                .map(|p| p.verdict)
                .max()
                .unwrap_or(Verdict::Works),
            paths: list,
        })
        .collect()
}

fn component_outcomes(sim: &Sim<'_>, entries: &[EntryOutcome]) -> Vec<ComponentOutcome> {
    let mut entry_verdict: HashMap<crate::model::Id, Verdict> = HashMap::new();
    for e in entries {
        let v = entry_verdict.entry(e.id).or_default();
        *v = (*v).max(e.verdict);
    }
    (0..sim.g.len())
        .map(|i| {
            let kind = sim.g.kind(i);
            let id = sim.g.id(i);
            let state = sim.states.get(i).map_or(Verdict::Works, |s| s.verdict());
            let verdict = if kind == K::Client {
                entry_verdict.get(&id).copied().unwrap_or(Verdict::Works)
            } else if is_router(kind) {
                sim.own
                    .get(i)
                    .map_or(Verdict::Works, |a| a.verdict)
                    .max(state)
            } else {
                sim.answers
                    .get(i)
                    .map_or(Verdict::Works, |a| a.verdict)
                    .max(state)
            };
            let load = sim.load.as_ref().and_then(|load| {
                let flow = load.inflow.get(i).copied()?;
                let capacity = load.capacity.get(i).copied().flatten();
                let utilisation = load
                    .utilisation
                    .get(i)
                    .copied()
                    .flatten()
                    .filter(|u| u.is_finite());
                Some(ComponentLoad {
                    reads_per_s: flow.reads,
                    writes_per_s: flow.writes,
                    capacity_per_s: capacity,
                    utilisation,
                    autoscaling: sim
                        .g
                        .component(i)
                        .is_some_and(|c| c.properties.autoscaling == Some(true)),
                })
            });
            ComponentOutcome {
                id,
                verdict,
                reasons: sim.comp_reasons.get(i).cloned().unwrap_or_default(),
                load,
            }
        })
        .collect()
}

/// The highest utilisation among components that cannot add instances on
/// their own; among all when every one with a capacity autoscales.
fn bottleneck(components: &[ComponentOutcome]) -> Option<crate::model::Id> {
    let best = |fixed_only: bool| {
        components
            .iter()
            .filter_map(|c| {
                let load = c.load?;
                let util = load.utilisation?;
                (util > 0.0 && (!fixed_only || !load.autoscaling)).then_some((util, c.id))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, id)| id)
    };
    best(true).or_else(|| best(false))
}
