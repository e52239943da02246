//! Checking evidence files against their hashes off the UI thread, and the banner that says
//! what is missing or changed.

use crate::edit::Revision;
use crate::io::evidence::{self as locker, Integrity, IntegrityReport};
use crate::model::{Case, Evidence, EvidenceId, ItemRef, Timestamp};
use crate::ui::action::Action;
use crate::ui::jobs::{Job, Poll};
use crate::ui::theme;
use egui::{RichText, Ui};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What identifies the files to check: the case folder and each file item's path and hash.
pub(super) type WatchKey = (Option<PathBuf>, Vec<(EvidenceId, String, String, u64)>);

/// Checks evidence files against their hashes on a background thread whenever the case is
/// opened, its evidence files change, or the user asks; keeps the latest reports.
#[derive(Default)]
pub struct IntegrityWatch {
    pub(super) key: Option<WatchKey>,
    pub(super) seen_revision: Option<Revision>,
    pub(super) reports: BTreeMap<EvidenceId, Integrity>,
    pub(super) job: Option<(WatchKey, Job<Vec<IntegrityReport>>)>,
    pub(super) force: bool,
    /// File items that could not be checked because the case has no folder yet.
    pub unchecked: usize,
    /// When the last check finished.
    pub checked_at: Option<Timestamp>,
}

impl IntegrityWatch {
    /// Asks for a fresh check on the next refresh.
    pub fn recheck(&mut self) {
        self.force = true;
    }

    /// Forgets everything (a new case was opened).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Whether a check is running.
    pub fn pending(&self) -> bool {
        self.job.is_some()
    }

    pub fn status(&self, id: &EvidenceId) -> Option<&Integrity> {
        self.reports.get(id)
    }

    /// Evidence items whose files failed the check, in id order.
    pub fn problems(&self) -> Vec<(&EvidenceId, &Integrity)> {
        self.reports.iter().filter(|(_, s)| !s.is_ok()).collect()
    }

    /// Collects a finished check and starts a new one when the files or the folder changed.
    /// Cheap when nothing changed: the case is only looked at when `revision` moves.
    pub fn refresh(
        &mut self,
        ctx: &egui::Context,
        case: &Case,
        folder: Option<&Path>,
        revision: Revision,
    ) {
        if let Some((key, job)) = &self.job {
            match job.poll(ctx) {
                Poll::Done(reports) => {
                    if self.key.as_ref() == Some(key) {
                        self.reports = reports
                            .into_iter()
                            .map(|r| (r.evidence, r.status))
                            .collect();
                        self.checked_at = Some(Timestamp::now());
                    }
                    self.job = None;
                }
                Poll::Running => {}
                Poll::Lost => self.job = None,
            }
        }
        let folder_changed = self.key.as_ref().map(|k| k.0.as_deref()) != Some(folder);
        if self.seen_revision == Some(revision) && !self.force && !folder_changed {
            return;
        }
        self.seen_revision = Some(revision);
        let files: Vec<(EvidenceId, String, String, u64)> = case
            .evidence
            .values()
            .filter_map(|ev| {
                let f = ev.stored_file()?;
                Some((
                    ev.id.clone(),
                    f.path.to_owned(),
                    f.sha256.to_owned(),
                    f.size_bytes,
                ))
            })
            .collect();
        let key = (folder.map(Path::to_owned), files);
        if self.key.as_ref() == Some(&key) && !self.force {
            return;
        }
        self.force = false;
        self.key = Some(key.clone());
        let Some(dir) = folder.map(Path::to_owned) else {
            self.unchecked = key.1.len();
            self.reports.clear();
            return;
        };
        self.unchecked = 0;
        let files = key.1.clone();
        let job = Job::spawn_waking(ctx, "Checking evidence files", false, move |_| {
            files
                .into_iter()
                .map(|(evidence, path, sha256, size)| IntegrityReport {
                    status: locker::verify_file(&dir, &path, &sha256, size),
                    evidence,
                    path,
                })
                .collect()
        });
        self.job = Some((key, job));
    }
}

/// Red banner at the top of the locker naming every evidence file that failed its check.
pub(super) fn integrity_banner_ui(
    ui: &mut Ui,
    case: &Case,
    integrity: &IntegrityWatch,
    folder: Option<&Path>,
    actions: &mut Vec<Action>,
) {
    let dark = ui.visuals().dark_mode;
    let problems = integrity.problems();
    if !problems.is_empty() {
        egui::Frame::group(ui.style())
            .stroke(egui::Stroke::new(2.0, theme::error_color(dark)))
            .show(ui, |ui| {
                ui.colored_label(
                    theme::error_color(dark),
                    RichText::new(format!(
                        "⚠ {} evidence file(s) failed the integrity check",
                        problems.len()
                    ))
                    .strong(),
                );
                for (id, status) in &problems {
                    let path = case
                        .evidence
                        .get(*id)
                        .and_then(Evidence::stored_file)
                        .map_or_else(|| id.to_string(), |f| f.path.to_owned());
                    let r = ui.link(format!("{path}: {} — {}", status.label(), status.explain()));
                    if r.clicked() {
                        actions.push(Action::Open(ItemRef::Evidence((*id).clone())));
                    }
                }
            });
    }
    ui.horizontal_wrapped(|ui| {
        if folder.is_none() && integrity.unchecked > 0 {
            ui.colored_label(
                theme::warning_color(dark),
                format!(
                    "{} evidence file(s) not checked: save the case in a folder",
                    integrity.unchecked
                ),
            );
        } else if integrity.pending() {
            ui.spinner();
            ui.weak("Checking evidence files…");
        } else if let Some(at) = integrity.checked_at {
            let n = case
                .evidence
                .values()
                .filter(|e| e.stored_file().is_some())
                .count();
            let colour = if problems.is_empty() {
                ui.visuals().weak_text_color()
            } else {
                theme::error_color(dark)
            };
            ui.colored_label(colour, format!("{n} file(s) checked at {at}"));
        }
        if ui
            .small_button("Verify files")
            .on_hover_text("Check every evidence file against its recorded SHA-256 again")
            .clicked()
        {
            actions.push(Action::VerifyEvidence);
        }
    });
}
