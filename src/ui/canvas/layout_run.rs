//! A layout running off the UI thread, then animated into place. The result becomes one
//! `SetPositions` edit (one undo step) only when the animation ends; Esc cancels either phase
//! and leaves the case untouched.

use crate::edit::Edit;
use crate::layout::{self, LayoutGraph, LayoutKind, Progress};
use crate::model::{CanvasPoint, Case, EntityId, ItemRef};
use egui::{Pos2, Rect, Ui, pos2, vec2};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// Seconds the nodes take to glide to their new places.
const ANIMATION_SECONDS: f64 = 0.6;

type Outcome = Result<Vec<(EntityId, CanvasPoint)>, layout::Cancelled>;

enum Phase {
    Computing(Receiver<Outcome>),
    Animating {
        start: f64,
        moves: Vec<(EntityId, CanvasPoint)>,
        targets: HashMap<EntityId, (Pos2, Pos2)>,
    },
}

pub struct LayoutRun {
    kind: LayoutKind,
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
        let progress = Arc::new(Progress::new());
        let (tx, rx) = channel();
        let worker_progress = Arc::clone(&progress);
        let worker_tx = tx.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("layout {}", kind.label()))
            .spawn(move || {
                let result = layout::compute(kind, &graph, &worker_progress);
                let _ = worker_tx.send(result);
            });
        if spawned.is_err() {
            // Without a thread, compute here: slower to start but still correct.
            let graph = LayoutGraph::from_case(case, only);
            let _ = tx.send(layout::compute(kind, &graph, &progress));
        }
        Self {
            kind,
            progress,
            phase: Phase::Computing(rx),
            origins,
            cancelled: false,
            t: 0.0,
        }
    }

    pub fn cancel(&self) {
        self.progress.cancel();
    }

    fn label(&self) -> String {
        format!("Layout: {}", self.kind.label())
    }

    /// Advances the run; the caller applies the edit of a finished run.
    pub fn poll(&mut self, now: f64) -> Poll {
        if self.progress.is_cancelled() && !self.cancelled {
            self.cancelled = true;
            if matches!(self.phase, Phase::Animating { .. }) {
                return Poll::Finished(None, self.label());
            }
        }
        match &mut self.phase {
            Phase::Computing(rx) => match rx.try_recv() {
                Ok(Ok(moves)) => {
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
                Ok(Err(layout::Cancelled)) => Poll::Finished(None, self.label()),
                Err(TryRecvError::Empty) => Poll::Running,
                Err(TryRecvError::Disconnected) => {
                    Poll::Failed(format!("{} stopped unexpectedly", self.label()))
                }
            },
            Phase::Animating { start, moves, .. } => {
                #[allow(clippy::cast_possible_truncation)]
                let t = (((now - *start) / ANIMATION_SECONDS) as f32).clamp(0.0, 1.0);
                self.t = 1.0 - (1.0 - t).powi(3);
                if t < 1.0 {
                    return Poll::Running;
                }
                let edit = (!moves.is_empty()).then(|| layout::positions_edit(moves));
                Poll::Finished(edit, self.label())
            }
        }
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
