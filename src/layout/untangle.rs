//! A crossing-reduction pass after a layout: a local search over node positions that lowers
//! the number of edge crossings, of edges passing close to a node that is not one of their ends,
//! and of nodes crowding each other, with edges as straight segments between node centres (as
//! the picture draws a single link; fanned-out parallel links and route hops bend a little).
//!
//! Each node in turn tries a few places: the barycentre of its neighbours, spots around it and
//! around where it is, and swapping places with a movable node near that barycentre. A move is
//! taken only when it strictly lowers the cost
//! `crossings + NEAR_WEIGHT · edges near nodes + CROWD_WEIGHT · nodes closer than the minimum gap`,
//! so the pass never makes the drawing worse by its own measure. The cost of a move is
//! computed from the moved nodes' edges only, against a uniform grid of segments and nodes, so
//! a round costs about (edges × neighbourhood) instead of edges².
//!
//! In [`Freedom::Vertical`] nodes keep their x (the layered layout's columns) and only swap
//! with nodes of the same column or move up and down it.
//!
//! Deterministic: nodes are visited in index order, candidates in a fixed order, and the work is
//! capped by a count of tests rather than by time.

use super::{Cancelled, NODE_SPACING, Progress};
use crate::model::CanvasPoint;

/// Larger graphs are left as they are: the pass is for pictures a reader looks at.
pub const MAX_NODES: usize = 5_000;
/// ... and so are graphs with more edges than this.
pub const MAX_EDGES: usize = 20_000;
/// An edge passing a node costs as much as this many crossings.
const NEAR_WEIGHT: u64 = 4;
/// A node closer than the minimum gap to another costs as much as this many crossings.
const CROWD_WEIGHT: u64 = 1_000;
/// Distance from a segment within which a node counts as "on" the edge: the picture's node
/// radius (22) and some room for the fanned-out curves.
const NEAR_RADIUS: f32 = 26.0;
/// Nodes with more links than this stay where they are (moving them is costly and rarely
/// helps); they can still be passed by others.
const MAX_MOVING_DEGREE: usize = 48;
/// Rounds over all nodes at most.
const MAX_ROUNDS: usize = 10;
/// Segment and distance tests the pass may spend, in total.
const WORK_BUDGET: u64 = 40_000_000;
/// Swap partners tried per node.
const SWAP_CANDIDATES: usize = 8;

/// How nodes may move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freedom {
    /// Anywhere in the plane.
    Free,
    /// Only up and down: x stays (layered columns).
    Vertical,
}

/// The tuning of one pass.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    pub freedom: Freedom,
    /// Nodes closer than this to each other count as crowding.
    pub min_gap: f32,
    /// Typical distance between linked nodes: how far candidate spots lie.
    pub spacing: f32,
    /// Whether [`untangle_graph`] models fanned-out links and route hops as the curves the
    /// picture draws, or as straight lines (one per link). On the training case the straight
    /// model gave the force layout fewer crossings in the picture (72 against 101), the curved
    /// one the layered layout (73 against 171 before the pass).
    pub curved: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            freedom: Freedom::Free,
            min_gap: NODE_SPACING * 0.6,
            spacing: NODE_SPACING,
            curved: false,
        }
    }
}

/// What the pass found and did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub crossings_before: u64,
    pub near_before: u64,
    pub crowded_before: u64,
    pub crossings_after: u64,
    pub near_after: u64,
    pub crowded_after: u64,
    /// Moves and swaps taken.
    pub moves: usize,
    /// Whether the pass ran at all (it skips graphs above [`MAX_NODES`] / [`MAX_EDGES`]).
    pub ran: bool,
}

/// Cost components of a set of nodes' edges.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Cost {
    crossings: u64,
    near: u64,
    crowded: u64,
}

impl Cost {
    fn total(self) -> u64 {
        self.crossings + NEAR_WEIGHT * self.near + CROWD_WEIGHT * self.crowded
    }
}

/// A uniform grid of buckets over the drawing; points outside fall into the border cells.
struct Grid {
    x0: f32,
    y0: f32,
    cell: f32,
    nx: i32,
    ny: i32,
    buckets: Vec<Vec<u32>>,
}

impl Grid {
    fn new(points: &[CanvasPoint], cell: f32) -> Grid {
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for p in points {
            x0 = x0.min(p.x);
            y0 = y0.min(p.y);
            x1 = x1.max(p.x);
            y1 = y1.max(p.y);
        }
        if x0 > x1 {
            (x0, y0, x1, y1) = (0.0, 0.0, 0.0, 0.0);
        }
        // At most 256 cells a side.
        let cell = cell.max((x1 - x0) / 256.0).max((y1 - y0) / 256.0).max(1.0);
        let nx = ((x1 - x0) / cell) as i32 + 1;
        let ny = ((y1 - y0) / cell) as i32 + 1;
        Grid {
            x0,
            y0,
            cell,
            nx,
            ny,
            buckets: vec![Vec::new(); (nx * ny) as usize],
        }
    }

    fn cx(&self, x: f32) -> i32 {
        (((x - self.x0) / self.cell).floor() as i32).clamp(0, self.nx - 1)
    }

    fn cy(&self, y: f32) -> i32 {
        (((y - self.y0) / self.cell).floor() as i32).clamp(0, self.ny - 1)
    }

    /// Cell ranges covering the box.
    fn range(&self, x0: f32, y0: f32, x1: f32, y1: f32) -> (i32, i32, i32, i32) {
        (self.cx(x0), self.cy(y0), self.cx(x1), self.cy(y1))
    }

    fn insert(&mut self, r: (i32, i32, i32, i32), item: u32) {
        for y in r.1..=r.3 {
            for x in r.0..=r.2 {
                self.buckets[(y * self.nx + x) as usize].push(item);
            }
        }
    }

    fn remove(&mut self, r: (i32, i32, i32, i32), item: u32) {
        for y in r.1..=r.3 {
            for x in r.0..=r.2 {
                let b = &mut self.buckets[(y * self.nx + x) as usize];
                if let Some(k) = b.iter().position(|&i| i == item) {
                    b.swap_remove(k);
                }
            }
        }
    }

    /// Calls `f` for every item in the cells of the range (items in several cells repeat).
    fn visit(&self, r: (i32, i32, i32, i32), mut f: impl FnMut(u32)) {
        for y in r.1..=r.3 {
            for x in r.0..=r.2 {
                for &i in &self.buckets[(y * self.nx + x) as usize] {
                    f(i);
                }
            }
        }
    }
}

fn orient(a: CanvasPoint, b: CanvasPoint, c: CanvasPoint) -> f64 {
    let (ax, ay) = (f64::from(a.x), f64::from(a.y));
    (f64::from(b.x) - ax) * (f64::from(c.y) - ay) - (f64::from(b.y) - ay) * (f64::from(c.x) - ax)
}

fn cross(p1: CanvasPoint, p2: CanvasPoint, p3: CanvasPoint, p4: CanvasPoint) -> bool {
    orient(p3, p4, p1) * orient(p3, p4, p2) < 0.0 && orient(p1, p2, p3) * orient(p1, p2, p4) < 0.0
}

/// Squared distance from `c` to the segment `a`–`b`.
fn seg_dist2(a: CanvasPoint, b: CanvasPoint, c: CanvasPoint) -> f32 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let l = dx * dx + dy * dy;
    let t = if l == 0.0 {
        0.0
    } else {
        (((c.x - a.x) * dx + (c.y - a.y) * dy) / l).clamp(0.0, 1.0)
    };
    let (px, py) = (a.x + t * dx - c.x, a.y + t * dy - c.y);
    px * px + py * py
}

fn dist2(a: CanvasPoint, b: CanvasPoint) -> f32 {
    (a.x - b.x).powi(2) + (a.y - b.y).powi(2)
}

/// One drawn link: a quadratic curve from `from` to `to` whose control point lies `bend` units
/// off the midpoint, along the left normal of `from` → `to` (0 is a straight line).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Curve {
    pub from: usize,
    pub to: usize,
    pub bend: f32,
}

/// Segments a bent curve is flattened to.
const CURVE_SEGMENTS: usize = 4;

/// The polylines of an edge's curves between `a` and `b` (bends along the normal of `a` → `b`).
fn shape(bends: &[f32], a: CanvasPoint, b: CanvasPoint) -> Vec<Vec<CanvasPoint>> {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = dx.hypot(dy);
    let (nx, ny) = if len > 0.0 {
        (-dy / len, dx / len)
    } else {
        (0.0, 0.0)
    };
    bends
        .iter()
        .map(|&bend| {
            if bend == 0.0 {
                return vec![a, b];
            }
            let c = CanvasPoint {
                x: (a.x + b.x) * 0.5 + nx * bend,
                y: (a.y + b.y) * 0.5 + ny * bend,
            };
            (0..=CURVE_SEGMENTS)
                .map(|k| {
                    let s = k as f32 / CURVE_SEGMENTS as f32;
                    let u = 1.0 - s;
                    CanvasPoint {
                        x: u * u * a.x + 2.0 * u * s * c.x + s * s * b.x,
                        y: u * u * a.y + 2.0 * u * s * c.y + s * s * b.y,
                    }
                })
                .collect()
        })
        .collect()
}

/// The box around a shape, `[x0, y0, x1, y1]`.
fn shape_box(shape: &[Vec<CanvasPoint>]) -> [f32; 4] {
    let mut r = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for p in shape.iter().flatten() {
        r[0] = r[0].min(p.x);
        r[1] = r[1].min(p.y);
        r[2] = r[2].max(p.x);
        r[3] = r[3].max(p.y);
    }
    r
}

fn boxes_meet(a: &[f32; 4], b: &[f32; 4]) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

/// Pairs of curves (one from each shape) that cross, and the segment tests spent.
fn shape_crossings(s: &[Vec<CanvasPoint>], t: &[Vec<CanvasPoint>]) -> (u64, u64) {
    let (mut count, mut work) = (0u64, 0u64);
    for c in s {
        for d in t {
            work += ((c.len() - 1) * (d.len() - 1)) as u64;
            if c.windows(2)
                .any(|p| d.windows(2).any(|q| cross(p[0], p[1], q[0], q[1])))
            {
                count += 1;
            }
        }
    }
    (count, work)
}

/// Curves of a shape passing within [`NEAR_RADIUS`] of `p`.
fn shape_near(s: &[Vec<CanvasPoint>], p: CanvasPoint) -> u64 {
    let near2 = NEAR_RADIUS * NEAR_RADIUS;
    s.iter()
        .filter(|c| c.windows(2).any(|q| seg_dist2(q[0], q[1], p) < near2))
        .count() as u64
}

type Shape = Vec<Vec<CanvasPoint>>;

struct State<'a> {
    pos: &'a mut [CanvasPoint],
    /// Node pairs, low index first.
    edges: Vec<(u32, u32)>,
    /// The bends of each edge's curves, along the normal of low → high.
    bends: Vec<Vec<f32>>,
    /// Each edge's shape and box at the current positions.
    shapes: Vec<Shape>,
    boxes: Vec<[f32; 4]>,
    /// Edge indices at each node.
    incident: Vec<Vec<u32>>,
    neighbours: Vec<Vec<u32>>,
    /// Edges by the cells of their box grown by [`NEAR_RADIUS`].
    edge_grid: Grid,
    node_grid: Grid,
    /// Per-query stamps to visit each edge / node once.
    edge_stamp: Vec<u32>,
    node_stamp: Vec<u32>,
    stamp: u32,
    min_gap: f32,
    work: u64,
}

impl State<'_> {
    fn box_range(&self, b: &[f32; 4]) -> (i32, i32, i32, i32) {
        self.edge_grid.range(
            b[0] - NEAR_RADIUS,
            b[1] - NEAR_RADIUS,
            b[2] + NEAR_RADIUS,
            b[3] + NEAR_RADIUS,
        )
    }

    fn node_range(&self, p: CanvasPoint) -> (i32, i32, i32, i32) {
        let c = self.node_grid.cx(p.x);
        let r = self.node_grid.cy(p.y);
        (c, r, c, r)
    }

    fn next_stamp(&mut self) -> u32 {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.edge_stamp.fill(0);
            self.node_stamp.fill(0);
            self.stamp = 1;
        }
        self.stamp
    }

    /// The cost that involves the nodes of `moved` (one or two) if they stood at `at`: their
    /// edges' crossings with all other edges and among themselves, nodes near their edges,
    /// their nearness to other edges, and crowding.
    fn local_cost(&mut self, moved: &[u32], at: &[CanvasPoint]) -> Cost {
        let place = |pos: &[CanvasPoint], v: u32| -> CanvasPoint {
            moved
                .iter()
                .position(|&m| m == v)
                .map_or(pos[v as usize], |k| at[k])
        };
        let mut own: Vec<u32> = moved
            .iter()
            .flat_map(|&v| self.incident[v as usize].iter().copied())
            .collect();
        own.sort_unstable();
        own.dedup();
        let own_shapes: Vec<(Shape, [f32; 4])> = own
            .iter()
            .map(|&e| {
                let (u, v) = self.edges[e as usize];
                let sh = shape(
                    &self.bends[e as usize],
                    place(self.pos, u),
                    place(self.pos, v),
                );
                let b = shape_box(&sh);
                (sh, b)
            })
            .collect();
        let is_own = |k: u32| own.binary_search(&k).is_ok();
        let mut cost = Cost::default();
        let mut work = 0u64;
        for (i, &e) in own.iter().enumerate() {
            let (u, v) = self.edges[e as usize];
            let (sh, bb) = &own_shapes[i];
            let (stamp, node_query) = (self.next_stamp(), self.next_stamp());
            // Crossings with edges that do not move.
            let range = self.box_range(bb);
            let (edges, shapes, boxes, pos, edge_stamp) = (
                &self.edges,
                &self.shapes,
                &self.boxes,
                &*self.pos,
                &mut self.edge_stamp,
            );
            self.edge_grid.visit(range, |f| {
                if edge_stamp[f as usize] == stamp || is_own(f) {
                    return;
                }
                edge_stamp[f as usize] = stamp;
                let (s, t) = edges[f as usize];
                if s == u || s == v || t == u || t == v {
                    return;
                }
                work += 1;
                if !boxes_meet(bb, &boxes[f as usize]) {
                    return;
                }
                let (c, w) = shape_crossings(sh, &shapes[f as usize]);
                cost.crossings += c;
                work += w;
            });
            // Crossings among the moving edges.
            for (j, &f) in own.iter().enumerate().skip(i + 1) {
                let (s, t) = self.edges[f as usize];
                if s == u || s == v || t == u || t == v {
                    continue;
                }
                let (c, w) = shape_crossings(sh, &own_shapes[j].0);
                cost.crossings += c;
                work += w;
            }
            // Nodes near this edge (the moving ones at their new place).
            let stamp = node_query;
            let range = self.node_grid.range(
                bb[0] - NEAR_RADIUS,
                bb[1] - NEAR_RADIUS,
                bb[2] + NEAR_RADIUS,
                bb[3] + NEAR_RADIUS,
            );
            let node_stamp = &mut self.node_stamp;
            self.node_grid.visit(range, |w| {
                if node_stamp[w as usize] == stamp || w == u || w == v || moved.contains(&w) {
                    return;
                }
                node_stamp[w as usize] = stamp;
                work += sh.len() as u64;
                cost.near += shape_near(sh, pos[w as usize]);
            });
            for (k, &w) in moved.iter().enumerate() {
                if w != u && w != v {
                    cost.near += shape_near(sh, at[k]);
                }
            }
        }
        // The moving nodes near edges that do not move, and crowding.
        let gap2 = self.min_gap * self.min_gap;
        for k in 0..moved.len() {
            let p = at[k];
            let (stamp, node_query) = (self.next_stamp(), self.next_stamp());
            let range = self.node_range(p);
            let (shapes, pos, edge_stamp) = (&self.shapes, &*self.pos, &mut self.edge_stamp);
            self.edge_grid.visit(range, |f| {
                if edge_stamp[f as usize] == stamp || is_own(f) {
                    return;
                }
                edge_stamp[f as usize] = stamp;
                let sh = &shapes[f as usize];
                work += sh.len() as u64;
                cost.near += shape_near(sh, p);
            });
            let g = self.min_gap;
            let range = self.node_grid.range(p.x - g, p.y - g, p.x + g, p.y + g);
            let stamp = node_query;
            let node_stamp = &mut self.node_stamp;
            self.node_grid.visit(range, |o| {
                if node_stamp[o as usize] == stamp || moved.contains(&o) {
                    return;
                }
                node_stamp[o as usize] = stamp;
                work += 1;
                if dist2(pos[o as usize], p) < gap2 {
                    cost.crowded += 1;
                }
            });
            for &q in &at[k + 1..] {
                if dist2(q, p) < gap2 {
                    cost.crowded += 1;
                }
            }
        }
        self.work += work + own.len() as u64;
        cost
    }

    /// Recomputes edge `e`'s shape and box and files it in the grid.
    fn file_edge(&mut self, e: u32) {
        let (u, v) = self.edges[e as usize];
        let sh = shape(
            &self.bends[e as usize],
            self.pos[u as usize],
            self.pos[v as usize],
        );
        let b = shape_box(&sh);
        self.shapes[e as usize] = sh;
        self.boxes[e as usize] = b;
        let r = self.box_range(&b);
        self.edge_grid.insert(r, e);
    }

    /// Moves the nodes of `moved` to `at`, updating the shapes and both grids.
    fn apply(&mut self, moved: &[u32], at: &[CanvasPoint]) {
        let mut own: Vec<u32> = moved
            .iter()
            .flat_map(|&v| self.incident[v as usize].iter().copied())
            .collect();
        own.sort_unstable();
        own.dedup();
        for &e in &own {
            let r = self.box_range(&self.boxes[e as usize]);
            self.edge_grid.remove(r, e);
        }
        for (&v, &p) in moved.iter().zip(at) {
            let r = self.node_range(self.pos[v as usize]);
            self.node_grid.remove(r, v);
            self.pos[v as usize] = p;
            let r = self.node_range(p);
            self.node_grid.insert(r, v);
        }
        for &e in &own {
            self.file_edge(e);
        }
    }

    /// The whole drawing's cost (each crossing and crowded pair once).
    fn total(&mut self) -> Cost {
        let n = self.pos.len();
        let mut sum = Cost::default();
        for v in 0..n as u32 {
            let c = self.local_cost(&[v], &[self.pos[v as usize]]);
            sum.crossings += c.crossings;
            sum.near += c.near;
            sum.crowded += c.crowded;
        }
        // Every crossing was seen from its four ends, every near pair from the edge's two
        // ends and the node, every crowded pair from both nodes.
        Cost {
            crossings: sum.crossings / 4,
            near: sum.near / 3,
            crowded: sum.crowded / 2,
        }
    }
}

/// Improves `positions` in place; only nodes with `movable[i]` move. `curves` are the drawn
/// links between nodes (indices into `positions`; curves from a node to itself are ignored).
/// Skips graphs above [`MAX_NODES`] nodes or [`MAX_EDGES`] linked pairs.
pub fn untangle(
    positions: &mut [CanvasPoint],
    curves: &[Curve],
    movable: &[bool],
    options: Options,
    progress: &Progress,
) -> Result<Stats, Cancelled> {
    progress.check()?;
    let n = positions.len();
    // Curves by node pair, low index first, bends along the low → high normal.
    let mut list: Vec<(u32, u32, f32)> = curves
        .iter()
        .filter(|c| c.from != c.to && c.from < n && c.to < n && c.bend.is_finite())
        .map(|c| {
            if c.from < c.to {
                (c.from as u32, c.to as u32, c.bend)
            } else {
                (c.to as u32, c.from as u32, -c.bend)
            }
        })
        .collect();
    list.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.total_cmp(&b.2)));
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut bends: Vec<Vec<f32>> = Vec::new();
    for (a, b, bend) in list {
        if pairs.last() == Some(&(a, b)) {
            if let Some(last) = bends.last_mut() {
                last.push(bend);
            }
        } else {
            pairs.push((a, b));
            bends.push(vec![bend]);
        }
    }
    if n > MAX_NODES || pairs.len() > MAX_EDGES || n < 3 || pairs.is_empty() {
        return Ok(Stats::default());
    }
    if positions
        .iter()
        .any(|p| !(p.x.is_finite() && p.y.is_finite()))
    {
        return Ok(Stats::default());
    }
    let mut incident = vec![Vec::new(); n];
    let mut neighbours = vec![Vec::new(); n];
    for (k, &(a, b)) in pairs.iter().enumerate() {
        incident[a as usize].push(k as u32);
        incident[b as usize].push(k as u32);
        neighbours[a as usize].push(b);
        neighbours[b as usize].push(a);
    }
    let cell = options.spacing.max(1.0);
    let m = pairs.len();
    let mut state = State {
        edge_grid: Grid::new(positions, cell),
        node_grid: Grid::new(positions, cell),
        pos: positions,
        edges: pairs,
        bends,
        shapes: vec![Vec::new(); m],
        boxes: vec![[0.0; 4]; m],
        incident,
        neighbours,
        edge_stamp: vec![0; m],
        node_stamp: vec![0; n],
        stamp: 0,
        min_gap: options.min_gap,
        work: 0,
    };
    for v in 0..n as u32 {
        let r = state.node_range(state.pos[v as usize]);
        state.node_grid.insert(r, v);
    }
    for e in 0..m as u32 {
        state.file_edge(e);
    }
    let before = state.total();
    let mut stats = Stats {
        crossings_before: before.crossings,
        near_before: before.near,
        crowded_before: before.crowded,
        ran: true,
        ..Stats::default()
    };
    let can_move = |v: usize, state: &State| {
        movable.get(v).copied().unwrap_or(false) && state.incident[v].len() <= MAX_MOVING_DEGREE
    };
    'rounds: for _round in 0..MAX_ROUNDS {
        let mut improved = false;
        for v in 0..n {
            if v % 64 == 0 {
                progress.check()?;
            }
            if state.work > WORK_BUDGET {
                break 'rounds;
            }
            if !can_move(v, &state) || state.incident[v].is_empty() {
                continue;
            }
            let here = state.pos[v];
            let current = state.local_cost(&[v as u32], &[here]).total();
            if current == 0 {
                continue;
            }
            let mut best: Option<(u64, Vec<u32>, Vec<CanvasPoint>)> = None;
            let mut consider = |state: &mut State, moved: Vec<u32>, at: Vec<CanvasPoint>| {
                let old: Vec<CanvasPoint> = moved.iter().map(|&m| state.pos[m as usize]).collect();
                let before = state.local_cost(&moved, &old).total();
                let after = state.local_cost(&moved, &at).total();
                if after < before {
                    let gain = before - after;
                    if best.as_ref().is_none_or(|(g, _, _)| gain > *g) {
                        best = Some((gain, moved, at));
                    }
                }
            };
            // Single moves.
            for p in spots(&state, v, options) {
                consider(&mut state, vec![v as u32], vec![p]);
            }
            // Swaps with movable nodes near the barycentre.
            for u in swap_partners(&state, v, options) {
                if !can_move(u as usize, &state) {
                    continue;
                }
                let pu = state.pos[u as usize];
                consider(&mut state, vec![v as u32, u], vec![pu, here]);
            }
            if let Some((_, moved, at)) = best {
                state.apply(&moved, &at);
                stats.moves += 1;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    let after = state.total();
    stats.crossings_after = after.crossings;
    stats.near_after = after.near;
    stats.crowded_after = after.crowded;
    Ok(stats)
}

/// [`untangle`] over a layout graph's edges, drawn as the picture draws them, moving only the
/// nodes a layout may move.
pub(crate) fn untangle_graph(
    graph: &super::LayoutGraph,
    positions: &mut [CanvasPoint],
    options: Options,
    progress: &Progress,
) -> Result<Stats, Cancelled> {
    let mut curves = drawn_curves(graph);
    if !options.curved {
        for c in &mut curves {
            c.bend = 0.0;
        }
    }
    let movable: Vec<bool> = graph
        .nodes()
        .iter()
        .map(super::LayoutNode::movable)
        .collect();
    untangle(positions, &curves, &movable, options, progress)
}

/// [`untangle`] within one group of nodes (a layered component): `local[i]` is the place of
/// `members[i]` (sorted by index); only curves between members count and only movable members
/// move.
pub(crate) fn untangle_members(
    graph: &super::LayoutGraph,
    curves: &[Curve],
    members: &[usize],
    local: &mut [CanvasPoint],
    options: Options,
    progress: &Progress,
) -> Result<Stats, Cancelled> {
    if members.len() < 3 || curves.is_empty() {
        return Ok(Stats::default());
    }
    let mine: Vec<Curve> = curves
        .iter()
        .filter_map(|c| {
            let from = members.binary_search(&c.from).ok()?;
            let to = members.binary_search(&c.to).ok()?;
            Some(Curve {
                from,
                to,
                bend: c.bend,
            })
        })
        .collect();
    let movable: Vec<bool> = members
        .iter()
        .map(|&v| graph.nodes()[v].movable())
        .collect();
    untangle(local, &mine, &movable, options, progress)
}

/// Control-point offset of a shipment hop, and of each further route over the same hop.
const HOP_BEND: f32 = 2.0 * super::links::ROUTE_BEND;
const HOP_BEND_STEP: f32 = 2.0 * super::links::ROUTE_BEND_STEP;

/// The curves the picture draws for the graph's edges: the links of a pair fanned out
/// symmetrically, shipment hops bent to the left of their direction.
pub(crate) fn drawn_curves(graph: &super::LayoutGraph) -> Vec<Curve> {
    let mut links: std::collections::BTreeMap<(usize, usize), u32> =
        std::collections::BTreeMap::new();
    let mut out = Vec::new();
    for (k, e) in graph.edges().iter().enumerate() {
        let drawn = graph.drawn(k);
        if drawn.links > 0 {
            *links
                .entry((e.from.min(e.to), e.from.max(e.to)))
                .or_default() += drawn.links;
        }
        for h in 0..drawn.hops.min(2) {
            out.push(Curve {
                from: e.from,
                to: e.to,
                bend: HOP_BEND + h as f32 * HOP_BEND_STEP,
            });
        }
    }
    for ((a, b), count) in links {
        for k in 0..count as usize {
            // The picture's fan (apex offsets); a curve here is given by its control point,
            // twice as far out.
            out.push(Curve {
                from: a,
                to: b,
                bend: 2.0 * super::links::fan_offset(k, count as usize),
            });
        }
    }
    out
}

/// The barycentre of `v`'s neighbours, or its own place without any.
fn barycentre(state: &State, v: usize) -> CanvasPoint {
    let ns = &state.neighbours[v];
    if ns.is_empty() {
        return state.pos[v];
    }
    let (mut x, mut y) = (0.0f32, 0.0f32);
    for &w in ns {
        x += state.pos[w as usize].x;
        y += state.pos[w as usize].y;
    }
    CanvasPoint {
        x: x / ns.len() as f32,
        y: y / ns.len() as f32,
    }
}

/// Places `v` may try on its own.
fn spots(state: &State, v: usize, options: Options) -> Vec<CanvasPoint> {
    let here = state.pos[v];
    let bary = barycentre(state, v);
    let s = options.spacing;
    let mut out = Vec::with_capacity(40);
    match options.freedom {
        Freedom::Vertical => {
            let gap = options.min_gap.max(1.0) * 1.12;
            for k in -3i32..=3 {
                out.push(CanvasPoint {
                    x: here.x,
                    y: bary.y + k as f32 * gap,
                });
            }
            for d in [-2.0, -1.0, -0.5, 0.5, 1.0, 2.0] {
                out.push(CanvasPoint {
                    x: here.x,
                    y: here.y + d * gap,
                });
            }
        }
        Freedom::Free => {
            let ring = |out: &mut Vec<CanvasPoint>, c: CanvasPoint, r: f32, k: usize| {
                for i in 0..k {
                    let a = i as f32 * std::f32::consts::TAU / k as f32;
                    out.push(CanvasPoint {
                        x: c.x + r * a.cos(),
                        y: c.y + r * a.sin(),
                    });
                }
            };
            if state.neighbours[v].len() == 1 {
                // A leaf circles its one neighbour at about its distance now.
                let r = dist2(here, bary)
                    .sqrt()
                    .clamp(options.min_gap * 1.1, s * 1.5);
                ring(&mut out, bary, r, 16);
                ring(&mut out, bary, r * 1.5, 8);
            } else {
                out.push(bary);
                ring(&mut out, bary, s * 0.5, 8);
                ring(&mut out, bary, s, 8);
            }
            ring(&mut out, here, s * 0.5, 8);
        }
    }
    out
}

/// Movable nodes whose place `v` may take in exchange for its own: the nearest few to `v`'s
/// barycentre (in the same column for [`Freedom::Vertical`]).
fn swap_partners(state: &State, v: usize, options: Options) -> Vec<u32> {
    let here = state.pos[v];
    let bary = barycentre(state, v);
    let target = match options.freedom {
        Freedom::Free => bary,
        Freedom::Vertical => CanvasPoint {
            x: here.x,
            y: bary.y,
        },
    };
    let reach = options.spacing * 2.0;
    let range = state.node_grid.range(
        target.x - reach,
        target.y - reach * 2.0,
        target.x + reach,
        target.y + reach * 2.0,
    );
    let mut found: Vec<(f32, u32)> = Vec::new();
    state.node_grid.visit(range, |u| {
        if u as usize == v {
            return;
        }
        let p = state.pos[u as usize];
        if options.freedom == Freedom::Vertical && p.x.to_bits() != here.x.to_bits() {
            return;
        }
        found.push((dist2(p, target), u));
    });
    found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    found.dedup_by_key(|x| x.1);
    found.truncate(SWAP_CANDIDATES);
    found.into_iter().map(|(_, u)| u).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f32, y: f32) -> CanvasPoint {
        CanvasPoint { x, y }
    }

    /// A square a-b-c-d with the two "vertical" edges drawn crossed: a→d and b→c where the
    /// nodes sit so that a–c and b–d would not cross.
    fn straight(edges: &[(usize, usize)]) -> Vec<Curve> {
        edges
            .iter()
            .map(|&(from, to)| Curve {
                from,
                to,
                bend: 0.0,
            })
            .collect()
    }

    fn crossed() -> (Vec<CanvasPoint>, Vec<Curve>) {
        let pos = vec![p(0.0, 0.0), p(300.0, 0.0), p(0.0, 300.0), p(300.0, 300.0)];
        // 0–3 and 1–2 are the diagonals: they cross.
        (pos, straight(&[(0, 3), (1, 2), (0, 1), (2, 3)]))
    }

    #[test]
    fn removes_a_crossing() {
        let (mut pos, edges) = crossed();
        let stats = untangle(
            &mut pos,
            &edges,
            &[true; 4],
            Options::default(),
            &Progress::new(),
        )
        .expect("not cancelled");
        assert!(stats.ran);
        assert_eq!(stats.crossings_before, 1);
        assert_eq!(stats.crossings_after, 0);
        assert_eq!(stats.crowded_after, 0);
    }

    #[test]
    fn fixed_nodes_never_move() {
        let (mut pos, edges) = crossed();
        let original = pos.clone();
        let movable = [false, true, false, true];
        let stats = untangle(
            &mut pos,
            &edges,
            &movable,
            Options::default(),
            &Progress::new(),
        )
        .expect("not cancelled");
        assert_eq!(stats.crossings_after, 0);
        for i in [0, 2] {
            assert_eq!(pos[i], original[i]);
        }
        let (mut pos, edges) = crossed();
        untangle(
            &mut pos,
            &edges,
            &[false; 4],
            Options::default(),
            &Progress::new(),
        )
        .expect("not cancelled");
        assert_eq!(pos, original);
    }

    #[test]
    fn vertical_moves_keep_columns() {
        // Two columns; 0–3 and 1–2 cross.
        let mut pos = vec![p(0.0, 0.0), p(0.0, 100.0), p(260.0, 0.0), p(260.0, 100.0)];
        let edges = straight(&[(0, 3), (1, 2)]);
        let options = Options {
            freedom: Freedom::Vertical,
            min_gap: 90.0,
            spacing: 100.0,
            curved: false,
        };
        let stats = untangle(&mut pos, &edges, &[true; 4], options, &Progress::new())
            .expect("not cancelled");
        assert_eq!(stats.crossings_after, 0);
        assert_eq!(pos[0].x, 0.0);
        assert_eq!(pos[1].x, 0.0);
        assert_eq!(pos[2].x, 260.0);
        assert_eq!(pos[3].x, 260.0);
    }

    #[test]
    fn is_deterministic() {
        let n = 60;
        let mut pos: Vec<CanvasPoint> = (0..n)
            .map(|i| {
                let (dx, dy) = crate::layout::arrange::sunflower(i * 7 % n, 150.0);
                p(dx, dy)
            })
            .collect();
        let edges: Vec<(usize, usize)> = (0..n).map(|i| (i, (i * 13 + 5) % n)).collect();
        let edges = straight(&edges);
        let mut again = pos.clone();
        let movable = vec![true; n];
        let a = untangle(
            &mut pos,
            &edges,
            &movable,
            Options::default(),
            &Progress::new(),
        )
        .expect("not cancelled");
        let b = untangle(
            &mut again,
            &edges,
            &movable,
            Options::default(),
            &Progress::new(),
        )
        .expect("not cancelled");
        assert_eq!(a, b);
        assert!(a.crossings_after < a.crossings_before, "{a:?}");
        let bits = |v: &[CanvasPoint]| -> Vec<(u32, u32)> {
            v.iter().map(|q| (q.x.to_bits(), q.y.to_bits())).collect()
        };
        assert_eq!(bits(&pos), bits(&again));
    }

    #[test]
    fn cancelled_progress_stops() {
        let (mut pos, edges) = crossed();
        let progress = Progress::new();
        progress.cancel();
        assert_eq!(
            untangle(&mut pos, &edges, &[true; 4], Options::default(), &progress),
            Err(Cancelled)
        );
    }
}
