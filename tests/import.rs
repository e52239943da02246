//! Imports (`FollowTheMoney` and CSV with a mapping) and the FtM export: through the library's
//! edit path with undo, and checked against the FtM model.

use chokepoint::edit::History;
use chokepoint::io::export::ftm as ftm_export;
use chokepoint::io::import::csv::{CsvMapping, CsvTable, Field, RowKind};
use chokepoint::io::import::{ImportError, ftm, merge_entities_edit};
use chokepoint::io::load_case;
use chokepoint::layout::Progress;
use chokepoint::model::{
    Case, EntityKind, FlagKind, IdentifierScheme, ItemRef, LinkKind, Timestamp,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod common;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn seed() -> Case {
    load_case(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cases/seed_kunlun_nest.ron"))
        .expect("seed loads")
}

fn empty() -> Case {
    Case::new_untitled(Timestamp::default())
}

fn opensanctions() -> String {
    std::fs::read_to_string(fixture("ftm/opensanctions_t1_entities.ftm.json")).expect("fixture")
}

#[test]
fn opensanctions_sample_imports_with_flags_identifiers_and_a_summary() {
    let mut case = empty();
    let before = case.clone();
    let (edit, summary) = ftm::import(&opensanctions(), &case).expect("imports");
    assert_eq!(summary.records, 7);
    assert_eq!(summary.entities_added, 7, "{}", summary.report());
    let mut history = History::default();
    history
        .apply(&mut case, "Import FtM", edit)
        .expect("the import applies");
    assert_eq!(case.entities.len(), 7);
    let irgc = case
        .entities
        .values()
        .find(|e| e.name == "IRGC")
        .expect("IRGC imported");
    assert_eq!(irgc.kind, EntityKind::Organization);
    assert_eq!(
        irgc.country
            .as_ref()
            .map(chokepoint::model::CountryCode::as_str),
        Some("IR")
    );
    assert!(irgc.flags.iter().any(|f| f.kind == FlagKind::Sanctioned));
    let tobacco = case
        .entities
        .values()
        .find(|e| e.name == "LLC “Inter Tobacco”")
        .expect("Inter Tobacco imported");
    assert!(tobacco.aliases.len() >= 10, "other names become aliases");
    assert!(
        tobacco
            .identifiers
            .iter()
            .any(|i| i.scheme == IdentifierScheme::Registration && i.value == "808000714")
    );
    let address = case
        .entities
        .values()
        .find(|e| e.kind == EntityKind::Address)
        .expect("address imported");
    assert!(address.address.city.contains("Mombasa"));
    // The person's first name has no field of its own: kept as an attribute and reported.
    assert!(summary.kept_as_attributes.contains_key("Person.firstName"));
    assert!(
        case.entities
            .values()
            .any(|e| e.attributes.contains_key("ftm:firstName"))
    );
    // Addresses the file names but does not hold are reported, not invented (and they are
    // references, not records left out).
    assert!(
        summary.not_carried.keys().any(
            |(field, why)| field.ends_with(".addressEntity") && why.contains("not in the file")
        ),
        "{}",
        summary.report()
    );
    assert!(summary.skipped.is_empty(), "{}", summary.report());
    // One undo step takes the whole import back.
    history.undo(&mut case).expect("undo");
    assert_eq!(case, before);
}

#[test]
fn importing_the_same_file_twice_merges_instead_of_duplicating() {
    let mut case = empty();
    let (edit, _) = ftm::import(&opensanctions(), &case).expect("imports");
    case.apply(edit).expect("applies");
    let (edit, summary) = ftm::import(&opensanctions(), &case).expect("imports again");
    assert_eq!(summary.entities_added, 0, "{}", summary.report());
    assert_eq!(summary.entities_merged, 7);
    case.apply(edit).expect("applies");
    assert_eq!(case.entities.len(), 7);
}

#[test]
fn malformed_ftm_is_a_clear_error_naming_the_line() {
    let text = format!(
        "{}\n{{\"id\": \"x\", \"schema\": \"Person\"\n",
        opensanctions()
    );
    match ftm::import(&text, &empty()) {
        Err(ImportError::Syntax { line, .. }) => assert_eq!(line, 8),
        other => panic!("expected a syntax error, got {other:?}"),
    }
    assert!(matches!(
        ftm::import("[1, 2]\n", &empty()),
        Err(ImportError::Syntax { line: 1, .. })
    ));
    assert!(matches!(
        ftm::import("{\"schema\": \"Person\"}\n", &empty()),
        Err(ImportError::Syntax { line: 1, .. })
    ));
}

#[test]
fn links_sanctions_identifiers_declarations_and_documents_map_to_the_case_model() {
    let text = r#"
{"id": "p1", "schema": "Person", "properties": {"name": ["Lin Wei"], "nationality": ["cn"]}}
{"id": "c1", "schema": "Company", "properties": {"name": ["Megaspeed Pte. Ltd."], "jurisdiction": ["sg"]}}
{"id": "c2", "schema": "Company", "properties": {"name": ["Kunlun Trading Sdn Bhd"], "country": ["my"]}}
{"id": "o1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["c1"], "percentage": ["60"], "startDate": ["2023-02"]}}
{"id": "d1", "schema": "Directorship", "properties": {"director": ["p1"], "organization": ["c2"], "role": ["director"]}}
{"id": "pay1", "schema": "Payment", "properties": {"payer": ["c2"], "beneficiary": ["c1"], "amount": ["1200000"], "currency": ["usd"], "date": ["2024-05-01"]}}
{"id": "s1", "schema": "Sanction", "properties": {"entity": ["c1"], "program": ["Entity List"], "authority": ["US BIS"], "listingDate": ["2025-01-15"]}}
{"id": "pp1", "schema": "Passport", "properties": {"holder": ["p1"], "number": ["E12345678"], "country": ["cn"]}}
{"id": "ea1", "schema": "EconomicActivity", "properties": {"sender": ["c1"], "receiver": ["c2"], "departureCountry": ["sg"], "destinationCountry": ["my"], "originCountry": ["tw"], "goodsDescription": ["GPU servers"], "vedCode": ["847150"], "date": ["2024-06-03"], "ccdNumber": ["MY-2024-0042"]}}
{"id": "doc1", "schema": "Document", "properties": {"title": ["Registry extract"], "sourceUrl": ["https://example.org/acra/megaspeed"], "publishedAt": ["2024-07-01"]}}
{"id": "dn1", "schema": "Documentation", "properties": {"document": ["doc1"], "entity": ["c1"], "role": ["ownership"]}}
{"id": "v1", "schema": "Vehicle", "properties": {"name": ["A truck"]}}
"#;
    let mut case = empty();
    let (edit, summary) = ftm::import(text, &case).expect("imports");
    case.apply(edit).expect("applies");
    assert_eq!(summary.entities_added, 3);
    assert_eq!(summary.links_added, 3);
    assert_eq!(summary.shipments_added, 1);
    assert_eq!(summary.evidence_added, 1);
    assert!(summary.skipped.iter().any(|s| s.contains("Vehicle")));
    let ownership = case
        .links
        .values()
        .find(|l| matches!(l.kind, LinkKind::Ownership { .. }))
        .expect("ownership link");
    assert_eq!(
        ownership.kind,
        LinkKind::Ownership {
            percent: Some(60.0)
        }
    );
    assert_eq!(
        ownership.start.as_ref().map(ToString::to_string).as_deref(),
        Some("2023-02")
    );
    let payment = case
        .links
        .values()
        .find_map(|l| match &l.kind {
            LinkKind::Payment { amount, .. } => amount.clone(),
            _ => None,
        })
        .expect("payment with amount");
    assert_eq!(payment.currency, "USD");
    let mega = case
        .entities
        .values()
        .find(|e| e.name.starts_with("Megaspeed"))
        .expect("company");
    let flag = mega
        .flags
        .iter()
        .find(|f| f.kind == FlagKind::Sanctioned)
        .expect("sanction flag");
    assert_eq!(
        (flag.program.as_str(), flag.authority.as_str()),
        ("Entity List", "US BIS")
    );
    assert_eq!(flag.start, "2025-01-15".parse().ok());
    assert_eq!(flag.status, chokepoint::model::ClaimStatus::Reported);
    let lin = case
        .entities
        .values()
        .find(|e| e.name == "Lin Wei")
        .expect("person");
    assert!(
        lin.identifiers
            .iter()
            .any(|i| i.scheme == IdentifierScheme::Passport && i.value == "E12345678")
    );
    let shipment = case.shipments.values().next().expect("shipment");
    assert_eq!(shipment.shipper.as_ref(), Some(&mega.id));
    assert_eq!(shipment.legs.len(), 1);
    assert_eq!(
        shipment.legs[0]
            .from
            .country
            .as_ref()
            .map(chokepoint::model::CountryCode::as_str),
        Some("SG")
    );
    assert_eq!(shipment.goods[0].hs_code, "847150");
    assert_eq!(
        shipment.goods[0]
            .origin
            .as_ref()
            .map(chokepoint::model::CountryCode::as_str),
        Some("TW")
    );
    let ev = case.evidence.values().next().expect("evidence");
    assert_eq!(ev.supports.len(), 1);
    assert_eq!(
        ev.supports[0].target,
        Some(ItemRef::Entity(mega.id.clone()))
    );
}

/// Every property of every exported line, checked against the FtM model: schemata exist and
/// are concrete, properties belong to the schema (or one it extends), and entity references
/// point at exported ids.
#[test]
fn exported_ftm_follows_the_model() {
    let model: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("ftm/ftm_defaultModel.json")).expect("model"),
    )
    .expect("model parses");
    let schemata = model["schemata"].as_object().expect("schemata");
    fn props_of(
        schemata: &serde_json::Map<String, serde_json::Value>,
        name: &str,
        out: &mut BTreeMap<String, String>,
    ) {
        let s = &schemata[name];
        if let Some(p) = s["properties"].as_object() {
            for (k, v) in p {
                out.insert(k.clone(), v["type"].as_str().unwrap_or("string").to_owned());
            }
        }
        for parent in s["extends"].as_array().into_iter().flatten() {
            props_of(schemata, parent.as_str().expect("name"), out);
        }
    }
    for case in [seed(), {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cases/training_strait_networks.ron");
        load_case(&path).expect("training loads")
    }] {
        let export = ftm_export::write(&case);
        let lines: Vec<serde_json::Value> = export
            .text
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect();
        let ids: BTreeSet<&str> = lines.iter().filter_map(|l| l["id"].as_str()).collect();
        assert_eq!(ids.len(), lines.len(), "ids are unique");
        for line in &lines {
            let schema = line["schema"].as_str().expect("schema");
            assert!(schemata.contains_key(schema), "unknown schema {schema}");
            assert_ne!(schemata[schema]["abstract"], true, "{schema} is abstract");
            let mut props = BTreeMap::new();
            props_of(schemata, schema, &mut props);
            for (prop, values) in line["properties"].as_object().expect("properties") {
                let ty = props
                    .get(prop)
                    .unwrap_or_else(|| panic!("{schema} has no property {prop}"));
                let values = values.as_array().expect("values are lists");
                assert!(!values.is_empty());
                for v in values {
                    let v = v.as_str().expect("values are strings");
                    if ty == "entity" {
                        assert!(ids.contains(v), "{schema}.{prop} points at missing {v}");
                    }
                    if ty == "country" {
                        assert!(v.len() == 2 && v == v.to_lowercase(), "{v}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_case_survives_an_ftm_round_trip() {
    let original = seed();
    let export = ftm_export::write(&original);
    let mut case = empty();
    let (edit, summary) = ftm::import(&export.text, &case).expect("re-imports");
    assert!(summary.skipped.is_empty(), "{}", summary.report());
    case.apply(edit).expect("applies");
    // Everything comes back as it was, jurisdictions and websites (which FtM has no schema
    // for) included: the export carries Chokepoint's own records (see also
    // tests/export.rs, `ftm_round_trip_restores_the_case_and_its_findings`).
    assert_eq!(case.entities, original.entities);
    assert_eq!(case.links, original.links);
    assert_eq!(case.shipments, original.shipments);
    assert_eq!(case.evidence, original.evidence);
    for e in original.entities.values() {
        for flag in e.flags.iter().filter(|f| f.kind == FlagKind::Sanctioned) {
            assert!(
                case.entities[&e.id]
                    .flags
                    .iter()
                    .any(|f| f.detail == flag.detail)
            );
        }
    }
}

fn trade_csv() -> Vec<u8> {
    // Semicolons, decimal commas and Windows-1252 bytes, as a European spreadsheet saves it.
    let text = "Shipper;Shipper Country;Consignee;Consignee Country;Transit;HS Code;Description;Qty;Value;Date;B/L No\n\
        Acme Trading Pte. Ltd.;Singapore;Kunlun Nest Ltd;China;Malaysia;847150;GPU servers \u{e9}quip\u{e9}s;8;1.200.000,50;03/06/2024;BL-1\n\
        ACME TRADING PTE LTD;SG;Soci\u{e9}t\u{e9} Lumi\u{e8}re SARL;FR;;854231;H100 modules;200;5.600.000;2024-07-01;BL-2\n\
        Acme Tradng Pte Ltd;SG;Kunlun Nest Ltd;CN;;854231;Modules;10;n/a;sometime;BL-3\n\
        ;;;;;;;;;;\n";
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("Latin-1 text"))
        .collect()
}

/// Every cell the import could not read as its field's type, as "Field: row N: “text” (why)".
fn refused_cells(summary: &chokepoint::io::import::ImportSummary) -> Vec<String> {
    summary
        .not_carried
        .iter()
        .flat_map(|((field, _), n)| n.examples.iter().map(move |e| format!("{field}: {e}")))
        .collect()
}

#[test]
fn csv_trade_rows_become_shipments_with_resolved_parties() {
    let table = CsvTable::read(&trade_csv(), None).expect("reads");
    assert_eq!(table.delimiter, ';');
    assert_eq!(table.encoding.label(), "Windows-1252");
    assert!(table.rows().nth(1).expect("row 2")[2].starts_with("Société"));
    let mut mapping = CsvMapping::guess(&table.headers, RowKind::Shipments);
    assert_eq!(mapping.columns.get("Shipper"), Some(&Field::Shipper));
    assert_eq!(mapping.columns.get("B/L No"), Some(&Field::BillOfLading));
    mapping.columns.insert("Transit".into(), Field::Transit);
    // Read with a decimal point, the European values are refused and reported, never
    // guessed ("1.200.000,50" is not 1.2 nor 1200000.5 until the mapping says which).
    let (_, summary) = csv::import(&table, &mapping, &empty(), &Progress::new()).expect("imports");
    assert!(
        refused_cells(&summary)
            .iter()
            .any(|s| s.starts_with("Value: row 2: “1.200.000,50”")),
        "{}",
        summary.report()
    );
    // The file writes decimals after a comma, as the import dialog's checkbox says.
    mapping.decimal_mark = chokepoint::model::parse::DecimalMark::Comma;
    // A saved mapping reads back the same.
    let mapping = CsvMapping::from_ron(&mapping.to_ron()).expect("mapping round trip");
    let mut case = empty();
    let before = case.clone();
    let (edit, summary) = csv::import(&table, &mapping, &case, &Progress::new()).expect("imports");
    let mut history = History::default();
    history
        .apply(&mut case, "Import CSV", edit)
        .expect("applies");
    assert_eq!(summary.shipments_added, 3, "{}", summary.report());
    // "Acme Trading Pte. Ltd." in Singapore and "ACME TRADING PTE LTD" in SG are one party;
    // the misspelt one is kept apart but offered for review.
    let acme: Vec<_> = case
        .entities
        .values()
        .filter(|e| e.name.to_lowercase().starts_with("acme"))
        .collect();
    assert_eq!(
        acme.len(),
        2,
        "{:?}",
        acme.iter().map(|e| &e.name).collect::<Vec<_>>()
    );
    assert_eq!(summary.possible_duplicates.len(), 1);
    let dup = &summary.possible_duplicates[0];
    assert_eq!(case.entities[&dup.incoming].name, "Acme Tradng Pte Ltd");
    let first = case
        .shipments
        .values()
        .find(|s| s.legs[0].transport_document == "BL-1")
        .expect("row 1");
    assert_eq!(first.legs.len(), 2, "origin → transit → destination");
    assert_eq!(
        first.legs[0]
            .to
            .country
            .as_ref()
            .map(chokepoint::model::CountryCode::as_str),
        Some("MY")
    );
    let goods = &first.goods[0];
    assert_eq!(goods.quantity, Some(8.0));
    assert_eq!(goods.value.as_ref().map(|v| v.amount), Some(1_200_000.5));
    assert_eq!(
        first.legs[0]
            .departed
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("2024-06-03")
    );
    // A date that cannot be read is reported and kept in the notes, not dropped silently.
    assert!(
        refused_cells(&summary)
            .iter()
            .any(|s| s.starts_with("Date: row 4: “sometime”")),
        "{}",
        summary.report()
    );
    history.undo(&mut case).expect("undo");
    assert_eq!(case, before);
}

#[test]
fn csv_import_can_be_cancelled_and_refuses_a_mapping_that_does_not_fit() {
    let table = CsvTable::read(&trade_csv(), None).expect("reads");
    let mapping = CsvMapping::guess(&table.headers, RowKind::Shipments);
    let progress = Progress::new();
    progress.cancel();
    assert_eq!(
        csv::import(&table, &mapping, &empty(), &progress).map(|_| ()),
        Err(ImportError::Cancelled)
    );
    let mut wrong = mapping.clone();
    wrong
        .columns
        .insert("Not a column".into(), Field::Reference);
    assert!(matches!(
        csv::import(&table, &wrong, &empty(), &Progress::new()),
        Err(ImportError::Mapping(m)) if m.contains("Not a column")
    ));
    let none = CsvMapping::default();
    assert!(matches!(
        csv::import(&table, &none, &empty(), &Progress::new()),
        Err(ImportError::Mapping(_))
    ));
}

#[test]
fn csv_entity_rows_resolve_against_the_case() {
    let mut case = seed();
    let existing = case
        .entities
        .values()
        .find(|e| e.kind == EntityKind::Company && e.country.is_some())
        .expect("a company with a country")
        .clone();
    let country = existing
        .country
        .as_ref()
        .expect("country")
        .as_str()
        .to_owned();
    let text = format!(
        "Name,Country,Registration Number\n\"{}\",{country},REG-1\nBrand New Holdings,SG,REG-2\n",
        existing.name.to_uppercase()
    );
    let table = CsvTable::read(text.as_bytes(), None).expect("reads");
    let mut mapping = CsvMapping::guess(&table.headers, RowKind::Entities);
    assert_eq!(
        mapping.columns.get("Registration Number"),
        Some(&Field::Identifier(IdentifierScheme::Registration))
    );
    mapping.entity_kind = EntityKind::Company;
    let (edit, summary) = csv::import(&table, &mapping, &case, &Progress::new()).expect("imports");
    assert_eq!(summary.entities_merged, 1);
    assert_eq!(summary.entities_added, 1);
    case.apply(edit).expect("applies");
    assert!(
        case.entities[&existing.id]
            .identifiers
            .iter()
            .any(|i| i.value == "REG-1")
    );
}

#[test]
fn merging_a_reviewed_duplicate_repoints_everything_in_one_undo_step() {
    let table = CsvTable::read(&trade_csv(), None).expect("reads");
    let mut mapping = CsvMapping::guess(&table.headers, RowKind::Shipments);
    mapping.columns.insert("Transit".into(), Field::Transit);
    let mut case = empty();
    let (edit, summary) = csv::import(&table, &mapping, &case, &Progress::new()).expect("imports");
    case.apply(edit).expect("applies");
    let dup = summary.possible_duplicates[0].clone();
    let before = case.clone();
    let merge = merge_entities_edit(&case, &dup.existing, &dup.incoming).expect("merge edit");
    let mut history = History::default();
    history
        .apply(&mut case, "Merge", merge)
        .expect("merge applies");
    assert!(!case.entities.contains_key(&dup.incoming));
    assert!(
        case.entities[&dup.existing]
            .aliases
            .contains(&"Acme Tradng Pte Ltd".to_owned())
    );
    assert!(
        case.shipments
            .values()
            .all(|s| s.shipper.as_ref() != Some(&dup.incoming))
    );
    history.undo(&mut case).expect("undo");
    assert_eq!(case, before);
}

use chokepoint::io::import::csv;

fn run_cli(args: &[&std::ffi::OsStr]) -> std::process::Output {
    common::chokepoint().args(args).output().expect("runs")
}

#[test]
fn cli_imports_csv_by_a_guessed_then_saved_mapping_and_ftm_into_a_case() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("trade.csv");
    std::fs::write(&input, trade_csv()).expect("write csv");
    let mapping = dir.path().join("mapping.ron");
    let out = run_cli(&[
        "import".as_ref(),
        "csv".as_ref(),
        input.as_os_str(),
        "--guess-mapping".as_ref(),
        mapping.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let guessed = CsvMapping::from_ron(&std::fs::read_to_string(&mapping).expect("mapping"))
        .expect("the guessed mapping reads back");
    assert_eq!(guessed.columns.get("Consignee"), Some(&Field::Consignee));
    let case_path = dir.path().join("case.ron");
    let out = run_cli(&[
        "import".as_ref(),
        "csv".as_ref(),
        input.as_os_str(),
        "--mapping".as_ref(),
        mapping.as_os_str(),
        "-o".as_ref(),
        case_path.as_os_str(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("3 shipments"), "{stdout}");
    assert!(stdout.contains("possible duplicate"), "{stdout}");
    let case = load_case(&case_path).expect("the imported case loads");
    assert_eq!(case.shipments.len(), 3);
    // FtM into the case just written.
    let merged_path = dir.path().join("with_ftm.ron");
    let out = run_cli(&[
        "import".as_ref(),
        "ftm".as_ref(),
        fixture("ftm/opensanctions_t1_entities.ftm.json").as_os_str(),
        "--into".as_ref(),
        case_path.as_os_str(),
        "-o".as_ref(),
        merged_path.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let with_ftm = load_case(&merged_path).expect("loads");
    assert_eq!(with_ftm.entities.len(), case.entities.len() + 7);
    // A broken input is an error and writes nothing.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{not json\n").expect("write");
    let nothing = dir.path().join("nothing.ron");
    let out = run_cli(&[
        "import".as_ref(),
        "ftm".as_ref(),
        bad.as_os_str(),
        "-o".as_ref(),
        nothing.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
    assert!(!nothing.exists());
}

#[test]
fn cli_exports_ftm_and_merges_a_colleagues_copy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cases/seed_kunlun_nest.ron");
    let ftm_path = dir.path().join("seed.ftm.json");
    let out = run_cli(&[
        "export".as_ref(),
        "--format".as_ref(),
        "ftm".as_ref(),
        seed_path.as_os_str(),
        "-o".as_ref(),
        ftm_path.as_os_str(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&ftm_path).expect("written");
    assert_eq!(text, ftm_export::write(&seed()).text);

    // Mine renames one entity; theirs renames the same one differently, adds a new one, and
    // adds under a new id a party I already have.
    let mut mine = seed();
    let mut theirs = seed();
    let first = mine.entities.keys().next().expect("an entity").clone();
    mine.entities.get_mut(&first).expect("e").name = "Mine".into();
    theirs.entities.get_mut(&first).expect("e").name = "Theirs".into();
    theirs.entities.insert(
        "e-new-from-colleague".into(),
        chokepoint::model::Entity::new("e-new-from-colleague", EntityKind::Person, "Zhang San"),
    );
    let known = mine
        .entities
        .values()
        .find(|e| e.kind == EntityKind::Company && e.id != first)
        .expect("a company")
        .clone();
    let mut copy = known.clone();
    copy.id = "e-colleague-copy".into();
    copy.name = known.name.to_uppercase();
    theirs.entities.insert(copy.id.clone(), copy);
    let (mine_path, theirs_path) = (dir.path().join("mine.ron"), dir.path().join("theirs.ron"));
    chokepoint::io::save_case(&mine_path, &mine).expect("save");
    chokepoint::io::save_case(&theirs_path, &theirs).expect("save");
    for (prefer, expected) in [("mine", "Mine"), ("theirs", "Theirs")] {
        let merged_path = dir.path().join(format!("merged-{prefer}.ron"));
        let out = run_cli(&[
            "merge".as_ref(),
            mine_path.as_os_str(),
            theirs_path.as_os_str(),
            "-o".as_ref(),
            merged_path.as_os_str(),
            "--prefer".as_ref(),
            prefer.as_ref(),
        ]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("1 conflicts"), "{stdout}");
        assert!(stdout.contains(first.as_str()), "{stdout}");
        let merged = load_case(&merged_path).expect("merged loads");
        assert_eq!(merged.entities[&first].name, expected);
        assert!(merged.entities.contains_key(&"e-new-from-colleague".into()));
        assert!(
            !merged.entities.contains_key(&"e-colleague-copy".into()),
            "their copy of my company is merged into mine"
        );
        assert!(
            merged.entities[&known.id]
                .aliases
                .contains(&known.name.to_uppercase())
        );
    }
}

#[test]
fn merge_scenarios_both_edited_one_deleted_and_the_same_party_added_twice() {
    use chokepoint::edit::Edit;
    use chokepoint::io::import::copies::CopyMerge;
    let base = seed();
    let su_di = base
        .entities
        .values()
        .find(|e| e.name == "Su Di")
        .expect("Su Di")
        .id
        .clone();
    // An entity with links that nothing else cites, so it can be deleted with them.
    let byron = base
        .entities
        .keys()
        .find(|id| {
            **id != su_di
                && base.links.values().any(|l| l.from == **id || l.to == **id)
                && base
                    .clone()
                    .apply(Edit::remove_entity_cascade(&base, id))
                    .is_ok()
        })
        .expect("a deletable entity with links")
        .clone();
    // Mine: renamed Su Di and deleted that entity (with its links) on purpose.
    let mut mine = base.clone();
    mine.entities.get_mut(&su_di).expect("e").name = "Su Di (mine)".into();
    let delete = Edit::remove_entity_cascade(&mine, &byron);
    mine.apply(delete).expect("delete applies");
    // Theirs: renamed Su Di too, added a forwarder, and added Su Di again under another id.
    let mut theirs = base.clone();
    theirs.entities.get_mut(&su_di).expect("e").name = "Su Di (theirs)".into();
    theirs.entities.insert(
        "e-forwarder".into(),
        chokepoint::model::Entity::new("e-forwarder", EntityKind::Company, "Strait Freight"),
    );
    let twice = base
        .entities
        .values()
        .find(|e| e.id != su_di && e.id != byron && e.kind == EntityKind::Company)
        .expect("a company")
        .id
        .clone();
    let mut again = base.entities[&twice].clone();
    again.id = "e-added-again".into();
    again.name = again.name.to_uppercase();
    theirs.entities.insert(again.id.clone(), again);

    let mut plan = CopyMerge::plan(&mine, &theirs);
    // Both edited: one conflict on the name.
    assert_eq!(plan.conflicts.len(), 1);
    assert_eq!(plan.conflicts[0].fields[0].field, "name");
    // One deleted: Byron Wan and his links come back as "added" unless left out.
    let byron_ref = ItemRef::Entity(byron.clone());
    assert!(plan.added.iter().any(|(i, _)| *i == byron_ref));
    plan.set_included(&byron_ref, false);
    let byron_links: Vec<ItemRef> = base
        .links
        .values()
        .filter(|l| l.from == byron || l.to == byron)
        .map(|l| ItemRef::Link(l.id.clone()))
        .collect();
    assert!(!byron_links.is_empty());
    for l in &byron_links {
        assert!(plan.left_out.contains(l), "{l} follows the entity it names");
    }
    // Both added the same party under different ids: matched by identity.
    assert_eq!(plan.identity.len(), 1);
    assert_eq!(plan.identity[0].theirs.as_str(), "e-added-again");
    assert_eq!(plan.identity[0].mine, twice);
    plan.conflicts[0].fields[0].take_theirs = true;
    let (edit, merged) = plan.edit(&mine).expect("merge plans");
    assert_eq!(merged.entities[&su_di].name, "Su Di (theirs)");
    assert!(!merged.entities.contains_key(&byron));
    assert!(!merged.entities.contains_key(&"e-added-again".into()));
    assert!(merged.entities.contains_key(&"e-forwarder".into()));
    // One undo step.
    let mut case = mine.clone();
    let mut history = History::default();
    history.apply(&mut case, "Merge", edit).expect("applies");
    assert_eq!(case, merged);
    history.undo(&mut case).expect("undo");
    assert_eq!(case, mine);
    // Taking Byron back takes his links back too.
    plan.set_included(&byron_ref, true);
    assert!(plan.left_out.is_empty());
}

#[test]
fn a_messy_utf16_csv_imports_by_its_saved_mapping_and_reports_the_rows_it_skips() {
    let bytes = std::fs::read(fixture("csv/messy_trade_utf16.csv")).expect("fixture");
    let mapping = CsvMapping::from_ron(
        &std::fs::read_to_string(fixture("csv/messy_trade.mapping.ron")).expect("mapping"),
    )
    .expect("the saved mapping reads");
    let table = CsvTable::read(&bytes, mapping.delimiter).expect("reads");
    assert_eq!(table.encoding.label(), "UTF-16 LE");
    assert_eq!(table.row_count(), 5);
    let mut case = empty();
    let (edit, summary) = csv::import(&table, &mapping, &case, &Progress::new()).expect("imports");
    case.apply(edit).expect("applies");
    // Rows 2, 3 and 5 (as a spreadsheet numbers them) have a party; row 4 is empty and row 6
    // has neither party.
    assert_eq!(summary.shipments_added, 3, "{}", summary.report());
    assert_eq!(summary.skipped.len(), 2, "{}", summary.report());
    assert!(summary.skipped.iter().any(|s| s.starts_with("row 4:")));
    assert!(summary.skipped.iter().any(|s| s.starts_with("row 6:")));
    let first = case
        .shipments
        .values()
        .find(|s| s.goods.first().is_some_and(|g| g.quantity == Some(8.0)))
        .expect("the first row");
    // A quoted field keeps its comma and its line break.
    assert_eq!(first.goods[0].description, "GPU servers, 8-way\nH100 SXM5");
    assert_eq!(
        first.goods[0].value.as_ref().map(|v| v.amount),
        Some(1_200_000.0)
    );
    let relabelled = case
        .shipments
        .values()
        .find(|s| {
            s.goods
                .first()
                .is_some_and(|g| g.description.contains("relabelled"))
        })
        .expect("the row with doubled quotes");
    assert_eq!(
        relabelled.goods[0].description,
        "Adapter modules \"relabelled\""
    );
    assert!(relabelled.consignee.is_none(), "a missing cell stays empty");
    // The shipper of rows 2 and 3 is one entity.
    assert_eq!(
        case.entities
            .values()
            .filter(|e| e.name.starts_with("Lumen"))
            .count(),
        1
    );
    let eur = case
        .shipments
        .values()
        .find(|s| s.goods.first().is_some_and(|g| g.description == "Chassis"))
        .expect("row 5");
    assert_eq!(
        eur.legs[0]
            .departed
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("2024-04-05"),
        "day first"
    );
}

/// The header row of a UN Comtrade API download (its own camelCase column names).
const COMTRADE_HEADER: &str = "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,partner2ISO,partner2Desc,classificationCode,classificationSearchCode,isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,isAggregate";

/// Comtrade statistics are national totals, not shipments: imported as trade statistics
/// (never as "shipments" between companies named "0" and "842" that raise transit findings),
/// the "World" row kept apart as the total over all partners, countries read from ISO codes or
/// M49 numbers, and a second import of the same rows adds nothing.
#[test]
fn comtrade_statistics_are_imported_as_statistics_not_shipments() {
    let text = format!(
        "{COMTRADE_HEADER}\nC,A,20230101,2023,52,2023,702,SGP,Singapore,X,Export,0,W00,World,0,W00,World,H6,HS,true,847150,Processing units,6,true,C00,TOTAL CPC,0,0,TOTAL MOT,5,u,1200,false,-1,N/A,0,false,50,false,0,false,0,0,88000000,0,true,false\n\
         C,A,20230101,2023,52,2023,702,SGP,Singapore,X,Export,156,CHN,China,0,W00,World,H6,HS,true,847150,Processing units,6,true,C00,TOTAL CPC,0,0,TOTAL MOT,5,u,800,false,-1,N/A,0,false,30,false,0,false,0,0,61000000,0,true,false\n\
         C,M,20230301,2023,3,202303,458,,Malaysia,M,Import,40,,Austria,0,W00,World,H6,HS,true,854231,Processors,6,true,C00,TOTAL CPC,0,0,TOTAL MOT,5,u,10,false,-1,N/A,0,false,1,false,0,false,0,0,250000,0,true,false\n\
         C,A,20230101,2023,52,2023,702,SGP,Singapore,X,Export,899,,Areas nes,0,W00,World,H6,HS,true,847150,Processing units,6,true,C00,TOTAL CPC,0,0,TOTAL MOT,5,u,1,false,-1,N/A,0,false,0,false,0,false,0,0,1000,0,true,false\n"
    );
    let table = CsvTable::read(text.as_bytes(), None).expect("reads");
    assert_eq!(table.headers.len(), 47);
    assert!(csv::is_trade_statistics(&table.headers));
    let mapping = CsvMapping::guess(&table.headers, RowKind::Shipments);
    let (edit, summary) =
        csv::import(&table, &mapping, &empty(), &Progress::new()).expect("imports");
    let mut case = empty();
    case.apply(edit).expect("applies");
    assert_eq!(summary.statistics_added, 3, "{}", summary.report());
    assert!(
        summary.report().contains("not shipments"),
        "{}",
        summary.report()
    );
    assert!(
        summary
            .skipped
            .iter()
            .any(|s| s.contains("row 5") && s.contains("899")),
        "{:?}",
        summary.skipped
    );
    assert!(case.shipments.is_empty() && case.entities.is_empty());
    let s = &case.statistics;
    let world = s
        .iter()
        .find(|f| f.partner.is_none())
        .expect("the World total");
    assert_eq!(world.reporter.as_str(), "SG");
    assert_eq!(world.value.as_ref().map(|m| m.amount), Some(88_000_000.0));
    let china = s
        .iter()
        .find(|f| {
            f.partner
                .as_ref()
                .map(chokepoint::model::CountryCode::as_str)
                == Some("CN")
        })
        .expect("China");
    assert_eq!(china.commodity, "847150");
    assert_eq!(china.quantity, Some(800.0));
    assert_eq!(china.period.to_string(), "2023");
    // M49 numbers alone (40 is Austria, never Lithuania's 440), and a monthly period.
    let austria = s
        .iter()
        .find(|f| f.reporter.as_str() == "MY")
        .expect("Malaysia's import");
    assert_eq!(
        austria
            .partner
            .as_ref()
            .map(chokepoint::model::CountryCode::as_str),
        Some("AT")
    );
    assert_eq!(austria.direction, chokepoint::model::TradeDirection::Import);
    assert_eq!(austria.period.to_string(), "2023-03");
    // No finding comes from statistics.
    let rules = chokepoint::analysis::rules::RuleSet::builtin().expect("rules");
    let today: chokepoint::model::PartialDate = "2026-12-01".parse().expect("date");
    assert!(chokepoint::analysis::rules::evaluate(&case, &rules, &today).is_empty());
    // The same file again adds nothing; undo takes the import back.
    let (again, summary) = csv::import(&table, &mapping, &case, &Progress::new()).expect("imports");
    assert_eq!(summary.statistics_added, 0);
    let undo = case.apply(again).expect("applies");
    assert_eq!(case.statistics.len(), 3);
    case.apply(undo).expect("undoes");
    assert_eq!(case.statistics.len(), 3);
    // A shipment file is not taken for statistics.
    assert!(!csv::is_trade_statistics(
        &CsvTable::read(&trade_csv(), None).expect("reads").headers
    ));
    // Saved and read back, the statistics are the same.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("stats.ron");
    chokepoint::io::save_case(&path, &case).expect("saves");
    assert_eq!(
        chokepoint::io::load_case(&path).expect("loads").statistics,
        case.statistics
    );
}

/// Bill-of-lading extracts name their columns in capitals with underscores, or in camelCase:
/// the guessed mapping reads them as a trade analyst would.
#[test]
fn bill_of_lading_headers_are_guessed_in_any_spelling() {
    for (header, field) in [
        ("SHIPPER_NAME", Field::Shipper),
        ("shipperName", Field::Shipper),
        ("SHIPPER_COUNTRY", Field::ShipperCountry),
        ("CONSIGNEE_NAME", Field::Consignee),
        ("consigneeAddress", Field::ConsigneeAddress),
        ("NOTIFY_PARTY", Field::NotifyParty),
        ("NOTIFY_PARTY_COUNTRY", Field::NotifyPartyCountry),
        ("PORT_OF_LADING", Field::PortOfLoading),
        ("Foreign Port of Lading", Field::PortOfLoading),
        ("PORT_OF_UNLADING", Field::PortOfDischarge),
        ("portOfDischarge", Field::PortOfDischarge),
        ("HS_CODE", Field::HsCode),
        ("GOODS_DESCRIPTION", Field::GoodsDescription),
        ("QUANTITY", Field::Quantity),
        ("BILL_OF_LADING_NO", Field::BillOfLading),
        ("ARRIVAL_DATE", Field::Date),
        ("COUNTRY_OF_ORIGIN", Field::Origin),
    ] {
        assert_eq!(
            Field::guess(header, RowKind::Shipments),
            Some(field.clone()),
            "{header}"
        );
    }
    assert_eq!(csv::header_words("partnerISO"), "partner iso");
    assert_eq!(csv::header_words("SHIPPER_NAME"), "shipper name");
}
