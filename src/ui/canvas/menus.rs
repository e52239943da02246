//! The canvas's popups: the context menu of a node, link, shipment, group or the empty canvas
//! (with the hops of *Show neighbours*), and the pickers it opens (connect, route, group).

use super::{Canvas, PendingPick, Picker};
use crate::model::{Case, EntityKind, ItemRef, LinkKindTag};
use crate::ui::action::Action;
use crate::ui::theme;
use egui::Ui;

impl Canvas {
    pub(super) fn context_menu_ui(
        &mut self,
        response: &egui::Response,
        case: &Case,
        actions: &mut Vec<Action>,
    ) {
        let Some((hit, at)) = self.context.clone() else {
            return;
        };
        let now = response.ctx.input(|i| i.time);
        let mut close = false;
        let mut open_form = None;
        let shown = response.context_menu(|ui| {
            ui.set_min_width(200.0);
            let item = hit.as_ref().map(|h| self.item_of_hit(h));
            match &item {
                Some(ItemRef::Entity(id)) => {
                    let id = id.clone();
                    ui.label(egui::RichText::new(case.entity_name(&id)).strong());
                    if ui.button("Edit in inspector").clicked() {
                        self.primary = Some(ItemRef::Entity(id.clone()));
                        actions.push(Action::Inspect(ItemRef::Entity(id.clone())));
                        close = true;
                    }
                    if ui
                        .button("Link or ship to…")
                        .on_hover_text(
                            "Then click the other entity; or drag the + handle beside the node",
                        )
                        .clicked()
                    {
                        self.pick = Some(PendingPick::Link(id.clone()));
                        close = true;
                    }
                    let pinned = case.positions.get(&id).is_some_and(|p| p.pinned);
                    if ui
                        .button(if pinned {
                            "Unpin"
                        } else {
                            "Pin (layouts leave it put)"
                        })
                        .clicked()
                    {
                        actions.push(self.pin_action(!pinned));
                        close = true;
                    }
                    if ui.button("Hide").clicked() {
                        for item in &self.selected {
                            if let ItemRef::Entity(e) = item {
                                self.filters.hidden.insert(e.clone());
                            }
                        }
                        self.filters.hidden.insert(id.clone());
                        // What is hidden leaves the selection (Delete must not remove unseen
                        // things); the inspector follows.
                        let hidden = &self.filters.hidden;
                        let keep: Vec<ItemRef> = self
                            .selected
                            .iter()
                            .filter(|i| !matches!(i, ItemRef::Entity(e) if hidden.contains(e)))
                            .cloned()
                            .collect();
                        self.keep_selection(keep, actions);
                        close = true;
                    }
                    ui.horizontal(|ui| {
                        if ui.button("Show neighbours").clicked() {
                            let around = crate::analysis::graph::CaseGraph::build(case)
                                .neighbourhood(&id, self.hops);
                            for n in &around {
                                self.filters.hidden.remove(n);
                            }
                            // The clicked entity last, so it stays the primary selection.
                            let items: Vec<ItemRef> = around
                                .into_iter()
                                .filter(|n| *n != id)
                                .chain([id.clone()])
                                .map(ItemRef::Entity)
                                .collect();
                            self.set_selection(items, false, actions);
                            close = true;
                        }
                        ui.add(
                            egui::DragValue::new(&mut self.hops)
                                .range(1..=5)
                                .suffix(" hop(s)"),
                        );
                    });
                    if ui.button("Find paths to…").clicked() {
                        self.pick = Some(PendingPick::Path(id.clone()));
                        close = true;
                    }
                    if self.selected.len() > 1 && ui.button("Group selected").clicked() {
                        let members: Vec<_> = self
                            .selected
                            .iter()
                            .filter_map(|i| match i {
                                ItemRef::Entity(e) => Some(e.clone()),
                                _ => None,
                            })
                            .collect();
                        let (edit, group) = crate::edit::new_group_edit(case, members);
                        actions.push(Action::Apply {
                            label: "Group entities".into(),
                            edit,
                            select: Some(group),
                        });
                        close = true;
                    }
                    ui.separator();
                    if ui.button("Delete").clicked() {
                        actions.push(Action::Delete(self.selected.iter().cloned().collect()));
                        close = true;
                    }
                }
                Some(ItemRef::Group(g)) => {
                    if let Some(group) = case.groups.get(g) {
                        ui.label(egui::RichText::new(&group.title).strong());
                        if ui
                            .button(if group.collapsed {
                                "Expand"
                            } else {
                                "Collapse"
                            })
                            .clicked()
                        {
                            actions.push(super::toggle_group(group));
                            close = true;
                        }
                        if ui.button("Ungroup").clicked() {
                            actions.push(Action::Delete(vec![ItemRef::Group(g.clone())]));
                            close = true;
                        }
                    }
                }
                Some(other) => {
                    ui.label(egui::RichText::new(case.item_label(other)).strong());
                    if ui.button("Edit in inspector").clicked() {
                        self.primary = Some(other.clone());
                        actions.push(Action::Inspect(other.clone()));
                        close = true;
                    }
                    if ui.button("Delete").clicked() {
                        actions.push(Action::Delete(vec![other.clone()]));
                        close = true;
                    }
                }
                None => {
                    ui.menu_button("Add entity here", |ui| {
                        for kind in EntityKind::ALL {
                            if ui
                                .button(format!("{} {}", theme::entity_icon(kind), kind.label()))
                                .clicked()
                            {
                                let rect = self.last_rect;
                                let screen = self.screen_from_canvas(rect, at);
                                open_form = Some((rect, screen, kind));
                                close = true;
                            }
                        }
                    });
                    if ui.button("Add note here").clicked() {
                        let (edit, id) =
                            crate::edit::new_note_edit(case, super::canvas_point(at), "");
                        actions.push(Action::Apply {
                            label: "Add note".into(),
                            edit,
                            select: Some(id),
                        });
                        close = true;
                    }
                    if ui.button("Paste").on_hover_text("Ctrl+V").clicked() {
                        self.paste_at = Some((at, now));
                        ui.ctx()
                            .send_viewport_cmd(egui::ViewportCommand::RequestPaste);
                        close = true;
                    }
                    ui.separator();
                    if ui.button("Fit all").clicked() {
                        self.fit_all(ui.ctx(), now, true);
                        close = true;
                    }
                    if ui.button("Select all").clicked() {
                        let all: Vec<ItemRef> =
                            self.scene.nodes.iter().map(|n| n.item.clone()).collect();
                        self.set_selection(all, false, actions);
                        close = true;
                    }
                }
            }
            if close {
                ui.close();
            }
        });
        if let Some((rect, screen, kind)) = open_form {
            self.open_new_entity_at(rect, screen, Some(kind));
        }
        if shown.is_none() {
            self.context = None;
        }
    }

    fn pin_action(&self, pin: bool) -> Action {
        let moves = self
            .selected
            .iter()
            .filter_map(|i| match i {
                ItemRef::Entity(id) => {
                    let p = self.scene.entity_positions.get(id)?;
                    Some((
                        id.clone(),
                        Some(crate::model::NodePosition {
                            x: p.x,
                            y: p.y,
                            pinned: pin,
                        }),
                    ))
                }
                _ => None,
            })
            .collect::<Vec<_>>();
        Action::Apply {
            label: if pin { "Pin" } else { "Unpin" }.to_owned(),
            edit: crate::edit::Edit::SetPositions(moves),
            select: None,
        }
    }

    pub(super) fn picker_ui(&mut self, ui: &Ui, case: &Case, actions: &mut Vec<Action>) {
        let Some(mut picker) = self.picker.clone() else {
            return;
        };
        let screen = match &picker {
            Picker::NewEntity(draft) => draft.screen,
            Picker::Connect { screen, .. } => *screen,
        };
        let mut done = false;
        let area = egui::Area::new(ui.scope_id().with("canvas_picker"))
            .order(egui::Order::Foreground)
            .fixed_pos(screen)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    match &mut picker {
                        Picker::NewEntity(draft) => {
                            done = self.new_entity_form_ui(ui, case, draft, actions);
                            return;
                        }
                        Picker::Connect { from, to, .. } => {
                            ui.set_max_width(220.0);
                            ui.label(
                                egui::RichText::new(format!(
                                    "{} → {}",
                                    case.entity_name(from),
                                    case.entity_name(to)
                                ))
                                .strong(),
                            );
                            if ui
                                .button(format!("{} Shipment", theme::SHIPMENT_GLYPH))
                                .clicked()
                            {
                                let (edit, item) = crate::edit::new_shipment_edit(case, from, to);
                                actions.push(Action::Apply {
                                    label: "Add shipment".into(),
                                    edit,
                                    select: Some(item),
                                });
                                done = true;
                            }
                            ui.separator();
                            for tag in LinkKindTag::ALL {
                                if ui.button(tag.label()).clicked() {
                                    let (edit, item) =
                                        crate::edit::new_link_edit(case, tag, from, to);
                                    actions.push(Action::Apply {
                                        label: format!("Add link ({})", tag.label()),
                                        edit,
                                        select: Some(item),
                                    });
                                    done = true;
                                }
                            }
                        }
                    }
                    ui.separator();
                    if ui.button("Cancel").clicked() {
                        done = true;
                    }
                });
            });
        // A press on the chart itself closes the picker (not one on the picker, nor on a
        // popup of its own such as the country list).
        let clicked_elsewhere = ui.input(|i| i.pointer.any_pressed())
            && ui.input(|i| i.pointer.interact_pos()).is_some_and(|p| {
                !area.response.rect.contains(p)
                    && ui
                        .ctx()
                        .layer_id_at(p)
                        .is_none_or(|l| l.order < egui::Order::Foreground)
            });
        if done || clicked_elsewhere || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.picker = None;
        } else if matches!(picker, Picker::NewEntity(_))
            && matches!(self.picker, Some(Picker::NewEntity(_)))
        {
            // What was typed into the form this frame.
            self.picker = Some(picker);
        }
    }
}
