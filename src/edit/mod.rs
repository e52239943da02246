//! The one path for every change to a case. `Case::apply(edit)` validates the edit, applies it,
//! and returns its inverse; `History` keeps those inverses for unlimited undo and redo. The UI,
//! the CLI, importers, layouts and tests all go through here, so nothing bypasses validation.

mod custody;
mod history;
mod merge;
mod new_items;
mod validate;

pub use custody::{check_custody_entry, is_sha256_hex};
pub use history::{History, Revision, SavePoint};
pub use merge::{
    MergeConflict, MergePlan, Merged, base_from_fingerprints, base_key, fingerprint, fingerprints,
    item_value, merge_cases, plan_merge,
};
pub use new_items::{
    new_entity_edit, new_group_edit, new_link_edit, new_named_entity_edit, new_note_edit,
    new_shipment_edit,
};
pub use validate::{
    MAX_LIST_LEN, MAX_TEXT_LEN, ValidationError, check_case, check_dismissal,
    is_safe_relative_path, references_to,
};

use crate::model::{
    Case, CaseMeta, CustodyEntry, Dismissal, Entity, EntityId, Evidence, Group, ItemRef, Link,
    NodePosition, Note, SavedView, Shipment, ViewId,
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
    /// Dismiss the red-flag finding with key `finding` (Some, with the reason), or restore it
    /// (None). Replacing an existing dismissal changes its reason.
    SetDismissal {
        finding: String,
        dismissal: Option<Box<Dismissal>>,
    },
    /// Append an entry to the custody log (always batched with the evidence change it
    /// records; see `edit::custody`).
    AppendCustody(Box<CustodyEntry>),
    /// Take back the newest custody entry, which must equal this one: only ever the inverse of
    /// `AppendCustody`, so the log stays append-only.
    RetractCustody(Box<CustodyEntry>),
    /// Replace the case's trade statistics (an import adds rows; undo puts the old list back).
    SetStatistics(Vec<crate::model::TradeFlow>),
    /// Several edits applied as one step (an import, a layout, a cascade delete). All or none.
    Batch(Vec<Edit>),
}

impl Edit {
    /// Removes an entity together with everything that would dangle without it: its links and
    /// its places in groups (its canvas position goes with the entity); shipments, evidence,
    /// notes and views that name it must be changed by the user first, so they are reported
    /// rather than dropped. The one-item case of [`Edit::remove_many`].
    pub fn remove_entity_cascade(case: &Case, id: &EntityId) -> Edit {
        Edit::remove_many(case, &[ItemRef::Entity(id.clone())])
    }

    /// Removes several items at once (a canvas selection) as one step: links touching removed
    /// entities go with them, groups lose removed members once, and each item is removed once.
    /// Items that other, surviving items still name make the edit fail validation, so nothing
    /// is removed silently.
    pub fn remove_many(case: &Case, items: &[ItemRef]) -> Edit {
        let removing: std::collections::BTreeSet<&ItemRef> = items.iter().collect();
        let entities: std::collections::BTreeSet<&EntityId> = items
            .iter()
            .filter_map(|i| match i {
                ItemRef::Entity(id) => Some(id),
                _ => None,
            })
            .collect();
        let mut links: Vec<ItemRef> = case
            .links
            .values()
            .filter(|l| entities.contains(&l.from) || entities.contains(&l.to))
            .map(|l| ItemRef::Link(l.id.clone()))
            .collect();
        links.extend(
            items
                .iter()
                .filter(|i| matches!(i, ItemRef::Link(_)))
                .cloned(),
        );
        links.sort();
        links.dedup();
        let mut edits: Vec<Edit> = links.into_iter().map(Edit::Remove).collect();
        for g in case.groups.values() {
            if removing.contains(&ItemRef::Group(g.id.clone())) {
                continue;
            }
            if g.members.iter().any(|m| entities.contains(m)) {
                let mut g = g.clone();
                g.members.retain(|m| !entities.contains(m));
                edits.push(Edit::Replace(g.into()));
            }
        }
        // Items that refer to others first (groups, notes, evidence, shipments), entities last.
        let rank = |i: &ItemRef| match i {
            ItemRef::Link(_) => 0,
            ItemRef::View(_) | ItemRef::Group(_) | ItemRef::Note(_) => 1,
            ItemRef::Evidence(_) => 2,
            ItemRef::Shipment(_) => 3,
            ItemRef::Entity(_) => 4,
        };
        let mut rest: Vec<&ItemRef> = removing
            .iter()
            .copied()
            .filter(|i| !matches!(i, ItemRef::Link(_)))
            .collect();
        rest.sort_by_key(|i| rank(i));
        edits.extend(rest.into_iter().cloned().map(Edit::Remove));
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
            Edit::SetDismissal { finding, dismissal } => self.set_dismissal(finding, dismissal),
            Edit::AppendCustody(entry) => self.append_custody(*entry),
            Edit::RetractCustody(entry) => self.retract_custody(*entry),
            Edit::SetStatistics(rows) => Ok(Edit::SetStatistics(std::mem::replace(
                &mut self.statistics,
                rows,
            ))),
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
        if let Some(other) = self.id_in_use(target.id_str()) {
            return Err(EditError::one(ValidationError::SharedId {
                item: target,
                other,
            }));
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

    fn set_dismissal(
        &mut self,
        finding: String,
        dismissal: Option<Box<Dismissal>>,
    ) -> Result<Edit, EditError> {
        if let Some(d) = &dismissal {
            validate::check_dismissal(d).map_err(EditError)?;
            if d.finding != finding {
                return Err(EditError::one(ValidationError::Dismissal {
                    finding,
                    message: format!("names another finding (\"{}\")", d.finding),
                }));
            }
        }
        // Kept in key order, so the file diffs well and lookups stay simple.
        let slot = self
            .dismissals
            .binary_search_by(|d| d.finding.as_str().cmp(&finding));
        let old = match (slot, dismissal) {
            (Ok(i), Some(d)) => Some(std::mem::replace(&mut self.dismissals[i], *d)),
            (Ok(i), None) => Some(self.dismissals.remove(i)),
            (Err(i), Some(d)) => {
                if self.dismissals.len() >= MAX_LIST_LEN {
                    return Err(EditError::one(ValidationError::Dismissal {
                        finding,
                        message: format!("cannot be added: the case has {MAX_LIST_LEN} dismissals"),
                    }));
                }
                self.dismissals.insert(i, *d);
                None
            }
            (Err(_), None) => {
                return Err(EditError::one(ValidationError::Dismissal {
                    finding,
                    message: "is not dismissed".to_owned(),
                }));
            }
        };
        Ok(Edit::SetDismissal {
            finding,
            dismissal: old.map(Box::new),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn dismissal(key: &str, reason: &str) -> Dismissal {
        Dismissal {
            finding: key.to_owned(),
            reason: reason.to_owned(),
            ..Dismissal::default()
        }
    }

    #[test]
    fn dismissals_are_set_changed_and_undone() {
        let mut case = Case::default();
        let original = case.clone();
        let set = |key: &str, reason: &str| Edit::SetDismissal {
            finding: key.to_owned(),
            dismissal: Some(Box::new(dismissal(key, reason))),
        };
        let undo_b = case
            .apply(set("rule-b:shipment=s-1", "known broker"))
            .expect("set");
        let undo_a = case
            .apply(set("rule-a:entity=e-1", "same company"))
            .expect("set");
        // Kept in key order.
        let keys: Vec<&str> = case.dismissals.iter().map(|d| d.finding.as_str()).collect();
        assert_eq!(keys, ["rule-a:entity=e-1", "rule-b:shipment=s-1"]);
        assert_eq!(
            case.dismissal("rule-b:shipment=s-1")
                .map(|d| d.reason.as_str()),
            Some("known broker")
        );

        // Changing the reason, then undoing, gives the old reason back.
        let undo_change = case
            .apply(set("rule-b:shipment=s-1", "licensed broker"))
            .expect("change");
        assert_eq!(case.dismissals[1].reason, "licensed broker");
        case.apply(undo_change).expect("undo change");
        assert_eq!(case.dismissals[1].reason, "known broker");

        // Restoring a finding, and undoing that.
        let undo_restore = case
            .apply(Edit::SetDismissal {
                finding: "rule-a:entity=e-1".into(),
                dismissal: None,
            })
            .expect("restore");
        assert!(case.dismissal("rule-a:entity=e-1").is_none());
        case.apply(undo_restore).expect("undo restore");
        assert!(case.dismissal("rule-a:entity=e-1").is_some());

        case.apply(undo_a).expect("undo a");
        case.apply(undo_b).expect("undo b");
        assert_eq!(case, original);
    }

    #[test]
    fn bad_dismissals_are_refused_and_leave_the_case_unchanged() {
        let mut case = Case::default();
        let before = case.clone();
        let refused = [
            Edit::SetDismissal {
                finding: "rule:shipment=s-1".into(),
                dismissal: Some(Box::new(dismissal("rule:shipment=s-1", "  "))),
            },
            Edit::SetDismissal {
                finding: String::new(),
                dismissal: Some(Box::new(dismissal("", "why"))),
            },
            Edit::SetDismissal {
                finding: "rule:shipment=s-1".into(),
                dismissal: Some(Box::new(dismissal("rule:shipment=s-2", "why"))),
            },
            Edit::SetDismissal {
                finding: "rule:shipment=s-1".into(),
                dismissal: None,
            },
        ];
        for edit in refused {
            let err = case.apply(edit.clone()).expect_err("refused");
            assert!(err.to_string().contains("dismissal of finding"), "{err}");
            assert_eq!(case, before, "{edit:?}");
        }
        // A batch that fails part-way rolls its dismissals back too.
        let batch = Edit::Batch(vec![
            Edit::SetDismissal {
                finding: "ok".into(),
                dismissal: Some(Box::new(dismissal("ok", "fine"))),
            },
            Edit::Remove(ItemRef::Entity("e-missing".into())),
        ]);
        assert!(case.apply(batch).is_err());
        assert_eq!(case, before);
    }

    #[test]
    fn loaded_cases_with_duplicate_or_empty_dismissals_are_invalid() {
        let mut case = Case::default();
        case.dismissals.push(Dismissal {
            finding: "k".into(),
            reason: "r".into(),
            ..Dismissal::default()
        });
        assert!(check_case(&case).is_empty());
        case.dismissals.push(case.dismissals[0].clone());
        assert_eq!(check_case(&case).len(), 1);
        case.dismissals[1].finding = "k2".into();
        case.dismissals[1].reason.clear();
        assert_eq!(check_case(&case).len(), 1);
    }

    #[test]
    fn merge_takes_dismissals_only_they_changed() {
        let base = Case::default();
        let mut ours = base.clone();
        let mut theirs = base.clone();
        let d = |key: &str, reason: &str| Dismissal {
            finding: key.into(),
            reason: reason.into(),
            ..Dismissal::default()
        };
        theirs.dismissals.push(d("theirs", "their reason"));
        ours.dismissals.push(d("ours", "our reason"));
        let plan = plan_merge(&base, &ours, &theirs);
        let mut merged = ours.clone();
        merged.apply(plan.edit).expect("merge");
        let keys: Vec<&str> = merged
            .dismissals
            .iter()
            .map(|d| d.finding.as_str())
            .collect();
        assert_eq!(keys, ["ours", "theirs"]);
    }
}
