//! Hit testing on the canvas: what lies under the pointer (a node, its link handle, an edge,
//! a route, a group title), and the lines edges and routes are drawn along.

use super::{Canvas, Hit, geometry, scene, title_rect};
use crate::model::ItemRef;
use egui::{Pos2, Rect, Vec2, vec2};

impl Canvas {
    pub(super) fn handle_screen_pos(&self, rect: Rect, i: usize) -> Pos2 {
        let n = &self.scene.nodes[i];
        let c = self.screen_from_canvas(rect, self.node_pos(i));
        c + vec2(
            self.node_radius_px(n.radius) + crate::ui::theme::CANVAS_HANDLE_RADIUS + 3.0,
            0.0,
        )
    }

    /// The node whose link handle is shown: the single selected or the hovered entity.
    pub(super) fn handle_node(&self) -> Option<usize> {
        if self.zoom < 0.25 {
            return None;
        }
        let hovered = match &self.hover {
            Some(Hit::Node(i) | Hit::Handle(i)) => Some(*i),
            _ => None,
        };
        let single = (self.selected.len() == 1)
            .then(|| {
                self.selected
                    .first()
                    .and_then(|s| self.scene.node_of_item(s))
            })
            .flatten();
        hovered
            .or(single)
            .filter(|&i| matches!(self.scene.nodes[i].item, ItemRef::Entity(_)))
    }

    pub(super) fn hit(&self, rect: Rect, screen: Pos2) -> Option<Hit> {
        if let Some(i) = self.handle_node()
            && self.handle_screen_pos(rect, i).distance(screen)
                <= crate::ui::theme::CANVAS_HANDLE_RADIUS + 2.0
        {
            return Some(Hit::Handle(i));
        }
        let p = self.canvas_from_screen(rect, screen);
        // Nodes drawn larger than their canvas size (sparse views) are hit where they are drawn.
        let grow =
            (self.node_radius_px(scene::NODE_RADIUS) - scene::NODE_RADIUS * self.zoom).max(0.0);
        let slack = (3.0 + grow) / self.zoom;
        // Notes lie on top of nodes.
        if let Some(i) = self.scene.notes.iter().rposition(|n| n.rect.contains(p)) {
            return Some(Hit::Note(i));
        }
        if let Some(i) = self.scene.grid.hit(&self.scene.nodes, p, slack) {
            return Some(Hit::Node(i));
        }
        let reach = 6.0 / self.zoom;
        let mut best: Option<(f32, Hit)> = None;
        // Every node's place, once: the loops below touch each edge's ends at random.
        let at = self.frame_positions();
        for (i, e) in self.scene.edges.iter().enumerate() {
            let (a, b) = (at[e.from], at[e.to]);
            // Cheap first: a curve never strays further than its bend from its chord (a
            // self-loop, a few radii from its node).
            let near = if e.from == e.to {
                Rect::from_two_pos(a, b)
                    .expand(e.bend.abs() * 2.0 + 80.0 + reach)
                    .contains(p)
            } else {
                geometry::distance_to_segment(p, a, b) <= e.bend.abs() + reach
            };
            if !near {
                continue;
            }
            let d = geometry::distance_to_polyline(p, &self.edge_points(i));
            if d <= reach && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                best = Some((d, Hit::Edge(i)));
            }
        }
        for (i, r) in self.scene.routes.iter().enumerate() {
            let reach = reach.max(r.width / 2.0 + 2.0 / self.zoom);
            let probe = Rect::from_center_size(p, Vec2::splat(2.0 * reach));
            for (_, seg) in self.route_segments_at(&at, i, Some(probe), 16) {
                let d = geometry::distance_to_polyline(p, &seg);
                if d <= reach && best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                    best = Some((d, Hit::Route(i)));
                }
            }
        }
        if let Some((_, hit)) = best {
            return Some(hit);
        }
        self.scene
            .groups
            .iter()
            .position(|g| title_rect(g.rect).contains(p))
            .map(Hit::GroupTitle)
    }

    /// Canvas-space polyline of an edge.
    pub(super) fn edge_points(&self, i: usize) -> Vec<Pos2> {
        let e = &self.scene.edges[i];
        let (a, b) = (self.node_pos(e.from), self.node_pos(e.to));
        if e.from == e.to {
            return geometry::self_loop(a, self.scene.nodes[e.from].radius, e.bend);
        }
        let c = geometry::control_point(a, b, e.bend);
        geometry::flatten(a, c, b, if e.bend == 0.0 { 1 } else { 14 })
    }

    /// Every node's place this frame (drags and layout animations included), indexed like
    /// `scene.nodes`: one pass in order, so that loops over edges and routes look their ends up
    /// in a compact array instead of the scene's large node records.
    pub(super) fn frame_positions(&self) -> Vec<Pos2> {
        (0..self.scene.nodes.len())
            .map(|i| self.node_pos(i))
            .collect()
    }

    /// Hops of a route (each with its index along the route) as canvas-space polylines of
    /// `segments` pieces, with node places from
    /// `at` (see [`Self::frame_positions`]). Hops whose bounding box misses `view` are left out
    /// before they are flattened, and a route with no hop in view allocates nothing (most
    /// routes, on a big case zoomed in).
    pub(super) fn route_segments_at(
        &self,
        at: &[Pos2],
        i: usize,
        view: Option<Rect>,
        segments: usize,
    ) -> Vec<(usize, Vec<Pos2>)> {
        let r = &self.scene.routes[i];
        let hops = |hop: usize| [r.stops[hop], r.stops[hop + 1]];
        let bend = |hop: usize| r.bends.get(hop).copied().unwrap_or_default();
        let shown = |hop: usize| {
            let [a, b] = hops(hop);
            view.is_none_or(|view| {
                geometry::curve_may_meet_rect(at[a], at[b], bend(hop), view.expand(40.0))
            })
        };
        let count = r.stops.len().saturating_sub(1);
        if !(0..count).any(shown) {
            return Vec::new();
        }
        (0..count)
            .filter(|&hop| shown(hop))
            .map(|hop| {
                let [a, b] = hops(hop);
                let (a, b) = (at[a], at[b]);
                let c = geometry::control_point(a, b, bend(hop));
                (hop, geometry::flatten(a, c, b, segments))
            })
            .collect()
    }

    /// What a click on `hit` selects: its item, or every link or shipment of a bundle.
    pub(super) fn items_of_hit(&self, hit: &Hit) -> Vec<ItemRef> {
        match hit {
            Hit::Route(i) => self.scene.routes[*i]
                .shipments
                .iter()
                .cloned()
                .map(ItemRef::Shipment)
                .collect(),
            Hit::Edge(i) => self.scene.edges[*i]
                .links
                .iter()
                .cloned()
                .map(ItemRef::Link)
                .collect(),
            _ => vec![self.item_of_hit(hit)],
        }
    }

    /// The item under `hit` (a bundle's first link or shipment).
    pub(super) fn item_of_hit(&self, hit: &Hit) -> ItemRef {
        match hit {
            Hit::Node(i) | Hit::Handle(i) => self.scene.nodes[*i].item.clone(),
            Hit::Edge(i) => ItemRef::Link(self.scene.edges[*i].links[0].clone()),
            Hit::Route(i) => ItemRef::Shipment(self.scene.routes[*i].shipments[0].clone()),
            Hit::Note(i) => ItemRef::Note(self.scene.notes[*i].id.clone()),
            Hit::GroupTitle(i) => ItemRef::Group(self.scene.groups[*i].id.clone()),
        }
    }

    // ---- input --------------------------------------------------------------------------------
}
