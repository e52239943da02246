//! Layered (Sugiyama-style) layout along the supply flow. Goods flow **left to right**: the
//! manufacturer in the first column, then distributors, transit places, consignees and end
//! users. Columns are ranks; each connected component is laid out on its own and the
//! components are packed side by side (wrapping into rows).
//!
//! 1. Ranking. Within a component the constraint edges are its flow edges (or, when it has
//!    none, its directed edges such as ownership). Cycles among them are broken by reversing
//!    DFS back edges, started from sources so natural chains keep their direction. Ranks come
//!    from the longest path, then a few median passes pull each node towards its neighbours
//!    within the slack its constraints leave (a light stand-in for network simplex), so a
//!    second manufacturer sits next to what it makes instead of in column 0. Nodes outside
//!    the constraint graph (people, addresses, accounts) hang off their first-reached ranked
//!    neighbour, one column before or after it following the link's direction.
//! 2. Ordering. Barycentre sweeps down and up the columns over all edges, keeping the order with
//!    the fewest crossings between adjacent columns (counted exactly with a Fenwick tree).
//!    Long edges get no dummy nodes: the canvas draws straight edges, so their barycentre
//!    uses the far end's relative position in its column.
//! 3. Coordinates. Each column is placed with a fixed minimum gap, nodes pulled towards the
//!    mean height of their neighbours (an exact least-squares fit under the order and gap
//!    constraints, by pool-adjacent-violators), alternating sweeps.

use super::arrange::{self, Bounds};
use super::graph::LayoutGraph;
use super::untangle;
use super::{Cancelled, Progress};
use crate::model::CanvasPoint;
use std::collections::VecDeque;

/// Horizontal distance between columns: room for a node and its label.
pub const COLUMN_GAP: f32 = 260.0;
/// Vertical distance between nodes in a column.
pub const ROW_GAP: f32 = 100.0;
/// Up to this many nodes the columns are untangled after ordering (its work budget is per
/// component, so a larger case of many components would take seconds).
const UNTANGLE_MAX_NODES: usize = 1_000;
/// Space between packed components.
const COMPONENT_GAP: f32 = 200.0;
const ORDER_SWEEPS: usize = 12;
const PLACEMENT_SWEEPS: usize = 8;

/// The ranks the layered layout gives, for tests and for callers who want columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ranking {
    /// Column of each node (indexed like the graph); `None` for nodes not in the run.
    /// Ranks compare within a component only.
    pub rank: Vec<Option<u32>>,
    /// Connected component of each node in the run.
    pub component: Vec<Option<u32>>,
    /// Flow (or, in flow-less components, directed) edges reversed to break cycles, by index.
    pub reversed: Vec<usize>,
}

/// Ranks of every node in the run.
pub fn ranks(graph: &LayoutGraph) -> Ranking {
    let members = arrange::included(graph);
    let comps = arrange::components(graph, &members);
    let mut ranking = Ranking {
        rank: vec![None; graph.len()],
        component: vec![None; graph.len()],
        reversed: Vec::new(),
    };
    for (c, comp) in comps.iter().enumerate() {
        let (rank, reversed) = rank_component(graph, comp);
        for (&v, &r) in comp.iter().zip(&rank) {
            ranking.rank[v] = Some(r);
            ranking.component[v] = Some(c as u32);
        }
        ranking.reversed.extend(reversed);
    }
    ranking.reversed.sort_unstable();
    ranking
}

/// The full layered layout: positions for all nodes (fixed ones unchanged).
pub(crate) fn layout(
    graph: &LayoutGraph,
    progress: &Progress,
) -> Result<Vec<CanvasPoint>, Cancelled> {
    let members = arrange::included(graph);
    let comps = arrange::components(graph, &members);
    let mut positions = graph.positions();
    let mut boxes = Vec::with_capacity(comps.len());
    let mut done = 0usize;
    // The drawn curves of each component, for the crossing pass (small graphs only).
    let mut curves: Vec<Vec<untangle::Curve>> = vec![Vec::new(); comps.len()];
    if members.len() <= UNTANGLE_MAX_NODES {
        let mut comp_of = vec![usize::MAX; graph.len()];
        for (c, comp) in comps.iter().enumerate() {
            for &v in comp {
                comp_of[v] = c;
            }
        }
        for curve in untangle::drawn_curves(graph) {
            let c = comp_of[curve.from];
            if c != usize::MAX && c == comp_of[curve.to] {
                curves[c].push(curve);
            }
        }
    }
    let untangling = untangle::Options {
        freedom: untangle::Freedom::Vertical,
        min_gap: ROW_GAP * 0.9,
        spacing: ROW_GAP,
        curved: true,
    };
    for (comp, curves) in comps.iter().zip(&curves) {
        progress.step(done, members.len())?;
        let (rank, _) = rank_component(graph, comp);
        let mut local = place_component(graph, comp, &rank, progress)?;
        // Columns stay; nodes move up and down them where that crosses less.
        untangle::untangle_members(graph, curves, comp, &mut local, untangling, progress)?;
        for (&v, &p) in comp.iter().zip(&local) {
            positions[v] = p;
        }
        boxes.push(Bounds::of(local).unwrap_or(Bounds {
            min_x: 0.0,
            min_y: 0.0,
            max_x: 0.0,
            max_y: 0.0,
        }));
        done += comp.len();
    }
    let offsets = arrange::pack_side_by_side(&boxes, COMPONENT_GAP);
    for (comp, (dx, dy)) in comps.iter().zip(offsets) {
        for &v in comp {
            positions[v].x += dx;
            positions[v].y += dy;
        }
    }
    arrange::anchor(graph, &members, &mut positions);
    Ok(positions)
}

/// Ranks (starting at 0) of the nodes of one connected component, in `comp` order, and the
/// constraint edges reversed to break cycles.
fn rank_component(graph: &LayoutGraph, comp: &[usize]) -> (Vec<u32>, Vec<usize>) {
    let n = comp.len();
    let local = LocalIndex::new(graph.len(), comp);
    let edges = graph.edges();
    // Edges of the component, each once.
    let comp_edges: Vec<usize> = comp
        .iter()
        .flat_map(|&v| graph.neighbours(v).iter().map(|&(_, k)| k))
        .filter(|&k| local.get(edges[k].from).is_some() && local.get(edges[k].to).is_some())
        .collect::<std::collections::BTreeSet<usize>>()
        .into_iter()
        .collect();
    let has_flow = comp_edges.iter().any(|&k| edges[k].flow);
    let constraint: Vec<usize> = comp_edges
        .iter()
        .copied()
        .filter(|&k| {
            if has_flow {
                edges[k].flow
            } else {
                edges[k].directed
            }
        })
        .collect();

    // Out-lists of the constraint graph, in local indices, sorted by target.
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut has_in = vec![false; n];
    let mut touched = vec![false; n];
    for &k in &constraint {
        let (u, v) = (local.index(edges[k].from), local.index(edges[k].to));
        out[u].push((v, k));
        has_in[v] = true;
        touched[u] = true;
        touched[v] = true;
    }
    for list in &mut out {
        list.sort_unstable();
    }

    // 1. Break cycles: DFS from sources first; edges into the current path are reversed.
    let mut reversed: Vec<usize> = Vec::new();
    let mut state = vec![0u8; n]; // 0 new, 1 on the DFS path, 2 done
    let roots = (0..n)
        .filter(|&v| touched[v] && !has_in[v])
        .chain((0..n).filter(|&v| touched[v]));
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if let Some(&(w, k)) = out[v].get(next) {
                top.1 += 1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => reversed.push(k),
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    reversed.sort_unstable();
    let is_reversed = |k: usize| reversed.binary_search(&k).is_ok();

    // The acyclic constraint graph: successors and predecessors.
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &k in &constraint {
        let (mut u, mut v) = (local.index(edges[k].from), local.index(edges[k].to));
        if is_reversed(k) {
            std::mem::swap(&mut u, &mut v);
        }
        succ[u].push(v);
        pred[v].push(u);
    }

    // 2. Longest-path ranks over a topological order (Kahn, smallest index first).
    let mut rank: Vec<Option<i64>> = vec![None; n];
    let mut indegree: Vec<usize> = pred.iter().map(Vec::len).collect();
    let mut ready: std::collections::BTreeSet<usize> =
        (0..n).filter(|&v| touched[v] && indegree[v] == 0).collect();
    let mut topo: Vec<usize> = Vec::new();
    while let Some(v) = ready.pop_first() {
        topo.push(v);
        let r = pred[v]
            .iter()
            .filter_map(|&u| rank[u])
            .max()
            .map_or(0, |m| m + 1);
        rank[v] = Some(r);
        for &w in &succ[v] {
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.insert(w);
            }
        }
    }

    // Median passes within each node's slack: constraints stay satisfied throughout.
    for pass in 0..4 {
        let sequence: Box<dyn Iterator<Item = &usize>> = if pass % 2 == 0 {
            Box::new(topo.iter().rev())
        } else {
            Box::new(topo.iter())
        };
        for &v in sequence {
            let lo = pred[v].iter().filter_map(|&u| rank[u]).max().map(|r| r + 1);
            let hi = succ[v].iter().filter_map(|&w| rank[w]).min().map(|r| r - 1);
            let mut wishes: Vec<i64> = pred[v]
                .iter()
                .filter_map(|&u| rank[u].map(|r| r + 1))
                .chain(succ[v].iter().filter_map(|&w| rank[w].map(|r| r - 1)))
                .collect();
            if wishes.is_empty() {
                continue;
            }
            wishes.sort_unstable();
            let mut r = wishes[(wishes.len() - 1) / 2];
            if let Some(lo) = lo {
                r = r.max(lo);
            }
            if let Some(hi) = hi {
                r = r.min(hi);
            }
            rank[v] = Some(r);
        }
    }

    // 3. Everything else hangs off its first-reached ranked neighbour.
    let mut queue: VecDeque<usize> = (0..n).filter(|&v| rank[v].is_some()).collect();
    if queue.is_empty() && n > 0 {
        // No constraint edges at all: start from the best-connected node.
        let start = (0..n)
            .max_by(|&a, &b| {
                graph
                    .degree(comp[a])
                    .cmp(&graph.degree(comp[b]))
                    .then(b.cmp(&a))
            })
            .unwrap_or(0);
        rank[start] = Some(0);
        queue.push_back(start);
    }
    while let Some(v) = queue.pop_front() {
        let rv = rank[v].unwrap_or(0);
        for &(w_global, k) in graph.neighbours(comp[v]) {
            let Some(w) = local.get(w_global) else {
                continue;
            };
            if rank[w].is_some() {
                continue;
            }
            let e = edges[k];
            let offset = if e.directed && e.to == comp[v] { -1 } else { 1 };
            rank[w] = Some(rv + offset);
            queue.push_back(w);
        }
    }
    let min = rank.iter().flatten().copied().min().unwrap_or(0);
    let ranks = rank
        .iter()
        .map(|r| u32::try_from(r.unwrap_or(min) - min).unwrap_or(u32::MAX))
        .collect();
    (ranks, reversed)
}

/// Maps global node indices to positions within one component.
struct LocalIndex {
    map: Vec<u32>,
}

impl LocalIndex {
    fn new(n: usize, comp: &[usize]) -> Self {
        let mut map = vec![u32::MAX; n];
        for (i, &v) in comp.iter().enumerate() {
            map[v] = i as u32;
        }
        Self { map }
    }

    fn get(&self, global: usize) -> Option<usize> {
        self.map
            .get(global)
            .copied()
            .filter(|&i| i != u32::MAX)
            .map(|i| i as usize)
    }

    /// Local index of a node known to be in the component.
    fn index(&self, global: usize) -> usize {
        self.get(global).unwrap_or(0)
    }
}

/// Orders the columns of one component and gives its nodes coordinates (component-local, first
/// column at x = 0, centred on y = 0), in `comp` order.
fn place_component(
    graph: &LayoutGraph,
    comp: &[usize],
    rank: &[u32],
    progress: &Progress,
) -> Result<Vec<CanvasPoint>, Cancelled> {
    let n = comp.len();
    let local = LocalIndex::new(graph.len(), comp);
    let columns = rank.iter().max().map_or(0, |&m| m as usize + 1);
    // Neighbours in other columns, local indices.
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, &v) in comp.iter().enumerate() {
        for &(w, _) in graph.neighbours(v) {
            if let Some(j) = local.get(w)
                && rank[j] != rank[i]
            {
                adj[i].push(j);
            }
        }
    }

    // Initial order: depth-first from the first node of the first column, so connected nodes
    // start out next to each other.
    let mut seen = vec![false; n];
    let mut sequence = vec![0usize; n];
    let mut counter = 0usize;
    let mut starts: Vec<usize> = (0..n).collect();
    starts.sort_by_key(|&i| (rank[i], i));
    for &s in &starts {
        if seen[s] {
            continue;
        }
        let mut stack = vec![s];
        while let Some(v) = stack.pop() {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            sequence[v] = counter;
            counter += 1;
            let mut next: Vec<usize> = adj[v].iter().copied().filter(|&w| !seen[w]).collect();
            next.sort_by_key(|&w| std::cmp::Reverse((rank[w], w)));
            stack.extend(next);
        }
    }
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); columns];
    for i in 0..n {
        layers[rank[i] as usize].push(i);
    }
    for layer in &mut layers {
        layer.sort_by_key(|&i| sequence[i]);
    }

    let mut slot = vec![0.0f32; n]; // relative position in its column, 0..1
    let update_slots = |layers: &[Vec<usize>], slot: &mut [f32]| {
        for layer in layers {
            let len = layer.len() as f32;
            for (k, &v) in layer.iter().enumerate() {
                slot[v] = (k as f32 + 0.5) / len;
            }
        }
    };
    update_slots(&layers, &mut slot);
    let mut best = layers.clone();
    let mut best_crossings = crossings(&layers, &adj, rank);
    let sweeps = if n > 20_000 {
        ORDER_SWEEPS / 2
    } else {
        ORDER_SWEEPS
    };
    for sweep in 0..sweeps {
        progress.check()?;
        let down = sweep % 2 == 0;
        let column_order: Vec<usize> = if down {
            (1..columns).collect()
        } else {
            (0..columns.saturating_sub(1)).rev().collect()
        };
        for c in column_order {
            let mut keyed: Vec<(f32, usize, usize)> = layers[c]
                .iter()
                .enumerate()
                .map(|(k, &v)| {
                    let (mut sum, mut count) = (0.0f32, 0usize);
                    for &w in &adj[v] {
                        if (rank[w] < rank[v]) == down {
                            sum += slot[w];
                            count += 1;
                        }
                    }
                    let key = if count > 0 {
                        sum / count as f32
                    } else {
                        slot[v]
                    };
                    (key, k, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[c] = keyed.into_iter().map(|(_, _, v)| v).collect();
            let len = layers[c].len() as f32;
            for (k, &v) in layers[c].iter().enumerate() {
                slot[v] = (k as f32 + 0.5) / len;
            }
        }
        let now = crossings(&layers, &adj, rank);
        if now < best_crossings {
            best_crossings = now;
            best.clone_from(&layers);
        }
    }
    let layers = best;

    // Coordinates: columns left to right, rows pulled towards their neighbours.
    let mut y = vec![0.0f32; n];
    for layer in &layers {
        let half = (layer.len() as f32 - 1.0) * ROW_GAP * 0.5;
        for (k, &v) in layer.iter().enumerate() {
            y[v] = k as f32 * ROW_GAP - half;
        }
    }
    for sweep in 0..PLACEMENT_SWEEPS {
        progress.check()?;
        // Alternate down, up, then both directions for the last sweeps.
        let direction = if sweep + 2 >= PLACEMENT_SWEEPS {
            0
        } else if sweep % 2 == 0 {
            1
        } else {
            -1
        };
        let column_order: Vec<usize> = if direction >= 0 {
            (0..columns).collect()
        } else {
            (0..columns).rev().collect()
        };
        for c in column_order {
            let wanted: Vec<f32> = layers[c]
                .iter()
                .map(|&v| {
                    let (mut sum, mut count) = (0.0f32, 0usize);
                    for &w in &adj[v] {
                        let before = rank[w] < rank[v];
                        if direction == 0 || before == (direction > 0) {
                            sum += y[w];
                            count += 1;
                        }
                    }
                    if count > 0 { sum / count as f32 } else { y[v] }
                })
                .collect();
            let placed = fit_with_gaps(&wanted, ROW_GAP);
            for (&v, p) in layers[c].iter().zip(placed) {
                y[v] = p;
            }
        }
    }
    Ok((0..n)
        .map(|i| CanvasPoint {
            x: rank[i] as f32 * COLUMN_GAP,
            y: y[i],
        })
        .collect())
}

/// Crossings between adjacent columns (edges spanning one column), counted by inversions.
fn crossings(layers: &[Vec<usize>], adj: &[Vec<usize>], rank: &[u32]) -> u64 {
    let mut position = vec![0usize; adj.len()];
    for layer in layers {
        for (k, &v) in layer.iter().enumerate() {
            position[v] = k;
        }
    }
    let mut total = 0u64;
    for c in 0..layers.len().saturating_sub(1) {
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for &v in &layers[c] {
            for &w in &adj[v] {
                if rank[w] as usize == c + 1 {
                    pairs.push((position[v], position[w]));
                }
            }
        }
        pairs.sort_unstable();
        // Count pairs (a, b) with a before b in the upper column and after it in the lower one.
        let size = layers[c + 1].len();
        let mut tree = vec![0u64; size + 1];
        for (seen, &(_, lower)) in pairs.iter().enumerate() {
            let mut not_greater = 0u64;
            let mut i = lower + 1;
            while i > 0 {
                not_greater += tree[i];
                i &= i - 1;
            }
            total += seen as u64 - not_greater;
            let mut i = lower + 1;
            while i <= size {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

/// Positions closest (least squares) to `wanted` that keep the given order and at least `gap`
/// between neighbours: pool-adjacent-violators on `wanted[i] - i·gap`.
fn fit_with_gaps(wanted: &[f32], gap: f32) -> Vec<f32> {
    // Blocks of (sum, count) whose mean is non-decreasing.
    let mut blocks: Vec<(f64, usize)> = Vec::with_capacity(wanted.len());
    for (i, &w) in wanted.iter().enumerate() {
        let mut block = (f64::from(w) - i as f64 * f64::from(gap), 1usize);
        while let Some(&(sum, count)) = blocks.last() {
            if sum / count as f64 > block.0 / block.1 as f64 {
                block = (block.0 + sum, block.1 + count);
                blocks.pop();
            } else {
                break;
            }
        }
        blocks.push(block);
    }
    let mut out = Vec::with_capacity(wanted.len());
    for (sum, count) in blocks {
        let mean = sum / count as f64;
        for _ in 0..count {
            out.push((mean + out.len() as f64 * f64::from(gap)) as f32);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{LayoutEdge, LayoutNode};
    use crate::model::EntityKind;

    fn graph(n: usize, edges: &[(usize, usize, bool)]) -> LayoutGraph {
        let nodes = (0..n)
            .map(|i| {
                LayoutNode::new(
                    format!("n{i:03}"),
                    EntityKind::Company,
                    CanvasPoint::default(),
                )
            })
            .collect();
        let edges = edges
            .iter()
            .map(|&(from, to, flow)| LayoutEdge {
                from,
                to,
                weight: 1.0,
                flow,
                directed: true,
            })
            .collect();
        LayoutGraph::from_parts(nodes, edges)
    }

    #[test]
    fn a_chain_goes_left_to_right() {
        let g = graph(4, &[(2, 3, true), (0, 1, true), (1, 2, true)]);
        let r = ranks(&g);
        assert_eq!(r.rank, vec![Some(0), Some(1), Some(2), Some(3)]);
        assert!(r.reversed.is_empty());
        let p = layout(&g, &Progress::new()).expect("not cancelled");
        assert!(p.windows(2).all(|w| w[0].x < w[1].x));
    }

    #[test]
    fn cycles_are_broken_and_sources_pulled_in() {
        // 0 → 1 → 2 → 0 is a cycle; 3 → 2 is a late source that should sit next to 2.
        let g = graph(4, &[(0, 1, true), (1, 2, true), (2, 0, true), (3, 2, true)]);
        let r = ranks(&g);
        assert_eq!(r.reversed.len(), 1);
        let rank = |i: usize| r.rank[i].expect("ranked");
        for (k, e) in g.edges().iter().enumerate() {
            if !r.reversed.contains(&k) {
                assert!(rank(e.from) < rank(e.to), "edge {k}");
            }
        }
        assert_eq!(rank(3) + 1, rank(2));
    }

    #[test]
    fn context_nodes_hang_off_their_neighbours() {
        // 0 → 1 flow; 2 owns 1 (non-flow, directed): 2 sits one column before 1.
        let g = graph(3, &[(0, 1, true), (2, 1, false)]);
        let r = ranks(&g);
        assert_eq!(r.rank[2].map(|x| x + 1), r.rank[1]);
    }

    #[test]
    fn gap_fit_keeps_order_and_gaps() {
        let out = fit_with_gaps(&[0.0, 0.0, 0.0, 500.0], 100.0);
        assert_eq!(out, vec![-100.0, 0.0, 100.0, 500.0]);
        let out = fit_with_gaps(&[300.0, 0.0], 100.0);
        assert_eq!(out, vec![100.0, 200.0]);
    }

    #[test]
    fn crossing_count_is_exact() {
        // Column 0: a, b; column 1: c, d; edges a–d and b–c cross once.
        let layers = vec![vec![0, 1], vec![2, 3]];
        let adj = vec![vec![3], vec![2], vec![1], vec![0]];
        assert_eq!(crossings(&layers, &adj, &[0, 0, 1, 1]), 1);
        let layers = vec![vec![0, 1], vec![3, 2]];
        assert_eq!(crossings(&layers, &adj, &[0, 0, 1, 1]), 0);
    }
}
