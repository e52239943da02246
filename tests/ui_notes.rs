//! Markdown notes in the inspector: a note on the selected entity is rendered, a new note is
//! written and saved as one undoable edit, and an @-mention in it selects the entity.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chokepoint::io::load_case;
use chokepoint::model::{EntityId, ItemRef};
use chokepoint::ui::{ChokepointApp, Settings, Startup};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;

mod common;

fn harness() -> Harness<'static, ChokepointApp> {
    let case = load_case(Path::new("sample_cases/seed_kunlun_nest.ron")).expect("seed case");
    let startup = Startup {
        select: Some("e-su-di".to_owned()),
        ..Startup::for_case(case)
    };
    let settings = Settings {
        investigator: "Test Investigator".to_owned(),
        ..Settings::default()
    };
    common::AppHarness::new(startup)
        .size(1500.0, 2400.0)
        .settings(settings)
        .build()
}

#[test]
fn notes_render_markdown_and_mentions_select_entities() {
    let mut h = harness();
    h.run();
    // The seed's note on Su Di, rendered: list markers are gone, the text is there.
    assert!(h.query_by_label("Notes (1)").is_some());
    assert!(
        h.query_by_label_contains("Find and archive both Douyin videos")
            .is_some()
    );
    let before = h.state().case.notes.len();

    h.get_by_role_and_label(Role::Button, "+ Note").click();
    h.run();
    assert_eq!(h.state().case.notes.len(), before + 1);
    let input = h.get_by_role_and_label(Role::MultilineTextInput, "Note text (Markdown)");
    input.focus();
    input.type_text("Ask @Kun Lun Nest about the **racks**.");
    h.run();
    h.get_by_role_and_label(Role::Button, "Save note").click();
    h.run();
    let note = h
        .state()
        .case
        .notes
        .values()
        .find(|n| n.body.contains("the **racks**"))
        .cloned()
        .expect("the new note");
    assert_eq!(note.about, Some(ItemRef::Entity(EntityId::from("e-su-di"))));
    assert_eq!(note.author, "Test Investigator");
    assert!(h.query_by_label("Notes (2)").is_some());

    // The mention is a link to the entity.
    h.get_by_label("@Kun Lun Nest").click();
    h.run();
    h.run();
    assert_eq!(
        h.state().selection,
        Some(ItemRef::Entity(EntityId::from("e-kun-lun-nest")))
    );

    // Undo takes back the text, then the note.
    h.state_mut().undo();
    h.state_mut().undo();
    h.run();
    assert_eq!(h.state().case.notes.len(), before);
}
