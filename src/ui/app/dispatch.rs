//! Command dispatch: where every [`Action`] of the frame's queue and every [`UiCommand`] of
//! the command table is carried out. Panels, the canvas, menus, keys and the palette only ask;
//! this file is the one place that changes the case (through `History::apply`) or the app.

use super::{ChokepointApp, DialogKind, Guarded, ImportKind, Modal, RightTab};
use crate::io::export::DataFormat;
use crate::model::ItemRef;
use crate::ui::action::Action;
use crate::ui::commands::UiCommand;
use crate::ui::theme::ThemeChoice;
use std::sync::Arc;

impl ChokepointApp {
    /// Applies the frame's queue, in order.
    pub(super) fn drain(&mut self, ctx: &egui::Context, actions: Vec<Action>) {
        for action in actions {
            self.run_action(ctx, action);
        }
    }

    /// Carries out one action.
    fn run_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Command(command) => self.run_command(ctx, command),
            Action::Apply {
                label,
                edit,
                select,
            } => {
                if self.apply_edit(&label, edit) && select.is_some() {
                    self.select(select);
                }
            }
            Action::ApplyField { label, edit } => {
                if let Err(e) = self
                    .history
                    .apply(Arc::make_mut(&mut self.case), &label, edit)
                {
                    self.error(format!("{label}: {e}"));
                    self.inspector.reject(e.to_string());
                }
            }
            Action::Select(item) => self.select(Some(item)),
            Action::SelectMany(items) => {
                self.canvas.primary = items.first().cloned();
                self.canvas.selected = items.into_iter().collect();
            }
            Action::Open(item) => self.open_item(item),
            Action::Focus(item) => self.focus(item),
            Action::Inspect(item) => {
                self.show_tab(RightTab::Inspector);
                self.focus(Some(item));
            }
            Action::Show(items) => self.show_items(items),
            Action::Highlight(items) => {
                if let Some(first) = items.first() {
                    self.canvas.reveal_later(first.clone());
                }
                self.canvas.highlighted = items.into_iter().collect();
            }
            Action::Delete(items) => self.request_delete(items),
            Action::Info(m) => self.info(m),
            Action::Error(m) => self.error(m),
            Action::TimeWindow(window) => self.canvas.filters.time_window = window,
            Action::ChooseScreeningList => self.spawn_dialog(DialogKind::ScreeningList),
            Action::ScreeningLists { demo, files } => {
                self.settings.screening_demo = demo;
                self.settings.screening_lists = files;
            }
            Action::AttachEvidence { link_to } => self.attach_evidence_dialog(link_to),
            Action::OpenExternal(path) => self.open_with_system_viewer(&path),
            Action::VerifyEvidence => self.verify_evidence(),
            Action::CaptureView => self.capture_view(),
            Action::UpdateView(id) => self.update_view(id),
            Action::ShowView(id) => self.show_view(ctx, &id),
            Action::PresentFrom(index) => self.start_presenting(ctx, Some(index)),
            Action::ExportViewImage(id) => self.export_view_image(id),
        }
    }

    pub fn run_command(&mut self, ctx: &egui::Context, command: UiCommand) {
        // The start page gives way to anything done to the case behind it.
        if self.start_page.is_some() && !command.keeps_start_page() {
            self.start_page = None;
        }
        match command {
            UiCommand::StartPage => self.guard(ctx, Guarded::StartPage),
            UiCommand::New => self.guard(ctx, Guarded::New),
            UiCommand::Open => self.guard(ctx, Guarded::OpenDialog),
            UiCommand::OpenByPath => {
                self.modal = Some(Modal::PathPrompt {
                    kind: DialogKind::Open,
                    text: String::new(),
                    error: None,
                });
            }
            UiCommand::Save => {
                self.save();
            }
            UiCommand::SaveAs => {
                self.commit_pending();
                self.spawn_dialog(DialogKind::SaveAs);
            }
            UiCommand::Quit => self.guard(ctx, Guarded::Quit),
            UiCommand::Undo => self.undo(),
            UiCommand::Redo => self.redo(),
            UiCommand::AddEntity => self.add_entity(),
            UiCommand::AddLink => self.add_link(),
            UiCommand::AddShipment => self.add_shipment(),
            UiCommand::DeleteSelection => {
                let mut targets: Vec<ItemRef> = self.canvas.selected.iter().cloned().collect();
                if let Some(primary) = &self.selection
                    && !targets.contains(primary)
                {
                    targets.push(primary.clone());
                }
                if !targets.is_empty() {
                    self.request_delete(targets);
                }
            }
            UiCommand::FindInList => self.list.focus_filter = true,
            UiCommand::FindOnCanvas => self.canvas.open_search(),
            UiCommand::CanvasOnly => {
                self.settings.canvas_only =
                    !(self.settings.canvas_only || self.canvas_only_override);
                self.canvas_only_override = false;
                self.canvas.request_fit();
            }
            UiCommand::ToggleTheme => {
                self.theme_override = None;
                self.settings.theme = if ctx.theme() == egui::Theme::Dark {
                    ThemeChoice::Light
                } else {
                    ThemeChoice::Dark
                };
            }
            UiCommand::Settings => {
                self.modal = Some(Modal::Settings {
                    font_text: self
                        .settings
                        .cjk_font
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    font_error: None,
                });
            }
            UiCommand::Shortcuts => self.modal = Some(Modal::Shortcuts),
            UiCommand::Timeline => {
                self.timeline.open = !self.timeline.open;
                // A closed timeline leaves no hidden time window behind on the canvas.
                if !self.timeline.open {
                    self.canvas.filters.time_window = None;
                }
            }
            UiCommand::Present => self.start_presenting(ctx, None),
            UiCommand::TableView => self.table.open = !self.table.open,
            UiCommand::ExportReport => self.export_report_dialog(),
            UiCommand::ExportChart => self.spawn_dialog(DialogKind::ExportChart),
            UiCommand::ExportGraphml => self.export_data_dialog(DataFormat::Graphml),
            UiCommand::ExportGexf => self.export_data_dialog(DataFormat::Gexf),
            UiCommand::ExportCsv => self.export_data_dialog(DataFormat::Csv),
            UiCommand::ExportFtm => self.export_data_dialog(DataFormat::Ftm),
            UiCommand::ExportDot => self.export_data_dialog(DataFormat::Dot),
            UiCommand::ImportCsv => self.import_dialog(ImportKind::Csv),
            UiCommand::ImportFtm => self.import_dialog(ImportKind::Ftm),
            UiCommand::Merge => self.merge_dialog(),
            UiCommand::ExportBundle => self.export_bundle_dialog(),
            UiCommand::CaseDetails => self.select(None),
            UiCommand::CommandPalette => self.palette.open(),
            UiCommand::FitAll
            | UiCommand::FitSelection
            | UiCommand::ZoomIn
            | UiCommand::ZoomOut
            | UiCommand::SelectAll
            | UiCommand::CancelOrClear
            | UiCommand::Copy
            | UiCommand::Cut
            | UiCommand::Paste => {
                let mut actions = Vec::new();
                self.canvas
                    .run_command(ctx, &self.case, command, &mut actions);
                self.drain(ctx, actions);
            }
            // Presentation keys are read by the presenter, only while presenting.
            UiCommand::NextSlide
            | UiCommand::PreviousSlide
            | UiCommand::FirstSlide
            | UiCommand::LastSlide
            | UiCommand::EndPresentation => {}
        }
    }

    /// Whether `command` can run now: menus and the palette grey it out otherwise.
    pub fn command_enabled(&self, command: UiCommand) -> bool {
        match command {
            UiCommand::Undo => self.history.can_undo(),
            UiCommand::Redo => self.history.can_redo(),
            UiCommand::AddLink => !self.case.entities.is_empty(),
            UiCommand::DeleteSelection => self.selection.is_some(),
            UiCommand::FitSelection | UiCommand::Copy | UiCommand::Cut => {
                !self.canvas.selected.is_empty()
            }
            UiCommand::Paste => false,
            _ => true,
        }
    }
}
