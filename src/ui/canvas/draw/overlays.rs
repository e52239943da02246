//! What is drawn around and over the graph: group boxes (below the links), sticky notes, and
//! the overlays of gestures (the selection box, a link being drawn, the new-link handle).

use super::Frame;
use super::edges::arrow_head;
use crate::model::ItemRef;
use crate::ui::canvas::{Canvas, Gesture, Hit, title_rect};
use crate::ui::theme;
use egui::{Align2, FontId, Rect, Shape, Stroke, StrokeKind, vec2};

impl Canvas {
    /// Draws the boxes of groups shown as boxes, with their titles.
    pub(super) fn draw_groups(&self, f: &Frame) {
        let (painter, rect, view, at, style) = (&f.painter, f.rect, f.view, &f.at[..], &f.style);
        let dark = style.dark;
        for g in &self.scene.groups {
            let g_rect = self.group_rect_now(g, at);
            if !g_rect.intersects(view) {
                continue;
            }
            let selected = self.selected.contains(&ItemRef::Group(g.id.clone()));
            let r = Rect::from_min_max(
                self.screen_from_canvas(rect, g_rect.min),
                self.screen_from_canvas(rect, g_rect.max),
            );
            let stroke_color = if selected {
                style.selection
            } else {
                theme::group_stroke(dark)
            };
            painter.rect(
                r,
                8.0,
                theme::group_fill(dark),
                Stroke::new(if selected { 2.5 } else { 1.2 }, stroke_color),
                StrokeKind::Inside,
            );
            let tab = title_rect(g_rect);
            let tab = Rect::from_min_max(
                self.screen_from_canvas(rect, tab.min),
                self.screen_from_canvas(rect, tab.max),
            );
            let size = self.label_px();
            if size >= theme::CANVAS_MIN_TEXT_PX {
                painter.text(
                    tab.left_center() + vec2(8.0, 0.0),
                    Align2::LEFT_CENTER,
                    g.title.clone(),
                    FontId::proportional(size.min(22.0)),
                    stroke_color,
                );
            }
        }
    }

    pub(super) fn draw_notes(&self, f: &Frame) {
        let (painter, rect, view, style) = (&f.painter, f.rect, f.view, &f.style);
        let dark = style.dark;
        for (i, note) in self.scene.notes.iter().enumerate() {
            let mut r = note.rect;
            if let Gesture::MoveNote { index, delta } = &self.gesture
                && *index == i
            {
                r = r.translate(*delta);
            }
            if !r.intersects(view) {
                continue;
            }
            let selected = self.selected.contains(&ItemRef::Note(note.id.clone()));
            let sr = Rect::from_min_max(
                self.screen_from_canvas(rect, r.min),
                self.screen_from_canvas(rect, r.max),
            );
            painter.rect(
                sr,
                4.0,
                theme::note_fill(dark),
                Stroke::new(
                    if selected { 2.5 } else { 0.8 },
                    if selected {
                        style.selection
                    } else {
                        theme::note_text(dark).gamma_multiply(0.4)
                    },
                ),
                StrokeKind::Inside,
            );
            let size = if self.sparse {
                (12.0 * self.zoom).max(theme::CANVAS_SPARSE_BADGE_PX)
            } else {
                12.0 * self.zoom
            };
            if size >= theme::CANVAS_MIN_TEXT_PX {
                let inner = sr.shrink(6.0 * self.zoom);
                let text = format!("{}\n{}", note.title, note.body);
                let galley = painter.layout(
                    text,
                    FontId::proportional(size.min(24.0)),
                    theme::note_text(dark),
                    inner.width(),
                );
                painter.with_clip_rect(inner.intersect(rect)).galley(
                    inner.min,
                    galley,
                    theme::note_text(dark),
                );
            }
        }
    }

    /// The selection box, the link being drawn and the new-link handle.
    pub(super) fn draw_overlays(&self, f: &Frame) {
        let (painter, rect, style) = (&f.painter, f.rect, &f.style);
        let dark = style.dark;
        match &self.gesture {
            Gesture::BoxSelect { from, to, .. } => {
                let r = Rect::from_two_pos(
                    self.screen_from_canvas(rect, *from),
                    self.screen_from_canvas(rect, *to),
                );
                painter.rect(
                    r,
                    0.0,
                    style.selection.gamma_multiply(0.12),
                    Stroke::new(1.0, style.selection),
                    StrokeKind::Inside,
                );
            }
            Gesture::Connect { from, to } => {
                let a = self.screen_from_canvas(rect, self.node_pos(*from));
                let b = self.screen_from_canvas(rect, *to);
                let points = [a, b];
                painter.add(Shape::dashed_line(
                    &points,
                    Stroke::new(2.0, style.selection),
                    8.0,
                    5.0,
                ));
                arrow_head(painter, &points, style.selection, 10.0);
            }
            _ => {}
        }
        if let Some(i) = self.handle_node()
            && matches!(self.gesture, Gesture::None)
        {
            let c = self.handle_screen_pos(rect, i);
            let hovered = self.hover == Some(Hit::Handle(i));
            painter.circle(
                c,
                theme::CANVAS_HANDLE_RADIUS,
                if hovered {
                    style.selection
                } else {
                    theme::canvas_background(dark)
                },
                Stroke::new(1.5, style.selection),
            );
            painter.text(
                c,
                Align2::CENTER_CENTER,
                "+",
                FontId::proportional(12.0),
                if hovered {
                    theme::handle_glyph_hovered(dark)
                } else {
                    style.selection
                },
            );
        }
    }
}
