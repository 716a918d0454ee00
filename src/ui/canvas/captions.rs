//! Where wire captions go: along their wire, at the first spot (middle
//! first, then outwards) where the caption covers no card, no arrowhead and
//! no caption placed before it. When nothing fits, the caption is shortened
//! (and shown whole on hover), and when even that does not fit it is left
//! out. Computed once per document state, in canvas units.

use std::collections::HashMap;

use egui::{Pos2, Vec2, pos2, vec2};

use super::geometry::Curve;
use crate::model::{Diagram, Rect};

/// A caption's place on its wire.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedCaption {
    /// Centre of the caption box, canvas units.
    pub center: Pos2,
    /// Size of the caption box (padding and border included), canvas units.
    pub size: Vec2,
    /// What is shown: the caption, or its start and an ellipsis.
    pub text: String,
    /// Whether `text` is cut short (hovering the wire shows all of it).
    pub shortened: bool,
}

impl PlacedCaption {
    pub fn rect(&self) -> Rect {
        Rect::new(
            self.center.x - self.size.x / 2.0,
            self.center.y - self.size.y / 2.0,
            self.size.x,
            self.size.y,
        )
    }
}

/// Padding and border around a caption's text, canvas units (the painter
/// draws at most this much at any zoom).
pub const CAPTION_PAD: Vec2 = vec2(18.0, 12.0);
/// Room kept around cards and arrowheads, canvas units.
const CLEARANCE: f32 = 4.0;
/// Half the size of the zone kept free around an arrowhead's tip.
const ARROW_ZONE: f32 = 14.0;
/// Where along a wire a caption may sit, best first.
const SPOTS: [f32; 9] = [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.2, 0.8];

/// A grid of rectangles for "does this overlap anything placed".
struct Occupied {
    cells: HashMap<(i32, i32), Vec<Rect>>,
}

const CELL: f32 = 256.0;

impl Occupied {
    fn new() -> Self {
        Self {
            cells: HashMap::new(),
        }
    }

    fn cells_of(r: Rect) -> impl Iterator<Item = (i32, i32)> {
        let c = |v: f32| (v / CELL).floor().clamp(-1e6, 1e6) as i32;
        let (x0, y0, x1, y1) = (c(r.x), c(r.y), c(r.x + r.w), c(r.y + r.h));
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn insert(&mut self, r: Rect) {
        if !(r.x.is_finite() && r.y.is_finite() && r.w.is_finite() && r.h.is_finite()) {
            return;
        }
        for cell in Self::cells_of(r).take(256) {
            self.cells.entry(cell).or_default().push(r);
        }
    }

    fn hits(&self, r: Rect) -> bool {
        Self::cells_of(r).take(256).any(|cell| {
            self.cells
                .get(&cell)
                .is_some_and(|rects| rects.iter().any(|o| overlaps(*o, r)))
        })
    }
}

/// Strict overlap (touching edges do not count).
fn overlaps(a: Rect, b: Rect) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

fn grown(r: Rect, by: f32) -> Rect {
    Rect::new(r.x - by, r.y - by, r.w + 2.0 * by, r.h + 2.0 * by)
}

/// The caption `text` cut to about `share` of its characters, with an
/// ellipsis.
fn shortened(text: &str, share: f32) -> Option<String> {
    let count = text.chars().count();
    let keep = ((count as f32 * share).floor() as usize).max(3);
    (keep < count).then(|| {
        let mut out: String = text.chars().take(keep).collect();
        out = out.trim_end().to_owned();
        out.push('…');
        out
    })
}

/// Places the caption of every wire (index as in `diagram.connections`)
/// that has one and a curve. `measure` gives a text's size in canvas units
/// at the caption font size.
pub fn place(
    diagram: &Diagram,
    curves: &[Option<Curve>],
    captions: &[String],
    measure: &mut dyn FnMut(&str) -> Vec2,
) -> Vec<Option<PlacedCaption>> {
    let mut blocked = Occupied::new();
    for c in &diagram.components {
        blocked.insert(grown(c.rect(), CLEARANCE));
    }
    for curve in curves.iter().flatten() {
        let tip = curve.sample(1.0);
        blocked.insert(Rect::new(
            tip.x - ARROW_ZONE,
            tip.y - ARROW_ZONE,
            2.0 * ARROW_ZONE,
            2.0 * ARROW_ZONE,
        ));
    }
    let mut placed = Vec::with_capacity(captions.len());
    for (curve, caption) in curves.iter().zip(captions) {
        let spot = match curve {
            Some(curve) if !caption.is_empty() => find_spot(curve, caption, &blocked, measure),
            _ => None,
        };
        if let Some(spot) = &spot {
            blocked.insert(spot.rect());
        }
        placed.push(spot);
    }
    placed
}

fn find_spot(
    curve: &Curve,
    caption: &str,
    blocked: &Occupied,
    measure: &mut dyn FnMut(&str) -> Vec2,
) -> Option<PlacedCaption> {
    let texts = std::iter::once((caption.to_owned(), false)).chain(
        [0.6, 0.35]
            .into_iter()
            .filter_map(|share| shortened(caption, share).map(|t| (t, true))),
    );
    for (text, short) in texts {
        // A little extra width: glyph advances are rounded at small sizes.
        let size = measure(&text) * vec2(1.1, 1.0) + CAPTION_PAD;
        for t in SPOTS {
            let p = curve.sample(t);
            let candidate = PlacedCaption {
                center: pos2(p.x, p.y),
                size,
                text: text.clone(),
                shortened: short,
            };
            if !blocked.hits(candidate.rect()) {
                return Some(candidate);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Component, ComponentKind, Connection, Id, Point};

    fn measure(text: &str) -> Vec2 {
        vec2(text.chars().count() as f32 * 7.0, 14.0)
    }

    fn two_cards(gap: f32) -> (Diagram, Vec<Option<Curve>>) {
        let mut d = Diagram::new("t");
        for (i, x) in [0.0, 200.0 + gap].into_iter().enumerate() {
            d.components.push(Component {
                id: Id(i as u64 + 1),
                kind: ComponentKind::Service,
                name: format!("S{i}"),
                position: Point::new(x, 0.0),
                properties: Default::default(),
            });
        }
        d.connections.push(Connection {
            id: Id(3),
            from: Id(1),
            to: Id(2),
            kind: Default::default(),
            label: String::new(),
            policy: Default::default(),
            idempotent: false,
        });
        d.next_id = 4;
        let curve = Curve::between(d.components[0].rect(), d.components[1].rect());
        (d, vec![Some(curve)])
    }

    #[test]
    fn a_caption_with_room_sits_in_the_middle_whole() {
        let (d, curves) = two_cards(300.0);
        let placed = place(&d, &curves, &["POST /orders".to_owned()], &mut measure);
        let spot = placed[0].clone().unwrap();
        assert_eq!(spot.text, "POST /orders");
        assert!(!spot.shortened);
        assert!((spot.center.x - 350.0).abs() < 1.0, "{spot:?}");
        for c in &d.components {
            assert!(!overlaps(c.rect(), spot.rect()));
        }
    }

    #[test]
    fn a_caption_too_long_for_a_short_wire_is_shortened_or_left_out() {
        let (d, curves) = two_cards(90.0);
        let caption = "a very long caption that cannot fit".to_owned();
        let placed = place(&d, &curves, std::slice::from_ref(&caption), &mut measure);
        if let Some(spot) = &placed[0] {
            assert!(spot.shortened && spot.text.ends_with('…'), "{spot:?}");
            for c in &d.components {
                assert!(!overlaps(c.rect(), spot.rect()), "{spot:?}");
            }
        }
    }

    #[test]
    fn two_captions_never_overlap() {
        let (mut d, _) = two_cards(400.0);
        let mut second = d.connections[0].clone();
        second.id = Id(4);
        d.connections.push(second);
        d.next_id = 5;
        let curve = Curve::between(d.components[0].rect(), d.components[1].rect());
        let curves = vec![Some(curve), Some(curve)];
        let captions = vec!["first".to_owned(), "second".to_owned()];
        let placed = place(&d, &curves, &captions, &mut measure);
        let (a, b) = (placed[0].clone().unwrap(), placed[1].clone().unwrap());
        assert!(!overlaps(a.rect(), b.rect()), "{a:?} {b:?}");
    }
}
