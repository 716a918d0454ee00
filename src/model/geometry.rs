//! Plain canvas geometry. The UI converts these to and from screen space.

use serde::{Deserialize, Serialize};

/// The size of every component card, in canvas units.
pub const COMPONENT_SIZE: [f32; 2] = [200.0, 76.0];

/// A point in canvas coordinates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const fn new(x: f32, y: f32) -> Self {
        Self { x, y }
    }

    pub fn offset(self, dx: f32, dy: f32) -> Self {
        Self::new(self.x + dx, self.y + dy)
    }
}

/// An axis-aligned rectangle in canvas coordinates: top-left corner and size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub const fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Self { x, y, w, h }
    }

    pub fn from_min_size(min: Point, size: [f32; 2]) -> Self {
        Self::new(min.x, min.y, size[0], size[1])
    }

    pub fn min(self) -> Point {
        Point::new(self.x, self.y)
    }

    pub fn max(self) -> Point {
        Point::new(self.x + self.w, self.y + self.h)
    }

    pub fn center(self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    pub fn contains(self, p: Point) -> bool {
        p.x >= self.x && p.y >= self.y && p.x <= self.x + self.w && p.y <= self.y + self.h
    }

    /// True when `other` lies completely inside this rectangle.
    pub fn contains_rect(self, other: Rect) -> bool {
        self.contains(other.min()) && self.contains(other.max())
    }

    pub fn intersects(self, other: Rect) -> bool {
        self.x <= other.x + other.w
            && other.x <= self.x + self.w
            && self.y <= other.y + other.h
            && other.y <= self.y + self.h
    }

    pub fn union(self, other: Rect) -> Rect {
        let min_x = self.x.min(other.x);
        let min_y = self.y.min(other.y);
        let max_x = (self.x + self.w).max(other.x + other.w);
        let max_y = (self.y + self.h).max(other.y + other.h);
        Rect::new(min_x, min_y, max_x - min_x, max_y - min_y)
    }

    pub fn translated(self, dx: f32, dy: f32) -> Rect {
        Rect::new(self.x + dx, self.y + dy, self.w, self.h)
    }
}
