//! Names in every script: egui's bundled fonts have no CJK glyphs, so at startup we look for a
//! CJK-capable system font (or the one chosen in settings) and add it as a fallback after the
//! default fonts. When none is found the UI shows a one-line notice instead of tofu boxes.

use skrifa::{FontRef, MetadataProvider, raw::FileRef, string::StringId};
use std::path::{Path, PathBuf};

/// Characters a font must have to count as CJK-capable (from the seed case: 苏菂, 昆仑巢).
const PROBE: [char; 4] = ['苏', '菂', '昆', '巢'];

/// Well-known CJK font files, most preferred first.
const CANDIDATES: &[&str] = &[
    // Linux (Debian/Ubuntu fonts-noto-cjk, Fedora google-noto-cjk, Arch noto-fonts-cjk)
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    // macOS
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    // Windows
    "C:\\Windows\\Fonts\\msyh.ttc",
    "C:\\Windows\\Fonts\\simsun.ttc",
    "C:\\Windows\\Fonts\\msjh.ttc",
];

/// Folders searched when no well-known file exists.
const SEARCH_DIRS: &[&str] = &[
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/Library/Fonts",
];

/// A font file and the face in it to use.
#[derive(Clone, Debug, PartialEq)]
pub struct CjkFont {
    pub path: PathBuf,
    pub index: u32,
    pub family: String,
    pub bytes: Vec<u8>,
}

/// Checks that `bytes` hold a font (or collection) with a face covering CJK names, and picks the
/// face: Simplified Chinese when the collection has one, since most names in these cases are.
pub fn cjk_face(bytes: &[u8]) -> Result<(u32, String), String> {
    let file = FileRef::new(bytes).map_err(|_| "not a font file (TrueType/OpenType)".to_owned())?;
    let count = match file {
        FileRef::Font(_) => 1,
        FileRef::Collection(c) => c.len(),
    };
    let mut best: Option<(u32, String, bool)> = None;
    for index in 0..count.min(64) {
        let Ok(font) = FontRef::from_index(bytes, index) else {
            continue;
        };
        let charmap = font.charmap();
        if !PROBE.iter().all(|c| charmap.map(*c).is_some()) {
            continue;
        }
        let family = font
            .localized_strings(StringId::FAMILY_NAME)
            .english_or_first()
            .map(|s| s.chars().collect::<String>())
            .unwrap_or_default();
        let simplified =
            family.contains(" SC") || family.contains("GB") || family.contains("YaHei");
        if best.as_ref().is_none_or(|(_, _, s)| !s && simplified) {
            best = Some((index, family, simplified));
        }
    }
    best.map(|(i, f, _)| (i, f))
        .ok_or_else(|| "the font has no Chinese glyphs".to_owned())
}

/// Loads and checks a font file chosen by the user or found on the system.
pub fn load_cjk_font(path: &Path) -> Result<CjkFont, String> {
    // Font collections with CJK faces run to tens of megabytes; nothing real is near this.
    let bytes =
        crate::io::input::read_bounded(path, 256 << 20, "font files").map_err(|e| e.to_string())?;
    let (index, family) = cjk_face(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(CjkFont {
        path: path.to_owned(),
        index,
        family,
        bytes,
    })
}

/// Finds a CJK-capable font on this system, preferring `preferred` (from settings).
pub fn find_cjk_font(preferred: Option<&Path>) -> Option<CjkFont> {
    if let Some(font) = preferred.and_then(|p| load_cjk_font(p).ok()) {
        return Some(font);
    }
    for path in CANDIDATES {
        let path = Path::new(path);
        if path.is_file()
            && let Ok(font) = load_cjk_font(path)
        {
            return Some(font);
        }
    }
    for dir in SEARCH_DIRS {
        let mut found = Vec::new();
        collect_font_files(Path::new(dir), 0, &mut found);
        found.sort();
        for path in found {
            let name = path.to_string_lossy().to_lowercase();
            if (name.contains("cjk") || name.contains("wqy") || name.contains("han"))
                && let Ok(font) = load_cjk_font(&path)
            {
                return Some(font);
            }
        }
    }
    None
}

fn collect_font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 4 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_font_files(&path, depth + 1, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc"))
        {
            out.push(path);
        }
    }
}

/// Name under which the CJK fallback is registered with egui.
pub const CJK_FONT_NAME: &str = "chokepoint-cjk";

/// Adds `font` as a fallback after egui's own fonts, for both families.
pub fn install_cjk_font(ctx: &egui::Context, font: &CjkFont) {
    let mut data = egui::FontData::from_owned(font.bytes.clone());
    data.index = font.index;
    let mut fonts = egui::FontDefinitions::default();
    fonts
        .font_data
        .insert(CJK_FONT_NAME.to_owned(), std::sync::Arc::new(data));
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push(CJK_FONT_NAME.to_owned());
    }
    ctx.set_fonts(fonts);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noto_cjk_collection_gives_the_simplified_chinese_face() {
        // Installed by .ci/run (Debian fonts-noto-cjk); elsewhere there is nothing to check.
        let path = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
        if !path.is_file() {
            eprintln!("skipped: {} not installed", path.display());
            return;
        }
        let font = load_cjk_font(path).expect("Noto CJK loads");
        assert!(font.family.contains("SC"), "{}", font.family);
        let found = find_cjk_font(None).expect("discovery finds it");
        assert_eq!(found.path, path);
    }

    #[test]
    fn a_chosen_font_that_is_not_cjk_is_refused_with_a_reason() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("latin.ttf");
        let fonts = egui::FontDefinitions::default();
        let data = fonts.font_data.values().next().expect("egui bundles fonts");
        std::fs::write(&path, data.font.as_ref().as_ref()).expect("write");
        let err = load_cjk_font(&path).expect_err("no CJK glyphs");
        assert!(err.contains("no Chinese glyphs"), "{err}");
        let missing = load_cjk_font(&dir.path().join("missing.ttf")).expect_err("missing");
        assert!(missing.contains("no such file"), "{missing}");
    }

    #[test]
    fn garbage_is_not_a_font() {
        assert!(cjk_face(b"definitely not a font").is_err());
        assert!(cjk_face(&[]).is_err());
    }

    #[test]
    fn bundled_latin_font_has_no_cjk() {
        // egui's default Latin font parses but must be refused as a CJK font.
        let fonts = egui::FontDefinitions::default();
        let data = fonts.font_data.values().next().expect("egui bundles fonts");
        assert_eq!(
            cjk_face(data.font.as_ref().as_ref()).map(|_| ()),
            Err("the font has no Chinese glyphs".to_owned())
        );
    }
}
