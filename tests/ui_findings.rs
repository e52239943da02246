//! The findings panel through the real app: findings appear for the training case, a click shows
//! the items on the canvas, and dismissing with a reason is saved in the case and undoable.

use chokepoint::analysis::flows::FlowFilter;
use chokepoint::model::ItemRef;
use chokepoint::ui::ChokepointApp;
use chokepoint::ui::app::RightTab;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

mod common;

fn harness() -> Harness<'static, ChokepointApp> {
    common::realtime_harness(
        chokepoint::io::load_case(std::path::Path::new(
            "sample_cases/training_strait_networks.ron",
        ))
        .expect("training case"),
    )
}

/// Flags on all entities of the open case.
fn flag_count(h: &Harness<'static, ChokepointApp>) -> usize {
    h.state()
        .case
        .entities
        .values()
        .map(|e| e.flags.len())
        .sum()
}

/// Opens the findings tab and waits for the background evaluation.
fn open_findings(h: &mut Harness<'static, ChokepointApp>) {
    h.run();
    h.get_by_role_and_label(Role::Button, "Findings").click();
    assert!(
        common::step_until(h, |h| h.query_by_label_contains("open, ").is_some()),
        "the findings are computed"
    );
    h.run();
    assert_eq!(h.state().right_tab, RightTab::Findings);
}

#[test]
fn findings_are_listed_and_show_their_items() {
    let mut h = harness();
    open_findings(&mut h);
    assert!(
        !h.query_all_by_label_contains("3A090/4A090 item routed to a D:5 or Macau party")
            .collect::<Vec<_>>()
            .is_empty()
    );
    // The first "Show all" belongs to the most severe finding; it selects its items.
    h.query_all_by_role_and_label(Role::Button, "Show all")
        .next()
        .expect("a finding with several items")
        .click();
    h.run();
    let app = h.state();
    assert!(app.canvas.selected.len() > 1);
    assert!(matches!(app.selection, Some(ItemRef::Shipment(_))));
}

#[test]
fn dismissing_a_finding_needs_a_reason_is_saved_and_undoable() {
    let mut h = harness();
    open_findings(&mut h);
    assert!(h.state().case.dismissals.is_empty());
    h.query_all_by_role_and_label(Role::Button, "Dismiss…")
        .next()
        .expect("a finding to dismiss")
        .click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Reason").focus();
    h.get_by_role_and_label(Role::TextInput, "Reason")
        .type_text("Licence on file for this shipment");
    h.run();
    h.get_by_role_and_label(Role::Button, "Dismiss").click();
    h.run();
    let dismissals = &h.state().case.dismissals;
    assert_eq!(dismissals.len(), 1);
    assert_eq!(dismissals[0].reason, "Licence on file for this shipment");
    // The panel catches up with the new revision and counts it as dismissed.
    common::step_until(&mut h, |h| {
        h.query_by_label_contains("1 dismissed").is_some()
    });
    assert!(h.query_by_label_contains("1 dismissed").is_some());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(h.state().case.dismissals.is_empty());
}

#[test]
fn a_screening_hit_can_become_a_listed_flag() {
    let mut h = harness();
    open_findings(&mut h);
    let flags_before = flag_count(&h);
    // Screening findings come after the critical rule findings: scroll down to the first.
    h.query_all_by_role_and_label(Role::Button, "Flag as listed")
        .next()
        .expect("the training case has screening hits")
        .scroll_to_me();
    h.run();
    h.query_all_by_role_and_label(Role::Button, "Flag as listed")
        .next()
        .expect("still there")
        .click();
    h.run();
    let flags_after = flag_count(&h);
    assert_eq!(flags_after, flags_before + 1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    let flags_undone = flag_count(&h);
    assert_eq!(flags_undone, flags_before);
}

#[test]
fn flows_tab_sums_routes_and_shows_their_shipments() {
    let mut h = harness();
    h.run();
    h.get_by_role_and_label(Role::Button, "Flows").click();
    h.run();
    assert_eq!(h.state().right_tab, RightTab::Flows);
    assert!(h.query_by_label_contains("By route").is_some());
    // The busiest route's row, found by its label; clicking it selects exactly its shipments.
    let routes = chokepoint::analysis::flows::by_route(&h.state().case, &FlowFilter::default());
    let route = routes
        .iter()
        .max_by_key(|r| r.totals.shipments.len())
        .expect("the training case has routes");
    let label = route.route.label();
    h.get_by_role_and_label(Role::Link, &label).click();
    h.run();
    let expected: std::collections::BTreeSet<ItemRef> = route
        .totals
        .shipments
        .iter()
        .cloned()
        .map(ItemRef::Shipment)
        .collect();
    let selected: std::collections::BTreeSet<ItemRef> =
        h.state().canvas.selected.iter().cloned().collect();
    assert_eq!(
        selected, expected,
        "the row of {label} selects its shipments"
    );
}

#[test]
fn a_users_screening_list_is_added_used_remembered_and_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let list = dir.path().join("my_watchlist.csv");
    // Written the way the party appears in another source: other case, punctuation, legal form.
    std::fs::write(
        &list,
        "Name,Aliases\nKESTREL FREIGHT SOLUTIONS PTE LTD,Kestrel Freight\n",
    )
    .expect("write list");
    let mut h = harness();
    open_findings(&mut h);
    // Screening against my list only.
    h.get_by_label("Demonstration list (ships with the app)")
        .click();
    h.run();
    assert!(!h.state().settings.screening_demo);
    assert!(common::step_until(&mut h, |h| h
        .query_by_label_contains("open, ")
        .is_some()));
    assert!(
        h.query_all_by_label_contains("Possible match on Demonstration list")
            .next()
            .is_none()
    );
    // The file dialog is the desktop's; choosing a file lands here.
    h.state_mut().add_screening_list(&list);
    assert!(common::step_until(&mut h, |h| h
        .query_all_by_label_contains("Possible match on my_watchlist.csv")
        .next()
        .is_some()));
    assert!(
        h.query_by_label_contains("my_watchlist.csv · 1 entries")
            .is_some()
    );
    assert_eq!(h.state().settings.screening_lists, vec![list.clone()]);
    h.get_by_role_and_label(Role::Button, "Remove").click();
    h.run();
    assert!(h.state().settings.screening_lists.is_empty());
    assert!(common::step_until(&mut h, |h| h
        .query_by_label_contains("open, ")
        .is_some()));
    assert!(
        h.query_all_by_label_contains("Possible match on my_watchlist.csv")
            .next()
            .is_none()
    );
    // A file that is not a list is a clear error, and nothing changes.
    let bad = dir.path().join("not_a_list.csv");
    std::fs::write(&bad, "id,country\n1,CN\n").expect("write");
    h.state_mut().add_screening_list(&bad);
    h.run();
    assert!(
        h.query_all_by_label_contains("Could not use the screening list")
            .next()
            .is_some()
    );
    assert!(h.state().settings.screening_lists.is_empty());
}

/// `chokepoint check` reports the findings count the app's Findings tab shows, so a script
/// can compare: both sample cases, the CLI as a real process against the real app.
#[test]
fn check_reports_the_findings_count_the_app_shows() {
    for file in [
        "sample_cases/training_strait_networks.ron",
        "sample_cases/seed_kunlun_nest.ron",
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_chokepoint"))
            .args(["check", file])
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stdout}");
        let cli: usize = stdout
            .lines()
            .find_map(|l| l.trim().strip_prefix("findings: "))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{file}: no findings count in\n{stdout}"));

        let mut h = common::realtime_harness(
            chokepoint::io::load_case(std::path::Path::new(file)).expect("case"),
        );
        h.run();
        h.get_by_role_and_label(Role::Button, "Findings").click();
        assert!(common::step_until(&mut h, |h| h
            .query_by_label_contains("Findings (")
            .is_some()));
        let label = h
            .query_by_label_contains("Findings (")
            .and_then(|n| n.accesskit_node().label())
            .expect("tab label");
        let app: usize = label
            .trim_start_matches("Findings (")
            .trim_end_matches(')')
            .parse()
            .expect("count");
        assert_eq!(cli, app, "{file}: check says {cli}, the Findings tab {app}");
    }
}
