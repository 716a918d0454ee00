//! Wire geometry in canvas units, without UI types: the same cubic curve the
//! canvas draws, from the side of one card that faces the other.

use crate::model::{Point, Rect};

/// Which side of a card a wire leaves or enters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

impl Side {
    fn normal(self) -> (f32, f32) {
        match self {
            Side::Left => (-1.0, 0.0),
            Side::Right => (1.0, 0.0),
            Side::Top => (0.0, -1.0),
            Side::Bottom => (0.0, 1.0),
        }
    }

    /// The midpoint of this side of `r`.
    pub fn anchor(self, r: Rect) -> Point {
        match self {
            Side::Left => Point::new(r.x, r.y + r.h / 2.0),
            Side::Right => Point::new(r.x + r.w, r.y + r.h / 2.0),
            Side::Top => Point::new(r.x + r.w / 2.0, r.y),
            Side::Bottom => Point::new(r.x + r.w / 2.0, r.y + r.h),
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

/// A wire: a cubic Bézier through four control points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Curve {
    pub points: [Point; 4],
}

impl Curve {
    pub fn between(from: Rect, to: Rect) -> Self {
        let start_side = facing_side(from, to);
        let end_side = facing_side(to, from);
        let start = start_side.anchor(from);
        let end = end_side.anchor(to);
        let reach = distance(start, end) * 0.4;
        let reach = reach.clamp(24.0, 160.0);
        let (sx, sy) = start_side.normal();
        let (ex, ey) = end_side.normal();
        Self {
            points: [
                start,
                start.offset(sx * reach, sy * reach),
                end.offset(ex * reach, ey * reach),
                end,
            ],
        }
    }

    pub fn sample(&self, t: f32) -> Point {
        let [p0, p1, p2, p3] = self.points;
        let u = 1.0 - t;
        let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
        Point::new(
            a * p0.x + b * p1.x + c * p2.x + d * p3.x,
            a * p0.y + b * p1.y + c * p2.y + d * p3.y,
        )
    }

    /// The box around the control points (it holds the curve).
    pub fn bounds(&self) -> Rect {
        let [p0, p1, p2, p3] = self.points;
        let min_x = p0.x.min(p1.x).min(p2.x).min(p3.x);
        let min_y = p0.y.min(p1.y).min(p2.y).min(p3.y);
        let max_x = p0.x.max(p1.x).max(p2.x).max(p3.x);
        let max_y = p0.y.max(p1.y).max(p2.y).max(p3.y);
        Rect::new(min_x, min_y, max_x - min_x, max_y - min_y)
    }
}

pub fn distance(a: Point, b: Point) -> f32 {
    ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wire_leaves_the_facing_sides() {
        let a = Rect::new(0.0, 0.0, 200.0, 76.0);
        let b = Rect::new(400.0, 0.0, 200.0, 76.0);
        let curve = Curve::between(a, b);
        assert_eq!(curve.points[0], Point::new(200.0, 38.0));
        assert_eq!(curve.points[3], Point::new(400.0, 38.0));
        let mid = curve.sample(0.5);
        assert!((mid.x - 300.0).abs() < 1e-3 && (mid.y - 38.0).abs() < 1e-3);
        let below = Rect::new(0.0, 300.0, 200.0, 76.0);
        assert_eq!(facing_side(a, below), Side::Bottom);
        assert!(curve.bounds().contains(mid));
    }
}
