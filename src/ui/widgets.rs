//! Form widgets for the inspector. Each edits a draft copy of an item and records whether a text
//! field is being typed into, so the draft is committed as one undoable edit when typing ends.

use crate::model::{Case, EntityId};
use egui::{Response, TextEdit, Ui};
use std::fmt::Display;
use std::str::FromStr;

/// Shared state of one inspector pass over an item.
pub struct Form<'a> {
    pub case: &'a Case,
    /// A text field in the form has keyboard focus: the user is still typing.
    pub typing: bool,
    /// Problems with typed text that could not be applied (bad date, bad country ...).
    pub problems: Vec<String>,
    pub dark: bool,
}

impl<'a> Form<'a> {
    pub fn new(case: &'a Case, dark: bool) -> Self {
        Self {
            case,
            typing: false,
            problems: Vec::new(),
            dark,
        }
    }

    fn track(&mut self, response: &Response) {
        if response.has_focus() {
            self.typing = true;
        }
    }

    /// A labelled row in a two-column grid.
    pub fn row<R>(
        &mut self,
        ui: &mut Ui,
        label: &str,
        add: impl FnOnce(&mut Self, &mut Ui, egui::Id) -> R,
    ) -> R {
        let label_id = ui.label(label).id;
        let r = add(self, ui, label_id);
        ui.end_row();
        r
    }

    /// Single-line text, labelled for screen readers and UI tests.
    pub fn text(&mut self, ui: &mut Ui, label: &str, value: &mut String) {
        self.row(ui, label, |form, ui, label_id| {
            let r = ui
                .add(TextEdit::singleline(value).desired_width(super::theme::INSPECTOR_FIELD_WIDTH))
                .labelled_by(label_id);
            form.track(&r);
        });
    }

    /// Multi-line text.
    pub fn multiline(&mut self, ui: &mut Ui, label: &str, value: &mut String) {
        self.row(ui, label, |form, ui, label_id| {
            let r = ui
                .add(
                    TextEdit::multiline(value)
                        .desired_rows(3)
                        .desired_width(super::theme::INSPECTOR_FIELD_WIDTH),
                )
                .labelled_by(label_id);
            form.track(&r);
        });
    }

    /// A text field for a value that must parse (dates, countries, numbers). While the text
    /// does not parse the value keeps its last good state and the problem is shown.
    pub fn parsed<T>(&mut self, ui: &mut Ui, label: &str, hint: &str, value: &mut Option<T>)
    where
        T: FromStr + Display + PartialEq,
        T::Err: Display,
    {
        self.row(ui, label, |form, ui, label_id| {
            form.parsed_inline(ui, label_id, label, hint, value);
        });
    }

    /// Like [`Self::parsed`] but without its own grid row.
    pub fn parsed_inline<T>(
        &mut self,
        ui: &mut Ui,
        label_id: egui::Id,
        label: &str,
        hint: &str,
        value: &mut Option<T>,
    ) where
        T: FromStr + Display + PartialEq,
        T::Err: Display,
    {
        let id = ui.next_auto_id().with(label);
        let shown = value.as_ref().map(ToString::to_string).unwrap_or_default();
        let mut text: String = ui
            .data(|d| d.get_temp::<String>(id))
            .unwrap_or_else(|| shown.clone());
        let r = ui
            .add(
                TextEdit::singleline(&mut text)
                    .hint_text(hint)
                    .desired_width(
                        ui.available_width()
                            .min(super::theme::INSPECTOR_FIELD_WIDTH),
                    ),
            )
            .labelled_by(label_id);
        self.track(&r);
        if r.has_focus() {
            let trimmed = text.trim();
            if trimmed.is_empty() {
                *value = None;
            } else {
                match trimmed.parse::<T>() {
                    Ok(v) => *value = Some(v),
                    Err(e) => {
                        self.problems.push(format!("{label}: {e}"));
                        ui.colored_label(super::theme::error_color(self.dark), e.to_string());
                    }
                }
            }
            ui.data_mut(|d| d.insert_temp(id, text));
        } else {
            // Not being edited: show the stored value (undo may have changed it).
            ui.data_mut(|d| d.remove::<String>(id));
        }
    }

    /// A number field; `None` when left empty.
    pub fn number(&mut self, ui: &mut Ui, label: &str, hint: &str, value: &mut Option<f64>) {
        self.parsed(ui, label, hint, value);
    }

    /// A combo box over a fixed list of choices.
    pub fn choice<T: Copy + PartialEq>(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut T,
        all: &[T],
        name: impl Fn(T) -> String,
    ) {
        self.row(ui, label, |_, ui, label_id| {
            egui::ComboBox::from_id_salt(ui.next_auto_id().with(label))
                .selected_text(name(*value))
                .show_ui(ui, |ui| {
                    for option in all {
                        ui.selectable_value(value, *option, name(*option));
                    }
                })
                .response
                .labelled_by(label_id);
        });
    }

    /// A comma-separated list of short strings (tags, authors).
    pub fn comma_list(&mut self, ui: &mut Ui, label: &str, values: &mut Vec<String>) {
        self.row(ui, label, |form, ui, label_id| {
            let id = ui.next_auto_id().with(label);
            let joined = values.join(", ");
            let mut text = ui.data(|d| d.get_temp::<String>(id)).unwrap_or(joined);
            let r = ui
                .add(
                    TextEdit::singleline(&mut text)
                        .hint_text("comma, separated")
                        .desired_width(super::theme::INSPECTOR_FIELD_WIDTH),
                )
                .labelled_by(label_id);
            form.track(&r);
            if r.has_focus() {
                *values = text
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                ui.data_mut(|d| d.insert_temp(id, text));
            } else {
                ui.data_mut(|d| d.remove::<String>(id));
            }
        });
    }

    /// A list of free strings, one per line, with add and remove buttons.
    pub fn string_list(
        &mut self,
        ui: &mut Ui,
        label: &str,
        values: &mut Vec<String>,
        add_label: &str,
    ) {
        self.row(ui, label, |form, ui, label_id| {
            ui.vertical(|ui| {
                let mut remove = None;
                for (i, v) in values.iter_mut().enumerate() {
                    ui.horizontal(|ui| {
                        let r = ui
                            .add(
                                TextEdit::singleline(v)
                                    .desired_width(super::theme::INSPECTOR_FIELD_WIDTH - 40.0),
                            )
                            .labelled_by(label_id);
                        form.track(&r);
                        if ui.small_button("🗑").on_hover_text("Remove").clicked() {
                            remove = Some(i);
                        }
                    });
                }
                if let Some(i) = remove {
                    values.remove(i);
                }
                if ui.small_button(add_label).clicked() {
                    values.push(String::new());
                }
            });
        });
    }

    /// Picks an entity (or none), with a filter box so it works on large cases.
    pub fn entity(
        &mut self,
        ui: &mut Ui,
        label: &str,
        value: &mut Option<EntityId>,
        allow_none: bool,
    ) {
        self.row(ui, label, |form, ui, label_id| {
            form.entity_inline(ui, label_id, label, value, allow_none);
        });
    }

    pub fn entity_inline(
        &mut self,
        ui: &mut Ui,
        label_id: egui::Id,
        salt: &str,
        value: &mut Option<EntityId>,
        allow_none: bool,
    ) {
        let case = self.case;
        let selected = value
            .as_ref()
            .map_or_else(|| "— none —".to_owned(), |id| case.entity_name(id));
        let combo_id = ui.next_auto_id().with(salt);
        let filter_id = combo_id.with("filter");
        egui::ComboBox::from_id_salt(combo_id)
            .selected_text(selected)
            .width(ui.available_width().min(320.0))
            .height(320.0)
            .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
            .show_ui(ui, |ui| {
                let mut filter: String = ui.data(|d| d.get_temp(filter_id)).unwrap_or_default();
                let r = ui.add(TextEdit::singleline(&mut filter).hint_text("Filter…"));
                r.request_focus();
                ui.data_mut(|d| d.insert_temp(filter_id, filter.clone()));
                if allow_none && ui.selectable_label(value.is_none(), "— none —").clicked() {
                    *value = None;
                    ui.close();
                }
                let query = filter.to_lowercase();
                let mut shown = 0;
                for e in case.entities.values() {
                    if !e.matches(&query) {
                        continue;
                    }
                    shown += 1;
                    if shown > 50 {
                        ui.weak("… more: type to narrow down");
                        break;
                    }
                    let text = format!("{} {}", super::theme::entity_icon(e.kind), e.name);
                    if ui
                        .selectable_label(value.as_ref() == Some(&e.id), text)
                        .clicked()
                    {
                        *value = Some(e.id.clone());
                        ui.close();
                    }
                }
            })
            .response
            .labelled_by(label_id);
    }

    pub fn checkbox(&mut self, ui: &mut Ui, label: &str, value: &mut bool) {
        self.row(ui, label, |_, ui, label_id| {
            ui.checkbox(value, "").labelled_by(label_id);
        });
    }
}

/// Starts a two-column form grid.
pub fn form_grid<R>(ui: &mut Ui, id: &str, add: impl FnOnce(&mut Ui) -> R) -> R {
    egui::Grid::new(id)
        .num_columns(2)
        .min_col_width(super::theme::INSPECTOR_LABEL_WIDTH)
        .spacing([12.0, 6.0])
        .striped(false)
        .show(ui, add)
        .inner
}
