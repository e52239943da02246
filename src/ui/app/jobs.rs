//! The app's background jobs, looked at in one place each frame: file choosers, opening,
//! saving, imports, evidence checks (each job's start and end live with its feature: saving in
//! `document.rs`, imports in `import.rs` ...; the job type is `ui::jobs::Job`).

use super::{ChokepointApp, Modal, RunningJob};
use crate::ui::jobs::JobStatus;
use std::time::Duration;

impl ChokepointApp {
    /// Every background job, looked at in one place before anything is drawn: a finished
    /// one is applied first, so panels draw the case as it now is.
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        if let Some((kind, job)) = &self.dialog {
            let (kind, quick) = (*kind, job.elapsed() < Duration::from_millis(700));
            if let Some(end) = job.ended(ctx) {
                self.dialog = None;
                // A chooser that died answered nothing, at once: as a missing one.
                let quick = quick || end.is_none();
                self.dialog_done(ctx, kind, end.flatten(), quick);
            }
        }
        if let Some((path, job)) = &self.loading
            && let Some(end) = job.ended(ctx)
        {
            let path = path.clone();
            self.loading = None;
            match end {
                Some(Ok((case, stamp, bytes))) => {
                    self.finish_open(&path, case, stamp, Some(bytes));
                }
                Some(Err(e)) => {
                    self.error(format!("Could not open: {e}"));
                    self.modal = Some(Modal::Error {
                        title: "Could not open the case".to_owned(),
                        message: format!("{e}\n\nThe case you had open is unchanged."),
                    });
                }
                None => {
                    self.error("Opening stopped unexpectedly; the open case is unchanged");
                }
            }
        }
        self.save_step();
        self.import_step(ctx);
        self.evidence_step(ctx);
    }

    /// The jobs the status bar shows, each with what cancels it (file choosers show
    /// themselves).
    pub(super) fn running_jobs(&self) -> Vec<(JobStatus, Option<RunningJob>)> {
        let mut jobs = Vec::new();
        if let Some((_, job)) = &self.loading {
            jobs.push((job.status(), Some(RunningJob::Opening)));
        }
        if let Some(status) = self.save_status() {
            jobs.push((status, None));
        }
        if let Some(job) = &self.autosave_job {
            jobs.push((job.status(), None));
        }
        if let Some(status) = self.canvas.layout_status() {
            jobs.push((status, Some(RunningJob::Layout)));
        }
        jobs
    }

    pub(super) fn cancel_job(&mut self, which: RunningJob) {
        match which {
            RunningJob::Opening => {
                if let Some((path, _)) = self.loading.take() {
                    // Its thread ends on its own; what it read is dropped.
                    self.info(format!("Stopped opening {}", path.display()));
                }
            }
            RunningJob::Layout => self.canvas.cancel_layout(),
        }
    }
}
