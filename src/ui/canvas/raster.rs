//! The far-out picture as one image. Without a GPU (Mesa's llvmpipe
//! in a virtual desktop), rasterising the hundreds of thousands of hairlines of a large case
//! fitted in view takes the renderer seconds a frame. With [`FarDrawing::Always`] (automatic when
//! the renderer is a CPU, or chosen in Settings), the canvas paints the far-out hairlines
//! and dots into a picture once, on a worker thread (tiny-skia, already in the tree through
//! resvg), and draws that picture, one textured rectangle, in every frame while the case and
//! the camera stay as they are; what is selected, highlighted or under the pointer is still
//! drawn on top, live. While the camera moves, the last picture is moved and scaled with it
//! (nodes stay where they are drawn), and a new one is made once it has been still for a frame.
//!
//! With a graphics card ([`FarDrawing::WhenStill`]) the picture serves only frames whose camera
//! is still, for cases large enough that drawing every line costs the CPU tens of milliseconds
//! a frame: while the camera moves, or while the picture is made, the lines are drawn live.

use crate::ui::theme;
use egui::{Color32, ColorImage, Pos2, Rect, TextureHandle, TextureOptions, pos2};
use resvg::tiny_skia;
use std::cell::RefCell;
use std::sync::mpsc;

/// Up to this many lines, the picture's lines are anti-aliased.
const SMOOTH_LINES: usize = 20_000;

/// With a graphics card, cases with fewer lines than this are drawn live far out: the picture
/// saves nothing there (a 10 000-entity case, 25 000 lines, costs the CPU 3 ms a frame live).
pub const STILL_PICTURE_LINES: usize = 50_000;

/// How the far-out view (nodes as dots, lines as hairlines) is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FarDrawing {
    /// Every line, every frame.
    #[default]
    Live,
    /// From the picture while the camera and the case are still, live lines while they move
    /// or while the picture is made (a graphics card; cases of [`STILL_PICTURE_LINES`] or
    /// more): a frame with the camera still costs the same whatever the case's size.
    WhenStill,
    /// Always from a picture, the last one moved and scaled with the camera while it moves,
    /// and dots only until the first is made (a software renderer, which would take seconds
    /// to draw the lines).
    Always,
}

/// What the far-out picture does for a frame's layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FarPicture {
    /// Not used: every layer draws as usual.
    Off,
    /// Drawn: hairlines and dots are in it; only what is marked or hovered is drawn on top.
    Drawn,
    /// Being made: the lines are left out until it is ready (drawing them all would cost a
    /// software renderer seconds), the nodes are drawn as dots.
    Pending,
}

/// What a picture was made for: the scene, the camera, the canvas size and the theme.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Key {
    generation: u64,
    center: Pos2,
    zoom: f32,
    size: [usize; 2],
    pixels_per_point: f32,
    dark: bool,
}

struct Shown {
    key: Key,
    texture: TextureHandle,
}

/// What the worker paints: screen-space lines and dots, relative to the canvas's corner.
struct Sketch {
    size: [usize; 2],
    pixels_per_point: f32,
    edges: Vec<[Pos2; 2]>,
    edge_color: Color32,
    routes: Vec<[Pos2; 2]>,
    route_color: Color32,
    dots: Vec<(Pos2, f32, Color32)>,
}

#[derive(Default)]
struct State {
    shown: Option<Shown>,
    pending: Option<(Key, mpsc::Receiver<ColorImage>)>,
    /// The key of the previous frame: a picture is made once two frames in a row agree.
    last: Option<Key>,
}

/// The cache of the far-out picture (see the module's note). Lives in the canvas.
#[derive(Default)]
pub struct FarRaster {
    state: RefCell<State>,
}

impl std::fmt::Debug for FarRaster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state.borrow();
        f.debug_struct("FarRaster")
            .field("shown", &state.shown.as_ref().map(|s| s.key))
            .field("pending", &state.pending.is_some())
            .finish()
    }
}

impl FarRaster {
    /// Whether the last frame drew the picture made for its camera.
    pub fn is_current(&self) -> bool {
        let state = self.state.borrow();
        state
            .shown
            .as_ref()
            .is_some_and(|s| Some(s.key) == state.last)
    }

    /// Whether the last frame wanted a picture it did not have yet (being made, or the camera
    /// still moving).
    pub fn is_waiting(&self) -> bool {
        self.state.borrow().last.is_some() && !self.is_current()
    }
}

impl super::Canvas {
    /// Draws the far-out picture when cheap drawing applies to this frame, and says what the
    /// layers still draw on top of it.
    pub(super) fn draw_far_raster(
        &self,
        f: &super::draw::Frame,
        ctx: &egui::Context,
    ) -> FarPicture {
        let lines = self.scene.edges.len() + self.scene.routes.len();
        if self.far_drawing == FarDrawing::Live
            || (self.far_drawing == FarDrawing::WhenStill && lines < STILL_PICTURE_LINES)
            || !f.dots
            || self.nodes_moving()
        {
            self.state_mut().last = None;
            return FarPicture::Off;
        }
        let rect = f.rect;
        let ppp = ctx.pixels_per_point();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let size = [
            (rect.width() * ppp).round().max(1.0) as usize,
            (rect.height() * ppp).round().max(1.0) as usize,
        ];
        let key = Key {
            generation: self.scene_generation,
            center: self.center,
            zoom: self.zoom,
            size,
            pixels_per_point: ppp,
            dark: f.style.dark,
        };
        let mut state = self.state_mut();
        // A finished picture replaces the one shown.
        if let Some((done_key, rx)) = &state.pending {
            match rx.try_recv() {
                Ok(image) => {
                    let texture = ctx.load_texture("far-view", image, TextureOptions::LINEAR);
                    let done_key = *done_key;
                    state.shown = Some(Shown {
                        key: done_key,
                        texture,
                    });
                    state.pending = None;
                }
                Err(mpsc::TryRecvError::Empty) => {}
                Err(mpsc::TryRecvError::Disconnected) => state.pending = None,
            }
        }
        let still = state.last == Some(key);
        state.last = Some(key);
        let current = state.shown.as_ref().is_some_and(|s| s.key == key);
        // One picture is made at a time (two cores: the window keeps the other); one made for
        // a camera since moved is still shown, moved with it, until the next is ready.
        let wanted = !current && state.pending.is_none();
        if wanted && still {
            let sketch = self.sketch(f, size, ppp);
            let (tx, rx) = mpsc::channel();
            let wake = ctx.clone();
            let spawned = std::thread::Builder::new()
                .name("far-view picture".into())
                .spawn(move || {
                    let _ = tx.send(paint(&sketch));
                    wake.request_repaint();
                });
            if spawned.is_ok() {
                state.pending = Some((key, rx));
            }
        }
        if !current && state.pending.is_none() {
            // Moving: look again soon, to start a picture once the camera is still. (A picture
            // being made wakes the window itself when it is ready; frames meanwhile would only
            // take the core it is made on.)
            ctx.request_repaint_after(std::time::Duration::from_millis(60));
        }
        if self.far_drawing == FarDrawing::WhenStill && !current {
            // Live lines until the picture for this very camera is ready.
            return FarPicture::Off;
        }
        // The picture shown, moved and scaled to the camera as it is now.
        match &state.shown {
            Some(shown)
                if shown.key.generation == key.generation
                    && shown.key.size == key.size
                    && shown.key.dark == key.dark =>
            {
                let made = shown.key;
                let corner = |p: Pos2| {
                    // Screen point of the picture's corner `p` (points, relative to the canvas
                    // rect's min) under the current camera.
                    let canvas = made.center + (p - rect.size().to_pos2() / 2.0) / made.zoom;
                    self.screen_from_canvas(rect, canvas)
                };
                let at = Rect::from_min_max(corner(Pos2::ZERO), corner(rect.size().to_pos2()));
                f.painter.image(
                    shown.texture.id(),
                    at,
                    Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
                    Color32::WHITE,
                );
                FarPicture::Drawn
            }
            // Nothing to show yet for this scene: the nodes as dots, live, and a word; drawing
            // every line now would cost a software renderer seconds.
            _ => {
                f.painter.text(
                    rect.center_bottom() + egui::vec2(0.0, -12.0),
                    egui::Align2::CENTER_BOTTOM,
                    "Drawing the chart…",
                    egui::FontId::proportional(13.0),
                    f.style.label_text,
                );
                FarPicture::Pending
            }
        }
    }

    fn state_mut(&self) -> std::cell::RefMut<'_, State> {
        self.far_raster.state.borrow_mut()
    }

    /// The lines and dots of the far-out drawing, in pixels from the canvas's corner.
    fn sketch(&self, f: &super::draw::Frame, size: [usize; 2], ppp: f32) -> Sketch {
        let rect = f.rect;
        let at = &f.at;
        let to_px = |p: Pos2| ((self.screen_from_canvas(rect, p) - rect.min) * ppp).to_pos2();
        let screen = Rect::from_min_max(Pos2::ZERO, pos2(size[0] as f32, size[1] as f32));
        let mut edges = Vec::with_capacity(self.scene.edges.len());
        for e in &self.scene.edges {
            let (a, b) = (to_px(at[e.from]), to_px(at[e.to]));
            if super::geometry::segment_meets_rect(a, b, screen) {
                edges.push([a, b]);
            }
        }
        let mut routes = Vec::new();
        for r in &self.scene.routes {
            for w in r.stops.windows(2) {
                let (a, b) = (to_px(at[w[0]]), to_px(at[w[1]]));
                if super::geometry::segment_meets_rect(a, b, screen) {
                    routes.push([a, b]);
                }
            }
        }
        let dots = self
            .scene
            .nodes
            .iter()
            .zip(at)
            .filter_map(|(n, &p)| {
                let c = to_px(p);
                let s = (n.radius * self.zoom).max(1.5) * ppp;
                screen
                    .expand(s)
                    .contains(c)
                    .then(|| (c, s, theme::entity_color(n.kind, f.style.dark)))
            })
            .collect();
        Sketch {
            size,
            pixels_per_point: ppp,
            edges,
            // The mesh drawing's translucent hairline colour, over the canvas's background:
            // opaque lines are painted without blending, much faster.
            edge_color: theme::canvas_background(f.style.dark)
                .blend(f.style.edge.gamma_multiply(0.55)),
            routes,
            route_color: f.style.route,
            dots,
        }
    }
}

/// Paints `sketch` (on a worker thread): lines as one-pixel anti-aliased hairlines, each layer
/// one path, then the dots as squares by colour, as the mesh drawing draws them.
fn paint(sketch: &Sketch) -> ColorImage {
    let [w, h] = sketch.size;
    // Two horizontal bands painted side by side: the window waits for the picture, so both
    // cores may work on it; each band draws every line clipped to itself, so the picture is
    // the same as one painted whole.
    let bands = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 2);
    let band_h = h.div_ceil(bands);
    let parts: Vec<Option<Vec<u8>>> = std::thread::scope(|scope| {
        let jobs: Vec<_> = (0..bands)
            .map(|k| {
                let y0 = (k * band_h).min(h);
                let rows = band_h.min(h - y0);
                scope.spawn(move || paint_band(sketch, y0, rows))
            })
            .collect();
        jobs.into_iter().map(|j| j.join().ok().flatten()).collect()
    });
    let mut data = Vec::with_capacity(w * h * 4);
    for part in parts {
        let Some(part) = part else {
            return ColorImage::filled([1, 1], Color32::TRANSPARENT);
        };
        data.extend_from_slice(&part);
    }
    if data.len() != w * h * 4 {
        return ColorImage::filled([1, 1], Color32::TRANSPARENT);
    }
    ColorImage::from_rgba_premultiplied([w, h], &data)
}

/// Rows `y0 .. y0 + rows` of the picture, premultiplied RGBA; None when they cannot be
/// allocated.
fn paint_band(sketch: &Sketch, y0: usize, rows: usize) -> Option<Vec<u8>> {
    let w = sketch.size[0];
    if rows == 0 {
        return Some(Vec::new());
    }
    let mut pixmap = tiny_skia::Pixmap::new(u32::try_from(w).ok()?, u32::try_from(rows).ok()?)?;
    #[allow(clippy::cast_precision_loss)]
    let transform = tiny_skia::Transform::from_translate(0.0, -(y0 as f32));
    // Tens of thousands of lines criss-crossing the screen hide each other's edges: they are
    // drawn without anti-aliasing, several times faster.
    let smooth = sketch.edges.len() + sketch.routes.len() <= SMOOTH_LINES;
    let paint_of = |c: Color32| {
        let mut paint = tiny_skia::Paint::default();
        let [r, g, b, a] = c.to_srgba_unmultiplied();
        paint.set_color_rgba8(r, g, b, a);
        paint.anti_alias = smooth;
        paint
    };
    // Width 0 is tiny-skia's hairline: one pixel wide, anti-aliased, drawn directly rather
    // than stroked into a path to fill (several times faster on a large case).
    let stroke = tiny_skia::Stroke {
        width: if sketch.pixels_per_point > 1.5 {
            sketch.pixels_per_point
        } else {
            0.0
        },
        ..tiny_skia::Stroke::default()
    };
    for (lines, color) in [
        (&sketch.edges, sketch.edge_color),
        (&sketch.routes, sketch.route_color),
    ] {
        let mut path = tiny_skia::PathBuilder::new();
        for [a, b] in lines {
            path.move_to(a.x, a.y);
            path.line_to(b.x, b.y);
        }
        if let Some(path) = path.finish() {
            pixmap.stroke_path(&path, &paint_of(color), &stroke, transform, None);
        }
    }
    let mut by_color: Vec<(Color32, tiny_skia::PathBuilder)> = Vec::new();
    for &(c, s, color) in &sketch.dots {
        let Some(rect) = tiny_skia::Rect::from_xywh(c.x - s, c.y - s, 2.0 * s, 2.0 * s) else {
            continue;
        };
        if let Some((_, path)) = by_color.iter_mut().find(|(k, _)| *k == color) {
            path.push_rect(rect);
        } else {
            let mut path = tiny_skia::PathBuilder::new();
            path.push_rect(rect);
            by_color.push((color, path));
        }
    }
    for (color, path) in by_color {
        if let Some(path) = path.finish() {
            let mut paint = paint_of(color);
            paint.anti_alias = false;
            pixmap.fill_path(&path, &paint, tiny_skia::FillRule::Winding, transform, None);
        }
    }
    Some(pixmap.take())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_dots_are_painted_where_they_are() {
        let sketch = Sketch {
            size: [100, 60],
            pixels_per_point: 1.0,
            edges: vec![[pos2(0.0, 10.5), pos2(100.0, 10.5)]],
            edge_color: Color32::from_rgb(200, 0, 0),
            routes: vec![[pos2(50.5, 0.0), pos2(50.5, 60.0)]],
            route_color: Color32::from_rgb(0, 0, 200),
            dots: vec![(pos2(20.0, 40.0), 3.0, Color32::from_rgb(0, 180, 0))],
        };
        let image = paint(&sketch);
        assert_eq!(image.size, [100, 60]);
        let at = |x: usize, y: usize| image.pixels[y * 100 + x];
        assert!(at(5, 10).r() > 100 && at(5, 10).b() == 0, "{:?}", at(5, 10));
        assert!(at(50, 50).b() > 100, "{:?}", at(50, 50));
        assert!(at(20, 40).g() > 100, "{:?}", at(20, 40));
        assert_eq!(at(80, 40), Color32::TRANSPARENT, "nothing drawn there");
    }
}
