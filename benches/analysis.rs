//! Analysis speed on a generated 10 000-entity case: building the graph, exact betweenness
//! (all cores), `PageRank`, the red-flag rules, and name screening of every party (just over
//! 10 000 of them, with their aliases) against a generated 20 000-entry list.
//!
//! Run with `cargo bench --bench analysis`. Targets: betweenness within 2× of python-igraph
//! (compare with `benches/compare_betweenness.py`), screening within 1 s on 2 cores.

#![allow(clippy::unwrap_used)]

use chokepoint::analysis::CaseGraph;
use chokepoint::analysis::rules::{RuleSet, evaluate};
use chokepoint::analysis::screening::{
    DEFAULT_THRESHOLD, ListEntry, ScreeningList, is_screened_kind, screen,
};
use chokepoint::io::generate::{Rng, generate_case};
use chokepoint::model::Case;
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

const SYLLABLES: [&str; 48] = [
    "ka", "ren", "to", "mi", "sha", "lo", "vin", "dar", "el", "po", "zu", "ta", "ne", "ri", "gor",
    "bal", "sen", "li", "ma", "tek", "qua", "ar", "on", "is", "vel", "dro", "ham", "sun", "tai",
    "wen", "yi", "zhou", "bor", "nik", "ov", "ich", "fa", "mer", "dun", "sol", "kha", "rim", "tas",
    "hua", "jin", "pet", "ros", "ul",
];
const GENERIC: [&str; 10] = [
    "Trading",
    "Technology",
    "Industrial",
    "Electronics",
    "Logistics",
    "Holdings",
    "Group",
    "Import Export",
    "Engineering",
    "Research Institute",
];
const LEGAL: [&str; 8] = [
    "Co., Ltd.",
    "LLC",
    "Ltd",
    "JSC",
    "FZE",
    "Sdn Bhd",
    "Pte Ltd",
    "GmbH",
];

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut w: String = (0..n).map(|_| *rng.pick(&SYLLABLES)).collect();
    if let Some(first) = w.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    w
}

/// A list of `n` entries shaped like the Consolidated Screening List: companies and people
/// with invented names and a few aliases each, plus variants of 1% of the case's parties so
/// that there are hits to find.
fn generated_list(n: usize, case: &Case, seed: u64) -> ScreeningList {
    let mut rng = Rng::new(seed);
    let parties: Vec<&str> = case
        .entities
        .values()
        .filter(|e| is_screened_kind(e.kind))
        .map(|e| e.name.as_str())
        .collect();
    let mut entries = Vec::with_capacity(n);
    for i in 0..n {
        let (name, aliases) = if i % 100 == 0 && !parties.is_empty() {
            let original = *rng.pick(&parties);
            (original.to_uppercase().replace(' ', "  "), Vec::new())
        } else if rng.chance(0.6) {
            let (a, b) = (word(&mut rng), word(&mut rng));
            let generic = *rng.pick(&GENERIC);
            let name = format!("{a} {b} {generic} {}", rng.pick(&LEGAL));
            let aliases = (0..rng.below(3))
                .map(|k| match k {
                    0 => format!("{a}{b} {generic}"),
                    _ => format!("{} {a} {b}", word(&mut rng)),
                })
                .collect();
            (name, aliases)
        } else {
            let (given, family) = (word(&mut rng), word(&mut rng));
            let name = if rng.chance(0.5) {
                format!("{given} {}ovich {family}", word(&mut rng))
            } else {
                format!("{given} {family}")
            };
            let aliases = (0..rng.below(3))
                .map(|_| format!("{} {given}", family.to_uppercase()))
                .collect();
            (name, aliases)
        };
        entries.push(ListEntry {
            id: format!("gen-{i:05}"),
            name,
            aliases,
            source: "Generated list".to_owned(),
            ..ListEntry::default()
        });
    }
    ScreeningList::from_entries("Generated list", entries)
}

fn analysis(c: &mut Criterion) {
    let case = generate_case(10_000, 1).unwrap();
    let graph = CaseGraph::build(&case);
    eprintln!(
        "graph: {} nodes, {} distinct undirected edges ({} edges with parallels), {} threads",
        graph.node_count(),
        graph.simple_edge_count(),
        graph.graph.edge_count(),
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    let mut group = c.benchmark_group("graph");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("build_10k", |b| {
        b.iter(|| CaseGraph::build(black_box(&case)));
    });
    group.bench_function("betweenness_10k", |b| {
        b.iter(|| black_box(&graph).betweenness_by_index());
    });
    group.bench_function("pagerank_10k", |b| {
        b.iter(|| black_box(&graph).pagerank_by_index(0.85, 1e-12, 1_000));
    });
    group.finish();

    let rules = RuleSet::builtin().unwrap();
    let today = chokepoint::model::PartialDate::today();
    let mut group = c.benchmark_group("rules");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    eprintln!(
        "rules: {} findings on the 10k case",
        evaluate(&case, &rules, &today).len()
    );
    group.bench_function("evaluate_10k", |b| {
        b.iter(|| evaluate(black_box(&case), &rules, &today));
    });
    group.finish();

    // Slightly more than 10 000 entities so that at least 10 000 parties are screened (the rest
    // are addresses, accounts and products).
    let case = generate_case(12_100, 2).unwrap();
    let parties = case
        .entities
        .values()
        .filter(|e| is_screened_kind(e.kind))
        .count();
    let names: usize = case
        .entities
        .values()
        .filter(|e| is_screened_kind(e.kind))
        .map(|e| 1 + e.aliases.len())
        .sum();
    let list = generated_list(20_000, &case, 7);
    let hits = screen(&case, &list, DEFAULT_THRESHOLD);
    eprintln!(
        "screening: {parties} parties ({names} names) against {} entries ({} names): {} hits",
        list.entries.len(),
        list.name_count(),
        hits.len()
    );
    let mut group = c.benchmark_group("screening");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("index_20k_entries", |b| {
        b.iter(|| ScreeningList::from_entries("Generated list", black_box(list.entries.clone())));
    });
    group.bench_function("screen_10k_parties_x_20k_entries", |b| {
        b.iter(|| screen(black_box(&case), &list, DEFAULT_THRESHOLD));
    });
    group.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
