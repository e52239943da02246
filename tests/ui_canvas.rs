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
    let revision = h.state().history.revision();
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
    assert_eq!(h.state().history.revision(), revision + 1);
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

#[test]
fn dragging_the_handle_onto_another_node_creates_a_link() {
    let mut h = ready();
    let links = h.state().case.links.len();
    let a = screen_pos(&h, "e-su-di");
    let b = screen_pos(&h, "e-h200");
    // Hovering shows the + handle to the right of the node.
    h.event(Event::PointerMoved(a));
    h.run();
    let handle = h
        .get_by_role_and_label(Role::Button, "Link from Su Di")
        .rect()
        .center();
    drag(&mut h, handle, b, Modifiers::NONE);
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
    h.get_by_role_and_label(Role::Button, "👤 Person").click();
    h.run();
    match h.state().selection.clone() {
        Some(ItemRef::Entity(e)) => e,
        other => panic!("new entity selected, got {other:?}"),
    }
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
    h.get_by_role_and_label(Role::Button, "🏢 Company").click();
    h.run();
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
