//! D2 out: components with a shape by kind, groups as containers, edges
//! with their labels, asynchronous ones dashed and replication dotted.

use std::fmt::Write as _;

use super::escape::{backslash_quoted, one_line};
use super::style::LineStyle;
use super::tree::{Nesting, Visit};
use crate::catalog::ComponentKind;
use crate::model::{Diagram, Id};

/// A D2 double-quoted string: `"` `\` and `$` (substitutions) are
/// backslash-escaped, line breaks become `\n`.
pub fn quoted(text: &str) -> String {
    backslash_quoted(text, &['$'])
}

fn shape(kind: ComponentKind) -> &'static str {
    use ComponentKind as K;
    match kind {
        k if k.is_store() => "cylinder",
        K::Queue => "queue",
        K::Client => "person",
        K::ExternalService => "cloud",
        _ => "rectangle",
    }
}

fn key(id: Id, group: bool) -> String {
    format!("{}{}", if group { 'g' } else { 'c' }, id.0)
}

/// The design in D2, laid out left to right.
pub fn d2(diagram: &Diagram) -> String {
    let nesting = Nesting::new(diagram);
    let mut out = String::new();
    let _ = writeln!(out, "# {}", one_line(&diagram.title));
    out.push_str("direction: right\n");
    nesting.walk(diagram, &mut |visit| {
        let _ = match visit {
            Visit::Open { group, depth, .. } => {
                let indent = "  ".repeat(depth);
                writeln!(
                    out,
                    "{indent}{}: {} {{\n{indent}  tooltip: {}",
                    key(group.id, true),
                    quoted(&group.label),
                    quoted(group.kind.label())
                )
            }
            Visit::Close { depth } => writeln!(out, "{}}}", "  ".repeat(depth)),
            Visit::Component {
                component, depth, ..
            } => writeln!(
                out,
                "{}{}: {} {{shape: {}; tooltip: {}}}",
                "  ".repeat(depth),
                key(component.id, false),
                quoted(&component.name),
                shape(component.kind),
                quoted(component.kind.name())
            ),
        };
    });
    let path = |id: Id| {
        let mut parts: Vec<String> = nesting
            .path_of(id)
            .into_iter()
            .map(|g| key(g, true))
            .collect();
        parts.push(key(id, false));
        parts.join(".")
    };
    for c in &diagram.connections {
        let _ = write!(out, "{} -> {}", path(c.from), path(c.to));
        if !c.label.is_empty() {
            let _ = write!(out, ": {}", quoted(&c.label));
        }
        match LineStyle::of(c.kind) {
            LineStyle::Solid => {}
            LineStyle::Dashed => out.push_str(" {style.stroke-dash: 5}"),
            LineStyle::Dotted => out.push_str(" {style.stroke-dash: 2; style.stroke-width: 3}"),
        }
        out.push('\n');
    }
    out
}
