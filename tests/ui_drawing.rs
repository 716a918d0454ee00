//! Drawing at the speed of talking, through the real UI: the command
//! palette, Tab to add a connected card, Tidy up, a property edited on
//! several cards at once and every quick fix of a category applied at
//! once. Each multi-item change must undo in one step.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_common;

use archboard::app::Document;
use archboard::catalog::ComponentKind;
use archboard::model::{ConnectionKind, Diagram, Id, Point, PropKey, PropValue};
use archboard::ui::ArchboardApp;
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ui_common::{harness, harness_on, undo};

/// Three unconnected cards: a gateway, a service and a database.
fn small_design() -> Diagram {
    ui_common::cards(
        "Drawing test",
        &[
            (ComponentKind::ApiGateway, "Edge gateway", 0.0, 0.0),
            (ComponentKind::Service, "Orders API", 0.0, 300.0),
            (ComponentKind::RelationalDb, "Orders DB", 900.0, 600.0),
        ],
    )
}

fn id_of(h: &Harness<'_, ArchboardApp>, name: &str) -> Id {
    h.state()
        .session
        .diagram()
        .components
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no card named {name}"))
        .id
}

/// The selected ids, in order.
fn sel(h: &Harness<'_, ArchboardApp>) -> Vec<Id> {
    h.state().session.selection().iter().copied().collect()
}

fn select(h: &mut Harness<'_, ArchboardApp>, name: &str) {
    h.get_by_label(name).click();
    h.run();
    let id = id_of(h, name);
    assert_eq!(sel(h), vec![id], "{name} is selected");
}

/// Opens the palette with Ctrl+K, types `text` and presses Enter.
fn palette(h: &mut Harness<'_, ArchboardApp>, open: (Modifiers, Key), text: &str) {
    h.key_press_modifiers(open.0, open.1);
    h.run();
    assert!(
        h.query_by_label("Command palette").is_some(),
        "the palette opened"
    );
    h.event(Event::Text(text.to_owned()));
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert!(
        h.query_by_label("Command palette").is_none(),
        "Enter closes the palette"
    );
}

#[test]
fn the_palette_adds_a_named_card_of_the_kind_the_words_name() {
    let mut h = harness_on(small_design());
    palette(&mut h, (Modifiers::COMMAND, Key::K), "add redis");
    let d = h.state().session.diagram();
    let redis = d
        .components
        .iter()
        .find(|c| c.name == "Redis")
        .expect("a card named Redis");
    assert_eq!(redis.kind, ComponentKind::Cache);
    assert_eq!(sel(&h), vec![redis.id]);
    assert!(
        !d.components
            .iter()
            .any(|c| c.id != redis.id && c.rect().intersects(redis.rect())),
        "it lands on a free spot"
    );
    undo(&mut h);
    assert_eq!(h.state().session.diagram(), &small_design());
}

#[test]
fn the_palette_goes_to_an_item_and_shows_it() {
    let mut h = harness_on(small_design());
    // Far away first, so "showing it" has to move the view.
    h.state_mut().canvas.view.screen_from_canvas =
        egui::emath::TSTransform::from_translation(egui::vec2(-5000.0, -5000.0));
    h.run();
    palette(
        &mut h,
        (Modifiers::COMMAND | Modifiers::SHIFT, Key::P),
        "orders db",
    );
    let id = id_of(&h, "Orders DB");
    assert_eq!(sel(&h), vec![id]);
    let card = h.get_by_label("Orders DB").rect();
    let board = h.state().canvas.screen_rect;
    assert!(
        board.contains_rect(card),
        "the card {card:?} is on screen in {board:?}"
    );
    assert_eq!(
        h.state().session.diagram(),
        &small_design(),
        "going to an item changes nothing"
    );
}

#[test]
fn the_palette_runs_an_action_and_ctrl_f_finds_by_name() {
    let mut h = harness_on(small_design());
    palette(&mut h, (Modifiers::COMMAND, Key::K), "select all");
    assert_eq!(h.state().session.selection().len(), 3, "Select all ran");

    palette(&mut h, (Modifiers::COMMAND, Key::F), "gateway");
    assert_eq!(sel(&h), vec![id_of(&h, "Edge gateway")]);

    // Escape closes it without doing anything.
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    h.event(Event::Text("delete".to_owned()));
    h.run();
    h.key_press(Key::Escape);
    h.run();
    assert!(h.query_by_label("Command palette").is_none());
    assert_eq!(h.state().session.diagram(), &small_design());
}

#[test]
fn a_slash_opens_the_palette_but_types_a_slash_in_a_text_field() {
    let mut h = harness_on(small_design());
    h.key_press(Key::Slash);
    h.run();
    assert!(h.query_by_label("Command palette").is_some());
    h.key_press(Key::Escape);
    h.run();

    select(&mut h, "Orders API");
    h.key_press(Key::F2);
    h.run();
    h.event(Event::Text("a/b".to_owned()));
    h.key_press(Key::Slash);
    h.run();
    assert!(
        h.query_by_label("Command palette").is_none(),
        "while renaming, / is a character"
    );
}

#[test]
fn tab_builds_a_connected_chain_with_the_inferred_connection_kinds() {
    let mut h = harness_on(small_design());
    select(&mut h, "Orders API");
    let start = h.state().session.diagram().clone();

    for name in ["Order queue", "Order worker", "Order archive"] {
        palette(&mut h, (Modifiers::NONE, Key::Tab), name);
        let id = id_of(&h, name);
        assert_eq!(
            sel(&h),
            vec![id],
            "{name} is selected, so Tab goes on from it"
        );
    }

    let d = h.state().session.diagram();
    let kind = |name: &str| d.components.iter().find(|c| c.name == name).unwrap().kind;
    assert_eq!(kind("Order queue"), ComponentKind::Queue);
    assert_eq!(kind("Order worker"), ComponentKind::Worker);
    assert_eq!(kind("Order archive"), ComponentKind::ObjectStorage);
    let link = |from: &str, to: &str| {
        let (from, to) = (id_of(&h, from), id_of(&h, to));
        d.connections
            .iter()
            .find(|c| c.from == from && c.to == to)
            .map(|c| c.kind)
            .unwrap_or_else(|| panic!("no connection"))
    };
    assert_eq!(link("Orders API", "Order queue"), ConnectionKind::Publish);
    assert_eq!(link("Order queue", "Order worker"), ConnectionKind::Consume);
    assert_eq!(link("Order worker", "Order archive"), ConnectionKind::Write);
    ui_common::assert_no_overlapping_cards(d);

    // Each link of the chain is one step.
    for left in [2, 1, 0] {
        undo(&mut h);
        assert_eq!(
            h.state().session.diagram().components.len(),
            start.components.len() + left
        );
    }
    assert_eq!(h.state().session.diagram(), &start);
}

#[test]
fn an_unnamed_connected_card_is_ready_to_rename() {
    let mut h = harness_on(small_design());
    select(&mut h, "Orders API");
    palette(&mut h, (Modifiers::NONE, Key::Tab), "");
    assert!(
        h.query_by_label("Rename").is_some(),
        "the new card's name is being edited"
    );
    h.event(Event::Text("Hot keys".to_owned()));
    h.key_press(Key::Enter);
    h.run();
    let id = id_of(&h, "Hot keys");
    assert_eq!(sel(&h), vec![id]);
}

#[test]
fn the_plus_handle_and_a_double_click_on_empty_canvas_open_the_picker() {
    let mut h = harness_on(small_design());
    select(&mut h, "Orders API");
    h.get_by_label("Add a card connected from Orders API")
        .click();
    h.run();
    assert!(h.query_by_label("Command palette").is_some());
    h.event(Event::Text("orders cache".to_owned()));
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let d = h.state().session.diagram();
    let cache = d
        .components
        .iter()
        .find(|c| c.name == "Orders cache")
        .unwrap();
    assert_eq!(cache.kind, ComponentKind::Cache);
    let api = id_of(&h, "Orders API");
    assert!(
        d.connections
            .iter()
            .any(|c| c.from == api && c.to == cache.id && c.kind == ConnectionKind::Read)
    );

    // An empty spot between the cards, well after the last click (two
    // clicks within a third of a second would make a triple-click).
    h.run_steps(30);
    let board = h.state().canvas.screen_rect;
    let spot = egui::pos2(board.center().x + 60.0, board.top() + 60.0);
    h.hover_at(spot);
    for _ in 0..2 {
        h.event(Event::PointerButton {
            pos: spot,
            button: egui::PointerButton::Primary,
            pressed: true,
            modifiers: Modifiers::NONE,
        });
        h.event(Event::PointerButton {
            pos: spot,
            button: egui::PointerButton::Primary,
            pressed: false,
            modifiers: Modifiers::NONE,
        });
    }
    h.run();
    assert!(
        h.query_by_label("Command palette").is_some(),
        "double-clicking empty canvas opens the picker"
    );
    h.event(Event::Text("Search index".to_owned()));
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let search = id_of(&h, "Search index");
    let d = h.state().session.diagram();
    assert_eq!(
        d.component(search).unwrap().kind,
        ComponentKind::SearchIndex
    );
    assert!(
        !d.connections.iter().any(|c| c.to == search),
        "a card added at a spot is not connected"
    );
}

#[test]
fn alt_arrows_walk_to_the_connected_card_in_that_direction() {
    let mut h = harness_on(small_design());
    select(&mut h, "Orders API");
    palette(&mut h, (Modifiers::NONE, Key::Tab), "Orders queue");
    let queue = id_of(&h, "Orders queue");
    let api = id_of(&h, "Orders API");
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowLeft);
    h.run();
    assert_eq!(sel(&h), vec![api]);
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
    h.run();
    assert_eq!(sel(&h), vec![queue]);
    // Nothing connected above: the selection stays.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowUp);
    h.run();
    assert_eq!(sel(&h), vec![queue]);
}

/// Whether any two cards overlap, and whether every component still sits
/// in the group it sat in before (by the geometry that defines membership).
fn check_layout(before: &Diagram, after: &Diagram, template: &str) {
    for (i, a) in after.components.iter().enumerate() {
        for b in &after.components[i + 1..] {
            assert!(
                !a.rect().intersects(b.rect()),
                "{template}: {} overlaps {} after Tidy up",
                a.name,
                b.name
            );
        }
    }
    let was = archboard::layout::membership(before);
    let now = archboard::layout::membership(after);
    assert_eq!(
        was.component_parent, now.component_parent,
        "{template}: every card stays in its group"
    );
    assert_eq!(
        was.group_parent, now.group_parent,
        "{template}: nested groups stay nested"
    );
    for c in &after.components {
        if let Some(g) = now.component_parent.get(&c.id) {
            let group = after.groups.iter().find(|x| x.id == *g).unwrap();
            let r = c.rect();
            assert!(
                group.rect.contains_rect(r),
                "{template}: {} is wholly inside {}",
                c.name,
                group.label
            );
        }
    }
    assert_eq!(before.notes, after.notes, "{template}: notes stay put");
}

#[test]
fn tidy_up_on_every_template_overlaps_nothing_keeps_groups_and_undoes_in_one_step() {
    for template in archboard::templates::all() {
        let diagram = template.diagram().expect("templates load");
        let mut h = harness(ArchboardApp::new(Document::new(diagram.clone())));
        h.get_by_label("Arrange").click();
        h.run();
        h.get_by_label_contains("Tidy up").click();
        h.run();
        let after = h.state().session.diagram().clone();
        check_layout(&diagram, &after, template.name);
        assert_eq!(after.connections, diagram.connections);
        undo(&mut h);
        assert_eq!(
            h.state().session.diagram(),
            &diagram,
            "{}: one undo restores the layout",
            template.name
        );
    }
}

#[test]
fn tidy_up_of_a_selection_moves_only_the_selection() {
    let mut h = harness_on(small_design());
    select(&mut h, "Orders API");
    palette(&mut h, (Modifiers::NONE, Key::Tab), "Orders queue");
    h.get_by_label("Orders API").click();
    h.run();
    h.event(Event::ModifiersChanged(Modifiers::SHIFT));
    h.get_by_label("Orders queue").click();
    h.run();
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    assert_eq!(h.state().session.selection().len(), 2);
    let before = h.state().session.diagram().clone();
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    let after = h.state().session.diagram();
    for name in ["Edge gateway", "Orders DB"] {
        let c = |d: &Diagram| {
            d.components
                .iter()
                .find(|c| c.name == name)
                .unwrap()
                .position
        };
        assert_eq!(c(after), c(&before), "{name} is not selected and stays");
    }
}

#[test]
fn a_property_set_on_a_multi_selection_is_one_undo_step() {
    let mut d = small_design();
    // A second service, so two cards share the service's properties.
    let mut second = d.components[1].clone();
    second.id = Id(4);
    second.name = "Payments API".to_owned();
    second.position = Point::new(400.0, 300.0);
    d.components.push(second);
    d.next_id = 5;
    let mut h = harness_on(d.clone());
    h.get_by_label("Orders API").click();
    h.run();
    h.event(Event::ModifiersChanged(Modifiers::SHIFT));
    h.get_by_label("Payments API").click();
    h.run();
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    assert_eq!(h.state().session.selection().len(), 2);

    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Autoscaling")
        .click();
    h.run();
    let after = h.state().session.diagram();
    for id in [Id(2), Id(4)] {
        assert_eq!(
            after
                .component(id)
                .unwrap()
                .properties
                .value(PropKey::Autoscaling),
            Some(PropValue::Bool(true)),
            "both services autoscale"
        );
    }
    undo(&mut h);
    assert_eq!(h.state().session.diagram(), &d, "one undo takes back both");
}

#[test]
fn mixed_values_show_as_mixed() {
    let mut d = small_design();
    let mut second = d.components[1].clone();
    second.id = Id(4);
    second.name = "Payments API".to_owned();
    second.position = Point::new(400.0, 300.0);
    second
        .properties
        .set(PropKey::Autoscaling, PropValue::Bool(true));
    d.components.push(second);
    d.next_id = 5;
    let mut h = harness_on(d);
    h.get_by_label("Orders API").click();
    h.run();
    h.event(Event::ModifiersChanged(Modifiers::SHIFT));
    h.get_by_label("Payments API").click();
    h.run();
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    assert!(
        h.query_by_label_contains("mixed").is_some(),
        "a property that differs says so"
    );
}

#[test]
fn apply_all_quick_fixes_of_a_category_is_one_undo_step_and_says_what_changed() {
    let template = archboard::templates::all()
        .iter()
        .find(|t| t.name == "url-shortener-starter")
        .expect("the starter exists");
    let diagram = template.diagram().unwrap();
    let mut h = harness(ArchboardApp::new(Document::new(diagram.clone())));
    h.get_by_label("Checklist tab").click();
    h.run();
    let open_before = h.state().session.checked().findings.len();
    let button = h
        .query_all_by_label_contains("Apply all ")
        .next()
        .map(|n| n.accesskit_node().label().unwrap_or_default().to_owned())
        .expect("some category has more than one quick fix");
    h.get_by_label(&button).scroll_to_me();
    h.run();
    h.get_by_label(&button).click();
    h.run();
    let status = h.state().status().unwrap_or_default().to_owned();
    assert!(
        status.starts_with("Applied "),
        "the status says what changed: {status:?}"
    );
    assert_ne!(h.state().session.diagram(), &diagram);
    assert!(h.state().session.checked().findings.len() < open_before);
    undo(&mut h);
    assert_eq!(
        h.state().session.diagram(),
        &diagram,
        "one undo takes all back"
    );
}

#[test]
fn ctrl_g_wraps_the_selection_in_a_group_of_the_chosen_kind() {
    let mut h = harness_on(small_design());
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    palette(&mut h, (Modifiers::COMMAND, Key::G), "region");
    let d = h.state().session.diagram();
    assert_eq!(d.groups.len(), 1);
    let group = &d.groups[0];
    assert_eq!(group.kind, archboard::model::GroupKind::Region);
    for c in &d.components {
        assert!(group.rect.contains_rect(c.rect()), "{} is inside", c.name);
    }
    undo(&mut h);
    assert!(h.state().session.diagram().groups.is_empty());
}

#[test]
fn a_port_drag_connects_at_the_zoom_where_a_reference_fits() {
    let diagram = archboard::templates::find("url-shortener-reference")
        .unwrap()
        .diagram()
        .unwrap();
    let mut h = harness_on(diagram);
    // Tidied up, then fitted: wider than the reference's own layout.
    h.key_press_modifiers(Modifiers::COMMAND, Key::L);
    h.run();
    h.key_press_modifiers(Modifiers::SHIFT, Key::Num1);
    h.run();
    let zoom = h.state().canvas.view.zoom();
    assert!(
        zoom < 0.4,
        "the fitted zoom {zoom} is a far one (the cards are drawn simply)"
    );
    let before = h.state().session.diagram().connections.len();
    let api = h
        .get_by_role_and_label(egui::accesskit::Role::Button, "Links API")
        .rect();
    let cache = center_of_card(&h, "Redis code cache");
    ui_common::drag(
        &mut h,
        egui::pos2(api.right(), api.center().y),
        cache,
        Modifiers::NONE,
    );
    let d = h.state().session.diagram();
    assert_eq!(
        d.connections.len(),
        before + 1,
        "{:?}",
        h.state().session.undo_label()
    );
    let (api, cache) = (id_of(&h, "Links API"), id_of(&h, "Redis code cache"));
    assert!(
        d.connections.iter().any(|c| c.from == api && c.to == cache),
        "Links API now reads the cache"
    );
}

fn center_of_card(h: &Harness<'_, ArchboardApp>, name: &str) -> egui::Pos2 {
    h.get_by_role_and_label(egui::accesskit::Role::Button, name)
        .rect()
        .center()
}

#[test]
fn in_the_picker_tab_goes_on_from_the_new_card_and_shift_enter_adds_a_sibling() {
    let mut h = harness_on(small_design());
    select(&mut h, "Orders API");
    h.key_press(Key::Tab);
    h.run();
    // Tab: add the queue and go on from it.
    h.event(Event::Text("Order events: kafka".to_owned()));
    h.run();
    h.key_press(Key::Tab);
    h.run();
    assert!(h.query_by_label("Command palette").is_some(), "still open");
    // Shift+Enter: add a worker after the queue, and stay on the queue.
    h.event(Event::Text("Order worker".to_owned()));
    h.run();
    h.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    h.run();
    assert!(h.query_by_label("Command palette").is_some(), "still open");
    let queue = id_of(&h, "Order events");
    assert_eq!(sel(&h), vec![queue], "the queue stays selected");
    // Enter: a second worker beside the first, then the picker closes.
    h.event(Event::Text("Audit worker".to_owned()));
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert!(h.query_by_label("Command palette").is_none());

    let d = h.state().session.diagram();
    assert_eq!(d.component(queue).unwrap().kind, ComponentKind::Queue);
    let api = id_of(&h, "Orders API");
    let from = |id: Id| -> Vec<String> {
        let mut names: Vec<String> = d
            .connections
            .iter()
            .filter(|c| c.from == id)
            .map(|c| d.component(c.to).unwrap().name.clone())
            .collect();
        names.sort();
        names
    };
    assert_eq!(from(api), ["Order events"]);
    assert_eq!(from(queue), ["Audit worker", "Order worker"]);
    assert_eq!(sel(&h), vec![id_of(&h, "Audit worker")]);
    for _ in 0..3 {
        undo(&mut h);
    }
    assert_eq!(h.state().session.diagram(), &small_design(), "three steps");
}

#[test]
fn every_reference_after_tidy_up_shows_every_name_when_fitted() {
    for template in archboard::templates::all()
        .iter()
        .filter(|t| t.name.ends_with("-reference"))
    {
        let diagram = template.diagram().unwrap();
        let cards = diagram.components.len();
        let mut h = harness_on(diagram);
        h.key_press_modifiers(Modifiers::COMMAND, Key::L);
        h.run();
        h.key_press_modifiers(Modifiers::SHIFT, Key::Num1);
        h.run();
        let canvas = &h.state().canvas;
        if canvas.view.zoom() < 0.4 {
            assert_eq!(
                canvas.far_names_shown(),
                cards,
                "{}: every card keeps a name at {:.0}%",
                template.name,
                canvas.view.zoom() * 100.0
            );
        }
    }
}
