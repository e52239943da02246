//! Trade statistics: what a country reports it exported to or imported from another (or from
//! all partners, the "World" total) in a period, as UN Comtrade publishes them. They are
//! national totals, not shipments: they name no party and carry no route, so they never raise
//! shipment findings; the Flows tab shows them beside the case's shipments.

use super::{CountryCode, Money, PartialDate};
use serde::{Deserialize, Serialize};

/// Which way the goods went, as the reporter records it.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum TradeDirection {
    #[default]
    Export,
    Import,
    ReExport,
    ReImport,
}

impl TradeDirection {
    pub fn label(self) -> &'static str {
        match self {
            TradeDirection::Export => "Export",
            TradeDirection::Import => "Import",
            TradeDirection::ReExport => "Re-export",
            TradeDirection::ReImport => "Re-import",
        }
    }

    /// Which way the goods went, seen from the reporter: `→` exports, `←` imports (dashed for
    /// re-exports and re-imports).
    pub fn arrow(self) -> &'static str {
        match self {
            TradeDirection::Export => "→",
            TradeDirection::ReExport => "⇢",
            TradeDirection::Import => "←",
            TradeDirection::ReImport => "⇠",
        }
    }

    /// Comtrade's flow code (`X`, `M`, `RX`, `RM`) or its description.
    pub fn parse(text: &str) -> Option<TradeDirection> {
        let t = text.trim().to_ascii_lowercase();
        Some(match t.as_str() {
            "x" | "export" | "exports" => TradeDirection::Export,
            "m" | "import" | "imports" => TradeDirection::Import,
            "rx" | "re-export" | "re-exports" | "reexport" => TradeDirection::ReExport,
            "rm" | "re-import" | "re-imports" | "reimport" => TradeDirection::ReImport,
            _ => return None,
        })
    }
}

/// One row of trade statistics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TradeFlow {
    /// The country that reports the trade.
    pub reporter: CountryCode,
    /// The partner country; `None` for the total over all partners ("World").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner: Option<CountryCode>,
    #[serde(default)]
    pub direction: TradeDirection,
    /// A year (annual data) or a month.
    pub period: PartialDate,
    /// The commodity code (HS), e.g. `847150`.
    pub commodity: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_weight_kg: Option<f64>,
    /// Where the row comes from ("UN Comtrade").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

impl TradeFlow {
    /// Whether this is a total over all partners.
    pub fn is_world_total(&self) -> bool {
        self.partner.is_none()
    }
}
