//! Pictures an investigator can brief from: the DOT export that Graphviz lays out for
//! comparison, and the legibility of Chokepoint's own pictures, measured from the geometry the
//! SVG writer draws and checked against the yardstick (`legibility.py`) on the SVG itself.

mod common;

use chokepoint::io::load_case;
use chokepoint::model::Case;
use std::path::PathBuf;
use std::process::Command;

fn sample(name: &str) -> Case {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample_cases")
        .join(name);
    load_case(&path).expect("sample case loads")
}

/// Graphviz reads the DOT export of each sample case and lays out every entity and edge of it.
#[test]
fn graphviz_lays_out_the_dot_export() {
    let Some(dot) = common::peer_graphviz() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["seed_kunlun_nest.ron", "training_strait_networks.ron"] {
        let case = sample(name);
        let rows = chokepoint::io::export::graph_rows(&case);
        let path = dir.path().join("case.dot");
        std::fs::write(&path, chokepoint::io::export::dot::write(&case)).expect("write dot");
        let out = Command::new(&dot)
            .args(["-Tplain"])
            .arg(&path)
            .output()
            .expect("dot runs");
        assert!(
            out.status.success(),
            "{name}: dot refused the export: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let plain = String::from_utf8_lossy(&out.stdout);
        let nodes = plain.lines().filter(|l| l.starts_with("node ")).count();
        let edges = plain.lines().filter(|l| l.starts_with("edge ")).count();
        assert_eq!(nodes, case.entities.len(), "{name}: nodes");
        assert_eq!(edges, rows.edges.len(), "{name}: edges");
    }
}
