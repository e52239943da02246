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
use crate::model::{
    Case, ClaimStatus, CountryCode, Entity, EntityId, EntityKind, GoodsLine, Identifier,
    IdentifierScheme, Leg, Money, PartialDate, Place, Shipment, ShipmentId,
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
    pub const SHIPMENT_FIELDS: [Field; 22] = [
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
        let h: String = header
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
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
            } else if has(&["loading"]) || has(&["pol"]) {
                Field::PortOfLoading
            } else if has(&["discharge"]) || has(&["pod"]) || has(&["unloading"]) {
                Field::PortOfDischarge
            } else if has(&["bill"]) || has(&["b", "l"]) || has(&["bol"]) || has(&["awb"]) {
                Field::BillOfLading
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

/// Reads a number written the way spreadsheets and trade data write them: "1,200",
/// "1.200,50", "USD 5,600,000", "2 000".
pub fn parse_number(text: &str) -> Option<f64> {
    let t: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
        .collect();
    if t.is_empty() || !t.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let last_dot = t.rfind('.');
    let last_comma = t.rfind(',');
    let normal = match (last_dot, last_comma) {
        (Some(d), Some(c)) if c > d => t.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => t.replace(',', ""),
        (None, Some(c)) => {
            let decimals = t.len() - c - 1;
            if decimals == 3 || t.matches(',').count() > 1 {
                t.replace(',', "")
            } else {
                t.replace(',', ".")
            }
        }
        _ => t,
    };
    normal.parse::<f64>().ok().filter(|v| v.is_finite())
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Reads a date: ISO (2024-11-28, 2024-11, 2024), 2024/11/28, 28/11/2024 or 11/28/2024 (by
/// `day_first`), 28.11.2024, 28 Nov 2024, 28-Nov-2024, and ISO timestamps.
pub fn parse_date(text: &str, day_first: bool) -> Option<PartialDate> {
    let t = text.trim();
    if let Ok(d) = t.split('T').next().unwrap_or(t).parse::<PartialDate>() {
        return Some(d);
    }
    let parts: Vec<&str> = t
        .split(['/', '.', '-', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 {
        return None;
    }
    let num = |s: &str| s.parse::<u32>().ok();
    let month_name = |s: &str| {
        let l = s.to_lowercase();
        MONTHS
            .iter()
            .position(|m| l.starts_with(m))
            .map(|i| i as u32 + 1)
    };
    let (y, m, d) = if parts[0].len() == 4 {
        (num(parts[0])?, num(parts[1])?, num(parts[2])?)
    } else if let Some(m) = month_name(parts[1]) {
        (num(parts[2])?, m, num(parts[0])?)
    } else if day_first {
        (num(parts[2])?, num(parts[1])?, num(parts[0])?)
    } else {
        (num(parts[2])?, num(parts[0])?, num(parts[1])?)
    };
    let y = if y < 100 { y + 2000 } else { y };
    format!("{y:04}-{m:02}-{d:02}").parse().ok()
}

/// Imports the rows of `table` into `case` by `mapping`: one edit (one undo step) and a
/// summary. `progress` reports the fraction of rows done and can cancel.
pub fn import(
    table: &CsvTable,
    mapping: &CsvMapping,
    case: &Case,
    progress: &Progress,
) -> Result<(Edit, ImportSummary), ImportError> {
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
        let result = match mapping.rows {
            RowKind::Shipments => shipment_row(&values, mapping, line, &mut staging),
            RowKind::Entities => entity_row(&values, mapping, &mut staging).map(|_| ()),
        };
        if let Err(why) = result {
            staging.skip(format!("row {line}: {why}"));
        }
    }
    progress.set_fraction(1.0);
    staging.finish()
}

fn get<'v>(values: &[(&Field, &'v str)], field: &Field) -> Option<&'v str> {
    values.iter().find(|(f, _)| *f == field).map(|(_, v)| *v)
}

fn country(text: Option<&str>) -> Option<CountryCode> {
    text.and_then(crate::layout::geo::country_from_text)
}

fn entity_row(
    values: &[(&Field, &str)],
    mapping: &CsvMapping,
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
                e.country = country(Some(v));
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
    Ok(staging.add_entity(e))
}

/// A party of a shipment row: its name, country and address columns.
fn party(
    values: &[(&Field, &str)],
    [name, country_field, address]: [&Field; 3],
    mapping: &CsvMapping,
    staging: &mut Staging<'_>,
) -> Option<EntityId> {
    let name = get(values, name)?;
    let mut e = Entity::new(EntityId::default(), mapping.entity_kind, name);
    e.country = country(get(values, country_field));
    if let Some(a) = get(values, address) {
        e.address.street = a.to_owned();
    }
    Some(staging.add_entity(e))
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

fn shipment_row(
    values: &[(&Field, &str)],
    mapping: &CsvMapping,
    line: usize,
    staging: &mut Staging<'_>,
) -> Result<(), String> {
    let shipper = party(
        values,
        [
            &Field::Shipper,
            &Field::ShipperCountry,
            &Field::ShipperAddress,
        ],
        mapping,
        staging,
    );
    let consignee = party(
        values,
        [
            &Field::Consignee,
            &Field::ConsigneeCountry,
            &Field::ConsigneeAddress,
        ],
        mapping,
        staging,
    );
    let notify = party(
        values,
        [
            &Field::NotifyParty,
            &Field::NotifyPartyCountry,
            &Field::NotifyParty,
        ],
        mapping,
        staging,
    );
    if shipper.is_none() && consignee.is_none() {
        return Err("neither shipper nor consignee".to_owned());
    }
    let party_country = |id: &Option<EntityId>| {
        id.as_ref()
            .and_then(|id| staging.entity(id))
            .and_then(|e| e.country.clone())
    };
    let origin = country(get(values, &Field::Origin));
    let start = origin.clone().or_else(|| party_country(&shipper));
    let end = country(get(values, &Field::Destination)).or_else(|| party_country(&consignee));
    let mut stops: Vec<Place> = vec![place(get(values, &Field::PortOfLoading), start)];
    for (f, v) in values {
        if **f == Field::Transit {
            match country(Some(v)) {
                Some(c) => stops.push(place(None, Some(c))),
                None => stops.push(place(Some(v), None)),
            }
        }
    }
    stops.push(place(get(values, &Field::PortOfDischarge), end));
    let mut notes = Vec::new();
    let date = match get(values, &Field::Date) {
        Some(d) => {
            let parsed = parse_date(d, mapping.day_first);
            if parsed.is_none() {
                notes.push(format!("Date as given: {d}"));
                staging.summary.skipped.push(format!(
                    "row {line}: date \"{d}\" not understood; kept in the notes"
                ));
            }
            parsed
        }
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
    let currency = get(values, &Field::Currency)
        .unwrap_or(&mapping.default_currency)
        .trim()
        .to_ascii_uppercase();
    let value = get(values, &Field::Value).and_then(parse_number);
    let quantity = get(values, &Field::Quantity).and_then(parse_number);
    if let (Some(v), true) = (value, currency.is_empty()) {
        notes.push(format!("Value {v} (currency not given)"));
    }
    let goods = GoodsLine {
        description: get(values, &Field::GoodsDescription)
            .unwrap_or_default()
            .to_owned(),
        quantity,
        unit: get(values, &Field::Unit).unwrap_or_default().to_owned(),
        value: value.filter(|_| !currency.is_empty()).map(|amount| Money {
            amount,
            currency: currency.clone(),
        }),
        hs_code: get(values, &Field::HsCode).unwrap_or_default().to_owned(),
        origin,
        ..GoodsLine::default()
    };
    let reference = get(values, &Field::Reference)
        .or_else(|| get(values, &Field::BillOfLading))
        .map_or_else(|| format!("Imported row {line}"), str::to_owned);
    let id = ShipmentId(staging.fresh_id(ShipmentId::PREFIX, &reference));
    let has_goods = !goods.description.is_empty()
        || goods.quantity.is_some()
        || goods.value.is_some()
        || !goods.hs_code.is_empty();
    staging.add_shipment(Shipment {
        id,
        reference,
        claim: ClaimStatus::Reported,
        shipper,
        consignee,
        notify_party: notify,
        legs,
        goods: if has_goods { vec![goods] } else { Vec::new() },
        notes: notes.join("\n"),
        ..Shipment::default()
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_trade_data_formats() {
        assert_eq!(parse_number("1,200"), Some(1200.0));
        assert_eq!(parse_number("1.200,50"), Some(1200.5));
        assert_eq!(parse_number("1,200.50"), Some(1200.5));
        assert_eq!(parse_number("USD 5,600,000"), Some(5_600_000.0));
        assert_eq!(parse_number("2,5"), Some(2.5));
        assert_eq!(parse_number("n/a"), None);
    }

    #[test]
    fn dates_in_common_formats() {
        let d = PartialDate::ymd(2024, 11, 28);
        for text in [
            "2024-11-28",
            "2024/11/28",
            "28/11/2024",
            "28.11.2024",
            "28 Nov 2024",
            "28-NOV-2024",
            "2024-11-28T10:00:00",
        ] {
            assert_eq!(parse_date(text, true), Some(d.clone()), "{text}");
        }
        assert_eq!(parse_date("11/28/2024", false), Some(d));
        assert_eq!(parse_date("2024-11", true).map(|d| d.month), Some(Some(11)));
        assert_eq!(parse_date("soon", true), None);
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
