//! The evidence locker through the real app: adding a graded reference that supports the
//! selected entity, regrading it (logged in the custody log, undoable), files dropped on the
//! window becoming evidence, and a tampered file flagged in the locker and the status bar.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chokepoint::io::evidence::attach_file;
use chokepoint::io::{load_case, save_case};
use chokepoint::model::{
    Case, CustodyAction, EvidenceId, EvidenceSource, InfoCredibility, ItemRef, SourceReliability,
    Timestamp,
};
use chokepoint::ui::{ChokepointApp, RightTab, Settings, Startup};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::Path;

mod common;

/// A file dropped on the window, as the windowing layer reports it.
#[derive(Debug)]
struct TestDrop(std::path::PathBuf);

impl egui::DroppedFile for TestDrop {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn seed() -> Case {
    load_case(Path::new("sample_cases/seed_kunlun_nest.ron")).expect("seed case")
}

/// The real app on `case` with `select` selected and the given tab open.
fn harness(case: Case, select: Option<&str>, tab: RightTab) -> Harness<'static, ChokepointApp> {
    let startup = Startup {
        select: select.map(str::to_owned),
        tab: Some(tab),
        ..Startup::for_case(case)
    };
    let settings = Settings {
        investigator: "Test Investigator".to_owned(),
        ..Settings::default()
    };
    common::AppHarness::new(startup)
        .size(1500.0, 1400.0)
        .settings(settings)
        .build()
}

fn pick(h: &mut Harness<'static, ChokepointApp>, combo: &str, option: &str) {
    h.get_by_role_and_label(Role::ComboBox, combo).click();
    h.run();
    h.get_by_label(option).click();
    h.run();
}

#[test]
fn a_graded_reference_added_in_the_locker_supports_the_selected_entity() {
    let mut h = harness(seed(), Some("e-su-di"), RightTab::Inspector);
    h.run();
    let before = h.state().case.evidence.len();
    h.get_by_role_and_label(Role::Button, "Evidence").click();
    h.run();
    assert_eq!(h.state().right_tab, RightTab::Evidence);

    h.get_by_role_and_label(Role::Button, "🔗 Add reference")
        .click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Title").focus();
    h.get_by_role_and_label(Role::TextInput, "Title")
        .type_text("Kun Lun Nest company registry extract");
    h.get_by_role_and_label(Role::MultilineTextInput, "URL or citation")
        .focus();
    h.get_by_role_and_label(Role::MultilineTextInput, "URL or citation")
        .type_text(
            "National Enterprise Credit Information Publicity System, extract of 2024-12-11",
        );
    h.get_by_role_and_label(Role::TextInput, "Claim").focus();
    h.get_by_role_and_label(Role::TextInput, "Claim")
        .type_text("co-founder");
    h.run();
    pick(&mut h, "Reliability", "B — Usually reliable");
    pick(&mut h, "Credibility", "2 — Probably true");
    h.get_by_role_and_label(Role::Button, "Add to locker")
        .click();
    h.run();

    let app = h.state();
    assert_eq!(app.case.evidence.len(), before + 1);
    let id = app
        .case
        .evidence
        .values()
        .find(|e| e.title == "Kun Lun Nest company registry extract")
        .map(|e| e.id.clone())
        .expect("the new reference");
    let ev = &app.case.evidence[&id];
    assert_eq!(ev.grade(), "B2");
    assert_eq!(ev.reliability, SourceReliability::B);
    assert_eq!(ev.credibility, InfoCredibility::ProbablyTrue);
    assert!(matches!(
        &ev.source,
        EvidenceSource::Reference { citation, .. } if citation.starts_with("National Enterprise")
    ));
    assert_eq!(ev.supports.len(), 1);
    assert_eq!(
        ev.supports[0].target,
        Some(ItemRef::Entity("e-su-di".into()))
    );
    assert_eq!(ev.supports[0].claim, "co-founder");
    let logged = app.case.custody.last().unwrap();
    assert_eq!(
        (logged.action, logged.evidence.clone(), logged.who.as_str()),
        (CustodyAction::Added, id.clone(), "Test Investigator")
    );
    // The new item is selected in the locker and shows its grade badge.
    assert_eq!(app.selection, Some(ItemRef::Evidence(id.clone())));
    assert!(
        h.query_all_by_label(" B2 ").count() >= 2,
        "list row and details"
    );

    // The inspector of Su Di lists it as the best supporting evidence.
    h.state_mut().open_item(ItemRef::Entity("e-su-di".into()));
    h.run();
    assert!(h.query_by_label("Supporting evidence (2)").is_some());
    assert!(
        h.query_all_by_label(" B2 ").count() >= 2,
        "best grade and the row"
    );

    // One undo takes back the item and its custody line.
    let custody = h.state().case.custody.len();
    h.state_mut().undo();
    h.run();
    assert!(!h.state().case.evidence.contains_key(&id));
    assert_eq!(h.state().case.custody.len(), custody - 1);
}

#[test]
fn regrading_in_the_locker_is_logged_and_undoable() {
    let mut h = harness(seed(), Some("ev-douyin-video-1"), RightTab::Inspector);
    h.run();
    // Selecting evidence opens the locker on it.
    assert_eq!(h.state().right_tab, RightTab::Evidence);
    let id = EvidenceId::from("ev-douyin-video-1");
    assert_eq!(h.state().case.evidence[&id].grade(), "F3");
    pick(&mut h, "Reliability", "C — Fairly reliable");
    h.run();
    let app = h.state();
    assert_eq!(app.case.evidence[&id].grade(), "C3");
    let logged = app.case.custody.last().unwrap();
    assert_eq!(logged.action, CustodyAction::Modified);
    assert!(logged.detail.contains("grade F3 → C3"), "{}", logged.detail);
    h.state_mut().undo();
    h.run();
    assert_eq!(h.state().case.evidence[&id].grade(), "F3");
    assert_ne!(
        h.state().case.custody.last().map(|c| c.action),
        Some(CustodyAction::Modified)
    );
}

#[test]
fn dropped_files_become_evidence_and_tampering_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let case_path = dir.path().join("case.ron");
    let mut case = seed();
    // Keep the seed's attached file valid in the new folder.
    let seed_dir = Path::new("sample_cases");
    let attached = dir.path().join("evidence");
    std::fs::create_dir_all(&attached).unwrap();
    std::fs::copy(
        seed_dir.join("evidence/x-post-byron-wan-2024-12-09.txt"),
        attached.join("x-post-byron-wan-2024-12-09.txt"),
    )
    .unwrap();
    // And one more file, attached through the library, to tamper with later.
    let outside = dir.path().join("scan.txt");
    std::fs::write(&outside, "consignee: unknown").unwrap();
    let a = attach_file(&case, dir.path(), &outside, "T", Timestamp::now()).unwrap();
    case.apply(a.edit()).unwrap();
    save_case(&case_path, &case).unwrap();
    std::fs::write(attached.join("scan.txt"), "consignee: someone else").unwrap();

    let mut h = harness(Case::default(), None, RightTab::Inspector);
    h.run();
    h.state_mut().open_now(&case_path).unwrap();
    assert!(common::step_until(&mut h, |h| !h
        .state()
        .integrity
        .pending()
        && !h.state().integrity.problems().is_empty()));
    h.run();
    // Loud in the tab, the status bar and the locker.
    assert!(h.query_by_label("Evidence ⚠1").is_some());
    assert!(
        h.query_by_label_contains("⚠ Evidence: 1 modified")
            .is_some()
    );
    h.get_by_label("Evidence ⚠1").click();
    h.run();
    assert!(
        h.query_by_label_contains("1 evidence file(s) failed the integrity check")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("evidence/scan.txt: modified")
            .is_some()
    );

    // The seed's attached text file previews inline, with the explicit viewer button.
    h.state_mut()
        .open_item(ItemRef::Evidence("ev-x-post-text-capture".into()));
    h.run();
    assert!(h.query_by_label_contains("matches its SHA-256").is_some());
    assert!(
        h.query_by_label_contains("Working English translation")
            .is_some()
    );
    assert!(
        h.query_by_role_and_label(Role::Button, "Open with system viewer")
            .is_some()
    );

    // A file dropped on the window is copied in, hashed and logged.
    let dropped = dir.path().join("invoice 7.txt");
    std::fs::write(&dropped, "INVOICE 7").unwrap();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(TestDrop(dropped.clone())));
    h.run();
    let app = h.state();
    let ev = app
        .case
        .evidence
        .values()
        .find(|e| e.title == "invoice 7.txt")
        .expect("dropped file is evidence");
    let Some(file) = ev.stored_file() else {
        panic!("{:?}", ev.source);
    };
    let path = file.path;
    assert_eq!(path, "evidence/invoice-7.txt");
    assert_eq!(
        std::fs::read_to_string(dir.path().join(path)).unwrap(),
        "INVOICE 7"
    );
    assert_eq!(app.case.custody.last().unwrap().evidence, ev.id);
    assert_eq!(app.right_tab, RightTab::Evidence);
}

#[test]
fn unsupported_entities_are_marked_and_can_be_hidden() {
    let case = seed();
    let unsupported = chokepoint::ui::canvas::support::unsupported_entities(&case);
    // Evidence supports Su Di directly; nothing supports NVIDIA or its links.
    assert!(!unsupported.contains(&"e-su-di".into()));
    assert!(unsupported.contains(&"e-nvidia".into()), "{unsupported:?}");
    let mut h = harness(case, None, RightTab::Inspector);
    h.run();
    assert!(
        !h.state()
            .canvas
            .scene()
            .supported
            .contains(&"e-nvidia".into())
    );

    h.get_by_role_and_label(Role::Button, "Show").click();
    h.run();
    h.get_by_label("Only supported items").click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    let app = h.state();
    assert!(app.canvas.filters.only_supported);
    let shown: Vec<&ItemRef> = app.canvas.scene().nodes.iter().map(|n| &n.item).collect();
    assert!(!shown.contains(&&ItemRef::Entity("e-nvidia".into())));
    assert!(shown.contains(&&ItemRef::Entity("e-su-di".into())));
    assert_eq!(
        shown.len() + unsupported.len(),
        app.case.entities.len(),
        "every supported entity stays"
    );
}

#[test]
fn png_evidence_previews_inline() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("label photo.png");
    {
        let file = std::fs::File::create(&png).unwrap();
        let mut enc = png::Encoder::new(std::io::BufWriter::new(file), 4, 3);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        enc.write_header()
            .unwrap()
            .write_image_data(&[200u8; 4 * 3 * 4])
            .unwrap();
    }
    let case_path = dir.path().join("case.ron");
    save_case(&case_path, &Case::default()).unwrap();
    let mut h = harness(Case::default(), None, RightTab::Evidence);
    h.run();
    h.state_mut().open_now(&case_path).unwrap();
    assert_eq!(h.state_mut().attach_files(&[png], None), 1);
    h.run();
    h.run();
    assert!(h.query_by_label_contains("label-photo.png").is_some());
    assert!(
        h.query_all_by_role(Role::Image).next().is_some(),
        "the PNG is drawn inline"
    );
}

#[test]
fn deleting_selected_evidence_is_logged_and_undoable() {
    let mut h = harness(seed(), Some("ev-douyin-video-2"), RightTab::Evidence);
    h.run();
    let id = EvidenceId::from("ev-douyin-video-2");
    let custody = h.state().case.custody.len();
    let ctx = h.ctx.clone();
    h.state_mut()
        .run_command(&ctx, chokepoint::ui::commands::UiCommand::DeleteSelection);
    h.run();
    let app = h.state();
    assert!(!app.case.evidence.contains_key(&id));
    let logged = app.case.custody.last().unwrap();
    assert_eq!(
        (logged.action, &logged.evidence),
        (CustodyAction::Removed, &id)
    );
    h.state_mut().undo();
    h.run();
    assert!(h.state().case.evidence.contains_key(&id));
    assert_eq!(h.state().case.custody.len(), custody);
}

/// Adds a reference titled `title` in the locker (the tab must be open).
fn add_reference(
    h: &mut Harness<'static, ChokepointApp>,
    title: &str,
) -> chokepoint::model::Evidence {
    h.get_by_role_and_label(Role::Button, "🔗 Add reference")
        .click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Title").focus();
    h.get_by_role_and_label(Role::TextInput, "Title")
        .type_text(title);
    h.get_by_role_and_label(Role::MultilineTextInput, "URL or citation")
        .focus();
    h.get_by_role_and_label(Role::MultilineTextInput, "URL or citation")
        .type_text("Registry extract, page 2");
    h.run();
    h.get_by_role_and_label(Role::Button, "Add to locker")
        .click();
    h.run();
    h.state()
        .case
        .evidence
        .values()
        .find(|e| e.title == title)
        .cloned()
        .expect("the new reference")
}

/// New evidence supports only what the user has selected when adding it: once the selection
/// is cleared, no item is offered or linked; once another item is selected, that one is.
#[test]
fn new_evidence_supports_only_what_is_selected_when_it_is_added() {
    let mut h = harness(seed(), Some("e-su-di"), RightTab::Evidence);
    h.run();
    assert!(
        h.query_by_label_contains("New evidence supports Su Di")
            .is_some(),
        "offered for the selected entity"
    );
    // Clear the selection on the canvas (Esc).
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(h.state().selection, None);
    h.state_mut().right_tab = RightTab::Evidence;
    h.run();
    assert!(
        h.query_by_label_contains("New evidence supports").is_none(),
        "nothing selected, nothing offered"
    );
    let ev = add_reference(&mut h, "Unlinked note");
    assert!(
        ev.supports.iter().all(|s| s.target.is_none()),
        "linked to an item no longer selected: {:?}",
        ev.supports
    );

    // Another entity selected: new evidence supports it, and only it.
    let other = h
        .state()
        .case
        .entities
        .keys()
        .find(|id| id.as_str() != "e-su-di")
        .cloned()
        .expect("another entity");
    h.state_mut().open_item(ItemRef::Entity(other.clone()));
    h.state_mut().right_tab = RightTab::Evidence;
    h.run();
    let name = h.state().case.entities[&other].name.clone();
    assert!(
        h.query_by_label_contains(&format!("New evidence supports {name}"))
            .is_some()
    );
    assert!(
        h.query_by_label_contains("New evidence supports Su Di")
            .is_none()
    );
    let ev = add_reference(&mut h, "About the other entity");
    let targets: Vec<_> = ev
        .supports
        .iter()
        .filter_map(|s| s.target.clone())
        .collect();
    assert_eq!(targets, vec![ItemRef::Entity(other)]);
}

/// *Add file…* on a case that was never saved asks to save it first, then goes on to ask for
/// the evidence file: no refusal, no red status line. The path prompts (where no desktop file
/// chooser answers, as in this test) start in the folder, not on the case file itself.
#[test]
fn adding_a_file_to_an_unsaved_case_saves_it_first_then_continues() {
    let dir = tempfile::tempdir().unwrap();
    let evidence = dir.path().join("invoice.txt");
    std::fs::write(&evidence, "Invoice HX-23-0917").unwrap();
    let mut h = harness(seed(), None, RightTab::Evidence);
    assert!(h.state().path.is_none(), "a case not saved yet");
    h.run();
    h.get_by_label("📄 Add file…").click();
    h.run();
    assert!(h.query_by_label("Save the case first").is_some());
    h.get_by_role_and_label(Role::Button, "Save as…").click();
    // No desktop file chooser answers here: the app asks for the path instead.
    let asked = common::step_until_within(&mut h, std::time::Duration::from_secs(20), |h| {
        h.query_by_role_and_label(Role::TextInput, "Save case as")
            .is_some()
    });
    if !asked {
        assert!(!common::in_ci(), "no path prompt appeared");
        eprintln!("SKIPPED the rest: a desktop file chooser is open");
        return;
    }
    let case_path = dir.path().join("unsaved.ron");
    type_path(&mut h, "Save case as", &case_path);
    assert_eq!(h.state().path.as_deref(), Some(case_path.as_path()));
    assert!(case_path.is_file());
    // And straight on to the evidence file, starting in the case's folder.
    assert!(common::step_until(&mut h, |h| {
        h.query_by_role_and_label(Role::TextInput, "Attach an evidence file")
            .is_some()
    }));
    let typed = h
        .get_by_role_and_label(Role::TextInput, "Attach an evidence file")
        .value()
        .unwrap_or_default();
    assert!(
        typed.ends_with('/'),
        "the prompt starts in a folder: {typed:?}"
    );
    type_path(&mut h, "Attach an evidence file", &evidence);
    let attached = h
        .state()
        .case
        .evidence
        .values()
        .filter(|e| e.stored_file().is_some())
        .count();
    assert!(attached >= 1, "the file became evidence");
    assert!(dir.path().join("evidence").is_dir());
}

/// Replaces what a path prompt holds with `path` and confirms with Enter.
fn type_path(h: &mut Harness<'static, ChokepointApp>, prompt: &str, path: &Path) {
    h.get_by_role_and_label(Role::TextInput, prompt).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, prompt)
        .type_text(path.to_str().unwrap());
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.run();
}
