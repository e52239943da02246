//! *Find…* on the canvas (Ctrl+F): the search box over the drawing, its matches highlighted,
//! Enter to go to the next one.

use super::Canvas;
use crate::model::{Case, ItemRef};
use crate::ui::action::Action;
use egui::{Rect, Ui, vec2};

impl Canvas {
    pub(super) fn search_ui(
        &mut self,
        ui: &Ui,
        rect: Rect,
        case: &Case,
        actions: &mut Vec<Action>,
    ) {
        if !self.search.open {
            return;
        }
        let now = ui.input(|i| i.time);
        let mut go: Option<isize> = None;
        let mut close = false;
        egui::Area::new(ui.scope_id().with("canvas_search"))
            .order(egui::Order::Foreground)
            .fixed_pos(rect.right_top() + vec2(-340.0, 8.0))
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        let edit = egui::TextEdit::singleline(&mut self.search.text)
                            .hint_text("Name, alias or identifier")
                            .desired_width(200.0);
                        let response = ui.add(edit).labelled_by(ui.label("Find").id);
                        if self.search.focus {
                            response.request_focus();
                            self.search.focus = false;
                        }
                        if response.changed() {
                            let q = self.search.text.to_lowercase();
                            self.search.hits = if q.trim().is_empty() {
                                Vec::new()
                            } else {
                                case.entities
                                    .values()
                                    .filter(|e| e.matches(q.trim()))
                                    .map(|e| e.id.clone())
                                    .collect()
                            };
                            self.search.at = 0;
                            go = Some(0);
                        }
                        if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                            go = Some(1);
                            response.request_focus();
                        }
                        if ui.small_button("▲").on_hover_text("Previous hit").clicked() {
                            go = Some(-1);
                        }
                        if ui.small_button("▼").on_hover_text("Next hit").clicked() {
                            go = Some(1);
                        }
                        if ui.small_button("✖").on_hover_text("Close (Esc)").clicked()
                            || ui.input(|i| i.key_pressed(egui::Key::Escape))
                        {
                            close = true;
                        }
                    });
                    let n = self.search.hits.len();
                    ui.label(if self.search.text.trim().is_empty() {
                        String::new()
                    } else if n == 0 {
                        "No match".to_owned()
                    } else {
                        format!("{} of {n}", self.search.at + 1)
                    });
                });
            });
        if let Some(step) = go
            && !self.search.hits.is_empty()
        {
            let n = self.search.hits.len();
            #[allow(clippy::cast_possible_wrap, clippy::cast_sign_loss)]
            {
                self.search.at = (self.search.at as isize + step).rem_euclid(n as isize) as usize;
            }
            let id = self.search.hits[self.search.at].clone();
            let item = ItemRef::Entity(id.clone());
            self.highlighted = self
                .search
                .hits
                .iter()
                .cloned()
                .map(ItemRef::Entity)
                .collect();
            if self.unhide(case, &id) {
                // Shown again: centred once the scene is rebuilt with it.
                self.pending_reveal = Some((item.clone(), true));
            } else {
                self.centre_on(now, &item);
            }
            self.selected = [item.clone()].into();
            self.primary = Some(item.clone());
            actions.push(Action::Focus(Some(item)));
        }
        if close {
            self.search.open = false;
            self.highlighted.clear();
        }
    }
}
