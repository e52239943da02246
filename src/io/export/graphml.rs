//! `GraphML` (<http://graphml.graphdrawing.org/>) for yEd, Cytoscape, networkx and Gephi.
//!
//! Keys are declared for every node and edge attribute (`n_kind`, `e_status` ...), typed
//! (`string`, `double`, `boolean`). Every edge is directed, as the graph declares: readers such
//! as networkx refuse a graph that mixes directions, so a link without a direction says so in
//! its `e_directed` value. Empty values are left out, as `GraphML` allows.

use super::{AttrDef, AttrType, EDGE_ATTRS, GraphRows, NODE_ATTRS, graph_rows, xml_escape};
use crate::model::Case;
use std::fmt::Write;

/// The whole case as a `GraphML` document.
pub fn write(case: &Case) -> String {
    write_rows(&graph_rows(case), &case.meta.title)
}

fn key_type(def: &AttrDef) -> &'static str {
    match def.ty {
        AttrType::Text => "string",
        AttrType::Number => "double",
        AttrType::Boolean => "boolean",
    }
}

fn write_rows(rows: &GraphRows, title: &str) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns \
         http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    // Writing to a String cannot fail, so the fmt::Results below are ignored.
    for def in &NODE_ATTRS {
        let _ = writeln!(
            out,
            "  <key id=\"n_{0}\" for=\"node\" attr.name=\"{0}\" attr.type=\"{1}\"/>",
            def.key,
            key_type(def)
        );
    }
    for def in &EDGE_ATTRS {
        let _ = writeln!(
            out,
            "  <key id=\"e_{0}\" for=\"edge\" attr.name=\"{0}\" attr.type=\"{1}\"/>",
            def.key,
            key_type(def)
        );
    }
    out.push_str(
        "  <key id=\"g_title\" for=\"graph\" attr.name=\"title\" attr.type=\"string\"/>\n",
    );
    out.push_str("  <graph id=\"case\" edgedefault=\"directed\">\n");
    let _ = writeln!(
        out,
        "    <data key=\"g_title\">{}</data>",
        xml_escape(title)
    );
    for node in &rows.nodes {
        let _ = writeln!(out, "    <node id=\"{}\">", xml_escape(&node.id));
        write_data(&mut out, "n_", &NODE_ATTRS, &node.values);
        out.push_str("    </node>\n");
    }
    for edge in &rows.edges {
        let _ = write!(
            out,
            "    <edge id=\"{}\" source=\"{}\" target=\"{}\"",
            xml_escape(&edge.id),
            xml_escape(&edge.source),
            xml_escape(&edge.target)
        );
        out.push_str(">\n");
        write_data(&mut out, "e_", &EDGE_ATTRS, &edge.values);
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

fn write_data(out: &mut String, prefix: &str, defs: &[AttrDef], values: &[String]) {
    for (def, value) in defs.iter().zip(values) {
        if !value.is_empty() {
            let _ = writeln!(
                out,
                "      <data key=\"{prefix}{}\">{}</data>",
                def.key,
                xml_escape(value)
            );
        }
    }
}
