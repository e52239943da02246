//! The command palette (Ctrl+K) through the real app: type words of a command, see its
//! shortcut, press Enter or click to run it; commands that cannot run now do nothing.

use chokepoint::ui::ChokepointApp;
use chokepoint::ui::commands::UiCommand;
use egui::Modifiers;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

fn ready() -> Harness<'static, ChokepointApp> {
    let mut h = common::realtime_harness(chokepoint::seed_case().expect("seed"));
    h.run();
    h.run();
    h
}

fn open_palette(h: &mut Harness<'static, ChokepointApp>) {
    let key = UiCommand::CommandPalette.keys()[0];
    assert_eq!(key.modifiers, Modifiers::COMMAND);
    assert_eq!(key.logical_key, egui::Key::K);
    h.key_press_modifiers(key.modifiers, key.logical_key);
    h.run();
}

fn type_query(h: &mut Harness<'static, ChokepointApp>, text: &str) {
    h.get_by_role_and_label(Role::TextInput, "Command palette")
        .type_text(text);
    h.run();
}

#[test]
fn ctrl_k_finds_a_command_by_its_words_shows_its_shortcut_and_enter_runs_it() {
    let mut h = ready();
    assert!(!h.state().timeline.open);
    open_palette(&mut h);
    type_query(&mut h, "timel");
    // The one match, its shortcut shown in the row (the row's label is both).
    let shortcut = UiCommand::Timeline.shortcut_text(&h.ctx);
    assert!(!shortcut.is_empty());
    h.get_by_role_and_label(Role::Button, &format!("Timeline {shortcut}"));
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.state().timeline.open, "Enter ran the command");
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Command palette")
            .is_none(),
        "the palette closed"
    );
}

#[test]
fn the_palette_runs_canvas_commands_and_arrows_choose_the_row() {
    let mut h = ready();
    let nodes = h.state().canvas.node_count();
    assert!(nodes > 1);
    open_palette(&mut h);
    type_query(&mut h, "select all");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().canvas.selected.len(), nodes);
    // "zoom" matches three commands; ↓ ↓ ↑ chooses the second, Zoom in.
    let matches = UiCommand::matching("zoom");
    assert_eq!(matches.get(1), Some(&UiCommand::ZoomIn), "{matches:?}");
    let zoom = h.state().canvas.zoom;
    open_palette(&mut h);
    type_query(&mut h, "zoom");
    for key in [
        egui::Key::ArrowDown,
        egui::Key::ArrowDown,
        egui::Key::ArrowUp,
    ] {
        h.key_press(key);
        h.run();
    }
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.state().canvas.zoom > zoom * 1.1, "zoomed in");
}

#[test]
fn a_click_runs_a_row_and_a_command_that_cannot_run_does_nothing() {
    let mut h = ready();
    assert_eq!(h.state().history.undo_len(), 0);
    open_palette(&mut h);
    type_query(&mut h, "undo");
    // Nothing to undo: Enter leaves the palette open and the case as it was.
    let before = h.state().case.clone();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().case, before);
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Command palette")
            .is_some()
    );
    // Esc closes it; the canvas did not take the key as its own.
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Command palette")
            .is_none()
    );
    open_palette(&mut h);
    type_query(&mut h, "add entity");
    let row = format!("Add entity {}", UiCommand::AddEntity.shortcut_text(&h.ctx));
    h.get_by_role_and_label(Role::Button, &row).click();
    common::name_new_entity(&mut h, "Palette Trading Ltd");
    assert_eq!(h.state().history.undo_len(), 1, "one entity added");
    assert_eq!(h.state().case.entities.len(), before.entities.len() + 1);
}

#[test]
fn no_match_says_so() {
    let mut h = ready();
    open_palette(&mut h);
    type_query(&mut h, "zzzz no such command");
    h.get_by_label("No command matches");
}

/// The README's shortcut tables, as the command table gives them.
fn shortcut_tables() -> String {
    use chokepoint::ui::commands::{CANVAS_GESTURES, Scope};
    let keys = |c: UiCommand| {
        c.keys()
            .iter()
            .map(|s| s.format(&egui::ModifierNames::NAMES, false))
            .collect::<Vec<_>>()
            .join(", ")
    };
    use std::fmt::Write as _;
    let mut out = String::new();
    for scope in Scope::ALL {
        let _ = write!(
            out,
            "\n{}:\n\n| keys | command |\n| --- | --- |\n",
            scope.title()
        );
        for c in UiCommand::ALL.iter().filter(|c| c.scope() == scope) {
            if !c.keys().is_empty() {
                let _ = writeln!(out, "| {} | {} |", keys(*c), c.label());
            }
        }
        if scope == Scope::Canvas {
            for (what, how) in CANVAS_GESTURES {
                let _ = writeln!(out, "| {how} | {what} |");
            }
        }
    }
    out
}

/// The README's keyboard shortcuts are the command table's: regenerate them with
/// `UPDATE_README=1 cargo test --test ui_commands`.
#[test]
fn the_readme_lists_the_shortcuts_of_the_command_table() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("README");
    let (begin, end) = ("<!-- shortcuts:begin -->\n", "<!-- shortcuts:end -->");
    let from = readme.find(begin).expect("begin marker") + begin.len();
    let to = readme.find(end).expect("end marker");
    let wanted = shortcut_tables();
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{wanted}{}", &readme[..from], &readme[to..]);
        std::fs::write(&path, updated).expect("write README");
        return;
    }
    assert_eq!(
        readme[from..to],
        wanted,
        "README's shortcuts differ from the command table; run UPDATE_README=1 cargo test --test ui_commands"
    );
}
