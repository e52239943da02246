//! Painting the canvas, with culling and level of detail: far out, nodes become dots and edges
//! hairlines batched into single meshes; labels and badges appear as the user zooms in.

use super::scene::SceneNode;
use super::{Canvas, Gesture, Hit, geometry, title_rect};
use crate::layout::labels::{
    Disc, LabelPlacer, PlacedLabel, Rect as PlacerRect, TextMetrics, text_width,
};
use crate::model::CanvasPoint;
use crate::model::{ClaimStatus, ItemRef};
use crate::ui::theme::{self, NodeShape};
use egui::{
    Align2, Color32, FontId, Mesh, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Ui, Vec2, pos2,
    vec2,
};
use std::collections::HashSet;

/// Below this on-screen node radius (points) nodes are drawn as dots in one mesh.
pub(super) const DOT_RADIUS_PX: f32 = 4.0;
/// Width of the ring around a selected or highlighted dot, and of the gap inside it (points).
const DOT_RING_PX: f32 = 2.0;
const DOT_GAP_PX: f32 = 1.5;
/// Above this many edges on screen, edge labels are left out.
pub(super) const EDGE_LABEL_LIMIT: usize = 400;
/// Above this many edges and routes, alleged claims are drawn faint instead of dashed.
const DASH_LIMIT: usize = 800;
/// Above this many edges on screen, edges are drawn as hairlines without arrowheads.
const DENSE_EDGE_LIMIT: usize = 1_500;
/// Above this many shipment routes, routes are drawn as coarser curves without arrowheads.
const ROUTE_DETAIL_LIMIT: usize = 300;
/// Above this many nodes on screen, the ring of an unsupported entity is solid, not dashed
/// (a dashed circle is dozens of shapes to tessellate).
const RING_DASH_LIMIT: usize = 200;
/// Below this node radius on screen (pixels) the unsupported ring is left out, like labels: it
/// cannot be read that small, and a thousand rings cost more than the nodes themselves.
const RING_MIN_RADIUS_PX: f32 = 6.0;

/// On-screen radius of a node of canvas radius `r` at `zoom`: while few nodes are on screen
/// (`sparse`) nodes keep a readable minimum size.
pub(super) fn node_radius_px(r: f32, zoom: f32, sparse: bool) -> f32 {
    let floor = if sparse {
        theme::CANVAS_SPARSE_NODE_PX
    } else {
        0.0
    };
    (r * zoom).max(floor)
}

/// On-screen size of node labels (points): they scale with zoom, but keep a readable minimum
/// while few nodes are on screen. Labels are left out below `CANVAS_MIN_TEXT_PX`.
pub(super) fn label_px(zoom: f32, sparse: bool) -> f32 {
    if sparse {
        (theme::CANVAS_LABEL_SIZE * zoom).max(theme::CANVAS_SPARSE_LABEL_PX)
    } else {
        theme::CANVAS_LABEL_SIZE * zoom
    }
}

/// The font size a node label is drawn at, from [`label_px`].
pub(super) fn node_label_font_px(label_px: f32) -> f32 {
    label_px.clamp(10.0, 24.0)
}

/// The text of a node's label as drawn.
pub(super) fn node_label_text(label: &str) -> String {
    truncate(label, 32)
}

/// The text of a shipment's label as drawn.
pub(super) fn route_label_text(label: &str) -> String {
    format!("{} {}", theme::SHIPMENT_GLYPH, truncate(label, 48))
}

/// The font size of shipment labels at `zoom`.
pub(super) fn route_label_font_px(zoom: f32) -> f32 {
    (theme::CANVAS_EDGE_LABEL_SIZE * zoom).clamp(9.5, 18.0)
}

/// Whether shipment labels are drawn with `routes` routes on screen (unless dots).
pub(super) fn route_labels_drawn(zoom: f32, sparse: bool, routes: usize) -> bool {
    routes <= EDGE_LABEL_LIMIT && (sparse || theme::CANVAS_EDGE_LABEL_SIZE * zoom >= 9.0)
}

/// The box painted behind a label whose text covers `text`.
pub(super) fn label_background(text: Rect) -> Rect {
    text.expand2(vec2(3.0, 1.0))
}

struct Style {
    dark: bool,
    edge: Color32,
    route: Color32,
    selection: Color32,
    highlight: Color32,
    label_bg: Color32,
    label_text: Color32,
    /// Dashed rings for unsupported entities (few nodes on screen) or solid ones (many).
    dashed_rings: bool,
}

impl Canvas {
    #[allow(clippy::too_many_lines)]
    pub(super) fn draw(&self, ui: &Ui, painter: &Painter, rect: Rect) {
        let dark = ui.visuals().dark_mode;
        let style = Style {
            dark,
            edge: theme::edge_color(dark),
            route: theme::route_color(dark),
            selection: theme::selection_color(dark),
            highlight: theme::highlight_color(dark),
            label_bg: theme::label_background(dark),
            label_text: theme::label_text(dark),
            dashed_rings: true,
        };
        painter.rect_filled(rect, 0.0, theme::canvas_background(dark));
        let painter = painter.with_clip_rect(rect);
        self.draw_grid(&painter, rect, dark);
        if self.show_map {
            self.draw_map(&painter, rect, dark);
        }
        let view = self.visible_canvas_rect(rect).expand(60.0 / self.zoom);
        let dots = self.node_radius_px(super::scene::NODE_RADIUS) < DOT_RADIUS_PX;

        // Every node's place this frame (drags and layout animations included), computed once.
        let at = self.frame_positions();
        for g in &self.scene.groups {
            let g_rect = self.group_rect_now(g, &at);
            if !g_rect.intersects(view) {
                continue;
            }
            let selected = self.selected.contains(&ItemRef::Group(g.id.clone()));
            let r = Rect::from_min_max(
                self.screen_from_canvas(rect, g_rect.min),
                self.screen_from_canvas(rect, g_rect.max),
            );
            let stroke_color = if selected {
                style.selection
            } else {
                theme::group_stroke(dark)
            };
            painter.rect(
                r,
                8.0,
                theme::group_fill(dark),
                Stroke::new(if selected { 2.5 } else { 1.2 }, stroke_color),
                StrokeKind::Inside,
            );
            let tab = title_rect(g_rect);
            let tab = Rect::from_min_max(
                self.screen_from_canvas(rect, tab.min),
                self.screen_from_canvas(rect, tab.max),
            );
            let size = self.label_px();
            if size >= theme::CANVAS_MIN_TEXT_PX {
                painter.text(
                    tab.left_center() + vec2(8.0, 0.0),
                    Align2::LEFT_CENTER,
                    g.title.clone(),
                    FontId::proportional(size.min(22.0)),
                    stroke_color,
                );
            }
        }

        // Edges.
        let mut edge_mesh = self.meshes.take(MeshSlot::Edges);
        let visible_edges: Vec<usize> = (0..self.scene.edges.len())
            .filter(|&i| {
                let e = &self.scene.edges[i];
                let (a, b) = (at[e.from], at[e.to]);
                if e.from == e.to {
                    // A self-loop stays within a few radii of its node.
                    Rect::from_two_pos(a, b)
                        .expand(e.bend.abs() * 2.0 + 60.0)
                        .intersects(view)
                } else {
                    geometry::curve_may_meet_rect(a, b, e.bend, view)
                }
            })
            .collect();
        // Dashes for alleged claims only while the screen is not crowded with lines.
        let detailed = visible_edges.len() + self.scene.routes.len() <= DASH_LIMIT;
        let edge_labels = !dots
            && visible_edges.len() <= EDGE_LABEL_LIMIT
            && theme::CANVAS_EDGE_LABEL_SIZE * self.zoom >= theme::CANVAS_MIN_TEXT_PX;
        // Looking items up costs an id clone each: skip it when nothing is marked.
        let any_marked = !self.selected.is_empty() || !self.highlighted.is_empty();
        // Dense edges (far out, or thousands crossing the view) are simplified to hairlines
        // batched in one mesh; the marked ones keep their full drawing.
        let hairlines = dots || visible_edges.len() > DENSE_EDGE_LIMIT;
        if hairlines {
            edge_mesh.reserve_vertices(visible_edges.len() * 4);
            edge_mesh.reserve_triangles(visible_edges.len() * 2);
        }
        // Far-out hairlines that start and end in the same screen cells are one line: keep one
        // key per pair of cells, and draw each once.
        let mut hairline_keys = self.meshes.keys.borrow_mut();
        hairline_keys.clear();
        // Link and shipment labels, placed once the names of the nodes are (below).
        let mut line_labels: Vec<LineLabel> = Vec::new();
        for &i in &visible_edges {
            let e = &self.scene.edges[i];
            let (selected, highlighted) = if any_marked {
                let item = ItemRef::Link(e.link.clone());
                (
                    self.selected.contains(&item),
                    self.highlighted.contains(&item),
                )
            } else {
                (false, false)
            };
            let hovered = self.hover == Some(Hit::Edge(i));
            if hairlines && !selected && !highlighted && self.hover != Some(Hit::Edge(i)) {
                let a = self.screen_from_canvas(rect, at[e.from]);
                let b = self.screen_from_canvas(rect, at[e.to]);
                match (cell_of(rect, a), cell_of(rect, b)) {
                    (Some(ca), Some(cb)) => hairline_keys.push(pair_key(ca, cb)),
                    _ => hairline(&mut edge_mesh, a, b, 1.0, style.edge.gamma_multiply(0.55)),
                }
                continue;
            }
            let color = if selected {
                style.selection
            } else if highlighted {
                style.highlight
            } else if hovered {
                style.label_text
            } else {
                style.edge
            };
            let width = if selected || highlighted { 3.0 } else { 1.6 };
            let points: Vec<Pos2> = self
                .edge_points(i)
                .into_iter()
                .map(|p| self.screen_from_canvas(rect, p))
                .collect();
            let to_r = self.node_radius_px(self.scene.nodes[e.to].radius) + 2.0;
            let from_r = self.node_radius_px(self.scene.nodes[e.from].radius) + 2.0;
            let points = if e.from == e.to {
                points
            } else {
                geometry::trim(&points, from_r, if e.directed { to_r + 2.0 } else { to_r })
            };
            stroke_polyline(
                &painter,
                &points,
                Stroke::new(width, color),
                e.status,
                detailed || selected || highlighted,
            );
            if e.directed && e.from != e.to {
                arrow_head(&painter, &points, color, 5.0 + width);
            }
            if edge_labels || selected || hovered {
                line_labels.push(LineLabel {
                    text: e.label.clone(),
                    size: (theme::CANVAS_EDGE_LABEL_SIZE * self.zoom).clamp(9.0, 18.0),
                    color,
                    emphasised: selected || hovered,
                    points,
                });
            }
        }
        hairline_keys.sort_unstable();
        hairline_keys.dedup();
        for &key in hairline_keys.iter() {
            let (a, b) = key_points(rect, key);
            hairline(&mut edge_mesh, a, b, 1.0, style.edge.gamma_multiply(0.55));
        }
        drop(hairline_keys);
        if !edge_mesh.is_empty() {
            own_primitive(&painter, rect, 1).add(self.meshes.give(MeshSlot::Edges, edge_mesh));
        }

        // Shipment routes: smooth curves with arrowheads and labels while there are few of
        // them on screen; otherwise coarse curves batched into one mesh, labels left out.
        let route_detail = self.scene.routes.len() <= ROUTE_DETAIL_LIMIT;
        let mut route_mesh = self.meshes.take(MeshSlot::Routes);
        let mut labels: Vec<(Vec<Pos2>, usize, Color32)> = Vec::new();
        let node_px = self.node_radius_px(super::scene::NODE_RADIUS);
        for (i, r) in self.scene.routes.iter().enumerate() {
            if dots && !any_marked {
                // Far out, a route is a chain of straight hairlines.
                for w in r.stops.windows(2) {
                    let a = self.screen_from_canvas(rect, at[w[0]]);
                    let b = self.screen_from_canvas(rect, at[w[1]]);
                    if geometry::segment_meets_rect(a, b, rect) {
                        hairline(&mut route_mesh, a, b, 1.0, style.route);
                    }
                }
                continue;
            }
            let segments =
                self.route_segments_at(&at, i, Some(view), if route_detail { 16 } else { 4 });
            if segments.is_empty() {
                continue;
            }
            let (selected, highlighted) = if any_marked {
                let item = ItemRef::Shipment(r.shipment.clone());
                (
                    self.selected.contains(&item),
                    self.highlighted.contains(&item),
                )
            } else {
                (false, false)
            };
            let hovered = self.hover == Some(Hit::Route(i));
            let color = if selected {
                style.selection
            } else if highlighted {
                style.highlight
            } else {
                style.route
            };
            let width = (r.width * self.zoom).max(1.5) + if hovered { 1.5 } else { 0.0 };
            let emphasised = selected || highlighted || hovered;
            let mut longest: Option<(f32, Vec<Pos2>)> = None;
            for seg in segments {
                let pts: Vec<Pos2> = seg
                    .iter()
                    .map(|p| self.screen_from_canvas(rect, *p))
                    .collect();
                let pts = geometry::trim(&pts, node_px + 3.0, node_px + 6.0);
                if route_detail || emphasised {
                    stroke_polyline(
                        &painter,
                        &pts,
                        Stroke::new(width, color),
                        r.status,
                        detailed || emphasised,
                    );
                    arrow_head(&painter, &pts, color, 6.0 + width * 1.2);
                } else {
                    for w in pts.windows(2) {
                        hairline(&mut route_mesh, w[0], w[1], width.min(3.0), color);
                    }
                }
                let len: f32 = pts.windows(2).map(|w| w[0].distance(w[1])).sum();
                if longest.as_ref().is_none_or(|(l, _)| *l < len) {
                    longest = Some((len, pts.clone()));
                }
            }
            if let Some((_, pts)) = longest {
                labels.push((pts, i, color));
            }
        }
        if !route_mesh.is_empty() {
            own_primitive(&painter, rect, 2).add(self.meshes.give(MeshSlot::Routes, route_mesh));
        }
        let route_labels = !dots && route_labels_drawn(self.zoom, self.sparse, labels.len());
        for (points, i, color) in labels {
            let r = &self.scene.routes[i];
            let emphasised = self.hover == Some(Hit::Route(i))
                || (any_marked
                    && self
                        .selected
                        .contains(&ItemRef::Shipment(r.shipment.clone())));
            if route_labels || emphasised {
                line_labels.push(LineLabel {
                    text: format!("{} {}", theme::SHIPMENT_GLYPH, r.label),
                    size: route_label_font_px(self.zoom),
                    color,
                    emphasised,
                    points,
                });
            }
        }

        // Nodes.
        // With the whole case in view (the usual far-out picture), every node is visible: skip
        // the index query and its sort.
        let visible = if self.scene.bounds.is_some_and(|b| view.contains_rect(b)) {
            (0..self.scene.nodes.len()).collect()
        } else {
            self.scene.grid.query_rect(&self.scene.nodes, view)
        };
        let moving: Option<&HashSet<usize>> = match &self.gesture {
            Gesture::Move { nodes, .. } => Some(nodes),
            _ => None,
        };
        let mut draw_order = visible;
        if let Some(m) = moving {
            // Moved nodes may have left the indexed area; draw them whatever their old place.
            draw_order.extend(m.iter().copied());
            draw_order.sort_unstable();
            draw_order.dedup();
        }
        if dots {
            // Far out only the marked or hovered lines keep a label; nothing to place around.
            let mut placer = LabelPlacer::new(screen_frame(rect), Vec::new())
                .with_metrics(Self::metrics(&painter));
            place_line_labels(
                &painter,
                &mut placer,
                std::mem::take(&mut line_labels),
                &style,
            );
            let mut mesh = self.meshes.take(MeshSlot::Dots);
            mesh.reserve_vertices(draw_order.len() * 4);
            mesh.reserve_triangles(draw_order.len() * 2);
            // One small dot per screen cell: a second one there would cover the same pixels.
            let mut taken = self.meshes.cells.borrow_mut();
            let columns = (rect.width() / CELL_PX).ceil().max(1.0) as usize;
            let rows = (rect.height() / CELL_PX).ceil().max(1.0) as usize;
            taken.clear();
            taken.resize((columns * rows).div_ceil(64), 0);
            // Selected and highlighted dots, drawn last (on top) with a ring around them.
            let mut marked: Vec<(Pos2, f32, Color32, Color32)> = Vec::new();
            for &i in &draw_order {
                let n = &self.scene.nodes[i];
                let c = self.screen_from_canvas(rect, at[i]);
                let s = (n.radius * self.zoom).max(1.5);
                let color = theme::entity_color(n.kind, dark);
                if any_marked {
                    let ring = if self.selected.contains(&n.item) {
                        Some(style.selection)
                    } else if self.highlighted.contains(&n.item) {
                        Some(style.highlight)
                    } else {
                        None
                    };
                    if let Some(ring) = ring {
                        marked.push((c, s, ring, color));
                        continue;
                    }
                }
                if s <= CELL_PX
                    && let Some((x, y)) = cell_of(rect, c)
                {
                    let bit = usize::from(y) * columns + usize::from(x);
                    if let Some(word) = taken.get_mut(bit / 64) {
                        if *word & (1 << (bit % 64)) != 0 {
                            continue;
                        }
                        *word |= 1 << (bit % 64);
                    }
                }
                mesh.add_colored_rect(Rect::from_center_size(c, Vec2::splat(2.0 * s)), color);
            }
            // A ring in the mark's colour, then a gap of background, then the dot in its
            // kind's colour: marked whatever the kind (the selection colour is also a kind's).
            let gap = theme::canvas_background(dark);
            for (c, s, ring, color) in marked {
                let square = |half: f32| Rect::from_center_size(c, Vec2::splat(2.0 * half));
                mesh.add_colored_rect(square(s + DOT_RING_PX + DOT_GAP_PX), ring);
                mesh.add_colored_rect(square(s + DOT_GAP_PX), gap);
                mesh.add_colored_rect(square(s), color);
            }
            drop(taken);
            own_primitive(&painter, rect, 3).add(self.meshes.give(MeshSlot::Dots, mesh));
        } else {
            let style = Style {
                dashed_rings: draw_order.len() <= RING_DASH_LIMIT,
                ..style
            };
            let (labels, mut placer) = self.place_node_labels(&painter, rect, &draw_order, &at);
            place_line_labels(&painter, &mut placer, line_labels, &style);
            for &i in &draw_order {
                self.draw_node(&painter, rect, i, &style, labels[i].as_ref());
            }
        }

        // Sticky notes.
        for (i, note) in self.scene.notes.iter().enumerate() {
            let mut r = note.rect;
            if let Gesture::MoveNote { index, delta } = &self.gesture
                && *index == i
            {
                r = r.translate(*delta);
            }
            if !r.intersects(view) {
                continue;
            }
            let selected = self.selected.contains(&ItemRef::Note(note.id.clone()));
            let sr = Rect::from_min_max(
                self.screen_from_canvas(rect, r.min),
                self.screen_from_canvas(rect, r.max),
            );
            painter.rect(
                sr,
                4.0,
                theme::note_fill(dark),
                Stroke::new(
                    if selected { 2.5 } else { 0.8 },
                    if selected {
                        style.selection
                    } else {
                        theme::note_text(dark).gamma_multiply(0.4)
                    },
                ),
                StrokeKind::Inside,
            );
            let size = if self.sparse {
                (12.0 * self.zoom).max(theme::CANVAS_SPARSE_BADGE_PX)
            } else {
                12.0 * self.zoom
            };
            if size >= theme::CANVAS_MIN_TEXT_PX {
                let inner = sr.shrink(6.0 * self.zoom);
                let text = format!("{}\n{}", note.title, note.body);
                let galley = painter.layout(
                    text,
                    FontId::proportional(size.min(24.0)),
                    theme::note_text(dark),
                    inner.width(),
                );
                painter.with_clip_rect(inner.intersect(rect)).galley(
                    inner.min,
                    galley,
                    theme::note_text(dark),
                );
            }
        }

        // Gesture overlays.
        match &self.gesture {
            Gesture::BoxSelect { from, to, .. } => {
                let r = Rect::from_two_pos(
                    self.screen_from_canvas(rect, *from),
                    self.screen_from_canvas(rect, *to),
                );
                painter.rect(
                    r,
                    0.0,
                    style.selection.gamma_multiply(0.12),
                    Stroke::new(1.0, style.selection),
                    StrokeKind::Inside,
                );
            }
            Gesture::Connect { from, to } => {
                let a = self.screen_from_canvas(rect, self.node_pos(*from));
                let b = self.screen_from_canvas(rect, *to);
                let points = [a, b];
                painter.add(Shape::dashed_line(
                    &points,
                    Stroke::new(2.0, style.selection),
                    8.0,
                    5.0,
                ));
                arrow_head(&painter, &points, style.selection, 10.0);
            }
            _ => {}
        }
        if let Some(i) = self.handle_node()
            && matches!(self.gesture, Gesture::None)
        {
            let c = self.handle_screen_pos(rect, i);
            let hovered = self.hover == Some(Hit::Handle(i));
            painter.circle(
                c,
                theme::CANVAS_HANDLE_RADIUS,
                if hovered {
                    style.selection
                } else {
                    theme::canvas_background(dark)
                },
                Stroke::new(1.5, style.selection),
            );
            painter.text(
                c,
                Align2::CENTER_CENTER,
                "+",
                FontId::proportional(12.0),
                if hovered {
                    theme::handle_glyph_hovered(dark)
                } else {
                    style.selection
                },
            );
        }
        if self.scene.nodes.is_empty() && self.scene.notes.is_empty() {
            painter.text(
                rect.center(),
                Align2::CENTER_CENTER,
                "Double-click to add an entity, or drop a case file here",
                FontId::proportional(16.0),
                ui.visuals().weak_text_color(),
            );
        }
    }

    fn draw_grid(&self, painter: &Painter, rect: Rect, dark: bool) {
        // A faint grid that scales with zoom, skipped when it would be too dense.
        let step = 100.0 * self.zoom;
        if step < 18.0 {
            return;
        }
        let color = theme::canvas_grid_color(dark);
        let origin = self.screen_from_canvas(rect, Pos2::ZERO);
        let mut x = rect.left() + (origin.x - rect.left()).rem_euclid(step);
        while x < rect.right() {
            painter.vline(x, rect.y_range(), Stroke::new(1.0, color));
            x += step;
        }
        let mut y = rect.top() + (origin.y - rect.top()).rem_euclid(step);
        while y < rect.bottom() {
            painter.hline(rect.x_range(), y, Stroke::new(1.0, color));
            y += step;
        }
    }

    fn draw_map(&self, painter: &Painter, rect: Rect, dark: bool) {
        let stroke = Stroke::new(1.0, theme::map_land(dark));
        let view = self.visible_canvas_rect(rect);
        for line in crate::layout::geo::world_outline() {
            let bbox = line.iter().fold(Rect::NOTHING, |acc, p| {
                acc.union(Rect::from_pos(pos2(p.x, p.y)))
            });
            if !bbox.intersects(view) {
                continue;
            }
            let pts: Vec<Pos2> = line
                .iter()
                .map(|p| self.screen_from_canvas(rect, pos2(p.x, p.y)))
                .collect();
            painter.add(Shape::line(pts, stroke));
        }
        self.draw_holding_caption(painter, rect, dark);
    }

    /// The caption of the geographic layout's holding area (entities with no known country,
    /// in rows below the map), above it while some node stands there; sized and hidden far
    /// out like node labels.
    fn draw_holding_caption(&self, painter: &Painter, rect: Rect, dark: bool) {
        use crate::layout::geo;
        let size = self.label_px();
        if size < theme::CANVAS_MIN_TEXT_PX {
            return;
        }
        let anchor = geo::holding_area_caption_anchor();
        let at = self.screen_from_canvas(rect, pos2(anchor.x, anchor.y));
        if !rect.expand(400.0).contains(at) {
            return;
        }
        let area = Rect::from_min_max(
            pos2(f32::NEG_INFINITY, anchor.y),
            pos2(f32::INFINITY, f32::INFINITY),
        );
        if self.scene.grid.count_at_most(&self.scene.nodes, area, 1) == 0 {
            return;
        }
        painter.text(
            at,
            Align2::CENTER_BOTTOM,
            geo::HOLDING_AREA_LABEL,
            FontId::proportional(size.clamp(10.0, 24.0)),
            theme::label_text(dark),
        );
    }

    /// On-screen size of node labels (points): they scale with zoom, but keep a readable
    /// minimum while few nodes are on screen.
    fn label_px(&self) -> f32 {
        label_px(self.zoom, self.sparse)
    }

    /// Whether node `i` is selected, highlighted or under the pointer: its label is always
    /// drawn.
    fn emphasised(&self, i: usize) -> bool {
        let n = &self.scene.nodes[i];
        self.selected.contains(&n.item)
            || self.highlighted.contains(&n.item)
            || matches!(&self.hover, Some(Hit::Node(h) | Hit::Handle(h)) if *h == i)
    }

    /// Whether node `i` is selected or highlighted.
    fn marked(&self, i: usize) -> bool {
        let n = &self.scene.nodes[i];
        self.selected.contains(&n.item) || self.highlighted.contains(&n.item)
    }

    /// On-screen size of badges this frame (points).
    fn badge_px(&self) -> f32 {
        if self.sparse {
            (10.0 * self.zoom).max(theme::CANVAS_SPARSE_BADGE_PX)
        } else {
            10.0 * self.zoom
        }
    }

    /// Where the names of `nodes` go on screen this frame (indexed by node; `None` for a name
    /// left out), placed as pictures place them ([`crate::layout::labels`]): no name overlaps
    /// another, covers a node or a badge, or leaves the canvas area. Each tries below its node,
    /// then above, right, left and the diagonals, then two lines, then shorter with an ellipsis
    /// (the whole name is in the node's tooltip); what is selected or highlighted is placed
    /// first, then flagged nodes, then nodes with evidence, then the best connected; these and
    /// the node under the pointer keep their name even when nothing is free.
    /// A name kept below its node even where something else is.
    fn force_below(
        placer: &mut LabelPlacer,
        c: CanvasPoint,
        r: f32,
        text: &str,
        size: f32,
    ) -> Option<PlacedLabel> {
        let w = placer.text_width(text, size);
        let corner = CanvasPoint {
            x: c.x - w / 2.0,
            y: c.y + r + 4.0,
        };
        placer.title(&[corner], text, size)
    }

    /// How labels are measured on this screen: by egui's own text layout, with the row height
    /// and the padding of the box drawn behind a label (see [`label_background`]).
    fn metrics(painter: &Painter) -> TextMetrics {
        let p = painter.clone();
        TextMetrics {
            measure: Some(std::rc::Rc::new(move |text: &str, size: f32| {
                p.layout_no_wrap(text.to_owned(), FontId::proportional(size), Color32::WHITE)
                    .size()
                    .x
            })),
            // A row of text is about 1.15 em tall; the box behind it adds a point above and
            // below.
            line_em: 1.4,
            pad_x: 3.0,
        }
    }

    pub(super) fn place_node_labels(
        &self,
        painter: &Painter,
        rect: Rect,
        nodes: &[usize],
        at: &[Pos2],
    ) -> (Vec<Option<PlacedLabel>>, LabelPlacer) {
        let mut out = vec![None; self.scene.nodes.len()];
        let px = self.label_px();
        let all = px >= theme::CANVAS_MIN_TEXT_PX;
        let point = |p: Pos2| CanvasPoint { x: p.x, y: p.y };
        let centre = |i: usize| self.screen_from_canvas(rect, self.node_pos(i));
        let discs: Vec<Disc> = nodes
            .iter()
            .map(|&i| Disc {
                c: point(centre(i)),
                r: self.node_radius_px(self.scene.nodes[i].radius) + 1.0,
            })
            .collect();
        let mut placer =
            LabelPlacer::new(screen_frame(rect), discs).with_metrics(Self::metrics(painter));
        // Group titles and badges are drawn at fixed places: names go around them.
        let title_px = self.label_px();
        if title_px >= theme::CANVAS_MIN_TEXT_PX {
            for g in &self.scene.groups {
                let tab = title_rect(self.group_rect_now(g, at));
                let left = self.screen_from_canvas(rect, tab.left_center()) + vec2(8.0, 0.0);
                let size = title_px.min(22.0);
                let w = text_width(&g.title, size);
                placer.reserve(PlacerRect {
                    x0: left.x - 2.0,
                    y0: left.y - size * 0.6,
                    x1: left.x + w + 2.0,
                    y1: left.y + size * 0.6,
                });
            }
        }
        let badge_px = self.badge_px().min(16.0);
        if badge_px >= 6.5 {
            for &i in nodes {
                let n = &self.scene.nodes[i];
                let (c, r) = (centre(i), self.node_radius_px(n.radius));
                let flag = n.flags.first().or(n.former_flags.first());
                let evidence =
                    (n.evidence > 0).then(|| format!("{} {}", theme::EVIDENCE_GLYPH, n.evidence));
                for (text, at) in [
                    (flag.cloned(), c + vec2(r * 0.7, -r * 0.95)),
                    (evidence, c + vec2(r * 0.8, r * 0.75)),
                ] {
                    if let Some(text) = text {
                        let w = text_width(&text, badge_px) + 8.0;
                        let h = badge_px + 4.0;
                        placer.reserve(PlacerRect {
                            x0: at.x - w / 2.0,
                            y0: at.y - h / 2.0,
                            x1: at.x + w / 2.0,
                            y1: at.y + h / 2.0,
                        });
                    }
                }
            }
        }
        let mut degree = vec![0usize; self.scene.nodes.len()];
        for e in &self.scene.edges {
            degree[e.from] += 1;
            degree[e.to] += 1;
        }
        let mut order: Vec<usize> = nodes
            .iter()
            .copied()
            .filter(|&i| all || self.emphasised(i))
            .collect();
        order.sort_by_key(|&i| {
            let n = &self.scene.nodes[i];
            (
                // The selection and highlights first; the pointer does not reorder the
                // others, so names do not jump about as the mouse moves.
                std::cmp::Reverse(self.marked(i)),
                std::cmp::Reverse(!n.flags.is_empty()),
                std::cmp::Reverse(n.evidence > 0),
                std::cmp::Reverse(degree[i]),
                i,
            )
        });
        let size = node_label_font_px(px);
        let mut hovered_left_out = None;
        for i in order {
            let n = &self.scene.nodes[i];
            let (c, r) = (point(centre(i)), self.node_radius_px(n.radius));
            let mut placed = placer.node_label(c, r, &n.label, size);
            if placed.is_none() && self.marked(i) {
                placed = Self::force_below(&mut placer, c, r, &n.label, size);
            } else if placed.is_none() && self.emphasised(i) {
                hovered_left_out = Some((i, c, r));
            }
            out[i] = placed;
        }
        // The name under the pointer, last, so that it moves no other.
        if let Some((i, c, r)) = hovered_left_out {
            out[i] = Self::force_below(&mut placer, c, r, &self.scene.nodes[i].label, size);
        }
        (out, placer)
    }

    fn draw_node(
        &self,
        painter: &Painter,
        rect: Rect,
        i: usize,
        style: &Style,
        label: Option<&PlacedLabel>,
    ) {
        let n: &SceneNode = &self.scene.nodes[i];
        let c = self.screen_from_canvas(rect, self.node_pos(i));
        let r = self.node_radius_px(n.radius);
        let selected = self.selected.contains(&n.item);
        let highlighted = self.highlighted.contains(&n.item);
        let hovered = matches!(&self.hover, Some(Hit::Node(h) | Hit::Handle(h)) if *h == i);
        let fill = theme::entity_color(n.kind, style.dark);
        let is_group = matches!(n.item, ItemRef::Group(_));
        if selected || highlighted || hovered {
            let ring = if selected {
                style.selection
            } else if highlighted {
                style.highlight
            } else {
                style.selection.gamma_multiply(0.5)
            };
            painter.circle_stroke(
                c,
                r + 5.0,
                Stroke::new(if hovered && !selected { 2.0 } else { 3.0 }, ring),
            );
        }
        let outline = Stroke::new(1.5, theme::canvas_background(style.dark));
        if is_group {
            painter.rect(
                Rect::from_center_size(c, Vec2::splat(2.0 * r)),
                r * 0.25,
                theme::group_stroke(style.dark),
                outline,
                StrokeKind::Outside,
            );
            // Stacked look: a second card behind.
            painter.rect_stroke(
                Rect::from_center_size(c + vec2(4.0, -4.0), Vec2::splat(2.0 * r)),
                r * 0.25,
                Stroke::new(1.5, theme::group_stroke(style.dark)),
                StrokeKind::Outside,
            );
        } else {
            match theme::entity_shape(n.kind) {
                NodeShape::Circle => {
                    painter.circle(c, r, fill, outline);
                }
                NodeShape::RoundedSquare => {
                    painter.rect(
                        Rect::from_center_size(c, Vec2::splat(1.8 * r)),
                        r * 0.3,
                        fill,
                        outline,
                        StrokeKind::Outside,
                    );
                }
                NodeShape::Hexagon => {
                    let pts: Vec<Pos2> = (0..6)
                        .map(|k| {
                            #[allow(clippy::cast_precision_loss)]
                            let a = std::f32::consts::FRAC_PI_3 * k as f32;
                            c + vec2(a.cos(), a.sin()) * r * 1.05
                        })
                        .collect();
                    painter.add(Shape::convex_polygon(pts, fill, outline));
                }
                NodeShape::Diamond => {
                    let d = r * 1.15;
                    let pts = vec![
                        c + vec2(0.0, -d),
                        c + vec2(d, 0.0),
                        c + vec2(0.0, d),
                        c + vec2(-d, 0.0),
                    ];
                    painter.add(Shape::convex_polygon(pts, fill, outline));
                }
            }
        }
        if let ItemRef::Entity(id) = &n.item
            && !self.scene.supported.contains(id)
            && r >= RING_MIN_RADIUS_PX
        {
            // No evidence supports this entity, its links or its shipments yet.
            let color = theme::unsupported_outline(style.dark);
            if style.dashed_rings {
                super::support::unsupported_ring(painter, c, r + 2.5, color);
            } else {
                painter.circle_stroke(c, r + 2.5, Stroke::new(1.2, color));
            }
        }
        let icon_size = r * 0.95;
        if icon_size >= 6.0 {
            let icon = if is_group {
                theme::GROUP_GLYPH
            } else {
                theme::entity_icon(n.kind)
            };
            painter.text(
                c,
                Align2::CENTER_CENTER,
                icon,
                FontId::proportional(icon_size),
                theme::node_icon_color(style.dark),
            );
        }
        if let Some(label) = label {
            draw_placed(painter, label, style, style.label_text);
        }
        let badge_size = self.badge_px();
        if badge_size >= 6.5 {
            let badge_size = badge_size.min(16.0);
            // Flags in force in red; ended ones (a lifted sanction) in grey, only when no
            // flag is in force.
            let (shown, fill) = if n.flags.is_empty() {
                (&n.former_flags, theme::formerly_listed_badge(style.dark))
            } else {
                (&n.flags, theme::flag_badge_color(style.dark))
            };
            if let Some(first) = shown.first() {
                let text = if shown.len() > 1 {
                    format!("{first} +{}", shown.len() - 1)
                } else {
                    first.clone()
                };
                badge(
                    painter,
                    c + vec2(r * 0.7, -r * 0.95),
                    &text,
                    badge_size,
                    fill,
                    theme::flag_badge_text(style.dark),
                );
            }
            if n.evidence > 0 {
                badge(
                    painter,
                    c + vec2(r * 0.8, r * 0.75),
                    &format!("{} {}", theme::EVIDENCE_GLYPH, n.evidence),
                    badge_size,
                    style.label_bg,
                    style.label_text,
                );
            }
            if n.pinned {
                painter.text(
                    c + vec2(-r * 0.9, -r * 0.9),
                    Align2::CENTER_CENTER,
                    theme::PIN_GLYPH,
                    FontId::proportional(badge_size * 1.2),
                    style.label_text,
                );
            }
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Draws a claim's line: dashed when alleged, dotted when disputed or refuted. Dashes cost a
/// shape each, so on crowded screens (`detailed` false) those lines are drawn solid and faint.
fn stroke_polyline(
    painter: &Painter,
    points: &[Pos2],
    stroke: Stroke,
    status: ClaimStatus,
    detailed: bool,
) {
    if points.len() < 2 {
        return;
    }
    if !detailed {
        let faint = matches!(
            status,
            ClaimStatus::Alleged | ClaimStatus::Disputed | ClaimStatus::Refuted
        );
        let color = if faint {
            stroke.color.gamma_multiply(0.55)
        } else {
            stroke.color
        };
        painter.add(Shape::line(
            points.to_vec(),
            Stroke::new(stroke.width, color),
        ));
        return;
    }
    match status {
        // What is only alleged is drawn dashed; what is disputed or refuted, dotted.
        ClaimStatus::Alleged => {
            painter.extend(Shape::dashed_line(points, stroke, 9.0, 5.0));
        }
        ClaimStatus::Disputed | ClaimStatus::Refuted => {
            painter.extend(Shape::dashed_line(points, stroke, 2.5, 4.0));
        }
        _ => {
            painter.add(Shape::line(points.to_vec(), stroke));
        }
    }
}

fn arrow_head(painter: &Painter, points: &[Pos2], color: Color32, size: f32) {
    let n = points.len();
    if n < 2 {
        return;
    }
    let tip = points[n - 1];
    let dir = (tip - points[n - 2]).normalized();
    if !dir.x.is_finite() {
        return;
    }
    let normal = vec2(-dir.y, dir.x);
    let base = tip - dir * size;
    painter.add(Shape::convex_polygon(
        vec![tip, base + normal * size * 0.5, base - normal * size * 0.5],
        color,
        Stroke::NONE,
    ));
}

/// The batched meshes a frame paints, by role.
#[derive(Clone, Copy)]
pub(super) enum MeshSlot {
    Edges,
    Routes,
    Dots,
}

/// A painter whose shapes egui tessellates into a mesh of their own: a clip rectangle that
/// differs from its neighbours' by a fraction of a pixel (`k` of them) starts a new primitive.
/// A big batched mesh then lands in an empty output mesh, allocated once at its size, instead
/// of being appended to the previous shapes' mesh, which grows by doubling and copying
/// (measured: most of a far-out frame's time at 100k entities went to that copying and to
/// faulting in the fresh memory).
fn own_primitive(painter: &Painter, rect: Rect, k: u8) -> Painter {
    painter.with_clip_rect(rect.expand(f32::from(k) * 0.125))
}

/// Side of the screen cells (pixels) within which far-out dots and hairlines are merged.
const CELL_PX: f32 = 2.0;

/// The screen cell of a point inside `rect`, or None outside it.
fn cell_of(rect: Rect, p: Pos2) -> Option<(u16, u16)> {
    if !rect.contains(p) {
        return None;
    }
    let x = ((p.x - rect.min.x) / CELL_PX) as u32;
    let y = ((p.y - rect.min.y) / CELL_PX) as u32;
    Some((u16::try_from(x).ok()?, u16::try_from(y).ok()?))
}

/// One key for an undirected pair of cells.
fn pair_key(a: (u16, u16), b: (u16, u16)) -> u64 {
    let pack = |(x, y): (u16, u16)| (u32::from(y) << 16) | u32::from(x);
    let (p, q) = (pack(a), pack(b));
    (u64::from(p.min(q)) << 32) | u64::from(p.max(q))
}

/// The centres of the two cells of a key, on screen.
fn key_points(rect: Rect, key: u64) -> (Pos2, Pos2) {
    let unpack = |v: u32| {
        let (x, y) = (v & 0xFFFF, v >> 16);
        rect.min + vec2((x as f32 + 0.5) * CELL_PX, (y as f32 + 0.5) * CELL_PX)
    };
    (unpack((key >> 32) as u32), unpack(key as u32))
}

/// Keeps the big batched meshes (hundreds of thousands of vertices far out on a large case)
/// from one frame to the next. egui holds a frame's shapes only until they are tessellated, so
/// by the next frame the buffers are ours again and are refilled without allocating; allocating
/// and faulting in tens of megabytes each frame cost a third of the frame time at 100k entities.
#[derive(Default)]
pub(super) struct MeshBuffers {
    slots: [std::cell::RefCell<Option<std::sync::Arc<Mesh>>>; 3],
    /// Cell-pair keys of far-out hairlines, deduplicated before drawing.
    keys: std::cell::RefCell<Vec<u64>>,
    /// Screen cells already holding a far-out dot (a bit each).
    cells: std::cell::RefCell<Vec<u64>>,
}

impl MeshBuffers {
    /// An empty mesh, reusing last frame's buffers when egui has let go of them.
    pub(super) fn take(&self, slot: MeshSlot) -> Mesh {
        let kept = self.slots[slot as usize].borrow_mut().take();
        match kept.map(std::sync::Arc::try_unwrap) {
            Some(Ok(mut mesh)) => {
                mesh.clear();
                mesh
            }
            _ => Mesh::default(),
        }
    }

    /// The shape that paints `mesh`, keeping a handle on its buffers for the next frame.
    pub(super) fn give(&self, slot: MeshSlot, mesh: Mesh) -> Shape {
        let mesh = std::sync::Arc::new(mesh);
        *self.slots[slot as usize].borrow_mut() = Some(mesh.clone());
        Shape::Mesh(mesh)
    }
}

fn hairline(mesh: &mut Mesh, a: Pos2, b: Pos2, width: f32, color: Color32) {
    let d = b - a;
    let len = d.length();
    if len < 0.5 {
        return;
    }
    let n = vec2(-d.y, d.x) / len * (width / 2.0);
    let base = u32::try_from(mesh.vertices.len()).unwrap_or(u32::MAX);
    mesh.colored_vertex(a + n, color);
    mesh.colored_vertex(a - n, color);
    mesh.colored_vertex(b - n, color);
    mesh.colored_vertex(b + n, color);
    mesh.add_triangle(base, base + 1, base + 2);
    mesh.add_triangle(base, base + 2, base + 3);
}

/// A link's or shipment's label waiting for its place: its text and the line it belongs to,
/// in screen points.
struct LineLabel {
    text: String,
    size: f32,
    color: Color32,
    /// Selected or under the pointer: placed first, and kept at the line's middle when no
    /// free place is left.
    emphasised: bool,
    points: Vec<Pos2>,
}

/// The canvas area as the label placer's frame.
fn screen_frame(rect: Rect) -> PlacerRect {
    PlacerRect {
        x0: rect.min.x,
        y0: rect.min.y,
        x1: rect.max.x,
        y1: rect.max.y,
    }
}

/// Places and draws link and shipment labels among the names already placed: each at the
/// first free point along its line (the middle, then further out), on two lines or shortened
/// if need be, else left out; the emphasised first, kept at the middle when nothing is free.
fn place_line_labels(
    painter: &Painter,
    placer: &mut LabelPlacer,
    mut labels: Vec<LineLabel>,
    style: &Style,
) {
    labels.sort_by_key(|l| std::cmp::Reverse(l.emphasised));
    for label in labels {
        if label.points.len() < 2 {
            continue;
        }
        let along: Vec<CanvasPoint> = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78]
            .iter()
            .map(|&t| {
                let p = geometry::point_along(&label.points, t);
                CanvasPoint { x: p.x, y: p.y }
            })
            .collect();
        let mut placed = placer.edge_label(&along, &label.text, label.size);
        if placed.is_none() && label.emphasised {
            let w = placer.text_width(&label.text, label.size);
            let corner = CanvasPoint {
                x: along[0].x - w / 2.0,
                y: along[0].y - label.size / 2.0,
            };
            placed = placer.title(&[corner], &label.text, label.size);
        }
        if let Some(placed) = &placed {
            draw_placed(painter, placed, style, label.color);
        }
    }
}

/// Where a placed line's text starts: below the top of its box by the padding of the box drawn
/// behind it (see [`label_background`]).
pub(super) fn placed_line_top(line: &crate::layout::labels::LabelLine) -> Pos2 {
    pos2(line.x, line.rect.y0 + 1.0)
}

/// Draws a placed label's lines, each on its background box.
fn draw_placed(painter: &Painter, label: &PlacedLabel, style: &Style, color: Color32) {
    for line in &label.lines {
        text_with_background(
            painter,
            placed_line_top(line),
            Align2::CENTER_TOP,
            &line.text,
            label.size,
            style,
            color,
        );
    }
}

fn text_with_background(
    painter: &Painter,
    pos: Pos2,
    align: Align2,
    text: &str,
    size: f32,
    style: &Style,
    color: Color32,
) {
    let galley = painter.layout_no_wrap(text.to_owned(), FontId::proportional(size), color);
    let r = align.anchor_size(pos, galley.size());
    painter.rect_filled(label_background(r), 3.0, style.label_bg);
    painter.galley(r.min, galley, color);
}

fn badge(painter: &Painter, pos: Pos2, text: &str, size: f32, fill: Color32, color: Color32) {
    let galley = painter.layout_no_wrap(text.to_owned(), FontId::proportional(size), color);
    let r = Align2::CENTER_CENTER.anchor_size(pos, galley.size());
    painter.rect_filled(r.expand2(vec2(4.0, 1.0)), size * 0.6, fill);
    painter.galley(r.min, galley, color);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::geo;
    use crate::model::{Case, EntityKind};
    use crate::model::{Entity, NodePosition};
    use crate::ui::canvas::scene::{Filters, Scene};

    /// The texts one frame of `canvas` paints on an 800×600 screen.
    fn painted_texts(canvas: &Canvas) -> Vec<String> {
        let ctx = egui::Context::default();
        let input = egui::RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0))),
            ..egui::RawInput::default()
        };
        let out = ctx.run_ui(input, |ui| {
            let rect = ui.max_rect();
            canvas.draw(ui, ui.painter(), rect);
        });
        let texts = out
            .shapes
            .iter()
            .filter_map(|c| match &c.shape {
                Shape::Text(t) => Some(t.galley.text().to_owned()),
                _ => None,
            })
            .collect();
        out.drop_without_applying_deltas();
        texts
    }

    /// A canvas with the map shown, looking at the holding area's caption, with one entity at
    /// `y` (below the map when `y` is past the holding area's top).
    fn canvas_with_entity_at(y: f32) -> Canvas {
        let mut case = Case::default();
        let e = Entity::new("e-lost", EntityKind::Person, "Lost Person");
        case.positions.insert(
            e.id.clone(),
            NodePosition {
                x: geo::HOLDING_AREA_CENTRE_X,
                y,
                pinned: false,
            },
        );
        case.entities.insert(e.id.clone(), e);
        let anchor = geo::holding_area_caption_anchor();
        Canvas {
            scene: Scene::build(&case, &Filters::default()),
            show_map: true,
            center: pos2(anchor.x, anchor.y),
            ..Canvas::default()
        }
    }

    #[test]
    fn the_holding_area_is_captioned_while_the_map_shows_and_someone_stands_there() {
        let below = geo::HOLDING_AREA_TOP + 50.0;
        let has_caption = |c: &Canvas| {
            painted_texts(c)
                .iter()
                .any(|t| t == geo::HOLDING_AREA_LABEL)
        };
        let mut canvas = canvas_with_entity_at(below);
        assert!(has_caption(&canvas));
        // No map, no caption.
        canvas.show_map = false;
        assert!(!has_caption(&canvas));
        // Far out with many nodes on screen (not sparse): hidden, like node labels.
        canvas.show_map = true;
        canvas.sparse = false;
        canvas.zoom = 0.1;
        assert!(!has_caption(&canvas));
        // Nobody in the holding area: nothing to caption.
        let canvas = canvas_with_entity_at(geo::HOLDING_AREA_TOP - 400.0);
        assert!(!has_caption(&canvas));
    }
}
