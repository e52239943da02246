//! Layouts: positions in, positions out. Force-directed (Barnes–Hut), layered along the supply
//! flow, circular, grid by kind and geographic. No egui here; the canvas runs these off the UI
//! thread and applies the result as one undoable edit.
//!
//! The flow is: build a [`LayoutGraph`] from the case (optionally restricted to a selection;
//! the other nodes stay put), call [`compute`] with a shared [`Progress`] from a worker
//! thread, and turn the returned moves into one edit with [`positions_edit`]. Pinned nodes and
//! nodes outside the selection are never in the result. For an animated force layout the
//! canvas can drive a [`ForceSim`] itself, one [`ForceSim::step`] per frame.
//!
//! Fixed nodes as context: in the force layout they still push and pull the moving ones; in
//! the geographic layout moving nodes keep clear of them. The layered, circular and grid
//! layouts arrange the nodes of the run (pinned ones included, to keep the structure whole)
//! and then shift the arrangement so the pinned nodes line up with where they are (a single
//! pinned node keeps its place exactly), or, with none pinned, so it is centred where the
//! moving nodes were.
//!
//! All layouts are deterministic: the same graph gives the same positions, bit for bit.

mod arrange;
mod circular;
pub mod force;
pub mod geo;
mod geographic;
mod graph;
pub mod grid;
pub mod labels;
pub mod layered;
pub mod legibility;
pub mod links;
pub mod multilevel;
pub mod palette;
pub mod picture;
pub mod quality;
pub mod routes;
pub mod untangle;

pub use force::{ForceParams, ForceSim};
pub use graph::{Drawn, LayoutEdge, LayoutGraph, LayoutNode};
pub use grid::{GridArrangement, GridBlock};
pub use layered::Ranking;

use crate::edit::Edit;
use crate::model::{CanvasPoint, Case, EntityId, NodePosition};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Distance between neighbouring nodes the layouts aim for, in canvas units. The canvas draws
/// nodes with a radius of about 22 units and a label below, so this leaves room for both.
pub const NODE_SPACING: f32 = 150.0;

/// The automatic layouts, in menu order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LayoutKind {
    Force,
    Layered,
    Circular,
    GridByKind,
    Geographic,
}

impl LayoutKind {
    pub const ALL: [LayoutKind; 5] = [
        LayoutKind::Force,
        LayoutKind::Layered,
        LayoutKind::Circular,
        LayoutKind::GridByKind,
        LayoutKind::Geographic,
    ];

    pub fn label(self) -> &'static str {
        match self {
            LayoutKind::Force => "Force-directed",
            LayoutKind::Layered => "Layered (supply flow)",
            LayoutKind::Circular => "Circular",
            LayoutKind::GridByKind => "Grid by kind",
            LayoutKind::Geographic => "Geographic",
        }
    }

    /// One-line explanation for menus and tooltips.
    pub fn description(self) -> &'static str {
        match self {
            LayoutKind::Force => {
                "Linked nodes pull together, all nodes push apart; clusters and hubs stand out."
            }
            LayoutKind::Layered => {
                "Goods flow left to right: manufacturer, distributor, transit, end user."
            }
            LayoutKind::Circular => "Nodes on a circle, each connected group together.",
            LayoutKind::GridByKind => "One block per kind of entity, in rows and columns.",
            LayoutKind::Geographic => {
                "Nodes at their country on a world map; those with no known country below it."
            }
        }
    }
}

/// A layout stopped because its [`Progress`] was cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the layout was cancelled")]
pub struct Cancelled;

/// Progress and cancellation shared between the UI thread and a layout worker (put it in an
/// `Arc`). The worker reports the fraction done; the UI may cancel at any time and the worker
/// stops at its next check, returning [`Cancelled`].
#[derive(Debug, Default)]
pub struct Progress {
    /// Bits of an `f32` in `0.0..=1.0`.
    fraction_bits: AtomicU32,
    cancelled: AtomicBool,
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }

    /// Fraction of the work done, `0.0..=1.0`.
    pub fn fraction(&self) -> f32 {
        f32::from_bits(self.fraction_bits.load(Ordering::Relaxed))
    }

    pub fn set_fraction(&self, fraction: f32) {
        let f = if fraction.is_finite() {
            fraction.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.fraction_bits.store(f.to_bits(), Ordering::Relaxed);
    }

    /// Asks the worker to stop.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// `Err(Cancelled)` once [`Progress::cancel`] was called; workers call this in long loops.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }

    /// Reports `done` of `total` steps and checks for cancellation.
    pub(crate) fn step(&self, done: usize, total: usize) -> Result<(), Cancelled> {
        self.set_fraction(done as f32 / total.max(1) as f32);
        self.check()
    }
}

/// Runs one layout and returns the new position of every node it may move: nodes in the run
/// (all, or the `only` set given to [`LayoutGraph::from_case`]) that are not pinned. Pinned and
/// excluded nodes keep their place and are not in the result. Sorted by entity id.
pub fn compute(
    kind: LayoutKind,
    graph: &LayoutGraph,
    progress: &Progress,
) -> Result<Vec<(EntityId, CanvasPoint)>, Cancelled> {
    progress.set_fraction(0.0);
    progress.check()?;
    let positions = match kind {
        LayoutKind::Force => force::layout(graph, progress)?,
        LayoutKind::Layered => layered::layout(graph, progress)?,
        LayoutKind::Circular => circular::layout(graph, progress)?,
        LayoutKind::GridByKind => grid::arrange(graph, progress)?.positions,
        LayoutKind::Geographic => geographic::layout(graph, progress)?,
    };
    progress.set_fraction(1.0);
    Ok(graph
        .nodes()
        .iter()
        .zip(positions)
        .filter(|(node, _)| node.movable())
        .map(|(node, p)| (node.id.clone(), sanitize(p, node.position)))
        .collect())
}

/// The edit that applies a layout result to `case` as it is now: one `SetPositions`, so a
/// layout run is one undo step. The case may have changed while the layout ran: moves of
/// entities deleted or pinned since are dropped (one missing entity would make the whole edit
/// fail; a pinned one must stay put), and each entity keeps its current pinned flag. None when
/// no move is left.
pub fn positions_edit(case: &Case, moves: &[(EntityId, CanvasPoint)]) -> Option<Edit> {
    let moves: Vec<(EntityId, Option<NodePosition>)> = moves
        .iter()
        .filter(|(id, _)| case.entities.contains_key(id))
        .filter_map(|(id, p)| {
            let pinned = case.positions.get(id).is_some_and(|p| p.pinned);
            (!pinned).then(|| {
                (
                    id.clone(),
                    Some(NodePosition {
                        x: p.x,
                        y: p.y,
                        pinned,
                    }),
                )
            })
        })
        .collect();
    (!moves.is_empty()).then_some(Edit::SetPositions(moves))
}

/// A finite point: `p` if both coordinates are finite, else `fallback`. The last line of
/// defence so no NaN ever reaches a case file.
fn sanitize(p: CanvasPoint, fallback: CanvasPoint) -> CanvasPoint {
    if p.x.is_finite() && p.y.is_finite() {
        p
    } else if fallback.x.is_finite() && fallback.y.is_finite() {
        fallback
    } else {
        CanvasPoint::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_clamps_and_cancels() {
        let p = Progress::new();
        assert_eq!(p.fraction(), 0.0);
        p.set_fraction(1.5);
        assert_eq!(p.fraction(), 1.0);
        p.set_fraction(f32::NAN);
        assert_eq!(p.fraction(), 0.0);
        assert!(p.check().is_ok());
        p.cancel();
        assert_eq!(p.check(), Err(Cancelled));
    }

    #[test]
    fn labels_are_distinct() {
        let mut labels: Vec<_> = LayoutKind::ALL.iter().map(|k| k.label()).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), LayoutKind::ALL.len());
    }
}
