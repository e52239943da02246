//! Graphviz DOT (<https://graphviz.org/doc/info/lang.html>) of the graph Chokepoint's pictures
//! draw: entities as nodes shaped by kind (as the pictures shape them), links as edges with
//! their summary (as in the graph exports, [`super::graph_rows`]), parallel links of one kind
//! bundled into one edge as the pictures bundle them, and shipment routes as the
//! pictures draw them ([`crate::layout::routes`]): shipments along one route bundled into one
//! chain of edges, its count and totals on the first hop, the waypoints of a hop as that hop's
//! label. Graphviz `dot` or `sfdp` can then lay out exactly the graph Chokepoint draws, for
//! comparison, and the SVG they write is measured with the same legibility yardstick. No
//! positions are written: the point is Graphviz's own layout.

use super::{EdgeRow, GraphRows, graph_rows};
use crate::model::{Case, EntityId, EntityKind};
use std::fmt::Write;

/// The whole case as a DOT digraph.
pub fn write(case: &Case) -> String {
    let kinds: Vec<Option<EntityKind>> = case.entities.values().map(|e| Some(e.kind)).collect();
    write_rows(&drawn_rows(case), &case.meta.title, &kinds)
}

/// The nodes and links of the graph exports as the pictures draw them: parallel links of one
/// kind as one edge with the bundle's label, under its first link's id
/// ([`crate::layout::links`]); and the shipment routes: one chain of edges per bundle, ids
/// `first-shipment#hop`.
pub fn drawn_rows(case: &Case) -> GraphRows {
    let mut rows = graph_rows(case);
    rows.edges.retain(|e| !e.id.contains('#'));
    let node_of = |id: &EntityId| case.entities.get_key_value(id).map(|(k, _)| k);
    let mut label_of: std::collections::HashMap<&str, Option<String>> =
        std::collections::HashMap::new();
    for line in crate::layout::links::bundle_links(case.links.values(), node_of, true) {
        let label = (line.links.len() > 1).then(|| line.label());
        label_of.insert(line.links[0].id.as_str(), label);
    }
    rows.edges
        .retain_mut(|e| match label_of.get(e.id.as_str()) {
            Some(Some(label)) => {
                e.label.clone_from(label);
                true
            }
            Some(None) => true,
            None => false,
        });
    for bundle in crate::layout::routes::bundle_routes(case, case.shipments.values(), node_of, true)
    {
        let label = bundle.label(case);
        let stops = &bundle.route.stops;
        for (n, (w, vias)) in stops.windows(2).zip(&bundle.route.vias).enumerate() {
            let mut texts: Vec<String> = Vec::new();
            if n == 0 && !label.is_empty() {
                texts.push(label.clone());
            }
            texts.extend(vias.iter().map(|v| format!("via {}", v.label)));
            rows.edges.push(EdgeRow {
                id: format!("{}#{}", bundle.shipments[0].id, n + 1),
                source: w[0].to_string(),
                target: w[1].to_string(),
                directed: true,
                kind: "Shipment".into(),
                label: texts.join("\n"),
                values: Vec::new(),
            });
        }
    }
    rows
}

/// A DOT string literal: quotes and backslashes escaped, line breaks as `\n` (DOT's own
/// escape for a centred line break), other control characters dropped.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Graphviz's nearest shape to the picture's shape of `kind`.
fn shape(kind: Option<EntityKind>) -> &'static str {
    use EntityKind as K;
    match kind {
        Some(K::Person) | None => "ellipse",
        Some(K::Company | K::Organization | K::Account | K::Website) => "box",
        Some(K::Product | K::Vessel | K::Aircraft) => "hexagon",
        Some(K::Address | K::Facility | K::Jurisdiction | K::Event) => "diamond",
    }
}

fn write_rows(rows: &GraphRows, title: &str, kinds: &[Option<EntityKind>]) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail, so the fmt::Results below are ignored.
    let _ = writeln!(out, "digraph case {{");
    let _ = writeln!(out, "  label={};", quoted(title));
    let _ = writeln!(out, "  node [fontsize=13];");
    let _ = writeln!(out, "  edge [fontsize=11];");
    for (n, node) in rows.nodes.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {} [label={}, shape={}];",
            quoted(&node.id),
            quoted(&node.label),
            shape(kinds.get(n).copied().flatten())
        );
    }
    for edge in &rows.edges {
        let label = edge.label.as_str();
        let mut attrs = format!("id={}", quoted(&edge.id));
        if !label.is_empty() {
            let _ = write!(attrs, ", label={}", quoted(label));
        }
        if !edge.directed {
            attrs.push_str(", dir=none");
        }
        let _ = writeln!(
            out,
            "  {} -> {} [{attrs}];",
            quoted(&edge.source),
            quoted(&edge.target)
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_so_dot_reads_them() {
        assert_eq!(quoted("A \"B\" \\ C\nD\u{7}"), "\"A \\\"B\\\" \\\\ C\\nD\"");
    }

    #[test]
    fn the_seed_case_has_one_node_per_entity_and_one_edge_per_row() {
        let case = crate::seed_case().expect("seed");
        let dot = write(&case);
        let rows = drawn_rows(&case);
        assert!(rows.edges.iter().any(|e| e.kind == "Shipment"));
        assert!(dot.starts_with("digraph case {"));
        assert_eq!(dot.matches("shape=").count(), case.entities.len());
        assert_eq!(dot.matches(" -> ").count(), rows.edges.len());
    }

    #[test]
    fn parallel_links_are_one_edge_as_the_pictures_draw_them() {
        let mut case = crate::seed_case().expect("seed");
        let before = drawn_rows(&case).edges.len();
        let first = case.links.values().next().expect("a link").clone();
        let mut twin = first.clone();
        twin.id = "l-twin".into();
        case.links.insert(twin.id.clone(), twin);
        let rows = drawn_rows(&case);
        assert_eq!(rows.edges.len(), before);
        let edge = rows
            .edges
            .iter()
            .find(|e| e.id == first.id.as_str())
            .expect("the first link's edge");
        assert!(edge.label.starts_with("2 "), "{}", edge.label);
    }
}
