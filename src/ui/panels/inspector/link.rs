//! The link form: its kind and its details (role, share, amount paid), ends, period, claim
//! status and confidence.

use super::claim_status_row;
use super::evidence_section;
use super::money_fields;
use crate::model::parse;
use crate::model::{Confidence, ItemRef, Link, LinkKind, LinkKindTag};
use crate::ui::action::Action;
use crate::ui::widgets::{Form, form_grid};
use egui::Ui;

pub(super) fn link_ui(ui: &mut Ui, form: &mut Form, l: &mut Link, actions: &mut Vec<Action>) {
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
