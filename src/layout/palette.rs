//! The chart's colours, once: the canvas (`ui::theme` turns them into egui colours) and
//! exported pictures (`io::export::svg` writes them into SVG) both read them here, so a
//! picture is coloured as the screen it was made from. No egui here: io must not depend on
//! the UI.

use crate::model::{EntityKind, Tlp};

/// A colour in the light theme and in the dark one, as `#rrggbb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shade {
    pub light: &'static str,
    pub dark: &'static str,
}

impl Shade {
    pub const fn pick(self, dark: bool) -> &'static str {
        if dark { self.dark } else { self.light }
    }
}

const fn shade(light: &'static str, dark: &'static str) -> Shade {
    Shade { light, dark }
}

pub const CANVAS_BACKGROUND: Shade = shade("#f8fafc", "#111827");
pub const EDGE: Shade = shade("#64748b", "#94a3b8");
/// Shipment routes (drawn a little transparent on the canvas).
pub const ROUTE: Shade = shade("#ea580c", "#fb923c");
/// What a view highlights.
pub const HIGHLIGHT: Shade = shade("#ca8a04", "#facc15");
pub const LABEL_TEXT: Shade = shade("#0f172a", "#e2e8f0");
/// Red-flag badges.
pub const FLAG: Shade = shade("#dc2626", "#ef4444");
/// Group boxes: the fill is drawn faint, the outline and title as they are.
pub const GROUP_FILL: Shade = shade("#6366f1", "#818cf8");
pub const GROUP_STROKE: Shade = shade("#818cf8", "#6366f1");
pub const NOTE_FILL: Shade = shade("#fef9c3", "#715d14");
pub const NOTE_TEXT: Shade = shade("#422006", "#fef9c3");

/// The colour of an entity kind.
pub const fn entity(kind: EntityKind) -> Shade {
    use EntityKind as K;
    match kind {
        K::Person => shade("#2563eb", "#60a5fa"),
        K::Company => shade("#059669", "#34d399"),
        K::Organization => shade("#0d9488", "#2dd4bf"),
        K::Address => shade("#78716c", "#a8a29e"),
        K::Product => shade("#d97706", "#fbbf24"),
        K::Jurisdiction => shade("#4f46e5", "#818cf8"),
        K::Facility => shade("#65a30d", "#a3e635"),
        K::Vessel | K::Aircraft => shade("#0891b2", "#22d3ee"),
        K::Account => shade("#c026d3", "#e879f9"),
        K::Website => shade("#475569", "#94a3b8"),
        K::Event => shade("#e11d48", "#fb7185"),
    }
}

/// Background and text colour of a handling-marking badge (FIRST TLP 2.0's colours, the
/// same in both themes).
pub const fn tlp(tlp: Tlp) -> (&'static str, &'static str) {
    match tlp {
        Tlp::Clear => ("#ffffff", "#000000"),
        Tlp::Green => ("#33ff00", "#000000"),
        Tlp::Amber | Tlp::AmberStrict => ("#ffc000", "#000000"),
        Tlp::Red => ("#ff2b2b", "#ffffff"),
    }
}

/// Red, green and blue of `#rrggbb` (black for anything else; the tests below check every
/// colour here parses).
pub const fn rgb(hex: &str) -> [u8; 3] {
    const fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    const fn byte(hi: u8, lo: u8) -> Option<u8> {
        match (digit(hi), digit(lo)) {
            (Some(h), Some(l)) => Some(h * 16 + l),
            _ => None,
        }
    }
    match hex.as_bytes() {
        [b'#', r1, r2, g1, g2, b1, b2] => match (byte(*r1, *r2), byte(*g1, *g2), byte(*b1, *b2)) {
            (Some(r), Some(g), Some(b)) => [r, g, b],
            _ => [0, 0, 0],
        },
        _ => [0, 0, 0],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parses(hex: &str) {
        let [r, g, b] = rgb(hex);
        assert_eq!(
            format!("#{r:02x}{g:02x}{b:02x}"),
            hex.to_lowercase(),
            "{hex}"
        );
    }

    #[test]
    fn every_colour_is_a_hex_colour() {
        for s in [
            CANVAS_BACKGROUND,
            EDGE,
            ROUTE,
            HIGHLIGHT,
            LABEL_TEXT,
            FLAG,
            GROUP_FILL,
            GROUP_STROKE,
            NOTE_FILL,
            NOTE_TEXT,
        ]
        .into_iter()
        .chain(EntityKind::ALL.iter().map(|k| entity(*k)))
        {
            parses(s.light);
            parses(s.dark);
        }
        for t in [
            Tlp::Clear,
            Tlp::Green,
            Tlp::Amber,
            Tlp::AmberStrict,
            Tlp::Red,
        ] {
            parses(tlp(t).0);
            parses(tlp(t).1);
        }
        assert_eq!(rgb("#12345"), [0, 0, 0]);
        assert_eq!(rgb("#gg0000"), [0, 0, 0]);
    }
}
