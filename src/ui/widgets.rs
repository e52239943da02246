//! Form widgets for the inspector. Each edits a draft copy of an item and records whether a text
//! field is being typed into, so the draft is committed as one undoable edit when typing ends.

use crate::model::parse::{self, DateOrder, ValueError};
use crate::model::{Case, CountryCode, EntityId, PartialDate};
use egui::{Response, RichText, TextEdit, Ui};

/// What the user typed into a typed-value field, while it is not the stored value: kept
/// between frames while typing, and after, while it is refused.
#[derive(Clone)]
struct TypedText<T> {
    text: String,
    /// The value before the user started typing: what stays stored while the text is refused.
    original: Option<T>,
}

/// Why typed text was not stored, in the error colour, wrapped to the field's width so a long
/// reason never widens its panel.
pub fn refusal_ui(ui: &mut Ui, dark: bool, why: &str) {
    ui.scope(|ui| {
        ui.set_max_width(super::theme::INSPECTOR_FIELD_WIDTH);
        ui.add(
            egui::Label::new(
                RichText::new(format!("⚠ {why}")).color(super::theme::error_color(dark)),
            )
            .wrap(),
        );
    });
}

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

    /// [`Self::text`] that takes the keyboard focus, with its text selected so that typing
    /// replaces it (the name of something just added).
    pub fn text_focused(&mut self, ui: &mut Ui, label: &str, value: &mut String) {
        self.row(ui, label, |form, ui, label_id| {
            let r = ui
                .add(TextEdit::singleline(value).desired_width(super::theme::INSPECTOR_FIELD_WIDTH))
                .labelled_by(label_id);
            r.request_focus();
            if let Some(mut state) = egui::text_edit::TextEditState::load(ui.ctx(), r.id) {
                let all = egui::text::CCursorRange::two(
                    egui::text::CCursor::new(0),
                    egui::text::CCursor::new(value.chars().count()),
                );
                state.cursor.set_char_range(Some(all));
                state.store(ui.ctx(), r.id);
            }
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

    /// A text field for a typed value (dates, countries, numbers ...), read by `parse` (one of
    /// `model::parse`'s parsers) and shown by `show`. The value is stored exactly as the text
    /// says, or not at all: while the text is refused, the value stays what it was before the
    /// user typed, and the text stays in the field with the reason beside it until it is
    /// corrected (or the value is changed elsewhere, e.g. by undo). Returns the refusal.
    pub fn typed<T>(
        &mut self,
        ui: &mut Ui,
        label: &str,
        hint: &str,
        value: &mut Option<T>,
        parse: impl Fn(&str) -> Result<T, ValueError>,
        show: impl Fn(&T) -> String,
    ) -> Option<String>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        self.row(ui, label, |form, ui, label_id| {
            ui.vertical(|ui| {
                let width = ui
                    .available_width()
                    .min(super::theme::INSPECTOR_FIELD_WIDTH);
                let refused =
                    form.typed_inline(ui, label_id, label, hint, width, value, parse, show);
                if let Some(why) = &refused {
                    refusal_ui(ui, form.dark, why);
                }
                refused
            })
            .inner
        })
    }

    /// Like [`Self::typed`] but without its own grid row, and leaving where the refusal is
    /// shown to the caller (so a narrow field in a row of fields does not widen the row).
    #[allow(clippy::too_many_arguments)]
    pub fn typed_inline<T>(
        &mut self,
        ui: &mut Ui,
        label_id: egui::Id,
        label: &str,
        hint: &str,
        width: f32,
        value: &mut Option<T>,
        parse: impl Fn(&str) -> Result<T, ValueError>,
        show: impl Fn(&T) -> String,
    ) -> Option<String>
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        self.typed_field(ui, label_id, label, hint, width, value, parse, show)
            .0
    }

    /// [`Self::typed_inline`], with the text field's response and the text as typed.
    #[allow(clippy::too_many_arguments)]
    fn typed_field<T>(
        &mut self,
        ui: &mut Ui,
        label_id: egui::Id,
        label: &str,
        hint: &str,
        width: f32,
        value: &mut Option<T>,
        parse: impl Fn(&str) -> Result<T, ValueError>,
        show: impl Fn(&T) -> String,
    ) -> (Option<String>, Response, String)
    where
        T: Clone + PartialEq + Send + Sync + 'static,
    {
        // Ids from the field's label (not the layout), so a refusal shown above or beside
        // it never makes a field lose its focus or its typed text.
        let id = ui.scope_id().with(("typed", label));
        let kept: Option<TypedText<T>> = ui.data(|d| d.get_temp(id));
        let had_text = kept.as_ref().map(|_| ());
        let mut state = kept.unwrap_or_else(|| TypedText {
            text: value.as_ref().map(&show).unwrap_or_default(),
            original: value.clone(),
        });
        let r = ui
            .add(
                TextEdit::singleline(&mut state.text)
                    .id(id.with("edit"))
                    .hint_text(hint)
                    .desired_width(width),
            )
            .labelled_by(label_id);
        self.track(&r);
        if had_text.is_none() && !r.has_focus() {
            // Nothing typed: the field shows the stored value, whatever it is.
            return (None, r, state.text);
        }
        let typed = state.text.clone();
        let trimmed = state.text.trim();
        let read = if trimmed.is_empty() {
            Ok(None)
        } else {
            parse(trimmed).map(Some)
        };
        let refused = match read {
            Ok(candidate) => {
                if r.has_focus() {
                    *value = candidate;
                    ui.data_mut(|d| d.insert_temp(id, state));
                } else if *value == candidate || *value != state.original {
                    // Stored as typed, or changed elsewhere since (undo, another edit): the
                    // field shows the stored value again.
                    ui.data_mut(|d| d.remove::<TypedText<T>>(id));
                } else {
                    // Read, but its caller refused it (e.g. an amount without a currency):
                    // keep the text for correction, and offer the value again (what refused
                    // it may have been put right meanwhile).
                    *value = candidate;
                    ui.data_mut(|d| d.insert_temp(id, state));
                }
                None
            }
            Err(e) => {
                if r.has_focus() || *value == state.original {
                    // Nothing of the refused text reaches the value: not a prefix typed on
                    // the way, not a guess.
                    value.clone_from(&state.original);
                    ui.data_mut(|d| d.insert_temp(id, state));
                    self.problems.push(format!("{label}: {e}"));
                    Some(e.reason)
                } else {
                    ui.data_mut(|d| d.remove::<TypedText<T>>(id));
                    None
                }
            }
        };
        (refused, r, typed)
    }

    /// A date field with the precision typed: a year, a month or a day.
    pub fn date(&mut self, ui: &mut Ui, label: &str, value: &mut Option<PartialDate>) {
        self.typed(
            ui,
            label,
            "2024-11-28, Nov 2024 …",
            value,
            |t| parse::date(t, DateOrder::Unknown),
            ToString::to_string,
        );
    }

    /// A country picker: an ISO code (alpha-2, alpha-3, numeric) or an English name, with the
    /// countries that match what is typed listed below the field (↑ ↓ to choose, Enter or
    /// Tab to take, or a click).
    pub fn country(
        &mut self,
        ui: &mut Ui,
        label: &str,
        hint: &str,
        value: &mut Option<CountryCode>,
    ) {
        self.row(ui, label, |form, ui, label_id| {
            ui.vertical(|ui| {
                let width = ui
                    .available_width()
                    .min(super::theme::INSPECTOR_FIELD_WIDTH);
                let refused = form.country_inline(ui, label_id, label, hint, width, value);
                if let Some(why) = &refused {
                    refusal_ui(ui, form.dark, why);
                }
            });
        });
    }

    /// [`Self::country`] without its grid row; returns the refusal.
    pub fn country_inline(
        &mut self,
        ui: &mut Ui,
        label_id: egui::Id,
        label: &str,
        hint: &str,
        width: f32,
        value: &mut Option<CountryCode>,
    ) -> Option<String> {
        self.country_field(ui, label_id, label, hint, width, value)
            .0
    }

    /// [`Self::country_inline`], with the text field's response.
    pub fn country_field(
        &mut self,
        ui: &mut Ui,
        label_id: egui::Id,
        label: &str,
        hint: &str,
        width: f32,
        value: &mut Option<CountryCode>,
    ) -> (Option<String>, Response) {
        let problems = self.problems.len();
        let (refused, r, typed) = self.typed_field(
            ui,
            label_id,
            label,
            hint,
            width,
            value,
            parse::country,
            ToString::to_string,
        );
        let popup_id = r.id.with("countries");
        let choice_id = r.id.with("choice");
        let suggestions =
            if r.has_focus() || r.lost_focus() || ui.ctx().read_response(popup_id).is_some() {
                crate::model::countries::search(&typed, 8)
            } else {
                Vec::new()
            };
        let over_popup = ui
            .ctx()
            .read_response(popup_id)
            .zip(ui.input(|i| i.pointer.hover_pos()))
            .is_some_and(|(p, at)| p.rect.contains(at));
        // The highlighted row, and whether the user chose it with the arrow keys.
        let (mut choice, mut chosen): (usize, bool) =
            ui.data(|d| d.get_temp(choice_id)).unwrap_or((0, false));
        if r.has_focus() && !suggestions.is_empty() {
            ui.input(|i| {
                if i.key_pressed(egui::Key::ArrowDown) {
                    choice = (choice + 1).min(suggestions.len() - 1);
                    chosen = true;
                }
                if i.key_pressed(egui::Key::ArrowUp) {
                    choice = choice.saturating_sub(1);
                    chosen = true;
                }
            });
        }
        choice = choice.min(suggestions.len().saturating_sub(1));
        let mut picked = None;
        // Enter or Tab on text that names no country exactly takes the one country it can
        // mean, or the row chosen with the arrow keys; never a guess among several ("Korea").
        if r.lost_focus()
            && refused.is_some()
            && (suggestions.len() == 1 || chosen)
            && ui.input(|i| i.key_pressed(egui::Key::Enter) || i.key_pressed(egui::Key::Tab))
        {
            picked = suggestions.get(choice).copied();
        }
        let exact = refused.is_none() && suggestions.len() == 1;
        let open =
            picked.is_none() && !suggestions.is_empty() && !exact && (r.has_focus() || over_popup);
        egui::Popup::from_response(&r)
            .id(popup_id)
            .open(open)
            .width(width.max(200.0))
            .show(|ui| {
                for (i, c) in suggestions.iter().enumerate() {
                    let text = format!("{}  {}", c.alpha2, c.name);
                    if ui.selectable_label(i == choice, text).clicked() {
                        picked = Some(*c);
                    }
                }
            });
        if suggestions.is_empty() {
            ui.data_mut(|d| d.remove::<(usize, bool)>(choice_id));
        } else {
            ui.data_mut(|d| d.insert_temp(choice_id, (choice, chosen)));
        }
        let Some(country) = picked else {
            if open && r.has_focus() {
                // While the user types, the list of matches is the answer: the refusal waits
                // until the field is left without a country.
                self.problems.truncate(problems);
                return (None, r);
            }
            return (refused, r);
        };
        match country.alpha2.parse::<CountryCode>() {
            Ok(code) => {
                *value = Some(code);
                // The field shows the stored country again, and its refusal is gone.
                ui.data_mut(|d| {
                    d.remove::<TypedText<CountryCode>>(ui.scope_id().with(("typed", label)));
                    d.remove::<(usize, bool)>(choice_id);
                });
                self.problems.truncate(problems);
                (None, r)
            }
            Err(_) => (refused, r),
        }
    }

    /// A number field read by `parse` (a quantity, a share ...); `None` when left empty.
    pub fn number(
        &mut self,
        ui: &mut Ui,
        label: &str,
        hint: &str,
        value: &mut Option<f64>,
        parse: impl Fn(&str) -> Result<f64, ValueError>,
    ) -> Option<String> {
        self.typed(ui, label, hint, value, parse, ToString::to_string)
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
