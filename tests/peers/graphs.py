"""Reads Chokepoint's GraphML and GEXF exports with the peers' own parsers.

Usage: graphs.py MANIFEST.json. The manifest lists files with the counts and attributes the
exporter's caller expects (computed in Rust from the case, not from the export). Prints one
line per check and exits 1 on the first file a peer cannot read or reads differently.
"""

import json
import sys

import igraph
import networkx


def fail(message):
    print("FAIL", message)
    sys.exit(1)


def check_networkx(entry, graph):
    path = entry["path"]
    if not graph.is_directed():
        fail(f"{path}: networkx reads an undirected graph")
    if graph.number_of_nodes() != entry["nodes"]:
        fail(f"{path}: networkx sees {graph.number_of_nodes()} nodes, expected {entry['nodes']}")
    if graph.number_of_edges() != entry["edges"]:
        fail(f"{path}: networkx sees {graph.number_of_edges()} edges, expected {entry['edges']}")
    for node, data in graph.nodes(data=True):
        if "kind" not in data:
            fail(f"{path}: node {node} has no kind")
        for axis in ("x", "y"):
            if axis in data and not isinstance(data[axis], float):
                fail(f"{path}: node {node} {axis} is {type(data[axis]).__name__}, not a number")
    shipments = set()
    undirected = 0
    for source, target, data in graph.edges(data=True):
        if not isinstance(data.get("directed"), bool):
            fail(f"{path}: edge {source}->{target} has no boolean 'directed'")
        undirected += not data["directed"]
        for key in ("percent", "amount", "quantity", "value"):
            if key in data and not isinstance(data[key], float):
                fail(f"{path}: edge {source}->{target} {key} is not a number")
        if data.get("kind") == "Shipment":
            shipments.add(data["shipment"])
    if sorted(shipments) != sorted(entry["shipments_with_hops"]):
        fail(f"{path}: shipments with hops {sorted(shipments)}, expected {entry['shipments_with_hops']}")
    if undirected != entry["undirected"]:
        fail(f"{path}: {undirected} undirected edges, expected {entry['undirected']}")
    print(f"ok networkx {entry['format']} {path}: {graph.number_of_nodes()} nodes, "
          f"{graph.number_of_edges()} edges, {len(shipments)} shipments")


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        manifest = json.load(f)
    for entry in manifest:
        path = entry["path"]
        try:
            if entry["format"] == "graphml":
                graph = networkx.read_graphml(path)
            else:
                graph = networkx.read_gexf(path)
        except Exception as e:  # the peer's own error is the finding
            fail(f"{path}: networkx cannot read it: {e}")
        check_networkx(entry, graph)
        if entry["format"] == "graphml":
            try:
                g = igraph.Graph.Read_GraphML(path)
            except Exception as e:
                fail(f"{path}: igraph cannot read it: {e}")
            if (g.vcount(), g.ecount()) != (entry["nodes"], entry["edges"]):
                fail(f"{path}: igraph sees {g.vcount()} nodes, {g.ecount()} edges")
            if not g.is_directed():
                fail(f"{path}: igraph reads an undirected graph")
            if entry["edges"] and not all(isinstance(v, bool) for v in g.es["directed"]):
                fail(f"{path}: igraph does not read 'directed' as a boolean")
            print(f"ok igraph graphml {path}: {g.vcount()} nodes, {g.ecount()} edges")


main()
