//! The case: the document an investigator saves, shares and presents. Everything here is
//! undoable document state; selection, camera and caches live in the UI, never in the case.

use super::common::{CanvasPoint, PartialDate, Timestamp, Tlp};
use super::entity::{Entity, EntityKind};
use super::evidence::{CustodyEntry, Evidence};
use super::ids::{EntityId, EvidenceId, GroupId, ItemRef, LinkId, NoteId, ShipmentId, ViewId};
use super::link::Link;
use super::shipment::Shipment;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The case file format this build writes. Older versions load through `io::migrate`.
pub const FORMAT_VERSION: u32 = 2;

/// Case-level facts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CaseMeta {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub summary: String,
    pub created: Timestamp,
    pub modified: Timestamp,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    pub marking: Tlp,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// A Markdown note on the case or on one item; with a canvas position it is a sticky note.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Note {
    pub id: NoteId,
    pub title: String,
    /// Markdown text.
    pub body: String,
    /// The item the note is about; `None` for a note on the whole case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<ItemRef>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub author: String,
    pub created: Timestamp,
    pub modified: Timestamp,
    /// Where the note sits on the canvas as a sticky note, if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canvas: Option<CanvasPoint>,
}

/// A titled set of entities drawn as a box on the canvas, optionally collapsed to one node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Group {
    pub id: GroupId,
    pub title: String,
    pub members: Vec<EntityId>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub collapsed: bool,
}

/// A position on the canvas for an entity node; pinned nodes are never moved by layouts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NodePosition {
    pub x: f32,
    pub y: f32,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
}

/// The camera of a saved view, in canvas coordinates.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Camera {
    pub center: CanvasPoint,
    pub zoom: f32,
}

impl Default for Camera {
    fn default() -> Self {
        Self {
            center: CanvasPoint::default(),
            zoom: 1.0,
        }
    }
}

/// A saved view ("slide") for briefings: camera, filters, highlights, time window and caption.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SavedView {
    pub id: ViewId,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub caption: String,
    pub camera: Camera,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hidden_kinds: Vec<EntityKind>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hidden_tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub highlighted: Vec<ItemRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_from: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_to: Option<PartialDate>,
    /// Kinds of link the view does not draw.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hidden_link_kinds: Vec<super::LinkKindTag>,
    /// Links and shipments with these claim statuses are not drawn.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hidden_claims: Vec<super::ClaimStatus>,
    /// Shipments and payments worth less than this many US dollars are not drawn (those in
    /// other currencies are).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_usd: Option<u64>,
}

impl SavedView {
    /// Whether the view draws `link` (its kind, claim and, for a payment, its value).
    pub fn shows_link(&self, link: &Link) -> bool {
        !self.hidden_link_kinds.contains(&link.kind.tag())
            && !self.hidden_claims.contains(&link.status)
            && !below_usd(self.min_usd, link.kind.payment_usd())
    }

    /// Whether the view draws `shipment` (its claim and value).
    pub fn shows_shipment(&self, shipment: &Shipment) -> bool {
        !self.hidden_claims.contains(&shipment.claim)
            && !below_usd(self.min_usd, shipment.value_usd())
    }
}

/// Whether a value (in US dollars, when known) is below a minimum.
#[allow(clippy::cast_precision_loss)]
pub fn below_usd(min_usd: Option<u64>, usd: Option<f64>) -> bool {
    matches!((min_usd, usd), (Some(min), Some(v)) if v < min as f64)
}

/// An investigator's decision that a red-flag finding does not apply here, with the reason.
/// Findings are recomputed from the case (see `analysis::rules`); a dismissal names one by its
/// stable key, so it survives re-evaluation and outlives edits to the items involved.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Dismissal {
    /// The finding's key, e.g. `"payer-country-differs:shipment=s-hx-23-0917"`.
    pub finding: String,
    /// Why the finding does not apply, in plain words.
    pub reason: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub author: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
}

/// A whole investigation case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Case {
    pub format_version: u32,
    pub meta: CaseMeta,
    #[serde(with = "id_map")]
    pub entities: BTreeMap<EntityId, Entity>,
    #[serde(with = "id_map")]
    pub links: BTreeMap<LinkId, Link>,
    #[serde(with = "id_map")]
    pub shipments: BTreeMap<ShipmentId, Shipment>,
    #[serde(with = "id_map", skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence: BTreeMap<EvidenceId, Evidence>,
    #[serde(with = "id_map", skip_serializing_if = "BTreeMap::is_empty")]
    pub notes: BTreeMap<NoteId, Note>,
    #[serde(with = "id_map", skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<GroupId, Group>,
    /// Saved views in presentation order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<SavedView>,
    /// Canvas positions of entity nodes.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub positions: BTreeMap<EntityId, NodePosition>,
    /// Append-only record of who added, changed or removed evidence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub custody: Vec<CustodyEntry>,
    /// Dismissed red-flag findings, in key order; changed only through `Edit::SetDismissal`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dismissals: Vec<Dismissal>,
    /// Trade statistics (UN Comtrade rows): national totals shown beside the shipments, never
    /// shipments themselves; changed only through `Edit::SetStatistics`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statistics: Vec<super::TradeFlow>,
    /// What each item was in the version this copy was opened from: `"entity e-su-di"` →
    /// a fingerprint of the item (its fields and canvas place; see `edit::fingerprints`).
    /// Set when the app opens a file and kept through saves, so that when a colleague merges
    /// this copy into theirs, edits made on one side only are taken without asking and
    /// deletions travel; only items both sides changed are conflicts.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub base: BTreeMap<String, String>,
}

impl Default for Case {
    fn default() -> Self {
        Self {
            format_version: FORMAT_VERSION,
            meta: CaseMeta {
                title: "Untitled case".to_owned(),
                ..CaseMeta::default()
            },
            entities: BTreeMap::new(),
            links: BTreeMap::new(),
            shipments: BTreeMap::new(),
            evidence: BTreeMap::new(),
            notes: BTreeMap::new(),
            groups: BTreeMap::new(),
            views: Vec::new(),
            positions: BTreeMap::new(),
            custody: Vec::new(),
            dismissals: Vec::new(),
            statistics: Vec::new(),
            base: BTreeMap::new(),
        }
    }
}

impl Case {
    /// A new empty case created now.
    pub fn new_untitled(now: Timestamp) -> Self {
        let mut case = Self::default();
        case.meta.id = format!("case-{}", now.unix_seconds);
        case.meta.created = now;
        case.meta.modified = now;
        case
    }

    /// Display name of an entity, or its id when it is missing.
    pub fn entity_name(&self, id: &EntityId) -> String {
        self.entities
            .get(id)
            .map_or_else(|| format!("⚠ {id}"), |e| e.name.clone())
    }

    /// A short human label for any item.
    pub fn item_label(&self, item: &ItemRef) -> String {
        match item {
            ItemRef::Entity(id) => self.entity_name(id),
            ItemRef::Link(id) => self.links.get(id).map_or_else(
                || id.to_string(),
                |l| {
                    format!(
                        "{} → {}: {}",
                        self.entity_name(&l.from),
                        self.entity_name(&l.to),
                        l.kind.summary()
                    )
                },
            ),
            ItemRef::Shipment(id) => self
                .shipments
                .get(id)
                .map_or_else(|| id.to_string(), |s| s.reference.clone()),
            ItemRef::Evidence(id) => self
                .evidence
                .get(id)
                .map_or_else(|| id.to_string(), |e| e.title.clone()),
            ItemRef::Note(id) => self
                .notes
                .get(id)
                .map_or_else(|| id.to_string(), |n| n.title.clone()),
            ItemRef::Group(id) => self
                .groups
                .get(id)
                .map_or_else(|| id.to_string(), |g| g.title.clone()),
            ItemRef::View(id) => self
                .views
                .iter()
                .find(|v| &v.id == id)
                .map_or_else(|| id.to_string(), |v| v.name.clone()),
        }
    }

    /// Whether the case holds the referenced item.
    pub fn contains(&self, item: &ItemRef) -> bool {
        match item {
            ItemRef::Entity(id) => self.entities.contains_key(id),
            ItemRef::Link(id) => self.links.contains_key(id),
            ItemRef::Shipment(id) => self.shipments.contains_key(id),
            ItemRef::Evidence(id) => self.evidence.contains_key(id),
            ItemRef::Note(id) => self.notes.contains_key(id),
            ItemRef::Group(id) => self.groups.contains_key(id),
            ItemRef::View(id) => self.views.iter().any(|v| &v.id == id),
        }
    }

    /// The item of any kind that carries `id`, if one does: ids are unique across kinds, so
    /// a link may not carry an entity's id.
    pub fn id_in_use(&self, id: &str) -> Option<ItemRef> {
        let candidates = [
            ItemRef::Entity(id.into()),
            ItemRef::Link(id.into()),
            ItemRef::Shipment(id.into()),
            ItemRef::Evidence(id.into()),
            ItemRef::Note(id.into()),
            ItemRef::Group(id.into()),
            ItemRef::View(id.into()),
        ];
        candidates.into_iter().find(|c| self.contains(c))
    }

    /// A fresh id for a new item: `prefix-slug` from the name when it has ASCII letters,
    /// else `prefix-N`; never one that `taken` reports as used. One id: it counts up past the
    /// ids already taken with that slug. Code that makes many ids in one go (an import, a
    /// paste) uses one [`FreshIds`] for all of them, which remembers where each slug's count
    /// stopped.
    pub fn fresh_id(prefix: &str, name: &str, taken: impl Fn(&str) -> bool) -> String {
        FreshIds::default().fresh(prefix, name, taken)
    }

    pub fn fresh_entity_id(&self, name: &str) -> EntityId {
        EntityId(Self::fresh_id(EntityId::PREFIX, name, |id| {
            self.entities.contains_key(&EntityId::from(id))
        }))
    }

    pub fn fresh_link_id(&self, name: &str) -> LinkId {
        LinkId(Self::fresh_id(LinkId::PREFIX, name, |id| {
            self.links.contains_key(&LinkId::from(id))
        }))
    }

    pub fn fresh_shipment_id(&self, name: &str) -> ShipmentId {
        ShipmentId(Self::fresh_id(ShipmentId::PREFIX, name, |id| {
            self.shipments.contains_key(&ShipmentId::from(id))
        }))
    }

    /// The dismissal of the finding with key `finding`, if it was dismissed.
    pub fn dismissal(&self, finding: &str) -> Option<&Dismissal> {
        self.dismissals.iter().find(|d| d.finding == finding)
    }

    /// Counts for status lines and `chokepoint check`.
    pub fn counts(&self) -> CaseCounts {
        CaseCounts {
            entities: self.entities.len(),
            links: self.links.len(),
            shipments: self.shipments.len(),
            evidence: self.evidence.len(),
            notes: self.notes.len(),
        }
    }
}

/// Fresh ids for many new items: per slug, the next counter to try, so `n` items named alike
/// cost about `n` look-ups in all rather than `n²/2` (5 000 CSV rows sharing one bill of
/// lading took 1.4 s, 20 000 took 28 s).
///
/// The counter only says where to start looking: every candidate is still checked with
/// `taken`, so an id taken behind its back (an undone removal, a redo, another import) is never
/// handed out again. When an id is freed (an undo, a removal), [`FreshIds::release`] lets its
/// number be used again, as [`Case::fresh_id`] would.
#[derive(Clone, Debug, Default)]
pub struct FreshIds {
    /// Stem (`prefix-slug`, or `prefix` for names without a slug) to the next counter to try.
    next: std::collections::HashMap<String, u32>,
}

impl FreshIds {
    /// A fresh id, as [`Case::fresh_id`] gives, remembering where the count stopped.
    pub fn fresh(&mut self, prefix: &str, name: &str, taken: impl Fn(&str) -> bool) -> String {
        let slug = super::ids::slug(name);
        let (base, stem) = if slug.is_empty() {
            (format!("{prefix}-1"), prefix.to_owned())
        } else {
            let stem = format!("{prefix}-{slug}");
            (stem.clone(), stem)
        };
        let next = self.next.get(&stem).copied().unwrap_or(2);
        if next <= 2 && !taken(&base) {
            return base;
        }
        // Ids are finite, so some counter is always free; the bound only satisfies the type.
        let found = (next..=u32::MAX).find(|n| !taken(&format!("{stem}-{n}")));
        let Some(n) = found else {
            return base;
        };
        self.next.insert(stem.clone(), n.saturating_add(1));
        format!("{stem}-{n}")
    }

    /// `id` is free again (its item was removed or its insertion undone): the next id of its
    /// slug may reuse its number.
    pub fn release(&mut self, id: &str) {
        // As a base id (`prefix-slug`): its slug is tried from the base again.
        if let Some(next) = self.next.get_mut(id) {
            *next = 2;
        }
        // As a numbered id (`stem-N`, `prefix-1` among them): its number is free again.
        if let Some((stem, n)) = id.rsplit_once('-')
            && let Ok(n) = n.parse::<u32>()
            && let Some(next) = self.next.get_mut(stem)
        {
            *next = (*next).min(n.max(2));
        }
    }
}

/// How many items of each main kind a case holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseCounts {
    pub entities: usize,
    pub links: usize,
    pub shipments: usize,
    pub evidence: usize,
    pub notes: usize,
}

impl std::fmt::Display for CaseCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} entities, {} links, {} shipments, {} evidence items, {} notes",
            self.entities, self.links, self.shipments, self.evidence, self.notes
        )
    }
}

/// Items that carry their own id, so a map of them can be written as a plain list.
pub trait HasId {
    type Id: Ord + Clone + std::fmt::Display;
    fn id(&self) -> &Self::Id;
    /// Word for error messages ("entity", "link" ...).
    const KIND: &'static str;
}

macro_rules! has_id {
    ($t:ty, $id:ty, $kind:literal) => {
        impl HasId for $t {
            type Id = $id;
            const KIND: &'static str = $kind;
            fn id(&self) -> &$id {
                &self.id
            }
        }
    };
}
has_id!(Entity, EntityId, "entity");
has_id!(Link, LinkId, "link");
has_id!(Shipment, ShipmentId, "shipment");
has_id!(Evidence, EvidenceId, "evidence item");
has_id!(Note, NoteId, "note");
has_id!(Group, GroupId, "group");

/// Writes an id-keyed map as a list in id order (readable, diff-friendly RON) and reads it
/// back, refusing duplicate ids.
pub mod id_map {
    use super::HasId;
    use serde::de::{Deserializer, Error, SeqAccess, Visitor};
    use serde::ser::Serializer;
    use serde::{Deserialize, Serialize};
    use std::collections::BTreeMap;
    use std::fmt;
    use std::marker::PhantomData;

    pub fn serialize<S, T>(map: &BTreeMap<T::Id, T>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: HasId + Serialize,
    {
        serializer.collect_seq(map.values())
    }

    pub fn deserialize<'de, D, T>(deserializer: D) -> Result<BTreeMap<T::Id, T>, D::Error>
    where
        D: Deserializer<'de>,
        T: HasId + Deserialize<'de>,
    {
        struct ListVisitor<T>(PhantomData<T>);

        impl<'de, T: HasId + Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
            type Value = BTreeMap<T::Id, T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a list of {} items", T::KIND)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut map = BTreeMap::new();
                while let Some(item) = seq.next_element::<T>()? {
                    let id = item.id().clone();
                    if map.insert(id.clone(), item).is_some() {
                        return Err(A::Error::custom(format!(
                            "duplicate {} id \"{id}\"",
                            T::KIND
                        )));
                    }
                }
                Ok(map)
            }
        }

        deserializer.deserialize_seq(ListVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};
    use std::collections::BTreeSet;

    /// While ids are only added, one `FreshIds` gives exactly what `Case::fresh_id` gives
    /// (the smallest free counter), with a bounded number of look-ups per id.
    #[test]
    fn fresh_ids_match_the_one_off_scan_with_linear_work() {
        let taken = RefCell::new(BTreeSet::new());
        let probes = Cell::new(0usize);
        let mut fresh = FreshIds::default();
        let names = ["Acme", "acme!", "", "苏菂", "Bolt 7", "Acme"];
        for round in 0..3_000 {
            let name = names[round % names.len()];
            let expected = Case::fresh_id("e", name, |id| taken.borrow().contains(id));
            let got = fresh.fresh("e", name, |id| {
                probes.set(probes.get() + 1);
                taken.borrow().contains(id)
            });
            assert_eq!(got, expected, "round {round}");
            taken.borrow_mut().insert(got);
        }
        assert!(probes.get() <= 2 * 3_000, "{} look-ups", probes.get());
    }

    /// Undo and removals free ids behind the allocator's back: released numbers are used
    /// again, and ids that came back (a redo) are never handed out twice.
    #[test]
    fn fresh_ids_stay_correct_under_removal_and_undo() {
        let mut taken: BTreeSet<String> = BTreeSet::new();
        let mut fresh = FreshIds::default();
        let take = |fresh: &mut FreshIds, taken: &mut BTreeSet<String>| {
            let id = fresh.fresh("s", "BL 9", |id| taken.contains(id));
            assert!(taken.insert(id.clone()), "{id} handed out twice");
            id
        };
        let first: Vec<String> = (0..5).map(|_| take(&mut fresh, &mut taken)).collect();
        assert_eq!(
            first,
            ["s-bl-9", "s-bl-9-2", "s-bl-9-3", "s-bl-9-4", "s-bl-9-5"]
        );
        // Undo removes s-bl-9-3 and the plain slug.
        taken.remove("s-bl-9-3");
        fresh.release("s-bl-9-3");
        taken.remove("s-bl-9");
        fresh.release("s-bl-9");
        assert_eq!(take(&mut fresh, &mut taken), "s-bl-9");
        assert_eq!(take(&mut fresh, &mut taken), "s-bl-9-3");
        assert_eq!(take(&mut fresh, &mut taken), "s-bl-9-6");
        // A redo brings back ids the allocator never heard of.
        taken.insert("s-bl-9-7".to_owned());
        taken.insert("s-bl-9-8".to_owned());
        assert_eq!(take(&mut fresh, &mut taken), "s-bl-9-9");
        // A release nobody asked for (an id of another slug, or malformed) changes nothing.
        fresh.release("s-other-2");
        fresh.release("nonsense");
        assert_eq!(take(&mut fresh, &mut taken), "s-bl-9-10");
    }
}
