//! The drawing-speed benchmark of issue 13: the components and connections
//! of the URL-shortener reference built on an empty canvas through the real
//! UI, twice, counting every input event (keys, clicks, drags; a
//! double-click counts as two clicks, the characters of the names are
//! counted apart because both ways type the same names):
//!
//! - the old way, fastest form: drag each kind from the palette to its
//!   spot, F2, type the name, Enter; a port drag per connection;
//! - the new way: a double-click on the empty canvas for the first card,
//!   then the card picker, mind-map style (Tab adds and goes on from the new
//!   card, Shift+Enter adds a sibling, Enter stops), a port drag only for a
//!   connection the chain did not make, and Tidy up.
//!
//! Both must end with the reference's components (names and kinds) and
//! connections (ends and kinds). The test prints the counts (BENCHMARKS.md,
//! "Drawing speed", quotes them: `cargo test --test drawing_speed --
//! --nocapture`) and asserts the target: at most half the events.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod ui_common;

use std::collections::{BTreeMap, BTreeSet};

use archboard::catalog::ComponentKind;
use archboard::model::{ConnectionKind, Diagram, Id};
use archboard::ui::ArchboardApp;
use egui::accesskit::Role;
use egui::emath::TSTransform;
use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ui_common::{drag, harness_on};

const REFERENCE: &str = "url-shortener-reference";

fn reference() -> Diagram {
    archboard::templates::find(REFERENCE)
        .unwrap()
        .diagram()
        .unwrap()
}

/// Input events, by type.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Count {
    keys: usize,
    clicks: usize,
    drags: usize,
    /// Characters of typed names (the same in both ways).
    typed: usize,
}

impl Count {
    fn events(self) -> usize {
        self.keys + self.clicks + self.drags
    }
}

/// The app with a counter of what the user did.
struct User {
    h: Harness<'static, ArchboardApp>,
    count: Count,
}

impl User {
    fn new() -> Self {
        Self {
            h: harness_on(Diagram::new("URL shortener")),
            count: Count::default(),
        }
    }

    fn key(&mut self, modifiers: Modifiers, key: Key) {
        self.h.key_press_modifiers(modifiers, key);
        self.h.run();
        self.count.keys += 1;
    }

    fn type_text(&mut self, text: &str) {
        self.h.event(Event::Text(text.to_owned()));
        self.h.run();
        self.count.typed += text.chars().count();
    }

    fn drag(&mut self, from: Pos2, to: Pos2) {
        drag(&mut self.h, from, to, Modifiers::NONE);
        self.h.run();
        self.count.drags += 1;
    }

    fn click_card(&mut self, name: &str) {
        // Well apart from the last click, so it is not taken for a double.
        self.h.run_steps(30);
        self.h.get_by_role_and_label(Role::Button, name).click();
        self.h.run();
        self.count.clicks += 1;
    }

    fn double_click(&mut self, at: Pos2) {
        self.h.run_steps(30);
        self.h.hover_at(at);
        for _ in 0..2 {
            for pressed in [true, false] {
                self.h.event(Event::PointerButton {
                    pos: at,
                    button: PointerButton::Primary,
                    pressed,
                    modifiers: Modifiers::NONE,
                });
            }
        }
        self.h.run();
        self.count.clicks += 2;
    }

    fn card_rect(&self, name: &str) -> egui::Rect {
        self.h.get_by_role_and_label(Role::Button, name).rect()
    }

    /// Drags from the right edge of one card (its port) onto another.
    fn port_drag(&mut self, from: &str, to: &str) {
        let source = self.card_rect(from);
        let port = Pos2::new(source.right(), source.center().y);
        let target = self.card_rect(to).center();
        self.drag(port, target);
    }

    fn picker_is_open(&self) -> bool {
        self.h.query_by_label("Command palette").is_some()
    }

    /// The picker's rows for the typed `name`, top to bottom.
    fn picker_rows(&self, name: &str) -> Vec<String> {
        let suffix = format!("“{name}”");
        let mut rows: Vec<(f32, String)> = self
            .h
            .get_all_by_role(Role::Button)
            .filter_map(|node| {
                let label = node.accesskit_node().label()?;
                label.ends_with(&suffix).then(|| (node.rect().top(), label))
            })
            .collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0));
        rows.into_iter().map(|(_, label)| label).collect()
    }

    /// In the open card picker: types `name`, then moves down to `kind`'s
    /// row, or, when the name does not list that kind, types ": " and the
    /// kind's name, which puts it first. Returns how it got there.
    fn name_in_picker(&mut self, name: &str, kind: ComponentKind) -> String {
        assert!(self.picker_is_open(), "the picker is open for {name}");
        self.type_text(name);
        let kind_name = kind.info().name.to_lowercase();
        let wanted = format!("Add {kind_name} “{name}”");
        let (downs, how) = match self.picker_rows(name).iter().position(|l| *l == wanted) {
            Some(downs) => (downs, format!("{downs} down")),
            None => {
                let words = kind_words(kind);
                self.type_text(&format!(": {words}"));
                let rows = self.picker_rows(name);
                let downs = rows
                    .iter()
                    .position(|l| *l == wanted)
                    .unwrap_or_else(|| panic!("no row {wanted} among {rows:?}"));
                (downs, format!("\": {words}\", {downs} down"))
            }
        };
        for _ in 0..downs {
            self.key(Modifiers::NONE, Key::ArrowDown);
        }
        how
    }

    fn diagram(&self) -> &Diagram {
        self.h.state().session.diagram()
    }
}

/// The shortest word that names `kind` after the colon in the picker: a
/// word of its name or of its example products that the app reads as that
/// kind ("cosmos" for a document database), or else its whole name.
fn kind_words(kind: ComponentKind) -> String {
    let info = kind.info();
    let text = format!("{} {}", info.name, info.examples).to_lowercase();
    let mut words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| archboard::export::kind_from_name(w) == Some(kind))
        .collect();
    words.sort_by_key(|w| (w.len(), *w));
    words
        .first()
        .map_or_else(|| info.name.to_lowercase(), |w| (*w).to_owned())
}

/// What the two ways must both end with: every component's name and kind,
/// every connection's ends (by name) and kind.
type Shape = (
    BTreeSet<(String, String)>,
    BTreeSet<(String, String, String)>,
);

fn shape(d: &Diagram) -> Shape {
    let name = |id: Id| d.component(id).unwrap().name.clone();
    (
        d.components
            .iter()
            .map(|c| (c.name.clone(), format!("{:?}", c.kind)))
            .collect(),
        d.connections
            .iter()
            .map(|c| (name(c.from), name(c.to), format!("{:?}", c.kind)))
            .collect(),
    )
}

/// Connections whose inferred kind differs from the reference's, which
/// the user would set in the inspector the same way in both ways.
fn connection_kinds(d: &Diagram) -> BTreeMap<(String, String), ConnectionKind> {
    let name = |id: Id| d.component(id).unwrap().name.clone();
    d.connections
        .iter()
        .map(|c| ((name(c.from), name(c.to)), c.kind))
        .collect()
}

/// Today's fastest way: a palette drag per card (dropped where the
/// reference has it), F2, the name, Enter; a port drag per connection.
fn old_way(r: &Diagram) -> User {
    let mut u = User::new();
    // One zoom so the whole reference fits the board (counted as a key).
    let board = u.h.state().canvas.screen_rect;
    let bounds = r
        .components
        .iter()
        .map(|c| c.rect())
        .reduce(|a, b| a.union(b))
        .unwrap();
    let scale = (board.width() / bounds.w).min(board.height() / bounds.h) * 0.9;
    let offset = board.center().to_vec2()
        - egui::vec2(bounds.x + bounds.w / 2.0, bounds.y + bounds.h / 2.0) * scale;
    u.h.state_mut().canvas.view.screen_from_canvas = TSTransform::new(offset, scale);
    u.h.run();
    u.count.keys += 1;

    for c in &r.components {
        let button = format!("Add {}", c.kind.info().name);
        let node = u.h.get_by_label(&button);
        node.scroll_to_me();
        u.h.run();
        let from = u.h.get_by_label(&button).rect().center();
        let rect = c.rect();
        let to = Pos2::new(rect.x + rect.w / 2.0, rect.y + rect.h / 2.0) * scale + offset;
        let before = u.diagram().components.len();
        u.drag(from, to);
        assert_eq!(u.diagram().components.len(), before + 1, "{button} added");
        let added = u.diagram().components.last().unwrap().id;
        let selected: Vec<Id> = u.h.state().session.selection().iter().copied().collect();
        assert_eq!(selected, vec![added], "the dropped card is selected");
        u.key(Modifiers::NONE, Key::F2);
        u.type_text(&c.name);
        u.key(Modifiers::NONE, Key::Enter);
        assert_eq!(u.diagram().component(added).unwrap().name, c.name);
    }
    for link in &r.connections {
        let from = &r.component(link.from).unwrap().name;
        let to = &r.component(link.to).unwrap().name;
        u.port_drag(from, to);
    }
    u
}

/// One step of the new way.
#[derive(Clone, Debug)]
enum Step {
    /// Double-click the empty canvas (opens the picker there).
    OpenAt,
    /// Click a card, then Tab (opens the picker from it).
    OpenFrom(Id),
    /// Type a card's name (and move to its kind when needed).
    Name(Id),
    /// Tab: add, go on from the new card.
    Child,
    /// Shift+Enter: add, go on from the same card.
    Sibling,
    /// Enter: add, close.
    Done,
}

/// A spanning forest of the reference's connections, depth first from
/// the cards nothing points at: its roots, each card's children, and the
/// connections it leaves out.
struct Forest {
    roots: Vec<Id>,
    kids: BTreeMap<Id, Vec<Id>>,
    rest: Vec<(Id, Id)>,
}

fn forest(r: &Diagram) -> Forest {
    fn visit(
        r: &Diagram,
        at: Id,
        seen: &mut BTreeSet<Id>,
        kids: &mut BTreeMap<Id, Vec<Id>>,
        tree_links: &mut BTreeSet<(Id, Id)>,
    ) {
        seen.insert(at);
        for link in r.connections.iter().filter(|c| c.from == at) {
            if !seen.contains(&link.to) {
                kids.entry(at).or_default().push(link.to);
                tree_links.insert((at, link.to));
                visit(r, link.to, seen, kids, tree_links);
            }
        }
    }
    let targets: BTreeSet<Id> = r.connections.iter().map(|c| c.to).collect();
    // The cards nothing points at first; then any card of a cycle that
    // has no way in.
    let candidates = r
        .components
        .iter()
        .filter(|c| !targets.contains(&c.id))
        .chain(&r.components)
        .map(|c| c.id);
    let mut seen = BTreeSet::new();
    let mut kids = BTreeMap::new();
    let mut tree_links = BTreeSet::new();
    let mut roots = Vec::new();
    for id in candidates {
        if !seen.contains(&id) {
            roots.push(id);
            visit(r, id, &mut seen, &mut kids, &mut tree_links);
        }
    }
    let rest = r
        .connections
        .iter()
        .map(|c| (c.from, c.to))
        .filter(|link| !tree_links.contains(link))
        .collect();
    Forest { roots, kids, rest }
}

/// The picker steps that add the children of a card whose picker is open:
/// leaves first (Shift+Enter from one to the next), then the cards with
/// children of their own; the last child goes on with Tab when it has
/// children, the others are visited again later (click, Tab).
fn children_steps(
    at: Id,
    kids: &BTreeMap<Id, Vec<Id>>,
    steps: &mut Vec<Step>,
    later: &mut Vec<Id>,
) {
    let has_kids = |id: &Id| kids.get(id).is_some_and(|k| !k.is_empty());
    let mut order: Vec<Id> = kids.get(&at).cloned().unwrap_or_default();
    order.sort_by_key(|id| has_kids(id));
    for (i, &kid) in order.iter().enumerate() {
        steps.push(Step::Name(kid));
        let last = i + 1 == order.len();
        match (last, has_kids(&kid)) {
            (true, true) => {
                steps.push(Step::Child);
                children_steps(kid, kids, steps, later);
            }
            (true, false) => steps.push(Step::Done),
            (false, deeper) => {
                steps.push(Step::Sibling);
                if deeper {
                    later.push(kid);
                }
            }
        }
    }
}

fn new_way_steps(r: &Diagram) -> (Vec<Step>, Vec<(Id, Id)>) {
    let Forest { roots, kids, rest } = forest(r);
    let mut steps = Vec::new();
    let mut later = Vec::new();
    for root in roots {
        steps.push(Step::OpenAt);
        steps.push(Step::Name(root));
        if kids.contains_key(&root) {
            steps.push(Step::Child);
            children_steps(root, &kids, &mut steps, &mut later);
        } else {
            steps.push(Step::Done);
        }
    }
    while let Some(card) = later.pop() {
        steps.push(Step::OpenFrom(card));
        children_steps(card, &kids, &mut steps, &mut later);
    }
    (steps, rest)
}

/// The new way: the card picker, mind-map style, then a port drag for each
/// connection the chains did not make, then Tidy up.
fn new_way(r: &Diagram) -> User {
    let mut u = User::new();
    let (steps, rest) = new_way_steps(r);
    let mut spot = 0.0;
    for step in steps {
        match step {
            Step::OpenAt => {
                let board = u.h.state().canvas.screen_rect;
                u.double_click(Pos2::new(board.left() + 80.0, board.top() + 80.0 + spot));
                spot += 120.0;
            }
            Step::OpenFrom(id) => {
                let name = r.component(id).unwrap().name.clone();
                u.click_card(&name);
                u.key(Modifiers::NONE, Key::Tab);
            }
            Step::Name(id) => {
                let c = r.component(id).unwrap();
                let how = u.name_in_picker(&c.name, c.kind);
                println!("new way: {} ({:?}): {how}", c.name, c.kind);
            }
            Step::Child => u.key(Modifiers::NONE, Key::Tab),
            Step::Sibling => u.key(Modifiers::SHIFT, Key::Enter),
            Step::Done => u.key(Modifiers::NONE, Key::Enter),
        }
    }
    assert!(!u.picker_is_open(), "the last Enter closed the picker");
    u.key(Modifiers::COMMAND, Key::L);
    u.key(Modifiers::SHIFT, Key::Num1);
    for (from, to) in rest {
        let from = r.component(from).unwrap().name.clone();
        let to = r.component(to).unwrap().name.clone();
        u.port_drag(&from, &to);
    }
    u
}

#[test]
fn the_new_keys_draw_the_url_shortener_in_at_most_half_the_events() {
    let r = reference();
    let old = old_way(&r);
    let new = new_way(&r);

    let (want_components, _) = shape(&r);
    for (way, user) in [("old", &old), ("new", &new)] {
        let (components, connections) = shape(user.diagram());
        assert_eq!(components, want_components, "{way} way: the components");
        assert_eq!(
            connections.len(),
            r.connections.len(),
            "{way} way: the connections"
        );
    }
    // Both ways infer the same connection kinds; any the user would change
    // to match the reference costs the same in both.
    let kinds = connection_kinds(old.diagram());
    assert_eq!(kinds, connection_kinds(new.diagram()));
    let want = connection_kinds(&r);
    let differ = kinds
        .iter()
        .filter(|(k, v)| want.get(*k) != Some(v))
        .count();
    ui_common::assert_no_overlapping_cards(new.diagram());

    let (o, n) = (old.count, new.count);
    println!(
        "drawing speed, {REFERENCE}: old way {o:?} = {} events",
        o.events()
    );
    println!(
        "drawing speed, {REFERENCE}: new way {n:?} = {} events",
        n.events()
    );
    println!(
        "drawing speed: {} / {} = {:.2} of the events; counting each typed character as a key too: {} / {} = {:.2}",
        n.events(),
        o.events(),
        n.events() as f64 / o.events() as f64,
        n.events() + n.typed,
        o.events() + o.typed,
        (n.events() + n.typed) as f64 / (o.events() + o.typed) as f64,
    );
    println!("connections whose inferred kind differs from the reference: {differ}");
    assert!(n.typed >= o.typed, "both ways type the names");
    assert!(
        2 * n.events() <= o.events(),
        "the new way takes {} events, the old {}",
        n.events(),
        o.events()
    );
}

#[test]
fn the_script_adds_every_card_once_and_every_connection() {
    // The new way's plan, checked apart from the UI: every card is named
    // once, and the chains plus the port drags make every connection.
    let r = reference();
    let (steps, rest) = new_way_steps(&r);
    let named: Vec<Id> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Name(id) => Some(*id),
            _ => None,
        })
        .collect();
    let unique: BTreeSet<Id> = named.iter().copied().collect();
    assert_eq!(named.len(), r.components.len());
    assert_eq!(unique.len(), r.components.len());
    let tree: usize = forest(&r).kids.values().map(Vec::len).sum();
    assert_eq!(tree + rest.len(), r.connections.len());
}
