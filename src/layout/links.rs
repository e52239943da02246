//! Lines as the canvas and the pictures (SVG, PNG, the report) both draw them, so the two
//! agree: parallel links of one kind between the same two entities are **bundled** into one
//! line with a count and totals (i2's link multiplicity: "4 payments · EUR 1.2M"), the lines
//! left between one pair are fanned out, and a line that would pass through a node it does not
//! join is **bent around it** ([`Obstacles::clear_bend`]), shipment hops included.
//!
//! Bends are the sideways offset of a quadratic curve's apex from the middle of its chord, to
//! the left of the direction from its first end to its second (the control point lies twice as
//! far out); 0 is a straight line.

use super::labels::Disc;
use crate::model::{CanvasPoint, ClaimStatus, EntityId, Link, LinkKind, format_amount};
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

/// Apex offset between neighbouring lines that join the same pair.
pub const FAN_STEP: f32 = 34.0;
/// Apex offset of the first shipment route along a pair, and of each next one.
pub const ROUTE_BEND: f32 = 23.0;
pub const ROUTE_BEND_STEP: f32 = 11.0;
/// Up to this many nodes, lines are bent around the nodes they would cross. Above it (far-out
/// views of very large cases, where lines are hairlines) they are drawn as fanned out, so a
/// rebuild stays cheap.
pub const ROUTE_AROUND_LIMIT: usize = 2_500;
/// Gap kept between a bent line and a node it passes, canvas units.
const CLEARANCE: f32 = 4.0;
/// Steps by which a bend is widened while looking for a clear one, and how many are tried on
/// each side.
const BEND_STEP: f32 = 22.0;
const BEND_TRIES: usize = 8;
/// Pieces a curve is cut into when tested against nodes.
const PIECES: usize = 12;
/// A line with more nodes than this near it runs through a crowd no bend clears: it is left
/// as it is (which also bounds the work a line costs).
const MAX_IN_WAY: usize = 64;

/// One drawn line: a link, or several links of one kind joining the same two ends.
#[derive(Clone, Debug)]
pub struct LinkBundle<'a, T> {
    /// Ends as drawn (the first link's direction).
    pub from: T,
    pub to: T,
    /// In the order given (id order for a case), at least one.
    pub links: Vec<&'a Link>,
    /// Apex offset of the fanned-out curve (see the module's note); for a self-loop, 0.
    pub bend: f32,
    /// Index among the lines joining the same pair (a self-loop's size step).
    pub nth: usize,
}

impl<T> LinkBundle<'_, T> {
    /// What the line says: the link's own summary, or for several the count and totals,
    /// "3 payments · USD 1.2M · 2019–2021", "2 × Directorship".
    pub fn label(&self) -> String {
        bundle_label(&self.links)
    }

    /// The weakest claim among the links: a line never looks better proven than the least
    /// proven link it stands for.
    pub fn claim(&self) -> ClaimStatus {
        self.links
            .iter()
            .map(|l| l.status)
            .min_by_key(|c| super::routes::claim_strength(*c))
            .unwrap_or_default()
    }

    pub fn directed(&self) -> bool {
        self.links.first().is_some_and(|l| l.kind.is_directed())
    }

    /// Stroke width in canvas units: a lone link's 1.6, growing with the count of a bundle.
    pub fn width(&self) -> f32 {
        bundle_width(self.links.len())
    }
}

/// Apex offset of the `k`th of `count` lines fanned out between one pair, counted from the
/// pair's lower end: symmetric about the chord, [`FAN_STEP`] apart.
pub fn fan_offset(k: usize, count: usize) -> f32 {
    #[allow(clippy::cast_precision_loss)]
    let (k, mid) = (k as f32, (count as f32 - 1.0) / 2.0);
    (k - mid) * FAN_STEP
}

/// Stroke width of a line standing for `count` links (see [`LinkBundle::width`]).
pub fn bundle_width(count: usize) -> f32 {
    #[allow(clippy::cast_precision_loss)]
    let n = count.max(1) as f32;
    1.6 * (1.0 + 0.45 * n.log2()).min(3.0)
}

/// What makes two links "of one kind" for bundling: their kind, and for a kind named by the
/// investigator, its name.
fn kind_key(kind: &LinkKind) -> (crate::model::LinkKindTag, &str) {
    match kind {
        LinkKind::Other(name) => (kind.tag(), name.as_str()),
        _ => (kind.tag(), ""),
    }
}

/// The drawn lines of `links`: bundled when `bundle` (else one per link), fanned out per pair
/// of ends, in the order of each line's first link. A link whose end has no node (`node_of`
/// gives None) is left out, as is one whose two ends are distinct entities drawn as one node
/// (both inside one collapsed group).
pub fn bundle_links<'a, T: Copy + Ord + Hash>(
    links: impl IntoIterator<Item = &'a Link>,
    node_of: impl Fn(&'a EntityId) -> Option<T>,
    bundle: bool,
) -> Vec<LinkBundle<'a, T>> {
    let mut out: Vec<LinkBundle<'a, T>> = Vec::new();
    let mut index: HashMap<(T, T, (crate::model::LinkKindTag, &'a str)), usize> = HashMap::new();
    for link in links {
        let (Some(a), Some(b)) = (node_of(&link.from), node_of(&link.to)) else {
            continue;
        };
        if a == b && link.from != link.to {
            continue;
        }
        if bundle {
            let ends = if link.kind.is_directed() || a <= b {
                (a, b)
            } else {
                (b, a)
            };
            let key = (ends.0, ends.1, kind_key(&link.kind));
            if let Some(&i) = index.get(&key) {
                out[i].links.push(link);
                continue;
            }
            index.insert(key, out.len());
        }
        out.push(LinkBundle {
            from: a,
            to: b,
            links: vec![link],
            bend: 0.0,
            nth: 0,
        });
    }
    // Fan out the lines of each pair, in first-seen order.
    let mut per_pair: HashMap<(T, T), Vec<usize>> = HashMap::new();
    for (i, line) in out.iter().enumerate() {
        let key = (line.from.min(line.to), line.from.max(line.to));
        per_pair.entry(key).or_default().push(i);
    }
    for ((lo, _), list) in per_pair {
        for (k, &i) in list.iter().enumerate() {
            let line = &mut out[i];
            line.nth = k;
            if line.from == line.to {
                continue;
            }
            let offset = fan_offset(k, list.len());
            // Offsets count from the lower end; a line drawn the other way is flipped.
            line.bend = if line.from == lo { offset } else { -offset };
        }
    }
    out
}

/// See [`LinkBundle::label`].
pub fn bundle_label(links: &[&Link]) -> String {
    match links {
        [] => String::new(),
        [one] => one.kind.summary(),
        [first, ..] => {
            let n = links.len();
            if links
                .iter()
                .all(|l| matches!(l.kind, LinkKind::Payment { .. }))
            {
                let mut parts = vec![format!("{n} payments")];
                let mut money: BTreeMap<&str, f64> = BTreeMap::new();
                let mut years: Option<(i32, i32)> = None;
                for l in links {
                    if let LinkKind::Payment { amount, date } = &l.kind {
                        if let Some(m) = amount {
                            *money.entry(m.currency.as_str()).or_default() += m.amount;
                        }
                        if let Some(y) = date.as_ref().map(|d| d.year) {
                            let (lo, hi) = years.unwrap_or((y, y));
                            years = Some((lo.min(y), hi.max(y)));
                        }
                    }
                }
                for (currency, amount) in money {
                    parts.push(format!("{currency} {}", format_amount(amount)));
                }
                match years {
                    Some((lo, hi)) if lo == hi => parts.push(lo.to_string()),
                    Some((lo, hi)) => parts.push(format!("{lo}–{hi}")),
                    None => {}
                }
                parts.join(" · ")
            } else {
                let kind = match &first.kind {
                    LinkKind::Other(name) if !name.is_empty() => name.clone(),
                    k => k.tag().label().to_owned(),
                };
                format!("{n} × {kind}")
            }
        }
    }
}

/// Node discs a line must keep clear of, indexed by a uniform grid.
#[derive(Clone, Debug, Default)]
pub struct Obstacles {
    discs: Vec<Disc>,
    cells: HashMap<(i32, i32), Vec<u32>>,
    max_radius: f32,
}

/// Side of a grid cell, canvas units.
const CELL: f32 = 200.0;

fn cell_of(p: CanvasPoint) -> (i32, i32) {
    #[allow(clippy::cast_possible_truncation)]
    ((p.x / CELL).floor() as i32, (p.y / CELL).floor() as i32)
}

impl Obstacles {
    /// The discs to keep clear of; more than [`ROUTE_AROUND_LIMIT`] of them gives an empty set
    /// (nothing is bent).
    pub fn new(discs: Vec<Disc>) -> Self {
        if discs.len() > ROUTE_AROUND_LIMIT {
            return Self::default();
        }
        let mut cells: HashMap<(i32, i32), Vec<u32>> = HashMap::new();
        let mut max_radius = 0.0f32;
        for (i, d) in discs.iter().enumerate() {
            if !(d.c.x.is_finite() && d.c.y.is_finite()) {
                continue;
            }
            cells.entry(cell_of(d.c)).or_default().push(i as u32);
            max_radius = max_radius.max(d.r);
        }
        Self {
            discs,
            cells,
            max_radius,
        }
    }

    /// Discs that come within `reach` of the segment from `a` to `b`, found by walking only the
    /// grid cells near it; None when more than [`MAX_IN_WAY`] do (a line through a crowd,
    /// which no bend clears).
    fn near_segment(&self, a: CanvasPoint, b: CanvasPoint, reach: f32) -> Option<Vec<&Disc>> {
        let grow = reach + self.max_radius + CLEARANCE;
        let (x0, y0) = cell_of(CanvasPoint {
            x: a.x.min(b.x) - grow,
            y: a.y.min(b.y) - grow,
        });
        let (x1, y1) = cell_of(CanvasPoint {
            x: a.x.max(b.x) + grow,
            y: a.y.max(b.y) + grow,
        });
        // A cell matters when its centre is within its half-diagonal (plus the reach) of
        // the segment.
        let cell_slack = grow + CELL * std::f32::consts::FRAC_1_SQRT_2;
        let mut out = Vec::new();
        let mut take = |list: &Vec<u32>| -> bool {
            for &i in list {
                let d = &self.discs[i as usize];
                if distance_to_segment(d.c, a, b) < reach + d.r + CLEARANCE {
                    out.push(d);
                    if out.len() > MAX_IN_WAY {
                        return false;
                    }
                }
            }
            true
        };
        let span = (i64::from(x1) - i64::from(x0) + 1) * (i64::from(y1) - i64::from(y0) + 1);
        if span > self.cells.len() as i64 {
            for (&(cx, cy), list) in &self.cells {
                if (x0..=x1).contains(&cx) && (y0..=y1).contains(&cy) && !take(list) {
                    return None;
                }
            }
        } else {
            for cx in x0..=x1 {
                for cy in y0..=y1 {
                    #[allow(clippy::cast_precision_loss)]
                    let centre = CanvasPoint {
                        x: (cx as f32 + 0.5) * CELL,
                        y: (cy as f32 + 0.5) * CELL,
                    };
                    if distance_to_segment(centre, a, b) > cell_slack {
                        continue;
                    }
                    if let Some(list) = self.cells.get(&(cx, cy))
                        && !take(list)
                    {
                        return None;
                    }
                }
            }
        }
        Some(out)
    }

    /// The bend, nearest `preferred`, at which the curve from `a` to `b` (node centres)
    /// passes no node but its two ends. With `outward` only bends further out on
    /// `preferred`'s side are tried (so fanned-out lines keep their order); else both sides,
    /// away from the node in the way first. `preferred` when it is clear already or nothing
    /// is (then the bend that passes fewest nodes).
    pub fn clear_bend(&self, a: CanvasPoint, b: CanvasPoint, preferred: f32, outward: bool) -> f32 {
        if self.discs.is_empty() || a == b {
            return preferred;
        }
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let length = dx.hypot(dy);
        if !(length.is_finite() && length > 1.0) {
            return preferred;
        }
        let largest = (length * 0.45).max(2.0 * BEND_STEP);
        // How far from its chord any curve tried may stray.
        let reach = if outward {
            preferred.abs() + largest
        } else {
            preferred.abs().max(largest)
        };
        let near_end = |d: &Disc| {
            let r = d.r.max(1.0);
            (d.c.x - a.x).hypot(d.c.y - a.y) < r || (d.c.x - b.x).hypot(d.c.y - b.y) < r
        };
        let Some(mut candidates) = self.near_segment(a, b, reach) else {
            return preferred;
        };
        candidates.retain(|d| !near_end(d));
        if candidates.is_empty() {
            return preferred;
        }
        // Each disc's distance from the chord: a curve never strays further from its chord
        // than its bend, so a disc further away than that cannot be hit.
        let from_chord: Vec<f32> = candidates
            .iter()
            .map(|d| distance_to_segment(d.c, a, b))
            .collect();
        let hits = |bend: f32| -> (usize, Option<f32>) {
            let points = curve(a, b, bend);
            let mut count = 0;
            let mut side = None;
            for (d, &gap) in candidates.iter().zip(&from_chord) {
                let limit = d.r + CLEARANCE;
                if gap < limit + bend.abs()
                    && points
                        .windows(2)
                        .any(|w| distance_to_segment(d.c, w[0], w[1]) < limit)
                {
                    count += 1;
                    // Which side of the chord the node stands on (positive: the side
                    // positive bends go to).
                    side.get_or_insert(dx * (d.c.y - a.y) - dy * (d.c.x - a.x));
                }
            }
            (count, side)
        };
        let (first, side) = hits(preferred);
        if first == 0 {
            return preferred;
        }
        // The side to try first: away from the node in the way (for a straight line), or the
        // line's own side.
        let sign = if preferred != 0.0 {
            preferred.signum()
        } else if side.unwrap_or(1.0) > 0.0 {
            -1.0
        } else {
            1.0
        };
        let mut best = (first, preferred);
        for step in 1..=BEND_TRIES {
            #[allow(clippy::cast_precision_loss)]
            let delta = step as f32 * BEND_STEP;
            if delta > largest {
                break;
            }
            let sides: &[f32] = if outward { &[1.0] } else { &[1.0, -1.0] };
            for &s in sides {
                let bend = preferred + sign * s * delta;
                let (count, _) = hits(bend);
                if count == 0 {
                    return bend;
                }
                if count < best.0 {
                    best = (count, bend);
                }
            }
        }
        best.1
    }
}

/// Points along the curve from `a` to `b` with apex offset `bend`.
fn curve(a: CanvasPoint, b: CanvasPoint, bend: f32) -> Vec<CanvasPoint> {
    let c = control_point(a, b, bend);
    (0..=PIECES)
        .map(|i| {
            #[allow(clippy::cast_precision_loss)]
            let t = i as f32 / PIECES as f32;
            let u = 1.0 - t;
            CanvasPoint {
                x: u * u * a.x + 2.0 * u * t * c.x + t * t * b.x,
                y: u * u * a.y + 2.0 * u * t * c.y + t * t * b.y,
            }
        })
        .collect()
}

/// Control point of the quadratic from `a` to `b` whose apex lies `bend` to the left of the
/// chord's middle (the canvas's `geometry::control_point`, in canvas points).
pub fn control_point(a: CanvasPoint, b: CanvasPoint, bend: f32) -> CanvasPoint {
    let mid = CanvasPoint {
        x: (a.x + b.x) * 0.5,
        y: (a.y + b.y) * 0.5,
    };
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = dx.hypot(dy);
    if len < 1e-3 || bend == 0.0 {
        return mid;
    }
    CanvasPoint {
        x: mid.x - dy / len * 2.0 * bend,
        y: mid.y + dx / len * 2.0 * bend,
    }
}

fn distance_to_segment(p: CanvasPoint, a: CanvasPoint, b: CanvasPoint) -> f32 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let l2 = dx * dx + dy * dy;
    let t = if l2 <= f32::EPSILON {
        0.0
    } else {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / l2).clamp(0.0, 1.0)
    };
    (p.x - (a.x + t * dx)).hypot(p.y - (a.y + t * dy))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Money, PartialDate};

    fn link(id: &str, from: &str, to: &str, kind: LinkKind) -> Link {
        Link {
            id: id.into(),
            kind,
            from: from.into(),
            to: to.into(),
            ..Link::default()
        }
    }

    fn payment(id: &str, from: &str, to: &str, eur: f64, year: i32) -> Link {
        link(
            id,
            from,
            to,
            LinkKind::Payment {
                amount: Some(Money {
                    amount: eur,
                    currency: "EUR".into(),
                }),
                date: Some(PartialDate {
                    year,
                    month: None,
                    day: None,
                }),
            },
        )
    }

    #[allow(clippy::unnecessary_wraps)] // the shape `bundle_links` asks for
    fn node(id: &EntityId) -> Option<&str> {
        Some(id.as_str())
    }

    #[test]
    fn parallel_links_of_one_kind_are_one_line_with_totals() {
        let links = [
            payment("l1", "donor", "party", 50_000.0, 2019),
            payment("l2", "donor", "party", 70_000.0, 2021),
            payment("l3", "donor", "party", 30_000.0, 2020),
            link("l4", "donor", "party", LinkKind::Associate),
            // The other way round: a payment back is a line of its own.
            payment("l5", "party", "donor", 1_000.0, 2020),
        ];
        let lines = bundle_links(&links, node, true);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].links.len(), 3);
        assert_eq!(lines[0].label(), "3 payments · EUR 150k · 2019–2021");
        assert!(lines[0].width() > lines[1].width());
        // Three lines between one pair fan out: distinct bends, the middle one straight.
        let mut bends: Vec<f32> = lines
            .iter()
            .map(|l| if l.from <= l.to { l.bend } else { -l.bend })
            .collect();
        bends.sort_by(f32::total_cmp);
        assert_eq!(bends, vec![-FAN_STEP, 0.0, FAN_STEP]);
        // Unbundled: one line per link.
        assert_eq!(bundle_links(&links, node, false).len(), 5);
    }

    #[test]
    fn undirected_links_bundle_whichever_way_they_were_entered() {
        let links = [
            link("l1", "a", "b", LinkKind::Associate),
            link("l2", "b", "a", LinkKind::Associate),
            link("l3", "a", "b", LinkKind::Other("met at a fair".into())),
            link("l4", "a", "b", LinkKind::Other("shares a phone".into())),
        ];
        let lines = bundle_links(&links, node, true);
        assert_eq!(lines.len(), 3, "two named kinds stay apart");
        assert_eq!(lines[0].label(), "2 × Associate");
    }

    #[test]
    fn the_weakest_claim_draws_the_line() {
        let mut a = link("l1", "a", "b", LinkKind::Associate);
        a.status = ClaimStatus::Proven;
        let mut b = link("l2", "a", "b", LinkKind::Associate);
        b.status = ClaimStatus::Alleged;
        let links = [a, b];
        let lines = bundle_links(&links, node, true);
        assert_eq!(lines[0].claim(), ClaimStatus::Alleged);
    }

    #[test]
    fn a_line_bends_around_a_node_in_its_way() {
        let disc = |x: f32, y: f32| Disc {
            c: CanvasPoint { x, y },
            r: 22.0,
        };
        let (a, b) = (
            CanvasPoint { x: 0.0, y: 0.0 },
            CanvasPoint { x: 600.0, y: 0.0 },
        );
        let obstacles = Obstacles::new(vec![disc(0.0, 0.0), disc(600.0, 0.0), disc(300.0, 5.0)]);
        let bend = obstacles.clear_bend(a, b, 0.0, false);
        assert!(bend != 0.0);
        let points = curve(a, b, bend);
        let gap = points
            .windows(2)
            .map(|w| distance_to_segment(CanvasPoint { x: 300.0, y: 5.0 }, w[0], w[1]))
            .fold(f32::INFINITY, f32::min);
        assert!(gap >= 22.0 + CLEARANCE, "gap {gap}");
        // The node stands a little on the side positive bends go to (y grows downwards):
        // the line goes round the other side.
        assert!(bend < 0.0, "bend {bend}");
        // A clear line is left alone, and only the ends in the way are not obstacles.
        let clear = Obstacles::new(vec![disc(0.0, 0.0), disc(600.0, 0.0), disc(300.0, 200.0)]);
        assert_eq!(clear.clear_bend(a, b, 0.0, false), 0.0);
        assert_eq!(clear.clear_bend(a, b, 17.0, true), 17.0);
        // Outward only: a fanned line bends further out on its own side.
        let outward = obstacles.clear_bend(a, b, -17.0, true);
        assert!(outward < -17.0);
    }

    #[test]
    fn too_many_nodes_bend_nothing() {
        let discs = (0..=ROUTE_AROUND_LIMIT)
            .map(|i| Disc {
                c: CanvasPoint {
                    x: i as f32,
                    y: 0.0,
                },
                r: 22.0,
            })
            .collect();
        let obstacles = Obstacles::new(discs);
        let (a, b) = (
            CanvasPoint { x: -50.0, y: 0.0 },
            CanvasPoint { x: 9e3, y: 0.0 },
        );
        assert_eq!(obstacles.clear_bend(a, b, 0.0, false), 0.0);
    }
}
