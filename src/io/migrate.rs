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

/// Reads `format_version: N` from a case file without parsing the rest: the first
/// `format_version` field of the outermost structure, skipping comments and strings. One pass
/// over the text (a hostile file of repeated `format_version` words is still linear).
pub fn detect_version(text: &str) -> Result<u32, ParseError> {
    let not_a_case = || ParseError {
        location: Some((1, 1)),
        message: "this is not a Chokepoint case file: it has no format_version field".to_owned(),
    };
    const FIELD: &[u8] = b"format_version";
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut depth = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = skip_line(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            b'"' => i = skip_string(bytes, i + 1),
            b'\'' => i = skip_char(bytes, i + 1),
            b'r' if is_raw_string_start(bytes, i) => i = skip_raw_string(bytes, i + 1),
            b'(' | b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            c if is_ident_byte(c) => {
                let start = i;
                while i < bytes.len() && is_ident_byte(bytes[i]) {
                    i += 1;
                }
                if depth == 1 && &bytes[start..i] == FIELD {
                    let after = skip_blank(bytes, i);
                    if bytes.get(after) == Some(&b':') {
                        let value = skip_blank(bytes, after + 1);
                        let digits_end = value
                            + bytes[value..]
                                .iter()
                                .take_while(|b| b.is_ascii_digit())
                                .count();
                        let (line, col) = line_col(text, start);
                        return text[value..digits_end]
                            .parse::<u32>()
                            .map_err(|_| ParseError {
                                location: Some((line, col)),
                                message: "format_version must be a whole number such as 2"
                                    .to_owned(),
                            });
                    }
                }
            }
            _ => i += 1,
        }
    }
    Err(not_a_case())
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whitespace and comments from `i`; returns the first index after them.
fn skip_blank(bytes: &[u8], mut i: usize) -> usize {
    loop {
        match bytes.get(i) {
            Some(b) if b.is_ascii_whitespace() => i += 1,
            Some(b'/') if bytes.get(i + 1) == Some(&b'/') => i = skip_line(bytes, i),
            Some(b'/') if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            _ => return i,
        }
    }
}

fn skip_line(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| i + p + 1)
}

/// A `/* … */` comment starting at `i`; RON's block comments nest.
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut level = 0usize;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"/*") {
            level += 1;
            i += 2;
        } else if bytes[i..].starts_with(b"*/") {
            level -= 1;
            i += 2;
            if level == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The rest of a `"…"` string whose opening quote is before `i`.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The rest of a `'…'` character literal whose opening quote is before `i`.
fn skip_char(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\'' => return i + 1,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Whether `r` at `i` starts a raw string (`r"…"` or `r#"…"#`) rather than an identifier.
fn is_raw_string_start(bytes: &[u8], i: usize) -> bool {
    if i > 0 && is_ident_byte(bytes[i - 1]) {
        return false;
    }
    let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
    bytes.get(i + 1 + hashes) == Some(&b'"')
}

/// The rest of a raw string after its `r`: `#`s, a quote, the text, a quote and as many `#`s.
/// Each byte is looked at once, however many quotes and `#`s the text holds.
fn skip_raw_string(bytes: &[u8], i: usize) -> usize {
    let hashes = bytes[i..].iter().take_while(|&&b| b == b'#').count();
    let mut j = i + hashes + 1;
    while j < bytes.len() {
        if bytes[j] == b'"' {
            let run = bytes[j + 1..]
                .iter()
                .take(hashes)
                .take_while(|&&b| b == b'#')
                .count();
            if run == hashes {
                return j + 1 + hashes;
            }
            j += 1 + run;
        } else {
            j += 1;
        }
    }
    bytes.len()
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

    #[test]
    fn version_detection_skips_strings_comments_and_nested_fields() {
        let text = "/* format_version: 7 /* nested */ */ (\n  title: \"format_version: 5\",\n  \
                    note: r##\"format_version: 6 \"# still raw\"##,\n  inner: (format_version: 4),\n  \
                    my_format_version: 3,\n  format_version /* the real one */ : 2,\n)";
        assert_eq!(detect_version(text), Ok(2));
        assert!(detect_version("(inner: (format_version: 2))").is_err());
    }

    /// A hostile file of 4 MB holding the word `format_version` some 270 000 times (in one
    /// string, on one line, and as bare words) took about a minute before detection was one
    /// pass; now it is read once. No timer: a quadratic scan would keep this test running for
    /// minutes, which CI notices.
    #[test]
    fn version_detection_is_linear_on_hostile_input() {
        let words = "format_version ".repeat(140_000);
        let text = format!("(title: \"{words}\", {words} format_version: 2)");
        assert!(text.len() > 4_000_000);
        assert_eq!(detect_version(&text), Ok(2));
    }
}
