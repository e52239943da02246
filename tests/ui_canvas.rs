//! Canvas tests through the real app and real pointer events: drag a node and undo, box-select,
//! link two entities by dragging the handle, delete and undo, create an entity by double-click.

use chokepoint::model::{EntityId, ItemRef, LinkKindTag};
use chokepoint::ui::ChokepointApp;
use egui::accesskit::Role;
use egui::{Event, Modifiers, PointerButton, Pos2, pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

fn harness() -> Harness<'static, ChokepointApp> {
    common::realtime_harness(chokepoint::seed_case().expect("seed"))
}

fn id(s: &str) -> EntityId {
    EntityId::from(s)
}

fn screen_pos(h: &Harness<'static, ChokepointApp>, e: &str) -> Pos2 {
    h.state()
        .canvas
        .node_screen_pos(&id(e))
        .unwrap_or_else(|| panic!("{e} is on the canvas"))
}

fn button(pos: Pos2, pressed: bool, modifiers: Modifiers) -> Event {
    Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers,
    }
}

/// Presses at `from`, moves in steps to `to`, releases: a real drag, frame by frame.
fn drag(h: &mut Harness<'static, ChokepointApp>, from: Pos2, to: Pos2, modifiers: Modifiers) {
    h.event(Event::ModifiersChanged(modifiers));
    h.event(Event::PointerMoved(from));
    h.step();
    h.event(button(from, true, modifiers));
    h.step();
    for k in 1..=6 {
        #[allow(clippy::cast_precision_loss)]
        let p = from.lerp(to, k as f32 / 6.0);
        h.event(Event::PointerMoved(p));
        h.step();
    }
    h.event(button(to, false, modifiers));
    h.step();
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.event(Event::PointerGone);
    h.run();
}

fn click(h: &mut Harness<'static, ChokepointApp>, at: Pos2) {
    h.event(Event::PointerMoved(at));
    h.step();
    h.event(button(at, true, Modifiers::NONE));
    h.step();
    h.event(button(at, false, Modifiers::NONE));
    h.run();
}

fn ready() -> Harness<'static, ChokepointApp> {
    let mut h = harness();
    h.run();
    h.run();
    h
}

#[test]
fn nodes_are_accessible_by_name() {
    let h = ready();
    let node = h.get_by_role_and_label(Role::Button, "Su Di (Person)");
    let centre = node.rect().center();
    assert!(centre.distance(screen_pos(&h, "e-su-di")) < 1.0);
}

#[test]
fn dragging_a_node_moves_it_as_one_undo_step() {
    let mut h = ready();
    let before = h.state().case.positions[&id("e-su-di")];
    let steps = h.state().history.undo_len();
    let from = screen_pos(&h, "e-su-di");
    drag(&mut h, from, from + vec2(90.0, 40.0), Modifiers::NONE);
    let zoom = h.state().canvas.zoom;
    let after = h.state().case.positions[&id("e-su-di")];
    assert!(
        (after.x - before.x - 90.0 / zoom).abs() < 2.0 / zoom,
        "{before:?} → {after:?}"
    );
    assert!((after.y - before.y - 40.0 / zoom).abs() < 2.0 / zoom);
    assert_eq!(h.state().selection, Some(ItemRef::Entity(id("e-su-di"))));
    // One drag, one undo step.
    assert_eq!(h.state().history.undo_len(), steps + 1);
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().case.positions[&id("e-su-di")], before);
}

#[test]
fn dragging_the_background_pans_without_touching_the_case() {
    let mut h = ready();
    let case_before = h.state().case.clone();
    let centre_before = h.state().canvas.center;
    let start = empty_spot(&h);
    drag(&mut h, start, start + vec2(-80.0, 30.0), Modifiers::NONE);
    assert_eq!(h.state().case, case_before);
    assert_ne!(h.state().canvas.center, centre_before);
}

/// A point on the canvas at least 60 points away from every node.
fn empty_spot(h: &Harness<'static, ChokepointApp>) -> Pos2 {
    let app = h.state();
    let nodes: Vec<Pos2> = app
        .case
        .entities
        .keys()
        .filter_map(|e| app.canvas.node_screen_pos(e))
        .collect();
    let canvas = h
        .get_by_role_and_label(Role::Button, "Su Di (Person)")
        .rect();
    let _ = canvas;
    for y in (150..850).step_by(20) {
        for x in (420..1000).step_by(20) {
            #[allow(clippy::cast_precision_loss)]
            let p = pos2(x as f32, y as f32);
            if nodes.iter().all(|n| n.distance(p) > 60.0) {
                return p;
            }
        }
    }
    panic!("no empty spot on the canvas");
}

#[test]
fn shift_drag_selects_the_nodes_in_the_box() {
    let mut h = ready();
    let a = screen_pos(&h, "e-su-di");
    let b = screen_pos(&h, "e-kun-lun-nest");
    let min = pos2(a.x.min(b.x) - 30.0, a.y.min(b.y) - 30.0);
    let max = pos2(a.x.max(b.x) + 30.0, a.y.max(b.y) + 30.0);
    // Start in a corner of the box that is not on a node.
    let start = [min, max, pos2(min.x, max.y), pos2(max.x, min.y)]
        .into_iter()
        .find(|p| {
            h.state()
                .case
                .entities
                .keys()
                .filter_map(|e| h.state().canvas.node_screen_pos(e))
                .all(|n| n.distance(*p) > 30.0)
        })
        .expect("a free corner");
    let end = pos2(min.x + max.x - start.x, min.y + max.y - start.y);
    drag(&mut h, start, end, Modifiers::SHIFT);
    let selected = &h.state().canvas.selected;
    assert!(
        selected.contains(&ItemRef::Entity(id("e-su-di"))),
        "{selected:?}"
    );
    assert!(selected.contains(&ItemRef::Entity(id("e-kun-lun-nest"))));
    let rect = egui::Rect::from_two_pos(start, end);
    for item in selected {
        if let ItemRef::Entity(e) = item {
            let p = h.state().canvas.node_screen_pos(e).expect("on canvas");
            assert!(rect.contains(p), "{e} at {p:?} outside {rect:?}");
        }
    }
}

/// Hovers entity `from` (named `name`) so its + handle shows to the right of it, then drags
/// that handle onto entity `to`; the kind picker is left open.
fn drag_from_handle(h: &mut Harness<'static, ChokepointApp>, from: &str, name: &str, to: &str) {
    let a = screen_pos(h, from);
    let b = screen_pos(h, to);
    h.event(Event::PointerMoved(a));
    h.run();
    let handle = h
        .get_by_role_and_label(Role::Button, &format!("Link from {name}"))
        .rect()
        .center();
    drag(h, handle, b, Modifiers::NONE);
}

#[test]
fn dragging_the_handle_onto_another_node_creates_a_link() {
    let mut h = ready();
    let links = h.state().case.links.len();
    drag_from_handle(&mut h, "e-su-di", "Su Di", "e-h200");
    h.get_by_role_and_label(Role::Button, LinkKindTag::Associate.label())
        .click();
    h.run();
    let case = &h.state().case;
    assert_eq!(case.links.len(), links + 1);
    assert!(
        case.links
            .values()
            .any(|l| l.from == id("e-su-di") && l.to == id("e-h200"))
    );
    assert!(matches!(h.state().selection, Some(ItemRef::Link(_))));
}

/// An entity whose deletion takes only links along, none of them cited by evidence.
fn entity_with_plain_links(case: &chokepoint::model::Case) -> EntityId {
    use chokepoint::edit::references_to;
    case.entities
        .keys()
        .find(|e| {
            let refs = references_to(case, &ItemRef::Entity((*e).clone()));
            !refs.is_empty()
                && refs
                    .iter()
                    .all(|r| matches!(r, ItemRef::Link(_)) && references_to(case, r).is_empty())
        })
        .expect("the seed has such an entity")
        .clone()
}

#[test]
fn delete_with_links_asks_then_undo_restores_everything() {
    let mut h = ready();
    let before = h.state().case.clone();
    let target = entity_with_plain_links(&before);
    let p = screen_pos(&h, target.as_str());
    click(&mut h, p);
    assert_eq!(h.state().selection, Some(ItemRef::Entity(target.clone())));
    h.event(Event::PointerGone);
    h.key_press(egui::Key::Delete);
    h.run();
    h.get_by_label_contains("also deletes");
    h.get_by_role_and_label(Role::Button, "Delete").click();
    h.run();
    assert!(
        !h.state().case.entities.contains_key(&target),
        "{:?}",
        h.state().status_message()
    );
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().case, before);
}

#[test]
fn deleting_an_entity_whose_links_are_cited_is_refused_with_reasons() {
    let mut h = ready();
    let before = h.state().case.clone();
    // Kun Lun Nest's link to Su Di is cited by evidence: deleting it must not orphan the claim.
    let p = screen_pos(&h, "e-kun-lun-nest");
    click(&mut h, p);
    h.event(Event::PointerGone);
    h.key_press(egui::Key::Delete);
    h.run();
    h.get_by_label_contains("Cannot delete yet");
    h.get_by_label_contains("is named by evidence item");
    h.get_by_role_and_label(Role::Button, "OK").click();
    h.run();
    assert_eq!(h.state().case, before);
}

#[test]
fn deleting_an_unreferenced_entity_and_its_links_then_undo() {
    let mut h = ready();
    // An entity only links name: add one with a link, through the canvas, then delete it.
    let new_id = add_person(&mut h);
    let before = h.state().case.clone();
    h.event(Event::PointerGone);
    h.key_press(egui::Key::Delete);
    h.run();
    assert!(!h.state().case.entities.contains_key(&new_id));
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().case, before);
}

/// Adds a person on an empty spot by double-click and the kind picker; returns its id.
fn add_person(h: &mut Harness<'static, ChokepointApp>) -> EntityId {
    let spot = empty_spot(h);
    double_click(h, spot);
    h.get_by_label("👤 Person").click();
    common::name_new_entity(h, "Li Wei")
}

fn double_click(h: &mut Harness<'static, ChokepointApp>, at: Pos2) {
    h.event(Event::PointerMoved(at));
    h.step();
    for _ in 0..2 {
        h.event(button(at, true, Modifiers::NONE));
        h.step();
        h.event(button(at, false, Modifiers::NONE));
        h.step();
    }
    h.run();
}

#[test]
fn double_click_on_empty_canvas_creates_an_entity_there() {
    let mut h = ready();
    let count = h.state().case.entities.len();
    let spot = empty_spot(&h);
    double_click(&mut h, spot);
    h.get_by_label("🏢 Company").click();
    common::name_new_entity(&mut h, "Spot Trading");
    let app = h.state();
    assert_eq!(app.case.entities.len(), count + 1);
    let Some(ItemRef::Entity(new_id)) = &app.selection else {
        panic!("the new entity is selected");
    };
    let placed = app.canvas.node_screen_pos(new_id).expect("drawn");
    assert!(placed.distance(spot) < 2.0, "{placed:?} vs {spot:?}");
}

#[test]
fn layout_runs_off_thread_and_is_one_undo_step() {
    let mut h = ready();
    let before = h.state().case.positions.clone();
    h.get_by_role_and_label(Role::Button, "Layout").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Grid by kind")
        .click();
    // Let the worker finish and the animation play out.
    common::step_until(&mut h, |h| h.state().canvas.layout.is_none());
    assert!(h.state().canvas.layout.is_none(), "layout finished");
    assert_ne!(h.state().case.positions, before);
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().case.positions, before);
}

#[test]
fn f11_gives_the_canvas_the_whole_window_and_back() {
    let mut h = ready();
    assert!(
        h.query_by_role_and_label(Role::Button, "+ Entity")
            .is_some()
    );
    let width_before = h.state().canvas.visible_canvas_rect_width();
    h.key_press(egui::Key::F11);
    h.run();
    assert!(
        h.query_by_role_and_label(Role::Button, "+ Entity")
            .is_none()
    );
    assert!(h.state().canvas.visible_canvas_rect_width() > width_before);
    h.key_press(egui::Key::F11);
    h.run();
    assert!(
        h.query_by_role_and_label(Role::Button, "+ Entity")
            .is_some()
    );
}

#[test]
fn nodes_can_be_sized_by_degree_from_the_show_menu() {
    let mut h = ready();
    let before = h.state().canvas.scene().grid_max_radius();
    h.get_by_role_and_label(Role::Button, "Show").click();
    h.run();
    h.get_by_role_and_label(Role::RadioButton, "Degree (number of connections)")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::RadioButton, "Degree (number of connections)")
        .click();
    h.run();
    let after = h.state().canvas.scene().grid_max_radius();
    assert!(after > before, "{before} → {after}");
    // Su Di, the hub of the seed case, is now the biggest node.
    let su_di = h
        .state()
        .canvas
        .scene()
        .node_of(&id("e-su-di"))
        .expect("drawn");
    assert!((h.state().canvas.scene().nodes[su_di].radius - after).abs() < 1e-3);
}

#[test]
fn geographic_layout_draws_the_map_and_puts_singapore_at_singapore() {
    let mut h = ready();
    h.get_by_role_and_label(Role::Button, "Layout").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Geographic").click();
    common::step_until(&mut h, |h| h.state().canvas.layout.is_none());
    assert!(h.state().canvas.layout.is_none(), "layout finished");
    assert!(h.state().canvas.show_map);
    let sg = h.state().case.positions[&id("e-sg")];
    let expected = chokepoint::layout::geo::canvas_from_lon_lat(103.8, 1.35);
    assert!(
        (sg.x - expected.x).abs() < 60.0 && (sg.y - expected.y).abs() < 60.0,
        "{sg:?} vs {expected:?}"
    );
    // A few more frames with the map drawn behind the graph.
    h.run();
}

#[test]
fn undo_while_a_context_menu_is_open_does_not_confuse_the_canvas() {
    let mut h = ready();
    // Add an entity (so undo shrinks the scene), then right-click the last node drawn.
    let new_id = add_person(&mut h);
    let p = h.state().canvas.node_screen_pos(&new_id).expect("drawn");
    h.event(Event::PointerMoved(p));
    h.step();
    h.event(Event::PointerButton {
        pos: p,
        button: PointerButton::Secondary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.step();
    h.event(Event::PointerButton {
        pos: p,
        button: PointerButton::Secondary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
    assert!(h.query_by_label_contains("Find paths to").is_some());
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run();
    h.run();
    assert!(!h.state().case.entities.contains_key(&new_id));
    // The menu named a node by its place in the old scene; it closes rather than offer its
    // actions for whichever entity now sits at that place.
    assert!(h.query_by_label_contains("Find paths to").is_none());
}

fn click_with(h: &mut Harness<'static, ChokepointApp>, at: Pos2, modifiers: Modifiers) {
    h.event(Event::ModifiersChanged(modifiers));
    h.event(Event::PointerMoved(at));
    h.step();
    h.event(button(at, true, modifiers));
    h.step();
    h.event(button(at, false, modifiers));
    h.step();
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run();
}

fn right_click(h: &mut Harness<'static, ChokepointApp>, at: Pos2) {
    h.event(Event::PointerMoved(at));
    h.step();
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos: at,
            button: PointerButton::Secondary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run();
}

/// Text the last frame put on the clipboard.
fn copied_text(h: &Harness<'static, ChokepointApp>) -> Option<String> {
    h.output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(t) => Some(t.clone()),
            _ => None,
        })
}

fn entity(e: &str) -> ItemRef {
    ItemRef::Entity(id(e))
}

#[test]
fn paste_keeps_all_pasted_entities_selected_and_a_drag_moves_them_all() {
    let mut h = ready();
    let su_di = screen_pos(&h, "e-su-di");
    click(&mut h, su_di);
    let nest = screen_pos(&h, "e-kun-lun-nest");
    click_with(&mut h, nest, Modifiers::SHIFT);
    assert_eq!(h.state().canvas.selected.len(), 2);
    h.event(Event::Copy);
    h.step();
    let text = copied_text(&h).expect("the selection was copied");
    h.run();
    let before: Vec<EntityId> = h.state().case.entities.keys().cloned().collect();
    let spot = empty_spot(&h);
    h.event(Event::PointerMoved(spot));
    h.step();
    h.event(Event::Paste(text));
    h.run();
    let app = h.state();
    let pasted: Vec<EntityId> = app
        .case
        .entities
        .keys()
        .filter(|e| !before.contains(e))
        .cloned()
        .collect();
    assert_eq!(pasted.len(), 2);
    let expected: std::collections::BTreeSet<ItemRef> =
        pasted.iter().cloned().map(ItemRef::Entity).collect();
    assert_eq!(
        app.canvas.selected, expected,
        "every pasted entity stays selected"
    );
    // The inspector shows the primary, one of the pasted entities.
    assert!(app.selection.as_ref().is_some_and(|s| expected.contains(s)));
    assert_eq!(app.selection, app.canvas.primary);

    // Dragging one moves both.
    let old: Vec<_> = pasted.iter().map(|e| app.case.positions[e]).collect();
    let from = app.canvas.node_screen_pos(&pasted[0]).expect("drawn");
    drag(&mut h, from, from + vec2(70.0, 30.0), Modifiers::NONE);
    let zoom = h.state().canvas.zoom;
    for (e, was) in pasted.iter().zip(old) {
        let now = h.state().case.positions[e];
        assert!(
            (now.x - was.x - 70.0 / zoom).abs() < 2.0 / zoom,
            "{e}: {was:?} → {now:?}"
        );
        assert!(
            (now.y - was.y - 30.0 / zoom).abs() < 2.0 / zoom,
            "{e}: {was:?} → {now:?}"
        );
    }
}

#[test]
fn show_neighbours_and_select_all_tell_the_inspector() {
    let mut h = ready();
    let su_di = screen_pos(&h, "e-su-di");
    click(&mut h, su_di);
    let h200 = screen_pos(&h, "e-h200");
    click_with(&mut h, h200, Modifiers::SHIFT);
    assert_eq!(h.state().selection, Some(entity("e-h200")));
    // Su Di is already selected: the right-click keeps the selection and its primary.
    right_click(&mut h, su_di);
    h.get_by_role_and_label(Role::Button, "Show neighbours")
        .click();
    h.run();
    let app = h.state();
    assert!(app.canvas.selected.contains(&entity("e-su-di")));
    assert!(app.canvas.selected.len() > 1, "{:?}", app.canvas.selected);
    assert_eq!(app.canvas.primary, Some(entity("e-su-di")));
    assert_eq!(
        app.selection,
        Some(entity("e-su-di")),
        "the inspector follows"
    );

    // Clear the selection, then "Select all" from the background's menu.
    h.event(Event::PointerGone);
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(h.state().selection, None);
    let spot = empty_spot(&h);
    right_click(&mut h, spot);
    h.get_by_role_and_label(Role::Button, "Select all").click();
    h.run();
    let app = h.state();
    assert_eq!(app.canvas.selected.len(), app.canvas.scene().nodes.len());
    assert!(app.canvas.primary.is_some());
    assert_eq!(app.selection, app.canvas.primary, "the inspector follows");
}

#[test]
fn cut_copies_then_deletes_through_the_confirmation_as_one_undo_step() {
    let mut h = ready();
    let before = h.state().case.clone();
    let steps = h.state().history.undo_len();
    let target = entity_with_plain_links(&before);
    let p = screen_pos(&h, target.as_str());
    click(&mut h, p);
    h.event(Event::PointerGone);
    h.event(Event::Cut);
    h.step();
    let text = copied_text(&h).expect("cut copies");
    assert!(text.starts_with("chokepoint-clip-v1"), "{text}");
    h.run();
    // Its links go along: the usual confirmation.
    h.get_by_label_contains("also deletes");
    h.get_by_role_and_label(Role::Button, "Delete").click();
    h.run();
    assert!(!h.state().case.entities.contains_key(&target));
    assert_eq!(h.state().history.undo_len(), steps + 1, "one undo step");
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().case, before);
}

fn harness_with(startup: chokepoint::ui::Startup) -> Harness<'static, ChokepointApp> {
    let mut h = common::realtime_harness_with(startup);
    h.run();
    h.run();
    h
}

#[test]
fn show_hidden_brings_back_what_was_hidden_but_keeps_the_time_window() {
    use chokepoint::analysis::timeline::TimeWindow;
    let case = chokepoint::seed_case().expect("seed");
    let window = TimeWindow::as_of(0);
    let mut startup = chokepoint::ui::Startup::for_case(case);
    startup.window = Some(window);
    let mut h = harness_with(startup);
    let shown = h.state().canvas.scene().nodes.len();
    assert!(
        shown < h.state().case.entities.len(),
        "the window leaves some out"
    );
    // Left out by the time window is not "hidden": no button offers them.
    assert!(h.query_by_label_contains(" hidden").is_none());

    let target = h
        .state()
        .canvas
        .scene()
        .nodes
        .iter()
        .find_map(|n| match &n.item {
            ItemRef::Entity(e) => Some(e.clone()),
            _ => None,
        })
        .expect("an entity in the window");
    let p = screen_pos(&h, target.as_str());
    right_click(&mut h, p);
    h.get_by_role_and_label(Role::Button, "Hide").click();
    h.run();
    assert_eq!(h.state().canvas.scene().nodes.len(), shown - 1);
    h.get_by_role_and_label(Role::Button, "Show 1 hidden")
        .click();
    h.run();
    let canvas = &h.state().canvas;
    assert!(canvas.filters.hidden.is_empty());
    assert_eq!(canvas.filters.time_window, Some(window), "the window stays");
    assert_eq!(canvas.scene().nodes.len(), shown);
}

/// Opens Ctrl+F and types `text` into the search field.
fn find(h: &mut Harness<'static, ChokepointApp>, text: &str) {
    h.event(Event::PointerGone);
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::F);
    h.run();
    h.event(Event::Text(text.to_owned()));
    h.run();
}

/// Pans the view so that what was in the middle is well off centre.
fn pan_away(h: &mut Harness<'static, ChokepointApp>) {
    let start = empty_spot(h);
    drag(h, start, start + vec2(-260.0, 170.0), Modifiers::NONE);
}

fn assert_centred_on(h: &Harness<'static, ChokepointApp>, e: &str) {
    let canvas = &h.state().canvas;
    let i = canvas.scene().node_of(&id(e)).expect("shown again");
    let p = canvas.scene().nodes[i].pos;
    assert!(
        canvas.center.distance(p) < 2.0,
        "centre {:?}, {e} at {p:?}",
        canvas.center
    );
    assert_eq!(canvas.selected, [entity(e)].into());
    assert_eq!(h.state().selection, Some(entity(e)));
}

#[test]
fn find_shows_and_centres_a_hit_hidden_by_its_kind() {
    let mut h = ready();
    h.get_by_role_and_label(Role::Button, "Show").click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "🏢 Company")
        .click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(
        h.state()
            .canvas
            .scene()
            .node_of(&id("e-garage-coffee"))
            .is_none()
    );
    pan_away(&mut h);
    find(&mut h, "Garage Coffee");
    assert!(
        !h.state()
            .canvas
            .filters
            .hidden_kinds
            .contains(&chokepoint::model::EntityKind::Company)
    );
    assert_centred_on(&h, "e-garage-coffee");
}

#[test]
fn find_shows_and_centres_a_hit_hidden_by_hand() {
    let mut h = ready();
    let p = screen_pos(&h, "e-my");
    right_click(&mut h, p);
    h.get_by_role_and_label(Role::Button, "Hide").click();
    h.run();
    assert!(h.state().canvas.filters.hidden.contains(&id("e-my")));
    pan_away(&mut h);
    find(&mut h, "Malaysia");
    assert!(h.state().canvas.filters.hidden.is_empty());
    assert_centred_on(&h, "e-my");
}

/// Corners of squares of `color` in the canvas meshes just outside a dot of half-size `s` at
/// `at`: the ring drawn around a marked dot.
fn ring_corners(
    h: &Harness<'static, ChokepointApp>,
    at: Pos2,
    s: f32,
    color: egui::Color32,
) -> usize {
    h.output()
        .shapes
        .iter()
        .filter_map(|c| match &c.shape {
            egui::Shape::Mesh(mesh) => Some(mesh),
            _ => None,
        })
        .flat_map(|mesh| mesh.vertices.iter())
        .filter(|v| {
            let d = v.pos - at;
            v.color == color
                && (s + 1.0..s + 6.0).contains(&d.x.abs())
                && (s + 1.0..s + 6.0).contains(&d.y.abs())
        })
        .count()
}

#[test]
fn far_out_dots_ring_the_selection_and_the_highlighted() {
    use chokepoint::ui::theme;
    let case = chokepoint::io::generate::generate_case(2_000, 7).expect("generated");
    let mut h = common::realtime_harness(case);
    h.run();
    h.run();
    h.event(Event::PointerGone);
    while h.state().canvas.zoom > 0.1 {
        h.key_press(egui::Key::Minus);
        h.run();
    }
    // A link between two entities, both on screen away from the edges.
    let (a, b) = {
        let app = h.state();
        let inside = egui::Rect::from_min_max(pos2(400.0, 150.0), pos2(1000.0, 850.0));
        app.case
            .links
            .values()
            .filter(|l| l.from != l.to)
            .find_map(|l| {
                let pa = app.canvas.node_screen_pos(&l.from)?;
                let pb = app.canvas.node_screen_pos(&l.to)?;
                (inside.contains(pa) && inside.contains(pb) && pa.distance(pb) > 10.0)
                    .then(|| (l.from.clone(), l.to.clone()))
            })
            .expect("a link in view")
    };
    // Select a, then find the path to b: a is selected, b highlighted.
    let pa = h.state().canvas.node_screen_pos(&a).expect("drawn");
    right_click(&mut h, pa);
    h.get_by_role_and_label(Role::Button, "Find paths to…")
        .click();
    h.run();
    let pb = h.state().canvas.node_screen_pos(&b).expect("drawn");
    click(&mut h, pb);
    h.event(Event::PointerGone);
    h.run();
    let app = h.state();
    assert_eq!(app.canvas.selected, [ItemRef::Entity(a.clone())].into());
    assert!(app.canvas.highlighted.contains(&ItemRef::Entity(b.clone())));
    let s = (22.0 * app.canvas.zoom).max(1.5);
    assert!(s < 4.0, "drawn as dots");
    let dark = h.ctx.global_style().visuals.dark_mode;
    let pa = app.canvas.node_screen_pos(&a).expect("drawn");
    let pb = app.canvas.node_screen_pos(&b).expect("drawn");
    assert_eq!(
        ring_corners(&h, pa, s, theme::selection_color(dark)),
        4,
        "a ring in the selection colour around the selected dot"
    );
    assert_eq!(
        ring_corners(&h, pb, s, theme::highlight_color(dark)),
        4,
        "a ring in the highlight colour around the highlighted dot"
    );
}

#[test]
fn hiding_takes_the_hidden_out_of_the_selection() {
    let mut h = ready();
    let before = h.state().case.clone();
    let su_di = screen_pos(&h, "e-su-di");
    click(&mut h, su_di);
    let h200 = screen_pos(&h, "e-h200");
    click_with(&mut h, h200, Modifiers::SHIFT);
    right_click(&mut h, su_di);
    h.get_by_role_and_label(Role::Button, "Hide").click();
    h.run();
    let app = h.state();
    assert!(app.canvas.filters.hidden.contains(&id("e-su-di")));
    assert!(app.canvas.filters.hidden.contains(&id("e-h200")));
    assert!(app.canvas.selected.is_empty(), "{:?}", app.canvas.selected);
    assert_eq!(app.selection, None, "the inspector follows");
    // Delete now removes nothing unseen.
    h.event(Event::PointerGone);
    h.key_press(egui::Key::Delete);
    h.run();
    assert_eq!(h.state().case, before);
}

#[test]
fn edit_in_inspector_brings_the_inspector_tab_forward() {
    let mut h = ready();
    h.get_by_role_and_label(Role::Button, "Views").click();
    h.run();
    assert_eq!(h.state().right_tab, chokepoint::ui::RightTab::Views);
    let p = screen_pos(&h, "e-su-di");
    right_click(&mut h, p);
    h.get_by_role_and_label(Role::Button, "Edit in inspector")
        .click();
    h.run();
    assert_eq!(h.state().right_tab, chokepoint::ui::RightTab::Inspector);
    assert_eq!(h.state().selection, Some(entity("e-su-di")));
}

#[test]
fn backspace_deletes_the_selection_but_not_while_typing() {
    let mut h = ready();
    let new_id = add_person(&mut h);
    // In the search field, Backspace edits the text.
    find(&mut h, "zzqq");
    h.key_press(egui::Key::Backspace);
    h.run();
    assert!(h.state().case.entities.contains_key(&new_id));
    assert_eq!(h.state().selection, Some(ItemRef::Entity(new_id.clone())));
    // With the search closed, Backspace deletes the selection.
    h.get_by_role_and_label(Role::Button, "✖").click();
    h.run();
    h.event(Event::PointerGone);
    assert!(!h.ctx.egui_wants_keyboard_input());
    h.key_press(egui::Key::Backspace);
    h.run();
    assert!(!h.state().case.entities.contains_key(&new_id));
}

#[test]
fn the_shortcuts_window_lists_every_key_of_the_command_table() {
    use chokepoint::ui::commands::{CANVAS_GESTURES, UiCommand};
    let mut h = ready();
    h.key_press(egui::Key::F1);
    h.run();
    let ctx = h.ctx.clone();
    for c in UiCommand::ALL.iter().filter(|c| !c.keys().is_empty()) {
        // The row's label and, beside it, every key that runs the command.
        let label = h.get_by_label(c.label());
        let keys = c.keys_text(&ctx);
        let row = label.rect().center().y;
        assert!(
            h.query_all_by_label(&keys)
                .any(|k| (k.rect().center().y - row).abs() < 4.0),
            "{c:?}: {keys} beside {}",
            c.label()
        );
    }
    for (what, how) in CANVAS_GESTURES {
        h.get_by_label(what);
        h.get_by_label(how);
    }
}

/// Presses `shortcut` as a user would.
fn press(h: &mut Harness<'static, ChokepointApp>, shortcut: egui::KeyboardShortcut) {
    h.key_press_modifiers(shortcut.modifiers, shortcut.logical_key);
    h.run();
}

/// Every key the command table gives a canvas command does what the command says: the help
/// window is generated from the same table, so this is the test that it tells the truth.
#[test]
fn the_canvas_keys_of_the_command_table_do_what_they_say() {
    use chokepoint::ui::commands::UiCommand;
    let mut h = ready();
    let nodes = h.state().canvas.node_count();
    for &key in UiCommand::SelectAll.keys() {
        press(&mut h, key);
        assert_eq!(
            h.state().canvas.selected.len(),
            nodes,
            "{key:?} selects all"
        );
        for &esc in UiCommand::CancelOrClear.keys() {
            press(&mut h, esc);
            assert!(h.state().canvas.selected.is_empty(), "{esc:?} clears");
        }
    }
    for &key in UiCommand::ZoomIn.keys() {
        let before = h.state().canvas.zoom;
        press(&mut h, key);
        assert!(h.state().canvas.zoom > before * 1.1, "{key:?} zooms in");
    }
    for &key in UiCommand::ZoomOut.keys() {
        let before = h.state().canvas.zoom;
        press(&mut h, key);
        assert!(h.state().canvas.zoom < before / 1.1, "{key:?} zooms out");
    }
    // Zoomed in far, Fit brings every node back into the canvas.
    for _ in 0..6 {
        press(&mut h, UiCommand::ZoomIn.keys()[0]);
    }
    let zoomed = h.state().canvas.zoom;
    for &key in UiCommand::FitAll.keys() {
        press(&mut h, key);
        for _ in 0..60 {
            h.step();
        }
        assert!(h.state().canvas.zoom < zoomed / 2.0, "{key:?} fits all");
    }
    // Zoom to one selected node: closer than the whole case.
    let fit = h.state().canvas.zoom;
    let su = screen_pos(&h, "e-su-di");
    click(&mut h, su);
    for &key in UiCommand::FitSelection.keys() {
        press(&mut h, key);
        for _ in 0..60 {
            h.step();
        }
        assert!(
            h.state().canvas.zoom > fit * 1.2,
            "{key:?} zooms to the selection"
        );
    }
}

#[test]
fn a_group_box_follows_its_members_while_dragged_or_laid_out() {
    use chokepoint::model::GroupId;
    let group = GroupId::from("g-hardware-shown");
    let mut h = ready();
    let members = ["e-h100", "e-h200", "e-supermicro-gpu-server"];
    let first = screen_pos(&h, members[0]);
    click(&mut h, first);
    for m in &members[1..] {
        let p = screen_pos(&h, m);
        click_with(&mut h, p, Modifiers::SHIFT);
    }
    assert_eq!(h.state().canvas.selected.len(), 3);
    let before = h.state().canvas.group_screen_rect(&group).expect("a box");
    // Press, move, and look before letting go.
    let delta = vec2(80.0, 50.0);
    let from = screen_pos(&h, members[0]);
    h.event(Event::PointerMoved(from));
    h.step();
    h.event(button(from, true, Modifiers::NONE));
    h.step();
    for k in 1..=6 {
        #[allow(clippy::cast_precision_loss)]
        let p = from + delta * (k as f32 / 6.0);
        h.event(Event::PointerMoved(p));
        h.step();
    }
    let during = h.state().canvas.group_screen_rect(&group).expect("a box");
    assert!(
        (during.min - (before.min + delta)).length() < 2.0,
        "{before:?} → {during:?}"
    );
    h.event(button(from + delta, false, Modifiers::NONE));
    h.event(Event::PointerGone);
    h.run();

    // During a layout's animation the box stays around its members.
    h.get_by_role_and_label(Role::Button, "Layout").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Grid by kind")
        .click();
    assert!(common::step_until(&mut h, |h| {
        h.state()
            .canvas
            .layout
            .as_ref()
            .is_some_and(chokepoint::ui::canvas::LayoutRun::is_animating)
    }));
    for _ in 0..3 {
        h.step();
        let canvas = &h.state().canvas;
        if canvas.layout.is_none() {
            break;
        }
        let rect = canvas.group_screen_rect(&group).expect("a box");
        for m in members {
            let p = canvas.node_screen_pos(&id(m)).expect("drawn");
            assert!(rect.contains(p), "{m} at {p:?} outside {rect:?}");
        }
    }
}

#[test]
fn paste_from_the_background_menu_lands_where_the_menu_was_opened() {
    let mut h = ready();
    let su_di = screen_pos(&h, "e-su-di");
    click(&mut h, su_di);
    h.event(Event::Copy);
    h.step();
    let text = copied_text(&h).expect("the selection was copied");
    h.run();
    let before: Vec<EntityId> = h.state().case.entities.keys().cloned().collect();
    let spot = empty_spot(&h);
    right_click(&mut h, spot);
    h.get_by_role_and_label(Role::Button, "Paste").click();
    h.run();
    // The clipboard's text arrives later, with the pointer gone elsewhere.
    h.event(Event::PointerMoved(su_di + vec2(0.0, 120.0)));
    h.step();
    h.event(Event::Paste(text));
    h.run();
    let app = h.state();
    let pasted: Vec<&EntityId> = app
        .case
        .entities
        .keys()
        .filter(|e| !before.contains(e))
        .collect();
    assert_eq!(pasted.len(), 1);
    let at = app.canvas.node_screen_pos(pasted[0]).expect("drawn");
    assert!(
        at.distance(spot) < 30.0,
        "pasted at {at:?}, menu at {spot:?}"
    );
}

#[test]
fn linking_an_entity_to_itself_is_cancelled_with_a_reason() {
    let mut h = ready();
    let su_di = screen_pos(&h, "e-su-di");
    right_click(&mut h, su_di);
    h.get_by_role_and_label(Role::Button, "Link or ship to…")
        .click();
    h.run();
    let links = h.state().case.links.len();
    click(&mut h, su_di);
    assert_eq!(h.state().case.links.len(), links);
    assert!(
        h.state()
            .status_message()
            .is_some_and(|m| m.contains("same entity")),
        "{:?}",
        h.state().status_message()
    );
}

#[test]
fn dragging_the_handle_onto_another_node_can_create_a_shipment() {
    let mut h = ready();
    let shipments = h.state().case.shipments.len();
    drag_from_handle(&mut h, "e-su-di", "Su Di", "e-guangdong");
    h.get_by_role_and_label(
        Role::Button,
        &format!("{} Shipment", chokepoint::ui::theme::SHIPMENT_GLYPH),
    )
    .click();
    h.run();
    let case = &h.state().case;
    assert_eq!(case.shipments.len(), shipments + 1);
    assert!(matches!(h.state().selection, Some(ItemRef::Shipment(_))));
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().case.shipments.len(), shipments);
}

/// Presses or releases the middle button at `at`.
fn middle(at: Pos2, pressed: bool) -> Event {
    Event::PointerButton {
        pos: at,
        button: PointerButton::Middle,
        pressed,
        modifiers: Modifiers::NONE,
    }
}

#[test]
fn middle_drag_and_space_drag_pan_even_over_a_node() {
    let mut h = ready();
    let case_before = h.state().case.clone();
    // Middle button, starting on a node: the view moves, the node does not.
    let from = screen_pos(&h, "e-su-di");
    let centre = h.state().canvas.center;
    h.event(Event::PointerMoved(from));
    h.step();
    h.event(middle(from, true));
    h.step();
    for k in 1..=6 {
        h.event(Event::PointerMoved(from + vec2(-12.0, 8.0) * k as f32));
        h.step();
    }
    h.event(middle(from + vec2(-72.0, 48.0), false));
    h.run();
    assert_eq!(h.state().case, case_before, "middle-drag moved nothing");
    assert_ne!(h.state().canvas.center, centre, "middle-drag panned");

    // Space held, primary drag starting on a node: a pan as well.
    let from = screen_pos(&h, "e-su-di");
    let centre = h.state().canvas.center;
    h.event(Event::Key {
        key: egui::Key::Space,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::NONE,
    });
    h.step();
    drag(&mut h, from, from + vec2(60.0, -40.0), Modifiers::NONE);
    h.event(Event::Key {
        key: egui::Key::Space,
        physical_key: None,
        pressed: false,
        repeat: false,
        modifiers: Modifiers::NONE,
    });
    h.run();
    assert_eq!(h.state().case, case_before, "space-drag moved nothing");
    assert_ne!(h.state().canvas.center, centre, "space-drag panned");
}

#[test]
fn esc_cancels_a_layout_and_leaves_the_case_as_it_was() {
    let mut h = ready();
    let before = h.state().case.clone();
    h.get_by_role_and_label(Role::Button, "Layout").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Circular").click();
    h.step();
    assert!(h.state().canvas.layout.is_some(), "the layout started");
    h.key_press(egui::Key::Escape);
    common::step_until(&mut h, |h| h.state().canvas.layout.is_none());
    assert_eq!(h.state().case, before, "a cancelled layout changes nothing");
    assert!(!h.state().history.can_undo(), "and leaves no undo step");
}

/// The legend lists what the chart shows (the seed case's kinds, its alleged routes through
/// named places), folds from its header, and Show ▸ Legend hides it.
#[test]
fn the_legend_explains_the_chart_and_folds_and_hides() {
    let mut h = ready();
    // The harness's canvas is too small for it to open by itself.
    let header = |h: &Harness<'static, ChokepointApp>| {
        h.query_by_role_and_label(Role::Button, "Legend ⏵")
            .is_some()
    };
    assert!(header(&h), "folded at this size");
    let entry = "Shipment: wider for more goods";
    assert!(h.query_by_label(entry).is_none());
    // Kind names are also in the entity list: the legend adds one of each.
    let count =
        |h: &Harness<'static, ChokepointApp>, label: &str| h.query_all_by_label(label).count();
    let people = count(&h, "Person");
    h.get_by_role_and_label(Role::Button, "Legend ⏵").click();
    h.run();
    assert_eq!(
        count(&h, "Person"),
        people + 1,
        "the Person kind is explained"
    );
    for entry in [
        "Alleged or reported: dashed",
        "Shipment: wider for more goods",
    ] {
        assert!(h.query_by_label(entry).is_some(), "{entry} is explained");
    }
    // The seed case has no bundle and no waypoint: the legend does not explain them.
    assert!(
        h.query_by_label("“n shipments”: one line for several")
            .is_none()
    );
    h.get_by_role_and_label(Role::Button, "Legend ⏷").click();
    h.run();
    assert!(h.query_by_label(entry).is_none(), "folded again");
    h.get_by_role_and_label(Role::Button, "Show").click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Legend")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Legend").click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!header(&h), "hidden");
    assert!(
        h.query_by_role_and_label(Role::Button, "Legend ⏷")
            .is_none()
    );
}

/// Show ▸ Links hides a kind of link, and Show ▸ Links and shipments by claim a claim status;
/// ticking again brings them back.
#[test]
fn the_show_menu_hides_links_by_kind_and_claims_by_status() {
    let mut h = ready();
    let edges = |h: &Harness<'static, ChokepointApp>| h.state().canvas.scene().edges.len();
    let routes = |h: &Harness<'static, ChokepointApp>| h.state().canvas.scene().routes.len();
    let (all_edges, all_routes) = (edges(&h), routes(&h));
    assert!(all_routes > 0);
    h.get_by_role_and_label(Role::Button, "Show").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Links")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Button, "Links").click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Located at")
        .click();
    h.run();
    assert!(edges(&h) < all_edges, "located-at links hidden");
    assert_eq!(routes(&h), all_routes);
    // A click in the menu closes it, as a menu does.
    h.get_by_role_and_label(Role::Button, "Show").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Links")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Button, "Links").click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Located at")
        .click();
    h.run();
    assert_eq!(edges(&h), all_edges, "and back");
    let claims: Vec<chokepoint::model::ClaimStatus> =
        h.state().case.shipments.values().map(|s| s.claim).collect();
    for claim in &claims {
        let label = claim.label();
        if h.state().canvas.filters.hidden_claims.contains(claim) {
            continue;
        }
        h.get_by_role_and_label(Role::Button, "Show").click();
        h.run();
        h.get_by_role_and_label(Role::Button, "Links and shipments by claim")
            .scroll_to_me();
        h.run();
        h.get_by_role_and_label(Role::Button, "Links and shipments by claim")
            .click();
        h.run();
        h.get_by_role_and_label(Role::CheckBox, label).click();
        h.run();
    }
    assert_eq!(routes(&h), 0, "every shipment's status hidden: no route");
}

/// A kind dragged from the palette onto the chart opens the new-entity form for that kind
/// where it was dropped; a click on a kind opens it in the middle of the view.
#[test]
fn a_kind_dragged_from_the_palette_is_added_where_it_is_dropped() {
    let mut h = ready();
    let count = h.state().case.entities.len();
    let spot = empty_spot(&h);
    let from = h
        .get_by_role_and_label(Role::Button, "New vessel")
        .rect()
        .center();
    drag(&mut h, from, spot, Modifiers::NONE);
    assert!(
        h.state().canvas.new_entity_open(),
        "the form opens at the drop"
    );
    let id = common::name_new_entity(&mut h, "MV Strait Runner");
    let app = h.state();
    assert_eq!(app.case.entities.len(), count + 1);
    assert_eq!(
        app.case.entities[&id].kind,
        chokepoint::model::EntityKind::Vessel
    );
    let placed = app.canvas.node_screen_pos(&id).expect("drawn");
    assert!(placed.distance(spot) < 2.0, "{placed:?} vs {spot:?}");

    // A click: the form for that kind; Esc closes it and adds nothing.
    h.get_by_role_and_label(Role::Button, "New product").click();
    h.run();
    assert!(h.state().canvas.new_entity_open());
    assert!(
        h.query_by_role_and_label(Role::TextInput, "ECCN").is_some(),
        "a product is asked its ECCN"
    );
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().canvas.new_entity_open());
    assert_eq!(h.state().case.entities.len(), count + 1);
}

/// *Show ▸ Worth at least USD* leaves out smaller shipments and payments; a typo says so and
/// filters nothing.
#[test]
fn shipments_below_a_value_are_left_out_from_the_show_menu() {
    let mut h = common::realtime_harness(chokepoint::training_case().expect("training case"));
    h.run();
    let routes = h.state().canvas.scene().routes.len();
    h.get_by_role_and_label(Role::Button, "Show").click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Worth at least USD")
        .focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Worth at least USD")
        .type_text("1,000,000");
    h.run();
    assert_eq!(h.state().canvas.filters.min_usd, Some(1_000_000));
    assert!(h.state().canvas.scene().routes.len() < routes);
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Worth at least USD")
        .type_text("1 mi11ion");
    h.run();
    assert!(h.query_by_label("not a number").is_some());
    assert_eq!(h.state().canvas.filters.min_usd, None);
    assert_eq!(h.state().canvas.scene().routes.len(), routes);
}

/// Parallel links of one kind are one line (i2's link multiplicity): its label counts them, a
/// click on it selects every one of them, and *Show ▸ Bundle links and shipments* off draws
/// one line each.
#[test]
fn parallel_links_are_one_line_that_selects_them_all() {
    let mut case = chokepoint::seed_case().expect("seed");
    let first = case
        .links
        .values()
        .find(|l| l.from != l.to)
        .expect("a link")
        .clone();
    for n in 0..2 {
        let mut twin = first.clone();
        twin.id = format!("l-twin-{n}").as_str().into();
        case.links.insert(twin.id.clone(), twin);
    }
    let links = case.links.len();
    let mut h = common::realtime_harness(case);
    h.run();
    let scene = h.state().canvas.scene();
    assert_eq!(scene.edges.len(), links - 2);
    let line = scene
        .edges
        .iter()
        .find(|e| e.links.contains(&first.id))
        .expect("the bundle is drawn")
        .clone();
    assert_eq!(line.links.len(), 3);
    assert!(line.label.starts_with("3 "), "{}", line.label);
    // The curve's apex on screen: the chord's middle, `bend` to its left.
    let (ca, cb) = (scene.nodes[line.from].pos, scene.nodes[line.to].pos);
    let a = screen_pos(&h, first.from.as_str());
    let b = screen_pos(&h, first.to.as_str());
    let zoom = a.distance(b) / ca.distance(cb);
    let d = (b - a).normalized();
    let apex = a.lerp(b, 0.5) + vec2(-d.y, d.x) * line.bend * zoom;
    click(&mut h, apex);
    let selected = &h.state().canvas.selected;
    for id in &line.links {
        assert!(
            selected.contains(&ItemRef::Link(id.clone())),
            "{id} selected: {selected:?}"
        );
    }
    h.get_by_role_and_label(Role::Button, "Show").click();
    h.run();
    h.get_by_role_and_label(Role::CheckBox, "Bundle links and shipments")
        .click();
    h.run();
    assert_eq!(h.state().canvas.scene().edges.len(), links);
}

/// The app on `case` with far-out drawing `drawing` chosen as `--drawing` does, the whole case
/// fitted in view (F).
fn fitted_with_drawing(
    case: chokepoint::model::Case,
    drawing: chokepoint::ui::theme::DrawingChoice,
) -> Harness<'static, ChokepointApp> {
    let startup = chokepoint::ui::Startup {
        drawing: Some(drawing),
        ..chokepoint::ui::Startup::for_case(case)
    };
    let mut h = common::realtime_harness_with(startup);
    h.run();
    h.key_press(egui::Key::F);
    h
}

/// Steps ten frames with the camera still (a little time between them for a picture to be
/// made, were one wanted), then says whether the far-out view is drawn from a picture.
fn pictured_after_still_frames(h: &mut Harness<'static, ChokepointApp>) -> bool {
    for _ in 0..10 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    h.state().canvas.far_view_is_picture()
}

/// With the far-out view drawn as one picture (automatic on a software renderer; forced here,
/// as `--drawing picture` does), a large case fitted in view is drawn from a picture made in
/// the background; when the camera moves the picture follows it and a new one is made once the
/// camera is still; every line, every frame draws no picture.
#[test]
fn far_out_a_large_case_is_drawn_as_one_picture_when_asked() {
    use chokepoint::ui::theme::DrawingChoice;
    let case = chokepoint::io::generate::generate_case(3000, 3).expect("generate");
    let mut h = fitted_with_drawing(case.clone(), DrawingChoice::Picture);
    assert!(
        common::step_until(&mut h, |h| h.state().canvas.far_view_is_picture()),
        "the picture is drawn"
    );
    let zoom = h.state().canvas.zoom;
    h.key_press(egui::Key::Minus);
    h.step();
    assert!(h.state().canvas.zoom < zoom, "- zooms out");
    assert!(
        !h.state().canvas.far_view_is_picture(),
        "the old picture is stale"
    );
    assert!(
        common::step_until(&mut h, |h| h.state().canvas.far_view_is_picture()),
        "a new picture once the camera is still"
    );
    let mut h = fitted_with_drawing(case, DrawingChoice::Detailed);
    assert!(!pictured_after_still_frames(&mut h));
}

/// With a graphics card, Automatic draws the far-out view of a case with many lines live while
/// the camera moves and from one picture once it is still (a still frame then costs the same
/// whatever the case's size); a case with fewer lines is always drawn live.
#[test]
fn far_out_a_case_with_many_lines_is_drawn_from_a_picture_once_the_camera_is_still() {
    use chokepoint::ui::canvas::raster::STILL_PICTURE_LINES;
    use chokepoint::ui::theme::DrawingChoice;
    let case = chokepoint::io::generate::generate_case(25_000, 3).expect("generate");
    assert!(case.links.len() + case.shipments.len() >= STILL_PICTURE_LINES);
    let mut h = fitted_with_drawing(case, DrawingChoice::Automatic);
    let scene = h.state().canvas.scene();
    assert!(scene.edges.len() + scene.routes.len() >= STILL_PICTURE_LINES);
    assert!(
        common::step_until(&mut h, |h| h.state().canvas.far_view_is_picture()),
        "the still view is drawn from a picture"
    );
    h.key_press(egui::Key::Minus);
    h.step();
    assert!(
        !h.state().canvas.far_view_is_picture(),
        "a moved camera draws live"
    );
    assert!(
        common::step_until(&mut h, |h| h.state().canvas.far_view_is_picture()),
        "a new picture once the camera is still"
    );
    let small = chokepoint::io::generate::generate_case(3000, 3).expect("generate");
    assert!(small.links.len() + small.shipments.len() < STILL_PICTURE_LINES);
    let mut h = fitted_with_drawing(small, DrawingChoice::Automatic);
    assert!(!pictured_after_still_frames(&mut h));
}
