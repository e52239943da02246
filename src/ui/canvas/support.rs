//! Evidence on the canvas: which entities no evidence supports (drawn with a dashed ring, and
//! left out by the "Only supported items" filter). The evidence count badge is drawn with the
//! other badges in `draw`.

use crate::model::{Case, EntityId, ItemRef};
use egui::{Color32, Painter, Pos2, Shape, Stroke, vec2};
use std::collections::BTreeSet;

/// Entities that no evidence supports: none supports a claim about the entity itself, nor
/// about a link or shipment it takes part in.
pub fn unsupported_entities(case: &Case) -> BTreeSet<EntityId> {
    let supported = supported_entities(case);
    case.entities
        .keys()
        .filter(|id| !supported.contains(*id))
        .cloned()
        .collect()
}

/// Entities that some evidence supports, directly or through a link or shipment they take part
/// in. Usually far fewer than all entities, so this is the set the scene keeps.
pub fn supported_entities(case: &Case) -> BTreeSet<EntityId> {
    let mut supported: BTreeSet<&EntityId> = BTreeSet::new();
    for target in case
        .evidence
        .values()
        .flat_map(|ev| &ev.supports)
        .filter_map(|s| s.target.as_ref())
    {
        match target {
            ItemRef::Entity(id) => {
                supported.insert(id);
            }
            ItemRef::Link(id) => {
                if let Some(l) = case.links.get(id) {
                    supported.extend([&l.from, &l.to]);
                }
            }
            ItemRef::Shipment(id) => {
                if let Some(s) = case.shipments.get(id) {
                    supported.extend(s.parties().into_iter().map(|(_, p)| p));
                    supported.extend(s.goods.iter().filter_map(|g| g.product.as_ref()));
                    supported.extend(
                        s.legs
                            .iter()
                            .flat_map(|l| [&l.from.entity, &l.to.entity])
                            .flatten(),
                    );
                }
            }
            _ => {}
        }
    }
    supported.into_iter().cloned().collect()
}

/// A dashed ring around a node that no evidence supports.
pub(super) fn unsupported_ring(painter: &Painter, centre: Pos2, radius: f32, color: Color32) {
    const SEGMENTS: usize = 32;
    let points: Vec<Pos2> = (0..=SEGMENTS)
        .map(|k| {
            #[allow(clippy::cast_precision_loss)]
            let a = std::f32::consts::TAU * k as f32 / SEGMENTS as f32;
            centre + vec2(a.cos(), a.sin()) * radius
        })
        .collect();
    let (dash, gap) = crate::ui::theme::UNSUPPORTED_DASH;
    painter.extend(Shape::dashed_line(
        &points,
        Stroke::new(1.5, color),
        dash,
        gap,
    ));
}
