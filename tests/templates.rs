//! The built-in templates: each loads, passes the integrity checks and
//! round-trips; references have no open errors or warnings; starters light
//! up the checklist where their question is known to; layouts are clean.

// Test helpers unwrap: a failure is a test failure.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use archboard::model::Diagram;
use archboard::rules::{self, Category, Severity};
use archboard::templates::{self, Variant};

fn diagram(name: &str) -> Diagram {
    templates::find(name).unwrap().diagram().unwrap()
}

#[test]
fn every_template_loads_checks_and_round_trips() {
    assert!(templates::all().len() >= 10);
    for t in templates::all() {
        let d = t.diagram().unwrap_or_else(|e| panic!("{}: {e}", t.name));
        assert_eq!(d.check_integrity(), Ok(()), "{}", t.name);
        let text = archboard::io::to_ron_string(&d).unwrap();
        assert_eq!(archboard::io::from_ron_str(&text).unwrap(), d, "{}", t.name);
        assert_eq!(text, t.source(), "{} is not in saved form", t.name);
    }
}

#[test]
fn references_have_no_open_errors_or_warnings() {
    for t in templates::all()
        .iter()
        .filter(|t| t.variant == Variant::Reference)
    {
        let d = t.diagram().unwrap();
        let findings = rules::check(&d);
        let review = rules::review(&d, &findings);
        let open: Vec<String> = review
            .open
            .iter()
            .map(|f| format!("{} {}", f.rule.id, f.message))
            .collect();
        assert_eq!(
            review.open_at_least(Severity::Warning),
            0,
            "{}: {open:#?}",
            t.name
        );
        assert!(review.open.is_empty(), "{}: {open:#?}", t.name);
        assert!(
            !d.requirements.functional.is_empty() && d.requirements.daily_active_users.is_some()
        );
        assert!(!d.groups.is_empty() && d.notes.len() >= 2, "{}", t.name);
        for decision in &d.decisions {
            assert!(
                !decision.note.is_empty(),
                "{}: {}",
                t.name,
                decision.rule_id
            );
        }
    }
}

#[test]
fn starters_light_up_the_gaps_their_question_is_known_for() {
    let expected: [(&str, &[&str]); 5] = [
        (
            "url-shortener-starter",
            &["SCALE-001", "SCALE-006", "SCALE-007", "FAIL-010"],
        ),
        (
            "realtime-chat-starter",
            &["RT-001", "RT-002", "RT-003", "SEC-001"],
        ),
        (
            "order-processing-starter",
            &["FAIL-008", "MSG-001", "MSG-003", "DATA-001", "FAIL-003"],
        ),
        (
            "multi-tenant-saas-starter",
            &["SEC-005", "SCALE-007", "FAIL-010"],
        ),
        (
            "catalogue-caching-starter",
            &["SCALE-002", "FAIL-001", "FAIL-003"],
        ),
    ];
    for (name, rule_ids) in expected {
        let d = diagram(name);
        let findings = rules::check(&d);
        let review = rules::review(&d, &findings);
        let ids: BTreeSet<&str> = review.open.iter().map(|f| f.rule.id).collect();
        for id in rule_ids {
            assert!(ids.contains(id), "{name} does not flag {id}: {ids:?}");
        }
        let categories: BTreeSet<Category> = review.open.iter().map(|f| f.rule.category).collect();
        assert!(categories.len() >= 3, "{name}: {categories:?}");
    }
    let starters = templates::all()
        .iter()
        .filter(|t| t.variant == Variant::Starter);
    assert_eq!(
        starters.count(),
        expected.len(),
        "every starter has expectations"
    );
}

#[test]
fn no_cards_overlap_and_groups_hold_their_cards_whole() {
    for t in templates::all() {
        let d = t.diagram().unwrap();
        for (i, a) in d.components.iter().enumerate() {
            for b in &d.components[i + 1..] {
                assert!(
                    !a.rect().intersects(b.rect()),
                    "{}: {} overlaps {}",
                    t.name,
                    a.name,
                    b.name
                );
            }
            for note in &d.notes {
                assert!(
                    !note.rect.intersects(a.rect()),
                    "{}: a note covers {}",
                    t.name,
                    a.name
                );
            }
            for group in &d.groups {
                let touches = group.rect.intersects(a.rect());
                assert!(
                    !touches || group.rect.contains_rect(a.rect()),
                    "{}: {} straddles the border of {}",
                    t.name,
                    a.name,
                    group.label
                );
            }
        }
    }
}
