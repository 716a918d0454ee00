//! The design checklist: pure functions from a [`Diagram`] to [`Finding`]s.
//!
//! Each [`Rule`] has a stable id (never renamed, never reused), a category, a
//! default severity and the texts the panel, the CLI and `docs/rules.md` show.
//! [`check`] judges the design as drawn: telemetry counts whether it is a
//! property of a service or a link to a log, metrics or tracing component, and
//! a resilience policy counts on the synchronous connection that makes the
//! call. Findings are never stored; what the user decided about one (an
//! accepted trade-off) lives in [`Diagram::decisions`] and [`review`] splits
//! findings into open and accepted.
//!
//! Cost: one pass builds adjacency indices (see `context.rs`), then every rule
//! walks components or connections once, so a check is linear in the size of
//! the diagram.

mod context;
mod data;
mod docs;
mod failure;
mod messaging;
mod observability;
mod realtime;
mod scalability;
mod security;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use serde::Serialize;

use crate::model::edit::Edit;
use crate::model::{Decision, Diagram, Subject};

pub use docs::render_markdown;

pub(crate) use context::ComponentIndex;

use context::Context;

/// How much a finding matters. Ordered from most to least severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A gap a strong interviewer would stop the interview on.
    Error,
    /// A gap worth fixing or explicitly accepting.
    Warning,
    /// A prompt to think about; often fine once stated.
    Info,
}

impl Severity {
    pub const ALL: [Self; 3] = [Self::Error, Self::Warning, Self::Info];

    /// Lower-case name, as in the CLI and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }

    /// Sentence-case name for the UI.
    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "Error",
            Self::Warning => "Warning",
            Self::Info => "Info",
        }
    }

    /// True when `self` is as severe as `threshold` or more.
    pub fn is_at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

/// What a rule is about. The order is the order of the panel and the docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    FailureHandling,
    Observability,
    Scalability,
    DataAndConsistency,
    Security,
    RealTime,
    Messaging,
}

impl Category {
    pub const ALL: [Self; 7] = [
        Self::FailureHandling,
        Self::Observability,
        Self::Scalability,
        Self::DataAndConsistency,
        Self::Security,
        Self::RealTime,
        Self::Messaging,
    ];

    /// Sentence-case name for the UI and the docs.
    pub fn label(self) -> &'static str {
        match self {
            Self::FailureHandling => "Failure handling",
            Self::Observability => "Observability",
            Self::Scalability => "Scalability and performance",
            Self::DataAndConsistency => "Data and consistency",
            Self::Security => "Security",
            Self::RealTime => "Real-time",
            Self::Messaging => "Messaging",
        }
    }

    /// Kebab-case name, as in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FailureHandling => "failure-handling",
            Self::Observability => "observability",
            Self::Scalability => "scalability",
            Self::DataAndConsistency => "data-and-consistency",
            Self::Security => "security",
            Self::RealTime => "real-time",
            Self::Messaging => "messaging",
        }
    }
}

/// A checklist rule: its identity and the texts shown to the user.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable id such as `FAIL-003`; stored in files with decisions, so it
    /// never changes once released.
    pub id: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// One line, sentence case, no trailing period.
    pub title: &'static str,
    /// Why an interviewer cares.
    pub why: &'static str,
    /// How to close the gap.
    pub fix: &'static str,
    /// The question a strong interviewer would ask.
    pub question: &'static str,
}

/// A change that closes a finding, offered as a one-click fix.
#[derive(Clone, Debug, PartialEq)]
pub struct QuickFix {
    /// Button text, sentence case (for example "Add a dead-letter queue").
    pub label: &'static str,
    /// The edit to apply through the history, so it can be undone.
    pub edit: Edit,
}

/// One gap found in a diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: &'static Rule,
    /// The rule's default severity today; kept per finding so a rule can
    /// grade its findings later without changing this type.
    pub severity: Severity,
    pub subject: Subject,
    /// The subject's display name (the design's title for [`Subject::Design`]).
    pub subject_name: String,
    /// Names the subject and says exactly what is missing.
    pub message: String,
    pub fix: Option<QuickFix>,
}

impl Finding {
    /// The deterministic order of findings: severity, category, rule id,
    /// subject id.
    fn sort_key(
        &self,
    ) -> (
        Severity,
        Category,
        &'static str,
        Option<crate::model::Id>,
        Subject,
    ) {
        (
            self.severity,
            self.rule.category,
            self.rule.id,
            self.subject.id(),
            self.subject,
        )
    }
}

/// Every rule, grouped by category and in id order within each.
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    failure::RULES
        .iter()
        .chain(observability::RULES)
        .chain(scalability::RULES)
        .chain(data::RULES)
        .chain(security::RULES)
        .chain(realtime::RULES)
        .chain(messaging::RULES)
        .copied()
}

/// The rule with this id, if there is one.
pub fn rule(id: &str) -> Option<&'static Rule> {
    rules().find(|rule| rule.id == id)
}

/// Runs every rule on the diagram. The result is sorted by severity (most
/// severe first), category, rule id and subject id, and holds accepted
/// findings too: use [`review`] to split them off.
pub fn check(diagram: &Diagram) -> Vec<Finding> {
    let ctx = Context::new(diagram);
    let mut sink = Sink::new(diagram);
    failure::check(&ctx, &mut sink);
    observability::check(&ctx, &mut sink);
    scalability::check(&ctx, &mut sink);
    data::check(&ctx, &mut sink);
    security::check(&ctx, &mut sink);
    realtime::check(&ctx, &mut sink);
    messaging::check(&ctx, &mut sink);
    let mut findings = sink.findings;
    findings.sort_unstable_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}

/// Findings split by what the user decided about them.
#[derive(Clone, Debug, Default)]
pub struct Review<'a> {
    /// Findings nobody has decided about yet, in check order.
    pub open: Vec<&'a Finding>,
    /// Findings accepted as trade-offs, with the decision (and its note).
    pub accepted: Vec<(&'a Finding, &'a Decision)>,
}

impl Review<'_> {
    /// Open findings at `threshold` or more severe.
    pub fn open_at_least(&self, threshold: Severity) -> usize {
        self.open
            .iter()
            .filter(|f| f.severity.is_at_least(threshold))
            .count()
    }

    /// Open findings of exactly this severity.
    pub fn open_count(&self, severity: Severity) -> usize {
        self.open.iter().filter(|f| f.severity == severity).count()
    }
}

/// Splits findings into open and accepted using the diagram's decisions
/// (matched by rule id and subject). Decisions whose finding no longer
/// exists are simply not shown.
pub fn review<'a>(diagram: &'a Diagram, findings: &'a [Finding]) -> Review<'a> {
    let decisions: HashMap<(&str, Subject), &Decision> = diagram
        .decisions
        .iter()
        .map(|d| ((d.rule_id.as_str(), d.subject), d))
        .collect();
    let mut review = Review::default();
    for finding in findings {
        match decisions.get(&(finding.rule.id, finding.subject)) {
            Some(decision) => review.accepted.push((finding, decision)),
            None => review.open.push(finding),
        }
    }
    review
}

/// A short count such as "3 errors, 5 warnings, 1 info" (or "No open
/// findings"), for summary lines.
pub fn summary_text(errors: usize, warnings: usize, infos: usize) -> String {
    let mut parts = Vec::new();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if errors > 0 {
        parts.push(plural(errors, "error", "errors"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning", "warnings"));
    }
    if infos > 0 {
        parts.push(plural(infos, "info", "infos"));
    }
    if parts.is_empty() {
        "No open findings".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Collects findings while the rules run.
struct Sink<'a> {
    diagram: &'a Diagram,
    findings: Vec<Finding>,
}

impl<'a> Sink<'a> {
    fn new(diagram: &'a Diagram) -> Self {
        Self {
            diagram,
            findings: Vec::new(),
        }
    }

    fn push(
        &mut self,
        rule: &'static Rule,
        subject: Subject,
        subject_name: String,
        message: String,
        fix: Option<QuickFix>,
    ) {
        self.findings.push(Finding {
            rule,
            severity: rule.severity,
            subject,
            subject_name,
            message,
            fix,
        });
    }

    fn component(
        &mut self,
        rule: &'static Rule,
        component: &crate::model::Component,
        message: String,
        fix: Option<QuickFix>,
    ) {
        self.push(
            rule,
            Subject::Component(component.id),
            component.name.clone(),
            message,
            fix,
        );
    }

    fn connection(
        &mut self,
        rule: &'static Rule,
        link: &context::Link<'_>,
        message: String,
        fix: Option<QuickFix>,
    ) {
        let name = format!("{} → {}", link.from.name, link.to.name);
        self.push(rule, Subject::Connection(link.conn.id), name, message, fix);
    }

    fn design(&mut self, rule: &'static Rule, message: String) {
        let name = self.diagram.title.clone();
        self.push(rule, Subject::Design, name, message, None);
    }
}
