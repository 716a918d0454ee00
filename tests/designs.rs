//! The order-processing fixtures: the naive design gets findings in every
//! category, the strong one has no open errors (its one gap is an accepted,
//! explained trade-off).

// Helpers outside #[test] functions may unwrap too: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

use archboard::rules::{self, Category, Severity};

fn load(name: &str) -> archboard::model::Diagram {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/designs")
        .join(name);
    archboard::io::load(&path).unwrap()
}

#[test]
fn the_naive_order_design_has_findings_in_every_category() {
    let diagram = load("order-processing-naive.ron");
    let findings = rules::check(&diagram);
    let review = rules::review(&diagram, &findings);
    let categories: BTreeSet<Category> = review.open.iter().map(|f| f.rule.category).collect();
    for category in Category::ALL {
        assert!(categories.contains(&category), "no {category:?} finding");
    }
    assert!(review.open_count(Severity::Error) > 0);
    assert!(review.accepted.is_empty());
}

#[test]
fn the_strong_order_design_has_no_open_errors() {
    let diagram = load("order-processing-strong.ron");
    let findings = rules::check(&diagram);
    let review = rules::review(&diagram, &findings);
    assert_eq!(review.open_count(Severity::Error), 0, "{:#?}", review.open);
    assert!(review.open.is_empty(), "{:#?}", review.open);
    assert_eq!(review.accepted.len(), 1);
    let (finding, decision) = review.accepted[0];
    assert_eq!(finding.rule.id, "FAIL-007");
    assert!(!decision.note.is_empty());
}

#[test]
fn quick_fixes_close_their_findings_on_the_naive_design() {
    let mut diagram = load("order-processing-naive.ron");
    let before = rules::check(&diagram).len();
    // Apply every quick fix offered, re-checking after each one.
    loop {
        let findings = rules::check(&diagram);
        let Some(finding) = findings.iter().find(|f| f.fix.is_some()) else {
            break;
        };
        let key = (finding.rule.id, finding.subject);
        let fix = finding.fix.clone().unwrap();
        fix.edit.apply(&mut diagram).unwrap();
        let after = rules::check(&diagram);
        assert!(
            !after.iter().any(|f| (f.rule.id, f.subject) == key),
            "{key:?} survived its quick fix"
        );
    }
    let left = rules::check(&diagram);
    assert!(left.len() < before / 2, "{} of {before} left", left.len());
    assert!(left.iter().all(|f| f.fix.is_none()));
}

#[test]
fn fixtures_survive_a_save_and_reload_unchanged() {
    for name in ["order-processing-naive.ron", "order-processing-strong.ron"] {
        let diagram = load(name);
        let text = archboard::io::to_ron_string(&diagram).unwrap();
        assert_eq!(archboard::io::from_ron_str(&text).unwrap(), diagram);
    }
}
