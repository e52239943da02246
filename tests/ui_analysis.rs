//! The analysis section of the Flows tab through the real app: with two entities selected on the
//! canvas, "Shortest path", "All paths" and "Common neighbours" list their results and highlight
//! them on the canvas; with one, "Trace downstream" does. The flows chart is drawn and labelled.

use chokepoint::analysis::graph::{CaseGraph, trace_downstream};
use chokepoint::model::{EntityId, ItemRef};
use chokepoint::ui::ChokepointApp;
use egui::accesskit::Role;
use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

fn harness() -> Harness<'static, ChokepointApp> {
    let mut h = common::realtime_harness(chokepoint::seed_case().expect("seed case"));
    h.run();
    h.run();
    h.get_by_role_and_label(Role::Button, "Flows").click();
    h.run();
    h
}

fn click_at(h: &mut Harness<'static, ChokepointApp>, at: Pos2, modifiers: Modifiers) {
    let button = |pressed| Event::PointerButton {
        pos: at,
        button: PointerButton::Primary,
        pressed,
        modifiers,
    };
    h.event(Event::ModifiersChanged(modifiers));
    h.event(Event::PointerMoved(at));
    h.step();
    h.event(button(true));
    h.step();
    h.event(button(false));
    h.step();
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run();
}

fn select_on_canvas(h: &mut Harness<'static, ChokepointApp>, ids: &[&EntityId]) {
    for (k, id) in ids.iter().enumerate() {
        let at = h
            .state()
            .canvas
            .node_screen_pos(id)
            .unwrap_or_else(|| panic!("{id:?} on the canvas"));
        let modifiers = if k == 0 {
            Modifiers::NONE
        } else {
            Modifiers::SHIFT
        };
        click_at(h, at, modifiers);
    }
    let selected = &h.state().canvas.selected;
    for id in ids {
        assert!(
            selected.contains(&ItemRef::Entity((*id).clone())),
            "{id:?} selected"
        );
    }
}

/// Two entities two or more hops apart in the seed case.
fn far_pair(h: &Harness<'static, ChokepointApp>) -> (EntityId, EntityId, Vec<EntityId>) {
    let case = &h.state().case;
    let g = CaseGraph::build(case);
    let ids: Vec<&EntityId> = case.entities.keys().collect();
    for a in &ids {
        for b in &ids {
            if let Some(p) = g.shortest_path(a, b)
                && p.len() >= 2
                && h.state().canvas.node_screen_pos(a).is_some()
                && h.state().canvas.node_screen_pos(b).is_some()
            {
                return ((*a).clone(), (*b).clone(), p.nodes);
            }
        }
    }
    panic!("no pair two hops apart");
}

#[test]
fn two_selected_entities_show_their_shortest_path_paths_and_common_neighbours() {
    let mut h = harness();
    let (a, b, path) = far_pair(&h);
    select_on_canvas(&mut h, &[&a, &b]);

    h.get_by_role_and_label(Role::Button, "Shortest path")
        .click();
    h.run();
    let highlighted = &h.state().canvas.highlighted;
    for n in &path {
        assert!(
            highlighted.contains(&ItemRef::Entity(n.clone())),
            "{n:?} highlighted"
        );
    }
    let names: Vec<String> = path.iter().map(|n| h.state().case.entity_name(n)).collect();
    let row = format!("{} ({} hops)", names.join(" → "), path.len() - 1);
    assert!(
        h.query_by_label(&row).is_some(),
        "the path is listed: {row}"
    );
    // The selection is left as it was, so the next question can be asked at once.
    assert!(
        h.state()
            .canvas
            .selected
            .contains(&ItemRef::Entity(a.clone()))
    );

    h.get_by_role_and_label(Role::Button, "All paths (≤ 4 hops)")
        .click();
    h.run();
    assert!(h.query_by_label_contains("of at most 4 hops").is_some());
    assert!(!h.state().canvas.highlighted.is_empty());

    h.get_by_role_and_label(Role::Button, "Common neighbours")
        .click();
    h.run();
    assert!(h.query_by_label_contains(" common neighbour").is_some());
    let g = CaseGraph::build(&h.state().case);
    let common = g.common_neighbours(&a, &b);
    for n in &common {
        assert!(
            h.state()
                .canvas
                .highlighted
                .contains(&ItemRef::Entity(n.clone()))
        );
    }
    if common.is_empty() {
        assert!(
            h.query_by_label("They have no neighbour in common.")
                .is_some()
        );
    }

    h.get_by_role_and_label(Role::Button, "Clear").click();
    h.run();
    assert!(h.state().canvas.highlighted.is_empty());
}

#[test]
fn one_selected_entity_traces_downstream() {
    let mut h = harness();
    let case = h.state().case.clone();
    let start = case
        .entities
        .keys()
        .find(|id| {
            !trace_downstream(&case, id).is_empty()
                && h.state().canvas.node_screen_pos(id).is_some()
        })
        .cloned()
        .expect("an entity with something downstream");
    select_on_canvas(&mut h, &[&start]);
    h.get_by_role_and_label(Role::Button, "Trace downstream")
        .click();
    h.run();
    assert!(h.query_by_label_contains("Downstream of").is_some());
    for r in trace_downstream(&case, &start) {
        assert!(
            h.state()
                .canvas
                .highlighted
                .contains(&ItemRef::Entity(r.entity.clone()))
        );
    }
}

#[test]
fn the_flows_tab_draws_a_chart_of_the_routes() {
    let mut h = common::realtime_harness(
        chokepoint::io::load_case(std::path::Path::new(
            "sample_cases/training_strait_networks.ron",
        ))
        .expect("training case"),
    );
    h.run();
    h.get_by_role_and_label(Role::Button, "Flows").click();
    h.run();
    assert!(
        h.query_by_label("Flows chart: origin, transit, destination")
            .is_some()
    );
    // Each route's ribbon is a button; clicking it selects the route's shipments.
    let routes = chokepoint::analysis::flows::by_route(
        &h.state().case,
        &chokepoint::analysis::flows::FlowFilter::default(),
    );
    let route = routes
        .iter()
        .find(|r| r.totals.shipments.len() >= 2 && !r.totals.quantity.is_empty())
        .expect("a route with two shipments");
    let prefix = format!("Route {}: ", route.route.label());
    h.get_by_label_contains(&prefix).click();
    h.run();
    for s in &route.totals.shipments {
        assert!(
            h.state()
                .canvas
                .selected
                .contains(&ItemRef::Shipment(s.clone()))
        );
    }
    h.get_by_role_and_label(Role::Button, "Value").click();
    h.run();
    assert!(
        h.query_by_label("Flows chart: origin, transit, destination")
            .is_some()
    );
}
