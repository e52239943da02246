//! Adding an entity on the canvas: the palette of kinds along the canvas's left edge (click a
//! kind, or drag it to where the entity goes) and the small form that asks for its name and
//! country (Ctrl+E, a double-click on empty canvas and *Add entity here* open it too). The
//! entity is made only when its name is given, so its id follows that name, and adding it is
//! one undo step.

use super::{Canvas, Picker};
use crate::model::{Case, CountryCode, EntityKind, ItemRef};
use crate::ui::action::Action;
use crate::ui::theme;
use crate::ui::widgets::Form;
use egui::{Pos2, Rect, Ui, vec2};

/// What the new-entity form holds until the entity is added.
#[derive(Clone, Debug)]
pub(super) struct NewEntityDraft {
    /// Where the entity goes, in canvas space.
    pub at: Pos2,
    /// Where the form opens on screen.
    pub screen: Pos2,
    pub kind: EntityKind,
    pub name: String,
    pub country: Option<CountryCode>,
    /// A product's export control classification, asked instead of a country.
    pub eccn: String,
    /// Put where nothing else is, near `at` (Ctrl+E, a click on the palette), rather than
    /// exactly at `at` (a double-click, a drop).
    pub free_spot: bool,
    /// The name field takes the focus when the form opens.
    pub focus_name: bool,
    /// Why the last Enter did not add the entity.
    pub problem: Option<String>,
}

/// The palette's button size, in points.
const PALETTE_BUTTON: f32 = 26.0;

impl Canvas {
    /// Opens the new-entity form at the centre of the view, for `kind` or the kind added last.
    pub fn open_new_entity(&mut self, kind: Option<EntityKind>) {
        let rect = self.last_rect;
        self.open_new_entity_at(rect, rect.center(), kind);
        if let Some(Picker::NewEntity(draft)) = &mut self.picker {
            draft.free_spot = true;
        }
    }

    /// Whether the new-entity form is open (for tests and the status bar).
    pub fn new_entity_open(&self) -> bool {
        matches!(self.picker, Some(Picker::NewEntity(_)))
    }

    pub(super) fn open_new_entity_at(
        &mut self,
        rect: Rect,
        screen: Pos2,
        kind: Option<EntityKind>,
    ) {
        self.picker = Some(Picker::NewEntity(NewEntityDraft {
            at: self.canvas_from_screen(rect, screen),
            screen,
            kind: kind.unwrap_or(self.last_kind),
            name: String::new(),
            country: None,
            eccn: String::new(),
            free_spot: false,
            focus_name: true,
            problem: None,
        }));
    }

    /// The form's contents; true when it is finished (added or cancelled).
    pub(super) fn new_entity_form_ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        draft: &mut NewEntityDraft,
        actions: &mut Vec<Action>,
    ) -> bool {
        ui.set_width(270.0);
        ui.label(egui::RichText::new("New entity").strong());
        egui::Grid::new("new_entity_kinds")
            .num_columns(3)
            .spacing(vec2(2.0, 2.0))
            .show(ui, |ui| {
                for (i, kind) in EntityKind::ALL.into_iter().enumerate() {
                    let text = format!("{} {}", theme::entity_icon(kind), kind.label());
                    if ui.selectable_label(draft.kind == kind, text).clicked() {
                        draft.kind = kind;
                        draft.focus_name = true;
                    }
                    if i % 3 == 2 {
                        ui.end_row();
                    }
                }
            });
        ui.add_space(4.0);
        let mut form = Form::new(case, ui.visuals().dark_mode);
        let mut enter = false;
        let mut country_refused = None;
        egui::Grid::new("new_entity_fields")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label("Name").id;
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut draft.name)
                            .hint_text("as the source writes it")
                            .desired_width(190.0),
                    )
                    .labelled_by(label);
                if std::mem::take(&mut draft.focus_name) {
                    r.request_focus();
                }
                enter |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.end_row();
                if draft.kind == EntityKind::Product {
                    // What a product is asked for first: its classification, not a country.
                    let label = ui.label("ECCN").id;
                    let r = ui
                        .add(
                            egui::TextEdit::singleline(&mut draft.eccn)
                                .hint_text("3A090, 4A090, EAR99 …")
                                .desired_width(190.0),
                        )
                        .labelled_by(label);
                    enter |= r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                } else {
                    let label = ui.label("Country").id;
                    let (refused, r) = form.country_field(
                        ui,
                        label,
                        "Country",
                        "SG or Singapore",
                        190.0,
                        &mut draft.country,
                    );
                    enter |= r.lost_focus()
                        && refused.is_none()
                        && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    country_refused = refused;
                }
                ui.end_row();
            });
        if let Some(why) = &country_refused {
            crate::ui::widgets::refusal_ui(ui, form.dark, &format!("Country: {why}"));
        } else if let Some(why) = &draft.problem {
            crate::ui::widgets::refusal_ui(ui, form.dark, why);
        }
        let mut done = false;
        ui.horizontal(|ui| {
            let add = ui
                .add_enabled(!draft.name.trim().is_empty(), egui::Button::new("Add"))
                .on_disabled_hover_text("Type the entity's name first");
            if add.clicked() {
                enter = true;
            }
            if ui.button("Cancel").clicked() {
                done = true;
            }
        });
        if enter {
            if draft.name.trim().is_empty() {
                draft.problem = Some("Type the entity's name first".to_owned());
                draft.focus_name = true;
            } else if country_refused.is_some() {
                draft.problem = None;
            } else {
                let at = super::canvas_point(draft.at);
                let mut entity = crate::model::Entity::new(
                    crate::model::EntityId::default(),
                    draft.kind,
                    draft.name.trim(),
                );
                if draft.kind == EntityKind::Product {
                    draft.eccn.trim().clone_into(&mut entity.product.eccn);
                } else {
                    entity.country.clone_from(&draft.country);
                }
                let (mut edit, id) = crate::edit::new_named_entity_edit(case, entity, at);
                if draft.free_spot
                    && let crate::edit::Edit::Batch(mut parts) = edit
                {
                    // The insertion alone, placed on a free spot near the centre.
                    parts.truncate(1);
                    edit = crate::layout::picture::with_places_for_new_entities(
                        case,
                        parts.remove(0),
                        Some(at),
                    );
                }
                actions.push(Action::Apply {
                    label: format!("Add {}", draft.kind.label().to_lowercase()),
                    edit,
                    select: Some(ItemRef::Entity(id)),
                });
                self.last_kind = draft.kind;
                done = true;
            }
        }
        done
    }

    /// The palette of kinds at the canvas's left edge: a click opens the new-entity form for
    /// that kind at the centre of the view; a drag puts the entity where it is dropped.
    pub(super) fn palette_ui(&mut self, ui: &Ui, rect: Rect) {
        let count = EntityKind::ALL.len() as f32;
        if !self.show_palette || rect.height() < count * PALETTE_BUTTON + 120.0 {
            return;
        }
        let mut dropped = None;
        let mut opened = None;
        egui::Area::new(ui.scope_id().with("entity_palette"))
            .order(egui::Order::Middle)
            .fixed_pos(rect.left_top() + vec2(6.0, 6.0))
            .constrain_to(rect)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style())
                    .inner_margin(2.0)
                    .show(ui, |ui| {
                        ui.spacing_mut().item_spacing.y = 1.0;
                        for kind in EntityKind::ALL {
                            let button = egui::Button::new(
                                egui::RichText::new(theme::entity_icon(kind)).size(15.0),
                            )
                            .frame(false)
                            .min_size(vec2(PALETTE_BUTTON, PALETTE_BUTTON))
                            .sense(egui::Sense::click_and_drag());
                            let r = ui.add(button).on_hover_text(format!(
                                "Add a {}: click, or drag it onto the chart",
                                kind.label().to_lowercase()
                            ));
                            let name = format!("New {}", kind.label().to_lowercase());
                            r.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::Button, true, &name)
                            });
                            if r.clicked() {
                                opened = Some(kind);
                            }
                            if r.dragged() {
                                if let Some(p) = ui.input(|i| i.pointer.hover_pos()) {
                                    ui.ctx()
                                        .layer_painter(egui::LayerId::new(
                                            egui::Order::Tooltip,
                                            ui.scope_id().with("palette_drag"),
                                        ))
                                        .text(
                                            p,
                                            egui::Align2::CENTER_CENTER,
                                            theme::entity_icon(kind),
                                            egui::FontId::proportional(22.0),
                                            theme::entity_color(kind, ui.visuals().dark_mode),
                                        );
                                }
                                ui.ctx().set_cursor_icon(egui::CursorIcon::Grabbing);
                            }
                            if r.drag_stopped()
                                && let Some(p) = ui.input(|i| i.pointer.interact_pos())
                                && !r.rect.contains(p)
                            {
                                dropped = Some((kind, p));
                            }
                        }
                    });
            });
        if let Some((kind, p)) = dropped
            && rect.contains(p)
        {
            self.open_new_entity_at(rect, p, Some(kind));
        } else if let Some(kind) = opened {
            self.open_new_entity(Some(kind));
        }
    }
}
