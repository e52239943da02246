//! Validation of items against the case they live in: references resolve, ids are well formed,
//! required fields are present and numbers are sane. Used by every edit and by the loader.

use crate::model::{
    Case, Dismissal, Entity, Evidence, Group, ItemRef, Link, LinkKind, MAX_ID_LEN, Note, SavedView,
    Shipment, is_valid_id,
};
use std::fmt;

/// Longest free text we accept in one field (1 MiB), so a hostile file cannot bloat the UI.
pub const MAX_TEXT_LEN: usize = 1 << 20;
/// Most entries in one list field (aliases, legs, goods lines, members ...).
pub const MAX_LIST_LEN: usize = 100_000;

/// Why an edit or a loaded case was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("{item} refers to {target} as its {field}, but the case has no such item")]
    DanglingReference {
        item: ItemRef,
        field: String,
        target: ItemRef,
    },
    #[error("{0} already exists: ids must be unique")]
    DuplicateId(ItemRef),
    #[error("{item} has the same id as {other}: ids must be unique across kinds of item")]
    SharedId { item: ItemRef, other: ItemRef },
    #[error("{0} does not exist")]
    Missing(ItemRef),
    #[error("shipment \"{0}\" has an empty route: add at least one leg")]
    EmptyRoute(String),
    #[error("cannot remove {item}: {} still refer to it ({})", by.len(), list_refs(by))]
    StillReferenced { item: ItemRef, by: Vec<ItemRef> },
    #[error("the case has {count} {what}; Chokepoint opens cases with at most {limit}")]
    TooMany {
        what: &'static str,
        count: usize,
        limit: usize,
    },
    #[error("{item}: {field} {message}")]
    InvalidField {
        item: ItemRef,
        field: String,
        message: String,
    },
    #[error("dismissal of finding \"{finding}\" {message}")]
    Dismissal { finding: String, message: String },
}

fn list_refs(refs: &[ItemRef]) -> String {
    let mut shown: Vec<String> = refs.iter().take(5).map(ToString::to_string).collect();
    if refs.len() > 5 {
        shown.push(format!("and {} more", refs.len() - 5));
    }
    shown.join(", ")
}

struct Checker<'a> {
    case: &'a Case,
    item: ItemRef,
    errors: Vec<ValidationError>,
}

impl<'a> Checker<'a> {
    fn new(case: &'a Case, item: ItemRef) -> Self {
        Self {
            case,
            item,
            errors: Vec::new(),
        }
    }

    fn invalid(&mut self, field: impl fmt::Display, message: impl Into<String>) {
        self.errors.push(ValidationError::InvalidField {
            item: self.item.clone(),
            field: field.to_string(),
            message: message.into(),
        });
    }

    fn id(&mut self, id: &str) {
        if !is_valid_id(id) {
            self.invalid(
                "id",
                format!(
                    "must be 1 to {MAX_ID_LEN} characters of letters, digits and - _ . : (got \"{}\")",
                    id.chars().take(40).collect::<String>()
                ),
            );
        }
    }

    fn text(&mut self, field: &str, text: &str) {
        if text.len() > MAX_TEXT_LEN {
            self.invalid(
                field,
                format!(
                    "is too long ({} bytes; the limit is {MAX_TEXT_LEN})",
                    text.len()
                ),
            );
        }
    }

    fn required(&mut self, field: &str, text: &str) {
        if text.trim().is_empty() {
            self.invalid(field, "must not be empty");
        }
        self.text(field, text);
    }

    fn list<T>(&mut self, field: &str, list: &[T]) {
        if list.len() > MAX_LIST_LEN {
            self.invalid(
                field,
                format!("has {} entries; the limit is {MAX_LIST_LEN}", list.len()),
            );
        }
    }

    fn number(&mut self, field: &str, value: f64, min: f64, max: f64) {
        if !value.is_finite() || value < min || value > max {
            self.invalid(
                field,
                format!("must be a number from {min} to {max} (got {value})"),
            );
        }
    }

    fn reference(&mut self, field: &str, target: ItemRef) {
        if !self.case.contains(&target) {
            self.errors.push(ValidationError::DanglingReference {
                item: self.item.clone(),
                field: field.to_owned(),
                target,
            });
        }
    }

    fn finish(self) -> Result<(), Vec<ValidationError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

/// Largest amount of money or quantity we accept: beyond any real trade, below f64 trouble.
const MAX_AMOUNT: f64 = 1e15;

pub fn check_entity(case: &Case, e: &Entity) -> Result<(), Vec<ValidationError>> {
    let mut c = Checker::new(case, ItemRef::Entity(e.id.clone()));
    c.id(e.id.as_str());
    c.required("name", &e.name);
    c.text("notes", &e.notes);
    c.list("aliases", &e.aliases);
    c.list("identifiers", &e.identifiers);
    c.list("tags", &e.tags);
    c.list("flags", &e.flags);
    for a in &e.aliases {
        c.text("alias", a);
    }
    for i in &e.identifiers {
        c.required("identifier value", &i.value);
    }
    for (k, v) in &e.attributes {
        c.required("attribute name", k);
        c.text("attribute value", v);
    }
    if let (Some(s), Some(end)) = (&e.start, &e.end)
        && end < s
    {
        c.invalid(
            "end date",
            format!("({end}) is before the start date ({s})"),
        );
    }
    c.finish()
}

pub fn check_link(case: &Case, l: &Link) -> Result<(), Vec<ValidationError>> {
    let mut c = Checker::new(case, ItemRef::Link(l.id.clone()));
    c.id(l.id.as_str());
    c.reference("source (from)", ItemRef::Entity(l.from.clone()));
    c.reference("target (to)", ItemRef::Entity(l.to.clone()));
    c.text("description", &l.description);
    match &l.kind {
        LinkKind::Ownership { percent: Some(p) } => c.number("ownership percent", *p, 0.0, 100.0),
        LinkKind::Payment {
            amount: Some(m), ..
        } => {
            c.number("payment amount", m.amount, 0.0, MAX_AMOUNT);
            c.required("payment currency", &m.currency);
        }
        LinkKind::Other(name) => c.required("kind name", name),
        _ => {}
    }
    if let (Some(s), Some(end)) = (&l.start, &l.end)
        && end < s
    {
        c.invalid(
            "end date",
            format!("({end}) is before the start date ({s})"),
        );
    }
    c.finish()
}

pub fn check_shipment(case: &Case, s: &Shipment) -> Result<(), Vec<ValidationError>> {
    let mut c = Checker::new(case, ItemRef::Shipment(s.id.clone()));
    c.id(s.id.as_str());
    c.required("reference", &s.reference);
    c.text("notes", &s.notes);
    c.list("legs", &s.legs);
    c.list("goods", &s.goods);
    c.list("forwarders", &s.forwarders);
    if s.legs.is_empty() {
        c.errors.push(ValidationError::EmptyRoute(s.id.to_string()));
    }
    for (role, id) in s.parties() {
        c.reference(role, ItemRef::Entity(id.clone()));
    }
    for (i, leg) in s.legs.iter().enumerate() {
        let n = i + 1;
        for (end, place) in [("from", &leg.from), ("to", &leg.to)] {
            if place.name.trim().is_empty() && place.country.is_none() && place.entity.is_none() {
                c.invalid(format!("leg {n} {end}"), "needs a place name or a country");
            }
            if let Some(e) = &place.entity {
                c.reference(&format!("leg {n} {end} place"), ItemRef::Entity(e.clone()));
            }
        }
        if let (Some(d), Some(a)) = (&leg.departed, &leg.arrived)
            && a < d
        {
            c.invalid(
                format!("leg {n} arrival"),
                format!("({a}) is before departure ({d})"),
            );
        }
    }
    for (i, g) in s.goods.iter().enumerate() {
        let n = i + 1;
        if let Some(p) = &g.product {
            c.reference(
                &format!("goods line {n} product"),
                ItemRef::Entity(p.clone()),
            );
        }
        if let Some(q) = g.quantity {
            c.number(&format!("goods line {n} quantity"), q, 0.0, MAX_AMOUNT);
        }
        if let Some(v) = &g.value {
            c.number(&format!("goods line {n} value"), v.amount, 0.0, MAX_AMOUNT);
            c.required(&format!("goods line {n} currency"), &v.currency);
        }
        c.text("goods description", &g.description);
    }
    c.finish()
}

pub fn check_evidence(case: &Case, ev: &Evidence) -> Result<(), Vec<ValidationError>> {
    let mut c = Checker::new(case, ItemRef::Evidence(ev.id.clone()));
    c.id(ev.id.as_str());
    c.required("title", &ev.title);
    c.text("description", &ev.description);
    c.list("supports", &ev.supports);
    if let Some(crate::model::StoredFile { path, sha256, .. }) = ev.stored_file() {
        if !is_safe_relative_path(path) {
            c.invalid(
                "file path",
                format!("\"{path}\" must be a relative path inside the case folder"),
            );
        }
        if !(sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit())) {
            c.invalid("sha256", "must be 64 hexadecimal digits");
        }
    }
    for (i, s) in ev.supports.iter().enumerate() {
        if let Some(t) = &s.target {
            c.reference(&format!("supported claim {}", i + 1), t.clone());
        }
        c.text("excerpt", &s.excerpt);
    }
    c.finish()
}

pub fn check_note(case: &Case, n: &Note) -> Result<(), Vec<ValidationError>> {
    let mut c = Checker::new(case, ItemRef::Note(n.id.clone()));
    c.id(n.id.as_str());
    c.text("title", &n.title);
    c.text("body", &n.body);
    if let Some(about) = &n.about {
        c.reference("subject", about.clone());
    }
    if let Some(p) = n.canvas {
        c.number("canvas x", f64::from(p.x), -1e7, 1e7);
        c.number("canvas y", f64::from(p.y), -1e7, 1e7);
    }
    c.finish()
}

pub fn check_group(case: &Case, g: &Group) -> Result<(), Vec<ValidationError>> {
    let mut c = Checker::new(case, ItemRef::Group(g.id.clone()));
    c.id(g.id.as_str());
    c.required("title", &g.title);
    c.list("members", &g.members);
    for m in &g.members {
        c.reference("member", ItemRef::Entity(m.clone()));
    }
    c.finish()
}

pub fn check_view(case: &Case, v: &SavedView) -> Result<(), Vec<ValidationError>> {
    let mut c = Checker::new(case, ItemRef::View(v.id.clone()));
    c.id(v.id.as_str());
    c.required("name", &v.name);
    c.text("caption", &v.caption);
    c.number("camera x", f64::from(v.camera.center.x), -1e7, 1e7);
    c.number("camera y", f64::from(v.camera.center.y), -1e7, 1e7);
    c.number("camera zoom", f64::from(v.camera.zoom), 1e-4, 1e4);
    for h in &v.highlighted {
        c.reference("highlight", h.clone());
    }
    c.finish()
}

/// Longest finding key we accept: keys name a rule and a few item ids.
const MAX_FINDING_KEY_LEN: usize = 1024;

pub fn check_dismissal(d: &Dismissal) -> Result<(), Vec<ValidationError>> {
    let shown: String = d.finding.chars().take(80).collect();
    let mut errors = Vec::new();
    let mut fail = |message: String| {
        errors.push(ValidationError::Dismissal {
            finding: shown.clone(),
            message,
        });
    };
    if d.finding.trim().is_empty() || d.finding.len() > MAX_FINDING_KEY_LEN {
        fail(format!(
            "needs a finding key of 1 to {MAX_FINDING_KEY_LEN} bytes"
        ));
    }
    if d.reason.trim().is_empty() {
        fail("needs a reason".to_owned());
    }
    for (field, text) in [("reason", &d.reason), ("author", &d.author)] {
        if text.len() > MAX_TEXT_LEN {
            fail(format!(
                "has a {field} of {} bytes; the limit is {MAX_TEXT_LEN}",
                text.len()
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Whether `path` is relative, uses `/` separators, and never climbs out of the case folder.
pub fn is_safe_relative_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".")
}

/// Everything in the case that refers to `target`, so it is not removed from under them.
pub fn references_to(case: &Case, target: &ItemRef) -> Vec<ItemRef> {
    let mut by = Vec::new();
    if let ItemRef::Entity(id) = target {
        by.extend(
            case.links
                .values()
                .filter(|l| &l.from == id || &l.to == id)
                .map(|l| ItemRef::Link(l.id.clone())),
        );
        by.extend(
            case.shipments
                .values()
                .filter(|s| {
                    s.parties().iter().any(|(_, p)| *p == id)
                        || s.goods.iter().any(|g| g.product.as_ref() == Some(id))
                        || s.legs.iter().any(|l| {
                            l.from.entity.as_ref() == Some(id) || l.to.entity.as_ref() == Some(id)
                        })
                })
                .map(|s| ItemRef::Shipment(s.id.clone())),
        );
        by.extend(
            case.groups
                .values()
                .filter(|g| g.members.contains(id))
                .map(|g| ItemRef::Group(g.id.clone())),
        );
    }
    by.extend(
        case.evidence
            .values()
            .filter(|e| e.supports.iter().any(|s| s.target.as_ref() == Some(target)))
            .map(|e| ItemRef::Evidence(e.id.clone())),
    );
    by.extend(
        case.notes
            .values()
            .filter(|n| n.about.as_ref() == Some(target))
            .map(|n| ItemRef::Note(n.id.clone())),
    );
    by.extend(
        case.views
            .iter()
            .filter(|v| v.highlighted.contains(target))
            .map(|v| ItemRef::View(v.id.clone())),
    );
    by
}

/// Most items of one kind in a case; far beyond real cases, well within memory.
pub const MAX_ITEMS_PER_KIND: usize = 2_000_000;

/// Checks a whole case, as after loading a file: every item, and that map keys match ids.
pub fn check_case(case: &Case) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    let counts = [
        ("entities", case.entities.len()),
        ("links", case.links.len()),
        ("shipments", case.shipments.len()),
        ("evidence items", case.evidence.len()),
        ("notes", case.notes.len()),
        ("groups", case.groups.len()),
        ("saved views", case.views.len()),
        ("custody entries", case.custody.len()),
        ("dismissals", case.dismissals.len()),
    ];
    for (what, n) in counts {
        if n > MAX_ITEMS_PER_KIND {
            errors.push(ValidationError::TooMany {
                what,
                count: n,
                limit: MAX_ITEMS_PER_KIND,
            });
        }
    }
    if !errors.is_empty() {
        return errors;
    }
    // Ids are unique across kinds: a link may not carry an entity's id (the FtM export, for
    // one, would write two objects with one id).
    let mut owner: std::collections::HashMap<&str, ItemRef> = std::collections::HashMap::new();
    let all_ids = case
        .entities
        .keys()
        .map(|id| (id.as_str(), ItemRef::Entity(id.clone())))
        .chain(
            case.links
                .keys()
                .map(|id| (id.as_str(), ItemRef::Link(id.clone()))),
        )
        .chain(
            case.shipments
                .keys()
                .map(|id| (id.as_str(), ItemRef::Shipment(id.clone()))),
        )
        .chain(
            case.evidence
                .keys()
                .map(|id| (id.as_str(), ItemRef::Evidence(id.clone()))),
        )
        .chain(
            case.notes
                .keys()
                .map(|id| (id.as_str(), ItemRef::Note(id.clone()))),
        )
        .chain(
            case.groups
                .keys()
                .map(|id| (id.as_str(), ItemRef::Group(id.clone()))),
        )
        .chain(
            case.views
                .iter()
                .map(|v| (v.id.as_str(), ItemRef::View(v.id.clone()))),
        );
    for (id, item) in all_ids {
        match owner.get(id) {
            // Two views with one id are reported below, as duplicates of one kind.
            Some(other) if std::mem::discriminant(other) != std::mem::discriminant(&item) => {
                errors.push(ValidationError::SharedId {
                    item,
                    other: other.clone(),
                });
            }
            Some(_) => {}
            None => {
                owner.insert(id, item);
            }
        }
    }
    let mut collect = |r: Result<(), Vec<ValidationError>>| {
        if let Err(mut e) = r {
            errors.append(&mut e);
        }
    };
    // The three big kinds are checked on two threads (entities; links and shipments), their
    // errors kept in the same order as one thread would give them.
    let entity_errors = || {
        let mut errors = Vec::new();
        for e in case.entities.values() {
            if let Err(mut e) = check_entity(case, e) {
                errors.append(&mut e);
            }
        }
        errors
    };
    let relation_errors = || {
        let mut errors = Vec::new();
        for l in case.links.values() {
            if let Err(mut e) = check_link(case, l) {
                errors.append(&mut e);
            }
        }
        for s in case.shipments.values() {
            if let Err(mut e) = check_shipment(case, s) {
                errors.append(&mut e);
            }
        }
        errors
    };
    let (entities, relations) = if case.entities.len() + case.links.len() >= 10_000 {
        std::thread::scope(|scope| {
            let relations = scope.spawn(relation_errors);
            let entities = entity_errors();
            // A panic in a check is a bug; surface it on this thread as it would have been.
            let relations = relations
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (entities, relations)
        })
    } else {
        (entity_errors(), relation_errors())
    };
    collect(Err(entities));
    collect(Err(relations));
    for ev in case.evidence.values() {
        collect(check_evidence(case, ev));
    }
    for n in case.notes.values() {
        collect(check_note(case, n));
    }
    for g in case.groups.values() {
        collect(check_group(case, g));
    }
    let mut seen_views = std::collections::BTreeSet::new();
    for v in &case.views {
        if !seen_views.insert(&v.id) {
            collect(Err(vec![ValidationError::DuplicateId(ItemRef::View(
                v.id.clone(),
            ))]));
        }
        collect(check_view(case, v));
    }
    let mut seen_findings = std::collections::BTreeSet::new();
    for d in &case.dismissals {
        if !seen_findings.insert(d.finding.as_str()) {
            collect(Err(vec![ValidationError::Dismissal {
                finding: d.finding.chars().take(80).collect(),
                message: "appears twice".to_owned(),
            }]));
        }
        collect(check_dismissal(d));
    }
    for entry in &case.custody {
        collect(super::check_custody_entry(entry));
    }
    for (id, p) in &case.positions {
        if !case.entities.contains_key(id) {
            errors.push(ValidationError::Missing(ItemRef::Entity(id.clone())));
        }
        if !(p.x.is_finite() && p.y.is_finite() && p.x.abs() <= 1e7 && p.y.abs() <= 1e7) {
            errors.push(ValidationError::InvalidField {
                item: ItemRef::Entity(id.clone()),
                field: "canvas position".to_owned(),
                message: format!("must be finite and within ±1e7 (got {}, {})", p.x, p.y),
            });
        }
    }
    errors
}
