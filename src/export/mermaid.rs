//! Mermaid out: a flowchart (every feature: kinds as classes, labelled
//! edges styled by kind, groups as subgraphs) and architecture-beta
//! (groups, services, edges; it has no edge labels).

use std::fmt::Write as _;

use super::escape::one_line;
use super::style::{LineStyle, Palette, Theme};
use super::tree::{Nesting, Visit};
use crate::catalog::ComponentKind;
use crate::model::{Diagram, GroupKind, Id};

/// Escapes text for a double-quoted Mermaid label: Mermaid has no
/// backslash escapes, so quotes, `#`, markup characters and backticks
/// become its entity codes (`#34;`, `#60;`…), which it shows as the
/// characters; line breaks become `<br>`.
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let cleaned: String = text
        .chars()
        .filter(|c| !super::escape::is_bidi_control(*c))
        .collect();
    for c in cleaned.replace("\r\n", "\n").chars() {
        match c {
            '\n' => out.push_str("<br>"),
            '"' | '#' | '<' | '>' | '&' | '`' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The class name that carries a component kind (its variant name, as in
/// design files).
pub fn kind_class(kind: ComponentKind) -> String {
    format!("{kind:?}")
}

/// The class name that carries a group kind.
pub fn group_class(kind: GroupKind) -> String {
    format!("group{kind:?}")
}

/// The node shape of a kind: `(open, close)` around the label.
fn shape(kind: ComponentKind) -> (&'static str, &'static str) {
    use ComponentKind as K;
    match kind {
        k if k.is_store() => ("[(", ")]"),
        K::Queue => ("[[", "]]"),
        K::Client => ("([", "])"),
        _ => ("[", "]"),
    }
}

/// The arrow of a connection kind: solid for calls, dotted for
/// asynchronous messages, thick for replication.
pub(crate) fn arrow(kind: crate::model::ConnectionKind) -> &'static str {
    match LineStyle::of(kind) {
        LineStyle::Solid => "-->",
        LineStyle::Dashed => "-.->",
        LineStyle::Dotted => "==>",
    }
}

fn node_id(id: Id) -> String {
    format!("c{}", id.0)
}

fn group_id(id: Id) -> String {
    format!("g{}", id.0)
}

/// The design as a Mermaid flowchart, left to right.
pub fn mermaid(diagram: &Diagram) -> String {
    let nesting = Nesting::new(diagram);
    let mut out = String::new();
    out.push_str("---\ntitle: ");
    out.push_str(&yaml_string(&one_line(&diagram.title)));
    out.push_str("\n---\nflowchart LR\n");
    nesting.walk(diagram, &mut |visit| {
        let indent = |depth: usize| "    ".repeat(depth + 1);
        let _ = match visit {
            Visit::Open { group, depth, .. } => writeln!(
                out,
                "{}subgraph {}[{}]",
                indent(depth),
                group_id(group.id),
                label(&group.label)
            ),
            Visit::Close { depth } => writeln!(out, "{}end", indent(depth)),
            Visit::Component {
                component, depth, ..
            } => {
                let (open, close) = shape(component.kind);
                writeln!(
                    out,
                    "{}{}{open}{}{close}",
                    indent(depth),
                    node_id(component.id),
                    label(&component.name)
                )
            }
        };
    });
    for c in &diagram.connections {
        let caption = if c.label.is_empty() {
            String::new()
        } else {
            format!("|{}|", label(&c.label))
        };
        let _ = writeln!(
            out,
            "    {} {}{} {}",
            node_id(c.from),
            arrow(c.kind),
            caption,
            node_id(c.to)
        );
    }
    // Kinds as classes, coloured like the canvas.
    let palette = Palette::of(Theme::Light);
    let mut kinds: Vec<ComponentKind> = diagram.components.iter().map(|c| c.kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let members: Vec<String> = diagram
            .components
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| node_id(c.id))
            .collect();
        let accent = palette.category(kind.category()).hex();
        let _ = writeln!(
            out,
            "    classDef {} fill:#ffffff,stroke:{accent},stroke-width:2px",
            kind_class(kind)
        );
        let _ = writeln!(out, "    class {} {}", members.join(","), kind_class(kind));
    }
    let mut group_kinds: Vec<GroupKind> = diagram.groups.iter().map(|g| g.kind).collect();
    group_kinds.sort_unstable();
    group_kinds.dedup();
    for kind in group_kinds {
        let members: Vec<String> = diagram
            .groups
            .iter()
            .filter(|g| g.kind == kind)
            .map(|g| group_id(g.id))
            .collect();
        let (_, stroke) = palette.group(kind);
        let _ = writeln!(
            out,
            "    classDef {} fill:none,stroke:{}",
            group_class(kind),
            stroke.hex()
        );
        let _ = writeln!(out, "    class {} {}", members.join(","), group_class(kind));
    }
    out
}

/// A YAML double-quoted string (`<`, `>` and `&` as `\\u` escapes).
fn yaml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            // Markup stays out of the file even here.
            '<' | '>' | '&' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for an architecture-beta title: it has no escapes and ends at `]`,
/// so brackets become parentheses and markup characters are dropped.
fn arch_title(text: &str) -> String {
    one_line(text)
        .chars()
        .map(|c| match c {
            '[' => '(',
            ']' => ')',
            c => c,
        })
        .filter(|c| !matches!(c, '<' | '>' | '"' | '`' | '%' | '#' | ';' | '{' | '}' | ':'))
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The architecture-beta icon of a kind.
fn arch_icon(kind: ComponentKind) -> &'static str {
    use ComponentKind as K;
    match kind {
        K::Cache | K::RelationalDb | K::DocumentDb | K::SearchIndex | K::EventStore => "database",
        K::ObjectStorage => "disk",
        K::Client | K::Cdn | K::TrafficManager | K::ExternalService => "internet",
        _ => "server",
    }
}

/// The design as a Mermaid architecture-beta diagram: groups, services
/// and edges (leaving the side of a card that faces the other). Edge
/// labels and kinds do not exist there; use [`mermaid`] to keep them.
pub fn mermaid_architecture(diagram: &Diagram) -> String {
    let nesting = Nesting::new(diagram);
    let mut out = String::from("architecture-beta\n");
    let within =
        |parent: Option<Id>| parent.map_or(String::new(), |p| format!(" in {}", group_id(p)));
    nesting.walk(diagram, &mut |visit| {
        let _ = match visit {
            Visit::Open { group, parent, .. } => writeln!(
                out,
                "    group {}(cloud)[{}]{}",
                group_id(group.id),
                arch_title(&group.label),
                within(parent)
            ),
            Visit::Close { .. } => Ok(()),
            Visit::Component {
                component, parent, ..
            } => writeln!(
                out,
                "    service {}({})[{}]{}",
                node_id(component.id),
                arch_icon(component.kind),
                arch_title(&component.name),
                within(parent)
            ),
        };
    });
    for c in &diagram.connections {
        let (Some(a), Some(b)) = (diagram.component(c.from), diagram.component(c.to)) else {
            continue;
        };
        let side = |s| match s {
            super::geometry::Side::Left => 'L',
            super::geometry::Side::Right => 'R',
            super::geometry::Side::Top => 'T',
            super::geometry::Side::Bottom => 'B',
        };
        let from = side(super::geometry::facing_side(a.rect(), b.rect()));
        let to = side(super::geometry::facing_side(b.rect(), a.rect()));
        let _ = writeln!(
            out,
            "    {}:{from} --> {to}:{}",
            node_id(c.from),
            node_id(c.to)
        );
    }
    out
}
