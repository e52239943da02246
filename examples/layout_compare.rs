//! Helper for `benches/compare_layout.py`: generates a synthetic case, writes the graph the
//! force layout runs on as `GraphML` (nodes `n0`, `n1` ... in layout-node order with their
//! starting positions; parallel edges merged into one undirected edge with the summed
//! weight), runs Chokepoint's multilevel force layout on it, and writes the final positions,
//! one `x y` line per node in node order, so the script can measure igraph's layouts against
//! it with the same stress code.
//!
//! `cargo run --release --example layout_compare -- --entities 10000 --seed 1 \
//!      --graphml case.graphml --positions chokepoint.txt [--sources 200]`
//!
//! Prints one JSON line: sizes, per-level steps and seconds, the full layout's seconds, the
//! mean refinement step at the finest level, and Chokepoint's own stress figure.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chokepoint::io::generate::generate_case;
use chokepoint::layout::{ForceParams, ForceSim, LayoutGraph, Progress, multilevel, quality};
use std::fmt::Write as _;
use std::time::Instant;

fn main() {
    let mut entities = 10_000usize;
    let mut seed = 1u64;
    let mut graphml = String::from("case.graphml");
    let mut positions = String::from("chokepoint_layout.txt");
    let mut sources = 200usize;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let v = it.next().expect("every option takes a value");
        match arg.as_str() {
            "--entities" => entities = v.parse().expect("a number"),
            "--seed" => seed = v.parse().expect("a number"),
            "--graphml" => graphml.clone_from(v),
            "--positions" => positions.clone_from(v),
            "--sources" => sources = v.parse().expect("a number"),
            other => panic!("unknown option {other}"),
        }
    }
    let case = generate_case(entities, seed).expect("generated case");
    let graph = LayoutGraph::from_case(&case, None);
    drop(case);

    // The simple undirected graph: a—b and b—a (and a directed and an undirected relation
    // of one pair) become one edge, weights added.
    let mut simple: Vec<(usize, usize, f32)> = graph
        .edges()
        .iter()
        .map(|e| (e.from.min(e.to), e.from.max(e.to), e.weight))
        .collect();
    simple.sort_by_key(|&(a, b, _)| (a, b));
    simple.dedup_by(|next, kept| {
        if (next.0, next.1) == (kept.0, kept.1) {
            kept.2 += next.2;
            true
        } else {
            false
        }
    });
    let mut xml = String::new();
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n\
         <key id=\"x\" for=\"node\" attr.name=\"x\" attr.type=\"double\"/>\n\
         <key id=\"y\" for=\"node\" attr.name=\"y\" attr.type=\"double\"/>\n\
         <key id=\"w\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n\
         <graph id=\"G\" edgedefault=\"undirected\">\n",
    );
    for (v, node) in graph.nodes().iter().enumerate() {
        let _ = writeln!(
            xml,
            "<node id=\"n{v}\"><data key=\"x\">{}</data><data key=\"y\">{}</data></node>",
            node.position.x, node.position.y
        );
    }
    for &(a, b, w) in &simple {
        let _ = writeln!(
            xml,
            "<edge source=\"n{a}\" target=\"n{b}\"><data key=\"w\">{w}</data></edge>"
        );
    }
    xml.push_str("</graph>\n</graphml>\n");
    std::fs::write(&graphml, xml).expect("write GraphML");

    let started = Instant::now();
    let mut params = ForceParams::default();
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<f32>().ok());
    if let Some(v) = env("CP_THETA") {
        params.theta = v;
    }
    let (result, levels) =
        multilevel::layout_with_params(&graph, params, &Progress::new()).expect("not cancelled");
    let seconds = started.elapsed().as_secs_f64();
    let stress = quality::normalised_stress(&graph, &result, sources).unwrap_or(f64::NAN);
    let start_stress =
        quality::normalised_stress(&graph, &graph.positions(), sources).unwrap_or(f64::NAN);
    let mut text = String::new();
    for p in &result {
        let _ = writeln!(text, "{} {}", p.x, p.y);
    }
    std::fs::write(&positions, text).expect("write positions");

    let finest = levels[0];
    let step_ms = finest.seconds * 1e3 / finest.steps.max(1) as f64;
    // The refinement again, stepped here, to read the process's CPU time too (the machine
    // is shared: wall time includes waiting for a core).
    let mut sim =
        ForceSim::multilevel_with(&graph, params, &Progress::new()).expect("not cancelled");
    let (cpu0, wall0) = (cpu_seconds(), Instant::now());
    while !sim.is_settled() && sim.steps() < 1_000 {
        sim.step();
    }
    let steps = sim.steps().max(1) as f64;
    let step_cpu_ms = (cpu_seconds() - cpu0) * 1e3 / steps;
    let step_wall_ms = wall0.elapsed().as_secs_f64() * 1e3 / steps;
    let levels_json: Vec<String> = levels
        .iter()
        .map(|l| {
            format!(
                "{{\"nodes\": {}, \"edges\": {}, \"steps\": {}, \"seconds\": {:.6}}}",
                l.nodes, l.edges, l.steps, l.seconds
            )
        })
        .collect();
    println!(
        "{{\"nodes\": {}, \"edges\": {}, \"layout_edges\": {}, \"seconds\": {seconds:.6}, \
         \"step_ms\": {step_ms:.6}, \"step_cpu_ms\": {step_cpu_ms:.6}, \"step_wall_ms\": {step_wall_ms:.6}, \"stress\": {stress:.6}, \"start_stress\": {start_stress:.6}, \
         \"levels\": [{}]}}",
        graph.len(),
        simple.len(),
        graph.edges().len(),
        levels_json.join(", ")
    );
}

/// User + system CPU time of this process so far (all threads), from `/proc/self/stat`.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}
