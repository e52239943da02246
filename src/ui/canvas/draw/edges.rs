//! Links and shipment routes: full curves with arrowheads and dashes while few are on screen,
//! hairlines batched into one mesh when many are (far out, or thousands crossing the view).

use super::labels::LineLabel;
use super::{DASH_LIMIT, DENSE_EDGE_LIMIT, EDGE_LABEL_LIMIT, Frame, ROUTE_DETAIL_LIMIT};
use super::{route_label_font_px, route_labels_drawn};
use crate::model::{ClaimStatus, ItemRef};
use crate::ui::canvas::scene::{SceneEdge, SceneRoute};
use crate::ui::canvas::{Canvas, Hit, geometry};
use crate::ui::theme;
use egui::{Color32, Mesh, Painter, Pos2, Rect, Shape, Stroke, vec2};

impl Canvas {
    /// Whether `item` is selected, and whether it is highlighted; not looked up (an id clone
    /// each) when nothing is marked.
    fn marks(&self, any_marked: bool, item: impl FnOnce() -> ItemRef) -> (bool, bool) {
        if !any_marked {
            return (false, false);
        }
        let item = item();
        (
            self.selected.contains(&item),
            self.highlighted.contains(&item),
        )
    }

    /// Whether any link of a line is selected, and whether any is highlighted.
    fn edge_marks(&self, any_marked: bool, e: &SceneEdge) -> (bool, bool) {
        e.links.iter().fold((false, false), |(sel, high), l| {
            let (a, b) = self.marks(any_marked, || ItemRef::Link(l.clone()));
            (sel || a, high || b)
        })
    }

    /// Whether any shipment of a route is selected, and whether any is highlighted.
    fn route_marks(&self, any_marked: bool, r: &SceneRoute) -> (bool, bool) {
        r.shipments.iter().fold((false, false), |(sel, high), s| {
            let (a, b) = self.marks(any_marked, || ItemRef::Shipment(s.clone()));
            (sel || a, high || b)
        })
    }

    /// Draws the links in view; returns the labels they want, placed later among the names,
    /// and whether lines are drawn in detail (dashes for what is only alleged).
    pub(super) fn draw_edges(&self, f: &Frame) -> (Vec<LineLabel>, bool) {
        let (painter, rect, view, at, style) = (&f.painter, f.rect, f.view, &f.at[..], &f.style);
        let (dots, any_marked) = (f.dots, f.any_marked);
        let mut edge_mesh = self.meshes.take(MeshSlot::Edges);
        // The far-out picture holds every line: with nothing marked, only the one under the
        // pointer is drawn on top (no pass over all the lines, whatever the case's size).
        let pictured = f.far == crate::ui::canvas::raster::FarPicture::Drawn && !any_marked;
        let visible_edges: Vec<usize> = if pictured {
            match self.hover {
                Some(Hit::Edge(i)) if i < self.scene.edges.len() => vec![i],
                _ => Vec::new(),
            }
        } else {
            (0..self.scene.edges.len())
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
                .collect()
        };
        // Dashes for alleged claims only while the screen is not crowded with lines (the
        // picture is made only of crowded screens).
        let detailed = !pictured && visible_edges.len() + self.scene.routes.len() <= DASH_LIMIT;
        let edge_labels = !dots
            && visible_edges.len() <= EDGE_LABEL_LIMIT
            && theme::CANVAS_EDGE_LABEL_SIZE * self.zoom >= theme::CANVAS_MIN_TEXT_PX;
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
            let (selected, highlighted) = self.edge_marks(any_marked, e);
            let hovered = self.hover == Some(Hit::Edge(i));
            if hairlines && !selected && !highlighted && !hovered {
                if f.far != crate::ui::canvas::raster::FarPicture::Off {
                    continue;
                }
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
            let width = if selected || highlighted {
                e.width.max(1.6) + 1.4
            } else {
                e.width
            };
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
                painter,
                &points,
                Stroke::new(width, color),
                e.status,
                detailed || selected || highlighted,
            );
            if e.directed && e.from != e.to {
                arrow_head(painter, &points, color, 5.0 + width);
            }
            if edge_labels || selected || hovered {
                line_labels.push(LineLabel {
                    text: e.label.clone(),
                    size: (theme::CANVAS_EDGE_LABEL_SIZE * self.zoom).clamp(9.0, 18.0),
                    color,
                    emphasised: selected || hovered,
                    points,
                    centre: 0.5,
                    chip: false,
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
            own_primitive(painter, rect, 1).add(self.meshes.give(MeshSlot::Edges, edge_mesh));
        }
        (line_labels, detailed)
    }

    /// Draws the shipment routes in view; their labels join `line_labels`.
    pub(super) fn draw_routes(&self, f: &Frame, detailed: bool, line_labels: &mut Vec<LineLabel>) {
        let (painter, rect, view, at, style) = (&f.painter, f.rect, f.view, &f.at[..], &f.style);
        let (dots, any_marked) = (f.dots, f.any_marked);
        // Shipment routes: smooth curves with arrowheads and labels while there are few of
        // them on screen; otherwise coarse curves batched into one mesh, labels left out.
        let route_detail = self.scene.routes.len() <= ROUTE_DETAIL_LIMIT;
        let mut route_mesh = self.meshes.take(MeshSlot::Routes);
        let mut labels: Vec<(Vec<Pos2>, usize, Color32, bool)> = Vec::new();
        let mut chips: Vec<LineLabel> = Vec::new();
        let node_px = self.node_radius_px(crate::ui::canvas::scene::NODE_RADIUS);
        for (i, r) in self.scene.routes.iter().enumerate() {
            if dots && !any_marked {
                if f.far != crate::ui::canvas::raster::FarPicture::Off {
                    continue;
                }
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
                self.route_segments_at(at, i, Some(view), if route_detail { 16 } else { 4 });
            if segments.is_empty() {
                continue;
            }
            let (selected, highlighted) = self.route_marks(any_marked, r);
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
            for (hop, seg) in segments {
                let pts: Vec<Pos2> = seg
                    .iter()
                    .map(|p| self.screen_from_canvas(rect, *p))
                    .collect();
                let pts = geometry::trim(&pts, node_px + 3.0, node_px + 6.0);
                if route_detail || emphasised {
                    stroke_polyline(
                        painter,
                        &pts,
                        Stroke::new(width, color),
                        r.status,
                        detailed || emphasised,
                    );
                    arrow_head(painter, &pts, color, 6.0 + width * 1.2);
                } else {
                    for w in pts.windows(2) {
                        hairline(&mut route_mesh, w[0], w[1], width.min(3.0), color);
                    }
                }
                // Places passed on this hop that have no node: markers spaced along it.
                let vias = &r.vias[hop];
                #[allow(clippy::cast_precision_loss)]
                for (k, w) in vias.iter().enumerate() {
                    chips.push(LineLabel {
                        text: format!("via {}", w.label),
                        size: route_label_font_px(self.zoom) * 0.9,
                        color,
                        emphasised,
                        points: pts.clone(),
                        centre: (k + 1) as f32 / (vias.len() + 1) as f32,
                        chip: true,
                    });
                }
                let len: f32 = pts.windows(2).map(|w| w[0].distance(w[1])).sum();
                if longest.as_ref().is_none_or(|(l, _)| *l < len) {
                    longest = Some((len, pts.clone()));
                }
            }
            if let Some((_, pts)) = longest {
                // A selected or hovered route keeps its label whatever the zoom.
                labels.push((pts, i, color, selected || hovered));
            }
        }
        if !route_mesh.is_empty() {
            own_primitive(painter, rect, 2).add(self.meshes.give(MeshSlot::Routes, route_mesh));
        }
        let route_labels = !dots && route_labels_drawn(self.zoom, self.sparse, labels.len());
        // Waypoints are drawn where route labels are, and on a marked or hovered route.
        line_labels.extend(chips.into_iter().filter(|c| route_labels || c.emphasised));
        for (points, i, color, emphasised) in labels {
            let r = &self.scene.routes[i];
            if route_labels || emphasised {
                line_labels.push(LineLabel {
                    text: format!("{} {}", theme::SHIPMENT_GLYPH, r.label),
                    size: route_label_font_px(self.zoom),
                    color,
                    emphasised,
                    points,
                    centre: 0.5,
                    chip: false,
                });
            }
        }
    }
}

/// Draws a claim's line: dashed when alleged, dotted when disputed or refuted. Dashes cost a
/// shape each, so on crowded screens (`detailed` false) those lines are drawn solid and faint.
pub(in crate::ui::canvas) fn stroke_polyline(
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

pub(super) fn arrow_head(painter: &Painter, points: &[Pos2], color: Color32, size: f32) {
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
pub(super) fn own_primitive(painter: &Painter, rect: Rect, k: u8) -> Painter {
    painter.with_clip_rect(rect.expand(f32::from(k) * 0.125))
}

/// Side of the screen cells (pixels) within which far-out dots and hairlines are merged.
pub(super) const CELL_PX: f32 = 2.0;

/// The screen cell of a point inside `rect`, or None outside it.
pub(super) fn cell_of(rect: Rect, p: Pos2) -> Option<(u16, u16)> {
    if !rect.contains(p) {
        return None;
    }
    let x = ((p.x - rect.min.x) / CELL_PX) as u32;
    let y = ((p.y - rect.min.y) / CELL_PX) as u32;
    Some((u16::try_from(x).ok()?, u16::try_from(y).ok()?))
}

/// One key for an undirected pair of cells.
pub(super) fn pair_key(a: (u16, u16), b: (u16, u16)) -> u64 {
    let pack = |(x, y): (u16, u16)| (u32::from(y) << 16) | u32::from(x);
    let (p, q) = (pack(a), pack(b));
    (u64::from(p.min(q)) << 32) | u64::from(p.max(q))
}

/// The centres of the two cells of a key, on screen.
pub(super) fn key_points(rect: Rect, key: u64) -> (Pos2, Pos2) {
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
pub(in crate::ui::canvas) struct MeshBuffers {
    pub(super) slots: [std::cell::RefCell<Option<std::sync::Arc<Mesh>>>; 3],
    /// Cell-pair keys of far-out hairlines, deduplicated before drawing.
    pub(super) keys: std::cell::RefCell<Vec<u64>>,
    /// Screen cells already holding a far-out dot (a bit each).
    pub(super) cells: std::cell::RefCell<Vec<u64>>,
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

pub(super) fn hairline(mesh: &mut Mesh, a: Pos2, b: Pos2, width: f32, color: Color32) {
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
