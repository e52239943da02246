//! What the canvas and the exported pictures (SVG, PNG, the report) agree on, so a picture
//! shows the case as the canvas does: where entities without a saved place stand, how wide a
//! shipment's route is drawn, and which entities a route passes.

use crate::model::{CanvasPoint, Case, EntityId, Shipment};

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

/// The entities a shipment's goods pass, in order: shipper, forwarders, the places of its legs
/// that are entities, consignee, suspected end user. Routes are drawn through them.
pub fn route_stops(s: &Shipment) -> impl Iterator<Item = &EntityId> {
    s.shipper
        .iter()
        .chain(&s.forwarders)
        .chain(
            s.legs
                .iter()
                .flat_map(|leg| leg.from.entity.iter().chain(leg.to.entity.iter())),
        )
        .chain(&s.consignee)
        .chain(&s.suspected_end_user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_width_grows_with_quantity_then_value_and_is_bounded() {
        assert_eq!(route_width(0.0, 0.0), 2.0);
        assert!(route_width(200.0, 0.0) > route_width(8.0, 0.0));
        assert!(route_width(0.0, 5_600_000.0) > 2.0);
        assert_eq!(route_width(1e30, 0.0), 14.0);
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
