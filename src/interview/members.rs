//! Which components lie inside each group, for the report, without testing
//! every component against every group.
//!
//! A card lies inside a group when its rectangle does; every card has the
//! same size, so that holds exactly when its top-left corner lies in the
//! group's rectangle shrunk by the card size. That is an orthogonal range
//! query over points, answered by a merge-sort tree: the corners sorted by
//! x, and over them a segment tree whose every node keeps its corners
//! sorted by y. Building costs O(n log n) time and memory; a query visits
//! O(log n) nodes, binary-searches each, and reports what it finds, so all
//! the groups together cost O(g log² n + k) for k memberships (the size of
//! the output) instead of O(g × n).

use crate::model::{COMPONENT_SIZE, Component, Rect};

/// The components of one diagram, indexed by position.
pub(crate) struct Members<'a> {
    components: &'a [Component],
    /// Corner x of the components in x order, for binary searches.
    xs: Vec<f32>,
    /// Segment tree over `by_x`: node `1` is the root, node `n + i` the leaf
    /// for position `i`; each holds its positions' indices sorted by y.
    nodes: Vec<Vec<usize>>,
    leaves: usize,
}

impl<'a> Members<'a> {
    pub(crate) fn new(components: &'a [Component]) -> Self {
        let mut by_x: Vec<usize> = (0..components.len()).collect();
        let x = |i: usize| components.get(i).map_or(0.0, |c| c.position.x);
        let y = |i: usize| components.get(i).map_or(0.0, |c| c.position.y);
        by_x.sort_by(|&a, &b| x(a).total_cmp(&x(b)));
        let xs = by_x.iter().map(|&i| x(i)).collect();
        let leaves = by_x.len().max(1).next_power_of_two();
        let mut nodes = vec![Vec::new(); 2 * leaves];
        for (pos, &index) in by_x.iter().enumerate() {
            if let Some(leaf) = nodes.get_mut(leaves + pos) {
                leaf.push(index);
            }
        }
        for node in (1..leaves).rev() {
            let left = nodes.get(2 * node).cloned().unwrap_or_default();
            let right = nodes
                .get(2 * node + 1)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let merged = merge_by(&left, right, y);
            if let Some(slot) = nodes.get_mut(node) {
                *slot = merged;
            }
        }
        Self {
            components,
            xs,
            nodes,
            leaves,
        }
    }

    /// The components that lie completely inside `rect`, in their order in
    /// the diagram (id order).
    pub(crate) fn inside(&self, rect: Rect) -> Vec<&'a Component> {
        // Widened by a few ulps: rounding must not drop a card the exact
        // test below accepts.
        let slack = |v: f32| (v.abs() + 1.0) * f32::EPSILON * 4.0;
        let x1 = rect.x + rect.w - COMPONENT_SIZE[0];
        let y1 = rect.y + rect.h - COMPONENT_SIZE[1];
        let (x0, x1) = (rect.x, x1 + slack(x1));
        let (y0, y1) = (rect.y, y1 + slack(y1));
        let mut found: Vec<usize> = Vec::new();
        if x0 <= x1 && y0 <= y1 {
            let lo = self.xs.partition_point(|&x| x < x0);
            let hi = self.xs.partition_point(|&x| x <= x1);
            let (mut l, mut r) = (lo + self.leaves, hi + self.leaves);
            while l < r {
                if l % 2 == 1 {
                    self.report(l, y0, y1, &mut found);
                    l += 1;
                }
                if r % 2 == 1 {
                    r -= 1;
                    self.report(r, y0, y1, &mut found);
                }
                l /= 2;
                r /= 2;
            }
        }
        found.sort_unstable();
        found
            .into_iter()
            .filter_map(|i| self.components.get(i))
            // The exact test, for the float edge cases of the shrunk rectangle.
            .filter(|c| rect.contains_rect(c.rect()))
            .collect()
    }

    /// Adds the indices of `node` whose corner y lies in `y0..=y1`.
    fn report(&self, node: usize, y0: f32, y1: f32, found: &mut Vec<usize>) {
        let Some(list) = self.nodes.get(node) else {
            return;
        };
        let y = |i: usize| self.components.get(i).map_or(0.0, |c| c.position.y);
        let start = list.partition_point(|&i| y(i) < y0);
        let end = list.partition_point(|&i| y(i) <= y1);
        if let Some(slice) = list.get(start..end.max(start)) {
            found.extend_from_slice(slice);
        }
    }
}

/// Merges two lists sorted by `key` into one.
fn merge_by(a: &[usize], b: &[usize], key: impl Fn(usize) -> f32) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        if key(x) <= key(y) {
            out.push(x);
            i += 1;
        } else {
            out.push(y);
            j += 1;
        }
    }
    out.extend_from_slice(a.get(i..).unwrap_or_default());
    out.extend_from_slice(b.get(j..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ComponentKind;
    use crate::model::{Id, Point};

    /// A small deterministic generator, so the comparison covers many shapes.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, below: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % below
        }
    }

    #[test]
    fn finds_exactly_what_the_plain_test_finds() {
        let mut rng = Lcg(7);
        let components: Vec<Component> = (0..400)
            .map(|i| Component {
                id: Id(i + 1),
                kind: ComponentKind::Service,
                name: format!("c{i}"),
                position: Point::new(rng.next(3000) as f32, rng.next(2000) as f32),
                properties: Default::default(),
            })
            .collect();
        let members = Members::new(&components);
        for _ in 0..300 {
            let rect = Rect::new(
                rng.next(3000) as f32 - 200.0,
                rng.next(2000) as f32 - 100.0,
                rng.next(1500) as f32,
                rng.next(900) as f32,
            );
            let expected: Vec<Id> = components
                .iter()
                .filter(|c| rect.contains_rect(c.rect()))
                .map(|c| c.id)
                .collect();
            let found: Vec<Id> = members.inside(rect).iter().map(|c| c.id).collect();
            assert_eq!(found, expected, "{rect:?}");
        }
        assert!(
            Members::new(&[])
                .inside(Rect::new(0.0, 0.0, 1e6, 1e6))
                .is_empty()
        );
    }
}
