//! Offline name screening: entity names and aliases against screening lists imported from the
//! US Consolidated Screening List CSV, or any CSV with a name column and a `;`-separated alias
//! column (and optionally dates of birth, nationalities and identifiers). A small
//! demonstration list ships in `assets/screening/`.
//!
//! Names are normalised (see `names`: scripts, diacritics, German and Nordic spellings,
//! abbreviations, legal forms) and aligned word by word: the same word, then words joined on
//! one side ("Kin Ping" / "Kinping", "Myongc Hin" / "Myong Chin"), then similar words
//! (Jaro-Winkler ≥ 0.9, or one typo in six letters), then initials. Rare words weigh more than
//! common ones (inverse document frequency over the list; generic company words and very
//! common given and family names halved). The score blends a Dice overlap with the coverage
//! of the shorter name, which counts fully only when that name is rare enough. A date of
//! birth, a country or an identifier that the party and the entry share adds its rarity to
//! both sides; one that differs adds half of it unmatched. An inverted index with prefix
//! filtering and a trigram index over the vocabulary keep it far from all-pairs.

use super::names::{is_generic, jaro_winkler, name_keys};
use super::rules::{Finding, Severity, evidence_for_items};
use crate::model::parse::{self, DateOrder};
use crate::model::{
    Case, ClaimStatus, CountryCode, Entity, EntityId, EntityKind, Flag, FlagKind, ItemRef,
    PartialDate,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// The demonstration list shipped with Chokepoint (CSL columns).
pub const DEMO_LIST_CSV: &str = include_str!("../../assets/screening/demo_list.csv");

/// Default score from which a name counts as a hit.
pub const DEFAULT_THRESHOLD: f64 = 0.88;

/// Largest list file we read (the full CSL is a few tens of MB).
pub const MAX_LIST_BYTES: usize = 512 << 20;

/// Words match fuzzily from this Jaro-Winkler similarity of their keys.
const FUZZY_WORD: f64 = 0.9;

/// Most list names one word of a query brings in as candidates.
const MAX_CANDIDATES_PER_WORD: usize = 5_000;

/// Longest word (in letters) found by its one-typo neighbours in the deletion index; a query
/// word one letter longer still finds these by leaving a letter out.
const DELETION_MAX_LETTERS: usize = 8;

/// Most weight an initial ("J.") carries, against a rare word's 5 to 10.
const INITIAL_WEIGHT: f64 = 1.0;

/// Similarity of an initial and a word it begins.
const INITIAL_SIMILARITY: f64 = 0.8;

/// The heavier name's unmatched words count this share in the Dice overlap.
const LONGER_UNMATCHED: f64 = 0.5;

/// A full date of birth that agrees weighs this many times its rarity: a shared day of birth
/// says more than a shared word. A year counts as its rarity.
const BIRTH_DAY_FACTOR: f64 = 1.5;

/// A country weighs this share of a word as rare: nationalities are shared by many.
const COUNTRY_SHARE: f64 = 0.5;

/// An identifier that agrees weighs this many of the rarest word.
const IDENTIFIER_FACTOR: f64 = 2.0;

/// A fact that differs weighs this share of what it would add if it agreed, unmatched on
/// both sides of the Dice overlap: lists and records disagree on dates often enough (a year
/// of birth estimated, a day and month swapped; a fifth of the benchmark's true pairs) that a
/// difference lowers a match rather than ending it.
const CONTRADICTION_SHARE: f64 = 0.2;

/// One entry of a screening list.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ListEntry {
    /// `_id` or `entity_number` from the file, else the row number.
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// The list it comes from, e.g. "Entity List (EL) - Bureau of Industry and Security".
    pub source: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub entity_type: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub programs: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub addresses: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub remarks: String,
    /// Dates of birth as the list gives them (`1965`, `1960-06-29`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dates_of_birth: Vec<String>,
    /// Nationalities, citizenships or countries, as codes or names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// Identifiers (registration, passport, tax numbers), as the list writes them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<String>,
}

/// What a party's record says beside its name, to corroborate or contradict a name match:
/// dates of birth (people), countries, identifiers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartyFacts {
    pub births: Vec<PartialDate>,
    pub countries: Vec<CountryCode>,
    /// Identifier values, any scheme.
    pub identifiers: Vec<String>,
}

impl PartyFacts {
    /// The facts of an entity of the case: its date of birth (a person's `start`), its country
    /// and its identifiers.
    pub fn of_entity(e: &Entity) -> Self {
        Self {
            births: if e.kind == EntityKind::Person {
                e.start.iter().cloned().collect()
            } else {
                Vec::new()
            },
            countries: e.country.iter().cloned().collect(),
            identifiers: e.identifiers.iter().map(|i| i.value.clone()).collect(),
        }
    }
}

/// An entry's facts as indexed: parsed dates and countries, identifier values normalised.
#[derive(Clone, Debug, Default)]
struct EntryFacts {
    births: Vec<PartialDate>,
    countries: Vec<CountryCode>,
    identifiers: Vec<String>,
}

/// Letters and digits of an identifier, upper-cased: `HRB 12-345` and `hrb12345` are one.
/// Values of fewer than four characters identify nothing and are dropped.
fn identifier_key(value: &str) -> Option<String> {
    let key: String = value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (key.len() >= 4 && key.chars().any(|c| c.is_ascii_digit())).then_some(key)
}

/// Whether two dates can be the same day: same year, and month and day equal where both
/// give them.
fn dates_agree(a: &PartialDate, b: &PartialDate) -> bool {
    let part = |x: Option<u8>, y: Option<u8>| x.zip(y).is_none_or(|(x, y)| x == y);
    a.year == b.year && part(a.month, b.month) && part(a.day, b.day)
}

/// Why a list could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct ScreeningError {
    pub origin: String,
    pub message: String,
}

/// A name or alias of an entry, as indexed.
#[derive(Clone, Debug)]
struct IndexedName {
    entry: u32,
    text: String,
    /// Vocabulary ids of its words, in order, without repeats.
    tokens: Vec<u32>,
}

/// A screening list with its search index.
#[derive(Clone, Debug)]
pub struct ScreeningList {
    /// Shown beside hits: the file name, or "Demonstration list".
    pub label: String,
    pub entries: Vec<ListEntry>,
    names: Vec<IndexedName>,
    vocab: HashMap<String, u32>,
    keys: Vec<String>,
    weights: Vec<f64>,
    /// Token id → names containing it.
    postings: Vec<Vec<u32>>,
    /// Two adjacent words joined → names containing them.
    joined: HashMap<String, Vec<u32>>,
    /// Trigram → vocabulary tokens containing it (tokens of four or more characters).
    trigrams: HashMap<[char; 3], Vec<u32>>,
    /// Weight of a word the list does not contain.
    unknown_weight: f64,
    /// Each entry's dates of birth, countries and identifiers, parsed.
    facts: Vec<EntryFacts>,
    /// How many entries give each date of birth (year, month, day as given) and each year.
    births: HashMap<(i32, Option<u8>, Option<u8>), u32>,
    birth_years: HashMap<i32, u32>,
    /// How many entries give each country.
    countries: HashMap<CountryCode, u32>,
    /// A vocabulary word with one letter left out → the words (of four or more letters) it
    /// comes from: finds one typo in short words, which share too few trigrams.
    deletions: HashMap<String, Vec<u32>>,
}

/// A name in the case that matches a listed name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScreeningHit {
    pub entity: EntityId,
    /// The entity's name or alias that matched.
    pub entity_name: String,
    /// The listed name or alias it matched.
    pub matched_name: String,
    /// Index of the entry in `ScreeningList::entries`.
    #[serde(skip)]
    pub entry_index: usize,
    /// The listed entry (its primary name, id, source ...).
    pub entry: ListEntry,
    /// The list's label.
    pub list: String,
    /// 0 to 1.
    pub score: f64,
    /// What corroborated or contradicted the name: "date of birth 1965 agrees", ...
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl ScreeningHit {
    /// The stable finding key of this hit.
    pub fn finding_key(&self) -> String {
        format!(
            "screening-hit:entity={}:{}#{}",
            self.entity, self.entry.source, self.entry.id
        )
    }

    /// A `Listed` flag recording the hit, for the UI to offer.
    pub fn to_flag(&self) -> Flag {
        Flag {
            kind: FlagKind::Listed,
            detail: format!(
                "{}: {} (entry {}, name match {:.0}%)",
                self.entry.source,
                self.entry.name,
                self.entry.id,
                self.score * 100.0
            ),
            status: ClaimStatus::Alleged,
            ..Flag::default()
        }
    }
}

impl ScreeningList {
    /// Builds the index over `entries`.
    pub fn from_entries(label: &str, entries: Vec<ListEntry>) -> Self {
        let mut list = Self {
            label: label.to_owned(),
            entries,
            names: Vec::new(),
            vocab: HashMap::new(),
            keys: Vec::new(),
            weights: Vec::new(),
            postings: Vec::new(),
            joined: HashMap::new(),
            trigrams: HashMap::new(),
            unknown_weight: 1.0,
            facts: Vec::new(),
            births: HashMap::new(),
            birth_years: HashMap::new(),
            countries: HashMap::new(),
            deletions: HashMap::new(),
        };
        // Document frequency over entries, not names: an entry's aliases repeat its words,
        // which does not make them common.
        let mut df: Vec<usize> = Vec::new();
        let mut df_entry: Vec<u32> = Vec::new();
        for (e, entry) in list.entries.iter().enumerate() {
            for text in std::iter::once(&entry.name).chain(&entry.aliases) {
                let keys = name_keys(text);
                if keys.is_empty() {
                    continue;
                }
                let name_id = list.names.len() as u32;
                let mut tokens = Vec::with_capacity(keys.len());
                for k in &keys {
                    let id = if let Some(&id) = list.vocab.get(k) {
                        id
                    } else {
                        let id = list.keys.len() as u32;
                        list.vocab.insert(k.clone(), id);
                        list.keys.push(k.clone());
                        list.postings.push(Vec::new());
                        df.push(0);
                        df_entry.push(u32::MAX);
                        id
                    };
                    if !tokens.contains(&id) {
                        tokens.push(id);
                        if df_entry[id as usize] != e as u32 {
                            df_entry[id as usize] = e as u32;
                            df[id as usize] += 1;
                        }
                        list.postings[id as usize].push(name_id);
                    }
                }
                for w in keys.windows(2) {
                    list.joined
                        .entry(format!("{}{}", w[0], w[1]))
                        .or_default()
                        .push(name_id);
                }
                list.names.push(IndexedName {
                    entry: e as u32,
                    text: text.clone(),
                    tokens,
                });
            }
            let facts = EntryFacts::of(entry);
            for b in &facts.births {
                *list.births.entry((b.year, b.month, b.day)).or_default() += 1;
                *list.birth_years.entry(b.year).or_default() += 1;
            }
            for c in &facts.countries {
                *list.countries.entry(c.clone()).or_default() += 1;
            }
            list.facts.push(facts);
        }
        for v in list.joined.values_mut() {
            v.dedup();
        }
        let n = list.entries.len().max(1) as f64;
        list.weights = list
            .keys
            .iter()
            .zip(&df)
            .map(|(k, &d)| {
                let w = word_weight(k, (n / d.max(1) as f64).ln_1p());
                if is_initial(k) {
                    w.min(INITIAL_WEIGHT)
                } else {
                    w
                }
            })
            .collect();
        list.unknown_weight = n.ln_1p();
        for (id, key) in list.keys.iter().enumerate() {
            for g in trigrams(key) {
                list.trigrams.entry(g).or_default().push(id as u32);
            }
            for d in deletions(key, DELETION_MAX_LETTERS) {
                list.deletions.entry(d).or_default().push(id as u32);
            }
        }
        list
    }

    /// Number of names and aliases indexed.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    fn query(&self, text: &str, facts: &PartyFacts, cache: &mut WordCache) -> Query {
        let keys = name_keys(text);
        let mut words = Vec::with_capacity(keys.len());
        for k in &keys {
            let similar = cache
                .entry(k.clone())
                .or_insert_with(|| self.similar_words(k))
                .clone();
            let weight = match self.vocab.get(k) {
                Some(&id) => self.weights[id as usize],
                None => similar
                    .iter()
                    .map(|(id, _)| self.weights[*id as usize])
                    .fold(None, |m: Option<f64>, w| Some(m.map_or(w, |m| m.max(w))))
                    .unwrap_or_else(|| word_weight(k, self.unknown_weight)),
            };
            // An initial says little on its own.
            let weight = if is_initial(k) {
                weight.min(INITIAL_WEIGHT)
            } else {
                weight
            };
            words.push(QueryWord {
                key: k.clone(),
                weight,
                similar,
            });
        }
        let (weight, heaviest) = words.iter().fold((0.0, 0.0_f64), |(sum, max), w| {
            (sum + w.weight, max.max(w.weight))
        });
        let identifiers: Vec<String> = facts
            .identifiers
            .iter()
            .filter_map(|v| identifier_key(v))
            .collect();
        let facts = QueryFacts {
            births: facts.births.clone(),
            countries: facts.countries.clone(),
            identifiers,
        };
        // The most a match of dates, countries and identifiers can add: each is weighed as
        // the rarest of its kind could be.
        let most = self.unknown_weight;
        let corroboration = [
            !facts.births.is_empty(),
            !facts.countries.is_empty(),
            !facts.identifiers.is_empty(),
        ]
        .iter()
        .zip([
            most * BIRTH_DAY_FACTOR,
            most * COUNTRY_SHARE,
            most * IDENTIFIER_FACTOR,
        ])
        .filter(|(has, _)| **has)
        .map(|(_, w)| w)
        .sum();
        Query {
            words,
            weight,
            heaviest,
            facts,
            corroboration,
            rare: self.unknown_weight,
        }
    }

    /// Vocabulary words equal or similar to `key`, with their similarity: by Jaro-Winkler
    /// among words sharing trigrams, and by one typo among words sharing a deletion.
    fn similar_words(&self, key: &str) -> Vec<(u32, f64)> {
        let exact = self.vocab.get(key).copied();
        let mut out: Vec<(u32, f64)> = exact.map(|id| (id, 1.0)).into_iter().collect();
        let len = key.chars().count();
        let mut seen: HashSet<u32> = exact.into_iter().collect();
        let mut fuzzy: Vec<(u32, f64)> = Vec::new();
        let mut consider = |t: u32, fuzzy: &mut Vec<(u32, f64)>| {
            if seen.insert(t) {
                let other = &self.keys[t as usize];
                if other.chars().count().abs_diff(len) <= 2
                    && let Some(sim) = word_similarity(key, other)
                {
                    fuzzy.push((t, sim));
                }
            }
        };
        let grams = trigrams(key);
        if !grams.is_empty() {
            let mut shared: HashMap<u32, u32> = HashMap::new();
            for g in &grams {
                for &t in self.trigrams.get(g).into_iter().flatten() {
                    *shared.entry(t).or_default() += 1;
                }
            }
            let needed = (grams.len() as u32).div_ceil(3).max(1);
            let mut close: Vec<u32> = shared
                .into_iter()
                .filter(|&(_, n)| n >= needed)
                .map(|(t, _)| t)
                .collect();
            close.sort_unstable();
            for t in close {
                consider(t, &mut fuzzy);
            }
        }
        // One typo: the key is a word with a letter left out, a word is the key with one left
        // out, or both with one left out (a changed or swapped letter).
        let mut variants = deletions(key, DELETION_MAX_LETTERS + 1);
        variants.push(key.to_owned());
        for v in &variants {
            for &t in self.deletions.get(v).into_iter().flatten() {
                consider(t, &mut fuzzy);
            }
            if v != key
                && let Some(&t) = self.vocab.get(v)
            {
                consider(t, &mut fuzzy);
            }
        }
        fuzzy.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.extend(fuzzy);
        out
    }

    /// Weight of a date of birth that the query and entry share, by how few entries give it:
    /// a full date shared by one entry in thousands weighs like a rare word, a year shared by
    /// hundreds little.
    fn birth_weight(&self, date: &PartialDate) -> f64 {
        let n = self.facts.len().max(1) as f64;
        let count = if date.day.is_some() {
            self.births
                .get(&(date.year, date.month, date.day))
                .copied()
                .unwrap_or(0)
        } else {
            self.birth_years.get(&date.year).copied().unwrap_or(0)
        };
        (n / f64::from(count.max(1))).ln_1p()
    }

    /// What the query's facts say about entry `entry`: weight shared (agreeing facts), weight
    /// against (contradicting facts), whether an identifier matched, and notes for the user.
    fn corroborate(&self, q: &Query, entry: u32) -> Corroboration {
        let mut c = Corroboration::default();
        let facts = &self.facts[entry as usize];
        let n = self.facts.len().max(1) as f64;
        if let Some(id) = q
            .facts
            .identifiers
            .iter()
            .find(|id| facts.identifiers.contains(id))
        {
            c.agree += self.unknown_weight * IDENTIFIER_FACTOR;
            c.notes.push(format!("identifier {id} agrees"));
        }
        if !q.facts.births.is_empty() && !facts.births.is_empty() {
            let shared = q
                .facts
                .births
                .iter()
                .flat_map(|a| facts.births.iter().map(move |b| (a, b)))
                .filter(|(a, b)| dates_agree(a, b))
                // The more precise of the two dates says how rare the agreement is.
                .map(|(a, b)| {
                    let precise = if a.day.is_some() { a } else { b };
                    (self.birth_weight(precise), precise)
                })
                .max_by(|x, y| x.0.total_cmp(&y.0));
            if let Some((w, date)) = shared {
                c.agree += if date.day.is_some() {
                    w * BIRTH_DAY_FACTOR
                } else {
                    w
                };
                c.notes.push(format!("date of birth {date} agrees"));
            } else {
                let year = facts.births[0].year;
                let rarity =
                    (n / f64::from(self.birth_years.get(&year).copied().unwrap_or(0).max(1)))
                        .ln_1p();
                c.against += rarity * CONTRADICTION_SHARE;
                c.notes.push(format!(
                    "date of birth differs ({} here, {} listed)",
                    join_display(&q.facts.births),
                    join_display(&facts.births)
                ));
            }
        }
        if !q.facts.countries.is_empty() && !facts.countries.is_empty() {
            if let Some(country) = q
                .facts
                .countries
                .iter()
                .find(|c| facts.countries.contains(c))
            {
                let count = self.countries.get(country).copied().unwrap_or(0);
                c.agree += (n / f64::from(count.max(1))).ln_1p() * COUNTRY_SHARE;
                c.notes.push(format!("country {country} agrees"));
            } else {
                c.against += self.unknown_weight * COUNTRY_SHARE * CONTRADICTION_SHARE;
                c.notes.push(format!(
                    "country differs ({} here, {} listed)",
                    join_display(&q.facts.countries),
                    join_display(&facts.countries)
                ));
            }
        }
        c
    }

    /// Whether `n` could score `threshold` against `q` at all, from the weights alone: a
    /// query far heavier than the name (a name of one word repeated thousands of times) cannot
    /// reach it, and is not scored word by word. Exact: never false for a name that would
    /// pass. The score is at most (dice + 1) / 2; each of the name's words is matched at most
    /// once, with at most two of the query's words, so the query's matched weight is at most
    /// `2 · len · heaviest`; facts add at most `q.corroboration` to each side.
    fn could_reach(&self, q: &Query, n: &IndexedName, threshold: f64) -> bool {
        let (wq, v) = (q.weight, q.corroboration);
        let wc: f64 = n.tokens.iter().map(|&t| self.weights[t as usize]).sum();
        if wq + wc <= 0.0 {
            return true;
        }
        let mq = wq.min(2.0 * n.tokens.len() as f64 * q.heaviest);
        let dice = ((mq + wc + 2.0 * v) / (wq + wc + 2.0 * v)).min(1.0);
        f64::midpoint(dice, 1.0) >= threshold
    }

    /// Score of `query` against indexed name `n`, with what the facts said.
    fn score(&self, q: &Query, n: &IndexedName) -> (f64, Corroboration) {
        let cand: Vec<(&str, f64, u32)> = n
            .tokens
            .iter()
            .map(|&t| (self.keys[t as usize].as_str(), self.weights[t as usize], t))
            .collect();
        let c = self.corroborate(q, n.entry);
        (score_words(q, &cand, &c), c)
    }

    /// Entries whose names score at least `threshold` against `text`: (entry, matched name,
    /// score), best first.
    pub fn screen_name(&self, text: &str, threshold: f64) -> Vec<(usize, String, f64)> {
        self.screen_party(text, &PartyFacts::default(), threshold)
    }

    /// Like [`Self::screen_name`], with the party's dates of birth, countries and identifiers
    /// corroborating or contradicting the names.
    pub fn screen_party(
        &self,
        text: &str,
        facts: &PartyFacts,
        threshold: f64,
    ) -> Vec<(usize, String, f64)> {
        let mut cache = WordCache::new();
        let q = self.query(text, facts, &mut cache);
        let mut best: BTreeMap<u32, (f64, &str)> = BTreeMap::new();
        for n in self.candidates(&q, threshold) {
            let name = &self.names[n as usize];
            if !self.could_reach(&q, name, threshold) {
                continue;
            }
            let (s, _) = self.score(&q, name);
            if s >= threshold {
                let slot = best.entry(name.entry).or_insert((s, &name.text));
                if s > slot.0 {
                    *slot = (s, &name.text);
                }
            }
        }
        let mut out: Vec<(usize, String, f64)> = best
            .into_iter()
            .map(|(e, (s, t))| (e as usize, t.to_owned(), s))
            .collect();
        out.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        out
    }

    /// Best score of `text` against any name of entry `entry`, with that name.
    pub fn score_against(&self, text: &str, entry: usize) -> (f64, String) {
        self.score_party_against(text, &PartyFacts::default(), entry)
    }

    /// Like [`Self::score_against`], with the party's facts.
    pub fn score_party_against(
        &self,
        text: &str,
        facts: &PartyFacts,
        entry: usize,
    ) -> (f64, String) {
        let mut cache = WordCache::new();
        let q = self.query(text, facts, &mut cache);
        self.names
            .iter()
            .filter(|n| n.entry as usize == entry)
            .map(|n| (self.score(&q, n).0, n.text.clone()))
            .fold((0.0, String::new()), |a, b| if b.0 > a.0 { b } else { a })
    }

    /// Indexed names that could score `threshold` or more: those sharing (exactly or fuzzily)
    /// one of the query's heaviest words, enough of them that a name matching none cannot
    /// reach the threshold, or sharing a pair of words joined.
    fn candidates(&self, q: &Query, threshold: f64) -> Vec<u32> {
        let total = q.weight;
        if total <= 0.0 {
            return Vec::new();
        }
        // score ≤ (dice + 1) / 2, so a hit needs dice ≥ d = 2t − 1. With the query's matched
        // weight m, about as much matched on the name's side and facts adding at most v to
        // each, dice ≤ 2(m + v) / (W + m + 2v), hence m ≥ (dW − 2v(1 − d)) / (2 − d): any set
        // of the query's words heavier than W − m must meet a match. (0.9: fuzzy matches weigh
        // the two sides a little differently.)
        let d = (2.0 * threshold - 1.0).clamp(0.0, 1.0);
        let v = q.corroboration;
        let needed_share =
            (0.9 * (d * total - 2.0 * v * (1.0 - d)) / (2.0 - d) / total).clamp(0.0, 1.0);
        let mut order: Vec<usize> = (0..q.words.len()).collect();
        order.sort_by(|&a, &b| {
            q.words[b]
                .weight
                .total_cmp(&q.words[a].weight)
                .then(a.cmp(&b))
        });
        let mut prefix = Vec::new();
        let mut mass = 0.0;
        for i in order {
            prefix.push(i);
            mass += q.words[i].weight;
            if mass > (1.0 - needed_share) * total {
                break;
            }
        }
        // Each vocabulary word brings its names once, however often the query repeats it (a
        // name of one word repeated 100 000 times took 72 s and 3.5 GB), and at most
        // MAX_CANDIDATES_PER_WORD of them.
        let mut out: Vec<u32> = Vec::new();
        let mut used: HashSet<u32> = HashSet::new();
        let mut add = |out: &mut Vec<u32>, t: u32| {
            if used.insert(t) {
                let names = &self.postings[t as usize];
                out.extend_from_slice(&names[..names.len().min(MAX_CANDIDATES_PER_WORD)]);
            }
        };
        // A word the list holds brings the names of its near spellings (Jaro-Winkler ≥ 0.9); a
        // word it does not hold, likely a typo, also those one typo away. (One typo away from
        // a listed word is most often another listed name: Omar, Amar; they still count when a
        // candidate is scored, but would bring thousands of candidates.)
        for &i in &prefix {
            let w = &q.words[i];
            let known = w.similar.first().is_some_and(|(_, sim)| *sim >= 1.0);
            for (t, sim) in &w.similar {
                if !known || *sim >= FUZZY_WORD {
                    add(&mut out, *t);
                }
            }
        }
        // Two of the query's words joined: one word of a name ("Kin Ping" / "Kinping").
        for w in q.words.windows(2) {
            if let Some(&t) = self.vocab.get(&format!("{}{}", w[0].key, w[1].key)) {
                add(&mut out, t);
            }
        }
        // One word of the query, or two joined, that are two words of a name joined
        // ("Kinping" / "Kin Ping", "Myongc Hin" / "Myong Chin").
        let mut joined_seen: HashSet<String> = HashSet::new();
        let joins = q.words.iter().map(|w| w.key.clone()).chain(
            q.words
                .windows(2)
                .map(|w| format!("{}{}", w[0].key, w[1].key)),
        );
        for key in joins {
            if let Some(list) = self.joined.get(&key)
                && joined_seen.insert(key)
            {
                out.extend_from_slice(&list[..list.len().min(MAX_CANDIDATES_PER_WORD)]);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The dates or countries of a side, for notes: "1965, 1966".
fn join_display<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl EntryFacts {
    fn of(entry: &ListEntry) -> Self {
        let births = entry
            .dates_of_birth
            .iter()
            .filter_map(|d| parse::date(d, DateOrder::Unknown).ok())
            .collect();
        let countries = entry
            .countries
            .iter()
            .filter_map(|c| parse::country(c).ok())
            .collect();
        // The CSL writes each identifier as "type, number, country": keep the parts that
        // hold a number.
        let identifiers = entry
            .identifiers
            .iter()
            .flat_map(|i| i.split(','))
            .filter_map(identifier_key)
            .collect();
        Self {
            births,
            countries,
            identifiers,
        }
    }
}

/// Generic company words count half.
fn word_weight(key: &str, idf: f64) -> f64 {
    if is_generic(key) { idf * 0.5 } else { idf }
}

/// Similarity of two different word keys, when they are alike enough to match: Jaro-Winkler
/// from 0.9, or one typo (a changed, added or dropped letter in words of five or more letters,
/// two letters swapped in words of four or more), or two typos in words of twelve or more.
/// Jaro-Winkler alone scores a typo low when it falls early in a word ("Umdacumura" /
/// "Mudacumura", "Slaim" / "Salim"); edits alone would take "Min" for "Ming".
fn word_similarity(a: &str, b: &str) -> Option<f64> {
    if a.chars().any(is_han_char) || b.chars().any(is_han_char) {
        return None;
    }
    if gendered_forms(a, b) || gendered_forms(b, a) {
        return None;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    let (short, long) = (la.min(lb), la.max(lb));
    if short < 4 {
        return None;
    }
    let jw = jaro_winkler(a, b);
    if jw >= FUZZY_WORD {
        return Some(jw);
    }
    // Edits are counted only where they can be few: within one letter of length (two for
    // words of twelve or more), and the count stops as soon as it is exceeded.
    let most = if long >= 12 { 2 } else { 1 };
    if long - short > most {
        return None;
    }
    match edits_at_most(a, b, most) {
        Some(1) if long >= 5 || is_transposition(a, b) => Some((1.0 - 1.0 / long as f64).max(jw)),
        Some(2) => Some((1.0 - 2.0 / long as f64).max(jw)),
        _ => None,
    }
}

/// The optimal string alignment distance (insertions, deletions, substitutions and swaps of two
/// adjacent letters) when it is at most `most`, else `None`; gives up on the first row
/// of the table whose every cell is already over `most`.
fn edits_at_most(a: &str, b: &str, most: usize) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut rows = vec![0usize; 3 * width];
    // rows[0..w] = row i-2, rows[w..2w] = row i-1, rows[2w..3w] = row i.
    for (j, cell) in rows[width..2 * width].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (before, rest) = rows.split_at_mut(2 * width);
        let (two_up, one_up) = before.split_at(width);
        let row = &mut rest[..width];
        row[0] = i;
        let mut row_min = row[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (one_up[j] + 1)
                .min(row[j - 1] + 1)
                .min(one_up[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(two_up[j - 2] + 1);
            }
            row[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > most {
            return None;
        }
        rows.copy_within(width..3 * width, 0);
    }
    let d = rows[2 * width - 1];
    (d <= most).then_some(d)
}

fn is_han_char(c: char) -> bool {
    ('\u{2E80}'..='\u{9FFF}').contains(&c) || ('\u{AC00}'..='\u{D7AF}').contains(&c)
}

/// Whether `feminine` is the feminine form of the Slavic family name `masculine` (Petrova /
/// Petrov, Ivanova / Ivanov, Lukina / Lukin): two people, not one spelt two ways.
fn gendered_forms(feminine: &str, masculine: &str) -> bool {
    feminine.strip_suffix('a') == Some(masculine)
        && ["ov", "ev", "in", "yn"]
            .iter()
            .any(|e| masculine.ends_with(e))
}

/// Whether `b` is `a` with two adjacent letters swapped.
fn is_transposition(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    diff.len() == 2
        && diff[1] == diff[0] + 1
        && a[diff[0]] == b[diff[1]]
        && a[diff[1]] == b[diff[0]]
}

/// The key with each one letter left out, for words of four to `longest` letters: longer
/// words share enough trigrams for the trigram index to find their typos.
fn deletions(key: &str, longest: usize) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    if !(4..=longest).contains(&chars.len()) || chars.iter().any(|&c| is_han_char(c)) {
        return Vec::new();
    }
    let mut out: Vec<String> = (0..chars.len())
        .map(|i| {
            chars
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, c)| c)
                .collect()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// adjacent letters (the reference [`edits_at_most`] is tested against).
#[cfg(test)]
fn damerau_levenshtein(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
        }
    }
    d[a.len() * width + b.len()]
}

fn trigrams(key: &str) -> Vec<[char; 3]> {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() < 4 {
        return Vec::new();
    }
    let padded: Vec<char> = std::iter::once('^')
        .chain(chars)
        .chain(std::iter::once('$'))
        .collect();
    let mut out: Vec<[char; 3]> = padded.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    out.sort_unstable();
    out.dedup();
    out
}

type WordCache = HashMap<String, Vec<(u32, f64)>>;

#[derive(Clone, Debug)]
struct QueryWord {
    key: String,
    weight: f64,
    /// Vocabulary words it matches, with similarity (1.0 for the same word).
    similar: Vec<(u32, f64)>,
}

/// A query's facts, normalised like the list's.
#[derive(Clone, Debug, Default)]
struct QueryFacts {
    births: Vec<PartialDate>,
    countries: Vec<CountryCode>,
    identifiers: Vec<String>,
}

#[derive(Clone, Debug)]
struct Query {
    words: Vec<QueryWord>,
    /// Sum of the words' weights.
    weight: f64,
    /// The heaviest word's weight.
    heaviest: f64,
    facts: QueryFacts,
    /// The most the facts can add to each side.
    corroboration: f64,
    /// Weight of a word the list does not contain: the rarest a word can be.
    rare: f64,
}

/// What a party's facts said about an entry.
#[derive(Clone, Debug, Default)]
struct Corroboration {
    /// Weight of agreeing facts, added to both sides as a shared word.
    agree: f64,
    /// Weight of contradicting facts, added to both sides unmatched.
    against: f64,
    notes: Vec<String>,
}

/// Weighted similarity of a query and a candidate name's words `(key, weight, vocabulary id)`,
/// with the facts' corroboration.
///
/// Words are aligned one to one: the same word first, then two words joined on one side
/// against one or two on the other ("Kin Ping" / "Kinping", "Myongc Hin" / "Myong Chin"),
/// then similar words (typos, transliterations), then initials ("J." / "John"). Each side's
/// matched weight counts its own words' weights times the similarity. The score blends a
/// Dice overlap of both sides with the coverage of the shorter name; the shorter name's
/// coverage counts fully only when its words are rare enough (a date of birth or identifier
/// that agrees adds its weight), so a name of two common words that is part of a longer
/// listed one is not a hit by its name alone.
fn score_words(q: &Query, cand: &[(&str, f64, u32)], facts: &Corroboration) -> f64 {
    let wq = q.weight;
    let wc: f64 = cand.iter().map(|c| c.1).sum();
    if wq <= 0.0 || wc <= 0.0 {
        return 0.0;
    }
    let mut a = Alignment {
        q_used: vec![false; q.words.len()],
        c_used: vec![false; cand.len()],
        mq: 0.0,
        mc: 0.0,
    };
    // The same word (the list's own word: compared by its vocabulary id).
    for (i, w) in q.words.iter().enumerate() {
        let Some(&(id, sim)) = w.similar.first() else {
            continue;
        };
        if sim < 1.0 {
            continue;
        }
        if let Some(j) = (0..cand.len()).find(|&j| !a.c_used[j] && cand[j].2 == id) {
            a.take(&[i], &[j], 1.0, q, cand);
        }
    }
    // Joined words: two against one, one against two, two against two.
    for i in 0..q.words.len() {
        for j in 0..cand.len() {
            if let Some((nq, nc, s)) = join_at(&a, q, cand, i, j) {
                let (qi, cj): (Vec<usize>, Vec<usize>) =
                    ((i..i + nq).collect(), (j..j + nc).collect());
                a.take(&qi, &cj, s, q, cand);
            }
        }
    }
    // Similar words, most similar pairs first.
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, w) in q.words.iter().enumerate() {
        if a.q_used[i] {
            continue;
        }
        for (j, c) in cand.iter().enumerate() {
            if a.c_used[j] {
                continue;
            }
            if let Some((_, sim)) = w.similar.iter().find(|(t, _)| *t == c.2) {
                pairs.push((*sim, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (sim, i, j) in pairs {
        if !a.q_used[i] && !a.c_used[j] {
            a.take(&[i], &[j], sim, q, cand);
        }
    }
    // Initials: "J." for "John", either way round. The full word counts only as much as the
    // initial, so an initial and a surname are not the whole name.
    for (i, w) in q.words.iter().enumerate() {
        for (j, c) in cand.iter().enumerate() {
            if a.q_used[i] || a.c_used[j] {
                continue;
            }
            let (key, other) = (w.key.as_str(), c.0);
            if is_initial_of(key, other) || is_initial_of(other, key) {
                let weight = w.weight.min(c.1).min(INITIAL_WEIGHT);
                a.q_used[i] = true;
                a.c_used[j] = true;
                a.mq += INITIAL_SIMILARITY * weight;
                a.mc += INITIAL_SIMILARITY * weight;
            }
        }
    }
    let (v, x) = (facts.agree, facts.against);
    // The heavier name's unmatched words count half: listed names carry patronymics, tribal
    // and clan names and second family names that a record leaves out.
    let (uq, uc) = (wq - a.mq, wc - a.mc);
    let (uq, uc) = if wq >= wc {
        (uq * LONGER_UNMATCHED, uc)
    } else {
        (uq, uc * LONGER_UNMATCHED)
    };
    let dice = (a.mq + a.mc + 2.0 * v) / (a.mq + a.mc + uq + uc + 2.0 * v + 2.0 * x);
    let shorter = wq.min(wc);
    let matched = f64::midpoint(a.mq, a.mc);
    let coverage = ((matched + v) / (shorter + v)).min(1.0);
    // The shorter name's coverage counts fully when it weighs as much as two of the rarest
    // words; a name of common words ("Ali Hassan") leans on the Dice overlap instead.
    let gamma = 0.5 * ((shorter + v) / (2.0 * q.rare)).min(1.0);
    ((1.0 - gamma) * dice + gamma * coverage).min(1.0)
}

/// Similarity of two joined spellings: equal, or one typo in every eight letters.
fn joined_similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let len = a.chars().count().max(b.chars().count());
    if len < 8 || a.chars().count().abs_diff(b.chars().count()) > 1 {
        return 0.0;
    }
    edits_at_most(a, b, len / 8).map_or(0.0, |edits| 1.0 - edits as f64 / len as f64)
}

/// Whether `key` is an initial: one Latin letter.
fn is_initial(key: &str) -> bool {
    let mut c = key.chars();
    matches!((c.next(), c.next()), (Some(c), None) if c.is_ascii_alphabetic())
}

/// Whether `initial` is one letter that begins `word` (a longer word).
fn is_initial_of(initial: &str, word: &str) -> bool {
    is_initial(initial)
        && word.len() > 1
        && initial.chars().next().is_some_and(|c| word.starts_with(c))
}

/// Two words joined on one side against one or two on the other, at words `i` of the query
/// and `j` of the name, all not yet matched: (query words, name words, similarity).
fn join_at(
    a: &Alignment,
    q: &Query,
    cand: &[(&str, f64, u32)],
    i: usize,
    j: usize,
) -> Option<(usize, usize, f64)> {
    let q_free = |k: usize| k < q.words.len() && !a.q_used[k];
    let c_free = |k: usize| k < cand.len() && !a.c_used[k];
    if !q_free(i) || !c_free(j) {
        return None;
    }
    // Byte lengths first: joined spellings can only match within one letter of each other
    // (a letter is at most four bytes), so most pairs are ruled out without building a string.
    let q1 = q.words[i].key.as_str();
    let c1 = cand[j].0;
    let q2 = q_free(i + 1).then(|| q.words[i + 1].key.as_str());
    let c2 = c_free(j + 1).then(|| cand[j + 1].0);

    let options: [(&[&str], &[&str], usize, usize); 3] = [
        (&[q1, q2.unwrap_or_default()], &[c1], 2, 1),
        (&[q1], &[c1, c2.unwrap_or_default()], 1, 2),
        (
            &[q1, q2.unwrap_or_default()],
            &[c1, c2.unwrap_or_default()],
            2,
            2,
        ),
    ];
    options.into_iter().find_map(|(x, y, nq, nc)| {
        if (nq == 2 && q2.is_none()) || (nc == 2 && c2.is_none()) {
            return None;
        }
        let (lx, ly) = (
            x.iter().map(|w| w.len()).sum::<usize>(),
            y.iter().map(|w| w.len()).sum::<usize>(),
        );
        let ascii = x.iter().chain(y).all(|w| w.is_ascii());
        if lx.abs_diff(ly) > if ascii { 1 } else { 4 } {
            return None;
        }
        if lx == ly
            && x.iter()
                .flat_map(|w| w.bytes())
                .eq(y.iter().flat_map(|w| w.bytes()))
        {
            return Some((nq, nc, 1.0));
        }
        // One typo in eight letters leaves the first or the last letter as it was.
        let first = |ws: &[&str]| ws.iter().flat_map(|w| w.bytes()).next();
        let last = |ws: &[&str]| ws.iter().rev().flat_map(|w| w.bytes().rev()).next();
        if lx.max(ly) < 8 || (first(x) != first(y) && last(x) != last(y)) {
            return None;
        }
        let s = joined_similarity(&x.concat(), &y.concat());
        (s > 0.0).then_some((nq, nc, s))
    })
}

/// Words matched so far, and each side's matched weight.
struct Alignment {
    q_used: Vec<bool>,
    c_used: Vec<bool>,
    mq: f64,
    mc: f64,
}

impl Alignment {
    fn take(&mut self, qi: &[usize], cj: &[usize], sim: f64, q: &Query, cand: &[(&str, f64, u32)]) {
        for &i in qi {
            self.q_used[i] = true;
            self.mq += sim * q.words[i].weight;
        }
        for &j in cj {
            self.c_used[j] = true;
            self.mc += sim * cand[j].1;
        }
    }
}

/// Kinds of entity that are screened: parties, not places, products or events.
pub fn is_screened_kind(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Person
            | EntityKind::Company
            | EntityKind::Organization
            | EntityKind::Facility
            | EntityKind::Vessel
            | EntityKind::Aircraft
    )
}

/// A name of the case that scored a listed name, before the best per entry is kept.
struct RawHit {
    entity: EntityId,
    text: String,
    entry: u32,
    listed: String,
    score: f64,
    notes: Vec<String>,
}

/// Screens every party's name and aliases against `list`. One hit per entity and listed
/// entry (its best-matching pair of names), best score first, then entity id, then entry.
/// Large cases are split over the available cores.
pub fn screen(case: &Case, list: &ScreeningList, threshold: f64) -> Vec<ScreeningHit> {
    let facts: HashMap<&EntityId, PartyFacts> = case
        .entities
        .values()
        .filter(|e| is_screened_kind(e.kind))
        .map(|e| (&e.id, PartyFacts::of_entity(e)))
        .collect();
    let queries: Vec<(&EntityId, &str)> = case
        .entities
        .values()
        .filter(|e| is_screened_kind(e.kind))
        .flat_map(|e| {
            std::iter::once(e.name.as_str())
                .chain(e.aliases.iter().map(String::as_str))
                .map(move |n| (&e.id, n))
        })
        .collect();
    let threads = if queries.len() >= 2_000 {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    } else {
        1
    };
    let no_facts = PartyFacts::default();
    let run = |chunk: &[(&EntityId, &str)]| {
        let mut cache = WordCache::new();
        let mut out: Vec<RawHit> = Vec::new();
        for (id, text) in chunk {
            let q = list.query(text, facts.get(id).unwrap_or(&no_facts), &mut cache);
            for n in list.candidates(&q, threshold) {
                let name = &list.names[n as usize];
                if !list.could_reach(&q, name, threshold) {
                    continue;
                }
                let (score, c) = list.score(&q, name);
                if score >= threshold {
                    out.push(RawHit {
                        entity: (*id).clone(),
                        text: (*text).to_owned(),
                        entry: name.entry,
                        listed: name.text.clone(),
                        score,
                        notes: c.notes,
                    });
                }
            }
        }
        out
    };
    let raw: Vec<RawHit> = if threads <= 1 {
        run(&queries)
    } else {
        let size = queries.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = queries
                .chunks(size)
                .map(|chunk| scope.spawn(move || run(chunk)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    let mut best: BTreeMap<(EntityId, u32), RawHit> = BTreeMap::new();
    for hit in raw {
        match best.entry((hit.entity.clone(), hit.entry)) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(hit);
            }
            std::collections::btree_map::Entry::Occupied(mut o) => {
                if hit.score > o.get().score {
                    o.insert(hit);
                }
            }
        }
    }
    let mut hits: Vec<ScreeningHit> = best
        .into_values()
        .map(|h| ScreeningHit {
            entity: h.entity,
            entity_name: h.text,
            matched_name: h.listed,
            entry_index: h.entry as usize,
            entry: list.entries[h.entry as usize].clone(),
            list: list.label.clone(),
            score: h.score,
            notes: h.notes,
        })
        .collect();
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.entity.cmp(&b.entity))
            .then(a.entry_index.cmp(&b.entry_index))
    });
    hits
}

/// Screening hits as findings (rule id `screening-hit`): high severity from a score of 0.95,
/// medium below; dismissals in the case apply.
pub fn screening_findings(case: &Case, hits: &[ScreeningHit]) -> Vec<Finding> {
    hits.iter()
        .map(|h| {
            let key = h.finding_key();
            let subject = ItemRef::Entity(h.entity.clone());
            let items = vec![subject.clone()];
            let entity = case.entity_name(&h.entity);
            let alias = if h.entity_name == entity {
                String::new()
            } else {
                format!(" (as “{}”)", h.entity_name)
            };
            let listed = if h.matched_name == h.entry.name {
                format!("“{}”", h.entry.name)
            } else {
                format!("“{}”, listed as “{}”", h.matched_name, h.entry.name)
            };
            let mut explanation = format!(
                "{entity}{alias} matches {listed} on {} (entry {}), with a name score of {:.0}%.",
                h.entry.source,
                h.entry.id,
                h.score * 100.0
            );
            if !h.notes.is_empty() {
                let _ = write!(explanation, " Beside the name: {}.", h.notes.join("; "));
            }
            if !h.entry.programs.is_empty() {
                let _ = write!(explanation, " Programs: {}.", h.entry.programs);
            }
            explanation.push_str(
                " Confirm with dates of birth, addresses or identifiers before relying on it.",
            );
            Finding {
                dismissed: case.dismissal(&key).map(|d| d.reason.clone()),
                key,
                rule_id: "screening-hit".to_owned(),
                severity: if h.score >= 0.95 {
                    Severity::High
                } else {
                    Severity::Medium
                },
                title: format!("Possible match on {}", h.list),
                explanation,
                evidence: evidence_for_items(case, &items),
                subject,
                items,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_csv_with_name_and_aliases_loads() {
        let list = ScreeningList::from_csv(
            "Name,Aliases\nAcme Widgets Ltd,Acme;ACME Widget Co\n,skipped\n",
            "my list",
        )
        .expect("loads");
        assert_eq!(list.entries.len(), 1);
        assert_eq!(list.entries[0].aliases, ["Acme", "ACME Widget Co"]);
        assert_eq!(list.entries[0].source, "my list");
        assert_eq!(list.entries[0].id, "row-2");
        assert!(ScreeningList::from_csv("id,country\n1,CN\n", "x").is_err());
        assert!(ScreeningList::from_csv("", "x").is_err());
    }

    /// A name repeating one word grew screening time with the square of the repeats (a
    /// 600 KB name against a 20 000-entry list: 72 s and 3.5 GB): every repeat brought the
    /// word's whole posting list again. Each word now brings its names once, at most
    /// `MAX_CANDIDATES_PER_WORD` of them; a candidate that cannot reach the threshold by its
    /// weights is not scored (85 s for this 30 000-word name, then 0.4 s in a debug build);
    /// the real name is still found.
    #[test]
    fn a_name_of_repeated_words_is_screened_in_bounded_work() {
        let mut csv = String::from("name\n");
        for i in 0..20_000 {
            let _ = writeln!(csv, "Acme Trading {i}");
        }
        csv.push_str("Cobalt Acme Holdings\n");
        let list = ScreeningList::from_csv(&csv, "big").expect("loads");
        let name = "acme ".repeat(30_000);
        let q = list.query(&name, &PartyFacts::default(), &mut WordCache::new());
        let candidates = list.candidates(&q, DEFAULT_THRESHOLD);
        assert!(
            candidates.len() <= 2 * MAX_CANDIDATES_PER_WORD,
            "{} candidates",
            candidates.len()
        );
        // Scored end to end: no candidate is scored word by word against 30 000 words.
        assert!(list.screen_name(&name, DEFAULT_THRESHOLD).is_empty());
        let hits = list.screen_name("Cobalt Acme Holdings", DEFAULT_THRESHOLD);
        assert_eq!(
            hits.first().map(|h| h.1.as_str()),
            Some("Cobalt Acme Holdings")
        );
    }

    /// The bounded edit count agrees with the full one wherever the full one is within the
    /// bound, and says `None` elsewhere.
    #[test]
    fn bounded_edits_agree_with_the_full_count() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "salim",
            "slaim",
            "lakhal",
            "lakahl",
            "mudacumura",
            "umdacumura",
            "abdelfattahremadna",
            "abdelfattahrmadna",
            "kestrel",
            "kestral",
            "tanjung",
            "tanjong",
            "xyz",
            "zyx",
        ];
        for a in words {
            for b in words {
                let full = damerau_levenshtein(a, b);
                for most in 0..4 {
                    let bounded = edits_at_most(a, b, most);
                    assert_eq!(
                        bounded,
                        (full <= most).then_some(full),
                        "{a} / {b} within {most}"
                    );
                }
            }
        }
    }

    #[test]
    fn demo_list_loads() {
        let list = ScreeningList::demo().expect("demo list");
        assert!(list.entries.len() >= 10);
        assert!(
            list.entries
                .iter()
                .all(|e| e.remarks.contains("DEMONSTRATION"))
        );
    }
}
