//! The camera: what the app asks of the canvas's view (select one item, reset for a new case,
//! fit, reveal an item, centre a search hit), animated moves, and zooming at the pointer.

use super::{CAMERA_SECONDS, CameraMove, Canvas, MAX_ZOOM, MIN_ZOOM, draw};
use crate::model::{Case, EntityId, ItemRef};
use egui::{Pos2, Rect};

impl Canvas {
    /// Makes `item` the only selection (from the list or the inspector).
    pub fn select_only(&mut self, item: Option<&ItemRef>) {
        self.selected = item.cloned().into_iter().collect();
        self.primary = item.cloned();
    }

    /// A new case was opened: forget view state that named its items and fit it into view.
    pub fn reset(&mut self) {
        let show_map = self.show_map;
        *self = Self {
            show_map,
            ..Self::default()
        };
    }

    pub fn request_fit(&mut self) {
        self.fit_pending = true;
    }

    pub(super) fn move_camera(&mut self, now: f64, to_center: Pos2, to_zoom: f32, animate: bool) {
        let to_zoom = to_zoom.clamp(MIN_ZOOM, MAX_ZOOM);
        if animate {
            self.camera_move = Some(CameraMove {
                from_center: self.center,
                from_zoom: self.zoom,
                to_center,
                to_zoom,
                start: now,
            });
        } else {
            self.camera_move = None;
            self.center = to_center;
            self.zoom = to_zoom;
        }
    }

    /// Frames every node with its label, the shipment labels, groups and notes inside the
    /// canvas area (see `fit.rs`).
    pub fn fit_all(&mut self, ctx: &egui::Context, now: f64, animate: bool) {
        if let Some((center, zoom)) = self.fitted_camera(ctx, None) {
            self.move_camera(now, center, zoom, animate);
        }
    }

    pub(super) fn fit_selection(&mut self, ctx: &egui::Context, now: f64) {
        let nodes: Vec<usize> = self
            .selected
            .iter()
            .filter_map(|item| self.scene.node_of_item(item))
            .collect();
        if nodes.is_empty() {
            return;
        }
        if let Some((center, zoom)) = self.fitted_camera(ctx, Some(&nodes)) {
            self.move_camera(now, center, zoom, true);
        }
    }

    /// The canvas area on screen in the last frame (below the toolbar, between the panels).
    pub fn canvas_screen_rect(&self) -> Rect {
        self.last_rect
    }

    /// Every node label drawn in the last frame, with the box it covers on screen, computed as
    /// drawing computes it (for tests: a fit must keep each inside the canvas area).
    pub fn node_label_screen_rects(&self, ctx: &egui::Context) -> Vec<(String, Rect)> {
        let rect = self.last_rect;
        let view = self.visible_canvas_rect(rect).expand(60.0 / self.zoom);
        let nodes: Vec<usize> = (0..self.scene.nodes.len())
            .filter(|&i| view.contains(self.node_pos(i)))
            .collect();
        let painter = egui::Painter::new(ctx.clone(), egui::LayerId::background(), rect);
        let (labels, _) = self.place_node_labels(&painter, rect, &nodes, &self.frame_positions());
        ctx.fonts_mut(|fonts| {
            labels
                .into_iter()
                .flatten()
                .flat_map(|label| {
                    label
                        .lines
                        .into_iter()
                        .map(|line| {
                            let size = fonts
                                .layout_no_wrap(
                                    line.text.clone(),
                                    egui::FontId::proportional(label.size),
                                    egui::Color32::WHITE,
                                )
                                .size();
                            let at = egui::Align2::CENTER_TOP
                                .anchor_size(draw::placed_line_top(&line), size);
                            (line.text, draw::label_background(at))
                        })
                        .collect::<Vec<_>>()
                })
                .collect()
        })
    }

    /// Centres `item` on the next frame if it is off screen.
    pub fn reveal_later(&mut self, item: ItemRef) {
        self.pending_reveal = Some((item, false));
    }

    /// Centres an item, zooming in to a readable size if need be (a search hit).
    pub(super) fn centre_on(&mut self, now: f64, item: &ItemRef) {
        if let Some(i) = self.scene.node_of_item(item) {
            let p = self.scene.nodes[i].pos;
            self.move_camera(now, p, self.zoom.max(0.8), true);
        }
    }

    /// Lifts the filters that hide `id` by hand, by kind or by tag (not the time window or
    /// "only supported"); true if one was lifted.
    pub(super) fn unhide(&mut self, case: &Case, id: &EntityId) -> bool {
        let mut shown = self.filters.hidden.remove(id);
        if let Some(e) = case.entities.get(id) {
            shown |= self.filters.hidden_kinds.remove(&e.kind);
            for tag in &e.tags {
                shown |= self.filters.hidden_tags.remove(tag);
            }
        }
        shown
    }

    /// Centres an item if it is off screen (selection from the list, a search hit).
    pub fn reveal(&mut self, now: f64, item: &ItemRef) {
        let Some(i) = self.scene.node_of_item(item) else {
            return;
        };
        let p = self.scene.nodes[i].pos;
        let visible = self
            .visible_canvas_rect(self.last_rect)
            .shrink(40.0 / self.zoom);
        if !visible.contains(p) {
            self.move_camera(now, p, self.zoom.max(0.6), true);
        }
    }

    pub(super) fn step_camera(&mut self, now: f64) -> bool {
        let Some(m) = self.camera_move else {
            return false;
        };
        #[allow(clippy::cast_possible_truncation)]
        let t = (((now - m.start) / CAMERA_SECONDS) as f32).clamp(0.0, 1.0);
        let ease = 1.0 - (1.0 - t).powi(3);
        // Interpolate zoom geometrically so zooming in and out feel alike.
        self.zoom = m.from_zoom * (m.to_zoom / m.from_zoom).powf(ease);
        self.center = m.from_center.lerp(m.to_center, ease);
        if t >= 1.0 {
            self.camera_move = None;
        }
        true
    }

    pub(super) fn zoom_at(&mut self, screen: Pos2, factor: f32) {
        let rect = self.last_rect;
        let anchor = self.canvas_from_screen(rect, screen);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        self.center = anchor - (screen - rect.center()) / self.zoom;
        self.camera_move = None;
    }
}
