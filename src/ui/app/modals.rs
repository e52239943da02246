//! The modal dialogs of the app window: Save changes?, save first, typed paths, delete with
//! links, errors, settings, the shortcuts window (generated from the command table), a file
//! changed on disk, and recovery after a crash.
//!
//! Each dialog is one function that draws it and returns a [`Reply`]: stay open, close, or
//! close and then do one named [`Then`]. The follow-up runs once the dialog has closed, so it
//! may open the next one.

use super::{ChokepointApp, DialogKind, Guarded, Modal, StatusKind, expand_home};
use crate::model::ItemRef;
use crate::ui::commands::{CANVAS_GESTURES, Scope, UiCommand};
use crate::ui::fonts;
use crate::ui::theme::{self, ThemeChoice};
use egui::Ui;
use std::path::{Path, PathBuf};

/// What a dialog's button asked for.
#[derive(Debug, PartialEq)]
enum Reply {
    Stay,
    Close,
    CloseThen(Then),
}

/// What runs once a dialog has closed.
#[derive(Debug, PartialEq)]
enum Then {
    /// Save, then go on with the held action.
    Save(Guarded),
    /// Go on with the held action, discarding the unsaved changes.
    Perform(Guarded),
    /// Ask where to save, then go on with the held action.
    SaveAs(Guarded),
    /// Ask for a file of this kind.
    Dialog(DialogKind),
    /// A typed path for this kind of file.
    PathChosen(DialogKind, PathBuf),
    Delete(Vec<ItemRef>),
    /// Merge the version on disk into the open case.
    Merge(PathBuf),
    /// Open the version on disk instead.
    Reload(PathBuf),
    /// Write the open case over the version on disk.
    Overwrite(PathBuf),
    Restore(PathBuf),
    DiscardRecovery(PathBuf),
    /// The investigator's name, from the first start's welcome.
    Investigator(String),
}

/// The reply of a Cancel (or Close, or OK) button.
fn close_button(ui: &mut Ui, label: &str) -> Reply {
    if ui.button(label).clicked() {
        Reply::Close
    } else {
        Reply::Stay
    }
}

/// The first reply that is not Stay.
fn first(replies: impl IntoIterator<Item = Reply>) -> Reply {
    replies
        .into_iter()
        .find(|r| *r != Reply::Stay)
        .unwrap_or(Reply::Stay)
}

/// `then` when the button was clicked.
fn on_click(clicked: bool, then: impl FnOnce() -> Then) -> Reply {
    if clicked {
        Reply::CloseThen(then())
    } else {
        Reply::Stay
    }
}

impl ChokepointApp {
    pub(super) fn modal_ui(&mut self, ctx: &egui::Context) {
        let Some(mut modal) = self.modal.take() else {
            return;
        };
        let response = egui::Modal::new(egui::Id::unique("chokepoint_modal")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            match &mut modal {
                Modal::ConfirmDiscard(action) => {
                    confirm_discard_ui(ui, &self.case.meta.title, action)
                }
                Modal::SaveFirst { action, why } => save_first_ui(ui, action, why),
                Modal::PathPrompt { kind, text, error } => path_prompt_ui(ui, *kind, text, error),
                Modal::ConfirmDelete { targets, links } => {
                    let what = match targets.as_slice() {
                        [one] => format!("“{}”", self.case.item_label(one)),
                        many => format!("{} items", many.len()),
                    };
                    confirm_delete_ui(ui, &what, targets, *links)
                }
                Modal::Error { title, message } => {
                    ui.heading(title.as_str());
                    ui.label(message.as_str());
                    close_button(ui, "OK")
                }
                Modal::Settings {
                    font_text,
                    font_error,
                } => self.settings_ui(ui, font_text, font_error),
                Modal::Conflict { path } => conflict_ui(ui, path),
                Modal::Restore { recovery, saved } => {
                    restore_ui(ui, &self.case.meta.title, recovery, saved)
                }
                Modal::Welcome { name } => welcome_ui(ui, name),
                Modal::Shortcuts => {
                    ui.heading("Keyboard shortcuts");
                    shortcuts_ui(ui);
                    close_button(ui, "Close")
                }
            }
        });
        // Escape or a click outside means cancel, for every dialog (a button pressed in the
        // same frame still counts).
        let reply = match response.inner {
            Reply::Stay if response.should_close() => Reply::Close,
            reply => reply,
        };
        if reply == Reply::Stay {
            self.modal = Some(modal);
            return;
        }
        if self
            .status
            .as_ref()
            .is_some_and(|s| s.kind == StatusKind::Error)
        {
            // The dialog showed the error; it goes with it.
            self.status = None;
        }
        if let Reply::CloseThen(then) = reply {
            self.then(ctx, then);
        }
    }

    fn then(&mut self, ctx: &egui::Context, then: Then) {
        match then {
            Then::Save(action) => self.save_then(action),
            Then::Perform(action) => self.perform(ctx, action),
            Then::SaveAs(action) => {
                self.after_save = Some(action);
                self.spawn_dialog(DialogKind::SaveAs);
            }
            Then::Dialog(kind) => self.spawn_dialog(kind),
            Then::PathChosen(kind, path) => self.path_chosen(ctx, kind, path),
            Then::Delete(targets) => self.delete(&targets),
            Then::Merge(path) => self.merge_from_disk(&path),
            Then::Reload(path) => self.start_loading(ctx, path),
            Then::Overwrite(path) => {
                self.start_write(&path, None);
            }
            Then::Restore(recovery) => self.restore_recovery(&recovery),
            Then::DiscardRecovery(recovery) => {
                let _ = std::fs::remove_file(&recovery);
                self.info("Discarded the recovered changes");
            }
            Then::Investigator(name) => {
                self.info(format!(
                    "Welcome, {name}: your name goes with the evidence and notes you add"
                ));
                self.settings.investigator = name;
            }
        }
    }

    /// The settings window: theme, autosave, investigator, CJK font.
    fn settings_ui(
        &mut self,
        ui: &mut Ui,
        font_text: &mut String,
        font_error: &mut Option<String>,
    ) -> Reply {
        let ctx = ui.ctx().clone();
        let mut reply = Reply::Stay;
        ui.heading("Settings");
        egui::Grid::new("settings_grid")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                ui.label("Theme");
                ui.horizontal(|ui| {
                    for choice in ThemeChoice::ALL {
                        ui.radio_value(&mut self.settings.theme, choice, choice.label());
                    }
                });
                ui.end_row();
                let drawing = ui.label("Far-out drawing").id;
                ui.vertical(|ui| {
                    egui::ComboBox::from_id_salt("far_out_drawing")
                        .selected_text(self.settings.drawing.label())
                        .show_ui(ui, |ui| {
                            for choice in crate::ui::theme::DrawingChoice::ALL {
                                ui.selectable_value(
                                    &mut self.settings.drawing,
                                    choice,
                                    choice.label(),
                                );
                            }
                        })
                        .response
                        .labelled_by(drawing)
                        .on_hover_text(
                            "Far out, draw the chart as one picture made in the background \
                             and moved with the camera: fast without a graphics card. \
                             Automatic does so on a software renderer, and with a graphics \
                             card for large cases while the camera is still.",
                        );
                    ui.weak(match &self.software_renderer {
                        Some(name) => format!("Software renderer: {name}"),
                        None => "Graphics card (or not known)".to_owned(),
                    });
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
                    .on_hover_text(
                        "Unsaved changes go to a recovery file beside the case; 0 turns autosave off",
                    );
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
                                    fonts::install_cjk_font(&ctx, &font);
                                    self.font_family =
                                        Some(format!("{} ({})", font.family, font.path.display()));
                                    self.font_notice = None;
                                    self.settings.cjk_font = Some(font.path);
                                    *font_error = None;
                                }
                                Err(e) => *font_error = Some(e),
                            }
                        }
                        reply = on_click(ui.button("Browse…").clicked(), || {
                            Then::Dialog(DialogKind::Font)
                        });
                    });
                    if let Some(e) = font_error {
                        ui.colored_label(theme::error_color(ui.visuals().dark_mode), e.as_str());
                    }
                });
                ui.end_row();
            });
        first([reply, close_button(ui, "Close")])
    }
}

/// Save changes? before an action that would discard them.
fn confirm_discard_ui(ui: &mut Ui, title: &str, action: &Guarded) -> Reply {
    ui.heading("Save changes?");
    ui.label(format!(
        "“{title}” has unsaved changes. Save them before you {}?",
        match action {
            Guarded::New => "start a new case",
            Guarded::OpenDialog | Guarded::OpenPath(_) | Guarded::OpenSample(_) => {
                "open another case"
            }
            Guarded::StartPage => "go to the start page",
            Guarded::Quit => "quit",
            Guarded::AttachEvidence(_) => "add evidence files",
            Guarded::ExportBundle => "export a bundle",
        }
    ));
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        first([
            on_click(ui.button("Save").clicked(), || Then::Save(action.clone())),
            on_click(ui.button("Don't save").clicked(), || {
                Then::Perform(action.clone())
            }),
            close_button(ui, "Cancel"),
        ])
    })
    .inner
}

/// The case has no file yet and the action needs one.
fn save_first_ui(ui: &mut Ui, action: &Guarded, why: &str) -> Reply {
    ui.heading("Save the case first");
    ui.label(why);
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        first([
            on_click(ui.button("Save as…").clicked(), || {
                Then::SaveAs(action.clone())
            }),
            close_button(ui, "Cancel"),
        ])
    })
    .inner
}

/// A typed path, where no file dialog can be shown.
/// The first start's welcome: the investigator's name (custody log, notes).
fn welcome_ui(ui: &mut Ui, name: &mut String) -> Reply {
    let heading = ui.heading("Welcome to Chokepoint").id;
    ui.label(
        "Chokepoint records who added each piece of evidence (the custody log) and who wrote \
         each note. What name should it use? You can change it later in Settings.",
    );
    ui.add_space(4.0);
    let r = ui
        .add(
            egui::TextEdit::singleline(name)
                .hint_text("Your name, e.g. A. Rossi (BIS Office of Export Enforcement)")
                .desired_width(480.0),
        )
        .labelled_by(heading);
    let enter = (r.lost_focus() || r.has_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if !enter {
        r.request_focus();
    }
    ui.weak("The sample case is open: use Save as… to keep your changes, or File ▸ New case.");
    ui.horizontal(|ui| {
        let given = name.trim().to_owned();
        let ok = ui.add_enabled(!given.is_empty(), egui::Button::new("Continue"));
        let reply = on_click((ok.clicked() || enter) && !given.is_empty(), || {
            Then::Investigator(given.clone())
        });
        first([reply, close_button(ui, "Later")])
    })
    .inner
}

fn path_prompt_ui(
    ui: &mut Ui,
    kind: DialogKind,
    text: &mut String,
    error: &mut Option<String>,
) -> Reply {
    let heading = ui.heading(kind.title()).id;
    let r = ui
        .add(
            egui::TextEdit::singleline(text)
                .hint_text(if kind == DialogKind::Font {
                    "/path/to/font.ttc"
                } else {
                    "/path/to/case.ron"
                })
                .desired_width(480.0),
        )
        .labelled_by(heading);
    // Read Enter before keeping the focus in the field: taking the focus back first hid that
    // Enter had just left it, so Enter did not confirm.
    let enter = (r.lost_focus() || r.has_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if !enter {
        r.request_focus();
    }
    if let Some(e) = error {
        ui.colored_label(theme::warning_color(ui.visuals().dark_mode), e.as_str());
    }
    ui.horizontal(|ui| {
        let mut reply = Reply::Stay;
        if (ui.button("OK").clicked() || enter) && !text.trim().is_empty() {
            let path = expand_home(text.trim());
            if kind == DialogKind::Open && !path.is_file() {
                *error = Some(format!("{} is not a file", path.display()));
            } else {
                reply = Reply::CloseThen(Then::PathChosen(kind, path));
            }
        }
        first([reply, close_button(ui, "Cancel")])
    })
    .inner
}

/// Deleting entities that take links along.
fn confirm_delete_ui(ui: &mut Ui, what: &str, targets: &[ItemRef], links: usize) -> Reply {
    ui.heading(if targets.len() == 1 {
        "Delete entity?"
    } else {
        "Delete items?"
    });
    ui.label(format!(
        "Deleting {what} also deletes {links} link(s). You can undo this."
    ));
    ui.horizontal(|ui| {
        first([
            on_click(ui.button("Delete").clicked(), || {
                Then::Delete(targets.to_vec())
            }),
            close_button(ui, "Cancel"),
        ])
    })
    .inner
}

/// The case file changed on disk since it was opened or saved.
fn conflict_ui(ui: &mut Ui, path: &Path) -> Reply {
    ui.heading("The file changed on disk");
    ui.label(format!(
        "{} was changed by another program since you opened or saved it. Saving now would overwrite those changes.",
        path.display()
    ));
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        let path = path.to_path_buf();
        first([
            on_click(
                ui.button("Merge their changes")
                    .on_hover_text(
                        "Take what only they changed; where both of you changed an item, keep yours",
                    )
                    .clicked(),
                || Then::Merge(path.clone()),
            ),
            on_click(
                ui.button("Reload from disk")
                    .on_hover_text("Discard your unsaved changes and open their version")
                    .clicked(),
                || Then::Reload(path.clone()),
            ),
            on_click(ui.button("Save as…").clicked(), || {
                Then::Dialog(DialogKind::SaveAs)
            }),
            on_click(
                ui.button("Overwrite")
                    .on_hover_text(
                        "Replace their version with yours (theirs is kept as the .bak backup)",
                    )
                    .clicked(),
                || Then::Overwrite(path.clone()),
            ),
            close_button(ui, "Cancel"),
        ])
    })
    .inner
}

/// Recovering the autosaved changes of a session that did not end cleanly.
fn restore_ui(ui: &mut Ui, title: &str, recovery: &Path, saved: &str) -> Reply {
    ui.heading("Recover unsaved changes?");
    ui.label(format!(
        "Chokepoint did not close cleanly last time. Unsaved changes to “{title}” were autosaved {saved}."
    ));
    ui.horizontal(|ui| {
        first([
            on_click(ui.button("Restore").clicked(), || {
                Then::Restore(recovery.to_path_buf())
            }),
            on_click(ui.button("Discard them").clicked(), || {
                Then::DiscardRecovery(recovery.to_path_buf())
            }),
        ])
    })
    .inner
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
