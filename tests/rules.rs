//! The red-flag rules: every shipped rule fires on a fixture built to show its indicator and
//! stays quiet on a clean case and on near misses; the training case shows its planted flags;
//! user rules files extend the shipped ones; dismissals saved in the case apply.

#![allow(clippy::unwrap_used)]

use chokepoint::analysis::rules::{RuleSet, Severity, evaluate, finding_key};
use chokepoint::edit::{Edit, History, check_case};
use chokepoint::io::load_case;
use chokepoint::model::{
    Case, ClaimStatus, ClaimSupport, Dismissal, Entity, EntityId, EntityKind, Evidence, Flag,
    FlagKind, GoodsLine, ItemRef, Leg, Link, LinkKind, Money, PartialDate, Place, PostalAddress,
    ProductSpec, Shipment,
};
use std::collections::BTreeSet;
use std::path::Path;

fn id(s: &str) -> EntityId {
    EntityId::from(s)
}

fn date(s: &str) -> PartialDate {
    s.parse().unwrap()
}

fn place(name: &str, country: &str) -> Place {
    Place {
        name: name.into(),
        country: country.parse().ok(),
        entity: None,
    }
}

fn leg(from: &str, to: &str, day: &str) -> Leg {
    Leg {
        from: place(&format!("Port {from}"), from),
        to: place(&format!("Port {to}"), to),
        departed: Some(date(day)),
        ..Leg::default()
    }
}

fn company(id: &str, name: &str, country: &str, start: &str) -> Entity {
    let mut e = Entity::new(id, EntityKind::Company, name);
    e.country = country.parse().ok();
    e.start = Some(date(start));
    e
}

fn h100_line(quantity: f64, value_usd: f64) -> GoodsLine {
    GoodsLine {
        product: Some(id("e-gpu")),
        description: "NVIDIA H100 SXM5 GPU modules".into(),
        quantity: Some(quantity),
        unit: "pcs".into(),
        value: Some(Money {
            amount: value_usd,
            currency: "USD".into(),
        }),
        hs_code: "8473.30".into(),
        eccn: "3A090.a".into(),
        origin: "TW".parse().ok(),
    }
}

fn payment(link: &str, from: &str, to: &str, amount: f64, day: &str) -> Link {
    Link::new(
        link,
        LinkKind::Payment {
            amount: Some(Money {
                amount,
                currency: "USD".into(),
            }),
            date: Some(date(day)),
        },
        from,
        to,
    )
}

/// A legitimate trade: a US integrator sells H100 modules to a long-established Malaysian data
/// centre that pays for them itself. No rule may fire on it.
fn clean_case() -> Case {
    let mut case = Case::default();
    let mut maker = company("e-maker", "Acme Servers Inc.", "US", "2005-01-10");
    maker
        .attributes
        .insert("business".into(), "GPU server integrator".into());
    let mut buyer = company("e-buyer", "Harbourview Cloud Sdn. Bhd.", "MY", "2012-06-01");
    buyer
        .attributes
        .insert("business".into(), "Cloud hosting and data centre".into());
    buyer.attributes.insert("employees".into(), "250".into());
    let mut addr = Entity::new(
        "e-buyer-addr",
        EntityKind::Address,
        "Lot 5, Jalan Teknologi",
    );
    addr.country = "MY".parse().ok();
    addr.address = PostalAddress {
        street: "Lot 5, Jalan Teknologi".into(),
        city: "Cyberjaya".into(),
        ..PostalAddress::default()
    };
    let mut gpu = Entity::new("e-gpu", EntityKind::Product, "NVIDIA H100 SXM5 80GB");
    gpu.product = ProductSpec {
        model: "H100 SXM5 80GB".into(),
        eccn: "3A090.a".into(),
        hs_code: "8473.30".into(),
    };
    let fwd = company(
        "e-fwd",
        "Swift Cargo Forwarding Pte. Ltd.",
        "SG",
        "2001-01-01",
    );
    let other = company("e-other", "Bintang Research Sdn. Bhd.", "MY", "2010-01-01");
    let mut edits: Vec<Edit> = [maker, buyer, addr, gpu, fwd, other]
        .into_iter()
        .map(|e| Edit::Insert(e.into()))
        .collect();
    edits.push(Edit::Insert(
        Link::new(
            "l-loc-buyer",
            LinkKind::LocatedAt,
            "e-buyer",
            "e-buyer-addr",
        )
        .into(),
    ));
    edits.push(Edit::Insert(
        payment("l-pay-1", "e-buyer", "e-maker", 3_000_000.0, "2024-03-01").into(),
    ));
    edits.push(Edit::Insert(
        payment("l-pay-2", "e-buyer", "e-maker", 1_500_000.0, "2024-06-01").into(),
    ));
    for (sid, day, q) in [("s-1", "2024-03-05", 100.0), ("s-2", "2024-06-10", 50.0)] {
        edits.push(Edit::Insert(
            Shipment {
                id: sid.into(),
                reference: format!("INV-{sid}"),
                shipper: Some(id("e-maker")),
                consignee: Some(id("e-buyer")),
                declared_end_user: Some(id("e-buyer")),
                forwarders: vec![id("e-fwd")],
                legs: vec![leg("US", "MY", day)],
                goods: vec![h100_line(q, q * 30_000.0)],
                ..Shipment::default()
            }
            .into(),
        ));
    }
    case.apply(Edit::Batch(edits)).unwrap();
    case
}

/// The day the tests judge cases on: fixed, so results never depend on the clock.
fn today() -> chokepoint::model::PartialDate {
    "2025-06-01".parse().expect("a date")
}

fn rules() -> RuleSet {
    RuleSet::builtin().unwrap_or_else(|e| panic!("{e}"))
}

/// Rule ids that fire on `case`, after checking the case is still valid.
fn fired(case: &Case) -> BTreeSet<String> {
    let errors = check_case(case);
    assert!(errors.is_empty(), "fixture invalid: {errors:?}");
    evaluate(case, &rules(), &today())
        .into_iter()
        .map(|f| f.rule_id)
        .collect()
}

fn fixture(change: impl FnOnce(&mut Case)) -> Case {
    let mut case = clean_case();
    change(&mut case);
    case
}

fn add(case: &mut Case, e: Entity) {
    case.entities.insert(e.id.clone(), e);
}

fn add_link(case: &mut Case, l: Link) {
    case.links.insert(l.id.clone(), l);
}

fn s1(case: &mut Case) -> &mut Shipment {
    case.shipments.get_mut(&"s-1".into()).unwrap()
}

fn buyer(case: &mut Case) -> &mut Entity {
    case.entities.get_mut(&id("e-buyer")).unwrap()
}

/// Asserts that `rule` fires on every case in `fires` and on none in `quiet`.
fn check_rule(rule: &str, fires: &[Case], quiet: &[Case]) {
    assert!(
        rules().rules.iter().any(|r| r.id == rule),
        "no shipped rule {rule}"
    );
    for (i, case) in fires.iter().enumerate() {
        assert!(
            fired(case).contains(rule),
            "{rule} should fire on fixture {i}"
        );
    }
    for (i, case) in quiet.iter().enumerate() {
        let got = fired(case);
        assert!(
            !got.contains(rule),
            "{rule} should not fire on near miss {i}"
        );
    }
}

#[test]
fn the_clean_case_raises_nothing() {
    let found = evaluate(&clean_case(), &rules(), &today());
    assert!(
        found.is_empty(),
        "{:#?}",
        found.iter().map(|f| &f.explanation).collect::<Vec<_>>()
    );
}

#[test]
fn controlled_item_to_a_d5_party_or_one_owned_from_there() {
    let suspected_in = |country: &str| {
        fixture(|c| {
            add(c, company("e-lab", "Far Lab", country, "2015-01-01"));
            s1(c).suspected_end_user = Some(id("e-lab"));
        })
    };
    let owned = |percent: f64| {
        fixture(|c| {
            add(c, company("e-parent", "Parent Group", "CN", "2000-01-01"));
            add_link(
                c,
                Link::new(
                    "l-own",
                    LinkKind::Ownership {
                        percent: Some(percent),
                    },
                    "e-parent",
                    "e-buyer",
                ),
            );
        })
    };
    let routed_to_macau = fixture(|c| s1(c).legs = vec![leg("US", "MO", "2024-03-05")]);
    let uncontrolled = fixture(|c| {
        add(c, company("e-lab", "Far Lab", "CN", "2015-01-01"));
        let s = s1(c);
        s.suspected_end_user = Some(id("e-lab"));
        s.goods[0].product = None;
        s.goods[0].eccn = "5A992.c".into();
    });
    check_rule(
        "controlled-item-to-d5-party",
        &[suspected_in("CN"), owned(60.0), routed_to_macau],
        &[suspected_in("MY"), owned(10.0), uncontrolled],
    );
}

#[test]
fn transit_hub_to_a_restricted_destination() {
    let via = |end: &str| {
        fixture(|c| {
            s1(c).legs = vec![leg("US", "SG", "2024-03-05"), leg("SG", end, "2024-03-09")];
        })
    };
    let direct = fixture(|c| s1(c).legs = vec![leg("US", "HK", "2024-03-05")]);
    check_rule(
        "transit-hub-to-restricted-destination",
        &[via("HK"), via("CN")],
        &[via("MY"), direct],
    );
}

#[test]
fn payer_in_another_country() {
    let paid_from_hk = |amount: f64, day: &str| {
        fixture(|c| {
            add(
                c,
                company("e-payer", "Offshore Payer Ltd", "HK", "2015-01-01"),
            );
            c.links.remove(&"l-pay-1".into());
            add_link(c, payment("l-pay-hk", "e-payer", "e-maker", amount, day));
        })
    };
    let paid_from_my = fixture(|c| {
        add(
            c,
            company("e-payer", "Local Parent Bhd", "MY", "2000-01-01"),
        );
        add_link(
            c,
            payment("l-pay-my", "e-payer", "e-maker", 3_000_000.0, "2024-03-02"),
        );
    });
    check_rule(
        "payer-country-differs",
        &[
            paid_from_hk(3_000_000.0, "2024-03-01"),
            paid_from_hk(3_050_000.0, "2024-04-20"),
        ],
        &[
            paid_from_hk(10_000.0, "2024-03-01"),
            paid_from_hk(3_000_000.0, "2023-01-01"),
            paid_from_my,
        ],
    );
}

#[test]
fn freight_forwarder_as_final_consignee() {
    let forwarder_consignee = fixture(|c| {
        let s = s1(c);
        s.consignee = Some(id("e-fwd"));
        s.forwarders.clear();
    });
    let tagged = fixture(|c| {
        let mut e = company("e-kf", "Kestrel Holdings", "SG", "2001-01-01");
        e.tags.push("Forwarder".into());
        add(c, e);
        s1(c).consignee = Some(id("e-kf"));
    });
    check_rule(
        "forwarder-as-final-consignee",
        &[forwarder_consignee, tagged],
        &[clean_case()],
    );
}

#[test]
fn residential_or_vague_consignee_address() {
    let residential = fixture(|c| {
        c.entities
            .get_mut(&id("e-buyer-addr"))
            .unwrap()
            .address
            .residential = true;
    });
    let vague = fixture(|c| {
        c.links.remove(&"l-loc-buyer".into());
    });
    let flagged_refuted = fixture(|c| {
        buyer(c).flags.push(Flag {
            kind: FlagKind::ResidentialAddress,
            detail: "checked: an office".into(),
            status: ClaimStatus::Refuted,
            ..Flag::default()
        });
    });
    check_rule(
        "residential-or-vague-consignee-address",
        &[residential, vague],
        &[clean_case(), flagged_refuted],
    );
}

#[test]
fn new_company_with_a_large_first_order() {
    let formed = |day: &str| fixture(|c| buyer(c).start = Some(date(day)));
    let small_first = fixture(|c| {
        buyer(c).start = Some(date("2023-05-01"));
        let s = s1(c);
        s.goods = vec![h100_line(2.0, 60_000.0)];
    });
    check_rule(
        "new-company-large-first-order",
        &[formed("2023-05-01")],
        &[formed("2021-01-01"), small_first],
    );
    // Only the first order counts.
    let found = evaluate(&formed("2023-05-01"), &rules(), &today());
    let keys: Vec<&str> = found
        .iter()
        .filter(|f| f.rule_id == "new-company-large-first-order")
        .map(|f| f.key.as_str())
        .collect();
    assert_eq!(keys, ["new-company-large-first-order:shipment=s-1"]);
}

#[test]
fn declared_and_suspected_end_users_differ() {
    let differ = fixture(|c| s1(c).suspected_end_user = Some(id("e-other")));
    let same = fixture(|c| s1(c).suspected_end_user = Some(id("e-buyer")));
    check_rule(
        "declared-end-user-differs",
        &[differ],
        &[same, clean_case()],
    );
}

#[test]
fn hs_code_or_description_inconsistent() {
    let hs = fixture(|c| s1(c).goods[0].hs_code = "8504.40".into());
    let description = fixture(|c| s1(c).goods[0].description = "Adapter modules".into());
    let unrelated = fixture(|c| s1(c).goods[0].description = "Packing crates".into());
    let same_heading = fixture(|c| s1(c).goods[0].hs_code = "8473.30.1000".into());
    let model_named = fixture(|c| s1(c).goods[0].description = "H100 boards, used".into());
    check_rule(
        "hs-code-or-description-inconsistent",
        &[hs, description, unrelated],
        &[same_heading, model_named],
    );
}

#[test]
fn dormant_company_reactivated() {
    let flagged = fixture(|c| {
        buyer(c).flags.push(Flag {
            kind: FlagKind::Dormant,
            detail: "nil returns 2016–2022".into(),
            status: ClaimStatus::Proven,
            ..Flag::default()
        });
    });
    let taken_over = |day: &str| {
        fixture(|c| {
            add(
                c,
                company("e-new-owner", "New Owner Ltd", "MY", "2000-01-01"),
            );
            let mut l = Link::new(
                "l-own-new",
                LinkKind::Ownership {
                    percent: Some(60.0),
                },
                "e-new-owner",
                "e-buyer",
            );
            l.start = Some(date(day));
            add_link(c, l);
        })
    };
    check_rule(
        "dormant-company-reactivated",
        &[flagged, taken_over("2024-01-10")],
        &[taken_over("2019-01-10"), clean_case()],
    );
}

#[test]
fn quantities_out_of_scale_with_the_business() {
    let tiny = fixture(|c| {
        buyer(c).attributes.insert("employees".into(), "3".into());
    });
    let unrelated_business = fixture(|c| {
        buyer(c)
            .attributes
            .insert("business".into(), "Garment wholesale".into());
    });
    let small_orders = fixture(|c| {
        buyer(c)
            .attributes
            .insert("business".into(), "Garment wholesale".into());
        for s in c.shipments.values_mut() {
            s.goods = vec![h100_line(1.0, 30_000.0)];
        }
    });
    check_rule(
        "quantities-out-of-scale",
        &[tiny, unrelated_business],
        &[small_orders, clean_case()],
    );
}

#[test]
fn consignee_not_found_at_its_address() {
    let flag = |status| {
        fixture(move |c| {
            buyer(c).flags.push(Flag {
                kind: FlagKind::Other("Not found at stated address".into()),
                detail: "empty unit".into(),
                status,
                ..Flag::default()
            });
        })
    };
    check_rule(
        "consignee-not-at-address",
        &[flag(ClaimStatus::Corroborated)],
        &[flag(ClaimStatus::Refuted), clean_case()],
    );
}

#[test]
fn relabelled_or_misdeclared_goods() {
    // The buyer re-exports some of the modules it received.
    let re_export = |origin: &str, unit_value: f64| {
        fixture(move |c| {
            add(c, company("e-next", "Onward Buyer Ltd", "TH", "2010-01-01"));
            let mut line = h100_line(10.0, 10.0 * unit_value);
            line.origin = origin.parse().ok();
            c.shipments.insert(
                "s-3".into(),
                Shipment {
                    id: "s-3".into(),
                    reference: "RE-EXPORT".into(),
                    shipper: Some(id("e-buyer")),
                    consignee: Some(id("e-next")),
                    legs: vec![leg("MY", "TH", "2024-07-01")],
                    goods: vec![line],
                    ..Shipment::default()
                },
            );
        })
    };
    let evidence_says = fixture(|c| {
        c.evidence.insert(
            "ev-1".into(),
            Evidence {
                id: "ev-1".into(),
                title: "Interview".into(),
                supports: vec![ClaimSupport {
                    target: Some(ItemRef::Shipment("s-1".into())),
                    claim: "goods were relabelled".into(),
                    ..ClaimSupport::default()
                }],
                ..Evidence::default()
            },
        );
    });
    // A forwarder flagged for repackaging the goods (a logistics firm moving serial labels).
    let repackager = |status| {
        fixture(move |c| {
            let mut f = company("e-pack", "Pack Logistics", "MY", "2012-01-01");
            f.flags.push(Flag {
                kind: FlagKind::Other("repackaged servers; serial labels moved".into()),
                status,
                ..Flag::default()
            });
            add(c, f);
            s1(c).forwarders.push(id("e-pack"));
        })
    };
    check_rule(
        "relabelled-or-misdeclared-goods",
        &[
            re_export("MY", 30_000.0),
            re_export("TW", 300.0),
            evidence_says,
            repackager(ClaimStatus::Reported),
        ],
        &[
            re_export("TW", 30_000.0),
            clean_case(),
            repackager(ClaimStatus::Refuted),
        ],
    );
}

#[test]
fn listed_party_in_shipments() {
    let listed = |status| {
        fixture(move |c| {
            let mut lab = company("e-lab", "Listed Lab", "MY", "2015-01-01");
            lab.flags.push(Flag {
                kind: FlagKind::Listed,
                detail: "Entity List".into(),
                status,
                ..Flag::default()
            });
            add(c, lab);
            s1(c).suspected_end_user = Some(id("e-lab"));
        })
    };
    let listed_bystander = fixture(|c| {
        let mut lab = company("e-lab", "Listed Lab", "MY", "2015-01-01");
        lab.flags.push(Flag::default());
        add(c, lab);
    });
    check_rule(
        "listed-party-in-shipments",
        &[listed(ClaimStatus::Proven)],
        &[listed(ClaimStatus::Refuted), listed_bystander],
    );
}

#[test]
fn front_or_shell_company_in_shipments() {
    let flagged = |kind: FlagKind, status| {
        fixture(move |c| {
            let mut front = company("e-front", "Front Realty LLC", "US", "2015-01-01");
            front.flags.push(Flag {
                kind: kind.clone(),
                status,
                ..Flag::default()
            });
            add(c, front);
            s1(c).forwarders.push(id("e-front"));
        })
    };
    let bystander = fixture(|c| {
        let mut front = company("e-front", "Front Realty LLC", "US", "2015-01-01");
        front.flags.push(Flag {
            kind: FlagKind::ShellCompany,
            status: ClaimStatus::Reported,
            ..Flag::default()
        });
        add(c, front);
    });
    check_rule(
        "front-or-shell-company-in-shipments",
        &[
            flagged(FlagKind::SuspectedFront, ClaimStatus::Reported),
            flagged(FlagKind::ShellCompany, ClaimStatus::Alleged),
            flagged(
                FlagKind::Other("pass-through company".into()),
                ClaimStatus::Reported,
            ),
        ],
        &[
            flagged(FlagKind::SuspectedFront, ClaimStatus::Refuted),
            flagged(FlagKind::Dormant, ClaimStatus::Reported),
            bystander,
        ],
    );
}

#[test]
fn every_shipped_rule_has_a_fixture() {
    // The tests above cover these ids; a new shipped rule needs its own test.
    let covered = [
        "controlled-item-to-d5-party",
        "transit-hub-to-restricted-destination",
        "payer-country-differs",
        "forwarder-as-final-consignee",
        "residential-or-vague-consignee-address",
        "new-company-large-first-order",
        "declared-end-user-differs",
        "hs-code-or-description-inconsistent",
        "dormant-company-reactivated",
        "quantities-out-of-scale",
        "consignee-not-at-address",
        "relabelled-or-misdeclared-goods",
        "front-or-shell-company-in-shipments",
        "listed-party-in-shipments",
    ];
    let set = rules();
    let shipped: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(shipped, covered);
    assert!(shipped.len() >= 12);
}

#[test]
fn training_case_shows_its_planted_red_flags() {
    let case = load_case(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cases/training_strait_networks.ron"),
    )
    .unwrap();
    let found = evaluate(&case, &rules(), &today());
    let has = |rule: &str, subject: &str| {
        found
            .iter()
            .any(|f| f.rule_id == rule && f.subject.id_str() == subject)
    };
    assert!(has("new-company-large-first-order", "s-hx-23-0917"));
    assert!(has(
        "residential-or-vague-consignee-address",
        "s-hx-23-0917"
    ));
    assert!(has(
        "dormant-company-reactivated",
        "e-orchid-bay-technology"
    ));
    assert!(has("payer-country-differs", "s-hx-23-0917"));
    assert!(has("payer-country-differs", "s-cp-23-1205"));
    assert!(has("forwarder-as-final-consignee", "s-obt-24-0219"));
    assert!(has("hs-code-or-description-inconsistent", "s-obt-24-0219"));
    assert!(has("relabelled-or-misdeclared-goods", "s-obt-24-0219"));
    assert!(has("relabelled-or-misdeclared-goods", "s-obt-23-1104"));
    assert!(has("declared-end-user-differs", "s-hx-23-0917"));
    assert!(has("consignee-not-at-address", "e-orchid-bay-technology"));
    assert!(has("quantities-out-of-scale", "e-lumen-strait-trading"));
    assert!(has(
        "transit-hub-to-restricted-destination",
        "s-obt-24-0219"
    ));
    assert!(has("controlled-item-to-d5-party", "s-obt-23-1104"));
    assert!(has(
        "listed-party-in-shipments",
        "e-silverline-pacific-trading"
    ));
    let rules_hit: BTreeSet<&str> = found.iter().map(|f| f.rule_id.as_str()).collect();
    assert_eq!(rules_hit.len(), rules().rules.len(), "{rules_hit:?}");

    // The genuine delivery to the data centre is a control: no rule singles it out.
    assert!(
        !found.iter().any(|f| f.subject.id_str() == "s-cp-24-0410"),
        "{:?}",
        found
            .iter()
            .filter(|f| f.subject.id_str() == "s-cp-24-0410")
            .map(|f| &f.rule_id)
            .collect::<Vec<_>>()
    );

    // Explanations name the parties in plain words, and evidence comes along.
    let f = found
        .iter()
        .find(|f| f.rule_id == "payer-country-differs" && f.subject.id_str() == "s-hx-23-0917")
        .unwrap();
    assert!(
        f.explanation.contains("Jadeite Harbour Holdings Limited"),
        "{}",
        f.explanation
    );
    assert!(
        f.explanation.contains("Singapore (SG)"),
        "{}",
        f.explanation
    );
    assert!(
        f.items
            .contains(&ItemRef::Link("l-pay-jadeite-halvorsen-2023-09".into()))
    );
    assert!(f.evidence.contains(&"ev-invoice-hx-23-0917".into()));
    let f = found
        .iter()
        .find(|f| {
            f.rule_id == "relabelled-or-misdeclared-goods" && f.subject.id_str() == "s-obt-24-0219"
        })
        .unwrap();
    assert!(f.evidence.contains(&"ev-interview-kg1".into()));
    assert!(f.explanation.contains("Taiwan (TW)"), "{}", f.explanation);

    // Most severe first; deterministic.
    assert!(found.windows(2).all(|w| w[0].severity >= w[1].severity));
    assert_eq!(found[0].severity, Severity::Critical);
    assert_eq!(found, evaluate(&case, &rules(), &today()));
    for f in &found {
        println!("[{}] {} — {}", f.severity.label(), f.title, f.subject);
    }
}

#[test]
fn a_dismissal_is_saved_in_the_case_and_undone() {
    let mut case = fixture(|c| s1(c).suspected_end_user = Some(id("e-other")));
    let key = finding_key(
        "declared-end-user-differs",
        &ItemRef::Shipment("s-1".into()),
    );
    let mut history = History::default();
    history
        .apply(
            &mut case,
            "Dismiss finding",
            Edit::SetDismissal {
                finding: key.clone(),
                dismissal: Some(Box::new(Dismissal {
                    finding: key.clone(),
                    reason: "The research lab is the buyer's own subsidiary".into(),
                    author: "Analyst".into(),
                    at: None,
                })),
            },
        )
        .unwrap();
    let f = evaluate(&case, &rules(), &today())
        .into_iter()
        .find(|f| f.key == key)
        .unwrap();
    assert_eq!(
        f.dismissed.as_deref(),
        Some("The research lab is the buyer's own subsidiary")
    );
    // Saved with the case.
    let text = chokepoint::io::case_to_ron(&case).unwrap();
    assert!(text.contains("dismissals"));
    let reloaded = chokepoint::io::parse_case(&text).unwrap();
    assert_eq!(reloaded.dismissals, case.dismissals);
    history.undo(&mut case).unwrap();
    assert!(case.dismissals.is_empty());
    let f = evaluate(&case, &rules(), &today())
        .into_iter()
        .find(|f| f.key == key)
        .unwrap();
    assert!(f.dismissed.is_none());
}

#[test]
fn a_user_rules_file_extends_and_overrides_the_shipped_rules() {
    let mut set = rules();
    let shipped = set.rules.len();
    set.extend_from_ron(
        r#"(
          groups: { "my_watch": (name: "My watch list countries", countries: ["TH"]) },
          rules: [
            (
              id: "thai-consignee",
              title: "Consignee in Thailand",
              severity: Low,
              scope: Shipment,
              when: Party(roles: [Consignee], test: CountryIn("my_watch")),
              explain: "{consignee} is on my watch list.",
            ),
            (
              id: "declared-end-user-differs",
              title: "End users differ (switched off)",
              severity: Info,
              scope: Shipment,
              when: EndUsersDiffer,
              enabled: false,
            ),
          ],
        )"#,
        "my_rules.ron",
    )
    .unwrap();
    assert_eq!(set.rules.len(), shipped + 1);
    let case = fixture(|c| {
        add(
            c,
            company("e-th", "Bangkok Buyer Co., Ltd.", "TH", "2001-01-01"),
        );
        let s = s1(c);
        s.consignee = Some(id("e-th"));
        s.suspected_end_user = Some(id("e-other"));
    });
    let found = evaluate(&case, &set, &today());
    let ids: BTreeSet<&str> = found.iter().map(|f| f.rule_id.as_str()).collect();
    assert!(ids.contains("thai-consignee"), "{ids:?}");
    assert!(!ids.contains("declared-end-user-differs"));
    let thai = found
        .iter()
        .find(|f| f.rule_id == "thai-consignee")
        .unwrap();
    assert!(
        thai.explanation
            .starts_with("Bangkok Buyer Co., Ltd. is on my watch list.")
    );

    // Mistakes are reported with the file and position, and leave the set as it was.
    let before = set.clone();
    let err = set
        .extend_from_ron(
            "(rules: [(id: \"x\", title: \"x\", severity: Loud)])",
            "bad.ron",
        )
        .unwrap_err();
    assert!(err.to_string().starts_with("bad.ron:1:"), "{err}");
    let err = set
        .extend_from_ron(
            r#"(rules: [(id: "x", title: "x", severity: Low, scope: Entity, when: Entity(CountryIn("nowhere")))])"#,
            "bad.ron",
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("unknown group \"nowhere\""),
        "{err}"
    );
    assert_eq!(set, before);
}

#[test]
fn shipped_rules_and_groups_are_data() {
    let set = rules();
    let d5 = set.group("d5_or_macau").unwrap();
    for c in ["CN", "RU", "IR", "KP", "MO", "HK"] {
        assert!(d5.contains(c), "{c}");
    }
    assert!(!d5.contains("SG"));
    assert!(set.group("transit_hubs").unwrap().contains("MY"));
    assert_eq!(set.country_label("SG"), "Singapore (SG)");
    // Every rule says where its indicator comes from and explains itself.
    for r in &set.rules {
        assert!(!r.indicator.is_empty() && !r.explain.is_empty(), "{}", r.id);
    }
}
