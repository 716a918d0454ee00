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
pub mod coverage;
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
mod text;
pub use text::shorten;

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
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
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
    sorted(sink.findings)
}

/// Findings in their deterministic order. A finding is large (its quick
/// fix holds a whole component), so the order is found on small keys and
/// each finding is moved once, instead of being swapped around by the sort.
/// The key packs severity, category, the rule's place in [`rules`] (which
/// lists ids in order within a category) and the subject into one number;
/// ids too large to pack fall back to comparing the full key.
fn sorted(findings: Vec<Finding>) -> Vec<Finding> {
    // Rules are statics: their addresses identify them, and comparing a
    // few dozen addresses is cheaper than hashing the id.
    static RULE_ADDRESSES: std::sync::OnceLock<Vec<usize>> = std::sync::OnceLock::new();
    let addresses =
        RULE_ADDRESSES.get_or_init(|| rules().map(|r| std::ptr::from_ref(r) as usize).collect());
    let rule_index = |rule: &'static Rule| {
        let address = std::ptr::from_ref(rule) as usize;
        addresses
            .iter()
            .position(|&a| a == address)
            .map(|i| i as u64)
    };
    let packed = |f: &Finding| -> Option<u64> {
        let (id, variant) = match f.subject {
            Subject::Design => (0, 0),
            Subject::Component(id) => (id.0 + 1, 1),
            Subject::Connection(id) => (id.0 + 1, 2),
            Subject::Group(id) => (id.0 + 1, 3),
        };
        let rule = rule_index(f.rule)?;
        (id < 1 << 40 && rule < 1 << 8).then_some(
            (f.severity as u64) << 62
                | (f.rule.category as u64) << 58
                | rule << 50
                | id << 2
                | variant,
        )
    };
    let keys: Option<Vec<(u64, usize)>> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| packed(f).map(|k| (k, i)))
        .collect();
    let order: Vec<usize> = match keys {
        Some(mut keys) => {
            keys.sort_unstable();
            keys.into_iter().map(|(_, i)| i).collect()
        }
        None => {
            let mut keys: Vec<_> = findings
                .iter()
                .enumerate()
                .map(|(i, f)| (f.sort_key(), i))
                .collect();
            keys.sort_unstable();
            keys.into_iter().map(|(_, i)| i).collect()
        }
    };
    let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
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
            // About one finding per component is typical; reserving avoids
            // copying large findings while the vector grows.
            findings: Vec::with_capacity(diagram.components.len() + diagram.connections.len() / 2),
        }
    }

    /// Records a finding at the rule's default severity and returns it, so
    /// a rule that grades its findings can set another severity.
    fn push(
        &mut self,
        rule: &'static Rule,
        subject: Subject,
        subject_name: String,
        message: String,
        fix: Option<QuickFix>,
    ) -> &mut Finding {
        let index = self.findings.len();
        self.findings.push(Finding {
            rule,
            severity: rule.severity,
            subject,
            subject_name,
            message,
            fix,
        });
        &mut self.findings[index]
    }

    fn component(
        &mut self,
        rule: &'static Rule,
        component: &crate::model::Component,
        message: String,
        fix: Option<QuickFix>,
    ) -> &mut Finding {
        self.push(
            rule,
            Subject::Component(component.id),
            component.name.clone(),
            message,
            fix,
        )
    }

    fn connection(
        &mut self,
        rule: &'static Rule,
        link: &context::Link<'_>,
        message: String,
        fix: Option<QuickFix>,
    ) -> &mut Finding {
        let name = format!("{} → {}", link.from.name, link.to.name);
        self.push(rule, Subject::Connection(link.conn.id), name, message, fix)
    }

    fn design(&mut self, rule: &'static Rule, message: String) -> &mut Finding {
        let name = self.diagram.title.clone();
        self.push(rule, Subject::Design, name, message, None)
    }
}

/// One component's share of a gap that a rule may report design-wide.
struct Gap<'a> {
    component: &'a crate::model::Component,
    /// Builds the per-component message, only when the gap is reported
    /// per component.
    message: Box<dyn FnOnce() -> String + 'a>,
    fix: Option<QuickFix>,
}

/// How many components must share a gap before it is reported once for
/// the design.
const DESIGN_WIDE_AT: usize = 3;

impl Sink<'_> {
    /// Reports one rule's per-component gaps: once for the design (naming
    /// the components, with one fix for all of them) when every one of the
    /// `eligible` components has the gap and there are at least
    /// [`DESIGN_WIDE_AT`], otherwise once per component. `summary` gets the
    /// count and the joined names.
    fn gaps(
        &mut self,
        rule: &'static Rule,
        severity: Severity,
        eligible: usize,
        gaps: Vec<Gap<'_>>,
        summary: impl FnOnce(usize, &str) -> String,
        fix_label: &'static str,
    ) {
        if gaps.len() >= DESIGN_WIDE_AT && gaps.len() == eligible {
            let names: Vec<&str> = gaps.iter().map(|g| g.component.name.as_str()).collect();
            let message = summary(gaps.len(), &text::join_and(&names));
            let edits: Vec<Edit> = gaps
                .into_iter()
                .filter_map(|g| g.fix.map(|f| f.edit))
                .collect();
            let finding = self.design(rule, message);
            finding.at(severity);
            if !edits.is_empty() {
                finding.with_fix(QuickFix {
                    label: fix_label,
                    edit: Edit::Batch(edits),
                });
            }
            return;
        }
        for gap in gaps {
            self.component(rule, gap.component, (gap.message)(), gap.fix)
                .at(severity);
        }
    }
}

impl Sink<'_> {
    /// A mechanism the component's text states but its property does not:
    /// an info whose quick fix sets the property (see
    /// [`text::written_but_unset`] for the wording).
    fn written_but_unset(
        &mut self,
        rule: &'static Rule,
        component: &crate::model::Component,
        says: (&str, &str),
        quote: &str,
        unset: &str,
        fix: Option<QuickFix>,
    ) {
        let message = text::written_but_unset(&component.name, says, Some(quote), unset);
        self.component(rule, component, message, fix)
            .at(Severity::Info);
    }
}

impl Finding {
    /// Sets the severity of a graded finding.
    fn at(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }

    /// Attaches a quick fix (design findings get theirs this way).
    fn with_fix(&mut self, fix: QuickFix) -> &mut Self {
        self.fix = Some(fix);
        self
    }
}
