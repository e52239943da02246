//! What the canvas and the exported pictures (SVG, PNG, the report) agree on, so a picture
//! shows the case as the canvas does: where entities without a saved place stand and how wide a
//! shipment's route is drawn (which entities a route passes: [`super::routes`]).

use crate::edit::{Edit, Item};
use crate::model::{
    CanvasPoint, Case, CountryCode, EntityId, EntityKind, NodePosition, Place, Shipment,
};
use std::collections::HashMap;

/// Spacing of the grid where entities without a saved place are drawn, in canvas units.
pub const UNPLACED_SPACING: f32 = 150.0;

/// Places for entities with no saved position: a square grid in id order, below the placed
/// ones (deterministic, so a picture and the canvas agree).
pub fn unplaced_positions(case: &Case) -> Vec<(&EntityId, CanvasPoint)> {
    let placed_bottom = case
        .positions
        .values()
        .map(|p| p.y)
        .filter(|y| y.is_finite())
        .fold(f32::NEG_INFINITY, f32::max);
    let top = if placed_bottom.is_finite() {
        placed_bottom + UNPLACED_SPACING * 1.5
    } else {
        0.0
    };
    let unplaced: Vec<&EntityId> = case
        .entities
        .keys()
        .filter(|id| !case.positions.contains_key(*id))
        .collect();
    let columns = ((unplaced.len() as f32).sqrt().ceil() as usize).max(1);
    unplaced
        .into_iter()
        .enumerate()
        .map(|(i, id)| {
            let p = CanvasPoint {
                x: (i % columns) as f32 * UNPLACED_SPACING,
                y: top + (i / columns) as f32 * UNPLACED_SPACING,
            };
            (id, p)
        })
        .collect()
}

/// Stored places for the entities of `ids` that `case` has no place for: a square grid
/// below everything placed, in the order given (the place [`unplaced_positions`] would show
/// them at), or, with `near` (the middle of the user's view), the free spots of a grid
/// around it, nearest first. Every entity gets a stored place when it is created, imported,
/// pasted or merged in, so what the user sees stays where it is until the user (or a layout
/// they run) moves it; a place left to be computed at drawing time would move whenever
/// another place changes.
pub fn places_for(
    case: &Case,
    ids: &[EntityId],
    near: Option<CanvasPoint>,
) -> Vec<(EntityId, Option<NodePosition>)> {
    let mut seen = std::collections::HashSet::new();
    let wanted: Vec<&EntityId> = ids
        .iter()
        .filter(|id| !case.positions.contains_key(*id) && seen.insert(*id))
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let at = |p: CanvasPoint| NodePosition {
        x: p.x,
        y: p.y,
        pinned: false,
    };
    match near {
        None => {
            let placed_bottom = case
                .positions
                .values()
                .map(|p| p.y)
                .filter(|y| y.is_finite())
                .fold(f32::NEG_INFINITY, f32::max);
            let top = if placed_bottom.is_finite() {
                placed_bottom + UNPLACED_SPACING * 1.5
            } else {
                0.0
            };
            let columns = ((wanted.len() as f32).sqrt().ceil() as usize).max(1);
            wanted
                .into_iter()
                .enumerate()
                .map(|(i, id)| {
                    let p = CanvasPoint {
                        x: (i % columns) as f32 * UNPLACED_SPACING,
                        y: top + (i / columns) as f32 * UNPLACED_SPACING,
                    };
                    (id.clone(), Some(at(p)))
                })
                .collect()
        }
        Some(centre) => {
            let mut taken: Vec<CanvasPoint> = case
                .positions
                .values()
                .map(|p| CanvasPoint { x: p.x, y: p.y })
                .collect();
            let clear = UNPLACED_SPACING * 0.6;
            let mut out = Vec::with_capacity(wanted.len());
            let mut ring: i32 = 0;
            let mut wanted = wanted.into_iter();
            let mut next = wanted.next();
            // Rings of grid spots around the centre, nearest first; a spot is free when no
            // node stands within 60 % of the grid spacing of it.
            while let Some(id) = next {
                let mut spots: Vec<(i32, i32)> = (-ring..=ring)
                    .flat_map(|dx| (-ring..=ring).map(move |dy| (dx, dy)))
                    .filter(|(dx, dy)| dx.abs().max(dy.abs()) == ring)
                    .collect();
                spots.sort_by_key(|(dx, dy)| (dx * dx + dy * dy, *dy, *dx));
                let mut id_here = Some(id);
                for (dx, dy) in spots {
                    let Some(current) = id_here else { break };
                    let p = CanvasPoint {
                        x: centre.x + dx as f32 * UNPLACED_SPACING,
                        y: centre.y + dy as f32 * UNPLACED_SPACING,
                    };
                    if taken.iter().any(|q| (q.x - p.x).hypot(q.y - p.y) < clear) {
                        continue;
                    }
                    taken.push(p);
                    out.push((current.clone(), Some(at(p))));
                    id_here = wanted.next();
                }
                next = id_here;
                ring += 1;
            }
            out
        }
    }
}

/// The entities `edit` inserts, at any depth of a batch, in order.
pub fn inserted_entities(edit: &Edit) -> Vec<EntityId> {
    fn walk(edit: &Edit, out: &mut Vec<EntityId>) {
        match edit {
            Edit::Insert(Item::Entity(e)) => out.push(e.id.clone()),
            Edit::Batch(edits) => edits.iter().for_each(|e| walk(e, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(edit, &mut out);
    out
}

/// Entities given a place by `edit` itself.
fn placed_by(edit: &Edit, out: &mut std::collections::HashSet<EntityId>) {
    match edit {
        Edit::SetPositions(moves) => out.extend(moves.iter().map(|(id, _)| id.clone())),
        Edit::Batch(edits) => edits.iter().for_each(|e| placed_by(e, out)),
        _ => {}
    }
}

/// `edit` (applied to `case`) followed, in the same batch and so the same undo step, by stored
/// places ([`places_for`]) for the entities it inserts without giving them one.
pub fn with_places_for_new_entities(case: &Case, edit: Edit, near: Option<CanvasPoint>) -> Edit {
    let mut placed = std::collections::HashSet::new();
    placed_by(&edit, &mut placed);
    let new: Vec<EntityId> = inserted_entities(&edit)
        .into_iter()
        .filter(|id| !placed.contains(id))
        .collect();
    let places = places_for(case, &new, near);
    if places.is_empty() {
        return edit;
    }
    match edit {
        Edit::Batch(mut edits) => {
            edits.push(Edit::SetPositions(places));
            Edit::Batch(edits)
        }
        other => Edit::Batch(vec![other, Edit::SetPositions(places)]),
    }
}

/// The stroke width of a shipment's route: 2 units when nothing is stated, growing with the
/// log of its quantity (or of its value, when no quantity is given), at most 14.
pub fn route_width(quantity: f64, value: f64) -> f32 {
    let measure = if quantity > 0.0 {
        quantity
    } else {
        value / 25_000.0
    };
    let w = if measure > 0.0 {
        2.0 + (measure.log10().max(0.0) * 2.5) as f32
    } else {
        2.0
    };
    w.clamp(2.0, 14.0)
}

/// The route width of a shipment from its goods lines.
pub fn shipment_route_width(s: &Shipment) -> f32 {
    let value: f64 = s
        .goods
        .iter()
        .filter_map(|g| g.value.as_ref().map(|v| v.amount))
        .sum();
    route_width(s.total_quantity(), value)
}

/// Which jurisdiction entity stands for a country on a shipment's route: a leg place that
/// names only a country passes that country's jurisdiction node, when the case holds exactly
/// one jurisdiction with the code (with several, or none, the place is not a stop). Built once
/// per case and shared by every route of it.
#[derive(Clone, Debug, Default)]
pub struct JurisdictionIndex<'a> {
    /// `None` for a code that several jurisdictions share.
    by_country: HashMap<&'a CountryCode, Option<&'a EntityId>>,
}

impl<'a> JurisdictionIndex<'a> {
    pub fn new(case: &'a Case) -> Self {
        let mut by_country: HashMap<&CountryCode, Option<&EntityId>> = HashMap::new();
        for (id, e) in &case.entities {
            if e.kind == EntityKind::Jurisdiction
                && let Some(c) = &e.country
            {
                by_country
                    .entry(c)
                    .and_modify(|only| *only = None)
                    .or_insert(Some(id));
            }
        }
        Self { by_country }
    }

    /// The one jurisdiction entity with this country code, if there is exactly one.
    pub fn get(&self, country: &CountryCode) -> Option<&'a EntityId> {
        self.by_country.get(country).copied().flatten()
    }

    /// The entity a route passes at `place`: the one the place names, else the jurisdiction of
    /// its country (see [`Self::get`]).
    pub fn place_stop(&self, place: &'a Place) -> Option<&'a EntityId> {
        place
            .entity
            .as_ref()
            .or_else(|| place.country.as_ref().and_then(|c| self.get(c)))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn route_width_grows_with_quantity_then_value_and_is_bounded() {
        assert_eq!(route_width(0.0, 0.0), 2.0);
        assert!(route_width(200.0, 0.0) > route_width(8.0, 0.0));
        assert!(route_width(0.0, 5_600_000.0) > 2.0);
        assert_eq!(route_width(1e30, 0.0), 14.0);
    }

    fn country_place(code: &str) -> Place {
        Place {
            country: Some(code.parse().expect("country")),
            ..Place::default()
        }
    }

    /// A US → SG → CN shipment whose legs name only countries, in a case with one Singapore
    /// jurisdiction and two Chinese ones (and none for the US).
    pub(crate) fn country_route_case() -> Case {
        let mut case = Case::default();
        for (id, kind, country) in [
            ("e-shipper", EntityKind::Company, Some("US")),
            ("e-consignee", EntityKind::Company, Some("CN")),
            ("e-sg", EntityKind::Jurisdiction, Some("SG")),
            ("e-cn-1", EntityKind::Jurisdiction, Some("CN")),
            ("e-cn-2", EntityKind::Jurisdiction, Some("CN")),
            ("e-sg-port", EntityKind::Facility, Some("SG")),
        ] {
            let mut e = crate::model::Entity::new(id, kind, id);
            e.country = country.map(|c| c.parse().expect("country"));
            case.entities.insert(id.into(), e);
        }
        let s = Shipment {
            id: "s-1".into(),
            shipper: Some("e-shipper".into()),
            consignee: Some("e-consignee".into()),
            legs: vec![
                crate::model::Leg {
                    from: country_place("US"),
                    to: country_place("SG"),
                    ..crate::model::Leg::default()
                },
                crate::model::Leg {
                    from: country_place("SG"),
                    to: country_place("CN"),
                    ..crate::model::Leg::default()
                },
            ],
            ..Shipment::default()
        };
        case.shipments.insert(s.id.clone(), s);
        case
    }

    #[test]
    fn new_entities_get_stored_places_that_do_not_overlap() {
        let mut case = Case::default();
        for id in ["e-a", "e-b"] {
            case.entities.insert(
                id.into(),
                crate::model::Entity::new(id, crate::model::EntityKind::Company, id),
            );
        }
        case.positions.insert(
            "e-a".into(),
            NodePosition {
                x: 0.0,
                y: 0.0,
                pinned: false,
            },
        );
        // Below the placed ones, as they would have been drawn.
        let below = places_for(&case, &["e-b".into(), "e-a".into()], None);
        assert_eq!(below.len(), 1, "a placed entity keeps its place");
        let drawn = unplaced_positions(&case);
        let p = below[0].1.expect("placed");
        assert_eq!((drawn[0].1.x, drawn[0].1.y), (p.x, p.y));
        // Around the view's centre: the centre is taken by e-a, so the next free spot.
        let near = places_for(
            &case,
            &["e-b".into(), "e-c".into()],
            Some(CanvasPoint { x: 0.0, y: 0.0 }),
        );
        assert_eq!(near.len(), 2);
        let spots: Vec<(f32, f32)> = near
            .iter()
            .map(|(_, p)| p.map(|p| (p.x, p.y)).expect("placed"))
            .collect();
        assert!(
            spots
                .iter()
                .all(|&(x, y)| x.hypot(y) >= UNPLACED_SPACING * 0.99)
        );
        assert_ne!(spots[0], spots[1]);
        // An edit inserting an entity without a place gets one in the same batch.
        let e = crate::model::Entity::new("e-new", crate::model::EntityKind::Company, "New");
        let edit = with_places_for_new_entities(&case, Edit::Insert(e.into()), None);
        let mut after = case.clone();
        after.apply(edit).expect("applies");
        assert!(after.positions.contains_key(&EntityId::from("e-new")));
    }

    #[test]
    fn unplaced_entities_go_below_the_placed_ones() {
        let mut case = Case::default();
        for id in ["e-a", "e-b", "e-c"] {
            case.entities.insert(
                id.into(),
                crate::model::Entity::new(id, crate::model::EntityKind::Company, id),
            );
        }
        case.positions.insert(
            "e-a".into(),
            crate::model::NodePosition {
                x: 0.0,
                y: 400.0,
                pinned: false,
            },
        );
        let placed = unplaced_positions(&case);
        assert_eq!(placed.len(), 2);
        assert!(placed.iter().all(|(_, p)| p.y > 400.0));
    }
}
