//! Colours and sizes, in one place. Everything the UI paints takes its colours from here, picked
//! for both light and dark themes.

use crate::model::{ClaimStatus, EntityKind, Tlp};
use egui::Color32;
use serde::{Deserialize, Serialize};

/// The user's theme choice, kept in preferences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];

    pub fn label(self) -> &'static str {
        match self {
            ThemeChoice::System => "Follow system",
            ThemeChoice::Light => "Light",
            ThemeChoice::Dark => "Dark",
        }
    }

    pub fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// Width of the item list panel, in points.
pub const LIST_PANEL_WIDTH: f32 = 340.0;
/// Height of one row in the item list.
pub const LIST_ROW_HEIGHT: f32 = 22.0;
/// Width of a text field in the inspector (fixed: a grid column that grows with its contents
/// would never settle).
pub const INSPECTOR_FIELD_WIDTH: f32 = 460.0;
/// Width of the label column in the inspector.
pub const INSPECTOR_LABEL_WIDTH: f32 = 150.0;

fn pick(dark: bool, light: Color32, dark_c: Color32) -> Color32 {
    if dark { dark_c } else { light }
}

/// Colour for an entity kind (icons in lists, nodes on the canvas).
pub fn entity_color(kind: EntityKind, dark: bool) -> Color32 {
    use EntityKind as K;
    let (l, d) = match kind {
        K::Person => ((37, 99, 235), (96, 165, 250)),
        K::Company => ((5, 150, 105), (52, 211, 153)),
        K::Organization => ((13, 148, 136), (45, 212, 191)),
        K::Address => ((120, 113, 108), (168, 162, 158)),
        K::Product => ((217, 119, 6), (251, 191, 36)),
        K::Jurisdiction => ((79, 70, 229), (129, 140, 248)),
        K::Facility => ((101, 163, 13), (163, 230, 53)),
        K::Vessel | K::Aircraft => ((8, 145, 178), (34, 211, 238)),
        K::Account => ((192, 38, 211), (232, 121, 249)),
        K::Website => ((71, 85, 105), (148, 163, 184)),
        K::Event => ((225, 29, 72), (251, 113, 133)),
    };
    pick(
        dark,
        Color32::from_rgb(l.0, l.1, l.2),
        Color32::from_rgb(d.0, d.1, d.2),
    )
}

/// A glyph for an entity kind; only characters egui's bundled fonts draw.
pub fn entity_icon(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "👤",
        EntityKind::Company => "🏢",
        EntityKind::Organization => "🏦",
        EntityKind::Address => "📍",
        EntityKind::Product => "📦",
        EntityKind::Jurisdiction => "🌍",
        EntityKind::Facility => "🏭",
        EntityKind::Vessel => "🚢",
        EntityKind::Aircraft => "✈",
        EntityKind::Account => "💳",
        EntityKind::Website => "🌐",
        EntityKind::Event => "📅",
    }
}

/// Background colour of a handling-marking badge; text on it is black except on RED.
pub fn tlp_colors(tlp: Tlp) -> (Color32, Color32) {
    match tlp {
        Tlp::Clear => (Color32::WHITE, Color32::BLACK),
        Tlp::Green => (Color32::from_rgb(51, 255, 0), Color32::BLACK),
        Tlp::Amber | Tlp::AmberStrict => (Color32::from_rgb(255, 192, 0), Color32::BLACK),
        Tlp::Red => (Color32::from_rgb(255, 43, 43), Color32::WHITE),
    }
}

/// Colour for how established a claim is: proven is calm, alleged draws the eye.
pub fn claim_color(status: ClaimStatus, dark: bool) -> Color32 {
    match status {
        ClaimStatus::Proven => pick(
            dark,
            Color32::from_rgb(21, 128, 61),
            Color32::from_rgb(74, 222, 128),
        ),
        ClaimStatus::Corroborated => pick(
            dark,
            Color32::from_rgb(77, 124, 15),
            Color32::from_rgb(163, 230, 53),
        ),
        ClaimStatus::Reported => pick(
            dark,
            Color32::from_rgb(180, 83, 9),
            Color32::from_rgb(251, 191, 36),
        ),
        ClaimStatus::Alleged => pick(
            dark,
            Color32::from_rgb(194, 65, 12),
            Color32::from_rgb(251, 146, 60),
        ),
        ClaimStatus::Disputed | ClaimStatus::Refuted => pick(
            dark,
            Color32::from_rgb(185, 28, 28),
            Color32::from_rgb(248, 113, 113),
        ),
    }
}

/// Colour for error text.
pub fn error_color(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(185, 28, 28),
        Color32::from_rgb(248, 113, 113),
    )
}

/// Colour for warnings (unsaved, fallbacks).
pub fn warning_color(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(180, 83, 9),
        Color32::from_rgb(251, 191, 36),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use skrifa::MetadataProvider;

    /// Every icon we draw must exist in one of egui's bundled fonts, or it renders as a box.
    #[test]
    fn every_entity_icon_has_a_glyph_in_the_bundled_fonts() {
        let defs = egui::FontDefinitions::default();
        let fonts: Vec<_> = defs.font_data.values().map(|d| d.font.clone()).collect();
        for kind in EntityKind::ALL {
            let icon = entity_icon(kind);
            for c in icon.chars().filter(|c| *c != '\u{fe0f}') {
                let found = fonts.iter().any(|bytes| {
                    skrifa::FontRef::new(bytes.as_ref().as_ref())
                        .is_ok_and(|f| f.charmap().map(c).is_some())
                });
                assert!(found, "{kind:?}: {c:?} ({:X}) has no glyph", c as u32);
            }
        }
    }
}
