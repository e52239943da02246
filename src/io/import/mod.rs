//! Bringing outside data into a case: CSV trade records with a column mapping, and
//! `FollowTheMoney` entity files (OCCRP Aleph, `OpenSanctions`).
//!
//! Every importer stages what it read in a [`Staging`], which resolves incoming entities
//! against the case and against each other, and ends in one [`Edit::Batch`]: the whole import
//! is one undo step and passes the same validation as any other edit. Nothing is applied here.
//!
//! Resolution merges two records automatically only on strong grounds (see [`Resolver`]):
//! the same identifying number of the same scheme, or the same name (by
//! [`identity_key`]: case, punctuation, word order, legal forms and diacritics folded, every
//! letter and digit kept) and the same country, with no conflicting identifier or date. Every
//! such merge is listed in the summary with its reason and can be split again as one step
//! ([`split_merge_edit`]); anything weaker is offered for review as a possible duplicate.

pub mod copies;
pub mod csv;
pub mod ftm;

use crate::analysis::names::{identity_key, jaro_winkler, name_keys};
use crate::edit::{Edit, Item};
use crate::model::{
    Case, CountryCode, Entity, EntityId, EntityKind, Evidence, Flag, FreshIds, Identifier,
    IdentifierScheme, ItemRef, Link, LinkId, PartialDate, PostalAddress, ProductSpec, Shipment,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

/// Similarity of two names (0–1) from which they are offered as probable duplicates.
pub const DUPLICATE_THRESHOLD: f64 = 0.9;

/// Most candidates kept per name word or per identity key: very common words and names
/// ("Unknown", "Trading") would otherwise make resolution quadratic.
const MAX_CANDIDATES: usize = 200;

/// Examples kept per kind of value not carried (the count is always exact).
const MAX_EXAMPLES: usize = 50;

/// An incoming entity that looks like one already known but was kept apart.
#[derive(Clone, Debug, PartialEq)]
pub struct PossibleDuplicate {
    /// The entity the import created.
    pub incoming: EntityId,
    /// The entity it resembles (already in the case, or imported earlier in the same file).
    pub existing: EntityId,
    /// Name similarity, 0 to 1.
    pub score: f64,
    /// Why they look alike and why they were not merged, in plain words.
    pub reason: String,
}

/// Records of the import that were merged into one entity, automatically, for one reason.
#[derive(Clone, Debug, PartialEq)]
pub struct AutoMerge {
    /// The entity that stands for them.
    pub into: EntityId,
    /// Its name when the import was done.
    pub into_name: String,
    /// Where `into` came from: "already in the case", or the record of this import that
    /// created it ("line 3", "row 2").
    pub into_origin: String,
    /// Why, in plain words: "same registration number 808000714 in both records".
    pub reason: String,
    /// The merged records: where each was read and the name it gave.
    pub records: Vec<String>,
    /// What splitting this merge again needs.
    pub split: Split,
}

/// What a split of an [`AutoMerge`] puts back: the records as their own entity, what they
/// added to the entity they were merged into, and where imported items named them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Split {
    /// The merged records folded together, as they were read (its id is chosen on splitting).
    entity: Entity,
    /// The id the records came with, taken back when still free.
    preferred_id: String,
    added: Contribution,
    /// Imported items that named the records, and which of their entity references
    /// ([`entity_refs_mut`] order) did.
    references: Vec<(ItemRef, Vec<usize>)>,
}

/// What folding one entity into another added to it.
#[derive(Clone, Debug, Default, PartialEq)]
struct Contribution {
    aliases: Vec<String>,
    identifiers: Vec<Identifier>,
    flags: Vec<Flag>,
    tags: Vec<String>,
    /// (key, value before, value after) of each attribute added or extended.
    attributes: Vec<(String, Option<String>, String)>,
    country: Option<CountryCode>,
    start: Option<PartialDate>,
    end: Option<PartialDate>,
    address: Option<PostalAddress>,
    product: Option<ProductSpec>,
    notes: Option<String>,
}

impl Contribution {
    fn extend(&mut self, other: Contribution) {
        self.aliases.extend(other.aliases);
        self.identifiers.extend(other.identifiers);
        self.flags.extend(other.flags);
        self.tags.extend(other.tags);
        self.attributes.extend(other.attributes);
        self.country = self.country.take().or(other.country);
        self.start = self.start.take().or(other.start);
        self.end = self.end.take().or(other.end);
        self.address = self.address.take().or(other.address);
        self.product = self.product.take().or(other.product);
        self.notes = self.notes.take().or(other.notes);
    }
}

/// Source values an import could not carry into the case, of one field and for one reason.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NotCarried {
    /// How many values.
    pub count: usize,
    /// The first few, each with where it was read.
    pub examples: Vec<String>,
}

/// What an import did, for the summary shown to the user and printed by the CLI.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportSummary {
    /// Records (rows or JSON lines) read.
    pub records: usize,
    pub entities_added: usize,
    /// Incoming records merged into another entity (see `merges` for each and why).
    pub entities_merged: usize,
    pub links_added: usize,
    pub shipments_added: usize,
    pub evidence_added: usize,
    /// Flags (e.g. sanctions) set on entities.
    pub flags_added: usize,
    pub identifiers_added: usize,
    /// Rows of trade statistics added (UN Comtrade files), kept apart from shipments.
    pub statistics_added: usize,
    /// Every automatic merge, with its reason.
    pub merges: Vec<AutoMerge>,
    /// Probable duplicates kept apart, for the user to review.
    pub possible_duplicates: Vec<PossibleDuplicate>,
    /// Records left out, each with its line and the reason.
    pub skipped: Vec<String>,
    /// Source fields with no counterpart in the case model, kept as entity attributes (or
    /// in a description), with how often each was seen.
    pub kept_as_attributes: BTreeMap<String, usize>,
    /// Values not carried at all, by (source field, reason).
    pub not_carried: BTreeMap<(String, String), NotCarried>,
    /// Other things the user should know (e.g. records of one id united).
    pub notes: Vec<String>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl ImportSummary {
    /// Plain text for the CLI and the import dialog: the counts, then every automatic merge
    /// with its reason, what was kept as attributes, what was not carried and why, and the
    /// records left out.
    pub fn report(&self) -> String {
        let mut out = self.headline();
        if !self.merges.is_empty() {
            out.push_str("\nmerged automatically (each can be split again):");
            for m in &self.merges {
                let _ = write!(out, "\n  {}", m.describe());
            }
        }
        if !self.possible_duplicates.is_empty() {
            let _ = write!(
                out,
                "\n{} kept apart for review",
                plural(
                    self.possible_duplicates.len(),
                    "possible duplicate",
                    "possible duplicates"
                )
            );
        }
        let details = self.details();
        if !details.is_empty() {
            out.push('\n');
            out.push_str(&details);
        }
        out
    }

    /// The counts, in one line.
    pub fn headline(&self) -> String {
        if self.statistics_added > 0 || (self.records > 0 && self.is_statistics_only()) {
            return format!(
                "{} read: {} of trade statistics added (national totals, not shipments)",
                plural(self.records, "row", "rows"),
                plural(self.statistics_added, "row", "rows"),
            );
        }
        format!(
            "{} read: {} added, {} merged into other entities, {}, {}, {}, {}, {}",
            plural(self.records, "record", "records"),
            plural(self.entities_added, "entity", "entities"),
            plural(self.entities_merged, "record", "records"),
            plural(self.links_added, "link", "links"),
            plural(self.shipments_added, "shipment", "shipments"),
            plural(self.evidence_added, "evidence item", "evidence items"),
            plural(self.flags_added, "flag", "flags"),
            plural(self.identifiers_added, "identifier", "identifiers"),
        )
    }

    fn is_statistics_only(&self) -> bool {
        self.entities_added == 0
            && self.shipments_added == 0
            && self.links_added == 0
            && self.notes.iter().any(|n| n.starts_with("Trade statistics"))
    }

    /// What was kept as attributes, what was not carried and why, the records left out and
    /// other notes: one section a line, empty when there is nothing to say.
    pub fn details(&self) -> String {
        let mut out = String::new();
        if !self.kept_as_attributes.is_empty() {
            let fields: Vec<String> = self
                .kept_as_attributes
                .iter()
                .map(|(k, n)| format!("{k} ({n})"))
                .collect();
            let _ = write!(
                out,
                "\nkept as attributes or in descriptions (no field of their own in Chokepoint): {}",
                fields.join(", ")
            );
        }
        if !self.not_carried.is_empty() {
            out.push_str("\nnot carried:");
            for ((field, why), n) in &self.not_carried {
                let _ = write!(
                    out,
                    "\n  {field}: {} {why}",
                    plural(n.count, "value", "values")
                );
                let shown: Vec<&str> = n.examples.iter().take(5).map(String::as_str).collect();
                if !shown.is_empty() {
                    let _ = write!(out, " ({}", shown.join("; "));
                    if n.count > shown.len() {
                        let _ = write!(out, "; … {} more", n.count - shown.len());
                    }
                    out.push(')');
                }
            }
        }
        if !self.skipped.is_empty() {
            let _ = write!(
                out,
                "\n{} left out:",
                plural(self.skipped.len(), "record", "records")
            );
            for s in self.skipped.iter().take(20) {
                out.push_str("\n  ");
                out.push_str(s);
            }
            if self.skipped.len() > 20 {
                let _ = write!(out, "\n  … and {} more", self.skipped.len() - 20);
            }
        }
        for n in &self.notes {
            out.push('\n');
            out.push_str(n);
        }
        out.trim_start_matches('\n').to_owned()
    }

    /// Total of values not carried.
    pub fn not_carried_count(&self) -> usize {
        self.not_carried.values().map(|n| n.count).sum()
    }
}

impl AutoMerge {
    /// One line: the records, what they were merged into, and why.
    pub fn describe(&self) -> String {
        let records = match self.records.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [first, second] => format!("{first} and {second}"),
            [first, second, rest @ ..] => {
                format!("{first}, {second} and {} more", rest.len())
            }
        };
        format!(
            "{records} → “{}” ({}): {}",
            self.into_name, self.into_origin, self.reason
        )
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
    /// The same party, and why.
    Same(EntityId, String),
    /// Possibly the same party: similarity and why it was not merged.
    Possible(EntityId, f64, String),
    New,
}

/// Identifier schemes that identify one party. Contact details (e-mail, phone, web site,
/// handle) are shared by unrelated parties (a registered agent, a shared office), so they
/// never merge two records on their own.
fn identifies(scheme: &IdentifierScheme) -> bool {
    !matches!(
        scheme,
        IdentifierScheme::Email
            | IdentifierScheme::Phone
            | IdentifierScheme::Url
            | IdentifierScheme::Handle
    )
}

/// Schemes whose numbers are unique worldwide; the others (registration, tax, passport ...)
/// are national, so two records with one number in different countries are not one party.
fn worldwide(scheme: &IdentifierScheme) -> bool {
    matches!(
        scheme,
        IdentifierScheme::Lei | IdentifierScheme::Imo | IdentifierScheme::Swift
    )
}

/// The scheme in words, for reasons: "registration number".
fn scheme_words(scheme: &IdentifierScheme) -> String {
    match scheme {
        IdentifierScheme::Registration => "registration number".to_owned(),
        IdentifierScheme::TaxId => "tax number".to_owned(),
        IdentifierScheme::Lei => "LEI".to_owned(),
        IdentifierScheme::Vat => "VAT number".to_owned(),
        IdentifierScheme::Passport => "passport number".to_owned(),
        IdentifierScheme::NationalId => "national id number".to_owned(),
        IdentifierScheme::Imo => "IMO number".to_owned(),
        IdentifierScheme::TailNumber => "tail number".to_owned(),
        IdentifierScheme::AccountNumber => "account number".to_owned(),
        IdentifierScheme::Swift => "SWIFT/BIC code".to_owned(),
        IdentifierScheme::Handle => "handle".to_owned(),
        IdentifierScheme::Url => "web address".to_owned(),
        IdentifierScheme::Email => "e-mail address".to_owned(),
        IdentifierScheme::Phone => "phone number".to_owned(),
        IdentifierScheme::Other(s) => s.clone(),
    }
}

fn normalise_identifier(value: &str) -> String {
    value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Whether a normalised identifier can identify anyone: placeholders such as "N/A", "0" or
/// "000000" cannot.
fn meaningful_identifier(normalised: &str) -> bool {
    let mut chars = normalised.chars();
    let first = chars.next();
    normalised.len() >= 4
        && normalised.bytes().any(|b| b.is_ascii_digit())
        && chars.any(|c| Some(c) != first)
}

fn organisation(kind: EntityKind) -> bool {
    matches!(kind, EntityKind::Company | EntityKind::Organization)
}

/// Whether two kinds can be one party (sources call the same company an organisation).
fn kinds_compatible(a: EntityKind, b: EntityKind) -> bool {
    a == b || (organisation(a) && organisation(b))
}

/// Whether two dates contradict each other at the precision both give (1971 and 1971-01-22
/// agree; 1971-01 and 1971-02 do not).
fn dates_conflict(a: &PartialDate, b: &PartialDate) -> bool {
    if a.year != b.year {
        return true;
    }
    match (a.month, b.month) {
        (Some(x), Some(y)) if x != y => true,
        (Some(_), Some(_)) => matches!((a.day, b.day), (Some(x), Some(y)) if x != y),
        _ => false,
    }
}

/// What resolution knows of one entity (the union of every record merged into it).
#[derive(Clone, Debug, Default)]
struct Known {
    kind: EntityKind,
    country: Option<CountryCode>,
    start: Option<PartialDate>,
    end: Option<PartialDate>,
    /// (scheme, normalised value, issuer, value as given).
    identifiers: Vec<(IdentifierScheme, String, Option<CountryCode>, String)>,
    /// Screening key of the main name, for similarity.
    fuzzy: String,
    /// Strict key of the main name ([`identity_key`]).
    key: String,
    /// Strict keys of every name and alias.
    names: BTreeSet<String>,
    /// `FollowTheMoney` ids of the records it was read from.
    ftm_ids: Vec<String>,
}

impl Known {
    fn of(e: &Entity) -> Self {
        let mut fuzzy = name_keys(&e.name);
        fuzzy.sort();
        Self {
            kind: e.kind,
            country: e.country.clone(),
            start: e.start.clone(),
            end: e.end.clone(),
            identifiers: e
                .identifiers
                .iter()
                .filter(|i| !i.value.trim().is_empty())
                .map(|i| {
                    (
                        i.scheme.clone(),
                        normalise_identifier(&i.value),
                        i.issuer.clone(),
                        i.value.trim().to_owned(),
                    )
                })
                .collect(),
            fuzzy: fuzzy.join(" "),
            key: identity_key(&e.name),
            names: std::iter::once(&e.name)
                .chain(&e.aliases)
                .map(|n| identity_key(n))
                .filter(|k| !k.is_empty())
                .collect(),
            ftm_ids: e
                .attributes
                .get("ftm:id")
                .map(|ids| ids.split("; ").map(str::to_owned).collect())
                .unwrap_or_default(),
        }
    }

    fn absorb(&mut self, other: Known) {
        self.country = self.country.take().or(other.country);
        self.start = self.start.take().or(other.start);
        self.end = self.end.take().or(other.end);
        for i in other.identifiers {
            if !self.identifiers.contains(&i) {
                self.identifiers.push(i);
            }
        }
        self.names.extend(other.names);
        self.ftm_ids.extend(other.ftm_ids);
        if self.fuzzy.is_empty() {
            self.fuzzy = other.fuzzy;
        }
    }

    /// Why `self` and `other` cannot be one party, if anything says so: kinds that cannot
    /// be one, an identifying number of one scheme on both with no value in common, or
    /// dates of birth, incorporation, death or dissolution that differ.
    fn conflict(&self, other: &Known) -> Option<String> {
        if !kinds_compatible(self.kind, other.kind) {
            return Some(format!(
                "one is a {}, the other a {}",
                self.kind.label().to_lowercase(),
                other.kind.label().to_lowercase()
            ));
        }
        let schemes: BTreeSet<&IdentifierScheme> = self
            .identifiers
            .iter()
            .map(|i| &i.0)
            .filter(|s| identifies(s))
            .collect();
        for scheme in schemes {
            let values = |k: &Known| -> Vec<(String, Option<CountryCode>, String)> {
                k.identifiers
                    .iter()
                    .filter(|i| &i.0 == scheme && meaningful_identifier(&i.1))
                    .map(|i| (i.1.clone(), i.2.clone(), i.3.clone()))
                    .collect()
            };
            let (mine, theirs) = (values(self), values(other));
            if mine.is_empty() || theirs.is_empty() {
                continue;
            }
            // Numbers issued by different countries are not comparable.
            let comparable = |a: &Option<CountryCode>, b: &Option<CountryCode>| {
                a.is_none() || b.is_none() || a == b
            };
            let pairs: Vec<_> = mine
                .iter()
                .flat_map(|m| theirs.iter().map(move |t| (m, t)))
                .filter(|(m, t)| comparable(&m.1, &t.1))
                .collect();
            if !pairs.is_empty() && !pairs.iter().any(|(m, t)| m.0 == t.0) {
                return Some(format!(
                    "different {}s ({} / {})",
                    scheme_words(scheme),
                    pairs[0].0.2,
                    pairs[0].1.2
                ));
            }
        }
        let (start_words, end_words) = match self.kind {
            EntityKind::Person => ("dates of birth", "dates of death"),
            k if organisation(k) => ("incorporation dates", "dissolution dates"),
            _ => ("start dates", "end dates"),
        };
        for (words, a, b) in [
            (start_words, &self.start, &other.start),
            (end_words, &self.end, &other.end),
        ] {
            if let (Some(a), Some(b)) = (a, b)
                && dates_conflict(a, b)
            {
                return Some(format!("different {words} ({a} / {b})"));
            }
        }
        None
    }
}

/// Entities known so far (the case's and the import's), indexed for resolution.
///
/// Two records are merged automatically when
/// 1. they carry the same identifying number of one scheme (registration, tax, LEI,
///    passport, IMO ... but not contact details), issued by the same country where it is
///    national, and nothing conflicts (see [`Known::conflict`]); or
/// 2. they have the same `FollowTheMoney` id and the same name (the same file read again);
///    or
/// 3. they have the same name by [`identity_key`] and the same country (or neither gives
///    one), and nothing conflicts.
///
/// Anything weaker — a similar name, the same name with a conflict or with a country on one
/// side only, a shared phone number — is a possible duplicate, for the user to review.
#[derive(Default)]
struct Resolver {
    known: HashMap<EntityId, Known>,
    by_identifier: HashMap<(IdentifierScheme, String), Vec<EntityId>>,
    by_name: HashMap<String, Vec<EntityId>>,
    by_ftm_id: HashMap<String, Vec<EntityId>>,
    by_word: HashMap<String, Vec<EntityId>>,
}

fn push_capped(list: &mut Vec<EntityId>, id: &EntityId) {
    // A full list is not searched: every merged record of a common name would scan it.
    if list.len() < MAX_CANDIDATES && !list.contains(id) {
        list.push(id.clone());
    }
}

impl Resolver {
    /// Indexes `e` as entity `as_id` (its own id, or the entity it was merged into).
    fn add(&mut self, e: &Entity, as_id: &EntityId) {
        self.add_known(Known::of(e), as_id);
    }

    /// Indexes what is known of an entity as entity `as_id`.
    fn add_known(&mut self, known: Known, as_id: &EntityId) {
        for key in &known.names {
            push_capped(self.by_name.entry(key.clone()).or_default(), as_id);
        }
        for word in known.fuzzy.split(' ').filter(|w| !w.is_empty()) {
            push_capped(self.by_word.entry(word.to_owned()).or_default(), as_id);
        }
        for (scheme, value, ..) in &known.identifiers {
            if meaningful_identifier(value) {
                push_capped(
                    self.by_identifier
                        .entry((scheme.clone(), value.clone()))
                        .or_default(),
                    as_id,
                );
            }
        }
        for f in &known.ftm_ids {
            push_capped(self.by_ftm_id.entry(f.clone()).or_default(), as_id);
        }
        match self.known.get_mut(as_id) {
            Some(k) => k.absorb(known),
            None => {
                self.known.insert(as_id.clone(), known);
            }
        }
    }

    fn resolve(&self, e: &Entity) -> Resolution {
        self.resolve_known(&Known::of(e))
    }

    /// [`Self::resolve`] with what is known of `e` already worked out.
    fn resolve_known(&self, incoming: &Known) -> Resolution {
        // The best reason found not to merge, as a possible duplicate.
        let mut possible: Option<(EntityId, f64, String)> = None;
        let same = {
            let mut offer = |id: &EntityId, score: f64, why: String| {
                if possible.as_ref().is_none_or(|(_, s, _)| score > *s) {
                    possible = Some((id.clone(), score, why));
                }
            };
            self.resolve_same(incoming, &mut offer)
        };
        if let Some((id, reason)) = same {
            return Resolution::Same(id, reason);
        }
        match possible {
            Some((id, score, why)) => Resolution::Possible(id, score, why),
            None => Resolution::New,
        }
    }

    /// The entity `incoming` is by the strong rules, if any; weaker matches go to `offer`.
    fn resolve_same(
        &self,
        incoming: &Known,
        offer: &mut impl FnMut(&EntityId, f64, String),
    ) -> Option<(EntityId, String)> {
        // 1. An identifying number.
        for (scheme, value, issuer, given) in &incoming.identifiers {
            if !meaningful_identifier(value) {
                continue;
            }
            let what = format!("{} {given}", scheme_words(scheme));
            for id in self
                .by_identifier
                .get(&(scheme.clone(), value.clone()))
                .into_iter()
                .flatten()
            {
                let Some(known) = self.known.get(id) else {
                    continue;
                };
                if !identifies(scheme) {
                    offer(
                        id,
                        0.95,
                        format!("same {what}, which does not identify a party on its own"),
                    );
                    continue;
                }
                let issuers_differ = known.identifiers.iter().any(|(s, v, i, _)| {
                    s == scheme && v == value && issuer.is_some() && i.is_some() && i != issuer
                });
                if issuers_differ {
                    continue;
                }
                let countries_differ = !worldwide(scheme)
                    && issuer.is_none()
                    && known.country.is_some()
                    && incoming.country.is_some()
                    && known.country != incoming.country;
                if countries_differ {
                    offer(
                        id,
                        0.99,
                        format!(
                            "same {what}, but in different countries ({} / {})",
                            known.country.as_ref().map_or("?", CountryCode::as_str),
                            incoming.country.as_ref().map_or("?", CountryCode::as_str)
                        ),
                    );
                    continue;
                }
                match known.conflict(incoming) {
                    None => return Some((id.clone(), format!("same {what} in both records"))),
                    Some(why) => offer(id, 0.99, format!("same {what}, but {why}")),
                }
            }
        }
        let key = &incoming.key;
        // 2. The same FtM record read again.
        for ftm_id in &incoming.ftm_ids {
            for id in self.by_ftm_id.get(ftm_id).into_iter().flatten() {
                let Some(known) = self.known.get(id) else {
                    continue;
                };
                if !known.names.contains(key) {
                    continue;
                }
                match known.conflict(incoming) {
                    None => {
                        return Some((
                            id.clone(),
                            "same FollowTheMoney id and name in both records".to_owned(),
                        ));
                    }
                    Some(why) => offer(id, 0.99, format!("same FollowTheMoney id, but {why}")),
                }
            }
        }
        if key.is_empty() {
            return None;
        }
        // 3. The same name and country.
        for id in self.by_name.get(key).into_iter().flatten() {
            let Some(known) = self.known.get(id) else {
                continue;
            };
            if !kinds_compatible(known.kind, incoming.kind) {
                continue;
            }
            match (&known.country, &incoming.country) {
                (a, b) if a == b => match known.conflict(incoming) {
                    None => {
                        let reason = match a {
                            Some(c) => format!("same name and country ({c})"),
                            None => "same name, and neither record gives a country".to_owned(),
                        };
                        return Some((id.clone(), reason));
                    }
                    Some(why) => offer(id, 0.98, format!("same name, but {why}")),
                },
                (Some(c), None) | (None, Some(c)) => offer(
                    id,
                    0.97,
                    format!("same name, but only one record gives a country ({c})"),
                ),
                _ => {}
            }
        }
        // 4. Similar names: a candidate shares a screening word; same country or one unknown.
        let mut seen = BTreeSet::new();
        for word in incoming.fuzzy.split(' ').filter(|w| !w.is_empty()) {
            for id in self.by_word.get(word).into_iter().flatten() {
                if !seen.insert(id) {
                    continue;
                }
                let Some(known) = self.known.get(id) else {
                    continue;
                };
                if !kinds_compatible(known.kind, incoming.kind)
                    || (known.country.is_some()
                        && incoming.country.is_some()
                        && known.country != incoming.country)
                {
                    continue;
                }
                let score = jaro_winkler(&incoming.fuzzy, &known.fuzzy);
                if score >= DUPLICATE_THRESHOLD {
                    offer(
                        id,
                        score.min(0.96),
                        format!("similar name ({:.0}%)", score * 100.0),
                    );
                }
            }
        }
        None
    }
}

/// A record merged into another entity, kept whole until the import is finished so that
/// later records (a sanction, a passport) can still add to it and a split can give it back.
struct Merged {
    /// The record's strict name key and country, grouping merges of one name.
    group: String,
    entity: Entity,
    /// The id the record came with.
    preferred_id: String,
    into: EntityId,
    reason: String,
    source: String,
}

/// Placeholders stand for merged records while an import is staged. They are not valid ids
/// (`~` is not allowed), so one can never reach the case unnoticed: validation would refuse it.
fn placeholder(n: usize) -> EntityId {
    EntityId(format!("~merged-{n}"))
}

/// Every entity reference of an item an import creates (links, shipments, evidence), in a
/// fixed order, to rewrite merged records and to split them again.
pub fn entity_refs_mut(item: &mut Item) -> Vec<&mut EntityId> {
    match item {
        Item::Link(l) => {
            let l = &mut **l;
            vec![&mut l.from, &mut l.to]
        }
        Item::Shipment(s) => {
            let s = &mut **s;
            let mut out: Vec<&mut EntityId> = [
                &mut s.shipper,
                &mut s.consignee,
                &mut s.notify_party,
                &mut s.declared_end_user,
                &mut s.suspected_end_user,
            ]
            .into_iter()
            .flatten()
            .collect();
            out.extend(s.forwarders.iter_mut());
            for leg in &mut s.legs {
                out.extend(leg.from.entity.as_mut());
                out.extend(leg.to.entity.as_mut());
            }
            out.extend(s.goods.iter_mut().filter_map(|g| g.product.as_mut()));
            out
        }
        Item::Evidence(ev) => ev
            .supports
            .iter_mut()
            .filter_map(|s| match &mut s.target {
                Some(ItemRef::Entity(id)) => Some(id),
                _ => None,
            })
            .collect(),
        Item::Entity(_) | Item::Note(_) | Item::Group(_) | Item::View(_) => Vec::new(),
    }
}

/// What an importer has read so far, resolved against the case, ready to become one edit.
pub struct Staging<'a> {
    case: &'a Case,
    resolver: Resolver,
    /// New entities, and changed copies of existing ones, by id.
    entities: BTreeMap<EntityId, Entity>,
    /// Ids of entities that existed in the case before the import.
    existing_changed: BTreeSet<EntityId>,
    /// Records merged into another entity, by placeholder number.
    merged: Vec<Merged>,
    /// Where each new entity was read ("line 3").
    origin: HashMap<EntityId, String>,
    /// Links, shipments and evidence, naming merged records by placeholder until `finish`.
    items: Vec<Item>,
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
            resolver.add(e, &e.id);
        }
        Self {
            case,
            resolver,
            entities: BTreeMap::new(),
            existing_changed: BTreeSet::new(),
            merged: Vec::new(),
            origin: HashMap::new(),
            items: Vec::new(),
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
        self.taken.contains(id) || self.case.id_in_use(id).is_some()
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

    fn merged_index(id: &EntityId) -> Option<usize> {
        id.as_str().strip_prefix("~merged-")?.parse().ok()
    }

    /// The current state of an entity: a merged record as read (with what later records
    /// added to it), else the staged copy, else the case's.
    pub fn entity(&self, id: &EntityId) -> Option<&Entity> {
        if let Some(i) = Self::merged_index(id) {
            return self.merged.get(i).map(|m| &m.entity);
        }
        self.entities.get(id).or_else(|| self.case.entities.get(id))
    }

    /// A mutable staged copy of an entity, copied from the case on first change; for a
    /// merged record, the record itself (folded into its entity when the import finishes).
    pub fn entity_mut(&mut self, id: &EntityId) -> Option<&mut Entity> {
        if let Some(i) = Self::merged_index(id) {
            return self.merged.get_mut(i).map(|m| &mut m.entity);
        }
        if !self.entities.contains_key(id) {
            let e = self.case.entities.get(id)?.clone();
            self.existing_changed.insert(id.clone());
            self.entities.insert(id.clone(), e);
        }
        self.entities.get_mut(id)
    }

    /// Adds an incoming entity read at `source` ("line 3", "row 2"), or merges it into the one
    /// it resolves to. Returns the id that stands for it while the import is staged (use it
    /// for links, shipments and evidence). The incoming entity's id is used when it is free.
    pub fn add_entity(&mut self, mut incoming: Entity, source: &str) -> EntityId {
        let known = Known::of(&incoming);
        match self.resolver.resolve_known(&known) {
            Resolution::Same(into, reason) => {
                let n = self.merged.len();
                let preferred_id = std::mem::take(&mut incoming.id.0);
                let group_key = format!(
                    "{}|{}",
                    known.key,
                    incoming.country.as_ref().map_or("", CountryCode::as_str)
                );
                self.resolver.add_known(known, &into);
                self.merged.push(Merged {
                    entity: incoming,
                    preferred_id,
                    into,
                    reason,
                    source: source.to_owned(),
                    group: group_key,
                });
                self.summary.entities_merged += 1;
                placeholder(n)
            }
            resolution => {
                let id = self.claim_id(EntityId::PREFIX, incoming.id.as_str(), &incoming.name);
                incoming.id = EntityId(id);
                if let Resolution::Possible(existing, score, reason) = resolution {
                    self.summary.possible_duplicates.push(PossibleDuplicate {
                        incoming: incoming.id.clone(),
                        existing,
                        score,
                        reason,
                    });
                }
                self.resolver.add_known(known, &incoming.id);
                let id = incoming.id.clone();
                self.origin.insert(id.clone(), source.to_owned());
                self.entities.insert(id.clone(), incoming);
                id
            }
        }
    }

    /// Adds a link whose ends are already staged or in the case; its id must be set.
    pub fn add_link(&mut self, link: Link) {
        self.summary.links_added += 1;
        self.items.push(Item::from(link));
    }

    pub fn add_shipment(&mut self, shipment: Shipment) {
        self.summary.shipments_added += 1;
        self.items.push(Item::from(shipment));
    }

    pub fn add_evidence(&mut self, evidence: Evidence) {
        self.summary.evidence_added += 1;
        self.items.push(Item::from(evidence));
    }

    /// Notes a source field kept as an attribute (or in a description).
    pub fn kept(&mut self, field: &str) {
        *self
            .summary
            .kept_as_attributes
            .entry(field.to_owned())
            .or_default() += 1;
    }

    /// Notes a source value that could not be carried: its field, why, and where it was
    /// read (with the value, shortened).
    pub fn not_carried(&mut self, field: &str, why: &str, example: impl FnOnce() -> String) {
        let entry = self
            .summary
            .not_carried
            .entry((field.to_owned(), why.to_owned()))
            .or_default();
        entry.count += 1;
        if entry.examples.len() < MAX_EXAMPLES {
            entry.examples.push(example());
        }
    }

    /// Notes `n` values of a field not carried, with no example (e.g. an unmapped column).
    pub fn not_carried_many(&mut self, field: &str, why: &str, n: usize) {
        if n > 0 {
            self.summary
                .not_carried
                .entry((field.to_owned(), why.to_owned()))
                .or_default()
                .count += n;
        }
    }

    pub fn skip(&mut self, reason: String) {
        self.summary.skipped.push(reason);
    }

    /// Whether an entity id is known (staged, merged or in the case).
    pub fn has_entity(&self, id: &EntityId) -> bool {
        self.entity(id).is_some()
    }

    /// The import as one edit (entities first, then what refers to them) and its summary.
    /// Merged records are folded into their entities here, each merge listed with its reason
    /// and what a split needs. The edit is checked against a copy of the case so a bad import
    /// never half-applies.
    pub fn finish(mut self) -> Result<(Edit, ImportSummary), ImportError> {
        // Fold merged records into their entities, grouped by entity, reason and name.
        let mut groups: Vec<AutoMerge> = Vec::new();
        let mut group_of: HashMap<(EntityId, String, String), usize> = HashMap::new();
        let mut merged_group: Vec<(EntityId, usize)> = Vec::with_capacity(self.merged.len());
        for m in std::mem::take(&mut self.merged) {
            let record = if m.source.is_empty() {
                format!("“{}”", m.entity.name)
            } else {
                format!("{} “{}”", m.source, m.entity.name)
            };
            let key = (m.into.clone(), m.reason.clone(), m.group.clone());
            let existed = self.case.entities.contains_key(&m.into);
            let into_origin = if existed {
                "already in the case".to_owned()
            } else {
                self.origin
                    .get(&m.into)
                    .filter(|s| !s.is_empty())
                    .map_or_else(
                        || "from this import".to_owned(),
                        |s| format!("{s} of this import"),
                    )
            };
            let Some(target) = self.entity_mut(&m.into) else {
                return Err(ImportError::Invalid(format!(
                    "{record} was resolved to {}, which is missing",
                    m.into
                )));
            };
            let added = merge_into(target, m.entity.clone());
            let into_name = target.name.clone();
            let gi = if let Some(&gi) = group_of.get(&key) {
                merge_into(&mut groups[gi].split.entity, m.entity);
                gi
            } else {
                group_of.insert(key, groups.len());
                groups.push(AutoMerge {
                    into: m.into.clone(),
                    into_name,
                    into_origin,
                    reason: m.reason,
                    records: Vec::new(),
                    split: Split {
                        entity: m.entity,
                        preferred_id: m.preferred_id,
                        ..Split::default()
                    },
                });
                groups.len() - 1
            };
            groups[gi].records.push(record);
            groups[gi].split.added.extend(added);
            merged_group.push((m.into, gi));
        }
        // Name the entities merged records stand for, remembering where, for splits.
        let mut references: Vec<BTreeMap<ItemRef, Vec<usize>>> =
            vec![BTreeMap::new(); groups.len()];
        for item in &mut self.items {
            let item_ref = item.item_ref();
            for (i, r) in entity_refs_mut(item).into_iter().enumerate() {
                if let Some(n) = Self::merged_index(r)
                    && let Some((into, gi)) = merged_group.get(n)
                {
                    *r = into.clone();
                    references[*gi].entry(item_ref.clone()).or_default().push(i);
                }
            }
        }
        for (g, refs) in groups.iter_mut().zip(references) {
            g.split.references = refs.into_iter().collect();
        }
        let mut summary = self.summary;
        summary.merges = groups;
        let mut edits = Vec::new();
        summary.entities_added = 0;
        summary.flags_added = 0;
        summary.identifiers_added = 0;
        for (id, e) in self.entities {
            if let Some(before) = self.case.entities.get(&id) {
                summary.flags_added += e.flags.len().saturating_sub(before.flags.len());
                summary.identifiers_added +=
                    e.identifiers.len().saturating_sub(before.identifiers.len());
                edits.push(Edit::Replace(Item::from(e)));
            } else {
                summary.entities_added += 1;
                summary.flags_added += e.flags.len();
                summary.identifiers_added += e.identifiers.len();
                edits.push(Edit::Insert(Item::from(e)));
            }
        }
        // Links, then shipments, then evidence (evidence may cite either).
        self.items.sort_by_key(|i| match i {
            Item::Link(_) => 0,
            Item::Shipment(_) => 1,
            _ => 2,
        });
        edits.extend(self.items.into_iter().map(Edit::Insert));
        // Every new entity gets a stored place in the same batch (one undo step), so nothing
        // imported moves when something else is moved later.
        let edit = crate::layout::picture::with_places_for_new_entities(
            self.case,
            Edit::Batch(edits),
            None,
        );
        let mut trial = self.case.clone();
        trial
            .apply(edit.clone())
            .map_err(|e| ImportError::Invalid(e.to_string()))?;
        Ok((edit, summary))
    }
}

/// The edit that splits an automatic merge of an import again, in the case as it is now:
/// the merged records become their own entity again (with what they brought), the entity
/// they were merged into loses what only they added, and the imported links, shipments and
/// evidence that named them name the new entity. One undo step. An error says why it cannot
/// be done (e.g. the entity was deleted since).
pub fn split_merge_edit(case: &Case, merge: &AutoMerge) -> Result<(Edit, EntityId), String> {
    let Some(current) = case.entities.get(&merge.into) else {
        return Err(format!(
            "“{}” is no longer in the case, so there is nothing to split",
            merge.into_name
        ));
    };
    let split = &merge.split;
    let preferred = &split.preferred_id;
    let id = if crate::model::is_valid_id(preferred) && case.id_in_use(preferred).is_none() {
        EntityId(preferred.clone())
    } else {
        EntityId(Case::fresh_id(EntityId::PREFIX, &split.entity.name, |id| {
            case.id_in_use(id).is_some()
        }))
    };
    let mut entity = split.entity.clone();
    entity.id = id.clone();
    let mut kept = current.clone();
    unfold(&mut kept, &split.added);
    let mut edits = vec![
        Edit::Insert(Item::from(entity)),
        Edit::Replace(Item::from(kept)),
    ];
    for (item_ref, positions) in &split.references {
        let Some(mut item) = case.item(item_ref) else {
            continue; // Deleted since: nothing names the records there any more.
        };
        let mut changed = false;
        for (i, r) in entity_refs_mut(&mut item).into_iter().enumerate() {
            if positions.contains(&i) && *r == merge.into {
                *r = id.clone();
                changed = true;
            }
        }
        if changed {
            edits.push(Edit::Replace(item));
        }
    }
    if let Some(p) = case.positions.get(&merge.into) {
        // Beside the entity it leaves, so it is not drawn on top of it.
        let mut p = *p;
        p.pinned = false;
        p.x += 60.0;
        p.y += 40.0;
        edits.push(Edit::SetPositions(vec![(id.clone(), Some(p))]));
    }
    let edit = Edit::Batch(edits);
    let mut trial = case.clone();
    trial
        .apply(edit.clone())
        .map_err(|e| format!("the split would not be valid: {e}"))?;
    Ok((edit, id))
}

/// Takes back from `target` what folding a record into it added, where it is still as added.
fn unfold(target: &mut Entity, added: &Contribution) {
    target.aliases.retain(|a| !added.aliases.contains(a));
    target
        .identifiers
        .retain(|i| !added.identifiers.contains(i));
    target.flags.retain(|f| !added.flags.contains(f));
    target.tags.retain(|t| !added.tags.contains(t));
    for (k, before, after) in added.attributes.iter().rev() {
        if target.attributes.get(k) == Some(after) {
            match before {
                Some(b) => target.attributes.insert(k.clone(), b.clone()),
                None => target.attributes.remove(k),
            };
        }
    }
    if added.country.is_some() && target.country == added.country {
        target.country = None;
    }
    if added.start.is_some() && target.start == added.start {
        target.start = None;
    }
    if added.end.is_some() && target.end == added.end {
        target.end = None;
    }
    if added.address.as_ref() == Some(&target.address) {
        target.address = PostalAddress::default();
    }
    if added.product.as_ref() == Some(&target.product) {
        target.product = ProductSpec::default();
    }
    if added.notes.as_ref() == Some(&target.notes) {
        target.notes.clear();
    }
}

/// Folds what `incoming` knows into `target`: other names become aliases; identifiers, flags,
/// tags and attributes are added when new; empty fields are filled. Returns what was added.
fn merge_into(target: &mut Entity, incoming: Entity) -> Contribution {
    let mut added = Contribution::default();
    let mut names: Vec<String> = std::iter::once(incoming.name)
        .chain(incoming.aliases)
        .collect();
    names.retain(|n| !n.trim().is_empty());
    for n in names {
        if n != target.name && !target.aliases.contains(&n) {
            target.aliases.push(n.clone());
            added.aliases.push(n);
        }
    }
    for i in incoming.identifiers {
        let same = |t: &Identifier| {
            t.scheme == i.scheme && normalise_identifier(&t.value) == normalise_identifier(&i.value)
        };
        if !target.identifiers.iter().any(same) {
            target.identifiers.push(i.clone());
            added.identifiers.push(i);
        }
    }
    for f in incoming.flags {
        if !target.flags.contains(&f) {
            target.flags.push(f.clone());
            added.flags.push(f);
        }
    }
    for t in incoming.tags {
        if !target.tags.contains(&t) {
            target.tags.push(t.clone());
            added.tags.push(t);
        }
    }
    // An attribute both give with different values keeps both ("ftm:id" = "a; b"), so no
    // record's value is lost.
    for (k, v) in incoming.attributes {
        let before = target.attributes.get(&k).cloned();
        let after = match &before {
            None => v,
            Some(b) if b == &v || b.split("; ").any(|part| part == v) => continue,
            Some(b) => format!("{b}; {v}"),
        };
        target.attributes.insert(k.clone(), after.clone());
        added.attributes.push((k, before, after));
    }
    if target.country.is_none() && incoming.country.is_some() {
        target.country.clone_from(&incoming.country);
        added.country = incoming.country;
    }
    if target.start.is_none() && incoming.start.is_some() {
        target.start.clone_from(&incoming.start);
        added.start = incoming.start;
    }
    if target.end.is_none() && incoming.end.is_some() {
        target.end.clone_from(&incoming.end);
        added.end = incoming.end;
    }
    if target.address.is_empty() && !incoming.address.is_empty() {
        target.address = incoming.address.clone();
        added.address = Some(incoming.address);
    }
    if target.product.is_empty() && !incoming.product.is_empty() {
        target.product = incoming.product.clone();
        added.product = Some(incoming.product);
    }
    if target.notes.is_empty() && !incoming.notes.is_empty() {
        target.notes.clone_from(&incoming.notes);
        added.notes = Some(incoming.notes);
    }
    added
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
    /// (my entity, their entity merged into it, why) for entities matched by identity.
    pub identity_merges: Vec<(EntityId, EntityId, String)>,
    /// (my entity, their entity kept apart, why it might be the same), for review.
    pub possible_matches: Vec<(EntityId, EntityId, String)>,
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
            .filter(|m| m.merge)
            .map(|m| (m.mine.clone(), m.theirs.clone(), m.reason.clone()))
            .collect(),
        possible_matches: plan
            .identity
            .iter()
            .filter(|m| !m.merge)
            .map(|m| (m.mine.clone(), m.theirs.clone(), m.reason.clone()))
            .collect(),
        conflicts: plan.conflicts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::model::ShipmentId;

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
