//! `archboard check PATH [--format text|json] [--fail-on error|warning|info|never]`:
//! runs the design checklist headless, like a linter.
//!
//! Exit codes: 0 when no open finding is at or above the `--fail-on`
//! threshold, 1 when one is, 2 on a usage error (from clap), 3 when the file
//! cannot be loaded. Accepted trade-offs never count towards the threshold.

use std::path::PathBuf;

use serde::Serialize;

use super::EXIT_LOAD_FAILED;
use crate::model::{Diagram, Subject};
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
    let diagram = match crate::io::load(&args.path) {
        Ok(diagram) => diagram,
        Err(err) => {
            eprintln!("{err}: {}", args.path.display());
            return EXIT_LOAD_FAILED;
        }
    };
    let findings = rules::check(&diagram);
    let review = rules::review(&diagram, &findings);
    match args.format {
        Format::Text => print!("{}", render_text(&review)),
        Format::Json => {
            let report = Report::new(&args.path.display().to_string(), &diagram, &findings);
            match serde_json::to_string_pretty(&report) {
                Ok(json) => println!("{json}"),
                Err(err) => {
                    // Plain data always serialises; report it rather than panic.
                    eprintln!("could not encode the report: {err}");
                    return EXIT_LOAD_FAILED;
                }
            }
        }
    }
    let failing = args
        .fail_on
        .threshold()
        .is_some_and(|threshold| review.open_at_least(threshold) > 0);
    if failing { EXIT_FINDINGS } else { 0 }
}

/// Linter-style lines: subject, severity, rule id, message, in aligned
/// columns, then a summary line.
fn render_text(review: &Review<'_>) -> String {
    let width = |f: fn(&Finding) -> usize| review.open.iter().map(|x| f(x)).max().unwrap_or(0);
    let name_width = width(|f| f.subject_name.chars().count());
    let severity_width = width(|f| f.severity.as_str().len());
    let rule_width = width(|f| f.rule.id.len());
    let mut out = String::new();
    for f in &review.open {
        let name = &f.subject_name;
        let pad = name_width.saturating_sub(name.chars().count());
        out.push_str(&format!(
            "{name}{:pad$}  {:severity_width$}  {:rule_width$}  {}\n",
            "",
            f.severity.as_str(),
            f.rule.id,
            f.message,
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
    fn new(file: &str, diagram: &Diagram, findings: &[Finding]) -> Self {
        let review = rules::review(diagram, findings);
        let note_of = |f: &Finding| {
            review
                .accepted
                .iter()
                .find(|(a, _)| std::ptr::eq(*a, f))
                .map(|(_, d)| d.note.clone())
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
