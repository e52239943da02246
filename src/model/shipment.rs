//! Shipments: first-class movements of goods, with their parties, route legs and goods lines.

use super::common::{ClaimStatus, CountryCode, Money, PartialDate, format_amount};
use super::ids::{EntityId, ShipmentId};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Where a shipment stands.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum ShipmentStatus {
    Planned,
    Shipped,
    Intercepted,
    Seized,
    Delivered,
    /// Only alleged to have happened (e.g. claimed in a video).
    #[default]
    Alleged,
}

impl ShipmentStatus {
    pub const ALL: [ShipmentStatus; 6] = [
        ShipmentStatus::Planned,
        ShipmentStatus::Shipped,
        ShipmentStatus::Intercepted,
        ShipmentStatus::Seized,
        ShipmentStatus::Delivered,
        ShipmentStatus::Alleged,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ShipmentStatus::Planned => "Planned",
            ShipmentStatus::Shipped => "Shipped",
            ShipmentStatus::Intercepted => "Intercepted",
            ShipmentStatus::Seized => "Seized",
            ShipmentStatus::Delivered => "Delivered",
            ShipmentStatus::Alleged => "Alleged",
        }
    }
}

/// How a leg travels.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum TransportMode {
    #[default]
    Unknown,
    Air,
    Sea,
    Road,
    Rail,
    Courier,
    HandCarry,
}

impl TransportMode {
    pub const ALL: [TransportMode; 7] = [
        TransportMode::Unknown,
        TransportMode::Air,
        TransportMode::Sea,
        TransportMode::Road,
        TransportMode::Rail,
        TransportMode::Courier,
        TransportMode::HandCarry,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TransportMode::Unknown => "Unknown",
            TransportMode::Air => "Air",
            TransportMode::Sea => "Sea",
            TransportMode::Road => "Road",
            TransportMode::Rail => "Rail",
            TransportMode::Courier => "Courier",
            TransportMode::HandCarry => "Hand carry",
        }
    }
}

/// A place on a route: a port, airport, city or facility, with its country.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Place {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// The facility or jurisdiction entity for this place, when the case has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<EntityId>,
}

impl Place {
    pub fn label(&self) -> String {
        match &self.country {
            Some(c) if self.name.is_empty() => c.to_string(),
            Some(c) => format!("{} ({c})", self.name),
            None => self.name.clone(),
        }
    }
}

/// One leg of a route, from one place to the next.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Leg {
    pub from: Place,
    pub to: Place,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub departed: Option<PartialDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arrived: Option<PartialDate>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub carrier: String,
    pub mode: TransportMode,
    /// Bill of lading or air waybill number.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub transport_document: String,
}

/// One line of goods as declared, with what is known of the real product.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GoodsLine {
    /// The product entity the goods are believed to be.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<EntityId>,
    /// Description as declared on the documents.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub unit: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Money>,
    /// HS code as declared.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hs_code: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub eccn: String,
    /// Declared country of origin.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<CountryCode>,
}

/// A movement of goods from a shipper to a consignee along ordered legs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Shipment {
    pub id: ShipmentId,
    /// Human label, e.g. a booking or invoice reference.
    pub reference: String,
    pub status: ShipmentStatus,
    /// How well established the shipment itself is.
    pub claim: ClaimStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipper: Option<EntityId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consignee: Option<EntityId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notify_party: Option<EntityId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_end_user: Option<EntityId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspected_end_user: Option<EntityId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub forwarders: Vec<EntityId>,
    pub legs: Vec<Leg>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub goods: Vec<GoodsLine>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

impl Shipment {
    /// What the shipment is worth in US dollars, if any of its goods is valued in them (other
    /// currencies are not converted).
    pub fn value_usd(&self) -> Option<f64> {
        let usd: Vec<f64> = self
            .goods
            .iter()
            .filter_map(|g| g.value.as_ref())
            .filter(|m| m.currency == "USD")
            .map(|m| m.amount)
            .collect();
        (!usd.is_empty()).then(|| usd.iter().sum())
    }

    /// Every party reference with the name of its role, for validation and display.
    pub fn parties(&self) -> Vec<(&'static str, &EntityId)> {
        let mut out = Vec::new();
        let singles = [
            ("shipper", &self.shipper),
            ("consignee", &self.consignee),
            ("notify party", &self.notify_party),
            ("declared end user", &self.declared_end_user),
            ("suspected end user", &self.suspected_end_user),
        ];
        for (role, id) in singles {
            if let Some(id) = id {
                out.push((role, id));
            }
        }
        out.extend(self.forwarders.iter().map(|f| ("forwarder", f)));
        out
    }

    /// First departure date on the route, if any leg has one.
    pub fn first_date(&self) -> Option<&PartialDate> {
        self.legs
            .iter()
            .find_map(|l| l.departed.as_ref().or(l.arrived.as_ref()))
    }

    /// Total declared quantity over goods lines that state one.
    pub fn total_quantity(&self) -> f64 {
        self.goods.iter().filter_map(|g| g.quantity).sum()
    }

    /// Route as country codes in order, e.g. "US → SG → CN".
    pub fn route_summary(&self) -> String {
        let mut stops: Vec<String> = Vec::new();
        for leg in &self.legs {
            for place in [&leg.from, &leg.to] {
                let label = place
                    .country
                    .as_ref()
                    .map_or_else(|| place.name.clone(), ToString::to_string);
                if stops.last() != Some(&label) {
                    stops.push(label);
                }
            }
        }
        stops.join(" → ")
    }

    /// Goods summary such as "200 × H100 · USD 5.6M"; `product_name` resolves product ids.
    pub fn goods_summary(&self, product_name: impl Fn(&EntityId) -> Option<String>) -> String {
        let mut parts = Vec::new();
        for line in &self.goods {
            let what = line
                .product
                .as_ref()
                .and_then(&product_name)
                .unwrap_or_else(|| line.description.clone());
            let mut s = match line.quantity {
                Some(q) => format!("{} × {what}", format_amount(q)),
                None => what,
            };
            if let Some(v) = &line.value {
                let _ = write!(s, " · {v}");
            }
            parts.push(s);
        }
        parts.join("; ")
    }
}

impl From<String> for ShipmentId {
    fn from(s: String) -> Self {
        ShipmentId(s)
    }
}
