//! Graphviz DOT out: a left-to-right digraph, groups as clusters, nodes
//! labelled with name and kind, edges with their labels, asynchronous ones
//! dashed and replication dotted.

use std::fmt::Write as _;

use super::escape::{backslash_quoted, one_line};
use super::style::{LineStyle, Palette, Theme};
use super::tree::Nesting;
use crate::model::{Diagram, Id};

/// A DOT double-quoted string: `"` and `\` are backslash-escaped (so no
/// label escape such as `\N` can sneak in), line breaks become `\n`.
pub fn quoted(text: &str) -> String {
    backslash_quoted(text, &[])
}

/// The design in Graphviz DOT.
pub fn dot(diagram: &Diagram) -> String {
    let nesting = Nesting::new(diagram);
    let palette = Palette::of(Theme::Light);
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quoted(&one_line(&diagram.title)));
    out.push_str("    graph [rankdir=LR, fontname=\"Ubuntu\", nodesep=0.4, ranksep=0.9];\n");
    out.push_str("    node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Ubuntu\"];\n");
    out.push_str("    edge [fontname=\"Ubuntu\", fontsize=10];\n");
    write_container(diagram, &nesting, None, 1, &palette, &mut out);
    for c in &diagram.connections {
        let mut attrs = Vec::new();
        if !c.label.is_empty() {
            attrs.push(format!("label={}", quoted(&c.label)));
        }
        match LineStyle::of(c.kind) {
            LineStyle::Solid => {}
            LineStyle::Dashed => attrs.push("style=dashed".to_owned()),
            LineStyle::Dotted => attrs.push("style=\"dotted,bold\"".to_owned()),
        }
        attrs.push(format!("color=\"{}\"", palette.wire(c.kind).hex()));
        let _ = writeln!(
            out,
            "    c{} -> c{} [{}];",
            c.from.0,
            c.to.0,
            attrs.join(", ")
        );
    }
    out.push_str("}\n");
    out
}

fn write_container(
    diagram: &Diagram,
    nesting: &Nesting,
    container: Option<Id>,
    depth: usize,
    palette: &Palette,
    out: &mut String,
) {
    let indent = "    ".repeat(depth);
    for &id in nesting.groups_in(container) {
        let Some(g) = diagram.group(id) else { continue };
        let (_, stroke) = palette.group(g.kind);
        let _ = writeln!(out, "{indent}subgraph cluster_g{} {{", id.0);
        let _ = writeln!(
            out,
            "{indent}    label={}; style=rounded; color=\"{}\"; tooltip={};",
            quoted(&g.label),
            stroke.hex(),
            quoted(g.kind.label())
        );
        write_container(diagram, nesting, Some(id), depth + 1, palette, out);
        let _ = writeln!(out, "{indent}}}");
    }
    for &id in nesting.components_in(container) {
        let Some(c) = diagram.component(id) else {
            continue;
        };
        let accent = palette.category(c.kind.category()).hex();
        let _ = writeln!(
            out,
            "{indent}c{} [label={}, color=\"{accent}\"];",
            id.0,
            quoted(&format!("{}\n{}", c.name, c.kind.name()))
        );
    }
}
