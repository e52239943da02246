//! Graph analysis and flows, checked against small graphs computed by hand and against the
//! training case.

#![allow(clippy::unwrap_used, clippy::float_cmp)]

use chokepoint::analysis::flows::{FlowFilter, PartySide, by_month, by_party, by_route};
use chokepoint::analysis::graph::{
    CaseGraph, DownstreamHow, EdgeKind, ShipmentStep, ranked, trace_downstream,
};
use chokepoint::edit::Edit;
use chokepoint::io::load_case;
use chokepoint::model::{
    Case, Entity, EntityId, EntityKind, GoodsLine, ItemRef, Leg, Link, LinkKind, LinkKindTag,
    Money, PartialDate, Place, Shipment,
};
use std::path::Path;

fn id(s: &str) -> EntityId {
    EntityId::from(s)
}

/// A case whose entities `names` are joined by associate links along `edges`.
fn graph_case(names: &[&str], edges: &[(&str, &str)]) -> Case {
    let mut case = Case::default();
    let mut edits: Vec<Edit> = names
        .iter()
        .map(|n| Edit::Insert(Entity::new(*n, EntityKind::Company, n.to_uppercase()).into()))
        .collect();
    for (i, (a, b)) in edges.iter().enumerate() {
        edits.push(Edit::Insert(
            Link::new(format!("l-{i:03}"), LinkKind::Associate, *a, *b).into(),
        ));
    }
    case.apply(Edit::Batch(edits)).unwrap();
    case
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

fn training() -> Case {
    load_case(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_cases/training_strait_networks.ron"),
    )
    .unwrap()
}

#[test]
fn betweenness_on_hand_computed_graphs() {
    // Path a-b-c-d: b lies on (a,c) and (a,d); c on (a,d) and (b,d).
    let g = CaseGraph::build(&graph_case(
        &["a", "b", "c", "d"],
        &[("a", "b"), ("b", "c"), ("c", "d")],
    ));
    let b = g.betweenness();
    assert_eq!(
        [b[&id("a")], b[&id("b")], b[&id("c")], b[&id("d")]],
        [0.0, 2.0, 2.0, 0.0]
    );

    // Star: the centre is on all C(4,2) = 6 leaf pairs.
    let g = CaseGraph::build(&graph_case(
        &["x", "l1", "l2", "l3", "l4"],
        &[("x", "l1"), ("x", "l2"), ("l3", "x"), ("x", "l4")],
    ));
    let b = g.betweenness();
    assert_eq!(b[&id("x")], 6.0);
    assert_eq!(b[&id("l1")], 0.0);

    // Square a-b-c-d-a: opposite pairs have two shortest paths, so each node gets one half.
    let g = CaseGraph::build(&graph_case(
        &["a", "b", "c", "d"],
        &[("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")],
    ));
    for v in g.betweenness().values() {
        assert!(close(*v, 0.5), "{v}");
    }

    // Parallel links and direction do not count twice: a-b twice and b-a once.
    let g = CaseGraph::build(&graph_case(
        &["a", "b", "c"],
        &[("a", "b"), ("a", "b"), ("b", "a"), ("b", "c")],
    ));
    assert_eq!(g.simple_edge_count(), 2);
    assert_eq!(g.betweenness()[&id("b")], 1.0);
    assert_eq!(g.degree()[&id("b")], 2);
}

#[test]
fn parallel_betweenness_matches_single_thread_on_a_larger_graph() {
    // A 40 × 40 grid (1600 nodes, over the parallel threshold): the sum over all nodes is the
    // sum over pairs of (distance − 1), and the grid's symmetries hold.
    let n = 40;
    let names: Vec<String> = (0..n * n).map(|i| format!("e-{i:05}")).collect();
    let mut edges = Vec::new();
    for r in 0..n {
        for c in 0..n {
            let v = r * n + c;
            if c + 1 < n {
                edges.push((names[v].as_str(), names[v + 1].as_str()));
            }
            if r + 1 < n {
                edges.push((names[v].as_str(), names[v + n].as_str()));
            }
        }
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let g = CaseGraph::build(&graph_case(&refs, &edges));
    let b = g.betweenness_by_index();
    // Sum over unordered pairs of Manhattan distance minus one.
    let mut expected = 0.0;
    for p in 0..n * n {
        for q in p + 1..n * n {
            let d = (p / n).abs_diff(q / n) + (p % n).abs_diff(q % n);
            expected += (d - 1) as f64;
        }
    }
    let total: f64 = b.iter().sum();
    assert!(
        (total - expected).abs() / expected < 1e-9,
        "{total} vs {expected}"
    );
    // Symmetry of the grid.
    assert!(close(b[1], b[n]));
    assert!(close(b[n * n - 2], b[1]));
}

#[test]
fn pagerank_on_hand_computed_graphs() {
    // Star with four leaves, damping 0.85: centre 0.132 / 0.2775, leaves 0.03 + 0.2125 × centre.
    let g = CaseGraph::build(&graph_case(
        &["x", "l1", "l2", "l3", "l4"],
        &[("x", "l1"), ("x", "l2"), ("x", "l3"), ("x", "l4")],
    ));
    let pr = g.pagerank();
    let centre = 0.132 / 0.2775;
    assert!(close(pr[&id("x")], centre), "{}", pr[&id("x")]);
    assert!(close(pr[&id("l1")], 0.03 + 0.2125 * centre));
    assert!(close(pr.values().sum::<f64>(), 1.0));

    // Path a-b-c: ends 0.07125 / 0.2775, middle 0.05 + 1.7 × end.
    let g = CaseGraph::build(&graph_case(&["a", "b", "c"], &[("a", "b"), ("b", "c")]));
    let pr = g.pagerank();
    let end = 0.071_25 / 0.2775;
    assert!(close(pr[&id("a")], end));
    assert!(close(pr[&id("b")], 0.05 + 1.7 * end));

    // An isolated node spreads its rank evenly; two isolated nodes are equal.
    let g = CaseGraph::build(&graph_case(&["p", "q"], &[]));
    let pr = g.pagerank();
    assert!(close(pr[&id("p")], 0.5) && close(pr[&id("q")], 0.5));

    let ranking = ranked(
        &CaseGraph::build(&graph_case(&["x", "l1", "l2"], &[("x", "l1"), ("x", "l2")])).pagerank(),
    );
    assert_eq!(ranking[0].0, id("x"));
    assert_eq!(ranking[1].0, id("l1"), "ties in id order");
}

#[test]
fn shortest_and_simple_paths_components_and_common_neighbours() {
    // a-b-c-d-a square plus a tail d-e and a separate pair f-g.
    let case = graph_case(
        &["a", "b", "c", "d", "e", "f", "g"],
        &[
            ("a", "b"),
            ("b", "c"),
            ("c", "d"),
            ("d", "a"),
            ("d", "e"),
            ("f", "g"),
        ],
    );
    let g = CaseGraph::build(&case);

    let p = g.shortest_path(&id("a"), &id("c")).unwrap();
    assert_eq!(
        p.nodes,
        [id("a"), id("b"), id("c")],
        "ties go through lower ids"
    );
    assert_eq!(
        p.edges,
        [ItemRef::Link("l-000".into()), ItemRef::Link("l-001".into())]
    );
    assert_eq!(g.shortest_path(&id("b"), &id("e")).unwrap().len(), 3);
    assert!(g.shortest_path(&id("a"), &id("f")).is_none());

    // The canvas's Show neighbours: within one hop of d, then two.
    let around = |start: &str, hops| -> Vec<EntityId> {
        g.neighbourhood(&id(start), hops).into_iter().collect()
    };
    assert_eq!(around("d", 0), [id("d")]);
    assert_eq!(around("d", 1), [id("a"), id("c"), id("d"), id("e")]);
    assert_eq!(
        around("e", 2),
        [id("a"), id("c"), id("d"), id("e")],
        "two hops from the tail"
    );
    assert_eq!(around("f", 5), [id("f"), id("g")], "stays in its component");
    assert!(around("nobody", 1).is_empty());

    let paths = g.simple_paths(&id("a"), &id("c"), 2, 100);
    let nodes: Vec<Vec<EntityId>> = paths.iter().map(|p| p.nodes.clone()).collect();
    assert_eq!(
        nodes,
        [
            vec![id("a"), id("b"), id("c")],
            vec![id("a"), id("d"), id("c")]
        ]
    );
    // From b to e: b-a-d-e and b-c-d-e (3 hops); nothing shorter, nothing else simple.
    let paths = g.simple_paths(&id("b"), &id("e"), 5, 100);
    assert_eq!(paths.len(), 2);
    assert!(paths.iter().all(|p| p.len() == 3));
    assert!(g.simple_paths(&id("b"), &id("e"), 2, 100).is_empty());
    assert_eq!(g.simple_paths(&id("b"), &id("e"), 5, 1).len(), 1, "capped");

    let comps = g.components();
    assert_eq!(comps.len(), 2);
    assert_eq!(comps[0], [id("a"), id("b"), id("c"), id("d"), id("e")]);
    assert_eq!(comps[1], [id("f"), id("g")]);

    assert_eq!(g.common_neighbours(&id("a"), &id("c")), [id("b"), id("d")]);
    assert!(g.common_neighbours(&id("a"), &id("f")).is_empty());
    assert_eq!(g.neighbours(&id("d")), [id("a"), id("c"), id("e")]);
}

#[test]
fn shipments_and_goods_become_edges_with_their_role() {
    let mut case = graph_case(&["s", "f", "c", "d", "x", "p"], &[]);
    let shipment = Shipment {
        id: "s-1".into(),
        reference: "S1".into(),
        shipper: Some(id("s")),
        forwarders: vec![id("f")],
        consignee: Some(id("c")),
        declared_end_user: Some(id("d")),
        suspected_end_user: Some(id("x")),
        legs: vec![Leg {
            from: Place {
                name: "A".into(),
                ..Place::default()
            },
            to: Place {
                name: "B".into(),
                ..Place::default()
            },
            ..Leg::default()
        }],
        goods: vec![GoodsLine {
            product: Some(id("p")),
            ..GoodsLine::default()
        }],
        ..Shipment::default()
    };
    case.apply(Edit::Insert(shipment.into())).unwrap();
    let g = CaseGraph::build(&case);
    let kind = |a: &str, b: &str| -> Vec<EdgeKind> {
        g.edges_between(&id(a), &id(b))
            .iter()
            .map(|e| e.kind)
            .collect()
    };
    assert_eq!(
        kind("s", "f"),
        [EdgeKind::Shipment(ShipmentStep::ShipperToForwarder)]
    );
    assert_eq!(
        kind("f", "c"),
        [EdgeKind::Shipment(ShipmentStep::ToConsignee)]
    );
    assert_eq!(
        kind("c", "x"),
        [EdgeKind::Shipment(ShipmentStep::SuspectedEndUser)]
    );
    assert_eq!(kind("p", "s"), [EdgeKind::Goods]);
    assert!(kind("s", "c").is_empty(), "the forwarder sits between them");
    assert_eq!(
        g.shortest_path(&id("p"), &id("x")).unwrap().nodes,
        [id("p"), id("s"), id("f"), id("c"), id("x")]
    );
}

#[test]
fn training_case_graph_connects_the_network() {
    let case = training();
    let g = CaseGraph::build(&case);
    assert_eq!(g.node_count(), case.entities.len());
    // The US integrator reaches the listed lab.
    let p = g
        .shortest_path(&id("e-halvorsen-systems"), &id("e-nanling-frontier-lab"))
        .unwrap();
    assert_eq!(p.len(), 2, "{:?}", p.nodes);
    // Jadeite Harbour, which pays and owns, is among the most central entities.
    let top: Vec<EntityId> = ranked(&g.betweenness())
        .into_iter()
        .take(5)
        .map(|(e, _)| e)
        .collect();
    assert!(top.contains(&id("e-jadeite-harbour-holdings")), "{top:?}");
    // Deterministic: building twice gives the same measures.
    assert_eq!(g.centrality(), CaseGraph::build(&case).centrality());
    assert!(
        g.edges_between(
            &id("e-jadeite-harbour-holdings"),
            &id("e-lumen-strait-trading")
        )
        .iter()
        .any(|e| e.kind == EdgeKind::Link(LinkKindTag::Ownership))
    );
}

#[test]
fn trace_downstream_from_a_product_reaches_the_end_users() {
    let case = training();
    let reach = trace_downstream(&case, &id("e-hgx-h100-server"));
    let find = |e: &str| reach.iter().find(|r| r.entity == id(e));
    let lab = find("e-nanling-frontier-lab").expect("the lab is reached");
    assert!(lab.end_user);
    assert_eq!(
        lab.path.first().map(|s| s.how),
        Some(DownstreamHow::CarriedBy)
    );
    // Shortest: the servers Orchid Bay re-exports, then two sales (Orchid Bay → Silverline →
    // the lab).
    assert_eq!(lab.path.len(), 3, "{:?}", lab.path);
    assert!(lab.path.windows(2).all(|w| w[0].to == w[1].from), "a chain");
    assert!(find("e-seri-awan-data-centre").is_some_and(|r| r.end_user));
    // Orchid Bay re-exports the servers (its own shipment carries the product) and sells to
    // Silverline.
    let silverline = find("e-silverline-pacific-trading").expect("silverline");
    assert_eq!(silverline.path[0].to, id("e-orchid-bay-technology"));
    assert_eq!(silverline.path[1].how, DownstreamHow::Sold);
    // Ownership: the consignee's owner controls what it holds.
    assert!(
        find("e-jadeite-harbour-holdings")
            .is_some_and(|r| r.path.last().map(|s| s.how) == Some(DownstreamHow::OwnedBy))
    );
    // A forwarder passes goods on; it is reached but not an end user.
    assert!(find("e-kestrel-freight").is_some_and(|r| !r.end_user));
    // Cobalt Peak never handles the HGX servers.
    assert!(find("e-cobalt-peak-distribution").is_none());
    // Sorted by path length, then id.
    assert!(
        reach
            .windows(2)
            .all(|w| (w[0].path.len(), &w[0].entity) <= (w[1].path.len(), &w[1].entity))
    );

    // From the integrator: the products it makes, and every shipment it sends.
    let reach = trace_downstream(&case, &id("e-halvorsen-systems"));
    assert!(
        reach
            .iter()
            .any(|r| r.entity == id("e-hgx-h100-server") && r.path[0].how == DownstreamHow::Makes)
    );
    assert!(
        reach
            .iter()
            .any(|r| r.entity == id("e-nanling-frontier-lab"))
    );
    // Shortest paths: Orchid Bay is two steps away through the servers it re-exports, not
    // three as the notify party of HX-INV-24-0502.
    let orchid = reach
        .iter()
        .find(|r| r.entity == id("e-orchid-bay-technology"))
        .unwrap();
    assert_eq!(orchid.path.len(), 2, "{:?}", orchid.path);
    // Tracing the H200 modules: resale is followed (Lumen Strait → Orchid Bay is a sale).
    let reach = trace_downstream(&case, &id("e-h200"));
    assert!(
        reach
            .iter()
            .any(|r| r.path.iter().any(|s| s.how == DownstreamHow::Sold))
    );
    assert!(trace_downstream(&case, &id("e-no-such")).is_empty());
}

#[test]
fn flows_by_route_party_and_month_keep_currencies_apart() {
    let case = training();
    let routes = by_route(&case, &FlowFilter::default());
    let us_my = routes
        .iter()
        .find(|r| r.route.label() == "US → MY")
        .expect("US → MY");
    assert_eq!(us_my.totals.shipments.len(), 3);
    assert_eq!(us_my.totals.quantity["pcs"], 264.0);
    assert_eq!(us_my.totals.value["USD"], 6_464_000.0);
    let labels: Vec<String> = routes.iter().map(|r| r.route.label()).collect();
    assert!(
        labels.contains(&"MY → SG → HK → CN".to_owned()),
        "{labels:?}"
    );
    let mut sorted = routes.clone();
    sorted.sort_by(|a, b| a.route.cmp(&b.route));
    assert_eq!(sorted, routes, "rows in route order");
    let total: usize = routes.iter().map(|r| r.totals.shipments.len()).sum();
    assert_eq!(total, case.shipments.len());

    let parties = by_party(&case, &FlowFilter::default());
    let lumen = parties
        .iter()
        .find(|p| p.side == PartySide::Consignee && p.entity == id("e-lumen-strait-trading"))
        .expect("lumen");
    assert_eq!(lumen.totals.shipments.len(), 4);
    assert_eq!(lumen.totals.value["USD"], 12_442_000.0);

    // A date filter: only 2024 shipments.
    let in_2024 = FlowFilter {
        from: Some("2024".parse::<PartialDate>().unwrap()),
        to: Some("2024".parse::<PartialDate>().unwrap()),
        statuses: Vec::new(),
    };
    let months = by_month(&case, &in_2024);
    assert!(months.iter().all(|m| m.year == 2024));
    assert!(
        months
            .windows(2)
            .all(|w| (w[0].year, w[0].month) < (w[1].year, w[1].month))
    );

    // Two currencies on one route stay separate.
    let mut case = graph_case(&["a", "b"], &[]);
    let line = |amount: f64, currency: &str| GoodsLine {
        quantity: Some(1.0),
        unit: "pcs".into(),
        value: Some(Money {
            amount,
            currency: currency.into(),
        }),
        ..GoodsLine::default()
    };
    let leg = Leg {
        from: Place {
            name: "x".into(),
            country: "SG".parse().ok(),
            entity: None,
        },
        to: Place {
            name: "y".into(),
            country: "MY".parse().ok(),
            entity: None,
        },
        ..Leg::default()
    };
    case.apply(Edit::Insert(
        Shipment {
            id: "s-1".into(),
            reference: "one".into(),
            shipper: Some(id("a")),
            consignee: Some(id("b")),
            legs: vec![leg],
            goods: vec![line(100.0, "USD"), line(50.0, "SGD")],
            ..Shipment::default()
        }
        .into(),
    ))
    .unwrap();
    let routes = by_route(&case, &FlowFilter::default());
    assert_eq!(routes.len(), 1);
    assert_eq!(routes[0].totals.value.len(), 2);
    assert_eq!(routes[0].totals.value["SGD"], 50.0);
    assert_eq!(routes[0].totals.quantity["pcs"], 2.0);
}
