//! Background work, one shape for all of it: a [`Job`] has a name the status bar shows, a
//! [`Progress`] the worker reports to and the user may cancel through, and one result.
//!
//! The app polls every job in one place before it draws (`ChokepointApp::poll_jobs`), so a
//! finished job is applied before any panel reads the case. A job whose worker died without a
//! result (a panic) is reported as [`Poll::Lost`], never waited for forever.

use crate::layout::Progress;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// How often the UI looks at a running job that reports no progress of its own.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// Work running off the UI thread.
pub struct Job<T> {
    name: String,
    started: Instant,
    progress: Arc<Progress>,
    cancellable: bool,
    rx: Receiver<T>,
}

/// What a look at a job found.
pub enum Poll<T> {
    Running,
    Done(T),
    /// The worker stopped without a result (it panicked): the job's work did not happen.
    Lost,
}

/// A running job as the status bar shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct JobStatus {
    pub name: String,
    /// Fraction done, when the worker reports it (`None`: a spinner).
    pub fraction: Option<f32>,
    pub elapsed: Duration,
    /// Whether Cancel is offered (only where stopping leaves nothing half done).
    pub cancellable: bool,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread of its own named after the job (the window looks at it again
    /// every few frames while it runs, see [`Job::poll`]). A job that can be cancelled must
    /// check `Progress` in its loops.
    pub fn spawn(
        name: impl Into<String>,
        cancellable: bool,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Self {
        let name = name.into();
        let progress = Arc::new(Progress::new());
        let (tx, rx) = std::sync::mpsc::channel();
        let worker_progress = Arc::clone(&progress);
        let run = move || {
            let _ = tx.send(work(&worker_progress));
        };
        // When no thread can be had, the receiver's sender is gone and the job polls as lost:
        // the caller reports it like any failed job.
        let _ = std::thread::Builder::new().name(name.clone()).spawn(run);
        Self {
            name,
            started: Instant::now(),
            progress,
            cancellable,
            rx,
        }
    }
}

impl<T: Send + 'static> Job<T> {
    /// [`Job::spawn`], and the window is woken the moment the work ends (rather than at its
    /// next look), for results the user waits to see.
    pub fn spawn_waking(
        ctx: &egui::Context,
        name: impl Into<String>,
        cancellable: bool,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Self {
        let ctx = ctx.clone();
        Self::spawn(name, cancellable, move |progress| {
            let result = work(progress);
            ctx.request_repaint();
            result
        })
    }
}

impl<T> Job<T> {
    /// Looks without waiting. While the job runs, the window is asked to look again soon.
    pub fn poll(&self, ctx: &egui::Context) -> Poll<T> {
        match self.rx.try_recv() {
            Ok(result) => Poll::Done(result),
            Err(TryRecvError::Empty) => {
                ctx.request_repaint_after(POLL_INTERVAL);
                Poll::Running
            }
            Err(TryRecvError::Disconnected) => Poll::Lost,
        }
    }

    /// `None` while the job runs; once it has ended, its result (`None`: lost).
    pub fn ended(&self, ctx: &egui::Context) -> Option<Option<T>> {
        match self.poll(ctx) {
            Poll::Running => None,
            Poll::Done(result) => Some(Some(result)),
            Poll::Lost => Some(None),
        }
    }

    /// Waits for the result (exit, and callers that must have it now); `None` when lost.
    pub fn wait(self) -> Option<T> {
        self.rx.recv().ok()
    }

    /// Time since the job started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Asks the worker to stop (it does at its next check).
    pub fn cancel(&self) {
        self.progress.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.progress.is_cancelled()
    }

    /// The progress, shared, for what outlives the job (a layout's glide after it).
    pub fn shared_progress(&self) -> Arc<Progress> {
        Arc::clone(&self.progress)
    }

    /// The shared progress, for dialogs that draw their own bar.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    pub fn status(&self) -> JobStatus {
        let fraction = self.progress.fraction();
        JobStatus {
            name: self.name.clone(),
            fraction: (fraction > 0.0).then_some(fraction),
            elapsed: self.started.elapsed(),
            cancellable: self.cancellable,
        }
    }
}

/// Polls an optional job: takes it out of `slot` when it has ended and hands back how.
pub fn take_finished<T>(slot: &mut Option<Job<T>>, ctx: &egui::Context) -> Option<Option<T>> {
    let end = slot.as_ref()?.ended(ctx)?;
    *slot = None;
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished<T>(slot: &mut Option<Job<T>>, ctx: &egui::Context) -> Option<T> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(end) = take_finished(slot, ctx) {
                return end;
            }
            assert!(Instant::now() < deadline, "job did not end");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn a_job_gives_its_result_once() {
        let ctx = egui::Context::default();
        let mut slot = Some(Job::spawn("Adding", false, |_| 2 + 2));
        assert_eq!(finished(&mut slot, &ctx), Some(4));
        assert!(slot.is_none());
        assert!(take_finished(&mut slot, &ctx).is_none());
    }

    #[test]
    fn a_worker_that_panics_is_reported_lost() {
        let ctx = egui::Context::default();
        let mut slot = Some(Job::spawn("Failing", false, |_| -> u8 {
            panic!("worker failed")
        }));
        assert_eq!(finished(&mut slot, &ctx), None);
    }

    #[test]
    fn cancel_reaches_the_worker_and_shows_in_the_status() {
        let job = Job::spawn("Counting", true, |p: &Progress| {
            let mut n = 0u64;
            while !p.is_cancelled() {
                n += 1;
                p.set_fraction(0.5);
                std::thread::sleep(Duration::from_millis(1));
            }
            n
        });
        let status = job.status();
        assert_eq!(status.name, "Counting");
        assert!(status.cancellable);
        job.cancel();
        assert!(job.is_cancelled());
        assert!(job.wait().is_some(), "the worker stopped and answered");
    }
}
