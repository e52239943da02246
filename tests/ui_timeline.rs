//! The timeline through the real app: it opens from the View menu and with Ctrl+T; typed dates,
//! a drag across the chart and the "As of" slider set the canvas's time window, which hides the
//! shipments (and the entities only they involve) that were not active then; "All time" brings
//! them back; clicking an item on the timeline selects it on the canvas and in the inspector.

use chokepoint::analysis::timeline::{self, LaneBy, TimeWindow, day_label, shipment_span};
use chokepoint::model::{ItemRef, ShipmentId};
use chokepoint::ui::ChokepointApp;
use chokepoint::ui::app::RightTab;
use egui::accesskit::Role;
use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

fn harness() -> Harness<'static, ChokepointApp> {
    common::realtime_harness(
        chokepoint::io::load_case(std::path::Path::new(
            "sample_cases/training_strait_networks.ron",
        ))
        .expect("training case"),
    )
}

/// Opens the timeline through View ▸ Timeline.
fn open_timeline(h: &mut Harness<'static, ChokepointApp>) {
    h.run();
    assert!(!h.state().timeline.open);
    h.get_by_label("View").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Timeline Ctrl+T")
        .click();
    h.run();
    h.run();
    assert!(h.state().timeline.open);
}

/// The dated shipments of the open case, earliest first.
fn dated_shipments(h: &Harness<'static, ChokepointApp>) -> Vec<(ShipmentId, timeline::Span)> {
    let mut out: Vec<_> = h
        .state()
        .case
        .shipments
        .values()
        .filter_map(|s| shipment_span(s).map(|span| (s.id.clone(), span)))
        .collect();
    out.sort_by_key(|(id, span)| (*span, id.clone()));
    out
}

fn routes_shown(h: &Harness<'static, ChokepointApp>) -> Vec<ShipmentId> {
    h.state()
        .canvas
        .scene()
        .routes
        .iter()
        .flat_map(|r| r.shipments.iter().cloned())
        .collect()
}

fn type_into(h: &mut Harness<'static, ChokepointApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run();
}

#[test]
fn typed_dates_hide_what_was_not_active_and_all_time_brings_it_back() {
    let mut h = harness();
    open_timeline(&mut h);
    let shipments = dated_shipments(&h);
    let (first, first_span) = shipments.first().cloned().expect("dated shipments");
    let (last, last_span) = shipments.last().cloned().expect("dated shipments");
    assert!(!first_span.overlaps(&last_span));
    assert!(routes_shown(&h).contains(&first));
    let nodes_before = h.state().canvas.scene().nodes.len();

    type_into(&mut h, "From", &day_label(last_span.start_day));
    type_into(&mut h, "To", &day_label(last_span.end_day));
    h.get_by_role_and_label(Role::Button, "Apply").click();
    h.run();

    let window = TimeWindow::between(last_span.start_day, last_span.end_day);
    assert_eq!(h.state().canvas.filters.time_window, Some(window));
    let shown = routes_shown(&h);
    assert!(shown.contains(&last), "the shipment in the window stays");
    assert!(
        !shown.contains(&first),
        "the shipment before the window is hidden"
    );
    // Entities only the hidden shipments involve go too, and the panel says how many.
    let out = timeline::inactive_in(&h.state().case, window);
    assert!(!out.entities.is_empty());
    for e in &out.entities {
        assert!(
            h.state().canvas.scene().node_of(e).is_none(),
            "{e:?} hidden"
        );
    }
    assert!(h.state().canvas.scene().nodes.len() < nodes_before);
    assert!(
        h.query_by_label_contains("shipments and").is_some(),
        "the summary line counts what is hidden"
    );

    h.get_by_role_and_label(Role::Button, "All time").click();
    h.run();
    assert_eq!(h.state().canvas.filters.time_window, None);
    assert!(routes_shown(&h).contains(&first));
    assert_eq!(h.state().canvas.scene().nodes.len(), nodes_before);
}

/// The accessible label of a shipment's item on the timeline, as a screen reader reads it.
fn item_label(h: &Harness<'static, ChokepointApp>, id: &ShipmentId) -> String {
    let t = timeline::build(&h.state().case, LaneBy::Route);
    let item = t
        .items
        .iter()
        .find(|i| i.item == ItemRef::Shipment(id.clone()))
        .expect("shipment on the timeline");
    let dates = if item.span.start_day == item.span.end_day {
        day_label(item.span.start_day)
    } else {
        format!(
            "{} – {}",
            day_label(item.span.start_day),
            day_label(item.span.end_day)
        )
    };
    format!("{} {} ({dates})", item.kind.label(), item.label)
}

/// A dated shipment whose item is on screen in the timeline, with its label.
fn visible_item(h: &Harness<'static, ChokepointApp>) -> (ShipmentId, String) {
    dated_shipments(h)
        .into_iter()
        .map(|(id, _)| {
            let label = item_label(h, &id);
            (id, label)
        })
        .find(|(_, label)| h.query_by_label(label).is_some())
        .expect("a shipment item on screen")
}

#[test]
fn clicking_a_timeline_item_selects_it_on_the_canvas_and_in_the_inspector() {
    let mut h = harness();
    open_timeline(&mut h);
    // From another tab, too: the inspector comes forward with the item.
    h.get_by_role_and_label(Role::Button, "Flows").click();
    h.run();
    let (id, label) = visible_item(&h);
    h.get_by_label(&label).click();
    h.run();
    let item = ItemRef::Shipment(id);
    assert_eq!(h.state().selection.as_ref(), Some(&item));
    assert!(h.state().canvas.selected.contains(&item));
    assert_eq!(h.state().right_tab, RightTab::Inspector);
}

fn button(pos: Pos2, pressed: bool) -> Event {
    Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    }
}

#[test]
fn dragging_across_the_timeline_sets_the_window() {
    let mut h = harness();
    open_timeline(&mut h);
    let shipments = dated_shipments(&h);
    let (id, label) = visible_item(&h);
    let span = shipments
        .iter()
        .find(|(s, _)| *s == id)
        .map(|(_, span)| *span)
        .expect("span");
    let rect = h.get_by_label(&label).rect();
    // From just left of the item to just right of it, between two lanes.
    let y = rect.top() - 4.0;
    let from = Pos2::new(rect.left() - 3.0, y);
    let to = Pos2::new(rect.right() + 3.0, y);
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

    let window = h
        .state()
        .canvas
        .filters
        .time_window
        .expect("a brushed window");
    assert!(
        window.overlaps(&span),
        "{window:?} covers the item {span:?}"
    );
    let shown = routes_shown(&h);
    assert!(shown.contains(&id));
    let hidden: Vec<_> = shipments
        .iter()
        .filter(|(_, s)| !window.overlaps(s))
        .map(|(id, _)| id)
        .collect();
    assert!(!hidden.is_empty());
    for s in hidden {
        assert!(!shown.contains(s), "{s:?} outside the brush is hidden");
    }
    // The fields show the brushed dates.
    assert!(
        h.query_by_label_contains(&format!("Canvas shows {}", window.label()))
            .is_some()
    );
}

#[test]
fn ctrl_t_toggles_the_timeline_and_the_as_of_slider_shows_the_network_at_a_date() {
    let mut h = harness();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::T);
    h.run();
    assert!(h.state().timeline.open);
    let slider = h.get_by_role_and_label(Role::Slider, "As of");
    slider.focus();
    h.run();
    for _ in 0..80 {
        h.key_press(egui::Key::ArrowLeft);
    }
    h.run();
    let window = h
        .state()
        .canvas
        .filters
        .time_window
        .expect("an as-of window");
    assert!(window.is_as_of());
    let shipments = dated_shipments(&h);
    let (last, _) = shipments.last().cloned().expect("shipments");
    assert!(
        !routes_shown(&h).contains(&last),
        "the last shipment had not happened yet"
    );
    h.key_press_modifiers(Modifiers::COMMAND, egui::Key::T);
    h.run();
    assert!(!h.state().timeline.open);
    assert_eq!(
        h.state().canvas.filters.time_window,
        None,
        "closing the timeline shows all time again"
    );
    assert!(routes_shown(&h).contains(&last));
}
