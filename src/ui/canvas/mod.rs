//! The investigation graph: entities as nodes, links as edges, shipments as routed arrows,
//! groups, sticky notes. The canvas owns only view state (camera, selection set, gestures,
//! filters); every change to the case leaves as an [`Action::Apply`] that the app runs
//! through the edit path, so a whole drag or a whole layout is one undo step.

mod camera;
mod clipboard;
mod draw;
mod fit;
pub mod geometry;
mod hit;
mod input;
mod layout_run;
mod legend;
mod menus;
mod new_entity;
pub mod raster;
pub mod scene;
mod search;
pub mod support;
mod tooltip;
mod views;

use crate::edit::Edit;
use crate::edit::Revision;
use crate::model::{CanvasPoint, Case, EntityId, EntityKind, Group, GroupId, ItemRef};
use crate::ui::action::Action;
use egui::{Pos2, Rect, Sense, Ui, Vec2, vec2};
pub use layout_run::LayoutRun;
use scene::{Filters, Scene};
use std::collections::{BTreeSet, HashSet};

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
    NewEntity(new_entity::NewEntityDraft),
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
    /// The legend in the corner (Show ▸ Legend), and whether it is unfolded.
    pub show_legend: bool,
    /// Unfolded or folded by the user; `None`: unfolded where the canvas has room for it.
    legend_open: Option<bool>,
    /// The palette of entity kinds at the left edge (Show ▸ Entity palette).
    pub show_palette: bool,
    /// The kind the new-entity form offers first: the one added last.
    last_kind: EntityKind,
    /// What is typed in *Show ▸ Worth at least*, read into `filters.min_usd`.
    min_value_text: String,
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
    /// How the far-out view is drawn: live, or from one picture made off the UI thread (see
    /// `raster`). Set by the app from the renderer it runs on and the settings.
    pub far_drawing: raster::FarDrawing,
    /// What the legend lists, for the scene of that generation.
    legend_shown: Option<(u64, legend::Shown)>,
    far_raster: raster::FarRaster,
    /// Counts scene rebuilds, so a picture of the far-out view knows when it is stale.
    scene_generation: u64,
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
            show_legend: true,
            legend_open: None,
            show_palette: true,
            last_kind: EntityKind::Company,
            min_value_text: String::new(),
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
            far_drawing: raster::FarDrawing::Live,
            legend_shown: None,
            far_raster: raster::FarRaster::default(),
            scene_generation: 0,
        }
    }
}

impl Canvas {
    /// The layout being computed, as the status bar shows it.
    pub fn layout_status(&self) -> Option<crate::ui::jobs::JobStatus> {
        self.layout.as_ref().and_then(LayoutRun::status)
    }

    /// Lays out `only` (entities that just arrived without a place of their own: an import),
    /// with the rest of the case as fixed context; applied as one undo step when done.
    pub fn lay_out_arrivals(&mut self, case: &Case, only: &BTreeSet<EntityId>) {
        if let Some(run) = &self.layout {
            run.cancel();
        }
        let kind = crate::layout::LayoutKind::Force;
        self.layout = Some(LayoutRun::start(kind, case, Some(only)));
    }

    /// Whether a layout is being computed or glides into place.
    pub fn is_laying_out(&self) -> bool {
        self.layout.is_some()
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

    /// Whether the far-out view was last drawn as one picture made for its camera (cheap
    /// drawing, see `raster`).
    pub fn far_view_is_picture(&self) -> bool {
        self.far_raster.is_current()
    }

    /// Whether the far-out view waits for its picture (being made, or the camera moving).
    pub fn far_view_is_waiting(&self) -> bool {
        self.far_raster.is_waiting()
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
            self.scene_generation += 1;
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
        self.legend_ui(ui, rect);
        self.palette_ui(ui, rect);
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
            ui.menu_button("Show", |ui| {
                // A long list (every kind and tag) scrolls instead of leaving the screen.
                let room = ui.ctx().content_rect().height() - ui.min_rect().top() - 24.0;
                egui::ScrollArea::vertical()
                    .max_height(room.max(200.0))
                    .show(ui, |ui| self.filters_menu_ui(ui, case));
            });
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
        let mut bundled = !self.filters.unbundled;
        if ui
            .checkbox(&mut bundled, "Bundle links and shipments")
            .on_hover_text(
                "Draw links of one kind between the same two entities, and shipments along the \
                 same parties and route, as one line with their count and totals; off: one \
                 line each",
            )
            .changed()
        {
            self.filters.unbundled = !bundled;
        }
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
        let link_kinds: BTreeSet<crate::model::LinkKindTag> =
            case.links.values().map(|l| l.kind.tag()).collect();
        let claims: BTreeSet<crate::model::ClaimStatus> = case
            .links
            .values()
            .map(|l| l.status)
            .chain(case.shipments.values().map(|s| s.claim))
            .collect();
        if !link_kinds.is_empty() || !claims.is_empty() {
            ui.separator();
        }
        if !link_kinds.is_empty() {
            ui.menu_button("Links", |ui| {
                for kind in link_kinds {
                    let mut shown = !self.filters.hidden_link_kinds.contains(&kind);
                    if ui.checkbox(&mut shown, kind.label()).changed() {
                        if shown {
                            self.filters.hidden_link_kinds.remove(&kind);
                        } else {
                            self.filters.hidden_link_kinds.insert(kind);
                        }
                    }
                }
            });
        }
        if !case.shipments.is_empty()
            || case
                .links
                .values()
                .any(|l| matches!(l.kind, crate::model::LinkKind::Payment { .. }))
        {
            ui.horizontal(|ui| {
                let label = ui.label("Worth at least USD");
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.min_value_text)
                            .hint_text("e.g. 1,000,000")
                            .desired_width(90.0),
                    )
                    .labelled_by(label.id)
                    .on_hover_text(
                        "Shipments and payments worth less are not drawn; those valued only in \
                         another currency, or not at all, stay (nothing is converted)",
                    );
                if r.changed() {
                    let text = self.min_value_text.trim();
                    self.filters.min_usd = if text.is_empty() {
                        None
                    } else {
                        crate::model::parse::quantity(text)
                            .ok()
                            .filter(|v| *v > 0.0)
                            .map(|v| v.round() as u64)
                    };
                }
                let typed = self.min_value_text.trim();
                if !typed.is_empty() && crate::model::parse::quantity(typed).is_err() {
                    ui.colored_label(ui.visuals().error_fg_color, "not a number");
                }
            });
        }
        if !claims.is_empty() {
            ui.menu_button("Links and shipments by claim", |ui| {
                for claim in claims {
                    let mut shown = !self.filters.hidden_claims.contains(&claim);
                    if ui.checkbox(&mut shown, claim.label()).changed() {
                        if shown {
                            self.filters.hidden_claims.remove(&claim);
                        } else {
                            self.filters.hidden_claims.insert(claim);
                        }
                    }
                }
            });
        }
        ui.separator();
        ui.label("Node size");
        for size in SizeBy::ALL {
            ui.radio_value(&mut self.size_by, size, size.label());
        }
        ui.separator();
        ui.checkbox(&mut self.show_map, "World map behind the graph");
        ui.checkbox(&mut self.show_legend, "Legend")
            .on_hover_text("Shapes, colours and line styles of the chart, in its corner");
        ui.checkbox(&mut self.show_palette, "Entity palette")
            .on_hover_text(
                "The kinds of entity along the left edge: click one, or drag it onto the chart",
            );
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

/// A point of the screen's canvas space as the case stores it.
pub(super) fn canvas_point(p: Pos2) -> CanvasPoint {
    CanvasPoint { x: p.x, y: p.y }
}
