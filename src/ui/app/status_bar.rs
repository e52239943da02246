//! The status bar: the case's marking and counts, evidence problems, running jobs with their
//! progress and Cancel, whether the case is saved, and the latest message.

use super::{ChokepointApp, RunningJob, Status, StatusKind};
use crate::ui::jobs::JobStatus;
use crate::ui::theme;
use egui::{RichText, Ui};
use std::time::Duration;

impl ChokepointApp {
    pub(super) fn status_bar_ui(&mut self, ui: &mut Ui) {
        let dark = ui.visuals().dark_mode;
        ui.horizontal(|ui| {
            let (bg, fg) = theme::tlp_colors(self.case.meta.marking);
            ui.label(
                RichText::new(format!(" {} ", self.case.meta.marking.label()))
                    .background_color(bg)
                    .color(fg)
                    .strong(),
            )
            .on_hover_text(self.case.meta.marking.meaning());
            ui.separator();
            ui.label(self.case.counts().to_string());
            ui.separator();
            self.evidence_status_ui(ui);
            let jobs = self.running_jobs();
            let mut cancel = None;
            for (status, which) in &jobs {
                if let Some(which) = job_ui(ui, status, *which) {
                    cancel = Some(which);
                }
            }
            if let Some(which) = cancel {
                self.cancel_job(which);
            }
            if self.loading.is_some() || self.is_saving() {
                // The job says what happens to the case.
            } else if self.is_dirty() {
                ui.colored_label(theme::warning_color(dark), "● Unsaved changes");
            } else if let Some(at) = self.last_saved {
                ui.label(format!("Saved {} ago", human_duration(at.elapsed())));
            } else {
                ui.label("No unsaved changes");
            }
            if let Some(Status { message, kind, .. }) = self.shown_status() {
                ui.separator();
                let color = match kind {
                    StatusKind::Error => theme::error_color(dark),
                    StatusKind::Info => ui.visuals().text_color(),
                };
                ui.add(egui::Label::new(RichText::new(message).color(color)).truncate());
            }
            if let Some(notice) = &self.font_notice {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    ui.colored_label(theme::warning_color(dark), format!("⚠ {notice}"));
                });
            }
        });
    }
}

/// One running job in the status bar: a spinner or its progress, its name, and Cancel where
/// stopping it is safe. Returns the job to cancel when Cancel was clicked.
fn job_ui(ui: &mut Ui, status: &JobStatus, which: Option<RunningJob>) -> Option<RunningJob> {
    ui.separator();
    match status.fraction {
        Some(f) => {
            ui.add(
                egui::ProgressBar::new(f)
                    .desired_width(80.0)
                    .show_percentage(),
            );
        }
        None => {
            ui.spinner();
        }
    }
    let mut text = format!("{}…", status.name);
    if status.elapsed >= Duration::from_secs(2) {
        text = format!("{text} {}", human_duration(status.elapsed));
    }
    ui.label(text);
    let which = which.filter(|_| status.cancellable)?;
    ui.small_button("Cancel")
        .on_hover_text(format!("Stop: {}; the case is not changed", status.name))
        .clicked()
        .then_some(which)
}

pub(super) fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s < 60 {
        format!("{s} s")
    } else if s < 3600 {
        format!("{} min", s / 60)
    } else {
        format!("{} h", s / 3600)
    }
}
