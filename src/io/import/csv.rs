//! CSV import with a column mapping: trade records (one shipment per row, with its shipper,
//! consignee and notify party) or entity lists (one entity per row).
//!
//! A mapping names, for each column header, the field it fills. Mappings are saved as RON
//! beside the user's files and reused for the next file from the same source:
//!
//! ```ron
//! (
//!     rows: Shipments,
//!     columns: {
//!         "Shipper": Shipper,
//!         "Shipper Country": ShipperCountry,
//!         "Consignee": Consignee,
//!         "HS Code": HsCode,
//!         "Qty": Quantity,
//!         "Value (USD)": Value,
//!     },
//!     default_currency: "USD",
//! )
//! ```

use super::{ImportError, ImportSummary, Staging};
use crate::edit::Edit;
use crate::io::tabular;
use crate::layout::Progress;
use crate::model::parse::{self, DateOrder, DecimalMark};
use crate::model::{
    Case, ClaimStatus, CountryCode, Entity, EntityId, EntityKind, Flag, FlagKind, GoodsLine,
    Identifier, IdentifierScheme, Leg, Money, Place, Shipment, ShipmentId, TradeDirection,
    TradeFlow,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What one row of the file describes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowKind {
    /// A shipment (a bill of lading, customs or trade-data record).
    #[default]
    Shipments,
    /// An entity (a company register extract, a list of parties).
    Entities,
}

/// A party of a shipment row, for what every party may have beside its name (its
/// incorporation date, its flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PartyRole {
    Shipper,
    Consignee,
    NotifyParty,
    DeclaredEndUser,
    SuspectedEndUser,
    Forwarder,
    Payer,
}

impl PartyRole {
    pub const ALL: [PartyRole; 7] = [
        PartyRole::Shipper,
        PartyRole::Consignee,
        PartyRole::NotifyParty,
        PartyRole::DeclaredEndUser,
        PartyRole::SuspectedEndUser,
        PartyRole::Forwarder,
        PartyRole::Payer,
    ];

    pub fn label(self) -> &'static str {
        match self {
            PartyRole::Shipper => "Shipper",
            PartyRole::Consignee => "Consignee",
            PartyRole::NotifyParty => "Notify party",
            PartyRole::DeclaredEndUser => "Declared end user",
            PartyRole::SuspectedEndUser => "Suspected end user",
            PartyRole::Forwarder => "Forwarder",
            PartyRole::Payer => "Payer",
        }
    }

    /// The columns of this party: its name, country and address (if it has one).
    fn fields(self) -> (Field, Field, Option<Field>) {
        match self {
            PartyRole::Shipper => (
                Field::Shipper,
                Field::ShipperCountry,
                Some(Field::ShipperAddress),
            ),
            PartyRole::Consignee => (
                Field::Consignee,
                Field::ConsigneeCountry,
                Some(Field::ConsigneeAddress),
            ),
            PartyRole::NotifyParty => (Field::NotifyParty, Field::NotifyPartyCountry, None),
            PartyRole::DeclaredEndUser => {
                (Field::DeclaredEndUser, Field::DeclaredEndUserCountry, None)
            }
            PartyRole::SuspectedEndUser => (
                Field::SuspectedEndUser,
                Field::SuspectedEndUserCountry,
                None,
            ),
            PartyRole::Forwarder => (Field::Forwarder, Field::ForwarderCountry, None),
            PartyRole::Payer => (Field::Payer, Field::PayerCountry, None),
        }
    }

    /// The role a header's words name, if any ("end user" is the declared one).
    fn in_header(has: &dyn Fn(&[&str]) -> bool) -> Option<PartyRole> {
        Some(
            if has(&["suspected", "end", "user"]) || has(&["actual", "end", "user"]) {
                PartyRole::SuspectedEndUser
            } else if has(&["end", "user"]) || has(&["enduser"]) {
                PartyRole::DeclaredEndUser
            } else if has(&["forwarder"]) || has(&["forwarding"]) {
                PartyRole::Forwarder
            } else if has(&["payer"]) || has(&["paid", "by"]) || has(&["remitter"]) {
                PartyRole::Payer
            } else if has(&["notify"]) {
                PartyRole::NotifyParty
            } else if has(&["shipper"]) || has(&["exporter"]) || has(&["seller"]) {
                PartyRole::Shipper
            } else if has(&["consignee"]) || has(&["importer"]) || has(&["buyer"]) {
                PartyRole::Consignee
            } else {
                return None;
            },
        )
    }
}

/// The field a column fills.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    // Shipment rows.
    Shipper,
    ShipperCountry,
    ShipperAddress,
    Consignee,
    ConsigneeCountry,
    ConsigneeAddress,
    NotifyParty,
    NotifyPartyCountry,
    Date,
    HsCode,
    GoodsDescription,
    Quantity,
    Unit,
    Value,
    Currency,
    /// Country of origin of the goods (and of the first leg when no departure is mapped).
    Origin,
    /// A transit country; several transit columns make several legs, in column order.
    Transit,
    Destination,
    PortOfLoading,
    PortOfDischarge,
    BillOfLading,
    Reference,
    /// The product shipped, by name: an entity of kind Product, named on the goods line.
    Product,
    /// The goods' export control classification (3A090, 4A090 …).
    Eccn,
    /// The country the goods left from (the first leg's start), when it is not the shipper's.
    Departure,
    DeclaredEndUser,
    DeclaredEndUserCountry,
    SuspectedEndUser,
    SuspectedEndUserCountry,
    Forwarder,
    ForwarderCountry,
    /// Who paid the shipper: recorded as a payment of the shipment's value on its date.
    Payer,
    PayerCountry,
    /// A party's incorporation or formation date.
    PartyFounded(PartyRole),
    /// A party's flags, separated by `;`: dormant, shell company, front, listed, sanctioned,
    /// residential address, newly formed, or words of one's own ("not found at its address").
    PartyFlags(PartyRole),
    // Entity rows.
    Name,
    Alias,
    Kind,
    Country,
    Identifier(IdentifierScheme),
    Street,
    City,
    Postcode,
    Notes,
    Tag,
    /// Kept as an entity attribute under this key.
    Attribute(String),
}

impl Field {
    /// Fields offered for shipment rows, in the order the mapping dialog lists them.
    pub fn shipment_fields() -> Vec<Field> {
        let mut all = Self::SHIPMENT_BASICS.to_vec();
        for role in PartyRole::ALL {
            all.push(Field::PartyFounded(role));
            all.push(Field::PartyFlags(role));
        }
        all
    }

    const SHIPMENT_BASICS: [Field; 33] = [
        Field::Shipper,
        Field::ShipperCountry,
        Field::ShipperAddress,
        Field::Consignee,
        Field::ConsigneeCountry,
        Field::ConsigneeAddress,
        Field::NotifyParty,
        Field::NotifyPartyCountry,
        Field::Date,
        Field::HsCode,
        Field::GoodsDescription,
        Field::Quantity,
        Field::Unit,
        Field::Value,
        Field::Currency,
        Field::Origin,
        Field::Transit,
        Field::Destination,
        Field::PortOfLoading,
        Field::PortOfDischarge,
        Field::BillOfLading,
        Field::Reference,
        Field::Product,
        Field::Eccn,
        Field::Departure,
        Field::DeclaredEndUser,
        Field::DeclaredEndUserCountry,
        Field::SuspectedEndUser,
        Field::SuspectedEndUserCountry,
        Field::Forwarder,
        Field::ForwarderCountry,
        Field::Payer,
        Field::PayerCountry,
    ];

    /// Fields offered for entity rows (identifiers and attributes besides).
    pub const ENTITY_FIELDS: [Field; 9] = [
        Field::Name,
        Field::Alias,
        Field::Kind,
        Field::Country,
        Field::Street,
        Field::City,
        Field::Postcode,
        Field::Notes,
        Field::Tag,
    ];

    pub fn label(&self) -> String {
        match self {
            Field::Shipper => "Shipper".into(),
            Field::ShipperCountry => "Shipper country".into(),
            Field::ShipperAddress => "Shipper address".into(),
            Field::Consignee => "Consignee".into(),
            Field::ConsigneeCountry => "Consignee country".into(),
            Field::ConsigneeAddress => "Consignee address".into(),
            Field::NotifyParty => "Notify party".into(),
            Field::NotifyPartyCountry => "Notify party country".into(),
            Field::Date => "Date".into(),
            Field::HsCode => "HS code".into(),
            Field::GoodsDescription => "Goods description".into(),
            Field::Quantity => "Quantity".into(),
            Field::Unit => "Unit".into(),
            Field::Value => "Value".into(),
            Field::Currency => "Currency".into(),
            Field::Origin => "Origin country".into(),
            Field::Transit => "Transit country".into(),
            Field::Destination => "Destination country".into(),
            Field::PortOfLoading => "Port of loading".into(),
            Field::PortOfDischarge => "Port of discharge".into(),
            Field::BillOfLading => "Bill of lading no.".into(),
            Field::Reference => "Reference".into(),
            Field::Product => "Product".into(),
            Field::Eccn => "ECCN".into(),
            Field::Departure => "Departure country".into(),
            Field::DeclaredEndUser => "Declared end user".into(),
            Field::DeclaredEndUserCountry => "Declared end user country".into(),
            Field::SuspectedEndUser => "Suspected end user".into(),
            Field::SuspectedEndUserCountry => "Suspected end user country".into(),
            Field::Forwarder => "Forwarder".into(),
            Field::ForwarderCountry => "Forwarder country".into(),
            Field::Payer => "Payer".into(),
            Field::PayerCountry => "Payer country".into(),
            Field::PartyFounded(role) => format!("{} incorporated", role.label()),
            Field::PartyFlags(role) => format!("{} flags", role.label()),
            Field::Name => "Name".into(),
            Field::Alias => "Alias".into(),
            Field::Kind => "Kind".into(),
            Field::Country => "Country".into(),
            Field::Identifier(s) => format!("Identifier: {}", s.label()),
            Field::Street => "Street".into(),
            Field::City => "City".into(),
            Field::Postcode => "Postcode".into(),
            Field::Notes => "Notes".into(),
            Field::Tag => "Tag".into(),
            Field::Attribute(k) => format!("Attribute: {k}"),
        }
    }

    /// The field a column header most likely means, for a first guess at the mapping.
    pub fn guess(header: &str, rows: RowKind) -> Option<Field> {
        let h = header_words(header);
        let has = |words: &[&str]| words.iter().all(|w| h.split(' ').any(|x| x == *w));
        if rows == RowKind::Entities {
            return Some(match h.as_str() {
                "name" | "entity" | "company" | "company name" | "full name" => Field::Name,
                "alias" | "aliases" | "aka" | "other names" => Field::Alias,
                "kind" | "type" | "entity type" => Field::Kind,
                "country" | "jurisdiction" | "nationality" => Field::Country,
                "street" | "address" => Field::Street,
                "city" | "town" => Field::City,
                "postcode" | "postal code" | "zip" => Field::Postcode,
                "notes" | "remarks" | "description" => Field::Notes,
                "tag" | "tags" => Field::Tag,
                "registration number" | "registration no" | "reg no" | "uen" => {
                    Field::Identifier(IdentifierScheme::Registration)
                }
                "tax id" | "tax number" | "tin" => Field::Identifier(IdentifierScheme::TaxId),
                "lei" => Field::Identifier(IdentifierScheme::Lei),
                _ => return None,
            });
        }
        let role = PartyRole::in_header(&has);
        let founded = has(&["incorporated"])
            || has(&["incorporation"])
            || has(&["founded"])
            || has(&["formed"])
            || has(&["registration", "date"]);
        if let Some(role) = role {
            if founded {
                return Some(Field::PartyFounded(role));
            }
            if has(&["flags"]) || has(&["flag"]) || has(&["red", "flags"]) {
                return Some(Field::PartyFlags(role));
            }
            let (name, country, _) = role.fields();
            let new_role = !matches!(
                role,
                PartyRole::Shipper | PartyRole::Consignee | PartyRole::NotifyParty
            );
            if new_role {
                return Some(if has(&["country"]) { country } else { name });
            }
        }
        if has(&["eccn"]) || has(&["export", "control", "classification"]) {
            return Some(Field::Eccn);
        }
        if has(&["departure"]) || has(&["export", "country"]) || has(&["country", "of", "export"]) {
            return Some(Field::Departure);
        }
        if (has(&["product"]) || has(&["model"])) && !has(&["description"]) && !has(&["code"]) {
            return Some(Field::Product);
        }
        Some(
            if has(&["shipper", "country"]) || has(&["exporter", "country"]) {
                Field::ShipperCountry
            } else if has(&["shipper", "address"]) || has(&["exporter", "address"]) {
                Field::ShipperAddress
            } else if has(&["consignee", "country"]) || has(&["importer", "country"]) {
                Field::ConsigneeCountry
            } else if has(&["consignee", "address"]) || has(&["importer", "address"]) {
                Field::ConsigneeAddress
            } else if has(&["notify", "country"]) {
                Field::NotifyPartyCountry
            } else if has(&["notify"]) {
                Field::NotifyParty
            } else if has(&["shipper"]) || has(&["exporter"]) || has(&["seller"]) {
                Field::Shipper
            } else if has(&["consignee"]) || has(&["importer"]) || has(&["buyer"]) {
                Field::Consignee
            } else if has(&["hs"]) || has(&["hts"]) || has(&["tariff"]) {
                Field::HsCode
            } else if has(&["description"]) || has(&["goods"]) || has(&["product"]) {
                Field::GoodsDescription
            } else if has(&["quantity"]) || has(&["qty"]) {
                Field::Quantity
            } else if has(&["unit"]) || has(&["uom"]) {
                Field::Unit
            } else if has(&["currency"]) {
                Field::Currency
            } else if has(&["value"]) || has(&["amount"]) {
                Field::Value
            } else if has(&["origin"]) {
                Field::Origin
            } else if has(&["transit"]) || has(&["via"]) {
                Field::Transit
            } else if has(&["destination"]) {
                Field::Destination
            } else if has(&["bill"]) || has(&["b", "l"]) || has(&["bol"]) || has(&["awb"]) {
                // Before the ports: "bill of lading" names a document, not a port.
                Field::BillOfLading
            } else if has(&["unlading"])
                || has(&["discharge"])
                || has(&["pod"])
                || has(&["unloading"])
            {
                Field::PortOfDischarge
            } else if has(&["loading"]) || has(&["lading"]) || has(&["pol"]) {
                Field::PortOfLoading
            } else if has(&["date"]) {
                Field::Date
            } else if has(&["reference"]) || has(&["ref"]) || has(&["invoice"]) {
                Field::Reference
            } else {
                return None;
            },
        )
    }
}

/// A header as lower-case words: punctuation and underscores separate words, and so does a
/// capital after a small letter (`SHIPPER_NAME`, `shipper-name` and `shipperName` are all
/// "shipper name"; `partnerISO` is "partner iso").
pub fn header_words(header: &str) -> String {
    let mut out = String::with_capacity(header.len() + 4);
    let mut previous_lower = false;
    for c in header.chars() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && previous_lower {
                out.push(' ');
            }
            previous_lower = c.is_lowercase() || c.is_ascii_digit();
            out.extend(c.to_lowercase());
        } else {
            out.push(' ');
            previous_lower = false;
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the headers are those of trade statistics (UN Comtrade's layout: a reporter, a
/// partner, a commodity code and a trade value per row), which are national totals for a
/// year or month, not shipments.
pub fn is_trade_statistics(headers: &[String]) -> bool {
    let words: Vec<String> = headers.iter().map(|h| header_words(h)).collect();
    let any = |names: &[&str]| words.iter().any(|w| names.contains(&w.as_str()));
    any(&["reporter code", "reporter iso", "reporter desc", "reporter"])
        && any(&["partner code", "partner iso", "partner desc", "partner"])
        && any(&["cmd code", "commodity code", "cmd desc"])
        && any(&[
            "primary value",
            "trade value",
            "fobvalue",
            "cifvalue",
            "fob value",
            "cif value",
        ])
}

/// Largest mapping file read (1 MiB): a mapping names a field for each column.
pub const MAX_MAPPING_BYTES: u64 = 1 << 20;

/// How to read a CSV file: delimiter, what rows are, and which column fills which field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CsvMapping {
    /// None: detect from the file.
    pub delimiter: Option<char>,
    pub rows: RowKind,
    /// Column header → field. Columns not named are ignored.
    pub columns: BTreeMap<String, Field>,
    /// Currency of values when no currency column is mapped (ISO 4217, e.g. USD).
    pub default_currency: String,
    /// Kind of entity for entity rows without a kind column, and for shipment parties.
    pub entity_kind: EntityKind,
    /// Days before months in dates such as 03/04/2024 (the usual order outside the US).
    pub day_first: bool,
    /// What separates decimals in numbers: a point (1,200.50) or a comma (1.200,50).
    pub decimal_mark: DecimalMark,
}

impl Default for CsvMapping {
    fn default() -> Self {
        Self {
            delimiter: None,
            rows: RowKind::Shipments,
            columns: BTreeMap::new(),
            default_currency: "USD".to_owned(),
            entity_kind: EntityKind::Company,
            day_first: true,
            decimal_mark: DecimalMark::Point,
        }
    }
}

impl CsvMapping {
    /// A first guess from the headers.
    pub fn guess(headers: &[String], rows: RowKind) -> Self {
        let mut columns = BTreeMap::new();
        for h in headers {
            if let Some(f) = Field::guess(h, rows) {
                columns.insert(h.clone(), f);
            }
        }
        Self {
            rows,
            columns,
            ..Self::default()
        }
    }

    pub fn to_ron(&self) -> String {
        ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default()).unwrap_or_default()
    }

    pub fn from_ron(text: &str) -> Result<Self, ImportError> {
        ron::from_str(text).map_err(|e| ImportError::Mapping(e.to_string()))
    }

    /// Reads a saved mapping file (a regular file of at most [`MAX_MAPPING_BYTES`]).
    pub fn from_file(path: &std::path::Path) -> Result<Self, ImportError> {
        let text = crate::io::input::read_bounded_text(path, MAX_MAPPING_BYTES, "mapping files")
            .map_err(|e| ImportError::Io(e.to_string()))?;
        Self::from_ron(&text)
    }
}

/// A CSV file read for preview and import: its encoding, delimiter, headers, and the text of
/// its rows, split into fields only when they are read (so a large file is held once, as
/// text, not as a table of strings that took 26 times the file's size).
#[derive(Clone, Debug, PartialEq)]
pub struct CsvTable {
    pub encoding: tabular::Encoding,
    pub delimiter: char,
    pub headers: Vec<String>,
    text: String,
    /// Where the first row after the header starts (byte offset, line).
    body: (usize, usize),
    row_count: usize,
}

impl CsvTable {
    /// Decodes a file and checks that it splits into records; the first record is the header
    /// row. A quoted field that never closes is an error naming its line.
    pub fn read(bytes: &[u8], delimiter: Option<char>) -> Result<Self, ImportError> {
        let (text, encoding) = tabular::decode(bytes);
        let delimiter = delimiter.unwrap_or_else(|| tabular::detect_delimiter(&text));
        let syntax = |e: tabular::DelimitedError| ImportError::Syntax {
            line: e.line,
            message: e.message,
        };
        let mut records = tabular::Records::new(&text, delimiter);
        let headers: Vec<String> = records
            .next()
            .ok_or_else(|| ImportError::Syntax {
                line: 1,
                message: "the file is empty: expected a header row".to_owned(),
            })?
            .map_err(syntax)?
            .fields
            .into_iter()
            .map(|h| h.trim().to_owned())
            .collect();
        let body = records.position();
        let mut row_count = 0;
        for record in records {
            record.map_err(syntax)?;
            row_count += 1;
        }
        Ok(Self {
            encoding,
            delimiter,
            headers,
            text,
            body,
            row_count,
        })
    }

    /// Number of rows after the header.
    pub fn row_count(&self) -> usize {
        self.row_count
    }

    /// The rows after the header, split as they are read.
    pub fn rows(&self) -> impl Iterator<Item = Vec<String>> + '_ {
        // `read` checked every record, so none of them fails here.
        tabular::Records::resume(&self.text, self.delimiter, self.body)
            .map_while(Result::ok)
            .map(|r| r.fields)
    }
}

impl CsvMapping {
    /// How all-number dates of this file are read.
    fn date_order(&self) -> DateOrder {
        if self.day_first {
            DateOrder::DayFirst
        } else {
            DateOrder::MonthFirst
        }
    }
}

/// Imports the rows of `table` into `case` by `mapping`: one edit (one undo step) and a
/// summary. `progress` reports the fraction of rows done and can cancel.
pub fn import(
    table: &CsvTable,
    mapping: &CsvMapping,
    case: &Case,
    progress: &Progress,
) -> Result<(Edit, ImportSummary), ImportError> {
    if mapping.rows == RowKind::Shipments && is_trade_statistics(&table.headers) {
        // A Comtrade row is a country's total trade in a commodity with a partner over a
        // period ("World" rows are sums of the others): read as shipments it would make
        // parties of countries and codes and raise findings about flows no one shipped. It is
        // kept as what it is, beside the shipments.
        return Ok(import_statistics(table, case));
    }
    let columns: Vec<Option<&Field>> = table
        .headers
        .iter()
        .map(|h| mapping.columns.get(h))
        .collect();
    let missing: Vec<&String> = mapping
        .columns
        .keys()
        .filter(|k| !table.headers.contains(k))
        .collect();
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        return Err(ImportError::Mapping(format!(
            "the file has no column named {} (its columns: {})",
            names.join(", "),
            table.headers.join(", ")
        )));
    }
    let needed = match mapping.rows {
        RowKind::Shipments => [Field::Shipper, Field::Consignee],
        RowKind::Entities => [Field::Name, Field::Name],
    };
    if !columns.iter().flatten().any(|f| needed.contains(f)) {
        return Err(ImportError::Mapping(match mapping.rows {
            RowKind::Shipments => "map a column to Shipper or Consignee".to_owned(),
            RowKind::Entities => "map a column to Name".to_owned(),
        }));
    }
    let mut staging = Staging::new(case);
    staging.summary.records = table.row_count();
    let total = table.row_count().max(1);
    // Non-empty cells of each column that no field carries (unmapped, or mapped to a field
    // of the other kind of rows); the last slot counts cells beyond the header.
    let mut unused = vec![0usize; table.headers.len() + 1];
    for (i, row) in table.rows().enumerate() {
        if i % 256 == 0 {
            if progress.is_cancelled() {
                return Err(ImportError::Cancelled);
            }
            progress.set_fraction(i as f32 / total as f32);
        }
        // The header is row 1; rows are numbered as a spreadsheet shows them (a quoted field
        // with line breaks does not shift the numbers as it would a text editor's lines).
        let line = i + 2;
        let mut values: Vec<(&Field, &str)> = Vec::new();
        for (col, value) in row.iter().enumerate() {
            if let Some(Some(field)) = columns.get(col) {
                let v = value.trim();
                if !v.is_empty() {
                    values.push((field, v));
                }
            }
        }
        for (col, value) in row.iter().enumerate() {
            let carried = match columns.get(col) {
                Some(Some(field)) => applies(field, mapping.rows),
                _ => false,
            };
            if !carried && !value.trim().is_empty() {
                let slot = col.min(table.headers.len());
                unused[slot] += 1;
            }
        }
        // Cells whose text could not be read as their field's type: each is reported, and
        // its text kept (in notes or attributes), never dropped or cut to a prefix.
        let mut refused: Vec<Refused> = Vec::new();
        let result = match mapping.rows {
            RowKind::Shipments => shipment_row(&values, mapping, line, &mut refused, &mut staging),
            RowKind::Entities => {
                entity_row(&values, mapping, line, &mut refused, &mut staging).map(|_| ())
            }
        };
        match result {
            Err(why) => staging.skip(format!("row {line}: {why}")),
            Ok(()) => {
                for r in refused {
                    staging.not_carried(&r.field, &r.kept, || {
                        format!("row {line}: “{}” ({})", r.text, r.why)
                    });
                }
            }
        }
    }
    progress.set_fraction(1.0);
    for (col, n) in unused.into_iter().enumerate() {
        let (name, why) = match (table.headers.get(col), columns.get(col)) {
            (Some(h), Some(Some(f))) => (
                format!("column “{h}”"),
                format!("mapped to {}, which these rows do not have", f.label()),
            ),
            (Some(h), _) => (format!("column “{h}”"), "not mapped to a field".to_owned()),
            (None, _) => (
                "cells beyond the last header".to_owned(),
                "no column to map them to".to_owned(),
            ),
        };
        staging.not_carried_many(&name, &why, n);
    }
    staging.finish()
}

/// Whether a field is read from rows of this kind.
fn applies(field: &Field, rows: RowKind) -> bool {
    match rows {
        RowKind::Shipments => {
            Field::SHIPMENT_BASICS.contains(field)
                || matches!(field, Field::PartyFounded(_) | Field::PartyFlags(_))
        }
        RowKind::Entities => {
            Field::ENTITY_FIELDS.contains(field)
                || matches!(field, Field::Identifier(_) | Field::Attribute(_))
        }
    }
}

fn get<'v>(values: &[(&Field, &'v str)], field: &Field) -> Option<&'v str> {
    values.iter().find(|(f, _)| *f == field).map(|(_, v)| *v)
}

/// A cell whose text could not be read as its field's type: the summary counts it under its
/// field, with the row, the text and the reason as an example.
struct Refused {
    field: String,
    text: String,
    why: String,
    kept: String,
}

fn refusal(field: &Field, text: &str, why: &parse::ValueError, kept: &str) -> Refused {
    Refused {
        field: field.label(),
        text: text.chars().take(60).collect(),
        why: why.to_string(),
        kept: format!("not read; {kept}"),
    }
}

/// The country a cell names, or `None` with the refusal recorded.
fn country_cell(
    field: &Field,
    text: Option<&str>,
    kept: &str,
    refused: &mut Vec<Refused>,
) -> Option<CountryCode> {
    let text = text?;
    match parse::country(text) {
        Ok(c) => Some(c),
        Err(why) => {
            refused.push(refusal(field, text, &why, kept));
            None
        }
    }
}

fn entity_row(
    values: &[(&Field, &str)],
    mapping: &CsvMapping,
    line: usize,
    refused: &mut Vec<Refused>,
    staging: &mut Staging<'_>,
) -> Result<EntityId, String> {
    let name = get(values, &Field::Name).ok_or("no name")?;
    let kind = get(values, &Field::Kind)
        .and_then(|k| {
            EntityKind::ALL
                .iter()
                .copied()
                .find(|x| x.label().eq_ignore_ascii_case(k.trim()))
        })
        .unwrap_or(mapping.entity_kind);
    let mut e = Entity::new(EntityId::default(), kind, name);
    for (field, v) in values {
        match field {
            Field::Alias => e.aliases.extend(
                v.split(';')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_owned),
            ),
            Field::Country => {
                e.country = country_cell(
                    field,
                    Some(v),
                    "kept as the attribute \"country (as given)\"",
                    refused,
                );
                if e.country.is_none() {
                    e.attributes
                        .insert("country (as given)".to_owned(), (*v).to_owned());
                }
            }
            Field::Identifier(scheme) => e.identifiers.push(Identifier {
                scheme: scheme.clone(),
                value: (*v).to_owned(),
                issuer: None,
            }),
            Field::Street => e.address.street = (*v).to_owned(),
            Field::City => e.address.city = (*v).to_owned(),
            Field::Postcode => e.address.postcode = (*v).to_owned(),
            Field::Notes => e.notes = (*v).to_owned(),
            Field::Tag => e.tags.push((*v).to_owned()),
            Field::Attribute(k) => {
                e.attributes.insert(k.clone(), (*v).to_owned());
            }
            _ => {}
        }
    }
    Ok(staging.add_entity(e, &format!("row {line}")))
}

/// A party of a shipment row: its name, country and address columns, its incorporation date
/// and its flags.
fn party(
    values: &[(&Field, &str)],
    role: PartyRole,
    mapping: &CsvMapping,
    line: usize,
    refused: &mut Vec<Refused>,
    staging: &mut Staging<'_>,
) -> Option<EntityId> {
    let (name, country_field, address) = role.fields();
    let name = get(values, &name)?;
    let mut e = Entity::new(EntityId::default(), mapping.entity_kind, name);
    let given = get(values, &country_field);
    e.country = country_cell(
        &country_field,
        given,
        "kept as the party's attribute \"country (as given)\"",
        refused,
    );
    if let (None, Some(text)) = (&e.country, given) {
        e.attributes
            .insert("country (as given)".to_owned(), text.to_owned());
    }
    if let Some(a) = address.and_then(|f| get(values, &f)) {
        e.address.street = a.to_owned();
    }
    let founded = Field::PartyFounded(role);
    if let Some(text) = get(values, &founded) {
        match parse::date(text, mapping.date_order()) {
            Ok(date) => e.start = Some(date),
            Err(why) => {
                refused.push(refusal(
                    &founded,
                    text,
                    &why,
                    "kept as the party's attribute \"incorporated (as given)\"",
                ));
                e.attributes
                    .insert("incorporated (as given)".to_owned(), text.to_owned());
            }
        }
    }
    if let Some(text) = get(values, &Field::PartyFlags(role)) {
        e.flags.extend(
            text.split(';')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .map(flag_from_words),
        );
    }
    Some(staging.add_entity(e, &format!("row {line}")))
}

/// A flag as a trade record or an analyst's sheet writes it: "dormant", "shell company",
/// "front", "residential address", "newly formed", "listed (Entity List)", "sanctioned", or
/// words of one's own ("not found at its address"), kept as written. Reported, not proven.
fn flag_from_words(words: &str) -> Flag {
    let w = words.to_lowercase();
    let kind = if w.contains("dormant") {
        FlagKind::Dormant
    } else if w.contains("shell") {
        FlagKind::ShellCompany
    } else if w.contains("front") {
        FlagKind::SuspectedFront
    } else if w.contains("residential") {
        FlagKind::ResidentialAddress
    } else if w.contains("newly formed") || w.contains("new company") {
        FlagKind::NewlyFormed
    } else if w.contains("sanction") {
        FlagKind::Sanctioned
    } else if w.contains("listed") || w.contains("entity list") {
        FlagKind::Listed
    } else {
        FlagKind::Other(words.to_owned())
    };
    Flag {
        detail: if matches!(kind, FlagKind::Other(_)) {
            String::new()
        } else {
            words.to_owned()
        },
        kind,
        status: ClaimStatus::Reported,
        ..Flag::default()
    }
}

fn place(name: Option<&str>, country: Option<CountryCode>) -> Place {
    let name = match (name, &country) {
        (Some(n), _) => n.to_owned(),
        (None, Some(c)) => crate::layout::geo::country_name(c)
            .unwrap_or_default()
            .to_owned(),
        (None, None) => "Unknown".to_owned(),
    };
    Place {
        name,
        country,
        entity: None,
    }
}

#[allow(clippy::too_many_lines)]
fn shipment_row(
    values: &[(&Field, &str)],
    mapping: &CsvMapping,
    line: usize,
    refused: &mut Vec<Refused>,
    staging: &mut Staging<'_>,
) -> Result<(), String> {
    let mut party_of = |role| party(values, role, mapping, line, &mut *refused, &mut *staging);
    let shipper = party_of(PartyRole::Shipper);
    let consignee = party_of(PartyRole::Consignee);
    let notify = party_of(PartyRole::NotifyParty);
    let declared_end_user = party_of(PartyRole::DeclaredEndUser);
    let suspected_end_user = party_of(PartyRole::SuspectedEndUser);
    let forwarder = party_of(PartyRole::Forwarder);
    let payer = party_of(PartyRole::Payer);
    if shipper.is_none() && consignee.is_none() {
        return Err("neither shipper nor consignee".to_owned());
    }
    let party_country = |id: &Option<EntityId>| {
        id.as_ref()
            .and_then(|id| staging.entity(id))
            .and_then(|e| e.country.clone())
    };
    let mut notes = Vec::new();
    let kept_in_notes = "kept in the shipment's notes";
    let mut place_country = |field: &Field, notes: &mut Vec<String>| {
        let text = get(values, field);
        let c = country_cell(field, text, kept_in_notes, refused);
        if let (None, Some(t)) = (&c, text) {
            notes.push(format!("{} as given: {t}", field.label()));
        }
        c
    };
    let origin = place_country(&Field::Origin, &mut notes);
    let departure = place_country(&Field::Departure, &mut notes);
    let destination = place_country(&Field::Destination, &mut notes);
    // The route starts where the goods left from: the departure column, else the shipper's
    // country; the goods' origin only when neither is known (goods made in one country are
    // often shipped from another).
    let start = departure
        .or_else(|| party_country(&shipper))
        .or_else(|| origin.clone());
    let end = destination.or_else(|| party_country(&consignee));
    let mut stops: Vec<Place> = vec![place(get(values, &Field::PortOfLoading), start)];
    for (f, v) in values {
        if **f == Field::Transit {
            // A transit cell is a country or, failing that, a place named as written.
            match parse::country(v) {
                Ok(c) => stops.push(place(None, Some(c))),
                Err(_) => stops.push(place(Some(v), None)),
            }
        }
    }
    stops.push(place(get(values, &Field::PortOfDischarge), end));
    let date = match get(values, &Field::Date) {
        Some(d) => match parse::date(d, mapping.date_order()) {
            Ok(date) => Some(date),
            Err(why) => {
                notes.push(format!("Date as given: {d}"));
                refused.push(refusal(&Field::Date, d, &why, kept_in_notes));
                None
            }
        },
        None => None,
    };
    let legs: Vec<Leg> = stops
        .windows(2)
        .enumerate()
        .map(|(i, w)| Leg {
            from: w[0].clone(),
            to: w[1].clone(),
            departed: if i == 0 { date.clone() } else { None },
            transport_document: if i == 0 {
                get(values, &Field::BillOfLading)
                    .unwrap_or_default()
                    .to_owned()
            } else {
                String::new()
            },
            ..Leg::default()
        })
        .collect();
    let mark = mapping.decimal_mark;
    let column_currency = match get(values, &Field::Currency) {
        Some(text) => match parse::currency(text) {
            Ok(c) => Some(c),
            Err(why) => {
                notes.push(format!("Currency as given: {text}"));
                refused.push(refusal(&Field::Currency, text, &why, kept_in_notes));
                None
            }
        },
        None => None,
    };
    let default_currency = parse::currency(&mapping.default_currency).ok();
    let value = get(values, &Field::Value).and_then(|text| {
        let context = column_currency.as_deref().or(default_currency.as_deref());
        let read = parse::amount_and_currency_with(text, context, mark).and_then(
            |(amount, written)| match (written, &column_currency) {
                (Some(w), Some(c)) if w != *c => Err(parse::ValueError {
                    reason: format!("the value is in {w} but the currency column says {c}"),
                }),
                (Some(w), _) => Ok(Some(Money {
                    amount,
                    currency: w,
                })),
                (None, Some(c)) => Ok(Some(Money {
                    amount,
                    currency: c.clone(),
                })),
                (None, None) => {
                    if let Some(d) = &default_currency {
                        Ok(Some(Money {
                            amount,
                            currency: d.clone(),
                        }))
                    } else {
                        notes.push(format!("Value {amount} (currency not given)"));
                        Ok(None)
                    }
                }
            },
        );
        match read {
            Ok(money) => money,
            Err(why) => {
                notes.push(format!("Value as given: {text}"));
                refused.push(refusal(&Field::Value, text, &why, kept_in_notes));
                None
            }
        }
    });
    let mut unit = get(values, &Field::Unit).unwrap_or_default().to_owned();
    let quantity = get(values, &Field::Quantity).and_then(|text| {
        let read = parse::quantity_and_unit(text, mark).and_then(|(q, written)| match written {
            Some(w) if !unit.is_empty() && !w.eq_ignore_ascii_case(&unit) => {
                Err(parse::ValueError {
                    reason: format!("the quantity is in {w} but the unit column says {unit}"),
                })
            }
            Some(w) => {
                if unit.is_empty() {
                    unit = w;
                }
                Ok(q)
            }
            None => Ok(q),
        });
        match read {
            Ok(q) => Some(q),
            Err(why) => {
                notes.push(format!("Quantity as given: {text}"));
                refused.push(refusal(&Field::Quantity, text, &why, kept_in_notes));
                None
            }
        }
    });
    let eccn = get(values, &Field::Eccn)
        .unwrap_or_default()
        .trim()
        .to_owned();
    let product = get(values, &Field::Product).map(|name| {
        let mut p = Entity::new(EntityId::default(), EntityKind::Product, name);
        p.product.eccn.clone_from(&eccn);
        if let Some(hs) = get(values, &Field::HsCode) {
            hs.trim().clone_into(&mut p.product.hs_code);
        }
        staging.add_entity(p, &format!("row {line}"))
    });
    let goods = GoodsLine {
        product,
        eccn,
        description: get(values, &Field::GoodsDescription)
            .unwrap_or_default()
            .to_owned(),
        quantity,
        unit,
        value,
        hs_code: get(values, &Field::HsCode).unwrap_or_default().to_owned(),
        origin,
    };
    let reference = get(values, &Field::Reference)
        .or_else(|| get(values, &Field::BillOfLading))
        .map_or_else(|| format!("Imported row {line}"), str::to_owned);
    let id = ShipmentId(staging.fresh_id(ShipmentId::PREFIX, &reference));
    let has_goods = goods.product.is_some()
        || !goods.eccn.is_empty()
        || !goods.description.is_empty()
        || goods.quantity.is_some()
        || goods.value.is_some()
        || !goods.hs_code.is_empty();
    // The payer paid the shipper for these goods: a payment of the shipment's value on its
    // date, which is how the rules find a shipment's payer.
    if let (Some(payer), Some(paid)) = (&payer, &shipper) {
        let link_id = crate::model::LinkId(staging.fresh_id(
            crate::model::LinkId::PREFIX,
            &format!("payment {reference}"),
        ));
        let mut link = crate::model::Link::new(
            link_id,
            crate::model::LinkKind::Payment {
                amount: goods.value.clone(),
                date: date.clone(),
            },
            payer.clone(),
            paid.clone(),
        );
        link.status = ClaimStatus::Reported;
        staging.add_link(link);
    }
    staging.add_shipment(Shipment {
        id,
        reference,
        claim: ClaimStatus::Reported,
        shipper,
        consignee,
        notify_party: notify,
        declared_end_user,
        suspected_end_user,
        forwarders: forwarder.into_iter().collect(),
        legs,
        goods: if has_goods { vec![goods] } else { Vec::new() },
        notes: notes.join("\n"),
        ..Shipment::default()
    });
    Ok(())
}

/// Reads trade statistics in UN Comtrade's layout (the API's camelCase columns, or the
/// spelt-out headers of its bulk files): one [`TradeFlow`] per row, the "World" partner as
/// the total over all partners, rows already in the case left out. Rows naming no country
/// (Comtrade's "areas, not elsewhere specified") are skipped with the reason.
fn import_statistics(table: &CsvTable, case: &Case) -> (Edit, ImportSummary) {
    let words: Vec<String> = table.headers.iter().map(|h| header_words(h)).collect();
    // The first of `names` (in their order) that a header spells.
    let col = |names: &[&str]| names.iter().find_map(|n| words.iter().position(|w| w == n));
    let reporter_cols = [
        col(&["reporter iso", "reporter iso3"]),
        col(&["reporter code"]),
        col(&["reporter desc", "reporter"]),
    ];
    let partner_cols = [
        col(&["partner iso", "partner iso3"]),
        col(&["partner code"]),
        col(&["partner desc", "partner"]),
    ];
    let flow_col = col(&["flow code", "trade flow code"]).or(col(&["flow desc", "trade flow"]));
    let period_col = col(&["period", "ref period id"]).or(col(&["ref year", "year"]));
    let cmd_col = col(&["cmd code", "commodity code"]);
    let desc_col = col(&["cmd desc", "commodity"]);
    let value_col = col(&["primary value", "trade value us", "trade value"])
        .or(col(&["fobvalue", "fob value"]))
        .or(col(&["cifvalue", "cif value"]));
    let qty_col = col(&["qty"]);
    let unit_col = col(&["qty unit abbr"]);
    let weight_col = col(&["net wgt", "netweight kg", "net weight kg"]);
    let mut summary = ImportSummary::default();
    let mut rows: Vec<TradeFlow> = Vec::new();
    let mut totals = 0;
    let mut already = 0;
    let mut seen: std::collections::HashSet<String> = case
        .statistics
        .iter()
        .filter_map(|f| serde_json::to_string(f).ok())
        .collect();
    for (n, row) in table.rows().enumerate() {
        let line = n + 2;
        summary.records += 1;
        let cell = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
        };
        let world = |c: [Option<usize>; 3]| {
            cell(c[0]) == Some("W00") || cell(c[1]) == Some("0") || cell(c[2]) == Some("World")
        };
        // The first of ISO code, number and name that reads as a country.
        let country = |c: [Option<usize>; 3]| -> Result<CountryCode, String> {
            // The reason given is the first column's: a code says more than a name.
            let mut why = None;
            for text in c.into_iter().filter_map(cell) {
                match parse::country(text) {
                    Ok(code) => return Ok(code),
                    Err(e) => {
                        why.get_or_insert_with(|| format!("{text}: {e}"));
                    }
                }
            }
            Err(why.unwrap_or_else(|| "no country given".to_owned()))
        };
        let reporter = match country(reporter_cols) {
            Ok(c) => c,
            Err(why) => {
                summary.skipped.push(format!("row {line}: reporter {why}"));
                continue;
            }
        };
        let partner = if world(partner_cols) {
            totals += 1;
            None
        } else {
            match country(partner_cols) {
                Ok(c) => Some(c),
                Err(why) => {
                    summary.skipped.push(format!("row {line}: partner {why}"));
                    continue;
                }
            }
        };
        let Some(direction) = cell(flow_col).and_then(TradeDirection::parse) else {
            summary
                .skipped
                .push(format!("row {line}: no trade flow (export, import …)"));
            continue;
        };
        let period_text = cell(period_col).unwrap_or_default();
        let period = match period_text.len() {
            6 if period_text.chars().all(|c| c.is_ascii_digit()) => {
                format!("{}-{}", &period_text[..4], &period_text[4..]).parse()
            }
            8 if period_text.chars().all(|c| c.is_ascii_digit()) => period_text[..4].parse(),
            _ => period_text.parse(),
        };
        let Ok(period) = period else {
            summary.skipped.push(format!(
                "row {line}: period “{period_text}” is not a year or month"
            ));
            continue;
        };
        let number = |c: Option<usize>| {
            cell(c)
                .and_then(|t| t.parse::<f64>().ok())
                .filter(|v| v.is_finite() && *v >= 0.0)
        };
        let unit = cell(unit_col)
            .filter(|u| !u.eq_ignore_ascii_case("n/a"))
            .unwrap_or_default()
            .to_owned();
        let flow = TradeFlow {
            reporter,
            partner,
            direction,
            period,
            commodity: cell(cmd_col).unwrap_or_default().to_owned(),
            description: cell(desc_col).unwrap_or_default().to_owned(),
            value: number(value_col).map(|amount| Money {
                amount,
                currency: "USD".to_owned(),
            }),
            quantity: number(qty_col).filter(|_| !unit.is_empty()),
            unit,
            net_weight_kg: number(weight_col).filter(|w| *w > 0.0),
            source: "UN Comtrade".to_owned(),
        };
        // One key a row (its JSON): a re-imported file is found in one lookup per row.
        let key = serde_json::to_string(&flow).unwrap_or_default();
        if !seen.insert(key) {
            already += 1;
            continue;
        }
        rows.push(flow);
    }
    summary.statistics_added = rows.len();
    summary.notes.push(
        "Trade statistics are national totals for a period, not shipments: they are shown in \
         the Flows tab beside the shipments and raise no findings."
            .to_owned(),
    );
    if totals > 0 {
        summary.notes.push(format!(
            "{totals} row(s) are totals over all partners (\"World\"): shown apart, never \
             added to the rows per partner."
        ));
    }
    if already > 0 {
        summary.notes.push(format!(
            "{already} row(s) were already in the case: left out."
        ));
    }
    let mut all = case.statistics.clone();
    all.extend(rows);
    (Edit::SetStatistics(all), summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table as `CsvTable::read` makes it from a file with these cells, each quoted.
    fn table(headers: &[&str], rows: &[&[&str]]) -> CsvTable {
        let line = |cells: &[&str]| -> String {
            let quoted: Vec<String> = cells
                .iter()
                .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
                .collect();
            quoted.join(",") + "\n"
        };
        let mut text = line(headers);
        for r in rows {
            text.push_str(&line(r));
        }
        CsvTable::read(text.as_bytes(), Some(',')).expect("the test table reads")
    }

    #[test]
    fn cells_are_read_by_the_shared_parsers_and_refusals_reported() {
        let t = table(
            &["Shipper", "Qty", "Value", "Currency", "Date", "Origin"],
            &[
                &["A Ltd", "1,200", "USD 5,600,000", "", "28/11/2024", "SGP"],
                &["B Ltd", "5O", "2,5", "USD", "2024-02-31", "Atlantis"],
                &["C Ltd", "200 PCS", "1,200.00", "SGD", "Nov 2024", "702"],
            ],
        );
        let mapping = CsvMapping::guess(&t.headers, RowKind::Shipments);
        let (edit, summary) =
            import(&t, &mapping, &Case::default(), &Progress::new()).expect("imports");
        let mut case = Case::default();
        case.apply(edit).expect("applies");
        let by = |name: &str| {
            case.shipments
                .values()
                .find(|s| {
                    s.shipper
                        .as_ref()
                        .is_some_and(|id| case.entities[id].name == name)
                })
                .expect(name)
        };
        let a = by("A Ltd");
        assert_eq!(a.goods[0].quantity, Some(1200.0));
        assert_eq!(
            a.goods[0].value,
            Some(Money {
                amount: 5_600_000.0,
                currency: "USD".into()
            })
        );
        assert_eq!(
            a.legs[0]
                .departed
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("2024-11-28")
        );
        assert_eq!(
            a.goods[0].origin.as_ref().map(CountryCode::as_str),
            Some("SG")
        );
        // Nothing of a refused cell is stored as a value; its text is in the notes and each
        // is reported with its row and reason.
        let b = by("B Ltd");
        assert_eq!(
            b.goods.first().and_then(|g| g.quantity),
            None,
            "5O is not 5"
        );
        assert_eq!(
            b.goods.first().and_then(|g| g.value.clone()),
            None,
            "2,5 is not guessed"
        );
        assert_eq!(b.legs[0].departed, None, "2024-02-31 is not 2024-02");
        for kept in [
            "Quantity as given: 5O",
            "Value as given: 2,5",
            "Date as given: 2024-02-31",
            "Origin country as given: Atlantis",
        ] {
            assert!(b.notes.contains(kept), "{kept} in {:?}", b.notes);
        }
        for (field, cell, why) in [
            ("Quantity", "5O", "is not a digit"),
            ("Value", "2,5", "write a point"),
            ("Date", "2024-02-31", "February 2024 has 29 days"),
            ("Origin country", "Atlantis", "not a country"),
        ] {
            assert!(
                summary
                    .not_carried
                    .iter()
                    .filter(|((f, _), _)| f == field)
                    .flat_map(|(_, n)| &n.examples)
                    .any(|e| e.starts_with(&format!("row 3: “{cell}”")) && e.contains(why)),
                "{field} {cell}: {}",
                summary.report()
            );
        }
        let c = by("C Ltd");
        assert_eq!(c.goods[0].quantity, Some(200.0));
        assert_eq!(c.goods[0].unit, "PCS");
        assert_eq!(c.goods[0].value.as_ref().map(|v| v.amount), Some(1200.0));
        assert_eq!(
            c.legs[0]
                .departed
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some("2024-11")
        );
        assert_eq!(summary.not_carried_count(), 4, "{}", summary.report());
        assert!(summary.skipped.is_empty(), "{}", summary.report());
        // Every imported party has a stored place, in the same edit (one undo step).
        assert!(!case.entities.is_empty());
        assert!(
            case.entities
                .keys()
                .all(|id| case.positions.contains_key(id))
        );
    }

    #[test]
    fn a_decimal_comma_mapping_reads_european_numbers() {
        let t = table(
            &["Shipper", "Qty", "Value", "Currency"],
            &[&["A", "1.200,5", "2.500,00", "EUR"]],
        );
        let mut mapping = CsvMapping::guess(&t.headers, RowKind::Shipments);
        mapping.decimal_mark = DecimalMark::Comma;
        let (edit, summary) =
            import(&t, &mapping, &Case::default(), &Progress::new()).expect("imports");
        let mut case = Case::default();
        case.apply(edit).expect("applies");
        let s = case.shipments.values().next().expect("one");
        assert_eq!(s.goods[0].quantity, Some(1200.5));
        assert_eq!(s.goods[0].value.as_ref().map(|v| v.amount), Some(2500.0));
        assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
    }

    #[test]
    fn headers_are_guessed() {
        let headers: Vec<String> = [
            "Shipper Name",
            "Shipper Country",
            "Consignee",
            "HS Code",
            "Qty",
            "Total Value USD",
            "Bill of Lading",
            "Arrival Date",
            "Something else",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect();
        let m = CsvMapping::guess(&headers, RowKind::Shipments);
        assert_eq!(m.columns.get("Shipper Name"), Some(&Field::Shipper));
        assert_eq!(
            m.columns.get("Shipper Country"),
            Some(&Field::ShipperCountry)
        );
        assert_eq!(m.columns.get("HS Code"), Some(&Field::HsCode));
        assert_eq!(m.columns.get("Qty"), Some(&Field::Quantity));
        assert_eq!(m.columns.get("Total Value USD"), Some(&Field::Value));
        assert_eq!(m.columns.get("Bill of Lading"), Some(&Field::BillOfLading));
        assert_eq!(m.columns.get("Arrival Date"), Some(&Field::Date));
        assert_eq!(m.columns.get("Something else"), None);
        let back = CsvMapping::from_ron(&m.to_ron()).expect("round trip");
        assert_eq!(back, m);
    }
}
