use super::*;
use crate::model::edit::EditError;
use crate::model::{ComponentKind, ConnectionKind, Diagram, Id, Point, PropKey, PropValue};

fn session() -> Session {
    Session::new(Document::new(Diagram::new("Test")))
}

fn add(s: &mut Session, kind: ComponentKind, x: f32, y: f32) -> Id {
    s.execute(Command::AddComponent {
        kind,
        near: Point::new(x, y),
    })
    .unwrap()
    .created
    .unwrap()
}

fn select(s: &mut Session, ids: &[Id]) {
    s.execute(Command::Select(SelectionChange::Set(ids.to_vec())))
        .unwrap();
}

#[test]
fn add_connect_delete_each_undo_to_the_exact_previous_diagram() {
    let mut s = session();
    let mut snapshots = vec![s.diagram().clone()];
    let api = add(&mut s, ComponentKind::Service, 0.0, 0.0);
    snapshots.push(s.diagram().clone());
    let queue = add(&mut s, ComponentKind::Queue, 400.0, 0.0);
    snapshots.push(s.diagram().clone());
    let link = s
        .execute(Command::Connect {
            from: api,
            to: queue,
        })
        .unwrap()
        .created
        .unwrap();
    assert_eq!(
        s.diagram().connection(link).unwrap().kind,
        ConnectionKind::Publish
    );
    snapshots.push(s.diagram().clone());
    select(&mut s, &[api]);
    s.execute(Command::DeleteSelection).unwrap();
    assert!(s.diagram().connections.is_empty());
    let last = s.diagram().clone();

    for expected in snapshots.iter().rev() {
        s.execute(Command::Undo).unwrap();
        assert_eq!(s.diagram(), expected);
    }
    assert_eq!(
        s.execute(Command::Undo),
        Err(CommandError::History(HistoryError::NothingToUndo))
    );
    for expected in snapshots.iter().skip(1) {
        s.execute(Command::Redo).unwrap();
        assert_eq!(s.diagram(), expected);
    }
    s.execute(Command::Redo).unwrap();
    assert_eq!(s.diagram(), &last);
}

#[test]
fn typing_a_name_is_one_undo_step() {
    let mut s = session();
    let id = add(&mut s, ComponentKind::Service, 0.0, 0.0);
    let before = s.diagram().clone();
    for name in ["O", "Or", "Ord", "Orders"] {
        s.execute(Command::Rename {
            id,
            text: name.into(),
        })
        .unwrap();
    }
    s.execute(Command::EndGesture).unwrap();
    assert_eq!(s.diagram().component(id).unwrap().name, "Orders");
    assert_eq!(s.undo_label(), Some("Rename"));
    s.execute(Command::Undo).unwrap();
    assert_eq!(s.diagram(), &before);
    s.execute(Command::Redo).unwrap();
    assert_eq!(s.diagram().component(id).unwrap().name, "Orders");
}

#[test]
fn sealed_gestures_are_separate_steps() {
    let mut s = session();
    let id = add(&mut s, ComponentKind::Service, 0.0, 0.0);
    let set = |s: &mut Session, n| {
        s.execute(Command::SetProperty {
            id,
            key: PropKey::Instances,
            value: PropValue::Count(n),
        })
        .unwrap();
    };
    set(&mut s, 2);
    set(&mut s, 3);
    s.execute(Command::EndGesture).unwrap();
    set(&mut s, 4);
    s.execute(Command::Undo).unwrap();
    let instances = |s: &Session| s.diagram().component(id).unwrap().properties.instances;
    assert_eq!(instances(&s), Some(3));
    s.execute(Command::Undo).unwrap();
    assert_eq!(instances(&s), Some(1));
}

#[test]
fn dirty_flag_follows_history() {
    let mut s = session();
    assert!(!s.is_dirty());
    add(&mut s, ComponentKind::Cache, 0.0, 0.0);
    assert!(s.is_dirty());
    s.execute(Command::Undo).unwrap();
    assert!(!s.is_dirty(), "back at the unsaved start");
    s.execute(Command::Redo).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.ron");
    s.execute(Command::File(FileCommand::SaveTo(path))).unwrap();
    assert!(!s.is_dirty());
    s.execute(Command::Undo).unwrap();
    assert!(s.is_dirty(), "undo past the save point");
    s.execute(Command::Redo).unwrap();
    assert!(!s.is_dirty());
}

#[test]
fn move_is_one_step_and_snaps_the_anchor() {
    let mut s = session();
    let a = add(&mut s, ComponentKind::Service, 100.0, 100.0);
    let b = add(&mut s, ComponentKind::Cache, 500.0, 100.0);
    let before = s.diagram().clone();
    select(&mut s, &[a, b]);
    s.execute(Command::MoveSelection { dx: 33.0, dy: 7.0 })
        .unwrap();
    let pa = s.diagram().component(a).unwrap().position;
    let pb = s.diagram().component(b).unwrap().position;
    assert_eq!(
        (pa.x % GRID, pa.y % GRID),
        (0.0, 0.0),
        "anchor lands on the grid"
    );
    let old_a = before.component(a).unwrap().position;
    let old_b = before.component(b).unwrap().position;
    assert_eq!(pb.x - old_b.x, pa.x - old_a.x, "others keep their offset");
    s.execute(Command::Undo).unwrap();
    assert_eq!(s.diagram(), &before);
}

#[test]
fn copy_paste_and_duplicate_make_fresh_ids_and_keep_inner_connections() {
    let mut s = session();
    let a = add(&mut s, ComponentKind::Service, 0.0, 0.0);
    let b = add(&mut s, ComponentKind::RelationalDb, 400.0, 0.0);
    let c = add(&mut s, ComponentKind::Cache, 0.0, 400.0);
    s.execute(Command::Connect { from: a, to: b }).unwrap();
    s.execute(Command::Connect { from: a, to: c }).unwrap();
    select(&mut s, &[a, b]);
    s.execute(Command::Copy).unwrap();
    s.execute(Command::Paste).unwrap();
    let d = s.diagram();
    assert_eq!(d.components.len(), 5);
    assert_eq!(d.connections.len(), 3, "only the a→b connection travels");
    assert_eq!(s.selection().len(), 3);
    assert!(s.selection().iter().all(|id| id.0 > c.0));
    d.check_integrity().unwrap();

    select(&mut s, &[c]);
    s.execute(Command::Duplicate).unwrap();
    assert_eq!(s.diagram().components.len(), 6);
    s.execute(Command::Undo).unwrap();
    s.execute(Command::Undo).unwrap();
    assert_eq!(s.diagram().components.len(), 3);
}

#[test]
fn connect_twice_does_not_duplicate() {
    let mut s = session();
    let a = add(&mut s, ComponentKind::Service, 0.0, 0.0);
    let b = add(&mut s, ComponentKind::Cache, 400.0, 0.0);
    let connect = |s: &mut Session, from, to| s.execute(Command::Connect { from, to });
    let first = connect(&mut s, a, b).unwrap().created;
    let second = connect(&mut s, a, b).unwrap().created;
    assert_eq!(first, second);
    assert_eq!(s.diagram().connections.len(), 1);
    assert!(connect(&mut s, a, a).is_err());
}

#[test]
fn fresh_names_count_up_and_new_cards_do_not_overlap() {
    let mut s = session();
    add(&mut s, ComponentKind::Service, 0.0, 0.0);
    add(&mut s, ComponentKind::Service, 0.0, 0.0);
    let d = s.diagram();
    let names: Vec<_> = d.components.iter().map(|c| c.name.clone()).collect();
    assert_eq!(names, vec!["Service", "Service 2"]);
    assert!(!d.components[0].rect().intersects(d.components[1].rect()));
}

#[test]
fn undo_and_redo_restore_the_selection_of_their_step() {
    let mut s = session();
    let a = add(&mut s, ComponentKind::Service, 0.0, 0.0);
    let b = add(&mut s, ComponentKind::Cache, 400.0, 0.0);
    select(&mut s, &[a, b]);
    s.execute(Command::MoveSelection { dx: 40.0, dy: 0.0 })
        .unwrap();
    s.execute(Command::Select(SelectionChange::Clear)).unwrap();
    s.execute(Command::Undo).unwrap();
    assert_eq!(
        s.selection().iter().copied().collect::<Vec<_>>(),
        vec![a, b],
        "undoing the move selects what was moved"
    );
    select(&mut s, &[a]);
    s.execute(Command::DeleteSelection).unwrap();
    assert!(s.selection().is_empty());
    s.execute(Command::Undo).unwrap();
    assert!(s.is_selected(a), "the deleted card comes back selected");
    s.execute(Command::Redo).unwrap();
    assert!(
        s.selection().is_empty(),
        "redo restores the selection after"
    );
}

#[test]
fn a_failed_undo_keeps_its_entry_and_changes_nothing() {
    // A file whose connection runs from a component to itself: removing the
    // component removes the connection, and putting it back is refused.
    let mut d = Diagram::new("Broken");
    let mut s = session();
    let a = add(&mut s, ComponentKind::Service, 0.0, 0.0);
    d.components = s.diagram().components.clone();
    d.connections.push(crate::model::Connection {
        id: Id(50),
        from: a,
        to: a,
        kind: ConnectionKind::Request,
        label: String::new(),
        policy: Default::default(),
        idempotent: false,
    });
    d.next_id = 51;
    let mut s = Session::new(Document::new(d));
    select(&mut s, &[a]);
    s.execute(Command::DeleteSelection).unwrap();
    let after_delete = s.diagram().clone();
    let dirty = s.is_dirty();
    let err = s.execute(Command::Undo).unwrap_err();
    assert!(err.to_string().contains("cannot be undone"), "{err}");
    assert_eq!(s.diagram(), &after_delete);
    assert_eq!(s.is_dirty(), dirty);
    assert_eq!(s.undo_label(), Some("Delete item"), "the entry stays");
}

#[test]
fn replacing_the_document_gives_a_new_identity_and_fresh_findings() {
    let starter = crate::templates::find("realtime-chat-starter")
        .unwrap()
        .diagram()
        .unwrap();
    let mut s = Session::new(Document::new(starter));
    let before = s.key();
    assert!(!s.findings().is_empty());
    s.execute(Command::File(FileCommand::New)).unwrap();
    assert_ne!(s.key().document, before.document);
    assert_eq!(s.key().revision, before.revision, "both start at 1");
    assert!(s.findings().is_empty(), "an empty design has no findings");
    assert!(s.probes().iter().all(|p| p.subject.id().is_none()));
}

#[test]
fn the_command_log_sees_each_command_with_an_inverse_that_restores() {
    let mut s = session();
    let log = s.subscribe();
    let before = s.diagram().clone();
    let a = add(&mut s, ComponentKind::Service, 0.0, 0.0);
    select(&mut s, &[a]);
    s.execute(Command::Undo).unwrap();
    s.execute(Command::Redo).unwrap();
    let entries: Vec<_> = log.try_iter().collect();
    let kinds: Vec<_> = entries.iter().map(|e| e.command.clone()).collect();
    assert_eq!(
        kinds,
        vec![
            Command::AddComponent {
                kind: ComponentKind::Service,
                near: Point::new(0.0, 0.0)
            },
            Command::Undo,
            Command::Redo,
        ],
        "selection changes are local view state and stay out of the log"
    );
    assert!(entries.windows(2).all(|w| w[0].seq + 1 == w[1].seq));
    let Change::Diagram { inverse, .. } = &entries[0].change else {
        panic!("an add changes the diagram");
    };
    let mut replay = s.diagram().clone();
    inverse.clone().apply(&mut replay).unwrap();
    assert_eq!(replay, before);
}

#[test]
fn presenting_locks_the_design_and_remote_viewers_cannot_edit() {
    let mut s = session();
    let a = add(&mut s, ComponentKind::Service, 0.0, 0.0);
    s.execute(Command::Present(PresentCommand::Enter)).unwrap();
    assert_eq!(
        s.execute(Command::Delete(vec![a])),
        Err(CommandError::Presenting)
    );
    s.execute(Command::Present(PresentCommand::Leave)).unwrap();
    assert_eq!(
        s.execute_from(Origin::Remote(1), Command::Delete(vec![a])),
        Err(CommandError::NotAllowed)
    );
    assert!(s.diagram().component(a).is_some());
}

#[test]
fn quick_fix_and_decisions_go_through_the_door() {
    let mut s = session();
    let q = add(&mut s, ComponentKind::Queue, 0.0, 0.0);
    let subject = crate::model::Subject::Component(q);
    let finding = s
        .findings()
        .iter()
        .find(|f| f.subject == subject && f.fix.is_some())
        .unwrap()
        .rule
        .id
        .to_owned();
    s.execute(Command::ApplyFix {
        rule_id: finding.clone(),
        subject,
    })
    .unwrap();
    assert!(
        !s.findings()
            .iter()
            .any(|f| f.rule.id == finding && f.subject == subject),
        "the fix closes the finding"
    );
    assert!(
        s.execute(Command::ApplyFix {
            rule_id: finding,
            subject
        })
        .is_err(),
        "a closed finding has no fix to apply"
    );
    let open = s.findings().first().unwrap().clone();
    s.execute(Command::AcceptFinding {
        rule_id: open.rule.id.into(),
        subject: open.subject,
        note: "fine".into(),
    })
    .unwrap();
    assert!(s.diagram().decision(open.rule.id, open.subject).is_some());
    s.execute(Command::Undo).unwrap();
    assert!(s.diagram().decision(open.rule.id, open.subject).is_none());
}

#[test]
fn interviewer_pins_and_curveballs_survive_the_candidates_undo() {
    let mut s = session();
    let api = add(&mut s, ComponentKind::Service, 0.0, 0.0);
    let log = s.subscribe();
    s.execute_from(
        Origin::Remote(4),
        Command::PinComment {
            component: api,
            text: "What if this service is slow?".to_owned(),
            author: "Ada".to_owned(),
        },
    )
    .unwrap();
    s.execute_from(
        Origin::Remote(4),
        Command::ThrowCurveball {
            kind: crate::interview::CurveballKind::TrafficSurge,
            detail: "Black Friday".to_owned(),
            author: "Ada".to_owned(),
        },
    )
    .unwrap();
    let entries: Vec<_> = log.try_iter().collect();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e.origin == Origin::Remote(4)));
    assert!(entries.iter().all(|e| e.change == Change::None));

    // The candidate keeps working and undoes everything they did.
    let db = add(&mut s, ComponentKind::RelationalDb, 400.0, 0.0);
    s.execute(Command::Connect { from: api, to: db }).unwrap();
    s.execute(Command::Undo).unwrap();
    s.execute(Command::Undo).unwrap();
    assert_eq!(
        s.execute(Command::Undo).map(|_| ()),
        Ok(()),
        "the add of the first card is still undoable"
    );
    assert_eq!(
        s.execute(Command::Undo),
        Err(CommandError::History(HistoryError::NothingToUndo))
    );
    assert_eq!(s.interview().comments.len(), 1);
    assert_eq!(s.interview().comments[0].component, api);
    assert_eq!(s.interview().comments[0].author, "Ada");
    assert_eq!(s.interview().open_curveballs().count(), 1);

    // The candidate resolves the comment and dismisses the banner locally.
    let id = s.interview().comments[0].id;
    s.execute(Command::ResolveComment { id, resolved: true })
        .unwrap();
    let ball = s.interview().curveballs[0].id;
    s.execute(Command::DismissCurveball { id: ball }).unwrap();
    assert_eq!(s.interview().open_comments().count(), 0);
    assert_eq!(s.interview().open_curveballs().count(), 0);
}

#[test]
fn remote_viewers_may_comment_but_not_on_nothing_and_not_edit() {
    let mut s = session();
    let api = add(&mut s, ComponentKind::Service, 0.0, 0.0);
    let before = s.diagram().clone();
    assert_eq!(
        s.execute_from(
            Origin::Remote(1),
            Command::PinComment {
                component: Id(999),
                text: "Hello".to_owned(),
                author: "Ada".to_owned(),
            },
        ),
        Err(CommandError::Edit(EditError::UnknownId(Id(999))))
    );
    assert_eq!(
        s.execute_from(
            Origin::Remote(1),
            Command::Rename {
                id: api,
                text: "x".to_owned()
            }
        ),
        Err(CommandError::NotAllowed)
    );
    assert_eq!(
        s.execute_from(
            Origin::Remote(1),
            Command::ResolveComment {
                id: 5,
                resolved: true
            }
        ),
        Err(CommandError::Remote(
            crate::interview::RemoteError::UnknownId(5)
        ))
    );
    assert_eq!(s.diagram(), &before);
    assert!(s.interview().comments.is_empty());
    // Comments are allowed while presenting (they do not edit the design).
    s.execute(Command::Present(PresentCommand::Enter)).unwrap();
    s.execute_from(
        Origin::Remote(1),
        Command::PinComment {
            component: api,
            text: "Hello".to_owned(),
            author: "Ada".to_owned(),
        },
    )
    .unwrap();
    assert_eq!(s.interview().comments.len(), 1);
}

fn reference(name: &str) -> Session {
    let diagram = crate::templates::find(name).unwrap().diagram().unwrap();
    Session::new(Document::new(diagram))
}

fn component_named(s: &Session, name: &str) -> Id {
    s.diagram()
        .components
        .iter()
        .find(|c| c.name == name)
        .unwrap()
        .id
}

#[test]
fn what_if_is_view_state_logged_for_recordings_and_never_an_edit() {
    use crate::sim::{Scenario, Verdict};
    let mut s = reference("realtime-chat-reference");
    let log = s.subscribe();
    let design = s.diagram().clone();
    let key = s.key();
    let queue = component_named(&s, "Message events");
    let scenario = Scenario::down(queue);
    s.execute(Command::WhatIf(WhatIfCommand::Run(scenario)))
        .unwrap();
    let whatif = s.whatif().unwrap();
    assert_eq!(whatif.scenario(), scenario);
    let outcome = whatif.outcome().unwrap();
    assert_eq!(outcome.scenario, scenario);
    assert_eq!(outcome.worst(), Verdict::Fails);
    assert_eq!(s.key(), key, "the document did not change");
    assert_eq!(s.diagram(), &design);
    assert_eq!(s.undo_label(), None);
    assert!(!s.is_dirty());
    // The log carries the scenario for a recording.
    let entry = log.try_recv().unwrap();
    assert_eq!(entry.command, Command::WhatIf(WhatIfCommand::Run(scenario)));
    assert_eq!(entry.change, Change::None);

    s.execute(Command::WhatIf(WhatIfCommand::Leave)).unwrap();
    assert!(s.whatif().is_none());
    assert_eq!(s.diagram(), &design);
    assert_eq!(s.undo_label(), None);
    assert_eq!(
        log.try_recv().unwrap().command,
        Command::WhatIf(WhatIfCommand::Leave)
    );
}

#[test]
fn a_scenario_that_does_not_fit_is_refused_and_one_an_edit_breaks_is_dropped() {
    use crate::sim::Scenario;
    let mut s = reference("url-shortener-reference");
    let err = s
        .execute(Command::WhatIf(WhatIfCommand::Run(Scenario::down(Id(
            9_999,
        )))))
        .unwrap_err();
    assert!(matches!(err, CommandError::Scenario(_)), "{err:?}");
    assert!(s.whatif().is_none());
    let region = s.diagram().groups[0].id;
    assert!(
        s.execute(Command::WhatIf(WhatIfCommand::Run(Scenario::zone(region))))
            .is_err(),
        "a region is not a zone"
    );

    let cache = component_named(&s, "Redis code cache");
    s.execute(Command::WhatIf(WhatIfCommand::Run(
        Scenario::down(cache).with_traffic(3.0),
    )))
    .unwrap();
    // Editing while the mode is on recomputes; deleting the failed card
    // drops the failure and keeps the traffic.
    s.execute(Command::Delete(vec![cache])).unwrap();
    let whatif = s.whatif().unwrap();
    assert_eq!(whatif.scenario(), Scenario::traffic(3.0));
    assert!(whatif.outcome().unwrap().component(cache).is_none());
    assert!(s.status().unwrap().is_error);
    s.execute(Command::Undo).unwrap();
    assert!(
        s.whatif()
            .unwrap()
            .outcome()
            .unwrap()
            .component(cache)
            .is_some()
    );
}

#[test]
fn a_scenario_adds_its_questions_and_keeps_the_rated_ones() {
    use crate::interview::{ProbeRecord, ProbeSource, Rating};
    use crate::sim::Scenario;
    let mut s = reference("realtime-chat-reference");
    let own = s.probes().len();
    let queue = component_named(&s, "Message events");
    s.execute(Command::WhatIf(WhatIfCommand::Run(Scenario::down(queue))))
        .unwrap();
    let impact = format!("whatif:down:{}:impact", queue.0);
    let added: Vec<_> = s.probes()[own..].to_vec();
    assert!(!added.is_empty());
    assert!(added.iter().all(|p| p.source == ProbeSource::WhatIf));
    assert!(added.iter().any(|p| p.key == impact));
    assert_eq!(s.scenario_probes(), &added[..]);

    // Rated, then another scenario: the rated question stays, the others go.
    s.execute(Command::RateProbe {
        key: impact.clone(),
        record: ProbeRecord {
            asked: true,
            rating: Some(Rating::Partial),
            note: String::new(),
        },
    })
    .unwrap();
    s.execute(Command::WhatIf(WhatIfCommand::Run(Scenario::traffic(10.0))))
        .unwrap();
    let keys: Vec<&str> = s.probes()[own..].iter().map(|p| p.key.as_str()).collect();
    assert!(keys.contains(&impact.as_str()), "{keys:?}");
    assert!(
        keys.iter().any(|k| k.starts_with("whatif:traffic:10:")),
        "{keys:?}"
    );
    assert!(
        !keys
            .iter()
            .any(|k| k.starts_with(&format!("whatif:down:{}:", queue.0)) && *k != impact),
        "unrated questions of the earlier scenario are not kept: {keys:?}"
    );
    // Leaving keeps the rated one (it is in the report), not the rest.
    s.execute(Command::WhatIf(WhatIfCommand::Leave)).unwrap();
    let keys: Vec<&str> = s.probes()[own..].iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, [impact.as_str()]);
    // The baseline raises nothing.
    s.execute(Command::WhatIf(WhatIfCommand::Run(Scenario::baseline())))
        .unwrap();
    assert_eq!(s.whatif().unwrap().probes(), &[]);
}

#[test]
fn presenting_ends_what_if_mode_and_refuses_it() {
    use crate::sim::Scenario;
    let mut s = reference("url-shortener-reference");
    s.execute(Command::WhatIf(WhatIfCommand::Run(Scenario::traffic(2.0))))
        .unwrap();
    s.execute(Command::Present(PresentCommand::Enter)).unwrap();
    assert!(s.whatif().is_none());
    assert_eq!(
        s.execute(Command::WhatIf(WhatIfCommand::Run(Scenario::baseline()))),
        Err(CommandError::Presenting)
    );
}

#[test]
fn importing_mermaid_asks_first_and_cancel_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let mmd = dir.path().join("flow.mmd");
    std::fs::write(&mmd, "flowchart LR\n  a[Web] --> b[Orders API]\n").unwrap();
    let mut s = session();
    add(&mut s, ComponentKind::Cache, 0.0, 0.0);
    let edited = s.diagram().clone();
    s.execute(Command::File(FileCommand::ImportMermaidFrom(mmd.clone())))
        .unwrap();
    assert_eq!(s.prompt().unwrap().reason(), "before importing a design");
    s.execute(Command::File(FileCommand::Answer(PromptAnswer::Cancel)))
        .unwrap();
    assert_eq!(s.diagram(), &edited);
    // A later Discard of some other question cannot bring the import back.
    s.execute(Command::File(FileCommand::New)).unwrap();
    s.execute(Command::File(FileCommand::Answer(PromptAnswer::Discard)))
        .unwrap();
    assert!(s.diagram().components.is_empty());

    s.execute(Command::File(FileCommand::ImportMermaidFrom(mmd)))
        .unwrap();
    let names: Vec<&str> = s
        .diagram()
        .components
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["Web", "Orders API"], "nothing unsaved: no question");
    assert!(!s.is_dirty());
    assert_eq!(s.undo_label(), None);
}

#[test]
fn a_missing_or_huge_mermaid_file_is_a_file_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session();
    let err = s
        .execute(Command::File(FileCommand::ImportMermaidFrom(
            dir.path().join("missing.mmd"),
        )))
        .unwrap_err();
    assert!(err.is_file_error());
    assert!(err.to_string().contains("missing.mmd"), "{err}");
    let huge = dir.path().join("huge.mmd");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(crate::export::MERMAID_MAX_BYTES as u64 + 1)
        .unwrap();
    let err = s
        .execute(Command::File(FileCommand::ImportMermaidFrom(huge)))
        .unwrap_err();
    assert!(err.to_string().contains("larger than 4 MB"), "{err}");
}

#[test]
fn a_new_design_keeps_nothing_of_the_last_scenario() {
    use crate::interview::{ProbeRecord, ProbeSource, Rating};
    use crate::sim::Scenario;
    let mut s = reference("realtime-chat-reference");
    let queue = component_named(&s, "Message events");
    s.execute(Command::WhatIf(WhatIfCommand::Run(Scenario::down(queue))))
        .unwrap();
    // A rated question is the one that outlives a change of scenario.
    let impact = format!("whatif:down:{}:impact", queue.0);
    s.execute(Command::RateProbe {
        key: impact,
        record: ProbeRecord {
            asked: true,
            rating: Some(Rating::Strong),
            note: "named the outbox".to_owned(),
        },
    })
    .unwrap();
    for replace in [
        Command::File(FileCommand::New),
        Command::File(FileCommand::NewFromTemplate(
            "url-shortener-reference".to_owned(),
        )),
    ] {
        s.execute(Command::WhatIf(WhatIfCommand::Run(Scenario::down(queue))))
            .ok();
        s.execute(replace).unwrap();
        assert!(s.whatif().is_none());
        assert_eq!(s.scenario_probes(), &[]);
        assert!(
            s.probes().iter().all(|p| p.source != ProbeSource::WhatIf),
            "a question about the old design's Message events stays: {:?}",
            s.probes()
                .iter()
                .filter(|p| p.source == ProbeSource::WhatIf)
                .map(|p| &p.key)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_session_report_never_replaces_the_design_file() {
    let dir = tempfile::tempdir().unwrap();
    let design = dir.path().join("chat.ron");
    let mut s = reference("realtime-chat-reference");
    s.execute(Command::File(FileCommand::SaveTo(design.clone())))
        .unwrap();
    let saved = std::fs::read(&design).unwrap();
    let err = s
        .execute(Command::File(FileCommand::ExportReport(design.clone())))
        .unwrap_err();
    assert!(err.is_file_error(), "{err:?}");
    assert!(err.to_string().contains("own file"), "{err}");
    assert_eq!(std::fs::read(&design).unwrap(), saved);
    assert!(!dir.path().join("chat.png").exists(), "no picture either");
}

#[cfg(unix)]
#[test]
fn a_fifo_given_as_the_mermaid_file_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.mmd");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let mut s = session();
    add(&mut s, ComponentKind::Cache, 0.0, 0.0);
    let before = s.diagram().clone();
    // On a thread, so a hang fails the test instead of stalling the run.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let result = s.execute(Command::File(FileCommand::ImportMermaidFrom(fifo)));
        tx.send((
            result.map(|_| ()),
            s.diagram().clone(),
            s.prompt().is_none(),
        ))
        .unwrap();
    });
    let (result, after, no_question) = rx
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("the import waited on the FIFO");
    let err = result.unwrap_err();
    assert!(err.is_file_error(), "{err:?}");
    assert!(err.to_string().contains("pipe.mmd"), "{err}");
    assert_eq!(after, before);
    assert!(no_question);
}

#[test]
fn undo_right_after_an_import_keeps_the_imported_design() {
    let dir = tempfile::tempdir().unwrap();
    let mmd = dir.path().join("flow.mmd");
    std::fs::write(&mmd, "flowchart LR\n  a[Web] --> b[Orders API]\n").unwrap();
    let mut s = session();
    s.execute(Command::File(FileCommand::ImportMermaidFrom(mmd)))
        .unwrap();
    let imported = s.diagram().clone();
    assert_eq!(imported.components.len(), 2);
    // Nothing to undo: the import is not an edit of the old design.
    s.execute(Command::Undo).ok();
    assert_eq!(s.diagram(), &imported);
    // An edit on it undoes like any other.
    add(&mut s, ComponentKind::Queue, 400.0, 0.0);
    s.execute(Command::Undo).unwrap();
    assert_eq!(s.diagram(), &imported);
}

#[test]
fn an_interviewers_curveball_runs_the_matching_scenario() {
    use crate::interview::CurveballKind;
    use crate::model::GroupKind;
    use crate::sim::{Failure, Scenario};
    let throw = |s: &mut Session, kind, detail: &str| {
        s.execute(Command::ThrowCurveball {
            kind,
            detail: detail.to_owned(),
            author: "Interviewer".to_owned(),
        })
        .unwrap();
        s.whatif().map(|w| w.scenario())
    };
    let mut s = reference("order-processing-reference");
    let design = s.diagram().clone();
    assert_eq!(
        throw(&mut s, CurveballKind::TrafficSurge, ""),
        Some(Scenario::traffic(10.0))
    );
    let region = s
        .diagram()
        .groups
        .iter()
        .find(|g| g.kind == GroupKind::Region)
        .unwrap()
        .id;
    assert_eq!(
        throw(&mut s, CurveballKind::RegionDown, "North Europe is out"),
        Some(Scenario::region(region).with_traffic(10.0)),
        "the failure joins the traffic already shown"
    );
    // The dependency the interviewer names, else the first external one.
    let carrier = component_named(&s, "Carrier API");
    assert_eq!(
        throw(
            &mut s,
            CurveballKind::DependencyFails,
            "the carrier api times out"
        )
        .and_then(|w| w.failure),
        Some(Failure::Down(carrier))
    );
    let payment = component_named(&s, "Payment provider");
    assert_eq!(
        throw(&mut s, CurveballKind::DependencyFails, "").and_then(|w| w.failure),
        Some(Failure::Down(payment))
    );
    // A new requirement is no scenario: what is shown stays.
    assert_eq!(
        throw(&mut s, CurveballKind::NewRequirement, "add refunds").and_then(|w| w.failure),
        Some(Failure::Down(payment))
    );
    assert_eq!(s.diagram(), &design, "a curveball never edits the design");
    assert_eq!(s.undo_label(), None);

    // A design without a cache: the banner only.
    let mut s = session();
    assert_eq!(throw(&mut s, CurveballKind::ColdCache, ""), None);
}
