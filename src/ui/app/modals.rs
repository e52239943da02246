//! The modal dialogs of the app window: Save changes?, save first, typed paths, delete with
//! links, errors, settings, the shortcuts window (generated from the command table), a file
//! changed on disk, and recovery after a crash. Each button's follow-up runs once the dialog
//! has closed, so it may open the next one.

use super::{ChokepointApp, DialogKind, FollowUp, Guarded, Modal, StatusKind, expand_home};
use crate::ui::commands::{CANVAS_GESTURES, Scope, UiCommand};
use crate::ui::fonts;
use crate::ui::theme::{self, ThemeChoice};
use egui::Ui;

impl ChokepointApp {
    pub(super) fn modal_ui(&mut self, ctx: &egui::Context) {
        let Some(mut modal) = self.modal.take() else {
            return;
        };
        let mut keep = true;
        let mut then: Option<FollowUp> = None;
        let response = egui::Modal::new(egui::Id::unique("chokepoint_modal")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            match &mut modal {
                Modal::ConfirmDiscard(action) => {
                    ui.heading("Save changes?");
                    ui.label(format!(
                        "“{}” has unsaved changes. Save them before you {}?",
                        self.case.meta.title,
                        match action {
                            Guarded::New => "start a new case",
                            Guarded::OpenDialog | Guarded::OpenPath(_) => "open another case",
                            Guarded::Quit => "quit",
                            Guarded::AttachEvidence(_) => "add evidence files",
                            Guarded::ExportBundle => "export a bundle",
                        }
                    ));
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        let action = action.clone();
                        if ui.button("Save").clicked() {
                            keep = false;
                            let action2 = action.clone();
                            then = Some(Box::new(move |app: &mut Self, _: &egui::Context| {
                                app.save_then(action2);
                            }));
                        }
                        if ui.button("Don't save").clicked() {
                            keep = false;
                            then = Some(Box::new(move |app: &mut Self, ctx: &egui::Context| {
                                app.perform(ctx, action);
                            }));
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::SaveFirst { action, why } => {
                    ui.heading("Save the case first");
                    ui.label(why.as_str());
                    ui.add_space(8.0);
                    ui.horizontal(|ui| {
                        if ui.button("Save as…").clicked() {
                            keep = false;
                            let action = action.clone();
                            then = Some(Box::new(move |app: &mut Self, _: &egui::Context| {
                                app.after_save = Some(action);
                                app.spawn_dialog(DialogKind::SaveAs);
                            }));
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::PathPrompt { kind, text, error } => {
                    let heading = ui.heading(kind.title()).id;
                    let r = ui
                        .add(
                            egui::TextEdit::singleline(text)
                                .hint_text(if *kind == DialogKind::Font {
                                    "/path/to/font.ttc"
                                } else {
                                    "/path/to/case.ron"
                                })
                                .desired_width(480.0),
                        )
                        .labelled_by(heading);
                    // Read Enter before keeping the focus in the field: taking the focus back
                    // first hid that Enter had just left it, so Enter did not confirm.
                    let enter = (r.lost_focus() || r.has_focus())
                        && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if !enter {
                        r.request_focus();
                    }
                    if let Some(e) = error {
                        ui.colored_label(theme::warning_color(ui.visuals().dark_mode), e.as_str());
                    }
                    ui.horizontal(|ui| {
                        if (ui.button("OK").clicked() || enter) && !text.trim().is_empty() {
                            let path = expand_home(text.trim());
                            let kind = *kind;
                            if kind == DialogKind::Open && !path.is_file() {
                                *error = Some(format!("{} is not a file", path.display()));
                            } else {
                                keep = false;
                                then =
                                    Some(Box::new(move |app: &mut Self, ctx: &egui::Context| {
                                        app.path_chosen(ctx, kind, path);
                                    }));
                            }
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::ConfirmDelete { targets, links } => {
                    let what = match targets.as_slice() {
                        [one] => format!("“{}”", self.case.item_label(one)),
                        many => format!("{} items", many.len()),
                    };
                    ui.heading(if targets.len() == 1 {
                        "Delete entity?"
                    } else {
                        "Delete items?"
                    });
                    ui.label(format!(
                        "Deleting {what} also deletes {links} link(s). You can undo this."
                    ));
                    ui.horizontal(|ui| {
                        if ui.button("Delete").clicked() {
                            keep = false;
                            let targets = targets.clone();
                            then = Some(Box::new(move |app: &mut Self, _: &egui::Context| {
                                app.delete(&targets);
                            }));
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::Error { title, message } => {
                    ui.heading(title.as_str());
                    ui.label(message.as_str());
                    if ui.button("OK").clicked() {
                        keep = false;
                    }
                }
                Modal::Settings {
                    font_text,
                    font_error,
                } => {
                    ui.heading("Settings");
                    egui::Grid::new("settings_grid")
                        .num_columns(2)
                        .spacing([12.0, 8.0])
                        .show(ui, |ui| {
                            ui.label("Theme");
                            ui.horizontal(|ui| {
                                for choice in ThemeChoice::ALL {
                                    ui.radio_value(
                                        &mut self.settings.theme,
                                        choice,
                                        choice.label(),
                                    );
                                }
                            });
                            ui.end_row();
                            let autosave = ui.label("Autosave every").id;
                        ui.horizontal(|ui| {
                            ui.add(
                                egui::DragValue::new(&mut self.settings.autosave_seconds)
                                    .range(0..=3600)
                                    .suffix(" s"),
                            )
                            .labelled_by(autosave)
                            .on_hover_text("Unsaved changes go to a recovery file beside the case; 0 turns autosave off");
                            ui.weak("(0 = off)");
                        });
                        ui.end_row();
                        let l = ui.label("Investigator name").id;
                            ui.text_edit_singleline(&mut self.settings.investigator)
                                .labelled_by(l);
                            ui.end_row();
                            let font_label = ui.label("Font for CJK names").id;
                            ui.vertical(|ui| {
                                ui.weak(self.font_family.as_deref().unwrap_or("none found"));
                                ui.horizontal(|ui| {
                                    ui.add(
                                        egui::TextEdit::singleline(font_text)
                                            .hint_text("/path/to/font.ttc")
                                            .desired_width(300.0),
                                    )
                                    .labelled_by(font_label);
                                    if ui.button("Apply").clicked() {
                                        match fonts::load_cjk_font(&expand_home(font_text.trim())) {
                                            Ok(font) => {
                                                fonts::install_cjk_font(ctx, &font);
                                                self.font_family = Some(format!(
                                                    "{} ({})",
                                                    font.family,
                                                    font.path.display()
                                                ));
                                                self.font_notice = None;
                                                self.settings.cjk_font = Some(font.path);
                                                *font_error = None;
                                            }
                                            Err(e) => *font_error = Some(e),
                                        }
                                    }
                                    if ui.button("Browse…").clicked() {
                                        keep = false;
                                        then =
                                            Some(Box::new(|app: &mut Self, _: &egui::Context| {
                                                app.spawn_dialog(DialogKind::Font);
                                            }));
                                    }
                                });
                                if let Some(e) = font_error {
                                    ui.colored_label(
                                        theme::error_color(ui.visuals().dark_mode),
                                        e.as_str(),
                                    );
                                }
                            });
                            ui.end_row();
                        });
                    if ui.button("Close").clicked() {
                        keep = false;
                    }
                }
                Modal::Conflict { path } => {
                    ui.heading("The file changed on disk");
                    ui.label(format!(
                        "{} was changed by another program since you opened or saved it. Saving now would overwrite those changes.",
                        path.display()
                    ));
                    ui.add_space(6.0);
                    ui.horizontal_wrapped(|ui| {
                        let path = path.clone();
                        if ui
                            .button("Merge their changes")
                            .on_hover_text("Take what only they changed; where both of you changed an item, keep yours")
                            .clicked()
                        {
                            keep = false;
                            let p = path.clone();
                            then = Some(Box::new(move |app: &mut Self, _: &egui::Context| {
                                app.merge_from_disk(&p);
                            }));
                        }
                        if ui
                            .button("Reload from disk")
                            .on_hover_text("Discard your unsaved changes and open their version")
                            .clicked()
                        {
                            keep = false;
                            let p = path.clone();
                            then = Some(Box::new(move |app: &mut Self, ctx: &egui::Context| {
                                app.start_loading(ctx, p);
                            }));
                        }
                        if ui.button("Save as…").clicked() {
                            keep = false;
                            then = Some(Box::new(|app: &mut Self, _: &egui::Context| {
                                app.spawn_dialog(DialogKind::SaveAs);
                            }));
                        }
                        if ui
                            .button("Overwrite")
                            .on_hover_text("Replace their version with yours (theirs is kept as the .bak backup)")
                            .clicked()
                        {
                            keep = false;
                            then = Some(Box::new(move |app: &mut Self, _: &egui::Context| {
                                app.start_write(&path, None);
                            }));
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::Restore { recovery, saved } => {
                    ui.heading("Recover unsaved changes?");
                    ui.label(format!(
                        "Chokepoint did not close cleanly last time. Unsaved changes to “{}” were autosaved {saved}.",
                        self.case.meta.title
                    ));
                    ui.horizontal(|ui| {
                        let recovery = recovery.clone();
                        if ui.button("Restore").clicked() {
                            keep = false;
                            let r = recovery.clone();
                            then = Some(Box::new(move |app: &mut Self, _: &egui::Context| {
                                app.restore_recovery(&r);
                            }));
                        }
                        if ui.button("Discard them").clicked() {
                            keep = false;
                            then = Some(Box::new(move |app: &mut Self, _: &egui::Context| {
                                let _ = std::fs::remove_file(&recovery);
                                app.info("Discarded the recovered changes");
                            }));
                        }
                    });
                }
                Modal::Shortcuts => {
                    ui.heading("Keyboard shortcuts");
                    shortcuts_ui(ui);
                    if ui.button("Close").clicked() {
                        keep = false;
                    }
                }
            }
        });
        if response.should_close() {
            // Escape or a click outside means cancel, for every dialog.
            keep = false;
        }
        if keep {
            self.modal = Some(modal);
        } else if self
            .status
            .as_ref()
            .is_some_and(|s| s.kind == StatusKind::Error)
        {
            // The dialog showed the error; it goes with it.
            self.status = None;
        }
        if let Some(f) = then {
            f(self, ctx);
        }
    }
}

/// The shortcuts window's tables, one per scope, every key of every command in the command
/// table, then the canvas gestures.
fn shortcuts_ui(ui: &mut Ui) {
    let ctx = ui.ctx().clone();
    egui::ScrollArea::vertical()
        .max_height(560.0)
        .show(ui, |ui| {
            for scope in Scope::ALL {
                ui.add_space(6.0);
                ui.strong(scope.title());
                egui::Grid::new(("shortcuts_grid", scope.title()))
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for c in UiCommand::ALL.iter().filter(|c| c.scope() == scope) {
                            if !c.keys().is_empty() {
                                ui.label(c.label());
                                ui.monospace(c.keys_text(&ctx));
                                ui.end_row();
                            }
                        }
                        match scope {
                            Scope::App => {
                                ui.label("Commit a field");
                                ui.monospace("Enter / Tab");
                                ui.end_row();
                            }
                            Scope::Canvas => {
                                for (what, how) in CANVAS_GESTURES {
                                    ui.label(*what);
                                    ui.monospace(*how);
                                    ui.end_row();
                                }
                            }
                            Scope::Presentation => {}
                        }
                    });
            }
        });
}
