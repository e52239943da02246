//! The investigation graph: entities as nodes, links as edges, shipments as routed arrows,
//! groups, sticky notes. The canvas owns only view state (camera, selection set, gestures,
//! filters); every change to the case leaves as an [`Action::Apply`] that the app runs
//! through the edit path, so a whole drag or a whole layout is one undo step.

mod draw;
mod fit;
pub mod geometry;
mod layout_run;
pub mod scene;
pub mod support;
mod views;

use crate::edit::Edit;
use crate::edit::Revision;
use crate::model::{
    CanvasPoint, Case, Entity, EntityId, EntityKind, Group, GroupId, ItemRef, Leg, Link,
    LinkKindTag, NodePosition, Note, NoteId, Place, Shipment, Timestamp,
};
use crate::ui::action::Action;
use crate::ui::commands::{Scope, UiCommand};
use egui::{Key, Pos2, Rect, Sense, Ui, Vec2, vec2};
pub use layout_run::LayoutRun;
use scene::{Filters, Scene};
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

/// Zoom limits: far enough out to see 100k nodes as a cloud, close enough to read small print.
pub const MIN_ZOOM: f32 = 0.02;
pub const MAX_ZOOM: f32 = 6.0;
/// Seconds a camera move takes (fit, zoom to selection, centre on a search hit).
const CAMERA_SECONDS: f64 = 0.35;
/// Above this many visible nodes the canvas stops registering each one for screen readers.
const ACCESSIBLE_NODE_LIMIT: usize = 400;
/// Marker that starts a Chokepoint clipboard payload, so foreign text is not taken for one.
const CLIP_MARKER: &str = "chokepoint-clip-v1\n";

/// Something under the pointer.
#[derive(Clone, Debug, PartialEq)]
enum Hit {
    Node(usize),
    Handle(usize),
    Edge(usize),
    Route(usize),
    Note(usize),
    GroupTitle(usize),
}

#[derive(Clone, Debug)]
enum Gesture {
    None,
    Pan,
    /// Moving entities (by canvas delta); `nodes` are scene indices drawn moved.
    Move {
        ids: Vec<EntityId>,
        nodes: HashSet<usize>,
        delta: Vec2,
    },
    MoveNote {
        index: usize,
        delta: Vec2,
    },
    BoxSelect {
        from: Pos2,
        to: Pos2,
        add: bool,
    },
    Connect {
        from: usize,
        to: Pos2,
    },
}

/// A small menu of kinds opened at a point on screen.
#[derive(Clone, Debug)]
enum Picker {
    NewEntity {
        at: Pos2,
        screen: Pos2,
    },
    Connect {
        from: EntityId,
        to: EntityId,
        screen: Pos2,
    },
}

/// "Find paths to…" and "Link to…" wait for the user to click the second entity.
#[derive(Clone, Debug)]
enum PendingPick {
    Path(EntityId),
    Link(EntityId),
}

#[derive(Clone, Copy, Debug)]
struct CameraMove {
    from_center: Pos2,
    from_zoom: f32,
    to_center: Pos2,
    to_zoom: f32,
    start: f64,
}

#[derive(Default)]
struct Search {
    open: bool,
    text: String,
    hits: Vec<EntityId>,
    at: usize,
    focus: bool,
}

pub struct Canvas {
    pub center: Pos2,
    pub zoom: f32,
    pub filters: Filters,
    pub selected: BTreeSet<ItemRef>,
    pub primary: Option<ItemRef>,
    /// Items drawn highlighted (search hits, found paths).
    pub highlighted: BTreeSet<ItemRef>,
    /// Draw the world outline behind the graph (after a geographic layout).
    pub show_map: bool,
    scene: Scene,
    scene_key: Option<(Revision, Filters, SizeBy)>,
    gesture: Gesture,
    hover: Option<Hit>,
    context: Option<(Option<Hit>, Pos2)>,
    picker: Option<Picker>,
    pick: Option<PendingPick>,
    /// Where the background menu's *Paste* was asked for (canvas space): the clipboard text
    /// arrives a frame later, when the pointer may be elsewhere. With the time it was asked
    /// for: an empty clipboard sends nothing, and a later Ctrl+V must not land there.
    paste_at: Option<(Pos2, f64)>,
    camera_move: Option<CameraMove>,
    search: Search,
    /// Fit the case into view on the next frame (after opening a case).
    fit_pending: bool,
    space_down: bool,
    last_rect: Rect,
    hops: usize,
    pub layout: Option<LayoutRun>,
    /// An item to bring into view on the next frame (after the scene is rebuilt): centred
    /// when the flag is set, else only if it is off screen.
    pending_reveal: Option<(ItemRef, bool)>,
    /// Node sizes follow this measure (view state, not saved).
    pub size_by: SizeBy,
    /// Whether few enough nodes are on screen to keep them at a readable minimum size.
    sparse: bool,
    /// Vertex buffers of the batched meshes, kept between frames.
    meshes: draw::MeshBuffers,
}

impl Default for Canvas {
    fn default() -> Self {
        Self {
            center: Pos2::ZERO,
            zoom: 1.0,
            filters: Filters::default(),
            selected: BTreeSet::new(),
            primary: None,
            highlighted: BTreeSet::new(),
            show_map: false,
            scene: Scene::default(),
            scene_key: None,
            gesture: Gesture::None,
            hover: None,
            context: None,
            picker: None,
            pick: None,
            paste_at: None,
            camera_move: None,
            search: Search::default(),
            fit_pending: true,
            space_down: false,
            last_rect: Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0)),
            hops: 1,
            layout: None,
            pending_reveal: None,
            size_by: SizeBy::Uniform,
            sparse: true,
            meshes: draw::MeshBuffers::default(),
        }
    }
}

impl Canvas {
    /// The layout being computed, as the status bar shows it.
    pub fn layout_status(&self) -> Option<crate::ui::jobs::JobStatus> {
        self.layout.as_ref().and_then(LayoutRun::status)
    }

    /// Stops the layout that runs (the status bar's Cancel; Esc on the canvas).
    pub fn cancel_layout(&self) {
        if let Some(run) = &self.layout {
            run.cancel();
        }
    }

    // ---- coordinates ------------------------------------------------------------------------

    /// Notes whether few enough nodes are in view to keep them at a readable minimum size.
    fn update_sparse(&mut self, rect: Rect) {
        let view = self.visible_canvas_rect(rect);
        self.sparse = self.scene.grid.count_at_most(
            &self.scene.nodes,
            view,
            crate::ui::theme::CANVAS_SPARSE_LIMIT + 1,
        ) <= crate::ui::theme::CANVAS_SPARSE_LIMIT;
    }

    pub fn screen_from_canvas(&self, rect: Rect, p: Pos2) -> Pos2 {
        rect.center() + (p - self.center) * self.zoom
    }

    pub fn canvas_from_screen(&self, rect: Rect, p: Pos2) -> Pos2 {
        self.center + (p - rect.center()) / self.zoom
    }

    /// The canvas area currently on screen.
    pub fn visible_canvas_rect(&self, rect: Rect) -> Rect {
        Rect::from_min_max(
            self.canvas_from_screen(rect, rect.min),
            self.canvas_from_screen(rect, rect.max),
        )
    }

    /// Where an entity's node is on screen in the last drawn frame (for tests and tooltips).
    /// How many nodes the canvas shows (entities and shipments that pass the filters).
    pub fn node_count(&self) -> usize {
        self.scene.nodes.len()
    }

    pub fn node_screen_pos(&self, id: &EntityId) -> Option<Pos2> {
        let i = self.scene.node_of(id)?;
        Some(self.screen_from_canvas(self.last_rect, self.node_pos(i)))
    }

    /// Width of the drawing area on screen in the last frame, in points.
    pub fn visible_canvas_rect_width(&self) -> f32 {
        self.last_rect.width()
    }

    /// The item under the pointer, if it is a node (e.g. where files were dropped).
    pub fn hovered_item(&self) -> Option<ItemRef> {
        match self.hover {
            Some(Hit::Node(i)) => self.scene.nodes.get(i).map(|n| n.item.clone()),
            _ => None,
        }
    }

    pub fn scene(&self) -> &Scene {
        &self.scene
    }

    /// On-screen radius of a node of canvas radius `r`.
    fn node_radius_px(&self, r: f32) -> f32 {
        draw::node_radius_px(r, self.zoom, self.sparse)
    }

    /// Node position including an ongoing drag or layout animation.
    fn node_pos(&self, i: usize) -> Pos2 {
        let base = self.scene.nodes[i].pos;
        if let Gesture::Move { nodes, delta, .. } = &self.gesture
            && nodes.contains(&i)
        {
            return base + *delta;
        }
        if let Some(run) = &self.layout
            && let Some(p) = run.animated_position(&self.scene.nodes[i].item)
        {
            return p;
        }
        base
    }

    /// Whether nodes are drawn away from their scene places this frame (a drag of nodes or a
    /// layout animation).
    fn nodes_moving(&self) -> bool {
        matches!(self.gesture, Gesture::Move { .. })
            || self.layout.as_ref().is_some_and(LayoutRun::is_animating)
    }

    /// A group's box this frame: while its members are dragged or animated it follows them
    /// (`at` holds this frame's node places, see [`Self::frame_positions`]).
    fn group_rect_now(&self, g: &scene::SceneGroup, at: &[Pos2]) -> Rect {
        if self.nodes_moving() {
            self.scene
                .group_box(&g.members, |i| at[i])
                .unwrap_or(g.rect)
        } else {
            g.rect
        }
    }

    /// Where a group's box is on screen this frame, following members that are being dragged
    /// or animated (for tests); None for a collapsed group.
    pub fn group_screen_rect(&self, id: &GroupId) -> Option<Rect> {
        let g = self.scene.groups.iter().find(|g| &g.id == id)?;
        let r = self.group_rect_now(g, &self.frame_positions());
        Some(Rect::from_min_max(
            self.screen_from_canvas(self.last_rect, r.min),
            self.screen_from_canvas(self.last_rect, r.max),
        ))
    }

    // ---- selection and camera, called by the app ----------------------------------------------

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

    fn move_camera(&mut self, now: f64, to_center: Pos2, to_zoom: f32, animate: bool) {
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

    fn fit_selection(&mut self, ctx: &egui::Context, now: f64) {
        let nodes: Vec<usize> = self
            .selected
            .iter()
            .filter_map(|item| self.scene.index.get(item).copied())
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
    fn centre_on(&mut self, now: f64, item: &ItemRef) {
        if let Some(&i) = self.scene.index.get(item) {
            let p = self.scene.nodes[i].pos;
            self.move_camera(now, p, self.zoom.max(0.8), true);
        }
    }

    /// Lifts the filters that hide `id` by hand, by kind or by tag (not the time window or
    /// "only supported"); true if one was lifted.
    fn unhide(&mut self, case: &Case, id: &EntityId) -> bool {
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
        let Some(&i) = self.scene.index.get(item) else {
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

    fn step_camera(&mut self, now: f64) -> bool {
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

    fn zoom_at(&mut self, screen: Pos2, factor: f32) {
        let rect = self.last_rect;
        let anchor = self.canvas_from_screen(rect, screen);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        self.center = anchor - (screen - rect.center()) / self.zoom;
        self.camera_move = None;
    }

    // ---- the frame --------------------------------------------------------------------------

    /// Draws the canvas and handles its input. `keys` is false while a modal is open.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        revision: Revision,
        keys: bool,
        actions: &mut Vec<Action>,
    ) {
        if self.size_by == SizeBy::Betweenness && case.entities.len() > SizeBy::BETWEENNESS_LIMIT {
            self.size_by = SizeBy::Uniform;
            actions.push(Action::Info(format!(
                "Betweenness sizing is offered up to {} entities; use `chokepoint` analysis for larger cases",
                SizeBy::BETWEENNESS_LIMIT
            )));
        }
        let key = (revision, self.filters.clone(), self.size_by);
        if self.scene_key.as_ref() != Some(&key) {
            let measure = self.size_by.measure(case);
            self.scene = Scene::build_sized(case, &self.filters, measure.as_ref());
            self.scene_key = Some(key);
            // Selected items that no longer exist leave the selection.
            self.selected.retain(|i| case.contains(i));
            self.highlighted.retain(|i| case.contains(i));
            // Hits and gestures name nodes by their index in the old scene: drop them (an undo
            // while a context menu is open or a drag is under way must not point elsewhere).
            self.hover = None;
            self.context = None;
            self.gesture = Gesture::None;
        }
        // No gap between the toolbar and the drawing area (it would show the window behind).
        ui.spacing_mut().item_spacing.y = 0.0;
        self.toolbar_ui(ui, case);
        let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
        let rect = response.rect;
        self.last_rect = rect;
        let now = ui.input(|i| i.time);
        if self.fit_pending && rect.width() > 50.0 {
            self.fit_pending = false;
            self.fit_all(ui.ctx(), now, false);
        }
        if let Some((item, centre)) = self.pending_reveal.take()
            && !self.fit_pending
        {
            if centre {
                self.centre_on(now, &item);
            } else {
                self.reveal(now, &item);
            }
        }
        if self.step_camera(now) {
            ui.ctx().request_repaint();
        }
        if let Some(run) = &mut self.layout {
            match run.poll(ui.ctx(), now, case) {
                layout_run::Poll::Running => ui.ctx().request_repaint(),
                layout_run::Poll::Finished(edit, label) => {
                    self.layout = None;
                    if let Some(edit) = edit {
                        actions.push(Action::Apply {
                            label,
                            edit,
                            select: None,
                        });
                    }
                }
                layout_run::Poll::Failed(message) => {
                    self.layout = None;
                    actions.push(Action::Error(message));
                }
            }
        }

        self.update_sparse(rect);
        self.handle_input(ui, &response, case, keys, actions);
        self.draw(ui, &painter, rect);
        self.accessibility_ui(ui, rect, case);
        self.tooltip_ui(&response, case);
        self.context_menu_ui(&response, case, actions);
        self.picker_ui(ui, case, actions);
        self.search_ui(ui, rect, case, actions);
        if let Some(run) = &self.layout {
            run.progress_ui(ui, rect);
        }
    }

    fn toolbar_ui(&mut self, ui: &mut Ui, case: &Case) {
        let now = ui.input(|i| i.time);
        let frame = egui::Frame::new()
            .fill(ui.visuals().panel_fill)
            .inner_margin(egui::Margin::symmetric(6, 3));
        frame.show(ui, |ui| {
            ui.set_width(ui.available_width());
            self.toolbar_row_ui(ui, case, now);
        });
    }

    fn toolbar_row_ui(&mut self, ui: &mut Ui, case: &Case, now: f64) {
        ui.horizontal(|ui| {
            ui.menu_button("Layout", |ui| {
                let on_selection = self
                    .selected
                    .iter()
                    .filter(|i| matches!(i, ItemRef::Entity(_)))
                    .count()
                    > 1;
                if on_selection {
                    ui.label("On the selected entities:");
                } else {
                    ui.label("On the whole graph:");
                }
                for kind in crate::layout::LayoutKind::ALL {
                    if ui.button(kind.label()).clicked() {
                        self.start_layout(kind, case, on_selection);
                        ui.close();
                    }
                }
            });
            ui.menu_button("Show", |ui| self.filters_menu_ui(ui, case));
            if ui
                .button("Fit")
                .on_hover_text("Fit everything in view (F)")
                .clicked()
            {
                self.fit_all(ui.ctx(), now, true);
            }
            if ui.button("−").on_hover_text("Zoom out (-)").clicked() {
                self.zoom_at(self.last_rect.center(), 1.0 / 1.25);
            }
            if ui.button("+").on_hover_text("Zoom in (+)").clicked() {
                self.zoom_at(self.last_rect.center(), 1.25);
            }
            ui.label(format!("{:.0}%", self.zoom * 100.0));
            if ui
                .button("Find…")
                .on_hover_text("Find an entity by name, alias or identifier (Ctrl+F)")
                .clicked()
            {
                self.open_search();
            }
            if self.scene.hidden_count > 0
                && ui
                    .button(format!("Show {} hidden", self.scene.hidden_count))
                    .clicked()
            {
                // Only what the user hid; the time window and "only supported" stay.
                self.filters.hidden.clear();
                self.filters.hidden_kinds.clear();
                self.filters.hidden_tags.clear();
            }
            match &self.pick {
                Some(PendingPick::Path(from)) => {
                    ui.label(format!(
                        "Click an entity to find the path from {}  (Esc cancels)",
                        case.entity_name(from)
                    ));
                }
                Some(PendingPick::Link(from)) => {
                    ui.label(format!(
                        "Click the entity to link {} to  (Esc cancels)",
                        case.entity_name(from)
                    ));
                }
                None => {}
            }
            if !self.highlighted.is_empty() && ui.button("Clear highlight").clicked() {
                self.highlighted.clear();
            }
        });
    }

    fn filters_menu_ui(&mut self, ui: &mut Ui, case: &Case) {
        ui.checkbox(&mut self.filters.only_supported, "Only supported items")
            .on_hover_text("Hide entities that no evidence supports (drawn with a dashed ring)");
        ui.separator();
        ui.label("Entity kinds");
        for kind in EntityKind::ALL {
            let mut shown = !self.filters.hidden_kinds.contains(&kind);
            let text = format!("{} {}", crate::ui::theme::entity_icon(kind), kind.label());
            if ui.checkbox(&mut shown, text).changed() {
                if shown {
                    self.filters.hidden_kinds.remove(&kind);
                } else {
                    self.filters.hidden_kinds.insert(kind);
                }
            }
        }
        let tags: BTreeSet<&String> = case.entities.values().flat_map(|e| &e.tags).collect();
        if !tags.is_empty() {
            ui.separator();
            ui.label("Tags");
            for tag in tags {
                let mut shown = !self.filters.hidden_tags.contains(tag);
                if ui.checkbox(&mut shown, tag.as_str()).changed() {
                    if shown {
                        self.filters.hidden_tags.remove(tag);
                    } else {
                        self.filters.hidden_tags.insert(tag.clone());
                    }
                }
            }
        }
        ui.separator();
        ui.label("Node size");
        for size in SizeBy::ALL {
            ui.radio_value(&mut self.size_by, size, size.label());
        }
        ui.separator();
        ui.checkbox(&mut self.show_map, "World map behind the graph");
        if !self.filters.hidden.is_empty()
            && ui
                .button(format!(
                    "Show {} hidden entities",
                    self.filters.hidden.len()
                ))
                .clicked()
        {
            self.filters.hidden.clear();
        }
    }

    // ---- hit testing --------------------------------------------------------------------------

    fn handle_screen_pos(&self, rect: Rect, i: usize) -> Pos2 {
        let n = &self.scene.nodes[i];
        let c = self.screen_from_canvas(rect, self.node_pos(i));
        c + vec2(
            self.node_radius_px(n.radius) + crate::ui::theme::CANVAS_HANDLE_RADIUS + 3.0,
            0.0,
        )
    }

    /// The node whose link handle is shown: the single selected or the hovered entity.
    fn handle_node(&self) -> Option<usize> {
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
                    .and_then(|s| self.scene.index.get(s))
                    .copied()
            })
            .flatten();
        hovered
            .or(single)
            .filter(|&i| matches!(self.scene.nodes[i].item, ItemRef::Entity(_)))
    }

    fn hit(&self, rect: Rect, screen: Pos2) -> Option<Hit> {
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
            for seg in self.route_segments_at(&at, i, Some(probe), 16) {
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
    fn edge_points(&self, i: usize) -> Vec<Pos2> {
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

    /// Hops of a route as canvas-space polylines of `segments` pieces, with node places from
    /// `at` (see [`Self::frame_positions`]). Hops whose bounding box misses `view` are left out
    /// before they are flattened, and a route with no hop in view allocates nothing (most
    /// routes, on a big case zoomed in).
    fn route_segments_at(
        &self,
        at: &[Pos2],
        i: usize,
        view: Option<Rect>,
        segments: usize,
    ) -> Vec<Vec<Pos2>> {
        let r = &self.scene.routes[i];
        let shown = |w: &[usize]| {
            view.is_none_or(|view| {
                geometry::curve_may_meet_rect(at[w[0]], at[w[1]], r.bend, view.expand(40.0))
            })
        };
        if !r.stops.windows(2).any(shown) {
            return Vec::new();
        }
        r.stops
            .windows(2)
            .filter(|w| shown(w))
            .map(|w| {
                let (a, b) = (at[w[0]], at[w[1]]);
                let c = geometry::control_point(a, b, r.bend);
                geometry::flatten(a, c, b, segments)
            })
            .collect()
    }

    fn item_of_hit(&self, hit: &Hit) -> ItemRef {
        match hit {
            Hit::Node(i) | Hit::Handle(i) => self.scene.nodes[*i].item.clone(),
            Hit::Edge(i) => ItemRef::Link(self.scene.edges[*i].link.clone()),
            Hit::Route(i) => ItemRef::Shipment(self.scene.routes[*i].shipment.clone()),
            Hit::Note(i) => ItemRef::Note(self.scene.notes[*i].id.clone()),
            Hit::GroupTitle(i) => ItemRef::Group(self.scene.groups[*i].id.clone()),
        }
    }

    // ---- input --------------------------------------------------------------------------------

    fn set_selection(&mut self, items: Vec<ItemRef>, add: bool, actions: &mut Vec<Action>) {
        if !add {
            self.selected.clear();
        }
        let mut last = None;
        for item in items {
            if add && self.selected.contains(&item) && self.selected.len() > 1 {
                self.selected.remove(&item);
            } else {
                self.selected.insert(item.clone());
                last = Some(item);
            }
        }
        let primary = last.or_else(|| {
            self.primary
                .clone()
                .filter(|p| self.selected.contains(p))
                .or_else(|| self.selected.first().cloned())
        });
        if primary != self.primary {
            self.primary = primary.clone();
            actions.push(Action::Focus(primary));
        }
    }

    /// Narrows the selection to `items`, keeping the primary if it is among them (the
    /// inspector is told when the primary goes).
    fn keep_selection(&mut self, mut items: Vec<ItemRef>, actions: &mut Vec<Action>) {
        if let Some(p) = &self.primary
            && let Some(k) = items.iter().position(|i| i == p)
        {
            let p = items.remove(k);
            items.push(p);
        }
        self.set_selection(items, false, actions);
    }

    #[allow(clippy::too_many_lines)]
    fn handle_input(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        case: &Case,
        keys: bool,
        actions: &mut Vec<Action>,
    ) {
        let rect = response.rect;
        let pointer = ui.input(|i| i.pointer.interact_pos().or(i.pointer.hover_pos()));
        let modifiers = ui.input(|i| i.modifiers);
        // While a button is held, what was under the press stays the hover: a quick drag can
        // leave a node (or its link handle) before egui reports the drag as started, and the
        // gesture must start from what was pressed, not from where the pointer has got to.
        let pressed = ui.input(|i| i.pointer.any_down()) && response.is_pointer_button_down_on();
        if matches!(self.gesture, Gesture::None) && !(pressed && self.hover.is_some()) {
            self.hover = pointer
                .filter(|p| response.contains_pointer() && rect.contains(*p))
                .and_then(|p| self.hit(rect, p));
        }

        // Zoom: wheel (to the cursor), pinch or Ctrl+wheel.
        if response.contains_pointer()
            && let Some(p) = pointer
        {
            let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta()));
            if pinch != 1.0 {
                self.zoom_at(p, pinch);
            } else if scroll.y != 0.0 {
                self.zoom_at(p, (scroll.y * 0.0025).exp());
            }
        }

        // Drags.
        let typing = ui.ctx().egui_wants_keyboard_input();
        if keys && !typing {
            self.space_down = ui.input(|i| i.key_down(Key::Space));
        }
        if response.drag_started() {
            let origin = ui
                .input(|i| i.pointer.press_origin())
                .unwrap_or(rect.center());
            let middle = ui.input(|i| i.pointer.middle_down());
            let hit = self.hit(rect, origin);
            self.gesture = if middle || self.space_down {
                Gesture::Pan
            } else {
                match hit {
                    Some(Hit::Handle(i)) => Gesture::Connect {
                        from: i,
                        to: self.canvas_from_screen(rect, origin),
                    },
                    Some(Hit::Node(i)) => {
                        let item = self.scene.nodes[i].item.clone();
                        if !self.selected.contains(&item) {
                            self.set_selection(vec![item], modifiers.shift, actions);
                        }
                        self.move_gesture_for_selection(Some(i))
                    }
                    Some(Hit::GroupTitle(g)) => {
                        let members: Vec<ItemRef> = self.scene.groups[g]
                            .members
                            .iter()
                            .cloned()
                            .map(ItemRef::Entity)
                            .collect();
                        self.set_selection(members, false, actions);
                        self.move_gesture_for_selection(None)
                    }
                    Some(Hit::Note(i)) => {
                        let item = ItemRef::Note(self.scene.notes[i].id.clone());
                        self.set_selection(vec![item], false, actions);
                        Gesture::MoveNote {
                            index: i,
                            delta: Vec2::ZERO,
                        }
                    }
                    _ if modifiers.shift || modifiers.command => {
                        let p = self.canvas_from_screen(rect, origin);
                        Gesture::BoxSelect {
                            from: p,
                            to: p,
                            add: modifiers.shift,
                        }
                    }
                    _ => Gesture::Pan,
                }
            };
        }
        let drag = response.drag_delta();
        let pointer_canvas = pointer.map(|p| self.canvas_from_screen(rect, p));
        if response.dragged() {
            match &mut self.gesture {
                Gesture::Pan => {
                    self.center -= drag / self.zoom;
                    self.camera_move = None;
                }
                Gesture::Move { delta, .. } | Gesture::MoveNote { delta, .. } => {
                    *delta += drag / self.zoom;
                }
                Gesture::BoxSelect { to, .. } | Gesture::Connect { to, .. } => {
                    if let Some(p) = pointer_canvas {
                        *to = p;
                    }
                }
                Gesture::None => {}
            }
        }
        if response.drag_stopped() {
            let gesture = std::mem::replace(&mut self.gesture, Gesture::None);
            self.finish_gesture(gesture, case, rect, pointer, actions);
        }

        // Clicks.
        if response.clicked() {
            let hit = pointer.and_then(|p| self.hit(rect, p));
            if let Some(pick) = self.pick.take() {
                let target = match &hit {
                    Some(Hit::Node(i)) => match &self.scene.nodes[*i].item {
                        ItemRef::Entity(to) => Some(to.clone()),
                        _ => None,
                    },
                    _ => None,
                };
                match (pick, target) {
                    (PendingPick::Path(from), Some(to)) => {
                        self.find_path(case, &from, &to, actions);
                    }
                    (PendingPick::Link(from), Some(to)) if from != to => {
                        self.picker = Some(Picker::Connect {
                            from,
                            to,
                            screen: pointer.unwrap_or(rect.center()),
                        });
                    }
                    (PendingPick::Link(_), Some(_)) => actions.push(Action::Info(
                        "Cancelled: that is the same entity; click another one to link or ship to"
                            .into(),
                    )),
                    _ => actions.push(Action::Info("Cancelled: no entity clicked".into())),
                }
                return;
            }
            {
                let item = hit.as_ref().map(|h| self.item_of_hit(h));
                match item {
                    Some(item) => {
                        self.set_selection(
                            vec![item],
                            modifiers.shift || modifiers.command,
                            actions,
                        );
                    }
                    None if !modifiers.shift => self.set_selection(Vec::new(), false, actions),
                    None => {}
                }
            }
            self.picker = None;
        }
        if response.double_clicked() {
            let p = pointer.unwrap_or(rect.center());
            match self.hit(rect, p) {
                None => {
                    self.picker = Some(Picker::NewEntity {
                        at: self.canvas_from_screen(rect, p),
                        screen: p,
                    });
                }
                Some(Hit::Node(i)) => {
                    if let ItemRef::Group(g) = &self.scene.nodes[i].item
                        && let Some(group) = case.groups.get(g)
                    {
                        actions.push(toggle_group(group));
                    }
                }
                Some(Hit::GroupTitle(g)) => {
                    if let Some(group) = case.groups.get(&self.scene.groups[g].id) {
                        actions.push(toggle_group(group));
                    }
                }
                _ => {}
            }
        }
        if response.secondary_clicked() {
            let p = pointer.unwrap_or(rect.center());
            let hit = self.hit(rect, p);
            if let Some(item) = hit.as_ref().map(|h| self.item_of_hit(h))
                && !self.selected.contains(&item)
            {
                self.set_selection(vec![item], false, actions);
            }
            self.context = Some((hit, self.canvas_from_screen(rect, p)));
        }

        if keys && !typing {
            self.handle_keys(ui, case, actions);
        }
    }

    fn move_gesture_for_selection(&self, grabbed: Option<usize>) -> Gesture {
        let mut ids = Vec::new();
        let mut nodes = HashSet::new();
        for item in &self.selected {
            let Some(&i) = self.scene.index.get(item) else {
                continue;
            };
            let node = &self.scene.nodes[i];
            match item {
                ItemRef::Entity(id) => {
                    ids.push(id.clone());
                    nodes.insert(i);
                }
                ItemRef::Group(_) => {
                    ids.extend(node.members.iter().cloned());
                    nodes.insert(i);
                }
                _ => {}
            }
        }
        if let Some(i) = grabbed {
            nodes.insert(i);
            let node = &self.scene.nodes[i];
            match &node.item {
                ItemRef::Entity(id) if !ids.contains(id) => ids.push(id.clone()),
                ItemRef::Group(_) => ids.extend(node.members.iter().cloned()),
                _ => {}
            }
        }
        // Members of a collapsed group that are themselves selected move once.
        ids.sort();
        ids.dedup();
        Gesture::Move {
            ids,
            nodes,
            delta: Vec2::ZERO,
        }
    }

    fn finish_gesture(
        &mut self,
        gesture: Gesture,
        case: &Case,
        rect: Rect,
        pointer: Option<Pos2>,
        actions: &mut Vec<Action>,
    ) {
        match gesture {
            Gesture::Move { ids, delta, .. } if delta.length() > 0.0 => {
                let moves: Vec<(EntityId, Option<NodePosition>)> = ids
                    .iter()
                    .filter_map(|id| {
                        let base = self.scene.entity_positions.get(id)?;
                        let pinned = case.positions.get(id).is_some_and(|p| p.pinned);
                        Some((
                            id.clone(),
                            Some(NodePosition {
                                x: base.x + delta.x,
                                y: base.y + delta.y,
                                pinned,
                            }),
                        ))
                    })
                    .collect();
                let label = if moves.len() == 1 {
                    format!("Move {}", case.entity_name(&moves[0].0))
                } else {
                    format!("Move {} entities", moves.len())
                };
                actions.push(Action::Apply {
                    label,
                    edit: Edit::SetPositions(moves),
                    select: None,
                });
            }
            Gesture::MoveNote { index, delta } if delta.length() > 0.0 => {
                let id = &self.scene.notes[index].id;
                if let Some(note) = case.notes.get(id) {
                    let mut note = note.clone();
                    let old = self.scene.notes[index].rect.min;
                    note.canvas = Some(CanvasPoint {
                        x: old.x + delta.x,
                        y: old.y + delta.y,
                    });
                    actions.push(Action::Apply {
                        label: format!("Move note {}", note.title),
                        edit: Edit::Replace(note.into()),
                        select: None,
                    });
                }
            }
            Gesture::BoxSelect { from, to, add } => {
                let items = self.scene.entities_in(Rect::from_two_pos(from, to));
                let notes: Vec<ItemRef> = self
                    .scene
                    .notes
                    .iter()
                    .filter(|n| Rect::from_two_pos(from, to).contains_rect(n.rect))
                    .map(|n| ItemRef::Note(n.id.clone()))
                    .collect();
                let count = items.len() + notes.len();
                self.set_selection(items.into_iter().chain(notes).collect(), add, actions);
                actions.push(Action::Info(format!("Selected {count} item(s)")));
            }
            Gesture::Connect { from, .. } => {
                let target = pointer.and_then(|p| self.hit(rect, p));
                let from_id = match &self.scene.nodes[from].item {
                    ItemRef::Entity(id) => id.clone(),
                    _ => return,
                };
                match target {
                    Some(Hit::Node(to) | Hit::Handle(to)) if to != from => {
                        if let ItemRef::Entity(to_id) = &self.scene.nodes[to].item {
                            self.picker = Some(Picker::Connect {
                                from: from_id,
                                to: to_id.clone(),
                                screen: pointer.unwrap_or(rect.center()),
                            });
                        }
                    }
                    _ => actions.push(Action::Info(
                        "Drop the handle on another entity to link the two".into(),
                    )),
                }
            }
            _ => {}
        }
    }

    fn handle_keys(&mut self, ui: &Ui, case: &Case, actions: &mut Vec<Action>) {
        for command in UiCommand::pressed(ui.ctx(), Scope::Canvas) {
            self.run_command(ui.ctx(), case, command, actions);
        }
        let centre = self.last_rect.center();
        // Copy and paste arrive as events, not keys.
        let events = ui.input(|i| i.events.clone());
        for event in events {
            match event {
                egui::Event::Copy => self.run_command(ui.ctx(), case, UiCommand::Copy, actions),
                egui::Event::Cut => self.run_command(ui.ctx(), case, UiCommand::Cut, actions),
                egui::Event::Paste(text) => {
                    let now = ui.input(|i| i.time);
                    let asked = self.paste_at.take().filter(|(_, t)| now - t < 2.0);
                    let at = asked.map_or_else(
                        || {
                            self.canvas_from_screen(
                                self.last_rect,
                                ui.input(|i| i.pointer.hover_pos()).unwrap_or(centre),
                            )
                        },
                        |(p, _)| p,
                    );
                    self.paste(case, &text, at, actions);
                }
                _ => {}
            }
        }
    }

    /// Runs a canvas command (its key pressed on the canvas, or chosen in the palette or a
    /// menu). Paste needs the clipboard's text and so arrives only as the system's event.
    pub fn run_command(
        &mut self,
        ctx: &egui::Context,
        case: &Case,
        command: UiCommand,
        actions: &mut Vec<Action>,
    ) {
        let now = ctx.input(|i| i.time);
        let centre = self.last_rect.center();
        match command {
            UiCommand::FitAll => self.fit_all(ctx, now, true),
            UiCommand::FitSelection => self.fit_selection(ctx, now),
            UiCommand::ZoomIn => self.zoom_at(centre, 1.25),
            UiCommand::ZoomOut => self.zoom_at(centre, 1.0 / 1.25),
            UiCommand::SelectAll => {
                let all: Vec<ItemRef> = self.scene.nodes.iter().map(|n| n.item.clone()).collect();
                self.set_selection(all, false, actions);
            }
            UiCommand::CancelOrClear => {
                if let Some(run) = &self.layout {
                    run.cancel();
                } else if self.picker.is_some() || self.pick.is_some() {
                    self.picker = None;
                    self.pick = None;
                } else if !matches!(self.gesture, Gesture::None) {
                    self.gesture = Gesture::None;
                } else {
                    self.set_selection(Vec::new(), false, actions);
                    self.highlighted.clear();
                }
            }
            UiCommand::Copy => {
                if let Some(text) = self.copy_selection(case) {
                    ctx.copy_text(text);
                    actions.push(Action::Info("Copied the selection".into()));
                }
            }
            UiCommand::Cut => {
                // Copy, then delete what was copied through the app's delete path (its
                // confirmation when links go along, one undo step).
                if let Some(text) = self.copy_selection(case) {
                    ctx.copy_text(text);
                    let entities = self
                        .selected
                        .iter()
                        .filter(|i| matches!(i, ItemRef::Entity(_)))
                        .cloned()
                        .collect();
                    actions.push(Action::Delete(entities));
                }
            }
            _ => {}
        }
    }

    // ---- commands from menus --------------------------------------------------------------------

    pub fn open_search(&mut self) {
        self.search.open = true;
        self.search.focus = true;
    }

    /// Entities within `hops` links or shipments of `start`.
    fn neighbourhood(case: &Case, start: &EntityId, hops: usize) -> BTreeSet<EntityId> {
        let adjacency = adjacency(case);
        let mut seen: BTreeSet<EntityId> = [start.clone()].into();
        let mut frontier = vec![start.clone()];
        for _ in 0..hops {
            let mut next = Vec::new();
            for id in &frontier {
                for n in adjacency.get(id).into_iter().flatten() {
                    if seen.insert(n.clone()) {
                        next.push(n.clone());
                    }
                }
            }
            frontier = next;
        }
        seen
    }

    /// Shortest path (fewest hops over links and shipments) highlighted on the canvas.
    fn find_path(
        &mut self,
        case: &Case,
        from: &EntityId,
        to: &EntityId,
        actions: &mut Vec<Action>,
    ) {
        let adjacency = adjacency(case);
        let mut previous: HashMap<EntityId, EntityId> = HashMap::new();
        let mut queue = VecDeque::from([from.clone()]);
        let mut seen: HashSet<EntityId> = [from.clone()].into();
        while let Some(id) = queue.pop_front() {
            if &id == to {
                break;
            }
            for n in adjacency.get(&id).into_iter().flatten() {
                if seen.insert(n.clone()) {
                    previous.insert(n.clone(), id.clone());
                    queue.push_back(n.clone());
                }
            }
        }
        if !seen.contains(to) {
            actions.push(Action::Info(format!(
                "No path between {} and {}",
                case.entity_name(from),
                case.entity_name(to)
            )));
            return;
        }
        let mut path = vec![to.clone()];
        while let Some(p) = previous.get(path.last().unwrap_or(to)) {
            path.push(p.clone());
        }
        path.reverse();
        self.highlighted = path.iter().cloned().map(ItemRef::Entity).collect();
        for w in path.windows(2) {
            for l in case.links.values() {
                if (l.from == w[0] && l.to == w[1]) || (l.from == w[1] && l.to == w[0]) {
                    self.highlighted.insert(ItemRef::Link(l.id.clone()));
                }
            }
        }
        let names: Vec<String> = path.iter().map(|id| case.entity_name(id)).collect();
        actions.push(Action::Info(format!(
            "Shortest path ({} hops): {}",
            path.len() - 1,
            names.join(" → ")
        )));
    }

    fn copy_selection(&self, case: &Case) -> Option<String> {
        let ids: BTreeSet<&EntityId> = self
            .selected
            .iter()
            .filter_map(|i| match i {
                ItemRef::Entity(id) => Some(id),
                _ => None,
            })
            .collect();
        if ids.is_empty() {
            return None;
        }
        let clip = Clip {
            entities: ids
                .iter()
                .filter_map(|id| case.entities.get(*id).cloned())
                .collect(),
            links: case
                .links
                .values()
                .filter(|l| ids.contains(&l.from) && ids.contains(&l.to))
                .cloned()
                .collect(),
            positions: ids
                .iter()
                .filter_map(|id| {
                    let i = self.scene.node_of(id)?;
                    let p = self.scene.nodes[i].pos;
                    Some(((*id).clone(), CanvasPoint { x: p.x, y: p.y }))
                })
                .collect(),
        };
        let body = ron::ser::to_string_pretty(&clip, ron::ser::PrettyConfig::default()).ok()?;
        Some(format!("{CLIP_MARKER}{body}"))
    }

    fn paste(&mut self, case: &Case, text: &str, at: Pos2, actions: &mut Vec<Action>) {
        let Some(body) = text.strip_prefix(CLIP_MARKER) else {
            actions.push(Action::Info(
                "The clipboard holds no Chokepoint entities to paste".into(),
            ));
            return;
        };
        let clip: Clip = match ron::from_str(body) {
            Ok(c) => c,
            Err(e) => {
                actions.push(Action::Error(format!("Cannot paste: {e}")));
                return;
            }
        };
        match build_paste(case, clip, at) {
            Ok((edit, pasted)) => {
                let count = pasted.len();
                self.selected = pasted.into_iter().map(ItemRef::Entity).collect();
                self.primary = self.selected.first().cloned();
                // No `select`: the app would make the primary the only selection, and all the
                // pasted entities stay selected (a drag moves them together). The inspector
                // shows the primary once the edit is in.
                actions.push(Action::Apply {
                    label: format!("Paste {count} entities"),
                    edit,
                    select: None,
                });
                actions.push(Action::Focus(self.primary.clone()));
            }
            Err(e) => actions.push(Action::Error(format!("Cannot paste: {e}"))),
        }
    }

    fn start_layout(&mut self, kind: crate::layout::LayoutKind, case: &Case, on_selection: bool) {
        if let Some(run) = &self.layout {
            run.cancel();
        }
        let only: Option<BTreeSet<EntityId>> = on_selection.then(|| {
            self.selected
                .iter()
                .filter_map(|i| match i {
                    ItemRef::Entity(id) => Some(id.clone()),
                    _ => None,
                })
                .collect()
        });
        if kind == crate::layout::LayoutKind::Geographic {
            self.show_map = true;
        }
        self.layout = Some(LayoutRun::start(kind, case, only.as_ref()));
    }

    // ---- accessibility -------------------------------------------------------------------------

    /// Registers visible nodes as labelled widgets, so screen readers (and UI tests) find them.
    fn accessibility_ui(&self, ui: &Ui, rect: Rect, case: &Case) {
        if let Some(i) = self.handle_node()
            && let ItemRef::Entity(e) = &self.scene.nodes[i].item
        {
            let c = self.handle_screen_pos(rect, i);
            let r = crate::ui::theme::CANVAS_HANDLE_RADIUS;
            let response = ui.interact(
                Rect::from_center_size(c, Vec2::splat(2.0 * r)),
                ui.scope_id().with("link_handle"),
                Sense::hover(),
            );
            let label = format!("Link from {}", case.entity_name(e));
            response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label.clone()));
        }
        let view = self.visible_canvas_rect(rect);
        if self
            .scene
            .grid
            .count_at_most(&self.scene.nodes, view, ACCESSIBLE_NODE_LIMIT + 1)
            > ACCESSIBLE_NODE_LIMIT
        {
            return;
        }
        let visible = self.scene.grid.query_rect(&self.scene.nodes, view);
        for i in visible {
            let node = &self.scene.nodes[i];
            let c = self.screen_from_canvas(rect, self.node_pos(i));
            let r = self.node_radius_px(node.radius).max(4.0);
            let id = ui.scope_id().with(("node", node.item.id_str()));
            let response = ui.interact(
                Rect::from_center_size(c, Vec2::splat(2.0 * r)),
                id,
                Sense::hover(),
            );
            let selected = self.selected.contains(&node.item);
            let label = match &node.item {
                ItemRef::Entity(e) => case.entities.get(e).map_or_else(
                    || node.label.clone(),
                    |e| format!("{} ({})", e.name, e.kind.label()),
                ),
                _ => format!("{} (group)", node.label),
            };
            response.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::Button, true, selected, label.clone())
            });
        }
    }
}

/// Neighbours over links and shipment routes, both directions.
fn adjacency(case: &Case) -> HashMap<EntityId, Vec<EntityId>> {
    let mut adj: HashMap<EntityId, Vec<EntityId>> = HashMap::new();
    let mut add = |a: &EntityId, b: &EntityId| {
        if a != b {
            adj.entry(a.clone()).or_default().push(b.clone());
            adj.entry(b.clone()).or_default().push(a.clone());
        }
    };
    for l in case.links.values() {
        add(&l.from, &l.to);
    }
    let places = scene::JurisdictionIndex::new(case);
    for s in case.shipments.values() {
        // Along the drawn route, then on to the declared end user.
        let stops: Vec<&EntityId> = scene::route_stops(s, &places)
            .chain(&s.declared_end_user)
            .collect();
        for w in stops.windows(2) {
            add(w[0], w[1]);
        }
    }
    for list in adj.values_mut() {
        list.sort();
        list.dedup();
    }
    adj
}

fn toggle_group(group: &Group) -> Action {
    let mut g = group.clone();
    g.collapsed = !g.collapsed;
    Action::Apply {
        label: format!(
            "{} group {}",
            if g.collapsed { "Collapse" } else { "Expand" },
            g.title
        ),
        edit: Edit::Replace(g.into()),
        select: None,
    }
}

/// The title tab drawn above a group's box (canvas units).
pub fn title_rect(group: Rect) -> Rect {
    Rect::from_min_size(group.min, vec2(group.width().min(260.0), 26.0))
}

/// A graph measure that node sizes can follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SizeBy {
    #[default]
    Uniform,
    Degree,
    Betweenness,
    PageRank,
}

impl SizeBy {
    pub const ALL: [SizeBy; 4] = [
        SizeBy::Uniform,
        SizeBy::Degree,
        SizeBy::Betweenness,
        SizeBy::PageRank,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SizeBy::Uniform => "Same size",
            SizeBy::Degree => "Degree (number of connections)",
            SizeBy::Betweenness => "Betweenness (brokers between groups)",
            SizeBy::PageRank => "PageRank (connected to the well connected)",
        }
    }

    /// Exact betweenness is quadratic-ish; beyond this many entities it is left to the CLI.
    pub const BETWEENNESS_LIMIT: usize = 3_000;

    fn measure(self, case: &Case) -> Option<std::collections::BTreeMap<EntityId, f64>> {
        let graph = || crate::analysis::CaseGraph::build(case);
        match self {
            SizeBy::Uniform => None,
            #[allow(clippy::cast_precision_loss)]
            SizeBy::Degree => Some(
                graph()
                    .degree()
                    .into_iter()
                    .map(|(k, v)| (k, v as f64))
                    .collect(),
            ),
            SizeBy::Betweenness => Some(graph().betweenness()),
            SizeBy::PageRank => Some(graph().pagerank()),
        }
    }
}

/// What Ctrl+C puts on the clipboard: entities, the links among them, and their places.
#[derive(serde::Serialize, serde::Deserialize)]
struct Clip {
    entities: Vec<Entity>,
    links: Vec<Link>,
    positions: Vec<(EntityId, CanvasPoint)>,
}

/// Pasted entities get fresh ids (links follow them), placed around `at`; one undo step.
fn build_paste(case: &Case, clip: Clip, at: Pos2) -> Result<(Edit, Vec<EntityId>), String> {
    if clip.entities.is_empty() {
        return Err("nothing to paste".into());
    }
    let mut taken: HashSet<String> = HashSet::new();
    let mut renamed: HashMap<EntityId, EntityId> = HashMap::new();
    let mut edits = Vec::new();
    // One allocator for the whole paste: many copies of one name stay linear.
    let mut fresh_ids = crate::model::FreshIds::default();
    for mut e in clip.entities {
        let fresh = fresh_ids.fresh("e", &e.name, |s| {
            taken.contains(s) || case.entities.contains_key(&EntityId::new(s))
        });
        taken.insert(fresh.clone());
        let new_id = EntityId::new(fresh);
        renamed.insert(e.id.clone(), new_id.clone());
        e.id = new_id;
        edits.push(Edit::Insert(e.into()));
    }
    let mut link_taken: HashSet<String> = HashSet::new();
    for mut l in clip.links {
        let (Some(from), Some(to)) = (renamed.get(&l.from), renamed.get(&l.to)) else {
            continue;
        };
        l.from = from.clone();
        l.to = to.clone();
        let fresh = fresh_ids.fresh("l", &format!("{} {}", l.from, l.to), |s| {
            link_taken.contains(s) || case.links.contains_key(&crate::model::LinkId::new(s))
        });
        link_taken.insert(fresh.clone());
        l.id = crate::model::LinkId::new(fresh);
        edits.push(Edit::Insert(l.into()));
    }
    // Keep the copied arrangement, centred on the paste point.
    let n = clip.positions.len().max(1);
    #[allow(clippy::cast_precision_loss)]
    let centre = clip
        .positions
        .iter()
        .fold(Vec2::ZERO, |acc, (_, p)| acc + vec2(p.x, p.y))
        / n as f32;
    let positions: Vec<(EntityId, Option<NodePosition>)> = clip
        .positions
        .iter()
        .filter_map(|(id, p)| {
            let new = renamed.get(id)?;
            Some((
                new.clone(),
                Some(NodePosition {
                    x: at.x + p.x - centre.x,
                    y: at.y + p.y - centre.y,
                    pinned: false,
                }),
            ))
        })
        .collect();
    edits.push(Edit::SetPositions(positions));
    let mut pasted: Vec<EntityId> = renamed.into_values().collect();
    pasted.sort();
    // Entities the clipboard holds no place for get one around the paste point.
    let edit = crate::layout::picture::with_places_for_new_entities(
        case,
        Edit::Batch(edits),
        Some(CanvasPoint { x: at.x, y: at.y }),
    );
    Ok((edit, pasted))
}

/// A new entity of `kind` placed at `at`: insert and position as one undo step.
pub fn new_entity_edit(case: &Case, kind: EntityKind, at: Pos2) -> (Edit, EntityId) {
    let name = format!("New {}", kind.label().to_lowercase());
    let id = case.fresh_entity_id(&name);
    let entity = Entity::new(id.clone(), kind, name);
    let edit = Edit::Batch(vec![
        Edit::Insert(entity.into()),
        Edit::SetPositions(vec![(
            id.clone(),
            Some(NodePosition {
                x: at.x,
                y: at.y,
                pinned: false,
            }),
        )]),
    ]);
    (edit, id)
}

/// A link of `tag` from one entity to another.
pub fn new_link_edit(
    case: &Case,
    tag: LinkKindTag,
    from: &EntityId,
    to: &EntityId,
) -> (Edit, ItemRef) {
    let id = case.fresh_link_id(&format!("{from} {to}"));
    let link = Link::new(id.clone(), tag.default_kind(), from.clone(), to.clone());
    (Edit::Insert(link.into()), ItemRef::Link(id))
}

/// A shipment from a shipper to a consignee, with one leg between their countries.
pub fn new_shipment_edit(case: &Case, from: &EntityId, to: &EntityId) -> (Edit, ItemRef) {
    let place = |id: &EntityId| {
        let e = case.entities.get(id);
        Place {
            name: e
                .and_then(|e| e.country.as_ref())
                .map_or_else(|| "Unknown".to_owned(), ToString::to_string),
            country: e.and_then(|e| e.country.clone()),
            entity: None,
        }
    };
    let reference = format!("Shipment {}", case.shipments.len() + 1);
    let id = case.fresh_shipment_id(&reference);
    let shipment = Shipment {
        id: id.clone(),
        reference,
        shipper: Some(from.clone()),
        consignee: Some(to.clone()),
        legs: vec![Leg {
            from: place(from),
            to: place(to),
            ..Leg::default()
        }],
        ..Shipment::default()
    };
    (Edit::Insert(shipment.into()), ItemRef::Shipment(id))
}

/// A sticky note at `at` on the canvas.
pub fn new_note_edit(case: &Case, at: Pos2, author: &str) -> (Edit, ItemRef) {
    let id = NoteId::new(Case::fresh_id("n", "note", |s| {
        case.notes.contains_key(&NoteId::new(s))
    }));
    let now = Timestamp::now();
    let note = Note {
        id: id.clone(),
        title: "New note".to_owned(),
        body: String::new(),
        about: None,
        author: author.to_owned(),
        created: now,
        modified: now,
        canvas: Some(CanvasPoint { x: at.x, y: at.y }),
    };
    (Edit::Insert(note.into()), ItemRef::Note(id))
}

/// A group of the selected entities.
pub fn new_group_edit(case: &Case, members: Vec<EntityId>) -> (Edit, ItemRef) {
    let title = format!("Group {}", case.groups.len() + 1);
    let id = GroupId::new(Case::fresh_id("g", &title, |s| {
        case.groups.contains_key(&GroupId::new(s))
    }));
    let group = Group {
        id: id.clone(),
        title,
        members,
        collapsed: false,
    };
    (Edit::Insert(group.into()), ItemRef::Group(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paste_gives_fresh_ids_and_keeps_links_between_copies() {
        let mut case = crate::seed_case().expect("seed");
        let link = case.links.values().next().expect("a link").clone();
        let mut canvas = Canvas {
            scene: Scene::build(&case, &Filters::default()),
            selected: [
                ItemRef::Entity(link.from.clone()),
                ItemRef::Entity(link.to.clone()),
            ]
            .into(),
            ..Canvas::default()
        };
        let text = canvas.copy_selection(&case).expect("copied");
        let mut actions = Vec::new();
        canvas.paste(&case, &text, egui::pos2(5000.0, 5000.0), &mut actions);
        let Some(Action::Apply { edit, .. }) = actions
            .into_iter()
            .find(|a| matches!(a, Action::Apply { .. }))
        else {
            panic!("expected an edit");
        };
        let entities = case.entities.len();
        let links = case.links.len();
        case.apply(edit).expect("paste applies");
        assert_eq!(case.entities.len(), entities + 2);
        assert!(case.links.len() > links);
        assert!(crate::edit::check_case(&case).is_empty());
    }

    #[test]
    fn foreign_clipboard_text_is_refused_politely() {
        let case = crate::seed_case().expect("seed");
        let mut canvas = Canvas::default();
        let mut actions = Vec::new();
        canvas.paste(&case, "hello", Pos2::ZERO, &mut actions);
        assert!(matches!(actions.as_slice(), [Action::Info(_)]));
    }
}
