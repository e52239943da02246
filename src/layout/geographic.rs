//! Geographic layout: each node at its place on the world map of [`super::geo`].
//!
//! A node's place is, in order: explicit `lat`/`lon` attributes; its country's anchor; the
//! country most common among its linked address, jurisdiction and facility neighbours; for a
//! product, the country of its manufacturers and suppliers (where the goods come from).
//! Nodes sharing a place spread on a sunflower spiral around it (jurisdiction nodes at the
//! centre), then a few relaxation passes push apart nodes of neighbouring places that would
//! overlap (Singapore and Kuala Lumpur are only ~28 units apart), centres moving least.
//! Nodes with no place at all are set out in rows in a holding area below the map, starting
//! at [`super::geo::HOLDING_AREA_TOP`] and centred on [`super::geo::HOLDING_AREA_CENTRE_X`];
//! the canvas captions it with [`super::geo::HOLDING_AREA_LABEL`].

use super::arrange::{self, pair_direction};
use super::geo::{self, HOLDING_AREA_CENTRE_X, HOLDING_AREA_TOP};
use super::graph::LayoutGraph;
use super::{Cancelled, Progress};
use crate::model::{CanvasPoint, CountryCode, EntityKind};
use std::collections::BTreeMap;

/// Distance between nodes sharing a place.
const SPIRAL_SPACING: f32 = 52.0;
/// Nodes closer than this (centre to centre) are pushed apart.
const MIN_DISTANCE: f32 = 50.0;
const RELAX_PASSES: usize = 40;
/// Holding-area cells and row length.
const HOLD_CELL_WIDTH: f32 = 150.0;
const HOLD_CELL_HEIGHT: f32 = 100.0;
const HOLD_COLUMNS: usize = 24;

/// Where a node belongs, in degrees.
fn own_place(graph: &LayoutGraph, i: usize) -> Option<(f32, f32)> {
    let node = &graph.nodes()[i];
    node.lon_lat
        .or_else(|| node.country.as_ref().and_then(geo::country_anchor))
}

/// The country most often named by a node's address, jurisdiction and facility neighbours;
/// for a product without those, by where it comes from (its manufacturers and suppliers).
fn inferred_country(graph: &LayoutGraph, i: usize) -> Option<&CountryCode> {
    let nodes = graph.nodes();
    let place_votes = vote(graph, i, |j, _| {
        matches!(
            nodes[j].kind,
            EntityKind::Address | EntityKind::Jurisdiction | EntityKind::Facility
        )
    });
    place_votes.or_else(|| {
        (nodes[i].kind == EntityKind::Product)
            .then(|| {
                vote(graph, i, |_, k| {
                    graph.edges()[k].flow && graph.edges()[k].to == i
                })
            })
            .flatten()
    })
}

/// The country most common among the neighbours `j` (reached by edge `k`) that `counts`.
fn vote(
    graph: &LayoutGraph,
    i: usize,
    counts: impl Fn(usize, usize) -> bool,
) -> Option<&CountryCode> {
    let mut votes: BTreeMap<&CountryCode, usize> = BTreeMap::new();
    for &(j, k) in graph.neighbours(i) {
        if counts(j, k)
            && let Some(c) = &graph.nodes()[j].country
        {
            *votes.entry(c).or_default() += 1;
        }
    }
    // Most votes; on a tie the first code alphabetically (max_by keeps the last maximum).
    votes
        .into_iter()
        .rev()
        .max_by_key(|(_, count)| *count)
        .map(|(c, _)| c)
}

pub(crate) fn layout(
    graph: &LayoutGraph,
    progress: &Progress,
) -> Result<Vec<CanvasPoint>, Cancelled> {
    let nodes = graph.nodes();
    let mut positions = graph.positions();
    progress.check()?;

    // Group movable nodes by place; quantised to a metre or so, so equal anchors share a key.
    let mut by_place: BTreeMap<(i32, i32), Vec<usize>> = BTreeMap::new();
    let mut homeless: Vec<usize> = Vec::new();
    for i in (0..nodes.len()).filter(|&i| nodes[i].movable()) {
        let place = own_place(graph, i)
            .or_else(|| inferred_country(graph, i).and_then(geo::country_anchor));
        match place {
            Some((lon, lat)) => by_place
                .entry(((lon * 1e4).round() as i32, (lat * 1e4).round() as i32))
                .or_default()
                .push(i),
            None => homeless.push(i),
        }
    }
    let order = |a: &usize, b: &usize| {
        let (na, nb) = (&nodes[*a], &nodes[*b]);
        // Jurisdictions first so the country node sits on the anchor itself.
        (
            na.kind != EntityKind::Jurisdiction,
            na.kind,
            &na.name,
            &na.id,
        )
            .cmp(&(
                nb.kind != EntityKind::Jurisdiction,
                nb.kind,
                &nb.name,
                &nb.id,
            ))
    };
    // Stiffness in the relaxation: a place's centre node moves least.
    let mut stiffness = vec![1.0f32; nodes.len()];
    for ((lon, lat), members) in &mut by_place {
        members.sort_by(order);
        let centre = geo::canvas_from_lon_lat(*lon as f32 / 1e4, *lat as f32 / 1e4);
        for (k, &i) in members.iter().enumerate() {
            let (dx, dy) = arrange::sunflower(k, SPIRAL_SPACING);
            positions[i] = CanvasPoint {
                x: centre.x + dx,
                y: centre.y + dy,
            };
        }
        stiffness[members[0]] = 4.0;
    }
    homeless.sort_by(order);
    let columns = HOLD_COLUMNS.min(homeless.len()).max(1);
    for (k, &i) in homeless.iter().enumerate() {
        positions[i] = CanvasPoint {
            x: HOLDING_AREA_CENTRE_X
                + ((k % columns) as f32 - (columns as f32 - 1.0) * 0.5) * HOLD_CELL_WIDTH,
            y: HOLDING_AREA_TOP + HOLD_CELL_HEIGHT * 0.5 + (k / columns) as f32 * HOLD_CELL_HEIGHT,
        };
    }
    for i in (0..nodes.len()).filter(|&i| !nodes[i].movable()) {
        stiffness[i] = f32::INFINITY;
    }
    relax(&mut positions, &stiffness, progress)?;
    Ok(positions)
}

/// Pushes apart nodes closer than [`MIN_DISTANCE`]; each pair shares the correction in
/// inverse proportion to stiffness (infinitely stiff nodes never move).
fn relax(
    positions: &mut [CanvasPoint],
    stiffness: &[f32],
    progress: &Progress,
) -> Result<(), Cancelled> {
    let cell_of = |p: CanvasPoint| {
        (
            (p.x / MIN_DISTANCE).floor() as i64,
            (p.y / MIN_DISTANCE).floor() as i64,
        )
    };
    let mut keys: Vec<((i64, i64), usize)> = Vec::with_capacity(positions.len());
    let mut shift = vec![(0.0f32, 0.0f32); positions.len()];
    for pass in 0..RELAX_PASSES {
        progress.step(pass, RELAX_PASSES)?;
        keys.clear();
        keys.extend(positions.iter().enumerate().map(|(i, &p)| (cell_of(p), i)));
        keys.sort_unstable();
        shift.fill((0.0, 0.0));
        let mut overlaps = 0usize;
        let min_d2 = MIN_DISTANCE * MIN_DISTANCE;
        for i in 0..positions.len() {
            let p = positions[i];
            let (cx, cy) = cell_of(p);
            for gx in cx - 1..=cx + 1 {
                // Keys sort by column, then row: the three cells of a column are one run.
                let start = keys.partition_point(|k| k.0 < (gx, cy - 1));
                for &(key, j) in &keys[start..] {
                    if key > (gx, cy + 1) {
                        break;
                    }
                    // Each pair once; both ends take their share.
                    if j <= i || (stiffness[i].is_infinite() && stiffness[j].is_infinite()) {
                        continue;
                    }
                    let q = positions[j];
                    let (mut dx, mut dy) = (p.x - q.x, p.y - q.y);
                    let d2 = dx * dx + dy * dy;
                    if d2 >= min_d2 {
                        continue;
                    }
                    overlaps += 1;
                    let mut d = d2.sqrt();
                    if d <= f32::EPSILON {
                        // Exactly on top of each other: a fixed direction per pair.
                        (dx, dy) = pair_direction(i, j);
                        d = 1.0;
                    }
                    // Half the gap closed per pass, split by inverse stiffness.
                    let push = (MIN_DISTANCE - d) * 0.5 / d;
                    let share_i = if stiffness[j].is_infinite() {
                        1.0
                    } else if stiffness[i].is_infinite() {
                        0.0
                    } else {
                        stiffness[j] / (stiffness[i] + stiffness[j])
                    };
                    shift[i].0 += dx * push * share_i;
                    shift[i].1 += dy * push * share_i;
                    shift[j].0 -= dx * push * (1.0 - share_i);
                    shift[j].1 -= dy * push * (1.0 - share_i);
                }
            }
        }
        if overlaps == 0 {
            break;
        }
        for (p, (dx, dy)) in positions.iter_mut().zip(&shift) {
            p.x += dx;
            p.y += dy;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{LayoutEdge, LayoutNode};

    fn node(id: &str, kind: EntityKind, country: Option<&str>) -> LayoutNode {
        let mut n = LayoutNode::new(id, kind, CanvasPoint::default());
        n.country = country.and_then(|c| c.parse().ok());
        n
    }

    #[test]
    fn nodes_go_to_their_country_or_the_holding_area() {
        let nodes = vec![
            node("a-sg", EntityKind::Company, Some("SG")),
            node("b-addr", EntityKind::Address, Some("HK")),
            node("c-person", EntityKind::Person, None),
            node("d-lost", EntityKind::Person, None),
        ];
        let edges = vec![LayoutEdge {
            from: 2,
            to: 1,
            weight: 1.0,
            flow: false,
            directed: true,
        }];
        let g = LayoutGraph::from_parts(nodes, edges);
        let p = layout(&g, &Progress::new()).expect("not cancelled");
        let sg = geo::canvas_from_lon_lat(103.8, 1.35);
        assert!((p[0].x - sg.x).hypot(p[0].y - sg.y) < 10.0);
        // The person with no country follows its Hong Kong address.
        let hk = geo::canvas_from_lon_lat(114.15, 22.28);
        assert!((p[2].x - hk.x).hypot(p[2].y - hk.y) < 2.0 * MIN_DISTANCE);
        assert!(p[3].y > HOLDING_AREA_TOP);
        for (i, a) in p.iter().enumerate() {
            for b in &p[i + 1..] {
                assert!((a.x - b.x).hypot(a.y - b.y) > MIN_DISTANCE * 0.8);
            }
        }
    }
}
