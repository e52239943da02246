#!/usr/bin/env python3
"""Times exact betweenness centrality on one generated case in Chokepoint, python-igraph and
networkx, in one run, and checks that the three agree.

    pip install python-igraph networkx
    python3 benches/compare_betweenness.py [--entities 10000] [--seed 1] [--repeat 3]
                                           [--networkx-entities N]

Steps:
1. `cargo run --release --example export_graphml` generates the case (`chokepoint::io::generate
   ::generate_case`), builds Chokepoint's graph of it (entities as nodes; links and shipment
   steps as edges, made undirected and simple), writes that graph as GraphML, and times
   Chokepoint's own betweenness on it (best of --repeat, all cores).
2. igraph reads the GraphML and times `betweenness(directed=False)` (best of --repeat; igraph
   runs on one core).
3. networkx reads the GraphML and times `betweenness_centrality(normalized=False)` once.
   networkx is slow: by default it runs exactly on the same full graph. With
   --networkx-entities N it runs instead on a smaller generated case of N entities, and the
   10k figure is EXTRAPOLATED by the O(nodes x edges) cost of Brandes' algorithm; the output
   says so.
4. Values are compared node by node (relative difference).

Targets (issue 5): Chokepoint within 2x of igraph and at least 20x faster than networkx.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def export(entities, seed, repeat, folder):
    graphml = os.path.join(folder, f"case-{entities}.graphml")
    values = os.path.join(folder, f"chokepoint-{entities}.txt")
    cmd = [
        "cargo", "run", "--quiet", "--release", "--example", "export_graphml", "--",
        "--entities", str(entities), "--seed", str(seed),
        "--graphml", graphml, "--values", values, "--repeat", str(repeat),
    ]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    info = json.loads(out.strip().splitlines()[-1])
    with open(values) as f:
        info["values"] = [float(line) for line in f if line.strip()]
    info["graphml"] = graphml
    return info


def node_order(names):
    # GraphML node ids are n0, n1 ... in Chokepoint's node order.
    return [int(n[1:]) for n in names]


def compare(reference, other, order):
    worst = 0.0
    for i, value in zip(order, other):
        ref = reference[i]
        diff = abs(value - ref) / max(1.0, abs(ref))
        worst = max(worst, diff)
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--networkx-entities", type=int, default=0,
                        help="run networkx on a smaller case and extrapolate (0: full size)")
    args = parser.parse_args()

    import igraph
    import networkx as nx

    with tempfile.TemporaryDirectory() as folder:
        print(f"exporting a generated case of {args.entities} entities (seed {args.seed}) ...",
              flush=True)
        cp = export(args.entities, args.seed, args.repeat, folder)
        n, m = cp["nodes"], cp["edges"]
        print(f"graph: {n} nodes, {m} undirected edges")
        print(f"chokepoint: {cp['betweenness_seconds']:.3f} s "
              f"(best of {args.repeat}, {cp['threads']} threads)", flush=True)

        g = igraph.Graph.Read_GraphML(cp["graphml"])
        order = node_order(g.vs["id"])
        best = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            ig_values = g.betweenness(directed=False)
            best = min(best, time.perf_counter() - t)
        ig_seconds = best
        ig_diff = compare(cp["values"], ig_values, order)
        print(f"igraph {igraph.__version__}: {ig_seconds:.3f} s (best of {args.repeat}, 1 thread); "
              f"max relative difference from chokepoint {ig_diff:.2e}", flush=True)

        if args.networkx_entities and args.networkx_entities != args.entities:
            small = export(args.networkx_entities, args.seed, args.repeat, folder)
            target, note = small, "EXTRAPOLATED"
        else:
            target, note = cp, "measured"
        h = nx.read_graphml(target["graphml"])
        print(f"networkx {nx.__version__}: running on {target['nodes']} nodes, "
              f"{target['edges']} edges (this takes a while) ...", flush=True)
        t = time.perf_counter()
        nx_values = nx.betweenness_centrality(h, normalized=False)
        nx_measured = time.perf_counter() - t
        names = list(nx_values.keys())
        nx_diff = compare(target["values"], [nx_values[k] for k in names], node_order(names))
        if target is cp:
            nx_seconds = nx_measured
        else:
            scale = (n * m) / (target["nodes"] * target["edges"])
            nx_seconds = nx_measured * scale
            print(f"networkx took {nx_measured:.1f} s on the small graph; scaled by n*m x{scale:.1f}")
        print(f"networkx: {nx_seconds:.1f} s ({note}); max relative difference from chokepoint "
              f"{nx_diff:.2e}")

        ratio_ig = cp["betweenness_seconds"] / ig_seconds
        ratio_nx = nx_seconds / cp["betweenness_seconds"]
        print()
        print(f"chokepoint / igraph   = {ratio_ig:.2f}  (target <= 2)")
        print(f"networkx / chokepoint = {ratio_nx:.0f}x ({note})  (target >= 20)")
        ok = ratio_ig <= 2.0 and ratio_nx >= 20 and ig_diff < 1e-6 and nx_diff < 1e-6
        print("targets met" if ok else "TARGETS NOT MET")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
