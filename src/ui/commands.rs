//! One table of user commands serves the menus, the keyboard shortcuts, the help window (F1)
//! and the command palette (Ctrl+K): each command has its label, its scope and its keys,
//! defined once in [`command_table!`]. Adding a command is one line in the table (and its arm
//! in the `run_command` of its scope, which the compiler asks for).
//!
//! Keys are read once per frame per scope by [`UiCommand::pressed`]; canvas gestures (drag to
//! pan, double-click to create) are not keys and are listed in [`CANVAS_GESTURES`].

use egui::{Key, KeyboardShortcut, Modifiers};

/// Where a command's keys work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Anywhere in the editor (menus, panels, canvas), unless a dialog is open.
    App,
    /// On the canvas, when no text field has the keyboard. Live at the same time as
    /// [`Scope::App`], so their keys must not clash either.
    Canvas,
    /// While presenting saved views; the editor's keys are off then.
    Presentation,
}

impl Scope {
    /// Heading in the shortcuts window.
    pub fn title(self) -> &'static str {
        match self {
            Scope::App => "Everywhere",
            Scope::Canvas => "On the canvas",
            Scope::Presentation => "While presenting",
        }
    }

    pub const ALL: [Scope; 3] = [Scope::App, Scope::Canvas, Scope::Presentation];
}

const fn key(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, k)
}
const fn cmd(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, k)
}
const fn shift(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::SHIFT, k)
}
const fn cmd_shift(k: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), k)
}

/// Declares [`UiCommand`] with `ALL`, `label`, `scope` and `keys` from one list, so no second
/// list can fall out of step with it.
macro_rules! command_table {
    ($( $(#[$doc:meta])* $name:ident => $label:literal, $scope:ident, [$($key:expr),*]; )*) => {
        /// A user command: a menu item, a shortcut, a canvas or presentation key, a palette
        /// entry. See [`command_table!`] for the table itself.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[must_use]
        pub enum UiCommand {
            $( $(#[$doc])* $name, )*
        }

        impl UiCommand {
            /// Every command, in table order (the order of the help window and the palette).
            pub const ALL: &'static [UiCommand] = &[$(UiCommand::$name),*];

            /// Menu and palette text; ends in `…` when the command opens a dialog.
            pub fn label(self) -> &'static str {
                match self { $(UiCommand::$name => $label,)* }
            }

            pub fn scope(self) -> Scope {
                match self { $(UiCommand::$name => Scope::$scope,)* }
            }

            /// Every key that runs the command, the main one first.
            pub fn keys(self) -> &'static [KeyboardShortcut] {
                match self { $(UiCommand::$name => const { &[$($key),*] },)* }
            }
        }
    };
}

command_table! {
    New => "New case", App, [cmd(Key::N)];
    Open => "Open…", App, [cmd(Key::O)];
    OpenByPath => "Open by path…", App, [];
    StartPage => "Start page", App, [];
    Save => "Save", App, [cmd(Key::S)];
    SaveAs => "Save as…", App, [cmd_shift(Key::S)];
    ExportReport => "Export report…", App, [];
    ExportChart => "Export picture of the chart (SVG, PNG)…", App, [];
    ExportGraphml => "Export GraphML (yEd, Cytoscape, networkx)…", App, [];
    ExportGexf => "Export GEXF (Gephi)…", App, [];
    ExportCsv => "Export CSV tables…", App, [];
    ExportFtm => "Export FollowTheMoney (Aleph)…", App, [];
    ExportDot => "Export Graphviz DOT…", App, [];
    ImportCsv => "Import CSV…", App, [];
    ImportFtm => "Import FollowTheMoney…", App, [];
    Merge => "Merge a colleague's copy…", App, [];
    ExportBundle => "Export bundle…", App, [];
    Settings => "Settings…", App, [cmd(Key::Comma)];
    Quit => "Quit", App, [cmd(Key::Q)];
    /// Ctrl+Y as on Windows.
    Undo => "Undo", App, [cmd(Key::Z)];
    Redo => "Redo", App, [cmd_shift(Key::Z), cmd(Key::Y)];
    AddEntity => "Add entity", App, [cmd(Key::E)];
    AddLink => "Add link", App, [cmd(Key::L)];
    AddShipment => "Add shipment", App, [cmd_shift(Key::E)];
    /// Backspace as on a Mac keyboard.
    DeleteSelection => "Delete selected", App, [key(Key::Delete), key(Key::Backspace)];
    FindInList => "Filter the list", App, [cmd_shift(Key::F)];
    FindOnCanvas => "Find on canvas…", App, [cmd(Key::F)];
    CommandPalette => "Command palette…", App, [cmd(Key::K)];
    ToggleTheme => "Toggle light/dark theme", App, [cmd_shift(Key::T)];
    CanvasOnly => "Canvas only (hide side panels)", App, [key(Key::F11)];
    Timeline => "Timeline", App, [cmd(Key::T)];
    TableView => "Table view (entities, links, shipments)", App, [cmd_shift(Key::L)];
    Present => "Present saved views", App, [key(Key::F5)];
    CaseDetails => "Case details", App, [];
    Shortcuts => "Keyboard shortcuts…", App, [key(Key::F1)];
    FitAll => "Fit all in view", Canvas, [key(Key::F)];
    FitSelection => "Zoom to the selection", Canvas, [shift(Key::F)];
    ZoomIn => "Zoom in", Canvas, [key(Key::Plus), key(Key::Equals)];
    ZoomOut => "Zoom out", Canvas, [key(Key::Minus)];
    SelectAll => "Select all", Canvas, [cmd(Key::A)];
    CancelOrClear => "Cancel, or clear the selection", Canvas, [key(Key::Escape)];
    /// The system delivers Ctrl+C / X / V as clipboard events: see [`UiCommand::is_clipboard`].
    Copy => "Copy entities", Canvas, [cmd(Key::C)];
    Cut => "Cut entities", Canvas, [cmd(Key::X)];
    Paste => "Paste entities", Canvas, [cmd(Key::V)];
    NextSlide => "Next view", Presentation,
        [key(Key::ArrowRight), key(Key::PageDown), key(Key::Space), key(Key::ArrowDown), key(Key::Enter)];
    PreviousSlide => "Previous view", Presentation,
        [key(Key::ArrowLeft), key(Key::PageUp), key(Key::ArrowUp), key(Key::Backspace)];
    FirstSlide => "First view", Presentation, [key(Key::Home)];
    LastSlide => "Last view", Presentation, [key(Key::End)];
    EndPresentation => "End the presentation", Presentation, [key(Key::Escape), key(Key::F5)];
}

/// Canvas gestures: pointer actions, not keys, listed in the shortcuts window beside the keys.
pub const CANVAS_GESTURES: &[(&str, &str)] = &[
    ("Pan", "Space+drag, or drag the background"),
    ("Create an entity", "Double-click"),
    (
        "Link two entities",
        "Drag from a node's handle to another node",
    ),
];

impl UiCommand {
    /// The main keyboard shortcut, if the command has one (shown in menus).
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        self.keys().first().copied()
    }

    /// Human text for the main shortcut ("Ctrl+Shift+S"), for menus and the palette.
    pub fn shortcut_text(self, ctx: &egui::Context) -> String {
        self.shortcut()
            .map(|s| ctx.format_shortcut(&s))
            .unwrap_or_default()
    }

    /// Every key of the command as text ("Delete / Backspace"), for the shortcuts window.
    pub fn keys_text(self, ctx: &egui::Context) -> String {
        self.keys()
            .iter()
            .map(|s| ctx.format_shortcut(s))
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// Commands that leave the start page showing: they open another case, a dialog over the
    /// page, or do not touch the case (every other command acts on the untitled case behind
    /// the page, which then shows).
    pub fn keeps_start_page(self) -> bool {
        matches!(
            self,
            UiCommand::Open
                | UiCommand::OpenByPath
                | UiCommand::StartPage
                | UiCommand::Settings
                | UiCommand::Shortcuts
                | UiCommand::CommandPalette
                | UiCommand::ToggleTheme
                | UiCommand::Quit
        )
    }

    /// Commands that must not steal keys from a focused text field (its own undo, delete ...).
    fn yields_to_text_input(self) -> bool {
        matches!(
            self,
            UiCommand::Undo | UiCommand::Redo | UiCommand::DeleteSelection
        )
    }

    /// Copy, cut and paste arrive from the system as clipboard events rather than keys; the
    /// canvas reads those events, and the palette cannot paste (it has no clipboard text).
    pub fn is_clipboard(self) -> bool {
        matches!(self, UiCommand::Copy | UiCommand::Cut | UiCommand::Paste)
    }

    /// Commands the palette offers: the editor's (presentation keys work only while
    /// presenting, paste needs the system's clipboard event, the palette is open already).
    pub fn in_palette(self) -> bool {
        self.scope() != Scope::Presentation
            && !matches!(self, UiCommand::Paste | UiCommand::CommandPalette)
    }

    /// Commands of `scope` whose keys were pressed this frame, each consumed. Shortcuts with
    /// more modifiers are checked first so Ctrl+Shift+S is not taken for Ctrl+S (egui matches
    /// a shortcut without Shift to a key pressed with it).
    pub fn pressed(ctx: &egui::Context, scope: Scope) -> Vec<UiCommand> {
        let typing = ctx.egui_wants_keyboard_input();
        let mut table: Vec<(KeyboardShortcut, UiCommand)> = Self::ALL
            .iter()
            .filter(|c| c.scope() == scope && !c.is_clipboard())
            .flat_map(|c| c.keys().iter().map(move |s| (*s, *c)))
            .collect();
        table.sort_by_key(|(s, _)| {
            std::cmp::Reverse(u8::from(s.modifiers.shift) + u8::from(s.modifiers.alt))
        });
        let mut pressed = Vec::new();
        for (shortcut, command) in table {
            if typing && command.yields_to_text_input() {
                continue;
            }
            if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) && !pressed.contains(&command) {
                pressed.push(command);
            }
        }
        pressed
    }

    /// Commands whose label holds every word of `query` (any case), in table order: what the
    /// palette lists as the user types.
    pub fn matching(query: &str) -> Vec<UiCommand> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        Self::ALL
            .iter()
            .copied()
            .filter(|c| c.in_palette())
            .filter(|c| {
                let label = c.label().to_lowercase();
                words.iter().all(|w| label.contains(w.as_str()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two commands live at once must not share a key: the second would never run.
    fn clashes(table: &[UiCommand]) -> Vec<String> {
        let live_together = |a: Scope, b: Scope| {
            a == b
                || matches!(
                    (a, b),
                    (Scope::App, Scope::Canvas) | (Scope::Canvas, Scope::App)
                )
        };
        let mut found = Vec::new();
        for (i, a) in table.iter().enumerate() {
            for b in &table[i + 1..] {
                if !live_together(a.scope(), b.scope()) {
                    continue;
                }
                for ka in a.keys() {
                    if b.keys().contains(ka) {
                        found.push(format!("{a:?} and {b:?} share {ka:?}"));
                    }
                }
            }
            let keys = a.keys();
            for (j, k) in keys.iter().enumerate() {
                if keys[j + 1..].contains(k) {
                    found.push(format!("{a:?} lists {k:?} twice"));
                }
            }
        }
        found
    }

    #[test]
    fn no_two_commands_live_at_once_share_a_key() {
        assert_eq!(clashes(UiCommand::ALL), Vec::<String>::new());
    }

    #[test]
    fn the_clash_check_catches_a_clash() {
        // Fit all (canvas, F) against Find on canvas (app, Ctrl+F): different keys ...
        assert!(clashes(&[UiCommand::FitAll, UiCommand::FindOnCanvas]).is_empty());
        // ... but Escape ends a presentation and cancels on the canvas: fine, never live
        // together; Backspace deletes in the editor and goes back a slide when presenting.
        assert!(clashes(&[UiCommand::CancelOrClear, UiCommand::EndPresentation]).is_empty());
        assert!(clashes(&[UiCommand::DeleteSelection, UiCommand::PreviousSlide]).is_empty());
        // The same command twice is the smallest real clash.
        assert_eq!(clashes(&[UiCommand::Save, UiCommand::Save]).len(), 1);
    }

    #[test]
    fn labels_are_unique_and_the_table_lists_each_command_once() {
        let mut labels: Vec<&str> = UiCommand::ALL.iter().map(|c| c.label()).collect();
        let n = labels.len();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), n, "two commands share a label");
    }

    #[test]
    fn the_palette_finds_by_any_words_of_the_label() {
        assert_eq!(UiCommand::matching("save as"), vec![UiCommand::SaveAs]);
        assert_eq!(
            UiCommand::matching("IMPORT follow"),
            vec![UiCommand::ImportFtm]
        );
        assert!(
            UiCommand::matching("next view").is_empty(),
            "presentation keys stay out"
        );
        assert_eq!(
            UiCommand::matching("").len(),
            UiCommand::ALL.iter().filter(|c| c.in_palette()).count()
        );
    }
}
