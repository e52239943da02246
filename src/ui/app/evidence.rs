//! The evidence side of the app: the locker's actions, attaching files (file dialog and
//! drag-and-drop), the integrity watch and its status-bar flag, custody entries for evidence
//! deleted through the common delete path, and opening a file with the system viewer (only ever
//! on the user's click). Kept apart from the frame loop; it reaches the app's state as a child
//! module.

use super::{ChokepointApp, DialogKind, RightTab};
use crate::edit::Edit;
use crate::io::evidence as locker;
use crate::model::{ClaimSupport, ItemRef, Timestamp};
use crate::ui::theme;
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};

impl ChokepointApp {
    /// The folder of the open case file, where `evidence/` lives; `None` until it is saved.
    pub fn case_folder(&self) -> Option<PathBuf> {
        self.path.as_deref().map(locker::case_folder)
    }

    /// Keeps the integrity check of evidence files current (runs off the UI thread), and tells
    /// the inspector's notes the revision and the investigator's name from the settings.
    pub(super) fn evidence_step(&mut self, ctx: &egui::Context) {
        let folder = self.case_folder();
        self.integrity
            .refresh(ctx, &self.case, folder.as_deref(), self.history.revision());
        if self.inspector.author != self.settings.investigator {
            self.inspector
                .author
                .clone_from(&self.settings.investigator);
        }
    }

    /// Asks for files to attach as evidence, linked to `link_to`; a case never saved has no
    /// folder to keep them in.
    pub(super) fn attach_evidence_dialog(&mut self, link_to: Option<ItemRef>) {
        if self.case_folder().is_none() {
            self.save_first(
                super::Guarded::AttachEvidence(link_to),
                "Evidence files are copied into an evidence/ folder beside the case file, so \
                 the case needs a file first. Save it, and the files are asked for next.",
            );
            return;
        }
        self.attach_target = link_to;
        self.spawn_dialog(DialogKind::AttachEvidence);
    }

    /// Checks the evidence files against their SHA-256 again.
    pub(super) fn verify_evidence(&mut self) {
        self.integrity.recheck();
        self.info("Checking evidence files against their SHA-256…");
    }

    /// Shows an item as a click on it in the locker or the inspector does: evidence in the
    /// locker, anything else in the inspector (for tests and scripted use).
    pub fn open_item(&mut self, item: ItemRef) {
        // Evidence opens in the locker (see `focus`); other items in the inspector.
        if !matches!(item, ItemRef::Evidence(_)) {
            self.show_tab(RightTab::Inspector);
        }
        self.select(Some(item));
    }

    /// Attaches files as evidence: each is copied into `evidence/` beside the case file (never
    /// over an existing file), hashed, recorded in the custody log, and optionally linked as
    /// support for `link_to`; one undo step per file. Returns how many were attached.
    pub fn attach_files(&mut self, files: &[PathBuf], link_to: Option<ItemRef>) -> usize {
        self.commit_pending();
        let Some(dir) = self.case_folder() else {
            self.error(NEEDS_FOLDER);
            return 0;
        };
        let who = self.settings.investigator.clone();
        let link_to = link_to.filter(|i| self.case.contains(i));
        let mut attached = Vec::new();
        let mut errors = Vec::new();
        for file in files {
            match locker::attach_file(&self.case, &dir, file, &who, Timestamp::now()) {
                Ok(mut a) => {
                    if let Some(item) = &link_to {
                        a.evidence.supports.push(ClaimSupport {
                            target: Some(item.clone()),
                            ..ClaimSupport::default()
                        });
                    }
                    let label = format!("Attach {}", a.evidence.title);
                    if self.apply_edit(&label, a.edit()) {
                        attached.push(a.evidence.id.clone());
                    } else {
                        a.discard();
                    }
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        if let Some(last) = attached.last() {
            self.select(Some(ItemRef::Evidence(last.clone())));
            self.show_tab(RightTab::Evidence);
        }
        if errors.is_empty() {
            let to = link_to.map_or_else(String::new, |i| {
                format!(", supporting {}", self.case.item_label(&i))
            });
            self.info(format!(
                "Attached {} file(s) to the evidence locker{to} (copied into {}, SHA-256 recorded)",
                attached.len(),
                dir.join(locker::EVIDENCE_DIR).display()
            ));
        } else {
            self.error(format!("Could not attach: {}", errors.join("; ")));
        }
        attached.len()
    }

    /// Files dropped on the window that are not case files become evidence, supporting the
    /// node they were dropped on, if any.
    pub(super) fn attach_dropped(&mut self, files: &[PathBuf]) {
        let target = self.canvas.hovered_item();
        self.attach_files(files, target);
    }

    /// Custody entries for evidence removed through the common delete path (a selection).
    pub(super) fn with_evidence_custody(&self, edit: Edit, targets: &[ItemRef]) -> Edit {
        let now = Timestamp::now();
        let entries: Vec<Edit> = targets
            .iter()
            .filter_map(|t| match t {
                ItemRef::Evidence(id) => self.case.evidence.get(id),
                _ => None,
            })
            .map(|ev| {
                Edit::AppendCustody(Box::new(locker::removal_entry(
                    ev,
                    &self.settings.investigator,
                    now,
                )))
            })
            .collect();
        if entries.is_empty() {
            return edit;
        }
        let mut all = vec![edit];
        all.extend(entries);
        Edit::Batch(all)
    }

    /// Opens an evidence file in the program the system uses for it. Only ever called when the
    /// user clicks "Open with system viewer"; nothing is opened automatically.
    pub(super) fn open_with_system_viewer(&mut self, path: &Path) {
        let mut command = if cfg!(target_os = "macos") {
            std::process::Command::new("open")
        } else if cfg!(windows) {
            let mut c = std::process::Command::new("cmd");
            c.args(["/C", "start", ""]);
            c
        } else {
            std::process::Command::new("xdg-open")
        };
        match command.arg(path).spawn() {
            Ok(mut child) => {
                // Reap the opener when it exits, without waiting for it here.
                std::thread::spawn(move || {
                    let _ = child.wait();
                });
                self.info(format!("Opened {} with the system viewer", path.display()));
            }
            Err(e) => self.error(format!(
                "Could not open {} with the system viewer: {e}",
                path.display()
            )),
        }
    }

    /// The status bar's evidence flag: loud when a file is missing, modified or unsafe.
    pub(super) fn evidence_status_ui(&mut self, ui: &mut Ui) {
        let problems = self.integrity.problems();
        if problems.is_empty() {
            return;
        }
        let dark = ui.visuals().dark_mode;
        let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
        for (_, status) in &problems {
            *counts.entry(status.label()).or_default() += 1;
        }
        let what: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
        let names: Vec<String> = problems
            .iter()
            .take(5)
            .map(|(id, s)| format!("{id}: {}", s.explain()))
            .collect();
        let text = RichText::new(format!("⚠ Evidence: {}", what.join(", ")))
            .strong()
            .color(theme::error_color(dark));
        if ui
            .add(egui::Button::new(text).frame(false))
            .on_hover_text(names.join("\n"))
            .clicked()
        {
            self.show_tab(RightTab::Evidence);
        }
        ui.separator();
    }
}

/// The message when evidence files cannot be stored yet.
const NEEDS_FOLDER: &str =
    "Save the case first: evidence files are kept in an evidence/ folder beside the case file";
