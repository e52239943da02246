//! Bringing outside data into a case: CSV trade records with a column mapping, and
//! `FollowTheMoney` entity files (OCCRP Aleph, `OpenSanctions`).
//!
//! Every importer stages what it read in an [`Staging`], which resolves incoming entities
//! against the case and against each other (the same normalised name and country, or a shared
//! identifier, is one entity), and ends in one [`Edit::Batch`]: the whole import is one undo
//! step and passes the same validation as any other edit. Nothing is applied here.

pub mod copies;
pub mod csv;
pub mod ftm;

use crate::analysis::names::{jaro_winkler, name_keys};
use crate::edit::{Edit, Item};
use crate::model::{
    Case, CountryCode, Entity, EntityId, Evidence, EvidenceId, FreshIds, Identifier, Link, LinkId,
    Shipment, ShipmentId,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

/// Similarity of two names (0–1) from which they are offered as probable duplicates.
pub const DUPLICATE_THRESHOLD: f64 = 0.9;

/// An incoming entity that looks like one already known but was kept apart.
#[derive(Clone, Debug, PartialEq)]
pub struct PossibleDuplicate {
    /// The entity the import created.
    pub incoming: EntityId,
    /// The entity it resembles (already in the case, or imported earlier in the same file).
    pub existing: EntityId,
    /// Name similarity, 0 to 1.
    pub score: f64,
}

/// What an import did, for the summary shown to the user and printed by the CLI.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportSummary {
    /// Records (rows or JSON lines) read.
    pub records: usize,
    pub entities_added: usize,
    /// Incoming entities that resolved to an entity already in the case.
    pub entities_merged: usize,
    pub links_added: usize,
    pub shipments_added: usize,
    pub evidence_added: usize,
    /// Flags (e.g. sanctions) set on entities.
    pub flags_added: usize,
    pub identifiers_added: usize,
    /// Probable duplicates kept apart, for the user to review.
    pub possible_duplicates: Vec<PossibleDuplicate>,
    /// Records left out, each with its line and the reason.
    pub skipped: Vec<String>,
    /// Source fields with no counterpart in the case model, kept as entity attributes, with
    /// how often each was seen.
    pub kept_as_attributes: BTreeMap<String, usize>,
}

impl ImportSummary {
    /// A few lines of plain text for the CLI and the import dialog.
    pub fn report(&self) -> String {
        let mut out = format!(
            "{} records read: {} entities added, {} merged into existing entities, {} links, \
             {} shipments, {} evidence items, {} flags, {} identifiers",
            self.records,
            self.entities_added,
            self.entities_merged,
            self.links_added,
            self.shipments_added,
            self.evidence_added,
            self.flags_added,
            self.identifiers_added
        );
        if !self.possible_duplicates.is_empty() {
            let _ = write!(
                out,
                "\n{} possible duplicates kept apart for review",
                self.possible_duplicates.len()
            );
        }
        if !self.kept_as_attributes.is_empty() {
            let fields: Vec<String> = self
                .kept_as_attributes
                .iter()
                .map(|(k, n)| format!("{k} ({n})"))
                .collect();
            let _ = write!(
                out,
                "\nkept as attributes (no counterpart in Chokepoint): {}",
                fields.join(", ")
            );
        }
        if !self.skipped.is_empty() {
            let _ = write!(out, "\n{} records skipped:", self.skipped.len());
            for s in self.skipped.iter().take(20) {
                out.push_str("\n  ");
                out.push_str(s);
            }
            if self.skipped.len() > 20 {
                let _ = write!(out, "\n  … and {} more", self.skipped.len() - 20);
            }
        }
        out
    }
}

/// Why an import could not be done at all. Problems with single records are not errors: they
/// are listed in [`ImportSummary::skipped`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Io(String),
    #[error("the file has {size} bytes; imports may have at most {limit}")]
    TooLarge { size: u64, limit: u64 },
    #[error("line {line}: {message}")]
    Syntax { line: usize, message: String },
    #[error("the mapping: {0}")]
    Mapping(String),
    #[error("the import was cancelled")]
    Cancelled,
    #[error("the imported data did not pass validation: {0}")]
    Invalid(String),
}

/// Largest file an importer reads (256 MiB).
pub const MAX_IMPORT_BYTES: u64 = 256 << 20;

/// Reads an import file with the size limit, as bytes: a regular file only, read no further
/// than the limit.
pub fn read_import_file(path: &std::path::Path) -> Result<Vec<u8>, ImportError> {
    use crate::io::input::{InputError, read_bounded};
    read_bounded(path, MAX_IMPORT_BYTES, "imports").map_err(|e| match e {
        InputError::TooLarge { limit, .. } => ImportError::TooLarge {
            size: std::fs::metadata(path).map_or(limit + 1, |m| m.len().max(limit + 1)),
            limit,
        },
        other => ImportError::Io(other.to_string()),
    })
}

/// How an incoming entity relates to what is already known.
enum Resolution {
    Same(EntityId),
    Possible(EntityId, f64),
    New,
}

/// The identity key of a name: its canonical words, sorted, so word order, case, punctuation,
/// legal forms and diacritics do not matter.
fn identity_key(name: &str) -> String {
    let mut keys = name_keys(name);
    keys.sort();
    keys.join(" ")
}

/// Entities known so far (the case's and the import's), indexed for resolution.
#[derive(Default)]
struct Resolver {
    by_name: HashMap<(String, Option<CountryCode>), EntityId>,
    by_identifier: HashMap<(String, String), EntityId>,
    by_word: HashMap<String, Vec<EntityId>>,
    keys: HashMap<EntityId, (String, Option<CountryCode>)>,
}

impl Resolver {
    fn add(&mut self, e: &Entity) {
        for name in std::iter::once(&e.name).chain(&e.aliases) {
            let key = identity_key(name);
            if key.is_empty() {
                continue;
            }
            self.by_name
                .entry((key.clone(), e.country.clone()))
                .or_insert_with(|| e.id.clone());
            for word in key.split(' ') {
                let ids = self.by_word.entry(word.to_owned()).or_default();
                if ids.last() != Some(&e.id) && ids.len() < 200 {
                    ids.push(e.id.clone());
                }
            }
            self.keys
                .entry(e.id.clone())
                .or_insert((key, e.country.clone()));
        }
        for i in &e.identifiers {
            if !i.value.trim().is_empty() {
                self.by_identifier
                    .entry((i.scheme.label().to_owned(), normalise_identifier(&i.value)))
                    .or_insert_with(|| e.id.clone());
            }
        }
    }

    fn resolve(&self, e: &Entity) -> Resolution {
        for i in &e.identifiers {
            let key = (i.scheme.label().to_owned(), normalise_identifier(&i.value));
            if let Some(id) = self.by_identifier.get(&key) {
                return Resolution::Same(id.clone());
            }
        }
        let key = identity_key(&e.name);
        if key.is_empty() {
            return Resolution::New;
        }
        if let Some(id) = self.by_name.get(&(key.clone(), e.country.clone())) {
            return Resolution::Same(id.clone());
        }
        // Probable duplicates: a candidate shares a word; same country or one unknown.
        let mut best: Option<(EntityId, f64)> = None;
        let mut seen = BTreeSet::new();
        for word in key.split(' ') {
            for id in self.by_word.get(word).into_iter().flatten() {
                if !seen.insert(id) {
                    continue;
                }
                let Some((other, country)) = self.keys.get(id) else {
                    continue;
                };
                if country.is_some() && e.country.is_some() && *country != e.country {
                    continue;
                }
                let score = jaro_winkler(&key, other);
                if score >= DUPLICATE_THRESHOLD && best.as_ref().is_none_or(|(_, s)| score > *s) {
                    best = Some((id.clone(), score));
                }
            }
        }
        match best {
            Some((id, score)) => Resolution::Possible(id, score),
            None => Resolution::New,
        }
    }
}

fn normalise_identifier(value: &str) -> String {
    value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// What an importer has read so far, resolved against the case, ready to become one edit.
pub struct Staging<'a> {
    case: &'a Case,
    resolver: Resolver,
    /// New entities, and changed copies of existing ones, by id.
    entities: BTreeMap<EntityId, Entity>,
    /// Ids of entities that existed in the case before the import.
    existing_changed: BTreeSet<EntityId>,
    links: Vec<Link>,
    shipments: Vec<Shipment>,
    evidence: Vec<Evidence>,
    /// Ids handed out in this import, so fresh ids never collide with each other.
    taken: BTreeSet<String>,
    /// Where each slug's count of fresh ids stopped: rows sharing one reference cost one
    /// look-up each, not one per row before them.
    fresh: FreshIds,
    /// How many ids were looked up, to prove in tests that making ids stays linear.
    #[cfg(test)]
    probes: std::cell::Cell<usize>,
    pub summary: ImportSummary,
}

impl<'a> Staging<'a> {
    pub fn new(case: &'a Case) -> Self {
        let mut resolver = Resolver::default();
        for e in case.entities.values() {
            resolver.add(e);
        }
        Self {
            case,
            resolver,
            entities: BTreeMap::new(),
            existing_changed: BTreeSet::new(),
            links: Vec::new(),
            shipments: Vec::new(),
            evidence: Vec::new(),
            taken: BTreeSet::new(),
            fresh: FreshIds::default(),
            #[cfg(test)]
            probes: std::cell::Cell::new(0),
            summary: ImportSummary::default(),
        }
    }

    fn is_taken(&self, id: &str) -> bool {
        #[cfg(test)]
        self.probes.set(self.probes.get() + 1);
        self.taken.contains(id)
            || self.case.entities.contains_key(&EntityId::from(id))
            || self.case.links.contains_key(&LinkId::from(id))
            || self.case.shipments.contains_key(&ShipmentId::from(id))
            || self.case.evidence.contains_key(&EvidenceId::from(id))
    }

    /// A fresh id with `prefix`, readable from `name`, unused in the case and this import.
    pub fn fresh_id(&mut self, prefix: &str, name: &str) -> String {
        let mut fresh = std::mem::take(&mut self.fresh);
        let id = fresh.fresh(prefix, name, |id| self.is_taken(id));
        self.fresh = fresh;
        self.taken.insert(id.clone());
        id
    }

    /// Takes `preferred` as the id if it is well formed and free, else a fresh one.
    pub fn claim_id(&mut self, prefix: &str, preferred: &str, name: &str) -> String {
        if crate::model::is_valid_id(preferred) && !self.is_taken(preferred) {
            self.taken.insert(preferred.to_owned());
            preferred.to_owned()
        } else {
            self.fresh_id(prefix, name)
        }
    }

    /// The current state of an entity (staged copy first, then the case's).
    pub fn entity(&self, id: &EntityId) -> Option<&Entity> {
        self.entities.get(id).or_else(|| self.case.entities.get(id))
    }

    /// A mutable staged copy of an entity, copied from the case on first change.
    pub fn entity_mut(&mut self, id: &EntityId) -> Option<&mut Entity> {
        if !self.entities.contains_key(id) {
            let e = self.case.entities.get(id)?.clone();
            self.existing_changed.insert(id.clone());
            self.entities.insert(id.clone(), e);
        }
        self.entities.get_mut(id)
    }

    /// Adds an incoming entity, or merges it into the one it resolves to. Returns the id that
    /// stands for it in the case. The incoming entity's id is used when it is free.
    pub fn add_entity(&mut self, mut incoming: Entity) -> EntityId {
        match self.resolver.resolve(&incoming) {
            Resolution::Same(id) => {
                let before = self
                    .entity(&id)
                    .map(|e| (e.identifiers.len(), e.flags.len()));
                if let Some(target) = self.entity_mut(&id) {
                    merge_into(target, incoming);
                    let after = (target.identifiers.len(), target.flags.len());
                    let target = target.clone();
                    if let Some((ids, flags)) = before {
                        self.summary.identifiers_added += after.0.saturating_sub(ids);
                        self.summary.flags_added += after.1.saturating_sub(flags);
                    }
                    self.resolver.add(&target);
                }
                self.summary.entities_merged += 1;
                id
            }
            resolution => {
                let id = self.claim_id(EntityId::PREFIX, incoming.id.as_str(), &incoming.name);
                incoming.id = EntityId(id);
                if let Resolution::Possible(existing, score) = resolution {
                    self.summary.possible_duplicates.push(PossibleDuplicate {
                        incoming: incoming.id.clone(),
                        existing,
                        score,
                    });
                }
                self.summary.entities_added += 1;
                self.summary.identifiers_added += incoming.identifiers.len();
                self.summary.flags_added += incoming.flags.len();
                self.resolver.add(&incoming);
                let id = incoming.id.clone();
                self.entities.insert(id.clone(), incoming);
                id
            }
        }
    }

    /// Adds a link whose ends are already staged or in the case; its id must be set.
    pub fn add_link(&mut self, link: Link) {
        self.summary.links_added += 1;
        self.links.push(link);
    }

    pub fn add_shipment(&mut self, shipment: Shipment) {
        self.summary.shipments_added += 1;
        self.shipments.push(shipment);
    }

    pub fn add_evidence(&mut self, evidence: Evidence) {
        self.summary.evidence_added += 1;
        self.evidence.push(evidence);
    }

    /// Notes a source field kept as an attribute.
    pub fn kept(&mut self, field: &str) {
        *self
            .summary
            .kept_as_attributes
            .entry(field.to_owned())
            .or_default() += 1;
    }

    pub fn skip(&mut self, reason: String) {
        self.summary.skipped.push(reason);
    }

    /// Whether an entity id is known (staged or in the case).
    pub fn has_entity(&self, id: &EntityId) -> bool {
        self.entities.contains_key(id) || self.case.entities.contains_key(id)
    }

    /// The import as one edit (entities first, then what refers to them) and its summary.
    /// The edit is checked against a copy of the case so a bad import never half-applies.
    pub fn finish(self) -> Result<(Edit, ImportSummary), ImportError> {
        let mut edits = Vec::new();
        for (id, e) in self.entities {
            if self.existing_changed.contains(&id) {
                edits.push(Edit::Replace(Item::from(e)));
            } else {
                edits.push(Edit::Insert(Item::from(e)));
            }
        }
        edits.extend(self.links.into_iter().map(|l| Edit::Insert(Item::from(l))));
        edits.extend(
            self.shipments
                .into_iter()
                .map(|s| Edit::Insert(Item::from(s))),
        );
        edits.extend(
            self.evidence
                .into_iter()
                .map(|e| Edit::Insert(Item::from(e))),
        );
        let edit = Edit::Batch(edits);
        let mut trial = self.case.clone();
        trial
            .apply(edit.clone())
            .map_err(|e| ImportError::Invalid(e.to_string()))?;
        Ok((edit, self.summary))
    }
}

/// Folds what `incoming` knows into `target`: other names become aliases; identifiers, flags,
/// tags and attributes are added when new; empty fields are filled.
fn merge_into(target: &mut Entity, incoming: Entity) {
    let mut names: Vec<String> = std::iter::once(incoming.name)
        .chain(incoming.aliases)
        .collect();
    names.retain(|n| !n.trim().is_empty());
    for n in names {
        if n != target.name && !target.aliases.contains(&n) {
            target.aliases.push(n);
        }
    }
    for i in incoming.identifiers {
        let same = |t: &Identifier| {
            t.scheme == i.scheme && normalise_identifier(&t.value) == normalise_identifier(&i.value)
        };
        if !target.identifiers.iter().any(same) {
            target.identifiers.push(i);
        }
    }
    for f in incoming.flags {
        if !target.flags.contains(&f) {
            target.flags.push(f);
        }
    }
    for t in incoming.tags {
        if !target.tags.contains(&t) {
            target.tags.push(t);
        }
    }
    for (k, v) in incoming.attributes {
        target.attributes.entry(k).or_insert(v);
    }
    if target.country.is_none() {
        target.country = incoming.country;
    }
    if target.start.is_none() {
        target.start = incoming.start;
    }
    if target.end.is_none() {
        target.end = incoming.end;
    }
    if target.address.is_empty() {
        target.address = incoming.address;
    }
    if target.product.is_empty() {
        target.product = incoming.product;
    }
    if target.notes.is_empty() {
        target.notes = incoming.notes;
    }
}

/// The edit that folds entity `absorb` into `keep`: names, identifiers and flags move over,
/// every link, shipment, evidence claim, note, group and position that named `absorb` names
/// `keep`, and `absorb` is removed. One undo step; used to merge a reviewed duplicate.
pub fn merge_entities_edit(case: &Case, keep: &EntityId, absorb: &EntityId) -> Option<Edit> {
    if keep == absorb {
        return None;
    }
    let mut kept = case.entities.get(keep)?.clone();
    let gone = case.entities.get(absorb)?.clone();
    merge_into(&mut kept, gone);
    let swap = |id: &mut EntityId| {
        if id == absorb {
            *id = keep.clone();
        }
    };
    let mut edits = vec![Edit::Replace(Item::from(kept))];
    for l in case.links.values() {
        if &l.from == absorb || &l.to == absorb {
            let mut l = l.clone();
            swap(&mut l.from);
            swap(&mut l.to);
            if l.from == l.to {
                // A link between the two halves of one party means nothing once merged.
                edits.push(Edit::Remove(crate::model::ItemRef::Link(l.id)));
            } else {
                edits.push(Edit::Replace(Item::from(l)));
            }
        }
    }
    for s in case.shipments.values() {
        let mut changed = s.clone();
        for id in [
            &mut changed.shipper,
            &mut changed.consignee,
            &mut changed.notify_party,
            &mut changed.declared_end_user,
            &mut changed.suspected_end_user,
        ]
        .into_iter()
        .flatten()
        {
            swap(id);
        }
        changed.forwarders.iter_mut().for_each(swap);
        for leg in &mut changed.legs {
            for place in [&mut leg.from, &mut leg.to] {
                if let Some(id) = place.entity.as_mut() {
                    swap(id);
                }
            }
        }
        for g in &mut changed.goods {
            if let Some(id) = g.product.as_mut() {
                swap(id);
            }
        }
        if &changed != s {
            edits.push(Edit::Replace(Item::from(changed)));
        }
    }
    for ev in case.evidence.values() {
        let mut changed = ev.clone();
        for s in &mut changed.supports {
            if s.target == Some(crate::model::ItemRef::Entity(absorb.clone())) {
                s.target = Some(crate::model::ItemRef::Entity(keep.clone()));
            }
        }
        if &changed != ev {
            edits.push(Edit::Replace(Item::from(changed)));
        }
    }
    for n in case.notes.values() {
        if n.about == Some(crate::model::ItemRef::Entity(absorb.clone())) {
            let mut n = n.clone();
            n.about = Some(crate::model::ItemRef::Entity(keep.clone()));
            edits.push(Edit::Replace(Item::from(n)));
        }
    }
    for g in case.groups.values() {
        if g.members.contains(absorb) {
            let mut g = g.clone();
            g.members.retain(|m| m != absorb);
            if !g.members.contains(keep) {
                g.members.push(keep.clone());
            }
            edits.push(Edit::Replace(Item::from(g)));
        }
    }
    for v in &case.views {
        let absorbed = crate::model::ItemRef::Entity(absorb.clone());
        if v.highlighted.contains(&absorbed) {
            let mut v = v.clone();
            v.highlighted.retain(|h| h != &absorbed);
            edits.push(Edit::Replace(Item::from(v)));
        }
    }
    if case.positions.contains_key(absorb) {
        edits.push(Edit::SetPositions(vec![(absorb.clone(), None)]));
    }
    edits.push(Edit::Remove(crate::model::ItemRef::Entity(absorb.clone())));
    Some(Edit::Batch(edits))
}

/// The edit that records a reviewed pair as possibly the same party without merging them.
pub fn possibly_same_edit(case: &Case, a: &EntityId, b: &EntityId) -> Edit {
    let id = LinkId(Case::fresh_id(LinkId::PREFIX, "possibly-same", |id| {
        case.links.contains_key(&LinkId::from(id))
    }));
    Edit::Insert(Item::from(Link {
        id,
        kind: crate::model::LinkKind::PossiblySameAs,
        from: a.clone(),
        to: b.clone(),
        description: "Flagged as a probable duplicate on import".to_owned(),
        ..Link::default()
    }))
}

/// What merging a colleague's copy produced.
#[derive(Debug)]
pub struct MergeReport {
    pub merged: Case,
    /// Items both copies hold differently, field by field, settled by the preferred side.
    pub conflicts: Vec<copies::ItemConflict>,
    /// Items only their copy held, now added.
    pub taken_from_theirs: usize,
    /// (my entity, their entity merged into it) for entities matched by identity.
    pub identity_merges: Vec<(EntityId, EntityId)>,
}

/// Merges `theirs` into `mine` without review: conflicting fields are settled wholesale by
/// `prefer_theirs` (see [`copies::CopyMerge`] for the reviewed merge).
pub fn merge_copies(
    mine: &Case,
    theirs: &Case,
    prefer_theirs: bool,
) -> Result<MergeReport, ImportError> {
    let mut plan = copies::CopyMerge::plan(mine, theirs);
    plan.prefer(prefer_theirs);
    let (_, merged) = plan.edit(mine)?;
    Ok(MergeReport {
        merged,
        taken_from_theirs: plan.added.len(),
        identity_merges: plan
            .identity
            .iter()
            .map(|m| (m.mine.clone(), m.theirs.clone()))
            .collect(),
        conflicts: plan.conflicts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 20 000 CSV rows sharing one bill-of-lading number took 28 s: each fresh id counted up
    /// from 2 past every id the rows before it had taken (n²/2 look-ups in all).
    #[test]
    fn fresh_ids_for_rows_sharing_a_reference_stay_linear() {
        let mut case = Case::default();
        // Ids an earlier import left: the first new id counts past them once.
        for n in 2..=50 {
            let id = ShipmentId(format!("s-bl-1-{n}"));
            case.shipments.insert(
                id.clone(),
                Shipment {
                    id,
                    ..Shipment::default()
                },
            );
        }
        let mut staging = Staging::new(&case);
        let rows = 5_000;
        let ids: BTreeSet<String> = (0..rows).map(|_| staging.fresh_id("s", "BL 1")).collect();
        assert_eq!(ids.len(), rows, "every id is new");
        assert!(ids.contains("s-bl-1"), "the first takes the plain slug");
        assert!(ids.contains("s-bl-1-51") && ids.contains(&format!("s-bl-1-{}", rows + 49)));
        assert!(!ids.contains("s-bl-1-50"), "never an id the case holds");
        let probes = staging.probes.get();
        assert!(
            probes <= 3 * rows + 100,
            "{probes} id look-ups for {rows} ids: not linear"
        );
    }
}
