//! Three-way merge of two versions of a case that started from the same base, item by item:
//! what only one side changed is taken from that side; where both changed the same item
//! differently, ours is kept and the conflict reported. The result is an edit, so a merge is one
//! undoable step and passes the same validation as every other change.

use super::{Edit, Item};
use crate::model::{Case, ItemRef};
use std::collections::{BTreeMap, BTreeSet};

/// An item both sides changed differently, or a change of theirs that no longer fits ours;
/// our version was kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeConflict {
    pub item: ItemRef,
    pub label: String,
    /// What happened on each side, in plain words: "changed on both sides", "deleted here,
    /// changed in theirs", ...
    pub why: String,
}

/// A merged case, with what could not be merged.
#[derive(Debug)]
pub struct Merged {
    pub case: Case,
    pub conflicts: Vec<MergeConflict>,
    /// How many of their changes were taken.
    pub taken_from_theirs: usize,
}

/// What a merge produced: the edit that turns `ours` into the merged case, and the conflicts.
#[derive(Debug)]
pub struct MergePlan {
    pub edit: Edit,
    pub conflicts: Vec<MergeConflict>,
    /// How many items were taken from their side.
    pub taken_from_theirs: usize,
}

fn items(case: &Case) -> BTreeMap<ItemRef, Item> {
    let mut out = BTreeMap::new();
    for e in case.entities.values() {
        out.insert(ItemRef::Entity(e.id.clone()), Item::from(e.clone()));
    }
    for l in case.links.values() {
        out.insert(ItemRef::Link(l.id.clone()), Item::from(l.clone()));
    }
    for s in case.shipments.values() {
        out.insert(ItemRef::Shipment(s.id.clone()), Item::from(s.clone()));
    }
    for e in case.evidence.values() {
        out.insert(ItemRef::Evidence(e.id.clone()), Item::from(e.clone()));
    }
    for n in case.notes.values() {
        out.insert(ItemRef::Note(n.id.clone()), Item::from(n.clone()));
    }
    for g in case.groups.values() {
        out.insert(ItemRef::Group(g.id.clone()), Item::from(g.clone()));
    }
    for v in &case.views {
        out.insert(ItemRef::View(v.id.clone()), Item::from(v.clone()));
    }
    out
}

/// An item as JSON (keys sorted): what fingerprints and the field-by-field review compare.
pub fn item_value(item: &Item) -> Option<serde_json::Value> {
    let value = match item {
        Item::Entity(x) => serde_json::to_value(x),
        Item::Link(x) => serde_json::to_value(x),
        Item::Shipment(x) => serde_json::to_value(x),
        Item::Evidence(x) => serde_json::to_value(x),
        Item::Note(x) => serde_json::to_value(x),
        Item::Group(x) => serde_json::to_value(x),
        Item::View(x) => serde_json::to_value(x),
    };
    value.ok()
}

/// The key of an item in [`Case::base`]: `"entity e-su-di"`.
pub fn base_key(item: &ItemRef) -> String {
    format!("{} {}", item.kind_word(), item.id_str())
}

/// A 64-bit FNV-1a hash fed as an `io::Write`, so an item is hashed as it is serialised,
/// without building its text or a JSON tree. FNV-1a is fixed by its definition, so every build
/// computes the same fingerprints. (Not a cryptographic hash: a copy's fingerprints are its
/// sender's word about where it came from, like the rest of the file.)
struct Fnv(u64);

impl std::io::Write for Fnv {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for b in buf {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The fingerprint of `value` serialised as JSON: 16 hex digits.
fn hash_json<T: serde::Serialize>(value: &T) -> Option<String> {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    serde_json::to_writer(&mut h, value).ok()?;
    Some(format!("{:016x}", h.0))
}

/// The fingerprint of one item of `case` (with an entity's canvas place).
pub fn fingerprint(case: &Case, item: &ItemRef) -> Option<String> {
    match item {
        ItemRef::Entity(id) => {
            let place = case.positions.get(id).map(|p| (p.x, p.y, p.pinned));
            hash_json(&(case.entities.get(id)?, place))
        }
        ItemRef::Link(id) => hash_json(case.links.get(id)?),
        ItemRef::Shipment(id) => hash_json(case.shipments.get(id)?),
        ItemRef::Evidence(id) => hash_json(case.evidence.get(id)?),
        ItemRef::Note(id) => hash_json(case.notes.get(id)?),
        ItemRef::Group(id) => hash_json(case.groups.get(id)?),
        ItemRef::View(id) => hash_json(case.views.iter().find(|v| &v.id == id)?),
    }
}

/// The fingerprint of the case's details (title, summary, marking …).
fn meta_fingerprint(case: &Case) -> Option<String> {
    hash_json(&case.meta)
}

/// What [`Case::base`] holds for `case` as it is now: every item's fingerprint, and the
/// details' under `"meta"`. The entities are hashed on a second thread beside the rest (a
/// 100 000-entity case has some 360 000 items).
pub fn fingerprints(case: &Case) -> BTreeMap<String, String> {
    let of = |items: Vec<ItemRef>| -> Vec<(String, String)> {
        items
            .into_iter()
            .filter_map(|item| Some((base_key(&item), fingerprint(case, &item)?)))
            .collect()
    };
    let entities: Vec<ItemRef> = case.entities.keys().cloned().map(ItemRef::Entity).collect();
    let mut rest: Vec<ItemRef> = case.links.keys().cloned().map(ItemRef::Link).collect();
    rest.extend(case.shipments.keys().cloned().map(ItemRef::Shipment));
    rest.extend(case.evidence.keys().cloned().map(ItemRef::Evidence));
    rest.extend(case.notes.keys().cloned().map(ItemRef::Note));
    rest.extend(case.groups.keys().cloned().map(ItemRef::Group));
    rest.extend(case.views.iter().map(|v| ItemRef::View(v.id.clone())));
    let (a, b) = std::thread::scope(|s| {
        let first = s.spawn(|| of(entities));
        let second = of(rest);
        (first.join().unwrap_or_default(), second)
    });
    let mut out: BTreeMap<String, String> = a.into_iter().chain(b).collect();
    if let Some(meta) = meta_fingerprint(case) {
        out.insert("meta".to_owned(), meta);
    }
    out
}

/// The common ancestor of `ours` and `theirs` as far as `theirs`'s [`Case::base`] tells it
/// (`None` when their copy has none): for each item, their version where they did not change
/// it, ours where only we did not, and nothing where both changed it (a conflict). Deletions
/// follow: an item only one side still holds, unchanged since the base, was deleted on the
/// other side.
pub fn base_from_fingerprints(ours: &Case, theirs: &Case) -> Option<Case> {
    if theirs.base.is_empty() {
        return None;
    }
    let was = |item: &ItemRef| theirs.base.get(&base_key(item));
    let (o, t) = (items(ours), items(theirs));
    let mut base = Case {
        meta: theirs.meta.clone(),
        ..Case::default()
    };
    if meta_fingerprint(theirs).as_ref() != theirs.base.get("meta")
        && meta_fingerprint(ours).as_ref() == theirs.base.get("meta")
    {
        base.meta = ours.meta.clone();
    }
    let keys: BTreeSet<&ItemRef> = o.keys().chain(t.keys()).collect();
    for key in keys {
        let Some(known) = was(key) else {
            continue; // Added since (on either side): no ancestor.
        };
        let unchanged = |case: &Case| fingerprint(case, key).as_ref() == Some(known);
        let from = if t.contains_key(key) && unchanged(theirs) {
            theirs
        } else if o.contains_key(key) && unchanged(ours) {
            ours
        } else {
            continue; // Changed on both sides, or changed on one and deleted on the other.
        };
        if let Some(item) = from.item(key) {
            base.put(item);
            if let ItemRef::Entity(id) = key
                && let Some(p) = from.positions.get(id)
            {
                base.positions.insert(id.clone(), *p);
            }
        }
    }
    // An item they deleted stays while something of ours that stays still names it (a link
    // we added to an entity they deleted): the deletion would leave a dangling reference.
    loop {
        let deleted = |item: &ItemRef| base.contains(item) && !theirs.contains(item);
        let keep: Vec<ItemRef> = o
            .keys()
            .filter(|item| deleted(item))
            .filter(|item| {
                super::references_to(ours, item)
                    .iter()
                    .any(|by| !deleted(by))
            })
            .cloned()
            .collect();
        if keep.is_empty() {
            break;
        }
        for item in &keep {
            base.take(item);
            if let ItemRef::Entity(id) = item {
                base.positions.remove(id);
            }
        }
    }
    Some(base)
}

/// Plans the merge of `theirs` into `ours`, both descended from `base`.
pub fn plan_merge(base: &Case, ours: &Case, theirs: &Case) -> MergePlan {
    let (b, o, t) = (items(base), items(ours), items(theirs));
    let keys: BTreeSet<&ItemRef> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    let mut inserts = Vec::new();
    let mut replaces = Vec::new();
    let mut removes = Vec::new();
    let mut conflicts = Vec::new();
    let mut taken = 0;
    for key in keys {
        let (bv, ov, tv) = (b.get(key), o.get(key), t.get(key));
        if ov == tv || tv == bv {
            continue; // Same on both sides, or they did not touch it: ours stands.
        }
        if ov == bv {
            // Only they changed it: take theirs.
            taken += 1;
            match (ov, tv) {
                (None, Some(item)) => inserts.push(Edit::Insert(item.clone())),
                (Some(_), Some(item)) => replaces.push(Edit::Replace(item.clone())),
                (Some(_), None) => removes.push(Edit::Remove(key.clone())),
                (None, None) => {}
            }
            continue;
        }
        let why = match (bv, ov, tv) {
            (None, _, _) => "added on both sides, differently",
            (Some(_), None, _) => "deleted here, changed in theirs",
            (Some(_), _, None) => "changed here, deleted in theirs",
            _ => "changed on both sides",
        };
        conflicts.push(MergeConflict {
            item: key.clone(),
            label: if ov.is_some() {
                ours.item_label(key)
            } else {
                theirs.item_label(key)
            },
            why: why.to_owned(),
        });
    }
    // Inserts first (so new references resolve), removals last (after what referred to them),
    // and among removals what refers before what it refers to: views, groups, notes,
    // evidence, shipments and links before entities (the reverse of the keys' order).
    removes.reverse();
    let mut edits = inserts;
    edits.append(&mut replaces);
    edits.append(&mut removes);
    if base.meta != theirs.meta && base.meta == ours.meta {
        edits.push(Edit::SetMeta(Box::new(theirs.meta.clone())));
    }
    let moved: Vec<_> = theirs
        .positions
        .iter()
        .filter(|(id, p)| {
            base.positions.get(*id) != Some(*p)
                && base.positions.get(*id) == ours.positions.get(*id)
        })
        .map(|(id, p)| (id.clone(), Some(*p)))
        .collect();
    if !moved.is_empty() {
        edits.push(Edit::SetPositions(moved));
    }
    // Dismissals only they added, changed or withdrew are taken from their side.
    let dismissed = |case: &Case, key: &str| case.dismissal(key).cloned();
    let keys: BTreeSet<&str> = base
        .dismissals
        .iter()
        .chain(&theirs.dismissals)
        .map(|d| d.finding.as_str())
        .collect();
    for key in keys {
        let (b, o, t) = (
            dismissed(base, key),
            dismissed(ours, key),
            dismissed(theirs, key),
        );
        if t != b && o == b && !(o.is_none() && t.is_none()) {
            edits.push(Edit::SetDismissal {
                finding: key.to_owned(),
                dismissal: t.map(Box::new),
            });
        }
    }
    // The custody log is append-only on both sides: their entries that ours lacks are appended
    // after ours, so no one's record of handling evidence is lost.
    edits.extend(
        theirs
            .custody
            .iter()
            .filter(|c| !ours.custody.contains(c))
            .map(|c| Edit::AppendCustody(Box::new(c.clone()))),
    );
    MergePlan {
        edit: Edit::Batch(edits),
        conflicts,
        taken_from_theirs: taken,
    }
}

/// Merges `theirs` into `ours`, both descended from `base` (see [`plan_merge`]), and applies
/// the result. When the changes taken from theirs do not fit together with ours (a new link of
/// theirs to an entity deleted here, their deletion of an entity a new item here refers to),
/// each is tried on its own and those that do not fit become conflicts, ours standing.
pub fn merge_cases(base: &Case, ours: &Case, theirs: &Case) -> Merged {
    let plan = plan_merge(base, ours, theirs);
    let mut case = ours.clone();
    let mut conflicts = plan.conflicts;
    let mut taken = plan.taken_from_theirs;
    let edits = match plan.edit {
        Edit::Batch(edits) => edits,
        other => vec![other],
    };
    if case.apply(Edit::Batch(edits.clone())).is_err() {
        for edit in edits {
            let target = match &edit {
                Edit::Insert(item) | Edit::Replace(item) => Some((item.item_ref(), theirs)),
                Edit::Remove(item) => Some((item.clone(), ours)),
                _ => None,
            };
            if let Err(e) = case.apply(edit)
                && let Some((item, holder)) = target
            {
                taken = taken.saturating_sub(1);
                conflicts.push(MergeConflict {
                    label: holder.item_label(&item),
                    item,
                    why: format!("their change does not fit with this copy: {e}"),
                });
            }
        }
    }
    Merged {
        case,
        conflicts,
        taken_from_theirs: taken,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entity, EntityKind, Link, LinkKind};

    fn base() -> Case {
        let mut c = Case::default();
        for (id, name) in [("e-a", "A"), ("e-b", "B"), ("e-c", "C")] {
            c.entities
                .insert(id.into(), Entity::new(id, EntityKind::Company, name));
        }
        c
    }

    /// A copy opened from `case`, as the app opens one.
    fn opened(case: &Case) -> Case {
        let mut c = case.clone();
        c.base = fingerprints(&c);
        c
    }

    #[test]
    fn their_fingerprints_stand_in_for_the_common_ancestor() {
        let sent = base();
        let mut ours = opened(&sent);
        let mut theirs = opened(&sent);
        // They rename A and delete B and C; I link to C, and we both add e-d, alike.
        theirs.entities.get_mut(&"e-a".into()).expect("A").name = "A (theirs)".into();
        theirs.entities.remove(&"e-b".into());
        theirs.entities.remove(&"e-c".into());
        ours.links.insert(
            "l-mine".into(),
            Link::new("l-mine", LinkKind::Associate, "e-a", "e-c"),
        );
        for side in [&mut ours, &mut theirs] {
            side.entities
                .insert("e-d".into(), Entity::new("e-d", EntityKind::Person, "D"));
        }
        let ancestor = base_from_fingerprints(&ours, &theirs).expect("their copy has a base");
        let plan = plan_merge(&ancestor, &ours, &theirs);
        assert!(plan.conflicts.is_empty(), "{:?}", plan.conflicts);
        let mut merged = ours.clone();
        merged.apply(plan.edit).expect("valid");
        assert_eq!(merged.entities[&"e-a".into()].name, "A (theirs)");
        assert!(
            !merged.entities.contains_key(&"e-b".into()),
            "their deletion travels"
        );
        assert!(
            merged.entities.contains_key(&"e-c".into()),
            "kept: my new link names it"
        );
        assert!(merged.entities.contains_key(&"e-d".into()));

        // Both renamed A: a conflict, ours kept. Without their fingerprints: no ancestor.
        ours.entities.get_mut(&"e-a".into()).expect("A").name = "A (mine)".into();
        let ancestor = base_from_fingerprints(&ours, &theirs).expect("base");
        let plan = plan_merge(&ancestor, &ours, &theirs);
        assert_eq!(plan.conflicts.len(), 1);
        theirs.base.clear();
        assert!(base_from_fingerprints(&ours, &theirs).is_none());
    }

    #[test]
    fn non_overlapping_changes_merge_and_conflicts_keep_ours() {
        let base = base();
        let mut ours = base.clone();
        ours.entities.get_mut(&"e-a".into()).expect("a").name = "A ours".into();
        ours.entities.get_mut(&"e-c".into()).expect("c").name = "C ours".into();
        let mut theirs = base.clone();
        theirs.entities.get_mut(&"e-b".into()).expect("b").name = "B theirs".into();
        theirs.entities.get_mut(&"e-c".into()).expect("c").name = "C theirs".into();
        theirs
            .entities
            .insert("e-d".into(), Entity::new("e-d", EntityKind::Person, "D"));
        theirs.links.insert(
            "l-1".into(),
            Link::new("l-1", LinkKind::Associate, "e-d", "e-a"),
        );

        let plan = plan_merge(&base, &ours, &theirs);
        assert_eq!(plan.conflicts.len(), 1);
        assert_eq!(plan.conflicts[0].item, ItemRef::Entity("e-c".into()));
        let mut merged = ours.clone();
        merged.apply(plan.edit).expect("merge applies");
        assert_eq!(merged.entities[&"e-a".into()].name, "A ours");
        assert_eq!(merged.entities[&"e-b".into()].name, "B theirs");
        assert_eq!(merged.entities[&"e-c".into()].name, "C ours");
        assert!(merged.entities.contains_key(&"e-d".into()));
        assert!(merged.links.contains_key(&"l-1".into()));
    }

    #[test]
    fn their_removal_is_taken_when_we_did_not_touch_it() {
        let base = base();
        let ours = base.clone();
        let mut theirs = base.clone();
        theirs.entities.remove(&"e-b".into());
        let plan = plan_merge(&base, &ours, &theirs);
        let mut merged = ours;
        merged.apply(plan.edit).expect("applies");
        assert!(!merged.entities.contains_key(&"e-b".into()));
    }
}
