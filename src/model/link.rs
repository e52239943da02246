//! Links: typed, dated relations between two entities (ownership, directorship, payment ...).

use super::common::{ClaimStatus, Confidence, Money, PartialDate};
use super::ids::{EntityId, LinkId};
use serde::{Deserialize, Serialize};

/// What a link means, with the facts particular to that kind.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum LinkKind {
    /// `from` owns `to`, with the share in percent where known.
    Ownership {
        percent: Option<f64>,
    },
    /// `from` is a director or officer of `to`.
    Directorship {
        role: String,
    },
    Employment {
        role: String,
    },
    Family {
        relation: String,
    },
    #[default]
    Associate,
    /// `from` acts for `to`: an agent, a freight forwarder, a lawyer.
    Representation {
        role: String,
    },
    /// `from` is located at the address or facility `to`.
    LocatedAt,
    Communication,
    /// `from` paid `to`.
    Payment {
        amount: Option<Money>,
        date: Option<PartialDate>,
    },
    /// `from` supplies or sells to `to`.
    SuppliesTo,
    /// Product `from` is made by `to`.
    ManufacturedBy,
    /// `from` and `to` may be the same real-world party.
    PossiblySameAs,
    /// Anything else, named by the investigator.
    Other(String),
}

/// Fieldless mirror of [`LinkKind`] for pickers and filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LinkKindTag {
    Ownership,
    Directorship,
    Employment,
    Family,
    Associate,
    Representation,
    LocatedAt,
    Communication,
    Payment,
    SuppliesTo,
    ManufacturedBy,
    PossiblySameAs,
    Other,
}

impl LinkKindTag {
    pub const ALL: [LinkKindTag; 13] = [
        LinkKindTag::Ownership,
        LinkKindTag::Directorship,
        LinkKindTag::Employment,
        LinkKindTag::Family,
        LinkKindTag::Associate,
        LinkKindTag::Representation,
        LinkKindTag::LocatedAt,
        LinkKindTag::Communication,
        LinkKindTag::Payment,
        LinkKindTag::SuppliesTo,
        LinkKindTag::ManufacturedBy,
        LinkKindTag::PossiblySameAs,
        LinkKindTag::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            LinkKindTag::Ownership => "Ownership",
            LinkKindTag::Directorship => "Director / officer",
            LinkKindTag::Employment => "Employment",
            LinkKindTag::Family => "Family",
            LinkKindTag::Associate => "Associate",
            LinkKindTag::Representation => "Representation",
            LinkKindTag::LocatedAt => "Located at",
            LinkKindTag::Communication => "Communication",
            LinkKindTag::Payment => "Payment",
            LinkKindTag::SuppliesTo => "Supplies / sells to",
            LinkKindTag::ManufacturedBy => "Manufactured by",
            LinkKindTag::PossiblySameAs => "Possibly same as",
            LinkKindTag::Other => "Other",
        }
    }

    /// A fresh kind of this tag with empty details.
    pub fn default_kind(self) -> LinkKind {
        match self {
            LinkKindTag::Ownership => LinkKind::Ownership { percent: None },
            LinkKindTag::Directorship => LinkKind::Directorship {
                role: String::new(),
            },
            LinkKindTag::Employment => LinkKind::Employment {
                role: String::new(),
            },
            LinkKindTag::Family => LinkKind::Family {
                relation: String::new(),
            },
            LinkKindTag::Associate => LinkKind::Associate,
            LinkKindTag::Representation => LinkKind::Representation {
                role: String::new(),
            },
            LinkKindTag::LocatedAt => LinkKind::LocatedAt,
            LinkKindTag::Communication => LinkKind::Communication,
            LinkKindTag::Payment => LinkKind::Payment {
                amount: None,
                date: None,
            },
            LinkKindTag::SuppliesTo => LinkKind::SuppliesTo,
            LinkKindTag::ManufacturedBy => LinkKind::ManufacturedBy,
            LinkKindTag::PossiblySameAs => LinkKind::PossiblySameAs,
            LinkKindTag::Other => LinkKind::Other(String::new()),
        }
    }
}

impl LinkKind {
    /// A payment's amount in US dollars; `None` for other links and other currencies.
    pub fn payment_usd(&self) -> Option<f64> {
        match self {
            LinkKind::Payment {
                amount: Some(m), ..
            } if m.currency == "USD" => Some(m.amount),
            _ => None,
        }
    }

    /// The date of a payment, when known.
    pub fn payment_date(&self) -> Option<&PartialDate> {
        match self {
            LinkKind::Payment { date, .. } => date.as_ref(),
            _ => None,
        }
    }

    pub fn tag(&self) -> LinkKindTag {
        match self {
            LinkKind::Ownership { .. } => LinkKindTag::Ownership,
            LinkKind::Directorship { .. } => LinkKindTag::Directorship,
            LinkKind::Employment { .. } => LinkKindTag::Employment,
            LinkKind::Family { .. } => LinkKindTag::Family,
            LinkKind::Associate => LinkKindTag::Associate,
            LinkKind::Representation { .. } => LinkKindTag::Representation,
            LinkKind::LocatedAt => LinkKindTag::LocatedAt,
            LinkKind::Communication => LinkKindTag::Communication,
            LinkKind::Payment { .. } => LinkKindTag::Payment,
            LinkKind::SuppliesTo => LinkKindTag::SuppliesTo,
            LinkKind::ManufacturedBy => LinkKindTag::ManufacturedBy,
            LinkKind::PossiblySameAs => LinkKindTag::PossiblySameAs,
            LinkKind::Other(_) => LinkKindTag::Other,
        }
    }

    /// Short label for lists and edges, with the key detail: "Ownership 51%", "Payment USD 1.2M".
    pub fn summary(&self) -> String {
        match self {
            LinkKind::Ownership { percent: Some(p) } => format!("Ownership {p}%"),
            LinkKind::Directorship { role }
            | LinkKind::Employment { role }
            | LinkKind::Representation { role }
                if !role.is_empty() =>
            {
                format!("{} ({role})", self.tag().label())
            }
            LinkKind::Family { relation } if !relation.is_empty() => format!("Family ({relation})"),
            LinkKind::Payment {
                amount: Some(m), ..
            } => format!("Payment {m}"),
            LinkKind::Other(s) if !s.is_empty() => s.clone(),
            _ => self.tag().label().to_owned(),
        }
    }

    /// Whether the link has a direction (ownership flows owner → owned; association does not).
    pub fn is_directed(&self) -> bool {
        !matches!(
            self,
            LinkKind::Associate
                | LinkKind::Family { .. }
                | LinkKind::Communication
                | LinkKind::PossiblySameAs
        )
    }
}

/// A relation between two entities.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Link {
    pub id: LinkId,
    pub kind: LinkKind,
    pub from: EntityId,
    pub to: EntityId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub confidence: Confidence,
    pub status: ClaimStatus,
}

impl Link {
    pub fn new(
        id: impl Into<LinkId>,
        kind: LinkKind,
        from: impl Into<EntityId>,
        to: impl Into<EntityId>,
    ) -> Self {
        Self {
            id: id.into(),
            kind,
            from: from.into(),
            to: to.into(),
            ..Self::default()
        }
    }
}

impl From<String> for LinkId {
    fn from(s: String) -> Self {
        LinkId(s)
    }
}
