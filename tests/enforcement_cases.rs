//! Public enforcement cases (`../shared/domain/EXPORT_CONTROLS.md`), written up as an analyst
//! would from the published facts, one shipments CSV each in `tests/fixtures/enforcement/`
//! with the header styles such sheets use (BOL extract capitals, plain words, camelCase).
//! Each is imported with the guessed mapping, as a user would, and the red flags an analyst
//! names from the facts must fire. Allegations stay allegations: the rows are *Reported*.

use chokepoint::analysis::rules::{RuleSet, evaluate};
use chokepoint::io::import::csv::{self, CsvMapping, CsvTable, RowKind};
use chokepoint::layout::Progress;
use chokepoint::model::{Case, ClaimStatus, PartialDate};
use std::collections::BTreeSet;

/// The case a user gets by importing `file` with the mapping Chokepoint guesses.
fn imported(file: &str) -> Case {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/enforcement")
        .join(file);
    let bytes = std::fs::read(&path).expect("fixture");
    let table = CsvTable::read(&bytes, None).expect("reads");
    let mapping = CsvMapping::guess(&table.headers, RowKind::Shipments);
    let unmapped: Vec<&String> = table
        .headers
        .iter()
        .filter(|h| !mapping.columns.contains_key(*h))
        .collect();
    assert!(
        unmapped.is_empty(),
        "{file}: headers not guessed: {unmapped:?}"
    );
    let mut case = Case::default();
    let (edit, summary) = csv::import(&table, &mapping, &case, &Progress::new()).expect("imports");
    case.apply(edit).expect("applies");
    assert!(summary.shipments_added > 0, "{}", summary.report());
    assert!(
        case.shipments
            .values()
            .all(|s| s.claim == ClaimStatus::Reported)
    );
    case
}

fn fired(case: &Case) -> BTreeSet<String> {
    let rules = RuleSet::builtin().expect("rules");
    let today: PartialDate = "2026-12-01".parse().expect("date");
    evaluate(case, &rules, &today)
        .into_iter()
        .map(|f| f.rule_id)
        .collect()
}

fn assert_fires(case: &Case, expected: &[&str]) {
    let fired = fired(case);
    let missing: Vec<&&str> = expected.iter().filter(|r| !fired.contains(**r)).collect();
    assert!(
        missing.is_empty(),
        "red flags an analyst names that did not fire: {missing:?}; fired: {fired:?}"
    );
}

/// US v. Ho, Raymond, Li and Chen (M.D. Fla., 2025): a Tampa real-estate company as a front,
/// A100 GPUs to China through Malaysia and Thailand, paid by wire from China.
#[test]
fn us_v_ho_front_company_transit_and_a_payer_in_china() {
    let case = imported("us_v_ho_2025.csv");
    assert_fires(
        &case,
        &[
            "controlled-item-to-d5-party",
            "transit-hub-to-restricted-destination",
            "payer-country-differs",
            "front-or-shell-company-in-shipments",
        ],
    );
    // The product is a product, with its classification; the payer is a payment's payer.
    let a100 = case
        .entities
        .values()
        .find(|e| e.name == "NVIDIA A100")
        .expect("the product");
    assert_eq!(a100.kind, chokepoint::model::EntityKind::Product);
    assert_eq!(a100.product.eccn, "3A090");
    assert!(case.links.values().any(|l| {
        matches!(l.kind, chokepoint::model::LinkKind::Payment { .. })
            && case.entities[&l.from]
                .country
                .as_ref()
                .map(ToString::to_string)
                == Some("CN".to_owned())
    }));
    // The route leaves from the shipper's country, through both transit countries.
    let first = case.shipments.values().next().expect("a shipment");
    assert_eq!(first.route_summary(), "US → MY → TH → CN");
}

/// The Singapore server fraud (charged 2025-02-27): servers bought for a false end user
/// ("Luxuriate Your Life") through a Singapore company and moved on to Malaysia.
#[test]
fn singapore_server_fraud_false_end_user() {
    let case = imported("singapore_server_fraud_2025.csv");
    assert_fires(&case, &["declared-end-user-differs"]);
    let s = case.shipments.values().next().expect("a shipment");
    let name = |id: &Option<chokepoint::model::EntityId>| {
        id.as_ref().map(|id| case.entities[id].name.clone())
    };
    assert_eq!(
        name(&s.declared_end_user).as_deref(),
        Some("Luxuriate Your Life")
    );
    assert!(s.suspected_end_user.is_some());
}

/// US v. Liaw, Chang and Sun (S.D.N.Y., 2026): B200/H200 servers to China through a
/// South-East Asian pass-through company, repackaged and relabelled by a logistics firm.
#[test]
fn us_v_liaw_pass_through_company_and_relabelled_servers() {
    let case = imported("us_v_liaw_2026.csv");
    assert_fires(
        &case,
        &[
            "controlled-item-to-d5-party",
            "front-or-shell-company-in-shipments",
            "relabelled-or-misdeclared-goods",
        ],
    );
    let s = case.shipments.values().next().expect("a shipment");
    assert_eq!(s.forwarders.len(), 1, "the logistics firm is the forwarder");
}

/// The patterns `EXPORT_CONTROLS.md` lists from reported enforcement cases, one row each, with
/// fictional parties (a composite, not one case): a forwarder as the final consignee, a dormant
/// company suddenly active and not found at its address, a newly formed company placing a
/// large first order, a payer in Hong Kong or China for a Singapore or Malaysia consignee, and
/// goods declared as something else.
#[test]
fn the_reported_patterns_fire_from_an_analysts_sheet() {
    let case = imported("reported_patterns_composite.csv");
    assert_fires(
        &case,
        &[
            "forwarder-as-final-consignee",
            "dormant-company-reactivated",
            "consignee-not-at-address",
            "new-company-large-first-order",
            "payer-country-differs",
            "hs-code-or-description-inconsistent",
        ],
    );
}
