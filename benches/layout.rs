//! Layout speed on generated cases (about two links and half a shipment per entity): one
//! refinement step of the multilevel force layout (Barnes–Hut) at 1 000, 10 000 and 100 000
//! nodes, on the full graph as the coarse levels left it, and the full layered,
//! circular, grid and geographic layouts at 1 000 and 10 000 nodes. Building the layout graph
//! from the case is measured too, since every run starts with it.
//!
//! Run with `cargo bench --bench layout`. Target: a 10k-node force step within 20 ms on a
//! 2-core machine; issue 20: no slower than igraph's Fruchterman–Reingold iteration (see
//! `benches/compare_layout.py`). The step is measured where the full layout takes it: on the
//! finest level, started from the coarser levels' layout, a few steps in.

#![allow(clippy::unwrap_used)]

use chokepoint::io::generate::generate_case;
use chokepoint::layout::{self, ForceSim, LayoutGraph, LayoutKind, Progress};
use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

const FORCE_SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const FULL_SIZES: [usize; 2] = [1_000, 10_000];

fn configure(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    n: usize,
) {
    if n >= 100_000 {
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(8));
    } else if n >= 10_000 {
        group
            .sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5));
    } else {
        group
            .sample_size(20)
            .sampling_mode(SamplingMode::Auto)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
    }
}

fn force_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout_force_step");
    for n in FORCE_SIZES {
        let case = generate_case(n, 1).unwrap();
        let graph = LayoutGraph::from_case(&case, None);
        eprintln!("{n} entities: {} layout edges", graph.edges().len());
        drop(case);
        configure(&mut group, n);
        let mut sim = ForceSim::multilevel(&graph, &Progress::new()).unwrap();
        for _ in 0..5 {
            sim.step();
        }
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| black_box(sim.step()));
        });
    }
    group.finish();
}

fn full_layouts(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout_full");
    for n in FULL_SIZES {
        let case = generate_case(n, 1).unwrap();
        configure(&mut group, n);
        group.bench_with_input(BenchmarkId::new("graph_from_case", n), &case, |b, case| {
            b.iter_with_large_drop(|| LayoutGraph::from_case(black_box(case), None));
        });
        let graph = LayoutGraph::from_case(&case, None);
        for kind in [
            LayoutKind::Layered,
            LayoutKind::Circular,
            LayoutKind::GridByKind,
            LayoutKind::Geographic,
        ] {
            let name = format!("{kind:?}").to_lowercase();
            group.bench_with_input(BenchmarkId::new(name, n), &graph, |b, graph| {
                b.iter_with_large_drop(|| {
                    layout::compute(kind, black_box(graph), &Progress::new()).unwrap()
                });
            });
        }
    }
    group.finish();
}

criterion_group!(benches, force_step, full_layouts);
criterion_main!(benches);
