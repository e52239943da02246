//! Offline name screening: entity names and aliases against screening lists imported from the
//! US Consolidated Screening List CSV, or any CSV with a name column and a `;`-separated alias
//! column. A small demonstration list ships in `assets/screening/`.
//!
//! Names are normalised (see `names`) and compared as weighted token sets: rare words weigh
//! more than common ones (inverse document frequency over the list, generic company words
//! halved), words match exactly by canonical key or by Jaro-Winkler ≥ 0.9, and two adjacent
//! words may match one joined word ("Kin Ping" / "Kinping"). The score averages a Dice
//! overlap with the coverage of the shorter name, so word order and a missing middle name do
//! not hurt. An inverted index with prefix filtering and a trigram index over the vocabulary
//! keep it far from all-pairs.

use super::names::{is_generic, jaro_winkler, name_keys};
use super::rules::{Finding, Severity, evidence_for_items};
use crate::model::{Case, ClaimStatus, EntityId, EntityKind, Flag, FlagKind, ItemRef};
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

fn find_column(header: &[String], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| header.iter().position(|h| h == n))
}

impl ScreeningList {
    /// The demonstration list shipped in `assets/screening/`.
    pub fn demo() -> Result<Self, ScreeningError> {
        Self::from_csv(DEMO_LIST_CSV, "Demonstration list")
    }

    /// Reads a list file (see `from_csv`).
    pub fn from_file(path: &std::path::Path) -> Result<Self, ScreeningError> {
        let origin = path.display().to_string();
        let err = |message: String| ScreeningError {
            origin: origin.clone(),
            message,
        };
        let bytes = crate::io::input::read_bounded(path, MAX_LIST_BYTES as u64, "screening lists")
            .map_err(|e| err(e.reason()))?;
        let (text, _) = crate::io::tabular::decode(&bytes);
        let label = path
            .file_name()
            .map_or_else(|| origin.clone(), |n| n.to_string_lossy().into_owned());
        Self::from_csv(&text, &label).map_err(|e| err(e.message))
    }

    /// Reads a CSV with a header row: the Consolidated Screening List's columns (`name`,
    /// `alt_names`, `source`, `_id`, `entity_number`, `type`, `programs`, `addresses`,
    /// `remarks`), or any file with a `name` column and optionally an alias column (`alt_names`,
    /// `aliases` or `alias`, `;`-separated) and a `source` or `list` column. Rows without a name
    /// are skipped; the source defaults to `label`.
    pub fn from_csv(text: &str, label: &str) -> Result<Self, ScreeningError> {
        let err = |message: String| ScreeningError {
            origin: label.to_owned(),
            message,
        };
        if text.len() > MAX_LIST_BYTES {
            return Err(err(format!(
                "the list is larger than {MAX_LIST_BYTES} bytes"
            )));
        }
        let mut rows = crate::io::tabular::Records::new(text, ',');
        let header: Vec<String> = rows
            .next()
            .ok_or_else(|| err("the file is empty".to_owned()))?
            .map_err(|e| err(e.to_string()))?
            .fields
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let name_col = find_column(&header, &["name", "full_name", "entity_name", "names"])
            .or_else(|| {
                header
                    .iter()
                    .position(|h| h.contains("name") && !h.contains("alt") && !h.contains("alias"))
            })
            .ok_or_else(|| {
                err(format!(
                    "no name column (expected a column called \"name\"; found {})",
                    header.join(", ")
                ))
            })?;
        let alias_col = find_column(
            &header,
            &[
                "alt_names",
                "aliases",
                "alias",
                "alt_name",
                "alternate_names",
                "aka",
            ],
        );
        let source_col = find_column(&header, &["source", "list", "source_list"]);
        let id_col = find_column(&header, &["_id", "id", "entity_number", "uid"]);
        let number_col = find_column(&header, &["entity_number"]);
        let type_col = find_column(&header, &["type", "entity_type"]);
        let programs_col = find_column(&header, &["programs", "program"]);
        let addresses_col = find_column(&header, &["addresses", "address"]);
        let remarks_col = find_column(&header, &["remarks", "notes"]);

        let mut entries = Vec::new();
        for (i, row) in rows.enumerate() {
            let row = row.map_err(|e| err(e.to_string()))?.fields;
            let cell = |col: Option<usize>| {
                col.and_then(|c| row.get(c))
                    .map_or_else(String::new, |s| s.trim().to_owned())
            };
            let name = cell(Some(name_col));
            if name.is_empty() {
                continue;
            }
            let mut aliases: Vec<String> = cell(alias_col)
                .split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty() && *a != name)
                .map(str::to_owned)
                .collect();
            aliases.dedup();
            let source = cell(source_col);
            let id = cell(id_col);
            let id = if id.is_empty() { cell(number_col) } else { id };
            entries.push(ListEntry {
                id: if id.is_empty() {
                    format!("row-{}", i + 2)
                } else {
                    id
                },
                name,
                aliases,
                source: if source.is_empty() {
                    label.to_owned()
                } else {
                    source
                },
                entity_type: cell(type_col),
                programs: cell(programs_col),
                addresses: cell(addresses_col),
                remarks: cell(remarks_col),
            });
        }
        if entries.is_empty() {
            return Err(err("the list has no entries with a name".to_owned()));
        }
        Ok(Self::from_entries(label, entries))
    }

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
        };
        let mut df: Vec<usize> = Vec::new();
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
                        id
                    };
                    if !tokens.contains(&id) {
                        tokens.push(id);
                        df[id as usize] += 1;
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
        }
        let n = list.names.len().max(1) as f64;
        list.weights = list
            .keys
            .iter()
            .zip(&df)
            .map(|(k, &d)| word_weight(k, (n / d.max(1) as f64).ln_1p()))
            .collect();
        list.unknown_weight = n.ln_1p();
        for (id, key) in list.keys.iter().enumerate() {
            for g in trigrams(key) {
                list.trigrams.entry(g).or_default().push(id as u32);
            }
        }
        list
    }

    /// Number of names and aliases indexed.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    fn query(&self, text: &str, cache: &mut WordCache) -> Query {
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
            words.push(QueryWord {
                key: k.clone(),
                weight,
                similar,
            });
        }
        let (weight, heaviest) = words.iter().fold((0.0, 0.0_f64), |(sum, max), w| {
            (sum + w.weight, max.max(w.weight))
        });
        Query {
            words,
            weight,
            heaviest,
        }
    }

    /// Vocabulary words equal or similar to `key`, with their similarity.
    fn similar_words(&self, key: &str) -> Vec<(u32, f64)> {
        let mut out = Vec::new();
        if let Some(&id) = self.vocab.get(key) {
            out.push((id, 1.0));
        }
        let grams = trigrams(key);
        if grams.is_empty() {
            return out;
        }
        let len = key.chars().count();
        let mut shared: HashMap<u32, u32> = HashMap::new();
        for g in &grams {
            for &t in self.trigrams.get(g).into_iter().flatten() {
                *shared.entry(t).or_default() += 1;
            }
        }
        let needed = (grams.len() as u32).div_ceil(3).max(1);
        let mut fuzzy: Vec<(u32, f64)> = shared
            .into_iter()
            .filter(|&(t, n)| n >= needed && self.vocab.get(key) != Some(&t))
            .filter_map(|(t, _)| {
                let other = &self.keys[t as usize];
                if other.chars().count().abs_diff(len) > 2 {
                    return None;
                }
                let sim = jaro_winkler(key, other);
                (sim >= FUZZY_WORD).then_some((t, sim))
            })
            .collect();
        fuzzy.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.extend(fuzzy);
        out
    }

    /// Whether `n` could score `threshold` against `q` at all, from the weights alone: a
    /// query far heavier than the name (a name of one word repeated thousands of times) cannot
    /// reach it, and is not scored word by word. Exact: never false for a name that would
    /// pass. The score is at most (dice + 1) / 2, and each of the name's words is matched at
    /// most once, with at most two of the query's words, so the matched weight is at most
    /// `len · heaviest + wc / 2`.
    fn could_reach(&self, q: &Query, n: &IndexedName, threshold: f64) -> bool {
        let (wq, heaviest) = (q.weight, q.heaviest);
        let wc: f64 = n.tokens.iter().map(|&t| self.weights[t as usize]).sum();
        if wq + wc <= 0.0 {
            return true;
        }
        let matched = n.tokens.len() as f64 * heaviest + wc / 2.0;
        let dice = (2.0 * matched / (wq + wc)).min(1.0);
        f64::midpoint(dice, 1.0) >= threshold
    }

    /// Score of `query` against indexed name `n`.
    fn score(&self, q: &Query, n: &IndexedName) -> f64 {
        let cand: Vec<(&str, f64, u32)> = n
            .tokens
            .iter()
            .map(|&t| (self.keys[t as usize].as_str(), self.weights[t as usize], t))
            .collect();
        score_words(q, &cand)
    }

    /// Entries whose names score at least `threshold` against `text`: (entry, matched name,
    /// score), best first.
    pub fn screen_name(&self, text: &str, threshold: f64) -> Vec<(usize, String, f64)> {
        let mut cache = WordCache::new();
        let q = self.query(text, &mut cache);
        let mut best: BTreeMap<u32, (f64, &str)> = BTreeMap::new();
        for n in self.candidates(&q, threshold) {
            let name = &self.names[n as usize];
            if !self.could_reach(&q, name, threshold) {
                continue;
            }
            let s = self.score(&q, name);
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
        let mut cache = WordCache::new();
        let q = self.query(text, &mut cache);
        self.names
            .iter()
            .filter(|n| n.entry as usize == entry)
            .map(|n| (self.score(&q, n), n.text.clone()))
            .fold((0.0, String::new()), |a, b| if b.0 > a.0 { b } else { a })
    }

    /// Indexed names that could score `threshold` or more: those sharing (exactly or fuzzily)
    /// one of the query's heaviest words, enough of them that a name matching none cannot
    /// reach the threshold.
    fn candidates(&self, q: &Query, threshold: f64) -> Vec<u32> {
        let total: f64 = q.words.iter().map(|w| w.weight).sum();
        if total <= 0.0 {
            return Vec::new();
        }
        // score ≤ (dice + 1) / 2, so a hit needs dice ≥ 2t − 1, hence a matched share of the
        // query's weight of at least d / (2 − d); any heavier set of words must meet a match.
        let d = (2.0 * threshold - 1.0).clamp(0.0, 1.0);
        let needed_share = 0.9 * d / (2.0 - d);
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
        for &i in &prefix {
            for (t, _) in &q.words[i].similar {
                add(&mut out, *t);
            }
        }
        // Joined words on either side.
        for w in q.words.windows(2) {
            if let Some(&t) = self.vocab.get(&format!("{}{}", w[0].key, w[1].key)) {
                add(&mut out, t);
            }
        }
        let mut joined_seen: HashSet<&str> = HashSet::new();
        for w in &q.words {
            if joined_seen.insert(&w.key)
                && let Some(list) = self.joined.get(&w.key)
            {
                out.extend_from_slice(&list[..list.len().min(MAX_CANDIDATES_PER_WORD)]);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Generic company words count half.
fn word_weight(key: &str, idf: f64) -> f64 {
    if is_generic(key) { idf * 0.5 } else { idf }
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

#[derive(Clone, Debug)]
struct Query {
    words: Vec<QueryWord>,
    /// Sum of the words' weights.
    weight: f64,
    /// The heaviest word's weight.
    heaviest: f64,
}

/// Weighted token-set similarity of a query and a candidate name's words
/// `(key, weight, vocabulary id)`.
fn score_words(q: &Query, cand: &[(&str, f64, u32)]) -> f64 {
    let wq: f64 = q.words.iter().map(|w| w.weight).sum();
    let wc: f64 = cand.iter().map(|c| c.1).sum();
    if wq <= 0.0 || wc <= 0.0 {
        return 0.0;
    }
    let mut q_used = vec![false; q.words.len()];
    let mut c_used = vec![false; cand.len()];
    let mut matched = 0.0;
    // Two adjacent words on one side matching one word on the other.
    for i in 0..q.words.len().saturating_sub(1) {
        let joined = format!("{}{}", q.words[i].key, q.words[i + 1].key);
        if let Some(j) = cand.iter().position(|c| c.0 == joined)
            && !c_used[j]
            && !q_used[i]
            && !q_used[i + 1]
        {
            q_used[i] = true;
            q_used[i + 1] = true;
            c_used[j] = true;
            matched += f64::midpoint(q.words[i].weight + q.words[i + 1].weight, cand[j].1);
        }
    }
    for j in 0..cand.len().saturating_sub(1) {
        let joined = format!("{}{}", cand[j].0, cand[j + 1].0);
        if let Some(i) = q.words.iter().position(|w| w.key == joined)
            && !q_used[i]
            && !c_used[j]
            && !c_used[j + 1]
        {
            q_used[i] = true;
            c_used[j] = true;
            c_used[j + 1] = true;
            matched += f64::midpoint(q.words[i].weight, cand[j].1 + cand[j + 1].1);
        }
    }
    // Greedy one-to-one matching, most similar pairs first.
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, w) in q.words.iter().enumerate() {
        if q_used[i] {
            continue;
        }
        for (j, c) in cand.iter().enumerate() {
            if c_used[j] {
                continue;
            }
            if let Some((_, sim)) = w.similar.iter().find(|(t, _)| *t == c.2) {
                pairs.push((*sim, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (sim, i, j) in pairs {
        if q_used[i] || c_used[j] {
            continue;
        }
        q_used[i] = true;
        c_used[j] = true;
        matched += sim * f64::midpoint(q.words[i].weight, cand[j].1);
    }
    let dice = 2.0 * matched / (wq + wc);
    let coverage = (matched / wq.min(wc)).min(1.0);
    f64::midpoint(dice, coverage).min(1.0)
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

/// Screens every party's name and aliases against `list`. One hit per entity and listed
/// entry (its best-matching pair of names), best score first, then entity id, then entry.
/// Large cases are split over the available cores.
pub fn screen(case: &Case, list: &ScreeningList, threshold: f64) -> Vec<ScreeningHit> {
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
    let run = |chunk: &[(&EntityId, &str)]| {
        let mut cache = WordCache::new();
        let mut out: Vec<(EntityId, String, u32, String, f64)> = Vec::new();
        for (id, text) in chunk {
            let q = list.query(text, &mut cache);
            for n in list.candidates(&q, threshold) {
                let name = &list.names[n as usize];
                if !list.could_reach(&q, name, threshold) {
                    continue;
                }
                let s = list.score(&q, name);
                if s >= threshold {
                    out.push((
                        (*id).clone(),
                        (*text).to_owned(),
                        name.entry,
                        name.text.clone(),
                        s,
                    ));
                }
            }
        }
        out
    };
    let raw: Vec<(EntityId, String, u32, String, f64)> = if threads <= 1 {
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
    let mut best: BTreeMap<(EntityId, u32), (f64, String, String)> = BTreeMap::new();
    for (id, text, entry, listed, s) in raw {
        let slot = best
            .entry((id, entry))
            .or_insert((s, text.clone(), listed.clone()));
        if s > slot.0 {
            *slot = (s, text, listed);
        }
    }
    let mut hits: Vec<ScreeningHit> = best
        .into_iter()
        .map(
            |((entity, entry), (score, entity_name, matched_name))| ScreeningHit {
                entity,
                entity_name,
                matched_name,
                entry_index: entry as usize,
                entry: list.entries[entry as usize].clone(),
                list: list.label.clone(),
                score,
            },
        )
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
        let q = list.query(&name, &mut WordCache::new());
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
