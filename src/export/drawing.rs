//! The SVG drawing in pieces: one piece per group, wire, card, caption,
//! note and finding badge, each one element with a stable id, so a live
//! view can replace just the pieces an edit touched. [`svg`](super::svg)
//! is these pieces put together, so the live picture and the export are
//! one rendering.
//!
//! [`Redrawer`] keeps a drawing and, given the design again, draws only
//! the pieces whose inputs changed; its [`Changes`] say which.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;

use serde::{Deserialize, Serialize};

use super::escape::{one_line, push_xml};
use super::svg::{Input, Item, Layout, SvgOptions, Writer, background, defs, open_tag};
use crate::model::{Diagram, Rect};
use crate::rules::Finding;

/// One drawing layer, drawn in this order (the canvas's order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    Groups,
    Wires,
    Cards,
    Captions,
    Notes,
    Badges,
}

impl Layer {
    pub const ALL: [Layer; 6] = [
        Layer::Groups,
        Layer::Wires,
        Layer::Cards,
        Layer::Captions,
        Layer::Notes,
        Layer::Badges,
    ];

    /// The layer's place in [`Layer::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The class of the layer's `<g>` element.
    pub fn class(self) -> &'static str {
        match self {
            Layer::Groups => "groups",
            Layer::Wires => "wires",
            Layer::Cards => "cards",
            Layer::Captions => "captions",
            Layer::Notes => "notes",
            Layer::Badges => "badges",
        }
    }
}

/// One element of the drawing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    /// The item's id (for a badge: the id of the item it sits on).
    pub id: u64,
    /// One SVG element, user text escaped.
    pub svg: String,
}

/// The pieces of each layer, in drawing order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layers {
    pub groups: Vec<Piece>,
    pub wires: Vec<Piece>,
    pub cards: Vec<Piece>,
    pub captions: Vec<Piece>,
    pub notes: Vec<Piece>,
    pub badges: Vec<Piece>,
}

impl Layers {
    pub fn get(&self, layer: Layer) -> &Vec<Piece> {
        match layer {
            Layer::Groups => &self.groups,
            Layer::Wires => &self.wires,
            Layer::Cards => &self.cards,
            Layer::Captions => &self.captions,
            Layer::Notes => &self.notes,
            Layer::Badges => &self.badges,
        }
    }

    pub fn get_mut(&mut self, layer: Layer) -> &mut Vec<Piece> {
        match layer {
            Layer::Groups => &mut self.groups,
            Layer::Wires => &mut self.wires,
            Layer::Cards => &mut self.cards,
            Layer::Captions => &mut self.captions,
            Layer::Notes => &mut self.notes,
            Layer::Badges => &mut self.badges,
        }
    }
}

/// A whole drawing in pieces.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Drawing {
    /// The `viewBox` in canvas units.
    pub frame: Rect,
    /// The design's title (unescaped; [`Drawing::to_svg`] escapes it).
    pub title: String,
    /// The opening `<svg …>` tag.
    pub open: String,
    /// The `<defs>` element: icon outlines (and the font when embedded).
    pub defs: String,
    /// The background rectangle and the heading, if any.
    pub background: String,
    pub layers: Layers,
}

impl Drawing {
    /// The SVG document: what [`super::svg`] returns.
    pub fn to_svg(&self) -> String {
        let pieces: usize = Layer::ALL
            .iter()
            .flat_map(|l| self.layers.get(*l))
            .map(|p| p.svg.len())
            .sum();
        let mut out = String::with_capacity(pieces + self.defs.len() + 1024);
        out.push_str(&self.open);
        out.push_str("<title>");
        push_xml(&mut out, &one_line(&self.title));
        out.push_str("</title>\n");
        out.push_str(&self.defs);
        out.push_str(&self.background);
        for layer in Layer::ALL {
            let pieces = self.layers.get(layer);
            if layer == Layer::Badges && pieces.is_empty() {
                continue;
            }
            out.push_str("<g class=\"");
            out.push_str(layer.class());
            out.push_str("\">\n");
            for piece in pieces {
                out.push_str(&piece.svg);
            }
            out.push_str("</g>\n");
        }
        out.push_str("</svg>\n");
        out
    }
}

/// The drawing of `diagram` as `options` ask, in pieces.
pub fn drawing(diagram: &Diagram, options: &SvgOptions) -> Drawing {
    let layout = Layout::new(diagram, options, None);
    let mut w = Writer::new(options);
    let mut layers = Layers::default();
    for (layer, items) in Layer::ALL.into_iter().zip(layout.items()) {
        *layers.get_mut(layer) = items
            .iter()
            .map(|item| Piece {
                id: item.id().0,
                svg: draw_one(&mut w, item),
            })
            .collect();
    }
    Drawing {
        frame: layout.frame,
        title: diagram.title.clone(),
        open: open_tag(layout.frame),
        defs: defs(w.icons.iter().copied(), options.embed_font),
        background: background(layout.frame, options),
        layers,
    }
}

/// Draws one item on its own; the icons it uses are added to `w.icons`.
fn draw_one(w: &mut Writer, item: &Item) -> String {
    item.draw(w);
    std::mem::take(&mut w.out)
}

/// What [`Redrawer::update`] changed in its drawing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    pub frame: bool,
    pub title: bool,
    pub open: bool,
    pub defs: bool,
    pub background: bool,
    /// Pieces drawn anew (new items, or items whose drawing changed), in
    /// drawing order within each layer.
    pub drawn: Vec<(Layer, Piece)>,
    /// Pieces gone.
    pub removed: Vec<(Layer, u64)>,
    /// Layers whose order is not what [`needs_order`] calls the default.
    pub reordered: Vec<Layer>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        !(self.frame || self.title || self.open || self.defs || self.background)
            && self.drawn.is_empty()
            && self.removed.is_empty()
            && self.reordered.is_empty()
    }
}

/// Whether a list that was `old` and is now `new` needs its order spelled
/// out: not when removing the keys that went and appending the new ones
/// (in their order in `new`) gives `new`.
pub fn needs_order<K: Eq + Hash>(old: &[K], new: &[K]) -> bool {
    let now: HashSet<&K> = new.iter().collect();
    let before: HashSet<&K> = old.iter().collect();
    let kept = old.iter().filter(|k| now.contains(k));
    let added = new.iter().filter(|k| !before.contains(k));
    !kept.chain(added).eq(new.iter())
}

/// What one piece was drawn from.
#[derive(Clone, Debug)]
struct Kept {
    input: Input,
    icons: Vec<&'static str>,
}

/// A drawing kept up to date: [`Redrawer::update`] draws only the pieces
/// whose inputs changed since the last update.
#[derive(Debug, Default)]
pub struct Redrawer {
    /// The options of the last update, but for the scope.
    style: Option<SvgOptions>,
    drawing: Drawing,
    /// What each piece was drawn from, parallel to `drawing.layers`.
    kept: [Vec<Kept>; 6],
    /// How many pieces use each icon.
    icon_uses: BTreeMap<&'static str, usize>,
}

impl Redrawer {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn drawing(&self) -> &Drawing {
        &self.drawing
    }

    /// Brings the drawing up to date with `diagram` drawn as `options` ask
    /// (the scope may change from one update to the next; any other option
    /// changing redraws everything).
    pub fn update(&mut self, diagram: &Diagram, options: &SvgOptions) -> Changes {
        self.update_with(diagram, options, None)
    }

    /// [`Redrawer::update`] with the design's findings (`rules::check`)
    /// already known, for a caller that needs them too.
    pub fn update_with_findings(
        &mut self,
        diagram: &Diagram,
        options: &SvgOptions,
        findings: &[Finding],
    ) -> Changes {
        self.update_with(diagram, options, Some(findings))
    }

    fn update_with(
        &mut self,
        diagram: &Diagram,
        options: &SvgOptions,
        findings: Option<&[Finding]>,
    ) -> Changes {
        let style = SvgOptions {
            scope: super::Scope::All,
            ..options.clone()
        };
        let restyled = self.style.as_ref() != Some(&style);
        self.style = Some(style);
        let layout = Layout::new(diagram, options, findings);
        let mut w = Writer::new(options);
        let mut changes = Changes::default();
        let Self {
            drawing,
            kept,
            icon_uses,
            ..
        } = self;
        for ((layer, items), kept) in Layer::ALL.into_iter().zip(layout.items()).zip(kept) {
            let pieces = drawing.layers.get_mut(layer);
            let same_ids = pieces.len() == items.len()
                && pieces.iter().zip(&items).all(|(p, i)| p.id == i.id().0);
            if same_ids {
                for ((piece, was), item) in pieces.iter_mut().zip(kept.iter_mut()).zip(&items) {
                    if restyled || !item.drawn_from(&was.input) {
                        forget_icons(icon_uses, &was.icons);
                        *was = redraw(&mut w, item, icon_uses, piece);
                        changes.drawn.push((layer, piece.clone()));
                    }
                }
                continue;
            }
            let old_ids: Vec<u64> = pieces.iter().map(|p| p.id).collect();
            let mut old: HashMap<u64, (Piece, Kept)> = pieces
                .drain(..)
                .zip(kept.drain(..))
                .map(|(p, k)| (p.id, (p, k)))
                .collect();
            for item in &items {
                let id = item.id().0;
                let mut piece = match old.remove(&id) {
                    Some((piece, was)) if !restyled && item.drawn_from(&was.input) => {
                        pieces.push(piece);
                        kept.push(was);
                        continue;
                    }
                    Some((piece, was)) => {
                        forget_icons(icon_uses, &was.icons);
                        piece
                    }
                    None => Piece {
                        id,
                        svg: String::new(),
                    },
                };
                let now = redraw(&mut w, item, icon_uses, &mut piece);
                changes.drawn.push((layer, piece.clone()));
                pieces.push(piece);
                kept.push(now);
            }
            let mut gone: Vec<(u64, Kept)> = old.into_iter().map(|(id, (_, k))| (id, k)).collect();
            gone.sort_by_key(|(id, _)| *id);
            for (id, was) in gone {
                forget_icons(icon_uses, &was.icons);
                changes.removed.push((layer, id));
            }
            let new_ids: Vec<u64> = pieces.iter().map(|p| p.id).collect();
            if needs_order(&old_ids, &new_ids) {
                changes.reordered.push(layer);
            }
        }
        icon_uses.retain(|_, n| *n > 0);

        let frame = layout.frame;
        changes.frame = drawing.frame != frame;
        drawing.frame = frame;
        set(&mut drawing.title, &diagram.title, &mut changes.title);
        set(&mut drawing.open, &open_tag(frame), &mut changes.open);
        let defs = defs(icon_uses.keys().copied(), options.embed_font);
        set(&mut drawing.defs, &defs, &mut changes.defs);
        let background = background(frame, options);
        set(
            &mut drawing.background,
            &background,
            &mut changes.background,
        );
        changes
    }
}

fn set(field: &mut String, value: &str, changed: &mut bool) {
    if field != value {
        value.clone_into(field);
        *changed = true;
    }
}

fn forget_icons(uses: &mut BTreeMap<&'static str, usize>, icons: &[&'static str]) {
    for icon in icons {
        if let Some(n) = uses.get_mut(icon) {
            *n = n.saturating_sub(1);
        }
    }
}

/// Draws `item` into `piece` and returns what it was drawn from.
fn redraw(
    w: &mut Writer,
    item: &Item,
    uses: &mut BTreeMap<&'static str, usize>,
    piece: &mut Piece,
) -> Kept {
    w.icons.clear();
    piece.svg = draw_one(w, item);
    let icons: Vec<&'static str> = w.icons.iter().copied().collect();
    for icon in &icons {
        *uses.entry(icon).or_insert(0) += 1;
    }
    Kept {
        input: item.input(),
        icons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{Scope, svg};
    use crate::model::Point;

    fn reference() -> Diagram {
        crate::templates::find("url-shortener-starter")
            .and_then(|t| t.diagram().ok())
            .unwrap_or_else(crate::templates::example::example_design)
    }

    fn live_options(scope: Scope) -> SvgOptions {
        SvgOptions {
            scope,
            findings: true,
            ..SvgOptions::default()
        }
    }

    #[test]
    fn the_pieces_put_together_are_the_svg() {
        let d = reference();
        let options = live_options(Scope::All);
        let whole = drawing(&d, &options);
        assert_eq!(whole.to_svg(), svg(&d, &options));
        assert_eq!(whole.layers.cards.len(), d.components.len());
        assert!(!whole.layers.badges.is_empty(), "the starter has findings");
        for piece in Layer::ALL.iter().flat_map(|l| whole.layers.get(*l)) {
            assert!(piece.svg.starts_with('<') && piece.svg.ends_with(">\n"));
        }
    }

    /// After each edit, the kept drawing equals a fresh one, and only the
    /// touched pieces were drawn.
    #[test]
    fn an_update_draws_only_what_changed_and_equals_a_fresh_drawing() {
        let mut d = reference();
        let options = live_options(Scope::All);
        let mut redrawer = Redrawer::new();
        let first = redrawer.update(&d, &options);
        assert_eq!(redrawer.drawing(), &drawing(&d, &options));
        assert!(first.drawn.len() >= d.components.len());

        assert!(redrawer.update(&d, &options).is_empty(), "nothing changed");

        let target = d.components[1].id;
        d.components[1].name = "<R & d>".to_owned();
        let changes = redrawer.update(&d, &options);
        assert_eq!(redrawer.drawing(), &drawing(&d, &options));
        assert_eq!(changes.drawn.len(), 1, "{changes:?}");
        assert_eq!(changes.drawn[0].0, Layer::Cards);
        assert_eq!(changes.drawn[0].1.id, target.0);
        assert!(changes.drawn[0].1.svg.contains("&lt;R &amp; d&gt;"));
        assert!(changes.removed.is_empty() && changes.reordered.is_empty());

        // Moving a card redraws it, its wires, their captions and badges.
        d.components[1].position = Point::new(-400.0, -300.0);
        let changes = redrawer.update(&d, &options);
        assert_eq!(redrawer.drawing(), &drawing(&d, &options));
        let wires = d
            .connections
            .iter()
            .filter(|c| c.from == target || c.to == target)
            .count();
        let drawn_wires = changes
            .drawn
            .iter()
            .filter(|(l, _)| *l == Layer::Wires)
            .count();
        assert_eq!(drawn_wires, wires);
        assert!(changes.frame && changes.open && changes.background);

        // Deleting a card and its wires removes pieces.
        let gone = d.components.remove(0).id;
        d.connections.retain(|c| c.from != gone && c.to != gone);
        let changes = redrawer.update(&d, &options);
        assert_eq!(redrawer.drawing(), &drawing(&d, &options));
        assert!(changes.removed.contains(&(Layer::Cards, gone.0)));
        assert!(changes.reordered.is_empty(), "removal keeps the order");

        // A step shows part of it; the step after shows more.
        let d = crate::export::svg::tests::stepped(d);
        redrawer.update(&d, &live_options(Scope::Step(0)));
        assert_eq!(
            redrawer.drawing(),
            &drawing(&d, &live_options(Scope::Step(0)))
        );
        redrawer.update(&d, &live_options(Scope::Step(1)));
        assert_eq!(
            redrawer.drawing(),
            &drawing(&d, &live_options(Scope::Step(1)))
        );
        // Another theme redraws everything.
        let dark = SvgOptions {
            theme: crate::export::Theme::Dark,
            ..live_options(Scope::All)
        };
        redrawer.update(&d, &dark);
        assert_eq!(redrawer.drawing(), &drawing(&d, &dark));
        assert_eq!(redrawer.drawing().to_svg(), svg(&d, &dark));
    }

    #[test]
    fn a_moved_item_is_reordered_but_an_added_one_is_not() {
        assert!(!needs_order(&[1, 2, 3], &[1, 3]));
        assert!(!needs_order(&[1, 2, 3], &[1, 2, 3, 4]));
        assert!(!needs_order(&[1, 2, 3], &[2, 3, 5, 4]));
        assert!(needs_order(&[1, 2, 3], &[3, 1, 2]));
        assert!(needs_order(&[1, 2, 3], &[4, 1, 2, 3]));
    }
}
