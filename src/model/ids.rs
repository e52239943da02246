//! Stable string identifiers. Ids are chosen once (from a readable slug or a counter) and never
//! change, so they survive save, load, import and merge; each kind of item has its own newtype so
//! a link can never point at a shipment by mistake.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest id we accept; ids are keys, not prose.
pub const MAX_ID_LEN: usize = 128;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// Prefix used for ids that Chokepoint generates for this kind of item.
            pub const PREFIX: &'static str = $prefix;

            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    };
}

string_id!(
    /// Identifies an [`crate::model::Entity`].
    EntityId,
    "e"
);
string_id!(
    /// Identifies a [`crate::model::Link`].
    LinkId,
    "l"
);
string_id!(
    /// Identifies a [`crate::model::Shipment`].
    ShipmentId,
    "s"
);
string_id!(
    /// Identifies an [`crate::model::Evidence`] item.
    EvidenceId,
    "ev"
);
string_id!(
    /// Identifies a [`crate::model::Note`].
    NoteId,
    "n"
);
string_id!(
    /// Identifies a [`crate::model::Group`].
    GroupId,
    "g"
);
string_id!(
    /// Identifies a [`crate::model::SavedView`].
    ViewId,
    "v"
);

/// Whether `id` is a well-formed id: non-empty, not too long, and made of ASCII letters, digits
/// and `-_.:` so it is safe in file names, URLs and exports.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// A readable slug of `name` for use in ids: lower-case ASCII words joined by `-`, at most 32
/// bytes. Names without ASCII letters (e.g. 苏菂) give an empty slug; callers fall back to a
/// counter.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
            if out.len() >= 32 {
                break;
            }
        } else {
            pending_dash = true;
        }
    }
    out
}

/// A reference to any item in a case, for evidence claims, notes, highlights and errors.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ItemRef {
    Entity(EntityId),
    Link(LinkId),
    Shipment(ShipmentId),
    Evidence(EvidenceId),
    Note(NoteId),
    Group(GroupId),
    View(ViewId),
}

impl ItemRef {
    /// Human word for the kind of item referenced ("entity", "shipment" ...).
    pub fn kind_word(&self) -> &'static str {
        match self {
            ItemRef::Entity(_) => "entity",
            ItemRef::Link(_) => "link",
            ItemRef::Shipment(_) => "shipment",
            ItemRef::Evidence(_) => "evidence item",
            ItemRef::Note(_) => "note",
            ItemRef::Group(_) => "group",
            ItemRef::View(_) => "saved view",
        }
    }

    pub fn id_str(&self) -> &str {
        match self {
            ItemRef::Entity(id) => id.as_str(),
            ItemRef::Link(id) => id.as_str(),
            ItemRef::Shipment(id) => id.as_str(),
            ItemRef::Evidence(id) => id.as_str(),
            ItemRef::Note(id) => id.as_str(),
            ItemRef::Group(id) => id.as_str(),
            ItemRef::View(id) => id.as_str(),
        }
    }
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} \"{}\"", self.kind_word(), self.id_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_and_bounded() {
        assert_eq!(slug("Kun Lun Nest (昆仑巢)"), "kun-lun-nest");
        assert_eq!(slug("苏菂"), "");
        assert_eq!(slug("  NVIDIA H100 SXM5 80GB "), "nvidia-h100-sxm5-80gb");
        assert!(slug(&"a".repeat(100)).len() <= 32);
    }

    #[test]
    fn id_validation() {
        assert!(is_valid_id("e-su-di"));
        assert!(is_valid_id("ev:2024.11_28"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("has space"));
        assert!(!is_valid_id("苏菂"));
        assert!(!is_valid_id(&"x".repeat(MAX_ID_LEN + 1)));
    }
}
