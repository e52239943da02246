//! The inspector edits every field of the selected item, or the case details when nothing is
//! selected. It works on a draft copy and commits the draft through the edit path as one
//! undoable step when the user finishes typing (Enter, Tab or clicking elsewhere).

use super::notes::NotesOf;
use crate::edit::Revision;
use crate::edit::{Edit, Item};
use crate::model::parse;
use crate::model::{
    CaseMeta, ClaimStatus, Confidence, Entity, EntityKind, Flag, FlagKind, GoodsLine, Identifier,
    IdentifierScheme, ItemRef, Leg, Link, LinkKind, LinkKindTag, Money, PartialDate, Place,
    Shipment, ShipmentStatus, Tlp, TransportMode,
};
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
    /// The next frame puts the keyboard in the Name field (something was just added).
    pub focus_name: bool,
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
                            let focus = std::mem::take(&mut self.focus_name);
                            entity_ui(ui, &mut form, e, focus, actions);
                        }
                        Subject::Item(Item::Link(l)) => link_ui(ui, &mut form, l, actions),
                        Subject::Item(Item::Shipment(s)) => shipment_ui(ui, &mut form, s, actions),
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

/// A listing's facts (who listed the party, under which programme, from when until when,
/// why, where it is published) and whether it still holds today: an ended listing reads
/// "Formerly sanctioned" and raises no listed-party finding.
fn listing_ui(ui: &mut Ui, form: &mut Form, flag: &mut Flag, index: usize) {
    let listing = matches!(flag.kind, FlagKind::Listed | FlagKind::Sanctioned);
    let has_facts = !flag.authority.is_empty()
        || !flag.program.is_empty()
        || flag.start.is_some()
        || flag.end.is_some()
        || !flag.reason.is_empty()
        || !flag.source_url.is_empty();
    if !(listing || has_facts) {
        return;
    }
    let today = PartialDate::today();
    if flag.ended(&today) {
        ui.colored_label(
            theme::formerly_listed_color(form.dark),
            format!(
                "{}: ended {}; no longer in force",
                flag.label_on(&today),
                flag.end
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            ),
        );
    } else if has_facts && !flag.authority.is_empty() {
        ui.weak(format!(
            "In force, {} by {}",
            flag.status.label().to_lowercase(),
            flag.authority
        ));
    }
    egui::CollapsingHeader::new("Listing")
        .id_salt(("listing", index))
        .default_open(has_facts)
        .show(ui, |ui| {
            form_grid(ui, &format!("listing_form_{index}"), |ui| {
                form.text(ui, "Authority", &mut flag.authority);
                form.text(ui, "Programme", &mut flag.program);
                form.date(ui, "Listed from", &mut flag.start);
                form.date(ui, "Listed until", &mut flag.end);
                form.text(ui, "Reason", &mut flag.reason);
                form.text(ui, "Source URL", &mut flag.source_url);
            });
        });
}

fn entity_ui(
    ui: &mut Ui,
    form: &mut Form,
    e: &mut Entity,
    focus_name: bool,
    actions: &mut Vec<Action>,
) {
    let color = theme::entity_color(e.kind, form.dark);
    // The buttons keep their place; a long name is cut short (in full in the Name field).
    egui::Sides::new().shrink_left().truncate().show(
        ui,
        |ui| {
            ui.label(
                RichText::new(theme::entity_icon(e.kind))
                    .size(22.0)
                    .color(color),
            );
            ui.heading(&e.name);
            ui.weak(e.id.as_str());
        },
        |ui| {
            if ui.button("🗑 Delete…").clicked() {
                actions.push(Action::Delete(vec![ItemRef::Entity(e.id.clone())]));
            }
        },
    );
    ui.separator();
    form_grid(ui, "entity_form", |ui| {
        form.choice(ui, "Kind", &mut e.kind, &EntityKind::ALL, |k| {
            format!("{} {}", theme::entity_icon(k), k.label())
        });
        if focus_name {
            form.text_focused(ui, "Name", &mut e.name);
        } else {
            form.text(ui, "Name", &mut e.name);
        }
        form.string_list(ui, "Aliases", &mut e.aliases, "+ Alias");
        form.country(ui, "Country", "SG, SGP, 702 or Singapore", &mut e.country);
        let dates = match e.kind {
            EntityKind::Event => Some(("Date", "Until")),
            EntityKind::Person => Some(("Born", "Died")),
            // An address, a jurisdiction or a website has no such dates; one read from a file
            // is still shown, so nothing is hidden that the case holds.
            EntityKind::Address | EntityKind::Jurisdiction | EntityKind::Website => {
                (e.start.is_some() || e.end.is_some()).then_some(("Start", "End"))
            }
            _ => Some(("Founded", "Dissolved")),
        };
        if let Some((start_label, end_label)) = dates {
            form.date(ui, start_label, &mut e.start);
            form.date(ui, end_label, &mut e.end);
        }
        if e.kind == EntityKind::Product || !e.product.is_empty() {
            form.text(ui, "Model", &mut e.product.model);
            form.text(ui, "ECCN", &mut e.product.eccn);
            form.text(ui, "HS code", &mut e.product.hs_code);
        }
        if matches!(e.kind, EntityKind::Address | EntityKind::Facility) || !e.address.is_empty() {
            form.text(ui, "Street", &mut e.address.street);
            form.text(ui, "City", &mut e.address.city);
            form.text(ui, "Postcode", &mut e.address.postcode);
            form.checkbox(ui, "Residential", &mut e.address.residential);
        }
        form.comma_list(ui, "Tags", &mut e.tags);
    });

    evidence_section(ui, form, &ItemRef::Entity(e.id.clone()), actions);

    let ident_label = section(ui, "Identifiers");
    let mut remove = None;
    for (i, ident) in e.identifiers.iter_mut().enumerate() {
        ui.push_id(("ident", i), |ui| {
            let mut issuer_refused = None;
            // Wrapped, so a row wider than the panel goes on a second line, never out of view.
            ui.horizontal_wrapped(|ui| {
                open_choice_combo(ui, "scheme", &mut ident.scheme, ident_label);
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut ident.value)
                            .hint_text("value")
                            .desired_width(180.0),
                    )
                    .labelled_by(ident_label);
                if r.has_focus() {
                    form.typing = true;
                }
                let label = ui.label("issued by").id;
                issuer_refused = form.typed_inline(
                    ui,
                    label,
                    "issuer",
                    "SG",
                    60.0,
                    &mut ident.issuer,
                    parse::country,
                    ToString::to_string,
                );
                if ui
                    .small_button("🗑")
                    .on_hover_text("Remove identifier")
                    .clicked()
                {
                    remove = Some(i);
                }
            });
            if let Some(why) = &issuer_refused {
                refusal_ui(ui, form.dark, &format!("Issued by: {why}"));
            }
        });
    }
    if let Some(i) = remove {
        e.identifiers.remove(i);
    }
    if ui.small_button("+ Identifier").clicked() {
        e.identifiers.push(Identifier {
            value: "?".to_owned(),
            ..Identifier::default()
        });
    }

    let flag_label = section(ui, "Flags");
    let mut remove = None;
    for (i, flag) in e.flags.iter_mut().enumerate() {
        ui.push_id(("flag", i), |ui| {
            // Wrapped, so a row wider than the panel goes on a second line, never out of view.
            ui.horizontal_wrapped(|ui| {
                open_choice_combo(ui, "flag_kind", &mut flag.kind, flag_label);
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut flag.detail)
                            .hint_text("detail, e.g. which list")
                            .desired_width(200.0),
                    )
                    .labelled_by(flag_label);
                if r.has_focus() {
                    form.typing = true;
                }
                egui::ComboBox::from_id_salt("status")
                    .selected_text(
                        RichText::new(flag.status.label())
                            .color(theme::claim_color(flag.status, form.dark)),
                    )
                    .show_ui(ui, |ui| {
                        for s in ClaimStatus::ALL {
                            ui.selectable_value(&mut flag.status, s, s.label())
                                .on_hover_text(s.meaning());
                        }
                    })
                    .response
                    .labelled_by(flag_label);
                if ui.small_button("🗑").on_hover_text("Remove flag").clicked() {
                    remove = Some(i);
                }
            });
            listing_ui(ui, form, flag, i);
        });
    }
    if let Some(i) = remove {
        e.flags.remove(i);
    }
    if ui.small_button("+ Flag").clicked() {
        e.flags.push(Flag::default());
    }

    let attr_label = section(ui, "Attributes");
    let mut attrs: Vec<(String, String)> = e.attributes.clone().into_iter().collect();
    let mut changed = false;
    let mut remove = None;
    for (i, (k, v)) in attrs.iter_mut().enumerate() {
        ui.push_id(("attr", i), |ui| {
            // Wrapped, so a row wider than the panel goes on a second line, never out of view.
            ui.horizontal_wrapped(|ui| {
                let rk = ui
                    .add(
                        egui::TextEdit::singleline(k)
                            .hint_text("name")
                            .desired_width(140.0),
                    )
                    .labelled_by(attr_label);
                let rv = ui
                    .add(
                        egui::TextEdit::singleline(v)
                            .hint_text("value")
                            .desired_width(220.0),
                    )
                    .labelled_by(attr_label);
                changed |= rk.changed() || rv.changed();
                if rk.has_focus() || rv.has_focus() {
                    form.typing = true;
                }
                if ui
                    .small_button("🗑")
                    .on_hover_text("Remove attribute")
                    .clicked()
                {
                    remove = Some(i);
                }
            });
        });
    }
    if let Some(i) = remove {
        attrs.remove(i);
        changed = true;
    }
    if ui.small_button("+ Attribute").clicked() {
        let mut n = 1;
        while attrs.iter().any(|(k, _)| *k == format!("attribute {n}")) {
            n += 1;
        }
        attrs.push((format!("attribute {n}"), String::new()));
        changed = true;
    }
    if changed {
        e.attributes = attrs.into_iter().collect();
    }

    let notes_label = section(ui, "Notes");
    let r = ui
        .add(
            egui::TextEdit::multiline(&mut e.notes)
                .desired_rows(4)
                .desired_width(theme::INSPECTOR_FIELD_WIDTH + theme::INSPECTOR_LABEL_WIDTH),
        )
        .labelled_by(notes_label);
    if r.has_focus() {
        form.typing = true;
    }

    related_ui(ui, form, &e.id, actions);
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

/// A choice from common values, or "Other…" with a name the investigator types.
trait OpenChoice: Sized + Clone + PartialEq {
    fn common() -> Vec<Self>;
    fn text(&self) -> &str;
    fn other(name: &str) -> Self;
    fn other_name(&mut self) -> Option<&mut String>;
}

impl OpenChoice for IdentifierScheme {
    fn common() -> Vec<Self> {
        IdentifierScheme::COMMON.to_vec()
    }
    fn text(&self) -> &str {
        self.label()
    }
    fn other(name: &str) -> Self {
        IdentifierScheme::Other(name.to_owned())
    }
    fn other_name(&mut self) -> Option<&mut String> {
        match self {
            IdentifierScheme::Other(name) => Some(name),
            _ => None,
        }
    }
}

impl OpenChoice for FlagKind {
    fn common() -> Vec<Self> {
        FlagKind::COMMON.to_vec()
    }
    fn text(&self) -> &str {
        self.label()
    }
    fn other(name: &str) -> Self {
        FlagKind::Other(name.to_owned())
    }
    fn other_name(&mut self) -> Option<&mut String> {
        match self {
            FlagKind::Other(name) => Some(name),
            _ => None,
        }
    }
}

fn open_choice_combo<T: OpenChoice>(ui: &mut Ui, salt: &str, value: &mut T, label: egui::Id) {
    egui::ComboBox::from_id_salt(salt)
        .selected_text(value.text().to_owned())
        .width(140.0)
        .show_ui(ui, |ui| {
            for option in T::common() {
                let text = option.text().to_owned();
                ui.selectable_value(value, option, text);
            }
            let is_other = value.other_name().is_some();
            if ui.selectable_label(is_other, "Other…").clicked() && !is_other {
                *value = T::other("Other");
            }
        })
        .response
        .labelled_by(label);
    if let Some(name) = value.other_name() {
        ui.add(egui::TextEdit::singleline(name).desired_width(100.0))
            .labelled_by(label);
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

fn link_ui(ui: &mut Ui, form: &mut Form, l: &mut Link, actions: &mut Vec<Action>) {
    egui::Sides::new().shrink_left().truncate().show(
        ui,
        |ui| {
            ui.heading(l.kind.summary());
            ui.weak(l.id.as_str());
        },
        |ui| {
            if ui.button("🗑 Delete").clicked() {
                actions.push(Action::Delete(vec![ItemRef::Link(l.id.clone())]));
            }
            if ui.button("⇄ Swap direction").clicked() {
                std::mem::swap(&mut l.from, &mut l.to);
            }
        },
    );
    ui.separator();
    form_grid(ui, "link_form", |ui| {
        let mut tag = l.kind.tag();
        form.choice(ui, "Kind", &mut tag, &LinkKindTag::ALL, |t| {
            t.label().to_owned()
        });
        if tag != l.kind.tag() {
            l.kind = tag.default_kind();
        }
        match &mut l.kind {
            LinkKind::Ownership { percent } => {
                form.number(ui, "Share (%)", "0–100", percent, parse::percent);
            }
            LinkKind::Directorship { role }
            | LinkKind::Employment { role }
            | LinkKind::Representation { role } => form.text(ui, "Role", role),
            LinkKind::Family { relation } => form.text(ui, "Relation", relation),
            LinkKind::Payment { amount, date } => {
                money_fields(ui, form, "Amount", "e.g. 1200000", amount);
                form.date(ui, "Paid on", date);
            }
            LinkKind::Other(name) => form.text(ui, "Kind name", name),
            _ => {}
        }
        let mut from = Some(l.from.clone());
        form.entity(ui, "From", &mut from, false);
        if let Some(f) = from {
            l.from = f;
        }
        let mut to = Some(l.to.clone());
        form.entity(ui, "To", &mut to, false);
        if let Some(t) = to {
            l.to = t;
        }
        form.date(ui, "Start", &mut l.start);
        form.date(ui, "End", &mut l.end);
        form.choice(ui, "Confidence", &mut l.confidence, &Confidence::ALL, |c| {
            c.label().to_owned()
        });
        claim_status_row(ui, form, "Status", &mut l.status);
        form.multiline(ui, "Description", &mut l.description);
    });
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        if ui
            .link(format!("→ {}", form.case.entity_name(&l.from)))
            .clicked()
        {
            actions.push(Action::Select(ItemRef::Entity(l.from.clone())));
        }
        if ui
            .link(format!("→ {}", form.case.entity_name(&l.to)))
            .clicked()
        {
            actions.push(Action::Select(ItemRef::Entity(l.to.clone())));
        }
    });
    evidence_section(ui, form, &ItemRef::Link(l.id.clone()), actions);
}

fn place_ui(ui: &mut Ui, form: &mut Form, label: &str, place: &mut Place) {
    form.row(ui, label, |form, ui, label_id| {
        ui.vertical(|ui| {
            let mut refused = None;
            ui.horizontal(|ui| {
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut place.name)
                            .hint_text("port, airport or city")
                            .desired_width(170.0),
                    )
                    .labelled_by(label_id);
                if r.has_focus() {
                    form.typing = true;
                }
                refused = form.typed_inline(
                    ui,
                    label_id,
                    &format!("{label} country"),
                    "CC",
                    50.0,
                    &mut place.country,
                    parse::country,
                    ToString::to_string,
                );
            });
            if let Some(why) = &refused {
                refusal_ui(ui, form.dark, &format!("{label} country: {why}"));
            }
        });
    });
}

fn shipment_ui(ui: &mut Ui, form: &mut Form, s: &mut Shipment, actions: &mut Vec<Action>) {
    egui::Sides::new().shrink_left().truncate().show(
        ui,
        |ui| {
            ui.heading(format!("🚚 {}", s.reference));
            ui.weak(s.id.as_str());
        },
        |ui| {
            if ui.button("🗑 Delete").clicked() {
                actions.push(Action::Delete(vec![ItemRef::Shipment(s.id.clone())]));
            }
        },
    );
    let case = form.case;
    ui.weak(format!(
        "{}   {}",
        s.route_summary(),
        s.goods_summary(|id| case.entities.get(id).map(|e| e.name.clone()))
    ));
    ui.separator();
    form_grid(ui, "shipment_form", |ui| {
        form.text(ui, "Reference", &mut s.reference);
        form.choice(
            ui,
            "Shipment status",
            &mut s.status,
            &ShipmentStatus::ALL,
            |x| x.label().to_owned(),
        );
        claim_status_row(ui, form, "Claim", &mut s.claim);
        form.entity(ui, "Shipper", &mut s.shipper, true);
        form.entity(ui, "Consignee", &mut s.consignee, true);
        form.entity(ui, "Notify party", &mut s.notify_party, true);
        form.entity(ui, "Declared end user", &mut s.declared_end_user, true);
        form.entity(ui, "Suspected end user", &mut s.suspected_end_user, true);
    });

    section(ui, "Forwarders");
    let mut remove = None;
    for (i, f) in s.forwarders.iter_mut().enumerate() {
        ui.push_id(("fwd", i), |ui| {
            ui.horizontal(|ui| {
                let mut v = Some(f.clone());
                let label = ui.label(format!("{}.", i + 1)).id;
                form.entity_inline(ui, label, "forwarder", &mut v, false);
                if let Some(v) = v {
                    *f = v;
                }
                if ui
                    .small_button("🗑")
                    .on_hover_text("Remove forwarder")
                    .clicked()
                {
                    remove = Some(i);
                }
            });
        });
    }
    if let Some(i) = remove {
        s.forwarders.remove(i);
    }
    if let Some(first) = case.entities.keys().next()
        && ui.small_button("+ Forwarder").clicked()
    {
        s.forwarders.push(first.clone());
    }

    section(ui, &format!("Route ({})", plural(s.legs.len(), "leg")));
    let mut remove = None;
    let mut move_up = None;
    let leg_count = s.legs.len();
    for (i, leg) in s.legs.iter_mut().enumerate() {
        ui.push_id(("leg", i), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.strong(format!("Leg {}", i + 1));
                    if i > 0 && ui.small_button("⬆").on_hover_text("Move leg up").clicked() {
                        move_up = Some(i);
                    }
                    if leg_count > 1 && ui.small_button("🗑").on_hover_text("Remove leg").clicked()
                    {
                        remove = Some(i);
                    }
                });
                form_grid(ui, "leg_form", |ui| {
                    place_ui(ui, form, "From", &mut leg.from);
                    place_ui(ui, form, "To", &mut leg.to);
                    form.date(ui, "Departed", &mut leg.departed);
                    form.date(ui, "Arrived", &mut leg.arrived);
                    form.choice(ui, "Mode", &mut leg.mode, &TransportMode::ALL, |m| {
                        m.label().to_owned()
                    });
                    form.text(ui, "Carrier", &mut leg.carrier);
                    form.text(ui, "B/L or AWB no.", &mut leg.transport_document);
                });
            });
        });
    }
    if let Some(i) = remove {
        s.legs.remove(i);
    }
    if let Some(i) = move_up {
        s.legs.swap(i - 1, i);
    }
    if ui.small_button("+ Leg").clicked() {
        let from = s.legs.last().map(|l| l.to.clone()).unwrap_or_default();
        s.legs.push(Leg {
            from,
            to: Place {
                name: "Unknown".to_owned(),
                ..Place::default()
            },
            ..Leg::default()
        });
    }

    section(ui, &format!("Goods ({})", plural(s.goods.len(), "line")));
    let mut remove = None;
    for (i, g) in s.goods.iter_mut().enumerate() {
        ui.push_id(("goods", i), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.strong(format!("Line {}", i + 1));
                    if ui
                        .small_button("🗑")
                        .on_hover_text("Remove goods line")
                        .clicked()
                    {
                        remove = Some(i);
                    }
                });
                form_grid(ui, "goods_form", |ui| {
                    form.entity(ui, "Product", &mut g.product, true);
                    form.text(ui, "Declared description", &mut g.description);
                    form.number(ui, "Quantity", "e.g. 200", &mut g.quantity, parse::quantity);
                    form.text(ui, "Unit", &mut g.unit);
                    money_fields(ui, form, "Value", "e.g. 5600000", &mut g.value);
                    form.text(ui, "HS code (declared)", &mut g.hs_code);
                    form.text(ui, "ECCN", &mut g.eccn);
                    form.country(ui, "Declared origin", "SG or Singapore", &mut g.origin);
                });
            });
        });
    }
    if let Some(i) = remove {
        s.goods.remove(i);
    }
    if ui.small_button("+ Goods line").clicked() {
        s.goods.push(GoodsLine::default());
    }

    let notes_label = section(ui, "Notes");
    let r = ui
        .add(
            egui::TextEdit::multiline(&mut s.notes)
                .desired_rows(3)
                .desired_width(theme::INSPECTOR_FIELD_WIDTH + theme::INSPECTOR_LABEL_WIDTH),
        )
        .labelled_by(notes_label);
    if r.has_focus() {
        form.typing = true;
    }
    ui.add_space(6.0);
    for (role, id) in s.parties() {
        if ui
            .link(format!("{role}: {}", case.entity_name(id)))
            .clicked()
        {
            actions.push(Action::Select(ItemRef::Entity(id.clone())));
        }
    }
    evidence_section(ui, form, &ItemRef::Shipment(s.id.clone()), actions);
}

/// The item's supporting evidence with grades, best first (see the evidence locker).
fn evidence_section(ui: &mut Ui, form: &Form, item: &ItemRef, actions: &mut Vec<Action>) {
    if let Some(clicked) = super::evidence::supporting_evidence_ui(ui, form.case, item) {
        actions.push(Action::Select(clicked));
    }
}
