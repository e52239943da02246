//! The flows panel: shipped quantity and value by route (origin → transit → destination) and by
//! party, each currency and unit kept apart. Rows select their shipments or party on the canvas.
//! Cached per revision; the numbers come from `analysis::flows`.

use crate::analysis::flows::{
    self, FlowFilter, PartyFlow, PartySide, RouteFlow, StatisticsRow, Totals,
};
use crate::edit::Revision;
use crate::model::{Case, ItemRef, format_amount};
use crate::ui::action::Action;
use egui::{RichText, Ui};
use std::collections::BTreeMap;

/// What the panel shows, computed once per revision.
type Flows = (Vec<RouteFlow>, Vec<PartyFlow>, Vec<StatisticsRow>);

#[derive(Default)]
pub struct FlowsPanel {
    cache: Option<(Revision, Flows)>,
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
        if self.cache.as_ref().is_none_or(|(r, _)| *r != revision) {
            let filter = FlowFilter::default();
            let flows = (
                flows::by_route(case, &filter),
                flows::by_party(case, &filter),
                flows::statistics(case),
            );
            self.cache = Some((revision, flows));
        }
        let Some((_, (routes, parties, statistics))) = &self.cache else {
            return;
        };
        ui.heading("Flows");
        ui.weak("Goods shipped, summed by route and by party; currencies and units are not mixed.");
        if routes.is_empty() && case.statistics.is_empty() {
            ui.label("No shipments in this case yet.");
            return;
        }
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if !case.statistics.is_empty() {
                    statistics_ui(ui, case, statistics, actions);
                    ui.add_space(12.0);
                }
                if routes.is_empty() {
                    ui.label("No shipments in this case yet.");
                    return;
                }
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

/// The case's trade statistics (UN Comtrade rows): national totals, each with its share of
/// the reporter's total over all partners and the case's shipments that fall under it.
fn statistics_ui(ui: &mut Ui, case: &Case, rows: &[StatisticsRow], actions: &mut Vec<Action>) {
    ui.label(RichText::new(format!("Trade statistics ({})", rows.len())).strong());
    ui.weak(
        "What countries report (UN Comtrade): national totals for a period, not shipments. \
         \"All partners\" is the reporter's total; it is never added to the rows per partner. \
         \"In case\" counts the case's shipments on that lane, in that period, under that \
         commodity (HS) code.",
    );
    egui::Grid::new("trade_statistics")
        .striped(true)
        .num_columns(6)
        .show(ui, |ui| {
            for title in ["Period", "Trade", "HS", "Value", "Share", "In case"] {
                ui.strong(title);
            }
            ui.end_row();
            for r in rows {
                let f = &case.statistics[r.index];
                ui.label(f.period.to_string());
                let partner = f
                    .partner
                    .as_ref()
                    .map_or_else(|| "all partners".to_owned(), ToString::to_string);
                ui.label(format!("{} {} {partner}", f.reporter, f.direction.arrow()))
                    .on_hover_text(f.direction.label());
                ui.label(&f.commodity).on_hover_text(&f.description);
                ui.label(
                    f.value
                        .as_ref()
                        .map_or_else(|| "—".to_owned(), ToString::to_string),
                );
                ui.label(
                    r.share_of_total
                        .map_or_else(String::new, |s| format!("{:.0} %", s * 100.0)),
                );
                if r.shipments.is_empty() {
                    ui.weak("none");
                } else if ui
                    .link(format!(
                        "{} · USD {}",
                        r.shipments.len(),
                        format_amount(r.shipments_usd)
                    ))
                    .on_hover_text(format!(
                        "{} shipment(s) of this case on this lane, in this period, under this \
                         commodity code: click to show them on the canvas",
                        r.shipments.len()
                    ))
                    .clicked()
                {
                    actions.push(Action::Show(
                        r.shipments.iter().cloned().map(ItemRef::Shipment).collect(),
                    ));
                }
                ui.end_row();
            }
        });
}
