//! GEXF 1.3 (<https://gexf.net/>) for Gephi.
//!
//! Node and edge attributes are declared in `<attributes>` blocks; node positions go to
//! `<viz:position>`; each edge carries its relation as GEXF's edge `kind`, so Gephi keeps
//! parallel edges of different kinds apart. Every edge is directed, as the graph declares:
//! readers such as networkx refuse a graph that mixes directions, so a link without a direction
//! says so in its `directed` attribute value.

use super::{AttrDef, AttrType, EDGE_ATTRS, GraphRows, NODE_ATTRS, graph_rows, xml_escape};
use crate::model::Case;
use std::fmt::Write;

/// The whole case as a GEXF 1.3 document.
pub fn write(case: &Case) -> String {
    write_rows(&graph_rows(case), &case.meta.title)
}

fn write_rows(rows: &GraphRows, title: &str) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // No xsi:schemaLocation: the normative 1.3 schema (RELAX NG, gexf.rng) allows no foreign
    // attribute on <gexf>, and the file should point at no address anyway.
    out.push_str(
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" \
         version=\"1.3\">\n",
    );
    // Writing to a String cannot fail, so the fmt::Results below are ignored.
    let _ = writeln!(
        out,
        "  <meta>\n    <creator>Chokepoint</creator>\n    <description>{}</description>\n  </meta>",
        xml_escape(title)
    );
    out.push_str("  <graph defaultedgetype=\"directed\" mode=\"static\">\n");
    write_attributes(&mut out, "node", &NODE_ATTRS);
    write_attributes(&mut out, "edge", &EDGE_ATTRS);
    out.push_str("    <nodes>\n");
    for node in &rows.nodes {
        let _ = writeln!(
            out,
            "      <node id=\"{}\" label=\"{}\">",
            xml_escape(&node.id),
            xml_escape(&node.label)
        );
        write_values(&mut out, &NODE_ATTRS, &node.values);
        if let Some((x, y)) = node.position {
            let _ = writeln!(
                out,
                "        <viz:position x=\"{}\" y=\"{}\" z=\"0\"/>",
                super::format_number(x),
                // GEXF's y axis points up, the canvas's down.
                super::format_number(-y)
            );
        }
        out.push_str("      </node>\n");
    }
    out.push_str("    </nodes>\n    <edges>\n");
    for edge in &rows.edges {
        let _ = write!(
            out,
            "      <edge id=\"{}\" source=\"{}\" target=\"{}\" kind=\"{}\" label=\"{}\"",
            xml_escape(&edge.id),
            xml_escape(&edge.source),
            xml_escape(&edge.target),
            xml_escape(&edge.kind),
            xml_escape(&edge.label)
        );
        out.push_str(">\n");
        write_values(&mut out, &EDGE_ATTRS, &edge.values);
        out.push_str("      </edge>\n");
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}

fn write_attributes(out: &mut String, class: &str, defs: &[AttrDef]) {
    let _ = writeln!(out, "    <attributes class=\"{class}\" mode=\"static\">");
    for def in defs {
        let ty = match def.ty {
            AttrType::Text => "string",
            AttrType::Number => "double",
            AttrType::Boolean => "boolean",
        };
        let _ = writeln!(
            out,
            "      <attribute id=\"{0}\" title=\"{0}\" type=\"{ty}\"/>",
            def.key
        );
    }
    out.push_str("    </attributes>\n");
}

fn write_values(out: &mut String, defs: &[AttrDef], values: &[String]) {
    if values.iter().all(String::is_empty) {
        return;
    }
    out.push_str("        <attvalues>\n");
    for (def, value) in defs.iter().zip(values) {
        if !value.is_empty() {
            let _ = writeln!(
                out,
                "          <attvalue for=\"{}\" value=\"{}\"/>",
                def.key,
                xml_escape(value)
            );
        }
    }
    out.push_str("        </attvalues>\n");
}
