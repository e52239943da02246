//! The edits that make a new item where the user asks for one (the canvas's context menu,
//! pickers and keys): an entity at a place, a link, a shipment between two parties, a sticky
//! note, a group. Each is one undo step with fresh ids.

use super::Edit;
use crate::model::{
    CanvasPoint, Case, Entity, EntityId, EntityKind, Group, GroupId, ItemRef, Leg, Link,
    LinkKindTag, NodePosition, Note, NoteId, Place, Shipment, Timestamp,
};

/// A new entity of `kind` placed at `at`: insert and position as one undo step.
pub fn new_entity_edit(case: &Case, kind: EntityKind, at: CanvasPoint) -> (Edit, EntityId) {
    let name = format!("New {}", kind.label().to_lowercase());
    new_named_entity_edit(case, Entity::new(EntityId::default(), kind, name), at)
}

/// `entity` as the user described it (its name, country, ECCN …), placed at `at`: its id is
/// made from its name (`e-orchid-bay-logistics`), never from a placeholder.
pub fn new_named_entity_edit(case: &Case, mut entity: Entity, at: CanvasPoint) -> (Edit, EntityId) {
    entity.name = entity.name.trim().to_owned();
    let id = case.fresh_entity_id(&entity.name);
    entity.id = id.clone();
    let edit = Edit::Batch(vec![
        Edit::Insert(entity.into()),
        Edit::SetPositions(vec![(
            id.clone(),
            Some(NodePosition {
                x: at.x,
                y: at.y,
                pinned: false,
            }),
        )]),
    ]);
    (edit, id)
}

/// A link of `tag` from one entity to another.
pub fn new_link_edit(
    case: &Case,
    tag: LinkKindTag,
    from: &EntityId,
    to: &EntityId,
) -> (Edit, ItemRef) {
    let id = case.fresh_link_id(&format!("{from} {to}"));
    let link = Link::new(id.clone(), tag.default_kind(), from.clone(), to.clone());
    (Edit::Insert(link.into()), ItemRef::Link(id))
}

/// A shipment from a shipper to a consignee, with one leg between their countries.
pub fn new_shipment_edit(case: &Case, from: &EntityId, to: &EntityId) -> (Edit, ItemRef) {
    let place = |id: &EntityId| {
        let e = case.entities.get(id);
        Place {
            name: e
                .and_then(|e| e.country.as_ref())
                .map_or_else(|| "Unknown".to_owned(), ToString::to_string),
            country: e.and_then(|e| e.country.clone()),
            entity: None,
        }
    };
    let reference = format!("Shipment {}", case.shipments.len() + 1);
    let id = case.fresh_shipment_id(&reference);
    let shipment = Shipment {
        id: id.clone(),
        reference,
        shipper: Some(from.clone()),
        consignee: Some(to.clone()),
        legs: vec![Leg {
            from: place(from),
            to: place(to),
            ..Leg::default()
        }],
        ..Shipment::default()
    };
    (Edit::Insert(shipment.into()), ItemRef::Shipment(id))
}

/// A sticky note at `at` on the canvas.
pub fn new_note_edit(case: &Case, at: CanvasPoint, author: &str) -> (Edit, ItemRef) {
    let id = NoteId::new(Case::fresh_id("n", "note", |s| {
        case.notes.contains_key(&NoteId::new(s))
    }));
    let now = Timestamp::now();
    let note = Note {
        id: id.clone(),
        title: "New note".to_owned(),
        body: String::new(),
        about: None,
        author: author.to_owned(),
        created: now,
        modified: now,
        canvas: Some(at),
    };
    (Edit::Insert(note.into()), ItemRef::Note(id))
}

/// A group of the selected entities.
pub fn new_group_edit(case: &Case, members: Vec<EntityId>) -> (Edit, ItemRef) {
    let title = format!("Group {}", case.groups.len() + 1);
    let id = GroupId::new(Case::fresh_id("g", &title, |s| {
        case.groups.contains_key(&GroupId::new(s))
    }));
    let group = Group {
        id: id.clone(),
        title,
        members,
        collapsed: false,
    };
    (Edit::Insert(group.into()), ItemRef::Group(id))
}
