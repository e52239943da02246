//! The inspector edits every field of the selected item, or the case details when nothing is
//! selected. It works on a draft copy and commits the draft through the edit path as one
//! undoable step when the user finishes typing (Enter, Tab or clicking elsewhere).
//!
//! Files: the draft and the case's details here; [`entity`], [`link`] and [`shipment`] hold
//! each kind's form.

use entity::entity_ui;
use link::link_ui;
use shipment::shipment_ui;
mod entity;
mod link;
mod shipment;

use super::notes::NotesOf;
use crate::edit::Revision;
use crate::edit::{Edit, Item};
use crate::model::parse;
use crate::model::{CaseMeta, ClaimStatus, ItemRef, Money, Tlp};
use crate::ui::action::Action;
use crate::ui::theme;
use crate::ui::widgets::{Form, form_grid, refusal_ui};
use egui::{RichText, Ui};

/// What the inspector is editing.
#[derive(Clone, Debug, PartialEq)]
enum Subject {
    Meta(Box<CaseMeta>),
    Item(Item),
}

struct Draft {
    target: Option<ItemRef>,
    base: Subject,
    edited: Subject,
    /// Why the current edited version was refused, so it is not retried every frame.
    rejected: Option<(Subject, String)>,
}

/// Inspector state that lives between frames (view state, never saved).
#[derive(Default)]
pub struct Inspector {
    /// The next frame puts the keyboard in the first field of the item shown (it was just
    /// added): a shipment's reference, an entity's name.
    pub focus_first: bool,
    draft: Option<Draft>,
    notes: super::notes::NotesState,
    /// Who new notes are by (the investigator's name from the settings).
    pub author: String,
}

fn current_subject(case: &crate::model::Case, target: Option<&ItemRef>) -> Option<Subject> {
    match target {
        None => Some(Subject::Meta(Box::new(case.meta.clone()))),
        Some(t) => case.item(t).map(Subject::Item),
    }
}

fn edit_for(subject: &Subject) -> (String, Edit) {
    match subject {
        Subject::Meta(m) => ("Edit case details".to_owned(), Edit::SetMeta(m.clone())),
        Subject::Item(item) => {
            let label = match item {
                Item::Entity(e) => format!("Edit {}", e.name),
                Item::Link(_) => "Edit link".to_owned(),
                Item::Shipment(s) => format!("Edit shipment {}", s.reference),
                Item::Evidence(e) => format!("Edit evidence {}", e.title),
                Item::Note(n) => format!("Edit note {}", n.title),
                Item::Group(g) => format!("Edit group {}", g.title),
                Item::View(v) => format!("Edit view {}", v.name),
            };
            (label, Edit::Replace(item.clone()))
        }
    }
}

impl Inspector {
    /// A pending change that has not been committed yet (the user is typing), as an edit.
    /// Called before save, undo, selection changes and the like so no keystroke is lost.
    pub fn take_pending(&mut self) -> Option<(String, Edit)> {
        let draft = self.draft.take()?;
        (draft.edited != draft.base).then(|| edit_for(&draft.edited))
    }

    /// Tells the inspector an edit it asked for was refused.
    pub fn reject(&mut self, message: String) {
        if let Some(d) = &mut self.draft {
            d.rejected = Some((d.edited.clone(), message));
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        case: &crate::model::Case,
        revision: Revision,
        target: Option<&ItemRef>,
        actions: &mut Vec<Action>,
    ) {
        let Some(current) = current_subject(case, target) else {
            ui.label("The selected item no longer exists.");
            self.draft = None;
            return;
        };
        let stale = self
            .draft
            .as_ref()
            .is_none_or(|d| d.target.as_ref() != target || d.base != current);
        if stale {
            self.draft = Some(Draft {
                target: target.cloned(),
                base: current.clone(),
                edited: current,
                rejected: None,
            });
        }
        let Some(draft) = &mut self.draft else {
            return;
        };
        let dark = ui.visuals().dark_mode;
        let mut form = Form::new(case, dark);

        if let Some((version, message)) = &draft.rejected
            && *version == draft.edited
        {
            ui.colored_label(
                theme::error_color(dark),
                format!("⚠ Not applied: {message}"),
            );
        }

        let notes = &mut self.notes;
        let author = self.author.as_str();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                // Typed text kept in a field (a refused date ...) belongs to this item only.
                ui.push_id(target, |ui| {
                    match &mut draft.edited {
                        Subject::Meta(meta) => meta_ui(ui, &mut form, meta),
                        Subject::Item(Item::Entity(e)) => {
                            let focus = std::mem::take(&mut self.focus_first);
                            entity_ui(ui, &mut form, e, focus, actions);
                        }
                        Subject::Item(Item::Link(l)) => link_ui(ui, &mut form, l, actions),
                        Subject::Item(Item::Shipment(s)) => {
                            let focus = std::mem::take(&mut self.focus_first);
                            shipment_ui(ui, &mut form, s, focus, actions);
                        }
                        Subject::Item(Item::Note(_)) => {}
                        Subject::Item(other) => {
                            ui.label(format!("{} — edited in its own panel.", other.item_ref()));
                        }
                    }
                    let of = match target {
                        None => NotesOf::Case,
                        Some(ItemRef::Note(id)) => NotesOf::Note(id),
                        Some(item) => NotesOf::Item(item),
                    };
                    super::notes::notes_ui(ui, case, revision, &of, author, notes, actions);
                });
            });

        for p in &form.problems {
            ui.colored_label(theme::error_color(dark), p);
        }
        let refused_already = draft
            .rejected
            .as_ref()
            .is_some_and(|(v, _)| *v == draft.edited);
        if draft.edited != draft.base && !form.typing && !refused_already {
            let (label, edit) = edit_for(&draft.edited);
            actions.push(Action::ApplyField { label, edit });
        }
    }
}

fn heading(ui: &mut Ui, text: &str, sub: &str) {
    ui.horizontal(|ui| {
        ui.heading(text);
        ui.weak(sub);
    });
    ui.separator();
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A section heading; returns its id so the fields under it are labelled by it.
fn section(ui: &mut Ui, title: &str) -> egui::Id {
    ui.add_space(8.0);
    ui.label(RichText::new(title).strong()).id
}

fn claim_status_row(ui: &mut Ui, form: &mut Form, label: &str, status: &mut ClaimStatus) {
    form.row(ui, label, |form, ui, label_id| {
        ui.horizontal(|ui| {
            egui::ComboBox::from_id_salt(ui.next_auto_id().with(label))
                .selected_text(
                    RichText::new(status.label()).color(theme::claim_color(*status, form.dark)),
                )
                .show_ui(ui, |ui| {
                    for s in ClaimStatus::ALL {
                        ui.selectable_value(status, s, s.label())
                            .on_hover_text(s.meaning());
                    }
                })
                .response
                .labelled_by(label_id)
                .on_hover_text(status.meaning());
        });
    });
}

fn meta_ui(ui: &mut Ui, form: &mut Form, meta: &mut CaseMeta) {
    heading(ui, "Case", &meta.id);
    let counts = form.case.counts();
    ui.weak(counts.to_string());
    ui.add_space(6.0);
    form_grid(ui, "meta_form", |ui| {
        form.text(ui, "Title", &mut meta.title);
        form.multiline(ui, "Summary", &mut meta.summary);
        form.choice(ui, "Handling marking", &mut meta.marking, &Tlp::ALL, |t| {
            t.label().to_owned()
        });
        form.comma_list(ui, "Authors", &mut meta.authors);
        form.comma_list(ui, "Tags", &mut meta.tags);
        form.row(ui, "Created", |_, ui, _| ui.label(meta.created.to_string()));
        form.row(ui, "Modified", |_, ui, _| {
            ui.label(meta.modified.to_string())
        });
    });
    ui.add_space(8.0);
    ui.weak(meta.marking.meaning());
    ui.add_space(8.0);
    ui.weak("Select an entity, link or shipment in the list to inspect and edit it.");
}

fn related_ui(ui: &mut Ui, form: &Form, id: &crate::model::EntityId, actions: &mut Vec<Action>) {
    let refs = crate::edit::references_to(form.case, &ItemRef::Entity(id.clone()));
    if refs.is_empty() {
        return;
    }
    section(ui, &format!("Connected ({})", refs.len()));
    for r in refs.iter().take(200) {
        let text = format!("{}: {}", r.kind_word(), form.case.item_label(r));
        if ui.link(text).clicked() {
            actions.push(Action::Select(r.clone()));
        }
    }
}

/// The item's supporting evidence with grades, best first (see the evidence locker).
fn evidence_section(ui: &mut Ui, form: &Form, item: &ItemRef, actions: &mut Vec<Action>) {
    if let Some(clicked) = super::evidence::supporting_evidence_ui(ui, form.case, item) {
        actions.push(Action::Select(clicked));
    }
}

/// Amount and currency of an optional sum of money; clearing the amount clears the sum. The
/// amount may carry its currency ("USD 5,600,000", "S$1,200"); an amount whose currency is not
/// named is refused (never taken as US dollars).
fn money_fields(ui: &mut Ui, form: &mut Form, label: &str, hint: &str, money: &mut Option<Money>) {
    let mut amount = money.as_ref().map(|m| m.amount);
    let mut currency = money.as_ref().map(|m| m.currency.clone());
    let currency_before = currency.clone();
    let written = std::cell::RefCell::new(None);
    let amount_refused = form.typed(
        ui,
        label,
        hint,
        &mut amount,
        |t| {
            let (a, c) = parse::amount_and_currency(t)?;
            written.replace(c);
            Ok(a)
        },
        ToString::to_string,
    );
    form.typed(
        ui,
        "Currency",
        "e.g. USD",
        &mut currency,
        parse::currency,
        Clone::clone,
    );
    if amount_refused.is_some() {
        return;
    }
    let typed_currency = (currency != currency_before)
        .then(|| currency.clone())
        .flatten();
    let currency = match (written.into_inner(), typed_currency) {
        (Some(w), Some(t)) if w != t => Err(format!(
            "{label}: the amount is in {w} but the currency field says {t}"
        )),
        (Some(w), _) => Ok(w),
        (None, _) => currency.ok_or_else(|| {
            format!(
                "{label}: name the currency of {} (such as USD)",
                amount.map(|a| a.to_string()).unwrap_or_default()
            )
        }),
    };
    *money = match (amount, currency) {
        (None, _) => None,
        (Some(amount), Ok(currency)) => Some(Money { amount, currency }),
        (Some(_), Err(why)) => {
            refusal_ui(ui, form.dark, &why);
            form.problems.push(why);
            money.clone()
        }
    };
}
