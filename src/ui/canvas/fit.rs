//! Fitting the camera to what is drawn: nodes with their rings and labels, shipment labels,
//! group boxes and sticky notes, all inside the canvas area on screen (never under a panel).
//!
//! Labels keep a readable size on screen whatever the zoom, so what a zoom frames is not a
//! fixed canvas rectangle: the picture's on-screen extent at zoom `z` is, per item,
//! `anchor * z` plus the item's on-screen box at `z`. That extent only grows with `z`, so the
//! largest zoom that fits is found by bisection. Label widths are measured once, at 10 points,
//! and scaled with the font size.

use super::draw::{self, EDGE_LABEL_LIMIT};
use super::{Canvas, MIN_ZOOM};
use crate::ui::theme;
use egui::{FontId, Pos2, Rect, Vec2, pos2, vec2};

/// The closest a fit zooms in (small cases are not blown up beyond this).
const MAX_FIT_ZOOM: f32 = 1.5;
/// Room kept free around the fitted picture, in points.
const FIT_MARGIN_PX: f32 = 10.0;
/// Font size labels are measured at.
const MEASURE_PX: f32 = 10.0;

/// One thing to keep in view.
enum Extent {
    /// A node at a canvas place: its drawn radius (canvas units) and its label's size at
    /// [`MEASURE_PX`] (none until measured, or when it has no label).
    Node {
        at: Pos2,
        radius: f32,
        label: Option<Vec2>,
    },
    /// A shipment label centred at a canvas place, its size at [`MEASURE_PX`].
    RouteLabel { at: Pos2, size: Vec2 },
    /// A box in canvas units (a group, a note): it scales with the zoom.
    Area(Rect),
}

/// How the canvas draws things at a zoom, for a picture with every node on screen.
struct Look {
    sparse: bool,
    routes: usize,
}

impl Look {
    fn node_px(&self, radius: f32, zoom: f32) -> f32 {
        draw::node_radius_px(radius, zoom, self.sparse)
    }

    /// On-screen box of an extent around its anchor at `zoom`, in points.
    fn screen_box(&self, e: &Extent, zoom: f32) -> Rect {
        match e {
            Extent::Node { at, radius, label } => {
                let r = self.node_px(*radius, zoom);
                let c = pos2(at.x * zoom, at.y * zoom);
                // The selection ring lies outside the node (see `draw_node`).
                let mut b = Rect::from_center_size(c, Vec2::splat(2.0 * (r + 7.0)));
                let px = draw::label_px(zoom, self.sparse);
                if let Some(size) = label
                    && px >= theme::CANVAS_MIN_TEXT_PX
                {
                    let s = draw::node_label_font_px(px) / MEASURE_PX;
                    let top = c + vec2(0.0, r + 5.0);
                    let text = Rect::from_min_size(top - vec2(size.x * s / 2.0, 0.0), *size * s);
                    b = b.union(draw::label_background(text).expand(2.0));
                }
                b
            }
            Extent::RouteLabel { at, size } => {
                let c = pos2(at.x * zoom, at.y * zoom);
                if !draw::route_labels_drawn(zoom, self.sparse, self.routes)
                    || self.node_px(super::scene::NODE_RADIUS, zoom) < draw::DOT_RADIUS_PX
                {
                    return Rect::from_center_size(c, Vec2::ZERO);
                }
                let s = draw::route_label_font_px(zoom) / MEASURE_PX;
                draw::label_background(Rect::from_center_size(c, *size * s)).expand(2.0)
            }
            Extent::Area(r) => Rect::from_min_max(
                pos2(r.min.x * zoom, r.min.y * zoom),
                pos2(r.max.x * zoom, r.max.y * zoom),
            ),
        }
    }

    fn bounds(&self, extents: &[Extent], zoom: f32) -> Option<Rect> {
        extents
            .iter()
            .map(|e| self.screen_box(e, zoom))
            .reduce(Rect::union)
    }
}

/// The largest zoom at which `extents` fit into `view`, and the canvas centre that centres
/// them there.
fn solve(look: &Look, extents: &[Extent], view: Vec2) -> Option<(Pos2, f32)> {
    let fits = |z: f32| {
        look.bounds(extents, z)
            .is_some_and(|b| b.width() <= view.x && b.height() <= view.y)
    };
    let zoom = if fits(MAX_FIT_ZOOM) {
        MAX_FIT_ZOOM
    } else if !fits(MIN_ZOOM) {
        MIN_ZOOM
    } else {
        let (mut lo, mut hi) = (MIN_ZOOM, MAX_FIT_ZOOM);
        for _ in 0..40 {
            let mid = (lo * hi).sqrt();
            if fits(mid) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        lo
    };
    let b = look.bounds(extents, zoom)?;
    Some((pos2(b.center().x / zoom, b.center().y / zoom), zoom))
}

impl Canvas {
    /// The camera (centre, zoom) that shows the nodes `which` (all when `None`), with their
    /// labels, and for a whole-case fit the shipment labels, groups and notes, inside the
    /// canvas area.
    pub(super) fn fitted_camera(
        &self,
        ctx: &egui::Context,
        which: Option<&[usize]>,
    ) -> Option<(Pos2, f32)> {
        let view = self.last_rect.shrink(FIT_MARGIN_PX).size();
        if view.x <= 1.0 || view.y <= 1.0 {
            return None;
        }
        let look = Look {
            // With the whole picture on screen every node is in view.
            sparse: which.map_or(self.scene.nodes.len(), <[usize]>::len)
                <= theme::CANVAS_SPARSE_LIMIT,
            routes: self.scene.routes.len(),
        };
        let nodes: Vec<usize> = match which {
            Some(w) => w.to_vec(),
            None => (0..self.scene.nodes.len()).collect(),
        };
        let mut extents: Vec<Extent> = nodes
            .iter()
            .map(|&i| Extent::Node {
                at: self.scene.nodes[i].pos,
                radius: self.scene.nodes[i].radius,
                label: None,
            })
            .collect();
        if which.is_none() {
            extents.extend(self.scene.groups.iter().map(|g| Extent::Area(g.rect)));
            extents.extend(self.scene.notes.iter().map(|n| Extent::Area(n.rect)));
        }
        // Labels only matter at zooms where they are drawn; adding them only lowers the zoom,
        // so a fit where they are left out without them stays so (large cases, far out).
        let (_, bare) = solve(&look, &extents, view)?;
        let labels_drawn = draw::label_px(bare, look.sparse) >= theme::CANVAS_MIN_TEXT_PX;
        let route_labels = which.is_none()
            && draw::route_labels_drawn(bare, look.sparse, look.routes)
            && look.routes <= EDGE_LABEL_LIMIT;
        if !labels_drawn && !route_labels {
            return solve(&look, &extents, view);
        }
        let measure = |text: &str| {
            ctx.fonts_mut(|f| {
                f.layout_no_wrap(
                    text.to_owned(),
                    FontId::proportional(MEASURE_PX),
                    egui::Color32::WHITE,
                )
                .size()
            })
        };
        if labels_drawn {
            for (e, &i) in extents.iter_mut().zip(&nodes) {
                if let Extent::Node { label, .. } = e {
                    *label = Some(measure(&draw::node_label_text(&self.scene.nodes[i].label)));
                }
            }
        }
        if route_labels {
            let at = self.frame_positions();
            for (i, r) in self.scene.routes.iter().enumerate() {
                let Some(mid) = self.route_label_anchor(&at, i) else {
                    continue;
                };
                extents.push(Extent::RouteLabel {
                    at: mid,
                    size: measure(&draw::route_label_text(&r.label)),
                });
            }
        }
        solve(&look, &extents, view)
    }

    /// Canvas place of a shipment's label: the middle of its longest hop, as drawn.
    pub(super) fn route_label_anchor(&self, at: &[Pos2], i: usize) -> Option<Pos2> {
        self.route_segments_at(at, i, None, 16)
            .iter()
            .map(|(_, seg)| {
                let len: f32 = seg.windows(2).map(|w| w[0].distance(w[1])).sum();
                (len, super::geometry::midpoint(seg).0)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, mid)| mid)
    }
}
