//! `archboard check PATH [--format text|json] [--fail-on error|warning|info|never]`:
//! runs the design checklist headless, like a linter.
//!
//! Exit codes: 0 when no open finding is at or above the `--fail-on`
//! threshold, 1 when one is, 2 on a usage error (from clap), 3 when the file
//! cannot be loaded, 4 when the output cannot be written. Accepted
//! trade-offs never count towards the threshold.
//!
//! Cost: one check, one review (a hash lookup per finding) and one pass to
//! print, so O(n) in findings and decisions after the check itself.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;

use super::output::{Stdout, needs_escape, terminal_safe};
use super::{EXIT_LOAD_FAILED, load_or_report};
use crate::model::{Decision, Subject};
use crate::rules::{self, Finding, Review, Severity};

/// Exit code when an open finding is at or above the threshold.
const EXIT_FINDINGS: u8 = 1;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The design file (.ron).
    pub path: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Exit with 1 when an open finding has this severity or a higher one.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

/// How `check` prints its findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people, one finding per line, then a summary.
    Text,
    /// One JSON document for tools.
    Json,
}

/// The lowest severity that makes `check` exit with 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Always exit with 0 once the file loads.
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            Self::Error => Some(Severity::Error),
            Self::Warning => Some(Severity::Warning),
            Self::Info => Some(Severity::Info),
            Self::Never => None,
        }
    }
}

/// Runs the check and returns the process exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let Some(diagram) = load_or_report(&args.path) else {
        return EXIT_LOAD_FAILED;
    };
    let findings = rules::check(&diagram);
    let review = rules::review(&diagram, &findings);
    let failing = args
        .fail_on
        .threshold()
        .is_some_and(|threshold| review.open_at_least(threshold) > 0);
    let code = if failing { EXIT_FINDINGS } else { 0 };
    let file = args.path.display().to_string();
    match render(&file, &findings, &review, args.format) {
        Ok(text) => {
            let mut out = Stdout::new();
            out.print(&text);
            out.finish(code)
        }
        Err(err) => {
            // Plain data always serialises; report it rather than panic.
            super::output::eprint_line(&format!("could not encode the report: {err}"));
            super::EXIT_WRITE_FAILED
        }
    }
}

/// The whole output of `check` for findings of the design in `file`, safe
/// for a terminal. Public for the benchmarks (`benches/passes.rs`).
pub fn render(
    file: &str,
    findings: &[Finding],
    review: &Review<'_>,
    format: Format,
) -> Result<String, serde_json::Error> {
    match format {
        Format::Text => Ok(render_text(review)),
        Format::Json => {
            let report = Report::new(file, findings, review);
            let json = serde_json::to_string_pretty(&report)?;
            Ok(format!("{}\n", json_terminal_safe(&json)))
        }
    }
}

/// JSON text with the bidirectional controls and line separators that
/// `serde_json` leaves raw written as `\uXXXX` escapes: the same JSON value,
/// but harmless on a terminal. (Control characters are escaped already.)
fn json_terminal_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        // Characters below U+0020 are the document's own white space here:
        // inside strings `serde_json` has escaped them already.
        if u32::from(c) >= 0x20 && needs_escape(c) {
            // Every such character is in the Basic Multilingual Plane, so
            // one `\\uXXXX` escape is enough.
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Linter-style lines: subject, severity, rule id, message, in aligned
/// columns, then a summary line.
fn render_text(review: &Review<'_>) -> String {
    // Names and messages come from the file: made safe once, measured once.
    let rows: Vec<(&Finding, String, String)> = review
        .open
        .iter()
        .map(|f| {
            (
                *f,
                terminal_safe(&f.subject_name).into_owned(),
                terminal_safe(&f.message).into_owned(),
            )
        })
        .collect();
    let name_width = rows
        .iter()
        .map(|(_, name, _)| name.chars().count())
        .max()
        .unwrap_or(0);
    let severity_width = rows
        .iter()
        .map(|(f, _, _)| f.severity.as_str().len())
        .max()
        .unwrap_or(0);
    let rule_width = rows
        .iter()
        .map(|(f, _, _)| f.rule.id.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (f, name, message) in &rows {
        let pad = name_width.saturating_sub(name.chars().count());
        out.push_str(&format!(
            "{name}{:pad$}  {:severity_width$}  {:rule_width$}  {message}\n",
            "",
            f.severity.as_str(),
            f.rule.id,
        ));
    }
    let counts = rules::summary_text(
        review.open_count(Severity::Error),
        review.open_count(Severity::Warning),
        review.open_count(Severity::Info),
    );
    let accepted = match review.accepted.len() {
        0 => String::new(),
        1 => ", 1 accepted trade-off".to_owned(),
        n => format!(", {n} accepted trade-offs"),
    };
    if !review.open.is_empty() {
        out.push('\n');
    }
    out.push_str(&format!("{counts}{accepted}\n"));
    out
}

/// The JSON document.
#[derive(Debug, Serialize)]
struct Report {
    file: String,
    findings: Vec<JsonFinding>,
    summary: Summary,
}

#[derive(Debug, Serialize)]
struct JsonFinding {
    rule: &'static str,
    category: &'static str,
    severity: &'static str,
    title: &'static str,
    subject: JsonSubject,
    message: String,
    /// How to fix the gap (the rule's advice).
    fix: &'static str,
    question: &'static str,
    status: &'static str,
    /// The note of an accepted trade-off; null while open.
    note: Option<String>,
}

#[derive(Debug, Serialize)]
struct JsonSubject {
    kind: &'static str,
    /// Null for the whole design.
    id: Option<u64>,
    name: String,
}

/// Open counts by severity, and how many findings were accepted.
#[derive(Debug, Serialize)]
struct Summary {
    error: usize,
    warning: usize,
    info: usize,
    accepted: usize,
}

impl Report {
    fn new(file: &str, findings: &[Finding], review: &Review<'_>) -> Self {
        // One hash lookup per finding (this used to scan every accepted
        // finding for each finding: quadratic).
        let accepted: HashMap<(&str, Subject), &Decision> = review
            .accepted
            .iter()
            .map(|(f, d)| ((f.rule.id, f.subject), *d))
            .collect();
        let note_of = |f: &Finding| {
            accepted
                .get(&(f.rule.id, f.subject))
                .map(|d| d.note.clone())
        };
        let findings = findings
            .iter()
            .map(|f| {
                let note = note_of(f);
                JsonFinding {
                    rule: f.rule.id,
                    category: f.rule.category.as_str(),
                    severity: f.severity.as_str(),
                    title: f.rule.title,
                    subject: JsonSubject {
                        kind: match f.subject {
                            Subject::Design => "design",
                            Subject::Component(_) => "component",
                            Subject::Connection(_) => "connection",
                            Subject::Group(_) => "group",
                        },
                        id: f.subject.id().map(|id| id.0),
                        name: f.subject_name.clone(),
                    },
                    message: f.message.clone(),
                    fix: f.rule.fix,
                    question: f.rule.question,
                    status: if note.is_some() { "accepted" } else { "open" },
                    note,
                }
            })
            .collect();
        Self {
            file: file.to_owned(),
            findings,
            summary: Summary {
                error: review.open_count(Severity::Error),
                warning: review.open_count(Severity::Warning),
                info: review.open_count(Severity::Info),
                accepted: review.accepted.len(),
            },
        }
    }
}
