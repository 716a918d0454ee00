//! Graphviz DOT out: a left-to-right digraph, groups as clusters, nodes
//! labelled with name and kind, edges with their labels, asynchronous ones
//! dashed and replication dotted.

use std::fmt::Write as _;

use super::escape::{backslash_quoted, one_line};
use super::style::{LineStyle, Palette, Theme};
use super::tree::{Nesting, Visit};
use crate::model::Diagram;

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
    nesting.walk(diagram, &mut |visit| {
        let indent = |depth: usize| "    ".repeat(depth + 1);
        let _ = match visit {
            Visit::Open { group, depth, .. } => {
                let (_, stroke) = palette.group(group.kind);
                writeln!(
                    out,
                    "{i}subgraph cluster_g{} {{\n{i}    label={}; style=rounded; color=\"{}\"; tooltip={};",
                    group.id.0,
                    quoted(&group.label),
                    stroke.hex(),
                    quoted(group.kind.label()),
                    i = indent(depth)
                )
            }
            Visit::Close { depth } => writeln!(out, "{}}}", indent(depth)),
            Visit::Component {
                component, depth, ..
            } => writeln!(
                out,
                "{}c{} [label={}, color=\"{}\"];",
                indent(depth),
                component.id.0,
                quoted(&format!("{}\n{}", component.name, component.kind.name())),
                palette.category(component.kind.category()).hex()
            ),
        };
    });
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
