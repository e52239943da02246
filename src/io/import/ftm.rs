//! Import of `FollowTheMoney` entity files: one JSON object per line,
//! `{"id": ..., "schema": "Person", "properties": {"name": ["..."], ...}}`, every property a
//! list of strings (nested entities, as some exports write them, are read by their id).
//!
//! What maps to the case model: parties and things become entities; Ownership, Directorship,
//! Employment, Membership, Family, Associate, Representation, Payment and `UnknownLink` become
//! links; Sanction becomes a flag on its entity with its authority, programme, start and end
//! dates, reason and source URL (reported by its authority, never proven); Passport and
//! Identification become identifiers; `EconomicActivity` (a customs declaration) becomes a
//! shipment; Document becomes an evidence reference and Documentation the claims it supports.
//! Properties with no counterpart are kept as entity attributes (`ftm:<property>`) and counted
//! in the summary; records that cannot be used are listed with their line and the reason.

use super::{ImportError, ImportSummary, Staging};
use crate::edit::Edit;
use crate::model::{
    Case, ClaimStatus, ClaimSupport, CountryCode, Entity, EntityId, EntityKind, Evidence,
    EvidenceId, EvidenceKind, EvidenceSource, Flag, FlagKind, GoodsLine, Identifier,
    IdentifierScheme, ItemRef, Leg, Link, LinkId, LinkKind, Money, PartialDate, Place, Shipment,
    ShipmentId, ShipmentStatus,
};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Longest line read (a single FtM entity); longer lines are refused, not truncated.
const MAX_LINE_BYTES: usize = 4 << 20;

/// One parsed FtM record.
#[derive(Debug)]
pub(crate) struct Record {
    line: usize,
    id: String,
    schema: String,
    props: BTreeMap<String, Vec<String>>,
    datasets: Vec<String>,
}

impl Record {
    fn all(&self, prop: &str) -> &[String] {
        self.props.get(prop).map_or(&[], Vec::as_slice)
    }

    fn first(&self, prop: &str) -> Option<&str> {
        self.all(prop)
            .iter()
            .map(String::as_str)
            .find(|s| !s.trim().is_empty())
    }

    fn first_of(&self, props: &[&str]) -> Option<&str> {
        props.iter().find_map(|p| self.first(p))
    }

    fn date(&self, props: &[&str]) -> Option<PartialDate> {
        props
            .iter()
            .flat_map(|p| self.all(p))
            .find_map(|d| parse_date(d))
    }

    fn country(&self, props: &[&str]) -> Option<CountryCode> {
        props
            .iter()
            .flat_map(|p| self.all(p))
            .find_map(|c| c.parse().ok())
    }
}

/// Reads an FtM date ("2022", "2022-06", "2022-06-03", "2022-06-03T10:00:00") at the
/// precision it gives.
fn parse_date(text: &str) -> Option<PartialDate> {
    let t = text.trim();
    let date = t.split('T').next().unwrap_or(t);
    date.parse().ok()
}

/// Values of a property: strings as they are, nested entities by their id.
fn strings(value: &Value) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(o) => o.get("id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    };
    match value {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
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
        out.push(Record {
            line,
            id,
            schema,
            props,
            datasets,
        });
    }
    Ok(out)
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

/// Properties read into entity fields (not kept as attributes).
const READ_PROPS: &[&str] = &[
    "name",
    "alias",
    "weakAlias",
    "previousName",
    "abbreviation",
    "country",
    "jurisdiction",
    "mainCountry",
    "nationality",
    "citizenship",
    "incorporationDate",
    "birthDate",
    "startDate",
    "date",
    "dissolutionDate",
    "deathDate",
    "endDate",
    "topics",
    "notes",
    "description",
    "summary",
    "addressEntity",
    "address",
    "full",
    "street",
    "street2",
    "city",
    "postalCode",
    "program",
    "sanctions",
];

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

fn entity_from(rec: &Record, kind: EntityKind, staging: &mut Staging<'_>) -> Entity {
    let names: Vec<&String> = ["name", "full"]
        .iter()
        .flat_map(|p| rec.all(p))
        .filter(|n| !n.trim().is_empty())
        .collect();
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
        e.address.street = address.to_owned();
    }
    for topic in rec.all("topics") {
        match topic_flag(topic) {
            Some(kind) => e.flags.push(Flag {
                kind,
                detail: format!("FtM topic {topic}"),
                status: ClaimStatus::Reported,
                ..Flag::default()
            }),
            None => e.tags.push(topic.clone()),
        }
    }
    for (prop, values) in &rec.props {
        if let Some(scheme) = identifier_scheme(prop) {
            for v in values {
                e.identifiers.push(Identifier {
                    scheme: scheme.clone(),
                    value: v.clone(),
                    issuer: None,
                });
            }
        } else if !READ_PROPS.contains(&prop.as_str()) {
            e.attributes
                .insert(format!("ftm:{prop}"), values.join("; "));
            staging.kept(&format!("{}.{prop}", rec.schema));
        }
    }
    if !rec.datasets.is_empty() {
        e.attributes
            .insert("ftm:datasets".to_owned(), rec.datasets.join("; "));
    }
    e.attributes.insert("ftm:id".to_owned(), rec.id.clone());
    e
}

fn address_line(rec: &Record) -> Option<String> {
    let parts: Vec<&str> = ["street", "city", "postalCode"]
        .iter()
        .filter_map(|p| rec.first(p))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The link an FtM interval schema becomes: (kind, from property, to property).
fn link_shape(rec: &Record) -> Option<(LinkKind, &'static str, &'static str)> {
    let role = || {
        rec.first_of(&["role", "relationship"])
            .unwrap_or_default()
            .to_owned()
    };
    Some(match rec.schema.as_str() {
        "Ownership" => (
            LinkKind::Ownership {
                percent: rec
                    .first("percentage")
                    .and_then(|p| p.trim().trim_end_matches('%').parse().ok())
                    .filter(|p: &f64| (0.0..=100.0).contains(p)),
            },
            "owner",
            "asset",
        ),
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
                amount: rec
                    .first("amount")
                    .and_then(|a| a.replace(',', "").trim().parse::<f64>().ok())
                    .filter(|a| a.is_finite() && *a >= 0.0)
                    .filter(|_| rec.first("currency").is_some())
                    .map(|amount| Money {
                        amount,
                        currency: rec
                            .first("currency")
                            .unwrap_or("")
                            .trim()
                            .to_ascii_uppercase(),
                    }),
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
    })
}

/// Imports FtM text into `case`: the edit that adds it (one undo step) and a summary.
pub fn import(text: &str, case: &Case) -> Result<(Edit, ImportSummary), ImportError> {
    let records = parse_records(text)?;
    let mut staging = Staging::new(case);
    staging.summary.records = records.len();
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
        if rec.schema == "Document" || rec.schema == "PlainText" || rec.schema == "Pages" {
            let ev = document_evidence(rec, &mut staging);
            evidence.insert(rec.id.clone(), ev);
        }
    }
    let resolve = |ids: &HashMap<String, EntityId>, rec: &Record, prop: &str| {
        rec.first(prop).and_then(|r| ids.get(r)).cloned()
    };
    for rec in &records {
        let where_ = |what: &str| format!("line {} ({} {}): {what}", rec.line, rec.schema, rec.id);
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
                    (_, None) => staging.skip(where_(&format!(
                        "its address entity {target} is not in the file"
                    ))),
                    _ => {}
                }
            }
            continue;
        }
        if let Some((kind, from_prop, to_prop)) = link_shape(rec) {
            let (Some(from), Some(to)) =
                (resolve(&ids, rec, from_prop), resolve(&ids, rec, to_prop))
            else {
                staging.skip(where_(&format!(
                    "its {from_prop} or {to_prop} is not an entity in the file"
                )));
                continue;
            };
            let mut description: Vec<String> = ["description", "summary", "purpose"]
                .iter()
                .flat_map(|p| rec.all(p))
                .cloned()
                .collect();
            if rec.schema == "Payment"
                && rec.first("currency").is_none()
                && let Some(amount) = rec.first("amount")
            {
                description.push(format!("Amount {amount} (currency not given)"));
            }
            let description = description.join("; ");
            let link = Link {
                id: LinkId(staging.claim_id(LinkId::PREFIX, &rec.id, &rec.schema)),
                kind,
                from,
                to,
                start: rec.date(&["startDate", "date"]),
                end: rec.date(&["endDate"]),
                description,
                status: ClaimStatus::Reported,
                ..Link::default()
            };
            staging.add_link(link);
            continue;
        }
        match rec.schema.as_str() {
            "Sanction" => {
                let Some(target) = resolve(&ids, rec, "entity") else {
                    staging.skip(where_("the sanctioned entity is not in the file"));
                    continue;
                };
                let flag = Flag {
                    kind: FlagKind::Sanctioned,
                    detail: ["summary", "description"]
                        .iter()
                        .flat_map(|p| rec.all(p))
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("; "),
                    // Reported by its authority: a listing is a public claim, not a proof.
                    status: ClaimStatus::Reported,
                    authority: rec.first("authority").unwrap_or_default().to_owned(),
                    program: rec.first("program").unwrap_or_default().to_owned(),
                    start: rec.date(&["startDate", "listingDate", "date"]),
                    end: rec.date(&["endDate"]),
                    reason: rec.all("reason").join("; "),
                    source_url: rec.first("sourceUrl").unwrap_or_default().to_owned(),
                };
                if let Some(e) = staging.entity_mut(&target) {
                    // The sanction record says more than the bare topic flag: replace it.
                    e.flags.retain(|f| {
                        !(f.kind == FlagKind::Sanctioned && f.detail.starts_with("FtM topic"))
                    });
                    if !e.flags.contains(&flag) {
                        e.flags.push(flag);
                    }
                }
            }
            "Passport" | "Identification" => {
                let (Some(holder), Some(number)) = (
                    resolve(&ids, rec, "holder"),
                    rec.first_of(&["number", "passportNumber"]),
                ) else {
                    staging.skip(where_("no holder in the file, or no number"));
                    continue;
                };
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
                    value: number.to_owned(),
                    issuer: rec.country(&["country"]),
                };
                if let Some(e) = staging.entity_mut(&holder)
                    && !e.identifiers.contains(&identifier)
                {
                    e.identifiers.push(identifier);
                }
            }
            "EconomicActivity" => match economic_activity(rec, &ids, &mut staging) {
                Ok(s) => staging.add_shipment(s),
                Err(why) => staging.skip(where_(&why)),
            },
            "Documentation" => {
                let (Some(doc), Some(target)) = (
                    rec.first("document").and_then(|d| evidence.get_mut(d)),
                    resolve(&ids, rec, "entity"),
                ) else {
                    staging.skip(where_("its document or entity is not in the file"));
                    continue;
                };
                doc.supports.push(ClaimSupport {
                    target: Some(ItemRef::Entity(target)),
                    claim: rec.first("role").unwrap_or_default().to_owned(),
                    ..ClaimSupport::default()
                });
            }
            "Document" | "PlainText" | "Pages" => {}
            other => staging.skip(where_(&format!(
                "the schema {other} has no counterpart in Chokepoint"
            ))),
        }
    }
    for (_, ev) in evidence {
        staging.add_evidence(ev);
    }
    staging.finish()
}

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
    Evidence {
        id: EvidenceId(staging.claim_id(EvidenceId::PREFIX, &rec.id, &title)),
        title: title.clone(),
        kind: EvidenceKind::Document,
        source: EvidenceSource::Reference {
            citation: if citation.is_empty() { title } else { citation },
            archive: rec.first("contentHash").unwrap_or_default().to_owned(),
        },
        date: rec.date(&["publishedAt", "authoredAt", "date"]),
        description: ["summary", "description"]
            .iter()
            .flat_map(|p| rec.all(p))
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n"),
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
        match rec.first(prop) {
            None => Ok(None),
            Some(r) => ids
                .get(r)
                .cloned()
                .map(Some)
                .ok_or_else(|| format!("its {prop} {r} is not an entity in the file")),
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
    let value = rec
        .first_of(&["customsAmount", "invoiceAmount"])
        .and_then(|a| a.replace(',', "").trim().parse::<f64>().ok())
        .filter(|a| a.is_finite() && *a >= 0.0);
    let mut notes = Vec::new();
    if let Some(v) = value {
        notes.push(format!("Declared amount {v} (currency not given)"));
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
    Ok(Shipment {
        id: ShipmentId(staging.claim_id(ShipmentId::PREFIX, &rec.id, &reference)),
        reference,
        status: ShipmentStatus::default(),
        claim: ClaimStatus::Reported,
        shipper,
        consignee,
        forwarders: declarant.into_iter().collect(),
        legs: vec![leg],
        goods: vec![GoodsLine {
            description: rec
                .first_of(&["goodsDescription", "vedCodeDescription"])
                .unwrap_or_default()
                .to_owned(),
            hs_code: rec.first("vedCode").unwrap_or_default().to_owned(),
            origin,
            ..GoodsLine::default()
        }],
        notes: notes.join("\n"),
        ..Shipment::default()
    })
}
