use super::*;
use crate::model::{ConnectionKind, Diagram};

fn editor() -> Editor {
    Editor::new(Document::new(Diagram::new("Test")))
}

#[test]
fn add_connect_delete_each_undo_to_the_exact_previous_diagram() {
    let mut ed = editor();
    let mut snapshots = vec![ed.diagram().clone()];
    let api = ed
        .add_component(ComponentKind::Service, Point::new(0.0, 0.0))
        .unwrap();
    snapshots.push(ed.diagram().clone());
    let queue = ed
        .add_component(ComponentKind::Queue, Point::new(400.0, 0.0))
        .unwrap();
    snapshots.push(ed.diagram().clone());
    let link = ed.connect(api, queue).unwrap();
    assert_eq!(
        ed.diagram().connection(link).unwrap().kind,
        ConnectionKind::Publish
    );
    snapshots.push(ed.diagram().clone());
    ed.selection = [api].into();
    ed.delete_selection().unwrap();
    assert!(ed.diagram().connections.is_empty());
    let last = ed.diagram().clone();

    for expected in snapshots.iter().rev() {
        assert!(ed.undo().is_some());
        assert_eq!(ed.diagram(), expected);
    }
    assert!(ed.undo().is_none());
    for expected in snapshots.iter().skip(1) {
        assert!(ed.redo().is_some());
        assert_eq!(ed.diagram(), expected);
    }
    ed.redo();
    assert_eq!(ed.diagram(), &last);
}

#[test]
fn typing_a_name_is_one_undo_step() {
    let mut ed = editor();
    let id = ed
        .add_component(ComponentKind::Service, Point::default())
        .unwrap();
    let before = ed.diagram().clone();
    for name in ["O", "Or", "Ord", "Orders"] {
        ed.rename(id, name).unwrap();
    }
    ed.doc.end_gesture();
    assert_eq!(ed.diagram().component(id).unwrap().name, "Orders");
    assert_eq!(ed.undo().as_deref(), Some("Rename"));
    assert_eq!(ed.diagram(), &before);
    ed.redo();
    assert_eq!(ed.diagram().component(id).unwrap().name, "Orders");
}

#[test]
fn sealed_gestures_are_separate_steps() {
    let mut ed = editor();
    let id = ed
        .add_component(ComponentKind::Service, Point::default())
        .unwrap();
    ed.set_property(id, PropKey::Instances, PropValue::Count(2))
        .unwrap();
    ed.set_property(id, PropKey::Instances, PropValue::Count(3))
        .unwrap();
    ed.doc.end_gesture();
    ed.set_property(id, PropKey::Instances, PropValue::Count(4))
        .unwrap();
    ed.undo();
    assert_eq!(
        ed.diagram().component(id).unwrap().properties.instances,
        Some(3)
    );
    ed.undo();
    assert_eq!(
        ed.diagram().component(id).unwrap().properties.instances,
        Some(1)
    );
}

#[test]
fn dirty_flag_follows_history() {
    let mut ed = editor();
    assert!(!ed.doc.is_dirty());
    ed.add_component(ComponentKind::Cache, Point::default())
        .unwrap();
    assert!(ed.doc.is_dirty());
    ed.undo();
    assert!(!ed.doc.is_dirty(), "back at the unsaved start");
    ed.redo();
    ed.doc.mark_saved("/tmp/x.ron".into());
    assert!(!ed.doc.is_dirty());
    ed.undo();
    assert!(ed.doc.is_dirty(), "undo past the save point");
    ed.redo();
    assert!(!ed.doc.is_dirty());
}

#[test]
fn move_is_one_step_and_snaps_the_anchor() {
    let mut ed = editor();
    let a = ed
        .add_component(ComponentKind::Service, Point::new(100.0, 100.0))
        .unwrap();
    let b = ed
        .add_component(ComponentKind::Cache, Point::new(500.0, 100.0))
        .unwrap();
    let before = ed.diagram().clone();
    ed.selection = [a, b].into();
    ed.move_selection(33.0, 7.0).unwrap();
    let pa = ed.diagram().component(a).unwrap().position;
    let pb = ed.diagram().component(b).unwrap().position;
    assert_eq!(
        (pa.x % GRID, pa.y % GRID),
        (0.0, 0.0),
        "anchor lands on the grid"
    );
    let old_a = before.component(a).unwrap().position;
    let old_b = before.component(b).unwrap().position;
    assert_eq!(pb.x - old_b.x, pa.x - old_a.x, "others keep their offset");
    ed.undo();
    assert_eq!(ed.diagram(), &before);
}

#[test]
fn copy_paste_and_duplicate_make_fresh_ids_and_keep_inner_connections() {
    let mut ed = editor();
    let a = ed
        .add_component(ComponentKind::Service, Point::default())
        .unwrap();
    let b = ed
        .add_component(ComponentKind::RelationalDb, Point::new(400.0, 0.0))
        .unwrap();
    let c = ed
        .add_component(ComponentKind::Cache, Point::new(0.0, 400.0))
        .unwrap();
    ed.connect(a, b).unwrap();
    ed.connect(a, c).unwrap();
    ed.selection = [a, b].into();
    assert!(ed.copy_selection());
    ed.paste().unwrap();
    let d = ed.diagram();
    assert_eq!(d.components.len(), 5);
    assert_eq!(d.connections.len(), 3, "only the a→b connection travels");
    assert_eq!(ed.selection.len(), 3);
    assert!(ed.selection.iter().all(|id| id.0 > c.0));
    d.check_integrity().unwrap();

    ed.selection = [c].into();
    ed.duplicate_selection().unwrap();
    assert_eq!(ed.diagram().components.len(), 6);
    ed.undo();
    ed.undo();
    assert_eq!(ed.diagram().components.len(), 3);
}

#[test]
fn connect_twice_does_not_duplicate() {
    let mut ed = editor();
    let a = ed
        .add_component(ComponentKind::Service, Point::default())
        .unwrap();
    let b = ed
        .add_component(ComponentKind::Cache, Point::new(400.0, 0.0))
        .unwrap();
    let first = ed.connect(a, b).unwrap();
    let second = ed.connect(a, b).unwrap();
    assert_eq!(first, second);
    assert_eq!(ed.diagram().connections.len(), 1);
    assert!(ed.connect(a, a).is_err());
}

#[test]
fn fresh_names_count_up() {
    let mut ed = editor();
    ed.add_component(ComponentKind::Service, Point::default())
        .unwrap();
    ed.add_component(ComponentKind::Service, Point::default())
        .unwrap();
    let names: Vec<_> = ed
        .diagram()
        .components
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(names, vec!["Service", "Service 2"]);
}
