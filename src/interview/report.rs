//! The Markdown session report: what was asked for, the numbers, the design
//! as drawn, what the checklist still finds, the trade-offs accepted on
//! purpose, how the candidate answered the probes and where the time went.
//!
//! The output is deterministic (no dates, everything in a stable order), so
//! a report can be compared with an earlier one and tested exactly. The
//! caller adds a date if it wants one.
//!
//! Everything that comes from the design or the session (title, names,
//! labels, requirement text, notes, messages that quote names) goes
//! through `md`, so it renders as the text it is: no HTML, no links or
//! images, no list, task or heading markers, no table cells split by a
//! pipe, and backslashes kept.
//!
//! Cost: the check, the probes, a sort of the components, and group
//! membership through an index (`members.rs`), so the report is
//! O(n log n) in the items plus the size of its own output.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::catalog::ComponentKind;
use crate::model::{Choice, Diagram, PropKey, PropValue, Requirements, Retry};
use crate::rules::{self, Severity};

use super::InterviewSession;
use super::estimates::{Estimates, count_text, lower_first, plain};
use super::members::Members;
use super::probes::{self, Probe, ProbeRecord};
use super::recording::{self, SavedSession};
use super::replay::{Replay, ReplayError};
use super::rubric;
use super::timer::format_clock;

/// What the report holds beyond the design and the interview session,
/// made by the layers above this one.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReportExtras<'a> {
    /// The design as Mermaid text, shown as a `mermaid` code block under
    /// "Design" (Markdown viewers that know Mermaid draw it).
    pub mermaid: Option<&'a str>,
    /// A picture of the design next to the report: its file name, linked
    /// from the report.
    pub picture: Option<&'a str>,
    /// Questions beyond the design's own (those the what-if scenarios
    /// raised), listed after them.
    pub more_probes: &'a [Probe],
}

/// Renders the report for `diagram` and the interview `session`, with the
/// clock read at `now_s` (for a timer that is still running).
pub fn session_report(diagram: &Diagram, session: &InterviewSession, now_s: f64) -> String {
    session_report_with(diagram, session, now_s, &ReportExtras::default())
}

/// [`session_report`] with a picture, a Mermaid block and more probes.
pub fn session_report_with(
    diagram: &Diagram,
    session: &InterviewSession,
    now_s: f64,
    extras: &ReportExtras<'_>,
) -> String {
    let findings = rules::check(diagram);
    let review = rules::review(diagram, &findings);
    let mut probes = probes::probes_from(diagram, &findings);
    probes.extend(extras.more_probes.iter().cloned());
    let mut out = String::new();

    let title = md(&diagram.title);
    let _ = writeln!(out, "# Interview session: {title}\n");
    let tally = session.tally(&probes);
    let open_summary = rules::summary_text(
        review.open_count(Severity::Error),
        review.open_count(Severity::Warning),
        review.open_count(Severity::Info),
    );
    let open_count = review.open.len();
    let open_text = if open_count == 0 {
        "no open findings".to_owned()
    } else {
        format!(
            "{} ({})",
            count(open_count, "open finding", "open findings"),
            open_summary
        )
    };
    let _ = writeln!(
        out,
        "{} · {} · {open_text} · {} of {} probes asked · {} spent of {} planned\n",
        count(diagram.components.len(), "component", "components"),
        count(diagram.connections.len(), "connection", "connections"),
        tally.asked,
        probes.len(),
        format_clock(session.timer.total_elapsed_s(now_s)),
        format_clock(session.timer.total_planned_s()),
    );

    requirements_section(&mut out, &diagram.requirements);
    estimates_section(&mut out, &diagram.requirements);
    design_section(&mut out, diagram, extras);

    let _ = writeln!(out, "## Open findings\n");
    if review.open.is_empty() {
        let _ = writeln!(out, "The checklist finds nothing open.\n");
    } else {
        let _ = writeln!(out, "{open_summary}.\n");
        for finding in &review.open {
            let _ = writeln!(
                out,
                "- **{}** `{}` {}: {}",
                finding.severity.label(),
                finding.rule.id,
                finding.rule.title,
                md(&finding.message)
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Accepted trade-offs\n");
    if review.accepted.is_empty() {
        let _ = writeln!(out, "None recorded.\n");
    } else {
        for (finding, decision) in &review.accepted {
            let note = md(&decision.note);
            let note = if note.is_empty() {
                "no reason written down".to_owned()
            } else {
                note
            };
            let _ = writeln!(
                out,
                "- `{}` {} ({}): {note}",
                finding.rule.id,
                finding.rule.title,
                md(&finding.subject_name)
            );
        }
        out.push('\n');
    }

    probes_section(&mut out, &probes, session);
    remote_section(&mut out, diagram, session);
    time_section(&mut out, session, now_s);
    out
}

/// What a remote interviewer pinned and threw (left out when nothing).
fn remote_section(out: &mut String, diagram: &Diagram, session: &InterviewSession) {
    if session.comments.is_empty() && session.curveballs.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "## From the interviewer
"
    );
    if !session.curveballs.is_empty() {
        let _ = writeln!(
            out,
            "### Curveballs
"
        );
        for c in &session.curveballs {
            let detail = md(&c.detail);
            let detail = if detail.is_empty() {
                String::new()
            } else {
                format!(": {detail}")
            };
            let _ = writeln!(out, "- **{}**{detail} ({})", c.kind.label(), md(&c.author));
        }
        out.push('\n');
    }
    if !session.comments.is_empty() {
        let _ = writeln!(
            out,
            "### Comments
"
        );
        for c in &session.comments {
            let on = diagram
                .component(c.component)
                .map_or_else(|| "a removed component".to_owned(), |x| md(&x.name));
            let state = if c.resolved { "resolved" } else { "open" };
            let _ = writeln!(
                out,
                "- On {on}, {} ({state}): {}",
                md(&c.author),
                md(&c.text)
            );
        }
        out.push('\n');
    }
}

/// The report of recorded session `number` (1-based): when it was held and
/// for how long, its scorecard (the one stored when it ended, or computed
/// now for a session that was not ended), the interviewer's comments, then
/// the session report of the design as it was at the end.
pub fn recorded_session_report(
    session: &SavedSession,
    number: usize,
) -> Result<String, ReplayError> {
    let replay = Replay::new(session)?;
    let card = session
        .scorecard
        .clone()
        .unwrap_or_else(|| rubric::score(session, &replay));
    let interview = session.interview_at_end();
    let base = session_report(
        replay.final_diagram(),
        &interview,
        recording::secs(session.ended_at_ms),
    );
    let (head, rest) = base.split_once("## Requirements").unwrap_or((&base, ""));
    let mut out = String::new();
    out.push_str(head.trim_end());
    out.push_str(
        "

",
    );
    let _ = writeln!(
        out,
        "Session {number} · {} · {} long · {} · score {} of 100{}\n",
        recording::format_utc(session.started_at_ms),
        format_clock(session.duration_ms() as f64 / 1000.0),
        count(session.change_count(), "design change", "design changes"),
        card.total_text(),
        if session.finished { "" } else { " (not ended)" }
    );
    out.push_str(&rubric::scorecard_markdown(&card));
    let comments: Vec<(u64, &str, bool)> = session.comments().collect();
    if !comments.is_empty() {
        let _ = writeln!(out, "## Interviewer comments\n");
        for (at, text, curveball) in comments {
            let _ = writeln!(
                out,
                "- {}{}: {}",
                format_clock(at as f64 / 1000.0),
                if curveball { " (curveball)" } else { "" },
                md(text)
            );
        }
        out.push('\n');
    }
    if !rest.is_empty() {
        out.push_str("## Requirements");
        out.push_str(rest);
    }
    Ok(out)
}

fn requirements_section(out: &mut String, req: &Requirements) {
    let _ = writeln!(out, "## Requirements\n");
    let _ = writeln!(out, "### Functional\n");
    let functional: Vec<String> = req
        .functional
        .iter()
        .map(|line| md(line))
        .filter(|line| !line.is_empty())
        .collect();
    if functional.is_empty() {
        let _ = writeln!(out, "None stated.\n");
    } else {
        for line in functional {
            let _ = writeln!(out, "- {line}");
        }
        out.push('\n');
    }
    let _ = writeln!(out, "### Non-functional\n");
    let _ = writeln!(out, "| Requirement | Value |\n|---|---|");
    let stated = |value: Option<String>| value.unwrap_or_else(|| "Not stated".to_owned());
    let rows = [
        (
            "Daily active users",
            stated(req.daily_active_users.map(count_text)),
        ),
        (
            "Requests per user per day",
            stated(req.requests_per_user_per_day.map(plain)),
        ),
        (
            "Peak factor",
            stated(
                req.peak_factor
                    .map(|v| format!("{}× the average", plain(v))),
            ),
        ),
        (
            "Read:write ratio",
            stated(
                req.read_write_ratio
                    .map(|v| format!("{} reads per write", plain(v))),
            ),
        ),
        (
            "Payload size",
            stated(
                req.payload_bytes
                    .map(|v| format!("{} bytes", count_text(v))),
            ),
        ),
        (
            "Retention",
            stated(
                req.retention_days
                    .map(|v| format!("{} days", count_text(v.into()))),
            ),
        ),
        (
            "Latency target",
            stated(req.latency_target_ms.map(|v| format!("{v} ms"))),
        ),
        (
            "Availability target",
            stated(req.availability_percent.map(|v| format!("{}%", plain(v)))),
        ),
        ("Consistency", req.consistency.label().to_owned()),
        ("Regions", stated(req.regions.map(|v| v.to_string()))),
        (
            "Compliance",
            stated(Some(req.compliance.clone()).filter(|c| !c.trim().is_empty())),
        ),
    ];
    for (label, value) in rows {
        let _ = writeln!(out, "| {label} | {} |", cell(&value));
    }
    out.push('\n');
}

fn estimates_section(out: &mut String, req: &Requirements) {
    let _ = writeln!(out, "## Estimates\n");
    let estimates = Estimates::from_requirements(req);
    for problem in estimates.problems() {
        let _ = writeln!(out, "- {}", md(problem));
    }
    if !estimates.problems().is_empty() {
        out.push('\n');
    }
    if estimates.is_empty() {
        let _ = writeln!(
            out,
            "None yet: they start from daily active users and requests per user per day.\n"
        );
        return;
    }
    let _ = writeln!(out, "| Estimate | Value | Worked out as |\n|---|---|---|");
    for e in estimates.iter() {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            e.label(),
            e.display(),
            cell(&e.formula)
        );
    }
    let missing: Vec<&str> = estimates
        .rows()
        .filter(|(_, e)| e.is_none())
        .map(|(kind, _)| kind.label())
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(
            out,
            "\nNot worked out for lack of inputs: {}.",
            lower_first(&missing.join(", "))
        );
    }
    out.push('\n');
}

fn design_section(out: &mut String, diagram: &Diagram, extras: &ReportExtras<'_>) {
    let _ = writeln!(out, "## Design\n");
    if let Some(name) = extras.picture {
        let _ = writeln!(out, "![The design]({})\n", link_target(name));
    }
    if let Some(text) = extras.mermaid {
        let fence = fence_for(text);
        let _ = writeln!(out, "{fence}mermaid\n{}\n{fence}\n", text.trim_end());
    }
    let _ = writeln!(out, "### Components\n");
    if diagram.components.is_empty() {
        let _ = writeln!(out, "Nothing drawn yet.\n");
    } else {
        let palette: Vec<ComponentKind> = ComponentKind::all().collect();
        let order = |kind: ComponentKind| palette.iter().position(|&k| k == kind);
        let mut components: Vec<_> = diagram.components.iter().collect();
        components.sort_by_key(|c| (order(c.kind), c.id));
        let _ = writeln!(out, "| Component | Kind | Key properties |\n|---|---|---|");
        for c in components {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&c.name),
                c.kind.name(),
                cell(&key_properties(c))
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "### Connections\n");
    if diagram.connections.is_empty() {
        let _ = writeln!(out, "None drawn yet.\n");
    } else {
        let _ = writeln!(
            out,
            "| From | To | Kind | Label | Caller policy |\n|---|---|---|---|---|"
        );
        let name = |id| diagram.component(id).map_or("?", |c| c.name.as_str());
        for c in &diagram.connections {
            let policy = if c.kind.is_synchronous() {
                policy_text(c)
            } else {
                "Asynchronous".to_owned()
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(name(c.from)),
                cell(name(c.to)),
                c.kind.label(),
                cell(&c.label),
                policy
            );
        }
        out.push('\n');
    }

    if !diagram.groups.is_empty() {
        let _ = writeln!(out, "### Groups\n");
        let index = Members::new(&diagram.components);
        for g in &diagram.groups {
            let inside: Vec<String> = index.inside(g.rect).iter().map(|c| md(&c.name)).collect();
            let members = if inside.is_empty() {
                "empty".to_owned()
            } else {
                inside.join(", ")
            };
            let _ = writeln!(out, "- {} {}: {members}", g.kind.label(), md(&g.label));
        }
        out.push('\n');
    }
}

/// The properties worth reading in a summary: counts and choices with their
/// value, switches only when on, text only when filled in.
fn key_properties(c: &crate::model::Component) -> String {
    let mut parts = Vec::new();
    for &key in PropKey::ALL {
        let Some(value) = c.properties.value(key) else {
            continue;
        };
        let label = key.label();
        match value {
            PropValue::Bool(true) => parts.push(label.to_owned()),
            PropValue::Bool(false) => {}
            PropValue::Count(n) => parts.push(format!("{label}: {n}")),
            PropValue::Text(text) if text.trim().is_empty() => {}
            PropValue::Text(text) => parts.push(format!("{label}: {}", text.trim())),
            PropValue::Backplane(v) => parts.push(format!("{label}: {}", v.label())),
            PropValue::CachePattern(v) => parts.push(format!("{label}: {}", v.label())),
            PropValue::Invalidation(v) => parts.push(format!("{label}: {}", v.label())),
            PropValue::Eviction(v) => parts.push(format!("{label}: {}", v.label())),
            PropValue::Consistency(v) => parts.push(format!("{label}: {}", v.label())),
            PropValue::Redundancy(v) => parts.push(format!("{label}: {}", v.label())),
        }
    }
    if parts.is_empty() {
        "—".to_owned()
    } else {
        parts.join(", ")
    }
}

fn policy_text(c: &crate::model::Connection) -> String {
    let p = &c.policy;
    let mut parts = Vec::new();
    if let Some(ms) = p.timeout_ms {
        parts.push(format!("timeout {ms} ms"));
    }
    if p.retry != Retry::None {
        parts.push(format!(
            "{} (up to {} retries)",
            p.retry.label().to_lowercase(),
            p.max_retries
        ));
    }
    for (on, name) in [
        (p.circuit_breaker, "circuit breaker"),
        (p.fallback, "fallback"),
        (p.bulkhead, "bulkhead"),
    ] {
        if on {
            parts.push(name.to_owned());
        }
    }
    if parts.is_empty() {
        "None".to_owned()
    } else {
        let text = parts.join(", ");
        let mut chars = text.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }
}

fn probes_section(out: &mut String, probes: &[Probe], session: &InterviewSession) {
    let _ = writeln!(out, "## Interviewer probes\n");
    if probes.is_empty() {
        let _ = writeln!(out, "No probes: the board is empty.\n");
    } else {
        let tally = session.tally(probes);
        let _ = writeln!(
            out,
            "{} of {} asked: {} strong, {} partial, {} missed, {} not rated.\n",
            tally.asked,
            probes.len(),
            tally.strong,
            tally.partial,
            tally.missed,
            tally.asked_unrated
        );
        let record = |p: &Probe| session.records.get(&p.key).filter(|r| !r.is_empty());
        let (touched, untouched): (Vec<&Probe>, Vec<&Probe>) = probes
            .iter()
            .partition(|p| record(p).is_some_and(|r| r.asked || r.rating.is_some()));
        if !touched.is_empty() {
            let _ = writeln!(out, "### Asked\n");
            for p in touched {
                let r = record(p).cloned().unwrap_or_default();
                probe_line(out, p, &r);
            }
            out.push('\n');
        }
        if !untouched.is_empty() {
            let _ = writeln!(out, "### Not asked\n");
            // The same checklist question about several subjects reads
            // better once, with the subjects listed together.
            let mut rest = untouched.as_slice();
            while let Some((first, tail)) = rest.split_first() {
                let same = tail
                    .iter()
                    .take_while(|p| p.source == first.source && p.question == first.question)
                    .count();
                let (group, remaining) = rest.split_at(same + 1);
                let names: Vec<String> = group.iter().map(|p| md(&p.subject_name)).collect();
                let _ = writeln!(
                    out,
                    "- **{}**{}: {}",
                    names.join(", "),
                    source_text(first),
                    md(&first.question)
                );
                rest = remaining;
            }
            out.push('\n');
        }
    }
    let current: BTreeSet<&str> = probes.iter().map(|p| p.key.as_str()).collect();
    let orphans: Vec<(&String, &ProbeRecord)> = session
        .records
        .iter()
        .filter(|(key, r)| !current.contains(key.as_str()) && !r.is_empty())
        .collect();
    if !orphans.is_empty() {
        let _ = writeln!(out, "### Notes on probes the design no longer raises\n");
        for (key, r) in orphans {
            let _ = writeln!(out, "- {}{}", code(key), record_text(r));
        }
        out.push('\n');
    }
}

fn probe_line(out: &mut String, p: &Probe, r: &ProbeRecord) {
    let _ = writeln!(
        out,
        "- **{}**{}: {}{}",
        md(&p.subject_name),
        source_text(p),
        md(&p.question),
        record_text(r)
    );
}

/// " (`RULE-ID`)" for a probe that comes from a finding.
fn source_text(p: &Probe) -> String {
    match p.source {
        probes::ProbeSource::Finding { rule_id, .. } => format!(" (`{rule_id}`)"),
        probes::ProbeSource::WhatIf => " (what if)".to_owned(),
        _ => String::new(),
    }
}

/// A code fence longer than any run of backticks in `text`, so nothing in
/// it can close the block early.
fn fence_for(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat((longest + 1).max(3))
}

/// A file name as a Markdown link target: everything but letters, digits
/// and `-._~` percent-encoded, so spaces, brackets and quotes cannot end
/// the link or turn it into something else.
fn link_target(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// " — rated strong. Note: …" for a record, or nothing.
fn record_text(r: &ProbeRecord) -> String {
    let mut text = String::new();
    if let Some(rating) = r.rating {
        let _ = write!(text, " — **{}**", rating.label());
    }
    let note = md(&r.note);
    if !note.is_empty() {
        let _ = write!(text, "\n  > {note}");
    }
    text
}

fn time_section(out: &mut String, session: &InterviewSession, now_s: f64) {
    let _ = writeln!(out, "## Time per phase\n");
    let timer = &session.timer;
    if timer.total_elapsed_s(now_s) <= 0.0 {
        let _ = writeln!(out, "The timer was not used in this session.");
        return;
    }
    let _ = writeln!(
        out,
        "| Phase | Planned | Spent | Difference |\n|---|---|---|---|"
    );
    for t in timer.phase_times(now_s) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            t.phase.label(),
            format_clock(t.planned_s),
            format_clock(t.spent_s),
            difference(t.spent_s, t.planned_s)
        );
    }
    let (spent, planned) = (timer.total_elapsed_s(now_s), timer.total_planned_s());
    let _ = writeln!(
        out,
        "| **Total** | {} | {} | {} |",
        format_clock(planned),
        format_clock(spent),
        difference(spent, planned)
    );
    let _ = writeln!(
        out,
        "\nThe session ended in the {} phase.",
        timer.current().label().to_lowercase()
    );
}

fn difference(spent_s: f64, planned_s: f64) -> String {
    let delta = spent_s - planned_s;
    if delta.abs() < 1.0 {
        "On time".to_owned()
    } else if delta > 0.0 {
        format!("{} over", format_clock(delta))
    } else {
        format!("{} under", format_clock(-delta))
    }
}

/// Text on one line (a newline would break a list item or a table row).
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text safe inside a table cell (pipes are escaped by [`md`]).
fn cell(text: &str) -> String {
    md(text)
}

/// Untrusted text as Markdown that renders as exactly that text, on one
/// line: `<`, `>` and `&` as entities (no HTML, no autolinks, no smuggled
/// entities); a backslash before every backslash and every character that
/// could start emphasis, code, a link or image, a table cell or
/// strikethrough (`\\ * _ ` [ ] | ~`); and at the start, the characters that
/// would make a heading, quote, list or task item, or a thematic break.
pub(crate) fn md(text: &str) -> String {
    let line = one_line(text);
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '*' | '_' | '`' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    // A list item "1. x" or "2) x": escape the dot or parenthesis. ("2.3 k"
    // is no list item: the marker needs a space or the end after it.)
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits)
        && matches!(out.get(digits..digits + 1), Some("." | ")"))
        && out
            .get(digits + 1..)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    {
        out.insert(digits, '\\');
    }
    if out.starts_with(['#', '-', '+', '=']) {
        out.insert(0, '\\');
    }
    out
}

/// A short key as inline code, or as escaped text when it holds a backtick
/// (which would end the code span).
fn code(text: &str) -> String {
    let line = one_line(text);
    if line.is_empty() || line.contains('`') {
        md(&line)
    } else {
        format!("`{line}`")
    }
}

pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interview::Phase;
    use crate::interview::probes::Rating;
    use crate::model::{Component, Connection, ConnectionKind, Id, Point, Policy};

    fn small_design() -> Diagram {
        let mut d = Diagram::new("Order | pipeline");
        d.requirements.functional = vec!["Customers place orders".to_owned()];
        d.requirements.daily_active_users = Some(1_000_000);
        d.requirements.requests_per_user_per_day = Some(8.64);
        for (id, kind, name) in [
            (1, ComponentKind::Service, "Orders API"),
            (2, ComponentKind::Queue, "Order events"),
        ] {
            d.components.push(Component {
                id: Id(id),
                kind,
                name: name.to_owned(),
                position: Point::new(0.0, id as f32 * 200.0),
                properties: kind.default_properties(),
            });
        }
        d.connections.push(Connection {
            id: Id(3),
            from: Id(1),
            to: Id(2),
            kind: ConnectionKind::Publish,
            label: "order placed".to_owned(),
            policy: Policy::default(),
            idempotent: false,
        });
        d.next_id = 4;
        d
    }

    #[test]
    fn the_report_has_every_section_and_the_rated_probe() {
        let d = small_design();
        let mut session = InterviewSession::default();
        session.timer.start(0.0);
        session.timer.next(400.0);
        let dlq = session.record_mut("MSG-001:component:2");
        dlq.asked = true;
        dlq.rating = Some(Rating::Partial);
        dlq.note = "Knew about DLQs,\nnot about alerting on them".to_owned();
        let report = session_report(&d, &session, 460.0);

        for heading in [
            "# Interview session: Order \\| pipeline",
            "## Requirements",
            "### Functional",
            "### Non-functional",
            "## Estimates",
            "## Design",
            "### Components",
            "### Connections",
            "## Open findings",
            "## Accepted trade-offs",
            "## Interviewer probes",
            "### Asked",
            "### Not asked",
            "## Time per phase",
        ] {
            assert!(
                report.lines().any(|l| l == heading),
                "missing {heading:?} in\n{report}"
            );
        }
        assert!(report.contains("| Average requests per second | 100 req/s |"));
        assert!(report.contains(
            "- **Order events** (`MSG-001`): A message makes the consumer throw every time: where does it end up? — **Partial**\n  > Knew about DLQs, not about alerting on them"
        ));
        assert!(report.contains("1 of "), "{report}");
        assert!(report.contains("| Clarify requirements | 5:00 | 6:40 | 1:40 over |"));
        assert!(report.contains("| Estimate | 5:00 | 1:00 | 4:00 under |"));
        assert!(report.contains("| Order events | Queue or topic |"));
        assert!(report.contains(
            "| Orders API | Order events | Publish (async) | order placed | Asynchronous |"
        ));
        assert!(report.contains("ended in the estimate phase"));
    }

    #[test]
    fn the_report_is_deterministic() {
        let d = small_design();
        let session = InterviewSession::default();
        assert_eq!(
            session_report(&d, &session, 0.0),
            session_report(&d, &session, 0.0)
        );
        let report = session_report(&d, &session, 0.0);
        assert!(report.contains("The timer was not used in this session."));
        assert!(report.contains("None recorded."));
    }

    #[test]
    fn the_interviewers_comments_and_curveballs_are_reported_as_text() {
        let d = crate::templates::example::example_design();
        let target = d.components[0].id;
        let mut session = InterviewSession::new();
        assert!(!session_report(&d, &session, 0.0).contains("From the interviewer"));
        session
            .pin_comment(target, "Why <b>sync</b>?", "Ada", 1)
            .unwrap_or_default();
        session
            .throw_curveball(
                super::super::CurveballKind::ColdCache,
                "after a deploy",
                "Ada",
                2,
            )
            .unwrap_or_default();
        let report = session_report(&d, &session, 0.0);
        assert!(report.contains("## From the interviewer"));
        assert!(report.contains("- **The cache starts cold**: after a deploy (Ada)"));
        assert!(report.contains("Why &lt;b&gt;sync&lt;/b&gt;?"), "{report}");
        assert!(!report.contains("<b>"));
    }

    #[test]
    fn records_of_vanished_probes_are_kept() {
        let d = small_design();
        let mut session = InterviewSession::default();
        session.record_mut("SCALE-002:component:99").rating = Some(Rating::Strong);
        let report = session_report(&d, &session, 0.0);
        assert!(report.contains("### Notes on probes the design no longer raises"));
        assert!(report.contains("- `SCALE-002:component:99` — **Strong**"));
    }

    #[test]
    fn untrusted_text_stays_text() {
        assert_eq!(
            md("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(
            md("[click](http://x) ![i](y)"),
            "\\[click\\](http://x) !\\[i\\](y)"
        );
        assert_eq!(md("a | b"), "a \\| b");
        assert_eq!(md("C:\\temp\\*"), "C:\\\\temp\\\\\\*");
        assert_eq!(md("[ ] task"), "\\[ \\] task");
        assert_eq!(md("- item"), "\\- item");
        assert_eq!(md("1. first"), "1\\. first");
        assert_eq!(md("2.5 k"), "2.5 k");
        assert_eq!(md("# heading"), "\\# heading");
        assert_eq!(md("> quote"), "&gt; quote");
        assert_eq!(
            md("&amp; `code` ~~x~~ _e_"),
            "&amp;amp; \\`code\\` \\~\\~x\\~\\~ \\_e\\_"
        );
        assert_eq!(md("two\nlines"), "two lines");
    }

    #[test]
    fn a_hostile_design_gives_no_raw_html_links_or_markers() {
        let mut d = small_design();
        d.title = "<img src=x onerror=alert(1)>".to_owned();
        d.components[0].name = "[x](javascript:alert(1)) | cell".to_owned();
        d.connections[0].label = "<script>".to_owned();
        d.requirements.functional = vec!["[ ] not a task".to_owned(), "1. not a list".to_owned()];
        d.requirements.compliance = "<b>bold</b>".to_owned();
        d.groups.push(crate::model::Group {
            id: Id(4),
            kind: crate::model::GroupKind::Region,
            label: "<iframe>".to_owned(),
            rect: crate::model::Rect::new(-10.0, -10.0, 400.0, 600.0),
        });
        d.next_id = 5;
        let report = session_report(&d, &InterviewSession::default(), 0.0);
        for raw in [
            "<img",
            "<script",
            "<b>",
            "<iframe",
            "x](javascript",
            "- [ ]",
            "- 1. ",
        ] {
            assert!(!report.contains(raw), "{raw} in\n{report}");
        }
        assert!(report.contains("# Interview session: &lt;img src=x onerror=alert(1)&gt;\n"));
        assert!(
            report.contains("| \\[x\\](javascript:alert(1)) \\| cell |"),
            "{report}"
        );
        assert!(
            report.contains(
                "- Region &lt;iframe&gt;: \\[x\\](javascript:alert(1)) \\| cell, Order events"
            ),
            "{report}"
        );
    }

    #[test]
    fn very_large_counts_print_exactly() {
        let mut d = small_design();
        d.requirements.daily_active_users = Some(u64::MAX);
        d.requirements.payload_bytes = Some(9_007_199_254_740_993);
        let report = session_report(&d, &InterviewSession::default(), 0.0);
        assert!(
            report.contains("| Daily active users | 18,446,744,073,709,551,615 |"),
            "{report}"
        );
        assert!(
            report.contains("| Payload size | 9,007,199,254,740,993 bytes |"),
            "{report}"
        );
    }

    #[test]
    fn an_empty_design_still_reads_well() {
        let report = session_report(&Diagram::new("Blank"), &InterviewSession::default(), 0.0);
        assert!(report.contains("Nothing drawn yet."));
        assert!(report.contains("None stated."));
        assert!(report.contains("No probes: the board is empty."));
        assert!(report.contains("The checklist finds nothing open."));
        let _ = Phase::ALL;
    }
}

/// The example report under `docs/`, kept in step with the code: the report
/// of the example recorded session in `examples/sessions/` (itself kept up
/// to date by `tests/example_session.rs`). The test fails when the rendering
/// changes, and `ARCHBOARD_BLESS=1 cargo test example_report` rewrites the
/// file.
#[cfg(test)]
mod example {
    use super::*;

    const PATH: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/example-session-report.md"
    );
    const SESSIONS: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/sessions/url-shortener-interview.sessions.ron"
    );

    #[test]
    fn example_report_in_docs_is_up_to_date() {
        let file = recording::load_sessions(std::path::Path::new(SESSIONS))
            .unwrap()
            .unwrap();
        let session = file.sessions.last().unwrap();
        let report = recorded_session_report(session, file.sessions.len()).unwrap();
        assert!(report.contains("## Scorecard"), "{report}");
        if std::env::var_os("ARCHBOARD_BLESS").is_some() {
            std::fs::write(PATH, &report).unwrap();
        }
        let committed = std::fs::read_to_string(PATH).unwrap_or_default();
        assert!(
            committed == report,
            "docs/example-session-report.md is out of date; rerun with ARCHBOARD_BLESS=1"
        );
    }
}
