//! What imports and merges may and may not do to a case (issue #14 items 3 and 5, #18 items
//! 10 and 11): distinct parties are never merged on a fuzzy name, every automatic merge is
//! listed with its reason and can be split again in one step, and the summary accounts for
//! every value it did not carry. Run against the real OpenSanctions fixtures and the sample
//! cases too.

use chokepoint::edit::History;
use chokepoint::io::import::csv::{CsvMapping, CsvTable, Field, RowKind};
use chokepoint::io::import::{ImportSummary, ftm, merge_copies, split_merge_edit};
use chokepoint::io::load_case;
use chokepoint::layout::Progress;
use chokepoint::model::{
    Case, Entity, EntityKind, FlagKind, Identifier, IdentifierScheme, LinkKind, Timestamp,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn empty() -> Case {
    Case::new_untitled(Timestamp::default())
}

/// The real OpenSanctions fixtures: the repository's copy of the small one, and the shared
/// data folder's larger one when it is there (CI has it; say so when skipping).
fn fixture_t1() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/ftm/opensanctions_t1_entities.ftm.json"))
        .expect("fixture")
}

fn fixture_parteispenden() -> Option<String> {
    let candidates = [
        root().join("tests/fixtures/ftm/opensanctions_parteispenden_entities.ftm.json"),
        root().join("../shared/data/opensanctions_parteispenden_entities.ftm.json"),
    ];
    let found = candidates
        .iter()
        .find_map(|p| std::fs::read_to_string(p).ok());
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the parteispenden fixture is missing in CI"
        );
        eprintln!("skipped: opensanctions_parteispenden_entities.ftm.json not found");
    }
    found
}

/// A company with a country, as a case holds it.
fn company(id: &str, name: &str, country: &str) -> Entity {
    let mut e = Entity::new(id, EntityKind::Company, name);
    e.country = country.parse().ok();
    e
}

fn identifier(scheme: IdentifierScheme, value: &str) -> Identifier {
    Identifier {
        scheme,
        value: value.into(),
        issuer: None,
    }
}

fn sample(name: &str) -> Case {
    load_case(&root().join("sample_cases").join(name)).expect("sample case loads")
}

/// Imports entity rows (name, country, optional registration number) as companies.
fn import_entity_rows(case: &Case, rows: &[(&str, &str, &str)]) -> (Case, ImportSummary) {
    let mut text = String::from("Name,Country,Registration Number\n");
    for (name, country, reg) in rows {
        let _ = writeln!(text, "\"{name}\",{country},{reg}");
    }
    let table = CsvTable::read(text.as_bytes(), None).expect("reads");
    let mut mapping = CsvMapping::guess(&table.headers, RowKind::Entities);
    mapping.entity_kind = EntityKind::Company;
    let (edit, summary) =
        chokepoint::io::import::csv::import(&table, &mapping, case, &Progress::new())
            .expect("imports");
    let mut after = case.clone();
    after.apply(edit).expect("applies");
    (after, summary)
}

#[test]
fn names_that_only_screening_folds_together_stay_distinct_parties() {
    for (a, b) in [
        ("Shenzhen 3311 Technology", "Shenzhen 331 Technology"),
        ("Shenzhen 3311 Technology", "331 Technology"),
        ("3311 Technology", "331 Technology"),
        ("Block 11", "Block 1"),
        ("Anna", "Ana"),
        ("Vai Tech", "Way Tech"),
        ("Vitaly Kuzmenko", "Vitalii Kuzmenko"),
    ] {
        let (case, summary) = import_entity_rows(&empty(), &[(a, "CN", ""), (b, "CN", "")]);
        assert_eq!(
            case.entities.len(),
            2,
            "“{a}” and “{b}” are two parties\n{}",
            summary.report()
        );
        assert!(summary.merges.is_empty(), "{}", summary.report());
        // Against the case as well as within one file.
        let (first, _) = import_entity_rows(&empty(), &[(a, "CN", "")]);
        let (both, summary) = import_entity_rows(&first, &[(b, "CN", "")]);
        assert_eq!(both.entities.len(), 2, "{}", summary.report());
    }
    // What may be folded still is: case, punctuation, word order, legal forms, diacritics.
    let (case, summary) = import_entity_rows(
        &empty(),
        &[
            ("Société Lumière SARL", "FR", ""),
            ("LUMIERE, SOCIETE", "FR", ""),
            ("Orchid Bay Technology Sdn. Bhd.", "MY", ""),
            ("orchid bay technology sdn bhd", "MY", ""),
        ],
    );
    assert_eq!(case.entities.len(), 2, "{}", summary.report());
    assert_eq!(summary.merges.len(), 2);
    for m in &summary.merges {
        assert!(
            m.reason.starts_with("same name and country"),
            "{}",
            m.reason
        );
    }
}

#[test]
fn five_thousand_distinct_numbered_names_give_five_thousand_companies() {
    let rows: Vec<(String, &str, &str)> = (1..=5000)
        .map(|n| (format!("Alpha{n} Ltd"), "GB", ""))
        .collect();
    let rows: Vec<(&str, &str, &str)> = rows.iter().map(|(n, c, r)| (n.as_str(), *c, *r)).collect();
    let (case, summary) = import_entity_rows(&empty(), &rows);
    assert_eq!(case.entities.len(), 5000, "{}", summary.entities_merged);
    assert_eq!(summary.entities_merged, 0);
    assert!(summary.merges.is_empty());
}

/// The Inter Tobacco record of the real fixture (sanctioned, registration 808000714) and a
/// dissolved company of the same name with another registration number.
const DISSOLVED: &str = r#"{"id": "dissolved-1", "schema": "Company", "properties": {"name": ["Inter Tobacco LLC"], "country": ["by"], "registrationNumber": ["100354712"], "incorporationDate": ["1998-03-02"], "dissolutionDate": ["2009-11-30"]}}
{"id": "stake-1", "schema": "Ownership", "properties": {"owner": ["holder-1"], "asset": ["dissolved-1"], "percentage": ["51"], "startDate": ["2001"], "endDate": ["2009"]}}
{"id": "holder-1", "schema": "Person", "properties": {"name": ["Pavel Drozd"], "country": ["by"]}}
"#;

#[test]
fn conflicting_registry_numbers_block_a_name_merge() {
    // Either order: the dissolved company first, then the real sanctions file, and both in
    // one file.
    let mut case = empty();
    let (edit, _) = ftm::import(DISSOLVED, &case).expect("imports");
    case.apply(edit).expect("applies");
    let (edit, summary) = ftm::import(&fixture_t1(), &case).expect("imports");
    case.apply(edit).expect("applies");
    assert!(summary.merges.is_empty(), "{}", summary.report());
    let tobaccos: Vec<&Entity> = case
        .entities
        .values()
        .filter(|e| e.name.contains("Inter Tobacco"))
        .collect();
    assert_eq!(tobaccos.len(), 2, "{}", summary.report());
    let sanctioned = tobaccos
        .iter()
        .find(|e| e.flags.iter().any(|f| f.kind == FlagKind::Sanctioned))
        .expect("the sanctioned company");
    let dissolved = tobaccos
        .iter()
        .find(|e| e.end.is_some())
        .expect("the dissolved company");
    assert_ne!(sanctioned.id, dissolved.id);
    assert!(
        sanctioned.end.is_none(),
        "the sanctioned one took no dissolution date"
    );
    // The old stake stays on the dissolved company.
    let stake = case
        .links
        .values()
        .find(|l| matches!(l.kind, LinkKind::Ownership { .. }))
        .expect("the stake");
    assert_eq!(stake.to, dissolved.id);
    // Offered for review, with the reason it was not merged.
    let dup = summary
        .possible_duplicates
        .iter()
        .find(|d| d.existing == dissolved.id || d.incoming == dissolved.id)
        .expect("offered for review");
    assert!(dup.reason.contains("registration number"), "{}", dup.reason);

    let together = format!("{DISSOLVED}{}", fixture_t1());
    let (edit, summary) = ftm::import(&together, &empty()).expect("imports");
    let mut case = empty();
    case.apply(edit).expect("applies");
    assert!(summary.merges.is_empty(), "{}", summary.report());
    assert_eq!(
        case.entities
            .values()
            .filter(|e| e.name.contains("Inter Tobacco"))
            .count(),
        2
    );
}

#[test]
fn dates_of_birth_and_kinds_that_differ_block_a_name_merge() {
    let text = r#"{"id": "p1", "schema": "Person", "properties": {"name": ["Li Wei"], "country": ["cn"], "birthDate": ["1971-01-22"]}}
{"id": "p2", "schema": "Person", "properties": {"name": ["LI WEI"], "country": ["cn"], "birthDate": ["1985"]}}
{"id": "p3", "schema": "Person", "properties": {"name": ["Wei, Li"], "country": ["cn"], "birthDate": ["1971-01"]}}
{"id": "c1", "schema": "Company", "properties": {"name": ["Li Wei"], "country": ["cn"]}}
"#;
    let (edit, summary) = ftm::import(text, &empty()).expect("imports");
    let mut case = empty();
    case.apply(edit).expect("applies");
    // p3 agrees with p1 at the precision it gives; p2 and the company are others.
    assert_eq!(case.entities.len(), 3, "{}", summary.report());
    assert_eq!(summary.merges.len(), 1);
    assert!(summary.merges[0].records[0].contains("line 3"));
    assert!(
        summary
            .possible_duplicates
            .iter()
            .any(|d| d.reason.contains("dates of birth"))
    );
}

#[test]
fn identifier_merges_are_listed_and_contact_details_only_offered() {
    let mut case = empty();
    let mut kestrel = company("e-kestrel", "Kestrel Freight Solutions", "SG");
    kestrel.identifiers = vec![
        identifier(IdentifierScheme::Registration, "201912345K"),
        identifier(IdentifierScheme::Phone, "+65 6123 4567"),
    ];
    case.entities.insert(kestrel.id.clone(), kestrel);
    let text = r#"{"id": "k2", "schema": "Company", "properties": {"name": ["KFS Pte Ltd"], "jurisdiction": ["sg"], "registrationNumber": ["201912345-K"]}}
{"id": "k3", "schema": "Company", "properties": {"name": ["Harbour Desk Services"], "country": ["sg"], "phone": ["+65 6123 4567"]}}
"#;
    let (edit, summary) = ftm::import(text, &case).expect("imports");
    case.apply(edit).expect("applies");
    assert_eq!(summary.merges.len(), 1, "{}", summary.report());
    let m = &summary.merges[0];
    assert_eq!(m.into.as_str(), "e-kestrel");
    assert_eq!(
        m.reason,
        "same registration number 201912345-K in both records"
    );
    assert_eq!(m.into_origin, "already in the case");
    assert!(summary.report().contains("same registration number"));
    // A shared phone number (a registered agent's) is a reason to look, not to merge.
    assert_eq!(case.entities.len(), 2);
    assert!(
        summary
            .possible_duplicates
            .iter()
            .any(|d| d.reason.contains("phone number"))
    );
}

#[test]
fn an_automatic_merge_is_split_again_in_one_undo_step() {
    let mut case = empty();
    let kestrel = company("e-kestrel", "Kestrel Freight Solutions", "SG");
    case.entities.insert(kestrel.id.clone(), kestrel.clone());
    let text = r#"{"id": "k2", "schema": "Company", "properties": {"name": ["KESTREL FREIGHT SOLUTIONS PTE LTD"], "country": ["sg"], "registrationNumber": ["201912345K"], "incorporationDate": ["2019-05"]}}
{"id": "own1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["k2"], "percentage": ["100"]}}
{"id": "p1", "schema": "Person", "properties": {"name": ["Tan Ah Kow"], "country": ["sg"]}}
{"id": "s1", "schema": "Sanction", "properties": {"entity": ["k2"], "program": ["Entity List"], "authority": ["US BIS"]}}
"#;
    let (edit, summary) = ftm::import(text, &case).expect("imports");
    let mut history = History::default();
    history.apply(&mut case, "Import", edit).expect("applies");
    assert_eq!(summary.merges.len(), 1, "{}", summary.report());
    let merged = &case.entities[&kestrel.id];
    assert!(
        merged
            .aliases
            .contains(&"KESTREL FREIGHT SOLUTIONS PTE LTD".to_owned())
    );
    assert!(merged.flags.iter().any(|f| f.kind == FlagKind::Sanctioned));
    let owned = case.links.values().next().expect("ownership");
    assert_eq!(owned.to, kestrel.id);

    let before = case.clone();
    let (split, new_id) = split_merge_edit(&case, &summary.merges[0]).expect("split plans");
    history
        .apply(&mut case, "Split", split)
        .expect("split applies");
    assert_eq!(new_id.as_str(), "k2", "the record's own id comes back");
    let apart = &case.entities[&new_id];
    assert_eq!(apart.name, "KESTREL FREIGHT SOLUTIONS PTE LTD");
    assert!(apart.flags.iter().any(|f| f.kind == FlagKind::Sanctioned));
    assert_eq!(apart.identifiers.len(), 1);
    // The entity it was merged into is as it was before the import.
    assert_eq!(case.entities[&kestrel.id], kestrel);
    // What the record's links named follows it.
    assert_eq!(case.links.values().next().expect("ownership").to, new_id);
    history.undo(&mut case).expect("undo");
    assert_eq!(case, before);
}

/// Every record of an entity schema either became its own entity or is listed among the
/// merges: found independently through the FtM ids entities carry.
fn assert_every_merge_is_listed(before: &Case, after: &Case, text: &str, summary: &ImportSummary) {
    let entity_schemas = [
        "Person",
        "Company",
        "Organization",
        "LegalEntity",
        "PublicBody",
        "Address",
        "Vessel",
        "Airplane",
        "BankAccount",
        "CryptoWallet",
        "Asset",
        "RealEstate",
        "Event",
    ];
    let mut records: BTreeMap<String, usize> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if entity_schemas.contains(&v["schema"].as_str().unwrap_or_default()) {
            records
                .entry(v["id"].as_str().unwrap_or_default().to_owned())
                .or_insert(i + 1);
        }
    }
    // Which entity now carries each record's FtM id.
    let mut holder: BTreeMap<&str, &str> = BTreeMap::new();
    for e in after.entities.values() {
        if let Some(ids) = e.attributes.get("ftm:id") {
            for id in ids.split("; ") {
                holder.insert(id, e.id.as_str());
            }
        }
    }
    let listed: BTreeSet<String> = summary
        .merges
        .iter()
        .flat_map(|m| m.records.iter())
        .filter_map(|r| r.split(' ').nth(1).map(str::to_owned))
        .collect();
    let mut by_entity: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
    for (id, line) in &records {
        let entity = holder
            .get(id.as_str())
            .unwrap_or_else(|| panic!("record {id} (line {line}) is in no entity"));
        by_entity.entry(entity).or_default().push((id, *line));
    }
    for (entity, recs) in by_entity {
        let existed = before.entities.contains_key(&entity.into());
        // All but one record of a new entity, and every record merged into an existing one,
        // must be listed with a reason.
        let skip = usize::from(!existed);
        for (id, line) in recs.iter().skip(skip) {
            assert!(
                listed.contains(&line.to_string()),
                "record {id} (line {line}) was merged into {entity} without being listed\n{}",
                summary.report()
            );
        }
    }
    for m in &summary.merges {
        assert!(!m.reason.is_empty());
        assert!(after.entities.contains_key(&m.into));
    }
    assert_eq!(
        after.entities.len(),
        before.entities.len() + summary.entities_added
    );
    assert_eq!(
        summary
            .merges
            .iter()
            .map(|m| m.records.len())
            .sum::<usize>(),
        summary.entities_merged
    );
}

#[test]
fn the_real_opensanctions_fixtures_merge_nothing_unlisted() {
    let mut files = vec![fixture_t1()];
    files.extend(fixture_parteispenden());
    let cases = [
        empty(),
        sample("seed_kunlun_nest.ron"),
        sample("training_strait_networks.ron"),
    ];
    for start in cases {
        let mut case = start;
        for text in &files {
            for _ in 0..2 {
                // Twice: the second time every record is the same record read again.
                let (edit, summary) = ftm::import(text, &case).expect("imports");
                let mut after = case.clone();
                after.apply(edit).expect("applies");
                assert_every_merge_is_listed(&case, &after, text, &summary);
                case = after;
            }
        }
    }
    // Both files into one case: none of the t1 sanctioned parties absorbs a donor.
    let Some(donations) = fixture_parteispenden() else {
        return;
    };
    let mut case = empty();
    let (edit, _) = ftm::import(&fixture_t1(), &case).expect("imports");
    case.apply(edit).expect("applies");
    let (edit, summary) = ftm::import(&donations, &case).expect("imports");
    assert!(
        summary
            .merges
            .iter()
            .all(|m| !m.into_origin.contains("already")),
        "{}",
        summary.report()
    );
    case.apply(edit).expect("applies");
}

#[test]
fn the_sample_cases_exported_and_imported_again_merge_nothing_unlisted() {
    for name in ["seed_kunlun_nest.ron", "training_strait_networks.ron"] {
        let case = sample(name);
        // As another FtM tool would hand it back: without Chokepoint's own records (with them
        // the case is restored item for item; see tests/export.rs).
        let mut text = String::new();
        for line in chokepoint::io::export::ftm::write(&case).text.lines() {
            let mut v: serde_json::Value = serde_json::from_str(line).expect("json");
            if let Some(obj) = v.as_object_mut() {
                obj.remove(chokepoint::io::export::ftm::PAYLOAD_FIELD);
            }
            text.push_str(&v.to_string());
            text.push('\n');
        }
        for into in [empty(), case.clone()] {
            let (edit, summary) = ftm::import(&text, &into).expect("imports");
            let mut after = into.clone();
            after.apply(edit).expect("applies");
            assert_every_merge_is_listed(&into, &after, &text, &summary);
        }
    }
}

#[test]
fn merging_a_colleagues_copy_uses_the_strict_rules_and_gives_reasons() {
    let mut mine = empty();
    let block = company("e-block-11", "Block 11", "SG");
    mine.entities.insert(block.id.clone(), block);
    let mut kestrel = company("e-kestrel", "Kestrel Freight", "SG");
    kestrel.identifiers = vec![identifier(IdentifierScheme::Registration, "201912345K")];
    mine.entities.insert(kestrel.id.clone(), kestrel.clone());
    let mut theirs = mine.clone();
    let one = company("e-block-1", "Block 1", "SG");
    theirs.entities.insert(one.id.clone(), one);
    let mut same = kestrel.clone();
    same.id = "e-kestrel-2".into();
    same.name = "KESTREL FREIGHT PTE LTD".into();
    same.identifiers.clear();
    theirs.entities.insert(same.id.clone(), same);
    let mut other = kestrel.clone();
    other.id = "e-kestrel-3".into();
    other.identifiers[0].value = "199900001A".into();
    theirs.entities.insert(other.id.clone(), other);
    let report = merge_copies(&mine, &theirs, false).expect("merges");
    assert!(report.merged.entities.contains_key(&"e-block-1".into()));
    assert!(report.merged.entities.contains_key(&"e-kestrel-3".into()));
    assert!(!report.merged.entities.contains_key(&"e-kestrel-2".into()));
    assert_eq!(report.identity_merges.len(), 1);
    assert_eq!(report.identity_merges[0].2, "same name and country (SG)");
    assert!(
        report
            .possible_matches
            .iter()
            .any(|(_, t, why)| t.as_str() == "e-kestrel-3" && why.contains("registration"))
    );
}

#[test]
fn the_summary_counts_every_value_it_did_not_carry_and_carries_what_it_can() {
    let text = r#"{"id": "p1", "schema": "Person", "properties": {"name": ["Olga Petrova"], "country": ["ru"], "nationality": ["ru", "cy"], "birthDate": ["1970-02-03", "1971"], "address": ["Ul. Lenina 1, Moscow", "12 Makarios Ave, Limassol"], "sourceUrl": ["https://example.org/olga"], "addressEntity": ["addr-not-here"], "gender": ["female"]}, "referents": ["ofac-1"], "first_seen": "2023-01-01"}
{"id": "s1", "schema": "Sanction", "properties": {"entity": ["p1"], "reason": ["Supports the war"], "sourceUrl": ["https://example.org/list#1"], "programId": ["EU-RUS"]}}
{"id": "pp1", "schema": "Passport", "properties": {"holder": ["someone-else"], "number": ["X1234567"]}}
{"id": "pp2", "schema": "Passport", "properties": {"holder": ["p1"], "number": ["75 1234567"], "country": ["ru"], "surname": ["PETROVA"]}}
"#;
    let (edit, summary) = ftm::import(text, &empty()).expect("imports");
    let mut case = empty();
    case.apply(edit).expect("applies");
    let olga = case.entities.values().next().expect("Olga");
    let report = summary.report();
    // Carried: the second nationality, the other date, the second address, the source URL.
    assert_eq!(olga.country, "RU".parse().ok());
    assert_eq!(
        olga.attributes.get("ftm:nationality").map(String::as_str),
        Some("cy")
    );
    assert_eq!(
        olga.attributes.get("ftm:birthDate").map(String::as_str),
        Some("1971")
    );
    assert_eq!(olga.address.street, "Ul. Lenina 1, Moscow");
    assert_eq!(
        olga.attributes.get("ftm:address").map(String::as_str),
        Some("12 Makarios Ave, Limassol")
    );
    assert_eq!(
        olga.attributes.get("ftm:sourceUrl").map(String::as_str),
        Some("https://example.org/olga")
    );
    assert_eq!(
        olga.attributes.get("ftm:referents").map(String::as_str),
        Some("ofac-1")
    );
    // The sanction's reason and URL are fields; what has no field is in its detail.
    let flag = &olga.flags[0];
    assert_eq!(flag.reason, "Supports the war");
    assert_eq!(flag.source_url, "https://example.org/list#1");
    assert!(flag.detail.contains("programId: EU-RUS"));
    // The passport's surname stays on its holder.
    assert!(
        olga.attributes
            .iter()
            .any(|(k, v)| k.contains("surname") && v == "PETROVA")
    );
    for field in [
        "Person.nationality",
        "Person.birthDate",
        "Person.address",
        "Person.sourceUrl",
        "Sanction.programId",
        "Passport.surname",
    ] {
        assert!(
            summary.kept_as_attributes.contains_key(field),
            "{field}\n{report}"
        );
    }
    // Not carried, with the reason: the dangling address, and the passport of no one here.
    let not = |field: &str| {
        summary
            .not_carried
            .iter()
            .filter(|((f, _), _)| f == field)
            .map(|(_, n)| n.count)
            .sum::<usize>()
    };
    assert_eq!(not("Person.addressEntity"), 1, "{report}");
    assert_eq!(not("Passport.number"), 1, "{report}");
    assert_eq!(not("Passport.holder"), 1, "{report}");
    // A dangling reference is not a record left out; the passport is.
    assert_eq!(summary.skipped.len(), 1, "{report}");
    assert!(summary.skipped[0].contains("Passport pp1"));
    assert!(
        report.contains("Person.addressEntity: 1 value names an address entity"),
        "{report}"
    );
}

#[test]
fn out_of_range_percentages_and_amounts_are_reported_one_by_one_and_kept_as_text() {
    let text = r#"{"id": "a", "schema": "Company", "properties": {"name": ["A Holding"], "country": ["de"]}}
{"id": "b", "schema": "Company", "properties": {"name": ["B Operating"], "country": ["de"]}}
{"id": "o1", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["b"], "percentage": ["150"]}}
{"id": "o2", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["b"], "percentage": ["-5"]}}
{"id": "o3", "schema": "Ownership", "properties": {"owner": ["a"], "asset": ["b"], "percentage": ["40%"]}}
{"id": "p1", "schema": "Payment", "properties": {"payer": ["a"], "beneficiary": ["b"], "amount": ["NaN"], "currency": ["eur"]}}
{"id": "p2", "schema": "Payment", "properties": {"payer": ["a"], "beneficiary": ["b"], "amount": ["1e400"], "currency": ["eur"]}}
{"id": "p3", "schema": "Payment", "properties": {"payer": ["a"], "beneficiary": ["b"], "amount": ["-1"], "currency": ["eur"]}}
{"id": "p4", "schema": "Payment", "properties": {"payer": ["a"], "beneficiary": ["b"], "amountEur": ["2500"]}}
"#;
    let (edit, summary) = ftm::import(text, &empty()).expect("imports");
    let mut case = empty();
    case.apply(edit).expect("applies");
    let report = summary.report();
    let examples = |field: &str| -> Vec<String> {
        summary
            .not_carried
            .iter()
            .filter(|((f, _), _)| f == field)
            .flat_map(|(_, n)| n.examples.clone())
            .collect()
    };
    let pct = examples("Ownership.percentage");
    assert_eq!(pct.len(), 2, "{report}");
    assert!(
        pct.iter()
            .any(|e| e.contains("line 3") && e.contains("150"))
    );
    assert!(pct.iter().any(|e| e.contains("line 4") && e.contains("-5")));
    let amounts = examples("Payment.amount");
    assert_eq!(amounts.len(), 3, "{report}");
    for (line, value) in [(6, "NaN"), (7, "1e400"), (8, "-1")] {
        assert!(
            amounts
                .iter()
                .any(|e| e.contains(&format!("line {line}")) && e.contains(value)),
            "{report}"
        );
    }
    // The text stays in the link's description; valid values are carried.
    let o1 = &case.links[&"o1".into()];
    assert_eq!(o1.kind, LinkKind::Ownership { percent: None });
    assert!(o1.description.contains("150"));
    assert_eq!(
        case.links[&"o3".into()].kind,
        LinkKind::Ownership {
            percent: Some(40.0)
        }
    );
    assert!(case.links[&"p3".into()].description.contains("-1"));
    match &case.links[&"p4".into()].kind {
        LinkKind::Payment {
            amount: Some(m), ..
        } => {
            assert_eq!((m.amount, m.currency.as_str()), (2500.0, "EUR"));
        }
        other => panic!("amountEur is an amount in EUR: {other:?}"),
    }
}

#[test]
fn two_ftm_records_with_one_id_are_united_or_the_later_is_left_out() {
    let text = r#"{"id": "bob", "schema": "Person", "properties": {"name": ["Bob Smith"], "country": ["gb"]}}
{"id": "bob", "schema": "Person", "properties": {"name": ["Robert Smith"], "birthDate": ["1960"]}}
{"id": "bob", "schema": "Company", "properties": {"name": ["Bob Smith Ltd"]}}
{"id": "acme", "schema": "Company", "properties": {"name": ["Acme"], "country": ["gb"]}}
{"id": "own", "schema": "Ownership", "properties": {"owner": ["bob"], "asset": ["acme"]}}
"#;
    let (edit, summary) = ftm::import(text, &empty()).expect("imports");
    let mut case = empty();
    case.apply(edit).expect("applies");
    assert_eq!(case.entities.len(), 2, "{}", summary.report());
    let bob = &case.entities[&"bob".into()];
    assert_eq!(bob.kind, EntityKind::Person);
    assert!(bob.aliases.contains(&"Robert Smith".to_owned()));
    assert_eq!(bob.start, "1960".parse().ok());
    assert!(summary.notes.iter().any(|n| n.contains("line 2")));
    assert!(summary.skipped.iter().any(|s| s.contains("line 3")));
    let own = &case.links[&"own".into()];
    assert_ne!(own.from, own.to, "Bob Smith does not own Bob Smith");
}

#[test]
fn unmapped_csv_columns_are_counted_by_name() {
    let text = "Shipper,Consignee,Remarks,Qty\nAcme,Kunlun,urgent,a few\nAcme,Kunlun,,8\n";
    let table = CsvTable::read(text.as_bytes(), None).expect("reads");
    let mut mapping = CsvMapping::default();
    mapping.columns.insert("Shipper".into(), Field::Shipper);
    mapping.columns.insert("Consignee".into(), Field::Consignee);
    mapping.columns.insert("Qty".into(), Field::Quantity);
    let (_, summary) =
        chokepoint::io::import::csv::import(&table, &mapping, &empty(), &Progress::new())
            .expect("imports");
    let remarks: usize = summary
        .not_carried
        .iter()
        .filter(|((f, _), _)| f == "column “Remarks”")
        .map(|(_, n)| n.count)
        .sum();
    assert_eq!(remarks, 1, "{}", summary.report());
    assert!(
        summary
            .not_carried
            .iter()
            .any(|((f, _), n)| f == "Quantity" && n.examples[0].contains("a few")),
        "{}",
        summary.report()
    );
    // Repeated parties are one entity each, and those merges are listed.
    assert_eq!(summary.entities_added, 2);
    assert_eq!(summary.merges.len(), 2, "{}", summary.report());
}
