//! The first minutes with the app: the welcome on a first start (the investigator's name), and
//! the start page that lists recent cases when the app starts with no file, through the real
//! app window.

use chokepoint::model::Tlp;
use chokepoint::ui::{ChokepointApp, RecentInfo, Settings, Startup};
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::PathBuf;

mod common;

/// The app as `chokepoint` with no file starts it: the seed case given, the start page asked.
fn started_without_a_file(settings: Settings) -> Harness<'static, ChokepointApp> {
    let mut startup = Startup::for_case(chokepoint::seed_case().expect("seed case"));
    startup.start_page = true;
    common::AppHarness::new(startup).settings(settings).build()
}

fn recent_infos_read(h: &mut Harness<'static, ChokepointApp>) -> bool {
    common::step_until(h, |h| {
        h.state().start_page().is_some_and(|p| {
            p.recent()
                .iter()
                .all(|(_, info)| *info != RecentInfo::Reading)
        })
    })
}

#[test]
fn a_first_start_opens_the_sample_case_and_asks_for_the_investigators_name() {
    let mut h = started_without_a_file(Settings::default());
    h.run();
    assert!(
        h.state().start_page().is_none(),
        "no recent cases: no start page"
    );
    assert_eq!(
        h.state().case.meta.title,
        chokepoint::seed_case().expect("seed case").meta.title
    );
    let field = h.get_by_role_and_label(Role::TextInput, "Welcome to Chokepoint");
    assert!(field.is_focused(), "the name field has the focus");
    // Continue means nothing while the name is empty.
    h.key_press(Key::Enter);
    h.run();
    assert!(h.query_by_label("Welcome to Chokepoint").is_some());
    h.get_by_role_and_label(Role::TextInput, "Welcome to Chokepoint")
        .type_text("A. Rossi");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert!(h.query_by_label("Welcome to Chokepoint").is_none());
    assert_eq!(h.state().settings.investigator, "A. Rossi");
}

#[test]
fn a_start_with_a_file_or_a_known_name_does_not_ask() {
    let settings = Settings {
        investigator: "A. Rossi".into(),
        ..Settings::default()
    };
    let mut h = started_without_a_file(settings);
    h.run();
    assert!(h.query_by_label("Welcome to Chokepoint").is_none());
    // A case given on the command line (as every other UI test starts) never asks.
    let mut h = common::realtime_harness(chokepoint::seed_case().expect("seed case"));
    h.run();
    assert!(h.query_by_label("Welcome to Chokepoint").is_none());
    assert!(h.state().start_page().is_none());
}

#[test]
fn the_start_page_lists_recent_cases_and_opens_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let training = dir.path().join("strait.ron");
    let case = chokepoint::training_case().expect("training case");
    chokepoint::io::save_case(&training, &case).expect("save");
    let gone = dir.path().join("moved-away.ron");
    let settings = Settings {
        recent: vec![training.clone(), gone.clone()],
        investigator: "A. Rossi".into(),
        ..Settings::default()
    };
    let mut h = started_without_a_file(settings);
    h.run();
    assert!(h.state().start_page().is_some());
    assert!(recent_infos_read(&mut h), "the recent cases were read");
    h.run();
    let infos: Vec<(PathBuf, RecentInfo)> = h
        .state()
        .start_page()
        .expect("start page")
        .recent()
        .to_vec();
    match &infos[0].1 {
        RecentInfo::Case {
            title,
            marking,
            counts,
            saved,
        } => {
            assert_eq!(title, &case.meta.title);
            assert_eq!(*marking, Tlp::Clear);
            assert!(
                counts.starts_with(&format!("{} entities", case.entities.len())),
                "{counts}"
            );
            assert!(saved.is_some());
        }
        other => panic!("the saved case reads as {other:?}"),
    }
    assert_eq!(infos[1].1, RecentInfo::Missing);
    // Behind the page: a new case, not the sample.
    assert!(h.state().case.entities.is_empty());
    assert!(h.query_by_label_contains("TLP:CLEAR").is_some());
    assert!(
        h.query_by_label("File not found: moved, renamed or deleted")
            .is_some()
    );

    // A file that is gone can be taken off the list.
    h.get_by_role_and_label(Role::Button, "Remove from the list")
        .click();
    h.run();
    assert_eq!(h.state().settings.recent, vec![training.clone()]);
    assert!(h.query_by_label("moved-away.ron").is_none());

    h.get_by_role_and_label(Role::Button, &case.meta.title)
        .click();
    assert!(common::step_until(&mut h, |h| h.state().path.as_deref()
        == Some(training.as_path())));
    h.run();
    assert!(h.state().start_page().is_none());
    assert_eq!(h.state().case.entities.len(), case.entities.len());
    assert!(h.query_by_label("Recent cases").is_none());
}

#[test]
fn the_start_page_opens_a_sample_and_gives_way_to_work_on_a_new_case() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = dir.path().join("seed.ron");
    chokepoint::io::save_case(&seed, &chokepoint::seed_case().expect("seed case")).expect("save");
    let settings = Settings {
        recent: vec![seed],
        investigator: "A. Rossi".into(),
        ..Settings::default()
    };

    let mut h = started_without_a_file(settings.clone());
    h.run();
    h.get_by_role_and_label(Role::Button, "Strait Networks (training case)")
        .click();
    h.run();
    assert!(h.state().start_page().is_none());
    let training = chokepoint::training_case().expect("training case");
    assert_eq!(h.state().case.meta.title, training.meta.title);
    assert_eq!(h.state().path, None, "a sample has no file behind it");

    // Work started from the menus lands in the new case behind the page, never a sample.
    let mut h = started_without_a_file(settings.clone());
    h.run();
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label_contains("Add entity").click();
    h.run();
    assert!(h.state().start_page().is_none());
    common::name_new_entity(&mut h, "First Entity Ltd");
    assert_eq!(h.state().case.entities.len(), 1);
    assert_eq!(h.state().case.meta.title, "Untitled case");

    // New case from the page; File ▸ Start page brings the page back.
    let mut h = started_without_a_file(settings);
    h.run();
    h.get_by_role_and_label(Role::Button, "New case").click();
    h.run();
    assert!(h.state().start_page().is_none());
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Start page").click();
    h.run();
    assert!(h.state().start_page().is_some());
    assert!(h.query_by_label("Recent cases").is_some());
}
