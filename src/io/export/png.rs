//! PNG pictures: our SVG pictures rasterised with `resvg` (pure Rust: usvg parses, tiny-skia
//! paints, text is shaped with the system's fonts). Slides for presentation software, up to 4K.

use resvg::{tiny_skia, usvg};

/// Draws `svg` (one of ours, any size up to 8K wide) and encodes it as PNG.
pub fn render(svg: &str) -> Result<Vec<u8>, String> {
    let mut options = usvg::Options::default();
    {
        let fonts = options.fontdb_mut();
        fonts.load_system_fonts();
        // The generic family must name a face this machine has.
        let sans = [
            "Noto Sans",
            "DejaVu Sans",
            "Liberation Sans",
            "Arial",
            "Helvetica",
        ]
        .into_iter()
        .find(|name| {
            fonts
                .faces()
                .any(|f| f.families.iter().any(|(family, _)| family == name))
        });
        if let Some(name) = sans {
            fonts.set_sans_serif_family(name);
        }
    }
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| format!("a {}×{} picture is too large", size.width(), size.height()))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}
