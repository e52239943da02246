//! The flows panel: shipped quantity and value by route (origin → transit → destination) and by
//! party, each currency and unit kept apart. Rows select their shipments or party on the canvas.
//! Cached per revision; the numbers come from `analysis::flows`.

use crate::analysis::flows::{self, FlowFilter, PartyFlow, PartySide, RouteFlow, Totals};
use crate::edit::Revision;
use crate::model::{Case, ItemRef, format_amount};
use crate::ui::action::Action;
use egui::{RichText, Ui};
use std::collections::BTreeMap;

#[derive(Default)]
pub struct FlowsPanel {
    cache: Option<(Revision, Vec<RouteFlow>, Vec<PartyFlow>)>,
    chart: super::flows_chart::FlowsChart,
}

fn amounts(map: &BTreeMap<String, f64>) -> String {
    map.iter()
        .map(|(unit, n)| {
            if unit.is_empty() {
                format_amount(*n)
            } else {
                format!("{} {unit}", format_amount(*n))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn shipments_of(t: &Totals) -> Vec<ItemRef> {
    t.shipments.iter().cloned().map(ItemRef::Shipment).collect()
}

impl FlowsPanel {
    pub fn ui(&mut self, ui: &mut Ui, case: &Case, revision: Revision, actions: &mut Vec<Action>) {
        if self.cache.as_ref().is_none_or(|(r, _, _)| *r != revision) {
            let filter = FlowFilter::default();
            self.cache = Some((
                revision,
                flows::by_route(case, &filter),
                flows::by_party(case, &filter),
            ));
        }
        let Some((_, routes, parties)) = &self.cache else {
            return;
        };
        ui.heading("Flows");
        ui.weak("Goods shipped, summed by route and by party; currencies and units are not mixed.");
        if routes.is_empty() {
            ui.label("No shipments in this case yet.");
            return;
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.chart.ui(ui, case, revision, routes, actions);
                ui.add_space(12.0);
                ui.label(RichText::new("By route").strong());
                egui::Grid::new("flows_by_route")
                    .striped(true)
                    .num_columns(4)
                    .show(ui, |ui| {
                        ui.strong("Route");
                        ui.strong("Shipments");
                        ui.strong("Quantity");
                        ui.strong("Value");
                        ui.end_row();
                        for r in routes {
                            if ui
                                .link(r.route.label())
                                .on_hover_text("Show these shipments on the canvas")
                                .clicked()
                            {
                                actions.push(Action::Show(shipments_of(&r.totals)));
                            }
                            ui.label(r.totals.shipments.len().to_string());
                            ui.label(amounts(&r.totals.quantity));
                            ui.label(amounts(&r.totals.value));
                            ui.end_row();
                        }
                    });
                ui.add_space(12.0);
                for (side, title) in [
                    (PartySide::Shipper, "Shipped by"),
                    (PartySide::Consignee, "Received by"),
                ] {
                    ui.label(RichText::new(title).strong());
                    egui::Grid::new(("flows_by_party", title))
                        .striped(true)
                        .num_columns(4)
                        .show(ui, |ui| {
                            ui.strong("Party");
                            ui.strong("Shipments");
                            ui.strong("Quantity");
                            ui.strong("Value");
                            ui.end_row();
                            for p in parties.iter().filter(|p| p.side == side) {
                                if ui.link(case.entity_name(&p.entity)).clicked() {
                                    let mut items = vec![ItemRef::Entity(p.entity.clone())];
                                    items.extend(shipments_of(&p.totals));
                                    actions.push(Action::Show(items));
                                }
                                ui.label(p.totals.shipments.len().to_string());
                                ui.label(amounts(&p.totals.quantity));
                                ui.label(amounts(&p.totals.value));
                                ui.end_row();
                            }
                        });
                    ui.add_space(12.0);
                }
            });
    }
}
