//! How faithfully a drawing shows a graph: normalised stress over sampled pairs of nodes.
//!
//! For sampled sources `s` (every ⌈n / sources⌉-th node by index) and every node `j` a
//! breadth-first search reaches from `s`, the graph distance `d` is the number of hops (edges
//! taken as undirected) and `e` the distance in the drawing. With the ratio `r = e / d`,
//!
//! ```text
//! stress = min over α of mean(((α·e − d) / d)²) = 1 − mean(r)² / mean(r²)
//! ```
//!
//! the Kamada–Kawai weighting (`1/d²`), scaled optimally so the drawing's size does not
//! matter: 0 when the drawing's distances are proportional to the graph's, and about 0.2–0.25
//! for nodes thrown at random into a square. `benches/compare_layout.py` computes the same
//! figure for igraph's layouts, from the same sources.

use super::graph::LayoutGraph;
use crate::model::CanvasPoint;
use std::collections::VecDeque;

/// The sources [`normalised_stress`] samples: evenly spaced by node index.
pub fn stress_sources(n: usize, sources: usize) -> Vec<usize> {
    if n == 0 || sources == 0 {
        return Vec::new();
    }
    let stride = n.div_ceil(sources.min(n));
    (0..n).step_by(stride).collect()
}

/// Normalised stress of `positions` (indexed like the graph's nodes) over pairs from the
/// sampled sources; `None` when no pair is connected or every drawn distance is zero.
pub fn normalised_stress(
    graph: &LayoutGraph,
    positions: &[CanvasPoint],
    sources: usize,
) -> Option<f64> {
    let n = graph.len().min(positions.len());
    let (mut sum_r, mut sum_r2, mut pairs) = (0.0f64, 0.0f64, 0usize);
    let mut hops = vec![u32::MAX; n];
    let mut queue = VecDeque::new();
    for s in stress_sources(n, sources) {
        hops.fill(u32::MAX);
        hops[s] = 0;
        queue.clear();
        queue.push_back(s);
        while let Some(u) = queue.pop_front() {
            for &(v, _) in graph.neighbours(u) {
                if v < n && hops[v] == u32::MAX {
                    hops[v] = hops[u] + 1;
                    queue.push_back(v);
                }
            }
        }
        let at = positions[s];
        for (j, &h) in hops.iter().enumerate() {
            if j == s || h == u32::MAX {
                continue;
            }
            let p = positions[j];
            let e = f64::from(p.x - at.x).hypot(f64::from(p.y - at.y));
            let r = e / f64::from(h);
            sum_r += r;
            sum_r2 += r * r;
            pairs += 1;
        }
    }
    if pairs == 0 || sum_r2 <= 0.0 || !sum_r2.is_finite() {
        return None;
    }
    let mean = sum_r / pairs as f64;
    Some((1.0 - mean * mean / (sum_r2 / pairs as f64)).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{LayoutEdge, LayoutNode};
    use crate::model::EntityKind;

    fn path(points: &[(f32, f32)]) -> LayoutGraph {
        let nodes = points
            .iter()
            .enumerate()
            .map(|(i, &(x, y))| {
                LayoutNode::new(
                    format!("n{i:03}"),
                    EntityKind::Company,
                    CanvasPoint { x, y },
                )
            })
            .collect();
        let edges = (1..points.len())
            .map(|i| LayoutEdge {
                from: i - 1,
                to: i,
                weight: 1.0,
                flow: false,
                directed: false,
            })
            .collect();
        LayoutGraph::from_parts(nodes, edges)
    }

    #[test]
    fn a_straight_path_has_no_stress_and_a_folded_one_has_some() {
        let straight: Vec<(f32, f32)> = (0..10).map(|i| (i as f32 * 3.0, 0.0)).collect();
        let g = path(&straight);
        let s = normalised_stress(&g, &g.positions(), 10).expect("pairs");
        assert!(s < 1e-9, "{s}");
        // Folded back on itself: the far end sits next to the start.
        let folded: Vec<(f32, f32)> = (0..10)
            .map(|i| {
                if i < 5 {
                    (i as f32, 0.0)
                } else {
                    ((9 - i) as f32, 1.0)
                }
            })
            .collect();
        let g = path(&folded);
        let s = normalised_stress(&g, &g.positions(), 10).expect("pairs");
        assert!(s > 0.1, "{s}");
    }

    #[test]
    fn no_pairs_no_figure() {
        let g = path(&[(0.0, 0.0)]);
        assert_eq!(normalised_stress(&g, &g.positions(), 5), None);
        assert_eq!(stress_sources(10, 3), vec![0, 4, 8]);
    }
}
