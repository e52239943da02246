//! Exports of a case for other tools: `GraphML` and GEXF (Gephi, yEd, Cytoscape, networkx) and
//! CSV tables (spreadsheets).
//!
//! Both graph formats are written from one flat view of the case, [`graph_rows`], so they carry
//! exactly the same nodes, edges and attributes: entities become nodes; links become edges;
//! each shipment becomes a chain of edges along its route (shipper → forwarders → the places of
//! its legs → consignee → suspected end user, see [`shipment_hops`]), so a shipment routed only
//! through countries still has its hops: a place naming only a country is the hop to that
//! country's one jurisdiction entity (the chart draws it as a waypoint on the line instead,
//! [`crate::layout::routes`], and does not bundle; the exports keep one chain per shipment). Both graphs are directed, as one graph has one directedness for networkx and
//! Gephi: a link without a direction (family, associate ...) is written once, from its `from`
//! end, with `directed` false. Numbers are typed (`percent`, `amount`, `quantity`, `value`).
//! Everything is in id order so two exports of one case are identical.

pub mod csv;
pub mod dot;
pub mod ftm;
pub mod gexf;
pub mod graphml;
pub mod png;
pub mod svg;

use crate::layout::picture::JurisdictionIndex;
use crate::model::{Case, Entity, EntityId, LinkKind, Shipment};

/// The exports for other tools, as the File menu and `chokepoint export` offer them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataFormat {
    Graphml,
    Gexf,
    Dot,
    Csv,
    Ftm,
}

impl DataFormat {
    pub const ALL: [DataFormat; 5] = [
        DataFormat::Graphml,
        DataFormat::Gexf,
        DataFormat::Csv,
        DataFormat::Ftm,
        DataFormat::Dot,
    ];

    /// The name `chokepoint export --format` takes.
    pub fn name(self) -> &'static str {
        match self {
            DataFormat::Graphml => "graphml",
            DataFormat::Gexf => "gexf",
            DataFormat::Dot => "dot",
            DataFormat::Csv => "csv",
            DataFormat::Ftm => "ftm",
        }
    }

    pub fn from_name(name: &str) -> Option<DataFormat> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// What the user is offered: the format and who reads it.
    pub fn label(self) -> &'static str {
        match self {
            DataFormat::Graphml => "GraphML (yEd, Cytoscape, networkx, igraph)",
            DataFormat::Gexf => "GEXF 1.3 (Gephi)",
            DataFormat::Dot => "Graphviz DOT",
            DataFormat::Csv => "CSV tables (spreadsheets)",
            DataFormat::Ftm => "FollowTheMoney (Aleph, OpenSanctions tools)",
        }
    }

    /// The file name extension; for CSV, that of each of the three tables.
    pub fn extension(self) -> &'static str {
        match self {
            DataFormat::Graphml => "graphml",
            DataFormat::Gexf => "gexf",
            DataFormat::Dot => "dot",
            DataFormat::Csv => "csv",
            DataFormat::Ftm => "json",
        }
    }

    /// The files an export of `case` to `output` writes, with their contents, and notes on what
    /// the format does not carry. CSV writes three tables beside each other:
    /// `OUTPUT_entities.csv`, `OUTPUT_links.csv`, `OUTPUT_shipments.csv` (a `.csv` extension
    /// on `output` is dropped first).
    pub fn files(
        self,
        case: &Case,
        output: &std::path::Path,
    ) -> (Vec<(std::path::PathBuf, String)>, Vec<String>) {
        let one = |text: String| vec![(output.to_owned(), text)];
        match self {
            DataFormat::Graphml => (one(graphml::write(case)), Vec::new()),
            DataFormat::Gexf => (one(gexf::write(case)), Vec::new()),
            DataFormat::Dot => (one(dot::write(case)), Vec::new()),
            DataFormat::Ftm => {
                let export = ftm::write(case);
                (one(export.text), export.notes)
            }
            DataFormat::Csv => {
                let stem = if output
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
                {
                    output.with_extension("")
                } else {
                    output.to_owned()
                };
                let with_suffix = |suffix: &str| {
                    let mut name = stem.clone().into_os_string();
                    name.push(suffix);
                    std::path::PathBuf::from(name)
                };
                (
                    vec![
                        (with_suffix("_entities.csv"), csv::entities(case)),
                        (with_suffix("_links.csv"), csv::links(case)),
                        (with_suffix("_shipments.csv"), csv::shipments(case)),
                    ],
                    Vec::new(),
                )
            }
        }
    }
}

/// Whether an attribute holds text or a number, for the formats' type declarations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttrType {
    Text,
    Number,
    Boolean,
}

/// A declared attribute: its stable key and its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttrDef {
    pub key: &'static str,
    pub ty: AttrType,
}

const fn text(key: &'static str) -> AttrDef {
    AttrDef {
        key,
        ty: AttrType::Text,
    }
}

const fn number(key: &'static str) -> AttrDef {
    AttrDef {
        key,
        ty: AttrType::Number,
    }
}

const fn boolean(key: &'static str) -> AttrDef {
    AttrDef {
        key,
        ty: AttrType::Boolean,
    }
}

/// Node attributes, in the order they are declared and written.
pub const NODE_ATTRS: [AttrDef; 10] = [
    text("kind"),
    text("name"),
    text("country"),
    text("aliases"),
    text("identifiers"),
    text("eccn"),
    text("hs_code"),
    text("flags"),
    number("x"),
    number("y"),
];

/// Edge attributes, in the order they are declared and written. `percent` is an ownership's
/// share, `amount` and `currency` a payment's; `shipment` to `value` are set only on edges that
/// come from a shipment (`value` and `currency` when its goods are valued in one currency).
pub const EDGE_ATTRS: [AttrDef; 17] = [
    text("kind"),
    text("label"),
    boolean("directed"),
    text("status"),
    text("confidence"),
    text("start"),
    text("end"),
    text("description"),
    number("percent"),
    number("amount"),
    text("currency"),
    text("shipment"),
    text("role"),
    text("goods"),
    text("route"),
    number("quantity"),
    number("value"),
];

/// Separator for list values (aliases, identifiers, flags) inside one attribute.
pub const LIST_SEPARATOR: &str = "; ";

/// One node: its id, label and attribute values (in [`NODE_ATTRS`] order, empty when unknown).
#[derive(Clone, Debug, PartialEq)]
pub struct NodeRow {
    pub id: String,
    pub label: String,
    pub values: Vec<String>,
    /// Canvas position, when the case has one for this entity.
    pub position: Option<(f32, f32)>,
}

/// One edge: id, ends, direction, label and attribute values (in [`EDGE_ATTRS`] order).
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeRow {
    pub id: String,
    pub source: String,
    pub target: String,
    pub directed: bool,
    /// Kind of relation ("Ownership", "Shipment"), also GEXF's edge `kind`.
    pub kind: String,
    pub label: String,
    pub values: Vec<String>,
}

/// The flat node and edge lists both graph formats are written from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GraphRows {
    pub nodes: Vec<NodeRow>,
    pub edges: Vec<EdgeRow>,
}

/// One hop of a shipment's route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShipmentHop<'a> {
    pub from: &'a EntityId,
    pub to: &'a EntityId,
    /// Roles of the two ends, e.g. "shipper→transit".
    pub role: String,
}

/// The hops of a shipment along its route: shipper → forwarders → the places
/// of its legs (origin, transit, destination: the entity a place names, or its country's one
/// jurisdiction) → consignee → suspected end user. Roles the shipment does not have are
/// skipped; a stop that repeats the previous one (a leg's end that is the next leg's start, a
/// consignee who is also the suspected end user) adds no hop, and entities that are not in the
/// case are left out, so every hop joins two distinct entities of the case.
pub fn shipment_hops<'a>(
    case: &Case,
    places: &'a JurisdictionIndex<'a>,
    shipment: &'a Shipment,
) -> Vec<ShipmentHop<'a>> {
    let mut chain: Vec<(&'static str, &'a EntityId)> = Vec::new();
    chain.extend(shipment.shipper.as_ref().map(|id| ("shipper", id)));
    chain.extend(shipment.forwarders.iter().map(|id| ("forwarder", id)));
    let last_leg = shipment.legs.len().saturating_sub(1);
    for (n, leg) in shipment.legs.iter().enumerate() {
        let from_role = if n == 0 { "origin" } else { "transit" };
        let to_role = if n == last_leg {
            "destination"
        } else {
            "transit"
        };
        chain.extend(places.place_stop(&leg.from).map(|id| (from_role, id)));
        chain.extend(places.place_stop(&leg.to).map(|id| (to_role, id)));
    }
    chain.extend(shipment.consignee.as_ref().map(|id| ("consignee", id)));
    chain.extend(
        shipment
            .suspected_end_user
            .as_ref()
            .map(|id| ("suspected end user", id)),
    );
    chain.retain(|(_, id)| case.entities.contains_key(*id));
    chain.dedup_by(|next, prev| next.1 == prev.1);
    chain
        .windows(2)
        .map(|pair| ShipmentHop {
            from: pair[0].1,
            to: pair[1].1,
            role: format!("{}→{}", pair[0].0, pair[1].0),
        })
        .collect()
}

/// Goods of a shipment in one line, with product entities by name.
pub fn goods_summary(case: &Case, shipment: &Shipment) -> String {
    shipment.goods_summary(|id| case.entities.get(id).map(|e| e.name.clone()))
}

/// Identifiers of an entity as "Scheme: value" joined with [`LIST_SEPARATOR`].
pub fn identifiers_text(entity: &Entity) -> String {
    entity
        .identifiers
        .iter()
        .map(|i| format!("{}: {}", i.scheme.label(), i.value))
        .collect::<Vec<_>>()
        .join(LIST_SEPARATOR)
}

/// Flags of an entity as "Label (programme — authority, listed … until …: detail)" joined
/// with [`LIST_SEPARATOR`].
pub fn flags_text(entity: &Entity) -> String {
    flags_text_on(entity, None)
}

/// Flags as [`flags_text`], each judged as of `today` when given: an ended listing reads
/// "Formerly sanctioned (…)".
pub fn flags_text_on(entity: &Entity, today: Option<&crate::model::PartialDate>) -> String {
    entity
        .flags
        .iter()
        .map(|f| {
            let label = today.map_or_else(|| f.kind.label().to_owned(), |t| f.label_on(t));
            let detail = f.describe();
            if detail.is_empty() {
                label
            } else {
                format!("{label} ({detail})")
            }
        })
        .collect::<Vec<_>>()
        .join(LIST_SEPARATOR)
}

/// Formats a coordinate so it reads back as the same `f32`.
pub fn format_number(value: f32) -> String {
    if value.is_finite() {
        value.to_string()
    } else {
        "0".to_owned()
    }
}

/// A number attribute's text: empty when unknown (or not finite, which no format can carry).
fn number_text(value: Option<f64>) -> String {
    value
        .filter(|v| v.is_finite())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

/// Total quantity and, when every valued goods line is in one currency, total value and
/// currency of a shipment.
fn shipment_totals(shipment: &Shipment) -> (Option<f64>, Option<f64>, String) {
    let quantity = shipment
        .goods
        .iter()
        .any(|g| g.quantity.is_some())
        .then(|| shipment.total_quantity());
    let values: Vec<_> = shipment
        .goods
        .iter()
        .filter_map(|g| g.value.as_ref())
        .collect();
    match values.first() {
        Some(first) if values.iter().all(|v| v.currency == first.currency) => (
            quantity,
            Some(values.iter().map(|v| v.amount).sum()),
            first.currency.clone(),
        ),
        _ => (quantity, None, String::new()),
    }
}

fn date_text<T: ToString>(date: Option<&T>) -> String {
    date.map(ToString::to_string).unwrap_or_default()
}

/// Nodes and edges of `case` in stable order: entities by id, then links by id, then shipment
/// hops by shipment id and position in the chain. Links whose ends are missing are left out.
pub fn graph_rows(case: &Case) -> GraphRows {
    let nodes = case
        .entities
        .values()
        .map(|e| {
            let position = case.positions.get(&e.id).map(|p| (p.x, p.y));
            let (x, y) = position.map_or((String::new(), String::new()), |(x, y)| {
                (format_number(x), format_number(y))
            });
            NodeRow {
                id: e.id.to_string(),
                label: e.name.clone(),
                values: vec![
                    e.kind.label().to_owned(),
                    e.name.clone(),
                    date_text(e.country.as_ref()),
                    e.aliases.join(LIST_SEPARATOR),
                    identifiers_text(e),
                    e.product.eccn.clone(),
                    e.product.hs_code.clone(),
                    flags_text(e),
                    x,
                    y,
                ],
                position,
            }
        })
        .collect();

    let mut edges = Vec::new();
    for link in case.links.values() {
        if !case.entities.contains_key(&link.from) || !case.entities.contains_key(&link.to) {
            continue;
        }
        let kind = link.kind.tag().label().to_owned();
        let label = link.kind.summary();
        let directed = link.kind.is_directed();
        let (percent, amount, currency) = match &link.kind {
            LinkKind::Ownership { percent } => (*percent, None, String::new()),
            LinkKind::Payment {
                amount: Some(money),
                ..
            } => (None, Some(money.amount), money.currency.clone()),
            _ => (None, None, String::new()),
        };
        edges.push(EdgeRow {
            id: link.id.to_string(),
            source: link.from.to_string(),
            target: link.to.to_string(),
            directed,
            values: vec![
                kind.clone(),
                label.clone(),
                directed.to_string(),
                link.status.label().to_owned(),
                link.confidence.label().to_owned(),
                date_text(link.start.as_ref()),
                date_text(link.end.as_ref()),
                link.description.clone(),
                number_text(percent),
                number_text(amount),
                currency,
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ],
            kind,
            label,
        });
    }
    let places = JurisdictionIndex::new(case);
    for shipment in case.shipments.values() {
        let goods = goods_summary(case, shipment);
        let route = shipment.route_summary();
        let (quantity, value, currency) = shipment_totals(shipment);
        let label = if shipment.reference.is_empty() {
            format!("Shipment {}", shipment.id)
        } else {
            shipment.reference.clone()
        };
        for (n, hop) in shipment_hops(case, &places, shipment)
            .into_iter()
            .enumerate()
        {
            edges.push(EdgeRow {
                // Ids never contain '#', so these cannot collide with link ids.
                id: format!("{}#{}", shipment.id, n + 1),
                source: hop.from.to_string(),
                target: hop.to.to_string(),
                directed: true,
                kind: "Shipment".to_owned(),
                label: label.clone(),
                values: vec![
                    "Shipment".to_owned(),
                    label.clone(),
                    true.to_string(),
                    shipment.claim.label().to_owned(),
                    String::new(),
                    date_text(shipment.first_date()),
                    String::new(),
                    shipment.notes.clone(),
                    String::new(),
                    String::new(),
                    currency.clone(),
                    shipment.id.to_string(),
                    hop.role,
                    goods.clone(),
                    route.clone(),
                    number_text(quantity),
                    number_text(value),
                ],
            });
        }
    }
    GraphRows { nodes, edges }
}

/// Escapes `text` for XML 1.0 element content or a double-quoted attribute value.
///
/// Markup characters become entities; tab, line feed and carriage return become character
/// references so parsers keep them exactly (attribute values are otherwise normalised to
/// spaces); characters XML 1.0 forbids outright (other C0 controls, U+FFFE, U+FFFF) are dropped,
/// since no escape can carry them.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// The XML 1.0 `Char` production (Rust strings hold no surrogates, so that range needs no test).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_handles_markup_and_controls() {
        assert_eq!(
            xml_escape("A&B <C> \"d\" 'e'"),
            "A&amp;B &lt;C&gt; &quot;d&quot; &apos;e&apos;"
        );
        assert_eq!(xml_escape("a\u{0}b\u{1b}c\u{FFFF}"), "abc");
        assert_eq!(xml_escape("l1\nl2\tx\r"), "l1&#10;l2&#9;x&#13;");
        assert_eq!(xml_escape("苏菂 😀"), "苏菂 😀");
    }
}
