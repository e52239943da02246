//! The entity form: name, kind, aliases, dates, address, identifiers, attributes, flags and
//! their listings (programme, authority, period), notes, and the entity's relations.

use super::evidence_section;
use super::related_ui;
use super::section;
use crate::model::{
    ClaimStatus, Entity, EntityKind, Flag, FlagKind, Identifier, IdentifierScheme, ItemRef,
    PartialDate,
};
use crate::ui::action::Action;
use crate::ui::theme;
use crate::ui::widgets::{Form, form_grid, refusal_ui};
use egui::{RichText, Ui};

/// A listing's facts (who listed the party, under which programme, from when until when,
/// why, where it is published) and whether it still holds today: an ended listing reads
/// "Formerly sanctioned" and raises no listed-party finding.
pub(super) fn listing_ui(ui: &mut Ui, form: &mut Form, flag: &mut Flag, index: usize) {
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

pub(super) fn entity_ui(
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
        // Tab goes from the name to the country, then to the aliases.
        form.country(ui, "Country", "SG, SGP, 702 or Singapore", &mut e.country);
        form.string_list(ui, "Aliases", &mut e.aliases, "+ Alias");
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
                issuer_refused =
                    form.country_inline(ui, label, "issuer", "SG", 60.0, &mut ident.issuer);
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

    // The item's own description, saved in its record (FtM exports it as the description);
    // notes by investigators, with author and date, are the one *Notes* section below.
    let notes_label = section(ui, "Description");
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

/// A choice from common values, or "Other…" with a name the investigator types.
pub(super) trait OpenChoice: Sized + Clone + PartialEq {
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

pub(super) fn open_choice_combo<T: OpenChoice>(
    ui: &mut Ui,
    salt: &str,
    value: &mut T,
    label: egui::Id,
) {
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
