//! The screen shows what it claims to: side panels keep the width the user gave them (a long
//! name or an inline error does not widen one over the canvas and its toolbar), and *Fit*
//! frames every node with its label inside the canvas area.

use chokepoint::model::{EntityId, ItemRef};
use chokepoint::ui::ChokepointApp;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

mod common;

type H = Harness<'static, ChokepointApp>;

fn training_at(size: egui::Vec2) -> H {
    let case = chokepoint::io::load_case(std::path::Path::new(
        "sample_cases/training_strait_networks.ron",
    ))
    .expect("training case");
    common::AppHarness::on(case).size(size.x, size.y).build()
}

fn type_into(h: &mut H, label: &str, text: &str) {
    h.get_by_role_and_label(Role::TextInput, label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
}

/// Presses F (fit) and lets the camera move end.
fn fit(h: &mut H) {
    h.key_press(egui::Key::F);
    h.run();
    h.run_steps(40);
    h.run();
}

fn assert_labels_inside(h: &H, when: &str) {
    let area = h.state().canvas.canvas_screen_rect();
    let labels = h.state().canvas.node_label_screen_rects(&h.ctx);
    // Names that fit nowhere without covering another are left out, least important first:
    // at this size, few.
    let n = h.state().case.entities.len();
    assert!(
        labels.len() * 10 >= n * 9,
        "{when}: most nodes' labels are drawn ({} of {n})",
        labels.len(),
    );
    for (text, rect) in &labels {
        assert!(
            area.expand(0.5).contains_rect(*rect),
            "{when}: the label \"{text}\" at {rect:?} is not inside the canvas area {area:?}"
        );
    }
    // No name covers another (the boxes painted behind them, as drawn).
    for (i, (a, ra)) in labels.iter().enumerate() {
        for (b, rb) in &labels[i + 1..] {
            let overlap = ra.intersect(*rb);
            assert!(
                overlap.width() <= 1.0 || overlap.height() <= 1.0,
                "{when}: the labels \"{a}\" {ra:?} and \"{b}\" {rb:?} overlap"
            );
        }
    }
}

#[test]
fn panels_keep_their_width_and_fit_frames_every_label() {
    for size in [egui::vec2(1280.0, 720.0), egui::vec2(1920.0, 1080.0)] {
        let mut h = training_at(size);
        h.run();
        fit(&mut h);
        assert_labels_inside(&h, &format!("{size:?}, fitted at start"));

        // A long name and an inline error in the inspector.
        let id = EntityId::from(
            h.state()
                .case
                .entities
                .values()
                .find(|e| e.kind == chokepoint::model::EntityKind::Company)
                .map(|e| e.id.as_str().to_owned())
                .expect("a company"),
        );
        h.state_mut().open_item(ItemRef::Entity(id.clone()));
        h.run();
        // (Opening an item unfolds the inspector on a small screen.)
        let area = h.state().canvas.canvas_screen_rect();
        let long = "Shenzhen Extraordinarily Long Registered Name Holdings International Trading And Technology Development Company Limited".repeat(2);
        type_into(&mut h, "Name", &long);
        assert_eq!(h.state().case.entities[&id].name, long);
        type_into(&mut h, "Founded", "2024-02-31");
        assert!(
            h.query_all_by_label_contains("February 2024 has 29 days")
                .next()
                .is_some()
        );
        h.run();
        let now = h.state().canvas.canvas_screen_rect();
        assert!(
            (now.min.x - area.min.x).abs() < 0.5 && (now.max.x - area.max.x).abs() < 0.5,
            "{size:?}: the canvas area was {area:?} and is now {now:?}: a panel widened"
        );
        // Rows of fields wider than the panel wrap: each row's remove button stays in view.
        h.get_by_role_and_label(Role::Button, "+ Identifier")
            .click();
        h.run();
        h.get_by_role_and_label(Role::Button, "+ Attribute").click();
        h.run();
        let buttons: Vec<(String, egui::Rect)> = h
            .query_all_by_role(Role::Button)
            .map(|n| (n.accesskit_node().label().unwrap_or_default(), n.rect()))
            .collect();
        assert!(buttons.iter().filter(|(l, _)| l == "🗑").count() >= 2);
        for (label, r) in buttons {
            assert!(
                r.max.x <= size.x + 0.5,
                "{size:?}: the button {label:?} at {r:?} is out of the window"
            );
        }
        // The canvas toolbar is still there to click.
        let fit_button = h.get_by_role_and_label(Role::Button, "Fit");
        assert!(
            fit_button.rect().min.x >= now.min.x && fit_button.rect().max.x <= now.max.x,
            "the toolbar's Fit button is in the canvas column"
        );
        fit(&mut h);
        assert_labels_inside(&h, &format!("{size:?}, fitted after the edits"));
    }
}

/// Moving the pointer over nodes shows the name under it without moving any other name:
/// names placed around a crowd do not jump about as the mouse passes.
#[test]
fn hovering_a_node_moves_no_other_label() {
    let mut h = training_at(egui::vec2(1280.0, 720.0));
    h.run();
    fit(&mut h);
    let before = h.state().canvas.node_label_screen_rects(&h.ctx);
    let ids: Vec<EntityId> = h.state().case.entities.keys().cloned().collect();
    let mut hovered = 0;
    for id in ids {
        let Some(p) = h.state().canvas.node_screen_pos(&id) else {
            continue;
        };
        h.event(egui::Event::PointerMoved(p));
        h.run();
        hovered += 1;
        let now = h.state().canvas.node_label_screen_rects(&h.ctx);
        for label in &before {
            assert!(
                now.contains(label),
                "hovering {id}: the label {label:?} moved or went"
            );
        }
    }
    assert!(hovered > 30, "{hovered} nodes hovered");
}

/// Below 1400 points the side panels start folded to strips of icons (the chart gets the
/// width); a click on an icon unfolds a panel on that tab, and a fold button folds it again.
#[test]
fn side_panels_fold_on_a_small_screen_and_unfold_on_a_click() {
    let mut h = training_at(egui::vec2(1280.0, 720.0));
    h.run();
    let folded = h.state().canvas.canvas_screen_rect();
    assert!(
        folded.width() > 1280.0 - 2.0 * 48.0,
        "the chart has nearly the whole width: {folded:?}"
    );
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Filter")
            .is_none()
    );
    h.get_by_role_and_label(Role::Button, "Show Item list")
        .click();
    h.run();
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Filter")
            .is_some()
    );
    let findings = h
        .query_all_by_role(Role::Button)
        .filter_map(|n| n.accesskit_node().label())
        .find(|l| l.starts_with("Show Findings"))
        .expect("a findings icon on the strip");
    h.get_by_role_and_label(Role::Button, &findings).click();
    h.run();
    assert_eq!(h.state().right_tab, chokepoint::ui::RightTab::Findings);
    let unfolded = h.state().canvas.canvas_screen_rect();
    assert!(unfolded.width() < folded.width() - 500.0, "{unfolded:?}");
    h.get_by_role_and_label(Role::Button, "Fold this panel")
        .click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Fold the item list")
        .click();
    h.run();
    assert_eq!(h.state().canvas.canvas_screen_rect(), folded);

    // On a large screen they start unfolded.
    let mut h = training_at(egui::vec2(1920.0, 1080.0));
    h.run();
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Filter")
            .is_some()
    );
    assert!(
        h.query_by_role_and_label(Role::Button, "Show Item list")
            .is_none()
    );
}
