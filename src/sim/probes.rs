//! The interviewer's questions a scenario raises, worked out from its
//! outcome. Like the interview probes (`crate::interview`), each has a
//! stable key, so notes taken on it survive recomputation:
//! `whatif:<scenario key>:<topic>[:<id>]`, e.g. `whatif:down:12:impact`.
//!
//! The app adds these to the interview probes while a scenario is shown.

use super::explain::Effect;
use super::{Failure, Outcome, PathKind, Verdict};
use crate::model::{Diagram, Id, Subject};

/// One question a scenario raises.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioProbe {
    /// Stable: `whatif:<scenario key>:<topic>[:<id>]`.
    pub key: String,
    /// What the question is about; the UI selects it on click.
    pub subject: Subject,
    pub subject_name: String,
    /// The question, in the interviewer's words.
    pub question: String,
    /// What the simulation found, for the interviewer's eyes.
    pub hint: String,
}

/// At most this many failing paths get a question of their own.
const MAX_PATH_QUESTIONS: usize = 3;

fn name_of(diagram: &Diagram, subject: Subject) -> String {
    match subject {
        Subject::Design => diagram.title.clone(),
        Subject::Component(id) | Subject::Connection(id) | Subject::Group(id) => {
            diagram.item_name(id).unwrap_or_else(|| "?".to_owned())
        }
    }
}

fn component(diagram: &Diagram, id: Id) -> String {
    diagram
        .component(id)
        .map_or_else(|| "?".to_owned(), |c| c.name.clone())
}

/// A one-line summary of the paths: "Fails: a, b. Degraded: c."
pub(super) fn summary(outcome: &Outcome) -> String {
    let names = |verdict: Verdict| {
        outcome
            .paths
            .iter()
            .filter(|p| p.verdict == verdict)
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
    };
    let mut parts = Vec::new();
    let fails = names(Verdict::Fails);
    if !fails.is_empty() {
        parts.push(format!("Fails: {}.", fails.join(", ")));
    }
    let degraded = names(Verdict::Degraded);
    if !degraded.is_empty() {
        parts.push(format!("Degraded: {}.", degraded.join(", ")));
    }
    if parts.is_empty() {
        "Every path keeps working.".to_owned()
    } else {
        parts.join(" ")
    }
}

/// The questions `outcome` raises, in a stable order.
pub fn probes(diagram: &Diagram, outcome: &Outcome) -> Vec<ScenarioProbe> {
    let scenario = outcome.scenario;
    let prefix = format!("whatif:{}", scenario.key());
    let mut out = Vec::new();
    let mut add = |topic: String, subject: Subject, question: String, hint: String| {
        out.push(ScenarioProbe {
            key: format!("{prefix}:{topic}"),
            subject,
            subject_name: name_of(diagram, subject),
            question,
            hint,
        });
    };

    // The headline question of the scenario.
    let group = |id: Id| diagram.group(id).map_or("?", |g| g.label.as_str());
    let (subject, question) = match scenario.failure {
        Some(Failure::Down(id)) => (
            Subject::Component(id),
            format!(
                "What happens to your users when {} goes down?",
                component(diagram, id)
            ),
        ),
        Some(Failure::Zone(id)) => (
            Subject::Group(id),
            format!(
                "You lose the availability zone {}. What keeps serving, and at what capacity?",
                group(id)
            ),
        ),
        Some(Failure::Region(id)) => (
            Subject::Group(id),
            format!(
                "The whole region {} goes dark. How do your users keep working?",
                group(id)
            ),
        ),
        Some(Failure::Slow { component: id, .. }) => (
            Subject::Component(id),
            format!(
                "{} suddenly answers much more slowly. What do its callers do while they wait?",
                component(diagram, id)
            ),
        ),
        Some(Failure::CacheCold(id)) => (
            Subject::Component(id),
            format!(
                "{} restarts empty. Can what sits behind it take every read?",
                component(diagram, id)
            ),
        ),
        Some(Failure::ConsumersStopped(id)) => (
            Subject::Component(id),
            format!(
                "The consumers of {} stop. What piles up, and how do they catch up?",
                component(diagram, id)
            ),
        ),
        None => (
            Subject::Design,
            format!(
                "Traffic grows {}× overnight. What breaks first?",
                super::number_key(scenario.traffic)
            ),
        ),
    };
    add("impact".to_owned(), subject, question, summary(outcome));

    // Each failing request path, a few at most.
    for path in outcome
        .paths
        .iter()
        .filter(|p| p.kind == PathKind::Request && p.verdict == Verdict::Fails)
        .take(MAX_PATH_QUESTIONS)
    {
        let root = outcome
            .reasons_of(&path.reasons)
            .last()
            .map_or_else(String::new, |r| r.text.clone());
        let subject = path
            .connections
            .first()
            .map_or(Subject::Design, |&c| Subject::Connection(c));
        add(
            format!("fails:{}", path.key),
            subject,
            format!(
                "\"{}\" stops working here. How would you keep it up, or let it fail gracefully?",
                path.name
            ),
            root,
        );
    }

    // Topics that come from what the reasons show.
    let has = |test: fn(&Effect) -> bool| outcome.reasons.iter().find(|r| test(&r.effect));
    if let Some(r) = has(|e| matches!(e, Effect::Retries { .. })) {
        add(
            "retries".to_owned(),
            r.at,
            "Retries multiply the calls to a dependency that is already failing. How do you keep them from making it worse?".to_owned(),
            r.text.clone(),
        );
    }
    if let Some(r) = has(|e| {
        matches!(
            e,
            Effect::Hangs | Effect::BreakerCannotOpen | Effect::PoolExhausted { .. }
        )
    }) {
        add(
            "timeouts".to_owned(),
            r.at,
            "Something here waits without a limit. Where would you put a timeout, and how long would it be?".to_owned(),
            r.text.clone(),
        );
    }
    if let Some(r) = has(|e| {
        matches!(
            e,
            Effect::FallbackAnswers
                | Effect::CdnServesCached
                | Effect::ServedFromCache { .. }
                | Effect::ReadsFromReplica
        )
    }) {
        add(
            "degraded-answer".to_owned(),
            r.at,
            "What exactly does the user see while the degraded answer is served, and is that acceptable for this data?".to_owned(),
            r.text.clone(),
        );
    }
    if let Some(r) = has(|e| matches!(e, Effect::Buffered { .. } | Effect::Backlog { .. })) {
        add(
            "backlog".to_owned(),
            r.at,
            "Messages pile up in the queue. How long can they wait, and how do you drain the backlog without overloading the consumers?".to_owned(),
            r.text.clone(),
        );
    }
    if let Some(r) = has(|e| {
        matches!(
            e,
            Effect::MessagesLost
                | Effect::Dropped { .. }
                | Effect::LeftHalfDone
                | Effect::PublishLost
        )
    }) {
        add(
            "lost-work".to_owned(),
            r.at,
            "Some work is lost or left half done in this case. How would you make sure nothing is lost and nothing is done twice?".to_owned(),
            r.text.clone(),
        );
    }
    if matches!(scenario.failure, Some(Failure::Zone(_)))
        && let Some(r) = has(|e| matches!(e, Effect::InGroup { .. } | Effect::Misrouted))
    {
        add(
            "zones".to_owned(),
            r.at,
            "Which of these components could run in more than one zone, and what would that cost?"
                .to_owned(),
            r.text.clone(),
        );
    }
    if let Some(Failure::Region(id)) = scenario.failure {
        add(
            "failover".to_owned(),
            Subject::Group(id),
            "How does traffic reach another region, how long does the switch take, and what data written just before is lost?".to_owned(),
            summary(outcome),
        );
    }
    if let Some(load) = &outcome.load
        && let Some(id) = load.bottleneck
        && let Some(c) = outcome.component(id)
        && let Some(util) = c.load.and_then(|l| l.utilisation)
    {
        let percent = (util * 100.0).round();
        add(
            format!("bottleneck:{}", id.0),
            Subject::Component(id),
            format!(
                "{} is the first to run out of capacity ({percent}% used here). How would you scale it, and what breaks after it?",
                component(diagram, id)
            ),
            format!(
                "{:.0} requests/s enter in this case (× {} of the peak from the requirements)",
                load.entry_rps,
                super::number_key(load.traffic)
            ),
        );
    }
    out
}
