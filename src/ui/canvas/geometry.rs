//! Curve geometry shared by drawing and hit testing: edges and routes are quadratic curves in
//! canvas space, flattened to polylines.

use egui::{Pos2, Rect, Vec2, pos2, vec2};

/// Control point of a curve from `a` to `b` whose apex sits `bend` units to the left of the
/// chord (a quadratic's apex is half-way to its control point, hence the factor 2).
pub fn control_point(a: Pos2, b: Pos2, bend: f32) -> Pos2 {
    let mid = a.lerp(b, 0.5);
    let d = b - a;
    let len = d.length();
    if len < 1e-3 || bend == 0.0 {
        return mid;
    }
    let normal = vec2(-d.y, d.x) / len;
    mid + normal * (2.0 * bend)
}

pub fn quadratic(a: Pos2, c: Pos2, b: Pos2, t: f32) -> Pos2 {
    let u = 1.0 - t;
    pos2(
        u * u * a.x + 2.0 * u * t * c.x + t * t * b.x,
        u * u * a.y + 2.0 * u * t * c.y + t * t * b.y,
    )
}

/// Points along the curve; `segments` of 1 gives the straight chord.
pub fn flatten(a: Pos2, c: Pos2, b: Pos2, segments: usize) -> Vec<Pos2> {
    let segments = segments.max(1);
    (0..=segments)
        .map(|i| {
            #[allow(clippy::cast_precision_loss)]
            let t = i as f32 / segments as f32;
            quadratic(a, c, b, t)
        })
        .collect()
}

/// A self-loop above a node: a teardrop through two control points.
pub fn self_loop(centre: Pos2, radius: f32, size: f32) -> Vec<Pos2> {
    let reach = radius * (2.2 + size);
    let start = centre + vec2(-radius * 0.6, -radius * 0.8);
    let end = centre + vec2(radius * 0.6, -radius * 0.8);
    let c1 = centre + vec2(-reach, -reach * 1.3);
    let c2 = centre + vec2(reach, -reach * 1.3);
    (0..=16)
        .map(|i| {
            #[allow(clippy::cast_precision_loss)]
            let t = i as f32 / 16.0;
            let u = 1.0 - t;
            let p = start.to_vec2() * (u * u * u)
                + c1.to_vec2() * (3.0 * u * u * t)
                + c2.to_vec2() * (3.0 * u * t * t)
                + end.to_vec2() * (t * t * t);
            p.to_pos2()
        })
        .collect()
}

/// Trims a polyline so it starts `from_trim` and ends `to_trim` units inside its ends (so
/// arrows stop at node outlines). Returns the input unchanged when it is too short.
pub fn trim(points: &[Pos2], from_trim: f32, to_trim: f32) -> Vec<Pos2> {
    let total: f32 = points.windows(2).map(|w| w[0].distance(w[1])).sum();
    if total <= from_trim + to_trim + 1.0 {
        return points.to_vec();
    }
    let mut out = Vec::with_capacity(points.len());
    let end_at = total - to_trim;
    let mut walked = 0.0;
    for w in points.windows(2) {
        let seg = w[0].distance(w[1]);
        let (s0, s1) = (walked, walked + seg);
        walked = s1;
        if s1 < from_trim || s0 > end_at || seg <= 0.0 {
            continue;
        }
        let t0 = ((from_trim - s0) / seg).clamp(0.0, 1.0);
        let t1 = ((end_at - s0) / seg).clamp(0.0, 1.0);
        let p0 = w[0].lerp(w[1], t0);
        let p1 = w[0].lerp(w[1], t1);
        if out.last() != Some(&p0) {
            out.push(p0);
        }
        out.push(p1);
    }
    out
}

/// Distance from `p` to a polyline.
pub fn distance_to_polyline(p: Pos2, points: &[Pos2]) -> f32 {
    if points.len() == 1 {
        return p.distance(points[0]);
    }
    points
        .windows(2)
        .map(|w| distance_to_segment(p, w[0], w[1]))
        .fold(f32::INFINITY, f32::min)
}

pub fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let len_sq = ab.length_sq();
    if len_sq <= f32::EPSILON {
        return p.distance(a);
    }
    let t = ((p - a).dot(ab) / len_sq).clamp(0.0, 1.0);
    p.distance(a + ab * t)
}

/// Whether the straight segment from `a` to `b` passes through `rect` (Liang–Barsky clipping).
///
/// Culling long edges by their bounding box keeps far too many: a line from one corner of a
/// big case to the other has a box that covers most views it never crosses.
pub fn segment_meets_rect(a: Pos2, b: Pos2, rect: Rect) -> bool {
    let d = b - a;
    let (mut t0, mut t1) = (0.0_f32, 1.0_f32);
    for (p, q) in [
        (-d.x, a.x - rect.min.x),
        (d.x, rect.max.x - a.x),
        (-d.y, a.y - rect.min.y),
        (d.y, rect.max.y - a.y),
    ] {
        if p == 0.0 {
            // Parallel to this side: inside its slab or not at all.
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return false;
            }
        }
    }
    true
}

/// Whether the curve from `a` to `b` with the given `bend` (see [`control_point`]) may pass
/// through `rect`. Conservative: such a curve never strays further than `bend` from its chord.
pub fn curve_may_meet_rect(a: Pos2, b: Pos2, bend: f32, rect: Rect) -> bool {
    segment_meets_rect(a, b, rect.expand(bend.abs()))
}

/// Point half-way along a polyline, with the direction there.
pub fn midpoint(points: &[Pos2]) -> (Pos2, Vec2) {
    let total: f32 = points.windows(2).map(|w| w[0].distance(w[1])).sum();
    let mut walked = 0.0;
    for w in points.windows(2) {
        let seg = w[0].distance(w[1]);
        if walked + seg >= total / 2.0 && seg > 0.0 {
            let t = (total / 2.0 - walked) / seg;
            return (w[0].lerp(w[1], t), (w[1] - w[0]) / seg);
        }
        walked += seg;
    }
    (points.first().copied().unwrap_or(Pos2::ZERO), Vec2::X)
}

/// The point a fraction `t` (0 to 1) of the way along a polyline, by length.
pub fn point_along(points: &[Pos2], t: f32) -> Pos2 {
    let total: f32 = points.windows(2).map(|w| w[0].distance(w[1])).sum();
    let goal = total * t.clamp(0.0, 1.0);
    let mut walked = 0.0;
    for w in points.windows(2) {
        let seg = w[0].distance(w[1]);
        if walked + seg >= goal && seg > 0.0 {
            return w[0].lerp(w[1], (goal - walked) / seg);
        }
        walked += seg;
    }
    points.last().copied().unwrap_or(Pos2::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bend_puts_the_apex_at_the_given_distance() {
        let a = pos2(0.0, 0.0);
        let b = pos2(100.0, 0.0);
        let c = control_point(a, b, 20.0);
        let apex = quadratic(a, c, b, 0.5);
        assert!((apex.distance(pos2(50.0, 0.0)) - 20.0).abs() < 1e-3);
    }

    #[test]
    fn trim_shortens_both_ends() {
        let line = flatten(pos2(0.0, 0.0), pos2(50.0, 0.0), pos2(100.0, 0.0), 4);
        let t = trim(&line, 10.0, 20.0);
        assert!((t[0].x - 10.0).abs() < 1e-3);
        assert!((t.last().expect("points").x - 80.0).abs() < 1e-3);
    }

    /// Brute force: some point along the segment, sampled finely, lies in the rect.
    fn sampled_meet(a: Pos2, b: Pos2, rect: Rect) -> bool {
        (0..=2000).any(|i| rect.contains(a.lerp(b, i as f32 / 2000.0)))
    }

    proptest::proptest! {
        #[test]
        fn segment_clipping_agrees_with_sampling(
            ax in -100.0f32..100.0, ay in -100.0f32..100.0,
            bx in -100.0f32..100.0, by in -100.0f32..100.0,
            x in -60.0f32..60.0, y in -60.0f32..60.0, w in 0.5f32..40.0, h in 0.5f32..40.0,
        ) {
            let (a, b) = (pos2(ax, ay), pos2(bx, by));
            let rect = Rect::from_min_size(pos2(x, y), vec2(w, h));
            let clipped = segment_meets_rect(a, b, rect);
            // Never misses a segment that crosses the rect...
            if sampled_meet(a, b, rect) {
                proptest::prop_assert!(clipped);
            }
            // ...and keeps only segments that come within a hair of it.
            if clipped {
                proptest::prop_assert!(sampled_meet(a, b, rect.expand(0.2)));
            }
        }

        #[test]
        fn curves_never_stray_beyond_their_bend(
            ax in -100.0f32..100.0, ay in -100.0f32..100.0,
            bx in -100.0f32..100.0, by in -100.0f32..100.0,
            bend in -60.0f32..60.0,
            x in -60.0f32..60.0, y in -60.0f32..60.0, w in 0.5f32..40.0, h in 0.5f32..40.0,
        ) {
            let (a, b) = (pos2(ax, ay), pos2(bx, by));
            let rect = Rect::from_min_size(pos2(x, y), vec2(w, h));
            let c = control_point(a, b, bend);
            let touches = flatten(a, c, b, 400).iter().any(|p| rect.contains(*p));
            if touches {
                proptest::prop_assert!(curve_may_meet_rect(a, b, bend, rect));
            }
        }
    }

    #[test]
    fn a_long_diagonal_misses_a_view_inside_its_bounding_box() {
        let view = Rect::from_min_size(pos2(900.0, 100.0), vec2(100.0, 100.0));
        assert!(Rect::from_two_pos(pos2(0.0, 0.0), pos2(1000.0, 1000.0)).intersects(view));
        assert!(!segment_meets_rect(
            pos2(0.0, 0.0),
            pos2(1000.0, 1000.0),
            view
        ));
        assert!(segment_meets_rect(
            pos2(0.0, 0.0),
            pos2(1000.0, 150.0),
            view
        ));
        // Both ends inside, a point segment, and one along a side.
        assert!(segment_meets_rect(
            pos2(950.0, 150.0),
            pos2(960.0, 160.0),
            view
        ));
        assert!(segment_meets_rect(
            pos2(950.0, 150.0),
            pos2(950.0, 150.0),
            view
        ));
        assert!(segment_meets_rect(
            pos2(900.0, 0.0),
            pos2(900.0, 500.0),
            view
        ));
    }

    #[test]
    fn distances() {
        let line = [pos2(0.0, 0.0), pos2(10.0, 0.0)];
        assert!((distance_to_polyline(pos2(5.0, 3.0), &line) - 3.0).abs() < 1e-5);
        assert!((distance_to_polyline(pos2(13.0, 4.0), &line) - 5.0).abs() < 1e-5);
    }
}
