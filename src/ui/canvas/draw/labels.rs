//! The labels of links and shipments, placed among the names of the nodes, and the boxes
//! drawn behind labels and badges.

use super::{Style, label_background};
use crate::layout::labels::{LabelPlacer, PlacedLabel, Rect as PlacerRect};
use crate::model::CanvasPoint;
use crate::ui::canvas::geometry;
use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, pos2, vec2};

/// A link's or shipment's label waiting for its place: its text and the line it belongs to,
/// in screen points.
pub(super) struct LineLabel {
    pub(super) text: String,
    pub(super) size: f32,
    pub(super) color: Color32,
    /// Selected or under the pointer: placed first, and kept at the line's middle when no
    /// free place is left.
    pub(super) emphasised: bool,
    pub(super) points: Vec<Pos2>,
    /// Where along the line it would rather be (0 start, 1 end): 0.5 for a label, spaced
    /// fractions for a route's waypoints.
    pub(super) centre: f32,
    /// A waypoint marker: drawn filled in the line's colour, placed before the line labels.
    pub(super) chip: bool,
}

/// The fractions along a line tried for a label wanting to be at `centre`, nearest first.
fn fractions_around(centre: f32) -> impl Iterator<Item = f32> {
    [0.0, -0.1, 0.1, -0.2, 0.2, -0.28, 0.28]
        .into_iter()
        .map(move |d| (centre + d).clamp(0.04, 0.96))
}

/// The canvas area as the label placer's frame.
pub(super) fn screen_frame(rect: Rect) -> PlacerRect {
    PlacerRect {
        x0: rect.min.x,
        y0: rect.min.y,
        x1: rect.max.x,
        y1: rect.max.y,
    }
}

/// Places and draws link and shipment labels among the names already placed: each at the
/// first free point along its line (the middle, then further out), on two lines or shortened
/// if need be, else left out; the emphasised first, kept at the middle when nothing is free.
pub(super) fn place_line_labels(
    painter: &Painter,
    placer: &mut LabelPlacer,
    mut labels: Vec<LineLabel>,
    style: &Style,
) {
    labels.sort_by_key(|l| (std::cmp::Reverse(l.emphasised), std::cmp::Reverse(l.chip)));
    for label in labels {
        if label.points.len() < 2 {
            continue;
        }
        let along: Vec<CanvasPoint> = fractions_around(label.centre)
            .map(|t| {
                let p = geometry::point_along(&label.points, t);
                CanvasPoint { x: p.x, y: p.y }
            })
            .collect();
        let mut placed = placer.edge_label(&along, &label.text, label.size);
        if placed.is_none() && label.emphasised {
            let w = placer.text_width(&label.text, label.size);
            let corner = CanvasPoint {
                x: along[0].x - w / 2.0,
                y: along[0].y - label.size / 2.0,
            };
            placed = placer.title(&[corner], &label.text, label.size);
        }
        match &placed {
            Some(placed) if label.chip => {
                for line in &placed.lines {
                    let r = Rect::from_min_max(
                        pos2(line.rect.x0, line.rect.y0),
                        pos2(line.rect.x1, line.rect.y1),
                    );
                    painter.rect_filled(r, r.height() / 2.0, label.color);
                    painter.text(
                        placed_line_top(line),
                        Align2::CENTER_TOP,
                        &line.text,
                        FontId::proportional(placed.size),
                        style.label_bg,
                    );
                }
            }
            Some(placed) => draw_placed(painter, placed, style, label.color),
            None => {}
        }
    }
}

/// Where a placed line's text starts: below the top of its box by the padding of the box drawn
/// behind it (see [`label_background`]).
pub(in crate::ui::canvas) fn placed_line_top(line: &crate::layout::labels::LabelLine) -> Pos2 {
    pos2(line.x, line.rect.y0 + 1.0)
}

/// Draws a placed label's lines, each on its background box.
pub(super) fn draw_placed(painter: &Painter, label: &PlacedLabel, style: &Style, color: Color32) {
    for line in &label.lines {
        text_with_background(
            painter,
            placed_line_top(line),
            Align2::CENTER_TOP,
            &line.text,
            label.size,
            style,
            color,
        );
    }
}

fn text_with_background(
    painter: &Painter,
    pos: Pos2,
    align: Align2,
    text: &str,
    size: f32,
    style: &Style,
    color: Color32,
) {
    let galley = painter.layout_no_wrap(text.to_owned(), FontId::proportional(size), color);
    let r = align.anchor_size(pos, galley.size());
    painter.rect_filled(label_background(r), 3.0, style.label_bg);
    painter.galley(r.min, galley, color);
}

pub(super) fn badge(
    painter: &Painter,
    pos: Pos2,
    text: &str,
    size: f32,
    fill: Color32,
    color: Color32,
) {
    let galley = painter.layout_no_wrap(text.to_owned(), FontId::proportional(size), color);
    let r = Align2::CENTER_CENTER.anchor_size(pos, galley.size());
    painter.rect_filled(r.expand2(vec2(4.0, 1.0)), size * 0.6, fill);
    painter.galley(r.min, galley, color);
}
