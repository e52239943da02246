//! Derived data belongs to one case: open the training case, show every panel and tab (so
//! each cache is filled), then File ▸ New and then open the seed case, and nothing of the
//! training case may be shown (its names, references, counts). Every case starts again at
//! revision 0 of its own history, so a cache keyed on the revision alone would serve the
//! previous case's findings, lists, flows and results.

use chokepoint::model::ItemRef;
use chokepoint::ui::app::RightTab;
use chokepoint::ui::{ChokepointApp, Startup};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::path::Path;
use std::time::Duration;

mod common;

const TRAINING: &str = "sample_cases/training_strait_networks.ron";
const SEED: &str = "sample_cases/seed_kunlun_nest.ron";

/// Names and references that only the training case holds.
const TRAINING_ONLY: [&str; 4] = ["Orchid Bay", "CPD-SO-23-1205", "Lumen Strait", "Halvorsen"];

type H = Harness<'static, ChokepointApp>;

fn list_tab_button<'a>(h: &'a H, word: &'a str) -> egui_kittest::Node<'a> {
    h.query_all_by_label_contains(word)
        .find(|n| {
            n.rect().center().x < chokepoint::ui::theme::LIST_PANEL_WIDTH
                && n.rect().center().y < 120.0
        })
        .unwrap_or_else(|| panic!("list tab {word}"))
}

fn tab(h: &mut H, which: RightTab) {
    // The tab buttons sit at the top of the right panel; their labels carry counts.
    let word = match which {
        RightTab::Inspector => "Inspector",
        RightTab::Findings => "Findings",
        RightTab::Flows => "Flows",
        RightTab::Views => "Views",
        RightTab::Evidence => "Evidence",
    };
    let button = h
        .query_all_by_label_contains(word)
        .find(|n| {
            n.rect().center().x > chokepoint::ui::theme::LIST_PANEL_WIDTH
                && n.rect().center().y < 90.0
                && n.accesskit_node()
                    .label()
                    .is_some_and(|l| l.starts_with(word))
        })
        .unwrap_or_else(|| panic!("tab {word}"));
    button.click();
    h.run();
    assert_eq!(h.state().right_tab, which);
}

/// The number on the Findings tab once computed, waiting for the background evaluation.
fn findings_count(h: &mut H) -> usize {
    tab(h, RightTab::Findings);
    let computed = common::step_until(h, |h| {
        h.query_all_by_label_contains("Findings (").next().is_some()
    });
    assert!(computed, "the findings are computed");
    let label = h
        .query_all_by_label_contains("Findings (")
        .next()
        .and_then(|n| n.accesskit_node().label())
        .expect("the tab label");
    label
        .trim_start_matches("Findings (")
        .trim_end_matches(')')
        .parse()
        .expect("a count")
}

/// Shows every tab of the right panel, every tab of the list, the timeline and, when `entity`
/// is given, that entity in the inspector with a downstream trace in the analysis section:
/// every cache gets filled or looked at.
fn show_everything(h: &mut H, entity: Option<&str>) {
    if let Some(name) = entity {
        h.query_all_by_label_contains(name)
            .find(|n| n.rect().center().x < chokepoint::ui::theme::LIST_PANEL_WIDTH)
            .expect("the entity in the list")
            .click();
        h.run();
        assert!(matches!(h.state().selection, Some(ItemRef::Entity(_))));
    }
    tab(h, RightTab::Inspector);
    let _ = findings_count(h);
    tab(h, RightTab::Flows);
    if entity.is_some() {
        h.get_by_role_and_label(Role::Button, "Trace downstream")
            .click();
        h.run();
    }
    tab(h, RightTab::Views);
    tab(h, RightTab::Evidence);
    for word in ["Links", "Shipments", "Entities"] {
        list_tab_button(h, word).click();
        h.run();
    }
    // Let background work (the evidence check, findings) land.
    common::step_until_within(h, Duration::from_secs(2), |h| {
        !h.state().integrity.pending()
    });
    h.run();
}

/// Nothing of the training case is on screen, in any tab: nodes, list rows, findings, flows,
/// analysis results, evidence and views are all in the accessibility tree.
fn assert_nothing_of_training(h: &mut H, stage: &str, training_findings: &str) {
    for which in [
        RightTab::Inspector,
        RightTab::Findings,
        RightTab::Flows,
        RightTab::Views,
        RightTab::Evidence,
    ] {
        tab(h, which);
        if which == RightTab::Findings {
            // Give a stale evaluation every chance to show itself.
            common::step_until_within(h, Duration::from_millis(500), |_| false);
        }
        for word in ["Links", "Shipments", "Entities"] {
            list_tab_button(h, word).click();
            h.run();
            for marker in TRAINING_ONLY {
                let shown: Vec<String> = h
                    .query_all_by_label_contains(marker)
                    .filter_map(|n| n.accesskit_node().label())
                    .collect();
                assert!(
                    shown.is_empty(),
                    "{stage}, {which:?} tab, list {word}: the training case's {marker:?} is shown: {shown:?}"
                );
            }
            assert!(
                h.query_all_by_label(training_findings).next().is_none(),
                "{stage}, {which:?} tab: the training case's \"{training_findings}\" is shown"
            );
        }
    }
    // The drawing holds nothing of it either (labels are drawn, not only listed).
    let scene = h.state().canvas.scene();
    for node in &scene.nodes {
        for marker in TRAINING_ONLY {
            assert!(
                !node.label.contains(marker),
                "{stage}: the canvas draws {}",
                node.label
            );
        }
    }
}

#[test]
fn a_new_or_opened_case_shows_nothing_of_the_case_before() {
    let training = chokepoint::io::load_case(Path::new(TRAINING)).expect("training case");
    let mut startup = Startup::for_case(training);
    startup.path = Some(TRAINING.into());
    let mut h = common::realtime_harness_with(startup);
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::T);
    h.run();
    assert!(h.state().timeline.open);

    show_everything(&mut h, Some("Orchid Bay Technology"));
    let n = findings_count(&mut h);
    assert!(n > 0, "the training case has findings");
    let training_findings = format!("Findings ({n})");
    // The test sees the training case before it looks for its absence.
    assert!(
        h.query_all_by_label_contains("CPD-SO-23-1205")
            .next()
            .is_some()
            || {
                list_tab_button(&h, "Shipments").click();
                h.run();
                h.query_all_by_label_contains("CPD-SO-23-1205")
                    .next()
                    .is_some()
            }
    );
    tab(&mut h, RightTab::Flows);
    assert!(
        h.query_all_by_label_contains("Orchid Bay").count() > 1,
        "the analysis result and the flows name the training case's parties"
    );

    // File ▸ New.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("New case").click();
    h.run();
    assert!(h.state().case.entities.is_empty());
    show_everything(&mut h, None);
    assert_nothing_of_training(&mut h, "after File ▸ New", &training_findings);

    // File ▸ Open by path…, the seed case.
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Open by path").click();
    h.run();
    let seed = std::fs::canonicalize(SEED).expect("seed case");
    h.get_by_role_and_label(Role::TextInput, "Open case by path")
        .type_text(seed.to_str().expect("utf-8 path"));
    h.get_by_role_and_label(Role::Button, "OK").click();
    assert!(common::step_until(&mut h, |h| h.state().path.as_deref()
        == Some(seed.as_path())));
    h.run();
    show_everything(&mut h, Some("Su Di"));
    assert_nothing_of_training(&mut h, "after opening the seed case", &training_findings);
    // The seed case's own count, as computed for it.
    let seed_case = chokepoint::io::load_case(Path::new(SEED)).expect("seed");
    let rules = chokepoint::analysis::RuleSet::builtin().expect("rules");
    let demo = chokepoint::analysis::ScreeningList::demo().expect("demo list");
    let hits = chokepoint::analysis::screen(
        &seed_case,
        &demo,
        chokepoint::analysis::screening::DEFAULT_THRESHOLD,
    );
    let expected = chokepoint::analysis::all_findings(
        &seed_case,
        &rules,
        &hits,
        &chokepoint::model::PartialDate::today(),
    )
    .iter()
    .filter(|f| f.dismissed.is_none())
    .count();
    assert_eq!(
        findings_count(&mut h),
        expected,
        "the Findings tab counts the seed case's findings"
    );
}
