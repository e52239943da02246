//! The views panel: the case's saved views ("slides") in presentation order, each with a
//! thumbnail. New views are captured from the canvas; a view is renamed, captioned, moved,
//! updated from the canvas or deleted, each change one undo step; clicking a view shows it.

use crate::edit::{Edit, Item};
use crate::model::{Case, ItemRef, SavedView, ViewId};
use crate::ui::action::Action;
use crate::ui::canvas::Canvas;
use crate::ui::theme;
use egui::{RichText, Sense, Ui};

/// The kind of picture "Export picture…" writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PictureFormat {
    #[default]
    Png,
    Svg,
}

impl PictureFormat {
    pub fn extension(self) -> &'static str {
        match self {
            PictureFormat::Png => "png",
            PictureFormat::Svg => "svg",
        }
    }
}

/// Picture widths offered, in pixels: HD to 4K UHD.
pub const PICTURE_WIDTHS: [u32; 4] = [1280, 1920, 2560, 3840];

/// Name and caption being edited, committed as one edit when the field loses focus.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    id: ViewId,
    name: String,
    caption: String,
}

#[derive(Default)]
pub struct ViewsPanel {
    /// The view last clicked or created; its name and caption are open for editing.
    pub current: Option<ViewId>,
    draft: Option<Draft>,
    /// Format and width of exported pictures.
    pub picture_format: PictureFormat,
    /// Width of exported PNG pictures, in pixels (0 until chosen: 1920).
    pub picture_width: u32,
    /// The view whose picture is being exported (while the file dialog is open).
    pub exporting: Option<ViewId>,
}

impl ViewsPanel {
    /// The width exported pictures get.
    pub fn width(&self) -> u32 {
        if self.picture_width == 0 {
            1920
        } else {
            self.picture_width
        }
    }

    /// A file name for the picture of the view being exported.
    pub fn export_file_name(&self, case: &Case) -> String {
        let name = self
            .exporting
            .as_ref()
            .and_then(|id| case.views.iter().find(|v| &v.id == id))
            .map_or_else(|| "view".to_owned(), |v| crate::model::slug(&v.name));
        format!("{name}.{}", self.picture_format.extension())
    }

    /// Makes `id` the view open for editing (after creating it).
    pub fn open(&mut self, id: ViewId) {
        self.current = Some(id);
        self.draft = None;
    }

    pub fn ui(&mut self, ui: &mut Ui, case: &Case, canvas: &Canvas, actions: &mut Vec<Action>) {
        if self
            .current
            .as_ref()
            .is_some_and(|id| !case.views.iter().any(|v| &v.id == id))
        {
            self.current = None;
        }
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("New view from canvas")
                .on_hover_text(
                    "Save the canvas as it is now (camera, filters, selection) as a view",
                )
                .clicked()
            {
                actions.push(Action::CaptureView);
            }
            let start = self
                .current
                .as_ref()
                .and_then(|id| case.views.iter().position(|v| &v.id == id))
                .unwrap_or(0);
            if ui
                .button("▶ Present")
                .on_hover_text("Present the views full screen (F5); Esc returns here")
                .clicked()
            {
                actions.push(Action::PresentFrom(start));
            }
        });
        ui.separator();
        if case.views.is_empty() {
            ui.weak(
                "No saved views yet. Arrange the canvas (camera, filters, selection), then \
                 “New view from canvas”. Views are the slides of a briefing: F5 presents them.",
            );
            return;
        }
        ui.weak(format!(
            "{} views, in presentation order. Click one to show it.",
            case.views.len()
        ));
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (index, view) in case.views.iter().enumerate() {
                    self.view_row_ui(ui, case, canvas, index, view, actions);
                }
            });
    }

    fn view_row_ui(
        &mut self,
        ui: &mut Ui,
        case: &Case,
        canvas: &Canvas,
        index: usize,
        view: &SavedView,
        actions: &mut Vec<Action>,
    ) {
        let current = self.current.as_ref() == Some(&view.id);
        let dark = ui.visuals().dark_mode;
        let stroke = if current {
            egui::Stroke::new(2.0, theme::selection_color(dark))
        } else {
            ui.visuals().widgets.noninteractive.bg_stroke
        };
        egui::Frame::group(ui.style())
            .stroke(stroke)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    let (rect, response) =
                        ui.allocate_exact_size(theme::VIEW_THUMBNAIL_SIZE, Sense::click());
                    canvas.paint_thumbnail(ui.painter(), rect, view);
                    if response.on_hover_text("Show this view").clicked() {
                        self.open(view.id.clone());
                        actions.push(Action::ShowView(view.id.clone()));
                    }
                    ui.vertical(|ui| {
                        let title = RichText::new(format!("{}. {}", index + 1, view.name)).strong();
                        if ui.link(title).clicked() {
                            self.open(view.id.clone());
                            actions.push(Action::ShowView(view.id.clone()));
                        }
                        if !view.caption.is_empty() {
                            ui.add(
                                egui::Label::new(RichText::new(&view.caption).weak()).truncate(),
                            );
                        }
                        ui.horizontal(|ui| {
                            let last = case.views.len() - 1;
                            if ui
                                .add_enabled(index > 0, egui::Button::new("▲").small())
                                .on_hover_text("Move up")
                                .clicked()
                            {
                                actions.push(move_view(view, index - 1, "up"));
                            }
                            if ui
                                .add_enabled(index < last, egui::Button::new("▼").small())
                                .on_hover_text("Move down")
                                .clicked()
                            {
                                actions.push(move_view(view, index + 1, "down"));
                            }
                            if ui
                                .small_button("Update")
                                .on_hover_text("Replace this view with the canvas as it is now")
                                .clicked()
                            {
                                actions.push(Action::UpdateView(view.id.clone()));
                            }
                            if ui
                                .small_button("Present")
                                .on_hover_text("Present from this view")
                                .clicked()
                            {
                                actions.push(Action::PresentFrom(index));
                            }
                            if ui.small_button("Delete").clicked() {
                                actions.push(Action::Apply {
                                    select: None,
                                    label: format!("Delete view {}", view.name),
                                    edit: Edit::Remove(ItemRef::View(view.id.clone())),
                                });
                            }
                        });
                    });
                });
                if current {
                    self.editor_ui(ui, view, actions);
                }
            });
    }

    /// Name and caption fields of the current view; a change is one edit when typing ends.
    fn editor_ui(&mut self, ui: &mut Ui, view: &SavedView, actions: &mut Vec<Action>) {
        if self.draft.as_ref().is_none_or(|d| d.id != view.id) {
            self.draft = Some(Draft {
                id: view.id.clone(),
                name: view.name.clone(),
                caption: view.caption.clone(),
            });
        }
        let Some(draft) = &mut self.draft else {
            return;
        };
        let mut commit = false;
        crate::ui::widgets::form_grid(ui, "view_editor", |ui| {
            let label = ui.label("View name");
            let r = ui
                .add(
                    egui::TextEdit::singleline(&mut draft.name)
                        .desired_width(theme::INSPECTOR_FIELD_WIDTH),
                )
                .labelled_by(label.id);
            commit |= r.lost_focus();
            ui.end_row();
            let label = ui.label("Caption");
            let r = ui
                .add(
                    egui::TextEdit::multiline(&mut draft.caption)
                        .desired_rows(3)
                        .hint_text("What the audience should see here")
                        .desired_width(theme::INSPECTOR_FIELD_WIDTH),
                )
                .labelled_by(label.id);
            commit |= r.lost_focus();
            ui.end_row();
            let picture = ui.label("Picture").id;
            ui.horizontal(|ui| {
                egui::ComboBox::from_id_salt("picture_format")
                    .selected_text(self.picture_format.extension().to_uppercase())
                    .width(60.0)
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut self.picture_format, PictureFormat::Png, "PNG");
                        ui.selectable_value(&mut self.picture_format, PictureFormat::Svg, "SVG");
                    })
                    .response
                    .labelled_by(picture);
                let width = if self.picture_width == 0 {
                    1920
                } else {
                    self.picture_width
                };
                egui::ComboBox::from_id_salt("picture_width")
                    .selected_text(format!("{width} px"))
                    .width(90.0)
                    .show_ui(ui, |ui| {
                        for w in PICTURE_WIDTHS {
                            let label = if w == 3840 {
                                "3840 px (4K)".to_owned()
                            } else {
                                format!("{w} px")
                            };
                            ui.selectable_value(&mut self.picture_width, w, label);
                        }
                    })
                    .response
                    .labelled_by(picture);
                if ui
                    .button("Export picture…")
                    .on_hover_text("Save this view as a PNG or SVG picture, for slides")
                    .clicked()
                {
                    actions.push(Action::ExportViewImage(view.id.clone()));
                }
            });
            ui.end_row();
        });
        if commit && (draft.name != view.name || draft.caption != view.caption) {
            if draft.name.trim().is_empty() {
                draft.name = view.name.clone();
                return;
            }
            let mut changed = view.clone();
            changed.name = draft.name.trim().to_owned();
            changed.caption = draft.caption.clone();
            let label = if changed.name == view.name {
                format!("Edit caption of view {}", view.name)
            } else {
                format!("Rename view {} to {}", view.name, changed.name)
            };
            actions.push(Action::Apply {
                select: None,
                label,
                edit: Edit::Replace(Item::from(changed)),
            });
        }
    }
}

fn move_view(view: &SavedView, index: usize, direction: &str) -> Action {
    Action::Apply {
        select: None,
        label: format!("Move view {} {direction}", view.name),
        edit: Edit::MoveView {
            id: view.id.clone(),
            index,
        },
    }
}
