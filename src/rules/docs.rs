//! Renders the rule catalogue (`docs/rules.md`) from the rules themselves,
//! so the documentation cannot drift from the code.

use std::fmt::Write as _;

use super::{Category, rules};

/// The Markdown of `docs/rules.md`.
pub fn render_markdown() -> String {
    let mut md = String::new();
    md.push_str("# Checklist rules\n\n");
    md.push_str(
        "<!-- Generated from src/rules by `rules::render_markdown`. Do not edit by hand: \
         run `UPDATE_DOCS=1 cargo test --lib rules` to regenerate. -->\n\n",
    );
    md.push_str(
        "Every rule has a stable id that never changes: accepted trade-offs are stored \
         in design files by rule id and subject. Severity is the default; a finding can be \
         accepted as a trade-off with a note, and then no longer counts as open.\n\n",
    );
    let all: Vec<_> = rules().collect();
    md.push_str("| Category | Rules |\n|---|---|\n");
    for category in Category::ALL {
        let count = all.iter().filter(|r| r.category == category).count();
        let _ = writeln!(md, "| {} | {count} |", category.label());
    }
    let _ = writeln!(md, "| **Total** | **{}** |", all.len());
    for category in Category::ALL {
        let _ = write!(md, "\n## {}\n", category.label());
        for rule in all.iter().filter(|r| r.category == category) {
            let _ = write!(
                md,
                "\n### {} {}\n\n*Severity: {}*\n\n- **Why it matters:** {}\n- **How to fix:** {}\n- **The interviewer asks:** {}\n",
                rule.id,
                rule.title,
                rule.severity.as_str(),
                rule.why,
                rule.fix,
                rule.question,
            );
        }
    }
    md
}

/// Test helper: `rendered` must be what `path` (relative to the crate)
/// holds, unless `UPDATE_DOCS` is set, in which case it is written there.
#[cfg(test)]
pub(super) fn assert_doc_up_to_date(path: &str, rendered: &str) {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&full, rendered).unwrap_or_else(|e| panic!("{path}: {e}"));
        return;
    }
    let committed = std::fs::read_to_string(&full).unwrap_or_default();
    assert!(
        committed == rendered,
        "{path} is out of date: run `UPDATE_DOCS=1 cargo test --lib rules` and commit the result"
    );
}
