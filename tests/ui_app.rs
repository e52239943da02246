//! UI tests that drive the real app through `egui_kittest`, the way a user would: find widgets by
//! role and label, click, type, and assert on the case afterwards.

use chokepoint::model::{EntityId, ItemRef};
use chokepoint::ui::{ChokepointApp, Startup};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

fn harness() -> Harness<'static, ChokepointApp> {
    let case = chokepoint::seed_case().expect("the bundled seed case loads");
    // The app installs a system CJK font for names like 苏菂 (CI installs fonts-noto-cjk);
    // on a machine without one, the app shows a notice and the test still runs.
    common::AppHarness::on(case)
        .size(1400.0, 900.0)
        .few_steps()
        .system_fonts()
        .build()
}

/// The list row (left panel) whose label contains `text`; the canvas has a node of the same name.
fn list_row<'a>(
    harness: &'a Harness<'static, ChokepointApp>,
    text: &'a str,
) -> Option<egui_kittest::Node<'a>> {
    harness
        .query_all_by_label_contains(text)
        .find(|n| n.rect().center().x < chokepoint::ui::theme::LIST_PANEL_WIDTH)
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
    list_row(&harness, "Su Di")
        .expect("Su Di in the list")
        .click();
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
    list_row(&harness, "Su Di")
        .expect("Su Di in the list")
        .click();
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

/// Ctrl+E opens the new-entity form with the keyboard already in its Name field: typing
/// names it, Enter adds it, and its id follows the name (never a placeholder's).
#[test]
fn a_new_entity_is_named_by_typing_straight_away() {
    let mut harness = harness();
    harness.run();
    let count = harness.state().case.entities.len();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    let id = common::name_new_entity(&mut harness, "Acme Trading Pte Ltd");
    assert_eq!(harness.state().case.entities.len(), count + 1);
    assert_eq!(
        harness.state().case.entities[&id].name,
        "Acme Trading Pte Ltd"
    );
    assert!(id.as_str().contains("acme-trading"), "{id}");
    assert_eq!(harness.state().history.undo_label(), Some("Add company"));

    // Enter with no name adds nothing and says why.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
    assert_eq!(harness.state().case.entities.len(), count + 1);
    assert!(
        harness
            .query_by_label_contains("Type the entity's name first")
            .is_some()
    );
    harness.key_press(egui::Key::Escape);
    harness.run();
    assert!(!harness.state().canvas.new_entity_open());
}

#[test]
fn adding_an_entity_then_undo_removes_it() {
    let mut harness = harness();
    harness.run();
    let count = harness.state().case.entities.len();
    harness
        .get_by_role_and_label(Role::Button, "+ Entity")
        .click();
    common::name_new_entity(&mut harness, "Undo Me Ltd");
    assert_eq!(harness.state().case.entities.len(), count + 1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(harness.state().case.entities.len(), count);
}

#[test]
fn filter_box_narrows_the_list() {
    let mut harness = harness();
    harness.run();
    assert!(list_row(&harness, "Su Di").is_some());
    harness
        .get_by_role_and_label(Role::TextInput, "Filter")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Filter")
        .type_text("zzzz-no-such");
    harness.run();
    assert!(list_row(&harness, "Su Di").is_none());
    assert!(harness.query_by_label_contains("No match").is_some());
}

/// An app on the seed case that believes it lives at `path` (the file need not exist).
fn harness_at(path: &std::path::Path) -> Harness<'static, ChokepointApp> {
    let path = path.to_owned();
    harness_with(move || {
        (
            chokepoint::seed_case().expect("seed"),
            Some(path.clone()),
            None,
        )
    })
}

/// A harness over the real app, opened on what `open` returns: case, path and disk stamp.
/// Returns once the app has checked the case's evidence files (see
/// [`wait_for_integrity_check`]).
fn harness_with(
    open: impl Fn() -> (
        chokepoint::model::Case,
        Option<std::path::PathBuf>,
        Option<chokepoint::io::FileStamp>,
    ) + 'static,
) -> Harness<'static, ChokepointApp> {
    let (case, path, stamp) = open();
    let mut harness = common::AppHarness::new(Startup {
        path,
        stamp,
        ..Startup::for_case(case)
    })
    .size(1400.0, 900.0)
    .few_steps()
    .build();
    if harness.state().path.is_some() {
        wait_for_integrity_check(&mut harness);
    }
    harness
}

/// Steps until the app's check of the open case's evidence files has landed.
///
/// A case in a folder has its evidence files checked on a worker thread when it is opened;
/// the answer wakes the UI and, for files missing from the folder (the seed case's, here),
/// adds a warning to the status bar. Landing in the middle of a later `run()`, it would cost
/// that `run()` extra frames, more than its few allowed, or not, depending on how fast the
/// worker was: a test that fails now and then on a busy machine.
fn wait_for_integrity_check(harness: &mut Harness<'static, ChokepointApp>) {
    wait_for(harness, |app| {
        app.integrity.checked_at.is_some() && !app.integrity.pending()
    });
    harness.run();
}

fn rename_su_di(harness: &mut Harness<'static, ChokepointApp>, new_name: &str) {
    list_row(harness, "Su Di")
        .expect("Su Di in the list")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text(new_name);
    harness.key_press(egui::Key::Enter);
    harness.run();
}

#[test]
fn save_then_reopen_finds_the_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.ron");
    let mut harness = harness_at(&path);
    harness.run();
    rename_su_di(&mut harness, "Su Di renamed");
    assert!(harness.state().history.is_dirty());
    assert!(
        harness.state().window_title().starts_with('●'),
        "title marks unsaved changes"
    );
    save_and_wait(&mut harness);
    assert!(!harness.state().history.is_dirty());
    assert!(!harness.state().window_title().starts_with('●'));
    let on_disk = chokepoint::io::load_case(&path).expect("saved file loads");
    assert_eq!(on_disk.entities[&su_di()].name, "Su Di renamed");

    // Reopen in a fresh app: the change is there.
    let mut fresh = harness_at(&dir.path().join("other.ron"));
    fresh.run();
    fresh.state_mut().open_now(&path).expect("reopens");
    wait_for_integrity_check(&mut fresh);
    assert_eq!(fresh.state().case.entities[&su_di()].name, "Su Di renamed");
    assert!(list_row(&fresh, "Su Di renamed").is_some());
}

#[test]
fn failed_save_keeps_the_case_open_and_unsaved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("missing-folder").join("case.ron");
    let mut harness = harness_at(&path);
    harness.run();
    rename_su_di(&mut harness, "Changed");
    save_and_wait(&mut harness);
    assert!(harness.query_by_label("Could not save").is_some());
    assert!(harness.state().history.is_dirty(), "still unsaved");
    assert_eq!(harness.state().case.entities[&su_di()].name, "Changed");
    assert!(!path.exists());
}

#[test]
fn new_asks_before_discarding_unsaved_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut harness = harness_at(&dir.path().join("case.ron"));
    harness.run();
    rename_su_di(&mut harness, "Unsaved name");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    assert!(harness.query_by_label("Save changes?").is_some());
    harness
        .get_by_role_and_label(Role::Button, "Cancel")
        .click();
    harness.run();
    assert!(harness.query_by_label("Save changes?").is_none());
    assert_eq!(harness.state().case.entities[&su_di()].name, "Unsaved name");

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run();
    harness
        .get_by_role_and_label(Role::Button, "Don't save")
        .click();
    harness.run();
    assert!(harness.state().case.entities.is_empty(), "a new empty case");
    assert!(harness.state().path.is_none());
}

#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_case_file_opens_it_and_a_broken_one_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let other = dir.path().join("other.ron");
    let mut case = chokepoint::model::Case::default();
    case.meta.title = "Dropped case".to_owned();
    chokepoint::io::save_case(&other, &case).expect("save");
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(format_version: 2, meta: (title: ").expect("write");

    let mut harness = harness_at(&dir.path().join("case.ron"));
    harness.run();
    let before = harness.state().case.clone();

    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(broken.clone())));
    // Opening runs on a worker thread: wait for its answer, however busy the machine is.
    assert!(common::step_until(&mut harness, |h| h
        .query_by_label("Could not open the case")
        .is_some()));
    assert_eq!(harness.state().case, before, "the open case is untouched");
    harness.get_by_role_and_label(Role::Button, "OK").click();
    harness.run();

    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(other.clone())));
    wait_for(&mut harness, |app| {
        app.path.as_deref() == Some(other.as_path())
    });
    assert_eq!(harness.state().case.meta.title, "Dropped case");
}

#[test]
fn open_by_path_opens_a_case_and_refuses_a_missing_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let other = dir.path().join("typed.ron");
    let mut case = chokepoint::model::Case::default();
    case.meta.title = "Typed path case".to_owned();
    chokepoint::io::save_case(&other, &case).expect("save");

    let mut harness = harness_at(&dir.path().join("case.ron"));
    harness.run();
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label_contains("Open by path").click();
    harness.run();
    let field = || Role::TextInput;
    harness
        .get_by_role_and_label(field(), "Open case by path")
        .type_text("/no/such/file.ron");
    harness.get_by_role_and_label(Role::Button, "OK").click();
    harness.run();
    assert!(harness.query_by_label_contains("is not a file").is_some());

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(field(), "Open case by path")
        .type_text(other.to_str().expect("utf-8 path"));
    harness.get_by_role_and_label(Role::Button, "OK").click();
    wait_for(&mut harness, |app| {
        app.path.as_deref() == Some(other.as_path())
    });
    assert_eq!(harness.state().case.meta.title, "Typed path case");
}

#[test]
fn settings_refuse_a_font_without_cjk_glyphs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let latin = dir.path().join("latin.ttf");
    let fonts = egui::FontDefinitions::default();
    let data = fonts.font_data.values().next().expect("egui bundles fonts");
    std::fs::write(&latin, data.font.as_ref().as_ref()).expect("write");

    let mut harness = harness_at(&dir.path().join("case.ron"));
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Comma);
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Font for CJK names")
        .focus();
    harness.run();
    harness
        .get_by_role_and_label(Role::TextInput, "Font for CJK names")
        .type_text(latin.to_str().expect("utf-8 path"));
    harness.run();
    harness.get_by_role_and_label(Role::Button, "Apply").click();
    harness.run();
    assert!(
        harness
            .query_by_label_contains("no Chinese glyphs")
            .is_some()
    );
    assert_eq!(harness.state().settings.cjk_font, None);
}

/// An app on a saved case file, with the stamp of what it read (as `chokepoint FILE` does).
fn harness_on_file(path: &std::path::Path) -> Harness<'static, ChokepointApp> {
    let path = path.to_owned();
    harness_with(move || {
        let (case, stamp) = chokepoint::io::load_case_stamped(&path).expect("loads");
        (case, Some(path.clone()), stamp)
    })
}

/// Ctrl+S, then frames until the save (written off the UI thread) has ended.
fn save_and_wait(harness: &mut Harness<'static, ChokepointApp>) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    wait_for(harness, |app| !app.is_saving());
    harness.run();
}

fn wait_for(harness: &mut Harness<'static, ChokepointApp>, done: impl Fn(&ChokepointApp) -> bool) {
    assert!(
        common::step_until(harness, |h| done(h.state())),
        "timed out waiting"
    );
}

#[test]
fn autosave_on_focus_loss_then_recover_after_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.ron");
    chokepoint::io::save_case(&path, &chokepoint::seed_case().expect("seed")).expect("save");

    let mut harness = harness_on_file(&path);
    harness.run();
    let recovery = harness.state().recovery_path().expect("recovery path");
    assert!(!recovery.exists());
    rename_su_di(&mut harness, "Autosaved name");
    harness.event(egui::Event::WindowFocused(false));
    wait_for(&mut harness, |app| !app.autosave_pending());
    assert!(recovery.exists(), "unsaved changes were autosaved");
    let on_disk = chokepoint::io::load_case(&path).expect("case file");
    assert_eq!(
        on_disk.entities[&su_di()].name,
        "Su Di",
        "the case file itself is untouched"
    );
    // The app "crashes": dropped without a clean exit.
    drop(harness);

    let mut harness = harness_on_file(&path);
    harness.run();
    assert!(harness.query_by_label("Recover unsaved changes?").is_some());
    harness
        .get_by_role_and_label(Role::Button, "Restore")
        .click();
    harness.run();
    assert_eq!(
        harness.state().case.entities[&su_di()].name,
        "Autosaved name"
    );
    assert!(
        harness.state().history.is_dirty(),
        "restored changes still need saving"
    );
    save_and_wait(&mut harness);
    assert!(!recovery.exists(), "saving removes the recovery file");
    let on_disk = chokepoint::io::load_case(&path).expect("case file");
    assert_eq!(on_disk.entities[&su_di()].name, "Autosaved name");
}

#[test]
fn saving_over_a_file_changed_on_disk_offers_merge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.ron");
    chokepoint::io::save_case(&path, &chokepoint::seed_case().expect("seed")).expect("save");
    let mut harness = harness_on_file(&path);
    harness.run();

    // A sync tool brings a colleague's change to the same file. (Another Chokepoint cannot
    // write it while this window has it open: see tests/misuse.rs.)
    let mut theirs = chokepoint::io::load_case(&path).expect("load");
    theirs.meta.title = "Title from a colleague".to_owned();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let text = chokepoint::io::case_to_ron(&theirs).expect("encode");
    std::fs::write(&path, text).expect("their save");

    rename_su_di(&mut harness, "Our name");
    save_and_wait(&mut harness);
    assert!(harness.query_by_label("The file changed on disk").is_some());
    let still_theirs = chokepoint::io::load_case(&path).expect("load");
    assert_eq!(
        still_theirs.meta.title, "Title from a colleague",
        "nothing overwritten"
    );

    harness
        .get_by_role_and_label(Role::Button, "Merge their changes")
        .click();
    harness.run();
    assert_eq!(harness.state().case.meta.title, "Title from a colleague");
    assert_eq!(harness.state().case.entities[&su_di()].name, "Our name");
    save_and_wait(&mut harness);
    assert!(harness.query_by_label("The file changed on disk").is_none());
    let merged = chokepoint::io::load_case(&path).expect("load");
    assert_eq!(merged.meta.title, "Title from a colleague");
    assert_eq!(merged.entities[&su_di()].name, "Our name");
    // The merge is one undo step.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(
        harness.state().case.meta.title,
        chokepoint::seed_case().expect("seed").meta.title
    );
}

/// A status-bar message speaks of what just happened: it goes once the case changes again
/// (no "Added an entity" after the next edit), and an error goes with the dialog that
/// reported it.
#[test]
fn status_messages_do_not_go_stale() {
    let mut harness = harness();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run();
    assert!(
        harness
            .state()
            .status_message()
            .is_some_and(|m| m.starts_with("New entity")),
        "{:?}",
        harness.state().status_message()
    );
    common::name_new_entity(&mut harness, "Acme");
    harness.state_mut().undo();
    harness.run();
    assert!(
        !harness
            .state()
            .status_message()
            .is_some_and(|m| m.starts_with("New entity")),
        "the message outlived the next edit"
    );

    // A save that fails: the dialog and the status bar say so; closing the dialog clears both.
    let dir = tempfile::tempdir().expect("tempdir");
    let nowhere = dir.path().join("no/such/folder/case.ron");
    assert!(!harness.state_mut().save_to(&nowhere));
    harness.run();
    assert!(
        harness
            .state()
            .status_message()
            .is_some_and(|m| m.starts_with("Not saved")),
        "{:?}",
        harness.state().status_message()
    );
    assert!(harness.query_by_label("Could not save").is_some());
    harness.get_by_role_and_label(Role::Button, "OK").click();
    harness.run();
    assert_eq!(harness.state().status_message(), None);
}

/// Fields that do not apply to a kind are not shown: an address has no foundation or
/// dissolution date, a company has.
#[test]
fn an_address_is_not_asked_when_it_was_founded() {
    let mut harness = harness();
    harness.run();
    harness
        .state_mut()
        .open_item(ItemRef::Entity(EntityId::from("e-guangdong")));
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "Street")
            .is_some()
    );
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "Founded")
            .is_none()
    );
    let company = harness
        .state()
        .case
        .entities
        .values()
        .find(|e| e.kind == chokepoint::model::EntityKind::Company)
        .map(|e| e.id.clone())
        .expect("a company");
    harness.state_mut().open_item(ItemRef::Entity(company));
    harness.run();
    assert!(
        harness
            .query_by_role_and_label(Role::TextInput, "Founded")
            .is_some()
    );
}
