//! The case model: plain serde data with newtype ids. No egui and no I/O here, so the CLI,
//! importers, tests and UI all share exactly the same types.

mod case;
mod common;
pub mod countries;
mod country_table;
mod currency_table;
mod entity;
mod evidence;
mod ids;
mod link;
pub mod parse;
mod shipment;
mod statistics;
mod view_frame;

pub use case::{
    Camera, Case, CaseCounts, CaseMeta, Dismissal, FORMAT_VERSION, FreshIds, Group, HasId,
    NodePosition, Note, SavedView, below_usd,
};
pub use common::{
    CanvasPoint, ClaimStatus, Confidence, CountryCode, CountryCodeError, DateError, Money,
    PartialDate, Timestamp, Tlp, format_amount,
};
pub use entity::{
    Entity, EntityKind, Flag, FlagKind, Identifier, IdentifierScheme, PostalAddress, ProductSpec,
};
pub use evidence::{
    ClaimSupport, CustodyAction, CustodyEntry, Evidence, EvidenceKind, EvidenceSource,
    InfoCredibility, SourceReliability, StoredFile,
};
pub use ids::{
    EntityId, EvidenceId, GroupId, ItemRef, LinkId, MAX_ID_LEN, NoteId, ShipmentId, ViewId,
    is_valid_id, slug,
};
pub use link::{Link, LinkKind, LinkKindTag};
pub use shipment::{GoodsLine, Leg, Place, Shipment, ShipmentStatus, TransportMode};
pub use statistics::{TradeDirection, TradeFlow};
pub use view_frame::FrameRect;
