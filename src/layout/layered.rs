//! The layered layout of one level: boxes of given sizes and directed
//! edges between them, drawn left to right. Cycles are broken by reversing
//! back edges of a depth-first search, layers are longest paths (sources
//! pulled next to what they feed), the order within a layer comes from a
//! few barycentre sweeps, and each box is then moved towards the middle of
//! its predecessors without ever overlapping its neighbours. Boxes with no
//! edges at all are set in rows under the rest.

use super::{LAYER_GAP, NODE_GAP};

/// Positions (top-left, relative to the level's origin) and the level's size.
pub struct Layered {
    pub positions: Vec<(f32, f32)>,
    pub size: (f32, f32),
}

/// Number of barycentre sweeps (down and up count as one each).
const SWEEPS: usize = 8;

/// `edges` are `(from, to, room)`: `room` is the horizontal space the wire
/// wants between its two boxes (for its caption); a layer gap grows to the
/// widest room of the wires that cross it.
pub fn layout(sizes: &[(f32, f32)], edges: &[(usize, usize, f32)]) -> Layered {
    let n = sizes.len();
    let mut positions = vec![(0.0_f32, 0.0_f32); n];
    if n == 0 {
        return Layered {
            positions,
            size: (0.0, 0.0),
        };
    }
    let rooms: Vec<(usize, usize, f32)> = edges
        .iter()
        .copied()
        .filter(|(a, b, _)| a != b && *a < n && *b < n)
        .collect();
    let mut edges: Vec<(usize, usize)> = rooms.iter().map(|&(a, b, _)| (a, b)).collect();
    edges.sort_unstable();
    edges.dedup();
    let connected: Vec<bool> = {
        let mut c = vec![false; n];
        for &(a, b) in &edges {
            c[a] = true;
            c[b] = true;
        }
        c
    };
    let edges = break_cycles(n, &edges);
    let (succ, pred) = adjacency(n, &edges);
    let rank = ranks(n, &succ, &pred, &connected);

    // Layers in their initial order: the order given (current positions).
    let layer_count = rank.iter().copied().max().map_or(0, |m| m + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    for v in 0..n {
        if connected[v] {
            layers[rank[v]].push(v);
        }
    }
    order_layers(&mut layers, &succ, &pred, n);

    // x: each layer as wide as its widest box, each gap as wide as the
    // widest caption of the wires between neighbouring layers.
    let mut gaps = vec![LAYER_GAP; layers.len()];
    for &(a, b, room) in &rooms {
        let (ra, rb) = (rank[a], rank[b]);
        if ra.abs_diff(rb) == 1
            && let Some(gap) = gaps.get_mut(ra.min(rb))
        {
            *gap = gap.max(room.min(4.0 * LAYER_GAP));
        }
    }
    let mut x = 0.0;
    let mut layer_x = Vec::with_capacity(layers.len());
    for (layer, gap) in layers.iter().zip(&gaps) {
        layer_x.push(x);
        let width = layer.iter().map(|&v| sizes[v].0).fold(0.0, f32::max);
        x += width + gap;
    }
    // y: stacked, then pulled towards the predecessors' centres.
    let mut center_y = vec![0.0_f32; n];
    for (li, layer) in layers.iter().enumerate() {
        let mut desired: Vec<f32> = Vec::with_capacity(layer.len());
        let mut stacked = 0.0;
        for &v in layer {
            let preds = &pred[v];
            let d = if li == 0 || preds.is_empty() {
                stacked + sizes[v].1 / 2.0
            } else {
                preds.iter().map(|&u| center_y[u]).sum::<f32>() / preds.len() as f32
            };
            stacked += sizes[v].1 + NODE_GAP;
            desired.push(d);
        }
        let placed = place_in_order(layer, &desired, sizes);
        for (&v, y) in layer.iter().zip(placed) {
            center_y[v] = y;
        }
    }
    let mut max_x: f32 = 0.0;
    let mut max_y: f32 = 0.0;
    let min_y = (0..n)
        .filter(|&v| connected[v])
        .map(|v| center_y[v] - sizes[v].1 / 2.0)
        .fold(f32::INFINITY, f32::min);
    let min_y = if min_y.is_finite() { min_y } else { 0.0 };
    for (li, layer) in layers.iter().enumerate() {
        for &v in layer {
            let p = (layer_x[li], center_y[v] - sizes[v].1 / 2.0 - min_y);
            positions[v] = p;
            max_x = max_x.max(p.0 + sizes[v].0);
            max_y = max_y.max(p.1 + sizes[v].1);
        }
    }
    // Boxes without edges here (parallel members of a group, whose wires
    // leave it; lone cards): a grid under the rest, taller than wide, so
    // two parallel services stack like one layer.
    let loose: Vec<usize> = (0..n).filter(|&v| !connected[v]).collect();
    if !loose.is_empty() {
        let widest = loose.iter().map(|&v| sizes[v].0).fold(0.0, f32::max);
        let columns = ((loose.len() as f32).sqrt() / 1.5).ceil().max(1.0);
        let row_width = columns * widest + (columns - 1.0) * NODE_GAP;
        let mut x = 0.0;
        let mut y = if max_y > 0.0 { max_y + NODE_GAP } else { 0.0 };
        let mut row_height: f32 = 0.0;
        for v in loose {
            let (w, h) = sizes[v];
            if x > 0.0 && x + w > row_width {
                x = 0.0;
                y += row_height + NODE_GAP;
                row_height = 0.0;
            }
            positions[v] = (x, y);
            max_x = max_x.max(x + w);
            max_y = max_y.max(y + h);
            x += w + NODE_GAP;
            row_height = row_height.max(h);
        }
    }
    Layered {
        positions,
        size: (max_x, max_y),
    }
}

fn adjacency(n: usize, edges: &[(usize, usize)]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut succ = vec![Vec::new(); n];
    let mut pred = vec![Vec::new(); n];
    for &(a, b) in edges {
        succ[a].push(b);
        pred[b].push(a);
    }
    for list in succ.iter_mut().chain(pred.iter_mut()) {
        list.sort_unstable();
        list.dedup();
    }
    (succ, pred)
}

/// Reverses the back edges of an iterative depth-first search (in index
/// order), which leaves a DAG.
fn break_cycles(n: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let (succ, _) = adjacency(n, edges);
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; n];
    let mut back = std::collections::HashSet::new();
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&w) = succ[v].get(*next) {
                *next += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => {
                        back.insert((v, w));
                    }
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    let mut out: Vec<(usize, usize)> = edges
        .iter()
        .map(|&(a, b)| {
            if back.contains(&(a, b)) {
                (b, a)
            } else {
                (a, b)
            }
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Longest-path layers; then every source moves right to just before the
/// first layer it feeds, so a client that only calls layer 3 sits in 2.
fn ranks(n: usize, succ: &[Vec<usize>], pred: &[Vec<usize>], connected: &[bool]) -> Vec<usize> {
    let mut indegree: Vec<usize> = pred.iter().map(Vec::len).collect();
    let mut queue: std::collections::VecDeque<usize> =
        (0..n).filter(|&v| indegree[v] == 0).collect();
    let mut topo = Vec::with_capacity(n);
    let mut rank = vec![0usize; n];
    while let Some(v) = queue.pop_front() {
        topo.push(v);
        for &w in &succ[v] {
            rank[w] = rank[w].max(rank[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                queue.push_back(w);
            }
        }
    }
    for &v in topo.iter().rev() {
        if pred[v].is_empty()
            && connected[v]
            && let Some(first) = succ[v].iter().map(|&w| rank[w]).min()
        {
            rank[v] = first.saturating_sub(1);
        }
    }
    rank
}

/// Barycentre sweeps: down using predecessors, up using successors. Ties
/// keep the current order, so the result is deterministic.
fn order_layers(layers: &mut [Vec<usize>], succ: &[Vec<usize>], pred: &[Vec<usize>], n: usize) {
    let mut pos = vec![0.0_f32; n];
    let index = |layers: &[Vec<usize>], pos: &mut Vec<f32>| {
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i as f32;
            }
        }
    };
    index(layers, &mut pos);
    for sweep in 0..SWEEPS {
        let down = sweep % 2 == 0;
        let order: Vec<usize> = if down {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for li in order {
            let neighbours = if down { pred } else { succ };
            let Some(layer) = layers.get_mut(li) else {
                continue;
            };
            let mut keyed: Vec<(f32, usize, usize)> = layer
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let list = &neighbours[v];
                    let b = if list.is_empty() {
                        pos[v]
                    } else {
                        list.iter().map(|&u| pos[u]).sum::<f32>() / list.len() as f32
                    };
                    (b, i, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for (i, (_, _, v)) in keyed.iter().enumerate() {
                layer[i] = *v;
                pos[*v] = i as f32;
            }
        }
    }
}

/// Centres for the boxes of one layer, in order, as close to `desired` as
/// the order and the gaps allow: a top-down pass pushes boxes apart, then
/// each run of touching boxes moves to the mean of what it wanted.
fn place_in_order(layer: &[usize], desired: &[f32], sizes: &[(f32, f32)]) -> Vec<f32> {
    // Blocks of boxes that touch: (first index, last index, offset sum).
    let mut centers: Vec<f32> = Vec::with_capacity(layer.len());
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    for (i, &v) in layer.iter().enumerate() {
        centers.push(desired[i]);
        blocks.push((i, i));
        // Merge with the previous block while they overlap.
        loop {
            let len = blocks.len();
            if len < 2 {
                break;
            }
            let (a0, a1) = blocks[len - 2];
            let (b0, b1) = blocks[len - 1];
            let gap_needed = (sizes[layer[a1]].1 + sizes[layer[b0]].1) / 2.0 + NODE_GAP;
            if centers[b0] - centers[a1] >= gap_needed {
                break;
            }
            // The merged block keeps its boxes packed; its position is the
            // mean of what its boxes want.
            let mut offsets = vec![0.0_f32; b1 - a0 + 1];
            for k in a0 + 1..=b1 {
                offsets[k - a0] = offsets[k - a0 - 1]
                    + (sizes[layer[k - 1]].1 + sizes[layer[k]].1) / 2.0
                    + NODE_GAP;
            }
            let mean =
                (a0..=b1).map(|k| desired[k] - offsets[k - a0]).sum::<f32>() / (b1 - a0 + 1) as f32;
            for k in a0..=b1 {
                centers[k] = mean + offsets[k - a0];
            }
            blocks.truncate(len - 2);
            blocks.push((a0, b1));
        }
        let _ = v;
    }
    centers
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: (f32, f32) = (200.0, 76.0);

    fn overlaps(a: (f32, f32), b: (f32, f32), size: (f32, f32)) -> bool {
        a.0 < b.0 + size.0 && b.0 < a.0 + size.0 && a.1 < b.1 + size.1 && b.1 < a.1 + size.1
    }

    #[test]
    fn a_chain_goes_left_to_right_and_a_fan_stacks() {
        let sizes = vec![CARD; 4];
        let out = layout(&sizes, &[(0, 1, 0.0), (1, 2, 0.0), (1, 3, 300.0)]);
        let p = &out.positions;
        assert!(p[0].0 < p[1].0 && p[1].0 < p[2].0);
        assert_eq!(p[1].0 - p[0].0, CARD.0 + LAYER_GAP);
        assert_eq!(p[2].0 - p[1].0, CARD.0 + 300.0, "the caption gets its room");
        assert_eq!(p[2].0, p[3].0);
        assert!((p[2].1 - p[3].1).abs() >= CARD.1 + NODE_GAP - 0.01);
        // The parent sits between its two children.
        let mid = (p[2].1 + p[3].1) / 2.0;
        assert!((p[1].1 - mid).abs() < 1.0, "{p:?}");
    }

    #[test]
    fn cycles_isolated_boxes_and_duplicates_never_overlap() {
        let sizes = vec![CARD; 12];
        let edges = [
            (0, 1),
            (1, 2),
            (2, 0),
            (2, 3),
            (3, 3),
            (4, 5),
            (4, 5),
            (5, 4),
        ]
        .map(|(a, b)| (a, b, 0.0));
        let out = layout(&sizes, &edges);
        for i in 0..12 {
            for j in i + 1..12 {
                assert!(
                    !overlaps(out.positions[i], out.positions[j], CARD),
                    "{i} {j}"
                );
            }
        }
        for &(x, y) in &out.positions {
            assert!(
                x >= 0.0
                    && y >= 0.0
                    && x + CARD.0 <= out.size.0 + 0.01
                    && y + CARD.1 <= out.size.1 + 0.01
            );
        }
        assert_eq!(layout(&sizes, &edges).positions, out.positions);
    }
}
