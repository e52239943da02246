//! UI tests that drive the real app through `egui_kittest`, the way a user would: find widgets by
//! role and label, click, type, and assert on the case afterwards.

use chokepoint::model::{EntityId, ItemRef};
use chokepoint::ui::{ChokepointApp, Settings, Startup};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn seed_app(harness_ctx: &egui::Context) -> ChokepointApp {
    let case = chokepoint::seed_case().expect("the bundled seed case loads");
    ChokepointApp::new(
        harness_ctx,
        Startup {
            case,
            path: None,
            message: None,
            error: None,
            screenshot: None,
        },
        Settings::default(),
        true,
    )
}

fn harness() -> Harness<'static, ChokepointApp> {
    let mut builder = Harness::builder().with_size(egui::vec2(1400.0, 900.0));
    // The app installs a system CJK font for names like 苏菂 (CI installs fonts-noto-cjk);
    // on a machine without one, the app shows a notice and the test still runs.
    if chokepoint::ui::fonts::find_cjk_font(None).is_none() {
        builder = builder.allow_missing_glyphs();
    }
    builder.build_eframe(|cc| seed_app(&cc.egui_ctx))
}

fn su_di() -> EntityId {
    EntityId::from("e-su-di")
}

#[test]
fn select_rename_undo_redo_in_the_inspector() {
    let mut harness = harness();
    harness.run();
    let original = harness.state().case.entities[&su_di()].name.clone();
    assert_eq!(original, "Su Di");

    // Select the entity in the list.
    harness.get_by_label_contains("Su Di").click();
    harness.run();
    assert_eq!(harness.state().selection, Some(ItemRef::Entity(su_di())));

    // Rename it in the inspector: focus the Name field, select all, type, press Enter.
    let name_field = harness.get_by_role_and_label(Role::TextInput, "Name");
    name_field.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text("Su Di (苏菂)");
    harness.run();
    // While typing nothing is committed yet.
    assert_eq!(harness.state().case.entities[&su_di()].name, "Su Di");
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(harness.state().case.entities[&su_di()].name, "Su Di (苏菂)");
    assert!(harness.state().history.is_dirty());
    assert_eq!(
        harness.state().history.undo_len(),
        1,
        "one rename is one undo step"
    );

    // Undo through the Edit menu.
    harness.get_by_label("Edit").click();
    harness.run();
    harness.get_by_label_contains("Undo Edit").click();
    harness.run();
    assert_eq!(harness.state().case.entities[&su_di()].name, "Su Di");
    assert!(!harness.state().history.is_dirty());

    // Redo with the keyboard.
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run();
    assert_eq!(harness.state().case.entities[&su_di()].name, "Su Di (苏菂)");
}

#[test]
fn invalid_input_is_refused_with_a_message_and_nothing_changes() {
    let mut harness = harness();
    harness.run();
    harness.get_by_label_contains("Su Di").click();
    harness.run();
    let before = harness.state().case.clone();
    // An empty name is refused by validation.
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.key_press(egui::Key::Backspace);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(harness.state().case, before);
    assert!(
        harness
            .query_all_by_label_contains("must not be empty")
            .next()
            .is_some()
    );
}

#[test]
fn adding_an_entity_then_undo_removes_it() {
    let mut harness = harness();
    harness.run();
    let count = harness.state().case.entities.len();
    harness
        .get_by_role_and_label(Role::Button, "+ Entity")
        .click();
    harness.run();
    assert_eq!(harness.state().case.entities.len(), count + 1);
    assert!(matches!(
        harness.state().selection,
        Some(ItemRef::Entity(_))
    ));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(harness.state().case.entities.len(), count);
}

#[test]
fn filter_box_narrows_the_list() {
    let mut harness = harness();
    harness.run();
    assert!(harness.query_by_label_contains("Su Di").is_some());
    harness
        .get_by_role_and_label(Role::TextInput, "Filter")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Filter")
        .type_text("zzzz-no-such");
    harness.run();
    assert!(harness.query_by_label_contains("Su Di").is_none());
    assert!(harness.query_by_label_contains("No match").is_some());
}
