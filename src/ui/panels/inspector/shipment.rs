//! The shipment form: reference, parties (shipper, consignee, notify party, forwarders, the
//! declared and suspected end users), route legs and their places, goods lines and values.

use super::claim_status_row;
use super::evidence_section;
use super::money_fields;
use super::plural;
use super::section;
use crate::model::parse;
use crate::model::{GoodsLine, ItemRef, Leg, Place, Shipment, ShipmentStatus, TransportMode};
use crate::ui::action::Action;
use crate::ui::theme;
use crate::ui::widgets::{Form, form_grid, refusal_ui};
use egui::Ui;

pub(super) fn place_ui(ui: &mut Ui, form: &mut Form, label: &str, place: &mut Place) {
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
                refused = form.country_inline(
                    ui,
                    label_id,
                    &format!("{label} country"),
                    "CC",
                    50.0,
                    &mut place.country,
                );
            });
            if let Some(why) = &refused {
                refusal_ui(ui, form.dark, &format!("{label} country: {why}"));
            }
        });
    });
}

pub(super) fn shipment_ui(
    ui: &mut Ui,
    form: &mut Form,
    s: &mut Shipment,
    focus_first: bool,
    actions: &mut Vec<Action>,
) {
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
        if focus_first {
            form.text_focused(ui, "Reference", &mut s.reference);
        } else {
            form.text(ui, "Reference", &mut s.reference);
        }
        // Where the goods are; whether that is proven is the claim below. (Older files may
        // say "Alleged" here: still shown, no longer offered.)
        let movements: Vec<ShipmentStatus> = ShipmentStatus::ALL
            .into_iter()
            .filter(|m| *m != ShipmentStatus::Alleged || s.status == ShipmentStatus::Alleged)
            .collect();
        form.choice(ui, "Movement", &mut s.status, &movements, |x| {
            x.label().to_owned()
        });
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

    // The item's own description, saved in its record (FtM exports it as the description);
    // notes by investigators, with author and date, are the one *Notes* section below.
    let notes_label = section(ui, "Description");
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
