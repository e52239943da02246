//! Entities: the people, companies, places, products and other things a case is about.

use super::common::{ClaimStatus, CountryCode, PartialDate};
use super::ids::EntityId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What an entity is. The canvas picks shape, icon and colour from this.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum EntityKind {
    Person,
    #[default]
    Company,
    Organization,
    Address,
    /// A product or item type, e.g. "NVIDIA H100 SXM5 80GB", with ECCN and HS code.
    Product,
    /// A country or territory, identified by its ISO code in `country`.
    Jurisdiction,
    /// A warehouse, data centre, port facility or factory.
    Facility,
    Vessel,
    Aircraft,
    /// A bank account or a social-media account.
    Account,
    Website,
    /// Something that happened: a video posted, a raid, a trade show.
    Event,
}

impl EntityKind {
    pub const ALL: [EntityKind; 12] = [
        EntityKind::Person,
        EntityKind::Company,
        EntityKind::Organization,
        EntityKind::Address,
        EntityKind::Product,
        EntityKind::Jurisdiction,
        EntityKind::Facility,
        EntityKind::Vessel,
        EntityKind::Aircraft,
        EntityKind::Account,
        EntityKind::Website,
        EntityKind::Event,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EntityKind::Person => "Person",
            EntityKind::Company => "Company",
            EntityKind::Organization => "Organization",
            EntityKind::Address => "Address",
            EntityKind::Product => "Product",
            EntityKind::Jurisdiction => "Jurisdiction",
            EntityKind::Facility => "Facility",
            EntityKind::Vessel => "Vessel",
            EntityKind::Aircraft => "Aircraft",
            EntityKind::Account => "Account",
            EntityKind::Website => "Website",
            EntityKind::Event => "Event",
        }
    }
}

/// Kinds of identifier an entity can carry.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum IdentifierScheme {
    /// Company registration number (e.g. Singapore UEN, Malaysian SSM number).
    #[default]
    Registration,
    TaxId,
    /// Legal Entity Identifier (ISO 17442).
    Lei,
    Vat,
    Passport,
    NationalId,
    /// IMO number of a vessel.
    Imo,
    /// Aircraft registration / tail number.
    TailNumber,
    /// Bank account number or IBAN.
    AccountNumber,
    Swift,
    /// Social-media handle, e.g. `@Byron_Wan` on X.
    Handle,
    Url,
    Email,
    Phone,
    Other(String),
}

impl IdentifierScheme {
    pub const COMMON: [IdentifierScheme; 14] = [
        IdentifierScheme::Registration,
        IdentifierScheme::TaxId,
        IdentifierScheme::Lei,
        IdentifierScheme::Vat,
        IdentifierScheme::Passport,
        IdentifierScheme::NationalId,
        IdentifierScheme::Imo,
        IdentifierScheme::TailNumber,
        IdentifierScheme::AccountNumber,
        IdentifierScheme::Swift,
        IdentifierScheme::Handle,
        IdentifierScheme::Url,
        IdentifierScheme::Email,
        IdentifierScheme::Phone,
    ];

    pub fn label(&self) -> &str {
        match self {
            IdentifierScheme::Registration => "Registration no.",
            IdentifierScheme::TaxId => "Tax id",
            IdentifierScheme::Lei => "LEI",
            IdentifierScheme::Vat => "VAT no.",
            IdentifierScheme::Passport => "Passport",
            IdentifierScheme::NationalId => "National id",
            IdentifierScheme::Imo => "IMO no.",
            IdentifierScheme::TailNumber => "Tail no.",
            IdentifierScheme::AccountNumber => "Account no.",
            IdentifierScheme::Swift => "SWIFT/BIC",
            IdentifierScheme::Handle => "Handle",
            IdentifierScheme::Url => "URL",
            IdentifierScheme::Email => "Email",
            IdentifierScheme::Phone => "Phone",
            IdentifierScheme::Other(s) => s,
        }
    }
}

/// An identifier such as a registration number, with the country that issued it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Identifier {
    pub scheme: IdentifierScheme,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<CountryCode>,
}

/// A warning attached to an entity.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FlagKind {
    /// On a screening list (Entity List, SDN, ...): name the list in `detail`.
    #[default]
    Listed,
    Sanctioned,
    SuspectedFront,
    ShellCompany,
    ResidentialAddress,
    NewlyFormed,
    Dormant,
    Other(String),
}

impl FlagKind {
    pub const COMMON: [FlagKind; 7] = [
        FlagKind::Listed,
        FlagKind::Sanctioned,
        FlagKind::SuspectedFront,
        FlagKind::ShellCompany,
        FlagKind::ResidentialAddress,
        FlagKind::NewlyFormed,
        FlagKind::Dormant,
    ];

    pub fn label(&self) -> &str {
        match self {
            FlagKind::Listed => "Listed",
            FlagKind::Sanctioned => "Sanctioned",
            FlagKind::SuspectedFront => "Suspected front",
            FlagKind::ShellCompany => "Shell company",
            FlagKind::ResidentialAddress => "Residential address",
            FlagKind::NewlyFormed => "Newly formed",
            FlagKind::Dormant => "Dormant",
            FlagKind::Other(s) => s,
        }
    }
}

/// A flag with its detail (e.g. which list) and how established it is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Flag {
    pub kind: FlagKind,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
    pub status: ClaimStatus,
}

/// Export-control facts about a product entity.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProductSpec {
    /// Model or part number, e.g. "H100 SXM5 80GB".
    #[serde(skip_serializing_if = "String::is_empty")]
    pub model: String,
    /// Export Control Classification Number, e.g. "3A090.a".
    #[serde(skip_serializing_if = "String::is_empty")]
    pub eccn: String,
    /// Harmonized System code, e.g. "8473.30".
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hs_code: String,
}

impl ProductSpec {
    pub fn is_empty(&self) -> bool {
        self.model.is_empty() && self.eccn.is_empty() && self.hs_code.is_empty()
    }
}

/// A postal address, for address and facility entities.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PostalAddress {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub street: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub city: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub postcode: String,
    /// A home rather than business premises (a red flag for commercial quantities).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub residential: bool,
}

impl PostalAddress {
    pub fn is_empty(&self) -> bool {
        self.street.is_empty()
            && self.city.is_empty()
            && self.postcode.is_empty()
            && !self.residential
    }
}

/// A person, company, place, product or other thing in the case.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Entity {
    pub id: EntityId,
    pub kind: EntityKind,
    pub name: String,
    /// Other names, in any script: 苏菂, 昆仑巢, transliterations, trading names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    #[serde(skip_serializing_if = "ProductSpec::is_empty")]
    pub product: ProductSpec,
    #[serde(skip_serializing_if = "PostalAddress::is_empty")]
    pub address: PostalAddress,
    /// Incorporation date of an organisation, or the date of an event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    /// Dissolution date of an organisation, or the end of an event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<Flag>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

impl Entity {
    pub fn new(id: impl Into<EntityId>, kind: EntityKind, name: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            kind,
            name: name.into(),
            ..Self::default()
        }
    }

    /// Whether `query` (already lower-cased) matches the name, an alias, an identifier or a tag.
    pub fn matches(&self, query_lower: &str) -> bool {
        query_lower.is_empty()
            || self.name.to_lowercase().contains(query_lower)
            || self
                .aliases
                .iter()
                .any(|a| a.to_lowercase().contains(query_lower))
            || self
                .identifiers
                .iter()
                .any(|i| i.value.to_lowercase().contains(query_lower))
            || self
                .tags
                .iter()
                .any(|t| t.to_lowercase().contains(query_lower))
            || self.id.as_str().contains(query_lower)
    }
}

impl From<String> for EntityId {
    fn from(s: String) -> Self {
        EntityId(s)
    }
}
