//! Graphviz DOT (<https://graphviz.org/doc/info/lang.html>) of the same nodes and edges as the
//! graph exports ([`super::graph_rows`]): entities as nodes shaped by kind (as the pictures
//! shape them), links as edges with their summary, every hop of a shipment's route as an edge,
//! the shipment's reference on its first hop only (a picture labels a shipment once). Graphviz
//! `dot` or `sfdp` can then lay out exactly the graph Chokepoint draws, for comparison, and
//! the SVG they write is measured with the same legibility yardstick. No positions are
//! written: the point is Graphviz's own layout.

use super::{GraphRows, graph_rows};
use crate::model::{Case, EntityKind};
use std::fmt::Write;

/// The whole case as a DOT digraph.
pub fn write(case: &Case) -> String {
    let kinds: Vec<Option<EntityKind>> = case.entities.values().map(|e| Some(e.kind)).collect();
    write_rows(&graph_rows(case), &case.meta.title, &kinds)
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
    let mut last_shipment: Option<&str> = None;
    for edge in &rows.edges {
        // Shipment hops have ids "shipment#n"; only the first hop of each carries the label.
        let shipment = edge.id.split_once('#').map(|(s, _)| s);
        let label = match shipment {
            Some(s) if last_shipment == Some(s) => "",
            _ => edge.label.as_str(),
        };
        if shipment.is_some() {
            last_shipment = shipment;
        }
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
        let rows = graph_rows(&case);
        assert!(dot.starts_with("digraph case {"));
        assert_eq!(dot.matches("shape=").count(), case.entities.len());
        assert_eq!(dot.matches(" -> ").count(), rows.edges.len());
    }
}
