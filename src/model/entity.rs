//! Entities: the people, companies, places, products and other things a case is about.

use super::common::{ClaimStatus, CountryCode, PartialDate};
use super::ids::EntityId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt::Write as _;

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

/// A flag with its detail (e.g. which list) and how established it is. A listing (a sanction,
/// an Entity List entry) also names who listed the party, under which programme, from when to
/// when, why, and where that is published; a listing whose end date has passed no longer
/// holds: the party was *formerly* listed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Flag {
    pub kind: FlagKind,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
    pub status: ClaimStatus,
    /// Who listed the party, e.g. "US Department of Commerce (BIS)".
    #[serde(skip_serializing_if = "String::is_empty")]
    pub authority: String,
    /// The list or programme, e.g. "Entity List", "EU 833/2014".
    #[serde(skip_serializing_if = "String::is_empty")]
    pub program: String,
    /// Listed from (the listing or start date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    /// Listed until: after this date the listing no longer holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    /// The grounds the authority gives.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// Where the listing is published (never fetched).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub source_url: String,
}

impl Flag {
    /// Whether the flag has ended by `today`: its end date lies wholly before today (a date
    /// given as a month or a year ends with that month or year, so "2024-05" has not ended
    /// during May 2024). A flag without an end date holds.
    pub fn ended(&self, today: &PartialDate) -> bool {
        self.end
            .as_ref()
            .is_some_and(|end| end.last_day() < today.first_day())
    }

    /// The flag's label as of `today`: "Sanctioned", or "Formerly sanctioned" once ended.
    pub fn label_on(&self, today: &PartialDate) -> String {
        let label = self.kind.label();
        if self.ended(today) {
            let mut chars = label.chars();
            let first = chars.next().map(|c| c.to_lowercase().collect::<String>());
            format!("Formerly {}{}", first.unwrap_or_default(), chars.as_str())
        } else {
            label.to_owned()
        }
    }

    /// The listing's facts in one line: programme, authority, dates, reason ("Entity List —
    /// US BIS, listed 2021-06-01 until 2023-01-01: grounds"), then the free detail.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let head: Vec<&str> = [self.program.as_str(), self.authority.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        let mut text = head.join(" — ");
        match (&self.start, &self.end) {
            (Some(s), Some(e)) => {
                let _ = write!(text, ", listed {s} until {e}");
            }
            (Some(s), None) => {
                let _ = write!(text, ", listed {s}");
            }
            (None, Some(e)) => {
                let _ = write!(text, ", listed until {e}");
            }
            (None, None) => {}
        }
        let text = text.trim_start_matches(", ").to_owned();
        if !text.is_empty() {
            parts.push(text);
        }
        if !self.reason.is_empty() {
            parts.push(self.reason.clone());
        }
        if !self.detail.is_empty() && !parts.iter().any(|p| p.contains(&self.detail)) {
            parts.push(self.detail.clone());
        }
        parts.join(": ")
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> PartialDate {
        s.parse().expect("date")
    }

    #[test]
    fn a_flag_ends_after_the_whole_of_its_end_date() {
        let mut flag = Flag {
            kind: FlagKind::Sanctioned,
            end: Some(date("2024-05")),
            ..Flag::default()
        };
        assert!(!flag.ended(&date("2024-05-31")));
        assert!(flag.ended(&date("2024-06-01")));
        assert_eq!(flag.label_on(&date("2024-06-01")), "Formerly sanctioned");
        assert_eq!(flag.label_on(&date("2024-05-01")), "Sanctioned");
        flag.end = Some(date("2023"));
        assert!(!flag.ended(&date("2023-12-31")));
        assert!(flag.ended(&date("2024-01-01")));
        flag.end = None;
        assert!(!flag.ended(&date("2999-01-01")));
        flag.kind = FlagKind::Listed;
        flag.end = Some(date("2020-01-02"));
        assert_eq!(flag.label_on(&date("2021")), "Formerly listed");
    }

    #[test]
    fn a_listing_describes_itself_in_one_line() {
        let flag = Flag {
            kind: FlagKind::Sanctioned,
            detail: "provisions: licence required".into(),
            program: "Entity List".into(),
            authority: "US BIS".into(),
            start: Some(date("2019-05-16")),
            end: Some(date("2021-03-01")),
            reason: "Acting against US interests".into(),
            ..Flag::default()
        };
        assert_eq!(
            flag.describe(),
            "Entity List — US BIS, listed 2019-05-16 until 2021-03-01: Acting against US \
             interests: provisions: licence required"
        );
        let plain = Flag {
            detail: "Entity List".into(),
            ..Flag::default()
        };
        assert_eq!(plain.describe(), "Entity List");
        let dates_only = Flag {
            start: Some(date("2020")),
            ..Flag::default()
        };
        assert_eq!(dates_only.describe(), "listed 2020");
    }
}
