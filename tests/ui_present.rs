//! Briefing through the real app: a view is created from the canvas and renamed in the views
//! panel, then the case is presented (F5), stepped forward and back with the keys a clicker
//! sends, and left with Esc. Presenting never changes the case, and the editor comes back
//! exactly where it was: camera, selection, filters and the open tab.

use chokepoint::model::{ItemRef, SavedView};
use chokepoint::ui::ChokepointApp;
use chokepoint::ui::app::RightTab;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

fn harness() -> Harness<'static, ChokepointApp> {
    let mut h = common::realtime_harness(chokepoint::seed_case().expect("seed case"));
    h.run();
    h
}

/// File ▸ Export, open.
fn open_export_menu(h: &mut Harness<'static, ChokepointApp>) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Export").click();
    h.run();
}

fn open_views_tab(h: &mut Harness<'static, ChokepointApp>) {
    h.get_by_role_and_label(Role::Button, "Views").click();
    h.run();
    assert_eq!(h.state().right_tab, RightTab::Views);
}

/// Steps until the presentation's camera move has landed.
fn settle(h: &mut Harness<'static, ChokepointApp>) {
    assert!(common::step_until(h, |h| h
        .state()
        .presenter
        .as_ref()
        .is_some_and(|p| !p.is_moving())));
}

fn presented_view(h: &Harness<'static, ChokepointApp>) -> Option<String> {
    let app = h.state();
    let p = app.presenter.as_ref()?;
    p.current_view(&app.case).map(ToString::to_string)
}

#[test]
fn create_rename_present_step_and_leave_without_changing_the_case() {
    let mut h = harness();
    open_views_tab(&mut h);
    let before = h.state().case.views.len();
    assert!(before >= 4, "the seed case tells its story in saved views");

    // Select an entity, so the new view highlights it.
    h.state_mut().canvas.selected = [ItemRef::Entity("e-su-di".into())].into();
    h.get_by_role_and_label(Role::Button, "New view from canvas")
        .click();
    h.run();
    let views = &h.state().case.views;
    assert_eq!(views.len(), before + 1);
    let created: SavedView = views[before].clone();
    assert!(
        created
            .highlighted
            .contains(&ItemRef::Entity("e-su-di".into()))
    );

    // Rename it: select the old name, type the new one, Enter commits one undo step.
    let steps = h.state().history.undo_len();
    h.get_by_role_and_label(Role::TextInput, "View name")
        .focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, "View name")
        .type_text("Su Di up close");
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().case.views[before].name, "Su Di up close");
    assert_eq!(h.state().history.undo_len(), steps + 1);

    // Where the editor is before presenting.
    h.state_mut().canvas.selected = [ItemRef::Entity("e-h100".into())].into();
    h.run();
    let case = h.state().case.clone();
    let steps = h.state().history.undo_len();
    let (center, zoom) = (h.state().canvas.center, h.state().canvas.zoom);
    let selected = h.state().canvas.selected.clone();
    let filters = h.state().canvas.filters.clone();
    let zoom_factor = h.ctx.zoom_factor();

    // F5 presents, starting at the view open in the panel (the new one, the last).
    h.key_press(Key::F5);
    h.run();
    settle(&mut h);
    assert!(h.state().presenter.is_some());
    // The editing chrome is gone: no menu bar, no panels.
    assert!(h.query_by_label("File").is_none());
    assert!(h.query_by_label("New view from canvas").is_none());
    assert!(
        h.ctx.zoom_factor() > zoom_factor,
        "text is scaled up for a projector"
    );
    assert_eq!(presented_view(&h).as_deref(), Some(created.id.as_str()));
    // The selection is hidden while presenting; the slide's highlights show instead.
    assert!(h.state().canvas.selected.is_empty());
    assert!(
        h.state()
            .canvas
            .highlighted
            .contains(&ItemRef::Entity("e-su-di".into()))
    );
    // The marking banner and the caption are on screen.
    let ids: Vec<String> = case.views.iter().map(|v| v.id.to_string()).collect();

    // Back with Left and PageUp, forward with Right and Space.
    h.key_press(Key::ArrowLeft);
    settle(&mut h);
    assert_eq!(presented_view(&h), Some(ids[before - 1].clone()));
    h.key_press(Key::PageUp);
    settle(&mut h);
    assert_eq!(presented_view(&h), Some(ids[before - 2].clone()));
    h.key_press(Key::ArrowRight);
    settle(&mut h);
    assert_eq!(presented_view(&h), Some(ids[before - 1].clone()));
    h.key_press(Key::PageDown);
    settle(&mut h);
    h.key_press(Key::Space);
    settle(&mut h);
    // Past the last slide, stepping forward stays there.
    assert_eq!(presented_view(&h), Some(ids[before].clone()));
    // Editing keys do nothing while presenting.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.key_press(Key::Delete);
    h.run();
    let camera_on_slide = h.state().canvas.zoom;

    // Esc returns to editing exactly where the user was.
    h.key_press(Key::Escape);
    h.run();
    let app = h.state();
    assert!(app.presenter.is_none());
    assert_eq!(app.case, case, "presenting never changes the case");
    assert_eq!(app.history.undo_len(), steps);
    assert_eq!(app.canvas.center, center);
    assert_eq!(app.canvas.zoom, zoom);
    assert_ne!(camera_on_slide, zoom);
    assert_eq!(app.canvas.selected, selected);
    assert_eq!(app.canvas.filters, filters);
    assert_eq!(app.right_tab, RightTab::Views);
    assert_eq!(h.ctx.zoom_factor(), zoom_factor);
}

#[test]
fn the_seed_story_is_presented_from_the_first_view_to_the_last() {
    let mut h = harness();
    let ids: Vec<String> = h
        .state()
        .case
        .views
        .iter()
        .map(|v| v.id.to_string())
        .collect();
    // The View menu's command presents from the first view when none is open in the panel.
    h.key_press(Key::F5);
    h.run();
    settle(&mut h);
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(
            presented_view(&h).as_deref(),
            Some(id.as_str()),
            "slide {i}"
        );
        h.key_press(Key::PageDown);
        settle(&mut h);
    }
    h.key_press(Key::Home);
    settle(&mut h);
    assert_eq!(presented_view(&h).as_deref(), Some(ids[0].as_str()));
    h.key_press(Key::Escape);
    h.run();
    assert!(h.state().presenter.is_none());
}

#[test]
fn a_view_is_shown_moved_and_deleted_from_the_panel_each_one_undo_step() {
    let mut h = harness();
    open_views_tab(&mut h);
    let first = h.state().case.views[0].clone();
    let second = h.state().case.views[1].clone();
    // Clicking a view shows it: its highlights at once, its camera after the move.
    h.get_by_role_and_label(Role::Link, &format!("2. {}", second.name))
        .click();
    h.run();
    assert_eq!(
        h.state().canvas.highlighted,
        second.highlighted.iter().cloned().collect()
    );
    // Once the camera has moved, the canvas shows exactly the view's camera again.
    assert!(common::step_until(&mut h, |h| {
        let camera = h.state().canvas.current_camera();
        (camera.zoom - second.camera.zoom).abs() < 1e-3
            && (camera.center.x - second.camera.center.x).abs() < 0.5
            && (camera.center.y - second.camera.center.y).abs() < 0.5
    }));
    // Move the second view up: it becomes the first.
    h.query_all_by_role_and_label(Role::Button, "▲")
        .nth(1)
        .expect("the second view's move-up button")
        .click();
    h.run();
    assert_eq!(h.state().case.views[0].id, second.id);
    assert_eq!(h.state().case.views[1].id, first.id);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().case.views[0].id, first.id);
    // Delete the first view, then undo.
    let count = h.state().case.views.len();
    h.query_all_by_role_and_label(Role::Button, "Delete")
        .next()
        .expect("a delete button")
        .click();
    h.run();
    assert_eq!(h.state().case.views.len(), count - 1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().case.views.len(), count);
    assert_eq!(h.state().case.views[0].id, first.id);
}

#[test]
fn a_view_picture_and_the_report_are_exported_from_the_app() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = harness();
    open_views_tab(&mut h);
    let first = h.state().case.views[0].name.clone();
    h.get_by_role_and_label(Role::Link, &format!("1. {first}"))
        .click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Export picture…")
        .click();
    // Without a desktop file chooser (as here), the app asks for a path.
    let prompt = "Export the view's picture to";
    if !common::step_until_within(&mut h, std::time::Duration::from_secs(10), |h| {
        h.query_by_label(prompt).is_some()
    }) {
        eprintln!("a desktop file chooser answered; the typed-path export is not tested here");
        return;
    }
    // A case file is never overwritten by an export.
    let png = dir.path().join("claim.png");
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, prompt)
        .type_text(png.to_str().expect("utf-8"));
    h.get_by_role_and_label(Role::Button, "OK").click();
    h.run();
    let bytes = std::fs::read(&png).expect("the picture was written");
    assert!(bytes.starts_with(b"\x89PNG"));

    open_export_menu(&mut h);
    h.get_by_label_contains("Export report").click();
    let prompt = "Export the case report to";
    assert!(common::step_until(&mut h, |h| h
        .query_by_label(prompt)
        .is_some()));
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, prompt)
        .type_text(dir.path().join("case.ron").to_str().expect("utf-8"));
    h.get_by_role_and_label(Role::Button, "OK").click();
    h.run();
    assert!(
        !dir.path().join("case.ron").exists(),
        "never over a case file"
    );
    open_export_menu(&mut h);
    h.get_by_label_contains("Export report").click();
    assert!(common::step_until(&mut h, |h| h
        .query_by_label(prompt)
        .is_some()));
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    let html = dir.path().join("report.html");
    h.get_by_role_and_label(Role::TextInput, prompt)
        .type_text(html.to_str().expect("utf-8"));
    h.get_by_role_and_label(Role::Button, "OK").click();
    h.run();
    let report = std::fs::read_to_string(&html).expect("the report was written");
    assert!(report.contains("TLP:GREEN"));
}
