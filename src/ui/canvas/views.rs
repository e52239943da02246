//! Saved views on the canvas: capturing the camera, filters and highlights as a view, applying
//! a view (an animated camera move), and drawing the canvas for a presentation: no toolbar, no
//! gestures, nothing that could change the case.

use super::scene::Scene;
use super::{Canvas, Gesture};
use crate::edit::Revision;
use crate::model::{Camera, Case, FrameRect, ItemRef, SavedView, ViewId};
use egui::{Pos2, Rect, Sense, Ui, pos2};

impl Canvas {
    /// The camera showing what is on screen now.
    pub fn current_camera(&self) -> Camera {
        let r = self.visible_canvas_rect(self.last_rect);
        Camera::containing(FrameRect {
            min_x: r.min.x,
            min_y: r.min.y,
            max_x: r.max.x,
            max_y: r.max.y,
        })
    }

    /// A saved view of the canvas as it is now: camera, hidden kinds and tags, and the
    /// selected and highlighted items as the view's highlights.
    pub fn capture_view(&self, case: &Case, id: ViewId, name: String) -> SavedView {
        let mut highlighted: Vec<ItemRef> = self
            .selected
            .iter()
            .chain(&self.highlighted)
            .filter(|i| case.contains(i) && !matches!(i, ItemRef::View(_)))
            .cloned()
            .collect();
        highlighted.sort();
        highlighted.dedup();
        let (time_from, time_to) = crate::analysis::view_window::dates_of(self.filters.time_window);
        SavedView {
            id,
            name,
            caption: String::new(),
            camera: self.current_camera(),
            hidden_kinds: self.filters.hidden_kinds.iter().copied().collect(),
            hidden_tags: self.filters.hidden_tags.iter().cloned().collect(),
            highlighted,
            time_from,
            time_to,
            hidden_link_kinds: self.filters.hidden_link_kinds.iter().copied().collect(),
            hidden_claims: self.filters.hidden_claims.iter().copied().collect(),
            min_usd: self.filters.min_usd,
        }
    }

    /// Shows `view`: its filters, time window and highlights at once, its camera by an
    /// animated move (or a jump when `animate` is false). Individually hidden entities come
    /// back into view.
    pub fn apply_view(&mut self, now: f64, view: &SavedView, animate: bool) {
        self.apply_view_filters(view);
        let (center, zoom) = self.view_target(&view.camera);
        self.move_camera(now, center, zoom, animate);
    }

    /// Sets the filters and highlights of `view`, leaving the camera alone.
    pub fn apply_view_filters(&mut self, view: &SavedView) {
        self.filters.hidden_kinds = view.hidden_kinds.iter().copied().collect();
        self.filters.hidden_tags = view.hidden_tags.iter().cloned().collect();
        self.filters.hidden.clear();
        self.filters.time_window = crate::analysis::view_window::window_of(view);
        self.filters.only_supported = false;
        self.filters.hidden_link_kinds = view.hidden_link_kinds.iter().copied().collect();
        self.filters.hidden_claims = view.hidden_claims.iter().copied().collect();
        self.filters.min_usd = view.min_usd;
        self.min_value_text = view.min_usd.map(|v| v.to_string()).unwrap_or_default();
        self.highlighted = view.highlighted.iter().cloned().collect();
    }

    /// Where the camera goes to show `camera` in the drawing area of the last frame.
    pub fn view_target(&self, camera: &Camera) -> (Pos2, f32) {
        let size = self.last_rect.size();
        let zoom = camera
            .zoom_for_screen(size.x, size.y)
            .clamp(super::MIN_ZOOM, super::MAX_ZOOM);
        (pos2(camera.center.x, camera.center.y), zoom)
    }

    /// The drawing area of the last frame, in screen points.
    pub fn screen_rect(&self) -> Rect {
        self.last_rect
    }

    /// Stops any camera animation (the presenter drives the camera itself).
    pub fn stop_camera(&mut self) {
        self.camera_move = None;
    }

    /// Draws the canvas for a presentation: the graph only, no toolbar, no hover, no editing.
    /// Returns the drawing area.
    pub fn present_ui(&mut self, ui: &mut Ui, case: &Case, revision: Revision) -> Rect {
        let key = (revision, self.filters.clone(), self.size_by);
        if self.scene_key.as_ref() != Some(&key) {
            let measure = self.size_by.measure(case);
            self.scene = Scene::build_sized(case, &self.filters, measure.as_ref());
            self.scene_generation += 1;
            self.scene_key = Some(key);
        }
        self.hover = None;
        self.context = None;
        self.picker = None;
        self.gesture = Gesture::None;
        let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click());
        let rect = response.rect;
        self.last_rect = rect;
        let now = ui.input(|i| i.time);
        if self.step_camera(now) {
            ui.ctx().request_repaint();
        }
        self.update_sparse(rect);
        self.draw(ui, &painter, rect);
        rect
    }
}

/// Above this many nodes in a view's frame, its thumbnail shows dots only.
const THUMBNAIL_DETAIL_LIMIT: usize = 1_500;

impl Canvas {
    /// Paints a small picture of `view` into `rect`: the case's nodes, links and routes inside
    /// the view's frame, in kind colours, highlights marked.
    pub fn paint_thumbnail(&self, painter: &egui::Painter, rect: Rect, view: &SavedView) {
        use crate::ui::theme;
        let dark = painter.ctx().global_style().visuals.dark_mode;
        painter.rect_filled(rect, 3.0, theme::canvas_background(dark));
        let frame = view.camera.frame();
        let scale = (rect.width() / frame.width()).min(rect.height() / frame.height());
        let origin = rect.center();
        let center = pos2(view.camera.center.x, view.camera.center.y);
        let to_screen = |p: Pos2| origin + (p - center) * scale;
        let painter = painter.with_clip_rect(rect);
        let hidden = |kind| view.hidden_kinds.contains(&kind);
        let area = Rect::from_min_max(
            pos2(frame.min_x, frame.min_y),
            pos2(frame.max_x, frame.max_y),
        );
        // Only what lies in the frame, found through the spatial index; a crowded frame (a
        // large case seen from afar) is drawn as dots alone, so thumbnails stay cheap.
        let inside = self.scene.grid.query_rect(&self.scene.nodes, area);
        let crowded = inside.len() > THUMBNAIL_DETAIL_LIMIT;
        if !crowded {
            let edge = egui::Stroke::new(0.6, theme::edge_color(dark));
            for e in &self.scene.edges {
                let (a, b) = (&self.scene.nodes[e.from], &self.scene.nodes[e.to]);
                if hidden(a.kind)
                    || hidden(b.kind)
                    || !Rect::from_two_pos(a.pos, b.pos).intersects(area)
                {
                    continue;
                }
                painter.line_segment([to_screen(a.pos), to_screen(b.pos)], edge);
            }
            for r in &self.scene.routes {
                let marked = r
                    .shipments
                    .iter()
                    .any(|s| view.highlighted.contains(&ItemRef::Shipment(s.clone())));
                let color = if marked {
                    theme::highlight_color(dark)
                } else {
                    theme::route_color(dark)
                };
                let pts: Vec<Pos2> = r
                    .stops
                    .iter()
                    .filter(|&&i| !hidden(self.scene.nodes[i].kind))
                    .map(|&i| to_screen(self.scene.nodes[i].pos))
                    .collect();
                if pts.len() >= 2 {
                    painter.add(egui::Shape::line(
                        pts,
                        egui::Stroke::new(if marked { 2.0 } else { 1.2 }, color),
                    ));
                }
            }
        }
        let radius = (super::scene::NODE_RADIUS * scale).clamp(1.0, 5.0);
        for i in inside {
            let n = &self.scene.nodes[i];
            if hidden(n.kind) {
                continue;
            }
            let p = to_screen(n.pos);
            painter.circle_filled(p, radius, theme::entity_color(n.kind, dark));
            if !crowded && view.highlighted.contains(&n.item) {
                painter.circle_stroke(
                    p,
                    radius + 1.5,
                    egui::Stroke::new(1.5, theme::highlight_color(dark)),
                );
            }
        }
    }
}
