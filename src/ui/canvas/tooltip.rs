//! The tooltip of what the pointer rests on: an entity's kind, country, links, shipments and
//! evidence, a link's or shipment's facts.

use super::{Canvas, Gesture};
use crate::model::{Case, ItemRef};
use crate::ui::theme;

impl Canvas {
    /// Key facts about what the pointer rests on.
    pub(super) fn tooltip_ui(&self, response: &egui::Response, case: &Case) {
        if !matches!(self.gesture, Gesture::None) || self.picker.is_some() {
            return;
        }
        let Some(hit) = &self.hover else {
            return;
        };
        let item = self.item_of_hit(hit);
        let route = match hit {
            super::Hit::Route(i) => self.scene.routes.get(*i),
            _ => None,
        };
        let line = match hit {
            super::Hit::Edge(i) => self.scene.edges.get(*i),
            _ => None,
        };
        response.clone().on_hover_ui_at_pointer(|ui| {
            ui.set_max_width(320.0);
            if let Some(r) = route.filter(|r| r.shipments.len() > 1) {
                bundle_tooltip_ui(ui, r, case);
                return;
            }
            if let Some(e) = line.filter(|e| e.links.len() > 1) {
                link_bundle_tooltip_ui(ui, e, case);
                return;
            }
            match &item {
                ItemRef::Entity(id) => {
                    let Some(e) = case.entities.get(id) else {
                        return;
                    };
                    ui.strong(format!("{} {}", theme::entity_icon(e.kind), e.name));
                    let mut line = e.kind.label().to_owned();
                    if let Some(c) = &e.country {
                        line = format!("{line} · {c}");
                    }
                    ui.label(line);
                    if !e.aliases.is_empty() {
                        ui.label(format!("Also: {}", e.aliases.join(", ")));
                    }
                    if !e.product.eccn.is_empty() || !e.product.hs_code.is_empty() {
                        ui.label(format!(
                            "ECCN {} · HS {}",
                            if e.product.eccn.is_empty() {
                                "?"
                            } else {
                                &e.product.eccn
                            },
                            if e.product.hs_code.is_empty() {
                                "?"
                            } else {
                                &e.product.hs_code
                            }
                        ));
                    }
                    for ident in e.identifiers.iter().take(3) {
                        ui.label(format!("{}: {}", ident.scheme.label(), ident.value));
                    }
                    let today = crate::model::PartialDate::today();
                    for flag in &e.flags {
                        let dark = ui.visuals().dark_mode;
                        let mut text =
                            format!("⚑ {} ({})", flag.label_on(&today), flag.status.label());
                        let facts = flag.describe();
                        if !facts.is_empty() {
                            text.push_str(" · ");
                            text.push_str(&facts);
                        }
                        let color = if flag.ended(&today) {
                            theme::formerly_listed_color(dark)
                        } else {
                            theme::flag_badge_color(dark)
                        };
                        ui.colored_label(color, text);
                    }
                    let links = case
                        .links
                        .values()
                        .filter(|l| &l.from == id || &l.to == id)
                        .count();
                    let shipments = case
                        .shipments
                        .values()
                        .filter(|s| s.parties().iter().any(|(_, p)| *p == id))
                        .count();
                    let evidence = self
                        .scene
                        .node_of(id)
                        .map_or(0, |i| self.scene.nodes[i].evidence);
                    ui.weak(format!(
                        "{links} link(s) · {shipments} shipment(s) · {evidence} evidence item(s)"
                    ));
                }
                ItemRef::Link(id) => {
                    let Some(l) = case.links.get(id) else {
                        return;
                    };
                    ui.strong(l.kind.summary());
                    ui.label(format!(
                        "{} → {}",
                        case.entity_name(&l.from),
                        case.entity_name(&l.to)
                    ));
                    ui.label(format!(
                        "{} · confidence {}",
                        l.status.label(),
                        l.confidence.label()
                    ));
                    if !l.description.is_empty() {
                        ui.label(&l.description);
                    }
                }
                ItemRef::Shipment(id) => {
                    let Some(s) = case.shipments.get(id) else {
                        return;
                    };
                    ui.strong(format!("{} {}", theme::SHIPMENT_GLYPH, s.reference));
                    ui.label(s.route_summary());
                    let goods = s.goods_summary(|p| case.entities.get(p).map(|e| e.name.clone()));
                    if !goods.is_empty() {
                        ui.label(goods);
                    }
                    // The movement, then the claim; "Alleged" as a movement (older files)
                    // says nothing the claim does not.
                    if s.status == crate::model::ShipmentStatus::Alleged {
                        ui.label(s.claim.label());
                    } else {
                        ui.label(format!("{} · {}", s.status.label(), s.claim.label()));
                    }
                    if let Some(r) = route {
                        waypoints_ui(ui, r);
                    }
                }
                ItemRef::Group(id) => {
                    if let Some(g) = case.groups.get(id) {
                        ui.strong(&g.title);
                        ui.label(format!(
                            "{} member(s) · double-click to {}",
                            g.members.len(),
                            if g.collapsed { "expand" } else { "collapse" }
                        ));
                    }
                }
                ItemRef::Note(id) => {
                    if let Some(n) = case.notes.get(id) {
                        ui.strong(&n.title);
                        ui.label(&n.body);
                    }
                }
                _ => {}
            }
        });
    }
}

/// A bundle's tooltip: its totals, then each shipment it stands for.
fn bundle_tooltip_ui(ui: &mut egui::Ui, r: &super::scene::SceneRoute, case: &Case) {
    ui.strong(format!("{} {}", theme::SHIPMENT_GLYPH, r.label));
    members_ui(ui, &r.shipments, |id| {
        case.shipments.get(id).map(|s| {
            let date = s
                .legs
                .first()
                .and_then(|l| l.departed.as_ref())
                .map(|d| format!(" · {d}"))
                .unwrap_or_default();
            format!("{}{date} · {}", s.reference, s.claim.label())
        })
    });
    waypoints_ui(ui, r);
    ui.weak(BUNDLE_HINT);
}

/// How to select a bundle's members or unbundle it.
const BUNDLE_HINT: &str =
    "Click to select them all; Show ▸ Bundle links and shipments draws one line each";

/// The items a bundled line stands for, one a row up to [`BUNDLE_ROWS`], then how many more.
fn members_ui<T>(ui: &mut egui::Ui, items: &[T], row: impl Fn(&T) -> Option<String>) {
    for text in items.iter().take(BUNDLE_ROWS).filter_map(row) {
        ui.label(text);
    }
    if items.len() > BUNDLE_ROWS {
        ui.label(format!("… and {} more", items.len() - BUNDLE_ROWS));
    }
}

/// Rows of a bundle's tooltip listing its members.
const BUNDLE_ROWS: usize = 12;

/// A bundle of links' tooltip: its totals, the two ends, then each link it stands for.
fn link_bundle_tooltip_ui(ui: &mut egui::Ui, e: &super::scene::SceneEdge, case: &Case) {
    ui.strong(&e.label);
    if let Some(first) = e.links.first().and_then(|id| case.links.get(id)) {
        let arrow = if first.kind.is_directed() {
            "→"
        } else {
            "–"
        };
        ui.label(format!(
            "{} {arrow} {}",
            case.entity_name(&first.from),
            case.entity_name(&first.to)
        ));
    }
    members_ui(ui, &e.links, |id| {
        case.links.get(id).map(|l| {
            let date = l
                .kind
                .payment_date()
                .map(|d| format!(" · {d}"))
                .unwrap_or_default();
            format!("{}{date} · {}", l.kind.summary(), l.status.label())
        })
    });
    ui.weak(BUNDLE_HINT);
}

/// The places a route passes that the chart has no node for.
fn waypoints_ui(ui: &mut egui::Ui, r: &super::scene::SceneRoute) {
    let names: Vec<&str> = r.vias.iter().flatten().map(|w| w.name.as_str()).collect();
    if !names.is_empty() {
        ui.label(format!("Via {} (no entity on the chart)", names.join(", ")));
    }
}
