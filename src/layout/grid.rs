//! Grid by kind: one rectangular block per entity kind, in [`EntityKind::ALL`] order, blocks
//! packed left to right in rows. Inside a block nodes fill rows of fixed cells, sorted by
//! country, then name, then id, so companies of one country sit together. Cells are larger
//! than a node and its label, so nothing overlaps. [`arrange`] also returns each block's box
//! and title position for the canvas to label.

use super::arrange::{self, Bounds};
use super::graph::LayoutGraph;
use super::{Cancelled, Progress};
use crate::model::{CanvasPoint, EntityKind};

/// Width of a grid cell: a node plus a label of ~20 characters.
pub const CELL_WIDTH: f32 = 180.0;
/// Height of a grid cell: a node plus a line of label below it.
pub const CELL_HEIGHT: f32 = 110.0;
/// Space between blocks, leaving room for each block's title above it.
const BLOCK_GAP: f32 = 160.0;
/// How far above a block's first row its title sits.
const TITLE_OFFSET: f32 = 70.0;

/// The box of one kind's block, in canvas units, after the same anchoring as the nodes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridBlock {
    pub kind: EntityKind,
    pub nodes: usize,
    /// Top-left and bottom-right corners of the block's cells.
    pub min: CanvasPoint,
    pub max: CanvasPoint,
    /// Where to draw the block's title (its kind's label), above the first row.
    pub title: CanvasPoint,
}

/// The grid layout with its blocks.
#[derive(Clone, Debug, PartialEq)]
pub struct GridArrangement {
    /// Positions of all nodes, indexed like the graph (fixed ones unchanged).
    pub positions: Vec<CanvasPoint>,
    pub blocks: Vec<GridBlock>,
}

/// Lays out the run's nodes in one block per kind.
pub fn arrange(graph: &LayoutGraph, progress: &Progress) -> Result<GridArrangement, Cancelled> {
    let nodes = graph.nodes();
    let members = arrange::included(graph);
    progress.check()?;
    let mut by_kind: Vec<(EntityKind, Vec<usize>)> =
        EntityKind::ALL.iter().map(|&k| (k, Vec::new())).collect();
    for &i in &members {
        if let Some(slot) = by_kind.iter_mut().find(|(k, _)| *k == nodes[i].kind) {
            slot.1.push(i);
        }
    }
    by_kind.retain(|(_, list)| !list.is_empty());
    for (_, list) in &mut by_kind {
        list.sort_by(|&a, &b| {
            let (na, nb) = (&nodes[a], &nodes[b]);
            na.country
                .cmp(&nb.country)
                .then_with(|| na.name.cmp(&nb.name))
                .then_with(|| na.id.cmp(&nb.id))
        });
    }

    // Each block about as wide as the square root of the largest block, so blocks line up.
    let largest = by_kind.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
    let columns = ((largest as f32 * CELL_HEIGHT / CELL_WIDTH).sqrt().ceil() as usize).max(1);
    let mut positions = graph.positions();
    let mut boxes = Vec::with_capacity(by_kind.len());
    let mut local: Vec<Vec<CanvasPoint>> = Vec::with_capacity(by_kind.len());
    for (_, list) in &by_kind {
        progress.check()?;
        let cols = columns.min(list.len()).max(1);
        let rows = list.len().div_ceil(cols);
        let cells: Vec<CanvasPoint> = (0..list.len())
            .map(|k| CanvasPoint {
                x: (k % cols) as f32 * CELL_WIDTH,
                y: (k / cols) as f32 * CELL_HEIGHT,
            })
            .collect();
        // Boxes include the title band so packed blocks never cover each other's titles.
        boxes.push(Bounds {
            min_x: -CELL_WIDTH * 0.5,
            min_y: -TITLE_OFFSET - CELL_HEIGHT * 0.5,
            max_x: (cols as f32 - 0.5) * CELL_WIDTH,
            max_y: (rows as f32 - 0.5) * CELL_HEIGHT,
        });
        local.push(cells);
    }
    let offsets = arrange::pack_side_by_side(&boxes, BLOCK_GAP);
    let mut blocks = Vec::with_capacity(by_kind.len());
    for (((kind, list), cells), (dx, dy)) in by_kind.iter().zip(&local).zip(&offsets) {
        for (&i, p) in list.iter().zip(cells) {
            positions[i] = CanvasPoint {
                x: p.x + dx,
                y: p.y + dy,
            };
        }
        let b = boxes[blocks.len()];
        blocks.push(GridBlock {
            kind: *kind,
            nodes: list.len(),
            min: CanvasPoint {
                x: b.min_x + dx,
                y: -CELL_HEIGHT * 0.5 + dy,
            },
            max: CanvasPoint {
                x: b.max_x + dx,
                y: b.max_y + dy,
            },
            title: CanvasPoint {
                x: b.min_x + dx,
                y: -TITLE_OFFSET + dy,
            },
        });
    }

    // Anchor like the other layouts, and move the block boxes along.
    let before: Vec<CanvasPoint> = members.iter().map(|&i| positions[i]).collect();
    arrange::anchor(graph, &members, &mut positions);
    if let (Some(&first), Some(old)) = (members.first(), before.first()) {
        let (dx, dy) = (positions[first].x - old.x, positions[first].y - old.y);
        for b in &mut blocks {
            for p in [&mut b.min, &mut b.max, &mut b.title] {
                p.x += dx;
                p.y += dy;
            }
        }
    }
    Ok(GridArrangement { positions, blocks })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::LayoutNode;

    #[test]
    fn blocks_follow_kind_order_and_hold_their_nodes() {
        let kinds = [
            EntityKind::Event,
            EntityKind::Person,
            EntityKind::Company,
            EntityKind::Person,
        ];
        let nodes = kinds
            .iter()
            .enumerate()
            .map(|(i, &k)| LayoutNode::new(format!("n{i}"), k, CanvasPoint::default()))
            .collect();
        let g = LayoutGraph::from_parts(nodes, Vec::new());
        let out = arrange(&g, &Progress::new()).expect("not cancelled");
        let order: Vec<EntityKind> = out.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            order,
            vec![EntityKind::Person, EntityKind::Company, EntityKind::Event]
        );
        for b in &out.blocks {
            let inside = g
                .nodes()
                .iter()
                .zip(&out.positions)
                .filter(|(n, p)| {
                    n.kind == b.kind
                        && p.x >= b.min.x
                        && p.x <= b.max.x
                        && p.y >= b.min.y
                        && p.y <= b.max.y
                })
                .count();
            assert_eq!(inside, b.nodes);
            assert!(b.title.y < b.min.y);
        }
    }
}
