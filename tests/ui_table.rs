//! The table view through the real app: opened from the View menu, filtered, sorted, rows
//! selected (shared with the canvas), one cell edited inline, and a bulk edit of a few hundred
//! rows that is one undo step.

use chokepoint::model::{EntityKind, ItemRef};
use chokepoint::ui::ChokepointApp;
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

type H = Harness<'static, ChokepointApp>;

fn open_table(h: &mut H) {
    h.get_by_label("View").click();
    h.run();
    h.get_by_label_contains("Table view (entities, links, shipments)")
        .click();
    h.run();
    assert!(h.state().table.open, "the table replaces the chart");
}

fn type_into(h: &mut H, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run();
}

#[test]
fn a_bulk_edit_of_hundreds_of_rows_is_one_undo_step() {
    let case = chokepoint::io::generate::generate_case(600, 7).expect("generated case");
    let companies = case
        .entities
        .values()
        .filter(|e| e.kind == EntityKind::Company)
        .count();
    assert!(
        companies >= 200,
        "the generated case has {companies} companies"
    );
    let mut h = common::realtime_harness(case.clone());
    h.run();
    open_table(&mut h);
    type_into(&mut h, "Filter the table", "Company");
    let shown = h.state().table.shown();
    assert!(shown.len() >= companies, "{} rows shown", shown.len());
    h.get_by_role_and_label(Role::Button, "Select all shown")
        .click();
    h.run();
    assert_eq!(h.state().canvas.selected.len(), shown.len());
    let before = h.state().history.undo_label().map(str::to_owned);

    type_into(&mut h, "Tag", "reviewed-2026-12");
    h.get_by_role_and_label(Role::Button, &format!("Add to {}", shown.len()))
        .click();
    h.run();
    let tagged = |h: &H| {
        h.state()
            .case
            .entities
            .values()
            .filter(|e| e.tags.iter().any(|t| t == "reviewed-2026-12"))
            .count()
    };
    assert_eq!(tagged(&h), shown.len());
    type_into(&mut h, "Country", "Malaysia");
    h.get_by_role_and_label(Role::Button, &format!("Set on {}", shown.len()))
        .click();
    h.run();
    let in_my = |h: &H| {
        shown
            .iter()
            .filter(|i| match i {
                ItemRef::Entity(id) => {
                    h.state().case.entities[id]
                        .country
                        .as_ref()
                        .map(ToString::to_string)
                        == Some("MY".to_owned())
                }
                _ => false,
            })
            .count()
    };
    assert_eq!(in_my(&h), shown.len());
    // A typo in the country is refused and says why; nothing changes.
    type_into(&mut h, "Country", "Malaysai");
    let revision = h.state().history.revision();
    h.get_by_role_and_label(Role::Button, &format!("Set on {}", shown.len()))
        .click();
    h.run();
    assert_eq!(h.state().history.revision(), revision);
    assert!(h.query_by_label_contains("Country:").is_some());

    // Two steps, each undone at once.
    h.state_mut().undo();
    h.run();
    assert_eq!(
        in_my(&h),
        shown
            .iter()
            .filter(|i| match i {
                ItemRef::Entity(id) =>
                    case.entities[id].country.as_ref().map(ToString::to_string)
                        == Some("MY".to_owned()),
                _ => false,
            })
            .count()
    );
    assert_eq!(tagged(&h), shown.len());
    h.state_mut().undo();
    h.run();
    assert_eq!(tagged(&h), 0);
    assert_eq!(h.state().history.undo_label().map(str::to_owned), before);
}

#[test]
fn rows_sort_select_with_the_canvas_and_edit_in_place() {
    let case = chokepoint::training_case().expect("training case");
    let mut h = common::realtime_harness(case.clone());
    h.run();
    open_table(&mut h);
    let first_name = |h: &H| match &h.state().table.shown()[0] {
        ItemRef::Entity(id) => h.state().case.entities[id].name.clone(),
        other => panic!("{other:?}"),
    };
    let mut names: Vec<String> = case.entities.values().map(|e| e.name.clone()).collect();
    names.sort_by_key(|n| n.to_lowercase());
    assert_eq!(first_name(&h), names[0], "sorted by name");
    h.get_by_label_contains("Name ⏶").click();
    h.run();
    assert_eq!(first_name(&h), *names.last().expect("names"), "descending");

    // A click selects the row, on the canvas too.
    let target = names.last().expect("names").clone();
    h.get_by_label(&target).click();
    h.run();
    let ItemRef::Entity(id) = h.state().table.shown()[0].clone() else {
        panic!("an entity row")
    };
    assert_eq!(
        h.state().canvas.selected.iter().collect::<Vec<_>>(),
        vec![&ItemRef::Entity(id.clone())]
    );
    // A double-click on the name edits it; Enter keeps the edit as one undo step.
    // (The inspector shows the name too, to the right of the table.)
    let cell = h
        .query_all_by_label(&target)
        .min_by(|a, b| a.rect().min.x.total_cmp(&b.rect().min.x))
        .expect("the name's cell");
    let at = cell.rect().center();
    // (Long enough after the click above that the two make no triple-click.)
    h.run_steps(40);
    for _ in 0..2 {
        for pressed in [true, false] {
            h.event(egui::Event::PointerButton {
                pos: at,
                button: egui::PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
            h.step();
        }
    }
    h.run();
    assert!(
        h.state().table.is_editing(),
        "a double-click edits the cell"
    );
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    let renamed = "Zhongguancun Relabelling Trading Co.";
    h.query_all_by_role(Role::TextInput)
        .find(egui_kittest::Node::is_focused)
        .expect("the cell's field has the focus")
        .type_text(renamed);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().case.entities[&id].name, renamed);
    assert_eq!(h.state().history.undo_label(), Some("Rename"));
    h.state_mut().undo();
    h.run();
    assert_eq!(h.state().case.entities[&id].name, target);

    // Links: the claim of one row is a choice in its cell.
    h.get_by_role_and_label(Role::Button, &format!("Links {}", case.links.len()))
        .click();
    h.run();
    assert_eq!(h.state().table.shown().len(), case.links.len());
    let ItemRef::Link(link) = h.state().table.shown()[0].clone() else {
        panic!("a link row")
    };
    let to = if h.state().case.links[&link].status == chokepoint::model::ClaimStatus::Disputed {
        "Refuted"
    } else {
        "Disputed"
    };
    h.get_by_label_contains("Claim of row 1:").click();
    h.run();
    h.get_by_role_and_label(Role::Button, to).click();
    h.run();
    assert_eq!(h.state().case.links[&link].status.label(), to);
    h.state_mut().undo();
    h.run();
    assert_eq!(h.state().case.links[&link].status, case.links[&link].status);
    // Back to the chart.
    h.get_by_role_and_label(Role::Button, "← Chart").click();
    h.run();
    assert!(!h.state().table.open);
}
