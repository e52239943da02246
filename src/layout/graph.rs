//! The graph a layout sees: one node per entity (kind, position, pin, country) and one edge per
//! related pair, with the direction goods flow in where the case says so. Built from a case in
//! entity-id order, so every layout downstream is deterministic.

use super::NODE_SPACING;
use crate::model::{CanvasPoint, Case, CountryCode, EntityId, EntityKind, LinkKind, Shipment};
use std::collections::{BTreeSet, HashMap};

/// Parallel edges are merged by adding their weights, up to this cap, so a pair with ten
/// payments pulls harder than one with one, but does not collapse onto itself.
const MAX_EDGE_WEIGHT: f32 = 3.0;

/// One entity as the layouts see it.
#[derive(Clone, Debug, PartialEq)]
pub struct LayoutNode {
    pub id: EntityId,
    pub kind: EntityKind,
    /// Display name, for stable orders in the grid and geographic layouts.
    pub name: String,
    /// Current canvas position; a deterministic default near its neighbours when the case has
    /// none (see `has_position`).
    pub position: CanvasPoint,
    /// Whether the case holds a position for this entity.
    pub has_position: bool,
    /// Pinned nodes are never moved.
    pub pinned: bool,
    /// Whether the node takes part in this run; the others stay fixed but still push and pull.
    pub included: bool,
    /// The entity's country, or failing that the country of a route place that names it.
    pub country: Option<CountryCode>,
    /// Explicit coordinates from the entity's `lat` / `lon` attributes, in degrees.
    pub lon_lat: Option<(f32, f32)>,
}

impl LayoutNode {
    /// A plain node at `position`, included and unpinned (for tests and callers without a case).
    pub fn new(id: impl Into<EntityId>, kind: EntityKind, position: CanvasPoint) -> Self {
        Self {
            id: id.into(),
            kind,
            name: String::new(),
            position,
            has_position: true,
            pinned: false,
            included: true,
            country: None,
            lon_lat: None,
        }
    }

    /// Whether a layout may move this node.
    pub fn movable(&self) -> bool {
        self.included && !self.pinned
    }
}

/// A relation between two nodes (indices into [`LayoutGraph::nodes`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayoutEdge {
    pub from: usize,
    pub to: usize,
    /// Spring strength, 1 for a single link; merged parallel links add up (capped).
    pub weight: f32,
    /// Goods flow `from` → `to` (supply, manufacture, a shipment hop).
    pub flow: bool,
    /// The relation has a direction (ownership, payment ...); always true for flow edges.
    pub directed: bool,
}

/// How many links and shipment hops an edge stands for (before the weight cap): what the
/// picture draws between the pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Drawn {
    pub links: u32,
    pub hops: u32,
}

/// Nodes in entity-id order and merged edges in `(from, to)` order, with an adjacency index.
#[derive(Clone, Debug, Default)]
pub struct LayoutGraph {
    nodes: Vec<LayoutNode>,
    edges: Vec<LayoutEdge>,
    /// Per edge, what it merged.
    drawn: Vec<Drawn>,
    /// `adjacency[adjacency_start[i]..adjacency_start[i + 1]]` lists `(neighbour, edge)` of `i`.
    adjacency_start: Vec<usize>,
    adjacency: Vec<(usize, usize)>,
}

impl LayoutGraph {
    /// The layout graph of a case. With `only`, just those entities take part in the run; the
    /// others stay where they are (the force layout still feels them).
    pub fn from_case(case: &Case, only: Option<&BTreeSet<EntityId>>) -> LayoutGraph {
        let mut nodes: Vec<LayoutNode> = case
            .entities
            .values()
            .map(|e| {
                let stored = case
                    .positions
                    .get(&e.id)
                    .filter(|p| p.x.is_finite() && p.y.is_finite());
                LayoutNode {
                    id: e.id.clone(),
                    kind: e.kind,
                    name: e.name.clone(),
                    position: stored
                        .map_or(CanvasPoint::default(), |p| CanvasPoint { x: p.x, y: p.y }),
                    has_position: stored.is_some(),
                    pinned: stored.is_some_and(|p| p.pinned),
                    included: only.is_none_or(|set| set.contains(&e.id)),
                    country: e.country.clone(),
                    lon_lat: lon_lat_attribute(&e.attributes),
                }
            })
            .collect();

        // Lookups only (never iterated), so a hash map keeps results deterministic; it is much
        // faster than binary search over heap strings for the hundreds of thousands of links
        // and shipment hops of a large case.
        let index: HashMap<&EntityId, usize> = case
            .entities
            .keys()
            .enumerate()
            .map(|(i, id)| (id, i))
            .collect();
        let find = |id: &EntityId| index.get(id).copied();
        let mut raw: Vec<(LayoutEdge, bool)> = Vec::with_capacity(case.links.len() * 2);
        let mut push =
            |from: Option<usize>, to: Option<usize>, flow: bool, directed: bool, hop: bool| {
                if let (Some(from), Some(to)) = (from, to) {
                    raw.push((
                        LayoutEdge {
                            from,
                            to,
                            weight: 1.0,
                            flow,
                            directed: directed || flow,
                        },
                        hop,
                    ));
                }
            };
        // Links as the picture draws them: parallel links of one kind are one line.
        let lines = super::links::bundle_links(case.links.values(), find, true);
        for link in lines.iter().map(|line| line.links[0]) {
            let (from, to) = (find(&link.from), find(&link.to));
            match link.kind {
                LinkKind::SuppliesTo => push(from, to, true, true, false),
                // "Product is made by manufacturer": goods flow manufacturer → product.
                LinkKind::ManufacturedBy => push(to, from, true, true, false),
                _ => push(from, to, false, link.kind.is_directed(), false),
            }
        }
        let mut place_countries: Vec<(usize, CountryCode)> = Vec::new();
        for shipment in case.shipments.values() {
            for (from, to, flow) in shipment_hops(shipment) {
                push(find(from), find(to), flow, flow, true);
            }
            for leg in &shipment.legs {
                for place in [&leg.from, &leg.to] {
                    if let (Some(i), Some(c)) =
                        (place.entity.as_ref().and_then(find), &place.country)
                    {
                        place_countries.push((i, c.clone()));
                    }
                }
            }
        }
        // A place entity without a country of its own takes the one its route places give.
        place_countries.sort();
        for (i, c) in place_countries {
            if nodes[i].country.is_none() {
                nodes[i].country = Some(c);
            }
        }

        let mut graph = LayoutGraph::build(nodes, raw);
        graph.place_unpositioned();
        graph
    }

    /// A graph from parts (tests, benchmarks, callers without a case). Nodes are sorted by id,
    /// duplicate ids and edges pointing outside the node list are dropped, parallel edges merged.
    /// Positions are taken as given (non-finite ones are replaced).
    pub fn from_parts(mut nodes: Vec<LayoutNode>, edges: Vec<LayoutEdge>) -> LayoutGraph {
        // Edges refer to positions in the caller's list: remember where each node went.
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        order.sort_by(|&a, &b| nodes[a].id.cmp(&nodes[b].id).then(a.cmp(&b)));
        let mut new_index = vec![usize::MAX; nodes.len()];
        let mut sorted: Vec<LayoutNode> = Vec::with_capacity(nodes.len());
        let mut taken: Vec<Option<LayoutNode>> = nodes.drain(..).map(Some).collect();
        for &old in &order {
            let Some(node) = taken[old].take() else {
                continue;
            };
            if sorted.last().is_some_and(|last| last.id == node.id) {
                new_index[old] = sorted.len() - 1;
                continue;
            }
            new_index[old] = sorted.len();
            sorted.push(node);
        }
        for n in &mut sorted {
            if !(n.position.x.is_finite() && n.position.y.is_finite()) {
                n.position = CanvasPoint::default();
                n.has_position = false;
            }
        }
        let raw = edges
            .into_iter()
            .filter_map(|e| {
                let from = *new_index.get(e.from)?;
                let to = *new_index.get(e.to)?;
                let weight = if e.weight.is_finite() && e.weight > 0.0 {
                    e.weight
                } else {
                    1.0
                };
                Some((
                    LayoutEdge {
                        from,
                        to,
                        weight,
                        flow: e.flow,
                        directed: e.directed || e.flow,
                    },
                    false,
                ))
            })
            .collect();
        let mut graph = LayoutGraph::build(sorted, raw);
        graph.place_unpositioned();
        graph
    }

    fn build(nodes: Vec<LayoutNode>, mut raw: Vec<(LayoutEdge, bool)>) -> LayoutGraph {
        // Self-loops carry no layout information. Undirected edges are stored low → high so
        // a—b and b—a merge.
        raw.retain(|(e, _)| e.from != e.to);
        for (e, _) in &mut raw {
            if !e.directed && e.from > e.to {
                std::mem::swap(&mut e.from, &mut e.to);
            }
        }
        raw.sort_by(|(a, _), (b, _)| {
            (a.from, a.to, a.directed)
                .cmp(&(b.from, b.to, b.directed))
                .then(b.flow.cmp(&a.flow))
        });
        let mut edges: Vec<LayoutEdge> = Vec::with_capacity(raw.len());
        let mut drawn: Vec<Drawn> = Vec::with_capacity(raw.len());
        for (e, hop) in raw {
            let count = |d: &mut Drawn| {
                if hop {
                    d.hops += 1;
                } else {
                    d.links += 1;
                }
            };
            match (edges.last_mut(), drawn.last_mut()) {
                (Some(last), Some(d))
                    if (last.from, last.to, last.directed) == (e.from, e.to, e.directed) =>
                {
                    last.weight = (last.weight + e.weight).min(MAX_EDGE_WEIGHT);
                    last.flow |= e.flow;
                    count(d);
                }
                _ => {
                    edges.push(LayoutEdge {
                        weight: e.weight.min(MAX_EDGE_WEIGHT),
                        ..e
                    });
                    let mut d = Drawn::default();
                    count(&mut d);
                    drawn.push(d);
                }
            }
        }

        let mut degree = vec![0usize; nodes.len() + 1];
        for e in &edges {
            degree[e.from] += 1;
            degree[e.to] += 1;
        }
        let mut adjacency_start = Vec::with_capacity(nodes.len() + 1);
        let mut total = 0;
        for d in &degree[..nodes.len()] {
            adjacency_start.push(total);
            total += d;
        }
        adjacency_start.push(total);
        let mut fill = adjacency_start.clone();
        let mut adjacency = vec![(0, 0); total];
        for (k, e) in edges.iter().enumerate() {
            adjacency[fill[e.from]] = (e.to, k);
            fill[e.from] += 1;
            adjacency[fill[e.to]] = (e.from, k);
            fill[e.to] += 1;
        }
        LayoutGraph {
            nodes,
            edges,
            drawn,
            adjacency_start,
            adjacency,
        }
    }

    /// Gives nodes without a stored position a deterministic one: near the middle of their
    /// positioned neighbours, or else on a sunflower spiral beside the existing drawing.
    fn place_unpositioned(&mut self) {
        if self.nodes.iter().all(|n| n.has_position) {
            return;
        }
        let placed: Vec<CanvasPoint> = self
            .nodes
            .iter()
            .filter(|n| n.has_position)
            .map(|n| n.position)
            .collect();
        let bounds = super::arrange::Bounds::of(placed.iter().copied());
        let spare = self.nodes.iter().filter(|n| !n.has_position).count();
        let spiral_radius = NODE_SPACING * 0.6 * (spare as f32).sqrt();
        let spiral_centre = bounds.map_or(CanvasPoint::default(), |b| CanvasPoint {
            x: b.max_x + NODE_SPACING + spiral_radius,
            y: (b.min_y + b.max_y) * 0.5,
        });
        let mut spiral_index = 0usize;
        for i in 0..self.nodes.len() {
            if self.nodes[i].has_position {
                continue;
            }
            let (mut sum_x, mut sum_y, mut count) = (0.0f32, 0.0f32, 0usize);
            for &(j, _) in self.neighbours(i) {
                if self.nodes[j].has_position {
                    sum_x += self.nodes[j].position.x;
                    sum_y += self.nodes[j].position.y;
                    count += 1;
                }
            }
            self.nodes[i].position = if count > 0 {
                let (dx, dy) = super::arrange::sunflower(i % 16 + 1, NODE_SPACING * 0.5);
                CanvasPoint {
                    x: sum_x / count as f32 + dx,
                    y: sum_y / count as f32 + dy,
                }
            } else {
                let (dx, dy) = super::arrange::sunflower(spiral_index, NODE_SPACING * 0.6);
                spiral_index += 1;
                CanvasPoint {
                    x: spiral_centre.x + dx,
                    y: spiral_centre.y + dy,
                }
            };
        }
    }

    pub fn nodes(&self) -> &[LayoutNode] {
        &self.nodes
    }

    pub fn edges(&self) -> &[LayoutEdge] {
        &self.edges
    }

    /// How many links and shipment hops edge `k` merged.
    pub fn drawn(&self, k: usize) -> Drawn {
        self.drawn.get(k).copied().unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Index of an entity's node.
    pub fn index_of(&self, id: &EntityId) -> Option<usize> {
        self.nodes.binary_search_by(|n| n.id.cmp(id)).ok()
    }

    /// `(neighbour, edge index)` pairs of node `i`, in edge order.
    pub fn neighbours(&self, i: usize) -> &[(usize, usize)] {
        match (self.adjacency_start.get(i), self.adjacency_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.adjacency[a..b],
            _ => &[],
        }
    }

    pub fn degree(&self, i: usize) -> usize {
        self.neighbours(i).len()
    }

    /// Current positions of all nodes, by index.
    pub fn positions(&self) -> Vec<CanvasPoint> {
        self.nodes.iter().map(|n| n.position).collect()
    }
}

/// The hops of a shipment's route, as `(from, to, carries goods)`: product → shipper →
/// forwarders → the route places that name an entity (as the canvas draws them: see
/// [`super::routes`]; a place naming only a country is a waypoint, not a node) → consignee → end
/// users, skipping parties the shipment does not name; the notify party hangs off the
/// consignee without flow.
fn shipment_hops(s: &Shipment) -> Vec<(&EntityId, &EntityId, bool)> {
    let places = s
        .legs
        .iter()
        .flat_map(|leg| [&leg.from, &leg.to])
        .filter_map(|place| place.entity.as_ref());
    let stops = s
        .shipper
        .iter()
        .chain(&s.forwarders)
        .chain(places)
        .chain(&s.consignee);
    let mut chain: Vec<&EntityId> = Vec::new();
    for id in stops {
        // A place repeated at a leg boundary (to of leg n = from of leg n+1) is one stop.
        if chain.last() != Some(&id) {
            chain.push(id);
        }
    }

    let mut hops: Vec<(&EntityId, &EntityId, bool)> = Vec::new();
    for pair in chain.windows(2) {
        hops.push((pair[0], pair[1], true));
    }
    let end_users: Vec<&EntityId> = [&s.declared_end_user, &s.suspected_end_user]
        .into_iter()
        .flatten()
        .collect();
    let head = chain.first().copied();
    let tail = chain.last().copied();
    for user in &end_users {
        if let Some(t) = tail {
            hops.push((t, user, true));
        }
    }
    // Goods enter at the head of the chain, or go straight to the end users when no party or
    // place is known.
    let mut products: Vec<&EntityId> = s.goods.iter().filter_map(|g| g.product.as_ref()).collect();
    products.sort();
    products.dedup();
    for product in products {
        match head {
            Some(h) => hops.push((product, h, true)),
            None => {
                for user in &end_users {
                    hops.push((product, user, true));
                }
            }
        }
    }
    if let (Some(notify), Some(t)) = (&s.notify_party, s.consignee.as_ref().or(tail)) {
        hops.push((t, notify, false));
    }
    hops
}

/// Coordinates from `lat`/`lon` (or `latitude`/`longitude`) attributes, when both parse and
/// are in range.
fn lon_lat_attribute(
    attributes: &std::collections::BTreeMap<String, String>,
) -> Option<(f32, f32)> {
    let get = |keys: [&str; 2]| {
        keys.iter()
            .find_map(|k| attributes.get(*k))
            .and_then(|v| v.trim().parse::<f32>().ok())
            .filter(|v| v.is_finite())
    };
    let lat = get(["lat", "latitude"])?;
    let lon = get(["lon", "longitude"])?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lon, lat))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entity, Leg, Link, NodePosition, Place, ShipmentId};

    fn entity(case: &mut Case, id: &str, kind: EntityKind) {
        case.entities.insert(id.into(), Entity::new(id, kind, id));
    }

    #[test]
    fn shipment_chain_follows_the_goods() {
        let mut case = Case::default();
        for id in ["maker", "gpu", "seller", "fwd", "sg", "buyer", "user"] {
            entity(&mut case, id, EntityKind::Company);
        }
        case.links.insert(
            "l1".into(),
            Link::new("l1", LinkKind::ManufacturedBy, "gpu", "maker"),
        );
        let place = |id: &str| Place {
            name: id.to_owned(),
            country: "SG".parse().ok(),
            entity: Some(id.into()),
        };
        let shipment = Shipment {
            id: ShipmentId::from("s1"),
            shipper: Some("seller".into()),
            forwarders: vec!["fwd".into()],
            consignee: Some("buyer".into()),
            suspected_end_user: Some("user".into()),
            legs: vec![Leg {
                from: place("sg"),
                to: place("sg"),
                ..Leg::default()
            }],
            goods: vec![crate::model::GoodsLine {
                product: Some("gpu".into()),
                ..Default::default()
            }],
            ..Shipment::default()
        };
        case.shipments.insert(shipment.id.clone(), shipment);
        let g = LayoutGraph::from_case(&case, None);
        let name = |i: usize| g.nodes()[i].id.as_str().to_owned();
        let mut flows: Vec<(String, String)> = g
            .edges()
            .iter()
            .filter(|e| e.flow)
            .map(|e| (name(e.from), name(e.to)))
            .collect();
        flows.sort();
        let expected = [
            ("buyer", "user"),
            ("fwd", "sg"),
            ("gpu", "seller"),
            ("maker", "gpu"),
            ("seller", "fwd"),
            ("sg", "buyer"),
        ];
        assert_eq!(
            flows,
            expected
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect::<Vec<_>>()
        );
        let sg = g.index_of(&"sg".into()).expect("sg");
        assert_eq!(
            g.nodes()[sg].country.as_ref().map(CountryCode::as_str),
            Some("SG")
        );
    }

    #[test]
    fn parallel_edges_merge_and_self_loops_drop() {
        let mut case = Case::default();
        entity(&mut case, "a", EntityKind::Person);
        entity(&mut case, "b", EntityKind::Person);
        // Two lines between a and b (an association entered twice is one line, as the
        // picture bundles it; a communication is another) and a self-loop.
        for (id, kind, from, to) in [
            ("l1", LinkKind::Associate, "a", "b"),
            ("l2", LinkKind::Associate, "b", "a"),
            ("l3", LinkKind::Communication, "b", "a"),
            ("l4", LinkKind::Associate, "a", "a"),
        ] {
            case.links.insert(id.into(), Link::new(id, kind, from, to));
        }
        case.positions.insert(
            "a".into(),
            NodePosition {
                x: 10.0,
                y: 20.0,
                pinned: true,
            },
        );
        let g = LayoutGraph::from_case(&case, None);
        assert_eq!(g.edges().len(), 1);
        assert_eq!(g.edges()[0].weight, 2.0);
        assert!(g.nodes()[0].pinned && !g.nodes()[0].movable());
        // b had no position: it is placed near its positioned neighbour a.
        let b = g.nodes()[1].position;
        assert!(!g.nodes()[1].has_position);
        assert!((b.x - 10.0).hypot(b.y - 20.0) < NODE_SPACING);
        assert_eq!(g.degree(0), 1);
    }

    #[test]
    fn from_parts_remaps_and_filters() {
        let p = CanvasPoint::default();
        let nodes = vec![
            LayoutNode::new("z", EntityKind::Company, p),
            LayoutNode::new(
                "a",
                EntityKind::Company,
                CanvasPoint {
                    x: f32::NAN,
                    y: 0.0,
                },
            ),
        ];
        let edge = |from, to| LayoutEdge {
            from,
            to,
            weight: f32::NAN,
            flow: true,
            directed: false,
        };
        let g = LayoutGraph::from_parts(nodes, vec![edge(0, 1), edge(0, 7)]);
        assert_eq!(g.nodes()[0].id.as_str(), "a");
        assert_eq!(g.edges().len(), 1);
        let e = g.edges()[0];
        assert_eq!((e.from, e.to, e.weight, e.directed), (1, 0, 1.0, true));
        assert!(g.nodes()[0].position.x.is_finite());
    }
}
