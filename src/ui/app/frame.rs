//! One frame of the window: background results first, then files dropped on the window, the
//! close request, the menu bar, status bar, side panels, timeline, canvas and dialogs; at the
//! end the frame's actions are applied (`dispatch.rs`), then autosave, the title and a
//! requested screenshot.

use super::{ChokepointApp, Guarded, Modal, RightTab, SCREENSHOT_AFTER_FRAMES, bundle};
use crate::model::ItemRef;
use crate::ui::action::Action;
use crate::ui::commands::{Scope, UiCommand};
use crate::ui::theme;
use egui::Ui;
use std::path::{Path, PathBuf};
use std::sync::Arc;

impl ChokepointApp {
    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .collect()
        });
        let Some(path) = dropped.first().cloned() else {
            return;
        };
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
            || bundle::is_bundle(&path)
        {
            self.guard(ctx, Guarded::OpenPath(path));
        } else {
            // Any other file becomes evidence, copied beside the case and hashed.
            self.attach_dropped(&dropped);
        }
    }

    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let name = self.path.as_ref().and_then(|p| p.file_name()).map_or_else(
            || "not saved yet".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
        let title = format!(
            "{}{} — {name}{} — Chokepoint",
            if self.is_dirty() { "● " } else { "" },
            self.case.meta.title,
            if self.read_only.is_some() {
                " (read-only)"
            } else {
                ""
            }
        );
        if title != self.title_shown {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title_shown = title;
        }
    }

    /// The window title as it is now (for tests).
    pub fn window_title(&self) -> &str {
        &self.title_shown
    }

    pub(super) fn screenshot_step(&mut self, ctx: &egui::Context) {
        let Some(job) = &mut self.screenshot else {
            return;
        };
        ctx.request_repaint();
        if !job.requested
            && self.frames >= SCREENSHOT_AFTER_FRAMES
            && !self.present_pending
            && !self.canvas.far_view_is_waiting()
            && self.presenter.as_ref().is_none_or(|p| !p.is_moving())
        {
            job.requested = true;
            let path = job.path.clone();
            let done = Arc::clone(&job.done);
            ctx.request_screenshot(move |image| {
                let result = write_png(&path, &image);
                if let Ok(mut slot) = done.lock() {
                    *slot = Some(result);
                }
            });
        }
        let finished = job.done.lock().ok().and_then(|mut s| s.take());
        if let Some(result) = finished {
            match result {
                Ok(()) => eprintln!("screenshot saved to {}", job.path.display()),
                Err(e) => eprintln!("screenshot failed: {e}"),
            }
            self.close_confirmed = true;
            self.stop_presenting(ctx);
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Draws one frame. Public so UI tests can drive the real app.
    pub fn frame_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.frames += 1;
        if let Some((file, start)) = &mut self.frame_log {
            use std::io::Write as _;
            let _ = writeln!(
                file,
                "{:.1} {}",
                start.elapsed().as_secs_f64() * 1e3,
                u8::from(self.canvas.far_view_is_picture())
            );
            // Frames as fast as they come, except while the far-out picture is being made
            // (the app then draws only when it is ready, as it does without the log).
            if !self.canvas.far_view_is_waiting() {
                ctx.request_repaint();
            }
        }
        let theme = self.theme_override.unwrap_or(self.settings.theme);
        if self.theme_applied != Some(theme) {
            ctx.set_theme(theme.preference());
            self.theme_applied = Some(theme);
        }
        self.canvas.far_drawing = self
            .drawing_override
            .unwrap_or(self.settings.drawing)
            .far_drawing(self.software_renderer.is_some());
        self.poll_jobs(&ctx);
        // Presenting never changes the case: files dropped on the window are ignored meanwhile.
        if self.presenter.is_none() {
            self.handle_dropped_files(&ctx);
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.close_confirmed {
            self.commit_pending();
            if let Some(running) = &mut self.saving {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                running.then_once_saved(Guarded::Quit);
                self.info("Closing once the case is saved…");
            } else if self.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.modal = Some(Modal::ConfirmDiscard(Guarded::Quit));
            }
        }
        if self.presentation_frame_ui(ui) {
            self.autosave_step(&ctx);
            self.update_title(&ctx);
            self.screenshot_step(&ctx);
            return;
        }
        let mut commands = if self.modal.is_none() && !self.palette.open {
            UiCommand::pressed(&ctx, Scope::App)
        } else {
            Vec::new()
        };

        egui::Panel::top("menu_bar").show(ui, |ui| self.menu_bar_ui(ui, &mut commands));
        // Everything panels, canvas and dialogs ask for this frame, applied by `drain` at the
        // end of the frame.
        let mut actions: Vec<Action> = Vec::new();
        egui::Panel::bottom("status_bar").show(ui, |ui| self.status_bar_ui(ui));

        let revision = self.history.revision();
        let start_page = self.start_page.is_some();
        let side_panels = !(self.settings.canvas_only || self.canvas_only_override || start_page);
        if start_page {
            egui::CentralPanel::default().show(ui, |ui| self.start_page_ui(ui));
        }
        let (list_open, right_open) = self.panels.at(ctx.content_rect().width());
        // The table view lists what the item list would, with more columns.
        let list_panel = side_panels && !self.table.open;
        if list_panel && list_open {
            egui::Panel::left("item_list")
                .resizable(true)
                .default_size(theme::LIST_PANEL_WIDTH)
                .min_size(220.0)
                .show(ui, |ui| {
                    keep_width_ui(ui, |ui| {
                        ui.horizontal(|ui| {
                            ui.weak("Items");
                            ui.with_layout(
                                egui::Layout::right_to_left(egui::Align::Center),
                                |ui| {
                                    if fold_button(ui, "«", "Fold the item list").clicked() {
                                        self.panels.list = Some(false);
                                    }
                                },
                            );
                        });
                        self.list.ui(
                            ui,
                            &self.case,
                            revision,
                            self.selection.as_ref(),
                            &mut actions,
                        );
                    });
                });
        } else if list_panel {
            egui::Panel::left("item_list_strip")
                .resizable(false)
                .exact_size(theme::PANEL_STRIP_WIDTH)
                .show(ui, |ui| {
                    if strip_button(ui, "☰", "Item list", false).clicked() {
                        self.panels.list = Some(true);
                    }
                });
        }
        if side_panels && right_open {
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(theme::INSPECTOR_PANEL_WIDTH)
                .min_size(280.0)
                .show(ui, |ui| {
                    keep_width_ui(ui, |ui| self.right_panel_ui(ui, &mut actions));
                });
        } else if side_panels {
            egui::Panel::right("inspector_strip")
                .resizable(false)
                .exact_size(theme::PANEL_STRIP_WIDTH)
                .show(ui, |ui| {
                    for (tab, icon, name) in self.tab_names() {
                        if strip_button(ui, icon, &name, false).clicked() {
                            self.show_tab(tab);
                        }
                    }
                });
        }
        if self.timeline.open && !start_page {
            egui::Panel::bottom("timeline")
                .resizable(true)
                .default_size(theme::TIMELINE_PANEL_HEIGHT)
                .min_size(140.0)
                .show(ui, |ui| {
                    self.timeline.ui(
                        ui,
                        &self.case,
                        revision,
                        self.canvas.filters.time_window,
                        self.selection.as_ref(),
                        &mut actions,
                    );
                });
        }
        let keys = self.modal.is_none() && !self.palette.open;
        if self.table.open && !start_page {
            egui::CentralPanel::default().show(ui, |ui| {
                self.table.ui(
                    ui,
                    &self.case,
                    revision,
                    &self.canvas.selected,
                    &mut actions,
                );
            });
        } else if !start_page {
            egui::CentralPanel::default()
                .frame(egui::Frame::NONE)
                .show(ui, |ui| {
                    self.canvas.ui(ui, &self.case, revision, keys, &mut actions);
                });
        }

        self.modal_ui(&ctx);
        let mut palette = std::mem::take(&mut self.palette);
        if let Some(command) = palette.ui(&ctx, |c| self.command_enabled(c)) {
            commands.push(command);
        }
        self.palette = palette;
        self.import_ui(&ctx);
        self.merge_review_ui(&ctx);
        self.bundle_ui(&ctx);
        Self::file_hover_ui(&ctx);

        // Keys, menus and the palette last, as before the queue: a key pressed in the frame a
        // panel asked for something acts on what the panel did.
        actions.extend(commands.into_iter().map(Action::Command));
        self.drain(&ctx, actions);
        self.autosave_step(&ctx);
        self.update_title(&ctx);
        self.screenshot_step(&ctx);
    }

    /// The panel on the right: its tabs, then the chosen tab's panel.
    /// The right panel's tabs: which, its icon on the folded strip, and its name (with the
    /// number of open findings or evidence problems).
    fn tab_names(&self) -> [(RightTab, &'static str, String); 5] {
        let revision = self.history.revision();
        let findings = match self.findings.open_count(revision) {
            Some(n) => format!("Findings ({n})"),
            None => "Findings".to_owned(),
        };
        let evidence = match self.integrity.problems().len() {
            0 => "Evidence".to_owned(),
            n => format!("Evidence ⚠{n}"),
        };
        [
            (RightTab::Inspector, "ℹ", "Inspector".to_owned()),
            (RightTab::Findings, "⚑", findings),
            (RightTab::Flows, "⇄", "Flows".to_owned()),
            (RightTab::Views, "▶", "Views".to_owned()),
            (RightTab::Evidence, "📎", evidence),
        ]
    }

    /// Shows a tab of the right panel, unfolding the panel if it was folded.
    pub(super) fn show_tab(&mut self, tab: RightTab) {
        self.right_tab = tab;
        if !self.panels.at(self.ctx.content_rect().width()).1 {
            self.panels.right = Some(true);
        }
    }

    fn right_panel_ui(&mut self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let revision = self.history.revision();
        ui.horizontal(|ui| {
            for (tab, _, name) in self.tab_names() {
                ui.selectable_value(&mut self.right_tab, tab, name);
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if fold_button(ui, "»", "Fold this panel").clicked() {
                    self.panels.right = Some(false);
                }
            });
        });
        ui.separator();
        match self.right_tab {
            RightTab::Inspector => {
                self.inspector
                    .ui(ui, &self.case, revision, self.selection.as_ref(), actions);
            }
            RightTab::Findings => self.findings.ui(
                ui,
                &self.case,
                revision,
                &self.settings.investigator,
                actions,
            ),
            RightTab::Flows => {
                self.analysis
                    .ui(ui, &self.case, revision, &self.canvas.selected, actions);
                ui.separator();
                self.flows.ui(ui, &self.case, revision, actions);
            }
            RightTab::Views => {
                self.views.ui(ui, &self.case, &self.canvas, actions);
            }
            RightTab::Evidence => {
                let selected = match &self.selection {
                    Some(ItemRef::Evidence(id)) => Some(id),
                    _ => None,
                };
                let folder = self.case_folder();
                self.evidence.ui(
                    ui,
                    &self.case,
                    revision,
                    selected,
                    folder.as_deref(),
                    &self.integrity,
                    &self.settings.investigator,
                    actions,
                );
            }
        }
    }

    pub(super) fn file_hover_ui(ctx: &egui::Context) {
        let hovering = ctx.input(|i| !i.raw.hovered_files.is_empty());
        if !hovering {
            return;
        }
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("file_drop"),
        ));
        let rect = ctx.content_rect();
        painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "Drop a .ron case file to open it, or other files to add them as evidence",
            egui::FontId::proportional(24.0),
            egui::Color32::WHITE,
        );
    }
}

/// A small button that folds a side panel, named for screen readers and tests.
fn fold_button(ui: &mut Ui, icon: &str, name: &str) -> egui::Response {
    let r = ui.small_button(icon).on_hover_text(name);
    let name = name.to_owned();
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    r
}

/// An icon on a folded panel's strip: a click unfolds the panel (on that tab).
fn strip_button(ui: &mut Ui, icon: &str, name: &str, selected: bool) -> egui::Response {
    let button = egui::Button::selectable(selected, egui::RichText::new(icon).size(18.0))
        .min_size(egui::vec2(theme::PANEL_STRIP_WIDTH - 10.0, 30.0));
    let r = ui.add(button).on_hover_text(format!("Show {name}"));
    let label = format!("Show {name}");
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    r
}

/// Draws a side panel's contents in exactly the width the user gave the panel: what is wider
/// (a long name, a message) is wrapped or clipped, never allowed to widen the panel, which
/// egui would then keep, covering the canvas and its toolbar.
pub(super) fn keep_width_ui<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> R {
    let rect = ui.available_rect_before_wrap();
    let mut inner = ui.new_child(egui::UiBuilder::new().max_rect(rect).layout(*ui.layout()));
    inner.shrink_clip_rect(rect);
    let result = add(&mut inner);
    ui.advance_cursor_after_rect(rect);
    result
}

fn write_png(path: &Path, image: &egui::ColorImage) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let [w, h] = image.size;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w as u32, h as u32);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    let bytes: Vec<u8> = image
        .pixels
        .iter()
        .flat_map(egui::Color32::to_array)
        .collect();
    writer.write_image_data(&bytes).map_err(|e| e.to_string())
}
