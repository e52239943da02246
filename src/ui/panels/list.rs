//! The item list: entities, links and shipments with a filter box. Rows are virtualised and the
//! filtered list is cached on the case revision, so it stays fast on 100k-entity cases.

use crate::edit::Revision;
use crate::model::{Case, EntityKind, ItemRef};
use crate::ui::action::Action;
use crate::ui::commands::UiCommand;
use crate::ui::theme;
use egui::{RichText, Ui};
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ListTab {
    #[default]
    Entities,
    Links,
    Shipments,
}

#[derive(Default)]
pub struct ItemList {
    pub tab: ListTab,
    pub filter: String,
    pub kind_filter: Option<EntityKind>,
    /// Ask the filter box to take keyboard focus next frame (Ctrl+F).
    pub focus_filter: bool,
    cache_key: Option<(Revision, ListTab, String, Option<EntityKind>)>,
    rows: Vec<(ItemRef, String, String)>,
}

impl ItemList {
    fn refresh(&mut self, case: &Case, revision: Revision) {
        let key = (revision, self.tab, self.filter.clone(), self.kind_filter);
        if self.cache_key.as_ref() == Some(&key) {
            return;
        }
        let q = self.filter.trim().to_lowercase();
        self.rows.clear();
        match self.tab {
            ListTab::Entities => {
                for e in case.entities.values() {
                    if self.kind_filter.is_some_and(|k| k != e.kind) || !e.matches(&q) {
                        continue;
                    }
                    let mut detail = e.kind.label().to_owned();
                    if let Some(c) = &e.country {
                        let _ = write!(detail, " · {c}");
                    }
                    if let Some(alias) = e.aliases.first() {
                        let _ = write!(detail, " · {alias}");
                    }
                    self.rows.push((
                        ItemRef::Entity(e.id.clone()),
                        format!("{} {}", theme::entity_icon(e.kind), e.name),
                        detail,
                    ));
                }
                self.rows.sort_by_cached_key(|row| row.1.to_lowercase());
            }
            ListTab::Links => {
                for l in case.links.values() {
                    let from = case.entity_name(&l.from);
                    let to = case.entity_name(&l.to);
                    let summary = l.kind.summary();
                    let text = format!("{from} → {to}");
                    let matches = text.to_lowercase().contains(&q)
                        || summary.to_lowercase().contains(&q)
                        || l.id.as_str().contains(&q);
                    if !matches {
                        continue;
                    }
                    self.rows.push((
                        ItemRef::Link(l.id.clone()),
                        text,
                        format!("{summary} · {}", l.status.label()),
                    ));
                }
            }
            ListTab::Shipments => {
                for s in case.shipments.values() {
                    let route = s.route_summary();
                    let matches = s.reference.to_lowercase().contains(&q)
                        || route.to_lowercase().contains(&q)
                        || s.id.as_str().contains(&q)
                        || s.goods
                            .iter()
                            .any(|g| g.description.to_lowercase().contains(&q));
                    if !matches {
                        continue;
                    }
                    let date = s.first_date().map(ToString::to_string).unwrap_or_default();
                    self.rows.push((
                        ItemRef::Shipment(s.id.clone()),
                        format!("🚚 {}", s.reference),
                        format!("{route} · {} · {date}", s.status.label()),
                    ));
                }
            }
        }
        self.cache_key = Some(key);
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        revision: Revision,
        selected: Option<&ItemRef>,
        actions: &mut Vec<Action>,
    ) {
        let counts = case.counts();
        ui.horizontal(|ui| {
            for (tab, label) in [
                (ListTab::Entities, format!("Entities {}", counts.entities)),
                (ListTab::Links, format!("Links {}", counts.links)),
                (
                    ListTab::Shipments,
                    format!("Shipments {}", counts.shipments),
                ),
            ] {
                ui.selectable_value(&mut self.tab, tab, label);
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("Filter").id;
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut self.filter)
                        .hint_text("name, alias, identifier, tag…")
                        .desired_width(ui.available_width() - 30.0),
                )
                .labelled_by(label);
            if self.focus_filter {
                r.request_focus();
                self.focus_filter = false;
            }
            if !self.filter.is_empty()
                && ui.small_button("✖").on_hover_text("Clear filter").clicked()
            {
                self.filter.clear();
            }
        });
        ui.horizontal(|ui| match self.tab {
            ListTab::Entities => {
                let label = ui.label("Show").id;
                egui::ComboBox::from_id_salt("kind_filter")
                    .selected_text(self.kind_filter.map_or("All kinds", |k| k.label()))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.kind_filter, None, "All kinds");
                        for k in EntityKind::ALL {
                            ui.selectable_value(
                                &mut self.kind_filter,
                                Some(k),
                                format!("{} {}", theme::entity_icon(k), k.label()),
                            );
                        }
                    })
                    .response
                    .labelled_by(label);
                if ui
                    .button("+ Entity")
                    .on_hover_text("Add a new entity")
                    .clicked()
                {
                    actions.push(Action::Command(UiCommand::AddEntity));
                }
            }
            ListTab::Links => {
                if ui
                    .button("+ Link")
                    .on_hover_text("Add a link from the selected entity")
                    .clicked()
                {
                    actions.push(Action::Command(UiCommand::AddLink));
                }
            }
            ListTab::Shipments => {
                if ui
                    .button("+ Shipment")
                    .on_hover_text("Add a shipment")
                    .clicked()
                {
                    actions.push(Action::Command(UiCommand::AddShipment));
                }
            }
        });
        ui.separator();
        self.refresh(case, revision);
        if self.rows.is_empty() {
            ui.weak(if self.filter.is_empty() {
                "Nothing here yet."
            } else {
                "No match for this filter."
            });
            return;
        }
        let row_height = theme::LIST_ROW_HEIGHT * 1.6;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show_rows(ui, row_height, self.rows.len(), |ui, range| {
                ui.with_layout(egui::Layout::top_down_justified(egui::Align::LEFT), |ui| {
                    for (item, title, detail) in &self.rows[range] {
                        let is_selected = selected == Some(item);
                        let r = ui
                            .add(
                                egui::Button::selectable(
                                    is_selected,
                                    RichText::new(title.as_str()),
                                )
                                .min_size(egui::vec2(0.0, theme::LIST_ROW_HEIGHT)),
                            )
                            .on_hover_text(detail.as_str());
                        ui.add(
                            egui::Label::new(RichText::new(detail.as_str()).small().weak())
                                .truncate(),
                        );
                        if r.clicked() {
                            actions.push(Action::Select(item.clone()));
                        }
                    }
                });
            });
    }
}
