//! Painting the canvas, with culling and level of detail: far out, nodes become dots and edges
//! hairlines batched into single meshes; labels and badges appear as the user zooms in.
//!
//! One frame paints, bottom to top: the background (grid, map), group boxes, links
//! ([`edges`]), shipment routes, nodes and their names ([`nodes`]), the labels of links and
//! routes placed among the names ([`labels`]), sticky notes, then gesture overlays
//! ([`overlays`]).

mod edges;
mod labels;
mod nodes;
mod overlays;

pub(super) use edges::MeshBuffers;
pub(super) use edges::stroke_polyline;
pub(super) use labels::placed_line_top;
pub(super) use nodes::paint_shape;

use super::Canvas;
use crate::ui::theme;
use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, Ui, pos2, vec2};

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

#[derive(Clone, Copy)]
pub(super) struct Style {
    pub(super) dark: bool,
    pub(super) edge: Color32,
    pub(super) route: Color32,
    pub(super) selection: Color32,
    pub(super) highlight: Color32,
    pub(super) label_bg: Color32,
    pub(super) label_text: Color32,
    /// Dashed rings for unsupported entities (few nodes on screen) or solid ones (many).
    pub(super) dashed_rings: bool,
}

/// What every layer of one frame's painting shares.
pub(super) struct Frame {
    pub(super) painter: Painter,
    /// The canvas area on screen.
    pub(super) rect: Rect,
    /// The part of the canvas in view, with a margin (canvas coordinates).
    pub(super) view: Rect,
    /// Every node's place this frame (drags and layout animations included), computed once.
    pub(super) at: Vec<Pos2>,
    pub(super) style: Style,
    /// Far out: nodes are dots, edges hairlines.
    pub(super) dots: bool,
    /// Something is selected or highlighted (looking items up costs an id clone each: it is
    /// skipped when nothing is marked).
    pub(super) any_marked: bool,
    /// The far-out picture drawn underneath (cheap drawing, see `raster`): what it already
    /// shows the layers leave out.
    pub(super) far: super::raster::FarPicture,
}

impl Canvas {
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
        let f = Frame {
            painter,
            rect,
            view: self.visible_canvas_rect(rect).expand(60.0 / self.zoom),
            at: self.frame_positions(),
            style,
            dots: self.node_radius_px(super::scene::NODE_RADIUS) < DOT_RADIUS_PX,
            any_marked: !self.selected.is_empty() || !self.highlighted.is_empty(),
            far: super::raster::FarPicture::Off,
        };
        let f = Frame {
            far: self.draw_far_raster(&f, ui.ctx()),
            ..f
        };
        self.draw_groups(&f);
        let (mut line_labels, detailed) = self.draw_edges(&f);
        self.draw_routes(&f, detailed, &mut line_labels);
        self.draw_nodes(&f, line_labels);
        self.draw_notes(&f);
        self.draw_overlays(&f);
        if self.scene.nodes.is_empty() && self.scene.notes.is_empty() {
            f.painter.text(
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
}

pub(super) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
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
