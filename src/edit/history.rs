//! Unlimited undo and redo for one editing session, the "unsaved changes" test, and the
//! [`Revision`] that derived data (caches) key on.

use super::{Edit, EditError};
use crate::model::Case;
use std::sync::atomic::{AtomicU64, Ordering};

/// Which case, in which state: derived data (findings, scenes, lists, thumbnails ...) is valid
/// for exactly one. Every `History` is a new case identity (a new, opened, reloaded or
/// recovered case gets a new history), so two cases never share a revision even though each
/// starts counting its edits from zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Revision {
    /// The case's identity: unique to one `History` in this process.
    generation: u64,
    /// Edits, undos and redos applied since the case was opened.
    edits: u64,
}

impl Revision {
    /// Whether both revisions are states of the same open case (perhaps edited since).
    pub fn same_case(self, other: Revision) -> bool {
        self.generation == other.generation
    }
}

/// A state of one case, taken when a background save starts, so that the state it wrote is
/// what counts as saved when it ends (edits made meanwhile stay unsaved).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SavePoint {
    generation: u64,
    state: u64,
}

/// The next case identity; process-wide so no two histories ever share one.
static NEXT_GENERATION: AtomicU64 = AtomicU64::new(1);

struct Step {
    label: String,
    /// The edit that takes the case back across this step.
    inverse: Edit,
    /// The state the case was in on the other side of this step.
    state: u64,
}

/// Undo and redo stacks. Every state of the case gets a number, so returning to the saved state
/// by undo counts as clean again.
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    state: u64,
    next_state: u64,
    saved_state: Option<u64>,
    revision: Revision,
}

impl Default for History {
    fn default() -> Self {
        Self {
            undo: Vec::new(),
            redo: Vec::new(),
            state: 0,
            next_state: 1,
            saved_state: Some(0),
            revision: Revision {
                generation: NEXT_GENERATION.fetch_add(1, Ordering::Relaxed),
                edits: 0,
            },
        }
    }
}

impl History {
    /// Applies `edit` to `case` as one undoable step named `label`.
    pub fn apply(&mut self, case: &mut Case, label: &str, edit: Edit) -> Result<(), EditError> {
        let inverse = case.apply(edit)?;
        self.undo.push(Step {
            label: label.to_owned(),
            inverse,
            state: self.state,
        });
        self.redo.clear();
        self.state = self.next_state;
        self.next_state += 1;
        self.revision.edits += 1;
        Ok(())
    }

    /// Undoes the last step; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self, case: &mut Case) -> Result<Option<String>, EditError> {
        let label = Self::cross(case, &mut self.undo, &mut self.redo, &mut self.state)?;
        self.revision.edits += u64::from(label.is_some());
        Ok(label)
    }

    /// Redoes the last undone step; returns its label, or `None` when there is nothing to redo.
    pub fn redo(&mut self, case: &mut Case) -> Result<Option<String>, EditError> {
        let label = Self::cross(case, &mut self.redo, &mut self.undo, &mut self.state)?;
        self.revision.edits += u64::from(label.is_some());
        Ok(label)
    }

    fn cross(
        case: &mut Case,
        from: &mut Vec<Step>,
        to: &mut Vec<Step>,
        state: &mut u64,
    ) -> Result<Option<String>, EditError> {
        let Some(step) = from.pop() else {
            return Ok(None);
        };
        match case.apply(step.inverse.clone()) {
            Ok(back) => {
                to.push(Step {
                    label: step.label.clone(),
                    inverse: back,
                    state: *state,
                });
                *state = step.state;
                Ok(Some(step.label))
            }
            Err(e) => {
                // Cannot happen while every change goes through `apply`; keep the step so
                // nothing is lost, and report.
                from.push(step);
                Err(e)
            }
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// Number of steps that can be undone.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// The case's identity and its state, moved on by every change, undo and redo: derived
    /// data keys on it.
    pub fn revision(&self) -> Revision {
        self.revision
    }

    /// Whether the case differs from what was last saved (or was never saved).
    pub fn is_dirty(&self) -> bool {
        self.saved_state != Some(self.state)
    }

    /// Records that the case as it is now is not what is on disk (e.g. restored from an
    /// autosave), so it counts as unsaved until saved.
    pub fn mark_unsaved(&mut self) {
        self.saved_state = None;
    }

    /// Records that the case as it is now has been saved.
    pub fn mark_saved(&mut self) {
        self.saved_state = Some(self.state);
    }

    /// The case's state now, for [`History::mark_saved_at`] once a save of it has ended.
    pub fn save_point(&self) -> SavePoint {
        SavePoint {
            generation: self.revision.generation,
            state: self.state,
        }
    }

    /// Records that the case was saved as it was at `point`: clean if it is still (or again)
    /// in that state, unsaved if it was edited since. A point of another case changes nothing.
    /// Returns whether the point was this case's.
    pub fn mark_saved_at(&mut self, point: SavePoint) -> bool {
        if point.generation != self.revision.generation {
            return false;
        }
        self.saved_state = Some(point.state);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Entity, EntityKind};

    #[test]
    fn undo_back_to_saved_state_is_clean() {
        let mut case = Case::default();
        let mut history = History::default();
        assert!(!history.is_dirty());
        let e = Entity::new("e-a", EntityKind::Person, "A");
        history
            .apply(&mut case, "Add A", Edit::Insert(e.into()))
            .expect("valid");
        assert!(history.is_dirty());
        assert_eq!(history.undo(&mut case), Ok(Some("Add A".to_owned())));
        assert!(!history.is_dirty());
        assert!(case.entities.is_empty());
        history.redo(&mut case).expect("redo");
        assert!(history.is_dirty());
        assert_eq!(case.entities.len(), 1);
        history.mark_saved();
        assert!(!history.is_dirty());
        history.undo(&mut case).expect("undo");
        assert!(history.is_dirty());
    }

    #[test]
    fn a_save_that_ends_after_more_edits_leaves_those_unsaved() {
        let mut case = Case::default();
        let mut history = History::default();
        let add = |h: &mut History, c: &mut Case, id: &str| {
            let e = Entity::new(id, EntityKind::Person, id);
            h.apply(c, "Add", Edit::Insert(e.into())).expect("valid");
        };
        add(&mut history, &mut case, "e-a");
        let point = history.save_point();
        add(&mut history, &mut case, "e-b");
        assert!(history.mark_saved_at(point));
        assert!(history.is_dirty(), "e-b came after the snapshot");
        history.undo(&mut case).expect("undo");
        assert!(!history.is_dirty(), "back at what was written");
        // A point of another case (the window opened another meanwhile) changes nothing.
        let mut other = History::default();
        add(&mut other, &mut case, "e-c");
        assert!(!other.mark_saved_at(point));
        assert!(other.is_dirty());
    }

    #[test]
    fn each_history_is_a_case_of_its_own() {
        let mut case = Case::default();
        let mut a = History::default();
        let b = History::default();
        assert_ne!(
            a.revision(),
            b.revision(),
            "two fresh cases never share a revision"
        );
        assert!(!a.revision().same_case(b.revision()));
        let before = a.revision();
        let e = Entity::new("e-a", EntityKind::Person, "A");
        a.apply(&mut case, "Add A", Edit::Insert(e.into()))
            .expect("valid");
        assert_ne!(a.revision(), before);
        assert!(a.revision().same_case(before));
        a.undo(&mut case).expect("undo");
        assert_ne!(a.revision(), before, "undo is a new state for caches too");
    }

    #[test]
    fn nothing_to_undo_is_not_an_error() {
        let mut case = Case::default();
        let mut history = History::default();
        assert_eq!(history.undo(&mut case), Ok(None));
        assert_eq!(history.redo(&mut case), Ok(None));
    }
}
