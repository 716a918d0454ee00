//! The judgment fixtures: for every rule that reasons across the drawing or
//! reads what candidates write, a weak design (`<rule>-weak.ron`) on which it
//! fires and a strong one (`<rule>-strong.ron`) of the same system on which it
//! stays quiet. The pairs are small whole designs drawn for questions of
//! their own, so a rule is shown working on a design it was not written for.

// Test helpers unwrap: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use archboard::rules::{self, Severity};

/// The rules added for the checklist's judgment, each with a fixture pair.
const RULES: [&str; 17] = [
    "FAIL-013",
    "FAIL-014",
    "FAIL-015",
    "FAIL-016",
    "SCALE-008",
    "SCALE-009",
    "SCALE-010",
    "SCALE-011",
    "SCALE-012",
    "SCALE-013",
    "SCALE-014",
    "DATA-005",
    "DATA-006",
    "SEC-006",
    "SEC-007",
    "MSG-006",
    "MSG-007",
];

fn fixture(rule: &str, variant: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/judgment")
        .join(format!("{}-{variant}.ron", rule.to_lowercase()))
}

fn open_rule_ids(path: &Path) -> (Vec<&'static str>, usize) {
    let diagram = archboard::io::load(path).unwrap();
    let findings = rules::check(&diagram);
    let review = rules::review(&diagram, &findings);
    let errors = review.open_count(Severity::Error);
    (review.open.iter().map(|f| f.rule.id).collect(), errors)
}

#[test]
fn every_judgment_rule_fires_on_its_weak_design() {
    for rule in RULES {
        assert!(rules::rule(rule).is_some(), "{rule} is not a rule");
        let (ids, _) = open_rule_ids(&fixture(rule, "weak"));
        assert!(
            ids.contains(&rule),
            "{rule} is quiet on its weak design: {ids:?}"
        );
    }
}

#[test]
fn every_judgment_rule_stays_quiet_on_its_strong_design() {
    for rule in RULES {
        let (ids, errors) = open_rule_ids(&fixture(rule, "strong"));
        assert!(!ids.contains(&rule), "{rule} fires on its strong design");
        assert_eq!(
            errors, 0,
            "{rule}: the strong design has open errors: {ids:?}"
        );
    }
}

#[test]
fn the_pairs_are_the_same_system_and_load_cleanly() {
    for rule in RULES {
        let weak = archboard::io::load(&fixture(rule, "weak")).unwrap();
        let strong = archboard::io::load(&fixture(rule, "strong")).unwrap();
        assert_eq!(weak.title, strong.title, "{rule}");
        assert_eq!(weak.check_integrity(), Ok(()), "{rule}");
        assert_eq!(strong.check_integrity(), Ok(()), "{rule}");
        let text = archboard::io::to_ron_string(&strong).unwrap();
        assert_eq!(
            archboard::io::from_ron_str(&text).unwrap(),
            strong,
            "{rule}"
        );
    }
}
