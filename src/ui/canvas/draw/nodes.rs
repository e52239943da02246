//! Nodes and their names: dots batched in one mesh far out (one per screen cell), shapes with
//! icons, rings and badges closer in, names placed so that none overlaps another.

use super::edges::MeshSlot;
use super::edges::{CELL_PX, cell_of, own_primitive};
use super::labels::{LineLabel, badge, draw_placed, place_line_labels, screen_frame};
use super::{DOT_GAP_PX, DOT_RING_PX, Frame, RING_DASH_LIMIT, RING_MIN_RADIUS_PX, Style};
use super::{label_px, node_label_font_px};
use crate::layout::labels::{
    Disc, LabelPlacer, PlacedLabel, Rect as PlacerRect, TextMetrics, text_width,
};
use crate::model::{CanvasPoint, ItemRef};
use crate::ui::canvas::scene::SceneNode;
use crate::ui::canvas::{Canvas, Gesture, Hit, title_rect};
use crate::ui::theme::{self, NodeShape};
use egui::{Align2, Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2, vec2};
use std::collections::HashSet;

impl Canvas {
    /// Draws the nodes in view and their names, then the labels of links and routes around
    /// them.
    pub(super) fn draw_nodes(&self, f: &Frame, mut line_labels: Vec<LineLabel>) {
        let (painter, rect, view, at, style) = (&f.painter, f.rect, f.view, &f.at[..], &f.style);
        let (dots, any_marked, dark) = (f.dots, f.any_marked, style.dark);
        // With the whole case in view (the usual far-out picture), every node is visible: skip
        // the index query and its sort.
        let visible = if f.far == crate::ui::canvas::raster::FarPicture::Drawn && !any_marked {
            // The far-out picture holds every dot, and none is marked: nothing to draw on top.
            Vec::new()
        } else if self.scene.bounds.is_some_and(|b| view.contains_rect(b)) {
            (0..self.scene.nodes.len()).collect()
        } else {
            self.scene.grid.query_rect(&self.scene.nodes, view)
        };
        let moving: Option<&HashSet<usize>> = match &self.gesture {
            Gesture::Move { nodes, .. } => Some(nodes),
            _ => None,
        };
        let mut draw_order = visible;
        if let Some(m) = moving {
            // Moved nodes may have left the indexed area; draw them whatever their old place.
            draw_order.extend(m.iter().copied());
            draw_order.sort_unstable();
            draw_order.dedup();
        }
        if dots {
            // Far out only the marked or hovered lines keep a label; nothing to place around.
            let mut placer = LabelPlacer::new(screen_frame(rect), Vec::new())
                .with_metrics(Self::metrics(painter));
            place_line_labels(
                painter,
                &mut placer,
                std::mem::take(&mut line_labels),
                style,
            );
            let mut mesh = self.meshes.take(MeshSlot::Dots);
            mesh.reserve_vertices(draw_order.len() * 4);
            mesh.reserve_triangles(draw_order.len() * 2);
            // One small dot per screen cell: a second one there would cover the same pixels.
            let mut taken = self.meshes.cells.borrow_mut();
            let columns = (rect.width() / CELL_PX).ceil().max(1.0) as usize;
            let rows = (rect.height() / CELL_PX).ceil().max(1.0) as usize;
            taken.clear();
            taken.resize((columns * rows).div_ceil(64), 0);
            // Selected and highlighted dots, drawn last (on top) with a ring around them.
            let mut marked: Vec<(Pos2, f32, Color32, Color32)> = Vec::new();
            for &i in &draw_order {
                let n = &self.scene.nodes[i];
                let c = self.screen_from_canvas(rect, at[i]);
                let s = (n.radius * self.zoom).max(1.5);
                let color = theme::entity_color(n.kind, dark);
                if any_marked {
                    let ring = if self.selected.contains(&n.item) {
                        Some(style.selection)
                    } else if self.highlighted.contains(&n.item) {
                        Some(style.highlight)
                    } else {
                        None
                    };
                    if let Some(ring) = ring {
                        marked.push((c, s, ring, color));
                        continue;
                    }
                }
                if f.far == crate::ui::canvas::raster::FarPicture::Drawn {
                    continue;
                }
                if s <= CELL_PX
                    && let Some((x, y)) = cell_of(rect, c)
                {
                    let bit = usize::from(y) * columns + usize::from(x);
                    if let Some(word) = taken.get_mut(bit / 64) {
                        if *word & (1 << (bit % 64)) != 0 {
                            continue;
                        }
                        *word |= 1 << (bit % 64);
                    }
                }
                mesh.add_colored_rect(Rect::from_center_size(c, Vec2::splat(2.0 * s)), color);
            }
            // A ring in the mark's colour, then a gap of background, then the dot in its
            // kind's colour: marked whatever the kind (the selection colour is also a kind's).
            let gap = theme::canvas_background(dark);
            for (c, s, ring, color) in marked {
                let square = |half: f32| Rect::from_center_size(c, Vec2::splat(2.0 * half));
                mesh.add_colored_rect(square(s + DOT_RING_PX + DOT_GAP_PX), ring);
                mesh.add_colored_rect(square(s + DOT_GAP_PX), gap);
                mesh.add_colored_rect(square(s), color);
            }
            drop(taken);
            own_primitive(painter, rect, 3).add(self.meshes.give(MeshSlot::Dots, mesh));
        } else {
            let style = Style {
                dashed_rings: draw_order.len() <= RING_DASH_LIMIT,
                ..*style
            };
            let (labels, mut placer) = self.place_node_labels(painter, rect, &draw_order, at);
            place_line_labels(painter, &mut placer, line_labels, &style);
            for &i in &draw_order {
                self.draw_node(painter, rect, i, &style, labels[i].as_ref());
            }
        }
    }

    /// On-screen size of node labels (points): they scale with zoom, but keep a readable
    /// minimum while few nodes are on screen.
    pub(super) fn label_px(&self) -> f32 {
        label_px(self.zoom, self.sparse)
    }

    /// Whether node `i` is selected, highlighted or under the pointer: its label is always
    /// drawn.
    pub(super) fn emphasised(&self, i: usize) -> bool {
        let n = &self.scene.nodes[i];
        self.selected.contains(&n.item)
            || self.highlighted.contains(&n.item)
            || matches!(&self.hover, Some(Hit::Node(h) | Hit::Handle(h)) if *h == i)
    }

    /// Whether node `i` is selected or highlighted.
    pub(super) fn marked(&self, i: usize) -> bool {
        let n = &self.scene.nodes[i];
        self.selected.contains(&n.item) || self.highlighted.contains(&n.item)
    }

    /// On-screen size of badges this frame (points).
    pub(super) fn badge_px(&self) -> f32 {
        if self.sparse {
            (10.0 * self.zoom).max(theme::CANVAS_SPARSE_BADGE_PX)
        } else {
            10.0 * self.zoom
        }
    }

    /// Where the names of `nodes` go on screen this frame (indexed by node; `None` for a name
    /// left out), placed as pictures place them ([`crate::layout::labels`]): no name overlaps
    /// another, covers a node or a badge, or leaves the canvas area. Each tries below its node,
    /// then above, right, left and the diagonals, then two lines, then shorter with an ellipsis
    /// (the whole name is in the node's tooltip); what is selected or highlighted is placed
    /// first, then flagged nodes, then nodes with evidence, then the best connected; these and
    /// the node under the pointer keep their name even when nothing is free.
    /// A name kept below its node even where something else is.
    pub(super) fn force_below(
        placer: &mut LabelPlacer,
        c: CanvasPoint,
        r: f32,
        text: &str,
        size: f32,
    ) -> Option<PlacedLabel> {
        let w = placer.text_width(text, size);
        let corner = CanvasPoint {
            x: c.x - w / 2.0,
            y: c.y + r + 4.0,
        };
        placer.title(&[corner], text, size)
    }

    /// How labels are measured on this screen: by egui's own text layout, with the row height
    /// and the padding of the box drawn behind a label (see [`label_background`]).
    pub(super) fn metrics(painter: &Painter) -> TextMetrics {
        let p = painter.clone();
        TextMetrics {
            measure: Some(std::rc::Rc::new(move |text: &str, size: f32| {
                p.layout_no_wrap(text.to_owned(), FontId::proportional(size), Color32::WHITE)
                    .size()
                    .x
            })),
            // A row of text is about 1.15 em tall; the box behind it adds a point above and
            // below.
            line_em: 1.4,
            pad_x: 3.0,
        }
    }

    pub(in crate::ui::canvas) fn place_node_labels(
        &self,
        painter: &Painter,
        rect: Rect,
        nodes: &[usize],
        at: &[Pos2],
    ) -> (Vec<Option<PlacedLabel>>, LabelPlacer) {
        let mut out = vec![None; self.scene.nodes.len()];
        let px = self.label_px();
        let all = px >= theme::CANVAS_MIN_TEXT_PX;
        let point = |p: Pos2| CanvasPoint { x: p.x, y: p.y };
        let centre = |i: usize| self.screen_from_canvas(rect, self.node_pos(i));
        let discs: Vec<Disc> = nodes
            .iter()
            .map(|&i| Disc {
                c: point(centre(i)),
                r: self.node_radius_px(self.scene.nodes[i].radius) + 1.0,
            })
            .collect();
        let mut placer =
            LabelPlacer::new(screen_frame(rect), discs).with_metrics(Self::metrics(painter));
        // Group titles and badges are drawn at fixed places: names go around them.
        let title_px = self.label_px();
        if title_px >= theme::CANVAS_MIN_TEXT_PX {
            for g in &self.scene.groups {
                let tab = title_rect(self.group_rect_now(g, at));
                let left = self.screen_from_canvas(rect, tab.left_center()) + vec2(8.0, 0.0);
                let size = title_px.min(22.0);
                let w = text_width(&g.title, size);
                placer.reserve(PlacerRect {
                    x0: left.x - 2.0,
                    y0: left.y - size * 0.6,
                    x1: left.x + w + 2.0,
                    y1: left.y + size * 0.6,
                });
            }
        }
        let badge_px = self.badge_px().min(16.0);
        if badge_px >= 6.5 {
            for &i in nodes {
                let n = &self.scene.nodes[i];
                let (c, r) = (centre(i), self.node_radius_px(n.radius));
                let flag = n.flags.first().or(n.former_flags.first());
                let evidence =
                    (n.evidence > 0).then(|| format!("{} {}", theme::EVIDENCE_GLYPH, n.evidence));
                for (text, at) in [
                    (flag.cloned(), c + vec2(r * 0.7, -r * 0.95)),
                    (evidence, c + vec2(r * 0.8, r * 0.75)),
                ] {
                    if let Some(text) = text {
                        let w = text_width(&text, badge_px) + 8.0;
                        let h = badge_px + 4.0;
                        placer.reserve(PlacerRect {
                            x0: at.x - w / 2.0,
                            y0: at.y - h / 2.0,
                            x1: at.x + w / 2.0,
                            y1: at.y + h / 2.0,
                        });
                    }
                }
            }
        }
        let mut degree = vec![0usize; self.scene.nodes.len()];
        for e in &self.scene.edges {
            degree[e.from] += 1;
            degree[e.to] += 1;
        }
        let mut order: Vec<usize> = nodes
            .iter()
            .copied()
            .filter(|&i| all || self.emphasised(i))
            .collect();
        order.sort_by_key(|&i| {
            let n = &self.scene.nodes[i];
            (
                // The selection and highlights first; the pointer does not reorder the
                // others, so names do not jump about as the mouse moves.
                std::cmp::Reverse(self.marked(i)),
                std::cmp::Reverse(!n.flags.is_empty()),
                std::cmp::Reverse(n.evidence > 0),
                std::cmp::Reverse(degree[i]),
                i,
            )
        });
        let size = node_label_font_px(px);
        let mut hovered_left_out = None;
        for i in order {
            let n = &self.scene.nodes[i];
            let (c, r) = (point(centre(i)), self.node_radius_px(n.radius));
            let mut placed = placer.node_label(c, r, &n.label, size);
            if placed.is_none() && self.marked(i) {
                placed = Self::force_below(&mut placer, c, r, &n.label, size);
            } else if placed.is_none() && self.emphasised(i) {
                hovered_left_out = Some((i, c, r));
            }
            out[i] = placed;
        }
        // The name under the pointer, last, so that it moves no other.
        if let Some((i, c, r)) = hovered_left_out {
            out[i] = Self::force_below(&mut placer, c, r, &self.scene.nodes[i].label, size);
        }
        (out, placer)
    }

    pub(super) fn draw_node(
        &self,
        painter: &Painter,
        rect: Rect,
        i: usize,
        style: &Style,
        label: Option<&PlacedLabel>,
    ) {
        let n: &SceneNode = &self.scene.nodes[i];
        let c = self.screen_from_canvas(rect, self.node_pos(i));
        let r = self.node_radius_px(n.radius);
        let selected = self.selected.contains(&n.item);
        let highlighted = self.highlighted.contains(&n.item);
        let hovered = matches!(&self.hover, Some(Hit::Node(h) | Hit::Handle(h)) if *h == i);
        let fill = theme::entity_color(n.kind, style.dark);
        let is_group = matches!(n.item, ItemRef::Group(_));
        if selected || highlighted || hovered {
            let ring = if selected {
                style.selection
            } else if highlighted {
                style.highlight
            } else {
                style.selection.gamma_multiply(0.5)
            };
            painter.circle_stroke(
                c,
                r + 5.0,
                Stroke::new(if hovered && !selected { 2.0 } else { 3.0 }, ring),
            );
        }
        let outline = Stroke::new(1.5, theme::canvas_background(style.dark));
        if is_group {
            painter.rect(
                Rect::from_center_size(c, Vec2::splat(2.0 * r)),
                r * 0.25,
                theme::group_stroke(style.dark),
                outline,
                StrokeKind::Outside,
            );
            // Stacked look: a second card behind.
            painter.rect_stroke(
                Rect::from_center_size(c + vec2(4.0, -4.0), Vec2::splat(2.0 * r)),
                r * 0.25,
                Stroke::new(1.5, theme::group_stroke(style.dark)),
                StrokeKind::Outside,
            );
        } else {
            paint_shape(painter, theme::entity_shape(n.kind), c, r, fill, outline);
        }
        if let ItemRef::Entity(id) = &n.item
            && !self.scene.supported.contains(id)
            && r >= RING_MIN_RADIUS_PX
        {
            // No evidence supports this entity, its links or its shipments yet.
            let color = theme::unsupported_outline(style.dark);
            if style.dashed_rings {
                crate::ui::canvas::support::unsupported_ring(painter, c, r + 2.5, color);
            } else {
                painter.circle_stroke(c, r + 2.5, Stroke::new(1.2, color));
            }
        }
        let icon_size = r * 0.95;
        if icon_size >= 6.0 {
            let icon = if is_group {
                theme::GROUP_GLYPH
            } else {
                theme::entity_icon(n.kind)
            };
            painter.text(
                c,
                Align2::CENTER_CENTER,
                icon,
                FontId::proportional(icon_size),
                theme::node_icon_color(style.dark),
            );
        }
        if let Some(label) = label {
            draw_placed(painter, label, style, style.label_text);
        }
        let badge_size = self.badge_px();
        if badge_size >= 6.5 {
            let badge_size = badge_size.min(16.0);
            // Flags in force in red; ended ones (a lifted sanction) in grey, only when no
            // flag is in force.
            let (shown, fill) = if n.flags.is_empty() {
                (&n.former_flags, theme::formerly_listed_badge(style.dark))
            } else {
                (&n.flags, theme::flag_badge_color(style.dark))
            };
            if let Some(first) = shown.first() {
                let text = if shown.len() > 1 {
                    format!("{first} +{}", shown.len() - 1)
                } else {
                    first.clone()
                };
                badge(
                    painter,
                    c + vec2(r * 0.7, -r * 0.95),
                    &text,
                    badge_size,
                    fill,
                    theme::flag_badge_text(style.dark),
                );
            }
            if n.evidence > 0 {
                badge(
                    painter,
                    c + vec2(r * 0.8, r * 0.75),
                    &format!("{} {}", theme::EVIDENCE_GLYPH, n.evidence),
                    badge_size,
                    style.label_bg,
                    style.label_text,
                );
            }
            if n.pinned {
                painter.text(
                    c + vec2(-r * 0.9, -r * 0.9),
                    Align2::CENTER_CENTER,
                    theme::PIN_GLYPH,
                    FontId::proportional(badge_size * 1.2),
                    style.label_text,
                );
            }
        }
    }
}

/// A node's outline of `shape` around `c` at radius `r`: on the canvas and in its legend.
pub(in crate::ui::canvas) fn paint_shape(
    painter: &Painter,
    shape: NodeShape,
    c: Pos2,
    r: f32,
    fill: Color32,
    outline: Stroke,
) {
    match shape {
        NodeShape::Circle => {
            painter.circle(c, r, fill, outline);
        }
        NodeShape::RoundedSquare => {
            painter.rect(
                Rect::from_center_size(c, Vec2::splat(1.8 * r)),
                r * 0.3,
                fill,
                outline,
                StrokeKind::Outside,
            );
        }
        NodeShape::Hexagon => {
            let pts: Vec<Pos2> = (0..6)
                .map(|k| {
                    #[allow(clippy::cast_precision_loss)]
                    let a = std::f32::consts::FRAC_PI_3 * k as f32;
                    c + vec2(a.cos(), a.sin()) * r * 1.05
                })
                .collect();
            painter.add(Shape::convex_polygon(pts, fill, outline));
        }
        NodeShape::Diamond => {
            let d = r * 1.15;
            let pts = vec![
                c + vec2(0.0, -d),
                c + vec2(d, 0.0),
                c + vec2(0.0, d),
                c + vec2(-d, 0.0),
            ];
            painter.add(Shape::convex_polygon(pts, fill, outline));
        }
    }
}
