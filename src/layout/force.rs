//! Force-directed layout: a spring-electrical model (Hu 2005) with Barnes–Hut repulsion, so a
//! step costs O(n log n + e).
//!
//! - Repulsion between every pair, `K³·mᵢ·mⱼ / d²`, where a node's mass is 1 + its degree so
//!   hubs get room for their leaves (as in `ForceAtlas2`). Far-away groups of nodes are
//!   summarised by the quadtree cell holding them when `cell size / distance < θ`.
//! - Attraction along edges, `w·d² / K`; a lone pair settles at the ideal length `K`.
//! - Mild gravity towards the starting centre, `γ·mᵢ·d`, with `γ` shrinking as `1/√n`, so
//!   disconnected pieces stay in view without squashing the main component.
//! - Cooling: each node moves along its force (divided by its mass) by at most the current
//!   step length, which Hu's adaptive rule grows after five improving steps in a row and
//!   shrinks by 10 % after any step that does not improve.
//!
//! Pinned nodes and nodes outside the run stay exactly put but still push and pull. Coincident
//! nodes are separated along a fixed pseudo-random direction per pair, so results are
//! deterministic and never NaN.

use super::arrange::pair_direction;
use super::graph::LayoutGraph;
use super::{Cancelled, NODE_SPACING, Progress};
use crate::model::{CanvasPoint, EntityId};

/// Tuning of the force model. The defaults suit the canvas's node size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ForceParams {
    /// Ideal edge length `K`, canvas units.
    pub ideal_length: f32,
    /// Barnes–Hut opening criterion θ: larger is faster and coarser. 0 gives exact forces.
    pub theta: f32,
    /// Multiplier on the automatic gravity.
    pub gravity: f32,
    /// Largest move of a node in the first step, canvas units.
    pub initial_step: f32,
}

impl Default for ForceParams {
    fn default() -> Self {
        Self {
            ideal_length: NODE_SPACING,
            theta: 0.9,
            gravity: 1.0,
            initial_step: NODE_SPACING,
        }
    }
}

/// Bodies per quadtree leaf: small enough to keep near-field sums short, large enough that the
/// tree stays shallow and cache-friendly.
const LEAF_SIZE: usize = 8;
/// Cells below this depth become leaves whatever their size (many coincident nodes).
const MAX_DEPTH: u32 = 40;
/// Hu's cooling factor.
const COOLING: f32 = 0.9;

/// A cell of the Barnes–Hut quadtree, stored in depth-first order: an inner cell's first child
/// follows it directly, and `next` skips its whole subtree, so a traversal needs no stack.
#[derive(Clone, Copy, Debug, Default)]
struct Cell {
    /// Centre of mass.
    cx: f32,
    cy: f32,
    mass: f32,
    /// A body farther than this (squared) from the centre of mass may use the cell as a
    /// whole: `(size / θ + δ)²`, where δ is the distance from the centre of mass to the
    /// centre of the cell's box (Barnes 1994), so no body ever approximates a cell it lies in.
    open_d2: f32,
    next: u32,
    /// Bodies `order[start..end]`.
    start: u32,
    end: u32,
    leaf: bool,
}

#[derive(Clone, Debug, Default)]
struct QuadTree {
    cells: Vec<Cell>,
    order: Vec<u32>,
}

impl QuadTree {
    fn build(&mut self, pos: &[CanvasPoint], mass: &[f32], theta: f32) {
        self.cells.clear();
        self.order.clear();
        self.order.extend(0..pos.len() as u32);
        if !pos.is_empty() {
            self.build_cell(pos, mass, theta, 0, pos.len(), 0);
        }
    }

    fn build_cell(
        &mut self,
        pos: &[CanvasPoint],
        mass: &[f32],
        theta: f32,
        start: usize,
        end: usize,
        depth: u32,
    ) {
        let index = self.cells.len();
        self.cells.push(Cell::default());
        let (mut min_x, mut min_y, mut max_x, mut max_y) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        let (mut mx, mut my, mut m) = (0.0f32, 0.0f32, 0.0f32);
        for &b in &self.order[start..end] {
            let p = pos[b as usize];
            let w = mass[b as usize];
            min_x = min_x.min(p.x);
            min_y = min_y.min(p.y);
            max_x = max_x.max(p.x);
            max_y = max_y.max(p.y);
            mx += p.x * w;
            my += p.y * w;
            m += w;
        }
        let size = (max_x - min_x).max(max_y - min_y);
        let leaf = end - start <= LEAF_SIZE
            || depth >= MAX_DEPTH
            || size <= f32::EPSILON * (1.0 + max_x.abs().max(max_y.abs()));
        if !leaf {
            // Split at the centre of the bodies' box into four quadrants, in place.
            let (xm, ym) = ((min_x + max_x) * 0.5, (min_y + max_y) * 0.5);
            let mid = start + partition(&mut self.order[start..end], |b| pos[b as usize].y < ym);
            let a = start + partition(&mut self.order[start..mid], |b| pos[b as usize].x < xm);
            let b = mid + partition(&mut self.order[mid..end], |b| pos[b as usize].x < xm);
            for (s, e) in [(start, a), (a, mid), (mid, b), (b, end)] {
                if s < e {
                    self.build_cell(pos, mass, theta, s, e, depth + 1);
                }
            }
        }
        let next = self.cells.len() as u32;
        let (cx, cy) = (mx / m, my / m);
        let offset = (cx - (min_x + max_x) * 0.5).hypot(cy - (min_y + max_y) * 0.5);
        // θ = 0 means exact forces: never approximate.
        let open = if theta > 0.0 {
            size / theta + offset
        } else {
            f32::INFINITY
        };
        self.cells[index] = Cell {
            cx,
            cy,
            mass: m,
            open_d2: open * open,
            next,
            start: start as u32,
            end: end as u32,
            leaf,
        };
    }
}

/// Moves the items matching `pred` to the front; returns how many there are. Deterministic.
fn partition(items: &mut [u32], pred: impl Fn(u32) -> bool) -> usize {
    let mut first = 0;
    for i in 0..items.len() {
        if pred(items[i]) {
            items.swap(first, i);
            first += 1;
        }
    }
    first
}

/// A running force simulation over a [`LayoutGraph`]. Positions are indexed like the graph's
/// nodes. Call [`ForceSim::step`] until [`ForceSim::is_settled`] (or as many frames as the
/// canvas likes), then [`ForceSim::moves`] gives the result for [`super::positions_edit`].
#[derive(Clone, Debug)]
pub struct ForceSim {
    ids: Vec<EntityId>,
    pos: Vec<CanvasPoint>,
    movable: Vec<bool>,
    mass: Vec<f32>,
    edges: Vec<(u32, u32, f32)>,
    centre: (f32, f32),
    gravity: f32,
    params: ForceParams,
    step_length: f32,
    improving_steps: u32,
    last_force_energy: f32,
    last_displacement: f32,
    steps: usize,
    force: Vec<(f32, f32)>,
    tree: QuadTree,
}

impl ForceSim {
    pub fn new(graph: &LayoutGraph) -> Self {
        Self::with_params(graph, ForceParams::default())
    }

    pub fn with_params(graph: &LayoutGraph, params: ForceParams) -> Self {
        let n = graph.len();
        let nodes = graph.nodes();
        let mass: Vec<f32> = (0..n).map(|i| 1.0 + graph.degree(i) as f32).collect();
        let movable: Vec<bool> = nodes.iter().map(super::LayoutNode::movable).collect();
        // Gravity pulls towards where the moving nodes started, so the drawing stays in view.
        let (mut sx, mut sy, mut count) = (0.0f64, 0.0f64, 0usize);
        for node in nodes.iter().filter(|n| n.movable()) {
            sx += f64::from(node.position.x);
            sy += f64::from(node.position.y);
            count += 1;
        }
        let centre = if count > 0 {
            ((sx / count as f64) as f32, (sy / count as f64) as f32)
        } else {
            (0.0, 0.0)
        };
        let mean_mass = mass.iter().sum::<f32>() / n.max(1) as f32;
        // Far field of a cluster of total mass M at distance D is K³·M/D², gravity γ·D: they
        // balance at D ≈ K·√n (the cluster's own radius) when γ = mean mass / √n.
        let gravity = params.gravity * mean_mass / (n.max(1) as f32).sqrt();
        Self {
            ids: nodes.iter().map(|n| n.id.clone()).collect(),
            pos: graph.positions(),
            movable,
            mass,
            edges: graph
                .edges()
                .iter()
                .filter(|e| e.from != e.to)
                .map(|e| (e.from as u32, e.to as u32, e.weight))
                .collect(),
            centre,
            gravity,
            params,
            step_length: params.initial_step.max(0.0),
            improving_steps: 0,
            last_force_energy: f32::INFINITY,
            last_displacement: f32::INFINITY,
            steps: 0,
            force: vec![(0.0, 0.0); n],
            tree: QuadTree::default(),
        }
    }

    /// Current positions, indexed like the graph's nodes.
    pub fn positions(&self) -> &[CanvasPoint] {
        &self.pos
    }

    /// Positions of the nodes the simulation may move, by entity id in id order.
    pub fn moves(&self) -> Vec<(EntityId, CanvasPoint)> {
        self.ids
            .iter()
            .zip(&self.pos)
            .zip(&self.movable)
            .filter(|(_, m)| **m)
            .map(|((id, p), _)| (id.clone(), *p))
            .collect()
    }

    /// Steps taken so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Current step length (the "temperature"): the most any node may move in the next step.
    pub fn step_length(&self) -> f32 {
        self.step_length
    }

    /// Whether further steps would hardly move anything.
    pub fn is_settled(&self) -> bool {
        let k = self.params.ideal_length;
        !self.movable.iter().any(|&m| m)
            || self.step_length < k * 0.005
            || self.last_displacement < k * 0.002
    }

    /// One simulation step. Returns the mean distance a movable node moved, in canvas units
    /// (0 when nothing can move).
    pub fn step(&mut self) -> f32 {
        let n = self.pos.len();
        if n == 0 || !self.movable.iter().any(|&m| m) {
            self.last_displacement = 0.0;
            return 0.0;
        }
        self.compute_forces();
        let mut force_energy = 0.0f32;
        let mut moved = 0.0f64;
        let mut count = 0usize;
        let step = self.step_length;
        for i in 0..n {
            if !self.movable[i] {
                continue;
            }
            let (fx, fy) = self.force[i];
            let (ax, ay) = (fx / self.mass[i], fy / self.mass[i]);
            let len = ax.hypot(ay);
            count += 1;
            if !len.is_finite() || len <= 0.0 {
                continue;
            }
            force_energy += len * len;
            let scale = step.min(len) / len;
            let (dx, dy) = (ax * scale, ay * scale);
            let p = &mut self.pos[i];
            if (p.x + dx).is_finite() && (p.y + dy).is_finite() {
                p.x += dx;
                p.y += dy;
                moved += f64::from(dx.hypot(dy));
            }
        }
        // Hu's adaptive cooling: speed up slowly while things improve, slow down otherwise.
        if force_energy < self.last_force_energy {
            self.improving_steps += 1;
            if self.improving_steps >= 5 {
                self.improving_steps = 0;
                self.step_length = (self.step_length / COOLING).min(self.params.initial_step * 8.0);
            }
        } else {
            self.improving_steps = 0;
            self.step_length *= COOLING;
        }
        self.last_force_energy = force_energy;
        self.steps += 1;
        self.last_displacement = (moved / count.max(1) as f64) as f32;
        self.last_displacement
    }

    /// Runs up to `max_steps` steps, or until settled, reporting progress.
    pub fn run(&mut self, max_steps: usize, progress: &Progress) -> Result<(), Cancelled> {
        for s in 0..max_steps {
            progress.step(s, max_steps)?;
            self.step();
            if self.is_settled() {
                break;
            }
        }
        Ok(())
    }

    fn compute_forces(&mut self) {
        let ideal = self.params.ideal_length;
        let ideal_cubed = ideal * ideal * ideal;
        // Softening: closer than this, forces stop growing (and coincident nodes stay finite).
        let min_d2 = (ideal * 0.05) * (ideal * 0.05);
        self.tree.build(&self.pos, &self.mass, self.params.theta);
        let cells = &self.tree.cells;
        let order = &self.tree.order;
        let pos = &self.pos;
        let mass = &self.mass;
        for f in &mut self.force {
            *f = (0.0, 0.0);
        }
        // Bodies in tree order, so consecutive traversals touch the same cells.
        for &body in order {
            let body = body as usize;
            if !self.movable[body] {
                continue;
            }
            let at = pos[body];
            let (mut fx, mut fy) = (0.0f32, 0.0f32);
            let mut next_cell = 0usize;
            while let Some(cell) = cells.get(next_cell) {
                let dx = at.x - cell.cx;
                let dy = at.y - cell.cy;
                let d2 = dx * dx + dy * dy;
                if cell.leaf {
                    for &other in &order[cell.start as usize..cell.end as usize] {
                        let other = other as usize;
                        if other == body {
                            continue;
                        }
                        let (mut dx, mut dy) = (at.x - pos[other].x, at.y - pos[other].y);
                        let mut d2 = dx * dx + dy * dy;
                        if d2 < min_d2 {
                            if d2 <= f32::EPSILON {
                                (dx, dy) = pair_direction(body, other);
                                d2 = 1.0;
                            }
                            // Keep the direction, cap the magnitude at the softening distance.
                            let scale = (min_d2 / d2).sqrt();
                            dx *= scale;
                            dy *= scale;
                            d2 = min_d2;
                        }
                        let inv = mass[other] / (d2 * d2.sqrt());
                        fx += dx * inv;
                        fy += dy * inv;
                    }
                    next_cell = cell.next as usize;
                } else if d2 > cell.open_d2 {
                    let inv = cell.mass / (d2 * d2.sqrt());
                    fx += dx * inv;
                    fy += dy * inv;
                    next_cell = cell.next as usize;
                } else {
                    next_cell += 1;
                }
            }
            let repulsion = ideal_cubed * mass[body];
            let gravity = self.gravity * mass[body];
            self.force[body] = (
                fx * repulsion - gravity * (at.x - self.centre.0),
                fy * repulsion - gravity * (at.y - self.centre.1),
            );
        }
        for &(from, to, weight) in &self.edges {
            let (from, to) = (from as usize, to as usize);
            let dx = pos[to].x - pos[from].x;
            let dy = pos[to].y - pos[from].y;
            // Magnitude w·d²/K along the unit vector (dx, dy)/d.
            let pull = weight * dx.hypot(dy) / ideal;
            self.force[from].0 += dx * pull;
            self.force[from].1 += dy * pull;
            self.force[to].0 -= dx * pull;
            self.force[to].1 -= dy * pull;
        }
    }

    /// The model's potential energy (springs + pairwise repulsion + gravity), which the
    /// simulation descends. Repulsion is summed with the same Barnes–Hut approximation.
    pub fn energy(&mut self) -> f64 {
        let ideal = f64::from(self.params.ideal_length);
        let min_d = ideal * 0.05;
        self.tree.build(&self.pos, &self.mass, self.params.theta);
        let cells = &self.tree.cells;
        let order = &self.tree.order;
        let mut repulsion = 0.0f64;
        for (body, at) in self.pos.iter().enumerate() {
            let mut sum = 0.0f64;
            let mut next_cell = 0usize;
            while let Some(cell) = cells.get(next_cell) {
                let d2 = (at.x - cell.cx).powi(2) + (at.y - cell.cy).powi(2);
                if cell.leaf {
                    for &other in &order[cell.start as usize..cell.end as usize] {
                        let other = other as usize;
                        if other != body {
                            let q = self.pos[other];
                            let d = f64::from((at.x - q.x).hypot(at.y - q.y)).max(min_d);
                            sum += f64::from(self.mass[other]) / d;
                        }
                    }
                    next_cell = cell.next as usize;
                } else if d2 > cell.open_d2 {
                    sum += f64::from(cell.mass) / f64::from(d2.sqrt());
                    next_cell = cell.next as usize;
                } else {
                    next_cell += 1;
                }
            }
            repulsion += sum * f64::from(self.mass[body]);
        }
        // Each pair was counted from both ends.
        let mut energy = repulsion * 0.5 * ideal * ideal * ideal;
        for &(from, to, weight) in &self.edges {
            let (p, q) = (self.pos[from as usize], self.pos[to as usize]);
            let d = f64::from((p.x - q.x).hypot(p.y - q.y));
            energy += f64::from(weight) * d * d * d / (3.0 * ideal);
        }
        for (p, m) in self.pos.iter().zip(&self.mass) {
            let d2 = f64::from((p.x - self.centre.0).powi(2) + (p.y - self.centre.1).powi(2));
            energy += f64::from(self.gravity * m) * d2 * 0.5;
        }
        energy
    }
}

/// Steps a full layout takes at most: more for small graphs, where steps are cheap.
fn step_budget(n: usize) -> usize {
    (3_000_000 / n.max(1)).clamp(100, 600)
}

/// The full force layout: positions for all nodes (fixed ones unchanged).
pub(crate) fn layout(
    graph: &LayoutGraph,
    progress: &Progress,
) -> Result<Vec<CanvasPoint>, Cancelled> {
    let mut sim = ForceSim::new(graph);
    sim.run(step_budget(graph.len()), progress)?;
    Ok(sim.pos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{LayoutEdge, LayoutNode};
    use crate::model::EntityKind;

    fn graph(points: &[(f32, f32)], edges: &[(usize, usize)]) -> LayoutGraph {
        let nodes = points
            .iter()
            .enumerate()
            .map(|(i, &(x, y))| {
                LayoutNode::new(
                    format!("n{i:04}"),
                    EntityKind::Company,
                    CanvasPoint { x, y },
                )
            })
            .collect();
        let edges = edges
            .iter()
            .map(|&(from, to)| LayoutEdge {
                from,
                to,
                weight: 1.0,
                flow: false,
                directed: false,
            })
            .collect();
        LayoutGraph::from_parts(nodes, edges)
    }

    #[test]
    fn quadtree_forces_match_brute_force() {
        let points: Vec<(f32, f32)> = (0..300)
            .map(|i| {
                let (x, y) = crate::layout::arrange::pair_direction(i, 10_000);
                (x * (i as f32) * 7.0, y * (i as f32) * 5.0)
            })
            .collect();
        let g = graph(&points, &[]);
        let exact = {
            let mut sim = ForceSim::with_params(
                &g,
                ForceParams {
                    theta: 0.0,
                    ..ForceParams::default()
                },
            );
            sim.compute_forces();
            sim.force.clone()
        };
        let mut sim = ForceSim::new(&g);
        sim.compute_forces();
        // Net forces are small residues of large opposing pulls, so compare globally (RMS):
        // the approximation must stay within a few percent of the exact field.
        let (mut err2, mut total2) = (0.0f64, 0.0f64);
        for (a, b) in exact.iter().zip(&sim.force) {
            err2 += f64::from((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2));
            total2 += f64::from(a.0 * a.0 + a.1 * a.1);
        }
        let relative = (err2 / total2).sqrt();
        assert!(relative < 0.05, "RMS relative error {relative}");
    }

    #[test]
    fn a_pair_settles_near_the_ideal_length() {
        let mut sim = ForceSim::new(&graph(&[(0.0, 0.0), (900.0, 0.0)], &[(0, 1)]));
        for _ in 0..500 {
            sim.step();
        }
        let p = sim.positions();
        let d = (p[0].x - p[1].x).hypot(p[0].y - p[1].y);
        // Masses of 2 each: equilibrium at K·4^(1/4) ≈ 1.41 K, less a little gravity.
        assert!(d > NODE_SPACING && d < NODE_SPACING * 1.6, "{d}");
    }

    #[test]
    fn coincident_nodes_separate_without_nan() {
        let mut sim = ForceSim::new(&graph(&[(5.0, 5.0); 40], &[(0, 1), (1, 2)]));
        for _ in 0..50 {
            let moved = sim.step();
            assert!(moved.is_finite());
        }
        for (i, a) in sim.positions().iter().enumerate() {
            assert!(a.x.is_finite() && a.y.is_finite());
            for b in &sim.positions()[i + 1..] {
                assert!((a.x - b.x).hypot(a.y - b.y) > 1.0);
            }
        }
        assert!(sim.energy().is_finite());
    }
}
