//! The edit path under random use: plausible and deliberately invalid edits built from the
//! current state of a generated case, applied through `History`, then undone and redone in full.
//! Refused edits must leave the case exactly as it was; undo must give back the original case and
//! redo the edited one.

#![allow(clippy::unwrap_used)]

use chokepoint::edit::{Edit, EditError, History, ValidationError, references_to};
use chokepoint::io::generate::{Rng, generate_case};
use chokepoint::model::{
    Case, ClaimStatus, Confidence, Entity, EntityId, EntityKind, GoodsLine, Group, GroupId,
    ItemRef, Leg, Link, LinkId, LinkKind, Money, NodePosition, Note, NoteId, PartialDate, Place,
    Shipment, ShipmentId, ShipmentStatus, Tlp, TransportMode,
};
use proptest::prelude::*;

/// What kind of edit to build; the parameters come from the random seed of each step.
#[derive(Clone, Copy, Debug)]
enum Op {
    InsertEntity,
    InsertLink,
    InsertShipment,
    InsertGroup,
    InsertNote,
    ReplaceEntity,
    ReplaceShipment,
    RemoveLink,
    CascadeRemoveEntity,
    SetPositions,
    SetMeta,
    Batch,
    // Deliberately invalid edits.
    DanglingLink,
    DuplicateEntity,
    EmptyRouteShipment,
    RemoveReferencedEntity,
    BatchFailingAtEnd,
}

const OPS: [Op; 17] = [
    Op::InsertEntity,
    Op::InsertLink,
    Op::InsertShipment,
    Op::InsertGroup,
    Op::InsertNote,
    Op::ReplaceEntity,
    Op::ReplaceShipment,
    Op::RemoveLink,
    Op::CascadeRemoveEntity,
    Op::SetPositions,
    Op::SetMeta,
    Op::Batch,
    Op::DanglingLink,
    Op::DuplicateEntity,
    Op::EmptyRouteShipment,
    Op::RemoveReferencedEntity,
    Op::BatchFailingAtEnd,
];

/// What the test expects of an edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Ok,
    Err,
}

const NAMES: [&str; 8] = [
    "Harbor Crest Trading",
    "Lotus Computing",
    "Wei Tan",
    "Kun Lun Nest",
    "苏菂",
    "Strait Data Services",
    "Apex Supply Chain",
    "Meridian Holdings",
];
const COUNTRIES: [&str; 6] = ["US", "SG", "MY", "HK", "CN", "AE"];

fn pick_key<K: Clone, V>(rng: &mut Rng, map: &std::collections::BTreeMap<K, V>) -> Option<K> {
    if map.is_empty() {
        None
    } else {
        map.keys().nth(rng.below(map.len())).cloned()
    }
}

fn random_entity_id(rng: &mut Rng, case: &Case) -> Option<EntityId> {
    pick_key(rng, &case.entities)
}

fn place(rng: &mut Rng) -> Place {
    let code = *rng.pick(&COUNTRIES);
    Place {
        name: format!("Port of {code}"),
        country: code.parse().ok(),
        entity: None,
    }
}

fn legs(rng: &mut Rng) -> Vec<Leg> {
    (0..=rng.below(3))
        .map(|i| Leg {
            from: place(rng),
            to: place(rng),
            departed: Some(PartialDate::ymd(2024, 1 + i as u8, 2)),
            arrived: Some(PartialDate::ymd(2024, 1 + i as u8, 20)),
            carrier: "Strait Express Air".to_owned(),
            mode: *rng.pick(&[
                TransportMode::Air,
                TransportMode::Sea,
                TransportMode::Unknown,
            ]),
            transport_document: format!("AWB{}", rng.below(1_000_000)),
        })
        .collect()
}

fn goods(rng: &mut Rng, case: &Case) -> Vec<GoodsLine> {
    (0..rng.below(3))
        .map(|_| {
            let quantity = (1 + rng.below(50)) as f64;
            GoodsLine {
                product: if rng.chance(0.5) {
                    random_entity_id(rng, case)
                } else {
                    None
                },
                description: "GPU modules".to_owned(),
                quantity: Some(quantity),
                unit: "pcs".to_owned(),
                value: Some(Money {
                    amount: quantity * 25_000.0,
                    currency: "USD".to_owned(),
                }),
                ..GoodsLine::default()
            }
        })
        .collect()
}

fn new_entity(rng: &mut Rng, case: &Case) -> Entity {
    let name = *rng.pick(&NAMES);
    let mut e = Entity::new(
        case.fresh_entity_id(name),
        *rng.pick(&EntityKind::ALL),
        name,
    );
    e.country = rng.pick(&COUNTRIES).parse().ok();
    if rng.chance(0.3) {
        e.aliases.push("别名".to_owned());
    }
    e
}

fn new_link(rng: &mut Rng, case: &Case) -> Option<Link> {
    let from = random_entity_id(rng, case)?;
    let to = random_entity_id(rng, case)?;
    let kind = match rng.below(4) {
        0 => LinkKind::Ownership {
            percent: Some(rng.below(101) as f64),
        },
        1 => LinkKind::Payment {
            amount: Some(Money {
                amount: 1000.0 * rng.below(100) as f64,
                currency: "USD".to_owned(),
            }),
            date: Some(PartialDate::ymd(2024, 3, 1)),
        },
        2 => LinkKind::Directorship {
            role: "Director".to_owned(),
        },
        _ => LinkKind::Associate,
    };
    let mut link = Link::new(case.fresh_link_id("test link"), kind, from, to);
    link.confidence = *rng.pick(&Confidence::ALL);
    link.status = *rng.pick(&ClaimStatus::ALL);
    Some(link)
}

fn new_shipment(rng: &mut Rng, case: &Case) -> Shipment {
    let reference = format!("INV-T-{}", rng.below(100_000));
    Shipment {
        id: case.fresh_shipment_id(&reference),
        reference,
        status: *rng.pick(&ShipmentStatus::ALL),
        claim: *rng.pick(&ClaimStatus::ALL),
        shipper: random_entity_id(rng, case),
        consignee: random_entity_id(rng, case),
        legs: legs(rng),
        goods: goods(rng, case),
        ..Shipment::default()
    }
}

/// A fresh id for a group or a note; the model only offers helpers for the main kinds.
fn fresh(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    Case::fresh_id(prefix, "test", taken)
}

/// A valid edit of the kind `op` against `case`, or `None` when the case has nothing to work on
/// (e.g. no link to remove). Also says whether it should succeed.
fn build_valid(op: Op, rng: &mut Rng, case: &Case) -> Option<(Edit, Expect)> {
    let edit = match op {
        Op::InsertEntity => Edit::Insert(new_entity(rng, case).into()),
        Op::InsertLink => Edit::Insert(new_link(rng, case)?.into()),
        Op::InsertShipment => Edit::Insert(new_shipment(rng, case).into()),
        Op::InsertGroup => {
            let members = (0..=rng.below(3))
                .filter_map(|_| random_entity_id(rng, case))
                .collect();
            Edit::Insert(
                Group {
                    id: GroupId(fresh("g", |id| {
                        case.groups.contains_key(&GroupId::from(id))
                    })),
                    title: "Suspected front companies".to_owned(),
                    members,
                    collapsed: rng.chance(0.5),
                }
                .into(),
            )
        }
        Op::InsertNote => {
            let about = random_entity_id(rng, case).map(ItemRef::Entity);
            Edit::Insert(
                Note {
                    id: NoteId(fresh("n", |id| case.notes.contains_key(&NoteId::from(id)))),
                    title: "Check registry".to_owned(),
                    body: "Ask for the **UEN** extract.".to_owned(),
                    about,
                    ..Note::default()
                }
                .into(),
            )
        }
        Op::ReplaceEntity => {
            let id = random_entity_id(rng, case)?;
            let mut e = case.entities[&id].clone();
            e.name = format!("{} (renamed {})", e.name, rng.below(1000));
            e.kind = *rng.pick(&EntityKind::ALL);
            e.tags.push("edited".to_owned());
            Edit::Replace(e.into())
        }
        Op::ReplaceShipment => {
            let id = pick_key(rng, &case.shipments)?;
            let mut s = case.shipments[&id].clone();
            s.legs = legs(rng);
            s.goods = goods(rng, case);
            s.status = *rng.pick(&ShipmentStatus::ALL);
            Edit::Replace(s.into())
        }
        Op::RemoveLink => {
            let id = pick_key(rng, &case.links)?;
            let expect = if references_to(case, &ItemRef::Link(id.clone())).is_empty() {
                Expect::Ok
            } else {
                Expect::Err
            };
            return Some((Edit::Remove(ItemRef::Link(id)), expect));
        }
        Op::CascadeRemoveEntity => {
            let id = random_entity_id(rng, case)?;
            // The cascade removes links and group memberships; anything else that names the
            // entity (or one of its links) must be changed first, so the edit is refused.
            let target = ItemRef::Entity(id.clone());
            let removable = references_to(case, &target).iter().all(|r| match r {
                ItemRef::Link(_) => references_to(case, r).is_empty(),
                ItemRef::Group(_) => true,
                _ => false,
            });
            let expect = if removable { Expect::Ok } else { Expect::Err };
            return Some((Edit::remove_entity_cascade(case, &id), expect));
        }
        Op::SetPositions => {
            let moves = (0..=rng.below(4))
                .filter_map(|_| {
                    let id = random_entity_id(rng, case)?;
                    let pos = (!rng.chance(0.25)).then(|| NodePosition {
                        x: rng.below(10_000) as f32 - 5000.0,
                        y: rng.below(10_000) as f32 * 0.5,
                        pinned: rng.chance(0.3),
                    });
                    Some((id, pos))
                })
                .collect();
            Edit::SetPositions(moves)
        }
        Op::SetMeta => {
            let mut meta = case.meta.clone();
            meta.title = format!("Retitled case {}", rng.below(1000));
            meta.marking = *rng.pick(&Tlp::ALL);
            meta.tags.push("reviewed".to_owned());
            Edit::SetMeta(Box::new(meta))
        }
        Op::Batch => {
            // Each part is built against the case as the earlier parts leave it, so fresh ids
            // stay fresh within the batch.
            let mut scratch = case.clone();
            let mut parts = Vec::new();
            for _ in 0..2 + rng.below(3) {
                let sub = *rng.pick(&OPS[..11]);
                if let Some((edit, Expect::Ok)) = build_valid(sub, rng, &scratch)
                    && scratch.apply(edit.clone()).is_ok()
                {
                    parts.push(edit);
                }
            }
            Edit::Batch(parts)
        }
        _ => return build_invalid(op, rng, case).map(|e| (e, Expect::Err)),
    };
    Some((edit, Expect::Ok))
}

/// An edit of the kind `op` that must be refused.
fn build_invalid(op: Op, rng: &mut Rng, case: &Case) -> Option<Edit> {
    Some(match op {
        Op::DanglingLink => {
            let from = random_entity_id(rng, case)?;
            let mut link = Link::new(
                case.fresh_link_id("dangling"),
                LinkKind::Associate,
                from,
                "e-does-not-exist",
            );
            if rng.chance(0.5) {
                std::mem::swap(&mut link.from, &mut link.to);
            }
            Edit::Insert(link.into())
        }
        Op::DuplicateEntity => {
            let id = random_entity_id(rng, case)?;
            let mut e = case.entities[&id].clone();
            e.name = "Impostor".to_owned();
            Edit::Insert(e.into())
        }
        Op::EmptyRouteShipment => {
            let mut s = new_shipment(rng, case);
            s.legs.clear();
            Edit::Insert(s.into())
        }
        Op::RemoveReferencedEntity => {
            let referenced: Vec<EntityId> = case
                .entities
                .keys()
                .filter(|id| !references_to(case, &ItemRef::Entity((*id).clone())).is_empty())
                .cloned()
                .collect();
            if referenced.is_empty() {
                return None;
            }
            Edit::Remove(ItemRef::Entity(rng.pick(&referenced).clone()))
        }
        Op::BatchFailingAtEnd => {
            let mut scratch = case.clone();
            let mut parts = Vec::new();
            for _ in 0..=rng.below(3) {
                let sub = *rng.pick(&OPS[..11]);
                if let Some((edit, Expect::Ok)) = build_valid(sub, rng, &scratch)
                    && scratch.apply(edit.clone()).is_ok()
                {
                    parts.push(edit);
                }
            }
            let bad = *rng.pick(&[
                Op::DanglingLink,
                Op::DuplicateEntity,
                Op::EmptyRouteShipment,
                Op::RemoveReferencedEntity,
            ]);
            parts.push(build_invalid(bad, rng, &scratch)?);
            Edit::Batch(parts)
        }
        _ => return None,
    })
}

fn run_session(seed: u64, steps: &[(usize, u64)]) -> Result<(), TestCaseError> {
    let original = generate_case(40, seed).unwrap();
    let mut case = original.clone();
    let mut history = History::default();
    let mut applied = 0usize;
    for (step, &(op_index, param)) in steps.iter().enumerate() {
        let op = OPS[op_index % OPS.len()];
        let mut rng = Rng::new(param);
        let Some((edit, expect)) = build_valid(op, &mut rng, &case) else {
            continue;
        };
        let before = case.clone();
        let result = history.apply(&mut case, &format!("step {step}: {op:?}"), edit.clone());
        match (expect, &result) {
            (Expect::Ok, Ok(())) => applied += 1,
            (Expect::Err, Err(e)) => {
                prop_assert!(!e.0.is_empty(), "an error without reasons");
                prop_assert!(!e.to_string().is_empty());
                prop_assert_eq!(&case, &before, "a refused {:?} changed the case", op);
            }
            (Expect::Ok, Err(e)) => {
                prop_assert!(
                    false,
                    "step {} {:?} was refused: {}\n{:?}",
                    step,
                    op,
                    e,
                    edit
                );
            }
            (Expect::Err, Ok(())) => {
                prop_assert!(false, "step {} {:?} was accepted\n{:?}", step, op, edit);
            }
        }
        prop_assert_eq!(history.undo_len(), applied);
        prop_assert!(
            chokepoint::edit::check_case(&case).is_empty(),
            "step {} {:?} left an invalid case: {:?}",
            step,
            op,
            chokepoint::edit::check_case(&case)
        );
    }

    let edited = case.clone();
    let mut undone = 0usize;
    while history.undo(&mut case).unwrap().is_some() {
        undone += 1;
    }
    prop_assert_eq!(undone, applied);
    prop_assert!(!history.can_undo());
    prop_assert_eq!(
        &case,
        &original,
        "undoing everything did not restore the case"
    );
    prop_assert!(
        !history.is_dirty(),
        "back at the loaded state, the case is clean"
    );

    let mut redone = 0usize;
    while history.redo(&mut case).unwrap().is_some() {
        redone += 1;
    }
    prop_assert_eq!(redone, applied);
    prop_assert_eq!(
        &case,
        &edited,
        "redoing everything did not give the edited case"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_edits_undo_and_redo_exactly(
        seed in any::<u64>(),
        steps in prop::collection::vec((0..OPS.len(), any::<u64>()), 1..40),
    ) {
        run_session(seed, &steps)?;
    }
}

/// Every kind of step at least once, in a fixed order, so no op is left to chance.
#[test]
fn every_op_in_one_session() {
    let steps: Vec<(usize, u64)> = (0..OPS.len())
        .chain(0..OPS.len())
        .enumerate()
        .map(|(i, op)| (op, i as u64 * 7919 + 13))
        .collect();
    run_session(3, &steps).unwrap();
}

fn case_with_two_people() -> Case {
    let mut case = Case::default();
    for (id, name) in [("e-su-di", "Su Di"), ("e-byron", "Byron Wan")] {
        case.apply(Edit::Insert(
            Entity::new(id, EntityKind::Person, name).into(),
        ))
        .unwrap();
    }
    case
}

fn messages(e: &EditError) -> String {
    e.to_string()
}

#[test]
fn dangling_reference_message_names_both_ids() {
    let mut case = case_with_two_people();
    let before = case.clone();
    let link = Link::new("l-ghost", LinkKind::Associate, "e-su-di", "e-ghost");
    let err = case.apply(Edit::Insert(link.into())).unwrap_err();
    assert_eq!(case, before);
    assert!(matches!(
        err.0.as_slice(),
        [ValidationError::DanglingReference { .. }]
    ));
    let text = messages(&err);
    assert!(text.contains("l-ghost"), "{text}");
    assert!(text.contains("e-ghost"), "{text}");
    assert!(text.contains("target (to)"), "{text}");
    assert!(text.contains("no such item"), "{text}");
}

#[test]
fn missing_item_message_says_does_not_exist() {
    let mut case = case_with_two_people();
    let err = case
        .apply(Edit::Replace(
            Entity::new("e-nobody", EntityKind::Person, "Nobody").into(),
        ))
        .unwrap_err();
    let text = messages(&err);
    assert!(text.contains("e-nobody"), "{text}");
    assert!(text.contains("does not exist"), "{text}");
    let err = case
        .apply(Edit::Remove(ItemRef::Link(LinkId::from("l-nothing"))))
        .unwrap_err();
    assert!(messages(&err).contains("link \"l-nothing\" does not exist"));
}

#[test]
fn duplicate_id_message_says_already_exists() {
    let mut case = case_with_two_people();
    let before = case.clone();
    let err = case
        .apply(Edit::Insert(
            Entity::new("e-su-di", EntityKind::Company, "Another Su Di").into(),
        ))
        .unwrap_err();
    assert_eq!(case, before);
    assert_eq!(
        err.0,
        vec![ValidationError::DuplicateId(ItemRef::Entity(
            "e-su-di".into()
        ))]
    );
    let text = messages(&err);
    assert!(text.contains("e-su-di"), "{text}");
    assert!(text.contains("already exists"), "{text}");
}

#[test]
fn empty_route_message_names_the_shipment() {
    let mut case = case_with_two_people();
    let shipment = Shipment {
        id: ShipmentId::from("s-no-legs"),
        reference: "INV-1".to_owned(),
        consignee: Some("e-byron".into()),
        ..Shipment::default()
    };
    let err = case.apply(Edit::Insert(shipment.into())).unwrap_err();
    assert!(case.shipments.is_empty());
    let text = messages(&err);
    assert!(text.contains("s-no-legs"), "{text}");
    assert!(text.contains("empty route"), "{text}");
}

#[test]
fn several_problems_are_all_reported() {
    let mut case = case_with_two_people();
    let shipment = Shipment {
        id: ShipmentId::from("s-bad"),
        reference: String::new(),
        shipper: Some("e-ghost".into()),
        ..Shipment::default()
    };
    let err = case.apply(Edit::Insert(shipment.into())).unwrap_err();
    assert_eq!(err.0.len(), 3, "{err}");
    let text = messages(&err);
    assert!(text.contains("reference must not be empty"), "{text}");
    assert!(text.contains("empty route"), "{text}");
    assert!(text.contains("e-ghost"), "{text}");
}

#[test]
fn removing_a_referenced_entity_needs_the_cascade() {
    let mut case = case_with_two_people();
    case.apply(Edit::Insert(
        Link::new("l-knows", LinkKind::Associate, "e-su-di", "e-byron").into(),
    ))
    .unwrap();
    case.apply(Edit::Insert(
        Group {
            id: GroupId::from("g-people"),
            title: "People".to_owned(),
            members: vec!["e-su-di".into(), "e-byron".into()],
            collapsed: false,
        }
        .into(),
    ))
    .unwrap();
    case.apply(Edit::SetPositions(vec![(
        "e-su-di".into(),
        Some(NodePosition {
            x: 10.0,
            y: 20.0,
            pinned: true,
        }),
    )]))
    .unwrap();
    let before = case.clone();

    let target = ItemRef::Entity("e-su-di".into());
    let err = case.apply(Edit::Remove(target.clone())).unwrap_err();
    assert_eq!(case, before);
    match err.0.as_slice() {
        [ValidationError::StillReferenced { item, by }] => {
            assert_eq!(item, &target);
            assert!(by.contains(&ItemRef::Link("l-knows".into())));
            assert!(by.contains(&ItemRef::Group("g-people".into())));
        }
        other => panic!("expected StillReferenced, got {other:?}"),
    }
    let text = messages(&err);
    assert!(text.contains("cannot remove entity \"e-su-di\""), "{text}");
    assert!(text.contains("l-knows"), "{text}");

    let mut history = History::default();
    let cascade = Edit::remove_entity_cascade(&case, &"e-su-di".into());
    history.apply(&mut case, "Delete Su Di", cascade).unwrap();
    assert!(!case.entities.contains_key(&EntityId::from("e-su-di")));
    assert!(case.links.is_empty());
    assert_eq!(
        case.groups[&GroupId::from("g-people")].members,
        vec![EntityId::from("e-byron")]
    );
    assert!(
        case.positions.is_empty(),
        "the position goes with the entity"
    );
    assert!(chokepoint::edit::check_case(&case).is_empty());

    history.undo(&mut case).unwrap();
    assert_eq!(
        case, before,
        "undo brings back entity, link, membership and position"
    );
}

#[test]
fn cascade_is_refused_while_a_shipment_names_the_entity() {
    let mut case = case_with_two_people();
    let shipment = Shipment {
        id: ShipmentId::from("s-1"),
        reference: "INV-1".to_owned(),
        consignee: Some("e-byron".into()),
        legs: vec![Leg {
            from: Place {
                name: "Los Angeles".to_owned(),
                country: "US".parse().ok(),
                entity: None,
            },
            to: Place {
                name: "Singapore".to_owned(),
                country: "SG".parse().ok(),
                entity: None,
            },
            ..Leg::default()
        }],
        ..Shipment::default()
    };
    case.apply(Edit::Insert(shipment.into())).unwrap();
    let before = case.clone();
    let err = case
        .apply(Edit::remove_entity_cascade(&case, &"e-byron".into()))
        .unwrap_err();
    assert_eq!(case, before);
    assert!(messages(&err).contains("s-1"), "{err}");
}

#[test]
fn failed_batch_rolls_back_fully() {
    let mut case = case_with_two_people();
    case.apply(Edit::Insert(
        Link::new("l-knows", LinkKind::Associate, "e-su-di", "e-byron").into(),
    ))
    .unwrap();
    let before = case.clone();
    let mut history = History::default();
    let mut meta = case.meta.clone();
    meta.title = "Changed".to_owned();
    let batch = Edit::Batch(vec![
        Edit::Insert(Entity::new("e-new", EntityKind::Company, "New Co").into()),
        Edit::Insert(Link::new("l-new", LinkKind::SuppliesTo, "e-new", "e-byron").into()),
        Edit::SetMeta(Box::new(meta)),
        Edit::SetPositions(vec![("e-new".into(), Some(NodePosition::default()))]),
        Edit::Remove(ItemRef::Link("l-knows".into())),
        Edit::Replace(Entity::new("e-byron", EntityKind::Company, "Renamed").into()),
        Edit::Batch(vec![Edit::Insert(
            Entity::new("e-nested", EntityKind::Person, "Nested").into(),
        )]),
        // Refused: the id is taken (by the entity inserted earlier in this batch).
        Edit::Insert(Entity::new("e-new", EntityKind::Person, "Again").into()),
        Edit::Insert(Entity::new("e-never", EntityKind::Person, "Never").into()),
    ]);
    let err = history.apply(&mut case, "Import", batch).unwrap_err();
    assert_eq!(
        err.0,
        vec![ValidationError::DuplicateId(ItemRef::Entity(
            "e-new".into()
        ))]
    );
    assert_eq!(case, before, "nothing of the batch remains");
    assert!(!history.can_undo());
    assert!(!history.is_dirty());
}

#[test]
fn invalid_positions_are_refused() {
    let mut case = case_with_two_people();
    let before = case.clone();
    for bad in [f32::NAN, f32::INFINITY, 2e7] {
        let err = case
            .apply(Edit::SetPositions(vec![
                ("e-byron".into(), Some(NodePosition::default())),
                (
                    "e-su-di".into(),
                    Some(NodePosition {
                        x: bad,
                        y: 0.0,
                        pinned: false,
                    }),
                ),
            ]))
            .unwrap_err();
        assert!(messages(&err).contains("canvas position"), "{err}");
        assert_eq!(case, before);
    }
    let err = case
        .apply(Edit::SetPositions(vec![(
            "e-ghost".into(),
            Some(NodePosition::default()),
        )]))
        .unwrap_err();
    assert!(messages(&err).contains("e-ghost"), "{err}");
}

#[test]
fn undo_after_redo_after_undo_is_stable() {
    let mut case = generate_case(20, 5).unwrap();
    let original = case.clone();
    let mut history = History::default();
    let id = case.entities.keys().next().cloned().unwrap();
    history
        .apply(
            &mut case,
            "Delete",
            Edit::remove_entity_cascade(&original, &id),
        )
        .map_or_else(
            |_| {
                // The first entity is a product named by shipments: remove a link instead.
                let link = case.links.keys().next().cloned().unwrap();
                history
                    .apply(&mut case, "Delete", Edit::Remove(ItemRef::Link(link)))
                    .unwrap();
            },
            |()| {},
        );
    let edited = case.clone();
    for _ in 0..5 {
        assert_eq!(history.undo(&mut case).unwrap().as_deref(), Some("Delete"));
        assert_eq!(case, original);
        assert_eq!(history.redo(&mut case).unwrap().as_deref(), Some("Delete"));
        assert_eq!(case, edited);
    }
}

#[test]
fn ids_are_unique_across_kinds() {
    let mut case = case_with_two_people();
    let (a, b): (EntityId, EntityId) = {
        let mut ids = case.entities.keys().cloned();
        (ids.next().unwrap(), ids.next().unwrap())
    };
    // A link may not carry an entity's id: the FtM export would write two objects with one id.
    let link = Link::new(a.as_str(), LinkKind::Associate, a.as_str(), b.as_str());
    let before = case.clone();
    let refused = case.apply(Edit::Insert(link.into())).expect_err("refused");
    assert!(
        matches!(&refused.0[..], [ValidationError::SharedId { .. }]),
        "{refused}"
    );
    assert!(
        messages(&refused).contains("same id as entity"),
        "{refused}"
    );
    assert_eq!(case, before);
    // Nor a note, whatever its kind.
    let note = Note {
        id: b.as_str().into(),
        title: "A note".into(),
        ..Note::default()
    };
    assert!(case.apply(Edit::Insert(note.into())).is_err());
    assert_eq!(case.id_in_use(a.as_str()), Some(ItemRef::Entity(a)));
    assert_eq!(case.id_in_use("l-nothing"), None);
}
