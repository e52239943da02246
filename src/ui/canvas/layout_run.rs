//! A layout running off the UI thread, then animated into place. The result becomes one
//! `SetPositions` edit (one undo step) only when the animation ends; Esc cancels either phase
//! and leaves the case untouched.

use crate::edit::Edit;
use crate::layout::{self, LayoutGraph, LayoutKind, Progress};
use crate::model::{CanvasPoint, Case, EntityId, ItemRef};
use crate::ui::jobs::{Job, JobStatus, Poll as JobPoll};
use egui::{Pos2, Rect, Ui, pos2, vec2};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Seconds the nodes take to glide to their new places.
const ANIMATION_SECONDS: f64 = 0.6;

type Outcome = Result<Vec<(EntityId, CanvasPoint)>, layout::Cancelled>;

enum Phase {
    Computing(Job<Outcome>),
    Animating {
        start: f64,
        moves: Vec<(EntityId, CanvasPoint)>,
        targets: HashMap<EntityId, (Pos2, Pos2)>,
    },
}

pub struct LayoutRun {
    kind: LayoutKind,
    /// The job's progress, kept for the glide after it (Esc stops either).
    progress: Arc<Progress>,
    phase: Phase,
    /// Where each node was when the run started (animation start points).
    origins: HashMap<EntityId, Pos2>,
    /// Set when the user cancelled during the animation.
    cancelled: bool,
    /// Easing value of the current frame, 0..1.
    t: f32,
}

pub enum Poll {
    Running,
    /// Done: the edit to apply (None when cancelled or nothing moved) and its undo label.
    Finished(Option<Edit>, String),
    Failed(String),
}

impl LayoutRun {
    pub fn start(kind: LayoutKind, case: &Case, only: Option<&BTreeSet<EntityId>>) -> Self {
        let graph = LayoutGraph::from_case(case, only);
        let origins = graph
            .nodes()
            .iter()
            .map(|n| (n.id.clone(), pos2(n.position.x, n.position.y)))
            .collect();
        let job = Job::spawn(format!("Layout: {}", kind.label()), true, move |progress| {
            layout::compute(kind, &graph, progress)
        });
        Self {
            kind,
            progress: job.shared_progress(),
            phase: Phase::Computing(job),
            origins,
            cancelled: false,
            t: 0.0,
        }
    }

    /// Stops the run, in either phase; the case keeps its places.
    pub fn cancel(&self) {
        self.progress.cancel();
    }

    /// The computing phase as the status bar shows it (the glide that follows is brief).
    pub fn status(&self) -> Option<JobStatus> {
        match &self.phase {
            Phase::Computing(job) => Some(job.status()),
            Phase::Animating { .. } => None,
        }
    }

    fn label(&self) -> String {
        format!("Layout: {}", self.kind.label())
    }

    /// Advances the run; the caller applies the edit of a finished run. The edit is made
    /// against `case` as it is when the run finishes (see [`layout::positions_edit`]).
    pub fn poll(&mut self, ctx: &egui::Context, now: f64, case: &Case) -> Poll {
        if self.progress.is_cancelled() && !self.cancelled {
            self.cancelled = true;
            if matches!(self.phase, Phase::Animating { .. }) {
                return Poll::Finished(None, self.label());
            }
        }
        match &mut self.phase {
            Phase::Computing(job) => match job.poll(ctx) {
                JobPoll::Done(Ok(moves)) => {
                    let targets = moves
                        .iter()
                        .map(|(id, p)| {
                            let from = self.origins.get(id).copied().unwrap_or(pos2(p.x, p.y));
                            (id.clone(), (from, pos2(p.x, p.y)))
                        })
                        .collect();
                    self.phase = Phase::Animating {
                        start: now,
                        moves,
                        targets,
                    };
                    Poll::Running
                }
                JobPoll::Done(Err(layout::Cancelled)) => Poll::Finished(None, self.label()),
                JobPoll::Running => Poll::Running,
                JobPoll::Lost => Poll::Failed(format!("{} stopped unexpectedly", self.label())),
            },
            Phase::Animating { start, moves, .. } => {
                #[allow(clippy::cast_possible_truncation)]
                let t = (((now - *start) / ANIMATION_SECONDS) as f32).clamp(0.0, 1.0);
                self.t = 1.0 - (1.0 - t).powi(3);
                if t < 1.0 {
                    return Poll::Running;
                }
                Poll::Finished(layout::positions_edit(case, moves), self.label())
            }
        }
    }

    /// Whether the nodes are gliding to their new places (the layout is computed).
    pub fn is_animating(&self) -> bool {
        matches!(self.phase, Phase::Animating { .. })
    }

    /// Where a node is drawn during the animation.
    pub fn animated_position(&self, item: &ItemRef) -> Option<Pos2> {
        let Phase::Animating { targets, .. } = &self.phase else {
            return None;
        };
        let ItemRef::Entity(id) = item else {
            return None;
        };
        let (from, to) = targets.get(id)?;
        Some(from.lerp(*to, self.t))
    }

    /// A small panel over the canvas: what runs, how far it got, how to stop it.
    pub fn progress_ui(&self, ui: &Ui, rect: Rect) {
        egui::Area::new(ui.scope_id().with("layout_progress"))
            .order(egui::Order::Foreground)
            .fixed_pos(rect.center_bottom() + vec2(-150.0, -70.0))
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_width(300.0);
                    let (text, fraction) = match &self.phase {
                        Phase::Computing(_) => {
                            (format!("{}…", self.kind.label()), self.progress.fraction())
                        }
                        Phase::Animating { .. } => (format!("{}: placing", self.kind.label()), 1.0),
                    };
                    ui.label(text);
                    ui.add(egui::ProgressBar::new(fraction).show_percentage());
                    ui.horizontal(|ui| {
                        if ui.button("Cancel").on_hover_text("Esc").clicked() {
                            self.cancel();
                        }
                        ui.weak("Esc cancels; the case is not changed.");
                    });
                });
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NodePosition;

    /// Polls until the run ends, frames a second apart (the animation ends at once).
    fn finish(run: &mut LayoutRun, case: &Case) -> Option<Edit> {
        let ctx = egui::Context::default();
        for frame in 0..2_000 {
            match run.poll(&ctx, f64::from(frame), case) {
                Poll::Running => std::thread::sleep(std::time::Duration::from_millis(5)),
                Poll::Finished(edit, _) => return edit,
                Poll::Failed(message) => panic!("{message}"),
            }
        }
        panic!("the layout did not finish");
    }

    fn moved(edit: Option<&Edit>) -> Vec<(EntityId, NodePosition)> {
        let Some(Edit::SetPositions(moves)) = edit else {
            panic!("expected positions, got {edit:?}");
        };
        moves
            .iter()
            .map(|(id, p)| (id.clone(), p.expect("a position")))
            .collect()
    }

    #[test]
    fn a_finished_layout_leaves_out_entities_deleted_or_pinned_meanwhile() {
        let mut case = crate::seed_case().expect("seed");
        // An entity of its own (nothing names it), to delete while the layout runs.
        let (add, deleted) = crate::edit::new_entity_edit(
            &case,
            crate::model::EntityKind::Person,
            CanvasPoint {
                x: -500.0,
                y: -500.0,
            },
        );
        case.apply(add).expect("added");
        let pinned = case
            .entities
            .keys()
            .find(|id| **id != deleted && !case.positions.get(*id).is_some_and(|p| p.pinned))
            .expect("an unpinned entity")
            .clone();
        // Untouched, the layout moves both.
        let untouched = moved(
            finish(
                &mut LayoutRun::start(LayoutKind::GridByKind, &case, None),
                &case,
            )
            .as_ref(),
        );
        assert!(untouched.iter().any(|(id, _)| *id == deleted));
        assert!(untouched.iter().any(|(id, _)| *id == pinned));

        let mut run = LayoutRun::start(LayoutKind::GridByKind, &case, None);
        // While it runs, one entity is deleted and another pinned.
        case.apply(Edit::remove_many(
            &case,
            &[ItemRef::Entity(deleted.clone())],
        ))
        .expect("deleted");
        let pin = NodePosition {
            x: 12.0,
            y: 34.0,
            pinned: true,
        };
        case.apply(Edit::SetPositions(vec![(pinned.clone(), Some(pin))]))
            .expect("pinned");
        let edit = finish(&mut run, &case);
        let moves = moved(edit.as_ref());
        assert_eq!(moves.len(), untouched.len() - 2);
        assert!(
            moves
                .iter()
                .all(|(id, p)| *id != deleted && *id != pinned && !p.pinned)
        );
        // The edit applies (nothing names a missing entity) and the pinned one stays put.
        case.apply(edit.expect("an edit"))
            .expect("the layout applies");
        assert_eq!(case.positions[&pinned], pin);
    }
}
