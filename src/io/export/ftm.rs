//! Export of a case as `FollowTheMoney` entities, one JSON object per line, in the shape
//! [`crate::io::import::ftm`] reads: a case exported and imported again keeps its entities,
//! links, flags, identifiers, shipments and evidence references.
//!
//! FtM has no counterpart for some of what a case holds; [`write`] says what it left out or
//! folded into text: products become `Asset`, facilities `RealEstate`; jurisdictions and
//! websites are left out (their links with them); a shipment becomes one `EconomicActivity`
//! whose transit places are written into its description, since FtM has no legs. A sanction
//! flag becomes a `Sanction` with its programme, authority, start and end dates, reason and
//! source URL; other flags become topics and notes.

use crate::model::{
    Case, ClaimSupport, Entity, EntityKind, Evidence, EvidenceKind, EvidenceSource, FlagKind,
    IdentifierScheme, ItemRef, Link, LinkKind, Shipment,
};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The FtM schema an entity kind is written as, or None when FtM has none.
pub fn schema_of(kind: EntityKind) -> Option<&'static str> {
    Some(match kind {
        EntityKind::Person => "Person",
        EntityKind::Company => "Company",
        EntityKind::Organization => "Organization",
        EntityKind::Address => "Address",
        EntityKind::Vessel => "Vessel",
        EntityKind::Aircraft => "Airplane",
        EntityKind::Account => "BankAccount",
        EntityKind::Product => "Asset",
        EntityKind::Facility => "RealEstate",
        EntityKind::Event => "Event",
        EntityKind::Jurisdiction | EntityKind::Website => return None,
    })
}

/// The property an identifier is written to on `schema`, when that schema has one for it.
fn identifier_property(scheme: &IdentifierScheme, schema: &str) -> Option<&'static str> {
    let legal = matches!(schema, "Person" | "Company" | "Organization");
    let prop = match scheme {
        IdentifierScheme::Registration if legal || schema == "Vessel" || schema == "RealEstate" => {
            "registrationNumber"
        }
        IdentifierScheme::TaxId if legal => "taxNumber",
        IdentifierScheme::Lei if legal => "leiCode",
        IdentifierScheme::Vat if legal => "vatCode",
        IdentifierScheme::Swift if legal => "swiftBic",
        IdentifierScheme::Swift if schema == "BankAccount" => "bic",
        IdentifierScheme::Imo if schema == "Vessel" || schema == "Company" => "imoNumber",
        IdentifierScheme::Passport if schema == "Person" => "passportNumber",
        IdentifierScheme::NationalId if legal => "idNumber",
        IdentifierScheme::Email if legal => "email",
        IdentifierScheme::Phone if legal => "phone",
        IdentifierScheme::Url if legal => "website",
        IdentifierScheme::AccountNumber if schema == "BankAccount" => "accountNumber",
        IdentifierScheme::Other(name) if legal => match name.as_str() {
            "INN" => "innCode",
            "OGRN" => "ogrnCode",
            "DUNS" => "dunsCode",
            "UEI" => "uniqueEntityId",
            _ => return None,
        },
        _ => return None,
    };
    Some(prop)
}

/// Collects properties; empty values are left out and each list keeps its order.
#[derive(Default)]
struct Props(BTreeMap<&'static str, Vec<String>>);

impl Props {
    fn add(&mut self, prop: &'static str, value: impl Into<String>) {
        let value = value.into();
        if !value.trim().is_empty() {
            let values = self.0.entry(prop).or_default();
            if !values.contains(&value) {
                values.push(value);
            }
        }
    }

    fn entity(self, id: &str, schema: &str) -> Value {
        let mut props = Map::new();
        for (k, v) in self.0 {
            props.insert(k.to_owned(), json!(v));
        }
        json!({"id": id, "schema": schema, "properties": props})
    }
}

/// The top-level field of an FtM line that carries Chokepoint's own record of the item, so
/// that Chokepoint's importer restores the case exactly (FtM consumers ignore fields they do
/// not know; the followthemoney library drops it). Its value is one of
/// `{"entity": …}`, `{"link": …}`, `{"shipment": …}`, `{"evidence": …}` (the item as the case
/// file holds it, in JSON), `{"derived": "sanction" | "documentation"}` (a record made from
/// an item that carries it already), or, on the one `Note` record with the id
/// [`CASE_RECORD_ID`], `{"case": …}`: the case's title and details, notes, groups, saved
/// views, positions, custody log and dismissals, and the entities and links FtM has no place
/// for.
pub const PAYLOAD_FIELD: &str = "chokepoint";

/// The id of the `Note` record that carries the case-level data.
pub const CASE_RECORD_ID: &str = "chokepoint-case";

/// What the case record carries beside the items.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct CasePayload {
    pub meta: crate::model::CaseMeta,
    #[serde(default)]
    pub notes: Vec<crate::model::Note>,
    #[serde(default)]
    pub groups: Vec<crate::model::Group>,
    #[serde(default)]
    pub views: Vec<crate::model::SavedView>,
    #[serde(default)]
    pub positions: Vec<(crate::model::EntityId, crate::model::NodePosition)>,
    #[serde(default)]
    pub custody: Vec<crate::model::CustodyEntry>,
    #[serde(default)]
    pub dismissals: Vec<crate::model::Dismissal>,
    /// Trade statistics (FtM has no schema for national totals).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statistics: Vec<crate::model::TradeFlow>,
    /// Entities of kinds FtM has no schema for (jurisdictions, websites).
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// Links FtM could not carry (an end left out, or both ends one entity).
    #[serde(default)]
    pub links: Vec<Link>,
}

/// `line` with Chokepoint's own record of the item under [`PAYLOAD_FIELD`].
fn with_payload(mut line: Value, key: &str, item: Value) -> Value {
    if let Value::Object(obj) = &mut line {
        let mut payload = Map::new();
        payload.insert(key.to_owned(), item);
        obj.insert(PAYLOAD_FIELD.to_owned(), Value::Object(payload));
    }
    line
}

/// An item as JSON, or null if it cannot be written (it always can: ids, text, numbers and
/// dates; a failure would show as an item the importer does not restore, and is reported).
fn item_json<T: serde::Serialize>(item: &T) -> Value {
    serde_json::to_value(item).unwrap_or(Value::Null)
}

/// What the export left out or changed, for the user.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FtmExport {
    /// One FtM entity per line.
    pub text: String,
    pub entities: usize,
    /// Plain-language notes on what FtM could not carry.
    pub notes: Vec<String>,
}

/// Writes the case as FtM lines, in id order (entities, links, flags, shipments, evidence).
pub fn write(case: &Case) -> FtmExport {
    let mut lines: Vec<Value> = Vec::new();
    let mut left_out: BTreeMap<&'static str, usize> = BTreeMap::new();
    let written = |id: &crate::model::EntityId| {
        case.entities
            .get(id)
            .is_some_and(|e| schema_of(e.kind).is_some())
    };
    // Addresses reached by "located at" links are written as addressEntity properties.
    let mut addresses: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for l in case.links.values() {
        if l.kind == LinkKind::LocatedAt
            && l.from != l.to
            && case
                .entities
                .get(&l.to)
                .is_some_and(|e| e.kind == EntityKind::Address)
            && written(&l.from)
        {
            addresses
                .entry(l.from.as_str())
                .or_default()
                .push(l.to.as_str());
        }
    }
    let mut payload = CasePayload {
        meta: case.meta.clone(),
        notes: case.notes.values().cloned().collect(),
        groups: case.groups.values().cloned().collect(),
        views: case.views.clone(),
        positions: case
            .positions
            .iter()
            .map(|(id, p)| (id.clone(), *p))
            .collect(),
        custody: case.custody.clone(),
        dismissals: case.dismissals.clone(),
        statistics: case.statistics.clone(),
        ..CasePayload::default()
    };
    for e in case.entities.values() {
        let Some(schema) = schema_of(e.kind) else {
            *left_out.entry(e.kind.label()).or_default() += 1;
            payload.entities.push(e.clone());
            continue;
        };
        lines.push(with_payload(
            entity_json(
                e,
                schema,
                addresses.get(e.id.as_str()).map_or(&[], Vec::as_slice),
            ),
            "entity",
            item_json(e),
        ));
        for (i, flag) in e
            .flags
            .iter()
            .filter(|f| f.kind == FlagKind::Sanctioned)
            .enumerate()
        {
            let mut p = Props::default();
            p.add("entity", e.id.as_str());
            p.add("program", flag.program.clone());
            p.add("authority", flag.authority.clone());
            if let Some(d) = &flag.start {
                p.add("startDate", d.to_string());
            }
            if let Some(d) = &flag.end {
                p.add("endDate", d.to_string());
            }
            p.add("reason", flag.reason.clone());
            p.add("sourceUrl", flag.source_url.clone());
            p.add("summary", flag.detail.clone());
            lines.push(with_payload(
                p.entity(&format!("{}-sanction-{}", e.id, i + 1), "Sanction"),
                "derived",
                json!("sanction"),
            ));
        }
    }
    let mut links_left_out = 0;
    let mut self_links = 0;
    for l in case.links.values() {
        if !(written(&l.from) && written(&l.to)) {
            links_left_out += 1;
            payload.links.push(l.clone());
            continue;
        }
        if l.from == l.to {
            // The FtM library refuses an interval whose two ends are one entity.
            self_links += 1;
            payload.links.push(l.clone());
            continue;
        }
        match link_json(case, l, &addresses) {
            Some(v) => lines.push(with_payload(v, "link", item_json(l))),
            // Written as an address property: the link itself rides with the case record.
            None => payload.links.push(l.clone()),
        }
    }
    let mut folded_routes = 0;
    for s in case.shipments.values() {
        if s.legs.len() > 1 {
            folded_routes += 1;
        }
        lines.push(with_payload(
            shipment_json(case, s, &written),
            "shipment",
            item_json(s),
        ));
    }
    let mut claims_left_out = 0;
    for ev in case.evidence.values() {
        lines.push(with_payload(evidence_json(ev), "evidence", item_json(ev)));
        for (i, support) in ev.supports.iter().enumerate() {
            match &support.target {
                Some(ItemRef::Entity(id)) if written(id) => {
                    lines.push(with_payload(
                        documentation_json(ev, support, id.as_str(), i),
                        "derived",
                        json!("documentation"),
                    ));
                }
                Some(_) => claims_left_out += 1,
                None => {}
            }
        }
    }
    let mut notes = Vec::new();
    for (kind, n) in &left_out {
        notes.push(format!(
            "{n} {kind} entities left out: FtM has no schema for them"
        ));
    }
    if links_left_out > 0 {
        notes.push(format!(
            "{links_left_out} links left out because one end was left out"
        ));
    }
    if self_links > 0 {
        notes.push(format!(
            "{self_links} links from an entity to itself left out: FtM refuses a relationship \
             of an entity with itself"
        ));
    }
    if folded_routes > 0 {
        notes.push(format!(
            "{folded_routes} shipments have several legs: FtM has no legs, so their routes are \
             written into the description of one EconomicActivity each"
        ));
    }
    if claims_left_out > 0 {
        notes.push(format!(
            "{claims_left_out} evidence claims about links or shipments left out: FtM documents \
             only entities"
        ));
    }
    let mut case_record = Props::default();
    case_record.add("name", format!("Chokepoint case data: {}", case.meta.title));
    case_record.add(
        "description",
        "Machine-readable case data for Chokepoint (title, notes, groups, saved views, \
         positions, custody log, dismissals, trade statistics, and the entities and links FtM \
         has no place for), \
         in this record's \"chokepoint\" field; each other record carries its own item there.",
    );
    lines.push(with_payload(
        case_record.entity(CASE_RECORD_ID, "Note"),
        "case",
        item_json(&payload),
    ));
    notes.push(
        "Chokepoint's own record of every item rides in each line's \"chokepoint\" field, and \
         the case's views, groups, notes, positions, custody log, dismissals and trade \
         statistics in one Note \
         record; Chokepoint's importer restores the case exactly, other FtM tools see only the \
         FtM properties"
            .to_owned(),
    );
    let mut text = String::new();
    for v in &lines {
        text.push_str(&v.to_string());
        text.push('\n');
    }
    FtmExport {
        text,
        entities: lines.len(),
        notes,
    }
}

fn entity_json(e: &Entity, schema: &'static str, addresses: &[&str]) -> Value {
    let mut p = Props::default();
    if e.kind == EntityKind::Address {
        p.add("full", e.name.clone());
        p.add("street", e.address.street.clone());
        p.add("city", e.address.city.clone());
        p.add("postalCode", e.address.postcode.clone());
    } else {
        p.add("name", e.name.clone());
        if !e.address.is_empty() {
            let parts: Vec<&str> = [&e.address.street, &e.address.city, &e.address.postcode]
                .into_iter()
                .map(String::as_str)
                .filter(|s| !s.is_empty())
                .collect();
            p.add("address", parts.join(", "));
        }
    }
    for a in &e.aliases {
        p.add("alias", a.clone());
    }
    if let Some(c) = &e.country {
        p.add(
            if schema == "Vessel" {
                "flag"
            } else {
                "country"
            },
            c.as_str().to_ascii_lowercase(),
        );
    }
    let legal = matches!(schema, "Person" | "Company" | "Organization");
    if let Some(d) = &e.start {
        match schema {
            "Person" => p.add("birthDate", d.to_string()),
            "Event" => p.add("startDate", d.to_string()),
            _ if legal => p.add("incorporationDate", d.to_string()),
            _ => {}
        }
    }
    if let Some(d) = &e.end {
        match schema {
            "Person" => p.add("deathDate", d.to_string()),
            "Event" => p.add("endDate", d.to_string()),
            _ if legal => p.add("dissolutionDate", d.to_string()),
            _ => {}
        }
    }
    let mut notes = vec![e.notes.clone()];
    for i in &e.identifiers {
        match identifier_property(&i.scheme, schema) {
            Some(prop) => p.add(prop, i.value.clone()),
            None => notes.push(format!("{}: {}", i.scheme.label(), i.value)),
        }
    }
    if e.kind == EntityKind::Product {
        for (label, value) in [
            ("Model", &e.product.model),
            ("ECCN", &e.product.eccn),
            ("HS code", &e.product.hs_code),
        ] {
            if !value.is_empty() {
                notes.push(format!("{label}: {value}"));
            }
        }
    }
    for f in &e.flags {
        match f.kind {
            FlagKind::Sanctioned => p.add("topics", "sanction"),
            FlagKind::Listed => p.add("topics", "export.control"),
            FlagKind::ShellCompany => p.add("topics", "corp.shell"),
            _ => {}
        }
        if f.kind != FlagKind::Sanctioned {
            notes.push(
                format!("Flag: {} {}", f.kind.label(), f.describe())
                    .trim()
                    .to_owned(),
            );
        }
    }
    for t in &e.tags {
        notes.push(format!("Tag: {t}"));
    }
    for n in notes {
        p.add("notes", n);
    }
    for a in addresses {
        p.add("addressEntity", (*a).to_owned());
    }
    p.entity(e.id.as_str(), schema)
}

fn link_json(case: &Case, l: &Link, addresses: &BTreeMap<&str, Vec<&str>>) -> Option<Value> {
    let is_person = |id: &crate::model::EntityId| {
        case.entities
            .get(id)
            .is_some_and(|e| e.kind == EntityKind::Person)
    };
    let legal = |id: &crate::model::EntityId| {
        case.entities.get(id).is_some_and(|e| {
            matches!(
                e.kind,
                EntityKind::Person | EntityKind::Company | EntityKind::Organization
            )
        })
    };
    let mut p = Props::default();
    let unknown = |p: &mut Props, role: &str| {
        p.add("subject", l.from.as_str());
        p.add("object", l.to.as_str());
        p.add("role", role.to_owned());
        "UnknownLink"
    };
    let schema = match &l.kind {
        LinkKind::Ownership { percent } if legal(&l.from) => {
            p.add("owner", l.from.as_str());
            p.add("asset", l.to.as_str());
            if let Some(pc) = percent {
                p.add("percentage", pc.to_string());
            }
            "Ownership"
        }
        LinkKind::Directorship { role } if legal(&l.from) && legal(&l.to) => {
            p.add("director", l.from.as_str());
            p.add("organization", l.to.as_str());
            p.add("role", role.clone());
            "Directorship"
        }
        LinkKind::Employment { role } if legal(&l.from) && legal(&l.to) => {
            p.add("employee", l.from.as_str());
            p.add("employer", l.to.as_str());
            p.add("role", role.clone());
            "Employment"
        }
        LinkKind::Family { relation } if is_person(&l.from) && is_person(&l.to) => {
            p.add("person", l.from.as_str());
            p.add("relative", l.to.as_str());
            p.add("relationship", relation.clone());
            "Family"
        }
        LinkKind::Associate if is_person(&l.from) && is_person(&l.to) => {
            p.add("person", l.from.as_str());
            p.add("associate", l.to.as_str());
            "Associate"
        }
        LinkKind::Representation { role } if legal(&l.from) && legal(&l.to) => {
            p.add("agent", l.from.as_str());
            p.add("client", l.to.as_str());
            p.add("role", role.clone());
            "Representation"
        }
        LinkKind::Payment { amount, date } if legal(&l.from) && legal(&l.to) => {
            p.add("payer", l.from.as_str());
            p.add("beneficiary", l.to.as_str());
            if let Some(m) = amount {
                p.add("amount", m.amount.to_string());
                p.add("currency", m.currency.clone());
            }
            if let Some(d) = date {
                p.add("date", d.to_string());
            }
            "Payment"
        }
        LinkKind::LocatedAt
            if addresses
                .get(l.from.as_str())
                .is_some_and(|a| a.contains(&l.to.as_str())) =>
        {
            // Written as the addressEntity property of the located entity.
            return None;
        }
        LinkKind::Other(name) if name.starts_with("member") && legal(&l.from) => {
            p.add("member", l.from.as_str());
            p.add("organization", l.to.as_str());
            if let Some(role) = name
                .strip_prefix("member (")
                .and_then(|r| r.strip_suffix(')'))
            {
                p.add("role", role.to_owned());
            }
            "Membership"
        }
        LinkKind::Other(name) => unknown(&mut p, name),
        other => unknown(&mut p, unknown_role(other)),
    };
    if let Some(d) = &l.start {
        p.add("startDate", d.to_string());
    }
    if let Some(d) = &l.end {
        p.add("endDate", d.to_string());
    }
    p.add("description", l.description.clone());
    Some(p.entity(l.id.as_str(), schema))
}

/// The `UnknownLink` role that stands for a link kind FtM has no schema for (read back by
/// the importer).
fn unknown_role(kind: &LinkKind) -> &'static str {
    match kind {
        LinkKind::SuppliesTo => "supplies to",
        LinkKind::ManufacturedBy => "manufactured by",
        LinkKind::LocatedAt => "located at",
        LinkKind::Communication => "communication",
        LinkKind::PossiblySameAs => "possibly same as",
        LinkKind::Ownership { .. } => "owns",
        LinkKind::Directorship { .. } => "director",
        LinkKind::Employment { .. } => "employee",
        LinkKind::Family { .. } => "family",
        LinkKind::Representation { .. } => "represents",
        LinkKind::Payment { .. } => "paid",
        LinkKind::Associate | LinkKind::Other(_) => "associate",
    }
}

fn shipment_json(
    case: &Case,
    s: &Shipment,
    written: &dyn Fn(&crate::model::EntityId) -> bool,
) -> Value {
    let mut p = Props::default();
    let name = |id: &crate::model::EntityId| {
        case.entities
            .get(id)
            .map_or_else(|| id.to_string(), |e| e.name.clone())
    };
    let mut description = Vec::new();
    if let Some(id) = &s.shipper {
        if written(id) {
            p.add("sender", id.as_str());
        } else {
            description.push(format!("Shipper: {}", name(id)));
        }
    }
    if let Some(id) = &s.consignee {
        if written(id) {
            p.add("receiver", id.as_str());
        } else {
            description.push(format!("Consignee: {}", name(id)));
        }
    }
    for (i, f) in s.forwarders.iter().enumerate() {
        if i == 0 && written(f) {
            p.add("declarant", f.as_str());
        } else {
            description.push(format!("Forwarder: {}", name(f)));
        }
    }
    for (role, id) in [
        ("Notify party", &s.notify_party),
        ("Declared end user", &s.declared_end_user),
        ("Suspected end user", &s.suspected_end_user),
    ] {
        if let Some(id) = id {
            description.push(format!("{role}: {}", name(id)));
        }
    }
    if let Some(first) = s.legs.first() {
        if let Some(c) = &first.from.country {
            p.add("departureCountry", c.as_str().to_ascii_lowercase());
        }
        if let Some(d) = &first.departed {
            p.add("date", d.to_string());
        }
    }
    if let Some(c) = s.legs.last().and_then(|l| l.to.country.as_ref()) {
        p.add("destinationCountry", c.as_str().to_ascii_lowercase());
    }
    let mut stops: Vec<String> = s.legs.first().map(|l| l.from.label()).into_iter().collect();
    stops.extend(s.legs.iter().map(|l| l.to.label()));
    description.push(format!("Route: {}", stops.join(" → ")));
    for g in &s.goods {
        p.add("goodsDescription", g.description.clone());
        p.add("vedCode", g.hs_code.clone());
        if let Some(c) = &g.origin {
            p.add("originCountry", c.as_str().to_ascii_lowercase());
        }
        if let Some(v) = &g.value {
            description.push(format!("Goods value: {v}"));
        }
        if let Some(q) = g.quantity {
            description.push(format!("Quantity: {q} {}", g.unit).trim_end().to_owned());
        }
    }
    p.add("ccdNumber", s.reference.clone());
    p.add("description", description.join("\n"));
    p.add("summary", s.notes.clone());
    p.entity(s.id.as_str(), "EconomicActivity")
}

/// The FtM schema of a piece of evidence: `Document` (which requires a `fileName`) only for a
/// stored file; a web address is a `HyperText`, a press report known by its citation an
/// `Article`, anything else known only by a citation or a text a `PlainText`.
fn evidence_schema(ev: &Evidence) -> &'static str {
    match &ev.source {
        EvidenceSource::File { .. } => "Document",
        EvidenceSource::Reference { citation, .. }
            if citation.starts_with("http://") || citation.starts_with("https://") =>
        {
            "HyperText"
        }
        EvidenceSource::Reference { .. } if ev.kind == EvidenceKind::PressReport => "Article",
        EvidenceSource::Reference { .. } | EvidenceSource::Text(_) => "PlainText",
    }
}

fn evidence_json(ev: &Evidence) -> Value {
    let mut p = Props::default();
    p.add("title", ev.title.clone());
    match &ev.source {
        EvidenceSource::File {
            original_name,
            size_bytes,
            ..
        } => {
            p.add("fileName", original_name.clone());
            p.add("fileSize", size_bytes.to_string());
        }
        EvidenceSource::Reference { citation, archive } => {
            if citation.starts_with("http://") || citation.starts_with("https://") {
                p.add("sourceUrl", citation.clone());
            } else {
                p.add("notes", citation.clone());
            }
            p.add("notes", archive.clone());
        }
        EvidenceSource::Text(text) => p.add("bodyText", text.clone()),
    }
    if let Some(d) = &ev.date {
        p.add("publishedAt", d.to_string());
    }
    p.add("summary", ev.description.clone());
    p.add(
        "notes",
        format!(
            "{} grade {}, marking {}",
            ev.kind.label(),
            ev.grade(),
            ev.marking.label()
        ),
    );
    p.entity(ev.id.as_str(), evidence_schema(ev))
}

fn documentation_json(ev: &Evidence, support: &ClaimSupport, entity: &str, i: usize) -> Value {
    let mut p = Props::default();
    p.add("document", ev.id.as_str());
    p.add("entity", entity.to_owned());
    p.add("role", support.claim.clone());
    p.add("summary", support.excerpt.clone());
    p.entity(&format!("{}-documents-{}", ev.id, i + 1), "Documentation")
}
