//! The menu bar, generated from the command table (`ui::commands`): each item is a command
//! with its label, shortcut and whether it can run now; Open recent and the theme choice are
//! the two menus of their own.

use super::{ChokepointApp, Guarded};
use crate::ui::commands::UiCommand;
use crate::ui::theme::ThemeChoice;
use egui::Ui;

impl ChokepointApp {
    pub(super) fn menu_bar_ui(&mut self, ui: &mut Ui, commands: &mut Vec<UiCommand>) {
        let ctx = ui.ctx().clone();
        // One menu item from the command table: its label (Undo and Redo name what they
        // undo), its shortcut, enabled as the command is.
        let item = |app: &Self, ui: &mut Ui, commands: &mut Vec<UiCommand>, c: UiCommand| {
            let label = match (c, app.history.undo_label(), app.history.redo_label()) {
                (UiCommand::Undo, Some(l), _) => format!("Undo {l}"),
                (UiCommand::Redo, _, Some(l)) => format!("Redo {l}"),
                _ => c.label().to_owned(),
            };
            let mut button = egui::Button::new(label);
            if c.shortcut().is_some() {
                // (An empty shortcut text would still join the item's accessible label.)
                button = button.shortcut_text(c.shortcut_text(&ctx));
            }
            if ui.add_enabled(app.command_enabled(c), button).clicked() {
                commands.push(c);
            }
        };
        let items = |app: &Self, ui: &mut Ui, commands: &mut Vec<UiCommand>, cs: &[UiCommand]| {
            for c in cs {
                item(app, ui, commands, *c);
            }
        };
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                use UiCommand as C;
                items(self, ui, commands, &[C::New, C::Open, C::OpenByPath]);
                ui.menu_button("Open recent", |ui| {
                    if self.settings.recent.is_empty() {
                        ui.weak("No recent cases");
                    }
                    let mut open = None;
                    for p in &self.settings.recent {
                        if ui.button(p.display().to_string()).clicked() {
                            open = Some(p.clone());
                        }
                    }
                    if let Some(p) = open {
                        self.guard(&ctx, Guarded::OpenPath(p));
                    }
                });
                item(self, ui, commands, C::StartPage);
                ui.separator();
                items(self, ui, commands, &[C::Save, C::SaveAs]);
                ui.menu_button("Export", |ui| {
                    items(self, ui, commands, &[C::ExportReport, C::ExportChart]);
                    ui.separator();
                    let data = [
                        C::ExportGraphml,
                        C::ExportGexf,
                        C::ExportCsv,
                        C::ExportFtm,
                        C::ExportDot,
                    ];
                    items(self, ui, commands, &data);
                });
                ui.separator();
                let imports = [C::ImportCsv, C::ImportFtm, C::Merge, C::ExportBundle];
                items(self, ui, commands, &imports);
                ui.separator();
                item(self, ui, commands, C::Settings);
                ui.separator();
                item(self, ui, commands, C::Quit);
            });
            ui.menu_button("Edit", |ui| {
                use UiCommand as C;
                items(self, ui, commands, &[C::Undo, C::Redo]);
                ui.separator();
                let add = [C::AddEntity, C::AddLink, C::AddShipment, C::DeleteSelection];
                items(self, ui, commands, &add);
                ui.separator();
                items(self, ui, commands, &[C::FindInList, C::FindOnCanvas]);
            });
            ui.menu_button("View", |ui| {
                use UiCommand as C;
                for choice in ThemeChoice::ALL {
                    if ui
                        .radio_value(&mut self.settings.theme, choice, choice.label())
                        .clicked()
                    {
                        self.theme_override = None;
                    }
                }
                ui.separator();
                let view = [
                    C::ToggleTheme,
                    C::CanvasOnly,
                    C::TableView,
                    C::Timeline,
                    C::Present,
                ];
                items(self, ui, commands, &view);
                item(self, ui, commands, C::CaseDetails);
            });
            ui.menu_button("Help", |ui| {
                use UiCommand as C;
                items(self, ui, commands, &[C::CommandPalette, C::Shortcuts]);
            });
        });
    }
}
