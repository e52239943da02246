//! What the user sees in one place stays there until the user (or a layout they run) moves it:
//! every entity gets a stored place when it is created, so dragging one node never moves
//! another, also after saving and reopening; a file written without places gets them once, as
//! one undoable step.

use chokepoint::model::EntityId;
use chokepoint::ui::{ChokepointApp, Startup};
use egui::accesskit::Role;
use egui::{Event, Modifiers, PointerButton, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::collections::BTreeMap;
use std::path::Path;

mod common;

type H = Harness<'static, ChokepointApp>;

fn on_file(path: &Path, case: chokepoint::model::Case) -> H {
    let mut startup = Startup::for_case(case);
    startup.path = Some(path.to_owned());
    common::realtime_harness_with(startup)
}

fn reopened(path: &Path) -> H {
    let (case, stamp) = chokepoint::io::load_case_stamped(path).expect("reopens");
    let mut startup = Startup::for_case(case);
    startup.path = Some(path.to_owned());
    startup.stamp = stamp;
    common::realtime_harness_with(startup)
}

fn button(pos: Pos2, pressed: bool) -> Event {
    Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    }
}

fn drag(h: &mut H, from: Pos2, to: Pos2) {
    h.event(Event::PointerMoved(from));
    h.step();
    h.event(button(from, true));
    h.step();
    for k in 1..=6 {
        #[allow(clippy::cast_precision_loss)]
        h.event(Event::PointerMoved(from.lerp(to, k as f32 / 6.0)));
        h.step();
    }
    h.event(button(to, false));
    h.step();
    h.event(Event::PointerGone);
    h.run();
}

/// Where each entity is drawn on screen.
fn drawn(h: &H) -> BTreeMap<EntityId, Pos2> {
    let app = h.state();
    app.case
        .entities
        .keys()
        .filter_map(|id| Some((id.clone(), app.canvas.node_screen_pos(id)?)))
        .collect()
}

#[test]
fn a_case_built_by_hand_keeps_every_place_when_one_node_is_dragged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("by_hand.ron");
    let mut h = on_file(
        &path,
        chokepoint::model::Case::new_untitled(chokepoint::model::Timestamp::now()),
    );
    h.run();
    // Three companies with Ctrl+E and one from the list's button, each named in the new-entity form.
    for name in ["Alpha Trading", "Beta Logistics", "Gamma Systems"] {
        h.key_press_modifiers(Modifiers::COMMAND, egui::Key::E);
        common::name_new_entity(&mut h, name);
    }
    h.get_by_role_and_label(Role::Button, "+ Entity").click();
    common::name_new_entity(&mut h, "Delta Holdings");
    let case = &h.state().case;
    assert_eq!(case.entities.len(), 4);
    assert_eq!(
        case.positions.len(),
        4,
        "every entity got a stored place when it was created"
    );
    let places: Vec<(f32, f32)> = case.positions.values().map(|p| (p.x, p.y)).collect();
    for (i, a) in places.iter().enumerate() {
        for b in &places[i + 1..] {
            assert!(
                (a.0 - b.0).hypot(a.1 - b.1) > 50.0,
                "new entities do not overlap"
            );
        }
    }
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::S);
    assert!(
        common::step_until(&mut h, |h| !h.state().is_saving()),
        "the save ends"
    );
    h.run();
    assert!(!h.state().history.is_dirty(), "saved");
    drop(h);

    let mut h = reopened(&path);
    h.run();
    h.run();
    assert!(
        !h.state().history.is_dirty(),
        "nothing to place on reopening"
    );
    let before = h.state().case.positions.clone();
    let seen = drawn(&h);
    assert_eq!(seen.len(), 4);
    let alpha = h
        .state()
        .case
        .entities
        .values()
        .find(|e| e.name == "Alpha Trading")
        .map(|e| e.id.clone())
        .expect("Alpha");
    let from = seen[&alpha];
    drag(&mut h, from, from + vec2(0.0, 220.0));
    let after = h.state().case.positions.clone();
    assert_ne!(after[&alpha], before[&alpha], "the dragged node moved");
    let now = drawn(&h);
    for (id, was) in &seen {
        if *id == alpha {
            continue;
        }
        assert!(
            now[id].distance(*was) < 0.5,
            "{id} stays where it was drawn ({was:?} → {:?})",
            now[id]
        );
        assert_eq!(
            after.get(id),
            before.get(id),
            "{id}'s stored place did not change"
        );
    }
}

#[test]
fn a_file_without_places_gets_them_once_as_one_undoable_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("no_places.ron");
    let mut case = chokepoint::model::Case::default();
    for (id, name) in [("e-a", "A Co"), ("e-b", "B Co"), ("e-c", "C Co")] {
        case.entities.insert(
            id.into(),
            chokepoint::model::Entity::new(id, chokepoint::model::EntityKind::Company, name),
        );
    }
    chokepoint::io::save_case(&path, &case).expect("save");
    let mut h = reopened(&path);
    h.run();
    h.run();
    let app = h.state();
    assert_eq!(
        app.case.positions.len(),
        3,
        "each got the place it is drawn at"
    );
    assert_eq!(app.history.undo_len(), 1, "one step, which undo takes back");
    assert!(app.history.is_dirty(), "the change is the user's to save");
    assert!(
        app.status_message()
            .is_some_and(|m| m.contains("had no saved place")),
        "{:?}",
        app.status_message()
    );
    let seen = drawn(&h);
    let b = EntityId::from("e-b");
    let from = seen[&EntityId::from("e-a")];
    drag(&mut h, from, from + vec2(30.0, 250.0));
    let now = drawn(&h);
    for id in [b, EntityId::from("e-c")] {
        assert!(now[&id].distance(seen[&id]) < 0.5, "{id} stays put");
    }
}
