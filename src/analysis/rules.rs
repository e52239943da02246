//! The red-flag engine. Rules are data (`assets/rules.ron`, embedded; a user's rules file can add
//! or replace rules): each names a scope (every shipment or every entity), a severity, and a
//! condition composed from a small vocabulary of predicates over shipments, parties, goods
//! lines, routes, links and evidence. Country groups (D:5, Macau, transit hubs ...) are data
//! too (`assets/country_groups.ron`).
//!
//! `evaluate` checks every rule against the case and returns findings with a plain-words
//! explanation naming the parties, the items involved and the evidence attached to them.
//! Dismissals saved in the case (`Case::dismissals`) are matched by the finding's stable key.

use crate::model::{
    Case, ClaimStatus, Entity, EntityId, EntityKind, EvidenceId, GoodsLine, ItemRef, LinkKind,
    Money, PartialDate, Shipment,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

/// The rules that ship with Chokepoint.
pub const BUILTIN_RULES_RON: &str = include_str!("../../assets/rules.ron");
/// The country groups that ship with Chokepoint.
pub const COUNTRY_GROUPS_RON: &str = include_str!("../../assets/country_groups.ron");

/// Largest rules file read (4 MiB; the built-in rules are a few kilobytes).
pub const MAX_RULES_FILE_BYTES: u64 = 4 << 20;

/// How serious a finding is.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Severity {
    Info,
    Low,
    #[default]
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "Info",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
        }
    }
}

/// What a rule is checked against, one at a time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    #[default]
    Shipment,
    Entity,
}

/// A party's role on a shipment. `Payer` is derived: whoever paid the shipper around the
/// shipment's date an amount matching its value (see `PaymentMatch`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    Shipper,
    Consignee,
    NotifyParty,
    DeclaredEndUser,
    SuspectedEndUser,
    Forwarder,
    Payer,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Shipper => "shipper",
            Role::Consignee => "consignee",
            Role::NotifyParty => "notify party",
            Role::DeclaredEndUser => "declared end user",
            Role::SuspectedEndUser => "suspected end user",
            Role::Forwarder => "forwarder",
            Role::Payer => "payer",
        }
    }
}

/// A test of one entity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum EntityTest {
    All(Vec<EntityTest>),
    Any(Vec<EntityTest>),
    Not(Box<EntityTest>),
    /// A named test from the rule set's `classes`.
    Class(String),
    Kind(Vec<EntityKind>),
    /// Its country is in the country group.
    CountryIn(String),
    /// Owned, directly or through owners (up to six levels, each share at least
    /// `min_percent`, unknown shares counted), by an entity in the country group.
    OwnedFrom {
        group: String,
        min_percent: f64,
    },
    Tagged(Vec<String>),
    /// Carries a flag whose label contains one of the words (refuted flags do not count).
    Flagged(Vec<String>),
    /// An attribute (any key when `keys` is empty) whose value contains one of the words.
    Attribute {
        keys: Vec<String>,
        contains: Vec<String>,
    },
    /// Has an attribute with one of the keys, but its value contains none of the words.
    AttributeLacks {
        keys: Vec<String>,
        words: Vec<String>,
    },
    /// An attribute with one of the keys whose value starts with a number at most `max`.
    AttributeAtMost {
        keys: Vec<String>,
        max: f64,
    },
    NameContains(Vec<String>),
    /// A forwarder on some shipment, or represents someone as a forwarder.
    ActsAsForwarder,
    /// Incorporated (its start date) after the date.
    FormedAfter(PartialDate),
    /// A residential address: its own, one it is located at, or a residential-address flag.
    ResidentialAddress,
    /// Neither it nor anything it is located at has a street address.
    NoStreetAddress,
    /// A new owner or director took over within `within_days` before its first shipment, and
    /// the company was then at least `min_age_years` old.
    ControlChangedBeforeFirstShipment {
        within_days: i64,
        min_age_years: i64,
    },
    /// Received as consignee goods declared at `amount` or more in `currency`, in total.
    ReceivedAtLeast {
        amount: f64,
        currency: String,
    },
}

/// A test of one goods line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum GoodsTest {
    All(Vec<GoodsTest>),
    Any(Vec<GoodsTest>),
    Not(Box<GoodsTest>),
    /// The declared ECCN or the product's ECCN starts with one of the prefixes (`3A090`).
    Eccn(Vec<String>),
    /// The declared HS code differs from the product's in the first `digits` digits.
    HsMismatch {
        digits: usize,
    },
    /// The description names none of the product's model numbers and either uses one of the
    /// `misleading` words or shares no word with the product's name.
    DescriptionInconsistent {
        misleading: Vec<String>,
    },
    /// Declared unit value below `ratio` times the median unit value of the same product on
    /// the case's other goods lines (same currency).
    UnitValueFarBelow {
        ratio: f64,
    },
    /// Declared origin differs from every origin declared when the shipper received the same
    /// product (as consignee, or at a place it is located at).
    OriginChangedSinceReceipt,
}

/// A test of a shipment's route, read as the sequence of countries it stops in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RouteTest {
    StartsIn(String),
    EndsIn(String),
    /// A stop between origin and final destination is in the group.
    Through(String),
}

/// A rule's condition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// (Shipment) a party in one of the roles passes the test.
    Party {
        roles: Vec<Role>,
        test: EntityTest,
    },
    /// (Shipment) a goods line passes the test.
    Goods(GoodsTest),
    /// (Shipment) the route passes the test.
    Route(RouteTest),
    /// (Shipment) declared and suspected end users are both named and differ.
    EndUsersDiffer,
    /// (Shipment) a party in role `a` and a party in role `b` are in different countries.
    CountriesDiffer {
        a: Role,
        b: Role,
    },
    /// (Shipment) the earliest shipment of its party in this role.
    FirstShipmentOf(Role),
    /// (Shipment) total declared value in `currency` is at least `amount`.
    ValueAtLeast {
        amount: f64,
        currency: String,
    },
    /// (Shipment) total declared quantity is at least this.
    QuantityAtLeast(f64),
    /// (Entity) the entity passes the test.
    Entity(EntityTest),
    /// (Entity) in at least `min` shipments in one of the roles.
    InShipments {
        roles: Vec<Role>,
        min: usize,
    },
    /// Evidence attached to the subject mentions one of the words in a claim or excerpt about
    /// the subject.
    EvidenceMentions(Vec<String>),
}

fn yes() -> bool {
    true
}

/// One red-flag rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, part of every finding's key: never rename a shipped rule.
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// Where the indicator comes from (e.g. "BIS KYC red flag 7").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub indicator: String,
    pub scope: Scope,
    pub when: Condition,
    /// Opening sentence of the explanation; `{shipment}`, `{shipper}`, `{consignee}`,
    /// `{route}` and `{entity}` are filled in.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explain: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// A named country group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CountryGroup {
    pub name: String,
    pub countries: Vec<String>,
    /// Other groups whose countries belong to this one.
    pub includes: Vec<String>,
    pub note: String,
}

/// How a payment is matched to a shipment to find its payer: paid to the shipper within
/// `window_days` of the shipment's first date, and (when both are known in one currency)
/// within `amount_tolerance` (a fraction) of the shipment's declared value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaymentMatch {
    pub window_days: i64,
    pub amount_tolerance: f64,
}

impl Default for PaymentMatch {
    fn default() -> Self {
        Self {
            window_days: 60,
            amount_tolerance: 0.05,
        }
    }
}

/// A rules file: the shipped one, or a user's that extends it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RulesFile {
    pub groups: BTreeMap<String, CountryGroup>,
    /// Country names by code, for explanations.
    pub names: BTreeMap<String, String>,
    /// Named entity tests, used with `Class("name")`.
    pub classes: BTreeMap<String, EntityTest>,
    pub rules: Vec<Rule>,
    pub payments: Option<PaymentMatch>,
}

/// Why a rules or country-groups file was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct RulesError {
    /// The file (or "built-in rules").
    pub origin: String,
    pub message: String,
}

/// The rules in force, with the country groups and classes they use.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub classes: BTreeMap<String, EntityTest>,
    pub groups: BTreeMap<String, CountryGroup>,
    pub names: BTreeMap<String, String>,
    pub payments: PaymentMatch,
    /// Every group resolved to its countries (includes followed).
    resolved: BTreeMap<String, BTreeSet<String>>,
}

fn parse_ron<T: serde::de::DeserializeOwned>(text: &str, origin: &str) -> Result<T, RulesError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<T>(text)
        .map_err(|e| RulesError {
            origin: format!("{origin}:{}:{}", e.span.start.line, e.span.start.col),
            message: e.code.to_string(),
        })
}

impl RuleSet {
    /// The shipped rules and country groups.
    pub fn builtin() -> Result<Self, RulesError> {
        let mut set = Self {
            rules: Vec::new(),
            classes: BTreeMap::new(),
            groups: BTreeMap::new(),
            names: BTreeMap::new(),
            payments: PaymentMatch::default(),
            resolved: BTreeMap::new(),
        };
        set.extend_from_ron(COUNTRY_GROUPS_RON, "assets/country_groups.ron")?;
        set.extend_from_ron(BUILTIN_RULES_RON, "assets/rules.ron")?;
        Ok(set)
    }

    /// Adds the groups, names, classes and rules of a rules file; a rule, class or group with
    /// an id already present replaces it. On error the set is unchanged.
    pub fn extend_from_ron(&mut self, text: &str, origin: &str) -> Result<(), RulesError> {
        let file: RulesFile = parse_ron(text, origin)?;
        let mut next = self.clone();
        next.groups.extend(file.groups);
        next.names.extend(file.names);
        next.classes.extend(file.classes);
        let mut seen = BTreeSet::new();
        for rule in file.rules {
            if !seen.insert(rule.id.clone()) {
                return Err(RulesError {
                    origin: origin.to_owned(),
                    message: format!("rule \"{}\" appears twice", rule.id),
                });
            }
            match next.rules.iter_mut().find(|r| r.id == rule.id) {
                Some(slot) => *slot = rule,
                None => next.rules.push(rule),
            }
        }
        if let Some(p) = file.payments {
            next.payments = p;
        }
        next.resolve(origin)?;
        *self = next;
        Ok(())
    }

    /// Countries of a group (empty for an unknown group; `check` refuses those).
    pub fn group(&self, id: &str) -> Option<&BTreeSet<String>> {
        self.resolved.get(id)
    }

    /// "Hong Kong (HK)", or the code alone when the name is not known.
    pub fn country_label(&self, code: &str) -> String {
        self.names
            .get(code)
            .map_or_else(|| code.to_owned(), |n| format!("{n} ({code})"))
    }

    fn group_label(&self, id: &str) -> String {
        self.groups
            .get(id)
            .filter(|g| !g.name.is_empty())
            .map_or_else(|| id.to_owned(), |g| g.name.clone())
    }

    /// Resolves groups and checks that every group and class a rule names exists.
    fn resolve(&mut self, origin: &str) -> Result<(), RulesError> {
        let err = |message: String| RulesError {
            origin: origin.to_owned(),
            message,
        };
        let mut resolved = BTreeMap::new();
        for id in self.groups.keys() {
            let mut countries = BTreeSet::new();
            let mut stack = vec![id.as_str()];
            let mut seen = BTreeSet::new();
            while let Some(g) = stack.pop() {
                if !seen.insert(g) {
                    continue;
                }
                let group = self
                    .groups
                    .get(g)
                    .ok_or_else(|| err(format!("group \"{id}\" includes unknown group \"{g}\"")))?;
                for c in &group.countries {
                    if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                        return Err(err(format!(
                            "group \"{g}\": \"{c}\" is not an upper-case two-letter country code"
                        )));
                    }
                    countries.insert(c.clone());
                }
                stack.extend(group.includes.iter().map(String::as_str));
            }
            resolved.insert(id.clone(), countries);
        }
        self.resolved = resolved;

        let mut ids = BTreeSet::new();
        for rule in &self.rules {
            if rule.id.trim().is_empty() || !ids.insert(rule.id.as_str()) {
                return Err(err(format!(
                    "rule ids must be unique and non-empty (\"{}\")",
                    rule.id
                )));
            }
            let mut names = Names::default();
            names.condition(&rule.when);
            for (what, name) in names.refs {
                let known = match what {
                    "group" => self.resolved.contains_key(&name),
                    _ => self.classes.contains_key(&name),
                };
                if !known {
                    return Err(err(format!(
                        "rule \"{}\" uses unknown {what} \"{name}\"",
                        rule.id
                    )));
                }
            }
        }
        for (id, test) in &self.classes {
            let mut names = Names::default();
            names.entity(test);
            for (what, name) in names.refs {
                let known = match what {
                    "group" => self.resolved.contains_key(&name),
                    _ => self.classes.contains_key(&name) && name != *id,
                };
                if !known {
                    return Err(err(format!(
                        "class \"{id}\" uses unknown {what} \"{name}\""
                    )));
                }
            }
        }
        Ok(())
    }
}

/// Collects the group and class names a condition uses.
#[derive(Default)]
struct Names {
    refs: Vec<(&'static str, String)>,
}

impl Names {
    fn condition(&mut self, c: &Condition) {
        match c {
            Condition::All(v) | Condition::Any(v) => v.iter().for_each(|x| self.condition(x)),
            Condition::Not(x) => self.condition(x),
            Condition::Party { test, .. } | Condition::Entity(test) => self.entity(test),
            Condition::Route(
                RouteTest::StartsIn(g) | RouteTest::EndsIn(g) | RouteTest::Through(g),
            ) => {
                self.refs.push(("group", g.clone()));
            }
            Condition::Goods(_)
            | Condition::EndUsersDiffer
            | Condition::CountriesDiffer { .. }
            | Condition::FirstShipmentOf(_)
            | Condition::ValueAtLeast { .. }
            | Condition::QuantityAtLeast(_)
            | Condition::InShipments { .. }
            | Condition::EvidenceMentions(_) => {}
        }
    }

    fn entity(&mut self, t: &EntityTest) {
        match t {
            EntityTest::All(v) | EntityTest::Any(v) => v.iter().for_each(|x| self.entity(x)),
            EntityTest::Not(x) => self.entity(x),
            EntityTest::Class(name) => self.refs.push(("class", name.clone())),
            EntityTest::CountryIn(g) | EntityTest::OwnedFrom { group: g, .. } => {
                self.refs.push(("group", g.clone()));
            }
            _ => {}
        }
    }
}

/// A red flag raised by a rule (or by name screening) on one subject.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// Stable key, `rule:kind=id`; dismissals name findings by it.
    pub key: String,
    pub rule_id: String,
    pub severity: Severity,
    pub title: String,
    /// Plain words, naming the parties.
    pub explanation: String,
    /// The shipment or entity the rule was checked against.
    pub subject: ItemRef,
    /// Subject first, then every item the explanation rests on.
    pub items: Vec<ItemRef>,
    /// Evidence items that support any of `items`, in id order.
    pub evidence: Vec<EvidenceId>,
    /// The reason given when the finding was dismissed.
    pub dismissed: Option<String>,
}

/// The stable key of a finding of `rule_id` on `subject`.
pub fn finding_key(rule_id: &str, subject: &ItemRef) -> String {
    format!("{rule_id}:{}={}", subject_kind(subject), subject.id_str())
}

fn subject_kind(item: &ItemRef) -> &'static str {
    match item {
        ItemRef::Entity(_) => "entity",
        ItemRef::Link(_) => "link",
        ItemRef::Shipment(_) => "shipment",
        ItemRef::Evidence(_) => "evidence",
        ItemRef::Note(_) => "note",
        ItemRef::Group(_) => "group",
        ItemRef::View(_) => "view",
    }
}

/// One reason a condition holds, with the items it rests on.
#[derive(Clone, Debug)]
struct Fact {
    text: String,
    items: Vec<ItemRef>,
}

impl Fact {
    fn new(text: impl Into<String>, items: Vec<ItemRef>) -> Self {
        Self {
            text: text.into(),
            items,
        }
    }
}

type Outcome = Option<Vec<Fact>>;

/// An ownership link to an entity: the link, the owner and the share in percent.
type OwnerLink<'a> = (&'a crate::model::Link, &'a EntityId, Option<f64>);

/// Facts about the case computed once per evaluation.
struct Derived<'a> {
    forwarders: BTreeSet<&'a EntityId>,
    represents_as_forwarder: BTreeSet<&'a EntityId>,
    /// (role, party) → the party's earliest shipment in that role.
    first_shipment: HashMap<(Role, &'a EntityId), &'a Shipment>,
    /// party → shipments by role.
    roles_of: HashMap<&'a EntityId, Vec<(Role, &'a Shipment)>>,
    /// entity → (link, target) it is located at.
    located_at: HashMap<&'a EntityId, Vec<(&'a crate::model::Link, &'a EntityId)>>,
    /// owned entity → (link, owner, percent).
    owners: HashMap<&'a EntityId, Vec<OwnerLink<'a>>>,
    /// entity → ownership / directorship links to it (new control).
    control_links: HashMap<&'a EntityId, Vec<&'a crate::model::Link>>,
    /// payee → payment links to it.
    payments_to: HashMap<&'a EntityId, Vec<&'a crate::model::Link>>,
    /// consignee → currency → total declared value.
    received: HashMap<&'a EntityId, BTreeMap<&'a str, f64>>,
    /// product → (currency, unit value, shipment, line index).
    unit_values: HashMap<&'a EntityId, Vec<(&'a str, f64, &'a Shipment, usize)>>,
    /// item → evidence supporting it.
    evidence_for: HashMap<ItemRef, Vec<&'a crate::model::Evidence>>,
    /// consignee, or entity at the end of the last leg → shipments it received.
    received_by: HashMap<&'a EntityId, Vec<&'a Shipment>>,
}

fn shipment_order(s: &Shipment) -> (i64, &str) {
    (
        s.first_date()
            .map_or(i64::MAX, PartialDate::days_since_epoch),
        s.id.as_str(),
    )
}

fn unit_value(g: &GoodsLine) -> Option<(&str, f64)> {
    match (g.quantity, &g.value) {
        (Some(q), Some(v)) if q > 0.0 => Some((v.currency.as_str(), v.amount / q)),
        _ => None,
    }
}

impl<'a> Derived<'a> {
    fn new(case: &'a Case) -> Self {
        let mut d = Derived {
            forwarders: BTreeSet::new(),
            represents_as_forwarder: BTreeSet::new(),
            first_shipment: HashMap::new(),
            roles_of: HashMap::new(),
            located_at: HashMap::new(),
            owners: HashMap::new(),
            control_links: HashMap::new(),
            payments_to: HashMap::new(),
            received: HashMap::new(),
            unit_values: HashMap::new(),
            evidence_for: HashMap::new(),
            received_by: HashMap::new(),
        };
        let mut shipments: Vec<&Shipment> = case.shipments.values().collect();
        shipments.sort_by(|a, b| shipment_order(a).cmp(&shipment_order(b)));
        for s in shipments {
            for (role, party) in direct_roles(s) {
                d.first_shipment.entry((role, party)).or_insert(s);
                d.roles_of.entry(party).or_default().push((role, s));
                if role == Role::Forwarder {
                    d.forwarders.insert(party);
                }
            }
            let place = s.legs.last().and_then(|l| l.to.entity.as_ref());
            for receiver in s.consignee.iter().chain(place) {
                let list = d.received_by.entry(receiver).or_default();
                if list.last().is_none_or(|x| x.id != s.id) {
                    list.push(s);
                }
            }
            if let Some(c) = &s.consignee {
                let totals = d.received.entry(c).or_default();
                for g in &s.goods {
                    if let Some(v) = &g.value {
                        *totals.entry(v.currency.as_str()).or_default() += v.amount;
                    }
                }
            }
            for (i, g) in s.goods.iter().enumerate() {
                if let (Some(p), Some((cur, uv))) = (&g.product, unit_value(g)) {
                    d.unit_values.entry(p).or_default().push((cur, uv, s, i));
                }
            }
        }
        for l in case.links.values() {
            match &l.kind {
                LinkKind::LocatedAt => d.located_at.entry(&l.from).or_default().push((l, &l.to)),
                LinkKind::Ownership { percent } => {
                    d.owners
                        .entry(&l.to)
                        .or_default()
                        .push((l, &l.from, *percent));
                    d.control_links.entry(&l.to).or_default().push(l);
                }
                LinkKind::Directorship { .. } => d.control_links.entry(&l.to).or_default().push(l),
                LinkKind::Payment { .. } => d.payments_to.entry(&l.to).or_default().push(l),
                LinkKind::Representation { role } if role.to_lowercase().contains("forward") => {
                    d.represents_as_forwarder.insert(&l.from);
                }
                _ => {}
            }
        }
        for ev in case.evidence.values() {
            for s in &ev.supports {
                if let Some(t) = &s.target {
                    let list = d.evidence_for.entry(t.clone()).or_default();
                    if !list.iter().any(|e| e.id == ev.id) {
                        list.push(ev);
                    }
                }
            }
        }
        d
    }
}

/// Roles named on the shipment itself (not the derived payer).
fn direct_roles(s: &Shipment) -> Vec<(Role, &EntityId)> {
    let mut out = Vec::new();
    for (role, party) in [
        (Role::Shipper, &s.shipper),
        (Role::Consignee, &s.consignee),
        (Role::NotifyParty, &s.notify_party),
        (Role::DeclaredEndUser, &s.declared_end_user),
        (Role::SuspectedEndUser, &s.suspected_end_user),
    ] {
        if let Some(p) = party {
            out.push((role, p));
        }
    }
    out.extend(s.forwarders.iter().map(|f| (Role::Forwarder, f)));
    out
}

fn money_total(s: &Shipment, currency: &str) -> Option<f64> {
    let mut total = None;
    for g in &s.goods {
        if let Some(v) = &g.value
            && v.currency.eq_ignore_ascii_case(currency)
        {
            *total.get_or_insert(0.0) += v.amount;
        }
    }
    total
}

fn lower_words(words: &[String]) -> Vec<String> {
    words.iter().map(|w| w.to_lowercase()).collect()
}

fn mentions(text: &str, words: &[String]) -> Option<String> {
    let lower = text.to_lowercase();
    words
        .iter()
        .find(|w| !w.is_empty() && lower.contains(&w.to_lowercase()))
        .cloned()
}

fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => format!("“{one}”"),
        [rest @ .., last] => format!(
            "{} or “{last}”",
            rest.iter()
                .map(|w| format!("“{w}”"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn format_money(amount: f64, currency: &str) -> String {
    Money {
        amount,
        currency: currency.to_owned(),
    }
    .to_string()
}

/// Model-number-like tokens of a product: letters and digits together (H100, HX-8800, A100),
/// not capacities such as 80GB.
fn model_tokens(product: &Entity) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for text in [&product.name, &product.product.model] {
        for token in text
            .to_lowercase()
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .map(|t| t.trim_matches('-'))
        {
            let letters = token.chars().any(char::is_alphabetic);
            let digits = token.chars().any(|c| c.is_ascii_digit());
            let capacity = ["gb", "tb", "mb", "gpu", "w"].iter().any(|u| {
                token.ends_with(u)
                    && token[..token.len() - u.len()]
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '-')
            });
            if letters && digits && !capacity && token.len() >= 3 {
                out.insert(token.to_owned());
            }
        }
    }
    out
}

fn plain_words(text: &str) -> BTreeSet<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3 && w.chars().all(char::is_alphabetic))
        .map(str::to_owned)
        .collect()
}

fn hs_digits(code: &str) -> String {
    code.chars().filter(char::is_ascii_digit).collect()
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        f64::midpoint(values[mid - 1], values[mid])
    } else {
        values[mid]
    })
}

/// Countries a shipment stops in, in order, consecutive repeats merged.
fn route_countries(s: &Shipment) -> Vec<&str> {
    let mut stops: Vec<&str> = Vec::new();
    for leg in &s.legs {
        for place in [&leg.from, &leg.to] {
            if let Some(c) = &place.country
                && stops.last() != Some(&c.as_str())
            {
                stops.push(c.as_str());
            }
        }
    }
    stops
}

struct Eval<'a> {
    case: &'a Case,
    set: &'a RuleSet,
    d: Derived<'a>,
    /// The day the case is judged on: a flag whose end date has passed no longer holds.
    today: PartialDate,
}

fn shipment_label(s: &Shipment) -> String {
    if s.reference.is_empty() {
        s.id.to_string()
    } else {
        s.reference.clone()
    }
}

fn ent(id: &EntityId) -> ItemRef {
    ItemRef::Entity(id.clone())
}

impl<'a> Eval<'a> {
    fn name(&self, id: &EntityId) -> String {
        self.case.entity_name(id)
    }

    /// Parties of a shipment in a role, with any item that shows why they hold it.
    fn parties(&self, s: &'a Shipment, role: Role) -> Vec<(&'a EntityId, Vec<ItemRef>)> {
        match role {
            Role::Shipper => s.shipper.iter().map(|p| (p, Vec::new())).collect(),
            Role::Consignee => s.consignee.iter().map(|p| (p, Vec::new())).collect(),
            Role::NotifyParty => s.notify_party.iter().map(|p| (p, Vec::new())).collect(),
            Role::DeclaredEndUser => s
                .declared_end_user
                .iter()
                .map(|p| (p, Vec::new()))
                .collect(),
            Role::SuspectedEndUser => s
                .suspected_end_user
                .iter()
                .map(|p| (p, Vec::new()))
                .collect(),
            Role::Forwarder => s.forwarders.iter().map(|p| (p, Vec::new())).collect(),
            Role::Payer => self.payers(s),
        }
    }

    /// Who paid the shipper for this shipment (see `PaymentMatch`).
    fn payers(&self, s: &'a Shipment) -> Vec<(&'a EntityId, Vec<ItemRef>)> {
        let Some(shipper) = &s.shipper else {
            return Vec::new();
        };
        let when = s.first_date().map(PartialDate::days_since_epoch);
        let rule = self.set.payments;
        let mut out: Vec<(&EntityId, Vec<ItemRef>)> = Vec::new();
        for l in self.d.payments_to.get(shipper).into_iter().flatten() {
            let LinkKind::Payment { amount, date } = &l.kind else {
                continue;
            };
            if &l.from == shipper {
                continue;
            }
            let date_ok = match (when, date) {
                (Some(w), Some(d)) => (d.days_since_epoch() - w).abs() <= rule.window_days,
                _ => false,
            };
            let amount_ok = amount.as_ref().and_then(|m| {
                money_total(s, &m.currency).map(|total| {
                    total > 0.0 && ((m.amount - total).abs() / total) <= rule.amount_tolerance
                })
            });
            let matched = match (date.is_some() && when.is_some(), amount_ok) {
                (true, Some(ok)) => date_ok && ok,
                (true, None) => date_ok,
                (false, Some(ok)) => ok,
                (false, None) => false,
            };
            if matched {
                out.push((&l.from, vec![ItemRef::Link(l.id.clone())]));
            }
        }
        out
    }

    fn eval(&self, c: &Condition, subject: &Subject<'a>) -> Outcome {
        match c {
            Condition::All(list) => {
                let mut facts = Vec::new();
                for x in list {
                    facts.extend(self.eval(x, subject)?);
                }
                Some(facts)
            }
            Condition::Any(list) => {
                let mut facts = Vec::new();
                let mut any = false;
                for x in list {
                    if let Some(f) = self.eval(x, subject) {
                        any = true;
                        facts.extend(f);
                    }
                }
                any.then_some(facts)
            }
            Condition::Not(x) => match self.eval(x, subject) {
                Some(_) => None,
                None => Some(Vec::new()),
            },
            Condition::EvidenceMentions(words) => self.evidence_mentions(&subject.item(), words),
            Condition::Party { roles, test } => {
                let Subject::Shipment(s) = subject else {
                    return None;
                };
                let mut facts = Vec::new();
                let mut seen = BTreeSet::new();
                for &role in roles {
                    for (party, why) in self.parties(s, role) {
                        if !seen.insert((party, role)) {
                            continue;
                        }
                        if let Some(f) = self.entity(test, party) {
                            let mut items = vec![ent(party)];
                            items.extend(why);
                            facts.push(Fact::new(
                                format!("{} is the {}", self.name(party), role.label()),
                                items,
                            ));
                            facts.extend(f);
                        }
                    }
                }
                (!facts.is_empty()).then_some(facts)
            }
            Condition::Goods(test) => {
                let Subject::Shipment(s) = subject else {
                    return None;
                };
                let mut facts = Vec::new();
                let mut any = false;
                for (i, g) in s.goods.iter().enumerate() {
                    if let Some(f) = self.goods(test, s, i, g) {
                        any = true;
                        facts.extend(f);
                    }
                }
                any.then_some(facts)
            }
            Condition::Route(test) => {
                let Subject::Shipment(s) = subject else {
                    return None;
                };
                self.route(test, s)
            }
            Condition::EndUsersDiffer => {
                let Subject::Shipment(s) = subject else {
                    return None;
                };
                match (&s.declared_end_user, &s.suspected_end_user) {
                    (Some(d), Some(x)) if d != x => Some(vec![Fact::new(
                        format!(
                            "the declared end user is {} but the suspected end user is {}",
                            self.name(d),
                            self.name(x)
                        ),
                        vec![ent(d), ent(x)],
                    )]),
                    _ => None,
                }
            }
            Condition::CountriesDiffer { a, b } => {
                let Subject::Shipment(s) = subject else {
                    return None;
                };
                let country = |id: &EntityId| {
                    self.case
                        .entities
                        .get(id)
                        .and_then(|e| e.country.as_ref())
                        .map(|c| c.as_str().to_owned())
                };
                let mut facts = Vec::new();
                for (pa, why_a) in self.parties(s, *a) {
                    for (pb, why_b) in self.parties(s, *b) {
                        if let (Some(ca), Some(cb)) = (country(pa), country(pb))
                            && ca != cb
                            && pa != pb
                        {
                            let mut items = vec![ent(pa), ent(pb)];
                            items.extend(why_a.iter().cloned());
                            items.extend(why_b.iter().cloned());
                            facts.push(Fact::new(
                                format!(
                                    "the {} {} is in {} but the {} {} is in {}",
                                    a.label(),
                                    self.name(pa),
                                    self.set.country_label(&ca),
                                    b.label(),
                                    self.name(pb),
                                    self.set.country_label(&cb)
                                ),
                                items,
                            ));
                        }
                    }
                }
                (!facts.is_empty()).then_some(facts)
            }
            Condition::FirstShipmentOf(role) => {
                let Subject::Shipment(s) = subject else {
                    return None;
                };
                let mut facts = Vec::new();
                for (p, _) in self.parties(s, *role) {
                    if self
                        .d
                        .first_shipment
                        .get(&(*role, p))
                        .is_some_and(|first| first.id == s.id)
                    {
                        facts.push(Fact::new(
                            format!(
                                "it is the first shipment with {} as {}",
                                self.name(p),
                                role.label()
                            ),
                            vec![ent(p)],
                        ));
                    }
                }
                (!facts.is_empty()).then_some(facts)
            }
            Condition::ValueAtLeast { amount, currency } => {
                let Subject::Shipment(s) = subject else {
                    return None;
                };
                let total = money_total(s, currency)?;
                (total >= *amount).then(|| {
                    vec![Fact::new(
                        format!("its declared value is {}", format_money(total, currency)),
                        Vec::new(),
                    )]
                })
            }
            Condition::QuantityAtLeast(min) => {
                let Subject::Shipment(s) = subject else {
                    return None;
                };
                let q = s.total_quantity();
                (q >= *min).then(|| {
                    vec![Fact::new(
                        format!("it carries {} pieces", crate::model::format_amount(q)),
                        Vec::new(),
                    )]
                })
            }
            Condition::Entity(test) => {
                let Subject::Entity(e) = subject else {
                    return None;
                };
                self.entity(test, &e.id)
            }
            Condition::InShipments { roles, min } => {
                let Subject::Entity(e) = subject else {
                    return None;
                };
                let mut shipments: Vec<(&Shipment, Role)> = self
                    .d
                    .roles_of
                    .get(&e.id)
                    .into_iter()
                    .flatten()
                    .filter(|(r, _)| roles.contains(r))
                    .map(|(r, s)| (*s, *r))
                    .collect();
                shipments.sort_by(|a, b| shipment_order(a.0).cmp(&shipment_order(b.0)));
                shipments.dedup_by(|a, b| a.0.id == b.0.id);
                if shipments.len() < (*min).max(1) {
                    return None;
                }
                let listed: Vec<String> = shipments
                    .iter()
                    .map(|(s, r)| format!("{} ({})", shipment_label(s), r.label()))
                    .collect();
                Some(vec![Fact::new(
                    format!(
                        "it is party to {} shipment{}: {}",
                        shipments.len(),
                        if shipments.len() == 1 { "" } else { "s" },
                        listed.join(", ")
                    ),
                    shipments
                        .iter()
                        .map(|(s, _)| ItemRef::Shipment(s.id.clone()))
                        .collect(),
                )])
            }
        }
    }

    fn evidence_mentions(&self, subject: &ItemRef, words: &[String]) -> Outcome {
        let words = lower_words(words);
        let mut facts = Vec::new();
        for ev in self.d.evidence_for.get(subject).into_iter().flatten() {
            // Only what the evidence says about this subject: an interview that mentions
            // relabelling of one shipment says nothing of the others it covers.
            let mut texts = Vec::new();
            for s in &ev.supports {
                if s.target.as_ref() == Some(subject) {
                    texts.push(&s.claim);
                    texts.push(&s.excerpt);
                }
            }
            let found = texts.iter().find_map(|t| mentions(t, &words));
            if let Some(word) = found {
                facts.push(Fact::new(
                    format!("the evidence “{}” mentions “{word}”", ev.title),
                    vec![ItemRef::Evidence(ev.id.clone())],
                ));
            }
        }
        (!facts.is_empty()).then_some(facts)
    }

    fn route(&self, test: &RouteTest, s: &Shipment) -> Outcome {
        let stops = route_countries(s);
        let (first, last) = (stops.first()?, stops.last()?);
        let in_group = |g: &str, c: &str| self.set.group(g).is_some_and(|set| set.contains(c));
        let route = stops.join(" → ");
        match test {
            RouteTest::StartsIn(g) => in_group(g, first).then(|| {
                vec![Fact::new(
                    format!(
                        "the route {route} starts in {}, in {}",
                        self.set.country_label(first),
                        self.set.group_label(g)
                    ),
                    Vec::new(),
                )]
            }),
            RouteTest::EndsIn(g) => (stops.len() >= 2 && in_group(g, last)).then(|| {
                vec![Fact::new(
                    format!(
                        "the route {route} ends in {}, in {}",
                        self.set.country_label(last),
                        self.set.group_label(g)
                    ),
                    Vec::new(),
                )]
            }),
            RouteTest::Through(g) => {
                let hubs: Vec<String> = stops
                    .iter()
                    .skip(1)
                    .take(stops.len().saturating_sub(2))
                    .filter(|c| in_group(g, c))
                    .map(|c| self.set.country_label(c))
                    .collect();
                (!hubs.is_empty()).then(|| {
                    vec![Fact::new(
                        format!(
                            "the route {route} passes through {} ({})",
                            hubs.join(" and "),
                            self.set.group_label(g).to_lowercase()
                        ),
                        Vec::new(),
                    )]
                })
            }
        }
    }

    fn entity(&self, test: &EntityTest, id: &EntityId) -> Outcome {
        self.entity_depth(test, id, 0)
    }

    fn entity_depth(&self, test: &EntityTest, id: &EntityId, depth: usize) -> Outcome {
        let e = self.case.entities.get(id)?;
        let name = &e.name;
        match test {
            EntityTest::All(list) => {
                let mut facts = Vec::new();
                for t in list {
                    facts.extend(self.entity_depth(t, id, depth)?);
                }
                Some(facts)
            }
            // The first alternative that holds explains it; the rest would repeat the point.
            EntityTest::Any(list) => list.iter().find_map(|t| self.entity_depth(t, id, depth)),
            EntityTest::Not(t) => match self.entity_depth(t, id, depth) {
                Some(_) => None,
                None => Some(Vec::new()),
            },
            EntityTest::Class(class) => {
                // Classes may use classes; the depth bound stops accidental cycles.
                if depth > 16 {
                    return None;
                }
                self.entity_depth(self.set.classes.get(class)?, id, depth + 1)
            }
            EntityTest::Kind(kinds) => kinds.contains(&e.kind).then(Vec::new),
            EntityTest::CountryIn(g) => {
                let c = e.country.as_ref()?;
                self.set.group(g)?.contains(c.as_str()).then(|| {
                    vec![Fact::new(
                        format!(
                            "{name} is in {}, in {}",
                            self.set.country_label(c.as_str()),
                            self.set.group_label(g)
                        ),
                        vec![ent(id)],
                    )]
                })
            }
            EntityTest::OwnedFrom { group, min_percent } => {
                self.owned_from(id, group, *min_percent)
            }
            EntityTest::Tagged(tags) => {
                let tag = e
                    .tags
                    .iter()
                    .find(|t| tags.iter().any(|x| x.eq_ignore_ascii_case(t)))?;
                Some(vec![Fact::new(
                    format!("{name} is tagged “{tag}”"),
                    vec![ent(id)],
                )])
            }
            EntityTest::Flagged(words) => {
                // A flag that ended (a lifted sanction, a delisting) no longer holds.
                let facts: Vec<Fact> = e
                    .flags
                    .iter()
                    .filter(|f| !matches!(f.status, ClaimStatus::Refuted))
                    .filter(|f| !f.ended(&self.today))
                    .filter(|f| mentions(f.kind.label(), words).is_some())
                    .map(|f| {
                        let mut text = format!(
                            "{name} is flagged “{}” ({})",
                            f.kind.label(),
                            f.status.label().to_lowercase()
                        );
                        let detail = f.describe();
                        if !detail.is_empty() {
                            let _ = write!(text, ": {detail}");
                        }
                        Fact::new(text, vec![ent(id)])
                    })
                    .collect();
                (!facts.is_empty()).then_some(facts)
            }
            EntityTest::Attribute { keys, contains } => {
                let (key, value) = e.attributes.iter().find(|(k, v)| {
                    (keys.is_empty() || keys.iter().any(|x| x.eq_ignore_ascii_case(k)))
                        && mentions(v, contains).is_some()
                })?;
                Some(vec![Fact::new(
                    format!("{name}'s {key} is “{value}”"),
                    vec![ent(id)],
                )])
            }
            EntityTest::AttributeLacks { keys, words } => {
                let (key, value) = e
                    .attributes
                    .iter()
                    .find(|(k, _)| keys.iter().any(|x| x.eq_ignore_ascii_case(k)))?;
                mentions(value, words).is_none().then(|| {
                    vec![Fact::new(
                        format!(
                            "{name}'s {key} (“{value}”) mentions none of {}",
                            join_words(words)
                        ),
                        vec![ent(id)],
                    )]
                })
            }
            EntityTest::AttributeAtMost { keys, max } => {
                let (key, value, n) = e.attributes.iter().find_map(|(k, v)| {
                    if !keys.iter().any(|x| x.eq_ignore_ascii_case(k)) {
                        return None;
                    }
                    let digits: String = v
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_digit() || *c == '.')
                        .collect();
                    let n: f64 = digits.parse().ok()?;
                    Some((k, v, n))
                })?;
                (n <= *max).then(|| {
                    vec![Fact::new(
                        format!("{name}'s {key} is “{value}”"),
                        vec![ent(id)],
                    )]
                })
            }
            EntityTest::NameContains(words) => {
                let word = std::iter::once(&e.name)
                    .chain(&e.aliases)
                    .find_map(|n| mentions(n, words))?;
                Some(vec![Fact::new(
                    format!("the name {name} contains “{word}”"),
                    vec![ent(id)],
                )])
            }
            EntityTest::ActsAsForwarder => {
                let forwarder = self.d.forwarders.contains(id);
                let represents = self.d.represents_as_forwarder.contains(id);
                (forwarder || represents).then(|| {
                    vec![Fact::new(
                        format!(
                            "{name} acts as a freight forwarder ({})",
                            if forwarder {
                                "it forwards shipments in this case"
                            } else {
                                "it represents a party as forwarder"
                            }
                        ),
                        vec![ent(id)],
                    )]
                })
            }
            EntityTest::FormedAfter(date) => {
                let start = e.start.as_ref()?;
                (start.days_since_epoch() > date.days_since_epoch()).then(|| {
                    vec![Fact::new(
                        format!("{name} was formed on {start}, after {date}"),
                        vec![ent(id)],
                    )]
                })
            }
            EntityTest::ResidentialAddress => self.residential(e),
            EntityTest::NoStreetAddress => {
                let own = !e.address.street.trim().is_empty();
                let at = self
                    .d
                    .located_at
                    .get(id)
                    .into_iter()
                    .flatten()
                    .any(|(_, t)| {
                        self.case.entities.get(*t).is_some_and(|t| {
                            !t.address.street.trim().is_empty()
                                || (t.kind == EntityKind::Address && !t.name.trim().is_empty())
                        })
                    });
                (!own && !at).then(|| {
                    vec![Fact::new(
                        format!("no street address is known for {name}"),
                        vec![ent(id)],
                    )]
                })
            }
            EntityTest::ControlChangedBeforeFirstShipment {
                within_days,
                min_age_years,
            } => self.control_changed(e, *within_days, *min_age_years),
            EntityTest::ReceivedAtLeast { amount, currency } => {
                let total = self
                    .d
                    .received
                    .get(id)?
                    .iter()
                    .find(|(c, _)| c.eq_ignore_ascii_case(currency))
                    .map(|(_, v)| *v)?;
                (total >= *amount).then(|| {
                    vec![Fact::new(
                        format!(
                            "{name} received goods declared at {} as consignee",
                            format_money(total, currency)
                        ),
                        vec![ent(id)],
                    )]
                })
            }
        }
    }

    fn residential(&self, e: &Entity) -> Outcome {
        let id = &e.id;
        let mut facts = Vec::new();
        if e.address.residential {
            facts.push(Fact::new(
                format!("{}'s address is residential", e.name),
                vec![ent(id)],
            ));
        }
        for (link, target) in self.d.located_at.get(id).into_iter().flatten() {
            if let Some(t) = self.case.entities.get(*target)
                && (t.address.residential
                    || t.flags.iter().any(|f| {
                        f.kind == crate::model::FlagKind::ResidentialAddress
                            && f.status != ClaimStatus::Refuted
                    }))
            {
                facts.push(Fact::new(
                    format!("{} is located at {}, a residential address", e.name, t.name),
                    vec![ent(id), ent(target), ItemRef::Link(link.id.clone())],
                ));
            }
        }
        if facts.is_empty()
            && let Some(f) = e.flags.iter().find(|f| {
                f.kind == crate::model::FlagKind::ResidentialAddress
                    && f.status != ClaimStatus::Refuted
            })
        {
            facts.push(Fact::new(
                format!(
                    "{} is flagged as at a residential address ({})",
                    e.name, f.detail
                ),
                vec![ent(id)],
            ));
        }
        (!facts.is_empty()).then_some(facts)
    }

    fn owned_from(&self, id: &EntityId, group: &str, min_percent: f64) -> Outcome {
        let countries = self.set.group(group)?;
        // Breadth-first up the ownership chain, keeping the links that lead to each owner.
        let mut frontier: Vec<(&EntityId, Vec<ItemRef>)> = vec![(id, Vec::new())];
        let mut seen: BTreeSet<&EntityId> = BTreeSet::from([id]);
        for _ in 0..6 {
            let mut next = Vec::new();
            for (x, chain) in frontier {
                for (link, owner, percent) in self.d.owners.get(x).into_iter().flatten() {
                    if percent.is_some_and(|p| p < min_percent) || !seen.insert(owner) {
                        continue;
                    }
                    let mut chain = chain.clone();
                    chain.push(ItemRef::Link(link.id.clone()));
                    if let Some(c) = self
                        .case
                        .entities
                        .get(*owner)
                        .and_then(|o| o.country.as_ref())
                        && countries.contains(c.as_str())
                    {
                        let share = percent
                            .map_or_else(|| "an unknown share".to_owned(), |p| format!("{p}%"));
                        let mut items = vec![ent(id), ent(owner)];
                        items.extend(chain);
                        return Some(vec![Fact::new(
                            format!(
                                "{} is owned ({share}{}) by {}, in {}, in {}",
                                self.name(id),
                                if x == id { "" } else { ", indirectly" },
                                self.name(owner),
                                self.set.country_label(c.as_str()),
                                self.set.group_label(group)
                            ),
                            items,
                        )]);
                    }
                    next.push((*owner, chain));
                }
            }
            frontier = next;
        }
        None
    }

    fn control_changed(&self, e: &Entity, within_days: i64, min_age_years: i64) -> Outcome {
        let id = &e.id;
        let first = self
            .d
            .roles_of
            .get(id)?
            .iter()
            .filter(|(r, _)| matches!(r, Role::Shipper | Role::Consignee))
            .filter_map(|(_, s)| s.first_date().map(|d| (d.days_since_epoch(), *s)))
            .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)))?;
        let formed = e.start.as_ref()?;
        for l in self.d.control_links.get(id).into_iter().flatten() {
            let Some(start) = &l.start else { continue };
            let changed = start.days_since_epoch();
            let before = first.0 - changed;
            let age_years = (changed - formed.days_since_epoch()) / 365;
            if (0..=within_days).contains(&before) && age_years >= min_age_years {
                let how = match l.kind {
                    LinkKind::Ownership { percent: Some(p) } => format!("took {p}% of"),
                    LinkKind::Ownership { percent: None } => "took a share in".to_owned(),
                    _ => "became a director of".to_owned(),
                };
                return Some(vec![Fact::new(
                    format!(
                        "{} {how} {} on {start}, when the company was {age_years} years old, {before} days before its first shipment ({})",
                        self.name(&l.from),
                        e.name,
                        shipment_label(first.1)
                    ),
                    vec![
                        ent(id),
                        ItemRef::Link(l.id.clone()),
                        ItemRef::Shipment(first.1.id.clone()),
                    ],
                )]);
            }
        }
        None
    }

    fn goods(&self, test: &GoodsTest, s: &Shipment, i: usize, g: &GoodsLine) -> Outcome {
        let product = g.product.as_ref().and_then(|p| self.case.entities.get(p));
        let what = product.map_or_else(|| format!("“{}”", g.description), |p| p.name.clone());
        let product_items = || product.map(|p| vec![ent(&p.id)]).unwrap_or_default();
        match test {
            GoodsTest::All(list) => {
                let mut facts = Vec::new();
                for t in list {
                    facts.extend(self.goods(t, s, i, g)?);
                }
                Some(facts)
            }
            GoodsTest::Any(list) => {
                let mut facts = Vec::new();
                let mut any = false;
                for t in list {
                    if let Some(f) = self.goods(t, s, i, g) {
                        any = true;
                        facts.extend(f);
                    }
                }
                any.then_some(facts)
            }
            GoodsTest::Not(t) => match self.goods(t, s, i, g) {
                Some(_) => None,
                None => Some(Vec::new()),
            },
            GoodsTest::Eccn(prefixes) => {
                let declared = g.eccn.trim();
                let of_product = product.map_or("", |p| p.product.eccn.trim());
                let hit = |code: &str| {
                    !code.is_empty()
                        && prefixes.iter().any(|p| {
                            let p = p.trim_end_matches('*');
                            code.to_uppercase().starts_with(&p.to_uppercase())
                        })
                };
                let code = if hit(declared) {
                    declared
                } else if hit(of_product) {
                    of_product
                } else {
                    return None;
                };
                Some(vec![Fact::new(
                    format!("it carries {what}, ECCN {code}"),
                    product_items(),
                )])
            }
            GoodsTest::HsMismatch { digits } => {
                let p = product?;
                let (declared, expected) = (hs_digits(&g.hs_code), hs_digits(&p.product.hs_code));
                let n = (*digits).max(2);
                if declared.len() < n || expected.len() < n || declared[..n] == expected[..n] {
                    return None;
                }
                Some(vec![Fact::new(
                    format!(
                        "{what} is declared under HS {} although the product is classified under HS {}",
                        g.hs_code, p.product.hs_code
                    ),
                    product_items(),
                )])
            }
            GoodsTest::DescriptionInconsistent { misleading } => {
                let p = product?;
                let description = g.description.to_lowercase();
                if description.trim().is_empty() {
                    return None;
                }
                let models = model_tokens(p);
                if models.iter().any(|m| description.contains(m.as_str())) {
                    return None;
                }
                let misleading_word = mentions(&description, misleading);
                let shared = plain_words(&description)
                    .intersection(&plain_words(&format!("{} {}", p.name, p.product.model)))
                    .count();
                if misleading_word.is_none() && shared > 0 {
                    return None;
                }
                let why = misleading_word.map_or_else(
                    || "shares no word with the product's name".to_owned(),
                    |w| format!("uses the word “{w}”"),
                );
                Some(vec![Fact::new(
                    format!(
                        "the goods believed to be {what} are described as “{}”, which names no model number and {why}",
                        g.description
                    ),
                    product_items(),
                )])
            }
            GoodsTest::UnitValueFarBelow { ratio } => {
                let p = product?;
                let (currency, uv) = unit_value(g)?;
                let mut others: Vec<f64> = self
                    .d
                    .unit_values
                    .get(&p.id)?
                    .iter()
                    .filter(|(c, _, other, j)| *c == currency && !(other.id == s.id && *j == i))
                    .map(|(_, v, _, _)| *v)
                    .collect();
                let reference = median(&mut others)?;
                (uv < ratio * reference).then(|| {
                    vec![Fact::new(
                        format!(
                            "{what} is declared at {} a unit, {:.0}% of the {} median elsewhere in the case",
                            format_money(uv, currency),
                            100.0 * uv / reference,
                            format_money(reference, currency)
                        ),
                        product_items(),
                    )]
                })
            }
            GoodsTest::OriginChangedSinceReceipt => {
                let p = product?;
                let origin = g.origin.as_ref()?;
                let shipper = s.shipper.as_ref()?;
                let places = self
                    .d
                    .located_at
                    .get(shipper)
                    .into_iter()
                    .flatten()
                    .map(|(_, t)| *t);
                let mut inbound: Vec<&Shipment> = std::iter::once(shipper)
                    .chain(places)
                    .filter_map(|r| self.d.received_by.get(r))
                    .flatten()
                    .copied()
                    .collect();
                inbound.sort_by(|a, b| a.id.cmp(&b.id));
                inbound.dedup_by(|a, b| a.id == b.id);
                let before = shipment_order(s);
                let mut received: Vec<(&Shipment, &str)> = Vec::new();
                for other in inbound {
                    if other.id == s.id || shipment_order(other) >= before {
                        continue;
                    }
                    for line in &other.goods {
                        if line.product.as_ref() == Some(&p.id)
                            && let Some(o) = &line.origin
                        {
                            received.push((other, o.as_str()));
                        }
                    }
                }
                if received.is_empty() || received.iter().any(|(_, o)| *o == origin.as_str()) {
                    return None;
                }
                let earlier: BTreeSet<String> = received
                    .iter()
                    .map(|(_, o)| self.set.country_label(o))
                    .collect();
                let refs: Vec<String> = received
                    .iter()
                    .map(|(x, _)| shipment_label(x))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let mut items = product_items();
                items.extend(
                    received
                        .iter()
                        .map(|(x, _)| ItemRef::Shipment(x.id.clone())),
                );
                Some(vec![Fact::new(
                    format!(
                        "{what} is declared as made in {}, but {} received it declared as made in {} ({})",
                        self.set.country_label(origin.as_str()),
                        self.name(shipper),
                        earlier.into_iter().collect::<Vec<_>>().join(" or "),
                        refs.join(", ")
                    ),
                    items,
                )])
            }
        }
    }

    /// Evidence supporting any of `items`, in id order.
    fn evidence_for(&self, items: &[ItemRef]) -> Vec<EvidenceId> {
        let mut out: Vec<EvidenceId> = items
            .iter()
            .filter_map(|i| self.d.evidence_for.get(i))
            .flatten()
            .map(|e| e.id.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn placeholders(&self, template: &str, subject: &Subject) -> String {
        let mut out = template.to_owned();
        let mut fill = |key: &str, value: String| {
            let key = format!("{{{key}}}");
            if out.contains(&key) {
                out = out.replace(&key, &value);
            }
        };
        match subject {
            Subject::Shipment(s) => {
                fill("shipment", shipment_label(s));
                let party = |p: &Option<EntityId>| {
                    p.as_ref()
                        .map_or_else(|| "an unknown party".to_owned(), |id| self.name(id))
                };
                fill("shipper", party(&s.shipper));
                fill("consignee", party(&s.consignee));
                fill("route", route_countries(s).join(" → "));
            }
            Subject::Entity(e) => fill("entity", e.name.clone()),
        }
        out
    }
}

/// What one rule is checked against.
enum Subject<'a> {
    Shipment(&'a Shipment),
    Entity(&'a Entity),
}

impl Subject<'_> {
    fn item(&self) -> ItemRef {
        match self {
            Subject::Shipment(s) => ItemRef::Shipment(s.id.clone()),
            Subject::Entity(e) => ItemRef::Entity(e.id.clone()),
        }
    }
}

/// Upper-cases the first letter.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Evidence supporting any of `items`, in id order.
pub fn evidence_for_items(case: &Case, items: &[ItemRef]) -> Vec<EvidenceId> {
    let wanted: BTreeSet<&ItemRef> = items.iter().collect();
    case.evidence
        .values()
        .filter(|ev| {
            ev.supports
                .iter()
                .any(|s| s.target.as_ref().is_some_and(|t| wanted.contains(t)))
        })
        .map(|ev| ev.id.clone())
        .collect()
}

/// Checks every enabled rule against the case as it stands on `today` (a flag whose end date
/// has passed, such as a lifted sanction, no longer counts). Findings come most severe first,
/// then in rule order, then by subject id; dismissed findings are included, with their reason.
/// `today` is an argument so that evaluation stays a pure function of its inputs: callers
/// pass [`PartialDate::today`].
pub fn evaluate(case: &Case, rules: &RuleSet, today: &PartialDate) -> Vec<Finding> {
    let eval = Eval {
        case,
        set: rules,
        d: Derived::new(case),
        today: today.clone(),
    };
    let mut found: Vec<(usize, Finding)> = Vec::new();
    for (order, rule) in rules.rules.iter().enumerate().filter(|(_, r)| r.enabled) {
        let subjects: Vec<Subject> = match rule.scope {
            Scope::Shipment => case.shipments.values().map(Subject::Shipment).collect(),
            Scope::Entity => case.entities.values().map(Subject::Entity).collect(),
        };
        for subject in subjects {
            let Some(facts) = eval.eval(&rule.when, &subject) else {
                continue;
            };
            let item = subject.item();
            let mut items = vec![item.clone()];
            let mut seen: BTreeSet<ItemRef> = BTreeSet::from([item.clone()]);
            let mut reasons: Vec<String> = Vec::new();
            for f in facts {
                for i in f.items {
                    if seen.insert(i.clone()) {
                        items.push(i);
                    }
                }
                if !f.text.is_empty() && !reasons.contains(&f.text) {
                    reasons.push(f.text);
                }
            }
            let mut explanation = eval.placeholders(&rule.explain, &subject);
            if !reasons.is_empty() {
                if !explanation.is_empty() && !explanation.ends_with(' ') {
                    explanation.push(' ');
                }
                let body = reasons.join("; ");
                if explanation.is_empty() {
                    explanation = sentence(&body);
                } else {
                    explanation.push_str(&sentence(&body));
                }
                if !explanation.ends_with('.') {
                    explanation.push('.');
                }
            }
            let key = finding_key(&rule.id, &item);
            found.push((
                order,
                Finding {
                    dismissed: case.dismissal(&key).map(|d| d.reason.clone()),
                    key,
                    rule_id: rule.id.clone(),
                    severity: rule.severity,
                    title: rule.title.clone(),
                    explanation,
                    evidence: eval.evidence_for(&items),
                    subject: item,
                    items,
                },
            ));
        }
    }
    found.sort_by(|(oa, a), (ob, b)| {
        b.severity
            .cmp(&a.severity)
            .then(oa.cmp(ob))
            .then_with(|| a.subject.cmp(&b.subject))
    });
    found.into_iter().map(|(_, f)| f).collect()
}
