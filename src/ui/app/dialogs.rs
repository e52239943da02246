//! File dialogs: which one is asked for, the system's chooser run off the UI thread (it may
//! block for as long as the user looks), the typed-path fallback where no chooser answers,
//! and where each chosen path goes.

use super::{ChokepointApp, ImportKind, Modal, bundle, fonts};
use crate::ui::jobs::Job;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DialogKind {
    Open,
    SaveAs,
    Font,
    ExportReport,
    ExportImage,
    /// The whole chart as a picture (the views panel's size and format).
    ExportChart,
    /// The case for another tool.
    ExportData(crate::io::export::DataFormat),
    AttachEvidence,
    ImportCsv,
    ImportFtm,
    MergeCopy,
    ExportBundle,
    ScreeningList,
}

impl DialogKind {
    pub(super) fn title(self) -> &'static str {
        match self {
            DialogKind::Open => "Open case by path",
            DialogKind::SaveAs => "Save case as",
            DialogKind::Font => "Choose a font file",
            DialogKind::AttachEvidence => "Attach an evidence file",
            DialogKind::ImportCsv => "Import a CSV file",
            DialogKind::ImportFtm => "Import a FollowTheMoney file",
            DialogKind::MergeCopy => "Merge a colleague's copy of the case",
            DialogKind::ExportBundle => "Export the bundle to",
            DialogKind::ScreeningList => "Add a screening list (CSV)",
            DialogKind::ExportReport => "Export the case report to",
            DialogKind::ExportImage => "Export the view's picture to",
            DialogKind::ExportChart => "Export the chart's picture to",
            DialogKind::ExportData(f) => match f {
                crate::io::export::DataFormat::Graphml => "Export GraphML to",
                crate::io::export::DataFormat::Gexf => "Export GEXF to",
                crate::io::export::DataFormat::Dot => "Export Graphviz DOT to",
                crate::io::export::DataFormat::Csv => "Export the CSV tables to",
                crate::io::export::DataFormat::Ftm => "Export FollowTheMoney to",
            },
        }
    }
}

/// The user's documents folder (`~/Documents`, else the home folder), where file dialogs
/// start for a case that has no file yet.
pub(super) fn documents_folder() -> Option<PathBuf> {
    let home = PathBuf::from(std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE"))?);
    let documents = home.join("Documents");
    Some(if documents.is_dir() { documents } else { home })
}

impl ChokepointApp {
    pub(super) fn spawn_dialog(&mut self, kind: DialogKind) {
        // Beside the case file; for a case not saved yet, the user's documents folder.
        let start_dir = self
            .path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_owned))
            .or_else(documents_folder);
        let file_name = self
            .path
            .as_ref()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| format!("{}.ron", crate::model::slug(&self.case.meta.title)));
        let image_name = self.views.export_file_name(&self.case);
        let stem = file_name.trim_end_matches(".ron").to_owned();
        let chart_name = format!("{stem}.{}", self.views.picture_format.extension());
        let job = Job::spawn(kind.title(), false, move |_| {
            let mut dialog = rfd::FileDialog::new();
            if let Some(dir) = start_dir {
                dialog = dialog.set_directory(dir);
            }
            match kind {
                DialogKind::Open => dialog
                    .set_title("Open case")
                    .add_filter(
                        "Chokepoint case or bundle",
                        &["ron", bundle::BUNDLE_EXTENSION],
                    )
                    .pick_file(),
                DialogKind::SaveAs => dialog
                    .set_title("Save case as")
                    .add_filter("Chokepoint case", &["ron"])
                    .set_file_name(file_name)
                    .save_file(),
                DialogKind::Font => dialog
                    .set_title("Choose a font with Chinese glyphs")
                    .add_filter("Fonts", &["ttf", "otf", "ttc"])
                    .pick_file(),
                DialogKind::ImportCsv => dialog
                    .set_title("Import a CSV file")
                    .add_filter("CSV or tab-separated", &["csv", "tsv", "txt"])
                    .pick_file(),
                DialogKind::ExportBundle => dialog
                    .set_title("Export the case bundle")
                    .add_filter("Chokepoint bundle", &[bundle::BUNDLE_EXTENSION])
                    .set_file_name(file_name.replace(".ron", "") + "." + bundle::BUNDLE_EXTENSION)
                    .save_file(),
                DialogKind::ScreeningList => dialog
                    .set_title("Add a screening list")
                    .add_filter("CSV", &["csv", "tsv", "txt"])
                    .pick_file(),
                DialogKind::MergeCopy => dialog
                    .set_title("Merge a colleague's copy")
                    .add_filter("Chokepoint case", &["ron"])
                    .pick_file(),
                DialogKind::ImportFtm => dialog
                    .set_title("Import FollowTheMoney entities")
                    .add_filter("FtM entities", &["json", "ftm", "ndjson", "jsonl"])
                    .pick_file(),
                DialogKind::AttachEvidence => {
                    dialog.set_title("Attach an evidence file").pick_file()
                }
                DialogKind::ExportReport => dialog
                    .set_title("Export the case report")
                    .add_filter("Web page", &["html"])
                    .set_file_name(file_name.replace(".ron", "") + "-report.html")
                    .save_file(),
                DialogKind::ExportImage => dialog
                    .set_title("Export the view's picture")
                    .add_filter("Picture", &["png", "svg"])
                    .set_file_name(image_name)
                    .save_file(),
                DialogKind::ExportChart => dialog
                    .set_title("Export the chart's picture")
                    .add_filter("Picture", &["png", "svg"])
                    .set_file_name(chart_name)
                    .save_file(),
                DialogKind::ExportData(format) => dialog
                    .set_title(format.label())
                    .add_filter(format.label(), &[format.extension()])
                    .set_file_name(format!("{stem}.{}", format.extension()))
                    .save_file(),
            }
        });
        self.dialog = Some((kind, job));
    }

    pub(super) fn dialog_done(
        &mut self,
        ctx: &egui::Context,
        kind: DialogKind,
        picked: Option<PathBuf>,
        quick: bool,
    ) {
        match picked {
            Some(path) => self.path_chosen(ctx, kind, path),
            None if quick => {
                // No desktop file-chooser answered (no portal): let the user type the path.
                // The case file itself only where it is what is asked for; else its folder,
                // or the documents folder.
                let folder = self
                    .path
                    .as_ref()
                    .and_then(|p| p.parent().map(Path::to_owned))
                    .or_else(documents_folder)
                    .map(|d| format!("{}/", d.display()))
                    .unwrap_or_default();
                self.modal = Some(Modal::PathPrompt {
                    kind,
                    text: match kind {
                        DialogKind::Open | DialogKind::SaveAs => self
                            .path
                            .as_ref()
                            .map_or(folder, |p| p.display().to_string()),
                        _ => folder,
                    },
                    error: Some(
                        "No file dialog is available on this desktop: type the path instead."
                            .to_owned(),
                    ),
                });
            }
            None => {
                self.after_save = None;
                self.info("Cancelled");
            }
        }
    }

    pub(super) fn path_chosen(&mut self, ctx: &egui::Context, kind: DialogKind, path: PathBuf) {
        match kind {
            DialogKind::Open => self.start_loading(ctx, path),
            DialogKind::SaveAs => {
                let path = if path.extension().is_none() {
                    path.with_extension("ron")
                } else {
                    path
                };
                let then = self.after_save.take();
                self.start_save(&path, then);
            }
            DialogKind::ExportImage => self.export_image_to(&path),
            DialogKind::ExportChart => self.export_chart_to(&path),
            DialogKind::ExportData(format) => self.export_data_to(format, &path),
            DialogKind::ExportReport => {
                let path = if path.extension().is_none() {
                    path.with_extension("html")
                } else {
                    path
                };
                self.export_report_to(&path);
            }
            DialogKind::ImportCsv => self.start_import(ImportKind::Csv, path),
            DialogKind::ImportFtm => self.start_import(ImportKind::Ftm, path),
            DialogKind::MergeCopy => self.start_merge_review(path),
            DialogKind::ExportBundle => self.start_bundle_export(path),
            DialogKind::ScreeningList => self.add_screening_list(&path),
            DialogKind::AttachEvidence => {
                // Linked only to what is still selected when the file is chosen.
                let asked = self.attach_target.take();
                let target = asked
                    .clone()
                    .filter(|t| self.evidence.link_target() == Some(t));
                if self.attach_files(&[path], target.clone()) > 0
                    && let (Some(item), None) = (&asked, &target)
                {
                    self.info(format!(
                        "Attached, not linked to {}: the selection changed while the dialog was open",
                        self.case.item_label(item)
                    ));
                }
            }
            DialogKind::Font => match fonts::load_cjk_font(&path) {
                Ok(font) => {
                    fonts::install_cjk_font(ctx, &font);
                    self.font_family = Some(format!("{} ({})", font.family, font.path.display()));
                    self.font_notice = None;
                    self.settings.cjk_font = Some(path);
                    self.info("Font installed for CJK names");
                }
                Err(e) => {
                    self.modal = Some(Modal::Settings {
                        font_text: path.display().to_string(),
                        font_error: Some(e),
                    });
                }
            },
        }
    }
}
