//! Case bundles in the app: *File ▸ Export bundle…* writes the case and its evidence folder into
//! one `.cpbundle` file, optionally encrypted with a passphrase; opening a bundle (the Open
//! dialog, a recent file, a drop on the window, or the command line) asks where to unpack it and
//! for its passphrase, unpacks it safely (see `io::bundle`) and opens the case inside. Writing
//! and opening run off the UI thread: a passphrase costs about a second of deliberate work.

use super::{ChokepointApp, DialogKind};
use crate::io::bundle::{self, BundleError, BundleSummary, OpenedBundle};
use crate::ui::jobs::{Job, Poll};
use egui::Ui;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file extension of bundles.
pub const BUNDLE_EXTENSION: &str = "cpbundle";

pub fn is_bundle(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(BUNDLE_EXTENSION))
}

enum Outcome {
    Written(Result<BundleSummary, BundleError>),
    Opened(Box<Result<OpenedBundle, BundleError>>),
}

/// The bundle window: what the user is asked, and the job running, if any.
pub struct BundlePrompt {
    kind: PromptKind,
    passphrase: String,
    confirm: String,
    encrypt: bool,
    error: Option<String>,
    running: Option<Job<Outcome>>,
}

enum PromptKind {
    Export { out: PathBuf },
    Open { bundle: PathBuf, dest: String },
}

impl BundlePrompt {
    fn new(kind: PromptKind) -> Self {
        Self {
            kind,
            passphrase: String::new(),
            confirm: String::new(),
            encrypt: false,
            error: None,
            running: None,
        }
    }
}

/// Where a bundle unpacks by default: a folder named after it, beside it, not yet taken.
fn default_destination(bundle: &Path) -> PathBuf {
    let stem = bundle
        .file_stem()
        .map_or_else(|| "bundle".to_owned(), |s| s.to_string_lossy().into_owned());
    let parent = bundle.parent().unwrap_or(Path::new("."));
    let first = parent.join(&stem);
    if !first.exists() {
        return first;
    }
    (2..1000)
        .map(|n| parent.join(format!("{stem}-{n}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

impl ChokepointApp {
    /// *Export bundle…*: the case must live in a file, since its evidence folder is beside it.
    pub(super) fn export_bundle_dialog(&mut self) {
        if self.path.is_none() {
            self.save_first(
                super::Guarded::ExportBundle,
                "A bundle carries the case file and the evidence folder beside it, so the case \
                 needs a file first. Save it, and the bundle is asked for next.",
            );
            return;
        }
        self.spawn_dialog(DialogKind::ExportBundle);
    }

    /// The bundle file was chosen: ask about encryption.
    pub fn start_bundle_export(&mut self, out: PathBuf) {
        let out = if is_bundle(&out) {
            out
        } else {
            out.with_extension(BUNDLE_EXTENSION)
        };
        self.bundle_prompt = Some(Box::new(BundlePrompt::new(PromptKind::Export { out })));
    }

    /// A bundle is to be opened: ask where to unpack it (and its passphrase).
    pub fn start_bundle_open(&mut self, bundle: PathBuf) {
        let dest = default_destination(&bundle).display().to_string();
        self.bundle_prompt = Some(Box::new(BundlePrompt::new(PromptKind::Open {
            bundle,
            dest,
        })));
    }

    pub(super) fn bundle_ui(&mut self, ctx: &egui::Context) {
        let Some(mut prompt) = self.bundle_prompt.take() else {
            return;
        };
        // A finished job?
        if let Some(job) = &prompt.running {
            match job.poll(ctx) {
                Poll::Done(outcome) => {
                    prompt.running = None;
                    if self.bundle_done(ctx, &mut prompt, outcome) {
                        return;
                    }
                }
                Poll::Running => {}
                Poll::Lost => {
                    prompt.running = None;
                    prompt.error = Some("The bundle job stopped unexpectedly.".to_owned());
                }
            }
        }
        let mut keep = true;
        let mut start = false;
        egui::Modal::new(egui::Id::unique("bundle_prompt")).show(ctx, |ui| {
            ui.set_min_width(520.0);
            ui.set_max_width(560.0);
            prompt_ui(ui, &mut prompt, &mut keep, &mut start);
        });
        if start {
            self.start_bundle_job(&mut prompt);
        }
        if keep {
            self.bundle_prompt = Some(prompt);
        }
    }

    fn start_bundle_job(&mut self, prompt: &mut BundlePrompt) {
        let passphrase = (!prompt.passphrase.is_empty()).then(|| prompt.passphrase.clone());
        let job = match &prompt.kind {
            PromptKind::Export { out } => {
                let Some(case_path) = self.path.clone() else {
                    prompt.error = Some("Save the case first.".to_owned());
                    return;
                };
                // Shared, not copied (see `document`).
                let case = Arc::clone(&self.case);
                let out = out.clone();
                let passphrase = passphrase.filter(|_| prompt.encrypt);
                Job::spawn("Writing the bundle", false, move |_| {
                    Outcome::Written(bundle::write_bundle(
                        &case_path,
                        &case,
                        &out,
                        passphrase.as_deref(),
                    ))
                })
            }
            PromptKind::Open { bundle, dest } => {
                let bundle = bundle.clone();
                let dest = PathBuf::from(dest.trim());
                Job::spawn("Opening the bundle", false, move |_| {
                    Outcome::Opened(Box::new(bundle::open_bundle(
                        &bundle,
                        &dest,
                        passphrase.as_deref(),
                    )))
                })
            }
        };
        prompt.error = None;
        prompt.running = Some(job);
    }

    /// Handles a finished job; true when the prompt is finished with.
    fn bundle_done(
        &mut self,
        ctx: &egui::Context,
        prompt: &mut BundlePrompt,
        outcome: Outcome,
    ) -> bool {
        let result = match outcome {
            Outcome::Written(Ok(summary)) => {
                self.info(format!(
                    "Bundle written: {} ({} evidence files{})",
                    summary.path.display(),
                    summary.evidence_files,
                    if summary.encrypted { ", encrypted" } else { "" }
                ));
                return true;
            }
            Outcome::Written(Err(e)) => Err(e),
            Outcome::Opened(result) => *result,
        };
        match result {
            Ok(opened) => {
                self.info(format!(
                    "Bundle unpacked into {}; {} evidence files checked",
                    opened.dest_dir.display(),
                    opened.evidence_files
                ));
                self.start_loading(ctx, opened.case_path);
                true
            }
            Err(BundleError::NeedsPassphrase { .. }) => {
                prompt.error = Some(
                    "This bundle is encrypted: enter its passphrase, then open it again."
                        .to_owned(),
                );
                false
            }
            Err(e) => {
                prompt.error = Some(e.to_string());
                false
            }
        }
    }
}

/// A labelled one-line field with a fixed label column, so the fields line up.
fn field_ui(ui: &mut Ui, label: &str, text: &mut String, password: bool) -> egui::Response {
    ui.horizontal(|ui| {
        let l = ui.add_sized([110.0, 20.0], egui::Label::new(label));
        ui.add_sized(
            [380.0, 22.0],
            egui::TextEdit::singleline(text).password(password),
        )
        .labelled_by(l.id)
    })
    .inner
}

fn prompt_ui(ui: &mut Ui, p: &mut BundlePrompt, keep: &mut bool, start: &mut bool) {
    let busy = p.running.is_some();
    match &mut p.kind {
        PromptKind::Export { out } => {
            ui.heading("Export bundle");
            ui.label(format!(
                "The case and its evidence folder go into one file:\n{}",
                out.display()
            ));
            ui.checkbox(&mut p.encrypt, "Encrypt with a passphrase");
            if p.encrypt {
                field_ui(ui, "Passphrase", &mut p.passphrase, true);
                field_ui(ui, "Again", &mut p.confirm, true);
                ui.weak("Share the passphrase by another channel than the bundle.");
            }
        }
        PromptKind::Open { bundle, dest } => {
            ui.heading("Open bundle");
            ui.label(bundle.display().to_string());
            field_ui(ui, "Unpack into", dest, false);
            field_ui(ui, "Passphrase", &mut p.passphrase, true)
                .on_hover_text("Only for encrypted bundles");
            ui.weak(
                "The folder must be new or empty; nothing is written unless every check passes.",
            );
        }
    }
    let mismatch =
        matches!(p.kind, PromptKind::Export { .. }) && p.encrypt && p.passphrase != p.confirm;
    let empty = matches!(p.kind, PromptKind::Export { .. }) && p.encrypt && p.passphrase.is_empty();
    if mismatch {
        ui.colored_label(ui.visuals().warn_fg_color, "The two passphrases differ.");
    }
    if let Some(e) = &p.error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        let label = match p.kind {
            PromptKind::Export { .. } => "Write bundle",
            PromptKind::Open { .. } => "Unpack and open",
        };
        if ui
            .add_enabled(!busy && !mismatch && !empty, egui::Button::new(label))
            .clicked()
        {
            *start = true;
        }
        if busy {
            ui.spinner();
            ui.label("Working…");
        } else if ui.button("Cancel").clicked() {
            *keep = false;
        }
    });
}
