//! Presentation mode: the case's saved views shown full screen, one after another, with
//! smooth camera moves, a caption, a pointer that follows the mouse and the handling marking
//! always on screen. Presenting only reads the case: it draws the canvas without its editing
//! gestures and takes no commands, so nothing in the case can change; leaving puts the canvas,
//! the window and the zoom back exactly as they were.

use crate::edit::Revision;
use crate::model::{Camera, Case, FrameRect, ItemRef, SavedView, ViewId};
use crate::ui::canvas::Canvas;
use crate::ui::canvas::scene::Filters;
use crate::ui::commands::{Scope, UiCommand};
use crate::ui::theme;
use egui::{Align2, FontId, Pos2, Rect, Ui, pos2, vec2};
use std::collections::BTreeSet;

/// Seconds a camera move between two slides takes.
const MOVE_SECONDS: f64 = 0.9;

/// What the editing canvas looked like before presenting, put back on leaving.
struct Saved {
    center: Pos2,
    zoom: f32,
    filters: Filters,
    selected: BTreeSet<ItemRef>,
    primary: Option<ItemRef>,
    highlighted: BTreeSet<ItemRef>,
    zoom_factor: f32,
    fullscreen: bool,
}

/// A camera move in progress: from where the camera was to a view's camera.
struct Move {
    from_center: Pos2,
    from_zoom: f32,
    to: Camera,
    start: Option<f64>,
}

/// What the app should do after a presentation frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PresentOutcome {
    Continue,
    /// The user pressed Esc: restore the editor.
    Exit,
}

pub struct Presenter {
    /// Index of the slide on screen.
    pub index: usize,
    saved: Saved,
    moving: Option<Move>,
    /// Height of the caption band drawn last frame: the slide is framed above it.
    band_height: f32,
}

impl Presenter {
    /// Starts presenting at slide `index`: full screen, larger text, selection hidden.
    pub fn start(ctx: &egui::Context, canvas: &mut Canvas, case: &Case, index: usize) -> Self {
        let saved = Saved {
            center: canvas.center,
            zoom: canvas.zoom,
            filters: canvas.filters.clone(),
            selected: std::mem::take(&mut canvas.selected),
            primary: canvas.primary.take(),
            highlighted: canvas.highlighted.clone(),
            zoom_factor: ctx.zoom_factor(),
            fullscreen: ctx.input(|i| i.viewport().fullscreen.unwrap_or(false)),
        };
        canvas.stop_camera();
        ctx.set_zoom_factor(saved.zoom_factor * theme::PRESENT_SCALE);
        if !saved.fullscreen {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        }
        let mut p = Self {
            index: 0,
            saved,
            moving: None,
            band_height: 0.0,
        };
        let count = slides(case, canvas).len();
        p.go(case, canvas, index.min(count.saturating_sub(1)));
        p
    }

    /// Puts the editor back exactly as it was before presenting.
    pub fn finish(self, ctx: &egui::Context, canvas: &mut Canvas) {
        let s = self.saved;
        canvas.stop_camera();
        canvas.center = s.center;
        canvas.zoom = s.zoom;
        canvas.filters = s.filters;
        canvas.selected = s.selected;
        canvas.primary = s.primary;
        canvas.highlighted = s.highlighted;
        ctx.set_zoom_factor(s.zoom_factor);
        if !s.fullscreen {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
        }
        ctx.set_cursor_icon(egui::CursorIcon::Default);
    }

    /// Moves to slide `index` (clamped), with an animated camera move.
    pub fn go(&mut self, case: &Case, canvas: &mut Canvas, index: usize) {
        let all = slides(case, canvas);
        let Some(view) = all.get(index.min(all.len().saturating_sub(1))) else {
            return;
        };
        self.index = index.min(all.len() - 1);
        canvas.apply_view_filters(view);
        self.moving = Some(Move {
            from_center: canvas.center,
            from_zoom: canvas.zoom,
            to: view.camera,
            start: None,
        });
    }

    /// The id of the saved view on screen (None while showing the whole case).
    pub fn current_view<'a>(&self, case: &'a Case) -> Option<&'a ViewId> {
        case.views.get(self.index).map(|v| &v.id)
    }

    /// Whether the camera is still moving to the current slide.
    pub fn is_moving(&self) -> bool {
        self.moving.is_some()
    }

    /// One presentation frame: keys, camera, canvas and overlays.
    pub fn frame_ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        revision: Revision,
        canvas: &mut Canvas,
    ) -> PresentOutcome {
        let ctx = ui.ctx().clone();
        let count = slides(case, canvas).len();
        for command in UiCommand::pressed(&ctx, Scope::Presentation) {
            match command {
                UiCommand::EndPresentation => return PresentOutcome::Exit,
                UiCommand::NextSlide if self.index + 1 < count => {
                    self.go(case, canvas, self.index + 1);
                }
                UiCommand::PreviousSlide if self.index > 0 => {
                    self.go(case, canvas, self.index - 1);
                }
                UiCommand::FirstSlide => self.go(case, canvas, 0),
                UiCommand::LastSlide => self.go(case, canvas, count.saturating_sub(1)),
                _ => {}
            }
        }
        // Keys the editor would act on (undo, delete, shortcuts) go nowhere while presenting.
        ctx.input_mut(|i| i.events.retain(|e| !matches!(e, egui::Event::Key { .. })));

        let now = ctx.input(|i| i.time);
        self.step_camera(canvas, now);
        if self.moving.is_some() {
            ctx.request_repaint();
        }
        let mut rect = Rect::NOTHING;
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                rect = canvas.present_ui(ui, case, revision);
            });
        let all = slides(case, canvas);
        if let Some(view) = all.get(self.index) {
            self.overlay_ui(&ctx, rect, case, view, count);
        }
        PresentOutcome::Continue
    }

    fn step_camera(&mut self, canvas: &mut Canvas, now: f64) {
        let Some(m) = &mut self.moving else {
            return;
        };
        let start = *m.start.get_or_insert(now);
        // The slide's frame fits whole between the marking banner and the caption band.
        let full = canvas.screen_rect();
        let safe = Rect::from_min_max(
            full.min + vec2(0.0, theme::PRESENT_BANNER_HEIGHT),
            full.max - vec2(0.0, self.band_height),
        );
        let to_zoom =
            m.to.zoom_to_contain(safe.width().max(1.0), safe.height().max(1.0))
                .clamp(crate::ui::canvas::MIN_ZOOM, crate::ui::canvas::MAX_ZOOM);
        let to_center =
            pos2(m.to.center.x, m.to.center.y) - (safe.center() - full.center()) / to_zoom;
        #[allow(clippy::cast_possible_truncation)]
        let t = (((now - start) / MOVE_SECONDS) as f32).clamp(0.0, 1.0);
        // Ease in and out; zoom geometrically, pulling back a little on long moves so the
        // audience keeps its bearings.
        let ease = t * t * (3.0 - 2.0 * t);
        let screen = canvas.screen_rect().width().max(1.0);
        let travel = m.from_center.distance(to_center) * m.from_zoom.min(to_zoom) / screen;
        let pull = (travel * 0.35).clamp(0.0, 0.45) * 4.0 * ease * (1.0 - ease);
        canvas.zoom = m.from_zoom * (to_zoom / m.from_zoom).powf(ease) * (1.0 - pull);
        canvas.center = m.from_center.lerp(to_center, ease);
        if t >= 1.0 {
            canvas.center = to_center;
            canvas.zoom = to_zoom;
            self.moving = None;
        }
    }

    fn overlay_ui(
        &mut self,
        ctx: &egui::Context,
        rect: Rect,
        case: &Case,
        view: &SavedView,
        count: usize,
    ) {
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("presentation_overlay"),
        ));
        let dark = ctx.global_style().visuals.dark_mode;
        // The handling marking, always on screen.
        let (bg, fg) = theme::tlp_colors(case.meta.marking);
        let banner =
            Rect::from_min_size(rect.min, vec2(rect.width(), theme::PRESENT_BANNER_HEIGHT));
        painter.rect_filled(banner, 0.0, bg);
        let marking = painter.text(
            banner.left_center() + vec2(theme::PRESENT_PADDING, 0.0),
            Align2::LEFT_CENTER,
            format!(
                "{}  ·  {}",
                case.meta.marking.label(),
                case.meta.marking.meaning()
            ),
            FontId::proportional(theme::PRESENT_BANNER_TEXT),
            fg,
        );
        let title = painter.layout_no_wrap(
            case.meta.title.clone(),
            FontId::proportional(theme::PRESENT_BANNER_TEXT * 0.9),
            fg,
        );
        if marking.right() + 3.0 * theme::PRESENT_MARGIN + title.size().x < banner.right() {
            painter.galley(
                pos2(
                    banner.right() - theme::PRESENT_PADDING - title.size().x,
                    banner.center().y - title.size().y / 2.0,
                ),
                title,
                fg,
            );
        }
        // The caption.
        // Text on the left, the slide counter and the key hint in a column on the right.
        let width =
            (rect.width() - 2.0 * theme::PRESENT_MARGIN - theme::PRESENT_COUNTER_WIDTH).max(100.0);
        let text = theme::label_text(dark);
        let title = painter.layout(
            view.name.clone(),
            FontId::proportional(theme::PRESENT_TITLE_TEXT),
            text,
            width,
        );
        let caption = (!view.caption.is_empty()).then(|| {
            painter.layout(
                view.caption.clone(),
                FontId::proportional(theme::PRESENT_CAPTION_TEXT),
                text,
                width,
            )
        });
        let gap = 6.0;
        let height = title.size().y
            + caption.as_ref().map_or(0.0, |c| c.size().y + gap)
            + 2.0 * theme::PRESENT_PADDING;
        let band = Rect::from_min_max(pos2(rect.min.x, rect.max.y - height), rect.max);
        self.band_height = height;
        painter.rect_filled(band, 0.0, theme::present_caption_fill(dark));
        let mut at = band.min + vec2(theme::PRESENT_MARGIN, theme::PRESENT_PADDING);
        let title_height = title.size().y;
        painter.galley(at, title, text);
        at.y += title_height + gap;
        if let Some(c) = caption {
            painter.galley(at, c, text);
        }
        painter.text(
            band.right_top() + vec2(-theme::PRESENT_MARGIN, theme::PRESENT_PADDING),
            Align2::RIGHT_TOP,
            format!("{} / {count}", self.index + 1),
            FontId::proportional(theme::PRESENT_CAPTION_TEXT),
            text.gamma_multiply(0.7),
        );
        painter.text(
            band.right_bottom() + vec2(-theme::PRESENT_MARGIN, -theme::PRESENT_PADDING),
            Align2::RIGHT_BOTTOM,
            "→ / Space next · ← back · Esc ends",
            FontId::proportional(theme::PRESENT_HINT_TEXT),
            text.gamma_multiply(0.5),
        );
        // The pointer: a soft spot that follows the mouse, for pointing at things on screen.
        if let Some(p) = ctx.input(|i| i.pointer.hover_pos())
            && rect.contains(p)
        {
            ctx.set_cursor_icon(egui::CursorIcon::None);
            let color = theme::present_pointer(dark);
            painter.circle_filled(p, theme::PRESENT_POINTER_RADIUS, color.gamma_multiply(0.35));
            painter.circle_filled(p, theme::PRESENT_POINTER_RADIUS * 0.35, color);
        }
    }
}

/// The slides of a presentation: the case's saved views in order, or, in a case without
/// views, one slide of the whole case named after it.
pub fn slides(case: &Case, canvas: &Canvas) -> Vec<SavedView> {
    if !case.views.is_empty() {
        return case.views.clone();
    }
    let camera = canvas.scene().bounds.map_or_else(Camera::default, |b| {
        Camera::containing(FrameRect {
            min_x: b.min.x,
            min_y: b.min.y,
            max_x: b.max.x,
            max_y: b.max.y,
        })
    });
    vec![SavedView {
        name: case.meta.title.clone(),
        caption: case.meta.summary.clone(),
        camera,
        ..SavedView::default()
    }]
}
