//! Typed values through the inspector, as a user types them: a field stores exactly what the
//! text means, or stores nothing, says why beside the field in plain words and keeps the text
//! for correction. Never a prefix typed on the way (`5O` is not 5, `2024-02-31` is not
//! 2024-02), never a guess (`03/04/2024`).

use chokepoint::model::parse::{self, DateOrder};
use chokepoint::model::{Case, EntityId, ItemRef, PartialDate};
use chokepoint::ui::ChokepointApp;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use proptest::prelude::*;

mod common;

type H = Harness<'static, ChokepointApp>;

fn su_di() -> EntityId {
    EntityId::from("e-su-di")
}

fn seed_harness() -> H {
    let case = chokepoint::seed_case().expect("the bundled seed case loads");
    common::realtime_harness(case)
}

fn select(h: &mut H, item: ItemRef) {
    h.state_mut().open_item(item);
    h.run();
}

/// Replaces the text of the field labelled `label` with `text`, typed key by key, and
/// presses Enter, as a user commits a field.
fn type_into(h: &mut H, label: &str, text: &str) {
    first_field(h, label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run();
    // One key at a time, a frame each, as a user types: what the field holds on the way
    // ("5" before "5O", "2024-02" before "2024-02-31") must not become the value.
    for c in text.chars() {
        first_field(h, label).type_text(&c.to_string());
        h.step();
    }
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.run();
}

/// The first field labelled `label` (a shipment's first goods line, its first leg).
fn first_field<'a>(h: &'a H, label: &'a str) -> egui_kittest::Node<'a> {
    h.query_all_by_role_and_label(Role::TextInput, label)
        .next()
        .unwrap_or_else(|| panic!("a field labelled {label}"))
}

fn field_text(h: &H, label: &str) -> String {
    first_field(h, label).value().unwrap_or_default()
}

fn shown(h: &H, reason: &str) -> bool {
    h.query_all_by_label_contains(reason).next().is_some()
}

fn born(case: &Case) -> Option<PartialDate> {
    case.entities[&su_di()].start.clone()
}

#[test]
fn a_refused_date_changes_nothing_says_why_and_keeps_the_text() {
    let mut h = seed_harness();
    h.run();
    select(&mut h, ItemRef::Entity(su_di()));
    let before = h.state().case.clone();
    for (text, reason) in [
        ("2024-02-31", "February 2024 has 29 days"),
        ("2023-12-32", "December 2023 has 31 days"),
        ("31/02/2024", "February 2024 has 29 days"),
        ("03/04/2024", "could be 3 April 2024 or 4 March 2024"),
        ("2024-1x", "is not a date Chokepoint can read"),
    ] {
        type_into(&mut h, "Born", text);
        assert!(
            h.state().case == before,
            "{text}: nothing stored, not even a prefix"
        );
        assert!(
            shown(&h, reason),
            "{text}: the reason \"{reason}\" beside the field"
        );
        assert_eq!(
            field_text(&h, "Born"),
            text,
            "the typed text stays for correction"
        );
        assert!(
            !shown(&h, "the year must have four digits"),
            "{text}: no misleading reason"
        );
    }
    // An accepted written form is stored as the date it means, at its precision.
    type_into(&mut h, "Born", "2 Feb 2024");
    assert_eq!(born(&h.state().case), Some(PartialDate::ymd(2024, 2, 2)));
    assert!(!shown(&h, "February 2024 has 29 days"), "the reason goes");
    assert_eq!(
        h.state().history.undo_len(),
        1,
        "one field edit, one undo step"
    );
    type_into(&mut h, "Born", "Nov 2024");
    assert_eq!(
        born(&h.state().case).map(|d| d.to_string()).as_deref(),
        Some("2024-11")
    );
    // Undo brings the stored value back into the field.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(field_text(&h, "Born"), "2024-02-02");
}

#[test]
fn a_quantity_with_a_letter_is_not_its_digits() {
    let mut h = seed_harness();
    h.run();
    let (shipment, line) = {
        let case = &h.state().case;
        let s = case
            .shipments
            .values()
            .find(|s| !s.goods.is_empty())
            .expect("a shipment with goods");
        (s.id.clone(), s.goods[0].quantity)
    };
    select(&mut h, ItemRef::Shipment(shipment.clone()));
    let before = h.state().case.clone();
    type_into(&mut h, "Quantity", "5O");
    assert!(h.state().case == before, "5O is not stored as 5");
    assert!(shown(&h, "\"O\" is not a digit"));
    assert!(!shown(&h, "float"), "no programmer's words");
    assert_eq!(field_text(&h, "Quantity"), "5O");
    type_into(&mut h, "Quantity", "2,5");
    assert!(h.state().case == before, "2,5 is not guessed");
    assert!(shown(&h, "write a point (2.5)"));
    type_into(&mut h, "Quantity", "1,200");
    assert_eq!(
        h.state().case.shipments[&shipment].goods[0].quantity,
        Some(1200.0)
    );
    assert_ne!(line, Some(1200.0));
}

#[test]
fn an_amount_without_a_currency_is_refused_not_taken_as_dollars() {
    let mut h = seed_harness();
    h.run();
    let shipment = {
        let case = &h.state().case;
        case.shipments
            .values()
            .find(|s| s.goods.first().is_some_and(|g| g.value.is_none()))
            .or_else(|| case.shipments.values().find(|s| !s.goods.is_empty()))
            .expect("a shipment with goods")
            .id
            .clone()
    };
    select(&mut h, ItemRef::Shipment(shipment.clone()));
    // Clear the value first (it may have one), then type an amount with its currency.
    type_into(&mut h, "Value", "");
    type_into(&mut h, "Currency", "");
    let before = h.state().case.clone();
    type_into(&mut h, "Value", "1,200");
    assert!(h.state().case == before, "no currency, nothing stored");
    assert!(shown(&h, "name the currency"));
    type_into(&mut h, "Currency", "sgd");
    let value = h.state().case.shipments[&shipment].goods[0].value.clone();
    assert_eq!(
        value.map(|m| (m.amount, m.currency)),
        Some((1200.0, "SGD".to_owned()))
    );
    type_into(&mut h, "Value", "US$ 5,600,000");
    let value = h.state().case.shipments[&shipment].goods[0].value.clone();
    assert_eq!(
        value.map(|m| (m.amount, m.currency)),
        Some((5_600_000.0, "USD".to_owned()))
    );
}

#[test]
fn countries_by_code_number_or_name_and_refused_otherwise() {
    let mut h = seed_harness();
    h.run();
    select(&mut h, ItemRef::Entity(su_di()));
    let country = |h: &H| {
        h.state().case.entities[&su_di()]
            .country
            .as_ref()
            .map(ToString::to_string)
    };
    for (text, code) in [
        ("sgp", "SG"),
        ("458", "MY"),
        ("Hong Kong SAR", "HK"),
        ("tw", "TW"),
    ] {
        type_into(&mut h, "Country", text);
        assert_eq!(country(&h).as_deref(), Some(code), "{text}");
    }
    let before = h.state().case.clone();
    type_into(&mut h, "Country", "Korea");
    assert!(h.state().case == before, "Korea is not guessed");
    assert!(shown(&h, "South Korea (KR) or North Korea (KP)"));
}

/// The country picker lists the countries that match what is typed: Enter takes the one
/// country a partial name can mean, a click or the arrow keys choose among several, and Enter
/// never guesses between them.
#[test]
fn the_country_picker_completes_names_and_never_guesses() {
    let mut h = seed_harness();
    h.run();
    select(&mut h, ItemRef::Entity(su_di()));
    let country = |h: &H| {
        h.state().case.entities[&su_di()]
            .country
            .as_ref()
            .map(ToString::to_string)
    };
    type_into(&mut h, "Country", "Malays");
    assert_eq!(country(&h).as_deref(), Some("MY"), "one country starts so");
    assert!(!shown(&h, "Country:"), "and no refusal is left");

    // "United" starts several names: Enter takes none of them, the list stays to choose from.
    let before = country(&h);
    type_into(&mut h, "Country", "United");
    assert_eq!(country(&h), before);
    first_field(&h, "Country").focus();
    h.run();
    assert!(shown(&h, "United Kingdom"), "the matches are listed");
    h.get_by_label("GB  United Kingdom").click();
    h.run();
    h.run();
    assert_eq!(country(&h).as_deref(), Some("GB"));

    // The arrow keys choose a row; Enter takes it.
    first_field(&h, "Country").focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    first_field(&h, "Country").type_text("United");
    h.run();
    h.key_press(egui::Key::ArrowDown);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.run();
    let second = chokepoint::model::countries::search("United", 8)[1].alpha2;
    assert_eq!(country(&h).as_deref(), Some(second));
}

/// Texts of the shapes people type into date fields: digits, separators, month words, noise.
fn date_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9]{1,4}",
        Just("-".to_owned()),
        Just("/".to_owned()),
        Just(" ".to_owned()),
        Just(".".to_owned()),
        Just("Feb".to_owned()),
        Just("March".to_owned()),
        "[a-zO]{1,2}",
    ];
    prop::collection::vec(piece, 1..6).prop_map(|p| p.concat())
}

/// Every text typed into a date field either is stored as exactly the date the parser reads
/// (which reads back to itself), or leaves the case as it was.
#[test]
fn typed_dates_are_stored_exactly_or_not_at_all() {
    let mut h = seed_harness();
    h.run();
    select(&mut h, ItemRef::Entity(su_di()));
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 24,
        ..ProptestConfig::default()
    });
    let h = std::cell::RefCell::new(h);
    runner
        .run(&date_like(), |text| {
            let mut h = h.borrow_mut();
            let before = h.state().case.clone();
            type_into(&mut h, "Born", &text);
            match parse::date(text.trim(), DateOrder::Unknown) {
                Ok(d) => {
                    prop_assert_eq!(born(&h.state().case), Some(d.clone()));
                    prop_assert_eq!(parse::date(&d.to_string(), DateOrder::Unknown), Ok(d));
                }
                Err(e) if !text.trim().is_empty() => {
                    prop_assert!(h.state().case == before, "{:?} changed the case", text);
                    prop_assert!(shown(&h, &e.reason), "{} not shown", e.reason);
                }
                Err(_) => prop_assert_eq!(born(&h.state().case), None),
            }
            Ok(())
        })
        .expect("every typed date is stored exactly or refused");
}
