//! One table of user commands serves the menus, the keyboard shortcuts and the help window:
//! each command has its label and its key, defined once.

use egui::{Key, KeyboardShortcut, Modifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UiCommand {
    New,
    Open,
    OpenByPath,
    Save,
    SaveAs,
    Quit,
    Undo,
    Redo,
    AddEntity,
    AddLink,
    AddShipment,
    DeleteSelection,
    FindInList,
    FindOnCanvas,
    CanvasOnly,
    ToggleTheme,
    Settings,
    Shortcuts,
    Timeline,
    Present,
    ExportReport,
}

impl UiCommand {
    pub const ALL: [UiCommand; 21] = [
        UiCommand::New,
        UiCommand::Open,
        UiCommand::OpenByPath,
        UiCommand::Save,
        UiCommand::SaveAs,
        UiCommand::Quit,
        UiCommand::Undo,
        UiCommand::Redo,
        UiCommand::AddEntity,
        UiCommand::AddLink,
        UiCommand::AddShipment,
        UiCommand::DeleteSelection,
        UiCommand::FindInList,
        UiCommand::FindOnCanvas,
        UiCommand::CanvasOnly,
        UiCommand::ToggleTheme,
        UiCommand::Settings,
        UiCommand::Shortcuts,
        UiCommand::Timeline,
        UiCommand::Present,
        UiCommand::ExportReport,
    ];

    /// Menu text; ends in `…` when the command opens a dialog.
    pub fn label(self) -> &'static str {
        match self {
            UiCommand::New => "New case",
            UiCommand::Open => "Open…",
            UiCommand::OpenByPath => "Open by path…",
            UiCommand::Save => "Save",
            UiCommand::SaveAs => "Save as…",
            UiCommand::Quit => "Quit",
            UiCommand::Undo => "Undo",
            UiCommand::Redo => "Redo",
            UiCommand::AddEntity => "Add entity",
            UiCommand::AddLink => "Add link",
            UiCommand::AddShipment => "Add shipment",
            UiCommand::DeleteSelection => "Delete selected",
            UiCommand::FindInList => "Filter the list",
            UiCommand::FindOnCanvas => "Find on canvas…",
            UiCommand::CanvasOnly => "Canvas only (hide side panels)",
            UiCommand::ToggleTheme => "Toggle light/dark theme",
            UiCommand::Settings => "Settings…",
            UiCommand::Shortcuts => "Keyboard shortcuts…",
            UiCommand::Timeline => "Timeline",
            UiCommand::Present => "Present saved views",
            UiCommand::ExportReport => "Export report…",
        }
    }

    /// The keyboard shortcut, if the command has one.
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let cmd = Modifiers::COMMAND;
        let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        let key = match self {
            UiCommand::New => (cmd, Key::N),
            UiCommand::Open => (cmd, Key::O),
            UiCommand::Save => (cmd, Key::S),
            UiCommand::SaveAs => (cmd_shift, Key::S),
            UiCommand::Quit => (cmd, Key::Q),
            UiCommand::Undo => (cmd, Key::Z),
            UiCommand::Redo => (cmd_shift, Key::Z),
            UiCommand::AddEntity => (cmd, Key::E),
            UiCommand::AddLink => (cmd, Key::L),
            UiCommand::AddShipment => (cmd_shift, Key::E),
            UiCommand::DeleteSelection => (Modifiers::NONE, Key::Delete),
            UiCommand::FindInList => (cmd_shift, Key::F),
            UiCommand::FindOnCanvas => (cmd, Key::F),
            UiCommand::CanvasOnly => (Modifiers::NONE, Key::F11),
            UiCommand::ToggleTheme => (cmd_shift, Key::T),
            UiCommand::Settings => (cmd, Key::Comma),
            UiCommand::Timeline => (cmd, Key::T),
            UiCommand::Present => (Modifiers::NONE, Key::F5),
            UiCommand::OpenByPath | UiCommand::Shortcuts | UiCommand::ExportReport => return None,
        };
        Some(KeyboardShortcut::new(key.0, key.1))
    }

    /// Extra keys that also trigger the command (Ctrl+Y for redo, as on Windows; Backspace for
    /// delete, as on a Mac keyboard).
    pub fn alternative_shortcut(self) -> Option<KeyboardShortcut> {
        match self {
            UiCommand::Redo => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::Y)),
            UiCommand::DeleteSelection => {
                Some(KeyboardShortcut::new(Modifiers::NONE, Key::Backspace))
            }
            UiCommand::Shortcuts => Some(KeyboardShortcut::new(Modifiers::NONE, Key::F1)),
            _ => None,
        }
    }

    /// Commands that must not steal keys from a focused text field (its own undo, delete ...).
    fn yields_to_text_input(self) -> bool {
        matches!(
            self,
            UiCommand::Undo | UiCommand::Redo | UiCommand::DeleteSelection
        )
    }

    /// Human text for the shortcut ("Ctrl+Shift+S"), for menus and the help window.
    pub fn shortcut_text(self, ctx: &egui::Context) -> String {
        self.shortcut()
            .map(|s| ctx.format_shortcut(&s))
            .unwrap_or_default()
    }

    /// Commands whose shortcuts were pressed this frame. Shortcuts with more modifiers are
    /// checked first so Ctrl+Shift+S is not taken for Ctrl+S.
    pub fn pressed(ctx: &egui::Context) -> Vec<UiCommand> {
        let typing = ctx.egui_wants_keyboard_input();
        let mut table: Vec<(KeyboardShortcut, UiCommand)> = Self::ALL
            .iter()
            .flat_map(|c| {
                [c.shortcut(), c.alternative_shortcut()]
                    .into_iter()
                    .flatten()
                    .map(move |s| (s, *c))
            })
            .collect();
        table.sort_by_key(|(s, _)| {
            std::cmp::Reverse(u8::from(s.modifiers.shift) + u8::from(s.modifiers.alt))
        });
        let mut pressed = Vec::new();
        for (shortcut, command) in table {
            if typing && command.yields_to_text_input() {
                continue;
            }
            if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                pressed.push(command);
            }
        }
        pressed
    }
}
