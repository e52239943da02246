//! The briefing side of the app: the views panel's actions, presentation mode, and the case
//! report. Kept apart from the frame loop; it reaches the app's state as a child module.

use super::{ChokepointApp, DialogKind};
use crate::edit::{Edit, Item};
use crate::io::export::DataFormat;
use crate::model::{Case, ViewId};
use crate::ui::present::{PresentOutcome, Presenter};
use egui::Ui;
use std::path::Path;

impl ChokepointApp {
    /// Saves the canvas as a new view, named "View n".
    pub(super) fn capture_view(&mut self) {
        let n = (1..=self.case.views.len() + 1)
            .map(|n| format!("View {n}"))
            .find(|name| !self.case.views.iter().any(|v| &v.name == name))
            .unwrap_or_else(|| "View".to_owned());
        let id = ViewId(Case::fresh_id(ViewId::PREFIX, &n, |id| {
            self.case.views.iter().any(|v| v.id.as_str() == id)
        }));
        let view = self.canvas.capture_view(&self.case, id.clone(), n.clone());
        if self.apply_edit(&format!("New view {n}"), Edit::Insert(Item::from(view))) {
            self.views.open(id);
            self.info(format!(
                "Saved the canvas as {n}: give it a name and a caption"
            ));
        }
    }

    /// Saves the canvas over view `id`, keeping its name and caption.
    pub(super) fn update_view(&mut self, id: ViewId) {
        let Some(old) = self.case.views.iter().find(|v| v.id == id).cloned() else {
            return;
        };
        let mut view = self.canvas.capture_view(&self.case, id, old.name.clone());
        view.caption = old.caption;
        self.apply_edit(
            &format!("Update view {}", old.name),
            Edit::Replace(Item::from(view)),
        );
    }

    /// Shows view `id` on the canvas (the camera moves there).
    pub(super) fn show_view(&mut self, ctx: &egui::Context, id: &ViewId) {
        let now = ctx.input(|i| i.time);
        if let Some(view) = self.case.views.iter().find(|v| &v.id == id).cloned() {
            self.canvas.apply_view(now, &view, true);
        }
    }

    /// Asks where to export view `id` as a picture.
    pub(super) fn export_view_image(&mut self, id: ViewId) {
        self.views.exporting = Some(id);
        self.spawn_dialog(DialogKind::ExportImage);
    }

    /// Opens the view with id `id` in the views panel (`--select v-…`: presentations and
    /// screenshots start there).
    pub(super) fn open_view_with_id(&mut self, id: &str) {
        if let Some(v) = self.case.views.iter().find(|v| v.id.as_str() == id) {
            self.views.open(v.id.clone());
        }
    }

    /// Enters presentation mode at slide `index`, or at the view open in the views panel.
    pub fn start_presenting(&mut self, ctx: &egui::Context, index: Option<usize>) {
        if self.presenter.is_some() {
            return;
        }
        self.commit_pending();
        let index = index
            .or_else(|| {
                let current = self.views.current.as_ref()?;
                self.case.views.iter().position(|v| &v.id == current)
            })
            .unwrap_or(0);
        self.settings.zoom_before_presenting = Some(ctx.zoom_factor());
        self.presenter = Some(Presenter::start(ctx, &mut self.canvas, &self.case, index));
    }

    /// After a session that ended while presenting, puts the interface zoom back.
    pub(super) fn recover_presentation_zoom(&mut self, ctx: &egui::Context) {
        if let Some(zoom) = self.settings.zoom_before_presenting.take()
            && zoom.is_finite()
            && zoom > 0.2
        {
            ctx.set_zoom_factor(zoom);
        }
    }

    /// Leaves presentation mode: the editor comes back exactly as it was.
    pub fn stop_presenting(&mut self, ctx: &egui::Context) {
        if let Some(p) = self.presenter.take() {
            p.finish(ctx, &mut self.canvas);
        }
        self.settings.zoom_before_presenting = None;
    }

    /// Draws a presentation frame when presenting; false when the editor should draw.
    pub(super) fn presentation_frame_ui(&mut self, ui: &mut Ui) -> bool {
        let ctx = ui.ctx().clone();
        if self.present_pending && self.frames > 2 {
            self.present_pending = false;
            self.start_presenting(&ctx, None);
        }
        let Some(presenter) = &mut self.presenter else {
            return false;
        };
        let revision = self.history.revision();
        if presenter.frame_ui(ui, &self.case, revision, &mut self.canvas) == PresentOutcome::Exit {
            self.stop_presenting(&ctx);
        }
        true
    }

    /// Asks where to write the case report.
    pub(super) fn export_report_dialog(&mut self) {
        self.commit_pending();
        self.spawn_dialog(DialogKind::ExportReport);
    }

    /// Writes the case report (one self-contained HTML file) to `path`.
    pub(super) fn export_report_to(&mut self, path: &Path) {
        if self.would_overwrite_a_case(path) {
            return;
        }
        let html =
            crate::io::report::write(&self.case, &crate::io::report::ReportOptions::default());
        match crate::io::write_atomic_via(&crate::io::RealDisk, path, html.as_bytes(), false) {
            Ok(()) => self.info(format!("Report written to {}", path.display())),
            Err(e) => self.error(format!("Could not write the report: {e}")),
        }
    }

    /// Writes the picture of the view being exported to `path`: SVG or PNG by the file's
    /// extension (the panel's format when it has none), at the panel's width.
    pub(super) fn export_image_to(&mut self, path: &Path) {
        let Some(view) = self
            .views
            .exporting
            .take()
            .and_then(|id| self.case.views.iter().find(|v| v.id == id).cloned())
        else {
            self.error("The view to export is gone");
            return;
        };
        if let Some(path) = self.write_picture(Some(&view), path) {
            self.info(format!("Saved {} as {}", view.name, path.display()));
        }
    }

    /// Writes the picture of the whole chart to `path`, as [`Self::export_image_to`] does a
    /// view's.
    pub(super) fn export_chart_to(&mut self, path: &Path) {
        if let Some(path) = self.write_picture(None, path) {
            self.info(format!("Saved the chart as {}", path.display()));
        }
    }

    /// The picture of `view` (or of the whole case), SVG or PNG by the extension of `path`
    /// (the views panel's format when it has none), at the panel's width: the path written,
    /// or None after saying why not.
    fn write_picture(
        &mut self,
        view: Option<&crate::model::SavedView>,
        path: &Path,
    ) -> Option<std::path::PathBuf> {
        use crate::io::export::svg;
        use crate::ui::panels::views::PictureFormat;
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("svg") => PictureFormat::Svg,
            Some(e) if e.eq_ignore_ascii_case("png") => PictureFormat::Png,
            _ => self.views.picture_format,
        };
        let path = if path.extension().is_none() {
            path.with_extension(format.extension())
        } else {
            path.to_owned()
        };
        if self.would_overwrite_a_case(&path) {
            return None;
        }
        let picture = svg::write_with(
            &self.case,
            &svg::SvgOptions {
                view,
                width_px: self.views.width(),
                marking: true,
                legend: true,
            },
        );
        let bytes = match format {
            PictureFormat::Svg => Ok(picture.into_bytes()),
            PictureFormat::Png => crate::io::export::png::render(&picture),
        };
        let written = bytes.and_then(|b| {
            crate::io::write_atomic_via(&crate::io::RealDisk, &path, &b, false)
                .map_err(|e| e.to_string())
        });
        match written {
            Ok(()) => Some(path),
            Err(e) => {
                self.error(format!("Could not export {}: {e}", path.display()));
                None
            }
        }
    }

    /// Asks where to export the case for another tool.
    pub(super) fn export_data_dialog(&mut self, format: DataFormat) {
        self.commit_pending();
        self.spawn_dialog(DialogKind::ExportData(format));
    }

    /// Writes the case in `format` to `path` (CSV: three tables beside it), all files or none,
    /// and says what the format does not carry.
    pub(super) fn export_data_to(&mut self, format: DataFormat, path: &Path) {
        let path = if path.extension().is_none() {
            path.with_extension(format.extension())
        } else {
            path.to_owned()
        };
        let (files, notes) = format.files(&self.case, &path);
        for (p, _) in &files {
            if self.would_overwrite_a_case(p) {
                return;
            }
        }
        let staged: Vec<(&Path, &[u8])> = files
            .iter()
            .map(|(p, t)| (p.as_path(), t.as_bytes()))
            .collect();
        match crate::io::write_files_atomic_via(&crate::io::RealDisk, &staged) {
            Ok(()) => {
                let names: Vec<String> =
                    files.iter().map(|(p, _)| p.display().to_string()).collect();
                let carried = if notes.is_empty() {
                    String::new()
                } else {
                    format!(" · not carried: {}", notes.join("; "))
                };
                self.info(format!(
                    "Exported {} to {}{carried}",
                    format.label(),
                    names.join(", ")
                ));
            }
            Err(e) => self.error(format!("Could not export {}: {e}", format.label())),
        }
    }

    /// An export must never land on a case file (the typed-path prompt starts from the case's
    /// own path): refuses `.ron` targets and the open case's file, saying why.
    fn would_overwrite_a_case(&mut self, path: &Path) -> bool {
        let is_case = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
            || self.path.as_deref() == Some(path);
        if is_case {
            self.error(format!(
                "Not exported: {} is a case file; choose another name",
                path.display()
            ));
        }
        is_case
    }
}
