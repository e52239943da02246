//! A new user builds a five-entity case with one link, one shipment and one graded piece of
//! evidence in the real app, counting every click, key press, drag and typed field as one
//! action: the issue measured about 125 for this; the target is under 50.
//!
//! The steps are what the app offers a user without hunting: Ctrl+E or the palette of kinds,
//! the new-entity form (name, country or ECCN, Enter), dragging a node's + handle onto another
//! node for a link or a shipment, the inspector for goods, *Add file…* for evidence.

use chokepoint::model::{Case, EntityKind, ItemRef, Timestamp};
use chokepoint::ui::ChokepointApp;
use egui::accesskit::Role;
use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

/// The app and what the user has done to it so far.
struct User {
    h: Harness<'static, ChokepointApp>,
    actions: Vec<String>,
}

impl User {
    fn did(&mut self, what: String) {
        self.actions.push(what);
    }

    fn key(&mut self, modifiers: Modifiers, key: Key) {
        self.h.key_press_modifiers(modifiers, key);
        self.h.run();
        self.did(format!("key {modifiers:?}+{key:?}"));
    }

    fn click(&mut self, role: Option<Role>, label: &str) {
        match role {
            Some(role) => self.h.get_by_role_and_label(role, label).click(),
            None => self.h.get_by_label(label).click(),
        }
        self.h.run();
        self.did(format!("click {label}"));
    }

    /// Clicks into a text field.
    fn click_field(&mut self, label: &str) {
        self.h.get_by_role_and_label(Role::TextInput, label).focus();
        self.h.run();
        self.did(format!("click field {label}"));
    }

    /// Types into the field that has the keyboard focus (one action per field typed).
    fn type_text(&mut self, text: &str) {
        assert!(
            self.h
                .query_all_by_role(Role::TextInput)
                .any(|n| n.is_focused()),
            "a text field has the focus to type {text:?} into"
        );
        self.h.event(Event::Text(text.to_owned()));
        self.h.run();
        self.did(format!("type {text:?}"));
    }

    /// Picks `option` from the combo box labelled `combo` (two clicks).
    fn pick(&mut self, combo: &str, option: &str) {
        self.click(Some(Role::ComboBox), combo);
        self.click(None, option);
    }

    /// Drags the + handle of the entity named `from` onto the entity named `to` (one drag;
    /// hovering the node to show its handle is not counted).
    fn drag_handle(&mut self, from: &str, to: &str) {
        let at = |h: &Harness<'static, ChokepointApp>, name: &str| {
            let app = h.state();
            let id = app
                .case
                .entities
                .values()
                .find(|e| e.name == name)
                .map_or_else(|| panic!("{name} exists"), |e| e.id.clone());
            app.canvas.node_screen_pos(&id).expect("on the canvas")
        };
        let a = at(&self.h, from);
        let b = at(&self.h, to);
        self.h.event(Event::PointerMoved(a));
        self.h.run();
        let handle = self
            .h
            .get_by_role_and_label(Role::Button, &format!("Link from {from}"))
            .rect()
            .center();
        drag(&mut self.h, handle, b);
        self.did(format!("drag {from} → {to}"));
    }

    /// Adds an entity through the new-entity form: opened by Ctrl+E or by the palette button
    /// of its kind, the name typed, then Tab and the country (or ECCN), Enter.
    fn add_entity(&mut self, kind: Option<EntityKind>, name: &str, second: Option<&str>) {
        match kind {
            None => self.key(Modifiers::COMMAND, Key::E),
            Some(kind) => self.click(
                Some(Role::Button),
                &format!("New {}", kind.label().to_lowercase()),
            ),
        }
        self.type_text(name);
        if let Some(text) = second {
            self.key(Modifiers::NONE, Key::Tab);
            self.type_text(text);
        }
        self.key(Modifiers::NONE, Key::Enter);
        assert!(
            self.h
                .state()
                .case
                .entities
                .values()
                .any(|e| e.name == name),
            "{name} was added"
        );
    }
}

fn drag(h: &mut Harness<'static, ChokepointApp>, from: Pos2, to: Pos2) {
    let button = |pos, pressed| Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
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

#[test]
fn a_new_user_builds_the_five_entity_case_in_under_fifty_actions() {
    let home = tempfile::tempdir().expect("tempdir");
    let dir = home.path().to_owned();
    let invoice = dir.join("invoice-HX-23-0917.txt");
    std::fs::write(
        &invoice,
        "Commercial invoice HX-23-0917: 200 x NVIDIA H100 80GB",
    )
    .expect("invoice written");
    let settings = chokepoint::ui::Settings {
        investigator: "Test Investigator".to_owned(),
        ..chokepoint::ui::Settings::default()
    };
    let h = common::AppHarness::on(Case::new_untitled(Timestamp::now()))
        .settings(settings)
        .build();
    let mut u = User {
        h,
        actions: Vec::new(),
    };
    u.h.run();

    // Five entities: the new-entity form asks for the name first, then the country (the
    // country picker takes a code or a name) or, for a product, the ECCN.
    u.add_entity(None, "Orchid Bay Trading Pte Ltd", Some("SG"));
    u.add_entity(None, "Lumen Strait Logistics Sdn Bhd", Some("Malaysia"));
    u.add_entity(
        Some(EntityKind::Organization),
        "Kun Lun Nest",
        Some("China"),
    );
    u.add_entity(Some(EntityKind::Person), "Su Di", Some("CN"));
    u.add_entity(Some(EntityKind::Product), "NVIDIA H100", Some("3A090"));

    // A link: Su Di's handle onto Kun Lun Nest, then its kind.
    u.drag_handle("Su Di", "Kun Lun Nest");
    u.click(
        Some(Role::Button),
        chokepoint::model::LinkKindTag::Associate.label(),
    );
    assert_eq!(u.h.state().case.links.len(), 1);

    // A shipment: the shipper's handle onto the consignee; its route starts from their
    // countries; the inspector takes the goods.
    u.drag_handle(
        "Orchid Bay Trading Pte Ltd",
        "Lumen Strait Logistics Sdn Bhd",
    );
    u.click(
        Some(Role::Button),
        &format!("{} Shipment", chokepoint::ui::theme::SHIPMENT_GLYPH),
    );
    let Some(ItemRef::Shipment(shipment)) = u.h.state().selection.clone() else {
        panic!("the new shipment is selected")
    };
    u.click(Some(Role::Button), "+ Goods line");
    u.pick("Product", "📦 NVIDIA H100");
    u.click_field("Quantity");
    u.type_text("200");
    u.click_field("Value");
    u.type_text("USD 5,600,000");
    u.key(Modifiers::NONE, Key::Enter);

    // One piece of evidence for the shipment, on a case never saved: *Add file…* saves it
    // first, then asks for the file, then it is graded.
    u.click(Some(Role::Button), "Evidence");
    u.click(None, "📄 Add file…");
    u.click(Some(Role::Button), "Save as…");
    let asked = common::step_until_within(&mut u.h, std::time::Duration::from_secs(20), |h| {
        h.query_by_role_and_label(Role::TextInput, "Save case as")
            .is_some()
    });
    if !asked {
        assert!(!common::in_ci(), "no path prompt appeared");
        eprintln!("SKIPPED the rest: a desktop file chooser is open");
        return;
    }
    // The prompt starts in the user's documents folder; this test saves elsewhere, so it
    // replaces the whole path (a user keeping the folder types only the name).
    u.key(Modifiers::COMMAND, Key::A);
    u.type_text(
        dir.join("five-entities.ron")
            .to_str()
            .expect("a UTF-8 path"),
    );
    u.key(Modifiers::NONE, Key::Enter);
    assert!(common::step_until(&mut u.h, |h| {
        h.query_by_role_and_label(Role::TextInput, "Attach an evidence file")
            .is_some()
    }));
    u.h.run();
    u.type_text("invoice-HX-23-0917.txt");
    u.key(Modifiers::NONE, Key::Enter);
    u.pick("Reliability", "B — Usually reliable");
    u.pick("Credibility", "2 — Probably true");

    // What the user built.
    let app = u.h.state();
    let case = &app.case;
    assert_eq!(case.entities.len(), 5);
    let country = |name: &str| {
        case.entities
            .values()
            .find(|e| e.name == name)
            .and_then(|e| e.country.as_ref())
            .map(ToString::to_string)
    };
    assert_eq!(country("Orchid Bay Trading Pte Ltd").as_deref(), Some("SG"));
    assert_eq!(
        country("Lumen Strait Logistics Sdn Bhd").as_deref(),
        Some("MY")
    );
    assert_eq!(country("Kun Lun Nest").as_deref(), Some("CN"));
    assert_eq!(country("Su Di").as_deref(), Some("CN"));
    let product = case
        .entities
        .values()
        .find(|e| e.kind == EntityKind::Product)
        .expect("the product");
    assert_eq!(product.product.eccn, "3A090");
    // Ids follow the names typed, never a placeholder.
    assert!(
        case.entities.keys().all(|id| !id.as_str().contains("new")),
        "{:?}",
        case.entities.keys().collect::<Vec<_>>()
    );
    assert!(case.entities.contains_key(&"e-su-di".into()));
    let s = &case.shipments[&shipment];
    assert_eq!(s.route_summary(), "SG → MY");
    assert_eq!(s.goods.len(), 1);
    assert_eq!(s.goods[0].product.as_ref(), Some(&product.id));
    assert_eq!(s.goods[0].quantity, Some(200.0));
    assert_eq!(
        s.goods[0]
            .value
            .as_ref()
            .map(|m| (m.amount, m.currency.as_str())),
        Some((5_600_000.0, "USD"))
    );
    let evidence: Vec<_> = case.evidence.values().collect();
    assert_eq!(evidence.len(), 1);
    assert_eq!(evidence[0].grade(), "B2");
    assert!(evidence[0].stored_file().is_some());
    assert!(
        evidence[0]
            .supports
            .iter()
            .any(|s| s.target == Some(ItemRef::Shipment(shipment.clone()))),
        "the evidence supports the shipment"
    );
    assert_eq!(
        app.path.as_deref(),
        Some(dir.join("five-entities.ron").as_path())
    );

    let count = u.actions.len();
    eprintln!("{count} actions:\n  {}", u.actions.join("\n  "));
    assert!(count < 50, "{count} actions: {:#?}", u.actions);
}
