//! The document's life: opening (off the UI thread), the file lock, saving a snapshot off the
//! UI thread, merging what another program saved, autosave and crash recovery.
//!
//! Saving never freezes the window: the case is copied as it is (one clone), stamped, and
//! written by a [`Job`]; edits made while it writes stay unsaved. One save runs at a time; a
//! save asked for meanwhile runs when it ends, with the lock and file stamp it left. New,
//! Open and Quit asked for during a save wait for it.

use super::status_bar::human_duration;
use super::{ChokepointApp, DialogKind, Guarded, Modal, bundle};
use crate::edit::{Edit, History, SavePoint, plan_merge};
use crate::io::lock::{CaseLock, LockError};
use crate::io::{
    FileStamp, LoadError, RealDisk, SaveError, case_to_ron, load_case, load_case_stamped,
    write_atomic, write_atomic_via,
};
use crate::model::{Case, Timestamp};
use crate::ui::jobs::{Job, take_finished};
use crate::ui::panels::evidence::EvidencePanel;
use crate::ui::panels::inspector::Inspector;
use crate::ui::panels::list::ItemList;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A save being written off the UI thread, and what it was asked with.
pub(super) struct SaveJob {
    job: Job<SaveOutcome>,
    ticket: SaveTicket,
}

struct SaveTicket {
    path: PathBuf,
    /// The state written: it counts as saved when the job ends.
    point: SavePoint,
    /// What the user asked to do once saved (New, Open, Quit, or what needed a file).
    then: Option<Guarded>,
    /// Save was asked again while this one ran (the latest changes, to this path).
    again: Option<PathBuf>,
}

struct SaveOutcome {
    written: Result<Written, SaveError>,
    /// The lock taken for a file new to this window (Save as…), handed back to become its own.
    new_lock: Option<Arc<CaseLock>>,
}

struct Written {
    /// The file's text: the base of the next three-way merge.
    text: String,
    stamp: Option<FileStamp>,
    /// When the file says it was written.
    modified: Timestamp,
}

/// The case as last read from or written to its file: the base of a three-way merge with
/// what another program saved there since. After a save or an open it is the file's text,
/// not a second copy of the case: copying a large case would stall the window, and the
/// text is smaller than the case in memory; it is parsed only for a merge.
pub(super) enum DiskBase {
    Case(Arc<Case>),
    Text(Vec<u8>),
}

impl DiskBase {
    /// The base case (`None`: the text no longer parses, which would be a bug: we wrote it).
    fn case(&self) -> Option<Case> {
        match self {
            DiskBase::Case(case) => Some(Case::clone(case)),
            DiskBase::Text(bytes) => crate::io::parse_case_bytes(bytes).ok(),
        }
    }
}

impl SaveJob {
    /// Goes on with `action` once saved (the last one asked wins).
    pub(super) fn then_once_saved(&mut self, action: Guarded) {
        self.ticket.then = Some(action);
    }
}

/// Encodes and writes `snapshot` (on a job's thread), under the window's lock if it has one.
fn write_snapshot(
    path: &Path,
    snapshot: Arc<Case>,
    modified: Timestamp,
    lock: Option<&CaseLock>,
) -> Result<Written, SaveError> {
    let text = crate::io::case_to_ron_modified(&snapshot, modified)?;
    // The window's next edit need not copy the case because this job still shares it.
    drop(snapshot);
    match lock {
        Some(lock) => crate::io::write_atomic_locked(path, text.as_bytes(), lock)?,
        None => write_atomic(path, text.as_bytes())?,
    }
    let stamp = std::fs::metadata(path)
        .ok()
        .map(|meta| FileStamp::of_bytes(text.as_bytes(), &meta));
    Ok(Written {
        text,
        stamp,
        modified,
    })
}

/// Frees a large value (a replaced case) on a thread of its own: freeing a case of 100 000
/// entities takes longer than a frame.
fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("dropping".to_owned())
        .spawn(move || drop(value));
}

/// A file's name for the status bar.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

impl ChokepointApp {
    pub(super) fn replace_case(&mut self, case: Case, path: Option<PathBuf>) {
        // The changes in the old document were saved or knowingly discarded.
        self.remove_recovery_file();
        self.disk_stamp = None;
        self.disk_base = None;
        self.autosaved_revision = None;
        self.history = History::default();
        let old = std::mem::replace(&mut self.case, Arc::new(case));
        drop_in_background(old);
        self.path = path;
        self.case_lock = None;
        self.read_only = None;
        self.selection = None;
        self.inspector = Inspector::default();
        self.list = ItemList::default();
        // What the locker had open (a draft, a preview, the item new evidence would support)
        // named the other case's items.
        self.evidence = EvidencePanel::default();
        self.canvas.reset();
        self.integrity.reset();
        self.last_saved = None;
        self.start_page = None;
    }

    /// Opens a case file on a background thread; the UI stays responsive on large files.
    pub fn start_loading(&mut self, ctx: &egui::Context, path: PathBuf) {
        if bundle::is_bundle(&path) {
            self.start_bundle_open(path);
            return;
        }
        let p = path.clone();
        let job = Job::spawn_waking(
            ctx,
            format!("Opening {}", file_name(&path)),
            true,
            move |_| crate::io::load_case_with_bytes(&p).map(|(c, s, b)| (as_opened(c), s, b)),
        );
        self.info(format!("Opening {}…", path.display()));
        self.loading = Some((path, job));
        ctx.request_repaint();
    }

    /// Opens a case file and waits for it (CLI-like paths and tests).
    pub fn open_now(&mut self, path: &Path) -> Result<(), LoadError> {
        let (case, stamp, bytes) = crate::io::load_case_with_bytes(path)?;
        self.finish_open(path, as_opened(case), stamp, Some(bytes));
        Ok(())
    }

    pub(super) fn finish_open(
        &mut self,
        path: &Path,
        case: Case,
        stamp: Option<FileStamp>,
        bytes: Option<Vec<u8>>,
    ) {
        let counts = case.counts();
        self.replace_case(case, Some(path.to_owned()));
        self.disk_base = match (&stamp, bytes) {
            (None, _) => None,
            (Some(_), Some(bytes)) => Some(DiskBase::Text(bytes)),
            (Some(_), None) => Some(DiskBase::Case(Arc::clone(&self.case))),
        };
        self.disk_stamp = stamp;
        self.claim_case_file();
        self.offer_recovery();
        self.remember_recent(path);
        let placed = self.place_unplaced_entities();
        match &self.read_only {
            None => self.info(format!("Opened {} ({counts}){placed}", path.display())),
            Some(_) => self.error(format!(
                "Opened {} read-only: it is open in another window{placed}",
                path.display()
            )),
        }
    }

    /// Gives every entity without a stored place the place it is drawn at (below the placed
    /// ones), as one undoable step, so nothing moves when another node is dragged. Files
    /// written by older versions, other tools or by hand may lack places. Returns what to add
    /// to the status message.
    pub(super) fn place_unplaced_entities(&mut self) -> String {
        let ids: Vec<crate::model::EntityId> = self
            .case
            .entities
            .keys()
            .filter(|id| !self.case.positions.contains_key(*id))
            .cloned()
            .collect();
        let places = crate::layout::picture::places_for(&self.case, &ids, None);
        if places.is_empty() {
            return String::new();
        }
        let n = places.len();
        let label = format!(
            "Place {n} entit{} that had no saved place",
            if n == 1 { "y" } else { "ies" }
        );
        if self.apply_edit(&label, Edit::SetPositions(places)) {
            if !self.case.base.is_empty() {
                // The places given on opening are part of the version opened: every copy
                // opened from this file gets the same ones.
                let case = Arc::make_mut(&mut self.case);
                for id in ids {
                    let item = crate::model::ItemRef::Entity(id);
                    if let Some(f) = crate::edit::fingerprint(case, &item) {
                        case.base.insert(crate::edit::base_key(&item), f);
                    }
                }
            }
            format!(
                "; {n} entit{} had no saved place and now stay where they are drawn (Undo takes it back; Save keeps it)",
                if n == 1 { "y" } else { "ies" }
            )
        } else {
            String::new()
        }
    }

    /// Takes the lock on the open case's file, or, when another window holds it, opens the
    /// case read-only and says so.
    pub(super) fn claim_case_file(&mut self) {
        use crate::io::lock::{CaseLock, LockError};
        self.case_lock = None;
        self.read_only = None;
        let Some(path) = self.path.clone() else {
            return;
        };
        match CaseLock::open_session(&path) {
            Ok(lock) => self.case_lock = Some(Arc::new(lock)),
            Err(LockError::Held { owner }) => {
                if self.screenshot.is_none() {
                    self.modal = Some(Modal::Error {
                        title: "Opened read-only".to_owned(),
                        message: format!(
                            "{} is open in another Chokepoint window ({owner}).\n\nIt was opened \
                             read-only here: you can read it and try changes, but Save will not \
                             write over it. Use Save as… to keep your changes in another file.",
                            path.display()
                        ),
                    });
                }
                self.read_only = Some(owner);
            }
            // No lock to be had (a read-only folder, a file system without locks): saving
            // says what is wrong if it cannot write.
            Err(LockError::Unavailable(_)) => {}
        }
    }

    /// Whether the case was opened read-only because another window has it open.
    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    /// Saves to the case's file, or asks where when it has none. The file is written off the
    /// UI thread: returns whether a save started (or will, once the running one ends).
    pub fn save(&mut self) -> bool {
        self.commit_pending();
        self.save_or_ask(None)
    }

    /// Saves, then goes on with `then` (the "Save changes?" question's Save).
    pub(super) fn save_then(&mut self, then: Guarded) {
        self.save_or_ask(Some(then));
    }

    /// Saves to the case's file, then `then`; with no file yet, asks where first (and goes on
    /// with `then` once saved there).
    fn save_or_ask(&mut self, then: Option<Guarded>) -> bool {
        // During a save, "the case's file" is the one being written (it may be a Save as…).
        let path = match &self.saving {
            Some(running) => Some(running.ticket.path.clone()),
            None => self.path.clone(),
        };
        if let Some(path) = path {
            self.start_save(&path, then)
        } else {
            if then.is_some() {
                self.after_save = then;
            }
            self.spawn_dialog(DialogKind::SaveAs);
            false
        }
    }

    /// A save refused before anything was written: the dialog and the status bar say why.
    fn refuse_save(&mut self, title: &str, message: String) {
        self.modal = Some(Modal::Error {
            title: title.to_owned(),
            message: message.clone(),
        });
        self.error(message);
    }

    /// Saves to `path` and waits until it is written (tests and scripts; the window uses
    /// `save`). Returns whether it saved. On failure the open case and the file on disk are
    /// both unchanged.
    pub fn save_to(&mut self, path: &Path) -> bool {
        self.commit_pending();
        self.wait_for_save();
        self.start_save(path, None) && self.wait_for_save()
    }

    /// Whether a save is being written.
    pub fn is_saving(&self) -> bool {
        self.saving.is_some()
    }

    /// The save being written, as the status bar shows it.
    pub(super) fn save_status(&self) -> Option<crate::ui::jobs::JobStatus> {
        self.saving.as_ref().map(|s| s.job.status())
    }

    /// Waits for the running save, if any, and applies its end; whether it saved.
    pub(super) fn wait_for_save(&mut self) -> bool {
        let Some(SaveJob { job, ticket }) = self.saving.take() else {
            return false;
        };
        let outcome = job.wait();
        self.save_done(ticket, outcome)
    }

    /// Starts saving to `path`. If the file changed on disk since it was read, nothing is
    /// written: the user chooses. Returns whether a save started.
    pub(super) fn start_save(&mut self, path: &Path, then: Option<Guarded>) -> bool {
        if let Some(running) = &mut self.saving {
            // One at a time: the lock and stamp this one leaves decide the next.
            running.ticket.again = Some(path.to_owned());
            if then.is_some() {
                running.ticket.then = then;
            }
            self.info("Saving… the latest changes are saved when this save ends");
            return true;
        }
        let same_file = self.path.as_deref() == Some(path);
        if same_file
            && let Some(stamp) = &self.disk_stamp
            && path.exists()
            && !stamp.still_matches(path)
        {
            self.modal = Some(Modal::Conflict {
                path: path.to_owned(),
            });
            self.error("The file changed on disk: not saved yet");
            return false;
        }
        self.start_write(path, then)
    }

    /// Writes the case to `path` in the background, over whatever is there (its checks
    /// against another window's lock still hold).
    pub(super) fn start_write(&mut self, path: &Path, then: Option<Guarded>) -> bool {
        let opened_read_only = self.read_only.as_ref().filter(|_| {
            self.path
                .as_deref()
                .is_some_and(|p| p == path || crate::io::input::same_file(p, path))
        });
        if let Some(owner) = opened_read_only {
            let message = format!(
                "{} is open in another Chokepoint window ({owner}) and was opened read-only \
                 here: it was not written. Use Save as… to keep your changes in another file.",
                path.display()
            );
            self.refuse_save("Read-only: not saved", message);
            return false;
        }
        // Saving somewhere new (Save as…): that file becomes this window's, so its lock is
        // taken first; a file open in another window is refused.
        let new_lock = match &self.case_lock {
            Some(lock) if lock.covers(path) => None,
            _ => match CaseLock::open_session(path) {
                Ok(lock) => Some(Arc::new(lock)),
                Err(LockError::Held { owner }) => {
                    let message = format!(
                        "{} is open in another Chokepoint window ({owner}): not written. Close \
                         it there first, or save under another name.",
                        path.display()
                    );
                    self.refuse_save("Could not save", message);
                    return false;
                }
                Err(LockError::Unavailable(_)) => None,
            },
        };
        // Shared, not copied: an edit made while the job writes copies the case then. The
        // file says when it was written; the shared case is not changed for that.
        let snapshot = Arc::clone(&self.case);
        let modified = Timestamp::now();
        let lock = new_lock.clone().or_else(|| self.case_lock.clone());
        let target = path.to_owned();
        let job = Job::spawn_waking(
            &self.ctx,
            format!("Saving {}", file_name(path)),
            false,
            move |_| SaveOutcome {
                written: write_snapshot(&target, snapshot, modified, lock.as_deref()),
                new_lock,
            },
        );
        self.saving = Some(SaveJob {
            job,
            ticket: SaveTicket {
                path: path.to_owned(),
                point: self.history.save_point(),
                then,
                again: None,
            },
        });
        self.ctx.request_repaint();
        true
    }

    /// Collects a finished save (polled before the frame is drawn).
    pub(super) fn save_step(&mut self) {
        let Some(running) = &self.saving else {
            return;
        };
        let Some(end) = running.job.ended(&self.ctx) else {
            return;
        };
        if let Some(SaveJob { ticket, .. }) = self.saving.take() {
            self.save_done(ticket, end);
        }
    }

    /// Applies the end of a save: marks what was written as saved, takes the file's new
    /// stamp and lock, and goes on with what waited for it. Returns whether it saved.
    fn save_done(&mut self, ticket: SaveTicket, outcome: Option<SaveOutcome>) -> bool {
        let SaveTicket {
            path,
            point,
            then,
            again,
        } = ticket;
        let Some(SaveOutcome { written, new_lock }) = outcome else {
            let message = "Saving stopped unexpectedly. The case is still open and nothing \
                           was lost; the file on disk is either the old case or the new one, \
                           complete. Try again, or Save as… to another place.";
            self.modal = Some(Modal::Error {
                title: "Could not save".to_owned(),
                message: message.to_owned(),
            });
            self.error("Not saved: saving stopped unexpectedly");
            return false;
        };
        let Written {
            text,
            stamp,
            modified,
        } = match written {
            Ok(w) => w,
            Err(e) => {
                self.modal = Some(Modal::Error {
                    title: "Could not save".to_owned(),
                    message: format!(
                        "{e}\n\nThe case is still open and nothing was lost. Try Save as… to another place."
                    ),
                });
                self.error(format!("Not saved: {e}"));
                return false;
            }
        };
        if !self.history.mark_saved_at(point) {
            // Another case was opened meanwhile: the file is written, nothing here changes.
            self.info(format!("Saved {}", path.display()));
            return true;
        }
        // The case says when it was saved, as its file does; not if that would mean copying
        // it (an autosave still reads it): the next save writes the time anyway.
        if let Some(case) = Arc::get_mut(&mut self.case) {
            case.meta.modified = modified;
        }
        if !self.is_dirty() {
            // (While read-only, the recovery file beside the old path is not ours.)
            self.remove_recovery_file();
        }
        self.path = Some(path.clone());
        if let Some(lock) = new_lock {
            self.case_lock = Some(lock);
            self.read_only = None;
        }
        self.disk_stamp = stamp;
        let old = self.disk_base.replace(DiskBase::Text(text.into_bytes()));
        drop_in_background(old);
        self.remember_recent(&path);
        self.last_saved = Some(Instant::now());
        self.info(format!("Saved {}", path.display()));
        if let Some(again) = again
            && self.is_dirty()
        {
            self.start_save(&again, then);
        } else if let Some(next) = then {
            let ctx = self.ctx.clone();
            if next.replaces_case() {
                // Asked again if it was edited while saving.
                self.guard(&ctx, next);
            } else {
                self.perform(&ctx, next);
            }
        }
        true
    }

    /// Merges what another program saved into the open case (three-way, item by item), as
    /// one undoable step. Where both changed the same item, ours is kept and reported.
    pub fn merge_from_disk(&mut self, path: &Path) {
        let (theirs, stamp) = match load_case_stamped(path) {
            Ok(x) => x,
            Err(e) => {
                self.modal = Some(Modal::Error {
                    title: "Could not read the file on disk".to_owned(),
                    message: e.to_string(),
                });
                return;
            }
        };
        let base = self
            .disk_base
            .as_ref()
            .and_then(DiskBase::case)
            .unwrap_or_else(|| Case::clone(&self.case));
        let plan = plan_merge(&base, &self.case, &theirs);
        match self.history.apply(
            Arc::make_mut(&mut self.case),
            "Merge changes from disk",
            plan.edit,
        ) {
            Ok(()) => {
                self.disk_stamp = stamp;
                self.disk_base = Some(DiskBase::Case(Arc::new(theirs)));
                let mut message = format!(
                    "Merged {} change(s) from disk; save to keep the result",
                    plan.taken_from_theirs
                );
                if !plan.conflicts.is_empty() {
                    let names: Vec<&str> = plan
                        .conflicts
                        .iter()
                        .take(5)
                        .map(|c| c.label.as_str())
                        .collect();
                    message = format!(
                        "{message}. {} item(s) changed on both sides kept your version: {}",
                        plan.conflicts.len(),
                        names.join(", ")
                    );
                }
                self.info(message);
            }
            Err(e) => {
                self.modal = Some(Modal::Error {
                    title: "Could not merge automatically".to_owned(),
                    message: format!(
                        "{e}\n\nYour case is unchanged. Use Save as… to keep both versions."
                    ),
                });
            }
        }
    }

    // ---- autosave and recovery -----------------------------------------------------------------

    /// Where unsaved changes are autosaved: beside the case file, or in the app's data folder
    /// for a case that was never saved.
    pub fn recovery_path(&self) -> Option<PathBuf> {
        if self.read_only.is_some() {
            // The recovery file beside the case is the other window's.
            return None;
        }
        match &self.path {
            Some(path) => {
                let name = path.file_name()?.to_string_lossy().into_owned();
                Some(path.with_file_name(format!(".{name}.recovery")))
            }
            None => eframe::storage_dir("chokepoint").map(|d| d.join("unsaved-case.ron.recovery")),
        }
    }

    pub(super) fn remove_recovery_file(&mut self) {
        if let Some(p) = self.recovery_path() {
            let _ = std::fs::remove_file(p);
        }
    }

    /// After opening, offers a recovery file newer than the case file (left by a crash).
    pub(super) fn offer_recovery(&mut self) {
        let Some(recovery) = self.recovery_path() else {
            return;
        };
        let Ok(recovered_at) = std::fs::metadata(&recovery).and_then(|m| m.modified()) else {
            return;
        };
        let case_time = self
            .path
            .as_ref()
            .and_then(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        if case_time.is_some_and(|t| t > recovered_at) {
            return; // Saved after the autosave: nothing newer to recover.
        }
        let secs = recovered_at
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let ago = recovered_at.elapsed().unwrap_or_default();
        self.modal = Some(Modal::Restore {
            recovery,
            saved: format!(
                "at {} ({} ago)",
                Timestamp::from_unix(i64::try_from(secs).unwrap_or(0)),
                human_duration(ago)
            ),
        });
    }

    pub(super) fn restore_recovery(&mut self, recovery: &Path) {
        match load_case(recovery) {
            Ok(case) => {
                // Same document, newer content: keep the path and the disk stamp, mark unsaved.
                drop_in_background(std::mem::replace(&mut self.case, Arc::new(case)));
                self.history = History::default();
                self.history.mark_unsaved();
                self.selection = None;
                self.inspector = Inspector::default();
                self.evidence = EvidencePanel::default();
                let placed = self.place_unplaced_entities();
                self.info(format!(
                    "Restored unsaved changes from the recovery file: save to keep them{placed}"
                ));
            }
            Err(e) => {
                self.modal = Some(Modal::Error {
                    title: "Could not restore".to_owned(),
                    message: format!("{e}\n\nThe recovery file was left in place."),
                });
            }
        }
    }

    /// Writes unsaved changes to the recovery file every few seconds and when the window loses
    /// focus, on a background thread so the UI never waits for the disk.
    pub fn autosave_step(&mut self, ctx: &egui::Context) {
        if let Some(end) = take_finished(&mut self.autosave_job, ctx) {
            match end {
                Some(Ok(())) => {}
                Some(Err(e)) => self.error(format!("Autosave failed: {e}")),
                None => self.error("Autosave stopped unexpectedly; it is tried again"),
            }
        }
        if self.autosave_job.is_some() {
            return;
        }
        let interval = self.settings.autosave_seconds;
        // (A save being written will leave nothing to recover.)
        if interval == 0
            || self.saving.is_some()
            || !self.is_dirty()
            || Some(self.history.revision()) == self.autosaved_revision
        {
            return;
        }
        let focus_lost = ctx.input(|i| {
            i.events
                .iter()
                .any(|e| matches!(e, egui::Event::WindowFocused(false)))
        });
        let due = Duration::from_secs(interval);
        let elapsed = self.last_autosave.elapsed();
        if !focus_lost && elapsed < due {
            ctx.request_repaint_after(due.saturating_sub(elapsed));
            return;
        }
        self.autosave_now(ctx);
    }

    /// Starts an autosave now. Returns at once; the file is written on a background thread.
    pub fn autosave_now(&mut self, ctx: &egui::Context) {
        let Some(recovery) = self.recovery_path() else {
            return;
        };
        if let Some(dir) = recovery.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        // Shared, not copied (see `start_write`).
        let case = Arc::clone(&self.case);
        self.autosave_job = Some(Job::spawn("Autosaving", false, move |_| {
            case_to_ron(&case)
                .and_then(|text| write_atomic_via(&RealDisk, &recovery, text.as_bytes(), false))
                .map_err(|e| e.to_string())
        }));
        self.autosaved_revision = Some(self.history.revision());
        self.last_autosave = Instant::now();
        ctx.request_repaint();
    }

    /// Whether an autosave is still being written (for tests).
    pub fn autosave_pending(&self) -> bool {
        self.autosave_job.is_some()
    }
}

/// A case as the app opens it: it remembers what each item was in the version opened
/// ([`Case::base`]), so a colleague merging the copy saved from it can tell one-sided edits and
/// deletions from conflicts.
pub(super) fn as_opened(mut case: Case) -> Case {
    case.base = crate::edit::fingerprints(&case);
    case
}
