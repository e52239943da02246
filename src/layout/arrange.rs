//! Small geometry shared by the layouts: bounding boxes, connected components, packing
//! components side by side, the sunflower spiral, and anchoring a fresh arrangement to where
//! the nodes were (or to the pinned nodes) so a layout does not throw the drawing elsewhere.

use super::graph::LayoutGraph;
use crate::model::CanvasPoint;

/// Golden angle in radians: successive points on a sunflower spiral never line up.
const GOLDEN_ANGLE: f32 = 2.399_963;

/// An axis-aligned box in canvas units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Bounds {
    pub min_x: f32,
    pub min_y: f32,
    pub max_x: f32,
    pub max_y: f32,
}

impl Bounds {
    /// Box around the finite points, `None` if there are none.
    pub fn of(points: impl IntoIterator<Item = CanvasPoint>) -> Option<Bounds> {
        let mut out: Option<Bounds> = None;
        for p in points {
            if !(p.x.is_finite() && p.y.is_finite()) {
                continue;
            }
            let b = out.get_or_insert(Bounds {
                min_x: p.x,
                min_y: p.y,
                max_x: p.x,
                max_y: p.y,
            });
            b.min_x = b.min_x.min(p.x);
            b.min_y = b.min_y.min(p.y);
            b.max_x = b.max_x.max(p.x);
            b.max_y = b.max_y.max(p.y);
        }
        out
    }

    pub fn width(&self) -> f32 {
        self.max_x - self.min_x
    }

    pub fn height(&self) -> f32 {
        self.max_y - self.min_y
    }
}

/// Offset of point `k` on a sunflower (Vogel) spiral with nearest neighbours about `spacing`
/// apart; point 0 is the centre.
pub(crate) fn sunflower(k: usize, spacing: f32) -> (f32, f32) {
    if k == 0 {
        return (0.0, 0.0);
    }
    // r = c·√(k+1) keeps point 1 as far from the centre as points are from each other
    // (≥ 1.41·c); c = 0.7·spacing puts nearest neighbours just under `spacing` apart.
    let r = spacing * 0.7 * ((k + 1) as f32).sqrt();
    let a = k as f32 * GOLDEN_ANGLE;
    (r * a.cos(), r * a.sin())
}

/// A deterministic unit vector for the pair `(a, b)`, for pushing apart nodes that sit exactly
/// on top of each other. Antisymmetric: `pair_direction(b, a) == -pair_direction(a, b)`.
pub(crate) fn pair_direction(a: usize, b: usize) -> (f32, f32) {
    let (lo, hi, sign) = if a < b { (a, b, 1.0) } else { (b, a, -1.0) };
    let mut z = (lo as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (hi as u64);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z ^= z >> 31;
    let angle = (z >> 40) as f32 / (1u64 << 24) as f32 * std::f32::consts::TAU;
    (sign * angle.cos(), sign * angle.sin())
}

/// Connected components of the subgraph induced by `members` (node indices), largest first,
/// then by lowest index; nodes inside each component in index order.
pub(crate) fn components(graph: &LayoutGraph, members: &[usize]) -> Vec<Vec<usize>> {
    let mut in_set = vec![false; graph.len()];
    for &m in members {
        in_set[m] = true;
    }
    let mut component = vec![usize::MAX; graph.len()];
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut stack = Vec::new();
    let mut sorted_members = members.to_vec();
    sorted_members.sort_unstable();
    sorted_members.dedup();
    for &start in &sorted_members {
        if component[start] != usize::MAX {
            continue;
        }
        let c = out.len();
        let mut nodes = vec![start];
        component[start] = c;
        stack.push(start);
        while let Some(v) = stack.pop() {
            for &(w, _) in graph.neighbours(v) {
                if in_set[w] && component[w] == usize::MAX {
                    component[w] = c;
                    nodes.push(w);
                    stack.push(w);
                }
            }
        }
        nodes.sort_unstable();
        out.push(nodes);
    }
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    out
}

/// Places boxes (in order) left to right in rows no wider than about a square's width, and
/// returns the offset to add to each box's contents. Rows are top-aligned.
pub(crate) fn pack_side_by_side(boxes: &[Bounds], gap: f32) -> Vec<(f32, f32)> {
    let area: f32 = boxes
        .iter()
        .map(|b| (b.width() + gap) * (b.height() + gap))
        .sum();
    let widest = boxes.iter().map(Bounds::width).fold(0.0f32, f32::max);
    let row_limit = widest.max(area.sqrt() * 1.2);
    let mut offsets = Vec::with_capacity(boxes.len());
    let (mut x, mut y, mut row_height) = (0.0f32, 0.0f32, 0.0f32);
    for b in boxes {
        if x > 0.0 && x + b.width() > row_limit {
            x = 0.0;
            y += row_height + gap;
            row_height = 0.0;
        }
        offsets.push((x - b.min_x, y - b.min_y));
        x += b.width() + gap;
        row_height = row_height.max(b.height());
    }
    offsets
}

/// Moves a fresh arrangement of the nodes `arranged` (written into `positions`, indexed like
/// the graph) so it sits where those nodes were: aligned with the pinned ones if any (a single
/// pinned node then stays exactly put), else centred on the movable nodes' old centre.
pub(crate) fn anchor(graph: &LayoutGraph, arranged: &[usize], positions: &mut [CanvasPoint]) {
    let nodes = graph.nodes();
    let pinned: Vec<usize> = arranged
        .iter()
        .copied()
        .filter(|&i| nodes[i].pinned)
        .collect();
    let basis: Vec<usize> = if pinned.is_empty() {
        arranged.to_vec()
    } else {
        pinned
    };
    if basis.is_empty() {
        return;
    }
    let (mut dx, mut dy) = (0.0f64, 0.0f64);
    for &i in &basis {
        dx += f64::from(nodes[i].position.x - positions[i].x);
        dy += f64::from(nodes[i].position.y - positions[i].y);
    }
    let (dx, dy) = (
        (dx / basis.len() as f64) as f32,
        (dy / basis.len() as f64) as f32,
    );
    for &i in arranged {
        positions[i].x += dx;
        positions[i].y += dy;
    }
}

/// Indices of the nodes taking part in the run.
pub(crate) fn included(graph: &LayoutGraph) -> Vec<usize> {
    (0..graph.len())
        .filter(|&i| graph.nodes()[i].included)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sunflower_points_do_not_crowd() {
        let pts: Vec<(f32, f32)> = (0..200).map(|k| sunflower(k, 50.0)).collect();
        for (i, a) in pts.iter().enumerate() {
            for b in &pts[i + 1..] {
                assert!((a.0 - b.0).hypot(a.1 - b.1) > 48.0);
            }
        }
        assert_eq!(sunflower(0, 50.0), (0.0, 0.0));
    }

    #[test]
    fn pair_direction_is_unit_and_antisymmetric() {
        for (a, b) in [(0, 1), (5, 3), (1000, 7)] {
            let (x, y) = pair_direction(a, b);
            let (u, v) = pair_direction(b, a);
            assert!((x.hypot(y) - 1.0).abs() < 1e-5);
            assert!((x + u).abs() < 1e-6 && (y + v).abs() < 1e-6);
        }
    }

    #[test]
    fn packing_never_overlaps() {
        let boxes: Vec<Bounds> = (0..20)
            .map(|i| Bounds {
                min_x: i as f32,
                min_y: -(i as f32),
                max_x: i as f32 + 100.0 + (i * 37 % 200) as f32,
                max_y: 50.0 + (i * 53 % 300) as f32,
            })
            .collect();
        let offsets = pack_side_by_side(&boxes, 10.0);
        let placed: Vec<Bounds> = boxes
            .iter()
            .zip(&offsets)
            .map(|(b, (dx, dy))| Bounds {
                min_x: b.min_x + dx,
                min_y: b.min_y + dy,
                max_x: b.max_x + dx,
                max_y: b.max_y + dy,
            })
            .collect();
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                let apart = a.max_x <= b.min_x
                    || b.max_x <= a.min_x
                    || a.max_y <= b.min_y
                    || b.max_y <= a.min_y;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }
}
