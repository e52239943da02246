//! The canvas scene: geometry derived from the case (node places, edges with their fan-out,
//! shipment routes, groups, sticky notes) plus a spatial index for hit tests. Never saved;
//! rebuilt when the case revision or the view filters change.

use crate::analysis::timeline::Inactive;
use crate::model::{
    Case, ClaimStatus, EntityId, EntityKind, GroupId, ItemRef, LinkId, NoteId, ShipmentId,
};
use egui::{Pos2, Rect, Vec2, pos2, vec2};
use std::collections::{BTreeSet, HashMap};

/// Radius of an entity node, in canvas units.
pub const NODE_RADIUS: f32 = 22.0;
/// Radius of a collapsed group's node.
pub const GROUP_NODE_RADIUS: f32 = 30.0;
/// Side of a spatial-index cell, in canvas units.
const CELL: f32 = 256.0;
/// Size of a sticky note on the canvas.
pub const NOTE_SIZE: Vec2 = vec2(170.0, 96.0);

/// What the view hides; part of the scene key so a filter change rebuilds the scene.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub hidden_kinds: BTreeSet<EntityKind>,
    pub hidden_tags: BTreeSet<String>,
    pub hidden: BTreeSet<EntityId>,
    /// Only what was active in this window (the timeline's brush or "as of" date): other dated
    /// shipments and links, and entities only they involve, are left out.
    pub time_window: Option<crate::analysis::timeline::TimeWindow>,
    /// Only entities that some evidence supports.
    pub only_supported: bool,
    /// One line per shipment, instead of one per bundle of shipments along the same route.
    pub unbundled: bool,
    /// Kinds of link not drawn.
    pub hidden_link_kinds: BTreeSet<crate::model::LinkKindTag>,
    /// Links and shipments whose claim has one of these statuses are not drawn.
    pub hidden_claims: BTreeSet<ClaimStatus>,
    /// Shipments and payments worth less than this many US dollars are not drawn (those
    /// valued only in another currency, or not at all, are: nothing is converted).
    pub min_usd: Option<u64>,
}

fn canvas_point(p: Pos2) -> crate::model::CanvasPoint {
    crate::model::CanvasPoint { x: p.x, y: p.y }
}

/// Whether `filters` leave out an item worth `usd` (in US dollars, when known).
fn below_minimum(filters: &Filters, usd: Option<f64>) -> bool {
    crate::model::below_usd(filters.min_usd, usd)
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.hidden_kinds.is_empty()
            && self.hidden_tags.is_empty()
            && self.hidden.is_empty()
            && self.time_window.is_none()
            && !self.only_supported
            && self.hidden_link_kinds.is_empty()
            && self.hidden_claims.is_empty()
            && self.min_usd.is_none()
    }

    fn hides(&self, e: &crate::model::Entity) -> bool {
        self.hidden_kinds.contains(&e.kind)
            || self.hidden.contains(&e.id)
            || e.tags.iter().any(|t| self.hidden_tags.contains(t))
    }
}

#[derive(Clone, Debug)]
pub struct SceneNode {
    /// The entity, or the collapsed group standing in for its members.
    pub item: ItemRef,
    pub pos: Pos2,
    pub radius: f32,
    pub kind: EntityKind,
    pub label: String,
    /// Labels of the flags in force.
    pub flags: Vec<String>,
    /// Labels of flags that have ended ("Formerly sanctioned"), shown muted.
    pub former_flags: Vec<String>,
    pub evidence: usize,
    pub pinned: bool,
    /// Entities inside a collapsed group node.
    pub members: Vec<EntityId>,
}

#[derive(Clone, Debug)]
pub struct SceneEdge {
    /// The links drawn as this line, at least one (several of one kind when bundled).
    pub links: Vec<LinkId>,
    pub from: usize,
    pub to: usize,
    pub label: String,
    pub directed: bool,
    /// The weakest claim among the links.
    pub status: ClaimStatus,
    /// Stroke width in canvas units (wider for a bundle of many links).
    pub width: f32,
    /// Sideways offset of the curve's apex from the chord's middle, in canvas units (0 =
    /// straight); for a self-loop, its size.
    pub bend: f32,
}

#[derive(Clone, Debug)]
pub struct SceneRoute {
    /// The shipments drawn as this line, at least one (several when bundled).
    pub shipments: Vec<ShipmentId>,
    /// Stops in order (node indices), at least two.
    pub stops: Vec<usize>,
    /// Places passed on each hop that are not nodes here (one list per hop).
    pub vias: Vec<Vec<crate::layout::routes::Waypoint>>,
    pub label: String,
    /// Stroke width in canvas units, scaled by quantity or value.
    pub width: f32,
    pub status: ClaimStatus,
    /// Apex offset of each hop's curve (see [`SceneEdge::bend`]).
    pub bends: Vec<f32>,
}

#[derive(Clone, Debug)]
pub struct SceneGroup {
    pub id: GroupId,
    pub title: String,
    pub rect: Rect,
    pub members: Vec<EntityId>,
    pub collapsed: bool,
}

#[derive(Clone, Debug)]
pub struct SceneNote {
    pub id: NoteId,
    pub rect: Rect,
    pub title: String,
    pub body: String,
}

/// A uniform grid over node centres: hit tests and culling without scanning every node.
#[derive(Clone, Debug, Default)]
pub struct SpatialGrid {
    cells: HashMap<(i32, i32), Vec<u32>>,
    max_radius: f32,
}

fn cell_of(p: Pos2) -> (i32, i32) {
    // Saturating float-to-int casts: absurd coordinates land in the outermost cells.
    #[allow(clippy::cast_possible_truncation)]
    ((p.x / CELL).floor() as i32, (p.y / CELL).floor() as i32)
}

impl SpatialGrid {
    pub fn build(nodes: &[SceneNode]) -> Self {
        let mut grid = Self::default();
        for (i, n) in nodes.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            grid.cells.entry(cell_of(n.pos)).or_default().push(i);
            grid.max_radius = grid.max_radius.max(n.radius);
        }
        grid
    }

    /// Indices of nodes whose disc touches `rect`, in index order.
    pub fn query_rect(&self, nodes: &[SceneNode], rect: Rect) -> Vec<usize> {
        let grown = rect.expand(self.max_radius);
        let (x0, y0) = cell_of(grown.min);
        let (x1, y1) = cell_of(grown.max);
        let mut out = Vec::new();
        let cells = (i64::from(x1) - i64::from(x0) + 1) * (i64::from(y1) - i64::from(y0) + 1);
        if cells > i64::try_from(self.cells.len()).unwrap_or(i64::MAX) {
            // A huge window over a sparse grid: walking the occupied cells is cheaper.
            for (&(cx, cy), list) in &self.cells {
                if (x0..=x1).contains(&cx) && (y0..=y1).contains(&cy) {
                    out.extend(list.iter().map(|&i| i as usize));
                }
            }
        } else {
            for cx in x0..=x1 {
                for cy in y0..=y1 {
                    if let Some(list) = self.cells.get(&(cx, cy)) {
                        out.extend(list.iter().map(|&i| i as usize));
                    }
                }
            }
        }
        out.retain(|&i| disc_touches_rect(nodes[i].pos, nodes[i].radius, rect));
        out.sort_unstable();
        out
    }

    /// How many nodes touch `rect`, counting no further than `cap` (cheap "are there many?").
    pub fn count_at_most(&self, nodes: &[SceneNode], rect: Rect, cap: usize) -> usize {
        let grown = rect.expand(self.max_radius);
        let (x0, y0) = cell_of(grown.min);
        let (x1, y1) = cell_of(grown.max);
        let mut count = 0;
        for (&(cx, cy), list) in &self.cells {
            if !((x0..=x1).contains(&cx) && (y0..=y1).contains(&cy)) {
                continue;
            }
            for &i in list {
                let n = &nodes[i as usize];
                if disc_touches_rect(n.pos, n.radius, rect) {
                    count += 1;
                    if count >= cap {
                        return count;
                    }
                }
            }
        }
        count
    }

    /// The node under `p` (within its radius plus `slack`); the nearest wins.
    pub fn hit(&self, nodes: &[SceneNode], p: Pos2, slack: f32) -> Option<usize> {
        let reach = self.max_radius + slack;
        let probe = Rect::from_center_size(p, Vec2::splat(2.0 * reach));
        let (x0, y0) = cell_of(probe.min);
        let (x1, y1) = cell_of(probe.max);
        let mut best: Option<(f32, usize)> = None;
        for cx in x0..=x1 {
            for cy in y0..=y1 {
                for &i in self.cells.get(&(cx, cy)).into_iter().flatten() {
                    let n = &nodes[i as usize];
                    let d = n.pos.distance(p);
                    if d <= n.radius + slack
                        && best.is_none_or(|(bd, bi)| (d, i as usize) < (bd, bi))
                    {
                        best = Some((d, i as usize));
                    }
                }
            }
        }
        best.map(|(_, i)| i)
    }
}

pub fn disc_touches_rect(c: Pos2, r: f32, rect: Rect) -> bool {
    let nearest = pos2(
        c.x.clamp(rect.min.x, rect.max.x),
        c.y.clamp(rect.min.y, rect.max.y),
    );
    nearest.distance_sq(c) <= r * r
}

/// Everything the canvas draws, derived from the case.
#[derive(Clone, Debug, Default)]
pub struct Scene {
    pub nodes: Vec<SceneNode>,
    /// The node drawn for each shown entity (its own or its collapsed group's), by id: looked
    /// up without building an `ItemRef` (a string copy) each time.
    entity_nodes: HashMap<EntityId, usize>,
    /// The node of each collapsed group.
    group_nodes: HashMap<GroupId, usize>,
    pub edges: Vec<SceneEdge>,
    pub routes: Vec<SceneRoute>,
    pub groups: Vec<SceneGroup>,
    pub notes: Vec<SceneNote>,
    pub grid: SpatialGrid,
    /// Bounds of nodes, groups and notes; None for an empty canvas.
    pub bounds: Option<Rect>,
    /// Entities the user hid (by kind, tag or one by one), for the "Show n hidden" button;
    /// those left out by the time window or "only supported" are not counted.
    pub hidden_count: usize,
    /// Own position of every shown entity, members of collapsed groups included.
    pub entity_positions: HashMap<EntityId, Pos2>,
    /// Entities that some evidence supports; the others are drawn with a dashed ring.
    pub supported: BTreeSet<EntityId>,
}

/// Where an entity with no saved position is drawn: a deterministic grid below the placed ones
/// (shared with the exported pictures).
fn default_positions(case: &Case) -> HashMap<EntityId, Pos2> {
    crate::layout::picture::unplaced_positions(case)
        .into_iter()
        .map(|(id, p)| (id.clone(), pos2(p.x, p.y)))
        .collect()
}

/// Node radius when nodes are sized by a measure: `NODE_RADIUS` at the median-ish low end,
/// up to twice that for the highest value (square-root scale, so areas track the measure).
pub fn sized_radius(value: f64, max: f64) -> f32 {
    if max <= 0.0 || !value.is_finite() {
        return NODE_RADIUS;
    }
    #[allow(clippy::cast_possible_truncation)]
    let t = (value / max).clamp(0.0, 1.0).sqrt() as f32;
    NODE_RADIUS * (0.75 + 1.25 * t)
}

impl Scene {
    pub fn build(case: &Case, filters: &Filters) -> Self {
        Self::build_sized(case, filters, None)
    }

    /// Builds the scene with node radii from `measure` (e.g. betweenness), when given.
    pub fn build_sized(
        case: &Case,
        filters: &Filters,
        measure: Option<&std::collections::BTreeMap<EntityId, f64>>,
    ) -> Self {
        let max = measure.map_or(0.0, |m| m.values().copied().fold(0.0, f64::max));
        let defaults = default_positions(case);
        // Flags are judged as of today: an ended listing shows as "formerly".
        let today = crate::model::PartialDate::today();
        let user_hides = filters;
        // A time window hides inactive entities the way hidden ones are, and drops their routes.
        let inactive = filters
            .time_window
            .map(|w| crate::analysis::timeline::inactive_in(case, w));
        let windowed;
        let filters = match &inactive {
            Some(out) if !out.entities.is_empty() => {
                windowed = Filters {
                    hidden: filters.hidden.union(&out.entities).cloned().collect(),
                    ..filters.clone()
                };
                &windowed
            }
            _ => filters,
        };
        let supported = super::support::supported_entities(case);
        let supported_only;
        let filters = if filters.only_supported {
            let unsupported = case
                .entities
                .keys()
                .filter(|id| !supported.contains(*id))
                .cloned()
                .collect();
            supported_only = Filters {
                hidden: filters.hidden.union(&unsupported).cloned().collect(),
                ..filters.clone()
            };
            &supported_only
        } else {
            filters
        };
        let mut scene = Scene::default();
        let shown = case.entities.len();
        scene.entity_nodes.reserve(shown);
        scene.entity_positions.reserve(shown);
        scene.nodes.reserve(shown);
        // Evidence per item: counted once per evidence item, whatever the number of claims.
        let mut evidence_count: HashMap<&ItemRef, usize> = HashMap::new();
        for ev in case.evidence.values() {
            let targets: BTreeSet<&ItemRef> = ev
                .supports
                .iter()
                .filter_map(|s| s.target.as_ref())
                .collect();
            for t in targets {
                *evidence_count.entry(t).or_default() += 1;
            }
        }
        // Collapsed groups stand in for their members.
        let mut collapsed_into: HashMap<&EntityId, usize> = HashMap::new();
        for g in case.groups.values().filter(|g| g.collapsed) {
            let visible: Vec<&EntityId> = g
                .members
                .iter()
                .filter(|m| case.entities.get(*m).is_some_and(|e| !filters.hides(e)))
                .filter(|m| !collapsed_into.contains_key(m))
                .collect();
            if visible.is_empty() {
                continue;
            }
            let mut sum = Vec2::ZERO;
            for m in &visible {
                sum += node_position(case, &defaults, m).to_vec2();
            }
            #[allow(clippy::cast_precision_loss)]
            let centre = (sum / visible.len() as f32).to_pos2();
            let index = scene.nodes.len();
            for m in &visible {
                collapsed_into.insert(m, index);
            }
            scene.group_nodes.insert(g.id.clone(), index);
            scene.nodes.push(SceneNode {
                item: ItemRef::Group(g.id.clone()),
                pos: centre,
                radius: GROUP_NODE_RADIUS,
                kind: EntityKind::Organization,
                label: format!("{} ({})", g.title, visible.len()),
                flags: Vec::new(),
                former_flags: Vec::new(),
                evidence: 0,
                pinned: false,
                members: visible.into_iter().cloned().collect(),
            });
        }
        for e in case.entities.values() {
            if filters.hides(e) {
                if user_hides.hides(e) {
                    scene.hidden_count += 1;
                }
                continue;
            }
            let item = ItemRef::Entity(e.id.clone());
            scene
                .entity_positions
                .insert(e.id.clone(), node_position(case, &defaults, &e.id));
            if let Some(&group_node) = collapsed_into.get(&e.id) {
                scene.entity_nodes.insert(e.id.clone(), group_node);
                continue;
            }
            let index = scene.nodes.len();
            scene.nodes.push(SceneNode {
                pos: node_position(case, &defaults, &e.id),
                radius: measure.map_or(NODE_RADIUS, |m| {
                    sized_radius(m.get(&e.id).copied().unwrap_or(0.0), max)
                }),
                kind: e.kind,
                label: e.name.clone(),
                flags: e
                    .flags
                    .iter()
                    .filter(|f| !f.ended(&today))
                    .map(|f| f.kind.label().to_owned())
                    .collect(),
                former_flags: e
                    .flags
                    .iter()
                    .filter(|f| f.ended(&today))
                    .map(|f| f.label_on(&today))
                    .collect(),
                evidence: evidence_count.get(&item).copied().unwrap_or(0),
                pinned: case.positions.get(&e.id).is_some_and(|p| p.pinned),
                members: Vec::new(),
                item: item.clone(),
            });
            scene.entity_nodes.insert(e.id.clone(), index);
        }
        let obstacles = scene.obstacles();
        scene.build_edges(case, filters, inactive.as_ref(), &obstacles);
        scene.build_routes(case, filters, inactive.as_ref(), &obstacles);
        scene.build_groups(case, filters);
        scene.notes = case
            .notes
            .values()
            .filter_map(|n| {
                let p = n.canvas?;
                (p.x.is_finite() && p.y.is_finite()).then(|| SceneNote {
                    id: n.id.clone(),
                    rect: Rect::from_min_size(pos2(p.x, p.y), NOTE_SIZE),
                    title: n.title.clone(),
                    body: n.body.clone(),
                })
            })
            .collect();
        scene.supported = supported;
        scene.grid = SpatialGrid::build(&scene.nodes);
        scene.bounds = scene.compute_bounds();
        scene
    }

    /// Radius of the biggest node (canvas units).
    pub fn grid_max_radius(&self) -> f32 {
        self.grid.max_radius
    }

    /// Index of the node drawn for an entity (its own or its collapsed group's).
    pub fn node_of(&self, id: &EntityId) -> Option<usize> {
        self.entity_nodes.get(id).copied()
    }

    /// Index of the node drawn for an item: an entity (its own node or its collapsed
    /// group's) or a collapsed group; None for anything else.
    pub fn node_of_item(&self, item: &ItemRef) -> Option<usize> {
        match item {
            ItemRef::Entity(id) => self.node_of(id),
            ItemRef::Group(id) => self.group_nodes.get(id).copied(),
            _ => None,
        }
    }

    /// Node discs the lines bend around (none on a case too large for it).
    fn obstacles(&self) -> crate::layout::links::Obstacles {
        crate::layout::links::Obstacles::new(
            self.nodes
                .iter()
                .map(|n| crate::layout::labels::Disc {
                    c: canvas_point(n.pos),
                    r: n.radius,
                })
                .collect(),
        )
    }

    fn build_edges(
        &mut self,
        case: &Case,
        filters: &Filters,
        inactive: Option<&Inactive>,
        obstacles: &crate::layout::links::Obstacles,
    ) {
        let shown = case.links.values().filter(|link| {
            !(inactive.is_some_and(|i| i.links.contains(&link.id))
                || filters.hidden_link_kinds.contains(&link.kind.tag())
                || filters.hidden_claims.contains(&link.status)
                || below_minimum(filters, link.kind.payment_usd()))
        });
        let lines =
            crate::layout::links::bundle_links(shown, |id| self.node_of(id), !filters.unbundled);
        self.edges.reserve(lines.len());
        for line in lines {
            let (a, b) = (self.nodes[line.from].pos, self.nodes[line.to].pos);
            let bend = if line.from == line.to {
                #[allow(clippy::cast_precision_loss)]
                let loop_size = 1.0 + line.nth as f32 * 0.35;
                loop_size
            } else {
                obstacles.clear_bend(
                    canvas_point(a),
                    canvas_point(b),
                    line.bend,
                    line.bend != 0.0,
                )
            };
            self.edges.push(SceneEdge {
                links: line.links.iter().map(|l| l.id.clone()).collect(),
                from: line.from,
                to: line.to,
                label: line.label(),
                directed: line.directed(),
                status: line.claim(),
                width: line.width(),
                bend,
            });
        }
    }

    fn build_routes(
        &mut self,
        case: &Case,
        filters: &Filters,
        inactive: Option<&Inactive>,
        obstacles: &crate::layout::links::Obstacles,
    ) {
        use crate::layout::links::{ROUTE_BEND, ROUTE_BEND_STEP};
        let mut per_pair: HashMap<(usize, usize), usize> = HashMap::new();
        let active = case.shipments.values().filter(|s| {
            inactive.is_none_or(|i| !i.shipments.contains(&s.id))
                && !filters.hidden_claims.contains(&s.claim)
                && !below_minimum(filters, s.value_usd())
        });
        let bundles = crate::layout::routes::bundle_routes(
            case,
            active,
            |e| self.node_of(e),
            !filters.unbundled,
        );
        self.routes.reserve(bundles.len());
        for b in bundles {
            let stops = &b.route.stops;
            let key = (stops[0].min(stops[1]), stops[0].max(stops[1]));
            let nth = per_pair.entry(key).or_default();
            #[allow(clippy::cast_precision_loss)]
            let bend = ROUTE_BEND + *nth as f32 * ROUTE_BEND_STEP;
            *nth += 1;
            let bends = stops
                .windows(2)
                .map(|w| {
                    obstacles.clear_bend(
                        canvas_point(self.nodes[w[0]].pos),
                        canvas_point(self.nodes[w[1]].pos),
                        bend,
                        true,
                    )
                })
                .collect();
            let (label, width, status) = (b.label(case), b.width(), b.claim());
            self.routes.push(SceneRoute {
                shipments: b.shipments.iter().map(|s| s.id.clone()).collect(),
                stops: b.route.stops,
                vias: b.route.vias,
                label,
                width,
                status,
                bends,
            });
        }
    }

    fn build_groups(&mut self, case: &Case, filters: &Filters) {
        for g in case.groups.values() {
            if g.collapsed {
                continue;
            }
            let shown: Vec<EntityId> = g
                .members
                .iter()
                .filter(|m| case.entities.get(*m).is_some_and(|e| !filters.hides(e)))
                .cloned()
                .collect();
            if let Some(rect) = self.group_box(&shown, |i| self.nodes[i].pos) {
                self.groups.push(SceneGroup {
                    id: g.id.clone(),
                    title: g.title.clone(),
                    rect,
                    members: g.members.clone(),
                    collapsed: false,
                });
            }
        }
    }

    /// The box drawn around an expanded group: around its members' nodes, placed by `at` (a
    /// node index to its place: the scene's, or this frame's during a drag or an animation),
    /// with room for labels below the nodes and the title tab above. None if no member is
    /// shown.
    pub fn group_box(&self, members: &[EntityId], at: impl Fn(usize) -> Pos2) -> Option<Rect> {
        let r = members
            .iter()
            .filter_map(|m| self.node_of(m))
            .map(|i| Rect::from_center_size(at(i), Vec2::splat(self.nodes[i].radius * 2.0)))
            .reduce(Rect::union)?;
        Some(Rect::from_min_max(
            r.min - vec2(28.0, 40.0),
            r.max + vec2(28.0, 40.0),
        ))
    }

    fn compute_bounds(&self) -> Option<Rect> {
        let mut bounds: Option<Rect> = None;
        let mut add = |r: Rect| bounds = Some(bounds.map_or(r, |b| b.union(r)));
        for n in &self.nodes {
            add(Rect::from_center_size(n.pos, Vec2::splat(n.radius * 2.0))
                .expand2(vec2(40.0, 24.0)));
        }
        for g in &self.groups {
            add(g.rect);
        }
        for n in &self.notes {
            add(n.rect);
        }
        bounds
    }

    /// Entities whose node lies inside `rect` (members of collapsed groups included).
    pub fn entities_in(&self, rect: Rect) -> Vec<ItemRef> {
        let mut out = Vec::new();
        for i in self.grid.query_rect(&self.nodes, rect) {
            let n = &self.nodes[i];
            if !rect.contains(n.pos) {
                continue;
            }
            if n.members.is_empty() {
                out.push(n.item.clone());
            } else {
                out.extend(n.members.iter().cloned().map(ItemRef::Entity));
            }
        }
        out
    }
}

fn node_position(case: &Case, defaults: &HashMap<EntityId, Pos2>, id: &EntityId) -> Pos2 {
    match case.positions.get(id) {
        Some(p) if p.x.is_finite() && p.y.is_finite() => pos2(p.x, p.y),
        _ => defaults.get(id).copied().unwrap_or(Pos2::ZERO),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn node_at(x: f32, y: f32, r: f32) -> SceneNode {
        SceneNode {
            item: ItemRef::Entity(EntityId::new("e")),
            pos: pos2(x, y),
            radius: r,
            kind: EntityKind::Company,
            label: String::new(),
            flags: Vec::new(),
            former_flags: Vec::new(),
            evidence: 0,
            pinned: false,
            members: Vec::new(),
        }
    }

    fn brute_hit(nodes: &[SceneNode], p: Pos2, slack: f32) -> Option<usize> {
        nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.pos.distance(p) <= n.radius + slack)
            .min_by(|(ia, a), (ib, b)| {
                (a.pos.distance(p), *ia)
                    .partial_cmp(&(b.pos.distance(p), *ib))
                    .expect("finite")
            })
            .map(|(i, _)| i)
    }

    proptest! {
        #[test]
        fn grid_hits_agree_with_brute_force(
            pts in prop::collection::vec((-3000.0f32..3000.0, -3000.0f32..3000.0, 5.0f32..40.0), 0..200),
            probes in prop::collection::vec((-3100.0f32..3100.0, -3100.0f32..3100.0), 1..40),
            rect in (-3000.0f32..3000.0, -3000.0f32..3000.0, 0.0f32..2500.0, 0.0f32..2500.0),
        ) {
            let nodes: Vec<SceneNode> = pts.iter().map(|&(x, y, r)| node_at(x, y, r)).collect();
            let grid = SpatialGrid::build(&nodes);
            for &(x, y) in &probes {
                let p = pos2(x, y);
                prop_assert_eq!(grid.hit(&nodes, p, 4.0), brute_hit(&nodes, p, 4.0));
            }
            let r = Rect::from_min_size(pos2(rect.0, rect.1), vec2(rect.2, rect.3));
            let brute: Vec<usize> = nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| disc_touches_rect(n.pos, n.radius, r))
                .map(|(i, _)| i)
                .collect();
            prop_assert_eq!(grid.count_at_most(&nodes, r, 7), brute.len().min(7));
            prop_assert_eq!(grid.query_rect(&nodes, r), brute);
        }
    }

    #[test]
    fn seed_case_scene_has_nodes_edges_and_routes() {
        let case = crate::seed_case().expect("seed");
        let scene = Scene::build(&case, &Filters::default());
        assert_eq!(scene.nodes.len(), case.entities.len());
        assert_eq!(scene.edges.len(), case.links.len());
        assert!(!scene.routes.is_empty());
        assert!(scene.routes.iter().all(|r| r.stops.len() >= 2));
        assert!(scene.bounds.is_some());
    }

    #[test]
    fn hidden_kinds_and_collapsed_groups_shrink_the_scene() {
        let mut case = crate::seed_case().expect("seed");
        let filters = Filters {
            hidden_kinds: [EntityKind::Jurisdiction].into(),
            ..Filters::default()
        };
        let scene = Scene::build(&case, &filters);
        let jurisdictions = case
            .entities
            .values()
            .filter(|e| e.kind == EntityKind::Jurisdiction)
            .count();
        assert!(jurisdictions > 0);
        assert_eq!(scene.nodes.len(), case.entities.len() - jurisdictions);
        assert_eq!(scene.hidden_count, jurisdictions);

        let members: Vec<EntityId> = case.entities.keys().take(3).cloned().collect();
        case.groups.insert(
            GroupId::new("g-x"),
            crate::model::Group {
                id: GroupId::new("g-x"),
                title: "X".into(),
                members: members.clone(),
                collapsed: true,
            },
        );
        let scene = Scene::build(&case, &Filters::default());
        assert_eq!(scene.nodes.len(), case.entities.len() - 3 + 1);
        let g = scene
            .node_of_item(&ItemRef::Group(GroupId::new("g-x")))
            .expect("the collapsed group's node");
        for m in &members {
            assert_eq!(scene.node_of(m), Some(g));
        }
    }

    #[test]
    fn sizing_by_a_measure_makes_the_top_node_biggest() {
        let case = crate::seed_case().expect("seed");
        let degree: std::collections::BTreeMap<EntityId, f64> =
            crate::analysis::CaseGraph::build(&case)
                .degree()
                .into_iter()
                .map(|(k, v)| (k, f64::from(u32::try_from(v).expect("small"))))
                .collect();
        let top = degree
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(k, _)| k.clone())
            .expect("entities");
        let scene = Scene::build_sized(&case, &Filters::default(), Some(&degree));
        let biggest = scene
            .nodes
            .iter()
            .max_by(|a, b| a.radius.total_cmp(&b.radius))
            .expect("nodes");
        assert_eq!(biggest.item, ItemRef::Entity(top));
        assert!((biggest.radius - 2.0 * NODE_RADIUS).abs() < 1e-3);
        assert!(
            scene
                .nodes
                .iter()
                .all(|n| n.radius >= 0.75 * NODE_RADIUS - 1e-3)
        );
    }

    #[test]
    fn a_route_named_by_countries_passes_waypoints_not_jurisdiction_nodes() {
        // US → SG → CN by country only: SG is drawn on the hop, its jurisdiction node is not
        // passed (and CN is the consignee's own country).
        let case = crate::layout::picture::tests::country_route_case();
        let scene = Scene::build(&case, &Filters::default());
        let node = |id: &str| scene.node_of(&EntityId::from(id)).expect("drawn");
        assert_eq!(scene.routes.len(), 1);
        let r = &scene.routes[0];
        assert_eq!(r.stops, [node("e-shipper"), node("e-consignee")]);
        let vias: Vec<&str> = r.vias[0].iter().map(|w| w.label.as_str()).collect();
        assert_eq!(vias, ["SG"]);
    }

    #[test]
    fn links_by_kind_and_claims_by_status_can_be_hidden() {
        let case = crate::seed_case().expect("seed");
        let all = Scene::build(&case, &Filters::default());
        let located = |s: &Scene| {
            s.edges
                .iter()
                .filter(|e| {
                    case.links[&e.links[0]].kind.tag() == crate::model::LinkKindTag::LocatedAt
                })
                .count()
        };
        assert!(located(&all) > 0);
        let no_located = Filters {
            hidden_link_kinds: [crate::model::LinkKindTag::LocatedAt].into(),
            ..Filters::default()
        };
        let scene = Scene::build(&case, &no_located);
        assert_eq!(located(&scene), 0);
        assert_eq!(scene.edges.len(), all.edges.len() - located(&all));
        assert_eq!(scene.nodes.len(), all.nodes.len(), "entities stay");
        // The seed case's shipments are alleged: hiding alleged claims hides them and the
        // alleged links, and nothing else.
        let no_alleged = Filters {
            hidden_claims: [ClaimStatus::Alleged].into(),
            ..Filters::default()
        };
        let scene = Scene::build(&case, &no_alleged);
        assert!(!all.routes.is_empty() && scene.routes.is_empty());
        assert!(scene.edges.iter().all(|e| e.status != ClaimStatus::Alleged));
        let alleged = all
            .edges
            .iter()
            .filter(|e| e.status == ClaimStatus::Alleged)
            .count();
        assert_eq!(scene.edges.len(), all.edges.len() - alleged);
    }

    #[test]
    fn shipments_and_payments_below_a_value_can_be_hidden() {
        let case = crate::training_case().expect("training case");
        let all = Scene::build(&case, &Filters::default());
        let min = 1_000_000;
        let big = Filters {
            min_usd: Some(min),
            unbundled: true,
            ..Filters::default()
        };
        let scene = Scene::build(&case, &big);
        let shipments: Vec<&crate::model::Shipment> = scene
            .routes
            .iter()
            .flat_map(|r| r.shipments.iter().map(|id| &case.shipments[id]))
            .collect();
        assert!(!shipments.is_empty());
        #[allow(clippy::cast_precision_loss)]
        let kept = |v: Option<f64>| v.is_none_or(|v| v >= min as f64);
        assert!(shipments.iter().all(|s| kept(s.value_usd())));
        let unbundled_all = Scene::build(
            &case,
            &Filters {
                unbundled: true,
                ..Filters::default()
            },
        );
        assert!(
            scene.routes.len() < unbundled_all.routes.len(),
            "some are worth less"
        );
        assert!(
            scene.edges.len() < unbundled_all.edges.len(),
            "small payments are hidden too"
        );
        assert_eq!(scene.nodes.len(), all.nodes.len(), "entities stay");
    }

    #[test]
    fn parallel_links_of_one_kind_are_one_line_unless_unbundled() {
        let mut case = crate::seed_case().expect("seed");
        let first = case.links.values().next().expect("a link").clone();
        for n in 0..3 {
            let mut twin = first.clone();
            twin.id = format!("{}-twin-{n}", first.id).as_str().into();
            case.links.insert(twin.id.clone(), twin);
        }
        let bundled = Scene::build(&case, &Filters::default());
        assert_eq!(bundled.edges.len(), case.links.len() - 3);
        let line = bundled
            .edges
            .iter()
            .find(|e| e.links.contains(&first.id))
            .expect("the link's line");
        assert_eq!(line.links.len(), 4);
        assert!(line.label.starts_with("4 "), "{}", line.label);
        let unbundled = Scene::build(
            &case,
            &Filters {
                unbundled: true,
                ..Filters::default()
            },
        );
        assert_eq!(unbundled.edges.len(), case.links.len());
        assert!(unbundled.edges.iter().all(|e| e.links.len() == 1));
    }

    #[test]
    fn shipments_along_one_route_are_one_line_unless_unbundled() {
        let mut case = crate::layout::picture::tests::country_route_case();
        let mut twin = case.shipments.values().next().expect("shipment").clone();
        twin.id = "s-2".into();
        case.shipments.insert(twin.id.clone(), twin);
        let scene = Scene::build(&case, &Filters::default());
        assert_eq!(scene.routes.len(), 1);
        assert_eq!(scene.routes[0].shipments.len(), 2);
        assert!(scene.routes[0].label.starts_with("2 shipments"));
        let unbundled = Filters {
            unbundled: true,
            ..Filters::default()
        };
        let scene = Scene::build(&case, &unbundled);
        assert_eq!(scene.routes.len(), 2);
        assert!(scene.routes.iter().all(|r| r.shipments.len() == 1));
    }

    #[test]
    fn unplaced_entities_get_distinct_places() {
        let mut case = crate::seed_case().expect("seed");
        case.positions.clear();
        let scene = Scene::build(&case, &Filters::default());
        let mut seen = BTreeSet::new();
        for n in &scene.nodes {
            assert!(seen.insert((n.pos.x.to_bits(), n.pos.y.to_bits())));
        }
    }
}
