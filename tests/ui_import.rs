//! Importing through the real app: the CSV mapping dialog (guessed mapping, a column remapped
//! by hand), the import as one undo step, and the review of probable duplicates; an FtM file;
//! a broken file leaves the case as it was.

use chokepoint::model::{Case, ItemRef, Timestamp};
use chokepoint::ui::{ChokepointApp, ImportKind};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;

/// Trade rows with the same shipper spelt three ways (two resolve, one is a probable
/// duplicate), semicolons and Windows-1252 bytes, as a European spreadsheet saves them.
fn trade_csv() -> Vec<u8> {
    "Shipper;Shipper Country;Consignee;Consignee Country;Routing;HS Code;Qty;Value;Date\n\
     Acme Trading Pte. Ltd.;Singapore;Kunlun Nest Ltd;China;Malaysia;847150;8;1.200.000;03/06/2024\n\
     ACME TRADING PTE LTD;SG;Soci\u{e9}t\u{e9} Lumi\u{e8}re SARL;FR;;854231;200;5.600.000;2024-07-01\n\
     Acme Tradng Pte Ltd;SG;Kunlun Nest Ltd;CN;;854231;10;;2024-08-01\n"
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 text"))
        .collect()
}

fn harness() -> Harness<'static, ChokepointApp> {
    common::realtime_harness(Case::new_untitled(Timestamp::default()))
}

fn wait_for_summary(h: &mut Harness<'static, ChokepointApp>) {
    assert!(
        common::step_until(h, |h| h.query_by_label_contains("records read").is_some()),
        "the import summary appears"
    );
}

/// Waits for the automatic layout of what an import brought (it starts with the summary).
fn wait_for_layout(h: &mut Harness<'static, ChokepointApp>) {
    assert!(
        common::step_until(h, |h| !h.state().canvas.is_laying_out()),
        "the imported entities are laid out"
    );
}

/// The places of the case's entities, by id.
fn places(h: &Harness<'static, ChokepointApp>) -> Vec<(String, (f32, f32))> {
    let case = &h.state().case;
    case.entities
        .keys()
        .filter_map(|id| case.positions.get(id).map(|p| (id.to_string(), (p.x, p.y))))
        .collect()
}

#[test]
fn csv_import_maps_columns_applies_in_one_undo_step_and_reviews_duplicates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("trade.csv");
    std::fs::write(&path, trade_csv()).expect("write");
    let mut h = harness();
    h.run();
    // The File menu offers the import (the file dialog itself is the desktop's).
    h.get_by_role_and_label(Role::Button, "File").click();
    h.run();
    assert!(h.query_by_label("Import CSV…").is_some());
    h.key_press(egui::Key::Escape);
    h.run();

    h.state_mut().start_import(ImportKind::Csv, path);
    h.run();
    assert!(h.query_by_label_contains("3 rows · Windows-1252").is_some());
    // "Routing" is not a header the guess knows: map it to the transit country by hand.
    h.get_by_label("Field for column “Routing”").click();
    h.run();
    // The field list may be taller than the screen: scroll to the choice first.
    h.get_by_role_and_label(Role::Button, "Transit country")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Button, "Transit country")
        .click();

    h.run();
    assert_eq!(
        h.get_by_label("Field for column “Routing”")
            .value()
            .as_deref(),
        Some("Transit country")
    );
    h.get_by_role_and_label(Role::Button, "Import 3 rows")
        .click();
    wait_for_summary(&mut h);
    {
        let case = &h.state().case;
        assert_eq!(case.shipments.len(), 3);
        let routed = case
            .shipments
            .values()
            .find(|s| s.legs.len() == 2)
            .expect("the row with a transit country has two legs");
        assert_eq!(
            routed.legs[0]
                .to
                .country
                .as_ref()
                .map(chokepoint::model::CountryCode::as_str),
            Some("MY")
        );
    }
    let entities_after_import = h.state().case.entities.len();
    let placed_by_import = places(&h);
    // What arrived is laid out (force, the case's other entities as context), not left on
    // the grid it was given: one more undo step.
    wait_for_layout(&mut h);
    let laid_out = places(&h);
    assert_eq!(
        laid_out.len(),
        entities_after_import,
        "every entity has a place"
    );
    assert_ne!(laid_out, placed_by_import, "the layout moved the arrivals");
    assert!(h.query_by_label_contains("Probable duplicates").is_some());
    h.get_by_role_and_label(Role::Button, "Merge").click();
    h.run();
    assert!(h.query_by_label("merged").is_some());
    assert_eq!(h.state().case.entities.len(), entities_after_import - 1);
    h.get_by_role_and_label(Role::Button, "Close").click();
    h.run();
    // Undo takes back the merge, then the layout, then the whole import.
    h.state_mut().undo();
    assert_eq!(h.state().case.entities.len(), entities_after_import);
    assert_eq!(places(&h), laid_out);
    h.state_mut().undo();
    assert_eq!(places(&h), placed_by_import);
    h.state_mut().undo();
    assert!(h.state().case.entities.is_empty());
    assert!(h.state().case.shipments.is_empty());
}

#[test]
fn ftm_import_runs_and_a_broken_file_changes_nothing() {
    let mut h = harness();
    h.run();
    h.state_mut().start_import(
        ImportKind::Ftm,
        std::path::PathBuf::from("tests/fixtures/ftm/opensanctions_t1_entities.ftm.json"),
    );
    wait_for_summary(&mut h);
    assert_eq!(h.state().case.entities.len(), 7);
    wait_for_layout(&mut h);
    h.get_by_role_and_label(Role::Button, "Close").click();
    h.run();

    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, "{\"id\": \"x\", \"schema\": \"Person\"}\nnot json\n").expect("write");
    let before = h.state().case.clone();
    h.state_mut().start_import(ImportKind::Ftm, bad);
    assert!(common::step_until(&mut h, |h| h
        .query_by_label_contains("Could not import")
        .is_some()));
    assert!(h.query_all_by_label_contains("line 2").next().is_some());
    assert_eq!(h.state().case, before);
}

#[test]
fn an_automatic_merge_is_listed_with_its_reason_and_split_again_in_one_step() {
    let mut case = Case::new_untitled(Timestamp::default());
    let mut kestrel = chokepoint::model::Entity::new(
        "e-kestrel",
        chokepoint::model::EntityKind::Company,
        "Kestrel Freight Solutions",
    );
    kestrel.country = "SG".parse().ok();
    case.entities.insert(kestrel.id.clone(), kestrel.clone());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kestrel.ftm.json");
    std::fs::write(
        &path,
        "{\"id\": \"k2\", \"schema\": \"Company\", \"properties\": {\"name\": [\"KESTREL FREIGHT SOLUTIONS PTE LTD\"], \"country\": [\"sg\"]}}\n\
         {\"id\": \"p1\", \"schema\": \"Person\", \"properties\": {\"name\": [\"Tan Ah Kow\"], \"country\": [\"sg\"]}}\n\
         {\"id\": \"o1\", \"schema\": \"Ownership\", \"properties\": {\"owner\": [\"p1\"], \"asset\": [\"k2\"], \"percentage\": [\"150\"]}}\n",
    )
    .expect("write");
    let mut h = common::realtime_harness(case);
    h.run();
    h.state_mut().start_import(ImportKind::Ftm, path);
    wait_for_summary(&mut h);
    assert_eq!(h.state().case.entities.len(), 2);
    // The merge is listed with its reason, and so is the percentage that was not carried.
    assert!(
        h.query_by_label_contains(
            "→ “Kestrel Freight Solutions” (already in the case): same name and country (SG)"
        )
        .is_some()
    );
    assert!(h.query_by_label_contains("outside 0–100").is_some());
    h.get_by_role_and_label(Role::Button, "Split").click();
    h.run();
    assert!(h.query_by_label("split again").is_some());
    let case = &h.state().case;
    assert_eq!(case.entities.len(), 3);
    assert_eq!(case.entities[&kestrel.id], kestrel);
    let owned = &case.links[&"o1".into()].to;
    assert_eq!(
        case.entities[owned].name,
        "KESTREL FREIGHT SOLUTIONS PTE LTD"
    );
    h.get_by_role_and_label(Role::Button, "Close").click();
    h.run();
    // Undo takes back the split, then the import.
    h.state_mut().undo();
    assert_eq!(h.state().case.entities.len(), 2);
    h.state_mut().undo();
    assert_eq!(h.state().case.entities.len(), 1);
}

#[test]
fn an_ended_sanction_reads_formerly_sanctioned_in_the_inspector() {
    let text = "{\"id\": \"c1\", \"schema\": \"Company\", \"properties\": {\"name\": [\"Ended Trading Ltd\"], \"country\": [\"hk\"]}}\n\
         {\"id\": \"s1\", \"schema\": \"Sanction\", \"properties\": {\"entity\": [\"c1\"], \"authority\": [\"US BIS\"], \"program\": [\"Entity List\"], \"startDate\": [\"2019-05-16\"], \"endDate\": [\"2021-03-01\"]}}\n";
    let mut case = Case::new_untitled(Timestamp::default());
    let (edit, _) = chokepoint::io::import::ftm::import(text, &case).expect("imports");
    case.apply(edit).expect("applies");
    let mut startup = chokepoint::ui::Startup::for_case(case);
    startup.select = Some("c1".to_owned());
    let mut h = common::realtime_harness_with(startup);
    h.run();
    assert!(
        h.query_by_label_contains("Formerly sanctioned: ended 2021-03-01")
            .is_some()
    );
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "Authority")
            .value()
            .as_deref(),
        Some("US BIS")
    );
}

#[test]
fn merging_a_colleagues_copy_is_reviewed_field_by_field_and_one_undo_step() {
    let seed = chokepoint::io::load_case(std::path::Path::new("sample_cases/seed_kunlun_nest.ron"))
        .expect("seed");
    let mut mine = seed.clone();
    let mut theirs = seed.clone();
    let id = mine
        .entities
        .values()
        .find(|e| e.name == "Su Di")
        .expect("Su Di")
        .id
        .clone();
    // Both renamed the same person (a conflict on `name`); they also added a note on her and a
    // new company.
    mine.entities.get_mut(&id).expect("e").name = "Su Di (mine)".into();
    theirs.entities.get_mut(&id).expect("e").name = "Su Di (theirs)".into();
    theirs.entities.get_mut(&id).expect("e").notes = "Met at a trade fair".into();
    theirs.entities.insert(
        "e-colleague-co".into(),
        chokepoint::model::Entity::new(
            "e-colleague-co",
            chokepoint::model::EntityKind::Company,
            "Colleague Trading Ltd",
        ),
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let theirs_path = dir.path().join("theirs.ron");
    chokepoint::io::save_case(&theirs_path, &theirs).expect("save");

    let mut h = common::realtime_harness(mine.clone());
    h.run();
    h.state_mut().start_merge_review(theirs_path);
    h.run();
    assert!(
        h.query_by_label_contains("1 items changed on both sides (2 fields)")
            .is_some()
    );
    // Fields in order: name, notes. Take their name; keep my (empty) notes.
    h.query_all_by_role_and_label(Role::RadioButton, "Theirs")
        .next()
        .expect("a choice per field")
        .click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Merge").click();
    h.run();
    {
        let case = &h.state().case;
        assert_eq!(case.entities[&id].name, "Su Di (theirs)");
        assert_eq!(case.entities[&id].notes, mine.entities[&id].notes);
        assert!(case.entities.contains_key(&"e-colleague-co".into()));
    }
    h.state_mut().undo();
    assert_eq!(*h.state().case, mine);
}

/// Copies the seed case and its evidence folder into `dir`.
fn seed_in(dir: &std::path::Path) -> std::path::PathBuf {
    let case = dir.join("seed.ron");
    std::fs::copy("sample_cases/seed_kunlun_nest.ron", &case).expect("copy case");
    std::fs::create_dir_all(dir.join("evidence")).expect("evidence dir");
    for f in std::fs::read_dir("sample_cases/evidence").expect("evidence") {
        let f = f.expect("entry").path();
        std::fs::copy(&f, dir.join("evidence").join(f.file_name().expect("name"))).expect("copy");
    }
    case
}

#[test]
fn a_bundle_is_written_encrypted_and_opened_with_its_passphrase() {
    let dir = tempfile::tempdir().expect("temp dir");
    let case_path = seed_in(dir.path());
    let mut h = harness();
    h.run();
    h.state_mut().open_now(&case_path).expect("opens");
    h.run();
    let original = h.state().case.clone();
    let bundle = dir.path().join("handoff.cpbundle");
    h.state_mut().start_bundle_export(bundle.clone());
    h.run();
    h.get_by_label("Encrypt with a passphrase").click();
    h.run();
    h.get_by_role_and_label(Role::PasswordInput, "Passphrase")
        .focus();
    h.get_by_role_and_label(Role::PasswordInput, "Passphrase")
        .type_text("kunlun nest 2024");
    h.get_by_role_and_label(Role::PasswordInput, "Again")
        .focus();
    h.get_by_role_and_label(Role::PasswordInput, "Again")
        .type_text("kunlun nest 2024");
    h.run();
    h.get_by_role_and_label(Role::Button, "Write bundle")
        .click();
    assert!(
        common::step_until(&mut h, |h| h.query_by_label("Write bundle").is_none()),
        "the bundle is written"
    );
    assert!(bundle.is_file());

    // Open it: a wrong passphrase is a clear error and unpacks nothing.
    let ctx = h.ctx.clone();
    h.state_mut().start_loading(&ctx, bundle.clone());
    h.run();
    let dest = h
        .get_by_role_and_label(Role::TextInput, "Unpack into")
        .value()
        .expect("a default folder");
    h.get_by_role_and_label(Role::PasswordInput, "Passphrase")
        .focus();
    h.get_by_role_and_label(Role::PasswordInput, "Passphrase")
        .type_text("wrong");
    h.run();
    h.get_by_role_and_label(Role::Button, "Unpack and open")
        .click();
    assert!(common::step_until(&mut h, |h| h
        .query_by_label_contains("wrong passphrase for")
        .is_some()));
    assert!(!std::path::Path::new(&dest).exists());
    assert_eq!(h.state().case, original);
    // The right passphrase unpacks the bundle and opens the case inside.
    h.get_by_role_and_label(Role::PasswordInput, "Passphrase")
        .focus();
    for _ in 0.."wrong".len() {
        h.key_press(egui::Key::Backspace);
    }
    h.get_by_role_and_label(Role::PasswordInput, "Passphrase")
        .type_text("kunlun nest 2024");
    h.run();
    h.get_by_role_and_label(Role::Button, "Unpack and open")
        .click();
    let opened = std::path::Path::new(&dest).join("case.ron");
    assert!(common::step_until(&mut h, |h| h.state().path.as_deref()
        == Some(opened.as_path())));
    assert_eq!(h.state().case, original);
    assert!(std::path::Path::new(&dest).join("evidence").is_dir());
}

/// Deletes `id` with the links that name it, as one edit (nothing else may name it).
fn delete_with_links(
    case: &chokepoint::model::Case,
    id: &chokepoint::model::EntityId,
) -> chokepoint::edit::Edit {
    use chokepoint::edit::{Edit, references_to};
    let mut edits: Vec<Edit> = references_to(case, &ItemRef::Entity(id.clone()))
        .into_iter()
        .map(Edit::Remove)
        .collect();
    edits.push(Edit::Remove(ItemRef::Entity(id.clone())));
    Edit::Batch(edits)
}

/// Entities of `case` that only links name (so they can go with their links), by name.
fn deletable(case: &chokepoint::model::Case) -> Vec<chokepoint::model::EntityId> {
    use chokepoint::edit::references_to;
    case.entities
        .keys()
        .filter(|e| {
            let refs = references_to(case, &ItemRef::Entity((*e).clone()));
            refs.iter()
                .all(|r| matches!(r, ItemRef::Link(_)) && references_to(case, r).is_empty())
        })
        .cloned()
        .collect()
}

fn renamed(
    case: &chokepoint::model::Case,
    id: &chokepoint::model::EntityId,
    name: &str,
) -> chokepoint::edit::Edit {
    let mut e = case.entities[id].clone();
    e.name = name.to_owned();
    chokepoint::edit::Edit::Replace(e.into())
}

/// The handoff: I send my file, a colleague opens it in Chokepoint, edits and saves; I edited
/// meanwhile. Merging their copy uses the version it was opened from (their file says what
/// each item was then): edits made on one side only are taken without asking, their deletion
/// travels, mine stays, and only the entity both of us renamed is a conflict.
#[test]
fn a_colleagues_copy_of_my_file_merges_three_way() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sent = dir.path().join("sent.ron");
    let mut seed = chokepoint::seed_case().expect("seed");
    // Two parties the seed's evidence and shipments do not name, one with a link: the ones
    // each side deletes.
    let first = seed.entities.keys().next().expect("an entity").clone();
    for (id, name) in [
        ("e-spare-one", "Spare One Ltd"),
        ("e-spare-two", "Spare Two Ltd"),
    ] {
        seed.entities.insert(
            id.into(),
            chokepoint::model::Entity::new(id, chokepoint::model::EntityKind::Company, name),
        );
    }
    seed.links.insert(
        "l-spare".into(),
        chokepoint::model::Link::new(
            "l-spare",
            chokepoint::model::LinkKind::Associate,
            "e-spare-one",
            first,
        ),
    );
    chokepoint::io::save_case(&sent, &seed).expect("save");
    let gone = deletable(&seed);
    assert!(gone.len() >= 2, "two entities to delete: {gone:?}");
    let ids: Vec<_> = seed
        .entities
        .keys()
        .filter(|e| !gone.contains(e))
        .cloned()
        .collect();
    let (only_theirs, only_mine, both) = (&ids[0], &ids[1], &ids[2]);

    // The colleague.
    let theirs_path = dir.path().join("theirs.ron");
    let mut them = harness();
    them.run();
    them.state_mut().open_now(&sent).expect("opens");
    let c = them.state().case.clone();
    assert!(
        them.state_mut()
            .apply_edit("Rename", renamed(&c, only_theirs, "Renamed by them"))
    );
    assert!(
        them.state_mut()
            .apply_edit("Rename", renamed(&c, both, "Both (theirs)"))
    );
    assert!(
        them.state_mut()
            .apply_edit("Delete", delete_with_links(&c, &gone[0]))
    );
    let added = chokepoint::model::Entity::new(
        "e-added-by-them",
        chokepoint::model::EntityKind::Company,
        "Added By Them Ltd",
    );
    assert!(
        them.state_mut()
            .apply_edit("Add", chokepoint::edit::Edit::Insert(added.into()))
    );
    assert!(them.state_mut().save_to(&theirs_path));
    assert!(common::step_until(&mut them, |h| !h.state().is_saving()));
    drop(them);
    assert!(
        std::fs::read_to_string(&theirs_path)
            .expect("their file")
            .contains("base: {"),
        "their file says what each item was when they opened it"
    );

    // Me, from the same file.
    let mut h = harness();
    h.run();
    h.state_mut().open_now(&sent).expect("opens");
    let c = h.state().case.clone();
    assert!(
        h.state_mut()
            .apply_edit("Rename", renamed(&c, only_mine, "Renamed by me"))
    );
    assert!(
        h.state_mut()
            .apply_edit("Rename", renamed(&c, both, "Both (mine)"))
    );
    assert!(
        h.state_mut()
            .apply_edit("Delete", delete_with_links(&c, &gone[1]))
    );
    let mine = h.state().case.clone();

    // A file opened at start-up (`chokepoint FILE`, a double-click) remembers its version too.
    let started = common::AppHarness::new(chokepoint::ui::Startup {
        path: Some(sent.clone()),
        ..chokepoint::ui::Startup::for_case(chokepoint::io::load_case(&sent).expect("loads"))
    })
    .build();
    // (Every item; the two spare parties had no place and got one on opening, which the base
    // includes.)
    let expected =
        chokepoint::edit::fingerprints(&chokepoint::io::load_case(&sent).expect("loads"));
    assert_eq!(
        started.state().case.base.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    assert_eq!(
        started.state().case.base["link l-spare"],
        expected["link l-spare"]
    );
    drop(started);

    h.state_mut().start_merge_review(theirs_path);
    h.run();
    assert!(
        h.query_by_label_contains("1 items changed on both sides (1 fields)")
            .is_some(),
        "only the entity both renamed is a conflict"
    );
    assert!(
        h.query_by_label_contains("says which version it was opened from")
            .is_some()
    );
    h.get_by_role_and_label(Role::Button, "Merge").click();
    h.run();
    {
        let case = &h.state().case;
        let name = |id: &chokepoint::model::EntityId| case.entities[id].name.clone();
        assert_eq!(
            name(only_theirs),
            "Renamed by them",
            "their one-sided edit is taken"
        );
        assert_eq!(name(only_mine), "Renamed by me", "mine stays");
        assert_eq!(
            name(both),
            "Both (mine)",
            "a real conflict keeps mine until I choose"
        );
        assert!(
            !case.entities.contains_key(&gone[0]),
            "their deletion travels"
        );
        assert!(!case.entities.contains_key(&gone[1]), "mine stays deleted");
        assert!(case.entities.contains_key(&"e-added-by-them".into()));
        assert!(
            case.links
                .values()
                .all(|l| case.entities.contains_key(&l.from) && case.entities.contains_key(&l.to))
        );
    }
    h.state_mut().undo();
    assert_eq!(*h.state().case, *mine);
}

/// A UN Comtrade download is imported through the import window as trade statistics (no
/// mapping to make), one undo step, and shown in the Flows tab: each row's share of its
/// reporter's total, and the case's shipments that fall under it.
#[test]
fn comtrade_statistics_import_into_the_flows_tab_beside_the_shipments() {
    use chokepoint::model::{GoodsLine, Leg, Money, Place, Shipment};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("comtrade-847150-2023.csv");
    std::fs::write(
        &path,
        "refYear,period,reporterCode,reporterISO,reporterDesc,flowCode,partnerCode,partnerISO,partnerDesc,cmdCode,cmdDesc,qty,qtyUnitAbbr,netWgt,primaryValue\n\
         2023,2023,702,SGP,Singapore,X,0,W00,World,847150,Processing units,1200,u,50,88000000\n\
         2023,2023,702,SGP,Singapore,X,156,CHN,China,847150,Processing units,800,u,30,61000000\n\
         2023,2023,702,SGP,Singapore,X,458,MYS,Malaysia,847150,Processing units,300,u,15,20000000\n",
    )
    .expect("write");
    let place = |c: &str| Place {
        name: c.to_owned(),
        country: c.parse().ok(),
        entity: None,
    };
    let mut case = Case::new_untitled(Timestamp::now());
    case.shipments.insert(
        "s-1".into(),
        Shipment {
            id: "s-1".into(),
            reference: "HX-23-0917".into(),
            legs: vec![Leg {
                from: place("SG"),
                to: place("CN"),
                departed: "2023-05-10".parse().ok(),
                ..Leg::default()
            }],
            goods: vec![GoodsLine {
                hs_code: "8471.50".into(),
                value: Some(Money {
                    amount: 5_600_000.0,
                    currency: "USD".into(),
                }),
                ..GoodsLine::default()
            }],
            ..Shipment::default()
        },
    );
    let mut h = common::realtime_harness(case);
    h.run();
    h.state_mut().start_import(ImportKind::Csv, path);
    h.run();
    assert!(
        h.query_by_label_contains("rows of trade statistics")
            .is_some()
    );
    h.get_by_role_and_label(Role::Button, "Import 3 rows as statistics")
        .click();
    assert!(common::step_until(&mut h, |h| !h
        .state()
        .case
        .statistics
        .is_empty()));
    h.run();
    assert_eq!(h.state().case.statistics.len(), 3);
    assert_eq!(
        h.state().case.shipments.len(),
        1,
        "no shipment was made of them"
    );
    assert!(
        h.query_by_label_contains("3 rows of trade statistics added (national totals")
            .is_some()
    );
    h.get_by_role_and_label(Role::Button, "Close").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Flows").click();
    h.run();
    assert!(h.query_by_label("Trade statistics (3)").is_some());
    assert!(
        h.query_by_label("69 %").is_some(),
        "China's share of Singapore's total"
    );
    assert!(
        h.query_by_label("SG → all partners").is_some(),
        "the total, apart"
    );
    // The shipment SG → CN in 2023 falls under the China row and under the total; not Malaysia's.
    assert_eq!(h.query_all_by_label_contains("1 · USD").count(), 2);
    // And on the timeline, in lanes of their own beside the shipment.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::T);
    h.run();
    assert!(
        h.query_by_label_contains("SG → CN 2023 (Processing units)")
            .is_some(),
        "the statistics have their lanes on the timeline"
    );
    assert!(
        h.query_by_label_contains("SG → all partners 2023")
            .is_some()
    );
    h.state_mut().undo();
    h.run();
    assert!(h.state().case.statistics.is_empty());
}
