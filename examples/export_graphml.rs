//! Helper for `benches/compare_betweenness.py`: generates a synthetic case, writes the simple
//! undirected graph Chokepoint's measures run on as `GraphML` (nodes `n0`, `n1` ... in node-index
//! order, each with its entity id), times Chokepoint's own betweenness on it (best of
//! `--repeat` runs, all cores), and writes the values, one per line in node order, so the
//! script can check igraph and networkx agree.
//!
//! `cargo run --release --example export_graphml -- --entities 10000 --seed 1 \
//!      --graphml case.graphml --values chokepoint.txt`

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chokepoint::analysis::CaseGraph;
use chokepoint::io::generate::generate_case;
use std::fmt::Write as _;
use std::time::Instant;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn main() {
    let mut entities = 10_000usize;
    let mut seed = 1u64;
    let mut graphml = String::from("case.graphml");
    let mut values = String::from("chokepoint_betweenness.txt");
    let mut repeat = 3usize;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let v = it.next().expect("every option takes a value");
        match arg.as_str() {
            "--entities" => entities = v.parse().expect("a number"),
            "--seed" => seed = v.parse().expect("a number"),
            "--graphml" => graphml.clone_from(v),
            "--values" => values.clone_from(v),
            "--repeat" => repeat = v.parse().expect("a number"),
            other => panic!("unknown option {other}"),
        }
    }
    let case = generate_case(entities, seed).expect("generated case");
    let g = CaseGraph::build(&case);

    let mut xml = String::new();
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n\
         <key id=\"eid\" for=\"node\" attr.name=\"entity\" attr.type=\"string\"/>\n\
         <graph id=\"G\" edgedefault=\"undirected\">\n",
    );
    for v in 0..g.node_count() {
        let _ = writeln!(
            xml,
            "<node id=\"n{v}\"><data key=\"eid\">{}</data></node>",
            xml_escape(g.id(v).as_str())
        );
    }
    let mut edges = 0usize;
    for (a, b) in g.simple_edges() {
        let _ = writeln!(xml, "<edge source=\"n{a}\" target=\"n{b}\"/>");
        edges += 1;
    }
    xml.push_str("</graph>\n</graphml>\n");
    std::fs::write(&graphml, xml).expect("write GraphML");

    let mut best = f64::INFINITY;
    let mut result = Vec::new();
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        result = g.betweenness_by_index();
        best = best.min(t.elapsed().as_secs_f64());
    }
    let mut text = String::new();
    for x in &result {
        let _ = writeln!(text, "{x}");
    }
    std::fs::write(&values, text).expect("write values");
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    println!(
        "{{\"nodes\": {}, \"edges\": {edges}, \"betweenness_seconds\": {best:.6}, \"threads\": {threads}}}",
        g.node_count()
    );
}
