//! How legible a picture is, from its geometry: the yardstick of `legibility.py` (in the
//! shared tools) ported to Rust, so the CLI and the tests measure the geometry the SVG writer
//! draws, not a parse of its text. The four counts:
//!
//! - `label_overlaps`: pairs of text labels whose boxes overlap by more than one unit;
//! - `label_on_node`: labels that cover a node other than the one they sit under (the node's
//!   inner square, 0.7 of its radius; a label just below a node or inside it is its own);
//! - `edge_thru_node`: edges or route hops passing within 0.8 radius of a node that is not
//!   near one of their ends;
//! - `crossings`: pairs of edges that cross, pairs whose ends lie within 30 units left out.
//!
//! Curves are flattened as the yardstick flattens them (eight points per quadratic or cubic
//! segment), so both count the same on the same picture.

use super::labels::{Disc, Rect};
use crate::model::CanvasPoint;

/// What a picture shows, as the measure sees it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    /// Node shapes by centre and outer radius (a highlight ring is a node of its own, as the
    /// yardstick reads it).
    pub nodes: Vec<Disc>,
    /// Text boxes with their text (digit-only badges and texts shorter than three characters
    /// do not count as labels).
    pub labels: Vec<(Rect, String)>,
    /// Edges and route hops as polylines.
    pub edges: Vec<Vec<CanvasPoint>>,
    /// Labels left out because they fitted nowhere (not in [`Self::labels`]).
    pub dropped: usize,
    /// Labels drawn shortened with an ellipsis.
    pub shortened: usize,
}

/// The figures of [`measure`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Legibility {
    pub nodes: usize,
    pub labels: usize,
    pub edges: usize,
    pub label_overlaps: usize,
    pub label_on_node: usize,
    pub edge_thru_node: usize,
    pub crossings: usize,
}

impl std::fmt::Display for Legibility {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "nodes={} labels={} edges={} label_overlaps={} label_on_node={} edge_thru_node={} crossings={}",
            self.nodes,
            self.labels,
            self.edges,
            self.label_overlaps,
            self.label_on_node,
            self.edge_thru_node,
            self.crossings
        )
    }
}

/// The points of a quadratic curve from `a` through control `c` to `b`: `a` then eight.
pub fn quad_points(a: CanvasPoint, c: CanvasPoint, b: CanvasPoint) -> Vec<CanvasPoint> {
    let mut pts = vec![a];
    for k in 1..=8 {
        let s = k as f32 / 8.0;
        let u = 1.0 - s;
        pts.push(CanvasPoint {
            x: u * u * a.x + 2.0 * u * s * c.x + s * s * b.x,
            y: u * u * a.y + 2.0 * u * s * c.y + s * s * b.y,
        });
    }
    pts
}

/// The points of a cubic curve from `a` with controls `c1`, `c2` to `b`: `a` then eight.
pub fn cubic_points(
    a: CanvasPoint,
    c1: CanvasPoint,
    c2: CanvasPoint,
    b: CanvasPoint,
) -> Vec<CanvasPoint> {
    let mut pts = vec![a];
    for k in 1..=8 {
        let s = k as f32 / 8.0;
        let u = 1.0 - s;
        let (w0, w1, w2, w3) = (u * u * u, 3.0 * u * u * s, 3.0 * u * s * s, s * s * s);
        pts.push(CanvasPoint {
            x: w0 * a.x + w1 * c1.x + w2 * c2.x + w3 * b.x,
            y: w0 * a.y + w1 * c1.y + w2 * c2.y + w3 * b.y,
        });
    }
    pts
}

fn is_label(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() >= 3 && !t.chars().all(|c| c.is_ascii_digit())
}

fn dist(a: CanvasPoint, b: CanvasPoint) -> f64 {
    (f64::from(a.x) - f64::from(b.x)).hypot(f64::from(a.y) - f64::from(b.y))
}

fn orient(a: CanvasPoint, b: CanvasPoint, c: CanvasPoint) -> f64 {
    let (ax, ay) = (f64::from(a.x), f64::from(a.y));
    (f64::from(b.x) - ax) * (f64::from(c.y) - ay) - (f64::from(b.y) - ay) * (f64::from(c.x) - ax)
}

fn seg_cross(p1: CanvasPoint, p2: CanvasPoint, p3: CanvasPoint, p4: CanvasPoint) -> bool {
    orient(p3, p4, p1) * orient(p3, p4, p2) < 0.0 && orient(p1, p2, p3) * orient(p1, p2, p4) < 0.0
}

fn seg_near(a: CanvasPoint, b: CanvasPoint, c: CanvasPoint, r: f32) -> bool {
    let (ax, ay, bx, by) = (
        f64::from(a.x),
        f64::from(a.y),
        f64::from(b.x),
        f64::from(b.y),
    );
    let (cx, cy, r) = (f64::from(c.x), f64::from(c.y), f64::from(r));
    let (dx, dy) = (bx - ax, by - ay);
    let l = dx * dx + dy * dy;
    let t = if l == 0.0 {
        0.0
    } else {
        (((cx - ax) * dx + (cy - ay) * dy) / l).clamp(0.0, 1.0)
    };
    let (px, py) = (ax + t * dx, ay + t * dy);
    (px - cx).powi(2) + (py - cy).powi(2) < r * r
}

fn bounds(pts: &[CanvasPoint]) -> Rect {
    pts.iter().fold(
        Rect {
            x0: f32::INFINITY,
            y0: f32::INFINITY,
            x1: f32::NEG_INFINITY,
            y1: f32::NEG_INFINITY,
        },
        |r, p| Rect {
            x0: r.x0.min(p.x),
            y0: r.y0.min(p.y),
            x1: r.x1.max(p.x),
            y1: r.y1.max(p.y),
        },
    )
}

/// The legibility figures of `scene`.
pub fn measure(scene: &Scene) -> Legibility {
    let labels: Vec<&Rect> = scene
        .labels
        .iter()
        .filter(|(_, t)| is_label(t))
        .map(|(r, _)| r)
        .collect();
    let edges: Vec<&Vec<CanvasPoint>> = scene.edges.iter().filter(|e| e.len() >= 2).collect();

    // Label pairs, swept by left edge.
    let mut by_x: Vec<&Rect> = labels.clone();
    by_x.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    let mut label_overlaps = 0;
    for (i, a) in by_x.iter().enumerate() {
        for b in &by_x[i + 1..] {
            if b.x0 >= a.x1 - 1.0 {
                break;
            }
            if a.overlaps(b, 1.0) {
                label_overlaps += 1;
            }
        }
    }

    let mut label_on_node = 0;
    for b in &labels {
        for d in &scene.nodes {
            let (c, r) = (d.c, d.r * 0.7);
            if b.x0 < c.x + r && c.x - r < b.x1 && b.y0 < c.y + r && c.y - r < b.y1 {
                let below_own = b.y0 > d.c.y && b.y0 - d.c.y < d.r + 14.0;
                let mid = CanvasPoint {
                    x: f32::midpoint(b.x0, b.x1),
                    y: f32::midpoint(b.y0, b.y1),
                };
                let inside_own = dist(mid, d.c) < f64::from(d.r);
                if !below_own && !inside_own {
                    label_on_node += 1;
                }
            }
        }
    }

    let mut edge_thru_node = 0;
    for pts in &edges {
        let (a, b) = (pts[0], pts[pts.len() - 1]);
        let bb = bounds(pts);
        for d in &scene.nodes {
            let reach = f64::from(d.r) + 14.0;
            if dist(a, d.c) < reach || dist(b, d.c) < reach {
                continue;
            }
            let r = d.r * 0.8;
            if d.c.x + r < bb.x0 || d.c.x - r > bb.x1 || d.c.y + r < bb.y0 || d.c.y - r > bb.y1 {
                continue;
            }
            if pts.windows(2).any(|s| seg_near(s[0], s[1], d.c, r)) {
                edge_thru_node += 1;
            }
        }
    }

    let boxes: Vec<Rect> = edges.iter().map(|e| bounds(e)).collect();
    let mut crossings = 0;
    for i in 0..edges.len() {
        let ei = edges[i];
        let ends_i = [ei[0], ei[ei.len() - 1]];
        for j in i + 1..edges.len() {
            if !boxes[i].overlaps(&boxes[j], 0.0) {
                continue;
            }
            let ej = edges[j];
            let ends_j = [ej[0], ej[ej.len() - 1]];
            if ends_i
                .iter()
                .any(|p| ends_j.iter().any(|q| dist(*p, *q) < 30.0))
            {
                continue;
            }
            if ei
                .windows(2)
                .any(|s| ej.windows(2).any(|t| seg_cross(s[0], s[1], t[0], t[1])))
            {
                crossings += 1;
            }
        }
    }

    Legibility {
        nodes: scene.nodes.len(),
        labels: labels.len(),
        edges: edges.len(),
        label_overlaps,
        label_on_node,
        edge_thru_node,
        crossings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f32, y: f32) -> CanvasPoint {
        CanvasPoint { x, y }
    }

    #[test]
    fn counts_what_the_yardstick_counts() {
        let rect = |x0, y0, x1, y1| Rect { x0, y0, x1, y1 };
        let scene = Scene {
            nodes: vec![
                Disc {
                    c: p(0.0, 0.0),
                    r: 22.0,
                },
                Disc {
                    c: p(200.0, 0.0),
                    r: 22.0,
                },
            ],
            labels: vec![
                (rect(-30.0, 26.0, 30.0, 39.0), "below own".into()),
                (rect(-20.0, 30.0, 40.0, 43.0), "overlaps it".into()),
                (rect(190.0, -5.0, 260.0, 8.0), "on the other node".into()),
                (rect(500.0, 500.0, 510.0, 510.0), "12".into()),
            ],
            edges: vec![
                vec![p(-100.0, 0.0), p(400.0, 0.0)],
                vec![p(100.0, -100.0), p(100.0, 100.0)],
                vec![p(-100.0, 5.0), p(-60.0, 5.0)],
            ],
            ..Scene::default()
        };
        let m = measure(&scene);
        assert_eq!(m.labels, 3);
        assert_eq!(m.label_overlaps, 1);
        assert_eq!(m.label_on_node, 1);
        assert_eq!(m.edge_thru_node, 2, "the long edge passes both nodes");
        assert_eq!(m.crossings, 1);
    }

    #[test]
    fn curves_are_flattened_to_nine_points() {
        let q = quad_points(p(0.0, 0.0), p(50.0, 50.0), p(100.0, 0.0));
        assert_eq!(q.len(), 9);
        assert_eq!(q[8], p(100.0, 0.0));
        assert!((q[4].y - 25.0).abs() < 1e-4);
    }
}
