//! The canvas's input: selection, the pointer's gestures (click, drag, box-select, pan, zoom,
//! link handles, picks), its keys, the canvas commands of the command table, and the path
//! pick's answer.

use super::{Canvas, Gesture, Hit, PendingPick, Picker, toggle_group};
use crate::analysis::graph::CaseGraph;
use crate::edit::Edit;
use crate::model::{CanvasPoint, Case, EntityId, ItemRef, NodePosition};
use crate::ui::action::Action;
use crate::ui::commands::{Scope, UiCommand};
use egui::{Key, Pos2, Rect, Ui, Vec2};
use std::collections::HashSet;

impl Canvas {
    pub(super) fn set_selection(
        &mut self,
        items: Vec<ItemRef>,
        add: bool,
        actions: &mut Vec<Action>,
    ) {
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
    pub(super) fn keep_selection(&mut self, mut items: Vec<ItemRef>, actions: &mut Vec<Action>) {
        if let Some(p) = &self.primary
            && let Some(k) = items.iter().position(|i| i == p)
        {
            let p = items.remove(k);
            items.push(p);
        }
        self.set_selection(items, false, actions);
    }

    #[allow(clippy::too_many_lines)]
    pub(super) fn handle_input(
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
                let items = hit.as_ref().map(|h| self.items_of_hit(h));
                match items {
                    Some(items) => {
                        self.set_selection(items, modifiers.shift || modifiers.command, actions);
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
                None => self.open_new_entity_at(rect, p, None),
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
            if let Some(items) = hit.as_ref().map(|h| self.items_of_hit(h))
                && !items.iter().all(|item| self.selected.contains(item))
            {
                self.set_selection(items, false, actions);
            }
            self.context = Some((hit, self.canvas_from_screen(rect, p)));
        }

        if keys && !typing {
            self.handle_keys(ui, case, actions);
        }
    }

    pub(super) fn move_gesture_for_selection(&self, grabbed: Option<usize>) -> Gesture {
        let mut ids = Vec::new();
        let mut nodes = HashSet::new();
        for item in &self.selected {
            let Some(i) = self.scene.node_of_item(item) else {
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

    pub(super) fn finish_gesture(
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

    pub(super) fn handle_keys(&mut self, ui: &Ui, case: &Case, actions: &mut Vec<Action>) {
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

    /// Shortest path (fewest hops over links, shipment steps and goods) highlighted on the
    /// canvas, with the links and shipments along it.
    pub(super) fn find_path(
        &mut self,
        case: &Case,
        from: &EntityId,
        to: &EntityId,
        actions: &mut Vec<Action>,
    ) {
        let Some(path) = CaseGraph::build(case).shortest_path(from, to) else {
            actions.push(Action::Info(format!(
                "No path between {} and {}",
                case.entity_name(from),
                case.entity_name(to)
            )));
            return;
        };
        self.highlighted = path
            .nodes
            .iter()
            .cloned()
            .map(ItemRef::Entity)
            .chain(path.edges.iter().cloned())
            .collect();
        let names: Vec<String> = path.nodes.iter().map(|id| case.entity_name(id)).collect();
        actions.push(Action::Info(format!(
            "Shortest path ({} hops): {}",
            path.len(),
            names.join(" → ")
        )));
    }
}
