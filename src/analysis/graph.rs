//! The case as a graph: entities are nodes; links, the steps of every shipment (shipper →
//! forwarders → consignee → notify party and declared / suspected end users) and the products
//! each shipment carries are edges with a kind. On top of it: shortest and bounded simple paths,
//! connected components, degree, betweenness (Brandes, exact) and `PageRank`, common neighbours,
//! and "trace downstream" from a manufacturer or product to every reachable end user.
//!
//! `CaseGraph::build` is a pure function of the case, so the UI can cache it by history
//! revision. Measures and paths treat the graph as undirected and simple (parallel edges and
//! self-loops collapse): investigators ask "who connects to whom", whatever the direction, and
//! the same simple graph is what the benchmark script hands to igraph and networkx.

use crate::model::{Case, EntityId, EntityKind, ItemRef, LinkKind, LinkKindTag, Shipment};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::unionfind::UnionFind;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

/// Which step of a shipment an edge stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ShipmentStep {
    /// Shipper to its first forwarder.
    ShipperToForwarder,
    /// One forwarder to the next.
    ForwarderToForwarder,
    /// Shipper or last forwarder to the consignee.
    ToConsignee,
    /// Consignee to the notify party.
    NotifyParty,
    /// Consignee to the declared end user.
    DeclaredEndUser,
    /// Consignee to the suspected end user.
    SuspectedEndUser,
}

impl ShipmentStep {
    pub fn label(self) -> &'static str {
        match self {
            ShipmentStep::ShipperToForwarder => "hands over to forwarder",
            ShipmentStep::ForwarderToForwarder => "passes to next forwarder",
            ShipmentStep::ToConsignee => "delivers to consignee",
            ShipmentStep::NotifyParty => "notify party",
            ShipmentStep::DeclaredEndUser => "declared end user",
            ShipmentStep::SuspectedEndUser => "suspected end user",
        }
    }
}

/// What an edge of the case graph stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// A link of this kind.
    Link(LinkKindTag),
    /// One step of a shipment.
    Shipment(ShipmentStep),
    /// A product carried on a shipment, drawn from the product to the shipper.
    Goods,
}

/// One edge: its kind and the case item behind it (a link or a shipment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphEdge {
    pub kind: EdgeKind,
    pub item: ItemRef,
}

/// A path between two entities: `edges[i]` joins `nodes[i]` and `nodes[i + 1]` (the first of
/// any parallel edges, in item order; `CaseGraph::edges_between` gives them all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    pub nodes: Vec<EntityId>,
    pub edges: Vec<ItemRef>,
}

impl Path {
    /// Number of hops.
    pub fn len(&self) -> usize {
        self.edges.len()
    }

    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }
}

/// Centrality measures of every entity.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Centrality {
    /// Distinct neighbours.
    pub degree: BTreeMap<EntityId, usize>,
    /// Shortest paths through the entity, over unordered pairs of other entities (not
    /// normalised: networkx `normalized=False`, igraph `directed=False`).
    pub betweenness: BTreeMap<EntityId, f64>,
    /// `PageRank` with damping 0.85 on the undirected graph; sums to 1.
    pub pagerank: BTreeMap<EntityId, f64>,
}

/// Entities ranked by a measure: highest first, ties in id order.
pub fn ranked<V: Copy + PartialOrd>(measure: &BTreeMap<EntityId, V>) -> Vec<(EntityId, V)> {
    let mut out: Vec<(EntityId, V)> = measure.iter().map(|(k, v)| (k.clone(), *v)).collect();
    out.sort_by(|a, b| {
        b.1.partial_cmp(&a.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.0.cmp(&b.0))
    });
    out
}

/// The case as a petgraph graph plus a compact undirected adjacency for measures.
#[derive(Clone, Debug)]
pub struct CaseGraph {
    /// Directed multigraph; node weights are entity ids, in id order.
    pub graph: DiGraph<EntityId, GraphEdge, u32>,
    index: HashMap<EntityId, NodeIndex<u32>>,
    /// Undirected simple adjacency in CSR form: the neighbours of node `v` are
    /// `neighbours[offsets[v]..offsets[v + 1]]`, sorted.
    offsets: Vec<usize>,
    neighbours: Vec<u32>,
}

/// Above this many nodes, betweenness runs on several threads.
const PARALLEL_BETWEENNESS_NODES: usize = 1_000;

impl CaseGraph {
    /// Builds the graph of `case`. References to missing entities are skipped (a validated
    /// case has none).
    pub fn build(case: &Case) -> Self {
        let mut graph = DiGraph::with_capacity(case.entities.len(), case.links.len() * 2);
        let mut index = HashMap::with_capacity(case.entities.len());
        for id in case.entities.keys() {
            index.insert(id.clone(), graph.add_node(id.clone()));
        }
        let mut add = |from: &EntityId, to: &EntityId, kind: EdgeKind, item: ItemRef| {
            if let (Some(&a), Some(&b)) = (index.get(from), index.get(to)) {
                graph.add_edge(a, b, GraphEdge { kind, item });
            }
        };
        for link in case.links.values() {
            add(
                &link.from,
                &link.to,
                EdgeKind::Link(link.kind.tag()),
                ItemRef::Link(link.id.clone()),
            );
        }
        for s in case.shipments.values() {
            let item = ItemRef::Shipment(s.id.clone());
            for (from, to, step) in shipment_steps(s) {
                add(from, to, EdgeKind::Shipment(step), item.clone());
            }
            if let Some(shipper) = s.shipper.as_ref() {
                let products: BTreeSet<&EntityId> =
                    s.goods.iter().filter_map(|g| g.product.as_ref()).collect();
                for p in products {
                    add(p, shipper, EdgeKind::Goods, item.clone());
                }
            }
        }

        let n = graph.node_count();
        let mut adjacency: Vec<Vec<u32>> = vec![Vec::new(); n];
        for e in graph.raw_edges() {
            let (a, b) = (e.source().index(), e.target().index());
            if a != b {
                adjacency[a].push(b as u32);
                adjacency[b].push(a as u32);
            }
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut neighbours = Vec::new();
        offsets.push(0);
        for list in &mut adjacency {
            list.sort_unstable();
            list.dedup();
            neighbours.extend_from_slice(list);
            offsets.push(neighbours.len());
        }
        Self {
            graph,
            index,
            offsets,
            neighbours,
        }
    }

    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of distinct unordered pairs of entities joined by at least one edge.
    pub fn simple_edge_count(&self) -> usize {
        self.neighbours.len() / 2
    }

    /// The node of an entity.
    pub fn node(&self, id: &EntityId) -> Option<NodeIndex<u32>> {
        self.index.get(id).copied()
    }

    /// The entity at node index `i` (indices follow entity id order).
    pub fn id(&self, i: usize) -> &EntityId {
        &self.graph[NodeIndex::new(i)]
    }

    fn adj(&self, v: usize) -> &[u32] {
        &self.neighbours[self.offsets[v]..self.offsets[v + 1]]
    }

    /// The undirected simple edges as pairs of node indices `(a, b)` with `a < b`, in order.
    pub fn simple_edges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.node_count()).flat_map(move |a| {
            self.adj(a)
                .iter()
                .map(move |&b| (a, b as usize))
                .filter(|(a, b)| a < b)
        })
    }

    /// Distinct neighbours of an entity, in id order.
    pub fn neighbours(&self, id: &EntityId) -> Vec<EntityId> {
        self.node(id).map_or_else(Vec::new, |v| {
            self.adj(v.index())
                .iter()
                .map(|&w| self.id(w as usize).clone())
                .collect()
        })
    }

    /// Every edge joining `a` and `b` in either direction, in item order.
    pub fn edges_between(&self, a: &EntityId, b: &EntityId) -> Vec<&GraphEdge> {
        let (Some(x), Some(y)) = (self.node(a), self.node(b)) else {
            return Vec::new();
        };
        let mut out: Vec<&GraphEdge> = self
            .graph
            .edges_connecting(x, y)
            .chain(
                if x == y {
                    None
                } else {
                    Some(self.graph.edges_connecting(y, x))
                }
                .into_iter()
                .flatten(),
            )
            .map(|e| e.weight())
            .collect();
        out.sort_by(|p, q| p.item.cmp(&q.item).then(p.kind.cmp(&q.kind)));
        out
    }

    fn path_from_indices(&self, nodes: &[usize]) -> Path {
        let ids: Vec<EntityId> = nodes.iter().map(|&v| self.id(v).clone()).collect();
        let edges = ids
            .windows(2)
            .filter_map(|w| {
                self.edges_between(&w[0], &w[1])
                    .first()
                    .map(|e| e.item.clone())
            })
            .collect();
        Path { nodes: ids, edges }
    }

    /// Entities within `hops` edges of `start` (links, shipment steps and goods, either
    /// direction), `start` included; empty when `start` is not in the case.
    pub fn neighbourhood(&self, start: &EntityId, hops: usize) -> BTreeSet<EntityId> {
        let Some(s) = self.node(start) else {
            return BTreeSet::new();
        };
        let mut seen = vec![false; self.node_count()];
        seen[s.index()] = true;
        let mut frontier = vec![s.index()];
        for _ in 0..hops {
            let mut next = Vec::new();
            for &v in &frontier {
                for &w in self.adj(v) {
                    if !std::mem::replace(&mut seen[w as usize], true) {
                        next.push(w as usize);
                    }
                }
            }
            frontier = next;
        }
        seen.iter()
            .enumerate()
            .filter(|(_, s)| **s)
            .map(|(v, _)| self.id(v).clone())
            .collect()
    }

    /// A shortest path (fewest hops) from `a` to `b`, ignoring direction; ties go to the path
    /// through lower ids. `None` when they are not connected.
    pub fn shortest_path(&self, a: &EntityId, b: &EntityId) -> Option<Path> {
        let (s, t) = (self.node(a)?.index(), self.node(b)?.index());
        let n = self.node_count();
        let mut parent = vec![u32::MAX; n];
        parent[s] = s as u32;
        let mut queue = VecDeque::from([s]);
        while let Some(v) = queue.pop_front() {
            if v == t {
                break;
            }
            for &w in self.adj(v) {
                if parent[w as usize] == u32::MAX {
                    parent[w as usize] = v as u32;
                    queue.push_back(w as usize);
                }
            }
        }
        if parent[t] == u32::MAX {
            return None;
        }
        let mut nodes = vec![t];
        let mut v = t;
        while v != s {
            v = parent[v] as usize;
            nodes.push(v);
        }
        nodes.reverse();
        Some(self.path_from_indices(&nodes))
    }

    /// Every simple path from `a` to `b` with at most `max_hops` hops, ignoring direction,
    /// shortest first (then in id order). Stops after `max_paths` paths, as dense graphs have
    /// astronomically many.
    pub fn simple_paths(
        &self,
        a: &EntityId,
        b: &EntityId,
        max_hops: usize,
        max_paths: usize,
    ) -> Vec<Path> {
        let (Some(s), Some(t)) = (self.node(a), self.node(b)) else {
            return Vec::new();
        };
        let (s, t) = (s.index(), t.index());
        if s == t || max_hops == 0 || max_paths == 0 {
            return Vec::new();
        }
        // Hop distance to the target prunes branches that cannot arrive within the bound.
        let to_target = self.hop_distances(t);
        let mut found: Vec<Vec<usize>> = Vec::new();
        let mut on_path = vec![false; self.node_count()];
        let mut stack: Vec<usize> = vec![s];
        on_path[s] = true;
        // Iterative DFS: each frame remembers how far through its neighbours it got.
        let mut cursor: Vec<usize> = vec![0];
        while let Some(&v) = stack.last() {
            let depth = stack.len() - 1;
            let i = cursor[depth];
            let next = self.adj(v).get(i).map(|&w| w as usize);
            cursor[depth] += 1;
            match next {
                None => {
                    on_path[v] = false;
                    stack.pop();
                    cursor.pop();
                }
                Some(w) if w == t => {
                    let mut p = stack.clone();
                    p.push(t);
                    found.push(p);
                    if found.len() >= max_paths {
                        break;
                    }
                }
                Some(w) => {
                    // Going to w makes depth + 1 hops; w needs at least to_target[w] more.
                    let fits = u64::from(to_target[w]) + (depth as u64) < max_hops as u64;
                    if !on_path[w] && fits {
                        on_path[w] = true;
                        stack.push(w);
                        cursor.push(0);
                    }
                }
            }
        }
        found.sort_by(|p, q| p.len().cmp(&q.len()).then_with(|| p.cmp(q)));
        found.iter().map(|p| self.path_from_indices(p)).collect()
    }

    /// Hops from `source` to every node (`u32::MAX` when unreachable).
    fn hop_distances(&self, source: usize) -> Vec<u32> {
        let mut dist = vec![u32::MAX; self.node_count()];
        dist[source] = 0;
        let mut queue = VecDeque::from([source]);
        while let Some(v) = queue.pop_front() {
            for &w in self.adj(v) {
                if dist[w as usize] == u32::MAX {
                    dist[w as usize] = dist[v] + 1;
                    queue.push_back(w as usize);
                }
            }
        }
        dist
    }

    /// Connected components, ignoring direction: largest first, then by first id; members in
    /// id order. Isolated entities are components of one.
    pub fn components(&self) -> Vec<Vec<EntityId>> {
        let n = self.node_count();
        let mut sets = UnionFind::<usize>::new(n);
        for (a, b) in self.simple_edges() {
            sets.union(a, b);
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for v in 0..n {
            groups.entry(sets.find(v)).or_default().push(v);
        }
        let mut out: Vec<Vec<usize>> = groups.into_values().collect();
        out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a[0].cmp(&b[0])));
        out.into_iter()
            .map(|c| c.into_iter().map(|v| self.id(v).clone()).collect())
            .collect()
    }

    /// Entities adjacent to both `a` and `b`, in id order.
    pub fn common_neighbours(&self, a: &EntityId, b: &EntityId) -> Vec<EntityId> {
        let (Some(x), Some(y)) = (self.node(a), self.node(b)) else {
            return Vec::new();
        };
        let (p, q) = (self.adj(x.index()), self.adj(y.index()));
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < p.len() && j < q.len() {
            match p[i].cmp(&q[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    let v = p[i] as usize;
                    if v != x.index() && v != y.index() {
                        out.push(self.id(v).clone());
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        out
    }

    /// Distinct neighbours of every entity.
    pub fn degree(&self) -> BTreeMap<EntityId, usize> {
        (0..self.node_count())
            .map(|v| (self.id(v).clone(), self.adj(v).len()))
            .collect()
    }

    /// Betweenness of every entity (exact, Brandes 2001), keyed by id.
    pub fn betweenness(&self) -> BTreeMap<EntityId, f64> {
        self.keyed(self.betweenness_by_index())
    }

    /// `PageRank` of every entity (damping 0.85), keyed by id.
    pub fn pagerank(&self) -> BTreeMap<EntityId, f64> {
        self.keyed(self.pagerank_by_index(0.85, 1e-12, 1_000))
    }

    /// Degree, betweenness and `PageRank` together.
    pub fn centrality(&self) -> Centrality {
        Centrality {
            degree: self.degree(),
            betweenness: self.betweenness(),
            pagerank: self.pagerank(),
        }
    }

    fn keyed(&self, values: Vec<f64>) -> BTreeMap<EntityId, f64> {
        values
            .into_iter()
            .enumerate()
            .map(|(v, x)| (self.id(v).clone(), x))
            .collect()
    }

    /// Betweenness by node index. Unweighted, undirected, each unordered pair counted once.
    /// Large graphs split the sources over the available cores.
    pub fn betweenness_by_index(&self) -> Vec<f64> {
        let n = self.node_count();
        let threads = if n >= PARALLEL_BETWEENNESS_NODES {
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        } else {
            1
        };
        let mut total = if threads <= 1 {
            let mut acc = vec![0.0; n];
            let mut work = Brandes::new(n);
            for s in 0..n {
                work.accumulate_from(self, s, &mut acc);
            }
            acc
        } else {
            let partials: Vec<Vec<f64>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        scope.spawn(move || {
                            let mut acc = vec![0.0; n];
                            let mut work = Brandes::new(n);
                            // Interleaved sources balance the load between threads.
                            for s in (t..n).step_by(threads) {
                                work.accumulate_from(self, s, &mut acc);
                            }
                            acc
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            });
            let mut acc = vec![0.0; n];
            for part in partials {
                for (a, p) in acc.iter_mut().zip(part) {
                    *a += p;
                }
            }
            acc
        };
        // Every unordered pair was counted from both of its ends.
        for x in &mut total {
            *x /= 2.0;
        }
        total
    }

    /// `PageRank` by node index on the undirected graph (each edge both ways); isolated nodes
    /// spread their rank evenly. Power iteration until the L1 change is below `tolerance`.
    pub fn pagerank_by_index(
        &self,
        damping: f64,
        tolerance: f64,
        max_iterations: usize,
    ) -> Vec<f64> {
        let n = self.node_count();
        if n == 0 {
            return Vec::new();
        }
        let nf = n as f64;
        let mut rank = vec![1.0 / nf; n];
        let mut next = vec![0.0; n];
        let mut share = vec![0.0; n];
        for _ in 0..max_iterations {
            let mut dangling = 0.0;
            for v in 0..n {
                let d = self.adj(v).len();
                if d == 0 {
                    dangling += rank[v];
                    share[v] = 0.0;
                } else {
                    share[v] = rank[v] / d as f64;
                }
            }
            let base = (1.0 - damping) / nf + damping * dangling / nf;
            let mut change = 0.0;
            for v in 0..n {
                let incoming: f64 = self.adj(v).iter().map(|&w| share[w as usize]).sum();
                next[v] = base + damping * incoming;
                change += (next[v] - rank[v]).abs();
            }
            std::mem::swap(&mut rank, &mut next);
            if change < tolerance {
                break;
            }
        }
        let sum: f64 = rank.iter().sum();
        if sum > 0.0 {
            for r in &mut rank {
                *r /= sum;
            }
        }
        rank
    }
}

/// Scratch space for one Brandes single-source pass, reused across sources.
struct Brandes {
    dist: Vec<u32>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    order: Vec<u32>,
}

impl Brandes {
    fn new(n: usize) -> Self {
        Self {
            dist: vec![u32::MAX; n],
            sigma: vec![0.0; n],
            delta: vec![0.0; n],
            order: Vec::with_capacity(n),
        }
    }

    /// Adds the dependencies of source `s` on every other node to `acc`.
    fn accumulate_from(&mut self, g: &CaseGraph, s: usize, acc: &mut [f64]) {
        let Self {
            dist,
            sigma,
            delta,
            order,
        } = self;
        order.clear();
        dist[s] = 0;
        sigma[s] = 1.0;
        order.push(s as u32);
        let mut head = 0;
        while head < order.len() {
            let v = order[head] as usize;
            head += 1;
            let dv = dist[v];
            let sv = sigma[v];
            for &w in g.adj(v) {
                let w = w as usize;
                if dist[w] == u32::MAX {
                    dist[w] = dv + 1;
                    order.push(w as u32);
                }
                if dist[w] == dv + 1 {
                    sigma[w] += sv;
                }
            }
        }
        // Back-propagate in reverse BFS order; predecessors are the neighbours one hop closer,
        // so no predecessor lists are needed.
        for &v in order.iter().rev() {
            let v = v as usize;
            let dv = dist[v];
            if dv > 0 {
                let coeff = (1.0 + delta[v]) / sigma[v];
                for &w in g.adj(v) {
                    let w = w as usize;
                    if dist[w] + 1 == dv {
                        delta[w] += sigma[w] * coeff;
                    }
                }
                acc[v] += delta[v];
            }
        }
        for &v in order.iter() {
            let v = v as usize;
            dist[v] = u32::MAX;
            sigma[v] = 0.0;
            delta[v] = 0.0;
        }
    }
}

/// The party-to-party steps of a shipment, in travel order.
fn shipment_steps(s: &Shipment) -> Vec<(&EntityId, &EntityId, ShipmentStep)> {
    let mut steps = Vec::new();
    let mut previous = s.shipper.as_ref();
    for (i, f) in s.forwarders.iter().enumerate() {
        if let Some(p) = previous {
            let step = if i == 0 && s.shipper.is_some() {
                ShipmentStep::ShipperToForwarder
            } else {
                ShipmentStep::ForwarderToForwarder
            };
            steps.push((p, f, step));
        }
        previous = Some(f);
    }
    if let (Some(p), Some(c)) = (previous, s.consignee.as_ref()) {
        steps.push((p, c, ShipmentStep::ToConsignee));
    }
    // Without a consignee, the end users hang off the last known party.
    let receiver = s.consignee.as_ref().or(previous);
    if let Some(r) = receiver {
        for (party, step) in [
            (&s.notify_party, ShipmentStep::NotifyParty),
            (&s.declared_end_user, ShipmentStep::DeclaredEndUser),
            (&s.suspected_end_user, ShipmentStep::SuspectedEndUser),
        ] {
            if let Some(p) = party {
                steps.push((r, p, step));
            }
        }
    }
    steps
}

/// How one step of a downstream trace moves the goods on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DownstreamHow {
    /// A manufacturer makes the product (a `ManufacturedBy` link).
    Makes,
    /// A shipment carries the product; the step goes to its shipper.
    CarriedBy,
    /// One step of a shipment.
    Shipped(ShipmentStep),
    /// A supplies / sells-to link.
    Sold,
    /// The holder is owned by the next entity, which controls what it holds.
    OwnedBy,
}

impl DownstreamHow {
    pub fn label(self) -> &'static str {
        match self {
            DownstreamHow::Makes => "makes",
            DownstreamHow::CarriedBy => "shipped by",
            DownstreamHow::Shipped(step) => step.label(),
            DownstreamHow::Sold => "sells to",
            DownstreamHow::OwnedBy => "owned by",
        }
    }
}

/// One step of a downstream path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DownstreamStep {
    pub from: EntityId,
    pub to: EntityId,
    pub how: DownstreamHow,
    /// The shipment or link behind the step.
    pub via: ItemRef,
}

/// An entity the goods can reach, with the shortest path there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reach {
    pub entity: EntityId,
    pub path: Vec<DownstreamStep>,
    /// Named as a declared or suspected end user on a shipment, or nothing moves on from it.
    pub end_user: bool,
}

/// From a manufacturer or product, follows shipments, resale (supplies / sells-to links) and
/// ownership (from the holder to its owners) to every reachable entity, with the shortest path
/// to each; `end_user` marks where goods come to rest. Tracing a product follows only
/// shipments that carry it; tracing any other entity follows every shipment it sends, and
/// starts also from the products it makes. Forwarders pass goods along their shipment only.
/// Sorted by path length, then id.
pub fn trace_downstream(case: &Case, start: &EntityId) -> Vec<Reach> {
    let Some(start_entity) = case.entities.get(start) else {
        return Vec::new();
    };
    let product_filter = (start_entity.kind == EntityKind::Product).then_some(start);
    let carries =
        |s: &Shipment, p: &EntityId| s.goods.iter().any(|g| g.product.as_ref() == Some(p));
    let passes = |s: &Shipment| product_filter.is_none_or(|p| carries(s, p));

    let named_end_users: BTreeSet<&EntityId> = case
        .shipments
        .values()
        .flat_map(|s| [&s.declared_end_user, &s.suspected_end_user])
        .flatten()
        .collect();

    let mut paths: BTreeMap<EntityId, Vec<DownstreamStep>> = BTreeMap::new();
    let mut expanded: BTreeSet<EntityId> = BTreeSet::new();
    let mut moves_on: BTreeSet<EntityId> = BTreeSet::new();
    // A shipment chain adds several steps at once, so plain BFS order is not path-length
    // order: arrivals are taken shortest path first (then in arrival order).
    let mut queue = Frontier::default();
    paths.insert(start.clone(), Vec::new());
    queue.push(start.clone(), Vec::new());

    while let Some((x, base)) = queue.pop() {
        if !expanded.insert(x.clone()) {
            continue;
        }
        // (step, whether the reached entity moves goods on by itself)
        let mut steps: Vec<(DownstreamStep, bool)> = Vec::new();
        let step = |from: &EntityId, to: &EntityId, how, via: ItemRef| DownstreamStep {
            from: from.clone(),
            to: to.clone(),
            how,
            via,
        };
        let is_product = case
            .entities
            .get(&x)
            .is_some_and(|e| e.kind == EntityKind::Product);
        if x == *start && !is_product {
            for l in case.links.values() {
                if matches!(l.kind, LinkKind::ManufacturedBy) && l.to == x {
                    steps.push((
                        step(
                            &x,
                            &l.from,
                            DownstreamHow::Makes,
                            ItemRef::Link(l.id.clone()),
                        ),
                        true,
                    ));
                }
            }
        }
        for s in case.shipments.values() {
            let via = ItemRef::Shipment(s.id.clone());
            if is_product {
                if carries(s, &x)
                    && (product_filter.is_none() || product_filter == Some(&x))
                    && let Some(shipper) = &s.shipper
                {
                    steps.push((
                        step(&x, shipper, DownstreamHow::CarriedBy, via.clone()),
                        true,
                    ));
                }
                continue;
            }
            if !passes(s) || s.shipper.as_ref() != Some(&x) {
                continue;
            }
            // Walk the whole chain of this shipment; only its consignee and end users take
            // the goods further on their own.
            let mut prefix: Vec<DownstreamStep> = Vec::new();
            for (from, to, kind) in shipment_steps(s) {
                let st = step(from, to, DownstreamHow::Shipped(kind), via.clone());
                let own = !matches!(
                    kind,
                    ShipmentStep::ShipperToForwarder | ShipmentStep::ForwarderToForwarder
                );
                if matches!(
                    kind,
                    ShipmentStep::ShipperToForwarder
                        | ShipmentStep::ForwarderToForwarder
                        | ShipmentStep::ToConsignee
                ) {
                    prefix.push(st.clone());
                }
                let mut path_steps = prefix.clone();
                if !matches!(
                    kind,
                    ShipmentStep::ShipperToForwarder
                        | ShipmentStep::ForwarderToForwarder
                        | ShipmentStep::ToConsignee
                ) {
                    path_steps.push(st.clone());
                }
                record(&mut paths, &mut queue, &base, path_steps, own);
                moves_on.insert(from.clone());
            }
        }
        for l in case.links.values() {
            let via = ItemRef::Link(l.id.clone());
            match l.kind {
                LinkKind::SuppliesTo if l.from == x => {
                    steps.push((step(&x, &l.to, DownstreamHow::Sold, via), true));
                }
                LinkKind::Ownership { .. } if l.to == x && !is_product => {
                    steps.push((step(&x, &l.from, DownstreamHow::OwnedBy, via), true));
                }
                _ => {}
            }
        }
        for (st, own) in steps {
            moves_on.insert(st.from.clone());
            record(&mut paths, &mut queue, &base, vec![st], own);
        }
    }

    let mut out: Vec<Reach> = paths
        .into_iter()
        .filter(|(id, _)| id != start)
        .map(|(entity, path)| Reach {
            end_user: named_end_users.contains(&entity) || !moves_on.contains(&entity),
            entity,
            path,
        })
        .collect();
    out.sort_by(|a, b| {
        a.path
            .len()
            .cmp(&b.path.len())
            .then_with(|| a.entity.cmp(&b.entity))
    });
    out
}

/// Arrivals waiting to be expanded, shortest path first, then first come.
#[derive(Default)]
struct Frontier {
    heap: std::collections::BinaryHeap<std::cmp::Reverse<(usize, u64, EntityId)>>,
    paths: HashMap<u64, Vec<DownstreamStep>>,
    next: u64,
}

impl Frontier {
    fn push(&mut self, entity: EntityId, path: Vec<DownstreamStep>) {
        self.heap
            .push(std::cmp::Reverse((path.len(), self.next, entity)));
        self.paths.insert(self.next, path);
        self.next += 1;
    }

    fn pop(&mut self) -> Option<(EntityId, Vec<DownstreamStep>)> {
        let std::cmp::Reverse((_, seq, entity)) = self.heap.pop()?;
        Some((entity, self.paths.remove(&seq).unwrap_or_default()))
    }
}

/// Records the path `base + steps` to the last step's target when it is the shortest found so
/// far, and queues the target for expansion when it moves goods on itself.
fn record(
    paths: &mut BTreeMap<EntityId, Vec<DownstreamStep>>,
    queue: &mut Frontier,
    base: &[DownstreamStep],
    steps: Vec<DownstreamStep>,
    expands: bool,
) {
    let Some(last) = steps.last() else {
        return;
    };
    let target = last.to.clone();
    let mut full = base.to_vec();
    full.extend(steps);
    if paths.get(&target).is_none_or(|p| full.len() < p.len()) {
        paths.insert(target.clone(), full.clone());
    }
    if expands {
        queue.push(target, full);
    }
}
