//! The multilevel force layout (Walshaw 2003; Hu 2005, as Graphviz's sfdp): coarsen the graph
//! by merging matched pairs of nodes until a few dozen remain, lay out the coarsest graph, then
//! refine level by level, each level starting where its coarser parent ended. The coarse
//! levels settle the global shape in few, cheap steps, so the full graph only needs local
//! refinement, which is why large graphs come out untangled instead of as a hairball.
//!
//! - Coarsening: heavy-edge matching, lightest clusters first (so clusters stay balanced),
//!   then unmatched leaves of the same neighbour pair up (stars shrink too), then isolated
//!   nodes pair up. A cluster's mass is the sum of its members', edges between clusters add
//!   their weights, so every level has the same far field and draws at the same scale.
//! - Nodes that may not move (pinned, or outside the run) are never merged: they sit at their
//!   own place on every level and push and pull there.
//! - Each level runs to convergence under Hu's adaptive step; the step cap is a safety net.
//!   Every level sums repulsion over all pairs (Barnes–Hut). A grid cut-off (only pairs within
//!   a few spacings, as igraph's Fruchterman–Reingold) was tried for the large levels: without
//!   the far field the drawing contracted until each node had hundreds of others within the
//!   cut-off, so steps got slower, and stress rose from 0.161 to 0.204 on 10k entities.

use super::arrange::pair_direction;
use super::force::{ForceParams, ForceSim, SimGraph};
use super::graph::LayoutGraph;
use super::{Cancelled, Progress};
use crate::model::CanvasPoint;
use std::time::Instant;

/// Coarsening stops when this few movable nodes remain.
const COARSEST: usize = 40;
/// ... or when a round of matching keeps more than this share of the movable nodes.
const STALLED: f32 = 0.85;
/// Steps a level may take at most (a safety net: levels stop when they settle).
const LEVEL_STEP_CAP: usize = 1_000;

/// What each level of one layout did, finest first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LevelStats {
    pub nodes: usize,
    pub edges: usize,
    pub steps: usize,
    pub seconds: f64,
}

/// One level: its simulation graph, how many original nodes each node stands for, and for
/// each node of the next finer level the node of this level it was merged into.
struct Level {
    graph: SimGraph,
    size: Vec<u32>,
}

/// The hierarchy, finest first, and `parent[l][i]`: the node of level `l + 1` that node `i`
/// of level `l` belongs to.
fn hierarchy(finest: SimGraph) -> (Vec<Level>, Vec<Vec<u32>>) {
    let size = vec![1; finest.len()];
    let mut levels = vec![Level {
        graph: finest,
        size,
    }];
    let mut parents = Vec::new();
    while let Some((coarse, parent)) = levels.last().and_then(coarsen) {
        levels.push(coarse);
        parents.push(parent);
    }
    (levels, parents)
}

fn coarsen(level: &Level) -> Option<(Level, Vec<u32>)> {
    let g = &level.graph;
    let n = g.len();
    let movable = g.movable.iter().filter(|&&m| m).count();
    if movable <= COARSEST {
        return None;
    }
    // Adjacency (both directions) with summed weights per neighbour entry.
    let mut start = vec![0u32; n + 1];
    for &(a, b, _) in &g.edges {
        start[a as usize + 1] += 1;
        start[b as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill: Vec<u32> = start[..n].to_vec();
    let mut adjacency = vec![(0u32, 0.0f32); start[n] as usize];
    for &(a, b, w) in &g.edges {
        adjacency[fill[a as usize] as usize] = (b, w);
        fill[a as usize] += 1;
        adjacency[fill[b as usize] as usize] = (a, w);
        fill[b as usize] += 1;
    }
    let neighbours = |i: usize| &adjacency[start[i] as usize..start[i + 1] as usize];

    const FREE: u32 = u32::MAX;
    let mut mate = vec![FREE; n];
    // Lightest clusters first, then fewest neighbours, then index: deterministic.
    let mut order: Vec<u32> = (0..n as u32).filter(|&i| g.movable[i as usize]).collect();
    order.sort_by_key(|&i| (level.size[i as usize], neighbours(i as usize).len(), i));
    for &u in &order {
        let u = u as usize;
        if mate[u] != FREE {
            continue;
        }
        let mut best: Option<(f32, u32)> = None;
        for &(v, w) in neighbours(u) {
            let vi = v as usize;
            if vi == u || mate[vi] != FREE || !g.movable[vi] {
                continue;
            }
            // Heavy edges between light clusters first.
            let score = w / (level.size[u] * level.size[vi]) as f32;
            if best.is_none_or(|(s, b)| score > s || (score == s && v < b)) {
                best = Some((score, v));
            }
        }
        if let Some((_, v)) = best {
            mate[u] = v;
            mate[v as usize] = u as u32;
        }
    }
    // Unmatched nodes hanging off the same neighbour (the leaves of a star) pair up.
    let mut waiting = vec![FREE; n];
    for &u in &order {
        let u = u as usize;
        if mate[u] != FREE {
            continue;
        }
        let Some(&(hub, _)) = neighbours(u)
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        else {
            continue;
        };
        let hub = hub as usize;
        match waiting[hub] {
            FREE => waiting[hub] = u as u32,
            other => {
                mate[u] = other;
                mate[other as usize] = u as u32;
                waiting[hub] = FREE;
            }
        }
    }
    // Isolated movable nodes pair up in index order.
    let mut lone: Option<usize> = None;
    for u in 0..n {
        if g.movable[u] && mate[u] == FREE && neighbours(u).is_empty() {
            match lone.take() {
                None => lone = Some(u),
                Some(other) => {
                    mate[u] = other as u32;
                    mate[other] = u as u32;
                }
            }
        }
    }

    // Coarse nodes in order of their first member.
    let mut parent = vec![FREE; n];
    let mut coarse = SimGraph::default();
    let mut size = Vec::new();
    for u in 0..n {
        if parent[u] != FREE {
            continue;
        }
        let c = coarse.len() as u32;
        parent[u] = c;
        let (mut m, mut s) = (g.mass[u], level.size[u]);
        let (mut x, mut y) = (g.pos[u].x * g.mass[u], g.pos[u].y * g.mass[u]);
        if mate[u] != FREE {
            let v = mate[u] as usize;
            parent[v] = c;
            m += g.mass[v];
            s += level.size[v];
            x += g.pos[v].x * g.mass[v];
            y += g.pos[v].y * g.mass[v];
        }
        coarse.pos.push(CanvasPoint { x: x / m, y: y / m });
        coarse.movable.push(g.movable[u]);
        coarse.mass.push(m);
        size.push(s);
    }
    let coarse_movable = coarse.movable.iter().filter(|&&m| m).count();
    if coarse_movable as f32 > movable as f32 * STALLED {
        return None;
    }
    // Edges between clusters, merged by adding weights.
    let mut edges: Vec<(u32, u32, f32)> = g
        .edges
        .iter()
        .filter_map(|&(a, b, w)| {
            let (a, b) = (parent[a as usize], parent[b as usize]);
            (a != b).then(|| (a.min(b), a.max(b), w))
        })
        .collect();
    edges.sort_unstable_by_key(|&(a, b, _)| (a, b));
    edges.dedup_by(|next, kept| {
        if (next.0, next.1) == (kept.0, kept.1) {
            kept.2 += next.2;
            true
        } else {
            false
        }
    });
    coarse.edges = edges;
    Some((
        Level {
            graph: coarse,
            size,
        },
        parent,
    ))
}

/// Places the nodes of `fine` around their parents' places in `coarse`: a lone member takes
/// its parent's place, a pair straddles it along a fixed direction, about as far apart as
/// their clusters are wide. Fixed nodes keep their own place.
fn prolong(fine: &mut Level, coarse: &Level, parent: &[u32], ideal: f32) {
    let mut first = vec![u32::MAX; coarse.graph.len()];
    for (u, &c) in parent.iter().enumerate() {
        let c = c as usize;
        if !fine.graph.movable[u] {
            continue;
        }
        let at = coarse.graph.pos[c];
        match first[c] {
            u32::MAX => {
                first[c] = u as u32;
                fine.graph.pos[u] = at;
            }
            v => {
                let v = v as usize;
                let (dx, dy) = pair_direction(v, u);
                let spread = |s: u32| ideal * 0.3 * (s as f32).sqrt();
                let (rv, ru) = (spread(fine.size[v]), spread(fine.size[u]));
                fine.graph.pos[v] = CanvasPoint {
                    x: at.x - dx * ru,
                    y: at.y - dy * ru,
                };
                fine.graph.pos[u] = CanvasPoint {
                    x: at.x + dx * rv,
                    y: at.y + dy * rv,
                };
            }
        }
    }
}

/// Runs every level but the finest and returns the finest level's simulation, started from
/// the coarse layout, ready to refine. `stats` receives the coarse levels' figures.
fn prepare(
    graph: &LayoutGraph,
    params: ForceParams,
    progress: &Progress,
    stats: &mut Vec<LevelStats>,
) -> Result<(ForceSim, f32), Cancelled> {
    let finest = SimGraph::from_layout_graph(graph);
    let centre = finest.movable_centre();
    let gravity = finest.gravity(&params);
    let ideal = params.ideal_length;
    let (mut levels, parents) = hierarchy(finest);
    // Progress: each level's share is its size (steps cost about the same per node).
    let total: f32 = levels
        .iter()
        .map(|l| l.graph.len() as f32)
        .sum::<f32>()
        .max(1.0);
    let mut done = 0.0f32;
    let coarse_levels = levels.len() - 1;
    for l in (1..levels.len()).rev() {
        let started = Instant::now();
        let share = levels[l].graph.len() as f32 / total;
        let graph = std::mem::take(&mut levels[l].graph);
        let edges = graph.edges.len();
        let mean_size = levels[l].size.iter().sum::<u32>() as f32 / levels[l].size.len() as f32;
        // The coarsest level may start anywhere: big steps. Finer levels start close.
        let step = if l == coarse_levels {
            ideal * mean_size.sqrt() * 2.0
        } else {
            ideal * mean_size.sqrt() * 0.5
        };
        let mut sim = ForceSim::from_sim_graph(graph, centre, gravity, params, step);
        sim.run_within(LEVEL_STEP_CAP, progress, done, done + share)?;
        done += share;
        stats.push(LevelStats {
            nodes: levels[l].size.len(),
            edges,
            steps: sim.steps(),
            seconds: started.elapsed().as_secs_f64(),
        });
        levels[l].graph = sim.into_sim_graph();
        let (finer, coarser) = levels.split_at_mut(l);
        prolong(&mut finer[l - 1], &coarser[0], &parents[l - 1], ideal);
    }
    let finest = std::mem::take(&mut levels[0].graph);
    let step = if coarse_levels == 0 {
        params.initial_step
    } else {
        ideal * 0.5
    };
    let sim = ForceSim::from_sim_graph(finest, centre, gravity, params, step);
    Ok((sim, done))
}

/// The finest level's simulation, started from the layout of the coarser levels.
pub(crate) fn prepare_finest(
    graph: &LayoutGraph,
    params: ForceParams,
    progress: &Progress,
) -> Result<ForceSim, Cancelled> {
    prepare(graph, params, progress, &mut Vec::new()).map(|(sim, _)| sim)
}

/// The full multilevel layout and what each level did (finest first).
pub fn layout_with_stats(
    graph: &LayoutGraph,
    progress: &Progress,
) -> Result<(Vec<CanvasPoint>, Vec<LevelStats>), Cancelled> {
    layout_with_params(graph, ForceParams::default(), progress)
}

/// [`layout_with_stats`] with other tuning.
pub fn layout_with_params(
    graph: &LayoutGraph,
    params: ForceParams,
    progress: &Progress,
) -> Result<(Vec<CanvasPoint>, Vec<LevelStats>), Cancelled> {
    let mut stats = Vec::new();
    let (mut sim, done) = prepare(graph, params, progress, &mut stats)?;
    // Coarse levels were recorded coarsest first.
    stats.reverse();
    let edges = graph.edges().len();
    let started = Instant::now();
    sim.run_within(LEVEL_STEP_CAP, progress, done, 1.0)?;
    stats.insert(
        0,
        LevelStats {
            nodes: graph.len(),
            edges,
            steps: sim.steps(),
            seconds: started.elapsed().as_secs_f64(),
        },
    );
    Ok((sim.into_positions(), stats))
}
