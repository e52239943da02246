//! Circular layout: every node of the run on one circle, clockwise from the top. Connected
//! components take consecutive arcs, largest first; within a component nodes follow a
//! depth-first order from its best-connected node, which keeps trees free of crossings and
//! neighbours close together on the rim.

use super::arrange;
use super::graph::LayoutGraph;
use super::{Cancelled, Progress};
use crate::model::CanvasPoint;

/// Arc length between neighbouring nodes on the rim: a node plus room for its label.
pub const ARC_SPACING: f32 = 90.0;
/// Smallest radius, so two or three nodes do not sit on top of each other.
const MIN_RADIUS: f32 = 120.0;

/// The order nodes take around the circle.
pub(crate) fn circle_order(graph: &LayoutGraph, members: &[usize]) -> Vec<usize> {
    let mut order = Vec::with_capacity(members.len());
    let mut in_set = vec![false; graph.len()];
    for &m in members {
        in_set[m] = true;
    }
    let mut seen = vec![false; graph.len()];
    for comp in arrange::components(graph, members) {
        let start = comp
            .iter()
            .copied()
            .max_by(|&a, &b| graph.degree(a).cmp(&graph.degree(b)).then(b.cmp(&a)))
            .unwrap_or(comp[0]);
        let mut stack = vec![start];
        while let Some(v) = stack.pop() {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            order.push(v);
            // Visit low-degree neighbours (leaves) first so they sit right next to v; push in
            // reverse so the first to visit is on top of the stack.
            let mut next: Vec<usize> = graph
                .neighbours(v)
                .iter()
                .map(|&(w, _)| w)
                .filter(|&w| in_set[w] && !seen[w])
                .collect();
            next.sort_by_key(|&w| std::cmp::Reverse((graph.degree(w), w)));
            next.dedup();
            stack.extend(next);
        }
    }
    order
}

pub(crate) fn layout(
    graph: &LayoutGraph,
    progress: &Progress,
) -> Result<Vec<CanvasPoint>, Cancelled> {
    let members = arrange::included(graph);
    let mut positions = graph.positions();
    progress.check()?;
    let order = circle_order(graph, &members);
    let n = order.len();
    let radius = (n as f32 * ARC_SPACING / std::f32::consts::TAU).max(MIN_RADIUS);
    for (k, &v) in order.iter().enumerate() {
        if k % 4096 == 0 {
            progress.step(k, n)?;
        }
        positions[v] = if n == 1 {
            CanvasPoint::default()
        } else {
            // Start at the top and go clockwise (canvas y points down).
            let a = k as f32 / n as f32 * std::f32::consts::TAU - std::f32::consts::FRAC_PI_2;
            CanvasPoint {
                x: radius * a.cos(),
                y: radius * a.sin(),
            }
        };
    }
    arrange::anchor(graph, &members, &mut positions);
    Ok(positions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{LayoutEdge, LayoutNode};
    use crate::model::EntityKind;

    #[test]
    fn a_star_keeps_its_leaves_together_and_spaced() {
        let nodes = (0..12)
            .map(|i| {
                LayoutNode::new(
                    format!("n{i:02}"),
                    EntityKind::Person,
                    CanvasPoint::default(),
                )
            })
            .collect();
        // 0 is a hub with leaves 1..=5; 6..=11 form a chain.
        let mut edges: Vec<LayoutEdge> = (1..=5)
            .map(|to| LayoutEdge {
                from: 0,
                to,
                weight: 1.0,
                flow: false,
                directed: false,
            })
            .collect();
        edges.extend((6..11).map(|from| LayoutEdge {
            from,
            to: from + 1,
            weight: 1.0,
            flow: false,
            directed: false,
        }));
        let g = LayoutGraph::from_parts(nodes, edges);
        let order = circle_order(&g, &(0..12).collect::<Vec<_>>());
        assert_eq!(order.len(), 12);
        // Components are contiguous: equal sizes, so the star (lower indices) comes first,
        // starting at its hub.
        assert_eq!(order[0], 0);
        assert!(order[..6].iter().all(|&v| v < 6));
        let p = layout(&g, &Progress::new()).expect("not cancelled");
        for (i, a) in p.iter().enumerate() {
            for b in &p[i + 1..] {
                assert!((a.x - b.x).hypot(a.y - b.y) > ARC_SPACING * 0.9);
            }
        }
    }
}
