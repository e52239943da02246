//! Format versions and the chain of migrations that brings an older case file up to date.
//! Each old version keeps its own frozen types here, so changing today's model can never break
//! reading yesterday's files. Version 1 was the prototype format: flat metadata, string kinds,
//! and shipments with a list of countries instead of route legs.

use super::case_file::{ParseError, line_col, ron_error, ron_options};
use crate::model::{
    Case, CaseMeta, ClaimStatus, CountryCode, Entity, EntityId, EntityKind, FORMAT_VERSION,
    GoodsLine, Leg, Link, LinkId, LinkKind, Place, Shipment, ShipmentId, ShipmentStatus, Tlp,
};
use serde::Deserialize;

/// Reads `format_version: N` from the head of a case file without parsing the rest.
pub fn detect_version(text: &str) -> Result<u32, ParseError> {
    let not_a_case = || ParseError {
        location: Some((1, 1)),
        message: "this is not a Chokepoint case file: it has no format_version field".to_owned(),
    };
    let mut rest = text;
    let mut offset = 0;
    loop {
        let at = rest.find("format_version").ok_or_else(not_a_case)?;
        let abs = offset + at;
        let line_start = text[..abs].rfind('\n').map_or(0, |i| i + 1);
        let in_comment = text[line_start..abs].contains("//");
        let after = rest[at + "format_version".len()..].trim_start();
        if !in_comment && let Some(value) = after.strip_prefix(':') {
            let value = value.trim_start();
            let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
            let (line, col) = line_col(text, abs);
            return digits.parse::<u32>().map_err(|_| ParseError {
                location: Some((line, col)),
                message: "format_version must be a whole number such as 2".to_owned(),
            });
        }
        offset = abs + 1;
        rest = &text[offset..];
    }
}

/// Loads a file of an older format version and migrates it to the current one.
pub fn load_old(text: &str, version: u32) -> Result<Case, ParseError> {
    match version {
        1 => {
            let v1: v1::Case = ron_options()
                .from_str(text)
                .map_err(|e| ron_error(text, &e))?;
            v1.migrate()
        }
        v => Err(ParseError {
            location: None,
            message: format!(
                "format version {v} is not one Chokepoint ever wrote (known: 1 to {FORMAT_VERSION})"
            ),
        }),
    }
}

mod v1 {
    use super::{
        Case as CurrentCase, CaseMeta, ClaimStatus, CountryCode, Deserialize, Entity, EntityId,
        EntityKind, GoodsLine, Leg, Link, LinkId, LinkKind, ParseError, Place, Shipment,
        ShipmentId, ShipmentStatus, Tlp,
    };

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Case {
        #[allow(dead_code)]
        pub format_version: u32,
        pub title: String,
        #[serde(default)]
        pub summary: String,
        #[serde(default)]
        pub marking: String,
        #[serde(default)]
        pub entities: Vec<V1Entity>,
        #[serde(default)]
        pub links: Vec<V1Link>,
        #[serde(default)]
        pub shipments: Vec<V1Shipment>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct V1Entity {
        pub id: String,
        pub kind: String,
        pub name: String,
        #[serde(default)]
        pub country: Option<String>,
        #[serde(default)]
        pub aliases: Vec<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct V1Link {
        pub id: String,
        pub kind: String,
        pub from: String,
        pub to: String,
        #[serde(default)]
        pub note: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct V1Shipment {
        pub id: String,
        #[serde(default)]
        pub shipper: Option<String>,
        #[serde(default)]
        pub consignee: Option<String>,
        /// Countries in order of travel.
        #[serde(default)]
        pub route: Vec<String>,
        #[serde(default)]
        pub goods: String,
        #[serde(default)]
        pub quantity: Option<f64>,
    }

    fn country(code: Option<&str>, what: &str) -> Result<Option<CountryCode>, ParseError> {
        code.map(|c| {
            c.parse()
                .map_err(|e: crate::model::CountryCodeError| ParseError {
                    location: None,
                    message: format!("{what}: {e}"),
                })
        })
        .transpose()
    }

    /// Version 1 kept items in plain lists; a repeated id must not silently drop an item.
    fn duplicate(kind: &str, id: &str) -> ParseError {
        ParseError {
            location: None,
            message: format!("duplicate {kind} id \"{id}\""),
        }
    }

    impl Case {
        pub fn migrate(self) -> Result<CurrentCase, ParseError> {
            let mut case = CurrentCase {
                meta: CaseMeta {
                    id: format!("case-{}", crate::model::slug(&self.title)),
                    title: self.title,
                    summary: self.summary,
                    marking: match self.marking.trim().to_ascii_uppercase().as_str() {
                        "TLP:CLEAR" | "TLP:WHITE" => Tlp::Clear,
                        "TLP:GREEN" => Tlp::Green,
                        "TLP:AMBER+STRICT" => Tlp::AmberStrict,
                        "TLP:RED" => Tlp::Red,
                        _ => Tlp::Amber,
                    },
                    ..CaseMeta::default()
                },
                ..CurrentCase::default()
            };
            for e in self.entities {
                let (kind, unknown) = match e.kind.to_ascii_lowercase().as_str() {
                    "person" => (EntityKind::Person, None),
                    "company" => (EntityKind::Company, None),
                    "organization" | "organisation" => (EntityKind::Organization, None),
                    "address" => (EntityKind::Address, None),
                    "product" => (EntityKind::Product, None),
                    "country" | "jurisdiction" => (EntityKind::Jurisdiction, None),
                    "place" | "facility" => (EntityKind::Facility, None),
                    other => (EntityKind::Organization, Some(other.to_owned())),
                };
                let mut entity = Entity::new(e.id, kind, e.name);
                entity.country = country(e.country.as_deref(), &format!("entity {}", entity.id))?;
                entity.aliases = e.aliases;
                if let Some(k) = unknown {
                    entity.attributes.insert("v1 kind".to_owned(), k);
                }
                let id = entity.id.clone();
                if case.entities.insert(id.clone(), entity).is_some() {
                    return Err(duplicate("entity", id.as_str()));
                }
            }
            for l in self.links {
                let kind = match l.kind.to_ascii_lowercase().as_str() {
                    "owns" | "ownership" => LinkKind::Ownership { percent: None },
                    "director" | "directorship" => LinkKind::Directorship {
                        role: String::new(),
                    },
                    "employee" | "employment" => LinkKind::Employment {
                        role: String::new(),
                    },
                    "family" => LinkKind::Family {
                        relation: String::new(),
                    },
                    "associate" => LinkKind::Associate,
                    "agent" | "representation" => LinkKind::Representation {
                        role: String::new(),
                    },
                    "address" | "located_at" => LinkKind::LocatedAt,
                    "paid" | "payment" => LinkKind::Payment {
                        amount: None,
                        date: None,
                    },
                    "supplies" | "sells_to" => LinkKind::SuppliesTo,
                    "made_by" | "manufactured_by" => LinkKind::ManufacturedBy,
                    "same_as" => LinkKind::PossiblySameAs,
                    other => LinkKind::Other(other.to_owned()),
                };
                let mut link = Link::new(l.id, kind, l.from, l.to);
                link.description = l.note;
                // Version 1 had no claim status: everything in it is an allegation.
                link.status = ClaimStatus::Alleged;
                let id = link.id.clone();
                if case.links.insert(LinkId(id.0.clone()), link).is_some() {
                    return Err(duplicate("link", id.as_str()));
                }
            }
            for s in self.shipments {
                let what = format!("shipment {}", s.id);
                let stops = s
                    .route
                    .iter()
                    .map(|c| country(Some(c), &what))
                    .collect::<Result<Vec<_>, _>>()?;
                let place = |c: &Option<CountryCode>| Place {
                    name: if c.is_some() {
                        String::new()
                    } else {
                        "Unknown".to_owned()
                    },
                    country: c.clone(),
                    entity: None,
                };
                let legs = match stops.len() {
                    0 => vec![Leg {
                        from: place(&None),
                        to: place(&None),
                        ..Leg::default()
                    }],
                    1 => vec![Leg {
                        from: place(&stops[0]),
                        to: place(&stops[0]),
                        ..Leg::default()
                    }],
                    _ => stops
                        .windows(2)
                        .map(|w| Leg {
                            from: place(&w[0]),
                            to: place(&w[1]),
                            ..Leg::default()
                        })
                        .collect(),
                };
                let shipment = Shipment {
                    id: ShipmentId(s.id.clone()),
                    reference: s.id,
                    status: ShipmentStatus::Alleged,
                    claim: ClaimStatus::Alleged,
                    shipper: s.shipper.map(EntityId),
                    consignee: s.consignee.map(EntityId),
                    legs,
                    goods: if s.goods.is_empty() && s.quantity.is_none() {
                        Vec::new()
                    } else {
                        vec![GoodsLine {
                            description: s.goods,
                            quantity: s.quantity,
                            ..GoodsLine::default()
                        }]
                    },
                    ..Shipment::default()
                };
                let id = shipment.id.clone();
                if case.shipments.insert(id.clone(), shipment).is_some() {
                    return Err(duplicate("shipment", id.as_str()));
                }
            }
            Ok(case)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_detection() {
        assert_eq!(detect_version("(\n  format_version: 2,\n)"), Ok(2));
        assert_eq!(
            detect_version("// format_version: 9 in a comment\n(format_version:1)"),
            Ok(1)
        );
        assert!(detect_version("(title: \"x\")").is_err());
        assert!(detect_version("(format_version: \"two\")").is_err());
    }
}
