//! The session report as the app and `archboard report` write it: the
//! interview layer's Markdown with the design as a Mermaid block, the
//! questions the what-if scenarios raised, and (from the app) a PNG of the
//! design beside the report. `interview` sits below `export` and `sim`, so
//! the parts that need them are composed here.

use crate::export;
use crate::interview::{InterviewSession, Probe, ReportExtras, session_report_with};
use crate::model::Diagram;

#[cfg(test)]
use super::formats::ExportFormat;

/// The scale of the picture beside an exported report: the canvas's size,
/// which Markdown viewers show without scaling it down.
pub const REPORT_PNG_SCALE: f32 = 1.0;

/// The report of `diagram` and the interview `session` at `now_s`, with
/// `more_probes` (what the what-if scenarios raised) after the design's
/// own, and a link to `picture` (a file name beside the report) when the
/// caller wrote one.
pub fn session_report(
    diagram: &Diagram,
    session: &InterviewSession,
    now_s: f64,
    more_probes: &[Probe],
    picture: Option<&str>,
) -> String {
    let mermaid = export::mermaid(diagram);
    session_report_with(
        diagram,
        session,
        now_s,
        &ReportExtras {
            mermaid: Some(&mermaid),
            picture,
            more_probes,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_embeds_the_mermaid_of_the_design_and_links_the_picture() {
        let d = crate::templates::example::example_design();
        let report = session_report(
            &d,
            &InterviewSession::new(),
            0.0,
            &[],
            Some("Chat report.png"),
        );
        let mermaid = export::mermaid(&d);
        assert!(
            report.contains(&format!("```mermaid\n{}\n```", mermaid.trim_end())),
            "{report}"
        );
        assert!(
            report.contains("![The design](Chat%20report.png)"),
            "{report}"
        );
        let design = report.find("## Design").unwrap();
        let block = report.find("```mermaid").unwrap();
        let components = report.find("### Components").unwrap();
        assert!(
            design < block && block < components,
            "the picture and block open the design section"
        );
        let without = session_report(&d, &InterviewSession::new(), 0.0, &[], None);
        assert!(!without.contains("!["), "no picture, no link");
    }

    #[test]
    fn a_hostile_picture_name_cannot_break_out_of_the_link() {
        let d = Diagram::new("x");
        let report = session_report(
            &d,
            &InterviewSession::new(),
            0.0,
            &[],
            Some("a) <b>[c](d).png"),
        );
        assert!(
            report.contains("![The design](a%29%20%3Cb%3E%5Bc%5D%28d%29.png)"),
            "{report}"
        );
    }

    #[test]
    fn more_probes_are_listed_after_the_design_ones() {
        let d = crate::templates::example::example_design();
        let extra = Probe {
            key: "whatif:down:4:impact".to_owned(),
            source: crate::interview::ProbeSource::WhatIf,
            subject: crate::model::Subject::Design,
            subject_name: "Chat hub".to_owned(),
            question: "What happens to your users when Chat hub goes down?".to_owned(),
            hint: String::new(),
        };
        let report = session_report(&d, &InterviewSession::new(), 0.0, &[extra], None);
        let line = "**Chat hub** (what if): What happens to your users when Chat hub goes down?";
        assert!(report.contains(line), "{report}");
    }
}

/// The example report under `docs/`, kept in step with the code: the test
/// fails when the rendering changes, and `ARCHBOARD_BLESS=1 cargo test
/// example_report` rewrites the file.
#[cfg(test)]
mod example {
    use super::*;
    use crate::interview::Rating;
    use crate::model::{ConsistencyNeed, Decision, DecisionStatus, Subject};

    const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/example-export-report.md");
    /// The picture the app writes beside the report.
    const PICTURE: &str = "example-export-report.png";

    /// The starter chat design after a 40-minute mock interview.
    fn scenario() -> (Diagram, InterviewSession, f64) {
        let mut d = crate::templates::example::example_design();
        d.requirements
            .functional
            .push("Users see their last 30 days of history on any device".to_owned());
        let req = &mut d.requirements;
        req.daily_active_users = Some(5_000_000);
        req.requests_per_user_per_day = Some(40.0);
        req.peak_factor = Some(4.0);
        req.read_write_ratio = Some(3.0);
        req.payload_bytes = Some(1_000);
        req.retention_days = Some(365);
        req.latency_target_ms = Some(200);
        req.availability_percent = Some(99.9);
        req.consistency = ConsistencyNeed::Mixed;
        req.regions = Some(1);
        req.compliance = "GDPR: messages of EU users stay in the EU".to_owned();
        d.decisions.push(Decision {
            rule_id: "FAIL-009".to_owned(),
            subject: Subject::Component(crate::model::Id(4)),
            status: DecisionStatus::AcceptedTradeOff,
            note: "A practice build: one instance is fine until the hub scales out".to_owned(),
        });

        let mut session = InterviewSession::new();
        let t = &mut session.timer;
        t.start(0.0);
        t.next(6.0 * 60.0 + 20.0);
        t.next(10.0 * 60.0 + 5.0);
        t.next(27.0 * 60.0);
        t.next(39.0 * 60.0 + 30.0);
        t.pause(43.0 * 60.0);
        let mut rate = |key: &str, rating: Option<Rating>, note: &str| {
            let record = session.record_mut(key);
            record.asked = true;
            record.rating = rating;
            record.note = note.to_owned();
        };
        rate(
            "RT-001:component:3",
            Some(Rating::Strong),
            "Proposed a Redis backplane, then Azure SignalR Service to drop the sticky-session work",
        );
        rate(
            "MSG-001:component:6",
            Some(Rating::Partial),
            "Dead-letter queue yes; no plan for alerting on it or replaying from it",
        );
        rate(
            "FAIL-001:connection:16",
            Some(Rating::Missed),
            "Assumed the hub always answers; no timeout on delivery",
        );
        rate(
            "kind:DocumentDb:5",
            Some(Rating::Strong),
            "chatId spreads the load; raised very large group chats as a hot-partition risk unprompted",
        );
        rate("design:trade-offs", None, "");
        (d, session, 43.0 * 60.0)
    }

    #[test]
    fn example_report_in_docs_is_up_to_date() {
        let (d, session, now_s) = scenario();
        let probes = crate::interview::probes(&d);
        for key in session.records.keys() {
            assert!(
                probes.iter().any(|p| &p.key == key),
                "the scenario rates {key}, which the example design does not raise"
            );
        }
        let report = session_report(&d, &session, now_s, &[], Some(PICTURE));
        let picture = ExportFormat::Png
            .render(
                &d,
                &super::super::formats::app_export_options(ExportFormat::Png),
                REPORT_PNG_SCALE,
            )
            .unwrap();
        let picture_path = std::path::Path::new(PATH).with_file_name(PICTURE);
        if std::env::var_os("ARCHBOARD_BLESS").is_some() {
            std::fs::write(PATH, &report).unwrap();
            std::fs::write(&picture_path, &picture).unwrap();
        }
        let committed = std::fs::read_to_string(PATH).unwrap_or_default();
        assert!(
            committed == report,
            "docs/example-export-report.md is out of date; rerun with ARCHBOARD_BLESS=1"
        );
        assert!(
            std::fs::read(&picture_path).unwrap_or_default() == picture,
            "docs/{PICTURE} is out of date; rerun with ARCHBOARD_BLESS=1"
        );
    }
}
