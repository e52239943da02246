#!/usr/bin/env python3
"""Times and scores Chokepoint's multilevel force layout beside python-igraph's
Fruchterman-Reingold (grid variant) and DrL, on one generated case, with one stress code.

    pip install python-igraph
    python3 benches/compare_layout.py [--entities 10000] [--seed 1] [--repeat 3]
                                      [--sources 200] [--drl-max 20000]

Steps, repeated --repeat times, Chokepoint and igraph alternating so both see the same load:
1. `cargo run --release --example layout_compare` generates the case
   (`chokepoint::io::generate::generate_case`), builds the graph the force layout runs on,
   writes it as GraphML (simple and undirected, parallel relations merged, with the starting
   positions), runs the full multilevel layout and writes the final positions. It reports the
   mean time of one refinement step at the finest level (the full graph) and of the whole
   layout.
2. igraph reads the GraphML and runs `layout_fruchterman_reingold(grid="grid")` with its
   default 500 iterations, from igraph's own random start; its time per iteration is the
   whole call divided by 500. DrL (`layout_drl`) runs once, on graphs up to --drl-max nodes.
3. Normalised stress (lower is better) of every layout, and of a uniformly random one, is
   computed HERE, by one function, from the same sampled BFS sources: for every --sources-th
   node s (evenly spaced by index, as `chokepoint::layout::quality::stress_sources` picks
   them) and every node j reachable from s, with hop distance d and drawn distance e and
   r = e / d, stress = 1 - mean(r)^2 / mean(r^2), i.e. min over a of mean(((a e - d) / d)^2),
   Kamada-Kawai weights with the drawing scaled optimally. Chokepoint's own Rust figure
   (`quality::normalised_stress`) is printed beside it as a check of the code.

Targets (issue 20): one refinement step no slower than one igraph FR iteration, and final
stress at or below igraph FR's.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_chokepoint(entities, seed, sources, folder):
    graphml = os.path.join(folder, f"case-{entities}.graphml")
    positions = os.path.join(folder, f"chokepoint-{entities}.txt")
    cmd = [
        "cargo", "run", "--quiet", "--release", "--example", "layout_compare", "--",
        "--entities", str(entities), "--seed", str(seed), "--sources", str(sources),
        "--graphml", graphml, "--positions", positions,
    ]
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    info = json.loads(out.strip().splitlines()[-1])
    with open(positions) as f:
        info["layout"] = [tuple(map(float, line.split())) for line in f if line.strip()]
    info["graphml"] = graphml
    return info


def node_order(g):
    # GraphML node ids are n0, n1 ... in Chokepoint's node order.
    return [int(name[1:]) for name in g.vs["id"]]


def stress_sources(n, sources):
    if n == 0 or sources == 0:
        return []
    stride = -(-n // min(sources, n))
    return list(range(0, n, stride))


def normalised_stress(g, layout_by_index, sources):
    """layout_by_index[i] is the drawn (x, y) of Chokepoint's node i (GraphML id n<i>)."""
    order = node_order(g)
    vertex_of = {cp: v for v, cp in enumerate(order)}
    picked = stress_sources(g.vcount(), sources)
    sum_r = sum_r2 = 0.0
    pairs = 0
    inf = float("inf")
    for s in picked:
        hops = g.distances(source=vertex_of[s])[0]
        sx, sy = layout_by_index[s]
        for v, h in enumerate(hops):
            if h == 0 or h == inf:
                continue
            x, y = layout_by_index[order[v]]
            r = ((x - sx) ** 2 + (y - sy) ** 2) ** 0.5 / h
            sum_r += r
            sum_r2 += r * r
            pairs += 1
    mean = sum_r / pairs
    return 1.0 - mean * mean / (sum_r2 / pairs)


def by_index(g, coords):
    """igraph's layout (by igraph vertex) re-indexed by Chokepoint node index."""
    out = [None] * g.vcount()
    for v, cp in enumerate(node_order(g)):
        out[cp] = tuple(coords[v])
    return out


def fmt(values, unit="", digits=2):
    return f"{min(values):.{digits}f}{unit} / {statistics.median(values):.{digits}f}{unit}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--drl-max", type=int, default=20_000)
    args = parser.parse_args()

    import igraph

    # Build once outside the timed runs.
    subprocess.run(["cargo", "build", "--quiet", "--release", "--example", "layout_compare"],
                   cwd=ROOT, check=True)
    cp_step, cp_full, cp_stress, cp_rust_stress = [], [], [], []
    fr_iter, fr_full, fr_stress = [], [], []
    niter = 500
    with tempfile.TemporaryDirectory() as folder:
        g = None
        for run in range(args.repeat):
            cp = run_chokepoint(args.entities, args.seed, args.sources, folder)
            if g is None:
                g = igraph.Graph.Read_GraphML(cp["graphml"])
                print(f"graph: {g.vcount()} nodes, {g.ecount()} undirected edges "
                      f"({cp['layout_edges']} layout edges)", flush=True)
                levels = ", ".join(f"{lv['nodes']}:{lv['steps']}" for lv in cp["levels"])
                print(f"chokepoint levels (nodes:steps, finest first): {levels}")
            cp_step.append(cp["step_ms"])
            cp_full.append(cp["seconds"])
            cp_rust_stress.append(cp["stress"])
            cp_stress.append(normalised_stress(g, cp["layout"], args.sources))
            print(f"run {run + 1}: chokepoint step {cp['step_ms']:.2f} ms "
                  f"({cp['levels'][0]['steps']} steps at the finest level), "
                  f"full {cp['seconds']:.2f} s, stress {cp_stress[-1]:.4f} "
                  f"(Rust {cp['stress']:.4f})", flush=True)

            t = time.perf_counter()
            coords = g.layout_fruchterman_reingold(niter=niter, grid="grid")
            elapsed = time.perf_counter() - t
            fr_full.append(elapsed)
            fr_iter.append(elapsed * 1e3 / niter)
            fr_stress.append(normalised_stress(g, by_index(g, coords.coords), args.sources))
            print(f"run {run + 1}: igraph FR grid {fr_iter[-1]:.2f} ms/iteration, "
                  f"full {elapsed:.2f} s, stress {fr_stress[-1]:.4f}", flush=True)

        rng = random.Random(args.seed)
        side = g.vcount() ** 0.5
        random_layout = [(rng.uniform(0, side), rng.uniform(0, side))
                         for _ in range(g.vcount())]
        random_stress = normalised_stress(g, random_layout, args.sources)
        drl = None
        if g.vcount() <= args.drl_max:
            t = time.perf_counter()
            coords = g.layout_drl()
            drl_seconds = time.perf_counter() - t
            drl = (drl_seconds, normalised_stress(g, by_index(g, coords.coords), args.sources))

    print()
    print(f"igraph {igraph.__version__}; {args.entities} entities, seed {args.seed}; "
          f"min / median of {args.repeat} alternated runs")
    print(f"| | Chokepoint multilevel | igraph FR (grid) |")
    print(f"| --- | --- | --- |")
    print(f"| one step / iteration | {fmt(cp_step, ' ms')} | {fmt(fr_iter, ' ms')} |")
    print(f"| full layout | {fmt(cp_full, ' s')} | {fmt(fr_full, ' s')} |")
    print(f"| stress | {fmt(cp_stress, '', 4)} | {fmt(fr_stress, '', 4)} |")
    print(f"random layout stress {random_stress:.4f}", end="")
    if drl:
        print(f"; igraph DrL stress {drl[1]:.4f} ({drl[0]:.1f} s)")
    else:
        print()
    step_ok = statistics.median(cp_step) <= statistics.median(fr_iter)
    stress_ok = statistics.median(cp_stress) <= statistics.median(fr_stress)
    print(f"step {'meets' if step_ok else 'MISSES'} the target; "
          f"stress {'meets' if stress_ok else 'MISSES'} the target")
    return 0 if step_ok and stress_ok else 1


if __name__ == "__main__":
    sys.exit(main())
