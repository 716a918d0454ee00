use super::*;
use crate::model::COMPONENT_SIZE;

fn apply(diagram: &Diagram, tidy: &Tidy) -> Diagram {
    let mut after = diagram.clone();
    tidy.edit(diagram).apply(&mut after).unwrap();
    after
}

fn assert_no_overlapping_cards(d: &Diagram, name: &str) {
    let rects: Vec<Rect> = d.components.iter().map(|c| c.rect()).collect();
    for (i, a) in rects.iter().enumerate() {
        for b in &rects[i + 1..] {
            let apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            assert!(apart, "{name}: cards overlap: {a:?} {b:?}");
        }
    }
}

#[test]
fn every_template_tidies_without_overlaps_and_keeps_groups_around_their_members() {
    for t in crate::templates::all() {
        let d = t.diagram().unwrap();
        let before = membership(&d);
        let tidy = tidy(&d, None);
        assert_eq!(tidy.positions.len(), d.components.len(), "{}", t.name);
        let after = apply(&d, &tidy);
        assert_no_overlapping_cards(&after, t.name);
        for (component, group) in &before.component_parent {
            let g = after.group(*group).unwrap();
            let c = after.component(*component).unwrap();
            assert!(
                g.rect.contains_rect(c.rect()),
                "{}: {} left {}",
                t.name,
                c.name,
                g.label
            );
        }
        for (child, parent) in &before.group_parent {
            let (c, p) = (after.group(*child).unwrap(), after.group(*parent).unwrap());
            assert!(
                p.rect.contains_rect(c.rect),
                "{}: {} left {}",
                t.name,
                c.label,
                p.label
            );
        }
        // The same membership afterwards: groups did not swallow others' members.
        assert_eq!(membership(&after), before, "{}", t.name);
        assert_eq!(after.notes, d.notes, "notes stay where they are");
        for n in &after.notes {
            for c in &after.components {
                assert!(
                    !overlap(n.rect, c.rect()),
                    "{}: {} is under a note",
                    t.name,
                    c.name
                );
            }
        }
        // Deterministic, and one undo step restores the design.
        assert_eq!(super::tidy(&d, None), tidy);
        let mut undone = d.clone();
        let inverse = tidy.edit(&d).apply(&mut undone).unwrap();
        inverse.apply(&mut undone).unwrap();
        assert_eq!(undone, d);
    }
}

#[test]
fn the_data_flow_runs_left_to_right() {
    let d = crate::templates::find("url-shortener-starter")
        .unwrap()
        .diagram()
        .unwrap();
    let after = apply(&d, &tidy(&d, None));
    let forward = after
        .connections
        .iter()
        .filter(|c| {
            let (a, b) = (
                after.component(c.from).unwrap(),
                after.component(c.to).unwrap(),
            );
            a.position.x < b.position.x
        })
        .count();
    assert!(
        forward * 2 > after.connections.len(),
        "{forward} of {}",
        after.connections.len()
    );
}

#[test]
fn a_subset_moves_only_itself_and_lands_on_no_other_card() {
    let d = crate::templates::find("order-processing-starter")
        .unwrap()
        .diagram()
        .unwrap();
    let ids: Vec<Id> = d.components.iter().take(3).map(|c| c.id).collect();
    let tidy = tidy(&d, Some(&ids));
    let moved: Vec<Id> = tidy.positions.iter().map(|(id, _)| *id).collect();
    assert_eq!(moved, ids);
    let after = apply(&d, &tidy);
    for c in &d.components {
        if !ids.contains(&c.id) {
            assert_eq!(after.component(c.id).unwrap().position, c.position);
        }
    }
    assert_no_overlapping_cards(&after, "subset");
}

#[test]
fn a_selected_group_brings_its_members_and_is_sized_to_them() {
    let (d, members, group, inside) = crate::templates::all()
        .iter()
        .find_map(|t| {
            let d = t.diagram().unwrap();
            let members = membership(&d);
            let (group, inside) = d
                .groups
                .iter()
                .map(|g| (g.id, members.members_of(g.id).0))
                .find(|(_, c)| c.len() >= 2)?;
            Some((d, members, group, inside))
        })
        .unwrap();
    let tidy = tidy(&d, Some(&[group]));
    for id in &inside {
        assert!(tidy.positions.iter().any(|(m, _)| m == id));
    }
    let rect = tidy.groups.iter().find(|(g, _)| *g == group).unwrap().1;
    let after = apply(&d, &tidy);
    let union = inside
        .iter()
        .map(|id| after.component(*id).unwrap().rect())
        .reduce(Rect::union)
        .unwrap();
    assert!(rect.contains_rect(union));
    // Sized to its contents: no more than the padding around them.
    assert!(rect.w <= union.w + 2.0 * GROUP_PAD + 0.5 || !members.members_of(group).1.is_empty());
}

#[test]
fn nothing_to_lay_out_gives_an_empty_tidy() {
    let d = Diagram::new("Empty");
    assert!(tidy(&d, None).is_empty());
    let one = crate::templates::find("url-shortener-starter")
        .unwrap()
        .diagram()
        .unwrap();
    assert!(tidy(&one, Some(&[])).is_empty());
    let _ = COMPONENT_SIZE;
}
