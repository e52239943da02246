//! Sanctions as imported from `FollowTheMoney` (issue #14 item 4): a listing keeps its
//! authority, programme, start and end dates, reason and source URL; it is reported by its
//! authority, never proven; once its end date has passed it reads "formerly sanctioned" and
//! raises no listed-party finding, judged on the day the caller passes in.

use chokepoint::analysis::{RuleSet, evaluate};
use chokepoint::io::import::ftm;
use chokepoint::io::load_case;
use chokepoint::model::{
    Case, ClaimStatus, FlagKind, GoodsLine, Leg, PartialDate, Place, Shipment, Timestamp,
};
use std::collections::BTreeSet;
use std::path::Path;

fn empty() -> Case {
    Case::new_untitled(Timestamp::default())
}

fn sample(name: &str) -> Case {
    load_case(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample_cases")
            .join(name),
    )
    .expect("sample case loads")
}

const SANCTIONS: &str = r#"{"id": "c1", "schema": "Company", "properties": {"name": ["Ended Trading Ltd"], "country": ["hk"]}}
{"id": "c2", "schema": "Company", "properties": {"name": ["Current Trading Ltd"], "country": ["hk"]}}
{"id": "s1", "schema": "Sanction", "properties": {"entity": ["c1"], "authority": ["US Department of Commerce (BIS)"], "program": ["Entity List"], "startDate": ["2019-05-16"], "endDate": ["2021-03-01"], "reason": ["Acting contrary to US national security interests"], "sourceUrl": ["https://www.federalregister.gov/d/2019-10616"], "provisions": ["License requirement for all items"]}}
{"id": "s2", "schema": "Sanction", "properties": {"entity": ["c2"], "authority": ["US Department of Commerce (BIS)"], "program": ["Entity List"], "listingDate": ["2022-10-07"]}}
"#;

fn case_with_sanctions() -> Case {
    let mut case = empty();
    let (edit, _) = ftm::import(SANCTIONS, &case).expect("imports");
    case.apply(edit).expect("applies");
    // Both receive a shipment of GPUs.
    let mut n = 0;
    let ids: Vec<_> = case.entities.keys().cloned().collect();
    for id in ids {
        n += 1;
        let s = Shipment {
            id: format!("s-{n}").as_str().into(),
            reference: format!("BL-{n}"),
            consignee: Some(id),
            legs: vec![Leg {
                from: Place {
                    name: "Singapore".into(),
                    country: "SG".parse().ok(),
                    entity: None,
                },
                to: Place {
                    name: "Hong Kong".into(),
                    country: "HK".parse().ok(),
                    entity: None,
                },
                departed: "2024-03".parse().ok(),
                ..Leg::default()
            }],
            goods: vec![GoodsLine {
                description: "GPU servers".into(),
                ..GoodsLine::default()
            }],
            ..Shipment::default()
        };
        case.shipments.insert(s.id.clone(), s);
    }
    case
}

#[test]
fn an_ended_sanction_is_reported_with_its_facts_and_raises_no_listed_party_finding() {
    let case = case_with_sanctions();
    let ended = case
        .entities
        .values()
        .find(|e| e.name.starts_with("Ended"))
        .expect("c1");
    let flag = ended
        .flags
        .iter()
        .find(|f| f.kind == FlagKind::Sanctioned)
        .expect("a sanction flag");
    assert_eq!(flag.status, ClaimStatus::Reported, "reported, never proven");
    assert_eq!(flag.authority, "US Department of Commerce (BIS)");
    assert_eq!(flag.program, "Entity List");
    assert_eq!(flag.start, "2019-05-16".parse().ok());
    assert_eq!(flag.end, "2021-03-01".parse().ok());
    assert_eq!(
        flag.reason,
        "Acting contrary to US national security interests"
    );
    assert_eq!(
        flag.source_url,
        "https://www.federalregister.gov/d/2019-10616"
    );
    // What has no field of its own is in the detail.
    assert!(
        flag.detail.contains("provisions: License requirement"),
        "{}",
        flag.detail
    );
    let today: PartialDate = "2025-06-01".parse().expect("date");
    assert!(flag.ended(&today));
    assert_eq!(flag.label_on(&today), "Formerly sanctioned");
    let current = case
        .entities
        .values()
        .find(|e| e.name.starts_with("Current"))
        .expect("c2");
    assert_eq!(current.flags[0].start, "2022-10-07".parse().ok());

    let rules = RuleSet::builtin().expect("rules");
    let listed = |today: &str| -> BTreeSet<String> {
        evaluate(&case, &rules, &today.parse().expect("date"))
            .into_iter()
            .filter(|f| f.rule_id == "listed-party-in-shipments")
            .map(|f| case.item_label(&f.subject))
            .collect()
    };
    assert_eq!(
        listed("2025-06-01"),
        BTreeSet::from(["Current Trading Ltd".to_owned()])
    );
    // While it was in force, it counted: "today" is an argument, not the clock.
    assert_eq!(listed("2020-01-01").len(), 2);
    // The end day itself still counts; the day after, it has ended.
    assert_eq!(listed("2021-03-01").len(), 2);
    assert_eq!(listed("2021-03-02").len(), 1);

    // The report says "formerly" and keeps the facts.
    let report = chokepoint::io::report::write(
        &case,
        &chokepoint::io::report::ReportOptions {
            generated: "2025-06-01T00:00:00Z".parse().expect("timestamp"),
            findings: false,
            ..chokepoint::io::report::ReportOptions::default()
        },
    );
    assert!(report.contains("Formerly sanctioned (Entity List — US Department of Commerce (BIS), listed 2019-05-16 until 2021-03-01"), "{report}");
}

#[test]
fn listing_facts_survive_save_load_and_an_ftm_round_trip_and_old_files_still_load() {
    let case = case_with_sanctions();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("c.ron");
    chokepoint::io::save_case(&path, &case).expect("save");
    assert_eq!(load_case(&path).expect("load"), case);
    let export = chokepoint::io::export::ftm::write(&case);
    let (edit, _) = ftm::import(&export.text, &empty()).expect("re-imports");
    let mut back = empty();
    back.apply(edit).expect("applies");
    let flag = |c: &Case, name: &str| {
        c.entities
            .values()
            .find(|e| e.name == name)
            .and_then(|e| e.flags.first().cloned())
            .expect("flag")
    };
    let (a, b) = (
        flag(&case, "Ended Trading Ltd"),
        flag(&back, "Ended Trading Ltd"),
    );
    assert_eq!(
        (
            &a.authority,
            &a.program,
            &a.start,
            &a.end,
            &a.reason,
            &a.source_url
        ),
        (
            &b.authority,
            &b.program,
            &b.start,
            &b.end,
            &b.reason,
            &b.source_url
        )
    );
    // Flags written before these fields existed (the training case's) still load.
    let old = sample("training_strait_networks.ron");
    let flags: Vec<_> = old.entities.values().flat_map(|e| &e.flags).collect();
    assert!(!flags.is_empty());
    assert!(
        flags
            .iter()
            .all(|f| f.end.is_none() && f.authority.is_empty())
    );
}
