//! Import of `FollowTheMoney` entity files: one JSON object per line,
//! `{"id": ..., "schema": "Person", "properties": {"name": ["..."], ...}}`, every property a
//! list of strings (nested entities, as some exports write them, are read by their id).
//!
//! What maps to the case model: parties and things become entities; Ownership, Directorship,
//! Employment, Membership, Family, Associate, Representation, Payment and `UnknownLink` become
//! links; Sanction becomes a flag on its entity with its authority, programme, start and end
//! dates, reason and source URL as fields (an ended sanction shows as *formerly* sanctioned;
//! a listing is *reported* by its authority, never *proven*); Passport and Identification
//! become identifiers; `EconomicActivity` (a customs declaration) becomes a shipment; Document
//! becomes an evidence reference and Documentation the claims it supports.
//!
//! Nothing is dropped without a word: every property value is either carried into a field,
//! or kept as an attribute (`ftm:<property>`, for entities) or in the description (links,
//! shipments, evidence, flags), counted in the summary by `Schema.property`; values that
//! cannot be carried (a reference to an entity not in the file, a percentage of 150, an
//! amount of NaN) are counted by property with the reason and where they were read. Two
//! records with one id are united (properties merged) or, with different schemata, the later
//! is left out and listed.

use super::{ImportError, ImportSummary, Staging};
use crate::edit::{Edit, Item};
use crate::io::export::ftm::{CasePayload, PAYLOAD_FIELD};
use crate::model::{
    Case, ClaimStatus, ClaimSupport, CountryCode, Entity, EntityId, EntityKind, Evidence,
    EvidenceId, EvidenceKind, EvidenceSource, Flag, FlagKind, GoodsLine, Identifier,
    IdentifierScheme, ItemRef, Leg, Link, LinkId, LinkKind, Money, PartialDate, Place, Shipment,
    ShipmentId, ShipmentStatus,
};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Longest line read (a single FtM entity); longer lines are refused, not truncated.
const MAX_LINE_BYTES: usize = 4 << 20;

/// Largest amount accepted (as the case validation does): beyond any real trade.
const MAX_AMOUNT: f64 = 1e15;

/// Record fields besides `properties` that say nothing about the party (`caption` repeats
/// one of its names).
const PLAIN_FIELDS: &[&str] = &["id", "schema", "properties", "datasets", "caption"];

/// One parsed FtM record. Readers mark the property values they carry, so what is left can
/// be kept elsewhere or reported.
#[derive(Debug)]
pub(crate) struct Record {
    line: usize,
    id: String,
    schema: String,
    props: BTreeMap<String, Vec<String>>,
    datasets: Vec<String>,
    /// Other top-level fields (`referents`, `first_seen` ...), as text.
    top: BTreeMap<String, String>,
    /// (property, value index) carried so far.
    used: RefCell<BTreeSet<(String, usize)>>,
    /// Chokepoint's own record of the item, from a Chokepoint export (see
    /// [`crate::io::export::ftm::PAYLOAD_FIELD`]).
    payload: Option<Value>,
}

impl Record {
    fn mark(&self, prop: &str, index: usize) {
        self.used.borrow_mut().insert((prop.to_owned(), index));
    }

    /// Every value of a property, all marked as carried.
    fn all(&self, prop: &str) -> &[String] {
        let values = self.peek_all(prop);
        for i in 0..values.len() {
            self.mark(prop, i);
        }
        values
    }

    fn peek_all(&self, prop: &str) -> &[String] {
        self.props.get(prop).map_or(&[], Vec::as_slice)
    }

    /// The first value of a property, without marking it.
    fn peek(&self, prop: &str) -> Option<&str> {
        self.peek_all(prop).first().map(String::as_str)
    }

    /// The first value of a property, marked as carried.
    fn first(&self, prop: &str) -> Option<&str> {
        let v = self.peek(prop)?;
        self.mark(prop, 0);
        Some(v)
    }

    fn first_of(&self, props: &[&str]) -> Option<&str> {
        props.iter().find_map(|p| self.first(p))
    }

    /// Marks every value of `props` that reads as `accept` says equal to the chosen one.
    fn mark_equal<T: PartialEq>(
        &self,
        props: &[&str],
        chosen: &T,
        read: impl Fn(&str) -> Option<T>,
    ) {
        for p in props {
            for (i, v) in self.peek_all(p).iter().enumerate() {
                if read(v).as_ref() == Some(chosen) {
                    self.mark(p, i);
                }
            }
        }
    }

    /// The first value of `props` that reads as a date; it and its repeats are carried,
    /// other values stay for the caller to keep elsewhere.
    fn date(&self, props: &[&str]) -> Option<PartialDate> {
        let d = props
            .iter()
            .flat_map(|p| self.peek_all(p))
            .find_map(|d| parse_date(d))?;
        self.mark_equal(props, &d, parse_date);
        Some(d)
    }

    fn country(&self, props: &[&str]) -> Option<CountryCode> {
        let c = props
            .iter()
            .flat_map(|p| self.peek_all(p))
            .find_map(|c| c.parse::<CountryCode>().ok())?;
        self.mark_equal(props, &c, |t| t.parse().ok());
        Some(c)
    }

    /// Values not carried, by property (except `except`), in property order.
    fn leftovers(&self, except: &[&str]) -> Vec<(&str, Vec<&str>)> {
        let used = self.used.borrow();
        self.props
            .iter()
            .filter(|(p, _)| !except.contains(&p.as_str()))
            .filter_map(|(p, values)| {
                let left: Vec<&str> = values
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !used.contains(&(p.clone(), *i)))
                    .map(|(_, v)| v.as_str())
                    .collect();
                (!left.is_empty()).then_some((p.as_str(), left))
            })
            .collect()
    }

    fn where_(&self) -> String {
        format!("line {} ({} {})", self.line, self.schema, self.id)
    }

    /// Lines "property: values" for what is left, each counted as kept under
    /// `Schema.property`: for descriptions of links, shipments, evidence and flags.
    fn leftover_lines(&self, staging: &mut Staging<'_>, except: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for (prop, values) in self.leftovers(except) {
            staging.kept(&format!("{}.{prop}", self.schema));
            out.push(format!("{prop}: {}", values.join("; ")));
        }
        out
    }

    /// Reports every property of a record that is left out.
    fn not_carried(&self, staging: &mut Staging<'_>, why: &str) {
        for (prop, values) in &self.props {
            for v in values {
                staging.not_carried(&format!("{}.{prop}", self.schema), why, || {
                    format!("line {}: {}", self.line, shorten(v))
                });
            }
        }
    }
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= 60 {
        format!("“{text}”")
    } else {
        format!("“{}…”", text.chars().take(59).collect::<String>())
    }
}

/// Reads an FtM date ("2022", "2022-06", "2022-06-03", "2022-06-03T10:00:00") at the
/// precision it gives.
fn parse_date(text: &str) -> Option<PartialDate> {
    let t = text.trim();
    let date = t.split('T').next().unwrap_or(t);
    date.parse().ok()
}

/// Reads an FtM amount: a finite number from 0 up to any real trade, thousands commas
/// allowed. The error says in plain words why not.
fn parse_amount(text: &str) -> Result<f64, &'static str> {
    let n: f64 = text
        .replace(',', "")
        .trim()
        .parse()
        .map_err(|_| "not a number")?;
    if !n.is_finite() {
        Err("not a finite number")
    } else if n < 0.0 {
        Err("negative")
    } else if n > MAX_AMOUNT {
        Err("beyond any real amount (more than 10^15)")
    } else {
        Ok(n)
    }
}

/// Values of a property: strings as they are, nested entities by their id; blanks dropped.
fn strings(value: &Value) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(o) => o.get("id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    };
    let all: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    };
    all.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// Splits FtM text into records. A line that is not a JSON object with an id and a schema is
/// an error naming the line: the file is not an FtM file, and guessing would lose data.
pub(crate) fn parse_records(text: &str) -> Result<Vec<Record>, ImportError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        if raw.len() > MAX_LINE_BYTES {
            return Err(ImportError::Syntax {
                line,
                message: format!("the line has {} bytes; at most {MAX_LINE_BYTES}", raw.len()),
            });
        }
        let value: Value = serde_json::from_str(raw).map_err(|e| ImportError::Syntax {
            line,
            message: format!("not valid JSON ({e})"),
        })?;
        let Value::Object(obj) = value else {
            return Err(ImportError::Syntax {
                line,
                message: "expected a JSON object (one FtM entity per line)".to_owned(),
            });
        };
        let field = |name: &str| obj.get(name).and_then(Value::as_str).map(str::to_owned);
        let (Some(id), Some(schema)) = (field("id"), field("schema")) else {
            return Err(ImportError::Syntax {
                line,
                message: "an FtM entity needs an \"id\" and a \"schema\"".to_owned(),
            });
        };
        let mut props = BTreeMap::new();
        if let Some(Value::Object(p)) = obj.get("properties") {
            for (k, v) in p {
                let values = strings(v);
                if !values.is_empty() {
                    props.insert(k.clone(), values);
                }
            }
        }
        let datasets = obj.get("datasets").map(strings).unwrap_or_default();
        let top = obj
            .iter()
            .filter(|(k, _)| !PLAIN_FIELDS.contains(&k.as_str()) && k.as_str() != PAYLOAD_FIELD)
            .filter_map(|(k, v)| {
                let text = match v {
                    Value::Null => return None,
                    Value::String(s) => s.clone(),
                    Value::Array(_) => strings(v).join("; "),
                    other => other.to_string(),
                };
                (!text.trim().is_empty()).then(|| (k.clone(), text))
            })
            .collect();
        out.push(Record {
            line,
            id,
            schema,
            props,
            datasets,
            top,
            used: RefCell::default(),
            payload: obj.get(PAYLOAD_FIELD).filter(|v| !v.is_null()).cloned(),
        });
    }
    Ok(out)
}

/// Records that share an id: of one schema they are one record (properties united, noted in
/// the summary); of different schemata the later is left out and listed. Never both kept.
fn unite_repeated_ids(records: Vec<Record>, staging: &mut Staging<'_>) -> Vec<Record> {
    let mut out: Vec<Record> = Vec::with_capacity(records.len());
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for rec in records {
        let Some(&first) = by_id.get(&rec.id) else {
            by_id.insert(rec.id.clone(), out.len());
            out.push(rec);
            continue;
        };
        let kept = &mut out[first];
        if kept.schema != rec.schema {
            let why = format!(
                "record left out: its id is that of line {} (a {}), and ids must be unique",
                kept.line, kept.schema
            );
            staging.skip(format!("{}: {why}", rec.where_()));
            rec.not_carried(staging, &why);
            continue;
        }
        for (prop, values) in rec.props {
            let list = kept.props.entry(prop).or_default();
            for v in values {
                if !list.contains(&v) {
                    list.push(v);
                }
            }
        }
        for d in rec.datasets {
            if !kept.datasets.contains(&d) {
                kept.datasets.push(d);
            }
        }
        for (k, v) in rec.top {
            kept.top.entry(k).or_insert(v);
        }
        staging.summary.notes.push(format!(
            "line {} repeats the id {} of line {} ({}): the two records were united into one, \
             their properties merged",
            rec.line, kept.id, kept.line, kept.schema
        ));
    }
    out
}

/// The entity kind an FtM thing schema becomes, if it has one.
fn entity_kind(schema: &str) -> Option<EntityKind> {
    Some(match schema {
        "Person" => EntityKind::Person,
        "Company" => EntityKind::Company,
        "Organization" | "LegalEntity" | "PublicBody" => EntityKind::Organization,
        "Address" => EntityKind::Address,
        "Vessel" => EntityKind::Vessel,
        "Airplane" => EntityKind::Aircraft,
        "BankAccount" | "CryptoWallet" => EntityKind::Account,
        "Asset" => EntityKind::Product,
        "RealEstate" => EntityKind::Facility,
        "Event" => EntityKind::Event,
        _ => return None,
    })
}

/// Identifier properties and the scheme each becomes.
fn identifier_scheme(prop: &str) -> Option<IdentifierScheme> {
    Some(match prop {
        "registrationNumber" => IdentifierScheme::Registration,
        "taxNumber" => IdentifierScheme::TaxId,
        "leiCode" => IdentifierScheme::Lei,
        "vatCode" => IdentifierScheme::Vat,
        "swiftBic" | "bic" => IdentifierScheme::Swift,
        "imoNumber" => IdentifierScheme::Imo,
        "passportNumber" => IdentifierScheme::Passport,
        "idNumber" => IdentifierScheme::NationalId,
        "email" => IdentifierScheme::Email,
        "phone" => IdentifierScheme::Phone,
        "website" => IdentifierScheme::Url,
        "accountNumber" | "iban" => IdentifierScheme::AccountNumber,
        "innCode" => IdentifierScheme::Other("INN".to_owned()),
        "ogrnCode" => IdentifierScheme::Other("OGRN".to_owned()),
        "dunsCode" => IdentifierScheme::Other("DUNS".to_owned()),
        "uniqueEntityId" => IdentifierScheme::Other("UEI".to_owned()),
        _ => return None,
    })
}

/// Flags from FtM topics; other topics become tags.
fn topic_flag(topic: &str) -> Option<FlagKind> {
    Some(match topic {
        "sanction" | "sanction.linked" => FlagKind::Sanctioned,
        "export.control" | "debarment" => FlagKind::Listed,
        "corp.shell" => FlagKind::ShellCompany,
        _ => return None,
    })
}

/// Detail of a flag made from an FtM topic (replaced when a Sanction record says more).
const TOPIC_DETAIL: &str = "FtM topic";

fn entity_from(rec: &Record, kind: EntityKind, staging: &mut Staging<'_>) -> Entity {
    let names: Vec<&String> = ["name", "full"].iter().flat_map(|p| rec.all(p)).collect();
    let name = match names.first() {
        Some(n) => (*n).clone(),
        None => address_line(rec).unwrap_or_else(|| rec.id.clone()),
    };
    let mut e = Entity::new(EntityId(rec.id.clone()), kind, name.clone());
    for alias in names.iter().skip(1).copied().chain(
        ["alias", "weakAlias", "previousName", "abbreviation"]
            .iter()
            .flat_map(|p| rec.all(p)),
    ) {
        if *alias != name && !e.aliases.contains(alias) {
            e.aliases.push(alias.clone());
        }
    }
    // One country: the first given; other countries (a second nationality, a different
    // jurisdiction) stay and are kept as attributes below.
    e.country = rec.country(&[
        "country",
        "jurisdiction",
        "mainCountry",
        "nationality",
        "citizenship",
    ]);
    e.start = rec.date(&["incorporationDate", "birthDate", "startDate", "date"]);
    e.end = rec.date(&["dissolutionDate", "deathDate", "endDate"]);
    let notes: Vec<&str> = ["notes", "description", "summary"]
        .iter()
        .flat_map(|p| rec.all(p))
        .map(String::as_str)
        .collect();
    e.notes = notes.join("\n\n");
    if kind == EntityKind::Address {
        e.address.street = [rec.first("street"), rec.first("street2")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        e.address.city = rec.first("city").unwrap_or_default().to_owned();
        e.address.postcode = rec.first("postalCode").unwrap_or_default().to_owned();
    } else if let Some(address) = rec.first("address") {
        // Further address strings stay, kept as the `ftm:address` attribute.
        e.address.street = address.to_owned();
    }
    for topic in rec.all("topics") {
        match topic_flag(topic) {
            Some(kind) => e.flags.push(Flag {
                kind,
                detail: format!("{TOPIC_DETAIL} {topic}"),
                status: ClaimStatus::Reported,
                ..Flag::default()
            }),
            None => e.tags.push(topic.clone()),
        }
    }
    for prop in rec.props.keys() {
        if let Some(scheme) = identifier_scheme(prop) {
            for v in rec.all(prop) {
                e.identifiers.push(Identifier {
                    scheme: scheme.clone(),
                    value: v.clone(),
                    issuer: None,
                });
            }
        }
    }
    // Everything else is kept as an attribute; `addressEntity` becomes links later.
    for (prop, values) in rec.leftovers(&["addressEntity"]) {
        e.attributes
            .insert(format!("ftm:{prop}"), values.join("; "));
        staging.kept(&format!("{}.{prop}", rec.schema));
    }
    if !rec.datasets.is_empty() {
        e.attributes
            .insert("ftm:datasets".to_owned(), rec.datasets.join("; "));
    }
    for (k, v) in &rec.top {
        e.attributes.insert(format!("ftm:{k}"), v.clone());
        staging.kept(&format!("(record) {k}"));
    }
    e.attributes.insert("ftm:id".to_owned(), rec.id.clone());
    e
}

fn address_line(rec: &Record) -> Option<String> {
    let parts: Vec<&str> = ["street", "city", "postalCode"]
        .iter()
        .filter_map(|p| rec.peek(p))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The link an FtM interval schema becomes: (kind, from property, to property), and text
/// for the description about values that could not be carried into the kind.
fn link_shape(
    rec: &Record,
    staging: &mut Staging<'_>,
) -> Option<(LinkKind, &'static str, &'static str, Vec<String>)> {
    let role = || {
        rec.first_of(&["role", "relationship"])
            .unwrap_or_default()
            .to_owned()
    };
    let mut notes = Vec::new();
    let shape = match rec.schema.as_str() {
        "Ownership" => {
            let percent = rec.peek("percentage").and_then(|p| {
                let reading = p
                    .trim()
                    .trim_end_matches('%')
                    .trim()
                    .parse::<f64>()
                    .map_err(|_| "not a number")
                    .and_then(|n| {
                        if (0.0..=100.0).contains(&n) {
                            Ok(n)
                        } else {
                            Err("outside 0–100")
                        }
                    });
                rec.mark("percentage", 0);
                match reading {
                    Ok(n) => Some(n),
                    Err(why) => {
                        staging.not_carried(
                            "Ownership.percentage",
                            &format!("{why}: not a share; kept as text in the link's description"),
                            || format!("line {}: {}", rec.line, shorten(p)),
                        );
                        notes.push(format!("Percentage given as “{p}” ({why})"));
                        None
                    }
                }
            });
            (LinkKind::Ownership { percent }, "owner", "asset")
        }
        "Directorship" => (
            LinkKind::Directorship { role: role() },
            "director",
            "organization",
        ),
        "Employment" => (
            LinkKind::Employment { role: role() },
            "employee",
            "employer",
        ),
        "Membership" => (
            LinkKind::Other(match rec.first("role") {
                Some(r) => format!("member ({r})"),
                None => "member".to_owned(),
            }),
            "member",
            "organization",
        ),
        "Family" => (LinkKind::Family { relation: role() }, "person", "relative"),
        "Associate" => (LinkKind::Associate, "person", "associate"),
        "Representation" => (LinkKind::Representation { role: role() }, "agent", "client"),
        "Payment" => (
            LinkKind::Payment {
                amount: payment_amount(rec, staging, &mut notes),
                date: rec.date(&["date", "startDate"]),
            },
            "payer",
            "beneficiary",
        ),
        "UnknownLink" => (
            match rec.first("role").map(str::trim) {
                Some("supplies to") => LinkKind::SuppliesTo,
                Some("manufactured by") => LinkKind::ManufacturedBy,
                Some("located at") => LinkKind::LocatedAt,
                Some("communication") => LinkKind::Communication,
                Some("possibly same as") => LinkKind::PossiblySameAs,
                Some("associate") | None => LinkKind::Associate,
                Some(other) => LinkKind::Other(other.to_owned()),
            },
            "subject",
            "object",
        ),
        _ => return None,
    };
    Some((shape.0, shape.1, shape.2, notes))
}

/// A payment's amount: `amount` in `currency`, else `amountEur` or `amountUsd`. An amount
/// without a currency goes into the description (a case's money always names its currency);
/// one that is not a real amount (NaN, 1e400, −1) too, and is reported.
fn payment_amount(
    rec: &Record,
    staging: &mut Staging<'_>,
    notes: &mut Vec<String>,
) -> Option<Money> {
    let (prop, currency) = if rec.peek("amount").is_some() {
        (
            "amount",
            rec.peek("currency").map(|c| c.trim().to_ascii_uppercase()),
        )
    } else if rec.peek("amountEur").is_some() {
        ("amountEur", Some("EUR".to_owned()))
    } else if rec.peek("amountUsd").is_some() {
        ("amountUsd", Some("USD".to_owned()))
    } else {
        return None;
    };
    let text = rec.first(prop)?;
    match parse_amount(text) {
        Ok(amount) => {
            if let Some(currency) = currency.filter(|c| !c.is_empty()) {
                if prop == "amount" {
                    rec.mark("currency", 0);
                }
                Some(Money { amount, currency })
            } else {
                notes.push(format!("Amount {text} (currency not given)"));
                None
            }
        }
        Err(why) => {
            staging.not_carried(
                &format!("Payment.{prop}"),
                &format!("{why}: not an amount; kept as text in the link's description"),
                || format!("line {}: {}", rec.line, shorten(text)),
            );
            notes.push(format!("Amount given as “{text}” ({why})"));
            None
        }
    }
}

/// Imports FtM text into `case`: the edit that adds it (one undo step) and a summary.
pub fn import(text: &str, case: &Case) -> Result<(Edit, ImportSummary), ImportError> {
    let records = parse_records(text)?;
    if records.iter().any(|r| r.payload.is_some()) {
        return import_with_payloads(records, case);
    }
    import_records(records, case)
}

/// What a Chokepoint export's records carry, decoded.
#[derive(Default)]
struct Restored {
    entities: Vec<Entity>,
    links: Vec<Link>,
    shipments: Vec<Shipment>,
    evidence: Vec<Evidence>,
    case: Option<CasePayload>,
}

impl Restored {
    fn read(&mut self, rec: &Record, payload: &Value) -> Result<(), ImportError> {
        let bad = |what: &str, e: &dyn std::fmt::Display| ImportError::Syntax {
            line: rec.line,
            message: format!("the \"{PAYLOAD_FIELD}\" field does not hold a valid {what}: {e}"),
        };
        let Value::Object(obj) = payload else {
            return Err(bad("record", &"expected an object"));
        };
        for (key, value) in obj {
            let value = value.clone();
            match key.as_str() {
                "entity" => self
                    .entities
                    .push(serde_json::from_value(value).map_err(|e| bad("entity", &e))?),
                "link" => self
                    .links
                    .push(serde_json::from_value(value).map_err(|e| bad("link", &e))?),
                "shipment" => self
                    .shipments
                    .push(serde_json::from_value(value).map_err(|e| bad("shipment", &e))?),
                "evidence" => self
                    .evidence
                    .push(serde_json::from_value(value).map_err(|e| bad("evidence", &e))?),
                "case" => {
                    let mut c: CasePayload =
                        serde_json::from_value(value).map_err(|e| bad("case record", &e))?;
                    self.entities.append(&mut c.entities);
                    self.links.append(&mut c.links);
                    self.case = Some(c);
                }
                "derived" => {}
                other => return Err(bad("record", &format!("unknown key {other:?}"))),
            }
        }
        Ok(())
    }
}

/// Ids for restored items: their own when free in the case, else (when the case holds a
/// different item under it) a fresh one.
struct IdPlan<'a> {
    case: &'a Case,
    taken: BTreeSet<String>,
}

impl IdPlan<'_> {
    fn claim(&mut self, id: &str) -> String {
        if self.case.id_in_use(id).is_none() && self.taken.insert(id.to_owned()) {
            return id.to_owned();
        }
        let mut n = 2;
        loop {
            let candidate = format!("{id}-{n}");
            if self.case.id_in_use(&candidate).is_none() && self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// Imports a Chokepoint export: every item as its `chokepoint` field holds it, ids kept where
/// free (an item the case already holds as it is is not added twice), and the case record's
/// title, notes, groups, views, positions, custody log and dismissals when the case is empty.
/// Records without the field (added by another tool) are imported as plain FtM after them.
fn import_with_payloads(
    records: Vec<Record>,
    case: &Case,
) -> Result<(Edit, ImportSummary), ImportError> {
    let total = records.len();
    let mut restored = Restored::default();
    let mut plain = Vec::new();
    for rec in records {
        match &rec.payload {
            Some(p) => restored.read(&rec, p)?,
            None => plain.push(rec),
        }
    }
    let empty = case.entities.is_empty()
        && case.links.is_empty()
        && case.shipments.is_empty()
        && case.evidence.is_empty();
    let mut ids = IdPlan {
        case,
        taken: BTreeSet::new(),
    };
    let mut summary = ImportSummary {
        records: total,
        ..ImportSummary::default()
    };
    let mut edits = Vec::new();
    let mut entity_ids: HashMap<EntityId, EntityId> = HashMap::new();
    let mut unchanged = 0;
    for mut e in restored.entities {
        if case.entities.get(&e.id) == Some(&e) {
            unchanged += 1;
            continue;
        }
        let id = EntityId(ids.claim(e.id.as_str()));
        if id != e.id {
            entity_ids.insert(e.id.clone(), id.clone());
        }
        e.id = id;
        summary.entities_added += 1;
        edits.push(Edit::Insert(Item::from(e)));
    }
    let mut item_ids: HashMap<ItemRef, ItemRef> = HashMap::new();
    let mut items: Vec<Item> = Vec::new();
    items.extend(restored.links.into_iter().map(Item::from));
    items.extend(restored.shipments.into_iter().map(Item::from));
    items.extend(restored.evidence.into_iter().map(Item::from));
    let mut staged: Vec<Item> = Vec::new();
    for mut item in items {
        for r in super::entity_refs_mut(&mut item) {
            if let Some(new) = entity_ids.get(r) {
                *r = new.clone();
            }
        }
        let old = item.item_ref();
        if case.item(&old).as_ref() == Some(&item) {
            unchanged += 1;
            continue;
        }
        let id = ids.claim(old.id_str());
        if id != old.id_str() {
            let new = rename_item(&mut item, &id);
            item_ids.insert(old, new);
        }
        staged.push(item);
    }
    for mut item in staged {
        if let Item::Evidence(ev) = &mut item {
            for s in &mut ev.supports {
                if let Some(t) = s.target.as_mut()
                    && let Some(new) = item_ids.get(t)
                {
                    *t = new.clone();
                }
            }
        }
        match &item {
            Item::Link(_) => summary.links_added += 1,
            Item::Shipment(_) => summary.shipments_added += 1,
            Item::Evidence(_) => summary.evidence_added += 1,
            _ => {}
        }
        edits.push(Edit::Insert(item));
    }
    if let Some(c) = restored.case {
        let positions: Vec<_> = c
            .positions
            .into_iter()
            .map(|(id, p)| (entity_ids.get(&id).cloned().unwrap_or(id), Some(p)))
            .collect();
        if !positions.is_empty() {
            edits.push(Edit::SetPositions(positions));
        }
        if empty {
            edits.push(Edit::SetMeta(Box::new(c.meta)));
            edits.extend(c.notes.into_iter().map(|n| Edit::Insert(Item::from(n))));
            edits.extend(c.groups.into_iter().map(|g| Edit::Insert(Item::from(g))));
            edits.extend(c.views.into_iter().map(|v| Edit::Insert(Item::from(v))));
            edits.extend(c.dismissals.into_iter().map(|d| Edit::SetDismissal {
                finding: d.finding.clone(),
                dismissal: Some(Box::new(d)),
            }));
            edits.extend(
                c.custody
                    .into_iter()
                    .map(|entry| Edit::AppendCustody(Box::new(entry))),
            );
            if !c.statistics.is_empty() {
                edits.push(Edit::SetStatistics(c.statistics));
            }
        } else {
            summary.notes.push(
                "the export's title, notes, groups, saved views, custody log, dismissals and \
                 trade statistics \
                 were not brought into a case that already has content"
                    .to_owned(),
            );
        }
    }
    summary.notes.push(format!(
        "a Chokepoint export: items restored from Chokepoint's own records{}{}",
        if unchanged > 0 {
            format!(", {unchanged} already in the case as they are")
        } else {
            String::new()
        },
        if entity_ids.is_empty() && item_ids.is_empty() {
            String::new()
        } else {
            format!(
                ", {} given new ids because the case uses theirs for other items",
                entity_ids.len() + item_ids.len()
            )
        }
    ));
    // Each restored item must fit the case: a record whose entity is missing from the file
    // (cut out, or edited by hand) is left out and listed, not half-applied.
    let mut restored_case = case.clone();
    let mut kept = Vec::with_capacity(edits.len());
    for edit in edits {
        let what = match &edit {
            Edit::Insert(item) => Some(item.item_ref()),
            _ => None,
        };
        match restored_case.apply(edit.clone()) {
            Ok(_) => kept.push(edit),
            Err(e) => {
                match what {
                    Some(ItemRef::Entity(_)) => summary.entities_added -= 1,
                    Some(ItemRef::Link(_)) => summary.links_added -= 1,
                    Some(ItemRef::Shipment(_)) => summary.shipments_added -= 1,
                    Some(ItemRef::Evidence(_)) => summary.evidence_added -= 1,
                    _ => {}
                }
                summary.skipped.push(format!(
                    "{}: Chokepoint's record left out: {e}",
                    what.map_or_else(|| "case record".to_owned(), |w| w.to_string())
                ));
            }
        }
    }
    let edit = Edit::Batch(kept);
    if plain.is_empty() {
        return Ok((edit, summary));
    }
    // Records another tool added: plain FtM, into the case as restored.
    let (more, more_summary) = import_records(plain, &restored_case)?;
    summary.entities_added += more_summary.entities_added;
    summary.entities_merged += more_summary.entities_merged;
    summary.links_added += more_summary.links_added;
    summary.shipments_added += more_summary.shipments_added;
    summary.evidence_added += more_summary.evidence_added;
    summary.flags_added += more_summary.flags_added;
    summary.identifiers_added += more_summary.identifiers_added;
    summary.merges = more_summary.merges;
    summary.possible_duplicates = more_summary.possible_duplicates;
    summary.skipped.extend(more_summary.skipped);
    summary.kept_as_attributes = more_summary.kept_as_attributes;
    summary.not_carried = more_summary.not_carried;
    summary.notes.extend(more_summary.notes);
    Ok((Edit::Batch(vec![edit, more]), summary))
}

/// Gives a restored link, shipment or evidence the id `id`; returns its new reference.
fn rename_item(item: &mut Item, id: &str) -> ItemRef {
    match item {
        Item::Link(l) => l.id = LinkId(id.to_owned()),
        Item::Shipment(s) => s.id = ShipmentId(id.to_owned()),
        Item::Evidence(e) => e.id = EvidenceId(id.to_owned()),
        Item::Entity(_) | Item::Note(_) | Item::Group(_) | Item::View(_) => {}
    }
    item.item_ref()
}

/// Imports plain FtM records (see [`import`]).
fn import_records(records: Vec<Record>, case: &Case) -> Result<(Edit, ImportSummary), ImportError> {
    let mut staging = Staging::new(case);
    staging.summary.records = records.len();
    let records = unite_repeated_ids(records, &mut staging);
    // FtM id → the entity that stands for it in the case.
    let mut ids: HashMap<String, EntityId> = HashMap::new();
    for rec in &records {
        if let Some(kind) = entity_kind(&rec.schema) {
            let e = entity_from(rec, kind, &mut staging);
            let id = staging.add_entity(e, &format!("line {}", rec.line));
            ids.insert(rec.id.clone(), id);
        }
    }
    let mut evidence: BTreeMap<String, Evidence> = BTreeMap::new();
    for rec in &records {
        if DOCUMENT_SCHEMAS.contains(&rec.schema.as_str()) {
            let ev = document_evidence(rec, &mut staging);
            evidence.insert(rec.id.clone(), ev);
        }
    }
    let resolve = |ids: &HashMap<String, EntityId>, rec: &Record, prop: &str| {
        let id = rec.peek(prop).and_then(|r| ids.get(r)).cloned();
        if id.is_some() {
            rec.mark(prop, 0);
        }
        id
    };
    // Sanctioned entities and the topic flags a Sanction record replaces.
    let mut sanctioned: BTreeSet<EntityId> = BTreeSet::new();
    for rec in &records {
        let where_ = rec.where_();
        if entity_kind(&rec.schema).is_some() {
            // Addresses given as entities become "located at" links.
            for target in rec.all("addressEntity") {
                match (ids.get(&rec.id), ids.get(target)) {
                    (Some(from), Some(to)) if from != to => {
                        let link = Link {
                            id: LinkId(staging.fresh_id(LinkId::PREFIX, "located-at")),
                            kind: LinkKind::LocatedAt,
                            from: from.clone(),
                            to: to.clone(),
                            status: ClaimStatus::Reported,
                            ..Link::default()
                        };
                        staging.add_link(link);
                    }
                    (_, None) => staging.not_carried(
                        &format!("{}.addressEntity", rec.schema),
                        "names an address entity that is not in the file",
                        || format!("line {} → {}", rec.line, shorten(target)),
                    ),
                    _ => {}
                }
            }
            continue;
        }
        if !rec.datasets.is_empty() {
            staging.not_carried(
                "(record) datasets",
                "record fields besides the properties are kept for entities only",
                || format!("line {}: {}", rec.line, shorten(&rec.datasets.join("; "))),
            );
        }
        for (k, v) in &rec.top {
            staging.not_carried(
                &format!("(record) {k}"),
                "record fields besides the properties are kept for entities only",
                || format!("line {}: {}", rec.line, shorten(v)),
            );
        }
        if let Some((kind, from_prop, to_prop, mut description)) = link_shape(rec, &mut staging) {
            let (Some(from), Some(to)) =
                (resolve(&ids, rec, from_prop), resolve(&ids, rec, to_prop))
            else {
                let why = format!("its {from_prop} or {to_prop} is not an entity in the file");
                staging.skip(format!("{where_}: {why}"));
                rec.not_carried(&mut staging, &format!("record left out: {why}"));
                continue;
            };
            let start = rec.date(&["startDate", "date"]);
            let end = rec.date(&["endDate"]);
            description.extend(
                ["description", "summary", "purpose"]
                    .iter()
                    .flat_map(|p| rec.all(p))
                    .cloned(),
            );
            description.extend(rec.leftover_lines(&mut staging, &[]));
            let link = Link {
                id: LinkId(staging.claim_id(LinkId::PREFIX, &rec.id, &rec.schema)),
                kind,
                from,
                to,
                start,
                end,
                description: description.join("; "),
                status: ClaimStatus::Reported,
                ..Link::default()
            };
            staging.add_link(link);
            continue;
        }
        match rec.schema.as_str() {
            "Sanction" => {
                let Some(target) = resolve(&ids, rec, "entity") else {
                    let why = "the sanctioned entity is not in the file";
                    staging.skip(format!("{where_}: {why}"));
                    rec.not_carried(&mut staging, &format!("record left out: {why}"));
                    continue;
                };
                let mut flag = Flag {
                    kind: FlagKind::Sanctioned,
                    // Reported by its authority: a listing is a public claim, not a proof.
                    status: ClaimStatus::Reported,
                    authority: rec.first("authority").unwrap_or_default().to_owned(),
                    program: rec.first("program").unwrap_or_default().to_owned(),
                    start: rec.date(&["startDate", "listingDate", "date"]),
                    end: rec.date(&["endDate"]),
                    reason: rec.all("reason").join("; "),
                    source_url: rec.first("sourceUrl").unwrap_or_default().to_owned(),
                    ..Flag::default()
                };
                let mut detail: Vec<String> = ["summary", "description"]
                    .iter()
                    .flat_map(|p| rec.all(p))
                    .cloned()
                    .collect();
                detail.extend(rec.leftover_lines(&mut staging, &[]));
                flag.detail = detail.join("; ");
                if let Some(e) = staging.entity_mut(&target) {
                    if sanctioned.insert(target.clone()) {
                        // The sanction record says more than the bare topic flag: replace it.
                        e.flags.retain(|f| {
                            !(f.kind == FlagKind::Sanctioned && f.detail.starts_with(TOPIC_DETAIL))
                        });
                    }
                    if !e.flags.contains(&flag) {
                        e.flags.push(flag);
                    }
                }
            }
            "Passport" | "Identification" => {
                let holder = resolve(&ids, rec, "holder");
                let number_prop = ["number", "passportNumber"]
                    .into_iter()
                    .find(|p| rec.peek(p).is_some());
                let (Some(holder), Some(number_prop)) = (holder, number_prop) else {
                    let why = "no holder in the file, or no number";
                    staging.skip(format!("{where_}: {why}"));
                    rec.not_carried(&mut staging, &format!("record left out: {why}"));
                    continue;
                };
                let number = rec.first(number_prop).unwrap_or_default().to_owned();
                let scheme = if rec.schema == "Passport" {
                    IdentifierScheme::Passport
                } else {
                    match rec.first("type") {
                        Some(t) => IdentifierScheme::Other(t.to_owned()),
                        None => IdentifierScheme::NationalId,
                    }
                };
                let identifier = Identifier {
                    scheme,
                    value: number.clone(),
                    issuer: rec.country(&["country"]),
                };
                let leftovers: Vec<(String, String)> = rec
                    .leftovers(&[])
                    .into_iter()
                    .map(|(p, v)| (p.to_owned(), v.join("; ")))
                    .collect();
                for (prop, _) in &leftovers {
                    staging.kept(&format!("{}.{prop}", rec.schema));
                }
                if let Some(e) = staging.entity_mut(&holder) {
                    if !e.identifiers.contains(&identifier) {
                        e.identifiers.push(identifier);
                    }
                    // What the document says beyond its number, kept on its holder.
                    for (prop, value) in leftovers {
                        let key = format!("ftm:{} {number} {prop}", rec.schema);
                        e.attributes.insert(key, value);
                    }
                }
            }
            "EconomicActivity" => match economic_activity(rec, &ids, &mut staging) {
                Ok(s) => staging.add_shipment(s),
                Err(why) => {
                    staging.skip(format!("{where_}: {why}"));
                    rec.not_carried(&mut staging, &format!("record left out: {why}"));
                }
            },
            "Documentation" => {
                let doc_id = rec.peek("document").map(str::to_owned);
                let target = resolve(&ids, rec, "entity");
                let (Some(doc), Some(target)) = (
                    doc_id.as_deref().filter(|d| evidence.contains_key(*d)),
                    target,
                ) else {
                    let why = "its document or entity is not in the file";
                    staging.skip(format!("{where_}: {why}"));
                    rec.not_carried(&mut staging, &format!("record left out: {why}"));
                    continue;
                };
                rec.mark("document", 0);
                let claim = rec.first("role").unwrap_or_default().to_owned();
                let excerpt = rec.leftover_lines(&mut staging, &[]).join("; ");
                if let Some(doc) = evidence.get_mut(doc) {
                    doc.supports.push(ClaimSupport {
                        target: Some(ItemRef::Entity(target)),
                        claim,
                        excerpt,
                        ..ClaimSupport::default()
                    });
                }
            }
            schema if DOCUMENT_SCHEMAS.contains(&schema) => {}
            other => {
                let why = format!("the schema {other} has no counterpart in Chokepoint");
                staging.skip(format!("{where_}: {why}"));
                rec.not_carried(&mut staging, &format!("record left out: {why}"));
            }
        }
    }
    for (_, ev) in evidence {
        staging.add_evidence(ev);
    }
    staging.finish()
}

/// The FtM schemas read as evidence: documents and their kinds.
const DOCUMENT_SCHEMAS: &[&str] = &["Document", "PlainText", "Pages", "HyperText", "Article"];

fn document_evidence(rec: &Record, staging: &mut Staging<'_>) -> Evidence {
    let title = rec
        .first_of(&["title", "name", "fileName"])
        .unwrap_or(&rec.id)
        .to_owned();
    let citation = [
        rec.first("sourceUrl"),
        rec.first("fileName"),
        rec.first("publisher"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let date = rec.date(&["publishedAt", "authoredAt", "date"]);
    let archive = rec.first("contentHash").unwrap_or_default().to_owned();
    let mut description: Vec<String> = ["summary", "description"]
        .iter()
        .flat_map(|p| rec.all(p))
        .cloned()
        .collect();
    description.extend(rec.leftover_lines(staging, &[]));
    Evidence {
        id: EvidenceId(staging.claim_id(EvidenceId::PREFIX, &rec.id, &title)),
        title: title.clone(),
        kind: match rec.schema.as_str() {
            "HyperText" => EvidenceKind::WebPage,
            "Article" => EvidenceKind::PressReport,
            _ => EvidenceKind::Document,
        },
        source: EvidenceSource::Reference {
            citation: if citation.is_empty() { title } else { citation },
            archive,
        },
        date,
        description: description.join("\n\n"),
        ..Evidence::default()
    }
}

/// A customs declaration as a shipment: sender → receiver, one leg from the departure (or
/// origin) country to the destination country.
fn economic_activity(
    rec: &Record,
    ids: &HashMap<String, EntityId>,
    staging: &mut Staging<'_>,
) -> Result<Shipment, String> {
    let party = |prop: &str| -> Result<Option<EntityId>, String> {
        match rec.peek(prop) {
            None => Ok(None),
            Some(r) => {
                let id = ids
                    .get(r)
                    .cloned()
                    .ok_or_else(|| format!("its {prop} {r} is not an entity in the file"))?;
                rec.mark(prop, 0);
                Ok(Some(id))
            }
        }
    };
    let shipper = party("sender")?;
    let consignee = party("receiver")?;
    let declarant = party("declarant")?;
    let place = |c: Option<CountryCode>| Place {
        name: c
            .as_ref()
            .and_then(crate::layout::geo::country_name)
            .unwrap_or(if c.is_some() { "" } else { "Unknown" })
            .to_owned(),
        country: c,
        entity: None,
    };
    let origin = rec.country(&["originCountry"]);
    let leg = Leg {
        from: place(rec.country(&["departureCountry", "originCountry"])),
        to: place(rec.country(&["destinationCountry"])),
        departed: rec.date(&["date", "startDate"]),
        ..Leg::default()
    };
    let mut notes = Vec::new();
    if let Some(prop) = ["customsAmount", "invoiceAmount"]
        .into_iter()
        .find(|p| rec.peek(p).is_some())
    {
        let text = rec.first(prop).unwrap_or_default();
        match parse_amount(text) {
            Ok(v) => notes.push(format!("Declared amount {v} (currency not given)")),
            Err(why) => {
                staging.not_carried(
                    &format!("EconomicActivity.{prop}"),
                    &format!("{why}: not an amount; kept as text in the shipment's notes"),
                    || format!("line {}: {}", rec.line, shorten(text)),
                );
                notes.push(format!("Declared amount given as “{text}” ({why})"));
            }
        }
    }
    for p in [
        "description",
        "summary",
        "customsProcedure",
        "directionOfTransportation",
    ] {
        notes.extend(rec.all(p).iter().cloned());
    }
    let reference = rec
        .first_of(&["ccdNumber", "recordId", "contract"])
        .unwrap_or(&rec.id)
        .to_owned();
    let goods = GoodsLine {
        description: rec
            .first_of(&["goodsDescription", "vedCodeDescription"])
            .unwrap_or_default()
            .to_owned(),
        hs_code: rec.first("vedCode").unwrap_or_default().to_owned(),
        origin,
        ..GoodsLine::default()
    };
    notes.extend(rec.leftover_lines(staging, &[]));
    Ok(Shipment {
        id: ShipmentId(staging.claim_id(ShipmentId::PREFIX, &rec.id, &reference)),
        reference,
        status: ShipmentStatus::default(),
        claim: ClaimStatus::Reported,
        shipper,
        consignee,
        forwarders: declarant.into_iter().collect(),
        legs: vec![leg],
        goods: vec![goods],
        notes: notes.join("\n"),
        ..Shipment::default()
    })
}
