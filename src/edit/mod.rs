//! The one path for every change to a case. `Case::apply(edit)` validates the edit, applies it,
//! and returns its inverse; `History` keeps those inverses for unlimited undo and redo. The UI,
//! the CLI, importers, layouts and tests all go through here, so nothing bypasses validation.

mod history;
mod merge;
mod validate;

pub use history::History;
pub use merge::{MergeConflict, MergePlan, plan_merge};
pub use validate::{
    MAX_LIST_LEN, MAX_TEXT_LEN, ValidationError, check_case, is_safe_relative_path, references_to,
};

use crate::model::{
    Case, CaseMeta, Entity, EntityId, Evidence, Group, ItemRef, Link, NodePosition, Note,
    SavedView, Shipment, ViewId,
};

/// Any item that lives in a case under its own id.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Entity(Box<Entity>),
    Link(Box<Link>),
    Shipment(Box<Shipment>),
    Evidence(Box<Evidence>),
    Note(Box<Note>),
    Group(Box<Group>),
    View(Box<SavedView>),
}

impl Item {
    pub fn item_ref(&self) -> ItemRef {
        match self {
            Item::Entity(x) => ItemRef::Entity(x.id.clone()),
            Item::Link(x) => ItemRef::Link(x.id.clone()),
            Item::Shipment(x) => ItemRef::Shipment(x.id.clone()),
            Item::Evidence(x) => ItemRef::Evidence(x.id.clone()),
            Item::Note(x) => ItemRef::Note(x.id.clone()),
            Item::Group(x) => ItemRef::Group(x.id.clone()),
            Item::View(x) => ItemRef::View(x.id.clone()),
        }
    }
}

impl From<Entity> for Item {
    fn from(x: Entity) -> Self {
        Item::Entity(Box::new(x))
    }
}
impl From<Link> for Item {
    fn from(x: Link) -> Self {
        Item::Link(Box::new(x))
    }
}
impl From<Shipment> for Item {
    fn from(x: Shipment) -> Self {
        Item::Shipment(Box::new(x))
    }
}
impl From<Evidence> for Item {
    fn from(x: Evidence) -> Self {
        Item::Evidence(Box::new(x))
    }
}
impl From<Note> for Item {
    fn from(x: Note) -> Self {
        Item::Note(Box::new(x))
    }
}
impl From<Group> for Item {
    fn from(x: Group) -> Self {
        Item::Group(Box::new(x))
    }
}
impl From<SavedView> for Item {
    fn from(x: SavedView) -> Self {
        Item::View(Box::new(x))
    }
}

/// One change to a case. Applying an edit yields the edit that undoes it.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Add a new item; its id must be unused.
    Insert(Item),
    /// Replace an existing item with the same id.
    Replace(Item),
    /// Remove an item nothing else refers to.
    Remove(ItemRef),
    /// Replace the case metadata.
    SetMeta(Box<CaseMeta>),
    /// Set (Some) or clear (None) canvas positions of entities, e.g. after a drag or a layout.
    SetPositions(Vec<(EntityId, Option<NodePosition>)>),
    /// Move a saved view to `index` in presentation order.
    MoveView { id: ViewId, index: usize },
    /// Several edits applied as one step (an import, a layout, a cascade delete). All or none.
    Batch(Vec<Edit>),
}

impl Edit {
    /// Removes an entity together with everything that would dangle without it: links, its
    /// and its place in groups (its canvas position goes with the entity); shipments, evidence, notes and views that
    /// name it must be changed by the user first, so they are reported rather than dropped.
    pub fn remove_entity_cascade(case: &Case, id: &EntityId) -> Edit {
        let target = ItemRef::Entity(id.clone());
        let mut edits = Vec::new();
        for by in references_to(case, &target) {
            match &by {
                ItemRef::Link(_) => edits.push(Edit::Remove(by)),
                ItemRef::Group(gid) => {
                    if let Some(g) = case.groups.get(gid) {
                        let mut g = g.clone();
                        g.members.retain(|m| m != id);
                        edits.push(Edit::Replace(g.into()));
                    }
                }
                _ => {}
            }
        }
        edits.push(Edit::Remove(target));
        if edits.len() == 1 {
            edits.pop().unwrap_or(Edit::Batch(Vec::new()))
        } else {
            Edit::Batch(edits)
        }
    }
}

/// Why an edit was refused. The case is unchanged when this is returned.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct EditError(pub Vec<ValidationError>);

impl EditError {
    fn one(e: ValidationError) -> Self {
        Self(vec![e])
    }
}

impl Case {
    /// Validates and applies `edit`, returning the edit that undoes it. On error the case is
    /// exactly as it was.
    pub fn apply(&mut self, edit: Edit) -> Result<Edit, EditError> {
        match edit {
            Edit::Insert(item) => self.insert_item(item),
            Edit::Replace(item) => self.replace_item(item),
            Edit::Remove(target) => self.remove_item(&target),
            Edit::SetMeta(meta) => {
                let old = std::mem::replace(&mut self.meta, *meta);
                Ok(Edit::SetMeta(Box::new(old)))
            }
            Edit::SetPositions(moves) => self.set_positions(moves),
            Edit::MoveView { id, index } => self.move_view(&id, index),
            Edit::Batch(edits) => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match self.apply(edit) {
                        Ok(inv) => inverses.push(inv),
                        Err(err) => {
                            // Roll back what this batch already did, newest first.
                            for inv in inverses.into_iter().rev() {
                                let _ = self.apply(inv);
                            }
                            return Err(err);
                        }
                    }
                }
                inverses.reverse();
                Ok(Edit::Batch(inverses))
            }
        }
    }

    fn check_item(&self, item: &Item) -> Result<(), EditError> {
        let result = match item {
            Item::Entity(x) => validate::check_entity(self, x),
            Item::Link(x) => validate::check_link(self, x),
            Item::Shipment(x) => validate::check_shipment(self, x),
            Item::Evidence(x) => validate::check_evidence(self, x),
            Item::Note(x) => validate::check_note(self, x),
            Item::Group(x) => validate::check_group(self, x),
            Item::View(x) => validate::check_view(self, x),
        };
        result.map_err(EditError)
    }

    fn insert_item(&mut self, item: Item) -> Result<Edit, EditError> {
        let target = item.item_ref();
        if self.contains(&target) {
            return Err(EditError::one(ValidationError::DuplicateId(target)));
        }
        // Self-references (a link from an entity to itself) are fine; references to the item
        // being inserted cannot exist yet, so checking before inserting is sound.
        self.check_item(&item)?;
        self.put(item);
        Ok(Edit::Remove(target))
    }

    fn replace_item(&mut self, item: Item) -> Result<Edit, EditError> {
        let target = item.item_ref();
        if !self.contains(&target) {
            return Err(EditError::one(ValidationError::Missing(target)));
        }
        self.check_item(&item)?;
        let old = self
            .put(item)
            .ok_or_else(|| EditError::one(ValidationError::Missing(target)))?;
        Ok(Edit::Replace(old))
    }

    fn remove_item(&mut self, target: &ItemRef) -> Result<Edit, EditError> {
        if !self.contains(target) {
            return Err(EditError::one(ValidationError::Missing(target.clone())));
        }
        let by = references_to(self, target);
        if !by.is_empty() {
            return Err(EditError::one(ValidationError::StillReferenced {
                item: target.clone(),
                by,
            }));
        }
        let view_index = match target {
            ItemRef::View(id) => self.views.iter().position(|v| &v.id == id),
            _ => None,
        };
        let item = self
            .take(target)
            .ok_or_else(|| EditError::one(ValidationError::Missing(target.clone())))?;
        let mut inverse = vec![Edit::Insert(item)];
        // A removed entity's canvas position goes with it, and comes back on undo.
        if let ItemRef::Entity(id) = target
            && let Some(p) = self.positions.remove(id)
        {
            inverse.push(Edit::SetPositions(vec![(id.clone(), Some(p))]));
        }
        // Views are ordered: undo puts a view back where it was.
        if let (ItemRef::View(id), Some(index)) = (target, view_index) {
            inverse.push(Edit::MoveView {
                id: id.clone(),
                index,
            });
        }
        Ok(if inverse.len() == 1 {
            inverse.remove(0)
        } else {
            Edit::Batch(inverse)
        })
    }

    fn move_view(&mut self, id: &ViewId, index: usize) -> Result<Edit, EditError> {
        let missing = || EditError::one(ValidationError::Missing(ItemRef::View(id.clone())));
        let from = self
            .views
            .iter()
            .position(|v| &v.id == id)
            .ok_or_else(missing)?;
        let view = self.views.remove(from);
        let index = index.min(self.views.len());
        self.views.insert(index, view);
        Ok(Edit::MoveView {
            id: id.clone(),
            index: from,
        })
    }

    fn set_positions(
        &mut self,
        moves: Vec<(EntityId, Option<NodePosition>)>,
    ) -> Result<Edit, EditError> {
        let mut errors = Vec::new();
        for (id, pos) in &moves {
            if !self.entities.contains_key(id) {
                errors.push(ValidationError::Missing(ItemRef::Entity(id.clone())));
            }
            if let Some(p) = pos
                && !(p.x.is_finite() && p.y.is_finite() && p.x.abs() <= 1e7 && p.y.abs() <= 1e7)
            {
                errors.push(ValidationError::InvalidField {
                    item: ItemRef::Entity(id.clone()),
                    field: "canvas position".to_owned(),
                    message: format!("must be finite and within ±1e7 (got {}, {})", p.x, p.y),
                });
            }
        }
        if !errors.is_empty() {
            return Err(EditError(errors));
        }
        let mut inverse = Vec::with_capacity(moves.len());
        for (id, pos) in moves {
            let old = match pos {
                Some(p) => self.positions.insert(id.clone(), p),
                None => self.positions.remove(&id),
            };
            inverse.push((id, old));
        }
        // Undo restores in reverse order so repeated ids in one edit come back right.
        inverse.reverse();
        Ok(Edit::SetPositions(inverse))
    }

    /// Stores `item`, returning the item it replaced.
    fn put(&mut self, item: Item) -> Option<Item> {
        match item {
            Item::Entity(x) => self.entities.insert(x.id.clone(), *x).map(Item::from),
            Item::Link(x) => self.links.insert(x.id.clone(), *x).map(Item::from),
            Item::Shipment(x) => self.shipments.insert(x.id.clone(), *x).map(Item::from),
            Item::Evidence(x) => self.evidence.insert(x.id.clone(), *x).map(Item::from),
            Item::Note(x) => self.notes.insert(x.id.clone(), *x).map(Item::from),
            Item::Group(x) => self.groups.insert(x.id.clone(), *x).map(Item::from),
            Item::View(x) => {
                if let Some(slot) = self.views.iter_mut().find(|v| v.id == x.id) {
                    Some(Item::from(std::mem::replace(slot, *x)))
                } else {
                    self.views.push(*x);
                    None
                }
            }
        }
    }

    fn take(&mut self, target: &ItemRef) -> Option<Item> {
        match target {
            ItemRef::Entity(id) => self.entities.remove(id).map(Item::from),
            ItemRef::Link(id) => self.links.remove(id).map(Item::from),
            ItemRef::Shipment(id) => self.shipments.remove(id).map(Item::from),
            ItemRef::Evidence(id) => self.evidence.remove(id).map(Item::from),
            ItemRef::Note(id) => self.notes.remove(id).map(Item::from),
            ItemRef::Group(id) => self.groups.remove(id).map(Item::from),
            ItemRef::View(id) => {
                let index = self.views.iter().position(|v| &v.id == id)?;
                Some(Item::from(self.views.remove(index)))
            }
        }
    }

    /// The current version of an item, for inspectors and edit builders.
    pub fn item(&self, target: &ItemRef) -> Option<Item> {
        match target {
            ItemRef::Entity(id) => self.entities.get(id).cloned().map(Item::from),
            ItemRef::Link(id) => self.links.get(id).cloned().map(Item::from),
            ItemRef::Shipment(id) => self.shipments.get(id).cloned().map(Item::from),
            ItemRef::Evidence(id) => self.evidence.get(id).cloned().map(Item::from),
            ItemRef::Note(id) => self.notes.get(id).cloned().map(Item::from),
            ItemRef::Group(id) => self.groups.get(id).cloned().map(Item::from),
            ItemRef::View(id) => self
                .views
                .iter()
                .find(|v| &v.id == id)
                .cloned()
                .map(Item::from),
        }
    }
}
