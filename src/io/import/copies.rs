//! Bringing a colleague's copy of a case into mine, field by field.
//!
//! Items match by their stable ids. What only their copy holds is added; what only mine holds
//! stays (without a common ancestor a missing item cannot be told from a new one, so nothing
//! of mine is removed). An item both copies hold differently is a conflict, listed field by
//! field (name, aliases, country, a shipment's legs …) so the user keeps mine or takes theirs
//! for each. Entities their copy added under other ids that resolve to one of mine on strong
//! grounds (the same identifier, or the same name and country with nothing conflicting: see
//! the import's resolution) are merged unless the user unticks them, each with its reason;
//! weaker matches (a similar name, a conflicting registration number) are listed unticked.
//! The result is one edit: one undo step, through the same validation as every change.

use super::{ImportError, Resolution, Resolver, merge_entities_edit};
use crate::edit::{Edit, Item, plan_merge};
use crate::model::{Case, EntityId, ItemRef};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One field that differs between the two copies of an item.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldConflict {
    /// The field's name in the case file, e.g. `name`, `aliases`, `legs`.
    pub field: String,
    /// The two values, written compactly for display.
    pub mine: String,
    pub theirs: String,
    /// The user's choice: take their value (else mine stays).
    pub take_theirs: bool,
}

/// An item both copies hold, with the fields that differ.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemConflict {
    pub item: ItemRef,
    pub label: String,
    pub fields: Vec<FieldConflict>,
}

/// An entity their copy added that resolves to one of mine, or may be the same party.
#[derive(Clone, Debug, PartialEq)]
pub struct IdentityMatch {
    pub mine: EntityId,
    pub theirs: EntityId,
    /// Whether the merge folds theirs into mine: set for matches on strong grounds (the same
    /// identifier, or the same name and country with nothing conflicting), unset for possible
    /// duplicates, which the user ticks after review.
    pub merge: bool,
    /// Why, in plain words ("same registration number 200912345K in both records",
    /// "similar name (93%)").
    pub reason: String,
}

/// The merge of their copy into mine, for review.
#[derive(Clone, Debug)]
pub struct CopyMerge {
    theirs: Case,
    /// Items only their copy holds, with labels: added by the merge unless left out.
    pub added: Vec<(ItemRef, String)>,
    /// Added items the user left out (e.g. ones deleted on purpose in my copy), with what
    /// refers to them.
    pub left_out: BTreeSet<ItemRef>,
    /// Items only my copy holds, with labels: kept.
    pub only_mine: Vec<(ItemRef, String)>,
    /// The versions both copies came from, as their copy's fingerprints tell it
    /// ([`crate::edit::base_from_fingerprints`]); `None` for a copy without them (older files),
    /// merged two-way as before.
    base: Option<Case>,
    /// Items only their copy changed since: taken without asking.
    pub taken: Vec<(ItemRef, String)>,
    /// Items their copy deleted that mine kept unchanged: deleted here too.
    pub deleted_by_them: Vec<(ItemRef, String)>,
    /// Items I deleted that their copy kept unchanged: not brought back.
    pub deleted_by_me: Vec<(ItemRef, String)>,
    pub conflicts: Vec<ItemConflict>,
    pub identity: Vec<IdentityMatch>,
}

fn item_json(case: &Case, item: &ItemRef) -> Option<Value> {
    crate::edit::item_value(&case.item(item)?)
}

fn item_from_json(item: &ItemRef, value: Value) -> Result<Item, serde_json::Error> {
    Ok(match item {
        ItemRef::Entity(_) => Item::from(serde_json::from_value::<crate::model::Entity>(value)?),
        ItemRef::Link(_) => Item::from(serde_json::from_value::<crate::model::Link>(value)?),
        ItemRef::Shipment(_) => {
            Item::from(serde_json::from_value::<crate::model::Shipment>(value)?)
        }
        ItemRef::Evidence(_) => {
            Item::from(serde_json::from_value::<crate::model::Evidence>(value)?)
        }
        ItemRef::Note(_) => Item::from(serde_json::from_value::<crate::model::Note>(value)?),
        ItemRef::Group(_) => Item::from(serde_json::from_value::<crate::model::Group>(value)?),
        ItemRef::View(_) => Item::from(serde_json::from_value::<crate::model::SavedView>(value)?),
    })
}

/// A value written compactly for the review table.
fn show(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "—".to_owned(),
        Some(Value::String(s)) if s.is_empty() => "—".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) if a.is_empty() => "—".to_owned(),
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        Some(v) => v.to_string(),
    }
}

fn all_items(case: &Case) -> Vec<ItemRef> {
    let mut out: Vec<ItemRef> = Vec::new();
    out.extend(case.entities.keys().cloned().map(ItemRef::Entity));
    out.extend(case.links.keys().cloned().map(ItemRef::Link));
    out.extend(case.shipments.keys().cloned().map(ItemRef::Shipment));
    out.extend(case.evidence.keys().cloned().map(ItemRef::Evidence));
    out.extend(case.notes.keys().cloned().map(ItemRef::Note));
    out.extend(case.groups.keys().cloned().map(ItemRef::Group));
    out.extend(case.views.iter().map(|v| ItemRef::View(v.id.clone())));
    out
}

impl CopyMerge {
    /// Compares the two copies.
    pub fn plan(mine: &Case, theirs: &Case) -> Self {
        let base = crate::edit::base_from_fingerprints(mine, theirs);
        let in_base = |item: &ItemRef| base.as_ref().is_some_and(|b| b.contains(item));
        let mut added = Vec::new();
        let mut conflicts = Vec::new();
        let mut taken = Vec::new();
        let mut deleted_by_me = Vec::new();
        for item in all_items(theirs) {
            if !mine.contains(&item) {
                let entry = (item.clone(), theirs.item_label(&item));
                if in_base(&item) {
                    deleted_by_me.push(entry);
                } else {
                    added.push(entry);
                }
                continue;
            }
            if let Some(b) = base.as_ref().filter(|_| in_base(&item)) {
                let was = item_json(b, &item);
                if was == item_json(theirs, &item) {
                    continue; // They did not change it: mine stands.
                }
                if was == item_json(mine, &item) {
                    taken.push((item.clone(), theirs.item_label(&item)));
                    continue;
                }
            }
            let (Some(Value::Object(m)), Some(Value::Object(t))) =
                (item_json(mine, &item), item_json(theirs, &item))
            else {
                continue;
            };
            let mut keys: Vec<&String> = m.keys().chain(t.keys()).collect();
            keys.sort();
            keys.dedup();
            let fields: Vec<FieldConflict> = keys
                .into_iter()
                .filter(|k| m.get(*k) != t.get(*k))
                .map(|k| FieldConflict {
                    field: k.clone(),
                    mine: show(m.get(k)),
                    theirs: show(t.get(k)),
                    take_theirs: false,
                })
                .collect();
            if !fields.is_empty() {
                conflicts.push(ItemConflict {
                    label: mine.item_label(&item),
                    item,
                    fields,
                });
            }
        }
        let (deleted_by_them, only_mine): (Vec<_>, Vec<_>) = all_items(mine)
            .into_iter()
            .filter(|i| !theirs.contains(i))
            .map(|i| {
                let label = mine.item_label(&i);
                (i, label)
            })
            .partition(|(i, _)| in_base(i));
        let mut resolver = Resolver::default();
        for e in mine.entities.values() {
            resolver.add(e, &e.id);
        }
        let identity = theirs
            .entities
            .values()
            .filter(|e| !mine.entities.contains_key(&e.id))
            .filter(|e| !in_base(&ItemRef::Entity(e.id.clone())))
            .filter_map(|e| match resolver.resolve(e) {
                Resolution::Same(m, reason) => Some(IdentityMatch {
                    mine: m,
                    theirs: e.id.clone(),
                    merge: true,
                    reason,
                }),
                Resolution::Possible(m, _, reason) => Some(IdentityMatch {
                    mine: m,
                    theirs: e.id.clone(),
                    merge: false,
                    reason,
                }),
                Resolution::New => None,
            })
            .collect();
        Self {
            theirs: theirs.clone(),
            added,
            left_out: BTreeSet::new(),
            only_mine,
            base,
            taken,
            deleted_by_them,
            deleted_by_me,
            conflicts,
            identity,
        }
    }

    /// Whether an item their copy adds would refer to `target` (any id field naming it).
    fn refers(&self, item: &ItemRef, target: &ItemRef) -> bool {
        fn names(v: &Value, id: &str) -> bool {
            match v {
                Value::String(s) => s == id,
                Value::Array(a) => a.iter().any(|x| names(x, id)),
                Value::Object(o) => o.values().any(|x| names(x, id)),
                _ => false,
            }
        }
        item != target && item_json(&self.theirs, item).is_some_and(|v| names(&v, target.id_str()))
    }

    /// Adds or leaves out one item their copy adds. Leaving an item out also leaves out the
    /// added items that refer to it (a link to a left-out entity cannot come alone); taking
    /// one back takes back those, and the added items it refers to.
    pub fn set_included(&mut self, item: &ItemRef, include: bool) {
        let added: Vec<ItemRef> = self.added.iter().map(|(i, _)| i.clone()).collect();
        let mut todo = vec![item.clone()];
        while let Some(next) = todo.pop() {
            let changed = if include {
                self.left_out.remove(&next)
            } else {
                self.left_out.insert(next.clone())
            };
            if !changed {
                continue;
            }
            for other in &added {
                // Leaving out pulls along what refers to it; taking back pulls back both what
                // it refers to and what was left out with it.
                let follows = self.refers(other, &next) || (include && self.refers(&next, other));
                if follows {
                    todo.push(other.clone());
                }
            }
        }
    }

    /// Takes their value for every conflicting field (or mine, when `theirs` is false).
    pub fn prefer(&mut self, theirs: bool) {
        for c in &mut self.conflicts {
            for f in &mut c.fields {
                f.take_theirs = theirs;
            }
        }
    }

    /// The edit that merges their copy into `mine` as reviewed, and the case it makes.
    pub fn edit(&self, mine: &Case) -> Result<(Edit, Case), ImportError> {
        let invalid = |e: &dyn std::fmt::Display| ImportError::Invalid(e.to_string());
        let two_way = Case::default();
        let plan = plan_merge(self.base.as_ref().unwrap_or(&two_way), mine, &self.theirs);
        let base = match plan.edit {
            Edit::Batch(edits) => Edit::Batch(
                edits
                    .into_iter()
                    .filter_map(|e| match e {
                        Edit::Insert(item) if self.left_out.contains(&item.item_ref()) => None,
                        Edit::SetPositions(moved) => Some(Edit::SetPositions(
                            moved
                                .into_iter()
                                .filter(|(id, _)| {
                                    !self.left_out.contains(&ItemRef::Entity(id.clone()))
                                })
                                .collect(),
                        )),
                        other => Some(other),
                    })
                    .collect(),
            ),
            other => other,
        };
        let mut edits = vec![base];
        let mut merged = mine.clone();
        merged.apply(edits[0].clone()).map_err(|e| invalid(&e))?;
        for c in &self.conflicts {
            if !c.fields.iter().any(|f| f.take_theirs) {
                continue;
            }
            let (Some(Value::Object(mut m)), Some(Value::Object(t))) =
                (item_json(mine, &c.item), item_json(&self.theirs, &c.item))
            else {
                continue;
            };
            for f in c.fields.iter().filter(|f| f.take_theirs) {
                match t.get(&f.field) {
                    Some(v) => m.insert(f.field.clone(), v.clone()),
                    None => m.remove(&f.field),
                };
            }
            let item = item_from_json(&c.item, Value::Object(m)).map_err(|e| invalid(&e))?;
            let edit = Edit::Replace(item);
            merged.apply(edit.clone()).map_err(|e| invalid(&e))?;
            edits.push(edit);
        }
        for m in self
            .identity
            .iter()
            .filter(|m| m.merge && !self.left_out.contains(&ItemRef::Entity(m.theirs.clone())))
        {
            if let Some(edit) = merge_entities_edit(&merged, &m.mine, &m.theirs) {
                merged.apply(edit.clone()).map_err(|e| invalid(&e))?;
                edits.push(edit);
            }
        }
        // Their entities that had no place in their copy get one here, in the same step.
        // (Not those merged into one of mine by identity since: they are gone.)
        let inserted: Vec<_> = crate::layout::picture::inserted_entities(&edits[0])
            .into_iter()
            .filter(|id| merged.entities.contains_key(id))
            .collect();
        let places = crate::layout::picture::places_for(&merged, &inserted, None);
        if !places.is_empty() {
            let edit = Edit::SetPositions(places);
            merged.apply(edit.clone()).map_err(|e| invalid(&e))?;
            edits.push(edit);
        }
        Ok((Edit::Batch(edits), merged))
    }

    /// Whether their copy told which version it came from, so one-sided edits and deletions
    /// were told apart from conflicts.
    pub fn has_base(&self) -> bool {
        self.base.is_some()
    }

    /// Counts of conflicting fields, and of those taken from their copy.
    pub fn field_counts(&self) -> (usize, usize) {
        let fields = self.conflicts.iter().flat_map(|c| &c.fields);
        let total = fields.clone().count();
        (total, fields.filter(|f| f.take_theirs).count())
    }
}

/// Labels of items grouped by kind, for summaries ("3 entities, 1 shipment").
pub fn count_by_kind(items: &[(ItemRef, String)]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, _) in items {
        *counts.entry(i.kind_word()).or_default() += 1;
    }
    if counts.is_empty() {
        return "nothing".to_owned();
    }
    counts
        .iter()
        .map(|(k, n)| format!("{n} {k}{}", if *n == 1 { "" } else { "s" }))
        .collect::<Vec<_>>()
        .join(", ")
}
