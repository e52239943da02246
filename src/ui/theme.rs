//! Colours and sizes, in one place. Everything the UI paints takes its colours from here, picked
//! for both light and dark themes.

use crate::layout::palette;
use crate::model::{ClaimStatus, EntityKind, SourceReliability, Tlp};
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

/// How the far-out canvas is drawn: one picture made off the UI thread (cheap for software
/// rendering, where the renderer's own rasterising of hundreds of thousands of hairlines takes
/// seconds a frame), or every line each frame; automatic picks the picture on a software
/// renderer only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DrawingChoice {
    #[default]
    Automatic,
    Detailed,
    Picture,
}

impl DrawingChoice {
    pub const ALL: [DrawingChoice; 3] = [
        DrawingChoice::Automatic,
        DrawingChoice::Detailed,
        DrawingChoice::Picture,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DrawingChoice::Automatic => "Automatic",
            DrawingChoice::Detailed => "Every line, every frame",
            DrawingChoice::Picture => "One picture far out",
        }
    }

    /// How the far-out view is drawn, on a renderer that is software (`software`) or not:
    /// automatically, from a picture always on a software renderer, and on a graphics card
    /// from a picture while the camera is still (large cases only).
    pub fn far_drawing(self, software: bool) -> crate::ui::canvas::raster::FarDrawing {
        use crate::ui::canvas::raster::FarDrawing;
        match self {
            DrawingChoice::Automatic if software => FarDrawing::Always,
            DrawingChoice::Automatic => FarDrawing::WhenStill,
            DrawingChoice::Detailed => FarDrawing::Live,
            DrawingChoice::Picture => FarDrawing::Always,
        }
    }
}

/// Below this window width (points) the side panels start folded to strips of icons, so the
/// chart keeps most of a laptop screen; a click on an icon unfolds a panel.
pub const PANELS_FOLD_BELOW: f32 = 1400.0;
/// Width of a folded side panel's strip of icons.
pub const PANEL_STRIP_WIDTH: f32 = 40.0;

/// Width of the item list panel, in points.
pub const LIST_PANEL_WIDTH: f32 = 290.0;
/// Height of one row in the item list.
pub const LIST_ROW_HEIGHT: f32 = 22.0;
/// Width of a text field in the inspector (fixed: a grid column that grows with its contents
/// would never settle).
/// Default width of the inspector panel on the right.
pub const INSPECTOR_PANEL_WIDTH: f32 = 410.0;
pub const INSPECTOR_FIELD_WIDTH: f32 = 250.0;
/// Width of the label column in the inspector.
pub const INSPECTOR_LABEL_WIDTH: f32 = 120.0;

/// An egui colour of the shared palette's `#rrggbb`.
fn color(hex: &str) -> Color32 {
    let [r, g, b] = palette::rgb(hex);
    Color32::from_rgb(r, g, b)
}

/// The shared palette's colour for this theme.
fn shade(shade: palette::Shade, dark: bool) -> Color32 {
    color(shade.pick(dark))
}

fn with_alpha(c: Color32, alpha: u8) -> Color32 {
    Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), alpha)
}

fn pick(dark: bool, light: Color32, dark_c: Color32) -> Color32 {
    if dark { dark_c } else { light }
}

/// Colour for an entity kind (icons in lists, nodes on the canvas).
pub fn entity_color(kind: EntityKind, dark: bool) -> Color32 {
    shade(palette::entity(kind), dark)
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

/// The outline drawn for a kind of entity on the canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeShape {
    Circle,
    RoundedSquare,
    Hexagon,
    Diamond,
}

pub fn entity_shape(kind: EntityKind) -> NodeShape {
    match kind {
        EntityKind::Person => NodeShape::Circle,
        EntityKind::Company
        | EntityKind::Organization
        | EntityKind::Account
        | EntityKind::Website => NodeShape::RoundedSquare,
        EntityKind::Product | EntityKind::Vessel | EntityKind::Aircraft => NodeShape::Hexagon,
        EntityKind::Address
        | EntityKind::Facility
        | EntityKind::Jurisdiction
        | EntityKind::Event => NodeShape::Diamond,
    }
}

/// Size of a saved view's thumbnail in the views panel, in points (16:9, like a view's frame).
pub const VIEW_THUMBNAIL_SIZE: egui::Vec2 = egui::vec2(128.0, 72.0);

/// Presentation mode scales the whole interface by this much (text and strokes for a
/// projector at the back of a room).
pub const PRESENT_SCALE: f32 = 1.35;
/// Presentation overlays, in points (before the scale above).
pub const PRESENT_BANNER_HEIGHT: f32 = 24.0;
pub const PRESENT_BANNER_TEXT: f32 = 14.0;
pub const PRESENT_TITLE_TEXT: f32 = 22.0;
pub const PRESENT_CAPTION_TEXT: f32 = 15.0;
pub const PRESENT_HINT_TEXT: f32 = 10.0;
pub const PRESENT_MARGIN: f32 = 28.0;
pub const PRESENT_PADDING: f32 = 12.0;
pub const PRESENT_POINTER_RADIUS: f32 = 16.0;
/// Width kept free at the right of the caption band for the slide counter and key hint.
pub const PRESENT_COUNTER_WIDTH: f32 = 230.0;

/// Background of the caption band at the foot of a presentation slide.
pub fn present_caption_fill(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgba_unmultiplied(248, 250, 252, 235),
        Color32::from_rgba_unmultiplied(17, 24, 39, 235),
    )
}

/// The presenter's pointer.
pub fn present_pointer(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(220, 38, 38),
        Color32::from_rgb(248, 113, 113),
    )
}

/// Canvas text sizes in canvas units (they scale with zoom).
pub const CANVAS_LABEL_SIZE: f32 = 13.0;
pub const CANVAS_EDGE_LABEL_SIZE: f32 = 11.0;
/// Below this on-screen size (points) text is not drawn: level of detail.
pub const CANVAS_MIN_TEXT_PX: f32 = 7.5;
/// While few nodes are on screen, nodes, labels and badges keep at least these sizes (points)
/// however far the user zooms out, so a small case stays readable at any zoom.
pub const CANVAS_SPARSE_NODE_PX: f32 = 11.0;
pub const CANVAS_SPARSE_LABEL_PX: f32 = 10.5;
pub const CANVAS_SPARSE_BADGE_PX: f32 = 8.5;
/// At most this many nodes on screen count as sparse.
pub const CANVAS_SPARSE_LIMIT: usize = 300;
/// Radius of the link handle beside a node, in points.
pub const CANVAS_HANDLE_RADIUS: f32 = 7.0;
/// Glyphs the canvas draws besides the entity icons.
pub const PIN_GLYPH: &str = "📌";
pub const EVIDENCE_GLYPH: &str = "📎";
pub const SHIPMENT_GLYPH: &str = "🚚";
pub const GROUP_GLYPH: &str = "📁";

pub fn canvas_background(dark: bool) -> Color32 {
    shade(palette::CANVAS_BACKGROUND, dark)
}

pub fn canvas_grid_color(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(226, 232, 240),
        Color32::from_rgb(31, 41, 55),
    )
}

pub fn edge_color(dark: bool) -> Color32 {
    shade(palette::EDGE, dark)
}

/// Shipment routes: a warm colour that stands apart from links and entity kinds.
pub fn route_color(dark: bool) -> Color32 {
    with_alpha(shade(palette::ROUTE, dark), 200)
}

pub fn label_background(dark: bool) -> Color32 {
    with_alpha(shade(palette::CANVAS_BACKGROUND, dark), 215)
}

pub fn label_text(dark: bool) -> Color32 {
    shade(palette::LABEL_TEXT, dark)
}

/// Selection ring and box-select outline.
pub fn selection_color(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(37, 99, 235),
        Color32::from_rgb(96, 165, 250),
    )
}

/// Search hits and found paths.
pub fn highlight_color(dark: bool) -> Color32 {
    shade(palette::HIGHLIGHT, dark)
}

pub fn flag_badge_color(dark: bool) -> Color32 {
    shade(palette::FLAG, dark)
}

/// A flag that has ended (a formerly listed party): muted, so it does not read as a live
/// warning, yet distinct from plain text.
pub fn formerly_listed_color(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(146, 64, 14),
        Color32::from_rgb(251, 191, 36),
    )
}

/// Badge of a formerly listed party (text in [`flag_badge_text`]).
pub fn formerly_listed_badge(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(107, 114, 128),
        Color32::from_rgb(75, 85, 99),
    )
}

/// Text on a flag badge (on [`flag_badge_color`]).
pub fn flag_badge_text(dark: bool) -> Color32 {
    pick(dark, Color32::WHITE, Color32::WHITE)
}

/// The kind glyph drawn inside a node (on [`entity_color`]).
pub fn node_icon_color(dark: bool) -> Color32 {
    pick(dark, Color32::WHITE, Color32::from_rgb(17, 24, 39))
}

/// The "+" of the link handle while hovered (on [`selection_color`]).
pub fn handle_glyph_hovered(dark: bool) -> Color32 {
    pick(dark, Color32::WHITE, Color32::WHITE)
}

pub fn note_fill(dark: bool) -> Color32 {
    shade(palette::NOTE_FILL, dark)
}

pub fn note_text(dark: bool) -> Color32 {
    shade(palette::NOTE_TEXT, dark)
}

pub fn group_fill(dark: bool) -> Color32 {
    with_alpha(shade(palette::GROUP_FILL, dark), if dark { 26 } else { 18 })
}

pub fn group_stroke(dark: bool) -> Color32 {
    shade(palette::GROUP_STROKE, dark)
}

pub fn map_land(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(203, 213, 225),
        Color32::from_rgb(55, 65, 81),
    )
}

/// Background colour of a handling-marking badge; text on it is black except on RED.
pub fn tlp_colors(tlp: Tlp) -> (Color32, Color32) {
    let (bg, fg) = palette::tlp(tlp);
    (color(bg), color(fg))
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

// ---- timeline and charts ------------------------------------------------------------------

/// Height of the timeline panel below the canvas when it first opens.
pub const TIMELINE_PANEL_HEIGHT: f32 = 320.0;
/// Height of the goods-per-month bars above the lanes.
pub const TIMELINE_BARS_HEIGHT: f32 = 80.0;
/// Height of one lane of the timeline.
pub const TIMELINE_LANE_HEIGHT: f32 = 22.0;
/// Width of the lane labels on the left of the timeline.
pub const TIMELINE_LABEL_WIDTH: f32 = 170.0;
/// Half the height of an item's bar in a lane, and the least half width of a one-day item.
pub const TIMELINE_ITEM_HALF_HEIGHT: f32 = 6.0;
pub const TIMELINE_ITEM_MIN_HALF_WIDTH: f32 = 5.0;
/// Width of the date fields of the timeline.
pub const TIMELINE_DATE_FIELD_WIDTH: f32 = 88.0;
/// Height of the flows chart.
pub const FLOWS_CHART_HEIGHT: f32 = 230.0;

/// A timeline item: shipments in the route colour, payments green, events in the event colour.
pub fn timeline_item_color(kind: crate::analysis::timeline::ItemKind, dark: bool) -> Color32 {
    use crate::analysis::timeline::ItemKind;
    match kind {
        ItemKind::Shipment => pick(
            dark,
            Color32::from_rgb(234, 88, 12),
            Color32::from_rgb(251, 146, 60),
        ),
        ItemKind::Payment => pick(
            dark,
            Color32::from_rgb(21, 128, 61),
            Color32::from_rgb(74, 222, 128),
        ),
        ItemKind::Event => entity_color(EntityKind::Event, dark),
    }
}

/// Goods-per-month bars.
pub fn timeline_bar_color(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgba_unmultiplied(234, 88, 12, 150),
        Color32::from_rgba_unmultiplied(251, 146, 60, 150),
    )
}

/// The time window shown on the canvas, shaded on the timeline.
pub fn timeline_window_fill(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgba_unmultiplied(37, 99, 235, 40),
        Color32::from_rgba_unmultiplied(96, 165, 250, 45),
    )
}

/// Series colours for charts (flows by destination ...), distinct in both themes.
pub fn chart_series_color(i: usize, dark: bool) -> Color32 {
    const LIGHT: [Color32; 8] = [
        Color32::from_rgb(37, 99, 235),
        Color32::from_rgb(234, 88, 12),
        Color32::from_rgb(21, 128, 61),
        Color32::from_rgb(147, 51, 234),
        Color32::from_rgb(190, 18, 60),
        Color32::from_rgb(13, 148, 136),
        Color32::from_rgb(161, 98, 7),
        Color32::from_rgb(71, 85, 105),
    ];
    const DARK: [Color32; 8] = [
        Color32::from_rgb(96, 165, 250),
        Color32::from_rgb(251, 146, 60),
        Color32::from_rgb(74, 222, 128),
        Color32::from_rgb(192, 132, 252),
        Color32::from_rgb(251, 113, 133),
        Color32::from_rgb(45, 212, 191),
        Color32::from_rgb(250, 204, 21),
        Color32::from_rgb(148, 163, 184),
    ];
    let palette = if dark { &DARK } else { &LIGHT };
    palette[i % palette.len()]
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

// ---- evidence locker -------------------------------------------------------------------------

/// Height of the evidence list in the locker, above the selected item's details.
pub const EVIDENCE_LIST_HEIGHT: f32 = 240.0;
/// Height of one row in the evidence list.
pub const EVIDENCE_ROW_HEIGHT: f32 = 22.0;
/// Largest size an image preview is drawn at in the locker.
pub const EVIDENCE_PREVIEW_MAX: egui::Vec2 = egui::vec2(360.0, 260.0);
/// Height of a text file preview.
pub const EVIDENCE_TEXT_PREVIEW_HEIGHT: f32 = 180.0;
/// Dash and gap of the outline of a node that no evidence supports, in screen points.
pub const UNSUPPORTED_DASH: (f32, f32) = (4.0, 3.0);

/// Background and text colour of an Admiralty grade badge, by source reliability: reliable
/// sources calm, unreliable ones warm, ungraded ones grey.
pub fn grade_colors(reliability: SourceReliability, dark: bool) -> (Color32, Color32) {
    let text = if dark { Color32::BLACK } else { Color32::WHITE };
    let fill = match reliability {
        SourceReliability::A | SourceReliability::B => pick(
            dark,
            Color32::from_rgb(21, 128, 61),
            Color32::from_rgb(74, 222, 128),
        ),
        SourceReliability::C => pick(
            dark,
            Color32::from_rgb(161, 98, 7),
            Color32::from_rgb(250, 204, 21),
        ),
        SourceReliability::D | SourceReliability::E => pick(
            dark,
            Color32::from_rgb(185, 28, 28),
            Color32::from_rgb(248, 113, 113),
        ),
        SourceReliability::F => pick(
            dark,
            Color32::from_rgb(100, 116, 139),
            Color32::from_rgb(148, 163, 184),
        ),
    };
    (fill, text)
}

/// Outline of a canvas node that no evidence supports.
pub fn unsupported_outline(dark: bool) -> Color32 {
    pick(
        dark,
        Color32::from_rgb(190, 18, 60),
        Color32::from_rgb(251, 113, 133),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use skrifa::MetadataProvider;

    /// Exported pictures are coloured as the canvas in the light theme: both read
    /// `layout::palette`, and this catches either side going its own way again.
    #[test]
    fn pictures_are_coloured_as_the_light_canvas() {
        use crate::io::export::svg;
        let hex = |c: Color32| format!("#{:02x}{:02x}{:02x}", c.r(), c.g(), c.b());
        for kind in EntityKind::ALL {
            assert_eq!(
                svg::kind_color(kind),
                hex(entity_color(kind, false)),
                "{kind:?}"
            );
        }
        assert_eq!(svg::HIGHLIGHT_COLOR, hex(highlight_color(false)));
        for tlp in [
            Tlp::Clear,
            Tlp::Green,
            Tlp::Amber,
            Tlp::AmberStrict,
            Tlp::Red,
        ] {
            let (bg, fg) = svg::tlp_colors(tlp);
            let (cbg, cfg) = tlp_colors(tlp);
            assert_eq!(
                (bg.to_owned(), fg.to_owned()),
                (hex(cbg), hex(cfg)),
                "{tlp:?}"
            );
        }
        // Dark and light differ where they should (a dark canvas is not the light one).
        assert_ne!(canvas_background(true), canvas_background(false));
    }

    /// Every icon we draw must exist in one of egui's bundled fonts, or it renders as a box.
    #[test]
    fn every_entity_icon_has_a_glyph_in_the_bundled_fonts() {
        let defs = egui::FontDefinitions::default();
        let fonts: Vec<_> = defs.font_data.values().map(|d| d.font.clone()).collect();
        let icons = EntityKind::ALL.map(entity_icon);
        let others = [
            PIN_GLYPH,
            EVIDENCE_GLYPH,
            SHIPMENT_GLYPH,
            GROUP_GLYPH,
            "▲",
            "▼",
            "✖",
        ];
        for icon in icons.iter().chain(others.iter()) {
            for c in icon.chars().filter(|c| *c != '\u{fe0f}') {
                let found = fonts.iter().any(|bytes| {
                    skrifa::FontRef::new(bytes.as_ref().as_ref())
                        .is_ok_and(|f| f.charmap().map(c).is_some())
                });
                assert!(found, "{icon}: {c:?} ({:X}) has no glyph", c as u32);
            }
        }
    }
}
