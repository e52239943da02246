//! Shipment routes as the chart draws them, shared by the canvas, the exported pictures and the
//! layouts (so a layout arranges the lines that are drawn).
//!
//! A route passes the entities its shipment names, in order: shipper, forwarders, the places of
//! its legs that name an entity (a port, a warehouse, an address), consignee, suspected end
//! user. A leg place that names only a country or a place name is a **waypoint**: drawn on the
//! hop where the goods passed it, as a small marker with the country code, instead of sending
//! every route through the one jurisdiction node of each country (which funnelled all routes
//! through a few hubs and made any realistic case a tangle). A waypoint in the same country as
//! the stop before or after it adds nothing to the picture and is not drawn; the inspector and
//! the route's tooltip list every leg.
//!
//! Shipments along the same stops and waypoints are **bundled** into one line (i2's link
//! multiplicity) with a count and totals, unless the user turns bundling off
//! (*Show ▸ Bundle links and shipments*).

use crate::model::{Case, ClaimStatus, CountryCode, EntityId, Place, Shipment, format_amount};
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

/// A place on a route that the chart does not show as a node: drawn as a marker on its hop.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Waypoint {
    /// What the marker says: the country code, else a shortened place name.
    pub label: String,
    /// The place in full, for tooltips: "Kuala Lumpur International Airport (MY)".
    pub name: String,
    country: Option<CountryCode>,
}

impl Waypoint {
    fn of(place: &Place) -> Option<Waypoint> {
        let name = place.name.trim();
        let label = match &place.country {
            Some(c) => c.to_string(),
            None if name.is_empty() => return None,
            None => crate::layout::labels::ellipsis(name, 14),
        };
        let name = match (&place.country, name.is_empty()) {
            (Some(c), true) => c.to_string(),
            (Some(c), false) => format!("{name} ({c})"),
            (None, _) => name.to_owned(),
        };
        Some(Waypoint {
            label,
            name,
            country: place.country.clone(),
        })
    }
}

/// A shipment's route as drawn: its stops (nodes, as the caller numbers them) and, for each
/// hop between two stops, the waypoints on it in order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DrawnRoute<T> {
    /// At least two, no stop twice in a row.
    pub stops: Vec<T>,
    /// One list per hop (`stops.len() - 1` of them).
    pub vias: Vec<Vec<Waypoint>>,
}

enum Step<'a> {
    Stop(&'a EntityId, Option<&'a CountryCode>),
    Via(Waypoint),
}

/// The route of `s` as drawn, with stops mapped by `node_of` (entities it gives `None` for,
/// hidden or not in the case, are passed over). `None` when fewer than two stops are shown.
pub fn drawn_route<'a, T: Clone + PartialEq>(
    case: &'a Case,
    s: &'a Shipment,
    node_of: impl Fn(&'a EntityId) -> Option<T>,
) -> Option<DrawnRoute<T>> {
    let party = |id: &'a EntityId| Step::Stop(id, None);
    let mut steps: Vec<Step<'a>> = Vec::new();
    steps.extend(s.shipper.iter().map(party));
    steps.extend(s.forwarders.iter().map(party));
    // The origin in the shipper's country and the destination in the consignee's say nothing
    // the line does not (forwarders come before the legs, so they are not the neighbours).
    let country = |id: &Option<EntityId>| {
        id.as_ref()
            .and_then(|id| case.entities.get(id))
            .and_then(|e| e.country.as_ref())
    };
    let (origin, destination) = (country(&s.shipper), country(&s.consignee));
    let last = s.legs.len().saturating_sub(1);
    for (n, leg) in s.legs.iter().enumerate() {
        for (place, home) in [
            (&leg.from, (n == 0).then_some(origin).flatten()),
            (&leg.to, (n == last).then_some(destination).flatten()),
        ] {
            match &place.entity {
                Some(id) if node_of(id).is_some() => {
                    steps.push(Step::Stop(id, place.country.as_ref()));
                }
                _ if place.country.is_some() && place.country.as_ref() == home => {}
                _ => steps.extend(Waypoint::of(place).map(Step::Via)),
            }
        }
    }
    steps.extend(s.consignee.iter().map(party));
    steps.extend(s.suspected_end_user.iter().map(party));

    let country_of = |id: &EntityId, given: Option<&'a CountryCode>| {
        case.entities
            .get(id)
            .and_then(|e| e.country.clone())
            .or_else(|| given.cloned())
    };
    let mut stops: Vec<(T, Option<CountryCode>)> = Vec::new();
    let mut vias: Vec<Vec<Waypoint>> = Vec::new();
    let mut leading: Vec<Waypoint> = Vec::new();
    let mut pending: Vec<Waypoint> = Vec::new();
    for step in steps {
        match step {
            Step::Stop(id, given) => {
                let Some(node) = node_of(id) else { continue };
                if stops.last().is_some_and(|(last, _)| *last == node) {
                    // Back at the same stop: what was passed in between draws nothing.
                    pending.clear();
                    continue;
                }
                if stops.is_empty() {
                    leading = std::mem::take(&mut pending);
                } else {
                    vias.push(std::mem::take(&mut pending));
                }
                stops.push((node, country_of(id, given)));
            }
            Step::Via(w) => {
                if pending.last().is_none_or(|last| last.label != w.label) {
                    pending.push(w);
                }
            }
        }
    }
    if stops.len() < 2 {
        return None;
    }
    // Places passed before the first stop or after the last belong to the first or last hop.
    leading.append(&mut vias[0]);
    vias[0] = leading;
    vias.last_mut().expect("a hop").append(&mut pending);
    for (k, hop) in vias.iter_mut().enumerate() {
        let (a, b) = (&stops[k].1, &stops[k + 1].1);
        hop.retain(|w| w.country.is_none() || (w.country != *a && w.country != *b));
        hop.dedup_by(|next, prev| next.label == prev.label);
    }
    Some(DrawnRoute {
        stops: stops.into_iter().map(|(n, _)| n).collect(),
        vias,
    })
}

/// Shipments drawn as one line: same stops, same waypoints.
#[derive(Clone, Debug)]
pub struct RouteBundle<'a, T> {
    pub route: DrawnRoute<T>,
    /// In the order given (id order for a case), at least one.
    pub shipments: Vec<&'a Shipment>,
}

impl<T> RouteBundle<'_, T> {
    /// What the line says: the goods of one shipment (else its reference); for several, the
    /// count and totals, "3 shipments · 480 × NVIDIA H100 SXM5 · USD 7.7M".
    pub fn label(&self, case: &Case) -> String {
        bundle_label(case, &self.shipments)
    }

    /// The weakest claim among the bundle's shipments: a line never looks better proven than
    /// the least proven shipment it stands for.
    pub fn claim(&self) -> ClaimStatus {
        self.shipments
            .iter()
            .map(|s| s.claim)
            .min_by_key(|c| claim_strength(*c))
            .unwrap_or_default()
    }

    /// Stroke width, by the bundle's total quantity, else value.
    pub fn width(&self) -> f32 {
        let quantity: f64 = self.shipments.iter().map(|s| s.total_quantity()).sum();
        let value: f64 = self
            .shipments
            .iter()
            .flat_map(|s| &s.goods)
            .filter_map(|g| g.value.as_ref().map(|v| v.amount))
            .sum();
        super::picture::route_width(quantity, value)
    }
}

pub(crate) fn claim_strength(c: ClaimStatus) -> u8 {
    match c {
        ClaimStatus::Proven => 5,
        ClaimStatus::Corroborated => 4,
        ClaimStatus::Reported => 3,
        ClaimStatus::Alleged => 2,
        ClaimStatus::Disputed => 1,
        ClaimStatus::Refuted => 0,
    }
}

/// Routes of `shipments`, bundled when `bundle` (else one per shipment), in the order of each
/// bundle's first shipment.
pub fn bundle_routes<'a, T: Clone + Eq + Hash>(
    case: &'a Case,
    shipments: impl IntoIterator<Item = &'a Shipment>,
    node_of: impl Fn(&'a EntityId) -> Option<T>,
    bundle: bool,
) -> Vec<RouteBundle<'a, T>> {
    let mut out: Vec<RouteBundle<'a, T>> = Vec::new();
    let mut index: HashMap<DrawnRoute<T>, usize> = HashMap::new();
    for s in shipments {
        let Some(route) = drawn_route(case, s, &node_of) else {
            continue;
        };
        if bundle && let Some(&i) = index.get(&route) {
            out[i].shipments.push(s);
            continue;
        }
        if bundle {
            index.insert(route.clone(), out.len());
        }
        out.push(RouteBundle {
            route,
            shipments: vec![s],
        });
    }
    out
}

/// See [`RouteBundle::label`].
pub fn bundle_label(case: &Case, shipments: &[&Shipment]) -> String {
    let product_name = |p: &EntityId| case.entities.get(p).map(|e| e.name.clone());
    if let [s] = shipments {
        let goods = s.goods_summary(product_name);
        return if goods.is_empty() {
            s.reference.clone()
        } else {
            goods
        };
    }
    // Quantities by what was shipped, values by currency, each in first-seen order.
    let mut what: Vec<(String, f64)> = Vec::new();
    let mut money: BTreeMap<String, f64> = BTreeMap::new();
    for line in shipments.iter().flat_map(|s| &s.goods) {
        if let Some(q) = line.quantity {
            let name = line
                .product
                .as_ref()
                .and_then(product_name)
                .unwrap_or_else(|| line.description.clone());
            match what.iter_mut().find(|(n, _)| *n == name) {
                Some((_, total)) => *total += q,
                None => what.push((name, q)),
            }
        }
        if let Some(v) = &line.value {
            *money.entry(v.currency.clone()).or_default() += v.amount;
        }
    }
    let mut parts = vec![format!("{} shipments", shipments.len())];
    match what.as_slice() {
        [] => {}
        [(name, q)] => parts.push(format!("{} × {name}", format_amount(*q))),
        _ => {
            let total: f64 = what.iter().map(|(_, q)| q).sum();
            parts.push(format!(
                "{} items of {} kinds",
                format_amount(total),
                what.len()
            ));
        }
    }
    for (currency, amount) in money {
        parts.push(format!("{currency} {}", format_amount(amount)));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entity, EntityKind, GoodsLine, Leg, Money};

    fn place(country: &str, name: &str, entity: Option<&str>) -> Place {
        Place {
            name: name.to_owned(),
            country: (!country.is_empty()).then(|| country.parse().expect("country")),
            entity: entity.map(Into::into),
        }
    }

    /// A US shipper, a Malaysian consignee and a Chinese end user; a Singapore jurisdiction and
    /// a Malaysian warehouse.
    fn case() -> Case {
        let mut case = Case::default();
        for (id, kind, country) in [
            ("e-shipper", EntityKind::Company, "US"),
            ("e-consignee", EntityKind::Company, "MY"),
            ("e-user", EntityKind::Company, "CN"),
            ("e-sg", EntityKind::Jurisdiction, "SG"),
            ("e-warehouse", EntityKind::Facility, "MY"),
        ] {
            let mut e = Entity::new(id, kind, id);
            e.country = Some(country.parse().expect("country"));
            case.entities.insert(id.into(), e);
        }
        case
    }

    fn shipment(id: &str, legs: Vec<(Place, Place)>, quantity: f64) -> Shipment {
        Shipment {
            id: id.into(),
            reference: id.to_uppercase(),
            shipper: Some("e-shipper".into()),
            consignee: Some("e-consignee".into()),
            suspected_end_user: Some("e-user".into()),
            legs: legs
                .into_iter()
                .map(|(from, to)| Leg {
                    from,
                    to,
                    ..Leg::default()
                })
                .collect(),
            goods: vec![GoodsLine {
                description: "H100".into(),
                quantity: Some(quantity),
                value: Some(Money {
                    amount: quantity * 25_000.0,
                    currency: "USD".into(),
                }),
                ..GoodsLine::default()
            }],
            ..Shipment::default()
        }
    }

    fn shown<'a>(case: &'a Case) -> impl Fn(&'a EntityId) -> Option<&'a str> {
        move |id| case.entities.get_key_value(id).map(|(k, _)| k.as_str())
    }

    #[test]
    fn a_country_only_stop_is_a_waypoint_not_its_jurisdiction_node() {
        let case = case();
        let s = shipment(
            "s-1",
            vec![
                (place("US", "LAX", None), place("SG", "Changi", None)),
                (place("SG", "Changi", None), place("MY", "Port Klang", None)),
            ],
            10.0,
        );
        let r = drawn_route(&case, &s, shown(&case)).expect("drawn");
        // The SG jurisdiction is not passed; SG is a waypoint on the shipper → consignee hop;
        // LAX (US, the shipper's country) and Port Klang (MY, the consignee's) add nothing.
        assert_eq!(r.stops, ["e-shipper", "e-consignee", "e-user"]);
        let labels: Vec<Vec<&str>> = r
            .vias
            .iter()
            .map(|h| h.iter().map(|w| w.label.as_str()).collect())
            .collect();
        assert_eq!(labels, [vec!["SG"], vec![]]);
        assert_eq!(r.vias[0][0].name, "Changi (SG)");
    }

    #[test]
    fn a_place_naming_a_shown_entity_is_a_stop_and_a_hidden_one_a_waypoint() {
        let case = case();
        let s = shipment(
            "s-1",
            vec![(
                place("SG", "Changi", None),
                place("MY", "Bonded store", Some("e-warehouse")),
            )],
            10.0,
        );
        let r = drawn_route(&case, &s, shown(&case)).expect("drawn");
        assert_eq!(
            r.stops,
            ["e-shipper", "e-warehouse", "e-consignee", "e-user"]
        );
        assert_eq!(
            r.vias[0].len(),
            1,
            "SG between the shipper and the warehouse"
        );
        // With the warehouse hidden, its place is a waypoint (in the consignee's country, so
        // not drawn) and the route goes on to the consignee.
        let hidden = |id: &EntityId| (id.as_str() != "e-warehouse").then(|| id.to_string());
        let r = drawn_route(&case, &s, hidden).expect("drawn");
        assert_eq!(r.stops, ["e-shipper", "e-consignee", "e-user"]);
        assert_eq!(
            r.vias[0].iter().map(|w| &w.label[..]).collect::<Vec<_>>(),
            ["SG"]
        );
    }

    #[test]
    fn the_origin_in_the_shippers_country_is_not_a_waypoint_after_a_forwarder() {
        let mut case = case();
        let mut fwd = Entity::new("e-fwd", EntityKind::Company, "Forwarder");
        fwd.country = Some("SG".parse().expect("country"));
        case.entities.insert(fwd.id.clone(), fwd);
        let mut s = shipment(
            "s-1",
            vec![(place("US", "LAX", None), place("HK", "HKG", None))],
            1.0,
        );
        s.forwarders = vec!["e-fwd".into()];
        let r = drawn_route(&case, &s, shown(&case)).expect("drawn");
        assert_eq!(r.stops, ["e-shipper", "e-fwd", "e-consignee", "e-user"]);
        let labels: Vec<&str> = r.vias.iter().flatten().map(|w| w.label.as_str()).collect();
        assert_eq!(
            labels,
            ["HK"],
            "LAX is where the shipper is: not drawn after the forwarder"
        );
    }

    #[test]
    fn shipments_along_one_route_bundle_with_count_and_totals() {
        let case = case();
        let via_sg = || vec![(place("US", "", None), place("SG", "", None))];
        let a = shipment("s-a", via_sg(), 100.0);
        let mut b = shipment("s-b", via_sg(), 60.0);
        b.claim = ClaimStatus::Alleged;
        let c = shipment(
            "s-c",
            vec![(place("US", "", None), place("HK", "", None))],
            5.0,
        );
        let all = [&a, &b, &c];
        let bundles = bundle_routes(&case, all, shown(&case), true);
        assert_eq!(bundles.len(), 2, "via SG twice, via HK once");
        let sg = &bundles[0];
        assert_eq!(sg.shipments.len(), 2);
        assert_eq!(sg.label(&case), "2 shipments · 160 × H100 · USD 4M");
        assert_eq!(sg.claim(), ClaimStatus::Alleged, "the weakest claim");
        assert!(sg.width() > bundles[1].width());
        assert_eq!(bundles[1].label(&case), "5 × H100 · USD 125k");
        // Unbundled, one line each.
        assert_eq!(bundle_routes(&case, all, shown(&case), false).len(), 3);
    }
}
