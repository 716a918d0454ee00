//! Canvas geometry: connection curves, the spatial index for culling and hit
//! testing, and the wire geometry cache. Pure functions of the diagram, so
//! they are tested without a window.

use std::collections::HashMap;

use egui::{Pos2, Vec2, pos2, vec2};

use super::captions::PlacedCaption;
use crate::model::{COMPONENT_SIZE, Component, Diagram, Id, Point, Rect};

/// Which side of a card a connection leaves or enters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

impl Side {
    pub const ALL: [Side; 4] = [Side::Left, Side::Right, Side::Top, Side::Bottom];

    pub fn normal(self) -> Vec2 {
        match self {
            Side::Left => vec2(-1.0, 0.0),
            Side::Right => vec2(1.0, 0.0),
            Side::Top => vec2(0.0, -1.0),
            Side::Bottom => vec2(0.0, 1.0),
        }
    }

    /// The midpoint of this side of `r`, in canvas coordinates.
    pub fn anchor(self, r: Rect) -> Pos2 {
        match self {
            Side::Left => pos2(r.x, r.y + r.h / 2.0),
            Side::Right => pos2(r.x + r.w, r.y + r.h / 2.0),
            Side::Top => pos2(r.x + r.w / 2.0, r.y),
            Side::Bottom => pos2(r.x + r.w / 2.0, r.y + r.h),
        }
    }
}

/// The side of `from` that faces `to`.
pub fn facing_side(from: Rect, to: Rect) -> Side {
    let a = from.center();
    let b = to.center();
    let dx = (b.x - a.x) / from.w.max(1.0);
    let dy = (b.y - a.y) / from.h.max(1.0);
    if dx.abs() >= dy.abs() {
        if dx >= 0.0 { Side::Right } else { Side::Left }
    } else if dy >= 0.0 {
        Side::Bottom
    } else {
        Side::Top
    }
}

/// A connection curve in canvas coordinates: a cubic Bézier from the side
/// of one card that faces the other.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Curve {
    pub points: [Pos2; 4],
}

impl Curve {
    pub fn between(from: Rect, to: Rect) -> Self {
        let start_side = facing_side(from, to);
        let end_side = facing_side(to, from);
        let start = start_side.anchor(from);
        let end = end_side.anchor(to);
        let reach = (start.distance(end) * 0.4).clamp(24.0, 160.0);
        Self {
            points: [
                start,
                start + start_side.normal() * reach,
                end + end_side.normal() * reach,
                end,
            ],
        }
    }

    /// From a card to a free point (while the user drags a new connection).
    pub fn to_point(from: Rect, side: Side, end: Pos2) -> Self {
        let start = side.anchor(from);
        let reach = (start.distance(end) * 0.4).clamp(16.0, 160.0);
        Self {
            points: [start, start + side.normal() * reach, end, end],
        }
    }

    pub fn sample(&self, t: f32) -> Pos2 {
        let [p0, p1, p2, p3] = self.points;
        let u = 1.0 - t;
        let v = u * u * u * p0.to_vec2()
            + 3.0 * u * u * t * p1.to_vec2()
            + 3.0 * u * t * t * p2.to_vec2()
            + t * t * t * p3.to_vec2();
        v.to_pos2()
    }

    /// `segments + 1` points along the curve.
    pub fn polyline(&self, segments: usize) -> Vec<Pos2> {
        let n = segments.max(1);
        (0..=n).map(|i| self.sample(i as f32 / n as f32)).collect()
    }

    /// The bounding box of the control polygon (contains the curve).
    pub fn bounds(&self) -> Rect {
        let xs = self.points.map(|p| p.x);
        let ys = self.points.map(|p| p.y);
        let min_x = xs.iter().copied().fold(f32::INFINITY, f32::min);
        let max_x = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let min_y = ys.iter().copied().fold(f32::INFINITY, f32::min);
        let max_y = ys.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        Rect::new(min_x, min_y, max_x - min_x, max_y - min_y)
    }
}

/// Distance from `p` to the segment `a`–`b`.
pub fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let len_sq = ab.length_sq();
    if len_sq <= f32::EPSILON {
        return p.distance(a);
    }
    let t = ((p - a).dot(ab) / len_sq).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}

/// Distance from `p` to a polyline.
pub fn distance_to_polyline(p: Pos2, points: &[Pos2]) -> f32 {
    points
        .windows(2)
        .map(|w| distance_to_segment(p, w[0], w[1]))
        .fold(f32::INFINITY, f32::min)
}

/// Side length of a spatial-index cell, in canvas units (larger than a card,
/// so a card touches at most four cells).
const CELL: f32 = 512.0;

/// Rectangles spanning more cells than this go to the overflow list, which
/// every query scans (long wires across the whole design).
const MAX_CELLS_PER_ITEM: i32 = 64;

/// Hashes a grid cell with one multiply (Fx-style). SipHash, the std
/// default, was a fifth of a rebuild; cell keys come from our own geometry,
/// so flooding resistance buys nothing here.
#[derive(Default)]
struct CellHasher(u64);

impl std::hash::Hasher for CellHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_i32(&mut self, v: i32) {
        self.write_u64(u64::from(v as u32));
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type CellMap = HashMap<(i32, i32), Vec<usize>, std::hash::BuildHasherDefault<CellHasher>>;

/// A uniform grid of item indices over their bounding rectangles.
#[derive(Debug, Default)]
struct RectGrid {
    cells: CellMap,
    /// Items too large or far out to bucket; checked by every query.
    overflow: Vec<usize>,
}

fn cell_range(r: Rect) -> Option<(i32, i32, i32, i32)> {
    let to_cell = |v: f32| (v / CELL).floor();
    let (x0, y0, x1, y1) = (
        to_cell(r.x),
        to_cell(r.y),
        to_cell(r.x + r.w),
        to_cell(r.y + r.h),
    );
    let limit = i32::MAX as f32 / 2.0;
    if [x0, y0, x1, y1]
        .iter()
        .any(|v| !v.is_finite() || v.abs() > limit)
    {
        return None;
    }
    Some((x0 as i32, y0 as i32, x1 as i32, y1 as i32))
}

impl RectGrid {
    fn rebuild(&mut self, rects: impl Iterator<Item = (usize, Rect)>) {
        // Keep the buckets' allocations: a rebuild during editing is cheap.
        for bucket in self.cells.values_mut() {
            bucket.clear();
        }
        self.overflow.clear();
        for (i, r) in rects {
            match cell_range(r) {
                Some((x0, y0, x1, y1))
                    if (x1 - x0 + 1).saturating_mul(y1 - y0 + 1) <= MAX_CELLS_PER_ITEM =>
                {
                    for cx in x0..=x1 {
                        for cy in y0..=y1 {
                            self.cells.entry((cx, cy)).or_default().push(i);
                        }
                    }
                }
                _ => self.overflow.push(i),
            }
        }
        self.cells.retain(|_, bucket| !bucket.is_empty());
    }

    /// Appends to `out` (cleared first) the indices of items whose bucket
    /// touches `r`, in ascending order without duplicates.
    fn query_into(&self, r: Rect, out: &mut Vec<usize>) {
        out.clear();
        out.extend_from_slice(&self.overflow);
        match cell_range(r) {
            Some((x0, y0, x1, y1))
                if (x1 - x0 + 1) as i64 * (y1 - y0 + 1) as i64 <= self.cells.len() as i64 =>
            {
                for cx in x0..=x1 {
                    for cy in y0..=y1 {
                        if let Some(bucket) = self.cells.get(&(cx, cy)) {
                            out.extend_from_slice(bucket);
                        }
                    }
                }
            }
            // A view larger than the occupied grid: walking the buckets is cheaper.
            _ => out.extend(self.cells.values().flatten().copied()),
        }
        out.sort_unstable();
        out.dedup();
    }
}

/// A uniform grid over component cards, rebuilt when the diagram changes.
/// Answers "which components might touch this rectangle" without scanning
/// them all, for culling and hit testing.
#[derive(Debug, Default)]
pub struct SpatialIndex {
    grid: RectGrid,
}

impl SpatialIndex {
    /// Rebuilds the index over the diagram's cards. The canvas keeps it in an
    /// `app::Derived`, so this runs once per document state.
    pub fn rebuild(&mut self, diagram: &Diagram) {
        self.grid
            .rebuild(diagram.components.iter().map(Component::rect).enumerate());
    }

    /// Indices (into `diagram.components`) of components whose card may
    /// intersect `r`, in ascending order (draw order).
    pub fn query(&self, r: Rect) -> Vec<usize> {
        let mut out = Vec::new();
        self.query_into(r, &mut out);
        out
    }

    /// Like [`Self::query`], into a buffer the caller reuses.
    pub fn query_into(&self, r: Rect, out: &mut Vec<usize>) {
        self.grid.query_into(r, out);
    }
}

/// Points per connection polyline, minus one.
pub const WIRE_SEGMENTS: usize = 24;

/// Connection geometry derived from the diagram once per revision instead of
/// once per frame: each wire's curve, its sampled polyline, its bounds
/// (grown by room for its arrowhead and caption) and a grid over those
/// bounds, so painting, hit testing and accessibility only look at the
/// wires near the view or the pointer.
///
/// Indices are positions in `diagram.connections`.
#[derive(Debug, Default)]
pub struct WireGeometry {
    /// `None` when an end is missing (a dangling connection is not drawn).
    curves: Vec<Option<Curve>>,
    /// `WIRE_SEGMENTS + 1` points per connection, canvas coordinates.
    points: Vec<Pos2>,
    /// Where a wire may paint, in canvas units, before the zoom-dependent
    /// stroke margin (see [`Self::query_into`]).
    bounds: Vec<Rect>,
    /// The caption text of each wire (label and policy icons).
    captions: Vec<String>,
    /// Where each caption is shown (and what of it), if anywhere.
    placed: Vec<Option<PlacedCaption>>,
    /// Per component index: the connections that touch it.
    attached: Vec<Vec<usize>>,
    grid: RectGrid,
}

/// Where a wire along `curve` may paint, in canvas units, before the
/// stroke and arrowhead margin (which is in points): the curve and its
/// caption box, wherever the caption was placed.
pub fn wire_bounds(curve: &Curve, caption: Option<&PlacedCaption>) -> Rect {
    let b = curve.bounds();
    caption.map_or(b, |c| b.union(c.rect()))
}

impl WireGeometry {
    /// Recomputes everything for `diagram` (the canvas keeps the geometry
    /// in an `app::Derived`, so this runs once per document state).
    /// `caption` gives the text shown on a wire; `measure` the size of a
    /// caption's text in canvas units.
    pub fn rebuild(
        &mut self,
        diagram: &Diagram,
        caption: impl Fn(&crate::model::Connection) -> String,
        measure: &mut dyn FnMut(&str) -> Vec2,
    ) {
        let n = diagram.connections.len();
        self.curves.clear();
        self.points.clear();
        self.bounds.clear();
        self.captions.clear();
        self.curves.reserve(n);
        self.points.reserve(n * (WIRE_SEGMENTS + 1));
        self.bounds.reserve(n);
        self.attached.iter_mut().for_each(Vec::clear);
        self.attached
            .resize_with(diagram.components.len(), Vec::new);
        let index_of = |id: Id| diagram.components.binary_search_by_key(&id, |c| c.id).ok();
        for (i, conn) in diagram.connections.iter().enumerate() {
            let ends = (index_of(conn.from), index_of(conn.to));
            let text = caption(conn);
            let curve = match ends {
                (Some(a), Some(b)) => {
                    if let Some(list) = self.attached.get_mut(a) {
                        list.push(i);
                    }
                    if b != a
                        && let Some(list) = self.attached.get_mut(b)
                    {
                        list.push(i);
                    }
                    diagram
                        .components
                        .get(a)
                        .zip(diagram.components.get(b))
                        .map(|(a, b)| Curve::between(a.rect(), b.rect()))
                }
                _ => None,
            };
            match curve {
                Some(curve) => {
                    self.points.extend(
                        (0..=WIRE_SEGMENTS).map(|k| curve.sample(k as f32 / WIRE_SEGMENTS as f32)),
                    );
                    self.bounds.push(curve.bounds());
                }
                None => {
                    self.points
                        .extend(std::iter::repeat_n(Pos2::ZERO, WIRE_SEGMENTS + 1));
                    self.bounds.push(Rect::new(f32::NAN, f32::NAN, 0.0, 0.0));
                }
            }
            self.curves.push(curve);
            self.captions.push(text);
        }
        self.placed = super::captions::place(diagram, &self.curves, &self.captions, measure);
        for (bounds, placed) in self.bounds.iter_mut().zip(&self.placed) {
            if let Some(placed) = placed {
                *bounds = bounds.union(placed.rect());
            }
        }
        let drawn = self
            .bounds
            .iter()
            .copied()
            .enumerate()
            .filter(|(i, _)| matches!(self.curves.get(*i), Some(Some(_))));
        self.grid.rebuild(drawn);
    }

    pub fn len(&self) -> usize {
        self.curves.len()
    }

    pub fn is_empty(&self) -> bool {
        self.curves.is_empty()
    }

    /// The curve of connection `i`, unless an end is missing.
    pub fn curve(&self, i: usize) -> Option<&Curve> {
        self.curves.get(i)?.as_ref()
    }

    /// The sampled curve of connection `i` (empty when it is not drawn).
    pub fn polyline(&self, i: usize) -> &[Pos2] {
        if self.curve(i).is_none() {
            return &[];
        }
        let start = i * (WIRE_SEGMENTS + 1);
        self.points
            .get(start..start + WIRE_SEGMENTS + 1)
            .unwrap_or(&[])
    }

    /// The whole caption of connection `i` (label and policy icons).
    pub fn caption(&self, i: usize) -> &str {
        self.captions.get(i).map_or("", String::as_str)
    }

    /// Where the caption of connection `i` is shown, if it is.
    pub fn placed_caption(&self, i: usize) -> Option<&PlacedCaption> {
        self.placed.get(i)?.as_ref()
    }

    /// Where connection `i` may paint (curve, caption), in canvas units.
    pub fn bounds(&self, i: usize) -> Option<Rect> {
        self.curve(i)?;
        self.bounds.get(i).copied()
    }

    /// Connections that touch the component at `component_index`.
    pub fn attached(&self, component_index: usize) -> &[usize] {
        self.attached
            .get(component_index)
            .map_or(&[], Vec::as_slice)
    }

    /// Connections that may paint inside `r` (canvas units) when strokes and
    /// arrowheads reach `margin` canvas units beyond the curve, ascending.
    /// Exact: every index returned has bounds that touch `r`.
    pub fn query_into(&self, r: Rect, margin: f32, out: &mut Vec<usize>) {
        let r = Rect::new(
            r.x - margin,
            r.y - margin,
            r.w + 2.0 * margin,
            r.h + 2.0 * margin,
        );
        self.grid.query_into(r, out);
        out.retain(|&i| self.bounds.get(i).is_some_and(|b| b.intersects(r)));
    }
}

/// A component's card rectangle, or where it is being dragged to.
pub fn card_rect(c: &Component, moved: &HashMap<Id, Point>) -> Rect {
    let pos = moved.get(&c.id).copied().unwrap_or(c.position);
    Rect::from_min_size(pos, COMPONENT_SIZE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ComponentKind;

    /// A caption's size without fonts: 0.6 em per character of 12 points.
    fn estimate(text: &str) -> Vec2 {
        vec2(text.chars().count() as f32 * 7.2, 14.0)
    }

    fn diagram_with_grid(n: usize) -> Diagram {
        let mut d = Diagram::new("grid");
        for i in 0..n {
            let id = Id(i as u64 + 1);
            d.components.push(Component {
                id,
                kind: ComponentKind::Service,
                name: format!("S{i}"),
                position: Point::new(
                    (i % 40) as f32 * 260.0 - 3000.0,
                    (i / 40) as f32 * 130.0 - 900.0,
                ),
                properties: Default::default(),
            });
        }
        d.next_id = n as u64 + 1;
        d
    }

    #[test]
    fn culling_never_hides_a_card_that_is_on_screen() {
        let d = diagram_with_grid(1000);
        let mut index = SpatialIndex::default();
        index.rebuild(&d);
        let viewports = [
            Rect::new(-10.0, -10.0, 1280.0, 800.0),
            Rect::new(-3100.0, -1000.0, 300.0, 200.0),
            Rect::new(5000.0, 5000.0, 10.0, 10.0),
            Rect::new(-1e6, -1e6, 2e6, 2e6),
            Rect::new(511.0, 511.0, 2.0, 2.0),
        ];
        for viewport in viewports {
            let found = index.query(viewport);
            for (i, c) in d.components.iter().enumerate() {
                if c.rect().intersects(viewport) {
                    assert!(found.contains(&i), "{} hidden in {viewport:?}", c.name);
                }
            }
        }
    }

    /// Connections between grid cards: neighbours, a few rows down, and
    /// every seventh one across the whole grid.
    fn connect_grid(d: &mut Diagram) {
        let n = d.components.len() as u64;
        let mut next = d.next_id;
        for i in 0..n {
            for to in [(i + 1) % n, (i + 41) % n, (i * 7919 + 13) % n] {
                if to == i || (to == (i * 7919 + 13) % n && i % 7 != 0) {
                    continue;
                }
                d.connections.push(crate::model::Connection {
                    id: Id(next),
                    from: Id(i + 1),
                    to: Id(to + 1),
                    kind: Default::default(),
                    label: if i % 3 == 0 {
                        format!("call {i}")
                    } else {
                        String::new()
                    },
                    policy: Default::default(),
                    idempotent: false,
                });
                next += 1;
            }
        }
        d.next_id = next;
    }

    #[test]
    fn culling_never_hides_a_wire_that_is_on_screen() {
        let mut d = diagram_with_grid(1000);
        connect_grid(&mut d);
        let mut wires = WireGeometry::default();
        wires.rebuild(&d, |c| c.label.clone(), &mut estimate);
        assert_eq!(wires.len(), d.connections.len());
        let viewports = [
            Rect::new(-10.0, -10.0, 1280.0, 800.0),
            Rect::new(-3100.0, -1000.0, 300.0, 200.0),
            Rect::new(5000.0, 5000.0, 10.0, 10.0),
            Rect::new(-1e6, -1e6, 2e6, 2e6),
            Rect::new(511.0, 511.0, 2.0, 2.0),
            Rect::new(2000.0, 300.0, 40.0, 3000.0),
            Rect::new(-2990.0, 1500.0, 7000.0, 30.0),
        ];
        let mut found = Vec::new();
        let mut checked = 0;
        for viewport in viewports {
            wires.query_into(viewport, 0.0, &mut found);
            for (i, conn) in d.connections.iter().enumerate() {
                let (Some(a), Some(b)) = (d.component(conn.from), d.component(conn.to)) else {
                    continue;
                };
                // The true curve, sampled far more finely than it is drawn.
                let curve = Curve::between(a.rect(), b.rect());
                let on_screen = (0..=400).any(|k| {
                    let p = curve.sample(k as f32 / 400.0);
                    viewport.contains(Point::new(p.x, p.y))
                });
                if on_screen {
                    checked += 1;
                    assert!(
                        found.contains(&i),
                        "wire {} hidden in {viewport:?}",
                        conn.id
                    );
                }
                // The caption box, wherever it was placed.
                if let Some(placed) = wires.placed_caption(i)
                    && placed.rect().intersects(viewport)
                {
                    assert!(found.contains(&i), "caption of {} hidden", conn.id);
                }
            }
        }
        assert!(checked > 100, "the viewports should show many wires");
    }

    #[test]
    fn wire_cache_matches_the_curves_after_a_rebuild() {
        let mut d = diagram_with_grid(50);
        connect_grid(&mut d);
        let mut wires = WireGeometry::default();
        wires.rebuild(&d, |_| String::new(), &mut estimate);
        let conn = &d.connections[0];
        let (a, b) = (
            d.component(conn.from).unwrap().clone(),
            d.component(conn.to).unwrap().clone(),
        );
        assert_eq!(wires.curve(0), Some(&Curve::between(a.rect(), b.rect())));
        assert_eq!(wires.polyline(0).len(), WIRE_SEGMENTS + 1);
        // Rebuilt after a move: the moved card's wires follow it.
        d.components[0].position = Point::new(9000.0, 9000.0);
        wires.rebuild(&d, |_| String::new(), &mut estimate);
        let moved = d.component(Id(1)).unwrap().rect();
        assert_eq!(
            wires.curve(0).unwrap().points[0],
            Curve::between(moved, b.rect()).points[0]
        );
        assert!(wires.attached(0).contains(&0));
        // A dangling connection is never drawn nor found.
        d.components.remove(1);
        wires.rebuild(&d, |_| String::new(), &mut estimate);
        assert!(wires.curve(0).is_none() && wires.polyline(0).is_empty());
        let mut found = Vec::new();
        wires.query_into(Rect::new(-1e6, -1e6, 2e6, 2e6), 0.0, &mut found);
        assert!(!found.contains(&0));
    }

    #[test]
    fn curves_leave_from_the_facing_sides() {
        let a = Rect::new(0.0, 0.0, 200.0, 76.0);
        let b = Rect::new(400.0, 0.0, 200.0, 76.0);
        let c = Rect::new(0.0, 300.0, 200.0, 76.0);
        assert_eq!(facing_side(a, b), Side::Right);
        assert_eq!(facing_side(b, a), Side::Left);
        assert_eq!(facing_side(a, c), Side::Bottom);
        let curve = Curve::between(a, b);
        assert_eq!(curve.points[0], pos2(200.0, 38.0));
        assert_eq!(curve.points[3], pos2(400.0, 38.0));
        let line = curve.polyline(10);
        assert!(distance_to_polyline(pos2(300.0, 38.0), &line) < 0.5);
        assert!(distance_to_polyline(pos2(300.0, 80.0), &line) > 30.0);
    }
}
