//! The command palette (Ctrl+K): type to find any command of the table by the words of its
//! label, see its shortcut, press Enter (or click) to run it. ↑/↓ move the choice, Esc closes.
//! Commands that cannot run now (Undo with nothing to undo ...) are listed greyed out.

use super::commands::UiCommand;
use egui::{Key, RichText};

#[derive(Default)]
pub struct CommandPalette {
    /// Whether the palette is on screen.
    pub open: bool,
    query: String,
    /// Index of the highlighted row among the matching commands.
    chosen: usize,
    focus: bool,
}

impl CommandPalette {
    pub fn open(&mut self) {
        self.open_with(String::new());
    }

    /// Opens the palette with `query` typed already.
    pub fn open_with(&mut self, query: String) {
        self.open = true;
        self.query = query;
        self.chosen = 0;
        self.focus = true;
    }

    /// Draws the palette when open; the command the user chose, if any (the palette closes).
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        enabled: impl Fn(UiCommand) -> bool,
    ) -> Option<UiCommand> {
        if !self.open {
            return None;
        }
        let matches = UiCommand::matching(&self.query);
        let (up, down, enter) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, Key::ArrowDown),
                i.consume_key(egui::Modifiers::NONE, Key::Enter),
            )
        });
        if down {
            self.chosen = (self.chosen + 1).min(matches.len().saturating_sub(1));
        }
        if up {
            self.chosen = self.chosen.saturating_sub(1);
        }
        self.chosen = self.chosen.min(matches.len().saturating_sub(1));
        let mut run = None;
        if enter
            && let Some(c) = matches.get(self.chosen).copied()
            && enabled(c)
        {
            run = Some(c);
        }
        let response = egui::Modal::new(egui::Id::unique("command_palette"))
            .area(
                egui::Modal::default_area(egui::Id::unique("command_palette_area"))
                    .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 80.0)),
            )
            .show(ctx, |ui| {
                ui.set_width(460.0);
                let field = ui.add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text("Type a command…")
                        .desired_width(f32::INFINITY),
                );
                field.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Command palette")
                });
                if std::mem::take(&mut self.focus) {
                    field.request_focus();
                }
                if field.changed() {
                    self.chosen = 0;
                }
                ui.separator();
                if matches.is_empty() {
                    ui.weak("No command matches");
                }
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        for (i, c) in matches.iter().copied().enumerate() {
                            let mut row = egui::Button::selectable(i == self.chosen, c.label())
                                .min_size(egui::vec2(ui.available_width(), 0.0));
                            if c.shortcut().is_some() {
                                row = row.shortcut_text(RichText::new(c.shortcut_text(ctx)).weak());
                            }
                            let response = ui.add_enabled(enabled(c), row);
                            if i == self.chosen && (up || down) {
                                response.scroll_to_me(None);
                            }
                            if response.clicked() {
                                run = Some(c);
                            }
                        }
                    });
            });
        if run.is_some() || response.should_close() {
            self.open = false;
        }
        run
    }
}
